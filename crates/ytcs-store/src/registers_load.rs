//! A bulk load of register records into a SQLite file through a
//! connection of its own (`rusqlite`): each row's fields bound straight
//! to a prepared `INSERT` of 64 rows, taken while the store's write turn
//! is held (`SqliteStore::bulk_load_direct`). Into a register that has
//! records, one `BEGIN IMMEDIATE` transaction; into an empty one, a
//! transaction a batch, undone as a whole on failure or after a crash
//! ([`first_load`], [`recover`]), with the secondary indexes dropped first
//! and made again at the end (sorting each once is faster than inserting
//! millions of rows into it), but for those whose keys the rows bring in
//! order (`KEPT_IN_A_LOAD`). Each batch's persons get their digest
//! ([`crate::register_digest`]) after their rows, in the same
//! transaction; a first load drops the digest's triggers with the indexes.
//!
//! Why: sqlx binds and steps one statement at a time through its worker
//! thread; the rows went through JSON texts and `serde_json::Value`s to
//! get there. Here a row costs one `bind` per field and a 64th of a
//! statement. Values are stored exactly as sqlx stores them, so every
//! other reader reads them back the same: dates `YYYY-MM-DD`, booleans
//! 0/1, the `recorded_at` stamp as RFC 3339 (`SecondsFormat::AutoSi`).

use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{Statement, Transaction};
use ytcs_core::Date;

use crate::registers::{
    bulk_tables_sql, event_cols, name_token_rows, sex_str, BatchSource, RegisterBatch, BULK_TABLES,
    KEPT_IN_A_LOAD, SQLITE_INDEXES,
};
use crate::{register_digest, StoreError};

fn failed(e: rusqlite::Error) -> StoreError {
    StoreError::Invalid(format!("loading the registers: {e}"))
}

/// A date as stored (`YYYY-MM-DD`, as sqlx writes it), written without
/// a formatter or an allocation: a load writes tens of millions. Years
/// outside 0–9999 are written by chrono, as sqlx would.
enum Day {
    Digits([u8; 10]),
    Text(String),
}

impl Day {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Day::Digits(b) => b,
            Day::Text(t) => t.as_bytes(),
        }
    }
}

impl rusqlite::ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(
            rusqlite::types::ValueRef::Text(self.as_bytes()),
        ))
    }
}

fn day(d: Date) -> Day {
    use chrono::Datelike;
    let (y, m, dd) = (d.year(), d.month(), d.day());
    let Ok(y @ 0..=9999) = u32::try_from(y) else {
        return Day::Text(d.format("%F").to_string());
    };
    let digit = |v: u32| b'0' + (v % 10) as u8;
    Day::Digits([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(dd / 10),
        digit(dd),
    ])
}

fn day_or_none(d: Option<Date>) -> Option<Day> {
    d.map(day)
}

/// Loads the batches of `source` into the SQLite file at `path`, stamped
/// `by` at `now`: into a register that has records, in one transaction;
/// into an empty register, a transaction a batch ([`first_load`]).
pub(crate) fn load(
    path: &Path,
    source: &mut dyn BatchSource,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut conn = open(path)?;
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
    let empty: bool = conn
        .query_row(&format!("SELECT NOT ({})", any_row()), [], |r| r.get(0))
        .map_err(failed)?;
    if empty {
        return first_load(&mut conn, path, source, by, &at);
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(failed)?;
    while let Some(b) = source.next_batch()? {
        insert_batch(&tx, b, by, &at)?;
    }
    tx.commit().map_err(failed)
}

/// `EXISTS (SELECT 1 FROM t) OR …` over the tables a load fills.
fn any_row() -> String {
    BULK_TABLES
        .map(|t| format!("EXISTS (SELECT 1 FROM {t})"))
        .join(" OR ")
}

/// The load's own connection: as the store's (`sqlite.rs`), with a
/// 256 MB page cache (the default 2 MB made the index builds sort in many
/// small runs spilled to temporary files) and a second thread for those
/// sorts.
fn open(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path).map_err(failed)?;
    conn.busy_timeout(std::time::Duration::from_secs(60))
        .map_err(failed)?;
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
         PRAGMA cache_size = -262144; PRAGMA threads = 2; \
         PRAGMA journal_size_limit = 67108864;",
    )
    .map_err(failed)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// The file beside the database that marks a first load under way: the
