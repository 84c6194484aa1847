//! The report model: what a plan achieved at one unit in one year, built
//! from the store and nothing else. Renderers only lay it out.
//!
//! [`build_report`] reads: targets with the year's actual at the unit
//! through the engine (`scorecard::target_actual` with a `YearCache`, and
//! `progress_of`); tasks as of 31 December or today; the reporting
//! calendar's instances of the year (`ytcs_core::tracking::duty_due` from
//! `plan_start`); budget execution (`ytcs_engine::budget::execution`); and
//! the assessments of the unit's communes.
//!
//! *A report without data says so.* A year with no actual value, task
//! update, report handed in, budget entry or assessment still gives a
//! whole report, "Chưa có số liệu thực hiện của năm YYYY cho kế hoạch này
//! tại …" first in every format, never an empty file. Registry figures
//! (stations with a doctor, villages with a health worker …) answer for
//! any year from dated records, so they count as actuals.

use std::collections::HashMap;

use serde::Serialize;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::by_code;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit};
use ytcs_core::plan::{Comparator, Plan, Unit};
use ytcs_core::progress::{Progress, Status};
use ytcs_core::tracking::{
    due_of, duty_due, occurrences, plan_start, report_state, standing, Due, ReportState, TaskStatus,
};
use ytcs_core::Date;
use ytcs_engine::scorecard::{target_actual, YearCache};
use ytcs_store::Store;

use crate::text::{date_vi, org_label};
use crate::ReportError;

/// The earliest year a report can be asked for.
pub const MIN_YEAR: i32 = 2000;
/// The latest year a report can be asked for.
pub const MAX_YEAR: i32 = 2100;

/// The implementation report of one plan, at one unit, for one year.
#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    /// The plan reported on.
    pub plan: PlanRef,
    /// `BÁO CÁO`.
    pub heading: String,
    /// `Kết quả thực hiện Kế hoạch số … ngày … của …`.
    pub title: String,
    /// The plan's own title (its "V/v" line), if it has one.
    pub subtitle: Option<String>,
    /// The unit reported on.
    pub org: OrgRef,
    /// The year reported on.
    pub year: i32,
    /// The day statuses are read on: 31 December of the year, or the
    /// generation day when that is earlier.
    pub as_of: Date,
    /// The day the report was made.
    pub generated_on: Date,
    /// Set when the year has no data at all (no actual value, task update,
    /// report handed in, budget entry or assessment): the sentence that
    /// says so, shown first in every format.
    pub no_data: Option<String>,
    /// I. Targets.
    pub targets: Vec<TargetResult>,
    /// II. Tasks, in the plan's numbered order.
    pub tasks: Vec<TaskResult>,
    /// II. Reporting duties and their reports due in the year.
    pub reporting: Vec<DutyResult>,
    /// III. Budget execution.
    pub budget: BudgetResult,
    /// IV. Commune-health criteria of the communes in the unit.
    pub criteria: CriteriaResult,
}

/// The plan's identity.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRef {
    /// Stored id.
    pub id: i64,
    /// Its number (`193/KH-UBND`).
    pub number: Option<String>,
    /// Its date of issue.
    pub date: Option<Date>,
    /// The issuing body.
    pub issuer: Option<String>,
}

/// The unit reported on.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRef {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The province it lies in (itself for a province), by name: the
    /// place a report is dated at.
    pub province: Option<String>,
}

/// One target of the plan and how the unit stands against it in the year.
#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    /// Target id in the plan.
    pub id: String,
    /// What is measured, as written.
    pub subject: String,
    /// Indicator code, when the target has one the engine computes.
    pub indicator: Option<String>,
    /// Indicator name (Vietnamese).
    pub indicator_name: Option<String>,
    /// Comparator.
    pub comparator: Comparator,
    /// Target value.
    pub value: Option<f64>,
    /// Unit of the value.
    pub unit: Unit,
    /// Unit words as written.
    pub unit_text: Option<String>,
    /// The year it is due.
    pub due_year: Option<i32>,
    /// The target's actual ([`ytcs_engine::scorecard::target_actual`]).
    pub actual: Option<f64>,
    /// The year of the actual.
    pub actual_year: Option<i32>,
    /// Why the actual is not reliable, in Vietnamese (`None`: it is).
    pub note: Option<String>,
    /// The actual's 95 % interval, where a standard method exists.
    pub ci95: Option<(f64, f64)>,
    /// Actual − threshold.
    pub gap: Option<f64>,
    /// Where it stands.
    pub status: Status,
}

