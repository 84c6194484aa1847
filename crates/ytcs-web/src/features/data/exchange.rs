//! The data area (`/data`): opening an entry form, importing a file of
//! values (CSV, XLSX or ADX) and exporting values.
//!
//! An import is all or nothing: the file is read whole (every bad row named
//! in Vietnamese), then every distinct unit is asked of the policy on the
//! day its value belongs to (the first unit out of the user's scope refuses
//! the file, by name), then `ValueStore::write_values` writes everything in
//! one transaction or nothing (an approved, locked period refuses it all).

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use ytcs_core::access::{Action, Decision};
use ytcs_core::aggregate::standard_data_sets;
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::period::Period;
use ytcs_engine::exchange::{write_adx, write_csv, write_xlsx};
use ytcs_store::network::WriteError;
use ytcs_store::values::{ValueFilter, ValueWrite};
use ytcs_store::StoreError;

use crate::app::auth::{Current, User};
use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::AppState;

/// At most this many refusals are listed; the rest are counted.
const MAX_LISTED: usize = 50;

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    c: Chrome,
    sets: Vec<(String, String)>,
    imported: String,
    errors: Vec<String>,
    period: String,
}

#[derive(Deserialize)]
pub(crate) struct DataQuery {
    imported: Option<usize>,
    changed: Option<usize>,
}

fn page_view(page: &Page, imported: String, errors: Vec<String>, status: StatusCode) -> Response {
    let lang = page.lang;
    let sets = standard_data_sets()
        .into_iter()
        .map(|s| {
            let name = lang.pick(s.name_vi, s.name_en);
            (s.code, name)
        })
        .collect();
    let mut r = render(&DataPage {
        c: Chrome::new(page, "data"),
        sets,
        imported,
        errors,
        period: String::new(),
    });
    *r.status_mut() = status;
    r
}

/// `GET /data`: the entry, import and export forms (and the outcome of an
/// import just made).
pub(crate) async fn show(page: Page, Query(q): Query<DataQuery>) -> Response {
    let lang = page.lang;
    let imported = match (q.imported, q.changed) {
        (Some(v), c) => (lang.data().imported)(&v.to_string(), &c.unwrap_or(0).to_string()),
        _ => String::new(),
    };
    page_view(&page, imported, Vec::new(), StatusCode::OK)
}

