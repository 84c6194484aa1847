//! The statutory forms on the web, through the router: the reports page
//! lists the forms in force; a station sees its form filled from its
//! registers and sends it (a correction needs a reason; a running period
//! cannot be sent; late is accepted and said); the province and a health
//! centre see who has sent; a viewer cannot send, nor a station for
//! another commune; the files download and read back.

mod common;

use std::sync::Arc;

use axum::http::{header, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::org::{OrgCode, OrgUnit};
use ytcs_store::Store;

fn today() -> ytcs_core::Date {
    "2026-11-23".parse().unwrap()
}

/// Reference units and a generated register in two communes, derived.
async fn world() -> (Arc<dyn Store>, tempfile::TempDir, OrgUnit, OrgUnit) {
    let (s, dir) = common::units_store().await;
    let h = s.hierarchy().await.unwrap();
    let province = h
        .unit_at(&OrgCode::parse("51").unwrap(), today())
        .unwrap()
        .id;
    let mut communes: Vec<OrgUnit> = h
        .communes_under(province, today())
        .into_iter()
        .cloned()
        .collect();
    communes.sort_by_key(|u| u.code.to_string());
    let (a, b) = (communes[0].clone(), communes[1].clone());
    let g = ytcs_synth::generate::generate_in(&h, &[a.id, b.id], 1500, 3, today()).unwrap();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&g.batch, "system")
        .await
        .unwrap();
    ytcs_engine::registers::sync(s.as_ref(), &h, None, "system", today())
        .await
        .unwrap();
    (s, dir, a, b)
}

async fn as_role(
    s: &Arc<dyn Store>,
    role: Role,
    scope: &str,
    req: axum::http::Request<axum::body::Body>,
) -> (StatusCode, String) {
    let req = common::session(s, role, scope).await.apply(req);
    common::send_on(s, today, req).await
}

