//! The web face of ytcs: HTML pages in Vietnamese (English switchable), the
//! JSON API under `/api/v1` with its OpenAPI document, and `/healthz`.
//!
//! Handlers are thin: extract and validate, call the store or a read model,
//! render. This is the only crate that knows HTTP and HTML.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod account_pages;
mod api;
mod audit;
mod audit_pages;
pub mod auth;
mod criteria_pages;
mod dashboard;
mod data_entry;
mod data_exchange;
mod fhir_api;
mod figure;
pub mod i18n;
mod indicator_pages;
pub mod load;
mod network_pages;
mod pages;
mod plan_form;
mod plan_mark;
mod plan_pages;
mod register_pages;
mod report_pages;
pub mod server;
mod svg;
mod tracking_pages;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::middleware;
use axum::routing::{MethodFilter, MethodRouter};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use ytcs_core::access::Action;
use ytcs_core::Date;
use ytcs_store::Store;

pub use auth::{Need, Throttle};
pub use network_pages::NetworkCache;
pub use report_pages::report_html;

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
    /// Failed sign-ins, for throttling.
    pub throttle: Arc<Throttle>,
}

impl AppState {
    /// State over a store, with "today" taken from the clock in Vietnam
    /// (UTC+7, no daylight saving).
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState {
            store,
            today: today_in_vietnam,
            network_cache: Arc::default(),
            throttle: Arc::default(),
        }
    }
}

