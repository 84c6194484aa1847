use std::collections::{BTreeMap, HashMap};

use ytcs_core::org::{LineageKind, LineageLink, OrgCode, OrgKind, OrgUnit, ParentLink, UnitId};
use ytcs_core::text::{fold, nfc};
use ytcs_core::validity::Validity;
use ytcs_core::Date;

const COMMUNES_PRE: &str = include_str!("../../../data/vn-admin/communes-pre-2025-07-01.csv");
const CONVERSION: &str = include_str!("../../../data/vn-admin/conversion-2025-07-01.csv");
const DIVISIONS: &str = include_str!("../../../data/vn-admin/divisions-2025-07-01.json");

/// The day the 2025 reform came into force.
pub const REFORM_DATE: Date = match Date::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The administrative units of Vietnam with their parent links and lineage,
/// ready to be stored. Ids are assigned from 1 in a stable order.
#[derive(Debug, Clone)]
pub struct AdminUnits {
    /// Every unit (country, provinces, districts, communes).
    pub units: Vec<OrgUnit>,
    /// Dated parent links.
    pub links: Vec<ParentLink>,
    /// Lineage of the 2025 reform.
    pub lineage: Vec<LineageLink>,
    /// What was read with doubt (units missing from one list, areas that are
    /// not units), one line each.
    pub warnings: Vec<String>,
}

