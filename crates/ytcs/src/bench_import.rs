//! `ytcs bench indicators`: the product's own path from a file a user would
//! load to figures at every level, timed, beside what a user would pick
//! instead (PostgreSQL, DuckDB) on the same file in the same run.
//!
//! 1. **File**: `element,org,period,disagg,value` over every commune of
//!    2024 (before the 2025 reform) and consecutive months ending with
//!    June 2025 (their last), four element/disaggregation pairs (live births by sex, newborns
//!    screened, food-poisoning cases), plus `UNITS.csv`
//!    (`commune,district,province`) for the baselines. Totals per
//!    province, element and year are summed while writing, independently
//!    of the engine.
//! 2. **Import** into a fresh SQLite store (or, with `--postgres URL`, a
//!    fresh database `ytcs_bench_PID` created on that server and dropped
//!    after) with the reference units, by
//!    the function `ytcs data import FILE.csv` calls,
//!    `import::import_csv_file`: a checking pass over the file, then its
//!    writes through `ValueStore::write_value_chunks` a chunk at a time in
//!    one transaction (the value columns take the deltas). The web import
//!    resolves rows by the same `exchange` functions and writes through
//!    `ValueStore::write_values`.
//! 3. **Rebuild** by `ValueStore::rebuild`, as `ytcs rebuild --verify` does.
//! 4. **Check**: every province's total of each element and year (units
//!    of 2024-12-31), and the national total under the 34 provinces of
//!    2026 (lineage), through `analytics::run`, equal the sums of step 1.
//! 5. **Queries**: 50-cell `analytics::run` requests (two indicators × 25
//!    communes of today, units as of today), p95.
//!    Then one value written and its province's year read back (p95), a
//!    50-value form saved (p95), and a restart: the store opened again
//!    and the first query answered (from the columns' snapshot).
//! 6. **Baselines**: `scripts/bench-baselines FILE --units UNITS` when
//!    `--baselines` names it; its JSON is printed beside, with ratios.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use ytcs_core::org::{OrgKind, OrgUnit};
use ytcs_core::Date;
use ytcs_engine::analytics::{run, Query};
use ytcs_store::StoreConfig;
use ytcs_synth::bench::peak_rss_mb;
use ytcs_synth::rng::Rng;

/// The element/disaggregation pairs of the file.
const PAIRS: [(&str, &str); 4] = [
    ("live_births", "m"),
    ("live_births", "f"),
    ("newborns_screened", ""),
    ("food_poisoning_cases", ""),
];

fn d(s: &str) -> Date {
    s.parse().expect("a date")
}

/// Sums by (province code, element, year), in whole units.
type Totals = HashMap<(String, &'static str, i32), i64>;

/// Writes the file and the units file; returns the expected totals by
/// (province code, element, year) and the number of values.
fn write_file(
    communes: &[(OrgUnit, String, String)],
    values: usize,
    path: &std::path::Path,
    units_path: &std::path::Path,
) -> Result<(Totals, usize)> {
    let per_month = communes.len() * PAIRS.len();
    let months = values.div_ceil(per_month).max(1);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "element,org,period,disagg,value")?;
    let mut totals = Totals::new();
    // The same file every run (seeded).
    let mut rng = Rng(2025);
    let mut n = 0;
    // Months ending with June 2025, the last month of these communes.
    let first = 2025 * 12 + 5 + 1 - months as i64;
    'all: for m in 0..months {
        let index = first + m as i64;
        let (year, month) = ((index / 12) as i32, index % 12 + 1);
        for (c, _, province) in communes {
            let boys = rng.range(5, 44);
            let girls = rng.range(5, 42);
            let screened = (boys + girls) * rng.range(60, 99) / 100;
            let poisoned = rng.range(0, 2);
            for ((element, disagg), v) in PAIRS.iter().zip([boys, girls, screened, poisoned]) {
                if n == values {
                    break 'all;
                }
                writeln!(
                    f,
                    "{element},{},{year}-{month:02},{disagg},{v}",
                    c.code.as_str()
                )?;
                *totals.entry((province.clone(), element, year)).or_default() += v;
                n += 1;
            }
        }
    }
    f.flush()?;
    let mut u = std::io::BufWriter::new(std::fs::File::create(units_path)?);
    writeln!(u, "commune,district,province")?;
    for (c, district, province) in communes {
        writeln!(u, "{},{district},{province}", c.code.as_str())?;
    }
    u.flush()?;
    Ok((totals, n))
}

