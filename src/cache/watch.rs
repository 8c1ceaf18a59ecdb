//! Hears of changes committed by other processes (see the `change_signal`
//! migration) and moves the cache's epoch on. While it cannot be sure it hears
//! everything (not yet connected, connection lost, query failing) the cache is
//! bypassed.
use std::time::Duration;

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, sqlx::postgres::PgListener,
};

use super::ReadCache;

const CHANNEL: &str = "shukudai_change";
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Runs until dropped; spawn it beside the server.
pub async fn watch(db: DatabaseConnection, cache: ReadCache, poll: Duration) {
    if !cache.inner.enabled {
        return;
    }
    match db.get_database_backend() {
        DbBackend::Postgres => listen(&db, &cache).await,
        _ => poll_counter(&db, &cache, poll).await,
    }
}

async fn poll_counter(db: &DatabaseConnection, cache: &ReadCache, every: Duration) {
    let mut seen: Option<i64> = None;
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        match generation(db).await {
            Ok(now) => {
                if seen != Some(now) {
                    cache.changed();
                    seen = Some(now);
                }
                cache.set_tracking(true);
            }
            Err(error) => {
                if seen.take().is_some() {
                    tracing::warn!(%error, "cannot read the change counter; answering uncached");
                }
                cache.set_tracking(false);
            }
        }
    }
}

async fn generation(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let row = db
        .query_one_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT generation FROM change_signal WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("change_signal".into()))?;
    row.try_get("", "generation")
}

async fn listen(db: &DatabaseConnection, cache: &ReadCache) {
    loop {
        let mut listener = match subscribe(db).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot LISTEN for changes; answering uncached");
                cache.set_tracking(false);
                tokio::time::sleep(RETRY_AFTER).await;
                continue;
            }
        };
        // Whatever happened before LISTEN took effect is unknown: start afresh.
        cache.changed();
        cache.set_tracking(true);
        loop {
            match listener.try_recv().await {
                Ok(Some(_notification)) => cache.changed(),
                // The connection dropped and was re-established; notifications sent
                // in between are lost.
                Ok(None) => cache.changed(),
                Err(error) => {
                    tracing::warn!(%error, "lost the change notifications; answering uncached");
                    cache.set_tracking(false);
                    cache.changed();
                    break;
                }
            }
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

async fn subscribe(db: &DatabaseConnection) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect_with(db.get_postgres_connection_pool()).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
