//! A CSV file of values imported without being held, as `ytcs data
//! import FILE.csv` and `ytcs bench indicators` do.
//!
//! Two passes over the file. The first resolves and checks every row as
//! [`crate::exchange::read_csv`] does, refuses values derived from the
//! registers, and keeps only a 16-byte key per row, sorted at the end to
//! find two values of one key: a file with one bad row is refused whole
//! before anything is written, naming its first bad rows and counting the
//! rest. The second pass reads the file again and hands its writes to
//! [`ytcs_store::ValueStore::write_value_chunks`] a chunk at a time, in one
//! transaction; a file that changed between the passes abandons it.
//! Memory is the keys of the first pass (16 bytes a value) and one chunk,
//! never the file or its rows.
//!
//! The passes run on the calling task (they are CPU work between reads of
//! a local file); a server should not call this on a request's task.
//!
//! *Why twice, never held.* The first pass keeps 16 bytes a value (a key,
//! so two values of one key are found by sorting); the second hands the
//! store 1,000,000 writes at a time (`CHUNK_ROWS`), all in one
//! transaction (`ValueStore::write_value_chunks`), checking at the end
//! that the file did not change in between. A refusal ([`Refusal`]) keeps
//! its first [`KEPT_ERRORS`] (100,000) bad rows and counts the rest. With
//! the store's bounded deltas (`ytcs-store`'s `value_write`) an import of
//! 1 M values peaks at 0.23 GB (was 0.33 GB). XLSX, ADX and the web's
//! uploads are bounded in size and still parsed whole
//! ([`crate::exchange`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::period::Period;
use ytcs_store::network::WriteError;
use ytcs_store::values::{ValueWrite, WriteChunks};
use ytcs_store::{Store, StoreError};

use crate::exchange::{
    csv_reader, csv_row, error_summary_counted, Place, Problem, Resolver, RowError,
};
use crate::registers::{derived_message, is_derived};

/// Bad rows a refusal keeps (in file order); the rest are only counted.
pub const KEPT_ERRORS: usize = 100_000;

/// Rows handed to the store at a time.
const CHUNK_ROWS: usize = 1_000_000;

/// A file refused whole: its first bad rows in file order (at most
/// [`KEPT_ERRORS`]) and how many bad rows it has in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The first bad rows.
    pub errors: Vec<RowError>,
    /// Bad rows in all.
    pub total: usize,
    /// Every bad row has the same kind of problem.
    pub same: bool,
}

impl Refusal {
    fn of(e: RowError) -> Refusal {
        Refusal {
            errors: vec![e],
            total: 1,
            same: true,
        }
    }

    /// As people read it: the first bad rows, then a count of the rest
    /// ([`error_summary_counted`]).
    pub fn summary(&self, vi: bool) -> Vec<String> {
        error_summary_counted(&self.errors, self.total, self.same, vi)
    }
}

/// Why an import did not happen. Nothing was written in any case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has bad rows.
    #[error("{} bad row(s): {}", .0.total, .0.summary(false).join("; "))]
    Refused(Refusal),
    /// The store refused or failed the write.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// Values in the file.
    pub values: usize,
    /// Values that changed (new, different or deleted).
    pub changed: usize,
}

/// Imports the CSV file at `path` (see the module comment): all of it or
/// nothing.
pub async fn import_csv_file(
    store: &dyn Store,
    h: &Hierarchy,
    path: &Path,
    by: &str,
) -> Result<Imported, ImportError> {
    import_csv_file_in(store, h, path, by, CHUNK_ROWS).await
}

/// [`import_csv_file`] handing `chunk_rows` rows to the store at a time
/// (tests use small chunks to cross many chunk boundaries).
pub async fn import_csv_file_in(
    store: &dyn Store,
    h: &Hierarchy,
    path: &Path,
    by: &str,
    chunk_rows: usize,
) -> Result<Imported, ImportError> {
    let marks = store.derivation_marks().await?;
    let derived = |w: &ValueWrite| is_derived(&marks, &w.element, w.unit, w.period);
    let (values, stamp) = check_csv_file(h, path, &derived).map_err(ImportError::Refused)?;
    tracing::info!(
        values,
        "data import: file checked, writing in one transaction"
    );
    let mut chunks =
        CsvChunks::open(h, path, stamp, chunk_rows.max(1)).map_err(ImportError::Refused)?;
    let changed = store.write_value_chunks(h, &mut chunks, by).await?;
    Ok(Imported { values, changed })
}

/// What identifies a file's content between the passes: its length and
/// time of change.
type FileStamp = (u64, Option<std::time::SystemTime>);

fn open(path: &Path) -> Result<(BufReader<File>, FileStamp), RowError> {
    let file_error = |e: std::io::Error| {
        RowError::new(
            Place::File,
            Problem::Shape {
                en: format!("{}: {e}", path.display()),
                vi: format!("không mở được tệp {}: {e}", path.display()),
            },
        )
    };
    let file = File::open(path).map_err(file_error)?;
    let meta = file.metadata().map_err(file_error)?;
    Ok((
        BufReader::with_capacity(1 << 20, file),
        (meta.len(), meta.modified().ok()),
    ))
}

