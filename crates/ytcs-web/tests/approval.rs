//! Data approval on the entry form and the audit log page, through the
//! router over a real SQLite store.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_store::audit::AuditFilter;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

mod common;

struct Reply {
    status: StatusCode,
    body: String,
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> Reply {
    let resp = router(AppState::new(s.clone())).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        body: String::from_utf8_lossy(&body).to_string(),
    }
}

fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// Two communes of province 51 after the reform.
async fn communes(s: &Arc<dyn Store>) -> (String, String) {
    let h = s.hierarchy().await.unwrap();
    let at = ytcs_core::Date::from_ymd_opt(2025, 9, 30).unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), at)
        .unwrap();
    let c = h.children(p.id, at);
    (c[0].code.to_string(), c[1].code.to_string())
}

async fn births(s: &Arc<dyn Store>) -> Vec<String> {
    s.data_values(&ytcs_store::values::ValueFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.value.element == "live_births")
        .map(|v| format!("{}={}", v.value.disagg, v.value.value))
        .collect()
}

#[tokio::test]
async fn a_station_submits_the_centre_approves_and_the_period_is_locked_until_unlocked() {
    let (s, _d) = common::units_store().await;
    let (org, _) = communes(&s).await;
    let station = common::session(&s, Role::DataEntry, &org).await;
    let centre = common::session(&s, Role::Reviewer, &org).await;
    let entry = format!("/data/entry?set=commune_monthly&org={org}&period=2025-09");
    let approval = format!("/data/approval?set=commune_monthly&org={org}&period=2025-09");

    let r = send(
        &s,
        station.apply(form(&entry, "v.live_births.m=12&v.live_births.f=11")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&s, station.apply(get(&entry))).await;
    assert!(page.body.contains("Chưa gửi duyệt"));
    assert!(page.body.contains("value=\"submit\""));
    assert!(
        !page.body.contains("value=\"approve\""),
        "a station does not approve"
    );

    // The station may not approve, even its own unit.
    let r = send(&s, station.apply(form(&approval, "action=submit"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&s, station.apply(form(&approval, "action=approve"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let page = send(&s, centre.apply(get(&entry))).await;
    assert!(page.body.contains("Đã gửi, chờ duyệt"));
    assert!(page.body.contains("value=\"approve\"") && page.body.contains("value=\"return\""));
    let r = send(&s, centre.apply(form(&approval, "action=approve"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Locked: the form is read-only and a write is refused, nothing changes.
    let page = send(&s, station.apply(get(&entry))).await;
    assert!(page.body.contains("Đã duyệt và khóa"));
    assert!(page.body.contains("readonly"));
    let before = births(&s).await;
    let r = send(
        &s,
        station.apply(form(&entry, "v.live_births.m=99&v.live_births.f=11")),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("đã được duyệt và khóa"), "{}", r.body);
    assert_eq!(births(&s).await, before);

    // Unlocking needs a reason, and the approver's rights.
    let r = send(
        &s,
        station.apply(form(&approval, "action=unlock&reason=sai")),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The form comes back, saying what is missing.
    let r = send(&s, centre.apply(form(&approval, "action=unlock"))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ghi lý do"));
    assert!(r.body.contains("value=\"unlock\""), "{}", r.body);
    let r = send(
        &s,
        centre.apply(form(
            &approval,
            "action=unlock&reason=S%E1%BB%91+tr%E1%BA%BB+nam+sai",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(
        &s,
        station.apply(form(&entry, "v.live_births.m=13&v.live_births.f=11")),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(births(&s).await.contains(&"m=13".to_string()));

    // A move that does not fit the state is a clear conflict.
    let r = send(&s, centre.apply(form(&approval, "action=approve"))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Everything is in the audit log, with who, the unit, and old → new.
    let log = s
        .audit_entries(&AuditFilter {
            unit_code: Some(org.clone()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<String> = log
        .iter()
        .rev()
        .map(|e| {
            format!(
                "{} {} {}",
                e.actor,
                e.action.as_str(),
                e.object_kind.as_str()
            )
        })
        .collect();
    let station_name = format!("t_data_entry_{org}");
    let centre_name = format!("t_reviewer_{org}");
    assert_eq!(
        actions,
        [
            format!("{station_name} update data_value"),
            format!("{station_name} submit approval"),
            format!("{centre_name} approve approval"),
            format!("{centre_name} unlock approval"),
            format!("{station_name} update data_value"),
        ]
    );
    let last = &log[0];
    assert_eq!(last.old.as_ref().unwrap()["v.live_births.m"], "12");
    assert_eq!(last.new.as_ref().unwrap()["v.live_births.m"], "13");
    assert_eq!(log[1].detail.as_deref(), Some("Số trẻ nam sai"));
}

#[tokio::test]
async fn nobody_approves_their_own_submission() {
    let (s, _d) = common::units_store().await;
    let (org, other) = communes(&s).await;
    let centre = common::session(&s, Role::Reviewer, &org).await;
    let approval = format!("/data/approval?set=commune_monthly&org={org}&period=2025-09");
    let r = send(&s, centre.apply(form(&approval, "action=submit"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&s, centre.apply(form(&approval, "action=approve"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("tự duyệt"));
    // Nor anything outside their scope.
    let elsewhere = format!("/data/approval?set=commune_monthly&org={other}&period=2025-09");
    let r = send(&s, centre.apply(form(&elsewhere, "action=submit"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_page_filters_by_user_unit_object_and_date() {
    let (s, _d) = common::units_store().await;
    let (org, _) = communes(&s).await;
    let station = common::session(&s, Role::DataEntry, &org).await;
    let entry = format!("/data/entry?set=commune_monthly&org={org}&period=2025-09");
    send(&s, station.apply(form(&entry, "v.live_births.m=<b>7</b>"))).await;
    send(&s, station.apply(form(&entry, "v.live_births.m=7"))).await;
    send(&s, station.apply(get(&format!("/org/{org}/network")))).await;
    let manager = common::session(&s, Role::Manager, "51").await;

    let page = send(&s, manager.apply(get("/admin/audit"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nhật ký hoạt động"));
    // Actions and objects in words; a change field by field, old → new.
    assert!(page.body.contains("Số liệu") && page.body.contains("Xem dữ liệu cá nhân"));
    assert!(
        page.body
            .contains("Số trẻ đẻ sống — Nam: <del>—</del> → <ins>7</ins>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("v.live_births"), "no raw field codes");

    let by_kind = send(&s, manager.apply(get("/admin/audit?kind=network"))).await;
    assert!(by_kind.body.contains("staff names"));
    assert!(!by_kind.body.contains("<td>Số liệu "));
    let by_actor = send(&s, manager.apply(get("/admin/audit?actor=nobody"))).await;
    assert!(by_actor.body.contains("Không có mục nào"));
    let by_unit = send(&s, manager.apply(get(&format!("/admin/audit?unit={org}")))).await;
    assert!(
        by_unit.body.contains("2 mục") || by_unit.body.contains("3 mục"),
        "{}",
        by_unit.body
    );
    let today = chrono::Utc::now().date_naive();
    let by_date = send(
        &s,
        manager.apply(get(&format!(
            "/admin/audit?from={today}&to={today}&unit={org}"
        ))),
    )
    .await;
    assert!(!by_date.body.contains("Không có mục nào"));
    let old = send(&s, manager.apply(get("/admin/audit?to=2020-01-01"))).await;
    assert!(old.body.contains("Không có mục nào"));
    let bad = send(&s, manager.apply(get("/admin/audit?from=hôm+qua"))).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    // Readers and stations do not see the log.
    for role in [Role::Viewer, Role::DataEntry, Role::Reviewer] {
        let who = common::session(&s, role, "51").await;
        let r = send(&s, who.apply(get("/admin/audit"))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", role.code());
    }
}
