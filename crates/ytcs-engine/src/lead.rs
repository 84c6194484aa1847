//! Tasks and the units that lead them: the lead and coordinating units of
//! every task linked to units of the hierarchy ([`ytcs_core::lead`]), the
//! agency units the stored plans need ([`add_plan_agencies`]), and a unit's
//! tasks across all plans ([`unit_tasks`]); every plan's tracked tasks
//! and reports for the tasks page ([`work_list`]).
//!
//! A plan's texts are linked relative to its issuer ([`resolve_issuer`]) on
//! the plan's start day ([`plan_start`]: its date, else its legal bases'),
//! so a district plan of 2024 links to the district and its agencies as
//! they stood then, even after districts were abolished.
//!
//! [`plan_issuer`] resolves the issuer on the start day, [`task_links`]
//! links one task's lead and coordinating texts, and [`unit_tasks`] lists
//! a unit's tasks across plans, overdue first. A collective ("UBND các
//! xã, thị trấn", `Link::Under`) is not a copy of every commune: a
//! commune's page finds the tasks through its ancestors on the plan's
//! day. A unit created by the reform inherits, on its tasks page, the
//! tasks given to the units it came from (lineage back to the plan's
//! day), each marked with the predecessor's name. [`add_plan_agencies`]
//! adds the agency units the stored plans need (the demo runs it once,
//! meta key `demo_agencies_loaded`).

use std::collections::BTreeSet;

use ytcs_core::agency::agency_units;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::lead::{link_units, LinkedName};
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit};
use ytcs_core::plan::{Plan, Task};
use ytcs_core::tracking::{due_of, plan_start, standing, Standing, TaskStatus};
use ytcs_core::Date;
use ytcs_store::network::NewUnit;
use ytcs_store::plans::PlanSummary;
use ytcs_store::Store;

use crate::scorecard::resolve_issuer;
use crate::EngineError;

/// The issuer of a plan as a unit, and the day its texts are linked on.
pub fn plan_issuer<'h>(h: &'h Hierarchy, plan: &Plan, today: Date) -> (Option<&'h OrgUnit>, Date) {
    let at = plan_start(plan, today);
    let issuer = plan
        .issuer
        .as_deref()
        .and_then(|i| resolve_issuer(h, i, at));
    (issuer, at)
}

/// A task's lead and coordinating units, linked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLinks {
    /// Lead units, pieces in order.
    pub lead: Vec<LinkedName>,
    /// Coordinating units, pieces in order.
    pub coordinating: Vec<LinkedName>,
}

/// Links a task's units; with no issuer unit, every text stays unlinked.
pub fn task_links(h: &Hierarchy, issuer: Option<&OrgUnit>, at: Date, task: &Task) -> TaskLinks {
    let link = |texts: &[String]| -> Vec<LinkedName> {
        texts
            .iter()
            .flat_map(|t| match issuer {
                Some(i) => link_units(t, i, h, at),
                None => vec![LinkedName {
                    text: t.clone(),
                    link: ytcs_core::lead::Link::Unlinked,
                }],
            })
            .collect()
    };
    TaskLinks {
        lead: link(&task.lead_units),
        coordinating: link(&task.coordinating_units),
    }
}

/// What the tasks page lists: which items pass.
#[derive(Debug, Clone, Default)]
pub struct WorkFilter {
    /// Text a task's lead unit (as written, or the name of the unit it
    /// links to: "Kon Rẫy" finds "Trung tâm Y tế huyện") or a report's
    /// unit must contain, accents and case aside (`""`: any).
    pub unit: String,
    /// Only overdue tasks and late or missing reports.
    pub only_overdue: bool,
}

/// A task on the tasks page.
#[derive(Debug, Clone)]
pub struct WorkTask {
    /// Its plan.
    pub plan_id: i64,
    /// The task.
    pub task: Task,
    /// Its lead units, linked.
    pub leads: Vec<LinkedName>,
    /// Where it stands.
    pub standing: crate::tracking::TaskStanding,
}

/// A report on the tasks page.
#[derive(Debug, Clone)]
pub struct WorkReport {
    /// Its plan.
    pub plan_id: i64,
    /// What is reported.
    pub what: String,
    /// Its state.
    pub standing: crate::tracking::ReportStanding,
}

