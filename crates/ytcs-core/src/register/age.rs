//! Ages by the calendar: the one place where the registers decide how old
//! a person is. Every age rule — under one, under five, 60 and over, the
//! age groups of deaths, the immunization schedule and its minimum ages,
//! the due lists, the age in months on the record — goes through these
//! functions; none counts days. (WHO's growth tables are indexed by age in
//! days, and intervals between doses are set in days or weeks: those stay
//! day counts, as their sources define them.)
//!
//! **The rule.** A person is N months old from their N-th *month
//! birthday*: the day of the month they were born on, N months later.
//! When that month has no such day, the month birthday is the first day
//! of the month after: born 31 January, a child is one month old on
//! 1 March (not on 28 February); born 29 February 2024, she turns one on
//! 1 March 2025. Years are whole months divided by twelve, so the two
//! never disagree — [`age_on`] has always counted years this way.
//!
//! *Why not the month's last day* (as the civil code does for a period
//! "of N months", and as [`add_months`] does for plain dates): a child
//! born on 29 February would then be twelve months old on 28 February
//! yet not one year old, and "under one" would depend on which of the two
//! a rule asked.
//!
//! The functions: [`age_on`], [`months_on`], [`birthday`],
//! [`month_birthday`], [`add_months`], and the schedule's [`Age`].

use chrono::{Datelike, Duration};
use serde::Serialize;

use crate::Date;

/// Days in a month of a year.
fn days_in_month(year: i32, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    Date::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(28, |d| d.day())
}

/// The same day of the month `months` months after `d` (before, when
/// negative); when that month is shorter, its last day (31 January + 1
/// month = 28 or 29 February). Plain date arithmetic; ages use
/// [`month_birthday`].
pub fn add_months(d: Date, months: i32) -> Date {
    let total = d.year() * 12 + d.month0() as i32 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let day = d.day().min(days_in_month(y, m));
    Date::from_ymd_opt(y, m, day).unwrap_or(d)
}

/// The day a person born on `birth` becomes `months` months old (see the
/// module's rule: a missing day moves to the 1st of the next month).
pub fn month_birthday(birth: Date, months: i32) -> Date {
    let d = add_months(birth, months);
    if d.day() < birth.day() {
        d + Duration::days(1)
    } else {
        d
    }
}

/// The day a person born on `birth` turns `years` (29 February → 1 March
/// in common years).
pub fn birthday(birth: Date, years: i32) -> Date {
    month_birthday(birth, 12 * years)
}

/// Completed months of age on `day` (negative before birth).
pub fn months_on(birth: Date, day: Date) -> i32 {
    let mut m = (day.year() - birth.year()) * 12 + day.month() as i32 - birth.month() as i32;
    if day.day() < birth.day() {
        m -= 1;
    }
    m
}

/// Completed years of age on `day`.
pub fn age_on(birth: Date, day: Date) -> i32 {
    months_on(birth, day).div_euclid(12)
}

/// An age the schedule names: whole months, then days (BCG at birth is
/// `0 + 0`, the first pentavalent dose `2 months`, the second dose of
/// Japanese encephalitis `12 months + 14 days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Age {
    /// Whole months (month birthdays).
    pub months: u16,
    /// Days after that month birthday.
    pub days: u16,
}

impl Age {
    /// At birth.
    pub const BIRTH: Age = Age { months: 0, days: 0 };

    /// `months` months.
    pub const fn months(months: u16) -> Age {
        Age { months, days: 0 }
    }

    /// The day a person born on `birth` reaches this age.
    pub fn on(self, birth: Date) -> Date {
        month_birthday(birth, i32::from(self.months)) + Duration::days(i64::from(self.days))
    }

    /// Whether this is the age at birth.
    pub fn is_birth(self) -> bool {
        self == Age::BIRTH
    }

    /// The age in words, English (`2 months`, `12 months 14 days`, `birth`).
    pub fn en(self) -> String {
        match (self.months, self.days) {
            (0, 0) => "birth".into(),
            (m, 0) => format!("{m} month{}", if m == 1 { "" } else { "s" }),
            (0, d) => format!("{d} days"),
            (m, d) => format!("{m} months {d} days"),
        }
    }

