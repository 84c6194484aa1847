//! A derivation of every commune in batches (one lineage group at a time)
//! stores exactly what one batch of the whole register stores, on a real
//! SQLite store with a generated register whose persons move between
//! communes and live in communes merged in the 2025 reform.

use std::collections::BTreeSet;

use ytcs_core::Date;
use ytcs_engine::registers::{batches, sync_in, verify};
use ytcs_store::values::{ValueFilter, ValueWrite};
use ytcs_store::StoreConfig;

fn today() -> Date {
    "2026-11-23".parse().unwrap()
}

type Stored = Vec<(String, i64, String, String, i64)>;

/// Generates the same register into a fresh store, derives every commune
/// with batches of `batch_persons`, and returns every stored value.
async fn derived_with(batch_persons: i64) -> (Stored, usize, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = s.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 3000, 11, today()).unwrap();
    assert!(!g.batch.moves.is_empty(), "the register has moves");
    ytcs_store::raw::writes(&*s)
        .bulk_load(&g.batch, "system")
        .await
        .unwrap();
    let known = s.register_communes().await.unwrap();
    let units: BTreeSet<_> = known.iter().map(|c| c.commune).collect();
    let persons = known.iter().map(|c| (c.commune, c.persons)).collect();
    let groups = batches(&h, &units, &persons, batch_persons).len();
    let report = sync_in(s.as_ref(), &h, None, "system", today(), batch_persons)
        .await
        .unwrap();
    assert!(report.derived > 0 && report.changed > 0);
    let v = verify(s.as_ref(), &h).await.unwrap();
    assert!(v.equal(), "{:?}", v.examples);
    assert_eq!(v.derived, report.derived);
    let mut out: Stored = s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|x| {
            let v = x.value;
            (
                v.element,
                v.unit.0,
                v.period.to_string(),
                v.disagg,
                v.value.0,
            )
        })
        .collect();
    out.sort();
    // A value tampered with is caught, whatever the batches.
    let (e, u, p, d, value) = out[out.len() / 2].clone();
    ytcs_store::raw::writes(&*s)
        .write_derived_values(
            &h,
            &[ValueWrite {
                element: e,
                unit: ytcs_core::org::UnitId(u),
                period: p.parse().unwrap(),
                disagg: d,
                value: Some(ytcs_core::aggregate::Fixed(value + 1000)),
            }],
            "tamper",
        )
        .await
        .unwrap();
    assert_eq!(verify(s.as_ref(), &h).await.unwrap().different, 1);
    (out, groups, dir)
}

#[tokio::test]
async fn batches_of_a_commune_store_what_one_batch_stores() {
    let (whole, one, _a) = derived_with(i64::MAX).await;
    let (small, many, _b) = derived_with(1).await;
    assert_eq!(one, 1);
    assert!(many > 10, "{many} batches");
    assert!(!whole.is_empty());
    assert_eq!(whole.len(), small.len());
    assert!(whole == small, "the stored values differ");
}

#[test]
fn a_lineage_group_is_never_split() {
    let a = ytcs_refdata::admin_units().unwrap();
    let h = ytcs_core::hierarchy::Hierarchy::new(a.units, a.links, a.lineage).unwrap();
    // Every commune of 2024 and 2026 that took part in a merger.
    let units: BTreeSet<_> = h
        .units()
        .iter()
        .filter(|u| !h.successors(u.id).is_empty() || !h.predecessors(u.id).is_empty())
        .map(|u| u.id)
        .take(3000)
        .collect();
    let persons = units.iter().map(|u| (*u, 10)).collect();
    let groups = batches(&h, &units, &persons, 25);
    let mut seen = BTreeSet::new();
    for g in &groups {
        for u in g {
            assert!(seen.insert(*u), "{u} in two batches");
            for l in h.successors(*u) {
                assert!(g.contains(&l.successor), "{u} apart from its successor");
            }
        }
        let n = g.len() as i64 * 10;
        let single =
            ytcs_engine::registers::lineage_closure(&h, &BTreeSet::from([*g.first().unwrap()]));
        assert!(n <= 25 || single.len() == g.len(), "a batch of {n} persons");
    }
    assert!(seen.is_superset(&units));
}
