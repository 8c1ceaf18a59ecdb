use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "task_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub task_id: i32,
    pub minutes_id: Option<i32>,
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub quote: String,
    /// `[span_start, span_end)` in characters of the minutes text.
    pub span_start: Option<i32>,
    pub span_end: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
