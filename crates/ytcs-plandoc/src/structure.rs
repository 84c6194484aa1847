//! The numbered structure of a plan: `I.`, `1.`, `1.1.`, `a)`, `-`, `+`
//! markers turned into a tree of items with path ids (`III.2.2.a`,
//! `IV.1#2`), section categories, and the attribute lines ("Đơn vị chủ
//! trì", "Phối hợp", "Thời gian thực hiện") attached to the items they
//! describe.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;
use ytcs_core::text::fold;

use crate::lines::Line;

/// The kind of a numbering marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `I.`, `II.`
    Roman,
    /// `1.` (depth 1), `1.1.` (depth 2) …
    Decimal(usize),
    /// `a)`, `đ)`
    Letter,
    /// `-`, `–`, `•`
    Dash,
    /// `+`
    Plus,
    /// `*`
    Star,
}

impl MarkerKind {
    /// Bullets carry no number.
    pub fn is_bullet(self) -> bool {
        matches!(self, MarkerKind::Dash | MarkerKind::Plus | MarkerKind::Star)
    }
}

/// A marker found at the start of a line.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Its kind.
    pub kind: MarkerKind,
    /// The label (`III`, `2.2`, `a`; empty for bullets).
    pub label: String,
    /// Byte length of the marker and the spaces after it.
    pub len: usize,
}

static ROMAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVXL]{1,6})[.\-–:]\s*").expect("static regex"));
static DECIMAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.|\))?\s+").expect("static regex"));
static LETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([a-zđ])\)\s*").expect("static regex"));
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-–—•●▪◦·]\s*)*([-–—•●▪◦·+*])\s*").expect("static regex"));

/// The numbering marker at the start of `text`, if any.
pub fn marker_of(text: &str) -> Option<Marker> {
    if let Some(c) = ROMAN.captures(text) {
        let label = c.get(1)?.as_str().to_string();
        let rest = text.get(c.get(0)?.end()..).unwrap_or("");
        if ytcs_core::plan::vn::parse_roman(&label).is_some()
            && rest.chars().next().is_some_and(|ch| ch.is_alphabetic())
        {
            return Some(Marker {
                kind: MarkerKind::Roman,
                label,
                len: c.get(0)?.end(),
            });
        }
    }
    if let Some(c) = DECIMAL.captures(text) {
        let label = c.get(1)?.as_str().to_string();
        let depth = label.split('.').count();
        let rest = text.get(c.get(0)?.end()..).unwrap_or("");
        let starts_word = rest
            .chars()
            .next()
            .is_some_and(|ch| ch.is_alphabetic() || ch == '"' || ch == '“' || ch == '(');
        let starts_digit = rest.chars().next().is_some_and(|ch| ch.is_ascii_digit());
        if (depth > 1 || c.get(2).is_some())
            && (starts_word
                || starts_digit && depth == 1 && c.get(2).is_some_and(|m| m.as_str() == "."))
        {
            return Some(Marker {
                kind: MarkerKind::Decimal(depth),
                label,
                len: c.get(0)?.end(),
            });
        }
    }
    if let Some(c) = LETTER.captures(text) {
        let label = c.get(1)?.as_str().to_string();
        return Some(Marker {
            kind: MarkerKind::Letter,
            label,
            len: c.get(0)?.end(),
        });
    }
    if let Some(c) = BULLET.captures(text) {
        let sym = c.get(1)?.as_str();
        // "-5%" is a number, not a bullet.
        let rest = text.get(c.get(0)?.end()..).unwrap_or("");
        if sym == "-"
            && rest.chars().next().is_some_and(|ch| ch.is_ascii_digit())
            && c.get(0)?.end() == 1
        {
            return None;
        }
        let kind = match sym {
            "+" => MarkerKind::Plus,
            "*" => MarkerKind::Star,
            _ => MarkerKind::Dash,
        };
        return Some(Marker {
            kind,
            label: String::new(),
            len: c.get(0)?.end(),
        });
    }
    None
}

