//! A task's page (details, evidence, notes, history) and the steps a department
//! takes on it: progress notes and marking it done; the secretariat may reopen.
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
    session::{CsrfForm, Page, SecretariatPage},
    templates,
};
use crate::{
    departments::Departments,
    domain::{EventAction, Label, Lang, TaskStatus, labels},
    state::AppState,
    tasks::{self, Actor, EventView, Permission, TaskFilter, rules::Deadline},
};

const PAGE_SIZE: u64 = 50;

/// The list's filters as the form sends them (strings; parsed here).
#[derive(Debug, Default, Deserialize, Serialize)]
struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    page: Option<u64>,
}

async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, PageError> {
    let actor = Actor::user(&page.user);
    let status = match query.status.as_str() {
        "" => None,
        raw => Some(
            raw.parse::<TaskStatus>()
                .map_err(|e| PageError::BadRequest(e.to_string()))?,
        ),
    };
    let department_id = match query.department.trim() {
        "" => None,
        name => Some(TaskFilter::department_from(&state.db, name).await?),
    };
    let filter = TaskFilter {
        status,
        department_id,
        q: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
        overdue: query.overdue == "1",
        ..Default::default()
    };
    let number = query.page.unwrap_or(1).max(1);
    let found = tasks::list(
        &state.db,
        &actor,
        &filter,
        number,
        PAGE_SIZE,
        state.moment(),
    )
    .await?;
    let pages = found.total.div_ceil(PAGE_SIZE).max(1);
    let departments = Departments::new(state.db.clone()).list().await?;
    let html = templates::render(
        "tasks.html",
        page.context(
            "nav.tasks",
            context! {
                tasks => found.items,
                total => found.total,
                page_number => number,
                pages => pages,
                query => query,
                departments => departments,
                statuses => TaskStatus::ALL
                    .iter()
                    .filter(|s| **s != TaskStatus::Draft || tasks::sees_unconfirmed(&actor))
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>(),
            },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(list))
        .route("/tasks/{id}", get(show))
        .route("/tasks/{id}/notes", post(add_note))
        .route("/tasks/{id}/complete", post(complete))
        .route("/tasks/{id}/reopen", post(reopen))
}

#[derive(Debug, Serialize)]
struct EventRow {
    at: String,
    actor: String,
    action: String,
    summary: String,
}

impl EventRow {
    fn new(event: EventView, lang: Lang) -> Self {
        let summary = event
            .changes
            .as_object()
            .map(|fields| {
                fields
                    .iter()
                    .map(
                        |(field, change)| match change.as_array().map(Vec::as_slice) {
                            Some([old, new]) => format!(
                                "{}: {} → {}",
                                field_name(lang, field),
                                plain(old),
                                plain(new)
                            ),
                            _ => format!("{}: {}", field_name(lang, field), plain(change)),
                        },
                    )
                    .collect::<Vec<_>>()
                    .join("、")
            })
            .unwrap_or_default();
        Self {
            at: event.created_at.format("%Y-%m-%d %H:%M").to_string(),
            actor: event.actor,
            action: event
                .action
                .parse::<EventAction>()
                .map_or(event.action.clone(), |action| action.label(lang).to_owned()),
            summary,
        }
    }
}

fn field_name(lang: Lang, field: &str) -> &str {
    labels::field(field, lang).unwrap_or(field)
}

fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i32>,
) -> Result<Html<String>, PageError> {
    let actor = Actor::user(&page.user);
    let at = state.moment();
    let task = tasks::get(&state.db, &actor, id, at).await?;
    let events: Vec<EventRow> = tasks::events(&state.db, &actor, id, at)
        .await?
        .into_iter()
        .map(|e| EventRow::new(e, page.lang))
        .collect();
    let can_work =
        tasks::permits(&actor, &task, Permission::Report) && task.status == TaskStatus::Open;
    let can_reopen =
        tasks::permits(&actor, &task, Permission::Manage) && task.status == TaskStatus::Done;
    let overdue = Deadline::from(&task).is_overdue(at.today());
    let html = templates::render(
        "task.html",
        page.context(
            "nav.tasks",
            context! {
                task => task,
                events => events,
                can_work => can_work,
                can_reopen => can_reopen,
                overdue => overdue,
            },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}

#[derive(Debug, Deserialize)]
struct Versioned {
    #[serde(default)]
    version: String,
}

impl Versioned {
    /// The version the page showed, so a stale form is refused rather than applied.
    fn if_match(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    body: String,
    #[serde(flatten)]
    version: Versioned,
}

async fn add_note(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    CsrfForm(page, form): CsrfForm<NoteForm>,
) -> Result<Redirect, PageError> {
    let actor = Actor::user(&page.user);
    tasks::add_note(
        &state.db,
        &actor,
        id,
        form.version.if_match(),
        &form.body,
        state.moment(),
    )
    .await?;
    Ok(Redirect::to(&format!("/tasks/{id}")))
}

#[derive(Debug, Deserialize)]
struct CompleteForm {
    note: String,
    #[serde(flatten)]
    version: Versioned,
}

async fn complete(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    CsrfForm(page, form): CsrfForm<CompleteForm>,
) -> Result<Redirect, PageError> {
    let actor = Actor::user(&page.user);
    tasks::complete(
        &state.db,
        &actor,
        id,
        form.version.if_match(),
        &form.note,
        state.moment(),
    )
    .await?;
    Ok(Redirect::to(&format!("/tasks/{id}")))
}

async fn reopen(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    CsrfForm(SecretariatPage(page), form): CsrfForm<Versioned, SecretariatPage>,
) -> Result<Redirect, PageError> {
    let actor = Actor::user(&page.user);
    tasks::reopen(&state.db, &actor, id, form.if_match(), None, state.moment()).await?;
    Ok(Redirect::to(&format!("/tasks/{id}")))
}
