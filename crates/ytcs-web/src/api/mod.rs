//! The JSON API under `/api/v1`, and `/healthz`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use ytcs_core::org::OrgCode;
use ytcs_store::view::{org_view, UnitRef};

use crate::app::{parse_at, AppState};

mod fhir;

/// An API error: a status, a stable machine code and a message.
pub(crate) struct ApiError(StatusCode, &'static str, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.0,
            Json(json!({ "error": { "code": self.1, "message": self.2 } })),
        )
            .into_response()
    }
}

impl From<ytcs_store::StoreError> for ApiError {
    fn from(e: ytcs_store::StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the database failed; see the server log".into(),
        )
    }
}

#[derive(Deserialize)]
pub(crate) struct AtQuery {
    at: Option<String>,
}

fn bad_date(s: &str) -> ApiError {
    ApiError(
        StatusCode::BAD_REQUEST,
        "bad_date",
        format!("'{s}' is not a date: use YYYY-MM-DD"),
    )
}

/// `GET /api/v1/org/{code}?at=YYYY-MM-DD`: the unit carrying the code then.
pub(crate) async fn org_show(
    State(st): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Json<ytcs_store::view::OrgView>, ApiError> {
    let code = OrgCode::parse(&code)
        .map_err(|e| ApiError(StatusCode::BAD_REQUEST, "bad_code", e.to_string()))?;
    let at = parse_at(q.at.as_deref(), (st.today)())
        .map_err(|_| bad_date(q.at.as_deref().unwrap_or("")))?;
    match org_view(st.store.as_ref(), &code, at).await? {
        Some(v) => Ok(Json(v)),
        None => Err(ApiError(
            StatusCode::NOT_FOUND,
            "unknown_unit",
            format!("no unit carries code {code} on {at}"),
        )),
    }
}

#[derive(Deserialize)]
pub(crate) struct SearchQuery {
    q: Option<String>,
    at: Option<String>,
    limit: Option<i64>,
}

/// `GET /api/v1/org?q=…&at=…&limit=…`: units by name or code.
pub(crate) async fn search_units(
    State(st): State<AppState>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Vec<UnitRef>>, ApiError> {
    let text = q.q.unwrap_or_default();
    if text.chars().count() > 200 {
        return Err(ApiError(
            StatusCode::BAD_REQUEST,
            "query_too_long",
            "q must be at most 200 characters".into(),
        ));
    }
    let at = match q.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_at(Some(s), (st.today)()).map_err(|_| bad_date(s))?),
    };
    let units = st
        .store
        .search_units(&text, at, q.limit.unwrap_or(50))
        .await?;
    Ok(Json(units.iter().map(UnitRef::from).collect()))
}

#[derive(Deserialize)]
pub(crate) struct AnalyticsQuery {
    indicator: Option<String>,
    org: Option<String>,
    period: Option<String>,
    at: Option<String>,
}

/// `GET /api/v1/analytics?indicator=…&org=…&period=…&at=…`: figures of
/// the one engine ([`ytcs_engine::analytics`]); open to every signed-in
/// user, like the pages of aggregate data.
pub(crate) async fn analytics(
    State(st): State<AppState>,
    Query(q): Query<AnalyticsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    use ytcs_engine::analytics::{run, Query as Analytics};
    let at = parse_at(q.at.as_deref(), (st.today)())
        .map_err(|_| bad_date(q.at.as_deref().unwrap_or("")))?;
    let h = st.store.hierarchy().await?;
    let query = Analytics::parse(
        &h,
        q.indicator.as_deref().unwrap_or(""),
        q.org.as_deref().unwrap_or(""),
        q.period.as_deref().unwrap_or(""),
        at,
    )
    .map_err(|e| ApiError(StatusCode::BAD_REQUEST, "bad_query", e.to_string()))?;
    let cells = run(st.store.as_ref(), &h, &query)
        .await
        .map_err(|e| match e {
            ytcs_engine::EngineError::Store(e) => ApiError::from(e),
            e @ (ytcs_engine::EngineError::Eval(_) | ytcs_engine::EngineError::Network(_)) => {
                ApiError(StatusCode::BAD_REQUEST, "bad_query", e.to_string())
            }
            e => {
                tracing::error!(error = %e, "analytics failed");
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "the query failed; see the server log".into(),
                )
            }
        })?;
    Ok(Json(json!({ "at": at.to_string(), "cells": cells })))
}

