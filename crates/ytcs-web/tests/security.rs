//! The holes a security probe found (#13), each reproduced through the
//! router over a real SQLite store: unbounded anonymous input, plans of
//! other provinces, personal data in the audit log, uploads refused as
//! forgeries, open redirects, temporary passwords on the API, persons kept
//! under communes merged in the 2025 reform, ids that could be probed.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::audit::{AuditAction, NewAuditEntry, ObjectKind};
use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_core::register::Person;
use ytcs_store::accounts::NewAccount;
use ytcs_store::audit::AuditFilter;
use ytcs_store::registers::RegisterBatch;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 1, 10).unwrap()
}

fn d(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn state(s: &Arc<dyn Store>) -> AppState {
    AppState {
        today,
        ..AppState::new(s.clone())
    }
}

async fn send(st: &AppState, req: Request<Body>) -> Reply {
    let resp = router(st.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn post_form(uri: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
        .unwrap()
}

/// `POST /data/import` as a browser sends it: multipart, the anti-forgery
/// token as a form field (not a header), the session cookie.
fn upload(session: &common::Session, file_name: &str, content: &[u8]) -> Request<Body> {
    let boundary = "XyZbOuNdArY";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n",
        session.csrf
    )
    .into_bytes();
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Request::post("/data/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::COOKIE, &session.cookie)
        .body(Body::from(body))
        .unwrap()
}

fn from_address(mut req: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:50000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

async fn account(s: &Arc<dyn Store>, name: &str, password: &str, role: Role, must_change: bool) {
    s.create_account(&NewAccount {
        username: name.into(),
        display_name: name.into(),
        password_hash: ytcs_web::auth::hash_password(password).unwrap(),
        role,
        scope: ytcs_core::access::parse_scope("51").unwrap(),
        must_change_password: must_change,
    })
    .await
    .unwrap();
}

// ------------------------------------------------ 1. anonymous input

#[tokio::test]
async fn a_failed_sign_in_cannot_make_the_server_store_a_huge_name() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    // 20 MB is refused before it is read whole; nothing is logged.
    let huge = format!(
        r#"{{"username":"{}","password":"x"}}"#,
        "a".repeat(20 * 1024 * 1024)
    );
    let r = send(
        &st,
        from_address(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(huge))
                .unwrap(),
            "10.0.0.1",
        ),
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(r.body.len() < 2_000, "{} bytes of answer", r.body.len());
    // A name that fits the body limit but no account: logged cut short.
    let long = format!(r#"{{"username":"{}","password":"x"}}"#, "b".repeat(10_000));
    let r = send(
        &st,
        from_address(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(long))
                .unwrap(),
            "10.0.0.1",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let entries = s
        .audit_entries(&AuditFilter {
            action: Some(AuditAction::LoginFailed),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(entries.len(), 1, "only the second attempt is logged");
    let e = &entries[0];
    let stored = e.actor.len() + e.object_id.len();
    assert!(stored < 1_000, "{stored} bytes of name stored");
    // The sign-in form is bounded the same way.
    let r = send(
        &st,
        post_form(
            "/login",
            &[("username", &"c".repeat(100_000)), ("password", "x")],
        ),
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(r.body.len() < 50_000, "{} bytes", r.body.len());
}

// ------------------------------------------------ 3. plans of others

#[tokio::test]
async fn a_manager_edits_and_confirms_only_the_plans_of_their_province() {
    let (s, _d) = common::fixture_store(common::Fixture {
        units: true,
        seeds: true,
        demo: false,
    })
    .await;
    let st = state(&s);
    let manager = common::session(&s, Role::Manager, "51").await;
    let plans = s.list_plans().await.unwrap();
    let foreign = plans
        .iter()
        .find(|p| {
            p.issuer
                .as_deref()
                .is_some_and(|i| i.contains("Lào Cai") || i.contains("Kon Rẫy"))
        })
        .expect("a plan of another province");
    let before = s.get_plan(foreign.id).await.unwrap().unwrap().plan;
    let r = send(
        &st,
        manager.apply(post_form(
            &format!("/plans/{}/review", foreign.id),
            &[("title", "Đã bị sửa")],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = send(
        &st,
        manager.apply(post_form(
            &format!("/plans/{}/review", foreign.id),
            &[("issuer", "UBND tỉnh Quảng Ngãi")],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "taking the plan over");
    let r = send(
        &st,
        manager.apply(post_form(&format!("/plans/{}/confirm", foreign.id), &[])),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let after = s.get_plan(foreign.id).await.unwrap().unwrap();
    assert_eq!(after.plan, before, "nothing changed");
    assert!(after.summary.confirmed_at.is_none());
    // The administrator may.
    let admin = common::admin(&s).await;
    let r = send(
        &st,
        admin.apply(post_form(&format!("/plans/{}/confirm", foreign.id), &[])),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

// ------------------------------------------------ 4. the audit log

#[tokio::test]
async fn the_audit_log_shows_a_manager_only_what_their_scope_covers() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let h = s.hierarchy().await.unwrap();
    let commune_of = |province: &str| {
        let p = h
            .unit_at(&OrgCode::parse(province).unwrap(), today())
            .unwrap();
        h.children(p.id, today())
            .into_iter()
            .find(|u| u.kind == OrgKind::Commune)
            .unwrap()
            .code
            .as_str()
            .to_string()
    };
    let hanoi = commune_of("01");
    let mine = commune_of("51");
    for (unit, name) in [(&hanoi, "Trần Thị Hà Nội"), (&mine, "Lê Văn Quảng")] {
        s.append(
            &NewAuditEntry::new("tramyte", AuditAction::Read, ObjectKind::Person, "77")
                .with_unit(unit.clone())
                .with_change(
                    None,
                    Some(serde_json::json!({"full_name": name, "national_id": "001190012345"})),
                ),
        )
        .await
        .unwrap();
    }
    s.append(&NewAuditEntry::new(
        "someone",
        AuditAction::LoginFailed,
        ObjectKind::User,
        "matkhau-go-nham",
    ))
    .await
    .unwrap();
    let manager = common::session(&s, Role::Manager, "51").await;
    let r = send(&st, manager.apply(get("/admin/audit?kind=person"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        !r.body.contains("Trần Thị Hà Nội"),
        "another province's person"
    );
    assert!(r.body.contains("Lê Văn Quảng"), "their own province's");
    let r = send(&st, manager.apply(get("/admin/audit"))).await;
    assert!(!r.body.contains("matkhau-go-nham"), "entries about no unit");
    let admin = common::admin(&s).await;
    let r = send(&st, admin.apply(get("/admin/audit"))).await;
    assert!(r.body.contains("Trần Thị Hà Nội"));
    assert!(r.body.contains("matkhau-go-nham"));
}

// ------------------------------------------------ 6. large uploads

#[tokio::test]
async fn a_browser_upload_over_two_megabytes_is_not_taken_for_a_forgery() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let manager = common::session(&s, Role::Manager, "51").await;
    let mut csv = String::from("element,org,period,disagg,value\n");
    while csv.len() < 2_300_000 {
        csv.push_str("no_such_element,51,2024,,1\n");
    }
    let req = upload(&manager, "values.csv", csv.as_bytes());
    let r = send(&st, req).await;
    assert_ne!(
        r.status,
        StatusCode::FORBIDDEN,
        "{}",
        &r.body[..r.body.len().min(500)]
    );
    assert!(!r.body.contains("Biểu mẫu đã hết hạn"));
    // The file was read: its rows are named as bad (the element is unknown).
    assert!(
        r.body.contains("no_such_element"),
        "{}",
        &r.body[..r.body.len().min(2000)]
    );
}

// ------------------------------------------------ 2. spreadsheet bombs

#[tokio::test]
async fn an_excel_file_that_would_take_gigabytes_is_refused_naming_the_cell() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let manager = common::session(&s, Role::Manager, "51").await;
    let bomb = ytcs_testkit::shared_string_bomb(200, 10 * 1024 * 1024);
    let req = upload(&manager, "values.xlsx", &bomb);
    let r = send(&st, req).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert!(
        r.body.contains("ô A1 chứa hơn 32767 ký tự"),
        "{}",
        &r.body[..r.body.len().min(3000)]
    );
}

// ------------------------------------------------ 11. redirects

#[tokio::test]
async fn redirects_stay_on_this_site() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let viewer = common::session(&s, Role::Viewer, "51").await;
    for next in [
        "/%5Cevil.example",
        "/%09/evil.example",
        "%2F%2Fevil.example",
        "/%0A/evil.example",
        "/%0D%0ASet-Cookie:%20a=1",
    ] {
        let r = send(&st, viewer.apply(get(&format!("/lang/en?next={next}")))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}: {}", r.body);
        assert_eq!(r.location(), "/", "{next}");
    }
    let r = send(&st, viewer.apply(get("/lang/en?next=/plans%3Fx%3D1"))).await;
    assert_eq!(r.location(), "/plans?x=1");
    // The sign-in form's `next` likewise.
    account(&s, "hanh", "mật khẩu của Hạnh", Role::Viewer, false).await;
    let r = send(
        &st,
        post_form(
            "/login",
            &[
                ("username", "hanh"),
                ("password", "mật khẩu của Hạnh"),
                ("next", "/\t/evil.example"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let r = send(&st, get("/login?next=%2F%5Cevil.example")).await;
    assert!(!r.body.contains("evil.example"));
}

// ------------------------------------------------ 12. temporary passwords

#[tokio::test]
async fn a_temporary_password_opens_nothing_on_the_api_but_the_session() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    account(&s, "moi", "mật khẩu tạm thời", Role::Manager, true).await;
    let r = send(
        &st,
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"username":"moi","password":"mật khẩu tạm thời"}"#,
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let bearer = |uri: &str| {
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    for uri in ["/api/v1/plans", "/api/v1/persons/1/fhir", "/api/v1/org/51"] {
        let r = send(&st, bearer(uri)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.body.contains("temporary password"), "{}", r.body);
    }
    let r = send(&st, bearer("/api/v1/session")).await;
    assert_eq!(r.status, StatusCode::OK);
}

// ------------------------------------------------ 10, 16. persons

/// A commune of province 51 made in the 2025 reform from two or more
/// communes, and those communes.
fn merged_commune(h: &ytcs_core::hierarchy::Hierarchy) -> (String, Vec<ytcs_core::org::UnitId>) {
    let p = h.unit_at(&OrgCode::parse("51").unwrap(), today()).unwrap();
    let mut stack = vec![p.id];
    while let Some(u) = stack.pop() {
        let unit = h.unit(u).unwrap();
        if unit.kind == OrgKind::Commune {
            let preds: Vec<_> = h
                .predecessors(u)
                .into_iter()
                .filter(|l| l.predecessor != u && (l.weight - 1.0).abs() < 1e-9)
                .map(|l| l.predecessor)
                .collect();
            if preds.len() >= 2 {
                return (unit.code.as_str().to_string(), preds);
            }
            continue;
        }
        stack.extend(h.children(u, today()).iter().map(|c| c.id));
    }
    panic!("no merged commune in 51");
}

fn person(id: i64, name: &str, commune: ytcs_core::org::UnitId) -> Person {
    Person {
        id,
        full_name: name.into(),
        sex: Sex::Female,
        birth_date: d("1990-05-06"),
        ethnicity: "Kinh".into(),
        national_id: None,
        household: None,
        commune,
        village: "Tổ 3".into(),
        registered_on: d("2021-01-01"),
        ehr_opened_on: None,
        death: None,
    }
}

#[tokio::test]
async fn a_station_reads_the_persons_of_the_communes_merged_into_its_own() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let h = s.hierarchy().await.unwrap();
    let (code, former) = merged_commune(&h);
    let hanoi = h
        .children(
            h.unit_at(&OrgCode::parse("01").unwrap(), today())
                .unwrap()
                .id,
            today(),
        )
        .into_iter()
        .find(|u| u.kind == OrgKind::Commune)
        .unwrap()
        .id;
    ytcs_store::raw::writes(&*s)
        .bulk_load(
            &RegisterBatch {
                persons: vec![
                    person(900_001, "Phan Thị Việt", former[0]),
                    person(900_002, "Phan Thị Việt Hà", former[1]),
                    person(900_003, "Phan Thị Hà Nội", hanoi),
                ],
                ..RegisterBatch::default()
            },
            "test",
        )
        .await
        .unwrap();
    let station = common::session(&s, Role::DataEntry, &code).await;
    let r = send(&st, station.apply(get("/persons?q=phan+thi+viet"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Phan Thị Việt Hà"), "{}", r.body);
    assert!(r.body.contains("/persons/900001"));
    assert!(!r.body.contains("Hà Nội"));
    let r = send(&st, station.apply(get("/persons/900001"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = send(&st, station.apply(get("/persons/900002"))).await;
    assert_eq!(r.status, StatusCode::OK);
    // Someone elsewhere and nobody at all answer alike.
    let elsewhere = send(&st, station.apply(get("/persons/900003"))).await;
    let nobody = send(&st, station.apply(get("/persons/999999"))).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    let elsewhere = send(&st, station.apply(get("/api/v1/persons/900003/fhir"))).await;
    let nobody = send(&st, station.apply(get("/api/v1/persons/999999/fhir"))).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(elsewhere.body, nobody.body.replace("999999", "900003"));
    let r = send(&st, station.apply(get("/api/v1/persons/900001/fhir"))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ------------------------------------------------ 14, 15. accounts

#[tokio::test]
async fn the_last_administrator_cannot_be_demoted_or_deactivated() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let admin = common::admin(&s).await;
    let me = s
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Admin)
        .unwrap();
    for form in [
        vec![("role", "manager"), ("scope", "51"), ("active", "on")],
        vec![("role", "admin"), ("scope", "")],
    ] {
        let r = send(
            &st,
            admin.apply(post_form(&format!("/admin/users/{}", me.id), &form)),
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{form:?}");
        assert!(r.body.contains("quản trị viên duy nhất"), "{}", r.body);
    }
    let still = s.accounts().await.unwrap();
    let still = still.iter().find(|a| a.id == me.id).unwrap();
    assert!(still.role == Role::Admin && still.active);
    // With a second administrator, the first may step down.
    account(&s, "quantri2", "mật khẩu quản trị hai", Role::Admin, false).await;
    let r = send(
        &st,
        admin.apply(post_form(
            &format!("/admin/users/{}", me.id),
            &[("role", "manager"), ("scope", "51"), ("active", "on")],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_scope_must_name_units_that_exist() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let admin = common::admin(&s).await;
    let n = s.count_accounts().await.unwrap();
    let r = send(
        &st,
        admin.apply(post_form(
            "/admin/users",
            &[
                ("username", "ma"),
                ("display_name", "Mã Ảo"),
                ("role", "viewer"),
                ("scope", "51 99999"),
            ],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("mã đơn vị không tồn tại"), "{}", r.body);
    assert_eq!(s.count_accounts().await.unwrap(), n);
    // An ended unit's code is a unit all the same (a former district).
    let r = send(
        &st,
        admin.apply(post_form(
            "/admin/users",
            &[
                ("username", "ma"),
                ("display_name", "Mã Thật"),
                ("role", "viewer"),
                ("scope", "51"),
            ],
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn a_common_password_is_refused_when_a_user_chooses_one() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    account(&s, "lan", "mật khẩu tạm của Lan", Role::Viewer, true).await;
    let r = send(
        &st,
        post_form(
            "/login",
            &[("username", "lan"), ("password", "mật khẩu tạm của Lan")],
        ),
    )
    .await;
    let cookie = r.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = send(
        &st,
        Request::get("/account/password")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let csrf = page
        .body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .unwrap()
        .to_string();
    for weak in ["aaaaaaaaaa", "Matkhau123", "1234567890"] {
        let mut req = post_form(
            "/account/password",
            &[
                ("_csrf", &csrf),
                ("current", "mật khẩu tạm của Lan"),
                ("new", weak),
                ("confirm", weak),
            ],
        );
        req.headers_mut()
            .insert(header::COOKIE, cookie.parse().unwrap());
        let r = send(&st, req).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{weak}");
        assert!(r.body.contains("quá dễ đoán"), "{weak}: {}", r.body);
    }
}

// ------------------------------------------------ 7. stale forms

/// The form as a browser would send it back untouched: every field with
/// the value it shows, and what it was built on.
fn form_as_shown(html: &str) -> Vec<(String, String)> {
    let attr = |part: &str| -> (String, String) {
        let name = part.split('"').next().unwrap().to_string();
        let value = part
            .split("value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap()
            .replace("&#x2c;", ",");
        (name, value)
    };
    let mut out: Vec<(String, String)> = html
        .split("name=\"was.")
        .skip(1)
        .map(|p| {
            let (n, v) = attr(p);
            (format!("was.{n}"), v)
        })
        .collect();
    out.extend(html.split("name=\"v.").skip(1).map(|p| {
        let (n, v) = attr(p);
        (format!("v.{n}"), v)
    }));
    out
}

fn with(mut form: Vec<(String, String)>, field: &str, value: &str) -> Vec<(String, String)> {
    for (k, v) in &mut form {
        if k == field {
            *v = value.to_string();
        }
    }
    form
}

async fn yearly_value(
    s: &Arc<dyn Store>,
    unit: ytcs_core::org::UnitId,
    element: &str,
) -> Option<String> {
    s.data_values(&ytcs_store::values::ValueFilter {
        element: Some(element.into()),
        period: Some("2025".parse().unwrap()),
        units: Some(vec![unit]),
        ..Default::default()
    })
    .await
    .unwrap()
    .first()
    .map(|v| v.value.value.to_string())
}

#[tokio::test]
async fn a_stale_form_changes_only_what_its_user_changed_and_a_conflict_is_refused() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let h = s.hierarchy().await.unwrap();
    let p = h.unit_at(&OrgCode::parse("51").unwrap(), today()).unwrap();
    let commune = h
        .children(p.id, today())
        .into_iter()
        .find(|u| u.kind == OrgKind::Commune)
        .unwrap()
        .clone();
    let station = common::session(&s, Role::DataEntry, commune.code.as_str()).await;
    let url = format!(
        "/data/entry?set=commune_annual&org={}&period=2025",
        commune.code
    );
    let post = |form: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        station.apply(post_form(&url, &pairs))
    };
    // A and B open the same form.
    let page = send(&st, station.apply(get(&url))).await;
    assert_eq!(page.status, StatusCode::OK);
    let shown = form_as_shown(&page.body);
    assert!(
        shown.iter().any(|(k, _)| k == "v.stations_reporting."),
        "{shown:?}"
    );
    let a = with(shown.clone(), "v.stations_reporting.", "5");
    let b = with(shown, "v.survey_respondents.", "100");
    assert_eq!(send(&st, post(a)).await.status, StatusCode::SEE_OTHER);
    let r = send(&st, post(b)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        yearly_value(&s, commune.id, "stations_reporting")
            .await
            .as_deref(),
        Some("5"),
        "B's older page did not delete A's value"
    );
    assert_eq!(
        yearly_value(&s, commune.id, "survey_respondents")
            .await
            .as_deref(),
        Some("100")
    );
    // Both change the same field: the second is told, nothing is written.
    let page = send(&st, station.apply(get(&url))).await;
    let shown = form_as_shown(&page.body);
    let c = with(shown.clone(), "v.stations_reporting.", "6");
    let d = with(shown, "v.stations_reporting.", "7");
    assert_eq!(send(&st, post(c)).await.status, StatusCode::SEE_OTHER);
    let r = send(&st, post(d)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("người khác đã lưu giá trị mới"),
        "{}",
        r.body
    );
    assert!(r.body.contains("5 → 6"), "{}", r.body);
    assert_eq!(
        yearly_value(&s, commune.id, "stations_reporting")
            .await
            .as_deref(),
        Some("6")
    );
    // Sent again from the page that explained it, the user's value holds.
    let again = form_as_shown(&r.body);
    let r = send(&st, post(again)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        yearly_value(&s, commune.id, "stations_reporting")
            .await
            .as_deref(),
        Some("7")
    );
}

// ------------------------------------------------ 16. form fields

#[tokio::test]
async fn a_form_of_100000_fields_gets_a_short_refusal() {
    let (s, _d) = common::units_store().await;
    let st = state(&s);
    let station = common::session(&s, Role::Manager, "51").await;
    let mut body = format!("_csrf={}", station.csrf);
    for i in 0..100_000 {
        body.push_str(&format!("&v.x{i}.=1"));
    }
    let req = Request::post("/data/entry?set=commune_annual&org=51&period=2025")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &station.cookie)
        .body(Body::from(body))
        .unwrap();
    let r = send(&st, req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.len() < 20_000, "{} bytes", r.body.len());
    assert!(r.body.contains("quá nhiều ô"));
}
