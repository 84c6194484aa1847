//! The report as a Word document: a minimal WordprocessingML package
//! (content types, relationships, styles, the document and a footer with
//! page numbers) written with `zip`. A4 portrait, margins of a Vietnamese
//! administrative document (top/bottom 2 cm, left 3 cm, right 2 cm), Times
//! New Roman 13 pt, tables with a repeated header row.
//!
//! *Without a DOCX crate.* A report needs headings, paragraphs, tables
//! with a repeated header and a page-number footer: six XML parts written
//! with the `zip` we already use (no new dependency); `docx-rs` would
//! bring its own XML and image stack for features we do not use.

use std::io::Write;

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

use crate::layout::{Block, Document, RowKind, Table};
use crate::ReportError;

/// Width of the text area in twentieths of a point (A4 less 3 + 2 cm).
const TEXT_WIDTH: u32 = 11906 - 1701 - 1134;

/// Writes a laid-out report as DOCX.
pub fn render_docx(doc: &Document) -> Result<Vec<u8>, ReportError> {
    package(&document_xml(doc)).map_err(|e| ReportError::render("DOCX", e))
}

fn package(document: &str) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts: [(&str, &str); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
        ("word/footer1.xml", FOOTER),
        ("word/document.xml", document),
    ];
    for (name, body) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Escapes text for XML content and attributes.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 cannot carry.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A paragraph of one run.
fn para(text: &str, style: Option<&str>, run_props: &str, para_props: &str) -> String {
    let style = style
        .map(|s| format!("<w:pStyle w:val=\"{s}\"/>"))
        .unwrap_or_default();
    format!(
        "<w:p><w:pPr>{style}{para_props}</w:pPr><w:r><w:rPr>{run_props}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
        esc(text)
    )
}

/// The letterhead as a borderless table of two columns (Nghị định
/// 30/2020/NĐ-CP, Phụ lục I): the issuing body and the number on the
/// left, the national title, the motto (underlined) and the place and
/// date (italic) on the right, every line centred in its column.
fn letterhead_xml(l: &crate::layout::Letterhead) -> String {
    let centre = "<w:jc w:val=\"center\"/><w:spacing w:after=\"0\"/>";
    let mut left = String::new();
    if let Some(a) = &l.above {
        left.push_str(&para(a, None, "", centre));
    }
    left.push_str(&para(&l.body, None, "<w:b/>", centre));
    left.push_str(&para(&l.number, None, "", centre));
    let right = [
        para(&l.nation, None, "<w:b/>", centre),
        para(&l.motto, None, "<w:b/><w:u w:val=\"single\"/>", centre),
        para(&l.place_date, None, "<w:i/>", centre),
    ]
    .concat();
    let cell = |width: u32, body: &str| {
        format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{body}</w:tc>")
    };
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblBorders>\
<w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>\
<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr>\
<w:tblGrid><w:gridCol w:w=\"{}\"/><w:gridCol w:w=\"{}\"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl><w:p/>",
        TEXT_WIDTH * 2 / 5,
        TEXT_WIDTH - TEXT_WIDTH * 2 / 5,
        cell(TEXT_WIDTH * 2 / 5, &left),
        cell(TEXT_WIDTH - TEXT_WIDTH * 2 / 5, &right),
    )
}

fn document_xml(doc: &Document) -> String {
    let mut b = String::new();
    if let Some(l) = &doc.letterhead {
        b.push_str(&letterhead_xml(l));
    }
    b.push_str(&para(&doc.heading, Some("Title"), "", ""));
    b.push_str(&para(&doc.title, Some("Subtitle"), "", ""));
    if let Some(s) = &doc.subtitle {
        b.push_str(&para(s, None, "<w:i/>", "<w:jc w:val=\"center\"/>"));
    }
    if let Some(n) = &doc.notice {
        b.push_str(&para(n, Some("Notice"), "", ""));
    }
    for (k, v) in &doc.facts {
        b.push_str(&format!(
            "<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}: </w:t></w:r><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(k),
            esc(v)
        ));
    }
    for s in &doc.sections {
        b.push_str(&para(&s.title, Some("Heading1"), "", ""));
        for block in &s.blocks {
            match block {
                Block::Paragraph(p) => b.push_str(&para(p, None, "", "")),
                Block::Subheading(h) => b.push_str(&para(h, Some("Heading2"), "", "")),
                Block::Table(t) => {
                    b.push_str(&table(t));
                    b.push_str("<w:p/>");
                }
            }
        }
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{b}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
<w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
</w:sectPr></w:body></w:document>"
    )
}

fn table(t: &Table) -> String {
    let total: u32 = t
        .columns
        .iter()
        .map(|c| u32::from(c.width))
        .sum::<u32>()
        .max(1);
    let widths: Vec<u32> = t
        .columns
        .iter()
        .map(|c| TEXT_WIDTH * u32::from(c.width) / total)
        .collect();
    let mut x = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"ReportTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
    );
    for w in &widths {
        x.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    x.push_str("</w:tblGrid>");
    let cell = |w: u32, text: &str, run: &str, ppr: &str, shade: bool| {
        let shade = if shade {
            "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF4\"/>"
        } else {
            ""
        };
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>{shade}</w:tcPr>{}</w:tc>",
            para(text, Some("TableText"), run, ppr)
        )
    };
    x.push_str("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (c, w) in t.columns.iter().zip(&widths) {
        x.push_str(&cell(
            *w,
            &c.header,
            "<w:b/>",
            "<w:jc w:val=\"center\"/>",
            true,
        ));
    }
    x.push_str("</w:tr>");
    for r in &t.rows {
        x.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let run = match r.kind {
            RowKind::Total => "<w:b/>",
            RowKind::Flagged => "<w:color w:val=\"A01020\"/>",
            RowKind::Normal => "",
        };
        for ((c, col), w) in r.cells.iter().zip(&t.columns).zip(&widths) {
            let mut ppr = String::new();
            if col.numeric {
                ppr.push_str("<w:jc w:val=\"right\"/>");
            }
            if c.indent > 0 {
                ppr.push_str(&format!(
                    "<w:ind w:left=\"{}\"/>",
                    u32::from(c.indent) * 170
                ));
            }
            x.push_str(&cell(*w, &c.text, run, &ppr, false));
        }
        x.push_str("</w:tr>");
    }
    x.push_str("</w:tbl>");
    x
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">Trang </w:t></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">/</w:t></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:before="120" w:after="60"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="120"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="80"/><w:jc w:val="left"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Notice"><w:name w:val="Notice"/><w:basedOn w:val="Normal"/><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="4" w:color="C01C28"/><w:left w:val="single" w:sz="6" w:space="4" w:color="C01C28"/><w:bottom w:val="single" w:sz="6" w:space="4" w:color="C01C28"/><w:right w:val="single" w:sz="6" w:space="4" w:color="C01C28"/></w:pBdr><w:spacing w:before="120" w:after="120"/></w:pPr><w:rPr><w:b/><w:color w:val="C01C28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style><w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:left w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:right w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="808080"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="808080"/></w:tblBorders><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

#[cfg(test)]
mod tests {
    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            super::esc("a < b & \"c\"\u{1}"),
            "a &lt; b &amp; &quot;c&quot;"
        );
    }
}
