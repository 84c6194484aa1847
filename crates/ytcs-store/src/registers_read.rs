//! The registers' bulk read on SQLite: a derivation batch's persons,
//! moves, cards and events read row by row through `rusqlite`
//! ([`crate::sqlite_read`]), in one read transaction (one WAL snapshot
//! for the four tables), on a blocking thread. Texts a derivation does
//! not keep are borrowed from SQLite, never copied ([`EventFields`]).
//!
//! *Why not sqlx.* sqlx hands each SQLite row from its worker thread to
//! the caller one at a time (about 12 µs a row: 35 s for a batch's 2.8 M
//! events), so the read packed each group of persons' rows into one JSON
//! text in SQL and parsed it in Rust; packing alone took ~4 s of a
//! batch's ~10 s where reading the same columns takes 0.7 s (1 M
//! persons, batches of ~200,000). PostgreSQL keeps the packed
//! read (`json_agg`), and an in-memory SQLite database (no file for a
//! second connection) too.

use std::path::Path;

use ytcs_core::org::UnitId;

use ytcs_core::register::derive::Registers;
use ytcs_core::Date;

use crate::registers::{
    card_from_row, event_from_fields, move_from_row, person_from_row, CardRow, EventCols,
    EventFields, MoveRow, PersonRow, CARD_COLUMNS, EVENT_COLUMNS, MOVE_COLUMNS, PERSON_COLUMNS,
};
use crate::{register_digest, StoreError};

use crate::sqlite_read::failed;

/// A stored date (`YYYY-MM-DD`), read from its bytes (tens of millions
/// a derivation); anything else as chrono reads it, or an error.
fn date(b: &[u8]) -> Result<Date, rusqlite::Error> {
    let bad = || {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("not a date: {:?}", String::from_utf8_lossy(b)).into(),
        )
    };
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return Date::from_ymd_opt(y as i32, m, d).ok_or_else(bad);
        }
    }
    std::str::from_utf8(b)
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)
}

fn date_at(row: &rusqlite::Row<'_>, i: usize) -> Result<Date, rusqlite::Error> {
    date(row.get_ref(i)?.as_bytes()?)
}

fn date_or_none(row: &rusqlite::Row<'_>, i: usize) -> Result<Option<Date>, rusqlite::Error> {
    row.get_ref(i)?.as_bytes_or_null()?.map(date).transpose()
}

/// Every row of `sql`, each made by `make`.
fn rows<T>(
    tx: &rusqlite::Transaction<'_>,
    sql: &str,
    make: impl Fn(&rusqlite::Row<'_>) -> Result<T, rusqlite::Error>,
) -> Result<Vec<T>, StoreError> {
    let mut st = tx.prepare(sql).map_err(failed)?;
    let mut rows = st.query([]).map_err(failed)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(failed)? {
        out.push(make(r).map_err(failed)?);
    }
    Ok(out)
}

/// What a read of the registers reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// Every column, from the rows.
    Names,
    /// What a derivation reads (no names): a person's digest where it is
    /// current ([`crate::register_digest`]), the rows of the others.
    Derivation,
    /// What a derivation reads, from the rows, each digest compared with
    /// its rows (`rebuild --verify`).
    Checked,
}

