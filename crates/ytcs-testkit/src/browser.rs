//! Debian's Chromium and chromedriver, for tests in a real browser.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::process::{describe, is_executable, read_lossy, run_bounded, tail};
use crate::TestkitError;

/// Where Debian's `chromium` package puts the browser.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Where Debian's `chromium-driver` package puts chromedriver.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a headless run or chromedriver's start may take.
const BROWSER_LIMIT: Duration = Duration::from_secs(60);

/// Helpers for Debian's Chromium (`/usr/bin/chromium`) and chromedriver
/// (`/usr/bin/chromedriver`). Missing binaries are errors that say to
/// `apt-get install chromium chromium-driver fonts-noto-core`.
#[derive(Debug, Clone, Copy)]
pub struct Browser;

impl Browser {
    /// The Chromium binary, `/usr/bin/chromium`.
    pub fn chromium_path() -> Result<PathBuf, TestkitError> {
        installed(CHROMIUM)
    }

    /// The chromedriver binary, `/usr/bin/chromedriver`.
    pub fn chromedriver_path() -> Result<PathBuf, TestkitError> {
        installed(CHROMEDRIVER)
    }

    /// The command-line flags for a headless Chromium that works as root, in
    /// a container, without a GPU and without talking to Google, with its
    /// profile in `user_data_dir`.
    pub fn chromium_args(user_data_dir: &Path) -> Vec<String> {
        vec![
            "--headless".into(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", user_data_dir.display()),
        ]
    }

    /// The `capabilities` object of a WebDriver new-session request
    /// (`POST /session` with body `{"capabilities": …}`) that makes
    /// chromedriver start Debian's Chromium with [`Browser::chromium_args`].
    pub fn webdriver_capabilities(user_data_dir: &Path) -> Result<String, TestkitError> {
        let binary = Browser::chromium_path()?;
        let args: Vec<String> = Browser::chromium_args(user_data_dir)
            .iter()
            .map(|a| json_string(a))
            .collect();
        Ok(format!(
            r#"{{"alwaysMatch":{{"browserName":"chrome","goog:chromeOptions":{{"binary":{},"args":[{}]}}}}}}"#,
            json_string(&binary.display().to_string()),
            args.join(",")
        ))
    }

    /// A `data:` URL holding `html` (UTF-8, percent-encoded), to open a page
    /// without a server.
    pub fn data_url(html: &str) -> String {
        let mut url = String::from("data:text/html;charset=utf-8,");
        for b in html.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                url.push(b as char);
            } else {
                url.push_str(&format!("%{b:02X}"));
            }
        }
        url
    }

    /// Loads `url` in a headless Chromium (fresh profile) and returns the
    /// serialized DOM (`--dump-dom`).
    pub fn dump_dom(url: &str) -> Result<String, TestkitError> {
        let (stdout, _) = headless(&["--dump-dom".to_string(), url.to_string()])?;
        Ok(stdout)
    }

    /// Loads `url` in a headless Chromium (fresh profile, 1280×900) and saves
    /// a PNG screenshot to `png`.
    pub fn screenshot(url: &str, png: &Path) -> Result<(), TestkitError> {
        let _ = std::fs::remove_file(png);
        let (_, stderr) = headless(&[format!("--screenshot={}", png.display()), url.to_string()])?;
        if !png.is_file() {
            return Err(TestkitError::CommandFailed {
                command: format!("chromium --screenshot={}", png.display()),
                status: "no file written".into(),
                output: tail(&stderr, 40),
            });
        }
        Ok(())
    }

    /// Starts chromedriver on a free port of 127.0.0.1 and waits (up to
    /// 60 s) until `GET /status` says it is ready.
    pub fn start_chromedriver() -> Result<ChromeDriver, TestkitError> {
        let binary = Browser::chromedriver_path()?;
        Browser::chromium_path()?;
        let mut last_err = None;
        for _attempt in 0..3 {
            let scratch = scratch_dir("ytcs-chromedriver-")?;
            let log_path = scratch.path().join("chromedriver.log");
            let port = crate::free_port()?;
            let log = std::fs::File::create(&log_path)
                .map_err(|e| TestkitError::io("creating the chromedriver log", e))?;
            let log2 = log
                .try_clone()
                .map_err(|e| TestkitError::io("creating the chromedriver log", e))?;
            let mut cmd = Command::new(&binary);
            cmd.arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(log)
                .stderr(log2);
            let command = describe(&cmd);
            let child = cmd
                .spawn()
                .map_err(|e| TestkitError::io(format!("starting `{command}`"), e))?;
            let mut driver = ChromeDriver {
                child,
                port,
                scratch,
            };
            match driver.wait_ready() {
                Ok(()) => return Ok(driver),
                // Dropping `driver` kills it; try again on another port.
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.expect("at least one attempt"))
    }
}

