//! Extractors shared by the task and meeting routes: path ids whose rejection is a
//! problem document, and the `If-Match` precondition.
use axum::{
    extract::{FromRequestParts, rejection::PathRejection},
    http::{header, request::Parts},
};

use utoipa::{
    IntoParams,
    openapi::{
        Required,
        path::{Parameter, ParameterBuilder, ParameterIn},
        schema::{ObjectBuilder, Type},
    },
};

use super::ApiError;

/// `axum::extract::Path` whose rejections are problem documents.
#[derive(Debug, Clone, Copy, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        Self::BadRequest(rejection.body_text())
    }
}

/// The `If-Match` header: absent, `*`, or an ETag `"<version>"` (weak tags accepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    Any,
    Version(i32),
    /// An ETag this server never issues: matches nothing, so it fails as stale.
    Unknown,
}

impl IfMatch {
    /// The version to check, for steps where the header is optional.
    pub fn optional(self) -> Option<i32> {
        match self {
            Self::Absent | Self::Any => None,
            Self::Version(v) => Some(v),
            Self::Unknown => Some(-1),
        }
    }

    /// As [`Self::optional`], but a missing header is 428.
    pub fn required(self) -> Result<Option<i32>, ApiError> {
        match self {
            Self::Absent => Err(ApiError::PreconditionRequired),
            other => Ok(other.optional()),
        }
    }

    fn parse(raw: &str) -> Self {
        let raw = raw.trim();
        if raw == "*" {
            return Self::Any;
        }
        let tag = raw.strip_prefix("W/").unwrap_or(raw);
        tag.strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(tag)
            .parse::<i32>()
            .map_or(Self::Unknown, Self::Version)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Ok(match parts.headers.get(header::IF_MATCH) {
            None => Self::Absent,
            Some(value) => value.to_str().map_or(Self::Unknown, Self::parse),
        })
    }
}

/// Documents the header where it is optional (a step that requires it lists the
/// header itself, with 428 for its absence).
impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The ETag from GET; 412 with the current state when it is stale.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ]
    }
}

/// The ETag of a task at `version`.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_etags() {
        assert_eq!(IfMatch::parse("\"3\""), IfMatch::Version(3));
        assert_eq!(IfMatch::parse("W/\"3\""), IfMatch::Version(3));
        assert_eq!(IfMatch::parse("*"), IfMatch::Any);
        assert_eq!(IfMatch::parse("\"abc\""), IfMatch::Unknown);
    }
}
