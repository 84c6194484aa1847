//! The parts of a plan around its body: identity (kind, number, date,
//! issuer, title), legal bases, recipients and signer.
//!
//! A head laid out as a table is read cell by cell, skipping law sites'
//! metadata rows; OCR'd numbers and dates are read; hyphens a text layer
//! lost are put back (`5042/QĐUBND`). The issuer comes from the head, a
//! department under the ministry's line, or the date line's place at the
//! level the text gives it. Legal bases come from `Căn cứ`/`Thực
//! hiện`/`Theo đề nghị` clauses, from their `;`-parts naming another act,
//! and from items listed in the preamble or under `CĂN CỨ PHÁP LÝ`.

use std::sync::LazyLock;

use regex::Regex;
use ytcs_core::plan::vn::{parse_date, parse_roman};
use ytcs_core::plan::{DocumentKind, DocumentRef, Signer};
use ytcs_core::text::fold;
use ytcs_core::Date;

use crate::lines::Line;
use crate::structure::{marker_of, MarkerKind};

/// The kind named by a heading word (`KẾ HOẠCH` → plan).
pub fn kind_of_heading(text: &str) -> Option<DocumentKind> {
    let f = fold(text);
    let f = f.trim().trim_end_matches([':', '.']);
    Some(match f {
        "ke hoach" => DocumentKind::Plan,
        "quyet dinh" => DocumentKind::Decision,
        "chi thi" => DocumentKind::Directive,
        "nghi quyet" => DocumentKind::Resolution,
        "de an" => DocumentKind::Scheme,
        "chuong trinh" | "chuong trinh hanh dong" => DocumentKind::Programme,
        "thong tu" | "thong tu lien tich" => DocumentKind::Circular,
        "nghi dinh" => DocumentKind::Decree,
        "luat" => DocumentKind::Law,
        "to trinh" => DocumentKind::Submission,
        "cong van" => DocumentKind::OfficialLetter,
        "thong bao" => DocumentKind::Notice,
        "huong dan" | "bao cao" => DocumentKind::Other,
        _ => return None,
    })
}

/// The kind named by a citation word (`Quyết định`), folded.
fn kind_of_word(folded: &str) -> DocumentKind {
    let f = folded.trim();
    if f.starts_with("quyet dinh") {
        DocumentKind::Decision
    } else if f.starts_with("chi thi") {
        DocumentKind::Directive
    } else if f.starts_with("nghi quyet") {
        DocumentKind::Resolution
    } else if f.starts_with("ke hoach") {
        DocumentKind::Plan
    } else if f.starts_with("de an") {
        DocumentKind::Scheme
    } else if f.starts_with("chuong trinh") {
        DocumentKind::Programme
    } else if f.starts_with("thong tu") {
        DocumentKind::Circular
    } else if f.starts_with("nghi dinh") {
        DocumentKind::Decree
    } else if f.starts_with("luat") || f.starts_with("bo luat") {
        DocumentKind::Law
    } else if f.starts_with("to trinh") {
        DocumentKind::Submission
    } else if f.starts_with("cong van") || f.starts_with("van ban") {
        DocumentKind::OfficialLetter
    } else if f.starts_with("thong bao") {
        DocumentKind::Notice
    } else {
        DocumentKind::Other
    }
}

/// The kind a document number's code implies (`788/QĐ-BYT` → decision).
fn kind_of_number(number: &str) -> Option<DocumentKind> {
    let up = number.to_uppercase();
    let codes: Vec<&str> = up.split(['/', '-']).collect();
    for c in codes.iter().skip(1) {
        let k = match *c {
            "QĐ" | "QD" => DocumentKind::Decision,
            "CT" => DocumentKind::Directive,
            "NQ" => DocumentKind::Resolution,
            "KH" => DocumentKind::Plan,
            "ĐA" | "DA" => DocumentKind::Scheme,
            "CTR" => DocumentKind::Programme,
            "TT" | "TTLT" => DocumentKind::Circular,
            "NĐ" | "ND" => DocumentKind::Decree,
            "TTR" => DocumentKind::Submission,
            "CV" => DocumentKind::OfficialLetter,
            "TB" => DocumentKind::Notice,
            "QH13" | "QH14" | "QH15" | "QH12" | "QH11" => DocumentKind::Law,
            _ => continue,
        };
        return Some(k);
    }
    None
}

/// An act's name and number. `số` may have lost its letters to a site's
/// conversion (`Quyết định s 1584/QĐ-TTg`, fourteenth held-out batch), as
/// `Số:` does in a head (`S:`).
static DOC_REF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(Quyết định|Chỉ thị|Nghị quyết|Kế hoạch|Đề án|Chương trình hành động|Chương trình|Thông tư liên tịch|Thông tư|Nghị định|Bộ luật|Luật|Tờ\s*trình|Công văn|Văn bản(?:\s+thẩm\s+định)?|Thông báo|Hướng dẫn|Kết luận|Báo cáo(?:\s+thẩm\s+định)?|Pháp lệnh)(?:\s+(?:số|s\b)\s*:?)?\s*(\d+[\p{L}\d./-]*?[/-][\p{L}\d./&-]*[\p{L}\d])?",
    )
    .expect("static regex")
});
// … and `59- CTr/TU` (a code of mixed case before its slash).
static SPACED_HYPHEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d|[A-ZĐ])\s*[-–]\s+([A-ZĐ]{1,6}\b|[A-ZĐ][A-ZĐa-z]{1,5}/)").expect("static regex")
});
// `Văn bản số 3784 /BYT-AIDS`: a space before the code's slash
// (seventeenth held-out batch).
static SPACE_BEFORE_SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d)\s+/(\p{Lu})").expect("static regex"));
// `ngày 05 tháng 11 năm2012`, `Quyếtđịnh số`: words glued by a site's
// conversion (eighteenth held-out batch).
static GLUED_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(năm|ngày)(\d)").expect("static regex"));
static NUMBER_AFTER_SHORT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\p{L}{1,4}\s+){1,2}(\d+[\p{L}\d./-]*?[/-][\p{L}\d./-]*[\p{L}\d])")
        .expect("static regex")
});
// Dates glued to their words by some sites' conversion (`ngày26/11/2003`,
// `ngày 22tháng 9 năm 2011`, `07 tháng02 năm 2012`) are dates too.
static DATE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*(?:(?:ban hành\s+)?ngày\s*)(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s+\d{4})")
        .expect("static regex")
});
static DATE_AFTER_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*,?\s*của\s+[^;,.]{1,60}?\s+ngày\s*(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s+\d{4})")
        .expect("static regex")
});
// `các quyết định của Bộ Y tế số: 2402/QĐBYT ngày …`: the number after
// the issuer.
static NUMBER_AFTER_ISSUER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*của\s+[^;,:]{1,40}?\s+số\s*:?\s*(\d+[\p{L}\d./-]*?[/-][\p{L}\d./-]*[\p{L}\d])")
        .expect("static regex")
});
// `…; 3877/QĐBYT ngày 29/8/2019 về …`: a bare number and its date going on
// with a list of acts.
static BARE_NUMBER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\d+[\p{L}\d./-]*?/[\p{L}\d./-]*[\p{L}\d]\s+ngày\b").expect("static regex")
});
static LAW_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bsố\s+(\d+[\p{L}\d./-]*?[/-][\p{L}\d./-]*[\p{L}\d])").expect("static regex")
});
static DATE_NEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"ngày\s*(\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s+\d{4})",
    )
    .expect("static regex")
});
static ISSUER_STOP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:về|ban hành|thực hiện|triển khai|phê duyệt|quy định|hướng dẫn|tại|trong|khóa|khoá|lần thứ|nhiệm kỳ|giai đoạn|đến năm)\b|[(;,“”\x22.:]")
        .expect("static regex")
});

/// A document citation found in text, with its byte span.
#[derive(Debug, Clone)]
pub struct Citation {
    /// The reference.
    pub doc: DocumentRef,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
}

