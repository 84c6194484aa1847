//! Storage of the commune station's registers (migrations 0008, 0009): households,
//! persons, moves, insurance cards, health history and events, and where
//! each commune's derived values stand. The rules are in
//! `ytcs_core::register`; the derivation in `ytcs_core::register::derive`
//! and `ytcs-engine::registers`.
//!
//! **Writes are batches, all or nothing.** A [`RegisterBatch`] holds rows
//! to insert or replace; a row whose id is negative is new, and other rows
//! of the batch may refer to it by that placeholder (an event on a person
//! created in the same batch, an antenatal visit of a new pregnancy). The
//! store assigns ids and returns the mapping ([`IdMap`]). [`crate::raw::RawRegisterWrites::bulk_load`]
//! is the fast path for the generator: explicit positive ids, an empty
//! register, many rows bound to one `INSERT` on SQLite
//! (`registers_load.rs`), sent by binary `COPY` on PostgreSQL
//! (`pg_bulk.rs`). [`RegisterStore::registers`], the derivation's read,
//! has the database pack each group of persons' rows into one JSON text
//! ([`Packing`]).
//!
//! [`RegisterStore`] also answers a name search by word prefix, on an
//! index of folded name words (`person_name_token`); the reads a
//! derivation needs (`registers`, `person_registers`, and
//! `register_communes`: each commune's persons counted, none read); the
//! printable registers' rows (`register_events`, over a commune and those
//! it holds); a mother's births (`births_to`, migration 0009); and each
//! commune's [`DerivationMark`]. Record writes are not on it: they are
//! `crate::raw`'s, for `ytcs-engine::registers` and the generators.
//!
//! **Register rows move in bulk as JSON.** The derivation's read has the
//! database pack each group of 1,024 persons' rows into one JSON text
//! (`json_group_array` / `json_agg`; floating-point numbers as text with
//! 17 digits, so they read back the same number), parsed with serde: sqlx
//! decoding 2.8 M event rows one at a time took 35 s of a 40 s batch (now
//! 4 s). Grouping by person instead (SQLite reads the filtered rows in
//! person order, so no sort) made 214,000 texts a batch and the 1 M
//! verify slower, 62.9 s against 50.4 s. PostgreSQL reads with 256 MB of
//! `work_mem` for the read's transaction (18.0 s with the default 4 MB,
//! now 8.1 s). A bulk load into a SQLite file binds
//! each row's fields to `INSERT … VALUES` statements of many rows
//! (`registers_load.rs`, its own hot loop); PostgreSQL and an in-memory
//! SQLite take them from one column list (`bulk_rows.rs`), PostgreSQL by
//! binary `COPY`, encoding the next batch while the server takes the
//! last (`pg_bulk.rs`). Into an empty
//! register it drops the tables' secondary indexes and creates them again
//! before it commits (each sorted once, not filled by millions of random
//! inserts: 1 M persons from 261–318 s to 205 s; a 512 MB page cache for
//! the load changed nothing). `tests/registers_suite.rs` checks both
//! against the row-by-row reads on both engines, and that the indexes are
//! back.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::Utc;
use serde::Serialize;
use ytcs_core::network::Sex;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::register::derive::Registers;
use ytcs_core::register::{
    BirthPlace, Death, Event, EventKind, HistoryItem, HistoryKind, Household, InsuranceCard, Move,
    Ncd, Person, PregnancyOutcome,
};
use ytcs_core::Date;

use crate::bulk_rows::{self, BulkTable, Field, Stamp};
use crate::registers_read::Reading;
use crate::StoreError;

/// Rows to write in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterBatch {
    /// Households.
    pub households: Vec<Household>,
    /// Persons.
    pub persons: Vec<Person>,
    /// Moves.
    pub moves: Vec<Move>,
    /// Cards.
    pub cards: Vec<InsuranceCard>,
    /// History lines.
    pub history: Vec<HistoryItem>,
    /// Events.
    pub events: Vec<Event>,
    /// Events to delete, by id.
    pub delete_events: Vec<i64>,
}

impl RegisterBatch {
    /// Whether the batch writes nothing.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
            && self.persons.is_empty()
            && self.moves.is_empty()
            && self.cards.is_empty()
            && self.history.is_empty()
            && self.events.is_empty()
            && self.delete_events.is_empty()
    }
}

/// Register records handed to a bulk load one batch at a time
/// ([`crate::raw::RawRegisterWrites::bulk_load_from`]): the source holds
/// the batch it hands over and makes the next when asked, so a load of
/// millions of persons never holds them all.
pub trait BatchSource: Send {
    /// The next batch, `None` after the last. An error ends the load;
    /// nothing is written.
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError>;
}

/// One batch.
impl BatchSource for Option<&RegisterBatch> {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError> {
        Ok(self.take())
    }
}

/// Placeholder (negative) ids of a batch and the ids the store gave them,
/// per table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdMap {
    /// Households.
    pub households: HashMap<i64, i64>,
    /// Persons.
    pub persons: HashMap<i64, i64>,
    /// Events.
    pub events: HashMap<i64, i64>,
}

/// Which persons to find.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonQuery {
    /// Only persons living in these communes now (`None`: anywhere).
    pub communes: Option<Vec<UnitId>>,
    /// Words of the name, with or without diacritics; each must occur.
    pub name: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Household id.
    pub household: Option<i64>,
    /// Household number in the commune's register.
    pub household_number: Option<String>,
    /// At most this many (newest registration first after name order).
    pub limit: i64,
}

/// A person with everything recorded about them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRecord {
    /// The person.
    pub person: Person,
    /// Their household.
    pub household: Option<Household>,
    /// Moves, oldest first.
    pub moves: Vec<Move>,
    /// Cards, oldest first.
    pub cards: Vec<InsuranceCard>,
    /// History and risk factors.
    pub history: Vec<HistoryItem>,
    /// Events, oldest first.
    pub events: Vec<Event>,
}

/// Where a commune's derived values stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DerivationMark {
    /// The commune.
    pub commune: UnitId,
    /// First year derived.
    pub from_year: i32,
    /// Last month derived.
    pub through: Period,
}

impl DerivationMark {
    /// Whether the value of `element` for `unit` and `period` is derived
    /// from the registers under this mark (the mark's commune, a derived
    /// element, a period inside its window): such a value is written by
    /// the derivation only ([`crate::raw::RawValueWrites::write_derived_values`]).
    pub fn derives(&self, element: &str, unit: UnitId, period: Period) -> bool {
        self.commune == unit
            && period.start() >= Period::Month(self.from_year, 1).start()
            && period.start() <= self.through.end()
            && ytcs_core::register::derive::derived_elements().any(|e| e == element)
    }
}

