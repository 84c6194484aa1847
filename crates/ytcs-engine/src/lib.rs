//! The indicator engine: answers any indicator of the catalogue for units,
//! periods and a date of the hierarchy from what is stored (network
//! registry or aggregate data), follows plan targets ([`scorecard`]) and
//! exchanges data values as CSV, XLSX and IHE ADX ([`exchange`]).
//!
//! Pure rules live in `ytcs-core` (`formula`, `progress`, `rollup`); this
//! crate only fetches what they need from the store. It holds no SQL and
//! knows no HTTP.
//!
//! [`evaluate`] answers network indicators or formulas for any units,
//! period and date; [`evaluate_in`] with [`Rollups`] keeps one roll-up per
//! request. Around it: [`analytics`] (the query `GET /api/v1/analytics`
//! and `ytcs indicator value --json` both print), [`scorecard`],
//! [`import`] (a CSV file streamed in two passes), [`registers`] (the only
//! way register records are saved, with the values they imply),
//! [`fhir`] and [`fhir_registers`], [`lead`], [`criteria`], [`budget`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analytics;
pub mod budget;
pub mod criteria;
pub mod dashboard;
pub mod entry;
pub mod exchange;
pub mod fhir;
pub mod fhir_registers;
pub mod import;
pub mod lead;
pub mod profile;
pub mod registers;
pub mod reporting;
pub mod scorecard;
pub mod statutory;
pub mod tracking;

