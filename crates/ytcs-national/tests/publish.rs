//! A province publishes into a warehouse on disk: the files read back as
//! its data, pseudonymised; a re-export of the same data changes nothing;
//! a publication with a truncated file, a wrong checksum, wrong columns
//! or another province's communes is refused whole and the previous one
//! stays.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use arrow_array::{Array, Date32Array, Int64Array, StringArray};
use chrono::{TimeZone, Utc};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use ytcs_core::aggregate::Fixed;
use ytcs_core::period::Period;
use ytcs_national::{
    accept, layout, publish, Kind, Manifest, NationalError, NationalKey, Publication,
};
use ytcs_refdata::AdminUnits;
use ytcs_store::values::ValueWrite;
use ytcs_store::{Store, StoreConfig};

fn admin() -> &'static AdminUnits {
    static A: OnceLock<AdminUnits> = OnceLock::new();
    A.get_or_init(|| ytcs_refdata::admin_units().unwrap())
}

fn key() -> NationalKey {
    NationalKey::new(b"the ministry's national key, 32 bytes or more").unwrap()
}

fn day(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

/// A province's store (Quảng Ngãi, 51): 300 generated persons and a few
/// aggregate values, one of them of 2024 under a commune before the
/// reform.
async fn province(dir: &Path) -> Arc<dyn Store> {
    let s = ytcs_store::open(&StoreConfig::Sqlite {
        path: dir.join("p.db"),
    })
    .await
    .unwrap();
    s.load_admin_units(admin()).await.unwrap();
    let h = s.hierarchy().await.unwrap();
    let g = ytcs_synth::generate::generate(&h, "51", 300, 7, day("2026-06-30")).unwrap();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&g.batch, "generator")
        .await
        .unwrap();
    let commune_now = g.communes[0];
    let old = ytcs_synth::generate::province_communes(&h, "51", day("2024-05-31")).unwrap()[0];
    let writes = vec![
        ValueWrite {
            element: "live_births".into(),
            unit: old,
            period: "2024-05".parse::<Period>().unwrap(),
            disagg: "f".into(),
            value: Some(Fixed(12_000)),
        },
        ValueWrite {
            element: "live_births".into(),
            unit: commune_now,
            period: "2026-02".parse::<Period>().unwrap(),
            disagg: "f".into(),
            value: Some(Fixed(7_000)),
        },
    ];
    s.write_values(&h, &writes, "test").await.unwrap();
    s
}

fn at(h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap()
}

async fn publish_at(
    s: &dyn Store,
    root: &Path,
    hour: u32,
) -> Result<ytcs_national::Accepted, NationalError> {
    publish(
        s,
        admin(),
        &Publication {
            root,
            province: "51",
            key: &key(),
            now: at(hour),
        },
    )
    .await
}

fn read_column<T: Array + Clone + 'static>(
    root: &Path,
    m: &Manifest,
    kind: Kind,
    column: &str,
) -> Vec<T> {
    let mut out = Vec::new();
    for f in m.files.iter().filter(|f| f.kind == kind) {
        let file = std::fs::File::open(root.join(&f.path)).unwrap();
        let b = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let i = b.schema().index_of(column).unwrap();
        for batch in b.build().unwrap() {
            let batch = batch.unwrap();
            out.push(
                batch
                    .column(i)
                    .as_any()
                    .downcast_ref::<T>()
                    .unwrap()
                    .clone(),
            );
        }
    }
    out
}

