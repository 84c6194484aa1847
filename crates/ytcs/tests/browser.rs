//! A real browser (Debian's Chromium through chromedriver) walks the demo:
//! the home page → network → search without diacritics → a unit page; a
//! plan's review; the registers; every role's menu at phone width; and each
//! role's main task at 1366 and 390 px with axe-core (npm, pinned in
//! `tests/axe/`) checking the pages. Screenshots go under test-output/.

mod common;

use base64::Engine;
use common::*;
use serde_json::{json, Value};
use ytcs_testkit::{Browser, ChromeDriver};

struct Session<'a> {
    driver: &'a ChromeDriver,
    id: String,
}

impl<'a> Session<'a> {
    /// A new browser session of Debian's Chromium with its profile in
    /// `profile`.
    fn open(driver: &'a ChromeDriver, profile: &std::path::Path) -> Self {
        let caps = Browser::webdriver_capabilities(profile).expect("Debian chromium");
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
        Session { driver, id }
    }
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

    /// Like `call`, but `None` instead of failing when WebDriver says no
    /// (an element not there yet while a page loads).
    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let body = body.map(|b| b.to_string());
        let (code, text) = self
            .driver
            .request(
                method,
                &format!("/session/{}{path}", self.id),
                body.as_deref(),
            )
            .ok()?;
        (code == 200)
            .then(|| {
                serde_json::from_str::<Value>(&text)
                    .ok()
                    .map(|v| v["value"].clone())
            })
            .flatten()
    }

    /// Fills in and sends the sign-in form the browser was sent to.
    fn sign_in(&self, user: &str, password: &str) {
        self.wait_for("h1", "Đăng nhập");
        let u = self.find("input[name=username]");
        self.type_into(&u, user);
        let p = self.find("input[name=password]");
        self.type_into(&p, &format!("{password}\n"));
    }

    /// Waits (up to 20 s) until the element `css` holds `needle`, and
    /// returns its text: clicks that navigate return before the new page
    /// has loaded.
    fn wait_for(&self, css: &str, needle: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut last = String::new();
        while std::time::Instant::now() < deadline {
            let found = self
                .try_call(
                    "POST",
                    "/element",
                    Some(json!({ "using": "css selector", "value": css })),
                )
                .and_then(|v| {
                    v.as_object()
                        .and_then(|o| o.values().next())
                        .and_then(|e| e.as_str().map(str::to_string))
                });
            if let Some(e) = found {
                if let Some(t) = self
                    .try_call("GET", &format!("/element/{e}/text"), None)
                    .and_then(|t| t.as_str().map(str::to_string))
                {
                    if t.contains(needle) {
                        return t;
                    }
                    last = t;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("'{css}' never showed '{needle}'; last text: {last}");
    }

    /// Waits (up to 20 s) for a link with this text and returns it.
    fn wait_link(&self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < deadline {
            if let Some(e) = self
                .try_call(
                    "POST",
                    "/element",
                    Some(json!({ "using": "link text", "value": text })),
                )
                .and_then(|v| {
                    v.as_object()
                        .and_then(|o| o.values().next())
                        .and_then(|e| e.as_str().map(str::to_string))
                })
            {
                return e;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("no link '{text}' appeared");
    }

    fn go(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// The `n`-th element (from 0) that `css` selects.
    fn find_nth(&self, css: &str, n: usize) -> String {
        let v = self.call(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v.as_array().unwrap()[n]
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string()
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

    /// Types into whatever has the keyboard focus, as a person at the
    /// keyboard would (`\u{E004}` is Tab).
    fn type_active(&self, text: &str) {
        let v = self.call("GET", "/element/active", None);
        let e = v
            .as_object()
            .unwrap()
            .values()
            .next()
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        self.type_into(&e, text);
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

/// The demo served from a fresh data directory, chromedriver and a browser
/// profile (the directories live as long as the values).
fn demo_in_chromium() -> (tempfile::TempDir, Server, ChromeDriver, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo"]);
    let driver = Browser::start_chromedriver()
        .expect("chromedriver (apt-get install chromium chromium-driver)");
    (dir, server, driver, tempfile::tempdir().unwrap())
}

#[test]
fn a_person_finds_a_merged_commune_and_reads_its_history_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());

    // Every page asks for sign-in first; after it, the page asked for.
    s.go(&server.url("/"));
    s.sign_in(DEMO_ADMIN.0, DEMO_ADMIN.1);
    s.wait_for("h1", "Việc của tôi");
    s.wait_for("header", "Quản trị viên");
    s.click(&s.wait_link("Mạng lưới"));
    s.wait_for("h1", "Mạng lưới");
    let input = s.find("form.search input[type=search]");
    s.type_into(&input, "dak rve\n");
    let link = s.wait_link("Xã Đăk Rve");
    s.click(&link);
    s.wait_for("h1", "Xã Đăk Rve");
    let page = s.wait_for("main", "Hình thành từ");
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
    s.wait_for("main", "Formed from");
    s.screenshot("unit-page-dak-rve-en.png");
    s.call("DELETE", "", None);
}

#[test]
fn an_official_reviews_a_plan_beside_its_source_and_confirms_it_in_chromium() {
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
    assert_eq!(code, 200, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["value"]["sessionId"]
        .as_str()
        .unwrap()
        .to_string();
    let s = Session {
        driver: &driver,
        id,
    };

    // The provincial health department's manager, sent back to the plans
    // after signing in.
    s.go(&server.url("/plans"));
    s.sign_in("soyte", "demo-soyte-2025");
    s.wait_for("header", "Sở Y tế Quảng Ngãi");
    s.click(&s.wait_link("Chưa xác nhận"));
    s.wait_for("h1", "Rà soát, hiệu chỉnh");
    // Following an item's line number highlights that source line.
    let link = s.find("table.targets a.src");
    let line = s
        .call("GET", &format!("/element/{link}/text"), None)
        .as_str()
        .unwrap()
        .to_string();
    s.click(&link);
    let target = s.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "return document.querySelector(':target').id", "args": [] })),
    );
    assert_eq!(target.as_str().unwrap(), format!("L{line}"));
    let bg = s.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "return getComputedStyle(document.querySelector(':target')).backgroundColor", "args": [] })),
    );
    assert_ne!(
        bg.as_str().unwrap(),
        "rgba(0, 0, 0, 0)",
        "the source line is highlighted"
    );
    s.screenshot("plan-review.png");

    // Correct the first target's value and save.
    let value = s.find(r#"input[name="t.0.value"]"#);
    s.call("POST", &format!("/element/{value}/clear"), Some(json!({})));
    s.type_into(&value, "97,5");
    let note = s.find(r#"input[name="note"]"#);
    s.type_into(&note, "Sửa giá trị chỉ tiêu");
    s.click(&s.find("form.extracted button[type=submit]"));
    s.wait_for("main", "Đã lưu hiệu chỉnh");
    let saved = s.find(r#"input[name="t.0.value"]"#);
    assert_eq!(
        s.call("GET", &format!("/element/{saved}/property/value"), None),
        json!("97,5")
    );

    s.click(&s.find("button.confirm"));
    let page = s.wait_for("main", "Đã xác nhận");
    assert!(
        page.contains("Sửa giá trị chỉ tiêu"),
        "the correction is in the history"
    );
    s.screenshot("plan-confirmed.png");
    s.call("DELETE", "", None);
}

#[test]
fn a_station_registers_a_person_from_the_keyboard_and_finds_her_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());
    // The station's own account: its commune is filled in.
    s.go(&server.url("/persons/new"));
    s.sign_in("tramyte", "demo-tramyte-2025");
    s.wait_for("main", "Họ và tên");
    // Name (focused), Tab over sex (Nữ first), birth date, ethnic group,
    // citizen id left empty, household, village, Enter.
    s.type_active("Lê Thị Ngọc Mai\u{E004}\u{E004}");
    s.type_active("03/04/1990\u{E004}");
    s.type_active("Kinh\u{E004}\u{E004}");
    s.type_active("HGĐ-991\u{E004}");
    s.type_active("Thôn 3\n");
    let page = s.wait_for("main", "Lê Thị Ngọc Mai");
    assert!(page.contains("03/04/1990"), "{page}");
    s.screenshot("person-registered.png");
    // Found without diacritics.
    s.go(&server.url("/persons?q=le+thi+ngoc+mai"));
    s.click(&s.wait_link("Lê Thị Ngọc Mai"));
    s.wait_for("main", "HGĐ-991");
    s.call("DELETE", "", None);
}

#[test]
fn a_station_finds_a_person_registered_before_the_merger_by_search_and_from_a_book_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());
    // The demo's persons are recorded under the communes of 2021: those of
    // Phường Cẩm Thành (21025) under the four wards merged into it on
    // 2025-07-01. Its station (tramyte) finds them on a phone and a desk.
    s.go(&server.url("/persons"));
    s.sign_in("tramyte", "demo-tramyte-2025");
    s.wait_for("h1", "Tìm");
    for (width, height, tag) in [(390, 844, "phone"), (1280, 900, "desktop")] {
        s.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        );
        // A printed book's row links to the record.
        s.go(&server.url("/registers?book=immunizations&from=01/01/2025"));
        s.wait_for("h1", "Phường Cẩm Thành");
        // The first row whose name has diacritics (which rows the book
        // holds follows the generated register, and so the day).
        let nth = s
            .script(
                "return [...document.querySelectorAll('table.register tbody tr td a')]\
                 .findIndex(a => /[^\\x00-\\x7F]/.test(a.textContent));",
            )
            .as_i64()
            .unwrap();
        assert!(nth >= 0, "a name with diacritics in the book");
        let row = s.find_nth("table.register tbody tr td a", nth as usize);
        let name = s
            .call("GET", &format!("/element/{row}/text"), None)
            .as_str()
            .unwrap()
            .to_string();
        s.screenshot(&format!("register-book-{tag}.png"));
        s.click(&row);
        let record = s.wait_for("main", "nay thuộc Phường Cẩm Thành (21025)");
        assert!(record.contains(&name), "{record}");
        // Found from the search box, with and without diacritics.
        let folded = ytcs_core::text::fold(&name);
        assert_ne!(folded, name.to_lowercase(), "a name with diacritics");
        for typed in [name.clone(), folded] {
            s.go(&server.url("/persons"));
            let q = s.find("input[name=q]");
            s.type_into(&q, &format!("{typed}\n"));
            let link = s.wait_link(&name);
            s.click(&link);
            s.wait_for("h1", &name);
            s.wait_for("main", "nay thuộc Phường Cẩm Thành (21025)");
        }
        s.screenshot(&format!("person-before-merger-{tag}.png"));
    }
    s.call("DELETE", "", None);
}

