//! Running the plans: the task list across plans (deadlines, status,
//! overdue first), a task's page with its updates and evidence, the
//! reporting calendar (due, submitted, late, missing), and budget
//! execution entries.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Duration;
use serde::Deserialize;
use ytcs_core::access::Action;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::lead::{Link, LinkedName};
use ytcs_core::org::OrgCode;
use ytcs_core::plan::vn::parse_decimal;
use ytcs_core::text::fold;
use ytcs_core::tracking::{due_of, standing, ReportState, TaskStatus};
use ytcs_core::Date;
use ytcs_engine::lead::{
    plan_issuer, task_links, work_list, TaskRole, WorkFilter, WorkReport, WorkTask,
};
use ytcs_store::tracking::{
    BudgetEntry, BudgetEntryKind, Evidence, NewTaskUpdate, ReportSubmission, TaskUpdate,
};

use crate::app::format::urlencode;
use crate::app::i18n::Lang;
use crate::app::page::{error_page, render, server_error, Chrome, OrFail, Page, PageError};
use crate::app::vocab::{plan_label, plan_labels};
use crate::app::AppState;

/// Largest evidence file accepted.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// Evidence types accepted, by extension: documents and pictures an office
/// keeps as proof. Anything else (executables, scripts, archives) is refused.
const EVIDENCE_TYPES: [(&str, &str); 8] = [
    ("pdf", "application/pdf"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("doc", "application/msword"),
    ("xls", "application/vnd.ms-excel"),
];

/// The content type of an acceptable evidence file, by its name, or `None`.
pub fn evidence_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    EVIDENCE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| *t)
}

pub(crate) fn status_code(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::NotStarted => "not_started",
        TaskStatus::InProgress => "in_progress",
        TaskStatus::Done => "done",
        TaskStatus::Blocked => "blocked",
    }
}

fn status_from(code: &str) -> Option<TaskStatus> {
    [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Blocked,
    ]
    .into_iter()
    .find(|s| status_code(*s) == code)
}

/// A lead or coordinating unit as the pages show it: the text as written
/// and, when it links ([`ytcs_core::lead`]), where to.
pub(crate) struct NameLink {
    text: String,
    href: Option<String>,
    title: &'static str,
}

/// The pages' view of linked names: a unit links to its tasks page, a
/// collective ("UBND các xã, thị trấn") to the page of the unit it is under.
fn name_links(h: &Hierarchy, names: &[LinkedName], lang: Lang) -> Vec<NameLink> {
    let tt = lang.tracking();
    names
        .iter()
        .map(|n| {
            let (href, title) = match n.link {
                Link::Unit(id) => (
                    h.unit(id).map(|u| format!("/org/{}/tasks", u.code)),
                    tt.see_unit_tasks,
                ),
                Link::Under { parent, .. } => (
                    h.unit(parent).map(|u| format!("/org/{}", u.code)),
                    tt.see_units_under,
                ),
                Link::Unlinked => (None, ""),
            };
            NameLink {
                text: n.text.clone(),
                href,
                title,
            }
        })
        .collect()
}

struct TaskRow {
    plan_id: i64,
    plan_label: String,
    id: String,
    title: String,
    leads: Vec<NameLink>,
    timeframe: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    overdue: bool,
}

struct ReportRow {
    plan_id: i64,
    plan_label: String,
    duty: usize,
    what: String,
    unit: String,
    due: String,
    due_iso: String,
    state: &'static str,
    state_label: &'static str,
    submitted: String,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    tasks: Vec<TaskRow>,
    reports: Vec<ReportRow>,
    unit: String,
    only_overdue: bool,
    overdue_count: usize,
    late_or_missing: usize,
    today: String,
}

#[derive(Deserialize)]
pub(crate) struct TasksQuery {
    unit: Option<String>,
    overdue: Option<String>,
}

/// `GET /tasks?unit=TEXT&overdue=1`: every plan's tracked tasks and the
/// reports due in the next 90 days.
pub(crate) async fn tasks(
    State(st): State<AppState>,
    page: Page,
    Query(q): Query<TasksQuery>,
) -> Result<Response, PageError> {
    let today = (st.today)();
    let h = st.store.hierarchy().await?;
    let filter = WorkFilter {
        unit: q.unit.unwrap_or_default().chars().take(100).collect(),
        only_overdue: q.overdue.is_some_and(|v| v == "1"),
    };
    let horizon = today + Duration::days(90);
    let (found_tasks, found_reports) =
        work_list(st.store.as_ref(), &h, today, horizon, &filter).await?;
    let labels = plan_labels(&st.store.list_plans().await?);
    Ok(render(&tasks_view(
        &page,
        &h,
        &labels,
        (&found_tasks, &found_reports),
        filter,
        today,
    )))
}

