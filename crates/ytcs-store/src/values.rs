//! Storage of aggregate data values and the aggregates kept current on
//! every write.
//!
//! **Invariant.** `data_aggregate` always equals what
//! [`ytcs_core::aggregate::aggregate_keys`] gives when summed over every row
//! of `data_value`: each write (insert, overwrite, delete) applies its
//! integer deltas to the affected aggregate rows *in the same transaction*
//! and deletes rows whose count fell to zero. Sums are integers
//! (thousandths), so the maintained table and a rebuild are equal exactly;
//! [`ValueStore::rebuild`] checks (and can restore) it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ytcs_core::aggregate::{
    aggregate_keys, standard_data_sets, standard_elements, AggKey, DataElement, DataValue, Fixed,
};
use ytcs_core::formula::{PopulationCell, Recorded};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{AgeGroup, Sex};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;

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

/// The outcome of a rebuild: how the maintained aggregates compare with
/// those recomputed from raw values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RebuildReport {
    /// Raw values read.
    pub values: usize,
    /// Aggregate rows recomputed.
    pub aggregates: usize,
    /// Recomputed rows absent from the maintained table.
    pub missing: usize,
    /// Maintained rows a rebuild does not produce.
    pub extra: usize,
    /// Rows present in both with different sums or counts.
    pub different: usize,
    /// Whether the maintained table was replaced by the rebuild.
    pub applied: bool,
}

