//! The approval queue (`/data/approvals?set=&period=&status=`): every
//! commune within the user's scope with its report of a period
//! (`ytcs_engine::reporting`), those waiting for approval first, then
//! those returned and those not entered — by name, each a link to its
//! form. A reviewer ticks the submitted ones and approves them in one
//! move (`POST /data/approvals`); each goes through the same workflow and
//! policy as the form's button (nobody approves their own submission),
//! and those refused are named with the reason.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use ytcs_core::access::{Action, Decision};
use ytcs_core::aggregate::{standard_data_sets, DataSet};
use ytcs_core::approval::ApprovalAction;
use ytcs_core::org::OrgCode;
use ytcs_core::period::Period;
use ytcs_engine::reporting::{commune_reports, ReportStatus};

use crate::app::auth::User;
use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::AppState;

#[derive(Deserialize, Default)]
pub(crate) struct QueueQuery {
    set: Option<String>,
    period: Option<String>,
    status: Option<String>,
    done: Option<usize>,
}

struct QueueRow {
    code: String,
    name: String,
    status: &'static str,
    status_label: &'static str,
    values: usize,
    who: String,
    reason: String,
    /// A submitted report the user may approve.
    can_approve: bool,
}

#[derive(Template)]
#[template(path = "data_queue.html")]
struct QueuePage {
    c: Chrome,
    set: String,
    /// (code, name, selected).
    sets: Vec<(String, String, bool)>,
    period: String,
    period_label: String,
    /// (identifier, label, selected).
    periods: Vec<(String, String, bool)>,
    /// (code, label, count, selected).
    statuses: Vec<(&'static str, &'static str, usize, bool)>,
    all_selected: bool,
    summary: String,
    rows: Vec<QueueRow>,
    any_to_approve: bool,
    done: String,
    refused: Vec<String>,
}

/// The set a query names (the monthly commune form by default) and its
/// period (typed as people write it; the last closed one by default).
fn set_and_period(
    set: Option<&str>,
    period: Option<&str>,
    today: ytcs_core::Date,
) -> (DataSet, Period) {
    let set = super::set_of(set);
    let period = period
        .and_then(|p| ytcs_core::period_text::read_for(p, set.period_type))
        .unwrap_or_else(|| ytcs_core::period_text::last_closed(set.period_type, today));
    (set, period)
}

/// `GET /data/approvals?set=&period=&status=`.
pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<QueueQuery>,
) -> Result<Response, PageError> {
    queue_view(&st, &page, &me, &q, Vec::new()).await
}

