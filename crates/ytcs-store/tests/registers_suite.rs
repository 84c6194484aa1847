//! The registers' storage on both engines: batches with placeholder ids
//! are written whole or not at all, records come back as written, search
//! finds names with or without diacritics, the derivation's reads include
//! those who moved away and equal the records read one by one (numbers to
//! the last digit, quotes and diacritics in texts), and the bulk load is equal to a batch write.

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, UnitId};
use ytcs_core::period::Period;
use ytcs_core::register::{
    BirthPlace, Death, Event, EventKind, HistoryItem, HistoryKind, Household, InsuranceCard, Move,
    Person, PregnancyOutcome,
};
use ytcs_core::Date;
use ytcs_store::registers::{DerivationMark, PersonQuery, RegisterBatch};
use ytcs_store::Store;

both_engines!(
    units: true;
    a_batch_with_placeholders_comes_back_whole,
    a_bad_batch_writes_nothing,
    search_finds_names_with_or_without_diacritics,
    the_derivations_read_includes_those_who_moved_away,
    bulk_load_equals_a_batch_and_marks_round_trip,
    a_bulk_load_that_fails_at_its_last_table_writes_nothing,
    the_derivations_read_is_the_records_without_their_names,
    the_packed_read_equals_the_records_read_one_by_one,
    the_digests_read_as_the_rows_through_loads_and_writes,
);

/// Without the texts a derivation need not read (see
/// `derivation_registers`).
fn nameless(
    mut r: ytcs_core::register::derive::Registers,
) -> ytcs_core::register::derive::Registers {
    for p in &mut r.persons {
        p.full_name.clear();
        p.ethnicity.clear();
        p.village.clear();
        p.national_id = None;
        if let Some(d) = &mut p.death {
            d.cause = None;
        }
    }
    for c in &mut r.cards {
        c.number.clear();
    }
    r
}

/// Sorted by id and [`nameless`], to compare two reads.
fn sorted(r: ytcs_core::register::derive::Registers) -> ytcs_core::register::derive::Registers {
    let mut r = nameless(r);
    r.persons.sort_by_key(|p| p.id);
    r.moves.sort_by_key(|m| m.id);
    r.cards.sort_by_key(|c| c.id);
    r.events.sort_by_key(|e| e.id);
    r
}

