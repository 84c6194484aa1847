//! The tasks page's work list (`lead::work_list`) and the dashboard's
//! reminders (`tracking::reminders`) on a real SQLite store with the
//! reference units and one plan of the province of Quảng Ngãi: which
//! tasks are tracked, which pass the unit filter (by text or by the
//! linked unit's name, accents aside), the order (overdue first), and
//! that the province and a commune under it are reminded of the overdue
//! task and the missing reports while the unit filter and a unit outside
//! the province are not.

use std::sync::Arc;

use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_core::plan::{
    Frequency, Plan, ReportingDuty, Source, SourceFormat, Task, Timeframe, TimeframeKind,
};
use ytcs_core::Date;
use ytcs_engine::lead::{work_list, WorkFilter};
use ytcs_engine::tracking::reminders;
use ytcs_store::{Store, StoreConfig};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn task(id: &str, lead: &str, kind: TimeframeKind, year: Option<i32>) -> Task {
    let mut timeframe = Timeframe::new(kind, "");
    timeframe.year = year;
    Task {
        id: id.into(),
        parent: None,
        title: format!("Nhiệm vụ {id}"),
        text: String::new(),
        lead_units: vec![lead.into()],
        coordinating_units: vec![],
        timeframe,
        milestones: vec![],
        line: 1,
    }
}

async fn store_with_plan() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let mut plan = Plan::empty(Source {
        file: "kh.txt".into(),
        sha256: "1".into(),
        format: SourceFormat::Text,
    });
    plan.issuer = Some("UBND tỉnh Quảng Ngãi".into());
    plan.date = Some(d("2026-01-10"));
    plan.tasks = vec![
        task("1", "Sở Y tế", TimeframeKind::Year, Some(2026)),
        task("2", "UBND các xã, phường", TimeframeKind::Year, Some(2030)),
        task("3", "Sở Tài chính", TimeframeKind::Ongoing, None),
    ];
    plan.reporting = vec![ReportingDuty {
        what: "Báo cáo kết quả".into(),
        by: vec!["Sở Y tế".into()],
        to: vec![],
        frequency: Some(Frequency::Annual),
        deadline: None,
        text: String::new(),
        line: 1,
    }];
    s.insert_plan(&plan, "").await.unwrap();
    (s, dir)
}

#[tokio::test]
async fn the_work_list_tracks_dated_tasks_overdue_first_and_filters_by_unit() {
    let (s, _dir) = store_with_plan().await;
    let h = s.hierarchy().await.unwrap();
    let on = d("2027-06-30");
    let until = d("2027-09-30");
    let titles = |f: &WorkFilter| {
        let (s, h, f) = (s.clone(), &h, f.clone());
        async move {
            let (tasks, reports) = work_list(s.as_ref(), h, on, until, &f).await.unwrap();
            let t: Vec<String> = tasks.iter().map(|t| t.task.id.clone()).collect();
            (t, reports)
        }
    };
    // The ongoing task with nothing reported is not tracked; the overdue
    // one comes first.
    let (all, reports) = titles(&WorkFilter::default()).await;
    assert_eq!(all, ["1", "2"]);
    assert!(!reports.is_empty());
    assert!(reports
        .windows(2)
        .all(|w| w[0].standing.due <= w[1].standing.due));
    let (overdue, _) = titles(&WorkFilter {
        unit: String::new(),
        only_overdue: true,
    })
    .await;
    assert_eq!(overdue, ["1"]);
    // Accents and case aside, by the text as written.
    let (health, reports) = titles(&WorkFilter {
        unit: "so y te".into(),
        only_overdue: false,
    })
    .await;
    assert_eq!(health, ["1"]);
    assert!(reports.iter().all(|r| r.standing.unit == "Sở Y tế"));
    let (none, reports) = titles(&WorkFilter {
        unit: "Sở Nội vụ".into(),
        only_overdue: false,
    })
    .await;
    assert!(none.is_empty() && reports.is_empty());
}

#[tokio::test]
async fn the_province_and_its_communes_are_reminded_and_others_are_not() {
    let (s, _dir) = store_with_plan().await;
    let h = s.hierarchy().await.unwrap();
    let on = d("2027-06-30");
    let province = h
        .unit_at(&OrgCode::parse("51").unwrap(), on)
        .expect("Quảng Ngãi");
    let r = reminders(s.as_ref(), &h, province, on).await.unwrap();
    let tasks: Vec<&str> = r.tasks.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(tasks, ["Nhiệm vụ 1"]);
    assert_eq!(r.tasks[0].due, Some(d("2026-12-31")));
    assert!(!r.reports.is_empty());
    assert!(r
        .reports
        .iter()
        .all(|x| !x.late && x.what == "Báo cáo kết quả — Sở Y tế"));
    assert!(r.reports.windows(2).all(|w| w[0].due <= w[1].due));

    let commune = h
        .communes_under(province.id, on)
        .into_iter()
        .next()
        .expect("a commune");
    let r = reminders(s.as_ref(), &h, commune, on).await.unwrap();
    assert_eq!(r.tasks.len(), 1);

    let elsewhere = h
        .units()
        .iter()
        .find(|u| u.kind == OrgKind::Province && u.validity.contains(on) && u.code.as_str() != "51")
        .unwrap();
    let r = reminders(s.as_ref(), &h, elsewhere, on).await.unwrap();
    assert!(r.tasks.is_empty() && r.reports.is_empty());
}
