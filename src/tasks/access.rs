//! The one place that decides whether an actor may do something to one task.
//! Route-level roles are enforced by the HTTP extractors; this adds the per-task
//! rules (drafts are the secretariat's; a department acts only on its own tasks).
use super::{Actor, TaskError};
use crate::{domain::Role, entities::task};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Read,
    /// Progress notes and completion.
    Report,
    /// Review, edit, confirm, cancel, reopen, merge.
    Manage,
}

/// Whether `actor` may see tasks that were never confirmed (drafts, rejected drafts).
pub fn sees_unconfirmed(actor: &Actor) -> bool {
    actor.role.is_secretariat()
}

pub fn check(actor: &Actor, task: &task::Model, permission: Permission) -> Result<(), TaskError> {
    if actor.role.is_secretariat() {
        return Ok(());
    }
    // Unconfirmed tasks do not exist for the other roles: 404, not 403.
    if task.confirmed_at.is_none() {
        return Err(TaskError::NotFound(task.id));
    }
    match permission {
        Permission::Read => Ok(()),
        Permission::Report
            if actor.role == Role::Department
                && actor.department_id.is_some()
                && actor.department_id == task.owner_department_id =>
        {
            Ok(())
        }
        Permission::Report => Err(TaskError::Forbidden(
            "only the owner department or the secretariat may report on this task".into(),
        )),
        Permission::Manage => Err(TaskError::Forbidden(
            "only the secretariat may do this".into(),
        )),
    }
}
