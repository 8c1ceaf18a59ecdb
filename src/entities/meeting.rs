use sea_orm::entity::prelude::*;

use crate::domain::MeetingStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub body_id: i32,
    pub title: String,
    pub held_on: Date,
    /// Local time "HH:MM" in the configured time zone.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub status: MeetingStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
