//! How pages write numbers, dates and links (Vietnamese conventions).

use ytcs_core::plan::vn::format_number;
use ytcs_core::Date;

/// Formats an integer the Vietnamese way: `10.051`.
pub(crate) fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// A date as `dd/mm/yyyy`.
pub(crate) fn date_vi(d: Date) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Percent-encodes a query or path component.
pub(crate) fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Formats an amount of đồng the Vietnamese way.
pub fn vnd(n: i64) -> String {
    format_number(n as f64, 0)
}
