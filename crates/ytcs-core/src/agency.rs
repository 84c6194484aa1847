//! The standard departments and agencies that plans name as lead or
//! coordinating units (Sở Y tế, Sở Tài chính, Bảo hiểm xã hội tỉnh …), and
//! the agency units (kind [`OrgKind::Agency`]) they become under a province
//! or a district.
//!
//! An agency unit's code is its parent's code, a dot and the abbreviation
//! (`51.SYT`, `614.TTYT`); its validity is the parent's, so when a province
//! or district is re-created by a reform, its agencies are too.

use crate::org::{OrgCode, OrgKind, OrgUnit};
use crate::text::fold;
use crate::validity::Validity;

/// The level of government an agency belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgencyLevel {
    /// A provincial department or agency (Sở …, BHXH tỉnh, Công an tỉnh).
    Province,
    /// A district office or centre (Phòng …, Trung tâm Y tế huyện); districts
    /// were abolished on 2025-07-01.
    District,
}

/// One standard agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agency {
    /// Abbreviation, ASCII, used in the unit code (`SYT`).
    pub abbr: &'static str,
    /// Official name without the territory (`Sở Y tế`).
    pub name: &'static str,
    /// The level it belongs to.
    pub level: AgencyLevel,
    /// The phrases that name it, as [`normalize`] leaves them.
    pub phrases: &'static [&'static str],
}

const fn p(abbr: &'static str, name: &'static str, phrases: &'static [&'static str]) -> Agency {
    Agency {
        abbr,
        name,
        level: AgencyLevel::Province,
        phrases,
    }
}

const fn d(abbr: &'static str, name: &'static str, phrases: &'static [&'static str]) -> Agency {
    Agency {
        abbr,
        name,
        level: AgencyLevel::District,
        phrases,
    }
}

/// The provincial departments and agencies.
pub const PROVINCIAL: &[Agency] = &[
    p("SYT", "Sở Y tế", &["so y te", "syt"]),
    p("STC", "Sở Tài chính", &["so tai chinh", "stc"]),
    p(
        "BHXH",
        "Bảo hiểm xã hội",
        &["bao hiem xa hoi", "bhxh", "co quan bao hiem xa hoi"],
    ),
    p(
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        &["so ke hoach va dau tu", "so ke hoach dau tu", "so khdt"],
    ),
    p("SNV", "Sở Nội vụ", &["so noi vu", "snv"]),
    p(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        &["so giao duc va dao tao", "so giao duc dao tao", "so gd dt"],
    ),
    p(
        "SLDTBXH",
        "Sở Lao động – Thương binh và Xã hội",
        &[
            "so lao dong thuong binh va xa hoi",
            "so lao dong thuong binh xa hoi",
            "so ld tb xh",
        ],
    ),
    p(
        "STTTT",
        "Sở Thông tin và Truyền thông",
        &[
            "so thong tin va truyen thong",
            "so thong tin truyen thong",
            "so tt tt",
        ],
    ),
    p(
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        &[
            "so van hoa the thao va du lich",
            "so van hoa the thao du lich",
        ],
    ),
    p(
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        &["so tai nguyen va moi truong", "so tai nguyen moi truong"],
    ),
    p(
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        &["so nong nghiep va phat trien nong thon", "so nong nghiep"],
    ),
    p("SCT", "Sở Công Thương", &["so cong thuong"]),
    p("SGTVT", "Sở Giao thông vận tải", &["so giao thong van tai"]),
    p(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        &["so khoa hoc va cong nghe"],
    ),
    p("CA", "Công an", &["cong an"]),
    p("BDT", "Ban Dân tộc", &["ban dan toc"]),
];

/// The district offices and centres (before 2025-07-01).
pub const DISTRICT: &[Agency] = &[
    d("PYT", "Phòng Y tế", &["phong y te"]),
    d("TTYT", "Trung tâm Y tế", &["trung tam y te", "ttyt"]),
    d(
        "BHXH",
        "Bảo hiểm xã hội",
        &["bao hiem xa hoi", "bhxh", "co quan bao hiem xa hoi"],
    ),
    d(
        "PTCKH",
        "Phòng Tài chính – Kế hoạch",
        &["phong tai chinh ke hoach", "phong tc kh"],
    ),
    d(
        "PGDDT",
        "Phòng Giáo dục và Đào tạo",
        &[
            "phong giao duc va dao tao",
            "phong giao duc dao tao",
            "phong gd dt",
        ],
    ),
    d(
        "PLDTBXH",
        "Phòng Lao động – Thương binh và Xã hội",
        &[
            "phong lao dong thuong binh va xa hoi",
            "phong lao dong thuong binh xa hoi",
            "phong ld tb xh",
        ],
    ),
    d("PNV", "Phòng Nội vụ", &["phong noi vu"]),
    d(
        "PVHTT",
        "Phòng Văn hóa và Thông tin",
        &["phong van hoa va thong tin", "phong van hoa thong tin"],
    ),
    d("CA", "Công an", &["cong an"]),
];