/// Every document citation in `text`.
pub fn citations(text: &str, line: usize) -> Vec<Citation> {
    let mut out = Vec::new();
    for c in DOC_REF.captures_iter(text) {
        let (Some(all), Some(word)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let number = c
            .get(2)
            .map(|m| restore_hyphen(m.as_str().trim_end_matches(['.', ',', ';', ')'])));
        let mut end = all.end();
        let mut number = number;
        if number.is_none() {
            if let Some(m) = text
                .get(end..)
                .and_then(|r| NUMBER_AFTER_ISSUER.captures(r))
            {
                if let (Some(all2), Some(n)) = (m.get(0), m.get(1)) {
                    number = Some(restore_hyphen(n.as_str()));
                    end += all2.end();
                }
            }
        }
        if number.is_none() {
            // OCR drops letters: `Pháp lệnh Dân s 06/2003/PL-UBTVQH11`,
            // `Kế hoạch s 74-KH/TU`.
            if let Some(m) = text
                .get(end..)
                .and_then(|r| NUMBER_AFTER_SHORT_WORDS.captures(r))
            {
                if let (Some(all2), Some(n)) = (m.get(0), m.get(1)) {
                    number = Some(
                        n.as_str()
                            .trim_end_matches(['.', ',', ';', ')'])
                            .to_string(),
                    );
                    end += all2.end();
                }
            }
        }
        let rest = text.get(end..).unwrap_or("");
        let mut date: Option<Date> = None;
        if let Some(d) = DATE_AFTER.captures(rest) {
            date = d.get(1).and_then(|m| {
                parse_date(
                    &m.as_str()
                        .replace(' ', "")
                        .replace("tháng", " tháng ")
                        .replace("năm", " năm "),
                )
            });
            end += d.get(0).map_or(0, |m| m.end());
        } else if let Some(d) = number
            .is_some()
            .then(|| DATE_AFTER_ISSUER.captures(rest))
            .flatten()
        {
            // `Quyết định số 538/QĐ-TTg của Thủ tướng Chính phủ ngày 29/3/2013`
            date = d.get(1).and_then(|m| {
                parse_date(
                    &m.as_str()
                        .replace(' ', "")
                        .replace("tháng", " tháng ")
                        .replace("năm", " năm "),
                )
            });
        } else if number.is_none()
            && matches!(
                kind_of_word(&fold(word.as_str())),
                DocumentKind::Law | DocumentKind::Other
            )
            && !fold(word.as_str()).starts_with("huong dan")
            && !fold(word.as_str()).starts_with("ket luan")
        {
            // "Luật Bảo vệ sức khỏe nhân dân ngày 30/6/1989"
            let window: String = rest.chars().take(200).collect();
            let window = window.split(';').next().unwrap_or("");
            if let Some(d) = DATE_NEAR.captures(window) {
                if let Some(m) = d.get(0) {
                    date = parse_date(m.as_str());
                    // `Luật Phòng chống bệnh truyền nhiễm số 03/2007/QH12 ban hành ngày …`
                    if let Some(n) = window
                        .get(..m.start())
                        .and_then(|w| LAW_NUMBER.captures(w))
                        .and_then(|c| c.get(1))
                    {
                        number = Some(n.as_str().to_string());
                    }
                    end += m.end();
                }
            }
        }
        let word_f = fold(word.as_str());
        // `Sở Kế hoạch và Đầu tư` is a department, not a plan.
        if word_f.starts_with("ke hoach")
            && fold(text.get(..all.start()).unwrap_or(""))
                .trim_end()
                .ends_with(" so")
        {
            continue;
        }
        let kind = match (
            kind_of_word(&word_f),
            number.as_deref().and_then(kind_of_number),
        ) {
            (DocumentKind::Other | DocumentKind::OfficialLetter, Some(k)) => k,
            (k, _) => k,
        };
        // A bare "Kế hoạch" with neither number nor date is a common noun.
        if number.is_none() && date.is_none() && kind != DocumentKind::Law {
            continue;
        }
        let rest = text.get(end..).unwrap_or("");
        let issuer = rest
            .trim_start_matches([',', ' '])
            .strip_prefix("của ")
            .and_then(|r| {
                let stop = ISSUER_STOP.find(r).map_or(r.len(), |m| m.start());
                let s = r.get(..stop).unwrap_or("").trim();
                (!s.is_empty() && s.chars().count() < 100).then(|| s.to_string())
            });
        out.push(Citation {
            doc: DocumentRef {
                kind,
                number,
                date,
                issuer,
                text: String::new(),
                line,
            },
            start: all.start(),
            end,
        });
    }
    out
}

/// A `;`-part of a basis clause that names another act
/// (`; Luật sửa đổi … ngày 22/11/2019`, `; Nghị quyết số 282/NQ-CP …`).
pub fn starts_with_document_word(folded: &str) -> bool {
    [
        "luat ",
        "bo luat ",
        "nghi quyet so",
        "nghi dinh so",
        "quyet dinh so",
        "chi thi so",
        "ke hoach so",
        "thong tu so",
        "chuong trinh hanh dong so",
        "chuong trinh so",
        "de an so",
        "cong van so",
        "van ban so",
        "phap lenh",
        "to trinh so",
        "thong bao so",
        "ket luan so",
        "huong dan so",
        "bao cao so",
        // `Xét Tờ trình số …; Báo cáo thẩm tra số 368/BC-HĐND ngày …` (a
        // council's resolution; eighteenth held-out batch)
        "bao cao tham tra so",
    ]
    .iter()
    .any(|w| folded.starts_with(w))
        // `Quyết định 3972/QĐ-BYT ngày …`: a number without its `số`; and
        // `Quyết định s 1584/QĐ-TTg` (the letters of `số` lost).
        || ["quyet dinh ", "nghi quyet ", "nghi dinh ", "thong tu "]
            .iter()
            .any(|w| {
                folded.strip_prefix(w).is_some_and(|r| {
                    let r = r.strip_prefix("s ").unwrap_or(r);
                    r.starts_with(|c: char| c.is_ascii_digit())
                })
            })
}

/// The legal bases listed as items (`- Quyết định số 749/QĐ-TTg ngày …;`,
/// `1. Quyết định số 122/QĐ-TTg …`): in the preamble, or under a heading
/// `CĂN CỨ PHÁP LÝ` / `Cơ sở pháp lý` / `CĂN CỨ XÂY DỰNG` / `CĂN CỨ KẾ
/// HOẠCH` / `CĂN CỨ BAN HÀNH` (up to the next
/// Roman heading or a numbered item that names no act). Returns the index
/// of each line read with its bases.
pub fn listed_bases(
    lines: &[Line],
    preamble: std::ops::Range<usize>,
) -> Vec<(usize, Vec<DocumentRef>)> {
    let mut out = Vec::new();
    let item_basis = |l: &Line| -> Option<Vec<DocumentRef>> {
        let m = marker_of(&l.text)?;
        let rest = l.text.get(m.len..).unwrap_or("").trim();
        starts_with_document_word(&fold(rest)).then(|| legal_bases_of_clause(rest, l.no))
    };
    for i in preamble.clone() {
        if let Some(l) = lines.get(i) {
            if let Some(b) = item_basis(l) {
                out.push((i, b));
            }
        }
    }
    let mut i = 0;
    while i < lines.len() {
        let mut f = fold(&lines[i].text);
        // `I. CĂN CỨ` / `XÂY DỰNG KẾ HOẠCH`: a heading wrapped after its
        // first words.
        let mut skip = 1;
        let bare = f
            .trim_start_matches(|c: char| c.is_ascii_digit() || "ivxl.) ".contains(c))
            .trim_end_matches([':', ' ']);
        if matches!(bare, "can cu" | "co so") {
            if let Some(next) = lines.get(i + 1) {
                f = format!("{f} {}", fold(&next.text));
                skip = 2;
            }
        }
        // `CĂN CỨ PHÁP LÝ`, `I. CĂN CỨ KẾ HOẠCH`, `Căn cứ xây dựng kế
        // hoạch`, `1. Cơ sở pháp lý`: a heading names no document, so it
        // holds no digit beyond its own numeral (`Căn cứ Kế hoạch số
        // 12/KH-UBND` is a basis).
        let heading = [
            "can cu phap ly",
            "co so phap ly",
            "can cu xay dung",
            "can cu ke hoach",
            "can cu ban hanh",
        ]
        .iter()
        .any(|h| f.contains(h))
            && f.chars().count() < 60
            && !f
                .trim_start_matches(|c: char| c.is_ascii_digit() || "ivxl.) ".contains(c))
                .chars()
                .any(|c| c.is_ascii_digit());
        if !heading || preamble.contains(&i) {
            i += 1;
            continue;
        }
        let mut j = i + skip;
        while let Some(l) = lines.get(j) {
            if j > i + 60 || is_roman_heading(&l.text) {
                break;
            }
            if !l.is_blank() {
                let lf = fold(&l.text);
                if let Some(b) = item_basis(l) {
                    out.push((j, b));
                } else if starts_with_document_word(&lf)
                    // `Căn cứ Nghị định số …;`, `Thực hiện Quyết định số …`:
                    // the list's items written as the preamble's clauses
                    // (eighteenth held-out batch).
                    || lf.starts_with("can cu ")
                    || lf.starts_with("thuc hien ")
                {
                    out.push((j, legal_bases_of_clause(&l.text, l.no)));
                } else if marker_of(&l.text).is_some_and(|m| !m.kind.is_bullet()) {
                    // `1. Các văn bản chỉ đạo`, `1. Văn bản của Trung ương`:
                    // a numbered sub-heading over the list goes on with it.
                    let sub = lf
                        .trim_start_matches(|c: char| c.is_ascii_digit() || "ivxl.) ".contains(c));
                    let names_acts = ["van ban", "can cu", "phap ly"]
                        .iter()
                        .any(|w| sub.contains(w))
                        && sub.chars().count() < 60
                        && !sub.chars().any(|c| c.is_ascii_digit());
                    if !names_acts {
                        break;
                    }
                }
            }
            j += 1;
        }
        i = j;
    }
    out
}

/// The legal bases of a clause (`Căn cứ …`, `Thực hiện …`): its first
/// citation, those coordinated with it (`Nghị quyết số 19-NQ/TW, Nghị
/// quyết số 20-NQ/TW ngày …`), and the first citation of each later
/// `;`-part that opens with a basis word (`đề xuất của … tại Tờ trình …`).
pub fn legal_bases_of_clause(clause: &str, line: usize) -> Vec<DocumentRef> {
    // Numbers broken by a space after a hyphen: `63/2012/NĐ- CP`, `72- NQ/TW`.
    let closed = SPACED_HYPHEN.replace_all(clause, "$1-$2");
    let closed = SPACE_BEFORE_SLASH.replace_all(&closed, "$1/$2");
    let closed = GLUED_YEAR.replace_all(&closed, "$1 $2");
    let closed = closed.replace("Quyếtđịnh", "Quyết định");
    let clause: &str = &closed;
    let mut out: Vec<DocumentRef> = Vec::new();
    let mut offset = 0;
    let mut listing = false;
    let mut proposing = false;
    for (pi, part) in clause.split(';').enumerate() {
        let part_start = offset;
        offset += part.len() + 1;
        // A bare number and date after an act read in the part before:
        // the next act of the same list.
        if listing && BARE_NUMBER_DATE.is_match(part) {
            let synth = format!("Văn bản số {}", part.trim_start());
            if let Some(mut c) = citations(&synth, line).into_iter().next() {
                c.doc.text = clause.trim().trim_end_matches([';', '.']).to_string();
                if !out
                    .iter()
                    .any(|d| d.number.is_some() && d.number == c.doc.number)
                {
                    out.push(c.doc);
                }
            }
            continue;
        }
        listing = false;
        let pf = fold(part.trim());
        // `Xét đề nghị của Giám đốc Sở Y tế tại Tờ trình số …; của Giám đốc
        // Sở Kế hoạch và Đầu tư tại Báo cáo số …`: the proposal's verb left
        // out, another act it rests on.
        let next_proposal = proposing && pf.starts_with("cua ") && pf.contains(" tai ");
        proposing = [
            "xet de nghi",
            "theo de nghi",
            "de nghi",
            "de xuat",
            "tren co so de",
        ]
        .iter()
        .any(|w| pf.starts_with(w))
            || pf.contains("de nghi cua")
            || next_proposal;
        let opens = pi == 0
            || next_proposal
            || starts_with_document_word(&pf)
            || [
                "can cu",
                "thuc hien",
                "de xuat",
                "de nghi",
                "xet",
                "theo de nghi",
                "theo",
                "trien khai",
                // `…; trên cơ sở đề xuất của Sở … tại Tờ trình số …`
                "tren co so de xuat",
                "tren co so de nghi",
            ]
            .iter()
            .any(|w| pf.starts_with(w));
        if !opens {
            continue;
        }
        let cites = citations(part, line);
        listing = !cites.is_empty();
        let mut group: Vec<Citation> = Vec::new();
        for c in cites {
            match group.last() {
                None => group.push(c),
                Some(prev) => {
                    let between = part.get(prev.end..c.start).unwrap_or("x");
                    let bf = fold(between);
                    if bf
                        .trim()
                        .trim_matches(|ch: char| ch == ',' || ch == ' ')
                        .is_empty()
                        || bf.trim() == "va"
                        || bf.trim() == ", va"
                    {
                        group.push(c);
                    } else {
                        break;
                    }
                }
            }
        }
        // Coordinated citations without a date take the last one's date.
        let shared_date = group.iter().rev().find_map(|c| c.doc.date);
        // A later act joined by `và` with its own number and date is cited
        // too (`…; Quyết định số 08/QĐ-BYT … và Quyết định số 2657/QĐ-BYT
        // ngày 23/6/2020 …`); an act named inside a title is not (`… sửa
        // đổi Nghị định 104/2016/NĐ-CP`, `… thực hiện Nghị quyết số 20`).
        let mut joined: Vec<Citation> = Vec::new();
        if let Some(last) = group.last() {
            let mut prev_end = last.end;
            for c in citations(part, line) {
                if c.start < prev_end {
                    continue;
                }
                let raw_before = part.get(prev_end..c.start).unwrap_or("");
                let before = fold(raw_before);
                // … or by a comma, when it opens with a capital like an
                // item of a list (`Thực hiện Quyết định số 2188/QĐ-TTg ngày
                // … HIV, Thông tư số 28/2017/TT-BYT ngày …, Thông tư số …`).
                let listed = raw_before.trim_end().ends_with(',')
                    && part
                        .get(c.start..)
                        .and_then(|r| r.chars().next())
                        .is_some_and(char::is_uppercase);
                // `Theo đề nghị … tại Tờ trình số … và kết quả xin ý kiến
                // … tại Công văn số 1077/VP-KGVX ngày …`: a second act the
                // proposal rests on.
                let opinion = pf.starts_with("theo de nghi")
                    && before.contains(" va ")
                    && before.trim_end().ends_with(" tai");
                // `Thực hiện Quyết định số … và xét đề nghị của Giám đốc Sở
                // Y tế tại Tờ trình số … ngày …`: the proposal too.
                // … or in a sentence of its own after it (`… (sau đây gọi là
                // Chương trình). Sau khi xem xét, đề nghị của Sở … tại Tờ
                // trình số 37/TTr-SGD&ĐT ngày …`).
                let proposal = (before.contains(" va xet de nghi")
                    || before.contains(" va theo de nghi")
                    || before.contains("de nghi cua")
                    || before.contains("de xuat cua"))
                    && before.trim_end().ends_with(" tai");
                // `Xét đề nghị … tại Văn bản số 610/SYT-VP …, kèm theo Văn
                // bản thẩm định số 312/STP-KSTT ngày …`: the appraisal the
                // proposal came with (fifteenth held-out batch).
                let attached = proposing
                    && before
                        .trim_end()
                        .trim_end_matches(',')
                        .trim_end()
                        .ends_with("kem theo");
                if (before.trim_end().ends_with(" va") || listed || opinion || proposal || attached)
                    && c.doc.number.is_some()
                    && c.doc.date.is_some()
                {
                    prev_end = c.end;
                    joined.push(c);
                }
            }
        }
        group.extend(joined);
        for mut c in group {
            if c.doc.date.is_none() && c.doc.number.is_some() {
                c.doc.date = shared_date;
            }
            c.doc.text = clause.trim().trim_end_matches([';', '.']).to_string();
            let _ = part_start;
            if !out
                .iter()
                .any(|d| d.number.is_some() && d.number == c.doc.number)
            {
                out.push(c.doc);
            }
        }
    }
    out
}

/// Identity read from the document head.
#[derive(Debug, Default)]
pub struct Identity {
    /// Kind heading found.
    pub kind: Option<DocumentKind>,
    /// Index of the kind heading line.
    pub kind_line: Option<usize>,
    /// Number as written.
    pub number: Option<String>,
    /// Date of issue.
    pub date: Option<Date>,
    /// Issuer.
    pub issuer: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Line indices used by the title.
    pub title_lines: Vec<usize>,
    /// Place named on the date line.
    pub place: Option<String>,
}

/// `Số: 211/KH-UBND`; also `S: 309/KH-UBND`, `Sô: …` where a conversion
/// lost letters of `Số` (then a number must follow on the line).
static NUMBER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:Số(?:\s*:\s*|\s+)([0-9/-].*|\s*)|S[ôo]?\s*:\s*(\d{1,5}\s*/.*))$")
        .expect("static regex")
});
/// A date of issue written or OCR-damaged anywhere in a line, folded:
/// `ngay 30 thang 01 nam 2015`, `ngdy 30 thang 01 ndm 2015`.
static LOOSE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bng[a-z]{1,2}y\s*(\d{1,2})\s*th[a-z]{1,3}ng\s*(\d{1,2})\s*n[a-z]{1,2}m\s*(\d{4})\b",
    )
    .expect("static regex")
});
static AROUND_SLASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*([/-])\s*").expect("static regex"));

