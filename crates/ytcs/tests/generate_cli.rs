//! `ytcs generate` on the real binary: deterministic for a seed, refuses a
//! register that has persons, and leaves a database `rebuild --verify`
//! accepts.

mod common;

use common::*;
use serde_json::Value;

fn generate(dir: &std::path::Path) -> std::process::Output {
    run(&[
        "--data-dir",
        &path_str(dir),
        "generate",
        "--persons",
        "3000",
        "--seed",
        "11",
        "--json",
    ])
}

fn counts(o: &std::process::Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    let mut v: Value = serde_json::from_str(&stdout(o)).unwrap();
    for k in ["generate_s", "load_s", "derive_s"] {
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
