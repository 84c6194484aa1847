//! The one way ytcs reads a spreadsheet a user uploads: the first worksheet
//! of an XLSX workbook, within bounds.
//!
//! An XLSX file is a zip of XML parts. A 13 KB file can hold 200 cells that
//! each point at one 10 MB shared string; read naively (calamine's
//! `worksheet_range`) every cell gets its own copy, 2 GB from 13 KB. So,
//! before anything is materialised:
//!
//! 1. every part of the zip is decompressed into a counter, never into
//!    memory, and refused beyond [`Limits::part_bytes`] (one part) or
//!    [`Limits::total_bytes`] (all parts) — the sizes a zip declares are
//!    not trusted;
//! 2. the cells are read one at a time with shared strings borrowed from
//!    the table, and refused when one holds more than [`Limits::cell_chars`]
//!    characters (Excel's own limit is 32,767), when the text of all cells
//!    together passes [`Limits::text_bytes`], or when there are more than
//!    [`Limits::cells`] cells.
//!
//! Errors say what was too large, in English ([`std::fmt::Display`]) and
//! Vietnamese ([`SheetError::vi`]).
//!
//! The data exchange (`ytcs_engine::exchange`) and the registry's tables
//! (`ytcs-registry`) both read through [`first_sheet`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::io::{Cursor, Read};

use calamine::{Data, DataRef, Range, Reader};

/// How much a workbook may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Parts (files) in the zip.
    pub parts: usize,
    /// Decompressed bytes of one part.
    pub part_bytes: u64,
    /// Decompressed bytes of all parts together.
    pub total_bytes: u64,
    /// Characters in one cell.
    pub cell_chars: usize,
    /// Bytes of text in all cells together, once read.
    pub text_bytes: usize,
    /// Non-empty cells of the worksheet.
    pub cells: usize,
}

/// The limits of every upload: room for a worksheet of Excel's full million
/// rows of a few columns, nowhere near the machine's memory.
pub const LIMITS: Limits = Limits {
    parts: 1_000,
    part_bytes: 256 * 1024 * 1024,
    total_bytes: 512 * 1024 * 1024,
    cell_chars: 32_767,
    text_bytes: 128 * 1024 * 1024,
    cells: 8_000_000,
};

/// Why a workbook was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// Not a zip, or not a workbook calamine can open.
    #[error("not an XLSX workbook: {0}")]
    NotXlsx(String),
    /// Beyond one of the [`Limits`].
    #[error("the workbook is too large: {what} exceeds {limit}")]
    TooLarge {
        /// What was too large, in English.
        what: &'static str,
        /// The limit, in words.
        limit: String,
        /// What was too large, in Vietnamese.
        what_vi: &'static str,
    },
    /// A cell longer than a cell may be.
    #[error("cell {cell} holds more than {limit} characters")]
    LongCell {
        /// The cell, as Excel names it (`B7`).
        cell: String,
        /// The limit.
        limit: usize,
    },
    /// No worksheet.
    #[error("the workbook has no worksheet")]
    NoSheet,
    /// The worksheet could not be read.
    #[error("cannot read the first worksheet: {0}")]
    Sheet(String),
}

impl SheetError {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            SheetError::NotXlsx(e) => format!("không phải tệp Excel (XLSX) đọc được: {e}"),
            SheetError::TooLarge { what_vi, limit, .. } => {
                format!("tệp Excel quá lớn: {what_vi} vượt quá {limit}")
            }
            SheetError::LongCell { cell, limit } => {
                format!("ô {cell} chứa hơn {limit} ký tự")
            }
            SheetError::NoSheet => "tệp Excel không có trang tính nào".into(),
            SheetError::Sheet(e) => format!("không đọc được trang tính đầu tiên: {e}"),
        }
    }
}

fn too_large(what: &'static str, what_vi: &'static str, limit: String) -> SheetError {
    SheetError::TooLarge {
        what,
        limit,
        what_vi,
    }
}