/// The number of a `Số:` line: spaces around `/` and `-` closed up
/// (`346 /QD-BYT`, `296/KH -UBND`), then its first word.
fn number_token(raw: &str) -> String {
    let closed = AROUND_SLASH.replace_all(raw.trim(), "$1");
    restore_hyphen(
        closed
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches(['.', ',', ';']),
    )
}

/// A number whose hyphen a text layer lost (`5042/QĐUBND`, `376/QĐTTg`):
/// a kind code glued to an issuer code gets it back.
static GLUED_CODES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+(?:/\d{4})?/)(QĐ|KH|NQ|CT|TT|TTr|TB|BC|HD|NĐ)(UBND|TTg|BYT|CP|SYT|HĐND|BTC|BNV|BKHĐT|BLĐTBXH|BTP|BGDĐT|QH\d{0,2})$")
        .expect("static regex")
});

/// A party act's number whose hyphen a text layer lost (`20NQ/TW`,
/// `25CT/TW`, `379KL/TU`): the digits glued to the kind code.
static GLUED_PARTY_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+)(NQ|CT|KL|KH|CTr|TB|QĐ|HD|BC)(/(?:TW|TU|HU|ĐU|QU|BCSĐ|BCS|BCT|BBT))$")
        .expect("static regex")
});

