//! The statutory report forms on the web.
//!
//! - `GET /reports/forms/{key}?org=&period=&format=`: the form of a unit
//!   and period as a page (the same [`Document`] the XLSX and PDF print,
//!   `format=xlsx|pdf|docx|json` for the file), with where it stands
//!   (sent, when, late) and, for the unit's staff, the send button. Asked
//!   for a unit above the form's level (a commune form for a province), it
//!   lists who under that unit has sent, on time or late.
//! - `POST /reports/forms/{key}/send?org=&period=`: sends it
//!   (`ytcs_engine::statutory::submit`; a correction needs a reason),
//!   for users who may enter the unit's data.
//!
//! Defaults: the unit of the user's scope (its first), the form's last
//! ended period. The engine decides everything; this module reads the
//! query and words refusals.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use ytcs_core::access::Action;
use ytcs_core::org::{OrgCode, OrgUnit};
use ytcs_core::period::Period;
use ytcs_core::statutory::FormDef;
use ytcs_core::Date;
use ytcs_engine::statutory::{
    maker, makers_under, sent_status, sent_status_of, units_day, SentStatus,
};
use ytcs_report::layout::{Block, Document, RowKind};
use ytcs_report::Format;

use crate::app::i18n::forms::state;
use crate::app::page::{error_page, render, Chrome, Page, PageError};
use crate::app::AppState;

/// The query of a form page.
#[derive(Deserialize)]
pub(crate) struct FormQuery {
    org: Option<String>,
    period: Option<String>,
    format: Option<String>,
    sent: Option<String>,
}

/// One unit of the "who has sent" list.
struct UnitLine {
    href: String,
    name: String,
    code: String,
    state: &'static str,
    state_code: &'static str,
    sent: String,
}

#[derive(Template)]
#[template(path = "statutory_form.html")]
struct FormPage {
    c: Chrome,
    key: String,
    org: String,
    period: String,
    /// The filled form, when the unit makes it.
    doc: Option<Document>,
    /// Sent / due / late, in words.
    status: String,
    late: bool,
    /// The send form is shown.
    can_send: bool,
    /// A version was sent (the button says "correction", the reason is required).
    resend: bool,
    just_sent: bool,
    error: String,
    /// Where the hand-entered cells are entered (the data set of the same
    /// key), for those who may enter the unit's data.
    entry_href: String,
    /// Who under the unit has sent (a unit above the form's level).
    units: Vec<UnitLine>,
    units_summary: String,
}

/// The form `key` names in some version (its newest), for defaults.
fn newest<'a>(st: &'a AppState, key: &str) -> Option<&'a FormDef> {
    st.forms
        .forms
        .iter()
        .filter(|f| f.key == key || f.code.eq_ignore_ascii_case(key))
        .max_by_key(|f| f.effective_from)
}

struct Asked<'a> {
    def: &'a FormDef,
    unit: OrgUnit,
    /// No unit asked and several in the user's scope (a health centre's
    /// communes): the list of who has sent among them.
    scope: Option<Vec<OrgUnit>>,
    period: Period,
    h: ytcs_core::hierarchy::Hierarchy,
}

