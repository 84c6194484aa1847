//! "Đây là chỉ tiêu": a target marked in a plan's source sentence on the
//! review page. `GET /plans/{id}/review/mark?line=N&selection=…&fix=I`
//! shows the target the reader makes of the selection in a form (nothing
//! is written: a plain link or a GET form reaches it, with or without
//! JavaScript); `POST` of that form adds the target (or replaces target
//! `I`, a wrong one) and keeps the correction as a labelled example
//! (`target_example`), in one transaction with the plan's revision.
//!
//! Decisions: the review page offers a GET form per source line that holds
//! a number (a target without a number is not a target the reader could
//! learn), its text field holding the whole line so the form works as is
//! without JavaScript (the person trims it to the target); `static/review.js`
//! only fills that field with the selected text and opens the line's form.
//! A fix keeps the replaced target's id and units, so its links and
//! tracking stay attached.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ytcs_core::access::Action;
use ytcs_store::plans::{ExampleAction, NewTargetExample, StoredPlan};

use super::form;
use super::{decimals, load, not_found, target_text};
use crate::app::page::{render, server_error, Chrome, Page, PageError};
use crate::app::vocab::{code_of, COMPARATORS, UNITS};
use crate::app::AppState;

#[derive(Template)]
#[template(path = "plan_mark.html")]
struct MarkPage {
    c: Chrome,
    id: i64,
    number: String,
    line: usize,
    sentence: String,
    selection: String,
    fix: String,
    replaced: String,
    unread: bool,
    subject: String,
    indicator: String,
    comparator: String,
    value: String,
    unit: String,
    year: String,
    errors: Vec<String>,
    comparators: &'static [(&'static str, &'static str)],
    units: &'static [(&'static str, &'static str)],
    indicators: Vec<(&'static str, &'static str)>,
}

fn value_text(v: Option<f64>) -> String {
    v.map(|v| ytcs_core::plan::vn::format_number(v, decimals(v)))
        .unwrap_or_default()
}

/// The page for the `line`, `selection` and `fix` of `q`; the form's fields
/// are what was `posted`, else the target the selection pre-fills.
fn show(
    page: &Page,
    id: i64,
    stored: &StoredPlan,
    q: &HashMap<String, String>,
    posted: &HashMap<String, String>,
    errors: Vec<String>,
) -> Response {
    let line: usize = q
        .get("line")
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    let sentence = line
        .checked_sub(1)
        .and_then(|i| stored.source_text.lines().nth(i))
        .unwrap_or("")
        .to_string();
    let selection = q
        .get("selection")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let fix = q
        .get("fix")
        .and_then(|f| f.trim().parse::<usize>().ok())
        .filter(|i| *i < stored.plan.targets.len());
    let (read, shown) = form::prefill(&stored.plan, &sentence, line, &selection, fix);
    let field = |k: &str, v: String| posted.get(&format!("m.{k}")).cloned().unwrap_or(v);
    let failed = !errors.is_empty();
    let p = MarkPage {
        c: Chrome::new(page, "plans"),
        id,
        number: stored.plan.number.clone().unwrap_or_default(),
        line,
        sentence,
        selection,
        fix: fix.map(|i| i.to_string()).unwrap_or_default(),
        replaced: fix
            .and_then(|i| stored.plan.targets.get(i))
            .map(target_text)
            .unwrap_or_default(),
        unread: read.is_none(),
        subject: field("subject", shown.subject.clone()),
        indicator: field("indicator", shown.indicator.clone().unwrap_or_default()),
        comparator: field("comparator", code_of(&shown.comparator)),
        value: field("value", value_text(shown.value)),
        unit: field("unit", code_of(&shown.unit)),
        year: field(
            "year",
            shown.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        errors,
        comparators: &COMPARATORS,
        units: &UNITS[..UNITS.len() - 1],
        indicators: ytcs_core::indicator::CATALOGUE
            .iter()
            .map(|i| (i.code, i.name))
            .collect(),
    };
    let mut r = render(&p);
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// `GET /plans/{id}/review/mark`: the target the selection gives, to confirm.
pub(crate) async fn mark_form(
    State(st): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (stored, _, _) = match load(&st, id).await? {
        Some(l) => l,
        None => return Ok(not_found(&page)),
    };
    // The same checks of line, selection and fix as the POST makes.
    let mut checked = q.clone();
    checked.retain(|k, _| matches!(k.as_str(), "line" | "selection" | "fix"));
    checked.insert("m.value".into(), "0".into());
    let errors = form::mark(stored.plan.clone(), &stored.source_text, &checked)
        .err()
        .unwrap_or_default();
    Ok(show(&page, id, &stored, &q, &HashMap::new(), errors))
}

/// `POST /plans/{id}/review/mark`: adds or replaces the target and keeps
/// the labelled example.
pub(crate) async fn save_mark(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let (stored, _, _) = match load(&st, id).await? {
        Some(l) => l,
        None => return Ok(not_found(&page)),
    };
    crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &stored.plan, &page).await?;
    let m = match form::mark(stored.plan.clone(), &stored.source_text, &form) {
        Ok(m) => m,
        Err(errors) => return Ok(show(&page, id, &stored, &form, &form, errors)),
    };
    let example = NewTargetExample {
        line: m.line,
        sentence: stored
            .source_text
            .lines()
            .nth(m.line - 1)
            .unwrap_or("")
            .to_string(),
        selection: m.selection.clone(),
        action: if m.fix.is_some() {
            ExampleAction::Fix
        } else {
            ExampleAction::Add
        },
        target_index: m.fix,
        read: m.read.clone(),
        replaced: m.replaced.clone(),
        target: m.target.clone(),
        username: me.account.username.clone(),
    };
    let note = format!("Chỉ tiêu từ câu nguồn, dòng {}", m.line);
    Ok(
        match st.store.correct_target(id, &m.plan, &note, &example).await {
            Ok(Some(example_id)) => {
                crate::app::audit::event(
                    &me.account.username,
                    ytcs_core::audit::AuditAction::Update,
                    ytcs_core::audit::ObjectKind::Plan,
                    &id.to_string(),
                )
                .before(serde_json::json!({ "target": m.replaced }))
                .after(serde_json::json!({ "target": m.target, "example": example_id }))
                .record(&st)
                .await;
                Redirect::to(&format!("/plans/{id}/review?saved=1#L{}", m.line)).into_response()
            }
            Ok(None) => not_found(&page),
            Err(e) => server_error(&page, e),
        },
    )
}
