//! Indicators as formulas over aggregate data, and their evaluation for
//! any units and period with the units as they stood on a chosen date.
//!
//! An indicator is `numerator / denominator × factor` ([`IndicatorDef`]),
//! both sides formulas of [`crate::expr`]; `#{population}` is the network
//! registry's mid-year population of the period's calendar year.
//! [`definitions`] holds every code of the contract `indicators.md` that
//! aggregate data answers. Life expectancy is a special computation (an
//! abridged life table, [`crate::lifetable`]).
//!
//! Evaluation ([`Evaluator`]) rolls each element's values, recorded under
//! the units *of their time*, up to the units asked about with
//! [`crate::rollup::Rollup`]: lineage carries values of old units to the new
//! ones, and a question that would need to split a newer unit's values back
//! is refused with the rollup's error. A unit with no value of an element
//! has "no data" for it (not zero), so a rate over no data is no data.
//!
//! **Figures are computed over the communes that have data.** A unit's
//! rate sums numerator and denominator over the communes under it with
//! data on both sides (and, for values derived from the registers,
//! registers holding at least `quality::REGISTER_COMPLETE` of the
//! commune's population); the coverage is shown ("90/96 xã có số liệu");
//! below `quality::MIN_COVERAGE` (90 %) of the communes the figure is not
//! the unit's and is not reliable. Data recorded above the communes (a
//! district's own report) make the unit's figure its plain totals,
//! coverage not counted. A flow rate of a period not yet over is
//! `partial_period`. The demo's register communes take their population
//! from the registers (`replace_population`), so they are complete.

use std::collections::HashMap;

use serde::Serialize;

use crate::expr::{ElementRef, Expr};
use crate::hierarchy::Hierarchy;
use crate::lifetable::{life_expectancy_ci, AgeRow, AGE_GROUPS};
use crate::network::{AgeGroup, Sex};
use crate::org::UnitId;
use crate::period::Period;
use crate::quality::{ci95, judge, rule_of, Coverage, Flags, Kind, REGISTER_COMPLETE};
use crate::rollup::{Rollup, RollupError};
use crate::Date;

/// How an indicator is computed beyond a ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// Life expectancy at birth from deaths by age and population by age.
    LifeExpectancy,
}

/// An indicator's formula.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    /// Catalogue code.
    pub code: &'static str,
    /// Numerator formula.
    pub numerator: Expr,
    /// Denominator formula (`None`: the numerator is the value).
    pub denominator: Option<Expr>,
    /// 100 for %, 1,000 for ‰, 10,000, 100,000 …
    pub factor: f64,
    /// A computation that is not a ratio.
    pub special: Option<Special>,
    /// The numerator counts events over time (births, cases), so a target
    /// for a year is pro-rated for shorter periods when the indicator has
    /// no denominator of events too (see [`crate::progress`]).
    pub flow: bool,
}

/// The formulas, as text: code, numerator, denominator, factor, flow.
const FORMULAS: &[(&str, &str, &str, f64, bool)] = &[
    (
        "bhyt_coverage",
        "#{insured_persons}",
        "#{population}",
        100.0,
        false,
    ),
    (
        "ehr_coverage",
        "#{ehr_persons}",
        "#{population}",
        100.0,
        false,
    ),
    (
        "health_managed_pct",
        "#{managed_persons}",
        "#{population}",
        100.0,
        false,
    ),
    (
        "full_immunization_u1",
        "#{children_age1_fully_immunized}",
        "#{children_age1}",
        100.0,
        false,
    ),
    (
        "stunting_u5",
        "#{children_u5_stunted}",
        "#{children_u5_measured}",
        100.0,
        false,
    ),
    (
        "underweight_u5",
        "#{children_u5_underweight}",
        "#{children_u5_measured}",
        100.0,
        false,
    ),
    ("imr", "#{deaths.0}", "#{live_births}", 1000.0, false),
    (
        "u5mr",
        "#{deaths.0} + #{deaths.1-4}",
        "#{live_births}",
        1000.0,
        false,
    ),
    ("srb", "#{live_births.m}", "#{live_births.f}", 100.0, false),
    (
        "natural_growth_rate",
        "#{live_births} - #{deaths}",
        "#{population}",
        100.0,
        true,
    ),
    (
        "crude_birth_rate",
        "#{live_births}",
        "#{population}",
        1000.0,
        true,
    ),
    (
        "prenatal_screening_pct",
        "#{pregnancies_screened}",
        "#{pregnancies_ended}",
        100.0,
        false,
    ),
    (
        "newborn_screening_pct",
        "#{newborns_screened}",
        "#{live_births}",
        100.0,
        false,
    ),
    (
        "elderly_checked_pct",
        "#{elderly_checked}",
        "#{elderly_60plus}",
        100.0,
        false,
    ),
    (
        "hypertension_managed",
        "#{hypertension_managed_persons}",
        "#{hypertension_known}",
        100.0,
        false,
    ),
    (
        "stations_ncd_pct",
        "#{stations_ncd}",
        "#{stations_reporting}",
        100.0,
        false,
    ),
    (
        "communes_criteria_pct",
        "#{communes_criteria_passed}",
        "#{communes_assessed}",
        100.0,
        false,
    ),
    (
        "station_services_pct",
        "#{station_services_share}",
        "#{stations_reporting}",
        1.0,
        false,
    ),
    (
        "food_poisoning_per_100000",
        "#{food_poisoning_cases}",
        "#{population}",
        100_000.0,
        true,
    ),
    (
        "satisfaction_pct",
        "#{survey_satisfied}",
        "#{survey_respondents}",
        100.0,
        false,
    ),
];

