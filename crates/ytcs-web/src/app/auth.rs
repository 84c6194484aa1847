//! Authentication and the enforcement of the policy on every request.
//!
//! - Passwords: argon2id (the crate's defaults: 19 MiB, 2 passes), PHC strings.
//! - Sessions: a random 256-bit token in the `ytcs_session` cookie
//!   (HttpOnly, SameSite=Lax, Secure unless the request came over plain HTTP
//!   to a non-loopback host, which a LAN deployment without TLS needs), or in
//!   `Authorization: Bearer` for API clients. Only the token's SHA-256 is
//!   stored. A session lasts [`SESSION_HOURS`] hours from sign-in.
//! - Forgery: every unsafe request (POST, PUT, PATCH, DELETE) made with the
//!   session cookie must carry the session's anti-forgery token, as the form
//!   field `_csrf` (URL-encoded or multipart forms) or the `X-CSRF-Token`
//!   header; and when the browser names an `Origin`, it must be this site.
//!   Bearer requests carry no ambient credential and need no token.
//! - Throttling: after [`MAX_FAILURES`] failed sign-ins for one account
//!   from one address ([`MAX_ACCOUNT_FAILURES`] for the account from
//!   anywhere, [`MAX_ADDRESS_FAILURES`] from the address for any account)
//!   within [`FAILURE_WINDOW`], sign-in answers 429 with `Retry-After`
//!   until the oldest failure leaves the window. One person's typos behind
//!   a shared router lock out only that person; a success clears only the
//!   account × address counter. Counters live
//!   in memory: a restart forgets them, which costs an attacker a restart
//!   they cannot cause; a multi-instance deployment behind a proxy should
//!   throttle there too.
//! - Each feature's `routes()` names what each of its routes needs
//!   ([`Need`], see `crate::app::routes`); the router is built from them.
//!   The [`enforce`] layer asks [`ytcs_core::access::authorize`] for every
//!   request; handlers that act on a unit or a plan ask again with it
//!   ([`require_unit`], `require_plan`). A route missing from the table is
//!   refused. `identify` is the outer layer: cookie or bearer session,
//!   the anti-forgery token, the same-origin check.
//! - Changing or resetting a password, or deactivating an account, closes
//!   its sessions. An unknown person and a forbidden one answer alike
//!   (404), so ids cannot be probed; plans and units answer 403 (they are
//!   open to read anyway).

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use ytcs_core::access::{authorize, Action, Decision, Principal};
use ytcs_core::org::OrgCode;
use ytcs_core::Date;
use ytcs_store::accounts::{Account, NewSession, SessionInfo};
use ytcs_store::{Store, StoreError};

use crate::app::i18n::Lang;
use crate::app::page::error_page;
use crate::app::page::Page;
use crate::app::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ytcs_session";
/// How long a session lasts from sign-in: a working day and a half.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per account or address within the window.
pub const MAX_FAILURES: usize = 10;
/// The throttling window.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);
/// The largest body read from a request without a session (a sign-in
/// form or its JSON); larger ones are refused before they are read whole.
pub const MAX_ANONYMOUS_BODY_BYTES: usize = 16 * 1024;
/// The most fields a URL-encoded form may have: the largest page (a plan's
/// review form) has a few thousand. More is refused before any handler
/// parses it, with a short page.
pub const MAX_FORM_FIELDS: usize = 10_000;

fn is_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"))
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user whose role permits the action.
    Signed(Action),
}

/// Hashes a password with argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// Whether `password` matches the stored PHC string.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    TooShort,
    /// The same as the username.
    SameAsUsername,
    /// The two copies differ.
    Mismatch,
    /// One of the passwords people choose first, or a pattern as easy to
    /// guess: one character repeated, a run of the keyboard or the digits.
    Common,
    /// Longer than [`MAX_PASSWORD_CHARS`].
    TooLong,
}

