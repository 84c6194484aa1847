//! Storage of aggregate data values: raw values in SQL (`data_value`),
//! every period's totals in memory ([`crate::columns`]).
//!
//! **Invariant.** The columns a store holds equal a fold of every row of
//! `data_value` ([`crate::columns::Columns::fold`]) at the values
//! generation they are stamped with (`meta.values_generation`, bumped
//! first in the transaction of every write, so writers of values take
//! their turn on both engines). A write adds its integer deltas
//! (thousandths) to the columns after its transaction commits, holding
//! the columns' lock across the commit; a store that sees another
//! generation than its own (a write by another process) loads the
//! columns again — from the snapshot file when its stamp matches `meta`,
//! else from the raw values. [`ValueStore::rebuild`] compares the held
//! columns with a fold of the raw values (and can replace them).
//!
//! `data_value` is migration 0004. [`ValueStore::period_values_of`] reads
//! only the elements a figure names (`ytcs_core::formula::elements_read`;
//! the population only when `reads_population`). The one write of values
//! is [`crate::value_write`]; keeping the columns is [`crate::held`].
//!
//! **Values in columns, in memory.** SQL holds the raw values only. A
//! figure rolls the columns up through the hierarchy of the day asked for
//! (`ytcs_core::rollup`), reading only its formula's elements and only the
//! values that can reach the units asked about (`Rollup::reaches`). Until
//! migration 0012 a table `data_aggregate` held these sums; writing a
//! text-keyed row per value and per sum was most of an import's time and
//! gave nothing a fold in memory does not (1.5 M rows of sums for 1 M
//! values fold in well under a second). A restart reads the snapshot
//! (1.5 M rows: 0.3 s to the first answer); a snapshot is written after
//! a write of `SNAPSHOT_AFTER` (100,000) values or more, after a fold of
//! that many, after `rebuild`, and when the store closes — through a
//! temporary file renamed when complete, its stamp set in `meta` after.
//! It is a plain little-endian dump of four arrays and a dictionary:
//! Arrow IPC or Parquet would bring a large build for no reader we have.
//! PostgreSQL has no snapshot (it folds its raw values at start).
//! Aggregation is a sum; stocks are collected in yearly data sets. Figures
//! before and after are in README (`ytcs bench indicators`).
//!
//! **Raw values move in bulk, as one text.** Binding seven parameters per
//! row through sqlx cost more than SQLite's own work, so an import binds
//! each 50,000 rows as one JSON text that the database unpacks
//! (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL), and a
//! fold reads each period and element's values packed in one text
//! (`group_concat`/`string_agg`), parsed in Rust: at 1 M values the fold
//! went from 6 s to 0.4 s and the insert from ~10 to ~4 µs a row. What is
//! left is SQLite writing the table, its key and the unit index
//! (`data_value_unit`, which a register save's re-derivation needs;
//! without it an import is a third faster). The two dialects are one
//! constant each (`Dialect`). A chunked write raises SQLite's page cache
//! to 256 MB for its transaction (2 MB by default; lowered before the
//! commit): the import read and wrote the same pages again and again,
//! 92,000 values/s at 3 M values and 77,200 at 10 M; now 120,000 and
//! 107,600 (peak 0.95 GB at 10 M). SQLite itself is the floor
//! (`scripts/sqlite-insert-floor.py N`): the same `json_each` insert into
//! this table, with nothing of ours around it, does ~220,000 rows/s at
//! 1 M and ~170,000 at 3 M; into a table of integer codes without the
//! unit index, 380,000–470,000 — so 500,000 values/s asks for a different
//! table (and more than one core), not a faster loop around this one. On
//! PostgreSQL new values go in by `COPY` (`crate::pg_copy`; 1 M: 11.2 s,
//! 89,000 values/s; the `INSERT … ON CONFLICT` from JSON took 18.4 s);
//! `COPY` alone into a table of this shape, key, unit index and foreign
//! key, takes 8.7 s (5.7 s without the foreign key).
//!
//! **Lock order.** A writer of values holds the database's write lock
//! (the write turn, then `BEGIN IMMEDIATE`: `crate::common::WriteTx`)
//! before it takes the columns' lock, so nothing that holds the columns'
//! lock writes to the database: a fold writes its snapshot file under the
//! lock and its stamp in `meta` after letting it go
//! (`HeldColumns::write_snapshot_file`, then `HeldColumns::stamp`). The
//! load test (`ytcs-web/tests/load.rs`) stalled for as long as SQLite's
//! busy timeout while both waited.
//!
//! **A failed or killed import changes nothing**: `write_values` and
//! `write_value_chunks` write every chunk of an import in one
//! transaction, and the held columns either take all its deltas or are
//! dropped to be loaded again (`crates/ytcs/tests/crash_cli.rs` kills one
//! with SIGKILL mid-write on both engines; `tests/values_suite.rs` fails a
//! later chunk).

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ytcs_core::aggregate::{standard_data_sets, standard_elements, DataElement, DataValue, Fixed};
use ytcs_core::formula::{PopulationCell, Recorded};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{AgeGroup, Sex};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;