/// Reads the query into a form version, a unit and a period, or the page
/// that says what is wrong.
async fn ask<'a>(
    st: &'a AppState,
    page: &Page,
    key: &str,
    q: &FormQuery,
) -> Result<Result<Asked<'a>, Response>, PageError> {
    let ft = page.lang.forms();
    let today = (st.today)();
    let Some(any) = newest(st, key) else {
        return Ok(Err(error_page(page, StatusCode::NOT_FOUND, |t| {
            t.not_found
        })));
    };
    let period = match q.period.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => ytcs_core::period_text::last_closed(any.period, today),
        Some(p) => match ytcs_core::period_text::read(p) {
            Some(p) => p,
            None => {
                return Ok(Err(error_page(page, StatusCode::BAD_REQUEST, |_| {
                    ft.bad_period
                })))
            }
        },
    };
    let Ok(def) = st.forms.for_period(key, period) else {
        return Ok(Err(error_page(page, StatusCode::BAD_REQUEST, |_| {
            ft.not_in_force
        })));
    };
    let h = st.store.hierarchy().await?;
    let day = units_day(period, today);
    let scope: Vec<OrgCode> = page
        .user
        .as_ref()
        .map(|u| u.principal.scope.clone())
        .unwrap_or_default();
    let scope_first = scope.first().map(|c| c.to_string());
    let asked_org = q.org.as_deref().is_some_and(|s| !s.trim().is_empty());
    let scope_units: Option<Vec<OrgUnit>> = (!asked_org && scope.len() > 1).then(|| {
        scope
            .iter()
            .filter_map(|c| h.unit_at(c, day).cloned())
            .collect()
    });
    let code = q
        .org
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(scope_first)
        .unwrap_or_default();
    let unit = OrgCode::parse(&code)
        .ok()
        .and_then(|c| h.unit_at(&c, day).cloned())
        .or_else(|| {
            // A whole-country scope: the first province by code.
            let roots = h.roots(day);
            let mut provinces: Vec<&OrgUnit> = roots
                .iter()
                .flat_map(|r| h.children(r.id, day))
                .chain(roots.iter().copied())
                .filter(|u| u.kind == ytcs_core::org::OrgKind::Province)
                .collect();
            provinces.sort_by_key(|u| u.code.to_string());
            provinces
                .first()
                .filter(|_| code.is_empty())
                .map(|u| (*u).clone())
        });
    let Some(unit) = unit else {
        return Ok(Err(error_page(page, StatusCode::NOT_FOUND, |_| {
            ft.unknown_org
        })));
    };
    Ok(Ok(Asked {
        def,
        unit,
        scope: scope_units,
        period,
        h,
    }))
}

/// [`ask`], then whether `me` may do `action` on the unit asked (as it
/// stood on the period's last day).
async fn ask_to<'a>(
    st: &'a AppState,
    page: &Page,
    me: &crate::app::auth::Current,
    key: &str,
    q: &FormQuery,
    action: Action,
) -> Result<Result<Asked<'a>, Response>, PageError> {
    let a = match ask(st, page, key, q).await? {
        Ok(a) => a,
        Err(r) => return Ok(Err(r)),
    };
    let day = units_day(a.period, (st.today)());
    if let Err(r) = crate::app::auth::require_unit(st, me, action, &a.unit.code, day, page).await {
        return Ok(Err(r));
    }
    Ok(Ok(a))
}

/// Whether the signed-in user may do `action` on `unit`.
fn allows(
    page: &Page,
    h: &ytcs_core::hierarchy::Hierarchy,
    action: Action,
    unit: &OrgUnit,
    today: Date,
) -> bool {
    page.user.as_ref().is_some_and(|u| {
        crate::app::auth::decide(h, u, action, unit.id, today) == ytcs_core::access::Decision::Allow
    })
}

/// `GET /reports/forms/{key}`.
pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    Path(key): Path<String>,
    Query(q): Query<FormQuery>,
) -> Result<Response, PageError> {
    let a = match ask(&st, &page, &key, &q).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    view(
        &st,
        &page,
        a,
        q.format.as_deref(),
        q.sent.is_some(),
        String::new(),
    )
    .await
}