/// Folds text ([`fold`]) and turns every character that is not a letter or
/// digit into a space, collapsing runs: `"Sở Lao động - Thương binh"` and
/// `"Sở Lao động, Thương binh"` both give `"so lao dong thuong binh"`.
pub fn normalize(s: &str) -> String {
    let f: String = fold(s)
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words that may follow an agency's phrase and name its level.
const PROVINCE_WORDS: [&str; 1] = ["tinh"];
const DISTRICT_WORDS: [&str; 4] = ["huyen", "thanh pho", "thi xa", "quan"];

/// Which agency a text names, if any, and the level the text asks for
/// (`Some(District)` for "Bảo hiểm xã hội huyện", `Some(Province)` for
/// "… tỉnh", `None` when it does not say). The text is the phrase,
/// optionally followed by the level word and a place name.
pub fn match_agency(text: &str) -> Vec<(&'static Agency, Option<AgencyLevel>)> {
    let n = normalize(text);
    let mut out = Vec::new();
    for a in PROVINCIAL.iter().chain(DISTRICT) {
        for ph in a.phrases {
            let rest = if n == *ph {
                Some("")
            } else {
                n.strip_prefix(ph).and_then(|r| r.strip_prefix(' '))
            };
            let Some(rest) = rest else { continue };
            let starts = |w: &str| rest == w || rest.starts_with(&format!("{w} "));
            let asked = if rest.is_empty() {
                None
            } else if PROVINCE_WORDS.iter().any(|w| starts(w)) {
                Some(AgencyLevel::Province)
            } else if DISTRICT_WORDS.iter().any(|w| starts(w)) {
                Some(AgencyLevel::District)
            } else {
                continue; // "Phòng Y tế dự phòng" is not "Phòng Y tế"
            };
            out.push((a, asked));
            break;
        }
    }
    out
}

/// The code of agency `abbr` under the unit coded `parent`.
pub fn agency_code(parent: &OrgCode, abbr: &str) -> Option<OrgCode> {
    OrgCode::parse(&format!("{parent}.{abbr}")).ok()
}

/// An agency unit to create under a province or district.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyUnit {
    /// `PARENT.ABBR`.
    pub code: OrgCode,
    /// "Sở Y tế tỉnh Quảng Ngãi".
    pub name: String,
    /// Always [`OrgKind::Agency`].
    pub kind: OrgKind,
    /// The parent's validity.
    pub validity: Validity,
}

/// The agency units of a province (the provincial list) or a district (the
/// district list); other kinds have none.
pub fn agency_units(parent: &OrgUnit) -> Vec<AgencyUnit> {
    let list = match parent.kind {
        OrgKind::Province => PROVINCIAL,
        OrgKind::District => DISTRICT,
        _ => return Vec::new(),
    };
    let place = lower_first(&parent.name);
    list.iter()
        .filter_map(|a| {
            Some(AgencyUnit {
                code: agency_code(&parent.code, a.abbr)?,
                name: format!("{} {place}", a.name),
                kind: OrgKind::Agency,
                validity: parent.validity,
            })
        })
        .collect()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::UnitId;

    #[test]
    fn phrases_are_normalized_and_abbreviations_unique_per_level() {
        for list in [PROVINCIAL, DISTRICT] {
            let mut seen = std::collections::HashSet::new();
            for a in list {
                assert!(seen.insert(a.abbr), "{} twice", a.abbr);
                for ph in a.phrases {
                    assert_eq!(normalize(ph), *ph);
                }
            }
        }
    }

    #[test]
    fn agencies_match_with_or_without_their_level() {
        let m = match_agency("Sở Lao động, Thương binh và Xã hội");
        assert_eq!(m[0].0.abbr, "SLDTBXH");
        let m = match_agency("Bảo hiểm xã hội huyện");
        assert!(m
            .iter()
            .any(|(a, l)| a.abbr == "BHXH" && *l == Some(AgencyLevel::District)));
        assert!(match_agency("Sở Y tế tỉnh Quảng Ngãi")
            .iter()
            .any(|(a, _)| a.abbr == "SYT"));
        assert!(match_agency("Phòng Tổ chức - Hành chính Sở Y tế").is_empty());
        assert!(match_agency("Phòng Y tế dự phòng").is_empty());
    }

    #[test]
    fn agency_units_take_the_parents_code_and_validity() {
        let prov = OrgUnit {
            id: UnitId(1),
            code: OrgCode::parse("51").unwrap(),
            name: "Tỉnh Quảng Ngãi".into(),
            kind: OrgKind::Province,
            validity: Validity::default(),
        };
        let units = agency_units(&prov);
        assert_eq!(units.len(), PROVINCIAL.len());
        assert_eq!(units[0].code.as_str(), "51.SYT");
        assert_eq!(units[0].name, "Sở Y tế tỉnh Quảng Ngãi");
        assert_eq!(units[0].kind, OrgKind::Agency);
    }
}
