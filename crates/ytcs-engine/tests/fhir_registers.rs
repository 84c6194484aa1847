//! The registers as FHIR R4 on a real SQLite store: a commune exported and
//! imported into a fresh store gives the same persons and events; the
//! exported bundle carries the required fields and every reference
//! resolves inside it; bad bundles are refused naming the entry and the
//! field, and nothing is written; arbitrary JSON never panics the reader.

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{json, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, UnitId};
use ytcs_core::register::{Event, EventKind, InsuranceCard, Ncd, Person};
use ytcs_core::Date;
use ytcs_engine::fhir_registers::{
    commune_export, commune_records, import, parse_bundle, person_bundle, EntryError, FhirError,
};
use ytcs_engine::registers::save;
use ytcs_store::registers::RegisterBatch;
use ytcs_store::{Store, StoreConfig};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn today() -> Date {
    d("2026-11-23")
}

struct World {
    s: Arc<dyn Store>,
    h: Hierarchy,
    a: UnitId,
    _dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = s.hierarchy().await.unwrap();
    // A commune of province 51 after the reform.
    let a = s
        .unit_at(&OrgCode::parse("23479").unwrap(), today())
        .await
        .unwrap()
        .unwrap()
        .id;
    World { s, h, a, _dir: dir }
}

fn ev(id: i64, person: i64, date: &str, unit: UnitId, kind: EventKind) -> Event {
    Event {
        id,
        person,
        date: d(date),
        unit,
        kind,
        flags: vec![],
    }
}

/// A child with a card, two vaccines and a measurement; an adult with a
/// citizen id, hypertension, a follow-up and an examination.
fn seed(a: UnitId) -> RegisterBatch {
    let child = Person {
        id: -1,
        full_name: "Võ Gia Bảo".into(),
        sex: Sex::Male,
        birth_date: d("2025-09-01"),
        ethnicity: "Kinh".into(),
        national_id: None,
        household: None,
        commune: a,
        village: "Thôn 1".into(),
        registered_on: d("2025-09-01"),
        ehr_opened_on: Some(d("2025-09-01")),
        death: None,
    };
    let adult = Person {
        id: -2,
        full_name: "Nguyễn Văn Hùng".into(),
        sex: Sex::Male,
        birth_date: d("1960-03-04"),
        ethnicity: "Ê Đê".into(),
        national_id: Some("066060123456".into()),
        household: None,
        commune: a,
        village: "Buôn Ea".into(),
        registered_on: d("2025-08-01"),
        ehr_opened_on: None,
        death: None,
    };
    RegisterBatch {
        persons: vec![child, adult],
        cards: vec![InsuranceCard {
            id: -3,
            person: -1,
            number: "TE1511234567890".into(),
            valid_from: d("2025-09-01"),
            valid_to: d("2031-08-31"),
        }],
        events: vec![
            ev(
                -10,
                -1,
                "2025-09-01",
                a,
                EventKind::Immunization {
                    vaccine: "bcg".into(),
                    dose: 1,
                },
            ),
            ev(
                -11,
                -1,
                "2025-11-01",
                a,
                EventKind::Immunization {
                    vaccine: "penta".into(),
                    dose: 1,
                },
            ),
            ev(
                -12,
                -1,
                "2025-11-01",
                a,
                EventKind::Measurement {
                    weight_kg: Some(5.6),
                    height_cm: Some(58.5),
                    lying: true,
                },
            ),
            ev(
                -13,
                -2,
                "2026-01-10",
                a,
                EventKind::NcdEnrolment {
                    ncd: Ncd::Hypertension,
                },
            ),
            ev(
                -14,
                -2,
                "2026-02-10",
                a,
                EventKind::NcdFollowUp {
                    ncd: Ncd::Hypertension,
                    systolic: Some(150.0),
                    diastolic: Some(95.0),
                    glucose: None,
                },
            ),
            ev(
                -15,
                -2,
                "2026-03-01",
                a,
                EventKind::Examination {
                    icd10: "J06.9".into(),
                    insured: true,
                },
            ),
        ],
        ..RegisterBatch::default()
    }
}