/// `GET /healthz`: 200 when the database answers.
pub(crate) async fn healthz(State(st): State<AppState>) -> Response {
    match st.store.meta(ytcs_store::META_ADMIN_UNITS).await {
        Ok(_) => Json(json!({ "status": "ok", "engine": st.store.engine() })).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable" })),
            )
                .into_response()
        }
    }
}

/// `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1.
pub(crate) async fn openapi() -> Json<serde_json::Value> {
    Json(openapi_document())
}

/// The OpenAPI document (kept beside the handlers it describes; a test
/// checks every API route appears in it).
pub fn openapi_document() -> serde_json::Value {
    let unit_ref = json!({
        "type": "object",
        "required": ["code", "name", "kind"],
        "properties": {
            "code": { "type": "string" }, "name": { "type": "string" },
            "kind": { "type": "string", "enum": ["country", "province", "district", "commune", "village", "facility", "agency"] },
            "valid_from": { "type": ["string", "null"], "format": "date" },
            "valid_to": { "type": ["string", "null"], "format": "date" }
        }
    });
    let error = json!({
        "type": "object",
        "properties": { "error": { "type": "object", "properties": { "code": { "type": "string" }, "message": { "type": "string" } } } }
    });
    json!({
        "openapi": "3.1.0",
        "info": { "title": "ytcs API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "JSON API of ytcs, the information system of Vietnam's grassroots health network." },
        "paths": {
            "/healthz": { "get": { "summary": "Liveness and database check", "responses": {
                "200": { "description": "healthy" }, "503": { "description": "database unavailable" } } } },
            "/api/v1/org/{code}": { "get": {
                "summary": "The unit carrying a code on a date, with ancestors, children and lineage",
                "parameters": [
                    { "name": "code", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "at", "in": "query", "required": false, "schema": { "type": "string", "format": "date" }, "description": "as of this date (default: today in Vietnam)" }
                ],
                "responses": {
                    "200": { "description": "the unit", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OrgView" } } } },
                    "400": { "description": "bad code or date", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "404": { "description": "no unit carries the code on that date", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                } } },
            "/api/v1/org": { "get": {
                "summary": "Search units by name (with or without diacritics) or code",
                "parameters": [
                    { "name": "q", "in": "query", "schema": { "type": "string", "maxLength": 200 } },
                    { "name": "at", "in": "query", "schema": { "type": "string", "format": "date" } },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 50 } }
                ],
                "responses": { "200": { "description": "matching units", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/UnitRef" } } } } },
                               "400": { "description": "bad date or query", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
            "/api/v1/analytics": { "get": {
                "summary": "Figures of indicators × units × periods, with the units as they stood on a date: the values, flags and coverage the pages and `ytcs indicator value --json` show (one engine). Open to every signed-in user",
                "parameters": [
                    { "name": "indicator", "in": "query", "required": true, "schema": { "type": "string" }, "description": "comma-separated codes: network indicators, formulas over aggregate data, data elements" },
                    { "name": "org", "in": "query", "required": true, "schema": { "type": "string" }, "description": "comma-separated unit codes as of `at`; the word `children` adds the children of the codes before it (`51,children`)" },
                    { "name": "period", "in": "query", "required": true, "schema": { "type": "string" }, "description": "comma-separated periods: 2024, 2024Q2, 2024-06 (network indicators are yearly)" },
                    { "name": "at", "in": "query", "required": false, "schema": { "type": "string", "format": "date" }, "description": "units as they stood on this date, lineage included (default: today in Vietnam)" }
                ],
                "responses": {
                    "200": { "description": "one cell per indicator × period × unit, in that order", "content": { "application/json": { "schema": { "type": "object", "properties": {
                        "at": { "type": "string", "format": "date" },
                        "cells": { "type": "array", "items": { "$ref": "#/components/schemas/Cell" } } } } } } },
                    "400": { "description": "an unknown code, unit or period, a missing list, or more than 20,000 cells (the message names which)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "401": { "description": "not signed in" } } } },
            "/api/v1/openapi.json": { "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI document" } } } },
            "/api/v1/plans": {
                "get": { "summary": "Stored plans, summarised", "responses": { "200": { "description": "plans",
                    "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/PlanSummary" } } } } } } },
                "post": { "summary": "Read a plan document (request body: DOCX or UTF-8 text) and store it",
                    "parameters": [ { "name": "name", "in": "query", "schema": { "type": "string" }, "description": "file name; `.docx` selects DOCX when the body is not a zip" } ],
                    "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
                    "responses": {
                        "201": { "description": "stored", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } } },
                        "200": { "description": "the same document was stored before", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } } },
                        "422": { "description": "the document cannot be read", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
            "/api/v1/plans/{id}/fhir": { "get": { "summary": "The plan's targets and results as a FHIR R4 Bundle: a Measure per indicator, a Goal per linked target (subject the unit, due 31 December of its year), a MeasureReport per target unit and year with data (numerator, denominator, score)",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } },
                    { "name": "at", "in": "query", "required": false, "schema": { "type": "string", "format": "date" }, "description": "units as they stood on this date (default: the scorecard's date)" } ],
                "responses": {
                    "200": { "description": "a Bundle of type collection", "content": { "application/fhir+json": { "schema": { "type": "object" } } } },
                    "400": { "description": "bad id or date", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "404": { "description": "no such plan", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } },
            "/api/v1/persons/{id}/fhir": { "get": { "summary": "One person's register record as a FHIR R4 Bundle (collection): Patient (ytcs id, citizen id, insurance cards as identifiers, commune in the address extension urn:ytcs:commune), Immunization, Observation (weight, height, blood pressure, fasting glucose), Condition (hypertension, diabetes), Encounter (examinations). A read of personal data: scoped to the person's commune and logged",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
                "responses": {
                    "200": { "description": "a Bundle of type collection", "content": { "application/fhir+json": { "schema": { "type": "object" } } } },
                    "400": { "description": "bad id", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } },
                    "403": { "description": "the person's commune is outside the user's scope" },
                    "404": { "description": "no such person", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } } } } },
            "/api/v1/fhir": { "get": { "summary": "The persons of a commune as one FHIR R4 Bundle (collection), with the persons of the communes merged into it in the 2025 reform (recorded under the commune of their time). A read of personal data: scoped to the commune (for a former commune, the one holding it today) and logged",
                "parameters": [ { "name": "commune", "in": "query", "required": true, "schema": { "type": "string" }, "description": "the commune's code on the day `at`" },
                    { "name": "at", "in": "query", "required": false, "schema": { "type": "string", "format": "date" }, "description": "the day the code is read on (default today); a code of before the reform needs a day it existed" } ],
                "responses": {
                    "200": { "description": "a Bundle of type collection; the header X-Ytcs-Commune names the unit's code and the day it was resolved on", "content": { "application/fhir+json": { "schema": { "type": "object" } } } },
                    "400": { "description": "no code, or a bad date", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } },
                    "403": { "description": "the commune is outside the user's scope", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } },
                    "404": { "description": "no commune carries the code on that day (the message says until when it did and which commune holds it today)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } } } },
                "post": { "summary": "Import a FHIR R4 Bundle (transaction, batch or collection) of Patients and their Immunizations, Observations, Conditions and Encounters into the registers, all or nothing; references by fullUrl or Patient/<ytcs id>; every commune written into must be in the user's scope",
                "parameters": [ { "name": "commune", "in": "query", "required": false, "schema": { "type": "string" }, "description": "code of the commune of Patients whose address carries no urn:ytcs:commune extension" } ],
                "requestBody": { "required": true, "content": { "application/fhir+json": { "schema": { "type": "object" } }, "application/json": { "schema": { "type": "object" } } } },
                "responses": {
                    "200": { "description": "saved: the new persons' ids by Patient fullUrl, the number of events, every placeholder's id",
                        "content": { "application/json": { "schema": { "type": "object", "properties": {
                            "persons": { "type": "array", "items": { "type": "object", "properties": { "fullUrl": { "type": "string" }, "id": { "type": "integer" } } } },
                            "events": { "type": "integer" }, "ids": { "type": "object" } } } } } },
                    "400": { "description": "unknown default commune", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } },
                    "403": { "description": "a commune of the bundle is outside the user's scope", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } },
                    "422": { "description": "the bundle was refused, nothing saved: every problem with its entry and field, in English and Vietnamese", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/FhirError" } } } } } } },
            "/api/v1/session": {
                "post": { "summary": "Sign in; the returned token goes in `Authorization: Bearer` (a session cookie is set too)",
                    "security": [],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["username", "password"],
                        "properties": { "username": { "type": "string" }, "password": { "type": "string" } } } } } },
                    "responses": {
                        "200": { "description": "signed in", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Session" } } } },
                        "400": { "description": "not {\"username\",\"password\"} JSON" },
                        "401": { "description": "wrong username or password" },
                        "429": { "description": "too many failed sign-ins for this account or address within 15 minutes; see Retry-After" } } },
                "get": { "summary": "Who the session belongs to", "responses": { "200": { "description": "the user",
                    "content": { "application/json": { "schema": { "type": "object", "properties": { "user": { "$ref": "#/components/schemas/User" } } } } } } } },
                "delete": { "summary": "Sign out (the token stops working)", "responses": { "204": { "description": "signed out" } } } },
            "/api/v1/plans/{id}": { "get": { "summary": "A plan in the ytcs.plan/1 contract, with its id",
                "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } } ],
                "responses": {
                    "200": { "description": "the plan", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Plan" } } } },
                    "400": { "description": "bad id", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                    "404": { "description": "no such plan", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } } } } }
        },
        "security": [ { "bearer": [] } ],
        "components": {
          "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer",
              "description": "the token from POST /api/v1/session; a browser's session cookie works too, with the session's csrf token in X-CSRF-Token on unsafe requests" } },
          "schemas": {
            "Session": { "type": "object", "required": ["token", "csrf", "expires_at", "user"], "properties": {
                "token": { "type": "string" }, "csrf": { "type": "string" }, "expires_at": { "type": "string", "format": "date-time" },
                "user": { "$ref": "#/components/schemas/User" } } },
            "User": { "type": "object", "properties": {
                "username": { "type": "string" }, "display_name": { "type": "string" },
                "role": { "type": "string", "enum": ["viewer", "data_entry", "reviewer", "manager", "admin"] },
                "scope": { "type": "array", "items": { "type": "string" } }, "must_change_password": { "type": "boolean" } } },
            "UnitRef": unit_ref,
            "Cell": { "type": "object", "required": ["code", "org", "org_name", "period", "at", "value", "reliable", "flags"], "properties": {
                "code": { "type": "string" }, "org": { "type": "string" }, "org_name": { "type": "string" },
                "period": { "type": "string" }, "at": { "type": "string", "format": "date" },
                "value": { "type": ["number", "null"], "description": "null: no data; counts exact to the thousandth" },
                "numerator": { "type": ["number", "null"] }, "denominator": { "type": ["number", "null"] },
                "reliable": { "type": "boolean", "description": "false: show only with the note (small numbers, implausible, incomplete coverage, partial period)" },
                "flags": { "type": "array", "items": { "type": "string", "enum": ["small_numbers", "implausible", "incomplete_coverage", "insufficient_coverage", "partial_period"] } },
                "coverage": { "type": ["object", "null"], "properties": { "with_data": { "type": "integer" }, "units": { "type": "integer" } } },
                "ci95": { "type": ["array", "null"], "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
                "note": { "type": ["string", "null"] }, "note_vi": { "type": ["string", "null"] } } },
            "Lineage": { "allOf": [ { "$ref": "#/components/schemas/UnitRef" }, { "type": "object", "properties": {
                "lineage": { "type": "string", "enum": ["merge", "split", "rename", "level_abolished"] },
                "date": { "type": "string", "format": "date" }, "weight": { "type": "number" }, "note": { "type": ["string", "null"] } } } ] },
            "OrgView": { "type": "object", "required": ["code", "name", "kind", "at", "ancestors", "children", "predecessors", "successors"],
                "properties": {
                    "code": { "type": "string" }, "name": { "type": "string" }, "kind": { "type": "string" },
                    "valid_from": { "type": ["string", "null"], "format": "date" }, "valid_to": { "type": ["string", "null"], "format": "date" },
                    "at": { "type": "string", "format": "date" },
                    "ancestors": { "type": "array", "items": { "$ref": "#/components/schemas/UnitRef" }, "description": "nearest first" },
                    "children": { "type": "array", "items": { "$ref": "#/components/schemas/UnitRef" } },
                    "predecessors": { "type": "array", "items": { "$ref": "#/components/schemas/Lineage" } },
                    "successors": { "type": "array", "items": { "$ref": "#/components/schemas/Lineage" } },
                    "same_code": { "type": "array", "items": { "$ref": "#/components/schemas/UnitRef" } }
                } },
            "PlanSummary": { "type": "object", "required": ["id", "kind"], "properties": {
                "id": { "type": "integer" }, "number": { "type": ["string", "null"] }, "date": { "type": ["string", "null"], "format": "date" },
                "issuer": { "type": ["string", "null"] }, "title": { "type": ["string", "null"] }, "kind": { "type": "string" },
                "confirmed_at": { "type": ["string", "null"], "format": "date-time" } } },
            "Plan": { "type": "object", "description": "Contract ytcs.plan/1 (see shared/contracts/plan-json.md) plus `id`",
                "required": ["schema", "source", "kind", "legal_bases", "targets", "tasks", "budget", "reporting", "recipients", "warnings"],
                "properties": {
                    "id": { "type": "integer" }, "schema": { "const": "ytcs.plan/1" },
                    "source": { "type": "object", "properties": { "file": { "type": "string" }, "sha256": { "type": "string" }, "format": { "enum": ["text", "docx"] } } },
                    "kind": { "type": "string" }, "number": { "type": ["string", "null"] }, "date": { "type": ["string", "null"], "format": "date" },
                    "issuer": { "type": ["string", "null"] }, "title": { "type": ["string", "null"] },
                    "legal_bases": { "type": "array", "items": { "type": "object" } }, "targets": { "type": "array", "items": { "type": "object" } },
                    "tasks": { "type": "array", "items": { "type": "object" } }, "budget": { "type": "array", "items": { "type": "object" } },
                    "reporting": { "type": "array", "items": { "type": "object" } }, "recipients": { "type": "array", "items": { "type": "string" } },
                    "signer": { "type": ["object", "null"] }, "warnings": { "type": "array", "items": { "type": "string" } } } },
            "FhirError": { "type": "object", "properties": { "error": { "type": "object", "properties": {
                "code": { "type": "string" }, "message": { "type": "string" }, "message_vi": { "type": "string" },
                "errors": { "type": "array", "items": { "type": "object", "properties": {
                    "entry": { "type": ["integer", "null"] }, "field": { "type": "string" },
                    "message": { "type": "string" }, "message_vi": { "type": "string" } } } } } } } },
            "Error": error
        } }
    })
}

/// `GET /api/v1/plans`: every stored plan, summarised.
pub(crate) async fn list_plans(
    State(st): State<AppState>,
) -> Result<Json<Vec<ytcs_store::plans::PlanSummary>>, ApiError> {
    Ok(Json(st.store.list_plans().await?))
}

/// `GET /api/v1/plans/{id}`: the plan in the `ytcs.plan/1` contract, with its id.
pub(crate) async fn get_plan(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "bad_id",
            format!("'{id}' is not a plan id"),
        )
    })?;
    match st.store.get_plan(id).await? {
        Some(stored) => Ok(Json(ytcs_store::plans::IdentifiedPlan {
            id,
            plan: &stored.plan,
        })
        .into_response()),
        None => Err(ApiError(
            StatusCode::NOT_FOUND,
            "unknown_plan",
            format!("no plan with id {id}"),
        )),
    }
}

