//! The plan report on the web: every format answered with its type and
//! file name and read back, the defaults (issuer's unit, this year), the
//! refusals in Vietnamese, who may read it, and the form on the plan page.

mod common;

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::tracking::TaskStatus;
use ytcs_store::tracking::NewTaskUpdate;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

const SEED: &str = "003_3ea79b4f7be72fab.txt";

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2025, 9, 1).unwrap()
}

/// The reference units, the Quảng Ngãi seed plan (issuer: province 51) and
/// one progress update of 2025.
async fn store() -> (Arc<dyn Store>, tempfile::TempDir, i64) {
    let (s, dir) = common::units_store().await;
    let bytes = std::fs::read(format!(
        "{}/../../data/seeds/{SEED}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (plan, text) = ytcs_plandoc::read_document(SEED, &bytes).unwrap();
    let (id, _) = s.insert_plan(&plan, &text).await.unwrap();
    s.add_task_update(&NewTaskUpdate {
        plan_id: id,
        task_id: plan.tasks[1].id.clone(),
        on: "2025-04-10".parse().unwrap(),
        status: TaskStatus::InProgress,
        progress: Some(60),
        note: "Đã tổ chức hội nghị triển khai.".into(),
        evidence: None,
    })
    .await
    .unwrap();
    (s, dir, id)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }
}

async fn get_as(s: &Arc<dyn Store>, role: Option<Role>, uri: &str) -> Answer {
    let state = AppState {
        today,
        ..AppState::new(s.clone())
    };
    let mut req = Request::get(uri).body(Body::empty()).unwrap();
    if let Some(role) = role {
        req = common::session(s, role, "51").await.apply(req);
    }
    let resp = router(state).oneshot(req).await.unwrap();
    Answer {
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

#[tokio::test]
async fn every_format_is_answered_as_a_file_and_reads_back() {
    let (s, _dir, id) = store().await;
    let base = format!("/plans/{id}/report?org=51&year=2025");

    let a = get_as(&s, Some(Role::Manager), &format!("{base}&format=docx")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header(header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(
        a.header(header::CONTENT_DISPOSITION),
        format!("attachment; filename=\"bao-cao-ke-hoach-{id}-51-2025.docx\"")
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a.body.clone())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("BÁO CÁO"));
    assert!(xml.contains("Kết quả thực hiện Kế hoạch số 193/KH-UBND ngày 02/11/2023 của UBND tỉnh Quảng Ngãi, năm 2025"));
    assert!(xml.contains("Đã tổ chức hội nghị triển khai."));

    let a = get_as(&s, Some(Role::Manager), &format!("{base}&format=xlsx")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.header(header::CONTENT_TYPE),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(a
        .header(header::CONTENT_DISPOSITION)
        .ends_with("-51-2025.xlsx\""));
    {
        use calamine::Reader;
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(a.body.clone())).unwrap();
        let first = wb.worksheet_range("Tổng hợp").unwrap();
        let cells: Vec<String> = first.rows().flatten().map(|c| c.to_string()).collect();
        assert!(cells.iter().any(|c| c == "BÁO CÁO"));
        assert!(cells.iter().any(|c| c == "Tỉnh Quảng Ngãi (mã 51)"));
        let tasks = wb.worksheet_range("II. Nhiệm vụ").unwrap();
        assert!(tasks
            .rows()
            .flatten()
            .any(|c| c.to_string().as_str() == "Đang thực hiện"));
    }

    let a = get_as(&s, Some(Role::Manager), &format!("{base}&format=pdf")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header(header::CONTENT_TYPE), "application/pdf");
    assert!(a
        .header(header::CONTENT_DISPOSITION)
        .ends_with("-51-2025.pdf\""));
    assert!(a.body.starts_with(b"%PDF"));
    assert!(
        a.body.windows(10).any(|w| w == b"/FontFile2"),
        "a font is embedded"
    );

    let a = get_as(&s, Some(Role::Manager), &format!("{base}&format=html")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(a.header(header::CONTENT_DISPOSITION).is_empty());
    let html = a.text();
    assert!(html.contains("BÁO CÁO"));
    assert!(html.contains("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
    assert!(html.contains("IV. KẾT QUẢ BỘ TIÊU CHÍ QUỐC GIA VỀ Y TẾ XÃ"));
    assert!(
        html.contains("nav class=\"main\""),
        "inside the site's layout"
    );
    let link = html
        .lines()
        .find(|l| l.contains("format=pdf"))
        .unwrap_or_default();
    assert!(
        link.contains(&format!(
            "/plans/{id}/report?org=51&amp;year=2025&amp;format=pdf"
        )),
        "{link}"
    );
}

#[tokio::test]
async fn the_report_defaults_to_the_issuers_unit_and_this_year() {
    let (s, _dir, id) = store().await;
    let a = get_as(&s, Some(Role::Viewer), &format!("/plans/{id}/report")).await;
    assert_eq!(a.status, StatusCode::OK, "a viewer may read reports");
    let html = a.text();
    assert!(html.contains("Tỉnh Quảng Ngãi (mã 51)"), "{html}");
    assert!(html.contains("năm 2025"));
}

#[tokio::test]
async fn a_year_without_data_says_so() {
    let (s, _dir, id) = store().await;
    let a = get_as(
        &s,
        Some(Role::Viewer),
        &format!("/plans/{id}/report?org=51&year=2003"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains(
        "Chưa có số liệu thực hiện của năm 2003 cho kế hoạch này tại Tỉnh Quảng Ngãi (mã 51)."
    ));
}

#[tokio::test]
async fn bad_requests_are_refused_in_vietnamese_and_anonymous_readers_sent_to_sign_in() {
    let (s, _dir, id) = store().await;
    let a = get_as(
        &s,
        Some(Role::Viewer),
        &format!("/plans/{id}/report?org=51&year=1999"),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains("Năm không hợp lệ"));
    let a = get_as(
        &s,
        Some(Role::Viewer),
        &format!("/plans/{id}/report?org=51&year=abc"),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = get_as(
        &s,
        Some(Role::Viewer),
        &format!("/plans/{id}/report?org=99999&year=2025"),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.text().contains("Không có đơn vị nào mang mã này"));
    let a = get_as(
        &s,
        Some(Role::Viewer),
        &format!("/plans/{id}/report?format=odt"),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.text().contains("Định dạng không hợp lệ"));
    let a = get_as(&s, Some(Role::Viewer), "/plans/9999/report?org=51").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    let a = get_as(&s, None, &format!("/plans/{id}/report?org=51&format=pdf")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(a.header(header::LOCATION).starts_with("/login?next="));
}

#[tokio::test]
async fn the_plan_page_offers_the_report_in_four_formats() {
    let (s, _dir, id) = store().await;
    let a = get_as(&s, Some(Role::Viewer), &format!("/plans/{id}")).await;
    assert_eq!(a.status, StatusCode::OK);
    let html = a.text();
    assert!(html.contains(&format!("action=\"/plans/{id}/report\"")));
    for f in ["html", "docx", "xlsx", "pdf"] {
        assert!(
            html.contains(&format!("name=\"format\" value=\"{f}\"")),
            "{f}"
        );
    }
    assert!(html.contains("value=\"2025\""), "this year is proposed");
}
