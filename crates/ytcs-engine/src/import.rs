//! A CSV file of values imported without being held, as `ytcs data
//! import FILE.csv` and `ytcs bench indicators` do.
//!
//! One pass over the file, on two cores. A reading thread parses,
//! resolves and checks every row as [`crate::exchange::read_csv`] does,
//! refuses values derived from the registers, keeps a 16-byte key per row
//! (sorted at the end to find two values of one key), and hands the good
//! rows to the store `CHUNK_ROWS` at a time over a channel of two chunks;
//! the store writes them in one transaction as they come
//! ([`ytcs_store::ValueStore::write_value_chunks`]). The transaction
//! commits only after the thread has read the whole file and found no bad
//! row and no key twice; a bad row stops the chunks, the thread reads on
//! to name the first bad rows and count the rest, and the transaction is
//! abandoned: nothing is written. A refusal thus takes as long as reading
//! the file, not as long as writing it.
//!
//! *Why not check first, then write.* The checking pass and the writing
//! pass each read and resolved the whole file (3 M values: 1.5 s each);
//! side by side the reading overlaps SQLite's work on the other core
//! (3 M values: 7.7 s → see README). All or nothing is the transaction's
//! work either way.
//!
//! The writer waits for the next chunk on the calling thread; a server
//! should not call this on a request's task. Memory is the keys (16 bytes
//! a value) and at most four chunks, never the file. A refusal
//! ([`Refusal`]) keeps its first [`KEPT_ERRORS`] (100,000) bad rows and
//! counts the rest. XLSX, ADX and the web's uploads are bounded in size
//! and still parsed whole ([`crate::exchange`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

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

/// Rows handed to the store at a time (with the channel's two, at most
/// four chunks are alive: about 100 MB).
const CHUNK_ROWS: usize = 250_000;

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
    let (send, receive) = std::sync::mpsc::sync_channel(2);
    let reader = {
        let (h, path) = (h.clone(), path.to_owned());
        std::thread::Builder::new()
            .name("ytcs-import-read".into())
            .spawn(move || read_checked(&h, &path, &marks, chunk_rows.max(1), &send))
            .map_err(|e| ImportError::Store(StoreError::Invalid(format!("a thread: {e}"))))?
    };
    let mut chunks = Chunks {
        receive,
        chunk: Vec::new(),
        verdict: None,
    };
    tracing::info!("data import: reading the file and writing in one transaction");
    let written = store.write_value_chunks(h, &mut chunks, by).await;
    // The writer stopped: on a failure of its own the channel closes, and
    // the thread stops sending chunks but reads on to its verdict (a bad
    // row is named before a store error); its verdict is taken either way.
    drop(chunks.receive);
    let verdict = chunks.verdict.or_else(|| reader.join().ok().flatten());
    match (verdict, written) {
        (Some(Err(refusal)), _) => Err(ImportError::Refused(refusal)),
        (_, Err(e)) => Err(e.into()),
        (Some(Ok(values)), Ok(changed)) => {
            tracing::info!(values, changed, "data import: written");
            Ok(Imported { values, changed })
        }
        (None, Ok(_)) => Err(ImportError::Store(StoreError::Invalid(
            "the file's reading stopped without a verdict".into(),
        ))),
    }
}

/// What the reading thread hands the writer.
enum Message {
    /// Good rows, in file order.
    Rows(Vec<ValueWrite>),
    /// The whole file was read: how many values, or the refusal.
    Verdict(Result<usize, Refusal>),
}

/// The chunks of the reading thread, for the store.
struct Chunks {
    receive: std::sync::mpsc::Receiver<Message>,
    chunk: Vec<ValueWrite>,
    verdict: Option<Result<usize, Refusal>>,
}

impl WriteChunks for Chunks {
    fn next_chunk(&mut self) -> Result<Option<&[ValueWrite]>, String> {
        match self.receive.recv() {
            Ok(Message::Rows(rows)) => {
                self.chunk = rows;
                Ok(Some(&self.chunk))
            }
            Ok(Message::Verdict(Ok(n))) => {
                self.verdict = Some(Ok(n));
                Ok(None)
            }
            Ok(Message::Verdict(Err(r))) => {
                let first = r.summary(false).into_iter().next().unwrap_or_default();
                self.verdict = Some(Err(r));
                Err(format!(
                    "the file has bad rows ({first}); nothing was imported"
                ))
            }
            Err(_) => Err("the file's reading stopped; nothing was imported".into()),
        }
    }
}

/// The reading thread: every row parsed, resolved and checked; good rows
/// sent `chunk_rows` at a time until the first bad one; the verdict last
/// (also returned, should the writer have stopped listening).
fn read_checked(
    h: &Hierarchy,
    path: &Path,
    marks: &[ytcs_store::registers::DerivationMark],
    chunk_rows: usize,
    send: &std::sync::mpsc::SyncSender<Message>,
) -> Option<Result<usize, Refusal>> {
    let verdict = read_rows(h, path, marks, chunk_rows, &mut |rows| {
        send.send(Message::Rows(rows)).is_ok()
    });
    match send.send(Message::Verdict(verdict)) {
        Ok(()) => None,
        Err(std::sync::mpsc::SendError(Message::Verdict(v))) => Some(v),
        Err(_) => None,
    }
}

/// Reads the file at `path`, handing good rows to `sink` `chunk_rows` at
/// a time while no row is bad (`sink` returns `false` to stop being
/// called); the number of values, or the refusal.
fn read_rows(
    h: &Hierarchy,
    path: &Path,
    marks: &[ytcs_store::registers::DerivationMark],
    chunk_rows: usize,
    sink: &mut dyn FnMut(Vec<ValueWrite>) -> bool,
) -> Result<usize, Refusal> {
    let input = open(path).map_err(Refusal::of)?;
    let mut rdr = csv_reader(input).map_err(Refusal::of)?;
    let mut rows = Resolver::new(h);
    let mut keys = Keys::default();
    let mut unkept = 0usize;
    let mut kinds = std::collections::HashSet::new();
    let mut rec = csv::StringRecord::new();
    let mut line = 1;
    let mut chunk = Vec::with_capacity(chunk_rows);
    let mut listening = true;
    loop {
        line += 1;
        match csv_row(&mut rdr, &mut rec, line) {
            None => break,
            Some(Ok(r)) => {
                let place = r.place;
                if let Some(w) = rows.resolve(r) {
                    if is_derived(marks, &w.element, w.unit, w.period) {
                        rows.errs.push(RowError::new(
                            place,
                            Problem::Refused(derived_message(&w).0),
                        ));
                    } else if let Err(e) = keys.push(&w, line) {
                        rows.errs.push(RowError::new(place, e));
                    } else if listening && rows.errs.is_empty() && unkept == 0 {
                        chunk.push(w);
                        if chunk.len() == chunk_rows {
                            let full =
                                std::mem::replace(&mut chunk, Vec::with_capacity(chunk_rows));
                            listening = sink(full);
                        }
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
    if errors.is_empty() && unkept == 0 {
        if listening && !chunk.is_empty() {
            sink(chunk);
        }
        return Ok(values);
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

fn open(path: &Path) -> Result<BufReader<File>, RowError> {
    let file = File::open(path).map_err(|e| {
        RowError::new(
            Place::File,
            Problem::Shape {
                en: format!("{}: {e}", path.display()),
                vi: format!("không mở được tệp {}: {e}", path.display()),
            },
        )
    })?;
    Ok(BufReader::with_capacity(1 << 20, file))
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
