//! Linking the lead and coordinating units of a plan's tasks, as written
//! ("Sở Y tế", "UBND các xã, thị trấn", "Bảo hiểm xã hội huyện"), to units
//! of the hierarchy, relative to the plan's issuer and on a given day.
//!
//! **What links.**
//! - An agency of the standard lists ([`crate::agency`]) under the issuer's
//!   province or district: "Sở Tài chính" in a plan of a district links to
//!   the province's `PROV.STC`; "Trung tâm Y tế huyện" to `DIST.TTYT`; a
//!   level word after the name ("… tỉnh", "… huyện") chooses the level,
//!   otherwise the issuer's own level is tried first.
//! - A People's Committee named with its unit ("UBND huyện Kon Rẫy",
//!   "Ủy ban nhân dân xã Đăk Ruồng"; diacritic-insensitive), preferring a
//!   unit inside the issuer's province; "UBND tỉnh"/"UBND huyện" without a
//!   name is the issuer itself when the level is the issuer's.
//! - A collective of units under the issuer ("UBND các xã, thị trấn",
//!   "UBND các xã, phường", "các xã", "Ủy ban nhân dân các huyện, thị xã,
//!   thành phố", "UBND huyện, thành phố" in a province's plan): every
//!   commune (or district) under the issuer.
//! - A compound text the plan reader did not split ("Sở Y tế, Sở Tài chính
//!   và BHXH tỉnh") is split at commas, semicolons and "và" when the whole
//!   does not link, the longest run of pieces that links winning, so "Sở Kế
//!   hoạch và Đầu tư" stays whole.
//!
//! **What stays unlinked, kept as written**, and why:
//! - vague groups ("Các sở, ban, ngành", "các đơn vị có liên quan", "các cơ
//!   quan, đơn vị, ban, ngành, đoàn thể"): they name no one accountable;
//! - offices inside an agency ("Phòng Tổ chức - Hành chính Sở Y tế") and
//!   the People's Committee's own office ("Văn phòng HĐND&UBND"): not units;
//! - hospitals and other facilities ("Bệnh viện Đa khoa thành phố"): they
//!   are registry facilities, not units of the hierarchy;
//! - media and mass organisations ("Báo Tuyên Quang", "Đài Phát thanh và
//!   Truyền hình tỉnh", "Trung tâm Văn hóa, Thể thao - Truyền thông"):
//!   not on the standard agency lists;
//! - a district agency named in a province's plan ("Trung tâm Y tế huyện"
//!   by a province): which district is meant cannot be told;
//! - words the plan reader took for a unit ("Số lượng", "Bổ sung vi chất
//!   dinh dưỡng" in the Lào Cai seed): they name nothing;
//! - anything when the agency unit does not exist on the day (agencies are
//!   created per province or district, see [`crate::agency::agency_units`]).
//!
//! On the five seed plans against the reference units, every Sở, BHXH,
//! Công an, district office and Trung tâm Y tế links, as do the
//! collectives; what stays unlinked is the list above (the web crate's
//! `unit_tasks` test prints it).

use crate::agency::{agency_code, match_agency, normalize, AgencyLevel};
use crate::hierarchy::Hierarchy;
use crate::org::{OrgKind, OrgUnit, UnitId};
use crate::Date;

/// What a lead or coordinating unit's text links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// One unit (an agency, an administrative unit, the issuer).
    Unit(UnitId),
    /// Every unit of `kind` under `parent` ("UBND các xã, thị trấn").
    Under {
        /// The issuer.
        parent: UnitId,
        /// Communes or districts.
        kind: OrgKind,
    },
    /// Nothing: kept as written.
    Unlinked,
}

impl Link {
    /// Whether `unit` is (one of) the unit(s) this link names on day `at`.
    pub fn covers(&self, h: &Hierarchy, unit: &OrgUnit, at: Date) -> bool {
        match *self {
            Link::Unit(id) => id == unit.id,
            Link::Under { parent, kind } => {
                unit.kind == kind && h.ancestors(unit.id, at).iter().any(|a| a.id == parent)
            }
            Link::Unlinked => false,
        }
    }