/// The tasks page of a work list.
fn tasks_view(
    page: &Page,
    h: &Hierarchy,
    labels: &HashMap<i64, String>,
    (found_tasks, found_reports): (&[WorkTask], &[WorkReport]),
    filter: WorkFilter,
    today: Date,
) -> TasksPage {
    let lang = page.lang;
    let tt = lang.tracking();
    let label = |id: i64| labels.get(&id).cloned().unwrap_or_default();
    let tasks: Vec<TaskRow> = found_tasks
        .iter()
        .map(|w| {
            let s = &w.standing.standing;
            TaskRow {
                plan_id: w.plan_id,
                plan_label: label(w.plan_id),
                id: w.task.id.clone(),
                title: w.task.title.clone(),
                leads: name_links(h, &w.leads, lang),
                timeframe: w.task.timeframe.text.clone(),
                due: s.due.map(ytcs_core::format::date).unwrap_or_default(),
                status: status_code(w.standing.status),
                status_label: tt.status_label(w.standing.status),
                overdue: s.overdue,
            }
        })
        .collect();
    let reports: Vec<ReportRow> = found_reports
        .iter()
        .map(|w| {
            let rs = &w.standing;
            ReportRow {
                plan_id: w.plan_id,
                plan_label: label(w.plan_id),
                duty: rs.duty,
                what: w.what.clone(),
                unit: rs.unit.clone(),
                due: ytcs_core::format::date(rs.due),
                due_iso: rs.due.to_string(),
                state: report_state_code(rs.state),
                state_label: tt.report_label(rs.state),
                submitted: rs
                    .submitted_on
                    .map(ytcs_core::format::date)
                    .unwrap_or_default(),
            }
        })
        .collect();
    let overdue_count = tasks.iter().filter(|t| t.overdue).count();
    let late_or_missing = reports
        .iter()
        .filter(|r| r.state == "missing" || r.state == "late")
        .count();
    TasksPage {
        c: Chrome::new(page, "tasks"),
        tasks,
        reports,
        unit: filter.unit,
        only_overdue: filter.only_overdue,
        overdue_count,
        late_or_missing,
        today: ytcs_core::format::date(today),
    }
}

/// One task of a unit's tasks page.
struct UnitTaskRow {
    plan_id: i64,
    plan_label: String,
    id: String,
    title: String,
    named_as: String,
    through: Option<String>,
    timeframe: String,
    due: String,
    status: &'static str,
    status_label: &'static str,
    overdue: bool,
    days_left: String,
}

#[derive(Template)]
#[template(path = "unit_tasks.html")]
struct UnitTasksPage {
    c: Chrome,
    code: String,
    name: String,
    leads: Vec<UnitTaskRow>,
    coordinates: Vec<UnitTaskRow>,
    overdue_count: usize,
    today: String,
}

/// `GET /org/{code}/tasks`: every task across the stored plans that the
/// unit leads (first table) or helps with (second), overdue first.
pub(crate) async fn unit_tasks(
    State(st): State<AppState>,
    page: Page,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let tt = lang.tracking();
    let today = (st.today)();
    let Ok(code) = OrgCode::parse(&code) else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    let h = st.store.hierarchy().await?;
    // The unit as it stands today, else its latest record.
    let name = h
        .unit_at(&code, today)
        .or_else(|| {
            h.units_with_code(&code)
                .into_iter()
                .max_by_key(|u| u.validity.to.unwrap_or(Date::MAX))
        })
        .or_fail(StatusCode::NOT_FOUND, |t| t.unit_not_found)?
        .name
        .clone();
    let found = ytcs_engine::lead::unit_tasks(st.store.as_ref(), &h, &code, today).await?;
    let overdue_count = found.iter().filter(|t| t.standing.overdue).count();
    let (mut leads, mut coordinates) = (Vec::new(), Vec::new());
    for t in found {
        let row = UnitTaskRow {
            plan_id: t.plan.id,
            plan_label: plan_label(&t.plan),
            id: t.task_id,
            title: t.title,
            named_as: t.named_as,
            through: t.through,
            timeframe: t.timeframe,
            due: t
                .standing
                .due
                .map(ytcs_core::format::date)
                .unwrap_or_default(),
            status: status_code(t.status),
            status_label: tt.status_label(t.status),
            overdue: t.standing.overdue,
            days_left: t
                .standing
                .days_left
                .map(|d| d.to_string())
                .unwrap_or_default(),
        };
        match t.role {
            TaskRole::Lead => leads.push(row),
            TaskRole::Coordinating => coordinates.push(row),
        }
    }
    Ok(render(&UnitTasksPage {
        c: Chrome::new(&page, "tasks"),
        code: code.to_string(),
        name,
        leads,
        coordinates,
        overdue_count,
        today: ytcs_core::format::date(today),
    }))
}

