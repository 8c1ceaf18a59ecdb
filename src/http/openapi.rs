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
        super::meetings::list_bodies,
        super::meetings::create_body,
        super::meetings::schedule,
        super::meetings::reschedule,
        super::meetings::list_meetings,
        super::meetings::read,
        super::tasks::list,
        super::tasks::export_csv,
        super::tasks::read,
        super::tasks::events,
        super::tasks::edit,
        super::tasks::confirm,
        super::tasks::bulk_confirm,
        super::tasks::complete,
        super::tasks::cancel,
        super::tasks::reject,
        super::tasks::reopen,
        super::tasks::add_note,
        super::tasks::merge,
        super::tasks::create,
        super::minutes::upload,
        super::outbox::list,
        super::outbox::retry,
    ),
    tags((name = "auth"), (name = "departments"), (name = "health"), (name = "meetings"), (name = "minutes"), (name = "reminders"), (name = "tasks"))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", ApiDoc::openapi()))
}