    /// Whether anything was linked.
    pub fn is_linked(&self) -> bool {
        !matches!(self, Link::Unlinked)
    }
}

/// A piece of a lead or coordinating unit's text and its link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedName {
    /// The text as written (a piece of it, when split).
    pub text: String,
    /// What it links to.
    pub link: Link,
}

/// Level words, longest first so "thi xa" wins over "xa".
const LEVEL_TERMS: [(&str, OrgKind); 9] = [
    ("thi tran", OrgKind::Commune),
    ("thi xa", OrgKind::District),
    ("thanh pho", OrgKind::District),
    ("dac khu", OrgKind::Commune),
    ("xa", OrgKind::Commune),
    ("phuong", OrgKind::Commune),
    ("huyen", OrgKind::District),
    ("quan", OrgKind::District),
    ("tinh", OrgKind::Province),
];

/// The level terms `s` consists of, or `None` if it holds anything else.
fn level_terms(s: &str) -> Option<Vec<OrgKind>> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let (t, k) = LEVEL_TERMS
            .iter()
            .find(|(t, _)| rest == *t || rest.starts_with(&format!("{t} ")))?;
        out.push(*k);
        rest = rest[t.len()..].trim_start();
    }
    Some(out)
}

/// Links one name (no splitting), relative to `issuer`, on day `at`.
pub fn link_unit(text: &str, issuer: &OrgUnit, h: &Hierarchy, at: Date) -> Link {
    let n = normalize(text);
    if n.is_empty() {
        return Link::Unlinked;
    }
    let committee = ["uy ban nhan dan", "ubnd"].iter().find_map(|p| {
        if n == *p {
            Some("")
        } else {
            n.strip_prefix(&format!("{p} "))
        }
    });
    let collective = |rest: &str| -> Option<Link> {
        let kinds = level_terms(rest)?;
        let kind = *kinds.first()?;
        (kind != OrgKind::Province).then_some(Link::Under {
            parent: issuer.id,
            kind,
        })
    };
    if let Some(rest) = committee {
        if rest.is_empty() {
            return Link::Unit(issuer.id);
        }
        if let Some(r) = rest.strip_prefix("cac ") {
            return collective(r).unwrap_or(Link::Unlinked);
        }
        if let Some(kinds) = level_terms(rest) {
            return match kinds.as_slice() {
                [k] if *k == issuer.kind || *k == OrgKind::Province => Link::Unit(issuer.id),
                _ => collective(rest).unwrap_or(Link::Unlinked),
            };
        }
        return named_unit(rest, issuer, h, at).map_or(Link::Unlinked, Link::Unit);
    }
    if let Some(r) = n.strip_prefix("cac ") {
        if let Some(l) = collective(r) {
            return l;
        }
    }
    agency(text, issuer, h, at).map_or(Link::Unlinked, Link::Unit)
}

/// The unit named `name` (normalized, e.g. "xa dak ruong") on day `at`,
/// inside the issuer's province if there is such a unit, else the only one
/// in the country.
fn named_unit(name: &str, issuer: &OrgUnit, h: &Hierarchy, at: Date) -> Option<UnitId> {
    let chain: Vec<UnitId> = std::iter::once(issuer.id)
        .chain(h.ancestors(issuer.id, at).iter().map(|u| u.id))
        .collect();
    let province = chain
        .iter()
        .copied()
        .find(|id| h.unit(*id).is_some_and(|u| u.kind == OrgKind::Province));
    let found: Vec<&OrgUnit> = h
        .units()
        .iter()
        .filter(|u| u.kind != OrgKind::Agency && u.validity.contains(at))
        .filter(|u| normalize(&u.name) == name)
        .collect();
    if let Some(p) = province {
        if let Some(u) = found
            .iter()
            .find(|u| u.id == p || h.ancestors(u.id, at).iter().any(|a| a.id == p))
        {
            return Some(u.id);
        }
    }
    match found.as_slice() {
        [one] => Some(one.id),
        _ => None,
    }
}

