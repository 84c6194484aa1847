//! The indicator pages on the web: a plan's scorecard (traffic lights,
//! sorting, Vietnamese numbers), an indicator's page (SVG trend with the
//! target line, bars across child units) and the index at `/targets`.
//! Driven without a socket over a real SQLite store holding the demo: the
//! seed plans, the registry of province 51 and its aggregate data. The
//! demo is built once per test binary (it is slow) and copied per test.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2026, 11, 1).unwrap()
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    common::fixture_store(common::Fixture {
        units: true,
        seeds: true,
        demo: true,
    })
    .await
}

async fn get(s: &Arc<dyn Store>, uri: &str) -> (StatusCode, String) {
    common::get_as_admin(s, today, uri).await
}

async fn plan_of(s: &Arc<dyn Store>, issuer: &str) -> i64 {
    s.list_plans()
        .await
        .unwrap()
        .iter()
        .find(|p| p.issuer.as_deref() == Some(issuer))
        .unwrap()
        .id
}

/// The rows of a scorecard table, as (status class, text) in page order.
fn score_rows(html: &str) -> Vec<(String, String)> {
    html.split("<tr class=\"score-")
        .skip(1)
        .map(|r| {
            let status = r.split('"').next().unwrap_or_default().to_string();
            (
                status,
                r.split("</tr>").next().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_provinces_scorecard_shows_targets_against_data_with_traffic_lights() {
    let (s, _d) = store().await;
    let id = plan_of(&s, "UBND tỉnh Kon Tum").await;
    let (status, html) = get(&s, &format!("/plans/{id}/scorecard")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Bảng theo dõi chỉ tiêu</h1>"));
    // An undated plan of a province merged in the reform links its targets
    // to its issuer, whose figures stop on its last day (said on the page);
    // the targets are judged as of today.
    assert!(html.contains("Tỉnh Kon Tum: đơn vị đã kết thúc"), "{html}");
    assert!(html.contains("30/06/2025"), "{html}");
    assert!(html.contains("Tỉnh Kon Tum"));
    let rows = score_rows(&html);
    assert!(rows.len() > 10);
    for label in ["Đạt", "Đúng tiến độ", "Có nguy cơ", "Chậm tiến độ"] {
        assert!(
            html.contains(&format!("</svg> {label}</td>")),
            "no target is {label}"
        );
    }
    // Sorted by status by default: worst first, no data last.
    let order = |s: &str| match s {
        "off_track" => 0,
        "at_risk" => 1,
        "on_track" => 2,
        "achieved" => 3,
        _ => 4,
    };
    let ranks: Vec<i32> = rows.iter().map(|(s, _)| order(s)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    // Vietnamese numbers: a decimal comma, signed gaps, linked indicators.
    let off = &rows[0].1;
    assert!(off.contains(",") && off.contains("-"), "{off}");
    assert!(html.contains("/indicators/"));
    assert!(html.contains("(2024)"));
}

#[tokio::test]
async fn the_scorecard_sorts_by_indicator_and_by_gap_and_speaks_english() {
    let (s, _d) = store().await;
    let id = plan_of(&s, "UBND tỉnh Kon Tum").await;
    let (_, by_indicator) = get(&s, &format!("/plans/{id}/scorecard?sort=indicator")).await;
    let names: Vec<String> = score_rows(&by_indicator)
        .iter()
        .filter_map(|(_, r)| {
            r.split("<a href=\"/indicators/")
                .nth(1)
                .and_then(|x| x.split('>').nth(1))
                .and_then(|x| x.split('<').next())
                .map(str::to_string)
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(by_indicator.contains("<strong>chỉ số</strong>"));
    let (_, by_gap) = get(&s, &format!("/plans/{id}/scorecard?sort=gap")).await;
    assert!(by_gap.contains("<strong>chênh lệch</strong>"));
    let rows = score_rows(&by_gap);
    // The largest shortfall first; rows without a gap last.
    assert_eq!(rows[0].0, "off_track");
    assert_eq!(rows.last().map(|r| r.0.as_str()), Some("no_data"));
    let (_, en) = get(&s, &format!("/plans/{id}/scorecard?lang=en")).await;
    assert!(en.contains("<h1>Target scorecard</h1>"));
    assert!(en.contains("Off track"));
    // The plan page links to its scorecard.
    let (_, plan) = get(&s, &format!("/plans/{id}")).await;
    assert!(plan.contains(&format!("/plans/{id}/scorecard")));
}

#[tokio::test]
async fn scorecard_errors_are_pages() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/plans/9999/scorecard").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html"));
    let (status, _) = get(&s, "/plans/1/scorecard?at=h%C3%B4m-qua").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = get(&s, "/plans/1/scorecard?sort=%3Cscript%3E").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>"));
}

#[tokio::test]
async fn an_indicator_page_draws_its_trend_and_child_units_as_svg() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/indicators/bhyt_coverage?org=51").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Tỷ lệ dân số tham gia bảo hiểm y tế"));
    assert!(html.contains("Tỉnh Quảng Ngãi"));
    assert_eq!(html.matches("<svg xmlns").count(), 2, "trend and bars");
    assert!(html.contains("Xu hướng qua các năm"));
    assert!(html.contains("So sánh các đơn vị trực thuộc"));
    // Axis labels and values written on the chart (readable when printed).
    let trend = html.split("class=\"chart line\"").nth(1).unwrap();
    assert!(trend.contains(">2024</text>") && trend.contains(">2025</text>"));
    assert!(trend.contains("class=\"value\""));
    // Child units link to their own pages.
    assert!(html.contains("/indicators/bhyt_coverage?org="));
    assert!(!html.contains("<script"));
}

#[tokio::test]
async fn an_indicator_page_shows_the_plan_target_line() {
    let (s, _d) = store().await;
    // Kon Tum's plan targets stunting under 5 below 35 % (the province
    // ended in the reform, so it is read as of its last day).
    let (status, html) = get(&s, "/indicators/stunting_u5?org=62").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("30/06/2025"));
    assert!(html.contains("class=\"target\""), "no target line");
    assert!(html.contains("Mục tiêu"));
    assert!(html.contains("/scorecard"));
}

#[tokio::test]
async fn indicator_page_errors() {
    let (s, _d) = store().await;
    let (status, _) = get(&s, "/indicators/no_such_thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&s, "/indicators/bhyt_coverage?org=99999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&s, "/indicators/bhyt_coverage?at=31-12-2024").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, html) = get(&s, "/indicators/bhyt_coverage?org=%3Cb%3E").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("<b>"));
}

