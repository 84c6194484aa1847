//! Targets: numeric commitments in objective sections, in tasks
//! ("phấn đấu đến năm 2025 đạt …") and in tables with a column per year.
//!
//! Targets also come from running prose outside the tree: a line naming
//! `chỉ tiêu`, `phấn đấu`, `mục tiêu` opens a run, which goes on over
//! blank lines while its paragraphs state targets. Relative targets
//! (`giảm 50% … so với năm 2020`, `giảm 1,5‰/năm`, `Giảm …: -0,2 điểm
//! phần trăm so năm 2022`) get `Plan.relative` (target index, base year,
//! per year). Past years' results stay baselines, never targets; a head
//! count is never linked to a rate indicator.

use std::sync::LazyLock;

use regex::Regex;
use ytcs_core::indicator::match_indicator;
use ytcs_core::plan::vn::{parse_comparator, parse_decimal};
use ytcs_core::plan::{Comparator, Target, Unit};
use ytcs_core::text::fold;

/// Where a sentence sits, for the targets read from it.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Item id.
    pub id: &'a str,
    /// Enclosing item id.
    pub section: &'a str,
    /// Line number.
    pub line: usize,
    /// Year when the sentence names none.
    pub default_year: Option<i32>,
    /// In an objectives section (every number is a candidate).
    pub objectives: bool,
    /// Lead units of the item.
    pub lead_units: &'a [String],
    /// Coordinating units of the item.
    pub coordinating_units: &'a [String],
}

/// A value: `1.987.000` (dots group thousands), `9,98` (comma decimal) and,
/// as a typing slip the third held-out batch showed, `18.5` (a dot before
/// one or two digits cannot group thousands: a decimal, see [`decimal_of`]).
static VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(≤|≥|<|>|=)?\s*(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+\.\d{1,2}\b|\d+(?:,\d+)?)(?:\s*/\s*(\d{1,4})(?:\s|$))?\s*(%|‰|điểm\s+phần\s+trăm|phần trăm|phần nghìn)?")
        .expect("static regex")
});
static RATE_DENOMINATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)trên\s+(1\.000|100\.000)\s+trẻ").expect("static regex"));
/// A paragraph opening with its horizon (`Theo đó, đến năm 2015, 70% người
/// sản xuất …`, `Cũng đến năm 2015, 100% siêu thị …`): what is to be
/// reached by then. `Tính đến năm …` (a count so far) does not open so.
static HORIZON_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:date \d{4}-\d{2}\s+)?(?:theo do,?\s*|cung\s+)?den (?:het )?nam \d{4}\s*,")
        .expect("static regex")
});
/// `đạt mục tiêu 90 - 90 - 90 (90% …; 90% …; 90% …)`: the rates in the
/// parentheses spell out the name of a direction, they are no quotas of the
/// plan; the text without them. The name may stand in quotes (`mục tiêu
/// “90-90-90” (90% …`, fourteenth held-out batch).
pub fn without_named_goal(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(m) = TRIPLE_GOAL.find(text) else {
        return std::borrow::Cow::Borrowed(text);
    };
    // The parenthesis that closes the name's, over nested ones (`… thuốc
    // kháng vi rút (ARV), 90% …`); a parenthesis never closed (a typing
    // slip) runs to the end of its sentence.
    let rest = text.get(m.end()..).unwrap_or("");
    let mut depth = 1usize;
    let mut close = None;
    for (i, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(m.end() + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close.unwrap_or_else(|| {
        let end = rest
            .char_indices()
            .find(|&(i, ch)| {
                ch == '.'
                    && rest
                        .get(i + 1..)
                        .is_none_or(|r| r.is_empty() || r.starts_with(char::is_whitespace))
            })
            .map_or(rest.len(), |(i, _)| i);
        m.end() + end
    });
    std::borrow::Cow::Owned(format!(
        "{}{}",
        text.get(..m.end()).unwrap_or(""),
        text.get(close..).unwrap_or("")
    ))
}

static TRIPLE_GOAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(\d{2})\s*-\s*(\d{2})\s*-\s*(\d{2})\s*["”’'»]?\s*\("#).expect("static regex")
});
static PER_POPULATION_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:nguoi|ca|truong hop|benh nhan)(?:\s+tren\s+|\s*/\s*)(100\.000|10\.000|van)\s+(?:nguoi\s+)?dan\b")
        .expect("static regex")
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    // `đến hết tháng 8-2022`: a month of a year names that year.
    Regex::new(r"(?i)\b(?:năm\s+|tháng\s+\d{1,2}\s*[-/]\s*)(\d{4})\b").expect("static regex")
});
static YEAR_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\(?\s*(?:phấn đấu\s+)?(?:đến|tới|vào|trong|cuối)?\s*(?:hết\s+)?năm\s+\d{4}\s*\)?,?)").expect("static regex")
});
/// A period right after a value (`10% giai đoạn 2015 - 2016`): its end.
static PERIOD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:trong\s+)?giai đoạn\s+(?:năm\s+)?\d{4}\s*[-–]\s*(?:năm\s+)?(\d{4})\b")
        .expect("static regex")
});
/// A period a line names (`… giai đoạn 2011-2015.`): its end.
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)giai đoạn\s+(?:năm\s+)?\d{4}\s*[-–]\s*(?:năm\s+)?(\d{4})\b")
        .expect("static regex")
});
/// A horizon inside a sentence (`…, sao cho đến năm 2020, 80% dân cư …`).
static HORIZON_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\S*)\s+den (?:het )?nam \d{4}\s*,\s*\d{1,3}(?:,\d+)?\s*%").expect("static regex")
});
static SENTENCE_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.\s+(\p{Lu})").expect("static regex"));
static SEGMENT_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r";|\s+và\s+").expect("static regex"));

/// Splits a paragraph into sentences (`. ` before an upper-case letter).
pub fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for c in SENTENCE_SPLIT.captures_iter(text) {
        if let Some(m) = c.get(1) {
            let end = m.start();
            if let Some(s) = text.get(start..end) {
                out.push((start, s));
            }
            start = end;
        }
    }
    if let Some(s) = text.get(start..) {
        out.push((start, s));
    }
    out
}

const BASELINE_CUES: &[&str] = &[
    "hien co",
    "hien nay",
    "hien tai",
    "da dat",
    "dat duoc",
    "tinh den",
    "so voi",
    "toan tinh co",
    "co tong so",
    "nam truoc",
    "ket qua",
    // `Đến nay, 100% trạm y tế xã có bác sĩ`: so far, the present.
    "den nay",
];
const SKIP_AFTER: &[&str] = &[
    "dan",
    "loai",
    "lan",
    // `tiêm đủ 2 liều vắc xin`, `mũi 3`: doses, not values.
    "lieu",
    "nam",
    "thang",
    "ngay",
    "gio",
    "buoi",
    "cap",
    "dong",
    "ty",
    "trieu",
    "nghin",
    "vnd",
    // `191,212 USD`: money, no target.
    "usd",
    "ban",
    "tu",
    "chuyen khoa",
    "nhom",
    "khoa",
    "hang",
    "muc",
    "vung",
    // `trong 02 giai đoạn`: phases, no value.
    "giai doan",
    // A weight or length defines a group (`cân nặng sơ sinh thấp (dưới
    // 2.500 gram)`): no target.
    "gram",
    "gam",
    "g",
    "kg",
    "cm",
    // `đơn vị máu thể tích 350 ml`: a volume defines the unit, no target.
    "ml",
    "lit",
];
const COUNT_NOUNS: &[&str] = &[
    "ca",
    "nguoi",
    "tre",
    "luot",
    "co so",
    "nhan vien",
    "bac si",
    "bac sy",
    "giuong",
    "xa",
    "tram",
    "thon",
    "can bo",
    "duoc si",
    "duoc sy",
    "dieu duong",
    "y si",
    "ho sinh",
    "benh vien",
    // `giám sát phát hiện HIV 3.000 mẫu`: samples to test (seventeenth
    // held-out batch).
    "mau",
];
const STAFF_NOUNS: &[&str] = &[
    "giuong",
    "bac si",
    "bac sy",
    "duoc si",
    "duoc sy",
    "dieu duong",
    "y si",
    "y sy",
    "ho sinh",
    "can bo y te",
];

fn words_start(f: &str, list: &[&str]) -> bool {
    list.iter().any(|w| {
        f.strip_prefix(w)
            .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
    })
}

const HEADS: &[&str] = &[
    "tỷ lệ",
    "tỉ lệ",
    "tỷ suất",
    "tỉ suất",
    "tỷ số",
    "tỉ số",
    "tuổi thọ",
    "số ca",
    "số lượng",
    "số người",
    "số trẻ",
    "chỉ số",
    "mức sinh",
    "số giường",
];

/// A subject without its year phrases (`… vào năm 2025`) and trailing
/// punctuation.
fn without_year_phrase(t: &str) -> String {
    YEAR_PHRASE
        .replace_all(t, " ")
        .trim()
        .trim_end_matches([',', ';', ':', '.'])
        .trim()
        .to_string()
}

/// Whether a subject opens with the rate it measures (`tỷ suất sinh thô`,
/// `tỷ lệ phụ nữ đẻ …`).
fn names_its_measure(subject: &str) -> bool {
    let lower = subject.trim_start().to_lowercase();
    HEADS.iter().take(6).any(|h| lower.starts_with(h))
}

/// The subject from its last measurement head word (`tỷ lệ …`), if any.
fn from_head(before: &str) -> Option<&str> {
    let lower = before.to_lowercase();
    let pos = HEADS.iter().filter_map(|h| lower.rfind(h)).max()?;
    // byte offsets of the lower-cased text match the original for these letters
    before.get(pos..).or(Some(before))
}

/// The unit a bare value (nothing after it but its year or a bracket)
/// takes from the measure last named before it: life expectancy in years,
/// the fertility level in children per woman.
fn bare_measure(before: &str, rest_f: &str, value: f64) -> Option<Unit> {
    let bare = rest_f.is_empty()
        || rest_f.starts_with(['(', ',', ';', '.', ')'])
        || words_start(rest_f, &["vao nam", "nam", "den nam", "va"]);
    if !bare {
        return None;
    }
    let head = fold(from_head(before)?);
    if head.starts_with("tuoi tho") && (40.0..=100.0).contains(&value) {
        Some(Unit::Years)
    } else if head.starts_with("muc sinh") && value < 10.0 {
        Some(Unit::Ratio)
    } else {
        None
    }
}

fn per_population(f: &str) -> Option<Unit> {
    if f.contains("100.000 dan") || f.contains("100000 dan") {
        Some(Unit::Per100000)
    } else if f.contains("van dan") || f.contains("10.000 dan") || f.contains("10000 dan") {
        Some(Unit::Per10000)
    } else {
        None
    }
}

const TRAILING_CUES: &[&str] = &[
    "đạt",
    "trên",
    "dưới",
    "tối thiểu",
    "ít nhất",
    "không quá",
    "tối đa",
    "khoảng",
    "xấp xỉ",
    "còn",
    "là",
    "chiếm",
    "ở mức",
    "bằng",
    "duy trì",
    "giảm",
    "tăng",
    "lên",
    "xuống",
    "đến",
    "có",
    "với",
    "dự kiến",
    "phấn đấu",
    "bình quân",
    "từ",
    "hơn",
    "cao hơn",
    "thấp hơn",
    "quy mô",
];
const LEADING_CUES: &[&str] = &[
    "phấn đấu",
    "bảo đảm",
    "đảm bảo",
    "nhằm",
    "để",
    "giảm",
    "nâng",
    "đạt",
    "duy trì",
    "trong đó",
    "tăng",
    "phần đầu",
    "phân đầu",
    "tiếp tục",
];

