//! The report as PDF: A4 portrait, Noto Sans (regular and bold) embedded
//! as subsets of the glyphs used, with a ToUnicode map so the text can be
//! searched and copied with its Vietnamese diacritics; tables with wrapped
//! cells, a header row repeated on each page, and page numbers.
//!
//! Two passes: the layout is placed on pages as drawing operations first
//! (so the page count is known for "Trang i/N"), then written with
//! `pdf-writer`. Text is NFC-normalised and drawn glyph by glyph from the
//! font's own `cmap` (no shaping: Vietnamese needs none once precomposed).
//!
//! *Why these crates.* `pdf-writer` + `subsetter` + `ttf-parser` (typst's
//! low-level crates: three new crates, no transitive ones beyond what the
//! lock already held) rather than `printpdf`/`genpdf` (larger trees, whole
//! fonts embedded). The font is Noto Sans Regular and Bold (SIL OFL 1.1,
//! from Debian's `fonts-noto-core`, unmodified, ~0.5 MB each, compiled
//! into the binary; provenance and licence in `crates/ytcs-report/fonts/`).
//! It has no `≥`/`≤`/`≈`: those come from Noto Sans Math, a third face the
//! text falls back to glyph by glyph ([`runs`]), so the PDF prints the
//! same symbols as the DOCX, XLSX and HTML.

use std::collections::HashMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;
use unicode_normalization::UnicodeNormalization;

use crate::layout::{Block, Document, RowKind, Table};
use crate::ReportError;

/// Noto Sans Regular (SIL OFL 1.1, see `fonts/README.md`).
static REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold.
static BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
/// Noto Sans Math Regular (SIL OFL 1.1): the symbols Noto Sans lacks
/// (`≥`, `≤`, `≈`), so the PDF prints what the other formats print.
static SYMBOLS: &[u8] = include_bytes!("../fonts/NotoSansMath-Regular.ttf");

/// The faces: regular, bold, and the symbols both fall back to.
const SYMBOL_FACE: usize = 2;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 62.0;
const RIGHT: f32 = 45.0;
const TOP: f32 = 50.0;
const BOTTOM: f32 = 56.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.0;
const PAD: f32 = 3.0;

/// Writes a laid-out report as PDF.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, ReportError> {
    let fonts = [Face::new(REGULAR)?, Face::new(BOLD)?, Face::new(SYMBOLS)?];
    let pages = Placer::new(&fonts).place(doc);
    write(&fonts, doc, &pages)
}

/// A font face: its bytes and what layout needs from them.
struct Face {
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    units: f32,
}

impl Face {
    fn new(data: &'static [u8]) -> Result<Face, ReportError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|e| ReportError::render("PDF", e))?;
        Ok(Face {
            data,
            units: f32::from(face.units_per_em()),
            face,
        })
    }

    /// The glyphs of a text, with the character each stands for; a
    /// character the font lacks is written with a stand-in, else `.notdef`.
    fn glyphs(&self, text: &str) -> Vec<(u16, char)> {
        let mut out = Vec::new();
        for c in text.nfc() {
            let c = if c == '\t' || c == '\n' { ' ' } else { c };
            if c.is_control() {
                continue;
            }
            match self.face.glyph_index(c) {
                Some(g) => out.push((g.0, c)),
                None => {
                    let stand_in = match c {
                        '≥' => ">=",
                        '≤' => "<=",
                        '≈' => "~",
                        '‰' => "%o",
                        '–' | '—' => "-",
                        _ => "?",
                    };
                    for s in stand_in.chars() {
                        out.push((self.face.glyph_index(s).map_or(0, |g| g.0), s));
                    }
                }
            }
        }
        out
    }

    fn advance(&self, glyph: u16) -> f32 {
        f32::from(
            self.face
                .glyph_hor_advance(ttf_parser::GlyphId(glyph))
                .unwrap_or(0),
        ) / self.units
    }
}

