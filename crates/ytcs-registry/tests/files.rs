//! Registry files on a real SQLite store: templates, all-or-nothing import
//! with line numbers, XLSX written and read back.

use std::sync::Arc;

use ytcs_registry::{export, import, parse_rows, template, Format, Table};
use ytcs_store::{Store, StoreConfig};

fn d(s: &str) -> ytcs_core::Date {
    s.parse().unwrap()
}

async fn store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    (s, dir)
}

#[tokio::test]
async fn a_bad_row_imports_nothing_and_names_its_line() {
    let (s, _g) = store().await;
    let csv = "Mã đơn vị,Ngày đơn vị,Năm,Giới tính,Nhóm tuổi,Số người\n\
               23479,2025-07-01,2026,Nữ,25-29,412\n\
               23479,2025-07-01,2026,Nam,25-29,-4\n\
               99999999,,2026,Nam,0-4,10\n\
               23479,2025-07-01,2026,Nam,3-7,10\n";
    let err = import(
        s.as_ref(),
        Table::Population,
        csv.as_bytes(),
        Format::Csv,
        d("2026-01-01"),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 3") && err.contains("-4"), "{err}");
    assert!(err.contains("line 4") && err.contains("99999999"), "{err}");
    assert!(err.contains("line 5") && err.contains("3-7"), "{err}");
    assert!(s.network().await.unwrap().population.is_empty());
}

#[tokio::test]
async fn tables_round_trip_through_real_xlsx() {
    let (s, _g) = store().await;
    let villages = "Mã thôn,Tên thôn,Mã xã,Từ ngày,Đến ngày\n\
                    23479-01,Thôn 1,23479,,2025-06-30\n\
                    23479-01,Thôn 1,23479,2025-07-01,\n";
    assert_eq!(
        import(
            s.as_ref(),
            Table::Villages,
            villages.as_bytes(),
            Format::Csv,
            d("2026-01-01")
        )
        .await
        .unwrap(),
        2
    );
    let staff =
        "Mã nhân viên,Họ và tên,Chức danh,Trình độ,Mã cơ sở,Mã thôn,Hình thức,Từ ngày,Đến ngày\n\
                 NV1,Y Điệp,Nhân viên y tế thôn bản,,,23479-01,Biên chế,2020-01-01,\n";
    import(
        s.as_ref(),
        Table::Staff,
        staff.as_bytes(),
        Format::Csv,
        d("2026-01-01"),
    )
    .await
    .unwrap();
    let xlsx = export(s.as_ref(), Table::Villages, Format::Xlsx)
        .await
        .unwrap();
    assert_eq!(&xlsx[..2], b"PK");
    let rows = parse_rows(&xlsx, Format::Xlsx).unwrap();
    assert_eq!(rows[0][0], "Mã thôn");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1][2], "23479");
    let staff_x = export(s.as_ref(), Table::Staff, Format::Xlsx)
        .await
        .unwrap();
    let rows = parse_rows(&staff_x, Format::Xlsx).unwrap();
    assert_eq!(rows[1][5], "23479-01");
    // Templates carry the Vietnamese headers in both formats.
    for t in Table::ALL {
        let rows = parse_rows(&template(t, Format::Xlsx).unwrap(), Format::Xlsx).unwrap();
        assert_eq!(
            rows[0],
            t.headers()
                .iter()
                .map(|h| h.to_string())
                .collect::<Vec<_>>()
        );
        let rows = parse_rows(&template(t, Format::Csv).unwrap(), Format::Csv).unwrap();
        assert_eq!(rows[0].len(), t.headers().len());
    }
}

#[test]
fn a_spreadsheet_bomb_is_refused_before_it_is_copied_into_memory() {
    // 200 cells × one 10 MB shared string: 2 GB if read naively.
    let bomb = ytcs_testkit::shared_string_bomb(200, 10 * 1024 * 1024);
    let e = parse_rows(&bomb, Format::Xlsx).unwrap_err().to_string();
    assert!(e.contains("A1") && e.contains("32767"), "{e}");
}

#[tokio::test]
async fn a_village_named_like_a_formula_is_exported_as_text_and_reads_back() {
    let (s, _g) = store().await;
    let name = "=HYPERLINK(\"http://evil.example\",\"Thôn 1\")";
    let villages = format!(
        "Mã thôn,Tên thôn,Mã xã,Từ ngày,Đến ngày\n23479-09,\"{}\",23479,2025-07-01,\n",
        name.replace('"', "\"\"")
    );
    import(
        s.as_ref(),
        Table::Villages,
        villages.as_bytes(),
        Format::Csv,
        d("2026-01-01"),
    )
    .await
    .unwrap();
    let csv = export(s.as_ref(), Table::Villages, Format::Csv)
        .await
        .unwrap();
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
    // Read back, the name is what was typed.
    let rows = parse_rows(&csv, Format::Csv).unwrap();
    assert_eq!(rows[1][1], name);
}
