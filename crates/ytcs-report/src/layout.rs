//! The report as a document: heading, facts, the no-data notice and four
//! numbered sections of paragraphs and tables. Every format (DOCX, XLSX,
//! PDF, the web's HTML) renders this one layout, so they say the same
//! thing in the same words.

use serde::Serialize;
use ytcs_core::progress::Status;
use ytcs_core::tracking::TaskStatus;

use crate::model::PlanReport;
use crate::text::{
    date_vi, number, org_label, percent, report_state, status, target, task_status, vnd,
};

/// The head of an administrative document as Nghị định 30/2020/NĐ-CP
/// (Phụ lục I) lays it out: on the left the issuing body (the body above
/// it first), the document's number; on the right the national title and
/// motto, the place and date.
#[derive(Debug, Clone, Serialize)]
pub struct Letterhead {
    /// The body above the issuing one (`UBND TỈNH QUẢNG NGÃI`), if any.
    pub above: Option<String>,
    /// The issuing body, in capitals (`ỦY BAN NHÂN DÂN XÃ CẨM THÀNH`).
    pub body: String,
    /// `Số:      /BC-UBND`: the number is given when the document is
    /// registered, so it is left blank.
    pub number: String,
    /// `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`.
    pub nation: String,
    /// `Độc lập - Tự do - Hạnh phúc`.
    pub motto: String,
    /// `Quảng Ngãi, ngày 07 tháng 12 năm 2026`.
    pub place_date: String,
}

impl Letterhead {
    /// The letterhead of a report by the People's Committee of `unit`
    /// (its name as the hierarchy gives it: `Xã Cẩm Thành`), in
    /// `province` (its name: `Tỉnh Quảng Ngãi`), dated `on`.
    pub fn of(unit: &str, province: Option<&str>, on: ytcs_core::Date) -> Letterhead {
        use chrono::Datelike;
        let upper = |s: &str| s.to_uppercase();
        let place = province
            .map(|p| {
                ["Tỉnh ", "Thành phố "]
                    .iter()
                    .find_map(|k| p.strip_prefix(k))
                    .unwrap_or(p)
                    .to_string()
            })
            .unwrap_or_default();
        let above = province
            .filter(|p| *p != unit)
            .map(|p| format!("UBND {}", upper(p)));
        Letterhead {
            above,
            body: format!("ỦY BAN NHÂN DÂN {}", upper(unit)),
            number: "Số:        /BC-UBND".into(),
            nation: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            motto: "Độc lập - Tự do - Hạnh phúc".into(),
            place_date: format!(
                "{}ngày {:02} tháng {:02} năm {}",
                if place.is_empty() {
                    String::new()
                } else {
                    format!("{place}, ")
                },
                on.day(),
                on.month(),
                on.year()
            ),
        }
    }
}

/// A laid-out report.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The state letterhead, when the report is one an office files.
    pub letterhead: Option<Letterhead>,
    /// `BÁO CÁO`.
    pub heading: String,
    /// The title line.
    pub title: String,
    /// The plan's own title, if any.
    pub subtitle: Option<String>,
    /// Label–value lines under the title (unit, year, dates).
    pub facts: Vec<(String, String)>,
    /// The no-data statement, when the year has none.
    pub notice: Option<String>,
    /// The numbered sections.
    pub sections: Vec<Section>,
    /// File name stem, ASCII (`bao-cao-ke-hoach-4-51-2025`).
    pub file_stem: String,
}

/// One numbered section.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// `I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU`.
    pub title: String,
    /// Name of its XLSX sheet (at most 31 characters).
    pub sheet: String,
    /// Its content, in order.
    pub blocks: Vec<Block>,
}

/// A piece of a section.
#[derive(Debug, Clone, Serialize)]
pub enum Block {
    /// A paragraph.
    Paragraph(String),
    /// A heading inside the section.
    Subheading(String),
    /// A table.
    Table(Table),
}

/// A table with its header.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows.
    pub rows: Vec<Row>,
}

/// A column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Relative width.
    pub width: u16,
    /// Numbers align right.
    pub numeric: bool,
}