pub(crate) fn report_state_code(s: ReportState) -> &'static str {
    match s {
        ReportState::Upcoming => "upcoming",
        ReportState::Submitted => "submitted",
        ReportState::Late => "late",
        ReportState::Missing => "missing",
    }
}

/// One progress update as the task page shows it.
struct UpdateRow {
    id: i64,
    on: String,
    status: &'static str,
    progress: String,
    note: String,
    evidence: Option<String>,
}

#[derive(Template)]
#[template(path = "task.html")]
struct TaskPage {
    c: Chrome,
    plan_id: i64,
    plan_label: String,
    id: String,
    title: String,
    text: String,
    leads: Vec<NameLink>,
    coordinating: Vec<NameLink>,
    timeframe: String,
    due: String,
    status_label: &'static str,
    overdue: bool,
    updates: Vec<UpdateRow>,
    error: Option<String>,
    today_iso: String,
}

#[derive(Deserialize)]
pub(crate) struct TaskQuery {
    t: String,
}

pub(crate) async fn task(
    State(st): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<TaskQuery>,
) -> Response {
    task_page(&st, &page, id, &q.t, None).await
}

async fn task_page(
    st: &AppState,
    page: &Page,
    plan_id: i64,
    task_id: &str,
    error: Option<String>,
) -> Response {
    let lang = page.lang;
    let tt = lang.tracking();
    let today = (st.today)();
    let (stored, updates, h) = match (
        st.store.get_plan(plan_id).await,
        st.store.task_updates(plan_id).await,
        st.store.hierarchy().await,
    ) {
        (Ok(Some(p)), Ok(u), Ok(h)) => (p, u, h),
        (Ok(None), _, _) => return error_page(page, StatusCode::NOT_FOUND, |t| t.plan_not_found),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return server_error(page, e),
    };
    let Some(t) = stored.plan.tasks.iter().find(|t| t.id == task_id) else {
        return error_page(page, StatusCode::NOT_FOUND, |t| t.not_found);
    };
    let mine: Vec<&TaskUpdate> = updates.iter().filter(|u| u.task_id == task_id).collect();
    let status = mine.last().map_or(TaskStatus::NotStarted, |u| u.status);
    let s = standing(&due_of(&t.timeframe), status, today);
    let (issuer, at) = plan_issuer(&h, &stored.plan, today);
    let links = task_links(&h, issuer, at, t);
    let view = TaskPage {
        c: Chrome::new(page, "tasks"),
        plan_id,
        plan_label: plan_label(&stored.summary),
        id: t.id.clone(),
        title: t.title.clone(),
        text: t.text.clone(),
        leads: name_links(&h, &links.lead, lang),
        coordinating: name_links(&h, &links.coordinating, lang),
        timeframe: t.timeframe.text.clone(),
        due: s.due.map(ytcs_core::format::date).unwrap_or_default(),
        status_label: tt.status_label(status),
        overdue: s.overdue,
        updates: mine
            .iter()
            .map(|u| UpdateRow {
                id: u.id,
                on: ytcs_core::format::date(u.on),
                status: tt.status_label(u.status),
                progress: u.progress.map(|p| format!("{p} %")).unwrap_or_default(),
                note: u.note.clone(),
                evidence: u.evidence_name.clone(),
            })
            .collect(),
        error: error.clone(),
        today_iso: today.to_string(),
    };
    let mut r = render(&view);
    if error.is_some() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// `POST /plans/{id}/task?t=…` (multipart): a status update with an optional
/// evidence file (PDF, picture, Word or Excel; at most 10 MB).
pub(crate) async fn save_task_update(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(plan_id): Path<i64>,
    Query(q): Query<TaskQuery>,
    form: Multipart,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let (on, status, progress, note, evidence) =
        match read_task_update(form, lang, (st.today)()).await {
            Ok(x) => x,
            Err(message) => return Ok(task_page(&st, &page, plan_id, &q.t, Some(message)).await),
        };
    match st.store.get_plan(plan_id).await? {
        Some(p) if p.plan.tasks.iter().any(|t| t.id == q.t) => {
            crate::app::auth::require_plan(&st, &me, Action::EnterData, &p.plan, &page).await?;
        }
        _ => return Err(PageError::Status(StatusCode::NOT_FOUND, |t| t.not_found)),
    }
    let update = NewTaskUpdate {
        plan_id,
        task_id: q.t.clone(),
        on,
        status,
        progress,
        note,
        evidence,
    };
    Ok(match st.store.add_task_update(&update).await {
        Ok(id) => {
            crate::app::audit::event(
                &me.account.username,
                ytcs_core::audit::AuditAction::Create,
                ytcs_core::audit::ObjectKind::TaskUpdate,
                &id.to_string(),
            )
            .after(serde_json::json!({
                "plan_id": plan_id,
                "task": update.task_id,
                "on": update.on,
                "status": format!("{:?}", update.status),
                "progress": update.progress,
                "note": update.note,
                "evidence": update.evidence.as_ref().map(|e| e.name.clone()),
            }))
            .record(&st)
            .await;
            Redirect::to(&format!("/plans/{plan_id}/task?t={}", urlencode(&q.t))).into_response()
        }
        Err(e) => server_error(&page, e),
    })
}

/// What a task-update form says: date, status, progress, note, evidence.
type TaskUpdateForm = (Date, TaskStatus, Option<u8>, String, Option<Evidence>);

/// Reads and checks a task-update form; the refusal, in the UI's language,
/// names what is wrong.
async fn read_task_update(
    mut form: Multipart,
    lang: Lang,
    today: Date,
) -> Result<TaskUpdateForm, String> {
    let tt = lang.tracking();
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut evidence: Option<Evidence> = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| tt.evidence_too_large.to_string())?
    {
        let name = field.name().unwrap_or("").to_string();
        if name != "evidence" {
            if let Ok(v) = field.text().await {
                fields.insert(name, v);
            }
            continue;
        }
        let file_name = field.file_name().unwrap_or("").to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| tt.evidence_too_large.to_string())?;
        if bytes.is_empty() && file_name.is_empty() {
            continue;
        }
        if bytes.is_empty() {
            return Err(format!("{} «{file_name}»", tt.evidence_empty));
        }
        if bytes.len() > MAX_EVIDENCE_BYTES {
            return Err(tt.evidence_too_large.into());
        }
        let content_type = evidence_type(&file_name)
            .ok_or_else(|| format!("{} «{file_name}»", tt.evidence_forbidden))?;
        evidence = Some(Evidence {
            name: file_name,
            content_type: content_type.into(),
            bytes: bytes.to_vec(),
        });
    }
    let field = |k: &str| fields.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
    let status = field("status")
        .and_then(status_from)
        .ok_or_else(|| tt.bad_status.to_string())?;
    let on = match field("on") {
        None => today,
        Some(s) => {
            crate::app::parse_user_date(s).ok_or_else(|| format!("{} «{s}»", tt.bad_date))?
        }
    };
    let progress = match field("progress") {
        None => None,
        Some(s) => Some(
            s.trim_end_matches('%')
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(|| format!("{} «{s}»", tt.bad_progress))?,
        ),
    };
    let note = field("note")
        .map(|s| s.chars().take(2000).collect())
        .unwrap_or_default();
    Ok((on, status, progress, note, evidence))
}