/// The longest password accepted (OWASP ASVS asks for at least 64).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Whether a password is one people choose first (the list in
/// `common_passwords.txt`) or as easy to guess: fewer than five different
/// characters (`aaaaaaaaaa`, `abababab12`), or nothing but a run of the
/// digits, the alphabet or a keyboard row, forwards or backwards, possibly
/// repeated. OWASP ASVS 2.1.7 asks for a check against common passwords;
/// with no network here it is a list shipped inside, not a breach corpus.
pub fn is_common_password(password: &str) -> bool {
    const LIST: &str = include_str!("common_passwords.txt");
    let p = password.trim().to_lowercase();
    if LIST
        .lines()
        .filter(|l| !l.starts_with('#'))
        .any(|l| l.trim() == p)
    {
        return true;
    }
    let distinct: std::collections::BTreeSet<char> = p.chars().collect();
    if distinct.len() < 5 {
        return true;
    }
    const RUNS: [&str; 5] = [
        "01234567890123456789",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
        "qwertyuiopqwertyuiop",
        "asdfghjklasdfghjkl",
        "zxcvbnmzxcvbnm",
    ];
    let reversed: String = p.chars().rev().collect();
    RUNS.iter()
        .any(|run| run.contains(p.as_str()) || run.contains(reversed.as_str()))
}

/// Checks a new password (and its confirmation).
pub fn check_new_password(
    username: &str,
    password: &str,
    confirm: &str,
) -> Result<(), PasswordProblem> {
    if password != confirm {
        Err(PasswordProblem::Mismatch)
    } else if password.chars().count() < MIN_PASSWORD_CHARS {
        Err(PasswordProblem::TooShort)
    } else if password.chars().count() > MAX_PASSWORD_CHARS {
        Err(PasswordProblem::TooLong)
    } else if password.trim().eq_ignore_ascii_case(username.trim()) {
        Err(PasswordProblem::SameAsUsername)
    } else if is_common_password(password) {
        Err(PasswordProblem::Common)
    } else {
        Ok(())
    }
}

/// A random 256-bit token, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

/// A random password people can type: 16 letters and digits without the
/// easily confused ones (0/O, 1/l/I).
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b.iter()
        .map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char)
        .collect()
}

/// SHA-256 of a token, hex-encoded: what the store keeps.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A freshly opened session: what the client holds.
#[derive(Clone)]
pub struct OpenedSession {
    /// The session token (cookie value or bearer token).
    pub token: String,
    /// The anti-forgery token.
    pub csrf: String,
    /// When it stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

impl std::fmt::Debug for OpenedSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedSession")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Opens a session for an account.
pub async fn open_session(
    store: &dyn Store,
    account_id: i64,
    address: Option<String>,
) -> Result<OpenedSession, StoreError> {
    let token = random_token();
    let csrf = random_token();
    let expires_at = chrono::Utc::now() + chrono::Duration::hours(SESSION_HOURS);
    store
        .open_session(&NewSession {
            token_hash: token_hash(&token),
            account_id,
            csrf_token: csrf.clone(),
            expires_at,
            address,
        })
        .await?;
    Ok(OpenedSession {
        token,
        csrf,
        expires_at,
    })
}

/// Failed sign-ins per key within the window. Three kinds of key, each with
/// its own limit (see [`Throttle::keys`]): the account from one address
/// ([`MAX_FAILURES`]), the account from anywhere ([`MAX_ACCOUNT_FAILURES`])
/// and the address for any account ([`MAX_ADDRESS_FAILURES`]). One
/// person's typos behind a shared router or proxy thus lock only that
/// person at that address; guessing one account from many addresses, or
/// many accounts from one address, is still stopped.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Failed sign-ins of one account from anywhere within the window.
pub const MAX_ACCOUNT_FAILURES: usize = 100;
/// Failed sign-ins from one address, any account, within the window: a
/// commune office or a health centre behind one address.
pub const MAX_ADDRESS_FAILURES: usize = 300;
/// The longest username looked up, remembered or logged, in characters;
/// a longer one cannot exist (account creation refuses it) and fails.
pub const MAX_USERNAME_CHARS: usize = 64;

/// Keys kept at most; beyond, the stalest are dropped.
const MAX_THROTTLE_KEYS: usize = 100_000;

/// A throttling key and its limit.
pub type ThrottleKey = (String, usize);

impl Throttle {
    /// The keys of a sign-in attempt, each with its limit. The username is
    /// folded to lower case and cut to [`MAX_USERNAME_CHARS`], so what is
    /// remembered per attempt is bounded.
    pub fn keys(username: &str, address: Option<&str>) -> Vec<ThrottleKey> {
        let user: String = username
            .trim()
            .chars()
            .take(MAX_USERNAME_CHARS)
            .collect::<String>()
            .to_lowercase();
        let mut keys = vec![(format!("u:{user}"), MAX_ACCOUNT_FAILURES)];
        if let Some(a) = address {
            let a: String = a.chars().take(64).collect();
            keys.push((format!("ua:{user}|{a}"), MAX_FAILURES));
            keys.push((format!("a:{a}"), MAX_ADDRESS_FAILURES));
        }
        keys
    }

