//! DOCX to text: `word/document.xml` paragraphs become lines; data tables
//! become pipe rows (`| a | b |`); layout tables (a cell holding several
//! paragraphs, as in the header and signature blocks) become their cells'
//! paragraphs, one per line. Zip bombs are refused by entry count and by
//! the real (not the declared) uncompressed size.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::{PlanDocError, MAX_DOCX_ENTRIES, MAX_DOCX_XML_BYTES};

/// The text of a DOCX file, one paragraph or table row per line.
pub fn document_text(bytes: &[u8]) -> Result<String, PlanDocError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| PlanDocError::NotDocx(e.to_string()))?;
    if zip.len() > MAX_DOCX_ENTRIES {
        return Err(PlanDocError::ZipBomb(format!("{} entries", zip.len())));
    }
    let file = zip
        .by_name("word/document.xml")
        .map_err(|_| PlanDocError::NotDocx("no word/document.xml".into()))?;
    if file.size() > MAX_DOCX_XML_BYTES {
        return Err(PlanDocError::ZipBomb(format!(
            "document.xml declares {} bytes",
            file.size()
        )));
    }
    let mut xml = Vec::new();
    let mut limited = file.take(MAX_DOCX_XML_BYTES + 1);
    limited
        .read_to_end(&mut xml)
        .map_err(|e| PlanDocError::NotDocx(e.to_string()))?;
    if xml.len() as u64 > MAX_DOCX_XML_BYTES {
        return Err(PlanDocError::ZipBomb(
            "document.xml expands beyond 50 MB".into(),
        ));
    }
    xml_to_text(&xml)
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Vec<String>>>,
}

/// Converts WordprocessingML to lines.
pub fn xml_to_text(xml: &[u8]) -> Result<String, PlanDocError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut tables: Vec<Table> = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| PlanDocError::NotDocx(format!("bad XML: {e}")))?;
        match ev {
            Event::Start(e) | Event::Empty(e) if matches!(e.local_name().as_ref(), b"tab") => {
                para.push('\t')
            }
            Event::Start(e) | Event::Empty(e)
                if matches!(e.local_name().as_ref(), b"br" | b"cr") =>
            {
                para.push('\n')
            }
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"p" => para.clear(),
                b"tbl" => {
                    if tables.len() > 32 {
                        return Err(PlanDocError::NotDocx("tables nested too deeply".into()));
                    }
                    tables.push(Table::default());
                }
                b"tr" => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                b"tc" => {
                    if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                        row.push(Vec::new());
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t
                    .unescape()
                    .map_err(|e| PlanDocError::NotDocx(format!("bad XML text: {e}")))?;
                para.push_str(&s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let text = std::mem::take(&mut para);
                    match tables
                        .last_mut()
                        .and_then(|t| t.rows.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        Some(cell) => cell.push(text),
                        None => out.push(text),
                    }
                }
                b"tbl" => {
                    if let Some(t) = tables.pop() {
                        let lines = render_table(t);
                        match tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            Some(cell) => cell.extend(lines),
                            None => out.extend(lines),
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out.join("\n"))
}

fn render_table(t: Table) -> Vec<String> {
    let layout = t.rows.len() <= 2
        || t.rows.iter().any(|r| {
            r.iter()
                .any(|c| c.iter().filter(|p| !p.trim().is_empty()).count() >= 3)
        });
    let mut out = Vec::new();
    if layout {
        for row in t.rows {
            for cell in row {
                out.extend(cell);
                out.push(String::new());
            }
        }
    } else {
        for row in t.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|p| p.trim())
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                        .replace('|', "/")
                })
                .collect();
            out.push(format!("| {} |", cells.join(" | ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_tables_become_lines() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>
            <w:tbl>
              <w:tr><w:tc><w:p><w:r><w:t>TT</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Chỉ tiêu</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2025</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Tỷ lệ A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>90</w:t></w:r></w:p></w:tc></w:tr>
              <w:tr><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Tỷ lệ B</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>&gt;95</w:t></w:r></w:p></w:tc></w:tr>
            </w:tbl>
            <w:p><w:r><w:t xml:space="preserve">Căn cứ </w:t></w:r><w:r><w:t>Luật</w:t></w:r></w:p>
        </w:body></w:document>"#;
        let text = xml_to_text(xml.as_bytes()).unwrap_or_default();
        assert_eq!(text, "KẾ HOẠCH\n| TT | Chỉ tiêu | 2025 |\n| 1 | Tỷ lệ A | 90 |\n| 2 | Tỷ lệ B | >95 |\nCăn cứ Luật");
    }
}
