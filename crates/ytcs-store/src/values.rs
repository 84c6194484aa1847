//! Storage of aggregate data values: raw values in SQL (`raw_value`),
//! every period's totals in memory ([`crate::columns`]).
//!
//! **Invariant.** The columns a store holds equal a fold of every row of
//! `raw_value` ([`crate::columns::Columns::fold`]) at the values
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
//! **Raw values as integer codes** (migration 0013). A value is a row
//! `(period, series, unit_id, value, batch)` of integers: the period and
//! the series (element, disaggregation) are ids of two small
//! dictionaries (`value_period`, `value_series`, read whole by a write or
//! a fold: [`Codes`]), who wrote it and when is one `value_batch` row per
//! write. The key is `(period, series, unit_id)` (SQLite: `WITHOUT
//! ROWID`), the order an import arrives in; there is no index by unit
//! (it cost a third of an import) and no foreign key (codes are added in
//! the write's own transaction; units are checked against the hierarchy
//! first, [`check_write`], and are closed, never deleted). A reader by
//! unit names its elements and periods ([`ValueFilter`]), which the key
//! serves. The view `data_value` shows the rows with their texts, as the
//! table of migration 0004 had them, for people reading SQL. Until 0013
//! a value was a text-keyed row with who and when and a unit index:
//! SQLite's own floor for that table was ~280,000 rows/s at 3 M values
//! (`scripts/sqlite-insert-floor.py`), ~730,000 for this one.
//!
//! [`ValueStore::period_values_of`] reads only the elements a figure
//! names (`ytcs_core::formula::elements_read`; the population only when
//! `reads_population`). The one write of values is
//! [`crate::value_write`]; keeping the columns is [`crate::held`].
//!
//! **Values in columns, in memory.** SQL holds the raw values only. A
//! figure rolls the columns up through the hierarchy of the day asked for
//! (`ytcs_core::rollup`), reading only its formula's elements and only the
//! values that can reach the units asked about (`Rollup::reaches`). Until
//! migration 0012 a table `data_aggregate` held these sums; writing a
//! text-keyed row per value and per sum was most of an import's time and
//! gave nothing a fold in memory does not. A restart reads the snapshot
//! (10 M values, 14.2 M rows of columns: 0.4 s to the first answer); a
//! snapshot is written after a write of `SNAPSHOT_AFTER` (100,000) values
//! or more, after a fold of that many, after `rebuild`, and when the
//! store closes — through a temporary file renamed when complete, its
//! stamp set in `meta` after. It is a plain little-endian dump of four
//! arrays and a dictionary: Arrow IPC or Parquet would bring a large
//! build for no reader we have. PostgreSQL has no snapshot (it folds its
//! raw values at start). Aggregation is a sum; stocks are collected in
//! yearly data sets. Figures before and after are in README (`ytcs bench
//! indicators`).
//!
//! **Raw values move in bulk.** On SQLite a write binds 6,500 rows of
//! integers to one `INSERT … VALUES` (prepared once, kept by the
//! connection): 2.5 times faster than one JSON text per 50,000 rows that
//! SQLite unpacked with `json_each` (which parsed each row's array once
//! per field). Parameters are anonymous `?`: sqlx binds them by position,
//! but looks a named `$N` up by name, which SQLite finds by a linear
//! search (an 8,000-row statement took 1.2 s to bind). A fold reads each
//! period and series' values packed in one text (`group_concat` /
//! `string_agg` of `unit,value` pairs), parsed in Rust: sqlx decoding
//! rows one by one cost 15 times more. A chunked write raises SQLite's
//! page cache to 256 MB for its transaction (2 MB by default; lowered
//! before the commit): a large import read and wrote the same pages
//! again and again. On PostgreSQL new values go in by `COPY`
//! (`crate::pg_copy`), replaced ones by `COPY` into a temporary table and
//! one `UPDATE … FROM`. The two dialects are one constant each
//! (`Dialect`).
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
use crate::value_write::{Codes, Delete, Upsert};
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
    /// Only these recorded units. Without `period`, `starting_within`,
    /// `element` or `elements` a filter by units reads every raw value
    /// (there is no index by unit, see migration 0013): name what you
    /// read.
    pub units: Option<Vec<UnitId>>,
    /// Only these elements.
    pub elements: Option<Vec<String>>,
    /// Only periods starting within these two days (both included).
    pub starting_within: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
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
    /// The raw values `filter` selects, without who stored them and when,
    /// in no order: what a comparison of many values reads (a
    /// derivation's stored values, [`crate::registers`]). On a SQLite
    /// file the rows are stepped through `rusqlite` on a read-only
    /// connection of their own (sqlx hands them over one at a time, ~5 µs
    /// a row: 1.3 s of a 200,000-person batch's 250,000 values).
    async fn raw_values(&self, filter: &ValueFilter) -> Result<Vec<DataValue>, StoreError>;
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

