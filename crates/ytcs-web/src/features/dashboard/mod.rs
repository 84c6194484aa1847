//! A unit's dashboard (`/org/CODE/dashboard?at=DATE&indicator=CODE`):
//! headline indicators (latest year with data, the year before, trend and a
//! sparkline), the plan targets linked to the unit with their status counts,
//! its child units ranked on one indicator, data-entry completeness of the
//! latest month, and reminders: overdue tasks and late or missing reports
//! of plans issued by the unit or its ancestors. Every figure and list is
//! `ytcs_engine::dashboard::overview`'s; this page only writes them (`svg`'s
//! `sparkline` draws the small trends). Read-only; every figure is as of
//! the date asked (a unit that has ended: as of its last day).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use ytcs_core::org::OrgUnit;
use ytcs_core::progress::Status;
use ytcs_core::Date;
use ytcs_engine::dashboard::{Completeness, Overview, Trend};

use crate::app::figure::Shown;
use crate::app::figure::{status_color, unit_for};
use crate::app::format::{date_vi, urlencode};
use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::svg::{number, sparkline};

use crate::app::vocab::plan_labels;
use crate::app::vocab::{code_of, label_in, COMPARATORS, UNITS};
use crate::app::{parse_at, AppState};

/// At most this many reminders of each kind are listed.
const MAX_REMINDERS: usize = 10;

struct Headline {
    code: &'static str,
    name: &'static str,
    unit_label: String,
    year: i32,
    value: String,
    previous: String,
    arrow: &'static str,
    /// `better`, `worse` or `same` (by the indicator's direction).
    tone: &'static str,
    spark: String,
    href: String,
}

struct TargetView {
    plan_id: i64,
    plan: String,
    text: String,
    indicator: String,
    target: String,
    actual: String,
    status: &'static str,
    status_label: &'static str,
    color: &'static str,
}

struct ChildView {
    rank: usize,
    code: String,
    name: String,
    value: String,
    /// Behind the unit's target.
    behind: bool,
}

struct Reminder {
    plan_id: i64,
    plan: String,
    what: String,
    due: String,
    state: &'static str,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    code: String,
    name: String,
    at: String,
    at_iso: String,
    evaluated_at: Option<String>,
    headlines: Vec<Headline>,
    counts: Vec<(&'static str, &'static str, usize)>,
    targets: Vec<TargetView>,
    rank_code: String,
    rank_year: Option<i32>,
    rank_choices: Vec<(&'static str, &'static str)>,
    children: Vec<ChildView>,
    has_children: bool,
    completeness: String,
    /// The communes without data that month, by name.
    missing: Vec<String>,
    /// The indicator ranked on, by name.
    rank_name: String,
    /// The unit's target on it ("≥ 95 % (2025)"), when there is one.
    rank_target: String,
    tasks: Vec<Reminder>,
    reports: Vec<Reminder>,
    more_tasks: usize,
    more_reports: usize,
}

#[derive(Deserialize)]
pub(crate) struct DashboardQuery {
    at: Option<String>,
    indicator: Option<String>,
}

/// `GET /org/{code}/dashboard?at=DATE&indicator=CODE`.
pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let Ok(at) = parse_at(q.at.as_deref(), (st.today)()) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let h = st.store.hierarchy().await?;
    let Some((unit, eval_at)) = unit_for(&h, &code, at) else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    let o = ytcs_engine::dashboard::overview(
        st.store.as_ref(),
        &h,
        unit,
        at,
        eval_at,
        q.indicator.as_deref(),
    )
    .await?;
    Ok(render(&page_view(&page, &h, unit, at, eval_at, &o)))
}

