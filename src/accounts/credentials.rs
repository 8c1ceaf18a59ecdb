use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::Password;

pub fn hash_password(password: &Password) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|hash| hash.to_string())
}

/// False for a wrong password and for a stored hash that does not parse.
pub fn verify_password(candidate: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a login's password. A side effect behind a trait so that a test can
/// see every attempt do the hashing work, whether or not the login exists.
pub trait PasswordCheck: Send + Sync + 'static {
    /// Whether `candidate` matches `stored_hash`. Without one (an unknown or
    /// disabled login) the same work is done and the answer is false, so the
    /// time taken does not tell which logins exist.
    fn matches(&self, candidate: &str, stored_hash: Option<&str>) -> bool;
}

/// The real check: Argon2, with the parameters new hashes are made with.
#[derive(Debug, Default, Clone, Copy)]
pub struct Argon2Check;

/// Salt for hashing a password that has no account to match (any 16 bytes do).
const NO_ACCOUNT_SALT: &[u8; 16] = b"shukudai-no-user";

impl PasswordCheck for Argon2Check {
    fn matches(&self, candidate: &str, stored_hash: Option<&str>) -> bool {
        match stored_hash {
            Some(hash) => verify_password(candidate, hash),
            None => {
                // What verifying costs: one hash with the default parameters.
                let mut output = [0u8; 32];
                let _ = Argon2::default().hash_password_into(
                    candidate.as_bytes(),
                    NO_ACCOUNT_SALT,
                    &mut output,
                );
                false
            }
        }
    }
}

/// A random 256-bit token for a session cookie, an API token or a link.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are high-entropy, so a fast hash is enough to keep them useless if the
/// database leaks; only the hash is stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let password = Password::parse("correct horse").expect("valid");
        let hash = hash_password(&password).expect("hashes");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert!(Argon2Check.matches("correct horse", Some(&hash)));
        assert!(!Argon2Check.matches("correct horse", None));
    }

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
    }
}
