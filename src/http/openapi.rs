//! The OpenAPI document, generated from the handlers, and Swagger UI served from
//! vendored assets (nothing from a CDN).
use axum::Router;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use super::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "shukudai API", description = "会議録から宿題を管理する API / tracking the follow-ups of meeting minutes"),
    paths(
        super::health::healthz,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::departments::list,
        super::departments::create,
        super::outbox::list,
        super::outbox::retry,
    ),
    tags((name = "auth"), (name = "departments"), (name = "health"), (name = "reminders"))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}
