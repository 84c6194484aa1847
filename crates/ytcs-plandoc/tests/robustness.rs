//! Arbitrary input never panics; bad input gives a clear error.

use proptest::prelude::*;
use ytcs_plandoc::{parse_bytes, parse_text, PlanDocError};

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = parse_text("x.txt", &s);
    }

    #[test]
    fn plan_like_text_never_panics(lines in proptest::collection::vec(
        "(I\\. |1\\. |1\\.1\\. |a\\) |- |\\+ |Căn cứ |Nơi nhận:|TM\\. |Số: )?[0-9a-zA-ZạếđươĐ%‰ ,.;:/()$\\\\*-]{0,60}", 0..40)) {
        let _ = parse_text("x.txt", &lines.join("\n"));
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_bytes("x.bin", &b);
        let mut z = b"PK\x03\x04".to_vec();
        z.extend_from_slice(&b);
        let _ = parse_bytes("x.docx", &z);
    }
}

#[test]
fn a_zip_without_document_xml_is_not_a_docx() {
    // an empty zip archive (end-of-central-directory record only)
    let mut empty = b"PK\x05\x06".to_vec();
    empty.extend_from_slice(&[0u8; 18]);
    assert!(matches!(
        parse_bytes("a.docx", &empty),
        Err(PlanDocError::NotDocx(_))
    ));
}

#[test]
fn a_fifty_megabyte_text_is_refused_quickly() {
    let big = vec![b'x'; 50 * 1024 * 1024];
    let start = std::time::Instant::now();
    assert!(matches!(
        parse_bytes("big.txt", &big),
        Err(PlanDocError::TooLarge { .. })
    ));
    assert!(start.elapsed().as_secs_f64() < 2.0);
}

#[test]
fn invalid_utf8_is_named() {
    let b = b"K\xff\xfe ho\xe1ch".to_vec();
    assert!(parse_bytes("a.txt", &b).is_err());
}

/// A zip archive with the given entries (name, content), deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, content) in entries {
        zip.start_file(*name, opts).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_docx_that_expands_beyond_50_megabytes_is_a_zip_bomb() {
    let huge = vec![b' '; 60 * 1024 * 1024];
    let bomb = zip_of(&[("word/document.xml", &huge)]);
    assert!(
        bomb.len() < 1024 * 1024,
        "the bomb is small on disk: {}",
        bomb.len()
    );
    let err = ytcs_plandoc::parse_bytes("bomb.docx", &bomb).unwrap_err();
    assert!(
        matches!(err, ytcs_plandoc::PlanDocError::ZipBomb(_)),
        "{err}"
    );
}

#[test]
fn a_docx_with_thousands_of_entries_is_a_zip_bomb() {
    let names: Vec<String> = (0..5_001).map(|i| format!("x/{i}.xml")).collect();
    let mut entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    entries.push(("word/document.xml", b"<w:document/>"));
    let err = ytcs_plandoc::parse_bytes("many.docx", &zip_of(&entries)).unwrap_err();
    assert!(
        matches!(err, ytcs_plandoc::PlanDocError::ZipBomb(_)),
        "{err}"
    );
}

/// Seed-like text repeated to `bytes` bytes.
fn plan_like_text(bytes: usize) -> String {
    let seed = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/seeds/002_5d8771779a960770.txt"),
    )
    .unwrap();
    let mut s = String::with_capacity(bytes + seed.len());
    while s.len() + seed.len() <= bytes {
        s.push_str(&seed);
        s.push('\n');
    }
    s
}

#[test]
fn a_twenty_megabyte_text_gives_a_bounded_answer() {
    let text = plan_like_text(20_000_000);
    let start = std::time::Instant::now();
    let r = parse_bytes("big.txt", text.as_bytes());
    let secs = start.elapsed().as_secs_f64();
    let plan = r.expect("a partial plan, not an error");
    assert!(secs < 60.0, "took {secs:.1} s");
    assert!(
        plan.warnings.iter().any(|w| w.contains("only the first")),
        "says the reading was cut short: {:?}",
        plan.warnings.iter().take(3).collect::<Vec<_>>()
    );
    assert!(!plan.targets.is_empty());
}