/// A table row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Its cells, one per column.
    pub cells: Vec<Cell>,
    /// How it stands out.
    pub kind: RowKind,
}

/// How a row stands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RowKind {
    /// An ordinary row.
    Normal,
    /// A total (bold).
    Total,
    /// Something to look at: overdue, missing, over budget, failed.
    Flagged,
}

/// A table cell: its text, and the number behind it for spreadsheets.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// As shown.
    pub text: String,
    /// The number, when the cell holds one.
    pub number: Option<Number>,
    /// Indentation level (tasks in the plan's tree).
    pub indent: u8,
    /// Where the web page links the cell to (a statutory form's figure to
    /// the records behind it); files ignore it.
    pub link: Option<String>,
}

/// A number with the way to show it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Number {
    /// The value (a percentage as 85.3, not 0.853).
    pub value: f64,
    /// Digits after the decimal comma.
    pub decimals: u8,
    /// Shown with ` %`.
    pub percent: bool,
}

impl Cell {
    /// A cell of text only.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            number: None,
            indent: 0,
            link: None,
        }
    }

    fn measured(v: Option<f64>) -> Cell {
        match v {
            Some(v) => {
                let r = (v * 100.0).round() / 100.0;
                Cell {
                    text: number(r),
                    number: Some(Number {
                        value: r,
                        decimals: crate::text::decimals(r) as u8,
                        percent: false,
                    }),
                    indent: 0,
                    link: None,
                }
            }
            None => Cell::text(""),
        }
    }

    /// A figure of `code` as every page shows it
    /// ([`ytcs_core::quality::format_figure`]), its year in brackets.
    fn figure(code: Option<&str>, v: Option<f64>, year: Option<i32>) -> Cell {
        let (Some(code), Some(v)) = (code, v) else {
            return Cell::measured(v);
        };
        let value = ytcs_core::quality::shown(code, v);
        let text = ytcs_core::quality::format_figure(code, v);
        Cell {
            text: match year {
                Some(y) => format!("{text} ({y})"),
                None => text,
            },
            number: Some(Number {
                value,
                decimals: ytcs_core::quality::decimals(code, v) as u8,
                percent: false,
            }),
            indent: 0,
            link: None,
        }
    }

    /// A gap from the figure `of` of `code`, signed, with that figure's
    /// decimals ([`ytcs_core::quality::format_difference`], as the
    /// scorecard writes it).
    fn difference(code: Option<&str>, of: Option<f64>, gap: Option<f64>) -> Cell {
        let (Some(code), Some(of), Some(g)) = (code, of, gap) else {
            return Cell::measured(gap);
        };
        let decimals = ytcs_core::quality::decimals(code, of);
        let p = 10f64.powi(decimals as i32);
        Cell {
            text: ytcs_core::quality::format_difference(code, of, g),
            number: Some(Number {
                value: (g * p).round() / p,
                decimals: decimals as u8,
                percent: false,
            }),
            indent: 0,
            link: None,
        }
    }

    fn money(n: i64) -> Cell {
        Cell {
            text: vnd(n),
            number: Some(Number {
                value: n as f64,
                decimals: 0,
                percent: false,
            }),
            indent: 0,
            link: None,
        }
    }

    fn percent(v: Option<f64>) -> Cell {
        match v {
            Some(v) => Cell {
                text: percent(v),
                number: Some(Number {
                    value: (v * 10.0).round() / 10.0,
                    decimals: 1,
                    percent: true,
                }),
                indent: 0,
                link: None,
            },
            None => Cell::text(""),
        }
    }

    fn count(n: usize) -> Cell {
        Cell {
            text: n.to_string(),
            number: Some(Number {
                value: n as f64,
                decimals: 0,
                percent: false,
            }),
            indent: 0,
            link: None,
        }
    }
}

fn col(header: &str, width: u16, numeric: bool) -> Column {
    Column {
        header: header.into(),
        width,
        numeric,
    }
}

fn row(cells: Vec<Cell>, kind: RowKind) -> Row {
    Row { cells, kind }
}

