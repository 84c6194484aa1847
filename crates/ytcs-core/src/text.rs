//! Vietnamese-aware text matching: NFC normalisation and diacritic folding.

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

#[cfg(test)]
mod tests {
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
