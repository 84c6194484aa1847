//! `ytcs data import`, `ytcs indicator value` and `ytcs rebuild --verify` on
//! the real binary.

use std::process::Command;

fn ytcs(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ytcs"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("the ytcs binary runs")
}

#[test]
fn imported_values_answer_indicators_and_rebuild_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("v.csv");
    std::fs::write(
        &csv,
        "element,org,period,disagg,value\n\
         live_births,23479,2024-03,m,30\n\
         live_births,23479,2024-03,f,25\n\
         deaths,23479,2024-05,m.0,1\n\
         live_births,23482,2024-04,m,20\n\
         live_births,23482,2024-04,f,20\n",
    )
    .unwrap();
    let out = ytcs(dir.path(), &["data", "import", csv.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ytcs(
        dir.path(),
        &[
            "indicator",
            "value",
            "srb",
            "--org",
            "614",
            "--period",
            "2024",
            "--at",
            "2024-12-31",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["code"], "srb");
    assert_eq!(v["numerator"], 50.0);
    assert_eq!(v["denominator"], 45.0);
    assert!((v["value"].as_f64().unwrap() - 5000.0 / 45.0).abs() < 1e-9);
    // The old commune's values count under the new province 51 today.
    let out = ytcs(
        dir.path(),
        &[
            "indicator",
            "value",
            "imr",
            "--org",
            "51",
            "--period",
            "2024",
            "--at",
            "2026-01-01",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Only 23479 reported infant deaths: its 55 births are the
    // denominator, not the 95 of both communes; one commune of the
    // province is no province figure, and 1 death is small numbers.
    assert!(
        (v["value"].as_f64().unwrap() - 1000.0 / 55.0).abs() < 1e-9,
        "{v}"
    );
    assert_eq!(v["coverage"]["with_data"], 1, "{v}");
    assert_eq!(v["reliable"], false, "{v}");
    let flags: Vec<&str> = v["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    assert_eq!(
        flags,
        [
            "small_numbers",
            "incomplete_coverage",
            "insufficient_coverage"
        ],
        "{v}"
    );
    let ci = v["ci95"].as_array().unwrap();
    assert!(
        ci[0].as_f64().unwrap() < 18.19 && ci[1].as_f64().unwrap() > 18.19,
        "{v}"
    );
    // No denominator: no data, not infinity.
    let out = ytcs(
        dir.path(),
        &[
            "indicator",
            "value",
            "bhyt_coverage",
            "--org",
            "51",
            "--period",
            "2024",
            "--at",
            "2026-01-01",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["value"].is_null(), "{v}");
    let out = ytcs(dir.path(), &["rebuild", "--verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_bad_import_names_each_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "element,org,period,disagg,value\n\
         live_births,23479,2024-03,m,30\n\
         nonsense,23479,2024-03,,1\n\
         live_births,23479,2024-03,m,1.5\n\
         live_births,23479,2024,m,3\n\
         live_births,23482,2026-03,m,3\n",
    )
    .unwrap();
    let out = ytcs(dir.path(), &["data", "import", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "line 3: unknown data element 'nonsense'",
        "line 4: element live_births: '1.5' is not a whole number",
        "line 5: period 2024 does not fit data set commune_monthly",
        "line 6: no org unit 23482 existed on 2026-03-31",
    ] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    let out = ytcs(dir.path(), &["data", "export"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "element,org,period,disagg,value\n"
    );
}

/// `ytcs bench indicators` runs the product's path end to end on a small
/// file and checks what it measured: every province's totals equal the
/// file's, the rebuild finds the held totals equal to a fold of the raw values.
#[test]
fn bench_indicators_runs_the_import_rebuild_and_queries_and_checks_totals() {
    let dir = tempfile::tempdir().unwrap();
    let out = ytcs(
        dir.path(),
        &["bench", "indicators", "--values", "60000", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["values"], 60000, "{v}");
    assert!(v["province_totals_checked"].as_u64().unwrap() >= 63, "{v}");
    assert_eq!(v["aggregate_rows"]["different"], 0, "{v}");
    assert_eq!(v["aggregate_rows"]["missing"], 0, "{v}");
    assert!(v["import_s"].as_f64().unwrap() > 0.0, "{v}");
    assert!(v["query_50_cells_p95_ms"].as_f64().is_some(), "{v}");
    assert!(v["baselines"].is_null(), "no baselines asked for");
}

/// `ytcs bench indicators --postgres URL` runs the same path on
/// PostgreSQL (new values by COPY), in a database of its own made on that
/// server, and finds the same totals.
#[test]
fn bench_indicators_runs_on_postgresql_in_a_database_of_its_own() {
    let url = ytcs_testkit::TestPostgres::shared()
        .fresh_database()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = ytcs(
        dir.path(),
        &[
            "bench",
            "indicators",
            "--values",
            "20000",
            "--postgres",
            &url,
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["engine"], "postgres", "{v}");
    assert_eq!(v["values"], 20000, "{v}");
    assert!(v["province_totals_checked"].as_u64().unwrap() >= 63, "{v}");
    assert_eq!(v["aggregate_rows"]["different"], 0, "{v}");
    assert_eq!(v["aggregate_rows"]["missing"], 0, "{v}");
    assert!(
        v["database_url"].as_str().unwrap().contains("/ytcs_bench_"),
        "{v}"
    );
}

/// `ytcs bench registers` runs the product's load, derivation, check and
/// save on a small register and reports what it measured: values derived
/// and written, a check that found them equal, saves timed.
#[test]
fn bench_registers_runs_the_load_derivation_check_and_saves() {
    let dir = tempfile::tempdir().unwrap();
    let out = ytcs(
        dir.path(),
        &["bench", "registers", "--persons", "3000", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["persons"], 3000, "{v}");
    let derived = v["derived_values"].as_u64().unwrap();
    assert!(derived > 1000, "{v}");
    assert_eq!(v["written_values"].as_u64().unwrap(), derived, "{v}");
    assert_eq!(v["batches"], 1, "{v}");
    assert!(v["save_event_p95_ms"].as_f64().unwrap() > 0.0, "{v}");
    assert!(v["read_ms"].is_null(), "SQLite reads nothing whole");
}
