//! The national commune-health criteria on the web, over a real SQLite
//! store holding the reference units.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 1, 10).unwrap()
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    common::fixture_store(common::Fixture {
        units: true,
        seeds: false,
        demo: false,
    })
    .await
}

async fn send(
    s: &Arc<dyn Store>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let resp = router(AppState {
        today,
        ..AppState::new(s.clone())
    })
    .oneshot(common::as_admin(s, req).await)
    .await
    .unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).to_string())
}

fn post(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap()
}

fn scores(points: [&str; 10]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("s.{}={}", i + 1, p))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn a_commune_that_scores_80_with_every_criterion_at_half_passes_and_is_recognised() {
    let (s, _d) = store().await;
    let (status, _, html) = send(
        &s,
        Request::get("/org/23479/criteria?year=2025")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Bộ tiêu chí quốc gia về y tế xã") && html.contains("Xã Đăk Rve"));
    let form = scores(["12", "8", "10", "7", "16", "10", "5", "9", "1,5", "2"])
        + "&recognised_on=2025-12-20";
    let (status, headers, _) = send(&s, post("/org/23479/criteria?year=2025", &form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/org/23479/criteria?year=2025");
    let (_, _, html) = send(
        &s,
        Request::get("/org/23479/criteria?year=2025")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(html.contains("ĐẠT — 80,5 / 100"), "{html}");
    assert!(html.contains("hiệu lực đến 19/12/2028"));
    let commune = s
        .unit_at(&ytcs_core::org::OrgCode::parse("23479").unwrap(), today())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.passed_assessments().await.unwrap().len(), 1);
    assert_eq!(s.assessments(commune.id).await.unwrap()[0].total, 80.5);
}

#[tokio::test]
async fn a_criterion_under_half_fails_and_a_pass_date_is_not_kept_for_a_failure() {
    let (s, _d) = store().await;
    let form = scores(["14", "10", "12", "9", "19", "12", "6", "11", "1", "4"])
        + "&recognised_on=2025-12-20";
    send(&s, post("/org/23479/criteria?year=2025", &form)).await;
    let (_, _, html) = send(
        &s,
        Request::get("/org/23479/criteria?year=2025")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(html.contains("CHƯA ĐẠT — 98 / 100"), "{html}");
    assert!(html.contains("Tiêu chí 9 chưa đạt 50 % số điểm."));
    assert!(s.passed_assessments().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_score_above_its_maximum_is_refused_with_the_form_kept() {
    let (s, _d) = store().await;
    let form = scores(["15", "8", "10", "7", "16", "10", "5", "9", "abc", "2"]);
    let (status, _, html) = send(&s, post("/org/23479/criteria?year=2025", &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("«abc» không phải là số điểm"), "{html}");
    assert!(html.contains(r#"value="15""#), "what was typed is kept");
    let (status, _, html) = send(
        &s,
        post(
            "/org/23479/criteria?year=2025",
            &scores(["15", "8", "10", "7", "16", "10", "5", "9", "1", "2"]),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("mục 1: 15 điểm nằm ngoài khoảng 0–14"),
        "{html}"
    );
    let commune = s
        .unit_at(&ytcs_core::org::OrgCode::parse("23479").unwrap(), today())
        .await
        .unwrap()
        .unwrap();
    assert!(
        s.assessments(commune.id).await.unwrap().is_empty(),
        "nothing saved"
    );
}

#[tokio::test]
async fn only_todays_communes_have_criteria() {
    let (s, _d) = store().await;
    let (status, _, _) = send(
        &s,
        Request::get("/org/51/criteria")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, html) = send(
        &s,
        Request::get("/org/23479?at=2025-08-01")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(html.contains(r#"href="/org/23479/criteria""#));
}

/// `communes_criteria_pct` of a unit for a year, as units stand today.
async fn criteria_pct(s: &Arc<dyn Store>, code: &str, year: i32) -> Option<f64> {
    let h = s.hierarchy().await.unwrap();
    let unit = h
        .unit_at(&ytcs_core::org::OrgCode::parse(code).unwrap(), today())
        .unwrap();
    ytcs_engine::evaluate(
        s.as_ref(),
        &h,
        "communes_criteria_pct",
        ytcs_core::period::Period::Year(year),
        today(),
        &[unit.id],
    )
    .await
    .unwrap()[0]
        .value
}

#[tokio::test]
async fn assessments_feed_the_share_of_communes_meeting_the_criteria() {
    let (s, _d) = store().await;
    let pass = scores(["12", "8", "10", "7", "16", "10", "5", "9", "1,5", "2"])
        + "&recognised_on=2025-11-15";
    let fail = scores(["14", "10", "12", "9", "19", "12", "6", "11", "1", "4"]);
    let (status, _, _) = send(&s, post("/org/23479/criteria?year=2025", &pass)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(criteria_pct(&s, "23479", 2025).await, Some(100.0));
    // The recognition runs three years: 2026 (today's year) counts too.
    assert_eq!(criteria_pct(&s, "23479", 2026).await, Some(100.0));
    // Another commune of the province fails: the province is at half.
    let h = s.hierarchy().await.unwrap();
    let here = h
        .unit_at(&ytcs_core::org::OrgCode::parse("23479").unwrap(), today())
        .unwrap();
    let province = h.ancestors(here.id, today())[0].clone();
    let other = h
        .children(province.id, today())
        .into_iter()
        .find(|c| c.id != here.id)
        .unwrap()
        .clone();
    let (status, _, _) = send(
        &s,
        post(&format!("/org/{}/criteria?year=2025", other.code), &fail),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(criteria_pct(&s, other.code.as_str(), 2025).await, Some(0.0));
    assert_eq!(
        criteria_pct(&s, province.code.as_str(), 2025).await,
        Some(50.0)
    );
    // The derived values are ordinary values: a rebuild finds them equal.
    let report = s.rebuild(false).await.unwrap();
    assert_eq!(
        (report.missing, report.extra, report.different),
        (0, 0, 0),
        "{report:?}"
    );

    // A year approved and locked refuses a new assessment, and keeps the old.
    let year = ytcs_core::period::Period::Year(2025);
    for (m, who) in [
        (ytcs_core::approval::ApprovalAction::Submit, "tram"),
        (ytcs_core::approval::ApprovalAction::Approve, "ttyt"),
    ] {
        s.transition_approval(here.id, year, m, who, None, None)
            .await
            .unwrap();
    }
    let (status, _, html) = send(&s, post("/org/23479/criteria?year=2025", &fail)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("đã được duyệt và khóa"), "{html}");
    assert!(s.assessments(here.id).await.unwrap()[0].passed);
    assert_eq!(criteria_pct(&s, "23479", 2025).await, Some(100.0));
}