/// indexes it dropped, as JSON `[[name, statement], …]`.
fn mark_path(db: &Path) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}.register-load", db.display()))
}

/// A load into an empty register, a transaction a batch.
///
/// Why: in one transaction every page of the load sits in the
/// write-ahead log until the commit, and SQLite finds a page in the log
/// by walking its hash tables from the newest back: at 10 M persons
/// (29 GB) that walk was a third of the load's time, each batch slower
/// than the one before (12 s to 24 s), and the indexes made at the end
/// read the whole table back through it. Committed a batch at a time, the
/// log is checkpointed into the database as it goes and stays the size
/// of a batch.
///
/// All or nothing is kept by undoing, since the register was empty:
/// before the first commit a mark file beside the database
/// ([`mark_path`]) records the indexes dropped; the last transaction makes
/// them again; then the mark goes. A failure on the way (a bad row, a
/// duplicate citizen id found by the unique index, the source's error)
/// empties the register's tables again and makes the indexes; a crash
/// (kill -9, power) leaves the mark, and the next open of the store
/// ([`recover`]) does the same — unless every index is back, which
/// means the last transaction committed and the load is whole. Meanwhile
/// other readers see the register grow a batch at a time; `ytcs
/// generate` and `bench registers` are the loads of an empty register,
/// and nothing else writes it meanwhile.
fn first_load(
    conn: &mut rusqlite::Connection,
    path: &Path,
    source: &mut dyn BatchSource,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    // The indexes to make again at the end, then the digest's triggers
    // (the load keeps the digests itself, see `write_digests`).
    let indexes: Vec<(String, String)> = {
        let sql = format!(
            "{} UNION ALL {DIGEST_TRIGGERS}",
            SQLITE_INDEXES
                .replace("{tables}", &bulk_tables_sql())
                .replace("{kept}", KEPT_IN_A_LOAD)
                .replace(" ORDER BY name", "")
        );
        let mut st = conn.prepare(&sql).map_err(failed)?;
        let rows = st
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(failed)?;
        rows.collect::<Result<_, _>>().map_err(failed)?
    };
    let mark = mark_path(path);
    write_mark(&mark, &indexes)?;
    let loaded = load_in_steps(conn, source, by, at, &indexes);
    if let Err(e) = loaded {
        if let Err(undo) = undo(conn, &indexes) {
            // The mark stays: the next open undoes it.
            tracing::error!(error = %undo, "undoing a failed load of the registers");
            return Err(e);
        }
        remove_mark(&mark)?;
        return Err(e);
    }
    remove_mark(&mark)
}

fn load_in_steps(
    conn: &mut rusqlite::Connection,
    source: &mut dyn BatchSource,
    by: &str,
    at: &str,
    indexes: &[(String, String)],
) -> Result<(), StoreError> {
    let immediate = rusqlite::TransactionBehavior::Immediate;
    let tx = conn.transaction_with_behavior(immediate).map_err(failed)?;
    for (name, create) in indexes {
        tx.execute_batch(&format!("DROP {} {name}", kind_of(create)))
            .map_err(failed)?;
    }
    tx.commit().map_err(failed)?;
    let (mut asking, mut inserting) = (0.0, 0.0);
    loop {
        let t = std::time::Instant::now();
        let Some(b) = source.next_batch()? else { break };
        asking += t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let tx = conn.transaction_with_behavior(immediate).map_err(failed)?;
        insert_batch(&tx, b, by, at)?;
        tx.commit().map_err(failed)?;
        inserting += t.elapsed().as_secs_f64();
        tracing::debug!(asking, inserting, "bulk load: a batch inserted");
    }
    let tx = conn.transaction_with_behavior(immediate).map_err(failed)?;
    for (name, create) in indexes {
        let t = std::time::Instant::now();
        tx.execute_batch(create).map_err(failed)?;
        tracing::debug!(index = %name, seconds = t.elapsed().as_secs_f64(), "bulk load: index or trigger made");
    }
    let t = std::time::Instant::now();
    tx.commit().map_err(failed)?;
    tracing::debug!(seconds = t.elapsed().as_secs_f64(), "bulk load: committed");
    Ok(())
}

