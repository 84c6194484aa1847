//! What every feature shares and no feature owns: the application state,
//! the route table's types, sign-in and the policy (`auth`), the audit
//! trail, the page shell and its error pages, texts, formats, figures and
//! charts. Nothing here imports a feature (`tests/layout.rs`).

pub(crate) mod audit;
pub mod auth;
pub(crate) mod figure;
pub(crate) mod format;
pub mod i18n;
pub(crate) mod page;
pub(crate) mod routes;
pub(crate) mod scope;
pub(crate) mod svg;
pub(crate) mod upload;
pub(crate) mod vocab;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use ytcs_core::Date;
use ytcs_store::Store;

use crate::app::auth::Throttle;

/// The largest request body accepted (an uploaded plan document).
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// Everything a handler needs, in one place.
#[derive(Clone)]
pub struct AppState {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Today's civil date in Vietnam, asked anew on each request.
    pub today: fn() -> Date,
    /// What features keep between requests (one value of each type, see
    /// [`AppState::cache`]).
    pub caches: Arc<Caches>,
    /// Failed sign-ins, for throttling.
    pub throttle: Arc<Throttle>,
    /// The statutory report forms (compiled in, plus the data
    /// directory's), checked at start.
    pub forms: Arc<ytcs_core::statutory::FormSet>,
}

impl AppState {
    /// State over a store, with "today" taken from the clock in Vietnam
    /// (UTC+7, no daylight saving).
    pub fn new(store: Arc<dyn Store>) -> Self {
        AppState {
            store,
            today: today_in_vietnam,
            caches: Arc::default(),
            throttle: Arc::default(),
            forms: Arc::new(ytcs_engine::statutory::bundled().clone()),
        }
    }

    /// The same state with these statutory forms.
    pub fn with_forms(mut self, forms: ytcs_core::statutory::FormSet) -> Self {
        self.forms = Arc::new(forms);
        self
    }
}

/// One value of each type, made on first use: how a feature keeps what
/// it derived between requests (the network pages' snapshot) without the
/// state naming the feature.
#[derive(Default)]
pub struct Caches(std::sync::Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl AppState {
    /// The one `T` this application keeps (made by `T::default()` on first
    /// use).
    pub(crate) fn cache<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let mut map = self.caches.0.lock().unwrap_or_else(|p| p.into_inner());
        let any = map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()))
            .clone();
        any.downcast::<T>()
            .expect("the cache of a type holds that type")
    }
}

/// Today's date in Asia/Ho_Chi_Minh.
pub fn today_in_vietnam() -> Date {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
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
