//! Merging duplicate drafts: the extractor may find one request in two places.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};

use super::{Actor, Permission, TaskError, TaskView, access, audit, store, view};
use crate::{
    clock::Moment,
    domain::{EventAction, FieldIssue, TaskStatus},
    entities::task_evidence,
};

/// The most drafts merged at once.
pub const MAX_MERGE: usize = 100;

/// Merges the drafts `from` into the draft `into`: their evidence spans are copied
/// to `into` (after its own), and they become cancelled with `merged_into_id`.
pub async fn merge(
    db: &DatabaseConnection,
    actor: &Actor,
    into: i32,
    from: &[i32],
    at: Moment,
) -> Result<TaskView, TaskError> {
    if from.is_empty() {
        return Err(TaskError::invalid(
            "from",
            "name at least one draft to merge",
        ));
    }
    if from.len() > MAX_MERGE {
        return Err(TaskError::invalid(
            "from",
            format!("at most {MAX_MERGE} drafts"),
        ));
    }
    let mut unique = from.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != from.len() || unique.contains(&into) {
        return Err(TaskError::invalid(
            "from",
            "must list distinct drafts other than `into`",
        ));
    }
    let txn = db.begin().await?;
    let target = store::load_for_update(&txn, into).await?;
    access::check(actor, &target, Permission::Manage)?;
    let mut issues = Vec::new();
    if target.status != TaskStatus::Draft {
        issues.push(FieldIssue::new(
            "into",
            format!("task {into} is not a draft"),
        ));
    }
    let mut sources = Vec::with_capacity(from.len());
    for (i, id) in from.iter().enumerate() {
        match store::load_for_update(&txn, *id).await {
            Ok(task) if task.status == TaskStatus::Draft => sources.push(task),
            Ok(_) => issues.push(FieldIssue::new(
                format!("from[{i}]"),
                format!("task {id} is not a draft"),
            )),
            Err(TaskError::NotFound(_)) => issues.push(FieldIssue::new(
                format!("from[{i}]"),
                format!("no task {id}"),
            )),
            Err(other) => return Err(other),
        }
    }
    if !issues.is_empty() {
        return Err(TaskError::Invalid(issues));
    }

    let existing = task_evidence::Entity::find()
        .filter(task_evidence::Column::TaskId.eq(into))
        .all(&txn)
        .await?;
    let mut position = existing.iter().map(|e| e.position + 1).max().unwrap_or(0);
    let evidence_before = existing.len();
    let mut copied = 0;
    for source in &sources {
        for row in task_evidence::Entity::find()
            .filter(task_evidence::Column::TaskId.eq(source.id))
            .order_by_asc(task_evidence::Column::Position)
            .order_by_asc(task_evidence::Column::Id)
            .all(&txn)
            .await?
        {
            task_evidence::ActiveModel {
                task_id: Set(into),
                minutes_id: Set(row.minutes_id),
                position: Set(position),
                quote: Set(row.quote),
                span_start: Set(row.span_start),
                span_end: Set(row.span_end),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            position += 1;
            copied += 1;
        }
        let mut after = source.clone();
        after.status = TaskStatus::Cancelled;
        after.merged_into_id = Some(into);
        after.cancel_reason = Some(format!("merged into {into}"));
        let mut changes = audit::Changes::new();
        changes
            .diff("status", source.status.as_str(), after.status.as_str())
            .diff("merged_into_id", source.merged_into_id, Some(into))
            .diff(
                "cancel_reason",
                source.cancel_reason.clone(),
                after.cancel_reason.clone(),
            );
        store::save(&txn, source, after, at).await?;
        audit::record(
            &txn,
            actor,
            source.id,
            EventAction::MergedAway,
            changes,
            at.now(),
        )
        .await?;
    }
    let mut changes = audit::Changes::new();
    changes
        .set("merged_from", None::<Vec<i32>>, from.to_vec())
        .diff("evidence", evidence_before, evidence_before + copied);
    // The target's row gets a new version too: its evidence changed.
    let saved = store::save(&txn, &target, target.clone(), at).await?;
    audit::record(&txn, actor, into, EventAction::Merged, changes, at.now()).await?;
    let view = view::detail(&txn, saved, at).await?;
    txn.commit().await?;
    Ok(view)
}