async fn seeded() -> (World, Value) {
    let w = world().await;
    save(w.s.as_ref(), &w.h, &seed(w.a), "test", today())
        .await
        .unwrap();
    let records = commune_records(w.s.as_ref(), &[w.a]).await.unwrap();
    assert_eq!(records.len(), 2);
    let bundle = person_bundle(&records, &w.h);
    (w, bundle)
}

/// What should survive a round trip: persons without ids, events by
/// person name, cards by person name.
async fn summary(w: &World) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let records = commune_records(w.s.as_ref(), &[w.a]).await.unwrap();
    let mut persons = BTreeSet::new();
    let mut events = BTreeSet::new();
    let mut cards = BTreeSet::new();
    for r in records {
        let p = Person {
            id: 0,
            household: None,
            ..r.person.clone()
        };
        persons.insert(format!("{p:?}"));
        for e in r.events {
            events.insert(format!(
                "{} {} {} {:?}",
                r.person.full_name, e.date, e.unit, e.kind
            ));
        }
        for c in r.cards {
            cards.insert(format!(
                "{} {} {} {}",
                r.person.full_name, c.number, c.valid_from, c.valid_to
            ));
        }
    }
    (persons, events, cards)
}

#[tokio::test]
async fn a_commune_round_trips_through_a_fresh_store() {
    let (w, bundle) = seeded().await;
    let fresh = world().await;
    let text = serde_json::to_string(&bundle).unwrap();
    let r = import(fresh.s.as_ref(), &fresh.h, &text, None, "test", today())
        .await
        .unwrap();
    assert_eq!(r.persons.len(), 2);
    assert_eq!(r.events, 6, "weight and height make one measurement");
    let before = summary(&w).await;
    let after = summary(&fresh).await;
    assert_eq!(before.0, after.0);
    assert_eq!(before.1, after.1);
    assert_eq!(before.2, after.2);
    assert_eq!(before.1.len(), 6);
    // And the fresh store exports the same bundle up to ids.
    let again = person_bundle(
        &commune_records(fresh.s.as_ref(), &[fresh.a]).await.unwrap(),
        &fresh.h,
    );
    assert_eq!(
        again["entry"].as_array().unwrap().len(),
        bundle["entry"].as_array().unwrap().len()
    );
}

#[tokio::test]
async fn an_import_beyond_the_commune_population_is_flagged_for_review() {
    use ytcs_core::network::{AgeGroup, PopulationCount};
    let (_, bundle) = seeded().await;
    let text = serde_json::to_string(&bundle).unwrap();
    // The registry says the commune has one inhabitant this year.
    let fresh = world().await;
    fresh
        .s
        .replace_population(&[PopulationCount {
            unit: fresh.a,
            year: 2026,
            sex: Sex::Male,
            age: AgeGroup::new(20).unwrap(),
            count: 1,
        }])
        .await
        .unwrap();
    let r = import(fresh.s.as_ref(), &fresh.h, &text, None, "test", today())
        .await
        .unwrap();
    assert_eq!(r.persons.len(), 2, "the import is kept");
    assert_eq!(r.review.len(), 1, "{:?}", r.review);
    assert_eq!((r.review[0].registered, r.review[0].population), (2, 1));
    assert!(
        r.review[0].vi().contains("cần rà soát"),
        "{}",
        r.review[0].vi()
    );
    // A population of a thousand: nothing to review.
    let other = world().await;
    other
        .s
        .replace_population(&[PopulationCount {
            unit: other.a,
            year: 2026,
            sex: Sex::Female,
            age: AgeGroup::new(20).unwrap(),
            count: 1_000,
        }])
        .await
        .unwrap();
    let r = import(other.s.as_ref(), &other.h, &text, None, "test", today())
        .await
        .unwrap();
    assert!(r.review.is_empty(), "{:?}", r.review);
}

