//! Tasks (宿題): the review of extracted drafts, the lifecycle draft → open → done |
//! cancelled, progress notes, and the audit trail.
//!
//! Every public function here takes a database connection (or an open transaction),
//! the [`Actor`] doing it and the request's [`Moment`](crate::clock::Moment) (its
//! instant, local date and time zone), and answers a [`TaskError`]; the
//! HTTP layer only translates. Functions that change something open their own
//! transaction unless their name ends in `_in` (those run inside the caller's one).
//!
//! Confirmation rule (`confirm`): a task needs an owner department to be opened; its
//! due date may be a date, the body's next meeting or "as soon as possible", and may
//! be "none" only when the secretariat says so explicitly (`"due_kind": "none"`), so
//! that an item the extractor found no due date for is not opened without a look.
mod access;
mod audit;
mod create;
mod due;
mod error;
mod lifecycle;
mod merge;
mod owner;
mod query;
pub mod rules;
mod store;
mod view;

use crate::domain::{AuthenticatedUser, Role};

pub use access::{Permission, permits, sees_unconfirmed};
pub use create::{NewDraft, NewEvidence, create_draft, create_drafts, create_drafts_in};
pub use due::{DueChoice, DueInput, rebind_next_meeting_tasks_in};
pub use error::TaskError;
pub use lifecycle::{
    BulkConfirmItem, ConfirmInput, EditInput, add_note, bulk_confirm, cancel, complete,
    complete_in, confirm, edit, reject, reopen,
};
pub use merge::merge;
pub use query::{TaskFilter, TaskQuery, events, get, list, list_all};
pub use view::{EventView, EvidenceView, NoteView, TaskPage, TaskView, latest_notes};

/// Who does something: recorded in the audit trail and checked by [`Permission`].
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub label: String,
    pub role: Role,
    pub department_id: Option<i32>,
}

impl Actor {
    /// A signed-in user.
    pub fn user(user: &AuthenticatedUser) -> Self {
        Self {
            user_id: Some(user.id),
            label: format!("{} ({})", user.display_name, user.login),
            role: user.role,
            department_id: user.department_id,
        }
    }

    /// The program itself (importer, CLI), with full rights; `label` names it in the audit trail.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
            role: Role::Admin,
            department_id: None,
        }
    }
}
