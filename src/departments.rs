//! Departments (部署): names, parent, aliases such as 事務局, and mail recipients.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{DepartmentName, NameError, storable},
    entities::{department, department_alias, department_recipient},
};

/// The alias that marks a department as the secretariat (事務局) of the bodies.
pub const SECRETARIAT_ALIAS: &str = "事務局";

#[derive(Debug, thiserror::Error)]
pub enum DepartmentError {
    #[error("department name {0}")]
    InvalidName(#[from] NameError),
    #[error("a department or alias named `{0}` already exists")]
    Duplicate(String),
    #[error("no parent department named `{0}`")]
    NoSuchParent(String),
    #[error("the email address `{0}` is not valid")]
    InvalidEmail(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

pub struct NewDepartment {
    pub name: DepartmentName,
    pub parent: Option<DepartmentName>,
    pub aliases: Vec<DepartmentName>,
    pub emails: Vec<lettre::Address>,
}

impl NewDepartment {
    /// Parses raw CLI or form input.
    pub fn parse(
        name: &str,
        parent: Option<&str>,
        aliases: &[String],
        emails: &[String],
    ) -> Result<Self, DepartmentError> {
        Ok(Self {
            name: DepartmentName::parse(name)?,
            parent: parent.map(DepartmentName::parse).transpose()?,
            aliases: aliases
                .iter()
                .map(|a| DepartmentName::parse(a))
                .collect::<Result<_, _>>()?,
            emails: emails
                .iter()
                .map(|e| {
                    e.trim()
                        .parse()
                        .map_err(|_| DepartmentError::InvalidEmail(e.clone()))
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentView {
    pub id: i32,
    pub name: String,
    pub parent_id: Option<i32>,
    pub is_secretariat: bool,
    pub aliases: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Clone)]
pub struct Departments {
    db: DatabaseConnection,
}

impl Departments {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    pub async fn add(
        &self,
        new: NewDepartment,
        now: DateTime<Utc>,
    ) -> Result<department::Model, DepartmentError> {
        let txn = self.db.begin().await?;
        for name in std::iter::once(&new.name).chain(&new.aliases) {
            if find_by_name_or_alias(&txn, name.as_str()).await?.is_some() {
                return Err(DepartmentError::Duplicate(name.to_string()));
            }
        }
        let parent_id = match &new.parent {
            Some(parent) => Some(
                find_by_name_or_alias(&txn, parent.as_str())
                    .await?
                    .ok_or_else(|| DepartmentError::NoSuchParent(parent.to_string()))?
                    .id,
            ),
            None => None,
        };
        let is_secretariat = new.aliases.iter().any(|a| a.as_str() == SECRETARIAT_ALIAS);
        let created = department::ActiveModel {
            name: Set(new.name.into_inner()),
            parent_id: Set(parent_id),
            is_secretariat: Set(is_secretariat),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for alias in new.aliases {
            department_alias::ActiveModel {
                department_id: Set(created.id),
                alias: Set(alias.into_inner()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        for email in new.emails {
            department_recipient::ActiveModel {
                department_id: Set(created.id),
                email: Set(email.to_string()),
                locale: Set("ja".to_owned()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(created)
    }

    pub async fn list(&self) -> Result<Vec<DepartmentView>, DbErr> {
        let departments = department::Entity::find()
            .order_by_asc(department::Column::Id)
            .all(&self.db)
            .await?;
        let aliases = department_alias::Entity::find()
            .order_by_asc(department_alias::Column::Id)
            .all(&self.db)
            .await?;
        let recipients = department_recipient::Entity::find()
            .order_by_asc(department_recipient::Column::Id)
            .all(&self.db)
            .await?;
        Ok(departments
            .into_iter()
            .map(|d| DepartmentView {
                aliases: aliases
                    .iter()
                    .filter(|a| a.department_id == d.id)
                    .map(|a| a.alias.clone())
                    .collect(),
                emails: recipients
                    .iter()
                    .filter(|r| r.department_id == d.id)
                    .map(|r| r.email.clone())
                    .collect(),
                id: d.id,
                name: d.name,
                parent_id: d.parent_id,
                is_secretariat: d.is_secretariat,
            })
            .collect())
    }
}

/// The department whose name or one of whose aliases is `name_or_alias`
/// (NFKC-normalised, as names are stored); none for text no name can be.
pub async fn find_by_name_or_alias<C: ConnectionTrait>(
    conn: &C,
    name_or_alias: &str,
) -> Result<Option<department::Model>, DbErr> {
    if !storable(name_or_alias) {
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
