use sea_orm::entity::prelude::*;

/// The original file of a minutes row, as uploaded. Kept apart from `minutes` so
/// that reading a meeting never loads the file; written once, in the import's
/// transaction, and deleted with its minutes.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "minutes_file")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub minutes_id: i32,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    #[sea_orm(column_type = "Blob")]
    pub content: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
