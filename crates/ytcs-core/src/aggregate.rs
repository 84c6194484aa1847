//! Aggregate data: data elements with disaggregation, data sets with a
//! period type, data values, the exact fixed-point arithmetic they are
//! summed in, and the rule that says which aggregates a value feeds.
//!
//! **Exactness.** Values are [`Fixed`]: an `i64` count of thousandths. A
//! value with more than three decimals is refused, so every sum is an
//! integer sum and the totals kept current on each write equal a fold of
//! the raw values *exactly*, whatever the order of writes.
//!
//! **Which periods a value enters** ([`rollup_periods`]): a value of
//! element E, disaggregation K, recorded under unit U for period P enters
//! the total (E, K, U) of P and of every period of [`ROLLUP_PERIODS`]
//! coarser than P that encloses it (a month its quarter and year). These
//! unit totals are the input of the lineage-aware roll-up of
//! [`crate::rollup`], which sums units into their ancestors *as they stood
//! on the day asked for*; the element's total over its disaggregations is
//! the evaluator's sum, not stored.
//!
//! Aggregation is a sum. Stocks (insured persons on the last day) are
//! collected in yearly data sets, so they are never summed across periods.
//!
//! Also here: the cap on an element's disaggregation combinations
//! ([`MAX_COMBINATIONS`]), [`ValidationRule`]s, [`outlier`] flags, and the
//! standard catalogue every database knows ([`standard_elements`],
//! [`standard_data_sets`]: the commune's monthly flows and annual stocks).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::expr::Expr;
use crate::org::UnitId;
use crate::period::{Period, PeriodType};

/// Problems with definitions or values of aggregate data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AggregateError {
    /// A code is not lower-case ASCII letters, digits and `_`.
    #[error("'{0}' is not a valid code: use a-z, 0-9 and _ (at most 64)")]
    BadCode(String),
    /// The categories multiply into too many disaggregations.
    #[error("element {element}: {count} disaggregation combinations exceed the cap of {cap}")]
    TooManyCombinations {
        /// The element.
        element: String,
        /// How many there would be.
        count: usize,
        /// The cap.
        cap: usize,
    },
    /// A value is not a number of the element's type.
    #[error("element {element}: '{value}' is not {expected}")]
    WrongType {
        /// The element.
        element: String,
        /// The value as given.
        value: String,
        /// What the element takes.
        expected: &'static str,
    },
    /// The disaggregation is not one of the element's.
    #[error("element {element}: unknown disaggregation '{disagg}' (expected one of: {known})")]
    UnknownDisaggregation {
        /// The element.
        element: String,
        /// As given.
        disagg: String,
        /// The valid keys, abbreviated.
        known: String,
    },
    /// The period is not of the data set's type.
    #[error("period {period} does not fit data set {data_set}, which is collected per {expected}")]
    PeriodDoesNotFit {
        /// The period.
        period: Period,
        /// The data set.
        data_set: String,
        /// Its period type.
        expected: &'static str,
    },
    /// A formula does not parse.
    #[error("formula {formula:?}: {error}")]
    Formula {
        /// The text.
        formula: String,
        /// The parse error with its position.
        error: crate::expr::ParseError,
    },
}

/// The most disaggregation combinations one element may have.
pub const MAX_COMBINATIONS: usize = 256;

fn check_code(code: &str) -> Result<(), AggregateError> {
    let ok = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(AggregateError::BadCode(code.to_string()))
    }
}

/// An exact value: thousandths in an `i64`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fixed(pub i64);

impl Fixed {
    /// Thousandths per unit.
    pub const SCALE: i64 = 1000;

    /// From a whole number.
    pub fn from_int(v: i64) -> Option<Fixed> {
        v.checked_mul(Self::SCALE).map(Fixed)
    }

