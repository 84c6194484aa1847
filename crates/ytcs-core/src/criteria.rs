//! The national commune-health criteria (Bộ tiêu chí quốc gia về y tế xã,
//! QĐ 1300/QĐ-BYT, 2023): ten criteria worth 14, 10, 12, 9, 19, 12, 6, 11,
//! 3 and 4 points (100 in all). A commune passes a year's self-assessment
//! when its total is at least 80, every criterion reaches half of its
//! points, and no "điểm liệt" (critical) item fails; a pass is recognised
//! for three years.
//!
//! The sub-items of each criterion are configuration ([`CriteriaSet`]): the
//! default set scores each criterion as one item of its full points, and a
//! province may load the decision's detailed items instead. The criterion
//! names below follow the decision's headings as far as known here; they
//! are data, not code, and can be corrected without a release.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration};
use serde::{Deserialize, Serialize};

use crate::Date;

/// One scored item of a criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDef {
    /// Stable code, e.g. `2.1`.
    pub code: String,
    /// What is assessed.
    pub name: String,
    /// Its maximum points.
    pub max_points: f64,
    /// A critical item ("điểm liệt"): the commune fails the whole set when
    /// the item scores below this.
    pub critical_min: Option<f64>,
}

/// One of the ten criteria.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionDef {
    /// 1–10.
    pub number: u8,
    /// Vietnamese heading.
    pub name: String,
    /// Its maximum points (the sum of its items' maxima).
    pub max_points: f64,
    /// Its items.
    pub items: Vec<ItemDef>,
}

/// A whole set of criteria and its pass rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriteriaSet {
    /// The decision it implements.
    pub source: String,
    /// The criteria, in order.
    pub criteria: Vec<CriterionDef>,
    /// Minimum total to pass.
    pub pass_total: f64,
    /// Minimum share of each criterion's points to pass.
    pub criterion_min_share: f64,
    /// Years a pass stays recognised.
    pub recognition_years: u32,
}

/// Points of the ten criteria of QĐ 1300/QĐ-BYT.
pub const QD1300_POINTS: [u8; 10] = [14, 10, 12, 9, 19, 12, 6, 11, 3, 4];

impl CriteriaSet {
    /// The set of QĐ 1300/QĐ-BYT (2023), one item per criterion.
    pub fn qd1300() -> Self {
        const NAMES: [&str; 10] = [
            "Chỉ đạo, điều hành công tác chăm sóc sức khỏe nhân dân",
            "Nhân lực y tế",
            "Cơ sở hạ tầng, trang thiết bị, thuốc và vật tư y tế",
            "Kế hoạch, tài chính",
            "Y tế dự phòng, phòng, chống HIV/AIDS, vệ sinh môi trường và an toàn thực phẩm",
            "Khám bệnh, chữa bệnh, phục hồi chức năng và y dược cổ truyền",
            "Chăm sóc sức khỏe bà mẹ, trẻ em",
            "Dân số và phát triển, chăm sóc sức khỏe người cao tuổi",
            "Truyền thông, giáo dục sức khỏe",
            "Ứng dụng công nghệ thông tin",
        ];
        let criteria = QD1300_POINTS
            .iter()
            .zip(NAMES)
            .enumerate()
            .map(|(i, (&p, name))| CriterionDef {
                number: i as u8 + 1,
                name: name.to_string(),
                max_points: f64::from(p),
                items: vec![ItemDef {
                    code: format!("{}", i + 1),
                    name: name.to_string(),
                    max_points: f64::from(p),
                    critical_min: None,
                }],
            })
            .collect();
        CriteriaSet {
            source: "QĐ 1300/QĐ-BYT ngày 09/3/2023".into(),
            criteria,
            pass_total: 80.0,
            criterion_min_share: 0.5,
            recognition_years: 3,
        }
    }