/// The dashboard page of an overview.
fn page_view(
    page: &Page,
    h: &ytcs_core::hierarchy::Hierarchy,
    unit: &OrgUnit,
    at: Date,
    eval_at: Date,
    o: &Overview,
) -> DashboardPage {
    let lang = page.lang;
    let (dt, it) = (lang.dashboard(), lang.indicators());
    let headlines: Vec<Headline> = o
        .headlines
        .iter()
        .map(|x| {
            let ind = x.indicator;
            Headline {
                code: ind.code,
                name: ind.name_in(lang == Lang::Vi),
                unit_label: label_in(&UNITS, &code_of(&ind.unit), lang).to_string(),
                year: x.year,
                value: Shown::of(ind.code, &x.figure, lang, dt.no_data).html(),
                previous: x
                    .previous
                    .map(|p| Shown::of(ind.code, &p, lang, "").text)
                    .unwrap_or_default(),
                arrow: match x.trend {
                    Some(Trend::Up) => "↑",
                    Some(Trend::Down) => "↓",
                    Some(Trend::Level) => "→",
                    None => "",
                },
                tone: x.tone.as_str(),
                spark: sparkline(&x.series, ind.name_in(lang == Lang::Vi)),
                href: format!(
                    "/indicators/{}?org={}&at={}",
                    urlencode(ind.code),
                    urlencode(unit.code.as_str()),
                    eval_at
                ),
            }
        })
        .collect();
    let targets = target_views(&o.targets, &o.plans, lang);
    let counts = Status::ALL
        .into_iter()
        .map(|s| {
            (
                s.as_str(),
                it.status_label(s),
                targets.iter().filter(|t| t.status == s.as_str()).count(),
            )
        })
        .collect();
    let rank_code = o.ranking.indicator.clone();
    let children: Vec<ChildView> = o
        .ranking
        .rows
        .iter()
        .map(|r| ChildView {
            rank: r.rank.unwrap_or(0),
            code: r.unit.code.to_string(),
            name: r.unit.name.clone(),
            value: Shown::of(&rank_code, &r.figure, lang, dt.no_data).html(),
            behind: o.ranking.behind(r) == Some(true),
        })
        .collect();
    let (completeness, missing) = match &o.completeness {
        Completeness::NoCommunes => (String::new(), Vec::new()),
        Completeness::NoRecentMonth => (dt.completeness_none.to_string(), Vec::new()),
        Completeness::Month {
            period,
            reporting,
            communes,
            missing,
        } => (
            (dt.completeness_text)(
                &reporting.to_string(),
                &communes.to_string(),
                &ytcs_core::period_text::label(*period, lang == Lang::Vi),
            ),
            missing
                .iter()
                .filter_map(|id| h.unit(*id))
                .map(|u| u.name.clone())
                .collect(),
        ),
    };
    let labels = plan_labels(&o.plans);
    let plan = |id: i64| labels.get(&id).cloned().unwrap_or_default();
    let tasks = &o.reminders.tasks;
    let reports = &o.reminders.reports;
    DashboardPage {
        c: Chrome::new(page, "network"),
        code: unit.code.to_string(),
        name: unit.name.clone(),
        at: date_vi(at),
        at_iso: at.to_string(),
        evaluated_at: (eval_at != at).then(|| date_vi(eval_at)),
        rank_choices: headlines.iter().map(|x| (x.code, x.name)).collect(),
        headlines,
        counts,
        targets,
        rank_code,
        rank_year: o.ranking.year,
        has_children: o.has_children,
        children,
        completeness,
        missing,
        rank_name: crate::app::vocab::indicator_name(&o.ranking.indicator, lang),
        rank_target: o
            .ranking
            .target
            .as_ref()
            .map(|t| {
                let comparator = label_in(&COMPARATORS, &code_of(&t.target.comparator), lang);
                format!("{comparator} {} ({})", number(t.value), t.year)
            })
            .unwrap_or_default(),
        tasks: tasks
            .iter()
            .take(MAX_REMINDERS)
            .map(|t| Reminder {
                plan_id: t.plan_id,
                plan: plan(t.plan_id),
                what: t.title.clone(),
                due: t.due.map(date_vi).unwrap_or_default(),
                state: "",
            })
            .collect(),
        reports: reports
            .iter()
            .take(MAX_REMINDERS)
            .map(|r| Reminder {
                plan_id: r.plan_id,
                plan: plan(r.plan_id),
                what: r.what.clone(),
                due: date_vi(r.due),
                state: if r.late { dt.late } else { dt.missing },
            })
            .collect(),
        more_tasks: tasks.len().saturating_sub(MAX_REMINDERS),
        more_reports: reports.len().saturating_sub(MAX_REMINDERS),
    }
}

/// The plan targets linked to a unit, as the dashboard lists them.
fn target_views(
    rows: &[(i64, ytcs_engine::scorecard::ScoreRow)],
    plans: &[ytcs_store::plans::PlanSummary],
    lang: Lang,
) -> Vec<TargetView> {
    let (dt, it) = (lang.dashboard(), lang.indicators());
    let labels = plan_labels(plans);
    rows.iter()
        .map(|(plan_id, r)| {
            let unit_label = label_in(&UNITS, &code_of(&r.unit), lang);
            let comparator = label_in(&COMPARATORS, &code_of(&r.comparator), lang);
            let target = match (r.value, r.year) {
                (Some(v), Some(y)) => format!("{comparator} {} {unit_label} ({y})", number(v)),
                (Some(v), None) => format!("{comparator} {} {unit_label}", number(v)),
                (None, _) => comparator.to_string(),
            };
            TargetView {
                plan_id: *plan_id,
                plan: labels.get(plan_id).cloned().unwrap_or_default(),
                text: r.text.clone(),
                indicator: r
                    .indicator
                    .as_deref()
                    .map(|c| crate::app::vocab::indicator_name(c, lang))
                    .unwrap_or_default(),
                target,
                actual: match (r.actual, r.actual_year, r.indicator.as_deref()) {
                    (Some(f), Some(y), Some(code)) => format!(
                        "{} <small>({y})</small>",
                        Shown::of(code, &f, lang, dt.no_data).html()
                    ),
                    _ => String::new(),
                },
                status: r.progress.status.as_str(),
                status_label: it.status_label(r.progress.status),
                color: status_color(r.progress.status),
            }
        })
        .collect()
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![r(M::GET, "/org/{code}/dashboard", Need::Signed(Read), show)]
}