/// The registers' storage.
#[async_trait]
pub trait RegisterStore: Send + Sync {
    /// One person with their household, moves, cards, history and events.
    async fn person_record(&self, id: i64) -> Result<Option<PersonRecord>, StoreError>;
    /// Persons matching a query, by name.
    async fn search_persons(&self, q: &PersonQuery) -> Result<Vec<Person>, StoreError>;
    /// A household.
    async fn household(&self, id: i64) -> Result<Option<Household>, StoreError>;
    /// The households of a commune, by number.
    async fn households(&self, commune: UnitId) -> Result<Vec<Household>, StoreError>;
    /// The records needed to derive values: every person who lives or
    /// lived in one of `communes` (all persons when `None`), with their
    /// moves, cards and events (events sorted by person, then date).
    async fn registers(&self, communes: Option<&[UnitId]>) -> Result<Registers, StoreError>;
    /// [`RegisterStore::registers`] for a derivation, which reads no
    /// names: persons' names, ethnicity, citizen id, village and cause of
    /// death and cards' numbers may come back empty (a SQLite file skips
    /// them, a fifth of a batch's read).
    async fn derivation_registers(
        &self,
        communes: Option<&[UnitId]>,
    ) -> Result<Registers, StoreError> {
        self.registers(communes).await
    }
    /// [`RegisterStore::derivation_registers`] read from the rows only,
    /// with the persons whose digest (a SQLite file's packed copy of a
    /// person's records, `register_digest.rs`) differs from their rows:
    /// what `rebuild --verify` reads.
    async fn checked_derivation_registers(
        &self,
        communes: Option<&[UnitId]>,
    ) -> Result<(Registers, Vec<i64>), StoreError> {
        Ok((self.registers(communes).await?, Vec::new()))
    }
    /// Makes every person's digest again from their rows (SQLite files;
    /// elsewhere nothing): what `ytcs rebuild` does first. Returns how
    /// many were made.
    async fn remake_register_digests(&self) -> Result<u64, StoreError> {
        Ok(0)
    }
    /// The records of the given persons only (for an incremental
    /// derivation): persons, moves, cards, events sorted by person.
    async fn person_registers(&self, persons: &[i64]) -> Result<Registers, StoreError>;
    /// Events of one kind recorded by any of `units` within dates, with
    /// their persons, by date (the printable registers: a commune and the
    /// communes merged into it).
    async fn register_events(
        &self,
        units: &[UnitId],
        kind: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<(Event, Person)>, StoreError>;
    /// The births whose mother is `mother` (the child's birth event), with
    /// the children, by date.
    async fn births_to(&self, mother: i64) -> Result<Vec<(Event, Person)>, StoreError>;
    /// Where each commune's derived values stand.
    async fn derivation_marks(&self) -> Result<Vec<DerivationMark>, StoreError>;
    /// Records where communes' derived values stand.
    async fn set_derivation_marks(&self, marks: &[DerivationMark]) -> Result<(), StoreError>;
    /// The persons the given events are about (unknown ids are skipped).
    async fn event_persons(&self, events: &[i64]) -> Result<Vec<i64>, StoreError>;
    /// How many persons and events are stored.
    async fn register_counts(&self) -> Result<(i64, i64), StoreError>;
    /// Every commune the registers mention (a person's commune, either
    /// end of a move), with its persons and their first registration:
    /// what a derivation of every commune splits into batches without
    /// reading a person.
    async fn register_communes(&self) -> Result<Vec<RegisterCommune>, StoreError>;
}

/// A commune as the registers mention it ([`RegisterStore::register_communes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegisterCommune {
    /// The commune.
    pub commune: UnitId,
    /// Persons recorded under it now.
    pub persons: i64,
    /// The first day one of them was registered (none when only moves
    /// mention it).
    pub first_registered: Option<Date>,
}

/// One [`RegisterCommune`] a commune from rows of (commune, persons,
/// first registration), a commune appearing in several rows.
fn register_communes_of(rows: Vec<(i64, i64, Option<Date>)>) -> Vec<RegisterCommune> {
    let mut by: std::collections::BTreeMap<i64, RegisterCommune> = Default::default();
    for (id, persons, first) in rows {
        let c = by.entry(id).or_insert(RegisterCommune {
            commune: UnitId(id),
            persons: 0,
            first_registered: None,
        });
        c.persons += persons;
        c.first_registered = match (c.first_registered, first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    by.into_values().collect()
}

/// Persons whose rows one packed text of [`RegisterStore::registers`]
/// holds (a group of person ids).
const PACKED_PERSONS: i64 = 1024;

/// A column of a packed row: as stored, a floating-point number (packed
/// as text with every digit, so it reads back the same number), or a
/// boolean (packed as 0 or 1).
#[derive(Clone, Copy)]
enum Col {
    Plain(&'static str),
    Real(&'static str),
    Bool(&'static str),
}

/// How a dialect packs a group of rows into one JSON text: the derivation
/// reads millions of rows, and sqlx decoding them one at a time cost ten
/// times SQLite's own work (a commune batch's 2.8 M events: 35 s, packed
/// 6 s).
struct Packing {
    /// The aggregate around the JSON array of a row's columns.
    group: (&'static str, &'static str),
    /// A floating-point column `{c}` as exact text, NULL kept.
    real: &'static str,
    /// A boolean column `{c}` as 0 or 1.
    boolean: &'static str,
    /// Run first in the read's transaction. PostgreSQL's hash aggregation
    /// of a batch's events spilled to disk in 256 partitions with the
    /// default 4 MB of `work_mem` (18.0 s for 2.9 M events; 8.1 s with
    /// 256 MB, for this transaction only). No JIT: at 10 M persons each of
    /// a batch's five reads was compiled (the planner's costs are those of
    /// millions of rows) for no gain on reads that hash and copy.
    settings: &'static [&'static str],
    /// Run besides when the read is a batch's (some communes), not the
    /// whole register's. PostgreSQL joined a batch's persons to their
    /// digests (and rows) by hashing a scan of the whole table, the cheaper
    /// plan by its costs: at 1 M persons a batch read 1 M digests for its
    /// 116,000 (0.58 s), at 10 M 10 M digests (3.4 GB) for each of 69
    /// batches, a derivation's time growing with the square of the
    /// register. Looked up by key instead (nested loops over the indexes),
    /// a batch reads its own rows only: 0.51 s at 1 M, the same at 10 M.
    batch_settings: &'static [&'static str],
}

impl Packing {
    fn select(&self, columns: &[Col]) -> String {
        let cols: Vec<String> = columns
            .iter()
            .map(|c| match *c {
                Col::Plain(c) => c.to_string(),
                Col::Real(c) => self.real.replace("{c}", c),
                Col::Bool(c) => self.boolean.replace("{c}", c),
            })
            .collect();
        format!("{}{}{}", self.group.0, cols.join(", "), self.group.1)
    }
}

const SQLITE_PACKING: Packing = Packing {
    group: ("json_group_array(json_array(", "))"),
    real: "iif({c} IS NULL, NULL, printf('%!.17g', {c}))",
    boolean: "{c}",
    settings: &[],
    batch_settings: &[],
};

const POSTGRES_PACKING: Packing = Packing {
    group: ("json_agg(json_build_array(", "))::text"),
    real: "{c}::text",
    boolean: "{c}::int",
    settings: &["SET LOCAL work_mem = '256MB'", "SET LOCAL jit = off"],
    batch_settings: &[
        "SET LOCAL enable_seqscan = off",
        "SET LOCAL enable_hashjoin = off",
        "SET LOCAL enable_mergejoin = off",
    ],
};

const PERSON_PACKED: &[Col] = &[
    Col::Plain("p.id"),
    Col::Plain("p.full_name"),
    Col::Plain("p.sex"),
    Col::Plain("p.birth_date"),
    Col::Plain("p.ethnicity"),
    Col::Plain("p.national_id"),
    Col::Plain("p.household_id"),
    Col::Plain("p.commune_id"),
    Col::Plain("p.village"),
    Col::Plain("p.registered_on"),
    Col::Plain("p.ehr_opened_on"),
    Col::Plain("p.death_date"),
    Col::Plain("p.death_cause"),
];
const MOVE_PACKED: &[Col] = &[
    Col::Plain("id"),
    Col::Plain("person_id"),
    Col::Plain("on_date"),
    Col::Plain("from_id"),
    Col::Plain("to_id"),
];
const CARD_PACKED: &[Col] = &[
    Col::Plain("id"),
    Col::Plain("person_id"),
    Col::Plain("number"),
    Col::Plain("valid_from"),
    Col::Plain("valid_to"),
];
const EVENT_PACKED: &[Col] = &[
    Col::Plain("e.id"),
    Col::Plain("e.person_id"),
    Col::Plain("e.on_date"),
    Col::Plain("e.unit_id"),
    Col::Plain("e.kind"),
    Col::Plain("e.code"),
    Col::Plain("e.dose"),
    Col::Real("e.value1"),
    Col::Real("e.value2"),
    Col::Real("e.value3"),
    Col::Bool("e.flag"),
    Col::Plain("e.ref_id"),
    Col::Plain("e.ref_date"),
    Col::Plain("e.end_date"),
    Col::Plain("e.outcome"),
    Col::Plain("e.flags"),
];

/// An event as packed ([`EVENT_PACKED`]): reals as text, the flag 0 or 1.
type PackedEvent = (
    i64,
    i64,
    Date,
    i64,
    String,
    Option<String>,
    Option<i32>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<Date>,
    Option<Date>,
    Option<String>,
    String,
);

fn unpack<T: serde::de::DeserializeOwned>(texts: &[String]) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for t in texts {
        let rows: Vec<T> = serde_json::from_str(t)
            .map_err(|e| StoreError::Invalid(format!("a packed register row: {e}")))?;
        out.extend(rows);
    }
    Ok(out)
}

fn real(s: Option<String>) -> Result<Option<f64>, StoreError> {
    s.map(|s| {
        s.parse::<f64>()
            .map_err(|e| StoreError::Invalid(format!("a stored number {s:?}: {e}")))
    })
    .transpose()
}

/// The registers from packed texts: persons by id, events by person,
/// date and id.
fn unpack_registers(
    persons: &[String],
    moves: &[String],
    cards: &[String],
    events: &[String],
) -> Result<Registers, StoreError> {
    let mut persons = unpack::<PersonRow>(persons)?
        .into_iter()
        .map(person_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    persons.sort_by_key(|p| p.id);
    let mut out_events = Vec::new();
    for e in unpack::<PackedEvent>(events)? {
        out_events.push(event_from_row((
            e.0,
            e.1,
            e.2,
            e.3,
            e.4,
            e.5,
            e.6,
            real(e.7)?,
            real(e.8)?,
            real(e.9)?,
            e.10 != 0,
            e.11,
            e.12,
            e.13,
            e.14,
            e.15,
        ))?);
    }
    out_events.sort_by_key(|e| (e.person, e.date, e.id));
    Ok(Registers {
        persons,
        moves: unpack::<MoveRow>(moves)?
            .into_iter()
            .map(move_from_row)
            .collect(),
        cards: unpack::<CardRow>(cards)?
            .into_iter()
            .map(card_from_row)
            .collect(),
        events: out_events,
    })
}

pub(crate) fn sex_str(s: Sex) -> &'static str {
    s.as_str()
}

fn parse<T: std::str::FromStr<Err = String>>(s: &str) -> Result<T, StoreError> {
    s.parse().map_err(StoreError::Invalid)
}

pub(crate) type PersonRow = (
    i64,
    String,
    String,
    Date,
    String,
    Option<String>,
    Option<i64>,
    i64,
    String,
    Date,
    Option<Date>,
    Option<Date>,
    Option<String>,
);

pub(crate) const PERSON_COLUMNS: &str = "p.id, p.full_name, p.sex, p.birth_date, p.ethnicity, p.national_id, \
    p.household_id, p.commune_id, p.village, p.registered_on, p.ehr_opened_on, p.death_date, p.death_cause";

pub(crate) fn person_from_row(r: PersonRow) -> Result<Person, StoreError> {
    Ok(Person {
        id: r.0,
        full_name: r.1,
        sex: parse(&r.2)?,
        birth_date: r.3,
        ethnicity: r.4,
        national_id: r.5,
        household: r.6,
        commune: UnitId(r.7),
        village: r.8,
        registered_on: r.9,
        ehr_opened_on: r.10,
        death: r.11.map(|date| Death { date, cause: r.12 }),
    })
}

pub(crate) type EventRow = (
    i64,
    i64,
    Date,
    i64,
    String,
    Option<String>,
    Option<i32>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    bool,
    Option<i64>,
    Option<Date>,
    Option<Date>,
    Option<String>,
    String,
);

pub(crate) const EVENT_COLUMNS: &str =
    "e.id, e.person_id, e.on_date, e.unit_id, e.kind, e.code, e.dose, e.value1, e.value2, \
    e.value3, e.flag, e.ref_id, e.ref_date, e.end_date, e.outcome, e.flags";

/// The columns an event is stored in (besides its id, person, day, unit
/// and kind): the one flat form of an event, which the tables and the
/// national warehouse's files share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventCols<'a> {
    /// Vaccine, disease, ICD-10 code or place of birth (`code`).
    pub code: Option<&'a str>,
    /// Dose number (`dose`).
    pub dose: Option<i32>,
    /// Weight (kg; g at birth) or systolic pressure (`value1`).
    pub v1: Option<f64>,
    /// Height or diastolic pressure (`value2`).
    pub v2: Option<f64>,
    /// Fasting glucose (`value3`).
    pub v3: Option<f64>,
    /// Lying, screened or insured, by kind (`flag`).
    pub flag: bool,
    /// The pregnancy of a visit, the mother of a birth (`ref_id`).
    pub ref_id: Option<i64>,
    /// A pregnancy's expected day (`ref_date`).
    pub ref_date: Option<Date>,
    /// The day a pregnancy ended (`end_date`).
    pub end_date: Option<Date>,
    /// A pregnancy's outcome (`outcome`).
    pub outcome: Option<&'a str>,
}

/// An event's kind-specific facts in [`EventCols`].
pub fn event_cols(k: &EventKind) -> EventCols<'_> {
    let mut c = EventCols::default();
    match k {
        EventKind::Immunization { vaccine, dose } => {
            c.code = Some(vaccine);
            c.dose = Some(i32::from(*dose));
        }
        EventKind::Measurement {
            weight_kg,
            height_cm,
            lying,
        } => {
            c.v1 = *weight_kg;
            c.v2 = *height_cm;
            c.flag = *lying;
        }
        EventKind::NcdEnrolment { ncd } => c.code = Some(ncd.as_str()),
        EventKind::NcdFollowUp {
            ncd,
            systolic,
            diastolic,
            glucose,
        } => {
            c.code = Some(ncd.as_str());
            c.v1 = *systolic;
            c.v2 = *diastolic;
            c.v3 = *glucose;
        }
        EventKind::Pregnancy {
            expected,
            ended,
            outcome,
            screened,
        } => {
            c.ref_date = Some(*expected);
            c.end_date = *ended;
            c.outcome = outcome.map(|o| o.as_str());
            c.flag = *screened;
        }
        EventKind::AntenatalVisit { pregnancy } => c.ref_id = Some(*pregnancy),
        EventKind::Birth {
            weight_g,
            screened,
            mother,
            place,
        } => {
            c.code = place.map(|x| x.as_str());
            c.v1 = *weight_g;
            c.flag = *screened;
            c.ref_id = *mother;
        }
        EventKind::ElderlyCheck => {}
        EventKind::Examination { icd10, insured } => {
            c.code = Some(icd10);
            c.flag = *insured;
        }
    }
    c
}

