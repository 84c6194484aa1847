//! Linking a plan's target to an indicator by hand on the scorecard page:
//! the form appears on targets the reader did not link, a bad link is
//! refused whole in Vietnamese, a good one is saved, audited and shown with
//! its actual value against the target. Through the router over a real
//! SQLite store.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ytcs_core::access::Role;
use ytcs_core::aggregate::Fixed;
use ytcs_core::audit::ObjectKind;
use ytcs_core::org::OrgCode;
use ytcs_engine::scorecard::LinkKind;
use ytcs_store::audit::AuditFilter;
use ytcs_store::values::ValueWrite;
use ytcs_store::Store;

mod common;

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2025, 11, 1).unwrap()
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> (StatusCode, String) {
    common::send_on(s, today, req).await
}

use common::{form, get};

/// The Quảng Ngãi seed plan (issued by province 51) and one of its targets
/// the reader left unlinked.
async fn plan_with_unlinked_target(s: &Arc<dyn Store>) -> (i64, String) {
    let name = "003_3ea79b4f7be72fab.txt";
    let bytes = std::fs::read(format!(
        "{}/../../data/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let (plan, text) = ytcs_plandoc::read_document(name, &bytes).unwrap();
    let id = s.insert_plan(&plan, &text).await.unwrap().0;
    let h = s.hierarchy().await.unwrap();
    let rows = ytcs_engine::scorecard::scorecard(s.as_ref(), &h, id, today())
        .await
        .unwrap()
        .unwrap();
    let t = rows
        .iter()
        .find(|r| r.link == LinkKind::None)
        .expect("an unlinked target")
        .target_id
        .clone();
    (id, t)
}

/// Births in a commune of 51 in 2024: sex ratio 120.
async fn births(s: &Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let day: ytcs_core::Date = "2024-09-30".parse().unwrap();
    let p = h.unit_at(&OrgCode::parse("51").unwrap(), day).unwrap();
    let commune = h.communes_under(p.id, day)[0].id;
    let w = |disagg: &str, n: i64| ValueWrite {
        element: "live_births".into(),
        unit: commune,
        // A year that is over on the tests' today (2025-11-01): the running
        // year is never a target's actual.
        period: "2024-09".parse().unwrap(),
        disagg: disagg.into(),
        value: Fixed::from_int(n),
    };
    s.write_values(&h, &[w("m", 12), w("f", 10)], "test")
        .await
        .unwrap();
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn an_unlinked_target_is_linked_by_hand_and_shows_its_actual() {
    let (s, _d) = common::units_store().await;
    let (id, target) = plan_with_unlinked_target(&s).await;
    births(&s).await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let page = format!("/plans/{id}/scorecard");
    let (status, html) = send(&s, manager.apply(get(&page))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!(
            r#"action="/plans/{id}/targets/link"><input type="hidden" name="_csrf""#
        )),
        "{html}"
    );
    assert!(html.contains("Gắn với chỉ số"));

    let (status, html) = send(
        &s,
        manager.apply(form(
            &format!("/plans/{id}/targets/link"),
            &format!("target={}&indicator=srb&org=51&year=2024", enc(&target)),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let links = s.target_links(id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        (
            links[0].indicator.as_str(),
            links[0].org_code.as_str(),
            links[0].year
        ),
        ("srb", "51", 2024)
    );

    let (_, html) = send(&s, manager.apply(get(&format!("{page}?linked=1")))).await;
    assert!(html.contains("Đã gắn chỉ tiêu với chỉ số."));
    assert!(html.contains("gắn thủ công"));
    let row = html
        .split("<tr class=\"score-")
        .find(|r| r.contains("gắn thủ công"))
        .unwrap();
    // 22 births in one commune of the province: the actual is shown, with
    // its reason not to sign it.
    assert!(row.contains(">120,0</span>"), "{row}");
    assert!(row.contains("<small>(2024)</small>"), "{row}");
    assert!(row.contains("số nhỏ — chưa đủ tin cậy"), "{row}");
    assert!(row.contains("1/"), "coverage of one commune: {row}");

    let log = s
        .audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::Plan),
            object_id: Some(id.to_string()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].unit_code.as_deref(), Some("51"));
    assert_eq!(log[0].new.as_ref().unwrap()["indicator"], "srb");
}

#[tokio::test]
async fn a_bad_link_is_refused_in_vietnamese_and_nothing_is_saved() {
    let (s, _d) = common::units_store().await;
    let (id, target) = plan_with_unlinked_target(&s).await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let (status, html) = send(
        &s,
        manager.apply(form(
            &format!("/plans/{id}/targets/link"),
            &format!(
                "target={}&indicator=khong_co&org=99999x&year=1999",
                enc(&target)
            ),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Chưa gắn được:"));
    assert!(html.contains("Chỉ số không có trong danh mục"));
    assert!(html.contains("Không có đơn vị nào mang mã này."));
    assert!(html.contains("Năm cần đạt phải từ 2000 đến 2100."));
    assert!(
        html.contains(r#"value="99999x""#),
        "the form keeps what was typed"
    );
    let (status, html) = send(
        &s,
        manager.apply(form(
            &format!("/plans/{id}/targets/link"),
            "target=no-such-target&indicator=srb&org=51&year=2025",
        )),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Kế hoạch không có chỉ tiêu này."));
    assert!(s.target_links(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn only_those_managing_the_plan_may_link() {
    let (s, _d) = common::units_store().await;
    let (id, target) = plan_with_unlinked_target(&s).await;
    let body = format!("target={}&indicator=srb&org=51&year=2025", enc(&target));
    let viewer = common::session(&s, Role::Viewer, "51").await;
    let (status, html) = send(&s, viewer.apply(get(&format!("/plans/{id}/scorecard")))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("/targets/link"), "no form for a viewer");
    let (status, _) = send(
        &s,
        viewer.apply(form(&format!("/plans/{id}/targets/link"), &body)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A manager of another province.
    let other = common::session(&s, Role::Manager, "08").await;
    let (status, _) = send(
        &s,
        other.apply(form(&format!("/plans/{id}/targets/link"), &body)),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(s.target_links(id).await.unwrap().is_empty());
}