fn strip_words(s: &str) -> String {
    let mut s = YEAR_PHRASE.replace_all(s, " ").to_string();
    loop {
        let t = s
            .trim()
            .trim_matches(|c: char| {
                matches!(
                    c,
                    ',' | ':' | '-' | '+' | '(' | ')' | '≤' | '≥' | '<' | '>' | '=' | ' '
                )
            })
            .to_string();
        let lower = t.to_lowercase();
        let mut changed = false;
        for w in TRAILING_CUES {
            if lower.ends_with(&format!(" {w}")) || lower == *w {
                let cut = t.len() - w.len();
                s = t.get(..cut).unwrap_or("").to_string();
                changed = true;
                break;
            }
        }
        if !changed {
            for w in LEADING_CUES {
                if lower.starts_with(&format!("{w} ")) || lower == *w {
                    s = t.get(w.len()..).unwrap_or("").to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return t;
        }
    }
}

/// Whether folded `hay` holds `words` as whole words (`hien tai`, not the
/// `thien tai` of `gặp thiên tai`).
fn contains_words(hay: &str, words: &str) -> bool {
    hay.match_indices(words).any(|(i, m)| {
        let before = hay.get(..i).and_then(|b| b.chars().last());
        let after = hay.get(i + m.len()..).and_then(|a| a.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The words before a value that name its comparator: an opening bracket
/// and a filler naming the measure between the comparator and the value
/// (`xuống dưới tỷ lệ 15/100.000`, `dưới mức 5%`) left out.
/// `giám sát` (to monitor) folds to the letters of `giảm` (to reduce):
/// `giám sát phát hiện HIV 3.000 mẫu` names no decrease (seventeenth
/// held-out batch). The cue with the word put aside.
fn without_monitoring(cue: &str) -> std::borrow::Cow<'_, str> {
    if cue.contains("iám sát") {
        std::borrow::Cow::Owned(
            cue.replace("Giám sát", "Theo dõi")
                .replace("giám sát", "theo dõi"),
        )
    } else {
        std::borrow::Cow::Borrowed(cue)
    }
}

fn comparator_cue(before: &str) -> &str {
    let b = before.trim_end_matches(|ch: char| ch == '(' || ch.is_whitespace());
    for filler in [" tỷ lệ", " tỉ lệ", " mức"] {
        if let Some(cut) = b.strip_suffix(filler) {
            let f = fold(cut);
            if f.ends_with("duoi") || f.ends_with("tren") || f.ends_with("toi thieu") {
                return cut;
            }
        }
    }
    // `… và giảm tử vong do AIDS góp phần đạt mục tiêu 90% …`: the verb
    // nearest the value names its comparator, not a `giảm` of another clause.
    if let Some(p) = b
        .rmatch_indices("đạt")
        .map(|(i, _)| i)
        .find(|i| *i == 0 || b.get(..*i).is_some_and(|x| x.ends_with(' ')))
    {
        let earlier = fold(b.get(..p).unwrap_or(""));
        if ["giam", "tang", "duy tri"]
            .iter()
            .any(|w| contains_words(&earlier, w))
        {
            return b.get(p..).unwrap_or(b);
        }
    }
    b
}

/// The unit a value's sign names (`%`, `‰`), a count without one.
fn unit_guess(pct: Option<&str>) -> Unit {
    match pct.map(fold).as_deref() {
        Some("%") | Some("phan tram") => Unit::Percent,
        Some("‰") | Some("phan nghin") => Unit::PerMille,
        Some(p) if p.starts_with("diem") => Unit::Percent,
        _ => Unit::Count,
    }
}

/// The noun phrase after a value: up to punctuation, a number or a joiner.
fn noun_after(rest: &str) -> &str {
    let end = rest
        .char_indices()
        .find(|(i, c)| {
            matches!(c, ',' | ';' | '(' | '.' | ')')
                && !rest
                    .get(i + 1..)
                    .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()))
                || c.is_ascii_digit()
                || rest.get(*i..).is_some_and(|r| {
                    r.starts_with(" và ")
                        || r.starts_with(" với ")
                        || r.starts_with(" năm ")
                        || r.starts_with(" đến ")
                })
        })
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..end).unwrap_or("").trim()
}

/// A number as [`VALUE`] matched it: a dot before one or two final digits
/// is a decimal mark (`18.5`), any other dot groups thousands.
fn decimal_of(num: &str) -> Option<ytcs_core::plan::vn::Decimal> {
    match num.split_once('.') {
        Some((int, frac))
            if !frac.contains('.') && (1..=2).contains(&frac.len()) && !num.contains(',') =>
        {
            parse_decimal(&format!("{int},{frac}"))
        }
        _ => parse_decimal(num),
    }
}

/// The years a text names (`năm 2025`), in order, except a relative
/// target's base (`so với năm 2020`).
pub fn years_named(text: &str) -> Vec<i32> {
    years_at(text).into_iter().map(|(_, y)| y).collect()
}

/// [`years_named`] with the byte offset of each `năm`.
fn years_at(text: &str) -> Vec<(usize, i32)> {
    dated_at(text, &YEAR)
}

/// Where a text names a period (`giai đoạn 2025-2030`), with its end.
fn periods_at(text: &str) -> Vec<(usize, i32)> {
    dated_at(text, &PERIOD)
}

fn dated_at(text: &str, re: &Regex) -> Vec<(usize, i32)> {
    let mut out: Vec<(usize, i32)> = re
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.start(), c.get(1)?.as_str().parse().ok()?)))
        .filter(|(_, y)| (1990..=2100).contains(y))
        .filter(|(p, _)| {
            let before = text.get(..*p).unwrap_or("");
            // `tầm nhìn năm 2045`, `tầm nhìn đến năm 2045`: a vision, no due
            // year — unless the vision opens the text (`Với tầm nhìn đến năm
            // 2030, Việt Nam sẽ giảm … xuống dưới 20/100.000 dân`, fourteenth
            // held-out batch): then it is the horizon of what follows, not a
            // farther view beside a plan's own horizon.
            let vision = {
                let f = fold(before);
                let f = f.trim_end();
                let opening = matches!(
                    f.trim_start_matches(|c: char| !c.is_alphanumeric()),
                    "voi tam nhin" | "voi tam nhin den" | "tam nhin" | "tam nhin den"
                );
                (f.ends_with("tam nhin") || f.ends_with("tam nhin den")) && !opening
            };
            !names_a_base(before) && !vision
        })
        .collect();
    out.sort_unstable();
    out
}

/// Whether the text before a `năm YYYY` makes it the base of a relative
/// target rather than a due year: `so với năm 2020`, and (after the third
/// held-out batch) `so với trung bình giai đoạn năm 2016 – 2020`: `so với`
/// then at most four words without a number.
pub(crate) fn names_a_base(before: &str) -> bool {
    let f = fold(before);
    // `15% so năm 2022`: `so` (not `số`) right before the year compares too.
    let lower = before.trim_end().to_lowercase();
    if lower.ends_with(" so") || lower.ends_with("%so") {
        return true;
    }
    let Some(p) = f.rfind("so voi") else {
        return false;
    };
    let gap = f.get(p + "so voi".len()..).unwrap_or("");
    gap.split_whitespace().count() <= 4
        && !gap
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, ',' | ';' | ':'))
}

