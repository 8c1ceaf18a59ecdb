//! Using a one-click link: checking it (GET, no state change) and marking the task
//! done with it (POST, one transaction).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    ExprTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};

use super::{
    links::{LinkClaims, LinkError, LinkSigner, Purpose},
    one_click_use,
};
use crate::{
    config::Settings,
    entities::{department, meeting, task, task_event},
};

#[derive(Debug, thiserror::Error)]
pub enum OneClickError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("the link has already been used")]
    Used,
    #[error("the item no longer exists")]
    TaskNotFound,
    #[error("the item now belongs to another department")]
    WrongDepartment,
    #[error("the item is no longer open (it is {0})")]
    NotOpen(String),
    #[error("database: {0}")]
    Db(#[from] DbErr),
}

/// What the confirmation page shows.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub claims: LinkClaims,
    pub task: task::Model,
    pub department_name: String,
    pub origin: Option<meeting::Model>,
}

async fn check(
    db: &impl ConnectionTrait,
    signer: &LinkSigner,
    token: &str,
    now: DateTime<Utc>,
) -> Result<LinkTarget, OneClickError> {
    let claims = signer.verify(token, now)?;
    if one_click_use::Entity::find_by_id(claims.token_hash.clone())
        .one(db)
        .await?
        .is_some()
    {
        return Err(OneClickError::Used);
    }
    let task = task::Entity::find_by_id(claims.task_id)
        .one(db)
        .await?
        .ok_or(OneClickError::TaskNotFound)?;
    if task.owner_department_id != Some(claims.department_id) {
        return Err(OneClickError::WrongDepartment);
    }
    if task.status != "open" {
        return Err(OneClickError::NotOpen(task.status.clone()));
    }
    let department_name = department::Entity::find_by_id(claims.department_id)
        .one(db)
        .await?
        .map(|d| d.name)
        .unwrap_or_default();
    let origin = meeting::Entity::find_by_id(task.meeting_id).one(db).await?;
    Ok(LinkTarget {
        claims,
        task,
        department_name,
        origin,
    })
}

/// Validates a link for the confirmation page; changes nothing.
pub async fn inspect(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    now: DateTime<Utc>,
) -> Result<LinkTarget, OneClickError> {
    let signer = LinkSigner::load(db, settings).await?;
    check(db, &signer, token, now).await
}

/// Marks the task done through the link, records the link as used and the audit
/// event, all in one transaction.
pub async fn complete(
    db: &DatabaseConnection,
    settings: &Settings,
    token: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<task::Model, OneClickError> {
    let signer = LinkSigner::load(db, settings).await?;
    let txn = db.begin().await?;
    let target = check(&txn, &signer, token, now).await?;
    if target.claims.purpose != Purpose::Done {
        return Err(OneClickError::Link(LinkError::Invalid));
    }
    // Recording the use first: a concurrent second use fails on the primary key.
    one_click_use::ActiveModel {
        token_hash: Set(target.claims.token_hash.clone()),
        task_id: Set(target.task.id),
        department_id: Set(target.claims.department_id),
        purpose: Set(target.claims.purpose.as_str().to_owned()),
        used_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|_| OneClickError::Used)?;
    let actor = format!("ワンクリック ({})", target.department_name);
    let task = complete_task(
        &txn,
        target.task.id,
        target.claims.department_id,
        &actor,
        note,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(task)
}

/// open → done: version + 1, completion note and time, and a `complete` event.
/// The one place this branch changes a task; the tasks service may replace it.
pub async fn complete_task(
    db: &impl ConnectionTrait,
    task_id: i32,
    department_id: i32,
    actor_label: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<task::Model, OneClickError> {
    let note = note.trim();
    let note_value = (!note.is_empty()).then(|| note.to_owned());
    let result = task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value("done"))
        .col_expr(
            task::Column::Version,
            Expr::col(task::Column::Version).add(1),
        )
        .col_expr(
            task::Column::CompletionNote,
            Expr::value(note_value.clone()),
        )
        .col_expr(task::Column::CompletedAt, Expr::value(Some(now)))
        .col_expr(task::Column::UpdatedAt, Expr::value(now))
        .filter(task::Column::Id.eq(task_id))
        .filter(task::Column::Status.eq("open"))
        .filter(task::Column::OwnerDepartmentId.eq(department_id))
        .exec(db)
        .await?;
    let task = task::Entity::find_by_id(task_id)
        .one(db)
        .await?
        .ok_or(OneClickError::TaskNotFound)?;
    if result.rows_affected != 1 {
        return Err(if task.owner_department_id != Some(department_id) {
            OneClickError::WrongDepartment
        } else {
            OneClickError::NotOpen(task.status)
        });
    }
    task_event::ActiveModel {
        task_id: Set(task_id),
        actor_user_id: Set(None),
        actor_label: Set(actor_label.to_owned()),
        action: Set("complete".to_owned()),
        changes: Set(serde_json::json!({
            "status": ["open", "done"],
            "version": [task.version - 1, task.version],
            "completion_note": note_value,
            "via": "one_click",
        })),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(task)
}
