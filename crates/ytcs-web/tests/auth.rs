//! Sign-in, sessions, anti-forgery, throttling and the policy on every
//! route, driven through the router over a real SQLite store.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use ytcs_core::access::{Action, Role};
use ytcs_store::accounts::NewAccount;
use ytcs_store::Store;
use ytcs_web::{route_table, router, AppState, Need};

mod common;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn set_cookie(&self) -> String {
        self.headers
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }
    /// `ytcs_session=…` from Set-Cookie.
    fn session_cookie(&self) -> String {
        self.set_cookie().split(';').next().unwrap().to_string()
    }
}

async fn send(state: &AppState, req: Request<Body>) -> Reply {
    let resp = router(state.clone()).oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&body).to_string(),
    }
}

fn form(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_string()))
        .unwrap()
}

fn from_address(mut req: Request<Body>, ip: &str) -> Request<Body> {
    let addr: SocketAddr = format!("{ip}:50000").parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(addr));
    req
}

/// An account with a real argon2id password.
async fn account(s: &Arc<dyn Store>, name: &str, password: &str, role: Role, scope: &str) {
    s.create_account(&NewAccount {
        username: name.into(),
        display_name: format!("Nguyễn Văn {name}"),
        password_hash: ytcs_web::auth::hash_password(password).unwrap(),
        role,
        scope: ytcs_core::access::parse_scope(scope).unwrap(),
        must_change_password: false,
    })
    .await
    .unwrap();
}

fn login_form(user: &str, password: &str) -> String {
    serde_urlencoded::to_string([
        ("username", user),
        ("password", password),
        ("next", "/plans"),
    ])
    .unwrap()
}

/// A concrete path for a route pattern.
fn concrete(path: &str) -> String {
    path.replace("{code}", "51")
        .replace("{form}", "facility")
        .replace("{id}", "999")
        .replace("{update}", "999")
        .replace("{file}", "facility.csv")
        .replace("{lang}", "en")
        .replace("{key}", "commune_monthly")
}