pub(crate) fn event_from_row(r: EventRow) -> Result<Event, StoreError> {
    event_from_fields(EventFields {
        id: r.0,
        person: r.1,
        date: r.2,
        unit: r.3,
        kind: &r.4,
        flags: &r.15,
        cols: EventCols {
            code: r.5.as_deref(),
            dose: r.6,
            v1: r.7,
            v2: r.8,
            v3: r.9,
            flag: r.10,
            ref_id: r.11,
            ref_date: r.12,
            end_date: r.13,
            outcome: r.14.as_deref(),
        },
    })
}

/// An event's stored columns, its texts borrowed (a bulk read makes no
/// text it does not keep).
pub(crate) struct EventFields<'a> {
    pub(crate) id: i64,
    pub(crate) person: i64,
    pub(crate) date: Date,
    pub(crate) unit: i64,
    pub(crate) kind: &'a str,
    pub(crate) flags: &'a str,
    /// The columns that depend on the kind.
    pub(crate) cols: EventCols<'a>,
}

/// An event from its stored columns: the one place the columns are read
/// as an [`EventKind`] (the inverse of [`event_cols`]).
pub(crate) fn event_from_fields(f: EventFields<'_>) -> Result<Event, StoreError> {
    let (id, kind, c) = (f.id, f.kind, &f.cols);
    let code = c.code;
    let need = |what: &str| StoreError::Invalid(format!("event {id} ({kind}) has no {what}"));
    let kind = match kind {
        "immunization" => EventKind::Immunization {
            vaccine: code.ok_or_else(|| need("vaccine"))?.to_string(),
            dose: c
                .dose
                .and_then(|d| u8::try_from(d).ok())
                .ok_or_else(|| need("dose"))?,
        },
        "measurement" => EventKind::Measurement {
            weight_kg: c.v1,
            height_cm: c.v2,
            lying: c.flag,
        },
        "ncd_enrolment" => EventKind::NcdEnrolment {
            ncd: parse::<Ncd>(code.ok_or_else(|| need("disease"))?)?,
        },
        "ncd_follow_up" => EventKind::NcdFollowUp {
            ncd: parse::<Ncd>(code.ok_or_else(|| need("disease"))?)?,
            systolic: c.v1,
            diastolic: c.v2,
            glucose: c.v3,
        },
        "pregnancy" => EventKind::Pregnancy {
            expected: c.ref_date.ok_or_else(|| need("expected date"))?,
            ended: c.end_date,
            outcome: c.outcome.map(parse::<PregnancyOutcome>).transpose()?,
            screened: c.flag,
        },
        "antenatal_visit" => EventKind::AntenatalVisit {
            pregnancy: c.ref_id.ok_or_else(|| need("pregnancy"))?,
        },
        "birth" => EventKind::Birth {
            place: code.map(parse::<BirthPlace>).transpose()?,
            weight_g: c.v1,
            screened: c.flag,
            mother: c.ref_id,
        },
        "elderly_check" => EventKind::ElderlyCheck,
        "examination" => EventKind::Examination {
            icd10: code.ok_or_else(|| need("diagnosis"))?.to_string(),
            insured: c.flag,
        },
        other => return Err(StoreError::Invalid(format!("unknown event kind '{other}'"))),
    };
    Ok(Event {
        id,
        person: f.person,
        date: f.date,
        unit: UnitId(f.unit),
        kind,
        flags: if f.flags.is_empty() {
            Vec::new()
        } else {
            f.flags
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        },
    })
}