#[tokio::test]
async fn the_exported_bundle_has_the_required_fields_and_closed_references() {
    let (_w, b) = seeded().await;
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let entries = b["entry"].as_array().unwrap();
    let urls: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), entries.len(), "fullUrls are unique");
    let mut kinds = BTreeSet::new();
    for e in entries {
        let url = e["fullUrl"].as_str().unwrap();
        assert!(url.starts_with("urn:uuid:") && url.len() == 45, "{url}");
        let r = &e["resource"];
        let rt = r["resourceType"].as_str().unwrap();
        kinds.insert(rt);
        assert!(r["id"].as_str().is_some_and(|s| !s.is_empty()));
        let reference = match rt {
            "Patient" => {
                assert!(r["birthDate"].is_string());
                assert!(["male", "female"].contains(&r["gender"].as_str().unwrap()));
                assert!(r["name"][0]["text"].is_string());
                assert!(r["name"][0]["family"].is_string());
                let systems: Vec<&str> = r["identifier"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["system"].as_str().unwrap())
                    .collect();
                assert!(systems.contains(&"urn:ytcs:person"));
                assert_eq!(r["address"][0]["extension"][0]["url"], "urn:ytcs:commune");
                assert_eq!(r["address"][0]["extension"][0]["valueCode"], "23479");
                assert!(r["address"][0]["city"]
                    .as_str()
                    .is_some_and(|c| !c.is_empty()));
                assert!(
                    r["address"][0]["state"]
                        .as_str()
                        .is_some_and(|c| !c.is_empty()),
                    "{}",
                    r["address"]
                );
                continue;
            }
            "Immunization" => {
                assert_eq!(r["status"], "completed");
                assert_eq!(r["vaccineCode"]["coding"][0]["system"], "urn:ytcs:vaccine");
                assert!(r["vaccineCode"]["coding"][0]["display"].is_string());
                assert!(r["protocolApplied"][0]["doseNumberPositiveInt"].is_u64());
                assert!(r["occurrenceDateTime"].is_string());
                &r["patient"]["reference"]
            }
            "Observation" => {
                assert_eq!(r["code"]["coding"][0]["system"], "http://loinc.org");
                let code = r["code"]["coding"][0]["code"].as_str().unwrap();
                assert!(r["effectiveDateTime"].is_string());
                let q = if code == "85354-9" {
                    let c = &r["component"];
                    assert_eq!(c[0]["code"]["coding"][0]["code"], "8480-6");
                    assert_eq!(c[1]["code"]["coding"][0]["code"], "8462-4");
                    c[0]["valueQuantity"].clone()
                } else {
                    assert_eq!(r["category"][0]["coding"][0]["code"], "vital-signs");
                    r["valueQuantity"].clone()
                };
                assert_eq!(q["system"], "http://unitsofmeasure.org");
                let unit = q["code"].as_str().unwrap();
                let expected = match code {
                    "29463-7" => "kg",
                    "8302-2" | "8306-3" => "cm",
                    "85354-9" => "mm[Hg]",
                    "1558-6" => "mmol/L",
                    other => panic!("unexpected code {other}"),
                };
                assert_eq!(unit, expected);
                &r["subject"]["reference"]
            }
            "Condition" => {
                assert_eq!(
                    r["code"]["coding"][0]["system"],
                    "http://hl7.org/fhir/sid/icd-10"
                );
                assert_eq!(r["code"]["coding"][0]["code"], "I10");
                assert!(r["onsetDateTime"].is_string());
                &r["subject"]["reference"]
            }
            "Encounter" => {
                assert_eq!(r["status"], "finished");
                assert_eq!(r["class"]["code"], "AMB");
                assert_eq!(r["reasonCode"][0]["coding"][0]["code"], "J06.9");
                assert!(r["period"]["start"].is_string());
                &r["subject"]["reference"]
            }
            other => panic!("unexpected resource {other}"),
        };
        let reference = reference.as_str().unwrap();
        assert!(
            urls.contains(reference),
            "{reference} resolves in the bundle"
        );
        let target = entries.iter().find(|e| e["fullUrl"] == reference).unwrap();
        assert_eq!(target["resource"]["resourceType"], "Patient");
    }
    assert_eq!(
        kinds,
        [
            "Condition",
            "Encounter",
            "Immunization",
            "Observation",
            "Patient"
        ]
        .into_iter()
        .collect()
    );
    let cards: Vec<&Value> = entries
        .iter()
        .flat_map(|e| e["resource"]["identifier"].as_array().into_iter().flatten())
        .filter(|i| i["system"] == "urn:vn:bhyt")
        .collect();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["period"]["start"], "2025-09-01");
}

