//! Whether a computed figure can be signed: plausible ranges, small
//! numbers, coverage, and 95 % confidence intervals.
//!
//! An official signs what ytcs shows, so a figure is never shown plain
//! unless it is [`Flags::reliable`]. The rules, one place for all of them:
//!
//! - **Plausible range** ([`Rule::plausible`]): life expectancy 40–95
//!   years, infant mortality 0–60 ‰, under-five mortality 0–80 ‰, sex ratio
//!   at birth 90–130, crude birth rate 5–40 ‰, health-insurance coverage
//!   30–100 % (no province of Viet Nam is below 80 %), other percentages
//!   0–100, densities per 10,000 up to 200. A value outside it is
//!   `implausible`, with its likely [`Cause`].
//! - **Small numbers** ([`Rule::min_events`], [`Rule::min_denominator`]):
//!   a rate of events (deaths, births, cases) needs at least 20 events
//!   (a relative standard error under about 22 %); a proportion needs a
//!   denominator of at least 30; the sex ratio at birth 1,000 births; life
//!   expectancy a population of 5,000 and 30 deaths. Below, the figure is
//!   `small_numbers`: shown with a mark and "số nhỏ — chưa đủ tin cậy",
//!   never ranked.
//! - **Coverage** ([`Coverage`]): the communes under a unit whose data
//!   enter the figure. Fewer than all is `incomplete_coverage`; fewer than
//!   [`MIN_COVERAGE`] of them makes the figure unreliable for the unit.
//! - **Confidence intervals** ([`ci95`]): Wilson's score interval for
//!   proportions (and, through the share of boys, the sex ratio at birth),
//!   a Poisson interval (Byar's approximation) for rates of events, and
//!   Chiang's variance for life expectancy ([`crate::lifetable`]).
//! - **Registers** ([`REGISTER_COMPLETE`]): values derived from a
//!   commune's registers count only when the registers hold at least 95 %
//!   of its population.
//!
//! A figure is written one way everywhere: [`format_figure`] with
//! [`decimals`] (counts whole, other figures one decimal, two below 1).
//! `crate::formula::Value` carries `coverage`, `ci95` and `flags`.

use serde::Serialize;

use crate::indicator::by_code;
use crate::plan::Unit;

/// The share of communes with data below which a figure does not stand
/// for its unit.
pub const MIN_COVERAGE: f64 = 0.9;

/// The share of a commune's population its station registers must hold
/// (registered residents on the period's last day over the mid-year
/// population) for values derived from them to count: below it the
/// registers are still being filled in and their counts are not the
/// commune's.
pub const REGISTER_COMPLETE: f64 = 0.95;

/// Registered residents above this share of a commune's population are
/// flagged for review after an import (duplicates, or a population that
/// is out of date): the registers are kept, nobody is dropped.
pub const REGISTER_EXCESS: f64 = 1.10;

/// Whether a commune's registers hold so many more residents than its
/// population that somebody must look (`None` population: nothing to
/// compare with, nothing said).
pub fn registers_exceed(registered: f64, population: Option<f64>) -> bool {
    population.is_some_and(|p| registered > REGISTER_EXCESS * p.max(0.0))
}

/// z for a two-sided 95 % interval.
const Z95: f64 = 1.959_963_984_540_054;

/// How a figure's uncertainty is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share of persons or units (numerator ⊂ denominator): Wilson.
    Proportion,
    /// Events over a population or births: Poisson on the numerator.
    EventRate,
    /// Boys per 100 girls at birth.
    SexRatio,
    /// Life expectancy at birth (Chiang).
    LifeExpectancy,
    /// A count, a density or anything without a standard interval.
    Other,
}

/// The rule of one indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// Catalogue code.
    pub code: &'static str,
    /// How uncertainty is computed.
    pub kind: Kind,
    /// Lowest and highest plausible value.
    pub plausible: (f64, f64),
    /// Fewest events in the numerator for a reliable figure.
    pub min_events: f64,
    /// Smallest denominator for a reliable figure.
    pub min_denominator: f64,
}

const fn rule(code: &'static str, kind: Kind, lo: f64, hi: f64, events: f64, den: f64) -> Rule {
    Rule {
        code,
        kind,
        plausible: (lo, hi),
        min_events: events,
        min_denominator: den,
    }
}

