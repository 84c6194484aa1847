//! The rows a bulk load of the registers writes, field by field: one
//! column list per table, bound by each engine's way in (PostgreSQL's
//! binary `COPY` in [`crate::pg_bulk`], SQLite's bound `INSERT`s in
//! `registers.rs` for an in-memory database).
//!
//! The SQLite file's load (`registers_load.rs`) binds the same columns
//! through rusqlite's raw parameters, its own hot loop.

use chrono::{DateTime, Utc};
use ytcs_core::register::{Event, HistoryItem, Household, InsuranceCard, Move, Person};
use ytcs_core::Date;

use crate::registers::{event_cols, sex_str};

/// One field of a bulk row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(&'a str),
    /// A text made for the row (a folded name, joined flags).
    Owned(String),
    Date(Date),
    Time(DateTime<Utc>),
    Bytes(&'a [u8]),
}

/// A value that is a [`Field`].
pub(crate) trait IntoField<'a> {
    fn field(self) -> Field<'a>;
}

impl<'a> IntoField<'a> for i64 {
    fn field(self) -> Field<'a> {
        Field::Int(self)
    }
}
impl<'a> IntoField<'a> for i32 {
    fn field(self) -> Field<'a> {
        Field::Int(i64::from(self))
    }
}
impl<'a> IntoField<'a> for f64 {
    fn field(self) -> Field<'a> {
        Field::Float(self)
    }
}
impl<'a> IntoField<'a> for bool {
    fn field(self) -> Field<'a> {
        Field::Bool(self)
    }
}
impl<'a> IntoField<'a> for &'a str {
    fn field(self) -> Field<'a> {
        Field::Text(self)
    }
}
impl<'a> IntoField<'a> for &'a String {
    fn field(self) -> Field<'a> {
        Field::Text(self)
    }
}
impl<'a> IntoField<'a> for String {
    fn field(self) -> Field<'a> {
        Field::Owned(self)
    }
}
impl<'a> IntoField<'a> for Date {
    fn field(self) -> Field<'a> {
        Field::Date(self)
    }
}
impl<'a> IntoField<'a> for DateTime<Utc> {
    fn field(self) -> Field<'a> {
        Field::Time(self)
    }
}
impl<'a> IntoField<'a> for &'a [u8] {
    fn field(self) -> Field<'a> {
        Field::Bytes(self)
    }
}
impl<'a, T: IntoField<'a>> IntoField<'a> for Option<T> {
    fn field(self) -> Field<'a> {
        self.map_or(Field::Null, IntoField::field)
    }
}

macro_rules! fields {
    ($($v:expr),+ $(,)?) => { [$(IntoField::field($v)),+] };
}

/// Who writes a load's stamped rows, and when (`recorded_by`,
/// `recorded_at`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stamp<'a> {
    pub(crate) by: &'a str,
    pub(crate) at: DateTime<Utc>,
}

/// A table a bulk load fills, and its columns in the order of its rows'
/// fields.
#[derive(Debug)]
pub(crate) struct BulkTable {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [&'static str],
}

pub(crate) const HOUSEHOLD: BulkTable = BulkTable {
    name: "household",
    columns: &["id", "commune_id", "village", "address", "number"],
};

pub(crate) fn household(h: &Household) -> [Field<'_>; 5] {
    fields![h.id, h.commune.0, &h.village, &h.address, &h.number]
}

pub(crate) const PERSON: BulkTable = BulkTable {
    name: "person",
    columns: &[
        "id",
        "full_name",
        "name_folded",
        "sex",
        "birth_date",
        "ethnicity",
        "national_id",
        "household_id",
        "commune_id",
        "village",
        "registered_on",
        "ehr_opened_on",
        "death_date",
        "death_cause",
        "recorded_by",
        "recorded_at",
    ],
};

pub(crate) fn person<'a>(p: &'a Person, s: Stamp<'a>) -> [Field<'a>; 16] {
    fields![
        p.id,
        &p.full_name,
        ytcs_core::text::fold(&p.full_name),
        sex_str(p.sex),
        p.birth_date,
        &p.ethnicity,
        p.national_id.as_ref(),
        p.household,
        p.commune.0,
        &p.village,
        p.registered_on,
        p.ehr_opened_on,
        p.death.as_ref().map(|d| d.date),
        p.death.as_ref().and_then(|d| d.cause.as_ref()),
        s.by,
        s.at,
    ]
}

pub(crate) const TOKEN: BulkTable = BulkTable {
    name: "person_name_token",
    columns: &["token", "person_id"],
};

/// A row of `person_name_token` ([`crate::registers::name_token_rows`]).
pub(crate) fn token(t: &(String, i64)) -> [Field<'_>; 2] {
    fields![&t.0, t.1]
}

pub(crate) const MOVE: BulkTable = BulkTable {
    name: "person_move",
    columns: &["id", "person_id", "on_date", "from_id", "to_id"],
};

pub(crate) fn moved(m: &Move) -> [Field<'_>; 5] {
    fields![
        m.id,
        m.person,
        m.date,
        m.from.map(|u| u.0),
        m.to.map(|u| u.0),
    ]
}

pub(crate) const CARD: BulkTable = BulkTable {
    name: "insurance_card",
    columns: &["id", "person_id", "number", "valid_from", "valid_to"],
};

pub(crate) fn card(c: &InsuranceCard) -> [Field<'_>; 5] {
    fields![c.id, c.person, &c.number, c.valid_from, c.valid_to]
}

pub(crate) const HISTORY: BulkTable = BulkTable {
    name: "health_history",
    columns: &["id", "person_id", "kind", "text", "noted_on"],
};

pub(crate) fn history(h: &HistoryItem) -> [Field<'_>; 5] {
    fields![h.id, h.person, h.kind.as_str(), &h.text, h.noted_on]
}

pub(crate) const EVENT: BulkTable = BulkTable {
    name: "person_event",
    columns: &[
        "id",
        "person_id",
        "on_date",
        "unit_id",
        "kind",
        "code",
        "dose",
        "value1",
        "value2",
        "value3",
        "flag",
        "ref_id",
        "ref_date",
        "end_date",
        "outcome",
        "flags",
        "recorded_by",
        "recorded_at",
    ],
};

pub(crate) fn event<'a>(e: &'a Event, s: Stamp<'a>) -> [Field<'a>; 18] {
    let c = event_cols(&e.kind);
    fields![
        e.id,
        e.person,
        e.date,
        e.unit.0,
        e.kind.name(),
        c.code,
        c.dose,
        c.v1,
        c.v2,
        c.v3,
        c.flag,
        c.ref_id,
        c.ref_date,
        c.end_date,
        c.outcome,
        e.flags.join(","),
        s.by,
        s.at,
    ]
}

pub(crate) const DIGEST: BulkTable = BulkTable {
    name: "register_digest",
    columns: &["person_id", "digest"],
};

/// A row of `register_digest` ([`crate::register_digest::of_batch`]).
pub(crate) fn digest(d: &(i64, Vec<u8>)) -> [Field<'_>; 2] {
    fields![d.0, d.1.as_slice()]
}
