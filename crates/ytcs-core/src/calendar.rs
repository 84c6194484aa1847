//! Working days in Vietnam: the Vietnamese lunar calendar, the public
//! holidays of the Labour Code and the days off the government announces.
//!
//! **Lunar calendar.** The Vietnamese calendar is the Chinese lunisolar
//! one computed at UTC+7, not UTC+8 (so Tết 1985 fell a month away from
//! China's New Year, and 2007's a day away). A month starts on the day of
//! a new moon at UTC+7; month 11 holds the winter solstice; a year of
//! thirteen months repeats the first month without a major solar term.
//! New moons and the sun's longitude follow Jean Meeus, *Astronomical
//! Algorithms* (1998), as published for this calendar by Hồ Ngọc Đức
//! ("Thuật toán tính âm lịch"); good to a few minutes for 1800–2200.
//!
//! **Holidays** (Bộ luật Lao động 2019, Điều 112): 1 January; Tết
//! Nguyên đán, five days — taken here as the last day of the lunar year
//! and the first four of the new one, the split of most years (the Prime
//! Minister fixes each year's; a year that differs is corrected with
//! [`DaysOff`]); the Hùng Kings' day (10th of the 3rd lunar month); 30
//! April; 1 May; 2 September and one day beside it — here the one that
//! joins a weekend (Monday 1 or Friday 3 September), else the day after.
//! A holiday of a fixed date on a Saturday or Sunday gives the next
//! working day off (Điều 111, khoản 3). Tết gets no such day here: the
//! Prime Minister places its five days each year around the weekend
//! (2025: off 25 January to 2 February, Monday 3 February worked,
//! although mùng 4 was a Saturday). Weekly rest is Saturday and Sunday,
//! as in public bodies (the 40-hour week of Quyết định 188/1999/QĐ-TTg).
//! Days off moved by the government (a Saturday worked to bridge a
//! holiday) are not in the law: [`DaysOff`] carries them, and
//! [`DaysOff::announced`] those of the years checked against a published
//! schedule.

use std::collections::BTreeSet;
use std::f64::consts::PI;

use chrono::{Datelike, Weekday};

use crate::Date;

/// Hours east of UTC at which the Vietnamese calendar is computed.
const TIME_ZONE: f64 = 7.0;

/// The Julian day number of a date (days since 1 January 4713 BC, noon).
fn julian_day(d: Date) -> i64 {
    i64::from(d.num_days_from_ce()) + 1_721_425
}

/// The date of a Julian day number.
fn from_julian_day(jd: i64) -> Option<Date> {
    Date::from_num_days_from_ce_opt(i32::try_from(jd - 1_721_425).ok()?)
}

/// The moment (Julian day, UTC) of the `k`-th new moon after 1 January
/// 1900.
fn new_moon(k: f64) -> f64 {
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    let m = 359.2242 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.0253 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.2964 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let c1 = (0.1734 - 0.000_393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin()
        - 0.4068 * (mpr * dr).sin()
        + 0.0161 * (dr * 2.0 * mpr).sin()
        - 0.0004 * (dr * 3.0 * mpr).sin()
        + 0.0104 * (dr * 2.0 * f).sin()
        - 0.0051 * (dr * (m + mpr)).sin()
        - 0.0074 * (dr * (m - mpr)).sin()
        + 0.0004 * (dr * (2.0 * f + m)).sin()
        - 0.0004 * (dr * (2.0 * f - m)).sin()
        - 0.0006 * (dr * (2.0 * f + mpr)).sin()
        + 0.0010 * (dr * (2.0 * f - mpr)).sin()
        + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The day (Julian day number, at UTC+7) of the `k`-th new moon.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k as f64) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's longitude at the start of a day (UTC+7), as one of twelve
/// 30° sectors (0: spring equinox to the next major term).
fn sun_sector(day: i64) -> i64 {
    let jdn = day as f64 - 0.5 - TIME_ZONE / 24.0;
    let t = (jdn - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    let mut l = (l0 + dl) * dr;
    l -= 2.0 * PI * (l / (2.0 * PI)).floor();
    (l / PI * 6.0).floor() as i64
}

/// The first day (Julian day number) of the lunar month 11 of `year`
/// (the month holding the winter solstice).
fn month_11(year: i32) -> Option<i64> {
    let off = julian_day(Date::from_ymd_opt(year, 12, 31)?) - 2_415_021;
    let k = (off as f64 / 29.530_588_853).floor() as i64;
    let nm = new_moon_day(k);
    Some(if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    })
}

/// After month 11 starting on `a11`, the offset of the leap month (the
/// first without a major solar term).
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The solar date of a day of the Vietnamese lunar calendar (`month`
/// 1–12, not a leap month); `None` out of range.
pub fn from_lunar(day: u32, month: u32, year: i32) -> Option<Date> {
    if !(1..=30).contains(&day) || !(1..=12).contains(&month) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (month_11(year - 1)?, month_11(year)?)
    } else {
        (month_11(year)?, month_11(year + 1)?)
    };
    let k = (0.5 + (a11 as f64 - 2_415_021.076_998_695) / 29.530_588_853).floor() as i64;
    let mut off = i64::from(month) - 11;
    if off < 0 {
        off += 12;
    }
    if b11 - a11 > 365 && off >= leap_month_offset(a11) {
        off += 1;
    }
    from_julian_day(new_moon_day(k + off) + i64::from(day) - 1)
}

/// The first day of the lunar year that begins in `year` (Tết Nguyên đán).
pub fn lunar_new_year(year: i32) -> Option<Date> {
    from_lunar(1, 1, year)
}

/// A public holiday of the Labour Code (Điều 112).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// Tết Nguyên đán.
    LunarNewYear,
    /// The Hùng Kings' commemoration (10/3 lunar).
    HungKings,
    /// 30 April.
    Reunification,
    /// 1 May.
    LabourDay,
    /// 2 September and the day beside it.
    NationalDay,
    /// A day off in place of a holiday on a weekend (Điều 111).
    InLieu,
}

