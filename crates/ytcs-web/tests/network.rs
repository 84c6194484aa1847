//! A unit's network page, its edit forms and the import templates, driven
//! without a socket over a real SQLite store holding the demo network of
//! Quảng Ngãi (built once, copied per test).

mod common;

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_core::validity::Validity;
use ytcs_store::network::NewUnit;
use ytcs_store::{Store, StoreConfig};
use ytcs_web::{router, AppState};

/// Commune Đăk Rve (after the reform) and a day under today's units.
const PAGE: &str = "/org/23479/network?at=2026-01-01";
/// A village whose name is markup, to check escaping.
const EVIL: &str = "<b>Thôn \"X\" & Y</b>";

fn d(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

/// A fresh copy per test of a database built once: reference units, the
/// demo network, and one village named with markup.
async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    static BASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let path = dir.path().join("n.db");
        std::thread::spawn(move || {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let s = ytcs_store::open_initialised(&StoreConfig::Sqlite { path })
                    .await
                    .unwrap();
                ytcs_synth::demo_network::load_demo(s.as_ref())
                    .await
                    .unwrap();
                let commune = s
                    .unit_at(&OrgCode::parse("23479").unwrap(), d("2026-01-01"))
                    .await
                    .unwrap()
                    .unwrap();
                s.add_units(&[NewUnit {
                    code: OrgCode::parse("23479-99").unwrap(),
                    name: EVIL.into(),
                    kind: OrgKind::Village,
                    validity: Validity::since(d("2025-07-01")),
                    parents: vec![(commune.id, Validity::since(d("2025-07-01")))],
                }])
                .await
                .unwrap();
                s.close().await;
            })
        })
        .join()
        .unwrap();
        dir
    });
    let dir = tempfile::tempdir().unwrap();
    common::snapshot(&base.path().join("n.db"), &dir.path().join("n.db")).await;
    let s = ytcs_store::open(&StoreConfig::Sqlite {
        path: dir.path().join("n.db"),
    })
    .await
    .unwrap();
    (s, dir)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

async fn send(state: &AppState, req: Request<Body>) -> Reply {
    let req = common::as_admin(&state.store, req).await;
    let resp = router(state.clone()).oneshot(req).await.unwrap();
    Reply {
        status: resp.status(),
        headers: resp.headers().clone(),
        body: resp
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    }
}