pub(crate) fn parse_period(s: &str) -> Result<Period, StoreError> {
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
    /// Each period and series' raw values as one text (`unit,value`
    /// pairs separated by `;`), in key order.
    packed_values: &'static str,
    /// `COLUMN` is one of a JSON array of integers bound as `$N`, the
    /// array read once (on PostgreSQL a subquery in `IN` was read again
    /// for every row: seconds a group).
    in_json: fn(column: &str, param: usize) -> String,
    /// Statements run on a chunked write's connection before its first
    /// chunk and before its commit: SQLite's page cache (2 MB by default)
    /// made a large import read and write the same pages again and again
    /// (3 M values: 92,000 values/s with 2 MB, 120,000 with 256 MB).
    /// Lowered before the commit, the cache gives its pages back as they
    /// are written out.
    write_cache: Option<(&'static str, &'static str)>,
}

const SQLITE: Dialect = Dialect {
    packed_values: "SELECT period, series, group_concat(unit_id || ',' || value, ';') \
        FROM raw_value GROUP BY period, series ORDER BY period, series",
    in_json: |column, param| format!("{column} IN (SELECT value FROM json_each(${param}))"),
    write_cache: Some(("PRAGMA cache_size = -262144", "PRAGMA cache_size = -2000")),
};

const POSTGRES: Dialect = Dialect {
    packed_values: "SELECT period, series, string_agg(unit_id::text || ',' || value::text, ';') \
        FROM raw_value GROUP BY period, series ORDER BY period, series",
    in_json: |column, param| {
        format!(
            "{column} = ANY(ARRAY(SELECT (jsonb_array_elements_text(${param}::jsonb))::bigint))"
        )
    },
    write_cache: None,
};

pub(crate) fn out_of_range(e: crate::columns::UnitOutOfRange) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// A write's transaction on one engine, for [`crate::value_write`].
pub(crate) struct ValueWriteTx<S, DB: sqlx::Database>(
    crate::common::WriteTx<DB>,
    std::marker::PhantomData<S>,
);

/// Rows of one `INSERT … VALUES` on SQLite: five bound values each,
/// within SQLite's 32,766 bound values a statement.
const SQLITE_ROWS_PER_INSERT: usize = 6_500;

/// The upsert of `rows` rows. Anonymous `?` parameters only: sqlx binds
/// them by position, while it looks each named one (`$N`) up by name,
/// which SQLite finds by a linear search (an 8,000-row statement of `$N`
/// took 1.2 s to bind).
fn sqlite_upsert_statement(rows: usize) -> String {
    let mut sql = String::with_capacity(140 + rows * 17);
    sql.push_str("INSERT INTO raw_value (period, series, unit_id, value, batch) VALUES ");
    for r in 0..rows {
        sql.push_str(if r == 0 {
            "(?, ?, ?, ?, ?)"
        } else {
            ", (?, ?, ?, ?, ?)"
        });
    }
    sql.push_str(
        " ON CONFLICT (period, series, unit_id) DO UPDATE SET \
         value = excluded.value, batch = excluded.batch",
    );
    sql
}

