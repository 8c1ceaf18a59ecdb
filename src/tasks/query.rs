//! Reading tasks: the filtered, paginated list, one task, its audit trail.
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, LikeExpr, NullOrdering, Query},
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::{
    Actor, EventView, Permission, TaskError, TaskPage, TaskView, access, owner, rules, view,
};
use crate::{
    clock::Moment,
    domain::{TaskStatus, storable},
    entities::{task, task_event, task_evidence},
};

/// What `list` filters on; every field narrows, none means everything visible.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub status: Option<TaskStatus>,
    pub department_id: Option<i32>,
    pub meeting_id: Option<i32>,
    /// Due on or before this date.
    pub due_before: Option<NaiveDate>,
    /// Due on or after this date.
    pub due_after: Option<NaiveDate>,
    /// Open and due before today.
    pub overdue: bool,
    /// Text in the summary or an evidence quote.
    pub q: Option<String>,
}

impl TaskFilter {
    /// The department named by `raw`: an id, a name or an alias.
    pub async fn department_from<C: ConnectionTrait>(
        conn: &C,
        raw: &str,
    ) -> Result<i32, TaskError> {
        match raw.trim().parse::<i32>() {
            Ok(id) => Ok(id),
            Err(_) => Ok(owner::require(conn, "department", raw).await?.id),
        }
    }
}

/// The list's filters as a client sends them (the API's query string, the CSV
/// export's); [`TaskQuery::filter`] parses them. The API pages the list, the
/// export does not.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// draft, open, done or cancelled
    #[param(value_type = Option<TaskStatus>)]
    pub status: Option<String>,
    /// Owner department: id, name or alias (blank: any).
    pub department: Option<String>,
    /// Origin meeting id (an id that no meeting has matches nothing).
    #[param(minimum = -2147483648, maximum = 2147483647)]
    pub meeting: Option<i32>,
    /// Due on or before (YYYY-MM-DD).
    pub due_before: Option<NaiveDate>,
    /// Due on or after (YYYY-MM-DD).
    pub due_after: Option<NaiveDate>,
    /// `true`: open and due before today.
    pub overdue: Option<bool>,
    /// Text in the summary or the evidence.
    #[param(max_length = 200)]
    pub q: Option<String>,
}

impl TaskQuery {
    /// The filter the query asks for; an unknown status or department, or a
    /// search text over 200 characters, is an invalid field.
    pub async fn filter<C: ConnectionTrait>(&self, conn: &C) -> Result<TaskFilter, TaskError> {
        let status = self
            .status
            .as_deref()
            .map(|s| s.trim().parse::<TaskStatus>())
            .transpose()
            .map_err(|e| TaskError::invalid("status", e.to_string()))?;
        // A blank filter, as a form sends it, filters nothing.
        let department = self.department.as_deref().filter(|d| !d.trim().is_empty());
        let department_id = match department {
            Some(raw) => Some(TaskFilter::department_from(conn, raw).await?),
            None => None,
        };
        if self.q.as_deref().is_some_and(|q| q.chars().count() > 200) {
            return Err(TaskError::invalid("q", "must be at most 200 characters"));
        }
        Ok(TaskFilter {
            status,
            department_id,
            meeting_id: self.meeting,
            due_before: self.due_before,
            due_after: self.due_after,
            overdue: self.overdue.unwrap_or(false),
            q: self.q.clone(),
        })
    }
}

fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

/// Tasks that were confirmed at some point. Open and done tasks always were, so for
/// them this is a status test the status index answers (no row lookups per count).
fn confirmed_only(status: Option<TaskStatus>) -> Condition {
    let confirmed = task::Column::ConfirmedAt.is_not_null();
    match status {
        Some(TaskStatus::Open | TaskStatus::Done) => Condition::all(),
        Some(TaskStatus::Draft) => Condition::all().add(Expr::val(1).eq(0)),
        Some(TaskStatus::Cancelled) => Condition::all().add(confirmed),
        None => Condition::any()
            .add(task::Column::Status.is_in([TaskStatus::Open, TaskStatus::Done]))
            .add(
                Condition::all()
                    .add(task::Column::Status.eq(TaskStatus::Cancelled))
                    .add(confirmed),
            ),
    }
}

