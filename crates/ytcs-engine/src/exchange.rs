//! Data values in and out: CSV (`element,org,period,disagg,value`, machine
//! number format), XLSX (the same columns on the first sheet, English or
//! Vietnamese headers, values as numbers) and IHE ADX
//! (`urn:ihe:qrph:adx:2015`: groups per org unit, period and data set;
//! disaggregations as attributes named after the element's categories).
//!
//! Reading is all or nothing: every bad row is named (CSV line, Excel row
//! number or ADX `dataValue` number) — unknown element, wrong value type,
//! period not fitting the data set, org unit that did not exist in that
//! period — and nothing is returned to write when any row is bad. Each
//! [`RowError`] reads in English (`Display`) and in Vietnamese
//! ([`RowError::vi`]).
//!
//! A [`RowError`] is a [`Place`] (CSV line, Excel row, ADX `dataValue`)
//! and a [`Problem`]. [`error_summary`] is how a refusal is told: the
//! first [`LISTED_ERRORS`] rows, then a count. Rows are resolved one at a
//! time as the file is read (`Resolver`); two values for one key are found
//! by sorting the writes' keys. XLSX is read through `ytcs-sheet`.

use std::collections::BTreeMap;
use std::fmt;

use quick_xml::events::Event;
use ytcs_core::aggregate::{Fixed, ValueType};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::OrgCode;
use ytcs_core::period::{Period, PeriodType};
use ytcs_core::text::fold;
use ytcs_core::Date;
use ytcs_store::values::{check_write, data_set_of, element, StoredValue, ValueWrite};

use crate::EngineError;

/// The ADX namespace.
pub const ADX_NS: &str = "urn:ihe:qrph:adx:2015";

/// Where a bad row is in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A CSV line (the header is line 1).
    Line(usize),
    /// A worksheet row, numbered as Excel shows it.
    Row(usize),
    /// The n-th `dataValue` of an ADX message.
    DataValue(usize),
    /// The file as a whole.
    File,
}

impl Place {
    /// The place in Vietnamese (`dòng 5`).
    pub fn vi(&self) -> String {
        match self {
            Place::Line(n) | Place::Row(n) => format!("dòng {n}"),
            Place::DataValue(n) => format!("dataValue thứ {n}"),
            Place::File => "tệp".into(),
        }
    }
}

/// What is wrong with a row (or a file).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The file's shape: header, field count, cell type, XML.
    Shape {
        /// In English.
        en: String,
        /// In Vietnamese.
        vi: String,
    },
    /// The period is not one (`2024`, `2024Q2`, `2024-06` …).
    BadPeriod {
        /// The text given.
        text: String,
        /// The parser's message.
        en: String,
    },
    /// No data element has this code.
    UnknownElement(String),
    /// The value does not fit the element's type.
    BadValue {
        /// The element.
        element: String,
        /// The value as given.
        value: String,
        /// What the element takes.
        expected: ValueType,
        /// The checker's message.
        en: String,
    },
    /// The disaggregation is not one of the element's.
    BadDisaggregation {
        /// The element.
        element: String,
        /// The key given.
        disagg: String,
        /// The checker's message.
        en: String,
    },
    /// The period is not of the type the element's data set collects.
    PeriodDoesNotFit {
        /// The period.
        period: Period,
        /// The data set.
        data_set: String,
        /// The checker's message.
        en: String,
    },
    /// No unit carried the code on the period's last day.
    UnknownUnit {
        /// The code given.
        org: String,
        /// The period's last day.
        date: Date,
        /// The period.
        period: Period,
    },
    /// Any other refusal of the write check.
    Refused(String),
    /// A second value for the same element, unit, period and
    /// disaggregation: the file does not say which one holds.
    Duplicate {
        /// Where the first one is.
        first: Place,
    },
}

/// One bad row: where and what.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Where.
    pub place: Place,
    /// What.
    pub problem: Problem,
}

