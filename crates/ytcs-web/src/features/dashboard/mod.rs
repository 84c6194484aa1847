//! A unit's dashboard (`/org/CODE/dashboard?at=DATE&indicator=CODE`):
//! headline indicators (latest year with data, the year before, trend and a
//! sparkline), the plan targets linked to the unit with their status counts
//! (`ytcs_engine::scorecard::unit_targets`), its child units ranked on one
//! indicator, data-entry completeness of the latest month, and reminders:
//! overdue tasks and late or missing reports of plans issued by the unit or
//! its ancestors (`ytcs_core::tracking`). Read-only; every figure is as of
//! the date asked (a unit that has ended: as of its last day). The
//! headlines share one `rollup::Rollup` across years and codes; `svg`'s
//! `sparkline` draws their small trends.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;
use ytcs_core::aggregate::standard_data_sets;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::by_code;
use ytcs_core::org::{OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_core::progress::Status;
use ytcs_core::tracking::{Due, ReportState};
use ytcs_core::Date;
use ytcs_engine::dashboard::Trend;
use ytcs_engine::scorecard::resolve_issuer;

use crate::app::figure::Shown;
use crate::app::figure::{status_color, unit_for};
use crate::app::format::{date_vi, urlencode};
use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::svg::{number, sparkline};
use crate::app::vocab::label;
use crate::app::vocab::plan_label;
use crate::app::vocab::{code_of, COMPARATORS, UNITS};
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
    let lang = page.lang;
    let dt = lang.dashboard();
    let it = lang.indicators();
    let Ok(at) = parse_at(q.at.as_deref(), (st.today)()) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let h = st.store.hierarchy().await?;
    let Some((unit, eval_at)) = unit_for(&h, &code, at) else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    let store = st.store.as_ref();
    let last = eval_at.year();
    let mut years = ytcs_engine::scorecard::YearCache::default();
    let found = ytcs_engine::dashboard::headlines(store, &h, &mut years, unit.id, eval_at).await?;
    let headlines: Vec<Headline> = found
        .iter()
        .map(|x| {
            let ind = x.indicator;
            Headline {
                code: ind.code,
                name: ind.name,
                unit_label: label(&UNITS, &code_of(&ind.unit)).to_string(),
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
                spark: sparkline(&x.series, ind.name),
                href: format!(
                    "/indicators/{}?org={}&at={}",
                    urlencode(ind.code),
                    urlencode(unit.code.as_str()),
                    eval_at
                ),
            }
        })
        .collect();

    // Plan targets linked to the unit.
    let rows = ytcs_engine::scorecard::unit_targets(store, &h, unit.code.as_str(), at).await?;
    let plans = store.list_plans().await?;
    let targets = target_views(&rows, &plans, lang);
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

    // Child units ranked on one indicator.
    let rank_choices: Vec<(&'static str, &'static str)> =
        headlines.iter().map(|x| (x.code, x.name)).collect();
    let rank_code = q
        .indicator
        .as_deref()
        .map(str::trim)
        .and_then(by_code)
        .filter(|i| ytcs_engine::knows(i.code))
        .map(|i| i.code)
        .or_else(|| headlines.first().map(|x| x.code))
        .unwrap_or_default()
        .to_string();
    let rank_year = headlines
        .iter()
        .find(|x| x.code == rank_code)
        .map(|x| x.year)
        .or_else(|| (!rank_code.is_empty()).then_some(last));
    let ranked = match rank_year {
        Some(y) => {
            ytcs_engine::dashboard::ranked_children(
                store, &h, &mut years, unit.id, &rank_code, y, eval_at,
            )
            .await?
        }
        None => vec![],
    };
    let has_children = !ranked.is_empty()
        || h.children(unit.id, eval_at)
            .iter()
            .any(|u| u.kind != ytcs_core::org::OrgKind::Agency);
    let children: Vec<ChildView> = ranked
        .iter()
        .map(|r| ChildView {
            rank: r.rank.unwrap_or(0),
            code: r.unit.code.to_string(),
            name: r.unit.name.clone(),
            value: Shown::of(&rank_code, &r.figure, lang, dt.no_data).html(),
        })
        .collect();
    let completeness = completeness(&st, &h, unit, eval_at, lang).await?;
    let (tasks, reports) = reminders(&st, &h, unit, eval_at, &plans).await?;
    let more_tasks = tasks.len().saturating_sub(MAX_REMINDERS);
    let more_reports = reports.len().saturating_sub(MAX_REMINDERS);
    let reports = reports
        .into_iter()
        .take(MAX_REMINDERS)
        .map(|(r, late)| Reminder {
            state: if late { dt.late } else { dt.missing },
            ..r
        })
        .collect();
    Ok(render(&DashboardPage {
        c: Chrome::new(&page, "network"),
        code: unit.code.to_string(),
        name: unit.name.clone(),
        at: date_vi(at),
        at_iso: at.to_string(),
        evaluated_at: (eval_at != at).then(|| date_vi(eval_at)),
        headlines,
        counts,
        targets,
        rank_code,
        rank_year,
        rank_choices,
        has_children,
        children,
        completeness,
        tasks: tasks.into_iter().take(MAX_REMINDERS).collect(),
        reports,
        more_tasks,
        more_reports,
    }))
}

