//! Periods as people write and read them, in Vietnamese and English:
//! "Tháng 12/2026", "Quý IV/2026", "6 tháng đầu năm 2026", "Năm 2026"
//! ([`label`]), and the many ways they are typed ([`read`]): those labels
//! with or without diacritics, "12/2026", "T12/2026", "tháng 12 năm 2026",
//! "Q4/2026", "quý 4 năm 2026", "December 2026", "Q4 2026", "H1 2026", a
//! day "15/12/2026", and the identifiers (`2026-12`, `2026Q4`, `2026S1`).
//! A form never answers 404 to a period a person typed; it reads it or
//! says it did not understand.
//!
//! [`last_closed`] is the period a report is usually for: the last one of
//! its type that has ended.

use crate::period::{Period, PeriodType};
use crate::text::fold;
use crate::Date;

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How a period is written for people: Vietnamese (`vi`) or English.
pub fn label(p: Period, vi: bool) -> String {
    match (p, vi) {
        (Period::Year(y), true) => format!("Năm {y}"),
        (Period::Year(y), false) => format!("{y}"),
        (Period::HalfYear(y, 1), true) => format!("6 tháng đầu năm {y}"),
        (Period::HalfYear(y, _), true) => format!("6 tháng cuối năm {y}"),
        (Period::HalfYear(y, h), false) => format!("H{h} {y}"),
        (Period::Quarter(y, q), true) => format!("Quý {}/{y}", ROMAN[usize::from(q - 1)]),
        (Period::Quarter(y, q), false) => format!("Q{q} {y}"),
        (Period::Month(y, m), true) => format!("Tháng {m}/{y}"),
        (Period::Month(y, m), false) => format!("{} {y}", MONTHS_EN[usize::from(m - 1)]),
        (Period::Day(d), true) => crate::format::date(d),
        (Period::Day(d), false) => d.format("%-d %B %Y").to_string(),
    }
}

/// The last period of type `t` that has ended by `today` (the month
/// before this one, last quarter, last year …).
pub fn last_closed(t: PeriodType, today: Date) -> Period {
    Period::containing(today, t).previous()
}

/// The `n` periods of type `t` up to the last closed one, newest first,
/// then the running one first of all when `with_running` (a station may
/// start a month's form before it ends).
pub fn recent(t: PeriodType, today: Date, n: usize, with_running: bool) -> Vec<Period> {
    let mut out = Vec::with_capacity(n + 1);
    if with_running {
        out.push(Period::containing(today, t));
    }
    let mut p = last_closed(t, today);
    for _ in 0..n {
        out.push(p);
        p = p.previous();
    }
    out
}

/// Working days a commune station has to send a period's statistical
/// report after the period ends (Thông tư 37/2019/TT-BYT, Điều 7; the
/// same 5 days in Thông tư 23/2025/TT-BYT).
pub const COMMUNE_REPORT_WORKING_DAYS: u32 = 5;

/// The day a report of `p` is due: `working_days` working days after the
/// period's last day, skipping weekends, the public holidays of the
/// Labour Code with their days in lieu ([`crate::calendar`]; Tết by the
/// Vietnamese lunar calendar) and the days the government moved in the
/// years known ([`crate::calendar::DaysOff::announced`]).
pub fn report_due(p: Period, working_days: u32) -> Date {
    crate::calendar::DaysOff::announced().after_working_days(p.end(), working_days)
}

