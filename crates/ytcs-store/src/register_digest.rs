//! The register digest: one person's records as a derivation reads
//! them, packed into one row of `register_digest` (migration 0015; a
//! BLOB on SQLite, `bytea` on PostgreSQL), so that a derivation batch
//! reads a row a person instead of about fourteen event rows, two cards
//! and the person.
//!
//! Why: at 10 M persons a full derivation read 135 M event rows; SQLite's
//! own stepping of them was about 60 s of one core however they were
//! turned into records, against a goal of 60 s for the whole derivation.
//!
//! # Rules
//! - **A digest is a copy, never the truth.** The rows are. A digest
//!   exists only while it equals its rows: the triggers of migration 0015
//!   delete a person's digest on any insert, update or delete of the
//!   person, their moves, cards or events, whoever writes. A person
//!   without a digest is read from the rows ([`crate::registers_read`],
//!   `packed_registers` on PostgreSQL).
//! - **Written with the rows**, in the same transaction: a bulk load
//!   writes each loaded person's digest after the person's rows
//!   (`registers_load.rs` on a SQLite file, by `COPY` on PostgreSQL); a
//!   save writes those of the persons it touched (`write_registers`). A
//!   load into an empty register drops the triggers with its indexes
//!   (SQLite) or turns them off (PostgreSQL) and deletes, itself, the
//!   digests of persons whose rows a later batch adds to. An in-memory
//!   SQLite database's bulk load writes none (its rows are read).
//! - **The same mapping as the rows.** A digest holds each row's stored
//!   columns ([`event_cols`], the columns a derivation reads of the person
//!   and cards: no names, no card number) and is read back through the
//!   functions that read the rows ([`person_from_row`],
//!   [`event_from_fields`] …), so the records read either way are equal.
//!   `rebuild --verify` checks it person by person
//!   (`RegisterStore::checked_derivation_registers`).
//! - **Any bytes** decode to records or to an error naming the person,
//!   never a panic (property test below).
//! - **A new format** raises [`VERSION`] in a migration that empties the
//!   table: a digest of another version is refused as unreadable.
//!
//! # Format (version 1)
//! Integers as LEB128 varints, signed ones zigzagged; dates as days:
//! the birth date from 0001-01-01, the others from the birth date; texts
//! as a length and UTF-8; reals as 8 little-endian bytes (exact).
//! `1, sex, birth, household?, commune, registered_on, ehr_opened_on?,
//! death?`, then the moves (`n`, each: id − previous id, date, from?,
//! to?), the cards (`n`, each: id − previous id, valid_from, valid_to) and
//! the events (`n`, each: id − previous id, date, unit − commune, kind's
//! index, a bit set of the columns present, the columns present). An
//! optional value is a presence byte (0/1) then the value.

use chrono::Datelike;
use ytcs_core::register::derive::Registers;
use ytcs_core::register::{Event, InsuranceCard, Move, Person};
use ytcs_core::Date;

use crate::registers::{
    card_from_row, event_cols, event_from_fields, move_from_row, person_from_row, sex_str,
    EventCols, EventFields,
};
use crate::StoreError;

const VERSION: u8 = 1;

/// Every event kind, by its stored name; a digest holds the index.
const KINDS: [&str; 9] = [
    "immunization",
    "measurement",
    "ncd_enrolment",
    "ncd_follow_up",
    "pregnancy",
    "antenatal_visit",
    "birth",
    "elderly_check",
    "examination",
];

const CODE: u32 = 1;
const DOSE: u32 = 1 << 1;
const V1: u32 = 1 << 2;
const V2: u32 = 1 << 3;
const V3: u32 = 1 << 4;
const FLAG: u32 = 1 << 5;
const REF_ID: u32 = 1 << 6;
const REF_DATE: u32 = 1 << 7;
const END_DATE: u32 = 1 << 8;
const OUTCOME: u32 = 1 << 9;
const FLAGS: u32 = 1 << 10;

