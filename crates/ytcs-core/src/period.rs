//! Reporting periods: day, month, quarter, half-year and year, with
//! ISO-like identifiers (`2024`, `2024S1`, `2024Q2`, `2024-06`, `2024-06-30`).

use crate::Date;
use chrono::{Datelike, Duration};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// The length of a period, from the finest to the coarsest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodType {
    /// One civil day.
    Day,
    /// A calendar month.
    Month,
    /// A calendar quarter (Q1 = January–March).
    Quarter,
    /// A half-year (S1 = January–June).
    HalfYear,
    /// A calendar year.
    Year,
}

/// A reporting period. Construct it by parsing an identifier or through the
/// checked constructors, so a `Period` in hand is always a real period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// Half-year 1 or 2 of a year.
    HalfYear(i32, u8),
    /// Quarter 1–4 of a year.
    Quarter(i32, u8),
    /// Month 1–12 of a year.
    Month(i32, u8),
    /// A single day.
    Day(Date),
}

/// Why a period identifier could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{input}' is not a period: expected 2024, 2024S1, 2024Q2, 2024-06 or 2024-06-30")]
pub struct PeriodParseError {
    /// The text that was given.
    pub input: String,
}

/// Years a period may fall in: wide enough for history and plans, narrow
/// enough that date arithmetic can never overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

impl Period {
    /// A year, if within [`YEARS`].
    pub fn year(y: i32) -> Option<Self> {
        YEARS.contains(&y).then_some(Period::Year(y))
    }

    /// A half-year (1 or 2).
    pub fn half_year(y: i32, h: u8) -> Option<Self> {
        (YEARS.contains(&y) && (1..=2).contains(&h)).then_some(Period::HalfYear(y, h))
    }

    /// A quarter (1–4).
    pub fn quarter(y: i32, q: u8) -> Option<Self> {
        (YEARS.contains(&y) && (1..=4).contains(&q)).then_some(Period::Quarter(y, q))
    }

    /// A month (1–12).
    pub fn month(y: i32, m: u8) -> Option<Self> {
        (YEARS.contains(&y) && (1..=12).contains(&m)).then_some(Period::Month(y, m))
    }

    /// A day.
    pub fn day(d: Date) -> Option<Self> {
        YEARS.contains(&d.year()).then_some(Period::Day(d))
    }

    /// The period's type.
    pub fn period_type(&self) -> PeriodType {
        match self {
            Period::Year(_) => PeriodType::Year,
            Period::HalfYear(..) => PeriodType::HalfYear,
            Period::Quarter(..) => PeriodType::Quarter,
            Period::Month(..) => PeriodType::Month,
            Period::Day(_) => PeriodType::Day,
        }
    }

    /// The calendar year the period falls in.
    pub fn calendar_year(&self) -> i32 {
        match *self {
            Period::Year(y)
            | Period::HalfYear(y, _)
            | Period::Quarter(y, _)
            | Period::Month(y, _) => y,
            Period::Day(d) => d.year(),
        }
    }

    /// The first day of the period.
    pub fn start(&self) -> Date {
        let ymd = |y, m| Date::from_ymd_opt(y, m, 1).expect("constructors keep months valid");
        match *self {
            Period::Year(y) => ymd(y, 1),
            Period::HalfYear(y, h) => ymd(y, 1 + 6 * (h as u32 - 1)),
            Period::Quarter(y, q) => ymd(y, 1 + 3 * (q as u32 - 1)),
            Period::Month(y, m) => ymd(y, m as u32),
            Period::Day(d) => d,
        }
    }

    /// The last day of the period.
    pub fn end(&self) -> Date {
        match self {
            Period::Day(d) => *d,
            _ => self.next().start() - Duration::days(1),
        }
    }

    /// The period of the same type that follows this one.
    pub fn next(&self) -> Period {
        match *self {
            Period::Year(y) => Period::Year(y + 1),
            Period::HalfYear(y, 2) => Period::HalfYear(y + 1, 1),
            Period::HalfYear(y, h) => Period::HalfYear(y, h + 1),
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
            Period::Day(d) => Period::Day(d + Duration::days(1)),
        }
    }