/// One task of the plan as it stood on the report's day.
#[derive(Debug, Clone, Serialize)]
pub struct TaskResult {
    /// Path in the numbering (`III.2.2.a`).
    pub id: String,
    /// Nesting depth (0 for top-level items), for indentation.
    pub depth: usize,
    /// Its title.
    pub title: String,
    /// Lead units.
    pub lead: Vec<String>,
    /// The timeframe as written.
    pub timeframe: String,
    /// A one-off deadline, if it has one.
    pub deadline: Option<Date>,
    /// The last status reported on or before the report's day.
    pub status: TaskStatus,
    /// Its progress in percent.
    pub progress: Option<u8>,
    /// Its note.
    pub note: String,
    /// The day of that update.
    pub updated_on: Option<Date>,
    /// Past a one-off deadline and not done on the report's day.
    pub overdue: bool,
}

/// A reporting duty and its reports due in the year.
#[derive(Debug, Clone, Serialize)]
pub struct DutyResult {
    /// What is reported.
    pub what: String,
    /// Who reports.
    pub by: Vec<String>,
    /// To whom.
    pub to: Vec<String>,
    /// Each report due in the year.
    pub instances: Vec<ReportInstance>,
}

/// One report due.
#[derive(Debug, Clone, Serialize)]
pub struct ReportInstance {
    /// Its deadline.
    pub due: Date,
    /// The unit that owes it ("" when the plan names none).
    pub unit: String,
    /// Its state on the report's day.
    pub state: ReportState,
    /// When it was handed in.
    pub submitted_on: Option<Date>,
}

/// Budget execution, cumulative to the end of the year.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetResult {
    /// Each planned line.
    pub lines: Vec<BudgetLineResult>,
    /// The plan's total (top-level lines).
    pub planned_total: i64,
    /// Committed, all lines.
    pub committed_total: i64,
    /// Disbursed, all lines.
    pub disbursed_total: i64,
    /// Disbursed / planned total, in percent.
    pub rate_total: Option<f64>,
}

/// One budget line.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetLineResult {
    /// Line id in the plan.
    pub id: String,
    /// What the money is for.
    pub purpose: String,
    /// Funding sources.
    pub sources: Vec<String>,
    /// Part of another line's total.
    pub is_part: bool,
    /// Planned amount (đồng).
    pub planned: i64,
    /// Committed (đồng).
    pub committed: i64,
    /// Disbursed (đồng).
    pub disbursed: i64,
    /// Disbursed / planned, in percent.
    pub rate: Option<f64>,
    /// Disbursed beyond the plan.
    pub overrun: bool,
}

/// The commune-health criteria results of the year.
#[derive(Debug, Clone, Serialize)]
pub struct CriteriaResult {
    /// Communes in the unit on the report's day.
    pub communes: usize,
    /// Communes assessed for the year.
    pub assessed: usize,
    /// Communes that passed.
    pub passed: usize,
    /// passed / assessed, in percent.
    pub pass_rate: Option<f64>,
    /// Each assessed commune, by code.
    pub results: Vec<CommuneResult>,
}

/// One commune's assessment.
#[derive(Debug, Clone, Serialize)]
pub struct CommuneResult {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Total points.
    pub total: f64,
    /// Passed.
    pub passed: bool,
    /// Recognised on.
    pub recognised_on: Option<Date>,
}

