//! Indicator pages: a plan's scorecard (targets × units, actual against
//! target, gap, projection, traffic lights, sortable), an indicator's page
//! (trend across years with the target line, bars across child units, as
//! server-side SVG) and the index of indicators with data.
//!
//! `/plans/{id}/scorecard` sorts by status, indicator or gap; an undated
//! plan whose issuer ended is read as of the issuer's last day. The
//! scorecard's hand-link form posts to [`link_target`]
//! (`ValueStore::link_target`). `/indicators/{code}?org=&at=` draws the
//! yearly trend with the plan's target line; `/targets` is the index.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use serde::Deserialize;
use ytcs_core::formula::Value;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::{by_code, Direction, Indicator, CATALOGUE};
use ytcs_core::org::{OrgCode, OrgUnit};
use ytcs_core::plan::vn::format_number;
use ytcs_core::plan::Comparator;
use ytcs_core::progress::Status;
use ytcs_core::quality::{format_difference, format_figure};
use ytcs_core::Date;
use ytcs_engine::profile::Profile;
use ytcs_engine::scorecard::{ScoreRow, YearCache};

use crate::app::figure::{status_color, unit_for, Shown};
use crate::app::format::{date_vi, urlencode};
use crate::app::i18n::{IndicatorTexts, Lang};
use crate::app::page::{error_page, render, Chrome, OrFail, Page, PageError};
use crate::app::svg::{bar_chart, line_chart, number, ChartTexts};

use crate::app::vocab::{code_of, label_in, COMPARATORS, UNITS};
use crate::app::{parse_at, AppState};

/// The unit the indicator index links to (the demo province).
const HOME_ORG: &str = "51";

/// Where a status sorts: the worst first, no data last.
fn status_rank(s: Status) -> u8 {
    match s {
        Status::Missed => 0,
        Status::OffTrack => 1,
        Status::AtRisk => 2,
        Status::OnTrack => 3,
        Status::Achieved => 4,
        Status::NoData => 5,
    }
}

/// Whether lower values are better for a target (its gap counts against it
/// when positive).
fn lower_is_better(r: &ScoreRow) -> bool {
    match r.comparator {
        Comparator::Lt | Comparator::Le | Comparator::ReduceBy => true,
        Comparator::Gt | Comparator::Ge | Comparator::IncreaseBy | Comparator::Maintain => false,
        _ => r
            .indicator
            .as_deref()
            .and_then(by_code)
            .is_some_and(|i| i.direction == Direction::Lower),
    }
}

struct ScoreView {
    target_id: String,
    text: String,
    indicator: String,
    indicator_name: String,
    org_code: String,
    org_name: String,
    year: String,
    target: String,
    actual: String,
    actual_year: String,
    gap: String,
    projection: String,
    status: &'static str,
    status_label: &'static str,
    color: &'static str,
    linked: bool,
    by_hand: bool,
    href: String,
    rank: u8,
    /// The shortfall relative to the threshold (positive = short of it).
    shortfall: Option<f64>,
}

