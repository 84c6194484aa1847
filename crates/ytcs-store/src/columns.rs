//! Every period's totals per unit, element and disaggregation, held in
//! memory as dictionary-encoded columns: what [`crate::values::ValueStore::period_values`]
//! answers from, and what a write or a rebuild keeps current.
//!
//! **Layout.** An (element, disaggregation) pair is a *series*, a dense
//! `u32`; a unit is its `u32` id. One [`Block`] per period holds three
//! columns sorted by `key = series << 32 | unit`: the total (thousandths,
//! exact) and how many raw values entered it. A period's block holds its
//! raw values and the sums of the finer periods inside it
//! ([`ytcs_core::aggregate::rollup_periods`]): a month its own values, a
//! quarter its months, a year everything. An element's series are a few
//! contiguous ranges of a block, so a figure reads only the rows of the
//! elements it names.
//!
//! **Invariant.** The columns equal [`Columns::fold`] of the raw values
//! (SQL's `data_value`) exactly: a write adds its integer deltas after its
//! transaction commits, and a block row whose count falls to zero is
//! removed. `rebuild --verify` compares the two.
//!
//! No I/O here except the snapshot file ([`Columns::write_snapshot`],
//! [`Columns::read_snapshot`]): a plain little-endian dump of the columns
//! (no crate: four arrays and a dictionary), stamped with the values
//! generation and a token also kept in `meta`, so a restart loads it in
//! seconds instead of re-reading every raw value.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use ytcs_core::aggregate::{rollup_periods, Fixed};
use ytcs_core::formula::Recorded;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;

/// One period's totals, sorted by key.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Block {
    keys: Vec<u64>,
    totals: Vec<i64>,
    counts: Vec<i32>,
}

/// The key of a series and unit in a block: series first, so a series is
/// one contiguous range.
pub(crate) fn key(series: u32, unit: u32) -> u64 {
    (u64::from(series) << 32) | u64::from(unit)
}

fn series_of(key: u64) -> u32 {
    (key >> 32) as u32
}

fn unit_of(key: u64) -> u32 {
    key as u32
}

impl Block {
    /// A block of deltas from unsorted rows `(key, total, count)`; rows of
    /// one key are added, rows that add to nothing dropped (a row with a
    /// count of zero but a total is an overwritten value: kept).
    fn from_rows(mut rows: Vec<(u64, i64, i32)>) -> Block {
        rows.sort_unstable_by_key(|r| r.0);
        let mut b = Block::with_capacity(rows.len());
        for (k, t, n) in rows {
            match b.keys.last() {
                Some(&last) if last == k => {
                    *b.totals.last_mut().expect("same length") += t;
                    *b.counts.last_mut().expect("same length") += n;
                }
                _ => b.push(k, t, n),
            }
        }
        b.retain_changes();
        b
    }

    fn with_capacity(n: usize) -> Block {
        Block {
            keys: Vec::with_capacity(n),
            totals: Vec::with_capacity(n),
            counts: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, k: u64, t: i64, n: i32) {
        self.keys.push(k);
        self.totals.push(t);
        self.counts.push(n);
    }

    fn retain_changes(&mut self) {
        let kept = |b: &Block, i: usize| b.counts[i] != 0 || b.totals[i] != 0;
        if (0..self.keys.len()).all(|i| kept(self, i)) {
            return;
        }
        let mut out = Block::with_capacity(self.keys.len());
        for i in 0..self.keys.len() {
            if kept(self, i) {
                out.push(self.keys[i], self.totals[i], self.counts[i]);
            }
        }
        *self = out;
    }

    /// Rows held.
    fn len(&self) -> usize {
        self.keys.len()
    }

    /// Adds `delta` (sorted, one row per key) to this block.
    fn add(&mut self, delta: &Block) {
        if delta.len() * 64 < self.len() {
            // A few rows into a large block: in place.
            for i in 0..delta.len() {
                let k = delta.keys[i];
                match self.keys.binary_search(&k) {
                    Ok(j) => {
                        self.totals[j] += delta.totals[i];
                        self.counts[j] += delta.counts[i];
                        if self.counts[j] == 0 {
                            self.keys.remove(j);
                            self.totals.remove(j);
                            self.counts.remove(j);
                        }
                    }
                    Err(j) if delta.counts[i] != 0 => {
                        self.keys.insert(j, k);
                        self.totals.insert(j, delta.totals[i]);
                        self.counts.insert(j, delta.counts[i]);
                    }
                    Err(_) => {}
                }
            }
            return;
        }
        let (a, b) = (&*self, delta);
        let mut out = Block::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let take_a = j == b.len() || (i < a.len() && a.keys[i] < b.keys[j]);
            let take_b = i == a.len() || (j < b.len() && b.keys[j] < a.keys[i]);
            if take_a {
                out.push(a.keys[i], a.totals[i], a.counts[i]);
                i += 1;
            } else if take_b {
                if b.counts[j] != 0 {
                    out.push(b.keys[j], b.totals[j], b.counts[j]);
                }
                j += 1;
            } else {
                let n = a.counts[i] + b.counts[j];
                if n != 0 {
                    out.push(a.keys[i], a.totals[i] + b.totals[j], n);
                }
                i += 1;
                j += 1;
            }
        }
        *self = out;
    }

