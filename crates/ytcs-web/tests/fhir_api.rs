//! The registers as FHIR over the API, through the router on a real SQLite
//! store: a station user posts a bundle of their commune (200, ids, an
//! audit entry) but not of another commune (403, nothing written); a bad
//! bundle answers 422 with every error in English and Vietnamese; a
//! person's bundle is read within scope only, and the read is logged.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::org::OrgCode;
use ytcs_store::audit::AuditFilter;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

mod common;

fn today() -> ytcs_core::Date {
    "2026-11-23".parse().unwrap()
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> (StatusCode, Value) {
    let state = AppState {
        today,
        ..AppState::new(s.clone())
    };
    let resp = router(state).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into())),
    )
}

fn bundle(commune: &str, birth: Option<&str>) -> Value {
    let mut patient = json!({"resourceType": "Patient",
        "name": [{"text": "Hoàng Thị Thu"}], "gender": "female",
        "extension": [{"url": "urn:ytcs:ethnicity", "valueString": "Tày"}],
        "address": [{"line": ["Thôn 3"], "extension": [{"url": "urn:ytcs:commune", "valueCode": commune}]}]});
    if let Some(b) = birth {
        patient["birthDate"] = json!(b);
    }
    json!({"resourceType": "Bundle", "type": "transaction", "entry": [
        {"fullUrl": "urn:uuid:p", "resource": patient},
        {"fullUrl": "urn:uuid:i", "resource": {"resourceType": "Immunization",
            "status": "completed", "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "bcg"}]},
            "patient": {"reference": "urn:uuid:p"},
            "occurrenceDateTime": "2025-10-02", "protocolApplied": [{"doseNumberPositiveInt": 1}]}}
    ]})
}

fn post(session: &common::Session, b: &Value) -> Request<Body> {
    session.apply(
        Request::post("/api/v1/fhir")
            .header(header::CONTENT_TYPE, "application/fhir+json")
            .body(Body::from(b.to_string()))
            .unwrap(),
    )
}

fn get(session: &common::Session, uri: &str) -> Request<Body> {
    session.apply(Request::get(uri).body(Body::empty()).unwrap())
}

#[tokio::test]
async fn a_station_imports_its_own_commune_and_reads_it_back_within_scope() {
    let (s, _dir) = common::units_store().await;
    let h = s.hierarchy().await.unwrap();
    let a = h
        .unit_at(&OrgCode::parse("23479").unwrap(), today())
        .unwrap();
    let parent = h.parent(a.id, today()).unwrap().id;
    let other = h
        .children(parent, today())
        .into_iter()
        .find(|u| u.id != a.id)
        .unwrap()
        .code
        .to_string();
    let station = common::session(&s, Role::DataEntry, "23479").await;
    let elsewhere = common::session(&s, Role::DataEntry, &other).await;

    // Another commune's station may not write here: 403, nothing written.
    let (st, body) = send(&s, post(&elsewhere, &bundle("23479", Some("2025-10-02")))).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("23479"));
    assert_eq!(s.register_counts().await.unwrap(), (0, 0));

    // A bad bundle: 422, every error in both languages.
    let (st, body) = send(&s, post(&station, &bundle("23479", None))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let e = &body["error"]["errors"][0];
    assert_eq!(e["entry"], 0);
    assert_eq!(e["field"], "Patient.birthDate");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .starts_with("entry[0] Patient.birthDate"));
    assert!(e["message_vi"].as_str().unwrap().contains("ngày sinh"));
    let (st, body) = send(&s, post(&station, &bundle("23479", Some("2030-01-01")))).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("in the future"));
    assert_eq!(s.register_counts().await.unwrap(), (0, 0));

    // Its own commune: 200 with the ids.
    let (st, body) = send(&s, post(&station, &bundle("23479", Some("2025-10-02")))).await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert_eq!(body["events"], 1);
    assert_eq!(body["persons"][0]["fullUrl"], "urn:uuid:p");
    let id = body["persons"][0]["id"].as_i64().unwrap();
    assert_eq!(s.register_counts().await.unwrap(), (1, 1));
    let logged = s
        .audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Registers),
            action: Some(AuditAction::Create),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].unit_code.as_deref(), Some("23479"));

    // Another station cannot add events to this person, even naming
    // itself as the recording unit.
    let more = json!({"resourceType": "Bundle", "type": "batch", "entry": [
        {"resource": {"resourceType": "Immunization",
            "extension": [{"url": "urn:ytcs:unit", "valueCode": other}],
            "status": "completed", "vaccineCode": {"coding": [{"system": "urn:ytcs:vaccine", "code": "hepb0"}]},
            "patient": {"reference": format!("Patient/{id}")},
            "occurrenceDateTime": "2025-10-02", "protocolApplied": [{"doseNumberPositiveInt": 1}]}}
    ]});
    let (st, body) = send(&s, post(&elsewhere, &more)).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(s.register_counts().await.unwrap(), (1, 1));

    // Read back: the station may, the other station may not.
    let uri = format!("/api/v1/persons/{id}/fhir");
    let (st, b) = send(&s, get(&station, &uri)).await;
    assert_eq!(st, StatusCode::OK, "{b}");
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(
        b["entry"][0]["resource"]["name"][0]["text"],
        "Hoàng Thị Thu"
    );
    // Another commune's person answers as nobody would (#13: ids cannot
    // be probed).
    let (st, _) = send(&s, get(&elsewhere, &uri)).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let reads = s
        .audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Person),
            action: Some(AuditAction::Read),
            object_id: Some(id.to_string()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(reads.len(), 1, "one allowed read, logged");
    let (st, _) = send(&s, get(&station, "/api/v1/persons/999999/fhir")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // A viewer can neither read personal data nor import.
    let viewer = common::session(&s, Role::Viewer, "23479").await;
    let (st, _) = send(&s, get(&viewer, &uri)).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = send(&s, post(&viewer, &bundle("23479", Some("2025-10-02")))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}
