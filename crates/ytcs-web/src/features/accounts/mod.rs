//! Sign-in and sign-out (pages and the JSON session API), one's own
//! password, and the administrator's accounts page.

use std::sync::OnceLock;
use std::time::Instant;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;
use ytcs_core::access::{parse_scope, Role};
use ytcs_store::accounts::{Account, NewAccount};
use ytcs_store::StoreError;

use crate::app::auth::{
    check_new_password, client_address, hash_password, open_session, random_password,
    session_cookie, verify_password, wants_secure_cookie, OpenedSession, PasswordProblem, Throttle,
    User, MAX_USERNAME_CHARS,
};
use crate::app::i18n::Lang;
use crate::app::page::{render, server_error, Chrome, Page, PageError};
use crate::app::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<&'static str>,
    username: String,
    next: String,
}

/// Query of the sign-in page.
#[derive(Deserialize)]
pub(crate) struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// Where to go after signing in: a local path only, never another site.
fn local_next(next: Option<&str>) -> String {
    next.and_then(crate::app::local_path).unwrap_or("/").into()
}

pub(crate) async fn login_page(page: Page, Query(q): Query<LoginQuery>) -> Response {
    let view = LoginPage {
        c: Chrome::new(&page, ""),
        error: None,
        username: String::new(),
        next: local_next(q.next.as_deref()),
    };
    let mut r = render(&view);
    if let Some(l) = q.lang.as_deref().and_then(Lang::parse) {
        if let Ok(v) = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", l.code()).parse()
        {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    r
}

/// The sign-in form.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// Why a sign-in failed.
enum LoginFailure {
    Bad,
    Throttled(std::time::Duration),
    Store(StoreError),
}

/// A stand-in hash checked for unknown usernames, so that a wrong name and
/// a wrong password take the same time.
fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_password("ytcs: no such user").unwrap_or_default())
}

/// Checks credentials under the throttle and opens a session.
async fn attempt(
    st: &AppState,
    username: &str,
    password: &str,
    address: Option<String>,
) -> Result<(Account, OpenedSession), LoginFailure> {
    let keys = Throttle::keys(username, address.as_deref());
    if let Some(wait) = st.throttle.retry_after(&keys, Instant::now()) {
        return Err(LoginFailure::Throttled(wait));
    }
    // A name longer than any account's is not looked up (nor remembered
    // or logged whole): it fails like an unknown one.
    let too_long = username.chars().count() > MAX_USERNAME_CHARS;
    let found = if too_long {
        None
    } else {
        st.store
            .account_for_login(username)
            .await
            .map_err(LoginFailure::Store)?
    };
    let password = password.to_string();
    let (ok, account) = match found {
        Some((account, hash)) => {
            let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .unwrap_or(false);
            (ok && account.active, Some(account))
        }
        None => {
            let _ =
                tokio::task::spawn_blocking(move || verify_password(&password, dummy_hash())).await;
            (false, None)
        }
    };
    match account.filter(|_| ok) {
        None => {
            st.throttle.fail(&keys, Instant::now());
            crate::app::audit::event(
                username.trim(),
                ytcs_core::audit::AuditAction::LoginFailed,
                ytcs_core::audit::ObjectKind::User,
                username.trim(),
            )
            .address(address)
            .record(st)
            .await;
            Err(LoginFailure::Bad)
        }
        Some(account) => {
            st.throttle.succeed(&keys);
            let s = open_session(st.store.as_ref(), account.id, address.clone())
                .await
                .map_err(LoginFailure::Store)?;
            crate::app::audit::event(
                &account.username,
                ytcs_core::audit::AuditAction::Login,
                ytcs_core::audit::ObjectKind::User,
                &account.username,
            )
            .address(address)
            .record(st)
            .await;
            Ok((account, s))
        }
    }
}

