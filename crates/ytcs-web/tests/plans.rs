//! Plan pages and the plan API, driven without a socket over a real SQLite
//! store holding the five seed plans.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_store::Store;
use ytcs_web::{router, AppState};

fn seed(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../data/seeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A fresh database per test (plans are written by some tests), copied
/// from one built once with the reference units.
async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    common::fixture_store(common::Fixture {
        units: true,
        seeds: true,
        demo: false,
    })
    .await
}

async fn send(
    s: &Arc<dyn Store>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let app = router(AppState::new(s.clone()));
    let resp = app.oneshot(common::as_admin(s, req).await).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).to_string())
}

async fn get(s: &Arc<dyn Store>, uri: &str) -> (StatusCode, String) {
    let (st, _, body) = send(s, Request::get(uri).body(Body::empty()).unwrap()).await;
    (st, body)
}

async fn post_form(
    s: &Arc<dyn Store>,
    uri: &str,
    form: &str,
) -> (StatusCode, axum::http::HeaderMap, String) {
    send(
        s,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap(),
    )
    .await
}

async fn id_of(s: &Arc<dyn Store>, number: &str) -> i64 {
    let plans = s.list_plans().await.unwrap();
    plans
        .iter()
        .find(|p| p.number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("no plan {number} among {plans:?}"))
        .id
}

#[tokio::test]
async fn the_plan_list_shows_the_five_seeds_and_an_upload_form() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/plans").await;
    assert_eq!(status, StatusCode::OK);
    for issuer in [
        "UBND huyện Kon Rẫy",
        "UBND tỉnh Tuyên Quang",
        "UBND thành phố Lào Cai",
        "UBND tỉnh Quảng Ngãi",
        "UBND tỉnh Kon Tum",
    ] {
        assert!(html.contains(issuer), "{issuer}");
    }
    assert!(html.contains(r#"enctype="multipart/form-data""#));
    assert!(html.contains("193/KH-UBND"));
}

#[tokio::test]
async fn a_plan_page_lists_targets_tasks_budget_reporting_and_bases() {
    let (s, _d) = store().await;
    let lao_cai = s
        .list_plans()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.issuer.as_deref() == Some("UBND thành phố Lào Cai"))
        .unwrap();
    let (status, html) = get(&s, &format!("/plans/{}", lao_cai.id)).await;
    assert_eq!(status, StatusCode::OK);
    for section in [
        "Căn cứ",
        "Chỉ tiêu",
        "Nhiệm vụ, giải pháp",
        "Kinh phí",
        "Chế độ báo cáo",
    ] {
        assert!(html.contains(section), "{section}");
    }
    assert!(html.contains("96,5"), "Vietnamese decimals");
    assert!(html.contains("1.987.000.000"), "budget in đồng, grouped");
    assert!(html.contains("07-ĐA/TU"));
}

