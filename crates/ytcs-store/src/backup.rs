//! Backups: one file that holds every row of a database, and its restore
//! into a new, empty database of the same engine.
//!
//! # Format (`ytcs-backup/1`)
//!
//! A zip archive (deflate) holding:
//!
//! - `manifest.json`: [`Manifest`] — the format, the ytcs version, the
//!   source engine, when it was made (UTC), the migrations applied to the
//!   source, and for every table its name, its columns, its row count and
//!   the SHA-256 of its data file; and the identity counters.
//! - `tables/<table>.jsonl`: one JSON array per row, values in the
//!   manifest's column order, rows ordered by primary key (by all columns
//!   when there is none), so the same data always gives the same file.
//!
//! Tables are read from the catalogue (every table but the migration
//! bookkeeping), so tables added by later migrations are covered without
//! changing this module. Generated columns are left out (they are derived).
//!
//! Values are written as each engine gives them:
//!
//! - SQLite, by storage class: NULL → `null`, INTEGER → a JSON integer
//!   (exact over the whole `i64` range), REAL → a JSON number that reads
//!   back to the same `f64` (an infinity as `{"$real": "inf"}` or
//!   `{"$real": "-inf"}`), TEXT → a string, BLOB → `{"$b64": "…"}` (standard
//!   base64). Dates and times are TEXT in SQLite, so they stay strings.
//! - PostgreSQL: `to_json` of each column — numbers as written by the
//!   server (floats with round-trip precision), dates and timestamps as ISO
//!   8601 strings (timestamps in UTC), `bytea` as `"\\x…"` hex text,
//!   booleans as `true`/`false`.
//!
//! # Rules
//!
//! - The snapshot is consistent: every table is read in one read
//!   transaction (PostgreSQL: `REPEATABLE READ, READ ONLY`).
//! - A backup is restored only into a database of the **same engine**:
//!   the value encodings above are each engine's own. To move between
//!   engines, restore with the engine the backup came from and export.
//! - A backup is restored only by a ytcs with the **same migrations**;
//!   from an older schema, restore with the older ytcs and then open the
//!   database with the newer one, which migrates it.
//! - The target must be **new or empty** (no row in any table).
//! - **A failed restore changes nothing**: every file's checksum, row count
//!   and row shape is checked before anything is written; all rows go in
//!   in one transaction; a SQLite database that did not exist is built in a
//!   temporary file next to the target and renamed into place at the end.
//!   (A new PostgreSQL database may be left with the empty schema.)

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use base64::Engine as _;
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, Row, TypeInfo, ValueRef};

use crate::{redact, StoreConfig, StoreError};

/// The format this module writes and reads (`manifest.json`'s `format`).
pub const FORMAT: &str = "ytcs-backup/1";

/// Name of the manifest inside the archive.
const MANIFEST: &str = "manifest.json";

/// The migration bookkeeping table, never backed up (the manifest lists
/// the applied versions instead).
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Rows per INSERT when restoring into SQLite (its parameter limit is far
/// above rows × columns).
const SQLITE_ROWS_PER_INSERT: usize = 500;

/// JSON text per INSERT when restoring into PostgreSQL.
const PG_BYTES_PER_INSERT: usize = 4 << 20;

/// What a backup file says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The ytcs version that wrote it.
    pub ytcs_version: String,
    /// `sqlite` or `postgres`: the engine it came from.
    pub engine: String,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// Versions of the migrations applied to the source, ascending.
    pub migrations: Vec<i64>,
    /// Every table, in name order.
    pub tables: Vec<TableEntry>,
    /// Identity counters (PostgreSQL sequences, SQLite `AUTOINCREMENT`), so
    /// that ids are never reused after a restore.
    #[serde(default)]
    pub sequences: Vec<SequenceEntry>,
}

/// One table of a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    /// The table's name.
    pub name: String,
    /// Its columns, in the order of the values of each row.
    pub columns: Vec<String>,
    /// How many rows its data file holds.
    pub rows: u64,
    /// SHA-256 (lower-case hex) of the data file.
    pub sha256: String,
}

impl TableEntry {
    /// The data file's name inside the archive.
    pub fn file(&self) -> String {
        table_file(&self.name)
    }
}

fn table_file(table: &str) -> String {
    format!("tables/{table}.jsonl")
}

/// The last value handed out by an identity counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceEntry {
    /// The table.
    pub table: String,
    /// The column the counter feeds (`rowid` for SQLite's `AUTOINCREMENT`).
    pub column: String,
    /// The last value handed out.
    pub last_value: i64,
}

/// What [`backup`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BackupSummary {
    /// The backup file.
    pub path: PathBuf,
    /// How many tables.
    pub tables: usize,
    /// How many rows in all.
    pub rows: u64,
    /// Size of the file.
    pub bytes: u64,
    /// How long it took.
    pub seconds: f64,
    /// The manifest written into the file.
    pub manifest: Manifest,
}

/// What [`restore`] did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreSummary {
    /// How many tables.
    pub tables: usize,
    /// How many rows in all.
    pub rows: u64,
    /// Size of the backup file.
    pub bytes: u64,
    /// How long it took.
    pub seconds: f64,
    /// The backup's manifest.
    pub manifest: Manifest,
}

/// One table's content, as [`table_dump`] reads it: the rows as the JSON
/// lines a backup would hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDump {
    /// The table.
    pub name: String,
    /// Its columns.
    pub columns: Vec<String>,
    /// Its rows (JSON arrays), in key order.
    pub rows: Vec<String>,
}