/// Reads a period as a person types it (see the module's examples);
/// `None` when the text names no period, or names more than one way.
pub fn read(text: &str) -> Option<Period> {
    if let Ok(p) = text.trim().parse::<Period>() {
        return Some(p);
    }
    let folded = fold(text);
    // Words and numbers: "quy iv/2026" → ["quy", "iv", "2026"]; a letter
    // glued to a number ("t12", "q4", "h1") is split from it.
    let mut tokens: Vec<String> = Vec::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
        let split = word
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map(|(i, _)| i)
            .filter(|i| *i > 0 && word[*i..].bytes().all(|b| b.is_ascii_digit()));
        match split {
            Some(i) => {
                tokens.push(word[..i].to_string());
                tokens.push(word[i..].to_string());
            }
            None if !word.is_empty() => tokens.push(word.to_string()),
            None => {}
        }
    }
    let number = |s: &str| -> Option<u32> {
        (s.len() <= 4 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // The year: the one number of four digits.
    let years: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.len() == 4 && number(t).is_some())
        .map(|(i, _)| i)
        .collect();
    let [at] = years[..] else { return None };
    let y = i32::try_from(number(&tokens[at])?).ok()?;
    let before: Vec<&str> = tokens[..at].iter().map(String::as_str).collect();
    let after: Vec<&str> = tokens[at + 1..].iter().map(String::as_str).collect();
    // A year followed by anything is not a period we know ("2026 abc").
    if !after.is_empty() {
        return None;
    }
    let has = |w: &str| before.contains(&w);
    let small = |s: &str| -> Option<u8> {
        number(s).and_then(|n| u8::try_from(n).ok()).or_else(|| {
            ROMAN
                .iter()
                .position(|r| r.eq_ignore_ascii_case(s))
                .and_then(|i| u8::try_from(i + 1).ok())
        })
    };
    // The last number before the year, and the one before it (a day).
    let numbers: Vec<&str> = before
        .iter()
        .copied()
        .filter(|t| number(t).is_some() || ROMAN.iter().any(|r| r.eq_ignore_ascii_case(t)))
        .collect();
    let words: Vec<&str> = before
        .iter()
        .copied()
        .filter(|t| number(t).is_none())
        .collect();
    if has("quy") || has("q") || has("quarter") {
        let q = small(numbers.last()?)?;
        return Period::quarter(y, q);
    }
    if has("h") || (has("thang") && (has("dau") || has("cuoi"))) || has("half") {
        if has("dau") || has("first") {
            return Period::half_year(y, 1);
        }
        if has("cuoi") || has("second") {
            return Period::half_year(y, 2);
        }
        return Period::half_year(y, small(numbers.last()?)?);
    }
    if let Some(m) = words.iter().find_map(|w| month_en(w)) {
        return match numbers.as_slice() {
            [] => Period::month(y, m),
            [d] => Period::day(Date::from_ymd_opt(y, u32::from(m), u32::from(small(d)?))?),
            _ => None,
        };
    }
    match numbers.as_slice() {
        [] if words.iter().all(|w| matches!(*w, "nam" | "year")) => Period::year(y),
        [m] if words
            .iter()
            .all(|w| matches!(*w, "thang" | "t" | "nam" | "month")) =>
        {
            Period::month(y, small(m)?)
        }
        [d, m] if words.iter().all(|w| matches!(*w, "ngay" | "thang" | "nam")) => {
            let day = Date::from_ymd_opt(y, u32::from(small(m)?), u32::from(small(d)?))?;
            Period::day(day)
        }
        _ => None,
    }
}

/// A month named in English, in full or by its first three letters.
fn month_en(word: &str) -> Option<u8> {
    if word.len() < 3 {
        return None;
    }
    MONTHS_EN
        .iter()
        .position(|m| {
            let m = m.to_ascii_lowercase();
            m == word || (word.len() == 3 && m.starts_with(word))
        })
        .and_then(|i| u8::try_from(i + 1).ok())
}