    /// Reads a machine-format number (`-12`, `1234.5`, `0.125`; at most
    /// three decimals; no grouping), as CSV and ADX carry them.
    pub fn parse_plain(s: &str) -> Option<Fixed> {
        let s = s.trim();
        let (neg, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty()
            || int.len() > 15
            || frac.len() > 3
            || (digits.contains('.') && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let mut v: i64 = int.parse().ok()?;
        v = v.checked_mul(Self::SCALE)?;
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().ok()?
        };
        for _ in frac.len()..3 {
            f *= 10;
        }
        let v = v.checked_add(f)?;
        Some(Fixed(if neg { -v } else { v }))
    }

    /// Reads a number written the Vietnamese way (`1.234,5`), as the data
    /// entry form shows them; at most three decimals.
    pub fn parse_vietnamese(s: &str) -> Option<Fixed> {
        let s = s.trim();
        let (neg, rest) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let d = crate::plan::vn::parse_decimal(rest)?;
        if d.scale > 3 {
            return None;
        }
        let v = i64::try_from(d.mantissa).ok()?;
        let v = v.checked_mul(10i64.pow(3 - d.scale))?;
        Some(Fixed(if neg { -v } else { v }))
    }

    /// The value as a float (for display and formulas).
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / Self::SCALE as f64
    }

    /// Whether it is a whole number.
    pub fn is_whole(self) -> bool {
        self.0 % Self::SCALE == 0
    }
}

impl fmt::Display for Fixed {
    /// Machine format, as [`Fixed::parse_plain`] reads it back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (i, r) = (a / 1000, a % 1000);
        if r == 0 {
            write!(f, "{sign}{i}")
        } else {
            let frac = format!("{r:03}");
            write!(f, "{sign}{i}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// What values an element takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// A count: a whole number ≥ 0.
    Count,
    /// Any number with at most three decimals.
    Number,
    /// A percentage, 0–100.
    Percentage,
}

impl ValueType {
    /// Words for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ValueType::Count => "a whole number ≥ 0",
            ValueType::Number => "a number with at most three decimals",
            ValueType::Percentage => "a percentage between 0 and 100",
        }
    }

    /// Whether `v` is of this type.
    pub fn admits(self, v: Fixed) -> bool {
        match self {
            ValueType::Count => v.0 >= 0 && v.is_whole(),
            ValueType::Number => true,
            ValueType::Percentage => (0..=100 * Fixed::SCALE).contains(&v.0),
        }
    }
}

/// One option of a category (`m` of sex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    /// Code used in disaggregation keys and formulas.
    pub code: String,
    /// Vietnamese label.
    pub name_vi: String,
    /// English label.
    pub name_en: String,
}

/// A way to split a value (sex, age group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Code (`sex`).
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Its options.
    pub options: Vec<CategoryOption>,
}

/// A data element: what is counted, its type and how it is split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataElement {
    /// Stable code (`live_births`).
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Values it takes.
    pub value_type: ValueType,
    /// The category combination (empty: not split).
    pub categories: Vec<Category>,
}

impl DataElement {
    /// A checked element: valid code, at most [`MAX_COMBINATIONS`]
    /// disaggregations.
    pub fn new(
        code: &str,
        name_vi: &str,
        name_en: &str,
        value_type: ValueType,
        categories: Vec<Category>,
    ) -> Result<DataElement, AggregateError> {
        check_code(code)?;
        let mut count: usize = 1;
        for c in &categories {
            count = count.saturating_mul(c.options.len().max(1));
        }
        if count > MAX_COMBINATIONS {
            return Err(AggregateError::TooManyCombinations {
                element: code.to_string(),
                count,
                cap: MAX_COMBINATIONS,
            });
        }
        Ok(DataElement {
            code: code.to_string(),
            name_vi: name_vi.to_string(),
            name_en: name_en.to_string(),
            value_type,
            categories,
        })
    }

    /// Every disaggregation key: options joined by `.` in category order
    /// (`m.0`); `""` for an element that is not split.
    pub fn disaggregations(&self) -> Vec<String> {
        let mut keys = vec![String::new()];
        for c in &self.categories {
            let mut next = Vec::with_capacity(keys.len() * c.options.len());
            for k in &keys {
                for o in &c.options {
                    next.push(if k.is_empty() {
                        o.code.clone()
                    } else {
                        format!("{k}.{}", o.code)
                    });
                }
            }
            keys = next;
        }
        keys
    }

