//! The application's areas, one module each: handlers, view models and
//! routes of one thing a user does. A feature imports `crate::app` and
//! the engine, never another feature (`tests/layout.rs`).

pub(crate) mod accounts;
pub(crate) mod audit_log;
pub(crate) mod criteria;
pub(crate) mod dashboard;
pub(crate) mod data;
pub(crate) mod home;
pub(crate) mod indicators;
pub(crate) mod network;
pub(crate) mod plans;
pub(crate) mod registers;
pub(crate) mod reports;

/// Every feature's routes.
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    [
        accounts::routes(),
        audit_log::routes(),
        criteria::routes(),
        dashboard::routes(),
        data::routes(),
        home::routes(),
        indicators::routes(),
        network::routes(),
        plans::routes(),
        registers::routes(),
        reports::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
