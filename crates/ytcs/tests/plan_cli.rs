//! `ytcs plan parse | import | list` on the real binary.

mod common;

use common::*;
use serde_json::Value;

fn seed_path(name: &str) -> String {
    format!("{}/../../data/seeds/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn plan_parse_prints_the_contract_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = run(&[
        "--data-dir",
        &path_str(&data),
        "plan",
        "parse",
        &seed_path("003_3ea79b4f7be72fab.txt"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "ytcs.plan/1");
    assert_eq!(v["number"], "193/KH-UBND");
    assert_eq!(v["date"], "2023-11-02");
    assert_eq!(v["source"]["format"], "text");
    assert_eq!(v["source"]["sha256"].as_str().unwrap().len(), 64);
    for key in [
        "legal_bases",
        "targets",
        "tasks",
        "budget",
        "reporting",
        "recipients",
        "warnings",
    ] {
        assert!(v[key].is_array(), "{key}");
    }
    assert!(v.get("id").is_none());
    assert!(!data.exists(), "parse stores nothing");
}

#[test]
fn plan_import_stores_once_and_lists() {
    let dir = prepared_data_dir();
    let d = path_str(dir.path());
    let before: Vec<Value> =
        serde_json::from_str(&stdout(&run(&["--data-dir", &d, "plan", "list", "--json"]))).unwrap();
    assert_eq!(before.len(), 5, "the demo holds the five seed plans");

    let file = dir.path().join("ke-hoach.txt");
    let text = std::fs::read_to_string(seed_path("003_3ea79b4f7be72fab.txt"))
        .unwrap()
        .replace("**193** /KH-UBND", "**194** /KH-UBND");
    std::fs::write(&file, text).unwrap();
    let o = run(&["--data-dir", &d, "plan", "import", &path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let id = v["id"].as_i64().unwrap();
    assert_eq!(v["number"], "194/KH-UBND");
    assert_eq!(v["schema"], "ytcs.plan/1");

    let again = run(&["--data-dir", &d, "plan", "import", &path_str(&file)]);
    assert!(again.status.success());
    assert!(stderr(&again).contains(&format!("already imported as plan {id}")));

    let list: Vec<Value> =
        serde_json::from_str(&stdout(&run(&["--data-dir", &d, "plan", "list", "--json"]))).unwrap();
    assert_eq!(list.len(), 6);
    let row = list.iter().find(|r| r["id"] == id).unwrap();
    let keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 5);
    assert_eq!(row["number"], "194/KH-UBND");
    assert_eq!(row["issuer"], "UBND tỉnh Quảng Ngãi");
}

fn refused(bytes: &[u8], name: &str, expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, bytes).unwrap();
    for cmd in ["parse", "import"] {
        let o = run(&[
            "--data-dir",
            &path_str(&dir.path().join("data")),
            "plan",
            cmd,
            &path_str(&file),
        ]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(expect), "{name}: expected '{expect}' in {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(stdout(&o).is_empty());
    }
    assert!(
        !dir.path().join("data").exists(),
        "nothing stored for bad input"
    );
}

#[test]
fn unreadable_documents_exit_2_with_the_reason() {
    refused(b"", "empty.txt", "the document is empty");
    refused(b"  \n\n ", "blank.txt", "the document is empty");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    refused(&garbage, "garbage.bin", "binary data");
    refused(b"this is not a zip", "ke-hoach.docx", "not a DOCX file");
    refused(b"%PDF-1.7 ...", "ke-hoach.pdf", "unsupported format: PDF");
}

#[test]
fn a_tcvn3_file_is_converted_with_a_warning() {
    // TCVN3 (ABC) bytes as an old provincial office would save them:
    // "Kế hoạch phát triển y tế cơ sở" in the .VnTime font.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tcvn3.txt");
    let tcvn3: Vec<u8> = b"K\xd5 ho\xb9ch ph\xb8t tri\xd3n y t\xd5 c\xac s\xab. ".repeat(40);
    std::fs::write(&file, tcvn3).unwrap();
    let o = run(&["plan", "parse", &path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["warnings"][0].as_str().unwrap().contains("TCVN3"), "{v}");
    assert!(
        v["warnings_vi"][0].as_str().unwrap().contains("TCVN3"),
        "{v}"
    );
}

#[test]
fn a_50_megabyte_file_is_refused_quickly() {
    let big = vec![b'a'; 50 * 1024 * 1024];
    refused(&big, "big.txt", "too large");
}

#[test]
fn a_missing_file_is_named() {
    let o = run(&["plan", "parse", "/definitely/not/here.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /definitely/not/here.txt"));
}

#[test]
fn bench_plans_reports_throughput_as_json() {
    let o = run(&["bench", "plans", "--rounds", "1", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["documents"], 5);
    assert!(v["kb_per_s"].as_f64().unwrap() > 0.0);
    assert!(v["targets_per_round"].as_u64().unwrap() > 50);
}

#[test]
fn corrections_made_on_the_review_page_are_exported_and_scored() {
    use ytcs_store::plans::{ExampleAction, NewTargetExample};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = path_str(&data);
    let o = run(&[
        "--data-dir",
        &d,
        "plan",
        "import",
        &seed_path("003_3ea79b4f7be72fab.txt"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // A person fixes target 0 on the review page (what the web does).
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (line, value) = rt.block_on(async {
        let config = ytcs_store::StoreConfig::from_parts(&data, None).unwrap();
        let s = ytcs_store::open(&config).await.unwrap();
        let id = s.list_plans().await.unwrap()[0].id;
        let stored = s.get_plan(id).await.unwrap().unwrap();
        let mut plan = stored.plan.clone();
        let wrong = plan.targets[0].clone();
        let mut right = wrong.clone();
        right.value = Some(wrong.value.unwrap() + 1.0);
        plan.targets[0] = right.clone();
        let example = NewTargetExample {
            line: wrong.line,
            sentence: stored
                .source_text
                .lines()
                .nth(wrong.line - 1)
                .unwrap()
                .into(),
            selection: "đoạn chọn".into(),
            action: ExampleAction::Fix,
            target_index: Some(0),
            read: None,
            replaced: Some(wrong.clone()),
            target: right.clone(),
            username: "admin".into(),
        };
        s.correct_target(id, &plan, "x", &example)
            .await
            .unwrap()
            .unwrap();
        (wrong.line, right.value.unwrap())
    });
    let out = dir.path().join("examples");
    let o = run(&[
        "--data-dir",
        &d,
        "plan",
        "examples",
        "export",
        &path_str(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("1 plan(s)"), "{}", stdout(&o));
    let gold: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("plan1.gold.json")).unwrap())
            .unwrap();
    assert_eq!(gold["lines"], serde_json::json!([line]));
    assert!(gold["targets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t[1].as_f64() == Some(value)));
    // The scorer counts it: the person's value is one the reader did not read.
    let o = run(&["--data-dir", &d, "plan", "score", &path_str(&out), "-v"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report = stdout(&o);
    assert!(report.contains("plan1"), "{report}");
    assert!(
        report
            .lines()
            .any(|l| l.contains("target missed:") && l.contains(&format!(" {value} "))),
        "{report}"
    );
}