/// The period of a data set of type `t` that a typed text means: the
/// period itself, or — for a day or a month typed for a longer period —
/// the one of type `t` that contains it ("15/12/2026" for a monthly form
/// is December). `None` when the text names no period or a longer one.
pub fn read_for(text: &str, t: PeriodType) -> Option<Period> {
    let p = read(text)?;
    (p.period_type() <= t).then(|| p.enclosing(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn people_s_ways_of_writing_a_period_are_read() {
        let dec = Period::Month(2026, 12);
        for t in [
            "2026-12",
            "12/2026",
            "T12/2026",
            "t12-2026",
            "Tháng 12/2026",
            "tháng 12 năm 2026",
            "thang 12 nam 2026",
            " 12 / 2026 ",
            "December 2026",
            "dec 2026",
        ] {
            assert_eq!(read(t), Some(dec), "{t}");
        }
        let q4 = Period::Quarter(2026, 4);
        for t in [
            "Quý IV/2026",
            "quy iv 2026",
            "Q4/2026",
            "q4 2026",
            "2026Q4",
            "quý 4 năm 2026",
        ] {
            assert_eq!(read(t), Some(q4), "{t}");
        }
        assert_eq!(
            read("6 tháng đầu năm 2026"),
            Some(Period::HalfYear(2026, 1))
        );
        assert_eq!(
            read("6 thang cuoi nam 2026"),
            Some(Period::HalfYear(2026, 2))
        );
        assert_eq!(read("H2 2026"), Some(Period::HalfYear(2026, 2)));
        assert_eq!(read("Năm 2026"), Some(Period::Year(2026)));
        assert_eq!(read("2026"), Some(Period::Year(2026)));
        assert_eq!(read("15/12/2026"), Some(Period::Day(d("2026-12-15"))));
        for bad in [
            "",
            "hôm qua",
            "13/2026",
            "Quý V/2026",
            "12/2026/2027",
            "2026 abc",
            "31/02/2026",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_day_typed_for_a_monthly_form_is_its_month_and_a_year_is_refused() {
        assert_eq!(
            read_for("15/12/2026", PeriodType::Month),
            Some(Period::Month(2026, 12))
        );
        assert_eq!(read_for("Năm 2026", PeriodType::Month), None);
        assert_eq!(
            read_for("Tháng 3/2026", PeriodType::Year),
            Some(Period::Year(2026))
        );
    }

    #[test]
    fn a_report_is_due_five_working_days_after_its_period() {
        // November 2026 ends on a Monday: Tuesday to Friday, then Monday.
        assert_eq!(
            report_due(Period::Month(2026, 11), COMMUNE_REPORT_WORKING_DAYS),
            d("2026-12-07")
        );
        // October 2026 ends on a Saturday: the next Monday to Friday.
        assert_eq!(report_due(Period::Month(2026, 10), 5), d("2026-11-06"));
        // April 2026: 1 May is a holiday (weekdays alone gave 7 May).
        assert_eq!(report_due(Period::Month(2026, 4), 5), d("2026-05-08"));
        // January 2027 ends on a Sunday: 1–4 February, then Tết's eve
        // (Friday 5) and mùng 1–4 (6–9): Wednesday 10.
        assert_eq!(report_due(Period::Month(2027, 1), 5), d("2027-02-10"));
        // April 2025: 30 April – 4 May off (2 May moved to 26 April).
        assert_eq!(report_due(Period::Month(2025, 4), 5), d("2025-05-09"));
    }

    #[test]
    fn the_last_closed_period_is_the_one_before_today_s() {
        let today = d("2026-12-06");
        assert_eq!(
            last_closed(PeriodType::Month, today),
            Period::Month(2026, 11)
        );
        assert_eq!(
            last_closed(PeriodType::Quarter, today),
            Period::Quarter(2026, 3)
        );
        assert_eq!(last_closed(PeriodType::Year, today), Period::Year(2025));
        assert_eq!(
            recent(PeriodType::Month, today, 2, true),
            [
                Period::Month(2026, 12),
                Period::Month(2026, 11),
                Period::Month(2026, 10)
            ]
        );
    }

    proptest! {
        #[test]
        fn every_label_reads_back(y in 2000i32..2100, kind in 0u8..5, m in 1u8..=12, day in 1u32..=28) {
            let p = match kind {
                0 => Period::Year(y),
                1 => Period::HalfYear(y, 1 + (m - 1) / 6),
                2 => Period::Quarter(y, 1 + (m - 1) / 3),
                3 => Period::Month(y, m),
                _ => Period::Day(Date::from_ymd_opt(y, u32::from(m), day).unwrap()),
            };
            prop_assert_eq!(read(&label(p, true)), Some(p));
            prop_assert_eq!(read(&fold(&label(p, true))), Some(p));
            prop_assert_eq!(read(&label(p, false)), Some(p));
            prop_assert_eq!(read(&p.to_string()), Some(p));
        }

        #[test]
        fn any_text_is_read_or_refused_without_a_panic(s in "\\PC{0,40}") {
            let _ = read(&s);
        }
    }
}
