//! Aggregate data values and the period totals held for them, run against both
//! engines: SQLite in a temp file and a real PostgreSQL server.

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::aggregate::Fixed;
use ytcs_core::formula::Evaluator;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_store::network::WriteError;
use ytcs_store::values::{TargetLink, ValueFilter, ValueWrite, WriteChunks};
use ytcs_store::Store;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

both_engines!(
    units: true;
    values_feed_unit_ancestors_quarter_and_year,
    a_bad_batch_names_every_problem_and_writes_nothing,
    random_writes_overwrites_and_deletes_equal_a_rebuild,
    old_commune_values_count_under_the_new_province,
    target_links_are_kept,
    a_write_in_chunks_is_one_transaction,
    values_derived_from_the_registers_are_the_derivations_to_write,
);

fn id(h: &Hierarchy, code: &str, at: &str) -> UnitId {
    h.unit_at(&OrgCode::parse(code).unwrap(), d(at)).unwrap().id
}

/// Communes of old district Kon Rẫy (614) in 2024.
fn kon_ray_communes(h: &Hierarchy) -> Vec<UnitId> {
    let k = id(h, "614", "2024-12-31");
    h.children(k, d("2024-12-31"))
        .iter()
        .filter(|u| u.kind == OrgKind::Commune)
        .map(|u| u.id)
        .collect()
}

fn w(element: &str, unit: UnitId, period: &str, disagg: &str, v: Option<i64>) -> ValueWrite {
    ValueWrite {
        element: element.into(),
        unit,
        period: period.parse().unwrap(),
        disagg: disagg.into(),
        value: v.map(|v| Fixed::from_int(v).unwrap()),
    }
}

