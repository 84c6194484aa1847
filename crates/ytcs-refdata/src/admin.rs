use std::collections::{BTreeMap, HashMap};

use ytcs_core::org::{LineageKind, LineageLink, OrgCode, OrgKind, OrgUnit, ParentLink, UnitId};
use ytcs_core::text::{fold, nfc};
use ytcs_core::validity::Validity;
use ytcs_core::Date;

const COMMUNES_PRE: &str = include_str!("../../../data/vn-admin/communes-pre-2025-07-01.csv");
const CONVERSION: &str = include_str!("../../../data/vn-admin/conversion-2025-07-01.csv");
const DIVISIONS: &str = include_str!("../../../data/vn-admin/divisions-2025-07-01.json");
const CORRECTIONS: &str = include_str!("../../../data/vn-admin/corrections-2025-07-01.csv");
const CHANGES_2026: &str = include_str!("../../../data/vn-admin/changes-2026.csv");

/// The day the 2025 reform came into force.
pub const REFORM_DATE: Date = match Date::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The day the first changes of 2026 came into force (Resolution
/// 30/2026/QH16: Đồng Nai a centrally-run city; Resolution 237/NQ-UBTVQH16:
/// ten of its communes made wards). Later changes carry their own dates in
/// `data/vn-admin/changes-2026.csv` (Quảng Ninh 2026-09-01, Bắc Ninh and
/// twelve of its communes 2026-09-20).
pub const REFORM_2026_DATE: Date = match Date::from_ymd_opt(2026, 4, 30) {
    Some(d) => d,
    None => panic!("valid date"),
};

/// The texts [`admin_units_from`] builds from; [`Sources::default`] is the
/// data embedded from `data/vn-admin/`. Tests pass doctored texts.
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    /// The commune list of 2025-01-04 (CSV).
    pub communes_pre: &'a str,
    /// The conversion table of the 2025-07-01 reform (CSV).
    pub conversion: &'a str,
    /// The units after the 2025 reform (JSON).
    pub divisions: &'a str,
    /// How conversion rows are reconciled with the commune list (CSV).
    pub corrections: &'a str,
    /// Later dated changes, each row a unit that ends and its successor (CSV).
    pub changes: &'a str,
}

impl Default for Sources<'static> {
    fn default() -> Self {
        Sources {
            communes_pre: COMMUNES_PRE,
            conversion: CONVERSION,
            divisions: DIVISIONS,
            corrections: CORRECTIONS,
            changes: CHANGES_2026,
        }
    }
}

/// The administrative units of Vietnam with their parent links and lineage,
/// ready to be stored. Ids are assigned from 1 in a stable order.
#[derive(Debug, Clone)]
pub struct AdminUnits {
    /// Every unit (country, provinces, districts, communes).
    pub units: Vec<OrgUnit>,
    /// Dated parent links.
    pub links: Vec<ParentLink>,
    /// Lineage of the 2025 reform and of the later dated changes.
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
    /// A conversion row names an old commune by a code whose commune on the
    /// list has another name (or no commune has the code), and the
    /// corrections file does not resolve the row.
    #[error("conversion-2025-07-01.csv, record {record}: old commune {code} is written \"{written}\" but the 2025-01-04 list has {listed}; add a correction")]
    NameCodeMismatch {
        /// 1-based record number in the conversion table.
        record: usize,
        /// The old code as written.
        code: String,
        /// The old name as written.
        written: String,
        /// What the list holds under that code.
        listed: String,
    },
    /// An old commune ends and nothing succeeds it, so its data would be lost.
    #[error("commune {code} ({name}) ends on {last_day} with no successor")]
    NoSuccessor {
        /// Its code.
        code: String,
        /// Its name.
        name: String,
        /// Its last day.
        last_day: Date,
    },
    /// The lineage weights leaving an old commune do not sum to 1, so its
    /// data would be lost or counted twice.
    #[error("commune {code} ({name}): successor weights sum to {sum}, not 1")]
    SuccessorWeights {
        /// Its code.
        code: String,
        /// Its name.
        name: String,
        /// The sum found.
        sum: f64,
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
    record: usize,
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
    admin_units_from(&Sources::default())
}

/// Builds the administrative units from the given texts, refusing data that
/// breaks the rules of the crate's doc comment.
pub fn admin_units_from(src: &Sources) -> Result<AdminUnits, RefDataError> {
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
        .from_reader(src.communes_pre.as_bytes());
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
        .from_reader(src.conversion.as_bytes());
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
            record: i + 1,
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
    }
    reconcile(&mut conversions, src.corrections, |code| {
        old_commune
            .get(code)
            .map(|id| b.units[(id.0 - 1) as usize].name.clone())
    })?;

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
    let provinces: Vec<NewProvince> = serde_json::from_str(src.divisions)?;
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

