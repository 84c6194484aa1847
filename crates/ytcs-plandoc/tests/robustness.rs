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