use crate::columns::Columns;
use crate::network::WriteError;
pub use crate::value_write::derived_refusal;
use crate::value_write::{Delete, Upsert};
use crate::StoreError;

/// One write: a value to set, or `None` to delete it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueWrite {
    /// Element code.
    pub element: String,
    /// The unit, as it stood on the period's last day.
    pub unit: UnitId,
    /// The period.
    pub period: Period,
    /// Disaggregation key (`""` when the element is not split).
    pub disagg: String,
    /// The value, or `None` to delete.
    pub value: Option<Fixed>,
}

/// A stored value with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredValue {
    /// The value.
    #[serde(flatten)]
    pub value: DataValue,
    /// Who stored it.
    pub stored_by: String,
    /// When (UTC).
    pub stored_at: DateTime<Utc>,
}

/// Which values to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueFilter {
    /// Only this element.
    pub element: Option<String>,
    /// Only this period.
    pub period: Option<Period>,
    /// Only these recorded units.
    pub units: Option<Vec<UnitId>>,
}

/// The outcome of a rebuild: how the period totals held in memory compare with
/// those recomputed from raw values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Raw values read.
    pub values: usize,
    /// Rows of the columns recomputed (every period's totals per unit,
    /// element and disaggregation).
    pub aggregates: usize,
    /// Recomputed rows absent from the held columns.
    pub missing: usize,
    /// Held rows a rebuild does not produce.
    pub extra: usize,
    /// Rows present in both with different sums or counts.
    pub different: usize,
    /// Whether the held columns were replaced by the rebuild.
    pub applied: bool,
}

impl RebuildReport {
    /// The totals held equal the fold exactly.
    pub fn equal(&self) -> bool {
        self.missing == 0 && self.extra == 0 && self.different == 0
    }
}

/// A plan target linked by hand to an indicator, unit and due year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetLink {
    /// The plan.
    pub plan_id: i64,
    /// The target's id within the plan.
    pub target_id: String,
    /// Indicator code.
    pub indicator: String,
    /// Org-unit code (resolved on the plan's date or the due year's end).
    pub org_code: String,
    /// Due year.
    pub year: i32,
}

/// The standard catalogue, built once: elements by code, and the data set
/// each element is collected in. Every row of an import is checked against
/// it; building it per row cost more than the rest of the check.
struct Catalogue {
    elements: HashMap<String, DataElement>,
    data_set_of: HashMap<String, ytcs_core::aggregate::DataSet>,
}

fn catalogue() -> &'static Catalogue {
    static C: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let mut data_set_of = HashMap::new();
        for ds in standard_data_sets() {
            for e in &ds.elements {
                data_set_of.entry(e.clone()).or_insert_with(|| ds.clone());
            }
        }
        Catalogue {
            elements: standard_elements()
                .into_iter()
                .map(|e| (e.code.clone(), e))
                .collect(),
            data_set_of,
        }
    })
}

/// The element of the standard catalogue with this code.
pub fn element(code: &str) -> Option<&'static DataElement> {
    catalogue().elements.get(code)
}

/// The data set of the standard catalogue collecting this element, if any.
pub fn data_set_of(code: &str) -> Option<&'static ytcs_core::aggregate::DataSet> {
    catalogue().data_set_of.get(code)
}

