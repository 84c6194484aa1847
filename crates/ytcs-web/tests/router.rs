//! The router driven without a socket (`tower::ServiceExt::oneshot`) over a
//! real SQLite store holding the reference units.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::OnceLock;
use tower::ServiceExt;
use ytcs_store::{Store, StoreConfig};
use ytcs_web::{router, AppState};

/// The reference database is built once per test binary (on a thread with
/// its own runtime); each test opens its own pool on it, so no pool outlives
/// the runtime that made it.
fn database() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let path = dir.path().join("w.db");
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                ytcs_store::open_initialised(&StoreConfig::Sqlite { path })
                    .await
                    .unwrap();
            })
        })
        .join()
        .unwrap();
        dir
    })
    .path()
}

async fn store() -> Arc<dyn Store> {
    ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: database().join("w.db"),
    })
    .await
    .unwrap()
}

fn fixed_today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 1, 15).unwrap()
}

async fn get(uri: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
    let s = store().await;
    let app = router(AppState {
        today: fixed_today,
        ..AppState::new(s.clone())
    });
    let mut req = Request::builder().uri(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let req = common::as_admin(&s, req.body(Body::empty()).unwrap()).await;
    let resp = app.oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_layout_is_vietnamese_with_every_area_in_the_navigation() {
    let (status, headers, html) = get("/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .contains("text/html"));
    assert!(html.contains(r#"<html lang="vi">"#));
    for area in [
        "Việc của tôi",
        "Kế hoạch",
        "Chỉ tiêu",
        "Nhiệm vụ",
        "Dữ liệu",
        "Hồ sơ sức khỏe",
        "Mạng lưới",
        "Báo cáo",
        "Quản trị",
    ] {
        assert!(html.contains(area), "navigation lacks {area}");
    }
    // Today's counts, on the network page: 34 provinces, 3.321 communes
    // (Vietnamese grouping).
    let (_, _, html) = get("/network", None).await;
    assert!(html.contains(">34<"), "{html}");
    assert!(html.contains("3.321"));
    assert!(html.contains("10.051"), "communes before the reform");
}

#[tokio::test]
async fn english_is_chosen_by_query_or_cookie() {
    let (_, _, html) = get("/?lang=en", None).await;
    assert!(
        html.contains(r#"<html lang="en">"#)
            && html.contains("My work")
            && html.contains("Health records")
    );
    let (_, _, html) = get("/network", Some("theme=x; lang=en")).await;
    assert!(html.contains("Provinces"));
}

#[tokio::test]
async fn the_language_switch_sets_a_cookie_and_redirects_locally() {
    let (status, headers, _) = get("/lang/en?next=/org/51%3Fat%3D2025-08-01", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/org/51?at=2025-08-01");
    assert!(headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .starts_with("lang=en;"));
    let (_, headers, _) = get("/lang/vi?next=https://evil.example", None).await;
    assert_eq!(headers[header::LOCATION], "/");
}

#[tokio::test]
async fn a_unit_page_shows_ancestors_children_and_history_as_of_a_date() {
    let (status, _, html) = get("/org/614?at=2024-06-01", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Huyện Kon Rẫy</h1>"));
    assert!(html.contains("Tỉnh Kon Tum"));
    assert!(html.contains("Thị trấn Đắk Rve"), "children listed");
    assert!(html.contains("Bỏ cấp huyện"), "district abolished in 2025");

    let (_, _, html) = get("/org/23479?at=2025-08-01", None).await;
    assert!(html.contains("<h1>Xã Đăk Rve</h1>"));
    assert!(html.contains("Tỉnh Quảng Ngãi"));
    assert!(html.contains("Hình thành từ"));
    assert!(html.contains("Xã Đắk Pne") && html.contains("Thị trấn Đắk Rve"));
    assert!(
        html.contains("Cùng mã ở thời điểm khác"),
        "the reused code is shown"
    );
}

#[tokio::test]
async fn unknown_units_and_bad_dates_get_vietnamese_errors() {
    let (status, _, html) = get("/org/99999?at=2025-08-01", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không có đơn vị nào mang mã này"));
    let (status, _, html) = get("/org/51?at=2025-02-30", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("Ngày không hợp lệ"));
    let (status, _, html) = get("/khong-co", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Không tìm thấy trang"));
}

#[tokio::test]
async fn network_search_finds_units_without_diacritics() {
    let (status, _, html) = get("/network?q=dak+rve&at=2025-08-01", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Xã Đăk Rve") && html.contains("Thị trấn Đắk Rve"));
    assert!(html.contains("Tỉnh Quảng Ngãi"), "provinces listed");
}

#[tokio::test]
async fn text_from_the_database_is_escaped() {
    let (_, _, html) = get("/network?q=%3Cscript%3Ealert(1)%3C/script%3E", None).await;
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn the_api_returns_the_org_contract() {
    let (status, headers, body) = get("/api/v1/org/23479?at=2025-08-01", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["name"], "Xã Đăk Rve");
    assert_eq!(v["kind"], "commune");
    assert_eq!(v["valid_from"], "2025-07-01");
    assert_eq!(v["ancestors"][0]["code"], "51");
    let mut preds: Vec<&str> = v["predecessors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    preds.sort();
    assert_eq!(preds, ["Thị trấn Đắk Rve", "Xã Đắk Pne"]);

    let (status, _, body) = get("/api/v1/org/23479?at=yesterday", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("bad_date"));
    let (status, _, body) = get("/api/v1/org/99999", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("unknown_unit"));
    let (status, _, body) = get("/api/v1/nothing", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("not_found"));
}

#[tokio::test]
async fn the_api_searches_units() {
    let (status, _, body) = get("/api/v1/org?q=kon%20ray&at=2024-06-01", None).await;
    assert_eq!(status, StatusCode::OK);
    let v: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert!(v.iter().any(|u| u["name"] == "Huyện Kon Rẫy"));
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document() {
    let (status, _, body) = get("/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    // Every API route of the route table, with its method.
    let mut n = 0;
    for (method, path, _) in ytcs_web::route_table() {
        if path.starts_with("/api/") || path == "/healthz" {
            let m = method.as_str().to_lowercase();
            assert!(
                paths.get(path).and_then(|p| p.get(&m)).is_some() || path == "/api/v1/openapi.json",
                "{method} {path} undocumented"
            );
            n += 1;
        }
    }
    assert!(n >= 9, "{n}");
    // Every $ref resolves.
    for r in body.match_indices("#/components/schemas/") {
        let name: String = body[r.0 + 21..]
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        assert!(
            doc["components"]["schemas"].get(&name).is_some(),
            "dangling $ref {name}"
        );
    }
}

#[tokio::test]
async fn health_and_security_headers() {
    let (status, headers, body) = get("/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#""status":"ok""#));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let (status, headers, css) = get("/static/app.css", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(css.contains("--accent"));
}

#[tokio::test]
async fn future_areas_are_reachable_and_say_what_they_will_hold() {
    for (path, title) in [
        ("/plans", "Kế hoạch"),
        ("/targets", "Chỉ tiêu"),
        ("/tasks", "Nhiệm vụ"),
        ("/data", "Dữ liệu"),
        ("/records", "Hồ sơ sức khỏe"),
        ("/reports", "Báo cáo"),
        ("/admin", "Quản trị"),
    ] {
        let (status, _, html) = get(path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        assert!(html.contains(r#"aria-current="page""#));
    }
}