#[tokio::test]
async fn a_province_publishes_its_data_pseudonymised_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("warehouse");
    let s = province(dir.path()).await;
    let a = publish_at(&*s, &root, 1).await.unwrap();
    assert!(!a.unchanged);
    let m = ytcs_national::published(&root).unwrap();
    assert_eq!(m.len(), 1);
    let m = &m[0];
    assert_eq!(m.province, "51");
    let (persons, events) = s.register_counts().await.unwrap();
    assert_eq!(m.rows(Kind::Persons), persons as u64);
    assert_eq!(m.rows(Kind::Events), events as u64);
    assert_eq!(m.rows(Kind::Values), 2);
    // Hive-style folders, values and events by year.
    let years: Vec<Option<i32>> = m
        .files
        .iter()
        .filter(|f| f.kind == Kind::Values)
        .map(|f| f.year)
        .collect();
    assert_eq!(years, [Some(2024), Some(2026)]);
    assert!(m.files.iter().all(|f| f
        .path
        .starts_with(&format!("kind={}/province=51/", f.kind.name()))));
    // The exact values, in thousandths.
    let values: i64 = read_column::<Int64Array>(&root, m, Kind::Values, "value_milli")
        .iter()
        .flat_map(|a| a.values().to_vec())
        .sum();
    assert_eq!(values, 19_000);
    // No name, no citizen id: pseudonyms of 64 hex digits, one per citizen
    // id, and births on the first of their month.
    let h = s.hierarchy().await.unwrap();
    let r = s.registers(None).await.unwrap();
    let ids: std::collections::BTreeSet<String> = r
        .persons
        .iter()
        .filter_map(|p| p.national_id.clone())
        .collect();
    let pseudonyms: Vec<String> = read_column::<StringArray>(&root, m, Kind::Persons, "pseudonym")
        .iter()
        .flat_map(|a| a.iter().flatten().map(str::to_string).collect::<Vec<_>>())
        .collect();
    assert_eq!(pseudonyms.len(), ids.len());
    let want: std::collections::BTreeSet<String> = ids.iter().map(|i| key().pseudonym(i)).collect();
    assert_eq!(
        pseudonyms
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        want
    );
    for f in &m.files {
        let all = std::fs::read(root.join(&f.path)).unwrap();
        for p in r.persons.iter().take(50) {
            let name = p.full_name.as_bytes();
            assert!(
                !all.windows(name.len()).any(|w| w == name),
                "{} holds a name",
                f.path
            );
            if let Some(id) = &p.national_id {
                assert!(
                    !all.windows(id.len()).any(|w| w == id.as_bytes()),
                    "{} holds a citizen id",
                    f.path
                );
            }
        }
    }
    let births = read_column::<Date32Array>(&root, m, Kind::Persons, "birth_month");
    assert!(births
        .iter()
        .flat_map(|a| a.iter().flatten().collect::<Vec<_>>())
        .all(|d| {
            use chrono::Datelike;
            (day("1970-01-01") + chrono::Duration::days(d.into())).day() == 1
        }));
    // Communes kept, by code.
    let communes: std::collections::BTreeSet<String> =
        read_column::<StringArray>(&root, m, Kind::Persons, "commune")
            .iter()
            .flat_map(|a| a.iter().flatten().map(str::to_string).collect::<Vec<_>>())
            .collect();
    let want: std::collections::BTreeSet<String> = r
        .persons
        .iter()
        .map(|p| h.unit(p.commune).unwrap().code.as_str().to_string())
        .collect();
    assert_eq!(communes, want);
}

#[tokio::test]
async fn a_re_export_of_the_same_data_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("warehouse");
    let s = province(dir.path()).await;
    let first = publish_at(&*s, &root, 1).await.unwrap();
    let again = publish_at(&*s, &root, 2).await.unwrap();
    assert!(again.unchanged);
    assert_eq!(again.manifest, first.manifest);
    // A change is a new publication; the old files are gone.
    let h = s.hierarchy().await.unwrap();
    let files = first.manifest.files.len();
    let today = ytcs_synth::generate::province_communes(&h, "51", day("2026-06-30")).unwrap();
    s.write_values(
        &h,
        &[ValueWrite {
            element: "live_births".into(),
            unit: today[0],
            period: "2026-03".parse::<Period>().unwrap(),
            disagg: "f".into(),
            value: Some(Fixed(1_000)),
        }],
        "test",
    )
    .await
    .unwrap();
    // A file left by an acceptance cut off before its manifest.
    let orphan = root.join("kind=events/province=51/year=2025/part-cut-off.parquet");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"PAR1").unwrap();
    let third = publish_at(&*s, &root, 3).await.unwrap();
    assert!(!orphan.exists(), "an orphan is swept");
    assert!(!third.unchanged);
    assert_eq!(third.manifest.rows(Kind::Values), 3);
    assert_eq!(third.manifest.files.len(), files);
    for f in &first.manifest.files {
        assert!(!root.join(&f.path).exists(), "{} left behind", f.path);
    }
    for f in &third.manifest.files {
        assert!(root.join(&f.path).exists());
    }
    assert!(!root
        .join("incoming/province=51")
        .read_dir()
        .unwrap()
        .any(|_| true));
}