    /// Whether the day falls inside the period.
    pub fn contains_date(&self, d: Date) -> bool {
        self.start() <= d && d <= self.end()
    }

    /// Whether `other` lies wholly inside this period (a period contains itself).
    pub fn contains(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The period of type `t` that contains this period's first day.
    pub fn enclosing(&self, t: PeriodType) -> Period {
        Period::containing(self.start(), t)
    }

    /// The period of the same type just before this one (the day before,
    /// the month before, …): the one that ends the day before it starts.
    pub fn previous(self) -> Period {
        Period::containing(self.start() - Duration::days(1), self.period_type())
    }

    /// The period of type `t` that contains the day `d`.
    pub fn containing(d: Date, t: PeriodType) -> Period {
        let y = d.year();
        let m = d.month() as u8;
        match t {
            PeriodType::Year => Period::Year(y),
            PeriodType::HalfYear => Period::HalfYear(y, if m <= 6 { 1 } else { 2 }),
            PeriodType::Quarter => Period::Quarter(y, (m - 1) / 3 + 1),
            PeriodType::Month => Period::Month(y, m),
            PeriodType::Day => Period::Day(d),
        }
    }

    /// The periods of type `t` that make up this one, in order (empty when
    /// `t` is coarser than this period's type).
    pub fn split(&self, t: PeriodType) -> PeriodIter {
        if t > self.period_type() {
            return PeriodIter {
                next: None,
                last: self.start(),
            };
        }
        PeriodIter {
            next: Some(Period::containing(self.start(), t)),
            last: self.end(),
        }
    }
}

/// Iterates over consecutive periods of one type, ending at a last day.
#[derive(Debug, Clone)]
pub struct PeriodIter {
    next: Option<Period>,
    last: Date,
}

impl Iterator for PeriodIter {
    type Item = Period;
    fn next(&mut self) -> Option<Period> {
        let p = self.next?;
        if p.start() > self.last {
            self.next = None;
            return None;
        }
        self.next = Some(p.next());
        Some(p)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Year(y) => write!(f, "{y:04}"),
            Period::HalfYear(y, h) => write!(f, "{y:04}S{h}"),
            Period::Quarter(y, q) => write!(f, "{y:04}Q{q}"),
            Period::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Period::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodParseError {
            input: s.to_string(),
        };
        let t = s.trim();
        if !t.is_ascii() || t.len() < 4 {
            return Err(err());
        }
        let (year_text, rest) = t.split_at(4);
        if !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let y: i32 = year_text.parse().map_err(|_| err())?;
        let small = |x: &str| -> Option<u8> {
            (!x.is_empty() && x.len() <= 2 && x.bytes().all(|b| b.is_ascii_digit()))
                .then(|| x.parse().ok())
                .flatten()
        };
        let p = match rest.as_bytes() {
            [] => Period::year(y),
            [b'S' | b's', ..] => small(&rest[1..]).and_then(|h| Period::half_year(y, h)),
            [b'Q' | b'q', ..] => small(&rest[1..]).and_then(|q| Period::quarter(y, q)),
            [b'-', ..] => {
                let parts: Vec<&str> = rest[1..].split('-').collect();
                match parts.as_slice() {
                    [m] if m.len() == 2 => small(m).and_then(|m| Period::month(y, m)),
                    [m, d] if m.len() == 2 && d.len() == 2 => match (small(m), small(d)) {
                        (Some(m), Some(d)) => {
                            Date::from_ymd_opt(y, m as u32, d as u32).and_then(Period::day)
                        }
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        };
        p.ok_or_else(err)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn identifiers_parse_and_print_back() {
        for s in ["2024", "2024S1", "2024Q2", "2024-06", "2024-06-30"] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn malformed_identifiers_are_refused() {
        for s in [
            "",
            "24",
            "2024Q5",
            "2024S0",
            "2024-13",
            "2024-02-30",
            "2024-6",
            "năm 2024",
            "2024W1",
            "abcd",
        ] {
            assert!(s.parse::<Period>().is_err(), "{s} should not parse");
        }
    }

    #[test]
    fn quarter_two_spans_april_to_june() {
        let q = p("2024Q2");
        assert_eq!(q.start().to_string(), "2024-04-01");
        assert_eq!(q.end().to_string(), "2024-06-30");
        assert!(p("2024S1").contains(&q));
        assert!(!q.contains(&p("2024S1")));
        assert!(q.contains(&p("2024-05")));
        assert_eq!(p("2024").split(PeriodType::Quarter).count(), 4);
        assert_eq!(p("2024").split(PeriodType::Day).count(), 366);
        assert_eq!(p("2024-02").split(PeriodType::Year).count(), 0);
    }

    fn arb_period() -> impl Strategy<Value = Period> {
        (2000i32..2040, 0u8..5, 1u8..=12, 1u32..=28).prop_map(|(y, kind, m, d)| match kind {
            0 => Period::Year(y),
            1 => Period::HalfYear(y, 1 + (m - 1) / 6),
            2 => Period::Quarter(y, 1 + (m - 1) / 3),
            3 => Period::Month(y, m),
            _ => Period::Day(Date::from_ymd_opt(y, m as u32, d).unwrap()),
        })
    }

    proptest! {
        #[test]
        fn display_round_trips(per in arb_period()) {
            prop_assert_eq!(per.to_string().parse::<Period>().unwrap(), per);
        }

        #[test]
        fn split_tiles_the_period_exactly(per in arb_period(), t in 0usize..5) {
            let t = [PeriodType::Day, PeriodType::Month, PeriodType::Quarter, PeriodType::HalfYear, PeriodType::Year][t];
            let parts: Vec<Period> = per.split(t).collect();
            if t <= per.period_type() {
                prop_assert_eq!(parts.first().unwrap().start(), per.start());
                prop_assert_eq!(parts.last().unwrap().end(), per.end());
                for w in parts.windows(2) {
                    prop_assert_eq!(w[0].end() + Duration::days(1), w[1].start());
                }
                for q in &parts { prop_assert!(per.contains(q)); }
            } else {
                prop_assert!(parts.is_empty());
            }
        }

        #[test]
        fn the_previous_period_is_of_the_same_type_and_ends_the_day_before(per in arb_period()) {
            let p = per.previous();
            prop_assert_eq!(p.period_type(), per.period_type());
            prop_assert_eq!(p.end() + Duration::days(1), per.start());
        }

        #[test]
        fn containing_period_contains_the_day(per in arb_period(), t in 0usize..5) {
            let t = [PeriodType::Day, PeriodType::Month, PeriodType::Quarter, PeriodType::HalfYear, PeriodType::Year][t];
            let d = per.start();
            prop_assert!(Period::containing(d, t).contains_date(d));
        }

        #[test]
        fn containment_means_every_day_inside(a in arb_period(), b in arb_period()) {
            let every_day = b.split(PeriodType::Day).all(|d| a.contains_date(d.start()));
            prop_assert_eq!(a.contains(&b), every_day);
            prop_assert!(a.contains(&a));
            if a.contains(&b) && b.contains(&a) {
                prop_assert_eq!(a.start(), b.start());
                prop_assert_eq!(a.end(), b.end());
            }
        }

        #[test]
        fn enclosing_periods_contain_and_nest(per in arb_period(), t in 0usize..5) {
            let types = [PeriodType::Day, PeriodType::Month, PeriodType::Quarter, PeriodType::HalfYear, PeriodType::Year];
            if types[t] >= per.period_type() {
                let outer = per.enclosing(types[t]);
                prop_assert!(outer.contains(&per));
                for u in &types[t..] {
                    prop_assert!(per.enclosing(*u).contains(&outer));
                }
            }
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in "\\PC{0,12}") {
            let _ = s.parse::<Period>();
        }
    }
}