    /// How long to wait before trying again, if any key is over its limit.
    pub fn retry_after(&self, keys: &[ThrottleKey], now: Instant) -> Option<Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        keys.iter()
            .filter_map(|(k, limit)| {
                let q = map.get_mut(k)?;
                prune(q, now);
                (q.len() >= *limit).then(|| {
                    let oldest = q[q.len() - limit];
                    FAILURE_WINDOW.saturating_sub(now.duration_since(oldest))
                })
            })
            .max()
            .map(|d| d.max(Duration::from_secs(1)))
    }

    /// Records a failure under every key.
    pub fn fail(&self, keys: &[ThrottleKey], now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_THROTTLE_KEYS {
            map.retain(|_, q| {
                prune(q, now);
                !q.is_empty()
            });
        }
        for (k, limit) in keys {
            let q = map.entry(k.clone()).or_default();
            prune(q, now);
            q.push_back(now);
            // Only the last `limit` failures matter for the decision.
            while q.len() > *limit {
                q.pop_front();
            }
        }
    }

    /// Forgets the failures of an account at the address it just signed in
    /// from (not those from elsewhere: a success must not reset a guessing
    /// attack from other addresses).
    pub fn succeed(&self, keys: &[ThrottleKey]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (k, _) in keys.iter().filter(|(k, _)| k.starts_with("ua:")) {
            map.remove(k);
        }
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant) {
    while q
        .front()
        .is_some_and(|t| now.duration_since(*t) >= FAILURE_WINDOW)
    {
        q.pop_front();
    }
}

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The session cookie (ambient: needs the anti-forgery token).
    Cookie,
    /// `Authorization: Bearer`.
    Bearer,
}

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Current {
    /// The account.
    pub account: Account,
    /// The policy's view of it.
    pub principal: Principal,
    /// The session's anti-forgery token.
    pub csrf: String,
    /// The token hash of the session (to sign out).
    pub token_hash: String,
    /// How it was presented.
    pub via: Via,
}

/// Extractor: the signed-in user (the `enforce` layer guarantees one on
/// every route that is not public).
pub struct User(pub Arc<Current>);

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Option<Arc<Current>>>()
            .cloned()
            .flatten()
            .map(User)
            .ok_or_else(|| StatusCode::UNAUTHORIZED.into_response())
    }
}

/// The client's address, when the server knows it.
pub(crate) fn client_address(headers_ext: &axum::http::Extensions) -> Option<String> {
    headers_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip().to_string())
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whether the request is about the JSON API (answers in JSON, 401 not a
/// redirect).
pub(crate) fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The `Set-Cookie` value of a session cookie (or of its removal, when
/// `token` is `None`).
pub(crate) fn session_cookie(token: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_HOURS * 3600
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("ytcs_session="))
}

/// Whether cookies should carry `Secure`: yes over HTTPS (as a proxy in
/// front reports it) and on loopback (browsers treat it as secure); no over
/// plain HTTP to another host, where a browser would drop the cookie.
pub(crate) fn wants_secure_cookie(headers: &HeaderMap) -> bool {
    if headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
    {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]")
}

/// Outer layer: finds the session, checks anti-forgery on unsafe requests,
/// and makes the user available to extractors and to page rendering.
pub(crate) async fn identify(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let lang = Lang::from_request_parts(&mut parts, &())
        .await
        .unwrap_or(Lang::Vi);
    let (token, via) = match bearer(&parts.headers) {
        Some(t) => (Some(t.to_string()), Via::Bearer),
        None => (
            cookie_value(&parts.headers, SESSION_COOKIE).map(str::to_string),
            Via::Cookie,
        ),
    };
    let current = match token.filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            let h = token_hash(&t);
            match st.store.session(&h).await {
                Ok(s) => s.map(|s| Arc::new(current_of(s, h, via))),
                Err(e) => {
                    return crate::app::page::server_error(&Page::of(lang, &parts.uri, None), e)
                }
            }
        }
    };
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let mut body = body;
    if current.is_none() {
        // Without a session the only bodies are sign-in forms: a few
        // hundred bytes. Nothing larger is read, stored or remembered.
        body = Body::new(http_body_util::Limited::new(body, MAX_ANONYMOUS_BODY_BYTES));
    }
    if unsafe_method {
        if !same_origin(&parts.headers) {
            return refuse_forgery(&Page::of(lang, &parts.uri, current.clone()));
        }
        if let Some(c) = current.as_ref().filter(|c| c.via == Via::Cookie) {
            let bytes = match axum::body::to_bytes(body, crate::app::MAX_UPLOAD_BYTES).await {
                Ok(b) => b,
                Err(_) => {
                    return error_page(
                        &Page::of(lang, &parts.uri, current.clone()),
                        StatusCode::PAYLOAD_TOO_LARGE,
                        |t| t.upload_too_large,
                    )
                }
            };
            if is_urlencoded(&parts.headers)
                && bytes.iter().filter(|b| **b == b'&').count() >= MAX_FORM_FIELDS
            {
                return error_page(
                    &Page::of(lang, &parts.uri, current.clone()),
                    StatusCode::PAYLOAD_TOO_LARGE,
                    |t| t.too_many_fields,
                );
            }
            let presented = match parts.headers.get("x-csrf-token") {
                Some(v) => v.to_str().ok().map(str::to_string),
                None => form_token(&parts.headers, &parts.extensions, bytes.clone()).await,
            };
            if !presented.is_some_and(|p| same_secret(&p, &c.csrf)) {
                return refuse_forgery(&Page::of(lang, &parts.uri, current.clone()));
            }
            body = Body::from(bytes);
        }
    }
    parts.extensions.insert(current.clone());
    let req = Request::from_parts(parts, body);
    next.run(req).await
}

