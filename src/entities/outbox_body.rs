use sea_orm::entity::prelude::*;

/// The bodies of an outbox row, kept apart so that the row's status updates do
/// not rewrite hundreds of KB each time. Written once with its row, in the same
/// transaction; deleted with it.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_body")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub outbox_id: i32,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub body_html: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
