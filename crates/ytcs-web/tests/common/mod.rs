//! What the web suites share: signed-in sessions for requests driven
//! through the router without a socket.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use ytcs_core::access::Role;
use ytcs_store::accounts::NewAccount;
use ytcs_store::Store;

/// A session as a browser holds it: the cookie and the form token.
#[derive(Clone)]
pub struct Session {
    /// `ytcs_session=…`
    pub cookie: String,
    /// The anti-forgery token.
    pub csrf: String,
}

impl Session {
    /// Adds the session cookie (next to any cookie already there) and the
    /// anti-forgery header.
    pub fn apply(&self, mut req: Request<Body>) -> Request<Body> {
        let cookie = match req.headers().get(header::COOKIE) {
            Some(c) => format!("{}; {}", c.to_str().unwrap(), self.cookie),
            None => self.cookie.clone(),
        };
        req.headers_mut()
            .insert(header::COOKIE, HeaderValue::from_str(&cookie).unwrap());
        req.headers_mut()
            .insert("x-csrf-token", HeaderValue::from_str(&self.csrf).unwrap());
        req
    }
}

/// A session of a (created if needed) account with this role and scope.
/// The account's password hash is not a real one: these sessions are opened
/// directly, as the sign-in handler would after checking a password.
pub async fn session(s: &Arc<dyn Store>, role: Role, scope: &str) -> Session {
    let name = format!("t_{}_{}", role.code(), scope.replace([' ', ','], "_"));
    let id = match s.account_for_login(&name).await.unwrap() {
        Some((a, _)) => a.id,
        None => match s
            .create_account(&NewAccount {
                username: name.clone(),
                display_name: format!("Thử {}", role.name_vi()),
                password_hash: "not-a-hash".into(),
                role,
                scope: ytcs_core::access::parse_scope(scope).unwrap(),
                must_change_password: false,
            })
            .await
        {
            Ok(a) => a.id,
            // Another test of the same binary created it meanwhile.
            Err(e) => match s.account_for_login(&name).await.unwrap() {
                Some((a, _)) => a.id,
                None => panic!("cannot create {name}: {e}"),
            },
        },
    };
    let o = ytcs_web::auth::open_session(s.as_ref(), id, None)
        .await
        .unwrap();
    Session {
        cookie: format!("ytcs_session={}", o.token),
        csrf: o.csrf,
    }
}

/// An administrator's session.
pub async fn admin(s: &Arc<dyn Store>) -> Session {
    session(s, Role::Admin, "").await
}

/// The request, signed in as an administrator.
pub async fn as_admin(s: &Arc<dyn Store>, req: Request<Body>) -> Request<Body> {
    admin(s).await.apply(req)
}

/// What a fixture database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fixture {
    /// The administrative reference units.
    pub units: bool,
    /// The five seed plans of `data/seeds`.
    pub seeds: bool,
    /// The demo network registry and aggregate values (needs `units`).
    pub demo: bool,
}

/// The five seed plans.
pub const SEEDS: [&str; 5] = [
    "000_5ad8db25cf967cbe.txt",
    "001_6c2c492b7eec1205.txt",
    "002_5d8771779a960770.txt",
    "003_3ea79b4f7be72fab.txt",
    "004_1ec6eb96b9fafe38.txt",
];

/// A fresh SQLite store holding `f`: each kind is built once per test
/// binary (on its own thread and runtime) and copied for each test.
pub async fn fixture_store(f: Fixture) -> (Arc<dyn Store>, tempfile::TempDir) {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    use ytcs_store::StoreConfig;
    static BUILT: OnceLock<Mutex<HashMap<Fixture, tempfile::TempDir>>> = OnceLock::new();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let base = {
        let mut built = BUILT
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let base = built.entry(f).or_insert_with(|| {
            // Held by a static, never dropped: in target/tmp, not /tmp.
            let base = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
            let path = base.path().join("w.db");
            std::thread::spawn(move || {
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(build(f, path))
            })
            .join()
            .unwrap();
            base
        });
        base.path().join("w.db")
    };
    snapshot(&base, &dir.path().join("w.db")).await;
    let store = ytcs_store::open(&StoreConfig::Sqlite {
        path: dir.path().join("w.db"),
    })
    .await
    .unwrap();
    (store, dir)
}

async fn build(f: Fixture, path: std::path::PathBuf) {
    let config = ytcs_store::StoreConfig::Sqlite { path };
    let s = if f.units {
        ytcs_store::open_initialised(&config).await.unwrap()
    } else {
        ytcs_store::open(&config).await.unwrap()
    };
    if f.seeds {
        for name in SEEDS {
            let bytes = std::fs::read(format!(
                "{}/../../data/seeds/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let (plan, text) = ytcs_plandoc::read_document(name, &bytes).unwrap();
            s.insert_plan(&plan, &text).await.unwrap();
        }
    }
    if f.demo {
        ytcs_synth::demo_network::load_demo(s.as_ref())
            .await
            .unwrap();
        ytcs_synth::demo::load_demo_values(s.as_ref())
            .await
            .unwrap();
    }
    // Everything in `w.db` before it is copied.
    s.close().await;
}

/// A consistent copy of the SQLite database `from` at `to`, made by
/// SQLite itself (`VACUUM INTO`): a file copy could catch the log half
/// written back into the database (seen as "seed plan not found" and
/// "database disk image is malformed").
pub async fn snapshot(from: &std::path::Path, to: &std::path::Path) {
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", from.display()))
        .await
        .unwrap();
    sqlx::query("VACUUM INTO $1")
        .bind(to.display().to_string())
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
}

/// A fresh SQLite store holding the reference units.
pub async fn units_store() -> (Arc<dyn Store>, tempfile::TempDir) {
    fixture_store(Fixture {
        units: true,
        seeds: false,
        demo: false,
    })
    .await
}

/// `GET uri` through the router as an administrator, with "today" fixed:
/// the status and the body.
pub async fn get_as_admin(
    s: &Arc<dyn Store>,
    today: fn() -> ytcs_core::Date,
    uri: &str,
) -> (axum::http::StatusCode, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let state = ytcs_web::AppState {
        today,
        ..ytcs_web::AppState::new(s.clone())
    };
    let req = as_admin(s, Request::get(uri).body(Body::empty()).unwrap()).await;
    let resp = ytcs_web::router(state).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Sends `req` through the router with "today" fixed: the status and the
/// body.
pub async fn send_on(
    s: &Arc<dyn Store>,
    today: fn() -> ytcs_core::Date,
    req: Request<Body>,
) -> (axum::http::StatusCode, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let state = ytcs_web::AppState {
        today,
        ..ytcs_web::AppState::new(s.clone())
    };
    let resp = ytcs_web::router(state).oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// `GET uri`.
pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

/// `POST uri` with a form body.
pub fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}
