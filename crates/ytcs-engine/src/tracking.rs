//! Where a plan's execution stands on a day: each task's latest reported
//! status and its standing (due, overdue, days left), and each report
//! its duties call for with its state (upcoming, submitted, late,
//! missing). The tasks list, a unit's tasks, the dashboard's [`reminders`]
//! and the plan page read it from here; the rules themselves (deadlines
//! of a timeframe, occurrences of a duty, a report's state) are
//! `ytcs_core::tracking`'s.

use std::collections::{HashMap, HashSet};

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::OrgUnit;
use ytcs_core::plan::Plan;
use ytcs_core::tracking::{
    due_of, duty_due, occurrences, plan_start, report_state, standing, Due, ReportState, Standing,
    TaskStatus,
};
use ytcs_core::Date;
use ytcs_store::tracking::{ReportSubmission, TaskUpdate};
use ytcs_store::{Store, StoreError};

/// The latest status reported for each task (updates in the order they
/// were made; a task never reported is not in the map).
pub fn latest_statuses(updates: &[TaskUpdate]) -> HashMap<&str, TaskStatus> {
    let mut m = HashMap::new();
    for u in updates {
        m.insert(u.task_id.as_str(), u.status);
    }
    m
}

/// A task of a plan on a day.
#[derive(Debug, Clone)]
pub struct TaskStanding {
    /// Its place in the plan's tasks.
    pub index: usize,
    /// When it is due (`Due::Ongoing`: no deadline).
    pub due: Due,
    /// The latest status reported (not started when none).
    pub status: TaskStatus,
    /// Whether any status was ever reported.
    pub reported: bool,
    /// Due date, overdue, days left.
    pub standing: Standing,
}

/// One report a plan's duty calls for.
#[derive(Debug, Clone)]
pub struct ReportStanding {
    /// Its duty's place in the plan's reporting duties.
    pub duty: usize,
    /// The reporting unit as the plan names it (`""`: not named).
    pub unit: String,
    /// When it is due.
    pub due: Date,
    /// When it was submitted.
    pub submitted_on: Option<Date>,
    /// Its state on the day asked.
    pub state: ReportState,
}

/// A plan's tasks and reports on `on`: reports due from the plan's start
/// until `until`.
pub fn standings(
    plan: &Plan,
    updates: &[TaskUpdate],
    submissions: &[ReportSubmission],
    on: Date,
    until: Date,
) -> (Vec<TaskStanding>, Vec<ReportStanding>) {
    let latest = latest_statuses(updates);
    let tasks = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let due = due_of(&t.timeframe);
            let reported = latest.get(t.id.as_str()).copied();
            let status = reported.unwrap_or(TaskStatus::NotStarted);
            TaskStanding {
                index,
                standing: standing(&due, status, on),
                due,
                status,
                reported: reported.is_some(),
            }
        })
        .collect();
    let start = plan_start(plan, on);
    let mut reports = Vec::new();
    for (duty, d) in plan.reporting.iter().enumerate() {
        let Some(rule) = duty_due(d) else { continue };
        let units: Vec<String> = if d.by.is_empty() {
            vec![String::new()]
        } else {
            d.by.clone()
        };
        for due in occurrences(&rule, start, until) {
            for unit in &units {
                let submitted_on = submissions
                    .iter()
                    .find(|s| s.duty == duty && s.due == due && &s.unit == unit)
                    .map(|s| s.submitted_on);
                reports.push(ReportStanding {
                    duty,
                    unit: unit.clone(),
                    due,
                    submitted_on,
                    state: report_state(due, submitted_on, on),
                });
            }
        }
    }
    (tasks, reports)
}

/// A stored plan with its tasks and reports on a day.
#[derive(Debug, Clone)]
pub struct PlanStandings {
    /// The plan.
    pub stored: ytcs_store::plans::StoredPlan,
    /// Its tasks, in plan order.
    pub tasks: Vec<TaskStanding>,
    /// Its reports, by duty, then date, then unit.
    pub reports: Vec<ReportStanding>,
}

/// [`standings`] of the stored plan `plan_id` (`None` when there is no
/// such plan).
pub async fn plan_standings(
    store: &dyn Store,
    plan_id: i64,
    on: Date,
    until: Date,
) -> Result<Option<PlanStandings>, StoreError> {
    let Some(stored) = store.get_plan(plan_id).await? else {
        return Ok(None);
    };
    let updates = store.task_updates(plan_id).await?;
    let submissions = store.report_submissions(plan_id).await?;
    let (tasks, reports) = standings(&stored.plan, &updates, &submissions, on, until);
    Ok(Some(PlanStandings {
        stored,
        tasks,
        reports,
    }))
}

/// An overdue task, as a reminder.
#[derive(Debug, Clone)]
pub struct TaskReminder {
    /// The plan.
    pub plan_id: i64,
    /// The task's title.
    pub title: String,
    /// When it was due.
    pub due: Option<Date>,
}

/// A late or missing report, as a reminder.
#[derive(Debug, Clone)]
pub struct ReportReminder {
    /// The plan.
    pub plan_id: i64,
    /// What is reported, with the reporting unit when the plan names one.
    pub what: String,
    /// When it was due.
    pub due: Date,
    /// Submitted after its due date (else: not submitted at all).
    pub late: bool,
}