pub(crate) async fn login(
    State(st): State<AppState>,
    page: Page,
    headers: HeaderMap,
    req_ext: axum::extract::Request,
) -> Response {
    let address = client_address(req_ext.extensions());
    let Ok(Form(f)) = Form::<LoginForm>::from_request(req_ext, &()).await else {
        return login_failed(&page, StatusCode::BAD_REQUEST, None, "", "/");
    };
    let next = local_next(f.next.as_deref());
    match attempt(&st, &f.username, &f.password, address).await {
        Ok((account, s)) => {
            let to = if account.must_change_password {
                "/account/password".to_string()
            } else {
                next
            };
            let mut r = Redirect::to(&to).into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(Some(&s.token), wants_secure_cookie(&headers)),
            );
            r
        }
        Err(LoginFailure::Bad) => {
            login_failed(&page, StatusCode::UNAUTHORIZED, None, &f.username, &next)
        }
        Err(LoginFailure::Throttled(wait)) => login_failed(
            &page,
            StatusCode::TOO_MANY_REQUESTS,
            Some(wait),
            &f.username,
            &next,
        ),
        Err(LoginFailure::Store(e)) => server_error(&page, e),
    }
}

use axum::extract::FromRequest;

fn login_failed(
    page: &Page,
    status: StatusCode,
    wait: Option<std::time::Duration>,
    username: &str,
    next: &str,
) -> Response {
    let lang = page.lang;
    let a = lang.auth();
    let view = LoginPage {
        c: Chrome::new(page, ""),
        error: Some(if wait.is_some() {
            a.too_many_attempts
        } else {
            a.bad_credentials
        }),
        username: username.to_string(),
        next: next.to_string(),
    };
    let mut r = render(&view);
    *r.status_mut() = status;
    if let Some(w) = wait {
        if let Ok(v) = w.as_secs().max(1).to_string().parse() {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    r
}

pub(crate) async fn logout(
    State(st): State<AppState>,
    User(me): User,
    headers: HeaderMap,
) -> Response {
    if let Err(e) = st.store.close_session(&me.token_hash).await {
        tracing::error!(error = %e, "cannot close a session");
    }
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Logout,
        ytcs_core::audit::ObjectKind::User,
        &me.account.username,
    )
    .record(&st)
    .await;
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(None, wants_secure_cookie(&headers)),
    );
    r
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    must_change: bool,
    done: Option<&'static str>,
    error: Option<&'static str>,
}

pub(crate) async fn password_page(page: Page, User(me): User) -> Response {
    render(&PasswordPage {
        c: Chrome::new(&page, ""),
        must_change: me.account.must_change_password,
        done: None,
        error: None,
    })
}

/// The change-password form.
#[derive(Deserialize)]
pub(crate) struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

pub(crate) async fn change_password(
    State(st): State<AppState>,
    page: Page,
    headers: HeaderMap,
    User(me): User,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let a = lang.auth();
    let refuse = |msg: &'static str| {
        let mut r = render(&PasswordPage {
            c: Chrome::new(&page, ""),
            must_change: me.account.must_change_password,
            done: None,
            error: Some(msg),
        });
        *r.status_mut() = StatusCode::BAD_REQUEST;
        r
    };
    let hash = match st.store.account_for_login(&me.account.username).await? {
        Some((_, h)) => h,
        None => return Ok(refuse(a.no_account)),
    };
    let current = f.current.clone();
    if !tokio::task::spawn_blocking(move || verify_password(&current, &hash))
        .await
        .unwrap_or(false)
    {
        return Ok(refuse(a.wrong_current));
    }
    if let Err(p) = check_new_password(&me.account.username, &f.new, &f.confirm) {
        return Ok(refuse(password_problem(lang, p)));
    }
    let new = f.new.clone();
    let Ok(Ok(new_hash)) = tokio::task::spawn_blocking(move || hash_password(&new)).await else {
        return Ok(server_error(
            &page,
            StoreError::Invalid("password hashing failed".into()),
        ));
    };
    // Changing the password closes every session, this one included: open
    // a fresh one for the person who just proved who they are.
    if let Err(e) = st.store.set_password(me.account.id, &new_hash, false).await {
        return Err(e.into());
    }
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Update,
        ytcs_core::audit::ObjectKind::User,
        &me.account.username,
    )
    .detail("password changed")
    .record(&st)
    .await;
    let s = open_session(st.store.as_ref(), me.account.id, None).await?;
    let mut r = Redirect::to("/account/password?changed=1").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(Some(&s.token), wants_secure_cookie(&headers)),
    );
    Ok(r)
}

/// `?changed=1` after a change: the page says so.
#[derive(Deserialize)]
pub(crate) struct ChangedQuery {
    changed: Option<String>,
}

