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

use std::collections::HashMap;

use serde::Serialize;

use crate::expr::{ElementRef, Expr};
use crate::hierarchy::Hierarchy;
use crate::lifetable::{life_expectancy, AgeRow, AGE_GROUPS};
use crate::network::{AgeGroup, Sex};
use crate::org::UnitId;
use crate::period::Period;
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Value {
    /// The indicator's value.
    pub value: Option<f64>,
    /// The numerator (or the element's total).
    pub numerator: Option<f64>,
    /// The denominator (`None` for a data element).
    pub denominator: Option<f64>,
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
        other => {
            let lo = c.age.lower();
            other == format!("{lo}-{}", lo + 4) || (lo == AgeGroup::LAST && other == "80+")
        }
    })
}

/// Evaluates indicators for units as they stood on one date, over one
/// period's data; caches roll-ups of each element reference.
pub struct Evaluator<'h, 'd> {
    rollup: Rollup<'h>,
    data: &'d PeriodData,
    targets: Vec<UnitId>,
    cache: HashMap<ElementRef, Vec<Option<f64>>>,
}

impl<'h, 'd> Evaluator<'h, 'd> {
    /// An evaluator for `targets` (units valid on `at`) over `data`.
    pub fn new(h: &'h Hierarchy, at: Date, data: &'d PeriodData, targets: &[UnitId]) -> Self {
        Evaluator {
            rollup: Rollup::new(h, at),
            data,
            targets: targets.to_vec(),
            cache: HashMap::new(),
        }
    }

    /// An evaluator reusing a roll-up already built for the same date
    /// (its placements are kept), e.g. across the years of a series.
    pub fn with_rollup(rollup: Rollup<'h>, data: &'d PeriodData, targets: &[UnitId]) -> Self {
        Evaluator {
            rollup,
            data,
            targets: targets.to_vec(),
            cache: HashMap::new(),
        }
    }

    /// The roll-up, to reuse for another period as of the same date.
    pub fn into_rollup(self) -> Rollup<'h> {
        self.rollup
    }

    /// The totals of one element reference for each target (`None`: no
    /// value recorded anywhere under the target).
    pub fn reference(&mut self, r: &ElementRef) -> Result<Vec<Option<f64>>, RollupError> {
        if let Some(v) = self.cache.get(r) {
            return Ok(v.clone());
        }
        type Series = Vec<(UnitId, f64)>;
        let (vals, ones): (Series, Series) = if r.code == "population" {
            self.data
                .population
                .iter()
                .filter(|c| population_has(c, &r.options))
                .map(|c| ((c.unit, c.count), (c.unit, 1.0)))
                .unzip()
        } else {
            self.data
                .values
                .iter()
                .filter(|v| v.element == r.code && disagg_has(&v.disagg, &r.options))
                .map(|v| ((v.unit, v.value), (v.unit, 1.0)))
                .unzip()
        };
        let totals = self.rollup.totals(&vals, &self.targets)?;
        let counts = self.rollup.totals(&ones, &self.targets)?;
        let out: Vec<Option<f64>> = totals
            .into_iter()
            .zip(counts)
            .map(|(t, c)| (c > 0.0).then_some(t))
            .collect();
        self.cache.insert(r.clone(), out.clone());
        Ok(out)
    }

    fn formula(&mut self, e: &Expr) -> Result<Vec<Option<f64>>, RollupError> {
        let mut per_ref: HashMap<ElementRef, Vec<Option<f64>>> = HashMap::new();
        for r in e.elements() {
            if !per_ref.contains_key(r) {
                per_ref.insert(r.clone(), self.reference(r)?);
            }
        }
        Ok((0..self.targets.len())
            .map(|i| e.eval(&mut |r| per_ref.get(r).and_then(|v| v[i])))
            .collect())
    }

    /// An indicator (or a data element: its total) for each target.
    pub fn evaluate(&mut self, code: &str) -> Result<Vec<Value>, EvalError> {
        let Some(def) = definition(code) else {
            let r = ElementRef {
                code: code.to_string(),
                options: Vec::new(),
            };
            let known = code == "population" || self.data.values.iter().any(|v| v.element == code);
            if !known
                && !crate::aggregate::standard_elements()
                    .iter()
                    .any(|e| e.code == code)
            {
                return Err(EvalError::UnknownCode(code.to_string()));
            }
            return Ok(self
                .reference(&r)?
                .into_iter()
                .map(|v| Value {
                    value: v,
                    numerator: v,
                    denominator: None,
                })
                .collect());
        };
        let num = self.formula(&def.numerator)?;
        let den = match &def.denominator {
            Some(d) => self.formula(d)?,
            None => vec![None; self.targets.len()],
        };
        if def.special == Some(Special::LifeExpectancy) {
            let e0 = self.life_expectancies()?;
            return Ok((0..self.targets.len())
                .map(|i| Value {
                    value: e0[i],
                    numerator: num[i],
                    denominator: den[i],
                })
                .collect());
        }
        Ok((0..self.targets.len())
            .map(|i| {
                let value = match (num[i], def.denominator.is_some(), den[i]) {
                    (Some(n), false, _) => Some(n * def.factor),
                    (Some(n), true, Some(d)) if d != 0.0 => Some(n / d * def.factor),
                    _ => None,
                };
                Value {
                    value: value.filter(|v| v.is_finite()),
                    numerator: num[i],
                    denominator: den[i],
                }
            })
            .collect())
    }

    /// Life expectancy at birth per target: deaths by age group (both
    /// sexes) over person-years; the registry's 0–4 group is split 1:4
    /// between ages 0 and 1–4.
    fn life_expectancies(&mut self) -> Result<Vec<Option<f64>>, RollupError> {
        let years = period_years(self.data.period);
        let mut deaths = Vec::new();
        for (code, _, _) in AGE_GROUPS {
            deaths.push(self.reference(&ElementRef {
                code: "deaths".into(),
                options: vec![code.to_string()],
            })?);
        }
        let mut pops = Vec::new();
        for lower in (0..=AgeGroup::LAST).step_by(5) {
            let option = if lower == AgeGroup::LAST {
                "80+".to_string()
            } else {
                format!("{lower}-{}", lower + 4)
            };
            pops.push(self.reference(&ElementRef {
                code: "population".into(),
                options: vec![option],
            })?);
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
                life_expectancy(&rows)
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
        assert!((imr[0].value.unwrap() - 1000.0 / 208.0).abs() < 1e-9);
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
