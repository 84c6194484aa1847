//! The body of a plan: tasks, targets, budget lines, reporting duties and
//! tables, read from the item tree.
//!
//! Budget lines come from the tree, from a decision's articles and from
//! money tables under `ĐVT: triệu đồng`, which never give targets.

use std::sync::LazyLock;

use regex::Regex;
use ytcs_core::plan::vn::{amount_vnd, parse_day_month, parse_frequency, parse_timeframe};
use ytcs_core::plan::Frequency;
use ytcs_core::plan::{
    BudgetLine, Comparator, Deadline, ReportingDuty, Target, Task, Timeframe, Unit,
};
use ytcs_core::text::fold;

use crate::lines::Line;
use crate::structure::{Category, Structure};
use crate::targets::{parse_cell, sentences, targets_in_sentence, unit_of_cell, Context};
use crate::units::{heading_unit, lead_and_coord, org_mentions, split_units};

/// Lead and coordinating units of every item (own, else inherited).
pub fn units_of_items(st: &Structure) -> Vec<(Vec<String>, Vec<String>)> {
    let mut own: Vec<(Vec<String>, Vec<String>)> = Vec::with_capacity(st.items.len());
    for item in &st.items {
        let mut lead = Vec::new();
        let mut coord = Vec::new();
        for (_, v) in &item.lead_attrs {
            let (l, c) = lead_and_coord(v);
            let l = if l.is_empty() {
                split_units(v.split(['.', ':', '(']).next().unwrap_or(""))
            } else {
                l
            };
            for x in l {
                if !lead.contains(&x) {
                    lead.push(x);
                }
            }
            for x in c {
                if !coord.contains(&x) {
                    coord.push(x);
                }
            }
        }
        for (_, v) in &item.coord_attrs {
            for x in split_units(v.trim_end_matches('.')) {
                if !coord.contains(&x) {
                    coord.push(x);
                }
            }
        }
        if lead.is_empty() {
            if let Some(u) = heading_unit(&item.title) {
                lead = split_units(&u);
            } else {
                // "Sở Y tế chủ trì, phối hợp với …:" as the title or first body line
                let first = item
                    .body
                    .first()
                    .map(|b| b.1.as_str())
                    .filter(|b| b.trim_end().ends_with(':'));
                for cand in [Some(item.title.as_str()), first].into_iter().flatten() {
                    let f = fold(cand);
                    if f.contains(" chu tri") && crate::units::is_org_start(cand) {
                        let (l, c) = lead_and_coord(cand);
                        if !l.is_empty() {
                            lead = l;
                            coord = c;
                            break;
                        }
                    }
                }
            }
        }
        own.push((lead, coord));
    }
    let mut out = own.clone();
    for (i, o) in out.iter_mut().enumerate() {
        if o.0.is_empty() {
            for a in st.ancestors(i) {
                if let Some(anc) = own.get(a).filter(|x| !x.0.is_empty()) {
                    *o = anc.clone();
                    break;
                }
            }
        }
    }
    out
}

pub(crate) fn year_in(s: &str) -> Option<i32> {
    static Y: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)năm\s+(\d{4})").expect("static regex"));
    Y.captures(s).and_then(|c| c.get(1)?.as_str().parse().ok())
}

/// A heading that names nothing but a period (`a) Giai đoạn 2024-2025`):
/// its paragraphs are due at the period's end.
fn period_heading_end(title: &str) -> Option<i32> {
    static P: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:[a-zđ]\)|\d+(?:\.\d+)*\.?)?\s*giai đoạn\s+\d{4}\s*[-–]\s*(\d{4})\s*:?$",
        )
        .expect("static regex")
    });
    P.captures(title.trim())
        .and_then(|c| c.get(1)?.as_str().parse().ok())
}

/// A sentence that opens with a rate (`- Từ 95% trẻ … được tiêm …`,
/// `Trên 90% …`, `100% …`): a campaign's purpose stated as a quota.
fn opens_with_rate(s: &str) -> bool {
    let t = s.trim_start_matches(['-', '–', '•', '+', '*', ' ']);
    let f = fold(t);
    let mut r = f.as_str();
    for w in ["tu ", "tren ", "toi thieu ", "it nhat ", "dat "] {
        if let Some(x) = r.strip_prefix(w) {
            r = x;
            break;
        }
    }
    let digits = r.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',' || c == '.');
    r.starts_with(|c: char| c.is_ascii_digit()) && digits.trim_start().starts_with('%')
}