impl RebuildReport {
    /// The maintained aggregates equal the rebuild exactly.
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

/// The aggregates a set of raw values produce (the rebuild).
pub fn compute_aggregates(values: &[DataValue]) -> BTreeMap<AggKey, (i64, i64)> {
    let mut out: BTreeMap<AggKey, (i64, i64)> = BTreeMap::new();
    for v in values {
        for k in aggregate_keys(v) {
            let e = out.entry(k).or_default();
            e.0 += v.value.0;
            e.1 += 1;
        }
    }
    out
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
    ) -> Result<usize, WriteError>;
    /// Stored values matching a filter.
    async fn data_values(&self, filter: &ValueFilter) -> Result<Vec<StoredValue>, StoreError>;
    /// One period's totals per recorded unit (scope `own`), the input of
    /// [`ytcs_core::formula::Evaluator`]; for split elements, one row per
    /// disaggregation.
    async fn period_values(&self, period: Period) -> Result<Vec<Recorded>, StoreError>;
    /// The registry's population of one year, by unit, sex and age group.
    async fn population_cells(&self, year: i32) -> Result<Vec<PopulationCell>, StoreError>;
    /// Recomputes every aggregate from raw values and compares with the
    /// maintained ones; with `apply`, replaces them by the recomputation.
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

/// The `scope` column of `data_aggregate`: every row is a unit's own
/// values (`own`). Migration 0011 emptied the table (its subtree rows,
/// month copies and disaggregation totals were never read) and asked for
/// a rebuild at the next open ([`crate::META_REBUILD_AGGREGATES`]); the
/// column stays so older backups restore.
const OWN: &str = "own";

fn parse_period(s: &str) -> Result<Period, StoreError> {
    s.parse()
        .map_err(|e: ytcs_core::period::PeriodParseError| StoreError::Invalid(e.to_string()))
}

macro_rules! impl_value_store {
    ($ty:ty, $db:ty) => {
        impl $ty {
            /// Bumps the values generation of every calendar year a write
            /// changed (see [`crate::common::ReadCache`]), in the write's
            /// own transaction.
            async fn bump_value_years(
                tx: &mut <$db as sqlx::Database>::Connection,
                years: BTreeSet<i32>,
            ) -> Result<(), StoreError> {
                for y in years {
                    sqlx::query(crate::network::BUMP_GENERATION)
                        .bind(crate::common::values_generation_key(Some(y)))
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(())
            }

            /// The values generation of a year and the global one (bumped
            /// by a rebuild), as one number pair.
            async fn values_generation(&self, year: i32) -> Result<(i64, i64), StoreError> {
                let rows: Vec<(String, String)> =
                    sqlx::query_as("SELECT key, value FROM meta WHERE key = $1 OR key = $2")
                        .bind(crate::common::values_generation_key(Some(year)))
                        .bind(crate::common::values_generation_key(None))
                        .fetch_all(&self.pool)
                        .await?;
                let mut out = (0, 0);
                for (k, v) in rows {
                    let n = v.parse::<i64>().unwrap_or(-1);
                    if k == crate::common::values_generation_key(None) {
                        out.1 = n;
                    } else {
                        out.0 = n;
                    }
                }
                Ok(out)
            }

            async fn apply_deltas(
                tx: &mut <$db as sqlx::Database>::Connection,
                deltas: &BTreeMap<AggKey, (i64, i64)>,
            ) -> Result<(), StoreError> {
                let rows: Vec<(&AggKey, &(i64, i64))> =
                    deltas.iter().filter(|(_, d)| **d != (0, 0)).collect();
                for chunk in rows.chunks(crate::common::INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO data_aggregate (period, scope, element, disagg, unit_id, total, n) ",
                    );
                    qb.push_values(chunk, |mut b, (k, d)| {
                        b.push_bind(k.period.to_string())
                            .push_bind(OWN)
                            .push_bind(k.element.clone())
                            .push_bind(k.disagg.clone())
                            .push_bind(k.unit.0)
                            .push_bind(d.0)
                            .push_bind(d.1);
                    });
                    qb.push(
                        " ON CONFLICT (period, scope, element, disagg, unit_id) DO UPDATE SET \
                         total = data_aggregate.total + excluded.total, n = data_aggregate.n + excluded.n",
                    );
                    qb.build().execute(&mut *tx).await?;
                }
                let touched: BTreeSet<(String, &str)> = rows
                    .iter()
                    .map(|(k, _)| (k.period.to_string(), k.element.as_str()))
                    .collect();
                for (p, e) in touched {
                    sqlx::query("DELETE FROM data_aggregate WHERE period = $1 AND element = $2 AND n = 0")
                        .bind(p)
                        .bind(e)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(())
            }
        }

        #[async_trait]
        impl ValueStore for $ty {
            async fn write_values(
                &self,
                h: &Hierarchy,
                writes: &[ValueWrite],
                by: &str,
            ) -> Result<usize, WriteError> {
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
                // Last write of a key wins.
                let mut latest: BTreeMap<(Period, &str, UnitId, &str), Option<Fixed>> = BTreeMap::new();
                for w in writes {
                    latest.insert((w.period, w.element.as_str(), w.unit, w.disagg.as_str()), w.value);
                }
                let now = Utc::now();
                let mut tx = self.begin_write().await?;
                // An approved period locks its unit's values: refuse before
                // changing anything, inside this transaction.
                let units: BTreeSet<UnitId> = latest.keys().map(|k| k.2).collect();
                let approved = Self::approved_periods_in(&mut tx, &units).await?;
                if let Some(e) = locked_write(h, &approved, latest.keys().map(|k| (k.2, k.0))) {
                    return Err(WriteError::Store(e));
                }
                let pairs: BTreeSet<(Period, &str)> = latest.keys().map(|k| (k.0, k.1)).collect();
                let mut old: HashMap<(Period, String, i64, String), i64> = HashMap::new();
                for (p, e) in pairs {
                    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                        "SELECT unit_id, disagg, value FROM data_value WHERE period = $1 AND element = $2",
                    )
                    .bind(p.to_string())
                    .bind(e)
                    .fetch_all(&mut *tx)
                    .await?;
                    for (u, d, v) in rows {
                        old.insert((p, e.to_string(), u, d), v);
                    }
                }
                let mut deltas: BTreeMap<AggKey, (i64, i64)> = BTreeMap::new();
                let mut upserts = Vec::new();
                let mut deletes = Vec::new();
                for (&(p, e, u, d), new) in &latest {
                    let before = old.get(&(p, e.to_string(), u.0, d.to_string())).copied();
                    let (dt, dn) = match (before, new) {
                        (None, None) => continue,
                        (None, Some(v)) => (v.0, 1),
                        (Some(b), Some(v)) if b == v.0 => continue,
                        (Some(b), Some(v)) => (v.0 - b, 0),
                        (Some(b), None) => (-b, -1),
                    };
                    match new {
                        Some(v) => upserts.push((p, e, u, d, *v)),
                        None => deletes.push((p, e, u, d)),
                    }
                    let dv = DataValue {
                        element: e.to_string(),
                        unit: u,
                        period: p,
                        disagg: d.to_string(),
                        value: Fixed(dt),
                    };
                    for k in aggregate_keys(&dv) {
                        let x = deltas.entry(k).or_default();
                        x.0 += dt;
                        x.1 += dn;
                    }
                }
                for chunk in upserts.chunks(crate::common::INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO data_value (period, element, unit_id, disagg, value, stored_by, stored_at) ",
                    );
                    qb.push_values(chunk, |mut b, (p, e, u, d, v)| {
                        b.push_bind(p.to_string())
                            .push_bind(e.to_string())
                            .push_bind(u.0)
                            .push_bind(d.to_string())
                            .push_bind(v.0)
                            .push_bind(by.to_string())
                            .push_bind(now);
                    });
                    qb.push(
                        " ON CONFLICT (period, element, unit_id, disagg) DO UPDATE SET \
                         value = excluded.value, stored_by = excluded.stored_by, stored_at = excluded.stored_at",
                    );
                    qb.build().execute(&mut *tx).await?;
                }
                for (p, e, u, d) in &deletes {
                    sqlx::query(
                        "DELETE FROM data_value WHERE period = $1 AND element = $2 AND unit_id = $3 AND disagg = $4",
                    )
                    .bind(p.to_string())
                    .bind(e.to_string())
                    .bind(u.0)
                    .bind(d.to_string())
                    .execute(&mut *tx)
                    .await?;
                }
                Self::apply_deltas(&mut tx, &deltas).await?;
                let years: BTreeSet<i32> = upserts
                    .iter()
                    .map(|x| x.0)
                    .chain(deletes.iter().map(|x| x.0))
                    .map(|p| p.calendar_year())
                    .collect();
                Self::bump_value_years(&mut tx, years).await?;
                tx.commit().await?;
                Ok(upserts.len() + deletes.len())
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
                let generation = self.values_generation(period.calendar_year()).await?;
                if let Some(v) = self.cache.period_values(period, generation) {
                    return Ok(v);
                }
                // The period's raw values and the sums of finer periods
                // within it (`aggregate_keys`), added per unit, element
                // and disaggregation.
                let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT element, disagg, unit_id, value FROM data_value WHERE period = $1 \
                     UNION ALL \
                     SELECT element, disagg, unit_id, total FROM data_aggregate \
                     WHERE period = $1 AND scope = 'own'",
                )
                .bind(period.to_string())
                .fetch_all(&self.pool)
                .await?;
                let mut sums: BTreeMap<(String, String, i64), i64> = BTreeMap::new();
                for (e, d, u, t) in rows {
                    *sums.entry((e, d, u)).or_default() += t;
                }
                let out: Vec<Recorded> = sums
                    .into_iter()
                    .map(|((element, disagg, u), t)| Recorded {
                        element,
                        disagg,
                        unit: UnitId(u),
                        value: Fixed(t).to_f64(),
                    })
                    .collect();
                self.cache.keep_period_values(period, generation, &out);
                Ok(out)
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
                let raw = self.data_values(&ValueFilter::default()).await?;
                let values: Vec<DataValue> = raw.into_iter().map(|s| s.value).collect();
                let expected = compute_aggregates(&values);
                let rows: Vec<(String, String, String, String, i64, i64, i64)> = sqlx::query_as(
                    "SELECT period, scope, element, disagg, unit_id, total, n FROM data_aggregate",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut report = RebuildReport {
                    values: values.len(),
                    aggregates: expected.len(),
                    ..RebuildReport::default()
                };
                let mut seen = 0usize;
                for (p, s, e, d, u, t, n) in rows {
                    if s != OWN {
                        report.extra += 1;
                        continue;
                    }
                    let key = AggKey {
                        element: e,
                        disagg: d,
                        unit: UnitId(u),
                        period: parse_period(&p)?,
                    };
                    match expected.get(&key) {
                        None => report.extra += 1,
                        Some(x) => {
                            seen += 1;
                            if *x != (t, n) {
                                report.different += 1;
                            }
                        }
                    }
                }
                report.missing = expected.len() - seen;
                if apply && !report.equal() {
                    let mut tx = self.begin_write().await?;
                    sqlx::query("DELETE FROM data_aggregate").execute(&mut *tx).await?;
                    sqlx::query(crate::network::BUMP_GENERATION)
                        .bind(crate::common::values_generation_key(None))
                        .execute(&mut *tx)
                        .await?;
                    Self::apply_deltas(&mut tx, &expected).await?;
                    tx.commit().await?;
                    report.applied = true;
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

impl_value_store!(crate::SqliteStore, sqlx::Sqlite);
impl_value_store!(crate::PgStore, sqlx::Postgres);