/// Empties the tables a first load fills (they were empty before it) and
/// makes the indexes it dropped that are missing, in one transaction.
fn undo(conn: &mut rusqlite::Connection, indexes: &[(String, String)]) -> Result<(), StoreError> {
    // Every table that refers to a person is emptied before the persons,
    // so no reference is checked row by row.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .map_err(failed)?;
    let undone = (|| {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(failed)?;
        tx.execute_batch("DELETE FROM register_digest")
            .map_err(failed)?;
        for t in BULK_TABLES.iter().rev() {
            tx.execute_batch(&format!("DELETE FROM {t}"))
                .map_err(failed)?;
        }
        for (name, create) in indexes {
            if !index_exists(&tx, name)? {
                tx.execute_batch(create).map_err(failed)?;
            }
        }
        tx.commit().map_err(failed)
    })();
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .map_err(failed)?;
    undone
}

/// The triggers that delete a person's digest when their rows change
/// ([`crate::register_digest`]): a first load drops them with the indexes
/// and makes them again at the end.
const DIGEST_TRIGGERS: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' \
    AND name LIKE 'register_digest_%'";

/// `TRIGGER` or `INDEX`: what the statement `create` makes.
fn kind_of(create: &str) -> &'static str {
    if create
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("CREATE TRIGGER")
    {
        "TRIGGER"
    } else {
        "INDEX"
    }
}

/// Whether the index or trigger `name` exists.
fn index_exists(conn: &rusqlite::Connection, name: &str) -> Result<bool, StoreError> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type IN ('index', 'trigger') AND name = ?)",
        [name],
        |r| r.get(0),
    )
    .map_err(failed)
}

fn write_mark(mark: &Path, indexes: &[(String, String)]) -> Result<(), StoreError> {
    use std::io::Write;
    let io = |e: std::io::Error| failed_io(mark, e);
    let text = serde_json::to_vec(indexes)
        .map_err(|e| StoreError::Invalid(format!("loading the registers: {e}")))?;
    let mut f = std::fs::File::create(mark).map_err(io)?;
    f.write_all(&text).map_err(io)?;
    f.sync_all().map_err(io)?;
    sync_dir(mark)
}

fn remove_mark(mark: &Path) -> Result<(), StoreError> {
    std::fs::remove_file(mark).map_err(|e| failed_io(mark, e))?;
    sync_dir(mark)
}

/// Makes a file's creation or removal durable.
fn sync_dir(file: &Path) -> Result<(), StoreError> {
    match file.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| failed_io(dir, e)),
        None => Ok(()),
    }
}

fn failed_io(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("loading the registers: {}: {e}", path.display()))
}

/// At the store's open: a first load of the registers that did not
/// finish (its mark is there, see [`first_load`]) is undone — the
/// register is empty again, with every index — and one that finished but
/// for removing its mark is kept. Returns whether a load was undone.
pub(crate) fn recover(path: &Path) -> Result<bool, StoreError> {
    let mark = mark_path(path);
    let text = match std::fs::read(&mark) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(failed_io(&mark, e)),
    };
    let indexes: Vec<(String, String)> = serde_json::from_slice(&text).map_err(|e| {
        StoreError::Invalid(format!(
            "{}: not the mark of a register load ({e}); the register may hold a half load",
            mark.display()
        ))
    })?;
    let mut conn = open(path)?;
    let mut whole = true;
    for (name, _) in &indexes {
        whole &= index_exists(&conn, name)?;
    }
    if !whole {
        undo(&mut conn, &indexes)?;
        tracing::warn!(
            "a first load of the registers stopped half-way: undone, the register is empty"
        );
    }
    remove_mark(&mark)?;
    Ok(!whole)
}

/// Rows written by one `INSERT` statement: a statement's own work (its
/// start, the `AUTOINCREMENT` counter read and written back, the
/// foreign-key counters) is paid once for this many rows instead of once
/// a row. 18 columns × 64 rows stays far under SQLite's 32,766 bound
/// parameters.
const ROWS_PER_INSERT: usize = 64;