/// Reads the targets of one sentence.
pub fn targets_in_sentence(
    sentence: &str,
    ctx: &Context,
    warnings: &mut Vec<String>,
) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let fs = fold(sentence);
    if !ctx.objectives {
        let cue = [
            "phan dau",
            "dam bao",
            "bao dam",
            "duy tri",
            "dat ",
            "toi thieu",
            "it nhat",
            "du kien",
            "giam",
            "con duoi",
            "tren",
            "duoi",
        ]
        .iter()
        .any(|c| fs.contains(c));
        if !cue {
            return out;
        }
    }
    let years = years_at(sentence);
    // Segment boundaries.
    let mut bounds = vec![0];
    for m in SEGMENT_SPLIT.find_iter(sentence) {
        bounds.push(m.start());
        bounds.push(m.end());
    }
    bounds.push(sentence.len());
    let segment_of = |pos: usize| -> (usize, usize) {
        let mut s = 0;
        let mut e = sentence.len();
        let mut i = 0;
        while i + 1 < bounds.len() {
            let (a, b) = (
                bounds.get(i).copied().unwrap_or(0),
                bounds.get(i + 1).copied().unwrap_or(0),
            );
            if pos >= a && pos < b {
                s = a;
                e = b;
                break;
            }
            i += 2;
        }
        (s, e)
    };
    // Rates per 1,000 or 100,000 children named in the sentence.
    let denominators: Vec<(usize, &str)> = RATE_DENOMINATOR
        .captures_iter(sentence)
        .filter_map(|c| Some((c.get(0)?.start(), c.get(1)?.as_str())))
        .collect();
    let mut consumed = 0usize;
    let mut skip_next_until = 0usize;
    // Where each target of `out` was read, for a later `và duy trì …`.
    let mut read_at: Vec<usize> = Vec::new();
    for c in VALUE.captures_iter(sentence) {
        let (Some(all), Some(num)) = (c.get(0), c.get(2)) else {
            continue;
        };
        let vstart = c.get(1).map_or(num.start(), |m| m.start());
        if num.start() < skip_next_until {
            continue;
        }
        // A signed change after a colon (`Giảm tỷ số giới tính khi sinh
        // (-SRB): -0,2 điểm phần trăm`, `Điều chỉnh mức sinh (+/-CBR): + 0,1
        // ‰`): the sign says which way, the value how much.
        let sign = {
            let bt = sentence.get(..num.start()).unwrap_or("").trim_end();
            match bt.chars().last() {
                Some(ch @ ('-' | '+' | '−')) => bt
                    .get(..bt.len() - ch.len_utf8())
                    .is_some_and(|pre| pre.trim_end().ends_with(':'))
                    .then_some(ch),
                _ => None,
            }
        };
        let before_char = sentence.get(..num.start()).and_then(|b| b.chars().last());
        if sign.is_none()
            && before_char
                .is_some_and(|ch| ch.is_alphanumeric() || matches!(ch, '/' | '.' | '-' | '_' | '–'))
        {
            // glued to a word or a code; "30-40%" ranges too
            continue;
        }
        let after_char = sentence.get(num.end()..).and_then(|a| a.chars().next());
        // `14/02/2022 07:04`: a time of day; `hơn 18,àoCai…`: a number glued
        // into damaged text (a comma with a letter right after it).
        let glued_after = |p: char, test: fn(char) -> bool| {
            sentence
                .get(num.end()..)
                .and_then(|a| a.strip_prefix(p))
                .and_then(|a| a.chars().next())
                .is_some_and(test)
        };
        let clock = c.get(4).is_none()
            && (glued_after(':', |d| d.is_ascii_digit())
                || before_char == Some(':')
                    && sentence
                        .get(..num.start())
                        .and_then(|b| b.strip_suffix(':'))
                        .and_then(|b| b.chars().last())
                        .is_some_and(|d| d.is_ascii_digit()));
        if clock || c.get(4).is_none() && glued_after(',', char::is_alphabetic) {
            continue;
        }
        if after_char.is_some_and(|ch| {
            ch.is_alphabetic() || ch == '/' && c.get(3).is_none() || ch == '-' && c.get(4).is_none()
        }) {
            // 07/2013/TT-BYT, 25-CT/TW, 2019-2025
            if !(after_char == Some('/')
                && sentence.get(num.end()..).is_some_and(|r| {
                    r.starts_with("/vạn")
                        || r.starts_with("/10.000")
                        || r.starts_with("/100.000")
                        || r.starts_with("/1.000")
                }))
            {
                continue;
            }
        }
        // `đạt trên 95% (59.793 trẻ cần tiêm)`: the head count a rate comes
        // to, in brackets after it, is no quota of its own.
        if before_char == Some('(')
            && c.get(3).is_none()
            && c.get(4).is_none()
            && sentence
                .get(..num.start())
                .map(|b| b.trim_end_matches('(').trim_end())
                .is_some_and(|b| b.ends_with(['%', '‰']))
        {
            continue;
        }
        // `Kế hoạch số 228 ngày 8/8`: a day and its month, no fraction
        // (fourteenth held-out batch: read as 100 %).
        if c.get(3).is_some()
            && c.get(4).is_none()
            && fold(sentence.get(..vstart).unwrap_or(""))
                .trim_end()
                .ends_with("ngay")
        {
            continue;
        }
        // `dưới 0,1% vào năm 2013 (toàn quốc là dưới 0,3%)`: the nation's
        // figure, quoted in brackets to compare with, is no quota of this
        // text (seventeenth held-out batch).
        if let Some(open) = sentence.get(..num.start()).and_then(|b| b.rfind('(')) {
            let inside = sentence.get(open + 1..num.start()).unwrap_or("");
            let f = fold(inside);
            if !inside.contains(')')
                && [
                    "toan quoc",
                    "ca nuoc",
                    "binh quan ca nuoc",
                    "binh quan chung ca nuoc",
                    "trung binh ca nuoc",
                ]
                .iter()
                .any(|w| f.trim_start().starts_with(w))
            {
                continue;
            }
        }
        // `(1) Cải thiện …, (2) …`: an objective's ordinal, not a value.
        if before_char == Some('(')
            && after_char == Some(')')
            && c.get(3).is_none()
            && c.get(4).is_none()
            && num.as_str().len() <= 2
        {
            continue;
        }
        let rest = sentence.get(all.end()..).unwrap_or("");
        let rest_f = fold(rest.trim_start());
        let pct = c.get(4).map(|m| m.as_str());
        // Ranges: "4- 6 cán bộ", "30-40%", "trên 100.000 người đến 250.000 người".
        let after_noun_f = fold(noun_after(rest));
        let tail = rest_f
            .strip_prefix(&after_noun_f)
            .unwrap_or(&rest_f)
            .trim_start();
        // … but not `80% phụ nữ … từ khi phát hiện mang thai đến 01 tháng
        // sau sinh`: after its noun, `đến` starts a range only when the
        // second number has the first one's unit.
        let tail_range = tail.strip_prefix("den ").is_some_and(|t| {
            let unit_after = t
                .trim_start_matches(|d: char| d.is_ascii_digit() || d == '.' || d == ',')
                .trim_start();
            t.starts_with(|d: char| d.is_ascii_digit())
                && if pct.is_some() {
                    unit_after.starts_with(['%', '‰']) || unit_after.starts_with("phan")
                } else {
                    !words_start(unit_after, &["thang", "nam", "ngay", "tuan", "tuoi", "gio"])
                }
        });
        // `10% giai đoạn 2015 - 2016 và 6,5% …`: a span of years is no range
        // of values (and must not swallow the value after it).
        if c.get(1).is_none()
            && c.get(3).is_none()
            && pct.is_none()
            && num.as_str().len() == 4
            && num
                .as_str()
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2100).contains(&y))
        {
            continue;
        }
        if rest_f.starts_with('-')
            || rest_f.starts_with('–')
            || rest_f.starts_with("den ")
                && rest_f.chars().nth(4).is_some_and(|d| d.is_ascii_digit())
            || tail_range
        {
            // `duy trì mức giảm … từ 2 đến 3% hằng năm`, `30-40%`: a range
            // of rates is no single target; say so, for a person to read.
            let upper = rest
                .find(|d: char| d.is_ascii_digit())
                .and_then(|i| rest.get(i..))
                .map(|r| r.trim_start_matches(|d: char| d.is_ascii_digit() || d == ',' || d == '.'))
                .map(str::trim_start);
            if ctx.objectives && (pct.is_some() || upper.is_some_and(|u| u.starts_with(['%', '‰'])))
            {
                let end = rest
                    .find(['%', '‰'])
                    .map_or(all.end(), |i| all.end() + i + 1)
                    .min(sentence.len());
                warnings.push(format!(
                    "line {}: a range ({}) is not read as a target",
                    ctx.line,
                    sentence.get(num.start()..end).unwrap_or("").trim()
                ));
            }
            skip_next_until = all.end()
                + rest
                    .find(|d: char| d.is_ascii_digit())
                    .map_or(0, |i| i + 12);
            continue;
        }
        let Some(dec) = decimal_of(num.as_str()) else {
            continue;
        };
        let mut value = dec.to_f64();
        let is_year_like = pct.is_none()
            && c.get(3).is_none()
            && (1900.0..=2100.0).contains(&value)
            && !num.as_str().contains(',')
            && !num.as_str().contains('.');
        if is_year_like {
            continue;
        }
        let before_full = sentence.get(..vstart).unwrap_or("");
        let bf = fold(before_full);
        // `mức tiêu thụ rượu, bia có độ cồn từ 4,5% trở lên giảm 30%`: a
        // bound that a change of the same clause follows names the group
        // the change is of, not a value to reach.
        if let Some(after) = rest_f.strip_prefix("tro len") {
            let clause = after.split([',', ';']).next().unwrap_or("");
            if QUALIFIED_CHANGE.is_match(clause) {
                continue;
            }
        }
        // `giảm từ 411/100.000 ca đẻ xuống còn 200/100.000`, `nâng mức sinh
        // từ 1,33 con … lên 1,4`: the value after `từ` is where it starts
        // (the present), the one after `xuống` / `lên` the target.
        if (bf.trim_end().ends_with(" tu") || bf.trim_end() == "tu") && {
            let clause = rest_f.split(';').next().unwrap_or("");
            // (`từ 95% trở lên` is a floor)
            contains_words(clause, "xuong")
                || contains_words(clause, "len") && !clause.contains("tro len")
        } {
            continue;
        }
        // `mỗi cặp vợ chồng sinh đủ 02 con`: the two-child norm, no indicator.
        if bf.contains("vo chong") && rest_f.starts_with("con") {
            continue;
        }
        // `View count: 530`, `(Lượt xem: 1968)`: a site's counter, no value
        // (fifteenth held-out batch).
        let label = bf.trim_end().trim_end_matches(':').trim_end();
        if [
            "luot xem",
            "view count",
            "views",
            "luot truy cap",
            "luot thich",
            "luot chia se",
            "luot tai",
        ]
        .iter()
        .any(|w| label.ends_with(w))
        {
            continue;
        }
        // `103 – 107 bé trai/ 100 bé gái`: the number after a slash (a space
        // between) is a rate's denominator, no value.
        if before_full.trim_end().ends_with('/') {
            continue;
        }
        // `Chỉ tiêu 13: …`, `Mục tiêu 2.` : the label's number, no value.
        // … and in running prose, `mục tiêu 1 thực hiện duy trì …`: a small
        // whole number right after the label word, with no unit or noun
        // counted after it, numbers the objective.
        let labelled = ["chi tieu", "muc tieu", "tieu chi", "nhiem vu", "giai phap"]
            .iter()
            .any(|w| bf.trim_end().ends_with(w));
        let numbers_the_label = rest.trim_start().starts_with([':', '.', ')'])
            || num.as_str().len() <= 2
                && !num.as_str().contains(',')
                && c.get(3).is_none()
                && rest_f.starts_with(char::is_alphabetic)
                && !words_start(&rest_f, COUNT_NOUNS)
                && !words_start(&rest_f, &["con", "lan", "nam", "thang"]);
        if pct.is_none() && labelled && numbers_the_label {
            continue;
        }
        if bf.ends_with(" so")
            || bf.ends_with(" thu")
            || bf.ends_with("lan thu")
            || bf.ends_with("de an")
            || bf.ends_with("khoa")
            || bf.ends_with("muc do")
            || bf.ends_with("hang")
            || bf.ends_with("tram xa")
        {
            continue;
        }
        let (seg_start, seg_end) = segment_of(num.start());
        let region_start = seg_start.max(consumed).min(vstart);
        let before = sentence.get(region_start..vstart).unwrap_or("");
        let before_f = fold(before);
        let seg_text_f = fold(sentence.get(seg_start..seg_end).unwrap_or(""));
        // `giảm 1% so với năm 2023`, `tăng 10% so với năm 2020`: a relative
        // target, whose `so với` names its base, not a baseline.
        // `so năm 2022` and `so cùng kỳ` compare too.
        let compares = |f: &str| {
            ["so voi", "so nam ", "so cung ky"]
                .iter()
                .any(|w| f.starts_with(w) || f.contains(&format!(" {w}")))
        };
        let relative = (before_f.contains("giam") || before_f.contains("tang") || sign.is_some())
            && (compares(&rest_f)
                || compares(&fold(sentence.get(all.end()..seg_end).unwrap_or(""))));
        // `giảm 25% số … và 20% số … so với năm 2015`: a bare value opening
        // the `và` segment after a relative target is the same change, and
        // the comparison after it is its base, not the past.
        let joined_change = (!relative
            && strip_words(before).trim().is_empty()
            && sentence
                .get(..seg_start)
                .is_some_and(|b| b.trim_end().ends_with(" và"))
            && compares(&fold(sentence.get(all.end()..seg_end).unwrap_or(""))))
        .then(|| out.last())
        .flatten()
        .filter(|prev| prev.unit == unit_guess(pct))
        .map(|prev| prev.comparator)
        .filter(|c| matches!(c, Comparator::ReduceBy | Comparator::IncreaseBy));
        let relative = relative || joined_change.is_some();
        // `so với` marks a comparison with the past only in the value's own
        // comma clause: `giảm 10% … so với giai đoạn 2016-2020, tỷ lệ tử
        // vong/mắc dưới 0,09%` states a target after it.
        let clause_f = {
            let from = sentence
                .get(seg_start..vstart)
                .and_then(|b| b.rfind(',').map(|i| seg_start + i + 1))
                .unwrap_or(seg_start);
            let to = sentence
                .get(all.end()..seg_end)
                .and_then(|a| a.find(',').map(|i| all.end() + i))
                .unwrap_or(seg_end);
            fold(sentence.get(from..to).unwrap_or(""))
        };
        // `Hiện, tuổi thọ … là 76,5`, `(hiện là 76,2)`: the present.
        if fs.trim_start().starts_with("hien,") || contains_words(&before_f, "hien la") {
            continue;
        }
        // `… xuống còn 130/100.000 ca đẻ vào năm 2010, trong khi mức hiện
        // nay là 165/100.000`: the present of a contrast after the value is
        // that later value's, not this one's.
        let cue_text_f = match sentence
            .get(all.end()..seg_end)
            .and_then(|a| a.find(", trong khi"))
        {
            Some(i) => fold(sentence.get(seg_start..all.end() + i).unwrap_or("")),
            None => seg_text_f.clone(),
        };
        if BASELINE_CUES.iter().any(|b| {
            let found = if *b == "so voi" {
                clause_f.contains(b)
            } else if *b == "dat duoc" {
                // `Việc đạt được hai chỉ tiêu trên sẽ góp phần …`: reaching
                // targets is a commitment, not a result.
                let strip = |t: &str| ACHIEVING_TARGETS.replace_all(t, " ").into_owned();
                contains_words(&strip(&cue_text_f), b) || contains_words(&strip(&before_f), b)
            } else if *b == "ket qua" {
                // `68 xã … duy trì kết quả đạt Tiêu chí …`: keeping an
                // achievement is a commitment, not a result (seventeenth
                // held-out batch).
                let strip = |t: &str| KEEPING_RESULTS.replace_all(t, " ").into_owned();
                contains_words(&strip(&cue_text_f), b) || contains_words(&strip(&before_f), b)
            } else {
                contains_words(&cue_text_f, b) || contains_words(&before_f, b)
            };
            // `phấn đấu toàn tỉnh có trên 50% thôn …` commits to a share.
            let committed = *b == "toan tinh co"
                && (seg_text_f.contains("phan dau toan tinh co")
                    || before_f.contains("phan dau toan tinh co"));
            // `giảm 60% so với hiện nay`: the base of a relative target.
            let base_now = relative && *b == "hien nay" && seg_text_f.contains("so voi hien nay");
            // `giảm 0,05% so với kết quả thực hiện năm 2013`: the result
            // compared with is the base, not this value (fifteenth batch).
            let base_now =
                base_now || relative && *b == "ket qua" && seg_text_f.contains("so voi ket qua");
            let relative_base = relative && *b == "so voi" || base_now;
            found && !relative_base && !committed
        }) {
            continue;
        }
        // Unit.
        let mut unit_text: Option<String> = None;
        let mut unit = unit_guess(pct);
        if let Some(p) = pct {
            let an = noun_after(rest);
            let anf = fold(an);
            unit_text = Some(if anf.starts_with("dan so") || anf.starts_with("so dan") {
                format!(
                    "{p} {}",
                    an.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
                )
            } else {
                p.to_string()
            });
        }
        // `trên 1.000 trẻ đẻ sống`, `550/100.000 trẻ em`: a rate's
        // denominator, not a value; it gives the unit.
        if pct.is_none()
            && c.get(3).is_none()
            && [1000.0, 100_000.0].contains(&value)
            && bf.ends_with("tren")
            && (rest_f.starts_with("tre") || words_start(&rest_f, &["nguoi dan", "dan"]))
        {
            continue;
        }
        // `19 bác sĩ trên 1 vạn dân`: the `1` of the denominator.
        if pct.is_none()
            && c.get(3).is_none()
            && value == 1.0
            && bf.ends_with("tren")
            && words_start(&rest_f, &["van"])
        {
            continue;
        }
        // `trẻ em dưới 1 tuổi trên 1.000 trẻ đẻ sống`: an age, not a rate.
        if unit == Unit::Count && c.get(3).is_none() && !words_start(&rest_f, &["tuoi"]) {
            let per = |k: &str| denominators.iter().any(|(p, d)| *p < vstart && *d == k);
            let denominator = if rest.starts_with("/100.000") || per("100.000") {
                Some((Unit::Per100000, "/100.000"))
            } else if rest.starts_with("/1.000") || per("1.000") {
                Some((Unit::PerMille, "‰"))
            } else {
                None
            };
            if let Some((u, text)) = denominator {
                unit = u;
                unit_text = Some(text.to_string());
            }
        }
        let mut fraction = false;
        if let Some(den) = c.get(3).and_then(|d| d.as_str().parse::<f64>().ok()) {
            // `đạt 8/10 chỉ tiêu`: a count of indicators met, no share to
            // reach (fifteenth held-out batch).
            if words_start(&rest_f, &["chi tieu", "muc tieu", "nhiem vu", "tieu chi"]) {
                continue;
            }
            if (den - 100.0).abs() < 1e-9
                && pct.is_none()
                && words_start(
                    &rest_f,
                    &[
                        "tre de song",
                        "tre sinh song",
                        "so sinh song",
                        "tre de ra song",
                        "be gai",
                    ],
                )
            {
                // `tỷ số phá thai … dưới 25/100 trẻ đẻ sống`: a ratio per
                // 100 births, not a share of them.
                unit_text = Some(format!("{}/100", num.as_str()));
                unit = Unit::Per100;
            } else if den > 0.0 && value <= den && pct.is_none() {
                unit_text = Some(format!("{}/{}", num.as_str(), den));
                value = value / den * 100.0;
                unit = Unit::Percent;
                fraction = true;
            } else {
                continue;
            }
        }
        let mut noun = String::new();
        if unit == Unit::Count {
            if rest_f.starts_with("tuoi") {
                if !(before_f.contains("tuoi tho")
                    || fold(sentence.get(seg_start..vstart).unwrap_or("")).contains("tuoi tho"))
                {
                    continue;
                }
                unit = Unit::Years;
                unit_text = Some("tuổi".into());
            } else if (100.0..=130.0).contains(&value)
                && fold(sentence).contains("ty so gioi tinh khi sinh")
                && !rest_f.starts_with("ca")
                && !words_start(&rest_f, &["nguoi", "tre", "xa", "thon"])
            {
                // `tỷ số giới tính khi sinh … dưới mức 115 vào năm 2020`:
                // boys per 100 girls, the ratio's unit left unsaid.
                unit = Unit::Per100;
            } else if [
                "tre nam/100",
                "tre trai/100",
                "so be trai/100",
                "be trai/100",
            ]
            .iter()
            .any(|w| rest_f.starts_with(w))
            {
                unit = Unit::Per100;
                unit_text = Some(
                    rest.split_whitespace()
                        .take(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                        .trim_end_matches([';', ',', '.'])
                        .to_string(),
                );
            } else if rest_f.starts_with("con/phu nu")
                || rest_f.starts_with("con / phu nu")
                // `bình quân mỗi phụ nữ … có 2,1 con)`: the same rate.
                || (words_start(&rest_f, &["con"])
                    && !rest_f.starts_with("con ")
                    && {
                        // … and `tổng tỷ suất sinh dưới 2,1 con` (seventeenth
                        // held-out batch).
                        let seg = fold(sentence.get(seg_start..vstart).unwrap_or(""));
                        seg.contains("moi phu nu") || seg.contains("ty suat sinh")
                    })
            {
                // The total fertility rate, children per woman.
                unit = Unit::Ratio;
                unit_text = Some("con/phụ nữ".into());
            } else if words_start(&rest_f, &["trieu nguoi", "trieu dan"]) {
                // `Quy mô dân số đạt mức 9,0 triệu người`: a head count in
                // millions (`triệu` alone is money, skipped below).
                value *= 1_000_000.0;
                unit_text = Some("người".into());
            } else if words_start(&rest_f, &["nam"])
                && !words_start(&rest_f, &["nam 1", "nam 2"])
                && {
                    let b = fold(sentence.get(seg_start..vstart).unwrap_or(""));
                    b.contains("so nam song") || b.contains("thoi gian song")
                }
            {
                // `số năm sống khỏe mạnh đạt tối thiểu 68 năm`: years of
                // life, not a duration.
                unit = Unit::Years;
                unit_text = Some("năm".into());
            } else if let Some(u) =
                bare_measure(sentence.get(..vstart).unwrap_or(""), &rest_f, value)
            {
                // `tuổi thọ … đến năm 2030 là 77 (…)`, `mức sinh … lên 1,4 vào
                // năm 2025`: a bare value takes the unit its measure implies.
                unit = u;
            } else if words_start(&rest_f, SKIP_AFTER) {
                continue;
            } else {
                noun = strip_words(noun_after(rest));
                let nf = fold(&noun);
                let staff = words_start(&nf, STAFF_NOUNS);
                let look = fold(sentence.get(all.end()..).unwrap_or(""));
                let look = match YEAR.find(&look) {
                    Some(m) => look.get(..m.start()).unwrap_or("").to_string(),
                    None => look,
                };
                // `dưới 20 người trên 100.000 người dân`: the denominator
                // follows the value.
                let per_after = PER_POPULATION_AFTER.captures(&rest_f).map(|c| {
                    if c.get(1).is_some_and(|m| m.as_str() == "100.000") {
                        Unit::Per100000
                    } else {
                        Unit::Per10000
                    }
                });
                if let Some(pp) = per_after
                    .or_else(|| per_population(&bf))
                    .or_else(|| staff.then(|| per_population(&look)).flatten())
                {
                    unit = pp;
                    unit_text = Some(if nf.contains("dan") {
                        noun.clone()
                    } else if pp == Unit::Per10000 {
                        format!("{noun}/vạn dân")
                    } else {
                        format!("{noun}/100.000 dân")
                    });
                } else if noun.is_empty() && !ctx.objectives {
                    continue;
                } else if !noun.is_empty() {
                    if !ctx.objectives && !words_start(&nf, COUNT_NOUNS) {
                        continue;
                    }
                    unit_text = Some(
                        noun.split_whitespace()
                            .take(3)
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
            }
        }
        // Comparator.
        let symbol = c.get(1).map(|m| m.as_str());
        let mut comparator = match symbol {
            Some("≤") => Some(Comparator::Le),
            Some("≥") => Some(Comparator::Ge),
            Some("<") => Some(Comparator::Lt),
            Some(">") => Some(Comparator::Gt),
            // a sentence ended before a value that opens the next one (`…
            // Giảm thiểu các hành vi nguy cơ …. 100% Trạm Y tế …`) gives it
            // no cue
            _ => parse_comparator(&without_monitoring(comparator_cue(
                before.rsplit_once(". ").map_or(before, |(_, b)| b),
            ))),
        };
        // `đạt từ 98%` (no `đến` after: ranges were skipped above): a floor.
        if matches!(comparator, None | Some(Comparator::Eq)) && {
            let b = before.trim_end().to_lowercase();
            b == "từ" || b.ends_with(" từ")
        } {
            comparator = Some(Comparator::Ge);
        }
        // `đạt 35% trở lên`, `… 2 con trở xuống`: a bound written after
        // its value.
        if matches!(comparator, None | Some(Comparator::Eq)) {
            if rest_f.starts_with("tro len") {
                comparator = Some(Comparator::Ge);
            } else if rest_f.starts_with("tro xuong") {
                comparator = Some(Comparator::Le);
            }
        }
        // `tỷ lệ che phủ … ổn định ở mức 42%`: kept where it stands.
        if matches!(comparator, None | Some(Comparator::Eq)) && {
            let bt = fold(before.trim_end());
            bt.ends_with("on dinh o muc") || bt.ends_with("on dinh muc") || bt.ends_with("on dinh")
        } {
            comparator = Some(Comparator::Maintain);
        }
        if comparator.is_none()
            && fold(sentence.get(seg_start..seg_end).unwrap_or("")).contains("duy tri")
            // (`… duy trì …, góp phần đạt mục tiêu 95%`: the nearer `đạt`)
            && !fold(comparator_cue(before)).starts_with("dat ")
        {
            comparator = Some(Comparator::Maintain);
        }
        // `giảm … xuống 29,5%`, `giảm … còn 11,5%` state where it goes, not by how much.
        if comparator == Some(Comparator::ReduceBy) {
            let bt = fold(before.trim_end());
            if bt.ends_with("xuong") || bt.ends_with("con") || bt.ends_with("xuong muc") {
                comparator = Some(Comparator::Eq);
            }
        }
        // `mức giảm tỷ lệ … đạt 0,5%`: the reduction itself is the value.
        if comparator == Some(Comparator::Eq) && before_f.contains("muc giam") {
            comparator = Some(Comparator::ReduceBy);
        }
        if let Some(ch) = sign {
            comparator = Some(if ch == '+' {
                Comparator::IncreaseBy
            } else {
                Comparator::ReduceBy
            });
        }
        // `giảm tỷ lệ sinh con thứ 3 trở lên 1% so với năm 2023`; `tăng …
        // tối thiểu 5% so với năm 2022` (an increase by at least 5 points).
        if let Some(change) = joined_change {
            comparator = Some(change);
        }
        if relative && matches!(comparator, None | Some(Comparator::Eq | Comparator::Ge)) {
            let g = before_f.find("giam");
            let t = before_f.find("tang");
            comparator = Some(match (g, t) {
                (Some(a), Some(b)) if b < a => Comparator::IncreaseBy,
                (Some(_), _) => Comparator::ReduceBy,
                _ => Comparator::IncreaseBy,
            });
        }
        // `khám sức khỏe trước khi kết hôn 150 người`: marriage, not "more than".
        if comparator == Some(Comparator::Gt) && before_f.trim_end().ends_with("ket hon") {
            comparator = None;
        }
        let explicit = comparator.is_some();
        if unit == Unit::Count && !ctx.objectives && !explicit {
            continue;
        }
        if unit == Unit::Count && ctx.objectives && !explicit && !fraction {
            // a bare count inside an objective: only at the start of a
            // segment — or, in a prose list of targets, a head count ending
            // its segment (`… trước khi kết hôn 150 người;`, `giám sát phát
            // hiện HIV 3.000 mẫu;`)
            let prose_head_count = ctx.id.starts_with('p')
                && words_start(&fold(&noun), &["nguoi", "luot", "ca", "don vi", "mau"])
                && strip_words(before).split_whitespace().count() >= 3;
            if !strip_words(before).is_empty() && !prose_head_count {
                continue;
            }
        }
        // `xuống dưới 6,5% vào năm 2025 và 6% vào năm 2030`: a bare value
        // opening the `và` segment after a bounded one keeps its bound.
        if comparator.is_none()
            && strip_words(before).trim().is_empty()
            && sentence
                .get(..seg_start)
                .is_some_and(|b| b.trim_end().ends_with(" và"))
        {
            comparator = out
                .last()
                .filter(|prev| {
                    prev.unit == unit
                        && matches!(
                            prev.comparator,
                            Comparator::Lt | Comparator::Le | Comparator::Gt | Comparator::Ge
                        )
                        && read_at.last().is_some_and(|r| *r < seg_start)
                })
                .map(|prev| prev.comparator);
        }
        let comparator =
            comparator.unwrap_or(if (value - 100.0).abs() < 1e-9 && unit == Unit::Percent {
                Comparator::Ge
            } else {
                Comparator::Eq
            });
        // Subject.
        let before_clean = strip_words(before);
        let words = before_clean.split_whitespace().count();
        let per_pop = unit == Unit::Per10000 || unit == Unit::Per100000;
        let after_subject = if unit == Unit::Percent || unit == Unit::PerMille {
            noun_after_percent(rest).to_string()
        } else if per_pop && !bf.contains("dan") {
            unit_text.clone().unwrap_or_default()
        } else {
            noun.clone()
        };
        let after_words = after_subject.split_whitespace().count();
        let ends_colon = before
            .trim_end()
            .trim_end_matches(['≤', '≥', '<', '>', ' '])
            .ends_with(':');
        let mut subject = if let Some(h) = from_head(&before_clean) {
            if h.split_whitespace().count() <= 2 {
                format!("{h} {after_subject}")
            } else {
                h.to_string()
            }
        } else if words == 0 || (ends_colon || words > 10) && after_words >= 2 {
            after_subject.clone()
        } else if after_words >= 1
            && (unit != Unit::Percent
                || !after_subject.to_lowercase().starts_with("dân số")
                || after_words > 2)
        {
            format!("{before_clean} {after_subject}")
        } else {
            before_clean.clone()
        };
        subject = without_year_phrase(&subject);
        // What followed the value was only its year (`đạt 55% vào năm
        // 2025`): the words before it name what it measures.
        if subject.is_empty() {
            subject = without_year_phrase(&before_clean);
        }
        if subject.is_empty() {
            match out.last() {
                Some(prev) => subject = prev.subject.clone(),
                None => continue,
            }
        }
        let mut indicator = match_indicator(&subject);
        // A subject that names its own measure (`tỷ lệ phụ nữ đẻ …`) is not
        // the previous target's measure continued.
        let own_measure = names_its_measure(&subject);
        if !own_measure && (indicator.is_none() || subject.split_whitespace().count() < 3) {
            if let Some(prev) = out.last() {
                let head = prev
                    .subject
                    .split(':')
                    .next()
                    .unwrap_or(&prev.subject)
                    .trim();
                let combined = format!("{head} {subject}");
                if let Some(ind) = match_indicator(&combined) {
                    if indicator.is_none() {
                        indicator = Some(ind);
                        subject = combined;
                    }
                }
            }
        }
        // Year.
        let seg_years: Vec<i32> = years
            .iter()
            .filter(|(p, _)| *p >= seg_start && *p < seg_end)
            .map(|(_, y)| *y)
            .collect();
        // `năm 2018 đạt 87,98% dân số, đạt 91,93% dân số vào năm 2019`: a
        // year before the value that another value already took gives way
        // to the value's own year after it.
        let year_before = years
            .iter()
            .rfind(|(p, _)| *p >= seg_start && *p < seg_end && *p <= vstart);
        // `đạt 98,5% vào năm 2025, phấn đấu 100% vào năm 2030`, `… 60% vào
        // năm 2030: tỷ lệ … dưới 0,12% vào năm 2025`: a year before the
        // value that follows a value already read is that value's.
        let taken = year_before.is_some_and(|(bp, _)| {
            read_at.iter().any(|r| r > bp && *r < vstart)
                || read_at.iter().any(|r| *r >= seg_start && r < bp)
                    && sentence
                        .get(*bp..vstart)
                        .is_some_and(|between| between.contains([',', ':']))
        });
        let own_after = years
            .iter()
            .find(|(p, _)| *p > vstart && *p < seg_end)
            .filter(|(p, _)| {
                sentence
                    .get(all.end()..*p)
                    .is_some_and(|b| !b.contains(['%', '‰']))
            })
            .map(|(_, y)| *y);
        let year = taken
            .then_some(own_after)
            .flatten()
            .or_else(|| year_before.map(|(_, y)| *y))
            .or_else(|| seg_years.first().copied())
            // `…; giảm tỷ lệ … xuống dưới 5% đối với nông thôn và dưới 10% …
            // vào năm 2025`: in a `;` clause with no year before the value,
            // the clause's own year after it, not the last clause's.
            .or_else(|| {
                let clause_start = sentence
                    .get(..vstart)
                    .and_then(|b| b.rfind(';'))
                    .unwrap_or(0);
                let clause_end = sentence
                    .get(vstart..)
                    .and_then(|a| a.find(';'))
                    .map_or(sentence.len(), |i| vstart + i);
                let before_in_clause = years.iter().any(|(p, _)| *p >= clause_start && *p < vstart);
                (clause_start > 0 && !before_in_clause)
                    .then(|| {
                        years
                            .iter()
                            .find(|(p, _)| *p > vstart && *p < clause_end)
                            .map(|(_, y)| *y)
                    })
                    .flatten()
            })
            .or_else(|| {
                years
                    .iter()
                    .filter(|(p, _)| *p < vstart)
                    .map(|(_, y)| *y)
                    .next_back()
            })
            // No year before it: the first the sentence names after it
            // (`75% … vào năm 2025 và đạt 85% vào năm 2030`, `đạt 70% và
            // … đạt 95% năm 2025`), before the plan's horizon.
            .or_else(|| years.iter().find(|(p, _)| *p > vstart).map(|(_, y)| *y))
            .or(ctx.default_year);
        // `…, giai đoạn 2025-2030 sẽ phấn đấu ít nhất 50% …`: a period
        // nearer before the value than any year dates it at its end, unless
        // the value names its own year after it (`Đề án …, giai đoạn
        // 2016-2025 với mục tiêu … 0,46 … dưới mức 115 vào năm 2020`).
        let period_before = periods_at(sentence)
            .into_iter()
            .rfind(|(p, _)| *p >= seg_start && *p < vstart)
            .filter(|(p, _)| year_before.is_none_or(|(yp, _)| p > yp));
        let year = match (period_before, own_after) {
            (Some((_, end)), None) => Some(end),
            _ => year,
        };
        // `xuống còn 10% giai đoạn 2015 - 2016 và 6,5% giai đoạn 2017 -
        // 2020`: a period right after the value dates it at its end.
        let year = PERIOD_AFTER
            .captures(rest)
            .and_then(|p| p.get(1)?.as_str().parse::<i32>().ok())
            .or(year);
        if let Some(ind) = indicator {
            // `100% các tỉnh … đưa mục tiêu giảm tử vong trẻ em dưới 5 tuổi
            // vào kế hoạch`: a share of provinces, not the rate it names.
            if ind.unit == Unit::PerMille
                && unit == Unit::Percent
                && !(names_its_measure(&subject) && value < 100.0)
            {
                indicator = None;
            }
        }
        if let Some(ind) = indicator {
            if ind.unit == Unit::PerMille && unit == Unit::Percent {
                warnings.push(format!(
                    "line {}: '%' read as '‰' for {} ({})",
                    ctx.line,
                    ind.code,
                    num.as_str()
                ));
                unit = Unit::PerMille;
            }
            if ind.unit == Unit::Per10000 && unit == Unit::Count {
                unit = Unit::Per10000;
            }
        }
        // A head count ("1.021 trường hợp") does not measure a rate: keep the
        // target, but do not link it to the rate's indicator.
        if let Some(ind) = indicator {
            if unit == Unit::Count && ind.unit != Unit::Count {
                warnings.push(format!(
                    "line {}: a count ({}) is not the rate {}; the target is left unlinked",
                    ctx.line,
                    num.as_str(),
                    ind.code
                ));
                indicator = None;
            }
        }
        let raw_after = if unit == Unit::Percent || unit == Unit::PerMille {
            noun_after_percent(rest)
        } else {
            noun_after(rest)
        };
        let lead_ws = rest.len() - rest.trim_start().len();
        consumed = if !after_subject.is_empty() && subject.contains(after_subject.as_str()) {
            all.end() + lead_ws + raw_after.len()
        } else {
            all.end()
        };
        // A relative target whose base stands after its segment (`giảm 25% …
        // và 20% … so với năm 2015`) keeps the words up to that base.
        let text_end =
            if relative && !BASE_YEAR.is_match(sentence.get(seg_start..seg_end).unwrap_or("")) {
                let clause_end = sentence
                    .get(seg_end..)
                    .and_then(|a| a.find(';'))
                    .map_or(sentence.len(), |i| seg_end + i);
                sentence
                    .get(seg_end..clause_end)
                    .and_then(|a| BASE_YEAR.find(a))
                    .map_or(seg_end, |m| seg_end + m.end())
            } else {
                seg_end
            };
        let text = sentence
            .get(seg_start..text_end)
            .unwrap_or(sentence)
            .trim()
            .trim_end_matches([';', '.'])
            .trim();
        out.push(Target {
            id: ctx.id.to_string(),
            section: ctx.section.to_string(),
            text: text.to_string(),
            subject,
            indicator: indicator.map(|i| i.code.to_string()),
            comparator,
            value: Some(value),
            unit,
            unit_text,
            year,
            lead_units: ctx.lead_units.to_vec(),
            coordinating_units: ctx.coordinating_units.to_vec(),
            line: ctx.line,
        });
        read_at.push(vstart);
    }
    // `tỷ lệ có thai ở vị thành niên và tỷ lệ phá thai ở vị thành niên đều
    // giảm 20%`: one value for each of the measures `đều` joins.
    let mut shared: Vec<(usize, Target)> = Vec::new();
    for (i, t) in out.iter().enumerate() {
        let at = read_at.get(i).copied().unwrap_or(0);
        let Some(k) = bounds.iter().rposition(|b| *b <= at) else {
            continue;
        };
        // `bounds` holds segment starts at even places.
        let k = k - k % 2;
        let (Some(&seg_start), Some(&prev_start), Some(&prev_end)) = (
            bounds.get(k),
            k.checked_sub(2).and_then(|j| bounds.get(j)),
            k.checked_sub(1).and_then(|j| bounds.get(j)),
        ) else {
            continue;
        };
        let lead = fold(sentence.get(seg_start..at).unwrap_or(""));
        let prev = sentence.get(prev_start..prev_end).unwrap_or("");
        let joined = sentence
            .get(prev_end..seg_start)
            .is_some_and(|sep| sep.trim() == "và");
        if !joined
            || !lead.contains(" deu ")
            || read_at.iter().any(|r| *r >= prev_start && *r < prev_end)
        {
            continue;
        }
        if let Some(head) = from_head(prev) {
            shared.push((
                prev_start,
                Target {
                    subject: without_year_phrase(head),
                    ..t.clone()
                },
            ));
        }
    }
    for (a, t) in shared {
        out.push(t);
        read_at.push(a);
    }
    // `dưới 5% đối với nông thôn và dưới 10% đối với thành thị vào năm
    // 2025 và năm 2030`: a segment that is only a further year gives the
    // values of its clause (since the last `;`) that year too.
    let mut extra: Vec<(usize, Target)> = Vec::new();
    for pair in bounds.chunks(2) {
        let (&a, &b) = match pair {
            [a, b] => (a, b),
            _ => continue,
        };
        let seg = sentence.get(a..b).unwrap_or("");
        let f = fold(seg.trim().trim_end_matches(['.', ';', ',']));
        let f = f
            .strip_prefix("vao ")
            .or_else(|| f.strip_prefix("den "))
            .unwrap_or(&f);
        let Some(year) = f
            .strip_prefix("nam ")
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse::<i32>().ok())
        else {
            continue;
        };
        let clause_start = sentence.get(..a).and_then(|x| x.rfind(';')).unwrap_or(0);
        let before_year = years_at(sentence.get(..a).unwrap_or(""))
            .last()
            .map(|(_, y)| *y);
        for (i, t) in out.iter().enumerate() {
            let at = read_at.get(i).copied().unwrap_or(0);
            if at >= clause_start
                && at < a
                && t.year.is_some()
                && t.year == before_year
                && before_year < Some(year)
            {
                extra.push((
                    a,
                    Target {
                        year: Some(year),
                        ..t.clone()
                    },
                ));
            }
        }
    }
    for (a, t) in extra {
        out.push(t);
        read_at.push(a);
    }
    // `100% … vào năm 2025 và duy trì đến năm 2030`: a segment that only
    // keeps the target before it to a later year states a second target,
    // `duy trì` (Maintain) the same value then.
    for pair in bounds.chunks(2) {
        let (&a, &b) = match pair {
            [a, b] => (a, b),
            _ => continue,
        };
        let seg = sentence.get(a..b).unwrap_or("");
        let f = fold(seg.trim());
        let seg_years = years_at(seg);
        let Some(&(_, year)) = seg_years.last() else {
            continue;
        };
        let numbers = seg.chars().filter(char::is_ascii_digit).count();
        if !f.starts_with("duy tri") || numbers != 4 * seg_years.len() {
            continue;
        }
        let before = read_at.iter().rposition(|p| *p < a);
        if let Some(kept) = before.and_then(|i| out.get(i)).cloned() {
            if kept.year.is_some_and(|y| y < year) {
                out.push(Target {
                    comparator: Comparator::Maintain,
                    year: Some(year),
                    text: seg.trim().trim_end_matches([';', '.']).to_string(),
                    ..kept
                });
                read_at.push(a);
            }
        }
    }
    out
}