/// The registers of the persons who live or lived in `communes` (every
/// person: `None`), read from the SQLite database at `path`, and (when
/// [`Reading::Checked`]) the persons whose digest differs from their rows.
/// Without names, the texts a derivation does not read are selected as
/// empty texts (see `RegisterStore::derivation_registers`).
pub(crate) fn read(
    path: &Path,
    communes: Option<&[UnitId]>,
    how: Reading,
) -> Result<(Registers, Vec<i64>), StoreError> {
    let mut conn = crate::sqlite_read::open(path)?;
    let tx = conn.transaction().map_err(failed)?;
    // The batch's persons, found once (those recorded in the communes
    // and those who moved in or out) into a temporary table of this
    // connection, which the reads below look up by key: as a subquery
    // each read found them again (0.1 s each, 200,000 persons). Made
    // inside the read transaction, from its snapshot.
    if let Some(cs) = communes {
        let list: Vec<String> = cs.iter().map(|c| c.0.to_string()).collect();
        let list = list.join(", ");
        tx.execute_batch(&format!(
            "CREATE TEMP TABLE batch_person (id INTEGER PRIMARY KEY); \
             INSERT INTO temp.batch_person \
             SELECT p.id FROM person p WHERE p.commune_id IN ({list}) \
             UNION SELECT m.person_id FROM person_move m \
             WHERE m.from_id IN ({list}) OR m.to_id IN ({list});"
        ))
        .map_err(failed)?;
    }
    let batch = communes.map(|_| "temp.batch_person");
    let mut out = Registers::default();
    let mut stale = Vec::new();
    match how {
        Reading::Names => rows_of(&tx, batch, true, &mut out)?,
        Reading::Checked => {
            rows_of(&tx, batch, false, &mut out)?;
            stale = differing(&tx, batch, &out)?;
        }
        Reading::Derivation => {
            digests_of(&tx, batch, &mut out)?;
            // The others, from their rows.
            let all = batch.map_or_else(|| "person".to_string(), |b| b.to_string());
            tx.execute_batch(&format!(
                "CREATE TEMP TABLE row_person (id INTEGER PRIMARY KEY); \
                 INSERT INTO temp.row_person SELECT b.id FROM {all} b \
                 WHERE NOT EXISTS (SELECT 1 FROM register_digest d WHERE d.person_id = b.id);"
            ))
            .map_err(failed)?;
            let left: i64 = tx
                .query_row("SELECT count(*) FROM temp.row_person", [], |r| r.get(0))
                .map_err(failed)?;
            if left > 0 {
                rows_of(&tx, Some("temp.row_person"), false, &mut out)?;
            }
            out.persons.sort_unstable_by_key(|p| p.id);
        }
    }
    tx.commit().map_err(failed)?;
    out.events.sort_by_key(|e| (e.person, e.date, e.id));
    Ok((out, stale))
}

/// The digests of the persons of the table `batch` (every digest:
/// `None`), by person: `(person_id, digest)`.
fn digests_sql(batch: Option<&str>) -> String {
    let filter = batch.map_or_else(String::new, |b| {
        format!(" WHERE d.person_id IN (SELECT id FROM {b})")
    });
    format!("SELECT d.person_id, d.digest FROM register_digest d{filter} ORDER BY d.person_id")
}

/// Appends the digests of the persons of the table `batch` (every
/// digest: `None`) to `out`, by person.
fn digests_of(
    tx: &rusqlite::Transaction<'_>,
    batch: Option<&str>,
    out: &mut Registers,
) -> Result<(), StoreError> {
    let mut st = tx.prepare(&digests_sql(batch)).map_err(failed)?;
    let mut rows = st.query([]).map_err(failed)?;
    while let Some(r) = rows.next().map_err(failed)? {
        let person: i64 = r.get(0).map_err(failed)?;
        let bytes = r
            .get_ref(1)
            .and_then(|v| Ok(v.as_blob()?))
            .map_err(failed)?;
        register_digest::decode(person, bytes, out)?;
    }
    Ok(())
}

/// The persons of the table `batch` (every person: `None`) whose digest
/// is not the digest of their records in `rows`.
fn differing(
    tx: &rusqlite::Transaction<'_>,
    batch: Option<&str>,
    rows: &Registers,
) -> Result<Vec<i64>, StoreError> {
    let mut st = tx.prepare(&digests_sql(batch)).map_err(failed)?;
    let digests = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(failed)?
        .collect::<Result<Vec<(i64, Vec<u8>)>, _>>()
        .map_err(failed)?;
    Ok(register_digest::stale(rows, &digests))
}