/// Checks one write against the catalogue and the hierarchy; the message
/// names the problem (unknown element, disaggregation, wrong value type,
/// period not fitting the data set, unit not existing in the period).
pub fn check_write(h: &Hierarchy, w: &ValueWrite) -> Result<(), String> {
    let Some(e) = element(&w.element) else {
        return Err(format!("unknown data element '{}'", w.element));
    };
    e.check_disaggregation(&w.disagg)
        .map_err(|x| x.to_string())?;
    if let Some(v) = w.value {
        e.check_value(v).map_err(|x| x.to_string())?;
    }
    if let Some(ds) = data_set_of(&w.element) {
        ds.check_period(w.period).map_err(|x| x.to_string())?;
    }
    let last = w.period.end();
    match h.unit(w.unit) {
        None => Err(format!("unknown org unit id {}", w.unit)),
        Some(u) if !u.validity.contains(last) => Err(format!(
            "org unit {} ({}) did not exist on {last}, the last day of {}",
            u.code, u.name, w.period
        )),
        Some(_) => Ok(()),
    }
}

/// The writes of one import handed over chunk by chunk
/// ([`ValueStore::write_value_chunks`]).
pub trait WriteChunks: Send {
    /// The next chunk, `None` after the last; an error (named for people:
    /// a file that changed while it was written, a row that cannot be
    /// read) abandons the write.
    fn next_chunk(&mut self) -> Result<Option<&[ValueWrite]>, String>;
}

/// Writes held whole, as one chunk.
struct OneChunk<'a>(Option<&'a [ValueWrite]>);

impl WriteChunks for OneChunk<'_> {
    fn next_chunk(&mut self) -> Result<Option<&[ValueWrite]>, String> {
        Ok(self.0.take())
    }
}

/// Storage of aggregate data.
#[async_trait]
pub trait ValueStore: Send + Sync {
    /// Writes (sets or deletes) values after checking every one against the
    /// catalogue and `h`; all or nothing, aggregates maintained in the same
    /// transaction. A write whose unit has an approved period containing
    /// its period is refused with `WriteError::Store(StoreError::Locked)`,
    /// checked in the same transaction; so is a value derived from the
    /// registers (`DerivationMark::derives`), with
    /// `WriteError::Rejected`: only the derivation writes those, through
    /// [`crate::raw::RawValueWrites::write_derived_values`]. Returns how many values
    /// changed.
    async fn write_values(
        &self,
        h: &Hierarchy,
        writes: &[ValueWrite],
        by: &str,
    ) -> Result<usize, WriteError> {
        self.write_value_chunks(h, &mut OneChunk(Some(writes)), by)
            .await
    }
    /// [`ValueStore::write_values`] of writes handed over chunk by chunk,
    /// all in one transaction (a file larger than memory is written whole
    /// or not at all without being held). Each chunk is checked, deduplicated
    /// (its last write of a key wins) and checked against approvals before
    /// it is written; a key written again by a later chunk takes the later
    /// value. A chunk refused, or an error of the source, abandons the
    /// transaction: nothing is written.
    async fn write_value_chunks(
        &self,
        h: &Hierarchy,
        chunks: &mut dyn WriteChunks,
        by: &str,
    ) -> Result<usize, WriteError>;
    /// Stored values matching a filter.
    async fn data_values(&self, filter: &ValueFilter) -> Result<Vec<StoredValue>, StoreError>;
    /// One period's totals per recorded unit (its raw values and those of
    /// finer periods inside it), the input of
    /// [`ytcs_core::formula::Evaluator`]; for split elements, one row per
    /// disaggregation. Read from the columns held in memory.
    async fn period_values(&self, period: Period) -> Result<Vec<Recorded>, StoreError>;
    /// [`ValueStore::period_values`] of some elements only (what a
    /// figure reads): only their rows are read and copied.
    async fn period_values_of(
        &self,
        period: Period,
        elements: &[&str],
    ) -> Result<Vec<Recorded>, StoreError> {
        self.period_values_where(period, elements, &mut |_| true)
            .await
    }
    /// [`ValueStore::period_values_of`] of the units `keep` keeps (those
    /// whose values can reach the units a figure is asked for): only
    /// their rows are copied.
    async fn period_values_where(
        &self,
        period: Period,
        elements: &[&str],
        keep: &mut (dyn FnMut(UnitId) -> bool + Send),
    ) -> Result<Vec<Recorded>, StoreError>;
    /// The registry's population of one year, by unit, sex and age group.
    async fn population_cells(&self, year: i32) -> Result<Vec<PopulationCell>, StoreError>;
    /// Folds every raw value into columns and compares them with the
    /// columns held (kept current by writes since they were loaded, or
    /// read from the snapshot); with `apply`, replaces them by the fold.
    async fn rebuild(&self, apply: bool) -> Result<RebuildReport, StoreError>;
    /// Links a plan target by hand (replacing an earlier link).
    async fn link_target(&self, link: &TargetLink) -> Result<(), StoreError>;
    /// Hand links of a plan.
    async fn target_links(&self, plan_id: i64) -> Result<Vec<TargetLink>, StoreError>;
}

