//! `ytcs report plan PLAN_ID --org CODE --year YYYY --format F --out FILE`:
//! the plan's implementation report written to a file, atomically (a
//! temporary file beside it, then renamed), never over an existing file
//! unless `--force`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
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

/// Runs a report command.
pub async fn report(store: &dyn Store, command: ReportCommand) -> Result<ExitCode> {
    let ReportCommand::Plan {
        plan_id,
        org,
        year,
        format,
        out,
        force,
    } = command;
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
