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

#[test]
fn the_audit_page_shows_the_demos_activity_and_approval_states() {
    let dir = prepared_data_dir();
    let server = Server::start(dir.path(), &["--demo"]);
    let (status, audit) = server.get("/admin/audit");
    assert_eq!(status, 200);
    // Actions in words: approved, submitted, signed in.
    for needle in [
        "tramyte",
        "ttyt",
        "Duyệt",
        "Gửi duyệt",
        "demo seed",
        "Đăng nhập",
    ] {
        assert!(audit.contains(needle), "the audit page lacks {needle}");
    }
    // The station's August data is approved and locked, September waits.
    let org = server
        .get("/admin/audit?kind=approval")
        .1
        .split("<td>")
        .find_map(|cell| {
            cell.split('<')
                .next()
                .filter(|c| c.len() == 5 && c.chars().all(|x| x.is_ascii_digit()))
                .map(str::to_string)
        })
        .expect("a commune code in the approval entries");
    let (_, august) = server.get(&format!(
        "/data/entry?set=commune_monthly&org={org}&period=2025-08"
    ));
    assert!(august.contains("Đã duyệt và khóa"), "{august}");
    let (_, september) = server.get(&format!(
        "/data/entry?set=commune_monthly&org={org}&period=2025-09"
    ));
    assert!(september.contains("Đã gửi, chờ duyệt"));
}

#[test]
fn the_demo_links_lead_units_to_agencies_with_their_tasks() {
    let dir = prepared_data_dir();
    let server = Server::start(dir.path(), &["--demo"]);
    // Quảng Ngãi's Department of Health leads tasks of the province's plan.
    let (status, page) = server.get("/org/51.SYT/tasks");
    assert_eq!(status, 200);
    assert!(page.contains("Sở Y tế tỉnh Quảng Ngãi"), "{page}");
    assert!(page.contains("/task?t="), "no task listed: {page}");
    // The unit page links there, and the task list links lead units.
    assert!(server.get("/org/51").1.contains("/org/51/tasks"));
    assert!(server.get("/tasks").1.contains(".TTYT/tasks"));
}
