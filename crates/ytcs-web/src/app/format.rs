//! How pages write numbers, dates and links (Vietnamese conventions).

/// Dates and numbers by the shared rules ([`ytcs_core::format`]).
pub(crate) use ytcs_core::format::{date as date_vi, vnd, whole as group_thousands};

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