/// One person's digest: `moves`, `cards` and `events` are the person's
/// (every one of them, in any order: each is written in the order of its
/// ids, so the same records always give the same bytes, and a digest is
/// checked against its rows by comparing bytes).
pub(crate) fn encode(
    p: &Person,
    moves: &[&Move],
    cards: &[&InsuranceCard],
    events: &[&Event],
) -> Vec<u8> {
    let mut moves = moves.to_vec();
    moves.sort_unstable_by_key(|m| m.id);
    let mut cards = cards.to_vec();
    cards.sort_unstable_by_key(|c| c.id);
    let mut events = events.to_vec();
    events.sort_unstable_by_key(|e| e.id);
    let mut w = Writer(Vec::with_capacity(32 + 16 * events.len()));
    let base = p.birth_date;
    w.0.push(VERSION);
    w.text(sex_str(p.sex));
    w.int(i64::from(base.num_days_from_ce()));
    w.opt(p.household, Writer::int);
    w.int(p.commune.0);
    w.day(base, p.registered_on);
    w.opt(p.ehr_opened_on, |w, d| w.day(base, d));
    w.opt(p.death.as_ref().map(|d| d.date), |w, d| w.day(base, d));
    w.uint(moves.len() as u64);
    let mut prev = 0;
    for m in &moves {
        w.int(m.id.wrapping_sub(prev));
        prev = m.id;
        w.day(base, m.date);
        w.opt(m.from, |w, u| w.int(u.0));
        w.opt(m.to, |w, u| w.int(u.0));
    }
    w.uint(cards.len() as u64);
    let mut prev = 0;
    for c in &cards {
        w.int(c.id.wrapping_sub(prev));
        prev = c.id;
        w.day(base, c.valid_from);
        w.day(base, c.valid_to);
    }
    w.uint(events.len() as u64);
    let mut prev = 0;
    for e in &events {
        w.int(e.id.wrapping_sub(prev));
        prev = e.id;
        w.day(base, e.date);
        w.int(e.unit.0.wrapping_sub(p.commune.0));
        let kind = e.kind.name();
        let k = KINDS
            .iter()
            .position(|n| *n == kind)
            .expect("every kind is in KINDS");
        w.0.push(k as u8);
        let c = event_cols(&e.kind);
        let flags = e.flags.join(",");
        let bits = [
            (CODE, c.code.is_some()),
            (DOSE, c.dose.is_some()),
            (V1, c.v1.is_some()),
            (V2, c.v2.is_some()),
            (V3, c.v3.is_some()),
            (FLAG, c.flag),
            (REF_ID, c.ref_id.is_some()),
            (REF_DATE, c.ref_date.is_some()),
            (END_DATE, c.end_date.is_some()),
            (OUTCOME, c.outcome.is_some()),
            (FLAGS, !flags.is_empty()),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .fold(0, |b, (bit, _)| b | bit);
        w.uint(u64::from(bits));
        if let Some(s) = c.code {
            w.text(s);
        }
        if let Some(d) = c.dose {
            w.int(i64::from(d));
        }
        for v in [c.v1, c.v2, c.v3].into_iter().flatten() {
            w.0.extend_from_slice(&v.to_le_bytes());
        }
        if let Some(r) = c.ref_id {
            w.int(r);
        }
        for d in [c.ref_date, c.end_date].into_iter().flatten() {
            w.day(base, d);
        }
        if let Some(s) = c.outcome {
            w.text(s);
        }
        if !flags.is_empty() {
            w.text(&flags);
        }
    }
    w.0
}

/// Appends the records of `person`'s digest `bytes` to `out`, as
/// [`crate::registers_read`] reads them from the rows without names.
pub(crate) fn decode(person: i64, bytes: &[u8], out: &mut Registers) -> Result<(), StoreError> {
    let mut r = Reader { b: bytes, at: 0 };
    let bad = |what: String| {
        StoreError::Invalid(format!(
            "the register digest of person {person} is unreadable: {what}"
        ))
    };
    decode_in(person, &mut r, out).map_err(bad)?;
    if r.at != bytes.len() {
        return Err(bad(format!("{} bytes left over", bytes.len() - r.at)));
    }
    Ok(())
}

fn decode_in(person: i64, r: &mut Reader<'_>, out: &mut Registers) -> Result<(), String> {
    let version = r.byte()?;
    if version != VERSION {
        return Err(format!("version {version}, not {VERSION}"));
    }
    let sex = r.text()?.to_string();
    let base = i32::try_from(r.int()?)
        .ok()
        .and_then(Date::from_num_days_from_ce_opt)
        .ok_or("a birth date out of range")?;
    let household = r.opt(Reader::int)?;
    let commune = r.int()?;
    let registered_on = r.day(base)?;
    let ehr_opened_on = r.opt(|r| r.day(base))?;
    let death_date = r.opt(|r| r.day(base))?;
    let p = person_from_row((
        person,
        String::new(),
        sex,
        base,
        String::new(),
        None,
        household,
        commune,
        String::new(),
        registered_on,
        ehr_opened_on,
        death_date,
        None,
    ))
    .map_err(|e| e.to_string())?;
    out.persons.push(p);
    let n = r.count()?;
    let mut id = 0i64;
    for _ in 0..n {
        id = id.wrapping_add(r.int()?);
        let date = r.day(base)?;
        let from = r.opt(Reader::int)?;
        let to = r.opt(Reader::int)?;
        out.moves.push(move_from_row((id, person, date, from, to)));
    }
    let n = r.count()?;
    let mut id = 0i64;
    for _ in 0..n {
        id = id.wrapping_add(r.int()?);
        let from = r.day(base)?;
        let to = r.day(base)?;
        out.cards
            .push(card_from_row((id, person, String::new(), from, to)));
    }
    let n = r.count()?;
    out.events.reserve(n);
    let mut id = 0i64;
    for _ in 0..n {
        id = id.wrapping_add(r.int()?);
        let date = r.day(base)?;
        let unit = commune.wrapping_add(r.int()?);
        let kind = *KINDS
            .get(usize::from(r.byte()?))
            .ok_or("an unknown event kind")?;
        let bits = u32::try_from(r.uint()?).map_err(|_| "a bit set out of range")?;
        let on = |bit: u32| bits & bit != 0;
        let code = if on(CODE) { Some(r.text()?) } else { None };
        let dose = if on(DOSE) {
            Some(i32::try_from(r.int()?).map_err(|_| "a dose out of range")?)
        } else {
            None
        };
        let mut real = |bit: u32| {
            if on(bit) {
                r.real().map(Some)
            } else {
                Ok(None)
            }
        };
        let (v1, v2, v3) = (real(V1)?, real(V2)?, real(V3)?);
        let ref_id = if on(REF_ID) { Some(r.int()?) } else { None };
        let ref_date = if on(REF_DATE) {
            Some(r.day(base)?)
        } else {
            None
        };
        let end_date = if on(END_DATE) {
            Some(r.day(base)?)
        } else {
            None
        };
        let outcome = if on(OUTCOME) { Some(r.text()?) } else { None };
        let flags = if on(FLAGS) { r.text()? } else { "" };
        let e = event_from_fields(EventFields {
            id,
            person,
            date,
            unit,
            kind,
            flags,
            cols: EventCols {
                code,
                dose,
                v1,
                v2,
                v3,
                flag: on(FLAG),
                ref_id,
                ref_date,
                end_date,
                outcome,
            },
        })
        .map_err(|e| e.to_string())?;
        out.events.push(e);
    }
    Ok(())
}

struct Writer(Vec<u8>);

impl Writer {
    fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    fn day(&mut self, base: Date, d: Date) {
        self.int((d - base).num_days());
    }
    fn text(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt<T>(&mut self, v: Option<T>, put: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                put(self, v);
            }
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.b.get(self.at).ok_or("cut short")?;
        self.at += 1;
        Ok(b)
    }
    fn uint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a number too long".into())
    }
    fn int(&mut self) -> Result<i64, String> {
        let u = self.uint()?;
        Ok((u >> 1) as i64 ^ -((u & 1) as i64))
    }
    /// A count of items, each at least a byte: no more than bytes left.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.uint()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.b.len() - self.at)
            .ok_or_else(|| format!("a count of {n} past the end"))
    }
    fn day(&mut self, base: Date) -> Result<Date, String> {
        let days = self.int()?;
        chrono::TimeDelta::try_days(days)
            .and_then(|d| base.checked_add_signed(d))
            .ok_or_else(|| "a date out of range".into())
    }
    fn text(&mut self) -> Result<&'a str, String> {
        let n = self.count()?;
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        std::str::from_utf8(s).map_err(|_| "a text not in UTF-8".into())
    }
    fn real(&mut self) -> Result<f64, String> {
        let s = self.b.get(self.at..self.at + 8).ok_or("cut short")?;
        self.at += 8;
        Ok(f64::from_le_bytes(s.try_into().expect("eight bytes")))
    }
    fn opt<T>(
        &mut self,
        get: impl FnOnce(&mut Self) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        match self.byte()? {
            0 => Ok(None),
            1 => get(self).map(Some),
            b => Err(format!("a presence byte of {b}")),
        }
    }
}

