//! "Việc của tôi" per role and the approval queue: the station sees its
//! report of last month and one button to its form; after it submits,
//! the health centre sees it waiting, by name, approves it from the queue
//! in one move and the station's home says so; a return needs a reason,
//! which the station then reads at home. Through the router over a real
//! SQLite store, "today" fixed on 7 December 2026.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ytcs_core::access::Role;
use ytcs_store::Store;

mod common;

use common::{form, get};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 12, 7).unwrap()
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> (StatusCode, String) {
    common::send_on(s, today, req).await
}

/// Two communes of province 51 today: (code, name).
async fn communes(s: &Arc<dyn Store>) -> [(String, String); 2] {
    let h = s.hierarchy().await.unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), today())
        .unwrap();
    let c = h.communes_under(p.id, today());
    [
        (c[0].code.to_string(), c[0].name.clone()),
        (c[1].code.to_string(), c[1].name.clone()),
    ]
}

#[tokio::test]
async fn the_station_submits_and_the_centre_approves_from_its_queue() {
    let (s, _d) = common::units_store().await;
    let [(code, name), (_, other)] = communes(&s).await;
    let nurse = common::session(&s, Role::DataEntry, &code).await;
    let centre = common::session(&s, Role::Reviewer, "51").await;

    // The nurse's home: November, not entered, one button to its form.
    let (status, html) = send(&s, nurse.apply(get("/"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Việc của tôi"));
    assert!(html.contains("Tháng 11/2026: Chưa nhập"), "{html}");
    // Due five working days after 30 November: 7 December, today.
    assert!(html.contains("Hạn gửi báo cáo: 07/12/2026"), "{html}");
    let href = format!("org={code}&#38;period=2026-11");
    assert!(html.contains(&href), "{html}");
    // No count of the country's administrative units here.
    assert!(!html.contains("3.321"));

    // She enters and submits November.
    let entry = format!("/data/entry?set=commune_monthly&org={code}&period=2026-11");
    let approval = format!("/data/approval?set=commune_monthly&org={code}&period=2026-11");
    let (status, _) = send(
        &s,
        nurse.apply(form(&entry, "v.live_births.m=4&v.live_births.f=5")),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = send(&s, nurse.apply(form(&approval, "action=submit"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = send(&s, nurse.apply(get("/"))).await;
    assert!(html.contains("Tháng 11/2026: Đã gửi, chờ duyệt"), "{html}");

    // The centre's home names it among those waiting, and the others as
    // not entered.
    let (_, html) = send(&s, centre.apply(get("/"))).await;
    assert!(
        html.contains("Báo cáo của các xã — Tháng 11/2026"),
        "{html}"
    );
    assert!(html.contains(&format!(">{name}</a>")), "{html}");
    assert!(html.contains(&other), "the communes not entered are named");

    // The queue lists it first, with a box to tick; one move approves.
    let (status, html) = send(&s, centre.apply(get("/data/approvals"))).await;
    assert_eq!(status, StatusCode::OK);
    let waiting = html.find(&name).unwrap();
    assert!(waiting < html.find(&other).unwrap(), "waiting first");
    assert!(html.contains(&format!("name=\"unit\" value=\"{code}\"")));
    let (status, _) = send(
        &s,
        centre.apply(form(
            "/data/approvals",
            &format!("set=commune_monthly&period=2026-11&unit={code}"),
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = send(&s, nurse.apply(get("/"))).await;
    assert!(html.contains("Tháng 11/2026: Đã duyệt"), "{html}");

    // A station's queue holds its own commune only.
    let (_, html) = send(&s, nurse.apply(get("/data/approvals"))).await;
    assert!(html.contains(&name) && !html.contains(&other), "{html}");

    // The queue, filtered, shows only what is asked.
    let (_, html) = send(&s, centre.apply(get("/data/approvals?status=approved"))).await;
    assert!(html.contains(&name) && !html.contains(&format!(">{other}<")));
}

#[tokio::test]
async fn a_returned_report_says_why_on_the_station_s_home() {
    let (s, _d) = common::units_store().await;
    let [(code, _), _] = communes(&s).await;
    let nurse = common::session(&s, Role::DataEntry, &code).await;
    let centre = common::session(&s, Role::Reviewer, "51").await;
    let entry = format!("/data/entry?set=commune_monthly&org={code}&period=2026-11");
    let approval = format!("/data/approval?set=commune_monthly&org={code}&period=2026-11");
    send(&s, nurse.apply(form(&entry, "v.live_births.m=4"))).await;
    send(&s, nurse.apply(form(&approval, "action=submit"))).await;
    // Without a reason the centre's form comes back; with one it goes.
    let (status, html) = send(&s, centre.apply(form(&approval, "action=return"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("ghi lý do"));
    let (status, _) = send(
        &s,
        centre.apply(form(
            &approval,
            "action=return&reason=Thi%E1%BA%BFu+tr%E1%BA%BB+n%E1%BB%AF",
        )),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = send(&s, nurse.apply(get("/"))).await;
    assert!(html.contains("Tháng 11/2026: Bị trả lại"), "{html}");
    assert!(html.contains("«Thiếu trẻ nữ»"), "{html}");
    let (_, html) = send(&s, centre.apply(get("/data/approvals?status=returned"))).await;
    assert!(html.contains("Thiếu trẻ nữ"));
}

#[tokio::test]
async fn a_viewer_and_an_administrator_see_their_own_home() {
    let (s, _d) = common::units_store().await;
    let viewer = common::session(&s, Role::Viewer, "51").await;
    let (status, html) = send(&s, viewer.apply(get("/"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("/org/51/dashboard"), "{html}");
    assert!(
        !html.contains("Mở danh sách duyệt"),
        "a viewer approves nothing"
    );
    let admin = common::admin(&s).await;
    let (_, html) = send(&s, admin.apply(get("/"))).await;
    assert!(html.contains("/admin/users") && html.contains("/admin/audit"));
    assert!(html.contains("Mở danh sách duyệt"));
}

#[tokio::test]
async fn a_report_not_sent_by_its_due_day_is_late_on_the_station_s_home() {
    let (s, _d) = common::units_store().await;
    let [(code, _), _] = communes(&s).await;
    let nurse = common::session(&s, Role::DataEntry, &code).await;
    let later = || ytcs_core::Date::from_ymd_opt(2026, 12, 10).unwrap();
    let (_, html) = common::send_on(&s, later, nurse.apply(get("/"))).await;
    assert!(
        html.contains("Đã quá hạn gửi báo cáo (hạn 07/12/2026)"),
        "{html}"
    );
}
