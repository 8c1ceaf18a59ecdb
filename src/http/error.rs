//! The HTTP layer's one error type, answered as `application/problem+json` (RFC 9457).
use axum::{
    Json,
    extract::{
        FromRequest, Request,
        rejection::{JsonRejection, QueryRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::{problem, state::AppState};

pub use crate::problem::{FieldError, Problem};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("authentication required")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String),
    /// A stale `If-Match`: carries the current state so the client can merge.
    #[error("the resource was changed by someone else")]
    PreconditionFailed { current: serde_json::Value },
    #[error("an If-Match header with the resource's ETag is required")]
    PreconditionRequired,
    /// A body over `server.max_upload_bytes`, which it names.
    #[error(
        "the request body is larger than the limit of {0} bytes ({size}, server.max_upload_bytes)",
        size = crate::domain::sizes::size_text(*.0)
    )]
    PayloadTooLarge(usize),
    #[error("the service is unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        Self::Internal(error.into())
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Forbidden(detail.into())
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound(what.into())
    }

    /// 413 for a body over the configured upload limit.
    pub fn too_large(state: &AppState) -> Self {
        Self::PayloadTooLarge(state.settings.server.max_upload_bytes)
    }

    /// 413 naming the limit when a body outgrew it, else 400 with axum's reason.
    pub fn unreadable_body(state: &AppState, status: StatusCode, reason: String) -> Self {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Self::too_large(state)
        } else {
            Self::BadRequest(reason)
        }
    }

    pub fn field(field: &str, message: impl ToString) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    fn status_and_title(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "Forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "Not Found"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "Bad Request"),
            Self::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Validation failed"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "Conflict"),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Unprocessable"),
            Self::PreconditionFailed { .. } => {
                (StatusCode::PRECONDITION_FAILED, "Precondition Failed")
            }
            Self::PreconditionRequired => {
                (StatusCode::PRECONDITION_REQUIRED, "Precondition Required")
            }
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "Payload Too Large"),
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, title) = self.status_and_title();
        if let Self::Internal(cause) = &self {
            tracing::error!(error = format!("{cause:#}"), "request failed");
        }
        let detail = match &self {
            Self::Internal(_) => problem::INTERNAL_DETAIL.to_owned(),
            other => other.to_string(),
        };
        let (errors, current) = match self {
            Self::Validation(errors) => (errors, None),
            Self::PreconditionFailed { current } => (Vec::new(), Some(current)),
            _ => (Vec::new(), None),
        };
        problem::respond(status, title, detail, errors, current)
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Internal(error.into())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(e) => {
                Self::Validation(vec![FieldError::new("body", e.body_text())])
            }
            JsonRejection::MissingJsonContentType(_) => {
                Self::BadRequest("expected a JSON body with Content-Type: application/json".into())
            }
            other => Self::BadRequest(other.body_text()),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::Validation(vec![FieldError::new("query", rejection.body_text())])
    }
}

/// `axum::Json` whose rejections are problem documents; a body over the upload
/// limit is 413 naming it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::too_large(state))
            }
            Err(other) => Err(other.into()),
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `axum::extract::Query` whose rejections are problem documents.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);
