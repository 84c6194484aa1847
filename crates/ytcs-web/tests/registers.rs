//! The registers on the web (#6): registering persons (with the duplicate
//! warning), finding them, the health record and who may read it (each
//! view audited), recording events, the printable registers and the due
//! lists; over a real SQLite store holding the reference units.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::org::OrgCode;
use ytcs_store::audit::AuditFilter;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 1, 10).unwrap()
}

struct Reply {
    status: StatusCode,
    location: String,
    body: String,
}

/// A world: the store, two communes of province 51 and a station session
/// of the first.
struct World {
    s: Arc<dyn Store>,
    _dir: tempfile::TempDir,
    mine: String,
    other: String,
    station: common::Session,
}

async fn world() -> World {
    let (s, dir) = common::units_store().await;
    let province = s
        .unit_at(&OrgCode::parse("51").unwrap(), today())
        .await
        .unwrap()
        .unwrap();
    let communes = s.children(province.id, today()).await.unwrap();
    let mine = communes[0].code.as_str().to_string();
    let other = communes[1].code.as_str().to_string();
    let station = common::session(&s, Role::DataEntry, &mine).await;
    World {
        s,
        _dir: dir,
        mine,
        other,
        station,
    }
}

async fn send(w: &World, session: &common::Session, req: Request<Body>) -> Reply {
    let resp = router(AppState {
        today,
        ..AppState::new(w.s.clone())
    })
    .oneshot(session.apply(req))
    .await
    .unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        location,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post(uri: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
        .unwrap()
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

/// Registers a person in the station's commune; the reply.
async fn register(w: &World, name: &str, sex: &str, birth: &str, extra: &[(&str, &str)]) -> Reply {
    let mut form = vec![
        ("org", w.mine.as_str()),
        ("full_name", name),
        ("sex", sex),
        ("birth_date", birth),
        ("ethnicity", "Kinh"),
        ("village", "Thôn Đông"),
    ];
    form.extend_from_slice(extra);
    send(w, &w.station, post("/persons", &form)).await
}

/// Registers a person that must be saved; their id.
async fn registered(w: &World, name: &str, sex: &str, birth: &str) -> i64 {
    let r = register(w, name, sex, birth, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location
        .strip_prefix("/persons/")
        .unwrap()
        .parse()
        .unwrap()
}

async fn search(w: &World, query: &str) -> String {
    let r = send(
        w,
        &w.station,
        get(&format!("/persons?org={}&{query}", w.mine)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    r.body
}

#[tokio::test]
async fn a_person_and_household_registered_by_form_are_found_by_name_with_or_without_diacritics_and_by_year(
) {
    let w = world().await;
    let form = w.station.clone();
    let r = send(&w, &form, get(&format!("/persons/new?org={}", w.mine))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("accesskey=\"s\"") && r.body.contains("autofocus"));
    assert!(r.body.contains("<datalist id=\"ethnic-groups\">") && r.body.contains("Ê Đê"));
    assert!(r.body.contains(r#"name="_csrf""#));
    // A station's staff get their own commune without naming it.
    let r = send(&w, &form, get("/persons/new")).await;
    assert!(r
        .body
        .contains(&format!(r#"name="org" value="{}""#, w.mine)));
    let r = register(
        &w,
        "Nguyễn Thị Lan",
        "female",
        "05/03/1990",
        &[
            ("household_number", "H-017"),
            ("card_number", "GD4511234567890"),
            ("card_from", "01/01/2026"),
            ("card_to", "31/12/2026"),
            ("ehr", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r.location["/persons/".len()..].parse().unwrap();
    let rec = w.s.person_record(id).await.unwrap().unwrap();
    assert_eq!(rec.person.ehr_opened_on, Some(today()));
    assert_eq!(rec.household.as_ref().unwrap().number, "H-017");
    assert_eq!(rec.cards.len(), 1);
    for q in [
        format!("q={}", enc("Nguyễn Thị Lan")),
        "q=nguyen+thi+lan".to_string(),
        "q=NGUYEN+lan".to_string(),
        "year=1990".to_string(),
        "household=H-017".to_string(),
    ] {
        let html = search(&w, &q).await;
        assert!(
            html.contains("Nguyễn Thị Lan") && html.contains(&format!("/persons/{id}")),
            "{q}"
        );
        assert!(html.contains("05/03/1990") && html.contains("H-017"), "{q}");
    }
    assert!(!search(&w, "year=1991").await.contains("Nguyễn Thị Lan"));
    // A second person of the same household number joins it.
    let second = registered(&w, "Trần Văn Nam", "male", "01/02/1988").await;
    let _ = second;
    let r = register(
        &w,
        "Trần Văn Hải",
        "male",
        "01/02/2015",
        &[("household_number", "H-017")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let commune =
        w.s.unit_at(&OrgCode::parse(&w.mine).unwrap(), today())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(w.s.households(commune.id).await.unwrap().len(), 1);
    // The record page shows the four parts and the card valid today.
    let r = send(&w, &w.station, get(&r.location)).await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(&w, &w.station, get(&format!("/persons/{id}"))).await;
    for part in [
        "1. Thông tin hành chính",
        "2. Tiền sử và yếu tố nguy cơ",
        "3. Tiêm chủng",
        "4. Khám bệnh",
        "Còn hạn hôm nay",
    ] {
        assert!(r.body.contains(part), "{part}");
    }
}

#[tokio::test]
async fn a_likely_duplicate_is_shown_and_nothing_saved_until_confirmed() {
    let w = world().await;
    let first = registered(&w, "Lê Thị Hoa", "female", "12/08/1975").await;
    let r = register(&w, "Le Thi Hoa", "female", "12/08/1975", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Có thể trùng"), "{}", r.body);
    assert!(r.body.contains(&format!("/persons/{first}")));
    assert!(r.body.contains("confirm_duplicate"));
    assert!(r.body.contains(r#"value="Le Thi Hoa""#), "values kept");
    let count =
        |html: String| html.matches("/persons/").count() - html.matches("/persons/new").count();
    assert_eq!(count(search(&w, "q=hoa").await), 1);
    let r = register(
        &w,
        "Le Thi Hoa",
        "female",
        "12/08/1975",
        &[("confirm_duplicate", "1")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(count(search(&w, "q=hoa").await), 2);
}

#[tokio::test]
async fn a_birth_date_in_the_future_is_refused_in_vietnamese_naming_the_field() {
    let w = world().await;
    let r = register(&w, "Phạm Văn Tương Lai", "male", "01/01/2027", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Chưa lưu gì"), "{}", r.body);
    assert!(
        r.body.contains("ngày sinh 01/01/2027 ở tương lai"),
        "{}",
        r.body
    );
    assert!(r.body.contains(r#"class="field-error""#));
    assert!(
        r.body.contains(r#"value="Phạm Văn Tương Lai""#),
        "values kept"
    );
    assert!(!search(&w, "q=tuong+lai").await.contains("Tương Lai"));
}

#[tokio::test]
async fn a_second_dose_without_the_first_is_refused_and_nothing_saved() {
    let w = world().await;
    let child = registered(&w, "Đỗ Minh Khang", "male", "01/09/2025").await;
    let uri = format!("/persons/{child}/events");
    let r = send(
        &w,
        &w.station,
        post(
            &uri,
            &[
                ("kind", "immunization"),
                ("vaccine", "penta"),
                ("dose", "2"),
                ("date", "05/01/2026"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("sai thứ tự: chưa có mũi 1"), "{}", r.body);
    assert!(w
        .s
        .person_record(child)
        .await
        .unwrap()
        .unwrap()
        .events
        .is_empty());
    // Dose 1 is recorded, and appears in part 3 and the timeline.
    let r = send(
        &w,
        &w.station,
        post(
            &uri,
            &[
                ("kind", "immunization"),
                ("vaccine", "penta"),
                ("dose", "1"),
                ("date", "05/11/2025"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let entries =
        w.s.audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Person),
            object_id: Some(child.to_string()),
            action: Some(AuditAction::Create),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 2, "the person, then the dose");
    // A measurement: z-scores on the timeline.
    let r = send(
        &w,
        &w.station,
        post(
            &uri,
            &[
                ("kind", "measurement"),
                ("date", "06/01/2026"),
                ("weight_kg", "6,1"),
                ("height_cm", "61"),
                ("lying", "1"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(&w, &w.station, get(&format!("/persons/{child}"))).await;
    assert!(r.body.contains("DPT-VGB-Hib"));
    assert!(
        r.body.contains("HAZ") && r.body.contains("WAZ"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_record_is_read_only_in_its_commune_and_every_view_is_audited() {
    let w = world().await;
    let id = registered(&w, "Võ Thị Mai", "female", "20/10/1960").await;
    let uri = format!("/persons/{id}");
    let elsewhere = common::session(&w.s, Role::DataEntry, &w.other).await;
    // Another commune's person answers as nobody would (#13).
    let r = send(&w, &elsewhere, get(&uri)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("Võ Thị Mai"));
    let viewer = common::session(&w.s, Role::Viewer, "51").await;
    let r = send(&w, &viewer, get(&uri)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(
        &w,
        &elsewhere,
        post(
            &format!("{uri}/events"),
            &[("kind", "elderly_check"), ("date", "05/01/2026")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let reads = || AuditFilter {
        object_kind: Some(ObjectKind::Person),
        object_id: Some(id.to_string()),
        action: Some(AuditAction::Read),
        ..AuditFilter::default()
    };
    assert_eq!(w.s.count_audit_entries(&reads()).await.unwrap(), 0);
    for n in 1..=2 {
        let r = send(&w, &w.station, get(&uri)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Võ Thị Mai"));
        assert_eq!(w.s.count_audit_entries(&reads()).await.unwrap(), n);
    }
    let e = &w.s.audit_entries(&reads()).await.unwrap()[0];
    assert_eq!(e.unit_code.as_deref(), Some(w.mine.as_str()));
    // Registering in another commune is refused, and the viewer finds nobody.
    let r = send(
        &w,
        &w.station,
        post(
            "/persons",
            &[
                ("org", w.other.as_str()),
                ("full_name", "Ngoài Phạm Vi"),
                ("sex", "male"),
                ("birth_date", "01/01/1990"),
                ("ethnicity", "Kinh"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&w, &viewer, get("/persons?q=mai")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&w, &elsewhere, get("/persons?q=vo+thi+mai")).await;
    assert!(!r.body.contains("Võ Thị Mai"));
    // The province's health-department manager reads it too.
    let province = common::session(&w.s, Role::Manager, "51").await;
    assert_eq!(send(&w, &province, get(&uri)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_printable_examination_register_lists_an_examination_of_the_period() {
    let w = world().await;
    let id = registered(&w, "Bùi Văn Sơn", "male", "02/02/1970").await;
    let r = send(
        &w,
        &w.station,
        post(
            &format!("/persons/{id}/events"),
            &[
                ("kind", "examination"),
                ("date", "05/01/2026"),
                ("icd10", "i10"),
                ("insured", "1"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let before =
        w.s.count_audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Registers),
            action: Some(AuditAction::Read),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let r = send(
        &w,
        &w.station,
        get(&format!(
            "/registers?org={}&book=examinations&from=01/01/2026&to=10/01/2026",
            w.mine
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sổ khám bệnh"));
    assert!(
        r.body.contains("Bùi Văn Sơn") && r.body.contains("I10") && r.body.contains("05/01/2026")
    );
    let after =
        w.s.count_audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Registers),
            action: Some(AuditAction::Read),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(after, before + 1);
    // Not in another period.
    let r = send(
        &w,
        &w.station,
        get(&format!(
            "/registers?org={}&book=examinations&from=01/12/2025&to=31/12/2025",
            w.mine
        )),
    )
    .await;
    assert!(!r.body.contains("Bùi Văn Sơn"));
    // Another commune's register is not for this station.
    let r = send(
        &w,
        &w.station,
        get(&format!("/registers?org={}&book=examinations", w.other)),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_due_list_shows_a_child_due_for_a_vaccine() {
    let w = world().await;
    let child = registered(&w, "Hồ Gia Bảo", "male", "01/11/2025").await;
    let adult = registered(&w, "Hồ Văn Lớn", "male", "01/11/1980").await;
    let r = send(
        &w,
        &w.station,
        post(
            &format!("/persons/{adult}/events"),
            &[
                ("kind", "ncd_enrolment"),
                ("ncd", "hypertension"),
                ("date", "01/10/2025"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(
        &w,
        &w.station,
        get(&format!("/registers/due?org={}", w.mine)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Hồ Gia Bảo") && r.body.contains(&format!("/persons/{child}")));
    assert!(r.body.contains("DPT-VGB-Hib"), "{}", r.body);
    assert!(r.body.contains("Hồ Văn Lớn") && r.body.contains("Chưa lần nào"));
}

#[tokio::test]
async fn the_timeline_warns_of_implausible_measurements_and_shows_control_of_hypertension() {
    let w = world().await;
    let child = registered(&w, "Lý Gia Huy", "male", "01/11/2025").await;
    let r = send(
        &w,
        &w.station,
        post(
            &format!("/persons/{child}/events"),
            &[
                ("kind", "measurement"),
                ("date", "06/01/2026"),
                ("weight_kg", "2,1"),
                ("height_cm", "61"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = send(&w, &w.station, get(&format!("/persons/{child}"))).await;
    assert!(
        r.body.contains("Số đo bất thường, cần kiểm tra"),
        "{}",
        r.body
    );
    assert!(r.body.contains("nhẹ cân") && r.body.contains("Cân nặng 2,1 kg"));
    let adult = registered(&w, "Lý Văn Toàn", "male", "01/11/1950").await;
    let uri = format!("/persons/{adult}/events");
    for f in [
        vec![
            ("kind", "ncd_enrolment"),
            ("ncd", "hypertension"),
            ("date", "01/12/2025"),
        ],
        vec![
            ("kind", "ncd_follow_up"),
            ("ncd", "hypertension"),
            ("date", "02/01/2026"),
            ("systolic", "150"),
            ("diastolic", "95"),
        ],
        vec![
            ("kind", "ncd_follow_up"),
            ("ncd", "hypertension"),
            ("date", "09/01/2026"),
            ("systolic", "130"),
            ("diastolic", "80"),
        ],
    ] {
        let r = send(&w, &w.station, post(&uri, &f)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = send(&w, &w.station, get(&format!("/persons/{adult}"))).await;
    let (newer, older) = (
        r.body.find("09/01/2026").unwrap(),
        r.body.rfind("02/01/2026").unwrap(),
    );
    assert!(newer < older, "newest first");
    assert!(r.body.contains("Chưa kiểm soát") && r.body.contains(">Kiểm soát<"));
    // A diastolic above the systolic names its field, nothing saved.
    let r = send(
        &w,
        &w.station,
        post(
            &uri,
            &[
                ("kind", "ncd_follow_up"),
                ("ncd", "hypertension"),
                ("date", "10/01/2026"),
                ("systolic", "90"),
                ("diastolic", "120"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("trường diastolic"), "{}", r.body);
    assert!(r
        .body
        .contains(r#"value="120" inputmode="decimal" size="6" aria-invalid="true""#));
    let rec = w.s.person_record(adult).await.unwrap().unwrap();
    assert_eq!(rec.events.len(), 3);
    // In English, the texts change; the engine's message stays Vietnamese.
    let r = send(&w, &w.station, get(&format!("/persons/{adult}?lang=en"))).await;
    assert!(r.body.contains("1. Administrative data") && r.body.contains("Not controlled"));
}

/// The unit carrying `code` on `on`.
async fn unit_on(w: &World, code: &str, on: &str) -> ytcs_core::org::UnitId {
    w.s.unit_at(&OrgCode::parse(code).unwrap(), on.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A person recorded under `commune` (a unit id), with events.
fn recorded(
    id: i64,
    name: &str,
    birth: &str,
    commune: ytcs_core::org::UnitId,
) -> ytcs_core::register::Person {
    ytcs_core::register::Person {
        id,
        full_name: name.into(),
        sex: ytcs_core::network::Sex::Male,
        birth_date: birth.parse().unwrap(),
        ethnicity: "Kinh".into(),
        national_id: None,
        household: None,
        commune,
        village: "Tổ dân phố 9".into(),
        registered_on: birth.parse().unwrap(),
        ehr_opened_on: None,
        death: None,
    }
}

fn event_of(
    id: i64,
    person: i64,
    date: &str,
    unit: ytcs_core::org::UnitId,
    kind: ytcs_core::register::EventKind,
) -> ytcs_core::register::Event {
    ytcs_core::register::Event {
        id,
        person,
        date: date.parse().unwrap(),
        unit,
        kind,
        flags: vec![],
    }
}

#[tokio::test]
async fn persons_of_a_merged_commune_are_found_listed_due_and_exported_by_the_commune_that_took_it_over(
) {
    use ytcs_core::register::{EventKind, Ncd};
    let w = world().await;
    // Phường Nguyễn Nghiêm (21025 until 2025-06-30) and Phường Nghĩa
    // Chánh (21019) are part of Phường Cẩm Thành (21025 from 2025-07-01).
    let nguyen_nghiem = unit_on(&w, "21025", "2025-01-01").await;
    let nghia_chanh = unit_on(&w, "21019", "2025-01-01").await;
    let cam_thanh = unit_on(&w, "21025", "2026-01-01").await;
    let h = w.s.hierarchy().await.unwrap();
    let batch = ytcs_store::registers::RegisterBatch {
        persons: vec![
            recorded(-1, "Phan Văn Việt", "2025-10-01", nguyen_nghiem),
            recorded(-2, "Lê Văn Chánh", "1960-04-04", nghia_chanh),
        ],
        events: vec![
            event_of(
                -11,
                -1,
                "2025-10-02",
                nguyen_nghiem,
                EventKind::Immunization {
                    vaccine: "bcg".into(),
                    dose: 1,
                },
            ),
            event_of(
                -12,
                -1,
                "2025-10-03",
                cam_thanh,
                EventKind::Immunization {
                    vaccine: "hepb0".into(),
                    dose: 1,
                },
            ),
            event_of(
                -13,
                -2,
                "2024-03-01",
                nghia_chanh,
                EventKind::NcdEnrolment {
                    ncd: Ncd::Hypertension,
                },
            ),
        ],
        ..Default::default()
    };
    let map = ytcs_engine::registers::save(w.s.as_ref(), &h, &batch, "test", today())
        .await
        .unwrap();
    let (viet, chanh) = (map.persons[&-1], map.persons[&-2]);
    let station = common::session(&w.s, Role::DataEntry, "21025").await;

    // Found by name, with and without diacritics.
    for q in ["Phan Văn Việt", "phan van viet", "viet"] {
        let r = send(&w, &station, get(&format!("/persons?q={}", enc(q)))).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains(&format!("/persons/{viet}\">Phan Văn Việt")),
            "{q}: {}",
            r.body
        );
    }
    // The record names the commune of his time and the one holding it.
    let r = send(&w, &station, get(&format!("/persons/{viet}"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("Phường Nguyễn Nghiêm (21025), nay thuộc Phường Cẩm Thành (21025)"),
        "{}",
        r.body
    );
    // The book lists what the old ward and the new one recorded, each row
    // a link to the record.
    let r = send(
        &w,
        &station,
        get("/registers?org=21025&book=immunizations&from=01/07/2025&to=10/01/2026"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body
            .matches(&format!("<a href=\"/persons/{viet}\">Phan Văn Việt</a>"))
            .count(),
        2,
        "{}",
        r.body
    );
    // Due: his pentavalent dose (two months on 1 December 2025) and the
    // hypertension never followed up.
    let r = send(&w, &station, get("/registers/due")).await;
    assert!(r.body.contains(&format!("/persons/{viet}")), "{}", r.body);
    assert!(r.body.contains("DPT-VGB-Hib"), "{}", r.body);
    assert!(r.body.contains(&format!("/persons/{chanh}")), "{}", r.body);
    // A dose recorded today is recorded by Phường Cẩm Thành.
    let r = send(
        &w,
        &station,
        post(
            &format!("/persons/{viet}/events"),
            &[
                ("kind", "immunization"),
                ("vaccine", "penta"),
                ("dose", "1"),
                ("date", "05/12/2025"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let rec = w.s.person_record(viet).await.unwrap().unwrap();
    assert_eq!(rec.events.last().unwrap().unit, cam_thanh);

    // FHIR: the commune of today brings both; an old code needs a date.
    let patients = |body: &str| body.matches("\"resourceType\":\"Patient\"").count();
    let r = send(&w, &station, get("/api/v1/fhir?commune=21025")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(patients(&r.body), 2);
    let r = send(&w, &station, get("/api/v1/fhir?commune=21019")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("2025-06-30"), "{}", r.body);
    let r = send(
        &w,
        &station,
        get("/api/v1/fhir?commune=21019&at=2025-01-01"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(patients(&r.body), 1);
    assert!(r.body.contains("Chánh"));
    // Another commune's station reads none of them.
    let other = common::session(&w.s, Role::DataEntry, "21034").await;
    let r = send(&w, &other, get("/api/v1/fhir?commune=21025")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&w, &other, get(&format!("/persons/{viet}"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The commune's `live_births` of a month, both sexes (`None`: no value).
async fn live_births(w: &World, code: &str, month: &str) -> Option<i64> {
    let unit = unit_on(w, code, "2026-01-10").await;
    let values =
        w.s.data_values(&ytcs_store::values::ValueFilter {
            element: Some("live_births".into()),
            period: Some(month.parse().unwrap()),
            units: Some(vec![unit]),
            ..Default::default()
        })
        .await
        .unwrap();
    (!values.is_empty()).then(|| values.iter().map(|v| v.value.value.0 / 1000).sum())
}

#[tokio::test]
async fn a_newborn_registered_at_the_station_is_a_live_birth_at_once_and_on_the_mothers_record() {
    let w = world().await;
    let mother = registered(&w, "Trần Thị Mai", "female", "12/03/1995").await;
    // Her pregnancy, still open.
    let r = send(
        &w,
        &w.station,
        post(
            &format!("/persons/{mother}/events"),
            &[
                ("kind", "pregnancy"),
                ("date", "01/06/2025"),
                ("expected", "08/01/2026"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let before = live_births(&w, &w.mine, "2026-01").await.unwrap_or(0);
    // The form offers the newborn's part, in Vietnamese.
    let r = send(&w, &w.station, get(&format!("/persons/new?org={}", w.mine))).await;
    assert!(r.body.contains("Trẻ mới sinh") && r.body.contains("Cân nặng khi sinh (gam)"));
    // A mother who is no woman of the register is refused, naming the field.
    let bad = register(
        &w,
        "Nguyễn Văn Con",
        "male",
        "05/01/2026",
        &[("newborn", "1"), ("mother", "999999")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Mẹ: không có hồ sơ phụ nữ"),
        "{}",
        bad.body
    );
    assert_eq!(
        live_births(&w, &w.mine, "2026-01").await.unwrap_or(0),
        before
    );
    // Registered with her as the mother.
    let mother_id = mother.to_string();
    let r = register(
        &w,
        "Nguyễn Văn Con",
        "male",
        "05/01/2026",
        &[
            ("newborn", "1"),
            ("mother", &mother_id),
            ("birth_weight", "3200"),
            ("birth_place", "facility"),
            ("newborn_screened", "1"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let child: i64 = r
        .location
        .strip_prefix("/persons/")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        live_births(&w, &w.mine, "2026-01").await,
        Some(before + 1),
        "the month's live births rise by one in the same save"
    );
    // The mother's record shows the child; her pregnancy ended in a live birth.
    let r = send(&w, &w.station, get(&format!("/persons/{mother}"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sinh con"), "{}", r.body);
    assert!(
        r.body
            .contains(&format!("<a href=\"/persons/{child}\">Nguyễn Văn Con</a>")),
        "{}",
        r.body
    );
    assert!(r.body.contains("05/01/2026") && r.body.contains("Tại cơ sở y tế"));
    let her = w.s.person_record(mother).await.unwrap().unwrap();
    assert!(her.events.iter().any(|e| matches!(
        e.kind,
        ytcs_core::register::EventKind::Pregnancy {
            ended: Some(end),
            outcome: Some(ytcs_core::register::PregnancyOutcome::LiveBirth),
            ..
        } if end.to_string() == "2026-01-05"
    )));
    // The child's record carries the birth, registered from birth.
    let rec = w.s.person_record(child).await.unwrap().unwrap();
    assert_eq!(rec.person.registered_on.to_string(), "2026-01-05");
    assert!(matches!(
        rec.events[0].kind,
        ytcs_core::register::EventKind::Birth { mother: Some(m), weight_g: Some(g), .. }
            if m == mother && (g - 3200.0).abs() < 1e-9
    ));
    // A child over one is no newborn.
    let old = register(&w, "Lê Văn Lớn", "male", "05/01/2024", &[("newborn", "1")]).await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(old.body.contains("trẻ mới sinh phải dưới 1 tuổi"));
}

#[tokio::test]
async fn the_printable_pregnancy_register_counts_each_pregnancys_antenatal_visits() {
    let w = world().await;
    let mut pregnancies = Vec::new();
    for (name, visits) in [("Đỗ Thị Hoa", 2), ("Lý Thị Lan", 0)] {
        let mother = registered(&w, name, "female", "12/03/1995").await;
        let r = send(
            &w,
            &w.station,
            post(
                &format!("/persons/{mother}/events"),
                &[
                    ("kind", "pregnancy"),
                    ("date", "05/01/2026"),
                    ("expected", "08/08/2026"),
                ],
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let pregnancy =
            w.s.person_record(mother)
                .await
                .unwrap()
                .unwrap()
                .events
                .into_iter()
                .find(|e| matches!(e.kind, ytcs_core::register::EventKind::Pregnancy { .. }))
                .unwrap()
                .id;
        for day in ["06/01/2026", "08/01/2026"].into_iter().take(visits) {
            let r = send(
                &w,
                &w.station,
                post(
                    &format!("/persons/{mother}/events"),
                    &[
                        ("kind", "antenatal_visit"),
                        ("date", day),
                        ("pregnancy", &pregnancy.to_string()),
                    ],
                ),
            )
            .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        pregnancies.push(name);
    }
    let r = send(
        &w,
        &w.station,
        get(&format!(
            "/registers?org={}&book=pregnancies&from=01/01/2026&to=10/01/2026",
            w.mine
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Each row: registered, name, age, expected, visits, screened, outcome.
    let row = |name: &str| -> Vec<String> {
        let start = r
            .body
            .find(name)
            .unwrap_or_else(|| panic!("{name}: {}", r.body));
        let end = start + r.body[start..].find("</tr>").unwrap();
        r.body[start..end]
            .split("<td>")
            .skip(1)
            .map(|c| c.split('<').next().unwrap_or("").trim().to_string())
            .collect()
    };
    assert_eq!(row(pregnancies[0])[2], "2", "{:?}", row(pregnancies[0]));
    assert_eq!(row(pregnancies[1])[2], "0", "{:?}", row(pregnancies[1]));
}
