//! The database: one connection pool over SQLite (the default, one file in the data folder) or
//! PostgreSQL (`--database postgres://...`), the same queries and migrations for both through
//! sqlx's Any driver, and the tables' own small modules.
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: with NORMAL, a power cut can undo the last
//! transactions that were already answered "accepted" (WAL mode keeps the file consistent but
//! not those commits), and an undone acceptance lets the same code be accepted again. FULL
//! syncs the log at every commit, so "accepted" is only said of a durable change.

pub mod api_keys;
pub mod audit;
pub mod failures;
pub mod meta;
mod migrations;
pub mod questions;
pub mod tokens;
pub mod users;
pub mod web_sessions;

use std::path::Path;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection, Executor};

use crate::error::StartError;

/// The SQLite file's name inside the data folder.
const SQLITE_FILE: &str = "tessera.db";
/// Connections kept open; SQLite serialises writers anyway, PostgreSQL gains from more.
const MAX_CONNECTIONS: u32 = 16;
/// How long a request waits for a free connection before it is answered "busy".
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// The URL of the database: `url` when given, else the SQLite file in `data`.
pub fn url_for(data: &Path, url: Option<&str>) -> Result<String, StartError> {
    if let Some(url) = url {
        return Ok(url.to_owned());
    }
    let file = data.join(SQLITE_FILE);
    let file = file.to_str().ok_or(StartError::DataPathNotUtf8)?;
    Ok(format!("sqlite://{file}?mode=rwc"))
}

/// Creates the SQLite file owner-only when it does not exist yet, so the database (and the
/// `-wal` and `-shm` files SQLite gives the same mode) is never readable by others.
pub fn make_sqlite_file(data: &Path) -> Result<(), StartError> {
    let path = data.join(SQLITE_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(&path)
        .map(drop)
        .map_err(|e| StartError::file("create", &path, &e))
}

/// True for a SQLite URL.
fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

/// Opens the database at `url` and brings its schema up to date.
pub async fn open(url: &str) -> Result<AnyPool, StartError> {
    install_default_drivers();
    if is_sqlite(url) {
        // journal_mode is kept in the file; setting it needs a lock that cannot be waited
        // for, so it is set once here, before any other connection exists.
        let mut first = sqlx::AnyConnection::connect(url)
            .await
            .map_err(StartError::database)?;
        first
            .execute("PRAGMA journal_mode = WAL")
            .await
            .map_err(StartError::database)?;
        first.close().await.map_err(StartError::database)?;
    }
    let pool = AnyPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A SQLite connection is a file handle that cannot drop out, and checking it first is
        // one more round trip to its worker thread per query; a PostgreSQL connection can
        // (server restart, network), so it is checked before use.
        .test_before_acquire(!is_sqlite(url))
        .after_connect(|connection, _| {
            Box::pin(async move {
                if connection.backend_name() == "SQLite" {
                    connection
                        .execute("PRAGMA synchronous = FULL; PRAGMA busy_timeout = 10000")
                        .await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(StartError::database)?;
    migrations::run(&pool).await?;
    Ok(pool)
}

/// Unix seconds now.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Unix seconds as the BIGINT columns keep them.
pub fn as_column(seconds: u64) -> i64 {
    i64::try_from(seconds).unwrap_or(i64::MAX)
}

/// Unix milliseconds now, as the BIGINT columns keep them.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}