/// Reads targets from every item.
pub fn targets(
    st: &Structure,
    units: &[(Vec<String>, Vec<String>)],
    plan_year: Option<i32>,
    warnings: &mut Vec<String>,
) -> Vec<Target> {
    let mut out = Vec::new();
    for (i, item) in st.items.iter().enumerate() {
        let objectives = item.category == Category::Objectives;
        // A purpose section states aims in words; a sentence of it that
        // names a target and its year (`đạt mục tiêu giảm tỷ lệ mắc bệnh
        // lao dưới 20/100.000 dân vào năm 2030`) is read too.
        let purpose = item.category == Category::Purpose;
        if !purpose
            && !matches!(
                item.category,
                Category::Objectives | Category::Tasks | Category::Organisation
            )
        {
            continue;
        }
        // The item's own heading first, when it names nothing but a year
        // (`a) Chỉ tiêu đến năm 2025` over its paragraphs, not `- Giảm …: 15%
        // so năm 2022`), then its ancestors'.
        let own_heading = st.items.get(i).is_some_and(|it| {
            it.title.chars().filter(char::is_ascii_digit).count() == 4
                && !it.title.contains(['%', '‰'])
        });
        let default_year = own_heading
            .then_some(i)
            .into_iter()
            .chain(st.ancestors(i))
            .filter_map(|a| st.items.get(a))
            .find_map(|a| {
                if a.title.chars().count() < 120 {
                    year_in(&a.title).or_else(|| period_heading_end(&a.title))
                } else {
                    None
                }
            })
            .or(plan_year);
        let section = item
            .parent
            .and_then(|p| st.items.get(p))
            .map(|p| p.id.clone())
            .unwrap_or_default();
        let (lead, coord) = units.get(i).cloned().unwrap_or_default();
        for (no, para) in item.paragraphs() {
            let para = crate::targets::without_named_goal(para);
            for (_, s) in sentences(&para) {
                if purpose
                    && !(fold(s).contains("muc tieu") && year_in(s).is_some())
                    && !opens_with_rate(s)
                {
                    continue;
                }
                let ctx = Context {
                    id: &item.id,
                    section: &section,
                    line: no,
                    default_year,
                    objectives,
                    lead_units: &lead,
                    coordinating_units: &coord,
                };
                out.extend(targets_in_sentence(s, &ctx, warnings));
            }
        }
    }
    out
}