static VERB_AFTER_COMMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s+(?:phát triển|đáp ứng|bảo đảm|đảm bảo|tăng|giảm|nâng|thực hiện|triển khai|xây dựng|tiếp tục|đồng thời|góp phần|hướng tới|trong đó|phấn đấu|tỷ lệ|tỉ lệ|tỷ suất)\b").expect("static regex")
});

/// `95% người … được cấp giấy chứng nhận, hơn 90% người …`: after a comma,
/// a value (with its bound) starts the next item of the list.
static VALUE_AFTER_COMMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i),\s+(?:(?:hơn|trên|dưới|ít nhất|tối thiểu|khoảng|gần|đạt)\s+)?\d")
        .expect("static regex")
});

fn noun_after_percent(rest: &str) -> &str {
    let rest = match VERB_AFTER_COMMA.find(rest) {
        Some(m) => rest.get(..m.start()).unwrap_or(rest),
        None => rest,
    };
    let rest = match VALUE_AFTER_COMMA.find(rest) {
        Some(m) => rest.get(..m.start()).unwrap_or(rest),
        None => rest,
    };
    let end = rest
        .char_indices()
        .find(|(i, c)| {
            matches!(c, ';' | '(' | ')')
                || *c == '.'
                    && !rest
                        .get(i + 1..)
                        .is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()))
                || rest.get(*i..).is_some_and(|r| r.starts_with(" và "))
        })
        .map_or(rest.len(), |(i, _)| i);
    rest.get(..end).unwrap_or("").trim()
}

