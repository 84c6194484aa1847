//! The registers as FHIR R4 over the API: one person's bundle
//! (`GET /api/v1/persons/{id}/fhir`, a logged read of personal data, scoped
//! to the person's commune), a commune's (`GET /api/v1/fhir?commune=&at=`,
//! with the persons of the communes merged into it) and the import of a bundle (`POST /api/v1/fhir`,
//! every commune written into asked of the policy first, then one
//! all-or-nothing save). The work is `ytcs_engine::fhir_registers`.

use std::collections::BTreeSet;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use ytcs_core::access::{Action, Decision};
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_engine::fhir_registers::{
    commune_export, commune_records, communes_of, parse_detailed, person_bundle, resolve_stored,
    save_parsed, FhirError,
};

use crate::app::auth::User;
use crate::app::AppState;

/// A failed FHIR request, answered in JSON in English and Vietnamese:
/// `{"error": {"code", "message", "message_vi"[, "errors"]}}`.
pub(crate) enum FhirApiError {
    /// A status with a code and its message in both languages.
    Plain(StatusCode, &'static str, String, String),
    /// The store failed (logged; the answer names no detail).
    Internal(String),
    /// The bundle is invalid: every problem, by entry and field.
    Invalid(FhirError),
}

impl IntoResponse for FhirApiError {
    fn into_response(self) -> Response {
        match self {
            FhirApiError::Plain(status, code, en, vi) => (
                status,
                Json(json!({"error": {"code": code, "message": en, "message_vi": vi}})),
            )
                .into_response(),
            FhirApiError::Internal(e) => {
                tracing::error!(error = %e, "FHIR registers request failed");
                FhirApiError::Plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the database failed; see the server log".into(),
                    "lỗi cơ sở dữ liệu; xem nhật ký máy chủ".into(),
                )
                .into_response()
            }
            FhirApiError::Invalid(e) => invalid(e),
        }
    }
}

impl From<ytcs_store::StoreError> for FhirApiError {
    fn from(e: ytcs_store::StoreError) -> Self {
        FhirApiError::Internal(e.to_string())
    }
}

impl From<FhirError> for FhirApiError {
    fn from(e: FhirError) -> Self {
        match e {
            FhirError::Store(e) => FhirApiError::Internal(e.to_string()),
            e => FhirApiError::Invalid(e),
        }
    }
}

fn error(status: StatusCode, code: &'static str, en: String, vi: String) -> FhirApiError {
    FhirApiError::Plain(status, code, en, vi)
}

/// `GET /api/v1/persons/{id}/fhir`: the person's record as a FHIR R4
/// Bundle.
pub(crate) async fn person_fhir(
    State(st): State<AppState>,
    User(me): User,
    Path(id): Path<String>,
) -> Result<Response, FhirApiError> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "bad_id",
            format!("'{id}' is not a person id"),
            format!("'{id}' không phải mã người"),
        ));
    };
    // An unknown person and one the user may not read get the same answer,
    // so ids cannot be probed.
    let unknown = || {
        error(
            StatusCode::NOT_FOUND,
            "unknown_person",
            format!("no person with id {id} that you may read"),
            format!("không có người mang mã {id} mà bạn được xem"),
        )
    };
    let rec = st.store.person_record(id).await?.ok_or_else(unknown)?;
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    if crate::app::auth::decide(&h, &me, Action::ReadPersonal, rec.person.commune, today)
        != Decision::Allow
    {
        return Err(unknown());
    }
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Read,
        ObjectKind::Person,
        &id.to_string(),
    )
    .unit(
        h.unit(rec.person.commune)
            .map(|u| u.code.as_str().to_string())
            .unwrap_or_default(),
    )
    .detail("FHIR bundle")
    .record(&st)
    .await;
    let bundle = person_bundle(std::slice::from_ref(&rec), &h);
    Ok((
        [(header::CONTENT_TYPE, "application/fhir+json")],
        bundle.to_string(),
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct ExportQuery {
    commune: Option<String>,
    at: Option<String>,
}

/// `GET /api/v1/fhir?commune=CODE[&at=DATE]`: the persons of a commune —
/// and of the communes merged into it, recorded under the commune of
/// their time — as one FHIR R4 Bundle. A code of before the 2025 reform
/// needs `at`, a day it existed. A read of personal data: the commune
/// (for an old one, the commune holding it today) must be in the user's
/// scope, and the read is logged. The header `X-Ytcs-Commune` names the
/// unit the code resolved to.
pub(crate) async fn commune_fhir(
    State(st): State<AppState>,
    User(me): User,
    Query(q): Query<ExportQuery>,
) -> Result<Response, FhirApiError> {
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let code = q.commune.as_deref().map(str::trim).unwrap_or("");
    if code.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "bad_commune",
            "give the commune's code: ?commune=CODE".into(),
            "cần mã xã: ?commune=MÃ".into(),
        ));
    }
    let at = match q.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => match crate::app::parse_user_date(raw) {
            Some(d) => Some(d),
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "bad_date",
                    format!("'{raw}' is not a date (YYYY-MM-DD or dd/mm/yyyy)"),
                    format!("'{raw}' không phải ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"),
                ))
            }
        },
    };
    let c = commune_export(&h, code, at, today)
        .map_err(|e| error(StatusCode::NOT_FOUND, "unknown_commune", e.en, e.vi))?;
    if crate::app::auth::decide(&h, &me, Action::ReadPersonal, c.unit, today) != Decision::Allow {
        return Err(error(
            StatusCode::FORBIDDEN,
            "out_of_scope",
            format!("the persons of {code} are outside your scope"),
            format!("người của xã {code} nằm ngoài phạm vi của bạn"),
        ));
    }
    let records = commune_records(st.store.as_ref(), &c.communes).await?;
    let described = c.describe(&h);
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Read,
        ObjectKind::Registers,
        &format!("fhir/{code}/{}", c.on),
    )
    .unit(code)
    .detail(format!(
        "FHIR bundle: {} person(s) of {described}",
        records.len()
    ))
    .record(&st)
    .await;
    let bundle = person_bundle(&records, &h);
    let mut resp = (
        [(header::CONTENT_TYPE, "application/fhir+json")],
        bundle.to_string(),
    )
        .into_response();
    // The header carries ASCII only: the code and the day.
    if let Some(u) = h.unit(c.unit) {
        if let Ok(v) = header::HeaderValue::from_str(&format!("{} {}", u.code, c.on)) {
            resp.headers_mut().insert("x-ytcs-commune", v);
        }
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub(crate) struct ImportQuery {
    commune: Option<String>,
}

fn invalid(e: FhirError) -> Response {
    let errors: Vec<serde_json::Value> = e
        .errors()
        .iter()
        .map(|x| {
            json!({"entry": x.entry, "field": x.field, "message": x.to_string(), "message_vi": x.vi()})
        })
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({"error": {"code": "invalid_bundle", "message": e.to_string(), "message_vi": e.vi(), "errors": errors}})),
    )
        .into_response()
}