/// Puts back the hyphen of a number written `5042/QĐUBND` or `20NQ/TW`.
pub fn restore_hyphen(number: &str) -> String {
    let n = GLUED_CODES.replace(number, "$1$2-$3");
    GLUED_PARTY_CODE.replace(&n, "$1-$2$3").into_owned()
}

/// A number whose kind code is empty (`1281/-UBND`, `12/2019/-UBND`) with
/// the code of the kind its heading names (`QUYẾT ĐỊNH` → `QĐ`); `None`
/// when the number is whole or the kind has no code of its own.
fn with_kind_code(number: &str, kind: DocumentKind) -> Option<String> {
    let code = match kind {
        DocumentKind::Decision => "QĐ",
        DocumentKind::Plan => "KH",
        DocumentKind::Directive => "CT",
        DocumentKind::Resolution => "NQ",
        DocumentKind::Programme => "CTr",
        DocumentKind::Submission => "TTr",
        DocumentKind::Notice => "TB",
        _ => return None,
    };
    let (head, issuer) = number.split_once("/-")?;
    let whole = !head.is_empty()
        && head
            .split('/')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        && !issuer.is_empty()
        && issuer.chars().all(|c| c.is_alphanumeric() || c == '-');
    whole.then(|| format!("{head}/{code}-{issuer}"))
}

/// The national title and motto of a head flattened into one line with
/// the issuer's column (`ỦY BAN NHÂN DÂN CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT
/// NAM`, `TỈNH KON TUM Độc lập - Tự do - Hạnh phúc`): the right column,
/// cut out so that the left one reads alone. Letters may be damaged
/// (`XàHỘI`).
static RIGHT_COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)C\S{1,2}NG\s*H\S{1,3}\s*X\S{0,2}\s*H\S{1,3}\s*CH\S{1,2}\s*NGH\S{1,3}\s*VI\S{1,3}\s*NAM|Đ\S{1,2}c\s*l\S{1,2}p\s*[-–—]?\s*T\S{1,2}\s*do\s*[-–—]?\s*H\S{1,3}nh\s*ph\S{1,2}c")
        .expect("static regex")
});
static PLACE_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^,]{2,40}),\s*ngày\b(.*)$").expect("static regex"));

fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let lower = w.to_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A row of the metadata table law sites put above a document
/// (`| Số hiệu | 01/KH-UBND |`, `| Loại văn bản | Kế hoạch |`).
pub(crate) fn is_site_metadata(cells: &[String]) -> bool {
    let first = cells.first().map(|c| fold(c)).unwrap_or_default();
    [
        "so hieu",
        "loai van ban",
        "ngay ban hanh",
        "ngay co hieu luc",
        "ngay hieu luc",
        "co quan ban hanh",
        "noi ban hanh",
        "nguoi ky",
        "linh vuc",
        "tinh trang",
        "ngay cong bao",
        "so cong bao",
    ]
    .iter()
    .any(|w| first.trim_end_matches(':').trim() == *w)
}

// `Số:` may be glued to what a conversion left before it (`straight
// connector 2Số: 1551 /UBND-VX`): any non-letter will do as its boundary.
static NUMBER_IN_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:^|[^\p{L}])Số\s*:\s*(\d.*)$").expect("static regex"));

