//! Opening a data-entry form without knowing a code: a station's nurse
//! gets her commune's form for the last closed month from `/data/entry`
//! alone; a name typed with or without accents and a period typed as
//! people write it open the form; what is not understood comes back as
//! a page that asks, never a 404. The form shows the period in words,
//! values derived from the registers as values, "Save" before "Submit",
//! and a running period is submitted only with a confirmation. Through
//! the router over a real SQLite store, "today" fixed on 7 December 2026.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ytcs_core::access::Role;
use ytcs_store::Store;

mod common;

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 12, 7).unwrap()
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> (StatusCode, String) {
    common::send_on(s, today, req).await
}

use common::{form, get};

/// A commune of province 51 today: (code, name).
async fn commune(s: &Arc<dyn Store>) -> (String, String) {
    let h = s.hierarchy().await.unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), today())
        .unwrap();
    let c = h.communes_under(p.id, today())[0];
    (c.code.to_string(), c.name.clone())
}

#[tokio::test]
async fn the_nurse_opens_her_form_without_typing_a_code() {
    let (s, _d) = common::units_store().await;
    let (code, name) = commune(&s).await;
    let nurse = common::session(&s, Role::DataEntry, &code).await;

    // Nothing typed: her commune, last month, in words.
    let (status, html) = send(&s, nurse.apply(get("/data/entry"))).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&name), "{html}");
    assert!(html.contains("Tháng 11/2026"), "{html}");
    assert!(!html.contains("chưa kết thúc"), "November has ended");
    // Save comes before the approval's Submit.
    let save = html.find("Lưu số liệu").expect("a save button");
    let submit = html.find("value=\"submit\"").expect("a submit button");
    assert!(save < submit);

    // Her commune's name without accents and a period as people write it.
    let bare = ytcs_core::text::fold(&name);
    let uri = format!(
        "/data/entry?org={}&period=12%2F2026",
        bare.replace(' ', "+")
    );
    let (status, html) = send(&s, nurse.apply(get(&uri))).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Tháng 12/2026"));
    assert!(html.contains("chưa kết thúc"), "December is running");
    assert!(html.contains("name=\"early\""));

    // December is submitted only with the confirmation.
    let approval = format!("/data/approval?set=commune_monthly&org={code}&period=2026-12");
    let (status, html) = send(&s, nurse.apply(form(&approval, "action=submit"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Số liệu đã đủ"), "{html}");
    assert!(html.contains("Lưu số liệu"), "the form comes back");
    let (status, _) = send(&s, nurse.apply(form(&approval, "action=submit&early=1"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn what_is_not_understood_is_asked_again_never_a_404() {
    let (s, _d) = common::units_store().await;
    let (code, _) = commune(&s).await;
    let centre = common::session(&s, Role::Reviewer, "51").await;

    // Many communes: the page asks which, listing them by name.
    let (status, html) = send(&s, centre.apply(get("/data/entry"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Mở biểu nhập số liệu"));
    assert!(html.contains("<select name=\"org\""), "{html}");
    assert!(html.contains("Tháng 11/2026\" selected") || html.contains(">Tháng 11/2026<"));

    // A period nobody writes, and a name no commune has.
    let (status, html) = send(
        &s,
        centre.apply(get(&format!("/data/entry?org={code}&period=h%C3%B4m+qua"))),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Không hiểu kỳ «hôm qua»"), "{html}");
    let (status, html) = send(
        &s,
        centre.apply(get("/data/entry?org=Atlantis&period=2026-11")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("«Atlantis»"), "{html}");

    // A word many names share lists them to choose from.
    let (status, html) = send(&s, centre.apply(get("/data/entry?org=x%C3%A3"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Có nhiều xã khớp"), "{html}");
    assert!(html.contains("class=\"choices\""));

    // In English, the period in English words.
    let (status, html) = send(
        &s,
        centre.apply(get(&format!(
            "/data/entry?org={code}&period=2026-11&lang=en"
        ))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("November 2026"), "{html}");
}
