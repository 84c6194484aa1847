//! The national commune-health criteria (QĐ 1300/QĐ-BYT) on the web: a
//! commune's self-assessment for a year — ten scores, the pass rule applied
//! at once, the result kept — and its history.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Datelike;
use serde::Deserialize;
use ytcs_core::criteria::{evaluate, recognised_until, CriteriaSet, FailReason};
use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_core::plan::vn::{format_number, parse_decimal};
use ytcs_store::tracking::Assessment;

use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, OrFail, Page, PageError};
use crate::app::AppState;

/// Points the Vietnamese way, with a decimal only when there is one: `80,5`, `98`.
fn points(v: f64) -> String {
    format_number(v, usize::from((v * 10.0).round() % 10.0 != 0.0))
}

struct Row {
    number: u8,
    code: String,
    name: String,
    max: String,
    value: String,
    ok: Option<bool>,
}

#[derive(Template)]
#[template(path = "criteria.html")]
struct CriteriaPage {
    c: Chrome,
    code: String,
    name: String,
    year: i32,
    rows: Vec<Row>,
    total: String,
    passed: Option<bool>,
    reasons: Vec<String>,
    errors: Vec<String>,
    recognised_on: String,
    valid_until: String,
    history: Vec<(i32, String, bool, String)>,
    source: String,
}

#[derive(Deserialize)]
pub(crate) struct YearQuery {
    year: Option<i32>,
}

fn reason_text(lang: Lang, r: &FailReason) -> String {
    match (lang, r) {
        (Lang::Vi, FailReason::TotalTooLow { total, needed }) => format!(
            "Tổng điểm {} dưới mức đạt {}.",
            points(*total),
            format_number(*needed, 0)
        ),
        (Lang::Vi, FailReason::CriterionTooLow { number }) => {
            format!("Tiêu chí {number} chưa đạt 50 % số điểm.")
        }
        (Lang::Vi, FailReason::CriticalItemFailed { code }) => {
            format!("Mục {code} là điểm liệt và chưa đạt.")
        }
        (Lang::En, FailReason::TotalTooLow { total, needed }) => format!(
            "Total {} is below the pass mark {}.",
            points(*total),
            format_number(*needed, 0)
        ),
        (Lang::En, FailReason::CriterionTooLow { number }) => {
            format!("Criterion {number} is under half its points.")
        }
        (Lang::En, FailReason::CriticalItemFailed { code }) => {
            format!("Critical item {code} failed.")
        }
    }
}

async fn commune(
    st: &AppState,
    code: &str,
) -> Result<Option<(ytcs_core::org::OrgUnit, OrgCode)>, ytcs_store::StoreError> {
    let Ok(code) = OrgCode::parse(code) else {
        return Ok(None);
    };
    let today = (st.today)();
    Ok(st
        .store
        .unit_at(&code, today)
        .await?
        .filter(|u| u.kind == OrgKind::Commune)
        .map(|u| (u, code)))
}

#[allow(clippy::too_many_arguments)]
fn page_view(
    page: &Page,
    unit: &ytcs_core::org::OrgUnit,
    year: i32,
    scores: &BTreeMap<String, f64>,
    posted: Option<&HashMap<String, String>>,
    errors: Vec<String>,
    saved: Option<&Assessment>,
    history: &[Assessment],
) -> Response {
    let lang = page.lang;
    let set = CriteriaSet::qd1300();
    let eval = evaluate(&set, scores).ok();
    let rows = set
        .criteria
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .map(|(c, i)| {
            let result = eval
                .as_ref()
                .and_then(|e| e.criteria.iter().find(|r| r.number == c.number));
            Row {
                number: c.number,
                code: i.code.clone(),
                name: i.name.clone(),
                max: format_number(i.max_points, 0),
                value: posted
                    .and_then(|p| p.get(&format!("s.{}", i.code)).cloned())
                    .or_else(|| {
                        scores
                            .get(&i.code)
                            .map(|v| format_number(*v, if v.fract() == 0.0 { 0 } else { 1 }))
                    })
                    .unwrap_or_default(),
                ok: result.map(|r| r.reached_minimum),
            }
        })
        .collect();
    let failed = !errors.is_empty();
    let p = CriteriaPage {
        c: Chrome::new(page, "network"),
        code: unit.code.to_string(),
        name: unit.name.clone(),
        year,
        rows,
        total: eval.as_ref().map(|e| points(e.total)).unwrap_or_default(),
        passed: eval
            .as_ref()
            .filter(|_| saved.is_some() || posted.is_some())
            .map(|e| e.passed),
        reasons: eval
            .as_ref()
            .map(|e| e.reasons.iter().map(|r| reason_text(lang, r)).collect())
            .unwrap_or_default(),
        errors,
        recognised_on: saved
            .and_then(|a| a.recognised_on)
            .map(ytcs_core::format::date)
            .unwrap_or_default(),
        valid_until: saved
            .and_then(|a| a.recognised_on)
            .map(|d| ytcs_core::format::date(recognised_until(d, set.recognition_years)))
            .unwrap_or_default(),
        history: history
            .iter()
            .map(|a| {
                (
                    a.year,
                    points(a.total),
                    a.passed,
                    a.recognised_on
                        .map(ytcs_core::format::date)
                        .unwrap_or_default(),
                )
            })
            .collect(),
        source: set.source.clone(),
    };
    let mut r = render(&p);
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let (unit, _) = commune(&st, &code)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.unit_not_found)?;
    let year = q
        .year
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or_else(|| (st.today)().year());
    let history = st.store.assessments(unit.id).await?;
    let saved = history.iter().find(|a| a.year == year);
    let scores = saved.map(|a| a.scores.clone()).unwrap_or_default();
    Ok(page_view(
        &page,
        &unit,
        year,
        &scores,
        None,
        vec![],
        saved,
        &history,
    ))
}