/// What can go wrong with a backup or a restore, in words that say what to do.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The store failed (connection, migration, query).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The output file exists and overwriting was not asked for.
    #[error("{0} already exists: choose another file or pass --force to replace it")]
    OutputExists(PathBuf),
    /// There is no database to back up.
    #[error("there is no database at {0}: check --data-dir (or --database-url)")]
    NoDatabase(PathBuf),
    /// The database has no ytcs migrations.
    #[error("{0} is not a ytcs database (it has no migration history)")]
    NotYtcs(String),
    /// The file is not a ytcs backup at all.
    #[error("{path} is not a ytcs backup ({reason})")]
    NotABackup {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file is a backup, but damaged: nothing was restored.
    #[error("{path} is damaged: {detail}; nothing was restored (use another copy of the backup)")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What does not match.
        detail: String,
    },
    /// The backup comes from the other engine.
    #[error("the backup was made from {backup} and the target is {target}: a backup is restored into the same engine only (restore it into {backup}, then move the data with the export commands)")]
    WrongEngine {
        /// The backup's engine.
        backup: String,
        /// The target's engine.
        target: String,
    },
    /// The backup's schema is newer than this ytcs knows.
    #[error("the backup has a newer schema than this ytcs knows (it was made by ytcs {version}, with migrations {unknown:?} unknown here): restore it with ytcs {version} or later")]
    NewerSchema {
        /// The ytcs version that made it.
        version: String,
        /// Migrations this binary does not know.
        unknown: Vec<i64>,
    },
    /// The backup's schema is older than this ytcs's.
    #[error("the backup was made by ytcs {version} with an older schema (it lacks migrations {missing:?}): restore it with ytcs {version}, then open the database with this version, which upgrades it")]
    OlderSchema {
        /// The ytcs version that made it.
        version: String,
        /// Migrations the backup lacks.
        missing: Vec<i64>,
    },
    /// The backup's tables do not fit the target's schema.
    #[error("the backup's table {table} does not match the database schema: {detail}")]
    SchemaMismatch {
        /// The table.
        table: String,
        /// What differs.
        detail: String,
    },
    /// The target already holds data.
    #[error("{target} is not empty (table {table} has rows): restore only into a new, empty database — a new --data-dir for SQLite, a new database (createdb) for PostgreSQL")]
    TargetNotEmpty {
        /// The target, safe to print.
        target: String,
        /// A table that has rows.
        table: String,
    },
    /// A file of another SQLite database lies where the new one would go.
    #[error("{0} is in the way of the new database (left from an earlier one, or created during the restore): move it away or choose another --data-dir")]
    Leftover(PathBuf),
    /// The database refused a statement; a restore's transaction was
    /// rolled back.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `"name"`: an identifier from the catalogue, quoted for SQL text. Only
/// identifiers are ever formatted into SQL here; values are bound.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| quote_ident(c))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------

/// A table as the catalogue describes it.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<String>,
    /// Primary-key columns in key order (empty: none).
    key: Vec<String>,
    /// Tables this one references by foreign key.
    parents: BTreeSet<String>,
}

impl Table {
    /// The ORDER BY list: the primary key, else every column.
    fn order_by(&self) -> String {
        if self.key.is_empty() {
            column_list(&self.columns)
        } else {
            column_list(&self.key)
        }
    }
}

/// An open connection to either engine, without running migrations.
enum Conn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Conn {
    fn engine(&self) -> &'static str {
        match self {
            Conn::Sqlite(_) => "sqlite",
            Conn::Postgres(_) => "postgres",
        }
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        match self {
            Conn::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
            Conn::Postgres(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
        }
    }

    async fn close(self) {
        let _ = match self {
            Conn::Sqlite(c) => c.close().await,
            Conn::Postgres(c) => c.close().await,
        };
    }

    async fn tables(&mut self) -> Result<Vec<Table>, BackupError> {
        match self {
            Conn::Sqlite(c) => sqlite_tables(c).await,
            Conn::Postgres(c) => pg_tables(c).await,
        }
    }

    /// Applied migration versions; `None` when there is no migration table.
    async fn migrations(&mut self) -> Result<Option<Vec<i64>>, BackupError> {
        let exists: bool = match self {
            Conn::Sqlite(c) => sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)",
            )
            .bind(MIGRATIONS_TABLE)
            .fetch_one(&mut *c)
            .await?,
            Conn::Postgres(c) => {
                sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name = $1)",
                )
                .bind(MIGRATIONS_TABLE)
                .fetch_one(&mut *c)
                .await?
            }
        };
        if !exists {
            return Ok(None);
        }
        let sql = "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version";
        let versions = match self {
            Conn::Sqlite(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
            Conn::Postgres(c) => sqlx::query_scalar(sql).fetch_all(c).await?,
        };
        Ok(Some(versions))
    }

    /// The first table (of `tables`) that holds a row.
    async fn first_nonempty(&mut self, tables: &[Table]) -> Result<Option<String>, BackupError> {
        for t in tables {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM {})", quote_ident(&t.name));
            let any: bool = match self {
                Conn::Sqlite(c) => sqlx::query_scalar(&sql).fetch_one(&mut *c).await?,
                Conn::Postgres(c) => sqlx::query_scalar(&sql).fetch_one(&mut *c).await?,
            };
            if any {
                return Ok(Some(t.name.clone()));
            }
        }
        Ok(None)
    }
}

async fn sqlite_tables(c: &mut SqliteConnection) -> Result<Vec<Table>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> $1 ORDER BY name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let cols: Vec<(String, i64)> =
            sqlx::query_as("SELECT name, pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(&name)
                .fetch_all(&mut *c)
                .await?;
        let mut key: Vec<(i64, String)> = cols
            .iter()
            .filter(|(_, pk)| *pk > 0)
            .map(|(n, pk)| (*pk, n.clone()))
            .collect();
        key.sort();
        let parents: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&mut *c)
                .await?;
        out.push(Table {
            columns: cols.into_iter().map(|(n, _)| n).collect(),
            key: key.into_iter().map(|(_, n)| n).collect(),
            parents: parents.into_iter().filter(|p| *p != name).collect(),
            name,
        });
    }
    Ok(out)
}