/// Runs the benchmark; `dir` holds the file and the fresh database.
pub async fn run_bench(
    values: usize,
    baselines: Option<std::path::PathBuf>,
    dir: &std::path::Path,
    postgres: Option<&str>,
) -> Result<serde_json::Value> {
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    let fresh = match postgres {
        None => None,
        Some(url) => Some(FreshPg::create(url).await?),
    };
    let config = match &fresh {
        None => StoreConfig::Sqlite { path: db.clone() },
        Some(pg) => StoreConfig::Postgres {
            url: pg.url.clone(),
        },
    };
    let outcome = run_on(values, baselines, dir, &config).await;
    if let Some(pg) = fresh {
        pg.drop_database().await?;
    }
    outcome
}

/// A database created on a PostgreSQL server for one run, and dropped.
struct FreshPg {
    /// The URL given, to drop it from.
    server: String,
    name: String,
    /// The URL of the new database.
    url: String,
}

impl FreshPg {
    async fn create(server: &str) -> Result<FreshPg> {
        let name = format!("ytcs_bench_{}", std::process::id());
        let url = ytcs_store::PgStore::create_database(server, &name)
            .await
            .context("creating the benchmark's database (the role needs CREATEDB)")?;
        Ok(FreshPg {
            server: server.to_string(),
            name,
            url,
        })
    }

    async fn drop_database(self) -> Result<()> {
        Ok(ytcs_store::PgStore::drop_database(&self.server, &self.name).await?)
    }
}