    apply_changes(&mut b, src.changes)?;
    check_successors(&b)?;
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

/// Applies the corrections file to the conversion rows: a row whose old code
/// and name disagree with the list is corrected (or accepted) by the line
/// that names its record; a row that disagrees with no such line is refused.
/// Old communes the table forgot get the successor their `missing_row` line
/// gives. `listed` is the name the 2025-01-04 list gives a code.
fn reconcile(
    conversions: &mut Vec<Conversion>,
    corrections: &str,
    listed: impl Fn(&str) -> Option<String>,
) -> Result<(), RefDataError> {
    let file = "corrections-2025-07-01.csv";
    let mut by_record: HashMap<usize, (String, String)> = HashMap::new();
    let mut missing: Vec<Conversion> = Vec::new();
    let mut rdr = csv::Reader::from_reader(corrections.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|source| RefDataError::Csv { file, source })?;
        let field = |n: usize| rec.get(n).unwrap_or("").trim().to_string();
        let bad = |message: String| RefDataError::Row {
            file,
            record: i + 2,
            message,
        };
        let (old_code, fixed) = (field(1), field(4));
        if listed(&fixed).is_none() {
            return Err(bad(format!(
                "corrected code {fixed} is not on the 2025-01-04 list"
            )));
        }
        if field(5) == "missing_row" {
            missing.push(Conversion {
                record: 0,
                new_code: field(6),
                old_code: Some(fixed),
                old_name: field(2),
                note: "Nhập toàn bộ".into(),
                old_district: None,
                old_province: None,
            });
        } else {
            let record = field(0)
                .parse()
                .map_err(|_| bad(format!("record {:?} is not a number", field(0))))?;
            by_record.insert(record, (old_code, fixed));
        }
    }
    for c in conversions.iter_mut() {
        let Some(code) = c.old_code.as_mut() else {
            continue;
        };
        if let Some((written, fixed)) = by_record.remove(&c.record) {
            if written != *code {
                return Err(RefDataError::Row {
                    file,
                    record: c.record,
                    message: format!(
                        "the correction is for old code {written}, the row has {code}"
                    ),
                });
            }
            *code = fixed;
            continue;
        }
        match listed(code) {
            Some(name) if fold(&name) == fold(&c.old_name) => {}
            other => {
                return Err(RefDataError::NameCodeMismatch {
                    record: c.record,
                    code: code.clone(),
                    written: c.old_name.clone(),
                    listed: other.map_or_else(|| "no commune".into(), |n| format!("\"{n}\"")),
                })
            }
        }
    }
    if let Some(record) = by_record.keys().min() {
        return Err(RefDataError::Row {
            file,
            record: *record,
            message: "the correction names no row of the conversion table".into(),
        });
    }
    conversions.extend(missing);
    Ok(())
}

