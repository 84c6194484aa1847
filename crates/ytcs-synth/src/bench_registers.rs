//! The registers benchmark: generate a province's register
//! ([`crate::generate`]), bulk-load it, then time (a) reading the records
//! back, (b) the Rust derivation of every person-level indicator for every
//! commune and month, (c) the same derivation as SQL on PostgreSQL (the
//! straightforward cases of `ytcs_store::registers_sql`, compared with the
//! Rust values of the same cases) and (d) a person search by name in a
//! commune (median of 100).

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::Datelike;
use serde::Serialize;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::period::Period;
use ytcs_core::register::derive::{derive, Registers, Window};
use ytcs_core::Date;
use ytcs_store::registers::PersonQuery;
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
    /// Generating the records.
    pub generate_ms: f64,
    /// Bulk-loading them.
    pub load_ms: f64,
    /// Reading every record back.
    pub read_ms: f64,
    /// The Rust derivation of every commune and period.
    pub derive_rust_ms: f64,
    /// Values it derived (zeros included).
    pub derived_values: usize,
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

/// Runs the benchmark into an empty register. `pg` is the same database
/// when it is PostgreSQL.
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
    let t = Instant::now();
    let g = crate::generate::generate(&h, "51", persons, seed, today)
        .map_err(|e| EngineError::Other(e.to_string()))?;
    let generate_ms = ms(t);
    let (n_persons, n_events, n_cards) = (
        g.batch.persons.len(),
        g.batch.events.len(),
        g.batch.cards.len(),
    );
    let sample: Vec<(ytcs_core::org::UnitId, String)> = g
        .batch
        .persons
        .iter()
        .step_by((n_persons / 100).max(1))
        .take(100)
        .map(|p| {
            let given = p.full_name.rsplit(' ').next().unwrap_or("").to_string();
            let family = p.full_name.split(' ').next().unwrap_or("").to_string();
            (p.commune, format!("{family} {given}"))
        })
        .collect();
    let t = Instant::now();
    store.bulk_load(&g.batch, "system").await?;
    let load_ms = ms(t);
    drop(g);
    let t = Instant::now();
    let r = store.registers(None).await?;
    let read_ms = ms(t);
    let through = month_of(today);
    let w = Window {
        from_year: today.year() - 5,
        through,
    };
    let t = Instant::now();
    let derived = derive(&h, standards(), &r, w);
    let derive_rust_ms = ms(t);
    let derived_values = derived.len();
    drop(derived);
    let (mut derive_sql_ms, mut sql_values, mut sql_differences, mut examples) =
        (None, None, None, vec![]);
    if let Some(pg) = pg {
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
    drop(r);
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
        read_ms,
        derive_rust_ms,
        derived_values,
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
