//! The report as an Excel workbook: a first sheet with the title and facts
//! (and the no-data notice), then one sheet per section. Numbers are
//! numbers with a format (`#,##0`, `0.0 "%"`), so they can be summed;
//! Excel shows the separators of the reader's locale.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::layout::{Block, Document, RowKind, Table};
use crate::ReportError;

/// Writes a laid-out report as XLSX.
pub fn render_xlsx(doc: &Document) -> Result<Vec<u8>, ReportError> {
    write(doc).map_err(|e| ReportError::render("XLSX", e))
}

struct Styles {
    heading: Format,
    title: Format,
    bold: Format,
    notice: Format,
    header: Format,
    text: Format,
}

fn write(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let border = |f: Format| f.set_border(FormatBorder::Thin).set_text_wrap();
    let st = Styles {
        heading: Format::new().set_bold().set_font_size(14),
        title: Format::new().set_bold().set_font_size(12),
        bold: Format::new().set_bold(),
        notice: Format::new()
            .set_bold()
            .set_font_color(Color::RGB(0xC0_1C_28)),
        header: border(
            Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8_EE_F4))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
        ),
        text: border(Format::new().set_align(FormatAlign::Top)),
    };

    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 70)?;
    let mut row = 0u32;
    // The letterhead: the issuing body and the number in column A, the
    // national title, motto and place and date in column B, centred.
    if let Some(l) = &doc.letterhead {
        let centre = Format::new().set_align(FormatAlign::Center);
        let bold = centre.clone().set_bold();
        let left: Vec<(&str, &Format)> = l
            .above
            .iter()
            .map(|a| (a.as_str(), &centre))
            .chain([(l.body.as_str(), &bold), (l.number.as_str(), &centre)])
            .collect();
        let underlined = bold
            .clone()
            .set_underline(rust_xlsxwriter::FormatUnderline::Single);
        let italic = centre.clone().set_italic();
        let right = [
            (l.nation.as_str(), &bold),
            (l.motto.as_str(), &underlined),
            (l.place_date.as_str(), &italic),
        ];
        for i in 0..left.len().max(right.len()) {
            if let Some((t, f)) = left.get(i) {
                ws.write_string_with_format(row, 0, *t, f)?;
            }
            if let Some((t, f)) = right.get(i) {
                ws.write_string_with_format(row, 1, *t, f)?;
            }
            row += 1;
        }
        row += 1;
    }
    ws.write_string_with_format(row, 0, &doc.heading, &st.heading)?;
    row += 1;
    ws.write_string_with_format(row, 0, &doc.title, &st.title)?;
    row += 1;
    if let Some(s) = &doc.subtitle {
        ws.write_string(row, 0, s)?;
        row += 1;
    }
    row += 1;
    if let Some(n) = &doc.notice {
        ws.write_string_with_format(row, 0, n, &st.notice)?;
        row += 2;
    }
    for (k, v) in &doc.facts {
        ws.write_string_with_format(row, 0, k, &st.bold)?;
        ws.write_string(row, 1, v)?;
        row += 1;
    }
    row += 1;
    for s in &doc.sections {
        ws.write_string(row, 0, &s.title)?;
        row += 1;
    }

    for s in &doc.sections {
        let ws = wb.add_worksheet();
        ws.set_name(&s.sheet)?;
        let mut row = 0u32;
        ws.write_string_with_format(row, 0, &s.title, &st.title)?;
        row += 1;
        if let Some(n) = &doc.notice {
            ws.write_string_with_format(row, 0, n, &st.notice)?;
            row += 1;
        }
        let mut widths_set = false;
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => {
                    ws.write_string(row, 0, p)?;
                    row += 1;
                }
                Block::Subheading(h) => {
                    row += 1;
                    ws.write_string_with_format(row, 0, h, &st.bold)?;
                    row += 1;
                }
                Block::Table(t) => {
                    if !widths_set {
                        for (i, c) in t.columns.iter().enumerate() {
                            ws.set_column_width(i as u16, f64::from(c.width) * 1.3 + 2.0)?;
                        }
                        widths_set = true;
                    }
                    row = table(ws, &st, t, row)?;
                    row += 1;
                }
            }
        }
    }
    wb.save_to_buffer()
}

fn table(ws: &mut Worksheet, st: &Styles, t: &Table, mut row: u32) -> Result<u32, XlsxError> {
    for (i, c) in t.columns.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, &c.header, &st.header)?;
    }
    row += 1;
    for r in &t.rows {
        for (i, c) in r.cells.iter().enumerate() {
            let mut f = st.text.clone();
            if r.kind == RowKind::Total {
                f = f.set_bold();
            }
            if r.kind == RowKind::Flagged {
                f = f.set_font_color(Color::RGB(0xA0_10_20));
            }
            if c.indent > 0 {
                f = f.set_indent(c.indent);
            }
            match c.number {
                Some(n) => {
                    let mut num = String::from("#,##0");
                    if n.decimals > 0 {
                        num.push('.');
                        num.push_str(&"0".repeat(usize::from(n.decimals)));
                    }
                    if n.percent {
                        num.push_str(" \"%\"");
                    }
                    ws.write_number_with_format(row, i as u16, n.value, &f.set_num_format(&num))?;
                }
                None => {
                    ws.write_string_with_format(row, i as u16, &c.text, &f)?;
                }
            }
        }
        row += 1;
    }
    Ok(row)
}