impl Place {
    /// Its position in the file, for listing problems in file order.
    pub(crate) fn order(&self) -> usize {
        match self {
            Place::File => 0,
            Place::Line(n) | Place::Row(n) | Place::DataValue(n) => *n,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Line(n) => write!(f, "line {n}"),
            Place::Row(n) => write!(f, "row {n}"),
            Place::DataValue(n) => write!(f, "dataValue {n}"),
            Place::File => Ok(()),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Shape { en, .. }
            | Problem::BadPeriod { en, .. }
            | Problem::BadValue { en, .. }
            | Problem::BadDisaggregation { en, .. }
            | Problem::PeriodDoesNotFit { en, .. } => f.write_str(en),
            Problem::UnknownElement(c) => write!(f, "unknown data element '{c}'"),
            Problem::UnknownUnit { org, date, period } => write!(
                f,
                "no org unit {org} existed on {date}, the last day of {period}"
            ),
            Problem::Refused(m) => f.write_str(m),
            Problem::Duplicate { first } => write!(
                f,
                "the same element, unit, period and disaggregation as {first}: keep one of the two"
            ),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::File => write!(f, "{}", self.problem),
            p => write!(f, "{p}: {}", self.problem),
        }
    }
}

/// How many bad rows a refusal names; the rest are counted.
pub const LISTED_ERRORS: usize = 20;

/// A refusal as people read it: the first [`LISTED_ERRORS`] bad rows, then
/// one line counting the rest ("… and 100,780 more rows with the same
/// problem" when they all share the last named row's kind of problem), in
/// English or (`vi`) Vietnamese. Never a flood of millions of lines.
pub fn error_summary(errs: &[RowError], vi: bool) -> Vec<String> {
    let kind = |p: &Problem| std::mem::discriminant(p);
    let same = errs.len() > LISTED_ERRORS
        && errs[LISTED_ERRORS..]
            .iter()
            .all(|e| kind(&e.problem) == kind(&errs[LISTED_ERRORS - 1].problem));
    error_summary_counted(errs, errs.len(), same, vi)
}

/// [`error_summary`] of the first bad rows `errs` of `total`, where `same`
/// says the rows after the listed ones share the last listed row's kind of
/// problem.
pub fn error_summary_counted(errs: &[RowError], total: usize, same: bool, vi: bool) -> Vec<String> {
    let mut out: Vec<String> = errs
        .iter()
        .take(LISTED_ERRORS)
        .map(|e| if vi { e.vi() } else { e.to_string() })
        .collect();
    let n = total.saturating_sub(out.len());
    if n > 0 {
        out.push(match (vi, same) {
            (false, true) => format!(
                "… and {} more rows with the same problem",
                thousands(n, ',')
            ),
            (false, false) => format!("… and {} more bad rows", thousands(n, ',')),
            (true, true) => format!("… và {} dòng khác cùng lỗi này", thousands(n, '.')),
            (true, false) => format!("… và {} dòng lỗi khác", thousands(n, '.')),
        });
    }
    out
}

/// `100780` as `100.780` (Vietnamese) or `100,780` (English).
fn thousands(n: usize, sep: char) -> String {
    ytcs_core::plan::vn::format_number(n as f64, 0).replace('.', &sep.to_string())
}

impl Problem {
    /// The problem in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            Problem::Shape { vi, .. } => vi.clone(),
            Problem::BadPeriod { text, .. } => format!(
                "'{text}' không phải là kỳ báo cáo (ví dụ 2024, 2024S1, 2024Q2, 2024-06, 2024-06-30)"
            ),
            Problem::UnknownElement(c) => format!("không có chỉ tiêu dữ liệu '{c}'"),
            Problem::BadValue {
                element,
                value,
                expected,
                ..
            } => format!(
                "{element}: '{value}' không hợp lệ, giá trị phải là {}",
                vi_type(*expected)
            ),
            Problem::BadDisaggregation {
                element, disagg, ..
            } => format!("{element}: phân tổ '{disagg}' không có trong chỉ tiêu này"),
            Problem::PeriodDoesNotFit {
                period, data_set, ..
            } => format!("kỳ {period} không phù hợp với biểu {data_set}"),
            Problem::UnknownUnit { org, date, period } => format!(
                "không có đơn vị mang mã {org} vào ngày {}, ngày cuối của kỳ {period}",
                date.format("%d/%m/%Y")
            ),
            Problem::Refused(m) => format!("không ghi được: {m}"),
            Problem::Duplicate { first } => format!(
                "trùng chỉ tiêu, đơn vị, kỳ và phân tổ với {}: chỉ giữ một trong hai",
                first.vi()
            ),
        }
    }
}

impl RowError {
    pub(crate) fn new(place: Place, problem: Problem) -> Self {
        RowError { place, problem }
    }

