//! The JSON API (`/api/v1`, problem+json errors, OpenAPI): thin handlers that parse,
//! call a service and answer.
pub mod auth;
mod departments;
pub mod error;
mod extract;
mod health;
mod meetings;
mod minutes;
pub mod openapi;
mod outbox;
mod tasks;

use axum::Router;

pub use error::{ApiError, ApiJson, ApiQuery, FieldError};
pub use openapi::ApiDoc;

use crate::state::AppState;

/// The JSON API under `/api/v1` and the health check.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .merge(auth::router())
        .merge(departments::router())
        .merge(meetings::router())
        .merge(minutes::router())
        .merge(outbox::router())
        .merge(tasks::router());
    Router::new().merge(health::router()).nest("/api/v1", api)
}
