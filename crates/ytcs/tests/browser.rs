//! A real browser (Debian's Chromium through chromedriver) walks the demo:
//! overview → network → search without diacritics → a unit page, checks the
//! Vietnamese text and saves a screenshot under test-output/.

mod common;

use base64::Engine;
use common::*;
use serde_json::{json, Value};
use ytcs_testkit::{Browser, ChromeDriver};

struct Session<'a> {
    driver: &'a ChromeDriver,
    id: String,
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string());
        let (code, text) = self
            .driver
            .request(
                method,
                &format!("/session/{}{path}", self.id),
                body.as_deref(),
            )
            .unwrap();
        assert_eq!(code, 200, "{method} {path}: {text}\n{}", self.driver.log());
        serde_json::from_str::<Value>(&text).unwrap()["value"].clone()
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn find_link(&self, text: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({ "using": "link text", "value": text })),
        );
        v.as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
    }

    fn click(&self, element: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn type_into(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn text(&self, css: &str) -> String {
        let e = self.find(css);
        self.call("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    fn screenshot(&self, name: &str) -> std::path::PathBuf {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let path = output_dir().join(name);
        std::fs::write(&path, png).unwrap();
        path
    }
}

#[test]
fn a_person_finds_a_merged_commune_and_reads_its_history_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let driver = Browser::start_chromedriver()
        .expect("chromedriver (apt-get install chromium chromium-driver)");
    let profile = tempfile::tempdir().unwrap();
    let caps = Browser::webdriver_capabilities(profile.path()).expect("Debian chromium");
    let (code, body) = driver
        .request(
            "POST",
            "/session",
            Some(&format!(r#"{{"capabilities":{caps}}}"#)),
        )
        .unwrap();
    assert_eq!(code, 200, "{body}\n{}", driver.log());
    let id = serde_json::from_str::<Value>(&body).unwrap()["value"]["sessionId"]
        .as_str()
        .unwrap()
        .to_string();
    let s = Session {
        driver: &driver,
        id,
    };

    s.go(&server.url("/"));
    assert_eq!(s.text("h1"), "Tổng quan");
    s.click(&s.find_link("Mạng lưới"));
    assert_eq!(s.text("h1"), "Mạng lưới");
    let input = s.find("form.search input[type=search]");
    s.type_into(&input, "dak rve\n");
    let link = s.find_link("Xã Đăk Rve");
    s.click(&link);
    assert_eq!(s.text("h1"), "Xã Đăk Rve");
    let page = s.text("main");
    assert!(page.contains("Tỉnh Quảng Ngãi"), "{page}");
    assert!(page.contains("Hình thành từ"), "{page}");
    assert!(
        page.contains("Thị trấn Đắk Rve") && page.contains("Xã Đắk Pne"),
        "{page}"
    );
    let shot = s.screenshot("unit-page-dak-rve.png");
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot"
    );

    // The language switch keeps the page.
    s.click(&s.find("a.lang"));
    assert!(s.text("main").contains("Formed from"));
    s.screenshot("unit-page-dak-rve-en.png");
    s.call("DELETE", "", None);
}
