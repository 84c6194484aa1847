//! Tables of the registry as CSV/XLSX: headers, templates, import, export.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::*;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::text::fold;
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_store::network::NewUnit;
use ytcs_store::Store;

use crate::RegistryError;

/// A table of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Facilities, one row per attachment to a unit.
    Facilities,
    /// Staff, one row per post.
    Staff,
    /// Training records.
    Training,
    /// Villages, one row per parent commune over time.
    Villages,
    /// Population by unit, year, sex and age group.
    Population,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 5] = [
        Table::Facilities,
        Table::Staff,
        Table::Training,
        Table::Villages,
        Table::Population,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Facilities => "facilities",
            Table::Staff => "staff",
            Table::Training => "training",
            Table::Villages => "villages",
            Table::Population => "population",
        }
    }

    /// The Vietnamese column headers, in order.
    pub fn headers(self) -> &'static [&'static str] {
        match self {
            Table::Facilities => &[
                "Mã cơ sở",
                "Tên cơ sở",
                "Loại hình",
                "Số giường",
                "Trạng thái",
                "Tỷ lệ DVKT (%)",
                "Hoạt động từ",
                "Hoạt động đến",
                "Mã đơn vị",
                "Trực thuộc từ",
                "Trực thuộc đến",
            ],
            Table::Staff => &[
                "Mã nhân viên",
                "Họ và tên",
                "Chức danh",
                "Trình độ",
                "Mã cơ sở",
                "Mã thôn",
                "Hình thức",
                "Từ ngày",
                "Đến ngày",
            ],
            Table::Training => &["Mã nhân viên", "Khóa đào tạo", "Ngày hoàn thành"],
            Table::Villages => &["Mã thôn", "Tên thôn", "Mã xã", "Từ ngày", "Đến ngày"],
            Table::Population => &[
                "Mã đơn vị",
                "Ngày đơn vị",
                "Năm",
                "Giới tính",
                "Nhóm tuổi",
                "Số người",
            ],
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Table {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Table::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown table '{s}': use facilities, staff, training, villages or population"
                )
            })
    }
}

/// A file format of tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 CSV, comma-separated, header row first.
    Csv,
    /// Excel workbook, first sheet, header row first.
    Xlsx,
}

impl Format {
    /// Guesses the format from a file name (`.xlsx` or else CSV).
    pub fn from_path(p: &std::path::Path) -> Format {
        match p.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("xlsx") => Format::Xlsx,
            _ => Format::Csv,
        }
    }
}

/// Writes rows (header first) in a format.
fn write_rows(rows: &[Vec<String>], format: Format) -> Result<Vec<u8>, RegistryError> {
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in rows {
                w.write_record(r.iter().map(|c| ytcs_core::text::csv_safe(c).into_owned()))
                    .map_err(|e| RegistryError::Read {
                        what: "CSV".into(),
                        message: e.to_string(),
                    })?;
            }
            w.into_inner().map_err(|e| RegistryError::Read {
                what: "CSV".into(),
                message: e.to_string(),
            })
        }
        Format::Xlsx => {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            for (i, r) in rows.iter().enumerate() {
                for (j, c) in r.iter().enumerate() {
                    if i == 0 {
                        ws.write_string_with_format(i as u32, j as u16, c, &bold)?;
                    } else {
                        ws.write_string(i as u32, j as u16, c)?;
                    }
                }
            }
            if let Some(h) = rows.first() {
                for j in 0..h.len() {
                    ws.set_column_width(j as u16, 18)?;
                }
            }
            Ok(wb.save_to_buffer()?)
        }
    }
}

/// Reads rows (header first) from CSV or XLSX bytes.
pub fn parse_rows(bytes: &[u8], format: Format) -> Result<Vec<Vec<String>>, RegistryError> {
    match format {
        Format::Csv => {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|e| RegistryError::Read {
                    what: "CSV".into(),
                    message: format!("not UTF-8 text ({e}); save the file as CSV UTF-8"),
                })?;
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut out = Vec::new();
            for (i, rec) in r.records().enumerate() {
                let rec = rec.map_err(|e| RegistryError::Read {
                    what: format!("CSV line {}", i + 1),
                    message: e.to_string(),
                })?;
                out.push(
                    rec.iter()
                        .map(|c| ytcs_core::text::csv_unescape(c.trim()).to_string())
                        .collect(),
                );
            }
            Ok(out)
        }
        Format::Xlsx => {
            let range = ytcs_sheet::first_sheet(bytes).map_err(|e| RegistryError::Read {
                what: "XLSX".into(),
                message: e.to_string(),
            })?;
            Ok(range
                .rows()
                .map(|row| {
                    row.iter()
                        // A cell without a usable value keeps what it
                        // shows (`#DIV/0!`), which the table's checks
                        // then name.
                        .map(|c| ytcs_sheet::cell_text(c).unwrap_or_else(|shown| shown))
                        .collect()
                })
                .collect())
        }
    }
}

