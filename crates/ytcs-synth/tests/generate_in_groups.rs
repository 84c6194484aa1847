//! A register made a group of communes at a time (`Groups`, what `ytcs
//! generate` and `bench registers` load) loads whole in one transaction:
//! ids continue across groups, every reference holds (the load checks
//! foreign keys and unique citizen ids), the derivation checks out; a
//! source that fails half-way leaves nothing written. Made ahead of the
//! load (`Groups::ahead`, a thread of its own) the groups are the same.

use ytcs_core::Date;
use ytcs_store::registers::{BatchSource, RegisterBatch};
use ytcs_store::{StoreConfig, StoreError};
use ytcs_synth::generate::{province_communes, Groups};

fn today() -> Date {
    "2026-11-23".parse().unwrap()
}

async fn store(dir: &tempfile::TempDir) -> std::sync::Arc<dyn ytcs_store::Store> {
    ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap()
}

/// The indexes and triggers of the store's file: (name, statement).
fn indexes(dir: &tempfile::TempDir) -> Vec<(String, String)> {
    let c = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
    let mut st = c
        .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    rows
}

#[tokio::test]
async fn a_register_made_in_groups_loads_whole_and_derives() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = store(&dir).await;
    let h = s.hierarchy().await.unwrap();
    let targets = province_communes(&h, "51", today()).unwrap();
    let indexes_before = indexes(&dir);
    let groups = Groups::with_group_persons(&h, &targets, 3000, 5, today(), 1000).unwrap();
    assert_eq!(groups.len(), 3);
    let mut ahead = groups.ahead();
    ytcs_store::raw::writes(&*s)
        .bulk_load_from(&mut ahead, "system")
        .await
        .unwrap();
    let groups = ahead.finish();
    // Every index is there again, those dropped for the load and those
    // kept up through it, as the migrations made them.
    assert_eq!(indexes(&dir), indexes_before);
    assert!(indexes_before.len() > 15, "{indexes_before:?}");
    let t = groups.totals;
    assert_eq!(t.groups, 3);
    assert_eq!(t.persons, 3000);
    assert!(t.events > 10_000 && t.moves > 0, "{t:?}");
    assert_eq!(s.register_counts().await.unwrap(), (3000, t.events as i64));
    // Every group's people are found under their communes.
    let known = s.register_communes().await.unwrap();
    assert_eq!(known.iter().map(|c| c.persons).sum::<i64>(), 3000);
    assert!(!groups.population().is_empty());
    let report = ytcs_engine::registers::sync(s.as_ref(), &h, None, "system", today())
        .await
        .unwrap();
    assert!(report.derived > 0);
    let v = ytcs_engine::registers::verify(s.as_ref(), &h)
        .await
        .unwrap();
    assert!(v.equal(), "{:?}", v.examples);
}

/// Hands over its first batch, then fails.
struct FailsAfterOne {
    batch: RegisterBatch,
    given: bool,
}

impl BatchSource for FailsAfterOne {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError> {
        if self.given {
            return Err(StoreError::Invalid("the generator failed".into()));
        }
        self.given = true;
        Ok(Some(&self.batch))
    }
}

#[tokio::test]
async fn a_source_failing_half_way_leaves_nothing_written() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = store(&dir).await;
    let h = s.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 500, 2, today()).unwrap();
    let mut source = FailsAfterOne {
        batch: g.batch,
        given: false,
    };
    let e = ytcs_store::raw::writes(&*s)
        .bulk_load_from(&mut source, "system")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("the generator failed"), "{e}");
    assert_eq!(s.register_counts().await.unwrap(), (0, 0));
    // The first batch, committed on its own, was undone; the indexes
    // dropped for the load are back and the mark is gone.
    assert_eq!(indexes(&dir), indexes_of_a_new_store().await);
    assert!(!mark(&dir).exists());
}