/// Applies later dated changes (one row per unit that ends and a successor
/// it feeds): the unit ends the day before, the successor starts that day
/// with a lineage edge, and parent links crossing the date are re-pointed
/// to the successors.
fn apply_changes(b: &mut Builder, text: &str) -> Result<(), RefDataError> {
    let file = "changes-2026.csv";
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut successors: BTreeMap<Date, HashMap<UnitId, Vec<UnitId>>> = BTreeMap::new();
    let mut created: HashMap<(Date, String), UnitId> = HashMap::new();
    // Rows are taken in date order (file order within a date), so a unit
    // that changes twice is found as the earlier change left it.
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|source| RefDataError::Csv { file, source })?;
        let date: Date =
            rec.get(0)
                .unwrap_or("")
                .trim()
                .parse()
                .map_err(|_| RefDataError::Row {
                    file,
                    record: i + 2,
                    message: format!("{:?} is not a date", rec.get(0).unwrap_or("")),
                })?;
        rows.push((date, i + 2, rec));
    }
    rows.sort_by_key(|(date, record, _)| (*date, *record));
    for (date, record, rec) in rows {
        let field = |n: usize| rec.get(n).unwrap_or("").trim();
        let bad = |message: String| RefDataError::Row {
            file,
            record,
            message,
        };
        let day_before = date.pred_opt().expect("not the first day");
        let kind = match field(1) {
            "province" => OrgKind::Province,
            "commune" => OrgKind::Commune,
            other => return Err(bad(format!("level {other:?} is not province or commune"))),
        };
        let (old_code, old_name, new_code, new_name) = (field(2), field(3), field(4), field(5));
        let old = b
            .units
            .iter()
            .find(|u| {
                u.kind == kind && u.code.as_str() == old_code && u.validity.contains(day_before)
            })
            .ok_or_else(|| bad(format!("no {} {old_code} on {day_before}", field(1))))?;
        if fold(&old.name) != fold(old_name) {
            return Err(bad(format!(
                "{old_code} is \"{}\" on {day_before}, not \"{old_name}\"",
                old.name
            )));
        }
        let (old_id, from) = (old.id, old.validity.from);
        let lineage_kind = match field(6) {
            "rename" => LineageKind::Rename,
            "merge" => LineageKind::Merge,
            "split" => LineageKind::Split,
            other => return Err(bad(format!("kind {other:?} is not rename, merge or split"))),
        };
        let weight: f64 = field(7)
            .parse()
            .map_err(|_| bad(format!("weight {:?} is not a number", field(7))))?;
        let new_id = *created
            .entry((date, new_code.to_string()))
            .or_insert_with(|| b.add(new_code, new_name, kind, Validity::since(date)));
        let ended =
            Validity::new(from, Some(day_before)).expect("the unit is valid the day before");
        b.set_validity(old_id, ended);
        successors
            .entry(date)
            .or_default()
            .entry(old_id)
            .or_default()
            .push(new_id);
        b.lineage.push(LineageLink {
            predecessor: old_id,
            successor: new_id,
            date,
            kind: lineage_kind,
            weight,
            note: Some(field(8).to_string()).filter(|s| !s.is_empty()),
        });
    }
    for (date, succ) in successors {
        let day_before = date.pred_opt().expect("not the first day");
        let mut linked: std::collections::HashSet<UnitId> = std::collections::HashSet::new();
        for i in 0..b.links.len() {
            let l = b.links[i];
            let (child_changed, parent_changed) = (
                succ.get(&l.child),
                succ.get(&l.parent).and_then(|v| v.first()),
            );
            if !l.validity.contains(date) || (child_changed.is_none() && parent_changed.is_none()) {
                continue;
            }
            let later =
                Validity::new(Some(date), l.validity.to).expect("the link holds on the date");
            b.links[i].validity = Validity::new(l.validity.from, Some(day_before))
                .expect("the link holds the day before");
            let parent = parent_changed.copied().unwrap_or(l.parent);
            let children = child_changed.cloned().unwrap_or_else(|| vec![l.child]);
            for child in children {
                if linked.insert(child) {
                    b.link(child, parent, later);
                }
            }
        }
    }
    Ok(())
}

