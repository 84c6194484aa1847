//! The page shell every HTML page shares: navigation and the signed-in
//! user ([`Chrome`]), rendering a template, error pages, static files.

use askama::Template;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use ytcs_engine::EngineError;

use crate::app::i18n::{Lang, Texts};

/// One entry of the main navigation.
pub(crate) struct NavItem {
    pub(crate) key: &'static str,
    pub(crate) href: &'static str,
    pub(crate) label: &'static str,
}

/// What every page shares: language, texts, navigation, current path.
pub(crate) struct Chrome {
    pub(crate) lang: Lang,
    pub(crate) t: &'static Texts,
    pub(crate) nav: Vec<NavItem>,
    pub(crate) active: &'static str,
    pub(crate) path: String,
    pub(crate) version: &'static str,
    /// The signed-in user's display name and username, if any.
    pub(crate) user: Option<(String, String)>,
    /// The session's anti-forgery token, for forms (empty when signed out).
    pub(crate) csrf: String,
}

impl Chrome {
    pub(crate) fn new(lang: Lang, active: &'static str, uri: &Uri) -> Self {
        let t = lang.texts();
        let nav = vec![
            NavItem {
                key: "overview",
                href: "/",
                label: t.nav_overview,
            },
            NavItem {
                key: "plans",
                href: "/plans",
                label: t.nav_plans,
            },
            NavItem {
                key: "targets",
                href: "/targets",
                label: t.nav_targets,
            },
            NavItem {
                key: "tasks",
                href: "/tasks",
                label: t.nav_tasks,
            },
            NavItem {
                key: "data",
                href: "/data",
                label: t.nav_data,
            },
            NavItem {
                key: "records",
                href: "/records",
                label: t.nav_records,
            },
            NavItem {
                key: "network",
                href: "/network",
                label: t.nav_network,
            },
            NavItem {
                key: "reports",
                href: "/reports",
                label: t.nav_reports,
            },
            NavItem {
                key: "admin",
                href: "/admin",
                label: t.nav_admin,
            },
        ];
        let path = uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let current = crate::app::auth::current();
        let nav = match &current {
            None => vec![],
            Some(c) => nav
                .into_iter()
                .filter(|i| {
                    i.key != "admin" || c.account.role.permits(ytcs_core::access::Action::ViewAudit)
                })
                .collect(),
        };
        Chrome {
            lang,
            t,
            nav,
            active,
            path,
            version: env!("CARGO_PKG_VERSION"),
            user: current
                .as_ref()
                .map(|c| (c.account.display_name.clone(), c.account.username.clone())),
            csrf: current.map(|c| c.csrf.clone()).unwrap_or_default(),
        }
    }
}

pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    message: &'static str,
}

pub(crate) fn error_page(
    lang: Lang,
    uri: &Uri,
    status: StatusCode,
    message: impl Fn(&Texts) -> &'static str,
) -> Response {
    let page = ErrorPage {
        message: message(lang.texts()),
        c: Chrome::new(lang, "", uri),
        status: status.as_u16(),
    };
    let mut r = render(&page);
    *r.status_mut() = status;
    r
}

pub(crate) fn server_error(lang: Lang, uri: &Uri, e: ytcs_store::StoreError) -> Response {
    tracing::error!(error = %e, "store error");
    error_page(lang, uri, StatusCode::INTERNAL_SERVER_ERROR, |t| {
        t.server_error
    })
}

pub(crate) fn engine_error(lang: Lang, uri: &Uri, e: EngineError) -> Response {
    match e {
        EngineError::Store(e) => server_error(lang, uri, e),
        e => {
            tracing::error!(error = %e, "indicator engine error");
            error_page(lang, uri, StatusCode::INTERNAL_SERVER_ERROR, |t| {
                t.server_error
            })
        }
    }
}

pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/app.css"),
    )
        .into_response()
}

/// The review page's one script: it only enhances forms that work without it.
pub(crate) async fn review_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/review.js"),
    )
        .into_response()
}

pub(crate) async fn not_found(lang: Lang, uri: Uri) -> Response {
    if crate::app::auth::current().is_none() {
        return crate::app::auth::sign_in_first(&uri);
    }
    if uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({ "error": { "code": "not_found", "message": "no such API route" } })),
        )
            .into_response();
    }
    error_page(lang, &uri, StatusCode::NOT_FOUND, |t| t.not_found)
}
