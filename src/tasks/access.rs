//! The one place that decides whether an actor may do something to one task.
//! Route-level roles are enforced by the HTTP extractors; this adds the per-task
//! rules (drafts are the secretariat's; a department acts only on its own tasks).
use super::{Actor, TaskError, TaskView};
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

/// What the rules look at: a stored row or a view of one.
pub trait Guarded {
    fn task_id(&self) -> i32;
    fn was_confirmed(&self) -> bool;
    fn owner_department(&self) -> Option<i32>;
}

impl Guarded for task::Model {
    fn task_id(&self) -> i32 {
        self.id
    }
    fn was_confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
    fn owner_department(&self) -> Option<i32> {
        self.owner_department_id
    }
}

impl Guarded for TaskView {
    fn task_id(&self) -> i32 {
        self.id
    }
    fn was_confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
    fn owner_department(&self) -> Option<i32> {
        self.owner_department_id
    }
}

/// Whether `actor` may do `permission` to `task` (a page deciding what to offer).
pub fn permits(actor: &Actor, task: &impl Guarded, permission: Permission) -> bool {
    check(actor, task, permission).is_ok()
}

pub fn check(actor: &Actor, task: &impl Guarded, permission: Permission) -> Result<(), TaskError> {
    if actor.role.is_secretariat() {
        return Ok(());
    }
    // Unconfirmed tasks do not exist for the other roles: 404, not 403.
    if !task.was_confirmed() {
        return Err(TaskError::NotFound(task.task_id()));
    }
    match permission {
        Permission::Read => Ok(()),
        Permission::Report
            if actor.role == Role::Department
                && actor.department_id.is_some()
                && actor.department_id == task.owner_department() =>
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
