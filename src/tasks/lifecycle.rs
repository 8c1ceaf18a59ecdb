//! The lifecycle steps: confirm (draft → open), complete (open → done), cancel,
//! reject (draft → cancelled), reopen (done → open), edit, progress notes.
//! Each step: lock the row, check permission, then the client's version, then the
//! status; write the row and its audit event in one transaction.
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};

use super::{
    Actor, DueInput, NoteView, Permission, TaskError, TaskView, access, audit, due, owner, store,
    view,
};
use crate::{
    clock::Moment,
    domain::{DueKind, EventAction, FieldIssue, TaskStatus, storable},
    entities::{department, task, task_note},
};

/// The longest note, completion note or reason accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// What `confirm` may set while it confirms; empty accepts the draft as extracted.
#[derive(Debug, Clone, Default)]
pub struct ConfirmInput {
    /// A reworded summary, saved with the confirmation (so a refused confirmation
    /// leaves the draft as it was).
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub due: DueInput,
}

#[derive(Debug, Clone)]
pub struct BulkConfirmItem {
    pub id: i32,
    pub input: ConfirmInput,
}

/// What `edit` changes; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct EditInput {
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub due: DueInput,
}

fn require_status(
    task: &task::Model,
    allowed: &[TaskStatus],
    action: &'static str,
) -> Result<(), TaskError> {
    if allowed.contains(&task.status) {
        Ok(())
    } else {
        Err(TaskError::WrongStatus {
            status: task.status,
            action,
        })
    }
}

/// Keeps a validation failure in `issues`, so that one answer lists every problem
/// of the input; any other error ends the step.
fn gather<T>(
    result: Result<T, TaskError>,
    issues: &mut Vec<FieldIssue>,
) -> Result<Option<T>, TaskError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(TaskError::Invalid(found)) => {
            issues.extend(found);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

fn required_text(field: &str, text: &str) -> Result<String, TaskError> {
    let text = text.trim();
    if !storable(text) {
        Err(TaskError::invalid(field, "must not contain NUL characters"))
    } else if text.is_empty() {
        Err(TaskError::invalid(field, "must not be empty"))
    } else if text.chars().count() > MAX_TEXT_CHARS {
        Err(TaskError::invalid(
            field,
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        ))
    } else {
        Ok(text.to_owned())
    }
}

async fn owner_name<C: ConnectionTrait>(
    conn: &C,
    id: Option<i32>,
) -> Result<Option<String>, TaskError> {
    Ok(match id {
        Some(id) => department::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|d| d.name),
        None => None,
    })
}

fn due_changes(changes: &mut audit::Changes, before: &task::Model, after: &task::Model) {
    changes
        .diff(
            "due_kind",
            before.due_kind.as_str(),
            after.due_kind.as_str(),
        )
        .diff(
            "due_on",
            before.due_on.map(|d| d.to_string()),
            after.due_on.map(|d| d.to_string()),
        )
        .diff(
            "due_meeting_id",
            before.due_meeting_id,
            after.due_meeting_id,
        );
}

/// Locks the task and runs the checks every step shares.
async fn begin_step<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    permission: Permission,
    at: Moment,
) -> Result<task::Model, TaskError> {
    let before = store::load_for_update(conn, id).await?;
    access::check(actor, &before, permission)?;
    store::check_version(conn, &before, if_match, at).await?;
    Ok(before)
}

/// Saves, records the event and answers the new state.
async fn finish_step<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    before: &task::Model,
    after: task::Model,
    action: EventAction,
    changes: audit::Changes,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let saved = store::save(conn, before, after, at).await?;
    audit::record(conn, actor, before.id, action, changes, at.now()).await?;
    Ok(view::detail(conn, saved, at).await?)
}

/// draft → open, setting owner and due date when given (see the module rule).
pub async fn confirm(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    input: ConfirmInput,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let txn = db.begin().await?;
    let view = confirm_in(&txn, actor, id, if_match, input, "", at).await?;
    txn.commit().await?;
    Ok(view)
}