async fn values_feed_unit_ancestors_quarter_and_year(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    let district = id(&h, "614", "2024-12-31");
    let province = id(&h, "62", "2024-12-31");
    let n = s
        .write_values(
            &h,
            &[
                w("live_births", c[0], "2024-01", "m", Some(3)),
                w("live_births", c[0], "2024-02", "f", Some(4)),
                w("live_births", c[1], "2024-05", "m", Some(5)),
            ],
            "tester",
        )
        .await
        .unwrap();
    assert_eq!(n, 3);
    let q1 = "2024Q1".parse().unwrap();
    assert_eq!(
        common::subtree_total(&s, &h, "live_births", "", district, q1).await,
        Fixed::from_int(7)
    );
    assert_eq!(
        common::subtree_total(&s, &h, "live_births", "m", province, Period::Year(2024)).await,
        Fixed::from_int(8)
    );
    // Overwrite and delete keep the sums exact.
    s.write_values(
        &h,
        &[
            w("live_births", c[0], "2024-01", "m", Some(10)),
            w("live_births", c[1], "2024-05", "m", None),
        ],
        "tester",
    )
    .await
    .unwrap();
    assert_eq!(
        common::subtree_total(&s, &h, "live_births", "", province, Period::Year(2024)).await,
        Fixed::from_int(14)
    );
    assert_eq!(
        common::subtree_total(&s, &h, "live_births", "m", c[1], Period::Year(2024)).await,
        None
    );
    let stored = s
        .data_values(&ValueFilter {
            element: Some("live_births".into()),
            ..ValueFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[0].stored_by, "tester");
    let r = s.rebuild(false).await.unwrap();
    assert!(r.equal(), "{r:?}");
}

async fn a_bad_batch_names_every_problem_and_writes_nothing(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    let err = s
        .write_values(
            &h,
            &[
                w("live_births", c[0], "2024-01", "m", Some(3)),
                w("no_such_element", c[0], "2024-01", "", Some(1)),
                w("live_births", c[0], "2024", "m", Some(1)),
                w("live_births", c[0], "2024-03", "x", Some(1)),
                ValueWrite {
                    value: Some(Fixed(1500)),
                    ..w("live_births", c[0], "2024-04", "f", None)
                },
                w("live_births", c[0], "2025-08", "m", Some(1)),
            ],
            "tester",
        )
        .await
        .unwrap_err();
    let WriteError::Rejected(msgs) = err else {
        panic!("expected a rejection, got {err:?}")
    };
    assert_eq!(msgs.len(), 5, "{msgs:#?}");
    let all = msgs.join("\n");
    assert!(
        all.contains("unknown data element 'no_such_element'"),
        "{all}"
    );
    assert!(
        all.contains("does not fit data set commune_monthly"),
        "{all}"
    );
    assert!(all.contains("unknown disaggregation 'x'"), "{all}");
    assert!(all.contains("is not a whole number"), "{all}");
    assert!(all.contains("did not exist on 2025-08-31"), "{all}");
    assert!(s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
}

/// splitmix64: deterministic pseudo-random numbers for the random test.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

async fn random_writes_overwrites_and_deletes_equal_a_rebuild(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let old = kon_ray_communes(&h);
    let p51 = id(&h, "51", "2026-01-01");
    let new: Vec<UnitId> = h
        .children(p51, d("2026-01-01"))
        .iter()
        .take(4)
        .map(|u| u.id)
        .collect();
    for seed in 1..=4u64 {
        let mut rng = Rng(seed);
        for _batch in 0..8 {
            let mut writes = Vec::new();
            for _ in 0..1 + rng.below(12) {
                let (unit, period) = if rng.below(2) == 0 {
                    (
                        old[rng.below(old.len().min(4))],
                        format!("2024-{:02}", 1 + rng.below(12)),
                    )
                } else {
                    (
                        new[rng.below(new.len())],
                        format!("2025-{:02}", 7 + rng.below(6)),
                    )
                };
                let (element, disagg) = match rng.below(3) {
                    0 => ("live_births", ["m", "f"][rng.below(2)].to_string()),
                    1 => (
                        "deaths",
                        format!(
                            "{}.{}",
                            ["m", "f"][rng.below(2)],
                            ["0", "1-4", "80+"][rng.below(3)]
                        ),
                    ),
                    _ => ("children_age1", String::new()),
                };
                let value = (rng.below(5) != 0).then(|| Fixed((rng.below(100_000)) as i64));
                let value = value.map(|v| Fixed(v.0 - v.0 % 1000));
                writes.push(ValueWrite {
                    element: element.into(),
                    unit,
                    period: period.parse().unwrap(),
                    disagg,
                    value,
                });
            }
            s.write_values(&h, &writes, "random").await.unwrap();
        }
        let r = s.rebuild(false).await.unwrap();
        assert!(r.equal(), "seed {seed}: {r:?}");
        assert!(r.values > 0);
    }
    // A tampered aggregate is found, and a rebuild with apply restores it.
    s.write_values(
        &h,
        &[w("live_births", old[0], "2024-01", "m", Some(1))],
        "t",
    )
    .await
    .unwrap();
    let r = s.rebuild(true).await.unwrap();
    assert!(r.equal() && !r.applied);
}

async fn old_commune_values_count_under_the_new_province(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    let mut writes = Vec::new();
    for (i, u) in c.iter().enumerate() {
        writes.push(w("live_births", *u, "2024-06", "m", Some(10 + i as i64)));
        writes.push(w("live_births", *u, "2024-06", "f", Some(10)));
    }
    s.write_values(&h, &writes, "t").await.unwrap();
    let total: i64 = (0..c.len() as i64).map(|i| 20 + i).sum();
    let p = "2024".parse().unwrap();
    let data = ytcs_core::formula::PeriodData {
        period: p,
        values: s.period_values(p).await.unwrap(),
        population: s.population_cells(2024).await.unwrap(),
    };
    let p51 = id(&h, "51", "2026-01-01");
    let mut ev = Evaluator::new(&h, d("2026-01-01"), &data, &[p51]);
    let births = ev.evaluate("live_births").unwrap();
    assert!((births[0].value.unwrap() - total as f64).abs() < 1e-6);
    // As of 2024, the old province 62 holds them.
    let p62 = id(&h, "62", "2024-12-31");
    let mut ev = Evaluator::new(&h, d("2024-12-31"), &data, &[p62]);
    assert!((ev.evaluate("live_births").unwrap()[0].value.unwrap() - total as f64).abs() < 1e-6);
}

/// Chunks of writes, the last of them replaced by `fail` when given.
struct Chunks {
    chunks: std::vec::IntoIter<Vec<ValueWrite>>,
    fail: Option<String>,
    current: Vec<ValueWrite>,
}

impl WriteChunks for Chunks {
    fn next_chunk(&mut self) -> Result<Option<&[ValueWrite]>, String> {
        match self.chunks.next() {
            Some(c) => {
                self.current = c;
                Ok(Some(&self.current))
            }
            None => self.fail.take().map_or(Ok(None), Err),
        }
    }
}

/// Chunks land together or not at all: a source that fails, or a bad
/// write in a later chunk, leaves nothing of the earlier ones, and the
/// held columns still equal a fold of the raw values; a key written in
/// two chunks keeps the later value.
async fn a_write_in_chunks_is_one_transaction(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    let chunks = |last: Vec<ValueWrite>| {
        vec![
            vec![w("live_births", c[0], "2024-01", "m", Some(3))],
            vec![
                w("live_births", c[1], "2024-01", "m", Some(4)),
                w("live_births", c[0], "2024-02", "f", Some(5)),
            ],
            last,
        ]
        .into_iter()
    };
    let year = |s: Arc<dyn Store>| async move {
        s.period_values_of(Period::Year(2024), &["live_births"])
            .await
            .unwrap()
            .iter()
            .map(|r| r.value)
            .sum::<f64>()
    };
    let mut failing = Chunks {
        chunks: chunks(vec![]),
        fail: Some("line 9: the file changed".into()),
        current: vec![],
    };
    let err = s
        .write_value_chunks(&h, &mut failing, "t")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WriteError::Rejected(m) if m == &["line 9: the file changed"]),
        "{err}"
    );
    let mut refused = Chunks {
        chunks: chunks(vec![w("live_births", c[0], "2024", "m", Some(1))]),
        fail: None,
        current: vec![],
    };
    assert!(matches!(
        s.write_value_chunks(&h, &mut refused, "t").await,
        Err(WriteError::Rejected(_))
    ));
    assert!(s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
    assert_eq!(year(s.clone()).await, 0.0);
    assert!(s.rebuild(false).await.unwrap().equal());

    let mut good = Chunks {
        chunks: chunks(vec![w("live_births", c[0], "2024-01", "m", Some(10))]),
        fail: None,
        current: vec![],
    };
    assert_eq!(s.write_value_chunks(&h, &mut good, "t").await.unwrap(), 4);
    assert_eq!(year(s.clone()).await, 19.0);
    let stored = s.data_values(&ValueFilter::default()).await.unwrap();
    assert_eq!(stored.len(), 3);
    // Who and when, as the new rows were sent (PostgreSQL: by COPY).
    let now = chrono::Utc::now();
    assert!(
        stored
            .iter()
            .all(|v| v.stored_by == "t" && (now - v.stored_at).num_seconds().abs() < 60),
        "{stored:?}"
    );
    assert!(s.rebuild(false).await.unwrap().equal());
    // A replaced value takes its new writer; a deleted one goes.
    s.write_values(
        &h,
        &[
            w("live_births", c[1], "2024-01", "m", Some(6)),
            w("live_births", c[0], "2024-02", "f", None),
        ],
        "u",
    )
    .await
    .unwrap();
    let stored = s.data_values(&ValueFilter::default()).await.unwrap();
    assert_eq!(stored.len(), 2);
    let replaced = stored
        .iter()
        .find(|v| v.value.unit == c[1])
        .expect("the replaced value");
    assert_eq!(
        (replaced.value.value, replaced.stored_by.as_str()),
        (Fixed(6000), "u")
    );
    assert_eq!(year(s.clone()).await, 16.0);
    assert!(s.rebuild(false).await.unwrap().equal());
}

/// A value the registers derive (a derived element, a commune with a
/// derivation mark, a period inside its window) is refused to any other
/// writer, in the write's own transaction, naming the first 20 and
/// counting the rest; the derivation writes it.
async fn values_derived_from_the_registers_are_the_derivations_to_write(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    s.set_derivation_marks(&[ytcs_store::registers::DerivationMark {
        commune: c[0],
        from_year: 2024,
        through: "2024-12".parse().unwrap(),
    }])
    .await
    .unwrap();
    let err = s
        .write_values(&h, &[w("live_births", c[0], "2024-03", "m", Some(2))], "t")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WriteError::Rejected(m) if m.len() == 1
            && m[0].contains("live_births") && m[0].contains("2024-03")
            && m[0].contains("derived from the station's registers")),
        "{err}"
    );
    // 25 derived writes: 20 named, the rest counted.
    let many: Vec<ValueWrite> = (1..=25)
        .map(|i| {
            w(
                "live_births",
                c[0],
                &format!("2024-{:02}", 1 + i % 12),
                ["m", "f"][i / 12 % 2],
                Some(i as i64),
            )
        })
        .collect();
    match s.write_values(&h, &many, "t").await.unwrap_err() {
        WriteError::Rejected(m) => {
            assert_eq!(m.len(), 21, "{m:?}");
            assert!(m[20].contains("and 5 more"), "{m:?}");
        }
        other => panic!("{other}"),
    }
    assert!(s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
    // Before the window, another commune, or an element not derived: written.
    s.write_values(
        &h,
        &[
            w("live_births", c[0], "2023-12", "m", Some(1)),
            w("live_births", c[1], "2024-03", "m", Some(1)),
        ],
        "t",
    )
    .await
    .unwrap();
    // The derivation writes it.
    ytcs_store::raw::writes(&*s)
        .write_derived_values(&h, &[w("live_births", c[0], "2024-03", "m", Some(2))], "t")
        .await
        .unwrap();
    assert_eq!(
        s.data_values(&ValueFilter::default()).await.unwrap().len(),
        3
    );
}