impl Holiday {
    /// Its name (`vi`: Vietnamese).
    pub fn name(self, vi: bool) -> &'static str {
        match (self, vi) {
            (Holiday::NewYear, true) => "Tết Dương lịch",
            (Holiday::NewYear, false) => "New Year's Day",
            (Holiday::LunarNewYear, true) => "Tết Nguyên đán",
            (Holiday::LunarNewYear, false) => "Lunar New Year",
            (Holiday::HungKings, true) => "Giỗ Tổ Hùng Vương",
            (Holiday::HungKings, false) => "Hùng Kings' Day",
            (Holiday::Reunification, true) => "Ngày Chiến thắng",
            (Holiday::Reunification, false) => "Reunification Day",
            (Holiday::LabourDay, true) => "Ngày Quốc tế lao động",
            (Holiday::LabourDay, false) => "Labour Day",
            (Holiday::NationalDay, true) => "Quốc khánh",
            (Holiday::NationalDay, false) => "National Day",
            (Holiday::InLieu, true) => "Nghỉ bù",
            (Holiday::InLieu, false) => "Day off in lieu",
        }
    }
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The public holidays of `year` by the law (see the module), days off in
/// lieu included, in date order.
pub fn public_holidays(year: i32) -> Vec<(Date, Holiday)> {
    let ymd = |m, d| Date::from_ymd_opt(year, m, d);
    let mut days: Vec<(Date, Holiday)> = Vec::new();
    days.extend(ymd(1, 1).map(|d| (d, Holiday::NewYear)));
    // Tết of this year, and the eve of next year's when it falls in this
    // one (it never does before 21 January).
    for tet in [lunar_new_year(year), lunar_new_year(year + 1)]
        .into_iter()
        .flatten()
    {
        let eve = tet.pred_opt();
        for d in eve.into_iter().chain(tet.iter_days().take(4)) {
            if d.year() == year {
                days.push((d, Holiday::LunarNewYear));
            }
        }
    }
    days.extend(from_lunar(10, 3, year).map(|d| (d, Holiday::HungKings)));
    days.extend(ymd(4, 30).map(|d| (d, Holiday::Reunification)));
    days.extend(ymd(5, 1).map(|d| (d, Holiday::LabourDay)));
    if let Some(national) = ymd(9, 2) {
        days.push((national, Holiday::NationalDay));
        let beside = match national.weekday() {
            Weekday::Tue | Weekday::Sat => national.pred_opt(),
            _ => national.succ_opt(),
        };
        days.extend(beside.map(|d| (d, Holiday::NationalDay)));
    }
    days.sort();
    days.dedup_by_key(|(d, _)| *d);
    // A holiday of a fixed date on a weekend: the next day that is neither
    // a weekend nor a holiday is off in its place.
    let mut taken: BTreeSet<Date> = days.iter().map(|(d, _)| *d).collect();
    let on_weekend: Vec<Date> = days
        .iter()
        .filter(|(d, h)| weekend(*d) && *h != Holiday::LunarNewYear)
        .map(|(d, _)| *d)
        .collect();
    for d in on_weekend {
        let mut next = d.succ_opt();
        while let Some(n) = next {
            if !weekend(n) && !taken.contains(&n) {
                break;
            }
            next = n.succ_opt();
        }
        if let Some(n) = next.filter(|n| n.year() == year) {
            taken.insert(n);
            days.push((n, Holiday::InLieu));
        }
    }
    days.sort();
    days
}

