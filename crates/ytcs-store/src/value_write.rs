//! A write of values, once for both engines: the checks, the last write
//! of a key winning, the approval lock, the values replaced and the
//! deltas the columns take. What differs between SQLite and PostgreSQL is
//! only how rows are read and written ([`ValueTx`], implemented by
//! `impl_value_store!` with SQL and binds only).
//!
//! `ValueStore::write_values` and `write_value_chunks` are both
//! [`write_chunks`]. On SQLite rows are bound as JSON texts; on PostgreSQL
//! new rows go in by `COPY`, and replaced ones by `COPY` into a temporary
//! table and one `UPDATE … FROM`. The values a chunk replaces are looked
//! up by key (a JSON array of its units), never by reading back the whole
//! period and element it fills.
//!
//! A value derived from the registers (`DerivationMark::derives`, the one
//! statement of the rule) is refused in the write's own transaction unless
//! the writer is the registers' derivation (`Writer::Derivation`, reached
//! only through `crate::raw`).
//!
//! *Memory.* A write keeps its column deltas for the commit (readers are
//! not held up) until it has `DELTAS_HELD` (2 M) of them; past that it
//! takes the columns' lock and adds them as it goes, so an import's memory
//! is the columns plus one chunk (1 M values: 0.23 GB peak, was 0.33 GB).

use std::collections::{BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ytcs_core::aggregate::Fixed;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;

use crate::columns::Columns;
use crate::held::HeldColumns;
use crate::network::WriteError;
use crate::registers::DerivationMark;
use crate::values::{check_write, locked_write, ValueWrite, WriteChunks};
use crate::StoreError;

/// One stored value to set: `(period id, series id, unit, value in
/// thousandths)` (ids of the dictionaries [`Codes`]).
pub(crate) type Upsert = (i64, i64, i64, i64);

/// A value's key: `(period, element, unit, disaggregation)`.
type Key<'a> = (Period, &'a str, UnitId, &'a str);

/// One stored value to delete: `(period id, series id, unit)`.
pub(crate) type Delete = (i64, i64, i64);

/// The dictionaries of raw values' codes (migration 0013): a period's id
/// and a series' (element, disaggregation) id. Read whole by a write or a
/// fold (they are small: a period per month of data, a series per element
/// and disaggregation); a write adds the codes it needs in its own
/// transaction.
#[derive(Debug, Default)]
pub(crate) struct Codes {
    periods: HashMap<Period, i64>,
    series: HashMap<String, Vec<(String, i64)>>,
}

impl Codes {
    /// Codes from the dictionaries' rows.
    pub(crate) fn from_rows(
        periods: Vec<(i64, String)>,
        series: Vec<(i64, String, String)>,
    ) -> Result<Codes, StoreError> {
        let mut c = Codes::default();
        for (id, p) in periods {
            let p = crate::values::parse_period(&p)?;
            c.periods.insert(p, id);
        }
        for (id, e, d) in series {
            c.series.entry(e).or_default().push((d, id));
        }
        Ok(c)
    }

    /// The id of a period, if it has one.
    pub(crate) fn period(&self, p: Period) -> Option<i64> {
        self.periods.get(&p).copied()
    }

    /// Every coded period with its id.
    pub(crate) fn periods(&self) -> impl Iterator<Item = (Period, i64)> + '_ {
        self.periods.iter().map(|(p, id)| (*p, *id))
    }

    /// The ids of an element's series, with their disaggregations.
    pub(crate) fn series_of(&self, element: &str) -> &[(String, i64)] {
        self.series.get(element).map_or(&[], Vec::as_slice)
    }

    /// The id of a series, if it has one.
    pub(crate) fn series(&self, element: &str, disagg: &str) -> Option<i64> {
        self.series_of(element)
            .iter()
            .find(|(d, _)| d == disagg)
            .map(|(_, id)| *id)
    }

    /// `(element, disaggregation)` of every series id.
    pub(crate) fn series_by_id(&self) -> HashMap<i64, (&str, &str)> {
        self.series
            .iter()
            .flat_map(|(e, ds)| {
                ds.iter()
                    .map(move |(d, id)| (*id, (e.as_str(), d.as_str())))
            })
            .collect()
    }

    /// The period of every period id.
    pub(crate) fn period_by_id(&self) -> HashMap<i64, Period> {
        self.periods.iter().map(|(p, id)| (*id, *p)).collect()
    }
}

/// Who writes: a person or a file (values derived from the registers are
/// refused), or the registers' derivation (they are its to write).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writer {
    Hand,
    Derivation,
}

/// Why a value derived from the registers is not written by hand.
pub fn derived_refusal(w: &ValueWrite) -> String {
    format!(
        "{} of unit {} for {} is derived from the station's registers; correct the records instead",
        w.element, w.unit, w.period
    )
}

/// Refusals listed by name before the rest are counted.
const NAMED_REFUSALS: usize = 20;

