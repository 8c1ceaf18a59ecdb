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
        "outbox_body",
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

/// Rows queued before the bodies moved keep them, now in `outbox_body`, and the
/// row no longer carries them; going back down puts them back.
async fn outbox_bodies_move_to_their_own_table(url: &str) {
    use sea_orm::EntityTrait;
    use shukudai::entities::outbox_body;

    let db = Database::connect(url).await.expect("connect");
    let backend = db.get_database_backend();
    let sql = |s: &str| Statement::from_string(backend, s.to_owned());
    let before = Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261122_070000_outbox_body")
        .expect("the migration is registered");
    Migrator::up(&db, Some(u32::try_from(before).expect("few")))
        .await
        .expect("up to the one before");
    db.execute_raw(sql(
        "INSERT INTO outbox (dedupe_key, kind, recipients, subject, body_text, body_html, \
         message_id, status, attempts, next_attempt_at, created_at) VALUES \
         ('weekly:2026-W47:dept:1', 'weekly', '[\"a@example.jp\"]', '件名', '本文', \
          '<p>本文</p>', '<m1@example.jp>', 'sent', 1, '2026-11-16 00:00:00+00:00', \
          '2026-11-16 00:00:00+00:00'), \
         ('weekly:2026-W47:dept:2', 'weekly', '[\"b@example.jp\"]', '件名', 'テキストのみ', \
          NULL, '<m2@example.jp>', 'pending', 0, '2026-11-16 00:00:00+00:00', \
          '2026-11-16 00:00:00+00:00')",
    ))
    .await
    .expect("rows queued before the move");

    Migrator::up(&db, None).await.expect("the move");
    let mut bodies = outbox_body::Entity::find().all(&db).await.expect("bodies");
    bodies.sort_by_key(|b| b.outbox_id);
    let texts: Vec<(&str, Option<&str>)> = bodies
        .iter()
        .map(|b| (b.body_text.as_str(), b.body_html.as_deref()))
        .collect();
    assert_eq!(
        texts,
        [("本文", Some("<p>本文</p>")), ("テキストのみ", None)]
    );
    assert!(
        db.query_one_raw(sql("SELECT body_text FROM outbox"))
            .await
            .is_err(),
        "the row no longer carries the body"
    );

    // Down through this migration (and any registered after it).
    let through = Migrator::migrations().len() - before;
    Migrator::down(&db, Some(u32::try_from(through).expect("few")))
        .await
        .expect("down through the move");
    let row = db
        .query_one_raw(sql(
            "SELECT body_text, body_html FROM outbox WHERE message_id = '<m1@example.jp>'",
        ))
        .await
        .expect("select")
        .expect("row");
    assert_eq!(
        row.try_get::<String>("", "body_text").expect("text"),
        "本文"
    );
    assert_eq!(
        row.try_get::<Option<String>>("", "body_html")
            .expect("html")
            .as_deref(),
        Some("<p>本文</p>")
    );
    Migrator::up(&db, None).await.expect("up again");
}

#[tokio::test]
async fn outbox_bodies_move_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    outbox_bodies_move_to_their_own_table(&sqlite_url(dir.path().join("m.db"))).await;
}

#[tokio::test]
async fn outbox_bodies_move_on_postgres() {
    let Some(base) = postgres_base_url() else {
        eprintln!("TEST_POSTGRES_URL is not set: skipping");
        return;
    };
    outbox_bodies_move_to_their_own_table(&fresh_postgres_database(&base).await).await;
}