/// Builds the report of plan `plan_id` at the unit carrying `org_code`
/// in `year`, as seen on `today`.
pub async fn build_report(
    store: &dyn Store,
    plan_id: i64,
    org_code: &str,
    year: i32,
    today: Date,
) -> Result<PlanReport, ReportError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(ReportError::BadYear(year));
    }
    let (Some(first), Some(last)) = (
        Date::from_ymd_opt(year, 1, 1),
        Date::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(ReportError::BadYear(year));
    };
    let stored = store
        .get_plan(plan_id)
        .await?
        .ok_or(ReportError::UnknownPlan(plan_id))?;
    let plan = &stored.plan;
    let h = store.hierarchy().await?;
    let unit = find_unit(&h, org_code, first, last).ok_or_else(|| ReportError::UnknownOrg {
        code: org_code.trim().to_string(),
        year,
    })?;
    // A code reused across the reform: the plan's own issuer wins, as on
    // the scorecard (old Quảng Ngãi 51 for its plan, not the new 51).
    let issuer = plan.issuer.as_deref().and_then(|i| {
        let on = plan
            .date
            .unwrap_or_else(|| ytcs_engine::scorecard::default_at(&h, plan, today));
        ytcs_engine::scorecard::resolve_issuer(&h, i, on)
    });
    let unit = match issuer {
        Some(u)
            if u.code == unit.code
                && u.validity.from.is_none_or(|f| f <= last)
                && u.validity.to.is_none_or(|t| t >= first) =>
        {
            u
        }
        _ => unit,
    };
    // The unit as it stood at the year's end, or on its last day.
    let eval_at = match unit.validity.to {
        Some(to) if to < last => to,
        _ => last,
    };
    let as_of = last.min(today);
    let in_year = |d: Date| first <= d && d <= last;

    let (targets, any_actual) =
        targets(store, &h, plan_id, plan, unit, year, eval_at, as_of).await?;

    let updates = store.task_updates(plan_id).await?;
    let any_update = updates.iter().any(|u| in_year(u.on));
    let tasks = tasks(plan, &updates, as_of);

    let subs = store.report_submissions(plan_id).await?;
    let any_submission = subs.iter().any(|s| in_year(s.submitted_on));
    let start = plan_start(plan, today).max(first);
    let reporting = plan
        .reporting
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let units: Vec<String> = if d.by.is_empty() {
                vec![String::new()]
            } else {
                d.by.clone()
            };
            let dues = duty_due(d).map_or_else(Vec::new, |rule| occurrences(&rule, start, last));
            let instances = dues
                .iter()
                .flat_map(|due| {
                    units.iter().map(|u| {
                        let sub = subs
                            .iter()
                            .find(|s| s.duty == i && s.due == *due && &s.unit == u);
                        ReportInstance {
                            due: *due,
                            unit: u.clone(),
                            state: report_state(*due, sub.map(|s| s.submitted_on), as_of),
                            submitted_on: sub.map(|s| s.submitted_on),
                        }
                    })
                })
                .collect();
            DutyResult {
                what: d.what.clone(),
                by: d.by.clone(),
                to: d.to.clone(),
                instances,
            }
        })
        .collect();

    let entries: Vec<_> = store
        .budget_entries(plan_id)
        .await?
        .into_iter()
        .filter(|e| e.on <= last)
        .collect();
    let any_entry = entries.iter().any(|e| in_year(e.on));
    let budget = budget(plan, &entries);

    let criteria = criteria(store, &h, unit, year, eval_at).await?;

    let province = std::iter::once(unit)
        .chain(h.ancestors(unit.id, eval_at))
        .find(|u| u.kind == ytcs_core::org::OrgKind::Province)
        .map(|u| u.name.clone());
    let org = OrgRef {
        code: unit.code.to_string(),
        name: unit.name.clone(),
        province,
    };
    let any_data = any_actual || any_update || any_submission || any_entry || criteria.assessed > 0;
    let no_data = (!any_data).then(|| {
        format!(
            "Chưa có số liệu thực hiện của năm {year} cho kế hoạch này tại {}.",
            org_label(&org)
        )
    });
    Ok(PlanReport {
        plan: PlanRef {
            id: plan_id,
            number: plan.number.clone(),
            date: plan.date,
            issuer: plan.issuer.clone(),
        },
        heading: "BÁO CÁO".into(),
        title: title(plan),
        subtitle: plan.title.clone().filter(|t| !t.trim().is_empty()),
        org,
        year,
        as_of,
        generated_on: today,
        no_data,
        targets,
        tasks,
        reporting,
        budget,
        criteria,
    })
}

