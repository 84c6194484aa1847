//! Storage of ytcs: one async [`Store`] trait, implemented for SQLite (the
//! embedded default: one file in the data directory) and PostgreSQL
//! (multi-user deployments, by URL). SQL lives in this crate only.
//!
//! Both engines run the same SQL text (SQLite accepts PostgreSQL's `$1`
//! placeholders), generated for each pool type by macros: `impl_store!`
//! in `common.rs` for [`Store`] itself, and one `impl_*_store!` beside
//! each narrow trait it is made of (`impl_value_store!` in `values.rs`,
//! `impl_register_store!` in `registers.rs`, …); the DDL differs and lives
//! in `migrations/sqlite` and `migrations/postgres`, applied in order at
//! start-up. [`Store`] is async and object-safe, used as `Arc<dyn Store>`.
//!
//! *One SQL text for two engines* rather than sqlx's compile-time checked
//! queries, which bind to one database: the shared test suites (each test
//! run on both engines) keep both honest.
//!
//! [`StoreError`] variants say what to do (a corrupt file, an unwritable
//! data directory, an unreachable server); URLs are printed with the
//! password hidden. [`view::org_view`] assembles the read model of one
//! unit (the `org show` contract).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod accounts;
pub mod approval;
pub mod audit;
pub mod backup;
mod bulk_rows;
mod columns;
mod common;
mod held;
pub mod network;
mod pg_bulk;
mod pg_copy;
mod pg_remake;
pub mod plans;
mod postgres;
pub mod raw;
mod register_digest;
pub mod registers;
mod registers_load;
mod registers_read;
pub mod registers_sql;
mod sqlite;
mod sqlite_read;
pub mod submissions;
pub mod tracking;
mod value_write;
pub mod values;
pub mod view;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use ytcs_core::org::{LineageLink, OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_refdata::AdminUnits;

pub use accounts::AccountStore;
pub use approval::ApprovalStore;
pub use audit::AuditStore;
pub use network::NetworkStore;
pub use plans::PlanStore;
pub use postgres::PgStore;
pub use registers::{event_cols, EventCols, RegisterCommune, RegisterStore};
pub use sqlite::SqliteStore;
pub use submissions::SubmissionStore;
pub use tracking::TrackingStore;
pub use values::ValueStore;

/// Where the data lives.
#[derive(Clone)]
pub enum StoreConfig {
    /// A SQLite file.
    Sqlite {
        /// Path of the database file.
        path: PathBuf,
    },
    /// A PostgreSQL database.
    Postgres {
        /// `postgres://user:password@host:port/db`; hidden from `Debug`.
        url: String,
    },
}

impl StoreConfig {
    /// SQLite in `data_dir/ytcs.db` unless a PostgreSQL URL is given.
    pub fn from_parts(data_dir: &Path, database_url: Option<&str>) -> Result<Self, StoreError> {
        match database_url {
            None => Ok(StoreConfig::Sqlite {
                path: data_dir.join("ytcs.db"),
            }),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Ok(StoreConfig::Postgres { url: u.to_string() })
            }
            Some(u) if u.starts_with("sqlite://") => Ok(StoreConfig::Sqlite {
                path: PathBuf::from(u.trim_start_matches("sqlite://")),
            }),
            Some(u) => Err(StoreError::BadUrl(redact(u))),
        }
    }

    /// A description safe to print: the file, or the URL without password.
    pub fn describe(&self) -> String {
        match self {
            StoreConfig::Sqlite { path } => format!("SQLite {}", path.display()),
            StoreConfig::Postgres { url } => format!("PostgreSQL {}", redact(url)),
        }
    }
}

impl fmt::Debug for StoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// Replaces the password of a URL with `***`.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let Some(at) = rest.find('@') else {
        return url.to_string();
    };
    let userinfo = &rest[..at];
    match userinfo.find(':') {
        Some(colon) => format!(
            "{}{}:***{}",
            &url[..scheme_end + 3],
            &userinfo[..colon],
            &rest[at..]
        ),
        None => url.to_string(),
    }
}

/// What can go wrong in storage, in words that tell the user what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is neither PostgreSQL nor SQLite.
    #[error("unsupported database URL '{0}': use postgres://user:password@host:port/db, or leave it out to use SQLite in the data directory")]
    BadUrl(String),
    /// The data directory cannot be created or written.
    #[error(
        "cannot use data directory {path}: {source}; choose a writable directory with --data-dir"
    )]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The database server cannot be reached or refused the connection.
    #[error("cannot connect to {target}: {source}; check that the server is running and the URL is right")]
    Connect {
        /// What was being connected to (password hidden).
        target: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The file exists but is not a SQLite database.
    #[error("{path} is not a ytcs database (it is corrupt or another kind of file): move it away or choose another --data-dir")]
    Corrupt {
        /// The file.
        path: PathBuf,
    },
    /// Migrations failed.
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored row holds a value the domain refuses.
    #[error("stored data is invalid: {0}")]
    Invalid(String),
    /// A value write touches a period whose data is approved (locked).
    /// Nothing was written.
    #[error("nothing was written: the data of unit {code} for {period} is locked because {approved} is approved; unlock {approved} to change it")]
    Locked {
        /// The unit of the refused value.
        unit: UnitId,
        /// Its code.
        code: String,
        /// The period of the refused value.
        period: Period,
        /// The approved period that contains it.
        approved: Period,
    },
}