/// A unit's reminders: the most overdue first.
#[derive(Debug, Clone, Default)]
pub struct Reminders {
    /// Overdue tasks.
    pub tasks: Vec<TaskReminder>,
    /// Late or missing reports.
    pub reports: Vec<ReportReminder>,
}

/// Overdue tasks and late or missing reports (as of `at`) of the plans
/// issued by `unit` or one of its ancestors — on `at`, or on the day the
/// plan was issued (a district's plan for its communes before the reform).
pub async fn reminders(
    store: &dyn Store,
    h: &Hierarchy,
    unit: &OrgUnit,
    at: Date,
) -> Result<Reminders, StoreError> {
    let mut chain: HashSet<String> = HashSet::new();
    chain.insert(unit.code.to_string());
    for a in h.ancestors(unit.id, at) {
        chain.insert(a.code.to_string());
    }
    let mut tasks = Vec::new();
    let mut reports = Vec::new();
    for summary in store.list_plans().await? {
        let Some(stored) = store.get_plan(summary.id).await? else {
            continue;
        };
        let plan = &stored.plan;
        let issued_on = plan
            .date
            .unwrap_or_else(|| crate::scorecard::default_at(h, plan, at));
        let Some(issuer) = plan
            .issuer
            .as_deref()
            .and_then(|i| crate::scorecard::resolve_issuer(h, i, issued_on))
        else {
            continue;
        };
        let issued_here = chain.contains(issuer.code.as_str())
            || (unit.validity.contains(issued_on)
                && h.ancestors(unit.id, issued_on)
                    .iter()
                    .any(|a| a.id == issuer.id));
        if !issued_here {
            continue;
        }
        let updates = store.task_updates(summary.id).await?;
        let subs = store.report_submissions(summary.id).await?;
        let (task_standings, report_standings) = standings(plan, &updates, &subs, at, at);
        for ts in task_standings {
            if matches!(ts.due, Due::Ongoing) || !ts.standing.overdue {
                continue;
            }
            tasks.push(TaskReminder {
                plan_id: summary.id,
                title: plan.tasks[ts.index].title.clone(),
                due: ts.standing.due,
            });
        }
        for rs in report_standings {
            if !matches!(rs.state, ReportState::Late | ReportState::Missing) {
                continue;
            }
            let what = &plan.reporting[rs.duty].what;
            reports.push(ReportReminder {
                plan_id: summary.id,
                what: if rs.unit.is_empty() {
                    what.clone()
                } else {
                    format!("{what} — {}", rs.unit)
                },
                due: rs.due,
                late: rs.state == ReportState::Late,
            });
        }
    }
    // The most overdue first (stable: plans in list order within a day).
    tasks.sort_by_key(|t| t.due);
    reports.sort_by_key(|r| r.due);
    Ok(Reminders { tasks, reports })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::plan::{
        Frequency, ReportingDuty, Source, SourceFormat, Task, Timeframe, TimeframeKind,
    };

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn task(id: &str, kind: TimeframeKind, year: Option<i32>) -> Task {
        let mut timeframe = Timeframe::new(kind, "");
        timeframe.year = year;
        Task {
            id: id.into(),
            parent: None,
            title: id.into(),
            text: String::new(),
            lead_units: vec![],
            coordinating_units: vec![],
            timeframe,
            milestones: vec![],
            line: 1,
        }
    }

    fn update(task: &str, status: TaskStatus) -> TaskUpdate {
        TaskUpdate {
            id: 0,
            task_id: task.into(),
            on: d("2025-03-01"),
            status,
            progress: None,
            note: String::new(),
            evidence_name: None,
            recorded_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_task_stands_by_its_latest_update_and_each_report_by_its_submission() {
        let mut plan = Plan::empty(Source {
            file: "x.txt".into(),
            sha256: "0".into(),
            format: SourceFormat::Text,
        });
        plan.date = Some(d("2024-01-10"));
        plan.tasks = vec![
            task("1", TimeframeKind::Year, Some(2024)),
            task("2", TimeframeKind::Year, Some(2024)),
            task("3", TimeframeKind::Ongoing, None),
        ];
        plan.reporting = vec![ReportingDuty {
            what: "Báo cáo năm".into(),
            by: vec!["TTYT".into(), "TYT".into()],
            to: vec![],
            frequency: Some(Frequency::Annual),
            deadline: None,
            text: String::new(),
            line: 1,
        }];
        // Task 1 was started, then done; task 2 only started.
        let updates = [
            update("1", TaskStatus::InProgress),
            update("1", TaskStatus::Done),
            update("2", TaskStatus::InProgress),
        ];
        let on = d("2025-06-30");
        let (tasks, reports) = standings(&plan, &updates, &[], on, on);
        let t: Vec<(TaskStatus, bool, bool)> = tasks
            .iter()
            .map(|t| (t.status, t.reported, t.standing.overdue))
            .collect();
        assert_eq!(
            t,
            [
                (TaskStatus::Done, true, false),
                (TaskStatus::InProgress, true, true),
                (TaskStatus::NotStarted, false, false),
            ]
        );
        // Every unit named owes each yearly report; none was sent.
        assert!(!reports.is_empty());
        assert_eq!(reports.len() % 2, 0);
        assert!(reports
            .iter()
            .all(|r| r.submitted_on.is_none() && r.due <= on));
        assert!(
            reports.iter().any(|r| r.unit == "TTYT") && reports.iter().any(|r| r.unit == "TYT")
        );
        assert!(reports.iter().all(|r| r.state == ReportState::Missing));
    }
}