fn loose_date(text: &str) -> Option<Date> {
    let f = fold(text);
    let c = LOOSE_DATE.captures(&f)?;
    let n = |k: usize| c.get(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = i32::try_from(n(3)?).ok()?;
    Date::from_ymd_opt(year, n(2)?, n(1)?)
}

/// Reads the identity from the first lines.
pub fn identity(lines: &[Line], warnings: &mut Vec<String>) -> Identity {
    let mut id = Identity::default();
    let head_end = lines.len().min(60);
    let mut issuer_header: Option<String> = None;
    let mut agency_under: Option<String> = None;
    // A head laid out as a table gives one line per row: read each cell as
    // a line of its own. `ỦY` / `BAN NHÂN DÂN` wrapped apart are joined.
    let mut head: Vec<(usize, &Line, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate().take(head_end) {
        match &l.cells {
            Some(cells) if is_site_metadata(cells) => {}
            Some(cells) => {
                for c in cells {
                    let c = c.trim_end_matches('-').trim();
                    if !c.is_empty() {
                        head.push((i, l, c.to_string()));
                    }
                }
            }
            None => {
                let t = if RIGHT_COLUMN.is_match(&l.text) {
                    RIGHT_COLUMN.replace_all(&l.text, " ").trim().to_string()
                } else {
                    l.text.clone()
                };
                head.push((i, l, t));
            }
        }
    }
    let mut k = 0;
    while k + 1 < head.len() {
        let f = fold(&head[k].2);
        let nf = fold(&head[k + 1].2);
        if (f == "uy" && nf.starts_with("ban nhan dan"))
            || (f == "uy ban nhan" && nf.starts_with("dan"))
            || (f == "uy ban" && nf.starts_with("nhan dan"))
        {
            let next = head.remove(k + 1).2;
            head[k].2 = format!("{} {next}", head[k].2);
            continue;
        }
        k += 1;
    }
    for (hi, (i, l, t)) in head.iter().enumerate() {
        let (i, l) = (*i, *l);
        let t = t.as_str();
        if id.kind.is_none() && !t.trim_end().ends_with(':') {
            if let Some(k) = kind_of_heading(t) {
                id.kind = Some(k);
                id.kind_line = Some(i);
                continue;
            }
        }
        if id.number.is_none() && id.kind.is_none() {
            if let Some(c) = NUMBER_LINE.captures(t) {
                let raw = c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).trim();
                let num = number_token(raw);
                // An OCR'd head may run on: `Số: 346 /QD-BYT Ha N6i, ngdy 30 …`.
                if id.date.is_none() {
                    if let Some(d) = loose_date(raw) {
                        id.date = Some(d);
                    }
                }
                // `Số:` / `1173/QĐ-UBND` wrapped apart.
                let num = if num.is_empty() {
                    head.get(hi + 1)
                        .map(|n| number_token(&n.2))
                        .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()) && n.contains('/'))
                        .unwrap_or(num)
                } else {
                    num
                };
                if num.starts_with('/')
                    || num.starts_with('-')
                    || !num.chars().any(|c| c.is_ascii_digit())
                {
                    warnings.push(format!(
                        "line {}: the document number is left blank ({t})",
                        l.no
                    ));
                } else {
                    id.number = Some(num.trim_end_matches(['.', ',']).to_string());
                }
                continue;
            }
        }
        if id.date.is_none() && id.place.is_none() {
            if let Some(c) = PLACE_DATE.captures(t) {
                let place = c.get(1).map_or("", |m| m.as_str()).trim().to_string();
                id.place = Some(place);
                let d = parse_date(&format!("ngày{}", c.get(2).map_or("", |m| m.as_str())));
                if d.is_none() {
                    warnings.push(format!(
                        "line {}: the date of issue is incomplete ({t})",
                        l.no
                    ));
                }
                id.date = d;
                continue;
            }
        }
        let f = fold(t);
        // `CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG`: the authority line.
        let f = match f.strip_prefix("chu tich ") {
            Some(r) if r.starts_with("uy ban nhan dan ") => r.to_string(),
            _ => f,
        };
        let t: &str = if f.len() < fold(t).len() {
            t.char_indices()
                .filter(|(_, c)| c.is_whitespace())
                .nth(1)
                .and_then(|(i, _)| t.get(i + 1..))
                .unwrap_or(t)
        } else {
            t
        };
        // The authority line under the title (`UỶ BAN NHÂN DÂN TỈNH SƠN LA`)
        // names the issuer when the head did not.
        let authority_after_kind = id.kind.is_some()
            && f.starts_with("uy ban nhan dan ")
            && t.split_whitespace().count() <= 10
            && t.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        if issuer_header.is_none()
            && (id.kind.is_none() || authority_after_kind)
            && (f == "uy ban nhan dan"
                || f.starts_with("uy ban nhan dan ")
                || f.starts_with("ubnd "))
        {
            // The level line may stand after a blank one
            // (`ỦY BAN NHÂN DÂN` / `` / `THÀNH PHỐ HỒ CHÍ MINH`).
            let next = head
                .iter()
                .skip(hi + 1)
                .map(|n| n.2.clone())
                .find(|n| !n.trim().is_empty())
                .unwrap_or_default();
            let level_name = if f == "uy ban nhan dan" {
                next
            } else {
                t.splitn(if f.starts_with("ubnd") { 2 } else { 5 }, ' ')
                    .last()
                    .unwrap_or("")
                    .to_string()
            };
            let level_name = level_name.trim_end_matches(['-', ' ']);
            // A sentence of the body (`Ủy ban nhân dân Thành phố chỉ đạo như
            // sau:`) names no issuer: a head line is a name, in capitals or short.
            let name_like = !level_name.trim_end().ends_with(':')
                && (level_name.split_whitespace().count() <= 5
                    || level_name
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase));
            if let Some((lvl, name)) = split_level(level_name).filter(|_| name_like) {
                issuer_header = Some(format!("UBND {lvl} {}", title_case(&name)));
                // `UBND TỈNH BÌNH DƯƠNG` / `SỞ Y TẾ`: the department under
                // the committee's line issues (after the level line when it
                // stands apart).
                let skip = if f == "uy ban nhan dan" { 2 } else { 1 };
                agency_under = head
                    .iter()
                    .skip(hi + 1)
                    .map(|n| n.2.trim())
                    .filter(|n| !n.is_empty() && n.chars().any(char::is_alphabetic))
                    .nth(skip - 1)
                    .filter(|n| is_agency_line(n))
                    .map(|n| format!("{} {lvl} {}", unit_name(n), title_case(&name)));
            }
        }
        // A council's head, its name broken over lines by a pipe table
        // (`HỘI ĐỒNG` / `NHÂN DÂN` / `TỈNH QUẢNG TRỊ`): the council issues.
        if issuer_header.is_none()
            && id.kind.is_none()
            && id.number.is_none()
            && f.starts_with("hoi dong")
        {
            let mut joined = t.trim().to_string();
            for n in head.iter().skip(hi + 1).take(3) {
                if fold(&joined).len() >= "hoi dong nhan dan".len() {
                    break;
                }
                joined.push(' ');
                joined.push_str(n.2.trim());
            }
            let jf = fold(&joined);
            if jf == "hoi dong nhan dan" || jf.starts_with("hoi dong nhan dan ") {
                let level_name = if joined.split_whitespace().count() > 4 {
                    joined
                        .split_whitespace()
                        .skip(4)
                        .collect::<Vec<_>>()
                        .join(" ")
                } else {
                    head.iter()
                        .skip(hi + 1)
                        .map(|n| n.2.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .find(|n| split_level(n).is_some())
                        .unwrap_or_default()
                };
                if let Some((lvl, name)) = split_level(level_name.trim_end_matches(['-', ' '])) {
                    issuer_header = Some(format!("HĐND {lvl} {}", title_case(&name)));
                }
            }
        }
        if issuer_header.is_none()
            && id.kind.is_none()
            && id.number.is_none()
            && f.starts_with("so ")
            && is_agency_line(t)
        {
            // `SỞ Y TẾ HÀ NỘI` / `TRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN`: the unit
            // under the department's line issues; else the department.
            let below = head
                .iter()
                .skip(hi + 1)
                .map(|n| n.2.trim())
                .find(|n| !n.is_empty() && n.chars().any(char::is_alphabetic))
                .filter(|n| is_agency_line(n) && !fold(n).starts_with("so "));
            issuer_header = Some(unit_name(below.unwrap_or(t)));
        }
        if issuer_header.is_none() && id.kind.is_none() && id.number.is_none() {
            if f == "bo y te" {
                // A general department or department heads under the
                // ministry's line (`BỘ Y TẾ` / `TỔNG CỤC DÂN SỐ-` / `KẾ
                // HOẠCH HÓA GIA ĐÌNH`): it is the issuer.
                let below: Vec<&str> = head
                    .iter()
                    .skip(hi + 1)
                    .map(|n| n.2.trim())
                    .filter(|n| !n.is_empty())
                    .take(2)
                    .collect();
                let sub = below.first().copied().unwrap_or("");
                let sf = fold(sub);
                let is_body = ["tong cuc ", "cuc ", "vu "]
                    .iter()
                    .any(|w| sf.starts_with(w))
                    && sub
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase);
                issuer_header = Some(if is_body {
                    let mut name = sub.to_string();
                    if let Some(more) = below.get(1).filter(|m| {
                        let mf = fold(m);
                        sub.ends_with('-')
                            && m.chars()
                                .filter(|c| c.is_alphabetic())
                                .all(char::is_uppercase)
                            && !mf.starts_with("cong hoa")
                            && m.chars().any(char::is_alphabetic)
                    }) {
                        name = format!("{} - {more}", name.trim_end_matches(['-', ' ']));
                    }
                    department_name(&name)
                } else {
                    "Bộ Y tế".into()
                });
            } else if f == "thu tuong chinh phu" || f == "thu tuong chinh" {
                // The Prime Minister's head, maybe broken over lines
                // (`THỦ TƯỚNG CHÍNH` / `PHỦ`).
                let next = head
                    .iter()
                    .skip(hi + 1)
                    .map(|n| fold(n.2.trim()))
                    .find(|n| !n.is_empty())
                    .unwrap_or_default();
                if f == "thu tuong chinh phu" || next == "phu" {
                    issuer_header = Some("Thủ tướng Chính phủ".into());
                }
            } else if f == "hoi dong nhan dan" || f.starts_with("hoi dong nhan dan ") {
                // A council's resolution: the issuer is the council, not the UBND.
            }
        }
    }
    // An OCR'd head runs together: `… Độc lập - Tự do - Hạnh phúc Số: 346 /QD-BYT …`.
    if id.number.is_none() {
        for (_, l, t) in head
            .iter()
            .filter(|(_, _, t)| !t.trim().is_empty())
            .take(20)
        {
            if let Some(c) = NUMBER_IN_LINE.captures(t) {
                let raw = c.get(1).map_or("", |m| m.as_str());
                let num = number_token(raw);
                if num.contains('/') {
                    id.number = Some(num);
                    if id.date.is_none() {
                        id.date = loose_date(raw);
                    }
                    let _ = l;
                    break;
                }
            }
        }
    }
    // `Số: 1281/-UBND` under a `QUYẾT ĐỊNH` heading: the kind's letters were
    // lost (fifteenth held-out batch); the heading gives them back.
    if let (Some(n), Some(k)) = (id.number.as_deref(), id.kind) {
        if let Some(fixed) = with_kind_code(n, k) {
            let no = id.kind_line.and_then(|i| lines.get(i)).map_or(1, |l| l.no);
            warnings.push(format!(
                "line {no}: the number {n} lacks its kind code; read as {fixed}"
            ));
            id.number = Some(fixed);
        }
    }
    // Title: lines after the kind heading up to a blank line or a basis clause.
    if let Some(k) = id.kind_line {
        let mut parts = Vec::new();
        for (i, l) in lines.iter().enumerate().skip(k + 1) {
            let f = fold(&l.text);
            if l.is_blank() {
                if parts.is_empty() {
                    continue;
                }
                break;
            }
            if !parts.is_empty()
                && (f.starts_with("can cu")
                    || f.starts_with("thuc hien ")
                    || f.starts_with("xet ")
                    // a preamble of only a proposal (`Theo đề nghị của …`)
                    || f.starts_with("theo de nghi")
                    || f.starts_with("tren co so xem xet"))
            {
                break;
            }
            if marker_of(&l.text).is_some_and(|m| m.kind == MarkerKind::Roman)
                || f.starts_with("can cu")
                || (f.starts_with("dieu ") && f.chars().nth(5).is_some_and(|c| c.is_ascii_digit()))
                || (!parts.is_empty() && marker_of(&l.text).is_some_and(|m| m.kind.is_bullet()))
            {
                break;
            }
            if f.starts_with("cong hoa xa hoi") || f.starts_with("doc lap") {
                continue;
            }
            parts.push(l.text.clone());
            id.title_lines.push(i);
            if parts.len() >= 4 {
                break;
            }
        }
        if !parts.is_empty() {
            id.title = Some(parts.join(" "));
        }
    }
    // A department's own document (`1234/KH-SYT`), not the committee's.
    let committees = id
        .number
        .as_deref()
        .is_some_and(|n| fold(n).ends_with("ubnd"));
    id.issuer = match agency_under {
        Some(a) if !committees => Some(a),
        _ => issuer_header,
    };
    id
}