/// The refusal of the first write (`unit`, `period`) that an approved
/// (`unit`, `period`) of `approved` locks, if any.
pub(crate) fn locked_write(
    h: &Hierarchy,
    approved: &[(UnitId, Period)],
    writes: impl Iterator<Item = (UnitId, Period)>,
) -> Option<StoreError> {
    let mut writes = writes;
    writes.find_map(|(unit, period)| {
        approved
            .iter()
            .find(|(u, p)| *u == unit && ytcs_core::approval::locks(*p, period))
            .map(|&(_, approved)| StoreError::Locked {
                unit,
                code: h
                    .unit(unit)
                    .map_or_else(|| unit.to_string(), |u| u.code.to_string()),
                period,
                approved,
            })
    })
}

fn parse_period(s: &str) -> Result<Period, StoreError> {
    s.parse()
        .map_err(|e: ytcs_core::period::PeriodParseError| StoreError::Invalid(e.to_string()))
}

/// The meta key of the values generation.
const VALUES_GENERATION: &str = "values_generation";
/// The meta key of the snapshot's stamp (`GENERATION:TOKEN`).
const VALUES_SNAPSHOT: &str = "values_snapshot";
/// A write of at least this many values (an import) leaves a snapshot.
pub(crate) const SNAPSHOT_AFTER: usize = 100_000;

/// The SQL of values that differs between the two engines.
struct Dialect {
    /// Each period and element's raw values as one text (`unit` US
    /// `value` US `disagg`, rows separated by RS), in period order.
    packed_values: &'static str,
    /// `unit_id` is one of a JSON array of integers (`$3`), the array
    /// read once (on PostgreSQL a subquery in `IN` was read again for
    /// every row: seconds a group).
    unit_in_json: &'static str,
    /// Statements run on a chunked write's connection before its first
    /// chunk and before its commit: SQLite's page cache (2 MB by default)
    /// made a large import read and write the same pages again and again
    /// (3 M values: 92,000 values/s with 2 MB, 120,000 with 256 MB).
    /// Lowered before the commit, the cache gives its pages back as they
    /// are written out.
    write_cache: Option<(&'static str, &'static str)>,
}

const SQLITE: Dialect = Dialect {
    packed_values: "SELECT period, element, \
        group_concat(unit_id || char(31) || value || char(31) || disagg, char(30)) \
        FROM data_value GROUP BY period, element ORDER BY period, element",
    unit_in_json: "unit_id IN (SELECT value FROM json_each($3))",
    write_cache: Some(("PRAGMA cache_size = -262144", "PRAGMA cache_size = -2000")),
};

const POSTGRES: Dialect = Dialect {
    packed_values: "SELECT period, element, \
        string_agg(unit_id::text || chr(31) || value::text || chr(31) || disagg, chr(30)) \
        FROM data_value GROUP BY period, element ORDER BY period, element",
    unit_in_json: "unit_id = ANY(ARRAY(SELECT (jsonb_array_elements_text($3::jsonb))::bigint))",
    write_cache: None,
};

/// Rows of an import bound as one JSON text per statement.
const JSON_CHUNK: usize = 50_000;

pub(crate) fn out_of_range(e: crate::columns::UnitOutOfRange) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// A write's transaction on one engine, for [`crate::value_write`].
pub(crate) struct ValueWriteTx<S, DB: sqlx::Database>(
    crate::common::WriteTx<DB>,
    std::marker::PhantomData<S>,
);

