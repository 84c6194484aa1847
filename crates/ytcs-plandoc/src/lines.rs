//! From raw text to logical lines: conversion artefacts removed (markdown
//! emphasis, LaTeX fragments, footnote marks, glued footnote digits) and
//! sentences split by page breaks joined again.
//!
//! A line is joined to the one before when it starts in lower case or
//! with a digit, or when the one before ends on `tại`, `số`, `ngày` …;
//! never a kind heading or a clause opener. Pipe rows are kept; a
//! two-column head flattened to `Số: … | Place, ngày …` is split at the
//! `|`; a document a site's text layer flattened into one line is cut
//! back at its head and preamble words; drawing-object names such as
//! `straight connector 2` are dropped.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// One logical line of the document.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based number of the raw line it starts on.
    pub no: usize,
    /// Cleaned text, trimmed.
    pub text: String,
    /// The raw line started with a tab (a table cell laid out one per line).
    pub tabbed: bool,
    /// Cells, when the line is a pipe-table row (`| a | b |`).
    pub cells: Option<Vec<String>>,
}

impl Line {
    /// Blank after cleaning.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty() && self.cells.is_none()
    }
}

static LATEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\$([^$\n]{0,200})\$").expect("static regex"));
static LATEX_SUB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"_\{([^}]{0,100})\}").expect("static regex"));
/// `0,5%0`: a per-mille sign typed as a percent sign and a zero (no
/// footnote is numbered 0).
static TYPED_PER_MILLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d) ?%0(\s|[.,;:)]|$)").expect("static regex"));
static GLUED_PERCENT_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"([%‰])\d{1,2}(\s|[.,;:)]|$)").expect("static regex"));
static GLUED_WORD_DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\p{Ll}{3,})\d{1,2}(\s|[.,;:)]|$)").expect("static regex"));
static SPACES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[ \t\u{a0}\u{2000}-\u{200b}\u{202f}\u{3000}]+").expect("static regex")
});

const SUPERSCRIPTS: &[char] = &['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹', '⁰'];

fn latex_to_text(inner: &str) -> String {
    let mut s = inner.to_string();
    for (from, to) in [
        ("\\leq", "≤"),
        ("\\le", "≤"),
        ("\\geq", "≥"),
        ("\\ge", "≥"),
        ("\\lt", "<"),
        ("\\gt", ">"),
        ("\\%", "%"),
        ("\\times", "×"),
        ("\\,", ""),
        ("\\;", " "),
        ("\\text", ""),
        ("\\mathrm", ""),
    ] {
        s = s.replace(from, to);
    }
    s.replace(['{', '}', '\\'], "")
}

static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"</?[A-Za-z][^<>]{0,200}>|<\?[^<>]{0,200}\?>").expect("static regex")
});

/// The names of drawing objects a DOC converter writes out as text
/// (`straight connector 2Số: 1551 /UBND-VX`, `Text Box 3`): artefacts.
static DRAWING_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:straight(?: arrow)? connector|elbow connector|text ?box|rectangle|oval|auto ?shape) \d+")
        .expect("static regex")
});

/// Line-break escapes a site left in its copy as text (`dưỡng\r\nthể`,
/// `| \r\n \r\n Lạng Sơn`): `\r\n` pairs, or `\r`, `\n`, `\t` not followed
/// by a letter (so `\neq`, `\rho` and `\text` of LaTeX fragments stay).
static LITERAL_ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\\r\\n)+|(?:\\[rnt])+([^A-Za-z\\]|$)").expect("static regex"));