    /// Checks that each criterion's items add up to its points and codes are unique.
    pub fn check(&self) -> Result<(), CriteriaError> {
        let mut seen = std::collections::HashSet::new();
        for c in &self.criteria {
            let sum: f64 = c.items.iter().map(|i| i.max_points).sum();
            if (sum - c.max_points).abs() > 1e-9 {
                return Err(CriteriaError::ItemsDoNotAddUp {
                    criterion: c.number,
                    items: sum,
                    max: c.max_points,
                });
            }
            for i in &c.items {
                if !seen.insert(i.code.clone()) {
                    return Err(CriteriaError::DuplicateItem(i.code.clone()));
                }
            }
        }
        Ok(())
    }

    /// Maximum total points.
    pub fn max_total(&self) -> f64 {
        self.criteria.iter().map(|c| c.max_points).sum()
    }
}

/// A score or configuration the rules refuse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CriteriaError {
    /// A score for an item the set does not have.
    #[error("mục {0} không có trong bộ tiêu chí")]
    UnknownItem(String),
    /// A score above the item's maximum or below zero.
    #[error("mục {code}: {score} điểm nằm ngoài khoảng 0–{max}")]
    OutOfRange {
        /// The item.
        code: String,
        /// The score given.
        score: f64,
        /// Its maximum.
        max: f64,
    },
    /// A criterion whose items do not add up to its points.
    #[error("tiêu chí {criterion}: các mục cộng lại {items} điểm, khác {max} điểm của tiêu chí")]
    ItemsDoNotAddUp {
        /// The criterion.
        criterion: u8,
        /// Sum of its items.
        items: f64,
        /// Its points.
        max: f64,
    },
    /// Two items with one code.
    #[error("mã mục {0} bị trùng")]
    DuplicateItem(String),
}

/// The result of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionResult {
    /// 1–10.
    pub number: u8,
    /// Points scored.
    pub points: f64,
    /// Its maximum.
    pub max_points: f64,
    /// At least the minimum share of its points.
    pub reached_minimum: bool,
}

/// Why a commune did not pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FailReason {
    /// Total under the pass mark.
    TotalTooLow {
        /// Points scored.
        total: f64,
        /// Points needed.
        needed: f64,
    },
    /// A criterion under half its points.
    CriterionTooLow {
        /// The criterion.
        number: u8,
    },
    /// A critical item failed.
    CriticalItemFailed {
        /// The item.
        code: String,
    },
}

/// The result of a self-assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Each criterion.
    pub criteria: Vec<CriterionResult>,
    /// Total points.
    pub total: f64,
    /// Whether the commune passes.
    pub passed: bool,
    /// Why not, if not.
    pub reasons: Vec<FailReason>,
}

/// Scores a self-assessment (item code → points). Items not scored count 0.
pub fn evaluate(
    set: &CriteriaSet,
    scores: &BTreeMap<String, f64>,
) -> Result<Evaluation, CriteriaError> {
    let items: BTreeMap<&str, &ItemDef> = set
        .criteria
        .iter()
        .flat_map(|c| c.items.iter())
        .map(|i| (i.code.as_str(), i))
        .collect();
    for (code, &score) in scores {
        let item = items
            .get(code.as_str())
            .ok_or_else(|| CriteriaError::UnknownItem(code.clone()))?;
        if !(0.0..=item.max_points).contains(&score) || score.is_nan() {
            return Err(CriteriaError::OutOfRange {
                code: code.clone(),
                score,
                max: item.max_points,
            });
        }
    }
    let mut reasons = Vec::new();
    let mut results = Vec::new();
    let mut total = 0.0;
    for c in &set.criteria {
        let points: f64 = c
            .items
            .iter()
            .map(|i| scores.get(&i.code).copied().unwrap_or(0.0))
            .sum();
        let reached = points + 1e-9 >= c.max_points * set.criterion_min_share;
        if !reached {
            reasons.push(FailReason::CriterionTooLow { number: c.number });
        }
        for i in &c.items {
            if let Some(min) = i.critical_min {
                if scores.get(&i.code).copied().unwrap_or(0.0) < min {
                    reasons.push(FailReason::CriticalItemFailed {
                        code: i.code.clone(),
                    });
                }
            }
        }
        total += points;
        results.push(CriterionResult {
            number: c.number,
            points,
            max_points: c.max_points,
            reached_minimum: reached,
        });
    }
    if total + 1e-9 < set.pass_total {
        reasons.insert(
            0,
            FailReason::TotalTooLow {
                total,
                needed: set.pass_total,
            },
        );
    }
    Ok(Evaluation {
        criteria: results,
        total,
        passed: reasons.is_empty(),
        reasons,
    })
}

