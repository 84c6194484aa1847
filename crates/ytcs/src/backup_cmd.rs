//! `ytcs backup --out FILE` and `ytcs restore FILE`: the work is in
//! `ytcs_store::backup`; here are the arguments and the summary line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Args;
use ytcs_store::StoreConfig;

/// `ytcs backup`
#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write (a zip archive); never replaced without --force.
    #[arg(long)]
    out: PathBuf,
    /// Replace --out if it exists.
    #[arg(long)]
    force: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

/// `ytcs restore`
#[derive(Args)]
pub struct RestoreArgs {
    /// A file written by `ytcs backup`.
    file: PathBuf,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

/// Runs `ytcs backup`.
pub async fn backup(config: &StoreConfig, args: BackupArgs) -> Result<ExitCode> {
    let s = ytcs_store::backup::backup(config, &args.out, args.force)
        .await
        .with_context(|| format!("backing up {}", config.describe()))?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "file": s.path, "engine": s.manifest.engine, "tables": s.tables,
                "rows": s.rows, "bytes": s.bytes, "seconds": s.seconds,
            })
        );
    } else {
        println!(
            "Đã sao lưu / backed up {}: {} tables, {} rows, {:.1} MB in {:.1} s → {}",
            config.describe(),
            s.tables,
            s.rows,
            megabytes(s.bytes),
            s.seconds,
            s.path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `ytcs restore`.
pub async fn restore(config: &StoreConfig, args: RestoreArgs) -> Result<ExitCode> {
    if !Path::new(&args.file).is_file() {
        bail!(
            "{} does not exist or is not a file: name a file written by `ytcs backup --out FILE`",
            args.file.display()
        );
    }
    let s = ytcs_store::backup::restore(&args.file, config)
        .await
        .with_context(|| {
            format!(
                "restoring {} into {}",
                args.file.display(),
                config.describe()
            )
        })?;
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "file": args.file, "engine": s.manifest.engine, "tables": s.tables,
                "rows": s.rows, "bytes": s.bytes, "seconds": s.seconds,
                "created_at": s.manifest.created_at, "ytcs_version": s.manifest.ytcs_version,
            })
        );
    } else {
        println!(
            "Đã khôi phục / restored {} ({}, made {} by ytcs {}): {} tables, {} rows, {:.1} MB in {:.1} s → {}",
            args.file.display(),
            s.manifest.engine,
            s.manifest.created_at.format("%Y-%m-%d %H:%M UTC"),
            s.manifest.ytcs_version,
            s.tables,
            s.rows,
            megabytes(s.bytes),
            s.seconds,
            config.describe()
        );
    }
    Ok(ExitCode::SUCCESS)
}