    /// Checks a disaggregation key.
    pub fn check_disaggregation(&self, key: &str) -> Result<(), AggregateError> {
        let parts: Vec<&str> = if key.is_empty() {
            Vec::new()
        } else {
            key.split('.').collect()
        };
        let ok = parts.len() == self.categories.len()
            && parts
                .iter()
                .zip(&self.categories)
                .all(|(p, c)| c.options.iter().any(|o| o.code == *p));
        if ok {
            return Ok(());
        }
        let mut known = self.disaggregations();
        let more = known.len() > 6;
        known.truncate(6);
        let mut known = known
            .iter()
            .map(|k| {
                if k.is_empty() {
                    "(none)".to_string()
                } else {
                    k.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        if more {
            known.push_str(", …");
        }
        Err(AggregateError::UnknownDisaggregation {
            element: self.code.clone(),
            disagg: key.to_string(),
            known,
        })
    }

    /// Checks a value against the element's type.
    pub fn check_value(&self, v: Fixed) -> Result<(), AggregateError> {
        if self.value_type.admits(v) {
            Ok(())
        } else {
            Err(AggregateError::WrongType {
                element: self.code.clone(),
                value: v.to_string(),
                expected: self.value_type.describe(),
            })
        }
    }

    /// Reads and checks a machine-format value for this element.
    pub fn parse_value(&self, text: &str) -> Result<Fixed, AggregateError> {
        let wrong = || AggregateError::WrongType {
            element: self.code.clone(),
            value: text.to_string(),
            expected: self.value_type.describe(),
        };
        let v = Fixed::parse_plain(text).ok_or_else(wrong)?;
        self.check_value(v).map_err(|_| wrong())?;
        Ok(v)
    }
}

/// A form: elements collected together for one period type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataSet {
    /// Code (`commune_monthly`).
    pub code: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// The period type values are collected for.
    pub period_type: PeriodType,
    /// Its elements' codes, in form order.
    pub elements: Vec<String>,
}

impl DataSet {
    /// Checks that a period is of the set's type.
    pub fn check_period(&self, p: Period) -> Result<(), AggregateError> {
        if p.period_type() == self.period_type {
            Ok(())
        } else {
            Err(AggregateError::PeriodDoesNotFit {
                period: p,
                data_set: self.code.clone(),
                expected: period_type_name(self.period_type),
            })
        }
    }
}

/// `month`, `year` … for messages.
pub fn period_type_name(t: PeriodType) -> &'static str {
    match t {
        PeriodType::Day => "day",
        PeriodType::Month => "month",
        PeriodType::Quarter => "quarter",
        PeriodType::HalfYear => "half-year",
        PeriodType::Year => "year",
    }
}

/// One data value as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataValue {
    /// Element code.
    pub element: String,
    /// The unit it was recorded under (a unit of its time).
    pub unit: UnitId,
    /// The period.
    pub period: Period,
    /// Disaggregation key (`""` when not split).
    pub disagg: String,
    /// The value.
    pub value: Fixed,
}

/// Coarser periods every value is also summed into.
pub const ROLLUP_PERIODS: [PeriodType; 3] =
    [PeriodType::Month, PeriodType::Quarter, PeriodType::Year];

/// The periods a value of `p` is summed into: itself and each coarser
/// period of [`ROLLUP_PERIODS`] enclosing it.
pub fn rollup_periods(p: Period) -> Vec<Period> {
    let mut out = vec![p];
    for t in ROLLUP_PERIODS {
        if t > p.period_type() {
            out.push(p.enclosing(t));
        }
    }
    out
}

/// How two sides of a validation rule compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOperator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl RuleOperator {
    /// The symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            RuleOperator::Eq => "==",
            RuleOperator::Ne => "!=",
            RuleOperator::Lt => "<",
            RuleOperator::Le => "<=",
            RuleOperator::Gt => ">",
            RuleOperator::Ge => ">=",
        }
    }
}

/// A validation rule: left side, operator, right side
/// (`#{live_births.m} + #{live_births.f} == #{live_births}` is implied;
/// `#{newborns_screened} <= #{live_births}` is a rule).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationRule {
    /// Code.
    pub code: String,
    /// What it checks, in Vietnamese.
    pub name_vi: String,
    /// Left side.
    pub left: Expr,
    /// Operator.
    pub op: RuleOperator,
    /// Right side.
    pub right: Expr,
}