/// Every plan's tracked tasks (those with a deadline, or reported on) and
/// the reports due until `until`, on `today`, as `filter` lets through:
/// tasks overdue first, then by days left; reports by due date.
pub async fn work_list(
    store: &dyn Store,
    h: &Hierarchy,
    today: Date,
    until: Date,
    filter: &WorkFilter,
) -> Result<(Vec<WorkTask>, Vec<WorkReport>), EngineError> {
    use ytcs_core::text::fold;
    use ytcs_core::tracking::{Due, ReportState};
    let wanted = fold(&filter.unit);
    let mut tasks = Vec::new();
    let mut reports = Vec::new();
    for summary in store.list_plans().await? {
        let Some(found) = crate::tracking::plan_standings(store, summary.id, today, until).await?
        else {
            continue;
        };
        let plan = &found.stored.plan;
        let (issuer, at) = plan_issuer(h, plan, today);
        for ts in found.tasks {
            let t = &plan.tasks[ts.index];
            if matches!(ts.due, Due::Ongoing) && !ts.reported {
                continue; // no deadline and nothing reported: not tracked
            }
            if filter.only_overdue && !ts.standing.overdue {
                continue;
            }
            let leads = task_links(h, issuer, at, t).lead;
            let named = |l: &LinkedName| match l.link {
                ytcs_core::lead::Link::Unit(id) => {
                    h.unit(id).is_some_and(|u| fold(&u.name).contains(&wanted))
                }
                _ => false,
            };
            if !wanted.is_empty()
                && !t.lead_units.iter().any(|u| fold(u).contains(&wanted))
                && !leads.iter().any(named)
            {
                continue;
            }
            tasks.push(WorkTask {
                plan_id: summary.id,
                task: t.clone(),
                leads,
                standing: ts,
            });
        }
        for rs in found.reports {
            if !wanted.is_empty() && !fold(&rs.unit).contains(&wanted) {
                continue;
            }
            if filter.only_overdue && !matches!(rs.state, ReportState::Missing | ReportState::Late)
            {
                continue;
            }
            reports.push(WorkReport {
                plan_id: summary.id,
                what: plan.reporting[rs.duty].what.clone(),
                standing: rs,
            });
        }
    }
    tasks.sort_by_key(|t| {
        let s = &t.standing.standing;
        (!s.overdue, s.days_left.unwrap_or(i64::MAX))
    });
    reports.sort_by_key(|r| r.standing.due);
    Ok((tasks, reports))
}

/// Adds the agency units ([`agency_units`]) of every province and district
/// that issues a stored plan or contains its issuer, for every record of
/// that code (before and after a reform), unless already there. Returns how
/// many units were added.
pub async fn add_plan_agencies(store: &dyn Store, today: Date) -> Result<usize, EngineError> {
    let h = store.hierarchy().await?;
    let mut parents: BTreeSet<OrgCode> = BTreeSet::new();
    for p in store.list_plans().await? {
        let Some(stored) = store.get_plan(p.id).await? else {
            continue;
        };
        let (issuer, at) = plan_issuer(&h, &stored.plan, today);
        let Some(issuer) = issuer else { continue };
        for u in std::iter::once(issuer).chain(h.ancestors(issuer.id, at)) {
            if matches!(u.kind, OrgKind::Province | OrgKind::District) {
                parents.insert(u.code.clone());
            }
        }
    }
    let mut new = Vec::new();
    for code in &parents {
        for parent in h.units_with_code(code) {
            if !matches!(parent.kind, OrgKind::Province | OrgKind::District) {
                continue;
            }
            for a in agency_units(parent) {
                let taken = h
                    .units_with_code(&a.code)
                    .iter()
                    .any(|x| x.validity.overlaps(&a.validity));
                if !taken {
                    new.push(NewUnit {
                        code: a.code,
                        name: a.name,
                        kind: a.kind,
                        validity: a.validity,
                        parents: vec![(parent.id, parent.validity)],
                    });
                }
            }
        }
    }
    if new.is_empty() {
        return Ok(0);
    }
    Ok(store.add_units(&new).await?.len())
}

/// How a unit takes part in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskRole {
    /// It leads the task (chủ trì).
    Lead,
    /// It helps (phối hợp).
    Coordinating,
}

