//! 宿題事項一覧: the follow-up report the secretariat hands out at the next meeting —
//! every confirmed task with owner, due date, status and latest note, grouped by
//! department, printable on A4.
use std::collections::BTreeMap;

use axum::{Router, extract::State, response::Html, routing::get};
use chrono::NaiveDate;
use minijinja::context;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::{PageError, session::Page, templates};
use crate::{
    domain::TaskStatus,
    entities::task_note,
    meetings,
    state::AppState,
    tasks::{self, Actor, TaskFilter},
};

pub fn router() -> Router<AppState> {
    Router::new().route("/report", get(report))
}

#[derive(Debug, Serialize)]
struct ReportItem {
    id: i32,
    summary: String,
    meeting: String,
    due_on: Option<NaiveDate>,
    due_kind: &'static str,
    status: &'static str,
    overdue: bool,
    latest_note: Option<String>,
}

#[derive(Debug, Serialize)]
struct ReportGroup {
    department: Option<String>,
    items: Vec<ReportItem>,
}

async fn report(State(state): State<AppState>, page: Page) -> Result<Html<String>, PageError> {
    let now = state.moment();
    let today = now.today();
    let actor = Actor::user(&page.user);
    let next = meetings::next_meeting_of_any(&state.db, today).await?;
    let all = tasks::list_all(&state.db, &actor, &TaskFilter::default(), now).await?;
    let listed: Vec<_> = all
        .into_iter()
        .filter(|t| matches!(t.status, TaskStatus::Open | TaskStatus::Done))
        .collect();
    let ids: Vec<i32> = listed.iter().map(|t| t.id).collect();
    // Newest first, so the first note seen per task is its latest.
    let notes = task_note::Entity::find()
        .filter(task_note::Column::TaskId.is_in(ids))
        .order_by_desc(task_note::Column::CreatedAt)
        .order_by_desc(task_note::Column::Id)
        .all(&state.db)
        .await?;
    let mut groups: BTreeMap<Option<String>, Vec<ReportItem>> = BTreeMap::new();
    for task in listed {
        let latest_note = notes
            .iter()
            .find(|n| n.task_id == task.id)
            .map(|n| n.body.clone())
            .or_else(|| task.completion_note.clone());
        groups
            .entry(task.owner.clone())
            .or_default()
            .push(ReportItem {
                overdue: task.status == TaskStatus::Open && task.due_on.is_some_and(|d| d < today),
                id: task.id,
                summary: task.summary,
                meeting: task.meeting_title.unwrap_or_default(),
                due_on: task.due_on,
                due_kind: task.due_kind.as_str(),
                status: task.status.as_str(),
                latest_note,
            });
    }
    let groups: Vec<ReportGroup> = groups
        .into_iter()
        .map(|(department, items)| ReportGroup { department, items })
        .collect();
    let html = templates::render(
        "report.html",
        page.context(
            "report.title",
            context! {
                groups => groups,
                today => today.to_string(),
                next => next.map(|m| context! { title => m.title, held_on => m.held_on.to_string() }),
            },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}
