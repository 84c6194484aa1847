//! Names of organisations in running text: lead and coordinating units,
//! who reports and to whom.

use std::sync::LazyLock;

use regex::Regex;
use ytcs_core::text::fold;

const ORG_PREFIXES: &[&str] = &[
    "so ",
    "ban ",
    "uy ban",
    "ubnd",
    "bao hiem xa hoi",
    "bhxh",
    "cong an",
    "trung tam",
    "phong ",
    "van phong",
    "benh vien",
    "bao ",
    "dai ",
    "cac so",
    "cac co quan",
    "cac don vi",
    "cac phong",
    "cac ban",
    "cac nganh",
    "bo ",
    "cuc ",
    "chi cuc",
    "hoi ",
    "lien doan",
    "doan ",
    "mat tran",
    "tinh doan",
    "huyen doan",
    "thanh doan",
    "tram y te",
    "bo chi huy",
    "vien ",
    "truong ",
    "kho bac",
    "ngan hang",
    "thuong truc",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "hdnd",
    "hoi dong",
    "ttyt",
    "uy ban mat tran",
    "phong kham",
    "chinh quyen",
    "cac dia phuong",
    "nganh ",
    "lien minh",
    "hoi lien hiep",
];

/// Starts like the name of an organisation.
pub fn is_org_start(s: &str) -> bool {
    let f = fold(s.trim());
    let f = f.strip_prefix("de nghi ").unwrap_or(&f);
    let f = f.strip_prefix("giao ").unwrap_or(f);
    ORG_PREFIXES.iter().any(|p| f.starts_with(p))
}

/// A short heading that is just a unit's name (`Sở Y tế`, `Bảo hiểm xã hội tỉnh`).
pub fn heading_unit(title: &str) -> Option<String> {
    let t = title.trim().trim_end_matches([':', '.']).trim();
    let head = t.split(':').next().unwrap_or(t).trim();
    if !is_org_start(head) || head.split_whitespace().count() > 14 {
        return None;
    }
    let f = fold(head);
    // A sentence, not a name.
    if [
        " chu tri",
        " phoi hop",
        " thuc hien",
        " trien khai",
        " tham muu",
        " to chuc",
        " xay dung",
    ]
    .iter()
    .any(|v| f.contains(v))
    {
        return None;
    }
    if t.contains(':') || head == t {
        let h = head
            .strip_prefix("Đề nghị ")
            .unwrap_or(head)
            .trim()
            .to_string();
        // "Các sở, ban, ngành: Ủy ban nhân dân các huyện, thành phố:"
        let second = t
            .split(':')
            .nth(1)
            .map(str::trim)
            .filter(|s| !s.is_empty() && is_org_start(s) && s.split_whitespace().count() <= 10);
        return Some(match second {
            Some(s2) => format!("{h}; {s2}"),
            None => h,
        });
    }
    None
}

static VERB_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:chủ trì|phối hợp|tham mưu|thực hiện|tiếp tục|triển khai|có trách nhiệm|hướng dẫn|theo dõi|tổ chức|xây dựng|căn cứ|định kỳ|báo cáo|tổng hợp|đôn đốc|thống nhất)\b|[:.(]")
        .expect("static regex")
});
static COORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)phối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s*:?\s+(.+)").expect("static regex")
});
static COORD_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s+(?:tham mưu|thực hiện|triển khai|để|tổ chức|hướng dẫn|xây dựng|trình|kiểm tra|rà soát|tiếp tục|theo dõi|đề xuất|nghiên cứu|trong)\b|[:.(]")
        .expect("static regex")
});

/// Splits a list of units: `;` always, `,` and `và` before a new name.
pub fn split_units(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split(';') {
        let mut cur = String::new();
        let pieces: Vec<&str> = part.split(", ").collect();
        for (i, p) in pieces.iter().enumerate() {
            let upper = p.chars().next().is_some_and(char::is_uppercase);
            let long = p.split_whitespace().count() >= 3;
            if i > 0
                && (is_org_start(p) && (upper || long)
                    || (fold(p).starts_with("cac ") || fold(p).starts_with("don vi")) && long)
            {
                push_unit(&mut out, &cur);
                cur = p.to_string();
            } else if i > 0 {
                cur.push_str(", ");
                cur.push_str(p);
            } else {
                cur = p.to_string();
            }
        }
        push_unit(&mut out, &cur);
    }
    // "X và Y"
    let mut final_out = Vec::new();
    for u in out {
        match u.split_once(" và ") {
            Some((a, b)) if is_org_start(b) => {
                push_unit(&mut final_out, a);
                push_unit(&mut final_out, b);
            }
            _ => final_out.push(u),
        }
    }
    final_out
}

