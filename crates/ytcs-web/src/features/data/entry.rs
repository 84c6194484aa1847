//! The data-entry form of one data set for one unit and period
//! (`/data/entry?set=…&org=…&period=…`): every element and
//! disaggregation as a numeric field in form order (Tab moves down the
//! column), last period's value beside it, Vietnamese numbers
//! (`1.234,5`). A save is all or nothing: any bad field refuses the whole
//! form, naming each field in Vietnamese, and keeps what was typed.
//!
//! *Stale forms.* The form carries `was.FIELD` (the value it showed); a
//! field left as shown is not written, and a field changed by the user
//! and by someone else meanwhile is a conflict: nothing is saved and the
//! page says which value came in. Forms without `was.` fields (scripts)
//! keep the old all-fields semantics. Values derived from the registers
//! are shown read-only.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use ytcs_core::aggregate::{standard_data_sets, DataSet, Fixed};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit};
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_engine::exchange::parse_form_value;
use ytcs_store::network::WriteError;
use ytcs_store::values::{element, ValueFilter, ValueWrite};

use crate::app::i18n::Lang;
use crate::app::page::{error_page, render, Chrome, Page, PageError};
use crate::app::vocab::field_label;
use crate::app::AppState;

/// A value as the form shows it: `1.234,5`.
fn vi(v: Fixed) -> String {
    let f = v.to_f64();
    let d = if f.fract() == 0.0 { 0 } else { 3 };
    let s = ytcs_core::plan::vn::format_number(f, d);
    if d > 0 {
        s.trim_end_matches('0').to_string()
    } else {
        s
    }
}

struct Field {
    name: String,
    label: String,
    value: String,
    previous: String,
    error: bool,
    /// The stored value is far from the unit's last periods (modified
    /// z-score, shown when flagged).
    outlier: String,
    /// Derived from the station's registers: shown, not entered.
    derived: bool,
    /// The stored value the form was built on (`was.FIELD`), so a save can
    /// tell the user's changes from someone else's meanwhile.
    was: String,
    /// The first field to type in (focused when the page opens).
    first: bool,
}

#[derive(Template)]
#[template(path = "data_entry.html")]
struct EntryPage {
    c: Chrome,
    set: String,
    set_name: String,
    org: String,
    org_name: String,
    period: String,
    /// The period as people write it ("Tháng 11/2026").
    period_label: String,
    previous_label: String,
    /// The warning that the period has not ended (empty once it has).
    period_open: String,
    fields: Vec<Field>,
    errors: Vec<String>,
    saved: bool,
    approval: ApprovalPanel,
    /// Validation rules the stored values break, in words.
    violations: Vec<String>,
}

/// The approval state of the form's unit and period, and the moves the
/// signed-in user may make.
struct ApprovalPanel {
    /// 0 open, 1 submitted, 2 approved.
    state: usize,
    /// "by X, at Y" of the last submission and decision.
    submitted: String,
    decided: String,
    reason: String,
    /// Locked by this or a containing approved period.
    locked: bool,
    can_submit: bool,
    can_decide: bool,
}

#[derive(Deserialize)]
pub(crate) struct EntryQuery {
    set: Option<String>,
    org: Option<String>,
    period: Option<String>,
    saved: Option<String>,
}

/// What the query names, or the reason it cannot be shown.
struct Target<'h> {
    set: DataSet,
    unit: &'h OrgUnit,
    period: Period,
}

/// Why a part of the query names nothing yet.
enum Unsure<'h> {
    /// Not given (and no default).
    Missing,
    /// Given, and not understood (the text as typed).
    NotUnderstood(String),
    /// A typed name that fits several units (the text, the units).
    Several(String, Vec<&'h OrgUnit>),
}

/// The query as a person may have typed it: the set (by code; the
/// monthly commune form by default), the period ("Tháng 12/2026",
/// "12/2026", `2026-12` …; the last closed one by default), the unit (a
/// code or a name, within the user's scope; the user's only commune by
/// default).
struct Asked<'h> {
    set: DataSet,
    /// The set code typed, when it names no set (the default is shown).
    unknown_set: Option<String>,
    period: Result<Period, Unsure<'h>>,
    unit: Result<&'h OrgUnit, Unsure<'h>>,
    /// The communes the user may open forms of (entry, else reading), on
    /// the period's last day (today's when there is no period yet).
    choices: Vec<&'h OrgUnit>,
}

