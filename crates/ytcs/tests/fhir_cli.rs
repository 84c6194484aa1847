//! `ytcs fhir` on the real binary: a bundle imported, the person exported
//! back (to a file and by commune), a bad bundle refused with one line
//! naming the entry and the field and exit code 1, nothing written.

mod common;

use common::run;
use serde_json::{json, Value};

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn bundle(birth: Option<&str>) -> Value {
    let mut patient = json!({"resourceType": "Patient",
        "name": [{"text": "Hoàng Thị Thu"}], "gender": "female",
        "extension": [{"url": "urn:ytcs:ethnicity", "valueString": "Tày"}],
        "address": [{"line": ["Thôn 3"], "extension": [{"url": "urn:ytcs:commune", "valueCode": "23479"}]}]});
    if let Some(b) = birth {
        patient["birthDate"] = json!(b);
    }
    json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:8d6f0c1e-0000-4000-8000-000000000001", "resource": patient,
         "request": {"method": "POST", "url": "Patient"}},
        {"fullUrl": "urn:uuid:8d6f0c1e-0000-4000-8000-000000000002", "resource": {"resourceType": "Immunization",
            "status": "completed", "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "bcg"}]},
            "patient": {"reference": "urn:uuid:8d6f0c1e-0000-4000-8000-000000000001"},
            "occurrenceDateTime": "2025-10-02", "protocolApplied": [{"doseNumberPositiveInt": 1}]},
         "request": {"method": "POST", "url": "Immunization"}}
    ]})
}

#[test]
fn import_then_export_and_refuse_a_bad_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let dd = dir.path().join("data");
    let dd = dd.to_str().unwrap();
    let good = dir.path().join("good.json");
    std::fs::write(&good, bundle(Some("2025-10-02")).to_string()).unwrap();

    let out = ok(&["--data-dir", dd, "fhir", "import", good.to_str().unwrap()]);
    assert!(out.contains("1 person(s), 1 event(s)"), "{out}");
    let id: i64 = out
        .split("→ person ")
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();

    let file = dir.path().join("out.json");
    ok(&[
        "--data-dir",
        dd,
        "fhir",
        "export",
        "--person",
        &id.to_string(),
        "--out",
        file.to_str().unwrap(),
    ]);
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(b["resourceType"], "Bundle");
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let p = &entries[0]["resource"];
    assert_eq!(p["name"][0]["text"], "Hoàng Thị Thu");
    assert_eq!(p["name"][0]["family"], "Hoàng");
    assert_eq!(p["birthDate"], "2025-10-02");
    assert_eq!(p["identifier"][0]["value"], id.to_string());
    assert_eq!(
        entries[1]["resource"]["vaccineCode"]["coding"][0]["code"],
        "bcg"
    );
    assert_eq!(
        entries[1]["resource"]["patient"]["reference"],
        entries[0]["fullUrl"]
    );

    // By commune, on standard output.
    let c: Value = serde_json::from_str(&ok(&[
        "--data-dir",
        dd,
        "fhir",
        "export",
        "--commune",
        "23479",
    ]))
    .unwrap();
    assert_eq!(c["entry"].as_array().unwrap().len(), 2);

    // A bundle without a birth date: one line, exit 1, nothing written.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, bundle(None).to_string()).unwrap();
    let out = run(&["--data-dir", dd, "fhir", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("entry[0] Patient.birthDate"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    // Not JSON at all.
    std::fs::write(&bad, "this is not json").unwrap();
    let out = run(&["--data-dir", dd, "fhir", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not JSON"));

    // Still one person.
    let c: Value = serde_json::from_str(&ok(&[
        "--data-dir",
        dd,
        "fhir",
        "export",
        "--commune",
        "23479",
    ]))
    .unwrap();
    assert_eq!(c["entry"].as_array().unwrap().len(), 2);

    // An unknown person.
    let out = run(&["--data-dir", dd, "fhir", "export", "--person", "999999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no person with id 999999"));
}