/// `GET /evidence/{update}`: the evidence file, as an attachment.
pub(crate) async fn evidence(
    State(st): State<AppState>,
    page: Page,
    Path(update): Path<i64>,
) -> Response {
    match st.store.evidence(update).await {
        Ok(Some(e)) => {
            let ascii: String = fold(&e.name)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            (
                [
                    (header::CONTENT_TYPE, e.content_type),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                            urlencode(&e.name)
                        ),
                    ),
                ],
                e.bytes,
            )
                .into_response()
        }
        Ok(None) => error_page(&page, StatusCode::NOT_FOUND, |t| t.not_found),
        Err(e) => server_error(&page, e),
    }
}

/// `POST /plans/{id}/reports`: a report handed in for one due date.
pub(crate) async fn submit_report(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(plan_id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let duty: Option<usize> = get("duty").parse().ok();
    let due: Option<Date> = get("due").parse().ok();
    let submitted_on = match get("submitted_on").as_str() {
        "" => Some((st.today)()),
        s => crate::app::parse_user_date(s),
    };
    let (Some(duty), Some(due), Some(submitted_on)) = (duty, due, submitted_on) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    match st.store.get_plan(plan_id).await? {
        Some(p) if duty < p.plan.reporting.len() => {
            crate::app::auth::require_plan(&st, &me, Action::EnterData, &p.plan, &page).await?;
        }
        _ => {
            return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
                t.plan_not_found
            }))
        }
    }
    let s = ReportSubmission {
        duty,
        due,
        unit: get("unit"),
        submitted_on,
        note: get("note"),
    };
    Ok(match st.store.submit_report(plan_id, &s).await {
        Ok(()) => {
            crate::app::audit::event(
                &me.account.username,
                ytcs_core::audit::AuditAction::Submit,
                ytcs_core::audit::ObjectKind::Report,
                &format!("{plan_id}/{}/{}/{}", s.duty, s.due, s.unit),
            )
            .after(serde_json::json!({"submitted_on": s.submitted_on, "note": s.note}))
            .record(&st)
            .await;
            Redirect::to("/tasks").into_response()
        }
        Err(e) => server_error(&page, e),
    })
}