pub(crate) type MoveRow = (i64, i64, Date, Option<i64>, Option<i64>);
pub(crate) type CardRow = (i64, i64, String, Date, Date);
pub(crate) const MOVE_COLUMNS: &str = "id, person_id, on_date, from_id, to_id";
pub(crate) const CARD_COLUMNS: &str = "id, person_id, number, valid_from, valid_to";
type HouseholdRow = (i64, i64, String, String, String);
type HistoryRow = (i64, i64, String, String, Date);

pub(crate) fn move_from_row(r: MoveRow) -> Move {
    Move {
        id: r.0,
        person: r.1,
        date: r.2,
        from: r.3.map(UnitId),
        to: r.4.map(UnitId),
    }
}

pub(crate) fn card_from_row(r: CardRow) -> InsuranceCard {
    InsuranceCard {
        id: r.0,
        person: r.1,
        number: r.2,
        valid_from: r.3,
        valid_to: r.4,
    }
}

fn household_from_row(r: HouseholdRow) -> Household {
    Household {
        id: r.0,
        commune: UnitId(r.1),
        village: r.2,
        address: r.3,
        number: r.4,
    }
}

fn history_from_row(r: HistoryRow) -> Result<HistoryItem, StoreError> {
    Ok(HistoryItem {
        id: r.0,
        person: r.1,
        kind: parse::<HistoryKind>(&r.2)?,
        text: r.3,
        noted_on: r.4,
    })
}

/// Maps a placeholder id through the map built so far.
fn mapped(map: &HashMap<i64, i64>, id: i64, what: &str) -> Result<i64, StoreError> {
    if id > 0 {
        Ok(id)
    } else {
        map.get(&id).copied().ok_or_else(|| {
            StoreError::Invalid(format!(
                "{what} {id} is neither stored nor created in this batch"
            ))
        })
    }
}

/// The folded words of a name, each once (the search index's tokens).
pub(crate) fn name_tokens(name: &str) -> Vec<String> {
    let mut t: Vec<String> = ytcs_core::text::fold(name)
        .split_whitespace()
        .map(String::from)
        .collect();
    t.sort();
    t.dedup();
    t
}

/// The rows of the name-word index (`person_name_token`) for `persons`,
/// in key order: a bulk load inserts them so, walking the index once in
/// order rather than landing on a random page per word (at 10 M persons
/// the load took as long either way: 958 and 960 s).
pub(crate) fn name_token_rows(persons: &[Person]) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = persons
        .iter()
        .flat_map(|p| {
            name_tokens(&p.full_name)
                .into_iter()
                .map(move |t| (t, p.id))
        })
        .collect();
    rows.sort_unstable();
    rows
}

/// The person query's name condition: each folded word of the query is
/// the beginning of a word of the name, as a range of tokens
/// (`[w, w + U+10FFFF)`, byte order on both engines).
fn name_words(q: &PersonQuery) -> Vec<(String, String)> {
    q.name
        .as_deref()
        .map(|n| {
            name_tokens(n)
                .into_iter()
                .map(|w| {
                    let hi = format!("{w}\u{10FFFF}");
                    (w, hi)
                })
                .collect()
        })
        .unwrap_or_default()
}

