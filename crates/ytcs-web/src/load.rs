//! `ytcs bench load`: concurrent writers and readers against the real
//! server on loopback, as health staff would use it on a busy morning.
//!
//! The server is [`crate::server::serve`] with the full router over the
//! given store, on `127.0.0.1` and a free port; nothing leaves the
//! machine. Each client holds one keep-alive HTTP/1.1 connection and a
//! session of its own (an account `load-wN`/`load-rN` created for the run):
//!
//! - a **writer** is a commune station saving its monthly report: it opens
//!   the entry form of its own commune, then saves one value after another
//!   (`POST /data/entry`, all or nothing through `write_values`), reading
//!   the form back after each save as a browser does after the redirect;
//! - a **reader** goes round the pages a provincial officer reads: a
//!   commune's dashboard, an indicator's page, the plans, a scorecard, the
//!   network page of the province.
//!
//! The run is bounded in time and stops by itself. An error is an answer
//! of 500 or more or a broken connection; a refusal (4xx) is counted apart
//! (none is expected). At the end every writer's last acknowledged value
//! is read back from the store: none may be lost.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use http_body_util::BodyExt;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use serde::Serialize;
use ytcs_core::access::Role;
use ytcs_core::org::{OrgCode, OrgKind};
use ytcs_store::accounts::NewAccount;
use ytcs_store::values::ValueFilter;
use ytcs_store::Store;

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct LoadConfig {
    /// Clients saving forms.
    pub writers: usize,
    /// Clients reading pages.
    pub readers: usize,
    /// How long.
    pub duration: Duration,
}

/// Latencies of one kind of request.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// Requests answered.
    pub requests: usize,
    /// Median, milliseconds.
    pub p50_ms: f64,
    /// 95th percentile, milliseconds.
    pub p95_ms: f64,
    /// Slowest, milliseconds.
    pub max_ms: f64,
}

/// What a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// Writers and readers.
    pub writers: usize,
    /// Readers.
    pub readers: usize,
    /// Seconds the clients ran.
    pub seconds: f64,
    /// Per kind of request (`save`, `form`, `dashboard`, …) and `all`.
    pub latency: BTreeMap<String, Latency>,
    /// Answers of 500 or more, and broken connections.
    pub errors: usize,
    /// Answers of 400–499.
    pub refused: usize,
    /// The first few errors, as text.
    pub error_samples: Vec<String>,
    /// Saves acknowledged (303) by the server.
    pub saves_acknowledged: usize,
    /// Acknowledged values not found in the store afterwards.
    pub saves_lost: usize,
}

impl LoadReport {
    /// Human-readable lines.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} writers + {} readers for {:.0} s on loopback: {} errors (5xx or broken), {} refused (4xx), {} saves acknowledged, {} lost",
            self.writers,
            self.readers,
            self.seconds,
            self.errors,
            self.refused,
            self.saves_acknowledged,
            self.saves_lost
        )];
        for (kind, l) in &self.latency {
            out.push(format!(
                "  {kind:<10} {:>6} requests   p50 {:>7.1} ms   p95 {:>7.1} ms   max {:>7.1} ms",
                l.requests, l.p50_ms, l.p95_ms, l.max_ms
            ));
        }
        for e in &self.error_samples {
            out.push(format!("  error: {e}"));
        }
        out
    }
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The store failed while preparing or checking.
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
    /// The machine refused (no port, no socket).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The data is not what the run needs.
    #[error("{0}")]
    Setup(String),
}

struct Client {
    send: http1::SendRequest<Body>,
    cookie: String,
    csrf: String,
}

struct Answer {
    status: u16,
    body: String,
}

impl Client {
    async fn connect(
        addr: std::net::SocketAddr,
        cookie: String,
        csrf: String,
    ) -> Result<Self, String> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        let (send, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Client { send, cookie, csrf })
    }

    async fn request(
        &mut self,
        method: &str,
        uri: &str,
        form: Option<String>,
    ) -> Result<Answer, String> {
        self.send.ready().await.map_err(|e| e.to_string())?;
        let mut b = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1")
            .header("cookie", &self.cookie);
        if form.is_some() {
            b = b
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-csrf-token", &self.csrf);
        }
        let req = b
            .body(Body::from(form.unwrap_or_default()))
            .map_err(|e| e.to_string())?;
        let resp = self
            .send
            .send_request(req)
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }
}

#[derive(Default)]
struct Tally {
    samples: BTreeMap<&'static str, Vec<f64>>,
    errors: usize,
    refused: usize,
    error_samples: Vec<String>,
}