async fn view(
    st: &AppState,
    page: &Page,
    a: Asked<'_>,
    format: Option<&str>,
    just_sent: bool,
    error: String,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let ft = lang.forms();
    let today = (st.today)();
    let Asked {
        def,
        unit,
        scope,
        period,
        h,
    } = a;
    let makes = unit.kind == maker(def.level);
    if !makes || scope.is_some() {
        // Who under the unit (or among the user's units) has sent.
        let asked_all = scope.is_some();
        let parents = scope.unwrap_or_else(|| vec![unit.clone()]);
        let units = makers_under(&h, def, &parents, units_day(period, today));
        let list = sent_status_of(st.store.as_ref(), def, units, period, today).await?;
        let sent = list.iter().filter(|s| s.sent.is_some()).count();
        let late = list.iter().filter(|s| s.state == "sent_late").count();
        let units = list
            .iter()
            .map(|s| line(lang, &def.key, period, s))
            .collect();
        return Ok(render(&FormPage {
            c: Chrome::new(page, "reports"),
            key: def.key.clone(),
            org: if asked_all {
                String::new()
            } else {
                unit.code.to_string()
            },
            period: period.to_string(),
            doc: None,
            status: ft.other_level.to_string(),
            late: false,
            can_send: false,
            resend: false,
            just_sent,
            error,
            entry_href: String::new(),
            units_summary: (ft.sent_count)(sent, late, list.len()),
            units,
        }));
    }
    let filled = ytcs_engine::statutory::fill(st.store.as_ref(), &h, def, &unit, period, today)
        .await
        .map_err(|e| PageError::from(ytcs_store::StoreError::Invalid(e.to_string())))?;
    if let Some(f) = format
        .map(str::trim)
        .filter(|f| !f.is_empty() && *f != "html")
    {
        if f == "adx" {
            let xml = ytcs_engine::statutory::write_adx(&filled)
                .map_err(|e| PageError::from(ytcs_store::StoreError::Invalid(e.to_string())))?;
            return Ok((
                [
                    (header::CONTENT_TYPE, "application/adx+xml".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"{}.adx.xml\"",
                            ytcs_report::statutory::layout(&filled).file_stem
                        ),
                    ),
                ],
                xml,
            )
                .into_response());
        }
        if f == "json" {
            return Ok((
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_string_pretty(&filled).unwrap_or_default(),
            )
                .into_response());
        }
        let Some(format) = Format::parse(f) else {
            return Ok(error_page(page, StatusCode::BAD_REQUEST, |_| {
                lang.report().bad_format
            }));
        };
        let doc = ytcs_report::statutory::layout(&filled);
        let bytes = match ytcs_report::render_file(&doc, format) {
            Some(Ok(b)) => b,
            _ => {
                return Ok(error_page(page, StatusCode::INTERNAL_SERVER_ERROR, |t| {
                    t.server_error
                }))
            }
        };
        return Ok((
            [
                (header::CONTENT_TYPE, format.content_type().to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}.{}\"",
                        doc.file_stem,
                        format.extension()
                    ),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let mine = sent_status(st.store.as_ref(), &h, def, &unit, period, today).await?;
    let me = mine.first();
    let sent = me.and_then(|s| s.sent.clone());
    let due = ytcs_core::format::date(def.due(period));
    let status = match &sent {
        Some(s) => format!(
            "{} {}",
            (ft.sent)(
                &s.version.to_string(),
                &s.submitted_at
                    .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7"))
                    .format("%d/%m/%Y %H:%M")
                    .to_string(),
                &s.submitted_by
            ),
            if s.late { ft.sent_late } else { "" }
        ),
        None if today > def.due(period) => format!("{} {}", (ft.due)(&due), ft.not_sent_late),
        None => format!("{} {}", (ft.due)(&due), ft.not_sent),
    };
    let late = me.is_some_and(|s| s.state == "late" || s.state == "sent_late");
    let can_send = today > period.end() && allows(page, &h, Action::EnterData, &unit, today);
    // Figures from the registers link to the persons behind them, for
    // those who may read the commune's persons.
    let may_read = unit.kind == ytcs_core::org::OrgKind::Commune
        && allows(page, &h, Action::ReadPersonal, &unit, today);
    let link = |c: &ytcs_engine::statutory::FilledCell| {
        (may_read && c.computed == "registers" && c.value.is_some_and(|v| v > 0.0)).then(|| {
            format!(
                "/reports/forms/{}/cell?org={}&period={period}&row={}&column={}",
                def.key,
                unit.code,
                crate::app::format::urlencode(&c.row),
                crate::app::format::urlencode(&c.column)
            )
        })
    };
    Ok(render(&FormPage {
        c: Chrome::new(page, "reports"),
        key: def.key.clone(),
        org: unit.code.to_string(),
        period: period.to_string(),
        doc: Some(ytcs_report::statutory::layout_linked(&filled, &link)),
        status,
        late,
        can_send,
        resend: sent.is_some(),
        just_sent,
        error,
        entry_href: if can_send
            && filled.cells().any(|c| c.computed == "entered")
            && ytcs_core::aggregate::standard_data_sets()
                .iter()
                .any(|d| d.code == def.key)
        {
            format!(
                "/data/entry?set={}&org={}&period={period}",
                def.key, unit.code
            )
        } else {
            String::new()
        },
        units: Vec::new(),
        units_summary: String::new(),
    }))
}

fn line(lang: crate::app::i18n::Lang, key: &str, period: Period, s: &SentStatus) -> UnitLine {
    UnitLine {
        href: format!("/reports/forms/{key}?org={}&period={period}", s.org),
        name: s.org_name.clone(),
        code: s.org.clone(),
        state: state(lang, s.state),
        state_code: s.state,
        sent: s
            .sent
            .as_ref()
            .map(|x| format!("v{} · {}", x.version, x.submitted_at.format("%d/%m/%Y")))
            .unwrap_or_default(),
    }
}

/// The send form's fields.
#[derive(Deserialize)]
pub(crate) struct SendForm {
    reason: Option<String>,
}

/// `POST /reports/forms/{key}/send?org=&period=`.
pub(crate) async fn send(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(key): Path<String>,
    Query(q): Query<FormQuery>,
    Form(form): Form<SendForm>,
) -> Result<Response, PageError> {
    let a = match ask_to(&st, &page, &me, &key, &q, Action::EnterData).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let today = (st.today)();
    match ytcs_engine::statutory::submit(
        st.store.as_ref(),
        &a.h,
        a.def,
        &a.unit,
        a.period,
        &me.account.username,
        form.reason.as_deref(),
        today,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/reports/forms/{}?org={}&period={}&sent=1",
            a.def.key, a.unit.code, a.period
        ))
        .into_response()),
        Err(e) => {
            let message = if page.lang == crate::app::i18n::Lang::Vi {
                e.vi()
            } else {
                e.to_string()
            };
            let mut r = view(&st, &page, a, None, false, message).await?;
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

/// The forms in force today, for the reports' index: (key, name, code,
/// circular words, link).
pub(crate) fn in_force(
    st: &AppState,
    lang: crate::app::i18n::Lang,
) -> Vec<(String, String, String)> {
    let today = (st.today)();
    let ft = lang.forms();
    st.forms
        .in_force(today)
        .into_iter()
        .map(|f| {
            (
                format!("/reports/forms/{}", f.key),
                format!("{} — {}", f.code, f.name_vi),
                (ft.listed)(
                    &f.circular,
                    f.level.name_vi(),
                    &ytcs_core::period_text::label(
                        ytcs_core::period_text::last_closed(f.period, today),
                        lang == crate::app::i18n::Lang::Vi,
                    ),
                ),
            )
        })
        .collect()
}

#[derive(Template)]
#[template(path = "statutory_calendar.html")]
struct CalendarPage {
    c: Chrome,
    /// (link to the form or the list, the line, late).
    lines: Vec<(String, String, bool)>,
}

/// `GET /reports/calendar`: the reporting calendar of the user's units —
/// each form's running period and last three, with due days and who has
/// sent.
pub(crate) async fn calendar(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
) -> Result<Response, PageError> {
    let today = (st.today)();
    let h = st.store.hierarchy().await?;
    let units = crate::app::scope::scope_units(&h, &me, today);
    let list = ytcs_engine::statutory::due_list(st.store.as_ref(), &h, &st.forms, &units, 3, today)
        .await?;
    let org = if units.len() == 1 {
        units[0].code.to_string()
    } else {
        String::new()
    };
    let lines = list
        .iter()
        .map(|d| {
            (
                format!("/reports/forms/{}?org={org}&period={}", d.key, d.period),
                crate::app::i18n::forms::due_line(page.lang, d),
                d.missing_late > 0,
            )
        })
        .collect();
    Ok(render(&CalendarPage {
        c: Chrome::new(&page, "reports"),
        lines,
    }))
}

/// The query of a cell's drill-down.
#[derive(Deserialize)]
pub(crate) struct CellQuery {
    org: Option<String>,
    period: Option<String>,
    row: String,
    column: String,
}

#[derive(Template)]
#[template(path = "statutory_cell.html")]
struct CellPage {
    c: Chrome,
    heading: String,
    back: String,
    /// (link, name, sex, birth date).
    persons: Vec<(String, String, &'static str, String)>,
}

/// `GET /reports/forms/{key}/cell?org=&period=&row=&column=`: the persons
/// behind a figure of a commune's form, for those who may read the
/// commune's persons; the read is audited like every person-level read.
pub(crate) async fn cell(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(key): Path<String>,
    Query(q): Query<CellQuery>,
) -> Result<Response, PageError> {
    let fq = FormQuery {
        org: q.org.clone(),
        period: q.period.clone(),
        format: None,
        sent: None,
    };
    let a = match ask_to(&st, &page, &me, &key, &fq, Action::ReadPersonal).await? {
        Ok(a) => a,
        Err(r) => return Ok(r),
    };
    let today = (st.today)();
    let persons = match ytcs_engine::statutory::cell_persons(
        st.store.as_ref(),
        &a.h,
        a.def,
        &a.unit,
        a.period,
        &q.row,
        &q.column,
        today,
    )
    .await
    {
        Ok(p) => p,
        Err(ytcs_engine::statutory::CellError::Store(e)) => return Err(e.into()),
        Err(e) => {
            let ft = page.lang.forms();
            let message = match e {
                ytcs_engine::statutory::CellError::Entered(_) => ft.cell_entered,
                ytcs_engine::statutory::CellError::NotACommune => ft.cell_not_commune,
                _ => ft.cell_none,
            };
            return Ok(error_page(&page, StatusCode::BAD_REQUEST, |_| message));
        }
    };
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Read,
        ytcs_core::audit::ObjectKind::Person,
        &format!(
            "cell:{}/{}/{}/{}/{}",
            a.def.key, a.unit.code, a.period, q.row, q.column
        ),
    )
    .unit(a.unit.code.to_string())
    .detail(format!("{} persons", persons.len()))
    .record(&st)
    .await;
    let row = a.def.rows.iter().find(|r| r.code == q.row);
    let column = a.def.column(&q.column);
    let vi = page.lang == crate::app::i18n::Lang::Vi;
    let heading = format!(
        "{} — {} · {} · {} ({})",
        a.def.code,
        row.map(|r| r.label_vi.as_str()).unwrap_or_default(),
        column.map(|c| c.label_vi.as_str()).unwrap_or_default(),
        ytcs_core::period_text::label(a.period, vi),
        persons.len()
    );
    let persons = persons
        .iter()
        .map(|p| {
            (
                format!("/persons/{}", p.id),
                p.full_name.clone(),
                match p.sex {
                    ytcs_core::network::Sex::Male => "Nam",
                    ytcs_core::network::Sex::Female => "Nữ",
                },
                ytcs_core::format::date(p.birth_date),
            )
        })
        .collect();
    Ok(render(&CellPage {
        c: Chrome::new(&page, "reports"),
        heading,
        back: format!(
            "/reports/forms/{}?org={}&period={}",
            a.def.key, a.unit.code, a.period
        ),
        persons,
    }))
}