macro_rules! impl_register_store {
    ($ty:ty, $db:ty, $packing:expr) => {
        impl $ty {
            /// The records a digest holds (persons, moves, cards, events)
            /// of the persons whose ids run from `from` to `to`, read in
            /// `tx`.
            async fn records_between(
                tx: &mut <$db as sqlx::Database>::Connection,
                from: i64,
                to: i64,
            ) -> Result<RegisterBatch, StoreError> {
                let persons: Vec<PersonRow> = sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM person p WHERE p.id BETWEEN $1 AND $2"
                ))
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                let moves: Vec<MoveRow> = sqlx::query_as(&format!(
                    "SELECT {MOVE_COLUMNS} FROM person_move WHERE person_id BETWEEN $1 AND $2"
                ))
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                let cards: Vec<CardRow> = sqlx::query_as(&format!(
                    "SELECT {CARD_COLUMNS} FROM insurance_card WHERE person_id BETWEEN $1 AND $2"
                ))
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                let events: Vec<EventRow> = sqlx::query_as(&format!(
                    "SELECT {EVENT_COLUMNS} FROM person_event e WHERE e.person_id BETWEEN $1 AND $2"
                ))
                .bind(from)
                .bind(to)
                .fetch_all(&mut *tx)
                .await?;
                Ok(RegisterBatch {
                    persons: persons.into_iter().map(person_from_row).collect::<Result<_, _>>()?,
                    moves: moves.into_iter().map(move_from_row).collect(),
                    cards: cards.into_iter().map(card_from_row).collect(),
                    events: events.into_iter().map(event_from_row).collect::<Result<_, _>>()?,
                    ..RegisterBatch::default()
                })
            }

            /// Writes the digests of `persons` from their rows, in the write's
            /// transaction (`register_digest.rs`): the triggers deleted them as
            /// the write changed their rows.
            async fn write_digests(
                tx: &mut <$db as sqlx::Database>::Connection,
                persons: &[i64],
            ) -> Result<(), StoreError> {
                for &id in persons {
                    let b = Self::records_between(&mut *tx, id, id).await?;
                    for (person, digest) in crate::register_digest::of_batch(&b).0 {
                        sqlx::query(
                            "INSERT INTO register_digest (person_id, digest) VALUES ($1, $2) \
                             ON CONFLICT (person_id) DO UPDATE SET digest = excluded.digest",
                        )
                        .bind(person)
                        .bind(digest)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                Ok(())
            }

            /// The registers of the persons who live or lived in
            /// `communes`, read packed (see `Packing`); as
            /// [`Reading::Derivation`] reads, each person's digest where
            /// it is current and the rows of the others; as
            /// [`Reading::Checked`], the rows and the persons whose digest
            /// differs from them.
            async fn packed_registers(
                &self,
                communes: Option<&[UnitId]>,
                how: Reading,
            ) -> Result<(Registers, Vec<i64>), StoreError> {
                // The persons who live or lived in the communes, as a
                // condition on each table's person column; those without a
                // digest when the digests are read.
                let persons_in = |column: &str, qb: &mut sqlx::QueryBuilder<'_, $db>| {
                    if communes.is_none() {
                        return;
                    }
                    qb.push(format!(" WHERE {column} IN (SELECT s.id FROM ("));
                    match communes {
                        None => {
                            qb.push("SELECT p.id FROM person p");
                        }
                        Some(cs) => {
                            qb.push("SELECT p.id FROM person p WHERE p.commune_id IN (");
                            let mut sep = qb.separated(", ");
                            for c in cs {
                                sep.push_bind(c.0);
                            }
                            qb.push(") UNION SELECT m.person_id FROM person_move m WHERE m.from_id IN (");
                            let mut sep = qb.separated(", ");
                            for c in cs {
                                sep.push_bind(c.0);
                            }
                            qb.push(") OR m.to_id IN (");
                            let mut sep = qb.separated(", ");
                            for c in cs {
                                sep.push_bind(c.0);
                            }
                            qb.push(")");
                        }
                    }
                    qb.push(") s)");
                };
                if communes.is_some_and(|c| c.is_empty()) {
                    return Ok((Registers::default(), Vec::new()));
                }
                // Rows come packed, a group of persons' rows in one JSON
                // text (see `Packing`), and are read in one transaction so
                // the four tables agree.
                let mut tx = self.pool.begin().await?;
                for settings in $packing.settings {
                    sqlx::query(settings).execute(&mut *tx).await?;
                }
                if communes.is_some() {
                    for settings in $packing.batch_settings {
                        sqlx::query(settings).execute(&mut *tx).await?;
                    }
                }
                // The rows of the persons `ids` (the batch's: `None`),
                // packed, appended to the four lists.
                #[derive(Default)]
                struct Packed {
                    persons: Vec<String>,
                    moves: Vec<String>,
                    cards: Vec<String>,
                    events: Vec<String>,
                }
                let mut packed = Packed::default();
                let mut read_rows = async |tx: &mut <$db as sqlx::Database>::Connection, ids: Option<&[i64]>| -> Result<(), StoreError> {
                    let read = |table: &str, person: &str, columns: &[Col]| {
                        let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                            "SELECT {} FROM {table}",
                            $packing.select(columns)
                        ));
                        match ids {
                            None => persons_in(person, &mut qb),
                            Some(ids) => {
                                qb.push(format!(" WHERE {person} IN ("));
                                let mut sep = qb.separated(", ");
                                for id in ids {
                                    sep.push_bind(*id);
                                }
                                qb.push(")");
                            }
                        }
                        qb.push(format!(" GROUP BY {person} / {PACKED_PERSONS}"));
                        qb
                    };
                    let mut qb = read("person p", "p.id", PERSON_PACKED);
                    packed.persons.extend(qb.build_query_scalar::<String>().fetch_all(&mut *tx).await?);
                    let mut qb = read("person_move", "person_id", MOVE_PACKED);
                    packed.moves.extend(qb.build_query_scalar::<String>().fetch_all(&mut *tx).await?);
                    let mut qb = read("insurance_card", "person_id", CARD_PACKED);
                    packed.cards.extend(qb.build_query_scalar::<String>().fetch_all(&mut *tx).await?);
                    let mut qb = read("person_event e", "e.person_id", EVENT_PACKED);
                    packed.events.extend(qb.build_query_scalar::<String>().fetch_all(&mut *tx).await?);
                    Ok(())
                };
                let digests: Vec<(i64, Vec<u8>)> = if how == Reading::Names {
                    Vec::new()
                } else {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT d.person_id, d.digest FROM register_digest d",
                    );
                    persons_in("d.person_id", &mut qb);
                    qb.push(" ORDER BY d.person_id");
                    qb.build_query_as().fetch_all(&mut *tx).await?
                };
                if how == Reading::Derivation {
                    // The rows of the batch's persons without a digest
                    // only, named by id (often none): as a condition in
                    // SQL (`NOT EXISTS`), PostgreSQL hashed the whole
                    // digest table for each of a batch's reads (16–26 s a
                    // batch at 10 M persons).
                    let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT p.id FROM person p");
                    persons_in("p.id", &mut qb);
                    let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    let copied: std::collections::HashSet<i64> =
                        digests.iter().map(|d| d.0).collect();
                    let missing: Vec<i64> =
                        ids.into_iter().filter(|id| !copied.contains(id)).collect();
                    for chunk in missing.chunks(10_000) {
                        read_rows(&mut *tx, Some(chunk)).await?;
                    }
                } else {
                    read_rows(&mut *tx, None).await?;
                }
                tx.commit().await?;
                let Packed { persons, moves, cards, events } = packed;
                let mut r = unpack_registers(&persons, &moves, &cards, &events)?;
                match how {
                    Reading::Names => Ok((r, Vec::new())),
                    Reading::Checked => {
                        let stale = crate::register_digest::stale(&r, &digests);
                        Ok((r, stale))
                    }
                    Reading::Derivation => {
                        for (person, bytes) in &digests {
                            crate::register_digest::decode(*person, bytes, &mut r)?;
                        }
                        r.persons.sort_unstable_by_key(|p| p.id);
                        r.events.sort_by_key(|e| (e.person, e.date, e.id));
                        Ok((r, Vec::new()))
                    }
                }
            }

            async fn insert_person(
                tx: &mut <$db as sqlx::Database>::Connection,
                p: &Person,
                household: Option<i64>,
                by: &str,
            ) -> Result<i64, StoreError> {
                let sql_new = "INSERT INTO person (full_name, name_folded, sex, birth_date, ethnicity, national_id, \
                    household_id, commune_id, village, registered_on, ehr_opened_on, death_date, death_cause, recorded_by, recorded_at) \
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id";
                let sql_upd = "UPDATE person SET full_name = $1, name_folded = $2, sex = $3, birth_date = $4, ethnicity = $5, \
                    national_id = $6, household_id = $7, commune_id = $8, village = $9, registered_on = $10, ehr_opened_on = $11, \
                    death_date = $12, death_cause = $13, recorded_by = $14, recorded_at = $15 WHERE id = $16 RETURNING id";
                let q = sqlx::query_scalar::<_, i64>(if p.id > 0 { sql_upd } else { sql_new })
                    .bind(&p.full_name)
                    .bind(ytcs_core::text::fold(&p.full_name))
                    .bind(sex_str(p.sex))
                    .bind(p.birth_date)
                    .bind(&p.ethnicity)
                    .bind(&p.national_id)
                    .bind(household)
                    .bind(p.commune.0)
                    .bind(&p.village)
                    .bind(p.registered_on)
                    .bind(p.ehr_opened_on)
                    .bind(p.death.as_ref().map(|d| d.date))
                    .bind(p.death.as_ref().and_then(|d| d.cause.clone()))
                    .bind(by)
                    .bind(Utc::now());
                let q = if p.id > 0 { q.bind(p.id) } else { q };
                let id = q
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| match e.as_database_error() {
                        Some(db) if db.is_unique_violation() => StoreError::Invalid(format!(
                            "national_id: the citizen identity number of person {} ({}) is already registered",
                            p.id, p.full_name
                        )),
                        _ => StoreError::Query(e),
                    })?
                    .ok_or_else(|| StoreError::Invalid(format!("person {} does not exist", p.id)))?;
                sqlx::query("DELETE FROM person_name_token WHERE person_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for t in name_tokens(&p.full_name) {
                    sqlx::query("INSERT INTO person_name_token (token, person_id) VALUES ($1, $2)")
                        .bind(t)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(id)
            }

            async fn insert_event(
                tx: &mut <$db as sqlx::Database>::Connection,
                e: &Event,
                person: i64,
                ref_id: Option<i64>,
                by: &str,
            ) -> Result<i64, StoreError> {
                let c = event_cols(&e.kind);
                let sql_new = "INSERT INTO person_event (person_id, on_date, unit_id, kind, code, dose, value1, value2, value3, \
                    flag, ref_id, ref_date, end_date, outcome, flags, recorded_by, recorded_at) \
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id";
                let sql_upd = "UPDATE person_event SET person_id = $1, on_date = $2, unit_id = $3, kind = $4, code = $5, dose = $6, \
                    value1 = $7, value2 = $8, value3 = $9, flag = $10, ref_id = $11, ref_date = $12, end_date = $13, outcome = $14, \
                    flags = $15, recorded_by = $16, recorded_at = $17 WHERE id = $18 RETURNING id";
                let q = sqlx::query_scalar::<_, i64>(if e.id > 0 { sql_upd } else { sql_new })
                    .bind(person)
                    .bind(e.date)
                    .bind(e.unit.0)
                    .bind(e.kind.name())
                    .bind(c.code)
                    .bind(c.dose)
                    .bind(c.v1)
                    .bind(c.v2)
                    .bind(c.v3)
                    .bind(c.flag)
                    .bind(ref_id)
                    .bind(c.ref_date)
                    .bind(c.end_date)
                    .bind(c.outcome)
                    .bind(e.flags.join(","))
                    .bind(by)
                    .bind(Utc::now());
                let q = if e.id > 0 { q.bind(e.id) } else { q };
                q.fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::Invalid(format!("event {} does not exist", e.id)))
            }

            async fn person_rows(
                &self,
                sql_where: &str,
                id: i64,
            ) -> Result<Vec<Person>, StoreError> {
                let rows: Vec<PersonRow> = sqlx::query_as(&format!(
                    "SELECT {PERSON_COLUMNS} FROM person p WHERE {sql_where}"
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(person_from_row).collect()
            }

            /// Events with their persons (each person read once).
            async fn with_persons(&self, rows: Vec<EventRow>) -> Result<Vec<(Event, Person)>, StoreError> {
                let mut out = Vec::with_capacity(rows.len());
                let mut persons: HashMap<i64, Person> = HashMap::new();
                for r in rows {
                    let e = event_from_row(r)?;
                    if !persons.contains_key(&e.person) {
                        if let Some(p) = self.person_rows("p.id = $1", e.person).await?.into_iter().next() {
                            persons.insert(e.person, p);
                        }
                    }
                    if let Some(p) = persons.get(&e.person) {
                        out.push((e, p.clone()));
                    }
                }
                Ok(out)
            }
        }

        #[async_trait]
        impl crate::raw::RawRegisterWrites for $ty {
            async fn write_registers(&self, b: &RegisterBatch, by: &str) -> Result<IdMap, StoreError> {
                let mut map = IdMap::default();
                let mut tx = self.begin_write().await?;
                for h in &b.households {
                    let id: Option<i64> = if h.id > 0 {
                        sqlx::query_scalar(
                            "UPDATE household SET commune_id = $1, village = $2, address = $3, number = $4 WHERE id = $5 RETURNING id",
                        )
                        .bind(h.commune.0)
                        .bind(&h.village)
                        .bind(&h.address)
                        .bind(&h.number)
                        .bind(h.id)
                        .fetch_optional(&mut *tx)
                        .await?
                    } else {
                        sqlx::query_scalar(
                            "INSERT INTO household (commune_id, village, address, number) VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(h.commune.0)
                        .bind(&h.village)
                        .bind(&h.address)
                        .bind(&h.number)
                        .fetch_optional(&mut *tx)
                        .await?
                    };
                    let id = id.ok_or_else(|| StoreError::Invalid(format!("household {} does not exist", h.id)))?;
                    if h.id < 0 {
                        map.households.insert(h.id, id);
                    }
                }
                for p in &b.persons {
                    let hh = p.household.map(|h| mapped(&map.households, h, "household")).transpose()?;
                    let id = Self::insert_person(&mut tx, p, hh, by).await?;
                    if p.id < 0 {
                        map.persons.insert(p.id, id);
                    }
                }
                for m in &b.moves {
                    let person = mapped(&map.persons, m.person, "person")?;
                    let sql = if m.id > 0 {
                        "UPDATE person_move SET person_id = $1, on_date = $2, from_id = $3, to_id = $4 WHERE id = $5"
                    } else {
                        "INSERT INTO person_move (person_id, on_date, from_id, to_id) VALUES ($1, $2, $3, $4)"
                    };
                    let q = sqlx::query(sql).bind(person).bind(m.date).bind(m.from.map(|u| u.0)).bind(m.to.map(|u| u.0));
                    let q = if m.id > 0 { q.bind(m.id) } else { q };
                    q.execute(&mut *tx).await?;
                }
                for c in &b.cards {
                    let person = mapped(&map.persons, c.person, "person")?;
                    let sql = if c.id > 0 {
                        "UPDATE insurance_card SET person_id = $1, number = $2, valid_from = $3, valid_to = $4 WHERE id = $5"
                    } else {
                        "INSERT INTO insurance_card (person_id, number, valid_from, valid_to) VALUES ($1, $2, $3, $4)"
                    };
                    let q = sqlx::query(sql).bind(person).bind(&c.number).bind(c.valid_from).bind(c.valid_to);
                    let q = if c.id > 0 { q.bind(c.id) } else { q };
                    q.execute(&mut *tx).await?;
                }
                for hi in &b.history {
                    let person = mapped(&map.persons, hi.person, "person")?;
                    let sql = if hi.id > 0 {
                        "UPDATE health_history SET person_id = $1, kind = $2, text = $3, noted_on = $4 WHERE id = $5"
                    } else {
                        "INSERT INTO health_history (person_id, kind, text, noted_on) VALUES ($1, $2, $3, $4)"
                    };
                    let q = sqlx::query(sql).bind(person).bind(hi.kind.as_str()).bind(&hi.text).bind(hi.noted_on);
                    let q = if hi.id > 0 { q.bind(hi.id) } else { q };
                    q.execute(&mut *tx).await?;
                }
                // Pregnancies before the visits that refer to them.
                let mut events: Vec<&Event> = b.events.iter().collect();
                events.sort_by_key(|e| matches!(e.kind, EventKind::AntenatalVisit { .. }));
                for e in events {
                    let person = mapped(&map.persons, e.person, "person")?;
                    let ref_id = match &e.kind {
                        EventKind::AntenatalVisit { pregnancy } => Some(mapped(&map.events, *pregnancy, "pregnancy")?),
                        EventKind::Birth { mother: Some(m), .. } => Some(mapped(&map.persons, *m, "mother")?),
                        _ => None,
                    };
                    let id = Self::insert_event(&mut tx, e, person, ref_id, by).await?;
                    if e.id < 0 {
                        map.events.insert(e.id, id);
                    }
                }
                let mut touched: Vec<i64> = Vec::new();
                for id in &b.delete_events {
                    let person: Option<i64> = sqlx::query_scalar("DELETE FROM person_event WHERE id = $1 RETURNING person_id")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    touched.extend(person);
                }
                let persons = (b.persons.iter().map(|p| p.id))
                    .chain(b.moves.iter().map(|m| m.person))
                    .chain(b.cards.iter().map(|c| c.person))
                    .chain(b.events.iter().map(|e| e.person));
                for p in persons {
                    touched.push(mapped(&map.persons, p, "person")?);
                }
                touched.sort_unstable();
                touched.dedup();
                Self::write_digests(&mut tx, &touched).await?;
                tx.commit().await?;
                Ok(map)
            }

            async fn bulk_load_from(
                &self,
                source: &mut dyn BatchSource,
                by: &str,
            ) -> Result<(), StoreError> {
                self.bulk_load(source, by).await
            }
        }

        #[async_trait]
        impl RegisterStore for $ty {

            async fn person_record(&self, id: i64) -> Result<Option<PersonRecord>, StoreError> {
                let Some(person) = self.person_rows("p.id = $1", id).await?.into_iter().next() else {
                    return Ok(None);
                };
                let household = match person.household {
                    Some(h) => self.household(h).await?,
                    None => None,
                };
                let moves: Vec<MoveRow> = sqlx::query_as(
                    "SELECT id, person_id, on_date, from_id, to_id FROM person_move WHERE person_id = $1 ORDER BY on_date, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let cards: Vec<CardRow> = sqlx::query_as(
                    "SELECT id, person_id, number, valid_from, valid_to FROM insurance_card WHERE person_id = $1 ORDER BY valid_from, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let history: Vec<HistoryRow> = sqlx::query_as(
                    "SELECT id, person_id, kind, text, noted_on FROM health_history WHERE person_id = $1 ORDER BY noted_on, id",
                )
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                let events: Vec<EventRow> = sqlx::query_as(&format!(
                    "SELECT {EVENT_COLUMNS} FROM person_event e WHERE e.person_id = $1 ORDER BY e.on_date, e.id"
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
                Ok(Some(PersonRecord {
                    person,
                    household,
                    moves: moves.into_iter().map(move_from_row).collect(),
                    cards: cards.into_iter().map(card_from_row).collect(),
                    history: history.into_iter().map(history_from_row).collect::<Result<_, _>>()?,
                    events: events.into_iter().map(event_from_row).collect::<Result<_, _>>()?,
                }))
            }

            async fn search_persons(&self, q: &PersonQuery) -> Result<Vec<Person>, StoreError> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {PERSON_COLUMNS} FROM person p LEFT JOIN household h ON h.id = p.household_id WHERE 1 = 1"
                ));
                if let Some(cs) = &q.communes {
                    if cs.is_empty() {
                        return Ok(vec![]);
                    }
                    qb.push(" AND p.commune_id IN (");
                    let mut sep = qb.separated(", ");
                    for c in cs {
                        sep.push_bind(c.0);
                    }
                    qb.push(")");
                }
                for (lo, hi) in name_words(q) {
                    qb.push(" AND p.id IN (SELECT t.person_id FROM person_name_token t WHERE t.token >= ")
                        .push_bind(lo)
                        .push(" AND t.token < ")
                        .push_bind(hi)
                        .push(")");
                }
                if let Some(y) = q.birth_year {
                    let from = Date::from_ymd_opt(y, 1, 1);
                    let to = Date::from_ymd_opt(y, 12, 31);
                    qb.push(" AND p.birth_date >= ").push_bind(from);
                    qb.push(" AND p.birth_date <= ").push_bind(to);
                }
                if let Some(h) = q.household {
                    qb.push(" AND p.household_id = ").push_bind(h);
                }
                if let Some(n) = &q.household_number {
                    qb.push(" AND h.number = ").push_bind(n.clone());
                }
                qb.push(" ORDER BY p.name_folded, p.birth_date, p.id LIMIT ").push_bind(q.limit.max(1));
                let rows: Vec<PersonRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                rows.into_iter().map(person_from_row).collect()
            }

            async fn household(&self, id: i64) -> Result<Option<Household>, StoreError> {
                let row: Option<HouseholdRow> = sqlx::query_as(
                    "SELECT id, commune_id, village, address, number FROM household WHERE id = $1",
                )
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(household_from_row))
            }

            async fn households(&self, commune: UnitId) -> Result<Vec<Household>, StoreError> {
                let rows: Vec<HouseholdRow> = sqlx::query_as(
                    "SELECT id, commune_id, village, address, number FROM household WHERE commune_id = $1 ORDER BY number, id",
                )
                .bind(commune.0)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows.into_iter().map(household_from_row).collect())
            }

            async fn registers(&self, communes: Option<&[UnitId]>) -> Result<Registers, StoreError> {
                Ok(self.bulk_registers(communes, Reading::Names).await?.0)
            }

            async fn derivation_registers(&self, communes: Option<&[UnitId]>) -> Result<Registers, StoreError> {
                Ok(self.bulk_registers(communes, Reading::Derivation).await?.0)
            }

            async fn checked_derivation_registers(
                &self,
                communes: Option<&[UnitId]>,
            ) -> Result<(Registers, Vec<i64>), StoreError> {
                self.bulk_registers(communes, Reading::Checked).await
            }

            async fn remake_register_digests(&self) -> Result<u64, StoreError> {
                self.remake_digests().await
            }

            async fn person_registers(&self, ids: &[i64]) -> Result<Registers, StoreError> {
                if ids.is_empty() {
                    return Ok(Registers::default());
                }
                let list = |qb: &mut sqlx::QueryBuilder<'_, $db>, col: &str| {
                    qb.push(format!(" WHERE {col} IN ("));
                    let mut sep = qb.separated(", ");
                    for id in ids {
                        sep.push_bind(*id);
                    }
                    qb.push(")");
                };
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {PERSON_COLUMNS} FROM person p"));
                list(&mut qb, "p.id");
                qb.push(" ORDER BY p.id");
                let persons: Vec<PersonRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {MOVE_COLUMNS} FROM person_move"));
                list(&mut qb, "person_id");
                let moves: Vec<MoveRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {CARD_COLUMNS} FROM insurance_card"));
                list(&mut qb, "person_id");
                let cards: Vec<CardRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!("SELECT {EVENT_COLUMNS} FROM person_event e"));
                list(&mut qb, "e.person_id");
                qb.push(" ORDER BY e.person_id, e.on_date, e.id");
                let events: Vec<EventRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                Ok(Registers {
                    persons: persons.into_iter().map(person_from_row).collect::<Result<_, _>>()?,
                    moves: moves.into_iter().map(move_from_row).collect(),
                    cards: cards.into_iter().map(card_from_row).collect(),
                    events: events.into_iter().map(event_from_row).collect::<Result<_, _>>()?,
                })
            }

            async fn register_events(
                &self,
                units: &[UnitId],
                kind: &str,
                from: Date,
                to: Date,
            ) -> Result<Vec<(Event, Person)>, StoreError> {
                if units.is_empty() {
                    return Ok(vec![]);
                }
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {EVENT_COLUMNS} FROM person_event e WHERE e.kind = "
                ));
                qb.push_bind(kind.to_string());
                qb.push(" AND e.on_date >= ").push_bind(from);
                qb.push(" AND e.on_date <= ").push_bind(to);
                qb.push(" AND e.unit_id IN (");
                let mut sep = qb.separated(", ");
                for u in units {
                    sep.push_bind(u.0);
                }
                qb.push(") ORDER BY e.on_date, e.id");
                let rows: Vec<EventRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                self.with_persons(rows).await
            }

            async fn births_to(&self, mother: i64) -> Result<Vec<(Event, Person)>, StoreError> {
                let rows: Vec<EventRow> = sqlx::query_as(&format!(
                    "SELECT {EVENT_COLUMNS} FROM person_event e WHERE e.kind = 'birth' AND e.ref_id = $1 \
                     ORDER BY e.on_date, e.id"
                ))
                .bind(mother)
                .fetch_all(&self.pool)
                .await?;
                self.with_persons(rows).await
            }

            async fn derivation_marks(&self) -> Result<Vec<DerivationMark>, StoreError> {
                let rows: Vec<(i64, i32, String)> = sqlx::query_as(
                    "SELECT commune_id, from_year, through FROM register_derivation ORDER BY commune_id",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|(c, y, t)| {
                        Ok(DerivationMark {
                            commune: UnitId(c),
                            from_year: y,
                            through: t.parse().map_err(|e: ytcs_core::period::PeriodParseError| StoreError::Invalid(e.to_string()))?,
                        })
                    })
                    .collect()
            }

            async fn set_derivation_marks(&self, marks: &[DerivationMark]) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                for m in marks {
                    sqlx::query(
                        "INSERT INTO register_derivation (commune_id, from_year, through, derived_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (commune_id) DO UPDATE SET from_year = excluded.from_year, through = excluded.through, \
                         derived_at = excluded.derived_at",
                    )
                    .bind(m.commune.0)
                    .bind(m.from_year)
                    .bind(m.through.to_string())
                    .bind(Utc::now())
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn event_persons(&self, events: &[i64]) -> Result<Vec<i64>, StoreError> {
                let mut out = vec![];
                for id in events {
                    let p: Option<i64> = sqlx::query_scalar("SELECT person_id FROM person_event WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                    out.extend(p);
                }
                Ok(out)
            }

            async fn register_counts(&self) -> Result<(i64, i64), StoreError> {
                let p: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(&self.pool).await?;
                let e: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person_event").fetch_one(&self.pool).await?;
                Ok((p, e))
            }

            async fn register_communes(&self) -> Result<Vec<RegisterCommune>, StoreError> {
                let rows: Vec<(i64, i64, Option<Date>)> = sqlx::query_as(
                    "SELECT commune_id, COUNT(*), MIN(registered_on) FROM person GROUP BY commune_id \
                     UNION ALL SELECT from_id, 0, NULL FROM person_move WHERE from_id IS NOT NULL GROUP BY from_id \
                     UNION ALL SELECT to_id, 0, NULL FROM person_move WHERE to_id IS NOT NULL GROUP BY to_id",
                )
                .fetch_all(&self.pool)
                .await?;
                Ok(register_communes_of(rows))
            }
        }
    };
}

