//! Owner departments by name or alias, inside the caller's transaction.
use sea_orm::{ConnectionTrait, DbErr};

use super::TaskError;
use crate::{departments, domain::FieldIssue, entities::department};

/// The department named `name_or_alias`, if there is one.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    name_or_alias: &str,
) -> Result<Option<department::Model>, DbErr> {
    departments::find_by_name_or_alias(conn, name_or_alias).await
}

/// The department a client named, or a field error on `field`.
pub async fn require<C: ConnectionTrait>(
    conn: &C,
    field: &str,
    name_or_alias: &str,
) -> Result<department::Model, TaskError> {
    find(conn, name_or_alias).await?.ok_or_else(|| {
        TaskError::Invalid(vec![FieldIssue::new(
            field,
            format!("no department named `{}`", name_or_alias.trim()),
        )])
    })
}
