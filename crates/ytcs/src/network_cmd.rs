//! `ytcs indicator value`, `ytcs network …` and `ytcs bench network`: the
//! health network on the command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Subcommand, ValueEnum};
use ytcs_core::network::{figures_from, YearValues};
use ytcs_core::org::{LineageKind, OrgCode, OrgKind};
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_registry::{Format, Table};
use ytcs_store::network::{NewUnit, Reform, ReformEdge};
use ytcs_store::Store;

/// `ytcs indicator …`
#[derive(Subcommand)]
pub enum IndicatorCommand {
    /// The value of an indicator or data element for a unit and period.
    Value {
        /// Indicator code (e.g. doctors_per_10000) or data element (population).
        code: String,
        /// Org unit code (e.g. 51).
        #[arg(long)]
        org: String,
        /// Period (a year for network indicators, e.g. 2024).
        #[arg(long)]
        period: String,
        /// The units as they stood on this date (YYYY-MM-DD); default: today in Vietnam.
        #[arg(long, value_parser = crate::parse_date)]
        at: Option<Date>,
        /// Print JSON {"code","org","period","at","value","numerator","denominator"}.
        #[arg(long)]
        json: bool,
    },
}

/// File formats of `network export`.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// CSV (UTF-8, Vietnamese headers).
    Csv,
    /// Excel workbook.
    Xlsx,
    /// FHIR R4 mCSD bundle (JSON): units and facilities.
    Mcsd,
}

