use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::{fresh_postgres_database, postgres_base_url, sqlite_url};

async fn applies_from_empty_and_is_idempotent(url: &str) {
    let db = Database::connect(url).await.expect("connect");
    Migrator::up(&db, None).await.expect("first run");
    let applied = Migrator::get_applied_migrations(&db).await.expect("list");
    assert_eq!(applied.len(), Migrator::migrations().len());
    Migrator::up(&db, None)
        .await
        .expect("second run changes nothing");
    assert!(
        Migrator::get_pending_migrations(&db)
            .await
            .expect("pending")
            .is_empty()
    );
    // The schema is really there: the tables the app relies on answer queries.
    for table in [
        "task",
        "task_event",
        "outbox",
        "meeting",
        "minutes",
        "department",
        "user",
    ] {
        let quoted = format!("SELECT COUNT(*) AS n FROM \"{table}\"");
        db.query_one_raw(Statement::from_string(db.get_database_backend(), quoted))
            .await
            .unwrap_or_else(|e| panic!("table {table}: {e}"));
    }
    Migrator::down(&db, None).await.expect("down");
    Migrator::up(&db, None).await.expect("up again after down");
}

#[tokio::test]
async fn migrations_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    applies_from_empty_and_is_idempotent(&sqlite_url(dir.path().join("m.db"))).await;
}

#[tokio::test]
async fn migrations_on_postgres() {
    let Some(base) = postgres_base_url() else {
        eprintln!("TEST_POSTGRES_URL is not set: skipping");
        return;
    };
    applies_from_empty_and_is_idempotent(&fresh_postgres_database(&base).await).await;
}