/// Every indicator aggregate data answers (parsed; a formula that does not
/// parse is a bug caught by the tests, and left out).
pub fn definitions() -> Vec<IndicatorDef> {
    let mut out: Vec<IndicatorDef> = FORMULAS
        .iter()
        .filter_map(|(code, num, den, factor, flow)| {
            Some(IndicatorDef {
                code,
                numerator: Expr::parse(num).ok()?,
                denominator: Some(Expr::parse(den).ok()?),
                factor: *factor,
                special: None,
                flow: *flow,
            })
        })
        .collect();
    if let Ok(deaths) = Expr::parse("#{deaths}") {
        out.push(IndicatorDef {
            code: "life_expectancy",
            numerator: deaths,
            denominator: Expr::parse("#{population}").ok(),
            factor: 1.0,
            special: Some(Special::LifeExpectancy),
            flow: false,
        });
    }
    out
}

/// The definition of one code.
pub fn definition(code: &str) -> Option<IndicatorDef> {
    definitions().into_iter().find(|d| d.code == code)
}

/// A data value recorded under a unit of its time, as a float.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// Element code.
    pub element: String,
    /// Disaggregation key (`m.0`, or `""`).
    pub disagg: String,
    /// The unit it was recorded under.
    pub unit: UnitId,
    /// The value.
    pub value: f64,
}

/// Mid-year population of one unit, sex and age group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PopulationCell {
    /// The unit it was recorded under.
    pub unit: UnitId,
    /// Sex.
    pub sex: Sex,
    /// Five-year age group.
    pub age: AgeGroup,
    /// Persons.
    pub count: f64,
}

/// Everything one period's evaluation reads.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodData {
    /// The period.
    pub period: Period,
    /// Its element totals per recorded unit and disaggregation.
    pub values: Vec<Recorded>,
    /// The population of the period's calendar year.
    pub population: Vec<PopulationCell>,
}

/// An evaluated figure; `None` is "no data".
///
/// Besides the value it says which communes entered it, its 95 % interval
/// where one is defined, and whether it is reliable ([`crate::quality`]):
/// a figure is never shown plain unless `flags.reliable()`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The indicator's value.
    pub value: Option<f64>,
    /// The numerator (or the element's total).
    pub numerator: Option<f64>,
    /// The denominator (`None` for a data element).
    pub denominator: Option<f64>,
    /// The communes whose data entered (`None`: not counted, e.g. data
    /// recorded above the communes, or a unit with no commune under it).
    pub coverage: Option<Coverage>,
    /// 95 % confidence interval, where a standard method exists.
    pub ci95: Option<(f64, f64)>,
    /// What is wrong with it, if anything.
    pub flags: Flags,
}

impl Value {
    /// A figure with its flags judged by the rules of `code`.
    pub fn judged(
        code: &str,
        value: Option<f64>,
        numerator: Option<f64>,
        denominator: Option<f64>,
        coverage: Option<Coverage>,
        ci95: Option<(f64, f64)>,
    ) -> Value {
        let value = value.filter(|v| v.is_finite());
        Value {
            value,
            numerator,
            denominator,
            coverage,
            ci95: ci95.filter(|_| value.is_some()),
            flags: judge(code, value, numerator, denominator, coverage),
        }
    }

    /// Whether the figure may be shown plain, ranked and signed.
    pub fn reliable(&self) -> bool {
        self.value.is_some() && self.flags.reliable()
    }

    /// No data, and nothing known about why.
    pub const NONE: Value = Value {
        value: None,
        numerator: None,
        denominator: None,
        coverage: None,
        ci95: None,
        flags: Flags {
            small_numbers: false,
            implausible: None,
            incomplete_coverage: false,
            insufficient_coverage: false,
            partial_period: false,
        },
    };
}

/// Why an evaluation cannot answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// Neither an indicator with a formula nor a data element.
    #[error("'{0}' has no formula over aggregate data")]
    UnknownCode(String),
    /// The roll-up refused (values under units created after the date).
    #[error(transparent)]
    Rollup(#[from] RollupError),
}

