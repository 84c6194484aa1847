//! `ytcs`: the one binary. Parses arguments, wires the store and the web
//! server, and turns errors into a one-line message and an exit code.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use ytcs_core::org::OrgCode;
use ytcs_core::Date;
use ytcs_store::{Store, StoreConfig};

/// ytcs — hệ thống thông tin y tế cơ sở (Vietnam's grassroots health information system).
#[derive(Parser)]
#[command(name = "ytcs", version, about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Global {
    /// Directory that holds the SQLite database and files.
    #[arg(
        long,
        global = true,
        default_value = "ytcs-data",
        env = "YTCS_DATA_DIR"
    )]
    data_dir: PathBuf,
    /// PostgreSQL URL (postgres://user:password@host:port/db); SQLite in the data directory when absent.
    #[arg(long, global = true, env = "YTCS_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Log format on standard error.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the JSON API.
    Serve(ServeArgs),
    /// The demonstration database.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Organisation units (administrative units, facilities, agencies).
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Create the demo database if it is missing (or reuse it) and serve it.
    #[arg(long)]
    demo: bool,
    /// Port to listen on.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on (use 0.0.0.0 to serve the local network).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Create (or complete) the demo database in the data directory and exit.
    Init,
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Show the unit that carries CODE on a date.
    Show {
        /// The unit's code, e.g. 51 (a province) or 23479 (a commune).
        code: String,
        /// The date to look at (YYYY-MM-DD); default: today in Vietnam.
        #[arg(long, value_parser = parse_date)]
        at: Option<Date>,
        /// Print JSON (the stable contract) instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date: use YYYY-MM-DD, e.g. 2025-08-01"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.global.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("YTCS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn open_store(g: &Global) -> Result<Arc<dyn Store>> {
    let config = StoreConfig::from_parts(&g.data_dir, g.database_url.as_deref())?;
    let started = Instant::now();
    let store = ytcs_store::open_initialised(&config).await?;
    tracing::debug!(store = %config.describe(), ms = started.elapsed().as_millis() as u64, "store open");
    Ok(store)
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(&cli.global, args).await,
        Command::Demo {
            command: DemoCommand::Init,
        } => {
            let store = demo_init(&cli.global).await?;
            println!(
                "Demo database ready ({}) in {}",
                store.engine(),
                cli.global.data_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Org {
            command: OrgCommand::Show { code, at, json },
        } => org_show(&cli.global, &code, at, json).await,
    }
}

/// Creates or completes the demo database. Idempotent: run twice, the
/// second run finds everything in place.
async fn demo_init(g: &Global) -> Result<Arc<dyn Store>> {
    let store = open_store(g).await?;
    if store.meta("demo").await?.is_none() {
        store.set_meta("demo", env!("CARGO_PKG_VERSION")).await?;
    }
    Ok(store)
}

async fn serve(g: &Global, args: ServeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let store = if args.demo {
        demo_init(g).await?
    } else {
        open_store(g).await?
    };
    let addr = SocketAddr::new(args.host, args.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!("port {} is already in use on {}: stop the other program or choose another port with --port", args.port, args.host)
        } else {
            anyhow::anyhow!("cannot listen on {addr}: {e}")
        }
    })?;
    let local = listener.local_addr().context("reading the bound address")?;
    let app = ytcs_web::router(ytcs_web::AppState::new(store.clone()));
    println!(
        "ytcs đang chạy tại / serving at http://{local}  ({} ms, {})",
        started.elapsed().as_millis(),
        store.engine()
    );
    tracing::info!(%local, engine = store.engine(), "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

async fn org_show(g: &Global, code: &str, at: Option<Date>, json: bool) -> Result<ExitCode> {
    let code = OrgCode::parse(code)?;
    let at = at.unwrap_or_else(ytcs_web::today_in_vietnam);
    let store = open_store(g).await?;
    let Some(v) = ytcs_store::view::org_view(store.as_ref(), &code, at).await? else {
        let others = store.units_with_code(&code).await?;
        let hint = match others.first() {
            Some(u) => format!(
                "; the code was carried by {} ({} – {})",
                u.name,
                u.validity.from.map_or("?".into(), |d| d.to_string()),
                u.validity.to.map_or("now".into(), |d| d.to_string())
            ),
            None => {
                "; check the code, or search by name at /network or GET /api/v1/org?q=NAME".into()
            }
        };
        anyhow::bail!("no unit carries code {code} on {at}{hint}");
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{} ({}, {})", v.name, v.code, v.kind.as_str());
        for a in &v.ancestors {
            println!("  thuộc / in: {} ({})", a.name, a.code);
        }
        println!("  {} đơn vị trực thuộc / children", v.children.len());
        for p in &v.predecessors {
            println!(
                "  từ / from: {} ({}) — {} {}",
                p.unit.name, p.unit.code, p.lineage, p.date
            );
        }
        for s in &v.successors {
            println!(
                "  vào / into: {} ({}) — {} {}",
                s.unit.name, s.unit.code, s.lineage, s.date
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