use Kind::*;

/// The indicators with a rule of their own; the others follow their
/// catalogue unit ([`rule_of`]).
const RULES: &[Rule] = &[
    rule("life_expectancy", LifeExpectancy, 40.0, 95.0, 30.0, 5_000.0),
    rule("imr", EventRate, 0.0, 60.0, 20.0, 0.0),
    rule("u5mr", EventRate, 0.0, 80.0, 20.0, 0.0),
    rule("mmr", EventRate, 0.0, 500.0, 20.0, 0.0),
    rule("srb", SexRatio, 90.0, 130.0, 0.0, 1_000.0),
    rule("crude_birth_rate", EventRate, 5.0, 40.0, 20.0, 0.0),
    rule("natural_growth_rate", Other, -1.0, 4.0, 20.0, 0.0),
    rule(
        "food_poisoning_per_100000",
        EventRate,
        0.0,
        2_000.0,
        20.0,
        0.0,
    ),
    rule("bhyt_coverage", Proportion, 30.0, 100.0, 0.0, 30.0),
    rule("stunting_u5", Proportion, 0.0, 70.0, 0.0, 30.0),
    rule("underweight_u5", Proportion, 0.0, 60.0, 0.0, 30.0),
    rule("station_services_pct", Other, 0.0, 100.0, 0.0, 0.0),
    rule("doctors_per_10000", Other, 0.0, 100.0, 0.0, 0.0),
    rule("pharmacists_per_10000", Other, 0.0, 50.0, 0.0, 0.0),
    rule("nurses_per_10000", Other, 0.0, 150.0, 0.0, 0.0),
    rule("beds_per_10000", Other, 0.0, 200.0, 0.0, 0.0),
];

/// The rule of a code: its own, or the one of its catalogue unit
/// (percentages are proportions 0–100, ‰ rates of events 0–1,000, years
/// 0–120, counts ≥ 0).
pub fn rule_of(code: &str) -> Rule {
    if let Some(r) = RULES.iter().find(|r| r.code == code) {
        return *r;
    }
    let unit = by_code(code).map(|i| i.unit);
    match unit {
        Some(Unit::Percent) => rule("", Proportion, 0.0, 100.0, 0.0, 30.0),
        Some(Unit::PerMille) => rule("", EventRate, 0.0, 1_000.0, 20.0, 0.0),
        Some(Unit::Per100000) => rule("", EventRate, 0.0, 100_000.0, 20.0, 0.0),
        Some(Unit::Years) => rule("", Other, 0.0, 120.0, 0.0, 0.0),
        _ => rule("", Other, 0.0, f64::INFINITY, 0.0, 0.0),
    }
}

/// Whether the values of `code` are counts (people, events, units): a
/// data element of type count, `population`, or an indicator counted in
/// the catalogue. Counts show as whole numbers ([`shown_count`]).
pub fn is_count(code: &str) -> bool {
    if code == "population" {
        return true;
    }
    if let Some(e) = crate::aggregate::standard_elements()
        .into_iter()
        .find(|e| e.code == code)
    {
        return e.value_type == crate::aggregate::ValueType::Count;
    }
    by_code(code).is_some_and(|i| i.unit == Unit::Count)
}