    fn shape(place: Place, en: impl Into<String>, vi: impl Into<String>) -> Self {
        RowError::new(
            place,
            Problem::Shape {
                en: en.into(),
                vi: vi.into(),
            },
        )
    }

    /// The error in Vietnamese (`dòng 5: …`).
    pub fn vi(&self) -> String {
        let p = self.problem.vi();
        match self.place {
            Place::File => p,
            place => format!("{}: {p}", place.vi()),
        }
    }
}

/// One row as read, before checks.
pub(crate) struct RawRow {
    pub(crate) place: Place,
    pub(crate) element: String,
    pub(crate) org: String,
    pub(crate) period: String,
    pub(crate) disagg: String,
    pub(crate) value: String,
}

/// Rows resolved one at a time as a file is read (nothing of a row is
/// kept but its write and its place), then refused whole or returned.
pub(crate) struct Resolver<'h> {
    h: &'h Hierarchy,
    out: Vec<ValueWrite>,
    places: Vec<Place>,
    pub(crate) errs: Vec<RowError>,
}

impl<'h> Resolver<'h> {
    pub(crate) fn new(h: &'h Hierarchy) -> Self {
        Resolver {
            h,
            out: Vec::new(),
            places: Vec::new(),
            errs: Vec::new(),
        }
    }

    /// Resolves one row (its error, if any, is kept).
    fn row(&mut self, r: RawRow) {
        let place = r.place;
        if let Some(w) = self.resolve(r) {
            self.out.push(w);
            self.places.push(place);
        }
    }

    /// One row's write, or `None` with its error kept.
    pub(crate) fn resolve(&mut self, r: RawRow) -> Option<ValueWrite> {
        let h = self.h;
        let bad = |p: Problem| RowError::new(r.place, p);
        let period: Period = match r.period.parse() {
            Ok(p) => p,
            Err(e) => {
                self.errs.push(bad(Problem::BadPeriod {
                    text: r.period.clone(),
                    en: format!("{e}"),
                }));
                return None;
            }
        };
        let Some(el) = element(&r.element) else {
            self.errs
                .push(bad(Problem::UnknownElement(r.element.clone())));
            return None;
        };
        let value = match el.parse_value(&r.value) {
            Ok(v) => v,
            Err(e) => {
                self.errs.push(bad(Problem::BadValue {
                    element: r.element.clone(),
                    value: r.value.clone(),
                    expected: el.value_type,
                    en: e.to_string(),
                }));
                return None;
            }
        };
        if let Err(e) = el.check_disaggregation(&r.disagg) {
            self.errs.push(bad(Problem::BadDisaggregation {
                element: r.element.clone(),
                disagg: r.disagg.clone(),
                en: e.to_string(),
            }));
            return None;
        }
        if let Some(ds) = data_set_of(&r.element) {
            if let Err(e) = ds.check_period(period) {
                self.errs.push(bad(Problem::PeriodDoesNotFit {
                    period,
                    data_set: ds.code.clone(),
                    en: e.to_string(),
                }));
                return None;
            }
        }
        let unit = OrgCode::parse(&r.org)
            .ok()
            .and_then(|c| h.unit_at(&c, period.end()));
        let Some(unit) = unit else {
            self.errs.push(bad(Problem::UnknownUnit {
                org: r.org.clone(),
                date: period.end(),
                period,
            }));
            return None;
        };
        let w = ValueWrite {
            element: r.element,
            unit: unit.id,
            period,
            disagg: r.disagg,
            value: Some(value),
        };
        match check_write(h, &w) {
            Ok(()) => Some(w),
            Err(e) => {
                self.errs.push(RowError::new(r.place, Problem::Refused(e)));
                None
            }
        }
    }

    /// The writes, or every error (`shape`: the file's own) in file order.
    /// A file with two values for one key is refused, naming both places,
    /// rather than the last one winning (found by sorting the writes'
    /// keys: no map of every key is held).
    fn finish(self, shape: Vec<RowError>) -> Result<Vec<ValueWrite>, Vec<RowError>> {
        let Resolver {
            out,
            places,
            mut errs,
            ..
        } = self;
        let key = |i: u32| {
            let w = &out[i as usize];
            (&w.element, w.unit, w.period, &w.disagg)
        };
        let mut order: Vec<u32> = (0..out.len() as u32).collect();
        order.sort_by(|a, b| key(*a).cmp(&key(*b)).then(a.cmp(b)));
        let mut first = 0;
        for k in 1..order.len() {
            if key(order[k]) == key(order[first]) {
                errs.push(RowError::new(
                    places[order[k] as usize],
                    Problem::Duplicate {
                        first: places[order[first] as usize],
                    },
                ));
            } else {
                first = k;
            }
        }
        errs.extend(shape);
        if errs.is_empty() {
            Ok(out)
        } else {
            errs.sort_by_key(|e| e.place.order());
            Err(errs)
        }
    }
}

