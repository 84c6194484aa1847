//! The demo network on a real SQLite store: loaded once, exported as an
//! mCSD bundle, and read back into a fresh database unchanged.

use std::sync::Arc;

use serde_json::Value;
use ytcs_core::org::OrgCode;
use ytcs_registry::mcsd::{bundle, import};
use ytcs_store::{Store, StoreConfig};
use ytcs_synth::demo_network::load_demo;

fn d(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    (s, dir)
}

async fn export(s: &Arc<dyn Store>, code: &str, at: &str) -> Value {
    let h = s.hierarchy().await.unwrap();
    let data = s.network().await.unwrap();
    let root = s
        .unit_at(&OrgCode::parse(code).unwrap(), d(at))
        .await
        .unwrap()
        .unwrap();
    bundle(&h, &data, root.id, d(at))
}

#[tokio::test]
async fn the_demo_loads_once_and_exports_an_mcsd_bundle() {
    let (s, _g) = store().await;
    assert!(load_demo(s.as_ref()).await.unwrap());
    assert!(!load_demo(s.as_ref()).await.unwrap());
    let b = export(&s, "51", "2026-01-01").await;
    let entries = b["entry"].as_array().unwrap();
    assert!(entries.len() > 1000);
    let orgs = entries
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Organization")
        .count();
    assert_eq!(orgs * 2, entries.len());
    assert!(entries
        .iter()
        .any(|e| e["resource"]["identifier"][0]["value"] == "TYT-23479"
            && e["resource"]["partOf"]["reference"].as_str().is_some()));
}

#[tokio::test]
async fn a_province_bundle_round_trips_through_a_fresh_database() {
    let (demo, _g1) = store().await;
    load_demo(demo.as_ref()).await.unwrap();
    let before = export(&demo, "51", "2026-01-01").await;
    let facilities = before["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["resource"]["id"]
                .as_str()
                .unwrap()
                .starts_with("org-fac-")
        })
        .count();
    assert!(facilities > 10, "the demo has facilities: {facilities}");

    let (fresh, _g2) = store().await;
    let r = import(fresh.as_ref(), &before, None).await.unwrap();
    assert_eq!(r.facilities_added, facilities);
    assert!(r.units_added > 100, "villages are created: {r:?}");
    let after = export(&fresh, "51", "2026-01-01").await;
    assert_eq!(after, before);

    // A second import finds every unit and refuses the facilities, which
    // are already there: nothing is written.
    let gen = fresh.generation().await.unwrap();
    let err = import(fresh.as_ref(), &before, None)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("registered twice"), "{err}");
    assert_eq!(fresh.generation().await.unwrap(), gen);
}
