//! The dashboard's figures: for the secretariat, each department's open, overdue
//! and due-by-the-next-meeting counts and the drafts awaiting review; for a
//! department, its own open items. "Due by the next meeting" is always of the
//! task's own body; the header's next meeting is the earliest of any body.
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
    sea_query::{Expr, Func},
};
use serde::Serialize;

use crate::{
    domain::{DueKind, TaskStatus},
    entities::{department, task},
    meetings::{self, MeetingView},
    tasks::rules::{self, Deadline},
};

/// The secretariat's view.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub next_meeting: Option<MeetingView>,
    /// Most overdue first, then most open.
    pub departments: Vec<DepartmentFigures>,
    /// Drafts the review has not confirmed or rejected yet.
    pub drafts: u64,
}

/// One department's open tasks; an overdue task counts as overdue only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentFigures {
    /// None for open tasks without an owner.
    pub department: Option<String>,
    pub open: i64,
    pub overdue: i64,
    pub due_next: i64,
}

/// A department's view.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentItems {
    pub next_meeting: Option<MeetingView>,
    /// Overdue first, then due by the next meeting, then the rest, each by due date.
    pub items: Vec<DashboardItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardItem {
    pub id: i32,
    pub summary: String,
    pub due_on: Option<NaiveDate>,
    pub due_kind: DueKind,
    pub overdue: bool,
    pub due_next: bool,
}

#[derive(Debug, FromQueryResult)]
struct Counts {
    owner_department_id: Option<i32>,
    open: i64,
    overdue: i64,
    due_next: i64,
}

/// Every department's figures on `today`.
pub async fn overview<C: ConnectionTrait>(conn: &C, today: NaiveDate) -> Result<Overview, DbErr> {
    let next_meeting = meetings::next_meeting_of_any(conn, today).await?;
    let overdue = Func::sum(Expr::case(rules::overdue(today), 1).finally(0));
    // Overdue first, as the weekly digest sorts them: due-next counts the rest.
    let due_next = Func::sum(
        Expr::case(rules::overdue(today), 0)
            .case(rules::due_by_next_meeting(today), 1)
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
        .into_model::<Counts>()
        .all(conn)
        .await?;
    let names = department::Entity::find().all(conn).await?;
    let mut departments: Vec<DepartmentFigures> = counts
        .into_iter()
        .map(|c| DepartmentFigures {
            department: c
                .owner_department_id
                .and_then(|id| names.iter().find(|d| d.id == id).map(|d| d.name.clone())),
            open: c.open,
            overdue: c.overdue,
            due_next: c.due_next,
        })
        .collect();
    departments.sort_by(|a, b| b.overdue.cmp(&a.overdue).then(b.open.cmp(&a.open)));
    let drafts = task::Entity::find()
        .filter(task::Column::Status.eq(TaskStatus::Draft))
        .count(conn)
        .await?;
    Ok(Overview {
        next_meeting: next_meeting.map(MeetingView::from),
        departments,
        drafts,
    })
}

/// The open tasks of `department_id` (none without a department) on `today`.
pub async fn department_items<C: ConnectionTrait>(
    conn: &C,
    department_id: Option<i32>,
    today: NaiveDate,
) -> Result<DepartmentItems, DbErr> {
    let next_meeting = meetings::next_meeting_of_any(conn, today).await?;
    let Some(department_id) = department_id else {
        return Ok(DepartmentItems {
            next_meeting: next_meeting.map(MeetingView::from),
            items: Vec::new(),
        });
    };
    let next_by_body = meetings::next::next_meetings(conn, today).await?;
    let mut items: Vec<DashboardItem> = task::Entity::find()
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .filter(task::Column::OwnerDepartmentId.eq(department_id))
        .order_by_asc(task::Column::DueOn)
        .order_by_asc(task::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|t| {
            let deadline = Deadline::from(&t);
            let overdue = deadline.is_overdue(today);
            let due_next = !overdue
                && next_by_body
                    .get(&t.body_id)
                    .is_some_and(|next| deadline.is_due_by(next));
            DashboardItem {
                id: t.id,
                summary: t.summary,
                due_on: t.due_on,
                due_kind: t.due_kind,
                overdue,
                due_next,
            }
        })
        .collect();
    // Already by due date; stable, so each class keeps that order.
    items.sort_by_key(|i| (!i.overdue, !i.due_next));
    Ok(DepartmentItems {
        next_meeting: next_meeting.map(MeetingView::from),
        items,
    })
}
