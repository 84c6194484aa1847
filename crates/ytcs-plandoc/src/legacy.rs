//! Converts text in the legacy Vietnamese font encodings to Unicode.
//!
//! Before Unicode (TCVN 6909:2001) official documents were typed in
//! single-byte font encodings; files from 2014–2018 still come that way.
//! Read as Latin-1 / Windows-1252 (or stored as such in a DOCX with a
//! `.VnTime` or `VNI-Times` font), their letters are:
//!
//! - **TCVN3 (ABC)**, TCVN 5712:1993: one byte per Vietnamese letter
//!   (`nh©n d©n` = `nhân dân`, `tØnh` = `tỉnh`). Upper-case toned letters
//!   were typed with a separate capitals font using the same codes, so they
//!   come back lower-case (`ñy ban` for `ỦY BAN` typed in `.VnTimeH`); the
//!   text stays readable and matchable (folding ignores case).
//! - **VNI** (VNI-Windows): the base letter followed by a mark character
//!   (`Vieät Nam` = `Việt Nam`, `hoaïch` = `hoạch`, `ñ` = `đ`).
//!
//! [`to_unicode`] converts by table; the tables are checked by round trips
//! ([`from_unicode`], used by the tests) and by typical words typed here in
//! each encoding (no legacy-encoded file was found to test on).

/// TCVN3 (ABC): byte (as a Latin-1 char) → Unicode letter.
const TCVN3: &[(char, char)] = &[
    ('\u{a1}', 'Ă'),
    ('\u{a2}', 'Â'),
    ('\u{a3}', 'Ê'),
    ('\u{a4}', 'Ô'),
    ('\u{a5}', 'Ơ'),
    ('\u{a6}', 'Ư'),
    ('\u{a7}', 'Đ'),
    ('\u{a8}', 'ă'),
    ('\u{a9}', 'â'),
    ('\u{aa}', 'ê'),
    ('\u{ab}', 'ô'),
    ('\u{ac}', 'ơ'),
    ('\u{ad}', 'ư'),
    ('\u{ae}', 'đ'),
    ('\u{b5}', 'à'),
    ('\u{b6}', 'ả'),
    ('\u{b7}', 'ã'),
    ('\u{b8}', 'á'),
    ('\u{b9}', 'ạ'),
    ('\u{bb}', 'ằ'),
    ('\u{bc}', 'ẳ'),
    ('\u{bd}', 'ẵ'),
    ('\u{be}', 'ắ'),
    ('\u{c6}', 'ặ'),
    ('\u{c7}', 'ầ'),
    ('\u{c8}', 'ẩ'),
    ('\u{c9}', 'ẫ'),
    ('\u{ca}', 'ấ'),
    ('\u{cb}', 'ậ'),
    ('\u{cc}', 'è'),
    ('\u{ce}', 'ẻ'),
    ('\u{cf}', 'ẽ'),
    ('\u{d0}', 'é'),
    ('\u{d1}', 'ẹ'),
    ('\u{d2}', 'ề'),
    ('\u{d3}', 'ể'),
    ('\u{d4}', 'ễ'),
    ('\u{d5}', 'ế'),
    ('\u{d6}', 'ệ'),
    ('\u{d7}', 'ì'),
    ('\u{d8}', 'ỉ'),
    ('\u{dc}', 'ĩ'),
    ('\u{dd}', 'í'),
    ('\u{de}', 'ị'),
    ('\u{df}', 'ò'),
    ('\u{e1}', 'ỏ'),
    ('\u{e2}', 'õ'),
    ('\u{e3}', 'ó'),
    ('\u{e4}', 'ọ'),
    ('\u{e5}', 'ồ'),
    ('\u{e6}', 'ổ'),
    ('\u{e7}', 'ỗ'),
    ('\u{e8}', 'ố'),
    ('\u{e9}', 'ộ'),
    ('\u{ea}', 'ờ'),
    ('\u{eb}', 'ở'),
    ('\u{ec}', 'ỡ'),
    ('\u{ed}', 'ớ'),
    ('\u{ee}', 'ợ'),
    ('\u{ef}', 'ù'),
    ('\u{f1}', 'ủ'),
    ('\u{f2}', 'ũ'),
    ('\u{f3}', 'ú'),
    ('\u{f4}', 'ụ'),
    ('\u{f5}', 'ừ'),
    ('\u{f6}', 'ử'),
    ('\u{f7}', 'ữ'),
    ('\u{f8}', 'ứ'),
    ('\u{f9}', 'ự'),
    ('\u{fa}', 'ỳ'),
    ('\u{fb}', 'ỷ'),
    ('\u{fc}', 'ỹ'),
    ('\u{fd}', 'ý'),
    ('\u{fe}', 'ỵ'),
];

