//! Data values as XLSX workbooks: what `write_xlsx` writes reads back the
//! same (property test), numbers are numbers in the file (read with
//! calamine), Vietnamese headers in any order are accepted, and a bad file
//! is refused whole with every bad row named by its Excel row number.

use std::sync::OnceLock;

use calamine::{Data, Reader};
use chrono::Utc;
use proptest::prelude::*;
use ytcs_core::aggregate::{standard_data_sets, DataValue, Fixed, ValueType};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgKind, UnitId};
use ytcs_core::period::{Period, PeriodType};
use ytcs_engine::exchange::{read_xlsx, write_xlsx, Place, Problem};
use ytcs_store::values::{element, StoredValue, ValueWrite};

fn hierarchy() -> &'static Hierarchy {
    static H: OnceLock<Hierarchy> = OnceLock::new();
    H.get_or_init(|| {
        let a = ytcs_refdata::admin_units().unwrap();
        Hierarchy::new(a.units, a.links, a.lineage).unwrap()
    })
}

/// Communes that existed throughout 2024.
fn communes() -> &'static Vec<(UnitId, String)> {
    static C: OnceLock<Vec<(UnitId, String)>> = OnceLock::new();
    C.get_or_init(|| {
        let d = |s: &str| s.parse().unwrap();
        hierarchy()
            .units()
            .iter()
            .filter(|u| {
                u.kind == OrgKind::Commune
                    && u.validity.contains(d("2024-01-01"))
                    && u.validity.contains(d("2024-12-31"))
            })
            .take(500)
            .map(|u| (u.id, u.code.to_string()))
            .collect()
    })
}

fn stored(v: &ValueWrite) -> StoredValue {
    StoredValue {
        value: DataValue {
            element: v.element.clone(),
            unit: v.unit,
            period: v.period,
            disagg: v.disagg.clone(),
            value: v.value.unwrap(),
        },
        stored_by: "test".into(),
        stored_at: Utc::now(),
    }
}