async fn target_links_are_kept(s: Arc<dyn Store>) {
    let plan = ytcs_plandoc::parse_bytes("p.txt", "KẾ HOẠCH\nMục tiêu\n".as_bytes()).unwrap();
    let (pid, _) = s.insert_plan(&plan, "KẾ HOẠCH").await.unwrap();
    let link = TargetLink {
        plan_id: pid,
        target_id: "II.1".into(),
        indicator: "imr".into(),
        org_code: "51".into(),
        year: 2030,
    };
    s.link_target(&link).await.unwrap();
    s.link_target(&TargetLink {
        year: 2025,
        ..link.clone()
    })
    .await
    .unwrap();
    let links = s.target_links(pid).await.unwrap();
    assert_eq!(links, vec![TargetLink { year: 2025, ..link }]);
}

/// What an evaluation reads of a period (kept by the store between
/// requests) follows every write: through this handle, through a second
/// handle on the same database (another process: the CLI beside the
/// server), and after a rebuild.
async fn period_reads_follow_every_write(engine: common::Engine) {
    let fresh = common::Fresh::new(engine, true).await;
    let s = fresh.store.clone();
    let other = ytcs_store::open(&fresh.config).await.unwrap();
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    let year = Period::Year(2024);
    let total = |v: Vec<ytcs_core::formula::Recorded>| -> f64 {
        v.iter()
            .filter(|r| r.element == "live_births" && r.disagg == "m")
            .map(|r| r.value)
            .sum()
    };
    assert_eq!(total(s.period_values(year).await.unwrap()), 0.0);
    s.write_values(&h, &[w("live_births", c[0], "2024-01", "m", Some(3))], "t")
        .await
        .unwrap();
    assert_eq!(total(s.period_values(year).await.unwrap()), 3.0);
    // Written elsewhere: seen here.
    other
        .write_values(&h, &[w("live_births", c[1], "2024-03", "m", Some(4))], "t")
        .await
        .unwrap();
    assert_eq!(total(s.period_values(year).await.unwrap()), 7.0);
    // A write to another year leaves this one as it was, and is seen there.
    s.write_values(&h, &[w("live_births", c[1], "2023-03", "m", Some(9))], "t")
        .await
        .unwrap();
    assert_eq!(total(s.period_values(year).await.unwrap()), 7.0);
    assert_eq!(
        total(s.period_values(Period::Year(2023)).await.unwrap()),
        9.0
    );
    // Deleted: gone.
    other
        .write_values(&h, &[w("live_births", c[0], "2024-01", "m", None)], "t")
        .await
        .unwrap();
    assert_eq!(total(s.period_values(year).await.unwrap()), 4.0);
    // A yearly value (no finer period feeds it) is seen as written, and
    // as overwritten.
    let assessed = |v: Vec<ytcs_core::formula::Recorded>| -> Vec<f64> {
        v.iter()
            .filter(|r| r.element == "communes_assessed")
            .map(|r| r.value)
            .collect()
    };
    for n in [1, 0] {
        other
            .write_values(
                &h,
                &[w("communes_assessed", c[0], "2024", "", Some(n))],
                "t",
            )
            .await
            .unwrap();
        assert_eq!(assessed(s.period_values(year).await.unwrap()), [n as f64]);
    }
    let report = s.rebuild(true).await.unwrap();
    assert!(report.equal(), "{report:?}");
    assert_eq!(total(s.period_values(year).await.unwrap()), 4.0);
}

