//! The meetings page's rows: the newest meetings with their body and how many
//! of their tasks wait for review (drafts) or for the owner (open).
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect,
};
use serde::Serialize;

use crate::{
    domain::TaskStatus,
    entities::{body, task},
    meetings::{self, MeetingView},
};

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRow {
    #[serde(flatten)]
    pub meeting: MeetingView,
    /// The body's name.
    pub body: String,
    pub drafts: i64,
    pub open: i64,
}

#[derive(Debug, FromQueryResult)]
struct StatusCount {
    meeting_id: i32,
    status: TaskStatus,
    n: i64,
}

/// The newest `limit` meetings, newest first.
pub async fn meeting_list<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<MeetingRow>, DbErr> {
    let page = meetings::list_meetings(conn, None, 1, limit).await?;
    let ids: Vec<i32> = page.items.iter().map(|m| m.id).collect();
    let bodies: HashMap<i32, String> = body::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let counts: HashMap<(i32, TaskStatus), i64> = task::Entity::find()
        .select_only()
        .column(task::Column::MeetingId)
        .column(task::Column::Status)
        .column_as(task::Column::Id.count(), "n")
        .filter(task::Column::MeetingId.is_in(ids))
        .filter(task::Column::Status.is_in([TaskStatus::Draft, TaskStatus::Open]))
        .group_by(task::Column::MeetingId)
        .group_by(task::Column::Status)
        .into_model::<StatusCount>()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| ((c.meeting_id, c.status), c.n))
        .collect();
    let count = |meeting: i32, status| counts.get(&(meeting, status)).copied().unwrap_or(0);
    Ok(page
        .items
        .into_iter()
        .map(|m| MeetingRow {
            drafts: count(m.id, TaskStatus::Draft),
            open: count(m.id, TaskStatus::Open),
            body: bodies.get(&m.body_id).cloned().unwrap_or_default(),
            meeting: m,
        })
        .collect())
}
