//! What planning produces: rendered mails ready for the outbox, and the report
//! of a planning run. Shared by the planner and the outbox, which import
//! neither each other.
use serde::Serialize;

use crate::mail::MailKind;

/// One mail the planner decided on (to be, or already, queued).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedMail {
    pub dedupe_key: String,
    pub kind: MailKind,
    pub department_id: Option<i32>,
    pub recipients: Vec<String>,
    pub locale: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub items: usize,
}

/// What a planning run did: the mails it queued (or, dry, would queue).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanReport {
    pub queued: Vec<PlannedMail>,
    /// Departments that would have had mail but have no recipients.
    pub skipped_no_recipients: Vec<String>,
}

/// Whether a planning run queues its mails or only says what it would queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Queue,
    DryRun,
}
