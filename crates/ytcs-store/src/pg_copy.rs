//! Rows sent to PostgreSQL by `COPY … FROM STDIN` in its text format,
//! a megabyte at a time (the fast way in for imports and bulk loads).

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

/// `text` as a field of `COPY`'s text format.
pub(crate) fn copy_text(buf: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => buf.push_str("\\\\"),
            '\t' => buf.push_str("\\t"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            c => buf.push(c),
        }
    }
}

/// `\tBY\tAT`: who wrote a row and when, as the last two fields of a
/// row (microseconds, truncated, as a bound timestamp is stored).
pub(crate) fn stamp_fields(by: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let mut s = String::from("\t");
    copy_text(&mut s, by);
    s.push('\t');
    s.push_str(&at.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string());
    s
}
