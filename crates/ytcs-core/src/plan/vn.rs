//! Pure parsers for the Vietnamese of administrative documents: numbers
//! (`1.987.000.000`, `9,98`), money (`2,5 tỷ`), dates (`01/7/2025`,
//! `ngày 21 tháng 11 năm 2025`), comparators (`còn dưới`, `tối thiểu`),
//! frequencies (`hằng năm`) and timeframes (`quý IV/2024`,
//! `trước ngày 15/12 hằng năm`, `Thường xuyên`).
//!
//! Every function is total: it returns `None` (or an `unspecified`
//! timeframe) on input it does not understand and never panics.

use crate::plan::{Comparator, Frequency, Timeframe, TimeframeKind};
use crate::text::fold;
use crate::Date;

/// A decimal number kept exactly: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    /// All digits as one integer.
    pub mantissa: i128,
    /// How many of them are after the decimal mark.
    pub scale: u32,
}

impl Decimal {
    /// The value as a float.
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(self.scale as i32)
    }

    /// The value times `factor`, rounded to an integer, if it fits in `i64`.
    pub fn times(self, factor: i64) -> Option<i64> {
        let scaled = self.mantissa.checked_mul(factor as i128)?;
        let div = 10i128.checked_pow(self.scale)?;
        let q = scaled / div;
        let r = scaled % div;
        let q = if r * 2 >= div { q + 1 } else { q };
        i64::try_from(q).ok()
    }
}

/// Parses a number written the Vietnamese way: `.` groups thousands, `,` is
/// the decimal mark. `1.987.000.000` → 1987000000, `9,98` → 9.98,
/// `01` → 1. A single `.` not followed by exactly three digits is read as a
/// decimal point (`1.5`), as careless typing does.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    let chars: Vec<char> = s.chars().collect();
    if !chars
        .iter()
        .all(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
    {
        return None;
    }
    if !chars.first().is_some_and(|c| c.is_ascii_digit())
        || !chars.last().is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let dots = chars.iter().filter(|c| **c == '.').count();
    let commas = chars.iter().filter(|c| **c == ',').count();
    if commas > 1 {
        // English grouping "1,987,000": only if every group has three digits.
        if dots == 0 && groups_of_three(s, ',') {
            return digits_to_decimal(&s.replace(',', ""), 0);
        }
        return None;
    }
    let (int_part, frac_part) = match s.split_once(',') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if frac_part.contains('.') {
        return None;
    }
    let int_digits = if dots == 0 {
        int_part.to_string()
    } else if groups_of_three(int_part, '.') {
        int_part.replace('.', "")
    } else if dots == 1 && commas == 0 {
        // "1.5": a decimal point.
        let (i, f) = int_part.split_once('.')?;
        return digits_to_decimal(&format!("{i}{f}"), f.len() as u32);
    } else {
        return None;
    };
    digits_to_decimal(&format!("{int_digits}{frac_part}"), frac_part.len() as u32)
}

fn groups_of_three(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let Some(first) = parts.next() else {
        return false;
    };
    if first.is_empty() || first.len() > 3 {
        return false;
    }
    parts.all(|p| p.len() == 3)
}

fn digits_to_decimal(digits: &str, scale: u32) -> Option<Decimal> {
    if digits.is_empty() || digits.len() > 30 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    Some(Decimal { mantissa, scale })
}

/// Parses a Vietnamese number to a float (see [`parse_decimal`]).
pub fn parse_number(s: &str) -> Option<f64> {
    parse_decimal(s).map(Decimal::to_f64)
}

/// Writes a number the Vietnamese way (see [`crate::format::number`]).
pub use crate::format::number as format_number;

/// The multiplier to đồng of a money word: `đồng`/`VNĐ` 1, `nghìn` 10³,
/// `triệu` 10⁶, `tỷ` 10⁹. Matches on the first word of `word`.
pub fn money_scale(word: &str) -> Option<i64> {
    let f = fold(word);
    let f = f.trim_start_matches(|c: char| c == '(' || c.is_whitespace());
    if f.starts_with("ty") {
        Some(1_000_000_000)
    } else if f.starts_with("trieu") {
        Some(1_000_000)
    } else if f.starts_with("nghin") || f.starts_with("ngan") {
        Some(1_000)
    } else if f.starts_with("dong")
        || f.starts_with("vnd")
        || f.starts_with("vnđ")
        || f.starts_with('đ')
    {
        Some(1)
    } else {
        None
    }
}

