//! Aggregate data: the entry form of one unit and period with its
//! approval (`entry`), and files in and out (`exchange`).

mod entry;
mod exchange;

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/data", Need::Signed(Read), exchange::show),
        r(
            M::POST,
            "/data/import",
            Need::Signed(EnterData),
            exchange::import,
        ),
        r(M::GET, "/data/export", Need::Signed(Read), exchange::export),
        r(M::GET, "/data/entry", Need::Signed(Read), entry::show),
        r(M::POST, "/data/entry", Need::Signed(EnterData), entry::save),
        r(
            M::POST,
            "/data/approval",
            Need::Signed(EnterData),
            entry::approve,
        ),
    ]
}
