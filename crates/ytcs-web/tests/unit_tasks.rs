//! A unit's tasks across plans: lead and coordinating units of the seed
//! plans linked to units (agencies, communes under the issuer), the page
//! `/org/{code}/tasks`, and links to it from the task pages.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::Role;
use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_store::Store;
use ytcs_web::{router, AppState};

const SEEDS: [&str; 5] = [
    "000_5ad8db25cf967cbe.txt",
    "001_6c2c492b7eec1205.txt",
    "002_5d8771779a960770.txt",
    "003_3ea79b4f7be72fab.txt",
    "004_1ec6eb96b9fafe38.txt",
];

fn today() -> ytcs_core::Date {
    ytcs_core::Date::from_ymd_opt(2025, 3, 1).unwrap()
}

/// The reference units, the five seed plans and the agencies they name.
async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let (s, dir) = common::units_store().await;
    for name in SEEDS {
        let bytes = std::fs::read(format!(
            "{}/../../data/seeds/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let (plan, text) = ytcs_plandoc::read_document(name, &bytes).unwrap();
        s.insert_plan(&plan, &text).await.unwrap();
    }
    let added = ytcs_engine::lead::add_plan_agencies(s.as_ref(), today())
        .await
        .unwrap();
    assert!(added > 0);
    // Twice adds nothing.
    assert_eq!(
        ytcs_engine::lead::add_plan_agencies(s.as_ref(), today())
            .await
            .unwrap(),
        0
    );
    (s, dir)
}

async fn get(s: &Arc<dyn Store>, path: &str) -> (StatusCode, String) {
    let state = AppState {
        today,
        ..AppState::new(s.clone())
    };
    let req = Request::get(path).body(Body::empty()).unwrap();
    let req = common::session(s, Role::Viewer, "51").await.apply(req);
    let resp = router(state).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn plan_id(s: &Arc<dyn Store>, issuer: &str) -> i64 {
    s.list_plans()
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.issuer.as_deref() == Some(issuer))
        .unwrap()
        .id
}

#[tokio::test]
async fn an_agency_page_lists_the_tasks_it_leads_across_plans() {
    let (s, _d) = store().await;
    let qn = plan_id(&s, "UBND tỉnh Quảng Ngãi").await;
    let plan = s.get_plan(qn).await.unwrap().unwrap().plan;
    let led: Vec<_> = plan
        .tasks
        .iter()
        .filter(|t| t.lead_units.iter().any(|u| u == "Sở Tài chính"))
        .collect();
    assert!(!led.is_empty());
    let (status, html) = get(&s, "/org/51.STC/tasks").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Sở Tài chính tỉnh Quảng Ngãi"), "{html}");
    for t in &led {
        assert!(
            html.contains(&format!("/plans/{qn}/task?t=")),
            "task {} missing",
            t.id
        );
        assert!(html.contains(&askama_escape(&t.title)), "{}", t.title);
    }
    // An unknown unit is a 404; the route is in the table.
    assert_eq!(get(&s, "/org/99.XYZ/tasks").await.0, StatusCode::NOT_FOUND);
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn a_commune_page_lists_tasks_given_to_the_communes_of_its_district() {
    let (s, _d) = store().await;
    let h = s.hierarchy().await.unwrap();
    // Lào Cai city gives tasks to "UBND các xã, phường".
    let lc = plan_id(&s, "UBND thành phố Lào Cai").await;
    let stored = s.get_plan(lc).await.unwrap().unwrap();
    let (issuer, at) = ytcs_engine::lead::plan_issuer(&h, &stored.plan, today());
    let issuer = issuer.expect("Lào Cai city resolves");
    let commune = h
        .children(issuer.id, at)
        .into_iter()
        .find(|u| u.kind == OrgKind::Commune)
        .expect("a commune of Lào Cai city")
        .code
        .clone();
    let given: Vec<_> = stored
        .plan
        .tasks
        .iter()
        .filter(|t| t.lead_units.iter().any(|u| u == "UBND các xã, phường"))
        .collect();
    assert!(!given.is_empty());
    let (status, html) = get(&s, &format!("/org/{commune}/tasks")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("UBND các xã, phường"), "{html}");
    for t in given {
        assert!(html.contains(&askama_escape(&t.title)), "{}", t.title);
    }
    // The city's health centre has its own tasks, and so has Kon Rẫy's.
    let (status, html) = get(&s, &format!("/org/{}.TTYT/tasks", issuer.code)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/plans/{lc}/task?t=")), "{html}");
    let kr = plan_id(&s, "UBND huyện Kon Rẫy").await;
    let stored = s.get_plan(kr).await.unwrap().unwrap();
    let issuer = ytcs_engine::lead::plan_issuer(&h, &stored.plan, today())
        .0
        .expect("Kon Rẫy resolves");
    let ttyt = format!("{}.TTYT", issuer.code);
    assert!(!h
        .units_with_code(&OrgCode::parse(&ttyt).unwrap())
        .is_empty());
    let (status, html) = get(&s, &format!("/org/{ttyt}/tasks")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Trung tâm Y tế huyện"), "{html}");
    assert!(html.contains(&format!("/plans/{kr}/task?t=")), "{html}");
}

#[tokio::test]
async fn the_task_page_and_the_task_list_link_lead_units_to_their_tasks() {
    let (s, _d) = store().await;
    let kt = plan_id(&s, "UBND tỉnh Kon Tum").await;
    let plan = s.get_plan(kt).await.unwrap().unwrap().plan;
    let t = plan
        .tasks
        .iter()
        .find(|t| t.lead_units.iter().any(|u| u == "Sở Y tế"))
        .expect("a task led by Sở Y tế");
    let (status, html) = get(&s, &format!("/plans/{kt}/task?t={}", enc(&t.id))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/org/62.SYT/tasks\""), "{html}");
    let (status, html) = get(&s, "/tasks").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("/tasks\" title="),
        "no linked lead unit in /tasks"
    );
    // The unit page links to the unit's tasks.
    let (_, html) = get(&s, "/org/51").await;
    assert!(html.contains("href=\"/org/51/tasks\""));
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Every distinct lead and coordinating text of the five seeds, linked
/// against the real reference units: the common ones link, and what stays
/// unlinked is printed (`--nocapture`) for review.
#[tokio::test]
async fn the_seed_plans_lead_units_link_against_the_reference_units() {
    use std::collections::BTreeMap;
    let (s, _d) = store().await;
    let h = s.hierarchy().await.unwrap();
    let mut seen: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut tasks_with_lead = 0;
    let mut tasks_linked = 0;
    for p in s.list_plans().await.unwrap() {
        let plan = s.get_plan(p.id).await.unwrap().unwrap().plan;
        let (issuer, at) = ytcs_engine::lead::plan_issuer(&h, &plan, today());
        let issuer_name = plan.issuer.clone().unwrap_or_default();
        assert!(issuer.is_some(), "issuer {issuer_name} does not resolve");
        for t in &plan.tasks {
            let links = ytcs_engine::lead::task_links(&h, issuer, at, t);
            if !t.lead_units.is_empty() {
                tasks_with_lead += 1;
                tasks_linked += usize::from(links.lead.iter().any(|l| l.link.is_linked()));
            }
            for l in links.lead.iter().chain(&links.coordinating) {
                let to = match l.link {
                    ytcs_core::lead::Link::Unit(id) => h.unit(id).unwrap().code.to_string(),
                    ytcs_core::lead::Link::Under { parent, kind } => {
                        format!("{}/{}", h.unit(parent).unwrap().code, kind.as_str())
                    }
                    ytcs_core::lead::Link::Unlinked => "-".into(),
                };
                seen.entry((issuer_name.clone(), l.text.clone()))
                    .or_default()
                    .push(to);
            }
        }
    }
    for ((issuer, text), to) in &seen {
        println!("{issuer} | {text} -> {}", to[0]);
    }
    let linked = |issuer: &str, text: &str| {
        seen.get(&(issuer.to_string(), text.to_string()))
            .is_some_and(|to| to.iter().all(|c| c != "-"))
    };
    for (issuer, text) in [
        ("UBND huyện Kon Rẫy", "Trung tâm Y tế huyện"),
        ("UBND huyện Kon Rẫy", "Phòng Tài chính - Kế hoạch huyện"),
        ("UBND thành phố Lào Cai", "Trung tâm Y tế"),
        ("UBND thành phố Lào Cai", "UBND các xã, phường"),
        ("UBND thành phố Lào Cai", "Phòng Giáo dục và Đào tạo"),
        ("UBND tỉnh Quảng Ngãi", "Sở Y tế"),
        ("UBND tỉnh Quảng Ngãi", "Bảo hiểm xã hội tỉnh"),
        (
            "UBND tỉnh Quảng Ngãi",
            "Ủy ban nhân dân các huyện, thị xã, thành phố",
        ),
        ("UBND tỉnh Tuyên Quang", "Sở Y tế"),
        ("UBND tỉnh Tuyên Quang", "Ủy ban nhân dân huyện, thành phố"),
        ("UBND tỉnh Kon Tum", "Sở Lao động, Thương binh và Xã hội"),
        ("UBND tỉnh Kon Tum", "Công an tỉnh"),
    ] {
        assert!(linked(issuer, text), "{issuer}: {text} does not link");
    }
    assert!(
        tasks_linked * 10 >= tasks_with_lead * 7,
        "only {tasks_linked} of {tasks_with_lead} tasks with a lead unit link"
    );
}

/// A commune created by the reform sees the tasks a plan of 2024 gave to
/// the communes it came from, marked as given to its predecessor.
#[tokio::test]
async fn a_commune_after_the_reform_inherits_its_predecessors_tasks() {
    let (s, _d) = store().await;
    let h = s.hierarchy().await.unwrap();
    let lc = plan_id(&s, "UBND thành phố Lào Cai").await;
    let stored = s.get_plan(lc).await.unwrap().unwrap();
    let (issuer, at) = ytcs_engine::lead::plan_issuer(&h, &stored.plan, today());
    let issuer = issuer.unwrap();
    let new_commune = h
        .children(issuer.id, at)
        .into_iter()
        .filter(|u| u.kind == OrgKind::Commune)
        .flat_map(|c| h.successors(c.id))
        .filter_map(|l| h.unit(l.successor))
        .find(|u| {
            u.validity.from.is_some_and(|f| f > at)
                && h.unit_at(&u.code, at)
                    .is_none_or(|old| !h.ancestors(old.id, at).iter().any(|a| a.id == issuer.id))
        })
        .expect("a commune of Lào Cai city went into a new commune");
    let t = stored
        .plan
        .tasks
        .iter()
        .find(|t| t.lead_units.iter().any(|u| u == "UBND các xã, phường"))
        .unwrap();
    let (status, html) = get(&s, &format!("/org/{}/tasks", new_commune.code)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&askama_escape(&t.title)), "{html}");
    assert!(html.contains("giao cho đơn vị tiền thân"), "{html}");
}

/// The task list's unit filter also finds a task by its linked unit's name.
#[tokio::test]
async fn the_task_filter_finds_tasks_by_the_linked_units_name() {
    let (s, _d) = store().await;
    let (status, html) = get(&s, "/tasks?unit=Kon+R%E1%BA%ABy").await;
    assert_eq!(status, StatusCode::OK);
    // Kon Rẫy's plan names "Trung tâm Y tế huyện", never "Kon Rẫy".
    assert!(html.contains(".TTYT/tasks"), "{html}");
}
