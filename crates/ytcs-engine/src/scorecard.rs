//! A plan's scorecard: every target linked to (indicator, unit, due year),
//! with its yearly series and progress.
//!
//! **Linking.** A hand link (stored with `ValueStore::link_target`) wins.
//! Otherwise a target is linked automatically when the plan reader named
//! its indicator and the plan's issuer resolves to a unit on the plan's
//! date ("UBND huyện Kon Rẫy" → district 614, "UBND tỉnh Quảng Ngãi" →
//! province 51); the due year is the target's year.
//!
//! **Dates.** A unit is evaluated with the hierarchy as it stands on the
//! scorecard's date when it is valid then; a unit that has ended (a
//! district after 2025-07-01) is evaluated as of its last day, so values
//! recorded later under new units are refused for it (the rollup's rule)
//! and its series stops there.
//!
//! **One actual.** [`target_actual`] is the one function that gives a
//! target's series, actual and status; the scorecard, the dashboard, the
//! indicator page, the report (`ytcs-report`'s `model`), the FHIR bundle
//! and the CLI all go through it (`crates/ytcs/tests/figures.rs` checks
//! they agree). [`unit_targets`] is every plan's targets linked to one
//! unit.

use std::collections::HashMap;

use chrono::Datelike;
use serde::Serialize;
use ytcs_core::formula::{definition, Evaluator, PeriodData, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::{by_code, Direction};
use ytcs_core::network::{figures_from, is_registry_figure, YearValues};
use ytcs_core::org::{OrgCode, OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_core::plan::{Comparator, Target, Unit};
use ytcs_core::progress::{actual_year, assess, Progress, TargetSpec};
use ytcs_core::text::fold;
use ytcs_core::Date;
use ytcs_store::Store;

use crate::{period_data, EngineError};

/// How a target got its indicator and unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// From the plan reader's indicator and the issuer.
    Auto,
    /// Linked by hand.
    Hand,
    /// Not linked (no indicator or no unit).
    None,
}

/// One row of a scorecard.
#[derive(Debug, Clone, Serialize)]
pub struct ScoreRow {
    /// Target id in the plan.
    pub target_id: String,
    /// The clause as written.
    pub text: String,
    /// Indicator code.
    pub indicator: Option<String>,
    /// Indicator name (Vietnamese).
    pub indicator_name: Option<String>,
    /// Unit code.
    pub org_code: Option<String>,
    /// Unit name.
    pub org_name: Option<String>,
    /// Due year.
    pub year: Option<i32>,
    /// Comparator.
    pub comparator: Comparator,
    /// Target value.
    pub value: Option<f64>,
    /// Unit of the value.
    pub unit: Unit,
    /// How it was linked.
    pub link: LinkKind,
    /// Yearly values.
    pub series: Vec<(i32, Option<f64>)>,
    /// The assessment.
    pub progress: Progress,
    /// The date the unit was evaluated as of.
    pub at: Option<Date>,
    /// The year of the actual (`progress.actual`).
    pub actual_year: Option<i32>,
    /// The actual figure with its coverage, interval and flags.
    pub actual: Option<Value>,
}

/// The folded name an issuer's words give ("UBND huyện Kon Rẫy" →
/// "huyen kon ray").
fn issuer_name(issuer: &str) -> String {
    let f = fold(issuer);
    ["uy ban nhan dan ", "ubnd "]
        .iter()
        .find_map(|p| f.strip_prefix(p))
        .unwrap_or(&f)
        .trim()
        .to_string()
}

/// Every unit, of any date, named as the issuer names it (one pass over
/// the units; folding is the costly part, so names with another number of
/// words are passed over unfolded).
fn issuer_units<'h>(h: &'h Hierarchy, issuer: &str) -> Vec<&'h OrgUnit> {
    let name = issuer_name(issuer);
    let words = name.split_whitespace().count();
    h.units()
        .iter()
        .filter(|u| u.name.split_whitespace().count() == words && fold(&u.name) == name)
        .collect()
}

