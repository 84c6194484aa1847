//! The data area on the web: importing a file of values (CSV, XLSX, ADX)
//! through the upload form — all or nothing, every unit within the user's
//! scope, locked periods refused — and exporting values, through the router
//! over a real SQLite store.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use calamine::{Data, Reader};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::audit::ObjectKind;
use ytcs_store::audit::AuditFilter;
use ytcs_store::values::ValueFilter;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

mod common;

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(s: &Arc<dyn Store>, req: Request<Body>) -> Reply {
    let resp = router(AppState::new(s.clone())).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn upload(name: &str, bytes: &[u8]) -> Request<Body> {
    let b = "BoUnDaRy";
    let mut body = Vec::new();
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").bytes());
    body.extend_from_slice(bytes);
    body.extend(format!("\r\n--{b}--\r\n").bytes());
    Request::post("/data/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={b}"),
        )
        .body(Body::from(body))
        .unwrap()
}

fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
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

async fn count(s: &Arc<dyn Store>) -> usize {
    s.data_values(&ValueFilter::default()).await.unwrap().len()
}

fn xlsx(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in r.iter().enumerate() {
            match c.parse::<f64>() {
                Ok(n) if i > 0 && j == 4 => ws.write_number(i as u32, j as u16, n).unwrap(),
                _ => ws.write_string(i as u32, j as u16, *c).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn the_data_page_has_the_upload_form_and_export_links() {
    let (s, _d) = common::units_store().await;
    let r = send(&s, common::as_admin(&s, get("/data")).await).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains("Nhập tệp số liệu"), "{html}");
    assert!(html.contains(
        r#"action="/data/import" enctype="multipart/form-data"><input type="hidden" name="_csrf""#
    ));
    assert!(html.contains("/data/export?format=xlsx"));
    assert!(html.contains(r#"action="/data/entry""#));
}

#[tokio::test]
async fn a_workbook_imports_every_value_and_is_audited_with_its_count() {
    let (s, _d) = common::units_store().await;
    let (a, b) = communes(&s).await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let book = xlsx(&[
        ["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị"],
        ["live_births", &a, "2025-09", "m", "12"],
        ["live_births", &a, "2025-09", "f", "11"],
        ["live_births", &b, "2025-09", "m", "7"],
    ]);
    let r = send(&s, manager.apply(upload("thang9.xlsx", &book))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(to, "/data?imported=3&changed=3");
    let page = send(&s, manager.apply(get(&to))).await.text();
    assert!(
        page.contains("Đã nhập 3 giá trị (3 giá trị thay đổi)."),
        "{page}"
    );
    assert_eq!(count(&s).await, 3);
    let log = s
        .audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::DataValue),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].object_id, "thang9.xlsx");
    assert_eq!(log[0].actor, "t_manager_51");
    assert_eq!(log[0].new.as_ref().unwrap()["values"], 3);

    // CSV and ADX go through the same form.
    let csv = format!("element,org,period,disagg,value\nlive_births,{b},2025-09,f,8\n");
    let r = send(&s, manager.apply(upload("v.csv", csv.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let adx = format!(
        r#"<?xml version="1.0"?><adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="{b}" period="2025-10-01/P1M" dataSet="commune_monthly"><dataValue dataElement="food_poisoning_cases" value="2"/></group></adx>"#
    );
    let r = send(&s, manager.apply(upload("v.xml", adx.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(count(&s).await, 5);
}

#[tokio::test]
async fn a_bad_file_changes_nothing_and_names_its_rows_in_vietnamese() {
    let (s, _d) = common::units_store().await;
    let (a, _) = communes(&s).await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let book = xlsx(&[
        ["element", "org", "period", "disagg", "value"],
        ["live_births", &a, "2025-09", "m", "12"],
        ["live_births", &a, "2025-09", "f", "-1"],
        ["nonsense", &a, "2025-09", "", "1"],
    ]);
    let r = send(&s, manager.apply(upload("x.xlsx", &book))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Không nhập gì"), "{html}");
    assert!(
        html.contains("dòng 3: live_births: &#39;-1&#39; không hợp lệ"),
        "{html}"
    );
    assert!(html.contains("dòng 4: không có chỉ tiêu dữ liệu"), "{html}");
    assert_eq!(count(&s).await, 0);
    let r = send(&s, manager.apply(upload("empty.csv", b""))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Hãy chọn một tệp"));
}

#[tokio::test]
async fn a_file_with_one_unit_out_of_scope_is_refused_whole_naming_it() {
    let (s, _d) = common::units_store().await;
    let (a, b) = communes(&s).await;
    let station = common::session(&s, Role::DataEntry, &a).await;
    let csv = format!(
        "element,org,period,disagg,value\nlive_births,{a},2025-09,m,12\nlive_births,{b},2025-09,m,3\n"
    );
    let r = send(&s, station.apply(upload("v.csv", csv.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let html = r.text();
    assert!(html.contains(&format!("Đơn vị {b} (")), "{html}");
    assert!(html.contains("không thuộc phạm vi nhập liệu của bạn"));
    assert_eq!(count(&s).await, 0, "not even the unit in scope");
    // A viewer may not import at all.
    let viewer = common::session(&s, Role::Viewer, "51").await;
    let r = send(&s, viewer.apply(upload("v.csv", csv.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_file_touching_an_approved_period_is_refused_whole() {
    let (s, _d) = common::units_store().await;
    let (a, b) = communes(&s).await;
    let station = common::session(&s, Role::DataEntry, &a).await;
    let centre = common::session(&s, Role::Reviewer, &a).await;
    let approval = format!("/data/approval?set=commune_monthly&org={a}&period=2025-09");
    let entry = format!("/data/entry?set=commune_monthly&org={a}&period=2025-09");
    let r = send(&s, station.apply(form(&entry, "v.live_births.m=12"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&s, station.apply(form(&approval, "action=submit"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&s, centre.apply(form(&approval, "action=approve"))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let manager = common::session(&s, Role::Manager, "51").await;
    let csv = format!(
        "element,org,period,disagg,value\nlive_births,{b},2025-09,m,3\nlive_births,{a},2025-09,m,99\n"
    );
    let r = send(&s, manager.apply(upload("v.csv", csv.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let html = r.text();
    assert!(html.contains("đã được duyệt và khóa"), "{html}");
    assert!(html.contains(&format!("đơn vị {a} kỳ 2025-09")), "{html}");
    assert_eq!(count(&s).await, 1, "only the value entered before approval");
}

#[tokio::test]
async fn values_export_as_csv_xlsx_and_adx() {
    let (s, _d) = common::units_store().await;
    let (a, _) = communes(&s).await;
    let manager = common::session(&s, Role::Manager, "51").await;
    let csv = format!(
        "element,org,period,disagg,value\nlive_births,{a},2025-09,m,12\nstation_services_share,{a},2025,,62.5\n"
    );
    let r = send(&s, manager.apply(upload("v.csv", csv.as_bytes()))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    let r = send(&s, manager.apply(get("/data/export?format=xlsx"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("ytcs-data.xlsx"));
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(r.body.clone())).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 3);
    let values: Vec<&Data> = rows[1..].iter().map(|r| &r[4]).collect();
    assert!(values.contains(&&Data::Float(62.5)) && values.contains(&&Data::Float(12.0)));

    let r = send(
        &s,
        manager.apply(get("/data/export?format=csv&period=2025-09")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.text(),
        format!("element,org,period,disagg,value\nlive_births,{a},2025-09,m,12\n")
    );
    let r = send(&s, manager.apply(get("/data/export?format=adx"))).await;
    assert!(r.text().contains("urn:ihe:qrph:adx:2015"));
    let r = send(&s, manager.apply(get("/data/export?period=2025-13"))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("Kỳ không hợp lệ"));
}
