//! Connecting to SQLite or PostgreSQL and running the one migrator.
use std::{path::Path, time::Duration};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

use crate::config::DatabaseSettings;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot create the directory {path} for the SQLite database: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database {url}: {source}")]
    Connect { url: String, source: DbErr },
    #[error("migrating the database failed: {0}")]
    Migrate(DbErr),
}

/// Opens a connection pool; for a SQLite file, creates its directory first so a
/// fresh checkout needs no setup.
pub async fn connect(settings: &DatabaseSettings) -> Result<DatabaseConnection, DbSetupError> {
    if let Some(dir) = sqlite_file_dir(&settings.url) {
        std::fs::create_dir_all(dir).map_err(|source| DbSetupError::CreateDir {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            // WAL lets readers proceed while the single writer commits. In WAL mode
            // NORMAL syncs at checkpoints instead of at every commit: a commit
            // survives a crash of the process (the sender records each mail's
            // answer as it arrives, so a commit per answer must be cheap), and only
            // a power cut can undo the last ones.
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    Database::connect(options)
        .await
        .map_err(|source| DbSetupError::Connect {
            url: redact(&settings.url),
            source,
        })
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbSetupError> {
    Migrator::up(db, None).await.map_err(DbSetupError::Migrate)
}

pub async fn connect_and_migrate(
    settings: &DatabaseSettings,
) -> Result<DatabaseConnection, DbSetupError> {
    let db = connect(settings).await?;
    migrate(&db).await?;
    Ok(db)
}

/// Answers whether the database is reachable, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

pub fn is_postgres(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

fn sqlite_file_dir(url: &str) -> Option<&Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
}

/// Hides the password in a database URL before it is shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sqlite_directory() {
        assert_eq!(
            sqlite_file_dir("sqlite://data/shukudai.db?mode=rwc"),
            Some(Path::new("data"))
        );
        assert_eq!(sqlite_file_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_file_dir("postgres://u@h/db"), None);
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