fn current_of(s: SessionInfo, token_hash: String, via: Via) -> Current {
    Current {
        principal: Principal {
            username: s.account.username.clone(),
            role: s.account.role,
            scope: s.account.scope.clone(),
        },
        account: s.account,
        csrf: s.csrf_token,
        token_hash,
        via,
    }
}

/// When the browser says where the request comes from, it must be here.
fn same_origin(h: &HeaderMap) -> bool {
    let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    host.is_some() && origin_host == host
}

fn refuse_forgery(page: &Page) -> Response {
    if is_api(page.uri.path()) {
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({"error": "missing or wrong anti-forgery token: send the session's csrf token in X-CSRF-Token, or use a bearer token"})),
        )
            .into_response();
    }
    error_page(page, StatusCode::FORBIDDEN, |t| t.forgery_refused)
}

/// The `_csrf` field of a URL-encoded or multipart form body. The
/// multipart reader gets the request's extensions, so the router's body
/// limit (uploads of plans and evidence) applies, not axum's 2 MB default.
async fn form_token(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    bytes: bytes::Bytes,
) -> Option<String> {
    let ct = headers
        .get(header::CONTENT_TYPE)?
        .to_str()
        .ok()?
        .to_string();
    if ct.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).ok()?;
        return pairs
            .into_iter()
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v);
    }
    if ct.starts_with("multipart/form-data") {
        use axum::extract::FromRequest;
        let mut req = Request::builder()
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(bytes))
            .ok()?;
        *req.extensions_mut() = extensions.clone();
        let mut mp = axum::extract::Multipart::from_request(req, &())
            .await
            .ok()?;
        while let Ok(Some(field)) = mp.next_field().await {
            if field.name() == Some("_csrf") {
                return field.text().await.ok();
            }
        }
    }
    None
}

/// Route layer: applies the route table's need to the signed-in user.
pub(crate) async fn enforce(
    State(table): State<Arc<HashMap<(Method, &'static str), Need>>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    let need = table.get(&(method, path.as_str())).copied();
    let current = req
        .extensions()
        .get::<Option<Arc<Current>>>()
        .cloned()
        .flatten();
    let (mut parts, body) = req.into_parts();
    let lang = Lang::from_request_parts(&mut parts, &())
        .await
        .unwrap_or(Lang::Vi);
    let decision = match need {
        Some(Need::Public) => Decision::Allow,
        Some(Need::Signed(action)) => {
            authorize(current.as_ref().map(|c| &c.principal), action, None)
        }
        // Not in the table: nobody.
        None => match current {
            Some(_) => Decision::Deny,
            None => Decision::SignIn,
        },
    };
    match decision {
        Decision::Allow => {
            if let Some(c) = &current {
                let own = matches!(
                    need,
                    Some(Need::Signed(Action::OwnAccount)) | Some(Need::Public)
                );
                // A temporary password opens nothing but changing it, on
                // the pages and the API alike.
                if c.account.must_change_password && !own {
                    if is_api(&path) {
                        return (
                            StatusCode::FORBIDDEN,
                            Json(serde_json::json!({"error": "this account has a temporary password: change it first at /account/password"})),
                        )
                            .into_response();
                    }
                    return Redirect::to("/account/password").into_response();
                }
            }
            next.run(Request::from_parts(parts, body)).await
        }
        Decision::SignIn => sign_in_first(&parts.uri),
        Decision::Deny => forbidden(&Page::of(lang, &parts.uri, current.clone())),
    }
}

/// 401 for the API, a redirect to the sign-in page for pages.
pub(crate) fn sign_in_first(uri: &axum::http::Uri) -> Response {
    if is_api(uri.path()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"ytcs\"")],
            Json(serde_json::json!({"error": "sign in first: POST /api/v1/session with {\"username\",\"password\"} and send the token as Authorization: Bearer"})),
        )
            .into_response();
    }
    let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let to = format!(
        "/login?next={}",
        serde_urlencoded::to_string([("", next)])
            .unwrap_or_default()
            .trim_start_matches('=')
    );
    Redirect::to(&to).into_response()
}