impl<'h> Asked<'h> {
    fn target(&self) -> Option<Target<'h>> {
        match (&self.period, &self.unit) {
            (Ok(period), Ok(unit)) if self.unknown_set.is_none() => Some(Target {
                set: self.set.clone(),
                unit,
                period: *period,
            }),
            _ => None,
        }
    }
}

fn typed(s: &Option<String>) -> &str {
    s.as_deref().map(str::trim).unwrap_or_default()
}

fn ask<'h>(h: &'h Hierarchy, q: &EntryQuery, page: &Page, today: Date) -> Asked<'h> {
    use ytcs_core::access::Action;
    let set = super::set_of(q.set.as_deref());
    let period = match typed(&q.period) {
        "" => Ok(ytcs_core::period_text::last_closed(set.period_type, today)),
        t => ytcs_core::period_text::read_for(t, set.period_type)
            .ok_or_else(|| Unsure::NotUnderstood(t.to_string())),
    };
    let at = period.as_ref().map_or(today, |p| p.end());
    let mut choices = Vec::new();
    if let Some(me) = &page.user {
        choices = crate::app::scope::communes(h, me, Action::EnterData, at, today);
        if choices.is_empty() {
            choices = crate::app::scope::communes(h, me, Action::Read, at, today);
        }
    }
    let unit = match typed(&q.org) {
        "" if choices.len() == 1 => Ok(choices[0]),
        "" => Err(Unsure::Missing),
        t => {
            // A code names its unit (the policy answers for it later); a
            // name is looked for among the user's communes.
            let by_code = OrgCode::parse(t).ok().and_then(|c| h.unit_at(&c, at));
            let found: Vec<&OrgUnit> = match by_code.filter(|u| u.kind == OrgKind::Commune) {
                Some(u) => vec![u],
                None => h
                    .find(t, OrgKind::Commune, at)
                    .into_iter()
                    .filter(|u| choices.iter().any(|c| c.id == u.id))
                    .collect(),
            };
            match found.as_slice() {
                [one] => Ok(*one),
                [] => Err(Unsure::NotUnderstood(t.to_string())),
                _ => Err(Unsure::Several(t.to_string(), found)),
            }
        }
    };
    let unknown_set = Some(typed(&q.set))
        .filter(|t| !t.is_empty() && *t != set.code)
        .map(str::to_string);
    Asked {
        set,
        unknown_set,
        period,
        unit,
        choices,
    }
}

/// The page that asks for what the query lacks, saying what it did not
/// understand (422 then; 200 when nothing was typed).
fn pick_view(page: &Page, asked: &Asked, today: Date) -> Response {
    let lang = page.lang;
    let dt = lang.data();
    let mut problems = Vec::new();
    if let Some(t) = &asked.unknown_set {
        problems.push((dt.pick_no_set)(t));
    }
    if let Err(Unsure::NotUnderstood(t)) = &asked.period {
        problems.push((dt.pick_bad_period)(t));
    }
    let mut several = Vec::new();
    match &asked.unit {
        Err(Unsure::NotUnderstood(t)) => problems.push((dt.pick_no_unit)(t)),
        Err(Unsure::Several(t, units)) => {
            problems.push((dt.pick_several)(t));
            several = units.clone();
        }
        _ => {}
    }
    let running = Period::containing(today, asked.set.period_type);
    let chosen = asked
        .period
        .as_ref()
        .ok()
        .copied()
        .or(Some(ytcs_core::period_text::last_closed(
            asked.set.period_type,
            today,
        )));
    let periods = ytcs_core::period_text::recent(asked.set.period_type, today, 12, true)
        .into_iter()
        .map(|p| {
            let mut label = ytcs_core::period_text::label(p, lang == Lang::Vi);
            if p == running {
                label = format!("{label} ({})", dt.pick_running);
            }
            (p.to_string(), label, Some(p) == chosen)
        })
        .collect();
    let unit_of = |u: &&OrgUnit| (u.code.to_string(), u.name.clone());
    let chosen_unit = asked.unit.as_ref().ok().map(|u| u.code.to_string());
    let view = PickPage {
        c: Chrome::new(page, "data"),
        sets: standard_data_sets()
            .into_iter()
            .map(|s| {
                let name = lang.pick(s.name_vi.clone(), s.name_en.clone());
                let selected = s.code == asked.set.code;
                (s.code, name, selected)
            })
            .collect(),
        periods,
        // A list to choose from when it is short enough to read.
        units: if asked.choices.len() <= MAX_LISTED_UNITS {
            asked.choices.iter().map(unit_of).collect()
        } else {
            Vec::new()
        },
        several: several.iter().map(unit_of).collect(),
        unit: chosen_unit.unwrap_or_default(),
        typed_unit: match &asked.unit {
            Err(Unsure::NotUnderstood(t)) | Err(Unsure::Several(t, _)) => t.clone(),
            _ => String::new(),
        },
        problems,
    };
    let status = if view.problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&view);
    *r.status_mut() = status;
    r
}