#[tokio::test]
async fn the_targets_area_lists_indicators_with_data() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/targets").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>Chỉ tiêu</h1>"));
    assert!(html.contains("href=\"/indicators/bhyt_coverage?org=51\""));
    assert!(html.contains("href=\"/indicators/stunting_u5?org=51\""));
    assert!(html.contains("2.456.520") || html.contains("Dân số"));
    let (_, en) = get(&s, "/targets?lang=en").await;
    assert!(en.contains("Child units compared") || en.contains("Targets"));
}

async fn post(s: &Arc<dyn Store>, uri: &str, body: String) -> (StatusCode, String, String) {
    let state = AppState {
        today,
        ..AppState::new(s.clone())
    };
    let resp = router(state)
        .oneshot(
            common::as_admin(
                s,
                Request::post(uri)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await,
        )
        .await
        .unwrap();
    let status = resp.status();
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, location, String::from_utf8_lossy(&body).to_string())
}

/// A commune of province 51 after the reform.
async fn commune(s: &Arc<dyn Store>) -> String {
    let h = s.hierarchy().await.unwrap();
    let at = ytcs_core::Date::from_ymd_opt(2025, 9, 30).unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), at)
        .unwrap();
    h.children(p.id, at)[0].code.to_string()
}

#[tokio::test]
async fn the_entry_form_shows_this_and_last_periods_values() {
    let (s, _d) = store().await;
    let org = commune(&s).await;
    let (status, html) = get(
        &s,
        &format!("/data/entry?set=commune_monthly&org={org}&period=2025-09"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Báo cáo tháng của trạm y tế xã"));
    assert!(html.contains("name=\"v.children_age1.\""));
    assert!(html.contains("name=\"v.live_births.m\""));
    assert!(html.contains("Số trẻ đẻ sống — Nam"));
    assert!(html.contains("Kỳ trước (Tháng 8/2025)"), "{html}");
    assert!(html.contains("autofocus"));
    // A period that does not fit the set, an unknown set or unit: the page
    // that asks again, saying what it did not understand.
    for q in [
        format!("set=commune_monthly&org={org}&period=2025"),
        format!("set=nope&org={org}&period=2025-09"),
        "set=commune_monthly&org=99999999&period=2025-09".to_string(),
    ] {
        let (status, html) = get(&s, &format!("/data/entry?{q}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert!(html.contains("Mở biểu nhập số liệu"), "{html}");
    }
}

#[tokio::test]
async fn a_bad_field_refuses_the_whole_form_and_names_it() {
    let (s, _d) = store().await;
    let org = commune(&s).await;
    let uri = format!("/data/entry?set=commune_monthly&org={org}&period=2025-09");
    let before = s
        .data_values(&ytcs_store::values::ValueFilter::default())
        .await
        .unwrap()
        .len();
    let (status, _, html) = post(
        &s,
        &uri,
        "v.children_age1.=12&v.live_births.m=m%E1%BB%99t".to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Chưa lưu gì"), "{html}");
    assert!(html.contains("không phải là số"), "{html}");
    assert!(html.contains("value=\"một\""), "typed text kept");
    let after = s
        .data_values(&ytcs_store::values::ValueFilter::default())
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "nothing written");
    let (status, _, html) = post(&s, &uri, "v.nope.=1".to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Biểu mẫu không có ô này: v.nope."));
    // A good form is saved, and shown back in Vietnamese format.
    let (status, to, _) = post(&s, &uri, "v.children_age1.=1.234".to_string()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(to.contains("saved=1"));
    let (_, html) = get(&s, &to).await;
    assert!(html.contains("Đã lưu số liệu."));
    assert!(html.contains("value=\"1.234\""), "{html}");
}

#[tokio::test]
async fn a_plans_targets_and_results_export_as_a_fhir_bundle() {
    let (s, _d) = store().await;
    let id = plan_of(&s, "UBND tỉnh Kon Tum").await;
    let (status, body) = get(&s, &format!("/api/v1/plans/{id}/fhir")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let b: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let resources: Vec<&serde_json::Value> = b["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["fullUrl"].as_str().unwrap().starts_with("https://"));
            &e["resource"]
        })
        .collect();
    let of = |t: &str| -> Vec<&serde_json::Value> {
        resources
            .iter()
            .copied()
            .filter(|r| r["resourceType"] == t)
            .collect()
    };
    let (measures, goals, reports) = (of("Measure"), of("Goal"), of("MeasureReport"));
    assert!(!measures.is_empty() && !goals.is_empty() && !reports.is_empty());
    assert_eq!(
        measures.len() + goals.len() + reports.len(),
        resources.len()
    );
    let urls: Vec<&str> = measures
        .iter()
        .map(|m| m["url"].as_str().unwrap())
        .collect();
    let names: Vec<&str> = measures
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    for m in &measures {
        assert_eq!(m["status"], "active");
        assert!(!m["title"].as_str().unwrap().is_ascii(), "Vietnamese title");
        assert!(m["scoring"]["coding"][0]["code"].is_string());
    }
    for g in &goals {
        assert_eq!(g["lifecycleStatus"], "active");
        assert!(g["description"]["text"].is_string());
        assert!(g["subject"]["reference"]
            .as_str()
            .unwrap()
            .starts_with("Organization/"));
        let t = &g["target"][0];
        let code = t["measure"]["coding"][0]["code"].as_str().unwrap();
        assert!(
            names.contains(&code),
            "the Goal's measure {code} is in the bundle"
        );
        assert!(t["dueDate"].as_str().unwrap().ends_with("-12-31"));
        assert!(t.get("detailQuantity").is_some() || t.get("detailRange").is_some());
    }
    for r in &reports {
        assert_eq!(r["status"], "complete");
        assert_eq!(r["type"], "summary");
        assert!(urls.contains(&r["measure"].as_str().unwrap()));
        assert!(r["period"]["start"].as_str().unwrap().ends_with("-01-01"));
        assert!(r["group"][0]["measureScore"]["value"].is_number());
    }
    // A "≥" target is a range with a lower bound.
    assert!(goals
        .iter()
        .any(|g| g["target"][0]["detailRange"]["low"]["value"].is_number()));
    let (status, _) = get(&s, "/api/v1/plans/99999/fhir").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&s, &format!("/api/v1/plans/{id}/fhir?at=hôm-nay")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_entry_form_flags_broken_rules_and_unusual_values_without_refusing_them() {
    let (s, _d) = store().await;
    let h = s.hierarchy().await.unwrap();
    // A commune that continued across the reform, so it has a year of history.
    let at = ytcs_core::Date::from_ymd_opt(2025, 9, 30).unwrap();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), at)
        .unwrap();
    let since = ytcs_core::Date::from_ymd_opt(2024, 9, 1).unwrap();
    let continuing = h
        .children(p.id, at)
        .into_iter()
        .find(|c| c.validity.contains(since))
        .expect("a continuing commune");
    let (org, unit) = (continuing.code.to_string(), continuing.id);
    // A steady history: about ten boys born a month for the last year.
    let history: Vec<ytcs_store::values::ValueWrite> = (0..12)
        .map(|i| {
            let (y, m) = if i < 8 { (2025, 8 - i) } else { (2024, 20 - i) };
            ytcs_store::values::ValueWrite {
                element: "live_births".into(),
                unit,
                period: format!("{y}-{m:02}").parse().unwrap(),
                disagg: "m".into(),
                value: ytcs_core::aggregate::Fixed::from_int(9 + (i % 3) as i64),
            }
        })
        .collect();
    s.write_values(&h, &history, "test").await.unwrap();
    let uri = format!("/data/entry?set=commune_monthly&org={org}&period=2025-09");
    let (status, _, _) = post(
        &s,
        &uri,
        "v.live_births.m=200&v.live_births.f=10&v.newborns_screened.=500".to_string(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "saved: rules flag, they do not refuse"
    );
    let (_, html) = get(&s, &uri).await;
    assert!(html.contains("không thỏa quy tắc kiểm tra"), "{html}");
    assert!(
        html.contains("Trẻ sơ sinh được sàng lọc không vượt quá số trẻ đẻ sống: 500 &#60;= 210"),
        "{html}"
    );
    assert!(
        html.contains("Bất thường so với các kỳ trước"),
        "200 boys is unusual"
    );
    // The boys' row carries the flag, beside the value typed.
    let row = &html[html.find("id=\"v.live_births.m\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("class=\"outlier\""), "{row}");
}

#[tokio::test]
async fn values_derived_from_the_registers_are_read_only_on_the_form() {
    let (s, _d) = store().await;
    let org = commune(&s).await;
    let h = s.hierarchy().await.unwrap();
    let at = ytcs_core::Date::from_ymd_opt(2025, 9, 30).unwrap();
    let unit = h
        .unit_at(&ytcs_core::org::OrgCode::parse(&org).unwrap(), at)
        .unwrap()
        .id;
    s.set_derivation_marks(&[ytcs_store::registers::DerivationMark {
        commune: unit,
        from_year: 2025,
        through: "2026-10".parse().unwrap(),
    }])
    .await
    .unwrap();
    let uri = format!("/data/entry?set=commune_monthly&org={org}&period=2025-09");
    let read = |element: &'static str, disagg: &'static str| {
        let s = s.clone();
        async move {
            s.data_values(&ytcs_store::values::ValueFilter {
                element: Some(element.into()),
                period: Some("2025-09".parse().unwrap()),
                units: Some(vec![unit]),
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .find(|v| v.value.disagg == disagg)
            .map(|v| v.value.value.to_string())
        }
    };
    let births_before = read("live_births", "m").await;
    let (status, html) = get(&s, &uri).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Tính từ sổ sách của trạm"),
        "derived fields are marked"
    );
    // Shown as values, not as boxes to type in.
    assert!(!html.contains("name=\"v.live_births.m\""), "{html}");
    assert!(html.contains("<output id=\"v.live_births.m\""));
    let (status, _, _) = post(
        &s,
        &uri,
        "v.live_births.m=777&v.food_poisoning_cases.=2".to_string(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        read("live_births", "m").await,
        births_before,
        "the derived field is not written"
    );
    assert_eq!(read("food_poisoning_cases", "").await.as_deref(), Some("2"));
}