/// Rows `(period, element, unit_id, disagg, value, stored_by,
/// stored_at)` from a JSON array of `[period, element, unit, disagg,
/// value]` (`$1`), by `$2` at `$3`: a whole chunk of an import in one
/// bound text, so the driver's cost per bound value is paid once.
const SQLITE_ROWS_FROM_JSON: &str = "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), \
        json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), \
        $2, $3 FROM json_each($1) AS j WHERE true";

/// Sets values on SQLite (new or stored: one statement does both), each
/// 50,000 bound as one JSON text.
async fn sqlite_upsert(
    conn: &mut sqlx::SqliteConnection,
    rows: &[Upsert<'_>],
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let upsert = format!(
        "INSERT INTO data_value (period, element, unit_id, disagg, value, stored_by, stored_at) {} \
         ON CONFLICT (period, element, unit_id, disagg) DO UPDATE SET \
         value = excluded.value, stored_by = excluded.stored_by, stored_at = excluded.stored_at",
        SQLITE_ROWS_FROM_JSON
    );
    for chunk in rows.chunks(JSON_CHUNK) {
        let json = serde_json::to_string(chunk).map_err(|e| StoreError::Invalid(e.to_string()))?;
        sqlx::query(&upsert)
            .bind(json)
            .bind(by)
            .bind(at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Adds new values on PostgreSQL by `COPY`.
async fn pg_insert(
    conn: &mut sqlx::PgConnection,
    rows: &[Upsert<'_>],
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let suffix = crate::pg_copy::stamp_fields(by, at);
    copy_rows(
        conn,
        "COPY data_value (period, element, unit_id, disagg, value, stored_by, stored_at) FROM STDIN",
        rows,
        &suffix,
    )
    .await
}

/// Replaces stored values on PostgreSQL: `COPY` into a temporary table
/// of the session (emptied at each commit), then one `UPDATE … FROM`.
async fn pg_update(
    conn: &mut sqlx::PgConnection,
    rows: &[Upsert<'_>],
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS value_in (period text, element text, unit_id bigint, \
         disagg text, value bigint) ON COMMIT DELETE ROWS",
    )
    .execute(&mut *conn)
    .await?;
    copy_rows(conn, "COPY value_in FROM STDIN", rows, "").await?;
    sqlx::query(
        "UPDATE data_value AS d SET value = i.value, stored_by = $1, stored_at = $2 \
         FROM value_in AS i WHERE d.period = i.period AND d.element = i.element \
         AND d.unit_id = i.unit_id AND d.disagg = i.disagg",
    )
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("TRUNCATE value_in").execute(&mut *conn).await?;
    Ok(())
}

/// Sends `rows` by `copy` (`COPY … FROM STDIN`), each row's fields
/// followed by `suffix`.
async fn copy_rows(
    conn: &mut sqlx::PgConnection,
    copy: &str,
    rows: &[Upsert<'_>],
    suffix: &str,
) -> Result<(), StoreError> {
    use crate::pg_copy::copy_text;
    use std::fmt::Write as _;
    let mut copy = crate::pg_copy::CopyIn::start(conn, copy).await?;
    for (p, e, u, d, v) in rows {
        let _ = write!(copy.line, "{p}\t");
        copy_text(&mut copy.line, e);
        let _ = write!(copy.line, "\t{u}\t");
        copy_text(&mut copy.line, d);
        let _ = write!(copy.line, "\t{v}{suffix}");
        copy.end_row().await?;
    }
    copy.finish().await
}

/// Folds one period and element's raw values, packed as the dialect's
/// `packed_values` packs them (`unit` US `value` US `disagg`, rows
/// separated by RS); returns how many.
fn fold_packed(
    fold: &mut crate::columns::Fold,
    period: &str,
    element: &str,
    packed: &str,
) -> Result<usize, StoreError> {
    let period = parse_period(period)?;
    let bad = || StoreError::Invalid(format!("a value of {period} {element} cannot be read"));
    let mut n = 0;
    for item in packed.split('\u{1e}') {
        let mut parts = item.splitn(3, '\u{1f}');
        let (Some(u), Some(v), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let u: i64 = u.parse().map_err(|_| bad())?;
        let v: i64 = v.parse().map_err(|_| bad())?;
        fold.push(period, element, d, UnitId(u), Fixed(v))
            .map_err(out_of_range)?;
        n += 1;
    }
    Ok(n)
}

macro_rules! impl_value_store {
    ($ty:ty, $db:ty, $dialect:expr, $insert:path, $update:path) => {
        #[async_trait]
        impl crate::value_write::ValueTx for ValueWriteTx<$ty, $db> {
            async fn approved_periods(
                &mut self,
                units: &BTreeSet<UnitId>,
            ) -> Result<Vec<(UnitId, Period)>, StoreError> {
                <$ty>::approved_periods_in(&mut self.0, units).await
            }

            async fn derivation_marks(
                &mut self,
            ) -> Result<Vec<crate::registers::DerivationMark>, StoreError> {
                let rows: Vec<(i64, i32, String)> = sqlx::query_as(
                    "SELECT commune_id, from_year, through FROM register_derivation",
                )
                .fetch_all(&mut *self.0)
                .await?;
                rows.into_iter()
                    .map(|(c, y, t)| {
                        Ok(crate::registers::DerivationMark {
                            commune: UnitId(c),
                            from_year: y,
                            through: parse_period(&t)?,
                        })
                    })
                    .collect()
            }

            async fn stored(
                &mut self,
                period: Period,
                element: &str,
                units: &[i64],
            ) -> Result<Vec<(i64, String, i64)>, StoreError> {
                let units = serde_json::to_string(units)
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                Ok(sqlx::query_as(&format!(
                    "SELECT unit_id, disagg, value FROM data_value \
                     WHERE period = $1 AND element = $2 AND {}",
                    $dialect.unit_in_json
                ))
                .bind(period.to_string())
                .bind(element)
                .bind(units)
                .fetch_all(&mut *self.0)
                .await?)
            }

            async fn insert(
                &mut self,
                rows: &[Upsert<'_>],
                by: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                $insert(&mut self.0, rows, by, at).await
            }

            async fn update(
                &mut self,
                rows: &[Upsert<'_>],
                by: &str,
                at: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                $update(&mut self.0, rows, by, at).await
            }

            async fn delete(&mut self, rows: &[Delete<'_>]) -> Result<(), StoreError> {
                for (p, e, u, d) in rows {
                    sqlx::query(
                        "DELETE FROM data_value WHERE period = $1 AND element = $2 AND unit_id = $3 AND disagg = $4",
                    )
                    .bind(p.to_string())
                    .bind(*e)
                    .bind(*u)
                    .bind(*d)
                    .execute(&mut *self.0)
                    .await?;
                }
                Ok(())
            }

            async fn commit(mut self) -> Result<(), StoreError> {
                if let Some((_, usual)) = $dialect.write_cache {
                    sqlx::query(usual).execute(&mut *self.0).await?;
                }
                Ok(self.0.commit().await?)
            }
        }

        impl $ty {
            /// The values generation (0 before the first write).
            async fn values_generation<'e, E>(executor: E) -> Result<i64, StoreError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let v: Option<String> = sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                    .bind(VALUES_GENERATION)
                    .fetch_optional(executor)
                    .await?;
                Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
            }

            /// Every raw value folded into columns, with the generation
            /// they are of (both read in one transaction).
            async fn fold_raw(&self) -> Result<(i64, Columns, usize), StoreError> {
                use futures_util::TryStreamExt;
                use sqlx::Row;
                let mut tx = self.pool.begin().await?;
                let generation = Self::values_generation(&mut *tx).await?;
                let mut fold = crate::columns::Fold::default();
                let mut n = 0usize;
                {
                    let mut rows = sqlx::query($dialect.packed_values).fetch(&mut *tx);
                    while let Some(row) = rows.try_next().await? {
                        n += fold_packed(
                            &mut fold,
                            row.try_get::<&str, _>(0)?,
                            row.try_get(1)?,
                            row.try_get(2)?,
                        )?;
                    }
                }
                tx.commit().await?;
                Ok((generation, fold.finish(), n))
            }

            /// The columns, current at the stored generation (see
            /// [`crate::held::HeldColumns::current`]).
            async fn current_columns(
                &self,
            ) -> Result<tokio::sync::RwLockReadGuard<'_, Columns>, StoreError> {
                self.columns.current(self).await
            }

            /// A write of values by `writer` (see [`crate::value_write`]).
            async fn write_chunks_by(
                &self,
                h: &Hierarchy,
                chunks: &mut dyn WriteChunks,
                by: &str,
                writer: crate::value_write::Writer,
            ) -> Result<usize, WriteError> {
                // The columns are loaded before the write, so that they
                // take its deltas and are current the moment it commits.
                drop(self.current_columns().await?);
                let mut tx = self.begin_write().await?;
                // The generation first: on PostgreSQL its row lock makes
                // writers of values wait for each other before they read
                // the values they replace.
                let generation: String = sqlx::query_scalar(
                    &format!("{} RETURNING value", crate::network::BUMP_GENERATION),
                )
                .bind(VALUES_GENERATION)
                .fetch_one(&mut *tx)
                .await?;
                let generation: i64 = generation.parse().unwrap_or(-1);
                if let Some((large, _)) = $dialect.write_cache {
                    sqlx::query(large).execute(&mut *tx).await?;
                }
                let written = crate::value_write::write_chunks(
                    ValueWriteTx::<$ty, $db>(tx, std::marker::PhantomData),
                    generation,
                    &self.columns,
                    h,
                    chunks,
                    by,
                    writer,
                )
                .await?;
                self.columns.stamp(self, written.snapshot).await;
                Ok(written.changed)
            }

            /// Writes the snapshot of the held columns (on close).
            pub(crate) async fn snapshot_columns(&self) {
                self.columns.snapshot_on_close(self).await
            }
        }

        #[async_trait]
        impl crate::held::ColumnSource for $ty {
            async fn generation(&self) -> Result<i64, StoreError> {
                Self::values_generation(&self.pool).await
            }

            async fn fold_raw(&self) -> Result<(i64, Columns, usize), StoreError> {
                <$ty>::fold_raw(self).await
            }

            async fn snapshot_stamp(&self) -> Result<Option<String>, StoreError> {
                crate::Store::meta(self, VALUES_SNAPSHOT).await
            }

            async fn set_snapshot_stamp(&self, stamp: &str) -> Result<(), StoreError> {
                crate::Store::set_meta(self, VALUES_SNAPSHOT, stamp).await
            }
        }

        #[async_trait]
        impl crate::raw::RawValueWrites for $ty {
            async fn write_derived_values(
                &self,
                h: &Hierarchy,
                writes: &[ValueWrite],
                by: &str,
            ) -> Result<usize, WriteError> {
                self.write_chunks_by(
                    h,
                    &mut OneChunk(Some(writes)),
                    by,
                    crate::value_write::Writer::Derivation,
                )
                .await
            }
        }

        #[async_trait]
        impl ValueStore for $ty {
            async fn write_value_chunks(
                &self,
                h: &Hierarchy,
                chunks: &mut dyn WriteChunks,
                by: &str,
            ) -> Result<usize, WriteError> {
                self.write_chunks_by(h, chunks, by, crate::value_write::Writer::Hand).await
            }


            async fn data_values(&self, f: &ValueFilter) -> Result<Vec<StoredValue>, StoreError> {
                // Only the conditions given, so the primary key (period
                // first) and the unit index serve them: `($1 IS NULL OR …)`
                // made every form read the whole table.
                if f.units.as_ref().is_some_and(|u| u.is_empty()) {
                    return Ok(vec![]);
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "SELECT period, element, unit_id, disagg, value, stored_by, stored_at FROM data_value WHERE 1 = 1",
                );
                if let Some(e) = &f.element {
                    qb.push(" AND element = ").push_bind(e.clone());
                }
                if let Some(p) = f.period {
                    qb.push(" AND period = ").push_bind(p.to_string());
                }
                if let Some(us) = f.units.as_ref().filter(|u| u.len() <= 500) {
                    qb.push(" AND unit_id IN (");
                    let mut sep = qb.separated(", ");
                    for u in us {
                        sep.push_bind(u.0);
                    }
                    qb.push(")");
                }
                qb.push(" ORDER BY period, element, unit_id, disagg");
                let rows: Vec<(String, String, i64, String, i64, String, DateTime<Utc>)> =
                    qb.build_query_as().fetch_all(&self.pool).await?;
                let mut out = Vec::with_capacity(rows.len());
                for (p, e, u, d, v, by, at) in rows {
                    if let Some(us) = &f.units {
                        if !us.contains(&UnitId(u)) {
                            continue;
                        }
                    }
                    out.push(StoredValue {
                        value: DataValue {
                            element: e,
                            unit: UnitId(u),
                            period: parse_period(&p)?,
                            disagg: d,
                            value: Fixed(v),
                        },
                        stored_by: by,
                        stored_at: at,
                    });
                }
                Ok(out)
            }

            async fn period_values(&self, period: Period) -> Result<Vec<Recorded>, StoreError> {
                Ok(self.current_columns().await?.recorded(period, None, &mut |_| true))
            }

            async fn period_values_where(
                &self,
                period: Period,
                elements: &[&str],
                keep: &mut (dyn FnMut(UnitId) -> bool + Send),
            ) -> Result<Vec<Recorded>, StoreError> {
                Ok(self.current_columns().await?.recorded(period, Some(elements), keep))
            }

            async fn population_cells(&self, year: i32) -> Result<Vec<PopulationCell>, StoreError> {
                let generation = crate::network::NetworkStore::generation(self).await?;
                if let Some(p) = self.cache.population(year, generation) {
                    return Ok(p);
                }
                let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
                    "SELECT unit_id, sex, age_group, count FROM population WHERE year = $1",
                )
                .bind(year)
                .fetch_all(&self.pool)
                .await?;
                let out: Vec<PopulationCell> = rows
                    .into_iter()
                    .map(|(u, s, a, c)| {
                        Ok(PopulationCell {
                            unit: UnitId(u),
                            sex: s.parse::<Sex>().map_err(StoreError::Invalid)?,
                            age: a.parse::<AgeGroup>().map_err(StoreError::Invalid)?,
                            count: c as f64,
                        })
                    })
                    .collect::<Result<_, StoreError>>()?;
                self.cache.keep_population(year, generation, &out);
                Ok(out)
            }

            async fn rebuild(&self, apply: bool) -> Result<RebuildReport, StoreError> {
                self.columns.rebuild(self, apply).await
            }

            async fn link_target(&self, l: &TargetLink) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO target_link (plan_id, target_id, indicator, org_code, year, linked_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (plan_id, target_id) DO UPDATE SET \
                     indicator = excluded.indicator, org_code = excluded.org_code, year = excluded.year, \
                     linked_at = excluded.linked_at",
                )
                .bind(l.plan_id)
                .bind(&l.target_id)
                .bind(&l.indicator)
                .bind(&l.org_code)
                .bind(l.year)
                .bind(Utc::now())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn target_links(&self, plan_id: i64) -> Result<Vec<TargetLink>, StoreError> {
                let rows: Vec<(String, String, String, i32)> = sqlx::query_as(
                    "SELECT target_id, indicator, org_code, year FROM target_link WHERE plan_id = $1 ORDER BY target_id",
                )
                .bind(plan_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(target_id, indicator, org_code, year)| TargetLink {
                        plan_id,
                        target_id,
                        indicator,
                        org_code,
                        year,
                    })
                    .collect())
            }
        }
    };
}

impl_value_store!(
    crate::SqliteStore,
    sqlx::Sqlite,
    SQLITE,
    sqlite_upsert,
    sqlite_upsert
);
impl_value_store!(
    crate::PgStore,
    sqlx::Postgres,
    POSTGRES,
    pg_insert,
    pg_update
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_values_fold_or_name_the_period_and_element() {
        let mut fold = crate::columns::Fold::default();
        let n = fold_packed(
            &mut fold,
            "2024-06",
            "live_births",
            "12\u{1f}3000\u{1f}m\u{1e}13\u{1f}4000\u{1f}f",
        )
        .unwrap();
        assert_eq!(n, 2);
        assert!(fold.finish().len() >= 2);
        let mut fold = crate::columns::Fold::default();
        let err = fold_packed(&mut fold, "2024-06", "live_births", "12\u{1f}x\u{1f}m")
            .unwrap_err()
            .to_string();
        assert!(err.contains("2024-06 live_births"), "{err}");
        let err = fold_packed(&mut fold, "2024-06", "deaths", "12\u{1f}3000")
            .unwrap_err()
            .to_string();
        assert!(err.contains("2024-06 deaths"), "{err}");
    }
}
