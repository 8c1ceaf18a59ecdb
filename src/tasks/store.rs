//! Reading a task to change it, and writing it back guarded by its version.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect,
};

use super::{TaskError, view};
use crate::{clock::Moment, entities::task};

/// The task, locked for the rest of the transaction where the database can
/// (PostgreSQL `FOR UPDATE`; SQLite serialises writers anyway).
pub async fn load_for_update<C: ConnectionTrait>(
    conn: &C,
    id: i32,
) -> Result<task::Model, TaskError> {
    task::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(TaskError::NotFound(id))
}

/// Fails with the current state when the client's `If-Match` version is stale.
pub async fn check_version<C: ConnectionTrait>(
    conn: &C,
    task: &task::Model,
    expected: Option<i32>,
    at: Moment,
) -> Result<(), TaskError> {
    match expected {
        Some(version) if version != task.version => Err(stale(conn, task.clone(), at).await),
        _ => Ok(()),
    }
}

pub async fn stale<C: ConnectionTrait>(conn: &C, task: task::Model, at: Moment) -> TaskError {
    match view::detail(conn, task, at).await {
        Ok(current) => TaskError::Stale(Box::new(current)),
        Err(e) => TaskError::Db(e),
    }
}

/// Writes `after` over `before`, bumping the version; fails as stale when someone
/// else wrote in between (the `WHERE version = …` matched nothing).
pub async fn save<C: ConnectionTrait>(
    conn: &C,
    before: &task::Model,
    mut after: task::Model,
    at: Moment,
) -> Result<task::Model, TaskError> {
    after.id = before.id;
    after.version = before.version + 1;
    after.updated_at = at.now();
    let result = task::Entity::update_many()
        .set(after.clone().into_active_model().reset_all())
        .filter(task::Column::Id.eq(before.id))
        .filter(task::Column::Version.eq(before.version))
        .exec(conn)
        .await?;
    if result.rows_affected == 0 {
        let current = task::Entity::find_by_id(before.id)
            .one(conn)
            .await?
            .ok_or(TaskError::NotFound(before.id))?;
        return Err(stale(conn, current, at).await);
    }
    Ok(after)
}