/// The elements that make a page wider than the window: those sticking out
/// on the right whose parent does not (and does not scroll them itself),
/// described by tag, class and the start of their text; empty when the page
/// fits.
const OVERFLOW_JS: &str = r#"
const w = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth <= w + 1) return [];
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.right <= w + 1 || r.width === 0) continue;
  const p = e.parentElement;
  if (p && p !== document.body) {
    const pr = p.getBoundingClientRect();
    if (pr.right > w + 1) continue;
    if (getComputedStyle(p).overflowX !== 'visible') continue;
  }
  out.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '')
    + ' (' + Math.round(r.right) + ' > ' + w + ' px): ' + (e.innerText || '').slice(0, 60).replace(/\s+/g, ' '));
  if (out.length >= 5) break;
}
if (out.length === 0) out.push('page ' + document.documentElement.scrollWidth + ' > ' + w + ' px');
return out;
"#;

impl Session<'_> {
    fn script(&self, js: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({ "script": js, "args": [] })),
        )
    }

    /// Empties an input.
    fn clear(&self, element: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
    }

    /// The serious and critical accessibility violations axe-core finds
    /// on the current page (npm's `axe-core`, installed by `scripts/test`
    /// into `crates/ytcs/tests/axe`), each as "rule: help (n) where".
    fn axe(&self) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run `npm ci --prefix crates/ytcs/tests/axe`, as scripts/test does)",
                path.display()
            )
        });
        let js = format!(
            "{source}\n;const done = arguments[arguments.length - 1];\n\
             axe.run(document, {{ resultTypes: ['violations'] }}).then(r => done(r.violations\n\
               .filter(v => v.impact === 'serious' || v.impact === 'critical')\n\
               .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ') '\n\
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))));"
        );
        self.call(
            "POST",
            "/execute/async",
            Some(json!({ "script": js, "args": [] })),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
    }

    /// What makes the current page scroll sideways (empty: nothing).
    fn overflow(&self) -> Vec<String> {
        self.script(OVERFLOW_JS)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    }

    /// The paths of the links matched by `css`, in page order.
    fn hrefs(&self, css: &str) -> Vec<String> {
        let js = format!(
            "return [...document.querySelectorAll({})].map(a => a.getAttribute('href'));",
            json!(css)
        );
        self.script(&js)
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .filter(|h| h.starts_with('/'))
            .collect()
    }
}