/// Units listed to choose from (more: a name is typed).
const MAX_LISTED_UNITS: usize = 400;

#[derive(Template)]
#[template(path = "data_pick.html")]
struct PickPage {
    c: Chrome,
    /// (code, name, selected).
    sets: Vec<(String, String, bool)>,
    /// (identifier, label, selected).
    periods: Vec<(String, String, bool)>,
    /// (code, name) of the units to choose from.
    units: Vec<(String, String)>,
    /// (code, name) of the units a typed name fits.
    several: Vec<(String, String)>,
    /// The chosen unit's code.
    unit: String,
    /// The text typed for the unit, when it named none or several.
    typed_unit: String,
    problems: Vec<String>,
}

fn field_name(element: &str, disagg: &str) -> String {
    format!("v.{element}.{disagg}")
}

async fn page_view(
    st: &AppState,
    page: &Page,
    q: &EntryQuery,
    typed: Option<&HashMap<String, String>>,
    errors: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let asked = ask(&h, q, page, today);
    let Some(t) = asked.target() else {
        return Ok(pick_view(page, &asked, today));
    };
    let values = ytcs_engine::entry::entry_values(st.store.as_ref(), t.unit.id, t.period).await?;
    let now: HashMap<String, Fixed> = values
        .now
        .iter()
        .map(|((e, d), v)| (field_name(e, d), *v))
        .collect();
    let violations = broken_rules(&now, lang);
    let bad: HashMap<&str, ()> = errors.iter().map(|(f, _)| (f.as_str(), ())).collect();
    let mut fields = Vec::new();
    for code in &t.set.elements {
        let Some(el) = element(code) else { continue };
        for d in el.disaggregations() {
            let f = field_name(code, &d);
            let label = field_label(el, &d, lang);
            let key = (code.clone(), d.clone());
            let value = match typed {
                Some(m) => m.get(&f).cloned().unwrap_or_default(),
                None => values.now.get(&key).copied().map(vi).unwrap_or_default(),
            };
            // A flag only where the user can act on it.
            let derived = values.derived(code);
            let outlier = values
                .outlier(&key)
                .filter(|_| !derived)
                .map(|z| format!("{z:.1}"))
                .unwrap_or_default();
            let stored = values.now.get(&key).copied().map(vi).unwrap_or_default();
            // A re-shown form keeps what it was built on, except where it
            // was refused (a conflict shows the newer value and is based
            // on it from now on).
            let was = match typed.and_then(|m| m.get(&format!("was.{f}"))) {
                Some(w) if !bad.contains_key(f.as_str()) => w.clone(),
                _ => stored,
            };
            let first = !derived && !fields.iter().any(|f: &Field| f.first);
            fields.push(Field {
                first,
                was,
                derived,
                previous: values
                    .previous
                    .get(&key)
                    .copied()
                    .map(vi)
                    .unwrap_or_default(),
                error: bad.contains_key(f.as_str()),
                outlier,
                name: f,
                label,
                value,
            });
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let approval = approval_panel(st, page, &t).await?;
    let mut r = render(&EntryPage {
        c: Chrome::new(page, "data"),
        set: t.set.code.clone(),
        set_name: lang.pick(t.set.name_vi.clone(), t.set.name_en.clone()),
        org: t.unit.code.to_string(),
        org_name: t.unit.name.clone(),
        period: t.period.to_string(),
        period_label: ytcs_core::period_text::label(t.period, lang == Lang::Vi),
        previous_label: ytcs_core::period_text::label(t.period.previous(), lang == Lang::Vi),
        period_open: if t.period.end() >= today {
            (lang.data().period_open)(&ytcs_core::format::date(t.period.end()))
        } else {
            String::new()
        },
        fields,
        errors: errors.into_iter().map(|(_, m)| m).collect(),
        saved: typed.is_none() && q.saved.as_deref() == Some("1"),
        approval,
        violations,
    });
    *r.status_mut() = status;
    Ok(r)
}

/// `GET /data/entry?set=…&org=…&period=…`.
pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    Query(q): Query<EntryQuery>,
) -> Response {
    page_view(&st, &page, &q, None, Vec::new())
        .await
        .into_response()
}

/// `POST /data/entry?set=…&org=…&period=…`: all fields or none.
pub(crate) async fn save(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Query(q): Query<EntryQuery>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let asked = ask(&h, &q, &page, today);
    let Some(t) = asked.target() else {
        return Ok(pick_view(&page, &asked, today));
    };
    crate::app::auth::require_unit(
        &st,
        &me,
        ytcs_core::access::Action::EnterData,
        &t.unit.code,
        t.period.end(),
        &page,
    )
    .await?;
    let existing: HashMap<_, _> = st
        .store
        .data_values(&ValueFilter {
            element: None,
            period: Some(t.period),
            units: Some(vec![t.unit.id]),
            ..ValueFilter::default()
        })
        .await?
        .into_iter()
        .map(|v| (field_name(&v.value.element, &v.value.disagg), v.value.value))
        .collect();
    // Values derived from the station's registers are shown read-only and
    // never written from the form.
    let marks = st.store.derivation_marks().await?;
    let derived =
        |code: &str| ytcs_engine::registers::is_derived(&marks, code, t.unit.id, t.period);
    let (writes, mut errors) = form_writes(&t, &form, &existing, derived, lang);
    if errors.is_empty() {
        match st
            .store
            .write_values(&h, &writes, &me.account.username)
            .await
        {
            Ok(_) => {
                if let Some((before, after)) = changes(&existing, &writes) {
                    crate::app::audit::event(
                        &me.account.username,
                        ytcs_core::audit::AuditAction::Update,
                        ytcs_core::audit::ObjectKind::DataValue,
                        &format!("{}/{}/{}", t.set.code, t.unit.code, t.period),
                    )
                    .unit(t.unit.code.as_str())
                    .before(before)
                    .after(after)
                    .record(&st)
                    .await;
                }
                let to = format!(
                    "/data/entry?set={}&org={}&period={}&saved=1",
                    t.set.code, t.unit.code, t.period
                );
                return Ok(Redirect::to(&to).into_response());
            }
            Err(WriteError::Rejected(msgs)) => {
                errors.extend(msgs.into_iter().map(|m| (String::new(), m)));
            }
            Err(WriteError::Store(ytcs_store::StoreError::Locked { .. })) => {
                errors.push((String::new(), lang.approval().locked_refused.to_string()));
            }
            Err(WriteError::Store(e)) => return Err(e.into()),
        }
    }
    page_view(&st, &page, &q, Some(&form), errors).await
}

/// The fields a save changed, before and after (`null`: no value), for
/// the audit log; `None` when nothing changed.
fn changes(
    existing: &HashMap<String, ytcs_core::aggregate::Fixed>,
    writes: &[ValueWrite],
) -> Option<(serde_json::Value, serde_json::Value)> {
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    for w in writes {
        let f = field_name(&w.element, &w.disagg);
        let before = existing.get(&f).map(|v| v.to_string());
        let after = w.value.map(|v| v.to_string());
        if before != after {
            old.insert(
                f.clone(),
                before.map_or(serde_json::Value::Null, Into::into),
            );
            new.insert(f, after.map_or(serde_json::Value::Null, Into::into));
        }
    }
    (!new.is_empty()).then(|| (old.into(), new.into()))
}

/// The writes a posted entry form asks for, and the fields refused with
/// why: a field left as the form showed it is not written (someone else
/// may have saved it meanwhile); a field changed here and elsewhere since
/// the form was shown is a conflict; an emptied field deletes its value;
/// a value derived from the registers (`derived`) is never written; a
/// field the form does not have (stale or forged) is refused.
fn form_writes(
    t: &Target<'_>,
    form: &HashMap<String, String>,
    existing: &HashMap<String, Fixed>,
    derived: impl Fn(&str) -> bool,
    lang: Lang,
) -> (Vec<ValueWrite>, Vec<(String, String)>) {
    let shown_now = |f: &str| existing.get(f).copied().map(vi).unwrap_or_default();
    let mut writes = Vec::new();
    let mut errors = Vec::new();
    for code in &t.set.elements {
        let Some(el) = element(code) else { continue };
        if derived(code) {
            continue;
        }
        for d in el.disaggregations() {
            let f = field_name(code, &d);
            let text = form.get(&f).map(|s| s.trim()).unwrap_or_default();
            // The form says what it showed: a field the user left as it
            // was is not written (nor emptied) — someone else may have
            // saved it meanwhile; a field the user changed while someone
            // else changed it too is a conflict, refused and explained.
            if let Some(was) = form.get(&format!("was.{f}")).map(|s| s.trim()) {
                if text == was {
                    continue;
                }
                let now = shown_now(&f);
                if now != was {
                    let label = field_label(el, &d, lang);
                    let it = lang.indicators();
                    let show = |v: &str| {
                        if v.is_empty() {
                            it.entry_conflict_empty.to_string()
                        } else {
                            v.to_string()
                        }
                    };
                    errors.push((
                        f.clone(),
                        format!(
                            "{label}: {} {} → {}. {}",
                            it.entry_conflict,
                            show(was),
                            show(&now),
                            it.entry_conflict_hint
                        ),
                    ));
                    continue;
                }
            }
            if text.is_empty() {
                if existing.contains_key(&f) {
                    writes.push(ValueWrite {
                        element: code.clone(),
                        unit: t.unit.id,
                        period: t.period,
                        disagg: d.clone(),
                        value: None,
                    });
                }
                continue;
            }
            match parse_form_value(code, text) {
                Ok(v) => writes.push(ValueWrite {
                    element: code.clone(),
                    unit: t.unit.id,
                    period: t.period,
                    disagg: d.clone(),
                    value: Some(v),
                }),
                Err(e) => {
                    let label = field_label(el, &d, lang);
                    errors.push((f, format!("{label}: {e}")));
                }
            }
        }
    }
    // A field the form does not have (a stale or forged form) is refused
    // rather than ignored.
    let known: std::collections::HashSet<String> = t
        .set
        .elements
        .iter()
        .filter_map(|c| element(c))
        .flat_map(|el| {
            el.disaggregations()
                .into_iter()
                .map(move |d| field_name(&el.code, &d))
        })
        .collect();
    let mut unknown: Vec<&String> = form
        .keys()
        .filter(|k| k.starts_with("v.") && !known.contains(*k))
        .collect();
    unknown.sort();
    for k in unknown {
        errors.push((
            k.clone(),
            format!("{}: {k}", lang.indicators().entry_unknown_field),
        ));
    }
    (writes, errors)
}

async fn approval_panel(
    st: &AppState,
    page: &Page,
    t: &Target<'_>,
) -> Result<ApprovalPanel, ytcs_store::StoreError> {
    use ytcs_core::access::{authorize, Action, Decision};
    use ytcs_core::approval::ApprovalState;
    let record = st.store.approval(t.unit.id, t.period).await?;
    let locked = !st
        .store
        .locking_approvals(t.unit.id, t.period)
        .await?
        .is_empty();
    let chain =
        crate::app::auth::unit_chain(st.store.as_ref(), &t.unit.code, t.period.end()).await?;
    let me = page.user.as_ref();
    let may = |a: Action| {
        me.as_ref()
            .is_some_and(|m| authorize(Some(&m.principal), a, Some(&chain)) == Decision::Allow)
    };
    let when = |by: &Option<String>, at: &Option<chrono::DateTime<chrono::Utc>>| match (by, at) {
        (Some(b), Some(a)) => format!("{b}, {}", ytcs_core::format::time_in_vietnam(*a)),
        _ => String::new(),
    };
    let state = record.as_ref().map_or(ApprovalState::Open, |r| r.state);
    Ok(ApprovalPanel {
        state: match state {
            ApprovalState::Open => 0,
            ApprovalState::Submitted => 1,
            ApprovalState::Approved => 2,
        },
        submitted: record
            .as_ref()
            .map(|r| when(&r.submitted_by, &r.submitted_at))
            .unwrap_or_default(),
        decided: record
            .as_ref()
            .map(|r| when(&r.decided_by, &r.decided_at))
            .unwrap_or_default(),
        reason: record
            .as_ref()
            .and_then(|r| r.reason.clone())
            .unwrap_or_default(),
        locked,
        can_submit: state == ApprovalState::Open && !locked && may(Action::EnterData),
        can_decide: state != ApprovalState::Open && may(Action::ApproveData),
    })
}

/// The approval form: which move, and why.
#[derive(Deserialize)]
pub(crate) struct ApprovalForm {
    action: String,
    #[serde(default)]
    reason: String,
    /// `1`: submit a period that has not ended yet.
    #[serde(default)]
    early: String,
}

/// `POST /data/approval?set=…&org=…&period=…`: submit, approve, return or
/// unlock the unit's data for the period. Submitting needs data entry in
/// scope; the other moves need approval rights in scope, and nobody
/// approves what they submitted themselves.
pub(crate) async fn approve(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Query(q): Query<EntryQuery>,
    req_ext: axum::http::Extensions,
    Form(f): Form<ApprovalForm>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    use ytcs_core::access::Action;
    use ytcs_core::approval::{ApprovalAction, ApprovalError};
    use ytcs_store::approval::TransitionError;
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let asked = ask(&h, &q, &page, today);
    let Some(t) = asked.target() else {
        return Ok(pick_view(&page, &asked, today));
    };
    let action = match f.action.as_str() {
        "submit" => ApprovalAction::Submit,
        "approve" => ApprovalAction::Approve,
        "return" => ApprovalAction::Return,
        "unlock" => ApprovalAction::Unlock,
        _ => {
            return Ok(error_page(&page, StatusCode::BAD_REQUEST, |_| {
                lang.approval().illegal
            }))
        }
    };
    let needs = if action == ApprovalAction::Submit {
        Action::EnterData
    } else {
        Action::ApproveData
    };
    crate::app::auth::require_unit(&st, &me, needs, &t.unit.code, t.period.end(), &page).await?;
    if action == ApprovalAction::Approve {
        let record = st.store.approval(t.unit.id, t.period).await?;
        if record.is_some_and(|r| r.submitted_by.as_deref() == Some(me.account.username.as_str())) {
            return Ok(error_page(&page, StatusCode::FORBIDDEN, |_| {
                lang.approval().own_submission
            }));
        }
    }
    // A period still running is submitted only when the station says its
    // figures are complete; the form comes back saying so.
    let refuse = |message: &str| vec![(String::new(), message.to_string())];
    if action == ApprovalAction::Submit && t.period.end() >= today && f.early != "1" {
        let message = refuse(lang.data().submit_early_refused);
        return page_view(&st, &page, &q, None, message).await;
    }
    let reason = Some(f.reason.trim()).filter(|r| !r.is_empty());
    let address = crate::app::auth::client_address(&req_ext);
    Ok(
        match st
            .store
            .transition_approval(
                t.unit.id,
                t.period,
                action,
                &me.account.username,
                reason,
                address.as_deref(),
            )
            .await
        {
            Ok(_) => Redirect::to(&format!(
                "/data/entry?set={}&org={}&period={}",
                t.set.code, t.unit.code, t.period
            ))
            .into_response(),
            Err(TransitionError::Refused(ApprovalError::ReasonRequired { .. })) => {
                let message = refuse(lang.data().return_needs_reason);
                return page_view(&st, &page, &q, None, message).await;
            }
            Err(TransitionError::Refused(_)) => {
                error_page(&page, StatusCode::CONFLICT, |_| lang.approval().illegal)
            }
            Err(TransitionError::UnknownUnit(_)) => {
                error_page(&page, StatusCode::NOT_FOUND, |t| t.unit_not_found)
            }
            Err(TransitionError::Store(e)) => return Err(e.into()),
        },
    )
}

/// The standard validation rules the stored values of the form break,
/// each as "name: left op right". A rule with a side that has no data is
/// not judged. Rules flag, they do not refuse: the station may have a
/// reason, and the reviewer sees the flag before approving.
fn broken_rules(now: &HashMap<String, Fixed>, lang: Lang) -> Vec<String> {
    let mut lookup = |r: &ytcs_core::expr::ElementRef| -> Option<f64> {
        let prefix = format!("v.{}.", r.code);
        let mut total = None;
        for (k, v) in now {
            let Some(disagg) = k.strip_prefix(&prefix) else {
                continue;
            };
            let parts: Vec<&str> = disagg.split('.').collect();
            if r.options.iter().all(|o| parts.contains(&o.as_str())) {
                *total.get_or_insert(0.0) += v.to_f64();
            }
        }
        total
    };
    ytcs_core::aggregate::standard_rules()
        .iter()
        .filter_map(|rule| {
            let r = rule.check(&mut lookup);
            (r.passed == Some(false)).then(|| {
                let n = |x: Option<f64>| x.map_or(String::new(), ytcs_core::format::entered);
                (lang.data().rule_fails)(
                    &rule.name_vi,
                    &rule.code,
                    &n(r.left),
                    rule.op.symbol(),
                    &n(r.right),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
    use ytcs_core::validity::Validity;

    #[test]
    fn a_posted_form_writes_only_what_was_changed_and_refuses_conflicts() {
        let set = standard_data_sets()
            .into_iter()
            .find(|s| s.code == "commune_monthly")
            .unwrap();
        // Elements with one plain field each.
        let plain: Vec<String> = set
            .elements
            .iter()
            .filter(|c| element(c).is_some_and(|e| e.disaggregations() == [String::new()]))
            .take(5)
            .cloned()
            .collect();
        assert_eq!(plain.len(), 5, "the monthly form has plain fields");
        let unit = OrgUnit {
            id: UnitId(7),
            code: OrgCode::parse("23479").unwrap(),
            name: "Xã".into(),
            kind: OrgKind::Commune,
            validity: Validity::ALWAYS,
        };
        let t = Target {
            set,
            unit: &unit,
            period: "2026-10".parse().unwrap(),
        };
        let f = |i: usize| field_name(&plain[i], "");
        let fixed = |v: i64| Fixed(v * 1000);
        // Stored now: 0 → 5, 1 → 2, 2 → 4 (someone saved 4 after the
        // form showed 3), 3 → 9.
        let existing = HashMap::from([
            (f(0), fixed(5)),
            (f(1), fixed(2)),
            (f(2), fixed(4)),
            (f(3), fixed(9)),
        ]);
        let mut form = HashMap::new();
        let mut post = |i: usize, was: &str, now: &str| {
            form.insert(format!("was.{}", f(i)), was.to_string());
            form.insert(f(i), now.to_string());
        };
        post(0, "5", "7"); // changed: written
        post(1, "2", "2"); // left as shown: not written
        post(2, "3", "6"); // changed here and elsewhere: conflict
        post(3, "9", ""); // emptied: deleted
        post(4, "", "1"); // derived from the registers: never written
        form.insert("v.bogus.".into(), "1".into());
        let derived = |code: &str| code == plain[4];
        let (writes, errors) = form_writes(&t, &form, &existing, derived, Lang::Vi);
        let written: Vec<(String, Option<Fixed>)> = writes
            .iter()
            .map(|w| (w.element.clone(), w.value))
            .collect();
        assert_eq!(
            written,
            [(plain[0].clone(), Some(fixed(7))), (plain[3].clone(), None)]
        );
        let refused: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(refused, [f(2).as_str(), "v.bogus."], "{errors:?}");
    }
}