/// Days off and working days the government moves each year (a Saturday
/// worked in exchange for a bridge day), beside the law's holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaysOff {
    /// Days off that would be working days.
    pub off: BTreeSet<Date>,
    /// Days worked that would be off (a Saturday made up).
    pub worked: BTreeSet<Date>,
}

/// The days moved by the government that ytcs knows, compiled in
/// (`data/calendar/days-off.csv`: `date,kind,note,source`, kind `off` or
/// `worked`). A site adds a year's announcement without rebuilding in its
/// data directory's `days-off.csv` (read by `ytcs-engine::statutory::load`).
pub const DAYS_OFF_CSV: &str = include_str!("../../../data/calendar/days-off.csv");

/// Why a days-off file was refused: its line and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DaysOffError {
    /// The line (1-based).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl DaysOff {
    /// The days moved by the government in the years checked against a
    /// published schedule ([`DAYS_OFF_CSV`]; in 2025 Monday 27 January off
    /// within Tết's nine days, and Friday 2 May off for Saturday 26 April
    /// worked). Other years: the law only, until their schedule is added.
    pub fn announced() -> DaysOff {
        static SET: std::sync::OnceLock<DaysOff> = std::sync::OnceLock::new();
        SET.get_or_init(|| {
            DaysOff::default()
                .with_csv(DAYS_OFF_CSV)
                .expect("the compiled-in days off are checked by a test")
        })
        .clone()
    }

    /// These days plus those of a `date,kind,note,source` text (a header
    /// line first; `kind` is `off` or `worked`). A day both off and worked
    /// is refused.
    pub fn with_csv(mut self, text: &str) -> Result<DaysOff, DaysOffError> {
        for (i, line) in text.lines().enumerate().skip(1) {
            let n = i + 1;
            if line.trim().is_empty() {
                continue;
            }
            let mut fields = line.splitn(3, ',');
            let date = fields.next().unwrap_or_default().trim();
            let kind = fields.next().unwrap_or_default().trim();
            let d: Date = date.parse().map_err(|_| DaysOffError {
                line: n,
                message: format!("'{date}' is not a date (YYYY-MM-DD)"),
            })?;
            let (to, other) = match kind {
                "off" => (&mut self.off, &self.worked),
                "worked" => (&mut self.worked, &self.off),
                k => {
                    return Err(DaysOffError {
                        line: n,
                        message: format!("kind '{k}' is neither 'off' nor 'worked'"),
                    })
                }
            };
            if other.contains(&d) {
                return Err(DaysOffError {
                    line: n,
                    message: format!("{d} is listed both as a day off and as a day worked"),
                });
            }
            to.insert(d);
        }
        Ok(self)
    }

    /// Whether public bodies work on `d`.
    pub fn is_working_day(&self, d: Date) -> bool {
        self.works(d, &holiday_dates(d.year()))
    }

    /// [`DaysOff::is_working_day`] with the holidays of `d`'s year given.
    fn works(&self, d: Date, holidays: &BTreeSet<Date>) -> bool {
        if self.worked.contains(&d) {
            return true;
        }
        !(self.off.contains(&d) || weekend(d) || holidays.contains(&d))
    }

    /// The day `n` working days after `d` (each year's holidays worked out
    /// once).
    pub fn after_working_days(&self, d: Date, n: u32) -> Date {
        let mut day = d;
        let mut left = n;
        let mut year = (d.year(), holiday_dates(d.year()));
        while left > 0 {
            let Some(next) = day.succ_opt() else {
                return day;
            };
            day = next;
            if day.year() != year.0 {
                year = (day.year(), holiday_dates(day.year()));
            }
            if self.works(day, &year.1) {
                left -= 1;
            }
        }
        day
    }
}