/// The queue, with `refused` (the reports a bulk approval could not
/// approve, in words) on top.
async fn queue_view(
    st: &AppState,
    page: &Page,
    me: &crate::app::auth::Current,
    q: &QueueQuery,
    refused: Vec<String>,
) -> Result<Response, PageError> {
    let today = (st.today)();
    let (set, period) = set_and_period(q.set.as_deref(), q.period.as_deref(), today);
    let h = st.store.hierarchy().await?;
    let at = period.end();
    // Those the user approves, else enters data for, else reads within
    // their scope (everyone may read aggregate data: the queue is not for
    // the whole country unless the scope is).
    let mut communes = crate::app::scope::communes(&h, me, Action::ApproveData, at, today);
    if communes.is_empty() {
        communes = crate::app::scope::communes(&h, me, Action::EnterData, at, today);
    }
    if communes.is_empty() {
        communes = crate::app::scope::within_scope(&h, me, at);
    }
    let mut reports = commune_reports(st.store.as_ref(), &communes, &set, period).await?;
    reports.sort_by(|a, b| a.status.cmp(&b.status).then(a.unit.name.cmp(&b.unit.name)));
    let may_approve =
        |id| crate::app::auth::decide(&h, me, Action::ApproveData, id, today) == Decision::Allow;
    let filter = q.status.as_deref().and_then(ReportStatus::parse);
    let lang = page.lang;
    let dt = lang.data();
    let count = |s: ReportStatus| reports.iter().filter(|r| r.status == s).count();
    let rows: Vec<QueueRow> = reports
        .iter()
        .filter(|r| filter.is_none_or(|f| r.status == f))
        .map(|r| queue_row(r, lang, &may_approve, &me.account.username))
        .collect();
    let vi = lang == Lang::Vi;
    let view = QueuePage {
        c: Chrome::new(page, "data"),
        sets: standard_data_sets()
            .into_iter()
            .map(|s| {
                let name = lang.pick(s.name_vi.clone(), s.name_en.clone());
                let selected = s.code == set.code;
                (s.code, name, selected)
            })
            .collect(),
        set: set.code.clone(),
        period: period.to_string(),
        period_label: ytcs_core::period_text::label(period, vi),
        periods: ytcs_core::period_text::recent(set.period_type, today, 12, true)
            .into_iter()
            .map(|p| {
                (
                    p.to_string(),
                    ytcs_core::period_text::label(p, vi),
                    p == period,
                )
            })
            .collect(),
        statuses: ReportStatus::ALL
            .into_iter()
            .map(|s| (s.code(), dt.report_status(s), count(s), filter == Some(s)))
            .collect(),
        all_selected: filter.is_none(),
        summary: (dt.queue_summary)(
            &count(ReportStatus::Submitted).to_string(),
            &count(ReportStatus::Approved).to_string(),
            &reports.len().to_string(),
        ),
        any_to_approve: rows.iter().any(|r| r.can_approve),
        rows,
        done: q
            .done
            .map(|n| (dt.queue_done)(&n.to_string()))
            .unwrap_or_default(),
        refused,
    };
    let mut r = render(&view);
    if !view.refused.is_empty() {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// One commune's row of the queue: its status, who submitted or decided
/// and when, the reason of a return, and a box to tick when the user may
/// approve it (not their own submission).
fn queue_row(
    r: &ytcs_engine::reporting::CommuneReport,
    lang: Lang,
    may_approve: &dyn Fn(ytcs_core::org::UnitId) -> bool,
    me: &str,
) -> QueueRow {
    let when = |by: &Option<String>, at: &Option<chrono::DateTime<chrono::Utc>>| match (by, at) {
        (Some(b), Some(a)) => format!("{b}, {}", ytcs_core::format::time_in_vietnam(*a)),
        _ => String::new(),
    };
    QueueRow {
        code: r.unit.code.to_string(),
        name: crate::app::scope::shown_name(r.unit),
        status: r.status.code(),
        status_label: lang.data().report_status(r.status),
        values: r.values,
        who: r
            .record
            .as_ref()
            .map(|x| match r.status {
                ReportStatus::Submitted => when(&x.submitted_by, &x.submitted_at),
                _ => when(&x.decided_by, &x.decided_at),
            })
            .unwrap_or_default(),
        reason: r
            .record
            .as_ref()
            .and_then(|x| x.reason.clone())
            .filter(|_| r.status == ReportStatus::Returned)
            .unwrap_or_default(),
        can_approve: r.status == ReportStatus::Submitted
            && may_approve(r.unit.id)
            && r.record.as_ref().and_then(|x| x.submitted_by.as_deref()) != Some(me),
    }
}

/// `POST /data/approvals`: approves the ticked reports (`unit=CODE`, one
/// field each) of `set` and `period`, each as the form's button does;
/// back to the queue, naming those refused.
pub(crate) async fn approve(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    req_ext: axum::http::Extensions,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let field = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let today = (st.today)();
    let (set, period) = set_and_period(field("set"), field("period"), today);
    let h = st.store.hierarchy().await?;
    let dt = page.lang.data();
    let address = crate::app::auth::client_address(&req_ext);
    let mut done = 0usize;
    let mut refused = Vec::new();
    for (_, code) in fields.iter().filter(|(k, _)| k == "unit") {
        let Some(unit) = OrgCode::parse(code.trim())
            .ok()
            .and_then(|c| h.unit_at(&c, period.end()))
        else {
            continue;
        };
        let why = if crate::app::auth::decide(&h, &me, Action::ApproveData, unit.id, today)
            != Decision::Allow
        {
            Some(page.lang.texts().forbidden.to_string())
        } else {
            let record = st.store.approval(unit.id, period).await?;
            if record.as_ref().and_then(|r| r.submitted_by.as_deref())
                == Some(me.account.username.as_str())
            {
                Some(page.lang.approval().own_submission.to_string())
            } else {
                match st
                    .store
                    .transition_approval(
                        unit.id,
                        period,
                        ApprovalAction::Approve,
                        &me.account.username,
                        None,
                        address.as_deref(),
                    )
                    .await
                {
                    Ok(_) => None,
                    Err(ytcs_store::approval::TransitionError::Store(e)) => return Err(e.into()),
                    Err(_) => Some(page.lang.approval().illegal.to_string()),
                }
            }
        };
        match why {
            None => done += 1,
            Some(why) => refused.push((dt.queue_refused)(&unit.name, &why)),
        }
    }
    let back = format!(
        "/data/approvals?set={}&period={}&done={done}",
        set.code, period
    );
    if refused.is_empty() {
        return Ok(Redirect::to(&back).into_response());
    }
    // Those refused are named on the queue itself.
    let q = QueueQuery {
        set: Some(set.code.clone()),
        period: Some(period.to_string()),
        status: None,
        done: Some(done),
    };
    queue_view(&st, &page, &me, &q, refused).await
}