/// A value cell of a target table: `>90`, `≥ 95`, `100`, `Duy trì`, `70%`.
pub fn parse_cell(cell: &str) -> Option<(Comparator, Option<f64>)> {
    let t = cell.trim();
    if t.is_empty() || t == "-" {
        return None;
    }
    let f = fold(t);
    if f.starts_with("duy tri") {
        let v = VALUE
            .captures(t)
            .and_then(|c| c.get(2))
            .and_then(|m| parse_decimal(m.as_str()))
            .map(|d| d.to_f64());
        return Some((Comparator::Maintain, v));
    }
    let c = VALUE.captures(t)?;
    let num = c.get(2)?;
    let v = decimal_of(num.as_str())?.to_f64();
    let prefix = t.get(..num.start()).unwrap_or("");
    let cmp = match c.get(1).map(|m| m.as_str()) {
        Some("≤") => Comparator::Le,
        Some("≥") => Comparator::Ge,
        Some("<") => Comparator::Lt,
        Some(">") => Comparator::Gt,
        _ => parse_comparator(prefix).unwrap_or(Comparator::Eq),
    };
    Some((cmp, Some(v)))
}

/// The unit a table's unit cell names.
pub fn unit_of_cell(cell: &str) -> Unit {
    let f = fold(cell.trim());
    match f.as_str() {
        "%" | "ty le %" | "ty le" => Unit::Percent,
        "‰" | "%o" | "phan nghin" => Unit::PerMille,
        "tuoi" | "nam" => Unit::Years,
        _ if f.contains("van dan") || f.contains("10.000 dan") => Unit::Per10000,
        _ if f.contains("100.000") => Unit::Per100000,
        _ if f.contains("/100") => Unit::Per100,
        _ if f.contains("dong") => Unit::Vnd,
        "" => Unit::Other,
        _ => Unit::Count,
    }
}

