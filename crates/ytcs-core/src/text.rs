//! Vietnamese-aware text matching: NFC normalisation and diacritic folding.
//!
//! [`fold`] is how names are compared everywhere (units, indicators,
//! persons): lower case, marks removed, `đ` as `d`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Normalises text to Unicode NFC, the form stored and compared everywhere.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Folds text for diacritic-insensitive matching: lower case, tone and vowel
/// marks removed, `đ`/`Đ` mapped to `d`, runs of white space collapsed.
///
/// `fold("Xã Đắk Rve") == fold("xa dak rve") == "xa dak rve"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
            continue;
        }
        for l in c.to_lowercase() {
            out.push(l);
        }
        last_space = false;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Lower-cases NFC text while keeping its diacritics, for matching that
/// must tell "Đắk" from "Đăk" apart only when asked.
pub fn lower_nfc(s: &str) -> String {
    nfc(s).to_lowercase()
}

/// A text cell as a CSV export writes it. A spreadsheet runs a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
/// (`=HYPERLINK(…)` in a village's name), so such a cell gets a leading
/// apostrophe, which spreadsheets show as text; numbers (`-5`, `+3.5`)
/// are left as they are. Every CSV export writes its cells through this
/// (OWASP, "CSV injection"); [`csv_unescape`] undoes it on import.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if runs_as_formula(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Whether a cell, once its leading apostrophes are set aside, starts as a
/// formula would and is not a number. (Apostrophes are set aside so that
/// a cell that already starts with one reads back the same.)
fn runs_as_formula(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(['=', '+', '-', '@', '\t', '\r']) && rest.trim().parse::<f64>().is_err()
}

/// A cell as [`csv_safe`] wrote it, back as it was.
pub fn csv_unescape(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(
            super::csv_safe("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for risky in ["+1+1", "-1+cmd", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(super::csv_safe(risky).starts_with('\''), "{risky}");
        }
        for fine in ["Thôn Đông", "-5", "+3.5", "12", "", "a=b"] {
            assert_eq!(super::csv_safe(fine), fine);
        }
    }

    proptest::proptest! {
        #[test]
        fn csv_safe_cells_read_back_as_they_were(s in ".{0,40}") {
            let safe = super::csv_safe(&s);
            proptest::prop_assert_eq!(super::csv_unescape(&safe), s.as_str());
        }
    }

    use super::*;

    #[test]
    fn folding_removes_tones_and_maps_d_bar() {
        assert_eq!(fold("Xã Đắk  Rve"), "xa dak rve");
        assert_eq!(fold("Thị trấn Đăk Rve"), fold("thi tran dak rve"));
        assert_eq!(fold("  Bảo hiểm y tế "), "bao hiem y te");
    }

    #[test]
    fn nfc_composes_decomposed_input() {
        let decomposed = "Vie\u{0302}\u{0323}t";
        assert_eq!(nfc(decomposed), "Việt");
    }

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            proptest::prop_assert_eq!(fold(&once), once);
        }
    }
}
