//! `ytcs report plan PLAN_ID --org CODE --year YYYY --format F --out FILE`:
//! the plan's implementation report written to a file, atomically (a
//! temporary file beside it, then renamed), never over an existing file
//! unless `--force`.
//!
//! `ytcs report forms --at DATE [--json]`: the statutory forms in force on
//! a day; `ytcs report form CODE --org ORG --period P --format F [--out
//! FILE]`: one form filled from the store (`ytcs_engine::statutory`),
//! JSON or ADX on standard output when no `--out` is given. Definitions are the
//! compiled-in circulars plus `<data-dir>/report-forms/*.toml`, checked
//! before anything is read.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use ytcs_core::statutory::FormSet;
use ytcs_report::Format;
use ytcs_store::Store;

/// Reports made from the store.
#[derive(Subcommand)]
pub enum ReportCommand {
    /// The implementation report of a plan for a unit and a year (targets, tasks, budget, commune criteria).
    Plan {
        /// The plan's id (see `ytcs plan list`).
        plan_id: i64,
        /// The unit's code, e.g. 51 (a province) or a commune's code.
        #[arg(long)]
        org: String,
        /// The year reported on (2000–2100).
        #[arg(long)]
        year: i32,
        /// The file format.
        #[arg(long, value_enum)]
        format: FormatArg,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// The statutory report forms in force on a day (code, name, circular, level, period type, due days).
    Forms {
        /// The day (YYYY-MM-DD); today when absent.
        #[arg(long)]
        at: Option<ytcs_core::Date>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Send a unit's statutory form for an ended period: a frozen snapshot with its SHA-256; a second send is a correction and needs --reason.
    Send {
        #[command(flatten)]
        at: FormAt,
        /// Why this version replaces the one sent before.
        #[arg(long)]
        reason: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Who has sent a form for a period under a unit (a health centre's communes, a province's): on time, late, missing.
    Status {
        #[command(flatten)]
        at: FormAt,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One statutory form filled for a unit and period, every cell computed from the registers and data.
    Form {
        /// The form's key (commune_monthly) or its code in the circular (1/BCX); the version in force on the period's last day is used.
        code: String,
        /// The unit's code (a commune, district or province, as the form's level asks).
        #[arg(long)]
        org: String,
        /// The period: 2025-06, 2025 (or as people write it: "tháng 6/2025").
        #[arg(long)]
        period: String,
        /// The file format.
        #[arg(long, value_enum, default_value_t = FormFormatArg::Json)]
        format: FormFormatArg,
        /// The file to write (JSON and ADX may go to standard output).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Arguments naming one form, unit and period.
#[derive(clap::Args)]
pub struct FormAt {
    /// The form's key (commune_monthly) or code (1/TYT).
    code: String,
    /// The unit's code.
    #[arg(long)]
    org: String,
    /// The period (2025-06, 2025).
    #[arg(long)]
    period: String,
}

/// A form's format on the command line.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormFormatArg {
    /// Every cell with how it was computed and its flags.
    Json,
    /// Excel, in the form's layout.
    Xlsx,
    /// PDF, in the form's layout.
    Pdf,
    /// Word.
    Docx,
    /// ADX (urn:ihe:qrph:adx:2015) for machine exchange.
    Adx,
}

/// A report format on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// A printable web page.
    Html,
    /// Word.
    Docx,
    /// Excel.
    Xlsx,
    /// PDF.
    Pdf,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Docx,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Pdf => Format::Pdf,
        }
    }
}

/// Runs a report command; `store` opens the store when one is needed.
pub async fn report<F, Fut>(forms_dir: &Path, command: ReportCommand, store: F) -> Result<ExitCode>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<std::sync::Arc<dyn Store>>>,
{
    match command {
        ReportCommand::Plan {
            plan_id,
            org,
            year,
            format,
            out,
            force,
        } => {
            plan_report(
                store().await?.as_ref(),
                plan_id,
                org,
                year,
                format,
                out,
                force,
            )
            .await
        }
        ReportCommand::Forms { at, json } => {
            let forms = ytcs_engine::statutory::load(Some(forms_dir))?;
            forms_list(&forms, at.unwrap_or_else(ytcs_web::today_in_vietnam), json)
        }
        ReportCommand::Send { at, reason, json } => {
            let forms = ytcs_engine::statutory::load(Some(forms_dir))?;
            let store = store().await?;
            let today = ytcs_web::today_in_vietnam();
            let (def, unit, p, h) = resolve(store.as_ref(), &forms, &at, today).await?;
            let who = std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".into());
            let by = ytcs_core::audit::cli_actor(&who);
            let s = ytcs_engine::statutory::submit(
                store.as_ref(),
                &h,
                def,
                &unit,
                p,
                &by,
                reason.as_deref(),
                today,
            )
            .await?;
            if json {
                out!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                out!(
                    "Đã gửi / sent {} {} {} version {}{} sha256 {}",
                    s.form_code,
                    unit.code,
                    s.period,
                    s.version,
                    if s.late { " (muộn / late)" } else { "" },
                    s.content_hash
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Status { at, json } => {
            let forms = ytcs_engine::statutory::load(Some(forms_dir))?;
            let store = store().await?;
            let today = ytcs_web::today_in_vietnam();
            let p = ytcs_core::period_text::read(&at.period)
                .with_context(|| format!("'{}' is not a period (2025-06, 2025)", at.period))?;
            let def = forms.for_period(&at.code, p)?;
            let h = store.hierarchy().await?;
            let unit = unit_on(&h, &at.org, ytcs_engine::statutory::units_day(p, today))?;
            let list =
                ytcs_engine::statutory::sent_status(store.as_ref(), &h, def, &unit, p, today)
                    .await?;
            if json {
                out!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "form": def.code, "circular": def.circular, "period": p.to_string(),
                        "due": def.due(p), "units": list,
                    }))?
                );
            } else {
                for s in &list {
                    out!(
                        "{:<8} {:<32} {:<13} {}",
                        s.org,
                        s.org_name,
                        s.state,
                        s.sent
                            .as_ref()
                            .map(|x| format!(
                                "v{} {}",
                                x.version,
                                x.submitted_at.format("%Y-%m-%d %H:%M")
                            ))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Form {
            code,
            org,
            period,
            format,
            out,
            force,
        } => {
            let forms = ytcs_engine::statutory::load(Some(forms_dir))?;
            let store = store().await?;
            form_report(
                store.as_ref(),
                &forms,
                &code,
                &org,
                &period,
                format,
                out,
                force,
            )
            .await
        }
    }
}

/// The unit carrying `org` on `day`.
fn unit_on(
    h: &ytcs_core::hierarchy::Hierarchy,
    org: &str,
    day: ytcs_core::Date,
) -> Result<ytcs_core::org::OrgUnit> {
    let code: ytcs_core::org::OrgCode = org
        .parse()
        .map_err(|e| anyhow::anyhow!("'{org}' is not a unit code: {e}"))?;
    Ok(h.unit_at(&code, day)
        .with_context(|| {
            format!("no unit carries code '{org}' on {day} (the units of the period's last day)")
        })?
        .clone())
}

/// The form version, unit and period a command names.
async fn resolve<'f>(
    store: &dyn Store,
    forms: &'f FormSet,
    at: &FormAt,
    today: ytcs_core::Date,
) -> Result<(
    &'f ytcs_core::statutory::FormDef,
    ytcs_core::org::OrgUnit,
    ytcs_core::period::Period,
    ytcs_core::hierarchy::Hierarchy,
)> {
    let p = ytcs_core::period_text::read(&at.period).with_context(|| {
        format!(
            "'{}' is not a period (2025-06, 2025, \"tháng 6/2025\")",
            at.period
        )
    })?;
    let def = forms.for_period(&at.code, p)?;
    let h = store.hierarchy().await?;
    let unit = unit_on(&h, &at.org, ytcs_engine::statutory::units_day(p, today))?;
    Ok((def, unit, p, h))
}

/// The forms in force on `day`.
fn forms_list(forms: &FormSet, day: ytcs_core::Date, json: bool) -> Result<ExitCode> {
    let list = forms.in_force(day);
    if json {
        let rows: Vec<serde_json::Value> = list
            .iter()
            .map(|f| {
                serde_json::json!({
                    "key": f.key,
                    "code": f.code,
                    "name": f.name_vi,
                    "name_en": f.name_en,
                    "circular": f.circular,
                    "level": f.level.code(),
                    "period_type": ytcs_core::aggregate::period_type_name(f.period),
                    "due_working_days": f.due_working_days,
                    "effective_from": f.effective_from,
                    "effective_to": f.effective_to,
                })
            })
            .collect();
        out!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"at": day, "forms": rows}))?
        );
    } else if list.is_empty() {
        out!("Không có biểu mẫu nào có hiệu lực ngày {day} / no form in force on {day}");
    } else {
        for f in list {
            out!(
                "{:<18} {:<7} {:<15} {:<9} {:<6} {} ngày làm việc  {}",
                f.key,
                f.code,
                f.circular,
                f.level.code(),
                ytcs_core::aggregate::period_type_name(f.period),
                f.due_working_days,
                f.name_vi
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One form filled and written.
#[allow(clippy::too_many_arguments)]
async fn form_report(
    store: &dyn Store,
    forms: &FormSet,
    code: &str,
    org: &str,
    period: &str,
    format: FormFormatArg,
    out: Option<PathBuf>,
    force: bool,
) -> Result<ExitCode> {
    let today = ytcs_web::today_in_vietnam();
    let at = FormAt {
        code: code.to_string(),
        org: org.to_string(),
        period: period.to_string(),
    };
    let (def, unit, p, h) = resolve(store, forms, &at, today).await?;
    let filled = ytcs_engine::statutory::fill(store, &h, def, &unit, p, today).await?;
    let bytes = match format {
        FormFormatArg::Json => {
            let mut s = serde_json::to_string_pretty(&filled)?;
            s.push('\n');
            s.into_bytes()
        }
        FormFormatArg::Adx => ytcs_engine::statutory::write_adx(&filled)?.into_bytes(),
        other => {
            let doc = ytcs_report::statutory::layout(&filled);
            let f = match other {
                FormFormatArg::Xlsx => Format::Xlsx,
                FormFormatArg::Pdf => Format::Pdf,
                _ => Format::Docx,
            };
            ytcs_report::render_file(&doc, f).context("no renderer")??
        }
    };
    match out {
        None if matches!(format, FormFormatArg::Json | FormFormatArg::Adx) => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .context("writing to standard output")?;
        }
        None => anyhow::bail!("--out FILE is needed for XLSX, PDF and DOCX"),
        Some(out) => {
            if out.exists() && !force {
                anyhow::bail!(
                    "{} already exists: choose another --out or add --force to replace it",
                    out.display()
                );
            }
            write_atomically(&out, &bytes, force)?;
            eprintln!(
                "Đã ghi / wrote {} ({} {}, {}, {} bytes)",
                out.display(),
                def.code,
                def.circular,
                filled.period,
                bytes.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn plan_report(
    store: &dyn Store,
    plan_id: i64,
    org: String,
    year: i32,
    format: FormatArg,
    out: PathBuf,
    force: bool,
) -> Result<ExitCode> {
    if out.exists() && !force {
        anyhow::bail!(
            "{} already exists: choose another --out or add --force to replace it",
            out.display()
        );
    }
    let started = Instant::now();
    let today = ytcs_web::today_in_vietnam();
    let report = ytcs_report::build_report(store, plan_id, &org, year, today)
        .await
        .with_context(|| format!("cannot make the report of plan {plan_id} for {org} in {year}"))?;
    let format = Format::from(format);
    let doc = ytcs_report::layout::layout(&report);
    let bytes = match ytcs_report::render_file(&doc, format) {
        Some(b) => b?,
        None => ytcs_web::report_html(&doc)
            .context("writing the HTML page")?
            .into_bytes(),
    };
    write_atomically(&out, &bytes, force)?;
    out!(
        "Đã ghi / wrote {} ({} bytes, {} ms){}",
        out.display(),
        bytes.len(),
        started.elapsed().as_millis(),
        if report.no_data.is_some() {
            format!(" — chưa có số liệu năm {year} / no data for {year}")
        } else {
            String::new()
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `bytes` to a temporary file beside `out`, then moves it into
/// place: a reader never sees half a file. Without `force` the move fails
/// if `out` appeared meanwhile (a hard link never replaces a file).
fn write_atomically(out: &Path, bytes: &[u8], force: bool) -> Result<()> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .with_context(|| format!("{} is not a file name", out.display()))?
        .to_string_lossy()
        .to_string();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> Result<()> {
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        if force {
            std::fs::rename(&tmp, out)
                .with_context(|| format!("cannot move the report to {}", out.display()))?;
        } else {
            std::fs::hard_link(&tmp, out).with_context(|| {
                format!(
                    "cannot create {} (does it exist? add --force to replace it)",
                    out.display()
                )
            })?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}
