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

#[cfg(test)]
mod tests {
    use super::*;

    fn admin() -> AdminUnits {
        ytcs_refdata::admin_units().unwrap()
    }

    #[test]
    fn a_province_owns_the_units_of_the_provinces_merged_into_it() {
        let a = admin();
        let (name, owned) = owned_codes(&a, "51").unwrap();
        assert_eq!(name, "Tỉnh Quảng Ngãi");
        // Kon Tum (62) merged into Quảng Ngãi on 1 July 2025: its old
        // province, district (Kon Rẫy, 614) and communes are 51's.
        for code in ["51", "62", "614"] {
            assert!(owned.contains(code), "{code}");
        }
        let (_, hanoi) = owned_codes(&a, "01").unwrap();
        assert!(!hanoi.contains("614"));
        assert!(!owned.contains("01"));
        assert!(owned.is_disjoint(&hanoi));
    }

    #[test]
    fn a_province_merged_away_is_not_a_province_of_today() {
        let a = admin();
        assert!(matches!(
            owned_codes(&a, "62"),
            Err(NationalError::UnknownProvince(_))
        ));
        assert!(matches!(
            owned_codes(&a, "99"),
            Err(NationalError::UnknownProvince(_))
        ));
    }

    #[test]
    fn foreign_units_are_named_twenty_at_most_and_counted() {
        let owned: BTreeSet<String> = ["1".to_string()].into();
        let found: std::collections::BTreeMap<String, u64> =
            (0..25).map(|i| (format!("x{i:02}"), 2)).collect();
        let e = refuse_foreign("values", &found, &owned, "51")
            .unwrap_err()
            .to_string();
        assert!(e.contains("50 rows name units"), "{e}");
        assert!(
            e.contains("x19 (2 rows)") && !e.contains("x20 (2 rows)"),
            "{e}"
        );
        assert!(e.contains("… and 5 more units"), "{e}");
    }
}
