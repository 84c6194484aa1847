//! The web face of ytcs: HTML pages in Vietnamese (English switchable), the
//! JSON API under `/api/v1` with its OpenAPI document, and `/healthz`.
//!
//! Layout (see ARCHITECTURE.md): `app` is what every page shares and
//! imports no feature; `features::*` is one area each (its handlers,
//! views and routes), importing `app` and the engine, never another
//! feature; `api` is the JSON API. `tests/layout.rs` checks the rule.
//! Handlers are thin: extract and validate, call the engine or the store,
//! render. This is the only crate that knows HTTP and HTML.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;
pub mod app;
mod features;
pub mod load;
pub mod server;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::middleware;
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use app::auth::{self, Need, Throttle};
pub use app::i18n;
pub use app::{today_in_vietnam, AppState};
pub use features::reports::report_html;

/// Every route: the shared ones (static files), each feature's, the API's.
fn routes() -> Vec<app::routes::Route> {
    use app::routes::r;
    let mut all = vec![
        r(
            Method::GET,
            "/static/app.css",
            Need::Public,
            app::page::stylesheet,
        ),
        r(
            Method::GET,
            "/static/review.js",
            Need::Public,
            app::page::review_script,
        ),
    ];
    all.extend(features::routes());
    all.extend(api::routes());
    all
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
    app.route_layer(middleware::from_fn_with_state(Arc::new(table), app::auth::enforce))
        .route_layer(middleware::from_fn(app::page::render_failures))
        .fallback(app::page::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), app::auth::identify))
        .with_state(state)
        .layer(DefaultBodyLimit::max(app::MAX_UPLOAD_BYTES))
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
