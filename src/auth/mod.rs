//! Accounts: password hashing, API tokens and sessions. The HTTP side (cookie,
//! bearer header, role extractors) is in `http::auth`.
mod credentials;
mod store;

pub use credentials::{hash_password, hash_token, new_token, verify_password};
pub use store::{AccountError, AuthenticatedUser, NewUser, UserStore, UserSummary};