async fn get(state: &AppState, uri: &str) -> Reply {
    send(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(state: &AppState, uri: &str, form: &str) -> Reply {
    send(
        state,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn the_page_shows_facilities_staff_villages_pyramid_and_indicators_with_a_trend() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    let r = get(&st, PAGE).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    // Inside the common chrome, with "Mạng lưới" highlighted.
    assert!(html.contains("<nav class=\"main\">"), "{html}");
    assert!(
        html.contains("class=\"active\" aria-current=\"page\">Mạng lưới</a>"),
        "{html}"
    );
    assert!(html.contains("<h1>Mạng lưới y tế: "));
    for heading in [
        "Chỉ số mạng lưới",
        "Tháp dân số",
        "Nhân lực theo chức danh",
        "Cơ sở y tế",
        "Thôn, bản",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    // Facilities and staff as stored, on the date.
    let data = s.network().await.unwrap();
    let station = data
        .facilities
        .iter()
        .find(|f| f.code.as_str() == "TYT-23479")
        .expect("the demo has Đăk Rve's station");
    assert!(html.contains(&station.name), "{}", station.name);
    assert!(html.contains("Trạm Y tế xã"));
    assert!(html.contains("Bác sĩ") || html.contains("Y sĩ"));
    // Villages by code, the SVG pyramid, several years of indicators.
    assert!(html.contains("23479-"), "villages listed");
    assert!(html.contains("<svg") && html.contains("<rect"), "pyramid");
    let years: Vec<i32> = (2020..=2030)
        .filter(|y| html.contains(&format!("<th class=\"num\">{y}</th>")))
        .collect();
    assert!(years.len() >= 3, "a trend over years: {years:?}");
    assert!(html.contains("Bác sĩ trên 10.000 dân") || html.contains("10.000"));
    // Forms and template links.
    for action in ["facility", "staff", "village", "population"] {
        assert!(html.contains(&format!("action=\"/org/23479/network/{action}\"")));
    }
    assert!(html.contains("/network/templates/population.xlsx"));
}

#[tokio::test]
async fn the_page_speaks_english_when_asked() {
    let (s, _d) = store().await;
    let st = AppState::new(s);
    let r = get(&st, &format!("{PAGE}&lang=en")).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("<html lang=\"en\">"));
    for t in [
        "Health network",
        "Network indicators",
        "Population pyramid",
        "Staff by cadre",
        "Facilities",
        "Add a facility",
        "Commune health station",
    ] {
        assert!(html.contains(t), "{t}");
    }
    assert!(html.contains("class=\"active\" aria-current=\"page\">Network</a>"));
    assert!(!html.contains("Nhân lực theo chức danh"));
}

#[tokio::test]
async fn the_unit_page_links_to_the_network_in_both_languages() {
    let (s, _d) = store().await;
    let st = AppState::new(s);
    let vi = get(&st, "/org/23479?at=2026-01-01").await.text();
    assert!(vi.contains(">Mạng lưới y tế của đơn vị ›</a>"), "{vi}");
    assert!(vi.contains("href=\"/org/23479/network?at=2026-01-01\""));
    let en = get(&st, "/org/23479?at=2026-01-01&lang=en").await.text();
    assert!(en.contains(">Health network of this unit ›</a>"), "{en}");
}

#[tokio::test]
async fn an_unknown_code_is_a_vietnamese_404_and_a_bad_date_a_400() {
    let (s, _d) = store().await;
    let st = AppState::new(s);
    let r = get(&st, "/org/99999999/network?at=2026-01-01").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("Không có đơn vị nào mang mã này"));
    assert!(r.text().contains("<nav class=\"main\">"));
    let r = get(&st, "/org/23479/network?at=2026-13-45").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("Ngày không hợp lệ"));
}

#[tokio::test]
async fn text_from_the_registry_is_escaped() {
    let (s, _d) = store().await;
    let st = AppState::new(s);
    let html = get(&st, PAGE).await.text();
    assert!(!html.contains(EVIL));
    assert!(
        html.contains("&#60;b&#62;Thôn &#34;X&#34; &#38; Y&#60;/b&#62; <small>23479-99</small>"),
        "escaped village name"
    );
}

#[tokio::test]
async fn a_write_is_visible_on_the_next_request_through_the_cache() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    assert!(!get(&st, PAGE).await.text().contains("Thôn Mới Lập"));
    let commune = s
        .unit_at(&OrgCode::parse("23479").unwrap(), d("2026-01-01"))
        .await
        .unwrap()
        .unwrap();
    s.add_units(&[NewUnit {
        code: OrgCode::parse("23479-98").unwrap(),
        name: "Thôn Mới Lập".into(),
        kind: OrgKind::Village,
        validity: Validity::since(d("2025-07-01")),
        parents: vec![(commune.id, Validity::since(d("2025-07-01")))],
    }])
    .await
    .unwrap();
    assert!(get(&st, PAGE).await.text().contains("Thôn Mới Lập"));
}

#[tokio::test]
async fn the_facility_form_adds_a_facility_and_keeps_input_when_refused() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    let r = post(
        &st,
        "/org/23479/network/facility",
        "at=2026-01-01&code=PK-9001&name=Ph%C3%B2ng+kh%C3%A1m+An+B%C3%ACnh&kind=private_clinic&status=active&beds=4&opened=2025-09-01",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/org/23479/network?at=2026-01-01&saved="),
        "{to}"
    );
    let html = get(&st, &to).await.text();
    assert!(html.contains("Đã lưu."));
    assert!(html.contains("Phòng khám An Bình") && html.contains("Phòng khám tư nhân"));
    // The same code again overlaps: refused, in Vietnamese, input kept.
    let r = post(
        &st,
        "/org/23479/network/facility",
        "at=2026-01-01&code=PK-9001&name=Tr%C3%B9ng&kind=private_clinic&status=active&beds=-2&opened=",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Chưa lưu — hãy sửa các lỗi sau:"), "{html}");
    assert!(html.contains("Cơ sở PK-9001 đã được đăng ký"), "{html}");
    assert!(html.contains("số giường -2 là số âm"), "{html}");
    assert!(html.contains("value=\"Trùng\""));
    assert_eq!(
        s.network()
            .await
            .unwrap()
            .facilities
            .iter()
            .filter(|f| f.code.as_str() == "PK-9001")
            .count(),
        1
    );
}

