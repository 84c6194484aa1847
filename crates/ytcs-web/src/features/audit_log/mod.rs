//! The administration area and the audit log page (read-only: the log
//! cannot be changed through the application, and the database refuses it).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use ytcs_core::access::Action;
use ytcs_core::audit::ObjectKind;
use ytcs_store::audit::AuditFilter;

use crate::app::auth::{Current, User};
use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::AppState;

/// Entries per page.
const PAGE: i64 = 100;

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    c: Chrome,
    users: bool,
}

pub(crate) async fn admin(page: Page, User(me): User) -> Response {
    render(&AdminPage {
        c: Chrome::new(&page, "admin"),
        users: me.account.role.permits(Action::ManageUsers),
    })
}

/// Filters of the audit page.
#[derive(Deserialize, Default)]
pub(crate) struct AuditQuery {
    actor: Option<String>,
    unit: Option<String>,
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<i64>,
}

struct Row {
    at: String,
    actor: String,
    address: String,
    action: String,
    kind: String,
    id: String,
    unit: String,
    detail: String,
    /// (what, before, after) of each field that changed.
    changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    /// actor, unit, kind, from, to as typed.
    q: Typed,
    /// (code, name) of every object kind.
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<Row>,
    total: String,
    next: String,
    error: Option<&'static str>,
}

fn text(o: &Option<String>) -> String {
    o.as_deref().map(str::trim).unwrap_or("").to_string()
}

/// A value as the log shows it: text as it is, `—` for nothing, yes or
/// no, numbers; anything larger as compact JSON, cut at 200 characters.
fn value_text(v: Option<&serde_json::Value>, lang: Lang) -> String {
    use serde_json::Value as J;
    let s = match v {
        None | Some(J::Null) => "—".to_string(),
        Some(J::String(s)) => s.clone(),
        Some(J::Bool(b)) => lang
            .pick(
                if *b { "có" } else { "không" },
                if *b { "yes" } else { "no" },
            )
            .to_string(),
        Some(J::Number(n)) => n.to_string(),
        Some(v) => v.to_string(),
    };
    if s.chars().count() > 200 {
        format!("{}…", s.chars().take(200).collect::<String>())
    } else {
        s
    }
}

/// What a field named in an entry's old or new content is, in words: a
/// data value's field (`v.live_births.m`) by its element and options;
/// the fields ytcs writes by their names; any other as it is.
fn field_text(key: &str, lang: Lang) -> String {
    if let Some((element, disagg)) = key.strip_prefix("v.").and_then(|k| k.split_once('.')) {
        if let Some(el) = ytcs_store::values::element(element) {
            return crate::app::vocab::field_label(el, disagg, lang);
        }
    }
    let (vi, en) = match key {
        "file" => ("Tệp", "File"),
        "number" => ("Số văn bản", "Number"),
        "title" => ("Trích yếu", "Title"),
        "format" => ("Định dạng", "Format"),
        "values" => ("Số giá trị", "Values"),
        "changed" => ("Giá trị thay đổi", "Values changed"),
        "units" => ("Số đơn vị", "Units"),
        "scores" => ("Điểm", "Scores"),
        "total" => ("Tổng điểm", "Total"),
        "passed" => ("Đạt", "Passed"),
        "recognised_on" => ("Ngày công nhận", "Recognised on"),
        "status" => ("Trạng thái", "Status"),
        "state" => ("Tình trạng", "State"),
        "reason" => ("Lý do", "Reason"),
        "role" => ("Vai trò", "Role"),
        "scope" => ("Phạm vi", "Scope"),
        "persons" => ("Người", "Persons"),
        "events" => ("Sự kiện", "Events"),
        _ => return key.to_string(),
    };
    lang.pick(vi, en).to_string()
}

/// The fields an entry changed, each (what, before, after): the keys of
/// the old and new objects whose values differ, in order; a content that
/// is not an object is one line.
fn changes(
    old: Option<&serde_json::Value>,
    new: Option<&serde_json::Value>,
    lang: Lang,
) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    fn as_object<'a>(
        v: Option<&'a serde_json::Value>,
        empty: &'a serde_json::Map<String, serde_json::Value>,
    ) -> Option<&'a serde_json::Map<String, serde_json::Value>> {
        match v {
            None | Some(serde_json::Value::Null) => Some(empty),
            Some(serde_json::Value::Object(m)) => Some(m),
            Some(_) => None,
        }
    }
    match (as_object(old, &empty), as_object(new, &empty)) {
        (Some(o), Some(n)) => {
            let mut keys: Vec<&String> = n.keys().collect();
            keys.extend(o.keys().filter(|k| !n.contains_key(*k)));
            // A field absent and a field null read the same: no change.
            keys.into_iter()
                .map(|k| {
                    (
                        field_text(k, lang),
                        value_text(o.get(k), lang),
                        value_text(n.get(k), lang),
                    )
                })
                .filter(|(_, before, after)| before != after)
                .collect()
        }
        _ => vec![(String::new(), value_text(old, lang), value_text(new, lang))],
    }
}

/// The units whose entries a reader of the log sees: `None` (all, and the
/// entries about no unit — sign-ins, accounts) for an administrator; for
/// anybody else the units their scope covers for personal data, today or
/// through the unit that holds an ended one today
/// ([`ytcs_core::access::unit_chain`]). Entries record personal data (a
/// person's name, birth date, citizen id), so they are filtered by the
/// same policy as the persons themselves.
fn visible_units(
    h: &ytcs_core::hierarchy::Hierarchy,
    me: &Current,
    today: ytcs_core::Date,
) -> Option<Vec<String>> {
    if me.principal.role == ytcs_core::access::Role::Admin {
        return None;
    }
    Some(
        h.units()
            .iter()
            .filter(|u| u.validity.from.is_none_or(|f| f <= today))
            .filter(|u| {
                crate::app::auth::decide(h, me, Action::ReadPersonal, u.id, today)
                    == ytcs_core::access::Decision::Allow
            })
            .map(|u| u.code.as_str().to_string())
            .collect(),
    )
}

