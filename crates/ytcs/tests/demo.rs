//! The demo shows a plan being run in every state, through the real server.

mod common;

use common::*;

#[test]
fn the_demo_shows_tasks_in_every_state_a_late_report_budget_execution_and_criteria() {
    let dir = prepared_data_dir();
    let server = Server::start(dir.path(), &["--demo"]);
    let (status, tasks) = server.get("/tasks");
    assert_eq!(status, 200);
    for state in [
        "Hoàn thành",
        "Đang thực hiện",
        "Vướng mắc",
        "Quá hạn",
        "Nộp muộn",
        "Chưa nộp (quá hạn)",
    ] {
        assert!(tasks.contains(state), "/tasks lacks {state}");
    }
    let (_, plans) = server.get("/api/v1/plans");
    let plans: Vec<serde_json::Value> = serde_json::from_str(&plans).unwrap();
    let lao_cai = plans
        .iter()
        .find(|p| p["issuer"] == "UBND thành phố Lào Cai")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, page) = server.get(&format!("/plans/{lao_cai}"));
    assert!(page.contains("Vượt dự toán"), "an overrun is flagged");
    assert!(
        page.contains("100 %") && page.contains("50 %"),
        "execution rates"
    );
    let (_, unit) = server.get("/org/51/network");
    assert!(!unit.is_empty());
    // Criteria results exist for communes of province 51, passes and failures.
    let org: serde_json::Value = serde_json::from_str(&server.get("/api/v1/org/51").1).unwrap();
    let mut passed = 0;
    let mut failed = 0;
    for c in org["children"].as_array().unwrap().iter().take(40) {
        let (_, html) = server.get(&format!(
            "/org/{}/criteria?year=2025",
            c["code"].as_str().unwrap()
        ));
        if html.contains("ĐẠT —") && !html.contains("CHƯA ĐẠT —") {
            passed += 1;
        } else if html.contains("CHƯA ĐẠT —") {
            failed += 1;
        }
    }
    assert!(passed > 0 && failed > 0, "passed {passed}, failed {failed}");
}
