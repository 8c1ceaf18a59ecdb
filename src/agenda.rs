//! What spans meetings, tasks and reminders, above all three (which know
//! nothing of this module): scheduling or moving a meeting — the meeting row,
//! the tasks due by the next meeting following it, and the withdrawal of a moved
//! meeting's unsent reminders, in one transaction — and a meeting with its tasks.
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    clock::Moment,
    domain::TaskStatus,
    meetings::{self, MeetingChange, MeetingError, MeetingView, MinutesView, NewMeeting},
    reminders,
    tasks::{self, Actor, TaskError, TaskFilter, TaskView},
};

#[derive(Debug, thiserror::Error)]
pub enum AgendaError {
    #[error(transparent)]
    Meeting(#[from] MeetingError),
    #[error(transparent)]
    Task(#[from] TaskError),
}

impl From<DbErr> for AgendaError {
    fn from(error: DbErr) -> Self {
        Self::Meeting(error.into())
    }
}

/// A meeting with its minutes and how many tasks the reader may see, with the
/// link to page through them: never the tasks themselves, which a long file once
/// made tens of thousands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDetail {
    #[serde(flatten)]
    pub meeting: MeetingView,
    pub minutes: Vec<MinutesView>,
    pub tasks: MeetingTasks,
}

/// The counts of a meeting's tasks the reader may see (departments and viewers
/// do not see drafts) and where to list them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingTasks {
    pub total: u64,
    pub draft: u64,
    pub open: u64,
    pub done: u64,
    pub cancelled: u64,
    /// The tasks, a page at a time (`{items,total,page,page_size}`):
    /// `/api/v1/tasks?meeting={id}`.
    pub href: String,
}

/// Meeting `id` with its minutes and the counts of the tasks `actor` may see.
pub async fn meeting_detail(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    at: Moment,
) -> Result<MeetingDetail, AgendaError> {
    let (meeting, minutes) = meetings::get(db, id).await?;
    let counts = tasks::count_by_status(db, actor, &of_meeting(id), at).await?;
    let count = |wanted: TaskStatus| {
        counts
            .iter()
            .find(|(status, _)| *status == wanted)
            .map_or(0, |(_, n)| *n)
    };
    Ok(MeetingDetail {
        meeting,
        minutes,
        tasks: MeetingTasks {
            total: counts.iter().map(|(_, n)| n).sum(),
            draft: count(TaskStatus::Draft),
            open: count(TaskStatus::Open),
            done: count(TaskStatus::Done),
            cancelled: count(TaskStatus::Cancelled),
            href: format!("/api/v1/tasks?meeting={id}"),
        },
    })
}

/// The tasks of meeting `id` that `actor` may see, for the review page (a file
/// yields at most `import.max_drafts`, so a meeting's list stays short).
pub async fn meeting_tasks(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    at: Moment,
) -> Result<Vec<TaskView>, AgendaError> {
    Ok(tasks::list_all(db, actor, &of_meeting(id), at).await?)
}

fn of_meeting(id: i32) -> TaskFilter {
    TaskFilter {
        meeting_id: Some(id),
        ..Default::default()
    }
}

/// The secretariat schedules a meeting of `body_id`; tasks due by the next
/// meeting rebind to it when it is now the earliest one.
pub async fn schedule(
    db: &DatabaseConnection,
    actor: &Actor,
    body_id: i32,
    new: NewMeeting,
    at: Moment,
) -> Result<MeetingView, AgendaError> {
    let txn = db.begin().await?;
    let created = meetings::schedule_in(&txn, body_id, new, at.today(), at.now()).await?;
    tasks::rebind_next_meeting_tasks_in(&txn, actor, body_id, at).await?;
    txn.commit().await?;
    Ok(created)
}

/// Moves or edits a scheduled meeting: the tasks bound to it follow (and rebind
/// when another meeting becomes the next one), and its unsent reminders for the
/// old date are withdrawn.
pub async fn reschedule(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    change: MeetingChange,
    at: Moment,
) -> Result<MeetingView, AgendaError> {
    let txn = db.begin().await?;
    let changed = meetings::change_in(&txn, id, change, at.today(), at.now()).await?;
    if changed.moved() {
        let withdrawn = reminders::withdraw_moved_meeting(&txn, id, changed.old_date).await?;
        if withdrawn > 0 {
            tracing::info!(
                meeting = id,
                old_date = %changed.old_date,
                new_date = %changed.meeting.held_on,
                withdrawn,
                "reminders for the old date withdrawn"
            );
        }
    }
    tasks::rebind_next_meeting_tasks_in(&txn, actor, changed.meeting.body_id, at).await?;
    txn.commit().await?;
    Ok(changed.meeting)
}