#[tokio::test]
async fn without_a_session_only_sign_in_static_health_and_openapi_answer() {
    let (s, _d) = common::units_store().await;
    let state = AppState::new(s.clone());
    let mut public = vec![];
    for (method, path, need) in route_table() {
        let uri = concrete(path);
        let req = if method == Method::GET {
            Request::get(&uri).body(Body::empty()).unwrap()
        } else {
            Request::builder()
                .method(method.clone())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::empty())
                .unwrap()
        };
        let r = send(&state, req).await;
        match need {
            Need::Public => {
                public.push(format!("{method} {path}"));
                assert!(
                    r.status != StatusCode::UNAUTHORIZED && !r.location().starts_with("/login"),
                    "{method} {path} is public: {}",
                    r.status
                );
            }
            Need::Signed(_) if path.starts_with("/api/") => {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path}");
                assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
                assert!(r.body.contains("sign in first"), "{}", r.body);
            }
            Need::Signed(_) => {
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{method} {path}");
                assert!(r.location().starts_with("/login?next="), "{method} {path}");
                assert!(!r.body.contains("<nav"), "{method} {path} leaks a page");
            }
        }
    }
    public.sort();
    assert_eq!(
        public,
        [
            "GET /api/v1/openapi.json",
            "GET /healthz",
            "GET /login",
            "GET /static/app.css",
            "GET /static/review.js",
            "POST /api/v1/session",
            "POST /login",
        ]
    );
    // Paths that match no route do not answer either.
    let r = send(
        &state,
        Request::get("/khong-co").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(
        &state,
        Request::get("/api/v1/nothing").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_policy_says() {
    let (s, _d) = common::units_store().await;
    let state = AppState::new(s.clone());
    let mut checked = 0;
    for role in Role::ALL {
        let session = common::session(&s, role, "51").await;
        for (method, path, need) in route_table() {
            let uri = concrete(path);
            let req = if method == Method::GET {
                Request::get(&uri).body(Body::empty()).unwrap()
            } else {
                Request::builder()
                    .method(method.clone())
                    .uri(&uri)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::empty())
                    .unwrap()
            };
            // Signing out or changing one's password would end the session
            // the rest of the walk uses: checked for access only below.
            let ends_session = matches!(
                (method.as_str(), path),
                ("POST", "/logout") | ("DELETE", "/api/v1/session")
            );
            if ends_session {
                continue;
            }
            let r = send(&state, session.apply(req)).await;
            let allowed = match need {
                Need::Public => true,
                Need::Signed(a) => role.permits(a),
            };
            if allowed {
                assert!(
                    r.status != StatusCode::FORBIDDEN
                        && r.status != StatusCode::UNAUTHORIZED
                        && !r.location().starts_with("/login"),
                    "{} may {method} {path}: got {}",
                    role.code(),
                    r.status
                );
                assert!(
                    r.status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{method} {path}: {}",
                    r.body
                );
            } else {
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "{} may not {method} {path}",
                    role.code()
                );
                if !path.starts_with("/api/") {
                    assert!(r.body.contains("không cho phép"), "{}", r.body);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 5 * 45, "{checked}");
    // The two that end a session: every role may.
    for role in Role::ALL {
        let session = common::session(&s, role, "51").await;
        let r = send(&state, session.apply(form("/logout", ""))).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", role.code());
        let r = send(
            &state,
            session.apply(Request::get("/").body(Body::empty()).unwrap()),
        )
        .await;
        assert!(r.location().starts_with("/login"), "signed out");
    }
}

#[tokio::test]
async fn writes_are_refused_outside_the_users_scope() {
    let (s, _d) = common::units_store().await;
    let state = AppState::new(s.clone());
    let today = (state.today)();
    let province = s
        .unit_at(&ytcs_core::org::OrgCode::parse("51").unwrap(), today)
        .await
        .unwrap()
        .unwrap();
    let communes = s.children(province.id, today).await.unwrap();
    let (mine, other) = (&communes[0].code, &communes[1].code);
    let station = common::session(&s, Role::DataEntry, mine.as_str()).await;
    let body = "s.1.1=1&recognised_on=";
    let r = send(
        &state,
        station.apply(form(&format!("/org/{other}/criteria?year=2025"), body)),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another commune");
    let r = send(
        &state,
        station.apply(form(&format!("/org/{mine}/criteria?year=2025"), body)),
    )
    .await;
    assert_ne!(
        r.status,
        StatusCode::FORBIDDEN,
        "its own commune: {}",
        r.body
    );
    // A manager of another province may not touch this one's network.
    let manager = common::session(&s, Role::Manager, "48").await;
    let r = send(
        &state,
        manager.apply(form(
            &format!("/org/{mine}/network/population"),
            "year=2025",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Reading is open to every signed-in user.
    let r = send(
        &state,
        station.apply(
            Request::get(format!("/org/{other}"))
                .body(Body::empty())
                .unwrap(),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn signing_in_sets_a_safe_cookie_and_signing_out_ends_the_session() {
    let (s, _d) = common::units_store().await;
    account(&s, "lan", "mật khẩu của Lan", Role::Viewer, "51").await;
    let state = AppState::new(s.clone());

    let page = send(
        &state,
        Request::get("/login?next=/plans")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Đăng nhập") && page.body.contains("name=\"password\""));
    assert!(page.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    let bad = send(&state, form("/login", &login_form("lan", "sai rồi"))).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("Sai tên đăng nhập hoặc mật khẩu"));
    let unknown = send(&state, form("/login", &login_form("khong-ai", "sai rồi"))).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let ok = send(
        &state,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:8080")
            .body(Body::from(login_form("LAN", "mật khẩu của Lan")))
            .unwrap(),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.location(), "/plans");
    let c = ok.set_cookie();
    for part in [
        "ytcs_session=",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Secure",
    ] {
        assert!(c.contains(part), "{part} in {c}");
    }
    // Over plain HTTP to a LAN address the browser would drop a Secure cookie.
    let lan = send(
        &state,
        Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "192.168.1.10:8080")
            .body(Body::from(login_form("lan", "mật khẩu của Lan")))
            .unwrap(),
    )
    .await;
    assert!(!lan.set_cookie().contains("Secure"));

    let cookie = ok.session_cookie();
    let home = send(
        &state,
        Request::get("/")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Nguyễn Văn lan"),
        "the header names the user"
    );
    // The page embeds the session's token in its sign-out form.
    let csrf = home
        .body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    assert_eq!(csrf.len(), 64);

    // A form posted without the token, with a wrong one, or from another site, is refused.
    for (body, origin) in [
        (String::new(), None),
        ("_csrf=00".to_string(), None),
        (format!("_csrf={csrf}"), Some("http://evil.example")),
    ] {
        let mut req = Request::post("/logout")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(o) = origin {
            req = req.header(header::ORIGIN, o);
        }
        let r = send(&state, req.body(Body::from(body)).unwrap()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("tải lại trang"), "{}", r.body);
    }
    // With the token from the page, from this site: signed out.
    let out = send(
        &state,
        Request::post("/logout")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, "http://127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("_csrf={csrf}")))
            .unwrap(),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.set_cookie().contains("Max-Age=0"));
    let after = send(
        &state,
        Request::get("/")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        after.location().starts_with("/login"),
        "the old cookie is dead"
    );
    // Only a hash of the token is stored.
    assert!(!format!("{:?}", s.accounts().await.unwrap()).contains(&cookie[13..]));
}

#[tokio::test]
async fn a_multipart_form_carries_its_token_as_a_field() {
    let (s, _d) = common::units_store().await;
    let state = AppState::new(s.clone());
    let session = common::session(&s, Role::Manager, "51").await;
    let multipart = |csrf: &str| {
        let b = "XBOUNDARYX";
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{b}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"kh.txt\"\r\nContent-Type: text/plain\r\n\r\nKẾ HOẠCH\r\n--{b}--\r\n"
        );
        Request::post("/plans")
            .header(header::COOKIE, &session.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={b}"),
            )
            .body(Body::from(body))
            .unwrap()
    };
    let r = send(&state, multipart("wrong")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send(&state, multipart(&session.csrf)).await;
    assert_ne!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

#[tokio::test]
async fn the_eleventh_failed_sign_in_is_answered_429_with_retry_after() {
    let (s, _d) = common::units_store().await;
    account(&s, "minh", "mật khẩu của Minh", Role::Viewer, "51").await;
    account(&s, "hoa", "mật khẩu của Hoa", Role::Viewer, "51").await;
    let state = AppState::new(s.clone());
    for i in 0..10 {
        let r = send(
            &state,
            from_address(
                form("/login", &login_form("minh", &format!("sai {i}"))),
                "10.0.0.7",
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // Now even the right password waits, from that address.
    let r = send(
        &state,
        from_address(
            form("/login", &login_form("minh", "mật khẩu của Minh")),
            "10.0.0.7",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(r.body.contains("quá nhiều lần"));
    // The JSON sign-in is throttled the same way.
    let r = send(
        &state,
        from_address(
            Request::post("/api/v1/session")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    r#"{"username":"minh","password":"mật khẩu của Minh"}"#,
                ))
                .unwrap(),
            "10.0.0.7",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
    // Somebody's typos do not lock out the others behind the same address
    // (one router, one proxy) …
    let r = send(
        &state,
        from_address(
            form("/login", &login_form("hoa", "mật khẩu của Hoa")),
            "10.0.0.7",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // … nor the same person from another address.
    let r = send(
        &state,
        from_address(
            form("/login", &login_form("minh", "mật khẩu của Minh")),
            "10.0.0.8",
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn api_clients_sign_in_with_json_and_use_a_bearer_token() {
    let (s, _d) = common::units_store().await;
    account(&s, "api", "khóa bí mật dài", Role::Manager, "51").await;
    let state = AppState::new(s.clone());
    let json = |body: &str| {
        Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = send(&state, json(r#"{"username":"api","password":"sai"}"#)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("wrong username or password"));
    let r = send(&state, json(r#"{"username":"api"}"#)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = send(&state, json("not json")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    let r = send(
        &state,
        json(r#"{"username":"api","password":"khóa bí mật dài"}"#),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let token = v["token"].as_str().unwrap().to_string();
    assert_eq!(v["user"]["role"], "manager");
    assert_eq!(v["user"]["scope"], serde_json::json!(["51"]));
    let bearer = format!("Bearer {token}");

    let r = send(
        &state,
        Request::get("/api/v1/plans").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = send(
        &state,
        Request::get("/api/v1/plans")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(
        &state,
        Request::get("/api/v1/session")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(r.body.contains("\"username\":\"api\""));
    // A bearer POST needs no anti-forgery token (no ambient credential).
    let r = send(
        &state,
        Request::post("/api/v1/plans?name=kh.txt")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::from("KẾ HOẠCH\nthử"))
            .unwrap(),
    )
    .await;
    assert_ne!(r.status, StatusCode::FORBIDDEN);
    // The cookie set by the JSON sign-in needs the token for unsafe requests.
    let r = send(
        &state,
        Request::post("/api/v1/plans?name=kh.txt")
            .header(header::COOKIE, format!("ytcs_session={token}"))
            .body(Body::from("KẾ HOẠCH\nthử"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("X-CSRF-Token"));
    let r = send(
        &state,
        Request::delete("/api/v1/session")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(
        &state,
        Request::get("/api/v1/plans")
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_administrator_creates_and_resets_accounts_that_must_choose_a_password() {
    let (s, _d) = common::units_store().await;
    let state = AppState::new(s.clone());
    let admin = common::admin(&s).await;
    let r = send(
        &state,
        admin.apply(form(
            "/admin/users",
            "username=thu.tram&display_name=Tr%E1%BA%A7n+Th%E1%BB%8B+Thu&role=data_entry&scope=23479",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let temp = r
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|x| x.split('<').next())
        .unwrap()
        .to_string();
    assert_eq!(temp.len(), 16);
    // Bad input is named, nothing created.
    let r = send(
        &state,
        admin.apply(form(
            "/admin/users",
            "username=a%20b&display_name=X&role=viewer",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("Tên đăng nhập không hợp lệ"));
    let r = send(
        &state,
        admin.apply(form(
            "/admin/users",
            "username=ab&display_name=X&role=viewer&scope=51/2",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(s.count_accounts().await.unwrap(), 2);

    // The new user must choose a password before anything else.
    let ok = send(&state, form("/login", &login_form("thu.tram", &temp))).await;
    assert_eq!(ok.location(), "/account/password");
    let cookie = ok.session_cookie();
    let get = |uri: &str| {
        Request::get(uri)
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap()
    };
    let r = send(&state, get("/plans")).await;
    assert_eq!(r.location(), "/account/password");
    let r = send(&state, get("/account/password")).await;
    assert!(r.body.contains("cần đặt mật khẩu mới"));
    let csrf = r
        .body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .unwrap()
        .to_string();
    let change = |body: String| {
        Request::post("/account/password")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let r = send(
        &state,
        change(format!("_csrf={csrf}&current={temp}&new=ngan&confirm=ngan")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("ít nhất 10 ký tự"));
    let r = send(
        &state,
        change(format!(
            "_csrf={csrf}&current=sai&new=mot+hai+ba+bon&confirm=mot+hai+ba+bon"
        )),
    )
    .await;
    assert!(r.body.contains("Mật khẩu hiện tại không đúng"));
    let r = send(
        &state,
        change(format!(
            "_csrf={csrf}&current={temp}&new=mot+hai+ba+bon&confirm=mot+hai+ba+bon"
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let fresh = r.session_cookie();
    let r = send(
        &state,
        Request::get("/plans")
            .header(header::COOKIE, &fresh)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "free to work now");
    let old = send(&state, form("/login", &login_form("thu.tram", &temp))).await;
    assert_eq!(
        old.status,
        StatusCode::UNAUTHORIZED,
        "the temporary password is gone"
    );

    // A reset by the administrator: a new temporary password, sessions closed.
    let acc = s.account_for_login("thu.tram").await.unwrap().unwrap().0;
    let r = send(
        &state,
        admin.apply(form(&format!("/admin/users/{}/reset", acc.id), "")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = send(
        &state,
        Request::get("/plans")
            .header(header::COOKIE, &fresh)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(r.location().starts_with("/login"));
    // Deactivated: cannot sign in.
    let r = send(
        &state,
        admin.apply(form(
            &format!("/admin/users/{}", acc.id),
            "role=viewer&scope=51",
        )),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let acc = s.account_for_login("thu.tram").await.unwrap().unwrap().0;
    assert!(!acc.active);
    assert_eq!(acc.role, Role::Viewer);
    // Only administrators manage accounts.
    let manager = common::session(&s, Role::Manager, "51").await;
    let r = send(
        &state,
        manager.apply(Request::get("/admin/users").body(Body::empty()).unwrap()),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(Role::Manager.permits(Action::ViewAudit));
}

mod json_inputs {
    use super::*;
    use proptest::prelude::*;

    fn runtime() -> &'static tokio::runtime::Runtime {
        static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
        RT.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
    }

    fn state() -> &'static (AppState, String, tempfile::TempDir) {
        static S: std::sync::OnceLock<(AppState, String, tempfile::TempDir)> =
            std::sync::OnceLock::new();
        S.get_or_init(|| {
            std::thread::spawn(|| {
                runtime().block_on(async {
                    let (s, d) = common::units_store().await;
                    let bearer = common::session(&s, Role::Manager, "51").await;
                    let token = bearer
                        .cookie
                        .trim_start_matches("ytcs_session=")
                        .to_string();
                    (AppState::new(s), token, d)
                })
            })
            .join()
            .unwrap()
        })
    }

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            ".{0,40}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                prop::collection::btree_map("(username|password|[a-z]{1,8})", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        /// Whatever JSON (or bytes) reach the API, the answer is a clear
        /// 4xx or a success, never a server error or a crash.
        #[test]
        fn the_api_answers_any_json_with_a_client_error_not_a_crash(
            v in json_value(),
            raw in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let (state, token, _) = state();
            let bodies = [serde_json::to_vec(&v).unwrap(), raw];
            for body in bodies {
                for (method, uri) in [
                    (Method::POST, "/api/v1/session"),
                    (Method::POST, "/api/v1/plans?name=x.txt"),
                    (Method::GET, "/api/v1/org?q=x"),
                ] {
                    let req = Request::builder()
                        .method(method.clone())
                        .uri(uri)
                        .header(header::CONTENT_TYPE, "application/json")
                        .header(header::AUTHORIZATION, format!("Bearer {token}"))
                        .body(Body::from(body.clone()))
                        .unwrap();
                    let r = runtime().block_on(send(state, req));
                    prop_assert!(r.status.as_u16() < 500, "{method} {uri}: {} {}", r.status, r.body);
                }
            }
        }
    }
}
