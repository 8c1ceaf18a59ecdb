//! Using a one-click link: checking it (GET, no state change) and marking the task
//! done with it (POST, one transaction).
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Set,
    TransactionTrait,
};

use super::links::{LinkClaims, LinkError, LinkSigner, Purpose};
use crate::{
    clock::Moment,
    config::Settings,
    domain::{Role, TaskStatus},
    entities::{department, meeting, one_click_use, task},
    tasks::{self, Actor, TaskError, TaskView},
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
    NotOpen(TaskStatus),
    #[error("a completion note is required")]
    NoteRequired,
    #[error("database: {0}")]
    Db(#[from] DbErr),
    #[error("completing the item failed: {0}")]
    Unexpected(Box<TaskError>),
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
    if task.status != TaskStatus::Open {
        return Err(OneClickError::NotOpen(task.status));
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
) -> Result<TaskView, OneClickError> {
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
    // The link speaks for the department it was sent to, with a department's rights.
    let actor = Actor {
        user_id: None,
        label: format!("ワンクリック ({})", target.department_name),
        role: Role::Department,
        department_id: Some(target.claims.department_id),
    };
    let at = Moment::new(now, settings.time_zone());
    let task = tasks::complete_in(&txn, &actor, target.task.id, None, note, at)
        .await
        .map_err(|error| match error {
            TaskError::Forbidden(_) => OneClickError::WrongDepartment,
            TaskError::NotFound(_) => OneClickError::TaskNotFound,
            TaskError::WrongStatus { status, .. } => OneClickError::NotOpen(status),
            TaskError::Invalid(_) => OneClickError::NoteRequired,
            TaskError::Db(db) => OneClickError::Db(db),
            other => OneClickError::Unexpected(Box::new(other)),
        })?;
    txn.commit().await?;
    Ok(task)
}
