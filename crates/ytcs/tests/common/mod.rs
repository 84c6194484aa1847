//! Running the real `ytcs` binary in tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub fn ytcs() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ytcs"));
    c.env_remove("YTCS_DATABASE_URL")
        .env_remove("YTCS_DATA_DIR")
        .env("YTCS_LOG", "warn");
    c
}

/// Runs `ytcs ARGS` to completion.
pub fn run(args: &[&str]) -> Output {
    ytcs()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("ytcs runs")
}

/// A `ytcs serve` child process, killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    pub started_in: Duration,
    /// A bearer token of a signed-in administrator (demo servers sign in as
    /// the demo administrator at start).
    pub bearer: Option<String>,
}

/// The demo administrator's credentials (printed by `serve --demo`).
pub const DEMO_ADMIN: (&str, &str) = ("admin", "demo-quantri-2025");

impl Server {
    /// Starts `ytcs serve ARGS --port FREE` and waits until it prints its
    /// address (at most 120 s).
    pub fn start(data_dir: &Path, extra: &[&str]) -> Server {
        let port = ytcs_testkit::free_port().unwrap();
        let started = Instant::now();
        let mut child = ytcs()
            .arg("--data-dir")
            .arg(data_dir)
            .arg("serve")
            .args(extra)
            .args(["--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ytcs serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx
            .recv_timeout(Duration::from_secs(120))
            .expect("ytcs serve prints its address");
        assert!(line.contains(&format!("http://127.0.0.1:{port}")), "{line}");
        let mut server = Server {
            child,
            port,
            started_in: started.elapsed(),
            bearer: None,
        };
        if extra.contains(&"--demo") {
            server.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1);
        }
        server
    }

    /// Signs in through `POST /api/v1/session`; later `get`s carry the token.
    pub fn sign_in(&mut self, username: &str, password: &str) {
        let body = serde_json::json!({"username": username, "password": password}).to_string();
        let (status, text) = http(
            self.port,
            "POST",
            "/api/v1/session",
            &[("Content-Type", "application/json")],
            &body,
        );
        assert_eq!(status, 200, "sign-in as {username}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        self.bearer = Some(v["token"].as_str().unwrap().to_string());
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// An HTTP GET, signed in when the server has a token; status and body.
    pub fn get(&self, path: &str) -> (u16, String) {
        match &self.bearer {
            Some(t) => http(
                self.port,
                "GET",
                path,
                &[("Authorization", &format!("Bearer {t}"))],
                "",
            ),
            None => http_get(self.port, path),
        }
    }

    /// An HTTP GET without any session.
    pub fn get_anonymous(&self, path: &str) -> (u16, String) {
        http_get(self.port, path)
    }

    /// Sends SIGTERM and waits for a graceful exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "ytcs did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn http_get(port: u16, path: &str) -> (u16, String) {
    http(port, "GET", path, &[], "")
}

/// One HTTP/1.1 request over a fresh connection; status and body.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).to_string();
    let status: u16 = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// A data directory with the reference units loaded once per test binary,
/// copied for each test that needs one (copying is faster than loading).
pub fn prepared_data_dir() -> tempfile::TempDir {
    static READY: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let src = READY.get_or_init(|| {
        let d = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap(); // a static is never dropped: its directory stays in target/tmp, not /tmp
        let o = run(&["--data-dir", d.path().to_str().unwrap(), "demo", "init"]);
        assert!(o.status.success(), "{}", stderr(&o));
        d
    });
    let dst = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(src.path()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.path().join(e.file_name())).unwrap();
    }
    dst
}

pub fn path_str(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

pub fn output_dir() -> PathBuf {
    ytcs_testkit::test_output_dir()
}
