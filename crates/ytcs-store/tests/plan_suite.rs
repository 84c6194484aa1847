//! Plans in storage, on both engines (SQLite file, real PostgreSQL).

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::plan::{Plan, Source, SourceFormat};
use ytcs_store::Store;

const SEED_000: &str = include_str!("../../../data/seeds/000_5ad8db25cf967cbe.txt");

both_engines!(
    units: false;
    a_plan_round_trips_exactly,
    the_same_document_is_stored_once,
    corrections_are_kept_as_revisions,
    plans_citing_each_other_link_both_ways,
    a_target_marked_in_the_source_is_kept_as_a_labelled_example,
);

fn seed() -> Plan {
    ytcs_plandoc::parse_bytes("000_5ad8db25cf967cbe.txt", SEED_000.as_bytes()).unwrap()
}

fn synthetic(number: &str, date: &str, sha: &str) -> Plan {
    let mut p = Plan::empty(Source {
        file: format!("{sha}.txt"),
        sha256: sha.into(),
        format: SourceFormat::Text,
    });
    p.number = Some(number.into());
    p.date = Some(date.parse().unwrap());
    p.issuer = Some("UBND tỉnh Kon Tum".into());
    p.title = Some("Kế hoạch thử".into());
    p
}

async fn a_plan_round_trips_exactly(s: Arc<dyn Store>) {
    let plan = seed();
    let (id, created) = s.insert_plan(&plan, SEED_000).await.unwrap();
    assert!(created);
    let stored = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(stored.plan, plan);
    assert_eq!(stored.extracted, plan);
    assert_eq!(stored.source_text, SEED_000);
    assert_eq!(stored.summary.issuer.as_deref(), Some("UBND huyện Kon Rẫy"));
    assert_eq!(stored.summary.kind, "plan");
    assert!(stored.summary.confirmed_at.is_none());
    let list = s.list_plans().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, id);
    assert!(s.get_plan(id + 1000).await.unwrap().is_none());
}

async fn the_same_document_is_stored_once(s: Arc<dyn Store>) {
    let plan = seed();
    let (a, _) = s.insert_plan(&plan, SEED_000).await.unwrap();
    let (b, created) = s.insert_plan(&plan, SEED_000).await.unwrap();
    assert_eq!(a, b);
    assert!(!created);
    assert_eq!(s.list_plans().await.unwrap().len(), 1);
}

async fn corrections_are_kept_as_revisions(s: Arc<dyn Store>) {
    let plan = seed();
    let (id, _) = s.insert_plan(&plan, SEED_000).await.unwrap();
    let mut fixed = plan.clone();
    fixed.number = Some("190/KH-UBND".into());
    fixed.date = Some("2024-06-10".parse().unwrap());
    fixed.targets[0].value = Some(99.0);
    assert!(s
        .revise_plan(id, &fixed, "số và ngày kế hoạch")
        .await
        .unwrap());
    assert!(s.confirm_plan(id).await.unwrap());
    let stored = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(stored.plan, fixed);
    assert_eq!(stored.extracted, plan, "the extraction is kept as read");
    assert_eq!(stored.summary.number.as_deref(), Some("190/KH-UBND"));
    assert!(stored.summary.confirmed_at.is_some());
    let revs = s.plan_revisions(id).await.unwrap();
    assert_eq!(revs.len(), 1);
    assert_eq!(revs[0].note, "số và ngày kế hoạch");
    // A further correction un-confirms until confirmed again.
    assert!(s.revise_plan(id, &plan, "hoàn tác").await.unwrap());
    assert!(s
        .get_plan(id)
        .await
        .unwrap()
        .unwrap()
        .summary
        .confirmed_at
        .is_none());
    assert_eq!(s.plan_revisions(id).await.unwrap().len(), 2);
    assert!(!s.revise_plan(id + 1000, &plan, "x").await.unwrap());
    assert!(!s.confirm_plan(id + 1000).await.unwrap());
}

async fn plans_citing_each_other_link_both_ways(s: Arc<dyn Store>) {
    // Kon Rẫy's plan cites Kon Tum's 906/KH-UBND of 19/3/2024.
    let district = seed();
    let (d, _) = s.insert_plan(&district, SEED_000).await.unwrap();
    let province = synthetic("906/KH-UBND", "2024-03-19", "aa");
    let (p, _) = s.insert_plan(&province, "").await.unwrap();
    // Same number, another date: a different document.
    let other = synthetic("906/KH-UBND", "2019-01-01", "bb");
    let (o, _) = s.insert_plan(&other, "").await.unwrap();
    let links = s.plan_links(d).await.unwrap();
    assert_eq!(
        links.implements.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![p]
    );
    assert!(links.implemented_by.is_empty());
    let up = s.plan_links(p).await.unwrap();
    assert_eq!(
        up.implemented_by.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![d]
    );
    assert!(s.plan_links(o).await.unwrap().implemented_by.is_empty());
}

#[test]
fn document_numbers_compare_without_case_diacritics_or_spaces() {
    assert_eq!(
        ytcs_store::plans::number_key("07-ĐA/TU"),
        ytcs_store::plans::number_key("07-da / tu")
    );
    assert_ne!(
        ytcs_store::plans::number_key("906/KH-UBND"),
        ytcs_store::plans::number_key("907/KH-UBND")
    );
}

async fn a_target_marked_in_the_source_is_kept_as_a_labelled_example(s: Arc<dyn Store>) {
    use ytcs_store::plans::{ExampleAction, NewTargetExample};
    let plan = seed();
    let (id, _) = s.insert_plan(&plan, SEED_000).await.unwrap();
    let wrong = plan.targets[0].clone();
    let mut right = wrong.clone();
    right.value = Some(98.5);
    let mut fixed = plan.clone();
    fixed.targets[0] = right.clone();
    let example = NewTargetExample {
        line: wrong.line,
        sentence: "Tỷ lệ … đạt 98,5% năm 2030".into(),
        selection: "đạt 98,5% năm 2030".into(),
        action: ExampleAction::Fix,
        target_index: Some(0),
        read: Some(right.clone()),
        replaced: Some(wrong.clone()),
        target: right.clone(),
        username: "admin".into(),
    };
    let ex_id = s
        .correct_target(id, &fixed, "chỉ tiêu từ câu nguồn", &example)
        .await
        .unwrap()
        .expect("the plan exists");
    // The plan is corrected and the correction is a revision …
    let stored = s.get_plan(id).await.unwrap().unwrap();
    assert_eq!(stored.plan.targets[0].value, Some(98.5));
    assert_eq!(s.plan_revisions(id).await.unwrap().len(), 1);
    // … and the example is kept whole, for this plan and among all.
    let mine = s.target_examples(Some(id)).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, ex_id);
    assert_eq!(mine[0].plan_id, id);
    assert_eq!(mine[0].example, example);
    assert_eq!(s.target_examples(None).await.unwrap().len(), 1);
    assert!(s.target_examples(Some(id + 1000)).await.unwrap().is_empty());
    // No plan, no example.
    assert_eq!(
        s.correct_target(id + 1000, &fixed, "x", &example)
            .await
            .unwrap(),
        None
    );
    assert_eq!(s.target_examples(None).await.unwrap().len(), 1);
}
