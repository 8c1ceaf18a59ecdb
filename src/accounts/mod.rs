//! Accounts: users, password hashing, API tokens and sessions, failed-login
//! throttling ([`LoginThrottle`]); who makes a request
//! ([`session`]) and what their role allows ([`authorize`]), for both front ends.
mod authorize;
mod client;
mod credentials;
pub mod session;
mod store;
mod throttle;

pub use authorize::{Need, Refusal, authorize};
pub use client::ClientAddress;
pub use credentials::{
    Argon2Check, PasswordCheck, hash_password, hash_token, new_token, verify_password,
};
pub use store::{AccountError, NewUser, UserStore, UserSummary};
pub use throttle::{Lockout, LoginThrottle, Scope};