/// A text in runs of one face each: the glyphs of face `primary` (0
/// regular, 1 bold), and those it lacks from the symbol face when it has
/// them (else the primary face's stand-in).
fn runs(fonts: &[Face; 3], primary: usize, text: &str) -> Vec<(usize, Vec<(u16, char)>)> {
    let mut out: Vec<(usize, Vec<(u16, char)>)> = Vec::new();
    for c in text.nfc() {
        let mut buf = [0u8; 4];
        let one = c.encode_utf8(&mut buf);
        let face = if fonts[primary].face.glyph_index(c).is_none()
            && fonts[SYMBOL_FACE].face.glyph_index(c).is_some()
        {
            SYMBOL_FACE
        } else {
            primary
        };
        let glyphs = fonts[face].glyphs(one);
        match out.last_mut() {
            Some((f, g)) if *f == face => g.extend(glyphs),
            _ => out.push((face, glyphs)),
        }
    }
    out
}

/// The width of a text in `primary` (with its fallbacks) at a size, in
/// points.
fn text_width(fonts: &[Face; 3], primary: usize, text: &str, size: f32) -> f32 {
    runs(fonts, primary, text)
        .iter()
        .flat_map(|(f, g)| g.iter().map(move |(id, _)| fonts[*f].advance(*id)))
        .sum::<f32>()
        * size
}

/// Something drawn on a page.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        red: bool,
        text: String,
    },
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<f32>,
        red: bool,
    },
}

