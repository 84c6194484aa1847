//! How ytcs writes dates and numbers for people, the Vietnamese way
//! (`02/11/2023`, `1.987.000.000`, `85,3`): one place for every page,
//! chart, report and export. Each rule of how many decimals a kind of
//! number gets is here once, named by what it is for; the figures of
//! indicators are written by [`crate::quality::format_figure`] (which
//! knows the indicator's unit) on top of [`number`].

use chrono::{DateTime, Utc};

use crate::Date;

/// Vietnam's offset from UTC (no daylight saving).
const VIETNAM_HOURS: i64 = 7;

/// `02/11/2023`.
pub fn date(d: Date) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// `02/11/2023 14:05`: a moment as the clock in Vietnam showed it.
pub fn time_in_vietnam(at: DateTime<Utc>) -> String {
    (at + chrono::Duration::hours(VIETNAM_HOURS))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// `02/11/2023 14:05:09`: [`time_in_vietnam`] to the second (the audit
/// log).
pub fn time_in_vietnam_seconds(at: DateTime<Utc>) -> String {
    (at + chrono::Duration::hours(VIETNAM_HOURS))
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

/// `value` with `decimals` digits after the comma, thousands grouped by
/// dots: `number(1987000000.0, 0) == "1.987.000.000"`,
/// `number(9.98, 2) == "9,98"`.
pub fn number(value: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, value.abs());
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::new();
    if value < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    out.push_str(&group(int_part));
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// A whole number, thousands grouped by dots: `10.051` (exact for every
/// `i64`, which a float is not).
pub fn whole(n: i64) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    out.push_str(&group(&n.unsigned_abs().to_string()));
    out
}

/// An amount of đồng: `1.987.000.000`.
pub fn vnd(n: i64) -> String {
    whole(n)
}

fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Digits after the comma a value needs, at most 2.
pub fn decimals_needed(v: f64) -> usize {
    let mut d = 0;
    while d < 2 && (v * 10f64.powi(d as i32)).fract().abs() > 1e-6 {
        d += 1;
    }
    d
}

/// A measured value in a report: rounded to two decimals, no trailing
/// zeros (`85,3`, `1.234`).
pub fn measured(v: f64) -> String {
    let v = (v * 100.0).round() / 100.0;
    number(v, decimals_needed(v))
}

/// A value on a chart: as many decimals as its size needs (none from 100
/// or for whole numbers, one from 10, else two).
pub fn on_chart(v: f64) -> String {
    let d = if v.abs() >= 100.0 || v.fract() == 0.0 {
        0
    } else if v.abs() >= 10.0 {
        1
    } else {
        2
    };
    number(v, d)
}

/// A value typed on a form, shown back: whole numbers without decimals,
/// others with one.
pub fn entered(v: f64) -> String {
    number(v, if v.fract() == 0.0 { 0 } else { 1 })
}

/// A figure of the network (a count or a rate): whole numbers of a
/// thousand or more without decimals, everything else with one (`57,0`).
pub fn count_or_rate(v: f64) -> String {
    let whole_count = v.fract() == 0.0 && v.abs() >= 1000.0;
    number(v, if whole_count { 0 } else { 1 })
}

/// A percentage with one decimal: `85,3 %`.
pub fn percent(v: f64) -> String {
    format!("{} %", number(v, 1))
}

/// A share (0–1) as a percentage with at most one decimal: `33,3`, `100`.
pub fn share(w: f64) -> String {
    let p = (w * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        number(p, 0)
    } else {
        number(p, 1)
    }
}

/// A number written by the rules above, in the English way (`2,351,284`,
/// `57.0`): the separators swapped.
pub fn in_english(vietnamese: &str) -> String {
    vietnamese
        .chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(number(1_987_000_000.0, 0), "1.987.000.000");
        assert_eq!(number(9.98, 2), "9,98");
        assert_eq!(number(-0.04, 1), "0,0");
        assert_eq!(number(-1234.5, 1), "-1.234,5");
        assert_eq!(whole(10051), "10.051");
        assert_eq!(whole(-1_987_000_000), "-1.987.000.000");
        assert_eq!(whole(i64::MIN), "-9.223.372.036.854.775.808");
        assert_eq!(vnd(34), "34");
        assert_eq!(measured(85.333), "85,33");
        assert_eq!(measured(1234.0), "1.234");
        assert_eq!(on_chart(123.4), "123");
        assert_eq!(on_chart(12.34), "12,3");
        assert_eq!(on_chart(1.234), "1,23");
        assert_eq!(entered(3.0), "3");
        assert_eq!(entered(3.25), "3,2");
        assert_eq!(count_or_rate(2_351_284.0), "2.351.284");
        assert_eq!(count_or_rate(57.0), "57,0");
        assert_eq!(percent(85.31), "85,3 %");
        assert_eq!(share(1.0 / 3.0), "33,3");
        assert_eq!(share(1.0), "100");
        assert_eq!(in_english("2.351.284,5"), "2,351,284.5");
        assert_eq!(date("2023-11-02".parse().unwrap()), "02/11/2023");
        let at = "2025-06-30T20:05:09Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(time_in_vietnam(at), "01/07/2025 03:05");
        assert_eq!(time_in_vietnam_seconds(at), "01/07/2025 03:05:09");
    }

    proptest! {
        #[test]
        fn a_whole_number_reads_back_from_its_digits(n in any::<i64>()) {
            let s = whole(n);
            let digits: String = s.chars().filter(|c| *c != '.').collect();
            prop_assert_eq!(digits.parse::<i64>().unwrap(), n);
            // Groups of three after the first.
            for g in s.trim_start_matches('-').split('.').skip(1) {
                prop_assert_eq!(g.len(), 3);
            }
        }

        #[test]
        fn number_agrees_with_whole_on_whole_values(n in -(1i64 << 52)..(1i64 << 52)) {
            prop_assert_eq!(number(n as f64, 0), whole(n));
        }
    }
}