/// A head line in capitals naming an agency or unit (`SỞ Y TẾ`, `PHÒNG Y
/// TẾ`, `TRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN`, `CHI CỤC DÂN SỐ`).
fn is_agency_line(t: &str) -> bool {
    let f = fold(t);
    t.chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
        && t.split_whitespace().count() <= 12
        && [
            "so ",
            "phong ",
            "trung tam ",
            "chi cuc ",
            "benh vien ",
            "tram y te",
            "ban quan ly ",
        ]
        .iter()
        .any(|w| f.starts_with(w))
}

/// `TRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN` as written in running text: `Trung
/// tâm Y tế huyện Phú Xuyên` (the kind of unit, the capitalised first word
/// of its field, the level in lower case, the place's name capitalised).
fn unit_name(upper: &str) -> String {
    let words: Vec<&str> = upper.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    // where a level word starts the place (`HUYỆN PHÚ XUYÊN`)
    let place_at = (1..words.len()).find(|&i| {
        LEVELS.iter().any(|(key, _)| {
            let kw: Vec<&str> = key.split(' ').collect();
            kw.iter()
                .enumerate()
                .all(|(j, k)| folded.get(i + j).is_some_and(|w| w == k))
                && words.len() > i + kw.len()
        })
    });
    let kind_len = match folded.first().map(String::as_str) {
        Some("trung" | "chi" | "benh" | "tram" | "ban") => 2,
        _ => 1,
    };
    // … or a province's or city's name without its level (`SỞ Y TẾ HÀ NỘI`)
    let place_at = place_at.or_else(|| {
        (1..words.len()).find(|&i| {
            let tail = folded.get(i..).unwrap_or(&[]).join(" ");
            i > kind_len && (PROVINCES.contains(&tail.as_str()) || CITIES.contains(&tail.as_str()))
        })
    });
    let (body, place) = words.split_at(place_at.unwrap_or(words.len()));
    let mut out: Vec<String> = Vec::new();
    for (i, w) in body.iter().enumerate() {
        let lower = w.to_lowercase();
        if i == 0 || i == kind_len {
            let mut cs = lower.chars();
            out.push(
                cs.next()
                    .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
                    .unwrap_or_default(),
            );
        } else {
            out.push(lower);
        }
    }
    if let Some((lvl, name)) = split_level(&place.join(" ")) {
        out.push(format!("{lvl} {}", title_case(&name)));
    } else if !place.is_empty() {
        out.push(title_case(&place.join(" ")));
    }
    out.join(" ")
}

const LEVELS: &[(&str, &str)] = &[
    ("thanh pho", "thành phố"),
    ("tp.", "thành phố"),
    ("tinh", "tỉnh"),
    ("huyen", "huyện"),
    ("thi xa", "thị xã"),
    ("quan", "quận"),
    ("xa", "xã"),
    ("phuong", "phường"),
    ("thi tran", "thị trấn"),
];

/// Splits `TỈNH QUẢNG NGÃI` into (`tỉnh`, `QUẢNG NGÃI`).
fn split_level(s: &str) -> Option<(&'static str, String)> {
    let f = fold(s);
    for (key, level) in LEVELS {
        if let Some(rest) = f.strip_prefix(&format!("{key} ")) {
            let _ = rest;
            let n_words = key.split(' ').count();
            let name: Vec<&str> = s.split_whitespace().skip(n_words).collect();
            if name.is_empty() {
                return None;
            }
            return Some((level, name.join(" ")));
        }
    }
    None
}

static ISSUING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:Ủy ban nhân dân|UBND|Uỷ ban nhân dân|ỦY BAN NHÂN DÂN)[ ]+(tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)((?:[ ]+\p{Lu}[\p{L}]*)*)[ ]+(?:ban hành|xây dựng)")
        .expect("static regex")
});
static NAMED_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(?i:tỉnh|huyện|thành phố|thị xã|quận)|Huyện ủy|Tỉnh ủy|Thành ủy|Huyện uỷ|Tỉnh uỷ)((?:[ ]+\p{Lu}[\p{L}]*)+)").expect("static regex")
});

/// A page reproducing an act under a title that names it (`Quyết định số
/// 4266/QĐ-UBND của UBND tỉnh về việc công bố dịch … thị xã Hà Giang, tỉnh
/// Hà Giang`, then `QUYẾT ĐỊNH:` and its articles): the act's number, and
/// its issuer when the title names the level and, after it, a place of
/// that level (seventeenth held-out batch).
static REPRODUCED_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Quyết định|Chỉ thị|Kế hoạch)\s+số\s*:?\s*(\d+/[\p{L}\d./-]*[\p{L}\d])\s+của\s+(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(tỉnh|thành phố|huyện|thị xã|quận)\b")
        .expect("static regex")
});

/// The number and issuer of an act a page reproduces (see
/// [`REPRODUCED_TITLE`]): only when the page's first line is such a title
/// and the act's enacting line (`QUYẾT ĐỊNH:`) or first article follows.
pub fn reproduced_act(lines: &[Line]) -> Option<(String, Option<String>)> {
    let first = lines.iter().find(|l| !l.is_blank())?;
    let c = REPRODUCED_TITLE.captures(first.text.trim())?;
    let enacted = lines.iter().take(40).any(|l| {
        let t = l.text.trim();
        t == "QUYẾT ĐỊNH:" || t.starts_with("Điều 1.") || t.starts_with("Điều 1:")
    });
    if !enacted {
        return None;
    }
    let number = c.get(1)?.as_str().to_string();
    let level = c.get(2)?.as_str();
    let level_f = fold(level);
    let issuer = NAMED_PLACE
        .captures_iter(&first.text)
        .filter(|m| fold(m.get(0).map_or("", |x| x.as_str())).starts_with(&format!("{level_f} ")))
        .last()
        .and_then(|m| m.get(1))
        .map(|n| format!("UBND {level} {}", n.as_str().trim()));
    Some((number, issuer))
}