impl_register_store!(crate::SqliteStore, sqlx::Sqlite, SQLITE_PACKING);
impl_register_store!(crate::PgStore, sqlx::Postgres, POSTGRES_PACKING);

impl crate::SqliteStore {
    /// A derivation batch's registers: row by row, or from the persons'
    /// digests, on a connection of its own ([`crate::registers_read`])
    /// when the database is a file; with the persons whose digest differs
    /// from their rows when `how` is [`Reading::Checked`].
    async fn bulk_registers(
        &self,
        communes: Option<&[UnitId]>,
        how: Reading,
    ) -> Result<(Registers, Vec<i64>), StoreError> {
        let Some(path) = self.path.clone() else {
            return self.packed_registers(communes, how).await;
        };
        if communes.is_some_and(|c| c.is_empty()) {
            return Ok((Registers::default(), Vec::new()));
        }
        let communes = communes.map(<[UnitId]>::to_vec);
        tokio::task::spawn_blocking(move || {
            crate::registers_read::read(&path, communes.as_deref(), how)
        })
        .await
        .map_err(|e| StoreError::Invalid(format!("reading the registers: {e}")))?
    }
}

impl crate::SqliteStore {
    /// [`RegisterStore::remake_register_digests`] through a connection of
    /// its own, in the write turn (an in-memory database reads no digest).
    async fn remake_digests(&self) -> Result<u64, StoreError> {
        let Some(path) = self.path.clone() else {
            return Ok(0);
        };
        let _turn = self.write_turn.clone().lock_owned().await;
        tokio::task::spawn_blocking(move || crate::registers_load::remake_digests(&path))
            .await
            .map_err(|e| StoreError::Invalid(format!("making the register digests: {e}")))?
    }
}

