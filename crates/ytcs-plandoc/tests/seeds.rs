//! The five seed plans: hand-checked facts and reviewed JSON snapshots.

use ytcs_core::plan::{Comparator, DocumentKind, Frequency, Plan, TimeframeKind, Unit};
use ytcs_core::Date;

fn seed(prefix: &str) -> Plan {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let entry = std::fs::read_dir(&dir)
        .expect("seeds dir")
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .expect("seed file");
    let bytes = std::fs::read(entry.path()).expect("seed bytes");
    ytcs_plandoc::parse_bytes(&entry.file_name().to_string_lossy(), &bytes).expect("seed parses")
}

fn d(y: i32, m: u32, day: u32) -> Option<Date> {
    Date::from_ymd_opt(y, m, day)
}

/// (indicator, comparator, value, year) of every target.
type Fact<'a> = (Option<&'a str>, Comparator, Option<f64>, Option<i32>);

fn facts(p: &Plan) -> Vec<Fact<'_>> {
    p.targets
        .iter()
        .map(|t| (t.indicator.as_deref(), t.comparator, t.value, t.year))
        .collect()
}

fn has(p: &Plan, ind: &str, cmp: Comparator, value: f64, year: i32) -> bool {
    facts(p).iter().any(|(i, c, v, y)| {
        *i == Some(ind)
            && *c == cmp
            && v.is_some_and(|v| (v - value).abs() < 1e-9)
            && *y == Some(year)
    })
}

fn bases(p: &Plan) -> Vec<(Option<&str>, Option<Date>)> {
    p.legal_bases
        .iter()
        .map(|b| (b.number.as_deref(), b.date))
        .collect()
}

