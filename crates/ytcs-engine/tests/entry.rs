//! `entry::entry_values` on a real SQLite store: the form of a commune
//! for a month sees its stored values, the month before's, and an
//! unusual value flagged against the twelve months before (a value in
//! line with them is not).

use ytcs_core::aggregate::Fixed;
use ytcs_core::org::OrgKind;
use ytcs_core::period::Period;
use ytcs_engine::entry::entry_values;
use ytcs_store::values::ValueWrite;
use ytcs_store::StoreConfig;

#[tokio::test]
async fn the_form_sees_this_month_the_month_before_and_flags_an_unusual_value() {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = s.hierarchy().await.unwrap();
    let day = "2024-12-31".parse().unwrap();
    let commune = h
        .units()
        .iter()
        .find(|u| u.kind == OrgKind::Commune && u.validity.contains(day))
        .unwrap()
        .id;
    let write = |period: Period, disagg: &str, v: i64| ValueWrite {
        element: "live_births".into(),
        unit: commune,
        period,
        disagg: disagg.into(),
        value: Fixed::from_int(v),
    };
    // Ten or eleven boys a month through 2024; 60 in December 2024. Girls:
    // 9 every month, 10 in December.
    let mut writes = Vec::new();
    for m in 1..=11u8 {
        writes.push(write(Period::Month(2024, m), "m", 10 + i64::from(m % 2)));
        writes.push(write(Period::Month(2024, m), "f", 9));
    }
    writes.push(write(Period::Month(2024, 12), "m", 60));
    writes.push(write(Period::Month(2024, 12), "f", 10));
    s.write_values(&h, &writes, "test").await.unwrap();

    let v = entry_values(s.as_ref(), commune, Period::Month(2024, 12))
        .await
        .unwrap();
    let boys = ("live_births".to_string(), "m".to_string());
    let girls = ("live_births".to_string(), "f".to_string());
    assert_eq!(v.now.get(&boys), Fixed::from_int(60).as_ref());
    assert_eq!(v.previous.get(&boys), Fixed::from_int(11).as_ref());
    assert!(v.outlier(&boys).is_some(), "60 against 10–11 is unusual");
    // 10 against eleven months of 9: only a value more than half away
    // from a flat history is flagged.
    assert!(v.outlier(&girls).is_none());
    // The registers derive nothing here yet.
    assert!(!v.derived("live_births"));

    // January 2025's "month before" is December 2024.
    let jan = entry_values(s.as_ref(), commune, Period::Month(2025, 1))
        .await
        .unwrap();
    assert!(jan.now.is_empty());
    assert_eq!(jan.previous.get(&boys), Fixed::from_int(60).as_ref());
}