/// The open transaction of a write of values, as the SQL of one engine.
#[async_trait]
pub(crate) trait ValueTx: Send {
    /// The approved `(unit, period)` of these units (read so that an
    /// approval cannot slip in before the commit).
    async fn approved_periods(
        &mut self,
        units: &BTreeSet<UnitId>,
    ) -> Result<Vec<(UnitId, Period)>, StoreError>;
    /// Every commune's derivation mark (read in the write's transaction,
    /// so a derivation cannot begin unseen before the commit).
    async fn derivation_marks(&mut self) -> Result<Vec<DerivationMark>, StoreError>;
    /// The dictionaries of codes.
    async fn codes(&mut self) -> Result<Codes, StoreError>;
    /// Adds a period to the dictionary; its id.
    async fn add_period(&mut self, period: Period) -> Result<i64, StoreError>;
    /// Adds a series to the dictionary; its id.
    async fn add_series(&mut self, element: &str, disagg: &str) -> Result<i64, StoreError>;
    /// Adds the row of who writes and when; its id.
    async fn add_batch(&mut self, by: &str, at: DateTime<Utc>) -> Result<i64, StoreError>;
    /// The stored `(unit, series id, value)` of one period among `series`
    /// and `units`.
    async fn stored(
        &mut self,
        period: i64,
        series: &[i64],
        units: &[i64],
    ) -> Result<Vec<(i64, i64, i64)>, StoreError>;
    /// Adds these values (none of their keys is stored), written by the
    /// batch `batch`.
    async fn insert(&mut self, rows: &[Upsert], batch: i64) -> Result<(), StoreError>;
    /// Replaces these stored values, written by the batch `batch`.
    async fn update(&mut self, rows: &[Upsert], batch: i64) -> Result<(), StoreError>;
    /// Deletes these values.
    async fn delete(&mut self, rows: &[Delete]) -> Result<(), StoreError>;
    /// Commits.
    async fn commit(self) -> Result<(), StoreError>
    where
        Self: Sized;
}

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

/// What a write did: how many values changed, and the stamp of the
/// snapshot it left (to be set in `meta` holding no lock).
pub(crate) struct Written {
    pub(crate) changed: usize,
    pub(crate) snapshot: Option<String>,
}

