//! Who holds an outbox row's lease (`lease_owner`: host, boot, pid namespace, pid
//! and start time of the sending process), so that a sender restarted on the same
//! machine releases the rows a killed one left `sending` instead of waiting out
//! the lease. Rows claimed before this have none and keep waiting for expiry.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(text_null(Outbox::LeaseOwner))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .drop_column(Outbox::LeaseOwner)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    LeaseOwner,
}