#[test]
fn seed_000_district_plan_for_directive_25() {
    let p = seed("000_");
    assert_eq!(p.kind, DocumentKind::Plan);
    assert_eq!(p.number, None);
    assert_eq!(p.issuer.as_deref(), Some("UBND huyện Kon Rẫy"));
    assert_eq!(
        bases(&p),
        vec![
            (Some("25-CT/TW"), d(2023, 10, 25)),
            (Some("124-KH/TU"), d(2024, 1, 26)),
            (Some("906/KH-UBND"), d(2024, 3, 19)),
            (Some("169-KH/HU"), d(2024, 3, 21)),
        ]
    );
    assert!(has(
        &p,
        "villages_with_vhw_pct",
        Comparator::Ge,
        100.0,
        2030
    ));
    assert!(has(&p, "bhyt_coverage", Comparator::Gt, 95.0, 2030));
    assert!(has(&p, "health_managed_pct", Comparator::Gt, 95.0, 2030));
    assert!(has(
        &p,
        "communes_criteria_pct",
        Comparator::Ge,
        100.0,
        2030
    ));
    assert!(has(
        &p,
        "communes_with_midwife_pct",
        Comparator::Maintain,
        100.0,
        2030
    ));
    assert!(has(&p, "station_services_pct", Comparator::Ge, 90.0, 2030));
    assert!(has(&p, "district_services_pct", Comparator::Ge, 90.0, 2030));
    let t = p
        .tasks
        .iter()
        .find(|t| t.id == "III.2.3")
        .expect("task III.2.3");
    assert_eq!(t.lead_units, vec!["Trung tâm Y tế huyện"]);
    assert_eq!(t.timeframe.kind, TimeframeKind::Before);
    assert_eq!(t.timeframe.date, d(2025, 7, 1));
    assert_eq!(
        t.milestones.first().map(|m| (m.kind, m.quarter, m.year)),
        Some((TimeframeKind::Quarter, Some(4), Some(2024)))
    );
    let t = p
        .tasks
        .iter()
        .find(|t| t.id == "III.2.2.a")
        .expect("task III.2.2.a");
    assert_eq!(t.timeframe.kind, TimeframeKind::Ongoing);
    let r = p
        .reporting
        .iter()
        .find(|r| r.deadline.is_some_and(|d| d.day == Some(15)))
        .expect("report by 15/12");
    assert_eq!(
        (r.frequency, r.deadline.and_then(|d| d.month)),
        (Some(Frequency::Annual), Some(12))
    );
    assert_eq!(r.to, vec!["Trung tâm Y tế"]);
    let s = p.signer.as_ref().expect("signer");
    assert_eq!(s.name.as_deref(), Some("Đinh Thị Hồng Thu"));
    assert_eq!(s.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(s.on_behalf_of.as_deref(), Some("ỦY BAN NHÂN DÂN"));
    assert_eq!(
        p.recipients.first().map(String::as_str),
        Some("TT Huyện ủy (b/c)")
    );
    insta::assert_json_snapshot!("seed_000", p);
}

#[test]
fn seed_001_province_network_plan_with_a_target_table() {
    let p = seed("001_");
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Tuyên Quang"));
    assert_eq!(p.legal_bases.len(), 10);
    assert!(p
        .legal_bases
        .iter()
        .filter(|b| b.kind != DocumentKind::Law && b.number.is_some())
        .all(|b| b.date.is_some()));
    assert!(bases(&p).contains(&(Some("2348/QĐ-TTg"), d(2016, 12, 5))));
    assert!(bases(&p).contains(&(Some("19-NQ/TW"), d(2017, 10, 25))));
    assert!(has(
        &p,
        "stations_bhyt_eligible_pct",
        Comparator::Gt,
        90.0,
        2020
    ));
    assert!(has(&p, "communes_criteria_pct", Comparator::Eq, 90.0, 2020));
    assert!(has(
        &p,
        "communes_criteria_pct",
        Comparator::Ge,
        100.0,
        2025
    ));
    assert!(has(&p, "health_managed_pct", Comparator::Gt, 90.0, 2025));
    assert!(has(
        &p,
        "stations_upgraded_pct",
        Comparator::Maintain,
        100.0,
        2025
    ));
    assert!(has(&p, "stations_ncd_pct", Comparator::Eq, 95.0, 2025));
    assert!(has(&p, "district_services_pct", Comparator::Eq, 65.0, 2020));
    assert_eq!(p.targets.len(), 12, "6 rows × 2 years");
    let amounts: Vec<i64> = p.budget.iter().map(|b| b.amount_vnd).collect();
    assert_eq!(
        amounts,
        vec![
            297_500_000_000,
            225_000_000_000,
            72_500_000_000,
            200_000_000_000
        ]
    );
    assert_eq!(
        p.budget.get(1).and_then(|b| b.parent.as_deref()),
        Some("V.1")
    );
    assert!(p.budget.first().is_some_and(|b| !b.sources.is_empty()));
    assert!(p.signer.is_none());
    assert_eq!(p.recipients.len(), 12);
    insta::assert_json_snapshot!("seed_001", p);
}

#[test]
fn seed_002_city_annual_plan_with_many_targets() {
    let p = seed("002_");
    assert_eq!(p.number, None, "number left blank");
    assert_eq!(p.date, None, "day left blank");
    assert_eq!(p.issuer.as_deref(), Some("UBND thành phố Lào Cai"));
    assert_eq!(bases(&p), vec![(Some("07-ĐA/TU"), d(2020, 12, 11))]);
    assert!(has(&p, "beds_per_10000", Comparator::Eq, 45.0, 2024));
    assert!(has(&p, "doctors_per_10000", Comparator::Eq, 14.5, 2024));
    assert!(has(&p, "pharmacists_per_10000", Comparator::Eq, 3.5, 2024));
    assert!(has(&p, "stunting_u5", Comparator::Lt, 9.98, 2024));
    assert!(has(&p, "underweight_u5", Comparator::Lt, 7.88, 2024));
    assert!(has(&p, "natural_growth_rate", Comparator::Lt, 1.0, 2024));
    assert!(has(&p, "life_expectancy", Comparator::Eq, 74.0, 2024));
    assert!(has(&p, "bhyt_coverage", Comparator::Gt, 96.5, 2024));
    assert!(has(&p, "full_immunization_u1", Comparator::Gt, 98.0, 2024));
    assert!(has(&p, "u5mr", Comparator::Le, 18.5, 2024));
    assert!(has(&p, "imr", Comparator::Le, 12.5, 2024));
    assert!(has(&p, "ehr_coverage", Comparator::Gt, 85.0, 2024));
    assert!(has(&p, "stations_ncd_pct", Comparator::Eq, 94.0, 2024));
    assert!(has(
        &p,
        "communes_criteria_pct",
        Comparator::Maintain,
        100.0,
        2024
    ));
    assert!(has(&p, "srb", Comparator::Eq, 112.5, 2024));
    assert!(has(
        &p,
        "prenatal_screening_pct",
        Comparator::Eq,
        51.0,
        2024
    ));
    assert!(has(&p, "newborn_screening_pct", Comparator::Eq, 69.0, 2024));
    assert!(has(&p, "elderly_checked_pct", Comparator::Eq, 64.0, 2024));
    assert!(has(
        &p,
        "food_poisoning_per_100000",
        Comparator::Lt,
        8.0,
        2024
    ));
    assert!(has(&p, "satisfaction_pct", Comparator::Gt, 90.0, 2024));
    let u5 = p
        .targets
        .iter()
        .find(|t| t.indicator.as_deref() == Some("u5mr"))
        .expect("u5mr");
    assert_eq!(u5.unit, Unit::PerMille, "'%' of a mortality rate read as ‰");
    let amounts: Vec<i64> = p.budget.iter().map(|b| b.amount_vnd).collect();
    for a in [
        1_987_000_000,
        54_000_000,
        2_500_000_000,
        14_676_220_000,
        6_499_220_000,
        8_177_000_000,
        4_020_000_000,
        2_120_000_000,
        2_037_000_000,
    ] {
        assert!(amounts.contains(&a), "amount {a}");
    }
    let parts: i64 = p
        .budget
        .iter()
        .filter(|b| b.parent.as_deref() == Some("IV.2#1"))
        .map(|b| b.amount_vnd)
        .sum();
    assert_eq!(parts, 14_676_220_000, "the two parts add up to the total");
    assert_eq!(
        p.signer.as_ref().and_then(|s| s.name.as_deref()),
        Some("Ngô Vũ Quốc")
    );
    insta::assert_json_snapshot!("seed_002", p);
}

#[test]
fn seed_003_province_quality_plan_has_no_baseline_targets() {
    let p = seed("003_");
    assert_eq!(p.number.as_deref(), Some("193/KH-UBND"));
    assert_eq!(p.date, d(2023, 11, 2));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Quảng Ngãi"));
    assert_eq!(
        bases(&p),
        vec![
            (Some("788/QĐ-BYT"), d(2023, 2, 13)),
            (Some("4106/TTr-SYT"), d(2023, 10, 24))
        ]
    );
    assert_eq!(
        p.legal_bases.first().and_then(|b| b.issuer.as_deref()),
        Some("Bộ trưởng Bộ Y tế")
    );
    // "173 Trạm Y tế", "1.892 cơ sở" are facts, not targets.
    assert!(p
        .targets
        .iter()
        .all(|t| t.value != Some(173.0) && t.value != Some(1892.0) && t.value != Some(547.0)));
    assert!(has(
        &p,
        "stations_with_doctor_pct",
        Comparator::Maintain,
        100.0,
        2025
    ));
    assert!(p
        .reporting
        .iter()
        .all(|r| r.frequency == Some(Frequency::Annual)));
    assert_eq!(
        p.signer.as_ref().and_then(|s| s.name.as_deref()),
        Some("Võ Phiên")
    );
    insta::assert_json_snapshot!("seed_003", p);
}

#[test]
fn seed_004_province_programme_with_two_horizons() {
    let p = seed("004_");
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Kon Tum"));
    assert_eq!(
        bases(&p),
        vec![
            (Some("139/NQ-CP"), d(2017, 12, 31)),
            (Some("54-CTr/TU"), d(2018, 2, 21))
        ]
    );
    for (ind, cmp, v, y) in [
        ("life_expectancy", Comparator::About, 68.5, 2025),
        ("bhyt_coverage", Comparator::Eq, 95.0, 2025),
        ("full_immunization_u1", Comparator::Ge, 95.0, 2025),
        ("stunting_u5", Comparator::Lt, 35.0, 2025),
        ("underweight_u5", Comparator::Lt, 17.0, 2025),
        ("life_expectancy", Comparator::About, 69.5, 2030),
        ("bhyt_coverage", Comparator::Gt, 95.0, 2030),
        ("u5mr", Comparator::Lt, 47.0, 2030),
        ("imr", Comparator::Lt, 30.0, 2030),
        ("stunting_u5", Comparator::Lt, 32.0, 2030),
        ("underweight_u5", Comparator::Lt, 14.0, 2030),
        ("stations_ncd_pct", Comparator::Eq, 95.0, 2025),
        ("health_managed_pct", Comparator::Gt, 90.0, 2025),
        ("health_managed_pct", Comparator::Gt, 95.0, 2030),
        ("beds_per_10000", Comparator::Gt, 38.0, 2025),
        ("beds_per_10000", Comparator::Gt, 46.0, 2030),
        ("satisfaction_pct", Comparator::Gt, 80.0, 2025),
        ("satisfaction_pct", Comparator::Gt, 90.0, 2030),
        ("doctors_per_10000", Comparator::Eq, 11.5, 2025),
        ("pharmacists_per_10000", Comparator::Eq, 1.0, 2025),
        ("nurses_per_10000", Comparator::Eq, 22.0, 2025),
        ("doctors_per_10000", Comparator::Eq, 12.0, 2030),
        ("pharmacists_per_10000", Comparator::Eq, 1.5, 2030),
        ("nurses_per_10000", Comparator::Eq, 25.0, 2030),
    ] {
        assert!(has(&p, ind, cmp, v, y), "{ind} {cmp:?} {v} {y}");
    }
    let r: Vec<_> = p
        .reporting
        .iter()
        .map(|r| {
            (
                r.frequency,
                r.deadline.and_then(|d| d.day),
                r.deadline.and_then(|d| d.month),
            )
        })
        .collect();
    assert_eq!(
        r,
        vec![
            (Some(Frequency::Annual), Some(15), Some(12)),
            (Some(Frequency::Annual), Some(31), Some(12))
        ]
    );
    let t = p
        .tasks
        .iter()
        .find(|t| t.id == "III.6.1#3")
        .expect("task with Năm 2019");
    assert_eq!(
        (t.timeframe.kind, t.timeframe.year),
        (TimeframeKind::Year, Some(2019))
    );
    insta::assert_json_snapshot!("seed_004", p);
}

/// A bound for a hang, not a speed figure: the five seeds take well under
/// a second in a debug build on an idle machine, and more when the tests
/// share two cores with a build (1.6 s was seen). A timed test that fails
/// on a slow machine measures the machine.
#[test]
fn five_seeds_parse_without_hanging() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/seeds");
    let mut texts = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").filter_map(Result::ok) {
        texts.push(std::fs::read_to_string(e.path()).expect("utf-8"));
    }
    let start = std::time::Instant::now();
    for t in &texts {
        let _ = ytcs_plandoc::parse_text("seed.txt", t);
    }
    let secs = start.elapsed().as_secs_f64();
    let kb: f64 = texts.iter().map(|t| t.len() as f64 / 1024.0).sum();
    eprintln!(
        "5 seeds: {kb:.0} KB in {secs:.3} s = {:.0} KB/s",
        kb / secs.max(1e-9)
    );
    assert!(secs < 30.0, "took {secs} s: a hang");
}