/// The last day a pass recognised on `recognised` stays valid.
pub fn recognised_until(recognised: Date, years: u32) -> Date {
    let y = recognised.year() + years as i32;
    let same_day = Date::from_ymd_opt(y, recognised.month(), recognised.day())
        .or_else(|| Date::from_ymd_opt(y, recognised.month(), 28))
        .unwrap_or(recognised);
    same_day - Duration::days(1)
}

/// Years a recognition lasts (QĐ 1300/QĐ-BYT).
pub const RECOGNITION_YEARS: u32 = 3;

/// One commune's standing against the criteria in one year, as the
/// indicator `communes_criteria_pct` counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearStanding {
    /// The commune counts in the denominator: it was assessed that year, or
    /// held a recognition at the year's end.
    pub assessed: bool,
    /// It meets the criteria: it passed that year's assessment, or held a
    /// valid recognition at the year's end.
    pub passed: bool,
}

/// What a commune's assessments say, year by year: `(year, passed,
/// recognised_on)` in, the standing of every year from the first
/// assessment to the last year a recognition covers out. Years inside that
/// range with neither an assessment nor a recognition are included as
/// not assessed, so that a derivation overwrites what an earlier version
/// of the assessments implied.
pub fn yearly_standing(assessments: &[(i32, bool, Option<Date>)]) -> BTreeMap<i32, YearStanding> {
    let mut out = BTreeMap::new();
    let Some(first) = assessments.iter().map(|a| a.0).min() else {
        return out;
    };
    let last_assessed = assessments.iter().map(|a| a.0).max().unwrap_or(first);
    let last = last_assessed + RECOGNITION_YEARS as i32;
    for year in first..=last {
        let Some(end) = Date::from_ymd_opt(year, 12, 31) else {
            continue;
        };
        let recognised = assessments.iter().any(|(_, passed, on)| {
            *passed && on.is_some_and(|d| d <= end && recognised_until(d, RECOGNITION_YEARS) >= end)
        });
        let this_year = assessments.iter().find(|a| a.0 == year);
        out.insert(
            year,
            YearStanding {
                assessed: this_year.is_some() || recognised,
                passed: recognised || this_year.is_some_and(|a| a.1),
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_recognition_counts_for_three_years_and_a_failure_for_its_year_only() {
        let d = |s: &str| s.parse::<crate::Date>().unwrap();
        let st =
            super::yearly_standing(&[(2023, true, Some(d("2023-11-15"))), (2027, false, None)]);
        let row = |y: i32| st.get(&y).map(|s| (s.assessed, s.passed));
        assert_eq!(row(2023), Some((true, true)));
        assert_eq!(row(2024), Some((true, true)));
        assert_eq!(row(2025), Some((true, true)));
        // Valid until 14/11/2026: not at the end of 2026.
        assert_eq!(row(2026), Some((false, false)));
        assert_eq!(row(2027), Some((true, false)));
        assert_eq!(row(2030), Some((false, false)));
        assert_eq!(row(2031), None);
        // A pass not (yet) recognised counts for its own year.
        let st = super::yearly_standing(&[(2025, true, None)]);
        assert_eq!(
            st[&2025],
            super::YearStanding {
                assessed: true,
                passed: true
            }
        );
        assert_eq!(
            st[&2026],
            super::YearStanding {
                assessed: false,
                passed: false
            }
        );
        assert!(super::yearly_standing(&[]).is_empty());
    }

    use super::*;
    use proptest::prelude::*;

    fn scores(points: [f64; 10]) -> BTreeMap<String, f64> {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{}", i + 1), *p))
            .collect()
    }

    #[test]
    fn the_ten_criteria_are_worth_100_points() {
        let set = CriteriaSet::qd1300();
        assert_eq!(set.criteria.len(), 10);
        assert_eq!(set.max_total(), 100.0);
        set.check().unwrap();
    }

    #[test]
    fn eighty_points_with_every_criterion_at_half_passes() {
        let set = CriteriaSet::qd1300();
        let e = evaluate(
            &set,
            &scores([12.0, 8.0, 10.0, 7.0, 16.0, 10.0, 5.0, 9.0, 1.5, 2.0]),
        )
        .unwrap();
        assert_eq!(e.total, 80.5);
        assert!(e.passed, "{:?}", e.reasons);
    }

    #[test]
    fn a_criterion_under_half_fails_even_with_a_high_total() {
        let set = CriteriaSet::qd1300();
        let e = evaluate(
            &set,
            &scores([14.0, 10.0, 12.0, 9.0, 19.0, 12.0, 6.0, 11.0, 1.0, 4.0]),
        )
        .unwrap();
        assert_eq!(e.total, 98.0);
        assert!(!e.passed);
        assert_eq!(e.reasons, [FailReason::CriterionTooLow { number: 9 }]);
    }

    #[test]
    fn a_critical_item_fails_the_set() {
        let mut set = CriteriaSet::qd1300();
        set.criteria[1].items[0].critical_min = Some(5.0);
        let e = evaluate(
            &set,
            &scores([14.0, 4.0, 12.0, 9.0, 19.0, 12.0, 6.0, 11.0, 3.0, 4.0]),
        )
        .unwrap();
        assert!(!e.passed);
        assert!(e
            .reasons
            .contains(&FailReason::CriticalItemFailed { code: "2".into() }));
    }

    #[test]
    fn scores_beyond_an_items_points_are_refused() {
        let set = CriteriaSet::qd1300();
        let mut s = scores([0.0; 10]);
        s.insert("3".into(), 12.5);
        assert_eq!(
            evaluate(&set, &s).unwrap_err(),
            CriteriaError::OutOfRange {
                code: "3".into(),
                score: 12.5,
                max: 12.0
            }
        );
        let mut s = scores([0.0; 10]);
        s.insert("11".into(), 1.0);
        assert!(matches!(
            evaluate(&set, &s),
            Err(CriteriaError::UnknownItem(_))
        ));
    }

    #[test]
    fn recognition_lasts_three_years() {
        assert_eq!(
            recognised_until("2024-12-20".parse().unwrap(), 3).to_string(),
            "2027-12-19"
        );
        assert_eq!(
            recognised_until("2024-02-29".parse().unwrap(), 3).to_string(),
            "2027-02-27"
        );
    }

    proptest! {
        #[test]
        fn passing_means_the_rule_holds(points in proptest::array::uniform10(0u8..=19)) {
            let set = CriteriaSet::qd1300();
            let p: Vec<f64> = points.iter().zip(QD1300_POINTS).map(|(&x, max)| f64::from(x.min(max))).collect();
            let s = scores(p.clone().try_into().unwrap());
            let e = evaluate(&set, &s).unwrap();
            let total: f64 = p.iter().sum();
            let each = p.iter().zip(QD1300_POINTS).all(|(x, max)| *x >= f64::from(max) / 2.0);
            prop_assert_eq!(e.passed, total >= 80.0 && each);
            prop_assert!((e.total - total).abs() < 1e-9);
        }
    }
}
