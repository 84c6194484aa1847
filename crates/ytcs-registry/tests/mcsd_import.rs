//! mCSD bundles read back: a bad bundle names each bad resource and writes
//! nothing. (The round trip of the demo's bundle is in ytcs-synth's
//! tests.)

use std::sync::Arc;

use serde_json::{json, Value};
use ytcs_core::org::OrgCode;
use ytcs_registry::mcsd::import;
use ytcs_store::{Store, StoreConfig};

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

fn pair(
    id: &str,
    system: &str,
    value: &str,
    part_of: Option<&str>,
    kind: (&str, &str),
) -> [Value; 2] {
    let mut org = json!({
        "resourceType": "Organization", "id": format!("org-{id}"), "name": format!("Tên {id}"),
        "identifier": [{"system": system, "value": value}],
        "type": [{"coding": [{"system": kind.0, "code": kind.1}]}],
    });
    let mut loc = json!({
        "resourceType": "Location", "id": format!("loc-{id}"), "name": format!("Tên {id}"),
        "identifier": [{"system": system, "value": value}],
        "managingOrganization": {"reference": format!("Organization/org-{id}")},
    });
    if let Some(p) = part_of {
        org["partOf"] = json!({"reference": format!("Organization/org-{p}")});
        loc["partOf"] = json!({"reference": format!("Location/loc-{p}")});
    }
    [org, loc]
}

#[tokio::test]
async fn a_bad_bundle_names_each_resource_and_writes_nothing() {
    let (s, _g) = store().await;
    let commune = s
        .unit_at(&OrgCode::parse("23479").unwrap(), d("2026-01-01"))
        .await
        .unwrap()
        .unwrap();
    let key = format!("23479@{}", commune.validity.from.unwrap());
    let mut entries = Vec::new();
    entries.extend(pair(
        "c",
        "urn:ytcs:org-unit",
        &key,
        None,
        ("urn:ytcs:org-kind", "commune"),
    ));
    entries.extend(pair(
        "v1",
        "urn:ytcs:org-unit",
        "23479-01@2025-07-01",
        Some("c"),
        ("urn:ytcs:org-kind", "village"),
    ));
    entries.extend(pair(
        "f1",
        "urn:ytcs:facility",
        "TYT-1",
        Some("nowhere"),
        ("urn:ytcs:facility-kind", "commune_station"),
    ));
    let mut no_id = pair(
        "f2",
        "urn:ytcs:facility",
        "TYT-2",
        Some("c"),
        ("urn:ytcs:facility-kind", "commune_station"),
    );
    no_id[0]["identifier"] = json!([]);
    entries.extend(no_id);
    let b = json!({
        "resourceType": "Bundle", "type": "collection", "timestamp": "2026-01-01T00:00:00+07:00",
        "entry": entries.into_iter().map(|r| json!({"resource": r})).collect::<Vec<_>>(),
    });
    let generation = s.generation().await.unwrap();
    let err = import(s.as_ref(), &b, None).await.unwrap_err().to_string();
    assert!(
        err.contains("Organization/org-f1") && err.contains("partOf Organization/org-nowhere"),
        "{err}"
    );
    assert!(
        err.contains("Organization/org-f2") && err.contains("missing identifier"),
        "{err}"
    );
    assert_eq!(s.generation().await.unwrap(), generation, "nothing written");
    assert!(s
        .unit_at(&OrgCode::parse("23479-01").unwrap(), d("2026-01-01"))
        .await
        .unwrap()
        .is_none());

    // Without the two bad facilities the village and nothing else is added.
    let good: Vec<Value> = b["entry"].as_array().unwrap()[..4].to_vec();
    let b = json!({"resourceType": "Bundle", "timestamp": "2026-01-01", "entry": good});
    let r = import(s.as_ref(), &b, None).await.unwrap();
    assert_eq!(
        (r.units_found, r.units_added, r.facilities_added),
        (1, 1, 0)
    );
    let v = s
        .unit_at(&OrgCode::parse("23479-01").unwrap(), d("2026-01-01"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        s.ancestors(v.id, d("2026-01-01")).await.unwrap()[0].id,
        commune.id
    );
}