/// An amount of money in đồng from a number and its money word:
/// `amount_vnd("2,5", "tỷ VNĐ") == Some(2_500_000_000)`.
pub fn amount_vnd(number: &str, word: &str) -> Option<i64> {
    parse_decimal(number)?.times(money_scale(word)?)
}

/// Parses a date: `01/7/2025`, `13-02-2023`, `ngày 21 tháng 11 năm 2025`,
/// `05 tháng 6 năm 2007`. Returns `None` when any part is missing or the
/// date does not exist.
pub fn parse_date(s: &str) -> Option<Date> {
    let chars: Vec<char> = fold(s).chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i).is_some_and(|c| c.is_ascii_digit())
            && (i == 0 || !chars.get(i - 1).is_some_and(|c| c.is_ascii_digit()))
        {
            if let Some((d, _)) = read_date_at(&chars, i) {
                return Some(d);
            }
        }
        i += 1;
    }
    None
}

/// Reads a full date starting at char `i` (a digit); returns it and the
/// index after it.
fn read_date_at(chars: &[char], i: usize) -> Option<(Date, usize)> {
    let (day, j) = read_int(chars, i, 2)?;
    // numeric form d/m/yyyy
    if let Some(sep) = chars
        .get(j)
        .copied()
        .filter(|c| matches!(c, '/' | '-' | '.'))
    {
        let (month, k) = read_int(chars, j + 1, 2)?;
        if chars.get(k).copied() != Some(sep) {
            return None;
        }
        let (year, l) = read_int(chars, k + 1, 4)?;
        if !(1900..=2200).contains(&year) || l - (k + 1) != 4 {
            return None;
        }
        return Date::from_ymd_opt(year as i32, month, day).map(|d| (d, l));
    }
    // worded form "21 thang 11 nam 2025"
    let k = expect_word(chars, j, "thang")?;
    let (month, k) = read_int(chars, skip_spaces(chars, k), 2)?;
    let l = expect_word(chars, k, "nam")?;
    let (year, l2) = read_int(chars, skip_spaces(chars, l), 4)?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Date::from_ymd_opt(year as i32, month, day).map(|d| (d, l2))
}

/// Reads a day and month without a year: `15/12` → (15, 12).
pub fn parse_day_month(s: &str) -> Option<(u8, u8)> {
    let chars: Vec<char> = fold(s).chars().collect();
    let start = chars.iter().position(|c| c.is_ascii_digit())?;
    let (d, j) = read_int(&chars, start, 2)?;
    if let Some(k) = expect_word(&chars, j, "thang") {
        let (m, _) = read_int(&chars, skip_spaces(&chars, k), 2)?;
        return valid_day_month(d, m);
    }
    if !matches!(chars.get(j), Some('/') | Some('-') | Some('.')) {
        return None;
    }
    let (m, _) = read_int(&chars, j + 1, 2)?;
    valid_day_month(d, m)
}

fn valid_day_month(d: u32, m: u32) -> Option<(u8, u8)> {
    if (1..=31).contains(&d) && (1..=12).contains(&m) {
        Some((d as u8, m as u8))
    } else {
        None
    }
}