fn push_unit(out: &mut Vec<String>, s: &str) {
    let s = s
        .trim()
        .trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c.is_whitespace());
    let s = s.strip_prefix("Giao ").unwrap_or(s).trim();
    if !s.is_empty() && s.chars().count() < 120 && !out.iter().any(|x| x == s) {
        out.push(s.to_string());
    }
}

/// Lead and coordinating units named by an attribute value or a sentence
/// like `Trung tâm Y tế huyện chủ trì, phối hợp với Phòng Y tế, …`.
pub fn lead_and_coord(value: &str) -> (Vec<String>, Vec<String>) {
    let v = value.trim();
    let cut = VERB_CUT.find(v).map_or(v.len(), |m| m.start());
    let lead_part = v.get(..cut).unwrap_or("");
    let lead = if is_org_start(lead_part) || fold(lead_part).starts_with("cac ") {
        split_units(lead_part)
    } else {
        Vec::new()
    };
    let coord = COORD
        .captures(v)
        .and_then(|c| c.get(1))
        .map(|m| {
            let s = m.as_str();
            let end = COORD_CUT.find(s).map_or(s.len(), |x| x.start());
            split_units(s.get(..end).unwrap_or(""))
        })
        .unwrap_or_default();
    (lead, coord)
}

static ORG_MENTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Sở|Bộ|Thường trực|Ban|Trung tâm|Văn phòng|Bảo hiểm xã hội|Phòng|Chính phủ|Thủ tướng|Tỉnh ủy|Huyện ủy|Thành ủy|Tỉnh uỷ|Huyện uỷ|Hội đồng nhân dân|HĐND)(?:\s+(?:\p{Lu}[\p{L}]*|tỉnh|huyện|xã|thị xã|thị trấn|thành phố|quận|phường|ủy|uỷ|y|tế|nhân|dân|chính|và Đầu tư|và Truyền thông|và Môi trường|và Xã hội|và Đào tạo|và Phát triển nông thôn|-))*")
        .expect("static regex")
});

/// Organisations named in `text`, in order.
pub fn org_mentions(text: &str) -> Vec<(usize, String)> {
    ORG_MENTION
        .find_iter(text)
        .map(|m| {
            (
                m.start(),
                m.as_str().trim().trim_end_matches(['-', ' ']).to_string(),
            )
        })
        .filter(|(_, s)| s.split_whitespace().count() >= 2 || s == "Chính phủ")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leads_and_coordinators_from_sentences() {
        let (l, c) = lead_and_coord("Trung tâm Y tế huyện phối hợp với Phòng Tổ chức - Hành chính Sở Y tế, đơn vị có liên quan tham mưu hoàn thành Đề án");
        assert_eq!(l, vec!["Trung tâm Y tế huyện"]);
        assert_eq!(
            c,
            vec!["Phòng Tổ chức - Hành chính Sở Y tế", "đơn vị có liên quan"]
        );
        let (l, _) = lead_and_coord(
            "Ủy ban nhân dân các xã, thị trấn; Bảo hiểm xã hội huyện chủ trì (thực hiện mục tiêu)",
        );
        assert_eq!(
            l,
            vec!["Ủy ban nhân dân các xã, thị trấn", "Bảo hiểm xã hội huyện"]
        );
    }

    #[test]
    fn org_mentions_in_report_sentences() {
        let m: Vec<String> =
            org_mentions("gửi Sở Y tế, Thường trực Huyện ủy và Ủy ban nhân dân huyện.")
                .into_iter()
                .map(|x| x.1)
                .collect();
        assert_eq!(
            m,
            vec!["Sở Y tế", "Thường trực Huyện ủy", "Ủy ban nhân dân huyện"]
        );
    }
}