/// What a section is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Mục đích, yêu cầu.
    Purpose,
    /// Mục tiêu, chỉ tiêu.
    Objectives,
    /// Thực trạng, dự báo, kết quả: facts, not targets.
    Baseline,
    /// Nhiệm vụ, giải pháp.
    Tasks,
    /// Kinh phí.
    Budget,
    /// Tổ chức thực hiện.
    Organisation,
    /// Anything else (phạm vi, kiến nghị …).
    Other,
}

/// Classifies a heading's words.
pub fn categorise(title: &str) -> Option<Category> {
    let f = fold(title);
    let f = f.as_str();
    let head: String = f.chars().take(80).collect();
    let has = |w: &str| head.contains(w);
    if has("thuc trang")
        || has("du bao")
        || has("ket qua dat duoc")
        || has("ket qua thuc hien")
        || has("danh gia")
        || has("tinh hinh") && !has("nhiem vu")
    {
        return Some(Category::Baseline);
    }
    if has("muc dich") || has("yeu cau") && !has("nhiem vu") {
        return Some(Category::Purpose);
    }
    if has("muc tieu") || has("chi tieu") {
        return Some(Category::Objectives);
    }
    // A long heading that ends by announcing its items (`1. Về chăm sóc, …
    // trong trường học gồm các chỉ tiêu sau đây:`): they are targets.
    if announces_targets(f) {
        return Some(Category::Objectives);
    }
    if has("kinh phi") || has("nguon von") || has("nguon luc tai chinh") {
        return Some(Category::Budget);
    }
    if has("to chuc thuc hien") || has("trach nhiem") || has("phan cong") {
        return Some(Category::Organisation);
    }
    if has("nhiem vu") || has("giai phap") || has("hoat dong") || has("noi dung") {
        return Some(Category::Tasks);
    }
    if has("pham vi") || has("kien nghi") || has("de xuat") || has("doi tuong") {
        return Some(Category::Other);
    }
    None
}

/// Whether a folded heading ends by announcing a list of targets (`… gồm
/// các chỉ tiêu sau đây:`, `… với các mục tiêu cụ thể như sau:`).
pub fn announces_targets(f: &str) -> bool {
    let t = f.trim_end();
    let Some(head) = t.strip_suffix(':') else {
        return false;
    };
    let tail: String = {
        let chars: Vec<char> = head.chars().collect();
        chars[chars.len().saturating_sub(48)..].iter().collect()
    };
    (tail.contains("chi tieu") || tail.contains("muc tieu"))
        && ["sau day", "sau", "nhu sau", "cu the"]
            .iter()
            .any(|w| head.trim_end().ends_with(w))
}

/// The kind of an attribute line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    /// Đơn vị chủ trì (and "chủ trì và thời gian": both).
    Lead,
    /// Đơn vị phối hợp.
    Coordinating,
    /// Thời gian thực hiện.
    Time,
    /// Đơn vị chủ trì và thời gian thực hiện.
    LeadAndTime,
}

/// An attribute line's label kind and value, if `text` is one.
pub fn attribute_of(text: &str) -> Option<(AttrKind, String)> {
    let (label, value) = text.split_once(':')?;
    if label.chars().count() > 60 {
        return None;
    }
    let f = fold(label);
    let f = f.trim();
    // `Chủ trì triển khai các giải pháp, cụ thể: Phấn đấu … đạt 80%`: a
    // task introducing its list, not a label.
    if ["cu the", "nhu sau", "sau day"]
        .iter()
        .any(|w| f.ends_with(w))
    {
        return None;
    }
    let lead = [
        "don vi chu tri",
        "co quan chu tri",
        "chu tri thuc hien",
        "don vi thuc hien",
        "co quan thuc hien",
        "trach nhiem thuc hien",
        "don vi chiu trach nhiem",
        "chu tri",
    ];
    let kind = if lead.iter().any(|p| f.starts_with(p)) && f.contains("thoi gian") {
        AttrKind::LeadAndTime
    } else if lead.iter().any(|p| f.starts_with(p)) {
        AttrKind::Lead
    } else if f.starts_with("don vi phoi hop")
        || f.starts_with("co quan phoi hop")
        || f == "phoi hop"
        || f.starts_with("phoi hop thuc hien")
    {
        AttrKind::Coordinating
    } else if f.starts_with("thoi gian")
        || f.starts_with("tien do")
        || f.starts_with("thoi han")
        || f.starts_with("hinh thuc, thoi gian")
    {
        AttrKind::Time
    } else {
        return None;
    };
    Some((kind, value.trim().to_string()))
}