/// Publishes at hour 1, then stages the same data as a second publication
/// without accepting it, spoils it with `spoil`, and accepts it: refused,
/// the first publication still in place.
async fn refused_after(spoil: impl FnOnce(&Path, &mut Manifest)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("warehouse");
    let s = province(dir.path()).await;
    let first = publish_at(&*s, &root, 1).await.unwrap().manifest;
    // Stage a copy of the first publication's files as publication "p2".
    let incoming = root.join(layout::incoming_folder("51", "p2"));
    let mut m = first.clone();
    m.publication = "p2".into();
    for f in &mut m.files {
        let to = incoming.join(f.path.replace(&first.publication, "p2"));
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join(&f.path), &to).unwrap();
        f.path = f.path.replace(&first.publication, "p2");
    }
    spoil(&incoming, &mut m);
    ytcs_national::accept::write_manifest(
        &incoming.join(ytcs_national::accept::INCOMING_MANIFEST),
        &m,
    )
    .unwrap();
    let err = accept(&root, admin(), "51", "p2").unwrap_err();
    assert!(matches!(err, NationalError::Refused(_)), "{err}");
    let now = ytcs_national::published(&root).unwrap();
    assert_eq!(now, vec![first.clone()], "the previous publication stays");
    for f in &first.files {
        assert!(root.join(&f.path).exists());
    }
    assert!(!incoming.exists(), "the refused publication is removed");
    err.to_string()
}

#[tokio::test]
async fn a_truncated_file_is_refused_whole() {
    let msg = refused_after(|incoming, m| {
        let f = m.files.iter().find(|f| f.kind == Kind::Events).unwrap();
        let path = incoming.join(&f.path);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    })
    .await;
    assert!(msg.contains("truncated"), "{msg}");
}

#[tokio::test]
async fn a_checksum_mismatch_is_refused_whole() {
    let msg = refused_after(|incoming, m| {
        let f = m.files.iter().find(|f| f.kind == Kind::Persons).unwrap();
        let path = incoming.join(&f.path);
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
    })
    .await;
    assert!(msg.contains("checksum"), "{msg}");
}

#[tokio::test]
async fn a_file_with_wrong_columns_is_refused_whole() {
    let msg = refused_after(|incoming, m| {
        // A cards file where the persons file should be, its manifest
        // entry made to match (checksum and rows right, columns wrong).
        let cards = m
            .files
            .iter()
            .find(|f| f.kind == Kind::Cards)
            .unwrap()
            .clone();
        let persons = m
            .files
            .iter_mut()
            .find(|f| f.kind == Kind::Persons)
            .unwrap();
        std::fs::copy(incoming.join(&cards.path), incoming.join(&persons.path)).unwrap();
        persons.bytes = cards.bytes;
        persons.sha256 = cards.sha256.clone();
        persons.rows = cards.rows;
    })
    .await;
    assert!(msg.contains("columns"), "{msg}");
}

#[tokio::test]
async fn data_of_communes_of_another_province_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("warehouse");
    let s = province(dir.path()).await;
    // Hà Nội (01) does not own Quảng Ngãi's communes.
    let err = publish(
        &*s,
        admin(),
        &Publication {
            root: &root,
            province: "01",
            key: &key(),
            now: at(1),
        },
    )
    .await
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("does not own"), "{msg}");
    assert!(ytcs_national::published(&root).unwrap().is_empty());
    // An old province merged away is not a province of today.
    let err = publish(
        &*s,
        admin(),
        &Publication {
            root: &root,
            province: "62",
            key: &key(),
            now: at(1),
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, NationalError::UnknownProvince(_)), "{err}");
}