fn mib(b: u64) -> String {
    format!("{} MiB", b / (1024 * 1024))
}

/// Decompresses every part into a counter; refuses beyond the limits.
fn check_parts(bytes: &[u8], limits: &Limits) -> Result<(), SheetError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| SheetError::NotXlsx(e.to_string()))?;
    if zip.len() > limits.parts {
        return Err(too_large(
            "the number of parts",
            "số thành phần trong tệp",
            limits.parts.to_string(),
        ));
    }
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip
            .by_index(i)
            .map_err(|e| SheetError::NotXlsx(e.to_string()))?;
        let mut n = 0u64;
        loop {
            let k = part
                .read(&mut buf)
                .map_err(|e| SheetError::NotXlsx(e.to_string()))?;
            if k == 0 {
                break;
            }
            n += k as u64;
            total += k as u64;
            if n > limits.part_bytes {
                return Err(too_large(
                    "one part, decompressed,",
                    "một thành phần sau khi giải nén",
                    mib(limits.part_bytes),
                ));
            }
            if total > limits.total_bytes {
                return Err(too_large(
                    "the content, decompressed,",
                    "nội dung sau khi giải nén",
                    mib(limits.total_bytes),
                ));
            }
        }
    }
    Ok(())
}

/// Excel's name of a cell (`B7`) from 0-based row and column.
fn cell_name(row: u32, col: u32) -> String {
    let mut c = col as u64 + 1;
    let mut letters = Vec::new();
    while c > 0 {
        let r = ((c - 1) % 26) as u8;
        letters.push((b'A' + r) as char);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// A cell as text, the one rule for every reader of an uploaded sheet:
/// numbers in machine format and in full (`1234.5`, `5` for 5.0 — Rust
/// writes the shortest text that reads back the same, never an
/// exponent), dates as ISO (`2025-07-01`), text trimmed. A cell that
/// holds no usable value (an infinite number, an Excel error such as
/// `#DIV/0!`, a date out of range) is an error carrying what it shows.
pub fn cell_text(c: &Data) -> Result<String, String> {
    Ok(match c {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Float(f) if f.is_finite() => format!("{f}"),
        Data::Float(f) => return Err(format!("{f}")),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
            .and_then(|base| base.checked_add_signed(chrono::Duration::days(dt.as_f64() as i64)))
            .map(|d| d.to_string())
            .ok_or_else(|| dt.to_string())?,
        Data::Error(e) => return Err(format!("{e}")),
    })
}

/// The first worksheet of an XLSX workbook, within [`LIMITS`].
pub fn first_sheet(bytes: &[u8]) -> Result<Range<Data>, SheetError> {
    first_sheet_within(bytes, &LIMITS)
}

/// The first worksheet of an XLSX workbook, within `limits`.
pub fn first_sheet_within(bytes: &[u8], limits: &Limits) -> Result<Range<Data>, SheetError> {
    check_parts(bytes, limits)?;
    let mut wb =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::NotXlsx(e.to_string()))?;
    let name = wb
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(SheetError::NoSheet)?;
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| SheetError::Sheet(e.to_string()))?;
    let mut cells = Vec::new();
    let mut text = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| SheetError::Sheet(e.to_string()))?
    {
        let (row, col) = cell.get_position();
        let len = match cell.get_value() {
            DataRef::SharedString(s) => Some(*s),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Some(s.as_str())
            }
            _ => None,
        }
        .map(|s| {
            // Bytes bound characters from above: count only when needed.
            if s.len() > limits.cell_chars && s.chars().count() > limits.cell_chars {
                usize::MAX
            } else {
                s.len()
            }
        });
        if let Some(len) = len {
            if len == usize::MAX {
                return Err(SheetError::LongCell {
                    cell: cell_name(row, col),
                    limit: limits.cell_chars,
                });
            }
            text += len;
            if text > limits.text_bytes {
                return Err(too_large(
                    "the text of the cells",
                    "chữ trong các ô",
                    mib(limits.text_bytes as u64),
                ));
            }
        }
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        if cells.len() >= limits.cells {
            return Err(too_large(
                "the number of cells",
                "số ô có dữ liệu",
                limits.cells.to_string(),
            ));
        }
        let value = Data::from(cell.get_value().clone());
        cells.push(calamine::Cell::new((row, col), value));
    }
    Ok(Range::from_sparse(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_text_by_one_rule() {
        let read = |c: Data| cell_text(&c);
        assert_eq!(read(Data::Float(5.0)).unwrap(), "5");
        assert_eq!(read(Data::Float(1234.567)).unwrap(), "1234.567");
        assert_eq!(read(Data::Float(1e20)).unwrap(), "100000000000000000000");
        assert_eq!(read(Data::Int(-3)).unwrap(), "-3");
        assert_eq!(read(Data::String("  Đăk Rve ".into())).unwrap(), "Đăk Rve");
        assert_eq!(read(Data::Empty).unwrap(), "");
        assert!(read(Data::Float(f64::INFINITY)).is_err());
        assert!(read(Data::Error(calamine::CellErrorType::Div0)).is_err());
        let day =
            calamine::ExcelDateTime::new(45839.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(read(Data::DateTime(day)).unwrap(), "2025-07-01");
    }

    fn workbook(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if let Ok(n) = v.parse::<f64>() {
                    ws.write_number(r as u32, c as u16, n).unwrap();
                } else {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn an_ordinary_workbook_is_read_cell_by_cell() {
        let bytes = workbook(&[&["element", "value"], &["live_births", "12"], &["", "3.5"]]);
        let r = first_sheet(&bytes).unwrap();
        assert_eq!(r.get_value((0, 0)), Some(&Data::String("element".into())));
        assert_eq!(r.get_value((1, 1)), Some(&Data::Float(12.0)));
        assert_eq!(r.get_value((2, 1)), Some(&Data::Float(3.5)));
        assert_eq!(r.height(), 3);
    }

    #[test]
    fn many_cells_pointing_at_one_long_shared_string_are_refused_before_they_are_copied() {
        // 200 cells, one 10 MB shared string: 2 GB if each got a copy.
        let bytes = ytcs_testkit::shared_string_bomb(200, 10 * 1024 * 1024);
        assert!(bytes.len() < 100_000, "{} bytes", bytes.len());
        let e = first_sheet(&bytes).unwrap_err();
        assert!(
            matches!(e, SheetError::LongCell { ref cell, .. } if cell == "A1"),
            "{e}"
        );
        assert!(e.vi().contains("A1"));
        // Shorter strings, many times: the total is bounded too.
        let small = Limits {
            text_bytes: 10 * 1024 * 1024,
            ..LIMITS
        };
        let bytes = ytcs_testkit::shared_string_bomb(1_000, 30_000);
        let e = first_sheet_within(&bytes, &small).unwrap_err();
        assert!(matches!(e, SheetError::TooLarge { .. }), "{e}");
        assert!(e.vi().contains("quá lớn"));
    }

    #[test]
    fn a_part_that_decompresses_beyond_its_limit_is_refused() {
        let bytes = workbook(&[&["a"]]);
        let tiny = Limits {
            part_bytes: 100,
            ..LIMITS
        };
        let e = first_sheet_within(&bytes, &tiny).unwrap_err();
        assert!(e.to_string().contains("decompressed"), "{e}");
        let tiny = Limits {
            total_bytes: 1_000,
            ..LIMITS
        };
        assert!(first_sheet_within(&bytes, &tiny).is_err());
    }

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 1), "B7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(9, 701), "ZZ10");
        assert_eq!(cell_name(0, 702), "AAA1");
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_give_an_error_or_a_sheet_never_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096)) {
            let _ = first_sheet(&bytes);
        }
    }
}
