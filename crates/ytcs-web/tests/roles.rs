//! Each role sees only the forms it can use: a viewer reads plans, the
//! review, tasks, criteria, the network and the data page without a
//! button that would answer 403; a manager sees them. The reports menu
//! lists the reports that exist, with the plan's year (its last once it
//! has ended). Through the router over the seed plans and the demo.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ytcs_core::access::Role;
use ytcs_store::Store;

mod common;

use common::get;

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 12, 7).unwrap()
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> (StatusCode, String) {
    common::send_on(s, today, req).await
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    common::fixture_store(common::Fixture {
        units: true,
        seeds: true,
        demo: true,
    })
    .await
}

/// Pages and the form actions a manager sees there and a viewer does not.
async fn pages(s: &Arc<dyn Store>) -> Vec<(String, String)> {
    // A plan with a budget and tasks.
    let mut plan = 0;
    for p in s.list_plans().await.unwrap() {
        let stored = s.get_plan(p.id).await.unwrap().unwrap();
        if !stored.plan.budget.is_empty() && !stored.plan.tasks.is_empty() {
            plan = p.id;
        }
    }
    let stored = s.get_plan(plan).await.unwrap().unwrap();
    let task = stored.plan.tasks[0].id.clone();
    let h = s.hierarchy().await.unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), today())
        .unwrap();
    let commune = h.communes_under(p.id, today())[0].code.to_string();
    vec![
        (
            format!("/plans/{plan}/review"),
            format!("/plans/{plan}/confirm"),
        ),
        (format!("/plans/{plan}"), format!("/plans/{plan}/budget")),
        ("/plans".into(), "action=\"/plans\"".into()),
        (
            format!("/plans/{plan}/task?t={task}"),
            format!("/plans/{plan}/task?"),
        ),
        (
            format!("/org/{commune}/criteria"),
            "Chấm điểm và lưu".into(),
        ),
        ("/org/51/network".into(), "/org/51/network/facility".into()),
        ("/data".into(), "/data/import".into()),
    ]
}

#[tokio::test]
async fn a_viewer_sees_no_button_it_cannot_use_and_a_manager_does() {
    let (s, _d) = store().await;
    let viewer = common::session(&s, Role::Viewer, "51").await;
    let manager = common::session(&s, Role::Manager, "51").await;
    for (page, action) in pages(&s).await {
        let (status, html) = send(&s, viewer.apply(get(&page))).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(!html.contains(&action), "a viewer sees {action} on {page}");
        let (status, html) = send(&s, manager.apply(get(&page))).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(html.contains(&action), "a manager lacks {action} on {page}");
    }
}

#[tokio::test]
async fn the_reports_menu_lists_each_plan_s_report_for_its_year() {
    let (s, _d) = store().await;
    let viewer = common::session(&s, Role::Viewer, "51").await;
    let (status, html) = send(&s, viewer.apply(get("/reports"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("bản phát hành sau"), "{html}");
    for p in s.list_plans().await.unwrap() {
        let plan = s.get_plan(p.id).await.unwrap().unwrap().plan;
        let year = plan.report_year(today());
        let link = format!("/plans/{}/report?year={year}&amp;format=pdf", p.id);
        assert!(html.contains(&link), "{link} in {html}");
        // A plan that ended is reported on for its last year.
        if let Some((_, last)) = plan.years() {
            assert!(year <= last.max(2026));
        }
    }
    assert!(html.contains("/data/approvals"));
}

#[tokio::test]
async fn a_manager_s_home_lists_the_targets_behind_with_the_units_behind_one_click_away() {
    let (s, _d) = store().await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let (status, html) = send(&s, manager.apply(get("/"))).await;
    assert_eq!(status, StatusCode::OK);
    // Kon Tum's plan still governs the communes merged into Quảng Ngãi.
    assert!(html.contains("(Tỉnh Kon Tum)"), "{html}");
    let link = "/org/62/dashboard?indicator=stunting_u5#ranking";
    assert!(html.contains(link), "{html}");
    let (status, html) = send(&s, manager.apply(get(link))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("chưa đạt chỉ tiêu"), "{html}");
}
