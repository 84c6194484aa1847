//! A plan the reader was not written against: another province (Gia Lai),
//! another topic (nutrition and screening), another year (2025), written
//! here by hand in the usual administrative style — as text, and as a real
//! DOCX (zip + WordprocessingML, with a target table) built by the test.
//! The expectations are what a careful official reads in it.

use std::io::Write;

use ytcs_core::plan::{Comparator, Frequency, Plan, SourceFormat, TimeframeKind, Unit};

const TEXT: &str = include_str!("heldout/gia_lai_dinh_duong_2025.txt");

/// indicator, comparator, value, unit, year
type TargetFacts<'a> = (Option<&'a str>, Comparator, Option<f64>, Unit, Option<i32>);

fn targets(p: &Plan) -> Vec<TargetFacts<'_>> {
    p.targets
        .iter()
        .map(|t| {
            (
                t.indicator.as_deref(),
                t.comparator,
                t.value,
                t.unit,
                t.year,
            )
        })
        .collect()
}

#[test]
fn an_unseen_nutrition_plan_is_read_as_an_official_would() {
    let p = ytcs_plandoc::parse_bytes("gia_lai.txt", TEXT.as_bytes()).unwrap();
    assert_eq!(p.number.as_deref(), Some("1234/KH-UBND"));
    assert_eq!(p.date.unwrap().to_string(), "2025-03-15");
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Gia Lai"));
    assert!(p
        .title
        .as_deref()
        .unwrap()
        .starts_with("Cải thiện tình trạng dinh dưỡng"));

    let bases: Vec<(Option<&str>, String)> = p
        .legal_bases
        .iter()
        .map(|b| {
            (
                b.number.as_deref(),
                b.date.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        bases,
        [
            (Some("02/QĐ-TTg"), "2022-01-05".into()),
            (Some("45/KH-SYT"), "2025-01-20".into())
        ]
    );
    // 1721/QĐ-BYT is only mentioned under "Yêu cầu": a reference, not a basis.

    use Comparator::*;
    assert_eq!(
        targets(&p),
        [
            (
                Some("stunting_u5"),
                Lt,
                Some(24.5),
                Unit::Percent,
                Some(2025)
            ),
            (
                Some("underweight_u5"),
                Lt,
                Some(14.0),
                Unit::Percent,
                Some(2025)
            ),
            (
                Some("newborn_screening_pct"),
                Ge,
                Some(60.0),
                Unit::Percent,
                Some(2025)
            ),
            (
                Some("prenatal_screening_pct"),
                Eq,
                Some(55.0),
                Unit::Percent,
                Some(2025)
            ),
            (
                Some("full_immunization_u1"),
                Gt,
                Some(95.0),
                Unit::Percent,
                Some(2025)
            ),
        ],
        "the 2024 baseline (220 stations; 27,3 %) is not a target"
    );

    let comms = p.tasks.iter().find(|t| t.id == "III.1").unwrap();
    assert_eq!(comms.lead_units, ["Sở Y tế"]);
    assert_eq!(
        comms.coordinating_units,
        [
            "Sở Thông tin và Truyền thông",
            "Đài Phát thanh - Truyền hình tỉnh"
        ]
    );
    assert_eq!(comms.timeframe.kind, TimeframeKind::Quarter);
    assert_eq!(
        (comms.timeframe.year, comms.timeframe.quarter),
        (Some(2025), Some(2))
    );
    let screening = p.tasks.iter().find(|t| t.id == "III.2").unwrap();
    assert_eq!(screening.timeframe.kind, TimeframeKind::Before);
    assert_eq!(screening.timeframe.date.unwrap().to_string(), "2025-09-30");

    assert_eq!(p.budget.len(), 1);
    assert_eq!(p.budget[0].amount_vnd, 3_200_000_000);
    assert_eq!(p.budget[0].sources[0], "ngân sách tỉnh");
    assert!(p.budget[0].sources[1].ends_with("dân tộc thiểu số và miền núi"));

    type Schedule = (Option<Frequency>, Option<(Option<u8>, Option<u8>)>);
    let duties: Vec<Schedule> = p
        .reporting
        .iter()
        .map(|r| (r.frequency, r.deadline.as_ref().map(|d| (d.day, d.month))))
        .collect();
    assert_eq!(
        duties,
        [
            (Some(Frequency::Semiannual), Some((Some(15), Some(6)))),
            (Some(Frequency::Annual), Some((Some(15), Some(12))))
        ]
    );
    assert!(p
        .reporting
        .iter()
        .all(|r| r.by == ["Sở Y tế"] && r.to == ["Ủy ban nhân dân tỉnh"]));

    assert_eq!(p.recipients.len(), 4);
    let s = p.signer.as_ref().unwrap();
    assert_eq!(
        (s.name.as_deref(), s.title.as_deref()),
        (Some("Nguyễn Văn An"), Some("PHÓ CHỦ TỊCH"))
    );
}

/// WordprocessingML for paragraphs and one table.
fn docx(paragraphs_before: &[&str], table: &[&[&str]], paragraphs_after: &[&str]) -> Vec<u8> {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let para = |s: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(s)
        )
    };
    let mut body = String::new();
    for p in paragraphs_before {
        body.push_str(&para(p));
    }
    body.push_str("<w:tbl>");
    for row in table {
        body.push_str("<w:tr>");
        for cell in *row {
            body.push_str(&format!("<w:tc>{}</w:tc>", para(cell)));
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    for p in paragraphs_after {
        body.push_str(&para(p));
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_docx_plan_with_a_target_table_gives_one_target_per_year() {
    let bytes = docx(
        &[
            "ỦY BAN NHÂN DÂN",
            "TỈNH GIA LAI",
            "Số: 88/KH-UBND",
            "Gia Lai, ngày 02 tháng 4 năm 2025",
            "KẾ HOẠCH",
            "Phát triển nguồn nhân lực y tế cơ sở giai đoạn 2025 - 2030",
            "Căn cứ Quyết định số 2348/QĐ-TTg ngày 05/12/2016 của Thủ tướng Chính phủ phê duyệt Đề án xây dựng và phát triển mạng lưới y tế cơ sở trong tình hình mới;",
            "I. MỤC TIÊU",
            "Các chỉ tiêu cụ thể:",
        ],
        &[
            &["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2030"],
            &["1", "Tỷ lệ trạm y tế xã có bác sĩ làm việc", "%", "90", "100"],
            &["2", "Số bác sĩ trên 10.000 dân", "Bác sĩ", "11", "15"],
            &["3", "Tỷ lệ thôn, bản có nhân viên y tế hoạt động", "%", "95", "100"],
        ],
        &[
            "II. KINH PHÍ",
            "Tổng kinh phí: 12.500.000.000 đồng (Mười hai tỷ năm trăm triệu đồng).",
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            "Trần Thị Bình",
        ],
    );
    let p = ytcs_plandoc::parse_bytes("nhan-luc.docx", &bytes).unwrap();
    assert_eq!(p.source.format, SourceFormat::Docx);
    assert_eq!(p.number.as_deref(), Some("88/KH-UBND"));
    assert_eq!(p.date.unwrap().to_string(), "2025-04-02");
    assert_eq!(p.legal_bases.len(), 1);
    assert_eq!(p.legal_bases[0].number.as_deref(), Some("2348/QĐ-TTg"));
    let mut got: Vec<(Option<&str>, Option<f64>, Option<i32>)> = p
        .targets
        .iter()
        .map(|t| (t.indicator.as_deref(), t.value, t.year))
        .collect();
    got.sort_by(|a, b| (a.0, a.2).cmp(&(b.0, b.2)));
    assert_eq!(
        got,
        [
            (Some("doctors_per_10000"), Some(11.0), Some(2025)),
            (Some("doctors_per_10000"), Some(15.0), Some(2030)),
            (Some("stations_with_doctor_pct"), Some(90.0), Some(2025)),
            (Some("stations_with_doctor_pct"), Some(100.0), Some(2030)),
            (Some("villages_with_vhw_pct"), Some(95.0), Some(2025)),
            (Some("villages_with_vhw_pct"), Some(100.0), Some(2030)),
        ]
    );
    assert_eq!(p.budget.first().map(|b| b.amount_vnd), Some(12_500_000_000));
    assert_eq!(
        p.signer.as_ref().and_then(|s| s.name.as_deref()),
        Some("Trần Thị Bình")
    );
}
