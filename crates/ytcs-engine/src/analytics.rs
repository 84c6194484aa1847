//! The analytics query: indicators × units × periods, with the units as
//! they stood on a date, answered by the one engine every page, report and
//! `ytcs indicator value` reads ([`crate::evaluate`]). What others (a
//! ministry dashboard, Superset, Power BI, a partner's system) get from
//! `GET /api/v1/analytics`.
//!
//! **The query.** `indicator` is a comma-separated list of codes (network
//! indicators, formulas over aggregate data, data elements); `org` a list
//! of unit codes as they stood on `at`, where the word `children` adds the
//! children (on `at`) of the codes listed before it (`51,children`: the
//! province and its communes); `period` a list of periods (`2024`,
//! `2024Q2`, `2024-06`). At most [`MAX_CELLS`] cells a query: a partner
//! asking for more is told to split it, never left waiting.
//!
//! **A cell** carries what `ytcs indicator value --json` prints, the same
//! field for field ([`Cell::of`] is that printout): value, numerator,
//! denominator, `reliable`, `flags`, `coverage`, `ci95` and the notes in
//! English and Vietnamese. Counts are exact to the thousandth.

use serde::Serialize;
use ytcs_core::formula::Value;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_core::quality::{exact_count, is_count, Coverage};
use ytcs_core::Date;
use ytcs_store::Store;

use crate::EngineError;

/// The most cells (indicators × units × periods) one query may ask for.
pub const MAX_CELLS: usize = 20_000;

/// What is wrong with a query, naming the part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A list is empty.
    #[error("{0} is required (a comma-separated list)")]
    Missing(&'static str),
    /// No indicator, formula or element has this code.
    #[error("unknown indicator '{0}'")]
    UnknownIndicator(String),
    /// Not a unit code, or no unit carried it on the date.
    #[error("no unit carries code '{0}' on {1}")]
    UnknownUnit(String, Date),
    /// Not a period.
    #[error("'{0}' is not a period (2024, 2024Q2, 2024-06)")]
    BadPeriod(String),
    /// `children` before any code.
    #[error("'children' adds the children of the codes before it: put a code first")]
    ChildrenFirst,
    /// Too many cells.
    #[error("{0} cells asked for; at most {MAX_CELLS} a query: split it")]
    TooLarge(usize),
}

/// A parsed query, its units resolved on `at`.
#[derive(Debug, Clone)]
pub struct Query {
    /// Indicator codes, in the order asked.
    pub indicators: Vec<String>,
    /// Units, in the order asked (each once).
    pub units: Vec<OrgUnit>,
    /// Periods, in the order asked.
    pub periods: Vec<Period>,
    /// The units as they stood on this day.
    pub at: Date,
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').map(str::trim).filter(|x| !x.is_empty())
}

impl Query {
    /// Reads the three lists of a query against the hierarchy on `at`.
    pub fn parse(
        h: &Hierarchy,
        indicator: &str,
        org: &str,
        period: &str,
        at: Date,
    ) -> Result<Query, QueryError> {
        let mut indicators: Vec<String> = Vec::new();
        for code in list(indicator) {
            if !crate::knows(code) {
                return Err(QueryError::UnknownIndicator(code.to_string()));
            }
            if !indicators.iter().any(|c| c == code) {
                indicators.push(code.to_string());
            }
        }
        let mut units: Vec<OrgUnit> = Vec::new();
        let mut named: Vec<UnitId> = Vec::new();
        let push = |units: &mut Vec<OrgUnit>, u: &OrgUnit| {
            if !units.iter().any(|x| x.id == u.id) {
                units.push(u.clone());
            }
        };
        for item in list(org) {
            if item.eq_ignore_ascii_case("children") {
                if named.is_empty() {
                    return Err(QueryError::ChildrenFirst);
                }
                for id in std::mem::take(&mut named) {
                    for c in h.children(id, at) {
                        push(&mut units, c);
                    }
                }
                continue;
            }
            let unit = OrgCode::parse(item)
                .ok()
                .and_then(|c| h.unit_at(&c, at))
                .ok_or_else(|| QueryError::UnknownUnit(item.to_string(), at))?;
            named.push(unit.id);
            push(&mut units, unit);
        }
        let periods = list(period)
            .map(|p| {
                p.parse::<Period>()
                    .map_err(|_| QueryError::BadPeriod(p.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (name, empty) in [
            ("indicator", indicators.is_empty()),
            ("org", units.is_empty()),
            ("period", periods.is_empty()),
        ] {
            if empty {
                return Err(QueryError::Missing(name));
            }
        }
        let cells = indicators.len() * units.len() * periods.len();
        if cells > MAX_CELLS {
            return Err(QueryError::TooLarge(cells));
        }
        Ok(Query {
            indicators,
            units,
            periods,
            at,
        })
    }
}

/// One figure as the API and `ytcs indicator value --json` give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The indicator or element code.
    pub code: String,
    /// The unit's code.
    pub org: String,
    /// The unit's name on `at`.
    pub org_name: String,
    /// The period.
    pub period: String,
    /// The units as of this day.
    pub at: String,
    /// The figure (counts exact to the thousandth); `null`: no data.
    pub value: Option<f64>,
    /// Its numerator.
    pub numerator: Option<f64>,
    /// Its denominator.
    pub denominator: Option<f64>,
    /// Whether it may be signed as a plain figure.
    pub reliable: bool,
    /// Why not (`small_numbers`, `implausible`, `incomplete_coverage` …).
    pub flags: Vec<&'static str>,
    /// Which communes' data enter it.
    pub coverage: Option<Coverage>,
    /// The 95 % interval, where a standard method exists.
    pub ci95: Option<[f64; 2]>,
    /// What the flags mean, in English.
    pub note: Option<String>,
    /// … and in Vietnamese.
    pub note_vi: Option<String>,
}

impl Cell {
    /// The cell of figure `v` of `code` for `unit` in `period`.
    pub fn of(code: &str, unit: &OrgUnit, period: Period, at: Date, v: &Value) -> Cell {
        let exact = |x: f64| if is_count(code) { exact_count(x) } else { x };
        Cell {
            code: code.to_string(),
            org: unit.code.as_str().to_string(),
            org_name: unit.name.clone(),
            period: period.to_string(),
            at: at.to_string(),
            value: v.value.map(exact),
            numerator: v.numerator.map(exact_count),
            denominator: v.denominator.map(exact_count),
            reliable: v.reliable(),
            flags: v.flags.names(),
            coverage: v.coverage,
            ci95: v.ci95.map(|(lo, hi)| [lo, hi]),
            note: v.flags.note_en(v.coverage),
            note_vi: v.flags.note_vi(v.coverage),
        }
    }
}

/// Answers a query: each indicator and period evaluated once for all the
/// units ([`crate::evaluate`]), cells in the order indicator → period →
/// unit. A network indicator asked for a month or quarter is refused by
/// the engine (they are yearly).
pub async fn run(store: &dyn Store, h: &Hierarchy, q: &Query) -> Result<Vec<Cell>, EngineError> {
    let ids: Vec<UnitId> = q.units.iter().map(|u| u.id).collect();
    let mut out = Vec::with_capacity(q.indicators.len() * q.periods.len() * ids.len());
    let mut rollups = crate::Rollups::new(h, q.at);
    for code in &q.indicators {
        for &period in &q.periods {
            let values = crate::evaluate_in(store, &mut rollups, code, period, &ids).await?;
            out.extend(
                q.units
                    .iter()
                    .zip(&values)
                    .map(|(u, v)| Cell::of(code, u, period, q.at, v)),
            );
        }
    }
    Ok(out)
}