fn score_view(r: &ScoreRow, it: &IndicatorTexts, lang: Lang, at: Date) -> ScoreView {
    let p = &r.progress;
    let unit_label = label_in(&UNITS, &code_of(&r.unit), lang);
    let comparator = label_in(&COMPARATORS, &code_of(&r.comparator), lang);
    let target = match r.value {
        Some(v) => format!("{comparator} {} {unit_label}", number(v)),
        None => comparator.to_string(),
    };
    let actual_year = r.actual_year.map(|y| y.to_string()).unwrap_or_default();
    let shortfall = match (p.gap, p.threshold) {
        (Some(g), Some(t)) => {
            let g = if lower_is_better(r) { g } else { -g };
            Some(if t.abs() > 0.0 { g / t.abs() } else { g })
        }
        _ => None,
    };
    let linked = r.org_code.is_some() && r.indicator.is_some();
    let href = match (&r.indicator, &r.org_code) {
        (Some(i), Some(o)) => format!(
            "/indicators/{}?org={}&at={}",
            urlencode(i),
            urlencode(o),
            r.at.unwrap_or(at)
        ),
        _ => String::new(),
    };
    ScoreView {
        target_id: r.target_id.clone(),
        text: r.text.clone(),
        indicator: r.indicator.clone().unwrap_or_default(),
        indicator_name: r
            .indicator
            .as_deref()
            .map(|c| crate::app::vocab::indicator_name(c, lang))
            .unwrap_or_default(),
        org_code: r.org_code.clone().unwrap_or_default(),
        org_name: r.org_name.clone().unwrap_or_default(),
        year: r.year.map(|y| y.to_string()).unwrap_or_default(),
        target,
        actual: match (r.actual, r.indicator.as_deref()) {
            (Some(f), Some(code)) => Shown::of(code, &f, lang, "").html(),
            _ => String::new(),
        },
        actual_year,
        gap: match (
            p.gap,
            r.actual.and_then(|f| f.value),
            r.indicator.as_deref(),
        ) {
            (Some(g), Some(v), Some(code)) => format_difference(code, v, g),
            _ => String::new(),
        },
        projection: match (p.projection, r.indicator.as_deref()) {
            (Some(v), Some(code)) => format_figure(code, v),
            _ => String::new(),
        },
        status: p.status.as_str(),
        status_label: it.status_label(p.status),
        color: status_color(p.status),
        linked,
        by_hand: r.link == ytcs_engine::scorecard::LinkKind::Hand,
        href,
        rank: status_rank(p.status),
        shortfall,
    }
}

#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage {
    c: Chrome,
    plan_id: i64,
    plan_label: String,
    at: String,
    at_iso: String,
    /// Units that ended before `at` (name, last day), figures up to then.
    ended: Vec<(String, String)>,
    sort: &'static str,
    rows: Vec<ScoreView>,
    counts: Vec<(&'static str, &'static str, usize)>,
    /// Indicators a target may be linked to by hand: (code, name).
    catalogue: Vec<(&'static str, &'static str)>,
    /// Whether the reader may link targets (manages this plan).
    can_link: bool,
    /// The link just saved.
    linked: bool,
    /// Why a link was refused.
    errors: Vec<&'static str>,
    /// The refused form's values (target, indicator, org, year).
    tried: LinkForm,
}

#[derive(Deserialize)]
pub(crate) struct ScorecardQuery {
    sort: Option<String>,
    at: Option<String>,
    linked: Option<String>,
}

/// The hand-link form of one target.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct LinkForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    year: String,
}

/// `GET /plans/{id}/scorecard?sort=status|indicator|gap&at=DATE`.
pub(crate) async fn scorecard(
    State(st): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<ScorecardQuery>,
) -> Response {
    scorecard_page(&st, &page, id, &q, Vec::new(), LinkForm::default())
        .await
        .into_response()
}

/// Orders a scorecard: by `indicator` (name, then unit; unlinked last),
/// by `gap` (the largest shortfall first), else by status (the worst
/// first, the largest shortfall first within one).
fn sort_rows(rows: &mut [ScoreView], sort: &str) {
    match sort {
        "indicator" => rows.sort_by(|a, b| {
            (a.indicator_name.is_empty(), &a.indicator_name, &a.org_name).cmp(&(
                b.indicator_name.is_empty(),
                &b.indicator_name,
                &b.org_name,
            ))
        }),
        "gap" => rows.sort_by(|a, b| match (a.shortfall, b.shortfall) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.rank.cmp(&b.rank),
        }),
        _ => rows.sort_by(|a, b| {
            a.rank
                .cmp(&b.rank)
                .then_with(|| match (a.shortfall, b.shortfall) {
                    (Some(x), Some(y)) => y.total_cmp(&x),
                    _ => std::cmp::Ordering::Equal,
                })
        }),
    }
}