/// `GET /api/v1/plans/{id}/fhir?at=`: the plan's targets and results as a
/// FHIR R4 Bundle (Measure, Goal, MeasureReport).
pub(crate) async fn plan_fhir(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AtQuery>,
) -> Result<Response, ApiError> {
    let id: i64 = id.parse().map_err(|_| {
        ApiError(
            StatusCode::BAD_REQUEST,
            "bad_id",
            format!("'{id}' is not a plan id"),
        )
    })?;
    let unknown = || {
        ApiError(
            StatusCode::NOT_FOUND,
            "unknown_plan",
            format!("no plan with id {id}"),
        )
    };
    st.store.get_plan(id).await?.ok_or_else(unknown)?;
    let h = st.store.hierarchy().await?;
    let today = (st.today)();
    let at = match q.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.parse().map_err(|_| {
            ApiError(
                StatusCode::BAD_REQUEST,
                "bad_date",
                format!("'{s}' is not a date: use YYYY-MM-DD"),
            )
        })?,
        None => today,
    };
    let engine_error = |e: ytcs_engine::EngineError| {
        tracing::error!(error = %e, "FHIR export failed");
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the export failed; see the server log".into(),
        )
    };
    let rows = ytcs_engine::scorecard::scorecard(st.store.as_ref(), &h, id, at)
        .await
        .map_err(engine_error)?
        .ok_or_else(unknown)?;
    let bundle = ytcs_engine::fhir::plan_bundle(st.store.as_ref(), &h, id, &rows, at)
        .await
        .map_err(engine_error)?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/fhir+json")],
        Json(bundle),
    )
        .into_response())
}