/// A blank table with its Vietnamese headers (and one example row).
pub fn template(table: Table, format: Format) -> Result<Vec<u8>, RegistryError> {
    let example: &[&str] = match table {
        Table::Facilities => &[
            "TYT-23479",
            "Trạm Y tế xã Đăk Rve",
            "Trạm Y tế xã",
            "5",
            "Đang hoạt động",
            "75",
            "2001-01-01",
            "",
            "23479",
            "2025-07-01",
            "",
        ],
        Table::Staff => &[
            "NV000001",
            "Nguyễn Văn An",
            "Bác sĩ",
            "Bác sĩ đa khoa",
            "TYT-23479",
            "",
            "Biên chế",
            "2020-03-01",
            "",
        ],
        Table::Training => &[
            "NV000002",
            "Chăm sóc sức khỏe ban đầu (6 tháng)",
            "2019-05-20",
        ],
        Table::Villages => &["23479-01", "Thôn 1", "23479", "2025-07-01", ""],
        Table::Population => &["23479", "2025-07-01", "2026", "Nữ", "25-29", "412"],
    };
    let rows = vec![
        table.headers().iter().map(|s| s.to_string()).collect(),
        example.iter().map(|s| s.to_string()).collect(),
    ];
    write_rows(&rows, format)
}

fn parse_date(s: &str) -> Result<Option<Date>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    Date::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| Date::parse_from_str(t, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| format!("'{t}' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"))
}

fn parse_code(s: &str, what: &str) -> Result<OrgCode, String> {
    OrgCode::parse(s).map_err(|_| format!("{what} '{s}' is not a code"))
}

fn validity(from: &str, to: &str) -> Result<Validity, String> {
    Validity::new(parse_date(from)?, parse_date(to)?).map_err(|e| e.to_string())
}

/// The day a row's unit code is resolved on: its start, else its end,
/// else `today`.
fn resolve_day(v: &Validity, today: Date) -> Date {
    v.from.or(v.to).unwrap_or(today)
}