async fn run_on(
    values: usize,
    baselines: Option<std::path::PathBuf>,
    dir: &std::path::Path,
    config: &StoreConfig,
) -> Result<serde_json::Value> {
    let db = dir.join("bench.db");
    let store = ytcs_store::open_initialised(config).await?;
    let h = store.hierarchy().await?;
    let before = d("2024-12-31");
    let mut communes: Vec<(OrgUnit, String, String)> = Vec::new();
    for u in h.units() {
        if u.kind != OrgKind::Commune || !u.validity.contains(before) {
            continue;
        }
        let up = h.ancestors(u.id, before);
        let of = |k: OrgKind| {
            up.iter()
                .find(|a| a.kind == k)
                .map(|a| a.code.as_str().to_string())
        };
        if let (Some(district), Some(province)) = (of(OrgKind::District), of(OrgKind::Province)) {
            communes.push((u.clone(), district, province));
        }
    }
    communes.sort_by(|a, b| a.0.code.as_str().cmp(b.0.code.as_str()));
    let file = dir.join(format!("values-{values}.csv"));
    let units_file = dir.join(format!("values-{values}.units.csv"));
    let t = Instant::now();
    let (expected, n) = write_file(&communes, values, &file, &units_file)?;
    let generate_s = t.elapsed().as_secs_f64();
    let file_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    eprintln!(
        "bench: {n} values over {} communes written to {} ({file_mb:.0} MB) in {generate_s:.1} s",
        communes.len(),
        file.display()
    );

    // Import: the functions of `ytcs data import` and the web import.
    let rss_before = peak_rss_mb();
    let t = Instant::now();
    let imported =
        match ytcs_engine::import::import_csv_file(store.as_ref(), &h, &file, "bench").await {
            Ok(done) => done,
            Err(e) => bail!("the generated file was not imported: {e}"),
        };
    let import_s = t.elapsed().as_secs_f64();
    if imported.values != n {
        bail!(
            "{} values imported, {n} written to the file",
            imported.values
        );
    }
    let import_rss = peak_rss_mb();
    eprintln!("bench: import {import_s:.1} s");

    // Rebuild from the stored values, as `ytcs rebuild --verify`.
    let t = Instant::now();
    let report = store.rebuild(false).await?;
    let rebuild_s = t.elapsed().as_secs_f64();
    if !report.equal() {
        bail!("rebuild --verify found the value columns differ from a fold of the raw values");
    }
    eprintln!("bench: rebuild --verify {rebuild_s:.1} s");

    // Check the totals through the analytics engine.
    let elements = ["live_births", "newborns_screened", "food_poisoning_cases"];
    let years: Vec<i32> = {
        let mut y: Vec<i32> = expected.keys().map(|k| k.2).collect();
        y.sort();
        y.dedup();
        y
    };
    let provinces: Vec<String> = {
        let mut p: Vec<String> = communes.iter().map(|c| c.2.clone()).collect();
        p.sort();
        p.dedup();
        p
    };
    let year_list = years
        .iter()
        .map(|y| y.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let q = Query::parse(
        &h,
        &elements.join(","),
        &provinces.join(","),
        &year_list,
        before,
    )?;
    let t = Instant::now();
    let cells = run(store.as_ref(), &h, &q).await?;
    let province_check_s = t.elapsed().as_secs_f64();
    let mut checked = 0;
    for c in &cells {
        let year: i32 = c.period.parse()?;
        let element = elements
            .iter()
            .find(|e| **e == c.code)
            .context("an element asked for")?;
        let want = expected
            .get(&(c.org.clone(), *element, year))
            .copied()
            .unwrap_or(0);
        let got = c.value.unwrap_or(0.0);
        if (got - want as f64).abs() > 1e-6 {
            bail!(
                "{} of province {} in {year}: the engine says {got}, the file holds {want}",
                c.code,
                c.org
            );
        }
        checked += 1;
    }
    // Under the 34 provinces of today, the nation's total is the same.
    let today = ytcs_web::today_in_vietnam();
    let today_provinces: Vec<String> = h
        .units()
        .iter()
        .filter(|u| u.kind == OrgKind::Province && u.validity.contains(today))
        .map(|u| u.code.as_str().to_string())
        .collect();
    let q = Query::parse(
        &h,
        "live_births",
        &today_provinces.join(","),
        &year_list,
        today,
    )?;
    let cells = run(store.as_ref(), &h, &q).await?;
    for y in &years {
        let got: f64 = cells
            .iter()
            .filter(|c| c.period == y.to_string())
            .filter_map(|c| c.value)
            .sum();
        let want: i64 = expected
            .iter()
            .filter(|((_, e, yy), _)| *e == "live_births" && yy == y)
            .map(|(_, v)| v)
            .sum();
        if (got - want as f64).abs() > 1e-3 {
            bail!("live births of {y} under today's provinces: {got}, the file holds {want}");
        }
    }

    // 50-cell queries through the analytics engine, units of today.
    let today_communes: Vec<&OrgUnit> = h
        .units()
        .iter()
        .filter(|u| u.kind == OrgKind::Commune && u.validity.contains(today))
        .collect();
    let mut rng = Rng(7);
    let mut times = Vec::new();
    for i in 0..30 {
        let orgs: Vec<&str> = (0..25)
            .map(|_| {
                today_communes[rng.range(0, today_communes.len() as i64 - 1) as usize]
                    .code
                    .as_str()
            })
            .collect();
        let period = format!("{}", years[i % years.len()]);
        let q = Query::parse(&h, "live_births,srb", &orgs.join(","), &period, today)?;
        let t = Instant::now();
        let cells = run(store.as_ref(), &h, &q).await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if cells.is_empty() {
            bail!("a query answered nothing");
        }
    }
    times.sort_by(f64::total_cmp);
    let query_p50 = times[times.len() / 2];
    let query_p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    eprintln!("bench: 50-cell query p50 {query_p50:.0} ms, p95 {query_p95:.0} ms");

    // One value written, then its province's year read back (the entry
    // form's save and the dashboard after it); and a 50-value form.
    let (commune, _, province) = &communes[0];
    let last_year = *years.last().context("a year")?;
    let month: ytcs_core::period::Period = format!("{last_year}-01").parse()?;
    let mut visible_ms = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        let w = ytcs_store::values::ValueWrite {
            element: "food_poisoning_cases".into(),
            unit: commune.id,
            period: month,
            disagg: String::new(),
            value: Some(ytcs_core::aggregate::Fixed(1000 * (1000 + i))),
        };
        store.write_values(&h, &[w], "bench").await?;
        let q = Query::parse(
            &h,
            "food_poisoning_cases",
            province,
            &last_year.to_string(),
            before,
        )?;
        let cells = run(store.as_ref(), &h, &q).await?;
        visible_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if cells.first().and_then(|c| c.value).is_none() {
            bail!("the value written is not visible in its province");
        }
    }
    visible_ms.sort_by(f64::total_cmp);
    let mut form_ms = Vec::new();
    for i in 0..10 {
        let writes: Vec<ytcs_store::values::ValueWrite> = communes
            .iter()
            .skip(i * 50)
            .take(50)
            .map(|(u, _, _)| ytcs_store::values::ValueWrite {
                element: "food_poisoning_cases".into(),
                unit: u.id,
                period: month,
                disagg: String::new(),
                value: Some(ytcs_core::aggregate::Fixed(7000)),
            })
            .collect();
        let t = Instant::now();
        store.write_values(&h, &writes, "bench").await?;
        form_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    form_ms.sort_by(f64::total_cmp);
    let p95 = |v: &[f64]| v[(v.len() * 95 / 100).min(v.len() - 1)];
    let (visible_p95, form_p95) = (p95(&visible_ms), p95(&form_ms));
    eprintln!(
        "bench: one value visible p95 {visible_p95:.0} ms; 50-value save p95 {form_p95:.0} ms"
    );
    store.close().await;
    drop(store);

    // A restart: open the store and answer the first query (the server is
    // ready when it can answer).
    let t = Instant::now();
    let store = ytcs_store::open(config).await?;
    let h = store.hierarchy().await?;
    let q = Query::parse(&h, "live_births", province, &last_year.to_string(), before)?;
    run(store.as_ref(), &h, &q).await?;
    let restart_s = t.elapsed().as_secs_f64();
    eprintln!("bench: restart to first answer {restart_s:.1} s");
    let store_engine = store.engine();
    store.close().await;

    let baseline = match baselines {
        None => serde_json::Value::Null,
        Some(script) => {
            eprintln!("bench: baselines ({})", script.display());
            let out = std::process::Command::new(&script)
                .arg(&file)
                .arg("--units")
                .arg(&units_file)
                .stderr(std::process::Stdio::inherit())
                .output()
                .with_context(|| format!("running {}", script.display()))?;
            if !out.status.success() {
                bail!("{} failed ({})", script.display(), out.status);
            }
            serde_json::from_slice(&out.stdout)
                .with_context(|| format!("{} printed no JSON", script.display()))?
        }
    };
    let ratio =
        |engine: &str, key: &str, ours: f64| baseline[engine][key].as_f64().map(|s| s / ours);
    let visible = |engine: &str| match (
        baseline[engine]["load_s"].as_f64(),
        baseline[engine]["rollup_s"].as_f64(),
    ) {
        (Some(l), Some(r)) => Some(l + r),
        _ => None,
    };
    Ok(serde_json::json!({
        "values": n,
        "communes": communes.len(),
        "file_mb": file_mb,
        "import_s": import_s,
        "import_values_per_s": n as f64 / import_s,
        "import_peak_rss_mb": import_rss,
        "rss_before_import_mb": rss_before,
        "rebuild_verify_s": rebuild_s,
        "aggregate_rows": report,
        "province_totals_checked": checked,
        "province_check_s": province_check_s,
        "query_50_cells_p50_ms": query_p50,
        "query_50_cells_p95_ms": query_p95,
        "one_value_visible_p95_ms": visible_p95,
        "form_50_values_save_p95_ms": form_p95,
        "restart_first_answer_s": restart_s,
        "database_mb": std::fs::metadata(&db).map(|m| m.len() as f64 / 1e6).ok(),
        "database_url": match config {
            StoreConfig::Sqlite { .. } => None,
            StoreConfig::Postgres { url } => Some(ytcs_store::redact(url)),
        },
        "baselines": baseline,
        "ratios": {
            "postgres_visible_s_over_ytcs_import_s": visible("postgres").map(|v| v / import_s),
            "duckdb_visible_s_over_ytcs_import_s": visible("duckdb").map(|v| v / import_s),
            "postgres_rollup_s_over_ytcs_rebuild_s": ratio("postgres", "rollup_s", rebuild_s),
            "duckdb_rollup_s_over_ytcs_rebuild_s": ratio("duckdb", "rollup_s", rebuild_s),
        },
        "engine": store_engine,
    }))
}