/// The length of a period in years (for life-table person-years).
pub fn period_years(p: Period) -> f64 {
    match p {
        Period::Year(_) => 1.0,
        Period::HalfYear(..) => 0.5,
        Period::Quarter(..) => 0.25,
        Period::Month(..) => 1.0 / 12.0,
        Period::Day(_) => 1.0 / 365.0,
    }
}

fn disagg_has(key: &str, options: &[String]) -> bool {
    options.iter().all(|o| key.split('.').any(|p| p == o))
}

fn population_has(c: &PopulationCell, options: &[String]) -> bool {
    options.iter().all(|o| match o.as_str() {
        "m" => c.sex == Sex::Male,
        "f" => c.sex == Sex::Female,
        // `20-24` or `80+`, compared without formatting (this runs for
        // every population cell of every figure).
        other => {
            let lo = c.age.lower();
            match other.split_once('-') {
                Some((a, b)) => {
                    a.parse::<u8>() == Ok(lo)
                        && b.parse::<u8>() == Ok(lo.saturating_add(4))
                        && lo < AgeGroup::LAST
                }
                None => lo == AgeGroup::LAST && other == "80+",
            }
        }
    })
}

/// The data elements a figure of `code` reads from aggregate data: its
/// formula's (or the element itself), and [`REGISTERS_LOW`] when one of
/// them is derived from the registers. The population is read from the
/// registry, not from these. What [`Evaluator::evaluate`] of `code` needs
/// of [`PeriodData::values`], so a caller may read only these.
pub fn elements_read(code: &str) -> Vec<String> {
    let mut out: Vec<String> = match definition(code) {
        Some(def) if def.special == Some(Special::LifeExpectancy) => vec!["deaths".into()],
        Some(def) => def
            .numerator
            .elements()
            .into_iter()
            .chain(def.denominator.iter().flat_map(|d| d.elements()))
            .map(|r| r.code.clone())
            .collect(),
        None => vec![code.to_string()],
    };
    if out
        .iter()
        .any(|e| crate::register::derive::derived_elements().any(|d| d == e))
    {
        out.push(REGISTERS_LOW.to_string());
    }
    out.retain(|e| e != "population");
    out.sort();
    out.dedup();
    out
}

/// Whether a figure of `code` reads the registry's population (a formula
/// with `#{population}`, life expectancy, or the population itself), so a
/// caller may leave [`PeriodData::population`] empty otherwise.
pub fn reads_population(code: &str) -> bool {
    match definition(code) {
        Some(def) if def.special == Some(Special::LifeExpectancy) => true,
        Some(def) => def
            .numerator
            .elements()
            .into_iter()
            .chain(def.denominator.iter().flat_map(|d| d.elements()))
            .any(|r| r.code == "population"),
        None => code == "population",
    }
}

/// The element saying how complete a commune's registers were in every
/// month of a year (`register::derive`): [`PeriodData`] of any period
/// carries its calendar year's values of it.
pub const REGISTERS_LOW: &str = "registered_residents_low";

/// Evaluates indicators for units as they stood on one date, over one
/// period's data; caches roll-ups of each element reference.
///
/// **Coverage.** A figure of a unit is computed over the communes under it
/// that have data on both sides: a commune with a numerator but no
/// denominator (or the reverse) is left out of both, so the registers of
/// five communes are never divided by the population of ninety-six. A
/// commune whose station registers are incomplete — registered residents
/// below [`REGISTER_COMPLETE`] of its population at the end of any month
/// of the year ([`REGISTERS_LOW`]: the lowest month-end count, read for
/// every period of the year like the population) — is left out of every
/// figure that reads a value derived from the registers, for every period
/// of that year: months whose registers were short are never mixed into
/// a figure, and no figure silently covers fewer months than it says. When some of a unit's data were recorded above the communes
/// (a district's own report), the figure is the unit's plain totals and
/// its coverage is not counted.
pub struct Evaluator<'h, 'd> {
    rollup: Rollup<'h>,
    data: &'d PeriodData,
    /// The values and population cells that can reach a target (each
    /// figure passes over these many times; a province's period holds
    /// every commune's values).
    values: Vec<&'d Recorded>,
    population: Vec<&'d PopulationCell>,
    targets: Vec<UnitId>,
    cache: HashMap<ElementRef, Vec<Option<f64>>>,
    communes: Option<Communes>,
}

/// An estimate and its 95 % interval.
type EstimateWithInterval = (f64, (f64, f64));

/// The communes under the targets, and roll-ups to them.
struct Communes {
    units: Vec<UnitId>,
    /// Per target, indices into `units` (`None`: no commune under it).
    of_target: Vec<Option<Vec<usize>>>,
    cache: HashMap<ElementRef, Vec<Option<f64>>>,
}

/// Which communes a target's figure is summed over.
#[derive(Debug, Clone)]
enum Scope {
    /// The target's own totals.
    Target,
    /// The sum over these communes (indices into `Communes::units`).
    Communes(Vec<usize>),
}

