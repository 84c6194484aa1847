//! Rows sent to PostgreSQL by `COPY … FROM STDIN`, a megabyte at a
//! time (the fast way in for imports and bulk loads): in its text format
//! ([`CopyIn`], an import's values) or its binary format ([`BinaryRows`],
//! a bulk load of the registers).

use sqlx::postgres::PgCopyIn;
use sqlx::PgConnection;

use crate::StoreError;

/// Bytes gathered before they are sent.
const SEND_AT: usize = 1 << 20;

/// A `COPY … FROM STDIN` under way: write each row's fields into
/// [`CopyIn::line`], then call [`CopyIn::end_row`].
pub(crate) struct CopyIn<'c> {
    copy: PgCopyIn<&'c mut PgConnection>,
    /// The row being written (and those not yet sent).
    pub(crate) line: String,
}

impl<'c> CopyIn<'c> {
    /// Starts `statement` (a `COPY … FROM STDIN`).
    pub(crate) async fn start(
        conn: &'c mut PgConnection,
        statement: &str,
    ) -> Result<CopyIn<'c>, StoreError> {
        Ok(CopyIn {
            copy: conn.copy_in_raw(statement).await?,
            line: String::with_capacity(SEND_AT + 4096),
        })
    }

    /// Ends a row (its fields written into `line`, without the newline);
    /// sends what is gathered once it is large.
    pub(crate) async fn end_row(&mut self) -> Result<(), StoreError> {
        self.line.push('\n');
        if self.line.len() >= SEND_AT {
            self.copy.send(self.line.as_bytes()).await?;
            self.line.clear();
        }
        Ok(())
    }

    /// Sends the rest and ends the `COPY`.
    pub(crate) async fn finish(mut self) -> Result<(), StoreError> {
        if !self.line.is_empty() {
            self.copy.send(self.line.as_bytes()).await?;
        }
        self.copy.finish().await?;
        Ok(())
    }
}

/// Rows in `COPY`'s binary format: each field sent as PostgreSQL stores
/// it, so the server parses no text (a bulk load's dates and stamps
/// were a tenth of its time in text).
pub(crate) struct BinaryRows {
    table: &'static str,
    columns: &'static [&'static str],
    /// The type (oid) of each column, in the order of the fields.
    types: Vec<u32>,
    pub(crate) bytes: Vec<u8>,
}

/// Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01.
const PG_EPOCH_DAYS: i64 = 10_957;

impl BinaryRows {
    /// Rows for `table`'s `columns`, whose types are `types`.
    pub(crate) fn new(
        table: &'static str,
        columns: &'static [&'static str],
        types: Vec<u32>,
    ) -> BinaryRows {
        let mut bytes = Vec::with_capacity(1 << 16);
        bytes.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        bytes.extend_from_slice(&0i32.to_be_bytes()); // flags
        bytes.extend_from_slice(&0i32.to_be_bytes()); // header extension
        BinaryRows {
            table,
            columns,
            types,
            bytes,
        }
    }

    /// Adds one row; a field that its column's type cannot hold is an
    /// error naming the column.
    pub(crate) fn row(&mut self, fields: &[crate::bulk_rows::Field<'_>]) -> Result<(), StoreError> {
        use crate::bulk_rows::Field;
        if fields.len() != self.types.len() {
            return Err(self.invalid(None, &format!("{} fields", fields.len())));
        }
        let b = &mut self.bytes;
        b.extend_from_slice(&(fields.len() as i16).to_be_bytes());
        for (i, f) in fields.iter().enumerate() {
            let ty = self.types[i];
            let sized = |b: &mut Vec<u8>, v: &[u8]| {
                b.extend_from_slice(&(v.len() as i32).to_be_bytes());
                b.extend_from_slice(v);
            };
            match (f, ty) {
                (Field::Null, _) => b.extend_from_slice(&(-1i32).to_be_bytes()),
                (Field::Int(v), INT8) => sized(b, &v.to_be_bytes()),
                (Field::Int(v), INT4) => match i32::try_from(*v) {
                    Ok(v) => sized(b, &v.to_be_bytes()),
                    Err(_) => return Err(self.invalid(Some(i), &format!("{v}"))),
                },
                (Field::Int(v), INT2) => match i16::try_from(*v) {
                    Ok(v) => sized(b, &v.to_be_bytes()),
                    Err(_) => return Err(self.invalid(Some(i), &format!("{v}"))),
                },
                (Field::Float(v), FLOAT8) => sized(b, &v.to_be_bytes()),
                (Field::Bool(v), BOOL) => sized(b, &[u8::from(*v)]),
                (Field::Text(t), TEXT | VARCHAR) => sized(b, t.as_bytes()),
                (Field::Owned(t), TEXT | VARCHAR) => sized(b, t.as_bytes()),
                (Field::Date(d), DATE) => {
                    let days = i64::from(d.num_days_from_ce()) - 719_163 - PG_EPOCH_DAYS;
                    // Any chrono date is within PostgreSQL's (and i32).
                    sized(b, &(days as i32).to_be_bytes())
                }
                (Field::Time(t), TIMESTAMPTZ | TIMESTAMP) => {
                    let micros = t.timestamp_micros() - PG_EPOCH_DAYS * 86_400_000_000;
                    sized(b, &micros.to_be_bytes())
                }
                (Field::Bytes(v), BYTEA) => sized(b, v),
                (other, _) => return Err(self.invalid(Some(i), &format!("{other:?}"))),
            }
        }
        Ok(())
    }

    /// The rows, ended.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.bytes.extend_from_slice(&(-1i16).to_be_bytes());
        self.bytes
    }

    fn invalid(&self, column: Option<usize>, what: &str) -> StoreError {
        StoreError::Invalid(match column {
            Some(i) => format!(
                "a bulk row of {}: {} (type {}) cannot hold {what}",
                self.table, self.columns[i], self.types[i]
            ),
            None => format!(
                "a bulk row of {} has {what}, not {}",
                self.table,
                self.types.len()
            ),
        })
    }
}

