//! `ytcs`: the one binary. Parses arguments, wires the store and the web
//! server, and turns errors into a one-line message and an exit code.
//!
//! clap arguments (a bad command line exits with 2, any other error with
//! 1), logging with `tracing` (text or JSON on stderr), graceful shutdown.
//! Each command family has its `*_cmd.rs`; the work is in the library
//! crates. While serving, `advance_registers` derives the registers'
//! communes through the new month once an hour.
#![forbid(unsafe_code)]

mod backup_cmd;
mod bench_import;
mod demo;
mod generate_cmd;
mod indicator_cmd;
mod national_cmd;
mod network_cmd;

/// `println!` that stops quietly when the reader has gone away (`ytcs … | head`)
/// instead of panicking on a broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        if let Err(e) = writeln!(stdout, $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            return Err(anyhow::Error::from(e).context("writing to standard output"));
        }
    }};
}

mod fhir_cmd;
mod report_cmd;
mod user_cmd;

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
pub(crate) struct Global {
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
    /// Plans read from documents (text, DOCX).
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Indicators and data elements computed for a unit and period.
    Indicator {
        #[command(subcommand)]
        command: network_cmd::IndicatorCommand,
    },
    /// The health network registry: import, export, templates, reforms.
    Network {
        #[command(subcommand)]
        command: network_cmd::NetworkCommand,
    },
    /// Measure speed (figures as JSON; never pass/fail).
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Fold the raw data values into every period's totals and compare with those held (--verify: only compare; exit 0 only when equal).
    Rebuild {
        /// Compare only; exit code 1 when the held totals differ from the fold.
        #[arg(long)]
        verify: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Accounts: the first administrator, listing, password replacement.
    User {
        #[command(subcommand)]
        command: user_cmd::UserCommand,
    },
    /// Aggregate data values: import and export (CSV, ADX).
    Data {
        #[command(subcommand)]
        command: indicator_cmd::DataCommand,
    },
    /// Back up the whole database into one file (--out); the database is not changed.
    Backup(backup_cmd::BackupArgs),
    /// Restore a backup into a new, empty database (the one --data-dir or --database-url names).
    Restore(backup_cmd::RestoreArgs),
    /// Reports: a plan's implementation report as DOCX, XLSX, PDF or HTML.
    Report {
        #[command(subcommand)]
        command: report_cmd::ReportCommand,
    },
    /// Fill an empty register with a synthetic population of the demo province, then derive its values.
    Generate(generate_cmd::GenerateArgs),
    /// The station's registers as FHIR R4 bundles: export a person or a commune, import a bundle.
    Fhir {
        #[command(subcommand)]
        command: fhir_cmd::FhirCommand,
    },
    /// The national tier: publish this province into the national warehouse.
    National {
        #[command(subcommand)]
        command: national_cmd::NationalCommand,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Read a plan document and print it as JSON (ytcs.plan/1); store nothing.
    Parse {
        /// A plan document: UTF-8 text or DOCX.
        file: PathBuf,
    },
    /// Read a plan document, store it, and print it as JSON with its id.
    Import {
        /// A plan document: UTF-8 text or DOCX.
        file: PathBuf,
    },
    /// List stored plans.
    List {
        /// Print JSON: [{"id","number","date","issuer","title"}…].
        #[arg(long)]
        json: bool,
    },
    /// Targets people marked on review pages ("đây là chỉ tiêu"), kept as labelled examples.
    Examples {
        #[command(subcommand)]
        command: ExamplesCommand,
    },
    /// Score the reader against hand-made gold files (NAME.gold.json beside NAME.txt|.docx).
    Score {
        /// A directory of documents and their gold files.
        dir: PathBuf,
        /// Also list each document's misses.
        #[arg(long, short)]
        verbose: bool,
    },
}

#[derive(Subcommand)]
enum ExamplesCommand {
    /// Write each corrected plan's source (planID.txt) and a gold file of
    /// its reviewed lines (planID.gold.json) into DIR, for `plan score DIR`.
    Export {
        /// The directory to write into (created if missing).
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Plan-document reading throughput on the five embedded seed plans.
    Plans {
        /// How many times to read the five seeds.
        #[arg(long, default_value_t = 20)]
        rounds: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Network timings: unit lists with lineage, children, roll-up, indicators.
    Network {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Province to measure.
        #[arg(long, default_value = "51")]
        province: String,
    },
    /// Station registers: generate, load, derive and write every commune, verify, save one event, search (on PostgreSQL also the derivation as SQL).
    Registers {
        /// How many persons to generate (into an empty database).
        #[arg(long, default_value_t = 100_000)]
        persons: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Concurrent writers and readers against the real server on loopback
    /// (a fresh demo database in a temporary directory, or the PostgreSQL
    /// database of --database-url): latency p50/p95, errors, lost saves.
    Load {
        /// Clients saving entry forms, each for its own commune.
        #[arg(long, default_value_t = 10)]
        writers: usize,
        /// Clients reading pages.
        #[arg(long, default_value_t = 10)]
        readers: usize,
        /// How long, in seconds.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The product's path from a file to every level: generate a file over
    /// every commune, import it as `ytcs data import` does, rebuild as
    /// `ytcs rebuild --verify` does, check totals, time 50-cell analytics
    /// queries; with --baselines, PostgreSQL and DuckDB on the same file.
    Indicators {
        /// How many values to generate.
        #[arg(long, default_value_t = 1_000_000)]
        values: usize,
        /// The baselines script (`scripts/bench-baselines`) to run on the same file.
        #[arg(long)]
        baselines: Option<std::path::PathBuf>,
        /// Import into PostgreSQL instead of SQLite: a fresh database
        /// created on this server (the role needs CREATEDB) and dropped after.
        #[arg(long, value_name = "URL")]
        postgres: Option<String>,
        /// Keep the generated file and the SQLite database in this
        /// directory (to import the file again, or profile one step).
        #[arg(long, value_name = "DIR")]
        keep: Option<std::path::PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
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

fn store_config(g: &Global) -> Result<StoreConfig> {
    Ok(StoreConfig::from_parts(
        &g.data_dir,
        g.database_url.as_deref(),
    )?)
}

async fn open_store(g: &Global) -> Result<Arc<dyn Store>> {
    let config = store_config(g)?;
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
            out!(
                "Demo database ready ({}) in {}",
                store.engine(),
                cli.global.data_dir.display()
            );
            print_demo_accounts()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Org {
            command: OrgCommand::Show { code, at, json },
        } => org_show(&cli.global, &code, at, json).await,
        Command::Plan { command } => plan_command(&cli.global, command).await,
        Command::Bench {
            command: BenchCommand::Plans { rounds, json },
        } => bench_plans(rounds, json),
        Command::Bench {
            command: BenchCommand::Network { json, province },
        } => network_cmd::bench(open_store(&cli.global).await?.as_ref(), json, &province).await,
        Command::Indicator { command } => {
            indicator_cmd::indicator(open_store(&cli.global).await?.as_ref(), command).await
        }
        Command::Rebuild { verify, json } => {
            indicator_cmd::rebuild(open_store(&cli.global).await?.as_ref(), verify, json).await
        }
        Command::National { command } => {
            national_cmd::national(open_store(&cli.global).await?.as_ref(), command).await
        }
        Command::Data { command } => {
            indicator_cmd::data(open_store(&cli.global).await?.as_ref(), command).await
        }
        Command::Bench {
            command:
                BenchCommand::Indicators {
                    values,
                    baselines,
                    postgres,
                    keep,
                    json,
                },
        } => {
            let store = demo_init(&cli.global).await?;
            indicator_cmd::bench_indicators(
                store.as_ref(),
                values,
                baselines,
                postgres.as_deref(),
                keep.as_deref(),
                json,
            )
            .await
        }
        Command::Bench {
            command:
                BenchCommand::Registers {
                    persons,
                    seed,
                    json,
                },
        } => generate_cmd::bench(&cli.global, persons, seed, json).await,
        Command::Bench {
            command:
                BenchCommand::Load {
                    writers,
                    readers,
                    seconds,
                    json,
                },
        } => bench_load(&cli.global, writers, readers, seconds, json).await,
        Command::Network { command } => {
            network_cmd::network(open_store(&cli.global).await?.as_ref(), command).await
        }
        Command::User { command } => {
            user_cmd::user(open_store(&cli.global).await?.as_ref(), command).await
        }
        Command::Backup(args) => backup_cmd::backup(&store_config(&cli.global)?, args).await,
        Command::Restore(args) => backup_cmd::restore(&store_config(&cli.global)?, args).await,
        Command::Report { command } => {
            let forms_dir = cli.global.data_dir.join("report-forms");
            report_cmd::report(&forms_dir, command, || open_store(&cli.global)).await
        }
        Command::Generate(args) => {
            generate_cmd::generate(open_store(&cli.global).await?.as_ref(), args).await
        }
        Command::Fhir { command } => {
            fhir_cmd::fhir(open_store(&cli.global).await?.as_ref(), command).await
        }
    }
}

/// Creates or completes the demo database. Idempotent: run twice, the
/// second run finds everything in place.
async fn demo_init(g: &Global) -> Result<Arc<dyn Store>> {
    let store = open_store(g).await?;
    demo::import_seed_plans(store.as_ref()).await?;
    ytcs_synth::demo_network::load_demo(store.as_ref()).await?;
    ytcs_synth::demo::load_demo_values(store.as_ref()).await?;
    demo::ensure_demo_accounts(store.as_ref()).await?;
    demo::load_demo_registers(store.as_ref()).await?;
    demo::load_demo_activity(store.as_ref()).await?;
    demo::load_demo_agencies(store.as_ref()).await?;
    if store.meta("demo").await?.is_none() {
        store.set_meta("demo", env!("CARGO_PKG_VERSION")).await?;
    }
    Ok(store)
}

/// `ytcs bench load`: the demo in a temporary directory (SQLite) or the
/// given PostgreSQL database, then [`ytcs_web::load::run`].
async fn bench_load(
    g: &Global,
    writers: usize,
    readers: usize,
    seconds: u64,
    json: bool,
) -> Result<ExitCode> {
    if writers + readers == 0 || writers + readers > 200 || seconds == 0 || seconds > 3600 {
        anyhow::bail!("use 1 to 200 clients in all and 1 to 3600 seconds");
    }
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let g = Global {
        data_dir: if g.database_url.is_some() {
            g.data_dir.clone()
        } else {
            dir.path().join("ytcs-data")
        },
        database_url: g.database_url.clone(),
        log_format: g.log_format,
    };
    let started = Instant::now();
    let store = demo_init(&g).await?;
    eprintln!(
        "demo database ready ({}) in {:.0} s; running {writers} writers and {readers} readers for {seconds} s",
        store.engine(),
        started.elapsed().as_secs_f64()
    );
    let report = ytcs_web::load::run(
        store,
        ytcs_web::load::LoadConfig {
            writers,
            readers,
            duration: std::time::Duration::from_secs(seconds),
        },
        ytcs_web::today_in_vietnam(),
    )
    .await?;
    if json {
        out!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for line in report.lines() {
            out!("{line}");
        }
    }
    Ok(if report.errors == 0 && report.saves_lost == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_demo_accounts() -> Result<()> {
    out!("Tài khoản thử / demo accounts (username / password):");
    for a in demo::DEMO_ACCOUNTS {
        out!(
            "  {:<10} {:<18} {}",
            a.username,
            a.password,
            a.role.name_vi()
        );
    }
    Ok(())
}

async fn serve(g: &Global, args: ServeArgs) -> Result<ExitCode> {
    let started = Instant::now();
    // The statutory forms are checked before anything starts: a bad
    // definition file stops the server, naming its file and line.
    let forms = ytcs_engine::statutory::load(Some(&g.data_dir.join("report-forms")))?;
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
    let app = ytcs_web::router(ytcs_web::AppState::new(store.clone()).with_forms(forms));
    out!(
        "ytcs đang chạy tại / serving at http://{local}  ({} ms, {})",
        started.elapsed().as_millis(),
        store.engine()
    );
    if args.demo {
        print_demo_accounts()?;
    } else if store.count_accounts().await? == 0 {
        out!("No accounts yet: create the first administrator with `ytcs user add --admin NAME`.");
    }
    tracing::info!(%local, engine = store.engine(), "listening");
    tokio::spawn(advance_registers(store.clone()));
    ytcs_web::server::serve(
        listener,
        app,
        ytcs_web::server::ServeConfig::default(),
        shutdown_signal(),
    )
    .await
    .context("serving HTTP")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Keeps the values derived from the registers current as months pass:
/// once at start and then every hour, communes whose derivation stops
/// before this month are derived through it (saves in between keep them
/// current record by record). Failures are logged and retried.
async fn advance_registers(store: std::sync::Arc<dyn ytcs_store::Store>) {
    loop {
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let month = ytcs_engine::registers::month_of(today);
        match store.derivation_marks().await {
            Ok(marks) if marks.iter().any(|m| m.through != month) => {
                let result = async {
                    let h = store.hierarchy().await?;
                    ytcs_engine::registers::sync(store.as_ref(), &h, None, "system", today)
                        .await
                        .map_err(anyhow::Error::from)
                }
                .await;
                match result {
                    Ok(r) => tracing::info!(
                        communes = r.communes,
                        changed = r.changed,
                        "registers derived through {month}"
                    ),
                    Err(e) => {
                        tracing::warn!("deriving the registers through {month} failed: {e:#}")
                    }
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("reading the registers' derivation marks failed: {e}"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
}

/// Records a write made from the command line in the audit log, under the
/// operating-system user (`cli:NAME`). A failure to log is printed and does
/// not undo the write.
pub(crate) async fn audit_cli(
    store: &dyn Store,
    action: ytcs_core::audit::AuditAction,
    kind: ytcs_core::audit::ObjectKind,
    object_id: &str,
    detail: String,
) {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let entry = ytcs_core::audit::NewAuditEntry::new(
        ytcs_core::audit::cli_actor(&who),
        action,
        kind,
        object_id,
    )
    .with_detail(Some(detail));
    if let Err(e) = store.append(&entry).await {
        eprintln!("warning: the audit log could not record this change: {e}");
    }
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
        out!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        out!("{} ({}, {})", v.name, v.code, v.kind.as_str());
        for a in &v.ancestors {
            out!("  thuộc / in: {} ({})", a.name, a.code);
        }
        out!("  {} đơn vị trực thuộc / children", v.children.len());
        for p in &v.predecessors {
            out!(
                "  từ / from: {} ({}) — {} {}",
                p.unit.name,
                p.unit.code,
                p.lineage,
                p.date
            );
        }
        for s in &v.successors {
            out!(
                "  vào / into: {} ({}) — {} {}",
                s.unit.name,
                s.unit.code,
                s.lineage,
                s.date
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a plan document from a file; `Err` carries the message for stderr
/// (exit code 2: the input is unreadable).
fn read_plan_file(file: &std::path::Path) -> Result<(ytcs_core::plan::Plan, String), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    ytcs_plandoc::read_document(&name, &bytes).map_err(|e| format!("{}: {e}", file.display()))
}

/// Writes the labelled examples as gold files, one document per corrected
/// plan (see `ytcs_plandoc::score::example_files`); the number of plans.
async fn export_examples(store: &dyn Store, dir: &std::path::Path) -> Result<usize> {
    use std::collections::BTreeMap;
    let mut by_plan: BTreeMap<i64, Vec<ytcs_store::plans::TargetExample>> = BTreeMap::new();
    for e in store.target_examples(None).await? {
        by_plan.entry(e.plan_id).or_default().push(e);
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = 0;
    for (plan_id, examples) in by_plan {
        let Some(stored) = store.get_plan(plan_id).await? else {
            continue;
        };
        let mut lines: Vec<usize> = examples.iter().map(|e| e.example.line).collect();
        lines.sort_unstable();
        lines.dedup();
        let reviewed = ytcs_plandoc::score::ReviewedPlan {
            plan_id,
            targets: stored
                .plan
                .targets
                .iter()
                .filter(|t| lines.contains(&t.line))
                .cloned()
                .collect(),
            lines,
            source_text: stored.source_text,
            selections: examples.into_iter().map(|e| e.example.selection).collect(),
        };
        let (stem, text, gold) = ytcs_plandoc::score::example_files(&reviewed);
        for (name, body) in [
            (format!("{stem}.txt"), text),
            (format!("{stem}.gold.json"), gold),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, body)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        written += 1;
    }
    Ok(written)
}

async fn plan_command(g: &Global, command: PlanCommand) -> Result<ExitCode> {
    match command {
        PlanCommand::Score { dir, verbose } => match ytcs_plandoc::score::score_dir(&dir) {
            Ok(report) => {
                out!("{}", ytcs_plandoc::score::render(&report, verbose));
                Ok(ExitCode::SUCCESS)
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                Ok(ExitCode::from(2))
            }
        },
        PlanCommand::Examples {
            command: ExamplesCommand::Export { dir },
        } => {
            let store = open_store(g).await?;
            let written = export_examples(store.as_ref(), &dir).await?;
            out!(
                "{written} plan(s) with reviewed targets written to {}",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::Parse { file } => match read_plan_file(&file) {
            Ok((plan, _)) => {
                out!("{}", serde_json::to_string_pretty(&plan)?);
                Ok(ExitCode::SUCCESS)
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                Ok(ExitCode::from(2))
            }
        },
        PlanCommand::Import { file } => {
            let (plan, text) = match read_plan_file(&file) {
                Ok(x) => x,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    return Ok(ExitCode::from(2));
                }
            };
            let store = open_store(g).await?;
            let (id, created) = store.insert_plan(&plan, &text).await?;
            if created {
                audit_cli(
                    store.as_ref(),
                    ytcs_core::audit::AuditAction::Create,
                    ytcs_core::audit::ObjectKind::Plan,
                    &id.to_string(),
                    format!("plan import {}", file.display()),
                )
                .await;
            }
            if !created {
                eprintln!("note: this document was already imported as plan {id}; nothing changed");
            }
            let stored = store
                .get_plan(id)
                .await?
                .context("the plan just stored cannot be read back")?;
            let doc = ytcs_store::plans::IdentifiedPlan {
                id,
                plan: &stored.plan,
            };
            out!("{}", serde_json::to_string_pretty(&doc)?);
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::List { json } => {
            let store = open_store(g).await?;
            let plans = store.list_plans().await?;
            if json {
                #[derive(serde::Serialize)]
                struct Row<'a> {
                    id: i64,
                    number: &'a Option<String>,
                    date: Option<Date>,
                    issuer: &'a Option<String>,
                    title: &'a Option<String>,
                }
                let rows: Vec<Row> = plans
                    .iter()
                    .map(|p| Row {
                        id: p.id,
                        number: &p.number,
                        date: p.date,
                        issuer: &p.issuer,
                        title: &p.title,
                    })
                    .collect();
                out!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for p in &plans {
                    out!(
                        "{:>4}  {:<16} {:<10}  {}  {}",
                        p.id,
                        p.number.as_deref().unwrap_or("—"),
                        p.date
                            .map(|d| d.format("%d/%m/%Y").to_string())
                            .unwrap_or_else(|| "—".into()),
                        p.issuer.as_deref().unwrap_or(""),
                        p.title.as_deref().unwrap_or("")
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn bench_plans(rounds: u32, json: bool) -> Result<ExitCode> {
    let rounds = rounds.max(1);
    let bytes: usize = demo::SEED_PLANS.iter().map(|(_, t)| t.len()).sum();
    let started = Instant::now();
    let mut targets = 0;
    for _ in 0..rounds {
        for (name, text) in demo::SEED_PLANS {
            let plan = ytcs_plandoc::parse_bytes(name, text.as_bytes())?;
            targets += plan.targets.len();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let per_round = secs / f64::from(rounds);
    let kb_per_s = (bytes as f64 / 1024.0) * f64::from(rounds) / secs;
    let out = serde_json::json!({
        "documents": demo::SEED_PLANS.len(), "bytes": bytes, "rounds": rounds,
        "seconds_per_round": per_round, "kb_per_s": kb_per_s, "targets_per_round": targets / rounds as usize,
    });
    if json {
        out!("{out}");
    } else {
        out!(
            "5 seed plans, {} KB: {:.1} ms per round, {:.0} KB/s",
            bytes / 1024,
            per_round * 1000.0,
            kb_per_s
        );
    }
    Ok(ExitCode::SUCCESS)
}