fn element(code: &str, option: Option<&str>) -> ElementRef {
    ElementRef {
        code: code.to_string(),
        options: option.map(|o| vec![o.to_string()]).unwrap_or_default(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

impl<'h, 'd> Evaluator<'h, 'd> {
    /// An evaluator for `targets` (units valid on `at`) over `data`.
    pub fn new(h: &'h Hierarchy, at: Date, data: &'d PeriodData, targets: &[UnitId]) -> Self {
        Self::with_rollup(Rollup::new(h, at), data, targets)
    }

    /// An evaluator reusing a roll-up already built for the same date
    /// (its placements are kept), e.g. across the years of a series.
    pub fn with_rollup(mut rollup: Rollup<'h>, data: &'d PeriodData, targets: &[UnitId]) -> Self {
        let mut reach: HashMap<UnitId, bool> = HashMap::new();
        let mut reaches = |u: UnitId| *reach.entry(u).or_insert_with(|| rollup.reaches(u, targets));
        let values = data.values.iter().filter(|v| reaches(v.unit)).collect();
        let population = data.population.iter().filter(|c| reaches(c.unit)).collect();
        Evaluator {
            rollup,
            data,
            values,
            population,
            targets: targets.to_vec(),
            cache: HashMap::new(),
            communes: None,
        }
    }

    /// The roll-up, to reuse for another period as of the same date.
    pub fn into_rollup(self) -> Rollup<'h> {
        self.rollup
    }

    /// Totals of one reference for `targets`, and how many recorded values
    /// entered each (`None`: none).
    fn totals(
        rollup: &mut Rollup<'h>,
        values: &[&Recorded],
        population: &[&PopulationCell],
        r: &ElementRef,
        targets: &[UnitId],
    ) -> Result<Vec<Option<f64>>, RollupError> {
        type Series = Vec<(UnitId, f64)>;
        let (vals, ones): (Series, Series) = if r.code == "population" {
            population
                .iter()
                .filter(|c| population_has(c, &r.options))
                .map(|c| ((c.unit, c.count), (c.unit, 1.0)))
                .unzip()
        } else {
            values
                .iter()
                .filter(|v| v.element == r.code && disagg_has(&v.disagg, &r.options))
                .map(|v| ((v.unit, v.value), (v.unit, 1.0)))
                .unzip()
        };
        let totals = rollup.totals(&vals, targets)?;
        let counts = rollup.totals(&ones, targets)?;
        Ok(totals
            .into_iter()
            .zip(counts)
            .map(|(t, c)| (c > 0.0).then_some(t))
            .collect())
    }

    /// The totals of one element reference for each target (`None`: no
    /// value recorded anywhere under the target).
    pub fn reference(&mut self, r: &ElementRef) -> Result<Vec<Option<f64>>, RollupError> {
        if let Some(v) = self.cache.get(r) {
            return Ok(v.clone());
        }
        let out = Self::totals(
            &mut self.rollup,
            &self.values,
            &self.population,
            r,
            &self.targets,
        )?;
        self.cache.insert(r.clone(), out.clone());
        Ok(out)
    }

    fn communes(&mut self) -> &mut Communes {
        if self.communes.is_none() {
            let h = self.rollup.hierarchy();
            let at = self.rollup.at();
            let mut units: Vec<UnitId> = Vec::new();
            let mut index: HashMap<UnitId, usize> = HashMap::new();
            let of_target = self
                .targets
                .iter()
                .map(|t| {
                    let under = h.communes_under(*t, at);
                    (!under.is_empty()).then(|| {
                        under
                            .iter()
                            .map(|c| {
                                *index.entry(c.id).or_insert_with(|| {
                                    units.push(c.id);
                                    units.len() - 1
                                })
                            })
                            .collect()
                    })
                })
                .collect();
            self.communes = Some(Communes {
                units,
                of_target,
                cache: HashMap::new(),
            });
        }
        self.communes.as_mut().expect("set above")
    }

    /// The totals of one reference for each commune under the targets.
    fn commune_reference(&mut self, r: &ElementRef) -> Result<Vec<Option<f64>>, RollupError> {
        self.communes();
        let c = self.communes.as_mut().expect("set by communes()");
        if let Some(v) = c.cache.get(r) {
            return Ok(v.clone());
        }
        let out = Self::totals(
            &mut self.rollup,
            &self.values,
            &self.population,
            r,
            &c.units,
        )?;
        c.cache.insert(r.clone(), out.clone());
        Ok(out)
    }

    /// A reference summed over each target's scope.
    fn scoped(
        &mut self,
        r: &ElementRef,
        scopes: &[Scope],
    ) -> Result<Vec<Option<f64>>, RollupError> {
        let own = self.reference(r)?;
        if scopes.iter().all(|s| matches!(s, Scope::Target)) {
            return Ok(own);
        }
        let per = self.commune_reference(r)?;
        Ok(scopes
            .iter()
            .enumerate()
            .map(|(i, s)| match s {
                Scope::Target => own[i],
                Scope::Communes(ks) => ks
                    .iter()
                    .filter_map(|k| per[*k])
                    .fold(None, |acc: Option<f64>, v| Some(acc.unwrap_or(0.0) + v)),
            })
            .collect())
    }

    fn formula(&mut self, e: &Expr, scopes: &[Scope]) -> Result<Vec<Option<f64>>, RollupError> {
        let mut per_ref: HashMap<ElementRef, Vec<Option<f64>>> = HashMap::new();
        for r in e.elements() {
            if !per_ref.contains_key(r) {
                per_ref.insert(r.clone(), self.scoped(r, scopes)?);
            }
        }
        Ok((0..self.targets.len())
            .map(|i| e.eval(&mut |r| per_ref.get(r).and_then(|v| v[i])))
            .collect())
    }

    /// Per commune, whether any of `refs` has a value there.
    fn has_data(&mut self, refs: &[ElementRef]) -> Result<Vec<bool>, RollupError> {
        let n = self.communes().units.len();
        let mut out = vec![false; n];
        for r in refs {
            for (k, v) in self.commune_reference(r)?.into_iter().enumerate() {
                out[k] |= v.is_some();
            }
        }
        Ok(out)
    }

    /// Per commune, whether its station registers are complete (or it has
    /// none, so its values are reports).
    fn registers_complete(&mut self) -> Result<Vec<bool>, RollupError> {
        let registered = self.commune_reference(&element(REGISTERS_LOW, None))?;
        let population = self.commune_reference(&element("population", None))?;
        Ok(registered
            .iter()
            .zip(&population)
            .map(|(r, p)| match (r, p) {
                (None, _) => true,
                (Some(r), Some(p)) => *p > 0.0 && *r >= REGISTER_COMPLETE * p,
                (Some(_), None) => false,
            })
            .collect())
    }

    /// Each target's scope and coverage for a figure reading `numerator`
    /// and `denominator` references.
    fn scopes(
        &mut self,
        numerator: &[ElementRef],
        denominator: &[ElementRef],
    ) -> Result<(Vec<Scope>, Vec<Option<Coverage>>), RollupError> {
        let derived: Vec<&str> = crate::register::derive::derived_elements().collect();
        let from_registers = numerator
            .iter()
            .chain(denominator)
            .any(|r| derived.contains(&r.code.as_str()));
        let has_num = self.has_data(numerator)?;
        let has_den = if denominator.is_empty() {
            vec![true; has_num.len()]
        } else {
            self.has_data(denominator)?
        };
        let complete = if from_registers {
            self.registers_complete()?
        } else {
            vec![true; has_num.len()]
        };
        // Whether every value under a target sits on its communes.
        let mut placed = vec![true; self.targets.len()];
        let of_target = self.communes().of_target.clone();
        for r in numerator.iter().chain(denominator) {
            let own = self.reference(r)?;
            let per = self.commune_reference(r)?;
            for (i, ks) in of_target.iter().enumerate() {
                let Some(ks) = ks else { continue };
                let sum: f64 = ks.iter().filter_map(|k| per[*k]).sum();
                if !close(sum, own[i].unwrap_or(0.0)) {
                    placed[i] = false;
                }
            }
        }
        let mut scopes = Vec::with_capacity(of_target.len());
        let mut coverage = Vec::with_capacity(of_target.len());
        for (i, ks) in of_target.into_iter().enumerate() {
            match ks {
                Some(ks) if placed[i] => {
                    let inside: Vec<usize> = ks
                        .iter()
                        .copied()
                        .filter(|k| has_num[*k] && has_den[*k] && complete[*k])
                        .collect();
                    coverage.push(Some(Coverage {
                        with_data: inside.len() as u32,
                        units: ks.len() as u32,
                    }));
                    scopes.push(Scope::Communes(inside));
                }
                _ => {
                    coverage.push(None);
                    scopes.push(Scope::Target);
                }
            }
        }
        Ok((scopes, coverage))
    }

    /// The communes under target `index` whose data are missing from
    /// figures of `code` (no data, or incomplete registers), by id.
    pub fn missing_communes(&mut self, code: &str, index: usize) -> Result<Vec<UnitId>, EvalError> {
        let (num, den) = self.sides(code)?;
        let (scopes, _) = self.scopes(&num, &den)?;
        let c = self.communes();
        let Some(Some(all)) = c.of_target.get(index).cloned() else {
            return Ok(Vec::new());
        };
        let inside = match &scopes[index] {
            Scope::Communes(ks) => ks.clone(),
            Scope::Target => return Ok(Vec::new()),
        };
        Ok(all
            .into_iter()
            .filter(|k| !inside.contains(k))
            .map(|k| c.units[k])
            .collect())
    }

    /// The references read by each side of `code`'s figure.
    fn sides(&self, code: &str) -> Result<(Vec<ElementRef>, Vec<ElementRef>), EvalError> {
        match definition(code) {
            Some(def) if def.special == Some(Special::LifeExpectancy) => Ok((
                vec![element("deaths", None)],
                vec![element("population", None)],
            )),
            Some(def) => Ok((
                def.numerator.elements().into_iter().cloned().collect(),
                def.denominator
                    .as_ref()
                    .map(|d| d.elements().into_iter().cloned().collect())
                    .unwrap_or_default(),
            )),
            None => {
                let known = code == "population"
                    || self.data.values.iter().any(|v| v.element == code)
                    || crate::aggregate::standard_elements()
                        .iter()
                        .any(|e| e.code == code);
                if !known {
                    return Err(EvalError::UnknownCode(code.to_string()));
                }
                Ok((vec![element(code, None)], Vec::new()))
            }
        }
    }

    /// An indicator (or a data element: its total) for each target, with
    /// its coverage, interval and flags.
    pub fn evaluate(&mut self, code: &str) -> Result<Vec<Value>, EvalError> {
        let (num_refs, den_refs) = self.sides(code)?;
        let (scopes, coverage) = self.scopes(&num_refs, &den_refs)?;
        let Some(def) = definition(code) else {
            // A data element: its plain total; coverage says who reported.
            let totals = self.reference(&num_refs[0])?;
            return Ok(Self::element_values(code, totals, &coverage));
        };
        let num = self.formula(&def.numerator, &scopes)?;
        let den = match &def.denominator {
            Some(d) => self.formula(d, &scopes)?,
            None => vec![None; self.targets.len()],
        };
        // Events so far over a whole period's person-years.
        let partial =
            (def.flow || def.special.is_some()) && self.data.period.end() > self.rollup.at();
        let finish = |mut v: Value| {
            v.flags.partial_period = partial && v.value.is_some();
            v
        };
        if def.special == Some(Special::LifeExpectancy) {
            let e0 = self.life_expectancies(&scopes)?;
            return Ok((0..self.targets.len())
                .map(|i| {
                    let (v, ci) = match e0[i] {
                        Some((v, ci)) => (Some(v), Some(ci)),
                        None => (None, None),
                    };
                    finish(Value::judged(code, v, num[i], den[i], coverage[i], ci))
                })
                .collect());
        }
        let kind = rule_of(code).kind;
        Ok((0..self.targets.len())
            .map(|i| {
                let value = match (num[i], def.denominator.is_some(), den[i]) {
                    (Some(n), false, _) => Some(n * def.factor),
                    (Some(n), true, Some(d)) if d != 0.0 => Some(n / d * def.factor),
                    _ => None,
                };
                let interval = match (num[i], den[i]) {
                    (Some(n), Some(d)) if kind != Kind::Other => ci95(kind, n, d, def.factor),
                    _ => None,
                };
                finish(Value::judged(
                    code,
                    value,
                    num[i],
                    den[i],
                    coverage[i],
                    interval,
                ))
            })
            .collect())
    }

    /// A data element's total restricted to options (`#{deaths.m.0}`)
    /// for each target, with its coverage and flags — a cell of a
    /// statutory form.
    pub fn evaluate_element(&mut self, r: &ElementRef) -> Result<Vec<Value>, EvalError> {
        let refs = std::slice::from_ref(r);
        let (_, coverage) = self.scopes(refs, &[])?;
        let totals = self.reference(r)?;
        Ok(Self::element_values(&r.code, totals, &coverage))
    }

    fn element_values(
        code: &str,
        totals: Vec<Option<f64>>,
        coverage: &[Option<Coverage>],
    ) -> Vec<Value> {
        totals
            .into_iter()
            .enumerate()
            .map(|(i, v)| Value::judged(code, v, v, None, coverage[i], None))
            .collect()
    }

    /// Life expectancy at birth and its interval per target: deaths by age
    /// group (both sexes) over person-years; the registry's 0–4 group is
    /// split 1:4 between ages 0 and 1–4.
    fn life_expectancies(
        &mut self,
        scopes: &[Scope],
    ) -> Result<Vec<Option<EstimateWithInterval>>, RollupError> {
        let years = period_years(self.data.period);
        let mut deaths = Vec::new();
        for (code, _, _) in AGE_GROUPS {
            deaths.push(self.scoped(&element("deaths", Some(code)), scopes)?);
        }
        let mut pops = Vec::new();
        for lower in (0..=AgeGroup::LAST).step_by(5) {
            let option = if lower == AgeGroup::LAST {
                "80+".to_string()
            } else {
                format!("{lower}-{}", lower + 4)
            };
            pops.push(self.scoped(&element("population", Some(&option)), scopes)?);
        }
        Ok((0..self.targets.len())
            .map(|i| {
                let mut rows = [AgeRow {
                    deaths: 0.0,
                    person_years: 0.0,
                }; 18];
                for (g, row) in rows.iter_mut().enumerate() {
                    let pop = match g {
                        0 => pops[0][i]? * 0.2,
                        1 => pops[0][i]? * 0.8,
                        g => pops[g - 1][i]?,
                    };
                    *row = AgeRow {
                        deaths: deaths[g][i].unwrap_or(0.0),
                        person_years: pop * years,
                    };
                }
                if deaths.iter().all(|d| d[i].is_none()) {
                    return None;
                }
                life_expectancy_ci(&rows)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{OrgCode, OrgKind, OrgUnit, ParentLink};
    use crate::validity::Validity;

    fn unit(id: i64, kind: OrgKind) -> OrgUnit {
        OrgUnit {
            id: UnitId(id),
            code: OrgCode::parse(&format!("u{id}")).unwrap(),
            name: format!("Unit {id}"),
            kind,
            validity: Validity::default(),
        }
    }

    fn h() -> Hierarchy {
        let units = vec![
            unit(1, OrgKind::Province),
            unit(2, OrgKind::Commune),
            unit(3, OrgKind::Commune),
        ];
        let links = [2, 3]
            .map(|c| ParentLink {
                child: UnitId(c),
                parent: UnitId(1),
                validity: Validity::default(),
            })
            .to_vec();
        Hierarchy::new(units, links, vec![]).unwrap()
    }

    fn rec(element: &str, disagg: &str, unit: i64, value: f64) -> Recorded {
        Recorded {
            element: element.into(),
            disagg: disagg.into(),
            unit: UnitId(unit),
            value,
        }
    }

    fn at() -> Date {
        "2024-12-31".parse().unwrap()
    }

    #[test]
    fn every_formula_parses_and_refers_to_known_elements() {
        let defs = definitions();
        assert_eq!(defs.len(), FORMULAS.len() + 1);
        let els = crate::aggregate::standard_elements();
        for d in &defs {
            for side in std::iter::once(&d.numerator).chain(d.denominator.as_ref()) {
                for r in side.elements() {
                    let Some(e) = els.iter().find(|e| e.code == r.code) else {
                        assert_eq!(r.code, "population", "{}", d.code);
                        continue;
                    };
                    for o in &r.options {
                        assert!(e
                            .disaggregations()
                            .iter()
                            .any(|k| k.split('.').any(|p| p == o)));
                    }
                }
            }
            assert!(crate::indicator::by_code(d.code).is_some(), "{}", d.code);
        }
    }

    fn pop(unit: i64, count: f64) -> PopulationCell {
        PopulationCell {
            unit: UnitId(unit),
            sex: Sex::Male,
            age: AgeGroup::new(20).unwrap(),
            count,
        }
    }

    #[test]
    fn a_population_of_zero_is_no_data_never_infinity() {
        let h = h();
        let data = PeriodData {
            period: Period::Year(2024),
            values: vec![
                rec("insured_persons", "", 2, 5.0),
                rec("live_births", "m", 2, 3.0),
            ],
            population: vec![pop(2, 0.0)],
        };
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1), UnitId(2)]);
        for code in ["bhyt_coverage", "crude_birth_rate"] {
            for v in ev.evaluate(code).unwrap() {
                assert_eq!(v.value, None, "{code}: {v:?}");
                assert_eq!(v.ci95, None);
            }
        }
    }

    #[test]
    fn incomplete_registers_and_reports_above_communes() {
        let h = h();
        // Commune 2's registers held 100 of its 1,000 people at the end of
        // some month: its derived count of insured persons is not the
        // commune's. Commune 3 reports.
        let data = PeriodData {
            period: Period::Year(2024),
            values: vec![
                rec(REGISTERS_LOW, "", 2, 100.0),
                rec("insured_persons", "", 2, 90.0),
                rec("insured_persons", "", 3, 1_800.0),
            ],
            population: vec![pop(2, 1_000.0), pop(3, 2_000.0)],
        };
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1), UnitId(2), UnitId(3)]);
        let v = ev.evaluate("bhyt_coverage").unwrap();
        assert_eq!(v[0].value, Some(90.0));
        assert_eq!(v[0].denominator, Some(2_000.0));
        assert_eq!(v[0].coverage.map(|c| (c.with_data, c.units)), Some((1, 2)));
        assert_eq!(v[1].value, None, "incomplete registers give no figure");
        assert!(v[2].reliable());
        // Once the registers hold 960 of 1,000, they count.
        let mut data = data.clone();
        data.values[0].value = 960.0;
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1)]);
        let v = ev.evaluate("bhyt_coverage").unwrap();
        assert_eq!(v[0].numerator, Some(1_890.0));
        assert!(v[0].coverage.unwrap().complete());
        // A value recorded on the province itself: plain totals, coverage
        // not counted.
        data.values.push(rec("insured_persons", "", 1, 10.0));
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1)]);
        let v = ev.evaluate("bhyt_coverage").unwrap();
        assert_eq!(v[0].numerator, Some(1_900.0));
        assert_eq!(v[0].coverage, None);
    }

    #[test]
    fn a_month_of_a_year_with_short_registers_is_left_out_too() {
        let h = h();
        // March 2024: commune 2's registers were short in some month of
        // 2024 (the year's value, carried with any period of the year).
        let data = PeriodData {
            period: Period::Month(2024, 3),
            values: vec![
                rec(REGISTERS_LOW, "", 2, 500.0),
                rec("live_births", "m", 2, 5.0),
                rec("live_births", "f", 2, 4.0),
                rec("live_births", "m", 3, 20.0),
                rec("live_births", "f", 3, 19.0),
            ],
            population: vec![pop(2, 1_000.0), pop(3, 2_000.0)],
        };
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1), UnitId(2)]);
        let v = ev.evaluate("crude_birth_rate").unwrap();
        assert_eq!(v[0].numerator, Some(39.0), "only commune 3's births");
        assert_eq!(v[0].denominator, Some(2_000.0), "over its people only");
        assert_eq!(v[0].coverage.map(|c| (c.with_data, c.units)), Some((1, 2)));
        assert_eq!(v[1].value, None);
        assert_eq!(
            ev.missing_communes("crude_birth_rate", 0).unwrap(),
            vec![UnitId(2)]
        );
    }

    #[test]
    fn ratios_roll_up_and_no_denominator_is_no_data() {
        let h = h();
        let data = PeriodData {
            period: Period::Year(2024),
            values: vec![
                rec("live_births", "m", 2, 55.0),
                rec("live_births", "f", 2, 50.0),
                rec("live_births", "m", 3, 53.0),
                rec("live_births", "f", 3, 50.0),
                rec("deaths", "m.0", 2, 1.0),
                rec("deaths", "f.1-4", 3, 1.0),
            ],
            population: vec![],
        };
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1), UnitId(2), UnitId(3)]);
        let srb = ev.evaluate("srb").unwrap();
        assert!((srb[0].value.unwrap() - 108.0).abs() < 1e-9);
        let imr = ev.evaluate("imr").unwrap();
        // Commune 3 reports births but no infant deaths: it is left out of
        // both sides, and the coverage says so.
        assert!((imr[0].value.unwrap() - 1000.0 / 105.0).abs() < 1e-9);
        assert_eq!(
            imr[0].coverage,
            Some(Coverage {
                with_data: 1,
                units: 2
            })
        );
        assert!(imr[0].flags.incomplete_coverage && !imr[0].reliable());
        assert_eq!(ev.missing_communes("imr", 0).unwrap(), vec![UnitId(3)]);
        assert_eq!(imr[2].numerator, None);
        assert_eq!(imr[2].value, None, "no infant death recorded is no data");
        let u5 = ev.evaluate("u5mr").unwrap();
        assert!((u5[2].value.unwrap() - 1000.0 / 103.0).abs() < 1e-9);
        // No population in the registry: coverage is no data, never infinite.
        let nat = ev.evaluate("natural_growth_rate").unwrap();
        assert_eq!(nat[0].value, None);
        let births = ev.evaluate("live_births").unwrap();
        assert_eq!(births[0].value, Some(208.0));
        assert!(matches!(
            ev.evaluate("nonsense"),
            Err(EvalError::UnknownCode(_))
        ));
    }

    #[test]
    fn life_expectancy_from_deaths_and_population() {
        let h = h();
        let mut values = Vec::new();
        let mut population = Vec::new();
        for (g, (code, _, _)) in AGE_GROUPS.iter().enumerate() {
            let d = [
                12.5, 3.6, 2.0, 2.0, 3.5, 5.0, 5.5, 7.0, 9.5, 13.5, 19.5, 29.0, 43.5, 65.0, 105.0,
                175.0, 295.0, 700.0,
            ][g];
            values.push(rec("deaths", &format!("m.{code}"), 2, d));
        }
        for age in AgeGroup::all() {
            for sex in [Sex::Male, Sex::Female] {
                population.push(PopulationCell {
                    unit: UnitId(2),
                    sex,
                    age,
                    count: 2500.0,
                });
            }
        }
        let data = PeriodData {
            period: Period::Year(2024),
            values,
            population,
        };
        let mut ev = Evaluator::new(&h, at(), &data, &[UnitId(1), UnitId(3)]);
        let le = ev.evaluate("life_expectancy").unwrap();
        let e0 = le[0].value.unwrap();
        assert!((60.0..85.0).contains(&e0), "{e0}");
        assert_eq!(le[1].value, None);
    }
}