#[tokio::test]
async fn the_review_page_links_items_to_their_source_lines() {
    let (s, _d) = store().await;
    let id = id_of(&s, "193/KH-UBND").await;
    let (status, html) = get(&s, &format!("/plans/{id}/review")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(r#"<li id="L1" value="1" data-line="1">"#),
        "source lines are anchors"
    );
    assert!(
        html.contains(r##"class="src" href="#L"##),
        "items link to their lines"
    );
    assert!(html.contains(r#"name="t.0.value""#));
}

#[tokio::test]
async fn corrections_are_saved_as_revisions_and_confirmed() {
    let (s, _d) = store().await;
    let id = id_of(&s, "193/KH-UBND").await;
    let before = s.get_plan(id).await.unwrap().unwrap();
    let (status, headers, _) = post_form(
        &s,
        &format!("/plans/{id}/review"),
        "number=193%2FKH-UBND&date=03%2F11%2F2023&t.0.value=97%2C5&note=S%E1%BB%ADa+ng%C3%A0y",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "saved and redirected");
    assert_eq!(
        headers[header::LOCATION],
        format!("/plans/{id}/review?saved=1")
    );
    let after = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(after.plan.date.unwrap().to_string(), "2023-11-03");
    assert_eq!(after.plan.targets[0].value, Some(97.5));
    assert_eq!(
        after.extracted, before.extracted,
        "the extraction stays as read"
    );
    let revs = s.plan_revisions(id).await.unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].note, "Sửa ngày");

    let (status, _, _) = post_form(&s, &format!("/plans/{id}/confirm"), "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = get(&s, &format!("/plans/{id}")).await;
    assert!(html.contains("Đã xác nhận"));
    assert!(html.contains("Sửa ngày"), "the correction history is shown");
}

#[tokio::test]
async fn bad_corrections_are_named_and_nothing_changes() {
    let (s, _d) = store().await;
    let id = id_of(&s, "193/KH-UBND").await;
    let before = s.get_plan(id).await.unwrap().unwrap();
    let (status, _, html) = post_form(
        &s,
        &format!("/plans/{id}/review"),
        "date=31%2F02%2F2023&t.0.value=m%E1%BB%99t+tr%C4%83m",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Chưa lưu"));
    assert!(html.contains("31/02/2023"), "the bad date is named");
    assert!(html.contains("«một trăm»"), "the bad value is named");
    assert!(
        html.contains(r#"value="một trăm""#),
        "the form keeps what was typed"
    );
    assert_eq!(s.get_plan(id).await.unwrap().unwrap().plan, before.plan);
    assert!(s.plan_revisions(id).await.unwrap().is_empty());
}

#[tokio::test]
async fn uploading_a_document_reads_it_and_opens_the_review() {
    let (s, _d) = store().await;
    let text = String::from_utf8(seed("003_3ea79b4f7be72fab.txt"))
        .unwrap()
        .replace("**193** /KH-UBND", "**200** /KH-UBND");
    let boundary = "XyZ";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"ke-hoach-200.txt\"\r\nContent-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n"
    );
    let (status, headers, _) = send(
        &s,
        Request::post("/plans")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = id_of(&s, "200/KH-UBND").await;
    assert_eq!(headers[header::LOCATION], format!("/plans/{id}/review"));

    // Garbage is refused with a Vietnamese reason and nothing stored.
    let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"x.docx\"\r\n\r\nnot a zip\r\n--{boundary}--\r\n");
    let (status, _, html) = send(
        &s,
        Request::post("/plans")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Không đọc được văn bản") && html.contains("không phải DOCX hợp lệ"),
        "{html}"
    );
    assert_eq!(s.list_plans().await.unwrap().len(), 6);
}

#[tokio::test]
async fn the_api_serves_the_plan_contract() {
    let (s, _d) = store().await;
    let (status, body) = get(&s, "/api/v1/plans").await;
    assert_eq!(status, StatusCode::OK);
    let list: Vec<serde_json::Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(list.len(), 5);
    let id = id_of(&s, "193/KH-UBND").await;
    let (status, body) = get(&s, &format!("/api/v1/plans/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["id"], id);
    assert_eq!(v["schema"], "ytcs.plan/1");
    assert_eq!(v["number"], "193/KH-UBND");
    assert_eq!(get(&s, "/api/v1/plans/9999").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&s, "/api/v1/plans/abc").await.0,
        StatusCode::BAD_REQUEST
    );

    let (status, _, body) = send(
        &s,
        Request::post("/api/v1/plans?name=k.txt")
            .body(Body::from(seed("003_3ea79b4f7be72fab.txt")))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the same document again: {body}");
    let (status, _, body) = send(
        &s,
        Request::post("/api/v1/plans?name=k.txt")
            .body(Body::from(vec![0u8; 100]))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("unreadable_document"));
}

#[tokio::test]
async fn plans_citing_each_other_are_linked_both_ways_on_their_pages() {
    let (s, _d) = store().await;
    let district = s
        .list_plans()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.issuer.as_deref() == Some("UBND huyện Kon Rẫy"))
        .unwrap();
    // Kon Rẫy's plan cites Kon Tum's 906/KH-UBND of 19/3/2024; store it,
    // with one target more ambitious than Kon Rẫy's and one it lacks.
    let lower = s.get_plan(district.id).await.unwrap().unwrap().plan;
    let shared = lower
        .targets
        .iter()
        .find(|t| {
            t.indicator.is_some()
                && t.value.is_some()
                && t.comparator == ytcs_core::plan::Comparator::Ge
        })
        .expect("a target of Kon Rẫy with an indicator")
        .clone();
    let mut stronger = shared.clone();
    stronger.id = "II.1".into();
    stronger.value = shared.value.map(|v| v + 1.0);
    let mut absent = shared.clone();
    absent.id = "II.2".into();
    absent.indicator = Some("life_expectancy".into());
    let mut province = ytcs_core::plan::Plan::empty(ytcs_core::plan::Source {
        file: "906.txt".into(),
        sha256: "906".into(),
        format: ytcs_core::plan::SourceFormat::Text,
    });
    province.number = Some("906/KH-UBND".into());
    province.date = Some("2024-03-19".parse().unwrap());
    province.issuer = Some("UBND tỉnh Kon Tum".into());
    province.targets = vec![stronger, absent];
    let (pid, _) = s.insert_plan(&province, "").await.unwrap();
    let (_, html) = get(&s, &format!("/plans/{}", district.id)).await;
    assert!(
        html.contains(&format!(r#"<a href="/plans/{pid}">"#)),
        "the basis links to the stored plan"
    );
    let (_, html) = get(&s, &format!("/plans/{pid}")).await;
    assert!(
        html.contains(&format!(r#"<a href="/plans/{}">"#, district.id)),
        "and back"
    );
    // The cascade: Kon Rẫy's target is weaker, and it lacks the other.
    assert!(html.contains("Chỉ tiêu của kế hoạch này trong"), "{html}");
    assert!(html.contains("class=\"align-weaker\"") && html.contains("Thấp hơn kế hoạch cấp trên"));
    assert!(html.contains("class=\"align-missing\"") && html.contains("Thiếu chỉ tiêu"));
}

#[tokio::test]
async fn plan_text_is_escaped() {
    let (s, _d) = store().await;
    let mut p = ytcs_core::plan::Plan::empty(ytcs_core::plan::Source {
        file: "x.txt".into(),
        sha256: "x".into(),
        format: ytcs_core::plan::SourceFormat::Text,
    });
    p.title = Some("<script>alert('x')</script>".into());
    let (id, _) = s
        .insert_plan(&p, "<script>alert('y')</script>")
        .await
        .unwrap();
    for path in [
        format!("/plans/{id}"),
        format!("/plans/{id}/review"),
        "/plans".to_string(),
    ] {
        let (_, html) = get(&s, &path).await;
        assert!(!html.contains("<script>"), "{path} renders script inert");
    }
}

fn enc(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

#[tokio::test]
async fn a_target_selected_in_the_source_is_added_or_fixed_and_kept_as_an_example() {
    let (s, _d) = store().await;
    let id = id_of(&s, "193/KH-UBND").await;
    let before = s.get_plan(id).await.unwrap().unwrap();
    let wrong = before.plan.targets[0].clone();
    let line = wrong.line;
    let sentence = before
        .source_text
        .lines()
        .nth(line - 1)
        .unwrap()
        .to_string();

    // The review page offers a plain form on each line holding a number,
    // its field holding the line, and a fix of the targets read from it.
    let (_, html) = get(&s, &format!("/plans/{id}/review")).await;
    assert!(html.contains(&format!(
        r#"<form method="get" action="/plans/{id}/review/mark">"#
    )));
    assert!(html.contains("Đây là chỉ tiêu"));
    assert!(html.contains(r#"<option value="0">thay chỉ tiêu"#));
    assert!(html.contains(r#"<script src="/static/review.js" defer></script>"#));
    let (_, en) = get(&s, &format!("/plans/{id}/review?lang=en")).await;
    assert!(en.contains("This is a target"));
    let (status, js) = get(&s, "/static/review.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(js.contains("input[name=selection]"));

    // Selecting the line pre-fills the form with what the reader reads there.
    let query = enc(&[
        ("line", &line.to_string()),
        ("selection", &sentence),
        ("fix", "0"),
    ]);
    let (status, form) = get(&s, &format!("/plans/{id}/review/mark?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    let read = ytcs_plandoc::selection::target_from_selection(&sentence, &sentence, line).unwrap();
    let value = read.value.unwrap().to_string().replace('.', ",");
    assert!(
        form.contains(&format!(r#"name="m.value" size="8" value="{value}""#)),
        "{form}"
    );
    let year = read.year.map(|y| y.to_string()).unwrap_or_default();
    assert!(
        form.contains(&format!(r#"name="m.year" size="4" value="{year}""#)),
        "{form}"
    );
    assert!(
        form.contains("thay chỉ tiêu"),
        "the replaced target is named"
    );

    // Confirming a corrected value replaces the wrong target …
    let body = enc(&[
        ("line", &line.to_string()),
        ("selection", &sentence),
        ("fix", "0"),
        ("m.comparator", "ge"),
        ("m.value", "99,5"),
        ("m.unit", "percent"),
        ("m.year", "2030"),
    ]);
    let (status, headers, _) = post_form(&s, &format!("/plans/{id}/review/mark"), &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/plans/{id}/review?saved=1#L{line}")
    );
    let after = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(after.plan.targets.len(), before.plan.targets.len());
    assert_eq!(
        (after.plan.targets[0].value, after.plan.targets[0].year),
        (Some(99.5), Some(2030))
    );
    assert_eq!(after.plan.targets[0].id, wrong.id);
    // … and a selection with no target read becomes a new one.
    let body = enc(&[
        ("line", &line.to_string()),
        ("selection", "chỉ tiêu thêm"),
        ("m.comparator", "eq"),
        ("m.value", "12"),
        ("m.unit", "count"),
    ]);
    let (status, _, _) = post_form(&s, &format!("/plans/{id}/review/mark"), &body).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let after = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(after.plan.targets.len(), before.plan.targets.len() + 1);
    assert_eq!(after.plan.targets.last().unwrap().value, Some(12.0));

    // Both corrections are kept as labelled examples.
    let ex = s.target_examples(Some(id)).await.unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].example.action, ytcs_store::plans::ExampleAction::Fix);
    assert_eq!(ex[0].example.replaced.as_ref(), Some(&wrong));
    assert_eq!(ex[0].example.sentence, sentence);
    assert_eq!(ex[0].example.target.value, Some(99.5));
    assert_eq!(ex[1].example.action, ytcs_store::plans::ExampleAction::Add);
    assert_eq!(
        ex[1].example.read, None,
        "nothing to read in «chỉ tiêu thêm»"
    );
    assert_eq!(s.plan_revisions(id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_bad_mark_is_named_and_nothing_is_kept() {
    let (s, _d) = store().await;
    let id = id_of(&s, "193/KH-UBND").await;
    let before = s.get_plan(id).await.unwrap().unwrap();
    let body = enc(&[
        ("line", "999999"),
        ("selection", "đạt 95%"),
        ("m.value", "95"),
    ]);
    let (status, _, html) = post_form(&s, &format!("/plans/{id}/review/mark"), &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("không có trong văn bản gốc"));
    let body = enc(&[("line", "1"), ("selection", "đạt"), ("m.value", "nhiều")]);
    let (status, _, html) = post_form(&s, &format!("/plans/{id}/review/mark"), &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("«nhiều»"), "the bad value is named");
    assert_eq!(s.get_plan(id).await.unwrap().unwrap().plan, before.plan);
    assert!(s.target_examples(None).await.unwrap().is_empty());
    // The GET form names a bad line too, without writing anything.
    let (status, _) = get(&s, &format!("/plans/{id}/review/mark?line=0&selection=x")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A document uploaded twice is one plan: the second upload lands on its
/// review page, which says when it was imported and offers to read it
/// again as a new version (kept among the revisions).
#[tokio::test]
async fn a_plan_uploaded_again_says_so_and_can_be_read_again() {
    let (s, _d) = common::units_store().await;
    let name = "003_3ea79b4f7be72fab.txt";
    let bytes = seed(name);
    let admin = common::admin(&s).await;
    let upload = |bytes: Vec<u8>| {
        let boundary = "XyZ";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n"
        )
        .into_bytes();
        body.extend(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        axum::http::Request::post("/plans")
            .header(
                axum::http::header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(axum::body::Body::from(body))
            .unwrap()
    };
    let today = || ytcs_core::Date::from_ymd_opt(2026, 12, 7).unwrap();
    let (status, _) = common::send_on(&s, today, admin.apply(upload(bytes.clone()))).await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER);
    let id = s.list_plans().await.unwrap()[0].id;
    let resp = {
        use tower::ServiceExt;
        ytcs_web::router(ytcs_web::AppState::new(s.clone()))
            .oneshot(admin.apply(upload(bytes)))
            .await
            .unwrap()
    };
    let location = resp.headers()[axum::http::header::LOCATION]
        .to_str()
        .unwrap();
    assert_eq!(location, format!("/plans/{id}/review?again=1"));
    assert_eq!(s.list_plans().await.unwrap().len(), 1, "stored once");
    let (_, html) = common::send_on(&s, today, admin.apply(common::get(location))).await;
    assert!(html.contains("đã được nhập lúc"), "{html}");
    assert!(html.contains(&format!("action=\"/plans/{id}/reread\"")));
    let before = s.plan_revisions(id).await.unwrap().len();
    let (status, _) = common::send_on(
        &s,
        today,
        admin.apply(common::form(&format!("/plans/{id}/reread"), "")),
    )
    .await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER);
    assert_eq!(s.plan_revisions(id).await.unwrap().len(), before + 1);
}

/// The reader's warnings on the review page are in the UI's language.
#[tokio::test]
async fn the_reader_s_warnings_are_in_the_ui_s_language() {
    let (s, _d) = store().await;
    let mut checked = 0;
    for p in s.list_plans().await.unwrap() {
        let plan = s.get_plan(p.id).await.unwrap().unwrap().plan;
        let (Some(vi), Some(en)) = (plan.warnings_vi.first(), plan.warnings.first()) else {
            continue;
        };
        let (_, html) = get(&s, &format!("/plans/{}/review", p.id)).await;
        let escaped = |t: &str| {
            t.replace('&', "&#38;")
                .replace('<', "&#60;")
                .replace('>', "&#62;")
                .replace('"', "&#34;")
                .replace('\'', "&#39;")
        };
        assert!(html.contains(&escaped(vi)), "{vi} in {html}");
        if vi != en {
            assert!(
                !html.contains(&escaped(en)),
                "the English warning shows: {en}"
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no seed plan has warnings");
}
