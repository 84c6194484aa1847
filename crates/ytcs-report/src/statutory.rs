//! A filled statutory form ([`ytcs_engine::statutory::FilledForm`]) as a
//! [`Document`], so XLSX, PDF, DOCX and the web's page print the same
//! form: the reporting unit, the form's number and circular, the period
//! and due date above; one table of the form's rows and columns, each cell
//! the figure or blank for no data, a figure that may not be signed plain
//! marked `*`; then where each row comes from and what the flags mean.

use ytcs_core::statutory::FormLevel;
use ytcs_engine::statutory::{FilledCell, FilledForm};

use crate::layout::{Block, Cell, Column, Document, Number, Row, RowKind, Section, Table};
use crate::text::{date_vi, number};

/// The mark after a figure that is not reliable.
pub const UNRELIABLE_MARK: &str = " *";

/// Lays out a filled form.
pub fn layout(f: &FilledForm) -> Document {
    layout_linked(f, &|_| None)
}

/// [`layout`] with each figure linked where `link` says (the web page
/// links the registers' figures to the persons behind them).
pub fn layout_linked(f: &FilledForm, link: &dyn Fn(&FilledCell) -> Option<String>) -> Document {
    let mut columns = vec![
        Column {
            header: "Mã số".into(),
            width: 6,
            numeric: false,
        },
        Column {
            header: "Chỉ tiêu".into(),
            width: 40,
            numeric: false,
        },
    ];
    columns.extend(f.columns.iter().map(|c| Column {
        header: c.label_vi.clone(),
        width: 10,
        numeric: true,
    }));
    columns.push(Column {
        header: "Nguồn số liệu".into(),
        width: 14,
        numeric: false,
    });
    let mut rows = Vec::new();
    let mut unreliable = 0;
    for r in &f.rows {
        let mut cells = vec![Cell::text(r.code.clone()), Cell::text(r.label_vi.clone())];
        let mut flagged = false;
        for c in &f.columns {
            cells.push(match r.cells.iter().find(|x| x.column == c.code) {
                None => Cell::text(""),
                Some(x) => match x.value {
                    None => Cell::text(""),
                    Some(v) => {
                        let mark = if x.reliable {
                            ""
                        } else {
                            flagged = true;
                            unreliable += 1;
                            UNRELIABLE_MARK
                        };
                        Cell {
                            text: format!("{}{mark}", number(v)),
                            number: Some(Number {
                                value: v,
                                decimals: crate::text::decimals(v) as u8,
                                percent: false,
                            }),
                            indent: 0,
                            link: link(x),
                        }
                    }
                },
            });
        }
        cells.push(Cell::text(match r.cells.first().map(|c| c.computed) {
            Some("registers") => "Sổ của trạm (tự tính)",
            Some(_) => "Nhập tay",
            None => "",
        }));
        rows.push(Row {
            cells,
            kind: if r.element.is_none() {
                RowKind::Total
            } else if flagged {
                RowKind::Flagged
            } else {
                RowKind::Normal
            },
        });
    }
    let mut notes = Vec::new();
    for r in f.rows.iter().filter(|r| r.note.is_some()) {
        notes.push(Block::Paragraph(format!(
            "Dòng {}: {}",
            r.code,
            r.note.as_deref().unwrap_or_default()
        )));
    }
    if unreliable > 0 {
        notes.push(Block::Paragraph(format!(
            "{unreliable} số có dấu *: chưa đủ tin cậy để ký như một số liệu thường (thiếu xã báo cáo, số nhỏ hoặc bất thường); xem giải thích của từng ô trên trang biểu mẫu."
        )));
    }
    notes.push(Block::Paragraph(
        "Ô để trống: chưa có số liệu. Số từ sổ của trạm do ytcs tính từ hồ sơ cá nhân; số nhập tay lấy từ biểu nhập số liệu.".into(),
    ));
    notes.push(Block::Paragraph(format!(
        "Đối chiếu với Thông tư: {}",
        f.verified
    )));
    let level = match f.level {
        FormLevel::Commune => "Trạm y tế",
        FormLevel::District => "Trung tâm y tế",
        FormLevel::Province => "Sở Y tế",
    };
    let period_label = f
        .period
        .parse()
        .map(|p| ytcs_core::period_text::label(p, true))
        .unwrap_or_else(|_| f.period.clone());
    Document {
        letterhead: None,
        heading: format!("BIỂU {}", f.code),
        title: f.name_vi.to_uppercase(),
        subtitle: Some(format!("Kỳ báo cáo: {period_label}")),
        facts: vec![
            ("Đơn vị báo cáo".into(), format!("{level} {}", f.org_name)),
            ("Mã đơn vị".into(), f.org.clone()),
            ("Ban hành theo".into(), f.circular_title_vi.clone()),
            ("Hạn gửi".into(), date_vi(f.due)),
            ("Địa giới hành chính tính đến ngày".into(), date_vi(f.at)),
        ],
        notice: (!f.ended)
            .then(|| "Kỳ báo cáo chưa kết thúc: đây là bản xem trước, chưa gửi được.".to_string()),
        sections: vec![
            Section {
                title: "SỐ LIỆU".into(),
                sheet: "Bieu".into(),
                blocks: vec![Block::Table(Table { columns, rows })],
            },
            Section {
                title: "GHI CHÚ".into(),
                sheet: "Ghi chu".into(),
                blocks: notes,
            },
        ],
        file_stem: format!(
            "bieu-{}-{}-{}",
            ascii(&f.code),
            ascii(&f.org),
            ascii(&f.period)
        ),
    }
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
