//! Signed, expiring, single-purpose links (`/act/{token}`) that let a department
//! mark an item done from its mail without signing in.
//!
//! A token is `base64url(payload) . base64url(HMAC-SHA256(key, payload))` with the
//! payload `v1|task|department|purpose|expires_unix|nonce`.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, sea_query::OnConflict};
use sha2::{Digest, Sha256};

use crate::{config::Settings, entities::app_secret};

type HmacSha256 = Hmac<Sha256>;

/// The `app_secret` row holding the generated key when `security.secret_key` is unset.
pub const SECRET_NAME: &str = "one_click_key";
/// How long a link in a mail stays valid.
pub const LINK_VALID_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Done,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        (s == "done").then_some(Self::Done)
    }
}

/// What a valid token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkClaims {
    pub task_id: i32,
    pub department_id: i32,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
    /// SHA-256 of the whole token, the key under which its use is recorded.
    pub token_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("the link is malformed or its signature does not match")]
    Invalid,
    #[error("the link has expired")]
    Expired,
}

#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkSigner(***)")
    }
}

impl LinkSigner {
    pub fn new(key: impl Into<Vec<u8>>) -> Self {
        Self { key: key.into() }
    }

    /// The key from `security.secret_key`, or the one generated once and kept in
    /// `app_secret` (every instance sharing the database agrees on it).
    pub async fn load(db: &impl ConnectionTrait, settings: &Settings) -> Result<Self, DbErr> {
        if let Some(key) = settings
            .security
            .secret_key
            .as_deref()
            .filter(|k| !k.is_empty())
        {
            return Ok(Self::new(key.as_bytes()));
        }
        if let Some(row) = app_secret::Entity::find_by_id(SECRET_NAME).one(db).await? {
            return Ok(Self::new(row.value.into_bytes()));
        }
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let row = app_secret::ActiveModel {
            name: Set(SECRET_NAME.to_owned()),
            value: Set(hex::encode(bytes)),
            created_at: Set(Utc::now()),
        };
        // A second instance racing us keeps the first key: read back what won.
        let _ = app_secret::Entity::insert(row)
            .on_conflict(
                OnConflict::column(app_secret::Column::Name)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await;
        let row = app_secret::Entity::find_by_id(SECRET_NAME)
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("app_secret one_click_key".into()))?;
        Ok(Self::new(row.value.into_bytes()))
    }

    fn mac(&self, payload: &[u8]) -> HmacSha256 {
        // HMAC accepts keys of any length; this cannot fail.
        let mut mac = match HmacSha256::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        };
        mac.update(payload);
        mac
    }

    pub fn sign(
        &self,
        task_id: i32,
        department_id: i32,
        purpose: Purpose,
        expires_at: DateTime<Utc>,
    ) -> String {
        let mut nonce = [0u8; 6];
        rand::rng().fill_bytes(&mut nonce);
        let payload = format!(
            "v1|{task_id}|{department_id}|{}|{}|{}",
            purpose.as_str(),
            expires_at.timestamp(),
            hex::encode(nonce)
        );
        let tag = self.mac(payload.as_bytes()).finalize().into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload.as_bytes()),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// A link valid for [`LINK_VALID_DAYS`] from `now`.
    pub fn done_token(&self, task_id: i32, department_id: i32, now: DateTime<Utc>) -> String {
        self.sign(
            task_id,
            department_id,
            Purpose::Done,
            now + Duration::days(LINK_VALID_DAYS),
        )
    }

    /// Checks signature and expiry (not use, nor the task's current owner).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<LinkClaims, LinkError> {
        let (payload_b64, tag_b64) = token.split_once('.').ok_or(LinkError::Invalid)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload_b64)
            .map_err(|_| LinkError::Invalid)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag_b64)
            .map_err(|_| LinkError::Invalid)?;
        self.mac(&payload)
            .verify_slice(&tag)
            .map_err(|_| LinkError::Invalid)?;
        let payload = String::from_utf8(payload).map_err(|_| LinkError::Invalid)?;
        let parts: Vec<&str> = payload.split('|').collect();
        let [version, task, department, purpose, expires, _nonce] = parts[..] else {
            return Err(LinkError::Invalid);
        };
        if version != "v1" {
            return Err(LinkError::Invalid);
        }
        let task_id = task.parse().map_err(|_| LinkError::Invalid)?;
        let department_id = department.parse().map_err(|_| LinkError::Invalid)?;
        let purpose = Purpose::parse(purpose).ok_or(LinkError::Invalid)?;
        let expires_at = expires
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or(LinkError::Invalid)?;
        if now >= expires_at {
            return Err(LinkError::Expired);
        }
        Ok(LinkClaims {
            task_id,
            department_id,
            purpose,
            expires_at,
            token_hash: hex::encode(Sha256::digest(token.as_bytes())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_tamper_expiry() {
        let signer = LinkSigner::new(b"k".to_vec());
        let now = Utc::now();
        let token = signer.done_token(7, 3, now);
        let claims = signer.verify(&token, now).expect("valid");
        assert_eq!((claims.task_id, claims.department_id), (7, 3));
        assert_eq!(
            signer.verify(&token, now + Duration::days(LINK_VALID_DAYS)),
            Err(LinkError::Expired)
        );
        let other = LinkSigner::new(b"other".to_vec());
        assert_eq!(other.verify(&token, now), Err(LinkError::Invalid));
        let forged = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(b"v1|8|3|done|9999999999|00"),
            token.split_once('.').map(|(_, t)| t).unwrap_or_default()
        );
        assert_eq!(signer.verify(&forged, now), Err(LinkError::Invalid));
    }
}
