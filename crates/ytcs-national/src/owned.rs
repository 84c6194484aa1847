//! Which unit codes a province owns: the province of today, the
//! provinces merged into it on 1 July 2025, and every unit under one of
//! them at any date (districts and communes before the reform, communes
//! after). A publication naming another code is refused.

use std::collections::{BTreeSet, HashMap, HashSet};

use ytcs_core::org::{OrgKind, UnitId};
use ytcs_refdata::AdminUnits;

use crate::NationalError;

/// The codes `province` owns, and its name.
pub fn owned_codes(
    admin: &AdminUnits,
    province: &str,
) -> Result<(String, BTreeSet<String>), NationalError> {
    let today = admin.units.iter().find(|u| {
        u.kind == OrgKind::Province && u.code.as_str() == province && u.validity.to.is_none()
    });
    let Some(p) = today else {
        return Err(NationalError::UnknownProvince(province.to_string()));
    };
    let mut roots: Vec<UnitId> = vec![p.id];
    roots.extend(
        admin
            .lineage
            .iter()
            .filter(|l| l.successor == p.id)
            .map(|l| l.predecessor),
    );
    let mut children: HashMap<UnitId, Vec<UnitId>> = HashMap::new();
    for l in &admin.links {
        children.entry(l.parent).or_default().push(l.child);
    }
    let mut seen: HashSet<UnitId> = HashSet::new();
    let mut stack = roots;
    while let Some(u) = stack.pop() {
        if seen.insert(u) {
            if let Some(c) = children.get(&u) {
                stack.extend(c.iter().copied());
            }
        }
    }
    let codes = admin
        .units
        .iter()
        .filter(|u| seen.contains(&u.id))
        .map(|u| u.code.as_str().to_string())
        .collect();
    Ok((p.name.clone(), codes))
}

/// The codes of `found` (code → rows) that `owned` lacks, as an error
/// naming the first 20 and counting the rest.
pub fn refuse_foreign(
    what: &str,
    found: &std::collections::BTreeMap<String, u64>,
    owned: &BTreeSet<String>,
    province: &str,
) -> Result<(), NationalError> {
    let foreign: Vec<(&String, &u64)> = found.iter().filter(|(c, _)| !owned.contains(*c)).collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let rows: u64 = foreign.iter().map(|(_, n)| **n).sum();
    let mut shown: Vec<String> = foreign
        .iter()
        .take(20)
        .map(|(c, n)| format!("{c} ({n} rows)"))
        .collect();
    if foreign.len() > 20 {
        shown.push(format!("… and {} more units", foreign.len() - 20));
    }
    Err(NationalError::Refused(format!(
        "{what}: {rows} rows name units that province {province} does not own: {}",
        shown.join(", ")
    )))
}