/// The outcome of a validation rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleResult {
    /// Rule code.
    pub code: String,
    /// Left value (`None`: no data).
    pub left: Option<f64>,
    /// Right value.
    pub right: Option<f64>,
    /// Passed (`None` when a side has no data).
    pub passed: Option<bool>,
}

impl ValidationRule {
    /// A rule from texts; the error names the formula and position.
    pub fn new(
        code: &str,
        name_vi: &str,
        left: &str,
        op: RuleOperator,
        right: &str,
    ) -> Result<Self, AggregateError> {
        let parse = |f: &str| {
            Expr::parse(f).map_err(|error| AggregateError::Formula {
                formula: f.to_string(),
                error,
            })
        };
        Ok(ValidationRule {
            code: code.to_string(),
            name_vi: name_vi.to_string(),
            left: parse(left)?,
            op,
            right: parse(right)?,
        })
    }

    /// Checks the rule with `lookup` giving element totals.
    pub fn check(
        &self,
        lookup: &mut dyn FnMut(&crate::expr::ElementRef) -> Option<f64>,
    ) -> RuleResult {
        let left = self.left.eval(lookup);
        let right = self.right.eval(lookup);
        let passed = match (left, right) {
            (Some(l), Some(r)) => Some(match self.op {
                RuleOperator::Eq => (l - r).abs() < 1e-9,
                RuleOperator::Ne => (l - r).abs() >= 1e-9,
                RuleOperator::Lt => l < r,
                RuleOperator::Le => l <= r + 1e-9,
                RuleOperator::Gt => l > r,
                RuleOperator::Ge => l + 1e-9 >= r,
            }),
            _ => None,
        };
        RuleResult {
            code: self.code.clone(),
            left,
            right,
            passed,
        }
    }
}

/// Values this close to their history's median are never unusual:
/// small counts (0 births one month, 1 the next) vary by chance, and a
/// flag on them teaches people to ignore flags.
pub const OUTLIER_MIN_DIFFERENCE: f64 = 5.0;

/// Flags a value far from its history: modified z-score
/// `0.6745·|x − median| / MAD` above 3.5 (Iglewicz–Hoaglin), with at least
/// four past values; when the MAD is 0, any value more than 50 % away from
/// the median is flagged (score 99). A value within
/// [`OUTLIER_MIN_DIFFERENCE`] of the median is never flagged. Returns the
/// score when flagged.
pub fn outlier(value: f64, history: &[f64]) -> Option<f64> {
    if history.len() < 4 {
        return None;
    }
    let med = median(history);
    if (value - med).abs() < OUTLIER_MIN_DIFFERENCE {
        return None;
    }
    let dev: Vec<f64> = history.iter().map(|h| (h - med).abs()).collect();
    let mad = median(&dev);
    if mad == 0.0 {
        let far = (value - med).abs() > 0.5 * med.abs().max(1.0);
        return far.then_some(99.0);
    }
    let z = 0.6745 * (value - med).abs() / mad;
    (z > 3.5).then_some(z)
}

fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return 0.0;
    }
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn option(code: &str, vi: &str, en: &str) -> CategoryOption {
    CategoryOption {
        code: code.into(),
        name_vi: vi.into(),
        name_en: en.into(),
    }
}

/// The category `sex`: `m`, `f`.
pub fn sex_category() -> Category {
    Category {
        code: "sex".into(),
        name_vi: "Giới tính".into(),
        name_en: "Sex".into(),
        options: vec![option("m", "Nam", "Male"), option("f", "Nữ", "Female")],
    }
}

/// The category `age`: the abridged life-table groups `0`, `1-4`, … `80+`.
pub fn age_category() -> Category {
    Category {
        code: "age".into(),
        name_vi: "Nhóm tuổi".into(),
        name_en: "Age group".into(),
        options: crate::lifetable::AGE_GROUPS
            .iter()
            .map(|(c, _, _)| option(c, &format!("{c} tuổi"), &format!("age {c}")))
            .collect(),
    }
}