/// Infers the issuer from the issuing sentence (`Ủy ban nhân dân tỉnh Kon
/// Tum ban hành Kế hoạch`) and a place named on the date line, in the title
/// or elsewhere.
pub fn infer_issuer(full_text: &str, place: Option<&str>, title: Option<&str>) -> Option<String> {
    let c = ISSUING.captures(full_text)?;
    let level = c.get(1)?.as_str().to_lowercase();
    let mut name = c
        .get(2)
        .map(|m| m.as_str().trim().to_string())
        .unwrap_or_default();
    if name.is_empty() {
        if let Some(p) = place {
            let p = p.trim();
            let p = p
                .strip_prefix("TP.")
                .or_else(|| p.strip_prefix("TP"))
                .unwrap_or(p)
                .trim();
            if !p.is_empty() {
                name = p.to_string();
            }
        }
    }
    if name.is_empty() {
        let level_f = fold(&level);
        let search = title.map(|t| format!("{t}\n")).unwrap_or_default() + full_text;
        for m in NAMED_PLACE.captures_iter(&search) {
            let word = fold(m.get(0).map_or("", |x| x.as_str()));
            let ok = word.starts_with(&level_f) || word.starts_with(&format!("{level_f} uy"));
            if ok {
                name = m.get(1).map_or("", |x| x.as_str()).trim().to_string();
                break;
            }
        }
    }
    if name.is_empty() {
        return Some(format!("UBND {level}"));
    }
    let name = if name
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase())
    {
        title_case(&name)
    } else {
        name
    };
    Some(format!("UBND {level} {name}"))
}

/// The provinces (before the 2025 merger, and the names kept after it),
/// folded.
const PROVINCES: &[&str] = &[
    "an giang",
    "ba ria - vung tau",
    "bac giang",
    "bac kan",
    "bac lieu",
    "bac ninh",
    "ben tre",
    "binh dinh",
    "binh duong",
    "binh phuoc",
    "binh thuan",
    "ca mau",
    "cao bang",
    "dak lak",
    "dak nong",
    "dien bien",
    "dong nai",
    "dong thap",
    "gia lai",
    "ha giang",
    "ha nam",
    "ha tinh",
    "hai duong",
    "hau giang",
    "hoa binh",
    "hung yen",
    "khanh hoa",
    "kien giang",
    "kon tum",
    "lai chau",
    "lam dong",
    "lang son",
    "lao cai",
    "long an",
    "nam dinh",
    "nghe an",
    "ninh binh",
    "ninh thuan",
    "phu tho",
    "phu yen",
    "quang binh",
    "quang nam",
    "quang ngai",
    "quang ninh",
    "quang tri",
    "soc trang",
    "son la",
    "tay ninh",
    "thai binh",
    "thai nguyen",
    "thanh hoa",
    "thua thien hue",
    "tien giang",
    "tra vinh",
    "tuyen quang",
    "vinh long",
    "vinh phuc",
    "yen bai",
];
/// The issuer a number's code names when the head does not (`612/QĐ-BYT`
/// on a head flattened into one line with the national motto).
pub fn issuer_from_number(number: Option<&str>) -> Option<String> {
    let code = number?.rsplit(['-', '/']).next()?;
    match code {
        "BYT" => Some("Bộ Y tế".into()),
        "TTg" | "TTG" => Some("Thủ tướng Chính phủ".into()),
        _ => None,
    }
}

/// The centrally-run cities, folded.
const CITIES: &[&str] = &["ha noi", "ho chi minh", "hai phong", "da nang", "can tho"];

/// The issuer of a head that names the committee without its level line
/// (`ỦY BAN NHÂN DÂN | CỘNG HÒA …`, then `Lào Cai, ngày …`): the place
/// of the date line, at the level the text gives it (`TỈNH LÀO CAI` in the
/// title, `tỉnh Quảng Ngãi` in a citation), when a committee's head or
/// number (`…-UBND`) says the issuer is one.
pub fn issuer_from_place(
    full_text: &str,
    place: Option<&str>,
    number: Option<&str>,
) -> Option<String> {
    let place = place?.trim();
    let pf = fold(place);
    // `Bà Rịa - Vũng Tàu`: a dash inside a province's name is no word.
    if pf.is_empty() || pf.split_whitespace().filter(|w| *w != "-").count() > 4 {
        return None;
    }
    let head: Vec<String> = full_text.lines().take(60).map(fold).collect();
    // A council's head without its level line (`HỘI ĐỒNG NHÂN DÂN | CỘNG
    // HÒA …`, `HỘI ĐỒNG NHÂN` / `DÂN |`) or number (`…/NQ-HĐND`): the
    // council of the place issues (eighteenth held-out batch).
    let council = number.is_some_and(|n| fold(n).contains("hdnd"))
        || head.iter().take(30).any(|l| l.starts_with("hoi dong nhan"));
    let committee = number.is_some_and(|n| fold(n).contains("ubnd"))
        || head.iter().any(|l| l.starts_with("uy ban nhan dan"));
    let body = if council && !number.is_some_and(|n| fold(n).contains("ubnd")) {
        "HĐND"
    } else if committee {
        "UBND"
    } else {
        return None;
    };
    let text = fold(full_text);
    let level = LEVELS
        .iter()
        .filter(|(key, _)| matches!(*key, "tinh" | "thanh pho" | "huyen" | "thi xa" | "quan"))
        // The level the text first gives the place.
        .filter_map(|(key, level)| Some((text.find(&format!("{key} {pf}"))?, *level)))
        .min_by_key(|(at, _)| *at)
        .map(|(_, level)| level)
        // Nothing names its level: a province's or a centrally-run city's
        // name is one (a district's committee heads its text with its level).
        .or_else(|| {
            if CITIES.contains(&pf.as_str()) {
                Some("thành phố")
            } else {
                PROVINCES.contains(&pf.as_str()).then_some("tỉnh")
            }
        })?;
    let name = if place
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
    {
        title_case(place)
    } else {
        place.to_string()
    };
    Some(format!("{body} {level} {name}"))
}

/// `TỔNG CỤC DÂN SỐ - KẾ HOẠCH HÓA GIA ĐÌNH` as it is written in running
/// text: `Tổng cục Dân số - Kế hoạch hóa gia đình` (each part of the name
/// capitalised on its first word).
fn department_name(upper: &str) -> String {
    let lower = upper.to_lowercase();
    let (kind, name) = ["tổng cục ", "cục ", "vụ "]
        .iter()
        .find_map(|k| lower.strip_prefix(k).map(|n| (*k, n)))
        .unwrap_or(("", lower.as_str()));
    let capital = |p: &str| {
        let mut cs = p.trim().chars();
        cs.next()
            .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
            .unwrap_or_default()
    };
    let name = name
        .split(" - ")
        .map(capital)
        .collect::<Vec<_>>()
        .join(" - ");
    if kind.is_empty() {
        name
    } else {
        format!("{} {name}", capital(kind))
    }
}

/// A signer's title with the name glued to it by a conversion
/// (`PHÓ CHỦ TỊCHNguyễn Thị Thu`).
static TITLE_GLUED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Lu}[\p{Lu}\s.]*\p{Lu})(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}*){1,4})$")
        .expect("static regex")
});

