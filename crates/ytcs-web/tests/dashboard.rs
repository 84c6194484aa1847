//! A unit's dashboard: headline indicators with sparklines, the plan
//! targets linked to it with status counts, child units ranked on a chosen
//! indicator, data-entry completeness and reminders. Driven without a
//! socket over a real SQLite store holding the demo (seed plans, registry
//! and aggregate data of province 51), built once per test binary.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use ytcs_store::Store;

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

#[tokio::test]
async fn the_province_dashboard_shows_indicators_targets_children_entry_and_reminders() {
    let (s, _d) = store().await;
    let t = std::time::Instant::now();
    let (status, html) = get(&s, "/org/51/dashboard").await;
    eprintln!(
        "dashboard of 51 (debug build, first request): {:?}",
        t.elapsed()
    );
    let t = std::time::Instant::now();
    let _ = get(&s, "/org/51/dashboard").await;
    eprintln!(
        "dashboard of 51 (debug build, second request): {:?}",
        t.elapsed()
    );
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<h1>Bảng điều khiển: Tỉnh Quảng Ngãi"),
        "{html}"
    );
    // Headline indicators: value, year before, arrow and a sparkline.
    assert!(html.contains("Chỉ số chính"));
    assert!(html.contains(r#"<svg class="spark""#));
    assert!(html.contains("Số bác sĩ trên 10.000 dân"), "{html}");
    assert!(
        html.contains("<span class=\"arrow\">↑</span>")
            || html.contains("<span class=\"arrow\">↓</span>")
    );
    // Plan targets of 51 with the five status counts.
    for label in [
        "Đạt",
        "Đúng tiến độ",
        "Có nguy cơ",
        "Chậm tiến độ",
        "Chưa có số liệu",
    ] {
        assert!(html.contains(&format!("{label}: <strong>")), "{label}");
    }
    assert!(
        html.contains("/scorecard\">"),
        "a target links its plan's scorecard"
    );
    // Children ranked: the first has rank 1.
    assert!(html.contains("Xếp hạng đơn vị trực thuộc"));
    assert!(html.contains("<td class=\"num\">1</td>"));
    // Completeness of the latest month.
    assert!(html.contains("xã có số liệu Báo cáo tháng"), "{html}");
    assert!(html.contains("Nhắc việc"));
}

#[tokio::test]
async fn children_are_ranked_on_the_chosen_indicator_best_first() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/org/51/dashboard?at=2026-11-01&indicator=stunting_u5").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"<option value="stunting_u5" selected>"#),
        "{html}"
    );
    // Lower is better: ranks follow ascending values.
    let table = &html[html.find("Xếp hạng đơn vị trực thuộc").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    // Ranked rows only (a figure that cannot be signed has no rank); the
    // figure is the text of its `fig` span.
    let values: Vec<f64> = table
        .split("<tr>")
        .skip(2)
        .filter(|row| !row.starts_with("<td class=\"num\"></td>"))
        .filter_map(|row| row.split("class=\"fig\"").nth(1))
        .filter_map(|c| c.split('>').nth(1))
        .filter_map(|c| c.split('<').next())
        .filter_map(|v| v.replace('.', "").replace(',', ".").parse::<f64>().ok())
        .collect();
    assert!(values.len() > 10, "{values:?}");
    assert!(values.windows(2).all(|w| w[0] <= w[1]), "{values:?}");
}

#[tokio::test]
async fn the_dashboard_is_linked_and_refuses_unknown_units_and_dates() {
    let (s, _d) = store().await;
    let (_, unit) = get(&s, "/org/51").await;
    assert!(unit.contains("/org/51/dashboard?at="), "{unit}");
    let (_, overview) = get(&s, "/").await;
    // An administrator's home links to the country's dashboard.
    assert!(overview.contains("/org/VN/dashboard"), "{overview}");
    assert_eq!(get(&s, "/org/99x/dashboard").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&s, "/org/51/dashboard?at=2026-13-01").await.0,
        StatusCode::BAD_REQUEST
    );
    // A district that ended in the reform is read as of its last day.
    let (status, html) = get(&s, "/org/614/dashboard").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("đơn vị đã kết thúc"), "{html}");
}

#[tokio::test]
async fn in_english_the_indicators_are_named_in_english() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/org/51/dashboard?lang=en").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Doctors per 10,000 people"), "{html}");
    assert!(!html.contains("Số bác sĩ trên 10.000 dân"));
    let (_, html) = get(&s, "/indicators/bhyt_coverage?org=51&lang=en").await;
    assert!(html.contains("Health insurance coverage"), "{html}");
}

#[tokio::test]
async fn the_ranking_is_named_measured_against_the_target_and_folded() {
    let (s, _d) = store().await;
    let (status, html) = get(
        &s,
        "/org/51/dashboard?at=2026-11-01&indicator=bhyt_coverage",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let section = &html[html.find("Xếp hạng đơn vị trực thuộc").unwrap()..];
    // The column is the indicator's name, never its code.
    assert!(
        section.contains("<th class=\"num\">Tỷ lệ dân số tham gia bảo hiểm y tế</th>"),
        "{section}"
    );
    assert!(!section.contains(">bhyt_coverage<"));
    // 96 communes: 20 shown, the rest folded.
    assert!(section.contains("<details class=\"more\"><summary>Xem thêm"));
    // Every commune reported that month: no list of those missing.
    assert!(html.contains("96/96 xã có số liệu"), "{html}");
    assert!(!html.contains("xã chưa có số liệu</summary>"));
}

#[tokio::test]
async fn children_behind_the_unit_s_target_are_flagged() {
    let (s, _d) = store().await;
    // Kon Tum's plan targets stunting under 5 below 32 % by 2030.
    let (status, html) = get(&s, "/org/62/dashboard?indicator=stunting_u5").await;
    assert_eq!(status, StatusCode::OK);
    let section = &html[html.find("Xếp hạng đơn vị trực thuộc").unwrap()..];
    assert!(
        section.contains("Chỉ tiêu: dưới (&#60;) 32 (2030)"),
        "{section}"
    );
    // A row is flagged exactly when its figure is above 32 %.
    for row in section.split("<tr").skip(2) {
        let Some(v) = row
            .split("class=\"fig\"")
            .nth(1)
            .and_then(|c| c.split('>').nth(1))
            .and_then(|c| c.split('<').next())
            .and_then(|v| v.replace('.', "").replace(',', ".").parse::<f64>().ok())
        else {
            continue;
        };
        if row.contains("⚠ chưa đạt") != (v > 32.0) && !row.contains("class=\"flag\" title") {
            panic!("{v}: {row}");
        }
    }
}
