//! The home page (`work`: each person's work of the day), the network's
//! pages (search, provinces, the counts of units before and after the
//! reform, one unit with its history), the language switch and the
//! reports menu.

mod work;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use ytcs_core::org::{LineageKind, OrgCode, OrgKind};
use ytcs_core::Date;
use ytcs_store::view::{org_view, LineageRef, OrgView, UnitRef};

use crate::app::format::group_thousands;
use crate::app::i18n::{Lang, Texts};
use crate::app::page::{render, Chrome, OrFail, Page, PageError};
use crate::app::{parse_at, AppState};

fn kind_name(lang: Lang, k: OrgKind) -> &'static str {
    lang.pick(k.name_vi(), k.name_en())
}

fn validity_text(t: &Texts, from: Option<Date>, to: Option<Date>) -> String {
    let f = from.map_or_else(|| t.unknown.to_string(), ytcs_core::format::date);
    let u = to.map_or_else(|| t.still_valid.to_string(), ytcs_core::format::date);
    format!("{} {f} {} {u}", t.from, t.until)
}

/// A date on which a unit is valid, for links to it.
fn link_date(from: Option<Date>, to: Option<Date>, preferred: Date) -> Date {
    match (from, to) {
        (_, Some(t)) if preferred > t => t,
        (Some(f), _) if preferred < f => f,
        _ => preferred,
    }
}

#[derive(Deserialize)]
pub(crate) struct NetworkQuery {
    q: Option<String>,
    at: Option<String>,
}

struct Row {
    code: String,
    name: String,
    kind: &'static str,
    validity: String,
    link_date: Date,
}