/// Any valid value of the standard catalogue in 2024.
fn a_value() -> impl Strategy<Value = ValueWrite> {
    let sets = standard_data_sets();
    let choices: Vec<(String, String, PeriodType, ValueType)> = sets
        .iter()
        .flat_map(|s| {
            s.elements.iter().flat_map(move |e| {
                let el = element(e).unwrap();
                el.disaggregations()
                    .into_iter()
                    .map(move |d| (e.clone(), d, s.period_type, el.value_type))
            })
        })
        .collect();
    let n = communes().len();
    (
        0..choices.len(),
        0..n,
        1u8..=12,
        any::<i64>(),
        any::<bool>(),
    )
        .prop_map(move |(c, u, month, raw, big)| {
            let (el, disagg, pt, vt) = choices[c].clone();
            let period = match pt {
                PeriodType::Month => Period::Month(2024, month),
                _ => Period::Year(2024),
            };
            let value = match vt {
                ValueType::Count => {
                    Fixed(raw.rem_euclid(if big { 1 << 40 } else { 100_000 }) * 1000)
                }
                ValueType::Percentage => Fixed(raw.rem_euclid(100_001)),
                // Any thousandths, beyond 2^53 too (written as text).
                ValueType::Number => Fixed(if big {
                    raw % 1_000_000_000_000_000_000
                } else {
                    raw % 1_000_000_000
                }),
            };
            ValueWrite {
                element: el,
                unit: communes()[u].0,
                period,
                disagg,
                value: Some(value),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn written_workbooks_read_back_the_same_values(values in prop::collection::vec(a_value(), 0..40)) {
        // What a store holds: one value per key (a file with two is refused).
        let mut seen = std::collections::HashSet::new();
        let values: Vec<ValueWrite> = values
            .into_iter()
            .filter(|v| seen.insert((v.element.clone(), v.unit, v.period, v.disagg.clone())))
            .collect();
        let h = hierarchy();
        let stored: Vec<StoredValue> = values.iter().map(stored).collect();
        let bytes = write_xlsx(h, &stored).unwrap();
        let back = read_xlsx(h, &bytes).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(back, values);
    }
}

#[test]
fn values_are_numbers_in_the_workbook_and_codes_are_text() {
    let h = hierarchy();
    let (unit, code) = communes()[0].clone();
    let v = ValueWrite {
        element: "live_births".into(),
        unit,
        period: Period::Month(2024, 3),
        disagg: "m".into(),
        value: Fixed::from_int(30),
    };
    let bytes = write_xlsx(h, &[stored(&v)]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        rows[0],
        ["element", "org", "period", "disagg", "value"]
            .map(|s| Data::String(s.into()))
            .to_vec()
    );
    assert_eq!(rows[1][0], Data::String("live_births".into()));
    assert_eq!(rows[1][1], Data::String(code));
    assert_eq!(rows[1][2], Data::String("2024-03".into()));
    assert_eq!(rows[1][4], Data::Float(30.0));
}

/// A workbook made by hand: rows of cells, `None` for an empty cell.
fn workbook(rows: &[Vec<Option<Cell>>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (i, r) in rows.iter().enumerate() {
        for (j, c) in r.iter().enumerate() {
            match c {
                Some(Cell::T(s)) => {
                    ws.write_string(i as u32, j as u16, *s).unwrap();
                }
                Some(Cell::N(n)) => {
                    ws.write_number(i as u32, j as u16, *n).unwrap();
                }
                None => {}
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

enum Cell {
    T(&'static str),
    N(f64),
}
use Cell::{N, T};

#[test]
fn vietnamese_headers_in_any_order_are_read() {
    let h = hierarchy();
    let (_, code) = communes()[1].clone();
    let code: &'static str = Box::leak(code.into_boxed_str());
    // Two blank rows above the header, columns reordered, no disaggregation
    // column, the period typed as a number.
    let bytes = workbook(&[
        vec![],
        vec![],
        vec![
            Some(T("Giá trị")),
            Some(T("Mã đơn vị")),
            Some(T("Kỳ")),
            Some(T("Mã chỉ tiêu")),
        ],
        vec![
            Some(N(12.5)),
            Some(T(code)),
            Some(N(2024.0)),
            Some(T("station_services_share")),
        ],
    ]);
    let got = read_xlsx(h, &bytes).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].element, "station_services_share");
    assert_eq!(got[0].period, Period::Year(2024));
    assert_eq!(got[0].disagg, "");
    assert_eq!(got[0].value, Some(Fixed(12_500)));
}

#[test]
fn a_bad_workbook_is_refused_whole_naming_excel_rows() {
    let h = hierarchy();
    let (_, code) = communes()[2].clone();
    let code: &'static str = Box::leak(code.into_boxed_str());
    let bytes = workbook(&[
        vec![
            Some(T("element")),
            Some(T("org")),
            Some(T("period")),
            Some(T("disagg")),
            Some(T("value")),
        ],
        vec![
            Some(T("live_births")),
            Some(T(code)),
            Some(T("2024-03")),
            Some(T("m")),
            Some(N(30.0)),
        ],
        vec![
            Some(T("nonsense")),
            Some(T(code)),
            Some(T("2024-03")),
            None,
            Some(N(1.0)),
        ],
        vec![],
        vec![
            Some(T("live_births")),
            Some(T(code)),
            Some(T("2024-03")),
            Some(T("f")),
            Some(N(1.5)),
        ],
        vec![
            Some(T("live_births")),
            Some(T("99999")),
            Some(T("2024-03")),
            Some(T("f")),
            Some(N(2.0)),
        ],
        vec![
            Some(T("live_births")),
            Some(T(code)),
            Some(T("2024")),
            Some(T("f")),
            Some(N(2.0)),
        ],
    ]);
    let errs = read_xlsx(h, &bytes).unwrap_err();
    let places: Vec<Place> = errs.iter().map(|e| e.place).collect();
    assert_eq!(
        places,
        [Place::Row(3), Place::Row(5), Place::Row(6), Place::Row(7)]
    );
    assert!(matches!(errs[0].problem, Problem::UnknownElement(_)));
    assert!(matches!(errs[1].problem, Problem::BadValue { .. }));
    assert!(matches!(errs[2].problem, Problem::UnknownUnit { .. }));
    assert!(matches!(errs[3].problem, Problem::PeriodDoesNotFit { .. }));
    assert_eq!(
        errs[0].to_string(),
        "row 3: unknown data element 'nonsense'"
    );
    assert_eq!(errs[0].vi(), "dòng 3: không có chỉ tiêu dữ liệu 'nonsense'");
    assert!(
        errs[2]
            .vi()
            .starts_with("dòng 6: không có đơn vị mang mã 99999"),
        "{}",
        errs[2].vi()
    );
}

#[test]
fn a_missing_column_and_a_non_workbook_are_named() {
    let h = hierarchy();
    let bytes = workbook(&[vec![Some(T("element")), Some(T("org")), Some(T("value"))]]);
    let errs = read_xlsx(h, &bytes).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].place, Place::Row(1));
    assert!(
        errs[0].vi().contains("thiếu cột Kỳ (period)"),
        "{}",
        errs[0].vi()
    );
    let errs = read_xlsx(h, b"element,org,period,disagg,value\n").unwrap_err();
    assert_eq!(errs[0].place, Place::File);
    assert!(
        errs[0].vi().contains("không phải tệp Excel"),
        "{}",
        errs[0].vi()
    );
}

#[test]
fn two_values_for_one_key_are_refused_naming_both_lines() {
    let org = &communes()[0].1;
    let csv = format!(
        "element,org,period,disagg,value\n\
         live_births,{org},2024-03,m,5\n\
         live_births,{org},2024-03,f,4\n\
         live_births,{org},2024-03,m,7\n"
    );
    let errs = ytcs_engine::exchange::read_csv(hierarchy(), csv.as_bytes()).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].place, Place::Line(4));
    assert_eq!(
        errs[0].problem,
        Problem::Duplicate {
            first: Place::Line(2)
        }
    );
    assert!(errs[0].to_string().contains("line 2"), "{}", errs[0]);
    assert!(
        errs[0].vi().starts_with("dòng 4: trùng"),
        "{}",
        errs[0].vi()
    );
    assert!(errs[0].vi().contains("dòng 2"));
}

#[test]
fn a_refusal_names_twenty_rows_and_counts_the_rest() {
    let h = hierarchy();
    let (_, code) = &communes()[0];
    let mut csv = String::from("element,org,period,disagg,value\n");
    for i in 0..100_800 {
        csv.push_str(&format!("live_births,{code},2024-01,m,{}x\n", i % 7));
    }
    let errs = ytcs_engine::exchange::read_csv(h, csv.as_bytes()).unwrap_err();
    assert_eq!(errs.len(), 100_800);
    let en = ytcs_engine::exchange::error_summary(&errs, false);
    assert_eq!(en.len(), 21);
    assert!(en[0].starts_with("line 2:"), "{}", en[0]);
    assert!(en[19].starts_with("line 21:"), "{}", en[19]);
    assert_eq!(en[20], "… and 100,780 more rows with the same problem");
    let vi = ytcs_engine::exchange::error_summary(&errs, true);
    assert!(vi[0].starts_with("dòng 2"), "{}", vi[0]);
    assert_eq!(vi[20], "… và 100.780 dòng khác cùng lỗi này");
    // Twenty or fewer: all named, nothing counted.
    assert_eq!(
        ytcs_engine::exchange::error_summary(&errs[..20], false).len(),
        20
    );
}
