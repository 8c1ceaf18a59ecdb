//! The dashboard: a department sees its open items, overdue first; the secretariat
//! sees every department's counts and the next meeting.
use axum::{Router, extract::State, response::Html, routing::get};
use chrono::NaiveDate;
use minijinja::context;
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    sea_query::{Expr, ExprTrait, Func},
};
use serde::Serialize;

use super::{PageError, session::Page, templates};
use crate::{
    domain::{DueKind, TaskStatus},
    entities::{department, task},
    meetings,
    state::AppState,
};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

#[derive(Debug, FromQueryResult)]
struct DepartmentCounts {
    owner_department_id: Option<i32>,
    open: i64,
    overdue: i64,
    due_next: i64,
}

#[derive(Debug, Serialize)]
struct CountsRow {
    department: Option<String>,
    open: i64,
    overdue: i64,
    due_next: i64,
}

#[derive(Debug, Serialize)]
struct ItemRow {
    id: i32,
    summary: String,
    due_on: Option<NaiveDate>,
    due_kind: DueKind,
    overdue: bool,
    due_next: bool,
}

async fn dashboard(State(state): State<AppState>, page: Page) -> Result<Html<String>, PageError> {
    let today = state.today();
    let next_meeting = meetings::next_meeting_of_any(&state.db, today).await?;
    let next_date = next_meeting.as_ref().map(|m| m.held_on);
    let next = next_meeting
        .map(|m| context! { id => m.id, title => m.title, held_on => m.held_on.to_string() });

    if page.is_secretariat() {
        let overdue = Func::sum(Expr::case(task::Column::DueOn.lt(today), 1).finally(0));
        let next_or_today = next_date.unwrap_or(today);
        let due_next = Func::sum(
            Expr::case(
                task::Column::DueOn
                    .gte(today)
                    .and(task::Column::DueOn.lte(next_or_today)),
                1,
            )
            .finally(0),
        );
        let counts = task::Entity::find()
            .select_only()
            .column(task::Column::OwnerDepartmentId)
            .column_as(task::Column::Id.count(), "open")
            .column_as(Expr::from(overdue), "overdue")
            .column_as(Expr::from(due_next), "due_next")
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .group_by(task::Column::OwnerDepartmentId)
            .into_model::<DepartmentCounts>()
            .all(&state.db)
            .await?;
        let names = department::Entity::find().all(&state.db).await?;
        let mut rows: Vec<CountsRow> = counts
            .into_iter()
            .map(|c| CountsRow {
                department: c
                    .owner_department_id
                    .and_then(|id| names.iter().find(|d| d.id == id).map(|d| d.name.clone())),
                open: c.open,
                overdue: c.overdue,
                due_next: if next_date.is_some() { c.due_next } else { 0 },
            })
            .collect();
        rows.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)));
        let drafts = task::Entity::find()
            .filter(task::Column::Status.eq(TaskStatus::Draft))
            .count(&state.db)
            .await?;
        let html = templates::render(
            "dashboard.html",
            page.context(
                "dashboard.title",
                context! { secretariat_view => true, rows => rows, drafts => drafts, next => next },
            ),
        )
        .map_err(PageError::internal)?;
        return Ok(Html(html));
    }

    let items: Vec<ItemRow> = match page.user.department_id {
        Some(department_id) => task::Entity::find()
            .filter(task::Column::Status.eq(TaskStatus::Open))
            .filter(task::Column::OwnerDepartmentId.eq(department_id))
            .order_by_asc(task::Column::DueOn)
            .order_by_asc(task::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|t| ItemRow {
                overdue: t.due_on.is_some_and(|d| d < today),
                due_next: match (t.due_on, next_date) {
                    (Some(due), Some(next)) => due >= today && due <= next,
                    _ => false,
                },
                id: t.id,
                summary: t.summary,
                due_on: t.due_on,
                due_kind: t.due_kind,
            })
            .collect(),
        None => Vec::new(),
    };
    let mut items = items;
    // Overdue first, then due by the next meeting, then the rest (already by date).
    items.sort_by_key(|i| (!i.overdue, !i.due_next));
    let html = templates::render(
        "dashboard.html",
        page.context(
            "dashboard.title",
            context! { secretariat_view => false, items => items, next => next },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}