pub(crate) async fn password_page_after(
    page: Page,
    user: User,
    Query(q): Query<ChangedQuery>,
) -> Response {
    let lang = page.lang;
    if q.changed.is_none() {
        return password_page(page, user).await;
    }
    render(&PasswordPage {
        c: Chrome::new(&page, ""),
        must_change: false,
        done: Some(lang.auth().password_changed),
        error: None,
    })
}

/// The codes of a scope that no unit carries, at any time.
pub(crate) async fn unknown_units(
    st: &AppState,
    scope: &[ytcs_core::org::OrgCode],
) -> Result<Vec<ytcs_core::org::OrgCode>, StoreError> {
    if scope.is_empty() {
        return Ok(vec![]);
    }
    let h = st.store.hierarchy().await?;
    Ok(scope
        .iter()
        .filter(|c| h.units_with_code(c).is_empty())
        .cloned()
        .collect())
}

fn password_problem(lang: Lang, p: PasswordProblem) -> &'static str {
    let a = lang.auth();
    match p {
        PasswordProblem::TooShort => a.too_short,
        PasswordProblem::SameAsUsername => a.same_as_username,
        PasswordProblem::Mismatch => a.mismatch,
        PasswordProblem::Common => a.common_password,
        PasswordProblem::TooLong => a.password_too_long,
    }
}

struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    scope: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    error: Option<&'static str>,
    done: Option<&'static str>,
    temporary: Option<(String, String)>,
    /// username, display name, role, scope of a refused creation.
    form: (String, String, String, String),
}

/// What the accounts page reports after an action.
struct Outcome {
    status: StatusCode,
    error: Option<&'static str>,
    done: Option<&'static str>,
    temporary: Option<(String, String)>,
    form: (String, String, String, String),
}

impl Outcome {
    fn ok() -> Self {
        Outcome {
            status: StatusCode::OK,
            error: None,
            done: None,
            temporary: None,
            form: (
                String::new(),
                String::new(),
                "data_entry".into(),
                String::new(),
            ),
        }
    }
}

async fn users_page(st: &AppState, page: &Page, o: Outcome) -> Result<Response, PageError> {
    let lang = page.lang;
    let Outcome {
        status,
        error,
        done,
        temporary,
        form,
    } = o;
    let accounts = st.store.accounts().await?;
    let view = UsersPage {
        c: Chrome::new(page, "admin"),
        users: accounts
            .into_iter()
            .map(|a| UserRow {
                id: a.id,
                username: a.username,
                display_name: a.display_name,
                role: a.role.code(),
                scope: ytcs_core::access::format_scope(&a.scope),
                active: a.active,
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (r.code(), lang.pick(r.name_vi(), r.name_en())))
            .collect(),
        error,
        done,
        temporary,
        form,
    };
    let mut r = render(&view);
    *r.status_mut() = status;
    Ok(r)
}

pub(crate) async fn users(State(st): State<AppState>, page: Page) -> Response {
    users_page(
        &st,
        &page,
        Outcome {
            status: StatusCode::OK,
            form: (
                String::new(),
                String::new(),
                "data_entry".into(),
                String::new(),
            ),
            ..Outcome::ok()
        },
    )
    .await
    .into_response()
}

/// The create-account form.
#[derive(Deserialize)]
pub(crate) struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    scope: String,
}