/// The digests of a loaded batch's persons, by person, and the persons
/// of earlier batches whose records the batch adds to (their digests are
/// no longer current), in order.
pub(crate) fn of_batch(b: &crate::registers::RegisterBatch) -> (Vec<(i64, Vec<u8>)>, Vec<i64>) {
    let mut digests: Vec<(i64, Vec<u8>)> = by_person(&b.persons, &b.moves, &b.cards, &b.events)
        .into_iter()
        .map(|(p, m, c, e)| (p.id, encode(p, &m, &c, &e)))
        .collect();
    digests.sort_unstable_by_key(|d| d.0);
    let own: std::collections::HashSet<i64> = b.persons.iter().map(|p| p.id).collect();
    let mut others: Vec<i64> = (b.moves.iter().map(|m| m.person))
        .chain(b.cards.iter().map(|c| c.person))
        .chain(b.events.iter().map(|e| e.person))
        .filter(|p| !own.contains(p))
        .collect();
    others.sort_unstable();
    others.dedup();
    (digests, others)
}

/// The persons of `digests` (person, digest) whose digest is not the
/// digest of their records in `rows` (bytes compared: a digest's bytes are
/// canonical, see [`encode`]), in the order given.
pub(crate) fn stale(rows: &Registers, digests: &[(i64, Vec<u8>)]) -> Vec<i64> {
    let records: std::collections::HashMap<i64, PersonRecords<'_>> =
        by_person(&rows.persons, &rows.moves, &rows.cards, &rows.events)
            .into_iter()
            .map(|r| (r.0.id, r))
            .collect();
    digests
        .iter()
        .filter(|(person, bytes)| {
            records
                .get(person)
                .is_none_or(|(p, m, c, e)| encode(p, m, c, e) != *bytes)
        })
        .map(|(person, _)| *person)
        .collect()
}

