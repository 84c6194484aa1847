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
    /// checked in the same transaction. Returns how many values changed.
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
fn locked_write(
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
const SNAPSHOT_AFTER: usize = 100_000;

/// The value columns a store holds, stamped with the values generation
/// they are current at (see the module comment), and where their
/// snapshot file is kept (SQLite: beside the database; none in memory or
/// on PostgreSQL, which folds them from its raw values when it starts).
#[derive(Debug, Default)]
pub(crate) struct HeldColumns {
    state: tokio::sync::RwLock<Option<(i64, Columns)>>,
    pub(crate) snapshot: Option<std::path::PathBuf>,
}

impl HeldColumns {
    /// Columns kept at `path` (the database file's name + `.columns`).
    pub(crate) fn beside(db: &std::path::Path) -> HeldColumns {
        HeldColumns {
            state: Default::default(),
            snapshot: Some(std::path::PathBuf::from(format!(
                "{}.columns",
                db.display()
            ))),
        }
    }
}

/// The SQL of values that differs between the two engines.
struct Dialect {
    /// Rows `(period, element, unit_id, disagg, value, stored_by,
    /// stored_at)` from a JSON array of `[period, element, unit, disagg,
    /// value]` (`$1`), by `$2` at `$3`: a whole chunk of an import in one
    /// bound text, so the driver's cost per bound value is paid once.
    rows_from_json: &'static str,
    /// Each period and element's raw values as one text (`unit` US
    /// `value` US `disagg`, rows separated by RS), in period order.
    packed_values: &'static str,
    /// `unit_id` is one of a JSON array of integers (`$3`), the array
    /// read once (on PostgreSQL a subquery in `IN` was read again for
    /// every row: seconds a group).
    unit_in_json: &'static str,
}

const SQLITE: Dialect = Dialect {
    rows_from_json: "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), \
        json_extract(j.value, '$[2]'), json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), \
        $2, $3 FROM json_each($1) AS j WHERE true",
    packed_values: "SELECT period, element, \
        group_concat(unit_id || char(31) || value || char(31) || disagg, char(30)) \
        FROM data_value GROUP BY period, element ORDER BY period, element",
    unit_in_json: "unit_id IN (SELECT value FROM json_each($3))",
};

const POSTGRES: Dialect = Dialect {
    rows_from_json: "SELECT j->>0, j->>1, (j->>2)::bigint, j->>3, (j->>4)::bigint, $2, $3 \
        FROM jsonb_array_elements($1::jsonb) AS j",
    packed_values: "SELECT period, element, \
        string_agg(unit_id::text || chr(31) || value::text || chr(31) || disagg, chr(30)) \
        FROM data_value GROUP BY period, element ORDER BY period, element",
    unit_in_json: "unit_id = ANY(ARRAY(SELECT (jsonb_array_elements_text($3::jsonb))::bigint))",
};

/// A write's deltas of one period: (series index, unit, total delta,
/// count delta).
type PeriodDeltas = (Period, Vec<(u32, u32, i64, i32)>);

/// Deltas a write keeps for its commit before it takes the columns' lock
/// and adds them as it goes (about 24 bytes each).
const DELTAS_HELD: usize = 2_000_000;

/// Adds a write's `deltas` (per period: series index into `series`, unit,
/// total and count deltas) to the columns `held` when they stand at
/// generation `at`; else drops them, to be loaded again.
fn add_deltas(
    held: &mut Option<(i64, Columns)>,
    at: i64,
    series: &[(String, String)],
    deltas: &mut Vec<PeriodDeltas>,
) {
    match held.as_mut() {
        Some((g, columns)) if *g == at => {
            let keys: Vec<u32> = series
                .iter()
                .map(|(e, d)| columns.series_id(e, d))
                .collect();
            for (p, rows) in deltas.drain(..) {
                let rows = rows
                    .into_iter()
                    .map(|(s, u, dt, dn)| (crate::columns::key(keys[s as usize], u), dt, dn))
                    .collect();
                columns.add(p, rows);
            }
        }
        _ => {
            *held = None;
            deltas.clear();
        }
    }
}

/// Rows of an import bound as one JSON text per statement.
const JSON_CHUNK: usize = 50_000;

fn fresh_token() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

fn out_of_range(e: crate::columns::UnitOutOfRange) -> StoreError {
    StoreError::Invalid(e.to_string())
}

macro_rules! impl_value_store {
    ($ty:ty, $db:ty, $dialect:expr) => {
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
                        let period = parse_period(row.try_get::<&str, _>(0)?)?;
                        let e: &str = row.try_get(1)?;
                        let packed: &str = row.try_get(2)?;
                        for item in packed.split('\u{1e}') {
                            let mut parts = item.splitn(3, '\u{1f}');
                            let (Some(u), Some(v), Some(d)) = (parts.next(), parts.next(), parts.next())
                            else {
                                return Err(StoreError::Invalid(format!("a value of {period} {e} cannot be read")));
                            };
                            let bad = |_| StoreError::Invalid(format!("a value of {period} {e} cannot be read"));
                            let u: i64 = u.parse().map_err(bad)?;
                            let v: i64 = v.parse().map_err(bad)?;
                            fold.push(period, e, d, UnitId(u), Fixed(v))
                                .map_err(out_of_range)?;
                            n += 1;
                        }
                    }
                }
                tx.commit().await?;
                Ok((generation, fold.finish(), n))
            }

            /// The columns from the snapshot, when its stamp is the one
            /// `meta` holds for `generation`.
            async fn snapshot_of(&self, generation: i64) -> Result<Option<Columns>, StoreError> {
                let Some(path) = self.columns.snapshot.clone() else {
                    return Ok(None);
                };
                let Some(stamp) = crate::Store::meta(self, VALUES_SNAPSHOT).await? else {
                    return Ok(None);
                };
                let read = tokio::task::spawn_blocking(move || Columns::read_snapshot(&path))
                    .await
                    .map_err(|e| StoreError::Invalid(e.to_string()))?;
                match read {
                    Ok(Some((s, c)))
                        if s.generation == generation
                            && stamp == format!("{}:{}", s.generation, s.token) =>
                    {
                        Ok(Some(c))
                    }
                    Ok(_) => Ok(None),
                    Err(e) => {
                        tracing::warn!(error = %e, "value snapshot unreadable; reading the raw values");
                        Ok(None)
                    }
                }
            }

            /// Writes the snapshot file of `columns` (at `generation`) and
            /// returns its stamp, to be set in `meta` by
            /// [`Self::stamp_snapshot`] once the columns' lock is let go; a
            /// failure is logged, never fatal (the raw values stay the
            /// truth).
            ///
            /// Never hold the columns' lock while writing `meta`: a writer
            /// of values holds the database's write lock while it waits for
            /// the columns' lock, so the two would wait for each other (a
            /// server under load stalled a minute at a time so, until the
            /// busy timeout).
            fn write_snapshot_file(&self, generation: i64, columns: &Columns) -> Option<String> {
                let path = self.columns.snapshot.clone()?;
                let stamp = crate::columns::Stamp {
                    generation,
                    token: fresh_token(),
                };
                if let Err(e) = columns.write_snapshot(&path, stamp) {
                    tracing::warn!(error = %e, path = %path.display(), "value snapshot not written");
                    return None;
                }
                Some(format!("{}:{}", stamp.generation, stamp.token))
            }

            /// Sets the stamp of the snapshot just written in `meta` (call
            /// it holding no lock of the columns).
            async fn stamp_snapshot(&self, stamp: Option<String>) {
                let Some(text) = stamp else {
                    return;
                };
                if let Err(e) = crate::Store::set_meta(self, VALUES_SNAPSHOT, &text).await {
                    tracing::warn!(error = %e, "value snapshot stamp not written");
                }
            }

            /// The columns, current at the stored generation: held ones,
            /// else the snapshot's, else a fold of the raw values.
            async fn current_columns(
                &self,
            ) -> Result<tokio::sync::RwLockReadGuard<'_, Columns>, StoreError> {
                loop {
                    let generation = Self::values_generation(&self.pool).await?;
                    {
                        let held = self.columns.state.read().await;
                        if held.as_ref().is_some_and(|(g, _)| *g == generation) {
                            return Ok(tokio::sync::RwLockReadGuard::map(held, |h| {
                                &h.as_ref().expect("checked above").1
                            }));
                        }
                    }
                    let mut held = self.columns.state.write().await;
                    if held.as_ref().is_some_and(|(g, _)| *g == generation) {
                        continue;
                    }
                    let started = std::time::Instant::now();
                    let (generation, columns, stamp) = match self.snapshot_of(generation).await? {
                        Some(c) => (generation, c, None),
                        None => {
                            let (g, c, _) = self.fold_raw().await?;
                            let stamp = if c.len() >= SNAPSHOT_AFTER {
                                self.write_snapshot_file(g, &c)
                            } else {
                                None
                            };
                            (g, c, stamp)
                        }
                    };
                    tracing::info!(
                        rows = columns.len(),
                        seconds = started.elapsed().as_secs_f64(),
                        "value columns loaded"
                    );
                    *held = Some((generation, columns));
                    drop(held);
                    self.stamp_snapshot(stamp).await;
                }
            }

            /// Writes the snapshot of the held columns (on close).
            pub(crate) async fn snapshot_columns(&self) {
                if self.columns.snapshot.is_none() {
                    return;
                }
                let held = self.columns.state.read().await;
                let mut written = None;
                if let Some((g, c)) = held.as_ref() {
                    let stamp = crate::Store::meta(self, VALUES_SNAPSHOT).await.ok().flatten();
                    let current = stamp
                        .as_deref()
                        .and_then(|s| s.split_once(':'))
                        .is_some_and(|(sg, _)| sg == g.to_string());
                    if !current && c.len() > 0 {
                        written = self.write_snapshot_file(*g, c);
                    }
                }
                drop(held);
                self.stamp_snapshot(written).await;
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
                // The columns are loaded before the write, so that they
                // take its deltas and are current the moment it commits.
                drop(self.current_columns().await?);
                let now = Utc::now();
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
                let upsert = format!(
                    "INSERT INTO data_value (period, element, unit_id, disagg, value, stored_by, stored_at) {} \
                     ON CONFLICT (period, element, unit_id, disagg) DO UPDATE SET \
                     value = excluded.value, stored_by = excluded.stored_by, stored_at = excluded.stored_at",
                    $dialect.rows_from_json
                );
                // Series of the deltas, by (element, disaggregation).
                let mut series: Vec<(String, String)> = Vec::new();
                let mut deltas: Vec<PeriodDeltas> = Vec::new();
                // Deltas wait in `deltas` for the commit, so readers are not
                // held up. A write too large to keep them (an import of
                // millions) takes the columns' lock for the rest of its run
                // and adds them as it goes, its memory bounded; should it
                // fail, the columns are dropped, to be loaded again.
                let mut early: Option<tokio::sync::RwLockWriteGuard<'_, Option<(i64, Columns)>>> = None;
                let outcome: Result<usize, WriteError> = async {
                let mut changed = 0usize;
                let mut pending = 0usize;
                loop {
                let writes = match chunks.next_chunk() {
                    Ok(Some(w)) => w,
                    Ok(None) => break,
                    Err(e) => return Err(WriteError::Rejected(vec![e])),
                };
                let errs: Vec<String> = writes
                    .iter()
                    .filter_map(|w| {
                        check_write(h, w).err().map(|e| {
                            format!("{} {} {} {}: {e}", w.element, w.unit, w.period, w.disagg)
                        })
                    })
                    .collect();
                if !errs.is_empty() {
                    return Err(WriteError::Rejected(errs));
                }
                // Last write of a key wins (a stable sort keeps the order
                // of writes within a key).
                let mut latest: Vec<((Period, &str, UnitId, &str), Option<Fixed>)> = writes
                    .iter()
                    .map(|w| ((w.period, w.element.as_str(), w.unit, w.disagg.as_str()), w.value))
                    .collect();
                latest.sort_by(|a, b| a.0.cmp(&b.0));
                let mut keep = vec![true; latest.len()];
                for i in 1..latest.len() {
                    if latest[i - 1].0 == latest[i].0 {
                        keep[i - 1] = false;
                    }
                }
                let mut keep = keep.into_iter();
                latest.retain(|_| keep.next().unwrap_or(false));
                if let Some(((_, _, u, _), _)) = latest.iter().find(|(k, _)| u32::try_from(k.2 .0).is_err()) {
                    return Err(WriteError::Store(out_of_range(crate::columns::UnitOutOfRange(u.0))));
                }
                // An approved period locks its unit's values: refuse before
                // changing anything, inside this transaction.
                let units: BTreeSet<UnitId> = latest.iter().map(|(k, _)| k.2).collect();
                let approved = Self::approved_periods_in(&mut tx, &units).await?;
                if let Some(e) = locked_write(h, &approved, latest.iter().map(|(k, _)| (k.2, k.0))) {
                    return Err(WriteError::Store(e));
                }
                // Group by group of one period and element (`latest` is
                // sorted so): read the values replaced (by unit when a few
                // are written, a form; else the whole group), write the
                // group, keep its deltas in a compact form. Nothing of the
                // size of the whole write is held but `latest` and the
                // deltas.
                let mut start = 0;
                while start < latest.len() {
                    let (p, e) = (latest[start].0 .0, latest[start].0 .1);
                    let end = start
                        + latest[start..].partition_point(|(k, _)| (k.0, k.1) == (p, e));
                    let group = &latest[start..end];
                    start = end;
                    let period_text = p.to_string();
                    let mut units: Vec<i64> = group.iter().map(|(k, _)| k.2 .0).collect();
                    units.dedup();
                    // The values replaced, looked up by key: a large
                    // import written a chunk at a time never reads back
                    // the whole group it is filling.
                    let unit_list = serde_json::to_string(&units)
                        .map_err(|e| StoreError::Invalid(e.to_string()))?;
                    let rows: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
                        "SELECT unit_id, disagg, value FROM data_value \
                         WHERE period = $1 AND element = $2 AND {}",
                        $dialect.unit_in_json
                    ))
                    .bind(period_text.as_str())
                    .bind(e)
                    .bind(unit_list)
                    .fetch_all(&mut *tx)
                    .await?;
                    let mut old: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
                    for (u, d, v) in rows {
                        old.entry(u).or_default().push((d, v));
                    }
                    let mut group_deltas = Vec::new();
                    let mut upserts: Vec<(&str, &str, i64, &str, i64)> = Vec::new();
                    let mut deletes: Vec<(i64, &str)> = Vec::new();
                    for &((_, _, u, d), new) in group {
                        let before = old
                            .get(&u.0)
                            .and_then(|ds| ds.iter().find(|(x, _)| x == d))
                            .map(|(_, v)| *v);
                        let (dt, dn) = match (before, new) {
                            (None, None) => continue,
                            (None, Some(v)) => (v.0, 1),
                            (Some(b), Some(v)) if b == v.0 => continue,
                            (Some(b), Some(v)) => (v.0 - b, 0),
                            (Some(b), None) => (-b, -1),
                        };
                        match new {
                            Some(v) => upserts.push((period_text.as_str(), e, u.0, d, v.0)),
                            None => deletes.push((u.0, d)),
                        }
                        let s = match series.iter().position(|(se, sd)| se == e && sd == d) {
                            Some(i) => i as u32,
                            None => {
                                series.push((e.to_string(), d.to_string()));
                                series.len() as u32 - 1
                            }
                        };
                        // Unit ids were checked to fit `u32` above.
                        group_deltas.push((s, u.0 as u32, dt, dn));
                    }
                    for chunk in upserts.chunks(JSON_CHUNK) {
                        let json = serde_json::to_string(chunk)
                            .map_err(|e| StoreError::Invalid(e.to_string()))?;
                        sqlx::query(&upsert)
                            .bind(json)
                            .bind(by)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                    for (u, d) in &deletes {
                        sqlx::query(
                            "DELETE FROM data_value WHERE period = $1 AND element = $2 AND unit_id = $3 AND disagg = $4",
                        )
                        .bind(period_text.as_str())
                        .bind(e)
                        .bind(*u)
                        .bind(*d)
                        .execute(&mut *tx)
                        .await?;
                    }
                    changed += upserts.len() + deletes.len();
                    if !group_deltas.is_empty() {
                        pending += group_deltas.len();
                        deltas.push((p, group_deltas));
                    }
                }
                if early.is_some() || pending >= DELTAS_HELD {
                    let held = match early.as_mut() {
                        Some(h) => h,
                        None => early.insert(self.columns.state.write().await),
                    };
                    add_deltas(held, generation - 1, &series, &mut deltas);
                    pending = 0;
                }
                }
                // The columns wait for the commit, then take the deltas.
                let held = match early.as_mut() {
                    Some(h) => h,
                    None => early.insert(self.columns.state.write().await),
                };
                tx.commit().await?;
                add_deltas(held, generation - 1, &series, &mut deltas);
                if let Some((g, _)) = held.as_mut() {
                    *g = generation;
                }
                Ok(changed)
                }
                .await;
                let changed = match outcome {
                    Ok(n) => n,
                    Err(e) => {
                        // Columns that took some of the deltas are no
                        // longer a fold of any generation.
                        if let Some(mut held) = early {
                            *held = None;
                        }
                        return Err(e);
                    }
                };
                let stamp = if changed >= SNAPSHOT_AFTER {
                    early
                        .as_ref()
                        .and_then(|held| held.as_ref())
                        .and_then(|(g, c)| self.write_snapshot_file(*g, c))
                } else {
                    None
                };
                drop(early);
                self.stamp_snapshot(stamp).await;
                Ok(changed)
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
                let (generation, expected, values) = self.fold_raw().await?;
                let diff = {
                    let held = self.current_columns().await?;
                    expected.compare(&held)
                };
                let mut report = RebuildReport {
                    values,
                    aggregates: expected.len(),
                    missing: diff.missing,
                    extra: diff.extra,
                    different: diff.different,
                    applied: false,
                };
                if apply && !report.equal() {
                    let mut held = self.columns.state.write().await;
                    let mut stamp = None;
                    if Self::values_generation(&self.pool).await? == generation {
                        stamp = self.write_snapshot_file(generation, &expected);
                        *held = Some((generation, expected));
                        report.applied = true;
                    } else {
                        // Written meanwhile: the next read folds again.
                        *held = None;
                    }
                    drop(held);
                    self.stamp_snapshot(stamp).await;
                }
                Ok(report)
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

impl_value_store!(crate::SqliteStore, sqlx::Sqlite, SQLITE);
impl_value_store!(crate::PgStore, sqlx::Postgres, POSTGRES);
