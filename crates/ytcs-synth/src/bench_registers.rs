//! The registers benchmark: generate a province's register
//! ([`crate::generate`]), bulk-load it, then time, through the functions
//! the product runs, (a) the derivation of every person-level indicator
//! for every commune and month, written to the store, as `ytcs generate`
//! and `ytcs rebuild` run it ([`ytcs_engine::registers::sync`], in
//! batches of communes), with its own peak memory, (b) its check as
//! `ytcs rebuild --verify` runs it, (c) saving one event of a person as
//! the register pages do ([`ytcs_engine::registers::save`], p95 of 20) and
//! (d) a person search by name in a commune (median of 100). On
//! PostgreSQL it also reads every record back and runs the same
//! derivation as SQL (the straightforward cases of
//! `ytcs_store::registers_sql`), compared with the Rust values of the
//! same cases.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::Datelike;
use serde::Serialize;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::period::Period;
use ytcs_core::register::derive::{derive, Registers, Window};
use ytcs_core::register::{Event, EventKind};
use ytcs_core::Date;
use ytcs_store::registers::{PersonQuery, RegisterBatch};
use ytcs_store::{PgStore, Store};

use ytcs_engine::registers::{month_of, standards};
use ytcs_engine::EngineError;

/// The figures, in milliseconds unless said.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterBench {
    /// Storage engine.
    pub engine: String,
    /// Persons.
    pub persons: usize,
    /// Events.
    pub events: usize,
    /// Cards.
    pub cards: usize,
    /// Generating the records (on a thread of its own, while the groups
    /// before are loaded: [`crate::generate::Groups::ahead`]).
    pub generate_ms: f64,
    /// Bulk-loading them: the load's own time, without waiting for the
    /// generator.
    pub load_ms: f64,
    /// Generating and loading, from the start to the commit (wall
    /// clock): what a user waits.
    pub generate_and_load_ms: f64,
    /// The derivation of every commune and period, written
    /// ([`ytcs_engine::registers::sync`]).
    pub derive_ms: f64,
    /// Values it derived (zeros included).
    pub derived_values: usize,
    /// Values it wrote.
    pub written_values: usize,
    /// Batches of communes it derived in.
    pub batches: usize,
    /// Peak resident memory during the derivation, MB (the peak is reset
    /// after the load).
    pub derive_peak_rss_mb: Option<f64>,
    /// The check of `ytcs rebuild --verify`.
    pub verify_ms: f64,
    /// Saving one event of a person, p95 of 20.
    pub save_event_p95_ms: f64,
    /// Reading every record back (PostgreSQL only, for the SQL
    /// comparison).
    pub read_ms: Option<f64>,
    /// The SQL derivation on PostgreSQL (`None`: not on PostgreSQL).
    pub derive_sql_ms: Option<f64>,
    /// Non-zero values the SQL derived.
    pub sql_values: Option<usize>,
    /// Values of the compared cases where SQL and Rust differ.
    pub sql_differences: Option<usize>,
    /// The first differences, in words.
    pub sql_difference_examples: Vec<String>,
    /// Median person search by name in a commune.
    pub search_median_ms: f64,
    /// Peak resident memory of the process, MB.
    pub peak_rss_mb: Option<f64>,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// The groups of a generated register handed to the load, with every
/// `every`-th person's commune and name (for the searches) and every
/// `every_living`-th living person (for the saves) kept aside.
struct Sampling<'a> {
    groups: &'a mut crate::generate::Ahead,
    every: usize,
    every_living: usize,
    seen: usize,
    living: usize,
    sample: Vec<(ytcs_core::org::UnitId, String)>,
    save_targets: Vec<(ytcs_core::org::UnitId, i64)>,
}

impl ytcs_store::registers::BatchSource for Sampling<'_> {
    fn next_batch(
        &mut self,
    ) -> Result<Option<&ytcs_store::registers::RegisterBatch>, ytcs_store::StoreError> {
        let Sampling {
            groups,
            every,
            every_living,
            seen,
            living,
            sample,
            save_targets,
        } = self;
        let Some(b) = groups.next_batch()? else {
            return Ok(None);
        };
        for p in &b.persons {
            if *seen % *every == 0 && sample.len() < 100 {
                let given = p.full_name.rsplit(' ').next().unwrap_or("").to_string();
                let family = p.full_name.split(' ').next().unwrap_or("").to_string();
                sample.push((p.commune, format!("{family} {given}")));
            }
            *seen += 1;
            if p.death.is_none() {
                if *living % *every_living == 0 && save_targets.len() < 20 {
                    save_targets.push((p.commune, p.id));
                }
                *living += 1;
            }
        }
        Ok(Some(b))
    }
}