/// Target tables laid out one cell per line (`TT`, name, unit, a value per
/// year column), or as pipe rows.
pub fn table_targets(lines: &[Line], st: &Structure, warnings: &mut Vec<String>) -> Vec<Target> {
    let mut out = Vec::new();
    // Group tabbed lines into runs.
    let mut i = 0;
    while i < lines.len() {
        let Some(l) = lines.get(i) else { break };
        if !(l.tabbed || l.cells.is_some()) || l.is_blank() {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i;
        while lines
            .get(j)
            .is_some_and(|x| x.tabbed || x.cells.is_some() || x.is_blank())
        {
            j += 1;
        }
        let cells: Vec<(usize, String)> = lines
            .get(start..j)
            .unwrap_or(&[])
            .iter()
            .flat_map(|x| match &x.cells {
                Some(cs) => cs.iter().map(|c| (x.no, c.clone())).collect::<Vec<_>>(),
                None if !x.text.is_empty() => vec![(x.no, x.text.clone())],
                None => Vec::new(),
            })
            .collect();
        let section = st
            .items
            .iter()
            .rev()
            .find(|it| it.line <= l.no)
            .map(|it| it.id.clone())
            .unwrap_or_default();
        // A table of money (`ĐVT: triệu đồng`, `Kế hoạch vốn năm 2023`)
        // gives budget lines, not targets.
        if !is_money_table(lines, start) {
            out.extend(read_cell_table(&cells, &section, warnings));
        }
        i = j.max(i + 1);
    }
    out
}

/// The table starting at `start` is about money: a unit line in đồng just
/// above it, or money words in its first row.
pub fn is_money_table(lines: &[Line], start: usize) -> bool {
    let above = lines
        .get(start.saturating_sub(4)..start)
        .unwrap_or(&[])
        .iter()
        .any(|l| UNIT_SCALE.is_match(&l.text) || fold(&l.text).contains("don vi tinh: trieu dong"));
    let head = lines.get(start).map(|l| fold(&l.text)).unwrap_or_default();
    above
        || [
            "ke hoach von",
            "kinh phi",
            "du toan",
            "trieu dong",
            "ty dong",
            "nguon von",
        ]
        .iter()
        .any(|w| head.contains(w))
}

fn read_cell_table(
    cells: &[(usize, String)],
    section: &str,
    warnings: &mut Vec<String>,
) -> Vec<Target> {
    let mut out = Vec::new();
    // Header: up to the first index cell "1" after year cells. A column of
    // results (`Thực hiện 2024`, `Ước TH 2024`) keeps its place but gives
    // no target (fifteenth batch's probes: `| Thực hiện 2024 | Kế hoạch
    // 2025 |`).
    let mut years: Vec<i32> = Vec::new();
    let mut result_columns: Vec<bool> = Vec::new();
    let mut k = 0;
    while let Some((_, c)) = cells.get(k) {
        let t = c.trim();
        if let Some((y, result)) = header_year(t) {
            years.push(y);
            result_columns.push(result);
            k += 1;
            continue;
        }
        if t.parse::<i32>().is_ok() && !years.is_empty() {
            break;
        }
        k += 1;
    }
    if years.is_empty() || result_columns.iter().all(|r| *r) {
        return out;
    }
    while let Some((no, idx)) = cells.get(k) {
        if idx.trim().parse::<u32>().is_err() {
            k += 1;
            continue;
        }
        let Some((_, name)) = cells.get(k + 1) else {
            break;
        };
        let mut m = k + 2;
        let mut unit = Unit::Other;
        let mut unit_text = None;
        if let Some((_, u)) = cells.get(m) {
            if parse_cell(u).is_none() && u.chars().count() < 25 {
                unit = unit_of_cell(u);
                unit_text = Some(u.trim().to_string());
                m += 1;
            }
        }
        let mut prev_value = None;
        for (yi, year) in years.iter().enumerate() {
            let Some((_, cell)) = cells.get(m + yi) else {
                break;
            };
            if result_columns.get(yi).copied().unwrap_or(false) {
                continue;
            }
            let Some((cmp, v)) = parse_cell(cell) else {
                continue;
            };
            let cmp = if cmp == Comparator::Eq && v == Some(100.0) && unit == Unit::Percent {
                Comparator::Ge
            } else {
                cmp
            };
            let value = if cmp == Comparator::Maintain && v.is_none() {
                prev_value
            } else {
                v
            };
            prev_value = value.or(prev_value);
            let indicator = ytcs_core::indicator::match_indicator(name);
            // "Số bác sĩ trên 10.000 dân" with the unit column "Bác sĩ".
            let unit = match indicator {
                Some(ind)
                    if ind.unit == Unit::Per10000 && matches!(unit, Unit::Count | Unit::Other) =>
                {
                    Unit::Per10000
                }
                _ => unit,
            };
            if indicator.is_none() {
                warnings.push(format!(
                    "line {no}: no indicator matches table row {}",
                    idx.trim()
                ));
            }
            out.push(Target {
                id: format!("{section}#{}", idx.trim()),
                section: section.to_string(),
                text: format!(
                    "{} | {} | {}",
                    name.trim(),
                    unit_text.clone().unwrap_or_default(),
                    cell.trim()
                ),
                subject: name.trim().trim_end_matches('.').to_string(),
                indicator: indicator.map(|i| i.code.to_string()),
                comparator: cmp,
                value,
                unit,
                unit_text: unit_text.clone(),
                year: Some(*year),
                lead_units: Vec::new(),
                coordinating_units: Vec::new(),
                line: *no,
            });
        }
        k = m + years.len();
    }
    out
}

/// The year a table's column header names: `2025`, `Năm 2025`, `Đến năm
/// 2030`, `KH 2025` — a short cell with exactly one year in it.
/// Returns the year and whether the column holds results (`Thực hiện
/// 2024`, `Ước TH 2024`, `Kết quả 2024`) rather than targets (`Kế hoạch
/// 2025`, `Mục tiêu 2025`).
fn header_year(cell: &str) -> Option<(i32, bool)> {
    static Y: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{4})\b").expect("static regex"));
    if cell.chars().count() > 30 {
        return None;
    }
    if let Ok(y) = cell.parse::<i32>() {
        return (1990..=2100).contains(&y).then_some((y, false));
    }
    let f = fold(cell);
    let result = ["thuc hien", "uoc th", "uoc thuc hien", "ket qua", "th "]
        .iter()
        .any(|w| f.starts_with(w));
    let planned = ["ke hoach", "muc tieu", "chi tieu", "phan dau"]
        .iter()
        .any(|w| f.starts_with(w));
    if !(f.contains("nam") || f.starts_with("kh") || f.starts_with("den") || result || planned) {
        return None;
    }
    let ys: Vec<i32> = Y
        .captures_iter(cell)
        .filter_map(|c| c.get(1)?.as_str().parse().ok())
        .filter(|y| (1990..=2100).contains(y))
        .collect();
    match ys.as_slice() {
        [y] => Some((*y, result)),
        _ => None,
    }
}

/// Tasks: the items of task and organisation sections.
pub fn tasks(st: &Structure, units: &[(Vec<String>, Vec<String>)]) -> Vec<Task> {
    let mut out = Vec::new();
    let mut own_tf: Vec<Option<(Timeframe, Vec<Timeframe>)>> = Vec::with_capacity(st.items.len());
    for item in &st.items {
        let joined: Vec<&str> = item.time_attrs.iter().map(|(_, v)| v.as_str()).collect();
        own_tf.push((!joined.is_empty()).then(|| parse_timeframe(&joined.join("; "))));
    }
    for (i, item) in st.items.iter().enumerate() {
        if !matches!(item.category, Category::Tasks | Category::Organisation) {
            continue;
        }
        let tf = own_tf.get(i).cloned().flatten().or_else(|| {
            st.ancestors(i)
                .iter()
                .find_map(|&a| own_tf.get(a).cloned().flatten())
        });
        let (timeframe, milestones) = tf.unwrap_or_else(|| (Timeframe::unspecified(), Vec::new()));
        let (lead, coord) = units.get(i).cloned().unwrap_or_default();
        let title = first_sentence(&item.title);
        out.push(Task {
            id: item.id.clone(),
            parent: item
                .parent
                .and_then(|p| st.items.get(p))
                .map(|p| p.id.clone()),
            title,
            text: item.full_text(),
            lead_units: lead,
            coordinating_units: coord,
            timeframe,
            milestones,
            line: item.line,
        });
    }
    out
}