pub(crate) async fn audit(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let h = st.store.hierarchy().await?;
    let units = visible_units(&h, &me, (st.today)());
    let (typed, filter, error) = read_query(&q, units, lang);
    let total = st.store.count_audit_entries(&filter).await?;
    let rows = st
        .store
        .audit_entries(&filter)
        .await?
        .into_iter()
        .map(|e| Row {
            at: ytcs_core::format::time_in_vietnam_seconds(e.at),
            actor: e.actor,
            address: e.address.unwrap_or_default(),
            action: lang.audit_action(e.action).to_string(),
            kind: lang.audit_object(e.object_kind).to_string(),
            id: e.object_id,
            unit: e.unit_code.unwrap_or_default(),
            detail: e.detail.unwrap_or_default(),
            changes: changes(e.old.as_ref(), e.new.as_ref(), lang),
        })
        .collect();
    let page_no = filter.offset / PAGE;
    let next = if (page_no + 1) * PAGE < total {
        next_link(&typed, page_no + 1)
    } else {
        String::new()
    };
    let mut r = render(&AuditPage {
        c: Chrome::new(&page, "admin"),
        q: typed,
        kinds: ObjectKind::ALL
            .iter()
            .map(|k| (k.as_str(), lang.audit_object(*k)))
            .collect(),
        rows,
        total: (lang.texts().entries)(&total.to_string()),
        next,
        error,
    });
    if error.is_some() {
        *r.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(r)
}

/// The fields as typed (actor, unit, kind, from, to).
type Typed = (String, String, String, String, String);

/// The filter a query asks for within `units` (a page of [`PAGE`]
/// entries), the fields as typed, and the problem with a date that is not
/// one (that bound is left open).
fn read_query(
    q: &AuditQuery,
    units: Option<Vec<String>>,
    lang: Lang,
) -> (Typed, AuditFilter, Option<&'static str>) {
    let typed = (
        text(&q.actor),
        text(&q.unit),
        text(&q.kind),
        text(&q.from),
        text(&q.to),
    );
    let mut error = None;
    let mut date = |s: &str| {
        if s.is_empty() {
            return None;
        }
        let d = crate::app::parse_user_date(s);
        if d.is_none() {
            error = Some(lang.texts().bad_date);
        }
        d
    };
    let (from, to) = (date(&typed.3), date(&typed.4));
    let filter = AuditFilter {
        actor: Some(typed.0.to_lowercase()).filter(|s| !s.is_empty()),
        unit_code: Some(typed.1.clone()).filter(|s| !s.is_empty()),
        object_kind: typed.2.parse::<ObjectKind>().ok(),
        from,
        to,
        units,
        limit: Some(PAGE),
        offset: q.page.unwrap_or(0).max(0) * PAGE,
        ..AuditFilter::default()
    };
    (typed, filter, error)
}

/// The link to page `page_no` of the same filter.
fn next_link(typed: &Typed, page_no: i64) -> String {
    let pairs: Vec<(&str, String)> = vec![
        ("actor", typed.0.clone()),
        ("unit", typed.1.clone()),
        ("kind", typed.2.clone()),
        ("from", typed.3.clone()),
        ("to", typed.4.clone()),
        ("page", page_no.to_string()),
    ];
    format!(
        "/admin/audit?{}",
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    )
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/admin", Need::Signed(ViewAudit), admin),
        r(M::GET, "/admin/audit", Need::Signed(ViewAudit), audit),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_shown_field_by_field_in_words() {
        let old = serde_json::json!({"v.live_births.m": "12", "v.live_births.f": "9"});
        let new = serde_json::json!({"v.live_births.m": "13", "v.live_births.f": "9"});
        let c = changes(Some(&old), Some(&new), Lang::Vi);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].1, "12");
        assert_eq!(c[0].2, "13");
        assert!(c[0].0.contains("Nam"), "{c:?}");
        assert!(!c[0].0.contains("v.live_births"));
        let c = changes(
            None,
            Some(&serde_json::json!({"file": "kh.txt", "number": null})),
            Lang::En,
        );
        assert_eq!(
            c,
            [("File".to_string(), "—".to_string(), "kh.txt".to_string())]
        );
        let c = changes(None, Some(&serde_json::json!(5)), Lang::Vi);
        assert_eq!(c, [(String::new(), "—".to_string(), "5".to_string())]);
    }

    #[test]
    fn the_next_link_asks_for_the_next_page_of_the_same_filter() {
        let q = AuditQuery {
            actor: Some(" An ".into()),
            unit: None,
            kind: Some("person".into()),
            from: Some("01/12/2026".into()),
            to: None,
            page: Some(2),
        };
        let (typed, filter, error) = read_query(&q, None, Lang::Vi);
        assert!(error.is_none());
        assert_eq!(filter.offset, 2 * PAGE);
        assert_eq!(filter.actor.as_deref(), Some("an"));
        let link = next_link(&typed, 3);
        assert!(link.contains("page=3"), "{link}");
        // The link, read back, asks for page 3 of the same filter.
        let back: AuditQuery =
            serde_urlencoded::from_str(link.trim_start_matches("/admin/audit?")).unwrap();
        let (again, f, _) = read_query(&back, None, Lang::Vi);
        assert_eq!(again, typed);
        assert_eq!(f.offset, 3 * PAGE);
        assert_eq!(f.from, filter.from);
    }
}