/// Finds the unit an issuer names on `date`: "UBND huyện Kon Rẫy" is the
/// unit named "Huyện Kon Rẫy" (diacritic-insensitive).
pub fn resolve_issuer<'h>(h: &'h Hierarchy, issuer: &str, date: Date) -> Option<&'h OrgUnit> {
    issuer_units(h, issuer)
        .into_iter()
        .find(|u| u.validity.contains(date))
}

/// The date a scorecard is read as of when none is asked: today, unless
/// the plan is undated and its issuer no longer exists today (a district
/// after the reform); then the issuer's last day, so that its targets link
/// to it and its series runs until it ended.
pub fn default_at(h: &Hierarchy, plan: &ytcs_core::plan::Plan, today: Date) -> Date {
    let Some(issuer) = plan.issuer.as_deref() else {
        return today;
    };
    if plan.date.is_some() {
        return today;
    }
    let units = issuer_units(h, issuer);
    if units.iter().any(|u| u.validity.contains(today)) {
        return today;
    }
    units
        .iter()
        .filter_map(|u| u.validity.to)
        .filter(|d| *d < today)
        .max()
        .unwrap_or(today)
}

/// The first year of every series.
pub const FIRST_YEAR: i32 = 2020;

/// The scorecard of a plan as of `at`; `None` if there is no such plan.
pub async fn scorecard(
    store: &dyn Store,
    h: &Hierarchy,
    plan_id: i64,
    at: Date,
) -> Result<Option<Vec<ScoreRow>>, EngineError> {
    plan_rows(store, h, plan_id, at, None, &mut YearCache::default()).await
}

/// The targets of every plan linked (automatically or by hand) to the unit
/// carrying `org_code`, as of `at`: (plan id, row), plans in list order.
/// Targets of other units are not evaluated, and the yearly data is read
/// once for all plans.
pub async fn unit_targets(
    store: &dyn Store,
    h: &Hierarchy,
    org_code: &str,
    at: Date,
) -> Result<Vec<(i64, ScoreRow)>, EngineError> {
    let mut cache = YearCache::default();
    let mut out = Vec::new();
    for p in store.list_plans().await? {
        if let Some(rows) = plan_rows(store, h, p.id, at, Some(org_code), &mut cache).await? {
            out.extend(rows.into_iter().map(|r| (p.id, r)));
        }
    }
    Ok(out)
}

/// The targets of `unit` and of the units merged into it (a plan of a
/// province merged in the 2025 reform still governs its communes) that
/// are missed, off track or at risk as of `at`: (plan id, row), in
/// [`unit_targets`]'s order, the unit's own first.
pub async fn targets_behind(
    store: &dyn Store,
    h: &Hierarchy,
    unit: &OrgUnit,
    at: Date,
) -> Result<Vec<(i64, ScoreRow)>, EngineError> {
    use ytcs_core::progress::Status;
    let mut codes = vec![unit.code.to_string()];
    for l in h.predecessors(unit.id) {
        if let Some(p) = h.unit(l.predecessor) {
            if !codes.contains(&p.code.to_string()) {
                codes.push(p.code.to_string());
            }
        }
    }
    let mut out = Vec::new();
    for code in &codes {
        for (plan, row) in unit_targets(store, h, code, at).await? {
            if matches!(
                row.progress.status,
                Status::Missed | Status::OffTrack | Status::AtRisk
            ) {
                out.push((plan, row));
            }
        }
    }
    Ok(out)
}

