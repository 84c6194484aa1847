//! The register digests (SQLite: a person's records packed in one row,
//! which a derivation reads instead of the rows) stay a faithful copy:
//! a load writes them, a save keeps them, any other change to the rows
//! deletes them (the triggers) so the rows are read, `rebuild --verify`
//! finds one that differs, and `remake_register_digests` makes them again.

use ytcs_core::org::UnitId;
use ytcs_core::register::derive::Registers;
use ytcs_core::register::{Event, EventKind};
use ytcs_core::Date;
use ytcs_store::registers::RegisterBatch;
use ytcs_store::StoreConfig;

fn today() -> Date {
    "2026-11-23".parse().unwrap()
}

struct Loaded {
    dir: tempfile::TempDir,
    store: std::sync::Arc<dyn ytcs_store::Store>,
    h: ytcs_core::hierarchy::Hierarchy,
}

async fn loaded() -> Loaded {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = store.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 600, 2, today()).unwrap();
    ytcs_store::raw::writes(&*store)
        .bulk_load(&g.batch, "system")
        .await
        .unwrap();
    ytcs_engine::registers::sync(store.as_ref(), &h, None, "system", today())
        .await
        .unwrap();
    Loaded { dir, store, h }
}

impl Loaded {
    fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("t.db")).unwrap()
    }
    fn digests(&self) -> i64 {
        self.sql()
            .query_row("SELECT count(*) FROM register_digest", [], |r| r.get(0))
            .unwrap()
    }
    fn has_digest(&self, person: i64) -> bool {
        self.sql()
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM register_digest WHERE person_id = ?)",
                [person],
                |r| r.get(0),
            )
            .unwrap()
    }
    /// What a derivation reads (digests where current) and what the
    /// rows hold, both in one order, and the persons whose digest differs.
    async fn both(&self) -> (Registers, Registers, Vec<i64>) {
        let mut copies = self.store.derivation_registers(None).await.unwrap();
        let (mut rows, stale) = self.store.checked_derivation_registers(None).await.unwrap();
        for r in [&mut copies, &mut rows] {
            r.persons.sort_by_key(|p| p.id);
            r.moves.sort_by_key(|m| m.id);
            r.cards.sort_by_key(|c| c.id);
            r.events.sort_by_key(|e| e.id);
        }
        (copies, rows, stale)
    }
    async fn verify(&self) -> ytcs_engine::registers::VerifyReport {
        ytcs_engine::registers::verify(self.store.as_ref(), &self.h)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_load_writes_every_persons_digest_and_they_read_as_the_rows() {
    let l = loaded().await;
    let (persons, events) = l.store.register_counts().await.unwrap();
    assert_eq!(l.digests(), persons);
    let (copies, rows, stale) = l.both().await;
    assert!(stale.is_empty(), "{stale:?}");
    assert_eq!(rows.events.len() as i64, events);
    assert!(!rows.moves.is_empty() && !rows.cards.is_empty());
    assert_eq!(copies.persons, rows.persons);
    assert_eq!(copies.moves, rows.moves);
    assert_eq!(copies.cards, rows.cards);
    assert_eq!(copies.events, rows.events);
    assert!(l.verify().await.equal());
}

#[tokio::test]
async fn a_saved_event_keeps_its_persons_digest_current() {
    let l = loaded().await;
    let (_, rows, _) = l.both().await;
    let p = &rows.persons[10];
    let batch = RegisterBatch {
        events: vec![Event {
            id: -1,
            person: p.id,
            date: today(),
            unit: p.commune,
            kind: EventKind::Examination {
                icd10: "J06".into(),
                insured: true,
            },
            flags: vec![],
        }],
        ..RegisterBatch::default()
    };
    ytcs_engine::registers::save(l.store.as_ref(), &l.h, &batch, "tram", today())
        .await
        .unwrap();
    assert!(l.has_digest(p.id));
    let (copies, rows, stale) = l.both().await;
    assert!(stale.is_empty(), "{stale:?}");
    assert_eq!(copies.events, rows.events);
    assert!(copies
        .events
        .iter()
        .any(|e| e.person == p.id && e.date == today()));
    assert!(l.verify().await.equal());
}

#[tokio::test]
async fn a_change_to_the_rows_by_any_writer_drops_the_digest_and_the_rows_are_read() {
    let l = loaded().await;
    let (_, rows, _) = l.both().await;
    let e = rows
        .events
        .iter()
        .find(|e| e.person == rows.persons[3].id)
        .unwrap();
    let c = &rows.cards[0];
    let m = &rows.moves[0];
    let sql = l.sql();
    sql.execute(
        "UPDATE person_event SET on_date = '2026-01-02' WHERE id = ?",
        [e.id],
    )
    .unwrap();
    sql.execute("DELETE FROM insurance_card WHERE id = ?", [c.id])
        .unwrap();
    sql.execute(
        "UPDATE person_move SET on_date = '2025-03-04' WHERE id = ?",
        [m.id],
    )
    .unwrap();
    sql.execute(
        "UPDATE person SET full_name = 'Lê Văn Tám' WHERE id = ?",
        [rows.persons[7].id],
    )
    .unwrap();
    sql.execute(
        "UPDATE person SET death_date = '2026-02-03' WHERE id = ?",
        [rows.persons[8].id],
    )
    .unwrap();
    assert!(!l.has_digest(e.person) && !l.has_digest(c.person) && !l.has_digest(m.person));
    assert!(!l.has_digest(rows.persons[8].id));
    // A name is not in the digest: it stays.
    assert!(l.has_digest(rows.persons[7].id));
    let (copies, rows, stale) = l.both().await;
    assert!(stale.is_empty(), "{stale:?}");
    assert_eq!(copies.events, rows.events);
    assert_eq!(copies.cards, rows.cards);
    assert_eq!(copies.moves, rows.moves);
    assert_eq!(copies.persons, rows.persons);
    assert!(copies
        .events
        .iter()
        .any(|x| x.id == e.id && x.date.to_string() == "2026-01-02"));
    // The derived values now differ from the records (changed behind the
    // derivation's back); the digests do not.
    let v = l.verify().await;
    assert_eq!(v.stale_digests, 0);
}

#[tokio::test]
async fn a_digest_that_differs_from_its_rows_is_found_and_made_again() {
    let l = loaded().await;
    let (_, rows, _) = l.both().await;
    let (a, b) = (rows.persons[1].id, rows.persons[2].id);
    // Person a's digest replaced by person b's, behind the triggers.
    l.sql()
        .execute(
            "UPDATE register_digest SET digest = (SELECT digest FROM register_digest WHERE person_id = ?) WHERE person_id = ?",
            [b, a],
        )
        .unwrap();
    let (_, _, stale) = l.both().await;
    assert_eq!(stale, vec![a]);
    let v = l.verify().await;
    assert_eq!(v.stale_digests, 1);
    assert!(!v.equal());
    assert!(
        v.examples
            .iter()
            .any(|x| x.contains(&format!("person {a}"))),
        "{:?}",
        v.examples
    );
    let made = l.store.remake_register_digests().await.unwrap();
    assert_eq!(made as usize, rows.persons.len());
    let (_, _, stale) = l.both().await;
    assert!(stale.is_empty());
    assert!(l.verify().await.equal());
}

#[tokio::test]
async fn persons_loaded_without_digests_are_read_from_their_rows() {
    let l = loaded().await;
    let (_, before, _) = l.both().await;
    l.sql()
        .execute("DELETE FROM register_digest WHERE person_id % 2 = 0", [])
        .unwrap();
    let (copies, rows, stale) = l.both().await;
    assert!(stale.is_empty());
    assert_eq!(copies.persons, rows.persons);
    assert_eq!(copies.events, rows.events);
    assert_eq!(rows.events, before.events);
    let unit: Vec<UnitId> = vec![rows.persons[0].commune];
    let one = l.store.derivation_registers(Some(&unit)).await.unwrap();
    assert!(one.persons.iter().any(|p| p.id == rows.persons[0].id));
    assert!(l.verify().await.equal());
}