async fn pg_tables(c: &mut PgConnection) -> Result<Vec<Table>, BackupError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> $1 ORDER BY table_name",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(&mut *c)
    .await?;
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let columns: Vec<String> = sqlx::query_scalar(
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 \
             AND is_generated = 'NEVER' ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *c)
        .await?;
        let key: Vec<String> = sqlx::query_scalar(
            "SELECT k.column_name::text FROM information_schema.table_constraints t \
             JOIN information_schema.key_column_usage k \
               ON k.constraint_schema = t.constraint_schema \
              AND k.constraint_name = t.constraint_name AND k.table_name = t.table_name \
             WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = current_schema() \
               AND t.table_name = $1 ORDER BY k.ordinal_position",
        )
        .bind(&name)
        .fetch_all(&mut *c)
        .await?;
        let parents: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT p.relname::text FROM pg_constraint k \
             JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
             WHERE k.contype = 'f' AND t.relname = $1 \
               AND t.relnamespace = current_schema()::regnamespace",
        )
        .bind(&name)
        .fetch_all(&mut *c)
        .await?;
        out.push(Table {
            columns,
            key,
            parents: parents.into_iter().filter(|p| *p != name).collect(),
            name,
        });
    }
    Ok(out)
}

/// Tables ordered so that every table comes after the tables it references
/// (tables in a cycle, which the schema does not have, go last by name).
fn dependency_order(tables: &[Table]) -> Vec<&Table> {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out: Vec<&Table> = Vec::with_capacity(tables.len());
    loop {
        let ready: Vec<&Table> = tables
            .iter()
            .filter(|t| !done.contains(t.name.as_str()))
            .filter(|t| {
                t.parents
                    .iter()
                    .all(|p| !names.contains(p.as_str()) || done.contains(p.as_str()))
            })
            .collect();
        if ready.is_empty() {
            break;
        }
        for t in ready {
            done.insert(&t.name);
            out.push(t);
        }
    }
    out.extend(tables.iter().filter(|t| !done.contains(t.name.as_str())));
    // Copies that triggers delete when their source rows are written go
    // after every other table.
    out.sort_by_key(|t| RESTORED_LAST.contains(&t.name.as_str()));
    out
}

/// Tables restored last: SQLite's register digests (a person's records
/// packed, `register_digest.rs`), which the triggers on the persons'
/// rows delete as those rows are inserted.
const RESTORED_LAST: &[&str] = &["register_digest"];

// ---------------------------------------------------------------------------
// Connecting
// ---------------------------------------------------------------------------

fn sqlite_options(path: &Path) -> Result<SqliteConnectOptions, BackupError> {
    Ok(SqliteConnectOptions::from_str("sqlite://")
        .map_err(|source| StoreError::Connect {
            target: path.display().to_string(),
            source,
        })?
        .filename(path)
        .create_if_missing(false)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        // Whole tables are read and written: "slow" is expected.
        .disable_statement_logging())
}

/// Connects to an existing database without migrating it.
async fn connect_existing(config: &StoreConfig) -> Result<Conn, BackupError> {
    match config {
        StoreConfig::Sqlite { path } => {
            if !path.is_file() {
                return Err(BackupError::NoDatabase(path.clone()));
            }
            let conn = SqliteConnection::connect_with(&sqlite_options(path)?)
                .await
                .map_err(|source| sqlite_open_error(path, source))?;
            Ok(Conn::Sqlite(conn))
        }
        StoreConfig::Postgres { url } => Ok(Conn::Postgres(connect_pg(url).await?)),
    }
}

async fn connect_pg(url: &str) -> Result<PgConnection, BackupError> {
    let opts = PgConnectOptions::from_str(url)
        .map_err(|_| BackupError::Store(StoreError::BadUrl(redact(url))))?
        .disable_statement_logging();
    Ok(PgConnection::connect_with(&opts)
        .await
        .map_err(|source| StoreError::Connect {
            target: redact(url),
            source,
        })?)
}

fn sqlite_open_error(path: &Path, source: sqlx::Error) -> BackupError {
    let msg = source.to_string();
    if msg.contains("file is not a database") || msg.contains("malformed") {
        return StoreError::Corrupt {
            path: path.to_path_buf(),
        }
        .into();
    }
    StoreError::Connect {
        target: path.display().to_string(),
        source,
    }
    .into()
}

/// Checks that a query on a SQLite file works, turning "not a database"
/// into [`StoreError::Corrupt`].
fn classify_sqlite(path: &Path, e: BackupError) -> BackupError {
    match e {
        BackupError::Query(source) => sqlite_open_error(path, source),
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Reading a snapshot
// ---------------------------------------------------------------------------

/// Receives the rows of a snapshot, table by table.
trait RowSink {
    fn begin_table(&mut self, table: &Table) -> Result<(), BackupError>;
    fn row(&mut self, line: &str) -> Result<(), BackupError>;
    fn end_table(&mut self, table: &Table) -> Result<(), BackupError>;
}

/// The catalogue part of a snapshot.
struct Snapshot {
    migrations: Vec<i64>,
    sequences: Vec<SequenceEntry>,
}

/// Reads every table inside one read transaction and feeds the rows to
/// `sink`.
async fn read_snapshot(
    conn: &mut Conn,
    what: &str,
    sink: &mut (dyn RowSink + Send),
) -> Result<Snapshot, BackupError> {
    match conn {
        Conn::Sqlite(_) => conn.execute("BEGIN").await?,
        Conn::Postgres(_) => {
            conn.execute(
                "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; \
                 SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 3",
            )
            .await?
        }
    }
    let result = read_in_transaction(conn, what, sink).await;
    // A read-only transaction: ending it either way changes nothing.
    let end = conn.execute("ROLLBACK").await;
    let snapshot = result?;
    end?;
    Ok(snapshot)
}

async fn read_in_transaction(
    conn: &mut Conn,
    what: &str,
    sink: &mut (dyn RowSink + Send),
) -> Result<Snapshot, BackupError> {
    let migrations = conn
        .migrations()
        .await?
        .ok_or_else(|| BackupError::NotYtcs(what.to_string()))?;
    let tables = conn.tables().await?;
    for t in &tables {
        sink.begin_table(t)?;
        match conn {
            Conn::Sqlite(c) => {
                let sql = format!(
                    "SELECT {} FROM {} ORDER BY {}",
                    column_list(&t.columns),
                    quote_ident(&t.name),
                    t.order_by()
                );
                let mut rows = sqlx::query(&sql).fetch(&mut *c);
                let mut line = String::new();
                while let Some(row) = rows.try_next().await? {
                    line.clear();
                    sqlite_row_json(&row, &mut line)?;
                    sink.row(&line)?;
                }
            }
            Conn::Postgres(c) => {
                let values = t
                    .columns
                    .iter()
                    .map(|col| format!("to_json({})", quote_ident(col)))
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "SELECT array_to_json(ARRAY[{values}]::json[])::text FROM {} ORDER BY {}",
                    quote_ident(&t.name),
                    t.order_by()
                );
                let mut rows = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *c);
                while let Some(line) = rows.try_next().await? {
                    sink.row(&line)?;
                }
            }
        }
        sink.end_table(t)?;
    }
    let sequences = match conn {
        Conn::Sqlite(c) => sqlite_sequences(c).await?,
        Conn::Postgres(c) => pg_sequences(c, &tables).await?,
    };
    Ok(Snapshot {
        migrations,
        sequences,
    })
}