async fn scorecard_page(
    st: &AppState,
    page: &Page,
    id: i64,
    q: &ScorecardQuery,
    errors: Vec<&'static str>,
    tried: LinkForm,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let it = lang.indicators();
    let today = (st.today)();
    let Ok(asked_at) = parse_at(q.at.as_deref(), today) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let sort = match q.sort.as_deref().map(str::trim) {
        Some("indicator") => "indicator",
        Some("gap") => "gap",
        _ => "status",
    };
    let stored = st
        .store
        .get_plan(id)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.plan_not_found)?;
    let h = st.store.hierarchy().await?;
    // Targets are judged as of the date asked (today by default); an
    // issuer that has ended is still found, on its last day, and its
    // figures stop there (`engine::scorecard`).
    let explicit = q.at.as_deref().is_some_and(|a| !a.trim().is_empty());
    let at = if explicit { asked_at } else { today };
    let rows = ytcs_engine::scorecard::scorecard(st.store.as_ref(), &h, id, at)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.plan_not_found)?;
    // Units that ended before `at`: their figures stop on their last day.
    let mut ended: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| Some((r.org_name.clone()?, r.at.filter(|d| *d < at)?)))
        .map(|(n, d)| (n, date_vi(d)))
        .collect();
    ended.sort();
    ended.dedup();
    let mut rows: Vec<ScoreView> = rows.iter().map(|r| score_view(r, it, lang, at)).collect();
    sort_rows(&mut rows, sort);
    let counts = Status::ALL
        .into_iter()
        .map(|s| {
            (
                s.as_str(),
                it.status_label(s),
                rows.iter().filter(|r| r.status == s.as_str()).count(),
            )
        })
        .collect();
    let plan_label = crate::app::vocab::plan_label(&stored.summary);
    let can_link = page.user.as_ref().is_some_and(|c| {
        c.account
            .role
            .permits(ytcs_core::access::Action::ManagePlans)
    });
    let catalogue = CATALOGUE
        .iter()
        .filter(|i| ytcs_engine::knows(i.code))
        .map(|i| (i.code, i.name_in(lang == Lang::Vi)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&ScorecardPage {
        c: Chrome::new(page, "targets"),
        plan_id: id,
        plan_label,
        at: date_vi(at),
        at_iso: at.to_string(),
        ended,
        sort,
        rows,
        counts,
        catalogue,
        can_link,
        linked: q.linked.is_some(),
        errors,
        tried,
    });
    *r.status_mut() = status;
    Ok(r)
}

/// `POST /plans/{id}/targets/link`: links a target the reader did not link
/// to an indicator of the catalogue, a unit and a due year (replacing an
/// earlier hand link); refused whole, in Vietnamese, when any is unknown.
pub(crate) async fn link_target(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(id): Path<i64>,
    axum::Form(f): axum::Form<LinkForm>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let stored = st
        .store
        .get_plan(id)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.plan_not_found)?;
    crate::app::auth::require_plan(
        &st,
        &me,
        ytcs_core::access::Action::ManagePlans,
        &stored.plan,
        &page,
    )
    .await?;
    let h = st.store.hierarchy().await?;
    let link = match read_link(&stored.plan, &h, id, &f, lang) {
        Ok(link) => link,
        Err(errors) => {
            let q = ScorecardQuery {
                sort: None,
                at: None,
                linked: None,
            };
            return scorecard_page(&st, &page, id, &q, errors, f).await;
        }
    };
    let before = st
        .store
        .target_links(id)
        .await?
        .into_iter()
        .find(|l| l.target_id == link.target_id);
    st.store.link_target(&link).await?;
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Update,
        ytcs_core::audit::ObjectKind::Plan,
        &id.to_string(),
    )
    .unit(&link.org_code)
    .before(serde_json::to_value(before).unwrap_or_default())
    .after(serde_json::to_value(&link).unwrap_or_default())
    .detail(format!("target {} linked by hand", link.target_id))
    .record(&st)
    .await;
    Ok(axum::response::Redirect::to(&format!(
        "/plans/{id}/scorecard?linked={}",
        urlencode(&link.target_id)
    ))
    .into_response())
}

