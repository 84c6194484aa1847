//! `ytcs indicator value` for every code with data, `ytcs rebuild`,
//! `ytcs data import|export` and `ytcs bench indicators`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use ytcs_core::file_format::FileFormat;
use ytcs_core::org::OrgCode;
use ytcs_core::period::Period;
use ytcs_store::values::{ValueFilter, ValueWrite};
use ytcs_store::Store;
use ytcs_synth::bench;

use crate::network_cmd::IndicatorCommand;

/// Runs `ytcs indicator value` for network indicators, formulas over
/// aggregate data and data elements alike.
pub async fn indicator(store: &dyn Store, cmd: IndicatorCommand) -> Result<ExitCode> {
    let IndicatorCommand::Value {
        code,
        org,
        period,
        at,
        json,
    } = cmd;
    let at = at.unwrap_or_else(ytcs_web::today_in_vietnam);
    let period: Period = period.parse()?;
    if !ytcs_engine::knows(&code) {
        let known = ytcs_core::indicator::by_code(&code).is_some();
        bail!(
            "{} '{code}': codes with data are the network indicators, the formulas over aggregate data ({}) and the data elements",
            if known { "no data source yet for indicator" } else { "unknown indicator" },
            ytcs_core::formula::definitions().iter().map(|d| d.code).collect::<Vec<_>>().join(", ")
        );
    }
    let org_code = OrgCode::parse(&org)?;
    let Some(unit) = store.unit_at(&org_code, at).await? else {
        bail!("no unit carries code {org_code} on {at}; check the code or the --at date");
    };
    let h = store.hierarchy().await?;
    let v = ytcs_engine::evaluate(store, &h, &code, period, at, &[unit.id]).await?[0];
    print_value(&code, &unit, period, at, &v, json)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints one figure: with `--json` the value, numerator, denominator,
/// `reliable`, `flags`, `coverage` and `ci95` (counts exact to the
/// thousandth); as text the value (counts whole), the note of an
/// unreliable figure and the interval.
pub fn print_value(
    code: &str,
    unit: &ytcs_core::org::OrgUnit,
    period: Period,
    at: ytcs_core::Date,
    v: &ytcs_core::formula::Value,
    json: bool,
) -> Result<()> {
    use ytcs_core::quality::{is_count, shown_count};
    let count = is_count(code);
    if json {
        // The cell of `GET /api/v1/analytics`, field for field.
        let cell = ytcs_engine::analytics::Cell::of(code, unit, period, at, v);
        println!("{}", serde_json::to_string_pretty(&cell)?);
        return Ok(());
    }
    let (org, name) = (unit.code.as_str(), &unit.name);
    let value = match v.value {
        None => "không có số liệu / no data".to_string(),
        Some(x) if count => shown_count(x).to_string(),
        Some(x) => format!("{x:.2}"),
    };
    let mark = if v.value.is_some() && !v.reliable() {
        " (!)"
    } else {
        ""
    };
    println!("{code} — {name} ({org}), {period}, đơn vị tại / units as of {at}: {value}{mark}");
    if let (Some(n), Some(d)) = (v.numerator, v.denominator) {
        println!(
            "  tử số / numerator {}, mẫu số / denominator {}",
            fmt_part(n),
            fmt_part(d)
        );
    }
    if let Some((lo, hi)) = v.ci95 {
        println!("  khoảng tin cậy 95 % / 95 % interval: {lo:.2} – {hi:.2}");
    }
    if let Some(note) = v.flags.note_vi(v.coverage) {
        println!(
            "  (!) {note} / {}",
            v.flags.note_en(v.coverage).unwrap_or_default()
        );
    }
    Ok(())
}

/// A numerator or denominator: whole when it is, else to the thousandth.
fn fmt_part(x: f64) -> String {
    let x = ytcs_core::quality::exact_count(x);
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}

/// Runs `ytcs rebuild`: recomputes every aggregate from raw values; with
/// `--verify` only compares, exiting 0 only when they are equal exactly.
pub async fn rebuild(store: &dyn Store, verify: bool, json: bool) -> Result<ExitCode> {
    let h = store.hierarchy().await?;
    let t = Instant::now();
    let r = store.rebuild(!verify).await?;
    let secs = t.elapsed().as_secs_f64();
    // Values derived from the registers: compared with a fresh derivation
    // (verify), or derived again through this month (repair).
    let t = Instant::now();
    let (reg, resynced) = if verify {
        (ytcs_engine::registers::verify(store, &h).await?, None)
    } else {
        // The persons' digests first: the derivation reads them.
        store.remake_register_digests().await?;
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let s = ytcs_engine::registers::sync(store, &h, None, "system", today).await?;
        (ytcs_engine::registers::verify(store, &h).await?, Some(s))
    };
    let reg_secs = t.elapsed().as_secs_f64();
    if json {
        let mut v = serde_json::to_value(&r)?;
        v["equal"] = serde_json::json!(r.equal() && reg.equal());
        v["seconds"] = serde_json::json!(secs);
        v["registers"] = serde_json::json!({
            "communes": reg.communes,
            "derived": reg.derived,
            "different": reg.different,
            "stale_digests": reg.stale_digests,
            "examples": reg.examples,
            "rederived": resynced.as_ref().map(|s| s.changed),
            "seconds": reg_secs,
        });
        println!("{v}");
    } else {
        println!(
            "{} values folded into {} period totals in {secs:.2} s: {} missing, {} extra, {} different{}",
            r.values,
            r.aggregates,
            r.missing,
            r.extra,
            r.different,
            if r.applied { " (held totals replaced)" } else { "" }
        );
        println!(
            "registers: {} communes, {} derived values checked in {reg_secs:.2} s: {} different, {} persons' digests differ from their rows{}",
            reg.communes,
            reg.derived,
            reg.different,
            reg.stale_digests,
            resynced
                .map(|s| format!(" ({} values derived again)", s.changed))
                .unwrap_or_default()
        );
        for e in &reg.examples {
            println!("  {e}");
        }
    }
    Ok(if !verify || (r.equal() && reg.equal()) {
        ExitCode::SUCCESS
    } else {
        if !r.equal() {
            eprintln!("error: the period totals held differ from a fold of the raw values");
        }
        if !reg.equal() {
            eprintln!("error: values derived from the registers (or the persons' digests the derivation reads) differ from the records; run `ytcs rebuild` to make them again");
        }
        ExitCode::FAILURE
    })
}

/// Formats of `data import|export`.
#[derive(Clone, Copy, ValueEnum)]
pub enum DataFormat {
    /// `element,org,period,disagg,value`.
    Csv,
    /// IHE ADX XML.
    Adx,
    /// An Excel workbook with the CSV's columns, values as numbers.
    Xlsx,
}

/// `ytcs data …`
#[derive(Subcommand)]
pub enum DataCommand {
    /// Import values (CSV, XLSX or ADX): every row or none; bad rows are named.
    Import {
        /// The file (.csv, .xlsx or .xml/.adx).
        file: PathBuf,
    },
    /// Export values.
    Export {
        /// csv, xlsx or adx.
        #[arg(long, value_enum, default_value_t = DataFormat::Csv)]
        format: DataFormat,
        /// Only this element.
        #[arg(long)]
        element: Option<String>,
        /// Only this period.
        #[arg(long)]
        period: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// The format of `file` for `ytcs data import`, by the rule the web
/// upload uses ([`ytcs_core::file_format::detect`]: the extension, else
/// the first bytes).
fn format_of(file: &std::path::Path) -> Result<ytcs_core::file_format::FileFormat> {
    use std::io::Read;
    let mut head = Vec::with_capacity(ytcs_core::file_format::SNIFF_BYTES);
    std::fs::File::open(file)
        .with_context(|| format!("reading {}", file.display()))?
        .take(ytcs_core::file_format::SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .with_context(|| format!("reading {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    Ok(ytcs_core::file_format::detect(&name, &head))
}

/// Runs `ytcs data …`.
pub async fn data(store: &dyn Store, cmd: DataCommand) -> Result<ExitCode> {
    let h = store.hierarchy().await?;
    match cmd {
        DataCommand::Import { file } if format_of(&file)? == FileFormat::Csv => {
            use ytcs_engine::import::{import_csv_file, ImportError};
            let done = match import_csv_file(store, &h, &file, "import").await {
                Ok(done) => done,
                Err(ImportError::Refused(r)) => bail!(
                    "{}: nothing was imported ({} bad row(s)):\n  {}",
                    file.display(),
                    r.total,
                    r.summary(false).join("\n  ")
                ),
                Err(e) => bail!("{}: nothing was imported: {e}", file.display()),
            };
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::Update,
                ytcs_core::audit::ObjectKind::DataValue,
                &file.display().to_string(),
                format!(
                    "data import: {} value(s), {} changed",
                    done.values, done.changed
                ),
            )
            .await;
            println!(
                "imported {} value(s), {} changed",
                done.values, done.changed
            );
        }
        DataCommand::Import { file } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let parsed = ytcs_engine::exchange::read_file(&h, format_of(&file)?, &bytes);
            let writes: Vec<ValueWrite> = match parsed {
                Ok(w) => w,
                Err(errs) => bail!(
                    "{}: nothing was imported ({} bad row(s)):\n  {}",
                    file.display(),
                    errs.len(),
                    ytcs_engine::exchange::error_summary(&errs, false).join("\n  ")
                ),
            };
            tracing::info!(
                values = writes.len(),
                "data import: file checked, writing in one transaction"
            );
            let derived = ytcs_engine::registers::hand_written_derived(store, &writes).await?;
            if !derived.is_empty() {
                bail!(
                    "{}: nothing was imported: {}",
                    file.display(),
                    derived
                        .iter()
                        .map(|(en, _)| en.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
            let n = store.write_values(&h, &writes, "import").await?;
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::Update,
                ytcs_core::audit::ObjectKind::DataValue,
                &file.display().to_string(),
                format!("data import: {} value(s), {n} changed", writes.len()),
            )
            .await;
            println!("imported {} value(s), {n} changed", writes.len());
        }
        DataCommand::Export {
            format,
            element,
            period,
            output,
        } => {
            let filter = ValueFilter {
                element,
                period: period.map(|p| p.parse()).transpose()?,
                units: None,
                ..ValueFilter::default()
            };
            let values = store.data_values(&filter).await?;
            let bytes = match format {
                DataFormat::Csv => ytcs_engine::exchange::write_csv(&h, &values).into_bytes(),
                DataFormat::Adx => ytcs_engine::exchange::write_adx(&h, &values).into_bytes(),
                DataFormat::Xlsx => ytcs_engine::exchange::write_xlsx(&h, &values)
                    .context("writing the XLSX workbook")?,
            };
            match output {
                Some(p) => {
                    std::fs::write(&p, bytes).with_context(|| format!("writing {}", p.display()))?
                }
                None => {
                    use std::io::{IsTerminal, Write};
                    let mut out = std::io::stdout();
                    if matches!(format, DataFormat::Xlsx) && out.is_terminal() {
                        bail!("an XLSX workbook is binary: write it to a file with -o FILE.xlsx");
                    }
                    out.write_all(&bytes)
                        .context("writing to standard output")?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `ytcs bench indicators`.
pub async fn bench_indicators(
    store: &dyn Store,
    values: usize,
    baselines: Option<std::path::PathBuf>,
    postgres: Option<&str>,
    keep: Option<&std::path::Path>,
    json: bool,
) -> Result<ExitCode> {
    let temp = tempfile::Builder::new().prefix("ytcs-bench-").tempdir()?;
    let dir = match keep {
        Some(k) => {
            std::fs::create_dir_all(k)?;
            k
        }
        None => temp.path(),
    };
    let product = crate::bench_import::run_bench(values, baselines, dir, postgres).await?;
    // One write until an indicator shows it, and the scorecard, on the demo.
    let h = store.hierarchy().await?;
    let at = ytcs_web::today_in_vietnam();
    let p51 = store
        .unit_at(&OrgCode::parse("51")?, at)
        .await?
        .context("the demo province 51")?;
    let commune = h
        .children(p51.id, at)
        .first()
        .map(|u| u.id)
        .context("a commune of 51")?;
    let period: Period = "2026-10".parse()?;
    let stored = store
        .data_values(&ValueFilter {
            element: Some("food_poisoning_cases".into()),
            period: Some(period),
            units: Some(vec![commune]),
            ..ValueFilter::default()
        })
        .await?;
    let next = stored.first().map_or(1, |v| v.value.value.0 / 1000 + 1);
    let province_before =
        ytcs_engine::evaluate(store, &h, "food_poisoning_cases", period, at, &[p51.id]).await?[0]
            .value
            .unwrap_or(0.0);
    let t = Instant::now();
    store
        .write_values(
            &h,
            &[ValueWrite {
                element: "food_poisoning_cases".into(),
                unit: commune,
                period,
                disagg: String::new(),
                value: ytcs_core::aggregate::Fixed::from_int(next),
            }],
            "bench",
        )
        .await?;
    let v = ytcs_engine::evaluate(store, &h, "food_poisoning_cases", period, at, &[p51.id]).await?;
    let write_visible_ms = t.elapsed().as_secs_f64() * 1000.0;
    if v[0].value != Some(province_before + 1.0) {
        bail!(
            "the written value is not visible in the province's indicator: {:?} after {province_before}",
            v[0].value
        );
    }
    let plans = store.list_plans().await?;
    let plan = plans
        .iter()
        .find(|p| p.issuer.as_deref() == Some("UBND tỉnh Kon Tum"))
        .or_else(|| plans.first())
        .context("a plan (run `ytcs demo init` first)")?;
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        ytcs_engine::scorecard::scorecard(store, &h, plan.id, at).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    let mut out = product;
    out["write_visible_ms"] = serde_json::json!(write_visible_ms);
    out["scorecard_p95_ms"] = serde_json::json!(p95);
    out["peak_rss_mb"] = serde_json::json!(bench::peak_rss_mb());
    if json {
        println!("{out}");
    } else {
        println!("{}", serde_json::to_string_pretty(&out)?);
    }
    Ok(ExitCode::SUCCESS)
}