/// One SQLite row as a JSON array, by each value's storage class.
fn sqlite_row_json(row: &sqlx::sqlite::SqliteRow, out: &mut String) -> Result<(), BackupError> {
    let mut values = Vec::with_capacity(row.len());
    for i in 0..row.len() {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            values.push(Value::Null);
            continue;
        }
        let class = raw.type_info().name().to_string();
        let v = match class.as_str() {
            "INTEGER" => Value::from(row.try_get_unchecked::<i64, _>(i)?),
            "REAL" => {
                let x = row.try_get_unchecked::<f64, _>(i)?;
                if x.is_finite() {
                    Value::from(x)
                } else {
                    let s = if x > 0.0 { "inf" } else { "-inf" };
                    serde_json::json!({ "$real": s })
                }
            }
            "BLOB" => {
                let b = row.try_get_unchecked::<Vec<u8>, _>(i)?;
                serde_json::json!({ "$b64": base64::engine::general_purpose::STANDARD.encode(b) })
            }
            _ => Value::from(row.try_get_unchecked::<String, _>(i)?),
        };
        values.push(v);
    }
    out.push_str(&Value::Array(values).to_string());
    Ok(())
}

async fn sqlite_sequences(c: &mut SqliteConnection) -> Result<Vec<SequenceEntry>, BackupError> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence')",
    )
    .fetch_one(&mut *c)
    .await?;
    if !exists {
        return Ok(Vec::new());
    }
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT name, seq FROM sqlite_sequence WHERE name <> $1 ORDER BY name")
            .bind(MIGRATIONS_TABLE)
            .fetch_all(&mut *c)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(table, last_value)| SequenceEntry {
            table,
            column: "rowid".into(),
            last_value,
        })
        .collect())
}

/// Identity and serial columns of `tables` with their sequence's state.
async fn pg_serial_columns(
    c: &mut PgConnection,
    tables: &[Table],
) -> Result<Vec<(String, String, String, Option<i64>)>, BackupError> {
    let mut out = Vec::new();
    for t in tables {
        let rows: Vec<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT c.column_name::text, s.seq, pg_sequence_last_value(s.seq::regclass) \
             FROM information_schema.columns c \
             CROSS JOIN LATERAL (SELECT pg_get_serial_sequence($1, c.column_name::text) AS seq) s \
             WHERE c.table_schema = current_schema() AND c.table_name = $2 \
               AND s.seq IS NOT NULL ORDER BY c.ordinal_position",
        )
        .bind(quote_ident(&t.name))
        .bind(&t.name)
        .fetch_all(&mut *c)
        .await?;
        for (column, seq, last) in rows {
            out.push((t.name.clone(), column, seq, last));
        }
    }
    Ok(out)
}

async fn pg_sequences(
    c: &mut PgConnection,
    tables: &[Table],
) -> Result<Vec<SequenceEntry>, BackupError> {
    Ok(pg_serial_columns(c, tables)
        .await?
        .into_iter()
        .filter_map(|(table, column, _, last)| {
            last.map(|last_value| SequenceEntry {
                table,
                column,
                last_value,
            })
        })
        .collect())
}

// ---------------------------------------------------------------------------
// Backup
// ---------------------------------------------------------------------------

/// Writes table files into the zip archive, hashing and counting them.
struct ZipSink<W: Write + std::io::Seek> {
    zip: zip::ZipWriter<W>,
    path: PathBuf,
    hasher: Sha256,
    rows: u64,
    entries: Vec<TableEntry>,
}

impl<W: Write + std::io::Seek> ZipSink<W> {
    fn zip_err(&self, e: zip::result::ZipError) -> BackupError {
        BackupError::Io {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        }
    }
}

fn entry_options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

impl<W: Write + std::io::Seek> RowSink for ZipSink<W> {
    fn begin_table(&mut self, table: &Table) -> Result<(), BackupError> {
        self.hasher = Sha256::new();
        self.rows = 0;
        self.zip
            .start_file(table_file(&table.name), entry_options())
            .map_err(|e| self.zip_err(e))
    }

    fn row(&mut self, line: &str) -> Result<(), BackupError> {
        self.hasher.update(line.as_bytes());
        self.hasher.update(b"\n");
        self.rows += 1;
        self.zip
            .write_all(line.as_bytes())
            .and_then(|()| self.zip.write_all(b"\n"))
            .map_err(io_err(&self.path))
    }

    fn end_table(&mut self, table: &Table) -> Result<(), BackupError> {
        let digest = std::mem::take(&mut self.hasher).finalize();
        self.entries.push(TableEntry {
            name: table.name.clone(),
            columns: table.columns.clone(),
            rows: self.rows,
            sha256: hex(&digest),
        });
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A temporary file next to `path` (same directory, so a rename is atomic).
fn temp_next_to(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "ytcs".into());
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Backs up the database described by `config` into one file at `out`.
///
/// The database is read as it is (it is not migrated first). The file is
/// written under a temporary name next to `out` and renamed at the end, so
/// `out` is either the complete backup or untouched. An existing `out` is
/// replaced only when `overwrite` is true.
pub async fn backup(
    config: &StoreConfig,
    out: &Path,
    overwrite: bool,
) -> Result<BackupSummary, BackupError> {
    let started = Instant::now();
    if out.exists() && !overwrite {
        return Err(BackupError::OutputExists(out.to_path_buf()));
    }
    let mut conn = connect_existing(config).await?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            conn.close().await;
            return Err(io_err(dir)(e));
        }
    }
    let tmp = temp_next_to(out, "partial");
    let result = write_backup(&mut conn, config, &tmp).await;
    conn.close().await;
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    if out.exists() && !overwrite {
        let _ = std::fs::remove_file(&tmp);
        return Err(BackupError::OutputExists(out.to_path_buf()));
    }
    std::fs::rename(&tmp, out).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        BackupError::Io {
            path: out.to_path_buf(),
            source: e,
        }
    })?;
    let bytes = std::fs::metadata(out).map_err(io_err(out))?.len();
    let summary = BackupSummary {
        path: out.to_path_buf(),
        tables: manifest.tables.len(),
        rows: manifest.tables.iter().map(|t| t.rows).sum(),
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        manifest,
    };
    tracing::info!(store = %config.describe(), file = %out.display(), tables = summary.tables, rows = summary.rows, bytes, "backup written");
    Ok(summary)
}