/// The plan targets linked to a unit, as the dashboard lists them.
fn target_views(
    rows: &[(i64, ytcs_engine::scorecard::ScoreRow)],
    plans: &[ytcs_store::plans::PlanSummary],
    lang: Lang,
) -> Vec<TargetView> {
    let (dt, it) = (lang.dashboard(), lang.indicators());
    let labels: HashMap<i64, String> = plans.iter().map(|p| (p.id, plan_label(p))).collect();
    rows.iter()
        .map(|(plan_id, r)| {
            let unit_label = label(&UNITS, &code_of(&r.unit));
            let comparator = label(&COMPARATORS, &code_of(&r.comparator));
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
                    .indicator_name
                    .clone()
                    .or_else(|| r.indicator.clone())
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

/// "n/N communes have values …" for the latest month (up to twelve back
/// from `at`) in which any commune under the unit has a value of the
/// commune monthly data set.
async fn completeness(
    st: &AppState,
    h: &Hierarchy,
    unit: &OrgUnit,
    at: Date,
    lang: Lang,
) -> Result<String, ytcs_store::StoreError> {
    let dt = lang.dashboard();
    let communes = h.communes_under(unit.id, at);
    if communes.is_empty() {
        return Ok(String::new());
    }
    let ids: HashSet<UnitId> = communes.iter().map(|u| u.id).collect();
    let monthly: HashSet<String> = standard_data_sets()
        .into_iter()
        .find(|s| s.code == "commune_monthly")
        .map(|s| s.elements.into_iter().collect())
        .unwrap_or_default();
    let monthly_codes: Vec<&str> = monthly.iter().map(String::as_str).collect();
    let mut month = Period::containing(at, ytcs_core::period::PeriodType::Month);
    for _ in 0..12 {
        let values = st.store.period_values_of(month, &monthly_codes).await?;
        let reporting: HashSet<UnitId> = values
            .iter()
            .filter(|v| ids.contains(&v.unit) && monthly.contains(&v.element))
            .map(|v| v.unit)
            .collect();
        if !reporting.is_empty() {
            return Ok((dt.completeness_text)(
                &reporting.len().to_string(),
                &communes.len().to_string(),
                &month.to_string(),
            ));
        }
        month = match month {
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
            p => p,
        };
    }
    Ok(dt.completeness_none.to_string())
}

type Reminders = (Vec<Reminder>, Vec<(Reminder, bool)>);

/// Overdue tasks and late or missing reports (as of `at`) of the plans
/// issued by the unit or one of its ancestors.
async fn reminders(
    st: &AppState,
    h: &Hierarchy,
    unit: &OrgUnit,
    at: Date,
    plans: &[ytcs_store::plans::PlanSummary],
) -> Result<Reminders, ytcs_store::StoreError> {
    let mut chain: HashSet<String> = HashSet::new();
    chain.insert(unit.code.to_string());
    for a in h.ancestors(unit.id, at) {
        chain.insert(a.code.to_string());
    }
    let mut tasks = Vec::new();
    let mut reports = Vec::new();
    for summary in plans {
        let Some(stored) = st.store.get_plan(summary.id).await? else {
            continue;
        };
        let plan = &stored.plan;
        let issued_on = plan
            .date
            .unwrap_or_else(|| ytcs_engine::scorecard::default_at(h, plan, at));
        let Some(issuer) = plan
            .issuer
            .as_deref()
            .and_then(|i| resolve_issuer(h, i, issued_on))
        else {
            continue;
        };
        // The unit's chain on the day the plan was issued counts too (a
        // district's plan for its communes before the reform).
        let issued_here = chain.contains(issuer.code.as_str())
            || (unit.validity.contains(issued_on)
                && h.ancestors(unit.id, issued_on)
                    .iter()
                    .any(|a| a.id == issuer.id));
        if !issued_here {
            continue;
        }
        let label = plan_label(summary);
        let updates = st.store.task_updates(summary.id).await?;
        let subs = st.store.report_submissions(summary.id).await?;
        let (task_standings, report_standings) =
            ytcs_engine::tracking::standings(plan, &updates, &subs, at, at);
        for ts in task_standings {
            if matches!(ts.due, Due::Ongoing) || !ts.standing.overdue {
                continue;
            }
            tasks.push((
                ts.standing.due,
                Reminder {
                    plan_id: summary.id,
                    plan: label.clone(),
                    what: plan.tasks[ts.index].title.clone(),
                    due: ts.standing.due.map(date_vi).unwrap_or_default(),
                    state: "",
                },
            ));
        }
        for rs in report_standings {
            if !matches!(rs.state, ReportState::Late | ReportState::Missing) {
                continue;
            }
            let what = &plan.reporting[rs.duty].what;
            let what = if rs.unit.is_empty() {
                what.clone()
            } else {
                format!("{what} — {}", rs.unit)
            };
            reports.push((
                rs.due,
                Reminder {
                    plan_id: summary.id,
                    plan: label.clone(),
                    what,
                    due: date_vi(rs.due),
                    state: "",
                },
                rs.state == ReportState::Late,
            ));
        }
    }
    // The most overdue first.
    tasks.sort_by_key(|(d, _)| *d);
    reports.sort_by_key(|(d, _, _)| *d);
    Ok((
        tasks.into_iter().map(|(_, r)| r).collect(),
        reports.into_iter().map(|(_, r, l)| (r, l)).collect(),
    ))
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![r(M::GET, "/org/{code}/dashboard", Need::Signed(Read), show)]
}