fn first_sentence(s: &str) -> String {
    let cut = sentences(s).first().map_or(s.len(), |(_, x)| x.len());
    let t = s.get(..cut).unwrap_or(s).trim();
    if t.chars().count() > 240 {
        let short: String = t.chars().take(240).collect();
        format!("{short}…")
    } else {
        t.to_string()
    }
}

static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)\s*(t[ỷỉ]\s*(?:đồng|VNĐ|VND|đ)?|triệu\s*(?:đồng|VNĐ|VND|đ)?|nghìn\s*đồng|ngàn\s*đồng|đồng|VNĐ|VND)")
        .expect("static regex")
});
static UNIT_SCALE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)ĐVT\s*:?\s*(tỷ|triệu|nghìn|ngàn)?\s*đồng").expect("static regex")
});

/// A table header cell naming its column's unit of money (`Kinh phí
/// (đồng)`, `Số tiền (triệu đồng)`, `Thành tiền (ĐVT: nghìn đồng)`).
static COLUMN_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*(?:ĐVT\s*:?\s*)?(tỷ|triệu|nghìn|ngàn)?\s*đồng\s*\)")
        .expect("static regex")
});

/// `5.100 tỉ đồng`: the other spelling of `tỷ`.
fn billions_spelt_ty(word: &str) -> String {
    word.replacen("tỉ", "tỷ", 1).replacen("Tỉ", "Tỷ", 1)
}

const GENERIC_MONEY_WORDS: &[&str] = &[
    "tổng nhu cầu kinh phí",
    "tổng kinh phí",
    "tổng số",
    "tổng cộng",
    "tổng",
    "dự kiến kinh phí là",
    "dự kiến kinh phí",
    "kinh phí dự kiến",
    "dự kiến",
    "kinh phí",
    "ước",
    "khoảng",
    "là",
    "trong đó",
    "nhu cầu",
    "với",
];

fn clean_purpose(s: &str) -> String {
    let mut t = s
        .trim()
        .trim_matches(|c: char| matches!(c, ',' | ':' | ';' | '-' | '+' | ' ' | '('))
        .to_string();
    loop {
        let lower = t.to_lowercase();
        let mut changed = false;
        for w in GENERIC_MONEY_WORDS {
            if lower.ends_with(w) {
                t = t
                    .get(..t.len() - w.len())
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches([',', ':', ';', ' '])
                    .to_string();
                changed = true;
                break;
            }
            if lower.starts_with(w)
                && lower
                    .get(w.len()..)
                    .is_some_and(|r| r.starts_with([' ', ':']))
            {
                t = t
                    .get(w.len()..)
                    .unwrap_or("")
                    .trim()
                    .trim_start_matches([',', ':', ';', ' '])
                    .to_string();
                changed = true;
                break;
            }
        }
        if !changed {
            return t;
        }
    }
}