fn condition(actor: &Actor, filter: &TaskFilter, today: NaiveDate) -> Condition {
    let mut condition = Condition::all();
    if !access::sees_unconfirmed(actor) {
        condition = condition.add(confirmed_only(filter.status));
    }
    if let Some(status) = filter.status {
        condition = condition.add(task::Column::Status.eq(status));
    }
    if let Some(id) = filter.department_id {
        condition = condition.add(task::Column::OwnerDepartmentId.eq(id));
    }
    if let Some(id) = filter.meeting_id {
        condition = condition.add(task::Column::MeetingId.eq(id));
    }
    if let Some(date) = filter.due_before {
        condition = condition.add(task::Column::DueOn.lte(date));
    }
    if let Some(date) = filter.due_after {
        condition = condition.add(task::Column::DueOn.gte(date));
    }
    if filter.overdue {
        condition = condition.add(rules::overdue(today));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // NUL cannot be stored, so nothing contains it (and PostgreSQL refuses it as a parameter).
        if !storable(q) {
            return Condition::all().add(Expr::val(1).eq(0));
        }
        let pattern = escape_like(q);
        let in_evidence = Query::select()
            .column(task_evidence::Column::TaskId)
            .from(task_evidence::Entity)
            .and_where(
                Expr::col((task_evidence::Entity, task_evidence::Column::Quote))
                    .like(LikeExpr::new(pattern.clone()).escape('\\')),
            )
            .to_owned();
        condition = condition.add(
            Condition::any()
                .add(task::Column::Summary.like(LikeExpr::new(pattern).escape('\\')))
                .add(Expr::col((task::Entity, task::Column::Id)).in_subquery(in_evidence)),
        );
    }
    condition
}

fn select(
    backend: DbBackend,
    actor: &Actor,
    filter: &TaskFilter,
    today: NaiveDate,
) -> Select<task::Entity> {
    let query = task::Entity::find().filter(condition(actor, filter, today));
    // Undated tasks last; the id makes the order total, so pages are stable. Spelled
    // per backend so that each one reads it straight from an index (see migration
    // m20261122_050000_task_list_order).
    let query = match backend {
        DbBackend::Sqlite => query
            .order_by(
                Expr::col((task::Entity, task::Column::DueOn)).is_null(),
                Order::Asc,
            )
            .order_by_asc(task::Column::DueOn),
        _ => query.order_by_with_nulls(task::Column::DueOn, Order::Asc, NullOrdering::Last),
    };
    query.order_by_asc(task::Column::Id)
}

/// One page (1-based) of the tasks `actor` may see that match `filter`.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &TaskFilter,
    page: u64,
    page_size: u64,
    at: Moment,
) -> Result<TaskPage, TaskError> {
    // A plain COUNT(*) over the condition: the paginator's count wraps the whole
    // ordered select in a subquery, which reads every matching row.
    let total: i64 = task::Entity::find()
        .select_only()
        .column_as(Expr::col((task::Entity, task::Column::Id)).count(), "total")
        .filter(condition(actor, filter, at.today()))
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or(0);
    let total = u64::try_from(total).unwrap_or(0);
    let rows = select(conn.get_database_backend(), actor, filter, at.today())
        .offset(page.saturating_sub(1).saturating_mul(page_size))
        .limit(page_size)
        .all(conn)
        .await?;
    Ok(TaskPage {
        items: view::views(conn, rows, at).await?,
        total,
        page,
        page_size,
    })
}

/// How many tasks `actor` may see that match `filter`, per status: one grouped
/// COUNT, whatever the number of tasks.
pub async fn count_by_status<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &TaskFilter,
    at: Moment,
) -> Result<Vec<(TaskStatus, u64)>, TaskError> {
    let rows: Vec<(String, i64)> = task::Entity::find()
        .select_only()
        .column(task::Column::Status)
        .column_as(Expr::col((task::Entity, task::Column::Id)).count(), "n")
        .filter(condition(actor, filter, at.today()))
        .group_by(task::Column::Status)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(TaskStatus::ALL
        .iter()
        .map(|&status| {
            let n = rows
                .iter()
                .filter(|(stored, _)| stored == status.as_str())
                .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
                .sum();
            (status, n)
        })
        .collect())
}

/// Every task `actor` may see that matches `filter`, in list order (for exports).
pub async fn list_all<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &TaskFilter,
    at: Moment,
) -> Result<Vec<TaskView>, TaskError> {
    const CHUNK: u64 = 1_000;
    let mut all = Vec::new();
    let mut offset = 0;
    loop {
        let rows = select(conn.get_database_backend(), actor, filter, at.today())
            .offset(offset)
            .limit(CHUNK)
            .all(conn)
            .await?;
        let fetched = rows.len() as u64;
        all.extend(view::views(conn, rows, at).await?);
        if fetched < CHUNK {
            return Ok(all);
        }
        offset += CHUNK;
    }
}

/// One task with its evidence and notes.
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i32,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let task = task::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(TaskError::NotFound(id))?;
    access::check(actor, &task, Permission::Read)?;
    Ok(view::detail(conn, task, at).await?)
}

/// The audit trail of one task, oldest first.
pub async fn events<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i32,
    at: Moment,
) -> Result<Vec<EventView>, TaskError> {
    let task = task::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(TaskError::NotFound(id))?;
    access::check(actor, &task, Permission::Read)?;
    Ok(task_event::Entity::find()
        .filter(task_event::Column::TaskId.eq(id))
        .order_by_asc(task_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|event| EventView::new(event, at))
        .collect())
}
