//! `ytcs generate` on the real binary: deterministic for a seed, refuses a
//! register that has persons, and leaves a database `rebuild --verify`
//! accepts.

mod common;

use common::*;
use serde_json::Value;

/// Two communes of province 51 valid today (a few communes keep the test
/// fast: every commune-month gets its values, zeros included).
fn two_communes() -> Vec<String> {
    let a = ytcs_refdata::admin_units().unwrap();
    let h = ytcs_core::hierarchy::Hierarchy::new(a.units, a.links, a.lineage).unwrap();
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let p = h
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), today)
        .unwrap();
    h.children(p.id, today)
        .iter()
        .take(2)
        .map(|u| u.code.to_string())
        .collect()
}

fn generate(dir: &std::path::Path) -> std::process::Output {
    let c = two_communes();
    run(&[
        "--data-dir",
        &path_str(dir),
        "generate",
        "--persons",
        "3000",
        "--seed",
        "11",
        "--commune",
        &c[0],
        "--commune",
        &c[1],
        "--json",
    ])
}

fn counts(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    let mut v: Value = serde_json::from_str(&stdout(o)).unwrap();
    for k in ["generate_s", "load_s", "derive_s", "total_s"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn generate_is_deterministic_refuses_a_filled_register_and_verifies() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let ca = counts(&generate(a.path()));
    let cb = counts(&generate(b.path()));
    assert_eq!(ca, cb);
    assert_eq!(ca["persons"], 3000);
    assert!(ca["events"].as_u64().unwrap() > 15_000, "{ca}");
    assert!(ca["derived"].as_u64().unwrap() > 0, "{ca}");

    let again = generate(a.path());
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already holds 3000 persons"),
        "{}",
        stderr(&again)
    );

    let v = run(&["--data-dir", &path_str(a.path()), "rebuild", "--verify"]);
    assert!(v.status.success(), "{}\n{}", stdout(&v), stderr(&v));
}