fn skip_spaces(chars: &[char], mut i: usize) -> usize {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// After optional spaces, expects `word` (folded); returns the index after it.
fn expect_word(chars: &[char], i: usize, word: &str) -> Option<usize> {
    let mut k = skip_spaces(chars, i);
    for w in word.chars() {
        if chars.get(k).copied() != Some(w) {
            return None;
        }
        k += 1;
    }
    if chars.get(k).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    Some(k)
}

/// Reads up to `max` ASCII digits at `i`.
fn read_int(chars: &[char], i: usize, max: usize) -> Option<(u32, usize)> {
    let mut v: u32 = 0;
    let mut k = i;
    while k < chars.len() && k - i < max {
        match chars.get(k).and_then(|c| c.to_digit(10)) {
            Some(d) => {
                v = v * 10 + d;
                k += 1;
            }
            None => break,
        }
    }
    if k == i || chars.get(k).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((v, k))
}

/// Parses a Roman numeral (I … XXXIX) as used for top-level sections.
pub fn parse_roman(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    let mut total = 0u32;
    let mut prev = 0u32;
    for c in s.chars().rev() {
        let v = match c.to_ascii_uppercase() {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            _ => return None,
        };
        if v < prev {
            total = total.checked_sub(v)?;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// The comparator named by the words just before a value
/// (`đạt trên`, `còn dưới`, `tối thiểu`, `≤`, `duy trì`, `giảm`), or `None`
/// when the words name none.
pub fn parse_comparator(cue: &str) -> Option<Comparator> {
    let f = fold(cue);
    let colon = f.trim_end().ends_with(':');
    let f = f.trim().trim_end_matches(':').trim();
    let ends = |w: &str| f == w || f.ends_with(&format!(" {w}"));
    let has = |w: &str| {
        f == w
            || f.starts_with(&format!("{w} "))
            || f.ends_with(&format!(" {w}"))
            || f.contains(&format!(" {w} "))
    };
    if f.ends_with('≥')
        || f.ends_with(">=")
        || ends("toi thieu")
        || ends("it nhat")
        || ends("tu") && has("tro len")
    {
        return Some(Comparator::Ge);
    }
    if f.ends_with('≤')
        || f.ends_with("<=")
        || ends("khong qua")
        || ends("toi da")
        || ends("khong vuot qua")
        || ends("duoi hoac bang")
    {
        return Some(Comparator::Le);
    }
    if f.ends_with('>') || ends("tren") || ends("hon") || ends("cao hon") || ends("vuot") {
        return Some(Comparator::Gt);
    }
    if f.ends_with('<') || ends("duoi") || ends("thap hon") {
        return Some(Comparator::Lt);
    }
    if ends("khoang") || ends("xap xi") || ends("gan") || ends("binh quan khoang") {
        return Some(Comparator::About);
    }
    if has("duy tri") {
        return Some(Comparator::Maintain);
    }
    if (ends("giam") || has("giam") && !has("con")) && !has("con") {
        return Some(Comparator::ReduceBy);
    }
    if ends("tang") || ends("tang them") || ends("tang len") {
        return Some(Comparator::IncreaseBy);
    }
    if ends("dat")
        || ends("la")
        || ends("bang")
        || ends("con")
        || colon
        || ends("dat muc")
        || ends("o muc")
        || ends("chiem")
        || ends("du kien")
        || ends("xuong")
    {
        return Some(Comparator::Eq);
    }
    if ends("du") {
        return Some(Comparator::Ge);
    }
    None
}

/// The frequency named in a phrase (`hằng năm`, `định kỳ 6 tháng`,
/// `hằng quý`), if any.
pub fn parse_frequency(text: &str) -> Option<Frequency> {
    let f = fold(text);
    if f.contains("6 thang")
        || f.contains("sau thang")
        || f.contains("nua nam")
        || f.contains("06 thang")
    {
        Some(Frequency::Semiannual)
    } else if f.contains("hang quy") || f.contains("moi quy") {
        Some(Frequency::Quarterly)
    } else if f.contains("hang thang") || f.contains("moi thang") {
        Some(Frequency::Monthly)
    } else if f.contains("hang tuan") || f.contains("moi tuan") {
        Some(Frequency::Weekly)
    } else if f.contains("hang nam")
        || f.contains("moi nam")
        || f.contains("thuong nien")
        || f.contains("cuoi nam")
    {
        Some(Frequency::Annual)
    } else if f.contains("dinh ky") {
        Some(Frequency::Periodic)
    } else {
        None
    }
}

/// Parses the timeframe of a task as written (`Thường xuyên`,
/// `Trong quý II/2024`, `trước ngày 01/7/2025`, `Năm 2019`,
/// `hằng năm trước 15/12`, `từ năm 2021 đến năm 2025`).
///
/// Returns the last deadline named (the timeframe) and all of them in order
/// (the milestones). With none recognised: `unspecified` with the text kept.
pub fn parse_timeframe(text: &str) -> (Timeframe, Vec<Timeframe>) {
    let written = text.trim().to_string();
    // Folded characters, each with the index of the original character it
    // came from, so spans can be cut from the text as written.
    let orig: Vec<char> = text.chars().collect();
    let mut chars: Vec<char> = Vec::with_capacity(orig.len());
    let mut back: Vec<usize> = Vec::with_capacity(orig.len());
    for (oi, c) in orig.iter().enumerate() {
        if c.is_whitespace() {
            chars.push(' ');
            back.push(oi);
            continue;
        }
        for fc in fold(&c.to_string()).chars() {
            chars.push(fc);
            back.push(oi);
        }
    }
    let span = |from: usize, to: usize| -> String {
        let a = back.get(from).copied().unwrap_or(orig.len());
        let b = if to >= back.len() {
            orig.len()
        } else {
            back.get(to).copied().unwrap_or(orig.len())
        };
        orig.get(a..b.max(a))
            .map(|s| s.iter().collect::<String>())
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut events: Vec<Timeframe> = Vec::new();
    let annual = parse_frequency(text);
    let mut i = 0;
    while i < chars.len() {
        let at_word = i == 0 || !chars.get(i - 1).is_some_and(|c| c.is_alphanumeric());
        if !at_word {
            i += 1;
            continue;
        }
        if let Some(k) = expect_word(&chars, i, "thuong") {
            if let Some(k2) = expect_word(&chars, k, "xuyen") {
                events.push(Timeframe::new(TimeframeKind::Ongoing, span(i, k2)));
                i = k2;
                continue;
            }
        }
        if let Some(k) = expect_word(&chars, i, "quy") {
            let k = skip_spaces(&chars, k);
            let (q, k2) = read_quarter(&chars, k).unwrap_or((0, k));
            if q > 0 {
                let k3 = match chars.get(k2) {
                    Some('/') | Some('-') => Some(k2 + 1),
                    _ => expect_word(&chars, k2, "nam").map(|x| skip_spaces(&chars, x)),
                };
                if let Some((y, k4)) = k3
                    .and_then(|k3| read_int(&chars, k3, 4))
                    .filter(|(y, _)| *y >= 1900)
                {
                    let mut t = Timeframe::new(TimeframeKind::Quarter, span(i, k4));
                    t.year = Some(y as i32);
                    t.quarter = Some(q);
                    events.push(t);
                    i = k4;
                    continue;
                }
            }
        }
        if let Some(k) = expect_word(&chars, i, "truoc")
            .or_else(|| expect_word(&chars, i, "den"))
            .or_else(|| expect_word(&chars, i, "cham nhat"))
        {
            let k = expect_word(&chars, k, "ngay").unwrap_or(k);
            let k = skip_spaces(&chars, k);
            if let Some((d, k2)) = read_date_at(&chars, k) {
                let mut t = Timeframe::new(TimeframeKind::Before, span(i, k2));
                t.date = Some(d);
                events.push(t);
                i = k2;
                continue;
            }
            if let Some((day, month, k2)) = read_day_month_at(&chars, k) {
                let mut t = Timeframe::new(TimeframeKind::Recurring, span(i, k2));
                t.frequency = Some(annual.unwrap_or(Frequency::Annual));
                t.month = Some(month);
                t.day = Some(day);
                events.push(t);
                i = k2;
                continue;
            }
        }
        if let Some(k) =
            expect_word(&chars, i, "tu").or_else(|| expect_word(&chars, i, "giai doan"))
        {
            let k = expect_word(&chars, k, "nam").unwrap_or(k);
            let k = skip_spaces(&chars, k);
            if let Some((y1, k2)) =
                read_int(&chars, k, 4).filter(|(y, _)| (1900..=2200).contains(y))
            {
                let k3 = skip_spaces(&chars, k2);
                let k4 = match chars.get(k3) {
                    Some('-') | Some('–') => Some(skip_spaces(&chars, k3 + 1)),
                    _ => expect_word(&chars, k3, "den")
                        .map(|x| skip_spaces(&chars, expect_word(&chars, x, "nam").unwrap_or(x))),
                };
                if let Some((y2, k5)) = k4
                    .and_then(|k4| read_int(&chars, k4, 4))
                    .filter(|(y, _)| (1900..=2200).contains(y))
                {
                    let mut t = Timeframe::new(TimeframeKind::Range, span(i, k5));
                    t.from = Date::from_ymd_opt(y1 as i32, 1, 1);
                    t.to = Date::from_ymd_opt(y2 as i32, 12, 31);
                    events.push(t);
                    i = k5;
                    continue;
                }
            }
        }
        if let Some(k) = expect_word(&chars, i, "thang") {
            let k = skip_spaces(&chars, k);
            if let Some((m, k2)) = read_int(&chars, k, 2).filter(|(m, _)| (1..=12).contains(m)) {
                let k3 = match chars.get(k2) {
                    Some('/') => Some(k2 + 1),
                    _ => expect_word(&chars, k2, "nam").map(|x| skip_spaces(&chars, x)),
                };
                if let Some((y, k4)) = k3
                    .and_then(|k3| read_int(&chars, k3, 4))
                    .filter(|(y, _)| (1900..=2200).contains(y))
                {
                    let mut t = Timeframe::new(TimeframeKind::Month, span(i, k4));
                    t.year = Some(y as i32);
                    t.month = Some(m as u8);
                    events.push(t);
                    i = k4;
                    continue;
                }
                if annual.is_some() {
                    let mut t = Timeframe::new(TimeframeKind::Recurring, span(i, k2));
                    t.frequency = annual;
                    t.month = Some(m as u8);
                    events.push(t);
                    i = k2;
                    continue;
                }
            }
        }
        if let Some(k) = expect_word(&chars, i, "nam") {
            let k = skip_spaces(&chars, k);
            if let Some((y, k2)) = read_int(&chars, k, 4).filter(|(y, _)| (1900..=2200).contains(y))
            {
                let mut t = Timeframe::new(TimeframeKind::Year, span(i, k2));
                t.year = Some(y as i32);
                events.push(t);
                i = k2;
                continue;
            }
        }
        i += 1;
    }
    if events.is_empty() {
        if let Some(freq) = annual {
            let mut t = Timeframe::new(TimeframeKind::Recurring, written.clone());
            t.frequency = Some(freq);
            return (t.clone(), vec![t]);
        }
        let mut t = Timeframe::unspecified();
        t.text = written;
        return (t, Vec::new());
    }
    // An annual cue turns a lone "before 15/12" into a recurring deadline.
    let last = events
        .last()
        .cloned()
        .unwrap_or_else(Timeframe::unspecified);
    let mut tf = last;
    if events.len() == 1 {
        tf.text = written;
    }
    (tf, events)
}

fn read_quarter(chars: &[char], i: usize) -> Option<(u8, usize)> {
    if let Some((q, k)) = read_int(chars, i, 1) {
        return (1..=4).contains(&q).then_some((q as u8, k));
    }
    let mut k = i;
    let mut s = String::new();
    while let Some(c) = chars.get(k).filter(|c| matches!(c, 'i' | 'v')) {
        s.push(*c);
        k += 1;
    }
    let q = parse_roman(&s)?;
    (1..=4).contains(&q).then_some((q as u8, k))
}

fn read_day_month_at(chars: &[char], i: usize) -> Option<(u8, u8, usize)> {
    let (d, j) = read_int(chars, i, 2)?;
    if let Some(k) = expect_word(chars, j, "thang") {
        let (m, k2) = read_int(chars, skip_spaces(chars, k), 2)?;
        let (d, m) = valid_day_month(d, m)?;
        return Some((d, m, k2));
    }
    if !matches!(chars.get(j), Some('/') | Some('-')) {
        return None;
    }
    let (m, k) = read_int(chars, j + 1, 2)?;
    if matches!(chars.get(k), Some('/') | Some('-'))
        && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    let (d, m) = valid_day_month(d, m)?;
    Some((d, m, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vietnamese_numbers_group_with_dots_and_decimal_with_comma() {
        assert_eq!(parse_number("1.987.000.000"), Some(1_987_000_000.0));
        assert_eq!(parse_number("9,98"), Some(9.98));
        assert_eq!(parse_number("01"), Some(1.0));
        assert_eq!(parse_number("1.021"), Some(1021.0));
        assert_eq!(parse_number("14,5"), Some(14.5));
        assert_eq!(parse_number("1.5"), Some(1.5));
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("abc"), None);
    }

    #[test]
    fn money_words_scale_to_dong() {
        assert_eq!(amount_vnd("2,5", "tỷ VNĐ"), Some(2_500_000_000));
        assert_eq!(amount_vnd("1.987.000.000", "đồng"), Some(1_987_000_000));
        assert_eq!(amount_vnd("8.000", "triệu đồng"), Some(8_000_000_000));
        assert_eq!(amount_vnd("3", "con"), None);
    }

    #[test]
    fn dates_numeric_and_worded() {
        assert_eq!(parse_date("01/7/2025"), Date::from_ymd_opt(2025, 7, 1));
        assert_eq!(
            parse_date("ngày 21 tháng 11 năm 2025"),
            Date::from_ymd_opt(2025, 11, 21)
        );
        assert_eq!(
            parse_date("05 tháng 6 năm 2007"),
            Date::from_ymd_opt(2007, 6, 5)
        );
        assert_eq!(parse_date("ngày tháng 01 năm 2024"), None);
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_day_month("15/12"), Some((15, 12)));
        assert_eq!(parse_day_month("15 tháng 12"), Some((15, 12)));
    }

    #[test]
    fn comparators_from_cue_words() {
        assert_eq!(parse_comparator("đạt trên"), Some(Comparator::Gt));
        assert_eq!(parse_comparator("còn dưới"), Some(Comparator::Lt));
        assert_eq!(parse_comparator("tối thiểu"), Some(Comparator::Ge));
        assert_eq!(parse_comparator("còn ≤"), Some(Comparator::Le));
        assert_eq!(parse_comparator("đạt khoảng"), Some(Comparator::About));
        assert_eq!(parse_comparator("duy trì"), Some(Comparator::Maintain));
        assert_eq!(parse_comparator("đạt"), Some(Comparator::Eq));
        assert_eq!(parse_comparator("giảm"), Some(Comparator::ReduceBy));
        assert_eq!(parse_comparator("xin chào"), None);
    }

    #[test]
    fn timeframes_of_tasks() {
        let (t, _) = parse_timeframe("Thường xuyên.");
        assert_eq!(t.kind, TimeframeKind::Ongoing);
        let (t, _) = parse_timeframe("Trong quý II/2024.");
        assert_eq!(
            (t.kind, t.year, t.quarter),
            (TimeframeKind::Quarter, Some(2024), Some(2))
        );
        let (t, m) = parse_timeframe(
            "trình cấp thẩm quyền phê duyệt trong quý IV/2024 và hoàn thành trước ngày 01/7/2025",
        );
        assert_eq!(t.kind, TimeframeKind::Before);
        assert_eq!(t.date, Date::from_ymd_opt(2025, 7, 1));
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].quarter, Some(4));
        let (t, _) = parse_timeframe("trước ngày 15/12 hằng năm");
        assert_eq!(
            (t.kind, t.month, t.day, t.frequency),
            (
                TimeframeKind::Recurring,
                Some(12),
                Some(15),
                Some(Frequency::Annual)
            )
        );
        let (t, _) = parse_timeframe("Năm 2019.");
        assert_eq!((t.kind, t.year), (TimeframeKind::Year, Some(2019)));
        let (t, _) = parse_timeframe("Theo hướng dẫn của Trung ương");
        assert_eq!(t.kind, TimeframeKind::Unspecified);
        let (t, _) = parse_timeframe("giai đoạn 2021-2025");
        assert_eq!(t.kind, TimeframeKind::Range);
    }

    proptest! {
        #[test]
        fn formatted_integers_parse_back(n in 0u64..1_000_000_000_000u64) {
            let s = format_number(n as f64, 0);
            prop_assert_eq!(parse_decimal(&s).and_then(|d| d.times(1)), Some(n as i64));
        }

        #[test]
        fn formatted_decimals_parse_back(n in 0u32..10_000_000u32) {
            let v = n as f64 / 100.0;
            let s = format_number(v, 2);
            let back = parse_number(&s).unwrap_or(f64::NAN);
            prop_assert!((back - v).abs() < 1e-6, "{} -> {} -> {}", v, s, back);
        }

        #[test]
        fn numeric_dates_parse_back(y in 1950i32..2100, m in 1u32..=12, d in 1u32..=28, pad in proptest::bool::ANY) {
            let s = if pad { format!("{d:02}/{m:02}/{y}") } else { format!("{d}/{m}/{y}") };
            prop_assert_eq!(parse_date(&s), Date::from_ymd_opt(y, m, d));
            let w = format!("ngày {d} tháng {m} năm {y}");
            prop_assert_eq!(parse_date(&w), Date::from_ymd_opt(y, m, d));
        }

        #[test]
        fn quarters_parse_back(q in 1u8..=4, y in 2000i32..2100) {
            let roman = ["I", "II", "III", "IV"][(q - 1) as usize];
            let (t, _) = parse_timeframe(&format!("quý {roman}/{y}"));
            prop_assert_eq!((t.kind, t.quarter, t.year), (TimeframeKind::Quarter, Some(q), Some(y)));
        }

        #[test]
        fn recurring_deadlines_parse_back(d in 1u8..=28, m in 1u8..=12) {
            let (t, _) = parse_timeframe(&format!("trước ngày {d}/{m} hằng năm"));
            prop_assert_eq!((t.kind, t.day, t.month), (TimeframeKind::Recurring, Some(d), Some(m)));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,60}") {
            let _ = parse_number(&s);
            let _ = parse_date(&s);
            let _ = parse_day_month(&s);
            let _ = parse_comparator(&s);
            let _ = parse_timeframe(&s);
            let _ = parse_frequency(&s);
            let _ = amount_vnd(&s, &s);
            let _ = parse_roman(&s);
        }

        #[test]
        fn comparator_words_are_recognised(pre in "(Tỷ lệ [a-z ]{0,10} )?", word in "(trên|dưới|tối thiểu|không quá|khoảng|duy trì)") {
            let expected = match word.as_str() {
                "trên" => Comparator::Gt, "dưới" => Comparator::Lt, "tối thiểu" => Comparator::Ge,
                "không quá" => Comparator::Le, "khoảng" => Comparator::About, _ => Comparator::Maintain,
            };
            prop_assert_eq!(parse_comparator(&format!("{pre}{word}")), Some(expected));
        }
    }
}

#[cfg(test)]
mod frequency_tests {
    use super::*;

    #[test]
    fn frequency_words() {
        assert_eq!(
            parse_frequency("Định kỳ hằng năm (trước ngày 15 tháng 12) hoặc đột xuất (khi có yêu cầu), báo cáo kết quả thực hiện về Trung tâm Y tế để theo dõi, tổng hợp báo cáo theo quy định"),
            Some(Frequency::Annual)
        );
        assert_eq!(
            parse_frequency("định kỳ báo cáo theo quy định"),
            Some(Frequency::Periodic)
        );
        let (t, m) = parse_timeframe(
            "tham mưu hoàn thành Đề án trong quý IV/2024 và hoàn thành trước ngày 01/7/2025.",
        );
        assert_eq!(m[0].text, "quý IV/2024");
        assert_eq!(t.text, "trước ngày 01/7/2025");
    }
}