/// 403 as JSON or as a Vietnamese page.
pub(crate) fn forbidden(page: &Page) -> Response {
    if is_api(page.uri.path()) {
        return (
            StatusCode::FORBIDDEN,
            Json(serde_json::json!({"error": "your role or scope does not allow this"})),
        )
            .into_response();
    }
    error_page(page, StatusCode::FORBIDDEN, |t| t.forbidden)
}

/// The chain the policy reads for the unit `code` names on `at`: the one
/// rule, [`ytcs_core::access::code_chain`], on the stored hierarchy.
pub(crate) async fn unit_chain(
    store: &dyn Store,
    code: &OrgCode,
    at: Date,
) -> Result<Vec<OrgCode>, StoreError> {
    let h = store.hierarchy().await?;
    Ok(ytcs_core::access::code_chain(&h, code, at))
}

/// Asks the policy about an action on a unit (as it stood on `at`); the
/// refusal is the response to send. An unknown unit is allowed through, for
/// the handler to answer 404 in its own words.
pub(crate) async fn require_unit(
    st: &AppState,
    user: &Current,
    action: Action,
    code: &OrgCode,
    at: Date,
    page: &Page,
) -> Result<(), Response> {
    match allows_unit(st, user, action, code, at).await {
        Ok(Decision::Allow) => Ok(()),
        Ok(Decision::SignIn) => Err(sign_in_first(&page.uri)),
        Ok(Decision::Deny) => Err(forbidden(page)),
        Err(e) => Err(crate::app::page::server_error(page, e)),
    }
}

/// The policy's answer about an action on a unit (as it stood on `at`):
/// what [`require_unit`] asks, for handlers that word a refusal
/// themselves (an import naming the unit out of scope).
pub(crate) async fn allows_unit(
    st: &AppState,
    user: &Current,
    action: Action,
    code: &OrgCode,
    at: Date,
) -> Result<Decision, StoreError> {
    let chain = unit_chain(st.store.as_ref(), code, at).await?;
    Ok(authorize(Some(&user.principal), action, Some(&chain)))
}

/// The policy's answer about an action on the unit `id` of a loaded
/// hierarchy on `at`, through [`ytcs_core::access::unit_chain`] (an ended
/// commune is also reached from the unit that holds it on `at`).
pub(crate) fn decide(
    h: &ytcs_core::hierarchy::Hierarchy,
    user: &Current,
    action: Action,
    id: ytcs_core::org::UnitId,
    at: Date,
) -> Decision {
    authorize(
        Some(&user.principal),
        action,
        Some(&ytcs_core::access::unit_chain(h, id, at)),
    )
}

