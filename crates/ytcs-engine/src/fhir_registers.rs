//! The station's registers as FHIR R4: a person (or every person living in
//! a commune) exported as a `collection` Bundle, and a Bundle of the same
//! shapes imported as one all-or-nothing register batch.
//!
//! **What is exchanged.** `Patient` (identifiers: the ytcs person id
//! `urn:ytcs:person`, the citizen identity number `https://cccd.gov.vn`, and
//! each health-insurance card `urn:vn:bhyt` with its validity as the
//! identifier's `period` — no `Coverage`; name as `text`, `family` = the
//! first word, `given` = the others; gender; birthDate; deceasedDateTime;
//! one home address). `Immunization` (completed, vaccine in `urn:ytcs:vaccine`
//! with the Vietnamese display, dose in `protocolApplied`). `Observation`
//! (vital signs: LOINC 29463-7 body weight in kg, 8302-2 body height or
//! 8306-3 body length measured lying, in cm; NCD follow-ups: 85354-9 blood
//! pressure panel with 8480-6 systolic and 8462-4 diastolic in mm\[Hg\], 1558-6
//! fasting glucose in mmol/L). `Condition` (NCD enrolment: ICD-10 I10
//! hypertension, E11 diabetes, onsetDateTime). `Encounter` (examination:
//! finished, class AMB, period.start, reasonCode in ICD-10, insurance as the
//! extension `urn:ytcs:insured`). Pregnancies, births, checks of the elderly,
//! households, moves and history are not exchanged yet.
//!
//! **Decisions.**
//! - *References.* Every exported entry has a `urn:uuid:` fullUrl derived
//!   from its kind and ytcs id (so an export is deterministic), and every
//!   reference points at a fullUrl inside the bundle. An import resolves a
//!   reference by fullUrl, by `Patient/<id>` of a Patient of the bundle, or
//!   by `Patient/<ytcs id>` of a stored person (events added to someone
//!   already registered).
//! - *A Patient of an imported bundle is a new person unless it is one
//!   already stored* ([`resolve_stored`]): a stored person with the same
//!   citizen identity number, or with the same name (folded), sex, birth
//!   date and commune. So importing the same bundle twice creates nobody
//!   the second time: its events are added to the stored person, except
//!   those already recorded (same kind, facts and day), and cards already
//!   held are not added again. The `urn:ytcs:person` identifier names a
//!   person of the system that wrote the bundle and is not matched by
//!   itself (another ytcs numbers its persons its own way). A citizen
//!   identity number registered to somebody else is refused.
//! - *Where a person lives.* The commune is the code in the address
//!   extension `urn:ytcs:commune` (`valueCode`, the unit carrying it today,
//!   else on the registration day); without it, the commune the caller
//!   gives (`--commune` on the command line); without both the Patient is
//!   refused. The village is `address[0].line[0]`.
//! - *ytcs fields without a FHIR home* are extensions of the Patient:
//!   `urn:ytcs:ethnicity` (valueString, required on import — the register
//!   needs it and it is not guessed), `urn:ytcs:registered-on` (valueDate;
//!   default the day of import), `urn:ytcs:ehr-opened-on` (valueDate),
//!   `urn:ytcs:death-cause` (valueCode, ICD-10). An Observation may carry
//!   `urn:ytcs:measured-lying` (valueBoolean) and `urn:ytcs:ncd` (valueCode
//!   `hypertension`/`diabetes`: which follow-up; default hypertension for
//!   blood pressure, diabetes for glucose). Every event resource carries
//!   `urn:ytcs:unit` (valueCode: the unit that recorded it; default the
//!   person's commune).
//! - *Grouping.* Weight and height Observations of one person on one day
//!   are one measurement; blood pressure and glucose of one person, day and
//!   disease one follow-up.
//!
//! **Errors** name the entry and the field (`entry[3] Immunization.patient:
//! reference urn:uuid:… is not in the bundle and not a stored person`), in
//! English (`Display`) and Vietnamese ([`EntryError::vi`]); every problem of
//! the bundle is reported, not just the first. The import goes through
//! [`crate::registers::save`], so the core's checks apply too (future
//! birth, card format, dose order …) and nothing is half-saved; their
//! record names are mapped back to bundle entries.
//!
//! [`commune_export`] names the commune by its code on a day and takes the
//! persons of the communes it holds (`derive::held_communes`);
//! [`parse_detailed`] remembers which entry each record came from, so
//! errors name `entry[3] Patient.birthDate`. The binary's `fhir_cmd.rs` is
//! `ytcs fhir`; the web's `api::fhir` holds the three API routes.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use chrono::Datelike;
use serde::Serialize;
use serde_json::{json, Map, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::register::derive::{held_communes, place};
use ytcs_core::register::epi::VACCINES;
use ytcs_core::register::{Death, Event, EventKind, InsuranceCard, Ncd, Person};
use ytcs_core::Date;
use ytcs_store::registers::{IdMap, PersonQuery, PersonRecord, RegisterBatch};
use ytcs_store::{Store, StoreError};

use crate::registers::SaveError;

/// ytcs person ids.
pub const PERSON_SYSTEM: &str = "urn:ytcs:person";
/// Citizen identity numbers (căn cước).
pub const CCCD_SYSTEM: &str = "https://cccd.gov.vn";
/// Health-insurance card numbers (thẻ BHYT).
pub const BHYT_SYSTEM: &str = "urn:vn:bhyt";
/// The EPI vaccine codes of `ytcs_core::register::epi::VACCINES`.
pub const VACCINE_SYSTEM: &str = "urn:ytcs:vaccine";
/// ICD-10.
pub const ICD10_SYSTEM: &str = "http://hl7.org/fhir/sid/icd-10";
/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// Address extension: the commune's code.
pub const EXT_COMMUNE: &str = "urn:ytcs:commune";
/// Patient extension: the ethnic group.
pub const EXT_ETHNICITY: &str = "urn:ytcs:ethnicity";
/// Patient extension: the day the person entered the register.
pub const EXT_REGISTERED: &str = "urn:ytcs:registered-on";
/// Patient extension: the day the health record was opened.
pub const EXT_EHR: &str = "urn:ytcs:ehr-opened-on";
/// Patient extension: the underlying cause of death (ICD-10).
pub const EXT_DEATH_CAUSE: &str = "urn:ytcs:death-cause";
/// Event extension: the unit that recorded it.
pub const EXT_UNIT: &str = "urn:ytcs:unit";
/// Encounter extension: paid by health insurance.
pub const EXT_INSURED: &str = "urn:ytcs:insured";
/// Observation extension: length measured lying down.
pub const EXT_LYING: &str = "urn:ytcs:measured-lying";
/// Observation extension: which NCD a follow-up is of.
pub const EXT_NCD: &str = "urn:ytcs:ncd";

const WEIGHT: &str = "29463-7";
const HEIGHT: &str = "8302-2";
const LENGTH: &str = "8306-3";
const BP_PANEL: &str = "85354-9";
const SYSTOLIC: &str = "8480-6";
const DIASTOLIC: &str = "8462-4";
const GLUCOSE: &str = "1558-6";

// ---------------------------------------------------------------- export

/// A deterministic `urn:uuid:` for a resource of a kind (1 Patient, 2
/// Immunization, 3 Observation, 4 Condition, 5 Encounter), an id and a
/// part (several Observations of one event).
fn uuid(kind: u32, id: i64, part: u16) -> String {
    format!(
        "urn:uuid:{kind:08x}-{part:04x}-4000-8000-{:012x}",
        (id as u64) & 0xffff_ffff_ffff
    )
}

fn ext(url: &str, key: &str, v: Value) -> Value {
    let mut m = Map::new();
    m.insert("url".into(), json!(url));
    m.insert(key.into(), v);
    Value::Object(m)
}

fn unit_code(h: &Hierarchy, u: UnitId) -> String {
    h.unit(u).map(|x| x.code.to_string()).unwrap_or_default()
}

fn patient(h: &Hierarchy, r: &PersonRecord) -> Value {
    let p = &r.person;
    let mut ids = vec![json!({"system": PERSON_SYSTEM, "value": p.id.to_string()})];
    if let Some(n) = &p.national_id {
        ids.push(json!({"system": CCCD_SYSTEM, "value": n}));
    }
    for c in &r.cards {
        ids.push(json!({"system": BHYT_SYSTEM, "value": c.number,
            "period": {"start": c.valid_from.to_string(), "end": c.valid_to.to_string()}}));
    }
    let mut words = p.full_name.split_whitespace();
    let family = words.next().unwrap_or_default();
    let given: Vec<&str> = words.collect();
    let commune = h.unit(p.commune);
    let mut address = json!({
        "use": "home",
        "extension": [ext(EXT_COMMUNE, "valueCode", json!(unit_code(h, p.commune)))],
        "line": [p.village],
        "city": commune.map(|u| u.name.clone()).unwrap_or_default(),
        "country": "VN",
    });
    if let Some(prov) = commune
        .and_then(|u| {
            h.ancestors(
                u.id,
                // Its last day when it ended, else a day it is valid on.
                u.validity.to.unwrap_or_else(|| {
                    u.validity
                        .from
                        .map_or(p.registered_on, |f| f.max(p.registered_on))
                }),
            )
            .into_iter()
            .find(|a| a.kind == OrgKind::Province)
        })
        .map(|u| u.name.clone())
    {
        address["state"] = json!(prov);
    }
    let mut exts = vec![
        ext(EXT_ETHNICITY, "valueString", json!(p.ethnicity)),
        ext(
            EXT_REGISTERED,
            "valueDate",
            json!(p.registered_on.to_string()),
        ),
    ];
    if let Some(d) = p.ehr_opened_on {
        exts.push(ext(EXT_EHR, "valueDate", json!(d.to_string())));
    }
    if let Some(c) = p.death.as_ref().and_then(|d| d.cause.as_ref()) {
        exts.push(ext(EXT_DEATH_CAUSE, "valueCode", json!(c)));
    }
    let mut out = json!({
        "resourceType": "Patient",
        "id": format!("person-{}", p.id),
        "extension": exts,
        "identifier": ids,
        "name": [{"use": "official", "text": p.full_name, "family": family, "given": given}],
        "gender": p.sex.as_str(),
        "birthDate": p.birth_date.to_string(),
        "address": [address],
    });
    if let Some(d) = &p.death {
        out["deceasedDateTime"] = json!(d.date.to_string());
    }
    out
}

fn quantity(v: f64, unit: &str, code: &str) -> Value {
    json!({"value": v, "unit": unit, "system": UCUM, "code": code})
}

fn loinc(code: &str, display: &str) -> Value {
    json!({"coding": [{"system": LOINC, "code": code, "display": display}], "text": display})
}

fn vital_signs() -> Value {
    json!([{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs", "display": "Vital Signs"}]}])
}

fn laboratory() -> Value {
    json!([{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory", "display": "Laboratory"}]}])
}

/// The resources (fullUrl, resource) of one event; none for kinds not
/// exchanged.
fn event_resources(h: &Hierarchy, e: &Event, subject: &str) -> Vec<(String, Value)> {
    let subject = json!({"reference": subject});
    let unit = ext(EXT_UNIT, "valueCode", json!(unit_code(h, e.unit)));
    let date = e.date.to_string();
    let obs = |part: u16, suffix: &str, code: Value, category: Value, extra: Vec<Value>| {
        let mut exts = vec![unit.clone()];
        exts.extend(extra);
        (
            uuid(3, e.id, part),
            json!({
                "resourceType": "Observation",
                "id": format!("event-{}-{suffix}", e.id),
                "extension": exts,
                "status": "final",
                "category": category,
                "code": code,
                "subject": subject,
                "effectiveDateTime": date,
            }),
        )
    };
    match &e.kind {
        EventKind::Immunization { vaccine, dose } => {
            let display = VACCINES
                .iter()
                .find(|v| v.code == vaccine)
                .map(|v| v.name_vi)
                .unwrap_or(vaccine.as_str());
            vec![(
                uuid(2, e.id, 0),
                json!({
                    "resourceType": "Immunization",
                    "id": format!("event-{}", e.id),
                    "extension": [unit],
                    "status": "completed",
                    "vaccineCode": {"coding": [{"system": VACCINE_SYSTEM, "code": vaccine, "display": display}], "text": display},
                    "patient": subject,
                    "occurrenceDateTime": date,
                    "primarySource": true,
                    "protocolApplied": [{"doseNumberPositiveInt": dose}],
                }),
            )]
        }
        EventKind::Measurement {
            weight_kg,
            height_cm,
            lying,
        } => {
            let lying_ext = || vec![ext(EXT_LYING, "valueBoolean", json!(lying))];
            let mut out = vec![];
            if let Some(w) = weight_kg {
                let (u, mut r) = obs(
                    1,
                    "weight",
                    loinc(WEIGHT, "Body weight"),
                    vital_signs(),
                    lying_ext(),
                );
                r["valueQuantity"] = quantity(*w, "kg", "kg");
                out.push((u, r));
            }
            if let Some(x) = height_cm {
                let code = if *lying {
                    loinc(LENGTH, "Body height --lying")
                } else {
                    loinc(HEIGHT, "Body height")
                };
                let (u, mut r) = obs(2, "height", code, vital_signs(), lying_ext());
                r["valueQuantity"] = quantity(*x, "cm", "cm");
                out.push((u, r));
            }
            out
        }
        EventKind::NcdFollowUp {
            ncd,
            systolic,
            diastolic,
            glucose,
        } => {
            let ncd_ext = || vec![ext(EXT_NCD, "valueCode", json!(ncd.as_str()))];
            let mut out = vec![];
            if systolic.is_some() || diastolic.is_some() {
                let (u, mut r) = obs(
                    3,
                    "bp",
                    loinc(BP_PANEL, "Blood pressure panel with all children optional"),
                    vital_signs(),
                    ncd_ext(),
                );
                let mut comps = vec![];
                for (code, display, v) in [
                    (SYSTOLIC, "Systolic blood pressure", systolic),
                    (DIASTOLIC, "Diastolic blood pressure", diastolic),
                ] {
                    if let Some(v) = v {
                        comps.push(json!({"code": loinc(code, display), "valueQuantity": quantity(*v, "mmHg", "mm[Hg]")}));
                    }
                }
                r["component"] = json!(comps);
                out.push((u, r));
            }
            if let Some(g) = glucose {
                let (u, mut r) = obs(
                    4,
                    "glucose",
                    loinc(GLUCOSE, "Fasting glucose [Moles/volume] in Serum or Plasma"),
                    laboratory(),
                    ncd_ext(),
                );
                r["valueQuantity"] = quantity(*g, "mmol/L", "mmol/L");
                out.push((u, r));
            }
            out
        }
        EventKind::NcdEnrolment { ncd } => {
            let code = match ncd {
                Ncd::Hypertension => "I10",
                Ncd::Diabetes => "E11",
            };
            vec![(
                uuid(4, e.id, 0),
                json!({
                    "resourceType": "Condition",
                    "id": format!("event-{}", e.id),
                    "extension": [unit],
                    "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
                    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item"}]}],
                    "code": {"coding": [{"system": ICD10_SYSTEM, "code": code, "display": ncd.name_vi()}], "text": ncd.name_vi()},
                    "subject": subject,
                    "onsetDateTime": date,
                    "recordedDate": date,
                }),
            )]
        }
        EventKind::Examination { icd10, insured } => vec![(
            uuid(5, e.id, 0),
            json!({
                "resourceType": "Encounter",
                "id": format!("event-{}", e.id),
                "extension": [unit, ext(EXT_INSURED, "valueBoolean", json!(insured))],
                "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB", "display": "ambulatory"},
                "subject": subject,
                "period": {"start": date},
                "reasonCode": [{"coding": [{"system": ICD10_SYSTEM, "code": icd10}]}],
            }),
        )],
        _ => vec![],
    }
}

/// A `collection` Bundle of the records: a Patient per person, then the
/// resources of their events (see the module doc for the shapes).
pub fn person_bundle(records: &[PersonRecord], h: &Hierarchy) -> Value {
    let mut entries = vec![];
    for r in records {
        let pu = uuid(1, r.person.id, 0);
        entries.push(json!({"fullUrl": pu, "resource": patient(h, r)}));
        for e in &r.events {
            for (u, res) in event_resources(h, e, &pu) {
                entries.push(json!({"fullUrl": u, "resource": res}));
            }
        }
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    })
}

/// A commune to export, named by its code on a day: the unit, the
/// communes whose persons it holds on that day (itself and those merged
/// into it, [`held_communes`]), and, for a unit that has ended since, the
/// commune that holds it today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneExport {
    /// The unit the code named on the day.
    pub unit: UnitId,
    /// The day it was resolved on.
    pub on: Date,
    /// The communes whose persons are exported.
    pub communes: Vec<UnitId>,
    /// The commune holding it today, when that is another unit.
    pub held_by: Option<UnitId>,
}

impl CommuneExport {
    /// One line naming what was resolved (`21037 Xã Nghĩa Dõng on
    /// 2025-01-01, with …; today part of 21034 Xã An Phú`).
    pub fn describe(&self, h: &Hierarchy) -> String {
        let named = |u: UnitId| {
            h.unit(u)
                .map(|x| format!("{} {}", x.code, x.name))
                .unwrap_or_default()
        };
        let mut s = format!("{} on {}", named(self.unit), self.on);
        let former: Vec<String> = self
            .communes
            .iter()
            .filter(|c| **c != self.unit)
            .map(|c| named(*c))
            .collect();
        if !former.is_empty() {
            s += &format!(", with the communes merged into it: {}", former.join(", "));
        }
        if let Some(x) = self.held_by {
            s += &format!("; today part of {}", named(x));
        }
        s
    }
}

/// Why a commune code names nothing to export, in English and Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{en}")]
pub struct CommuneError {
    /// In English.
    pub en: String,
    /// In Vietnamese.
    pub vi: String,
}

/// Resolves a commune's code on `at` (default `today`). A code that no
/// commune carries today but one did before the reform is refused with
/// the day to ask for and the commune that holds it today.
pub fn commune_export(
    h: &Hierarchy,
    code: &str,
    at: Option<Date>,
    today: Date,
) -> Result<CommuneExport, CommuneError> {
    let err = |en: String, vi: String| CommuneError { en, vi };
    let on = at.unwrap_or(today);
    let c = OrgCode::parse(code.trim()).map_err(|e| {
        err(
            format!("'{code}' is not a unit code: {e}"),
            format!("'{code}' không phải mã đơn vị"),
        )
    })?;
    let Some(u) = h.unit_at(&c, on) else {
        // The latest commune that carried the code, to say what to ask.
        let before = h
            .units_with_code(&c)
            .into_iter()
            .filter(|u| u.kind == OrgKind::Commune && u.validity.to.is_some_and(|t| t < on))
            .max_by_key(|u| u.validity.to);
        return Err(match before {
            Some(old) => {
                let last = old.validity.to.unwrap_or(on);
                let holder = place(h, old.id, today)
                    .and_then(|x| h.unit(x))
                    .map(|x| format!("{} {}", x.code, x.name))
                    .unwrap_or_default();
                err(
                    format!("no commune carries the code {c} on {on}; {c} was {} until {last}, today part of {holder}: ask with a date on which it existed (--at {last}) or for the commune of today", old.name),
                    format!("không có xã mang mã {c} vào ngày {}; {c} là {} đến ngày {}, nay thuộc {holder}: hỏi kèm một ngày xã còn tồn tại (--at {last}) hoặc hỏi xã hiện nay", on.format("%d/%m/%Y"), old.name, last.format("%d/%m/%Y")),
                )
            }
            None => err(
                format!("no commune carries the code {c} on {on}"),
                format!("không có xã mang mã {c} vào ngày {}", on.format("%d/%m/%Y")),
            ),
        });
    };
    if u.kind != OrgKind::Commune {
        return Err(err(
            format!("{c} is {}, not a commune", u.name),
            format!("{c} là {}, không phải xã", u.name),
        ));
    }
    Ok(CommuneExport {
        unit: u.id,
        on,
        communes: held_communes(h, &BTreeSet::from([u.id]), on),
        held_by: place(h, u.id, today).filter(|x| *x != u.id),
    })
}

/// The records of every person whose commune is one of `communes` (where
/// they live now, as recorded: a commune merged in the reform stays the
/// person's commune), by id.
pub async fn commune_records(
    store: &dyn Store,
    communes: &[UnitId],
) -> Result<Vec<PersonRecord>, StoreError> {
    let r = store.registers(Some(communes)).await?;
    let wanted: BTreeSet<UnitId> = communes.iter().copied().collect();
    let mut out: Vec<PersonRecord> = r
        .persons
        .into_iter()
        .filter(|p| wanted.contains(&p.commune))
        .map(|person| PersonRecord {
            household: None,
            moves: r
                .moves
                .iter()
                .filter(|m| m.person == person.id)
                .cloned()
                .collect(),
            cards: r
                .cards
                .iter()
                .filter(|c| c.person == person.id)
                .cloned()
                .collect(),
            history: vec![],
            events: r
                .events
                .iter()
                .filter(|e| e.person == person.id)
                .cloned()
                .collect(),
            person,
        })
        .collect();
    out.sort_by_key(|r| r.person.id);
    for r in &mut out {
        r.events.sort_by_key(|e| (e.date, e.id));
        r.cards.sort_by_key(|c| (c.valid_from, c.id));
    }
    Ok(out)
}

// ---------------------------------------------------------------- import

/// One problem of a bundle: which entry (0-based, as `entry[i]`), which
/// field, what is wrong in English and in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryError {
    /// The entry (`None`: the bundle itself).
    pub entry: Option<usize>,
    /// The field (`Immunization.patient`, `Patient.birthDate`, `Bundle.type`).
    pub field: String,
    /// In English.
    pub message: String,
    /// In Vietnamese.
    pub message_vi: String,
}

impl EntryError {
    fn new(
        entry: Option<usize>,
        field: impl Into<String>,
        en: impl Into<String>,
        vi: impl Into<String>,
    ) -> Self {
        EntryError {
            entry,
            field: field.into(),
            message: en.into(),
            message_vi: vi.into(),
        }
    }

    /// The problem in Vietnamese, with its place.
    pub fn vi(&self) -> String {
        match self.entry {
            Some(i) => format!("mục entry[{i}] {}: {}", self.field, self.message_vi),
            None => format!("{}: {}", self.field, self.message_vi),
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.entry {
            Some(i) => write!(f, "entry[{i}] {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Why a bundle was not imported. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum FhirError {
    /// The bundle's entries are wrong (every problem found).
    #[error("the bundle was refused, nothing was saved: {}", join(.0))]
    Invalid(Vec<EntryError>),
    /// The save was refused for another reason (a locked period).
    #[error(transparent)]
    Refused(SaveError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn join(errors: &[EntryError]) -> String {
    errors
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl FhirError {
    /// The problems, one per line (English).
    pub fn errors(&self) -> Vec<EntryError> {
        match self {
            FhirError::Invalid(v) => v.clone(),
            other => vec![EntryError::new(
                None,
                "Bundle",
                other.to_string(),
                other.vi(),
            )],
        }
    }

    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            FhirError::Invalid(v) => format!(
                "Gói dữ liệu bị từ chối, chưa lưu gì: {}",
                v.iter().map(EntryError::vi).collect::<Vec<_>>().join("; ")
            ),
            FhirError::Refused(e) => e.vi(),
            FhirError::Store(e) => format!("Lỗi cơ sở dữ liệu: {e}"),
        }
    }
}

/// A parsed bundle: the batch and where each record came from.
#[derive(Debug, Clone, Default)]
pub struct ParsedBundle {
    /// The records, with negative placeholder ids.
    pub batch: RegisterBatch,
    /// Placeholder or stored person id of each record name the save may
    /// use (`person -1`, `event -4`, `card -2`, `person 17`) → (entry,
    /// resource type).
    pub origin: HashMap<String, (usize, &'static str)>,
    /// Stored persons referenced (`Patient/<id>`): id → (entry, field,
    /// reference as written).
    pub stored_refs: BTreeMap<i64, (usize, String, String)>,
    /// Events whose unit is their stored person's commune (to fill in).
    pub unit_from_person: Vec<usize>,
    /// Where the stored persons referenced live (filled by
    /// [`resolve_stored`]).
    pub stored_communes: BTreeMap<i64, UnitId>,
    /// The new persons: (fullUrl, placeholder id).
    pub patients: Vec<(String, i64)>,
}

struct Ctx<'a> {
    h: &'a Hierarchy,
    today: Date,
    default_commune: Option<UnitId>,
    /// The first [`MAX_ERRORS`] problems.
    errors: Vec<EntryError>,
    /// How many problems in all.
    error_count: usize,
    next_id: i64,
}

/// The most entries a bundle may hold: a commune's register fits many
/// times over, a million `null`s (6 MB) does not.
pub const MAX_ENTRIES: usize = 200_000;
/// The problems reported one by one; the rest are counted.
pub const MAX_ERRORS: usize = 20;

/// The first [`MAX_ERRORS`] problems and, when there were more, one line
/// that counts the rest.
fn capped(mut errors: Vec<EntryError>, total: usize) -> Vec<EntryError> {
    errors.truncate(MAX_ERRORS);
    if total > errors.len() {
        let more = total - errors.len();
        errors.push(EntryError::new(
            None,
            "Bundle",
            format!("… and {more} more problem(s)"),
            format!("… và {more} lỗi khác"),
        ));
    }
    errors
}

impl Ctx<'_> {
    fn err(&mut self, i: usize, field: String, en: String, vi: String) {
        self.error_count += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(EntryError::new(Some(i), field, en, vi));
        }
    }
    fn id(&mut self) -> i64 {
        self.next_id -= 1;
        self.next_id
    }
}

/// Reads a FHIR date or dateTime (`2024-05-01`, `2024-05-01T08:00:00+07:00`)
/// as its civil day.
fn fhir_date(v: &Value) -> Option<Date> {
    let s = v.as_str()?;
    let day = s.get(..10)?;
    if s.len() > 10 && !s[10..].starts_with('T') {
        return None;
    }
    day.parse().ok()
}

fn extension<'a>(res: &'a Value, url: &str) -> Option<&'a Value> {
    res.get("extension")?
        .as_array()?
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(url))
}

fn ext_str<'a>(res: &'a Value, url: &str, key: &str) -> Option<&'a str> {
    extension(res, url)?.get(key)?.as_str()
}

fn codings(concept: Option<&Value>) -> Vec<(&str, &str)> {
    concept
        .and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| {
                    Some((
                        c.get("system").and_then(Value::as_str).unwrap_or(""),
                        c.get("code")?.as_str()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A quantity's value in the unit expected (UCUM code or unit text).
fn quantity_in(q: Option<&Value>, units: &[&str]) -> Result<f64, String> {
    let Some(q) = q.filter(|q| q.is_object()) else {
        return Err("no valueQuantity".into());
    };
    let v = q
        .get("value")
        .and_then(Value::as_f64)
        .ok_or("valueQuantity.value is not a number")?;
    let unit = q
        .get("code")
        .or_else(|| q.get("unit"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !units.contains(&unit) {
        return Err(format!(
            "unit '{unit}' is not accepted, expected {}",
            units.join(" or ")
        ));
    }
    Ok(v)
}

fn resolve_unit(h: &Hierarchy, code: &str, days: &[Date]) -> Option<UnitId> {
    let code = OrgCode::parse(code).ok()?;
    days.iter()
        .find_map(|d| h.unit_at(&code, *d))
        .filter(|u| u.kind == OrgKind::Commune)
        .map(|u| u.id)
}

/// Where a reference points: a new person (placeholder) or a stored one.
enum Subject {
    New(i64),
    Stored(i64),
}

/// Pending grouped observation events, by (subject, day, group).
#[derive(Default)]
struct Pending {
    entry: usize,
    subject_new: bool,
    person: i64,
    date: Date,
    unit: Option<UnitId>,
    weight: Option<f64>,
    height: Option<f64>,
    lying: bool,
    systolic: Option<f64>,
    diastolic: Option<f64>,
    glucose: Option<f64>,
    ncd: Option<Ncd>,
}

/// Parses a bundle (see the module doc) into a register batch with
/// placeholder ids; `default_commune` is where Patients without a commune
/// code live. Every problem is reported.
pub fn parse_bundle(
    json: &str,
    h: &Hierarchy,
    today: Date,
    default_commune: Option<UnitId>,
) -> Result<RegisterBatch, FhirError> {
    parse_detailed(json, h, today, default_commune).map(|p| p.batch)
}

/// [`parse_bundle`], keeping where each record came from.
pub fn parse_detailed(
    json: &str,
    h: &Hierarchy,
    today: Date,
    default_commune: Option<UnitId>,
) -> Result<ParsedBundle, FhirError> {
    let bad = |field: &str, en: String, vi: String| {
        FhirError::Invalid(vec![EntryError::new(None, field, en, vi)])
    };
    let v: Value = serde_json::from_str(json).map_err(|e| {
        bad(
            "Bundle",
            format!("not JSON: {e}"),
            format!("không phải JSON: {e}"),
        )
    })?;
    if v.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(bad(
            "Bundle.resourceType",
            "expected a FHIR Bundle (resourceType \"Bundle\")".into(),
            "cần một FHIR Bundle (resourceType \"Bundle\")".into(),
        ));
    }
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    if !["transaction", "batch", "collection"].contains(&ty) {
        return Err(bad(
            "Bundle.type",
            format!("'{ty}' is not accepted: use transaction, batch or collection"),
            format!(
                "loại gói '{ty}' không được chấp nhận: dùng transaction, batch hoặc collection"
            ),
        ));
    }
    let entries: &[Value] = match v.get("entry") {
        Some(Value::Array(a)) if a.len() > MAX_ENTRIES => {
            return Err(bad(
                "Bundle.entry",
                format!(
                    "the bundle has {} entries, more than {MAX_ENTRIES}: send it in parts",
                    a.len()
                ),
                format!(
                    "gói có {} mục, quá {MAX_ENTRIES} mục: hãy gửi thành nhiều phần",
                    a.len()
                ),
            ))
        }
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => {
            return Err(bad(
                "Bundle.entry",
                "the bundle has no entries".into(),
                "gói không có mục nào".into(),
            ))
        }
    };
    let mut cx = Ctx {
        h,
        today,
        default_commune,
        errors: vec![],
        error_count: 0,
        next_id: 0,
    };
    let mut out = ParsedBundle::default();
    // Pass 1: Patients, and every fullUrl.
    let mut by_url: HashMap<String, i64> = HashMap::new();
    let mut by_id: HashMap<String, i64> = HashMap::new();
    let mut urls: HashMap<String, usize> = HashMap::new();
    let mut persons: HashMap<i64, UnitId> = HashMap::new();
    let mut failed: BTreeSet<String> = BTreeSet::new();
    for (i, e) in entries.iter().enumerate() {
        let url = e.get("fullUrl").and_then(Value::as_str);
        if let Some(u) = url {
            if let Some(first) = urls.insert(u.to_string(), i) {
                cx.err(
                    i,
                    "fullUrl".into(),
                    format!("{u} is also the fullUrl of entry[{first}]"),
                    format!("{u} trùng fullUrl với mục entry[{first}]"),
                );
            }
        }
        let res = e.get("resource");
        let rt = res
            .and_then(|r| r.get("resourceType"))
            .and_then(Value::as_str);
        if rt != Some("Patient") {
            continue;
        }
        let res = res.unwrap_or(&Value::Null);
        let Some(p) = patient_of(&mut cx, i, res) else {
            // Its own errors are reported; references to it are not.
            failed.extend(url.map(str::to_string));
            failed.extend(
                res.get("id")
                    .and_then(Value::as_str)
                    .map(|id| format!("Patient/{id}")),
            );
            continue;
        };
        persons.insert(p.0.id, p.0.commune);
        if let Some(u) = url {
            by_url.insert(u.to_string(), p.0.id);
        }
        if let Some(id) = res.get("id").and_then(Value::as_str) {
            by_id.insert(id.to_string(), p.0.id);
        }
        out.origin
            .insert(format!("person {}", p.0.id), (i, "Patient"));
        for c in &p.1 {
            out.origin.insert(format!("card {}", c.id), (i, "Patient"));
        }
        out.patients
            .push((url.unwrap_or_default().to_string(), p.0.id));
        out.batch.persons.push(p.0);
        out.batch.cards.extend(p.1);
    }
    // Pass 2: events.
    let mut groups: Vec<((i64, Date, &'static str), Pending)> = vec![];
    for (i, e) in entries.iter().enumerate() {
        let Some(res) = e.get("resource").filter(|r| r.is_object()) else {
            cx.err(
                i,
                "resource".into(),
                "the entry has no resource".into(),
                "mục không có resource".into(),
            );
            continue;
        };
        let rt = res
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("");
        let subject_field = match rt {
            "Patient" => continue,
            "Immunization" => "patient",
            "Observation" | "Condition" | "Encounter" => "subject",
            other => {
                cx.err(
                    i,
                    format!("{}.resourceType", if other.is_empty() { "resource" } else { other }),
                    format!("resource type '{other}' is not supported: use Patient, Immunization, Observation, Condition or Encounter"),
                    format!("loại tài nguyên '{other}' không được hỗ trợ: dùng Patient, Immunization, Observation, Condition hoặc Encounter"),
                );
                continue;
            }
        };
        let field = format!("{rt}.{subject_field}");
        let reference = res
            .get(subject_field)
            .and_then(|s| s.get("reference"))
            .and_then(Value::as_str);
        let subject = match reference {
            None => {
                cx.err(
                    i,
                    field.clone(),
                    "a reference to the Patient is required".into(),
                    "cần tham chiếu tới Patient".into(),
                );
                None
            }
            Some(r) => {
                if let Some(id) = by_url.get(r) {
                    Some(Subject::New(*id))
                } else if let Some(id) = r.strip_prefix("Patient/").and_then(|x| by_id.get(x)) {
                    Some(Subject::New(*id))
                } else if let Some(id) = r
                    .strip_prefix("Patient/")
                    .and_then(|x| x.parse::<i64>().ok())
                    .filter(|id| *id > 0)
                {
                    out.stored_refs
                        .entry(id)
                        .or_insert((i, field.clone(), r.to_string()));
                    out.origin
                        .entry(format!("person {id}"))
                        .or_insert((i, "Patient"));
                    Some(Subject::Stored(id))
                } else if failed.contains(r) {
                    None
                } else if urls.contains_key(r) {
                    cx.err(
                        i,
                        field.clone(),
                        format!(
                            "reference {r} is an entry of the bundle that is not a valid Patient"
                        ),
                        format!("tham chiếu {r} trỏ tới một mục của gói không phải Patient hợp lệ"),
                    );
                    None
                } else {
                    cx.err(
                        i,
                        field.clone(),
                        format!("reference {r} is not in the bundle and not a stored person"),
                        format!("tham chiếu {r} không có trong gói và không phải người đã có trong hồ sơ"),
                    );
                    None
                }
            }
        };
        let date_field = match rt {
            "Immunization" => "occurrenceDateTime",
            "Observation" => "effectiveDateTime",
            "Condition" => "onsetDateTime",
            _ => "period",
        };
        let date_value = if rt == "Encounter" {
            res.get("period").and_then(|p| p.get("start"))
        } else {
            res.get(date_field)
        };
        let date_field = if rt == "Encounter" {
            "period.start"
        } else {
            date_field
        };
        let date = match date_value {
            None => {
                cx.err(
                    i,
                    format!("{rt}.{date_field}"),
                    "a date is required".into(),
                    "cần ngày".into(),
                );
                None
            }
            Some(d) => match fhir_date(d) {
                Some(d) => Some(d),
                None => {
                    cx.err(
                        i,
                        format!("{rt}.{date_field}"),
                        format!("{d} is not a date (YYYY-MM-DD or a FHIR dateTime)"),
                        format!("{d} không phải ngày (YYYY-MM-DD hoặc dateTime của FHIR)"),
                    );
                    None
                }
            },
        };
        let unit = match ext_str(res, EXT_UNIT, "valueCode") {
            None => None,
            Some(code) => {
                let days: Vec<Date> = date.into_iter().chain([today]).collect();
                match OrgCode::parse(code)
                    .ok()
                    .and_then(|c| days.iter().find_map(|d| h.unit_at(&c, *d)).map(|u| u.id))
                {
                    Some(u) => Some(u),
                    None => {
                        cx.err(
                            i,
                            format!("{rt}.extension[{EXT_UNIT}]"),
                            format!("no unit carries the code '{code}'"),
                            format!("không có đơn vị mang mã '{code}'"),
                        );
                        None
                    }
                }
            }
        };
        let kind = event_kind(&mut cx, i, rt, res);
        let (Some(subject), Some(date), Some(kind)) = (subject, date, kind) else {
            continue;
        };
        let (person, new) = match subject {
            Subject::New(id) => (id, true),
            Subject::Stored(id) => (id, false),
        };
        match kind {
            Parsed::Event(kind) => {
                let id = cx.id();
                let unit = unit.or(if new {
                    persons.get(&person).copied()
                } else {
                    None
                });
                if unit.is_none() {
                    out.unit_from_person.push(out.batch.events.len());
                }
                out.origin.insert(format!("event {id}"), (i, rt_static(rt)));
                out.batch.events.push(Event {
                    id,
                    person,
                    date,
                    unit: unit.unwrap_or(UnitId(0)),
                    kind,
                    flags: vec![],
                });
            }
            Parsed::Obs(o) => {
                let group = if o.ncd.is_some()
                    || o.systolic.is_some()
                    || o.diastolic.is_some()
                    || o.glucose.is_some()
                {
                    match o.ncd {
                        Some(Ncd::Diabetes) => "diabetes",
                        Some(Ncd::Hypertension) => "hypertension",
                        None if o.glucose.is_some() => "diabetes",
                        None => "hypertension",
                    }
                } else {
                    "measurement"
                };
                let key = (person, date, group);
                let slot = match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, p)) => p,
                    None => {
                        groups.push((
                            key,
                            Pending {
                                entry: i,
                                subject_new: new,
                                person,
                                date,
                                ..Pending::default()
                            },
                        ));
                        &mut groups.last_mut().expect("just pushed").1
                    }
                };
                slot.unit = slot.unit.or(unit);
                slot.weight = slot.weight.or(o.weight);
                slot.height = slot.height.or(o.height);
                slot.lying |= o.lying;
                slot.systolic = slot.systolic.or(o.systolic);
                slot.diastolic = slot.diastolic.or(o.diastolic);
                slot.glucose = slot.glucose.or(o.glucose);
                slot.ncd = slot.ncd.or(o.ncd);
                if slot.ncd.is_none() && group != "measurement" {
                    slot.ncd = Some(if group == "diabetes" {
                        Ncd::Diabetes
                    } else {
                        Ncd::Hypertension
                    });
                }
            }
        }
    }
    for ((_, _, group), g) in groups {
        let id = cx.id();
        let kind = if group == "measurement" {
            EventKind::Measurement {
                weight_kg: g.weight,
                height_cm: g.height,
                lying: g.lying,
            }
        } else {
            EventKind::NcdFollowUp {
                ncd: g.ncd.unwrap_or(Ncd::Hypertension),
                systolic: g.systolic,
                diastolic: g.diastolic,
                glucose: g.glucose,
            }
        };
        let unit = g.unit.or(if g.subject_new {
            persons.get(&g.person).copied()
        } else {
            None
        });
        if unit.is_none() {
            out.unit_from_person.push(out.batch.events.len());
        }
        out.origin
            .insert(format!("event {id}"), (g.entry, "Observation"));
        out.batch.events.push(Event {
            id,
            person: g.person,
            date: g.date,
            unit: unit.unwrap_or(UnitId(0)),
            kind,
            flags: vec![],
        });
    }
    if cx.error_count == 0 {
        Ok(out)
    } else {
        Err(FhirError::Invalid(capped(cx.errors, cx.error_count)))
    }
}

fn rt_static(rt: &str) -> &'static str {
    match rt {
        "Immunization" => "Immunization",
        "Observation" => "Observation",
        "Condition" => "Condition",
        "Encounter" => "Encounter",
        _ => "Patient",
    }
}

#[derive(Default)]
struct ObsValues {
    weight: Option<f64>,
    height: Option<f64>,
    lying: bool,
    systolic: Option<f64>,
    diastolic: Option<f64>,
    glucose: Option<f64>,
    ncd: Option<Ncd>,
}

enum Parsed {
    Event(EventKind),
    Obs(ObsValues),
}

fn event_kind(cx: &mut Ctx<'_>, i: usize, rt: &str, res: &Value) -> Option<Parsed> {
    match rt {
        "Immunization" => {
            let status = res.get("status").and_then(Value::as_str).unwrap_or("");
            if status != "completed" {
                cx.err(
                    i,
                    "Immunization.status".into(),
                    format!("status '{status}': only completed immunizations are recorded"),
                    format!(
                        "trạng thái '{status}': chỉ ghi nhận mũi tiêm đã hoàn thành (completed)"
                    ),
                );
            }
            let cs = codings(res.get("vaccineCode"));
            let code = cs.iter().find(|(s, _)| *s == VACCINE_SYSTEM).map(|c| c.1);
            let vaccine = match code {
                Some(c) if VACCINES.iter().any(|v| v.code == c) => Some(c.to_string()),
                _ => {
                    let shown = code
                        .map(str::to_string)
                        .or_else(|| cs.first().map(|(s, c)| format!("{s}|{c}")))
                        .unwrap_or_default();
                    let known: Vec<&str> = VACCINES.iter().map(|v| v.code).collect();
                    cx.err(
                        i,
                        "Immunization.vaccineCode".into(),
                        format!("unknown vaccine code '{shown}': expected a code of {VACCINE_SYSTEM} ({})", known.join(", ")),
                        format!("mã vắc xin '{shown}' không có: cần một mã của {VACCINE_SYSTEM} ({})", known.join(", ")),
                    );
                    None
                }
            };
            let pa = res
                .get("protocolApplied")
                .and_then(Value::as_array)
                .and_then(|a| a.first());
            let dose = pa.and_then(|p| {
                p.get("doseNumberPositiveInt")
                    .and_then(Value::as_u64)
                    .or_else(|| p.get("doseNumberString")?.as_str()?.trim().parse().ok())
            });
            let dose = match dose.and_then(|d| u8::try_from(d).ok()).filter(|d| *d >= 1) {
                Some(d) => Some(d),
                None => {
                    cx.err(
                        i,
                        "Immunization.protocolApplied.doseNumberPositiveInt".into(),
                        "a dose number from 1 is required".into(),
                        "cần số thứ tự mũi tiêm (từ 1)".into(),
                    );
                    None
                }
            };
            Some(Parsed::Event(EventKind::Immunization {
                vaccine: vaccine?,
                dose: dose?,
            }))
            .filter(|_| status == "completed")
        }
        "Condition" => {
            let cs = codings(res.get("code"));
            let icd = cs
                .iter()
                .find(|(s, _)| *s == ICD10_SYSTEM)
                .map(|c| c.1.trim().to_uppercase());
            match icd.as_deref() {
                Some("I10") => Some(Parsed::Event(EventKind::NcdEnrolment {
                    ncd: Ncd::Hypertension,
                })),
                Some(c) if c.starts_with("E11") => Some(Parsed::Event(EventKind::NcdEnrolment {
                    ncd: Ncd::Diabetes,
                })),
                other => {
                    let shown = other.unwrap_or("");
                    cx.err(
                        i,
                        "Condition.code".into(),
                        format!("'{shown}': only ICD-10 I10 (hypertension) and E11 (diabetes) are managed at the station"),
                        format!("'{shown}': trạm chỉ quản lý ICD-10 I10 (tăng huyết áp) và E11 (đái tháo đường)"),
                    );
                    None
                }
            }
        }
        "Encounter" => {
            let cs: Vec<(&str, &str)> = res
                .get("reasonCode")
                .and_then(Value::as_array)
                .map(|a| a.iter().flat_map(|c| codings(Some(c))).collect())
                .unwrap_or_default();
            let insured = extension(res, EXT_INSURED)
                .and_then(|e| e.get("valueBoolean"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            match cs.iter().find(|(s, _)| *s == ICD10_SYSTEM) {
                Some((_, c)) => match ytcs_core::register::check_icd10(c, "icd10") {
                    Ok(icd10) => Some(Parsed::Event(EventKind::Examination { icd10, insured })),
                    Err(e) => {
                        cx.err(i, "Encounter.reasonCode".into(), e.message, e.message_vi);
                        None
                    }
                },
                None => {
                    cx.err(
                        i,
                        "Encounter.reasonCode".into(),
                        format!("a diagnosis coded in ICD-10 ({ICD10_SYSTEM}) is required"),
                        format!("cần chẩn đoán mã ICD-10 ({ICD10_SYSTEM})"),
                    );
                    None
                }
            }
        }
        _ => observation(cx, i, res).map(Parsed::Obs),
    }
}

fn observation(cx: &mut Ctx<'_>, i: usize, res: &Value) -> Option<ObsValues> {
    let cs = codings(res.get("code"));
    let code = cs.iter().find(|(s, _)| *s == LOINC).map(|c| c.1);
    let mut o = ObsValues {
        lying: extension(res, EXT_LYING)
            .and_then(|e| e.get("valueBoolean"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        ..ObsValues::default()
    };
    match ext_str(res, EXT_NCD, "valueCode") {
        None => {}
        Some(n) => match n.parse::<Ncd>() {
            Ok(n) => o.ncd = Some(n),
            Err(_) => cx.err(
                i,
                format!("Observation.extension[{EXT_NCD}]"),
                format!("'{n}' is not hypertension or diabetes"),
                format!("'{n}' không phải hypertension hoặc diabetes"),
            ),
        },
    }
    let mut value = |field: &str, q: Option<&Value>, units: &[&str]| match quantity_in(q, units) {
        Ok(v) => Some(v),
        Err(m) => {
            cx.err(
                i,
                format!("Observation.{field}"),
                m.clone(),
                format!("giá trị không hợp lệ: {m}"),
            );
            None
        }
    };
    match code {
        Some(WEIGHT) => o.weight = Some(value("valueQuantity", res.get("valueQuantity"), &["kg"])?),
        Some(HEIGHT) => o.height = Some(value("valueQuantity", res.get("valueQuantity"), &["cm"])?),
        Some(LENGTH) => {
            o.height = Some(value("valueQuantity", res.get("valueQuantity"), &["cm"])?);
            o.lying = true;
        }
        Some(GLUCOSE) => {
            o.glucose = Some(value(
                "valueQuantity",
                res.get("valueQuantity"),
                &["mmol/L", "mmol/l"],
            )?)
        }
        Some(BP_PANEL) => {
            let comps = res
                .get("component")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            for c in comps {
                let cc = codings(c.get("code"));
                let which = cc.iter().find(|(s, _)| *s == LOINC).map(|c| c.1);
                match which {
                    Some(SYSTOLIC) => {
                        o.systolic = value(
                            "component.valueQuantity",
                            c.get("valueQuantity"),
                            &["mm[Hg]", "mmHg"],
                        )
                    }
                    Some(DIASTOLIC) => {
                        o.diastolic = value(
                            "component.valueQuantity",
                            c.get("valueQuantity"),
                            &["mm[Hg]", "mmHg"],
                        )
                    }
                    _ => {}
                }
            }
            if o.systolic.is_none() && o.diastolic.is_none() {
                cx.err(
                    i,
                    "Observation.component".into(),
                    format!("the blood pressure panel needs a systolic ({SYSTOLIC}) or diastolic ({DIASTOLIC}) component in mm[Hg]"),
                    format!("bộ huyết áp cần thành phần tâm thu ({SYSTOLIC}) hoặc tâm trương ({DIASTOLIC}) theo mm[Hg]"),
                );
                return None;
            }
        }
        other => {
            let shown = other
                .map(str::to_string)
                .or_else(|| cs.first().map(|(s, c)| format!("{s}|{c}")))
                .unwrap_or_default();
            cx.err(
                i,
                "Observation.code".into(),
                format!("unsupported observation code '{shown}': use LOINC {WEIGHT}, {HEIGHT}, {LENGTH}, {BP_PANEL} or {GLUCOSE}"),
                format!("mã quan sát '{shown}' không được hỗ trợ: dùng LOINC {WEIGHT}, {HEIGHT}, {LENGTH}, {BP_PANEL} hoặc {GLUCOSE}"),
            );
            return None;
        }
    }
    Some(o)
}

fn patient_of(cx: &mut Ctx<'_>, i: usize, res: &Value) -> Option<(Person, Vec<InsuranceCard>)> {
    let before = cx.error_count;
    let date_field = |cx: &mut Ctx<'_>, field: &str, v: Option<&Value>| -> Option<Date> {
        let v = v?;
        match fhir_date(v) {
            Some(d) => Some(d),
            None => {
                cx.err(
                    i,
                    format!("Patient.{field}"),
                    format!("{v} is not a date (YYYY-MM-DD)"),
                    format!("{v} không phải ngày (YYYY-MM-DD)"),
                );
                None
            }
        }
    };
    let name = res
        .get("name")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|n| {
            n.get("text")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    let family = n.get("family").and_then(Value::as_str).unwrap_or("");
                    let given: Vec<&str> = n
                        .get("given")
                        .and_then(Value::as_array)
                        .map(|g| g.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let s = std::iter::once(family)
                        .chain(given)
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    Some(s).filter(|s| !s.is_empty())
                })
        })
        .filter(|s| !s.trim().is_empty());
    if name.is_none() {
        cx.err(
            i,
            "Patient.name".into(),
            "a name (text, or family and given) is required".into(),
            "cần họ tên (text, hoặc family và given)".into(),
        );
    }
    let sex = match res.get("gender").and_then(Value::as_str) {
        Some("male") => Some(Sex::Male),
        Some("female") => Some(Sex::Female),
        other => {
            let g = other.unwrap_or("");
            cx.err(
                i,
                "Patient.gender".into(),
                format!("unknown gender '{g}': the register records male or female"),
                format!(
                    "giới tính '{g}' không xác định: hồ sơ ghi nhận male (nam) hoặc female (nữ)"
                ),
            );
            None
        }
    };
    let birth = match res.get("birthDate") {
        None => {
            cx.err(
                i,
                "Patient.birthDate".into(),
                "the birth date is required".into(),
                "cần ngày sinh".into(),
            );
            None
        }
        v => date_field(cx, "birthDate", v),
    };
    let ethnicity = ext_str(res, EXT_ETHNICITY, "valueString")
        .or_else(|| ext_str(res, EXT_ETHNICITY, "valueCode"))
        .map(str::to_string);
    if ethnicity.is_none() {
        cx.err(
            i,
            format!("Patient.extension[{EXT_ETHNICITY}]"),
            "the ethnic group is required (valueString, one of the 54, e.g. Kinh)".into(),
            "cần dân tộc (valueString, một trong 54 dân tộc, ví dụ Kinh)".into(),
        );
    }
    let registered = match extension(res, EXT_REGISTERED) {
        None => Some(cx.today),
        Some(e) => date_field(
            cx,
            &format!("extension[{EXT_REGISTERED}]"),
            e.get("valueDate").or(Some(&Value::Null)),
        ),
    };
    let ehr = extension(res, EXT_EHR).and_then(|e| {
        date_field(
            cx,
            &format!("extension[{EXT_EHR}]"),
            e.get("valueDate").or(Some(&Value::Null)),
        )
    });
    let death_date = res
        .get("deceasedDateTime")
        .and_then(|v| date_field(cx, "deceasedDateTime", Some(v)));
    let death_cause = ext_str(res, EXT_DEATH_CAUSE, "valueCode").map(str::to_string);
    let address = res
        .get("address")
        .and_then(Value::as_array)
        .and_then(|a| a.first());
    let village = address
        .and_then(|a| a.get("line"))
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let code = address.and_then(|a| ext_str(a, EXT_COMMUNE, "valueCode"));
    let days: Vec<Date> = [Some(cx.today), registered].into_iter().flatten().collect();
    let commune = match code {
        Some(c) => match resolve_unit(cx.h, c, &days) {
            Some(u) => Some(u),
            None => {
                cx.err(
                    i,
                    format!("Patient.address[0].extension[{EXT_COMMUNE}]"),
                    format!("no commune carries the code '{c}' today or on the registration day"),
                    format!("không có xã mang mã '{c}' vào hôm nay hoặc ngày đăng ký"),
                );
                None
            }
        },
        None => match cx.default_commune {
            Some(u) => Some(u),
            None => {
                cx.err(
                    i,
                    "Patient.address".into(),
                    format!("the commune is missing: give its code in address[0].extension (url {EXT_COMMUNE}, valueCode), or a default commune for the import"),
                    format!("thiếu xã nơi cư trú: ghi mã xã trong address[0].extension (url {EXT_COMMUNE}, valueCode) hoặc chọn xã mặc định khi nhập"),
                );
                None
            }
        },
    };
    let mut national_id = None;
    let mut cards = vec![];
    let ids = res
        .get("identifier")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for (k, id) in ids.iter().enumerate() {
        let system = id.get("system").and_then(Value::as_str).unwrap_or("");
        let value = id.get("value").and_then(Value::as_str).unwrap_or("");
        match system {
            CCCD_SYSTEM => national_id = Some(value.to_string()),
            BHYT_SYSTEM => {
                let period = id.get("period");
                let from = period.and_then(|p| p.get("start")).and_then(fhir_date);
                let to = period.and_then(|p| p.get("end")).and_then(fhir_date);
                match (from, to) {
                    (Some(from), Some(to)) => cards.push((value.to_string(), from, to)),
                    _ => cx.err(
                        i,
                        format!("Patient.identifier[{k}].period"),
                        "an insurance card needs its validity (period.start and period.end dates)"
                            .into(),
                        "thẻ BHYT cần hạn dùng (period.start và period.end)".into(),
                    ),
                }
            }
            _ => {}
        }
    }
    if cx.error_count > before {
        return None;
    }
    let id = cx.id();
    let person = Person {
        id,
        full_name: name?,
        sex: sex?,
        birth_date: birth?,
        ethnicity: ethnicity?,
        national_id,
        household: None,
        commune: commune?,
        village,
        registered_on: registered?,
        ehr_opened_on: ehr,
        death: death_date.map(|date| Death {
            date,
            cause: death_cause,
        }),
    };
    let cards = cards
        .into_iter()
        .map(|(number, valid_from, valid_to)| InsuranceCard {
            id: cx.id(),
            person: id,
            number,
            valid_from,
            valid_to,
        })
        .collect();
    Some((person, cards))
}

/// The FHIR field a core check's field name stands for.
fn fhir_field(resource: &str, field: &str) -> String {
    let f = match (resource, field) {
        ("Patient", "full_name") => "name",
        ("Patient", "birth_date") => "birthDate",
        ("Patient", "sex") => "gender",
        ("Patient", "ethnicity") => "extension[urn:ytcs:ethnicity]",
        ("Patient", "national_id") => "identifier[https://cccd.gov.vn]",
        ("Patient", "card_number") | ("Patient", "valid_to") | ("Patient", "valid_from") => {
            "identifier[urn:vn:bhyt]"
        }
        ("Patient", "registered_on") => "extension[urn:ytcs:registered-on]",
        ("Patient", "ehr_opened_on") => "extension[urn:ytcs:ehr-opened-on]",
        ("Patient", "death_date") => "deceasedDateTime",
        ("Patient", "death_cause") => "extension[urn:ytcs:death-cause]",
        ("Patient", "commune") => "address",
        ("Immunization", "date") => "occurrenceDateTime",
        ("Immunization", "dose") => "protocolApplied.doseNumberPositiveInt",
        ("Immunization", "vaccine") => "vaccineCode",
        ("Observation", "date") => "effectiveDateTime",
        ("Observation", "weight_kg" | "height_cm" | "glucose") => "valueQuantity",
        ("Observation", "systolic" | "diastolic") => "component",
        ("Condition", "date") => "onsetDateTime",
        ("Encounter", "date") => "period.start",
        ("Encounter", "icd10") => "reasonCode",
        (_, "unit") => "extension[urn:ytcs:unit]",
        (r, "person") => {
            return format!(
                "{r}.{}",
                if r == "Immunization" {
                    "patient"
                } else {
                    "subject"
                }
            )
        }
        (_, f) => f,
    };
    format!("{resource}.{f}")
}

/// What an import created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// New persons: the Patient's fullUrl and the id given.
    pub persons: Vec<(String, i64)>,
    /// How many events were recorded.
    pub events: usize,
    /// Every placeholder id and the id the store gave it.
    pub ids: IdMap,
    /// Communes whose registers now hold well over their population
    /// ([`ytcs_core::quality::registers_exceed`]): kept, to be reviewed.
    pub review: Vec<RegisterReview>,
}

/// A commune whose registered residents exceed its population.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegisterReview {
    /// Commune code (today's unit).
    pub commune: String,
    /// Its name.
    pub name: String,
    /// Residents in its registers (this year).
    pub registered: i64,
    /// Its population (this year).
    pub population: i64,
}

impl RegisterReview {
    /// In Vietnamese, for the importer.
    pub fn vi(&self) -> String {
        format!(
            "{} ({}): sổ có {} người đang cư trú, dân số {} — cần rà soát (trùng người hoặc dân số chưa cập nhật)",
            self.name,
            self.commune,
            ytcs_core::quality::format_figure("population", self.registered as f64),
            ytcs_core::quality::format_figure("population", self.population as f64)
        )
    }
}

/// The communes (valid `today`) of `persons`' recorded communes whose
/// registers exceed their population this year.
pub async fn registers_to_review(
    store: &dyn Store,
    h: &Hierarchy,
    communes: &[UnitId],
    today: Date,
) -> Result<Vec<RegisterReview>, crate::EngineError> {
    let mut held: Vec<UnitId> = communes
        .iter()
        .filter_map(|c| ytcs_core::register::derive::place(h, *c, today))
        .collect();
    held.sort();
    held.dedup();
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let year = ytcs_core::period::Period::Year(today.year());
    let registered = crate::evaluate(store, h, "registered_residents", year, today, &held).await?;
    let population = crate::evaluate(store, h, "population", year, today, &held).await?;
    Ok(held
        .iter()
        .zip(registered.iter().zip(&population))
        .filter_map(|(u, (r, p))| {
            let r = r.value?;
            ytcs_core::quality::registers_exceed(r, p.value).then(|| RegisterReview {
                commune: h.unit(*u).map(|x| x.code.to_string()).unwrap_or_default(),
                name: h.unit(*u).map(|x| x.name.clone()).unwrap_or_default(),
                registered: ytcs_core::quality::shown_count(r),
                population: ytcs_core::quality::shown_count(p.value.unwrap_or_default()),
            })
        })
        .collect())
}

/// Checks what a parsed bundle references in the store (stored persons)
/// and fills in event units from them.
pub async fn resolve_stored(store: &dyn Store, parsed: &mut ParsedBundle) -> Result<(), FhirError> {
    let mut errors = vec![];
    let mut communes: HashMap<i64, UnitId> = HashMap::new();
    for (id, (entry, field, reference)) in &parsed.stored_refs {
        match store.person_record(*id).await? {
            Some(r) => {
                communes.insert(*id, r.person.commune);
            }
            None => errors.push(EntryError::new(
                Some(*entry),
                field.clone(),
                format!("reference {reference} is not in the bundle and not a stored person"),
                format!("tham chiếu {reference} không có trong gói và không phải người đã có trong hồ sơ"),
            )),
        }
    }
    if !errors.is_empty() {
        let total = errors.len();
        return Err(FhirError::Invalid(capped(errors, total)));
    }
    // Patients that are persons stored already.
    let mut known: HashMap<i64, i64> = HashMap::new();
    let mut stored_events: HashMap<i64, Vec<Event>> = HashMap::new();
    let mut stored_cards: HashMap<i64, Vec<String>> = HashMap::new();
    for p in &parsed.batch.persons {
        if let Some(rec) = stored_twin(store, p).await? {
            known.insert(p.id, rec.person.id);
            communes.insert(rec.person.id, rec.person.commune);
            stored_cards.insert(
                rec.person.id,
                rec.cards.iter().map(|c| c.number.clone()).collect(),
            );
            stored_events.insert(rec.person.id, rec.events);
        }
    }
    if !known.is_empty() {
        let b = &mut parsed.batch;
        b.persons.retain(|p| !known.contains_key(&p.id));
        for c in &mut b.cards {
            if let Some(s) = known.get(&c.person) {
                c.person = *s;
            }
        }
        b.cards.retain(|c| {
            !stored_cards
                .get(&c.person)
                .is_some_and(|held| held.contains(&c.number))
        });
        for e in &mut b.events {
            if let Some(s) = known.get(&e.person) {
                e.person = *s;
            }
        }
        // Events already recorded are not recorded twice; the indexes of
        // `unit_from_person` follow the events that stay.
        let keep: Vec<bool> = b
            .events
            .iter()
            .map(|e| {
                !stored_events
                    .get(&e.person)
                    .is_some_and(|old| old.iter().any(|o| o.date == e.date && o.kind == e.kind))
            })
            .collect();
        let mut new_index = vec![None; keep.len()];
        let mut n = 0;
        for (i, k) in keep.iter().enumerate() {
            if *k {
                new_index[i] = Some(n);
                n += 1;
            }
        }
        let mut i = 0;
        b.events.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        parsed.unit_from_person = parsed
            .unit_from_person
            .iter()
            .filter_map(|k| new_index.get(*k).copied().flatten())
            .collect();
        for (placeholder, stored) in &known {
            if let Some(origin) = parsed.origin.get(&format!("person {placeholder}")).copied() {
                parsed.origin.insert(format!("person {stored}"), origin);
            }
        }
        for (_, id) in &mut parsed.patients {
            if let Some(s) = known.get(id) {
                *id = *s;
            }
        }
    }
    parsed.stored_communes = communes.iter().map(|(k, v)| (*k, *v)).collect();
    for &k in &parsed.unit_from_person {
        let e = &mut parsed.batch.events[k];
        if let Some(c) = communes.get(&e.person) {
            e.unit = *c;
        }
    }
    Ok(())
}

/// The stored person a new Patient is, if any: the same citizen identity
/// number, or the same folded name, sex, birth date and commune.
async fn stored_twin(store: &dyn Store, p: &Person) -> Result<Option<PersonRecord>, StoreError> {
    let candidates = store
        .search_persons(&PersonQuery {
            communes: None,
            name: Some(p.full_name.clone()),
            birth_year: Some(chrono::Datelike::year(&p.birth_date)),
            household: None,
            household_number: None,
            limit: 50,
        })
        .await?;
    let folded = ytcs_core::text::fold(&p.full_name);
    let twin = candidates.into_iter().find(|c| {
        let same_id = p.national_id.is_some() && c.national_id == p.national_id;
        let same_facts = ytcs_core::text::fold(&c.full_name) == folded
            && c.sex == p.sex
            && c.birth_date == p.birth_date
            && c.commune == p.commune
            && (p.national_id.is_none() || c.national_id.is_none());
        same_id || same_facts
    });
    match twin {
        Some(c) => store.person_record(c.id).await,
        None => Ok(None),
    }
}

/// The communes a parsed (and resolved) bundle writes into: new persons'
/// communes, events' units, and where the stored persons it adds to
/// live — for a caller's scope check.
pub fn communes_of(parsed: &ParsedBundle) -> BTreeSet<UnitId> {
    let b = &parsed.batch;
    b.persons
        .iter()
        .map(|p| p.commune)
        .chain(b.events.iter().map(|e| e.unit))
        .chain(parsed.stored_communes.values().copied())
        .collect()
}

/// Maps a save's refusal back to the bundle.
pub fn map_save_error(parsed: &ParsedBundle, e: SaveError) -> FhirError {
    match e {
        SaveError::Field { record, error } => match parsed.origin.get(&record) {
            Some((entry, rt)) => FhirError::Invalid(vec![EntryError::new(
                Some(*entry),
                fhir_field(rt, error.field),
                error.message,
                error.message_vi,
            )]),
            None => FhirError::Invalid(vec![EntryError::new(
                None,
                format!("{record}.{}", error.field),
                error.message,
                error.message_vi,
            )]),
        },
        SaveError::Store(s) => FhirError::Store(s),
        other => FhirError::Refused(other),
    }
}

/// Parses a bundle and saves it through [`crate::registers::save`]: all or
/// nothing, every check of the core applied, refusals naming the entry.
pub async fn import(
    store: &dyn Store,
    h: &Hierarchy,
    json: &str,
    default_commune: Option<UnitId>,
    by: &str,
    today: Date,
) -> Result<ImportReport, FhirError> {
    let mut parsed = parse_detailed(json, h, today, default_commune)?;
    resolve_stored(store, &mut parsed).await?;
    save_parsed(store, h, &parsed, by, today).await
}

/// Saves a parsed (and resolved) bundle.
pub async fn save_parsed(
    store: &dyn Store,
    h: &Hierarchy,
    parsed: &ParsedBundle,
    by: &str,
    today: Date,
) -> Result<ImportReport, FhirError> {
    let ids = crate::registers::save(store, h, &parsed.batch, by, today)
        .await
        .map_err(|e| map_save_error(parsed, e))?;
    let communes: Vec<UnitId> = parsed.batch.persons.iter().map(|p| p.commune).collect();
    // The import is saved: a comparison that cannot be made (no
    // population, a roll-up refused) says nothing rather than undo it.
    let review = registers_to_review(store, h, &communes, today)
        .await
        .unwrap_or_default();
    Ok(ImportReport {
        review,
        persons: parsed
            .patients
            .iter()
            .map(|(u, p)| (u.clone(), ids.persons.get(p).copied().unwrap_or(*p)))
            .collect(),
        events: parsed.batch.events.len(),
        ids,
    })
}
