//! `ytcs national publish` on the real binary: the demo province's
//! register and values published, published again unchanged, and refused for a key too short
//! or a province that does not own the data (exit code 1, nothing
//! published).

mod common;

use common::*;
use serde_json::Value;

fn publish(
    dir: &std::path::Path,
    warehouse: &std::path::Path,
    key: &std::path::Path,
    province: &str,
) -> std::process::Output {
    run(&[
        "--data-dir",
        &path_str(dir),
        "national",
        "publish",
        "--warehouse",
        &path_str(warehouse),
        "--province",
        province,
        "--key-file",
        &path_str(key),
        "--json",
    ])
}

#[test]
fn a_province_publishes_into_the_warehouse_once_and_unchanged_after() {
    let dir = prepared_data_dir();
    let warehouse = dir.path().join("warehouse");
    let key = dir.path().join("national.key");
    std::fs::write(&key, "a national key of at least thirty-two bytes\n").unwrap();
    // The prepared data dir holds the demo province's register and values.
    let o = publish(dir.path(), &warehouse, &key, "51");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["province"], "51");
    assert_eq!(v["unchanged"], false);
    assert_eq!(v["rows"]["persons"], 6000);
    assert!(v["rows"]["events"].as_u64().unwrap() > 6000);
    assert!(v["rows"]["values"].as_u64().unwrap() > 0);
    assert!(warehouse.join("manifests/province=51.json").exists());

    let again = publish(dir.path(), &warehouse, &key, "51");
    assert!(again.status.success(), "{}", stderr(&again));
    let w: Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(w["unchanged"], true);
    assert_eq!(w["publication"], v["publication"]);

    // Another province does not own these communes: refused, exit 1.
    let other = publish(dir.path(), &warehouse, &key, "01");
    assert_eq!(other.status.code(), Some(1));
    assert!(
        stderr(&other).contains("does not own"),
        "{}",
        stderr(&other)
    );
    assert!(!warehouse.join("manifests/province=01.json").exists());

    // A short key: refused before anything is read.
    std::fs::write(&key, "short").unwrap();
    let short = publish(dir.path(), &warehouse, &key, "51");
    assert_eq!(short.status.code(), Some(1));
    assert!(
        stderr(&short).contains("at least 32 bytes"),
        "{}",
        stderr(&short)
    );
}