/// Budget lines: every amount of money, with purpose, sources and the
/// total it is part of.
pub fn budget(lines: &[Line], st: &Structure, warnings: &mut Vec<String>) -> Vec<BudgetLine> {
    let mut out: Vec<BudgetLine> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let mut is_total: Vec<bool> = Vec::new();
    for (i, item) in st.items.iter().enumerate() {
        if matches!(item.category, Category::Baseline | Category::Purpose) {
            continue;
        }
        for (no, para) in item.paragraphs() {
            for (_, sent) in sentences(para) {
                for c in MONEY.captures_iter(sent) {
                    let (Some(all), Some(num), Some(word)) = (c.get(0), c.get(1), c.get(2)) else {
                        continue;
                    };
                    if sent
                        .get(..num.start())
                        .and_then(|b| b.chars().last())
                        .is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
                    {
                        continue;
                    }
                    let Some(amount) = amount_vnd(num.as_str(), &billions_spelt_ty(word.as_str()))
                    else {
                        warnings.push(format!(
                            "line {no}: amount '{}' could not be read",
                            all.as_str()
                        ));
                        continue;
                    };
                    let before = sent.get(..all.start()).unwrap_or("");
                    let mut purpose = clean_purpose(before);
                    if purpose.split_whitespace().count() < 2 {
                        let own_title = first_sentence(&item.title);
                        purpose = if !own_title.contains(all.as_str()) {
                            clean_purpose(&own_title)
                        } else {
                            item.parent
                                .and_then(|p| st.items.get(p))
                                .map(|p| clean_purpose(&first_sentence(&p.title)))
                                .unwrap_or_default()
                        };
                    }
                    let sf = fold(sent);
                    let total = sf.contains("trong do")
                        || sf
                            .trim_start_matches(['-', '+', '*', ' '])
                            .starts_with("tong")
                        || fold(before).contains("tong so");
                    let mut id = item.id.clone();
                    let mut n = 2;
                    while out.iter().any(|b| b.id == id) {
                        id = format!("{}~{n}", item.id);
                        n += 1;
                    }
                    out.push(BudgetLine {
                        id,
                        amount_vnd: amount,
                        purpose: (!purpose.is_empty()).then_some(purpose),
                        sources: Vec::new(),
                        parent: None,
                        text: sent.trim().to_string(),
                        line: no,
                    });
                    owner.push(i);
                    is_total.push(total);
                }
            }
        }
    }
    // Parents: a total on an ancestor, or a preceding "Tổng …" sibling of the chain.
    for bi in 0..out.len() {
        let Some(&item_idx) = owner.get(bi) else {
            continue;
        };
        let mut chain = vec![item_idx];
        chain.extend(st.ancestors(item_idx));
        let mut parent = None;
        'outer: for w in chain.windows(2) {
            let (child, anc) = (
                w.first().copied().unwrap_or(0),
                w.get(1).copied().unwrap_or(0),
            );
            // total on the ancestor itself
            if let Some(pb) = (0..out.len())
                .find(|&b| owner.get(b) == Some(&anc) && is_total.get(b) == Some(&true) && b != bi)
            {
                parent = Some(pb);
                break 'outer;
            }
            // a preceding sibling total
            if let Some(anc_item) = st.items.get(anc) {
                for &sib in &anc_item.children {
                    if sib >= child {
                        break;
                    }
                    if let Some(pb) = (0..out.len()).find(|&b| {
                        owner.get(b) == Some(&sib) && is_total.get(b) == Some(&true) && b != bi
                    }) {
                        let tf = fold(&out.get(pb).map(|x| x.text.clone()).unwrap_or_default());
                        if tf
                            .trim_start_matches(['-', '+', '*', ' '])
                            .starts_with("tong")
                        {
                            parent = Some(pb);
                        }
                    }
                }
                if parent.is_some() {
                    break 'outer;
                }
            }
        }
        if let Some(pb) = parent {
            let pid = out.get(pb).map(|p| p.id.clone());
            if let Some(b) = out.get_mut(bi) {
                b.parent = pid;
            }
        }
    }
    // Sources: "Nguồn: …" lines, and "Nguồn kinh phí" headings with bullets.
    let mut scopes: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, item) in st.items.iter().enumerate() {
        let f = fold(&item.title);
        if !f.starts_with("nguon") {
            continue;
        }
        let value = item
            .title
            .split_once(':')
            .map(|x| x.1.trim().to_string())
            .unwrap_or_default();
        if !value.is_empty() {
            let srcs: Vec<String> = value
                .split(';')
                .map(|s| s.trim().trim_end_matches(['.', ':', ',']).trim())
                .map(|s| {
                    s.strip_prefix("Sử dụng ")
                        .or_else(|| s.strip_prefix("Từ "))
                        .unwrap_or(s)
                        .to_string()
                })
                .filter(|s| !s.is_empty())
                .collect();
            let scope = if item.kind.is_bullet() {
                item.parent.unwrap_or(i)
            } else {
                i
            };
            scopes.push((scope, srcs));
        } else if !item.children.is_empty() {
            let srcs: Vec<String> = item
                .children
                .iter()
                .filter_map(|&c| st.items.get(c))
                .map(|c| c.title.trim().trim_end_matches(['.', ';']).to_string())
                .collect();
            scopes.push((item.parent.unwrap_or(i), srcs));
        }
    }
    for (bi, b) in out.iter_mut().enumerate() {
        let Some(&item_idx) = owner.get(bi) else {
            continue;
        };
        let mut chain = vec![item_idx];
        chain.extend(st.ancestors(item_idx));
        if let Some((_, srcs)) = chain
            .iter()
            .find_map(|a| scopes.iter().find(|(s, _)| s == a))
        {
            b.sources = srcs.clone();
        }
    }
    // Sources named in the budget line's own sentence ("… từ nguồn ngân sách
    // tỉnh và Chương trình …").
    for b in out.iter_mut().filter(|b| b.sources.is_empty()) {
        if let Some(m) = INLINE_SOURCE.captures(&b.text).and_then(|c| c.get(1)) {
            b.sources = split_sources(m.as_str());
        }
    }
    // Tables under "ĐVT: triệu đồng", or whose header names the unit of a
    // column (`| TT | Nội dung | Kinh phí (đồng) |`).
    let mut scale: Option<i64> = None;
    let mut column: Option<(usize, String)> = None;
    for l in lines {
        if l.cells.is_none() && !l.is_blank() {
            column = None;
        }
        if let Some(cells) = l.cells.as_ref().filter(|_| scale.is_none()) {
            if let Some((at, c)) = cells
                .iter()
                .enumerate()
                .find_map(|(i, c)| COLUMN_UNIT.captures(c).map(|m| (i, m)))
            {
                // the unit word, so that `5,5` (triệu) keeps its decimals
                let word = format!("{} đồng", c.get(1).map_or("", |m| m.as_str()));
                column = Some((at, word.trim().to_string()));
                continue;
            }
            if let Some((at, word)) = column.as_ref() {
                let at = *at;
                let name = cells
                    .iter()
                    .take(at)
                    .rev()
                    .find(|c| c.chars().any(|ch| ch.is_alphabetic()) && c.chars().count() > 3);
                let amount = cells
                    .get(at)
                    .filter(|c| !c.chars().any(|ch| ch.is_alphabetic()))
                    .and_then(|c| amount_vnd(c.trim(), word));
                if let (Some(name), Some(a)) = (name, amount) {
                    out.push(table_line(l.no, name, a, cells));
                }
                continue;
            }
        }
        if let Some(c) = UNIT_SCALE.captures(&l.text) {
            scale = Some(match c.get(1).map(|m| fold(m.as_str())).as_deref() {
                Some("ty") => 1_000_000_000,
                Some("trieu") => 1_000_000,
                Some("nghin") | Some("ngan") => 1_000,
                _ => 1,
            });
            continue;
        }
        let Some(cells) = &l.cells else {
            if !l.is_blank() && crate::structure::marker_of(&l.text).is_some() {
                scale = None;
            }
            continue;
        };
        let Some(scale) = scale else { continue };
        let name_at = cells
            .iter()
            .position(|c| c.chars().any(|ch| ch.is_alphabetic()) && c.chars().count() > 3);
        let name = name_at.and_then(|i| cells.get(i));
        // The amount is right of the name: the row number (`STT`) on its
        // left is no amount.
        let first_num = cells
            .iter()
            .skip(name_at.map_or(0, |i| i + 1))
            .filter(|c| !c.chars().any(|ch| ch.is_alphabetic()))
            .find_map(|c| amount_vnd(c.trim(), "đồng"));
        if let (Some(name), Some(n)) = (name, first_num) {
            if let Some(a) = n.checked_mul(scale) {
                out.push(table_line(l.no, name, a, cells));
            }
        }
    }
    out
}