async fn confirm_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    input: ConfirmInput,
    prefix: &str,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let before = begin_step(conn, actor, id, if_match, Permission::Manage, at).await?;
    require_status(&before, &[TaskStatus::Draft], "confirmed")?;
    let mut after = before.clone();
    let mut issues = Vec::new();

    if let Some(summary) = input.summary.as_deref()
        && let Some(summary) = gather(
            required_text(&format!("{prefix}summary"), summary),
            &mut issues,
        )?
    {
        after.summary = summary;
    }
    let owner_field = format!("{prefix}owner");
    match input.owner.as_deref() {
        Some(name) => {
            if let Some(d) = gather(owner::require(conn, &owner_field, name).await, &mut issues)? {
                after.owner_department_id = Some(d.id);
            }
        }
        None if after.owner_department_id.is_some() => {}
        None => {
            if let Some(name) = after.suggested_owner.as_deref() {
                after.owner_department_id = owner::find(conn, name).await?.map(|d| d.id);
            }
        }
    }
    if after.owner_department_id.is_none() && issues.is_empty() {
        issues.push(FieldIssue::new(
            owner_field,
            "a task needs an owner department to be confirmed",
        ));
    }

    match input.due.choice(prefix) {
        Err(issue) => issues.push(issue),
        Ok(Some(choice)) => due::apply(conn, &mut after, choice, at.today()).await?,
        Ok(None) if after.due_kind == DueKind::None => issues.push(FieldIssue::new(
            format!("{prefix}due_on"),
            "the draft has no due date: give due_on or due_next_meeting, or due_kind `asap` \
             or `none` to confirm it without one",
        )),
        Ok(None) if after.due_kind == DueKind::NextMeeting && after.due_meeting_id.is_none() => {
            // Bind now if a meeting was scheduled since the import.
            let extracted = after.due_on;
            due::apply(conn, &mut after, super::DueChoice::NextMeeting, at.today()).await?;
            if after.due_meeting_id.is_none() {
                after.due_on = extracted;
            }
        }
        Ok(None) => {}
    }
    if !issues.is_empty() {
        return Err(TaskError::Invalid(issues));
    }

    after.status = TaskStatus::Open;
    after.confirmed_at = Some(at.now());
    let mut changes = audit::Changes::new();
    changes.diff("status", before.status.as_str(), after.status.as_str());
    changes.diff("summary", before.summary.clone(), after.summary.clone());
    changes.diff(
        "owner",
        owner_name(conn, before.owner_department_id).await?,
        owner_name(conn, after.owner_department_id).await?,
    );
    due_changes(&mut changes, &before, &after);
    finish_step(
        conn,
        actor,
        &before,
        after,
        EventAction::Confirmed,
        changes,
        at,
    )
    .await
}

/// Confirms all `items` or none: on any invalid item nothing changes and the answer
/// lists every item's problems (`items[i].field`).
pub async fn bulk_confirm(
    db: &DatabaseConnection,
    actor: &Actor,
    items: Vec<BulkConfirmItem>,
    at: Moment,
) -> Result<Vec<TaskView>, TaskError> {
    if items.is_empty() {
        return Err(TaskError::invalid("items", "must not be empty"));
    }
    let txn = db.begin().await?;
    let mut issues = Vec::new();
    let mut confirmed = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.into_iter().enumerate() {
        let prefix = format!("items[{i}].");
        if !seen.insert(item.id) {
            issues.push(FieldIssue::new(format!("{prefix}id"), "listed twice"));
            continue;
        }
        match confirm_in(&txn, actor, item.id, None, item.input, &prefix, at).await {
            Ok(view) => confirmed.push(view),
            Err(TaskError::Invalid(found)) => issues.extend(found),
            Err(e @ (TaskError::NotFound(_) | TaskError::WrongStatus { .. })) => {
                issues.push(FieldIssue::new(format!("{prefix}id"), e.to_string()))
            }
            Err(other) => return Err(other),
        }
    }
    if !issues.is_empty() {
        // Dropping the transaction rolls back the items already confirmed.
        return Err(TaskError::Invalid(issues));
    }
    txn.commit().await?;
    Ok(confirmed)
}

/// open → done, with a completion note (owner department or secretariat).
pub async fn complete(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    note: &str,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let txn = db.begin().await?;
    let view = complete_in(&txn, actor, id, if_match, note, at).await?;
    txn.commit().await?;
    Ok(view)
}

/// [`complete`] inside the caller's transaction (the one-click link also marks its
/// token used in it).
pub async fn complete_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    note: &str,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let note = required_text("note", note)?;
    let before = begin_step(conn, actor, id, if_match, Permission::Report, at).await?;
    require_status(&before, &[TaskStatus::Open], "completed")?;
    let mut after = before.clone();
    after.status = TaskStatus::Done;
    after.completion_note = Some(note);
    after.completed_at = Some(at.now());
    let mut changes = audit::Changes::new();
    changes
        .diff("status", before.status.as_str(), after.status.as_str())
        .diff(
            "completion_note",
            before.completion_note.clone(),
            after.completion_note.clone(),
        );
    finish_step(
        conn,
        actor,
        &before,
        after,
        EventAction::Completed,
        changes,
        at,
    )
    .await
}

/// draft | open → cancelled, with a reason (secretariat).
pub async fn cancel(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    reason: &str,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let reason = required_text("reason", reason)?;
    let allowed = &[TaskStatus::Draft, TaskStatus::Open];
    let step = CancelStep {
        allowed,
        action: EventAction::Cancelled,
        refused_as: "cancelled",
    };
    cancel_with(db, actor, id, if_match, reason, step, at).await
}