/// Writes `chunks` in `tx` (whose values generation was bumped to
/// `generation`) and commits; the columns `held` take the deltas (see
/// the invariant of [`crate::values`]). All or nothing: a refused chunk
/// or an error of the source drops `tx`, rolling it back.
pub(crate) async fn write_chunks<T: ValueTx>(
    mut tx: T,
    generation: i64,
    held: &HeldColumns,
    h: &Hierarchy,
    chunks: &mut dyn WriteChunks,
    by: &str,
    writer: Writer,
) -> Result<Written, WriteError> {
    let now = Utc::now();
    let marks = match writer {
        Writer::Hand => tx.derivation_marks().await?,
        Writer::Derivation => vec![],
    };
    // Series of the deltas, by (element, disaggregation).
    let mut series: Vec<(String, String)> = Vec::new();
    let mut deltas: Vec<PeriodDeltas> = Vec::new();
    // Deltas wait in `deltas` for the commit, so readers are not held up.
    // A write too large to keep them (an import of millions) takes the
    // columns' lock for the rest of its run and adds them as it goes, its
    // memory bounded; should it fail, the columns are dropped, to be
    // loaded again.
    let mut early: Option<tokio::sync::RwLockWriteGuard<'_, Option<(i64, Columns)>>> = None;
    let mut codes = tx.codes().await?;
    // The row of who writes and when, added with the first value written.
    let mut batch: Option<i64> = None;
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
                    check_write(h, w)
                        .err()
                        .map(|e| format!("{} {} {} {}: {e}", w.element, w.unit, w.period, w.disagg))
                })
                .collect();
            if !errs.is_empty() {
                return Err(WriteError::Rejected(errs));
            }
            // Values derived from the registers are the derivation's.
            if !marks.is_empty() {
                let derived: Vec<&ValueWrite> = writes
                    .iter()
                    .filter(|w| {
                        marks
                            .iter()
                            .any(|m| m.derives(&w.element, w.unit, w.period))
                    })
                    .collect();
                if !derived.is_empty() {
                    let mut errs: Vec<String> = derived
                        .iter()
                        .take(NAMED_REFUSALS)
                        .map(|w| derived_refusal(w))
                        .collect();
                    if derived.len() > NAMED_REFUSALS {
                        errs.push(format!(
                            "… and {} more values derived from the registers",
                            derived.len() - NAMED_REFUSALS
                        ));
                    }
                    return Err(WriteError::Rejected(errs));
                }
            }
            // Last write of a key wins (a stable sort keeps the order of
            // writes within a key).
            let mut latest: Vec<(Key<'_>, Option<Fixed>)> = writes
                .iter()
                .map(|w| {
                    (
                        (w.period, w.element.as_str(), w.unit, w.disagg.as_str()),
                        w.value,
                    )
                })
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
            if let Some(((_, _, u, _), _)) =
                latest.iter().find(|(k, _)| u32::try_from(k.2 .0).is_err())
            {
                return Err(WriteError::Store(crate::values::out_of_range(
                    crate::columns::UnitOutOfRange(u.0),
                )));
            }
            // An approved period locks its unit's values: refuse before
            // changing anything, inside this transaction.
            let units: BTreeSet<UnitId> = latest.iter().map(|(k, _)| k.2).collect();
            let approved = tx.approved_periods(&units).await?;
            if let Some(e) = locked_write(h, &approved, latest.iter().map(|(k, _)| (k.2, k.0))) {
                return Err(WriteError::Store(e));
            }
            // Group by group of one period and element (`latest` is sorted
            // so): read the values replaced, by key (a large import never
            // reads back the whole group it is filling), and keep the
            // group's deltas in a compact form; then write the chunk's
            // changes at once.
            let mut inserts: Vec<Upsert> = Vec::new();
            let mut updates: Vec<Upsert> = Vec::new();
            let mut deletes: Vec<Delete> = Vec::new();
            let mut start = 0;
            while start < latest.len() {
                let (p, e) = (latest[start].0 .0, latest[start].0 .1);
                let end = start + latest[start..].partition_point(|(k, _)| (k.0, k.1) == (p, e));
                let group = &latest[start..end];
                start = end;
                // A period or an element without a code has nothing
                // stored: a new month of an import reads nothing back.
                let period_id = codes.period(p);
                let mut old: HashMap<(i64, i64), i64> = HashMap::new();
                let element_series: Vec<i64> =
                    codes.series_of(e).iter().map(|(_, id)| *id).collect();
                if let (Some(pid), false) = (period_id, element_series.is_empty()) {
                    let mut units: Vec<i64> = group.iter().map(|(k, _)| k.2 .0).collect();
                    units.dedup();
                    for (u, sid, v) in tx.stored(pid, &element_series, &units).await? {
                        old.insert((u, sid), v);
                    }
                }
                let mut group_deltas = Vec::new();
                for &((_, _, u, d), new) in group {
                    let sid = codes.series(e, d);
                    let before = sid.and_then(|sid| old.get(&(u.0, sid)).copied());
                    let (dt, dn) = match (before, new) {
                        (None, None) => continue,
                        (None, Some(v)) => (v.0, 1),
                        (Some(b), Some(v)) if b == v.0 => continue,
                        (Some(b), Some(v)) => (v.0 - b, 0),
                        (Some(b), None) => (-b, -1),
                    };
                    let pid = match codes.period(p) {
                        Some(id) => id,
                        None => {
                            let id = tx.add_period(p).await?;
                            codes.periods.insert(p, id);
                            id
                        }
                    };
                    let sid = match sid {
                        Some(id) => id,
                        None => {
                            let id = tx.add_series(e, d).await?;
                            codes
                                .series
                                .entry(e.to_string())
                                .or_default()
                                .push((d.to_string(), id));
                            id
                        }
                    };
                    match (before, new) {
                        (None, Some(v)) => inserts.push((pid, sid, u.0, v.0)),
                        (Some(_), Some(v)) => updates.push((pid, sid, u.0, v.0)),
                        _ => deletes.push((pid, sid, u.0)),
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
                if !group_deltas.is_empty() {
                    pending += group_deltas.len();
                    deltas.push((p, group_deltas));
                }
            }
            // In key order, as the table is (period, series, unit).
            inserts.sort_unstable();
            updates.sort_unstable();
            if !inserts.is_empty() || !updates.is_empty() {
                let id = match batch {
                    Some(id) => id,
                    None => *batch.insert(tx.add_batch(by, now).await?),
                };
                if !inserts.is_empty() {
                    tx.insert(&inserts, id).await?;
                }
                if !updates.is_empty() {
                    tx.update(&updates, id).await?;
                }
            }
            if !deletes.is_empty() {
                tx.delete(&deletes).await?;
            }
            changed += inserts.len() + updates.len() + deletes.len();
            if early.is_some() || pending >= DELTAS_HELD {
                let columns = match early.as_mut() {
                    Some(c) => c,
                    None => early.insert(held.state.write().await),
                };
                add_deltas(columns, generation - 1, &series, &mut deltas);
                pending = 0;
            }
        }
        // The columns wait for the commit, then take the deltas.
        let columns = match early.as_mut() {
            Some(c) => c,
            None => early.insert(held.state.write().await),
        };
        tx.commit().await?;
        add_deltas(columns, generation - 1, &series, &mut deltas);
        if let Some((g, _)) = columns.as_mut() {
            *g = generation;
        }
        Ok(changed)
    }
    .await;
    let changed = match outcome {
        Ok(n) => n,
        Err(e) => {
            // Columns that took some of the deltas are no longer a fold
            // of any generation.
            if let Some(mut columns) = early {
                *columns = None;
            }
            return Err(e);
        }
    };
    let snapshot = if changed >= crate::values::SNAPSHOT_AFTER {
        early
            .as_ref()
            .and_then(|columns| columns.as_ref())
            .and_then(|(g, c)| held.write_snapshot_file(*g, c))
    } else {
        None
    };
    Ok(Written { changed, snapshot })
}