#[test]
fn an_empty_file_is_a_clear_error() {
    assert_eq!(parse_bytes("e.txt", b""), Err(PlanDocError::Empty));
    assert_eq!(parse_bytes("e.txt", b" \n\t\r\n"), Err(PlanDocError::Empty));
    assert_eq!(
        parse_bytes("e.txt", b"\xEF\xBB\xBF"),
        Err(PlanDocError::Empty)
    );
    assert!(matches!(
        parse_bytes("e.docx", b""),
        Err(PlanDocError::Empty | PlanDocError::NotDocx(_))
    ));
}

#[test]
fn a_docx_with_five_thousand_paragraphs_is_read_in_bounded_time() {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    let para = |t: &str| format!("<w:p><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    body.push_str(&para("ỦY BAN NHÂN DÂN TỈNH GIA LAI"));
    body.push_str(&para("Số: 12/KH-UBND"));
    body.push_str(&para("Gia Lai, ngày 15 tháng 3 năm 2025"));
    body.push_str(&para("KẾ HOẠCH"));
    body.push_str(&para("I. MỤC TIÊU"));
    for i in 0..5_000 {
        body.push_str(&para(&format!(
            "{}. Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ tại xã số {i} đạt 95% vào năm 2025.",
            i + 1
        )));
    }
    body.push_str("</w:body></w:document>");
    let docx = zip_of(&[("word/document.xml", body.as_bytes())]);
    let start = std::time::Instant::now();
    let plan = parse_bytes("many.docx", &docx).expect("reads");
    let secs = start.elapsed().as_secs_f64();
    assert!(secs < 30.0, "took {secs:.1} s");
    assert_eq!(plan.number.as_deref(), Some("12/KH-UBND"));
    assert!(plan.targets.len() >= 1_000, "{}", plan.targets.len());
}

#[test]
fn every_warning_is_in_english_and_vietnamese_and_names_its_line() {
    let text = "KẾ HOẠCH\nSố: /KH-UBND\nCăn cứ Luật Bảo vệ sức khỏe nhân dân;\nI. MỤC TIÊU\n- Tỷ lệ bao phủ bảo hiểm y tế đạt 95% vào năm 2025.\n";
    let p = parse_text("w.txt", text);
    assert!(!p.warnings.is_empty());
    assert_eq!(p.warnings.len(), p.warnings_vi.len());
    for (en, vi) in p.warnings.iter().zip(&p.warnings_vi) {
        let n = en
            .strip_prefix("line ")
            .and_then(|r| r.split(':').next())
            .unwrap();
        assert!(n.parse::<usize>().is_ok(), "{en}");
        assert!(vi.starts_with(&format!("dòng {n}: ")), "{vi}");
        assert_ne!(
            vi.trim_start_matches(|c: char| c != ':'),
            en.trim_start_matches(|c: char| c != ':'),
            "translated: {vi}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// High bytes as legacy (TCVN3/VNI) text would have them, mixed with
    /// plan words: converted or refused, never a panic.
    #[test]
    fn legacy_like_bytes_never_panic(
        b in proptest::collection::vec(prop_oneof![0x80u8..=0xFF, 0x20u8..=0x7E, Just(b'\n')], 0..800)
    ) {
        let _ = parse_bytes("x.txt", &b);
    }

    /// Pipe tables, bold markers and stray bars in heads and money tables.
    #[test]
    fn tables_and_markers_never_panic(rows in proptest::collection::vec(
        "(\\| )?(Số: |ĐVT: triệu đồng|\\*\\*|\\*|TỔNG SỐ|I|1|Căn cứ |ngày )?[0-9a-zA-ZĐđạếươ.,/ -]{0,30}( \\| [0-9.,]{0,8}){0,4}( \\|)?", 0..30)) {
        let _ = parse_text("x.txt", &rows.join("\n"));
    }

    /// A DOCX whose document.xml is arbitrary text.
    #[test]
    fn a_docx_with_arbitrary_xml_never_panics(xml in "\\PC{0,300}") {
        let docx = zip_of(&[("word/document.xml", xml.as_bytes())]);
        let _ = parse_bytes("x.docx", &docx);
    }
}