use ytcs_core::formula::{definition, EvalError, Evaluator, PeriodData, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{
    figures_from, is_network_code, is_registry_figure, FigureError, YearValues,
};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::rollup::Rollup;
use ytcs_core::Date;
use ytcs_store::{Store, StoreError};

/// Why the engine cannot answer.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The formula evaluation refused.
    #[error(transparent)]
    Eval(#[from] EvalError),
    /// A network figure refused.
    #[error(transparent)]
    Network(#[from] FigureError),
    /// A write was refused.
    #[error(transparent)]
    Write(#[from] ytcs_store::network::WriteError),
    /// An XLSX workbook could not be written.
    #[error("cannot write the XLSX workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// Anything else, in words.
    #[error("{0}")]
    Other(String),
}

/// Whether the engine knows how to compute `code` (network indicator,
/// formula over aggregate data, or a standard data element).
pub fn knows(code: &str) -> bool {
    is_network_code(code)
        || definition(code).is_some()
        || ytcs_store::values::element(code).is_some()
}

/// The data one period's evaluation reads (every element).
pub async fn period_data(store: &dyn Store, period: Period) -> Result<PeriodData, StoreError> {
    read_period(store, period, None, true, &mut |_| true).await
}

/// The data a figure of `code` reads in one period: only the elements of
/// its formula ([`ytcs_core::formula::elements_read`]).
pub async fn period_data_for(
    store: &dyn Store,
    period: Period,
    code: &str,
) -> Result<PeriodData, StoreError> {
    period_data_where(store, period, code, &mut |_| true).await
}

/// [`period_data_for`] of the values recorded under units `keep` keeps.
async fn period_data_where(
    store: &dyn Store,
    period: Period,
    code: &str,
    keep: &mut (dyn FnMut(UnitId) -> bool + Send),
) -> Result<PeriodData, StoreError> {
    let elements = ytcs_core::formula::elements_read(code);
    let elements: Vec<&str> = elements.iter().map(String::as_str).collect();
    let population = ytcs_core::formula::reads_population(code);
    read_period(store, period, Some(&elements), population, keep).await
}

/// One period's values (of `elements`, or all) and, when `population`,
/// the registry's population of its year.
async fn read_period(
    store: &dyn Store,
    period: Period,
    elements: Option<&[&str]>,
    population: bool,
    keep: &mut (dyn FnMut(UnitId) -> bool + Send),
) -> Result<PeriodData, StoreError> {
    let mut values = match elements {
        Some(es) => store.period_values_where(period, es, keep).await?,
        None => store.period_values(period).await?,
    };
    // How complete the registers were each month of the year is read for
    // every period of the year, like the population (`formula::REGISTERS_LOW`).
    let year = Period::Year(period.calendar_year());
    let wants_low = elements.is_none_or(|es| es.contains(&ytcs_core::formula::REGISTERS_LOW));
    if period != year && wants_low {
        values.extend(
            store
                .period_values_where(year, &[ytcs_core::formula::REGISTERS_LOW], keep)
                .await?,
        );
    }
    Ok(PeriodData {
        period,
        values,
        population: if population {
            store.population_cells(period.calendar_year()).await?
        } else {
            Vec::new()
        },
    })
}

/// Evaluates `code` for `units` (valid on `at`) in `period`, with the units
/// as they stood on `at`. Network indicators are yearly and read the
/// registry; formulas read aggregate data and the registry's population.
pub async fn evaluate(
    store: &dyn Store,
    h: &Hierarchy,
    code: &str,
    period: Period,
    at: Date,
    units: &[UnitId],
) -> Result<Vec<Value>, EngineError> {
    evaluate_in(store, &mut Rollups::new(h, at), code, period, units).await
}

/// Roll-ups of one hierarchy and date kept across evaluations, so that
/// where each recorded unit lands is worked out once per request.
pub struct Rollups<'h> {
    h: &'h Hierarchy,
    at: Date,
    rollup: Option<Rollup<'h>>,
}

impl<'h> Rollups<'h> {
    /// None yet, for units as they stood on `at`.
    pub fn new(h: &'h Hierarchy, at: Date) -> Self {
        Rollups {
            h,
            at,
            rollup: None,
        }
    }
}

/// [`evaluate`] reusing `rollups` (of the same hierarchy and date).
pub async fn evaluate_in(
    store: &dyn Store,
    rollups: &mut Rollups<'_>,
    code: &str,
    period: Period,
    units: &[UnitId],
) -> Result<Vec<Value>, EngineError> {
    let (h, at) = (rollups.h, rollups.at);
    if is_registry_figure(code) {
        let Period::Year(year) = period else {
            return Err(FigureError::NotAYear(period).into());
        };
        let data = store.network().await?;
        let yv = YearValues::of_year(h, &data, year);
        return Ok(figures_from(h, &yv, code, at, units)?
            .into_iter()
            .map(|f| Value::judged(code, f.value, Some(f.numerator), f.denominator, None, None))
            .collect());
    }
    // Only the values that can reach the units asked for are copied out
    // of the columns (a few hundred of a province's ten thousand).
    let mut rollup = rollups.rollup.take().unwrap_or_else(|| Rollup::new(h, at));
    let data = period_data_where(store, period, code, &mut |u| rollup.reaches(u, units)).await?;
    let mut ev = Evaluator::with_rollup(rollup, &data, units);
    let out = ev.evaluate(code);
    rollups.rollup = Some(ev.into_rollup());
    Ok(out?)
}

/// The totals of element references `refs` (elements restricted to
/// disaggregation options) for `units` in `period`, with coverage and
/// flags: `out[i][u]` is `refs[i]` for `units[u]`. The period's values
/// are read once for all of them.
pub async fn evaluate_elements_in(
    store: &dyn Store,
    rollups: &mut Rollups<'_>,
    refs: &[ytcs_core::expr::ElementRef],
    period: Period,
    units: &[UnitId],
) -> Result<Vec<Vec<Value>>, EngineError> {
    let (h, at) = (rollups.h, rollups.at);
    let mut rollup = rollups.rollup.take().unwrap_or_else(|| Rollup::new(h, at));
    let mut elements: Vec<&str> = refs.iter().map(|r| r.code.as_str()).collect();
    elements.sort_unstable();
    elements.dedup();
    let data = read_period(store, period, Some(&elements), false, &mut |u| {
        rollup.reaches(u, units)
    })
    .await?;
    let mut ev = Evaluator::with_rollup(rollup, &data, units);
    let out: Result<Vec<Vec<Value>>, _> = refs.iter().map(|r| ev.evaluate_element(r)).collect();
    rollups.rollup = Some(ev.into_rollup());
    Ok(out?)
}

/// Yearly values of `code` for one unit over `years`, as units stood on `at`
/// (a year whose data cannot be placed on the unit is `None`).
pub async fn yearly(
    store: &dyn Store,
    h: &Hierarchy,
    code: &str,
    unit: UnitId,
    at: Date,
    years: std::ops::RangeInclusive<i32>,
) -> Result<Vec<(i32, Option<f64>)>, EngineError> {
    let mut out = Vec::new();
    let network = if is_registry_figure(code) {
        Some(store.network().await?)
    } else {
        None
    };
    for y in years {
        let v = match &network {
            Some(data) => {
                let yv = YearValues::of_year(h, data, y);
                figures_from(h, &yv, code, at, &[unit])
                    .ok()
                    .and_then(|f| f[0].value)
            }
            None => {
                let data = period_data_for(store, Period::Year(y), code).await?;
                let mut ev = Evaluator::new(h, at, &data, &[unit]);
                ev.evaluate(code).ok().and_then(|v| v[0].value)
            }
        };
        out.push((y, v));
    }
    Ok(out)
}