/// One item of the numbered tree.
#[derive(Debug, Clone)]
pub struct Item {
    /// Path id (`III.2.2.a`, `IV.1#2`).
    pub id: String,
    /// Index of the enclosing item.
    pub parent: Option<usize>,
    /// Marker kind.
    pub kind: MarkerKind,
    /// The text after the marker on its own line.
    pub title: String,
    /// Continuation paragraphs: (line number, text).
    pub body: Vec<(usize, String)>,
    /// Line number of the marker.
    pub line: usize,
    /// Section category (inherited).
    pub category: Category,
    /// Values of lead attributes, with line numbers.
    pub lead_attrs: Vec<(usize, String)>,
    /// Values of coordinating attributes.
    pub coord_attrs: Vec<(usize, String)>,
    /// Values of time attributes.
    pub time_attrs: Vec<(usize, String)>,
    /// Children indices.
    pub children: Vec<usize>,
}

impl Item {
    /// Title and body, each with its line number.
    pub fn paragraphs(&self) -> Vec<(usize, &str)> {
        let mut v = vec![(self.line, self.title.as_str())];
        v.extend(self.body.iter().map(|(n, t)| (*n, t.as_str())));
        v
    }

    /// Title and body joined.
    pub fn full_text(&self) -> String {
        let mut s = self.title.clone();
        for (_, b) in &self.body {
            s.push(' ');
            s.push_str(b);
        }
        s
    }
}

/// The parsed structure.
#[derive(Debug, Default)]
pub struct Structure {
    /// Items in document order.
    pub items: Vec<Item>,
}

impl Structure {
    /// Ancestors of an item, nearest first.
    pub fn ancestors(&self, idx: usize) -> Vec<usize> {
        let mut v = Vec::new();
        let mut cur = self.items.get(idx).and_then(|i| i.parent);
        while let Some(p) = cur {
            if v.contains(&p) || v.len() > 64 {
                break;
            }
            v.push(p);
            cur = self.items.get(p).and_then(|i| i.parent);
        }
        v
    }
}

fn unique(id: String, used: &mut HashSet<String>) -> String {
    if used.insert(id.clone()) {
        return id;
    }
    for n in 2..10_000 {
        let cand = format!("{id}~{n}");
        if used.insert(cand.clone()) {
            return cand;
        }
    }
    id
}

