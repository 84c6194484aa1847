//! FHIR R4 mCSD (IHE Mobile Care Services Discovery) bundles: every unit
//! and facility as an Organization + Location pair, `partOf` following the
//! hierarchy as it stood on the chosen date, stable identifiers.
//!
//! Identifiers: a unit is `urn:ytcs:org-unit|CODE@FROM` (code plus first
//! day, since codes are reused; `-` when the start is unknown); a facility
//! is `urn:ytcs:facility|CODE`. Resource ids derive from them, so exporting
//! twice gives the same ids.

use serde_json::{json, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{FacilityKind, NetworkData};
use ytcs_core::org::{OrgKind, OrgUnit, UnitId};
use ytcs_core::Date;

/// Identifier system of org units.
pub const UNIT_SYSTEM: &str = "urn:ytcs:org-unit";
/// Identifier system of facilities.
pub const FACILITY_SYSTEM: &str = "urn:ytcs:facility";

fn unit_key(u: &OrgUnit) -> String {
    format!(
        "{}@{}",
        u.code,
        u.validity.from.map_or("-".to_string(), |d| d.to_string())
    )
}

fn unit_id(u: &OrgUnit) -> String {
    format!(
        "ou-{}-{}",
        u.code.as_str().replace('_', "-"),
        u.validity
            .from
            .map_or("0".to_string(), |d| d.format("%Y%m%d").to_string())
    )
}

#[allow(clippy::too_many_arguments)]
fn pair(
    id: &str,
    system: &str,
    value: &str,
    name: &str,
    org_type: &str,
    physical: &str,
    parent: Option<&str>,
    active: bool,
) -> [Value; 2] {
    let mut org = json!({
        "resourceType": "Organization",
        "id": format!("org-{id}"),
        "meta": {"profile": ["https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.Organization"]},
        "identifier": [{"system": system, "value": value}],
        "active": active,
        "type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": org_type}]}],
        "name": name,
    });
    let mut loc = json!({
        "resourceType": "Location",
        "id": format!("loc-{id}"),
        "meta": {"profile": ["https://profiles.ihe.net/ITI/mCSD/StructureDefinition/IHE.mCSD.Location"]},
        "identifier": [{"system": system, "value": value}],
        "status": if active { "active" } else { "inactive" },
        "name": name,
        "mode": "instance",
        "physicalType": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/location-physical-type", "code": physical}]},
        "managingOrganization": {"reference": format!("Organization/org-{id}")},
    });
    if let Some(p) = parent {
        org["partOf"] = json!({"reference": format!("Organization/org-{p}")});
        loc["partOf"] = json!({"reference": format!("Location/loc-{p}")});
    }
    [org, loc]
}

/// An mCSD bundle of `root` and everything under it on `at` (units,
/// villages, facilities attached on that day).
pub fn bundle(h: &Hierarchy, data: &NetworkData, root: UnitId, at: Date) -> Value {
    let mut entries = Vec::new();
    let mut stack: Vec<(UnitId, Option<String>)> = vec![(root, None)];
    let mut seen = std::collections::HashSet::new();
    while let Some((id, parent)) = stack.pop() {
        let Some(u) = h.unit(id) else { continue };
        if !seen.insert(id) {
            continue;
        }
        let rid = unit_id(u);
        let physical = match u.kind {
            OrgKind::Village | OrgKind::Commune => "area",
            _ => "jdn",
        };
        entries.extend(pair(
            &rid,
            UNIT_SYSTEM,
            &unit_key(u),
            &u.name,
            "govt",
            physical,
            parent.as_deref(),
            true,
        ));
        for c in h.children(id, at).into_iter().rev() {
            stack.push((c.id, Some(rid.clone())));
        }
        for a in data
            .attachments
            .iter()
            .filter(|a| a.unit == id && a.validity.contains(at))
        {
            let Some(f) = data
                .facilities
                .iter()
                .find(|f| f.code == a.facility && f.validity.contains(at))
            else {
                continue;
            };
            let fid = format!("fac-{}", f.code.as_str().replace('_', "-"));
            // Every facility is a healthcare provider ("prov") in mCSD terms;
            // the kind goes into the name's context, not the type.
            let org_type = "prov";
            let _: FacilityKind = f.kind;
            entries.extend(pair(
                &fid,
                FACILITY_SYSTEM,
                f.code.as_str(),
                &f.name,
                org_type,
                "bu",
                Some(&rid),
                f.status != ytcs_core::network::FacilityStatus::Closed,
            ));
        }
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": format!("{at}T00:00:00+07:00"),
        "entry": entries.into_iter().map(|r| {
            let url = format!("{}/{}", r["resourceType"].as_str().unwrap_or(""), r["id"].as_str().unwrap_or(""));
            json!({"fullUrl": url, "resource": r})
        }).collect::<Vec<_>>(),
    })
}
