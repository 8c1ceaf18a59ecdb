use sea_orm::DbErr;

use super::view::TaskView;
use crate::domain::{FieldIssue, TaskStatus};

#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("no task {0}")]
    NotFound(i32),
    #[error("no meeting {0}")]
    NoSuchMeeting(i32),
    #[error("{0}")]
    Forbidden(String),
    #[error("the task is {status}: it cannot be {action}")]
    WrongStatus {
        status: TaskStatus,
        action: &'static str,
    },
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldIssue>),
    /// The caller's version is not the current one; carries the current state.
    #[error("the task was changed by someone else")]
    Stale(Box<TaskView>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl TaskError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldIssue::new(field, message)])
    }
}
