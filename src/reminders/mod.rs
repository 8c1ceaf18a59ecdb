//! Reminders that are never lost and never doubled: planning (weekly digest,
//! before-the-meeting reminders, escalation) into a transactional outbox with a
//! UNIQUE dedupe key, a leasing sender with backoff, the scheduler loop, and the
//! signed one-click "done" links carried in the mails.
pub mod links;
pub mod one_click;
pub mod one_click_use;
pub mod outbox;
pub mod plan;
pub mod scheduler;
pub mod sender;

pub use links::{LinkError, LinkSigner};
pub use plan::{
    Mode, PlanReport, PlannedMail, plan_all, plan_escalations, plan_pre_meeting, plan_weekly,
};
pub use scheduler::{TickReport, tick};
pub use sender::{SendReport, send_due};

#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Template(#[from] crate::mail::TemplateError),
}