/// Amounts of money in lines the numbered tree does not hold (a decision's
/// articles: `- Đề án …: 50.000 triệu đồng (Chi tiết tại Phụ lục 02 …)`).
pub fn loose_money(lines: &[Line], warnings: &mut Vec<String>) -> Vec<BudgetLine> {
    let mut out = Vec::new();
    for l in lines.iter().filter(|l| l.cells.is_none() && !l.is_blank()) {
        let f = fold(&l.text);
        if ["can cu", "thuc hien", "xet ", "theo de nghi"]
            .iter()
            .any(|w| f.starts_with(w))
        {
            continue;
        }
        for c in MONEY.captures_iter(&l.text) {
            let (Some(all), Some(num), Some(word)) = (c.get(0), c.get(1), c.get(2)) else {
                continue;
            };
            if l.text
                .get(..num.start())
                .and_then(|b| b.chars().last())
                .is_some_and(|ch| ch.is_alphanumeric() || ch == '/')
            {
                continue;
            }
            let Some(amount) = amount_vnd(num.as_str(), &billions_spelt_ty(word.as_str())) else {
                warnings.push(format!(
                    "line {}: amount '{}' could not be read",
                    l.no,
                    all.as_str()
                ));
                continue;
            };
            let purpose = clean_purpose(l.text.get(..all.start()).unwrap_or(""));
            out.push(BudgetLine {
                id: format!("line-{}", l.no),
                amount_vnd: amount,
                purpose: (!purpose.is_empty()).then_some(purpose),
                sources: Vec::new(),
                parent: None,
                text: l.text.clone(),
                line: l.no,
            });
        }
    }
    out
}

static INLINE_SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bnguồn(?:\s+kinh\s+phí)?(?:\s+từ)?\s*:?\s+([^.;]+)").expect("static regex")
});