/// `POST /plans/{id}/budget`: a commitment or disbursement against a line.
pub(crate) async fn add_budget_entry(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(plan_id): Path<i64>,
    Form(f): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let tt = lang.tracking();
    let get = |k: &str| f.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let plan = st
        .store
        .get_plan(plan_id)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.plan_not_found)?;
    crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &plan.plan, &page).await?;
    let line_id = get("line");
    let mut errors = Vec::new();
    if !plan.plan.budget.iter().any(|b| b.id == line_id) {
        errors.push(tt.bad_budget_line.to_string());
    }
    let amount = parse_decimal(&get("amount"))
        .map(|d| d.to_f64())
        .filter(|x| x.fract() == 0.0 && *x > 0.0 && *x < 9.0e18)
        .map(|x| x as i64);
    if amount.is_none() {
        errors.push(format!("{} «{}»", tt.bad_amount, get("amount")));
    }
    let kind = match get("kind").as_str() {
        "commitment" => Some(BudgetEntryKind::Commitment),
        "disbursement" => Some(BudgetEntryKind::Disbursement),
        _ => None,
    };
    let on = match get("on").as_str() {
        "" => Some((st.today)()),
        s => crate::app::parse_user_date(s),
    };
    if on.is_none() {
        errors.push(format!("{} «{}»", tt.bad_date, get("on")));
    }
    let (Some(amount), Some(kind), Some(on), true) = (amount, kind, on, errors.is_empty()) else {
        let msg = if errors.is_empty() {
            tt.bad_amount.to_string()
        } else {
            errors.join(" ")
        };
        return super::show_with_message(&st, &page, plan_id, Some(msg)).await;
    };
    let entry = BudgetEntry {
        line_id,
        on,
        kind,
        amount_vnd: amount,
        source: Some(get("source")).filter(|s| !s.is_empty()),
        note: get("note"),
    };
    Ok(match st.store.add_budget_entry(plan_id, &entry).await {
        Ok(()) => {
            crate::app::audit::event(&me.account.username, ytcs_core::audit::AuditAction::Create, ytcs_core::audit::ObjectKind::BudgetEntry, &format!("{plan_id}/{}", entry.line_id))
                .after(serde_json::json!({"on": entry.on, "kind": format!("{:?}", entry.kind), "amount_vnd": entry.amount_vnd, "source": entry.source, "note": entry.note}))
                .record(&st)
                .await;
            Redirect::to(&format!("/plans/{plan_id}#budget")).into_response()
        }
        Err(e) => server_error(&page, e),
    })
}