/// The standard data elements every ytcs database knows (the inputs of the
/// contract indicators that aggregate data answers).
pub fn standard_elements() -> Vec<DataElement> {
    use ValueType::*;
    let s = || vec![sex_category()];
    let sa = || vec![sex_category(), age_category()];
    let defs: Vec<(&str, &str, &str, ValueType, Vec<Category>)> = vec![
        ("live_births", "Số trẻ đẻ sống", "Live births", Count, s()),
        ("deaths", "Số người chết", "Deaths", Count, sa()),
        (
            "children_age1",
            "Số trẻ tròn 1 tuổi",
            "Children reaching age 1",
            Count,
            vec![],
        ),
        (
            "children_age1_fully_immunized",
            "Số trẻ dưới 1 tuổi được tiêm chủng đầy đủ",
            "Children fully immunized before age 1",
            Count,
            vec![],
        ),
        (
            "children_u5_measured",
            "Số trẻ dưới 5 tuổi được cân đo",
            "Children under 5 measured",
            Count,
            vec![],
        ),
        (
            "children_u5_stunted",
            "Số trẻ dưới 5 tuổi suy dinh dưỡng thể thấp còi",
            "Children under 5 stunted",
            Count,
            vec![],
        ),
        (
            "children_u5_underweight",
            "Số trẻ dưới 5 tuổi suy dinh dưỡng thể nhẹ cân",
            "Children under 5 underweight",
            Count,
            vec![],
        ),
        (
            "pregnancies_ended",
            "Số phụ nữ kết thúc thai kỳ",
            "Pregnancies ended",
            Count,
            vec![],
        ),
        (
            "pregnancies_screened",
            "Số phụ nữ mang thai được sàng lọc trước sinh",
            "Pregnancies with prenatal screening",
            Count,
            vec![],
        ),
        (
            "newborns_screened",
            "Số trẻ sơ sinh được sàng lọc",
            "Newborns screened",
            Count,
            vec![],
        ),
        (
            "food_poisoning_cases",
            "Số ca ngộ độc thực phẩm cấp tính",
            "Acute food-poisoning cases",
            Count,
            vec![],
        ),
        (
            "registered_residents",
            "Số người đang cư trú có trong sổ của trạm",
            "Residents recorded in the station's registers",
            Count,
            vec![],
        ),
        (
            "registered_residents_low",
            "Số người cư trú có trong sổ, thấp nhất trong các cuối tháng của năm",
            "Residents in the registers, lowest of the year's month ends",
            Count,
            vec![],
        ),
        (
            "insured_persons",
            "Số người có thẻ bảo hiểm y tế còn hạn",
            "Persons with a valid insurance card",
            Count,
            vec![],
        ),
        (
            "ehr_persons",
            "Số người có hồ sơ sức khỏe điện tử",
            "Persons with an electronic health record",
            Count,
            vec![],
        ),
        (
            "managed_persons",
            "Số người được quản lý sức khỏe",
            "Persons under health management",
            Count,
            vec![],
        ),
        (
            "elderly_60plus",
            "Số người từ 60 tuổi trở lên",
            "Persons aged 60 and over",
            Count,
            vec![],
        ),
        (
            "elderly_checked",
            "Số người cao tuổi được khám sức khỏe định kỳ",
            "Elderly with a periodic check",
            Count,
            vec![],
        ),
        (
            "hypertension_known",
            "Số người tăng huyết áp được phát hiện",
            "Persons with known hypertension",
            Count,
            vec![],
        ),
        (
            "hypertension_managed_persons",
            "Số người tăng huyết áp được quản lý điều trị",
            "Persons with hypertension under management",
            Count,
            vec![],
        ),
        (
            "stations_reporting",
            "Số trạm y tế báo cáo",
            "Stations reporting",
            Count,
            vec![],
        ),
        (
            "stations_ncd",
            "Số trạm y tế quản lý bệnh không lây nhiễm",
            "Stations managing an NCD programme",
            Count,
            vec![],
        ),
        (
            "station_services_share",
            "Tỷ lệ danh mục kỹ thuật trạm thực hiện được",
            "Share of the service list a station performs",
            Percentage,
            vec![],
        ),
        (
            "communes_assessed",
            "Số xã tự đánh giá Bộ tiêu chí",
            "Communes assessed against the criteria",
            Count,
            vec![],
        ),
        (
            "communes_criteria_passed",
            "Số xã đạt Bộ tiêu chí quốc gia về y tế",
            "Communes meeting the national criteria",
            Count,
            vec![],
        ),
        (
            "survey_respondents",
            "Số người được khảo sát",
            "Survey respondents",
            Count,
            vec![],
        ),
        (
            "survey_satisfied",
            "Số người hài lòng",
            "Satisfied respondents",
            Count,
            vec![],
        ),
    ];
    defs.into_iter()
        .filter_map(|(c, vi, en, t, cats)| DataElement::new(c, vi, en, t, cats).ok())
        .collect()
}