/// A derivation's read (the persons' digests where current) equals the
/// rows after a bulk load, a write that adds to a person and one that
/// deletes an event; `rebuild --verify`'s read finds no digest that
/// differs; `remake_register_digests` makes one a person.
async fn the_digests_read_as_the_rows_through_loads_and_writes(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let b = family_with_ids(c);
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    let same = |s: Arc<dyn Store>| async move {
        let read = sorted(s.derivation_registers(Some(&[c])).await.unwrap());
        let (rows, stale) = s.checked_derivation_registers(Some(&[c])).await.unwrap();
        assert!(stale.is_empty(), "{stale:?}");
        let rows = sorted(rows);
        assert_eq!(read.persons, rows.persons);
        assert_eq!(read.moves, rows.moves);
        assert_eq!(read.cards, rows.cards);
        assert_eq!(read.events, rows.events);
        rows
    };
    let rows = same(s.clone()).await;
    assert_eq!(rows.persons.len(), b.persons.len());
    let first = rows.events[0].clone();
    let added = Event {
        id: -1,
        person: 102,
        date: d("2026-03-04"),
        unit: c,
        kind: EventKind::Examination {
            icd10: "J06".into(),
            insured: true,
        },
        flags: vec!["waz".into()],
    };
    ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                events: vec![added],
                delete_events: vec![first.id],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await
        .unwrap();
    let rows = same(s.clone()).await;
    assert!(rows
        .events
        .iter()
        .any(|e| e.person == 102 && e.date == d("2026-03-04")));
    assert!(!rows.events.iter().any(|e| e.id == first.id));
    let made = s.remake_register_digests().await.unwrap();
    assert_eq!(made as usize, b.persons.len());
    same(s.clone()).await;
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

async fn commune(s: &dyn Store) -> UnitId {
    s.unit_at(&OrgCode::parse("23479").unwrap(), d("2025-08-01"))
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn other_commune(s: &dyn Store) -> UnitId {
    let c = commune(s).await;
    let parent = s.ancestors(c, d("2025-08-01")).await.unwrap()[0].id;
    s.children(parent, d("2025-08-01"))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id != c)
        .unwrap()
        .id
}

fn person(id: i64, name: &str, sex: Sex, birth: &str, c: UnitId, household: Option<i64>) -> Person {
    Person {
        id,
        full_name: name.into(),
        sex,
        birth_date: d(birth),
        ethnicity: "Kinh".into(),
        national_id: None,
        household,
        commune: c,
        village: "Thôn 2".into(),
        registered_on: d("2024-01-01").max(d(birth)),
        ehr_opened_on: Some(d("2024-02-01").max(d(birth))),
        death: None,
    }
}

fn ev(id: i64, person: i64, date: &str, unit: UnitId, kind: EventKind) -> Event {
    Event {
        id,
        person,
        date: d(date),
        unit,
        kind,
        flags: vec![],
    }
}

fn family(c: UnitId) -> RegisterBatch {
    let mut baby = person(-2, "Trần Minh Khôi", Sex::Male, "2025-03-04", c, Some(-1));
    baby.national_id = Some("051225000123".into());
    RegisterBatch {
        households: vec![Household {
            id: -1,
            commune: c,
            village: "Thôn 2".into(),
            address: "12 đường Lê Lợi".into(),
            number: "HGĐ-017".into(),
        }],
        persons: vec![
            person(
                -1,
                "Nguyễn Thị Hồng Nhung",
                Sex::Female,
                "1996-08-15",
                c,
                Some(-1),
            ),
            baby,
        ],
        cards: vec![InsuranceCard {
            id: -1,
            person: -1,
            number: "GD4511234567890".into(),
            valid_from: d("2025-01-01"),
            valid_to: d("2025-12-31"),
        }],
        history: vec![HistoryItem {
            id: -1,
            person: -1,
            kind: HistoryKind::Allergy,
            text: "Dị ứng penicillin".into(),
            noted_on: d("2024-05-01"),
        }],
        events: vec![
            ev(
                -1,
                -1,
                "2024-07-01",
                c,
                EventKind::Pregnancy {
                    expected: d("2025-03-10"),
                    ended: Some(d("2025-03-04")),
                    outcome: Some(PregnancyOutcome::LiveBirth),
                    screened: true,
                },
            ),
            ev(
                -2,
                -1,
                "2024-09-01",
                c,
                EventKind::AntenatalVisit { pregnancy: -1 },
            ),
            ev(
                -3,
                -2,
                "2025-03-04",
                c,
                EventKind::Birth {
                    weight_g: Some(3200.0),
                    screened: true,
                    mother: Some(-1),
                    place: Some(BirthPlace::Home),
                },
            ),
            ev(
                -4,
                -2,
                "2025-05-05",
                c,
                EventKind::Measurement {
                    weight_kg: Some(6.1),
                    height_cm: Some(61.5),
                    lying: true,
                },
            ),
            ev(
                -5,
                -2,
                "2025-05-06",
                c,
                EventKind::Immunization {
                    vaccine: "penta".into(),
                    dose: 1,
                },
            ),
        ],
        ..RegisterBatch::default()
    }
}

async fn a_batch_with_placeholders_comes_back_whole(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let map = ytcs_store::raw::writes(&*s)
        .write_registers(&family(c), "lan")
        .await
        .unwrap();
    let mother = map.persons[&-1];
    let baby = map.persons[&-2];
    assert!(mother > 0 && baby > 0 && mother != baby);
    let r = s.person_record(mother).await.unwrap().unwrap();
    assert_eq!(r.person.full_name, "Nguyễn Thị Hồng Nhung");
    assert_eq!(r.household.as_ref().unwrap().number, "HGĐ-017");
    assert_eq!(r.cards[0].number, "GD4511234567890");
    assert_eq!(r.history[0].kind, HistoryKind::Allergy);
    assert_eq!(r.events.len(), 2);
    let pregnancy = map.events[&-1];
    assert!(
        matches!(r.events[1].kind, EventKind::AntenatalVisit { pregnancy: p } if p == pregnancy)
    );
    let b = s.person_record(baby).await.unwrap().unwrap();
    assert!(matches!(b.events[0].kind, EventKind::Birth { mother: Some(m), .. } if m == mother));
    let births = s.births_to(mother).await.unwrap();
    assert_eq!(births.len(), 1);
    assert_eq!(births[0].1.id, baby);
    assert!(matches!(
        births[0].0.kind,
        EventKind::Birth {
            place: Some(BirthPlace::Home),
            ..
        }
    ));
    assert!(s.births_to(baby).await.unwrap().is_empty());
    assert!(
        matches!(b.events[1].kind, EventKind::Measurement { weight_kg: Some(w), .. } if (w - 6.1).abs() < 1e-9)
    );
    assert_eq!(b.person.national_id.as_deref(), Some("051225000123"));

    // Update the mother (death), replace an event, delete another.
    let mut m = r.person.clone();
    m.death = Some(Death {
        date: d("2026-01-02"),
        cause: Some("I21".into()),
    });
    let mut visit = r.events[1].clone();
    visit.date = d("2024-10-01");
    let measurement = b.events[1].id;
    ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                persons: vec![m],
                events: vec![visit],
                delete_events: vec![measurement],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await
        .unwrap();
    let r = s.person_record(mother).await.unwrap().unwrap();
    assert_eq!(
        r.person.death.as_ref().unwrap().cause.as_deref(),
        Some("I21")
    );
    assert_eq!(r.events[1].date, d("2024-10-01"));
    assert_eq!(
        s.person_record(baby).await.unwrap().unwrap().events.len(),
        2
    );
    assert_eq!(s.register_counts().await.unwrap(), (2, 4));
    let exams = s
        .register_events(&[c], "immunization", d("2025-01-01"), d("2025-12-31"))
        .await
        .unwrap();
    assert_eq!(exams.len(), 1);
    assert_eq!(exams[0].1.id, baby);
}

async fn a_bad_batch_writes_nothing(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    // The last event refers to a person that is neither stored nor new.
    let mut b = family(c);
    b.events
        .push(ev(-9, -77, "2025-05-05", c, EventKind::ElderlyCheck));
    assert!(ytcs_store::raw::writes(&*s)
        .write_registers(&b, "lan")
        .await
        .is_err());
    assert_eq!(s.register_counts().await.unwrap(), (0, 0));
    assert!(s.households(c).await.unwrap().is_empty());
    // A national id registered twice is refused by the database.
    ytcs_store::raw::writes(&*s)
        .write_registers(&family(c), "lan")
        .await
        .unwrap();
    let err = ytcs_store::raw::writes(&*s)
        .write_registers(&family(c), "lan")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("national_id"), "{err}");
    assert_eq!(s.register_counts().await.unwrap(), (2, 5));
}

