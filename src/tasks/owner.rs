//! Owner departments by name or alias, inside the caller's transaction.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::{FieldIssue, TaskError};
use crate::{
    domain::DepartmentName,
    entities::{department, department_alias},
};

pub async fn find<C: ConnectionTrait>(
    conn: &C,
    name_or_alias: &str,
) -> Result<Option<department::Model>, DbErr> {
    if !super::storable(name_or_alias) {
        return Ok(None);
    }
    let Ok(name) = DepartmentName::parse(name_or_alias) else {
        return Ok(None);
    };
    if let Some(found) = department::Entity::find()
        .filter(department::Column::Name.eq(name.as_str()))
        .one(conn)
        .await?
    {
        return Ok(Some(found));
    }
    let Some(alias) = department_alias::Entity::find()
        .filter(department_alias::Column::Alias.eq(name.as_str()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    department::Entity::find_by_id(alias.department_id)
        .one(conn)
        .await
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