    /// The rows of one series.
    fn series(&self, s: u32) -> std::ops::Range<usize> {
        let lo = self.keys.partition_point(|k| *k < key(s, 0));
        let hi = self.keys.partition_point(|k| *k <= key(s, u32::MAX));
        lo..hi
    }
}

/// Every period's totals (see the module comment).
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    /// Series id → (element, disaggregation).
    series: Vec<(String, String)>,
    /// Element → disaggregation → series id.
    ids: HashMap<String, HashMap<String, u32>>,
    periods: HashMap<Period, Block>,
}

/// Why a value cannot be held: a unit id beyond `u32`.
#[derive(Debug, thiserror::Error)]
#[error("unit id {0} does not fit the value columns")]
pub(crate) struct UnitOutOfRange(pub i64);

/// How two sets of columns differ, row by row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Difference {
    /// Rows of the expected side absent from the other.
    pub missing: usize,
    /// Rows of the other side the expected one does not have.
    pub extra: usize,
    /// Rows on both sides with another total or count.
    pub different: usize,
}

impl Columns {
    /// The series id of an element and disaggregation, added if new.
    pub(crate) fn series_id(&mut self, element: &str, disagg: &str) -> u32 {
        if let Some(id) = self.ids.get(element).and_then(|d| d.get(disagg)) {
            return *id;
        }
        let id = u32::try_from(self.series.len()).expect("fewer than 2^32 series");
        self.series.push((element.to_string(), disagg.to_string()));
        self.ids
            .entry(element.to_string())
            .or_default()
            .insert(disagg.to_string(), id);
        id
    }

    #[cfg(test)]
    /// The key of one value.
    pub(crate) fn key(
        &mut self,
        element: &str,
        disagg: &str,
        unit: UnitId,
    ) -> Result<u64, UnitOutOfRange> {
        let u = u32::try_from(unit.0).map_err(|_| UnitOutOfRange(unit.0))?;
        Ok(key(self.series_id(element, disagg), u))
    }

    /// Adds the rows `(key, total, count)` of one raw period to it and to
    /// every coarser period enclosing it.
    pub(crate) fn add(&mut self, period: Period, rows: Vec<(u64, i64, i32)>) {
        let delta = Block::from_rows(rows);
        if delta.len() == 0 {
            return;
        }
        for p in rollup_periods(period) {
            let block = self.periods.entry(p).or_default();
            if block.len() == 0 {
                block.clone_from(&delta);
            } else {
                block.add(&delta);
            }
            if block.len() == 0 {
                self.periods.remove(&p);
            }
        }
    }

