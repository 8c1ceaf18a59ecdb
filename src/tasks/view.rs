//! What clients see of a task, loaded in batches (one query per related table, not
//! per task) so a page of 200 costs the same few queries as a page of one.
use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    clock::Moment,
    domain::{DueKind, TaskKind, TaskStatus},
    entities::{department, meeting, task, task_event, task_evidence, task_note},
};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EvidenceView {
    /// The source sentence(s), verbatim.
    pub quote: String,
    /// `[start, end)` in characters of the minutes text, when known.
    pub span: Option<[i32; 2]>,
    pub minutes_id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct NoteView {
    pub id: i32,
    pub author: String,
    pub author_user_id: Option<i32>,
    pub body: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i32,
    pub status: TaskStatus,
    pub summary: String,
    pub kind: TaskKind,
    /// The owner department's name, or null while a draft has none.
    pub owner: Option<String>,
    pub owner_department_id: Option<i32>,
    /// The owner as the extractor read it, when it matched no department.
    pub suggested_owner: Option<String>,
    pub due_kind: DueKind,
    /// The due date (local); for `next_meeting`, the bound meeting's date.
    pub due_on: Option<NaiveDate>,
    /// The meeting a `next_meeting` due date is bound to.
    pub due_meeting_id: Option<i32>,
    pub body_id: i32,
    pub meeting_id: i32,
    pub meeting_title: Option<String>,
    pub minutes_id: Option<i32>,
    pub speaker: Option<String>,
    pub confidence: f64,
    pub evidence: Vec<EvidenceView>,
    pub completion_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub merged_into_id: Option<i32>,
    /// The optimistic-locking version; the ETag is `"<version>"`.
    pub version: i32,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: DateTime<FixedOffset>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<DateTime<FixedOffset>>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub completed_at: Option<DateTime<FixedOffset>>,
    /// Progress notes; present on the single-task answers only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<NoteView>>,
}

/// A page of tasks: `{"items": [...], "total": N, "page": P, "page_size": S}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskView>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i32,
    pub task_id: i32,
    pub actor_user_id: Option<i32>,
    pub actor: String,
    pub action: String,
    /// `{"field": [old, new], …}`
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<FixedOffset>,
}

impl EventView {
    pub fn new(event: task_event::Model, at: Moment) -> Self {
        Self {
            id: event.id,
            task_id: event.task_id,
            actor_user_id: event.actor_user_id,
            actor: event.actor_label,
            action: event.action,
            changes: event.changes,
            created_at: at.local(event.created_at),
        }
    }
}

impl NoteView {
    pub fn new(note: task_note::Model, at: Moment) -> Self {
        Self {
            id: note.id,
            author: note.author_label,
            author_user_id: note.author_user_id,
            body: note.body,
            created_at: at.local(note.created_at),
        }
    }
}

/// Views of `tasks`, in the same order; times local to `at`'s time zone.
pub async fn views<C: ConnectionTrait>(
    conn: &C,
    tasks: Vec<task::Model>,
    at: Moment,
) -> Result<Vec<TaskView>, DbErr> {
    if tasks.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = tasks.iter().map(|t| t.id).collect();
    let mut owner_ids: Vec<i32> = tasks.iter().filter_map(|t| t.owner_department_id).collect();
    owner_ids.sort_unstable();
    owner_ids.dedup();
    let mut meeting_ids: Vec<i32> = tasks.iter().map(|t| t.meeting_id).collect();
    meeting_ids.sort_unstable();
    meeting_ids.dedup();

    let owners: HashMap<i32, String> = if owner_ids.is_empty() {
        HashMap::new()
    } else {
        department::Entity::find()
            .filter(department::Column::Id.is_in(owner_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect()
    };
    let meetings: HashMap<i32, String> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(meeting_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    let mut evidence: HashMap<i32, Vec<EvidenceView>> = HashMap::new();
    for row in task_evidence::Entity::find()
        .filter(task_evidence::Column::TaskId.is_in(ids))
        .order_by_asc(task_evidence::Column::TaskId)
        .order_by_asc(task_evidence::Column::Position)
        .order_by_asc(task_evidence::Column::Id)
        .all(conn)
        .await?
    {
        evidence.entry(row.task_id).or_default().push(EvidenceView {
            quote: row.quote,
            span: row.span_start.zip(row.span_end).map(|(s, e)| [s, e]),
            minutes_id: row.minutes_id,
        });
    }
    Ok(tasks
        .into_iter()
        .map(|t| {
            let owner = t
                .owner_department_id
                .and_then(|id| owners.get(&id).cloned());
            let meeting_title = meetings.get(&t.meeting_id).cloned();
            let evidence = evidence.remove(&t.id).unwrap_or_default();
            view(t, owner, meeting_title, evidence, at)
        })
        .collect())
}

/// The newest progress note of each of `task_ids` that has one (a later
/// `created_at` wins; the higher id breaks a tie). Queried in chunks so a long list
/// stays within the backends' bound-parameter limits.
pub async fn latest_notes<C: ConnectionTrait>(
    conn: &C,
    task_ids: &[i32],
) -> Result<HashMap<i32, task_note::Model>, DbErr> {
    const CHUNK: usize = 1_000;
    let mut latest = HashMap::new();
    for ids in task_ids.chunks(CHUNK) {
        let notes = task_note::Entity::find()
            .filter(task_note::Column::TaskId.is_in(ids.iter().copied()))
            .order_by_desc(task_note::Column::CreatedAt)
            .order_by_desc(task_note::Column::Id)
            .all(conn)
            .await?;
        for note in notes {
            latest.entry(note.task_id).or_insert(note);
        }
    }
    Ok(latest)
}

/// One task's view, with its progress notes.
pub async fn detail<C: ConnectionTrait>(
    conn: &C,
    task: task::Model,
    at: Moment,
) -> Result<TaskView, DbErr> {
    let id = task.id;
    let notes = task_note::Entity::find()
        .filter(task_note::Column::TaskId.eq(id))
        .order_by_asc(task_note::Column::CreatedAt)
        .order_by_asc(task_note::Column::Id)
        .all(conn)
        .await?;
    let mut views = views(conn, vec![task], at).await?;
    let mut view = views
        .pop()
        .ok_or_else(|| DbErr::RecordNotFound(format!("task {id}")))?;
    view.notes = Some(notes.into_iter().map(|n| NoteView::new(n, at)).collect());
    Ok(view)
}

fn view(
    t: task::Model,
    owner: Option<String>,
    meeting_title: Option<String>,
    evidence: Vec<EvidenceView>,
    at: Moment,
) -> TaskView {
    TaskView {
        id: t.id,
        status: t.status,
        summary: t.summary,
        kind: t.kind,
        owner,
        owner_department_id: t.owner_department_id,
        suggested_owner: t.suggested_owner,
        due_kind: t.due_kind,
        due_on: t.due_on,
        due_meeting_id: t.due_meeting_id,
        body_id: t.body_id,
        meeting_id: t.meeting_id,
        meeting_title,
        minutes_id: t.minutes_id,
        speaker: t.speaker,
        confidence: t.confidence,
        evidence,
        completion_note: t.completion_note,
        cancel_reason: t.cancel_reason,
        merged_into_id: t.merged_into_id,
        version: t.version,
        created_at: at.local(t.created_at),
        updated_at: at.local(t.updated_at),
        confirmed_at: t.confirmed_at.map(|c| at.local(c)),
        completed_at: t.completed_at.map(|c| at.local(c)),
        notes: None,
    }
}
