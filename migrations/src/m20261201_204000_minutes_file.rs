//! The original file of imported minutes (a Word document, a PDF or the text as
//! uploaded), kept beside the decoded text that evidence offsets point into.
//! Its own table, keyed by the minutes row: the meeting and list queries read
//! `minutes` and never pull megabytes of file content along.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(MinutesFile::Table)
                .if_not_exists()
                .col(integer(MinutesFile::MinutesId).primary_key())
                .col(string_len(MinutesFile::ContentType, 128))
                .col(string_len(MinutesFile::Sha256, 64))
                .col(big_integer(MinutesFile::SizeBytes))
                .col(blob(MinutesFile::Content))
                .foreign_key(
                    ForeignKey::create()
                        .from(MinutesFile::Table, MinutesFile::MinutesId)
                        .to(Minutes::Table, Minutes::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(MinutesFile::Table)
                .if_exists()
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum MinutesFile {
    Table,
    MinutesId,
    ContentType,
    Sha256,
    SizeBytes,
    Content,
}

#[derive(DeriveIden)]
enum Minutes {
    Table,
    Id,
}