/// Targets stated in running prose outside the numbered tree: a line that
/// names targets (`chỉ tiêu`, `phấn đấu`, `mục tiêu`) opens a run that goes
/// on over the following lines up to a blank line or a table
/// (`Một số chỉ tiêu cụ thể trong năm 2024 …, gồm: giảm …; tỷ lệ … 52%; …`).
/// Lines the tree already read, and lines that already gave a target, are
/// left alone; a headline restating a target of the text (same value and
/// unit, no year) is dropped.
pub fn prose_targets(
    lines: &[crate::lines::Line],
    st: &crate::structure::Structure,
    found: &[Target],
    plan_year: Option<i32>,
    warnings: &mut Vec<String>,
) -> Vec<Target> {
    use std::collections::HashSet;
    let covered: HashSet<usize> = st
        .items
        .iter()
        .flat_map(|it| {
            it.paragraphs()
                .into_iter()
                .map(|(n, _)| n)
                .chain(it.lead_attrs.iter().map(|(n, _)| *n))
                .chain(it.coord_attrs.iter().map(|(n, _)| *n))
                .chain(it.time_attrs.iter().map(|(n, _)| *n))
                .collect::<Vec<_>>()
        })
        .collect();
    let done: HashSet<usize> = found.iter().map(|t| t.line).collect();
    // A news page's own date (`Ngày đăng 08/07/2014 | 00:00`): the year
    // that `6 tháng đầu năm`, `trong năm`, `năm nay` speak of when their
    // line names none (fifteenth held-out batch).
    let page_year = lines
        .iter()
        .filter(|l| !l.is_blank())
        .take(12)
        .find_map(|l| PUBLISHED.captures(&l.text))
        .and_then(|c| c.get(1)?.as_str().parse::<i32>().ok());
    // A text that presents itself as a report of results (`BÁO CÁO`, a
    // headline `… báo cáo kết quả 9 tháng đầu năm 2024`, `Tổng kết công tác
    // …`, `Kết quả thực hiện …`) names quotas mostly to measure results by
    // them: there a `chỉ tiêu` / `mục tiêu` opens a run only in a line
    // naming a year after the one reported on (`Năm 2025, … chỉ tiêu …`);
    // `phấn đấu`, a committing verb and a horizon still open one.
    let report_year = reported_year(lines);
    let mut out: Vec<Target> = Vec::new();
    let mut in_run = false;
    // A run of targets goes on over a blank line after a paragraph that
    // stated some (a press report gives one paragraph to each), and into a
    // paragraph opening with `Theo đó` / `Cụ thể` after the one announcing
    // them (`Kế hoạch cũng đưa ra mục tiêu …` then `Theo đó, tối thiểu 80% …`).
    let mut run_productive = false;
    let mut run_before_blank = false;
    let mut announced = false;
    let mut last_year = plan_year;
    for l in lines {
        if l.cells.is_some() {
            in_run = false;
            run_before_blank = false;
            continue;
        }
        if l.is_blank() {
            run_before_blank |= in_run;
            in_run = in_run && (run_productive || announced);
            continue;
        }
        // `Theo đó, mục tiêu đặt ra là:` announces the targets of the
        // paragraphs after it, over a blank line.
        announced = {
            let f = fold(&l.text);
            let label = f
                .trim_start_matches(|c: char| !c.is_alphabetic())
                .trim_start();
            l.text.trim_end().ends_with(':') && (f.contains("muc tieu") || f.contains("chi tieu"))
                // `Mục tiêu cụ thể 1: Tăng cường …` labels the items after it
                // (each a paragraph of its own, over blank lines).
                || label.starts_with("muc tieu cu the")
                || label.starts_with("chi tieu cu the")
        };
        let continues = run_before_blank && {
            let f = fold(&l.text);
            ["theo do", "cu the", "trong do"]
                .iter()
                .any(|w| f.starts_with(w))
        };
        // Kept over a blank line, a run reads on only into a paragraph
        // that commits to something (not `Thứ Bảy, 24/12/2016, 07:33`).
        if run_before_blank && in_run && !continues {
            let f = fold(&l.text);
            in_run = l.text.contains(['%', '‰'])
                // the next item of an announced dash list (`- Tỷ lệ … dưới
                // 1/100.000 dân vào năm 2025.`)
                || (l.text.trim_start().starts_with(['-', '+', '•'])
                    && ["duoi", "tren", "xuong", "con "].iter().any(|w| f.contains(w)))
                || [
                    "dat ",
                    "toi thieu",
                    "it nhat",
                    "giam",
                    "tang",
                    "duy tri",
                    "phan dau",
                ]
                .iter()
                .any(|w| f.contains(w));
        }
        run_before_blank = false;
        if continues {
            in_run = true;
        }
        let line_year = YEAR
            .captures_iter(&l.text)
            .filter(|c| {
                c.get(0)
                    .is_some_and(|m| !names_a_base(l.text.get(..m.start()).unwrap_or("")))
            })
            .filter_map(|c| c.get(1)?.as_str().parse::<i32>().ok())
            .find(|y| (1990..=2100).contains(y));
        // `… chăm sóc sơ sinh giai đoạn 2011-2015.`: the period's end.
        let line_year = PERIOD
            .captures(&l.text)
            // not a base (`so với giai đoạn 2016-2020`)
            .filter(|p| {
                p.get(0)
                    .is_some_and(|m| !names_a_base(l.text.get(..m.start()).unwrap_or("")))
            })
            .and_then(|p| p.get(1)?.as_str().parse::<i32>().ok())
            .filter(|y| (1990..=2100).contains(y))
            .or(line_year);
        if covered.contains(&l.no) || done.contains(&l.no) {
            in_run = false;
            last_year = line_year.or(last_year);
            continue;
        }
        let f = fold(&l.text);
        let basis = ["can cu", "thuc hien", "xet ", "theo de nghi", "tren co so"]
            .iter()
            .any(|w| f.starts_with(w));
        // A basis clause may go on to state targets: `Thực hiện …, Ủy ban
        // nhân dân huyện phấn đấu đến năm 2030: tỷ lệ … đạt …; …`.
        let lower = l.text.to_lowercase();
        let after_basis = basis
            .then(|| lower.find("phấn đấu"))
            .flatten()
            .and_then(|p| l.text.get(p..));
        if covered.contains(&l.no) || done.contains(&l.no) || (basis && after_basis.is_none()) {
            in_run = false;
            last_year = line_year.or(last_year);
            continue;
        }
        let text = after_basis.unwrap_or(&l.text);
        let unnamed = without_named_goal(text);
        let text: &str = &unnamed;
        let committing = without_measured_against(&f);
        // A line reporting results against quotas (`ngành Y tế thực hiện
        // đạt và vượt 3/3 chỉ tiêu được giao; …, nhất là những chỉ tiêu quan
        // trọng như: … đạt trên 80%`) names indicators only as what was
        // reached: its `chỉ tiêu` / `mục tiêu` open no run (fifteenth
        // held-out batch); `phấn đấu` still does.
        let reports = MEASURED_AGAINST.is_match(&f)
            || report_year.is_some_and(|ry| {
                ry.is_none_or(|ry| !years_named(&l.text).iter().any(|y| *y > ry))
            });
        if !reports && (committing.contains("chi tieu") || committing.contains("muc tieu"))
            || committing.contains("phan dau")
            || HORIZON_OPENING.is_match(&f) && l.text.contains(['%', '‰'])
            // `…, sao cho đến năm 2020, 80% dân cư …` (not `Tính đến năm
            // 2020, 80% …`, a count so far)
            || HORIZON_CLAUSE
                .captures_iter(&f)
                .any(|c| c.get(1).is_some_and(|w| w.as_str() != "tinh"))
        {
            in_run = true;
        }
        // A news sentence committing to the year's quotas without a word
        // like `mục tiêu` (`Trong năm 2017, TP.HCM sẽ vận động 220.000 lượt
        // người …`, `… UBND TP.HCM yêu cầu … đạt trên 280.000 lượt …`)
        // opens a run from that sentence: the ones before it (`năm 2019, …
        // chỉ đạt trên 92% so với chỉ tiêu …`) report, and are not read.
        let mut commit_from = 0usize;
        if !in_run {
            if let Some((at, _)) = sentences(text)
                .into_iter()
                .find(|(_, s)| commits(&without_measured_against(&fold(s))))
            {
                in_run = true;
                commit_from = at;
            }
        }
        if in_run {
            let id = format!("p{}", l.no);
            let ctx = Context {
                id: &id,
                section: "",
                line: l.no,
                // (the year of the committing sentence on, not of the
                // report before it)
                default_year: if commit_from > 0 {
                    text.get(commit_from..)
                        .and_then(|t| years_named(t).into_iter().next())
                        .or(line_year)
                        .or(last_year)
                } else {
                    line_year
                        .or(last_year)
                        .or_else(|| THIS_YEAR.is_match(&f).then_some(page_year).flatten())
                },
                objectives: true,
                lead_units: &[],
                coordinating_units: &[],
            };
            let before = out.len();
            // `Theo đó, năm 2023 toàn huyện có 11/11 xã … đạt 91,5%. Mục tiêu
            // năm 2024, huyện phấn đấu …`: in a line that commits, a sentence
            // committing to nothing and dated only before the year committed
            // to reports that earlier year (fifteenth batch's probes).
            let sentence_commits = |s: &str| {
                let sf = without_measured_against(&fold(s));
                ["phan dau", "muc tieu", "chi tieu"]
                    .iter()
                    .any(|w| sf.contains(w))
                    || commits(&sf)
            };
            // (the earliest year any committing sentence names: a sentence
            // dated before all of them reports)
            let commit_year = sentences(text)
                .into_iter()
                .filter(|(_, s)| sentence_commits(s))
                .flat_map(|(_, s)| years_named(s))
                .min();
            for (at, s) in sentences(text) {
                if at < commit_from {
                    continue;
                }
                let own_years = years_named(s);
                if !own_years.is_empty()
                    && commit_year.is_some_and(|cy| own_years.iter().all(|y| *y < cy))
                    && !sentence_commits(s)
                {
                    continue;
                }
                // A sentence measuring a result against a quota (`Năm 2023,
                // xã đạt 8/10 chỉ tiêu, trong đó … đạt 97%`, `… đạt 45% kế
                // hoạch năm`, `… đạt 92,3% (chỉ tiêu giao 92%)`) reports,
                // even inside a run, unless it commits itself (fifteenth
                // held-out batch).
                let sf = fold(s);
                if MEASURED_AGAINST.is_match(&sf)
                    && !sf.contains("phan dau")
                    && !commits(&without_measured_against(&sf))
                {
                    continue;
                }
                let mut ts = targets_in_sentence(s, &ctx, warnings);
                // `đạt ít nhất 95% qua các năm`: every year of the plan, no
                // one year of it.
                if fold(s).contains("qua cac nam") && years_named(s).is_empty() {
                    for t in &mut ts {
                        t.year = None;
                    }
                }
                out.extend(ts);
            }
            run_productive = out.len() > before;
        }
        last_year = line_year.or(last_year);
    }
    // A headline restating a target ("Cam Lâm: Phấn đấu giảm … còn 11,5%"),
    // or rounding it ("Ia Grai: Phấn đấu 93% dân số …" for 93,12% in 2020).
    let restates = |t: &Target, o: &Target| match (t.value, o.value) {
        (Some(a), Some(b)) => a == b || (a.fract() == 0.0 && b.fract() != 0.0 && b.trunc() == a),
        _ => false,
    };
    let keep: Vec<bool> = out
        .iter()
        .map(|t| {
            t.year.is_some()
                || !out
                    .iter()
                    .chain(found)
                    .any(|o| o.year.is_some() && restates(t, o) && o.unit == t.unit)
        })
        .collect();
    out.into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

/// Whether the text presents itself as a report of results, in its first
/// lines (a `BÁO CÁO` heading, a headline or title naming `báo cáo kết
/// quả`, `sơ kết`, `tổng kết`, `kết quả thực hiện`, `kết quả công tác`),
/// and the latest year those lines name (`None` inside when they name
/// none). `None` for any other text.
fn reported_year(lines: &[crate::lines::Line]) -> Option<Option<i32>> {
    let head: Vec<&crate::lines::Line> = lines.iter().filter(|l| !l.is_blank()).take(8).collect();
    let at = head.iter().position(|l| {
        let f = fold(l.text.trim());
        f == "bao cao"
            || [
                "bao cao ket qua",
                "so ket",
                "tong ket",
                "ket qua thuc hien",
                "ket qua cong tac",
            ]
            .iter()
            .any(|w| contains_words(&f, w))
    })?;
    // the title under a `BÁO CÁO` heading names the year reported on
    let named = head
        .iter()
        .skip(at)
        .take(2)
        .flat_map(|l| years_named(&l.text))
        .max();
    Some(named)
}

/// A folded line without the phrases that measure a result against a
/// target (`giảm 0,1‰ so với chỉ tiêu kế hoạch 2023 giao`, `vượt chỉ
/// tiêu`): a report naming the target it is measured against commits to
/// nothing, and opens no run of targets (`hướng tới hoàn thành mục tiêu`
/// still does).
fn without_measured_against(f: &str) -> String {
    MEASURED_AGAINST.replace_all(f, " ").into_owned()
}

static QUALIFIED_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:\S+\s+){0,3}?(?:giam|tang|dat|xuong|len|con)(?:\s+di)?\s+(?:duoi\s+|tren\s+)?\d",
    )
    .expect("static regex")
});

