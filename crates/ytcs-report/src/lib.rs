//! Plan implementation reports ("Báo cáo kết quả thực hiện kế hoạch"):
//! for a plan, a unit and a year, what the plan's targets, tasks,
//! reporting duties and budget achieved there, and the commune-health
//! criteria results of the unit's communes.
//!
//! Three steps: [`build_report`] reads the store into a [`PlanReport`]
//! (the pure model, no layout); [`layout::layout`] turns it into one
//! [`layout::Document`] of numbered sections, paragraphs and tables in
//! Vietnamese; the renderers write that document as XLSX
//! ([`render_xlsx`], `rust_xlsxwriter`), DOCX ([`render_docx`], a minimal
//! WordprocessingML package written with `zip`) and PDF ([`render_pdf`],
//! `pdf-writer` with Noto Sans embedded as a subset). The printable HTML
//! page is rendered by `ytcs-web` from the same document.
//!
//! A year without any data still yields a whole report that says so
//! first ([`PlanReport::no_data`]), never an empty file.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod docx;
pub mod layout;
pub mod model;
mod pdf;
pub mod statutory;
pub mod text;
mod xlsx;

pub use docx::render_docx;
pub use model::{build_report, PlanReport};
pub use pdf::render_pdf;
pub use xlsx::render_xlsx;

/// Why a report cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No plan has this id.
    #[error("there is no plan with id {0}")]
    UnknownPlan(i64),
    /// No unit carries the code during the year.
    #[error("no unit carries code '{code}' in {year}")]
    UnknownOrg {
        /// The code asked for.
        code: String,
        /// The year asked for.
        year: i32,
    },
    /// The year is outside the years reports are made for.
    #[error("year {0} is outside 2000–2100")]
    BadYear(i32),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
    /// The indicator engine failed.
    #[error(transparent)]
    Engine(#[from] ytcs_engine::EngineError),
    /// A renderer failed.
    #[error("cannot write the {format} report: {message}")]
    Render {
        /// The format.
        format: &'static str,
        /// What went wrong.
        message: String,
    },
}

impl ReportError {
    fn render(format: &'static str, e: impl std::fmt::Display) -> Self {
        ReportError::Render {
            format,
            message: e.to_string(),
        }
    }
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// A printable web page.
    Html,
    /// Word.
    Docx,
    /// Excel.
    Xlsx,
    /// PDF.
    Pdf,
}

impl Format {
    /// Every format, in menu order.
    pub const ALL: [Format; 4] = [Format::Html, Format::Docx, Format::Xlsx, Format::Pdf];

    /// Reads `html`, `docx`, `xlsx` or `pdf` (any case).
    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(s.trim()))
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }

    /// The MIME type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pdf => "application/pdf",
        }
    }
}

/// Writes a laid-out report (any report: see [`layout::Document`]) in one
/// of the binary formats (HTML is `ytcs-web`'s); `None` for
/// [`Format::Html`].
pub fn render_file(doc: &layout::Document, format: Format) -> Option<Result<Vec<u8>, ReportError>> {
    match format {
        Format::Html => None,
        Format::Docx => Some(render_docx(doc)),
        Format::Xlsx => Some(render_xlsx(doc)),
        Format::Pdf => Some(render_pdf(doc)),
    }
}