/// `Kết quả thực hiện Kế hoạch số 193/KH-UBND ngày 02/11/2023 của UBND tỉnh Quảng Ngãi`,
/// leaving out what the plan does not say.
fn title(p: &Plan) -> String {
    let mut t = String::from("Kết quả thực hiện Kế hoạch");
    if let Some(n) = p.number.as_deref().filter(|n| !n.trim().is_empty()) {
        t.push_str(" số ");
        t.push_str(n.trim());
    }
    if let Some(d) = p.date {
        t.push_str(" ngày ");
        t.push_str(&date_vi(d));
    }
    if let Some(i) = p.issuer.as_deref().filter(|i| !i.trim().is_empty()) {
        t.push_str(" của ");
        t.push_str(i.trim());
    }
    t
}

/// The unit carrying `code` at the year's end, else the last one carrying
/// it at some time during the year (a district that ended mid-year).
fn find_unit<'h>(h: &'h Hierarchy, code: &str, first: Date, last: Date) -> Option<&'h OrgUnit> {
    let code = OrgCode::parse(code.trim()).ok()?;
    h.unit_at(&code, last).or_else(|| {
        h.units_with_code(&code)
            .into_iter()
            .filter(|u| {
                u.validity.from.is_none_or(|f| f <= last)
                    && u.validity.to.is_none_or(|t| t >= first)
            })
            .max_by_key(|u| u.validity.to)
    })
}

#[allow(clippy::too_many_arguments)]
async fn targets(
    store: &dyn Store,
    h: &Hierarchy,
    plan_id: i64,
    plan: &Plan,
    unit: &OrgUnit,
    year: i32,
    eval_at: Date,
    as_of: Date,
) -> Result<(Vec<TargetResult>, bool), ReportError> {
    // A hand link names the indicator a target is measured by.
    let hand: HashMap<String, String> = store
        .target_links(plan_id)
        .await?
        .into_iter()
        .map(|l| (l.target_id, l.indicator))
        .collect();
    let mut cache = YearCache::default();
    let mut out = Vec::new();
    let mut any = false;
    for t in &plan.targets {
        let code = hand
            .get(&t.id)
            .cloned()
            .or_else(|| t.indicator.clone())
            .filter(|c| ytcs_engine::knows(c));
        let due = t.year.unwrap_or(year);
        // The same actual as the scorecard, the pages and the exports.
        let actual = match &code {
            Some(c) => {
                Some(target_actual(store, h, &mut cache, t, c, unit.id, due, eval_at, as_of).await?)
            }
            None => None,
        };
        let (progress, actual_year, figure) = match actual {
            Some(a) if a.figure.is_some() => {
                any = true;
                (a.progress, a.year, a.figure)
            }
            _ => (no_progress(), None, None),
        };
        out.push(TargetResult {
            id: t.id.clone(),
            subject: t.subject.clone(),
            indicator_name: code
                .as_deref()
                .and_then(by_code)
                .map(|i| i.name.to_string()),
            indicator: code,
            comparator: t.comparator,
            value: t.value,
            unit: t.unit,
            unit_text: t.unit_text.clone(),
            due_year: t.year,
            actual: progress.actual,
            actual_year,
            note: figure.and_then(|f| f.flags.note_vi(f.coverage)),
            ci95: figure.and_then(|f| f.ci95),
            gap: progress.gap,
            status: progress.status,
        });
    }
    Ok((out, any))
}

fn no_progress() -> Progress {
    Progress {
        actual: None,
        threshold: None,
        gap: None,
        projection: None,
        status: Status::NoData,
    }
}