/// Every old commune that ends must hand all of its data on: successors
/// whose weights sum to 1.
fn check_successors(b: &Builder) -> Result<(), RefDataError> {
    let mut sums: HashMap<UnitId, f64> = HashMap::new();
    for l in &b.lineage {
        *sums.entry(l.predecessor).or_default() += l.weight;
    }
    for u in &b.units {
        let (OrgKind::Commune, Some(last_day)) = (u.kind, u.validity.to) else {
            continue;
        };
        match sums.get(&u.id) {
            None => {
                return Err(RefDataError::NoSuccessor {
                    code: u.code.to_string(),
                    name: u.name.clone(),
                    last_day,
                })
            }
            Some(sum) if (sum - 1.0).abs() > 1e-6 => {
                return Err(RefDataError::SuccessorWeights {
                    code: u.code.to_string(),
                    name: u.name.clone(),
                    sum: *sum,
                })
            }
            Some(_) => {}
        }
    }
    Ok(())
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

    /// A country of three communes: A and B merge into An, C continues.
    const TINY_PRE: &str = "Tỉnh,Mã TP,Huyện,Mã QH,Xã,Mã PX,Cấp,EN
Tỉnh P,01,Huyện H,001,Xã A,00001,Xã,
Tỉnh P,01,Huyện H,001,Xã B,00004,Xã,
Tỉnh P,01,Huyện H,001,Xã C,00007,Xã,
";
    const TINY_HEAD: &str = "Mới,,,Cũ,,,,,
Tỉnh,Tên Xã mới,Mã Xã mới,Tên Xã cũ,Mã Xã cũ,Ghi chú,Quận/huyện,Tỉnh cũ,
";
    const ROW_A: &str =
        "Tỉnh P (01),Xã An,00001,Xã A,00001,Nhập toàn bộ,Huyện H (001),Tỉnh P (01)\n";
    const ROW_B: &str =
        "Tỉnh P (01),Xã An,00001,Xã B,00004,Nhập toàn bộ,Huyện H (001),Tỉnh P (01)\n";
    const ROW_C: &str = "Tỉnh P (01),Xã C,00007,Xã C,00007,Giữ nguyên,Huyện H (001),Tỉnh P (01)\n";
    const TINY_DIVISIONS: &str = r#"[{"name": "Tỉnh P", "code": 1, "wards": [
        {"name": "Xã An", "code": 1}, {"name": "Xã C", "code": 7}]}]"#;
    const CORRECTIONS_HEAD: &str =
        "record,old_code,old_name,district,corrected_code,kind,new_code,new_name,source\n";
    const CHANGES_HEAD: &str =
        "date,level,old_code,old_name,new_code,new_name,kind,weight,source\n";

    fn tiny(
        conversion: &str,
        corrections: &str,
        changes: &str,
    ) -> Result<AdminUnits, RefDataError> {
        let conversion = format!("{TINY_HEAD}{conversion}");
        admin_units_from(&Sources {
            communes_pre: TINY_PRE,
            conversion: &conversion,
            divisions: TINY_DIVISIONS,
            corrections: &format!("{CORRECTIONS_HEAD}{corrections}"),
            changes: &format!("{CHANGES_HEAD}{changes}"),
        })
    }

    #[test]
    fn small_inputs_that_keep_the_rules_load() {
        let a = tiny(&format!("{ROW_A}{ROW_B}{ROW_C}"), "", "").unwrap();
        assert_eq!(
            a.units
                .iter()
                .filter(|u| u.kind == OrgKind::Commune)
                .count(),
            4
        );
    }

    #[test]
    fn an_old_commune_without_successor_is_refused() {
        let err = tiny(&format!("{ROW_A}{ROW_C}"), "", "").unwrap_err();
        assert!(
            matches!(&err, RefDataError::NoSuccessor { code, .. } if code == "00004"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_row_line_gives_the_forgotten_commune_its_successor() {
        let line = ",00004,Xã B,Huyện H (001),00004,missing_row,00001,Xã An,test\n";
        let a = tiny(&format!("{ROW_A}{ROW_C}"), line, "").unwrap();
        let b = a.units.iter().find(|u| u.code.as_str() == "00004").unwrap();
        let out: f64 = a
            .lineage
            .iter()
            .filter(|l| l.predecessor == b.id)
            .map(|l| l.weight)
            .sum();
        assert_eq!(out, 1.0);
    }

    #[test]
    fn a_row_whose_code_names_another_commune_is_refused_without_a_correction() {
        // Record 4: "Xã B" written with C's code.
        let wrong = ROW_B.replace("Xã B,00004", "Xã B,00007");
        let err = tiny(&format!("{ROW_A}{wrong}{ROW_C}"), "", "").unwrap_err();
        assert!(
            matches!(&err, RefDataError::NameCodeMismatch { record: 4, code, .. } if code == "00007"),
            "{err}"
        );
        assert!(err.to_string().contains("\"Xã C\""), "{err}");
        // The correction sends the row to the commune of that name.
        let line = "4,00007,Xã B,Huyện H (001),00004,wrong_code,00001,Xã An,test\n";
        let a = tiny(&format!("{ROW_A}{wrong}{ROW_C}"), line, "").unwrap();
        let b = a.units.iter().find(|u| u.code.as_str() == "00004").unwrap();
        assert!(a.lineage.iter().any(|l| l.predecessor == b.id));
    }

    #[test]
    fn a_later_change_whose_weights_do_not_sum_to_one_is_refused() {
        let rows = format!("{ROW_A}{ROW_B}{ROW_C}");
        let change = "2026-04-30,commune,00007,Xã C,00007,Phường C,split,0.5,test\n";
        let err = tiny(&rows, "", change).unwrap_err();
        assert!(
            matches!(&err, RefDataError::SuccessorWeights { code, .. } if code == "00007"),
            "{err}"
        );
        let whole = change.replace("split,0.5", "rename,1");
        let a = tiny(&rows, "", &whole).unwrap();
        let h = Hierarchy::new(a.units, a.links, a.lineage).unwrap();
        let c = h
            .unit_at(&OrgCode::parse("00007").unwrap(), d("2026-05-01"))
            .unwrap();
        assert_eq!(c.name, "Phường C");
        assert_eq!(h.parent(c.id, d("2026-05-01")).unwrap().name, "Tỉnh P");
        let old = h
            .unit_at(&OrgCode::parse("00007").unwrap(), d("2026-04-29"))
            .unwrap();
        assert_eq!(old.name, "Xã C");
    }

    #[test]
    fn later_changes_on_several_dates_apply_in_date_order() {
        // Written out of order: C changes twice, the province once between.
        let changes = "2026-09-20,commune,00007,Phường C,00007,Phường C Mới,rename,1,test
2026-04-30,commune,00007,Xã C,00007,Phường C,rename,1,test
2026-09-01,province,01,Tỉnh P,01,Thành phố P,rename,1,test
";
        let a = tiny(&format!("{ROW_A}{ROW_B}{ROW_C}"), "", changes).unwrap();
        let h = Hierarchy::new(a.units, a.links, a.lineage).unwrap();
        let at = |code: &str, day: &str| {
            let u = h.unit_at(&OrgCode::parse(code).unwrap(), d(day)).unwrap();
            let parent = h.parent(u.id, d(day)).unwrap().name.clone();
            (u.id, u.name.clone(), parent)
        };
        let (c1, n1, p1) = at("00007", "2026-05-01");
        assert_eq!((n1.as_str(), p1.as_str()), ("Phường C", "Tỉnh P"));
        let (c2, n2, p2) = at("00007", "2026-09-01");
        assert_eq!((n2.as_str(), p2.as_str()), ("Phường C", "Thành phố P"));
        assert_eq!(c1, c2, "the province's change leaves its communes alone");
        let (c3, n3, p3) = at("00007", "2026-09-20");
        assert_eq!((n3.as_str(), p3.as_str()), ("Phường C Mới", "Thành phố P"));
        assert_ne!(c2, c3);
        let (_, _, pa) = at("00001", "2026-12-01");
        assert_eq!(pa, "Thành phố P");
        assert_eq!(at("00001", "2026-08-31").2, "Tỉnh P");
        // The twice-renamed commune hands its data on down the chain.
        let old = at("00007", "2026-04-29").0;
        assert_eq!(h.successors(old)[0].successor, c1);
        assert_eq!(h.successors(c1)[0].successor, c3);
    }

    #[test]
    fn counts_match_the_official_lists_on_each_side_of_the_reform() {
        let (h, _) = hierarchy();
        assert_eq!(count(&h, OrgKind::Province, "2025-01-04"), 63);
        assert_eq!(count(&h, OrgKind::District, "2025-01-04"), 696);
        // 10,051 communes listed (the other 5 rows are island districts
        // without communes); the conversion table's codes that the list
        // lacks are corrected to listed communes.
        assert_eq!(count(&h, OrgKind::Commune, "2025-01-04"), 10_051);
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