/// Cleans one raw line (already NFC).
pub fn clean(raw: &str) -> String {
    let unescaped;
    let raw = if raw.contains('\\') && LITERAL_ESCAPE.is_match(raw) {
        unescaped = LITERAL_ESCAPE.replace_all(raw, " $1");
        unescaped.as_ref()
    } else {
        raw
    };
    let raw = if raw.contains(|c: char| c.is_ascii_digit()) && DRAWING_OBJECT.is_match(raw) {
        DRAWING_OBJECT.replace_all(raw, " ").into_owned()
    } else {
        raw.to_string()
    };
    let raw = raw.as_str();
    // Copies pasted from web pages keep their HTML tags and entities.
    let raw = if raw.contains('<') && raw.contains('>') {
        HTML_TAG.replace_all(raw, " ").into_owned()
    } else {
        raw.to_string()
    };
    let raw = if raw.contains('&') {
        raw.replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
    } else {
        raw
    };
    let mut s = raw.replace("**", "").replace("__", "");
    if s.contains('$') {
        s = LATEX
            .replace_all(&s, |c: &regex::Captures| {
                latex_to_text(c.get(1).map_or("", |m| m.as_str()))
            })
            .into_owned();
    }
    if s.contains("_{") {
        s = LATEX_SUB.replace_all(&s, "$1").into_owned();
    }
    // Single asterisks are italics, except a leading "* " bullet.
    let trimmed = s.trim_start();
    let bullet_star = trimmed.starts_with("* ") || trimmed.starts_with("*\t");
    let mut out = String::with_capacity(s.len());
    let mut seen_bullet = false;
    for c in s.chars() {
        if c == '*' {
            if bullet_star && !seen_bullet {
                seen_bullet = true;
                out.push(c);
            }
            continue;
        }
        if SUPERSCRIPTS.contains(&c) {
            continue;
        }
        out.push(c);
    }
    let out = if out.contains("%0") {
        TYPED_PER_MILLE.replace_all(&out, "$1‰$2").into_owned()
    } else {
        out
    };
    let s = GLUED_PERCENT_DIGIT.replace_all(&out, "$1$2");
    // A digit glued to a word is a footnote mark (`dân số1 `), except after
    // a date word or a comparator, where the conversion only lost a space
    // (`tháng02 năm 2012`, `ngày26/11/2003`, `dưới18,5‰`): the space is put
    // back.
    let s = GLUED_WORD_DIGIT.replace_all(&s, |c: &regex::Captures| {
        let word = c.get(1).map_or("", |m| m.as_str());
        let after = c.get(2).map_or("", |m| m.as_str());
        // … and after a word that opens a value (`xuống dưới18,5‰`).
        if matches!(
            word.to_lowercase().as_str(),
            "tháng"
                | "ngày"
                | "năm"
                | "quý"
                | "dưới"
                | "trên"
                | "đạt"
                | "còn"
                | "xuống"
                | "khoảng"
                | "thiểu"
                | "nhất"
        ) {
            let digits = c.get(0).map_or("", |m| m.as_str());
            let digits = digits
                .get(word.len()..digits.len() - after.len())
                .unwrap_or("");
            format!("{word} {digits}{after}")
        } else {
            format!("{word}{after}")
        }
    });
    SPACES.replace_all(&s, " ").trim().to_string()
}

/// A news site's view counter on a line of its own (`5597 lượt`,
/// `1.234 lượt xem`): site chrome, which a hard-wrap join would otherwise
/// glue to the title above it as a number.
fn is_view_counter(raw: &str) -> bool {
    let t = raw.trim();
    let (number, word) = t.split_once(' ').unwrap_or((t, ""));
    !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        && matches!(word.trim(), "lượt" | "lượt xem")
}

/// A footnote line: starts with a superscript digit.
fn is_footnote(raw: &str) -> bool {
    raw.trim_start().starts_with(SUPERSCRIPTS)
}