/// Places the document on pages.
struct Placer<'f> {
    fonts: &'f [Face; 3],
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'f> Placer<'f> {
    fn new(fonts: &'f [Face; 3]) -> Self {
        Placer {
            fonts,
            pages: vec![Vec::new()],
            y: PAGE_H - TOP,
        }
    }

    fn width(&self) -> f32 {
        PAGE_W - LEFT - RIGHT
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_H - TOP;
    }

    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM {
            self.new_page();
        }
    }

    /// Breaks a text into lines no wider than `width`.
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let fonts = self.fonts;
        let primary = usize::from(bold);
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if text_width(fonts, primary, &candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line is cut where it must be.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if text_width(fonts, primary, &piece, size) > width && piece.chars().count() > 1
                    {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    fn paragraph(&mut self, text: &str, size: f32, bold: bool, center: bool, red: bool) {
        let lh = size * 1.4;
        let width = self.width();
        for line in self.wrap(text, size, bold, width) {
            self.ensure(lh);
            let w = text_width(self.fonts, usize::from(bold), &line, size);
            let x = if center {
                LEFT + (width - w) / 2.0
            } else {
                LEFT
            };
            self.y -= lh;
            let y = self.y + size * 0.3;
            self.ops().push(Op::Text {
                x,
                y,
                size,
                bold,
                red,
                text: line,
            });
        }
    }

    /// The letterhead: two columns of centred lines (the issuing body and
    /// the number; the national title, the motto underlined, the place and
    /// date). The PDF has no italic face: the date is upright.
    fn letterhead(&mut self, l: &crate::layout::Letterhead) {
        let size = 10.5;
        let lh = size * 1.35;
        let total = self.width();
        let left_w = total * 0.42;
        let left: Vec<(&str, bool)> = l
            .above
            .iter()
            .map(|a| (a.as_str(), false))
            .chain([(l.body.as_str(), true), (l.number.as_str(), false)])
            .collect();
        let right = [
            (l.nation.as_str(), true),
            (l.motto.as_str(), true),
            (l.place_date.as_str(), false),
        ];
        let rows = left.len().max(right.len());
        self.ensure(rows as f32 * lh + 12.0);
        let top = self.y;
        // (lines as (text, bold), left edge, width) of each column.
        type Column<'a> = (&'a [(&'a str, bool)], f32, f32);
        let columns: [Column; 2] = [
            (&left, LEFT, left_w),
            (&right, LEFT + left_w, total - left_w),
        ];
        for (lines, x0, w0) in columns {
            for (i, (text, bold)) in lines.iter().enumerate() {
                let primary = usize::from(*bold);
                let natural = text_width(self.fonts, primary, text, size);
                // A long name is set smaller to stay in its column.
                let fit = if natural > w0 {
                    size * w0 / natural
                } else {
                    size
                };
                let w = text_width(self.fonts, primary, text, fit);
                let x = x0 + (w0 - w) / 2.0;
                let y = top - (i as f32 + 1.0) * lh + fit * 0.3;
                self.ops().push(Op::Text {
                    x,
                    y,
                    size: fit,
                    bold: *bold,
                    red: false,
                    text: text.to_string(),
                });
                if *text == l.motto {
                    self.ops().push(Op::Frame {
                        x,
                        y: y - 2.0,
                        w,
                        h: 0.4,
                        fill: Some(0.0),
                        red: false,
                    });
                }
            }
        }
        self.y = top - rows as f32 * lh - 14.0;
    }

    fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    fn place(mut self, doc: &Document) -> Vec<Vec<Op>> {
        if let Some(l) = &doc.letterhead {
            self.letterhead(l);
        }
        self.paragraph(&doc.heading, 15.0, true, true, false);
        self.paragraph(&doc.title, 12.0, true, true, false);
        if let Some(s) = &doc.subtitle {
            self.paragraph(s, BODY, false, true, false);
        }
        self.gap(8.0);
        if let Some(n) = &doc.notice {
            let lines = self.wrap(n, 11.0, true, self.width() - 16.0);
            let h = lines.len() as f32 * 11.0 * 1.4 + 12.0;
            self.ensure(h);
            let top = self.y;
            self.ops().push(Op::Frame {
                x: LEFT,
                y: top - h,
                w: PAGE_W - LEFT - RIGHT,
                h,
                fill: None,
                red: true,
            });
            self.y -= 6.0;
            for line in lines {
                self.y -= 11.0 * 1.4;
                let y = self.y + 11.0 * 0.3;
                self.ops().push(Op::Text {
                    x: LEFT + 8.0,
                    y,
                    size: 11.0,
                    bold: true,
                    red: true,
                    text: line,
                });
            }
            self.y = top - h - 8.0;
        }
        for (k, v) in &doc.facts {
            self.paragraph(&format!("{k}: {v}"), BODY, false, false, false);
        }
        for s in &doc.sections {
            self.gap(8.0);
            self.ensure(60.0);
            self.paragraph(&s.title, 11.0, true, false, false);
            self.gap(2.0);
            for b in &s.blocks {
                match b {
                    Block::Paragraph(p) => self.paragraph(p, BODY, false, false, false),
                    Block::Subheading(h) => {
                        self.gap(4.0);
                        self.ensure(50.0);
                        self.paragraph(h, BODY, true, false, false);
                    }
                    Block::Table(t) => {
                        self.gap(3.0);
                        self.table(t);
                        self.gap(6.0);
                    }
                }
            }
        }
        self.pages
    }

    fn table(&mut self, t: &Table) {
        let total: f32 = t
            .columns
            .iter()
            .map(|c| f32::from(c.width))
            .sum::<f32>()
            .max(1.0);
        let widths: Vec<f32> = t
            .columns
            .iter()
            .map(|c| self.width() * f32::from(c.width) / total)
            .collect();
        let lh = SMALL * 1.3;
        let header: Vec<Vec<String>> = t
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| self.wrap(&c.header, SMALL, true, w - 2.0 * PAD))
            .collect();
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * PAD;
        let max_h = PAGE_H - TOP - BOTTOM - header_h - 4.0;
        self.ensure(header_h + lh + 2.0 * PAD);
        self.table_header(t, &widths, &header, header_h);
        for r in &t.rows {
            let mut cells: Vec<Vec<String>> = r
                .cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    let indent = f32::from(c.indent) * 6.0;
                    self.wrap(
                        &c.text,
                        SMALL,
                        r.kind == RowKind::Total,
                        (w - 2.0 * PAD - indent).max(10.0),
                    )
                })
                .collect();
            // A row taller than a page keeps what fits.
            let fit = ((max_h - 2.0 * PAD) / lh).floor().max(1.0) as usize;
            for c in &mut cells {
                if c.len() > fit {
                    c.truncate(fit);
                    if let Some(last) = c.last_mut() {
                        last.push('…');
                    }
                }
            }
            let h = cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * lh + 2.0 * PAD;
            if self.y - h < BOTTOM {
                self.new_page();
                self.table_header(t, &widths, &header, header_h);
            }
            let top = self.y;
            let mut x = LEFT;
            for (((lines, w), c), col) in cells.iter().zip(&widths).zip(&r.cells).zip(&t.columns) {
                self.ops().push(Op::Frame {
                    x,
                    y: top - h,
                    w: *w,
                    h,
                    fill: (r.kind == RowKind::Total).then_some(0.94),
                    red: false,
                });
                let bold = r.kind == RowKind::Total;
                let indent = f32::from(c.indent) * 6.0;
                for (i, line) in lines.iter().enumerate() {
                    let tw = text_width(self.fonts, usize::from(bold), line, SMALL);
                    let tx = if col.numeric {
                        x + w - PAD - tw
                    } else {
                        x + PAD + indent
                    };
                    let ty = top - PAD - (i as f32 + 1.0) * lh + SMALL * 0.28;
                    self.ops().push(Op::Text {
                        x: tx,
                        y: ty,
                        size: SMALL,
                        bold,
                        red: r.kind == RowKind::Flagged,
                        text: line.clone(),
                    });
                }
                x += w;
            }
            self.y = top - h;
        }
    }

    fn table_header(&mut self, t: &Table, widths: &[f32], header: &[Vec<String>], h: f32) {
        let top = self.y;
        let mut x = LEFT;
        for ((lines, w), _) in header.iter().zip(widths).zip(&t.columns) {
            self.ops().push(Op::Frame {
                x,
                y: top - h,
                w: *w,
                h,
                fill: Some(0.9),
                red: false,
            });
            for (i, line) in lines.iter().enumerate() {
                let tw = text_width(self.fonts, 1, line, SMALL);
                self.ops().push(Op::Text {
                    x: x + (w - tw) / 2.0,
                    y: top - PAD - (i as f32 + 1.0) * SMALL * 1.3 + SMALL * 0.28,
                    size: SMALL,
                    bold: true,
                    red: false,
                    text: line.clone(),
                });
            }
            x += w;
        }
        self.y = top - h;
    }
}