    /// The age in words, Vietnamese (`2 tháng tuổi`, `sơ sinh`).
    pub fn vi(self) -> String {
        match (self.months, self.days) {
            (0, 0) => "sơ sinh".into(),
            (m, 0) => format!("{m} tháng tuổi"),
            (0, d) => format!("{d} ngày tuổi"),
            (m, d) => format!("{m} tháng {d} ngày tuổi"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn the_day_before_the_fifth_birthday_is_still_under_five() {
        // 1,826 days: two 29 Februaries in between.
        let birth = d("2019-06-15");
        assert_eq!((d("2024-06-14") - birth).num_days(), 1826);
        assert_eq!(age_on(birth, d("2024-06-14")), 4);
        assert_eq!(age_on(birth, d("2024-06-15")), 5);
        assert_eq!(birthday(birth, 5), d("2024-06-15"));
        assert_eq!(months_on(birth, d("2024-06-14")), 59);
        assert_eq!(months_on(birth, d("2024-06-15")), 60);
    }

    #[test]
    fn born_on_29_february_turns_older_on_1_march_in_common_years() {
        let b = d("2024-02-29");
        assert_eq!(age_on(b, d("2025-02-28")), 0);
        assert_eq!(age_on(b, d("2025-03-01")), 1);
        assert_eq!(birthday(b, 1), d("2025-03-01"));
        assert_eq!(birthday(b, 4), d("2028-02-29"));
        assert_eq!(months_on(b, d("2025-02-28")), 11, "not 12 months yet");
        assert_eq!(months_on(b, d("2025-03-01")), 12);
        assert_eq!(age_on(b, d("2028-02-28")), 3);
        assert_eq!(age_on(b, d("2028-02-29")), 4);
    }

    #[test]
    fn month_birthdays_missing_from_a_month_fall_on_the_first_of_the_next() {
        let b = d("2025-01-31");
        assert_eq!(month_birthday(b, 1), d("2025-03-01"));
        assert_eq!(months_on(b, d("2025-02-28")), 0);
        assert_eq!(months_on(b, d("2025-03-01")), 1);
        assert_eq!(month_birthday(b, 2), d("2025-03-31"));
        assert_eq!(month_birthday(b, 3), d("2025-05-01"));
        assert_eq!(month_birthday(d("2024-01-31"), 1), d("2024-03-01"));
        assert_eq!(month_birthday(d("2024-01-30"), 1), d("2024-03-01"));
        assert_eq!(month_birthday(d("2024-01-29"), 1), d("2024-02-29"));
        // Plain dates clamp.
        assert_eq!(add_months(b, 1), d("2025-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_months(d("2024-03-31"), -1), d("2024-02-29"));
        assert_eq!(add_months(d("2024-12-15"), 1), d("2025-01-15"));
        assert_eq!(add_months(d("2025-01-15"), -13), d("2023-12-15"));
    }

    #[test]
    fn schedule_ages_are_month_birthdays_plus_days() {
        let b = d("2024-12-31");
        assert_eq!(Age::BIRTH.on(b), b);
        assert_eq!(Age::months(2).on(b), d("2025-03-01"));
        assert_eq!(Age::months(3).on(b), d("2025-03-31"));
        assert_eq!(
            Age {
                months: 12,
                days: 14
            }
            .on(b),
            d("2026-01-14")
        );
        assert_eq!(Age::months(2).vi(), "2 tháng tuổi");
        assert_eq!(Age::months(1).en(), "1 month");
    }

    fn date() -> impl Strategy<Value = Date> {
        (1900i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, dd)| {
            Date::from_ymd_opt(y, m, dd.min(days_in_month(y, m))).expect("a valid day")
        })
    }

    proptest! {
        #[test]
        fn months_reached_exactly_on_the_month_birthday(b in date(), n in 0i32..1300) {
            let day = month_birthday(b, n);
            prop_assert!(months_on(b, day) >= n);
            prop_assert!(months_on(b, day - Duration::days(1)) < n);
        }

        #[test]
        fn years_are_months_divided_by_twelve(b in date(), later in 0i64..40_000) {
            let day = b + Duration::days(later);
            let m = months_on(b, day);
            prop_assert!(m >= 0);
            prop_assert_eq!(age_on(b, day), m / 12);
            prop_assert!(day >= birthday(b, age_on(b, day)));
            prop_assert!(day < birthday(b, age_on(b, day) + 1));
        }

        #[test]
        fn ages_never_go_down_and_rise_by_at_most_one_a_day(b in date(), later in 0i64..40_000) {
            let day = b + Duration::days(later);
            let next = day + Duration::days(1);
            let (m0, m1) = (months_on(b, day), months_on(b, next));
            prop_assert!(m1 == m0 || m1 == m0 + 1);
            let (y0, y1) = (age_on(b, day), age_on(b, next));
            prop_assert!(y1 == y0 || y1 == y0 + 1);
        }

        #[test]
        fn add_months_keeps_the_day_or_takes_the_months_last(d0 in date(), n in -1200i32..1200) {
            let d1 = add_months(d0, n);
            prop_assert_eq!(
                (d1.year() * 12 + d1.month0() as i32) - (d0.year() * 12 + d0.month0() as i32),
                n
            );
            prop_assert!(d1.day() == d0.day() || d1.day() == days_in_month(d1.year(), d1.month()));
            prop_assert!(d1.day() <= d0.day());
        }
    }
}
