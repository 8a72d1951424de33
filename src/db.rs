//! Connecting to SQLite or PostgreSQL and applying migrations.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::Config;

/// Open the connection pool described by the configuration.
///
/// SQLite: the file (and its folder) is created if missing; write-ahead
/// logging, foreign keys and a busy timeout are switched on for every
/// connection. PostgreSQL: the optional schema becomes the search path.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let url = &config.database_url;
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(config.database_max_connections)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        create_sqlite_folder(url)?;
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    } else if let Some(schema) = &config.database_schema {
        options.set_schema_search_path(schema.clone());
    }
    Database::connect(options).await
}

fn create_sqlite_folder(url: &str) -> Result<(), DbErr> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create folder {}: {e}", parent.display())))?;
    }
    Ok(())
}

/// Apply every migration that has not run yet.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Begin a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), so it waits its turn under the busy timeout
/// instead of failing when another writer commits between its first read and
/// its first write; PostgreSQL ignores the mode.
pub async fn begin_write(db: &DatabaseConnection) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
