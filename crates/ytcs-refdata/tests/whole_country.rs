//! History adds up for the whole country: one value on every commune of one
//! date, asked for under the units of a later date, loses nothing and lands
//! in the right provinces.

use std::collections::HashMap;
use std::sync::OnceLock;

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::rollup::Rollup;
use ytcs_core::Date;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn hierarchy() -> &'static Hierarchy {
    static H: OnceLock<Hierarchy> = OnceLock::new();
    H.get_or_init(|| {
        let a = ytcs_refdata::admin_units().unwrap();
        Hierarchy::new(a.units, a.links, a.lineage).unwrap()
    })
}

fn unit_at(code: &str, at: &str) -> UnitId {
    hierarchy()
        .unit_at(&OrgCode::parse(code).unwrap(), d(at))
        .unwrap_or_else(|| panic!("no unit {code} on {at}"))
        .id
}

fn name_at(code: &str, at: &str) -> &'static str {
    &hierarchy().unit(unit_at(code, at)).unwrap().name
}

fn units_of(kind: OrgKind, at: Date) -> Vec<UnitId> {
    hierarchy()
        .units()
        .iter()
        .filter(|u| u.kind == kind && u.validity.contains(at))
        .map(|u| u.id)
        .collect()
}

/// Where one unit's value lands on `at`, following lineage edges forward
/// (written apart from `Rollup`, so the two check each other).
fn landing(h: &Hierarchy, unit: UnitId, share: f64, at: Date, out: &mut HashMap<UnitId, f64>) {
    if h.unit(unit).unwrap().validity.contains(at) {
        *out.entry(unit).or_default() += share;
        return;
    }
    for l in h.successors(unit) {
        if l.date <= at {
            landing(h, l.successor, share * l.weight, at, out);
        }
    }
}