#[derive(Deserialize)]
pub(crate) struct UploadQuery {
    name: Option<String>,
}

/// `POST /api/v1/plans?name=FILE`: the request body is a plan document
/// (DOCX or text); it is read and stored. 201 when new, 200 when the same
/// document was stored before, 422 when it cannot be read.
pub(crate) async fn upload_plan(
    State(st): State<AppState>,
    crate::app::auth::User(me): crate::app::auth::User,
    Query(q): Query<UploadQuery>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let name = q.name.unwrap_or_else(|| "document.txt".into());
    let (plan, text) = ytcs_plandoc::read_document(&name, &body).map_err(|e| {
        ApiError(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_document",
            e.to_string(),
        )
    })?;
    let (id, created) = st.store.insert_plan(&plan, &text).await?;
    if created {
        crate::app::audit::event(
            &me.account.username,
            ytcs_core::audit::AuditAction::Create,
            ytcs_core::audit::ObjectKind::Plan,
            &id.to_string(),
        )
        .after(serde_json::json!({"file": name, "number": plan.number, "title": plan.title}))
        .record(&st)
        .await;
    }
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let stored = st.store.get_plan(id).await?.ok_or_else(|| {
        ApiError(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "stored plan vanished".into(),
        )
    })?;
    Ok((
        status,
        Json(ytcs_store::plans::IdentifiedPlan {
            id,
            plan: &stored.plan,
        }),
    )
        .into_response())
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/healthz", Need::Public, healthz),
        r(M::GET, "/api/v1/openapi.json", Need::Public, openapi),
        r(M::GET, "/api/v1/org", Need::Signed(Read), search_units),
        r(M::GET, "/api/v1/analytics", Need::Signed(Read), analytics),
        r(M::GET, "/api/v1/org/{code}", Need::Signed(Read), org_show),
        r(M::GET, "/api/v1/plans", Need::Signed(Read), list_plans),
        r(
            M::POST,
            "/api/v1/plans",
            Need::Signed(ManagePlans),
            upload_plan,
        ),
        r(M::GET, "/api/v1/plans/{id}", Need::Signed(Read), get_plan),
        r(
            M::GET,
            "/api/v1/plans/{id}/fhir",
            Need::Signed(Read),
            plan_fhir,
        ),
        r(
            M::GET,
            "/api/v1/persons/{id}/fhir",
            Need::Signed(ReadPersonal),
            fhir::person_fhir,
        ),
        r(
            M::GET,
            "/api/v1/fhir",
            Need::Signed(ReadPersonal),
            fhir::commune_fhir,
        ),
        r(
            M::POST,
            "/api/v1/fhir",
            Need::Signed(EnterData),
            fhir::import_fhir,
        ),
    ]
}