/// Appends the records of the persons of the table `batch` (every
/// person: `None`) to `out`, read from their rows.
pub(crate) fn rows_of(
    tx: &rusqlite::Transaction<'_>,
    batch: Option<&str>,
    names: bool,
    out: &mut Registers,
) -> Result<(), StoreError> {
    const NAMELESS_PERSON: &str = "p.id, '', p.sex, p.birth_date, '', NULL, \
        p.household_id, p.commune_id, '', p.registered_on, p.ehr_opened_on, p.death_date, NULL";
    const NAMELESS_CARD: &str = "id, person_id, '', valid_from, valid_to";
    let (person_columns, card_columns) = if names {
        (PERSON_COLUMNS, CARD_COLUMNS)
    } else {
        (NAMELESS_PERSON, NAMELESS_CARD)
    };
    let filter = |column: &str| match batch {
        None => String::new(),
        Some(b) => format!(" WHERE {column} IN (SELECT id FROM {b})"),
    };
    let persons = rows(
        tx,
        &format!(
            "SELECT {person_columns} FROM person p{} ORDER BY p.id",
            filter("p.id")
        ),
        |r| {
            let row: PersonRow = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                date_at(r, 3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                date_at(r, 9)?,
                date_or_none(r, 10)?,
                date_or_none(r, 11)?,
                r.get(12)?,
            );
            Ok(person_from_row(row))
        },
    )?
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    let moves = rows(
        tx,
        &format!(
            "SELECT {MOVE_COLUMNS} FROM person_move{}",
            filter("person_id")
        ),
        |r| {
            let row: MoveRow = (r.get(0)?, r.get(1)?, date_at(r, 2)?, r.get(3)?, r.get(4)?);
            Ok(move_from_row(row))
        },
    )?;
    let cards = rows(
        tx,
        &format!(
            "SELECT {card_columns} FROM insurance_card{}",
            filter("person_id")
        ),
        |r| {
            let row: CardRow = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                date_at(r, 3)?,
                date_at(r, 4)?,
            );
            Ok(card_from_row(row))
        },
    )?;
    let events = rows(
        tx,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM person_event e{}",
            filter("e.person_id")
        ),
        |r| {
            let text = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str()?));
            let text_or_none = |i: usize| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
            Ok(event_from_fields(EventFields {
                id: r.get(0)?,
                person: r.get(1)?,
                date: date_at(r, 2)?,
                unit: r.get(3)?,
                kind: text(4)?,
                flags: text(15)?,
                cols: EventCols {
                    code: text_or_none(5)?,
                    dose: r.get(6)?,
                    v1: r.get(7)?,
                    v2: r.get(8)?,
                    v3: r.get(9)?,
                    flag: r.get(10)?,
                    ref_id: r.get(11)?,
                    ref_date: date_or_none(r, 12)?,
                    end_date: date_or_none(r, 13)?,
                    outcome: text_or_none(14)?,
                },
            }))
        },
    )?
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    out.persons.extend(persons);
    out.moves.extend(moves);
    out.cards.extend(cards);
    out.events.extend(events);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_are_read_or_named() {
        assert_eq!(date(b"2024-06-30").unwrap().to_string(), "2024-06-30");
        for bad in [
            "2024-13-01",
            "2024-02-30",
            "2024/06/30",
            "",
            "abcd-ef-gh",
            "20+4-06-30",
        ] {
            let e = date(bad.as_bytes()).unwrap_err().to_string();
            assert!(e.contains("not a date"), "{bad}: {e}");
        }
    }

    proptest::proptest! {
        /// Every date as stored reads back as itself.
        #[test]
        fn every_stored_date_reads_back(n in -1_000_000i32..4_000_000) {
            let d = Date::from_num_days_from_ce_opt(n).unwrap();
            let text = d.format("%F").to_string();
            proptest::prop_assert_eq!(date(text.as_bytes()).unwrap(), d);
        }
    }
}
