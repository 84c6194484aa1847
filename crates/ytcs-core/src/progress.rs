//! Progress of a plan target: actual against target, gap, projection to the
//! due year from the trend, and a status.
//!
//! **The rule** ([`assess`]):
//!
//! 1. The *threshold* T: the target's value; for `maintain` without a
//!    value, the baseline; for `reduce_by p` the baseline × (1 − p/100), for
//!    `increase_by p` the baseline × (1 + p/100). The baseline is the
//!    earliest observed year. No threshold → **no data**.
//! 2. *Met* respects the comparator: `gt` a > T, `ge` a ≥ T, `lt` a < T,
//!    `le` a ≤ T; `maintain` and `increase_by` a ≥ T; `reduce_by` a ≤ T.
//!    `eq` and `about` read the indicator's direction: higher is better →
//!    a ≥ T (`about`: within the tolerance below), lower is better → a ≤ T
//!    (`about`: within the tolerance above), otherwise |a − T| ≤ tolerance.
//!    The tolerance is 2 % of |T|. A "lower is better" target is met from
//!    below.
//! 3. For a period shorter than a year, T of a *flow* indicator (events
//!    counted over time per population, a count) is pro-rated by the share
//!    of the year the period covers; rates of events over events are not.
//! 4. Status: no actual → **no data**; met → **achieved**; the actual is
//!    of the due year (or later) and not met → **missed** ("Không đạt"); otherwise the
//!    least-squares line through the yearly values, read at the due year:
//!    met → **on track**; the projection (or, with fewer than two years, the
//!    actual) short of T by at most 10 % of |T| → **at risk**; else **off
//!    track**.
//!
//! **A target's actual is of a year that is over** ([`actual_year`]).
//! Before the due year ends the actual is the latest year over with data;
//! once it has ended, the due year's value or none ("Chưa có số liệu"),
//! and the status is "Đạt" or "Không đạt" ([`Status::Missed`]) — never
//! "Chậm tiến độ".

use serde::Serialize;

use crate::indicator::Direction;
use crate::plan::Comparator;

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Met now.
    Achieved,
    /// Not met now; the trend meets it by the due year.
    OnTrack,
    /// Not met, close.
    AtRisk,
    /// Not met, far from it, before the due year's end.
    OffTrack,
    /// The due year is over and the target was not met.
    Missed,
    /// No data to judge.
    NoData,
}

impl Status {
    /// Every status, best first, no data last (the order of counts).
    pub const ALL: [Status; 6] = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Missed,
        Status::NoData,
    ];

    /// Stable name (`on_track`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Missed => "missed",
            Status::NoData => "no_data",
        }
    }

    /// Vietnamese label.
    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Achieved => "Đạt",
            Status::OnTrack => "Đúng tiến độ",
            Status::AtRisk => "Có nguy cơ",
            Status::OffTrack => "Chậm tiến độ",
            Status::Missed => "Không đạt",
            Status::NoData => "Chưa có số liệu",
        }
    }

    /// English label.
    pub fn name_en(self) -> &'static str {
        match self {
            Status::Achieved => "Achieved",
            Status::OnTrack => "On track",
            Status::AtRisk => "At risk",
            Status::OffTrack => "Off track",
            Status::Missed => "Not achieved",
            Status::NoData => "No data",
        }
    }
}

/// What a target asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetSpec {
    /// Comparator of the plan.
    pub comparator: Comparator,
    /// The value (`None` only for `maintain` without a number).
    pub value: Option<f64>,
    /// Due year.
    pub due_year: i32,
    /// The indicator's direction.
    pub direction: Direction,
    /// Whether the indicator is a flow to pro-rate (rule 3).
    pub flow: bool,
}

/// The assessment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    /// The latest value.
    pub actual: Option<f64>,
    /// The threshold after baselines and pro-rating.
    pub threshold: Option<f64>,
    /// actual − threshold.
    pub gap: Option<f64>,
    /// The trend read at the due year.
    pub projection: Option<f64>,
    /// The status.
    pub status: Status,
}

