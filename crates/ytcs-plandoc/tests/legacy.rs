//! Legacy encodings (TCVN3, VNI) are converted to Unicode: property tests
//! (any Vietnamese text survives encoding and conversion back) and whole
//! documents typed in a legacy encoding read like their Unicode originals.

use proptest::prelude::*;
use ytcs_plandoc::legacy::{from_unicode, to_unicode, Legacy};

const LOWER: &str =
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ";

fn vietnamese(upper_too: bool) -> impl Strategy<Value = String> {
    let mut alphabet: Vec<char> = LOWER.chars().collect();
    if upper_too {
        let up: Vec<char> = alphabet.iter().flat_map(|c| c.to_uppercase()).collect();
        alphabet.extend(up);
    }
    alphabet.extend(" ,.;:%0123456789()-/".chars());
    proptest::collection::vec(proptest::sample::select(alphabet), 0..200)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn tcvn3_round_trips(s in vietnamese(false)) {
        let enc = from_unicode(&s, Legacy::Tcvn3);
        prop_assert!(enc.chars().all(|c| (c as u32) < 0x100), "{enc}");
        prop_assert_eq!(to_unicode(&enc, Legacy::Tcvn3), s);
    }

    #[test]
    fn vni_round_trips(s in vietnamese(true)) {
        let enc = from_unicode(&s, Legacy::Vni);
        prop_assert!(enc.chars().all(|c| (c as u32) < 0x100), "{enc}");
        prop_assert_eq!(to_unicode(&enc, Legacy::Vni), s);
    }

    #[test]
    fn conversion_never_panics(s in "\\PC{0,300}") {
        let _ = to_unicode(&s, Legacy::Tcvn3);
        let _ = to_unicode(&s, Legacy::Vni);
    }
}

const PLAN: &str = "ỦY BAN NHÂN DÂN\nTỈNH KON TUM\nSố: 1479/KH-UBND\nKon Tum, ngày 17 tháng 5 năm 2022\nKẾ HOẠCH\nphòng, chống suy dinh dưỡng thấp còi ở trẻ em dưới 5 tuổi\nCăn cứ Quyết định số 02/QĐ-TTg ngày 05/01/2022 của Thủ tướng Chính phủ;\nI. MỤC TIÊU\n1. Mục tiêu cụ thể đến năm 2025\n- Giảm tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi thể thấp còi xuống 29,5%, thể gầy còm xuống dưới 5,2%.\n";

fn latin1_bytes(s: &str) -> Vec<u8> {
    s.chars().map(|c| c as u32 as u8).collect()
}

#[test]
fn a_tcvn3_file_reads_like_its_unicode_original() {
    // TCVN3 has no toned capitals: typed in the capitals font they are the
    // lower-case codes, so compare with the lower-cased original.
    let original = PLAN.to_lowercase();
    let bytes = latin1_bytes(&from_unicode(&original, Legacy::Tcvn3));
    assert!(std::str::from_utf8(&bytes).is_err(), "really single-byte");
    let p = ytcs_plandoc::parse_bytes("tcvn3.txt", &bytes).expect("converted, not refused");
    let u = ytcs_plandoc::parse_bytes("u.txt", original.as_bytes()).unwrap();
    assert_eq!(p.targets.len(), 2);
    assert_eq!(
        p.targets.iter().map(|t| t.value).collect::<Vec<_>>(),
        u.targets.iter().map(|t| t.value).collect::<Vec<_>>()
    );
    assert_eq!(p.legal_bases.len(), 1);
    assert!(p.warnings[0].contains("TCVN3"), "{:?}", p.warnings);
    assert!(p.warnings_vi[0].contains("TCVN3"), "{:?}", p.warnings_vi);
}

#[test]
fn a_vni_file_reads_like_its_unicode_original() {
    let bytes = latin1_bytes(&from_unicode(PLAN, Legacy::Vni));
    let p = ytcs_plandoc::parse_bytes("vni.txt", &bytes).expect("converted, not refused");
    let u = ytcs_plandoc::parse_bytes("u.txt", PLAN.as_bytes()).unwrap();
    assert_eq!(p.number, u.number);
    assert_eq!(p.date, u.date);
    assert_eq!(p.issuer, u.issuer);
    assert_eq!(p.targets.len(), u.targets.len());
    assert!(p.warnings[0].contains("VNI"), "{:?}", p.warnings);
}
