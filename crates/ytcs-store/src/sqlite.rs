//! The SQLite engine: one file, WAL journal, foreign keys on.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::StoreError;

/// A store in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// The one write turn (see `common::WriteTx`).
    pub(crate) write_turn: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// The hierarchy and registry as last read (see `common::ReadCache`).
    pub(crate) cache: std::sync::Arc<crate::common::ReadCache>,
    /// Every period's totals in memory (see `held::HeldColumns`).
    pub(crate) columns: std::sync::Arc<crate::held::HeldColumns>,
    /// The database file (`None`: in memory).
    pub(crate) path: Option<std::path::PathBuf>,
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl SqliteStore {
    /// Opens or creates the database file (and its directory) and migrates it.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let opts = SqliteConnectOptions::from_str("sqlite://")
            .map_err(|source| StoreError::Connect {
                target: path.display().to_string(),
                source,
            })?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // The write-ahead log is cut back to 64 MB once checkpointed: a
            // large load left it at 5.7 GB on disk for good.
            .pragma("journal_size_limit", "67108864")
            // Writers of this process queue for the write turn; the busy
            // timeout is for other processes (the CLI beside the server)
            // and single-statement writes.
            .busy_timeout(Duration::from_secs(60));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .map_err(|source| classify(path, source))?;
        MIGRATOR.run(&pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(source) => classify(path, source),
            other => StoreError::Migrate(other),
        })?;
        // A first load of the registers a crash stopped is undone.
        let file = path.to_path_buf();
        tokio::task::spawn_blocking(move || crate::registers_load::recover(&file))
            .await
            .map_err(|e| StoreError::Invalid(format!("recovering a register load: {e}")))??;
        Ok(SqliteStore {
            pool,
            write_turn: Default::default(),
            cache: Default::default(),
            columns: std::sync::Arc::new(crate::held::HeldColumns::beside(path)),
            path: Some(path.to_path_buf()),
        })
    }

    /// An in-memory database (for tests and benchmarks).
    pub async fn memory() -> Result<Self, StoreError> {
        let opts = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(SqliteStore {
            pool,
            write_turn: Default::default(),
            cache: Default::default(),
            columns: Default::default(),
            path: None,
        })
    }
}

/// Turns SQLite's complaints into errors that say what to do.
fn classify(path: &Path, source: sqlx::Error) -> StoreError {
    let msg = source.to_string();
    if msg.contains("file is not a database") || msg.contains("malformed") {
        return StoreError::Corrupt {
            path: PathBuf::from(path),
        };
    }
    if msg.contains("unable to open") || msg.contains("readonly") || msg.contains("read-only") {
        return StoreError::DataDir {
            path: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, msg),
        };
    }
    StoreError::Connect {
        target: path.display().to_string(),
        source,
    }
}

crate::common::impl_store!(SqliteStore, sqlx::Sqlite, "sqlite");