impl crate::PgStore {
    /// [`RegisterStore::remake_register_digests`]: 50,000 persons a
    /// transaction, their rows read and their digests sent by `COPY`.
    async fn remake_digests(&self) -> Result<u64, StoreError> {
        const STEP: i64 = 50_000;
        let (lo, hi): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT min(id), max(id) FROM person")
                .fetch_one(&self.pool)
                .await?;
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Ok(0);
        };
        let mut made = 0u64;
        let mut from = lo;
        while from <= hi {
            let to = from.saturating_add(STEP - 1).min(hi);
            let mut tx = self.begin_write().await?;
            sqlx::query("DELETE FROM register_digest WHERE person_id BETWEEN $1 AND $2")
                .bind(from)
                .bind(to)
                .execute(&mut *tx)
                .await?;
            let b = Self::records_between(&mut tx, from, to).await?;
            crate::pg_bulk::write_digests(&mut tx, &b).await?;
            tx.commit().await?;
            made += b.persons.len() as u64;
            from = to.saturating_add(1);
            if to == hi {
                break;
            }
        }
        Ok(made)
    }

    /// A derivation batch's registers, read packed (names always), with
    /// the persons' digests as `how` asks.
    async fn bulk_registers(
        &self,
        communes: Option<&[UnitId]>,
        how: Reading,
    ) -> Result<(Registers, Vec<i64>), StoreError> {
        self.packed_registers(communes, how).await
    }
}