/// The embedded reference files could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RefDataError {
    /// A CSV file is malformed.
    #[error("reference file {file}: {source}")]
    Csv {
        /// Which file.
        file: &'static str,
        /// The parser's complaint.
        source: csv::Error,
    },
    /// The JSON list of new units is malformed.
    #[error("reference file divisions-2025-07-01.json: {0}")]
    Json(#[from] serde_json::Error),
    /// A row holds a value that cannot be a unit.
    #[error("reference file {file}, record {record}: {message}")]
    Row {
        /// Which file.
        file: &'static str,
        /// 1-based record number.
        record: usize,
        /// What is wrong.
        message: String,
    },
    /// The units do not form a consistent hierarchy.
    #[error("reference units are inconsistent: {0}")]
    Hierarchy(#[from] ytcs_core::hierarchy::HierarchyError),
}

#[derive(serde::Deserialize)]
struct NewProvince {
    name: String,
    code: u32,
    wards: Vec<NewCommune>,
}

#[derive(serde::Deserialize)]
struct NewCommune {
    name: String,
    code: u32,
}

/// One row of the conversion table that has an old commune (or district).
struct Conversion {
    new_code: String,
    old_code: Option<String>,
    old_name: String,
    note: String,
    old_district: Option<(String, String)>,
    old_province: Option<(String, String)>,
}

#[derive(Default)]
struct Builder {
    units: Vec<OrgUnit>,
    links: Vec<ParentLink>,
    lineage: Vec<LineageLink>,
    warnings: Vec<String>,
}

impl Builder {
    fn add(&mut self, code: &str, name: &str, kind: OrgKind, validity: Validity) -> UnitId {
        let id = UnitId(self.units.len() as i64 + 1);
        let code = OrgCode::parse(code).unwrap_or_else(|_| {
            // Codes in the official lists are digits; anything else is a bug
            // in this module, not in user input.
            panic!("reference code {code:?} is not a valid code")
        });
        self.units.push(OrgUnit {
            id,
            code,
            name: nfc(name.trim()),
            kind,
            validity,
        });
        id
    }

    fn link(&mut self, child: UnitId, parent: UnitId, validity: Validity) {
        self.links.push(ParentLink {
            child,
            parent,
            validity,
        });
    }

    fn set_validity(&mut self, id: UnitId, validity: Validity) {
        self.units[(id.0 - 1) as usize].validity = validity;
    }
}

/// Splits `"Huyện Kon Rẫy (614)"` into its name and code.
fn name_and_code(s: &str) -> Option<(String, String)> {
    let s = s.trim();
    let open = s.rfind('(')?;
    let close = s.rfind(')')?;
    if close < open {
        return None;
    }
    let code = s[open + 1..close].trim();
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((s[..open].trim().to_string(), code.to_string()))
}

enum Transfer {
    Whole,
    Part,
}

fn transfer(note: &str) -> Transfer {
    let n = fold(note);
    if n.contains("phan")
        && (n.contains("mot phan")
            || n.contains("nhap mot")
            || n.contains("phan con lai")
            || n.contains("tu mot phan"))
    {
        Transfer::Part
    } else {
        Transfer::Whole
    }
}

/// Builds the administrative units from the embedded official lists.
pub fn admin_units() -> Result<AdminUnits, RefDataError> {
    let old_validity = Validity::until(REFORM_DATE.pred_opt().expect("not the first day"));
    let new_validity = Validity::since(REFORM_DATE);
    let mut b = Builder::default();
    let country = b.add("VN", "Việt Nam", OrgKind::Country, Validity::ALWAYS);

    // --- Units before the reform.
    let mut old_province: BTreeMap<String, UnitId> = BTreeMap::new();
    let mut old_district: BTreeMap<String, UnitId> = BTreeMap::new();
    let mut old_commune: BTreeMap<String, UnitId> = BTreeMap::new();
    let mut district_province: HashMap<UnitId, UnitId> = HashMap::new();
    let mut commune_district: HashMap<UnitId, UnitId> = HashMap::new();
    let file = "communes-pre-2025-07-01.csv";
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(COMMUNES_PRE.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|source| RefDataError::Csv { file, source })?;
        let field = |n: usize| rec.get(n).unwrap_or("").trim();
        let (pname, pcode, dname, dcode, cname, ccode) =
            (field(0), field(1), field(2), field(3), field(4), field(5));
        if pcode.is_empty() || dcode.is_empty() {
            return Err(RefDataError::Row {
                file,
                record: i + 2,
                message: "missing code".into(),
            });
        }
        let p = *old_province
            .entry(pcode.to_string())
            .or_insert_with(|| b.add(pcode, pname, OrgKind::Province, old_validity));
        let d = *old_district
            .entry(dcode.to_string())
            .or_insert_with(|| b.add(dcode, dname, OrgKind::District, old_validity));
        district_province.insert(d, p);
        if ccode.is_empty() {
            continue; // a district without communes (islands)
        }
        if old_commune.contains_key(ccode) {
            return Err(RefDataError::Row {
                file,
                record: i + 2,
                message: format!("commune code {ccode} listed twice"),
            });
        }
        let c = b.add(ccode, cname, OrgKind::Commune, old_validity);
        old_commune.insert(ccode.to_string(), c);
        commune_district.insert(c, d);
    }

    // --- The conversion table.
    let file = "conversion-2025-07-01.csv";
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(CONVERSION.as_bytes());
    let mut conversions: Vec<Conversion> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|source| RefDataError::Csv { file, source })?;
        if i < 2 {
            continue; // two header lines
        }
        let field = |n: usize| rec.get(n).unwrap_or("").trim().to_string();
        let new_code = field(2);
        if new_code.is_empty() {
            continue; // province banner line
        }
        let old_code = Some(field(4)).filter(|c| !c.is_empty());
        conversions.push(Conversion {
            new_code,
            old_code,
            old_name: field(3),
            note: field(5),
            old_district: name_and_code(&field(6)),
            old_province: name_and_code(&field(7)),
        });
    }

    // Old units that the conversion table names but the 2025-01-04 list
    // lacks (changed between the two lists): create them from the table.
    for c in &conversions {
        let Some((pname, pcode)) = &c.old_province else {
            continue;
        };
        if !old_province.contains_key(pcode) {
            let id = b.add(pcode, pname, OrgKind::Province, old_validity);
            old_province.insert(pcode.clone(), id);
            b.warnings.push(format!(
                "province {pcode} ({pname}) is in the conversion table only"
            ));
        }
        if let Some((dname, dcode)) = &c.old_district {
            if !old_district.contains_key(dcode) {
                let id = b.add(dcode, dname, OrgKind::District, old_validity);
                old_district.insert(dcode.clone(), id);
                district_province.insert(id, old_province[pcode]);
                b.warnings.push(format!(
                    "district {dcode} ({dname}) is in the conversion table only"
                ));
            }
        }
        if let Some(code) = &c.old_code {
            if !old_commune.contains_key(code) {
                let id = b.add(code, &c.old_name, OrgKind::Commune, old_validity);
                old_commune.insert(code.clone(), id);
                if let Some((_, dcode)) = &c.old_district {
                    commune_district.insert(id, old_district[dcode]);
                }
                b.warnings.push(format!(
                    "commune {code} ({}) is in the conversion table only",
                    c.old_name
                ));
            }
        }
    }

    // Predecessors of each new commune, and successors of each old unit.
    // A row without an old commune code stands for a whole district turned
    // into a special zone (đặc khu); rows naming no unit are set aside.
    let mut preds: BTreeMap<String, Vec<(UnitId, Transfer, String)>> = BTreeMap::new();
    let mut succ_count: HashMap<UnitId, usize> = HashMap::new();
    for c in conversions {
        let pred = match &c.old_code {
            Some(code) => old_commune[code],
            None => match (&c.old_district, fold(&c.note).contains("huyen")) {
                (Some((_, dcode)), true) => old_district[dcode],
                _ => {
                    b.warnings.push(format!(
                        "new commune {}: '{}' is not an administrative unit; no lineage recorded",
                        c.new_code, c.old_name
                    ));
                    continue;
                }
            },
        };
        *succ_count.entry(pred).or_default() += 1;
        preds
            .entry(c.new_code.clone())
            .or_default()
            .push((pred, transfer(&c.note), c.note));
    }

    // --- Units after the reform.
    let provinces: Vec<NewProvince> = serde_json::from_str(DIVISIONS)?;
    let mut lineage_weights: Vec<(UnitId, UnitId, LineageKind, f64, Option<String>)> = Vec::new();
    let mut new_province_ids: Vec<(UnitId, String, String)> = Vec::new();
    for p in &provinces {
        let pcode = format!("{:02}", p.code);
        // Provisional: whether it continues is decided once communes are known.
        new_province_ids.push((UnitId(0), pcode, p.name.clone()));
    }
    // First create the communes (so that province continuity can be judged).
    let mut commune_parent_code: Vec<(UnitId, String)> = Vec::new();
    for p in &provinces {
        let pcode = format!("{:02}", p.code);
        for w in &p.wards {
            let code = format!("{:05}", w.code);
            let ps = preds.get(&code).map(Vec::as_slice).unwrap_or(&[]);
            let continues = match ps {
                [(pred, Transfer::Whole, _)] => {
                    let old = &b.units[(pred.0 - 1) as usize];
                    succ_count.get(pred) == Some(&1)
                        && old.kind == OrgKind::Commune
                        && old.code.as_str() == code
                        && fold(&old.name) == fold(&w.name)
                }
                _ => false,
            };
            let id = if continues {
                let id = ps[0].0;
                b.set_validity(id, Validity::ALWAYS);
                id
            } else {
                let id = b.add(&code, &w.name, OrgKind::Commune, new_validity);
                for (pred, t, note) in ps {
                    let n = succ_count[pred];
                    let (kind, weight) = match t {
                        Transfer::Whole if n == 1 && ps.len() == 1 => (LineageKind::Rename, 1.0),
                        Transfer::Whole if n == 1 => (LineageKind::Merge, 1.0),
                        Transfer::Whole => (LineageKind::Split, f64::NAN),
                        Transfer::Part => (LineageKind::Split, f64::NAN),
                    };
                    let note = Some(note.clone()).filter(|s| !s.is_empty());
                    lineage_weights.push((*pred, id, kind, weight, note));
                }
                id
            };
            commune_parent_code.push((id, pcode.clone()));
        }
    }
    // Split weights: a predecessor's population goes to the successors
    // marked "toàn bộ dân số" if any, else equally.
    {
        let mut by_pred: HashMap<UnitId, Vec<usize>> = HashMap::new();
        for (i, l) in lineage_weights.iter().enumerate() {
            if l.3.is_nan() {
                by_pred.entry(l.0).or_default().push(i);
            }
        }
        for (_, idxs) in by_pred {
            let flagged: Vec<usize> = idxs
                .iter()
                .copied()
                .filter(|&i| {
                    lineage_weights[i]
                        .4
                        .as_deref()
                        .is_some_and(|n| fold(n).contains("toan bo dan so"))
                })
                .collect();
            let (bearing, n) = if flagged.is_empty() {
                (idxs.clone(), idxs.len())
            } else {
                (flagged.clone(), flagged.len())
            };
            for &i in &idxs {
                lineage_weights[i].3 = if bearing.contains(&i) {
                    1.0 / n as f64
                } else {
                    0.0
                };
            }
        }
    }

    // Province continuity: the same code, fed only by the old province of
    // that code, which feeds nothing else.
    let commune_new_province: HashMap<UnitId, String> =
        commune_parent_code.iter().cloned().collect();
    let mut feeds: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new(); // new prov -> old prov -> weight
    let mut old_prov_code: HashMap<UnitId, String> = HashMap::new();
    for (code, id) in &old_province {
        old_prov_code.insert(*id, code.clone());
    }
    let province_of_old = |unit: UnitId| -> Option<UnitId> {
        match b.units[(unit.0 - 1) as usize].kind {
            OrgKind::Commune => commune_district
                .get(&unit)
                .and_then(|d| district_province.get(d))
                .copied(),
            OrgKind::District => district_province.get(&unit).copied(),
            _ => None,
        }
    };
    let mut edges_to_commune: Vec<(UnitId, UnitId, f64)> =
        lineage_weights.iter().map(|l| (l.0, l.1, l.3)).collect();
    // Continuing communes count as whole transfers to themselves.
    for (id, _) in &commune_parent_code {
        if b.units[(id.0 - 1) as usize].validity == Validity::ALWAYS {
            edges_to_commune.push((*id, *id, 1.0));
        }
    }
    for (pred, succ, w) in &edges_to_commune {
        let Some(op) = province_of_old(*pred) else {
            continue;
        };
        let np = &commune_new_province[succ];
        *feeds
            .entry(np.clone())
            .or_default()
            .entry(old_prov_code[&op].clone())
            .or_default() += w.max(1e-9);
    }
    let mut old_feeds_count: HashMap<String, usize> = HashMap::new();
    for olds in feeds.values() {
        for o in olds.keys() {
            *old_feeds_count.entry(o.clone()).or_default() += 1;
        }
    }
    let mut new_province: HashMap<String, UnitId> = HashMap::new();
    for (slot, pcode, pname) in new_province_ids.iter_mut() {
        let olds = feeds.get(pcode.as_str()).cloned().unwrap_or_default();
        let continues = olds.len() == 1
            && olds.contains_key(pcode.as_str())
            && old_feeds_count.get(pcode.as_str()) == Some(&1);
        let id = if continues {
            let id = old_province[pcode.as_str()];
            b.set_validity(id, Validity::ALWAYS);
            let u = &mut b.units[(id.0 - 1) as usize];
            u.name = nfc(pname.trim());
            id
        } else {
            b.add(pcode, pname, OrgKind::Province, new_validity)
        };
        *slot = id;
        new_province.insert(pcode.clone(), id);
    }
    // Province lineage, weighted by the communes' shares.
    let mut old_totals: HashMap<String, f64> = HashMap::new();
    for olds in feeds.values() {
        for (o, w) in olds {
            *old_totals.entry(o.clone()).or_default() += w;
        }
    }
    for (np, olds) in &feeds {
        let succ = new_province[np];
        for (op, w) in olds {
            let pred = old_province[op];
            if pred == succ {
                continue;
            }
            let weight = w / old_totals[op];
            let kind = if (weight - 1.0).abs() < 1e-9 {
                LineageKind::Merge
            } else {
                LineageKind::Split
            };
            b.lineage.push(LineageLink {
                predecessor: pred,
                successor: succ,
                date: REFORM_DATE,
                kind,
                weight,
                note: None,
            });
        }
    }
    // District lineage: each district's territory lies in the new provinces
    // its communes went to.
    let mut district_feeds: BTreeMap<UnitId, BTreeMap<String, f64>> = BTreeMap::new();
    for (pred, succ, w) in &edges_to_commune {
        let d = match b.units[(pred.0 - 1) as usize].kind {
            OrgKind::Commune => commune_district.get(pred).copied(),
            _ => None,
        };
        if let Some(d) = d {
            *district_feeds
                .entry(d)
                .or_default()
                .entry(commune_new_province[succ].clone())
                .or_default() += w.max(1e-9);
        }
    }
    for (d, provs) in district_feeds {
        let total: f64 = provs.values().sum();
        for (np, w) in provs {
            b.lineage.push(LineageLink {
                predecessor: d,
                successor: new_province[&np],
                date: REFORM_DATE,
                kind: LineageKind::LevelAbolished,
                weight: w / total,
                note: None,
            });
        }
    }
    for (pred, succ, kind, weight, note) in lineage_weights {
        b.lineage.push(LineageLink {
            predecessor: pred,
            successor: succ,
            date: REFORM_DATE,
            kind,
            weight,
            note,
        });
    }

    // --- Parent links.
    for (_, &p) in old_province.iter() {
        let v = b.units[(p.0 - 1) as usize].validity;
        b.link(p, country, v);
    }
    for &p in new_province.values() {
        if b.units[(p.0 - 1) as usize].validity != Validity::ALWAYS {
            b.link(p, country, new_validity);
        }
    }
    for (&d, &p) in &district_province {
        b.link(d, p, old_validity);
    }
    for (&c, &d) in &commune_district {
        b.link(c, d, old_validity);
    }
    for (c, pcode) in &commune_parent_code {
        b.link(*c, new_province[pcode], new_validity);
    }

    for (id, u) in b.units.iter().enumerate() {
        if u.kind == OrgKind::Commune
            && u.validity.to.is_some()
            && !b.lineage.iter().any(|l| l.predecessor.0 == id as i64 + 1)
        {
            b.warnings.push(format!(
                "commune {} ({}) has no successor in the conversion table",
                u.code, u.name
            ));
        }
    }
    b.links.sort_by_key(|l| (l.child, l.validity.from));
    // Check the whole before handing it out.
    let h =
        ytcs_core::hierarchy::Hierarchy::new(b.units.clone(), b.links.clone(), b.lineage.clone())?;
    drop(h);
    Ok(AdminUnits {
        units: b.units,
        links: b.links,
        lineage: b.lineage,
        warnings: b.warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::hierarchy::Hierarchy;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn hierarchy() -> (Hierarchy, AdminUnits) {
        let a = admin_units().unwrap();
        (
            Hierarchy::new(a.units.clone(), a.links.clone(), a.lineage.clone()).unwrap(),
            a,
        )
    }

    fn count(h: &Hierarchy, kind: OrgKind, at: &str) -> usize {
        h.units()
            .iter()
            .filter(|u| u.kind == kind && u.validity.contains(d(at)))
            .count()
    }

    #[test]
    fn counts_match_the_official_lists_on_each_side_of_the_reform() {
        let (h, _) = hierarchy();
        assert_eq!(count(&h, OrgKind::Province, "2025-01-04"), 63);
        assert_eq!(count(&h, OrgKind::District, "2025-01-04"), 696);
        // 10,051 communes listed (the other 5 rows are island districts
        // without communes) + 10 that only the conversion table names.
        assert_eq!(count(&h, OrgKind::Commune, "2025-01-04"), 10_061);
        assert_eq!(count(&h, OrgKind::Province, "2025-07-01"), 34);
        assert_eq!(count(&h, OrgKind::District, "2025-07-01"), 0);
        assert_eq!(count(&h, OrgKind::Commune, "2025-07-01"), 3_321);
    }

    #[test]
    fn kon_ray_district_lies_in_kon_tum_before_the_reform() {
        let (h, _) = hierarchy();
        let u = h
            .unit_at(&OrgCode::parse("614").unwrap(), d("2024-06-01"))
            .unwrap();
        assert_eq!(u.name, "Huyện Kon Rẫy");
        let anc: Vec<&str> = h
            .ancestors(u.id, d("2024-06-01"))
            .iter()
            .map(|u| u.code.as_str())
            .collect();
        assert_eq!(anc, ["62", "VN"]);
    }

    #[test]
    fn dak_rve_after_the_reform_merges_two_old_communes_into_quang_ngai() {
        let (h, _) = hierarchy();
        let u = h
            .unit_at(&OrgCode::parse("23479").unwrap(), d("2025-08-01"))
            .unwrap();
        assert_eq!(u.name, "Xã Đăk Rve");
        assert_eq!(
            h.parent(u.id, d("2025-08-01")).unwrap().name,
            "Tỉnh Quảng Ngãi"
        );
        let mut preds: Vec<String> = h
            .predecessors(u.id)
            .iter()
            .map(|l| h.unit(l.predecessor).unwrap().name.clone())
            .collect();
        preds.sort();
        assert_eq!(preds, ["Thị trấn Đắk Rve", "Xã Đắk Pne"]);
        let old = h
            .unit_at(&OrgCode::parse("23479").unwrap(), d("2025-06-30"))
            .unwrap();
        assert_ne!(old.id, u.id, "a reused code names two units");
    }

    #[test]
    fn kon_tum_province_merged_whole_into_new_quang_ngai() {
        let (h, _) = hierarchy();
        let kt = h
            .unit_at(&OrgCode::parse("62").unwrap(), d("2024-01-01"))
            .unwrap();
        let succ = h.successors(kt.id);
        assert_eq!(succ.len(), 1);
        assert_eq!(h.unit(succ[0].successor).unwrap().name, "Tỉnh Quảng Ngãi");
        assert_eq!(succ[0].weight, 1.0);
        assert!(h
            .unit_at(&OrgCode::parse("62").unwrap(), d("2025-07-01"))
            .is_none());
    }

    #[test]
    fn an_unchanged_province_is_one_unit_across_the_reform() {
        let (h, _) = hierarchy();
        let code = OrgCode::parse("11").unwrap(); // Điện Biên was not merged
        let before = h.unit_at(&code, d("2024-01-01")).unwrap();
        let after = h.unit_at(&code, d("2026-01-01")).unwrap();
        assert_eq!(before.id, after.id);
        // Its own districts, abolished, are its only predecessors.
        assert!(h
            .predecessors(after.id)
            .iter()
            .all(|l| h.unit(l.predecessor).unwrap().kind == OrgKind::District));
    }

    #[test]
    fn every_predecessor_weight_sums_to_one() {
        // Hierarchy::new checks it; this names the behaviour.
        let (h, a) = hierarchy();
        assert!(!h.lineage().is_empty());
        assert!(a.lineage.iter().all(|l| (0.0..=1.0).contains(&l.weight)));
    }
}