/// Lays a report out.
pub fn layout(r: &PlanReport) -> Document {
    let mut facts = vec![
        ("Đơn vị".to_string(), org_label(&r.org)),
        ("Năm báo cáo".to_string(), r.year.to_string()),
        ("Số liệu tính đến ngày".to_string(), date_vi(r.as_of)),
        ("Ngày lập báo cáo".to_string(), date_vi(r.generated_on)),
    ];
    if let Some(i) = &r.plan.issuer {
        facts.insert(0, ("Cơ quan ban hành kế hoạch".to_string(), i.clone()));
    }
    Document {
        letterhead: Some(Letterhead::of(
            &r.org.name,
            r.org.province.as_deref(),
            r.generated_on,
        )),
        heading: r.heading.clone(),
        title: format!("{}, năm {}", r.title, r.year),
        subtitle: r.subtitle.clone(),
        facts,
        notice: r.no_data.clone(),
        sections: vec![
            targets_section(r),
            tasks_section(r),
            budget_section(r),
            criteria_section(r),
        ],
        file_stem: format!(
            "bao-cao-ke-hoach-{}-{}-{}",
            r.plan.id,
            r.org
                .code
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>(),
            r.year
        ),
    }
}

fn targets_section(r: &PlanReport) -> Section {
    let mut blocks = Vec::new();
    if r.targets.is_empty() {
        blocks.push(Block::Paragraph(
            "Kế hoạch không đặt chỉ tiêu đo được.".into(),
        ));
    } else {
        let counts = Status::ALL
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    status(*s),
                    r.targets.iter().filter(|t| t.status == *s).count()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        blocks.push(Block::Paragraph(format!(
            "Kế hoạch có {} chỉ tiêu; kết quả năm {} tại {}: {counts}.",
            r.targets.len(),
            r.year,
            r.org.name
        )));
        let rows = r
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let kind = match t.status {
                    Status::Missed | Status::OffTrack | Status::AtRisk => RowKind::Flagged,
                    _ => RowKind::Normal,
                };
                let name = match &t.indicator_name {
                    Some(n) if !t.subject.is_empty() && *n != t.subject => {
                        format!("{} ({n})", t.subject)
                    }
                    Some(n) => n.clone(),
                    None => t.subject.clone(),
                };
                row(
                    vec![
                        Cell::count(i + 1),
                        Cell::text(name),
                        Cell::text(target(
                            t.comparator,
                            t.value,
                            t.unit,
                            t.unit_text.as_deref(),
                        )),
                        Cell::text(t.due_year.map(|y| y.to_string()).unwrap_or_default()),
                        Cell::figure(t.indicator.as_deref(), t.actual, t.actual_year),
                        Cell::difference(t.indicator.as_deref(), t.actual, t.gap),
                        Cell::text(assessment(t)),
                    ],
                    kind,
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                col("STT", 4, true),
                col("Chỉ tiêu", 34, false),
                col("Kế hoạch", 12, false),
                col("Năm đạt", 7, false),
                col("Thực hiện (năm)", 11, true),
                col("Chênh lệch", 10, true),
                col("Đánh giá", 12, false),
            ],
            rows,
        }));
    }
    Section {
        title: "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU".into(),
        sheet: "I. Chỉ tiêu".into(),
        blocks,
    }
}

/// A target's assessment: its status, why its actual is not reliable,
/// and the actual's 95 % interval.
fn assessment(t: &crate::model::TargetResult) -> String {
    let mut parts = Vec::new();
    if let Some(n) = &t.note {
        parts.push(n.clone());
    }
    if let (Some((lo, hi)), Some(code)) = (t.ci95, t.indicator.as_deref()) {
        parts.push(format!(
            "KTC 95 %: {} – {}",
            ytcs_core::quality::format_figure(code, lo),
            ytcs_core::quality::format_figure(code, hi)
        ));
    }
    if parts.is_empty() {
        status(t.status).to_string()
    } else {
        format!("{} ({})", status(t.status), parts.join("; "))
    }
}