#[derive(Template)]
#[template(path = "network.html")]
struct Network {
    c: Chrome,
    today: Date,
    counts_today: Vec<(&'static str, String)>,
    counts_before: Vec<(&'static str, String)>,
    q: String,
    at: Date,
    error: Option<&'static str>,
    results: Vec<Row>,
    provinces: Vec<UnitRef>,
}

pub(crate) async fn network(
    State(st): State<AppState>,
    page: Page,
    Query(nq): Query<NetworkQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let t = lang.texts();
    let (at, error) = match parse_at(nq.at.as_deref(), today) {
        Ok(d) => (d, None),
        Err(()) => (today, Some(t.bad_date)),
    };
    let q: String = nq.q.unwrap_or_default().chars().take(200).collect();
    let results = if q.trim().is_empty() {
        Vec::new()
    } else {
        st.store
            .search_units(&q, None, 100)
            .await?
            .iter()
            .map(|u| Row {
                code: u.code.to_string(),
                name: u.name.clone(),
                kind: kind_name(lang, u.kind),
                validity: validity_text(t, u.validity.from, u.validity.to),
                link_date: link_date(u.validity.from, u.validity.to, at),
            })
            .collect()
    };
    let before: Date = ytcs_core::Date::from_ymd_opt(2025, 6, 30).unwrap_or(today);
    let counts = |v: Vec<ytcs_store::UnitCount>| {
        v.into_iter()
            .filter(|c| c.kind != OrgKind::Country)
            .map(|c| (kind_name(lang, c.kind), group_thousands(c.count)))
            .collect::<Vec<_>>()
    };
    let counts_today = counts(st.store.count_units(today).await?);
    let counts_before = counts(st.store.count_units(before).await?);
    let country = OrgCode::parse("VN").expect("static code");
    let provinces = match org_view(st.store.as_ref(), &country, at).await? {
        Some(v) => v.children,
        None => Vec::new(),
    };
    let mut r = render(&Network {
        c: Chrome::new(&page, "network"),
        today,
        counts_today,
        counts_before,
        q,
        at,
        error,
        results,
        provinces,
    });
    if error.is_some() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

#[derive(Deserialize)]
pub(crate) struct AtQuery {
    at: Option<String>,
}

struct HistoryRow {
    code: String,
    name: String,
    what: &'static str,
    date: String,
    weight: String,
    link_date: Date,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    c: Chrome,
    v: OrgView,
    at: Date,
    kind: &'static str,
    validity: String,
    crumbs: Vec<UnitRef>,
    history_in: Vec<HistoryRow>,
    history_out: Vec<HistoryRow>,
    same_code: Vec<Row>,
}

fn history_rows(t: &Texts, v: &[LineageRef], before: bool) -> Vec<HistoryRow> {
    v.iter()
        .map(|h| {
            let kind = match h.lineage {
                "merge" => LineageKind::Merge,
                "split" => LineageKind::Split,
                "rename" => LineageKind::Rename,
                _ => LineageKind::LevelAbolished,
            };
            let what = t.lineage_kinds[kind as usize];
            // Link to the neighbour on a day it existed.
            let day = if before {
                h.date.pred_opt().unwrap_or(h.date)
            } else {
                h.date
            };
            HistoryRow {
                code: h.unit.code.clone(),
                name: h.unit.name.clone(),
                what,
                date: ytcs_core::format::date(h.date),
                weight: format!("{} %", ytcs_core::format::share(h.weight)),
                link_date: day,
            }
        })
        .collect()
}

pub(crate) async fn unit(
    State(st): State<AppState>,
    page: Page,
    Path(code): Path<String>,
    Query(aq): Query<AtQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let t = lang.texts();
    let Ok(at) = parse_at(aq.at.as_deref(), (st.today)()) else {
        return Err(PageError::Status(StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let Ok(code) = OrgCode::parse(&code) else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    let v = org_view(st.store.as_ref(), &code, at)
        .await?
        .or_fail(StatusCode::NOT_FOUND, |t| t.unit_not_found)?;
    let mut crumbs = v.ancestors.clone();
    crumbs.reverse();
    let same_code = v
        .same_code
        .iter()
        .map(|u| Row {
            code: u.code.clone(),
            name: u.name.clone(),
            kind: kind_name(lang, u.kind),
            validity: validity_text(t, u.valid_from, u.valid_to),
            link_date: link_date(u.valid_from, u.valid_to, at),
        })
        .collect();
    let view = UnitPage {
        c: Chrome::new(&page, "network"),
        at,
        kind: kind_name(lang, v.kind),
        validity: validity_text(t, v.valid_from, v.valid_to),
        crumbs,
        history_in: history_rows(t, &v.predecessors, true),
        history_out: history_rows(t, &v.successors, false),
        same_code,
        v,
    };
    Ok(render(&view))
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// `GET /lang/{vi|en}?next=/path`: remembers the language in a cookie.
pub(crate) async fn set_lang(Path(lang): Path<String>, Query(n): Query<NextQuery>) -> Response {
    let lang = Lang::parse(&lang).unwrap_or(Lang::Vi);
    // Only local paths, so the switch cannot be used to redirect elsewhere.
    let next = n
        .next
        .as_deref()
        .and_then(crate::app::local_path)
        .unwrap_or("/")
        .to_string();
    let next = strip_lang_param(&next);
    let cookie = format!(
        "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        lang.code()
    );
    ([(header::SET_COOKIE, cookie)], Redirect::to(&next)).into_response()
}

fn strip_lang_param(path: &str) -> String {
    let Some((p, q)) = path.split_once('?') else {
        return path.to_string();
    };
    let rest: Vec<&str> = q.split('&').filter(|kv| !kv.starts_with("lang=")).collect();
    if rest.is_empty() {
        p.to_string()
    } else {
        format!("{p}?{}", rest.join("&"))
    }
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/", Need::Signed(Read), work::home),
        r(M::GET, "/network", Need::Signed(Read), network),
        r(M::GET, "/org/{code}", Need::Signed(Read), unit),
        r(M::GET, "/lang/{lang}", Need::Signed(OwnAccount), set_lang),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_with_dots() {
        assert_eq!(group_thousands(10051), "10.051");
        assert_eq!(group_thousands(34), "34");
        assert_eq!(group_thousands(-1987000000), "-1.987.000.000");
        assert_eq!(ytcs_core::format::share(1.0 / 3.0), "33,3");
        assert_eq!(ytcs_core::format::share(1.0), "100");
    }

    #[test]
    fn the_language_switch_only_redirects_locally() {
        assert_eq!(
            strip_lang_param("/org/51?at=2025-08-01&lang=en"),
            "/org/51?at=2025-08-01"
        );
        assert_eq!(strip_lang_param("/?lang=vi"), "/");
    }
}
