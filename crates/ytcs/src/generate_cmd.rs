//! `ytcs generate`: fills a database with a synthetic register of the demo
//! province (persons, households, moves, cards, five years of events), the
//! population table computed from it, and the values derived from it.

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use ytcs_core::network::{NetworkData, PopulationCount};
use ytcs_store::Store;

/// Arguments of `ytcs generate`.
#[derive(Args)]
pub struct GenerateArgs {
    /// How many persons to generate.
    #[arg(long, default_value_t = 10_000)]
    pub persons: usize,
    /// Seed of the generator (the same seed gives the same register).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Province (code) whose communes the persons live in.
    #[arg(long, default_value = "51")]
    pub province: String,
    /// Only these communes (codes of communes valid today, repeatable);
    /// default: every commune of the province.
    #[arg(long = "commune")]
    pub communes: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// What a generation did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GenerateReport {
    /// Persons.
    pub persons: usize,
    /// Households.
    pub households: usize,
    /// Events.
    pub events: usize,
    /// Insurance cards.
    pub cards: usize,
    /// Moves.
    pub moves: usize,
    /// Communes (valid today) they live in.
    pub communes: usize,
    /// Population cells written.
    pub population_written: usize,
    /// Population cells the registry already had (they stand).
    pub population_kept: usize,
    /// Values derived.
    pub derived: usize,
    /// Seconds generating (on a thread of its own, while the groups
    /// before are loaded).
    pub generate_s: f64,
    /// Seconds loading (the load's own time, not waiting for the
    /// generator).
    pub load_s: f64,
    /// Seconds deriving and writing values.
    pub derive_s: f64,
    /// Seconds from start to end (wall clock): what a user waits.
    pub total_s: f64,
}

/// Writes the population cells the registry does not have yet; returns
/// (written, kept).
pub async fn write_population(
    store: &dyn Store,
    cells: &[PopulationCount],
) -> Result<(usize, usize)> {
    let have: HashSet<(i64, i32, String, String)> = store
        .network()
        .await?
        .population
        .iter()
        .map(|p| {
            (
                p.unit.0,
                p.year,
                p.sex.as_str().to_string(),
                p.age.to_string(),
            )
        })
        .collect();
    let new: Vec<PopulationCount> = cells
        .iter()
        .filter(|p| {
            !have.contains(&(
                p.unit.0,
                p.year,
                p.sex.as_str().to_string(),
                p.age.to_string(),
            ))
        })
        .copied()
        .collect();
    let written = new.len();
    if written > 0 {
        store
            .add_network(&NetworkData {
                population: new,
                ..NetworkData::default()
            })
            .await
            .context("writing the population")?;
    }
    Ok((written, cells.len() - written))
}

/// Generates, loads and derives; refuses a register that has persons.
pub async fn generate_into(
    store: &dyn Store,
    province: &str,
    communes: Option<&[ytcs_core::org::UnitId]>,
    persons: usize,
    seed: u64,
) -> Result<GenerateReport> {
    let (have, _) = store.register_counts().await?;
    if have > 0 {
        anyhow::bail!(
            "the register already holds {have} persons: generate only fills an empty register (use a new --data-dir or database)"
        );
    }
    ytcs_synth::demo_network::load_demo(store)
        .await
        .context("loading the demo network")?;
    let h = store.hierarchy().await?;
    let today = ytcs_web::today_in_vietnam();
    // Made and loaded a group of communes at a time (one transaction):
    // never the whole register in memory.
    let targets = match communes {
        Some(cs) => cs.to_vec(),
        None => ytcs_synth::generate::province_communes(&h, province, today)?,
    };
    let started = Instant::now();
    let t = Instant::now();
    let mut ahead = ytcs_synth::generate::Groups::new(&h, &targets, persons, seed, today)?.ahead();
    ytcs_store::raw::writes(store)
        .bulk_load_from(&mut ahead, "system")
        .await?;
    let made_s = t.elapsed().as_secs_f64();
    let waited_s = ahead.waited_seconds();
    let groups = ahead.finish();
    let t = Instant::now();
    let (population_written, population_kept) =
        write_population(store, &groups.population()).await?;
    let population_s = t.elapsed().as_secs_f64();
    let totals = groups.totals;
    let counts = (
        totals.persons,
        totals.households,
        totals.events,
        totals.cards,
        totals.moves,
        groups.communes().len(),
    );
    // Generating and loading are one pass, a group at a time, the next
    // group made while one is loaded; each reports its own time.
    let generate_s = groups.generate_seconds;
    let load_s = made_s - waited_s + population_s;
    drop(groups);
    let t = Instant::now();
    let s = ytcs_engine::registers::sync(store, &h, None, "system", today).await?;
    let derive_s = t.elapsed().as_secs_f64();
    let (persons, households, events, cards, moves, communes) = counts;
    Ok(GenerateReport {
        persons,
        households,
        events,
        cards,
        moves,
        communes,
        population_written,
        population_kept,
        derived: s.derived,
        generate_s,
        load_s,
        derive_s,
        total_s: started.elapsed().as_secs_f64(),
    })
}