/// One task of a unit.
#[derive(Debug, Clone)]
pub struct UnitTask {
    /// The plan.
    pub plan: PlanSummary,
    /// The task's id in the plan.
    pub task_id: String,
    /// Its title.
    pub title: String,
    /// The timeframe as written.
    pub timeframe: String,
    /// The text that named the unit, as written.
    pub named_as: String,
    /// When the plan named not the unit as it stood on the plan's day but
    /// a predecessor (by lineage) of a later record of its code: that
    /// predecessor's name.
    pub through: Option<String>,
    /// Lead or coordinating.
    pub role: TaskRole,
    /// The latest status reported (not started if none).
    pub status: TaskStatus,
    /// Deadline, overdue flag and days left on `today`.
    pub standing: Standing,
}

/// Every task of every stored plan whose lead or coordinating units link
/// to the unit carrying `code` — the unit itself, or a collective that
/// covers it ("UBND các xã, thị trấn" for a commune of the issuer) — as it
/// stood on each plan's linking day. Overdue first, then by days left.
pub async fn unit_tasks(
    store: &dyn Store,
    h: &Hierarchy,
    code: &OrgCode,
    today: Date,
) -> Result<Vec<UnitTask>, EngineError> {
    let mut out = Vec::new();
    for summary in store.list_plans().await? {
        let Some(stored) = store.get_plan(summary.id).await? else {
            continue;
        };
        let (issuer, at) = plan_issuer(h, &stored.plan, today);
        let Some(issuer) = issuer else { continue };
        // The unit as it stood on the plan's day, then the units a later
        // record of its code came from (its predecessors on that day).
        let mut units: Vec<(&OrgUnit, bool)> = h
            .unit_at(code, at)
            .map(|u| (u, false))
            .into_iter()
            .collect();
        for p in predecessors_on(h, code, at) {
            if !units.iter().any(|(u, _)| u.id == p.id) {
                units.push((p, true));
            }
        }
        if units.is_empty() {
            continue;
        }
        let updates = store.task_updates(summary.id).await?;
        let latest = crate::tracking::latest_statuses(&updates);
        for t in &stored.plan.tasks {
            let links = task_links(h, Some(issuer), at, t);
            let find = |names: &[LinkedName]| {
                names.iter().find_map(|l| {
                    units
                        .iter()
                        .find(|(u, _)| l.link.covers(h, u, at))
                        .map(|(u, old)| (l.text.clone(), old.then(|| u.name.clone())))
                })
            };
            let found = find(&links.lead)
                .map(|x| (TaskRole::Lead, x))
                .or_else(|| find(&links.coordinating).map(|x| (TaskRole::Coordinating, x)));
            let Some((role, (named, through))) = found else {
                continue;
            };
            let status = latest
                .get(t.id.as_str())
                .copied()
                .unwrap_or(TaskStatus::NotStarted);
            out.push(UnitTask {
                plan: summary.clone(),
                task_id: t.id.clone(),
                title: t.title.clone(),
                timeframe: t.timeframe.text.clone(),
                named_as: named,
                through,
                role,
                status,
                standing: standing(&due_of(&t.timeframe), status, today),
            });
        }
    }
    out.sort_by_key(|t| {
        (
            !t.standing.overdue,
            t.standing.days_left.unwrap_or(i64::MAX),
        )
    });
    Ok(out)
}

/// The units valid on `at` that the unit(s) carrying `code` later came
/// from, following lineage back (a commune of 2025 merged from three
/// communes of 2024 gives those three).
fn predecessors_on<'h>(h: &'h Hierarchy, code: &OrgCode, at: Date) -> Vec<&'h OrgUnit> {
    let mut out: Vec<&OrgUnit> = Vec::new();
    let mut stack: Vec<&OrgUnit> = h
        .units_with_code(code)
        .into_iter()
        .filter(|u| u.validity.from.is_some_and(|f| f > at))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some(u) = stack.pop() {
        if !seen.insert(u.id) {
            continue;
        }
        for l in h.predecessors(u.id) {
            let Some(p) = h.unit(l.predecessor) else {
                continue;
            };
            if p.validity.contains(at) {
                if !out.iter().any(|o| o.id == p.id) {
                    out.push(p);
                }
            } else if p.validity.from.is_some_and(|f| f > at) {
                stack.push(p);
            }
        }
    }
    out
}
