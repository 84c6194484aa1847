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