fn tasks_section(r: &PlanReport) -> Section {
    let mut blocks = vec![Block::Subheading("1. Nhiệm vụ, giải pháp".into())];
    if r.tasks.is_empty() {
        blocks.push(Block::Paragraph("Kế hoạch không có nhiệm vụ.".into()));
    } else {
        let done = r
            .tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Done)
            .count();
        let overdue = r.tasks.iter().filter(|t| t.overdue).count();
        let reported = r.tasks.iter().filter(|t| t.updated_on.is_some()).count();
        blocks.push(Block::Paragraph(format!(
            "{} nhiệm vụ; {reported} nhiệm vụ có báo cáo tiến độ, {done} hoàn thành, {overdue} quá hạn (tính đến ngày {}).",
            r.tasks.len(),
            date_vi(r.as_of)
        )));
        let rows = r
            .tasks
            .iter()
            .map(|t| {
                let deadline = match t.deadline {
                    Some(d) => date_vi(d),
                    None => t.timeframe.clone(),
                };
                let mut state = task_status(t.status).to_string();
                if t.overdue {
                    state.push_str(" — quá hạn");
                }
                let mut note = t.note.clone();
                if let Some(d) = t.updated_on {
                    note = if note.is_empty() {
                        format!("({})", date_vi(d))
                    } else {
                        format!("{note} ({})", date_vi(d))
                    };
                }
                let mut title = Cell::text(t.title.clone());
                title.indent = t.depth.min(6) as u8;
                row(
                    vec![
                        Cell::text(t.id.clone()),
                        title,
                        Cell::text(t.lead.join("; ")),
                        Cell::text(deadline),
                        Cell::text(state),
                        match t.progress {
                            Some(p) => Cell {
                                text: format!("{p} %"),
                                number: Some(Number {
                                    value: f64::from(p),
                                    decimals: 0,
                                    percent: true,
                                }),
                                indent: 0,
                                link: None,
                            },
                            None => Cell::text(""),
                        },
                        Cell::text(note),
                    ],
                    if t.overdue {
                        RowKind::Flagged
                    } else {
                        RowKind::Normal
                    },
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                col("Số TT", 7, false),
                col("Nhiệm vụ", 33, false),
                col("Đơn vị chủ trì", 14, false),
                col("Thời hạn", 10, false),
                col("Tình trạng", 11, false),
                col("Tiến độ", 7, true),
                col("Ghi chú", 18, false),
            ],
            rows,
        }));
    }
    blocks.push(Block::Subheading("2. Chế độ báo cáo".into()));
    let rows: Vec<Row> = r
        .reporting
        .iter()
        .flat_map(|d| {
            let base = |due: String, unit: String, state: String, sub: String, kind| {
                row(
                    vec![
                        Cell::text(d.what.clone()),
                        Cell::text(unit),
                        Cell::text(d.to.join("; ")),
                        Cell::text(due),
                        Cell::text(state),
                        Cell::text(sub),
                    ],
                    kind,
                )
            };
            if d.instances.is_empty() {
                vec![base(
                    String::new(),
                    d.by.join("; "),
                    format!("Không có kỳ báo cáo trong năm {}", r.year),
                    String::new(),
                    RowKind::Normal,
                )]
            } else {
                d.instances
                    .iter()
                    .map(|x| {
                        base(
                            date_vi(x.due),
                            x.unit.clone(),
                            report_state(x.state).to_string(),
                            x.submitted_on.map(date_vi).unwrap_or_default(),
                            match x.state {
                                ytcs_core::tracking::ReportState::Missing
                                | ytcs_core::tracking::ReportState::Late => RowKind::Flagged,
                                _ => RowKind::Normal,
                            },
                        )
                    })
                    .collect()
            }
        })
        .collect();
    if rows.is_empty() {
        blocks.push(Block::Paragraph(
            "Kế hoạch không quy định chế độ báo cáo.".into(),
        ));
    } else {
        blocks.push(Block::Table(Table {
            columns: vec![
                col("Nội dung báo cáo", 30, false),
                col("Đơn vị báo cáo", 17, false),
                col("Nơi nhận", 17, false),
                col("Hạn nộp", 10, false),
                col("Tình trạng", 14, false),
                col("Ngày nộp", 10, false),
            ],
            rows,
        }));
    }
    Section {
        title: "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ VÀ CHẾ ĐỘ BÁO CÁO".into(),
        sheet: "II. Nhiệm vụ".into(),
        blocks,
    }
}