/// The glyphs one face has used so far, renumbered for its subset.
struct Used {
    remapper: GlyphRemapper,
    /// New glyph id → (old glyph id, the character it stands for).
    glyphs: HashMap<u16, (u16, char)>,
}

impl Used {
    fn new() -> Self {
        Used {
            remapper: GlyphRemapper::new(),
            glyphs: HashMap::new(),
        }
    }

    /// The bytes of a run's glyphs for a `Tj` with Identity-H encoding.
    fn encode(&mut self, glyphs: &[(u16, char)]) -> Vec<u8> {
        let mut out = Vec::new();
        for &(old, c) in glyphs {
            let new = self.remapper.remap(old);
            self.glyphs.entry(new).or_insert((old, c));
            out.extend_from_slice(&new.to_be_bytes());
        }
        out
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

fn write(fonts: &[Face; 3], doc: &Document, pages: &[Vec<Op>]) -> Result<Vec<u8>, ReportError> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let font_refs: Vec<[Ref; 5]> = (0..3)
        .map(|_| [alloc(), alloc(), alloc(), alloc(), alloc()])
        .collect();
    let names = [Name(b"F1"), Name(b"F2"), Name(b"F3")];
    let mut used = [Used::new(), Used::new(), Used::new()];
    let n = pages.len();
    let mut page_refs = Vec::new();
    for (i, ops) in pages.iter().enumerate() {
        let page = alloc();
        let content_ref = alloc();
        page_refs.push(page);
        let mut c = Content::new();
        for op in ops {
            match op {
                Op::Frame {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    red,
                } => {
                    c.save_state();
                    if let Some(g) = fill {
                        c.set_fill_gray(*g);
                        c.rect(*x, *y, *w, *h);
                        c.fill_nonzero();
                    }
                    if *red {
                        c.set_stroke_rgb(0.75, 0.11, 0.16);
                        c.set_line_width(1.2);
                    } else {
                        c.set_stroke_gray(0.45);
                        c.set_line_width(0.5);
                    }
                    c.rect(*x, *y, *w, *h);
                    c.stroke();
                    c.restore_state();
                }
                Op::Text {
                    x,
                    y,
                    size,
                    bold,
                    red,
                    text,
                } => {
                    c.begin_text();
                    if *red {
                        c.set_fill_rgb(0.63, 0.06, 0.13);
                    } else {
                        c.set_fill_gray(0.0);
                    }
                    c.next_line(*x, *y);
                    for (f, glyphs) in runs(fonts, usize::from(*bold), text) {
                        let bytes = used[f].encode(&glyphs);
                        c.set_font(names[f], *size);
                        c.show(Str(&bytes));
                    }
                    c.end_text();
                }
            }
        }
        // Page number.
        let label = format!("Trang {}/{}", i + 1, n);
        let w = text_width(fonts, 0, &label, SMALL);
        let bytes = used[0].encode(&fonts[0].glyphs(&label));
        c.begin_text();
        c.set_fill_gray(0.3);
        c.set_font(names[0], SMALL);
        c.next_line((PAGE_W - w) / 2.0, 30.0);
        c.show(Str(&bytes));
        c.end_text();
        let data = deflate(&c.finish().into_vec());
        pdf.stream(content_ref, &data).filter(Filter::FlateDecode);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        p.parent(tree);
        p.contents(content_ref);
        let mut res = p.resources();
        let mut fd = res.fonts();
        fd.pair(names[0], font_refs[0][0]);
        fd.pair(names[1], font_refs[1][0]);
        fd.pair(names[2], font_refs[2][0]);
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);
    pdf.document_info(info)
        .title(TextStr(&format!("{} {}", doc.heading, doc.title)))
        .producer(TextStr("ytcs"));

    let base = [
        &b"YTCSAA+NotoSans-Regular"[..],
        &b"YTCSAB+NotoSans-Bold"[..],
        &b"YTCSAC+NotoSansMath-Regular"[..],
    ];
    for (f, face) in fonts.iter().enumerate() {
        let [type0, cid, descriptor, file, cmap] = font_refs[f];
        let u = &used[f];
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        pdf.type0_font(type0)
            .base_font(Name(base[f]))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);
        let count = u.remapper.num_gids();
        let widths: Vec<f32> = (0..count)
            .map(|new| {
                let old = u.glyphs.get(&new).map_or(0, |(o, _)| *o);
                face.advance(old) * 1000.0
            })
            .collect();
        let mut c = pdf.cid_font(cid);
        c.subtype(CidFontType::Type2)
            .base_font(Name(base[f]))
            .system_info(system)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        c.widths().consecutive(0, widths);
        c.finish();
        let ff = &face.face;
        let scale = 1000.0 / face.units;
        let bbox = ff.global_bounding_box();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if f == 1 {
            flags |= FontFlags::FORCE_BOLD;
        }
        pdf.font_descriptor(descriptor)
            .name(Name(base[f]))
            .flags(flags)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * scale,
                f32::from(bbox.y_min) * scale,
                f32::from(bbox.x_max) * scale,
                f32::from(bbox.y_max) * scale,
            ))
            .italic_angle(ff.italic_angle())
            .ascent(f32::from(ff.ascender()) * scale)
            .descent(f32::from(ff.descender()) * scale)
            .cap_height(f32::from(ff.capital_height().unwrap_or(ff.ascender())) * scale)
            .stem_v(if f == 1 { 140.0 } else { 80.0 })
            .font_file2(file);
        let subset = subsetter::subset(face.data, 0, &u.remapper)
            .map_err(|e| ReportError::render("PDF", format!("font subset: {e:?}")))?;
        let data = deflate(&subset);
        pdf.stream(file, &data)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);
        let mut map = UnicodeCmap::new(Name(b"Custom"), system);
        let mut pairs: Vec<(&u16, &(u16, char))> = u.glyphs.iter().collect();
        pairs.sort();
        for (new, (_, ch)) in pairs {
            map.pair(*new, *ch);
        }
        let map = map.finish().into_vec();
        pdf.cmap(cmap, &map);
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fonts_cover_vietnamese_and_the_report_symbols() {
        for data in [REGULAR, BOLD] {
            let f = Face::new(data).unwrap();
            for c in "ẮẰẲẴẶắằẳẵặƯứừửữựỹỸđĐơƠ%‰–—…".chars()
            {
                assert!(f.face.glyph_index(c).is_some(), "{c}");
            }
            // Noto Sans has no ≥ and ≤ …
            assert!(f.face.glyph_index('≥').is_none());
        }
        // … which come from the symbol face, in runs.
        let fonts = [
            Face::new(REGULAR).unwrap(),
            Face::new(BOLD).unwrap(),
            Face::new(SYMBOLS).unwrap(),
        ];
        let r = runs(&fonts, 1, "≥ 95 % và ≤ 5");
        let faces: Vec<usize> = r.iter().map(|(f, _)| *f).collect();
        assert_eq!(faces, [SYMBOL_FACE, 1, SYMBOL_FACE, 1]);
        let text: String = r
            .iter()
            .flat_map(|(_, g)| g.iter().map(|(_, c)| c))
            .collect();
        assert_eq!(text, "≥ 95 % và ≤ 5");
        assert!(text_width(&fonts, 0, "≥ 95", 10.0) > text_width(&fonts, 0, "95", 10.0));
    }
}