/// The rows of one plan; with `only`, just the targets linked to that unit
/// code.
async fn plan_rows(
    store: &dyn Store,
    h: &Hierarchy,
    plan_id: i64,
    at: Date,
    only: Option<&str>,
    cache: &mut YearCache,
) -> Result<Option<Vec<ScoreRow>>, EngineError> {
    let Some(stored) = store.get_plan(plan_id).await? else {
        return Ok(None);
    };
    let plan = &stored.plan;
    // An undated plan's issuer is the unit of that name on `at`, or on its
    // last day if it has ended (the same rule as the pages' default date).
    let plan_date = plan.date.unwrap_or_else(|| default_at(h, plan, at));
    let issuers = plan
        .issuer
        .as_deref()
        .map(|i| issuer_units(h, i))
        .unwrap_or_default();
    let issuer_unit = issuers.into_iter().find(|u| u.validity.contains(plan_date));
    let hand: HashMap<String, ytcs_store::values::TargetLink> = store
        .target_links(plan_id)
        .await?
        .into_iter()
        .map(|l| (l.target_id.clone(), l))
        .collect();
    let last_year = at.format("%Y").to_string().parse::<i32>().unwrap_or(2025);
    let mut rows = Vec::new();
    for t in &plan.targets {
        let (indicator, unit, year, link) = match hand.get(&t.id) {
            Some(l) => {
                let unit = OrgCode::parse(&l.org_code)
                    .ok()
                    .and_then(|c| h.unit_at(&c, at).or_else(|| h.unit_at(&c, plan_date)));
                (
                    Some(l.indicator.clone()),
                    unit,
                    Some(l.year),
                    LinkKind::Hand,
                )
            }
            None => match (&t.indicator, issuer_unit) {
                (Some(i), Some(u)) if crate::knows(i) => {
                    (Some(i.clone()), Some(u), t.year, LinkKind::Auto)
                }
                _ => (t.indicator.clone(), None, t.year, LinkKind::None),
            },
        };
        if let Some(code) = only {
            let linked_here =
                link != LinkKind::None && unit.is_some_and(|u| u.code.as_str() == code);
            if !linked_here {
                continue;
            }
        }
        let row = match (&indicator, unit, link) {
            (Some(code), Some(u), LinkKind::Auto | LinkKind::Hand) => {
                let eval_at = if u.validity.contains(at) {
                    at
                } else {
                    u.validity.to.unwrap_or(at)
                };
                let due = year.unwrap_or(last_year);
                let a = target_actual(store, h, cache, t, code, u.id, due, eval_at, at).await?;
                let mut row = score_row(
                    t,
                    Some(code),
                    Some(u),
                    year,
                    link,
                    a.series,
                    a.progress,
                    Some(eval_at),
                );
                row.actual_year = a.year;
                row.actual = a.figure;
                row
            }
            _ => {
                let progress = progress_of(t, "", year.unwrap_or(last_year), &[]);
                score_row(
                    t,
                    indicator.as_deref(),
                    None,
                    year,
                    LinkKind::None,
                    Vec::new(),
                    progress,
                    None,
                )
            }
        };
        rows.push(row);
    }
    Ok(Some(rows))
}

#[allow(clippy::too_many_arguments)]
fn score_row(
    t: &Target,
    code: Option<&str>,
    unit: Option<&OrgUnit>,
    year: Option<i32>,
    link: LinkKind,
    series: Vec<(i32, Option<f64>)>,
    progress: Progress,
    at: Option<Date>,
) -> ScoreRow {
    ScoreRow {
        target_id: t.id.clone(),
        text: t.text.clone(),
        indicator: code.map(str::to_string),
        indicator_name: code.and_then(by_code).map(|i| i.name.to_string()),
        org_code: unit.map(|u| u.code.to_string()),
        org_name: unit.map(|u| u.name.clone()),
        year,
        comparator: t.comparator,
        value: t.value,
        unit: t.unit,
        link,
        series,
        progress,
        at,
        actual_year: None,
        actual: None,
    }
}

/// Progress of a target over a yearly series (the latest year with data is
/// the actual).
pub fn progress_of(t: &Target, code: &str, due: i32, series: &[(i32, Option<f64>)]) -> Progress {
    let direction = by_code(code).map_or(Direction::PerPlan, |i| i.direction);
    let flow = definition(code).is_some_and(|d| d.flow) || t.unit == Unit::Count;
    let yearly: Vec<(i32, f64)> = series
        .iter()
        .filter_map(|(y, v)| v.map(|v| (*y, v)))
        .collect();
    let current = yearly.last().map(|(y, v)| (*v, 1.0, *y));
    assess(
        &TargetSpec {
            comparator: t.comparator,
            value: t.value,
            due_year: due,
            direction,
            flow,
        },
        &yearly,
        current,
    )
}