/// A person and their moves, cards and events.
pub(crate) type PersonRecords<'a> = (
    &'a Person,
    Vec<&'a Move>,
    Vec<&'a InsuranceCard>,
    Vec<&'a Event>,
);

/// Every person's records of `r` grouped by person, for [`encode`]:
/// `(person, moves, cards, events)`, persons in the order given.
pub(crate) fn by_person<'a>(
    persons: &'a [Person],
    moves: &'a [Move],
    cards: &'a [InsuranceCard],
    events: &'a [Event],
) -> Vec<PersonRecords<'a>> {
    use std::collections::HashMap;
    let at: HashMap<i64, usize> = persons.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    let mut out: Vec<_> = persons
        .iter()
        .map(|p| (p, vec![], vec![], vec![]))
        .collect();
    for m in moves {
        if let Some(&i) = at.get(&m.person) {
            out[i].1.push(m);
        }
    }
    for c in cards {
        if let Some(&i) = at.get(&c.person) {
            out[i].2.push(c);
        }
    }
    for e in events {
        if let Some(&i) = at.get(&e.person) {
            out[i].3.push(e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ytcs_core::network::Sex;
    use ytcs_core::org::UnitId;
    use ytcs_core::register::{BirthPlace, Death, EventKind, Ncd, PregnancyOutcome};

    fn date() -> impl Strategy<Value = Date> {
        (-200_000i32..1_200_000).prop_map(|n| Date::from_num_days_from_ce_opt(n).unwrap())
    }

    fn real() -> impl Strategy<Value = Option<f64>> {
        proptest::option::of(proptest::num::f64::NORMAL | proptest::num::f64::ZERO)
    }

    fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
        proptest::sample::select(all)
    }

    fn kind() -> impl Strategy<Value = EventKind> {
        prop_oneof![
            ("[A-Za-z0-9]{1,8}", 1u8..=255)
                .prop_map(|(vaccine, dose)| EventKind::Immunization { vaccine, dose }),
            (real(), real(), any::<bool>()).prop_map(|(weight_kg, height_cm, lying)| {
                EventKind::Measurement {
                    weight_kg,
                    height_cm,
                    lying,
                }
            }),
            pick(Ncd::ALL).prop_map(|ncd| EventKind::NcdEnrolment { ncd }),
            (pick(Ncd::ALL), real(), real(), real()).prop_map(
                |(ncd, systolic, diastolic, glucose)| {
                    EventKind::NcdFollowUp {
                        ncd,
                        systolic,
                        diastolic,
                        glucose,
                    }
                }
            ),
            (
                date(),
                proptest::option::of(date()),
                proptest::option::of(pick(PregnancyOutcome::ALL)),
                any::<bool>()
            )
                .prop_map(|(expected, ended, outcome, screened)| {
                    EventKind::Pregnancy {
                        expected,
                        ended,
                        outcome,
                        screened,
                    }
                }),
            any::<i64>().prop_map(|pregnancy| EventKind::AntenatalVisit { pregnancy }),
            (
                real(),
                any::<bool>(),
                proptest::option::of(any::<i64>()),
                proptest::option::of(pick(BirthPlace::ALL))
            )
                .prop_map(|(weight_g, screened, mother, place)| EventKind::Birth {
                    weight_g,
                    screened,
                    mother,
                    place
                }),
            Just(EventKind::ElderlyCheck),
            ("\\PC{0,12}", any::<bool>())
                .prop_map(|(icd10, insured)| EventKind::Examination { icd10, insured }),
        ]
    }

    prop_compose! {
        fn records()(
            id in any::<i64>(),
            sex in pick(Sex::ALL),
            birth in date(),
            household in proptest::option::of(any::<i64>()),
            commune in any::<i64>(),
            registered in date(),
            ehr in proptest::option::of(date()),
            death in proptest::option::of(date()),
            moves in proptest::collection::vec((any::<i64>(), date(), proptest::option::of(any::<i64>()), proptest::option::of(any::<i64>())), 0..4),
            cards in proptest::collection::vec((any::<i64>(), date(), date()), 0..4),
            events in proptest::collection::vec((any::<i64>(), date(), any::<i64>(), kind(), proptest::collection::vec("[a-z]{1,4}", 0..3)), 0..12),
        ) -> (Person, Vec<Move>, Vec<InsuranceCard>, Vec<Event>) {
            let person = Person {
                id,
                full_name: String::new(),
                sex,
                birth_date: birth,
                ethnicity: String::new(),
                national_id: None,
                household,
                commune: UnitId(commune),
                village: String::new(),
                registered_on: registered,
                ehr_opened_on: ehr,
                death: death.map(|date| Death { date, cause: None }),
            };
            let moves = moves.into_iter().map(|(mid, date, from, to)| Move {
                id: mid, person: id, date, from: from.map(UnitId), to: to.map(UnitId),
            }).collect();
            let cards = cards.into_iter().map(|(cid, valid_from, valid_to)| InsuranceCard {
                id: cid, person: id, number: String::new(), valid_from, valid_to,
            }).collect();
            let events = events.into_iter().map(|(eid, date, unit, kind, flags)| Event {
                id: eid, person: id, date, unit: UnitId(unit), kind, flags,
            }).collect();
            (person, moves, cards, events)
        }
    }

    fn packed(p: &Person, m: &[Move], c: &[InsuranceCard], e: &[Event]) -> Vec<u8> {
        let m: Vec<&Move> = m.iter().collect();
        let c: Vec<&InsuranceCard> = c.iter().collect();
        let e: Vec<&Event> = e.iter().collect();
        encode(p, &m, &c, &e)
    }

    proptest! {
        /// A person's records read back from their digest as written
        /// (those a derivation reads: no names, no card number).
        #[test]
        fn records_read_back_as_written((p, m, c, e) in records()) {
            let bytes = packed(&p, &m, &c, &e);
            let mut out = Registers::default();
            decode(p.id, &bytes, &mut out).unwrap();
            prop_assert_eq!(out.persons, vec![p]);
            let (mut m, mut c, mut e) = (m, c, e);
            m.sort_by_key(|x| x.id);
            c.sort_by_key(|x| x.id);
            e.sort_by_key(|x| x.id);
            prop_assert_eq!(out.moves, m);
            prop_assert_eq!(out.cards, c);
            prop_assert_eq!(out.events, e);
        }

        /// Any bytes, and any digest cut short or with a byte changed:
        /// records or an error naming the person, never a panic.
        #[test]
        fn any_bytes_decode_or_are_named(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut out = Registers::default();
            if let Err(e) = decode(7, &bytes, &mut out) {
                prop_assert!(e.to_string().contains("person 7"), "{}", e);
            }
        }

        #[test]
        fn damaged_digests_decode_or_are_named((p, m, c, e) in records(), cut in any::<prop::sample::Index>(), flip in any::<u8>()) {
            let mut bytes = packed(&p, &m, &c, &e);
            let i = cut.index(bytes.len());
            let mut out = Registers::default();
            let _ = decode(p.id, &bytes[..i], &mut out);
            bytes[i] ^= flip;
            let _ = decode(p.id, &bytes, &mut out);
        }
    }

    #[test]
    fn a_digest_cut_short_is_refused() {
        let p = Person {
            id: 1,
            full_name: String::new(),
            sex: Sex::ALL[0],
            birth_date: Date::from_ymd_opt(2020, 1, 1).unwrap(),
            ethnicity: String::new(),
            national_id: None,
            household: None,
            commune: UnitId(5),
            village: String::new(),
            registered_on: Date::from_ymd_opt(2020, 1, 1).unwrap(),
            ehr_opened_on: None,
            death: None,
        };
        let bytes = packed(&p, &[], &[], &[]);
        let mut out = Registers::default();
        let e = decode(1, &bytes[..bytes.len() - 1], &mut out)
            .unwrap_err()
            .to_string();
        assert!(e.contains("person 1") && e.contains("cut short"), "{e}");
        let mut longer = bytes.clone();
        longer.push(0);
        let e = decode(1, &longer, &mut out).unwrap_err().to_string();
        assert!(e.contains("left over"), "{e}");
    }
}