/// Asks the policy about an action on a plan: a plan belongs to the unit
/// that issued it (resolved from its issuer's name on its date, or on the
/// scorecard's date for an undated plan). A plan whose issuer is no known
/// unit is left to administrators.
pub(crate) async fn require_plan(
    st: &AppState,
    user: &Current,
    action: Action,
    plan: &ytcs_core::plan::Plan,
    page: &Page,
) -> Result<(), Response> {
    let h = match st.store.hierarchy().await {
        Ok(h) => h,
        Err(e) => return Err(crate::app::page::server_error(page, e)),
    };
    let today = (st.today)();
    let at = plan
        .date
        .unwrap_or_else(|| ytcs_engine::scorecard::default_at(&h, plan, today));
    let issuer = plan
        .issuer
        .as_deref()
        .and_then(|i| ytcs_engine::scorecard::resolve_issuer(&h, i, at))
        .map(|u| u.code.clone());
    let chain = match issuer {
        None => vec![],
        Some(code) => ytcs_core::access::code_chain(&h, &code, at),
    };
    match authorize(Some(&user.principal), action, Some(&chain)) {
        Decision::Allow => Ok(()),
        Decision::SignIn => Err(sign_in_first(&page.uri)),
        Decision::Deny => Err(forbidden(page)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("mật khẩu dài đủ").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("mật khẩu dài đủ", &h));
        assert!(!verify_password("mat khau dai du", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(
            hash_password("same").unwrap(),
            hash_password("same").unwrap()
        );
    }

    #[test]
    fn new_passwords_are_checked() {
        assert_eq!(
            check_new_password("an", "ngắn", "ngắn"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password("nguyenvanan", "NguyenVanAn", "NguyenVanAn"),
            Err(PasswordProblem::SameAsUsername)
        );
        assert_eq!(
            check_new_password("an", "một hai ba bốn", "một hai ba bon"),
            Err(PasswordProblem::Mismatch)
        );
        assert_eq!(
            check_new_password("an", "một hai ba bốn", "một hai ba bốn"),
            Ok(())
        );
        for common in [
            "aaaaaaaaaa",
            "abababab12",
            "1234567890",
            "0987654321",
            "qwertyuiop",
            "Matkhau123",
            "PASSWORD123",
            "abcdefghijk",
        ] {
            assert_eq!(
                check_new_password("an", common, common),
                Err(PasswordProblem::Common),
                "{common}"
            );
        }
        let long = "x1y2z3".repeat(50);
        assert_eq!(
            check_new_password("an", &long, &long),
            Err(PasswordProblem::TooLong)
        );
        let p = random_password();
        assert_eq!(p.len(), 16);
        assert_eq!(check_new_password("an", &p, &p), Ok(()));
    }

    #[test]
    fn the_eleventh_attempt_within_the_window_waits_until_the_first_expires() {
        let t = Throttle::default();
        let keys = Throttle::keys("An", Some("10.0.0.1"));
        let start = Instant::now();
        for i in 0..MAX_FAILURES {
            assert_eq!(
                t.retry_after(&keys, start + Duration::from_secs(i as u64)),
                None
            );
            t.fail(&keys, start + Duration::from_secs(i as u64));
        }
        let now = start + Duration::from_secs(60);
        let wait = t.retry_after(&keys, now).expect("throttled");
        assert_eq!(wait, FAILURE_WINDOW - Duration::from_secs(60));
        // The same account from another address is not locked out …
        assert_eq!(
            t.retry_after(&Throttle::keys("an", Some("10.0.0.2")), now),
            None
        );
        // … nor another account from the same address.
        assert_eq!(
            t.retry_after(&Throttle::keys("binh", Some("10.0.0.1")), now),
            None
        );
        // After the window, free again.
        assert_eq!(
            t.retry_after(&keys, start + FAILURE_WINDOW + Duration::from_secs(10)),
            None
        );
    }

    #[test]
    fn many_addresses_against_one_account_or_many_accounts_from_one_address_are_stopped() {
        let t = Throttle::default();
        let now = Instant::now();
        for i in 0..MAX_ACCOUNT_FAILURES {
            t.fail(
                &Throttle::keys("an", Some(&format!("10.1.{}.{}", i / 200, i % 200))),
                now,
            );
        }
        assert!(t
            .retry_after(&Throttle::keys("an", Some("10.9.9.9")), now)
            .is_some());
        let t = Throttle::default();
        for i in 0..MAX_ADDRESS_FAILURES {
            t.fail(&Throttle::keys(&format!("user{i}"), Some("10.0.0.1")), now);
        }
        assert!(t
            .retry_after(&Throttle::keys("someone", Some("10.0.0.1")), now)
            .is_some());
        assert!(t
            .retry_after(&Throttle::keys("someone", Some("10.0.0.2")), now)
            .is_none());
    }

    #[test]
    fn a_huge_username_is_remembered_cut() {
        let keys = Throttle::keys(&"A".repeat(1_000_000), Some("10.0.0.1"));
        assert!(
            keys.iter().all(|(k, _)| k.len() < 200),
            "{:?}",
            keys.iter().map(|k| k.0.len()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn tokens_are_random_and_stored_as_hashes() {
        let a = random_token();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn origins_must_be_this_site() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }
}