/// Period data and network extracts per year, loaded once per scorecard
/// (or per report): ask it for many indicators and years without reading
/// a year twice.
#[derive(Default)]
pub struct YearCache {
    data: HashMap<i32, PeriodData>,
    network: Option<ytcs_core::network::NetworkData>,
    network_years: HashMap<i32, YearValues>,
}

impl YearCache {
    /// The value of `code` for `unit` in `year`, units as they stood on
    /// `at`; `None` where it cannot be answered.
    pub async fn value(
        &mut self,
        store: &dyn Store,
        h: &Hierarchy,
        code: &str,
        year: i32,
        at: Date,
        unit: UnitId,
    ) -> Result<Option<f64>, EngineError> {
        Ok(self
            .figure(store, h, code, year, at, unit)
            .await?
            .and_then(|v| v.value))
    }

    /// The whole figure (value, coverage, interval, flags) of `code` for
    /// `unit` in `year`, units as they stood on `at`.
    pub async fn figure(
        &mut self,
        store: &dyn Store,
        h: &Hierarchy,
        code: &str,
        year: i32,
        at: Date,
        unit: UnitId,
    ) -> Result<Option<Value>, EngineError> {
        Ok(self
            .figures(store, h, code, year, at, &[unit])
            .await?
            .map(|v| v[0]))
    }

    /// The figures of `code` for each of `units` in `year`, units as they
    /// stood on `at`; `None` where the indicator cannot be answered.
    pub async fn figures(
        &mut self,
        store: &dyn Store,
        h: &Hierarchy,
        code: &str,
        year: i32,
        at: Date,
        units: &[UnitId],
    ) -> Result<Option<Vec<Value>>, EngineError> {
        if is_registry_figure(code) {
            let Some(yv) = self.network_year(store, h, year).await? else {
                return Ok(None);
            };
            return Ok(figures_from(h, yv, code, at, units)
                .ok()
                .map(|f| f.into_iter().map(|f| registry_value(code, f)).collect()));
        }
        let Some(data) = self.period(store, year).await? else {
            return Ok(None);
        };
        let mut ev = Evaluator::new(h, at, data, units);
        Ok(ev.evaluate(code).ok())
    }

    /// [`YearCache::figures`], with [`Value::NONE`] for each unit where the
    /// indicator cannot be answered (what a table or chart shows).
    pub async fn figures_or_none(
        &mut self,
        store: &dyn Store,
        h: &Hierarchy,
        code: &str,
        year: i32,
        at: Date,
        units: &[UnitId],
    ) -> Result<Vec<Value>, EngineError> {
        Ok(self
            .figures(store, h, code, year, at, units)
            .await?
            .unwrap_or_else(|| vec![Value::NONE; units.len()]))
    }

    /// Figures of several indicators for one unit in `year` (units as they
    /// stood on the roll-up's date), all through one roll-up that the
    /// caller keeps across years, so each unit is placed once;
    /// [`Value::NONE`] where an indicator cannot be answered.
    pub async fn figures_of_codes<'h>(
        &mut self,
        store: &dyn Store,
        h: &'h Hierarchy,
        rollup: ytcs_core::rollup::Rollup<'h>,
        codes: &[&str],
        year: i32,
        unit: UnitId,
    ) -> Result<(Vec<Value>, ytcs_core::rollup::Rollup<'h>), EngineError> {
        let mut rollup = rollup;
        let mut out = vec![Value::NONE; codes.len()];
        let mut formulas = Vec::new();
        for (i, code) in codes.iter().enumerate() {
            if !is_registry_figure(code) {
                formulas.push(i);
                continue;
            }
            let Some(yv) = self.network_year(store, h, year).await? else {
                continue;
            };
            if let Ok(f) = ytcs_core::network::figures_with(&mut rollup, yv, code, &[unit]) {
                out[i] = registry_value(code, f[0]);
            }
        }
        if formulas.is_empty() {
            return Ok((out, rollup));
        }
        let Some(data) = self.period(store, year).await? else {
            return Ok((out, rollup));
        };
        let mut ev = Evaluator::with_rollup(rollup, data, &[unit]);
        for i in formulas {
            if let Ok(v) = ev.evaluate(codes[i]) {
                out[i] = v[0];
            }
        }
        Ok((out, ev.into_rollup()))
    }

    /// The registry's values of `year` (the registry read once).
    async fn network_year(
        &mut self,
        store: &dyn Store,
        h: &Hierarchy,
        year: i32,
    ) -> Result<Option<&YearValues>, EngineError> {
        if self.network.is_none() {
            self.network = Some(store.network().await?);
        }
        let Some(net) = &self.network else {
            return Ok(None);
        };
        Ok(Some(
            self.network_years
                .entry(year)
                .or_insert_with(|| YearValues::of_year(h, net, year)),
        ))
    }

    /// The aggregate data of `year` (read once).
    async fn period(
        &mut self,
        store: &dyn Store,
        year: i32,
    ) -> Result<Option<&PeriodData>, EngineError> {
        if let std::collections::hash_map::Entry::Vacant(e) = self.data.entry(year) {
            e.insert(period_data(store, Period::Year(year)).await?);
        }
        Ok(self.data.get(&year))
    }
}