/// `POST /data/import` (multipart, field `file`): all values or none.
pub(crate) async fn import(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let dt = lang.data();
    let refuse = |errors: Vec<String>, status| page_view(&page, String::new(), errors, status);
    use crate::app::upload::{file_field, Upload};
    let (name, bytes) = match file_field(&mut form, "file", "values.csv").await {
        Ok(x) => x,
        Err(Upload::TooLarge) => {
            let too_large = lang.texts().upload_too_large.to_string();
            return Ok(refuse(vec![too_large], StatusCode::PAYLOAD_TOO_LARGE));
        }
        Err(Upload::Missing) => {
            let missing = dt.no_file.to_string();
            return Ok(refuse(vec![missing], StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let h = st.store.hierarchy().await?;
    let format = ytcs_core::file_format::detect(&name, &bytes);
    let writes = match ytcs_engine::exchange::read_file(&h, format, &bytes) {
        Ok(w) => w,
        Err(errs) => {
            let list = ytcs_engine::exchange::error_summary(&errs, lang == Lang::Vi);
            return Ok(refuse(list, StatusCode::UNPROCESSABLE_ENTITY));
        }
    };
    let changed = match write_checked(&st, &me, &h, &writes, lang).await? {
        Ok(changed) => changed,
        Err((list, status)) => return Ok(refuse(list, status)),
    };
    let units: HashSet<_> = writes.iter().map(|w| w.unit).collect();
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Update,
        ObjectKind::DataValue,
        &name,
    )
    .after(serde_json::json!({
        "file": name,
        "format": format.code(),
        "values": writes.len(),
        "changed": changed,
        "units": units.len(),
    }))
    .detail(format!(
        "data import ({}): {} value(s), {changed} changed",
        format.code(),
        writes.len()
    ))
    .record(&st)
    .await;
    Ok(Redirect::to(&format!(
        "/data?imported={}&changed={changed}",
        writes.len()
    ))
    .into_response())
}

/// Writes the values of a file in one transaction, unless some are
/// derived from the station registers (never written by hand), lie
/// outside the user's units, or fall in an approved (locked) period:
/// how many changed, or the messages and status of the refusal.
async fn write_checked(
    st: &AppState,
    me: &Current,
    h: &Hierarchy,
    writes: &[ValueWrite],
    lang: Lang,
) -> Result<Result<usize, (Vec<String>, StatusCode)>, PageError> {
    let dt = lang.data();
    let derived = ytcs_engine::registers::hand_written_derived(st.store.as_ref(), writes).await?;
    if !derived.is_empty() {
        let list = derived
            .into_iter()
            .take(MAX_LISTED)
            .map(|(en, vi)| lang.pick(vi, en))
            .collect();
        return Ok(Err((list, StatusCode::UNPROCESSABLE_ENTITY)));
    }
    if let Some(unit) = out_of_scope(me, h, writes) {
        let msg = (dt.out_of_scope)(unit.code.as_str(), &unit.name);
        return Ok(Err((vec![msg], StatusCode::FORBIDDEN)));
    }
    match st.store.write_values(h, writes, &me.account.username).await {
        Ok(changed) => Ok(Ok(changed)),
        Err(WriteError::Rejected(msgs)) => Ok(Err((msgs, StatusCode::UNPROCESSABLE_ENTITY))),
        Err(WriteError::Store(StoreError::Locked {
            code,
            period,
            approved,
            ..
        })) => Ok(Err((
            vec![(dt.locked)(
                &code,
                &period.to_string(),
                &approved.to_string(),
            )],
            StatusCode::CONFLICT,
        ))),
        Err(WriteError::Store(e)) => Err(e.into()),
    }
}

/// The first unit of `writes` the user may not enter data for, each unit
/// judged on the day its value belongs to, on the loaded hierarchy (no
/// query a unit).
fn out_of_scope<'h>(
    me: &crate::app::auth::Current,
    h: &'h ytcs_core::hierarchy::Hierarchy,
    writes: &[ytcs_store::values::ValueWrite],
) -> Option<&'h ytcs_core::org::OrgUnit> {
    let mut asked = HashSet::new();
    writes
        .iter()
        .filter(|w| asked.insert((w.unit, w.period.end())))
        .filter_map(|w| Some((h.unit(w.unit)?, w.period.end())))
        .find(|(u, at)| {
            crate::app::auth::decide(h, me, Action::EnterData, u.id, *at) != Decision::Allow
        })
        .map(|(u, _)| u)
}

#[derive(Deserialize)]
pub(crate) struct ExportQuery {
    format: Option<String>,
    period: Option<String>,
}

/// `GET /data/export?format=csv|xlsx|adx&period=P`: stored values as a
/// file to download.
pub(crate) async fn export(
    State(st): State<AppState>,
    page: Page,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let dt = lang.data();
    let bad = |msg: &str| {
        page_view(
            &page,
            String::new(),
            vec![msg.to_string()],
            StatusCode::BAD_REQUEST,
        )
    };
    let period: Option<Period> = match q.period.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => match p.parse() {
            Ok(p) => Some(p),
            Err(_) => return Ok(bad(dt.bad_period)),
        },
    };
    let format = q.format.as_deref().unwrap_or("csv");
    if !matches!(format, "csv" | "xlsx" | "adx") {
        return Ok(bad(dt.export_format));
    }
    let h = st.store.hierarchy().await?;
    let values = st
        .store
        .data_values(&ValueFilter {
            element: None,
            period,
            units: None,
            ..ValueFilter::default()
        })
        .await?;
    let (bytes, content_type, ext) = match format {
        "xlsx" => match write_xlsx(&h, &values) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Err(ytcs_engine::EngineError::Other(_)) => return Ok(bad(dt.too_many)),
            Err(e) => {
                tracing::error!(error = %e, "XLSX export failed");
                return Ok(page_view(
                    &page,
                    String::new(),
                    vec![lang.texts().server_error.to_string()],
                    StatusCode::INTERNAL_SERVER_ERROR,
                ));
            }
        },
        "adx" => (
            write_adx(&h, &values).into_bytes(),
            "application/adx+xml; charset=utf-8",
            "xml",
        ),
        _ => (
            write_csv(&h, &values).into_bytes(),
            "text/csv; charset=utf-8",
            "csv",
        ),
    };
    let file = match period {
        Some(p) => format!("ytcs-data-{p}.{ext}"),
        None => format!("ytcs-data.{ext}"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
