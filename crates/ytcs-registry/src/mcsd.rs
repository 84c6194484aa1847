//! FHIR R4 mCSD (IHE Mobile Care Services Discovery) bundles: every unit
//! and facility as an Organization + Location pair, `partOf` following the
//! hierarchy as it stood on the chosen date, stable identifiers.
//!
//! Identifiers: a unit is `urn:ytcs:org-unit|CODE@FROM` (code plus first
//! day, since codes are reused; `-` when the start is unknown); a facility
//! is `urn:ytcs:facility|CODE`. Resource ids derive from them, so exporting
//! twice gives the same ids.
//!
//! Each Organization's `type` also carries the unit's kind (system
//! [`UNIT_KIND_SYSTEM`]) or the facility's kind ([`FACILITY_KIND_SYSTEM`]),
//! so [`import`] can rebuild what it does not find stored.

use serde_json::{json, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{FacilityKind, NetworkData};
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::Date;

/// Identifier system of org units.
pub const UNIT_SYSTEM: &str = "urn:ytcs:org-unit";
/// Identifier system of facilities.
pub const FACILITY_SYSTEM: &str = "urn:ytcs:facility";
/// Code system of unit kinds (`commune`, `village` …) in `Organization.type`.
pub const UNIT_KIND_SYSTEM: &str = "urn:ytcs:org-kind";
/// Code system of facility kinds (`commune_station` …) in `Organization.type`.
pub const FACILITY_KIND_SYSTEM: &str = "urn:ytcs:facility-kind";

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
    kind: (&str, &str),
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
        "type": [{"coding": [
            {"system": "http://terminology.hl7.org/CodeSystem/organization-type", "code": org_type},
            {"system": kind.0, "code": kind.1},
        ]}],
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
            (UNIT_KIND_SYSTEM, u.kind.as_str()),
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
            entries.extend(pair(
                &fid,
                FACILITY_SYSTEM,
                f.code.as_str(),
                &f.name,
                org_type,
                (FACILITY_KIND_SYSTEM, f.kind.as_str()),
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

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct McsdImport {
    /// Units of the bundle found stored (same code and first day).
    pub units_found: usize,
    /// Units created (villages, say) under stored parents.
    pub units_added: usize,
    /// Facilities created, each attached to its `partOf` unit.
    pub facilities_added: usize,
}

/// One Organization of a bundle, read and checked.
struct OrgEntry {
    /// `Organization/{id}`, for messages.
    name_ref: String,
    id: String,
    system: String,
    value: String,
    name: String,
    kind: Option<String>,
    parent: Option<String>,
    active: bool,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut v = v;
    for p in path {
        v = v.get(p)?;
    }
    v.as_str()
}

/// The `(system, value)` identifiers of a resource in `systems`.
fn our_identifier(r: &Value) -> Option<(String, String)> {
    r.get("identifier")?.as_array()?.iter().find_map(|i| {
        let system = i.get("system")?.as_str()?;
        let value = i.get("value")?.as_str()?.trim();
        ((system == UNIT_SYSTEM || system == FACILITY_SYSTEM) && !value.is_empty())
            .then(|| (system.to_string(), value.to_string()))
    })
}

fn kind_code(r: &Value, system: &str) -> Option<String> {
    r.get("type")?.as_array()?.iter().find_map(|t| {
        t.get("coding")?.as_array()?.iter().find_map(|c| {
            (c.get("system")?.as_str()? == system)
                .then(|| c.get("code")?.as_str().map(String::from))?
        })
    })
}

/// Reads the Organization + Location pairs of a bundle, naming every
/// resource that breaks a rule.
fn read_entries(bundle: &Value) -> Result<Vec<OrgEntry>, Vec<String>> {
    let mut errs = Vec::new();
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(vec![
            "the file is not a FHIR Bundle (resourceType must be \"Bundle\")".into(),
        ]);
    }
    let Some(entries) = bundle.get("entry").and_then(Value::as_array) else {
        return Err(vec!["the Bundle has no entry array".into()]);
    };
    let mut orgs = Vec::new();
    let mut locations: std::collections::HashMap<(String, String), String> = Default::default();
    for (i, e) in entries.iter().enumerate() {
        let r = e.get("resource").unwrap_or(&Value::Null);
        let rtype = r.get("resourceType").and_then(Value::as_str).unwrap_or("");
        let id = r
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        let name_ref = if id.is_empty() {
            format!("entry {} ({rtype})", i + 1)
        } else {
            format!("{rtype}/{id}")
        };
        if rtype != "Organization" && rtype != "Location" {
            continue;
        }
        if id.is_empty() {
            errs.push(format!("{name_ref}: missing id"));
            continue;
        }
        let Some((system, value)) = our_identifier(r) else {
            errs.push(format!(
                "{name_ref}: missing identifier (system {UNIT_SYSTEM} or {FACILITY_SYSTEM})"
            ));
            continue;
        };
        if rtype == "Location" {
            let org = str_at(r, &["managingOrganization", "reference"]).unwrap_or("");
            locations.insert((system, value), org.to_string());
            continue;
        }
        let name = r
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        if name.is_empty() {
            errs.push(format!("{name_ref}: missing name"));
        }
        let parent = match str_at(r, &["partOf", "reference"]) {
            None => None,
            Some(p) => match p.strip_prefix("Organization/") {
                Some(pid) if !pid.is_empty() => Some(pid.to_string()),
                _ => {
                    errs.push(format!(
                        "{name_ref}: partOf '{p}' is not an Organization reference"
                    ));
                    None
                }
            },
        };
        let kind_system = if system == UNIT_SYSTEM {
            UNIT_KIND_SYSTEM
        } else {
            FACILITY_KIND_SYSTEM
        };
        orgs.push(OrgEntry {
            kind: kind_code(r, kind_system),
            active: r.get("active").and_then(Value::as_bool).unwrap_or(true),
            name_ref,
            id,
            system,
            value,
            name,
            parent,
        });
    }
    let ids: std::collections::HashMap<&str, &OrgEntry> =
        orgs.iter().map(|o| (o.id.as_str(), o)).collect();
    if ids.len() != orgs.len() {
        errs.push("two Organizations share an id".into());
    }
    for o in &orgs {
        match locations.get(&(o.system.clone(), o.value.clone())) {
            None => errs.push(format!(
                "{}: no Location with identifier {}|{} (mCSD pairs each Organization with a Location)",
                o.name_ref, o.system, o.value
            )),
            Some(m) if !m.is_empty() && *m != format!("Organization/{}", o.id) => errs.push(format!(
                "{}: its Location is managed by {m}, not by this Organization",
                o.name_ref
            )),
            Some(_) => {}
        }
        if let Some(p) = &o.parent {
            match ids.get(p.as_str()) {
                None => errs.push(format!(
                    "{}: partOf Organization/{p} is not in the bundle",
                    o.name_ref
                )),
                Some(q) if q.system == FACILITY_SYSTEM => errs.push(format!(
                    "{}: partOf Organization/{p} is a facility, not an administrative unit",
                    o.name_ref
                )),
                Some(_) => {}
            }
        } else if o.system == FACILITY_SYSTEM {
            errs.push(format!(
                "{}: a facility needs partOf (the unit it is attached to)",
                o.name_ref
            ));
        }
    }
    if errs.is_empty() {
        Ok(orgs)
    } else {
        Err(errs)
    }
}

/// Reads `CODE@FROM` (`-` for an unknown first day).
fn parse_unit_key(v: &str) -> Result<(OrgCode, Option<Date>), String> {
    let (code, from) = v.rsplit_once('@').ok_or("expected CODE@YYYY-MM-DD")?;
    let code = OrgCode::parse(code).map_err(|e| e.to_string())?;
    let from = match from {
        "-" => None,
        d => Some(
            d.parse::<Date>()
                .map_err(|_| format!("bad first day '{d}'"))?,
        ),
    };
    Ok((code, from))
}

/// Imports an mCSD bundle: units found stored (same code and first day)
/// are matched, units missing are created under their `partOf` parent
/// (which must be stored), facilities are created and attached to their
/// `partOf` unit from the day that unit begins. `at` is the day the
/// hierarchy of the bundle describes (default: the bundle's timestamp).
///
/// Everything is checked before anything is written; on any error nothing
/// is written and each problem names its resource.
pub async fn import(
    store: &dyn ytcs_store::Store,
    bundle: &Value,
    at: Option<Date>,
) -> Result<McsdImport, crate::RegistryError> {
    use crate::RegistryError;
    use ytcs_core::network::{Attachment, Facility, FacilityStatus};
    use ytcs_core::validity::Validity;
    use ytcs_store::network::NewUnit;

    let orgs = read_entries(bundle).map_err(RegistryError::Rows)?;
    let at = match at.or_else(|| {
        str_at(bundle, &["timestamp"])
            .and_then(|t| t.get(..10))
            .and_then(|d| d.parse().ok())
    }) {
        Some(d) => d,
        None => {
            return Err(RegistryError::Rows(vec![
                "the Bundle has no timestamp: give the date of its hierarchy".into(),
            ]))
        }
    };
    let h = store.hierarchy().await?;
    let stored = store.network().await?;
    let mut errs = Vec::new();
    // Units: stored ones by id, new ones to add.
    let mut found: std::collections::HashMap<&str, &OrgUnit> = Default::default();
    let mut new_units = Vec::new();
    let mut new_ids = Vec::new();
    for o in orgs.iter().filter(|o| o.system == UNIT_SYSTEM) {
        let (code, from) = match parse_unit_key(&o.value) {
            Ok(x) => x,
            Err(e) => {
                errs.push(format!("{}: identifier {}: {e}", o.name_ref, o.value));
                continue;
            }
        };
        if let Some(u) = h
            .units_with_code(&code)
            .into_iter()
            .find(|u| u.validity.from == from)
        {
            if !u.validity.contains(at) {
                errs.push(format!(
                    "{}: unit {} is stored but not valid on {at}, the bundle's date",
                    o.name_ref, o.value
                ));
            }
            found.insert(o.id.as_str(), u);
            continue;
        }
        new_ids.push(o.id.as_str());
        new_units.push((o, code, from));
    }
    let mut adds = Vec::new();
    for (o, code, from) in &new_units {
        let Some(kind) = o
            .kind
            .as_deref()
            .and_then(|k| OrgKind::ALL.into_iter().find(|x| x.as_str() == k))
        else {
            errs.push(format!(
                "{}: unit {code} is not stored and has no kind ({UNIT_KIND_SYSTEM}) to create it",
                o.name_ref
            ));
            continue;
        };
        let parent = o.parent.as_deref().and_then(|p| found.get(p));
        let Some(parent) = parent else {
            let why = match &o.parent {
                None => "it has no partOf".to_string(),
                Some(p) => {
                    format!("its parent Organization/{p} is not stored yet (import that first)")
                }
            };
            errs.push(format!("{}: cannot create unit {code}: {why}", o.name_ref));
            continue;
        };
        let start = match (*from, parent.validity.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        adds.push(NewUnit {
            code: code.clone(),
            name: o.name.clone(),
            kind,
            validity: Validity {
                from: *from,
                to: None,
            },
            parents: vec![(
                parent.id,
                Validity {
                    from: start,
                    to: parent.validity.to,
                },
            )],
        });
    }
    // Facilities: attached to a stored unit or one created here.
    let mut batch = NetworkData::default();
    let mut pending = Vec::new();
    for o in orgs.iter().filter(|o| o.system == FACILITY_SYSTEM) {
        let code = match OrgCode::parse(&o.value) {
            Ok(c) => c,
            Err(e) => {
                errs.push(format!("{}: facility code {}: {e}", o.name_ref, o.value));
                continue;
            }
        };
        let Some(kind) = o
            .kind
            .as_deref()
            .and_then(|k| k.parse::<FacilityKind>().ok())
        else {
            errs.push(format!(
                "{}: facility {code} has no kind ({FACILITY_KIND_SYSTEM})",
                o.name_ref
            ));
            continue;
        };
        let status = if o.active {
            FacilityStatus::Active
        } else {
            FacilityStatus::Closed
        };
        batch.facilities.push(Facility {
            code: code.clone(),
            name: o.name.clone(),
            kind,
            beds: 0,
            status,
            services_share: None,
            validity: Validity::ALWAYS,
        });
        let parent = o.parent.clone().unwrap_or_default();
        pending.push((code, parent));
    }
    if !errs.is_empty() {
        return Err(RegistryError::Rows(errs));
    }
    // Check the facilities against what is stored before any write; units
    // created here count as existing.
    let placeholder = UnitId(-1);
    let mut check = stored.clone();
    let mut trial = batch.clone();
    for (code, parent) in &pending {
        let unit = found.get(parent.as_str()).map_or(placeholder, |u| u.id);
        trial.attachments.push(Attachment {
            facility: code.clone(),
            unit,
            validity: Validity::ALWAYS,
        });
    }
    check.extend(trial);
    let ids: std::collections::HashSet<UnitId> = h.units().iter().map(|u| u.id).collect();
    let problems = check.validate(&|u| u == placeholder || ids.contains(&u));
    if !problems.is_empty() {
        return Err(RegistryError::Rows(
            problems.iter().map(|e| e.to_string()).collect(),
        ));
    }
    let added = if adds.is_empty() {
        Vec::new()
    } else {
        store.add_units(&adds).await?
    };
    let created: std::collections::HashMap<&str, &OrgUnit> =
        new_ids.iter().copied().zip(added.iter()).collect();
    for (code, parent) in pending {
        let Some(u) = found
            .get(parent.as_str())
            .or_else(|| created.get(parent.as_str()))
        else {
            continue;
        };
        // Attached for as long as the unit exists: the bundle says no more.
        batch.attachments.push(Attachment {
            facility: code,
            unit: u.id,
            validity: u.validity,
        });
    }
    let facilities_added = batch.facilities.len();
    if facilities_added > 0 {
        store.add_network(&batch).await?;
    }
    Ok(McsdImport {
        units_found: found.len(),
        units_added: added.len(),
        facilities_added,
    })
}
