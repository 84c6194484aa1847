//! Bulk reads of a SQLite file through `rusqlite`, on a read-only
//! connection of their own, on the caller's (blocking) thread.
//!
//! *Why.* sqlx hands each SQLite row from its worker thread to the caller
//! one at a time (5–12 µs a row); `rusqlite` steps SQLite directly and
//! links the same `libsqlite3-sys` as sqlx. Reads of hundreds of thousands
//! of rows (a derivation batch's records, [`crate::registers_read`]; its
//! stored values, `ValueStore::raw_values`) go this way. A connection sees
//! what was committed when its read began, as a pooled one does.

use std::path::Path;

use crate::StoreError;

pub(crate) fn failed(e: rusqlite::Error) -> StoreError {
    StoreError::Invalid(format!("reading the database: {e}"))
}

/// A read-only connection to the database file at `path`.
pub(crate) fn open(path: &Path) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(failed)?;
    conn.busy_timeout(std::time::Duration::from_secs(60))
        .map_err(failed)?;
    Ok(conn)
}

/// Every row of `sql` (four integer columns).
pub(crate) fn integer_rows(
    path: &Path,
    sql: &str,
) -> Result<Vec<(i64, i64, i64, i64)>, StoreError> {
    let conn = open(path)?;
    let mut st = conn.prepare(sql).map_err(failed)?;
    let mut rows = st.query([]).map_err(failed)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().map_err(failed)? {
        out.push((
            r.get(0).map_err(failed)?,
            r.get(1).map_err(failed)?,
            r.get(2).map_err(failed)?,
            r.get(3).map_err(failed)?,
        ));
    }
    Ok(out)
}
