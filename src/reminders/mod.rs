//! Reminders that are never lost and never doubled. Planning: the kinds
//! (weekly digest, before the meeting, escalation; [`kinds`]) decide from a
//! [`snapshot`] which letters are due, [`render`] turns them into mails and
//! [`run`] queues them in a transactional [`outbox`] with a UNIQUE dedupe key.
//! Sending: a leasing [`sender`] with backoff, driven by the [`scheduler`]. And
//! the signed one-click "done" links carried in the mails.
pub mod kinds;
pub mod lease;
pub mod links;
pub mod one_click;
pub mod outbox;
mod planned;
mod render;
mod run;
pub mod scheduler;
pub mod sender;
mod snapshot;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr};

pub use kinds::{KINDS, ReminderKind};
pub use links::{LinkError, LinkSigner};
pub use planned::{Mode, PlanReport, PlannedMail};
pub use run::{plan_all, plan_one};
pub use scheduler::{TickReport, tick};
pub use sender::{SendReport, send_due};

#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Template(#[from] crate::mail::TemplateError),
}

/// The meeting `meeting_id` moved away from `old_date`: its reminders for that
/// date that have not gone out are withdrawn (see [`outbox::supersede`]); how
/// many. Call it in the transaction that moves the meeting.
pub async fn withdraw_moved_meeting(
    db: &impl ConnectionTrait,
    meeting_id: i32,
    old_date: NaiveDate,
) -> Result<u64, DbErr> {
    outbox::supersede(db, &kinds::meeting_prefix(meeting_id, old_date)).await
}
