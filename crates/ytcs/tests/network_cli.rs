//! The network on the real binary: demo, `indicator value` contract,
//! templates, all-or-nothing import, mCSD export, refusal of old units.

mod common;

use common::run;

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn network_commands_on_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let dd = dir.path().to_str().unwrap();
    ok(&["--data-dir", dd, "demo", "init"]);
    ok(&["--data-dir", dd, "demo", "init"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "--data-dir",
        dd,
        "indicator",
        "value",
        "stations_with_doctor_pct",
        "--org",
        "51",
        "--period",
        "2024",
        "--at",
        "2026-01-01",
        "--json",
    ]))
    .unwrap();
    for k in [
        "code",
        "org",
        "period",
        "at",
        "value",
        "numerator",
        "denominator",
    ] {
        assert!(v.get(k).is_some(), "{k} missing in {v}");
    }
    let pct = v["value"].as_f64().unwrap();
    assert!(
        pct > 0.0 && pct < 100.0,
        "some stations have a doctor, some not: {pct}"
    );
    let pop: serde_json::Value = serde_json::from_str(&ok(&[
        "--data-dir",
        dd,
        "indicator",
        "value",
        "population",
        "--org",
        "51",
        "--period",
        "2024",
        "--at",
        "2026-01-01",
        "--json",
    ]))
    .unwrap();
    assert!(pop["denominator"].is_null() && pop["value"].as_f64().unwrap() > 1_000_000.0);
    // Old district asked about data recorded under new communes: refused, named.
    let out = run(&[
        "--data-dir",
        dd,
        "indicator",
        "value",
        "population",
        "--org",
        "614",
        "--period",
        "2026",
        "--at",
        "2024-06-01",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2025-07-01"));
    // Template, then a bad import that writes nothing.
    let t = ok(&[
        "--data-dir",
        dd,
        "network",
        "template",
        "--table",
        "population",
    ]);
    assert!(t.starts_with("Mã đơn vị"));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "Mã đơn vị,Ngày đơn vị,Năm,Giới tính,Nhóm tuổi,Số người\n23479,2025-07-01,2027,Nữ,25-29,-1\n").unwrap();
    let out = run(&[
        "--data-dir",
        dd,
        "network",
        "import",
        bad.to_str().unwrap(),
        "--table",
        "population",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let xlsx = dir.path().join("f.xlsx");
    ok(&[
        "--data-dir",
        dd,
        "network",
        "export",
        "--table",
        "facilities",
        "--format",
        "xlsx",
        "-o",
        xlsx.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let b: serde_json::Value = serde_json::from_str(&ok(&[
        "--data-dir",
        dd,
        "network",
        "export",
        "--format",
        "mcsd",
        "--org",
        "51",
        "--at",
        "2026-01-01",
    ]))
    .unwrap();
    assert_eq!(b["resourceType"], "Bundle");
}
