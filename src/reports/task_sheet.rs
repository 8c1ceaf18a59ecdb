//! The task list as a sheet for people: each task the filter selects, with its
//! newest progress note. Spreadsheet exports render this answer.
use sea_orm::ConnectionTrait;

use crate::{
    clock::Moment,
    tasks::{self, Actor, TaskError, TaskFilter, TaskView},
};

#[derive(Debug, Clone)]
pub struct SheetRow {
    pub task: TaskView,
    /// The newest progress note, if any.
    pub latest_note: Option<String>,
}

/// Every task `actor` may see that `filter` selects, in the list's order.
pub async fn task_sheet<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    filter: &TaskFilter,
    at: Moment,
) -> Result<Vec<SheetRow>, TaskError> {
    let listed = tasks::list_all(conn, actor, filter, at).await?;
    let ids: Vec<i32> = listed.iter().map(|t| t.id).collect();
    let mut notes = tasks::latest_notes(conn, &ids).await?;
    Ok(listed
        .into_iter()
        .map(|task| SheetRow {
            latest_note: notes.remove(&task.id).map(|n| n.body),
            task,
        })
        .collect())
}
