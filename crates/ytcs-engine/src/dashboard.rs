//! The figures of a unit's dashboard, decided here and only written by
//! the page (`ytcs-web`'s `features::dashboard`):
//!
//! - **headlines**: every indicator the engine knows, for the unit, over
//!   the last [`SPARK_YEARS`] years (one roll-up shared across years and
//!   indicators): its latest reliable figure of the last three years, else
//!   its latest figure (shown with its mark); the year before; a trend only
//!   between two figures that can be signed, good or bad by the
//!   indicator's direction;
//! - **ranking**: the child units (agencies hold no figures) on one
//!   indicator, best first by its direction ([`rank_order`]); a figure that
//!   cannot be signed is listed, never ranked;
//! - **completeness**: the latest month any commune under the unit
//!   entered monthly data, and how many did;
//! - **[`overview`]**: all of it (with the linked targets and the
//!   reminders of `crate::tracking`) for one page.

use std::collections::HashSet;

use ytcs_core::aggregate::standard_data_sets;
use ytcs_core::formula::Value;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::{Direction, Indicator, CATALOGUE};
use ytcs_core::org::{OrgKind, OrgUnit, UnitId};
use ytcs_core::period::{Period, PeriodType};
use ytcs_core::Date;
use ytcs_store::Store;

use crate::scorecard::{YearCache, FIRST_YEAR};
use crate::EngineError;

/// Years a headline's trend covers.
pub const SPARK_YEARS: i32 = 5;

/// Years back a headline looks for a reliable figure.
const RECENT_YEARS: usize = 3;

/// Which way a figure moved from the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    /// Higher.
    Up,
    /// Lower.
    Down,
    /// The same.
    Level,
}

/// Whether a move is good news, by the indicator's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Towards the indicator's better side.
    Better,
    /// Away from it.
    Worse,
    /// Neither (no move, or no trend).
    Same,
}

impl Tone {
    /// `better`, `worse` or `same`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Better => "better",
            Tone::Worse => "worse",
            Tone::Same => "same",
        }
    }
}

/// One headline indicator of a unit.
#[derive(Debug, Clone)]
pub struct Headline {
    /// The indicator.
    pub indicator: &'static Indicator,
    /// The year of the figure shown.
    pub year: i32,
    /// The figure shown.
    pub figure: Value,
    /// The figure of the year before, when there is one.
    pub previous: Option<Value>,
    /// The move from the year before (only between reliable figures).
    pub trend: Option<Trend>,
    /// Whether the move is good news.
    pub tone: Tone,
    /// The yearly values from the first with data up to `year`.
    pub series: Vec<(i32, Option<f64>)>,
}

/// The headlines of `unit` with the units of `at`; `years` keeps the data
/// read for a ranking after.
pub async fn headlines(
    store: &dyn Store,
    h: &Hierarchy,
    years: &mut YearCache,
    unit: UnitId,
    at: Date,
) -> Result<Vec<Headline>, EngineError> {
    use chrono::Datelike;
    let known: Vec<&'static Indicator> =
        CATALOGUE.iter().filter(|i| crate::knows(i.code)).collect();
    let codes: Vec<&str> = known.iter().map(|i| i.code).collect();
    let last = at.year();
    let mut by_year: Vec<(i32, Vec<Value>)> = Vec::new();
    let mut rollup = ytcs_core::rollup::Rollup::new(h, at);
    for y in (last - SPARK_YEARS + 1).max(FIRST_YEAR)..=last {
        let (v, r) = years
            .figures_of_codes(store, h, rollup, &codes, y, unit)
            .await?;
        by_year.push((y, v));
        rollup = r;
    }
    let mut out = Vec::new();
    for (k, ind) in known.into_iter().enumerate() {
        let figures: Vec<(i32, Value)> = by_year.iter().map(|(y, v)| (*y, v[k])).collect();
        if let Some(headline) = headline(ind, &figures) {
            out.push(headline);
        }
    }
    Ok(out)
}

