//! The exports' one error type, answered as a problem document like the API's
//! (the exports are files served under `/api/v1`).
use axum::{
    extract::rejection::QueryRejection,
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::{
    accounts::session::IdentifyError,
    problem::{self, FieldError},
    tasks::TaskError,
};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
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
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl IntoResponse for ExportError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "Unauthorized"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "Forbidden"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "Not Found"),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "Bad Request"),
            Self::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "Validation failed"),
            Self::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "export failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
            }
        };
        let detail = match &self {
            Self::Internal(_) => problem::INTERNAL_DETAIL.to_owned(),
            other => other.to_string(),
        };
        let errors = match self {
            Self::Validation(errors) => errors,
            _ => Vec::new(),
        };
        problem::respond(status, title, detail, errors, None)
    }
}

impl From<sea_orm::DbErr> for ExportError {
    fn from(error: sea_orm::DbErr) -> Self {
        Self::Internal(error.into())
    }
}

impl From<IdentifyError> for ExportError {
    fn from(error: IdentifyError) -> Self {
        match error {
            IdentifyError::MalformedAuthorization => Self::BadRequest(error.to_string()),
            IdentifyError::MissingCsrf => Self::Forbidden(error.to_string()),
            IdentifyError::Db(e) => e.into(),
        }
    }
}

impl From<TaskError> for ExportError {
    fn from(error: TaskError) -> Self {
        match error {
            TaskError::NotFound(_) | TaskError::NoSuchMeeting(_) => {
                Self::NotFound(error.to_string())
            }
            TaskError::Forbidden(detail) => Self::Forbidden(detail),
            TaskError::Invalid(issues) => Self::Validation(
                issues
                    .into_iter()
                    .map(|i| FieldError::new(i.field, i.message))
                    .collect(),
            ),
            TaskError::Db(e) => e.into(),
            // A read changes nothing: no step to refuse, no version to be stale.
            other @ (TaskError::WrongStatus { .. } | TaskError::Stale(_)) => {
                Self::Internal(other.into())
            }
        }
    }
}

impl From<QueryRejection> for ExportError {
    fn from(rejection: QueryRejection) -> Self {
        Self::Validation(vec![FieldError::new("query", rejection.body_text())])
    }
}