/// VNI marks after a vowel: (mark, tone index) for the plain vowels
/// a e o u y and the horn vowels: sắc, huyền, hỏi, ngã, nặng.
const VNI_TONE: [(char, char); 5] = [('ù', 'Ù'), ('ø', 'Ø'), ('û', 'Û'), ('õ', 'Õ'), ('ï', 'Ï')];
/// VNI marks after a, e, o for the circumflex: none, sắc, huyền, hỏi, ngã, nặng.
const VNI_CIRC: [(char, char); 6] = [
    ('â', 'Â'),
    ('á', 'Á'),
    ('à', 'À'),
    ('å', 'Å'),
    ('ã', 'Ã'),
    ('ä', 'Ä'),
];
/// VNI marks after a for the breve: none, sắc, huyền, hỏi, ngã, nặng.
const VNI_BREVE: [(char, char); 6] = [
    ('ê', 'Ê'),
    ('é', 'É'),
    ('è', 'È'),
    ('ú', 'Ú'),
    ('ü', 'Ü'),
    ('ë', 'Ë'),
];

/// Each vowel family: base, then with tones (none, sắc, huyền, hỏi, ngã, nặng).
const A: [char; 6] = ['a', 'á', 'à', 'ả', 'ã', 'ạ'];
const A_CIRC: [char; 6] = ['â', 'ấ', 'ầ', 'ẩ', 'ẫ', 'ậ'];
const A_BREVE: [char; 6] = ['ă', 'ắ', 'ằ', 'ẳ', 'ẵ', 'ặ'];
const E: [char; 6] = ['e', 'é', 'è', 'ẻ', 'ẽ', 'ẹ'];
const E_CIRC: [char; 6] = ['ê', 'ế', 'ề', 'ể', 'ễ', 'ệ'];
const O: [char; 6] = ['o', 'ó', 'ò', 'ỏ', 'õ', 'ọ'];
const O_CIRC: [char; 6] = ['ô', 'ố', 'ồ', 'ổ', 'ỗ', 'ộ'];
const O_HORN: [char; 6] = ['ơ', 'ớ', 'ờ', 'ở', 'ỡ', 'ợ'];
const U: [char; 6] = ['u', 'ú', 'ù', 'ủ', 'ũ', 'ụ'];
const U_HORN: [char; 6] = ['ư', 'ứ', 'ừ', 'ử', 'ữ', 'ự'];
const Y: [char; 6] = ['y', 'ý', 'ỳ', 'ỷ', 'ỹ', 'ỵ'];
const I: [char; 6] = ['i', 'í', 'ì', 'ỉ', 'ĩ', 'ị'];
/// VNI writes the toned i (and ỵ) as single characters.
const VNI_I: [(char, char, usize); 5] = [
    ('í', 'Í', 1),
    ('ì', 'Ì', 2),
    ('æ', 'Æ', 3),
    ('ó', 'Ó', 4),
    ('ò', 'Ò', 5),
];

/// A vowel's plain family, and its circumflex and breve families.
type Families = (
    &'static [char; 6],
    Option<&'static [char; 6]>,
    Option<&'static [char; 6]>,
);

fn upper(c: char) -> char {
    c.to_uppercase().next().unwrap_or(c)
}

/// The legacy encodings this module converts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC).
    Tcvn3,
    /// VNI-Windows.
    Vni,
}

