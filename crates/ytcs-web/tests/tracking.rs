//! Running the plans on the web: deadlines and overdue tasks, progress
//! updates with evidence files, the reporting calendar, budget execution.
//! Driven without a socket over a real SQLite store with the seed plans.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2025, 3, 1).unwrap()
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    common::fixture_store(common::Fixture {
        units: false,
        seeds: true,
        demo: false,
    })
    .await
}

async fn send(
    s: &Arc<dyn Store>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let state = AppState {
        today,
        ..AppState::new(s.clone())
    };
    let resp = router(state)
        .oneshot(common::as_admin(s, req).await)
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    (
        status,
        headers,
        resp.into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

async fn get(s: &Arc<dyn Store>, uri: &str) -> (StatusCode, String) {
    let (st, _, b) = send(s, Request::get(uri).body(Body::empty()).unwrap()).await;
    (st, String::from_utf8_lossy(&b).to_string())
}

async fn kon_ray(s: &Arc<dyn Store>) -> i64 {
    s.list_plans()
        .await
        .unwrap()
        .iter()
        .find(|p| p.issuer.as_deref() == Some("UBND huyện Kon Rẫy"))
        .unwrap()
        .id
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let b = "BoUnDaRy";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"evidence\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes());
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

#[tokio::test]
async fn tasks_past_their_deadline_are_overdue_and_listed_first() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/tasks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Nhiệm vụ</h1>"));
    // Kon Rẫy's plan has tasks due in quý IV/2024: overdue on 2025-03-01.
    assert!(html.contains("Quá hạn"));
    assert!(html.contains(r#"<tr class="overdue">"#));
    let first_row = html.find("<tbody>").map(|i| &html[i..i + 400]).unwrap();
    assert!(first_row.contains("overdue"), "overdue first: {first_row}");
    let (_, only) = get(&s, "/tasks?overdue=1").await;
    assert!(!only.contains(r#"<tr class="">"#), "only overdue rows");
    let (_, filtered) = get(&s, "/tasks?unit=trung+tam+y+te").await;
    assert!(filtered.contains("Trung tâm Y tế"));
}

#[tokio::test]
async fn a_progress_update_with_evidence_is_kept_and_downloadable() {
    let (s, _d) = store().await;
    let plan = kon_ray(&s).await;
    let task = s
        .get_plan(plan)
        .await
        .unwrap()
        .unwrap()
        .plan
        .tasks
        .iter()
        .find(|t| t.timeframe.kind == ytcs_core::plan::TimeframeKind::Quarter)
        .unwrap()
        .id
        .clone();
    let url = format!("/plans/{plan}/task?t={}", task.replace('#', "%23"));
    let pdf = b"%PDF-1.4 bien ban nghiem thu".to_vec();
    let (ct, body) = multipart(
        &[
            ("status", "done"),
            ("on", "2025-02-20"),
            ("progress", "100"),
            ("note", "Đã hoàn thành rà soát"),
        ],
        Some(("biên bản.pdf", &pdf)),
    );
    let (status, headers, _) = send(
        &s,
        Request::post(&url)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .starts_with(&format!("/plans/{plan}/task?t=")));
    let (_, html) = get(&s, &url).await;
    assert!(html.contains("Đã hoàn thành rà soát") && html.contains("Hoàn thành"));
    assert!(html.contains("biên bản.pdf"));
    let updates = s.task_updates(plan).await.unwrap();
    let (status, headers, bytes) = send(
        &s,
        Request::get(format!("/evidence/{}", updates[0].id))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"bien_ban.pdf\""));
    assert_eq!(bytes, pdf);
    // Done: no longer overdue.
    let (_, tasks) = get(&s, "/tasks?overdue=1").await;
    assert!(
        !tasks.contains(&format!("t={}\"", task.replace('#', "%23")))
            || !tasks.contains("Đã hoàn thành rà soát")
    );
}

#[tokio::test]
async fn forbidden_or_oversized_evidence_is_refused_and_nothing_is_saved() {
    let (s, _d) = store().await;
    let plan = kon_ray(&s).await;
    let task = s.get_plan(plan).await.unwrap().unwrap().plan.tasks[0]
        .id
        .clone();
    let url = format!("/plans/{plan}/task?t={}", task.replace('#', "%23"));
    let (ct, body) = multipart(
        &[("status", "in_progress")],
        Some(("virus.exe", b"MZ\x90\x00")),
    );
    let (status, _, html) = send(
        &s,
        Request::post(&url)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&html).contains("Loại tệp minh chứng không được chấp nhận"));
    let big = vec![b'x'; 11 * 1024 * 1024];
    let (ct, body) = multipart(&[("status", "in_progress")], Some(("anh.jpg", &big)));
    let (status, _, html) = send(
        &s,
        Request::post(&url)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&html).contains("vượt quá 10 MB"));
    // A file of 0 bytes proves nothing.
    let (ct, body) = multipart(&[("status", "in_progress")], Some(("bien-ban.pdf", b"")));
    let (status, _, html) = send(
        &s,
        Request::post(&url)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&html)
        .contains("Tệp minh chứng rỗng (0 byte): hãy chọn lại tệp. «bien-ban.pdf»"));
    let (ct, body) = multipart(&[("status", "in_progress"), ("progress", "150")], None);
    let (status, _, _) = send(
        &s,
        Request::post(&url)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(s.task_updates(plan).await.unwrap().is_empty());
}

#[tokio::test]
async fn the_reporting_calendar_shows_missing_reports_until_submitted() {
    let (s, _d) = store().await;
    let plan = kon_ray(&s).await;
    let (_, html) = get(&s, "/tasks").await;
    // Kon Rẫy reports "trước ngày 15 tháng 12" every year: 15/12/2024 is missing on 1/3/2025.
    assert!(html.contains("15/12/2024"), "{html}");
    assert!(html.contains("Chưa nộp (quá hạn)"));
    let duty = s
        .get_plan(plan)
        .await
        .unwrap()
        .unwrap()
        .plan
        .reporting
        .iter()
        .position(|d| {
            d.deadline
                .as_ref()
                .is_some_and(|x| x.month == Some(12) && x.day == Some(15))
        })
        .unwrap();
    let unit = s.get_plan(plan).await.unwrap().unwrap().plan.reporting[duty]
        .by
        .first()
        .cloned()
        .unwrap_or_default();
    let form = format!(
        "duty={duty}&due=2024-12-15&unit={}&submitted_on=2024-12-20",
        unit.replace(' ', "+")
    );
    let (status, _, _) = send(
        &s,
        Request::post(format!("/plans/{plan}/reports"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = get(&s, "/tasks").await;
    assert!(html.contains("Nộp muộn"), "submitted after 15/12 is late");
}

#[tokio::test]
async fn budget_execution_is_shown_and_overruns_are_flagged() {
    let (s, _d) = store().await;
    let lao_cai = s
        .list_plans()
        .await
        .unwrap()
        .iter()
        .find(|p| p.issuer.as_deref() == Some("UBND thành phố Lào Cai"))
        .unwrap()
        .id;
    let line = s
        .get_plan(lao_cai)
        .await
        .unwrap()
        .unwrap()
        .plan
        .budget
        .iter()
        .find(|b| b.amount_vnd == 54_000_000)
        .unwrap()
        .id
        .clone();
    let post = |form: String| {
        Request::post(format!("/plans/{lao_cai}/budget"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap()
    };
    let (status, _, _) = send(
        &s,
        post(format!(
            "line={}&kind=disbursement&amount=27.000.000&on=2024-06-01",
            line.replace('#', "%23")
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = get(&s, &format!("/plans/{lao_cai}")).await;
    assert!(
        html.contains("27.000.000") && html.contains("50 %"),
        "half the line is disbursed"
    );
    send(
        &s,
        post(format!(
            "line={}&kind=disbursement&amount=30.000.000&on=2024-09-01",
            line.replace('#', "%23")
        )),
    )
    .await;
    let (_, html) = get(&s, &format!("/plans/{lao_cai}")).await;
    assert!(
        html.contains("Vượt dự toán"),
        "a disbursement beyond the line is flagged"
    );
    let (status, _, html) = send(
        &s,
        post(format!(
            "line={}&kind=disbursement&amount=m%E1%BB%99t+tri%E1%BB%87u",
            line.replace('#', "%23")
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&html).contains("Số tiền phải là số đồng nguyên dương"));
    assert_eq!(s.budget_entries(lao_cai).await.unwrap().len(), 2);
}