/// Builds the item tree from the logical lines from `start` to `end`
/// (exclusive), skipping the lines in `skip`.
pub fn build(lines: &[Line], start: usize, end: usize, skip: &HashSet<usize>) -> Structure {
    let mut st = Structure { items: Vec::new() };
    let mut stack: Vec<usize> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut bullet_counts: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    // An attribute label with an empty value collects the bullets below it.
    let mut open_attr: Option<(usize, AttrKind, Option<MarkerKind>)> = None;
    for (li, line) in lines.iter().enumerate().take(end).skip(start) {
        if skip.contains(&li) || line.is_blank() || line.cells.is_some() || line.tabbed {
            continue;
        }
        let text = line.text.as_str();
        let marker = marker_of(text);
        let after_marker = marker
            .as_ref()
            .and_then(|m| text.get(m.len..))
            .unwrap_or(text)
            .trim();

        // Bullets continuing an open attribute list.
        if let (Some((owner, kind, bullet_kind)), Some(m)) = (open_attr, marker.as_ref()) {
            let fits = m.kind.is_bullet()
                && bullet_kind.is_none_or(|b| b == m.kind)
                && attribute_of(after_marker).is_none();
            if fits {
                open_attr = Some((owner, kind, Some(m.kind)));
                if let Some(item) = st.items.get_mut(owner) {
                    push_attr(item, kind, line.no, after_marker);
                }
                continue;
            }
        }
        open_attr = None;

        if let Some((kind, value)) = attribute_of(after_marker) {
            let bulleted = marker.as_ref().is_some_and(|m| m.kind.is_bullet());
            let targets = attr_targets(&st, &stack, bulleted, kind);
            for &t in &targets {
                if let Some(item) = st.items.get_mut(t) {
                    if value.is_empty() {
                        continue;
                    }
                    push_attr(item, kind, line.no, &value);
                }
            }
            if value.is_empty() {
                if let Some(&owner) = targets.first() {
                    open_attr = Some((owner, kind, None));
                }
            }
            continue;
        }

        let Some(m) = marker else {
            // A plain paragraph: the body of the current item.
            if let Some(&cur) = stack.last() {
                if let Some(item) = st.items.get_mut(cur) {
                    item.body.push((line.no, text.to_string()));
                }
            } else {
                // Text before any marker inside the body: a top-level paragraph item.
                let id = unique(format!("#{}", st.items.len() + 1), &mut used);
                st.items.push(new_item(
                    id,
                    None,
                    MarkerKind::Dash,
                    text,
                    line.no,
                    Category::Other,
                ));
            }
            continue;
        };

        // Pop the stack to the level of this marker.
        if let Some(pos) = stack
            .iter()
            .position(|&i| st.items.get(i).is_some_and(|it| it.kind == m.kind))
        {
            stack.truncate(pos);
        } else if m.kind == MarkerKind::Roman {
            stack.clear();
        } else if let MarkerKind::Decimal(d) = m.kind {
            // A shallower decimal closes deeper ones.
            if let Some(pos) = stack.iter().position(|&i| matches!(st.items.get(i).map(|it| it.kind), Some(MarkerKind::Decimal(e)) if e > d)) {
                stack.truncate(pos);
            }
            // A decimal never nests under a bullet or letter.
            while stack.last().is_some_and(|&i| {
                st.items
                    .get(i)
                    .is_some_and(|it| it.kind.is_bullet() || it.kind == MarkerKind::Letter)
            }) {
                stack.pop();
            }
        } else if m.kind == MarkerKind::Letter {
            while stack
                .last()
                .is_some_and(|&i| st.items.get(i).is_some_and(|it| it.kind.is_bullet()))
            {
                stack.pop();
            }
        }
        let parent = stack.last().copied();
        let parent_id = parent.and_then(|p| st.items.get(p)).map(|p| p.id.clone());
        let id = match m.kind {
            MarkerKind::Roman => m.label.clone(),
            MarkerKind::Decimal(_) => {
                let base = stack
                    .iter()
                    .rev()
                    .filter_map(|&i| st.items.get(i))
                    .find(|it| !matches!(it.kind, MarkerKind::Decimal(_)))
                    .map(|it| it.id.clone());
                match base {
                    Some(b) => format!("{b}.{}", m.label),
                    None => m.label.clone(),
                }
            }
            MarkerKind::Letter => match &parent_id {
                Some(p) => format!("{p}.{}", m.label),
                None => m.label.clone(),
            },
            _ => {
                let key = parent_id.clone().unwrap_or_default();
                let n = bullet_counts.entry(key.clone()).or_insert(0);
                *n += 1;
                format!("{key}#{n}")
            }
        };
        let id = unique(id, &mut used);
        let category = match (m.kind, categorise(after_marker)) {
            (MarkerKind::Roman, Some(c)) => c,
            (MarkerKind::Roman, None) => Category::Other,
            (
                MarkerKind::Decimal(_) | MarkerKind::Letter,
                Some(c @ (Category::Baseline | Category::Objectives | Category::Budget)),
            ) if after_marker.chars().count() < 90 => c,
            (MarkerKind::Decimal(_) | MarkerKind::Letter, _)
                if announces_targets(&fold(after_marker)) =>
            {
                Category::Objectives
            }
            _ => parent
                .and_then(|p| st.items.get(p))
                .map_or(Category::Other, |p| p.category),
        };
        let idx = st.items.len();
        st.items.push(new_item(
            id,
            parent,
            m.kind,
            after_marker,
            line.no,
            category,
        ));
        if let Some(p) = parent.and_then(|p| st.items.get_mut(p)) {
            p.children.push(idx);
        }
        stack.push(idx);
    }
    st
}

