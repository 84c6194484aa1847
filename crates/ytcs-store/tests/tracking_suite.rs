//! A plan's execution in storage, on both engines (SQLite file, real PostgreSQL).

#[macro_use]
mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use ytcs_core::org::OrgCode;
use ytcs_core::tracking::TaskStatus;
use ytcs_store::tracking::{
    Assessment, BudgetEntry, BudgetEntryKind, Evidence, NewTaskUpdate, ReportSubmission,
};
use ytcs_store::Store;

const SEED_000: &str = include_str!("../../../data/seeds/000_5ad8db25cf967cbe.txt");

both_engines!(
    units: false;
    task_updates_keep_their_evidence,
    a_report_submitted_twice_keeps_the_later_record,
    budget_entries_round_trip,
    assessments_are_one_per_commune_and_year,
);

fn d(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

async fn plan(s: &Arc<dyn Store>) -> i64 {
    let p = ytcs_plandoc::parse_bytes("000.txt", SEED_000.as_bytes()).unwrap();
    s.insert_plan(&p, SEED_000).await.unwrap().0
}

async fn task_updates_keep_their_evidence(s: Arc<dyn Store>) {
    let id = plan(&s).await;
    let pdf = b"%PDF-1.4 bien ban".to_vec();
    let u = s
        .add_task_update(&NewTaskUpdate {
            plan_id: id,
            task_id: "III.2.2.a".into(),
            on: d("2024-10-01"),
            status: TaskStatus::InProgress,
            progress: Some(40),
            note: "Đã rà soát 8/12 thôn".into(),
            evidence: Some(Evidence {
                name: "bien-ban.pdf".into(),
                content_type: "application/pdf".into(),
                bytes: pdf.clone(),
            }),
        })
        .await
        .unwrap();
    s.add_task_update(&NewTaskUpdate {
        plan_id: id,
        task_id: "III.2.2.a".into(),
        on: d("2024-12-20"),
        status: TaskStatus::Done,
        progress: Some(100),
        note: "Hoàn thành".into(),
        evidence: None,
    })
    .await
    .unwrap();
    let ups = s.task_updates(id).await.unwrap();
    assert_eq!(ups.len(), 2);
    assert_eq!(ups[0].status, TaskStatus::InProgress);
    assert_eq!(ups[0].progress, Some(40));
    assert_eq!(ups[0].evidence_name.as_deref(), Some("bien-ban.pdf"));
    assert_eq!(ups[1].status, TaskStatus::Done);
    let e = s.evidence(u).await.unwrap().unwrap();
    assert_eq!(e.bytes, pdf);
    assert_eq!(e.content_type, "application/pdf");
    assert!(s.evidence(ups[1].id).await.unwrap().is_none());
}

async fn a_report_submitted_twice_keeps_the_later_record(s: Arc<dyn Store>) {
    let id = plan(&s).await;
    let sub = |on: &str| ReportSubmission {
        duty: 0,
        due: d("2024-12-15"),
        unit: "Trung tâm Y tế".into(),
        submitted_on: d(on),
        note: String::new(),
    };
    s.submit_report(id, &sub("2024-12-20")).await.unwrap();
    s.submit_report(id, &sub("2024-12-10")).await.unwrap();
    let subs = s.report_submissions(id).await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].submitted_on, d("2024-12-10"));
}

async fn budget_entries_round_trip(s: Arc<dyn Store>) {
    let id = plan(&s).await;
    let e = BudgetEntry {
        line_id: "IV.1".into(),
        on: d("2024-05-02"),
        kind: BudgetEntryKind::Disbursement,
        amount_vnd: 1_987_000_000,
        source: Some("Ngân sách tỉnh".into()),
        note: "Đợt 1".into(),
    };
    s.add_budget_entry(id, &e).await.unwrap();
    assert_eq!(s.budget_entries(id).await.unwrap(), [e]);
}

async fn assessments_are_one_per_commune_and_year(s: Arc<dyn Store>) {
    let units = ytcs_refdata::admin_units().unwrap();
    s.load_admin_units(&units).await.unwrap();
    let commune = s
        .unit_at(&OrgCode::parse("23479").unwrap(), d("2025-08-01"))
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut a = Assessment {
        commune,
        year: 2025,
        scores: BTreeMap::from([("1".to_string(), 12.0), ("2".to_string(), 8.5)]),
        total: 20.5,
        passed: false,
        recognised_on: None,
    };
    s.save_assessment(&a).await.unwrap();
    a.scores.insert("3".into(), 10.0);
    a.total = 85.0;
    a.passed = true;
    a.recognised_on = Some(d("2025-12-20"));
    s.save_assessment(&a).await.unwrap();
    assert_eq!(s.assessments(commune).await.unwrap(), [a.clone()]);
    assert_eq!(s.passed_assessments().await.unwrap(), [a]);
}
