//! The server-rendered web UI: Japanese first, English second, plain HTML forms.
mod admin;
mod dashboard;
mod error;
mod evidence;
pub mod i18n;
mod import;
mod login;
mod meetings;
mod one_click;
mod outbox;
mod report;
pub mod session;
mod tasks;
mod templates;

use axum::{
    Router,
    http::header,
    response::{IntoResponse, Redirect},
    routing::get,
};

pub use error::PageError;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .merge(login::router())
        .merge(dashboard::router())
        .merge(admin::router())
        .merge(meetings::router())
        .merge(tasks::router())
        .merge(report::router())
        .merge(import::router())
        .merge(outbox::router())
        .merge(one_click::router())
        .route(
            "/static/app.css",
            get(|| asset("text/css; charset=utf-8", APP_CSS)),
        )
        .route(
            "/static/app.js",
            get(|| asset("text/javascript; charset=utf-8", APP_JS)),
        )
}

// Assets are compiled in: the binary serves the UI from any directory, offline.
const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");

async fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