#[tokio::test]
async fn a_station_sends_its_form_and_the_province_sees_it() {
    let (s, _dir, a, b) = world().await;
    let (ac, bc) = (a.code.to_string(), b.code.to_string());
    let (status, body) = as_role(&s, Role::DataEntry, &ac, common::get("/reports")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Báo cáo thống kê theo Thông tư")
            && body.contains("/reports/forms/commune_monthly")
    );

    // The station's form, defaults: its commune, the last month ended.
    let (status, body) = as_role(
        &s,
        Role::DataEntry,
        &ac,
        common::get("/reports/forms/commune_monthly"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains("BIỂU 1/TYT") && body.contains("Tháng 10/2026"),
        "{body}"
    );
    assert!(body.contains("Số trẻ đẻ sống") && body.contains("Sổ của trạm (tự tính)"));
    assert!(
        body.contains("Chưa gửi — đã quá hạn") || body.contains("Chưa gửi"),
        "{body}"
    );
    assert!(body.contains(">Gửi báo cáo<"), "the station may send");
    assert!(
        body.contains("/data/entry?set=commune_monthly"),
        "the hand-entered cells are entered on the data-entry form"
    );

    let send = |reason: &str, period: &str| {
        common::form(
            &format!("/reports/forms/commune_monthly/send?org={ac}&period={period}"),
            &format!("reason={reason}"),
        )
    };
    let (status, _) = as_role(&s, Role::DataEntry, &ac, send("", "2026-10")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, body) = as_role(
        &s,
        Role::DataEntry,
        &ac,
        common::get(&format!(
            "/reports/forms/commune_monthly?org={ac}&period=2026-10"
        )),
    )
    .await;
    assert!(
        body.contains("Đã gửi bản 1") && body.contains("Gửi muộn."),
        "{body}"
    );
    assert!(body.contains("Gửi bản sửa"));
    // Again without a reason: refused, in Vietnamese.
    let (status, body) = as_role(&s, Role::DataEntry, &ac, send("", "2026-10")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("cần ghi lý do"), "{body}");
    let (status, _) = as_role(
        &s,
        Role::DataEntry,
        &ac,
        send("s%E1%BB%ADa+s%E1%BB%91", "2026-10"),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The running month cannot be sent.
    let (status, body) = as_role(&s, Role::DataEntry, &ac, send("", "2026-11")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("chưa kết thúc"), "{body}");
    // Not another commune's, and a viewer not at all.
    let other = common::form(
        &format!("/reports/forms/commune_monthly/send?org={bc}&period=2026-10"),
        "reason=",
    );
    let (status, _) = as_role(&s, Role::DataEntry, &ac, other).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = as_role(&s, Role::Viewer, "51", send("", "2026-10")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, body) = as_role(
        &s,
        Role::Viewer,
        "51",
        common::get(&format!(
            "/reports/forms/commune_monthly?org={ac}&period=2026-10"
        )),
    )
    .await;
    assert!(
        !body.contains(">Gửi báo cáo<") && !body.contains("Gửi bản sửa"),
        "a viewer sees no button"
    );

    // The province: who has sent; a health centre (two communes): its own.
    let (status, body) = as_role(
        &s,
        Role::Manager,
        "51",
        common::get("/reports/forms/commune_monthly?org=51&period=2026-10"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("đơn vị đã gửi (1 gửi muộn)"), "{body}");
    assert!(body.contains("Đã gửi, muộn") && body.contains("Chưa gửi — quá hạn"));
    let (_, body) = as_role(
        &s,
        Role::Reviewer,
        &format!("{ac},{bc}"),
        common::get("/reports/forms/commune_monthly?period=2026-10"),
    )
    .await;
    assert!(body.contains("1/2 đơn vị đã gửi"), "{body}");
    assert!(body.contains(&a.name) && body.contains(&b.name));
}

#[tokio::test]
async fn the_form_downloads_as_xlsx_and_pdf() {
    let (s, _dir, a, _) = world().await;
    let ac = a.code.to_string();
    for (format, kind) in [
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("pdf", "application/pdf"),
    ] {
        let req = common::session(&s, Role::DataEntry, &ac)
            .await
            .apply(common::get(&format!(
                "/reports/forms/commune_monthly?org={ac}&period=2026-10&format={format}"
            )));
        let state = ytcs_web::AppState {
            today,
            ..ytcs_web::AppState::new(s.clone())
        };
        let resp = ytcs_web::router(state).oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()[header::CONTENT_TYPE], kind);
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        if format == "pdf" {
            assert!(bytes.starts_with(b"%PDF"));
        } else {
            use calamine::{DataType, Reader};
            let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
            let sheet = wb.worksheet_range("Bieu").unwrap();
            assert!(sheet.rows().any(|r| r
                .iter()
                .any(|c| c.as_string().as_deref() == Some("Số trẻ đẻ sống"))));
        }
    }
}

#[tokio::test]
async fn due_and_late_reports_show_on_the_home_page_and_in_the_calendar() {
    let (s, _dir, a, _) = world().await;
    let ac = a.code.to_string();
    let (status, body) = as_role(&s, Role::DataEntry, &ac, common::get("/")).await;
    assert_eq!(status, StatusCode::OK);
    // October 2026 was due on 6 November; "today" is 23 November.
    assert!(
        body.contains("1/TYT Tháng 10/2026: hạn gửi 06/11/2026 — chưa gửi — quá hạn"),
        "{body}"
    );
    assert!(body.contains("/reports/calendar"));
    let (status, body) = as_role(&s, Role::Manager, "51", common::get("/reports/calendar")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Lịch báo cáo"));
    assert!(
        body.contains("1/TYT Tháng 11/2026: hạn gửi 07/12/2026"),
        "the running month: {body}"
    );
    assert!(
        body.contains("1/BCT Tháng 10/2026"),
        "the province's own form"
    );
    assert!(body.contains("đơn vị đã gửi (0 muộn)"), "{body}");
}

#[tokio::test]
async fn a_figure_opens_the_persons_behind_it_for_those_who_may_read_them() {
    let (s, _dir, a, _) = world().await;
    let ac = a.code.to_string();
    // The annual form: every resident counted.
    let (_, body) = as_role(
        &s,
        Role::DataEntry,
        &ac,
        common::get(&format!(
            "/reports/forms/commune_annual?org={ac}&period=2025"
        )),
    )
    .await;
    let href = format!(
        "/reports/forms/commune_annual/cell?org={ac}&#38;period=2025&#38;row=1&#38;column=total"
    );
    assert!(
        body.contains(&href),
        "the residents' figure links to them: {body}"
    );
    let uri = href.replace("&#38;", "&");
    let (status, list) = as_role(&s, Role::DataEntry, &ac, common::get(&uri)).await;
    assert_eq!(status, StatusCode::OK);
    let rows = list.matches("<a href=\"/persons/").count();
    assert!(rows > 100, "{rows} persons listed");
    assert!(
        list.contains(&format!("({rows})")),
        "the heading counts them"
    );
    // Audited.
    let read = s
        .audit_entries(&ytcs_store::audit::AuditFilter {
            action: Some(ytcs_core::audit::AuditAction::Read),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(read
        .iter()
        .any(|e| e.object_id.starts_with("cell:commune_annual/")));
    // A viewer may not read persons: no link, and the list is refused.
    let (_, body) = as_role(
        &s,
        Role::Viewer,
        "51",
        common::get(&format!(
            "/reports/forms/commune_annual?org={ac}&period=2025"
        )),
    )
    .await;
    assert!(!body.contains("/cell?"));
    let (status, _) = as_role(&s, Role::Viewer, "51", common::get(&uri)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_births_register_prints_with_its_circular_number_and_downloads() {
    let (s, _dir, a, b) = world().await;
    let ac = a.code.to_string();
    let uri = format!("/registers?org={ac}&book=births&from=01/01/2026&to=31/10/2026");
    let (status, body) = as_role(&s, Role::DataEntry, &ac, common::get(&uri)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("A4 — Sổ đẻ"), "{body}");
    assert!(body.contains("Cân nặng khi sinh (g)"));
    let rows = body.matches("<tr><td>").count();
    assert!(rows > 3, "{rows} births listed");
    let req = common::session(&s, Role::DataEntry, &ac)
        .await
        .apply(common::get(&format!("{uri}&format=xlsx")));
    let state = ytcs_web::AppState {
        today,
        ..ytcs_web::AppState::new(s.clone())
    };
    let resp = ytcs_web::router(state).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    use calamine::{DataType, Reader};
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = wb.worksheet_range("So").unwrap();
    let numbered = sheet
        .rows()
        .filter(|r| {
            r.first()
                .and_then(|c| c.as_string())
                .is_some_and(|t| t.parse::<usize>().is_ok())
        })
        .count();
    assert_eq!(numbered, rows, "the file has the page's rows");
    // Another commune's station may not print it.
    let other = format!("/registers?org={ac}&book=births&format=pdf");
    let (status, _) = as_role(
        &s,
        Role::DataEntry,
        &b.code.to_string(),
        common::get(&other),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