/// A figure of the registry as a judged value (its numerator and
/// denominator kept for the quality flags).
fn registry_value(code: &str, f: ytcs_core::network::Figure) -> Value {
    Value::judged(code, f.value, Some(f.numerator), f.denominator, None, None)
}

/// A target's yearly series, its actual and its progress: what every page,
/// report, export and the CLI show of a target ([`target_actual`]).
#[derive(Debug, Clone, Serialize)]
pub struct TargetActual {
    /// Yearly values from [`FIRST_YEAR`] to the due year (or `as_of`'s),
    /// the running year included (for charts).
    pub series: Vec<(i32, Option<f64>)>,
    /// The year of the actual ([`ytcs_core::progress::actual_year`]).
    pub year: Option<i32>,
    /// The actual figure, with its coverage, interval and flags.
    pub figure: Option<Value>,
    /// The assessment against the target.
    pub progress: Progress,
}

/// The one function that decides a target's actual and status: the
/// indicator `code` at `unit` (evaluated with the units of `eval_at`),
/// due in `due`, judged as of `as_of`. The actual is the value of the year
/// [`ytcs_core::progress::actual_year`] picks; the trend runs through the
/// years up to it.
#[allow(clippy::too_many_arguments)]
pub async fn target_actual(
    store: &dyn Store,
    h: &Hierarchy,
    cache: &mut YearCache,
    t: &Target,
    code: &str,
    unit: UnitId,
    due: i32,
    eval_at: Date,
    as_of: Date,
) -> Result<TargetActual, EngineError> {
    // A unit that has ended has figures up to its last day (`eval_at`),
    // but its targets are judged as of `as_of`: a target due in a year the
    // unit did not see to its end has no actual once that year is over.
    let last = due.max(FIRST_YEAR).min(as_of.year());
    let mut figures = Vec::new();
    for y in FIRST_YEAR..=last {
        figures.push((y, cache.figure(store, h, code, y, eval_at, unit).await?));
    }
    let series: Vec<(i32, Option<f64>)> = figures
        .iter()
        .map(|(y, f)| (*y, f.and_then(|f| f.value)))
        .collect();
    let with_data: Vec<i32> = series
        .iter()
        .filter(|(_, v)| v.is_some())
        .map(|(y, _)| *y)
        .collect();
    let year = actual_year(due, as_of, &with_data);
    let figure = year.and_then(|y| {
        figures
            .iter()
            .find(|(fy, _)| *fy == y)
            .and_then(|(_, f)| *f)
    });
    let upto: Vec<(i32, Option<f64>)> = series
        .iter()
        .filter(|(y, _)| year.is_some_and(|a| *y <= a))
        .copied()
        .collect();
    let progress = progress_of(t, code, due, &upto);
    Ok(TargetActual {
        series,
        year,
        figure,
        progress,
    })
}