    #[cfg(test)]
    /// The columns of raw values `(period, element, disagg, unit, value)`,
    /// best given in period order (each period is sorted once).
    pub(crate) fn fold<'a>(
        values: impl IntoIterator<Item = (Period, &'a str, &'a str, UnitId, Fixed)>,
    ) -> Result<Columns, UnitOutOfRange> {
        let mut f = Fold::default();
        for (p, e, d, u, v) in values {
            f.push(p, e, d, u, v)?;
        }
        Ok(f.finish())
    }

    /// Rows held, over every period.
    pub(crate) fn len(&self) -> usize {
        self.periods.values().map(Block::len).sum()
    }

    /// A period's totals per unit for `elements` (every element: `None`),
    /// as the evaluator reads them; only units `keep` keeps are copied.
    pub(crate) fn recorded(
        &self,
        period: Period,
        elements: Option<&[&str]>,
        keep: &mut dyn FnMut(UnitId) -> bool,
    ) -> Vec<Recorded> {
        let Some(block) = self.periods.get(&period) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut emit = |range: std::ops::Range<usize>| {
            for i in range {
                let unit = UnitId(i64::from(unit_of(block.keys[i])));
                if !keep(unit) {
                    continue;
                }
                let (e, d) = &self.series[series_of(block.keys[i]) as usize];
                out.push(Recorded {
                    element: e.clone(),
                    disagg: d.clone(),
                    unit,
                    value: Fixed(block.totals[i]).to_f64(),
                });
            }
        };
        match elements {
            None => emit(0..block.len()),
            Some(es) => {
                let mut ids: Vec<u32> = es
                    .iter()
                    .filter_map(|e| self.ids.get(*e))
                    .flat_map(|d| d.values().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                for s in ids {
                    emit(block.series(s));
                }
            }
        }
        out
    }

    /// Rows of `self` (expected) missing from `other`, rows of `other` not
    /// in `self`, and rows on both with other sums or counts.
    pub(crate) fn compare(&self, other: &Columns) -> Difference {
        let mut d = Difference::default();
        // Series ids of `self` in `other`'s dictionary.
        let to_other: Vec<Option<u32>> = self
            .series
            .iter()
            .map(|(e, g)| other.ids.get(e).and_then(|m| m.get(g)).copied())
            .collect();
        for (p, mine) in &self.periods {
            let Some(theirs) = other.periods.get(p) else {
                d.missing += mine.len();
                continue;
            };
            let mut rows: Vec<(u64, i64, i32)> = Vec::with_capacity(mine.len());
            for i in 0..mine.len() {
                match to_other[series_of(mine.keys[i]) as usize] {
                    Some(s) => rows.push((
                        key(s, unit_of(mine.keys[i])),
                        mine.totals[i],
                        mine.counts[i],
                    )),
                    None => d.missing += 1,
                }
            }
            rows.sort_unstable_by_key(|r| r.0);
            let (mut i, mut j) = (0, 0);
            while i < rows.len() || j < theirs.len() {
                if j == theirs.len() || (i < rows.len() && rows[i].0 < theirs.keys[j]) {
                    d.missing += 1;
                    i += 1;
                } else if i == rows.len() || theirs.keys[j] < rows[i].0 {
                    d.extra += 1;
                    j += 1;
                } else {
                    if (rows[i].1, rows[i].2) != (theirs.totals[j], theirs.counts[j]) {
                        d.different += 1;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        for (p, theirs) in &other.periods {
            if !self.periods.contains_key(p) {
                d.extra += theirs.len();
            }
        }
        d
    }
}

/// Columns built from raw values streamed in period order.
#[derive(Debug, Default)]
pub(crate) struct Fold {
    columns: Columns,
    current: Option<Period>,
    rows: Vec<(u64, i64, i32)>,
}

impl Fold {
    #[cfg(test)]
    /// Adds one raw value.
    pub(crate) fn push(
        &mut self,
        period: Period,
        element: &str,
        disagg: &str,
        unit: UnitId,
        value: Fixed,
    ) -> Result<(), UnitOutOfRange> {
        let series = self.series_id(element, disagg);
        self.push_series(period, series, unit, value)
    }

    /// The series id of an element and disaggregation in the columns
    /// being built (for [`Fold::push_series`]).
    pub(crate) fn series_id(&mut self, element: &str, disagg: &str) -> u32 {
        self.columns.series_id(element, disagg)
    }

    /// Adds one raw value of a series of [`Fold::series_id`].
    pub(crate) fn push_series(
        &mut self,
        period: Period,
        series: u32,
        unit: UnitId,
        value: Fixed,
    ) -> Result<(), UnitOutOfRange> {
        if self.current != Some(period) {
            self.flush();
            self.current = Some(period);
        }
        let u = u32::try_from(unit.0).map_err(|_| UnitOutOfRange(unit.0))?;
        self.rows.push((key(series, u), value.0, 1));
        Ok(())
    }

    fn flush(&mut self) {
        if let Some(p) = self.current.take() {
            let rows = std::mem::take(&mut self.rows);
            self.columns.add(p, rows);
        }
    }

    /// The columns.
    pub(crate) fn finish(mut self) -> Columns {
        self.flush();
        self.columns
    }
}

const MAGIC: &[u8; 8] = b"YTCSCOL1";

/// What a snapshot is stamped with: the values generation it holds and a
/// token also written to `meta` when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub generation: i64,
    pub token: u64,
}

fn io_err(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

fn write_str(w: &mut impl Write, s: &str) -> std::io::Result<()> {
    let n = u32::try_from(s.len()).map_err(|_| io_err("string too long"))?;
    w.write_all(&n.to_le_bytes())?;
    w.write_all(s.as_bytes())
}

fn read_u32(r: &mut impl Read) -> std::io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

fn read_str(r: &mut impl Read) -> std::io::Result<String> {
    let n = read_u32(r)? as usize;
    if n > 1 << 20 {
        return Err(io_err("string too long"));
    }
    let mut b = vec![0u8; n];
    r.read_exact(&mut b)?;
    String::from_utf8(b).map_err(|_| io_err("not UTF-8"))
}

/// Reads `n` little-endian numbers of `W` bytes.
fn read_column<const W: usize, T>(
    r: &mut impl Read,
    n: usize,
    from: fn([u8; W]) -> T,
) -> std::io::Result<Vec<T>> {
    let mut bytes = vec![0u8; n * W];
    r.read_exact(&mut bytes)?;
    Ok(bytes
        .chunks_exact(W)
        .map(|c| from(c.try_into().expect("chunk of W bytes")))
        .collect())
}

impl Columns {
    /// Writes the snapshot to `path` (through a temporary file beside it,
    /// renamed when complete and synced, so a crash leaves the old one).
    /// The temporary file is this writer's own (process and stamp in its
    /// name): two processes writing snapshots at once (the server and a
    /// CLI import) never write into one file, whose header could then
    /// vouch for the other's body.
    pub(crate) fn write_snapshot(&self, path: &Path, stamp: Stamp) -> std::io::Result<()> {
        let tmp = path.with_extension(format!(
            "columns-tmp-{}-{:x}",
            std::process::id(),
            stamp.token
        ));
        let written = self.write_snapshot_to(&tmp, stamp);
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    fn write_snapshot_to(&self, tmp: &Path, stamp: Stamp) -> std::io::Result<()> {
        {
            let f = std::fs::File::create(tmp)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
            w.write_all(MAGIC)?;
            w.write_all(&stamp.generation.to_le_bytes())?;
            w.write_all(&stamp.token.to_le_bytes())?;
            w.write_all(&(self.series.len() as u64).to_le_bytes())?;
            for (e, d) in &self.series {
                write_str(&mut w, e)?;
                write_str(&mut w, d)?;
            }
            let mut periods: Vec<(&Period, &Block)> = self.periods.iter().collect();
            periods.sort_by_key(|(p, _)| **p);
            w.write_all(&(periods.len() as u64).to_le_bytes())?;
            for (p, b) in periods {
                write_str(&mut w, &p.to_string())?;
                w.write_all(&(b.len() as u64).to_le_bytes())?;
                for k in &b.keys {
                    w.write_all(&k.to_le_bytes())?;
                }
                for t in &b.totals {
                    w.write_all(&t.to_le_bytes())?;
                }
                for n in &b.counts {
                    w.write_all(&n.to_le_bytes())?;
                }
            }
            w.write_all(MAGIC)?;
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
        }
        Ok(())
    }

    /// Reads a snapshot and its stamp; `Ok(None)` when there is none.
    pub(crate) fn read_snapshot(path: &Path) -> std::io::Result<Option<(Stamp, Columns)>> {
        let f = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut r = std::io::BufReader::with_capacity(1 << 20, f);
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io_err("not a value-columns snapshot"));
        }
        let stamp = Stamp {
            generation: read_u64(&mut r)? as i64,
            token: read_u64(&mut r)?,
        };
        let mut c = Columns::default();
        let n_series = read_u64(&mut r)?;
        for _ in 0..n_series {
            let e = read_str(&mut r)?;
            let d = read_str(&mut r)?;
            c.series_id(&e, &d);
        }
        if c.series.len() as u64 != n_series {
            return Err(io_err("a series twice"));
        }
        let n_periods = read_u64(&mut r)?;
        for _ in 0..n_periods {
            let p: Period = read_str(&mut r)?
                .parse()
                .map_err(|_| io_err("bad period"))?;
            let n = usize::try_from(read_u64(&mut r)?).map_err(|_| io_err("too long"))?;
            if n > 1 << 34 {
                return Err(io_err("block too long"));
            }
            let b = Block {
                keys: read_column(&mut r, n, u64::from_le_bytes)?,
                totals: read_column(&mut r, n, i64::from_le_bytes)?,
                counts: read_column(&mut r, n, i32::from_le_bytes)?,
            };
            let sorted = b.keys.windows(2).all(|w| w[0] < w[1]);
            let known = b
                .keys
                .iter()
                .all(|k| (series_of(*k) as usize) < c.series.len());
            if !sorted || !known || b.counts.contains(&0) {
                return Err(io_err("a block out of order"));
            }
            c.periods.insert(p, b);
        }
        r.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(io_err("truncated"));
        }
        Ok(Some((stamp, c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(y: i32, mo: u8) -> Period {
        Period::Month(y, mo)
    }

    fn total(c: &Columns, p: Period, e: &str) -> f64 {
        c.recorded(p, Some(&[e]), &mut |_| true)
            .iter()
            .map(|r| r.value)
            .sum()
    }

    #[test]
    fn a_month_feeds_its_quarter_and_year() {
        let c = Columns::fold([
            (m(2024, 1), "births", "", UnitId(7), Fixed(2000)),
            (m(2024, 2), "births", "", UnitId(7), Fixed(3000)),
            (m(2024, 4), "births", "", UnitId(8), Fixed(5000)),
        ])
        .unwrap();
        assert_eq!(total(&c, m(2024, 1), "births"), 2.0);
        assert_eq!(total(&c, Period::Quarter(2024, 1), "births"), 5.0);
        assert_eq!(total(&c, Period::Year(2024), "births"), 10.0);
        assert_eq!(total(&c, Period::Year(2023), "births"), 0.0);
        assert_eq!(c.recorded(Period::Year(2024), None, &mut |_| true).len(), 2);
    }

    #[test]
    fn only_the_elements_asked_for_are_read() {
        let c = Columns::fold([
            (m(2024, 1), "births", "", UnitId(1), Fixed(1000)),
            (m(2024, 1), "deaths", "m.0", UnitId(1), Fixed(1000)),
            (m(2024, 1), "deaths", "f.0", UnitId(2), Fixed(1000)),
            (m(2024, 1), "visits", "", UnitId(3), Fixed(1000)),
        ])
        .unwrap();
        let r = c.recorded(m(2024, 1), Some(&["deaths"]), &mut |_| true);
        assert_eq!(r.len(), 2);
        assert!(r.iter().all(|x| x.element == "deaths"));
        assert!(c
            .recorded(m(2024, 1), Some(&["unknown"]), &mut |_| true)
            .is_empty());
    }

    #[test]
    fn a_value_deleted_leaves_no_row() {
        let mut c = Columns::fold([(m(2024, 3), "births", "", UnitId(1), Fixed(0))]).unwrap();
        // A zero value still counts: the commune reported.
        assert_eq!(c.recorded(Period::Year(2024), None, &mut |_| true).len(), 1);
        let k = c.key("births", "", UnitId(1)).unwrap();
        c.add(m(2024, 3), vec![(k, 0, -1)]);
        assert!(c
            .recorded(Period::Year(2024), None, &mut |_| true)
            .is_empty());
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn snapshot_round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.columns");
        assert!(Columns::read_snapshot(&path).unwrap().is_none());
        let c = Columns::fold([
            (m(2024, 1), "births", "", UnitId(7), Fixed(2000)),
            (Period::Year(2023), "deaths", "m.0", UnitId(9), Fixed(1)),
        ])
        .unwrap();
        let stamp = Stamp {
            generation: 12,
            token: 99,
        };
        c.write_snapshot(&path, stamp).unwrap();
        let (s, back) = Columns::read_snapshot(&path).unwrap().unwrap();
        assert_eq!(s, stamp);
        assert_eq!(back.compare(&c), Difference::default());
        // Writers of one snapshot each use a file of their own, and leave
        // none behind.
        let other = Stamp {
            generation: 13,
            token: 7,
        };
        let empty = Columns::default();
        std::thread::scope(|t| {
            t.spawn(|| c.write_snapshot(&path, stamp).unwrap());
            t.spawn(|| empty.write_snapshot(&path, other).unwrap());
        });
        let (s, back) = Columns::read_snapshot(&path).unwrap().unwrap();
        let want = if s == stamp { &c } else { &empty };
        assert_eq!(back.compare(want), Difference::default());
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["v.columns"]);
        // Cut short: refused, not half read.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert!(Columns::read_snapshot(&path).is_err());
        std::fs::write(&path, b"garbage").unwrap();
        assert!(Columns::read_snapshot(&path).is_err());
    }

    #[test]
    fn compare_names_each_kind_of_difference() {
        let a = Columns::fold([
            (m(2024, 1), "births", "", UnitId(1), Fixed(1000)),
            (m(2024, 1), "births", "", UnitId(2), Fixed(1000)),
        ])
        .unwrap();
        let b = Columns::fold([
            (m(2024, 1), "births", "", UnitId(1), Fixed(2000)),
            (m(2024, 1), "births", "", UnitId(3), Fixed(1000)),
        ])
        .unwrap();
        let d = a.compare(&b);
        // Month, quarter and year each: unit 2 missing, unit 3 extra, unit 1 different.
        assert_eq!((d.missing, d.extra, d.different), (3, 3, 3));
    }

    fn value() -> impl Strategy<Value = (Period, String, String, i64, i64)> {
        (
            prop_oneof![
                (2023i32..2025, 1u8..13).prop_map(|(y, mo)| Period::Month(y, mo)),
                (2023i32..2025, 1u8..5).prop_map(|(y, q)| Period::Quarter(y, q)),
                (2023i32..2025).prop_map(Period::Year),
            ],
            prop::sample::select(vec!["births", "deaths", "visits"]).prop_map(String::from),
            prop::sample::select(vec!["", "m.0", "f.0"]).prop_map(String::from),
            1i64..6,
            -5_000i64..5_000,
        )
    }

    proptest! {
        /// Writing values one batch at a time, overwriting and deleting,
        /// gives the columns a fold of what is left gives.
        #[test]
        fn writes_equal_a_fold_of_what_remains(
            batches in prop::collection::vec(
                prop::collection::vec((value(), any::<bool>()), 1..20), 1..8)
        ) {
            let mut stored: std::collections::BTreeMap<(Period, String, String, i64), i64> =
                Default::default();
            let mut c = Columns::default();
            for batch in batches {
                let mut per_period: HashMap<Period, Vec<(u64, i64, i32)>> = HashMap::new();
                for ((p, e, d, u, v), delete) in batch {
                    let k = (p, e.clone(), d.clone(), u);
                    let old = stored.get(&k).copied();
                    let key = c.key(&e, &d, UnitId(u)).unwrap();
                    let row = match (old, delete) {
                        (None, true) => continue,
                        (Some(o), true) => { stored.remove(&k); (key, -o, -1) }
                        (None, false) => { stored.insert(k, v); (key, v, 1) }
                        (Some(o), false) => { stored.insert(k, v); (key, v - o, 0) }
                    };
                    per_period.entry(p).or_default().push(row);
                }
                for (p, rows) in per_period {
                    c.add(p, rows);
                }
            }
            let fold = Columns::fold(
                stored.iter().map(|((p, e, d, u), v)| (*p, e.as_str(), d.as_str(), UnitId(*u), Fixed(*v))),
            ).unwrap();
            prop_assert_eq!(fold.compare(&c), Difference::default());
            prop_assert_eq!(fold.len(), c.len());
        }
    }
}