/// `POST /org/{code}/criteria?year=Y`: scores `s.{item}` (Vietnamese
/// decimals), `recognised_on` (a date, when the district recognised a pass).
pub(crate) async fn save(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let (unit, _) = commune(&st, &code)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.unit_not_found)?;
    crate::app::auth::require_unit(
        &st,
        &me,
        ytcs_core::access::Action::EnterData,
        &unit.code,
        (st.today)(),
        &page,
    )
    .await?;
    let Some(year) = q.year.filter(|y| (2000..=2100).contains(y)) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let history = st.store.assessments(unit.id).await?;
    let refuse = |scores: &BTreeMap<String, f64>, errors: Vec<String>| {
        page_view(
            &page,
            &unit,
            year,
            scores,
            Some(&form),
            errors,
            None,
            &history,
        )
    };
    let a = match read_assessment(&CriteriaSet::qd1300(), &form, lang, unit.id, year) {
        Ok(a) => a,
        Err((scores, errors)) => return Ok(refuse(&scores, errors)),
    };
    let before = history.iter().find(|h| h.year == year);
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let saved = ytcs_engine::criteria::save_assessment(
        st.store.as_ref(),
        &h,
        &a,
        &me.account.username,
        chrono::Datelike::year(&today),
    )
    .await;
    use ytcs_store::network::WriteError;
    match saved {
        Ok(()) => {}
        Err(WriteError::Store(ytcs_store::StoreError::Locked { .. })) => {
            let locked = lang.approval().locked_refused.to_string();
            return Ok(refuse(&a.scores, vec![locked]));
        }
        Err(WriteError::Rejected(lines)) => return Ok(refuse(&a.scores, lines)),
        Err(WriteError::Store(e)) => return Err(e.into()),
    }
    let action = match before {
        Some(_) => ytcs_core::audit::AuditAction::Update,
        None => ytcs_core::audit::AuditAction::Create,
    };
    let mut ev = crate::app::audit::event(
        &me.account.username,
        action,
        ytcs_core::audit::ObjectKind::CriteriaAssessment,
        &format!("{}/{year}", unit.code),
    )
    .unit(unit.code.as_str())
    .after(audited(&a));
    if let Some(b) = before {
        ev = ev.before(audited(b));
    }
    ev.record(&st).await;
    Ok(Redirect::to(&format!("/org/{}/criteria?year={year}", unit.code)).into_response())
}

/// What the audit log keeps of an assessment.
fn audited(a: &Assessment) -> serde_json::Value {
    serde_json::json!({
        "scores": a.scores,
        "total": a.total,
        "passed": a.passed,
        "recognised_on": a.recognised_on,
    })
}

/// The assessment of `commune` in `year` a posted form gives (scores,
/// their evaluation, a recognition date kept only for a pass), or the
/// scores read with every problem named (a score that is not a number, an
/// evaluation the set refuses, a date that is not one).
fn read_assessment(
    set: &CriteriaSet,
    form: &HashMap<String, String>,
    lang: Lang,
    commune: ytcs_core::org::UnitId,
    year: i32,
) -> Result<Assessment, (BTreeMap<String, f64>, Vec<String>)> {
    let mut errors = Vec::new();
    let mut scores = BTreeMap::new();
    for item in set.criteria.iter().flat_map(|c| c.items.iter()) {
        let raw = form
            .get(&format!("s.{}", item.code))
            .map(|s| s.trim())
            .unwrap_or("");
        if raw.is_empty() {
            continue;
        }
        match parse_decimal(raw).map(|d| d.to_f64()) {
            Some(v) => {
                scores.insert(item.code.clone(), v);
            }
            None => errors.push((lang.texts().not_points)(&item.code, raw)),
        }
    }
    let evaluation = match evaluate(set, &scores) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.push(e.to_string());
            None
        }
    };
    let recognised_on = match form
        .get("recognised_on")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => match crate::app::parse_user_date(s) {
            Some(d) => Some(d),
            None => {
                errors.push(format!("{} «{s}»", lang.tracking().bad_date));
                None
            }
        },
    };
    match evaluation {
        Some(e) if errors.is_empty() => Ok(Assessment {
            commune,
            year,
            scores,
            total: e.total,
            passed: e.passed,
            // Only a pass can be recognised.
            recognised_on: recognised_on.filter(|_| e.passed),
        }),
        _ => Err((scores, errors)),
    }
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/org/{code}/criteria", Need::Signed(Read), show),
        r(
            M::POST,
            "/org/{code}/criteria",
            Need::Signed(EnterData),
            save,
        ),
    ]
}