/// Every role's menu and main pages at 390 px: none scrolls sideways,
/// and axe-core finds no serious or critical violation on any of them.
#[test]
fn no_page_scrolls_sideways_on_a_phone_for_any_role_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());
    s.call(
        "POST",
        "/window/rect",
        Some(json!({ "width": 390, "height": 844 })),
    );
    // Each role, the pages of its menu and the pages it works in most.
    let roles: [(&str, &str, &[&str]); 5] = [
        (
            "tramyte",
            "demo-tramyte-2025",
            &[
                "/org/21025/dashboard",
                "/indicators/bhyt_coverage?org=21025",
                "/indicators/imr?org=21025",
                "/registers?book=immunizations&from=01/01/2025",
                "/registers?book=growth&from=01/01/2024",
                "/persons?q=nguyen",
                "/data/entry",
                "/reports/forms/commune_monthly",
                "/reports/forms/commune_annual",
                "/reports/calendar",
            ],
        ),
        (
            "soyte",
            "demo-soyte-2025",
            &[
                "/org/51/dashboard",
                "/indicators/bhyt_coverage?org=51",
                "/indicators/life_expectancy?org=51",
                "/plans",
                "/reports/forms/commune_monthly?org=51",
                "/reports/forms/province_monthly",
            ],
        ),
        (
            "ttyt",
            "demo-ttyt-2025",
            &[
                "/data/approvals",
                "/data/entry",
                "/reports/forms/commune_monthly",
            ],
        ),
        ("xem", "demo-xem-2025", &["/org/51/dashboard"]),
        ("admin", "demo-quantri-2025", &[]),
    ];
    let mut wide = Vec::new();
    let mut inaccessible = Vec::new();
    let mut seen = 0;
    for (user, password, pages) in roles {
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/"));
        s.sign_in(user, password);
        s.wait_for("nav.main", "");
        let mut todo: Vec<String> = s.hrefs("nav.main a");
        todo.extend(pages.iter().map(|p| p.to_string()));
        // One record from a book, one plan's pages.
        let mut i = 0;
        while i < todo.len() {
            let page = todo[i].clone();
            i += 1;
            s.go(&server.url(&page));
            seen += 1;
            if page.starts_with("/registers?book=immunizations") {
                todo.extend(s.hrefs("table.register tbody a").into_iter().take(1));
            }
            // A figure of the station's annual form: the persons behind it.
            if page == "/reports/forms/commune_annual" {
                todo.extend(s.hrefs("table.report-table a").into_iter().take(1));
            }
            if page == "/plans" {
                if let Some(p) = s.hrefs("main a").into_iter().find(|h| {
                    h[1..].starts_with("plans/") && h[7..].chars().all(|c| c.is_ascii_digit())
                }) {
                    todo.extend([format!("{p}/scorecard"), format!("{p}/report"), p]);
                }
            }
            // Accessibility: no serious or critical axe-core violation.
            for v in s.axe() {
                inaccessible.push(format!("{user} {page}: {v}"));
            }
            let problems = s.overflow();
            if !problems.is_empty() {
                let shot = format!("wide-{user}-{}.png", wide.len());
                s.screenshot(&shot);
                wide.push(format!(
                    "{user} {page} ({shot}):\n  {}",
                    problems.join("\n  ")
                ));
            }
        }
    }
    assert!(seen >= 20, "only {seen} pages visited");
    assert!(
        wide.is_empty(),
        "pages wider than a 390 px phone:\n{}",
        wide.join("\n")
    );
    assert!(
        inaccessible.is_empty(),
        "axe-core violations:\n{}",
        inaccessible.join("\n")
    );
    s.call("DELETE", "", None);
}

