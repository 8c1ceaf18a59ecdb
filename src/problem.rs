//! Problem documents (`application/problem+json`, RFC 9457): the error answer of
//! every JSON front end (the API, the exports), written in one place. Each front
//! end keeps its own error type and renders it through [`respond`].
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

/// One invalid input field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl ToString) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// The problem document; `errors` and `current` appear only when they apply.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

/// The answer for a problem: its status, the document, and for 401 the
/// `WWW-Authenticate` challenge.
pub fn respond(
    status: StatusCode,
    title: &'static str,
    detail: String,
    errors: Vec<FieldError>,
    current: Option<serde_json::Value>,
) -> Response {
    let problem = Problem {
        kind: "about:blank",
        title,
        status: status.as_u16(),
        detail,
        errors,
        current,
    };
    let mut response = (status, Json(problem)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"shukudai\""),
        );
    }
    response
}

/// The detail shown for a 5xx: the cause is logged, never shown.
pub const INTERNAL_DETAIL: &str = "an internal error occurred; it has been logged";