pub(crate) async fn create_user(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Form(f): Form<NewUserForm>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let a = lang.auth();
    let kept = (
        f.username.clone(),
        f.display_name.clone(),
        f.role.clone(),
        f.scope.clone(),
    );
    let refuse = |msg| {
        users_page(
            &st,
            &page,
            Outcome {
                status: StatusCode::BAD_REQUEST,
                error: Some(msg),
                form: kept.clone(),
                ..Outcome::ok()
            },
        )
    };
    let Ok(role) = f.role.parse::<Role>() else {
        return refuse(a.role).await;
    };
    let Ok(scope) = parse_scope(&f.scope) else {
        return refuse(a.bad_scope).await;
    };
    match unknown_units(&st, &scope).await? {
        unknown if !unknown.is_empty() => return refuse(a.unknown_scope_unit).await,
        _ => {}
    }
    if ytcs_store::accounts::normalise_username(&f.username).is_err()
        || f.display_name.trim().is_empty()
    {
        return refuse(a.bad_username).await;
    }
    let (temp, hash) = temporary_password()
        .await
        .map_err(|e| PageError::Store(StoreError::Invalid(e)))?;
    let created = st
        .store
        .create_account(&NewAccount {
            username: f.username.clone(),
            display_name: f.display_name.clone(),
            password_hash: hash,
            role,
            scope,
            must_change_password: true,
        })
        .await;
    Ok(match created {
        Ok(acc) => {
            crate::app::audit::event(&me.account.username, ytcs_core::audit::AuditAction::Create, ytcs_core::audit::ObjectKind::User, &acc.username).after(json!({"role": acc.role.code(), "scope": ytcs_core::access::format_scope(&acc.scope), "display_name": acc.display_name})).record(&st)
            .await;
            users_page(
                &st,
                &page,
                Outcome {
                    status: StatusCode::OK,
                    done: Some(a.saved),
                    temporary: Some((acc.username, temp)),
                    form: (
                        String::new(),
                        String::new(),
                        "data_entry".into(),
                        String::new(),
                    ),
                    ..Outcome::ok()
                },
            )
            .await?
        }
        Err(StoreError::Invalid(_)) => refuse(a.bad_username).await?,
        Err(e) => server_error(&page, e),
    })
}

/// The account with this id, or the accounts page saying there is none.
async fn account_by_id(st: &AppState, page: &Page, id: i64) -> Result<Account, Response> {
    let lang = page.lang;
    match st.store.accounts().await {
        Ok(all) => match all.into_iter().find(|x| x.id == id) {
            Some(a) => Ok(a),
            None => Err(users_page(
                st,
                page,
                Outcome {
                    status: StatusCode::NOT_FOUND,
                    error: Some(lang.auth().no_account),
                    ..Outcome::ok()
                },
            )
            .await
            .into_response()),
        },
        Err(e) => Err(server_error(page, e)),
    }
}

/// A fresh temporary password and its hash (hashed off the async threads).
async fn temporary_password() -> Result<(String, String), String> {
    let temp = random_password();
    let t2 = temp.clone();
    match tokio::task::spawn_blocking(move || hash_password(&t2)).await {
        Ok(Ok(hash)) => Ok((temp, hash)),
        Ok(Err(e)) => Err(e),
        Err(e) => Err(e.to_string()),
    }
}

/// The edit-account form.
#[derive(Deserialize)]
pub(crate) struct EditUserForm {
    role: String,
    #[serde(default)]
    scope: String,
    active: Option<String>,
}

pub(crate) async fn update_user(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Path(id): Path<i64>,
    Form(f): Form<EditUserForm>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let a = lang.auth();
    let before = account_by_id(&st, &page, id).await?;
    let (Ok(role), Ok(scope)) = (f.role.parse::<Role>(), parse_scope(&f.scope)) else {
        return users_page(
            &st,
            &page,
            Outcome {
                status: StatusCode::BAD_REQUEST,
                error: Some(a.bad_scope),
                ..Outcome::ok()
            },
        )
        .await;
    };
    let active = f.active.is_some();
    let refuse = |msg| {
        users_page(
            &st,
            &page,
            Outcome {
                status: StatusCode::BAD_REQUEST,
                error: Some(msg),
                ..Outcome::ok()
            },
        )
    };
    match unknown_units(&st, &scope).await? {
        unknown if !unknown.is_empty() => return refuse(a.unknown_scope_unit).await,
        _ => {}
    }
    // Administration must stay possible: the last active administrator
    // can neither be demoted nor deactivated, by themselves or anybody.
    if before.role == Role::Admin && before.active && (role != Role::Admin || !active) {
        let all = st.store.accounts().await?;
        let others = all
            .iter()
            .filter(|x| x.id != id && x.role == Role::Admin && x.active)
            .count();
        if others == 0 {
            return refuse(a.last_admin).await;
        }
    }
    if let Err(e) = st.store.update_account(id, role, &scope, active).await {
        return Err(e.into());
    }
    crate::app::audit::event(&me.account.username, ytcs_core::audit::AuditAction::Update, ytcs_core::audit::ObjectKind::User, &before.username).before(json!({"role": before.role.code(), "scope": ytcs_core::access::format_scope(&before.scope), "active": before.active})).after(json!({"role": role.code(), "scope": ytcs_core::access::format_scope(&scope), "active": active})).record(&st)
    .await;
    users_page(
        &st,
        &page,
        Outcome {
            status: StatusCode::OK,
            done: Some(a.saved),
            ..Outcome::ok()
        },
    )
    .await
}

