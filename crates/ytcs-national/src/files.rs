//! Parquet files of the warehouse: rows gathered into columns and written
//! a row group at a time; a file checked back (its schema, its rows, its
//! checksum) before a publication is accepted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sha2::{Digest, Sha256};

use crate::layout::{FileEntry, Kind};
use crate::NationalError;

/// Rows of a row group.
const ROWS_PER_GROUP: usize = 128 * 1024;

/// One field of a row, in its column's order ([`Kind::schema`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Owned(String),
    NoText,
    Int(i64),
    NoInt,
    Int32(Option<i32>),
    Float(Option<f64>),
    Bool(bool),
    Date(Option<ytcs_core::Date>),
}

/// A column being gathered.
enum Column {
    Text(StringBuilder),
    Int(Int64Builder),
    Int32(Int32Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Date(Date32Builder),
}

fn days(d: ytcs_core::Date) -> i32 {
    let epoch = ytcs_core::Date::from_ymd_opt(1970, 1, 1).expect("a day");
    i32::try_from((d - epoch).num_days()).expect("a date within ±5.8 million years")
}

impl Column {
    fn of(t: &arrow_schema::DataType) -> Column {
        use arrow_schema::DataType as T;
        match t {
            T::Utf8 => Column::Text(StringBuilder::new()),
            T::Int64 => Column::Int(Int64Builder::new()),
            T::Int32 => Column::Int32(Int32Builder::new()),
            T::Float64 => Column::Float(Float64Builder::new()),
            T::Boolean => Column::Bool(BooleanBuilder::new()),
            T::Date32 => Column::Date(Date32Builder::new()),
            other => unreachable!("no column of type {other} in the layout"),
        }
    }

    fn push(&mut self, c: &Cell<'_>) -> bool {
        match (self, c) {
            (Column::Text(b), Cell::Text(s)) => b.append_value(s),
            (Column::Text(b), Cell::Owned(s)) => b.append_value(s),
            (Column::Text(b), Cell::NoText) => b.append_null(),
            (Column::Int(b), Cell::Int(v)) => b.append_value(*v),
            (Column::Int(b), Cell::NoInt) => b.append_null(),
            (Column::Int32(b), Cell::Int32(v)) => b.append_option(*v),
            (Column::Float(b), Cell::Float(v)) => b.append_option(*v),
            (Column::Bool(b), Cell::Bool(v)) => b.append_value(*v),
            (Column::Date(b), Cell::Date(v)) => b.append_option(v.map(days)),
            _ => return false,
        }
        true
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Text(b) => Arc::new(b.finish()),
            Column::Int(b) => Arc::new(b.finish()),
            Column::Int32(b) => Arc::new(b.finish()),
            Column::Float(b) => Arc::new(b.finish()),
            Column::Bool(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
        }
    }
}

/// A Parquet file being written, a row group at a time.
pub struct PartWriter {
    kind: Kind,
    year: Option<i32>,
    path: PathBuf,
    relative: String,
    schema: Arc<arrow_schema::Schema>,
    columns: Vec<Column>,
    pending: usize,
    rows: u64,
    writer: ArrowWriter<BufWriter<File>>,
}

impl PartWriter {
    /// A new file at `root/relative`.
    pub fn create(
        root: &Path,
        relative: String,
        kind: Kind,
        year: Option<i32>,
    ) -> Result<Self, NationalError> {
        let path = root.join(&relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| NationalError::io(dir, e))?;
        }
        let file = File::create(&path).map_err(|e| NationalError::io(&path, e))?;
        let schema = kind.schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROWS_PER_GROUP))
            .build();
        let writer = ArrowWriter::try_new(BufWriter::new(file), schema.clone(), Some(props))?;
        let columns = schema
            .fields()
            .iter()
            .map(|f| Column::of(f.data_type()))
            .collect();
        Ok(Self {
            kind,
            year,
            path,
            relative,
            schema,
            columns,
            pending: 0,
            rows: 0,
            writer,
        })
    }

    /// Adds a row, its cells in the columns' order.
    pub fn push(&mut self, row: &[Cell<'_>]) -> Result<(), NationalError> {
        if row.len() != self.columns.len() {
            return Err(NationalError::Row(format!(
                "a row of {} has {} fields, not {}",
                self.kind.name(),
                row.len(),
                self.columns.len()
            )));
        }
        for (i, (col, cell)) in self.columns.iter_mut().zip(row).enumerate() {
            if !col.push(cell) {
                return Err(NationalError::Row(format!(
                    "{}.{}: {cell:?} does not fit the column",
                    self.kind.name(),
                    self.schema.field(i).name()
                )));
            }
        }
        self.pending += 1;
        if self.pending >= ROWS_PER_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), NationalError> {
        if self.pending == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        self.writer.write(&batch)?;
        self.rows += self.pending as u64;
        self.pending = 0;
        Ok(())
    }

    /// Ends the file, synced to disk, and describes it.
    pub fn finish(mut self) -> Result<FileEntry, NationalError> {
        self.flush()?;
        let out = self.writer.into_inner()?;
        let file = out
            .into_inner()
            .map_err(|e| NationalError::io(&self.path, e.into_error()))?;
        file.sync_all()
            .map_err(|e| NationalError::io(&self.path, e))?;
        let (bytes, sha256) = checksum(&self.path)?;
        Ok(FileEntry {
            kind: self.kind,
            year: self.year,
            path: self.relative,
            rows: self.rows,
            bytes,
            sha256,
        })
    }
}