/// The headline of `ind` from its yearly figures (oldest first), or
/// `None` when the recent years have no figure.
fn headline(ind: &'static Indicator, figures: &[(i32, Value)]) -> Option<Headline> {
    let recent: Vec<&(i32, Value)> = figures.iter().rev().take(RECENT_YEARS).collect();
    let &&(year, figure) = recent
        .iter()
        .find(|(_, v)| v.reliable())
        .or_else(|| recent.iter().find(|(_, v)| v.value.is_some()))?;
    let value = figure.value.unwrap_or_default();
    let previous = figures
        .iter()
        .find(|(y, _)| *y == year - 1)
        .map(|(_, v)| *v)
        .filter(|v| v.value.is_some());
    let (trend, tone) = match previous.filter(|p| p.reliable() && figure.reliable()) {
        Some(p) => {
            let p = p.value.unwrap_or_default();
            if value > p + 1e-9 {
                (Some(Trend::Up), tone(ind.direction, true))
            } else if value < p - 1e-9 {
                (Some(Trend::Down), tone(ind.direction, false))
            } else {
                (Some(Trend::Level), Tone::Same)
            }
        }
        None => (None, Tone::Same),
    };
    let first = figures
        .iter()
        .position(|(_, v)| v.value.is_some())
        .unwrap_or(0);
    let series = figures[first..]
        .iter()
        .filter(|(y, _)| *y <= year)
        .map(|(y, v)| (*y, v.value))
        .collect();
    Some(Headline {
        indicator: ind,
        year,
        figure,
        previous,
        trend,
        tone,
        series,
    })
}

/// Good or bad news for an indicator of `direction` that went up (or
/// down).
fn tone(direction: Direction, up: bool) -> Tone {
    match (direction, up) {
        (Direction::Higher, true) | (Direction::Lower, false) => Tone::Better,
        (Direction::Higher, false) | (Direction::Lower, true) => Tone::Worse,
        _ => Tone::Same,
    }
}

/// A child unit in a ranking.
#[derive(Debug, Clone)]
pub struct Ranked<'h> {
    /// Its place (1 is best); `None` for a figure that cannot be signed.
    pub rank: Option<usize>,
    /// The unit.
    pub unit: &'h OrgUnit,
    /// Its figure.
    pub figure: Value,
}

/// The children of `unit` on `at` (agencies left out), ranked on the
/// indicator `code` in `year`.
pub async fn ranked_children<'h>(
    store: &dyn Store,
    h: &'h Hierarchy,
    years: &mut YearCache,
    unit: UnitId,
    code: &str,
    year: i32,
    at: Date,
) -> Result<Vec<Ranked<'h>>, EngineError> {
    let kids: Vec<&OrgUnit> = h
        .children(unit, at)
        .into_iter()
        .filter(|u| u.kind != OrgKind::Agency)
        .collect();
    if kids.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<UnitId> = kids.iter().map(|u| u.id).collect();
    let values = years
        .figures_or_none(store, h, code, year, at, &ids)
        .await?;
    let lower =
        ytcs_core::indicator::by_code(code).is_some_and(|i| i.direction == Direction::Lower);
    let mut pairs: Vec<(&OrgUnit, Value)> = kids.into_iter().zip(values).collect();
    rank_order(&mut pairs, lower, |u| u.name.clone());
    Ok(pairs
        .into_iter()
        .enumerate()
        .map(|(i, (unit, figure))| Ranked {
            rank: figure.reliable().then_some(i + 1),
            unit,
            figure,
        })
        .collect())
}

/// Orders figures for a ranking: reliable values first (best first by
/// `lower_is_better`), then the unreliable (never given a rank) and the
/// empty, by name within equal values.
pub fn rank_order<T>(items: &mut [(T, Value)], lower_is_better: bool, name: impl Fn(&T) -> String) {
    items.sort_by(|a, b| {
        let key = |v: &Value| match v.value {
            Some(x) if v.reliable() => (0, x),
            Some(x) => (1, x),
            None => (2, 0.0),
        };
        let (ka, kb) = (key(&a.1), key(&b.1));
        ka.0.cmp(&kb.0)
            .then_with(|| match ka.0 {
                2 => std::cmp::Ordering::Equal,
                _ if lower_is_better => ka.1.total_cmp(&kb.1),
                _ => kb.1.total_cmp(&ka.1),
            })
            .then_with(|| name(&a.0).cmp(&name(&b.0)))
    });
}