/// The CSV header.
pub const CSV_HEADER: [&str; 5] = ["element", "org", "period", "disagg", "value"];

/// The values of a whole file in `format` (CSV, XLSX or ADX), checked
/// against the hierarchy; every bad row when any is bad.
pub fn read_file(
    h: &Hierarchy,
    format: ytcs_core::file_format::FileFormat,
    bytes: &[u8],
) -> Result<Vec<ValueWrite>, Vec<RowError>> {
    use ytcs_core::file_format::FileFormat;
    match format {
        FileFormat::Xlsx => read_xlsx(h, bytes),
        FileFormat::Adx => read_adx(h, bytes),
        FileFormat::Csv => read_csv(h, bytes),
    }
}

/// Reads a CSV of values; every bad line is named.
pub fn read_csv(h: &Hierarchy, bytes: &[u8]) -> Result<Vec<ValueWrite>, Vec<RowError>> {
    let mut rdr = csv_reader(bytes).map_err(|e| vec![e])?;
    let mut rows = Resolver::new(h);
    let mut errs = Vec::new();
    let mut rec = csv::StringRecord::new();
    let mut line = 1;
    loop {
        line += 1;
        match csv_row(&mut rdr, &mut rec, line) {
            None => break,
            Some(Ok(r)) => rows.row(r),
            Some(Err(e)) => {
                let stop = e.place == Place::File;
                errs.push(e);
                if stop {
                    break;
                }
            }
        }
    }
    rows.finish(errs)
}

/// A CSV reader whose header was checked to be [`CSV_HEADER`].
pub(crate) fn csv_reader<R: std::io::Read>(input: R) -> Result<csv::Reader<R>, RowError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = match rdr.headers() {
        Ok(hd) => hd.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(RowError::shape(
                Place::Line(1),
                e.to_string(),
                format!("không đọc được tiêu đề: {e}"),
            ))
        }
    };
    if header != CSV_HEADER {
        return Err(RowError::shape(
            Place::Line(1),
            format!(
                "expected the header {}, found {}",
                CSV_HEADER.join(","),
                header.join(",")
            ),
            format!(
                "tiêu đề phải là {}, tệp có {}",
                CSV_HEADER.join(","),
                header.join(",")
            ),
        ));
    }
    Ok(rdr)
}

/// The next record of `rdr` (read into `rec`) as the row of `line`, its
/// shape error, or `None` at the end.
pub(crate) fn csv_row<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::StringRecord,
    line: usize,
) -> Option<Result<RawRow, RowError>> {
    let place = Place::Line(line);
    Some(match rdr.read_record(rec) {
        Ok(false) => return None,
        Ok(true) if rec.len() == 5 => Ok(RawRow {
            place,
            element: rec[0].trim().to_string(),
            org: rec[1].trim().to_string(),
            period: rec[2].trim().to_string(),
            disagg: rec[3].trim().to_string(),
            value: rec[4].trim().to_string(),
        }),
        Ok(true) => Err(RowError::shape(
            place,
            format!("expected 5 fields, found {}", rec.len()),
            format!("cần 5 cột, dòng có {}", rec.len()),
        )),
        // The file cannot be read on: the caller stops.
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => Err(RowError::shape(
            Place::File,
            format!("line {line}: {e}"),
            format!("dòng {line}: không đọc tiếp được tệp: {e}"),
        )),
        Err(e) => Err(RowError::shape(
            place,
            e.to_string(),
            format!("không đọc được: {e}"),
        )),
    })
}

/// Header names a worksheet may use for each CSV column, compared without
/// diacritics or case: the CSV's own and the Vietnamese ones.
const XLSX_HEADERS: [&[&str]; 5] = [
    &[
        "element",
        "ma chi tieu",
        "chi tieu",
        "chi tieu du lieu",
        "ma du lieu",
        "phan tu du lieu",
    ],
    &["org", "ma don vi", "don vi", "ma dvhc"],
    &["period", "ky", "ky bao cao"],
    &["disagg", "phan to", "ma phan to"],
    &["value", "gia tri", "so lieu"],
];