async fn write_backup(
    conn: &mut Conn,
    config: &StoreConfig,
    tmp: &Path,
) -> Result<Manifest, BackupError> {
    let file = std::fs::File::create(tmp).map_err(io_err(tmp))?;
    let mut sink = ZipSink {
        zip: zip::ZipWriter::new(BufWriter::new(file)),
        path: tmp.to_path_buf(),
        hasher: Sha256::new(),
        rows: 0,
        entries: Vec::new(),
    };
    let created_at = Utc::now();
    let what = config.describe();
    let snapshot = read_snapshot(conn, &what, &mut sink)
        .await
        .map_err(|e| match config {
            StoreConfig::Sqlite { path } => classify_sqlite(path, e),
            StoreConfig::Postgres { .. } => e,
        })?;
    let manifest = Manifest {
        format: FORMAT.into(),
        ytcs_version: env!("CARGO_PKG_VERSION").into(),
        engine: conn.engine().into(),
        created_at,
        migrations: snapshot.migrations,
        tables: std::mem::take(&mut sink.entries),
        sequences: snapshot.sequences,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| BackupError::Io {
        path: tmp.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    sink.zip
        .start_file(MANIFEST, entry_options())
        .map_err(|e| sink.zip_err(e))?;
    sink.zip.write_all(&json).map_err(io_err(tmp))?;
    let writer = sink.zip.finish().map_err(|e| BackupError::Io {
        path: tmp.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    let file = writer.into_inner().map_err(|e| BackupError::Io {
        path: tmp.to_path_buf(),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(io_err(tmp))?;
    Ok(manifest)
}

/// Every table of the database (but the migration bookkeeping) with its
/// rows exactly as a backup would hold them, read in one transaction; for
/// comparing two databases.
pub async fn table_dump(config: &StoreConfig) -> Result<Vec<TableDump>, BackupError> {
    struct Collect(Vec<TableDump>);
    impl RowSink for Collect {
        fn begin_table(&mut self, t: &Table) -> Result<(), BackupError> {
            self.0.push(TableDump {
                name: t.name.clone(),
                columns: t.columns.clone(),
                rows: Vec::new(),
            });
            Ok(())
        }
        fn row(&mut self, line: &str) -> Result<(), BackupError> {
            if let Some(t) = self.0.last_mut() {
                t.rows.push(line.to_string());
            }
            Ok(())
        }
        fn end_table(&mut self, _: &Table) -> Result<(), BackupError> {
            Ok(())
        }
    }
    let mut conn = connect_existing(config).await?;
    let mut sink = Collect(Vec::new());
    let result = read_snapshot(&mut conn, &config.describe(), &mut sink).await;
    conn.close().await;
    result?;
    Ok(sink.0)
}

// ---------------------------------------------------------------------------
// Reading and checking a backup file
// ---------------------------------------------------------------------------

type Archive = zip::ZipArchive<std::io::BufReader<std::fs::File>>;

fn open_archive(path: &Path) -> Result<Archive, BackupError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| BackupError::NotABackup {
        path: path.to_path_buf(),
        reason: format!("not a zip archive, or a truncated one: {e}"),
    })
}

fn read_manifest(path: &Path, archive: &mut Archive) -> Result<Manifest, BackupError> {
    let not_backup = |reason: String| BackupError::NotABackup {
        path: path.to_path_buf(),
        reason,
    };
    let mut text = String::new();
    archive
        .by_name(MANIFEST)
        .map_err(|_| not_backup(format!("it has no {MANIFEST}")))?
        .read_to_string(&mut text)
        .map_err(|e| BackupError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("{MANIFEST} cannot be read: {e}"),
        })?;
    let format: Option<String> = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("format").and_then(Value::as_str).map(str::to_string));
    match format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(not_backup(format!(
                "its format is {other}; this ytcs reads {FORMAT}"
            )))
        }
        None => return Err(not_backup(format!("{MANIFEST} names no format"))),
    }
    serde_json::from_str(&text).map_err(|e| BackupError::Corrupt {
        path: path.to_path_buf(),
        detail: format!("{MANIFEST}: {e}"),
    })
}

/// One table's data file, checked against the manifest.
fn read_table_file(
    path: &Path,
    archive: &mut Archive,
    entry: &TableEntry,
) -> Result<Vec<u8>, BackupError> {
    let corrupt = |detail: String| BackupError::Corrupt {
        path: path.to_path_buf(),
        detail,
    };
    let name = entry.file();
    let mut bytes = Vec::new();
    archive
        .by_name(&name)
        .map_err(|e| corrupt(format!("{name} is missing: {e}")))?
        .read_to_end(&mut bytes)
        .map_err(|e| corrupt(format!("{name} cannot be read: {e}")))?;
    let digest = hex(&Sha256::digest(&bytes));
    if digest != entry.sha256 {
        return Err(corrupt(format!(
            "{name} has checksum {digest}, the manifest says {}",
            entry.sha256
        )));
    }
    let rows = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    if rows != entry.rows || bytes.last().is_some_and(|b| *b != b'\n') {
        return Err(corrupt(format!(
            "{name} holds {rows} rows, the manifest says {}",
            entry.rows
        )));
    }
    Ok(bytes)
}

