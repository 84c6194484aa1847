//! Figures an official can sign (#14): on the demo, every figure of every
//! indicator at the province and each of its communes is plausible or
//! flagged, and every place that shows a target's actual shows the same
//! one.

mod common;

use std::collections::BTreeMap;

use chrono::Datelike;

use common::{run, Server};
use ytcs_core::formula::definitions;
use ytcs_core::network::NETWORK_CODES;
use ytcs_core::org::{OrgCode, UnitId};
use ytcs_core::period::Period;
use ytcs_core::quality::{format_figure, rule_of};
use ytcs_store::{NetworkStore, PlanStore};

async fn open(dir: &std::path::Path) -> ytcs_store::SqliteStore {
    ytcs_store::SqliteStore::open(&dir.join("ytcs.db"))
        .await
        .expect("the demo database opens")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_figure_of_the_demo_province_is_plausible_or_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let out = run(&["--data-dir", d, "demo", "init"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let store = open(dir.path()).await;
    let h = store.hierarchy().await.unwrap();
    let today = ytcs_web::today_in_vietnam();
    let province = h
        .unit_at(&OrgCode::parse("51").unwrap(), today)
        .expect("province 51");
    let communes = h.communes_under(province.id, today);
    assert!(communes.len() > 50, "{}", communes.len());
    let mut units: Vec<UnitId> = vec![province.id];
    units.extend(communes.iter().map(|c| c.id));
    let mut codes: Vec<&str> = definitions().iter().map(|d| d.code).collect();
    codes.extend(NETWORK_CODES.iter().filter(|c| **c != "population"));
    let (mut judged, mut reliable, mut flagged) = (0, 0, 0);
    let mut wrong = Vec::new();
    let mut province_figures = BTreeMap::new();
    for year in 2020..=today.year() {
        for code in &codes {
            let values = ytcs_engine::evaluate(&store, &h, code, Period::Year(year), today, &units)
                .await
                .unwrap();
            let (lo, hi) = rule_of(code).plausible;
            for (u, v) in units.iter().zip(&values) {
                let Some(x) = v.value else { continue };
                judged += 1;
                if v.reliable() {
                    reliable += 1;
                    if !(lo..=hi).contains(&x) {
                        wrong.push(format!("{code} {year} unit {}: {x}", u.0));
                    }
                } else {
                    flagged += 1;
                }
                if *u == province.id {
                    province_figures.insert((code.to_string(), year), *v);
                }
            }
        }
    }
    eprintln!("{judged} figures: {reliable} reliable, {flagged} flagged");
    assert!(
        wrong.is_empty(),
        "{} reliable figures outside their plausible range, e.g. {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(20)]
    );
    assert!(reliable > 1_000 && flagged > 100, "{reliable} / {flagged}");
    // The province looks like a real one: the figures of a year that is
    // over are reliable and where a real province's are.
    for (code, lo, hi) in [
        ("bhyt_coverage", 80.0, 100.0),
        ("crude_birth_rate", 10.0, 25.0),
        ("life_expectancy", 65.0, 85.0),
        ("imr", 5.0, 30.0),
        ("srb", 100.0, 115.0),
    ] {
        let v = province_figures[&(code.to_string(), 2025)];
        assert!(v.reliable(), "{code} 2025: {v:?}");
        let x = v.value.unwrap();
        assert!((lo..=hi).contains(&x), "{code} 2025 = {x}");
    }
    // A figure of the running year from five communes' registers is not
    // the province's.
    let bhyt_now = province_figures[&("bhyt_coverage".to_string(), 2026)];
    assert!(!bhyt_now.reliable(), "{bhyt_now:?}");
}

/// The text after `needle` in `page` (the next `len` characters).
fn after<'a>(page: &'a str, needle: &str, len: usize) -> Option<&'a str> {
    let i = page.find(needle)? + needle.len();
    let end = (i + len).min(page.len());
    let end = (end..page.len())
        .find(|e| page.is_char_boundary(*e))
        .unwrap_or(page.len());
    Some(&page[i..end])
}