/// Tolerance of `eq`/`about` and the "close" band of `at risk`.
const TOLERANCE: f64 = 0.02;
const AT_RISK: f64 = 0.10;

/// The least-squares line through `(x, y)` points read at `x0`; `None`
/// with fewer than two distinct x.
pub fn project(points: &[(f64, f64)], x0: f64) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let v = my + sxy / sxx * (x0 - mx);
    v.is_finite().then_some(v)
}

/// Whether `a` meets threshold `t` under the comparator and direction.
pub fn meets(c: Comparator, dir: Direction, a: f64, t: f64) -> bool {
    let tol = TOLERANCE * t.abs();
    match c {
        Comparator::Gt => a > t,
        Comparator::Ge | Comparator::Maintain | Comparator::IncreaseBy => a >= t,
        Comparator::Lt => a < t,
        Comparator::Le | Comparator::ReduceBy => a <= t,
        Comparator::Eq | Comparator::About => {
            let tol = if c == Comparator::About { tol } else { 0.0 };
            match dir {
                Direction::Higher => a >= t - tol,
                Direction::Lower => a <= t + tol,
                _ => (a - t).abs() <= tol.max(TOLERANCE * t.abs()),
            }
        }
    }
}

/// Which way improvement goes for this comparator: `+1` higher, `-1` lower,
/// `0` towards the threshold.
fn sense(c: Comparator, dir: Direction) -> i8 {
    match c {
        Comparator::Gt | Comparator::Ge | Comparator::Maintain | Comparator::IncreaseBy => 1,
        Comparator::Lt | Comparator::Le | Comparator::ReduceBy => -1,
        Comparator::Eq | Comparator::About => match dir {
            Direction::Higher => 1,
            Direction::Lower => -1,
            _ => 0,
        },
    }
}

/// The year whose value is a target's actual, as of `as_of` — the one
/// rule every page, report, export and the CLI follow:
///
/// - a year counts only once it is over (its 31 December is on or before
///   `as_of`): a running year's stocks and flows are not yet the year's;
/// - once the due year is over, the actual is the due year's value (none
///   → no data: the target is judged on its year, never on an earlier one);
/// - before that, it is the latest year over with data, up to the due year.
///
/// `with_data` are the years that have a value.
pub fn actual_year(due_year: i32, as_of: crate::Date, with_data: &[i32]) -> Option<i32> {
    use chrono::Datelike;
    let over = |y: i32| {
        y < as_of.year() || (as_of.month() == 12 && as_of.day() == 31 && y == as_of.year())
    };
    if over(due_year) {
        return with_data.contains(&due_year).then_some(due_year);
    }
    with_data
        .iter()
        .copied()
        .filter(|y| *y <= due_year && over(*y))
        .max()
}