/// Today's date in Asia/Ho_Chi_Minh.
pub fn today_in_vietnam() -> Date {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// One route: method, path, what it needs, and its handler.
struct Route {
    method: Method,
    path: &'static str,
    need: Need,
    handler: MethodRouter<AppState>,
}

fn r<H, T>(method: Method, path: &'static str, need: Need, handler: H) -> Route
where
    H: axum::handler::Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Route {
        method,
        path,
        need,
        handler: axum::routing::on(filter, handler),
    }
}

/// The route table: every route, what it needs, and who handles it. The
/// router is built from it and the policy layer reads it, so a route cannot
/// exist without a rule.
fn routes() -> Vec<Route> {
    use Action::*;
    use Method as M;
    const PUBLIC: Need = Need::Public;
    let s = Need::Signed;
    vec![
        r(M::GET, "/login", PUBLIC, account_pages::login_page),
        r(M::POST, "/login", PUBLIC, account_pages::login),
        r(M::POST, "/logout", s(OwnAccount), account_pages::logout),
        r(
            M::GET,
            "/account/password",
            s(OwnAccount),
            account_pages::password_page_after,
        ),
        r(
            M::POST,
            "/account/password",
            s(OwnAccount),
            account_pages::change_password,
        ),
        r(M::GET, "/static/app.css", PUBLIC, pages::stylesheet),
        r(M::GET, "/static/review.js", PUBLIC, pages::review_script),
        r(M::GET, "/healthz", PUBLIC, api::healthz),
        r(M::GET, "/api/v1/openapi.json", PUBLIC, api::openapi),
        r(M::POST, "/api/v1/session", PUBLIC, account_pages::api_login),
        r(
            M::GET,
            "/api/v1/session",
            s(OwnAccount),
            account_pages::api_whoami,
        ),
        r(
            M::DELETE,
            "/api/v1/session",
            s(OwnAccount),
            account_pages::api_logout,
        ),
        r(M::GET, "/", s(Read), pages::overview),
        r(M::GET, "/network", s(Read), pages::network),
        r(M::GET, "/org/{code}", s(Read), pages::unit),
        r(M::GET, "/org/{code}/dashboard", s(Read), dashboard::show),
        r(
            M::GET,
            "/org/{code}/network",
            s(Read),
            network_pages::unit_network,
        ),
        r(
            M::POST,
            "/org/{code}/network/{form}",
            s(ManageNetwork),
            network_pages::save,
        ),
        r(
            M::GET,
            "/network/templates/{file}",
            s(Read),
            network_pages::template,
        ),
        r(M::GET, "/lang/{lang}", s(OwnAccount), pages::set_lang),
        r(M::GET, "/plans", s(Read), plan_pages::list),
        r(M::POST, "/plans", s(ManagePlans), plan_pages::upload),
        r(M::GET, "/plans/{id}", s(Read), plan_pages::show),
        r(M::GET, "/plans/{id}/review", s(Read), plan_pages::review),
        r(
            M::POST,
            "/plans/{id}/review",
            s(ManagePlans),
            plan_pages::save_review,
        ),
        r(
            M::GET,
            "/plans/{id}/review/mark",
            s(Read),
            plan_mark::mark_form,
        ),
        r(
            M::POST,
            "/plans/{id}/review/mark",
            s(ManagePlans),
            plan_mark::save_mark,
        ),
        r(
            M::POST,
            "/plans/{id}/confirm",
            s(ManagePlans),
            plan_pages::confirm,
        ),
        r(M::GET, "/targets", s(Read), indicator_pages::index),
        r(
            M::GET,
            "/indicators/{code}",
            s(Read),
            indicator_pages::indicator,
        ),
        r(
            M::GET,
            "/plans/{id}/scorecard",
            s(Read),
            indicator_pages::scorecard,
        ),
        r(M::GET, "/plans/{id}/report", s(Read), report_pages::report),
        r(
            M::POST,
            "/plans/{id}/targets/link",
            s(ManagePlans),
            indicator_pages::link_target,
        ),
        r(M::GET, "/tasks", s(Read), tracking_pages::tasks),
        r(
            M::GET,
            "/org/{code}/tasks",
            s(Read),
            tracking_pages::unit_tasks,
        ),
        r(M::GET, "/plans/{id}/task", s(Read), tracking_pages::task),
        r(
            M::POST,
            "/plans/{id}/task",
            s(EnterData),
            tracking_pages::save_task_update,
        ),
        r(
            M::POST,
            "/plans/{id}/reports",
            s(EnterData),
            tracking_pages::submit_report,
        ),
        r(
            M::POST,
            "/plans/{id}/budget",
            s(ManagePlans),
            tracking_pages::add_budget_entry,
        ),
        r(
            M::GET,
            "/evidence/{update}",
            s(Read),
            tracking_pages::evidence,
        ),
        r(
            M::GET,
            "/org/{code}/criteria",
            s(Read),
            criteria_pages::show,
        ),
        r(
            M::POST,
            "/org/{code}/criteria",
            s(EnterData),
            criteria_pages::save,
        ),
        r(M::GET, "/data", s(Read), data_exchange::show),
        r(M::POST, "/data/import", s(EnterData), data_exchange::import),
        r(M::GET, "/data/export", s(Read), data_exchange::export),
        r(M::GET, "/data/entry", s(Read), data_entry::show),
        r(M::POST, "/data/entry", s(EnterData), data_entry::save),
        r(M::POST, "/data/approval", s(EnterData), data_entry::approve),
        r(M::GET, "/records", s(ReadPersonal), pages::area_records),
        r(M::GET, "/persons", s(ReadPersonal), register_pages::search),
        r(M::POST, "/persons", s(EnterData), register_pages::create),
        r(
            M::GET,
            "/persons/new",
            s(EnterData),
            register_pages::new_form,
        ),
        r(
            M::GET,
            "/persons/{id}",
            s(ReadPersonal),
            register_pages::show,
        ),
        r(
            M::POST,
            "/persons/{id}/events",
            s(EnterData),
            register_pages::add_event,
        ),
        r(
            M::GET,
            "/registers",
            s(ReadPersonal),
            register_pages::registers,
        ),
        r(
            M::GET,
            "/registers/due",
            s(ReadPersonal),
            register_pages::due,
        ),
        r(M::GET, "/reports", s(Read), pages::area_reports),
        r(M::GET, "/admin", s(ViewAudit), audit_pages::admin),
        r(M::GET, "/admin/audit", s(ViewAudit), audit_pages::audit),
        r(M::GET, "/admin/users", s(ManageUsers), account_pages::users),
        r(
            M::POST,
            "/admin/users",
            s(ManageUsers),
            account_pages::create_user,
        ),
        r(
            M::POST,
            "/admin/users/{id}",
            s(ManageUsers),
            account_pages::update_user,
        ),
        r(
            M::POST,
            "/admin/users/{id}/reset",
            s(ManageUsers),
            account_pages::reset_user,
        ),
        r(M::GET, "/api/v1/org", s(Read), api::search_units),
        r(M::GET, "/api/v1/analytics", s(Read), api::analytics),
        r(M::GET, "/api/v1/org/{code}", s(Read), api::org_show),
        r(M::GET, "/api/v1/plans", s(Read), api::list_plans),
        r(M::POST, "/api/v1/plans", s(ManagePlans), api::upload_plan),
        r(M::GET, "/api/v1/plans/{id}", s(Read), api::get_plan),
        r(M::GET, "/api/v1/plans/{id}/fhir", s(Read), api::plan_fhir),
        r(
            M::GET,
            "/api/v1/persons/{id}/fhir",
            s(ReadPersonal),
            fhir_api::person_fhir,
        ),
        r(
            M::GET,
            "/api/v1/fhir",
            s(ReadPersonal),
            fhir_api::commune_fhir,
        ),
        r(M::POST, "/api/v1/fhir", s(EnterData), fhir_api::import_fhir),
    ]
}

/// Every route of the application with what it needs, for tests and docs.
pub fn route_table() -> Vec<(Method, &'static str, Need)> {
    routes()
        .into_iter()
        .map(|r| (r.method, r.path, r.need))
        .collect()
}

/// The whole application: pages, API, static assets, with request logging,
/// sign-in, the policy on every route, and security headers.
pub fn router(state: AppState) -> Router {
    let mut app: Router<AppState> = Router::new();
    let mut table: HashMap<(Method, &'static str), Need> = HashMap::new();
    for route in routes() {
        table.insert((route.method.clone(), route.path), route.need);
        app = app.route(route.path, route.handler);
    }
    app.route_layer(middleware::from_fn_with_state(Arc::new(table), auth::enforce))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::identify))
        .with_state(state)
        .layer(DefaultBodyLimit::max(plan_pages::MAX_UPLOAD_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(TraceLayer::new_for_http())
}

/// `next` when it is a path on this site, else `None`: it must start with
/// one `/` (not `//` nor `/\`, which browsers read as another host), and
/// hold no backslash, no whitespace at its start and no control character
/// (browsers drop tabs and newlines, so `/<TAB>/evil.example` would become
/// `//evil.example`; a newline cannot go into a header at all). The one
/// check for every redirect that takes a `next`.
pub(crate) fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control());
    ok.then_some(next)
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
    fn only_paths_of_this_site_are_followed() {
        for ok in ["/", "/plans/3?x=1", "/org/51/dashboard"] {
            assert_eq!(super::local_path(ok), Some(ok));
        }
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\tevil",
            "/\t/evil.example",
            "/\n/evil.example",
            "/a\r\nSet-Cookie: x=1",
            "https://evil.example",
            " /x",
            "",
        ] {
            assert_eq!(super::local_path(bad), None, "{bad:?}");
        }
    }

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
