//! The secretariat's view of the reminder outbox: list rows (e.g. the failed
//! ones) and put a failed row back in the queue.
use axum::{
    Json, Router,
    extract::State,
    routing::{get, post},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiQuery, AppState,
    auth::Secretariat,
    extract::ApiPath,
    openapi::{Conflict, Forbidden},
    tasks::pagination,
};
use crate::{
    domain::OutboxStatus,
    entities::outbox,
    reminders::outbox::{self as queue, RetryError},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(list))
        .route("/outbox/{id}/retry", post(retry))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxView {
    pub id: i32,
    pub dedupe_key: String,
    pub kind: String,
    pub department_id: Option<i32>,
    pub recipients: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// The SMTP server's last reply: its acceptance, or its rejection.
    pub smtp_response: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<outbox::Model> for OutboxView {
    fn from(row: outbox::Model) -> Self {
        Self {
            recipients: queue::recipients(&row),
            id: row.id,
            dedupe_key: row.dedupe_key,
            kind: row.kind,
            department_id: row.department_id,
            subject: row.subject,
            message_id: row.message_id,
            status: row.status,
            attempts: row.attempts,
            next_attempt_at: row.next_attempt_at,
            last_error: row.last_error,
            smtp_response: row.smtp_response,
            created_at: row.created_at,
            sent_at: row.sent_at,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// pending, sending, sent, failed or superseded (withdrawn unsent because
    /// the meeting it announced moved)
    #[param(value_type = Option<OutboxStatus>)]
    pub status: Option<String>,
    /// 1-based.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// 1 ..= 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u64>,
}

/// One page of outbox rows, newest first, like every other list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxView>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Outbox rows, newest first, a page at a time; a page or page size out of
/// range is refused (422), never clamped.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "reminders", params(OutboxQuery),
    responses((status = 200, body = OutboxPage), (status = 403, response = Forbidden)))]
pub(super) async fn list(
    State(state): State<AppState>,
    _: Secretariat,
    ApiQuery(query): ApiQuery<OutboxQuery>,
) -> Result<Json<OutboxPage>, ApiError> {
    let (page, page_size) = pagination(query.page, query.page_size)?;
    let status = query
        .status
        .as_deref()
        .map(str::parse::<OutboxStatus>)
        .transpose()
        .map_err(|e| ApiError::field("status", e))?;
    let found = queue::list(&state.db, status, page, page_size).await?;
    Ok(Json(OutboxPage {
        items: found.rows.into_iter().map(OutboxView::from).collect(),
        total: found.total,
        page,
        page_size,
    }))
}

/// Queues a failed row again, due now, with a fresh attempt budget.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "reminders",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "outbox row id")),
    responses((status = 200, body = OutboxView), (status = 409, response = Conflict)))]
pub(super) async fn retry(
    State(state): State<AppState>,
    _: Secretariat,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<OutboxView>, ApiError> {
    match queue::retry_failed(&state.db, id, state.clock.now()).await {
        Ok(row) => Ok(Json(row.into())),
        Err(RetryError::NotFound(id)) => Err(ApiError::not_found(format!("no outbox row {id}"))),
        Err(error @ RetryError::NotFailed { .. }) => Err(ApiError::Conflict(error.to_string())),
        Err(RetryError::Db(error)) => Err(error.into()),
    }
}