/// The hand link a form asks for, or every reason it is refused: a target
/// of the plan, an indicator the engine computes, a unit code the
/// hierarchy has ever had, a due year in 2000–2100.
fn read_link(
    plan: &ytcs_core::plan::Plan,
    h: &Hierarchy,
    plan_id: i64,
    f: &LinkForm,
    lang: Lang,
) -> Result<ytcs_store::values::TargetLink, Vec<&'static str>> {
    let it = lang.indicators();
    let mut errors = Vec::new();
    let target = f.target.trim();
    if !plan.targets.iter().any(|t| t.id == target) {
        errors.push(it.link_unknown_target);
    }
    let indicator = by_code(f.indicator.trim()).filter(|i| ytcs_engine::knows(i.code));
    if indicator.is_none() {
        errors.push(it.link_unknown_indicator);
    }
    let org = OrgCode::parse(f.org.trim())
        .ok()
        .filter(|c| !h.units_with_code(c).is_empty());
    if org.is_none() {
        errors.push(it.link_unknown_unit);
    }
    let year = f
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        errors.push(it.link_bad_year);
    }
    match (indicator, org, year, errors.is_empty()) {
        (Some(indicator), Some(org), Some(year), true) => Ok(ytcs_store::values::TargetLink {
            plan_id,
            target_id: target.to_string(),
            indicator: indicator.code.to_string(),
            org_code: org.to_string(),
            year,
        }),
        _ => Err(errors),
    }
}

struct ChildRow {
    code: String,
    name: String,
    value: String,
    href: String,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    c: Chrome,
    code: String,
    name: String,
    unit_label: String,
    org_code: String,
    org_name: String,
    at: String,
    at_iso: String,
    evaluated_at: String,
    trend_svg: String,
    trend: Vec<(i32, String)>,
    target: String,
    target_actual: String,
    target_status: String,
    target_plan: Option<i64>,
    latest_year: Option<i32>,
    /// Communes (code, name) whose data are missing from the latest figure.
    missing: Vec<(String, String)>,
    bars_svg: String,
    children: Vec<ChildRow>,
}

#[derive(Deserialize)]
pub(crate) struct IndicatorQuery {
    org: Option<String>,
    at: Option<String>,
}

/// `GET /indicators/{code}?org=CODE&at=DATE`.
pub(crate) async fn indicator(
    State(st): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Query(q): Query<IndicatorQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let _it = lang.indicators();
    let Ok(at) = parse_at(q.at.as_deref(), (st.today)()) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let Some(ind) = by_code(&code).filter(|i| ytcs_engine::knows(i.code)) else {
        return Ok(error_page(&page, StatusCode::NOT_FOUND, |_| {
            lang.indicators().indicator_not_found
        }));
    };
    let h = st.store.hierarchy().await?;
    let org = q
        .org
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(HOME_ORG);
    let Some((unit, eval_at)) = unit_for(&h, org, at) else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    let p =
        ytcs_engine::profile::profile(st.store.as_ref(), &h, ind.code, unit, eval_at, at).await?;
    Ok(render(&indicator_view(&page, ind, unit, at, eval_at, &p)))
}