/// Inserts `rows` into `into` (`table (col, …)`, `columns` columns),
/// [`ROWS_PER_INSERT`] rows a statement; `bind` binds one row's fields
/// from the parameter index it is given.
fn insert_rows<T>(
    tx: &Transaction<'_>,
    into: &str,
    columns: usize,
    rows: &[T],
    bind: impl Fn(&mut Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let sql = |n: usize| {
        let row = format!("({})", vec!["?"; columns].join(", "));
        format!("INSERT INTO {into} VALUES {}", vec![row; n].join(", "))
    };
    // The statement of a full chunk is held across chunks: taken from the
    // cache for each, its texts bound were freed (bindings cleared) and
    // copied again, a `malloc` and a `free` a text (a tenth of a load).
    let mut full = tx.prepare_cached(&sql(ROWS_PER_INSERT)).map_err(failed)?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut tail;
        let st = if chunk.len() == ROWS_PER_INSERT {
            &mut full
        } else {
            tail = tx.prepare_cached(&sql(chunk.len())).map_err(failed)?;
            &mut tail
        };
        for (k, row) in chunk.iter().enumerate() {
            bind(st, k * columns + 1, row).map_err(failed)?;
        }
        st.raw_execute().map_err(failed)?;
    }
    Ok(())
}

/// Binds values to the parameters from `at` on.
macro_rules! bind {
    ($st:expr, $at:expr; $($v:expr),+ $(,)?) => {{
        let mut i = $at;
        $(
            $st.raw_bind_parameter(i, $v)?;
            i += 1;
        )+
        let _ = i;
        Ok(())
    }};
}

/// Inserts one batch's rows, table by table.
fn insert_batch(
    tx: &Transaction<'_>,
    b: &RegisterBatch,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    insert_rows(
        tx,
        "household (id, commune_id, village, address, number)",
        5,
        &b.households,
        |st, i, h| bind!(st, i; h.id, h.commune.0, &h.village, &h.address, &h.number),
    )?;
    insert_rows(
        tx,
        "person (id, full_name, name_folded, sex, birth_date, ethnicity, national_id, \
         household_id, commune_id, village, registered_on, ehr_opened_on, death_date, death_cause, \
         recorded_by, recorded_at)",
        16,
        &b.persons,
        |st, i, p| {
            bind!(st, i;
                p.id,
                &p.full_name,
                ytcs_core::text::fold(&p.full_name),
                sex_str(p.sex),
                day(p.birth_date),
                &p.ethnicity,
                &p.national_id,
                p.household,
                p.commune.0,
                &p.village,
                day(p.registered_on),
                day_or_none(p.ehr_opened_on),
                day_or_none(p.death.as_ref().map(|d| d.date)),
                p.death.as_ref().and_then(|d| d.cause.as_deref()),
                by,
                at,
            )
        },
    )?;
    insert_rows(
        tx,
        "person_name_token (token, person_id)",
        2,
        &name_token_rows(&b.persons),
        |st, i, (t, id)| bind!(st, i; t, id),
    )?;
    insert_rows(
        tx,
        "person_move (id, person_id, on_date, from_id, to_id)",
        5,
        &b.moves,
        |st, i, m| {
            bind!(st, i;
                m.id,
                m.person,
                day(m.date),
                m.from.map(|u| u.0),
                m.to.map(|u| u.0),
            )
        },
    )?;
    insert_rows(
        tx,
        "insurance_card (id, person_id, number, valid_from, valid_to)",
        5,
        &b.cards,
        |st, i, c| {
            bind!(st, i;
                c.id,
                c.person,
                &c.number,
                day(c.valid_from),
                day(c.valid_to),
            )
        },
    )?;
    insert_rows(
        tx,
        "health_history (id, person_id, kind, text, noted_on)",
        5,
        &b.history,
        |st, i, h| {
            bind!(st, i;
                h.id,
                h.person,
                h.kind.as_str(),
                &h.text,
                day(h.noted_on),
            )
        },
    )?;
    insert_rows(
        tx,
        "person_event (id, person_id, on_date, unit_id, kind, code, dose, value1, value2, \
         value3, flag, ref_id, ref_date, end_date, outcome, flags, recorded_by, recorded_at)",
        18,
        &b.events,
        |st, i, e| {
            let c = event_cols(&e.kind);
            bind!(st, i;
                e.id,
                e.person,
                day(e.date),
                e.unit.0,
                e.kind.name(),
                c.code,
                c.dose,
                c.v1,
                c.v2,
                c.v3,
                c.flag,
                c.ref_id,
                day_or_none(c.ref_date),
                day_or_none(c.end_date),
                c.outcome,
                e.flags.join(","),
                by,
                at,
            )
        },
    )?;
    write_digests(tx, b)
}