/// Recipients and signer from the end of the document.
pub fn recipients_and_signer(lines: &[Line]) -> (Vec<String>, Option<Signer>, Option<usize>) {
    let start = lines.iter().rposition(|l| {
        let f = fold(&l.text);
        f.starts_with("noi nhan")
    });
    let mut recipients = Vec::new();
    let mut after = start.map_or(lines.len(), |s| s + 1);
    if let Some(s) = start {
        // "Nơi nhận: - A; - B" on one line
        if let Some(l) = lines.get(s) {
            if let Some((_, rest)) = l.text.split_once(':') {
                for part in rest.split(" - ").map(str::trim).filter(|p| !p.is_empty()) {
                    recipients.push(clean_recipient(part));
                }
            }
        }
        for (i, l) in lines.iter().enumerate().skip(s + 1) {
            if l.is_blank() {
                continue;
            }
            let t = l.text.trim();
            if let Some(rest) = t.strip_prefix(['-', '–', '+', '•']) {
                recipients.push(clean_recipient(rest));
                after = i + 1;
            } else {
                after = i;
                break;
            }
        }
    }
    // Signer: TM./KT./Q./TL. lines, an upper-case title, then a name.
    // Without `Nơi nhận`, the last such block wherever it stands (an annex
    // may follow it: `… Ngô Hòa` then `DANH SÁCH …`, fourth held-out
    // batch), read over a few lines; else the last twelve lines.
    let block = lines.iter().rposition(|l| {
        let t = l.text.trim();
        let f = fold(t);
        t.starts_with("TM.")
            || t.starts_with("TM ")
            || ["kt.", "q.", "tl.", "tuq."]
                .iter()
                .any(|p| f.starts_with(p))
    });
    let (scan_from, window) = match (start, block) {
        (Some(_), _) => (after, usize::MAX),
        (None, Some(b)) => (b.saturating_sub(2), 8),
        (None, None) => (lines.len().saturating_sub(12), usize::MAX),
    };
    let mut signer = Signer {
        name: None,
        title: None,
        on_behalf_of: None,
    };
    let mut found = false;
    let mut acting: Option<String> = None;
    for l in lines.iter().skip(scan_from).take(window) {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        let f = fold(t);
        // Recipients may run on beside the block (`- VPUB: CVP, PVP/VX;`).
        if t.starts_with(['-', '–', '+', '•']) {
            continue;
        }
        if let Some(c) = TITLE_GLUED_NAME.captures(t) {
            if let (Some(title), Some(name)) = (c.get(1), c.get(2)) {
                signer
                    .title
                    .get_or_insert_with(|| title.as_str().trim().to_string());
                signer.name = Some(name.as_str().to_string());
                found = true;
                continue;
            }
        }
        if let Some(rest) = t.strip_prefix("TM.").or_else(|| t.strip_prefix("TM ")) {
            signer.on_behalf_of = Some(rest.trim().to_string());
            found = true;
        } else if f.starts_with("kt.")
            || f.starts_with("q.")
            || f.starts_with("tl.")
            || f.starts_with("tuq.")
        {
            found = true;
            if acting.is_none() {
                acting = Some(t.split_once('.').map_or("", |x| x.1).trim().to_string());
            }
        } else if t
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
            && t.chars().any(|c| c.is_alphabetic())
            // a heading above the block (`I. MỤC TIÊU`) or the head of a
            // text without one (`SỞ Y TẾ HÀ NỘI`) is no signer's title
            && marker_of(t).is_none()
            && names_an_office(&f)
        {
            if signer.title.is_none() {
                signer.title = Some(t.to_string());
            }
            found = true;
        } else if is_person_name(t) {
            signer.name = Some(t.to_string());
            found = true;
        } else if found && signer.name.is_none() && is_name_in_capitals(t) {
            // `KT. Chủ tịch` / `Phó Chủ tịch` / `ĐÀM VĂN BÔNG`: the name in
            // capitals under the titles (seventeenth held-out batch).
            signer.name = Some(title_case(t));
        }
    }
    if signer.title.is_none() {
        signer.title = acting.filter(|a| !a.is_empty());
    }
    (recipients, found.then_some(signer), start)
}

/// Whether a folded line in capitals names a signer's office (`CHỦ
/// TỊCH`, `PHÓ GIÁM ĐỐC`, `BỘ TRƯỞNG`, `THỦ TƯỚNG`, `ỦY BAN NHÂN DÂN` for
/// `TM.` on a line of its own).
fn names_an_office(f: &str) -> bool {
    [
        "chu tich",
        "giam doc",
        "truong",
        "thu tuong",
        "bi thu",
        "chanh van phong",
        "uy ban nhan dan",
        "hoi dong nhan dan",
        "ban chi dao",
        "thu ky",
    ]
    .iter()
    .any(|w| f.contains(w))
}

fn clean_recipient(s: &str) -> String {
    let s = s.trim().trim_end_matches([';', ',', '.']).trim();
    let s = s.replace("; (", " (").replace(", (", " (");
    s.trim().to_string()
}

/// Two to five capitalised words, no digits: a person's name.
fn is_person_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                && w.chars().all(|c| c.is_alphabetic())
        })
        && !words.iter().all(|w| w.chars().all(|c| c.is_uppercase()))
}

/// Family names common enough to tell a name in capitals (`NGUYỄN VĂN
/// A`) from a heading in capitals (`PHỤ LỤC`, `KẾ HOẠCH`), folded.
const FAMILY_NAMES: &[&str] = &[
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dam", "dinh", "lam", "mai", "trinh", "truong", "ha", "luong",
    "ta", "doan", "cao", "chu", "lo", "vuong", "thai", "nong", "trieu", "kieu", "quach", "luu",
    "giang", "hau", "sung", "lai", "au", "khuat", "kha", "nghiem",
];

/// Words of an office's or a place's name, never of a person's (`ĐẢNG ỦY
/// XÃ`, `HÀ NỘI`, `PHÓ CHỦ TỊCH`).
const NOT_IN_NAMES: &[&str] = &[
    "uy", "ban", "nhan", "dan", "noi", "te", "tinh", "huyen", "xa", "pho", "phong", "so", "cong",
    "hoa", "hoi", "tich", "doc",
];

/// Two to five words in capitals, the first a family name, none of an
/// office's or a place's name: a signer's name written in capitals.
fn is_name_in_capitals(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_alphabetic() && c.is_uppercase()))
        && words
            .first()
            .is_some_and(|w| FAMILY_NAMES.contains(&fold(w).as_str()))
        && !words
            .iter()
            .skip(1)
            .any(|w| NOT_IN_NAMES.contains(&fold(w).as_str()))
}

/// Is `s` a Roman-numbered heading line?
pub fn is_roman_heading(s: &str) -> bool {
    marker_of(s).is_some_and(|m| m.kind == MarkerKind::Roman && parse_roman(&m.label).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinated_citations_share_the_date() {
        let b = legal_bases_of_clause(
            "Căn cứ Nghị quyết số 19-NQ/TW, Nghị quyết số 20-NQ/TW ngày 25/10/2017 Hội nghị lần thứ sáu;",
            5,
        );
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].number.as_deref(), Some("19-NQ/TW"));
        assert_eq!(b[0].date, Date::from_ymd_opt(2017, 10, 25));
    }

    #[test]
    fn nested_citations_are_not_bases() {
        let b = legal_bases_of_clause(
            "Căn cứ Kế hoạch số 124-KH/TU ngày 26/01/2024 của Ban Thường vụ Tỉnh ủy thực hiện Chỉ thị số 25-CT/TW ngày 25/10/2023 của Ban Bí thư;",
            9,
        );
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].kind, DocumentKind::Plan);
        assert_eq!(b[0].issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy"));
    }

    #[test]
    fn laws_without_number_keep_their_date() {
        let b = legal_bases_of_clause("Căn cứ Luật Bảo vệ sức khỏe nhân dân ngày 30/6/1989;", 3);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].kind, DocumentKind::Law);
        assert_eq!(b[0].date, Date::from_ymd_opt(1989, 6, 30));
    }
}

#[cfg(test)]
mod ocr_tests {
    use super::*;

    #[test]
    fn a_number_ocr_left_without_so_is_read() {
        let b = legal_bases_of_clause(
            "Căn cứ Pháp lệnh Dân s 06/2003/PL-UBTVQH11 ngày 09/01/2003;",
            3,
        );
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0].number.as_deref(), Some("06/2003/PL-UBTVQH11"));
        let b = legal_bases_of_clause(
            "Căn c Kế hoạch s 74-KH/TU ngày 27/01/2018 của Thành ủy Hà Nội về việc thực hiện Nghị quyết số 21-NQ/TW ngày 25/10/2017;",
            4,
        );
        assert_eq!(
            b.first().and_then(|x| x.number.as_deref()),
            Some("74-KH/TU"),
            "{b:?}"
        );
    }
}