/// The standard data sets: the commune's monthly report (flows) and annual
/// report (stocks and surveys).
pub fn standard_data_sets() -> Vec<DataSet> {
    let monthly = [
        "live_births",
        "deaths",
        "children_age1",
        "children_age1_fully_immunized",
        "children_u5_measured",
        "children_u5_stunted",
        "children_u5_underweight",
        "pregnancies_ended",
        "pregnancies_screened",
        "newborns_screened",
        "food_poisoning_cases",
    ];
    let yearly = [
        "insured_persons",
        "ehr_persons",
        "managed_persons",
        "elderly_60plus",
        "elderly_checked",
        "hypertension_known",
        "hypertension_managed_persons",
        "stations_reporting",
        "stations_ncd",
        "station_services_share",
        "communes_assessed",
        "communes_criteria_passed",
        "survey_respondents",
        "survey_satisfied",
    ];
    vec![
        DataSet {
            code: "commune_monthly".into(),
            name_vi: "Báo cáo tháng của trạm y tế xã".into(),
            name_en: "Commune station monthly report".into(),
            period_type: PeriodType::Month,
            elements: monthly.iter().map(|s| s.to_string()).collect(),
        },
        DataSet {
            code: "commune_annual".into(),
            name_vi: "Báo cáo năm của trạm y tế xã".into(),
            name_en: "Commune station annual report".into(),
            period_type: PeriodType::Year,
            elements: yearly.iter().map(|s| s.to_string()).collect(),
        },
    ]
}