/// `POST /api/v1/fhir?commune=CODE`: imports a FHIR R4 Bundle of Patients
/// and their events, all or nothing.
pub(crate) async fn import_fhir(
    State(st): State<AppState>,
    User(me): User,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, FhirApiError> {
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let default = match q
        .commune
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(c) => match OrgCode::parse(c)
            .ok()
            .and_then(|code| h.unit_at(&code, today))
            .filter(|u| u.kind == OrgKind::Commune)
        {
            Some(u) => Some(u.id),
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "bad_commune",
                    format!("no commune carries the code '{c}' today"),
                    format!("không có xã mang mã '{c}' vào hôm nay"),
                ))
            }
        },
    };
    let text = String::from_utf8_lossy(&body);
    let mut parsed = parse_detailed(&text, &h, today, default)?;
    resolve_stored(st.store.as_ref(), &mut parsed).await?;
    let communes: BTreeSet<UnitId> = communes_of(&parsed);
    for c in &communes {
        let Some(u) = h.unit(*c) else { continue };
        match crate::app::auth::decide(&h, &me, Action::EnterData, *c, today) {
            Decision::Allow => {}
            _ => {
                return Err(error(
                    StatusCode::FORBIDDEN,
                    "out_of_scope",
                    format!(
                        "your role or scope does not allow entering data for {} {}",
                        u.code, u.name
                    ),
                    format!(
                        "vai trò hoặc phạm vi của bạn không cho phép nhập dữ liệu cho {} {}",
                        u.code, u.name
                    ),
                ))
            }
        }
    }
    let r = save_parsed(st.store.as_ref(), &h, &parsed, &me.account.username, today).await?;
    let codes: Vec<String> = communes
        .iter()
        .filter_map(|c| h.unit(*c).map(|u| u.code.to_string()))
        .collect();
    let mut ev = crate::app::audit::event(
        &me.account.username,
        AuditAction::Create,
        ObjectKind::Registers,
        "fhir",
    )
    .after(json!({"persons": r.persons.iter().map(|(_, id)| id).collect::<Vec<_>>(), "events": r.events}))
    .detail(format!(
        "FHIR import: {} person(s), {} event(s)",
        r.persons.len(),
        r.events
    ));
    if let Some(first) = codes.first() {
        ev = ev.unit(first.clone());
    }
    ev.record(&st).await;
    Ok(Json(json!({
        "persons": r.persons.iter().map(|(url, id)| json!({"fullUrl": url, "id": id})).collect::<Vec<_>>(),
        "events": r.events,
        "ids": r.ids,
        "review": r.review.iter().map(|c| json!({
            "commune": c.commune, "registered": c.registered,
            "population": c.population, "message_vi": c.vi(),
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}