/// A count as exported: exact to the thousandth the store keeps (a
/// weighted split across a reform can make it fractional), without the
/// float dust of summing (`125474.00000000003` → `125474`).
pub fn exact_count(x: f64) -> f64 {
    let r = (x * 1000.0).round() / 1000.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// A count as shown to people: a whole number.
pub fn shown_count(x: f64) -> i64 {
    x.round() as i64
}

/// Digits after the comma a figure of `code` is shown with, everywhere
/// (pages, reports, exports' text, the CLI): counts none, other figures one
/// (two below 1, so 0,45 ‰ is not 0,5 ‰). One rule, so every place that
/// shows a target's actual agrees to the digit.
pub fn decimals(code: &str, v: f64) -> usize {
    if is_count(code) {
        0
    } else if v != 0.0 && v.abs() < 1.0 {
        2
    } else {
        1
    }
}

/// The value rounded as it is shown ([`decimals`]).
pub fn shown(code: &str, v: f64) -> f64 {
    let p = 10f64.powi(decimals(code, v) as i32);
    (v * p).round() / p
}

/// A figure of `code` written the Vietnamese way (`84,8`, `2.166.687`).
pub fn format_figure(code: &str, v: f64) -> String {
    crate::plan::vn::format_number(shown(code, v), decimals(code, v))
}

/// A difference from a figure of `code` (a gap to a target, a change),
/// signed, with the decimals of the figure `of` it is taken from: beside
/// 94,0 % a gap reads `-1,0`, not `-0,96`.
pub fn format_difference(code: &str, of: f64, difference: f64) -> String {
    let d = decimals(code, of);
    let p = 10f64.powi(d as i32);
    let v = (difference * p).round() / p;
    let text = crate::plan::vn::format_number(v.abs(), d);
    if v > 0.0 {
        format!("+{text}")
    } else if v < 0.0 {
        format!("-{text}")
    } else {
        text
    }
}

/// Which communes' data enter a figure of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Communes whose data enter the figure.
    pub with_data: u32,
    /// Communes under the unit (the unit itself for a commune).
    pub units: u32,
}

impl Coverage {
    /// Whether every commune is in.
    pub fn complete(&self) -> bool {
        self.with_data >= self.units
    }

    /// Whether enough communes are in for the figure to stand for its unit.
    pub fn sufficient(&self) -> bool {
        self.units == 0 || f64::from(self.with_data) >= MIN_COVERAGE * f64::from(self.units)
    }
}

/// Why a value is outside its plausible range, as far as can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Numerator and denominator come from different communes (coverage).
    Coverage,
    /// The numerator exceeds the denominator of a proportion.
    Numerator,
    /// The denominator is too small (or missing parts) for the numerator.
    Denominator,
    /// Too few events: chance alone can give such a value.
    SmallNumbers,
}

impl Cause {
    /// The cause in Vietnamese, for pages and reports.
    pub fn vi(self) -> &'static str {
        match self {
            Cause::Coverage => "tử số và mẫu số không cùng phạm vi xã có số liệu",
            Cause::Numerator => "tử số lớn hơn mẫu số",
            Cause::Denominator => "mẫu số quá nhỏ hoặc thiếu — kiểm tra dân số",
            Cause::SmallNumbers => "số sự kiện quá ít",
        }
    }

    /// The cause in English.
    pub fn en(self) -> &'static str {
        match self {
            Cause::Coverage => "numerator and denominator cover different communes",
            Cause::Numerator => "numerator larger than the denominator",
            Cause::Denominator => "denominator too small or incomplete — check the population",
            Cause::SmallNumbers => "too few events",
        }
    }
}

/// What is wrong with a figure, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Flags {
    /// Too few events or too small a denominator.
    pub small_numbers: bool,
    /// Outside the plausible range, with its likely cause.
    pub implausible: Option<Cause>,
    /// Not every commune under the unit has data.
    pub incomplete_coverage: bool,
    /// So few communes have data that the figure does not stand for the
    /// unit (below [`MIN_COVERAGE`]).
    pub insufficient_coverage: bool,
    /// A rate of events over a period not yet over: the events so far are
    /// divided by a whole period's population, so it is not the period's
    /// rate yet.
    pub partial_period: bool,
}

impl Flags {
    /// Whether the figure may be shown plain, ranked and signed.
    pub fn reliable(&self) -> bool {
        !self.small_numbers
            && self.implausible.is_none()
            && !self.insufficient_coverage
            && !self.partial_period
    }

