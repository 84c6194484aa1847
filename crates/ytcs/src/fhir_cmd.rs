//! `ytcs fhir …`: the station's registers as FHIR R4 bundles (the work is
//! `ytcs_engine::fhir_registers`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::Date;
use ytcs_engine::fhir_registers::{
    commune_export, commune_records, import, person_bundle, FhirError,
};
use ytcs_store::Store;

/// `ytcs fhir …`.
#[derive(Subcommand)]
pub enum FhirCommand {
    /// Write a FHIR R4 Bundle (collection) of one person or of every person living in a commune.
    Export {
        /// The person's id.
        #[arg(long, conflicts_with = "commune", required_unless_present = "commune")]
        person: Option<i64>,
        /// The commune's code: its persons and those of the communes merged
        /// into it (recorded under the commune of their time).
        #[arg(long)]
        commune: Option<String>,
        /// The day the commune's code is read on (YYYY-MM-DD; default
        /// today): a code of before the 2025 reform needs a day it existed.
        #[arg(long, requires = "commune", value_parser = crate::parse_date)]
        at: Option<Date>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Import a FHIR R4 Bundle of Patients and their Immunizations, Observations, Conditions and Encounters (all or nothing).
    Import {
        /// The bundle (JSON).
        file: PathBuf,
        /// The commune of Patients whose address carries no commune code.
        #[arg(long)]
        commune: Option<String>,
    },
}

async fn commune(store: &dyn Store, code: &str, today: Date) -> Result<UnitId> {
    let c = OrgCode::parse(code).with_context(|| format!("--commune '{code}'"))?;
    match store.unit_at(&c, today).await? {
        Some(u) if u.kind == OrgKind::Commune => Ok(u.id),
        Some(u) => bail!("--commune {code}: {} is not a commune", u.name),
        None => bail!("--commune {code}: no commune carries this code today ({today})"),
    }
}

/// Runs `ytcs fhir …`.
pub async fn fhir(store: &dyn Store, cmd: FhirCommand) -> Result<ExitCode> {
    let today = ytcs_web::today_in_vietnam();
    let h = store.hierarchy().await?;
    match cmd {
        FhirCommand::Export {
            person,
            commune: code,
            at,
            out,
        } => {
            let records = match (person, code) {
                (Some(id), _) => match store.person_record(id).await? {
                    Some(r) => vec![r],
                    None => bail!("no person with id {id}"),
                },
                (None, Some(code)) => {
                    let c = commune_export(&h, &code, at, today)
                        .map_err(|e| anyhow::anyhow!("--commune {code}: {e}"))?;
                    eprintln!("commune {}", c.describe(&h));
                    commune_records(store, &c.communes).await?
                }
                (None, None) => bail!("give --person ID or --commune CODE"),
            };
            let bundle = person_bundle(&records, &h);
            let text = serde_json::to_string_pretty(&bundle)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text + "\n")
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!(
                        "wrote {} person(s), {} resource(s) to {}",
                        records.len(),
                        bundle["entry"].as_array().map_or(0, Vec::len),
                        path.display()
                    );
                }
                None => out!("{text}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        FhirCommand::Import {
            file,
            commune: code,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let default = match code {
                Some(c) => Some(commune(store, &c, today).await?),
                None => None,
            };
            let who = std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".into());
            let by = ytcs_core::audit::cli_actor(&who);
            match import(store, &h, &text, default, &by, today).await {
                Ok(r) => {
                    crate::audit_cli(
                        store,
                        ytcs_core::audit::AuditAction::Create,
                        ytcs_core::audit::ObjectKind::Registers,
                        &file.display().to_string(),
                        format!(
                            "FHIR import: {} person(s), {} event(s)",
                            r.persons.len(),
                            r.events
                        ),
                    )
                    .await;
                    out!(
                        "imported {}: {} person(s), {} event(s)",
                        file.display(),
                        r.persons.len(),
                        r.events
                    );
                    for (url, id) in &r.persons {
                        out!("  {url} → person {id}");
                    }
                    for c in &r.review {
                        eprintln!("review: {}", c.vi());
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(FhirError::Invalid(errors)) => bail!(
                    "{}: refused, nothing was saved: {}",
                    file.display(),
                    errors
                        .iter()
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                Err(e) => Err(anyhow::Error::from(e).context(format!("{}", file.display()))),
            }
        }
    }
}
