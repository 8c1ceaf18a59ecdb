//! The task list is ordered by due date with undated tasks last, then id. PostgreSQL
//! serves that from `ix_task_status_due` (its ASC order puts NULLs last already);
//! SQLite puts NULLs first, so it gets an index on the expression the list orders by
//! (`due_on IS NULL, due_on, id`), saving a sort of every matching row per page.
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ix_task_status_undated_due";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection()
                .execute_unprepared(&format!(
                    "CREATE INDEX IF NOT EXISTS {INDEX} ON task (status, due_on IS NULL, due_on, id)"
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Sqlite {
            m.get_connection()
                .execute_unprepared(&format!("DROP INDEX IF EXISTS {INDEX}"))
                .await?;
        }
        Ok(())
    }
}