/// Imports `b` into `w`, expecting a refusal that changes nothing; returns
/// the errors.
async fn refused(w: &World, b: &Value) -> Vec<EntryError> {
    let before = w.s.register_counts().await.unwrap();
    let err = import(
        w.s.as_ref(),
        &w.h,
        &serde_json::to_string(b).unwrap(),
        None,
        "test",
        today(),
    )
    .await
    .unwrap_err();
    assert_eq!(
        w.s.register_counts().await.unwrap(),
        before,
        "nothing written"
    );
    assert!(!err.vi().is_empty());
    match err {
        FhirError::Invalid(v) => v,
        other => panic!("expected entry errors, got {other}"),
    }
}

fn index_of(b: &Value, pred: impl Fn(&Value) -> bool) -> usize {
    b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .position(|e| pred(&e["resource"]))
        .unwrap()
}

fn has(errors: &[EntryError], entry: usize, field: &str, words: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.entry == Some(entry) && e.field == field && e.message.contains(words)),
        "expected entry[{entry}] {field}: …{words}… in {errors:?}"
    );
    let shown = errors.iter().map(|e| e.to_string()).collect::<Vec<_>>();
    assert!(shown
        .iter()
        .any(|s| s.starts_with(&format!("entry[{entry}] {field}: "))));
}

#[tokio::test]
async fn bad_bundles_are_refused_naming_entry_and_field_and_write_nothing() {
    let (_src, good) = seeded().await;
    let w = world().await;
    let penta = index_of(&good, |r| r["vaccineCode"]["coding"][0]["code"] == "penta");
    let child = index_of(&good, |r| r["name"][0]["text"] == "Võ Gia Bảo");

    // A reference to nothing.
    let mut b = good.clone();
    b["entry"][penta]["resource"]["patient"]["reference"] =
        json!("urn:uuid:00000000-dead-4000-8000-000000000000");
    let e = refused(&w, &b).await;
    has(
        &e,
        penta,
        "Immunization.patient",
        "is not in the bundle and not a stored person",
    );
    assert!(e[0].vi().contains("không có trong gói"));

    // A stored person that does not exist.
    let mut b = good.clone();
    b["entry"][penta]["resource"]["patient"]["reference"] = json!("Patient/987654");
    let e = refused(&w, &b).await;
    has(
        &e,
        penta,
        "Immunization.patient",
        "Patient/987654 is not in the bundle and not a stored person",
    );

    // No birth date.
    let mut b = good.clone();
    b["entry"][child]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("birthDate");
    let e = refused(&w, &b).await;
    has(&e, child, "Patient.birthDate", "required");
    assert_eq!(
        e.len(),
        1,
        "references to the refused Patient add no noise: {e:?}"
    );

    // A birth date in the future (the core's check, mapped back).
    let mut b = good.clone();
    b["entry"][child]["resource"]["birthDate"] = json!("2030-01-01");
    has(
        &refused(&w, &b).await,
        child,
        "Patient.birthDate",
        "in the future",
    );

    // A card number of the wrong shape.
    let mut b = good.clone();
    for id in b["entry"][child]["resource"]["identifier"]
        .as_array_mut()
        .unwrap()
    {
        if id["system"] == "urn:vn:bhyt" {
            id["value"] = json!("XX123");
        }
    }
    has(
        &refused(&w, &b).await,
        child,
        "Patient.identifier[urn:vn:bhyt]",
        "is not an insurance card number",
    );

    // Dose 2 without dose 1 before it.
    let mut b = good.clone();
    b["entry"][penta]["resource"]["protocolApplied"][0]["doseNumberPositiveInt"] = json!(2);
    let e = refused(&w, &b).await;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].entry, Some(penta));
    assert!(e[0].field.starts_with("Immunization."), "{e:?}");

    // A resource type that is not exchanged.
    let mut b = good.clone();
    b["entry"]
        .as_array_mut()
        .unwrap()
        .push(json!({"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Coverage"}}));
    let n = b["entry"].as_array().unwrap().len() - 1;
    has(
        &refused(&w, &b).await,
        n,
        "Coverage.resourceType",
        "not supported",
    );

    assert_eq!(w.s.register_counts().await.unwrap(), (0, 0));
}