/// The most persons the SQL baseline runs for: it compares with every
/// record read at once (8 GB at 1 M persons), which is what the product's
/// derivation avoids.
pub const SQL_BASELINE_PERSONS: usize = 2_000_000;

/// Runs the benchmark into an empty register. `pg` is the same database
/// when it is PostgreSQL (the SQL baseline up to
/// [`SQL_BASELINE_PERSONS`]).
pub async fn run(
    store: &dyn Store,
    pg: Option<&PgStore>,
    persons: usize,
    seed: u64,
    today: Date,
) -> Result<RegisterBench, EngineError> {
    let (have, _) = store.register_counts().await?;
    if have > 0 {
        return Err(EngineError::Other(format!(
            "the register already holds {have} persons; the benchmark needs an empty database"
        )));
    }
    let h = store.hierarchy().await?;
    // Generated and loaded a group of communes at a time, as `ytcs
    // generate` does; a sample of names and living persons is kept
    // for the searches and saves below.
    let targets = crate::generate::province_communes(&h, "51", today)
        .map_err(|e| EngineError::Other(e.to_string()))?;
    let mut ahead = crate::generate::Groups::new(&h, &targets, persons, seed, today)
        .map_err(|e| EngineError::Other(e.to_string()))?
        .ahead();
    let mut source = Sampling {
        groups: &mut ahead,
        every: (persons / 100).max(1),
        every_living: (persons / 20).max(1),
        seen: 0,
        living: 0,
        sample: vec![],
        save_targets: vec![],
    };
    let t = Instant::now();
    ytcs_store::raw::writes(store)
        .bulk_load_from(&mut source, "system")
        .await?;
    let made_ms = ms(t);
    let (sample, save_targets) = (source.sample, source.save_targets);
    let load_ms = made_ms - ahead.waited_seconds() * 1000.0;
    let groups = ahead.finish();
    let generate_ms = groups.generate_seconds * 1000.0;
    let (n_persons, n_events, n_cards) = (
        groups.totals.persons,
        groups.totals.events,
        groups.totals.cards,
    );
    drop(groups);
    let through = month_of(today);
    let w = Window {
        from_year: today.year() - 5,
        through,
    };
    crate::bench::reset_peak_rss();
    let t = Instant::now();
    let synced = ytcs_engine::registers::sync(store, &h, None, "bench", today)
        .await
        .map_err(|e| EngineError::Other(e.to_string()))?;
    let derive_ms = ms(t);
    let derive_peak_rss_mb = crate::bench::peak_rss_mb();
    // On the way (a run at 10 M persons takes most of an hour): the goal's
    // figures before the verify, which reads every row.
    eprintln!(
        "bench registers: generated and loaded in {:.1} s, derived in {:.1} s; verifying …",
        made_ms / 1000.0,
        derive_ms / 1000.0
    );
    let t = Instant::now();
    let verified = ytcs_engine::registers::verify(store, &h).await?;
    let verify_ms = ms(t);
    if !verified.equal() {
        return Err(EngineError::Other(format!(
            "the derived values differ from a fresh derivation: {}",
            verified.examples.join("; ")
        )));
    }
    let mut saves = vec![];
    for (i, &(commune, person)) in save_targets.iter().enumerate() {
        let batch = RegisterBatch {
            events: vec![Event {
                id: -1,
                person,
                date: today,
                unit: commune,
                kind: EventKind::Examination {
                    icd10: "J06".into(),
                    insured: i % 2 == 0,
                },
                flags: vec![],
            }],
            ..RegisterBatch::default()
        };
        let t = Instant::now();
        ytcs_engine::registers::save(store, &h, &batch, "bench", today)
            .await
            .map_err(|e| EngineError::Other(format!("saving an examination: {e}")))?;
        saves.push(ms(t));
    }
    saves.sort_by(f64::total_cmp);
    let save_event_p95_ms = saves
        .get((saves.len() * 95).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    let (mut read_ms, mut derive_sql_ms, mut sql_values, mut sql_differences, mut examples) =
        (None, None, None, None, vec![]);
    if let Some(pg) = pg.filter(|_| persons <= SQL_BASELINE_PERSONS) {
        let t = Instant::now();
        let r = store.registers(None).await?;
        read_ms = Some(ms(t));
        let t = Instant::now();
        let sql = pg
            .derive_registers_sql(
                Period::Month(w.from_year, 1).start(),
                through.end(),
                &w.years(),
            )
            .await?;
        derive_sql_ms = Some(ms(t));
        sql_values = Some(sql.len());
        let (n, ex) = compare(&h, &r, w, &sql);
        sql_differences = Some(n);
        examples = ex;
    }
    let mut times = vec![];
    for (commune, name) in &sample {
        let t = Instant::now();
        let found = store
            .search_persons(&PersonQuery {
                communes: Some(vec![*commune]),
                name: Some(name.clone()),
                limit: 50,
                ..PersonQuery::default()
            })
            .await?;
        times.push(ms(t));
        if found.is_empty() {
            return Err(EngineError::Other(format!(
                "the search for {name} found nobody"
            )));
        }
    }
    times.sort_by(f64::total_cmp);
    let search_median_ms = times.get(times.len() / 2).copied().unwrap_or(0.0);
    Ok(RegisterBench {
        engine: store.engine().to_string(),
        persons: n_persons,
        events: n_events,
        cards: n_cards,
        generate_ms,
        load_ms,
        generate_and_load_ms: made_ms,
        derive_ms,
        derived_values: synced.derived,
        written_values: synced.changed,
        batches: synced.batches,
        derive_peak_rss_mb,
        verify_ms,
        save_event_p95_ms,
        read_ms,
        derive_sql_ms,
        sql_values,
        sql_differences,
        sql_difference_examples: examples,
        search_median_ms,
        peak_rss_mb: crate::bench::peak_rss_mb(),
    })
}

const SQL_ELEMENTS: &[&str] = &[
    "live_births",
    "newborns_screened",
    "pregnancies_ended",
    "pregnancies_screened",
    "insured_persons",
    "ehr_persons",
    "elderly_60plus",
    "elderly_checked",
    "hypertension_known",
];

type Cell = (i64, String, String, String);

/// Compares the SQL values with the Rust derivation of the same cases:
/// persons who never moved, periods ending before the reform (when every
/// recorded commune is valid); returns the differences.
pub fn compare(
    h: &Hierarchy,
    r: &Registers,
    w: Window,
    sql: &[ytcs_store::registers_sql::SqlValue],
) -> (usize, Vec<String>) {
    let movers: std::collections::HashSet<i64> = r.moves.iter().map(|m| m.person).collect();
    let sub = Registers {
        persons: r
            .persons
            .iter()
            .filter(|p| !movers.contains(&p.id))
            .cloned()
            .collect(),
        moves: vec![],
        cards: r
            .cards
            .iter()
            .filter(|c| !movers.contains(&c.person))
            .cloned()
            .collect(),
        events: r
            .events
            .iter()
            .filter(|e| !movers.contains(&e.person))
            .cloned()
            .collect(),
    };
    let reform = ytcs_refdata::REFORM_DATE;
    let in_scope = |unit: ytcs_core::org::UnitId, p: Period| {
        p.end() < reform && h.unit(unit).is_some_and(|u| u.validity.contains(p.end()))
    };
    let mut rust: BTreeMap<Cell, i64> = BTreeMap::new();
    for v in derive(h, standards(), &sub, w) {
        if v.value != 0 && SQL_ELEMENTS.contains(&v.element) && in_scope(v.unit, v.period) {
            rust.insert(
                (
                    v.unit.0,
                    v.period.to_string(),
                    v.element.to_string(),
                    v.disagg,
                ),
                v.value,
            );
        }
    }
    let mut theirs: BTreeMap<Cell, i64> = BTreeMap::new();
    for (u, p, e, d, v) in sql {
        let Ok(period) = p.parse::<Period>() else {
            continue;
        };
        if in_scope(ytcs_core::org::UnitId(*u), period) {
            theirs.insert((*u, p.clone(), e.clone(), d.clone()), *v);
        }
    }
    let mut n = 0;
    let mut ex = vec![];
    for k in rust
        .keys()
        .chain(theirs.keys().filter(|k| !rust.contains_key(*k)))
    {
        let (a, b) = (rust.get(k), theirs.get(k));
        if a != b {
            n += 1;
            if ex.len() < 5 {
                ex.push(format!("{k:?}: Rust {a:?}, SQL {b:?}"));
            }
        }
    }
    (n, ex)
}