/// Writes the digest of each of the batch's persons, after their rows
/// ([`crate::register_digest`]), and deletes the digests of persons of
/// earlier batches whose records this one adds to (a first load's
/// triggers, which would, are dropped).
fn write_digests(tx: &Transaction<'_>, b: &RegisterBatch) -> Result<(), StoreError> {
    let (rows, others) = register_digest::of_batch(b);
    insert_rows(
        tx,
        "register_digest (person_id, digest)",
        2,
        &rows,
        |st, i, (id, d)| bind!(st, i; id, d),
    )?;
    let mut st = tx
        .prepare_cached("DELETE FROM register_digest WHERE person_id = ?")
        .map_err(failed)?;
    for p in others {
        st.execute([p]).map_err(failed)?;
    }
    Ok(())
}

/// Persons whose digests [`remake_digests`] makes in one transaction.
const REMAKE_PERSONS: i64 = 100_000;

/// Makes every person's digest again from their rows
/// ([`crate::register_digest`]), [`REMAKE_PERSONS`] persons a transaction;
/// returns how many were made. What `ytcs rebuild` does first: persons
/// whose rows were changed by a writer that does not keep their digest
/// (or loaded before digests existed) are read from their rows until
/// then, correctly but slower.
pub(crate) fn remake_digests(path: &Path) -> Result<u64, StoreError> {
    let mut conn = open(path)?;
    let (lo, hi): (Option<i64>, Option<i64>) = conn
        .query_row("SELECT min(id), max(id) FROM person", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(failed)?;
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return Ok(0);
    };
    let mut made = 0u64;
    let mut from = lo;
    while from <= hi {
        let to = from.saturating_add(REMAKE_PERSONS - 1).min(hi);
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(failed)?;
        tx.execute_batch(&format!(
            "CREATE TEMP TABLE IF NOT EXISTS remake_person (id INTEGER PRIMARY KEY); \
             DELETE FROM temp.remake_person; \
             INSERT INTO temp.remake_person SELECT id FROM person WHERE id BETWEEN {from} AND {to}; \
             DELETE FROM register_digest WHERE person_id BETWEEN {from} AND {to};"
        ))
        .map_err(failed)?;
        let mut r = ytcs_core::register::derive::Registers::default();
        crate::registers_read::rows_of(&tx, Some("temp.remake_person"), false, &mut r)?;
        let mut rows: Vec<(i64, Vec<u8>)> =
            register_digest::by_person(&r.persons, &r.moves, &r.cards, &r.events)
                .into_iter()
                .map(|(p, m, c, e)| (p.id, register_digest::encode(p, &m, &c, &e)))
                .collect();
        rows.sort_unstable_by_key(|r| r.0);
        insert_rows(
            &tx,
            "register_digest (person_id, digest)",
            2,
            &rows,
            |st, i, (id, d)| bind!(st, i; id, d),
        )?;
        made += rows.len() as u64;
        tx.commit().map_err(failed)?;
        from = to.saturating_add(1);
        if to == hi {
            break;
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Every date is written as chrono (and so sqlx) writes it.
        #[test]
        fn a_day_is_written_as_chrono_writes_it(n in -1_000_000i32..4_000_000) {
            let d = Date::from_num_days_from_ce_opt(n).unwrap();
            let written = day(d);
            prop_assert_eq!(
                std::str::from_utf8(written.as_bytes()).unwrap(),
                d.format("%F").to_string()
            );
        }
    }
}
