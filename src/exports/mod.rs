//! Files for other programs: the task list as CSV and as an Excel workbook.
//! A sibling of the API and the pages: it renders what the services answer
//! (`tasks`, `reports`), with no query of its own, and shares neither's code.
pub mod cell;
mod csv;
mod error;
mod xlsx;

use axum::{
    Router,
    extract::{FromRequestParts, State},
    http::{header, request::Parts},
    response::{IntoResponse, Response},
    routing::get,
};
use utoipa::OpenApi;

pub use error::ExportError;

use crate::{
    accounts::session,
    domain::AuthenticatedUser,
    reports,
    state::AppState,
    tasks::{self, Actor, TaskQuery},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/tasks.csv", get(tasks_csv))
        .route("/api/v1/tasks.xlsx", get(tasks_xlsx))
}

/// The exports' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(tasks_csv, tasks_xlsx))]
pub struct ExportDoc;

/// Any signed-in user, as the API identifies them (bearer token or session).
struct Reader(AuthenticatedUser);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ExportError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ExportError> {
        session::identify(state, &parts.method, &parts.headers)
            .await?
            .map(Self)
            .ok_or(ExportError::Unauthorized)
    }
}

/// `axum::extract::Query` whose rejections are problem documents.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ExportError))]
struct ExportQuery<T>(T);

/// A file to download.
fn attachment(
    content_type: &'static str,
    file_name: &'static str,
    body: impl IntoResponse,
) -> Response {
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The task list as CSV (UTF-8 with BOM, Japanese header): the API's filters,
/// every page at once.
#[utoipa::path(get, path = "/api/v1/tasks.csv", tag = "tasks", params(TaskQuery),
    responses((status = 200, content_type = "text/csv", body = String)))]
async fn tasks_csv(
    State(state): State<AppState>,
    Reader(user): Reader,
    ExportQuery(query): ExportQuery<TaskQuery>,
) -> Result<Response, ExportError> {
    let filter = query.filter(&state.db).await?;
    let all = tasks::list_all(&state.db, &Actor::user(&user), &filter, state.moment()).await?;
    let body = csv::tasks(&all).map_err(|e| ExportError::Internal(e.into()))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "shukudai-tasks.csv",
        body,
    ))
}

const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The task list as an Excel workbook: the API's filters, every page at once, with
/// each task's newest progress note; dates are Excel dates, printed on A4 landscape.
#[utoipa::path(get, path = "/api/v1/tasks.xlsx", tag = "tasks", params(TaskQuery),
    responses(
        (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 401, description = "not signed in", content_type = "application/problem+json", body = crate::problem::Problem),
        (status = 422, description = "an invalid filter", content_type = "application/problem+json", body = crate::problem::Problem)))]
async fn tasks_xlsx(
    State(state): State<AppState>,
    Reader(user): Reader,
    ExportQuery(query): ExportQuery<TaskQuery>,
) -> Result<Response, ExportError> {
    let filter = query.filter(&state.db).await?;
    let rows = reports::task_sheet(&state.db, &Actor::user(&user), &filter, state.moment()).await?;
    let calendar = state.settings.display.calendar;
    let workbook = tokio::task::spawn_blocking(move || xlsx::tasks(&rows, calendar))
        .await
        .map_err(|e| ExportError::Internal(e.into()))?
        .map_err(|e| ExportError::Internal(e.into()))?;
    Ok(attachment(
        XLSX_CONTENT_TYPE,
        "shukudai-tasks.xlsx",
        workbook,
    ))
}
