//! `ytcs national …`: the province's side of the national tier.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Subcommand;
use ytcs_national::{Kind, NationalKey, Publication};
use ytcs_store::Store;

#[derive(Subcommand)]
pub enum NationalCommand {
    /// Publish this province's aggregate values and registers (pseudonymised) into the national warehouse, whole or not at all.
    Publish {
        /// The warehouse's root folder (shared or mounted).
        #[arg(long)]
        warehouse: PathBuf,
        /// This province's code (of the 34 since 1 July 2025), e.g. 51.
        #[arg(long)]
        province: String,
        /// File holding the national key (at least 32 bytes; the same in every province).
        #[arg(long, env = "YTCS_NATIONAL_KEY_FILE")]
        key_file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Reads the national key from its file (a trailing newline is not part of it).
fn read_key(path: &PathBuf) -> Result<NationalKey> {
    let mut bytes = std::fs::read(path)
        .with_context(|| format!("reading the national key from {}", path.display()))?;
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    Ok(NationalKey::new(&bytes)?)
}

pub async fn national(store: &dyn Store, cmd: NationalCommand) -> Result<ExitCode> {
    let NationalCommand::Publish {
        warehouse,
        province,
        key_file,
        json,
    } = cmd;
    let key = read_key(&key_file)?;
    let admin = ytcs_refdata::admin_units()?;
    let t = Instant::now();
    let a = ytcs_national::publish(
        store,
        &admin,
        &Publication {
            root: &warehouse,
            province: &province,
            key: &key,
            now: chrono::Utc::now(),
        },
    )
    .await?;
    let seconds = t.elapsed().as_secs_f64();
    let m = &a.manifest;
    if json {
        let rows: serde_json::Map<String, serde_json::Value> = Kind::ALL
            .iter()
            .map(|k| (k.name().to_string(), m.rows(*k).into()))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "province": m.province,
                "publication": m.publication,
                "unchanged": a.unchanged,
                "files": m.files.len(),
                "rows": rows,
                "seconds": seconds,
            }))?
        );
    } else {
        let what = if a.unchanged {
            "không đổi / unchanged"
        } else {
            "đã công bố / published"
        };
        println!(
            "{} ({}): {what}, publication {}, {} files, {} values, {} persons, {} events, {seconds:.1} s",
            m.province_name,
            m.province,
            m.publication,
            m.files.len(),
            m.rows(Kind::Values),
            m.rows(Kind::Persons),
            m.rows(Kind::Events),
        );
    }
    Ok(ExitCode::SUCCESS)
}
