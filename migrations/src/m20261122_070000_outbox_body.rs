//! The mail bodies leave the outbox row for a table of their own. Every status
//! change of a row (claim with lease, sent, retry bookkeeping) rewrites the whole
//! row: in SQLite the record with its overflow pages, in PostgreSQL a new tuple
//! version. With bodies of several hundred KB that rewrite cost more than the SMTP
//! send. `outbox_body` is written once, at insert, and read once per claim.
//!
//! `ALTER TABLE … DROP COLUMN` is safe on both backends here: PostgreSQL has it,
//! and SQLite since 3.35 (the bundled one is newer) for columns that are not
//! keys, indexed or referenced, which the two body columns are not.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// SQLite too: a failure between the copy and the drops must not leave the
    /// bodies in both places.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(OutboxBody::Table)
                .if_not_exists()
                .col(integer(OutboxBody::OutboxId).primary_key())
                .col(text(OutboxBody::BodyText))
                .col(text_null(OutboxBody::BodyHtml))
                .foreign_key(
                    ForeignKey::create()
                        .from(OutboxBody::Table, OutboxBody::OutboxId)
                        .to(Outbox::Table, Outbox::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Plain SQL that both backends read the same way.
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO outbox_body (outbox_id, body_text, body_html) \
                 SELECT id, body_text, body_html FROM outbox",
            )
            .await?;
        // SQLite takes one change per ALTER TABLE.
        for column in [Outbox::BodyText, Outbox::BodyHtml] {
            m.alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // NOT NULL needs a default for the rows that exist; the copy fills it.
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(text(Outbox::BodyText).default(""))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Outbox::Table)
                .add_column(text_null(Outbox::BodyHtml))
                .to_owned(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE outbox SET \
                 body_text = (SELECT b.body_text FROM outbox_body b WHERE b.outbox_id = outbox.id), \
                 body_html = (SELECT b.body_html FROM outbox_body b WHERE b.outbox_id = outbox.id) \
                 WHERE EXISTS (SELECT 1 FROM outbox_body b WHERE b.outbox_id = outbox.id)",
            )
            .await?;
        m.drop_table(
            Table::drop()
                .table(OutboxBody::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    BodyText,
    BodyHtml,
}

#[derive(DeriveIden)]
enum OutboxBody {
    Table,
    OutboxId,
    BodyText,
    BodyHtml,
}