async fn search_finds_names_with_or_without_diacritics(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    ytcs_store::raw::writes(&*s)
        .write_registers(&family(c), "lan")
        .await
        .unwrap();
    let q = |name: &str| PersonQuery {
        communes: Some(vec![c]),
        name: Some(name.into()),
        limit: 20,
        ..PersonQuery::default()
    };
    for name in [
        "nhung",
        "Nguyễn Nhung",
        "NGUYEN THI HONG",
        "hồng nhung",
        "ng th h nh",
    ] {
        let found = s.search_persons(&q(name)).await.unwrap();
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0].full_name, "Nguyễn Thị Hồng Nhung");
    }
    assert!(s.search_persons(&q("nhung khoi")).await.unwrap().is_empty());
    // Words are matched from their beginning.
    assert!(s.search_persons(&q("hung")).await.unwrap().is_empty());
    let by_year = s
        .search_persons(&PersonQuery {
            communes: Some(vec![c]),
            birth_year: Some(2025),
            limit: 20,
            ..PersonQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_year.len(), 1);
    assert_eq!(by_year[0].full_name, "Trần Minh Khôi");
    let by_household = s
        .search_persons(&PersonQuery {
            communes: Some(vec![c]),
            household_number: Some("HGĐ-017".into()),
            limit: 20,
            ..PersonQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_household.len(), 2);
    let elsewhere = other_commune(s.as_ref()).await;
    let none = s
        .search_persons(&PersonQuery {
            communes: Some(vec![elsewhere]),
            name: Some("nhung".into()),
            limit: 20,
            ..PersonQuery::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn the_derivations_read_includes_those_who_moved_away(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let other = other_commune(s.as_ref()).await;
    let map = ytcs_store::raw::writes(&*s)
        .write_registers(&family(c), "lan")
        .await
        .unwrap();
    let mother = map.persons[&-1];
    let mut p = s.person_record(mother).await.unwrap().unwrap().person;
    p.commune = other;
    ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                persons: vec![p],
                moves: vec![moved(mother, c, other)],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await
        .unwrap();
    let here = s.registers(Some(&[c])).await.unwrap();
    assert_eq!(here.persons.len(), 2, "the mother lived here");
    assert_eq!(here.moves.len(), 1);
    assert_eq!(here.events.len(), 5);
    assert!(here.events.windows(2).all(|w| w[0].person <= w[1].person));
    let there = s.registers(Some(&[other])).await.unwrap();
    assert_eq!(there.persons.len(), 1);
    assert_eq!(there.events.len(), 2);
    assert_eq!(there.cards.len(), 1);
    assert_eq!(s.registers(None).await.unwrap().persons.len(), 2);
}

/// The family with explicit ids, as a generator loads them.
fn family_with_ids(c: UnitId) -> RegisterBatch {
    let mut b = family(c);
    b.households[0].id = 10;
    for p in &mut b.persons {
        p.id = -p.id + 100;
        p.household = Some(10);
    }
    b.cards[0].id = 5;
    b.cards[0].person = 101;
    b.history[0].id = 5;
    b.history[0].person = 101;
    for e in &mut b.events {
        e.id = -e.id + 1000;
        e.person = -e.person + 100;
        match &mut e.kind {
            EventKind::AntenatalVisit { pregnancy } => *pregnancy = 1001,
            EventKind::Birth { mother, .. } => *mother = Some(101),
            _ => {}
        }
    }
    b
}

async fn bulk_load_equals_a_batch_and_marks_round_trip(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let mut b = family_with_ids(c);
    // Numbers that need every digit, texts that need escaping.
    b.events[3].kind = EventKind::Measurement {
        weight_kg: Some(0.1 + 6.2),
        height_cm: Some(61.000000000000014),
        lying: true,
    };
    b.persons[0].full_name = "Nguyễn Thị \"Nhung\" \\ Hồng".into();
    // COPY's separators inside a text (PostgreSQL loads by COPY).
    b.persons[1].village = "Thôn\t3\nXóm \\N".into();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    let back = s.person_registers(&[101, 102]).await.unwrap();
    let mut events = b.events.clone();
    events.sort_by_key(|e| (e.person, e.date, e.id));
    assert_eq!(back.events, events);
    assert_eq!(back.persons, b.persons);
    assert_eq!(back.cards, b.cards);
    // The indexes dropped for the load are back: a citizen number is
    // still unique, a name still found.
    let mut twin = person(-1, "Lê Văn Chín", Sex::Male, "1990-01-01", c, None);
    twin.national_id = Some("051225000123".into());
    let err = ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                persons: vec![twin],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await;
    assert!(err.is_err(), "a second person with one citizen number");
    let found = s
        .search_persons(&PersonQuery {
            communes: Some(vec![c]),
            name: Some("Khoi".into()),
            limit: 10,
            ..PersonQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let r = s.person_record(101).await.unwrap().unwrap();
    assert_eq!(r.events.len(), 2);
    assert!(matches!(
        r.events[1].kind,
        EventKind::AntenatalVisit { pregnancy: 1001 }
    ));
    // New rows after a bulk load get fresh ids.
    let map = ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                persons: vec![person(
                    -1,
                    "Lê Văn Tám",
                    Sex::Male,
                    "1950-01-01",
                    c,
                    Some(10),
                )],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await
        .unwrap();
    assert!(map.persons[&-1] > 102);
    let marks = [DerivationMark {
        commune: c,
        from_year: 2021,
        through: Period::Month(2026, 11),
    }];
    s.set_derivation_marks(&marks).await.unwrap();
    s.set_derivation_marks(&marks).await.unwrap();
    assert_eq!(s.derivation_marks().await.unwrap(), marks);
}

async fn the_packed_read_equals_the_records_read_one_by_one(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let other = other_commune(s.as_ref()).await;
    let mut b = family(c);
    // Texts a JSON packing must escape, numbers that need every digit.
    b.persons[0].full_name = "Nguyễn Thị \"Nhung\" \\ Hồng".into();
    b.persons[0].death = Some(Death {
        date: d("2026-01-02"),
        cause: Some("I21 — nhồi máu cơ tim\ttab".into()),
    });
    b.events[3].kind = EventKind::Measurement {
        weight_kg: Some(0.1 + 6.2),
        height_cm: Some(61.000000000000014),
        lying: false,
    };
    b.events.push(ev(
        -6,
        -2,
        "2025-06-01",
        c,
        EventKind::Measurement {
            weight_kg: None,
            height_cm: Some(1.0 / 3.0 + 60.0),
            lying: true,
        },
    ));
    let map = ytcs_store::raw::writes(&*s)
        .write_registers(&b, "lan")
        .await
        .unwrap();
    let mother = map.persons[&-1];
    ytcs_store::raw::writes(&*s)
        .write_registers(
            &RegisterBatch {
                moves: vec![moved(mother, c, other)],
                ..RegisterBatch::default()
            },
            "lan",
        )
        .await
        .unwrap();
    let ids: Vec<i64> = map.persons.values().copied().collect();
    let one_by_one = s.person_registers(&ids).await.unwrap();
    for packed in [
        s.registers(None).await.unwrap(),
        s.registers(Some(&[c])).await.unwrap(),
    ] {
        assert_eq!(packed.persons, one_by_one.persons);
        assert_eq!(packed.events, one_by_one.events);
        assert_eq!(packed.moves, one_by_one.moves);
        assert_eq!(packed.cards, one_by_one.cards);
    }
    let m = one_by_one
        .events
        .iter()
        .find_map(|e| match e.kind {
            EventKind::Measurement { weight_kg, .. } if e.date == d("2025-05-05") => weight_kg,
            _ => None,
        })
        .unwrap();
    assert_eq!(m.to_bits(), (0.1f64 + 6.2).to_bits());
    assert!(one_by_one.persons.iter().any(|p| p.full_name.contains('"')));
}

/// `person`'s move from `from` to `to` on 1 September 2025.
fn moved(person: i64, from: UnitId, to: UnitId) -> Move {
    Move {
        id: -1,
        person,
        date: d("2025-09-01"),
        from: Some(from),
        to: Some(to),
    }
}

async fn a_bulk_load_that_fails_at_its_last_table_writes_nothing(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let mut b = family_with_ids(c);
    // The last event names nobody: the events go in last.
    let last = b.events.len() - 1;
    b.events[last].person = 999_999;
    let e = ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap_err();
    assert!(!e.to_string().is_empty());
    assert_eq!(
        s.register_counts().await.unwrap(),
        (0, 0),
        "nothing was written"
    );
    // The indexes are all there: the same batch, corrected, loads, and a
    // name is found.
    b.events[last].person = 101;
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    let found = s
        .search_persons(&ytcs_store::registers::PersonQuery {
            name: Some(b.persons[0].full_name.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

async fn the_derivations_read_is_the_records_without_their_names(s: Arc<dyn Store>) {
    let c = commune(s.as_ref()).await;
    let b = family_with_ids(c);
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    let full = s.registers(Some(&[c])).await.unwrap();
    let read = s.derivation_registers(Some(&[c])).await.unwrap();
    assert_eq!(read.persons.len(), full.persons.len());
    assert!(!full.persons[0].full_name.is_empty());
    let blank = |r: ytcs_core::register::derive::Registers, blank_names: bool| {
        if blank_names {
            nameless(r)
        } else {
            r
        }
    };
    // SQLite leaves the names out; PostgreSQL reads them all.
    let names_left_out = read.persons[0].full_name.is_empty();
    let read = blank(read, names_left_out);
    let full = blank(full, names_left_out);
    assert_eq!(read.persons, full.persons);
    assert_eq!(read.cards, full.cards);
    assert_eq!(read.events, full.events);
    assert_eq!(read.moves, full.moves);
}

/// Batches of a family each, with fresh ids, without end; each after a
/// short wait (a generator at work).
struct Endless {
    commune: UnitId,
    k: i64,
    batch: RegisterBatch,
}

impl ytcs_store::registers::BatchSource for Endless {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, ytcs_store::StoreError> {
        std::thread::sleep(std::time::Duration::from_millis(5));
        self.k += 1;
        let shift = self.k * 10_000;
        let mut b = family_with_ids(self.commune);
        for h in &mut b.households {
            h.id += shift;
        }
        for p in &mut b.persons {
            p.id += shift;
            p.household = p.household.map(|h| h + shift);
            p.national_id = None;
        }
        for c in &mut b.cards {
            c.id += shift;
            c.person += shift;
        }
        for h in &mut b.history {
            h.id += shift;
            h.person += shift;
        }
        for e in &mut b.events {
            e.id += shift;
            e.person += shift;
            match &mut e.kind {
                EventKind::AntenatalVisit { pregnancy } => *pregnancy += shift,
                EventKind::Birth {
                    mother: Some(m), ..
                } => *m += shift,
                _ => {}
            }
        }
        self.batch = b;
        Ok(Some(&self.batch))
    }
}

/// Statements on PostgreSQL, for what the store does not show.
async fn pg(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url).await.unwrap()
}

/// A first load into PostgreSQL commits as it goes (several connections
/// at once); one cut off midway (its process killed: here, its future
/// dropped and its connections closed) leaves a mark, and the next
/// connect empties the register and makes its indexes, keys and triggers
/// again — also those its end had already made, when it was cut off
/// while making them (made here by hand, as its end makes them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_first_load_cut_off_midway_is_undone_at_the_next_connect() {
    let fresh = common::Fresh::new(common::Engine::Postgres, true).await;
    let ytcs_store::StoreConfig::Postgres { url } = fresh.config.clone() else {
        unreachable!()
    };
    let s = fresh.store.clone();
    let c = commune(s.as_ref()).await;
    let mut source = Endless {
        commune: c,
        k: 0,
        batch: RegisterBatch::default(),
    };
    // Once rows are committed, another process connects (and leaves the
    // load alone), then the load is cut off.
    let cutter = async {
        for _ in 0..600 {
            if s.register_counts().await.unwrap().0 > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        ytcs_store::open(&ytcs_store::StoreConfig::Postgres { url: url.clone() })
            .await
            .unwrap()
    };
    let second = tokio::select! {
        _ = ytcs_store::raw::writes(&*s).bulk_load_from(&mut source, "generator") => {
            panic!("an endless load ended")
        }
        second = cutter => second,
    };
    drop(second);
    let (persons, _) = s.register_counts().await.unwrap();
    assert!(persons > 0, "the first load commits as it goes");
    let mut conn = pg(&url).await;
    const INDEXES: &str = "SELECT count(*) FROM pg_indexes \
        WHERE indexname IN ('person_event_unit', 'person_commune_name')";
    let indexes: i64 = sqlx::query_scalar(INDEXES)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(indexes, 0, "dropped for the load");
    const PRIMARY: &str = "SELECT count(*) FROM pg_constraint WHERE contype = 'p' \
        AND conrelid::regclass::text IN ('person', 'person_event', 'person_name_token', 'register_digest')";
    let primary: i64 = sqlx::query_scalar(PRIMARY)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(primary, 0, "primary keys too");
    // Part of the load's end: some indexes, a key of its index, a
    // foreign key added unchecked.
    for statement in [
        "CREATE UNIQUE INDEX person_pkey ON person (id)",
        "CREATE INDEX person_event_unit ON person_event (unit_id, kind, on_date)",
        "CREATE UNIQUE INDEX person_event_pkey ON person_event (id)",
        "ALTER TABLE person ADD CONSTRAINT person_pkey PRIMARY KEY USING INDEX person_pkey",
        "ALTER TABLE person_event ADD CONSTRAINT person_event_person_id_fkey \
         FOREIGN KEY (person_id) REFERENCES person(id) NOT VALID",
    ] {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    let marked: bool = sqlx::query_scalar(
        "SELECT obj_description('register_digest'::regclass, 'pg_class') LIKE 'ytcs register load under way: %'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert!(
        marked,
        "the mark stays while the load runs, and after it is cut off"
    );
    // Every connection of the cut-off load closes (as a killed process's).
    drop((s, fresh));
    for _ in 0..300 {
        let others: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        if others == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let s = ytcs_store::open(&ytcs_store::StoreConfig::Postgres { url: url.clone() })
        .await
        .unwrap();
    assert_eq!(
        s.register_counts().await.unwrap(),
        (0, 0),
        "undone at connect"
    );
    let indexes: i64 = sqlx::query_scalar(INDEXES)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(indexes, 2, "the indexes are back");
    let keys: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'person_event'::regclass",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(keys, 2, "the event's keys are back");
    let unchecked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM pg_constraint WHERE NOT convalidated")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(unchecked, 0, "every key checked");
    let primary: i64 = sqlx::query_scalar(PRIMARY)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(primary, 4, "the primary keys are back");
    let off: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'register_digest_%' AND tgenabled = 'D'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(off, 0, "the digest's triggers are on");
    // And a load goes through whole.
    let b = family_with_ids(c);
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    assert_eq!(s.register_counts().await.unwrap().0, b.persons.len() as i64);
}

/// An in-memory SQLite database (no file for `registers_load.rs`) loads
/// through sqlx from `bulk_rows.rs`'s column list: the records come back
/// as loaded, and its indexes are back.
#[tokio::test]
async fn an_in_memory_bulk_load_reads_back_as_loaded() {
    let s: Arc<dyn Store> = Arc::new(ytcs_store::SqliteStore::memory().await.unwrap());
    s.load_admin_units(common::admin()).await.unwrap();
    let c = commune(s.as_ref()).await;
    let mut b = family_with_ids(c);
    b.persons[1].village = "Thôn\t3\nXóm \\N".into();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&b, "generator")
        .await
        .unwrap();
    let ids: Vec<i64> = b.persons.iter().map(|p| p.id).collect();
    let back = s.person_registers(&ids).await.unwrap();
    let mut events = b.events.clone();
    events.sort_by_key(|e| (e.person, e.date, e.id));
    assert_eq!(back.events, events);
    assert_eq!(back.persons, b.persons);
    assert_eq!(back.cards, b.cards);
    let found = s
        .search_persons(&PersonQuery {
            name: Some(b.persons[0].full_name.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "the name index is back");
}