/// One decoded SQLite value.
enum SqlValue {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

fn sqlite_value(v: Value) -> Result<SqlValue, String> {
    Ok(match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Int(i64::from(b)),
        Value::Number(n) => match (n.as_i64(), n.is_f64(), n.as_f64()) {
            (Some(i), _, _) => SqlValue::Int(i),
            (None, true, Some(x)) => SqlValue::Real(x),
            _ => return Err(format!("integer {n} is out of range")),
        },
        Value::String(s) => SqlValue::Text(s),
        Value::Object(o) => match (o.get("$b64"), o.get("$real")) {
            (Some(Value::String(b)), None) if o.len() == 1 => SqlValue::Blob(
                base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(|e| format!("bad base64: {e}"))?,
            ),
            (None, Some(Value::String(r))) if o.len() == 1 => match r.as_str() {
                "inf" => SqlValue::Real(f64::INFINITY),
                "-inf" => SqlValue::Real(f64::NEG_INFINITY),
                other => return Err(format!("unknown real {other}")),
            },
            _ => return Err("an object that is neither $b64 nor $real".into()),
        },
        Value::Array(_) => return Err("a nested array".into()),
    })
}

/// Parses and checks every row of a data file: a JSON array of the
/// manifest's width, each value decodable for the engine.
fn check_rows(
    path: &Path,
    engine: &str,
    entry: &TableEntry,
    bytes: &[u8],
) -> Result<(), BackupError> {
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if i as u64 >= entry.rows {
            break;
        }
        row_values(engine, entry, line).map_err(|detail| BackupError::Corrupt {
            path: path.to_path_buf(),
            detail: format!("{} line {}: {detail}", entry.file(), i + 1),
        })?;
    }
    Ok(())
}

fn row_values(engine: &str, entry: &TableEntry, line: &[u8]) -> Result<Vec<SqlValue>, String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| e.to_string())?;
    let Value::Array(values) = v else {
        return Err("not a JSON array".into());
    };
    if values.len() != entry.columns.len() {
        return Err(format!(
            "{} values for {} columns",
            values.len(),
            entry.columns.len()
        ));
    }
    if engine == "sqlite" {
        values.into_iter().map(sqlite_value).collect()
    } else {
        Ok(Vec::new())
    }
}

/// Opens the backup, reads its manifest and checks every table file.
fn verify_file(path: &Path) -> Result<(Manifest, u64), BackupError> {
    let bytes = std::fs::metadata(path).map_err(io_err(path))?.len();
    let mut archive = open_archive(path)?;
    let manifest = read_manifest(path, &mut archive)?;
    let mut seen = BTreeSet::new();
    for entry in &manifest.tables {
        if !seen.insert(entry.name.as_str()) {
            return Err(BackupError::Corrupt {
                path: path.to_path_buf(),
                detail: format!("table {} is listed twice", entry.name),
            });
        }
        let data = read_table_file(path, &mut archive, entry)?;
        check_rows(path, &manifest.engine, entry, &data)?;
    }
    Ok((manifest, bytes))
}

/// Reads and checks a backup file without restoring it: its manifest, and
/// every table file against the manifest's checksum and row count.
pub async fn verify(path: &Path) -> Result<Manifest, BackupError> {
    let p = path.to_path_buf();
    Ok(blocking(move || verify_file(&p)).await?.0)
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, BackupError> + Send + 'static,
) -> Result<T, BackupError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| BackupError::Io {
            path: PathBuf::new(),
            source: std::io::Error::other(e),
        })?
}

// ---------------------------------------------------------------------------
// Restore
// ---------------------------------------------------------------------------

fn config_engine(config: &StoreConfig) -> &'static str {
    match config {
        StoreConfig::Sqlite { .. } => "sqlite",
        StoreConfig::Postgres { .. } => "postgres",
    }
}

/// The migrations this binary applies to `engine`.
fn known_migrations(engine: &str) -> Vec<i64> {
    let migrator = if engine == "sqlite" {
        &crate::sqlite::MIGRATOR
    } else {
        &crate::postgres::MIGRATOR
    };
    let mut v: Vec<i64> = migrator
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| m.version)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn check_migrations(manifest: &Manifest) -> Result<(), BackupError> {
    let known = known_migrations(&manifest.engine);
    let unknown: Vec<i64> = manifest
        .migrations
        .iter()
        .filter(|v| !known.contains(v))
        .copied()
        .collect();
    if !unknown.is_empty() {
        return Err(BackupError::NewerSchema {
            version: manifest.ytcs_version.clone(),
            unknown,
        });
    }
    let missing: Vec<i64> = known
        .iter()
        .filter(|v| !manifest.migrations.contains(v))
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(BackupError::OlderSchema {
            version: manifest.ytcs_version.clone(),
            missing,
        });
    }
    Ok(())
}

/// Restores the backup at `path` into the database described by `target`,
/// which must be of the backup's engine and new or empty.
///
/// Order: the whole file is checked (checksums, row counts, row shapes),
/// then the engine and the schema version, then that the target holds no
/// row; only then is the target opened (and migrated), and every row is
/// inserted in one transaction, parents before children; identity counters
/// are set so new ids follow the restored ones. Any failure leaves the
/// target as it was (a new SQLite file is not created at all).
pub async fn restore(path: &Path, target: &StoreConfig) -> Result<RestoreSummary, BackupError> {
    let started = Instant::now();
    let p = path.to_path_buf();
    let (manifest, bytes) = blocking(move || verify_file(&p)).await?;
    let engine = config_engine(target);
    if manifest.engine != engine {
        return Err(BackupError::WrongEngine {
            backup: manifest.engine.clone(),
            target: engine.into(),
        });
    }
    check_migrations(&manifest)?;
    let target_name = target.describe();
    match target {
        StoreConfig::Sqlite { path: db } => {
            if db.exists() {
                // An empty database restored in place: one transaction.
                ensure_empty(target).await?;
                let mut conn = SqliteConnection::connect_with(&sqlite_options(db)?)
                    .await
                    .map_err(|source| sqlite_open_error(db, source))?;
                let result = restore_sqlite(&mut conn, path, &manifest).await;
                let _ = conn.close().await;
                result?;
            } else {
                for suffix in ["-wal", "-shm", "-journal"] {
                    let stale = PathBuf::from(format!("{}{suffix}", db.display()));
                    if stale.exists() {
                        return Err(BackupError::Leftover(stale));
                    }
                }
                let tmp = temp_next_to(db, "restore");
                let result = restore_sqlite_new(&tmp, db, path, &manifest).await;
                if result.is_err() {
                    for suffix in ["", "-wal", "-shm", "-journal"] {
                        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
                    }
                }
                result?;
            }
        }
        StoreConfig::Postgres { url } => {
            ensure_empty(target).await?;
            let mut conn = connect_pg(url).await?;
            let result = restore_pg(&mut conn, path, &manifest).await;
            let _ = conn.close().await;
            result?;
        }
    }
    let summary = RestoreSummary {
        tables: manifest.tables.len(),
        rows: manifest.tables.iter().map(|t| t.rows).sum(),
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        manifest,
    };
    tracing::info!(store = %target_name, file = %path.display(), tables = summary.tables, rows = summary.rows, "backup restored");
    Ok(summary)
}

