//! One-click links that have been used: a used link is refused thereafter.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OneClickUse::Table)
                .if_not_exists()
                .col(string_len(OneClickUse::TokenHash, 64).primary_key())
                .col(integer(OneClickUse::TaskId))
                .col(integer(OneClickUse::DepartmentId))
                .col(string_len(OneClickUse::Purpose, 16))
                .col(timestamp_with_time_zone(OneClickUse::UsedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(OneClickUse::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum OneClickUse {
    Table,
    TokenHash,
    TaskId,
    DepartmentId,
    Purpose,
    UsedAt,
}