fn budget_section(r: &PlanReport) -> Section {
    let b = &r.budget;
    let mut blocks = Vec::new();
    if b.lines.is_empty() {
        blocks.push(Block::Paragraph(
            "Kế hoạch không có dự toán kinh phí.".into(),
        ));
    } else {
        blocks.push(Block::Paragraph(format!(
            "Tổng kinh phí kế hoạch {} đồng; lũy kế đến ngày 31/12/{} đã cam kết {} đồng, đã giải ngân {} đồng{}.",
            vnd(b.planned_total),
            r.year,
            vnd(b.committed_total),
            vnd(b.disbursed_total),
            b.rate_total
                .map(|x| format!(" ({} dự toán)", percent(x)))
                .unwrap_or_default()
        )));
        let mut rows: Vec<Row> = b
            .lines
            .iter()
            .map(|l| {
                let mut purpose = Cell::text(l.purpose.clone());
                purpose.indent = u8::from(l.is_part);
                row(
                    vec![
                        purpose,
                        Cell::text(l.sources.join("; ")),
                        Cell::money(l.planned),
                        Cell::money(l.committed),
                        Cell::money(l.disbursed),
                        Cell::percent(l.rate),
                        Cell::text(if l.overrun { "Vượt dự toán" } else { "" }),
                    ],
                    if l.overrun {
                        RowKind::Flagged
                    } else {
                        RowKind::Normal
                    },
                )
            })
            .collect();
        rows.push(row(
            vec![
                Cell::text("Tổng cộng"),
                Cell::text(""),
                Cell::money(b.planned_total),
                Cell::money(b.committed_total),
                Cell::money(b.disbursed_total),
                Cell::percent(b.rate_total),
                Cell::text(""),
            ],
            RowKind::Total,
        ));
        blocks.push(Block::Table(Table {
            columns: vec![
                col("Nội dung", 30, false),
                col("Nguồn kinh phí", 14, false),
                col("Dự toán (đồng)", 14, true),
                col("Đã cam kết (đồng)", 14, true),
                col("Đã giải ngân (đồng)", 14, true),
                col("Tỷ lệ giải ngân", 9, true),
                col("Ghi chú", 9, false),
            ],
            rows,
        }));
    }
    Section {
        title: "III. TÌNH HÌNH THỰC HIỆN KINH PHÍ".into(),
        sheet: "III. Kinh phí".into(),
        blocks,
    }
}

fn criteria_section(r: &PlanReport) -> Section {
    let c = &r.criteria;
    let mut blocks = vec![Block::Paragraph(format!(
        "Số xã, phường trên địa bàn: {}; đã tự đánh giá năm {}: {}; đạt Bộ tiêu chí quốc gia về y tế xã (QĐ 1300/QĐ-BYT): {}{}.",
        c.communes,
        r.year,
        c.assessed,
        c.passed,
        c.pass_rate
            .map(|x| format!(" ({} số xã đã đánh giá)", percent(x)))
            .unwrap_or_default()
    ))];
    if !c.results.is_empty() {
        let rows = c
            .results
            .iter()
            .enumerate()
            .map(|(i, x)| {
                row(
                    vec![
                        Cell::count(i + 1),
                        Cell::text(x.code.clone()),
                        Cell::text(x.name.clone()),
                        Cell::measured(Some(x.total)),
                        Cell::text(if x.passed { "Đạt" } else { "Chưa đạt" }),
                        Cell::text(x.recognised_on.map(date_vi).unwrap_or_default()),
                    ],
                    if x.passed {
                        RowKind::Normal
                    } else {
                        RowKind::Flagged
                    },
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            columns: vec![
                col("STT", 5, true),
                col("Mã", 8, false),
                col("Xã, phường", 35, false),
                col("Tổng điểm", 10, true),
                col("Kết quả", 10, false),
                col("Ngày công nhận", 12, false),
            ],
            rows,
        }));
    }
    Section {
        title: "IV. KẾT QUẢ BỘ TIÊU CHÍ QUỐC GIA VỀ Y TẾ XÃ".into(),
        sheet: "IV. Tiêu chí xã".into(),
        blocks,
    }
}