impl Legacy {
    /// Its name, as warnings print it.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC)",
            Legacy::Vni => "VNI",
        }
    }
}

/// Converts legacy-encoded text (each byte read as the Latin-1 character of
/// the same code) to Unicode. Characters outside the table pass unchanged.
pub fn to_unicode(text: &str, enc: Legacy) -> String {
    match enc {
        Legacy::Tcvn3 => text
            .chars()
            .map(|c| TCVN3.iter().find(|(k, _)| *k == c).map_or(c, |(_, v)| *v))
            .collect(),
        Legacy::Vni => vni_to_unicode(text),
    }
}

fn vni_to_unicode(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        let lower = c.to_lowercase().next().unwrap_or(c);
        let is_up = c != lower;
        let case = |ch: char| if is_up { upper(ch) } else { ch };
        let tone_of = |m: Option<char>, table: &[(char, char)]| -> Option<usize> {
            let m = m?;
            table.iter().position(|(l, u)| *l == m || *u == m)
        };
        // A horn vowel: ô → ơ, ö → ư, then an optional tone.
        if matches!(lower, 'ô' | 'ö') {
            let family = if lower == 'ô' { O_HORN } else { U_HORN };
            match tone_of(next, &VNI_TONE) {
                Some(t) => {
                    out.push(case(family[t + 1]));
                    i += 2;
                }
                None => {
                    out.push(case(family[0]));
                    i += 1;
                }
            }
            continue;
        }
        if lower == 'ñ' {
            out.push(case('đ'));
            i += 1;
            continue;
        }
        if let Some(&(_, _, t)) = VNI_I.iter().find(|(l, u, _)| *l == c || *u == c) {
            out.push(case(I[t]));
            i += 1;
            continue;
        }
        if lower == 'î' {
            out.push(case('ỵ'));
            i += 1;
            continue;
        }
        let families: Option<Families> = match lower {
            'a' => Some((&A, Some(&A_CIRC), Some(&A_BREVE))),
            'e' => Some((&E, Some(&E_CIRC), None)),
            'o' => Some((&O, Some(&O_CIRC), None)),
            'u' => Some((&U, None, None)),
            'y' => Some((&Y, None, None)),
            'i' => Some((&I, None, None)),
            _ => None,
        };
        if let Some((plain, circ, breve)) = families {
            if let (Some(fam), Some(t)) = (circ, tone_of(next, &VNI_CIRC)) {
                out.push(case(fam[t]));
                i += 2;
                continue;
            }
            if let (Some(fam), Some(t)) = (breve, tone_of(next, &VNI_BREVE)) {
                out.push(case(fam[t]));
                i += 2;
                continue;
            }
            if let Some(t) = tone_of(next, &VNI_TONE) {
                out.push(case(plain[t + 1]));
                i += 2;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Encodes Unicode Vietnamese in a legacy encoding (the inverse of
/// [`to_unicode`] for lower-case text and the TCVN3 capitals it has): for
/// tests and fixtures. Characters it cannot encode pass unchanged.
pub fn from_unicode(text: &str, enc: Legacy) -> String {
    match enc {
        Legacy::Tcvn3 => text
            .chars()
            .map(|c| TCVN3.iter().find(|(_, v)| *v == c).map_or(c, |(k, _)| *k))
            .collect(),
        Legacy::Vni => {
            let mut out = String::new();
            for c in text.chars() {
                let lower = c.to_lowercase().next().unwrap_or(c);
                let is_up = c != lower;
                let case = |ch: char| if is_up { upper(ch) } else { ch };
                let mark = |pair: (char, char)| if is_up { pair.1 } else { pair.0 };
                let find = |fam: &[char; 6]| fam.iter().position(|x| *x == lower);
                if lower == 'đ' {
                    out.push(case('ñ'));
                } else if let Some(t) = find(&I) {
                    match VNI_I.iter().find(|(_, _, k)| *k == t) {
                        Some(&(l, u, _)) => out.push(if is_up { u } else { l }),
                        None => out.push(c),
                    }
                } else if lower == 'ỵ' {
                    out.push(case('î'));
                } else if let Some(t) = find(&A_CIRC) {
                    out.push(case('a'));
                    out.push(mark(VNI_CIRC[t]));
                } else if let Some(t) = find(&A_BREVE) {
                    out.push(case('a'));
                    out.push(mark(VNI_BREVE[t]));
                } else if let Some(t) = find(&E_CIRC) {
                    out.push(case('e'));
                    out.push(mark(VNI_CIRC[t]));
                } else if let Some(t) = find(&O_CIRC) {
                    out.push(case('o'));
                    out.push(mark(VNI_CIRC[t]));
                } else if let Some(t) = find(&O_HORN) {
                    out.push(case('ô'));
                    if t > 0 {
                        out.push(mark(VNI_TONE[t - 1]));
                    }
                } else if let Some(t) = find(&U_HORN) {
                    out.push(case('ö'));
                    if t > 0 {
                        out.push(mark(VNI_TONE[t - 1]));
                    }
                } else if let Some((base, t)) =
                    [(&A, 'a'), (&E, 'e'), (&O, 'o'), (&U, 'u'), (&Y, 'y')]
                        .iter()
                        .find_map(|(fam, b)| find(fam).filter(|t| *t > 0).map(|t| (*b, t)))
                {
                    out.push(case(base));
                    out.push(mark(VNI_TONE[t - 1]));
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// Letters of Unicode text whose Latin-1 range was decoded once more as
/// TCVN3 bytes (a slide deck's or PDF's text layer typed in a `.VnTime`
/// font: `Mục tiờu` for `Mục tiêu`, `dõn` for `dân`, `cú` for `có`, `phỏ
/// thai` for `phá thai`), as (damaged, original). Letters outside Latin-1
/// (`ư`, `đ`, `ạ`, `ấ` …) pass such a layer unchanged.
///
/// These three are unambiguous in a damaged text: the original letter of
/// the same shape was itself damaged into another one.
const REDECODED_SURE: &[(char, char)] = &[('õ', 'â'), ('ó', 'ã'), ('ú', 'ó')];
/// … and these may also be letters the text really has (`người`, `cụ
/// thể`, `giờ`): repaired only where the word's vowels are no Vietnamese
/// syllable as they stand and are one once repaired (`tiờu` → `tiêu`,
/// `niờn` → `niên`).
const REDECODED_MAYBE: &[(char, char)] = &[
    ('ỏ', 'á'),
    ('ố', 'è'),
    ('ộ', 'é'),
    ('ờ', 'ê'),
    ('ỡ', 'ì'),
    ('ớ', 'í'),
    ('ũ', 'ò'),
    ('ụ', 'ô'),
    ('ừ', 'õ'),
    ('ự', 'ù'),
    ('ỳ', 'ú'),
];

/// The toneless vowel of a Vietnamese vowel letter (lower case).
fn vowel_base(c: char) -> Option<char> {
    const FAMILIES: [(char, &str); 12] = [
        ('a', "aàáảãạ"),
        ('ă', "ăằắẳẵặ"),
        ('â', "âầấẩẫậ"),
        ('e', "eèéẻẽẹ"),
        ('ê', "êềếểễệ"),
        ('i', "iìíỉĩị"),
        ('o', "oòóỏõọ"),
        ('ô', "ôồốổỗộ"),
        ('ơ', "ơờớởỡợ"),
        ('u', "uùúủũụ"),
        ('ư', "ưừứửữự"),
        ('y', "yỳýỷỹỵ"),
    ];
    FAMILIES
        .iter()
        .find(|(_, fam)| fam.contains(c))
        .map(|(b, _)| *b)
}

/// Whether a lower-case word is a Vietnamese syllable as far as its vowels
/// and final consonants go (`tiêu`, `người`, `khụng`; not `tiơu`, `ngưêi`).
/// Words with no vowel, digits or other letters say nothing: `None`.
fn syllable_ok(word: &str) -> Option<bool> {
    let chars: Vec<char> = word.chars().collect();
    let first_vowel = chars.iter().position(|c| vowel_base(*c).is_some())?;
    let onset: String = chars.get(..first_vowel)?.iter().collect();
    if !onset.chars().all(|c| "bcdđghklmnpqrstvx".contains(c)) {
        return None;
    }
    let mut vowels: Vec<char> = Vec::new();
    let mut i = first_vowel;
    while let Some(b) = chars.get(i).and_then(|c| vowel_base(*c)) {
        vowels.push(b);
        i += 1;
    }
    let coda: String = chars.get(i..)?.iter().collect();
    if !coda.chars().all(|c| c.is_alphabetic()) {
        return None;
    }
    // `gi` and `qu` open with a vowel letter of the onset.
    if (onset == "g" && vowels.first() == Some(&'i') && vowels.len() > 1)
        || (onset == "q" && vowels.first() == Some(&'u'))
    {
        vowels.remove(0);
    }
    let cluster: String = vowels.iter().collect();
    const OPEN_OR_CLOSED: &[&str] = &[
        "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ",
    ];
    const CLOSED: &[&str] = &["ă", "â", "iê", "yê", "uô", "ươ", "uâ", "oă", "uyê"];
    const OPEN: &[&str] = &[
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui",
        "ưa", "ưi", "ưu", "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya",
        "uyu", "ya",
    ];
    let coda_ok = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"].contains(&coda.as_str())
        // `-nh`, `-ch` only after a front vowel (`tình`, `chính`, `kênh`,
        // `hoạch`; not `tờnh`)
        && (!(coda == "nh" || coda == "ch")
            || ["a", "ê", "i", "y", "oa", "uê", "uy"].contains(&cluster.as_str()));
    let cluster = cluster.as_str();
    Some(
        coda_ok
            && (OPEN_OR_CLOSED.contains(&cluster)
                || CLOSED.contains(&cluster) && !coda.is_empty()
                || OPEN.contains(&cluster) && coda.is_empty()),
    )
}

fn repaired_word(word: &str, maybe: bool) -> String {
    word.chars()
        .map(|c| {
            REDECODED_SURE
                .iter()
                .chain(if maybe { REDECODED_MAYBE } else { &[] })
                .find(|(d, _)| *d == c)
                .map_or(c, |(_, o)| *o)
        })
        .collect()
}

/// A word's repair, if the damage is plain on it: not a syllable as it
/// stands, one once repaired.
fn plain_repair(word: &str) -> Option<String> {
    if !word
        .chars()
        .any(|c| REDECODED_MAYBE.iter().any(|(d, _)| *d == c))
    {
        return None;
    }
    let lower = word.to_lowercase();
    if syllable_ok(&lower) != Some(false) {
        return None;
    }
    let fixed = repaired_word(word, true);
    (syllable_ok(&fixed.to_lowercase()) == Some(true)).then_some(fixed)
}

/// Repairs text whose letters were decoded once more as TCVN3 (see
/// [`REDECODED_SURE`]), when at least three words show the damage plainly;
/// returns the text and the number of words repaired (0: unchanged).
pub fn repair_redecoded(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let words = || {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
    };
    if words().filter_map(plain_repair).take(3).count() < 3 {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut changed = 0usize;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let fixed = plain_repair(word).unwrap_or_else(|| {
            let sure = repaired_word(word, false);
            // (a sure repair that breaks the syllable is no repair)
            if syllable_ok(&sure.to_lowercase()) == Some(false) {
                word.clone()
            } else {
                sure
            }
        });
        if fixed != *word {
            changed += 1;
        }
        out.push_str(&fixed);
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    // The bounds of a value, whose damaged forms are words too (`ớt nhất`,
    // `trờn 40 tuổi`): repaired where they bound one.
    let out = DAMAGED_BOUNDS.replace_all(&out, |c: &regex::Captures| {
        changed += 1;
        let w = c.get(1).map_or("", |m| m.as_str());
        let fixed = repaired_word(w, true);
        format!("{fixed}{}", c.get(2).map_or("", |m| m.as_str()))
    });
    (std::borrow::Cow::Owned(out.into_owned()), changed)
}

/// Combining marks that stand for a Latin-1 letter read as a Windows-1258
/// (CP1258) byte: ì (0xEC) became U+0301, ò (0xF2) U+0323, Ì (0xCC) U+0300,
/// Ò (0xD2) U+0309. After a consonant such a mark is plainly damage (`V́`,
/// `ḿnh`, `ǵ`, `tṛ`, `ḥa` for `Vì`, `mình`, `gì`, `trò`, `hòa`): no
/// Vietnamese letter puts a tone on a consonant.
const CP1258_MARKS: &[(char, char)] = &[
    ('\u{301}', 'ì'),
    ('\u{323}', 'ò'),
    ('\u{300}', 'Ì'),
    ('\u{309}', 'Ò'),
];
/// … and letters of the same reading that are Vietnamese letters too: ã
/// (0xE3) became ă, ý (0xFD) ư, and their capitals; repaired only where the
/// word is no syllable as it stands and is one once repaired (`xă` → `xã`,
/// `quư` → `quý`, `kư` → `ký`). (õ → ơ is left: `rơ`, `cơ` are words.)
const CP1258_MAYBE: &[(char, char)] = &[('ă', 'ã'), ('Ă', 'Ã'), ('ư', 'ý'), ('Ư', 'Ý')];

fn is_consonant(c: char) -> bool {
    c.is_alphabetic() && c.is_ascii() && !"aeiouyAEIOUY".contains(c) || matches!(c, 'đ' | 'Đ')
}

/// A word (NFC) with its consonant-borne marks restored, if it has any.
fn cp1258_marks_repaired(word: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    let chars: Vec<char> = word.nfd().collect();
    let mut out = String::with_capacity(word.len() + 2);
    let mut changed = false;
    for (i, c) in chars.iter().enumerate() {
        let mark = CP1258_MARKS.iter().find(|(m, _)| m == c);
        match mark {
            Some((_, letter)) if i > 0 && chars.get(i - 1).copied().is_some_and(is_consonant) => {
                out.push(*letter);
                changed = true;
            }
            _ => out.push(*c),
        }
    }
    changed.then(|| out.nfc().collect())
}

/// Whether a lower-case word is no syllable, with the onsets `k` and `qu`
/// checked too (`kư`, `quư` are none).
fn no_syllable(lower: &str) -> bool {
    syllable_ok(lower) == Some(false)
        || lower.starts_with("kư")
        || lower.starts_with("quư")
        || lower.starts_with("kă")
}

fn cp1258_letters_repaired(word: &str) -> Option<String> {
    if !word
        .chars()
        .any(|c| CP1258_MAYBE.iter().any(|(d, _)| *d == c))
    {
        return None;
    }
    if !no_syllable(&word.to_lowercase()) {
        return None;
    }
    let fixed: String = word
        .chars()
        .map(|c| {
            CP1258_MAYBE
                .iter()
                .find(|(d, _)| *d == c)
                .map_or(c, |(_, o)| *o)
        })
        .collect();
    (syllable_ok(&fixed.to_lowercase()) == Some(true)).then_some(fixed)
}

/// Repairs text whose Latin-1 letters were read once more as Windows-1258
/// (see [`CP1258_MARKS`]), when at least three words carry a mark on a
/// consonant; returns the text and the number of words repaired (0:
/// unchanged).
pub fn repair_cp1258(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    // (cheap test first: a loose mark, or a consonant with a tone, which
    // Vietnamese text never has)
    let suspect = |c: char| {
        matches!(c as u32, 0x300 | 0x301 | 0x309 | 0x323 | 0x1E00..=0x1E9F)
            || "ǵńćśźĺŕǴŃĆŚŹĹŔ".contains(c)
    };
    if !text.chars().any(suspect) {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let is_word_char =
        |c: char| c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c);
    let plain = text
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .filter_map(cp1258_marks_repaired)
        .take(3)
        .count();
    if plain < 3 {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut changed = 0usize;
    let mut flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let marks = cp1258_marks_repaired(word);
        let base = marks.clone().unwrap_or_else(|| word.clone());
        let fixed = cp1258_letters_repaired(&base).unwrap_or(base);
        if fixed != *word {
            changed += 1;
        }
        out.push_str(&fixed);
        word.clear();
    };
    for c in text.chars() {
        if is_word_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    (std::borrow::Cow::Owned(out), changed)
}

static DAMAGED_BOUNDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\b([Ớớ]t|[Tt]rờn)(\s+(?:nhất\b|\d))").expect("static regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_decoded_twice_as_tcvn3_are_repaired_where_plain() {
        let (t, n) = repair_redecoded(
            "2.2. Mục tiờu cụ thể: cải thiện sức khỏe vị thành niờn, thanh niờn; người dõn cú thẻ, xó hội.",
        );
        assert_eq!(
            t,
            "2.2. Mục tiêu cụ thể: cải thiện sức khỏe vị thành niên, thanh niên; người dân có thẻ, xã hội."
        );
        assert_eq!(n, 6);
        let (t, _) = repair_redecoded(
            "Mục tiờu: chớnh sỏch dõn số; ớt nhất 50% số người, 60% phụ nữ trờn 40 tuổi; tỡnh dục.",
        );
        assert_eq!(
            t,
            "Mục tiêu: chính sách dân số; ít nhất 50% số người, 60% phụ nữ trên 40 tuổi; tình dục."
        );
        // An undamaged text is left as it is (`có`, `người`, `giờ`).
        let clean = "Mục tiêu cụ thể: 95% người dân có thẻ; thời gian, giờ làm việc.";
        assert_eq!(
            repair_redecoded(clean),
            (std::borrow::Cow::Borrowed(clean), 0)
        );
    }

    #[test]
    fn latin1_letters_read_as_cp1258_are_repaired() {
        let (t, n) = repair_cp1258(
            "Con người là nguồn tài nguyên quư báu nhất của xă hội. V\u{301} vậy, mỗi gia đ\u{301}nh, vai t\u{1e5b} của ḿnh, những ǵ cần làm.",
        );
        assert_eq!(
            t,
            "Con người là nguồn tài nguyên quý báu nhất của xã hội. Vì vậy, mỗi gia đình, vai trò của mình, những gì cần làm."
        );
        assert_eq!(n, 7);
        // Without marks on consonants, `ư`, `ă` and `ơ` are the text's own.
        let clean = "Tư vấn cho người dân; xã hội; cơ sở; quản lý; năm 2024.";
        assert_eq!(repair_cp1258(clean), (std::borrow::Cow::Borrowed(clean), 0));
    }

    #[test]
    fn syllables_by_their_vowels() {
        for ok in [
            "tiêu", "người", "khuyết", "quyết", "giờ", "gia", "khụng", "ông", "bà",
        ] {
            assert_eq!(syllable_ok(ok), Some(true), "{ok}");
        }
        for bad in ["tiơu", "ngưêi", "niơn", "tiê"] {
            assert_eq!(syllable_ok(bad), Some(false), "{bad}");
        }
        assert_eq!(syllable_ok("BYT"), None);
    }

    #[test]
    fn typical_tcvn3_words_read() {
        assert_eq!(
            to_unicode("Uû ban nh©n d©n tØnh kÕ ho¹ch y tÕ", Legacy::Tcvn3),
            "Uỷ ban nhân dân tỉnh kế hoạch y tế"
        );
        assert_eq!(
            to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", Legacy::Tcvn3),
            "Cộng hoà xã hội chủ nghĩa Việt Nam"
        );
    }

    #[test]
    fn typical_vni_words_read() {
        assert_eq!(
            to_unicode("Uûy ban nhaân daân tænh Keá hoaïch", Legacy::Vni),
            "Ủy ban nhân dân tỉnh Kế hoạch"
        );
        assert_eq!(
            to_unicode(
                "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam; ñaït 95%",
                Legacy::Vni
            ),
            "Cộng hòa xã hội chủ nghĩa Việt Nam; đạt 95%"
        );
    }
}