use chrono::Datelike as _;

const BOOL: u32 = 16;
const BYTEA: u32 = 17;
const INT8: u32 = 20;
const INT2: u32 = 21;
const INT4: u32 = 23;
const TEXT: u32 = 25;
const FLOAT8: u32 = 701;
const VARCHAR: u32 = 1043;
const DATE: u32 = 1082;
const TIMESTAMP: u32 = 1114;
const TIMESTAMPTZ: u32 = 1184;

/// The types (oids) of `table`'s `columns`, in their order; a column the
/// table lacks is an error.
pub(crate) async fn column_types(
    conn: &mut PgConnection,
    table: &str,
    columns: &[&str],
) -> Result<Vec<u32>, StoreError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.attname::text, a.atttypid::int8 FROM pg_attribute a \
         WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    columns
        .iter()
        .map(|c| {
            rows.iter()
                .find(|(name, _)| name == c)
                .map(|(_, oid)| *oid as u32)
                .ok_or_else(|| StoreError::Invalid(format!("{table} has no column {c}")))
        })
        .collect()
}

/// Sends `bytes` (a whole `COPY`'s data) for `statement`, a megabyte at
/// a time.
pub(crate) async fn copy_all(
    conn: &mut PgConnection,
    statement: &str,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let mut copy = conn.copy_in_raw(statement).await?;
    for chunk in bytes.chunks(SEND_AT) {
        copy.send(chunk).await?;
    }
    copy.finish().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk_rows::Field;

    fn rows(types: Vec<u32>) -> BinaryRows {
        BinaryRows::new("t", &["a", "b"], types)
    }

    /// The bytes of one row's fields after the header and field count.
    fn encoded(ty: u32, f: Field<'_>) -> Result<Vec<u8>, StoreError> {
        let mut r = BinaryRows::new("t", &["a"], vec![ty]);
        r.row(&[f])?;
        Ok(r.bytes[19 + 2..].to_vec())
    }

    #[test]
    fn dates_and_times_count_from_2000() {
        let d = |y, m, day| Field::Date(ytcs_core::Date::from_ymd_opt(y, m, day).unwrap());
        assert_eq!(
            encoded(DATE, d(2000, 1, 1)).unwrap(),
            [0, 0, 0, 4, 0, 0, 0, 0]
        );
        assert_eq!(
            encoded(DATE, d(1999, 12, 31)).unwrap(),
            [0, 0, 0, 4, 255, 255, 255, 255]
        );
        assert_eq!(
            encoded(DATE, d(2000, 1, 3)).unwrap(),
            [0, 0, 0, 4, 0, 0, 0, 2]
        );
        let t = chrono::DateTime::from_timestamp(946_684_800 + 1, 5_000).unwrap();
        let micros = 1_000_005i64.to_be_bytes();
        assert_eq!(encoded(TIMESTAMPTZ, Field::Time(t)).unwrap()[4..], micros);
    }

    #[test]
    fn each_field_as_its_column_stores_it() {
        assert_eq!(
            encoded(INT8, Field::Int(258)).unwrap(),
            [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2]
        );
        assert_eq!(
            encoded(INT4, Field::Int(-1)).unwrap(),
            [0, 0, 0, 4, 255, 255, 255, 255]
        );
        assert_eq!(encoded(BOOL, Field::Bool(true)).unwrap(), [0, 0, 0, 1, 1]);
        assert_eq!(
            encoded(TEXT, Field::Text("xã")).unwrap(),
            [0, 0, 0, 3, b'x', 0xc3, 0xa3]
        );
        assert_eq!(encoded(INT8, Field::Null).unwrap(), [255, 255, 255, 255]);
        assert_eq!(
            encoded(FLOAT8, Field::Float(1.5)).unwrap()[4..],
            1.5f64.to_be_bytes()
        );
    }

    #[test]
    fn a_field_its_column_cannot_hold_is_an_error_naming_the_column() {
        let e = encoded(INT4, Field::Int(1 << 40)).unwrap_err().to_string();
        assert!(e.contains("t: a (type 23)"), "{e}");
        let e = encoded(DATE, Field::Text("2020-01-01"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("cannot hold"), "{e}");
        let e = rows(vec![INT8, INT8])
            .row(&[Field::Int(1)])
            .unwrap_err()
            .to_string();
        assert!(e.contains("1 fields, not 2"), "{e}");
    }

    #[test]
    fn rows_start_with_the_signature_and_end_with_the_trailer() {
        let mut r = rows(vec![INT8, TEXT]);
        r.row(&[Field::Int(1), Field::Text("a")]).unwrap();
        let b = r.finish();
        assert_eq!(&b[..11], b"PGCOPY\n\xff\r\n\0");
        assert_eq!(&b[19..21], &2i16.to_be_bytes());
        assert_eq!(&b[b.len() - 2..], &(-1i16).to_be_bytes());
    }
}