#[tokio::test]
async fn the_staff_form_refuses_a_second_permanent_post_at_once() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    let first = "at=2026-01-01&code=NV-W1&name=L%C3%AA+Th%E1%BB%8B+Hoa&cadre=doctor&qualification=&workplace=TYT-23479&post_kind=permanent&from=2025-08-01";
    let r = post(&st, "/org/23479/network/staff", first).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(s
        .network()
        .await
        .unwrap()
        .staff
        .iter()
        .any(|m| m.code == "NV-W1"));
    let before = s.network().await.unwrap();
    let second = "at=2026-01-01&code=NV-W1&name=&cadre=doctor&qualification=&workplace=TYT-23479&post_kind=permanent&from=2025-10-01";
    let r = post(&st, "/org/23479/network/staff", second).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("Nhân viên NV-W1 có hai vị trí biên chế cùng lúc"),
        "{html}"
    );
    assert!(html.contains("value=\"2025-10-01\""));
    assert_eq!(s.network().await.unwrap(), before, "nothing written");
    // A missing date is refused before the store is asked.
    let r = post(
        &st,
        "/org/23479/network/staff",
        "at=2026-01-01&code=NV-W2&name=A&cadre=nurse&workplace=TYT-23479&post_kind=rotation&from=",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Hãy nhập «Từ ngày»"));
}

#[tokio::test]
async fn the_village_form_adds_a_village_under_a_commune_only() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    let r = post(
        &st,
        "/org/23479/network/village",
        "at=2026-01-01&code=23479-77&name=Th%C3%B4n+K%C3%B4+Xia&from=2025-07-01",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(get(&st, PAGE).await.text().contains("Thôn Kô Xia"));
    // A second village with the same code at once is refused, in Vietnamese.
    let r = post(
        &st,
        "/org/23479/network/village",
        "at=2026-01-01&code=23479-77&name=L%E1%BA%A1i&from=2025-07-01",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .contains("Cây đơn vị hành chính sẽ không còn nhất quán"),
        "{}",
        r.text()
    );
    // Under a province: refused before writing.
    let r = post(
        &st,
        "/org/51/network/village",
        "at=2026-01-01&code=51-01&name=X&from=",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("chỉ thêm được dưới đơn vị cấp xã"));
}

#[tokio::test]
async fn the_population_form_adds_a_figure_and_refuses_a_negative_one() {
    let (s, _d) = store().await;
    let st = AppState::new(s.clone());
    let r = post(
        &st,
        "/org/23479/network/population",
        "at=2026-01-01&year=2031&sex=female&age=25-29&count=321",
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(s
        .network()
        .await
        .unwrap()
        .population
        .iter()
        .any(|p| p.year == 2031 && p.count == 321));
    assert!(get(&st, PAGE)
        .await
        .text()
        .contains("<th class=\"num\">2031</th>"));
    let before = s.network().await.unwrap();
    let r = post(
        &st,
        "/org/23479/network/population",
        "at=2026-01-01&year=2032&sex=male&age=0-4&count=-5",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(
        html.contains("năm 2032, nam, nhóm tuổi 0-4: -5 là số âm"),
        "{html}"
    );
    assert!(html.contains("value=\"-5\""));
    assert_eq!(s.network().await.unwrap(), before, "nothing written");
    // Not a number: refused with the field's name.
    let r = post(
        &st,
        "/org/23479/network/population",
        "at=2026-01-01&year=2032&sex=male&age=0-4&count=abc",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .contains("«Số người»: «abc» không phải là số nguyên."));
}

#[tokio::test]
async fn templates_download_as_real_xlsx_and_csv_with_vietnamese_names() {
    use calamine::Reader;
    let (s, _d) = store().await;
    let st = AppState::new(s);
    let r = get(&st, "/network/templates/facilities.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let cd = r.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(cd.starts_with("attachment; filename=\"mau-nhap-co-so-y-te.xlsx\"; filename*=UTF-8''M%E1%BA%ABu%20nh%E1%BA%ADp%20c%C6%A1%20s%E1%BB%9F%20y%20t%E1%BA%BF.xlsx"), "{cd}");
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(r.body.clone())).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header, ytcs_registry::Table::Facilities.headers());
    assert!(sheet.rows().count() >= 2, "an example row");

    let r = get(&st, "/network/templates/population.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("filename=\"mau-nhap-dan-so.csv\""));
    assert!(r
        .text()
        .starts_with(&ytcs_registry::Table::Population.headers().join(",")));

    assert_eq!(
        get(&st, "/network/templates/nothing.xlsx").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&st, "/network/templates/staff.pdf").await.status,
        StatusCode::NOT_FOUND
    );
}