/// Bytes and SHA-256 of a file.
pub fn checksum(path: &Path) -> Result<(u64, String), NationalError> {
    let mut f = File::open(path).map_err(|e| NationalError::io(path, e))?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf).map_err(|e| NationalError::io(path, e))?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    let hex = crate::hex(&h.finalize());
    Ok((n, hex))
}

/// Checks a published file against its entry: its bytes and checksum, a
/// readable Parquet footer, the columns of its kind, its rows.
pub fn check(root: &Path, e: &FileEntry) -> Result<(), NationalError> {
    let path = root.join(&e.path);
    let refuse = |why: String| NationalError::Refused(format!("{}: {why}", e.path));
    let (bytes, sha) = checksum(&path)?;
    if bytes != e.bytes {
        return Err(refuse(format!(
            "{bytes} bytes, the manifest says {} (truncated?)",
            e.bytes
        )));
    }
    if sha != e.sha256 {
        return Err(refuse("its checksum differs from the manifest's".into()));
    }
    let file = File::open(&path).map_err(|er| NationalError::io(&path, er))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|er| refuse(format!("not a readable Parquet file ({er})")))?;
    let want = e.kind.schema();
    let got = builder.schema();
    let names = |s: &arrow_schema::Schema| -> Vec<(String, arrow_schema::DataType, bool)> {
        s.fields()
            .iter()
            .map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable()))
            .collect()
    };
    if names(&want) != names(got) {
        return Err(refuse(format!(
            "its columns are not those of {}: {:?}",
            e.kind.name(),
            got.fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect::<Vec<_>>()
        )));
    }
    let rows = builder.metadata().file_metadata().num_rows();
    if u64::try_from(rows).ok() != Some(e.rows) {
        return Err(refuse(format!("{rows} rows, the manifest says {}", e.rows)));
    }
    Ok(())
}

/// The distinct values of text column `column` of a published file (the
/// communes of a file, to check that the province owns them).
pub fn distinct_texts(
    root: &Path,
    e: &FileEntry,
    column: &str,
) -> Result<BTreeMap<String, u64>, NationalError> {
    let path = root.join(&e.path);
    let file = File::open(&path).map_err(|er| NationalError::io(&path, er))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)?;
    let Some(index) = builder.schema().index_of(column).ok() else {
        return Ok(BTreeMap::new());
    };
    let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [index]);
    let reader = builder.with_projection(mask).build()?;
    let mut out = BTreeMap::new();
    for batch in reader {
        let batch = batch?;
        let col = batch
            .column(0)
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .ok_or_else(|| NationalError::Refused(format!("{}: {column} is not text", e.path)))?;
        for v in col.iter().flatten() {
            *out.entry(v.to_string()).or_insert(0) += 1;
        }
    }
    Ok(out)
}