/// The secondary indexes of the tables `{tables}`: (name, the statement
/// that creates it). A load into an empty register drops them and creates
/// them after, in its transaction: sorting each index once is faster than
/// inserting millions of rows into it in random order. Those of
/// [`KEPT_IN_A_LOAD`] stay and are kept up row by row.
pub(crate) const SQLITE_INDEXES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
    AND sql IS NOT NULL AND tbl_name IN ({tables}) \
    AND name NOT IN ({kept}) ORDER BY name";

/// The indexes a load into an empty SQLite register keeps up row by row
/// instead of making them again at the end ([`SQLITE_INDEXES`] leaves
/// them out; PostgreSQL's first load, on two connections whose keys
/// interleave, takes every index away: see `pg_remake.rs`). A load's records come person by person, in the order of
/// their ids (the generator's, a bulk import's), so the keys of an index
/// led by `person_id` are appended at its end, and a batch's name words
/// fall among the batch's own persons; the births' mothers are a few
/// rows among the events. Making each of them again would read the whole
/// table once more: at 10 M persons `person_event_person` took 136 s and
/// `person_event_birth_mother` 73 s of the load, each a scan of 135 M
/// events. Records in another order load the same, only slower.
pub(crate) const KEPT_IN_A_LOAD: &str = "'person_event_person', 'insurance_card_person', \
    'health_history_person', 'person_move_person', 'person_name_token_person', \
    'person_event_birth_mother'";

/// The tables a bulk load fills, each after those it refers to.
pub(crate) const BULK_TABLES: [&str; 7] = [
    "household",
    "person",
    "person_name_token",
    "person_move",
    "insurance_card",
    "health_history",
    "person_event",
];

/// [`BULK_TABLES`] as an SQL list of texts (`'household', …`).
pub(crate) fn bulk_tables_sql() -> String {
    BULK_TABLES.map(|t| format!("'{t}'")).join(", ")
}

/// A bulk load's rows into `table` on SQLite, bound to `INSERT … VALUES`
/// statements of as many rows as SQLite's 32,766 bound values allow
/// (the in-memory database's load; a file's is `registers_load.rs`).
async fn sqlite_bulk_insert<'a, T: 'a, const N: usize>(
    tx: &mut sqlx::SqliteConnection,
    table: &BulkTable,
    items: &'a [T],
    row: impl Fn(&'a T) -> [Field<'a>; N],
) -> Result<(), StoreError> {
    let per_statement = (32_766 / N).max(1);
    let one = format!("({})", vec!["?"; N].join(", "));
    let statement = |rows: usize| {
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            table.columns.join(", "),
            vec![one.as_str(); rows].join(", ")
        )
    };
    let full = statement(per_statement);
    for chunk in items.chunks(per_statement) {
        let partial;
        let sql = if chunk.len() == per_statement {
            &full
        } else {
            partial = statement(chunk.len());
            &partial
        };
        let mut q = sqlx::query(sql);
        for item in chunk {
            for f in row(item) {
                q = match f {
                    Field::Null => q.bind(None::<i64>),
                    Field::Int(v) => q.bind(v),
                    Field::Float(v) => q.bind(v),
                    Field::Bool(v) => q.bind(v),
                    Field::Text(v) => q.bind(v),
                    Field::Owned(v) => q.bind(v),
                    Field::Date(v) => q.bind(v),
                    Field::Time(v) => q.bind(v),
                    Field::Bytes(v) => q.bind(v),
                };
            }
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

impl crate::SqliteStore {
    /// A bulk load into an in-memory database, in one transaction; into
    /// an empty register its secondary indexes are dropped first and made
    /// again at the end. It writes no digest: an in-memory database reads
    /// none (its triggers stay).
    async fn bulk_load_in(&self, source: &mut dyn BatchSource, by: &str) -> Result<(), StoreError> {
        let stamp = Stamp { by, at: Utc::now() };
        let mut tx = self.begin_write().await?;
        let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM person)")
            .fetch_one(&mut *tx)
            .await?;
        let indexes: Vec<(String, String)> = if empty {
            sqlx::query_as(
                &SQLITE_INDEXES
                    .replace("{tables}", &bulk_tables_sql())
                    .replace("{kept}", KEPT_IN_A_LOAD),
            )
            .fetch_all(&mut *tx)
            .await?
        } else {
            Vec::new()
        };
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX {name}"))
                .execute(&mut *tx)
                .await?;
        }
        while let Some(b) = source.next_batch()? {
            sqlite_bulk_insert(
                &mut tx,
                &bulk_rows::HOUSEHOLD,
                &b.households,
                bulk_rows::household,
            )
            .await?;
            sqlite_bulk_insert(&mut tx, &bulk_rows::PERSON, &b.persons, |p| {
                bulk_rows::person(p, stamp)
            })
            .await?;
            let tokens = name_token_rows(&b.persons);
            sqlite_bulk_insert(&mut tx, &bulk_rows::TOKEN, &tokens, bulk_rows::token).await?;
            sqlite_bulk_insert(&mut tx, &bulk_rows::MOVE, &b.moves, bulk_rows::moved).await?;
            sqlite_bulk_insert(&mut tx, &bulk_rows::CARD, &b.cards, bulk_rows::card).await?;
            sqlite_bulk_insert(&mut tx, &bulk_rows::HISTORY, &b.history, bulk_rows::history)
                .await?;
            sqlite_bulk_insert(&mut tx, &bulk_rows::EVENT, &b.events, |e| {
                bulk_rows::event(e, stamp)
            })
            .await?;
        }
        for (_, create) in &indexes {
            sqlx::query(create).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A bulk load: into a SQLite file through its own connection
    /// (`registers_load`), in the write turn; into an in-memory database,
    /// which has no file to open, through the pool.
    async fn bulk_load(&self, source: &mut dyn BatchSource, by: &str) -> Result<(), StoreError> {
        let Some(path) = self.path.as_ref() else {
            return self.bulk_load_in(source, by).await;
        };
        let _turn = self.write_turn.clone().lock_owned().await;
        crate::registers_load::load(path, source, by, Utc::now())
    }
}

impl crate::PgStore {
    /// A bulk load by binary `COPY` (`pg_bulk.rs`).
    async fn bulk_load(&self, source: &mut dyn BatchSource, by: &str) -> Result<(), StoreError> {
        crate::pg_bulk::load(self, source, by).await
    }
}