#[test]
fn an_official_marks_a_target_by_selecting_it_in_the_source_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());
    s.go(&server.url("/plans"));
    s.sign_in("soyte", "demo-soyte-2025");
    s.wait_for("header", "Sở Y tế Quảng Ngãi");
    s.click(&s.wait_link("Chưa xác nhận"));
    s.wait_for("h1", "Rà soát, hiệu chỉnh");
    // With the script, the forms stay closed until a selection is made.
    let open = s.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "return document.querySelectorAll('details.mark[open]').length", "args": [] })),
    );
    assert_eq!(open, json!(0));
    // Select the first target's source line from its first number on, as a
    // mouse would, and release the button.
    let picked = s.call(
        "POST",
        "/execute/sync",
        Some(json!({ "script": r#"
            const line = document.querySelector('table.targets a.src').getAttribute('href').slice(2);
            const li = document.querySelector('li[data-line="' + line + '"]');
            const node = li.firstChild;
            const at = node.textContent.search(/\d/);
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, node.textContent.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            li.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
            return [li.dataset.line, sel.toString().replace(/\s+/g, ' ').trim(),
                    li.querySelector('details.mark').open,
                    li.querySelector('input[name=selection]').value];
        "#, "args": [] })),
    );
    let picked = picked.as_array().unwrap();
    assert_eq!(picked[2], json!(true), "the line's form opens");
    assert_eq!(picked[1], picked[3], "its field holds the selection");
    let line = picked[0].as_str().unwrap().to_string();
    s.screenshot("plan-mark-selected.png");
    s.click(&s.find(&format!(r#"li[data-line="{line}"] details.mark button"#)));
    s.wait_for("h1", "Chỉ tiêu từ câu văn bản gốc");
    let value = s.find(r#"input[name="m.value"]"#);
    let prefilled = s.call("GET", &format!("/element/{value}/property/value"), None);
    assert!(
        prefilled.as_str().is_some_and(|v| !v.is_empty()),
        "the reader's value is pre-filled: {prefilled}"
    );
    s.click(&s.find("form.mark-target button[type=submit]"));
    s.wait_for("main", "Đã lưu hiệu chỉnh");
    s.screenshot("plan-mark-saved.png");
    s.call("DELETE", "", None);
}

/// Each role's main task, end to end, on a laptop and on a phone: the
/// station opens last month's form from its home page, saves and submits
/// it; the health centre approves it from its queue; the department goes
/// from a target behind to the units behind it; the viewer reads a
/// plan's review without a button it cannot use. No page of these tasks
/// scrolls sideways at 390 px, and axe-core finds no serious or critical
/// violation on them. The clicks each task takes are counted (README).
#[test]
fn each_role_does_its_main_task_on_a_laptop_and_a_phone_in_chromium() {
    let (_dir, server, driver, profile) = demo_in_chromium();
    let s = Session::open(&driver, profile.path());
    let mut problems = Vec::new();
    let mut check = |s: &Session, what: &str, width: u32| {
        if width < 500 {
            for p in s.overflow() {
                problems.push(format!("{what} at {width} px scrolls sideways: {p}"));
            }
        }
        for v in s.axe() {
            problems.push(format!("{what} at {width} px: {v}"));
        }
    };
    let month = {
        use chrono::Datelike;
        let today = chrono::Utc::now().date_naive();
        let first = today.with_day(1).unwrap();
        let last = first - chrono::Duration::days(1);
        format!("Tháng {}/{}", last.month(), last.year())
    };
    for width in [1366u32, 390] {
        s.call(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": 900 })),
        );
        // The station: home → form → save → submit (3 clicks).
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/"));
        s.sign_in("tramyte", "demo-tramyte-2025");
        s.wait_for("h1", "Việc của tôi");
        check(&s, "the station's home", width);
        s.click(&s.wait_link(&format!("Nhập số liệu {month}")));
        s.wait_for("main", &month);
        check(&s, "the entry form", width);
        let field = s.find("input[autofocus]");
        s.clear(&field);
        s.type_into(&field, if width > 500 { "3" } else { "4" });
        s.click(&s.find("form[action^='/data/entry'] button[type=submit]"));
        s.wait_for("main", "Đã lưu");
        s.click(&s.find("button[value=submit]"));
        s.wait_for("main", "Đã gửi, chờ duyệt");
        s.go(&server.url("/"));
        s.wait_for("main", &format!("{month}: Đã gửi, chờ duyệt"));
        // Its statutory form from the home page: open, send (2 clicks);
        // the monthly form on a laptop, the annual one on a phone.
        let key = if width > 500 {
            "commune_monthly"
        } else {
            "commune_annual"
        };
        s.click(&s.find(&format!("section.card a[href^='/reports/forms/{key}']")));
        s.wait_for("main", "Gửi báo cáo");
        check(&s, "the station's statutory form", width);
        s.click(&s.find("form[action*='/send'] button"));
        s.wait_for("main", "Đã gửi báo cáo");
        s.go(&server.url("/"));
        let (code, label) = if width > 500 {
            ("1/TYT", month.clone())
        } else {
            let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) - 1;
            ("2/TYT", format!("Năm {year}"))
        };
        let home = s.wait_for("main", &format!("{code} {label}: hạn gửi"));
        let line = home
            .lines()
            .find(|l| l.starts_with(&format!("{code} {label}")))
            .unwrap_or_default()
            .to_string();
        // "đã gửi", or "đã gửi, muộn" when the run is after the due day.
        assert!(line.contains("— đã gửi"), "{line}");

        // The health centre: home → queue → tick → approve (3 clicks).
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/"));
        s.sign_in("ttyt", "demo-ttyt-2025");
        s.wait_for("main", "báo cáo chờ duyệt");
        check(&s, "the health centre's home", width);
        s.click(&s.wait_link("Mở danh sách duyệt báo cáo"));
        s.wait_for("h1", "Báo cáo của các xã");
        check(&s, "the approval queue", width);
        s.click(&s.find("input[name=unit]"));
        s.click(&s.find("form[method=post][action='/data/approvals'] button[type=submit]"));
        s.wait_for("main", "Đã duyệt 1 báo cáo");
        s.screenshot(&format!("queue-approved-{width}.png"));

        // The station's home says it is approved; unlock for the next
        // width's run (the centre).
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/"));
        s.sign_in("tramyte", "demo-tramyte-2025");
        s.wait_for("main", &format!("{month}: Đã duyệt"));
        s.click(&s.wait_link(&format!("Nhập số liệu {month}")));
        s.wait_for("main", "Đã duyệt và khóa");
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/data/approvals?status=approved"));
        s.sign_in("ttyt", "demo-ttyt-2025");
        s.wait_for("h1", "Báo cáo của các xã");
        let form = s.hrefs("main table a")[0].clone();
        s.go(&server.url(&form));
        let reason = s.find("input[name=reason]");
        s.type_into(&reason, "Mở lại để thử");
        s.click(&s.find("button[value=unlock]"));
        s.wait_for("main", "Chưa gửi duyệt");

        // The department: home → a target behind → the units behind it
        // (1 click).
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/"));
        s.sign_in("soyte", "demo-soyte-2025");
        s.wait_for("main", "Chỉ tiêu chưa đạt hoặc có nguy cơ");
        check(&s, "the department's home", width);
        s.click(&s.wait_link("Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ dưới 5 tuổi"));
        s.wait_for("main", "chưa đạt chỉ tiêu");
        check(&s, "a ranking with the units behind", width);

        // The viewer: a plan's review, read-only.
        s.call("DELETE", "/cookie", None);
        s.go(&server.url("/plans"));
        s.sign_in("xem", "demo-xem-2025");
        s.wait_for("h1", "Kế hoạch");
        let plan = s
            .hrefs("main a")
            .into_iter()
            .find(|h| h[1..].starts_with("plans/") && h[7..].chars().all(|c| c.is_ascii_digit()))
            .expect("a plan");
        s.go(&server.url(&format!("{plan}/review")));
        s.wait_for("h1", "Rà soát");
        let buttons =
            s.script("return document.querySelectorAll('main button[type=submit]').length");
        assert_eq!(buttons, json!(0), "a viewer sees no button on the review");
        check(&s, "a plan's review for a viewer", width);
    }
    s.call("DELETE", "", None);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
