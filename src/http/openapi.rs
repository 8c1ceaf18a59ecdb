//! The API's part of the OpenAPI document, generated from the handlers (the
//! application serves it with the exports' part and Swagger UI).
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "shukudai API", description = "会議録から宿題を管理する API / tracking the follow-ups of meeting minutes"),
    paths(
        super::health::healthz,
        super::auth::login,
        super::auth::logout,
        super::auth::me,
        super::auth::unlock,
        super::departments::list,
        super::departments::create,
        super::meetings::list_bodies,
        super::meetings::create_body,
        super::meetings::schedule,
        super::meetings::reschedule,
        super::meetings::list_meetings,
        super::meetings::read,
        super::tasks::list,
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
        super::minutes::original,
        super::outbox::list,
        super::outbox::retry,
    ),
    tags((name = "auth"), (name = "departments"), (name = "health"), (name = "meetings"), (name = "minutes"), (name = "reminders"), (name = "tasks"))
)]
pub struct ApiDoc;