/// `ytcs network …`
#[derive(Subcommand)]
pub enum NetworkCommand {
    /// Import a CSV or XLSX table, or an mCSD bundle: everything or nothing.
    Import {
        /// The file (.csv, .xlsx, or .json for an mCSD bundle).
        file: PathBuf,
        /// facilities, staff, training, villages or population (CSV and XLSX).
        #[arg(long)]
        table: Option<String>,
        /// csv, xlsx or mcsd (default: from the file's extension).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// For mcsd: the day the bundle's hierarchy describes (default: its timestamp).
        #[arg(long, value_parser = crate::parse_date)]
        at: Option<Date>,
    },
    /// Export a table (CSV/XLSX) or the registry as an mCSD bundle.
    Export {
        /// facilities, staff, training, villages or population (ignored for mcsd).
        #[arg(long, default_value = "facilities")]
        table: String,
        /// csv, xlsx or mcsd.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Root unit of an mCSD bundle (default: the country).
        #[arg(long, default_value = "VN")]
        org: String,
        /// Date of the hierarchy for mCSD (default: today in Vietnam).
        #[arg(long, value_parser = crate::parse_date)]
        at: Option<Date>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Write a blank table with its Vietnamese headers and an example row.
    Template {
        /// facilities, staff, training, villages or population.
        #[arg(long)]
        table: String,
        /// csv or xlsx.
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Enter a merge or split by hand (a future reform).
    Reform {
        /// First day under the new arrangement.
        #[arg(long, value_parser = crate::parse_date)]
        date: Date,
        /// Code of a unit that ends (repeatable).
        #[arg(long = "end")]
        ended: Vec<String>,
        /// A new unit: CODE:KIND:PARENT_CODE:NAME (repeatable).
        #[arg(long = "new")]
        new_units: Vec<String>,
        /// A lineage edge: PREDECESSOR:SUCCESSOR:WEIGHT (repeatable).
        #[arg(long = "edge")]
        edges: Vec<String>,
    },
}

fn table(s: &str) -> Result<Table> {
    s.parse::<Table>().map_err(anyhow::Error::msg)
}

fn write_out(output: &Option<PathBuf>, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    match output {
        Some(p) => std::fs::write(p, bytes).with_context(|| format!("writing {}", p.display())),
        None => std::io::stdout()
            .write_all(bytes)
            .context("writing to standard output"),
    }
}

/// Runs `ytcs network …`.
pub async fn network(store: &dyn Store, cmd: NetworkCommand) -> Result<ExitCode> {
    let today = ytcs_web::today_in_vietnam();
    match cmd {
        NetworkCommand::Import {
            file,
            table: t,
            format,
            at,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let json = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let format = match format {
                Some(ExportFormat::Csv) => Format::Csv,
                Some(ExportFormat::Xlsx) => Format::Xlsx,
                None if !json => Format::from_path(&file),
                Some(ExportFormat::Mcsd) | None => {
                    let bundle: serde_json::Value = serde_json::from_slice(&bytes)
                        .with_context(|| format!("{} is not JSON", file.display()))?;
                    let r = ytcs_registry::mcsd::import(store, &bundle, at)
                        .await
                        .with_context(|| format!("{}", file.display()))?;
                    crate::audit_cli(
                        store,
                        ytcs_core::audit::AuditAction::Create,
                        ytcs_core::audit::ObjectKind::Network,
                        &file.display().to_string(),
                        format!(
                            "mCSD import: {} unit(s), {} facility(ies) added",
                            r.units_added, r.facilities_added
                        ),
                    )
                    .await;
                    println!(
                        "imported mCSD bundle: {} unit(s) already stored, {} unit(s) added, {} facility(ies) added",
                        r.units_found, r.units_added, r.facilities_added
                    );
                    return Ok(ExitCode::SUCCESS);
                }
            };
            let Some(t) = t else {
                bail!("--table is required for CSV and XLSX: facilities, staff, training, villages or population");
            };
            let t = table(&t)?;
            let n = ytcs_registry::import(store, t, &bytes, format, today)
                .await
                .with_context(|| format!("{}", file.display()))?;
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::Create,
                ytcs_core::audit::ObjectKind::Network,
                &file.display().to_string(),
                format!("network import: {n} row(s) into {t}"),
            )
            .await;
            println!("imported {n} row(s) into {t}");
        }
        NetworkCommand::Export {
            table: t,
            format,
            org,
            at,
            output,
        } => {
            let bytes = match format {
                ExportFormat::Csv => ytcs_registry::export(store, table(&t)?, Format::Csv).await?,
                ExportFormat::Xlsx => {
                    ytcs_registry::export(store, table(&t)?, Format::Xlsx).await?
                }
                ExportFormat::Mcsd => {
                    let at = at.unwrap_or(today);
                    let code = OrgCode::parse(&org)?;
                    let Some(root) = store.unit_at(&code, at).await? else {
                        bail!("no unit carries code {code} on {at}");
                    };
                    let h = store.hierarchy().await?;
                    let data = store.network().await?;
                    let b = ytcs_registry::mcsd::bundle(&h, &data, root.id, at);
                    serde_json::to_vec_pretty(&b)?
                }
            };
            write_out(&output, &bytes)?;
        }
        NetworkCommand::Template {
            table: t,
            format,
            output,
        } => {
            let f = match format {
                ExportFormat::Xlsx => Format::Xlsx,
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Mcsd => bail!("templates are CSV or XLSX"),
            };
            write_out(&output, &ytcs_registry::template(table(&t)?, f)?)?;
        }
        NetworkCommand::Reform {
            date,
            ended,
            new_units,
            edges,
        } => {
            let mut reform = Reform {
                date,
                ended: ended
                    .iter()
                    .map(|c| OrgCode::parse(c))
                    .collect::<Result<_, _>>()?,
                new_units: Vec::new(),
                lineage: Vec::new(),
            };
            for n in &new_units {
                let parts: Vec<&str> = n.splitn(4, ':').collect();
                let [c, kind, parent, name] = parts[..] else {
                    bail!("--new '{n}': use CODE:KIND:PARENT_CODE:NAME");
                };
                let parent_code = OrgCode::parse(parent)?;
                let Some(p) = store.unit_at(&parent_code, date).await? else {
                    bail!("--new '{n}': no parent {parent} on {date}");
                };
                reform.new_units.push(NewUnit {
                    code: OrgCode::parse(c)?,
                    name: name.to_string(),
                    kind: kind.parse::<OrgKind>()?,
                    validity: Validity::since(date),
                    parents: vec![(p.id, Validity::since(date))],
                });
            }
            for e in &edges {
                let parts: Vec<&str> = e.split(':').collect();
                let [p, s, w] = parts[..] else {
                    bail!("--edge '{e}': use PREDECESSOR:SUCCESSOR:WEIGHT");
                };
                let weight: f64 = w.parse().with_context(|| format!("--edge '{e}': weight"))?;
                reform.lineage.push(ReformEdge {
                    predecessor: OrgCode::parse(p)?,
                    successor: OrgCode::parse(s)?,
                    kind: if weight >= 1.0 {
                        LineageKind::Merge
                    } else {
                        LineageKind::Split
                    },
                    weight,
                });
            }
            let added = store.add_reform(&reform).await?;
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::Create,
                ytcs_core::audit::ObjectKind::OrgUnit,
                &date.to_string(),
                format!("reform of {date}: {} new unit(s)", added.len()),
            )
            .await;
            println!("reform of {date} recorded: {} new unit(s)", added.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `ytcs bench network`: figures, never pass/fail.
pub async fn bench(store: &dyn Store, json: bool, province: &str) -> Result<ExitCode> {
    let at = ytcs_web::today_in_vietnam();
    let started = Instant::now();
    let units = ytcs_refdata::admin_units()?;
    let reference = ytcs_core::hierarchy::Hierarchy::new(units.units, units.links, units.lineage)?;
    let build_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let stored = store.hierarchy().await?;
    let load_s = started.elapsed().as_secs_f64();
    let code = OrgCode::parse(province)?;
    let Some(p) = stored.unit_at(&code, at).cloned() else {
        bail!("no unit carries code {code} on {at}");
    };
    let rounds = 100;
    let started = Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        n = stored.children(p.id, at).len();
    }
    let children_ms = started.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    let data = store.network().await?;
    let year = 2024;
    let values = YearValues::of_year(&stored, &data, year);
    let started = Instant::now();
    let pop = figures_from(&stored, &values, "population", at, &[p.id])?[0];
    let rollup_ms = started.elapsed().as_secs_f64() * 1000.0;
    let communes: Vec<_> = stored
        .children(p.id, at)
        .iter()
        .filter(|u| u.kind == OrgKind::Commune)
        .map(|u| u.id)
        .collect();
    let started = Instant::now();
    let figs = figures_from(&stored, &values, "stations_with_doctor_pct", at, &communes)?;
    let indicator_ms = started.elapsed().as_secs_f64() * 1000.0;
    let out = serde_json::json!({
        "reference_units": reference.units().len(),
        "units": stored.units().len(),
        "lineage_edges": stored.lineage().len(),
        "build_reference_units_s": build_s,
        "load_units_with_lineage_s": load_s,
        "children_ms": children_ms,
        "children": n,
        "province_population_rollup_ms": rollup_ms,
        "province_population_2024": pop.numerator,
        "indicator_every_commune_ms": indicator_ms,
        "communes": figs.len(),
        "province": code.as_str(),
        "at": at.to_string(),
    });
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("{out}");
    }
    Ok(ExitCode::SUCCESS)
}