/// Hands over its first batch, then panics: the load stops as a crash
/// would stop it, with its first batch committed and its mark left.
struct PanicsAfterOne(FailsAfterOne);

impl BatchSource for PanicsAfterOne {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError> {
        if self.0.given {
            panic!("the load stops here, as if killed");
        }
        self.0.next_batch()
    }
}

#[tokio::test]
async fn a_load_stopped_by_a_crash_is_undone_at_the_next_open() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = store(&dir).await;
    let h = s.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 500, 2, today()).unwrap();
    let persons = g.batch.persons.len() as i64;
    let mut source = PanicsAfterOne(FailsAfterOne {
        batch: g.batch,
        given: false,
    });
    let s2 = s.clone();
    let crashed = tokio::spawn(async move {
        ytcs_store::raw::writes(&*s2)
            .bulk_load_from(&mut source, "system")
            .await
    })
    .await;
    assert!(crashed.unwrap_err().is_panic());
    // What a crash leaves: the first batch, the indexes dropped, the mark.
    assert_eq!(s.register_counts().await.unwrap().0, persons);
    assert_ne!(indexes(&dir), indexes_of_a_new_store().await);
    assert!(mark(&dir).exists());
    drop(s);
    let s = store(&dir).await;
    assert_eq!(s.register_counts().await.unwrap(), (0, 0));
    assert_eq!(indexes(&dir), indexes_of_a_new_store().await);
    assert!(!mark(&dir).exists());
}

#[tokio::test]
async fn a_whole_load_whose_mark_was_left_is_kept_at_the_next_open() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let s = store(&dir).await;
    let h = s.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 500, 2, today()).unwrap();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&g.batch, "system")
        .await
        .unwrap();
    let counts = s.register_counts().await.unwrap();
    // A crash between the last commit and the mark's removal.
    let all: Vec<(String, String)> = indexes(&dir);
    std::fs::write(mark(&dir), serde_json::to_vec(&all).unwrap()).unwrap();
    drop(s);
    let s = store(&dir).await;
    assert_eq!(s.register_counts().await.unwrap(), counts);
    assert!(!mark(&dir).exists());
}

fn mark(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("t.db.register-load")
}

async fn indexes_of_a_new_store() -> Vec<(String, String)> {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    drop(store(&dir).await);
    indexes(&dir)
}

#[test]
fn groups_made_ahead_are_the_groups_made_in_turn() {
    let a = ytcs_refdata::admin_units().unwrap();
    let h = ytcs_core::hierarchy::Hierarchy::new(a.units, a.links, a.lineage).unwrap();
    let targets = province_communes(&h, "51", today()).unwrap();
    let make = || Groups::with_group_persons(&h, &targets, 2500, 9, today(), 1000).unwrap();
    let mut in_turn = make();
    let mut ahead = make().ahead();
    let mut n = 0;
    loop {
        let x = in_turn.next_batch().unwrap().cloned();
        let y = ahead.next_batch().unwrap().cloned();
        assert_eq!(x, y, "group {n}");
        if x.is_none() {
            break;
        }
        n += 1;
    }
    assert_eq!(n, 3);
    let made = ahead.finish();
    assert_eq!(made.totals, in_turn.totals);
    assert_eq!(made.population(), in_turn.population());
}

#[test]
fn a_load_stopping_early_stops_the_generator() {
    let a = ytcs_refdata::admin_units().unwrap();
    let h = ytcs_core::hierarchy::Hierarchy::new(a.units, a.links, a.lineage).unwrap();
    let targets = province_communes(&h, "51", today()).unwrap();
    let mut ahead = Groups::with_group_persons(&h, &targets, 3000, 9, today(), 1000)
        .unwrap()
        .ahead();
    assert!(ahead.next_batch().unwrap().is_some());
    // The load fails here: the generator is stopped, not left running.
    let made = ahead.finish();
    assert!(made.totals.groups <= 2, "{:?}", made.totals);
}