impl Tally {
    fn record(&mut self, kind: &'static str, started: Instant, r: &Result<Answer, String>) {
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match r {
            Ok(a) if a.status < 400 => self.samples.entry(kind).or_default().push(ms),
            Ok(a) if a.status < 500 => {
                self.refused += 1;
                self.samples.entry(kind).or_default().push(ms);
                if self.error_samples.len() < 5 {
                    self.error_samples.push(format!(
                        "{kind}: {} {}",
                        a.status,
                        first_words(&a.body)
                    ));
                }
            }
            Ok(a) => {
                self.errors += 1;
                if self.error_samples.len() < 5 {
                    self.error_samples.push(format!(
                        "{kind}: {} {}",
                        a.status,
                        first_words(&a.body)
                    ));
                }
            }
            Err(e) => {
                self.errors += 1;
                if self.error_samples.len() < 5 {
                    self.error_samples.push(format!("{kind}: {e}"));
                }
            }
        }
    }
}

fn first_words(body: &str) -> String {
    let text = body
        .split("<main")
        .nth(1)
        .unwrap_or(body)
        .split('<')
        .filter_map(|p| p.split_once('>').map(|(_, t)| t.trim()))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    text.chars().take(160).collect()
}

/// An entry form's first field that takes input (not derived, not
/// read-only): its name and the value shown.
fn writable_field(html: &str) -> Option<(String, String)> {
    html.split("<input ").skip(1).find_map(|tag| {
        let tag = tag.split('>').next()?;
        let name = tag.split("name=\"").nth(1)?.split('"').next()?;
        if !name.starts_with("v.") || tag.contains("readonly") {
            return None;
        }
        let value = tag
            .split("value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap_or("");
        Some((name.to_string(), value.replace("&#x2e;", ".")))
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn latency(mut v: Vec<f64>) -> Latency {
    v.sort_by(f64::total_cmp);
    Latency {
        requests: v.len(),
        p50_ms: percentile(&v, 0.50),
        p95_ms: percentile(&v, 0.95),
        max_ms: v.last().copied().unwrap_or(0.0),
    }
}

async fn session(
    store: &dyn Store,
    name: &str,
    role: Role,
    scope: Vec<OrgCode>,
) -> Result<(String, String), LoadError> {
    let id = match store.account_for_login(name).await? {
        Some((a, _)) => a.id,
        None => {
            store
                .create_account(&NewAccount {
                    username: name.into(),
                    display_name: format!("Đo tải {name}"),
                    // No password: these accounts only get sessions opened here.
                    password_hash: "!".into(),
                    role,
                    scope,
                    must_change_password: false,
                })
                .await?
                .id
        }
    };
    let s = crate::app::auth::open_session(store, id, None).await?;
    Ok((
        format!("{}={}", crate::app::auth::SESSION_COOKIE, s.token),
        s.csrf,
    ))
}

/// Runs the load against a store that holds the demo (province 51, its
/// plans and values), on `today`'s previous month.
pub async fn run(
    store: Arc<dyn Store>,
    config: LoadConfig,
    today: ytcs_core::Date,
) -> Result<LoadReport, LoadError> {
    let h = store.hierarchy().await?;
    let province = h
        .unit_at(
            &OrgCode::parse("51").map_err(|e| LoadError::Setup(e.to_string()))?,
            today,
        )
        .ok_or_else(|| LoadError::Setup("no province 51: run the demo first".into()))?;
    let mut communes = vec![];
    let mut stack = vec![province.id];
    while let Some(u) = stack.pop() {
        for c in h.children(u, today) {
            if c.kind == OrgKind::Commune {
                communes.push(c.code.clone());
            } else {
                stack.push(c.id);
            }
        }
    }
    communes.sort();
    // Communes from the end of the list: away from the demo's health centre.
    communes.reverse();
    if communes.len() < config.writers {
        return Err(LoadError::Setup(format!(
            "province 51 has {} communes, fewer than {} writers",
            communes.len(),
            config.writers
        )));
    }
    let period = {
        use chrono::Datelike;
        let first = today.with_day(1).unwrap_or(today);
        let last_month = first.pred_opt().unwrap_or(first);
        format!("{:04}-{:02}", last_month.year(), last_month.month())
    };
    let plans = store.list_plans().await?;
    let plan = plans
        .first()
        .map(|p| p.id)
        .ok_or_else(|| LoadError::Setup("no plan: run the demo first".into()))?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let app = crate::router(crate::app::AppState::new(store.clone()));
    let server = tokio::spawn(crate::server::serve(
        listener,
        app,
        crate::server::ServeConfig::default(),
        async {
            let _ = stop_rx.await;
        },
    ));

    let deadline = Instant::now() + config.duration;
    let started = Instant::now();
    let mut tasks = vec![];
    for (w, commune) in communes.iter().take(config.writers).cloned().enumerate() {
        let (cookie, csrf) = session(
            store.as_ref(),
            &format!("load-w{w}"),
            Role::DataEntry,
            vec![commune.clone()],
        )
        .await?;
        let url = format!("/data/entry?set=commune_monthly&org={commune}&period={period}");
        tasks.push(tokio::spawn(async move {
            let mut t = Tally::default();
            let mut last: Option<(String, String, i64)> = None;
            let mut acked = 0usize;
            let mut client = match Client::connect(addr, cookie, csrf).await {
                Ok(c) => c,
                Err(e) => {
                    t.errors += 1;
                    t.error_samples.push(format!("connect: {e}"));
                    return (t, last, acked);
                }
            };
            let mut n: i64 = 1;
            let mut form = None;
            while Instant::now() < deadline {
                let s = Instant::now();
                let r = client.request("GET", &url, None).await;
                t.record("form", s, &r);
                let Ok(page) = r else { break };
                if let Some(f) = writable_field(&page.body) {
                    form = Some(f);
                }
                let Some((field, shown)) = form.clone() else {
                    t.errors += 1;
                    t.error_samples.push(format!(
                        "no writable field on {url}: {}",
                        first_words(&page.body)
                    ));
                    break;
                };
                let value = 1000 + n;
                let body = serde_urlencoded::to_string([
                    (field.as_str(), value.to_string()),
                    (format!("was.{field}").as_str(), shown.clone()),
                ])
                .unwrap_or_default();
                let s = Instant::now();
                let r = client.request("POST", &url, Some(body)).await;
                let ok = matches!(&r, Ok(a) if a.status == 303);
                t.record("save", s, &r);
                if ok {
                    acked += 1;
                    last = Some((commune.to_string(), field.clone(), value));
                }
                if r.is_err() {
                    break;
                }
                n += 1;
            }
            (t, last, acked)
        }));
    }
    let mut readers = vec![];
    for r in 0..config.readers {
        let (cookie, csrf) = session(
            store.as_ref(),
            &format!("load-r{r}"),
            Role::Manager,
            vec![province.code.clone()],
        )
        .await?;
        let commune = communes[r % communes.len()].clone();
        let pages: Vec<(&'static str, String)> = vec![
            ("dashboard", format!("/org/{commune}/dashboard")),
            ("indicator", "/indicators/bhyt_coverage?org=51".to_string()),
            ("plans", "/plans".to_string()),
            ("scorecard", format!("/plans/{plan}/scorecard")),
            ("network", "/org/51/network".to_string()),
        ];
        readers.push(tokio::spawn(async move {
            let mut t = Tally::default();
            let mut client = match Client::connect(addr, cookie, csrf).await {
                Ok(c) => c,
                Err(e) => {
                    t.errors += 1;
                    t.error_samples.push(format!("connect: {e}"));
                    return t;
                }
            };
            let mut i = r;
            while Instant::now() < deadline {
                let (kind, uri) = &pages[i % pages.len()];
                let s = Instant::now();
                let a = client.request("GET", uri, None).await;
                t.record(kind, s, &a);
                if a.is_err() {
                    break;
                }
                i += 1;
            }
            t
        }));
    }
    let mut all = Tally::default();
    let mut acked = 0;
    let mut lasts = vec![];
    let merge = |t: Tally, all: &mut Tally| {
        for (k, v) in t.samples {
            all.samples.entry(k).or_default().extend(v);
        }
        all.errors += t.errors;
        all.refused += t.refused;
        for e in t.error_samples {
            if all.error_samples.len() < 8 {
                all.error_samples.push(e);
            }
        }
    };
    for task in tasks {
        let (t, last, a) = task.await.map_err(|e| LoadError::Setup(e.to_string()))?;
        merge(t, &mut all);
        acked += a;
        lasts.extend(last);
    }
    for task in readers {
        let t = task.await.map_err(|e| LoadError::Setup(e.to_string()))?;
        merge(t, &mut all);
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = stop_tx.send(());
    let _ = server.await;

    // Every acknowledged save is in the store.
    let mut lost = 0;
    let p: ytcs_core::period::Period = period
        .parse()
        .map_err(|e: ytcs_core::period::PeriodParseError| LoadError::Setup(e.to_string()))?;
    for (commune, field, value) in &lasts {
        let code = OrgCode::parse(commune).map_err(|e| LoadError::Setup(e.to_string()))?;
        let Some(unit) = h.unit_at(&code, today) else {
            continue;
        };
        let mut parts = field.trim_start_matches("v.").splitn(2, '.');
        let element = parts.next().unwrap_or("").to_string();
        let disagg = parts.next().unwrap_or("").to_string();
        let stored = store
            .data_values(&ValueFilter {
                element: Some(element),
                period: Some(p),
                units: Some(vec![unit.id]),
                ..ValueFilter::default()
            })
            .await?;
        let found = stored
            .iter()
            .any(|v| v.value.disagg == disagg && v.value.value.to_f64() == *value as f64);
        if !found {
            lost += 1;
        }
    }
    let mut latency_by_kind: BTreeMap<String, Latency> = BTreeMap::new();
    let mut every = vec![];
    for (k, v) in all.samples {
        every.extend(v.iter().copied());
        latency_by_kind.insert(k.to_string(), latency(v));
    }
    latency_by_kind.insert("all".into(), latency(every));
    Ok(LoadReport {
        writers: config.writers,
        readers: config.readers,
        seconds,
        latency: latency_by_kind,
        errors: all.errors,
        refused: all.refused,
        error_samples: all.error_samples,
        saves_acknowledged: acked,
        saves_lost: lost,
    })
}
