//! The web face of ytcs: HTML pages in Vietnamese (English switchable), the
//! JSON API under `/api/v1` with its OpenAPI document, and `/healthz`.
//!
//! Handlers are thin: extract and validate, call the store or a read model,
//! render. This is the only crate that knows HTTP and HTML.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
mod criteria_pages;
mod data_entry;
pub mod i18n;
mod indicator_pages;
mod network_pages;
mod pages;
mod plan_form;
mod plan_pages;
mod svg;
mod tracking_pages;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use ytcs_core::Date;
use ytcs_store::Store;

pub use network_pages::NetworkCache;

/// Everything a handler needs, in one place.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Today's civil date in Vietnam, asked anew on each request.
    pub today: fn() -> Date,
    /// What the network pages derived from the hierarchy and registry,
    /// reused until the store's network generation changes.
    pub network_cache: Arc<NetworkCache>,
}

impl AppState {
    /// State over a store, with "today" taken from the clock in Vietnam
    /// (UTC+7, no daylight saving).
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState {
            store,
            today: today_in_vietnam,
            network_cache: Arc::default(),
        }
    }
}

/// Today's date in Asia/Ho_Chi_Minh.
pub fn today_in_vietnam() -> Date {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// The whole application: pages, API, static assets, with request logging
/// and security headers.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/network", get(pages::network))
        .route("/org/{code}", get(pages::unit))
        .route("/org/{code}/network", get(network_pages::unit_network))
        .route("/org/{code}/network/{form}", post(network_pages::save))
        .route("/network/templates/{file}", get(network_pages::template))
        .route("/lang/{lang}", get(pages::set_lang))
        .route("/plans", get(plan_pages::list).post(plan_pages::upload))
        .route("/plans/{id}", get(plan_pages::show))
        .route(
            "/plans/{id}/review",
            get(plan_pages::review).post(plan_pages::save_review),
        )
        .route("/plans/{id}/confirm", post(plan_pages::confirm))
        .route("/targets", get(indicator_pages::index))
        .route("/indicators/{code}", get(indicator_pages::indicator))
        .route("/plans/{id}/scorecard", get(indicator_pages::scorecard))
        .route("/tasks", get(tracking_pages::tasks))
        .route(
            "/plans/{id}/task",
            get(tracking_pages::task).post(tracking_pages::save_task_update),
        )
        .route("/plans/{id}/reports", post(tracking_pages::submit_report))
        .route("/plans/{id}/budget", post(tracking_pages::add_budget_entry))
        .route("/evidence/{update}", get(tracking_pages::evidence))
        .route(
            "/org/{code}/criteria",
            get(criteria_pages::show).post(criteria_pages::save),
        )
        .route("/data", get(pages::area_data))
        .route("/data/entry", get(data_entry::show).post(data_entry::save))
        .route("/records", get(pages::area_records))
        .route("/reports", get(pages::area_reports))
        .route("/admin", get(pages::area_admin))
        .route("/static/app.css", get(pages::stylesheet))
        .route("/healthz", get(api::healthz))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/org", get(api::search_units))
        .route("/api/v1/org/{code}", get(api::org_show))
        .route("/api/v1/plans", get(api::list_plans).post(api::upload_plan))
        .route("/api/v1/plans/{id}", get(api::get_plan))
        .fallback(pages::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(plan_pages::MAX_UPLOAD_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// A date typed by a person: ISO `2025-07-01` (what `<input type=date>`
/// sends) or the Vietnamese `01/7/2025`, `ngày 1 tháng 7 năm 2025`.
pub(crate) fn parse_user_date(s: &str) -> Option<Date> {
    let s = s.trim();
    s.parse::<Date>()
        .ok()
        .or_else(|| ytcs_core::plan::vn::parse_date(s))
}

/// Reads an optional `at` date (`YYYY-MM-DD`); empty means today.
pub(crate) fn parse_at(at: Option<&str>, today: Date) -> Result<Date, ()> {
    match at.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn typed_dates_are_read_in_iso_and_vietnamese_forms() {
        for s in ["2025-07-01", " 01/7/2025 ", "ngày 01 tháng 7 năm 2025"] {
            assert_eq!(
                super::parse_user_date(s).map(|d| d.to_string()).as_deref(),
                Some("2025-07-01"),
                "{s}"
            );
        }
        assert_eq!(super::parse_user_date("31/02/2025"), None);
    }
}
