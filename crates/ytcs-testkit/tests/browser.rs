//! Debian's Chromium and chromedriver run headless and render Vietnamese.

use ytcs_testkit::{test_output_dir, Browser};

const PAGE: &str = "<!doctype html><html lang=vi><head><meta charset=utf-8>\
    <title>Trạm Y tế</title></head>\
    <body style=\"font-family: 'Noto Sans', sans-serif; font-size: 48px\">\
    <h1 id=name>Trạm Y tế xã Đăk Rve</h1><p>Tiêm chủng đầy đủ: 95,5%</p></body></html>";

#[test]
fn chromium_args_are_the_headless_container_set() {
    let args = Browser::chromium_args(std::path::Path::new("/tmp/profile"));
    assert_eq!(
        args,
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            "--user-data-dir=/tmp/profile",
        ]
    );
}

#[test]
fn chromedriver_answers_status_and_starts_a_chromium_session() {
    let driver = Browser::start_chromedriver().expect("chromedriver");
    let status = driver.status().expect("GET /status");
    assert!(status.contains("\"ready\":true"), "{status}");

    let profile = tempfile::tempdir().unwrap();
    let caps = Browser::webdriver_capabilities(profile.path()).unwrap();
    let (code, body) = driver
        .request(
            "POST",
            "/session",
            Some(&format!(r#"{{"capabilities":{caps}}}"#)),
        )
        .expect("POST /session");
    assert_eq!(code, 200, "{body}\n{}", driver.log());
    let id = body
        .split("\"sessionId\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a session id");
    let (code, body) = driver
        .request("DELETE", &format!("/session/{id}"), None)
        .expect("DELETE /session");
    assert_eq!(code, 200, "{body}");
}

#[test]
fn headless_chromium_dumps_vietnamese_text_intact() {
    let dom = Browser::dump_dom(&Browser::data_url(PAGE)).expect("chromium --dump-dom");
    assert!(dom.contains("Trạm Y tế xã Đăk Rve"), "{dom}");
    assert!(dom.contains("đầy đủ"), "{dom}");
}

#[test]
fn headless_chromium_screenshots_a_vietnamese_page() {
    let png = test_output_dir().join("testkit-smoke.png");
    Browser::screenshot(&Browser::data_url(PAGE), &png).expect("chromium --screenshot");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(
        bytes.len() > 5_000,
        "suspiciously small PNG: {} bytes",
        bytes.len()
    );
}
