//! Accounts: password hashing, API tokens and sessions, and resolving who makes a
//! request ([`session`]), shared by both front ends.
mod credentials;
pub mod session;
mod store;

pub use credentials::{hash_password, hash_token, new_token, verify_password};
pub use store::{AccountError, AuthenticatedUser, NewUser, UserStore, UserSummary};