/// Counts of units valid on a day, by kind.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitCount {
    /// The kind.
    pub kind: OrgKind,
    /// How many.
    pub count: i64,
}

/// A lineage edge seen from one side: the edge and the unit on the other side.
#[derive(Debug, Clone, PartialEq)]
pub struct LineageNeighbour {
    /// The edge.
    pub link: LineageLink,
    /// The predecessor (when listing predecessors) or successor.
    pub unit: OrgUnit,
}

/// The one storage interface of ytcs: units and lineage here, plans, the
/// network, tracking, values, the audit log and approval in their own
/// narrow traits, all reachable through `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    PlanStore
    + NetworkStore
    + TrackingStore
    + ValueStore
    + AccountStore
    + AuditStore
    + ApprovalStore
    + RegisterStore
    + SubmissionStore
    + Send
    + Sync
    + 'static
{
    /// `sqlite` or `postgres`.
    fn engine(&self) -> &'static str;

    /// The raw writers, reachable only through [`raw::writes`].
    #[doc(hidden)]
    fn as_raw(&self, key: raw::Key) -> &dyn raw::RawWrites;

    /// Closes every connection and waits until they are closed. On SQLite the
    /// last connection to close writes the log back into the database file,
    /// so after `close` the file alone holds everything (safe to copy).
    /// The store must not be used afterwards.
    async fn close(&self);

    /// Reads a metadata value.
    async fn meta(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes a metadata value.
    async fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError>;

    /// Stores the administrative reference units, once, in one transaction.
    /// Returns `false` (and changes nothing) if they are already there.
    async fn load_admin_units(&self, units: &AdminUnits) -> Result<bool, StoreError>;

    /// The unit with this id.
    async fn unit(&self, id: UnitId) -> Result<Option<OrgUnit>, StoreError>;
    /// The unit that carried `code` on day `at`.
    async fn unit_at(&self, code: &OrgCode, at: Date) -> Result<Option<OrgUnit>, StoreError>;
    /// Every unit that has ever carried `code`, oldest first.
    async fn units_with_code(&self, code: &OrgCode) -> Result<Vec<OrgUnit>, StoreError>;
    /// The ancestors of a unit on day `at`, nearest first.
    async fn ancestors(&self, id: UnitId, at: Date) -> Result<Vec<OrgUnit>, StoreError>;
    /// The children of a unit on day `at`, by code.
    async fn children(&self, id: UnitId, at: Date) -> Result<Vec<OrgUnit>, StoreError>;
    /// The units this one came from.
    async fn predecessors(&self, id: UnitId) -> Result<Vec<LineageNeighbour>, StoreError>;
    /// The units this one went into.
    async fn successors(&self, id: UnitId) -> Result<Vec<LineageNeighbour>, StoreError>;
    /// Units whose name (with or without diacritics) contains `query`, or
    /// whose code equals it, valid on `at` when given; at most `limit`.
    async fn search_units(
        &self,
        query: &str,
        at: Option<Date>,
        limit: i64,
    ) -> Result<Vec<OrgUnit>, StoreError>;
    /// How many units of each kind are valid on `at`.
    async fn count_units(&self, at: Date) -> Result<Vec<UnitCount>, StoreError>;
}

/// Opens (creating if needed) the store described by `config` and brings its
/// schema up to date.
pub async fn open(config: &StoreConfig) -> Result<Arc<dyn Store>, StoreError> {
    let store: Arc<dyn Store> = match config {
        StoreConfig::Sqlite { path } => Arc::new(SqliteStore::open(path).await?),
        StoreConfig::Postgres { url } => Arc::new(PgStore::connect(url).await?),
    };
    Ok(store)
}

/// Opens the store and loads the reference units if it has none yet.
pub async fn open_initialised(config: &StoreConfig) -> Result<Arc<dyn Store>, StoreError> {
    let store = open(config).await?;
    if store.meta(META_ADMIN_UNITS).await?.is_none() {
        let units = ytcs_refdata::admin_units()
            .map_err(|e| StoreError::Invalid(format!("reference data: {e}")))?;
        store.load_admin_units(&units).await?;
    }
    Ok(store)
}

/// Metadata key set once the administrative units are loaded.
pub const META_ADMIN_UNITS: &str = "admin_units_loaded";