/// Refuses a target that holds any row (checked before it is migrated).
async fn ensure_empty(target: &StoreConfig) -> Result<(), BackupError> {
    let mut conn = connect_existing(target).await?;
    let result = async {
        let tables = conn.tables().await?;
        conn.first_nonempty(&tables).await
    }
    .await;
    conn.close().await;
    let result = match target {
        StoreConfig::Sqlite { path } => result.map_err(|e| classify_sqlite(path, e)),
        StoreConfig::Postgres { .. } => result,
    };
    match result? {
        Some(table) => Err(BackupError::TargetNotEmpty {
            target: target.describe(),
            table,
        }),
        None => Ok(()),
    }
}

/// Builds the new SQLite database in `tmp` (one connection, rollback
/// journal: a single file), then moves it to `db`.
async fn restore_sqlite_new(
    tmp: &Path,
    db: &Path,
    backup_path: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let opts = sqlite_options(tmp)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Delete);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|source| sqlite_open_error(tmp, source))?;
    let result = restore_sqlite(&mut conn, backup_path, manifest).await;
    conn.close().await?;
    result?;
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(io_err(tmp))?;
    if db.exists() {
        return Err(BackupError::Leftover(db.to_path_buf()));
    }
    std::fs::rename(tmp, db).map_err(io_err(db))
}

/// Checks the backup's tables against the target's and returns the target's
/// tables (in dependency order) with the backup entry of each.
fn plan_tables<'a>(
    manifest: &'a Manifest,
    target: &'a [Table],
) -> Result<Vec<(&'a Table, Option<&'a TableEntry>)>, BackupError> {
    let by_name: BTreeMap<&str, &Table> = target.iter().map(|t| (t.name.as_str(), t)).collect();
    for entry in &manifest.tables {
        let Some(t) = by_name.get(entry.name.as_str()) else {
            return Err(BackupError::SchemaMismatch {
                table: entry.name.clone(),
                detail: "the database has no such table".into(),
            });
        };
        let a: BTreeSet<&String> = entry.columns.iter().collect();
        let b: BTreeSet<&String> = t.columns.iter().collect();
        if a != b {
            return Err(BackupError::SchemaMismatch {
                table: entry.name.clone(),
                detail: format!(
                    "the backup has columns {:?}, the database {:?}",
                    entry.columns, t.columns
                ),
            });
        }
    }
    let entries: BTreeMap<&str, &TableEntry> = manifest
        .tables
        .iter()
        .map(|e| (e.name.as_str(), e))
        .collect();
    Ok(dependency_order(target)
        .into_iter()
        .map(|t| (t, entries.get(t.name.as_str()).copied()))
        .collect())
}

/// Reads one table file again (checked again: the file may have changed
/// since it was verified).
async fn table_bytes(path: &Path, entry: &TableEntry) -> Result<Vec<u8>, BackupError> {
    let p = path.to_path_buf();
    let e = entry.clone();
    blocking(move || {
        let mut archive = open_archive(&p)?;
        read_table_file(&p, &mut archive, &e)
    })
    .await
}

fn data_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty())
}

/// Migrates the database on `conn`, then inserts every row of the backup
/// in one transaction.
async fn restore_sqlite(
    conn: &mut SqliteConnection,
    backup_path: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    crate::sqlite::MIGRATOR
        .run(&mut *conn)
        .await
        .map_err(StoreError::Migrate)?;
    let target = sqlite_tables(conn).await?;
    let plan = plan_tables(manifest, &target)?;
    let mut tx = conn.begin().await?;
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *tx)
        .await?;
    // Rows a migration may have seeded give way to the backup's.
    for (t, _) in plan.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quote_ident(&t.name)))
            .execute(&mut *tx)
            .await?;
    }
    for (t, entry) in &plan {
        let Some(entry) = entry else { continue };
        if entry.rows == 0 {
            continue;
        }
        let bytes = table_bytes(backup_path, entry).await?;
        let head = format!(
            "INSERT INTO {} ({}) ",
            quote_ident(&t.name),
            column_list(&entry.columns)
        );
        let per_insert = (30_000 / entry.columns.len().max(1)).clamp(1, SQLITE_ROWS_PER_INSERT);
        let mut batch: Vec<Vec<SqlValue>> = Vec::with_capacity(per_insert);
        let mut lines = data_lines(&bytes).peekable();
        while let Some(line) = lines.next() {
            let row = row_values("sqlite", entry, line).map_err(|detail| BackupError::Corrupt {
                path: backup_path.to_path_buf(),
                detail: format!("{}: {detail}", entry.file()),
            })?;
            batch.push(row);
            if batch.len() == per_insert || lines.peek().is_none() {
                let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(&head);
                qb.push_values(batch.drain(..), |mut b, row| {
                    for v in row {
                        match v {
                            SqlValue::Null => b.push_bind(None::<i64>),
                            SqlValue::Int(i) => b.push_bind(i),
                            SqlValue::Real(x) => b.push_bind(x),
                            SqlValue::Text(s) => b.push_bind(s),
                            SqlValue::Blob(x) => b.push_bind(x),
                        };
                    }
                });
                qb.build().execute(&mut *tx).await?;
            }
        }
    }
    for s in &manifest.sequences {
        sqlx::query("UPDATE sqlite_sequence SET seq = $2 WHERE name = $1 AND seq < $2")
            .bind(&s.table)
            .bind(s.last_value)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sqlite_sequence (name, seq) SELECT $1, $2 \
             WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = $1)",
        )
        .bind(&s.table)
        .bind(s.last_value)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Migrates the database on `conn`, then inserts every row of the backup