/// Runs `ytcs generate`.
pub async fn generate(store: &dyn Store, args: GenerateArgs) -> Result<ExitCode> {
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let mut only = vec![];
    for c in &args.communes {
        let code =
            ytcs_core::org::OrgCode::parse(c).map_err(|e| anyhow::anyhow!("--commune {c}: {e}"))?;
        let unit = store
            .unit_at(&code, today)
            .await?
            .with_context(|| format!("--commune {c}: no unit carries this code today"))?;
        only.push(unit.id);
    }
    let communes = (!only.is_empty()).then_some(only.as_slice());
    let r = generate_into(store, &args.province, communes, args.persons, args.seed).await?;
    if args.json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        println!(
            "{} persons, {} households, {} events, {} cards, {} moves in {} communes",
            r.persons, r.households, r.events, r.cards, r.moves, r.communes
        );
        println!(
            "population: {} cells written, {} kept from the registry",
            r.population_written, r.population_kept
        );
        println!(
            "generate {:.2} s (its own thread), load {:.2} s, derive {:.2} s ({} values); {:.2} s in all",
            r.generate_s, r.load_s, r.derive_s, r.derived, r.total_s
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `ytcs bench registers` (the SQL side when `--database-url` is
/// PostgreSQL).
pub async fn bench(g: &crate::Global, persons: usize, seed: u64, json: bool) -> Result<ExitCode> {
    let store = crate::open_store(g).await?;
    let pg = match g.database_url.as_deref() {
        Some(url) => Some(ytcs_store::PgStore::connect(url).await?),
        None => None,
    };
    let today = ytcs_web::today_in_vietnam();
    let r =
        ytcs_synth::bench_registers::run(store.as_ref(), pg.as_ref(), persons, seed, today).await?;
    if json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        println!(
            "{} ({}): {} persons, {} events, {} cards",
            r.engine, seed, r.persons, r.events, r.cards
        );
        println!(
            "generate {:.0} ms (its own thread), load {:.0} ms; together {:.0} ms",
            r.generate_ms, r.load_ms, r.generate_and_load_ms
        );
        println!(
            "derive every commune and month, written: {:.0} ms ({} values, {} written, {} batches, peak memory {} MB); verify {:.0} ms",
            r.derive_ms,
            r.derived_values,
            r.written_values,
            r.batches,
            r.derive_peak_rss_mb.map_or("?".into(), |m| format!("{m:.0}")),
            r.verify_ms
        );
        println!("save one event: p95 {:.1} ms", r.save_event_p95_ms);
        if let (Some(read), Some(t), Some(n), Some(d)) =
            (r.read_ms, r.derive_sql_ms, r.sql_values, r.sql_differences)
        {
            println!(
                "PostgreSQL: every record read back {read:.0} ms; the derivation as SQL {t:.0} ms ({n} non-zero values; {} with the Rust derivation of the same cases)",
                if d == 0 { "equal".to_string() } else { format!("{d} differ") }
            );
        }
        if r.engine == "postgres" && r.read_ms.is_none() {
            println!(
                "PostgreSQL: the derivation as SQL not run above {} persons (its comparison reads every record at once)",
                ytcs_synth::bench_registers::SQL_BASELINE_PERSONS
            );
        }
        for e in &r.sql_difference_examples {
            println!("  {e}");
        }
        println!(
            "search by name in a commune: median {:.2} ms; peak memory {} MB",
            r.search_median_ms,
            r.peak_rss_mb.map_or("?".into(), |m| format!("{m:.0}"))
        );
    }
    Ok(ExitCode::SUCCESS)
}
