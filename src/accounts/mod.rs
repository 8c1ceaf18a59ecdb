//! Accounts: users, password hashing, API tokens and sessions; who makes a request
//! ([`session`]) and what their role allows ([`authorize`]), for both front ends.
mod authorize;
mod credentials;
pub mod session;
mod store;

pub use authorize::{Need, Refusal, authorize};
pub use credentials::{hash_password, hash_token, new_token, verify_password};
pub use store::{AccountError, NewUser, UserStore, UserSummary};