fn province_of(h: &Hierarchy, unit: UnitId, at: Date) -> UnitId {
    h.ancestors(unit, at)
        .iter()
        .find(|u| u.kind == OrgKind::Province)
        .unwrap_or_else(|| panic!("{:?} has no province on {at}", h.unit(unit)))
        .id
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// One value (1.0) on every commune valid on `a`, asked for as of `b`.
fn conserved(a: &str, b: &str) {
    let h = hierarchy();
    let (a, b) = (d(a), d(b));
    let values: Vec<(UnitId, f64)> = units_of(OrgKind::Commune, a)
        .into_iter()
        .map(|u| (u, 1.0))
        .collect();
    let mut r = Rollup::new(h, b);
    let national = r.total(&values, unit_at("VN", "2025-01-01")).unwrap();
    assert!(
        close(national, values.len() as f64),
        "{a} -> {b}: nation {national}, communes {}",
        values.len()
    );
    assert_eq!(r.lost(), 0.0, "{a} -> {b}: values lost");

    let provinces = units_of(OrgKind::Province, b);
    let totals = r.totals(&values, &provinces).unwrap();
    let mut expected: HashMap<UnitId, f64> = HashMap::new();
    for &(unit, v) in &values {
        let mut lands = HashMap::new();
        landing(h, unit, v, b, &mut lands);
        assert!(
            close(lands.values().sum(), v),
            "{:?} is not handed on whole",
            h.unit(unit)
        );
        for (u, share) in lands {
            *expected.entry(province_of(h, u, b)).or_default() += share;
        }
    }
    for (p, total) in provinces.iter().zip(&totals) {
        let want = expected.get(p).copied().unwrap_or(0.0);
        assert!(
            close(*total, want),
            "{a} -> {b}: {} has {total}, its old communes {want}",
            h.unit(*p).unwrap().name
        );
    }
    assert!(close(totals.iter().sum(), values.len() as f64));
}

#[test]
fn every_commune_of_2025_01_04_arrives_in_the_units_of_2025_08_01() {
    conserved("2025-01-04", "2025-08-01");
}

#[test]
fn every_commune_of_2025_01_04_arrives_in_the_units_of_2026_12_01() {
    conserved("2025-01-04", "2026-12-01");
}

#[test]
fn every_commune_of_2025_08_01_arrives_in_the_units_of_2026_12_01() {
    conserved("2025-08-01", "2026-12-01");
}

/// Counts old communes by old province, asked for under the new province
/// both old ones merged into whole.
fn merged_province_counts(new: &str, olds: &[&str]) {
    let h = hierarchy();
    let (a, b) = (d("2025-01-04"), d("2025-08-01"));
    let old_ids: Vec<UnitId> = olds.iter().map(|c| unit_at(c, "2025-01-04")).collect();
    let values: Vec<(UnitId, f64)> = units_of(OrgKind::Commune, a)
        .into_iter()
        .filter(|&u| old_ids.contains(&province_of(h, u, a)))
        .map(|u| (u, 1.0))
        .collect();
    let total = Rollup::new(h, b)
        .total(&values, unit_at(new, "2025-08-01"))
        .unwrap();
    assert!(
        close(total, values.len() as f64),
        "{new}: {total} of {}",
        values.len()
    );
}

#[test]
fn tuyen_quang_after_the_reform_holds_all_of_old_tuyen_quang_and_ha_giang() {
    merged_province_counts("08", &["08", "02"]);
}

#[test]
fn quang_ngai_after_the_reform_holds_all_of_old_quang_ngai_and_kon_tum() {
    merged_province_counts("51", &["51", "62"]);
}

fn lands_whole_on(old: &str, at_old: &str, new: &str, at_new: &str) {
    let h = hierarchy();
    let total = Rollup::new(h, d(at_new))
        .total(&[(unit_at(old, at_old), 1.0)], unit_at(new, at_new))
        .unwrap();
    assert!(close(total, 1.0), "{old} -> {new}: {total}");
}

/// Nothing of `old` (as of 2025-01-04) reaches `new` (as of 2025-08-01).
fn lands_nothing_on(old: &str, new: &str) {
    let total = Rollup::new(hierarchy(), d("2025-08-01"))
        .total(
            &[(unit_at(old, "2025-01-04"), 1.0)],
            unit_at(new, "2025-08-01"),
        )
        .unwrap();
    assert_eq!(total, 0.0, "{old} -> {new}");
}

#[test]
fn phu_thinh_of_yen_son_goes_to_thai_binh_as_the_conversion_table_says() {
    // Record 1260: "Xã Phú Thịnh" of Yên Sơn, written 02485 (Xã Công Đa's
    // code), into Xã Thái Bình 02494; Công Đa goes to Trung Sơn.
    lands_whole_on("02482", "2025-01-04", "02494", "2025-08-01");
    lands_nothing_on("02485", "02494");
}

#[test]
fn dang_xa_goes_to_the_successor_of_dang_xa_not_of_co_bi() {
    // Record 426: "Xã Đặng Xá, 00553" (Cổ Bi's code) into Thuận An with all
    // of its population.
    lands_whole_on("00556", "2025-01-04", "00562", "2025-08-01");
    lands_nothing_on("00553", "00562");
}

#[test]
fn the_communes_the_table_forgot_arrive_somewhere() {
    // Mỹ Hưng 01651 (Cao Bằng), Phường 14 of Bình Thạnh 26935.
    lands_whole_on("01651", "2025-01-04", "01648", "2025-08-01");
    lands_whole_on("26935", "2025-01-04", "26929", "2025-08-01");
}

#[test]
fn dong_nai_is_a_city_and_long_thanh_a_ward_from_2026_04_30() {
    let h = hierarchy();
    let city = h.unit(unit_at("75", "2026-04-30")).unwrap();
    assert_eq!(city.name, "Thành phố Đồng Nai");
    assert_eq!(
        h.unit(unit_at("75", "2026-04-29")).unwrap().name,
        "Tỉnh Đồng Nai"
    );
    let ward = unit_at("26368", "2026-04-30");
    assert_eq!(h.unit(ward).unwrap().name, "Phường Long Thành");
    assert_eq!(h.parent(ward, d("2026-04-30")).unwrap().id, city.id);
    lands_whole_on("26368", "2025-08-01", "26368", "2026-12-01");
    lands_whole_on("75", "2025-08-01", "75", "2026-12-01");
    // Its 95 communes stand under the city; the 85 not named continue.
    let before = h.children(unit_at("75", "2026-04-29"), d("2026-04-29"));
    let after = h.children(city.id, d("2026-04-30"));
    assert_eq!((before.len(), after.len()), (95, 95));
    let same = after
        .iter()
        .filter(|u| before.iter().any(|b| b.id == u.id))
        .count();
    assert_eq!(same, 85);
}

#[test]
fn quang_ngai_and_its_communes_do_not_change_on_2026_04_30() {
    let h = hierarchy();
    assert_eq!(unit_at("51", "2026-04-29"), unit_at("51", "2026-12-01"));
    for c in h.children(unit_at("51", "2026-12-01"), d("2026-12-01")) {
        assert_eq!(unit_at(c.code.as_str(), "2026-04-29"), c.id, "{}", c.name);
    }
}

#[test]
fn every_commune_of_2026_08_31_arrives_in_the_units_of_2026_12_01() {
    // Across both September dates: Quảng Ninh, Bắc Ninh and its 12 wards.
    conserved("2026-08-31", "2026-12-01");
}

/// `code` is the province `before` on `last` and the city `after` from the
/// next day on (still on 2026-12-01), with the same communes under it
/// except those `renamed` the same day, which keep their codes.
fn province_becomes_city(code: &str, last: &str, before: &str, after: &str, renamed: &[&str]) {
    let h = hierarchy();
    let first = d(last).succ_opt().unwrap().to_string();
    let old = h.unit(unit_at(code, last)).unwrap();
    assert_eq!((old.name.as_str(), old.kind), (before, OrgKind::Province));
    assert_eq!(unit_at(code, "2025-08-01"), old.id, "one unit until {last}");
    let city = h.unit(unit_at(code, &first)).unwrap();
    assert_eq!((city.name.as_str(), city.kind), (after, OrgKind::Province));
    assert_eq!(unit_at(code, "2026-12-01"), city.id);
    assert_eq!(
        h.parent(city.id, d("2026-12-01")).unwrap().code.as_str(),
        "VN"
    );
    lands_whole_on(code, "2025-08-01", code, "2026-12-01");

    let olds = h.children(old.id, d(last));
    let news = h.children(city.id, d(&first));
    assert_eq!(olds.len(), news.len(), "{after}");
    for c in &olds {
        let now = h.unit(unit_at(c.code.as_str(), "2026-12-01")).unwrap();
        assert_eq!(h.parent(now.id, d("2026-12-01")).unwrap().id, city.id);
        if renamed.contains(&c.code.as_str()) {
            assert_ne!(now.id, c.id, "{}", c.name);
            assert_eq!(now.name, c.name.replacen("Xã ", "Phường ", 1));
            lands_whole_on(c.code.as_str(), last, c.code.as_str(), "2026-12-01");
        } else {
            assert_eq!(now.id, c.id, "{} continues", c.name);
        }
    }
}

#[test]
fn quang_ninh_is_a_city_from_2026_09_01() {
    province_becomes_city(
        "22",
        "2026-08-31",
        "Tỉnh Quảng Ninh",
        "Thành phố Quảng Ninh",
        &[],
    );
}

#[test]
fn bac_ninh_is_a_city_and_twelve_communes_wards_from_2026_09_20() {
    let wards = [
        "07294", "07375", "07399", "07444", "07840", "09193", "09292", "09313", "09319", "09454",
        "09475", "09496",
    ];
    province_becomes_city(
        "24",
        "2026-09-19",
        "Tỉnh Bắc Ninh",
        "Thành phố Bắc Ninh",
        &wards,
    );
    assert_eq!(name_at("07840", "2026-09-19"), "Xã Hiệp Hoà");
    assert_eq!(name_at("07840", "2026-12-01"), "Phường Hiệp Hoà");
}

#[test]
fn on_2026_12_01_quang_ninh_and_bac_ninh_are_cities_on_2026_08_31_provinces() {
    assert_eq!(name_at("22", "2026-12-01"), "Thành phố Quảng Ninh");
    assert_eq!(name_at("24", "2026-12-01"), "Thành phố Bắc Ninh");
    assert_eq!(name_at("22", "2026-08-31"), "Tỉnh Quảng Ninh");
    assert_eq!(name_at("24", "2026-08-31"), "Tỉnh Bắc Ninh");
    assert_eq!(units_of(OrgKind::Province, d("2026-12-01")).len(), 34);
    assert_eq!(units_of(OrgKind::Commune, d("2026-12-01")).len(), 3_321);
}

#[test]
fn the_september_changes_append_units_and_keep_every_earlier_id() {
    // Ids run from 1 in a stable order; the 14 units of 2026-09-01 and
    // 2026-09-20 come last, so every id given before them is unchanged.
    let h = hierarchy();
    let september = d("2026-09-01");
    let (mut earlier, mut later): (Vec<_>, Vec<_>) = h
        .units()
        .iter()
        .partition(|u| u.validity.from.is_none_or(|f| f < september));
    earlier.sort_by_key(|u| u.id.0);
    later.sort_by_key(|u| u.id.0);
    assert_eq!(later.len(), 14);
    let ids: Vec<i64> = earlier.iter().map(|u| u.id.0).collect();
    assert_eq!(ids, (1..=earlier.len() as i64).collect::<Vec<_>>());
    assert_eq!(later[0].id.0, earlier.len() as i64 + 1);
    assert_eq!(later[0].name, "Thành phố Quảng Ninh");
    assert_eq!(later[1].name, "Thành phố Bắc Ninh");
    assert_eq!(later[13].name, "Phường Lương Tài");
}
