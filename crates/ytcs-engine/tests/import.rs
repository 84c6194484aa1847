//! `import::import_csv_file` on a real SQLite store with the reference
//! units: a file written over many chunks in one transaction lands whole
//! (raw values, held columns and a fold of them agree); a file with bad
//! rows, two values of one key or values derived from the registers is
//! refused whole, naming its first rows and counting the rest, and
//! nothing is written.

use std::path::Path;
use std::sync::Arc;

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::OrgKind;
use ytcs_core::period::Period;
use ytcs_engine::import::{import_csv_file_in, ImportError, Imported, KEPT_ERRORS};
use ytcs_store::registers::DerivationMark;
use ytcs_store::values::ValueFilter;
use ytcs_store::{Store, StoreConfig};

struct World {
    s: Arc<dyn Store>,
    h: Hierarchy,
    dir: tempfile::TempDir,
}

async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = s.hierarchy().await.unwrap();
    World { s, h, dir }
}

/// The codes of the first `n` communes of 2024.
fn communes(h: &Hierarchy, n: usize) -> Vec<String> {
    let day = "2024-12-31".parse().unwrap();
    let mut out: Vec<String> = h
        .units()
        .iter()
        .filter(|u| u.kind == OrgKind::Commune && u.validity.contains(day))
        .map(|u| u.code.as_str().to_string())
        .collect();
    out.sort();
    out.truncate(n);
    out
}

/// A file of live births by sex for `units` × the months of 2024 (unit
/// by unit, as an export is), each value from `value`; and their sum.
fn births_file(path: &Path, units: &[String], value: impl Fn(usize) -> i64) -> i64 {
    let mut text = String::from("element,org,period,disagg,value\n");
    let mut sum = 0;
    let mut i = 0;
    for u in units {
        for m in 1..=12 {
            for sex in ["m", "f"] {
                let v = value(i);
                sum += v;
                i += 1;
                text.push_str(&format!("live_births,{u},2024-{m:02},{sex},{v}\n"));
            }
        }
    }
    std::fs::write(path, text).unwrap();
    sum
}

/// The year's live births as the held columns give them, summed.
async fn year_total(s: &dyn Store) -> i64 {
    s.period_values_of(Period::Year(2024), &["live_births"])
        .await
        .unwrap()
        .iter()
        .map(|r| r.value)
        .sum::<f64>() as i64
}

#[tokio::test]
async fn a_file_over_many_chunks_lands_whole_and_the_columns_take_it() {
    let w = world().await;
    let units = communes(&w.h, 30);
    let file = w.dir.path().join("births.csv");
    let sum = births_file(&file, &units, |i| (i % 17) as i64);
    let n = units.len() * 24;
    // 50 rows a chunk: 15 chunks, each touching several months' groups.
    let done = import_csv_file_in(w.s.as_ref(), &w.h, &file, "test", 50)
        .await
        .unwrap();
    // Zeros are values too: every row is stored.
    assert_eq!(
        done,
        Imported {
            values: n,
            changed: n
        }
    );
    let stored = w.s.data_values(&ValueFilter::default()).await.unwrap();
    assert_eq!(stored.len(), n);
    assert_eq!(
        stored.iter().map(|v| v.value.value.0 / 1000).sum::<i64>(),
        sum
    );
    assert_eq!(year_total(w.s.as_ref()).await, sum);
    assert!(w.s.rebuild(false).await.unwrap().equal());

    // Again with every third value changed: only those change, in the
    // raw values and the columns alike.
    let sum2 = births_file(&file, &units, |i| (i % 17) as i64 + i64::from(i % 3 == 0));
    let done = import_csv_file_in(w.s.as_ref(), &w.h, &file, "test", 7)
        .await
        .unwrap();
    assert_eq!(done.changed, n.div_ceil(3));
    assert_eq!(year_total(w.s.as_ref()).await, sum2);
    assert!(w.s.rebuild(false).await.unwrap().equal());
}