/// Sets values on SQLite (new or stored: one statement does both), each
/// 6,500 rows as one `INSERT … VALUES` of bound integers (prepared once
/// and kept by the connection). Binding integers was 2.5 times faster
/// than one JSON text that SQLite unpacks (`json_each`, which parsed each
/// row's array once per field; `scripts/sqlite-insert-floor.py`).
async fn sqlite_upsert(
    conn: &mut sqlx::SqliteConnection,
    rows: &[Upsert],
    batch: i64,
) -> Result<(), StoreError> {
    static FULL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    for chunk in rows.chunks(SQLITE_ROWS_PER_INSERT) {
        let partial;
        let sql = if chunk.len() == SQLITE_ROWS_PER_INSERT {
            FULL.get_or_init(|| sqlite_upsert_statement(SQLITE_ROWS_PER_INSERT))
        } else {
            partial = sqlite_upsert_statement(chunk.len());
            &partial
        };
        let mut q = sqlx::query(sql);
        for &(p, s, u, v) in chunk {
            q = q.bind(p).bind(s).bind(u).bind(v).bind(batch);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Adds new values on PostgreSQL by `COPY`.
async fn pg_insert(
    conn: &mut sqlx::PgConnection,
    rows: &[Upsert],
    batch: i64,
) -> Result<(), StoreError> {
    copy_rows(
        conn,
        "COPY raw_value (period, series, unit_id, value, batch) FROM STDIN",
        rows,
        Some(batch),
    )
    .await
}

/// Replaces stored values on PostgreSQL: `COPY` into a temporary table
/// of the session (emptied at each commit), then one `UPDATE … FROM`.
async fn pg_update(
    conn: &mut sqlx::PgConnection,
    rows: &[Upsert],
    batch: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS raw_value_in (period bigint, series bigint, \
         unit_id bigint, value bigint) ON COMMIT DELETE ROWS",
    )
    .execute(&mut *conn)
    .await?;
    copy_rows(conn, "COPY raw_value_in FROM STDIN", rows, None).await?;
    sqlx::query(
        "UPDATE raw_value AS d SET value = i.value, batch = $1 \
         FROM raw_value_in AS i WHERE d.period = i.period AND d.series = i.series \
         AND d.unit_id = i.unit_id",
    )
    .bind(batch)
    .execute(&mut *conn)
    .await?;
    sqlx::query("TRUNCATE raw_value_in")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Sends `rows` by `copy` (`COPY … FROM STDIN`), each row followed by
/// `batch` when given.
async fn copy_rows(
    conn: &mut sqlx::PgConnection,
    copy: &str,
    rows: &[Upsert],
    batch: Option<i64>,
) -> Result<(), StoreError> {
    use std::fmt::Write as _;
    let mut copy = crate::pg_copy::CopyIn::start(conn, copy).await?;
    for (p, s, u, v) in rows {
        let _ = write!(copy.line, "{p}\t{s}\t{u}\t{v}");
        if let Some(b) = batch {
            let _ = write!(copy.line, "\t{b}");
        }
        copy.end_row().await?;
    }
    copy.finish().await
}

/// Folds one period and series' raw values, packed as the dialect's
/// `packed_values` packs them (`unit,value` pairs separated by `;`);
/// returns how many. `name` names the group in an error.
fn fold_packed(
    fold: &mut crate::columns::Fold,
    period: Period,
    series: u32,
    packed: &str,
    name: &dyn Fn() -> String,
) -> Result<usize, StoreError> {
    let bad = || StoreError::Invalid(format!("a value of {} cannot be read", name()));
    let mut n = 0;
    for item in packed.split(';') {
        let (u, v) = item.split_once(',').ok_or_else(bad)?;
        let u: i64 = u.parse().map_err(|_| bad())?;
        let v: i64 = v.parse().map_err(|_| bad())?;
        fold.push_series(period, series, UnitId(u), Fixed(v))
            .map_err(out_of_range)?;
        n += 1;
    }
    Ok(n)
}

/// A filter's periods and series as codes (`None`: any); an empty list
/// matches nothing.
fn coded_filter(codes: &Codes, f: &ValueFilter) -> (Option<Vec<i64>>, Option<Vec<i64>>) {
    let periods = (f.period.is_some() || f.starting_within.is_some()).then(|| {
        let mut ids: Vec<i64> = codes
            .periods()
            .filter(|(p, _)| f.period.is_none_or(|x| x == *p))
            .filter(|(p, _)| {
                f.starting_within
                    .is_none_or(|(from, to)| p.start() >= from && p.start() <= to)
            })
            .map(|(_, id)| id)
            .collect();
        ids.sort_unstable();
        ids
    });
    let series = (f.element.is_some() || f.elements.is_some()).then(|| {
        let mut ids: Vec<i64> = codes
            .series_by_id()
            .into_iter()
            .filter(|(_, (e, _))| f.element.as_deref().is_none_or(|x| x == *e))
            .filter(|(_, (e, _))| {
                f.elements
                    .as_ref()
                    .is_none_or(|es| es.iter().any(|x| x == e))
            })
            .map(|(id, _)| id)
            .collect();
        ids.sort_unstable();
        ids
    });
    (periods, series)
}

/// Rows `(period id, series id, unit, value, by, at)` as stored values of
/// `units` (any: `None`), ordered by period, element, unit and
/// disaggregation.
fn stored_values(
    codes: &Codes,
    rows: Vec<(i64, i64, i64, i64, String, DateTime<Utc>)>,
    units: Option<&[UnitId]>,
) -> Result<Vec<StoredValue>, StoreError> {
    let decode = Decoder::new(codes);
    let mut out = Vec::with_capacity(rows.len());
    for (p, s, u, v, by, at) in rows {
        if units.is_some_and(|us| !us.contains(&UnitId(u))) {
            continue;
        }
        out.push(StoredValue {
            value: decode.value(p, s, u, v)?,
            stored_by: by,
            stored_at: at,
        });
    }
    let mut keyed: Vec<(String, StoredValue)> = out
        .into_iter()
        .map(|s| (s.value.period.to_string(), s))
        .collect();
    keyed.sort_by(|(pa, a), (pb, b)| {
        (pa, &a.value.element, a.value.unit, &a.value.disagg).cmp(&(
            pb,
            &b.value.element,
            b.value.unit,
            &b.value.disagg,
        ))
    });
    Ok(keyed.into_iter().map(|(_, s)| s).collect())
}

/// A fold of packed raw values by their codes (the rows of the
/// dialect's `packed_values`).
struct CodedFold {
    fold: crate::columns::Fold,
    periods: HashMap<i64, Period>,
    series: HashMap<i64, u32>,
    values: usize,
}

impl CodedFold {
    fn new(codes: &Codes) -> CodedFold {
        let mut fold = crate::columns::Fold::default();
        let series = codes
            .series_by_id()
            .into_iter()
            .map(|(id, (e, d))| (id, fold.series_id(e, d)))
            .collect();
        CodedFold {
            fold,
            periods: codes.period_by_id(),
            series,
            values: 0,
        }
    }

    /// One period and series' values, packed.
    fn push(&mut self, period: i64, series: i64, packed: &str) -> Result<(), StoreError> {
        let unknown = || {
            StoreError::Invalid(format!(
                "raw values of period id {period} and series id {series} have no code"
            ))
        };
        let p = *self.periods.get(&period).ok_or_else(unknown)?;
        let s = *self.series.get(&series).ok_or_else(unknown)?;
        self.values += fold_packed(&mut self.fold, p, s, packed, &|| {
            format!("{p} series {series}")
        })?;
        Ok(())
    }

    /// The columns and how many values they fold.
    fn finish(self) -> (Columns, usize) {
        (self.fold.finish(), self.values)
    }
}

/// The query of [`ValueStore::raw_values`]: `(period id, series id,
/// unit, value)` rows; the lists are the store's own integer ids,
/// written into the text (no bind limit).
fn raw_values_sql(
    periods: Option<&[i64]>,
    series: Option<&[i64]>,
    units: Option<&[UnitId]>,
) -> String {
    use std::fmt::Write;
    let mut sql = String::from("SELECT period, series, unit_id, value FROM raw_value WHERE 1 = 1");
    let list = |sql: &mut String, column: &str, ids: &mut dyn Iterator<Item = i64>| {
        let _ = write!(sql, " AND {column} IN (");
        for (i, id) in ids.enumerate() {
            if i > 0 {
                sql.push(',');
            }
            let _ = write!(sql, "{id}");
        }
        sql.push(')');
    };
    if let Some(ids) = periods {
        list(&mut sql, "period", &mut ids.iter().copied());
    }
    if let Some(ids) = series {
        list(&mut sql, "series", &mut ids.iter().copied());
    }
    if let Some(us) = units.filter(|u| u.len() <= 5000) {
        list(&mut sql, "unit_id", &mut us.iter().map(|u| u.0));
    }
    sql
}

/// Rows `(period id, series id, unit, value)` as values of `units` (any:
/// `None`).
fn coded_values(
    codes: &Codes,
    rows: Vec<(i64, i64, i64, i64)>,
    units: Option<&[UnitId]>,
) -> Result<Vec<DataValue>, StoreError> {
    let decode = Decoder::new(codes);
    let units: Option<BTreeSet<UnitId>> = units.map(|u| u.iter().copied().collect());
    let mut out = Vec::with_capacity(rows.len());
    for (p, s, u, v) in rows {
        if units.as_ref().is_some_and(|us| !us.contains(&UnitId(u))) {
            continue;
        }
        out.push(decode.value(p, s, u, v)?);
    }
    Ok(out)
}

/// A raw value's codes read back through the dictionaries.
struct Decoder<'c> {
    periods: HashMap<i64, Period>,
    series: HashMap<i64, (&'c str, &'c str)>,
}

impl<'c> Decoder<'c> {
    fn new(codes: &'c Codes) -> Self {
        Decoder {
            periods: codes.period_by_id(),
            series: codes.series_by_id(),
        }
    }

    /// The value of row `(period id, series id, unit, value)`.
    fn value(&self, p: i64, s: i64, u: i64, v: i64) -> Result<DataValue, StoreError> {
        let unknown = || {
            StoreError::Invalid(format!(
                "a raw value of unit {u} has codes ({p}, {s}) unknown"
            ))
        };
        let period = *self.periods.get(&p).ok_or_else(unknown)?;
        let (e, d) = *self.series.get(&s).ok_or_else(unknown)?;
        Ok(DataValue {
            element: e.to_string(),
            unit: UnitId(u),
            period,
            disagg: d.to_string(),
            value: Fixed(v),
        })
    }
}

impl crate::SqliteStore {
    /// Rows of four integers; on a file through `rusqlite`
    /// ([`crate::sqlite_read`]).
    async fn coded_rows(&self, sql: String) -> Result<Vec<(i64, i64, i64, i64)>, StoreError> {
        match self.path.clone() {
            Some(path) => {
                tokio::task::spawn_blocking(move || crate::sqlite_read::integer_rows(&path, &sql))
                    .await
                    .map_err(|e| StoreError::Invalid(format!("reading values: {e}")))?
            }
            None => Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?),
        }
    }
}

impl crate::PgStore {
    /// Rows of four integers.
    async fn coded_rows(&self, sql: String) -> Result<Vec<(i64, i64, i64, i64)>, StoreError> {
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }
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

            async fn codes(&mut self) -> Result<crate::value_write::Codes, StoreError> {
                <$ty>::codes_in(&mut *self.0).await
            }

            async fn add_period(&mut self, period: Period) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar("INSERT INTO value_period (period) VALUES ($1) RETURNING id")
                    .bind(period.to_string())
                    .fetch_one(&mut *self.0)
                    .await?)
            }

            async fn add_series(&mut self, element: &str, disagg: &str) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO value_series (element, disagg) VALUES ($1, $2) RETURNING id",
                )
                .bind(element)
                .bind(disagg)
                .fetch_one(&mut *self.0)
                .await?)
            }

            async fn add_batch(&mut self, by: &str, at: DateTime<Utc>) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO value_batch (stored_by, stored_at) VALUES ($1, $2) RETURNING id",
                )
                .bind(by)
                .bind(at)
                .fetch_one(&mut *self.0)
                .await?)
            }

            async fn stored(
                &mut self,
                period: i64,
                series: &[i64],
                units: &[i64],
            ) -> Result<Vec<(i64, i64, i64)>, StoreError> {
                let json = |ids: &[i64]| {
                    serde_json::to_string(ids).map_err(|e| StoreError::Invalid(e.to_string()))
                };
                Ok(sqlx::query_as(&format!(
                    "SELECT unit_id, series, value FROM raw_value WHERE period = $1 AND {} AND {}",
                    ($dialect.in_json)("series", 2),
                    ($dialect.in_json)("unit_id", 3),
                ))
                .bind(period)
                .bind(json(series)?)
                .bind(json(units)?)
                .fetch_all(&mut *self.0)
                .await?)
            }

            async fn insert(&mut self, rows: &[Upsert], batch: i64) -> Result<(), StoreError> {
                $insert(&mut self.0, rows, batch).await
            }

            async fn update(&mut self, rows: &[Upsert], batch: i64) -> Result<(), StoreError> {
                $update(&mut self.0, rows, batch).await
            }

            async fn delete(&mut self, rows: &[Delete]) -> Result<(), StoreError> {
                for (p, s, u) in rows {
                    sqlx::query("DELETE FROM raw_value WHERE period = $1 AND series = $2 AND unit_id = $3")
                        .bind(*p)
                        .bind(*s)
                        .bind(*u)
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

            /// The dictionaries of raw values' codes.
            async fn codes_in(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> Result<crate::value_write::Codes, StoreError> {
                let periods: Vec<(i64, String)> =
                    sqlx::query_as("SELECT id, period FROM value_period")
                        .fetch_all(&mut *conn)
                        .await?;
                let series: Vec<(i64, String, String)> =
                    sqlx::query_as("SELECT id, element, disagg FROM value_series")
                        .fetch_all(&mut *conn)
                        .await?;
                crate::value_write::Codes::from_rows(periods, series)
            }

            /// Every raw value folded into columns, with the generation
            /// they are of (both read in one transaction).
            async fn fold_raw(&self) -> Result<(i64, Columns, usize), StoreError> {
                use futures_util::TryStreamExt;
                use sqlx::Row;
                let mut tx = self.pool.begin().await?;
                let generation = Self::values_generation(&mut *tx).await?;
                let codes = Self::codes_in(&mut *tx).await?;
                let mut fold = CodedFold::new(&codes);
                {
                    let mut rows = sqlx::query($dialect.packed_values).fetch(&mut *tx);
                    while let Some(row) = rows.try_next().await? {
                        fold.push(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)?;
                    }
                }
                let (columns, n) = fold.finish();
                tx.commit().await?;
                Ok((generation, columns, n))
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
                // Only the conditions given, in codes, so the primary key
                // (period, series, unit) serves them: `($1 IS NULL OR …)`
                // made every form read the whole table.
                if f.units.as_ref().is_some_and(|u| u.is_empty()) {
                    return Ok(vec![]);
                }
                let mut conn = self.pool.acquire().await?;
                let codes = Self::codes_in(&mut conn).await?;
                let (periods, series) = coded_filter(&codes, f);
                if periods.as_ref().is_some_and(Vec::is_empty)
                    || series.as_ref().is_some_and(Vec::is_empty)
                {
                    return Ok(vec![]);
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(
                    "SELECT r.period, r.series, r.unit_id, r.value, b.stored_by, b.stored_at \
                     FROM raw_value AS r JOIN value_batch AS b ON b.id = r.batch WHERE 1 = 1",
                );
                for (column, ids) in [
                    ("r.period", periods.as_deref()),
                    ("r.series", series.as_deref()),
                ] {
                    if let Some(ids) = ids {
                        qb.push(format!(" AND {column} IN ("));
                        let mut sep = qb.separated(", ");
                        for id in ids {
                            sep.push_bind(*id);
                        }
                        qb.push(")");
                    }
                }
                if let Some(us) = f.units.as_ref().filter(|u| u.len() <= 500) {
                    qb.push(" AND r.unit_id IN (");
                    let mut sep = qb.separated(", ");
                    for u in us {
                        sep.push_bind(u.0);
                    }
                    qb.push(")");
                }
                let rows: Vec<(i64, i64, i64, i64, String, DateTime<Utc>)> =
                    qb.build_query_as().fetch_all(&mut *conn).await?;
                stored_values(&codes, rows, f.units.as_deref())
            }

            async fn raw_values(&self, f: &ValueFilter) -> Result<Vec<DataValue>, StoreError> {
                if f.units.as_ref().is_some_and(|u| u.is_empty()) {
                    return Ok(vec![]);
                }
                let codes = {
                    let mut conn = self.pool.acquire().await?;
                    Self::codes_in(&mut conn).await?
                };
                let (periods, series) = coded_filter(&codes, f);
                if periods.as_ref().is_some_and(Vec::is_empty)
                    || series.as_ref().is_some_and(Vec::is_empty)
                {
                    return Ok(vec![]);
                }
                let sql = raw_values_sql(periods.as_deref(), series.as_deref(), f.units.as_deref());
                let rows = self.coded_rows(sql).await?;
                coded_values(&codes, rows, f.units.as_deref())
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
    fn packed_values_fold_or_name_the_period_and_series() {
        let june = Period::Month(2024, 6);
        let mut fold = crate::columns::Fold::default();
        let births = fold.series_id("live_births", "m");
        let name = || "2024-06 live_births/m".to_string();
        let n = fold_packed(&mut fold, june, births, "12,3000;13,4000", &name).unwrap();
        assert_eq!(n, 2);
        assert_eq!(
            fold.finish().len(),
            6,
            "two units × the month, its quarter and year"
        );
        let mut fold = crate::columns::Fold::default();
        for bad in ["12,x", "12", "12,3000;", "x,1"] {
            let err = fold_packed(&mut fold, june, births, bad, &name)
                .unwrap_err()
                .to_string();
            assert!(err.contains("2024-06 live_births/m"), "{bad}: {err}");
        }
    }

    /// Migration 0013 codes the values stored as texts before it: the
    /// same values, who and when, and the columns folded from them.
    #[tokio::test]
    async fn migration_0013_keeps_the_values_stored_as_texts() {
        use sqlx::Connection as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(false);
        let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        let before_0013 = sqlx::migrate::Migrator {
            migrations: std::borrow::Cow::Owned(
                crate::sqlite::MIGRATOR
                    .iter()
                    .filter(|m| m.version < 13)
                    .cloned()
                    .collect(),
            ),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        before_0013.run(&mut conn).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO data_value VALUES \
             ('live_births', 7, '2024-06', 'm', 3000, 'import', '2024-07-02T01:00:00Z'), \
             ('live_births', 7, '2024-06', 'f', 4000, 'import', '2024-07-02T01:00:00Z'), \
             ('live_births', 8, '2024-07', 'm', 5000, 'tram', '2024-08-03T02:00:00Z'), \
             ('food_poisoning_cases', 7, '2024', '', 2000, 'tram', '2024-08-03T02:00:00Z')",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();

        let s = crate::SqliteStore::open(&path).await.unwrap();
        let all = s.data_values(&ValueFilter::default()).await.unwrap();
        let rows: Vec<(String, i64, String, String, i64, String)> = all
            .iter()
            .map(|v| {
                (
                    v.value.period.to_string(),
                    v.value.unit.0,
                    v.value.element.clone(),
                    v.value.disagg.clone(),
                    v.value.value.0,
                    v.stored_by.clone(),
                )
            })
            .collect();
        let row = |p: &str, u, e: &str, d: &str, v, by: &str| {
            (
                p.to_string(),
                u,
                e.to_string(),
                d.to_string(),
                v,
                by.to_string(),
            )
        };
        assert_eq!(
            rows,
            [
                row("2024", 7, "food_poisoning_cases", "", 2000, "tram"),
                row("2024-06", 7, "live_births", "f", 4000, "import"),
                row("2024-06", 7, "live_births", "m", 3000, "import"),
                row("2024-07", 8, "live_births", "m", 5000, "tram"),
            ]
        );
        assert_eq!(all[3].stored_at.to_rfc3339(), "2024-08-03T02:00:00+00:00");
        let june = s
            .data_values(&ValueFilter {
                period: Some(Period::Month(2024, 6)),
                units: Some(vec![UnitId(7)]),
                elements: Some(vec!["live_births".into()]),
                ..ValueFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(june.len(), 2);
        let r = s.rebuild(false).await.unwrap();
        assert_eq!(r.values, 4);
        assert!(r.equal(), "{r:?}");
        // The view shows the rows as before, for people reading SQL.
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM data_value WHERE element = 'live_births' AND period = '2024-06'",
        )
        .fetch_one(&s.pool)
        .await
        .unwrap();
        assert_eq!(n, 2);
    }
}