/// A draft that is not a task: draft → cancelled with the reason "rejected".
pub async fn reject(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let step = CancelStep {
        allowed: &[TaskStatus::Draft],
        action: EventAction::Rejected,
        refused_as: "rejected",
    };
    cancel_with(db, actor, id, if_match, "rejected".to_owned(), step, at).await
}

/// Which cancellation: cancel (draft or open) or reject (a draft).
struct CancelStep<'a> {
    allowed: &'a [TaskStatus],
    action: EventAction,
    /// The participle a refusal names ("it cannot be rejected").
    refused_as: &'static str,
}

async fn cancel_with(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    reason: String,
    step: CancelStep<'_>,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let txn = db.begin().await?;
    let before = begin_step(&txn, actor, id, if_match, Permission::Manage, at).await?;
    require_status(&before, step.allowed, step.refused_as)?;
    let mut after = before.clone();
    after.status = TaskStatus::Cancelled;
    after.cancel_reason = Some(reason);
    let mut changes = audit::Changes::new();
    changes
        .diff("status", before.status.as_str(), after.status.as_str())
        .diff(
            "cancel_reason",
            before.cancel_reason.clone(),
            after.cancel_reason.clone(),
        );
    let view = finish_step(&txn, actor, &before, after, step.action, changes, at).await?;
    txn.commit().await?;
    Ok(view)
}

/// done → open (secretariat); the completion note is cleared (kept in the audit trail).
pub async fn reopen(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    reason: Option<&str>,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let reason = reason.map(|r| required_text("reason", r)).transpose()?;
    let txn = db.begin().await?;
    let before = begin_step(&txn, actor, id, if_match, Permission::Manage, at).await?;
    require_status(&before, &[TaskStatus::Done], "reopened")?;
    let mut after = before.clone();
    after.status = TaskStatus::Open;
    after.completion_note = None;
    after.completed_at = None;
    let mut changes = audit::Changes::new();
    changes
        .diff("status", before.status.as_str(), after.status.as_str())
        .diff(
            "completion_note",
            before.completion_note.clone(),
            None::<String>,
        );
    if let Some(reason) = reason {
        changes.set("reason", None::<String>, reason);
    }
    let view = finish_step(
        &txn,
        actor,
        &before,
        after,
        EventAction::Reopened,
        changes,
        at,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// Edits summary, owner and due date of a draft or open task (secretariat). The
/// HTTP layer requires `If-Match` for this one: an edit states what it was based on.
pub async fn edit(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    input: EditInput,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let txn = db.begin().await?;
    let before = begin_step(&txn, actor, id, if_match, Permission::Manage, at).await?;
    require_status(&before, &[TaskStatus::Draft, TaskStatus::Open], "edited")?;
    let mut after = before.clone();
    let mut issues = Vec::new();
    if let Some(summary) = input.summary.as_deref()
        && let Some(summary) = gather(required_text("summary", summary), &mut issues)?
    {
        after.summary = summary;
    }
    if let Some(name) = input.owner.as_deref()
        && let Some(d) = gather(owner::require(&txn, "owner", name).await, &mut issues)?
    {
        after.owner_department_id = Some(d.id);
    }
    match input.due.choice("") {
        Err(issue) => issues.push(issue),
        Ok(Some(choice)) => due::apply(&txn, &mut after, choice, at.today()).await?,
        Ok(None) => {}
    }
    if !issues.is_empty() {
        return Err(TaskError::Invalid(issues));
    }
    let mut changes = audit::Changes::new();
    changes.diff("summary", before.summary.clone(), after.summary.clone());
    changes.diff(
        "owner",
        owner_name(&txn, before.owner_department_id).await?,
        owner_name(&txn, after.owner_department_id).await?,
    );
    due_changes(&mut changes, &before, &after);
    if changes.is_empty() {
        // Nothing to change: no new version, no event.
        return Ok(view::detail(&txn, before, at).await?);
    }
    let view = finish_step(
        &txn,
        actor,
        &before,
        after,
        EventAction::Edited,
        changes,
        at,
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// A progress note on an open task (owner department or secretariat).
pub async fn add_note(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i32,
    if_match: Option<i32>,
    body: &str,
    at: Moment,
) -> Result<NoteView, TaskError> {
    let body = required_text("body", body)?;
    let txn = db.begin().await?;
    let task = begin_step(&txn, actor, id, if_match, Permission::Report, at).await?;
    require_status(&task, &[TaskStatus::Open], "annotated")?;
    let note = task_note::ActiveModel {
        task_id: Set(task.id),
        author_user_id: Set(actor.user_id),
        author_label: Set(actor.label.clone()),
        body: Set(body.clone()),
        created_at: Set(at.now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut changes = audit::Changes::new();
    changes.set("note", None::<String>, body);
    audit::record(
        &txn,
        actor,
        task.id,
        EventAction::NoteAdded,
        changes,
        at.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(NoteView::new(note, at))
}