/// How many communes under a unit entered their monthly data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completeness {
    /// No commune lies under the unit.
    NoCommunes,
    /// No commune entered anything in the last twelve months.
    NoRecentMonth,
    /// The latest month in which any commune entered a value.
    Month {
        /// The month.
        period: Period,
        /// Communes with a value of the commune monthly data set.
        reporting: usize,
        /// Communes under the unit.
        communes: usize,
        /// The communes without a value that month, by name.
        missing: Vec<UnitId>,
    },
}

/// Data-entry completeness under `unit`: the latest month (up to twelve
/// back from `at`) in which any commune under it has a value of the
/// commune monthly data set, and how many communes do.
pub async fn completeness(
    store: &dyn Store,
    h: &Hierarchy,
    unit: UnitId,
    at: Date,
) -> Result<Completeness, EngineError> {
    let communes = h.communes_under(unit, at);
    if communes.is_empty() {
        return Ok(Completeness::NoCommunes);
    }
    let ids: HashSet<UnitId> = communes.iter().map(|u| u.id).collect();
    let monthly: HashSet<String> = standard_data_sets()
        .into_iter()
        .find(|s| s.code == "commune_monthly")
        .map(|s| s.elements.into_iter().collect())
        .unwrap_or_default();
    let monthly_codes: Vec<&str> = monthly.iter().map(String::as_str).collect();
    let mut month = Period::containing(at, PeriodType::Month);
    for _ in 0..12 {
        let values = store.period_values_of(month, &monthly_codes).await?;
        let reporting: HashSet<UnitId> = values
            .iter()
            .filter(|v| ids.contains(&v.unit) && monthly.contains(&v.element))
            .map(|v| v.unit)
            .collect();
        if !reporting.is_empty() {
            let mut missing: Vec<&OrgUnit> = communes
                .iter()
                .copied()
                .filter(|u| !reporting.contains(&u.id))
                .collect();
            missing.sort_by(|a, b| a.name.cmp(&b.name));
            return Ok(Completeness::Month {
                period: month,
                reporting: reporting.len(),
                communes: communes.len(),
                missing: missing.into_iter().map(|u| u.id).collect(),
            });
        }
        month = month.previous();
    }
    Ok(Completeness::NoRecentMonth)
}

/// The ranking a dashboard shows.
#[derive(Debug, Clone)]
pub struct Ranking<'h> {
    /// The indicator ranked on (`""`: none).
    pub indicator: String,
    /// The unit's plan target on it, which each child is measured against.
    pub target: Option<crate::profile::PlainTarget>,
    /// The year ranked (`None`: nothing to rank).
    pub year: Option<i32>,
    /// The child units, best first.
    pub rows: Vec<Ranked<'h>>,
}

impl Ranking<'_> {
    /// Whether a child is behind the unit's target: its figure can be
    /// signed and lies on the worse side of the target's value (by the
    /// indicator's direction). `None` without a target or a signable
    /// figure.
    pub fn behind(&self, row: &Ranked) -> Option<bool> {
        let target = self.target.as_ref()?;
        let value = row.figure.value.filter(|_| row.figure.reliable())?;
        let direction = ytcs_core::indicator::by_code(&self.indicator)?.direction;
        match direction {
            Direction::Higher => Some(value < target.value),
            Direction::Lower => Some(value > target.value),
            _ => None,
        }
    }
}

/// Everything a unit's dashboard shows.
#[derive(Debug)]
pub struct Overview<'h> {
    /// The headline indicators.
    pub headlines: Vec<Headline>,
    /// The plan targets linked to the unit: (plan id, row).
    pub targets: Vec<(i64, crate::scorecard::ScoreRow)>,
    /// The stored plans, in list order (for their labels).
    pub plans: Vec<ytcs_store::plans::PlanSummary>,
    /// The children ranked on one indicator.
    pub ranking: Ranking<'h>,
    /// Whether the unit has children that hold figures.
    pub has_children: bool,
    /// Data-entry completeness under the unit.
    pub completeness: Completeness,
    /// Overdue tasks and late or missing reports.
    pub reminders: crate::tracking::Reminders,
}