pub(crate) async fn reset_user(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let a = lang.auth();
    let target = account_by_id(&st, &page, id).await?;
    let (temp, hash) = temporary_password()
        .await
        .map_err(|e| PageError::Store(StoreError::Invalid(e)))?;
    if let Err(e) = st.store.set_password(id, &hash, true).await {
        return Err(e.into());
    }
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::ResetPassword,
        ytcs_core::audit::ObjectKind::User,
        &target.username,
    )
    .record(&st)
    .await;
    users_page(
        &st,
        &page,
        Outcome {
            status: StatusCode::OK,
            done: Some(a.saved),
            temporary: Some((target.username, temp)),
            ..Outcome::ok()
        },
    )
    .await
}

/// `POST /api/v1/session` body.
#[derive(Deserialize)]
pub(crate) struct ApiLogin {
    username: String,
    password: String,
}

fn account_json(a: &Account) -> serde_json::Value {
    json!({
        "username": a.username,
        "display_name": a.display_name,
        "role": a.role.code(),
        "scope": a.scope.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "must_change_password": a.must_change_password,
    })
}

pub(crate) async fn api_login(
    State(st): State<AppState>,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> Response {
    let address = client_address(req.extensions());
    let body = match Json::<ApiLogin>::from_request(req, &()).await {
        Ok(Json(b)) => b,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": format!("send {{\"username\": \"…\", \"password\": \"…\"}} as JSON: {e}")})),
            )
                .into_response()
        }
    };
    match attempt(&st, &body.username, &body.password, address).await {
        Ok((account, s)) => {
            let mut r = Json(json!({
                "token": s.token,
                "csrf": s.csrf,
                "expires_at": s.expires_at,
                "user": account_json(&account),
            }))
            .into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie(Some(&s.token), wants_secure_cookie(&headers)),
            );
            r
        }
        Err(LoginFailure::Bad) => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "wrong username or password"})),
        )
            .into_response(),
        Err(LoginFailure::Throttled(w)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, w.as_secs().max(1).to_string())],
            Json(json!({"error": "too many failed sign-ins; retry later", "retry_after_s": w.as_secs().max(1)})),
        )
            .into_response(),
        Err(LoginFailure::Store(e)) => {
            tracing::error!(error = %e, "sign-in failed");
            (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "server error"}))).into_response()
        }
    }
}

pub(crate) async fn api_whoami(User(me): User) -> Response {
    Json(json!({"user": account_json(&me.account)})).into_response()
}

pub(crate) async fn api_logout(State(st): State<AppState>, User(me): User) -> Response {
    match st.store.close_session(&me.token_hash).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "cannot close a session");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Json(json!({"error": "server error"})),
            )
                .into_response()
        }
    }
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/login", Need::Public, login_page),
        r(M::POST, "/login", Need::Public, login),
        r(M::POST, "/logout", Need::Signed(OwnAccount), logout),
        r(
            M::GET,
            "/account/password",
            Need::Signed(OwnAccount),
            password_page_after,
        ),
        r(
            M::POST,
            "/account/password",
            Need::Signed(OwnAccount),
            change_password,
        ),
        r(M::POST, "/api/v1/session", Need::Public, api_login),
        r(
            M::GET,
            "/api/v1/session",
            Need::Signed(OwnAccount),
            api_whoami,
        ),
        r(
            M::DELETE,
            "/api/v1/session",
            Need::Signed(OwnAccount),
            api_logout,
        ),
        r(M::GET, "/admin/users", Need::Signed(ManageUsers), users),
        r(
            M::POST,
            "/admin/users",
            Need::Signed(ManageUsers),
            create_user,
        ),
        r(
            M::POST,
            "/admin/users/{id}",
            Need::Signed(ManageUsers),
            update_user,
        ),
        r(
            M::POST,
            "/admin/users/{id}/reset",
            Need::Signed(ManageUsers),
            reset_user,
        ),
    ]
}
