//! One behavioural suite, run against both engines: SQLite in a temp file
//! and a real PostgreSQL server started by the test kit (the PostgreSQL
//! tests fail, never skip, when the server cannot be started).

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::org::{LineageKind, OrgCode, OrgKind};
use ytcs_core::Date;
use ytcs_store::Store;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn code(s: &str) -> OrgCode {
    OrgCode::parse(s).unwrap()
}

both_engines!(
    units: true;
    a_reused_code_resolves_by_date,
    ancestors_and_children_follow_the_date,
    lineage_is_readable_both_ways,
    search_ignores_diacritics_and_matches_codes,
    counts_on_each_side_of_the_reform,
    reference_units_load_only_once,
    metadata_round_trips,
);

async fn a_reused_code_resolves_by_date(s: Arc<dyn Store>) {
    let old = s
        .unit_at(&code("23479"), d("2024-06-01"))
        .await
        .unwrap()
        .unwrap();
    let new = s
        .unit_at(&code("23479"), d("2025-08-01"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(old.name, "Thị trấn Đắk Rve");
    assert_eq!(new.name, "Xã Đăk Rve");
    assert_ne!(old.id, new.id);
    assert_eq!(s.units_with_code(&code("23479")).await.unwrap().len(), 2);
    assert!(s
        .unit_at(&code("99999"), d("2024-06-01"))
        .await
        .unwrap()
        .is_none());
    assert_eq!(s.unit(new.id).await.unwrap().unwrap(), new);
}

async fn ancestors_and_children_follow_the_date(s: Arc<dyn Store>) {
    let kon_ray = s
        .unit_at(&code("614"), d("2024-06-01"))
        .await
        .unwrap()
        .unwrap();
    let anc = s.ancestors(kon_ray.id, d("2024-06-01")).await.unwrap();
    let names: Vec<&str> = anc.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Tỉnh Kon Tum", "Việt Nam"]);
    let kids = s.children(kon_ray.id, d("2024-06-01")).await.unwrap();
    assert!(kids.iter().any(|u| u.name == "Thị trấn Đắk Rve"));
    assert!(kids.iter().all(|u| u.kind == OrgKind::Commune));
    assert!(s
        .children(kon_ray.id, d("2025-07-01"))
        .await
        .unwrap()
        .is_empty());

    let qn = s
        .unit_at(&code("51"), d("2025-08-01"))
        .await
        .unwrap()
        .unwrap();
    let communes = s.children(qn.id, d("2025-08-01")).await.unwrap();
    assert_eq!(communes.len(), 96);
}

async fn lineage_is_readable_both_ways(s: Arc<dyn Store>) {
    let new = s
        .unit_at(&code("23479"), d("2025-08-01"))
        .await
        .unwrap()
        .unwrap();
    let preds = s.predecessors(new.id).await.unwrap();
    let mut names: Vec<&str> = preds.iter().map(|p| p.unit.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Thị trấn Đắk Rve", "Xã Đắk Pne"]);
    assert!(preds
        .iter()
        .all(|p| p.link.kind == LineageKind::Merge && p.link.weight == 1.0));
    let old = &preds[0].unit;
    let succ = s.successors(old.id).await.unwrap();
    assert_eq!(succ.len(), 1);
    assert_eq!(succ[0].unit.id, new.id);
    assert_eq!(succ[0].link.date, d("2025-07-01"));
}

async fn search_ignores_diacritics_and_matches_codes(s: Arc<dyn Store>) {
    let hits = s.search_units("dak rve", None, 10).await.unwrap();
    assert!(hits.iter().any(|u| u.name == "Xã Đăk Rve"));
    assert!(hits.iter().any(|u| u.name == "Thị trấn Đắk Rve"));
    let hits = s
        .search_units("Đắk Rve", Some(d("2025-08-01")), 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1);
    let by_code = s.search_units("614", None, 5).await.unwrap();
    assert_eq!(by_code[0].name, "Huyện Kon Rẫy");
    assert!(s.search_units("   ", None, 5).await.unwrap().is_empty());
    // Wildcards in the query are literal.
    assert!(s.search_units("%", None, 5).await.unwrap().is_empty());
}

async fn counts_on_each_side_of_the_reform(s: Arc<dyn Store>) {
    let count = |v: &[ytcs_store::UnitCount], k: OrgKind| {
        v.iter().find(|c| c.kind == k).map_or(0, |c| c.count)
    };
    let before = s.count_units(d("2025-01-04")).await.unwrap();
    assert_eq!(count(&before, OrgKind::Province), 63);
    assert_eq!(count(&before, OrgKind::District), 696);
    let after = s.count_units(d("2025-07-01")).await.unwrap();
    assert_eq!(count(&after, OrgKind::Province), 34);
    assert_eq!(count(&after, OrgKind::District), 0);
    assert_eq!(count(&after, OrgKind::Commune), 3321);
}

async fn reference_units_load_only_once(s: Arc<dyn Store>) {
    assert!(!s.load_admin_units(common::admin()).await.unwrap());
    assert_eq!(s.units_with_code(&code("51")).await.unwrap().len(), 2);
}

async fn metadata_round_trips(s: Arc<dyn Store>) {
    assert_eq!(s.meta("demo").await.unwrap(), None);
    s.set_meta("demo", "1").await.unwrap();
    s.set_meta("demo", "2").await.unwrap();
    assert_eq!(s.meta("demo").await.unwrap().as_deref(), Some("2"));
}