#[tokio::test(flavor = "multi_thread")]
async fn every_place_that_shows_a_target_shows_the_same_actual() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let store = open(dir.path()).await;
    let h = store.hierarchy().await.unwrap();
    let today = ytcs_web::today_in_vietnam();
    let d = dir.path().to_str().unwrap();
    let mut checked = 0;
    let mut seen = Vec::new();
    // Pages fetched once each; the CLI (a process per figure) for the
    // first few figures.
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut fetch = |path: String| {
        pages
            .entry(path.clone())
            .or_insert_with(|| {
                let (status, body) = server.get(&path);
                assert_eq!(status, 200, "{path}: {body}");
                body
            })
            .clone()
    };
    for plan in store.list_plans().await.unwrap() {
        let at = today;
        let rows = ytcs_engine::scorecard::scorecard(&store, &h, plan.id, at)
            .await
            .unwrap()
            .unwrap();
        let scorecard = fetch(format!("/plans/{}/scorecard", plan.id));
        let fhir = fetch(format!("/api/v1/plans/{}/fhir", plan.id));
        let fhir: serde_json::Value = serde_json::from_str(&fhir).unwrap();
        for r in &rows {
            seen.push(format!(
                "{} {:?} {:?} {:?} {:?}",
                r.target_id, r.indicator, r.org_code, r.actual_year, r.progress.status
            ));
            let (Some(code), Some(org), Some(f), Some(year)) =
                (&r.indicator, &r.org_code, r.actual, r.actual_year)
            else {
                continue;
            };
            let x = f.value.unwrap();
            let shown = format_figure(code, x);
            let what = format!(
                "plan {} target {} ({code} at {org}): {shown} ({year})",
                plan.id, r.target_id
            );
            // The scorecard.
            let near = after(&scorecard, &format!(">{shown}</span>"), 400)
                .unwrap_or_else(|| panic!("scorecard lacks {what}"));
            assert!(
                near.contains(&format!("({year})")),
                "scorecard: {what}: {near}"
            );
            // The unit's dashboard.
            let dash = fetch(format!("/org/{org}/dashboard"));
            let near = after(&dash, &format!(">{shown}</span>"), 400)
                .unwrap_or_else(|| panic!("dashboard lacks {what}"));
            assert!(near.contains(&format!("({year})")), "dashboard: {what}");
            // The printable report of this year, or of the year an ended
            // unit ended (the report of a year is as of its end, or today).
            let when = r.at.unwrap_or(at);
            let report = fetch(format!(
                "/plans/{}/report?org={org}&year={}",
                plan.id,
                when.year()
            ));
            assert!(
                report.contains(&format!("{shown} ({year})")),
                "report lacks {what}"
            );
            // The FHIR MeasureReport of the actual's year.
            let id = format!("{}-{org}-{year}", code.replace('_', "-"));
            let mr = fhir["entry"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| &e["resource"])
                .find(|r| r["id"] == id.as_str())
                .unwrap_or_else(|| panic!("no MeasureReport {id}"));
            let score = mr["group"][0]["measureScore"]["value"].as_f64().unwrap();
            assert_eq!(format_figure(code, score), shown, "FHIR: {what}");
            checked += 1;
            if checked > 8 {
                continue;
            }
            // The CLI.
            let out = run(&[
                "--data-dir",
                d,
                "indicator",
                "value",
                code,
                "--org",
                org,
                "--period",
                &year.to_string(),
                "--at",
                &when.to_string(),
                "--json",
            ]);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                format_figure(code, cli["value"].as_f64().unwrap()),
                shown,
                "CLI: {what}"
            );
            assert_eq!(cli["reliable"].as_bool(), Some(f.reliable()), "CLI: {what}");
        }
        // A target whose due year is over is never "Chậm tiến độ".
        for r in &rows {
            if r.year.is_some_and(|y| y < today.year()) {
                assert_ne!(
                    r.progress.status,
                    ytcs_core::progress::Status::OffTrack,
                    "{}",
                    r.target_id
                );
            }
        }
    }
    assert!(
        checked >= 3,
        "only {checked} targets with an actual: {seen:#?}"
    );
}