/// Assesses a target (see the module's rule). `yearly` are the indicator's
/// values by year (ascending or not), `current` the latest value with the
/// share of a year its period covers (1 for a year) and its calendar year.
pub fn assess(
    spec: &TargetSpec,
    yearly: &[(i32, f64)],
    current: Option<(f64, f64, i32)>,
) -> Progress {
    let baseline = yearly.iter().min_by_key(|(y, _)| *y).map(|(_, v)| *v);
    let threshold = match (spec.comparator, spec.value) {
        (Comparator::ReduceBy, Some(p)) => baseline.map(|b| b * (1.0 - p / 100.0)),
        (Comparator::IncreaseBy, Some(p)) => baseline.map(|b| b * (1.0 + p / 100.0)),
        (Comparator::Maintain, None) => baseline,
        (_, v) => v,
    };
    let projection = project(
        &yearly
            .iter()
            .map(|(y, v)| (f64::from(*y), *v))
            .collect::<Vec<_>>(),
        f64::from(spec.due_year),
    );
    let Some((actual, share, year)) = current else {
        return Progress {
            actual: None,
            threshold,
            gap: None,
            projection,
            status: Status::NoData,
        };
    };
    let Some(t) = threshold else {
        return Progress {
            actual: Some(actual),
            threshold: None,
            gap: None,
            projection,
            status: Status::NoData,
        };
    };
    let t = if spec.flow && share < 1.0 {
        t * share
    } else {
        t
    };
    let gap = actual - t;
    let status = if meets(spec.comparator, spec.direction, actual, t) {
        Status::Achieved
    } else if year >= spec.due_year {
        Status::Missed
    } else {
        let proj_t = threshold.unwrap_or(t);
        match projection {
            Some(p) if meets(spec.comparator, spec.direction, p, proj_t) => Status::OnTrack,
            _ => {
                let reference = if share < 1.0 {
                    actual / share.max(1e-9)
                } else {
                    actual
                };
                let probe = if spec.flow { reference } else { actual };
                let probe = projection.unwrap_or(probe);
                let short = match sense(spec.comparator, spec.direction) {
                    1 => proj_t - probe,
                    -1 => probe - proj_t,
                    _ => (probe - proj_t).abs(),
                };
                if short <= AT_RISK * proj_t.abs() {
                    Status::AtRisk
                } else {
                    Status::OffTrack
                }
            }
        }
    };
    Progress {
        actual: Some(actual),
        threshold: Some(t),
        gap: Some(gap),
        projection,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spec(c: Comparator, v: f64, dir: Direction) -> TargetSpec {
        TargetSpec {
            comparator: c,
            value: Some(v),
            due_year: 2030,
            direction: dir,
            flow: false,
        }
    }

    #[test]
    fn lower_is_better_is_met_from_below() {
        let s = spec(Comparator::Lt, 9.98, Direction::Lower);
        assert_eq!(
            assess(&s, &[(2024, 9.0)], Some((9.0, 1.0, 2024))).status,
            Status::Achieved
        );
        let p = assess(
            &s,
            &[(2022, 14.0), (2023, 12.5), (2024, 11.0)],
            Some((11.0, 1.0, 2024)),
        );
        assert_eq!(p.status, Status::OnTrack, "{p:?}");
        assert!((p.projection.unwrap() - 2.0).abs() < 1e-9);
        let p = assess(
            &s,
            &[(2022, 10.0), (2023, 11.0), (2024, 12.0)],
            Some((12.0, 1.0, 2024)),
        );
        assert_eq!(p.status, Status::OffTrack);
    }

    #[test]
    fn due_and_missed_is_missed_and_close_is_at_risk() {
        let s = TargetSpec {
            due_year: 2024,
            ..spec(Comparator::Gt, 96.5, Direction::Higher)
        };
        assert_eq!(
            assess(&s, &[(2024, 95.0)], Some((95.0, 1.0, 2024))).status,
            Status::Missed
        );
        let s = spec(Comparator::Gt, 96.5, Direction::Higher);
        assert_eq!(
            assess(&s, &[(2024, 92.0)], Some((92.0, 1.0, 2024))).status,
            Status::AtRisk
        );
        assert_eq!(
            assess(&s, &[(2024, 50.0)], Some((50.0, 1.0, 2024))).status,
            Status::OffTrack
        );
        assert_eq!(assess(&s, &[], None).status, Status::NoData);
    }

    #[test]
    fn relative_targets_use_the_baseline() {
        let s = spec(Comparator::ReduceBy, 10.0, Direction::Lower);
        let p = assess(&s, &[(2020, 20.0), (2024, 17.0)], Some((17.0, 1.0, 2024)));
        assert_eq!(p.threshold, Some(18.0));
        assert_eq!(p.status, Status::Achieved);
        let s = TargetSpec {
            value: None,
            ..spec(Comparator::Maintain, 0.0, Direction::Higher)
        };
        let p = assess(&s, &[(2020, 100.0), (2024, 98.0)], Some((98.0, 1.0, 2024)));
        assert_eq!(p.threshold, Some(100.0));
        assert_ne!(p.status, Status::Achieved);
    }

    #[test]
    fn flow_targets_are_pro_rated_for_a_quarter() {
        let s = TargetSpec {
            flow: true,
            ..spec(Comparator::Lt, 8.0, Direction::Lower)
        };
        // 2.5 cases per 100,000 in one quarter against 8 a year: 2 for a quarter.
        let p = assess(&s, &[], Some((2.5, 0.25, 2024)));
        assert_eq!(p.threshold, Some(2.0));
        assert_ne!(p.status, Status::Achieved);
        assert_eq!(
            assess(&s, &[], Some((1.5, 0.25, 2024))).status,
            Status::Achieved
        );
    }

    fn rank(s: Status) -> u8 {
        match s {
            Status::Achieved => 0,
            Status::OnTrack => 1,
            Status::AtRisk => 2,
            Status::OffTrack => 3,
            Status::Missed => 4,
            Status::NoData => 5,
        }
    }

    #[test]
    fn the_actual_is_of_a_year_that_is_over_and_of_the_due_year_once_it_is() {
        let d = |s: &str| s.parse::<crate::Date>().unwrap();
        let years = [2023, 2024, 2025, 2026];
        // December 2026, due 2025: the due year's value, never 2026's.
        assert_eq!(actual_year(2025, d("2026-12-06"), &years), Some(2025));
        // Due 2025 but no 2025 value: no data, not 2024.
        assert_eq!(actual_year(2025, d("2026-12-06"), &[2024, 2026]), None);
        // Due 2030, in 2026: the latest year over (2025), not the running one.
        assert_eq!(actual_year(2030, d("2026-12-06"), &years), Some(2025));
        // On 31 December the year is over.
        assert_eq!(actual_year(2030, d("2026-12-31"), &years), Some(2026));
        // Due 2024 in 2026: 2024, even with later values.
        assert_eq!(actual_year(2024, d("2026-01-01"), &years), Some(2024));
        assert_eq!(actual_year(2030, d("2023-06-01"), &years), None);
    }

    proptest! {
        #[test]
        fn improving_the_actual_never_worsens_the_status(
            t in 1.0f64..200.0, a in 0.0f64..300.0, d in 0.0f64..50.0, lower in any::<bool>(),
            c in prop_oneof![Just(Comparator::Gt), Just(Comparator::Ge), Just(Comparator::Lt),
                             Just(Comparator::Le), Just(Comparator::Eq), Just(Comparator::About)],
        ) {
            let dir = if lower { Direction::Lower } else { Direction::Higher };
            let c = match (c, lower) {
                (Comparator::Gt | Comparator::Ge, true) => Comparator::Le,
                (Comparator::Lt | Comparator::Le, false) => Comparator::Ge,
                (c, _) => c,
            };
            let s = spec(c, t, dir);
            let better = if lower { a - d } else { a + d };
            let p1 = assess(&s, &[(2024, a)], Some((a, 1.0, 2024)));
            let p2 = assess(&s, &[(2024, better)], Some((better, 1.0, 2024)));
            prop_assert!(rank(p2.status) <= rank(p1.status), "{:?} then {:?}", p1, p2);
        }

        #[test]
        fn a_lower_target_is_achieved_by_any_value_below(t in 0.1f64..1000.0, f in 0.0f64..0.999) {
            let s = spec(Comparator::Lt, t, Direction::Lower);
            prop_assert_eq!(assess(&s, &[], Some((t * f, 1.0, 2024))).status, Status::Achieved);
            let s = spec(Comparator::Le, t, Direction::Lower);
            prop_assert_eq!(assess(&s, &[], Some((t, 1.0, 2024))).status, Status::Achieved);
        }

        #[test]
        fn projection_of_a_line_is_exact(a in -100.0f64..100.0, b in -10.0f64..10.0) {
            let pts: Vec<(f64, f64)> = (2020..2025).map(|y| (f64::from(y), a + b * f64::from(y - 2020))).collect();
            let p = project(&pts, 2030.0).unwrap();
            prop_assert!((p - (a + b * 10.0)).abs() < 1e-6);
        }
    }
}
