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
    entities::outbox,
    reminders::outbox::{self as queue, RetryError},
    state::AppState,
    tasks::TIME_ZONE,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(show))
        .route("/outbox/{id}/retry", post(retry))
}

#[derive(Debug, Deserialize)]
struct StatusQuery {
    status: Option<String>,
}

#[derive(Debug, Serialize)]
struct OutboxRow {
    id: i32,
    kind: String,
    subject: String,
    recipients: String,
    status: String,
    attempts: i32,
    at: String,
    last_error: Option<String>,
}

impl From<outbox::Model> for OutboxRow {
    fn from(row: outbox::Model) -> Self {
        let recipients = queue::recipients(&row).join(", ");
        Self {
            at: row
                .sent_at
                .unwrap_or(row.next_attempt_at)
                .with_timezone(&TIME_ZONE)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            id: row.id,
            kind: row.kind,
            subject: row.subject,
            recipients,
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
    let status = query
        .status
        .filter(|s| queue::STATUSES.contains(&s.as_str()));
    let rows: Vec<OutboxRow> = queue::list(&state.db, status.as_deref(), 200)
        .await?
        .into_iter()
        .map(OutboxRow::from)
        .collect();
    let html = templates::render(
        "outbox.html",
        page.context("outbox.title", context! { rows => rows, status => status }),
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
