//! The command-line contract, run on the real binary.

mod common;

use common::*;
use serde_json::Value;

fn org_show(dir: &std::path::Path, code: &str, at: &str) -> Value {
    let o = run(&[
        "--data-dir",
        &path_str(dir),
        "org",
        "show",
        code,
        "--at",
        at,
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn org_show_finds_kon_ray_district_under_kon_tum_in_2024() {
    let dir = prepared_data_dir();
    let v = org_show(dir.path(), "614", "2024-06-01");
    assert_eq!(v["code"], "614");
    assert_eq!(v["name"], "Huyện Kon Rẫy");
    assert_eq!(v["kind"], "district");
    assert_eq!(v["valid_to"], "2025-06-30");
    assert_eq!(
        v["ancestors"][0],
        serde_json::json!({"code": "62", "name": "Tỉnh Kon Tum", "kind": "province", "valid_from": null, "valid_to": "2025-06-30"})
    );
    assert!(v["children"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Thị trấn Đắk Rve"));
    for key in ["valid_from", "predecessors", "successors"] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn org_show_finds_dak_rve_commune_under_quang_ngai_after_the_reform() {
    let dir = prepared_data_dir();
    let v = org_show(dir.path(), "23479", "2025-08-01");
    assert_eq!(v["name"], "Xã Đăk Rve");
    assert_eq!(v["kind"], "commune");
    assert_eq!(v["valid_from"], "2025-07-01");
    assert_eq!(v["valid_to"], Value::Null);
    assert_eq!(v["ancestors"][0]["code"], "51");
    assert_eq!(v["ancestors"][0]["name"], "Tỉnh Quảng Ngãi");
    let mut preds: Vec<&str> = v["predecessors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    preds.sort();
    assert_eq!(preds, ["Thị trấn Đắk Rve", "Xã Đắk Pne"]);
}

#[test]
fn an_unknown_org_code_is_a_one_line_error() {
    let dir = prepared_data_dir();
    let o = run(&[
        "--data-dir",
        &path_str(dir.path()),
        "org",
        "show",
        "99999",
        "--at",
        "2025-08-01",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: no unit carries code 99999 on 2025-08-01"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(stdout(&o).is_empty());
    // A code that existed only before the reform says when it did.
    let o = run(&[
        "--data-dir",
        &path_str(dir.path()),
        "org",
        "show",
        "614",
        "--at",
        "2025-08-01",
    ]);
    assert!(stderr(&o).contains("Huyện Kon Rẫy"), "{}", stderr(&o));
}

#[test]
fn a_malformed_date_or_code_is_refused_before_anything_opens() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("never-created");
    let o = run(&[
        "--data-dir",
        &path_str(&data),
        "org",
        "show",
        "51",
        "--at",
        "01/08/2025",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("use YYYY-MM-DD"), "{}", stderr(&o));
    assert!(!data.exists(), "nothing is created on bad input");
    let o = run(&[
        "--data-dir",
        &path_str(&data),
        "org",
        "show",
        "51;drop",
        "--at",
        "2025-08-01",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a unit code"), "{}", stderr(&o));
    assert!(!data.exists(), "nothing is created on bad input");
}

#[test]
fn an_unknown_subcommand_is_refused() {
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn a_corrupt_database_file_is_named_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ytcs.db");
    let junk = vec![0xA5u8; 64 * 1024];
    std::fs::write(&db, &junk).unwrap();
    let o = run(&["--data-dir", &path_str(dir.path()), "org", "show", "51"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("is not a ytcs database"), "{err}");
    assert!(err.contains("--data-dir"), "tells what to do: {err}");
    assert_eq!(std::fs::read(&db).unwrap(), junk, "nothing overwritten");
}

#[test]
fn a_data_directory_that_cannot_be_written_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let o = run(&["--data-dir", &path_str(&file), "demo", "init"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("cannot use data directory") && err.contains("--data-dir"),
        "{err}"
    );
}

#[test]
fn an_unreachable_database_url_is_named_without_its_password() {
    let port = ytcs_testkit::free_port().unwrap();
    let url = format!("postgres://ytcs:topsecret@127.0.0.1:{port}/ytcs");
    let o = run(&["--database-url", &url, "org", "show", "51"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("cannot connect to PostgreSQL") || err.contains("cannot connect to postgres"),
        "{err}"
    );
    assert!(!err.contains("topsecret"), "{err}");
}

#[test]
fn an_occupied_port_is_named() {
    let dir = prepared_data_dir();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let o = run(&[
        "--data-dir",
        &path_str(dir.path()),
        "serve",
        "--port",
        &port,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("port {port} is already in use")) && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn demo_init_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    for _ in 0..2 {
        let o = run(&["--data-dir", &d, "demo", "init"]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("Demo database ready"));
        assert!(stdout(&o).contains("admin") && stdout(&o).contains("demo-quantri-2025"));
    }
    let v = org_show(dir.path(), "51", "2026-01-01");
    let children = v["children"].as_array().unwrap();
    let of_kind = |k: &str| children.iter().filter(|c| c["kind"] == k).count();
    assert_eq!(of_kind("commune"), 96);
    // The agencies the seed plans name (Sở Y tế …), added once.
    assert_eq!(of_kind("agency"), ytcs_core::agency::PROVINCIAL.len());
    assert_eq!(children.len(), 96 + ytcs_core::agency::PROVINCIAL.len());
}

#[test]
fn serve_demo_comes_up_answers_and_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    eprintln!(
        "serve --demo on an empty data dir answered after {:?}",
        server.started_in
    );
    let (status, body) = server.get("/healthz");
    assert_eq!(status, 200);
    assert!(body.contains("\"ok\""));
    let (status, body) = server.get("/org/62?at=2024-06-01");
    assert_eq!(status, 200);
    assert!(body.contains("Tỉnh Kon Tum"));
    let (status, _) = server.get("/api/v1/openapi.json");
    assert_eq!(status, 200);
    // Without a session only sign-in, static assets, health and the OpenAPI
    // document answer.
    assert_eq!(server.get_anonymous("/org/62?at=2024-06-01").0, 303);
    assert_eq!(server.get_anonymous("/api/v1/plans").0, 401);
    assert_eq!(server.get_anonymous("/api/v1/openapi.json").0, 200);
    assert_eq!(server.get_anonymous("/login").0, 200);
    let exit = server.terminate();
    assert!(exit.success(), "graceful shutdown exits 0: {exit}");
    // The second start reuses the database.
    let again = Server::start(dir.path(), &["--demo"]);
    assert_eq!(again.get("/healthz").0, 200);
}

#[test]
fn the_first_administrator_is_created_from_the_command_line() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    let add = |args: &[&str], stdin: &str| {
        let mut child = ytcs()
            .args(["--data-dir", &d, "user", "add"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let o = add(
        &["--admin", "chi", "--password-stdin"],
        "mật khẩu quản trị\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Created chi (admin"));
    // A random password is printed once when none is given.
    let o = add(&["lan", "--role", "data_entry", "--scope", "51"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Temporary password"));
    // Refusals: a taken name, an unknown role, a bad scope, a short password.
    for (args, stdin, says) in [
        (vec!["chi"], "", "already taken"),
        (vec!["binh", "--role", "boss"], "", "unknown role"),
        (vec!["binh", "--scope", "51/2"], "", "not a unit code"),
        (vec!["binh", "--password-stdin"], "ngắn\n", "at least 10"),
    ] {
        let o = add(&args, stdin);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = run(&["--data-dir", &d, "user", "list"]);
    assert!(stdout(&o).contains("chi\tadmin") && stdout(&o).contains("lan\tdata_entry\t51"));
    // The administrator signs in on the real server.
    let mut server = Server::start(dir.path(), &[]);
    assert_eq!(server.get("/org/62?at=2024-06-01").0, 303);
    server.sign_in("chi", "mật khẩu quản trị");
    let (status, body) = server.get("/org/62?at=2024-06-01");
    assert_eq!(status, 200);
    assert!(body.contains("Tỉnh Kon Tum"));
    // Accounts made on the command line are in the audit log, under cli:USER.
    let (_, audit) = server.get("/admin/audit?kind=user");
    assert!(
        audit.contains("cli:") && audit.contains("user add: role admin"),
        "{audit}"
    );
}