fn unit_on(h: &Hierarchy, code: &str, day: Date, kinds: &[OrgKind]) -> Result<UnitId, String> {
    let c = parse_code(code, "unit code")?;
    let u = h
        .unit_at(&c, day)
        .ok_or_else(|| format!("no unit carries code {c} on {day}"))?;
    if !kinds.is_empty() && !kinds.contains(&u.kind) {
        return Err(format!(
            "unit {c} on {day} is a {}, expected {}",
            u.kind.as_str(),
            kinds
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    Ok(u.id)
}

/// Imports a table into the store: all rows or none. Returns the number of
/// rows imported. Unit codes are resolved on each row's dates (`today` when
/// a row gives none).
pub async fn import(
    store: &dyn Store,
    table: Table,
    bytes: &[u8],
    format: Format,
    today: Date,
) -> Result<usize, RegistryError> {
    let rows = parse_rows(bytes, format)?;
    let Some(header) = rows.first() else {
        return Err(RegistryError::Rows(
            vec!["line 1: the file is empty".into()],
        ));
    };
    let want = table.headers();
    let fits =
        header.len() >= want.len() && header.iter().zip(want).all(|(a, b)| fold(a) == fold(b));
    if !fits {
        return Err(RegistryError::Rows(vec![format!(
            "line 1: expected the headers {} (download a template with `ytcs network template --table {table}`)",
            want.join(", ")
        )]));
    }
    let h = store.hierarchy().await?;
    let mut errs = Vec::new();
    let mut batch = NetworkData::default();
    let mut villages: Vec<NewUnit> = Vec::new();
    let data_rows: Vec<(usize, &Vec<String>)> = rows
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .map(|(i, r)| (i + 1, r))
        .collect();
    for &(line, row) in &data_rows {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("");
        let result: Result<(), String> = (|| {
            match table {
                Table::Facilities => {
                    let code = parse_code(cell(0), "facility code")?;
                    let name = cell(1).to_string();
                    if name.is_empty() {
                        return Err("the name is empty".into());
                    }
                    let kind: FacilityKind = cell(2).parse()?;
                    let beds: i64 = if cell(3).is_empty() {
                        0
                    } else {
                        cell(3)
                            .parse()
                            .map_err(|_| format!("beds '{}' is not a whole number", cell(3)))?
                    };
                    let status: FacilityStatus = if cell(4).is_empty() {
                        FacilityStatus::Active
                    } else {
                        cell(4).parse()?
                    };
                    let services_share = if cell(5).is_empty() {
                        None
                    } else {
                        let p: f64 = cell(5)
                            .replace(',', ".")
                            .trim_end_matches('%')
                            .trim()
                            .parse()
                            .map_err(|_| {
                                format!("share of services '{}' is not a number", cell(5))
                            })?;
                        Some(p / 100.0)
                    };
                    let life = validity(cell(6), cell(7))?;
                    let f = Facility {
                        code: code.clone(),
                        name,
                        kind,
                        beds,
                        status,
                        services_share,
                        validity: life,
                    };
                    match batch.facilities.iter().find(|o| o.code == code) {
                        Some(o) if *o != f => {
                            return Err(format!(
                                "facility {code} is described differently on an earlier line"
                            ))
                        }
                        Some(_) => {}
                        None => batch.facilities.push(f),
                    }
                    if !cell(8).is_empty() {
                        let v = validity(cell(9), cell(10))?;
                        let unit = unit_on(&h, cell(8), resolve_day(&v, today), &[])?;
                        batch.attachments.push(Attachment {
                            facility: code,
                            unit,
                            validity: v,
                        });
                    }
                }
                Table::Staff => {
                    let person = cell(0).to_string();
                    if person.is_empty() {
                        return Err("the staff code is empty".into());
                    }
                    let s = StaffMember {
                        code: person.clone(),
                        name: cell(1).to_string(),
                        cadre: cell(2).parse()?,
                        qualification: Some(cell(3).to_string()).filter(|q| !q.is_empty()),
                    };
                    match batch.staff.iter().find(|o| o.code == person) {
                        Some(o) if *o != s => {
                            return Err(format!(
                                "staff member {person} is described differently on an earlier line"
                            ))
                        }
                        Some(_) => {}
                        None => batch.staff.push(s),
                    }
                    let v = validity(cell(7), cell(8))?;
                    let workplace = match (cell(4).is_empty(), cell(5).is_empty()) {
                        (true, true) => return Ok(()),
                        (false, true) => Workplace::Facility(parse_code(cell(4), "facility code")?),
                        (true, false) => Workplace::Village(unit_on(
                            &h,
                            cell(5),
                            resolve_day(&v, today),
                            &[OrgKind::Village],
                        )?),
                        (false, false) => {
                            return Err("give a facility or a village, not both".into())
                        }
                    };
                    batch.posts.push(Post {
                        person,
                        workplace,
                        kind: if cell(6).is_empty() {
                            PostKind::Permanent
                        } else {
                            cell(6).parse()?
                        },
                        validity: v,
                    });
                }
                Table::Training => {
                    batch.trainings.push(Training {
                        person: Some(cell(0).to_string())
                            .filter(|p| !p.is_empty())
                            .ok_or("the staff code is empty")?,
                        course: Some(cell(1).to_string())
                            .filter(|p| !p.is_empty())
                            .ok_or("the course is empty")?,
                        completed: parse_date(cell(2))?.ok_or("the completion date is empty")?,
                    });
                }
                Table::Villages => {
                    let code = parse_code(cell(0), "village code")?;
                    let v = validity(cell(3), cell(4))?;
                    let commune =
                        unit_on(&h, cell(2), resolve_day(&v, today), &[OrgKind::Commune])?;
                    match villages.iter_mut().find(|u| u.code == code) {
                        Some(u) => {
                            u.validity.from = u.validity.from.zip(v.from).map(|(a, b)| a.min(b));
                            u.validity.to = u.validity.to.zip(v.to).map(|(a, b)| a.max(b));
                            u.parents.push((commune, v));
                        }
                        None => villages.push(NewUnit {
                            code,
                            name: Some(cell(1).to_string())
                                .filter(|p| !p.is_empty())
                                .ok_or("the village name is empty")?,
                            kind: OrgKind::Village,
                            validity: v,
                            parents: vec![(commune, v)],
                        }),
                    }
                }
                Table::Population => {
                    let year: i32 = cell(2)
                        .parse()
                        .ok()
                        .filter(|y| (1900..=2200).contains(y))
                        .ok_or_else(|| format!("year '{}' is not a year", cell(2)))?;
                    let day = match parse_date(cell(1))? {
                        Some(d) => d,
                        None => Date::from_ymd_opt(year, 1, 1).unwrap_or(today),
                    };
                    let count: i64 = cell(5)
                        .replace('.', "")
                        .parse()
                        .map_err(|_| format!("count '{}' is not a whole number", cell(5)))?;
                    if count < 0 {
                        return Err(format!("count {count} is negative"));
                    }
                    batch.population.push(PopulationCount {
                        unit: unit_on(&h, cell(0), day, &[])?,
                        year,
                        sex: cell(3).parse()?,
                        age: cell(4).parse()?,
                        count,
                    });
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            errs.push(format!("line {line}: {e}"));
        }
    }
    if !errs.is_empty() {
        return Err(RegistryError::Rows(errs));
    }
    if table == Table::Villages {
        store.add_units(&villages).await?;
    } else {
        store.add_network(&batch).await.map_err(|e| match e {
            ytcs_store::network::WriteError::Rejected(lines) => RegistryError::Rows(lines),
            other => RegistryError::Write(other),
        })?;
    }
    Ok(data_rows.len())
}

fn date_text(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Exports a table of the store (header first).
pub async fn export(
    store: &dyn Store,
    table: Table,
    format: Format,
) -> Result<Vec<u8>, RegistryError> {
    let h = store.hierarchy().await?;
    let data = store.network().await?;
    let code_of = |id: UnitId| h.unit(id).map(|u| u.code.to_string()).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = vec![table.headers().iter().map(|s| s.to_string()).collect()];
    match table {
        Table::Facilities => {
            let mut by_code: HashMap<&OrgCode, Vec<&Attachment>> = HashMap::new();
            for a in &data.attachments {
                by_code.entry(&a.facility).or_default().push(a);
            }
            for f in &data.facilities {
                let base = vec![
                    f.code.to_string(),
                    f.name.clone(),
                    f.kind.name_vi().to_string(),
                    f.beds.to_string(),
                    f.status.name_vi().to_string(),
                    f.services_share
                        .map(|s| format!("{}", (s * 1000.0).round() / 10.0))
                        .unwrap_or_default(),
                    date_text(f.validity.from),
                    date_text(f.validity.to),
                ];
                let atts = by_code.get(&f.code).cloned().unwrap_or_default();
                if atts.is_empty() {
                    let mut r = base.clone();
                    r.extend([String::new(), String::new(), String::new()]);
                    rows.push(r);
                }
                for a in atts {
                    let mut r = base.clone();
                    r.extend([
                        code_of(a.unit),
                        date_text(a.validity.from),
                        date_text(a.validity.to),
                    ]);
                    rows.push(r);
                }
            }
        }
        Table::Staff => {
            let mut posts: HashMap<&str, Vec<&Post>> = HashMap::new();
            for p in &data.posts {
                posts.entry(p.person.as_str()).or_default().push(p);
            }
            for s in &data.staff {
                let base = vec![
                    s.code.clone(),
                    s.name.clone(),
                    s.cadre.name_vi().to_string(),
                    s.qualification.clone().unwrap_or_default(),
                ];
                let ps = posts.get(s.code.as_str()).cloned().unwrap_or_default();
                if ps.is_empty() {
                    let mut r = base.clone();
                    r.extend(std::iter::repeat_n(String::new(), 5));
                    rows.push(r);
                }
                for p in ps {
                    let (f, v) = match &p.workplace {
                        Workplace::Facility(c) => (c.to_string(), String::new()),
                        Workplace::Village(u) => (String::new(), code_of(*u)),
                    };
                    let mut r = base.clone();
                    r.extend([
                        f,
                        v,
                        p.kind.name_vi().to_string(),
                        date_text(p.validity.from),
                        date_text(p.validity.to),
                    ]);
                    rows.push(r);
                }
            }
        }
        Table::Training => {
            for t in &data.trainings {
                rows.push(vec![
                    t.person.clone(),
                    t.course.clone(),
                    t.completed.to_string(),
                ]);
            }
        }
        Table::Villages => {
            for u in h.units().iter().filter(|u| u.kind == OrgKind::Village) {
                let mut links: Vec<_> = h.links().filter(|l| l.child == u.id).collect();
                links.sort_by_key(|l| l.validity.from);
                for l in links {
                    rows.push(vec![
                        u.code.to_string(),
                        u.name.clone(),
                        code_of(l.parent),
                        date_text(l.validity.from),
                        date_text(l.validity.to),
                    ]);
                }
            }
        }
        Table::Population => {
            for p in &data.population {
                let u = h.unit(p.unit);
                let day = u.and_then(|u| u.validity.to.or(u.validity.from));
                rows.push(vec![
                    code_of(p.unit),
                    date_text(day),
                    p.year.to_string(),
                    p.sex.name_vi().to_string(),
                    p.age.to_string(),
                    p.count.to_string(),
                ]);
            }
        }
    }
    write_rows(&rows, format)
}