/// Splits "ngân sách tỉnh và Chương trình mục tiêu quốc gia …" into
/// sources. "và" separates sources only when a new source starts after it
/// (a capitalised name or a funding word), not inside "dân tộc thiểu số và
/// miền núi".
fn split_sources(s: &str) -> Vec<String> {
    const FUNDING: &[&str] = &[
        "ngan sach",
        "von",
        "kinh phi",
        "xa hoi hoa",
        "huy dong",
        "cac nguon",
        "nguon",
    ];
    let mut out = Vec::new();
    for part in s.split(';') {
        let mut rest = part;
        loop {
            let cut = rest.match_indices(" và ").find(|(at, m)| {
                let after = rest.get(at + m.len()..).unwrap_or("").trim_start();
                let after = after.strip_prefix("từ ").unwrap_or(after);
                after.chars().next().is_some_and(char::is_uppercase)
                    || FUNDING.iter().any(|f| fold(after).starts_with(f))
            });
            let Some((at, m)) = cut else { break };
            out.push(rest.get(..at).unwrap_or("").to_string());
            rest = rest.get(at + m.len()..).unwrap_or("");
        }
        out.push(rest.to_string());
    }
    out.into_iter()
        .map(|x| {
            let x = x.trim();
            let x = x.strip_prefix("từ ").unwrap_or(x);
            let x = x.strip_prefix("nguồn ").unwrap_or(x);
            x.trim_end_matches(['.', ',', ':']).trim().to_string()
        })
        .filter(|x| x.chars().count() > 2)
        .collect()
}

static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:trước|chậm nhất|vào|trong)\s+(?:ngày\s+)?(\d{1,2}\s*(?:/|tháng)\s*\d{1,2})|vào\s+tháng\s+(\d{1,2})").expect("static regex")
});
static CITED_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^bao cao(?:\s+tham\s+tra)?\s+so:?\s*\d+\s*/").expect("static regex")
});
static WHAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)báo cáo(?:\s+(?:kết quả|tình hình|tiến độ|sơ kết|tổng kết)[^,;.()]*?)?(?:\s+(?:gửi|về|cho|để|đồng|theo)\b|[,;.()]|$)").expect("static regex")
});

/// Reporting duties: sentences that ask for a report with a frequency or a deadline.
pub fn reporting(st: &Structure, units: &[(Vec<String>, Vec<String>)]) -> Vec<ReportingDuty> {
    let mut out = Vec::new();
    for (i, item) in st.items.iter().enumerate() {
        if matches!(item.category, Category::Baseline | Category::Purpose) {
            continue;
        }
        let full = item.full_text();
        let lead = units.get(i).map(|u| u.0.clone()).unwrap_or_default();
        for (no, para) in item.paragraphs() {
            duties_in(para, no, &full, &lead, &mut out);
        }
    }
    out
}

/// Reporting duties in lines outside the numbered tree: a decision's
/// articles, a letter's paragraphs (`… gửi về Bộ Y tế trước ngày 07/8/2019
/// để tổng hợp, báo cáo …`, after the third held-out batch).
pub fn loose_reporting(lines: &[crate::lines::Line]) -> Vec<ReportingDuty> {
    let mut out = Vec::new();
    for l in lines {
        duties_in(&l.text, l.no, &l.text, &[], &mut out);
    }
    out
}