/// The standard validation rules.
pub fn standard_rules() -> Vec<ValidationRule> {
    use RuleOperator::*;
    let defs = [
        (
            "screened_le_births",
            "Trẻ sơ sinh được sàng lọc không vượt quá số trẻ đẻ sống",
            "#{newborns_screened}",
            Le,
            "#{live_births}",
        ),
        (
            "immunized_le_children",
            "Trẻ tiêm chủng đầy đủ không vượt quá số trẻ tròn 1 tuổi",
            "#{children_age1_fully_immunized}",
            Le,
            "#{children_age1}",
        ),
        (
            "stunted_le_measured",
            "Trẻ thấp còi không vượt quá số trẻ được cân đo",
            "#{children_u5_stunted}",
            Le,
            "#{children_u5_measured}",
        ),
        (
            "underweight_le_measured",
            "Trẻ nhẹ cân không vượt quá số trẻ được cân đo",
            "#{children_u5_underweight}",
            Le,
            "#{children_u5_measured}",
        ),
        (
            "screened_le_pregnancies",
            "Thai phụ được sàng lọc không vượt quá số kết thúc thai kỳ",
            "#{pregnancies_screened}",
            Le,
            "#{pregnancies_ended}",
        ),
        (
            "checked_le_elderly",
            "Người cao tuổi được khám không vượt quá số người cao tuổi",
            "#{elderly_checked}",
            Le,
            "#{elderly_60plus}",
        ),
        (
            "managed_le_known",
            "Người THA được quản lý không vượt quá số người THA",
            "#{hypertension_managed_persons}",
            Le,
            "#{hypertension_known}",
        ),
    ];
    defs.iter()
        .filter_map(|(c, n, l, o, r)| ValidationRule::new(c, n, l, *o, r).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fixed_reads_machine_and_vietnamese_numbers() {
        assert_eq!(Fixed::parse_plain("1234.5"), Some(Fixed(1_234_500)));
        assert_eq!(Fixed::parse_plain("-0.125"), Some(Fixed(-125)));
        assert_eq!(Fixed::parse_plain("1.2345"), None);
        assert_eq!(Fixed::parse_plain("1."), None);
        assert_eq!(Fixed::parse_plain("abc"), None);
        assert_eq!(Fixed::parse_vietnamese("1.234,5"), Some(Fixed(1_234_500)));
        assert_eq!(Fixed::parse_vietnamese("12"), Some(Fixed(12_000)));
        assert_eq!(Fixed::parse_vietnamese("1,2345"), None);
        assert_eq!(Fixed(1_234_500).to_string(), "1234.5");
        assert_eq!(Fixed(-125).to_string(), "-0.125");
    }

    #[test]
    fn element_combinations_are_capped() {
        let big = Category {
            code: "x".into(),
            name_vi: "x".into(),
            name_en: "x".into(),
            options: (0..20).map(|i| option(&i.to_string(), "", "")).collect(),
        };
        let e = DataElement::new("e", "e", "e", ValueType::Count, vec![big.clone(), big]);
        assert!(matches!(
            e,
            Err(AggregateError::TooManyCombinations { count: 400, .. })
        ));
        assert!(DataElement::new("E-1", "", "", ValueType::Count, vec![]).is_err());
    }

    #[test]
    fn a_negative_count_is_refused_naming_the_element() {
        let births = standard_elements()
            .into_iter()
            .find(|e| e.code == "live_births")
            .unwrap();
        let e = births.parse_value("-3").unwrap_err().to_string();
        assert!(e.contains("live_births") && e.contains("-3"), "{e}");
        assert!(births.parse_value("3").is_ok());
    }

    #[test]
    fn standard_catalogue_is_consistent() {
        let els = standard_elements();
        assert_eq!(els.len(), 27);
        let deaths = els.iter().find(|e| e.code == "deaths").unwrap();
        assert_eq!(deaths.disaggregations().len(), 36);
        assert!(deaths.check_disaggregation("m.80+").is_ok());
        assert!(deaths.check_disaggregation("x.0").is_err());
        for ds in standard_data_sets() {
            for e in &ds.elements {
                assert!(els.iter().any(|x| &x.code == e), "{e}");
            }
        }
        assert_eq!(standard_rules().len(), 7);
    }

    #[test]
    fn values_are_checked_against_their_type() {
        let els = standard_elements();
        let births = els.iter().find(|e| e.code == "live_births").unwrap();
        assert!(births.parse_value("12").is_ok());
        assert!(births.parse_value("1.5").is_err());
        assert!(births.parse_value("-1").is_err());
        let share = els
            .iter()
            .find(|e| e.code == "station_services_share")
            .unwrap();
        assert!(share.parse_value("87.5").is_ok());
        assert!(share.parse_value("101").is_err());
    }

    #[test]
    fn a_monthly_value_enters_its_month_quarter_and_year_only() {
        let periods: Vec<String> = rollup_periods("2024-05".parse().unwrap())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(periods, ["2024-05", "2024Q2", "2024"]);
        // A yearly value enters its year only.
        assert_eq!(rollup_periods(Period::Year(2024)), [Period::Year(2024)]);
    }

    #[test]
    fn outliers_are_flagged_by_modified_z_score() {
        let h = [10.0, 12.0, 11.0, 9.0, 10.0, 11.0];
        assert!(outlier(11.0, &h).is_none());
        assert!(outlier(60.0, &h).is_some());
        assert!(outlier(60.0, &h[..3]).is_none());
        // 0 against a history of ones is chance, not a finding.
        assert!(outlier(0.0, &[1.0, 1.0, 1.0, 1.0, 1.0]).is_none());
        assert!(outlier(1.0, &[0.0, 0.0, 0.0, 0.0]).is_none());
        assert!(outlier(7.0, &[0.0, 0.0, 0.0, 0.0]).is_some());
    }

    proptest! {
        #[test]
        fn fixed_round_trips(v in -1_000_000_000_000i64..1_000_000_000_000) {
            prop_assert_eq!(Fixed::parse_plain(&Fixed(v).to_string()), Some(Fixed(v)));
        }

        #[test]
        fn fixed_parsing_never_panics(s in "\\PC{0,24}") {
            let _ = Fixed::parse_plain(&s);
            let _ = Fixed::parse_vietnamese(&s);
        }
    }
}