/// The first pass: the number of values, or the refusal.
fn check_csv_file(
    h: &Hierarchy,
    path: &Path,
    derived: &dyn Fn(&ValueWrite) -> bool,
) -> Result<(usize, FileStamp), Refusal> {
    let (input, stamp) = open(path).map_err(Refusal::of)?;
    let mut rdr = csv_reader(input).map_err(Refusal::of)?;
    let mut rows = Resolver::new(h);
    let mut keys = Keys::default();
    let mut unkept = 0usize;
    let mut kinds = std::collections::HashSet::new();
    let mut rec = csv::StringRecord::new();
    let mut line = 1;
    loop {
        line += 1;
        match csv_row(&mut rdr, &mut rec, line) {
            None => break,
            Some(Ok(r)) => {
                let place = r.place;
                if let Some(w) = rows.resolve(r) {
                    if derived(&w) {
                        rows.errs.push(RowError::new(
                            place,
                            Problem::Refused(derived_message(&w).0),
                        ));
                    } else if let Err(e) = keys.push(&w, line) {
                        rows.errs.push(RowError::new(place, e));
                    }
                }
            }
            Some(Err(e)) => {
                let stop = e.place == Place::File;
                rows.errs.push(e);
                if stop {
                    break;
                }
            }
        }
        if rows.errs.len() > KEPT_ERRORS {
            for e in rows.errs.drain(KEPT_ERRORS..) {
                kinds.insert(std::mem::discriminant(&e.problem));
                unkept += 1;
            }
        }
    }
    let values = keys.keys.len();
    let mut errors = rows.errs;
    errors.extend(keys.duplicates());
    if errors.is_empty() {
        return Ok((values, stamp));
    }
    kinds.extend(errors.iter().map(|e| std::mem::discriminant(&e.problem)));
    errors.sort_by_key(|e| e.place.order());
    let total = errors.len() + unkept;
    errors.truncate(KEPT_ERRORS);
    Err(Refusal {
        errors,
        total,
        same: kinds.len() == 1,
    })
}

/// Each good row's key (series, period, unit) and line, as one `u128`.
#[derive(Default)]
struct Keys {
    series: HashMap<String, HashMap<String, u32>>,
    series_count: u32,
    periods: HashMap<Period, u32>,
    keys: Vec<u128>,
}

impl Keys {
    fn push(&mut self, w: &ValueWrite, line: usize) -> Result<(), Problem> {
        let next = self.series_count;
        let by_disagg = match self.series.get_mut(w.element.as_str()) {
            Some(m) => m,
            None => self.series.entry(w.element.clone()).or_default(),
        };
        let series = match by_disagg.get(w.disagg.as_str()) {
            Some(s) => *s,
            None => {
                self.series_count += 1;
                *by_disagg.entry(w.disagg.clone()).or_insert(next)
            }
        };
        let next = self.periods.len() as u32;
        let period = *self.periods.entry(w.period).or_insert(next);
        let out_of_range = || Problem::Refused(format!("unit id {} is out of range", w.unit));
        let unit = u32::try_from(w.unit.0).map_err(|_| out_of_range())?;
        let line = u32::try_from(line).map_err(|_| out_of_range())?;
        self.keys.push(
            (u128::from(series) << 96)
                | (u128::from(period) << 64)
                | (u128::from(unit) << 32)
                | u128::from(line),
        );
        Ok(())
    }

    /// Every later row of a key written twice, naming the first.
    fn duplicates(&mut self) -> Vec<RowError> {
        self.keys.sort_unstable();
        let mut out = Vec::new();
        let line = |k: u128| (k & u128::from(u32::MAX)) as usize;
        let mut first = 0;
        for k in 1..self.keys.len() {
            if self.keys[k] >> 32 == self.keys[first] >> 32 {
                out.push(RowError::new(
                    Place::Line(line(self.keys[k])),
                    Problem::Duplicate {
                        first: Place::Line(line(self.keys[first])),
                    },
                ));
            } else {
                first = k;
            }
        }
        out
    }
}

/// The second pass: the file's writes, a chunk at a time.
struct CsvChunks<'h> {
    h: &'h Hierarchy,
    path: PathBuf,
    stamp: FileStamp,
    rdr: csv::Reader<BufReader<File>>,
    rec: csv::StringRecord,
    line: usize,
    buf: Vec<ValueWrite>,
    chunk_rows: usize,
}

impl<'h> CsvChunks<'h> {
    fn open(
        h: &'h Hierarchy,
        path: &Path,
        stamp: FileStamp,
        chunk_rows: usize,
    ) -> Result<Self, Refusal> {
        let (input, _) = open(path).map_err(Refusal::of)?;
        Ok(CsvChunks {
            h,
            path: path.to_owned(),
            stamp,
            rdr: csv_reader(input).map_err(Refusal::of)?,
            rec: csv::StringRecord::new(),
            line: 1,
            buf: Vec::with_capacity(chunk_rows),
            chunk_rows,
        })
    }

    fn changed(&self, what: impl std::fmt::Display) -> String {
        format!(
            "{}: {what}; the file changed after it was checked, nothing was imported",
            self.path.display()
        )
    }
}

impl WriteChunks for CsvChunks<'_> {
    fn next_chunk(&mut self) -> Result<Option<&[ValueWrite]>, String> {
        self.buf.clear();
        let mut rows = Resolver::new(self.h);
        while self.buf.len() < self.chunk_rows {
            self.line += 1;
            match csv_row(&mut self.rdr, &mut self.rec, self.line) {
                None => {
                    let now = open(&self.path).map_err(|e| self.changed(e))?.1;
                    if now != self.stamp {
                        return Err(self.changed("its size or time changed"));
                    }
                    break;
                }
                Some(Ok(r)) => match rows.resolve(r) {
                    Some(w) => self.buf.push(w),
                    None => {
                        let e = rows.errs.pop().map(|e| e.to_string()).unwrap_or_default();
                        return Err(self.changed(e));
                    }
                },
                Some(Err(e)) => return Err(self.changed(e)),
            }
        }
        Ok((!self.buf.is_empty()).then_some(&self.buf[..]))
    }
}