#[tokio::test]
async fn period_reads_follow_every_write_on_sqlite() {
    period_reads_follow_every_write(common::Engine::Sqlite).await;
}

#[tokio::test]
async fn period_reads_follow_every_write_on_postgres() {
    period_reads_follow_every_write(common::Engine::Postgres).await;
}

/// The columns survive a restart through their snapshot: a restart reads
/// the snapshot when its stamp is the one `meta` holds, and `rebuild
/// --verify` then compares it with the raw values (here changed behind the
/// store's back, so the check must fail, and `rebuild` repairs); a stale
/// or damaged snapshot is never read.
#[tokio::test]
async fn value_columns_restart_from_their_snapshot_and_verify_against_raw_values() {
    let fresh = common::Fresh::new(common::Engine::Sqlite, true).await;
    let s = fresh.store.clone();
    let h = s.hierarchy().await.unwrap();
    let c = kon_ray_communes(&h);
    s.write_values(
        &h,
        &[
            w("live_births", c[0], "2024-01", "m", Some(3)),
            w("live_births", c[1], "2024-11", "f", Some(5)),
        ],
        "t",
    )
    .await
    .unwrap();
    let year = |v: Vec<ytcs_core::formula::Recorded>| -> f64 {
        v.iter()
            .filter(|r| r.element == "live_births")
            .map(|r| r.value)
            .sum()
    };
    assert_eq!(
        year(s.period_values(Period::Year(2024)).await.unwrap()),
        8.0
    );
    s.close().await;
    let ytcs_store::StoreConfig::Sqlite { path } = &fresh.config else {
        unreachable!()
    };
    let snapshot = std::path::PathBuf::from(format!("{}.columns", path.display()));
    assert!(snapshot.exists(), "close leaves a snapshot");
    let raw_sql = |sql: &'static str| async move {
        use sqlx::Connection;
        let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query(sql).execute(&mut db).await.unwrap();
        db.close().await.unwrap();
    };
    // Behind the store's back: the snapshot still says 8.
    raw_sql("UPDATE raw_value SET value = 6000 WHERE value = 5000").await;
    let s = ytcs_store::open(&fresh.config).await.unwrap();
    assert_eq!(
        year(s.period_values(Period::Year(2024)).await.unwrap()),
        8.0
    );
    let r = s.rebuild(false).await.unwrap();
    assert!(
        !r.equal(),
        "verify sees the snapshot differ from raw values: {r:?}"
    );
    assert_eq!(r.different, 3, "month, quarter and year of one value");
    let r = s.rebuild(true).await.unwrap();
    assert!(r.applied);
    assert_eq!(
        year(s.period_values(Period::Year(2024)).await.unwrap()),
        9.0
    );
    assert!(s.rebuild(false).await.unwrap().equal());
    s.close().await;
    // A write through another process (the generation moves on): the old
    // snapshot is stale and not read.
    let s = ytcs_store::open(&fresh.config).await.unwrap();
    s.write_values(&h, &[w("live_births", c[2], "2024-05", "m", Some(1))], "t")
        .await
        .unwrap();
    drop(s);
    let s = ytcs_store::open(&fresh.config).await.unwrap();
    assert_eq!(
        year(s.period_values(Period::Year(2024)).await.unwrap()),
        10.0
    );
    s.close().await;
    // A damaged snapshot: read from the raw values instead.
    std::fs::write(&snapshot, b"YTCSCOL1 cut short").unwrap();
    let s = ytcs_store::open(&fresh.config).await.unwrap();
    assert_eq!(
        year(s.period_values(Period::Year(2024)).await.unwrap()),
        10.0
    );
    assert!(s.rebuild(false).await.unwrap().equal());
}