/// in one transaction and sets the identity counters.
async fn restore_pg(
    conn: &mut PgConnection,
    backup_path: &Path,
    manifest: &Manifest,
) -> Result<(), BackupError> {
    crate::postgres::MIGRATOR
        .run(&mut *conn)
        .await
        .map_err(StoreError::Migrate)?;
    let target = pg_tables(conn).await?;
    let plan = plan_tables(manifest, &target)?;
    let mut tx = conn.begin().await?;
    for (t, _) in plan.iter().rev() {
        sqlx::query(&format!("DELETE FROM {}", quote_ident(&t.name)))
            .execute(&mut *tx)
            .await?;
    }
    for (t, entry) in &plan {
        let Some(entry) = entry else { continue };
        if entry.rows == 0 {
            continue;
        }
        let bytes = table_bytes(backup_path, entry).await?;
        // Each JSON array row becomes an object keyed by column, which
        // json_populate_record turns into the table's row type: the server
        // parses every value from its own JSON form, exactly.
        let sql = format!(
            "INSERT INTO {table} ({cols}) OVERRIDING SYSTEM VALUE \
             SELECT {rcols} FROM json_array_elements($1::json) WITH ORDINALITY AS e(a, n) \
             CROSS JOIN LATERAL json_populate_record(NULL::{table}, \
               (SELECT json_object_agg(c.name, e.a -> (c.i::int - 1)) \
                FROM unnest($2::text[]) WITH ORDINALITY AS c(name, i))) AS r \
             ORDER BY e.n",
            table = quote_ident(&t.name),
            cols = column_list(&entry.columns),
            rcols = entry
                .columns
                .iter()
                .map(|c| format!("r.{}", quote_ident(c)))
                .collect::<Vec<_>>()
                .join(", "),
        );
        let mut chunk = String::with_capacity(PG_BYTES_PER_INSERT + 1024);
        let mut lines = data_lines(&bytes).peekable();
        while let Some(line) = lines.next() {
            let line = std::str::from_utf8(line).map_err(|e| BackupError::Corrupt {
                path: backup_path.to_path_buf(),
                detail: format!("{}: {e}", entry.file()),
            })?;
            chunk.push(if chunk.is_empty() { '[' } else { ',' });
            chunk.push_str(line);
            if chunk.len() >= PG_BYTES_PER_INSERT || lines.peek().is_none() {
                chunk.push(']');
                sqlx::query(&sql)
                    .bind(&chunk)
                    .bind(&entry.columns)
                    .execute(&mut *tx)
                    .await?;
                chunk.clear();
            }
        }
    }
    // Identity counters: never below the recorded value nor the largest id.
    let recorded: BTreeMap<(&str, &str), i64> = manifest
        .sequences
        .iter()
        .map(|s| ((s.table.as_str(), s.column.as_str()), s.last_value))
        .collect();
    let tables: Vec<Table> = plan.iter().map(|(t, _)| (*t).clone()).collect();
    for (table, column, seq, _) in pg_serial_columns(&mut tx, &tables).await? {
        let max: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT max({})::bigint FROM {}",
            quote_ident(&column),
            quote_ident(&table)
        ))
        .fetch_one(&mut *tx)
        .await?;
        let last = recorded
            .get(&(table.as_str(), column.as_str()))
            .copied()
            .into_iter()
            .chain(max)
            .max();
        match last {
            Some(v) if v >= 1 => {
                sqlx::query("SELECT setval($1::regclass, $2, true)")
                    .bind(&seq)
                    .bind(v)
                    .execute(&mut *tx)
                    .await?
            }
            _ => {
                sqlx::query("SELECT setval($1::regclass, 1, false)")
                    .bind(&seq)
                    .execute(&mut *tx)
                    .await?
            }
        };
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, parents: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns: vec!["a".into()],
            key: Vec::new(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn parents_come_before_children() {
        let tables = vec![
            t("budget_entry", &["plan"]),
            t("org_parent", &["org_unit"]),
            t("org_unit", &[]),
            t("plan", &[]),
            t("target_link", &["plan", "gone"]),
        ];
        let order: Vec<&str> = dependency_order(&tables)
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            order,
            [
                "org_unit",
                "plan",
                "budget_entry",
                "org_parent",
                "target_link"
            ]
        );
    }

    #[test]
    fn sqlite_values_decode_by_their_json_form() {
        let v = |s: &str| sqlite_value(serde_json::from_str(s).unwrap());
        assert!(matches!(
            v("9223372036854775807"),
            Ok(SqlValue::Int(i64::MAX))
        ));
        assert!(matches!(v("2.0"), Ok(SqlValue::Real(x)) if x == 2.0));
        // Every bit of a double comes back (serde_json's float_roundtrip).
        let x = 53.7f64 - 7.105427357601002e-15;
        let text = serde_json::Value::from(x).to_string();
        assert!(
            matches!(v(&text), Ok(SqlValue::Real(y)) if y.to_bits() == x.to_bits()),
            "{text}"
        );
        assert!(matches!(v(r#"{"$b64":"AAH/"}"#), Ok(SqlValue::Blob(b)) if b == [0, 1, 255]));
        assert!(
            matches!(v(r#"{"$real":"-inf"}"#), Ok(SqlValue::Real(x)) if x == f64::NEG_INFINITY)
        );
        assert!(v(r#"{"$b64":"%%"}"#).is_err());
        assert!(v("18446744073709551615").is_err());
    }

    #[test]
    fn identifiers_are_quoted() {
        assert_eq!(quote_ident("plan"), "\"plan\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }
}