/// The indicator page of a profile.
fn indicator_view(
    page: &Page,
    ind: &Indicator,
    unit: &OrgUnit,
    at: Date,
    eval_at: Date,
    p: &Profile,
) -> IndicatorPage {
    let lang = page.lang;
    let it = lang.indicators();
    let shown = |v: &Value| Shown::of(ind.code, v, lang, it.no_data).html();
    let mut target_actual = String::new();
    if let Some(a) = &p.actual {
        if let (Some(f), Some(y)) = (a.figure, a.year) {
            target_actual = format!("{} <small>({y})</small>", shown(&f));
        }
    }
    let trend: Vec<(i32, Option<f64>)> = p.years.iter().map(|(y, v)| (*y, v.value)).collect();
    let target_line = p.target.as_ref().map(|t| t.value);
    let chart_texts = ChartTexts {
        title: ind.name_in(lang == Lang::Vi),
        target: it.target_line,
        no_data: it.no_data,
    };
    // Unreliable figures are listed, never drawn among the ranked.
    let bars: Vec<(String, Option<f64>)> = p
        .children
        .iter()
        .map(|r| {
            (
                r.unit.name.clone(),
                r.figure.value.filter(|_| r.figure.reliable()),
            )
        })
        .collect();
    IndicatorPage {
        c: Chrome::new(page, "targets"),
        code: ind.code.to_string(),
        name: ind.name_in(lang == Lang::Vi).to_string(),
        unit_label: label_in(&UNITS, &code_of(&ind.unit), lang).to_string(),
        org_code: unit.code.to_string(),
        org_name: unit.name.clone(),
        at: date_vi(at),
        at_iso: at.to_string(),
        evaluated_at: date_vi(eval_at),
        trend_svg: line_chart(&trend, target_line, &chart_texts),
        trend: p.years.iter().map(|(y, v)| (*y, shown(v))).collect(),
        target_actual,
        target_status: p
            .actual
            .as_ref()
            .map(|a| it.status_label(a.progress.status).to_string())
            .unwrap_or_default(),
        target: p
            .target
            .as_ref()
            .map(|t| {
                let v = t.value;
                format!(
                    "{} ({})",
                    format_number(v, if v.fract() == 0.0 { 0 } else { 1 }),
                    t.year
                )
            })
            .unwrap_or_default(),
        target_plan: p.target.as_ref().map(|t| t.plan_id),
        latest_year: p.latest_year,
        missing: p
            .missing
            .iter()
            .map(|u| (u.code.to_string(), u.name.clone()))
            .collect(),
        bars_svg: if bars.is_empty() {
            String::new()
        } else {
            bar_chart(&bars, target_line, &chart_texts)
        },
        children: p
            .children
            .iter()
            .map(|r| ChildRow {
                code: r.unit.code.to_string(),
                name: r.unit.name.clone(),
                value: shown(&r.figure),
                href: format!(
                    "/indicators/{}?org={}&at={}",
                    urlencode(ind.code),
                    urlencode(&r.unit.code.to_string()),
                    eval_at
                ),
            })
            .collect(),
    }
}

struct IndexRow {
    code: String,
    name: String,
    unit_label: String,
    value: String,
    year: String,
    href: String,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct IndexPage {
    c: Chrome,
    org_code: String,
    org_name: String,
    rows: Vec<IndexRow>,
}

/// `GET /targets`: the catalogue's indicators that have data for the home
/// province, with their latest value, linking to their pages.
pub(crate) async fn index(State(st): State<AppState>, page: Page) -> Result<Response, PageError> {
    let lang = page.lang;
    let at = (st.today)();
    let h = st.store.hierarchy().await?;
    let Some((unit, eval_at)) = unit_for(&h, HOME_ORG, at) else {
        return Ok(render(&IndexPage {
            c: Chrome::new(&page, "targets"),
            org_code: HOME_ORG.into(),
            org_name: String::new(),
            rows: Vec::new(),
        }));
    };
    let mut years = YearCache::default();
    let store = st.store.as_ref();
    let mut rows = Vec::new();
    let last = eval_at.year();
    for ind in CATALOGUE.iter().filter(|i| ytcs_engine::knows(i.code)) {
        let mut found = None;
        for y in (last - 2..=last).rev() {
            match years
                .figures_or_none(store, &h, ind.code, y, eval_at, &[unit.id])
                .await
            {
                Ok(v) => {
                    if let Some(v) = v.first().copied().filter(|v| v.value.is_some()) {
                        found = Some((y, v));
                        break;
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        let Some((y, v)) = found else { continue };
        rows.push(IndexRow {
            code: ind.code.to_string(),
            name: ind.name_in(lang == Lang::Vi).to_string(),
            unit_label: label_in(&UNITS, &code_of(&ind.unit), lang).to_string(),
            value: Shown::of(ind.code, &v, lang, "").html(),
            year: y.to_string(),
            href: format!(
                "/indicators/{}?org={}",
                urlencode(ind.code),
                urlencode(&unit.code.to_string())
            ),
        });
    }
    Ok(render(&IndexPage {
        c: Chrome::new(&page, "targets"),
        org_code: unit.code.to_string(),
        org_name: unit.name.clone(),
        rows,
    }))
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/targets", Need::Signed(Read), index),
        r(M::GET, "/indicators/{code}", Need::Signed(Read), indicator),
        r(
            M::GET,
            "/plans/{id}/scorecard",
            Need::Signed(Read),
            scorecard,
        ),
        r(
            M::POST,
            "/plans/{id}/targets/link",
            Need::Signed(ManagePlans),
            link_target,
        ),
    ]
}
