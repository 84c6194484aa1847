//! Aggregate data: the entry form of one unit and period with its
//! approval (`entry`), the communes' reports to approve (`queue`), and
//! files in and out (`exchange`).

mod entry;
mod exchange;
mod queue;

/// The data set a query names by code; the first standard set (the
/// commune's monthly report) when it names none.
fn set_of(code: Option<&str>) -> ytcs_core::aggregate::DataSet {
    let sets = ytcs_core::aggregate::standard_data_sets();
    sets.iter()
        .find(|s| Some(s.code.as_str()) == code.map(str::trim))
        .or_else(|| sets.first())
        .cloned()
        .expect("the standard data sets are never empty")
}

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
        r(M::GET, "/data/approvals", Need::Signed(Read), queue::show),
        r(
            M::POST,
            "/data/approvals",
            Need::Signed(ApproveData),
            queue::approve,
        ),
        r(
            M::POST,
            "/data/approval",
            Need::Signed(EnterData),
            entry::approve,
        ),
    ]
}