#[tokio::test]
async fn a_file_with_bad_rows_is_refused_whole_naming_the_first_and_counting_the_rest() {
    let w = world().await;
    let units = communes(&w.h, 4);
    let file = w.dir.path().join("bad.csv");
    let mut text = String::from("element,org,period,disagg,value\n");
    for i in 0..40 {
        // Line 2 + i: every even one bad (a value that is not a count).
        let value = if i % 2 == 0 {
            "1.5".to_string()
        } else {
            "3".into()
        };
        text.push_str(&format!(
            "live_births,{},2024-{:02},m,{value}\n",
            units[i / 12],
            i % 12 + 1
        ));
    }
    // Line 42 repeats line 3's key.
    text.push_str(&format!("live_births,{},2024-02,m,9\n", units[0]));
    std::fs::write(&file, text).unwrap();
    let err = import_csv_file_in(w.s.as_ref(), &w.h, &file, "test", 5)
        .await
        .unwrap_err();
    let ImportError::Refused(r) = err else {
        panic!("refused, not {err}")
    };
    assert_eq!(r.total, 21);
    assert!(!r.same);
    let lines = r.summary(false);
    assert_eq!(lines.len(), 21, "{lines:?}");
    assert!(lines[0].starts_with("line 2: "), "{lines:?}");
    assert_eq!(lines[20], "… and 1 more bad rows");
    assert!(
        r.errors
            .iter()
            .any(|e| e.to_string().starts_with("line 42: the same element")
                && e.to_string().contains("line 3")),
        "{:?}",
        r.errors
    );
    assert!(w
        .s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn a_flood_of_bad_rows_is_counted_not_listed() {
    let w = world().await;
    let units = communes(&w.h, 1);
    let file = w.dir.path().join("flood.csv");
    let bad = KEPT_ERRORS + 30;
    let mut text = String::from("element,org,period,disagg,value\n");
    for _ in 0..bad {
        text.push_str(&format!("live_births,{},2024-01,m,x\n", units[0]));
    }
    std::fs::write(&file, text).unwrap();
    let ImportError::Refused(r) = import_csv_file_in(w.s.as_ref(), &w.h, &file, "t", 10)
        .await
        .unwrap_err()
    else {
        panic!("refused")
    };
    assert_eq!((r.total, r.errors.len(), r.same), (bad, KEPT_ERRORS, true));
    let lines = r.summary(true);
    assert_eq!(lines.len(), 21);
    assert_eq!(lines[20], "… và 100.010 dòng khác cùng lỗi này");
}

#[tokio::test]
async fn values_derived_from_the_registers_are_refused() {
    let w = world().await;
    let units = communes(&w.h, 2);
    let marked =
        w.h.units()
            .iter()
            .find(|u| u.code.as_str() == units[1])
            .unwrap()
            .id;
    w.s.set_derivation_marks(&[DerivationMark {
        commune: marked,
        from_year: 2024,
        through: Period::Month(2024, 12),
    }])
    .await
    .unwrap();
    let file = w.dir.path().join("derived.csv");
    std::fs::write(
        &file,
        format!(
            "element,org,period,disagg,value\n\
             pregnancies_ended,{},2024-05,,2\n\
             pregnancies_ended,{},2024-05,,4\n",
            units[0], units[1]
        ),
    )
    .unwrap();
    let ImportError::Refused(r) = import_csv_file_in(w.s.as_ref(), &w.h, &file, "t", 10)
        .await
        .unwrap_err()
    else {
        panic!("refused")
    };
    assert_eq!(r.total, 1);
    let line = r.errors[0].to_string();
    assert!(
        line.starts_with("line 3: ") && line.contains("derived from the station's registers"),
        "{line}"
    );
    assert!(w
        .s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
}

/// The store writes chunks while the file is still being read: a bad row
/// or a key written twice at the end, after many chunks were written,
/// still leaves the values and the columns as they were.
#[tokio::test]
async fn a_bad_row_after_chunks_were_written_leaves_everything_as_it_was() {
    let w = world().await;
    let units = communes(&w.h, 30);
    let file = w.dir.path().join("births.csv");
    let sum = births_file(&file, &units, |i| (i % 5) as i64);
    import_csv_file_in(w.s.as_ref(), &w.h, &file, "test", 50)
        .await
        .unwrap();
    let before = w.s.data_values(&ValueFilter::default()).await.unwrap();
    for tail in [
        // A value that is not a count.
        format!("live_births,{},2024-03,m,1.5\n", units[0]),
        // A key of the first line again.
        format!("live_births,{},2024-01,m,9\n", units[0]),
    ] {
        births_file(&file, &units, |i| (i % 5) as i64 + 1);
        let mut text = std::fs::read_to_string(&file).unwrap();
        text.push_str(&tail);
        std::fs::write(&file, text).unwrap();
        let last_line = units.len() * 24 + 2;
        let ImportError::Refused(r) = import_csv_file_in(w.s.as_ref(), &w.h, &file, "t", 50)
            .await
            .unwrap_err()
        else {
            panic!("refused")
        };
        assert_eq!(r.total, 1, "{:?}", r.errors);
        assert!(
            r.errors[0]
                .to_string()
                .starts_with(&format!("line {last_line}: ")),
            "{:?}",
            r.errors
        );
        assert_eq!(
            w.s.data_values(&ValueFilter::default()).await.unwrap(),
            before
        );
        assert_eq!(year_total(w.s.as_ref()).await, sum);
        assert!(w.s.rebuild(false).await.unwrap().equal());
    }
}