fn tasks(
    plan: &Plan,
    updates: &[ytcs_store::tracking::TaskUpdate],
    as_of: Date,
) -> Vec<TaskResult> {
    // Updates come oldest first: the last one on or before the day wins.
    let mut latest: HashMap<&str, &ytcs_store::tracking::TaskUpdate> = HashMap::new();
    for u in updates.iter().filter(|u| u.on <= as_of) {
        latest.insert(u.task_id.as_str(), u);
    }
    plan.tasks
        .iter()
        .map(|t| {
            let due = due_of(&t.timeframe);
            let last = latest.get(t.id.as_str());
            let status = last.map_or(TaskStatus::NotStarted, |u| u.status);
            let s = standing(&due, status, as_of);
            TaskResult {
                id: t.id.clone(),
                depth: t.id.matches(['.', '#']).count().min(6),
                title: Plan::full_title(t).to_string(),
                lead: plan.lead_units_of(t).to_vec(),
                timeframe: t.timeframe.text.clone(),
                deadline: match due {
                    Due::Once { date } => Some(date),
                    _ => None,
                },
                status,
                progress: last.and_then(|u| u.progress),
                note: last.map(|u| u.note.clone()).unwrap_or_default(),
                updated_on: last.map(|u| u.on),
                overdue: s.overdue,
            }
        })
        .collect()
}

fn budget(plan: &Plan, entries: &[ytcs_store::tracking::BudgetEntry]) -> BudgetResult {
    let exec = ytcs_engine::budget::execution(plan, entries);
    let lines: Vec<BudgetLineResult> = plan
        .budget
        .iter()
        .map(|b| {
            let x = exec.get(&b.id);
            BudgetLineResult {
                id: b.id.clone(),
                purpose: b.purpose.clone().unwrap_or_else(|| b.text.clone()),
                sources: b.sources.clone(),
                is_part: b.parent.is_some(),
                planned: b.amount_vnd,
                committed: x.map_or(0, |x| x.committed),
                disbursed: x.map_or(0, |x| x.disbursed),
                rate: x.and_then(|x| x.rate()),
                overrun: x.is_some_and(|x| x.overrun()),
            }
        })
        .collect();
    let planned_total: i64 = plan
        .budget
        .iter()
        .filter(|b| b.parent.is_none())
        .map(|b| b.amount_vnd)
        .sum();
    let committed_total = lines.iter().map(|l| l.committed).sum();
    let disbursed_total: i64 = lines.iter().map(|l| l.disbursed).sum();
    BudgetResult {
        lines,
        planned_total,
        committed_total,
        disbursed_total,
        rate_total: (planned_total > 0)
            .then(|| disbursed_total as f64 * 100.0 / planned_total as f64),
    }
}

/// The communes in `unit` on `at` (the unit itself when it is one).
fn communes_in<'h>(h: &'h Hierarchy, unit: &'h OrgUnit, at: Date) -> Vec<&'h OrgUnit> {
    if unit.kind == OrgKind::Commune {
        return vec![unit];
    }
    let mut out = Vec::new();
    let mut stack = vec![unit];
    while let Some(u) = stack.pop() {
        for c in h.children(u.id, at) {
            if c.kind == OrgKind::Commune {
                out.push(c);
            } else {
                stack.push(c);
            }
        }
    }
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

async fn criteria(
    store: &dyn Store,
    h: &Hierarchy,
    unit: &OrgUnit,
    year: i32,
    at: Date,
) -> Result<CriteriaResult, ReportError> {
    let communes = communes_in(h, unit, at);
    let mut results = Vec::new();
    for c in &communes {
        if let Some(a) = store
            .assessments(c.id)
            .await?
            .into_iter()
            .find(|a| a.year == year)
        {
            results.push(CommuneResult {
                code: c.code.to_string(),
                name: c.name.clone(),
                total: a.total,
                passed: a.passed,
                recognised_on: a.recognised_on,
            });
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    Ok(CriteriaResult {
        communes: communes.len(),
        assessed: results.len(),
        passed,
        pass_rate: (!results.is_empty()).then(|| passed as f64 * 100.0 / results.len() as f64),
        results,
    })
}