fn new_item(
    id: String,
    parent: Option<usize>,
    kind: MarkerKind,
    title: &str,
    line: usize,
    category: Category,
) -> Item {
    Item {
        id,
        parent,
        kind,
        title: title.to_string(),
        body: Vec::new(),
        line,
        category,
        lead_attrs: Vec::new(),
        coord_attrs: Vec::new(),
        time_attrs: Vec::new(),
        children: Vec::new(),
    }
}

fn push_attr(item: &mut Item, kind: AttrKind, no: usize, value: &str) {
    let v = (no, value.to_string());
    match kind {
        AttrKind::Lead => item.lead_attrs.push(v),
        AttrKind::Coordinating => item.coord_attrs.push(v),
        AttrKind::Time => item.time_attrs.push(v),
        AttrKind::LeadAndTime => {
            item.lead_attrs.push(v.clone());
            item.time_attrs.push(v);
        }
    }
}

fn has_attr(item: &Item, kind: AttrKind) -> bool {
    match kind {
        AttrKind::Lead | AttrKind::LeadAndTime => !item.lead_attrs.is_empty(),
        AttrKind::Coordinating => !item.coord_attrs.is_empty(),
        AttrKind::Time => !item.time_attrs.is_empty(),
    }
}

/// Which items an attribute line describes.
fn attr_targets(st: &Structure, stack: &[usize], bulleted: bool, kind: AttrKind) -> Vec<usize> {
    let Some(&top) = stack.last() else {
        return Vec::new();
    };
    let Some(top_item) = st.items.get(top) else {
        return Vec::new();
    };
    if !top_item.kind.is_bullet() {
        return vec![top];
    }
    let numbered = stack
        .iter()
        .rev()
        .copied()
        .find(|&i| st.items.get(i).is_some_and(|it| !it.kind.is_bullet()));
    if bulleted {
        // "- Đơn vị chủ trì: …" among bullets describes the numbered item.
        return numbered.map(|n| vec![n]).unwrap_or_default();
    }
    // A plain attribute line after a run of bullets: the run without one,
    // and their parent if it has none.
    let mut out = Vec::new();
    if let Some(parent) = top_item.parent.and_then(|p| st.items.get(p)) {
        for &c in parent.children.iter().rev() {
            match st.items.get(c) {
                Some(ci) if ci.kind == top_item.kind && !has_attr(ci, kind) => out.push(c),
                _ => break,
            }
        }
        out.reverse();
        if let Some(pi) = top_item.parent {
            if !has_attr(parent, kind) {
                out.insert(0, pi);
            }
        }
    } else {
        out.push(top);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_recognised() {
        assert_eq!(
            marker_of("III. NHIỆM VỤ").map(|m| m.kind),
            Some(MarkerKind::Roman)
        );
        assert_eq!(
            marker_of("2.2. Tiếp tục").map(|m| (m.kind, m.label)),
            Some((MarkerKind::Decimal(2), "2.2".into()))
        );
        assert_eq!(
            marker_of("2.1 Trung tâm").map(|m| m.kind),
            Some(MarkerKind::Decimal(2))
        );
        assert_eq!(
            marker_of("a) Rà soát").map(|m| m.kind),
            Some(MarkerKind::Letter)
        );
        assert_eq!(
            marker_of("- + Khối nhà A").map(|m| m.kind),
            Some(MarkerKind::Plus)
        );
        assert!(marker_of("100% thôn").is_none());
        assert!(marker_of("2020").is_none());
        assert!(marker_of("906/KH-UBND").is_none());
        assert!(marker_of("1.021 người").is_none());
    }

    #[test]
    fn attributes_are_recognised() {
        assert_eq!(
            attribute_of("Đơn vị chủ trì thực hiện: Trung tâm Y tế huyện.").map(|a| a.0),
            Some(AttrKind::Lead)
        );
        assert_eq!(
            attribute_of("Thời gian thực hiện: Thường xuyên.").map(|a| a.0),
            Some(AttrKind::Time)
        );
        assert_eq!(
            attribute_of("Đơn vị chủ trì và thời gian thực hiện: X").map(|a| a.0),
            Some(AttrKind::LeadAndTime)
        );
        assert!(attribute_of("Mục đích: Triển khai").is_none());
    }
}