#[tokio::test]
async fn every_problem_is_reported_at_once() {
    let w = world().await;
    let b = json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient",
            "name": [{"text": "Lê Thị Mai"}], "gender": "unknown", "birthDate": "01/02/2020",
            "extension": [{"url": "urn:ytcs:ethnicity", "valueString": "Kinh"}]}},
        {"fullUrl": "urn:uuid:i1", "resource": {"resourceType": "Immunization", "status": "completed",
            "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "covid"}]},
            "patient": {"reference": "urn:uuid:p1"}, "occurrenceDateTime": "yesterday",
            "protocolApplied": [{"doseNumberPositiveInt": 1}]}},
        {"fullUrl": "urn:uuid:o1", "resource": {"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "subject": {"reference": "urn:uuid:p1"}, "effectiveDateTime": "2024-01-01",
            "valueQuantity": {"value": 9000, "code": "g"}}}
    ]});
    let err = parse_bundle(&b.to_string(), &w.h, today(), None).unwrap_err();
    let FhirError::Invalid(e) = err else { panic!() };
    has(&e, 0, "Patient.gender", "unknown gender 'unknown'");
    has(&e, 0, "Patient.birthDate", "is not a date");
    has(&e, 0, "Patient.address", "commune is missing");
    has(
        &e,
        1,
        "Immunization.vaccineCode",
        "unknown vaccine code 'covid'",
    );
    has(&e, 1, "Immunization.occurrenceDateTime", "is not a date");
    has(&e, 2, "Observation.valueQuantity", "unit 'g'");
    assert!(e.iter().all(|x| !x.vi().is_empty()));

    // With a default commune and good values the same bundle parses.
    let b = json!({"resourceType": "Bundle", "type": "batch", "entry": [
        {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
            "name": [{"family": "Lê", "given": ["Thị", "Mai"]}], "gender": "female", "birthDate": "2025-10-02",
            "extension": [{"url": "urn:ytcs:ethnicity", "valueString": "kinh"}]}},
        {"resource": {"resourceType": "Immunization", "status": "completed",
            "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "bcg"}]},
            "patient": {"reference": "Patient/p1"}, "occurrenceDateTime": "2025-10-02T09:00:00+07:00",
            "protocolApplied": [{"doseNumberPositiveInt": 1}]}}
    ]});
    let batch = parse_bundle(&b.to_string(), &w.h, today(), Some(w.a)).unwrap();
    assert_eq!(batch.persons.len(), 1);
    assert_eq!(batch.persons[0].full_name, "Lê Thị Mai");
    assert_eq!(batch.persons[0].commune, w.a);
    assert_eq!(batch.events[0].unit, w.a);
    assert_eq!(batch.events[0].person, batch.persons[0].id);
    assert!(batch.persons[0].id < 0);

    // Events for a stored person by Patient/<id>.
    let ids = save(w.s.as_ref(), &w.h, &batch, "test", today())
        .await
        .unwrap();
    let id = ids.persons[&batch.persons[0].id];
    let more = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Immunization", "status": "completed",
            "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "hepb0"}]},
            "patient": {"reference": format!("Patient/{id}")}, "occurrenceDateTime": "2025-10-02",
            "protocolApplied": [{"doseNumberPositiveInt": 1}]}}
    ]});
    let r = import(w.s.as_ref(), &w.h, &more.to_string(), None, "test", today())
        .await
        .unwrap();
    assert_eq!(r.events, 1);
    let rec = w.s.person_record(id).await.unwrap().unwrap();
    assert_eq!(rec.events.len(), 2);
    assert!(rec.events.iter().all(|e| e.unit == w.a));
}

fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("resourceType".to_string()),
        Just("type".to_string()),
        Just("entry".to_string()),
        Just("resource".to_string()),
        Just("fullUrl".to_string()),
        Just("birthDate".to_string()),
        Just("patient".to_string()),
        Just("reference".to_string()),
        Just("extension".to_string()),
        Just("valueQuantity".to_string()),
        "[a-zA-Z]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just("Bundle".to_string()),
            Just("Patient".to_string()),
            Just("Immunization".to_string()),
            Just("Observation".to_string()),
            Just("collection".to_string()),
            Just("2024-13-45".to_string()),
            Just("ạ2024-01-01é".to_string()),
            Just("urn:uuid:x".to_string()),
            Just("29463-7".to_string()),
            ".{0,12}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn hierarchy() -> &'static Hierarchy {
    static H: std::sync::OnceLock<Hierarchy> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        let a = ytcs_refdata::admin_units().unwrap();
        Hierarchy::new(a.units, a.links, a.lineage).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn arbitrary_json_never_panics(v in any_json(), entries in prop::collection::vec(any_json(), 0..4)) {
        let h = hierarchy();
        let _ = parse_bundle(&v.to_string(), h, today(), None);
        let wrapped = json!({"resourceType": "Bundle", "type": "collection", "entry": entries.into_iter().map(|r| json!({"fullUrl": "urn:uuid:a", "resource": r})).collect::<Vec<_>>()});
        let _ = parse_bundle(&wrapped.to_string(), h, today(), Some(UnitId(1)));
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = parse_bundle(&s, hierarchy(), today(), None);
    }
}

#[tokio::test]
async fn importing_the_same_bundle_twice_creates_nobody_the_second_time() {
    let (_src, bundle) = seeded().await;
    let fresh = world().await;
    let text = serde_json::to_string(&bundle).unwrap();
    let first = import(fresh.s.as_ref(), &fresh.h, &text, None, "test", today())
        .await
        .unwrap();
    let counts = fresh.s.register_counts().await.unwrap();
    let before = summary(&fresh).await;
    let second = import(fresh.s.as_ref(), &fresh.h, &text, None, "test", today())
        .await
        .unwrap();
    assert_eq!(
        fresh.s.register_counts().await.unwrap(),
        counts,
        "no one added"
    );
    assert_eq!(summary(&fresh).await, before);
    assert_eq!(second.events, 0);
    // The second import names the persons it matched, by the same ids.
    let ids = |r: &ytcs_engine::fhir_registers::ImportReport| {
        r.persons
            .iter()
            .map(|(_, id)| *id)
            .collect::<BTreeSet<i64>>()
    };
    assert_eq!(ids(&first), ids(&second));
}

#[tokio::test]
async fn a_million_null_entries_are_refused_in_one_line_and_errors_are_capped() {
    let w = world().await;
    let mut text = String::from(r#"{"resourceType":"Bundle","type":"batch","entry":["#);
    for i in 0..1_000_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str("null");
    }
    text.push_str("]}");
    let err = parse_bundle(&text, &w.h, today(), Some(w.a)).unwrap_err();
    let FhirError::Invalid(e) = err else { panic!() };
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].message.contains("more than 200000"), "{}", e[0]);
    // 5,000 null entries fit, and give 20 errors and a count of the rest.
    let entries = vec![Value::Null; 5_000];
    let b = json!({"resourceType": "Bundle", "type": "batch", "entry": entries});
    let err = parse_bundle(&b.to_string(), &w.h, today(), Some(w.a)).unwrap_err();
    let FhirError::Invalid(e) = err else { panic!() };
    assert_eq!(e.len(), ytcs_engine::fhir_registers::MAX_ERRORS + 1);
    assert!(
        e.last().unwrap().message.contains("4980 more"),
        "{}",
        e.last().unwrap()
    );
    assert!(e.last().unwrap().vi().contains("4980 lỗi khác"));
}

/// A person of the register recorded under `commune` (a unit id) since
/// `registered`.
fn resident(id: i64, name: &str, commune: UnitId, registered: &str) -> Person {
    Person {
        id,
        full_name: name.into(),
        sex: Sex::Female,
        birth_date: d("1990-02-03"),
        ethnicity: "Kinh".into(),
        national_id: None,
        household: None,
        commune,
        village: "Tổ 1".into(),
        registered_on: d(registered),
        ehr_opened_on: None,
        death: None,
    }
}

