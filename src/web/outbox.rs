//! The reminder outbox (secretariat): what was queued, sent, failed or withdrawn,
//! and a retry button for a failed mail.
use axum::{
    Router,
    extract::{Path, Query, State},
    response::{Html, Redirect},
    routing::{get, post},
};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{
    PageError,
    session::{CsrfForm, SecretariatPage},
    templates,
};
use crate::{
    clock::Moment,
    domain::OutboxStatus,
    entities::outbox,
    reminders::outbox::{self as queue, RetryError},
    state::AppState,
};

/// The statuses the page filters by (a row is `sending` only for moments).
const FILTERS: [OutboxStatus; 4] = [
    OutboxStatus::Pending,
    OutboxStatus::Sent,
    OutboxStatus::Failed,
    OutboxStatus::Superseded,
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(show))
        .route("/outbox/{id}/retry", post(retry))
}

/// Rows per page.
const PAGE_SIZE: u64 = 100;

#[derive(Debug, Deserialize)]
struct StatusQuery {
    status: Option<String>,
    page: Option<u64>,
}

#[derive(Debug, Serialize)]
struct OutboxRow {
    id: i32,
    kind: String,
    subject: String,
    recipients: String,
    status: OutboxStatus,
    attempts: i32,
    /// Failed for good: the secretariat may queue it again.
    retryable: bool,
    at: String,
    last_error: Option<String>,
}

impl OutboxRow {
    fn new(row: outbox::Model, at: Moment) -> Self {
        let recipients = queue::recipients(&row).join(", ");
        Self {
            at: at
                .local(row.sent_at.unwrap_or(row.next_attempt_at))
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            id: row.id,
            kind: row.kind,
            subject: row.subject,
            recipients,
            retryable: row.status == OutboxStatus::Failed,
            status: row.status,
            attempts: row.attempts,
            last_error: row.last_error,
        }
    }
}

async fn show(
    State(state): State<AppState>,
    SecretariatPage(page): SecretariatPage,
    Query(query): Query<StatusQuery>,
) -> Result<Html<String>, PageError> {
    let status = query.status.and_then(|s| s.parse::<OutboxStatus>().ok());
    let number = query.page.unwrap_or(1).max(1);
    let at = state.moment();
    let found = queue::list(&state.db, status, number, PAGE_SIZE).await?;
    let pages = found.total.div_ceil(PAGE_SIZE).max(1);
    let rows: Vec<OutboxRow> = found
        .rows
        .into_iter()
        .map(|row| OutboxRow::new(row, at))
        .collect();
    let html = templates::render(
        "outbox.html",
        page.context(
            "outbox.title",
            context! {
                rows => rows, status => status, filters => FILTERS,
                page_number => number, pages => pages,
            },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}

#[derive(Debug, Deserialize)]
struct NoFields {}

async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    CsrfForm(_, NoFields {}): CsrfForm<NoFields, SecretariatPage>,
) -> Result<Redirect, PageError> {
    match queue::retry_failed(&state.db, id, state.clock.now()).await {
        Ok(_) => Ok(Redirect::to("/outbox")),
        Err(RetryError::NotFound(_)) => Err(PageError::NotFound),
        Err(error @ RetryError::NotFailed { .. }) => {
            Err(PageError::Unprocessable(error.to_string()))
        }
        Err(RetryError::Db(error)) => Err(error.into()),
    }
}
