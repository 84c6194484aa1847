//! One route: method, path, what it needs, and its handler. Each feature
//! lists its own (`features::*::routes`); the router is built from them
//! and the policy layer reads them, so a route cannot exist without a
//! rule.

use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter};

pub use crate::app::auth::Need;
use crate::app::AppState;

/// One route: method, path, what it needs, and its handler.
pub(crate) struct Route {
    pub(crate) method: Method,
    pub(crate) path: &'static str,
    pub(crate) need: Need,
    pub(crate) handler: MethodRouter<AppState>,
}

pub(crate) fn r<H, T>(method: Method, path: &'static str, need: Need, handler: H) -> Route
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