/// The duties of one paragraph `para` (line `no`) of an item whose whole
/// text is `full` and whose lead units are `lead`.
fn duties_in(para: &str, no: usize, full: &str, lead: &[String], out: &mut Vec<ReportingDuty>) {
    for (_, sent) in sentences(para) {
        for clause in sent.split(';') {
            let cf = fold(clause);
            let freq = parse_frequency(clause);
            let dls: Vec<regex::Captures> = DEADLINE.captures_iter(clause).collect();
            // A one-off submission by a day (`tham mưu trình … kế hoạch …
            // trước ngày 17 tháng 4 năm 2016 để xem xét ban hành`) is due
            // like a report.
            let submission = || {
                let lower = clause.to_lowercase();
                let dated = freq.is_none() && dls.iter().any(|c| c.get(1).is_some());
                [
                    "tham mưu trình",
                    "trình thường trực",
                    "trình ủy ban",
                    "trình uỷ ban",
                    "trình ubnd",
                ]
                .iter()
                .find_map(|w| lower.find(w))
                .filter(|_| dated)
                .map(|b| fold(lower.get(..b).unwrap_or("")).len())
            };
            let Some(pos) = cf.find("bao cao").or_else(submission) else {
                continue;
            };
            // A report cited by its number (`Báo cáo thẩm tra số
            // 368/BC-HĐND ngày 26 tháng 3 năm 2014`) is an act, not a duty
            // (eighteenth held-out batch).
            if CITED_REPORT.is_match(cf.get(pos..).unwrap_or("")) {
                continue;
            }
            if freq.is_none() && dls.is_empty() {
                continue;
            }
            // One duty per schedule: "6 tháng (trước 15/6) và hằng năm
            // (trước 15/12)" is two duties, each with its own frequency.
            let mut schedules: Vec<(Option<Frequency>, Option<regex::Captures>)> = Vec::new();
            // `định kỳ hằng quý (trước ngày 20 của tháng cuối quý) và báo
            // cáo năm trước ngày 15/12`: two schedules joined by `và`, each
            // with its frequency and its own deadline, if any (fifteenth
            // held-out batch's probes).
            let piece_frequency = |p: &str| {
                parse_frequency(p).or_else(|| {
                    let f = fold(p);
                    (f.contains("bao cao nam") || f.contains("bao cao tong ket nam"))
                        .then_some(Frequency::Annual)
                })
            };
            let pieces: Vec<&str> = clause.split(" và ").collect();
            let piece_freqs: Vec<Option<Frequency>> =
                pieces.iter().map(|p| piece_frequency(p)).collect();
            let distinct =
                piece_freqs
                    .iter()
                    .flatten()
                    .fold(Vec::new(), |mut acc: Vec<Frequency>, f| {
                        if !acc.contains(f) {
                            acc.push(*f);
                        }
                        acc
                    });
            if distinct.len() >= 2 {
                for (p, f) in pieces.iter().zip(piece_freqs) {
                    if f.is_some() {
                        schedules.push((f, DEADLINE.captures(p)));
                    }
                }
            } else if dls.len() > 1 {
                let mut from = 0;
                for c in dls {
                    let end = c.get(0).map_or(from, |m| m.end());
                    let piece = clause.get(from..end).unwrap_or("");
                    schedules.push((parse_frequency(piece).or(freq), Some(c)));
                    from = end;
                }
            } else {
                schedules.push((freq, dls.into_iter().next()));
            }
            for (freq, dl) in schedules {
                let deadline = dl.and_then(|c| {
                    if let Some(dm) = c.get(1) {
                        parse_day_month(dm.as_str()).map(|(d, m)| Deadline {
                            month: Some(m),
                            day: Some(d),
                        })
                    } else {
                        c.get(2)
                            .and_then(|m| m.as_str().parse::<u8>().ok())
                            .filter(|m| (1..=12).contains(m))
                            .map(|m| Deadline {
                                month: Some(m),
                                day: None,
                            })
                    }
                });
                // "what": from "báo cáo" on.
                let byte_pos = clause
                    .char_indices()
                    .nth(cf.get(..pos).map_or(0, |p| p.chars().count()))
                    .map_or(0, |x| x.0);
                let from_bc = clause.get(byte_pos..).unwrap_or("");
                let what = WHAT
                    .find(from_bc)
                    .map(|m| {
                        m.as_str()
                            .trim_end_matches([',', ';', '.', '(', ')'])
                            .trim()
                            .to_string()
                    })
                    .unwrap_or_else(|| "báo cáo".into());
                let what =
                    ["gửi", "về", "cho", "để", "đồng", "theo"]
                        .iter()
                        .fold(what, |w, stop| {
                            w.strip_suffix(&format!(" {stop}"))
                                .map(str::to_string)
                                .unwrap_or(w)
                        });
                let what = if fold(&what) == "bao cao" && fold(clause).contains("ket qua thuc hien")
                {
                    "báo cáo kết quả thực hiện".to_string()
                } else if !cf.contains("bao cao") {
                    // A submission: what is submitted, up to its deadline.
                    from_bc
                        .split([',', ';'])
                        .next()
                        .unwrap_or(from_bc)
                        .split(" trước ")
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                } else {
                    what
                };
                // by: subject of the item's first clause, else the item's lead.
                let mut by = subject_units(full);
                if by.is_empty() {
                    by = lead.to_vec();
                }
                let to: Vec<String> = org_mentions(from_bc)
                    .into_iter()
                    .map(|x| x.1)
                    .filter(|x| !by.contains(x))
                    .fold(Vec::new(), |mut acc, x| {
                        if !acc.contains(&x) {
                            acc.push(x);
                        }
                        acc
                    });
                out.push(ReportingDuty {
                    what,
                    by,
                    to,
                    frequency: freq,
                    deadline,
                    text: clause
                        .trim()
                        .trim_end_matches(['.', '/'])
                        .trim()
                        .to_string(),
                    line: no,
                });
            }
        }
    }
}

static SUBJECT_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s+(?:căn cứ|có trách nhiệm|chủ trì|theo dõi|xây dựng|tổ chức|định kỳ|báo cáo|tổng hợp|thường xuyên|phối hợp)\b").expect("static regex")
});

fn subject_units(text: &str) -> Vec<String> {
    let mut t = text.trim();
    let f = fold(t);
    if f.starts_with("can cu") {
        if let Some((_, rest)) = t.split_once(", ") {
            t = rest;
        }
    }
    let t = t.strip_prefix("Giao ").unwrap_or(t);
    let cut = SUBJECT_CUT.find(t).map_or(t.len(), |m| m.start());
    let s = t.get(..cut).unwrap_or("").trim();
    let sf = fold(s);
    if crate::units::is_org_start(s) || sf.starts_with("cac ") {
        split_units(s)
    } else {
        Vec::new()
    }
}

/// A budget line read from a table row: its purpose, its amount in đồng.
fn table_line(line: usize, name: &str, amount_vnd: i64, cells: &[String]) -> BudgetLine {
    BudgetLine {
        id: format!("table-line-{line}"),
        amount_vnd,
        purpose: Some(name.to_string()),
        sources: Vec::new(),
        parent: None,
        text: cells.join(" | "),
        line,
    }
}
