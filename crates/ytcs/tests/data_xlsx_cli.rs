//! `ytcs data export --format xlsx` and `ytcs data import FILE.xlsx` on the
//! real binary: the workbook holds numbers, imports into another database
//! give the same values, and a bad workbook imports nothing, naming its
//! Excel rows.

use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader};

fn ytcs(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ytcs"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("the ytcs binary runs")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const CSV: &str = "element,org,period,disagg,value\n\
    live_births,23479,2024-03,m,30\n\
    live_births,23479,2024-03,f,25\n\
    deaths,23479,2024-05,m.0,1\n\
    station_services_share,23482,2024,,62.5\n";

#[test]
fn an_exported_workbook_imports_into_another_database_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let csv = tmp.path().join("v.csv");
    std::fs::write(&csv, CSV).unwrap();
    ok(&ytcs(&a, &["data", "import", csv.to_str().unwrap()]));
    let xlsx = tmp.path().join("v.xlsx");
    ok(&ytcs(
        &a,
        &[
            "data",
            "export",
            "--format",
            "xlsx",
            "-o",
            xlsx.to_str().unwrap(),
        ],
    ));

    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0][4], Data::String("value".into()));
    let values: Vec<&Data> = rows[1..].iter().map(|r| &r[4]).collect();
    assert!(values.contains(&&Data::Float(62.5)), "{values:?}");
    assert!(values.contains(&&Data::Float(30.0)), "{values:?}");

    let out = ok(&ytcs(&b, &["data", "import", xlsx.to_str().unwrap()]));
    assert!(out.contains("imported 4 value(s)"), "{out}");
    let first = ok(&ytcs(&a, &["data", "export"]));
    let second = ok(&ytcs(&b, &["data", "export"]));
    assert_eq!(first, second);
}

#[test]
fn a_bad_workbook_imports_nothing_and_names_its_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in ["Mã chỉ tiêu", "Mã đơn vị", "Kỳ", "Phân tổ", "Giá trị"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "live_births").unwrap();
    ws.write_string(1, 1, "23479").unwrap();
    ws.write_string(1, 2, "2024-03").unwrap();
    ws.write_string(1, 3, "m").unwrap();
    ws.write_number(1, 4, 30.0).unwrap();
    ws.write_string(2, 0, "live_births").unwrap();
    ws.write_string(2, 1, "23479").unwrap();
    ws.write_string(2, 2, "2024-03").unwrap();
    ws.write_string(2, 3, "f").unwrap();
    ws.write_number(2, 4, -3.0).unwrap();
    let file = tmp.path().join("bad.xlsx");
    wb.save(&file).unwrap();
    let o = ytcs(&dir, &["data", "import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(err.contains("row 3: element live_births"), "{err}");
    // The good row 2 was not written either.
    let out = ok(&ytcs(&dir, &["data", "export"]));
    assert_eq!(out, "element,org,period,disagg,value\n");
}