/// The dashboard of `unit`: figures with the units of `eval_at` (the
/// unit's last day when it has ended), targets as of `at`, the children
/// ranked on `rank_on` (a known indicator; else the first headline's) in
/// the year of its headline (else `eval_at`'s year).
pub async fn overview<'h>(
    store: &dyn Store,
    h: &'h Hierarchy,
    unit: &'h OrgUnit,
    at: Date,
    eval_at: Date,
    rank_on: Option<&str>,
) -> Result<Overview<'h>, EngineError> {
    use chrono::Datelike;
    let mut years = YearCache::default();
    let headlines = headlines(store, h, &mut years, unit.id, eval_at).await?;
    let targets = crate::scorecard::unit_targets(store, h, unit.code.as_str(), at).await?;
    let indicator = rank_on
        .map(str::trim)
        .and_then(ytcs_core::indicator::by_code)
        .filter(|i| crate::knows(i.code))
        .map(|i| i.code)
        .or_else(|| headlines.first().map(|x| x.indicator.code))
        .unwrap_or_default()
        .to_string();
    let year = headlines
        .iter()
        .find(|x| x.indicator.code == indicator)
        .map(|x| x.year)
        .or_else(|| (!indicator.is_empty()).then_some(eval_at.year()));
    let rows = match year {
        Some(y) => ranked_children(store, h, &mut years, unit.id, &indicator, y, eval_at).await?,
        None => vec![],
    };
    let target = match indicator.as_str() {
        "" => None,
        code => crate::profile::plain_target(store, h, code, unit, eval_at).await?,
    };
    let has_children = !rows.is_empty()
        || h.children(unit.id, eval_at)
            .iter()
            .any(|u| u.kind != OrgKind::Agency);
    Ok(Overview {
        headlines,
        targets,
        plans: store.list_plans().await?,
        ranking: Ranking {
            indicator,
            target,
            year,
            rows,
        },
        has_children,
        completeness: completeness(store, h, unit.id, eval_at).await?,
        reminders: crate::tracking::reminders(store, h, unit, eval_at).await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A figure of `code` from `n` events among `d`.
    fn v(code: &str, value: f64, n: f64, d: f64) -> Value {
        Value::judged(code, Some(value), Some(n), Some(d), None, None)
    }

    #[test]
    fn unreliable_figures_are_not_ranked_above_reliable_ones() {
        let mut items = vec![
            ("a", v("imr", 176.0, 3.0, 17.0)),
            ("b", v("imr", 12.0, 120.0, 10_000.0)),
            ("c", Value::judged("imr", None, None, None, None, None)),
            ("d", v("imr", 9.0, 90.0, 10_000.0)),
        ];
        assert!(!items[0].1.reliable() && items[1].1.reliable());
        rank_order(&mut items, true, |s| s.to_string());
        let order: Vec<&str> = items.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, ["d", "b", "a", "c"]);
    }

    #[test]
    fn a_headline_shows_the_latest_reliable_year_and_a_trend_only_between_reliable_figures() {
        let imr = ytcs_core::indicator::by_code("imr").unwrap();
        assert_eq!(imr.direction, Direction::Lower);
        let none = Value::judged("imr", None, None, None, None, None);
        // 2025 is too small to sign: 2024 is shown, and it fell from 2023.
        let figures = [
            (2021, none),
            (2022, v("imr", 14.0, 140.0, 10_000.0)),
            (2023, v("imr", 13.0, 130.0, 10_000.0)),
            (2024, v("imr", 12.0, 120.0, 10_000.0)),
            (2025, v("imr", 176.0, 3.0, 17.0)),
        ];
        let h = headline(imr, &figures).unwrap();
        assert_eq!(h.year, 2024);
        assert_eq!(h.trend, Some(Trend::Down));
        assert_eq!(
            h.tone,
            Tone::Better,
            "a lower infant mortality is good news"
        );
        assert_eq!(
            h.series.iter().map(|(y, _)| *y).collect::<Vec<_>>(),
            [2022, 2023, 2024]
        );
        // Only an unreliable figure: shown, without a trend.
        let figures = [
            (2024, v("imr", 180.0, 3.0, 16.0)),
            (2025, v("imr", 176.0, 3.0, 17.0)),
        ];
        let h = headline(imr, &figures).unwrap();
        assert_eq!((h.year, h.trend, h.tone), (2025, None, Tone::Same));
        assert!(headline(imr, &[(2025, none)]).is_none());
    }
}
