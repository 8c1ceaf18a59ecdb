//! Tells every process sharing the database that data its read caches depend on has
//! changed. Triggers do it, so no writer can forget: `shukudai import` in another
//! process, a second `serve` instance, or an operator's SQL.
//!
//! - PostgreSQL: a statement-level trigger sends `NOTIFY shukudai_change`, which is
//!   delivered only on commit and never blocks another writer.
//! - SQLite: a row trigger bumps the one-row `change_signal` counter inside the
//!   writer's transaction (SQLite has one writer at a time, so the row is not a
//!   point of contention); instances poll it.
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables behind cached answers: task pages (tasks, their evidence, owner
/// departments and aliases, meetings) and authenticated principals (users, tokens,
/// sessions).
const WATCHED: [&str; 8] = [
    "task",
    "task_evidence",
    "department",
    "department_alias",
    "meeting",
    "user",
    "api_token",
    "session",
];
const OPERATIONS: [&str; 3] = ["INSERT", "UPDATE", "DELETE"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE OR REPLACE FUNCTION shukudai_signal_change() RETURNS trigger \
                     LANGUAGE plpgsql AS $$ BEGIN \
                     PERFORM pg_notify('shukudai_change', TG_TABLE_NAME); RETURN NULL; \
                     END $$",
                )
                .await?;
                for table in WATCHED {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER change_signal_{table} \
                         AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON \"{table}\" \
                         FOR EACH STATEMENT EXECUTE FUNCTION shukudai_signal_change()"
                    ))
                    .await?;
                }
            }
            _ => {
                db.execute_unprepared(
                    "CREATE TABLE change_signal (\
                     id INTEGER PRIMARY KEY CHECK (id = 1), \
                     generation INTEGER NOT NULL)",
                )
                .await?;
                db.execute_unprepared("INSERT INTO change_signal (id, generation) VALUES (1, 0)")
                    .await?;
                for table in WATCHED {
                    for operation in OPERATIONS {
                        let lower = operation.to_lowercase();
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER change_signal_{table}_{lower} \
                             AFTER {operation} ON \"{table}\" BEGIN \
                             UPDATE change_signal SET generation = generation + 1 WHERE id = 1; \
                             END"
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        match m.get_database_backend() {
            DbBackend::Postgres => {
                for table in WATCHED {
                    db.execute_unprepared(&format!(
                        "DROP TRIGGER IF EXISTS change_signal_{table} ON \"{table}\""
                    ))
                    .await?;
                }
                db.execute_unprepared("DROP FUNCTION IF EXISTS shukudai_signal_change()")
                    .await?;
            }
            _ => {
                for table in WATCHED {
                    for operation in OPERATIONS {
                        let lower = operation.to_lowercase();
                        db.execute_unprepared(&format!(
                            "DROP TRIGGER IF EXISTS change_signal_{table}_{lower}"
                        ))
                        .await?;
                    }
                }
                db.execute_unprepared("DROP TABLE IF EXISTS change_signal")
                    .await?;
            }
        }
        Ok(())
    }
}