fn pipe_cells(text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    if !t.starts_with('|') || t.matches('|').count() < 3 {
        return None;
    }
    let inner = t.trim_matches('|');
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

fn is_separator_row(cells: &[String]) -> bool {
    cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// Starts like a numbering marker or bullet (so must not be joined to the
/// line before).
pub fn starts_with_marker(text: &str) -> bool {
    crate::structure::marker_of(text).is_some()
}

/// Ends on a word that cannot end a sentence (a preposition, `số`, `ngày`,
/// or the head of an agency's name: `Giám đốc Sở` / `Y tế tại Tờ trình …`).
fn ends_dangling(text: &str) -> bool {
    let last = text.rsplit(' ').next().unwrap_or("");
    matches!(
        last,
        "tại"
            | "của"
            | "số"
            | "và"
            | "về"
            | "theo"
            | "các"
            | "cho"
            | "với"
            | "đến"
            | "ngày"
            | "tháng"
            | "Sở"
            | "Bộ"
            // a name wrapped at its dash (`Chương trình mục tiêu Y tế -` /
            // `Dân số giai đoạn 2016-2020; Thông tư số …`)
            | "-"
            | "–"
    ) && text.split(' ').count() >= 3
}

/// `a) Cải thiện …` under a short numbered heading (`2. Mục tiêu cụ thể`):
/// the heading's first lettered item, not the rest of its line.
fn letter_item_under_heading(prev: &str, text: &str) -> bool {
    use crate::structure::MarkerKind;
    let lettered = crate::structure::marker_of(text).is_some_and(|m| {
        m.kind == MarkerKind::Letter
            && text
                .get(m.len..)
                .and_then(|r| r.trim_start().chars().next())
                .is_some_and(char::is_uppercase)
    });
    lettered
        && prev.chars().count() <= 80
        && crate::structure::marker_of(prev)
            .is_some_and(|m| matches!(m.kind, MarkerKind::Decimal(_) | MarkerKind::Roman))
}

/// Opens with a code in capitals holding a digit, a hyphen or a slash
/// (`COVID-19`, `HIV/AIDS`, `SARS-CoV-2`), not a word or a numbering marker.
fn starts_with_code(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let core = first.trim_end_matches(|c: char| !c.is_alphanumeric());
    core.chars().count() >= 3
        && core.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && core.chars().take_while(|c| c.is_alphabetic()).count() >= 2
        && core
            .chars()
            .take_while(|c| c.is_alphabetic())
            .all(|c| c.is_ascii_uppercase())
        && core.contains(|c: char| c.is_ascii_digit() || c == '-' || c == '/')
        && core
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', ';', ':', '!', '?', ')', '"', '”']) || text.ends_with("./.")
}

/// Appends a cleaned, non-blank, non-table line: joined to the previous
/// line when a hard wrap or page break split a sentence there.
fn push_text_line(
    out: &mut Vec<Line>,
    pending_blank: &mut bool,
    no: usize,
    text: &str,
    tabbed: bool,
) {
    let starts_lower = text.chars().next().is_some_and(|c| c.is_lowercase());
    let starts_digit = text.chars().next().is_some_and(|c| c.is_ascii_digit());
    // A hard wrap after a word no sentence ends on (`… Sở Y tế tại` /
    // `Tờ trình số 496/TTr-SYT …`) joins even an upper-case start.
    let after_dangling = out
        .iter()
        .rev()
        .find(|l| !l.is_blank())
        .is_some_and(|p| p.cells.is_none() && ends_dangling(&p.text));
    // A hard wrap before a quoted title (`… về việc phê duyệt` /
    // `“Chiến lược quốc gia …” (sau đây …) và Quyết định số …`): the
    // sentence goes on when the line before stops on a lower-case word.
    let quoted_after_word = text.starts_with(['“', '"'])
        && out.iter().rev().find(|l| !l.is_blank()).is_some_and(|p| {
            p.cells.is_none()
                && p.text.chars().last().is_some_and(char::is_lowercase)
                && p.text.split(' ').count() >= 3
        });
    // Folding is dear: only a line that would be joined is checked for
    // a clause opener or a kind heading.
    let opens_clause_or_heading = || {
        let head: String = text.chars().take(24).collect();
        let f = ytcs_core::text::fold(&head);
        // `Thực hiện` in capitals only: a lower-case one goes on a wrapped
        // sentence (`… Chương trình hành động của Chính phủ` / `thực hiện
        // Nghị quyết số 20-NQ/TW …`, the title of an act, not an act).
        // (`căn cứ` opens a clause in any case: a TCVN3 capitals font
        // leaves it lower-case.)
        ["can cu ", "xet de nghi", "theo de nghi"]
            .iter()
            .any(|w| f.starts_with(w))
            || (!starts_lower && f.starts_with("thuc hien "))
            || (text.chars().count() <= 24 && crate::header::kind_of_heading(text).is_some())
    };
    // A hard wrap before a code in capitals (`… kiểm soát hiệu quả dịch` /
    // `COVID-19”; Nghị quyết số 21/NQ-CP …`, `… người nhiễm` / `HIV/AIDS
    // …`): the sentence goes on when the line before stops on a lower-case
    // word (fifteenth held-out batch).
    let code_after_word = starts_with_code(text)
        && out.iter().rev().find(|l| !l.is_blank()).is_some_and(|p| {
            p.cells.is_none()
                && p.text.chars().last().is_some_and(char::is_lowercase)
                && p.text.split(' ').count() >= 3
        });
    // A hard wrap before a bracketed code that goes on with the words
    // before it (`… mắc phải ở người` / `(HIV/AIDS) ngày 29/6/2006;`), after
    // a lower-case word and before one, no blank line between; not `(Ban
    // hành kèm theo …)`, not a news agency's byline (`(TTXVN) - …`)
    // (seventeenth held-out batch).
    let bracket_after_word = text.starts_with('(')
        && !*pending_blank
        && !starts_with_marker(text)
        && text
            .split_once(')')
            .and_then(|(_, r)| r.trim_start().chars().next())
            .is_some_and(char::is_lowercase)
        && text
            .chars()
            .skip(1)
            .take_while(|c| c.is_alphabetic())
            .filter(|c| c.is_uppercase())
            .count()
            >= 2
        && text
            .chars()
            .skip(1)
            .take_while(|c| c.is_alphabetic())
            .all(char::is_uppercase)
        && out.iter().rev().find(|l| !l.is_blank()).is_some_and(|p| {
            p.cells.is_none()
                && p.text.chars().last().is_some_and(char::is_lowercase)
                && p.text.split(' ').count() >= 3
        });
    if !tabbed
        && (!starts_lower || !starts_with_marker(text) || !text.contains(". "))
        && (starts_lower
            || (starts_digit && !starts_with_marker(text))
            || (after_dangling && !starts_with_marker(text))
            || quoted_after_word
            || code_after_word
            || bracket_after_word)
        && !opens_clause_or_heading()
    {
        let prev = out.iter_mut().rev().find(|l| !l.is_blank());
        if let Some(prev) = prev {
            // A kind heading stays alone even when the capitals font of a
            // TCVN3 file left it lower-case (`kế hoạch` / `phòng, chống …`).
            if !prev.tabbed
                && prev.cells.is_none()
                && !ends_sentence(&prev.text)
                && !letter_item_under_heading(&prev.text, text)
                && !prev.text.is_empty()
                && (prev.text.len() > 40 || crate::header::kind_of_heading(&prev.text).is_none())
            {
                let joiner = if prev.text.ends_with('-') && starts_digit {
                    ""
                } else {
                    " "
                };
                prev.text.push_str(joiner);
                prev.text.push_str(text);
                // drop blank lines between the two halves
                while out.last().is_some_and(Line::is_blank) {
                    out.pop();
                }
                *pending_blank = false;
                return;
            }
        }
    }
    let text: String = text.chars().filter(|c| !c.is_control()).collect();
    out.push(Line {
        no,
        text,
        tabbed,
        cells: None,
    });
    *pending_blank = false;
}

/// Splits text into logical lines: cleans each raw line, drops footnote
/// lines, and joins a line to the previous one when a page break split a
/// sentence (the previous line does not end a sentence and this one starts
/// in lower case, or with a digit that is no numbering marker).
/// A text layer that gives every line twice (a slide deck's text as some
/// document sites store it): the indices of the second copies, when at
/// least three lines of several words each are so repeated; none otherwise.
fn doubled_lines(text: &str) -> std::collections::HashSet<usize> {
    let raws: Vec<&str> = text.split('\n').map(|r| r.trim_end_matches('\r')).collect();
    let mut second = std::collections::HashSet::new();
    let mut i = 1;
    while i < raws.len() {
        let (a, b) = (raws.get(i - 1).copied(), raws.get(i).copied());
        if let (Some(a), Some(b)) = (a, b) {
            if a == b && a.split_whitespace().count() >= 4 {
                second.insert(i);
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    if second.len() >= 3 {
        second
    } else {
        std::collections::HashSet::new()
    }
}

pub fn logical_lines(text: &str) -> (Vec<Line>, Vec<String>) {
    let mut warnings = Vec::new();
    let norm: String = text.nfc().collect();
    let mut out: Vec<Line> = Vec::new();
    let mut pending_blank = false;
    let doubled = doubled_lines(&norm);
    for (i, raw) in norm.split('\n').enumerate() {
        let no = i + 1;
        let raw = raw.trim_end_matches('\r');
        if is_footnote(raw) || is_view_counter(raw) || doubled.contains(&i) {
            continue;
        }
        let tabbed = raw.starts_with('\t');
        let text = clean(raw);
        // A two-column layout flattened to one line (`Số: 518/QĐ-UBND |
        // Bình Định, ngày …`, `Nơi nhận: | TM. ỦY BAN NHÂN DÂN |`) or a
        // stray `|` left by a table: each side is a line of its own.
        let metadata_row = if pipe_cells(&text).is_none() && text.contains('|') {
            // A law site's metadata row without its leading pipe (`Số
            // hiệu: | 153/KH-UBND | Loại văn bản: | Kế hoạch |`) stays a
            // row: its `Kế hoạch` cell is no heading of the document.
            let parts: Vec<String> = text
                .split('|')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            if !crate::header::is_site_metadata(&parts) {
                for part in &parts {
                    push_text_line(&mut out, &mut pending_blank, no, part, false);
                }
                continue;
            }
            Some(parts)
        } else {
            None
        };
        if let Some(cells) = metadata_row.or_else(|| pipe_cells(&text)) {
            if is_separator_row(&cells) {
                continue;
            }
            out.push(Line {
                no,
                text: cells.join(" | "),
                tabbed: false,
                cells: Some(cells),
            });
            pending_blank = false;
            continue;
        }
        if text.is_empty() {
            if !pending_blank {
                out.push(Line {
                    no,
                    text: String::new(),
                    tabbed,
                    cells: None,
                });
            }
            pending_blank = true;
            continue;
        }
        if text.chars().any(char::is_control) {
            warnings.push(format!("line {no}: control characters removed"));
        }
        push_text_line(&mut out, &mut pending_blank, no, &text, tabbed);
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_counter_is_not_glued_to_the_title_above() {
        let (lines, _) = logical_lines("Điều chỉnh giao chỉ tiêu giai đoạn 2016-2020\n5597 lượt\n");
        let texts: Vec<&str> = lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(texts, ["Điều chỉnh giao chỉ tiêu giai đoạn 2016-2020"]);
        // A count of people on its own line is text, not chrome.
        let (lines, _) = logical_lines("Số người tham gia là\n5597 người\n");
        assert!(lines[0].text.ends_with("5597 người"));
    }

    #[test]
    fn artefacts_are_cleaned() {
        assert_eq!(clean("Số: **193** /KH-UBND"), "Số: 193 /KH-UBND");
        assert_eq!(
            clean("trẻ dưới 5 tuổi còn $\\leq 18,5\\%$;"),
            "trẻ dưới 5 tuổi còn ≤ 18,5%;"
        );
        assert_eq!(
            clean("- *Thời gian thực hiện:* Thường xuyên."),
            "- Thời gian thực hiện: Thường xuyên."
        );
        assert_eq!(clean("dưới 24%1 dân số"), "dưới 24% dân số");
        assert_eq!(
            clean("Hội đồng nhân dân tỉnh¹ và"),
            "Hội đồng nhân dân tỉnh và"
        );
        assert_eq!(
            clean("Hội đồng nhân dân tỉnh1 và"),
            "Hội đồng nhân dân tỉnh và"
        );
        assert_eq!(clean("* Số lượng: 5"), "* Số lượng: 5");
    }

    #[test]
    fn page_break_splits_are_joined() {
        let (lines, _) = logical_lines(
            "1.1. Kế hoạch số\n\n906/KH-UBND; Kế hoạch\n\n¹ chú thích\n\nđến tất cả.\n\n2. Tiếp",
        );
        let texts: Vec<_> = lines
            .iter()
            .filter(|l| !l.is_blank())
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(
            texts,
            vec![
                "1.1. Kế hoạch số 906/KH-UBND; Kế hoạch đến tất cả.",
                "2. Tiếp"
            ]
        );
    }
}