/// The agency unit a text names under the issuer's district or province.
fn agency(text: &str, issuer: &OrgUnit, h: &Hierarchy, at: Date) -> Option<UnitId> {
    let matches = match_agency(text);
    if matches.is_empty() {
        return None;
    }
    let chain: Vec<&OrgUnit> = std::iter::once(issuer)
        .chain(h.ancestors(issuer.id, at))
        .collect();
    let district = chain.iter().find(|u| u.kind == OrgKind::District);
    let province = chain.iter().find(|u| u.kind == OrgKind::Province);
    let mut levels = vec![AgencyLevel::District, AgencyLevel::Province];
    if district.is_none() {
        levels.reverse();
    }
    for level in levels {
        let Some(parent) = (match level {
            AgencyLevel::District => district,
            AgencyLevel::Province => province,
        }) else {
            continue;
        };
        for (a, asked) in &matches {
            if a.level != level || asked.is_some_and(|x| x != level) {
                continue;
            }
            let Some(code) = agency_code(&parent.code, a.abbr) else {
                continue;
            };
            if let Some(u) = h.unit_at(&code, at) {
                return Some(u.id);
            }
        }
    }
    None
}

/// Links a lead or coordinating unit's text, splitting a compound text
/// ("Sở Y tế, Sở Tài chính và BHXH tỉnh") when the whole does not link.
/// A text none of whose pieces link is returned whole, unlinked.
pub fn link_units(text: &str, issuer: &OrgUnit, h: &Hierarchy, at: Date) -> Vec<LinkedName> {
    let whole = link_unit(text, issuer, h, at);
    let keep = || {
        vec![LinkedName {
            text: text.trim().to_string(),
            link: whole,
        }]
    };
    if whole.is_linked() {
        return keep();
    }
    // Byte ranges of the pieces between separators.
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let sep = if rest.starts_with([',', ';']) {
            1
        } else if rest.starts_with(" và ") {
            " và ".len()
        } else {
            0
        };
        if sep > 0 {
            pieces.push((start, i));
            i += sep;
            start = i;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    pieces.push((start, text.len()));
    if pieces.len() < 2 {
        return keep();
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < pieces.len() {
        let mut taken = false;
        for j in (k + 1..=pieces.len()).rev() {
            if k == 0 && j == pieces.len() {
                continue; // the whole, already tried
            }
            let s = text[pieces[k].0..pieces[j - 1].1].trim();
            let l = link_unit(s, issuer, h, at);
            if l.is_linked() {
                out.push(LinkedName {
                    text: s.to_string(),
                    link: l,
                });
                k = j;
                taken = true;
                break;
            }
        }
        if !taken {
            let s = text[pieces[k].0..pieces[k].1].trim();
            if !s.is_empty() {
                out.push(LinkedName {
                    text: s.to_string(),
                    link: Link::Unlinked,
                });
            }
            k += 1;
        }
    }
    if out.iter().any(|l| l.link.is_linked()) {
        out
    } else {
        keep()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agency::agency_units;
    use crate::org::{OrgCode, ParentLink};
    use crate::validity::Validity;

    fn day() -> Date {
        Date::from_ymd_opt(2024, 6, 1).unwrap()
    }

    /// Province 62 (Kon Tum) with district 614 (Kon Rẫy) and two communes,
    /// a second district, and the agencies of the province and districts.
    fn push(
        units: &mut Vec<OrgUnit>,
        links: &mut Vec<ParentLink>,
        code: &str,
        name: &str,
        kind: OrgKind,
        parent: Option<UnitId>,
    ) -> UnitId {
        let id = UnitId(units.len() as i64 + 1);
        units.push(OrgUnit {
            id,
            code: OrgCode::parse(code).unwrap(),
            name: name.into(),
            kind,
            validity: Validity::default(),
        });
        if let Some(parent) = parent {
            links.push(ParentLink {
                child: id,
                parent,
                validity: Validity::default(),
            });
        }
        id
    }

    fn fixture() -> Hierarchy {
        let (mut u, mut l) = (Vec::new(), Vec::new());
        let prov = push(
            &mut u,
            &mut l,
            "62",
            "Tỉnh Kon Tum",
            OrgKind::Province,
            None,
        );
        let dist = push(
            &mut u,
            &mut l,
            "614",
            "Huyện Kon Rẫy",
            OrgKind::District,
            Some(prov),
        );
        push(
            &mut u,
            &mut l,
            "23425",
            "Thị trấn Đắk Rve",
            OrgKind::Commune,
            Some(dist),
        );
        push(
            &mut u,
            &mut l,
            "23428",
            "Xã Đắk Ruồng",
            OrgKind::Commune,
            Some(dist),
        );
        let other = push(
            &mut u,
            &mut l,
            "610",
            "Thành phố Kon Tum",
            OrgKind::District,
            Some(prov),
        );
        push(
            &mut u,
            &mut l,
            "23300",
            "Phường Quyết Thắng",
            OrgKind::Commune,
            Some(other),
        );
        let agencies: Vec<_> = u
            .iter()
            .flat_map(|p| agency_units(p).into_iter().map(move |a| (a, p.id)))
            .collect();
        for (a, p) in agencies {
            push(&mut u, &mut l, a.code.as_str(), &a.name, a.kind, Some(p));
        }
        Hierarchy::new(u, l, vec![]).unwrap()
    }

    fn code_of(h: &Hierarchy, l: Link) -> String {
        match l {
            Link::Unit(id) => h.unit(id).unwrap().code.to_string(),
            Link::Under { parent, kind } => {
                format!("{}/{}", h.unit(parent).unwrap().code, kind.as_str())
            }
            Link::Unlinked => "-".into(),
        }
    }

    fn unit<'h>(h: &'h Hierarchy, code: &str) -> &'h OrgUnit {
        h.unit_at(&OrgCode::parse(code).unwrap(), day()).unwrap()
    }

    fn link(h: &Hierarchy, issuer: &str, text: &str) -> Vec<String> {
        link_units(text, unit(h, issuer), h, day())
            .into_iter()
            .map(|l| code_of(h, l.link))
            .collect()
    }

    #[test]
    fn seed_lead_units_of_a_district_plan_link() {
        // The Kon Rẫy plan (seed 000) and the Lào Cai city plan (seed 002)
        // are issued by districts.
        let h = fixture();
        let cases = [
            ("Trung tâm Y tế huyện", "614.TTYT"),
            ("Trung tâm Y tế", "614.TTYT"),
            ("Bảo hiểm xã hội huyện", "614.BHXH"),
            ("Phòng Tài chính - Kế hoạch huyện", "614.PTCKH"),
            ("Phòng Tài chính- Kế hoạch", "614.PTCKH"),
            ("Phòng Giáo dục và Đào tạo", "614.PGDDT"),
            ("Phòng Lao động - Thương binh và Xã hội", "614.PLDTBXH"),
            ("Ủy ban nhân dân các xã, thị trấn", "614/commune"),
            ("UBND các xã, phường", "614/commune"),
            ("các xã", "614/commune"),
            ("Sở Y tế", "62.SYT"),
            ("UBND huyện", "614"),
            ("UBND xã Đăk Ruồng", "23428"),
            ("UBND huyện Kon Rẫy", "614"),
        ];
        for (text, want) in cases {
            assert_eq!(link(&h, "614", text), vec![want.to_string()], "{text}");
        }
    }

    #[test]
    fn seed_lead_units_of_a_province_plan_link() {
        // Seeds 001 (Tuyên Quang), 003 (Quảng Ngãi), 004 (Kon Tum).
        let h = fixture();
        let cases = [
            ("Sở Y tế", "62.SYT"),
            ("Sở Tài chính", "62.STC"),
            ("Bảo hiểm xã hội tỉnh", "62.BHXH"),
            ("Sở Kế hoạch và Đầu tư", "62.SKHDT"),
            ("Sở Nội vụ", "62.SNV"),
            ("Sở Thông tin và Truyền thông", "62.STTTT"),
            ("Sở thông tin và Truyền thông", "62.STTTT"),
            ("Sở Tài nguyên và Môi trường", "62.STNMT"),
            ("Sở Nông nghiệp và Phát triển nông thôn", "62.SNNPTNT"),
            ("Sở Giáo dục và Đào tạo", "62.SGDDT"),
            ("Sở Lao động, Thương binh và Xã hội", "62.SLDTBXH"),
            ("Sở Văn hóa, Thể thao và Du lịch", "62.SVHTTDL"),
            ("Sở Công Thương", "62.SCT"),
            ("Sở Giao thông vận tải", "62.SGTVT"),
            ("Sở Khoa học và Công nghệ", "62.SKHCN"),
            ("Công an tỉnh", "62.CA"),
            (
                "Ủy ban nhân dân các huyện, thị xã, thành phố",
                "62/district",
            ),
            ("Ủy ban nhân dân các huyện, thành phố", "62/district"),
            ("Ủy ban nhân dân huyện, thành phố", "62/district"),
            ("UBND tỉnh", "62"),
        ];
        for (text, want) in cases {
            assert_eq!(link(&h, "62", text), vec![want.to_string()], "{text}");
        }
    }

    #[test]
    fn vague_groups_offices_facilities_and_media_stay_unlinked() {
        let h = fixture();
        for (issuer, text) in [
            ("614", "Các cơ quan, đơn vị, ban, ngành, đoàn thể"),
            ("614", "Các đơn vị liên quan"),
            ("614", "Phòng Tổ chức - Hành chính Sở Y tế"),
            ("62", "Các sở, ban, ngành"),
            ("62", "Báo Tuyên Quang"),
            ("62", "Đài Phát thanh và Truyền hình tỉnh"),
            ("62", "Trung tâm Y tế huyện"),
            ("614", "Bệnh viện Đa khoa thành phố"),
            ("614", "Văn phòng HĐND&UBND thành phố"),
            ("614", "Trung tâm Văn hóa, Thể thao - Truyền thông"),
        ] {
            let got = link_units(text, unit(&h, issuer), &h, day());
            assert_eq!(got.len(), 1, "{text}");
            assert_eq!(got[0].link, Link::Unlinked, "{text}");
            assert_eq!(got[0].text, text);
        }
    }

    #[test]
    fn compound_texts_are_split_keeping_names_with_va_whole() {
        let h = fixture();
        assert_eq!(
            link(&h, "62", "Sở Y tế, Sở Tài chính và BHXH tỉnh"),
            ["62.SYT", "62.STC", "62.BHXH"]
        );
        assert_eq!(
            link(
                &h,
                "62",
                "Sở Kế hoạch và Đầu tư; Sở Nội vụ và các đơn vị liên quan"
            ),
            ["62.SKHDT", "62.SNV", "-"]
        );
    }

    #[test]
    fn a_collective_covers_the_communes_under_the_issuer_only() {
        let h = fixture();
        let l = link_unit("UBND các xã, thị trấn", unit(&h, "614"), &h, day());
        assert!(l.covers(&h, unit(&h, "23428"), day()));
        assert!(!l.covers(&h, unit(&h, "23300"), day()));
        assert!(!l.covers(&h, unit(&h, "614"), day()));
    }
}