/// The Vietnamese headers written on request and shown in messages.
pub const XLSX_HEADERS_VI: [&str; 5] = ["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị"];

/// The largest number of values one worksheet holds (Excel's row limit
/// less the header).
pub const XLSX_MAX_VALUES: usize = 1_048_575;

/// Thousandths beyond which a value is written as text: an `f64` holds
/// every integer up to 2^53 exactly, so smaller values read back equal.
const EXACT_IN_F64: i64 = 1 << 53;

/// Reads the first worksheet of an XLSX workbook: a header row (the CSV's
/// column names or Vietnamese ones, any order; `disagg` may be left out),
/// then one value per row. Empty rows are skipped; every bad row is named
/// by the number Excel shows for it.
pub fn read_xlsx(h: &Hierarchy, bytes: &[u8]) -> Result<Vec<ValueWrite>, Vec<RowError>> {
    let range = ytcs_sheet::first_sheet(bytes)
        .map_err(|e| vec![RowError::shape(Place::File, e.to_string(), e.vi())])?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let mut lines = range
        .rows()
        .enumerate()
        .map(|(i, cells)| (Place::Row(first_row + i + 1), cells))
        .filter(|(_, cells)| cells.iter().any(|c| !matches!(c, calamine::Data::Empty)));
    let Some((header_place, header)) = lines.next() else {
        return Err(vec![RowError::shape(
            Place::File,
            "the first worksheet is empty",
            "trang tính đầu tiên không có dữ liệu",
        )]);
    };
    // Column index of each field.
    let mut columns: [Option<usize>; 5] = [None; 5];
    let mut unknown = Vec::new();
    for (j, c) in header.iter().enumerate() {
        let name = ytcs_sheet::cell_text(c).unwrap_or_default();
        if name.is_empty() {
            continue;
        }
        let f = fold(&name).replace(['_', '-'], " ");
        let f = f.split_whitespace().collect::<Vec<_>>().join(" ");
        match XLSX_HEADERS
            .iter()
            .position(|names| names.contains(&f.as_str()))
        {
            Some(k) if columns[k].is_none() => columns[k] = Some(j),
            _ => unknown.push(name),
        }
    }
    let missing: Vec<usize> = (0..5)
        .filter(|k| *k != 3 && columns[*k].is_none())
        .collect();
    if !unknown.is_empty() || !missing.is_empty() {
        let mut en = Vec::new();
        let mut vi = Vec::new();
        if !missing.is_empty() {
            en.push(format!(
                "missing column(s) {}",
                missing
                    .iter()
                    .map(|k| CSV_HEADER[*k])
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            vi.push(format!(
                "thiếu cột {}",
                missing
                    .iter()
                    .map(|k| format!("{} ({})", XLSX_HEADERS_VI[*k], CSV_HEADER[*k]))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !unknown.is_empty() {
            en.push(format!(
                "unknown or repeated column(s) {}",
                unknown.join(", ")
            ));
            vi.push(format!("cột không rõ hoặc lặp lại: {}", unknown.join(", ")));
        }
        return Err(vec![RowError::shape(
            header_place,
            format!(
                "{}; the header names element, org, period, disagg, value",
                en.join("; ")
            ),
            format!(
                "{}; tiêu đề gồm Mã chỉ tiêu, Mã đơn vị, Kỳ, Phân tổ, Giá trị (hoặc element, org, period, disagg, value)",
                vi.join("; ")
            ),
        )]);
    }
    let mut rows = Resolver::new(h);
    let mut errs = Vec::new();
    for (place, cells) in lines {
        let mut text: [String; 5] = Default::default();
        let mut bad = None;
        for (k, col) in columns.iter().enumerate() {
            let Some(j) = col else { continue };
            match cells
                .get(*j)
                .map_or(Ok(String::new()), ytcs_sheet::cell_text)
            {
                Ok(t) => text[k] = t,
                Err(e) => {
                    bad = Some(RowError::shape(
                        place,
                        format!("the {} cell holds the error {e}", CSV_HEADER[k]),
                        format!("ô {} chứa lỗi {e}", XLSX_HEADERS_VI[k]),
                    ));
                    break;
                }
            }
        }
        if let Some(e) = bad {
            errs.push(e);
            continue;
        }
        let [element, org, period, disagg, value] = text;
        rows.row(RawRow {
            place,
            element,
            org,
            period,
            disagg,
            value,
        });
    }
    rows.finish(errs)
}

/// Writes values as an XLSX workbook: one sheet, the CSV's columns, values
/// as numbers (exact: a value beyond 2^53 thousandths is written as text).
pub fn write_xlsx(h: &Hierarchy, values: &[StoredValue]) -> Result<Vec<u8>, EngineError> {
    if values.len() > XLSX_MAX_VALUES {
        return Err(EngineError::Other(format!(
            "{} values do not fit one worksheet (at most {XLSX_MAX_VALUES}): export by period or as CSV",
            values.len()
        )));
    }
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("data")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (j, name) in CSV_HEADER.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *name, &bold)?;
    }
    for (j, w) in [24, 10, 12, 12, 14].into_iter().enumerate() {
        ws.set_column_width(j as u16, w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, s) in values.iter().enumerate() {
        let v = &s.value;
        let row = i as u32 + 1;
        let org = h
            .unit(v.unit)
            .map_or_else(|| v.unit.to_string(), |u| u.code.to_string());
        ws.write_string(row, 0, &v.element)?;
        ws.write_string(row, 1, &org)?;
        ws.write_string(row, 2, v.period.to_string())?;
        if !v.disagg.is_empty() {
            ws.write_string(row, 3, &v.disagg)?;
        }
        if v.value.0.abs() <= EXACT_IN_F64 {
            ws.write_number(row, 4, v.value.to_f64())?;
        } else {
            ws.write_string(row, 4, v.value.to_string())?;
        }
    }
    Ok(wb.save_to_buffer()?)
}

/// Writes values as CSV (org units by code).
pub fn write_csv(h: &Hierarchy, values: &[StoredValue]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push('\n');
    for s in values {
        let v = &s.value;
        let org = h
            .unit(v.unit)
            .map_or_else(|| v.unit.to_string(), |u| u.code.to_string());
        // Codes and numbers only; neutralised all the same, as every CSV
        // export is (`text::csv_safe`).
        let safe = ytcs_core::text::csv_safe;
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            safe(&v.element),
            safe(&org),
            v.period,
            safe(&v.disagg),
            v.value
        ));
    }
    out
}

/// ADX period: `2024-01-01/P1M`.
pub(crate) fn adx_period(p: Period) -> String {
    let dur = match p.period_type() {
        PeriodType::Day => "P1D",
        PeriodType::Month => "P1M",
        PeriodType::Quarter => "P3M",
        PeriodType::HalfYear => "P6M",
        PeriodType::Year => "P1Y",
    };
    format!("{}/{dur}", p.start())
}

fn from_adx_period(s: &str) -> Option<Period> {
    let (start, dur) = s.split_once('/')?;
    let d: ytcs_core::Date = start.parse().ok()?;
    let t = match dur {
        "P1D" => PeriodType::Day,
        "P1M" => PeriodType::Month,
        "P3M" => PeriodType::Quarter,
        "P6M" => PeriodType::HalfYear,
        "P1Y" => PeriodType::Year,
        _ => return None,
    };
    let p = Period::containing(d, t);
    (p.start() == d).then_some(p)
}

pub(crate) fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// Writes values as an ADX message.
pub fn write_adx(h: &Hierarchy, values: &[StoredValue]) -> String {
    let sets = ytcs_core::aggregate::standard_data_sets();
    let mut groups: BTreeMap<(String, Period, String), Vec<&StoredValue>> = BTreeMap::new();
    for s in values {
        let v = &s.value;
        let org = h
            .unit(v.unit)
            .map_or_else(|| v.unit.to_string(), |u| u.code.to_string());
        let ds = sets
            .iter()
            .find(|d| d.elements.contains(&v.element))
            .map_or("other".to_string(), |d| d.code.clone());
        groups.entry((org, v.period, ds)).or_default().push(s);
    }
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"{ADX_NS}\">\n");
    for ((org, p, ds), vs) in groups {
        out.push_str(&format!(
            "  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\">\n",
            esc(&org),
            adx_period(p),
            esc(&ds)
        ));
        for s in vs {
            let v = &s.value;
            let mut attrs = String::new();
            if let Some(el) = element(&v.element) {
                for (c, o) in el.categories.iter().zip(v.disagg.split('.')) {
                    if !v.disagg.is_empty() {
                        attrs.push_str(&format!(" {}=\"{}\"", c.code, esc(o)));
                    }
                }
            }
            out.push_str(&format!(
                "    <dataValue dataElement=\"{}\" value=\"{}\"{attrs}/>\n",
                esc(&v.element),
                v.value
            ));
        }
        out.push_str("  </group>\n");
    }
    out.push_str("</adx>\n");
    out
}

/// Reads an ADX message; every bad `dataValue` is named by its number.
pub fn read_adx(h: &Hierarchy, bytes: &[u8]) -> Result<Vec<ValueWrite>, Vec<RowError>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut group: Option<(String, String)> = None;
    let mut rows = Resolver::new(h);
    let mut errs = Vec::new();
    let mut seen_root = false;
    let mut n = 0usize;
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                errs.push(RowError::shape(
                    Place::File,
                    format!(
                        "ADX is not well-formed XML at byte {}: {e}",
                        reader.buffer_position()
                    ),
                    format!(
                        "ADX không phải XML hợp lệ tại byte {}: {e}",
                        reader.buffer_position()
                    ),
                ));
                break;
            }
        };
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs: Vec<(String, String)> = Vec::new();
                for a in e.attributes().flatten() {
                    let k = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let v = a
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    attrs.push((k, v));
                }
                let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
                match name.as_str() {
                    "adx" => {
                        seen_root = true;
                        let ns = attrs
                            .iter()
                            .find(|(k, _)| k == "xmlns")
                            .map(|(_, v)| v.as_str());
                        if ns != Some(ADX_NS) {
                            errs.push(RowError::shape(
                                Place::File,
                                format!("the root element must be in the namespace {ADX_NS}"),
                                format!("phần tử gốc phải thuộc không gian tên {ADX_NS}"),
                            ));
                        }
                    }
                    "group" => {
                        group = Some((
                            get("orgUnit").unwrap_or_default(),
                            get("period").unwrap_or_default(),
                        ))
                    }
                    "dataValue" => {
                        n += 1;
                        let what = Place::DataValue(n);
                        let Some((org, period)) = group.clone() else {
                            errs.push(RowError::shape(
                                what,
                                "outside a group",
                                "nằm ngoài một group",
                            ));
                            continue;
                        };
                        let Some(p) = from_adx_period(&period) else {
                            errs.push(RowError::shape(
                                what,
                                format!("'{period}' is not an ADX period (e.g. 2024-01-01/P1M)"),
                                format!("'{period}' không phải kỳ ADX (ví dụ 2024-01-01/P1M)"),
                            ));
                            continue;
                        };
                        let code = get("dataElement").unwrap_or_default();
                        let disagg = element(&code)
                            .map(|el| {
                                el.categories
                                    .iter()
                                    .filter_map(|c| get(&c.code))
                                    .collect::<Vec<_>>()
                                    .join(".")
                            })
                            .unwrap_or_default();
                        rows.row(RawRow {
                            place: what,
                            element: code,
                            org,
                            period: p.to_string(),
                            disagg,
                            value: get("value").unwrap_or_default(),
                        });
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !seen_root && errs.is_empty() {
        errs.push(RowError::shape(
            Place::File,
            "not an ADX message: no <adx> root element",
            "không phải thông điệp ADX: không có phần tử gốc <adx>",
        ));
    }
    rows.finish(errs)
}

/// Reads a number typed in the form (Vietnamese format) for an element.
pub fn parse_form_value(element_code: &str, text: &str) -> Result<Fixed, String> {
    let el = element(element_code)
        .ok_or_else(|| format!("không có chỉ tiêu dữ liệu '{element_code}'"))?;
    let v = Fixed::parse_vietnamese(text)
        .ok_or_else(|| format!("'{text}' không phải là số (ví dụ 1.234,5)"))?;
    el.check_value(v)
        .map_err(|_| format!("'{text}': giá trị phải là {}", vi_type(el.value_type)))?;
    Ok(v)
}

fn vi_type(t: ytcs_core::aggregate::ValueType) -> &'static str {
    match t {
        ytcs_core::aggregate::ValueType::Count => "số nguyên không âm",
        ytcs_core::aggregate::ValueType::Number => "số có tối đa ba chữ số thập phân",
        ytcs_core::aggregate::ValueType::Percentage => "tỷ lệ từ 0 đến 100",
    }
}
