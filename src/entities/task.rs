use sea_orm::entity::prelude::*;

use crate::domain::{DueKind, TaskKind, TaskStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "task")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub body_id: i32,
    pub meeting_id: i32,
    pub minutes_id: Option<i32>,
    pub status: TaskStatus,
    #[sea_orm(column_type = "Text")]
    pub summary: String,
    pub kind: TaskKind,
    pub speaker: Option<String>,
    pub confidence: f64,
    /// The owner as the extractor read it, kept when it matched no department.
    pub suggested_owner: Option<String>,
    pub owner_department_id: Option<i32>,
    pub due_kind: DueKind,
    pub due_on: Option<Date>,
    /// The meeting a `next_meeting` due date is bound to; its date is copied to `due_on`.
    pub due_meeting_id: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub completion_note: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub merged_into_id: Option<i32>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub confirmed_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