    /// The flags' stable names (`small_numbers`, `implausible`,
    /// `incomplete_coverage`), for JSON and FHIR.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.small_numbers {
            out.push("small_numbers");
        }
        if self.implausible.is_some() {
            out.push("implausible");
        }
        if self.incomplete_coverage {
            out.push("incomplete_coverage");
        }
        if self.insufficient_coverage {
            out.push("insufficient_coverage");
        }
        if self.partial_period {
            out.push("partial_period");
        }
        out
    }

    /// A short Vietnamese note for a figure that is not reliable ("số nhỏ
    /// — chưa đủ tin cậy"), or `None` when it is.
    pub fn note_vi(&self, coverage: Option<Coverage>) -> Option<String> {
        self.note(coverage, true)
    }

    /// The same note in English.
    pub fn note_en(&self, coverage: Option<Coverage>) -> Option<String> {
        self.note(coverage, false)
    }

    fn note(&self, coverage: Option<Coverage>, vi: bool) -> Option<String> {
        let mut parts = Vec::new();
        match self.implausible {
            // Chance on few events: said once, by the small-number words.
            Some(Cause::SmallNumbers) if self.small_numbers => parts.push(if vi {
                "bất thường do số nhỏ".to_string()
            } else {
                "implausible, from small numbers".to_string()
            }),
            Some(c) => parts.push(if vi {
                format!("bất thường: {}", c.vi())
            } else {
                format!("implausible: {}", c.en())
            }),
            None => {}
        }
        if self.small_numbers {
            parts.push(if vi {
                "số nhỏ — chưa đủ tin cậy".to_string()
            } else {
                "small numbers — not reliable".to_string()
            });
        }
        if self.partial_period {
            parts.push(if vi {
                "kỳ chưa kết thúc — chưa phải số cả kỳ".to_string()
            } else {
                "period not over — not the whole period's rate".to_string()
            });
        }
        if self.incomplete_coverage {
            if let Some(c) = coverage {
                parts.push(if vi {
                    format!("{}/{} xã có số liệu", c.with_data, c.units)
                } else {
                    format!("{} of {} communes with data", c.with_data, c.units)
                });
            }
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

/// Judges a figure of `code`: `value` computed from `numerator` and
/// `denominator` over `coverage`.
pub fn judge(
    code: &str,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    coverage: Option<Coverage>,
) -> Flags {
    let r = rule_of(code);
    let mut f = Flags::default();
    if let Some(c) = coverage {
        f.incomplete_coverage = !c.complete();
        f.insufficient_coverage = !c.sufficient();
    }
    let Some(v) = value else {
        return f;
    };
    let events = match r.kind {
        SexRatio => numerator.zip(denominator).map(|(m, w)| m + w),
        _ => numerator,
    };
    if r.min_events > 0.0 && events.is_some_and(|e| e.abs() < r.min_events) {
        f.small_numbers = true;
    }
    let den = match r.kind {
        SexRatio => events,
        _ => denominator,
    };
    if r.min_denominator > 0.0 && den.is_some_and(|d| d < r.min_denominator) {
        f.small_numbers = true;
    }
    let (lo, hi) = r.plausible;
    if !(lo..=hi).contains(&v) || !v.is_finite() {
        f.implausible = Some(
            if r.kind == Proportion && numerator.zip(denominator).is_some_and(|(n, d)| n > d) {
                Cause::Numerator
            } else if f.incomplete_coverage {
                Cause::Coverage
            } else if f.small_numbers {
                Cause::SmallNumbers
            } else if denominator.is_some() && v > hi {
                Cause::Denominator
            } else {
                Cause::Numerator
            },
        );
    }
    f
}

/// The 95 % interval of a ratio figure `numerator / denominator × factor`
/// of kind `kind`, where one is defined (`None` for other kinds, a
/// negative numerator, or a zero denominator).
pub fn ci95(kind: Kind, numerator: f64, denominator: f64, factor: f64) -> Option<(f64, f64)> {
    if !(numerator >= 0.0 && denominator > 0.0 && numerator.is_finite() && denominator.is_finite())
    {
        return None;
    }
    match kind {
        Proportion => {
            let (lo, hi) = wilson(numerator, denominator)?;
            Some((lo * factor, hi * factor))
        }
        EventRate => {
            let (lo, hi) = poisson(numerator);
            Some((lo / denominator * factor, hi / denominator * factor))
        }
        SexRatio => {
            // Share of boys among births, then boys per 100 girls.
            let (lo, hi) = wilson(numerator, numerator + denominator)?;
            let ratio = |p: f64| {
                if p >= 1.0 {
                    f64::INFINITY
                } else {
                    p / (1.0 - p) * factor
                }
            };
            Some((ratio(lo), ratio(hi)))
        }
        LifeExpectancy | Other => None,
    }
}

/// Wilson's score interval of `k` successes in `n` trials.
pub fn wilson(k: f64, n: f64) -> Option<(f64, f64)> {
    if n <= 0.0 || k < 0.0 || k > n {
        return None;
    }
    let p = k / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// A 95 % interval of a Poisson count `x` (Byar's approximation; exact
/// enough from 0 events up, and it never goes below 0).
pub fn poisson(x: f64) -> (f64, f64) {
    let lo = if x <= 0.0 {
        0.0
    } else {
        x * (1.0 - 1.0 / (9.0 * x) - Z95 / (3.0 * x.sqrt())).powi(3)
    };
    let u = x + 1.0;
    let hi = u * (1.0 - 1.0 / (9.0 * u) + Z95 / (3.0 * u.sqrt())).powi(3);
    (lo.max(0.0), hi)
}

/// The 95 % interval around an estimate with standard error `se`.
pub fn normal(estimate: f64, se: f64) -> Option<(f64, f64)> {
    (se.is_finite() && se >= 0.0).then_some((estimate - Z95 * se, estimate + Z95 * se))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_demo_anomalies_are_flagged() {
        // Life expectancy of 325 years from 8 deaths.
        let f = judge(
            "life_expectancy",
            Some(324.7),
            Some(8.0),
            Some(33_428.0),
            None,
        );
        assert!(!f.reliable());
        assert!(f.small_numbers);
        assert_eq!(f.implausible, Some(Cause::SmallNumbers));
        // Infant mortality of 176 ‰ from 3 deaths in 17 births.
        let f = judge("imr", Some(176.5), Some(3.0), Some(17.0), None);
        assert!(f.small_numbers && f.implausible.is_some());
        // Sex ratio at birth of 183.
        let f = judge("srb", Some(183.3), Some(11.0), Some(6.0), None);
        assert!(!f.reliable());
        // Insurance coverage of 0.22 % over 5 of 96 communes.
        let c = Coverage {
            with_data: 5,
            units: 96,
        };
        let f = judge(
            "bhyt_coverage",
            Some(0.22),
            Some(5_415.0),
            Some(2_456_520.0),
            Some(c),
        );
        assert_eq!(f.implausible, Some(Cause::Coverage));
        assert!(f.insufficient_coverage);
        assert_eq!(
            f.names(),
            [
                "implausible",
                "incomplete_coverage",
                "insufficient_coverage"
            ]
        );
    }

    #[test]
    fn a_province_figure_is_reliable() {
        let c = Coverage {
            with_data: 96,
            units: 96,
        };
        assert!(judge("imr", Some(17.96), Some(617.0), Some(34_358.0), Some(c)).reliable());
        assert!(judge("srb", Some(105.2), Some(17_613.0), Some(16_745.0), Some(c)).reliable());
        assert!(judge(
            "life_expectancy",
            Some(75.3),
            Some(15_170.0),
            Some(2.4e6),
            Some(c)
        )
        .reliable());
        assert!(judge(
            "bhyt_coverage",
            Some(84.75),
            Some(2.0e6),
            Some(2.4e6),
            Some(c)
        )
        .reliable());
        // 90 of 96 communes is still the province's figure, marked.
        let c = Coverage {
            with_data: 90,
            units: 96,
        };
        let f = judge(
            "bhyt_coverage",
            Some(84.75),
            Some(2.0e6),
            Some(2.4e6),
            Some(c),
        );
        assert!(f.reliable() && f.incomplete_coverage);
        assert_eq!(f.note_vi(Some(c)).as_deref(), Some("90/96 xã có số liệu"));
    }

    #[test]
    fn a_proportion_over_one_is_blamed_on_the_numerator() {
        let f = judge(
            "full_immunization_u1",
            Some(120.0),
            Some(120.0),
            Some(100.0),
            None,
        );
        assert_eq!(f.implausible, Some(Cause::Numerator));
        assert!(f.note_vi(None).unwrap().contains("tử số lớn hơn mẫu số"));
    }

    #[test]
    fn no_value_has_no_implausibility() {
        assert_eq!(judge("imr", None, None, Some(0.0), None), Flags::default());
    }

    #[test]
    fn intervals_match_published_values() {
        // Wilson, 81 of 263: 0.2553–0.3662 (Newcombe 1998, example).
        let (lo, hi) = wilson(81.0, 263.0).unwrap();
        assert!(
            (lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4,
            "{lo} {hi}"
        );
        // Poisson, 10 events: exact 4.795–18.39; Byar within 1 %.
        let (lo, hi) = poisson(10.0);
        assert!(
            (lo - 4.795).abs() < 0.05 && (hi - 18.39).abs() < 0.1,
            "{lo} {hi}"
        );
        // Zero events: upper 3.689.
        let (lo, hi) = poisson(0.0);
        assert_eq!(lo, 0.0);
        assert!((hi - 3.689).abs() < 0.05, "{hi}");
    }

    #[test]
    fn registers_well_above_the_population_are_flagged() {
        assert!(registers_exceed(1_350.0, Some(1_200.0)));
        assert!(!registers_exceed(1_300.0, Some(1_200.0)));
        assert!(!registers_exceed(1_300.0, None));
        assert!(registers_exceed(1.0, Some(0.0)));
    }

    #[test]
    fn figures_are_written_one_way() {
        assert_eq!(format_figure("bhyt_coverage", 56.99), "57,0");
        assert_eq!(format_figure("crude_birth_rate", 0.45), "0,45");
        assert_eq!(
            format_figure("live_births", 125_474.000_000_000_03),
            "125.474"
        );
        assert_eq!(format_figure("srb", 105.18), "105,2");
    }

    #[test]
    fn differences_take_the_decimals_of_their_figure() {
        assert_eq!(format_difference("bhyt_coverage", 94.04, -0.96), "-1,0");
        assert_eq!(format_difference("bhyt_coverage", 94.04, 0.04), "0,0");
        assert_eq!(format_difference("bhyt_coverage", 90.0, 5.0), "+5,0");
        assert_eq!(format_difference("crude_birth_rate", 0.45, 0.3), "+0,30");
        assert_eq!(format_difference("live_births", 1_200.0, -12.4), "-12");
        assert_eq!(format_difference("population", 2e6, 12_345.0), "+12.345");
    }

    #[test]
    fn counts_are_whole_unless_split() {
        assert!(is_count("live_births") && is_count("population") && !is_count("imr"));
        assert_eq!(exact_count(125_474.000_000_000_03), 125_474.0);
        assert_eq!(exact_count(1_234.333_333_3), 1_234.333);
        assert_eq!(shown_count(1_234.5), 1_235);
    }

    proptest! {
        #[test]
        fn exact_counts_keep_thousandths(n in -1_000_000_000i64..1_000_000_000, dust in -1e-7f64..1e-7) {
            let x = n as f64 / 1000.0;
            prop_assert_eq!(exact_count(x + dust), x);
        }

        #[test]
        fn intervals_hold_the_estimate(k in 0u32..100_000, extra in 0u32..100_000, factor in prop::sample::select(vec![1.0, 100.0, 1000.0])) {
            let (k, n) = (f64::from(k), f64::from(k + extra).max(1.0));
            if k <= n {
                let (lo, hi) = ci95(Proportion, k, n, factor).unwrap();
                let p = k / n * factor;
                prop_assert!(lo <= p + 1e-9 && p <= hi + 1e-9 && lo >= 0.0 && hi <= factor + 1e-9);
            }
            let (lo, hi) = ci95(EventRate, k, n, factor).unwrap();
            let r = k / n * factor;
            prop_assert!(lo <= r + 1e-9 && r <= hi && lo >= 0.0);
        }

        #[test]
        fn judging_never_panics(v in proptest::num::f64::ANY, n in proptest::num::f64::ANY, d in proptest::num::f64::ANY, w in 0u32..200, u in 0u32..200) {
            for code in ["imr", "srb", "life_expectancy", "bhyt_coverage", "births", "doctors_per_10000"] {
                let f = judge(code, Some(v), Some(n), Some(d), Some(Coverage { with_data: w.min(u), units: u }));
                if !(v.is_finite()) { prop_assert!(!f.reliable()); }
            }
        }
    }
}