fn unit_on(h: &Hierarchy, code: &str, on: &str) -> UnitId {
    h.unit_at(&OrgCode::parse(code).unwrap(), d(on)).unwrap().id
}

#[tokio::test]
async fn a_commune_exports_the_persons_of_the_communes_merged_into_it_and_an_old_code_needs_a_date()
{
    let w = world().await;
    let h = &w.h;
    // Phường Nguyễn Nghiêm (21025) and Phường Nghĩa Chánh (21019) merged
    // into Phường Cẩm Thành (21025 again) on 2025-07-01; Xã Nghĩa Dõng
    // (21037) into Xã An Phú (21034).
    let nguyen_nghiem = unit_on(h, "21025", "2025-01-01");
    let nghia_chanh = unit_on(h, "21019", "2025-01-01");
    let cam_thanh = unit_on(h, "21025", "2026-01-01");
    let nghia_dong = unit_on(h, "21037", "2025-01-01");
    let an_phu = unit_on(h, "21034", "2026-01-01");
    let batch = RegisterBatch {
        persons: vec![
            resident(-1, "Phan Thị Việt", nguyen_nghiem, "2024-05-01"),
            resident(-2, "Lê Thị Chánh", nghia_chanh, "2024-05-01"),
            resident(-3, "Trần Thị Thành", cam_thanh, "2025-08-01"),
            resident(-4, "Đỗ Thị Dõng", nghia_dong, "2024-05-01"),
            resident(-5, "Hồ Thị Phú", an_phu, "2025-08-01"),
        ],
        ..RegisterBatch::default()
    };
    save(w.s.as_ref(), h, &batch, "test", today())
        .await
        .unwrap();
    let names = |records: &[ytcs_store::registers::PersonRecord]| {
        let mut v: Vec<String> = records.iter().map(|r| r.person.full_name.clone()).collect();
        v.sort();
        v
    };

    let today_ = commune_export(h, "21025", None, today()).unwrap();
    assert_eq!(today_.unit, cam_thanh);
    assert_eq!(today_.held_by, None);
    let records = commune_records(w.s.as_ref(), &today_.communes)
        .await
        .unwrap();
    assert_eq!(
        names(&records),
        ["Lê Thị Chánh", "Phan Thị Việt", "Trần Thị Thành"]
    );
    assert_eq!(
        person_bundle(&records, h)["entry"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(today_.describe(h).contains("21019 Phường Nghĩa Chánh"));

    // An old code today: refused, saying until when it existed and who
    // holds it now.
    let e = commune_export(h, "21037", None, today()).unwrap_err();
    assert!(e.en.contains("until 2025-06-30"), "{}", e.en);
    assert!(e.en.contains("21034"), "{}", e.en);
    assert!(e.vi.contains("30/06/2025"), "{}", e.vi);
    // With a day it existed: that commune's persons only, named.
    let old = commune_export(h, "21037", Some(d("2025-01-01")), today()).unwrap();
    assert_eq!((old.unit, old.held_by), (nghia_dong, Some(an_phu)));
    let records = commune_records(w.s.as_ref(), &old.communes).await.unwrap();
    assert_eq!(names(&records), ["Đỗ Thị Dõng"]);
    let said = old.describe(h);
    assert!(
        said.contains("21037 Xã Nghĩa Dõng on 2025-01-01") && said.contains("today part of 21034"),
        "{said}"
    );
    // The same code on an old day is the old ward, alone.
    let before = commune_export(h, "21025", Some(d("2025-01-01")), today()).unwrap();
    assert_eq!(before.communes, [nguyen_nghiem]);
    assert_eq!(before.held_by, Some(cam_thanh));
    // An Phú today holds Nghĩa Dõng's persons too.
    let an = commune_export(h, "21034", None, today()).unwrap();
    let records = commune_records(w.s.as_ref(), &an.communes).await.unwrap();
    assert_eq!(names(&records), ["Hồ Thị Phú", "Đỗ Thị Dõng"]);
}