/// `duy trì kết quả đạt …`, `giữ vững kết quả …`: an achievement to keep,
/// named by a commitment.
static KEEPING_RESULTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:duy tri|giu vung|phat huy) (?:va (?:nang cao|giu vung) )?ket qua")
        .expect("static regex")
});

static ACHIEVING_TARGETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"dat duoc (?:(?:cac|hai|ba|nhung|\d+)\s+)?(?:chi tieu|muc tieu)")
        .expect("static regex")
});

/// Whether a folded sentence commits to a value (see [`COMMITMENT`]): the
/// number after the verb is no year (`… đạt được kết quả năm 2023`) and
/// no date. A ceiling to hold (`Đồng thời, khống chế tỷ lệ nhiễm HIV …
/// dưới 0,3%`, see [`CEILING_COMMITMENT`]) commits too.
fn commits(f: &str) -> bool {
    if CEILING_COMMITMENT.is_match(f) || QUOTA_ASSIGNED.is_match(f) {
        return true;
    }
    COMMITMENT.captures_iter(f).any(|c| {
        let num = c.get(1).map_or("", |m| m.as_str());
        let after = c.get(2).map_or("", |m| m.as_str());
        let year = num.len() == 4 && num.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y));
        let before = c
            .get(1)
            .and_then(|m| f.get(..m.start()))
            .unwrap_or("")
            .trim_end();
        !year && !before.ends_with("nam") && !before.ends_with("ngay") && !after.starts_with('/')
    })
}

