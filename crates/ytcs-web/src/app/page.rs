//! The page shell every HTML page shares: what a handler knows of its
//! request ([`Page`]: language, path, signed-in user), navigation
//! ([`Chrome`]), rendering a template, error pages, static files.

use std::convert::Infallible;
use std::sync::Arc;

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use ytcs_engine::EngineError;

use crate::app::auth::Current;
use crate::app::i18n::{Lang, Texts};

/// What a page handler knows of its request: the language, the path asked
/// and the signed-in user (set by `auth::identify`). An extractor like
/// any other argument (`page: Page`), handed to [`Chrome::new`] and the
/// error pages.
#[derive(Clone)]
pub(crate) struct Page {
    /// The page's language.
    pub(crate) lang: Lang,
    /// The path and query asked.
    pub(crate) uri: Uri,
    /// The signed-in user, if any.
    pub(crate) user: Option<Arc<Current>>,
}

impl Page {
    /// A page of a request that has no extractor (the layers of `auth`).
    pub(crate) fn of(lang: Lang, uri: &Uri, user: Option<Arc<Current>>) -> Page {
        Page {
            lang,
            uri: uri.clone(),
            user,
        }
    }

    /// The page's texts.
    pub(crate) fn t(&self) -> &'static Texts {
        self.lang.texts()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_request_parts(parts, state).await?;
        let user = parts
            .extensions
            .get::<Option<Arc<Current>>>()
            .cloned()
            .flatten();
        Ok(Page {
            lang,
            uri: parts.uri.clone(),
            user,
        })
    }
}

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
    /// What the user's role lets them do anywhere, so a page shows only
    /// the forms and buttons they can use (the policy still decides each
    /// request, unit by unit).
    pub(crate) can: Can,
}

/// The moves a role permits ([`ytcs_core::access::Role::permits`]).
#[derive(Clone, Copy, Default)]
pub(crate) struct Can {
    pub(crate) enter_data: bool,
    pub(crate) manage_plans: bool,
    pub(crate) manage_network: bool,
}

impl Chrome {
    pub(crate) fn new(page: &Page, active: &'static str) -> Self {
        let lang = page.lang;
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
        let path = page
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into());
        let current = page.user.clone();
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
            can: current
                .as_ref()
                .map(|c| {
                    use ytcs_core::access::Action;
                    let role = c.account.role;
                    Can {
                        enter_data: role.permits(Action::EnterData),
                        manage_plans: role.permits(Action::ManagePlans),
                        manage_network: role.permits(Action::ManageNetwork),
                    }
                })
                .unwrap_or_default(),
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

/// Why a page could not be shown. Page handlers return
/// `Result<Response, PageError>` and use `?` on the store's and the
/// engine's errors; [`render_failures`] (a layer of the router) turns the
/// error into the error page of the request (its language, path and
/// user). A response already made (a refusal of the policy) passes as it
/// is.
pub(crate) enum PageError {
    /// The store failed (logged; the page says "server error").
    Store(ytcs_store::StoreError),
    /// The engine failed (logged; the page says "server error").
    Engine(EngineError),
    /// A status with the message its text picks.
    Status(StatusCode, fn(&Texts) -> &'static str),
    /// A response to send as it is.
    Response(Response),
}

impl From<ytcs_store::StoreError> for PageError {
    fn from(e: ytcs_store::StoreError) -> Self {
        PageError::Store(e)
    }
}

impl From<EngineError> for PageError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::Store(e) => PageError::Store(e),
            e => PageError::Engine(e),
        }
    }
}

impl From<Response> for PageError {
    fn from(r: Response) -> Self {
        PageError::Response(r)
    }
}

/// `?` for something a page needs and may not find:
/// `store.get_plan(id).await?.or_fail(StatusCode::NOT_FOUND, |t| t.plan_not_found)?`.
// A page's error is as large as a response; it is made once per request.
#[allow(clippy::result_large_err)]
pub(crate) trait OrFail<T> {
    /// The value, else the page failing with `status` and `message`.
    fn or_fail(
        self,
        status: StatusCode,
        message: fn(&Texts) -> &'static str,
    ) -> Result<T, PageError>;
}

impl<T> OrFail<T> for Option<T> {
    fn or_fail(
        self,
        status: StatusCode,
        message: fn(&Texts) -> &'static str,
    ) -> Result<T, PageError> {
        self.ok_or(PageError::Status(status, message))
    }
}

/// The message of a failed page, carried from [`PageError`] to
/// [`render_failures`] in the response's extensions.
#[derive(Clone, Copy)]
struct Failure(fn(&Texts) -> &'static str);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message): (StatusCode, fn(&Texts) -> &'static str) = match self {
            PageError::Response(r) => return r,
            PageError::Store(e) => {
                tracing::error!(error = %e, "store error");
                (StatusCode::INTERNAL_SERVER_ERROR, |t| t.server_error)
            }
            PageError::Engine(e) => {
                tracing::error!(error = %e, "indicator engine error");
                (StatusCode::INTERNAL_SERVER_ERROR, |t| t.server_error)
            }
            PageError::Status(status, message) => (status, message),
        };
        let mut r = status.into_response();
        r.extensions_mut().insert(Failure(message));
        r
    }
}

/// The layer that shows a [`PageError`] as the error page of its request.
pub(crate) async fn render_failures(
    page: Page,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let r = next.run(req).await;
    match r.extensions().get::<Failure>() {
        Some(&Failure(message)) => error_page(&page, r.status(), message),
        None => r,
    }
}

/// The error page: `status` and the message `message` picks.
pub(crate) fn error_page(
    page: &Page,
    status: StatusCode,
    message: impl Fn(&Texts) -> &'static str,
) -> Response {
    let view = ErrorPage {
        message: message(page.t()),
        c: Chrome::new(page, ""),
        status: status.as_u16(),
    };
    let mut r = render(&view);
    *r.status_mut() = status;
    r
}

/// 500 for a failure of the store (logged, not shown).
pub(crate) fn server_error(page: &Page, e: ytcs_store::StoreError) -> Response {
    tracing::error!(error = %e, "store error");
    error_page(page, StatusCode::INTERNAL_SERVER_ERROR, |t| t.server_error)
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

/// The fallback: sign in first, else 404 (as JSON under `/api/`).
pub(crate) async fn not_found(page: Page) -> Response {
    if page.user.is_none() {
        return crate::app::auth::sign_in_first(&page.uri);
    }
    if page.uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({ "error": { "code": "not_found", "message": "no such API route" } })),
        )
            .into_response();
    }
    error_page(&page, StatusCode::NOT_FOUND, |t| t.not_found)
}