/// The days of [`public_holidays`] of `year`.
fn holiday_dates(year: i32) -> BTreeSet<Date> {
    public_holidays(year).into_iter().map(|(d, _)| d).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn tet_falls_on_the_published_days() {
        // Published dates of Tết Nguyên đán (Vietnamese calendar).
        for (year, day) in [
            (1985, "1985-01-21"),
            (2007, "2007-02-17"),
            (2020, "2020-01-25"),
            (2023, "2023-01-22"),
            (2024, "2024-02-10"),
            (2025, "2025-01-29"),
            (2026, "2026-02-17"),
            (2027, "2027-02-06"),
        ] {
            assert_eq!(lunar_new_year(year), Some(d(day)), "{year}");
        }
    }

    #[test]
    fn the_hung_kings_day_is_the_tenth_of_the_third_lunar_month() {
        assert_eq!(from_lunar(10, 3, 2024), Some(d("2024-04-18")));
        assert_eq!(from_lunar(10, 3, 2025), Some(d("2025-04-07")));
        assert_eq!(from_lunar(10, 3, 2026), Some(d("2026-04-26")));
        assert_eq!(from_lunar(0, 3, 2026), None);
        assert_eq!(from_lunar(1, 13, 2026), None);
    }

    #[test]
    fn the_holidays_of_2025_are_those_of_the_law() {
        let days: Vec<(Date, Holiday)> = public_holidays(2025);
        let dates: Vec<String> = days.iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2025-01-01",
                // Tết: 29 Chạp (the year's last day) to mùng 4.
                "2025-01-28",
                "2025-01-29",
                "2025-01-30",
                "2025-01-31",
                // Mùng 4 on a Saturday: no day in lieu for Tết.
                "2025-02-01",
                "2025-04-07",
                "2025-04-30",
                "2025-05-01",
                // 2 September a Tuesday: Monday 1 September beside it.
                "2025-09-01",
                "2025-09-02",
            ]
        );
        assert_eq!(Holiday::HungKings.name(true), "Giỗ Tổ Hùng Vương");
        // 2023: 2 September a Saturday, 1 September beside it, Monday 4 in
        // lieu (as announced that year).
        let sept: Vec<(String, Holiday)> = public_holidays(2023)
            .into_iter()
            .filter(|(d, _)| d.month() == 9)
            .map(|(d, h)| (d.to_string(), h))
            .collect();
        assert_eq!(
            sept,
            [
                ("2023-09-01".to_string(), Holiday::NationalDay),
                ("2023-09-02".to_string(), Holiday::NationalDay),
                ("2023-09-04".to_string(), Holiday::InLieu),
            ]
        );
        // 2025 as published: Tết 25 January – 2 February, 30 April – 4 May.
        let announced = DaysOff::announced();
        let off = |from: &str, to: &str| {
            d(from)
                .iter_days()
                .take_while(|x| *x <= d(to))
                .all(|x| !announced.is_working_day(x))
        };
        assert!(off("2025-01-25", "2025-02-02"));
        assert!(announced.is_working_day(d("2025-02-03")));
        assert!(off("2025-04-30", "2025-05-04"));
        assert!(announced.is_working_day(d("2025-04-26")));
        assert!(off("2025-08-30", "2025-09-02"));
    }

    #[test]
    fn a_days_off_file_is_read_and_checked_by_line() {
        let d2 = DaysOff::default()
            .with_csv("date,kind,note,source\n2026-02-23,off,x,y\n\n2026-02-28,worked,x,y\n")
            .unwrap();
        assert!(!d2.is_working_day(d("2026-02-23")));
        assert!(d2.is_working_day(d("2026-02-28")));
        let e = DaysOff::default()
            .with_csv("h\n2026-02-30,off\n")
            .unwrap_err();
        assert_eq!(e.line, 2);
        let e = DaysOff::default()
            .with_csv("h\n2026-02-23,holiday\n")
            .unwrap_err();
        assert!(e.message.contains("neither"), "{e}");
        let e = DaysOff::announced()
            .with_csv("h\n2025-01-27,worked\n")
            .unwrap_err();
        assert!(e.message.contains("both"), "{e}");
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_announced_days_off() {
        let law = DaysOff::default();
        // April 2026 ends on a Thursday; 30 April and 1 May are off.
        assert_eq!(law.after_working_days(d("2026-04-30"), 5), d("2026-05-08"));
        // January 2027: Tết 6 February 2027 (a Saturday), its eve Friday.
        assert!(!law.is_working_day(d("2027-02-05")));
        assert!(!law.is_working_day(d("2027-02-09")));
        assert!(law.is_working_day(d("2027-02-10")));
        let moved = DaysOff {
            off: [d("2026-05-04")].into(),
            worked: [d("2026-05-09")].into(),
        };
        assert!(!moved.is_working_day(d("2026-05-04")));
        assert!(moved.is_working_day(d("2026-05-09")));
    }

    proptest::proptest! {
        #[test]
        fn every_lunar_year_begins_between_21_january_and_20_february(year in 1900i32..2100) {
            let tet = lunar_new_year(year).unwrap();
            proptest::prop_assert!(tet >= Date::from_ymd_opt(year, 1, 21).unwrap());
            proptest::prop_assert!(tet <= Date::from_ymd_opt(year, 2, 20).unwrap());
        }

        #[test]
        fn working_days_land_on_a_working_day_after_the_start(
            days in 0i64..20_000, n in 1u32..40,
        ) {
            let law = DaysOff::default();
            let start = d("2000-01-01") + chrono::Duration::days(days);
            let due = law.after_working_days(start, n);
            proptest::prop_assert!(due > start);
            proptest::prop_assert!(law.is_working_day(due));
            let between = start.iter_days().skip(1).take_while(|x| *x <= due)
                .filter(|x| law.is_working_day(*x)).count();
            proptest::prop_assert_eq!(between, n as usize);
        }
    }
}
