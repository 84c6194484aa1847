//! The plan report on the web: `GET /plans/{id}/report?org=&year=&format=`
//! answers the printable page inside the site (html, the default) or the
//! file as an attachment (docx, xlsx, pdf). The report is built by
//! `ytcs-report`; this module only reads the query, picks the defaults
//! (the plan issuer's unit, the current year) and translates refusals.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;
use ytcs_core::Date;
use ytcs_report::layout::{layout, Block, Document, RowKind};
use ytcs_report::{build_report, Format, ReportError};

use crate::app::page::{error_page, render, server_error, Chrome, Page, PageError};

mod forms;
use crate::app::AppState;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    plan_id: i64,
    doc: Document,
    org: String,
    year: i32,
}

/// The report as a page of its own, for printing or saving
/// (`ytcs report plan … --format html`): no navigation, styles inline.
#[derive(Template)]
#[template(path = "report_print.html")]
struct PrintPage {
    doc: Document,
}

/// The report as a stand-alone printable HTML document.
pub fn report_html(doc: &Document) -> Result<String, askama::Error> {
    PrintPage { doc: doc.clone() }.render()
}

#[derive(Deserialize)]
pub(crate) struct ReportQuery {
    org: Option<String>,
    year: Option<String>,
    format: Option<String>,
}

/// `GET /plans/{id}/report?org=CODE&year=YYYY&format=html|docx|xlsx|pdf`.
pub(crate) async fn report(
    State(st): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let rt = lang.report();
    let today = (st.today)();
    let format = match q.format.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Format::Html,
        Some(f) => match Format::parse(f) {
            Some(f) => f,
            None => {
                return Ok(error_page(&page, StatusCode::BAD_REQUEST, |_| {
                    rt.bad_format
                }))
            }
        },
    };
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // The plan's year: this one while it runs, its last once ended.
        None => match st.store.get_plan(id).await? {
            Some(p) => p.plan.report_year(today),
            None => today.year(),
        },
        Some(y) => match y.parse::<i32>() {
            Ok(y) if (ytcs_report::model::MIN_YEAR..=ytcs_report::model::MAX_YEAR).contains(&y) => {
                y
            }
            _ => return Ok(error_page(&page, StatusCode::BAD_REQUEST, |_| rt.bad_year)),
        },
    };
    let org = match q.org.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(o) => o.chars().take(20).collect::<String>(),
        None => match issuer_code(&st, id, today).await? {
            Some(code) => code,
            None => {
                return Ok(error_page(&page, StatusCode::BAD_REQUEST, |_| {
                    rt.no_default_org
                }))
            }
        },
    };
    let report = match build_report(st.store.as_ref(), id, &org, year, today).await {
        Ok(r) => r,
        Err(e) => return Ok(refusal(&page, e)),
    };
    let doc = layout(&report);
    let bytes = match format {
        Format::Html => {
            return Ok(render(&ReportPage {
                c: Chrome::new(&page, "plans"),
                plan_id: id,
                org: report.org.code.clone(),
                year,
                doc,
            }))
        }
        f => match ytcs_report::render_file(&doc, f) {
            Some(Ok(b)) => b,
            Some(Err(e)) => return Ok(refusal(&page, e)),
            None => Vec::new(),
        },
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}.{}\"",
                    doc.file_stem,
                    format.extension()
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The code of the unit that issued the plan, as the scorecard resolves it
/// (`None` when the plan names no issuer that is a unit, or is missing:
/// the report then answers why).
async fn issuer_code(
    st: &AppState,
    id: i64,
    today: Date,
) -> Result<Option<String>, ytcs_store::StoreError> {
    let Some(stored) = st.store.get_plan(id).await? else {
        return Ok(Some(String::new()));
    };
    let h = st.store.hierarchy().await?;
    let at = stored
        .plan
        .date
        .unwrap_or_else(|| ytcs_engine::scorecard::default_at(&h, &stored.plan, today));
    Ok(stored
        .plan
        .issuer
        .as_deref()
        .and_then(|i| ytcs_engine::scorecard::resolve_issuer(&h, i, at))
        .map(|u| u.code.to_string()))
}

fn refusal(page: &Page, e: ReportError) -> Response {
    let lang = page.lang;
    let rt = lang.report();
    match e {
        ReportError::UnknownPlan(_) => {
            error_page(page, StatusCode::NOT_FOUND, |t| t.plan_not_found)
        }
        ReportError::UnknownOrg { .. } => {
            error_page(page, StatusCode::NOT_FOUND, |_| rt.unknown_org)
        }
        ReportError::BadYear(_) => error_page(page, StatusCode::BAD_REQUEST, |_| rt.bad_year),
        ReportError::Store(e) => server_error(page, e),
        e => {
            tracing::error!(error = %e, "report failed");
            error_page(page, StatusCode::INTERNAL_SERVER_ERROR, |t| t.server_error)
        }
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    c: Chrome,
    /// (plan id, label, the default year's words, the default year).
    plans: Vec<(i64, String, String, i32)>,
    /// The statutory forms in force: (link, name, circular · level · period).
    forms: Vec<(String, String, String)>,
}

/// `GET /reports`: the reports that exist — the statutory forms in force,
/// every plan's implementation report (for its default unit and year) and
/// the communes' data reports.
pub(crate) async fn index(State(st): State<AppState>, page: Page) -> Result<Response, PageError> {
    let today = (st.today)();
    let rt = page.lang.report();
    let mut plans = Vec::new();
    for s in st.store.list_plans().await? {
        let year = match st.store.get_plan(s.id).await? {
            Some(p) => p.plan.report_year(today),
            None => continue,
        };
        plans.push((
            s.id,
            crate::app::vocab::plan_label(&s),
            (rt.area_year)(&year.to_string()),
            year,
        ));
    }
    Ok(render(&ReportsPage {
        forms: forms::in_force(&st, page.lang),
        c: Chrome::new(&page, "reports"),
        plans,
    }))
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/reports", Need::Signed(Read), index),
        r(M::GET, "/plans/{id}/report", Need::Signed(Read), report),
        r(
            M::GET,
            "/reports/calendar",
            Need::Signed(Read),
            forms::calendar,
        ),
        r(
            M::GET,
            "/reports/forms/{key}/cell",
            Need::Signed(ReadPersonal),
            forms::cell,
        ),
        r(
            M::GET,
            "/reports/forms/{key}",
            Need::Signed(Read),
            forms::show,
        ),
        r(
            M::POST,
            "/reports/forms/{key}/send",
            Need::Signed(EnterData),
            forms::send,
        ),
    ]
}