/// `khống chế … dưới 0,3%` opening a sentence or a clause (after `Đồng
/// thời,` too): a ceiling the plan is to hold, a commitment without a
/// word like `mục tiêu` (fourteenth held-out batch). `đã khống chế được`
/// reports, and does not match (the verb must open its clause).
static CEILING_COMMITMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[.;:]\s*|\bdong thoi,?\s+)khong che\s+(?:[^\s.;\d]+\s+){0,12}?(?:duoi|o muc|xuong duoi|khong qua)\s+\d",
    )
    .expect("static regex")
});

/// A news page's publication line (`Ngày đăng 08/07/2014 | 00:00`,
/// `Đăng ngày: 12/3/2020`, `Cập nhật: 05/01/2024`).
static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:ngày đăng|đăng ngày|ngày cập nhật|cập nhật|ngày xuất bản)\s*:?\s*\d{1,2}/\d{1,2}/(\d{4})\b")
        .expect("static regex")
});

/// The current year named without its number, folded (`6 tháng đầu năm`,
/// `trong năm`, `năm nay`, `cuối năm`): not `năm 2013`, not `hằng năm`.
static THIS_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:dau nam|cuoi nam|trong nam|nam nay)\b(?:\s*[,.:;)]|\s+[^\d\s]|\s*$)")
        .expect("static regex")
});

/// `tỷ suất sinh giao giảm 0,05% so với …`, `chỉ tiêu được giao tăng 2%`:
/// the change assigned to a commune or ward as its quota (fifteenth
/// held-out batch), a commitment even inside a review of results.
static QUOTA_ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:duoc\s+)?giao\s+(?:giam|tang)\s+(?:[^\s.;\d]+\s+){0,3}?\d")
        .expect("static regex")
});

static COMMITMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:\bse\s+(?:tiep tuc\s+)?|\byeu cau\b[^.;]*?\b)(?:van dong|dat|tiep nhan|tiem|kham|hoan thanh|nang|giam|tang|phan dau)\b(?:\s+[^\s.;\d]+){0,10}?\s+(\d[\d.,]*)\s*(\S*)",
    )
    .expect("static regex")
});

/// Phrases that name a target only to judge a result by it (see
/// [`without_measured_against`]). After the fourteenth held-out batch, also
/// a quota reached or missed by someone or something counted (`27/63 tỉnh
/// đạt chỉ tiêu 50%`, `hoàn thành 3/3 chỉ tiêu`, `đạt 8/9 chỉ tiêu`), the
/// indicators of a past term all met (`các chỉ tiêu chủ yếu của ngành đều
/// đạt và vượt kế hoạch`), a target not reached (`chưa đạt được mục tiêu
/// đặt ra …`) and another body's target a result is held against (`đạt
/// mục tiêu của Tổ chức Y tế thế giới (WHO) đề ra là trên 85%`): a report
/// of results, no commitment (`phấn đấu đạt mục tiêu …` still commits by
/// its `phấn đấu`).
static MEASURED_AGAINST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bda\s+(?:hoan thanh|dat duoc|dat|vuot|ve dich)(?:\s+(?:som|truoc|va vuot))?\s+(?:cac\s+)?(?:chi tieu|muc tieu)|(?:so voi|vuot|dat\s+\d+(?:,\d+)?\s*%)\s+(?:\d+(?:,\d+)?\s*%\s+)?(?:cac\s+)?(?:chi tieu|muc tieu|ke hoach)(?:\s+(?:ke hoach|de ra|duoc giao|giao))*|\d+\s*/\s*\d+\s+(?:[^\s\d.;,]+\s+){0,2}?(?:deu\s+|da\s+)?(?:dat|hoan thanh|vuot)(?:\s+duoc)?\s+(?:cac\s+)?(?:chi tieu|muc tieu)|(?:hoan thanh|dat|vuot)(?:\s+duoc)?\s+\d+\s*/\s*\d+\s+(?:chi tieu|muc tieu)|(?:cac\s+)?(?:chi tieu|muc tieu)(?:\s+[^\s.;,\d]+){0,6}?\s+(?:deu|da)\s+(?:dat|vuot|hoan thanh)\b|chua\s+dat(?:\s+duoc)?\s+(?:cac\s+)?(?:chi tieu|muc tieu)|\bdat(?:\s+duoc)?\s+(?:cac\s+)?(?:chi tieu|muc tieu)\s+(?:cua|do)\s|\(\s*(?:chi tieu|ke hoach)(?:\s+(?:ke hoach|nam|de ra|duoc giao|giao|\d{4}))*\s*:?\s*(?:la\s+)?[<>≥≤]?\s*\d",
    )
    .expect("static regex")
});

static BASE_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    // (`so với kết quả thực hiện năm 2013`: the result of that year)
    Regex::new(r"(?i)\bso(?:\s+với)?\s+(?:cùng kỳ\s+)?(?:kết quả\s+(?:thực hiện\s+|đạt được\s+)?)?(?:năm\s+)?(\d{4})\b")
        .expect("static regex")
});
static PER_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[%‰]\s*/\s*năm\b|\bmỗi năm\b|\bhằng năm\b|\bhàng năm\b|\bbình quân\b)")
        .expect("static regex")
});

/// What each relative target (`reduce_by`, `increase_by`) is relative to:
/// the base year of `so với năm 2020`, and whether the change is per year
/// (`giảm 1,5‰/năm`). Targets saying neither get no entry.
pub fn relative_bases(targets: &[Target]) -> Vec<ytcs_core::plan::RelativeBase> {
    targets
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.comparator, Comparator::ReduceBy | Comparator::IncreaseBy))
        .filter_map(|(i, t)| {
            let base_year = BASE_YEAR
                .captures(&t.text)
                .and_then(|c| c.get(1)?.as_str().parse::<i32>().ok());
            let per_year = PER_YEAR.is_match(&t.text);
            (base_year.is_some() || per_year).then_some(ytcs_core::plan::RelativeBase {
                target: i,
                base_year,
                per_year,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_dot_before_one_or_two_digits_is_a_decimal_mark() {
        let v = |s: &str| decimal_of(s).map(|d| d.to_f64());
        assert_eq!(v("18.5"), Some(18.5));
        assert_eq!(v("0.12"), Some(0.12));
        assert_eq!(v("1.987"), Some(1987.0));
        assert_eq!(v("1.987.000"), Some(1_987_000.0));
        assert_eq!(v("9,98"), Some(9.98));
    }

    use super::*;

    fn ctx() -> Context<'static> {
        Context {
            id: "II.2",
            section: "II",
            line: 1,
            default_year: Some(2024),
            objectives: true,
            lead_units: &[],
            coordinating_units: &[],
        }
    }

    type Fact = (Option<&'static str>, Comparator, f64, Unit, Option<i32>);

    fn read(s: &str) -> Vec<Fact> {
        let mut w = Vec::new();
        let ts = targets_in_sentence(s, &ctx(), &mut w);
        ts.into_iter()
            .map(|t| {
                (
                    t.indicator
                        .and_then(|c| ytcs_core::indicator::by_code(&c))
                        .map(|i| i.code),
                    t.comparator,
                    t.value.unwrap_or(f64::NAN),
                    t.unit,
                    t.year,
                )
            })
            .collect()
    }

    #[test]
    fn list_of_staff_ratios_per_ten_thousand() {
        let got = read("phấn đấu đến năm 2025 đạt 11,5 bác sĩ, 01 dược sĩ đại học và 22 điều dưỡng viên trên 10.000 dân và năm 2030 đạt 12 bác sĩ");
        assert_eq!(got.len(), 4);
        assert_eq!(
            got[0],
            (
                Some("doctors_per_10000"),
                Comparator::Eq,
                11.5,
                Unit::Per10000,
                Some(2025)
            )
        );
        assert_eq!(got[1].0, Some("pharmacists_per_10000"));
        assert_eq!(
            got[2],
            (
                Some("nurses_per_10000"),
                Comparator::Eq,
                22.0,
                Unit::Per10000,
                Some(2025)
            )
        );
        assert_eq!(got[3].4, Some(2030));
    }

    #[test]
    fn age_bands_are_not_values() {
        let got = read("Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ đạt trên 98%");
        assert_eq!(
            got,
            vec![(
                Some("full_immunization_u1"),
                Comparator::Gt,
                98.0,
                Unit::Percent,
                Some(2024)
            )]
        );
        let got =
            read("giảm tỷ suất tử vong trẻ em: Dưới 5 tuổi còn dưới 47‰, dưới 1 tuổi còn dưới 30‰");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, Some("u5mr"));
        assert_eq!(got[1].0, Some("imr"));
        assert_eq!(got[1].1, Comparator::Lt);
    }

    #[test]
    fn baselines_are_not_targets() {
        assert!(read("Toàn tỉnh hiện có 1.892 cơ sở hành nghề y, dược tư nhân").is_empty());
    }

    #[test]
    fn activity_counts_in_tasks() {
        let mut w = Vec::new();
        let c = Context {
            objectives: false,
            ..ctx()
        };
        let ts = targets_in_sentence(
            "- Đặt dụng cụ tử cung dự kiến 700 ca, đình sản: 2 ca, cấy thuốc tránh thai: 30 ca",
            &c,
            &mut w,
        );
        assert_eq!(ts.len(), 3, "{ts:?}");
        let ts = targets_in_sentence("- Tầm soát các dị dạng, dị tật bẩm sinh: Sàng lọc trước sinh, dự kiến năm 2024: 1.021 người; sàng lọc sơ sinh dự kiến năm 2024: 1.381 trẻ.", &c, &mut w);
        assert_eq!(ts.len(), 2, "{ts:?}");
    }

    #[test]
    fn table_cells() {
        assert_eq!(parse_cell(">90"), Some((Comparator::Gt, Some(90.0))));
        assert_eq!(parse_cell("Duy trì"), Some((Comparator::Maintain, None)));
        assert_eq!(parse_cell("100"), Some((Comparator::Eq, Some(100.0))));
    }
}