/// A running chromedriver, killed on drop.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    scratch: TempDir,
}

impl ChromeDriver {
    /// Its base URL, e.g. `http://127.0.0.1:9515`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Its TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Its log (stdout and stderr) so far.
    pub fn log(&self) -> String {
        read_lossy(&self.scratch.path().join("chromedriver.log"))
    }

    /// The body of `GET /status`.
    pub fn status(&self) -> Result<String, TestkitError> {
        let (code, body) = self.request("GET", "/status", None)?;
        if code != 200 {
            return Err(TestkitError::CommandFailed {
                command: format!("GET {}/status", self.url()),
                status: format!("HTTP {code}"),
                output: body,
            });
        }
        Ok(body)
    }

    /// One plain HTTP/1.1 request to chromedriver (JSON body if any);
    /// returns the status code and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<(u16, String), TestkitError> {
        http(self.port, method, path, json_body)
            .map_err(|e| TestkitError::io(format!("{method} {}{path}", self.url()), e))
    }

    fn wait_ready(&mut self) -> Result<(), TestkitError> {
        let started = Instant::now();
        loop {
            if let Ok((200, body)) = http(self.port, "GET", "/status", None) {
                if body.contains("\"ready\":true") || body.contains("\"ready\": true") {
                    return Ok(());
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(TestkitError::CommandFailed {
                    command: format!("chromedriver --port={}", self.port),
                    status: status.to_string(),
                    output: tail(&self.log(), 40),
                });
            }
            if started.elapsed() > BROWSER_LIMIT {
                return Err(TestkitError::Timeout {
                    what: format!("chromedriver on port {}", self.port),
                    waited: BROWSER_LIMIT,
                    log: tail(&self.log(), 40),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        self.stop();
    }
}

impl std::fmt::Debug for ChromeDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChromeDriver")
            .field("url", &self.url())
            .finish()
    }
}

/// `path` if it is an executable file, else what to install.
fn installed(path: &str) -> Result<PathBuf, TestkitError> {
    let path = PathBuf::from(path);
    if is_executable(&path) {
        Ok(path)
    } else {
        Err(TestkitError::BrowserNotInstalled { path })
    }
}

fn scratch_dir(prefix: &str) -> Result<TempDir, TestkitError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| TestkitError::io("creating a temporary directory", e))
}

/// Runs headless Chromium with a fresh profile and `extra` arguments;
/// returns (stdout, stderr) when it exits successfully within the limit.
fn headless(extra: &[String]) -> Result<(String, String), TestkitError> {
    let chromium = Browser::chromium_path()?;
    let scratch = scratch_dir("ytcs-chromium-")?;
    let profile = scratch.path().join("profile");
    let mut cmd = Command::new(&chromium);
    cmd.args(Browser::chromium_args(&profile))
        .args(extra)
        .current_dir(scratch.path());
    let command = describe(&cmd);
    let (status, stdout, stderr) = run_bounded(&mut cmd, scratch.path(), BROWSER_LIMIT)?;
    if !status.success() {
        return Err(TestkitError::CommandFailed {
            command,
            status: status.to_string(),
            output: tail(&stderr, 40),
        });
    }
    Ok((stdout, stderr))
}

/// A minimal HTTP/1.1 client for chromedriver: one request per connection.
fn http(
    port: u16,
    method: &str,
    path: &str,
    json_body: Option<&str>,
) -> std::io::Result<(u16, String)> {
    let mut stream =
        TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2))?;
    stream.set_read_timeout(Some(BROWSER_LIMIT))?;
    let body = json_body.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    if json_body.is_some() {
        request.push_str("Content-Type: application/json; charset=utf-8\r\n");
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes())?;

    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let (head_end, content_length) = loop {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed before the response headers",
            ));
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(pos) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&raw[..pos]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok());
            break (pos + 4, length);
        }
    };
    loop {
        let have = raw.len() - head_end;
        if content_length.is_some_and(|len| have >= len) {
            break;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&raw[..head_end]);
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse::<u16>().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status code"))?;
    let end = content_length.map_or(raw.len(), |len| (head_end + len).min(raw.len()));
    Ok((
        code,
        String::from_utf8_lossy(&raw[head_end..end]).into_owned(),
    ))
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
