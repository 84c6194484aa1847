use proptest::prelude::*;

use super::derive::{derive, held_communes, keys_of, place, Registers, Window, MONTHLY, YEARLY};
use super::epi::{due_doses, fully_immunized_u1};
use super::*;
use crate::growth::GrowthStandards;
use crate::hierarchy::Hierarchy;
use crate::org::{LineageKind, LineageLink, OrgCode, OrgKind, OrgUnit, ParentLink};
use crate::period::Period;
use crate::validity::Validity;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn today() -> Date {
    d("2026-11-23")
}

fn person(id: i64, sex: Sex, birth: &str, commune: i64) -> Person {
    Person {
        id,
        full_name: "Nguyễn Thị Lan".into(),
        sex,
        birth_date: d(birth),
        ethnicity: "Kinh".into(),
        national_id: None,
        household: None,
        commune: UnitId(commune),
        village: "Thôn 1".into(),
        registered_on: d(birth).max(d("2022-01-01")),
        ehr_opened_on: None,
        death: None,
    }
}

fn ev(id: i64, person: i64, date: &str, kind: EventKind) -> Event {
    Event {
        id,
        person,
        date: d(date),
        unit: UnitId(2),
        kind,
        flags: vec![],
    }
}

fn dose(id: i64, person: i64, date: &str, vaccine: &str, n: u8) -> Event {
    ev(
        id,
        person,
        date,
        EventKind::Immunization {
            vaccine: vaccine.into(),
            dose: n,
        },
    )
}

#[test]
fn card_numbers_are_read_and_refused_by_shape() {
    let c: CardNumber = " gd 451 1234567890".replace(' ', "").parse().unwrap();
    assert_eq!(c.as_str(), "GD4511234567890");
    assert_eq!(c.insurance_code(), "1234567890");
    for bad in [
        "GD451123456789",
        "G14511234567890",
        "GD6511234567890",
        "GD4001234567890",
        "GD45112345678901",
        "",
    ] {
        let e = bad.parse::<CardNumber>().unwrap_err();
        assert_eq!(e.field, "card_number", "{bad}");
        assert!(e.message_vi.contains("mã thẻ BHYT"));
    }
}

#[test]
fn national_ids_must_match_sex_and_birth_year() {
    assert!(check_national_id("051190001234", Sex::Female, d("1990-03-01")).is_ok());
    assert!(check_national_id("051090001234", Sex::Male, d("1990-03-01")).is_ok());
    assert!(check_national_id("051218001234", Sex::Female, d("2018-03-01")).is_err());
    assert!(check_national_id("051318001234", Sex::Female, d("2018-03-01")).is_ok());
    let e = check_national_id("05119000123", Sex::Female, d("1990-03-01")).unwrap_err();
    assert_eq!(e.field, "national_id");
}

#[test]
fn a_birth_date_in_the_future_is_refused_naming_the_field() {
    let mut p = person(1, Sex::Male, "2020-01-01", 2);
    p.birth_date = d("2027-01-01");
    p.registered_on = d("2027-01-01");
    let e = check_person(&p, today()).unwrap_err();
    assert_eq!(e.field, "birth_date");
    assert!(e.message_vi.contains("ngày sinh"));
    let mut p = person(1, Sex::Male, "2020-01-01", 2);
    p.ethnicity = "hre".into();
    p.full_name = "  Đinh   Văn  Hùng ".into();
    let ok = check_person(&p, today()).unwrap();
    assert_eq!(ok.ethnicity, "Hrê");
    assert_eq!(ok.full_name, "Đinh Văn Hùng");
    p.ethnicity = "Martian".into();
    assert_eq!(check_person(&p, today()).unwrap_err().field, "ethnicity");
}

#[test]
fn doses_must_come_in_order_and_apart() {
    let p = person(1, Sex::Male, "2026-01-01", 2);
    let d1 = dose(10, 1, "2026-03-02", "penta", 1);
    // Dose 2 without dose 1.
    let e = check_event(&dose(11, 1, "2026-04-02", "penta", 2), &p, &[], today()).unwrap_err();
    assert_eq!(e.field, "dose");
    assert!(e.message.contains("out of order"));
    // Dose 2 ten days after dose 1.
    let e = check_event(
        &dose(11, 1, "2026-03-12", "penta", 2),
        &p,
        std::slice::from_ref(&d1),
        today(),
    )
    .unwrap_err();
    assert_eq!(e.field, "date");
    // Dose 1 dated after a recorded dose 2.
    let d2 = dose(11, 1, "2026-04-02", "penta", 2);
    let e = check_event(&dose(12, 1, "2026-05-02", "penta", 1), &p, &[d2], today()).unwrap_err();
    assert_eq!(e.field, "dose");
    // Fine.
    assert!(check_event(
        &dose(11, 1, "2026-04-02", "penta", 2),
        &p,
        std::slice::from_ref(&d1),
        today()
    )
    .is_ok());
    // Twice the same dose, an unknown vaccine, a dose the schedule lacks.
    assert!(check_event(&dose(13, 1, "2026-04-02", "penta", 1), &p, &[d1], today()).is_err());
    assert_eq!(
        check_event(&dose(14, 1, "2026-04-02", "xyz", 1), &p, &[], today())
            .unwrap_err()
            .field,
        "vaccine"
    );
    assert_eq!(
        check_event(&dose(14, 1, "2026-04-02", "bcg", 2), &p, &[], today())
            .unwrap_err()
            .field,
        "dose"
    );
    // Too young for the first pentavalent dose.
    assert!(check_event(&dose(15, 1, "2026-01-10", "penta", 1), &p, &[], today()).is_err());
}

#[test]
fn impossible_values_are_refused_and_dates_checked() {
    let p = person(1, Sex::Female, "2024-01-01", 2);
    let m = |w: f64, h: f64| {
        ev(
            1,
            1,
            "2025-06-01",
            EventKind::Measurement {
                weight_kg: Some(w),
                height_cm: Some(h),
                lying: true,
            },
        )
    };
    assert_eq!(
        check_event(&m(300.0, 80.0), &p, &[], today())
            .unwrap_err()
            .field,
        "weight_kg"
    );
    assert_eq!(
        check_event(&m(10.0, 500.0), &p, &[], today())
            .unwrap_err()
            .field,
        "height_cm"
    );
    assert!(check_event(&m(10.0, 80.0), &p, &[], today()).is_ok());
    let future = ev(2, 1, "2027-01-01", EventKind::ElderlyCheck);
    assert_eq!(
        check_event(&future, &p, &[], today()).unwrap_err().field,
        "date"
    );
    let young = ev(3, 1, "2025-01-01", EventKind::ElderlyCheck);
    assert!(check_event(&young, &p, &[], today()).is_err());
    let bp = ev(
        4,
        1,
        "2025-01-01",
        EventKind::NcdFollowUp {
            ncd: Ncd::Hypertension,
            systolic: Some(80.0),
            diastolic: Some(120.0),
            glucose: None,
        },
    );
    assert_eq!(
        check_event(&bp, &p, &[], today()).unwrap_err().field,
        "diastolic"
    );
    let visit = ev(
        5,
        1,
        "2025-01-01",
        EventKind::AntenatalVisit { pregnancy: 99 },
    );
    assert_eq!(
        check_event(&visit, &p, &[], today()).unwrap_err().field,
        "pregnancy"
    );
    let exam = ev(
        6,
        1,
        "2025-01-01",
        EventKind::Examination {
            icd10: "j06.9".into(),
            insured: true,
        },
    );
    let ok = check_event(&exam, &p, &[], today()).unwrap();
    assert!(matches!(ok.kind, EventKind::Examination { ref icd10, .. } if icd10 == "J06.9"));
}

#[test]
fn control_is_below_140_90_and_7_mmol() {
    let f = |s, d, g| EventKind::NcdFollowUp {
        ncd: if g > 0.0 {
            Ncd::Diabetes
        } else {
            Ncd::Hypertension
        },
        systolic: Some(s),
        diastolic: Some(d),
        glucose: (g > 0.0).then_some(g),
    };
    assert_eq!(controlled(&f(135.0, 85.0, 0.0)), Some(true));
    assert_eq!(controlled(&f(145.0, 85.0, 0.0)), Some(false));
    assert_eq!(controlled(&f(0.0, 0.0, 6.5)), Some(true));
    assert_eq!(controlled(&f(0.0, 0.0, 8.0)), Some(false));
}

fn full_series(person: i64, birth: &str) -> Vec<Event> {
    let b = d(birth);
    let at = |days: i64| (b + chrono::Duration::days(days)).to_string();
    let mut v = vec![dose(1, person, &at(1), "bcg", 1)];
    for (i, day) in [61, 92, 123].iter().enumerate() {
        v.push(dose(10 + i as i64, person, &at(*day), "penta", i as u8 + 1));
        v.push(dose(20 + i as i64, person, &at(*day), "opv", i as u8 + 1));
    }
    v.push(dose(30, person, &at(152), "ipv", 1));
    v.push(dose(31, person, &at(275), "measles", 1));
    v
}

#[test]
fn fully_immunized_needs_every_counted_dose_before_the_first_birthday() {
    let b = d("2025-01-10");
    let all = full_series(1, "2025-01-10");
    assert!(fully_immunized_u1(b, &all));
    let without_measles: Vec<Event> = all
        .iter()
        .filter(
            |e| !matches!(&e.kind, EventKind::Immunization { vaccine, .. } if vaccine == "measles"),
        )
        .cloned()
        .collect();
    assert!(!fully_immunized_u1(b, &without_measles));
    let mut late = without_measles.clone();
    late.push(dose(31, 1, "2026-01-10", "measles", 1));
    assert!(!fully_immunized_u1(b, &late), "on the birthday is too late");
    // Due: a child of 70 days with nothing given is due BCG, HepB0, penta 1, OPV 1.
    let due = due_doses(b, &[], b + chrono::Duration::days(70));
    let codes: Vec<&str> = due.iter().map(|x| x.vaccine).collect();
    assert_eq!(codes, ["bcg", "hepb0", "penta", "opv"]);
    // After penta 1 on day 61, penta 2 is due from day 89 (61 + 28) or the
    // schedule's day 90, whichever later.
    let due = due_doses(b, &[dose(5, 1, "2025-03-12", "penta", 1)], d("2025-06-01"));
    let p2 = due.iter().find(|x| x.vaccine == "penta").unwrap();
    assert_eq!((p2.dose, p2.due_on), (2, d("2025-04-10")));
}

fn unit(id: i64, kind: OrgKind, v: Validity) -> OrgUnit {
    OrgUnit {
        id: UnitId(id),
        code: OrgCode::parse(&format!("u{id}")).unwrap(),
        name: format!("Unit {id}"),
        kind,
        validity: v,
    }
}

/// Province 1; communes 2 and 3 until 2025-06-30, merged into 4 from
/// 2025-07-01.
fn h() -> Hierarchy {
    let reform = d("2025-07-01");
    let old = Validity::until(d("2025-06-30"));
    let units = vec![
        unit(1, OrgKind::Province, Validity::default()),
        unit(2, OrgKind::Commune, old),
        unit(3, OrgKind::Commune, old),
        unit(4, OrgKind::Commune, Validity::since(reform)),
    ];
    let links = vec![
        ParentLink {
            child: UnitId(2),
            parent: UnitId(1),
            validity: old,
        },
        ParentLink {
            child: UnitId(3),
            parent: UnitId(1),
            validity: old,
        },
        ParentLink {
            child: UnitId(4),
            parent: UnitId(1),
            validity: Validity::since(reform),
        },
    ];
    let lineage = [2, 3]
        .map(|p| LineageLink {
            predecessor: UnitId(p),
            successor: UnitId(4),
            date: reform,
            kind: LineageKind::Merge,
            weight: 1.0,
            note: None,
        })
        .to_vec();
    Hierarchy::new(units, links, lineage).unwrap()
}

fn value(
    out: &[super::derive::DerivedValue],
    unit: i64,
    period: Period,
    element: &str,
    disagg: &str,
) -> Option<i64> {
    out.iter()
        .find(|v| {
            v.unit == UnitId(unit)
                && v.period == period
                && v.element == element
                && v.disagg == disagg
        })
        .map(|v| v.value)
}

#[test]
fn a_merged_communes_people_count_under_the_new_commune_from_the_reform() {
    let h = h();
    assert_eq!(place(&h, UnitId(2), d("2025-06-30")), Some(UnitId(2)));
    assert_eq!(place(&h, UnitId(2), d("2025-07-31")), Some(UnitId(4)));
    assert_eq!(place(&h, UnitId(4), d("2025-01-31")), None);
}

#[test]
fn the_commune_that_took_a_merged_one_over_holds_its_persons() {
    let h = h();
    let held = |holders: &[i64], day: &str| {
        let set = holders.iter().map(|&u| UnitId(u)).collect();
        held_communes(&h, &set, d(day))
    };
    assert_eq!(held(&[4], "2026-12-01"), [UnitId(2), UnitId(3), UnitId(4)]);
    // Before the reform, the old communes hold only themselves.
    assert_eq!(held(&[2], "2025-01-01"), [UnitId(2)]);
    assert_eq!(held(&[4], "2025-06-30"), [UnitId(4)]);
}

#[test]
fn derivation_counts_births_deaths_immunization_and_stocks() {
    let h = h();
    // A girl born in commune 2 on 2025-01-10, fully immunized.
    let mut girl = person(1, Sex::Female, "2025-01-10", 2);
    girl.ehr_opened_on = Some(d("2025-01-10"));
    let mut events = vec![ev(
        100,
        1,
        "2025-01-10",
        EventKind::Birth {
            weight_g: Some(3100.0),
            screened: true,
            mother: None,
            place: None,
        },
    )];
    events.extend(full_series(1, "2025-01-10"));
    // A man of 70 in commune 3, insured, checked in 2025, died 2026-02-03.
    let mut old = person(2, Sex::Male, "1955-05-05", 3);
    old.ehr_opened_on = Some(d("2022-01-01"));
    old.death = Some(Death {
        date: d("2026-02-03"),
        cause: None,
    });
    events.push(ev(200, 2, "2025-03-01", EventKind::ElderlyCheck));
    events.push(ev(
        201,
        2,
        "2024-01-01",
        EventKind::NcdEnrolment {
            ncd: Ncd::Hypertension,
        },
    ));
    events.push(ev(
        202,
        2,
        "2025-12-01",
        EventKind::NcdFollowUp {
            ncd: Ncd::Hypertension,
            systolic: Some(150.0),
            diastolic: Some(95.0),
            glucose: None,
        },
    ));
    events.sort_by_key(|e| (e.person, e.date));
    let cards = vec![InsuranceCard {
        id: 1,
        person: 2,
        number: "HT3511234567890".into(),
        valid_from: d("2025-01-01"),
        valid_to: d("2025-12-31"),
    }];
    let r = Registers {
        persons: vec![girl, old],
        moves: vec![],
        cards,
        events,
    };
    let w = Window {
        from_year: 2025,
        through: Period::Month(2026, 10),
    };
    let out = derive(&h, &GrowthStandards::default(), &r, w);
    let jan = Period::Month(2025, 1);
    assert_eq!(value(&out, 2, jan, "live_births", "f"), Some(1));
    assert_eq!(value(&out, 2, jan, "live_births", "m"), Some(0));
    assert_eq!(value(&out, 2, jan, "newborns_screened", ""), Some(1));
    // First birthday 2026-01-10, under the merged commune 4.
    let jan26 = Period::Month(2026, 1);
    assert_eq!(value(&out, 4, jan26, "children_age1", ""), Some(1));
    assert_eq!(
        value(&out, 4, jan26, "children_age1_fully_immunized", ""),
        Some(1)
    );
    // The man died at 70 in February 2026, counted under commune 4.
    assert_eq!(
        value(&out, 4, Period::Month(2026, 2), "deaths", "m.70-74"),
        Some(1)
    );
    assert_eq!(
        value(&out, 4, Period::Month(2026, 2), "deaths", "f.0"),
        Some(0)
    );
    // Stocks on 2025-12-31 under commune 4.
    let y25 = Period::Year(2025);
    assert_eq!(value(&out, 4, y25, "insured_persons", ""), Some(1));
    assert_eq!(value(&out, 4, y25, "ehr_persons", ""), Some(2));
    assert_eq!(value(&out, 4, y25, "managed_persons", ""), Some(2));
    assert_eq!(value(&out, 4, y25, "elderly_60plus", ""), Some(1));
    assert_eq!(value(&out, 4, y25, "elderly_checked", ""), Some(1));
    assert_eq!(value(&out, 4, y25, "hypertension_known", ""), Some(1));
    assert_eq!(
        value(&out, 4, y25, "hypertension_managed_persons", ""),
        Some(1)
    );
    // The lowest month-end count of residents: 2 over July–December 2025
    // (commune 4's months), 1 in 2026 (the man died in February); none
    // for commune 2, ended within 2025 (commune 4 answers for the year).
    assert_eq!(value(&out, 4, y25, "registered_residents_low", ""), Some(2));
    assert_eq!(
        value(&out, 4, Period::Year(2026), "registered_residents_low", ""),
        Some(1)
    );
    assert_eq!(value(&out, 2, y25, "registered_residents_low", ""), None);
    // 2026 (through October): the man is dead, the card expired.
    let y26 = Period::Year(2026);
    assert_eq!(value(&out, 4, y26, "elderly_60plus", ""), Some(0));
    assert_eq!(value(&out, 4, y26, "insured_persons", ""), Some(0));
    // Zeros are data: every month of the window for communes that appeared,
    // where they exist; nothing for months after the window.
    let keys: usize = MONTHLY.iter().map(|e| keys_of(e).len()).sum();
    let c4_months = out
        .iter()
        .filter(|v| v.unit == UnitId(4) && matches!(v.period, Period::Month(..)))
        .count();
    assert_eq!(
        c4_months,
        keys * 16 + 1,
        "July 2025 to October 2026, and the one death at 70"
    );
    let c2_months = out
        .iter()
        .filter(|v| v.unit == UnitId(2) && matches!(v.period, Period::Month(..)))
        .count();
    assert_eq!(c2_months, keys * 6, "January to June 2025");
    assert!(out.iter().all(|v| v.period.start() <= d("2026-10-01")));
    let c4_years = out
        .iter()
        .filter(|v| v.unit == UnitId(4) && matches!(v.period, Period::Year(_)))
        .count();
    assert_eq!(c4_years, YEARLY.len() * 2);
    // Deterministic.
    assert_eq!(out, derive(&h, &GrowthStandards::default(), &r, w));
}

#[test]
fn a_register_begun_within_the_year_is_short_in_its_first_months() {
    let h = h();
    // Commune 4 from the reform: one person registered from the start,
    // another only from 2026-05-20.
    let mut late = person(2, Sex::Male, "1990-01-01", 4);
    late.registered_on = d("2026-05-20");
    let mut early = person(1, Sex::Female, "1990-01-01", 4);
    early.registered_on = d("2025-07-01");
    let r = Registers {
        persons: vec![early, late],
        ..Registers::default()
    };
    let w = Window {
        from_year: 2025,
        through: Period::Month(2026, 10),
    };
    let out = derive(&h, &GrowthStandards::default(), &r, w);
    let y26 = Period::Year(2026);
    assert_eq!(value(&out, 4, y26, "registered_residents", ""), Some(2));
    assert_eq!(
        value(&out, 4, y26, "registered_residents_low", ""),
        Some(1),
        "January to April 2026 held one of the two"
    );
}

/// The values derived from persons and their events (no moves, no
/// cards) for the months of one year.
fn derive_year(
    h: &Hierarchy,
    std: &GrowthStandards,
    persons: Vec<Person>,
    mut events: Vec<Event>,
    year: i32,
) -> Vec<super::derive::DerivedValue> {
    events.sort_by_key(|e| (e.person, e.date));
    let r = Registers {
        persons,
        moves: vec![],
        cards: vec![],
        events,
    };
    let w = Window {
        from_year: year,
        through: Period::Month(year, 12),
    };
    derive(h, std, &r, w)
}

/// A weight-for-age table for girls, flat at 15 kg from birth to 61
/// months: enough for a measurement to count.
fn flat_standards() -> GrowthStandards {
    let mut s = GrowthStandards::default();
    s.girls.weight_for_age.rows = [0.0, 61.0]
        .iter()
        .map(|&key| crate::growth::Lms {
            key,
            l: 1.0,
            m: 15.0,
            s: 0.1,
        })
        .collect();
    s
}

#[test]
fn under_five_ends_on_the_fifth_birthday_not_after_1826_days() {
    let h = h();
    let girl = |id: i64| person(id, Sex::Female, "2019-06-15", 2);
    let weigh = |id: i64, person: i64, date: &str| {
        ev(
            id,
            person,
            date,
            EventKind::Measurement {
                weight_kg: Some(15.0),
                height_cm: None,
                lying: false,
            },
        )
    };
    let mut a = girl(1);
    let mut b = girl(2);
    a.registered_on = d("2019-06-15");
    b.registered_on = d("2019-06-15");
    // 2024-06-14 is 1,826 days after her birth (two 29 Februaries) and
    // the day before her fifth birthday.
    let events = vec![weigh(10, 1, "2024-06-14"), weigh(20, 2, "2024-06-15")];
    let out = derive_year(&h, &flat_standards(), vec![a, b], events, 2024);
    assert_eq!(
        value(&out, 2, Period::Month(2024, 6), "children_u5_measured", ""),
        Some(1),
        "the day before the fifth birthday counts, the birthday does not"
    );
}

#[test]
fn a_child_born_on_29_february_turns_one_on_1_march() {
    let h = h();
    let mut p = person(1, Sex::Female, "2024-02-29", 2);
    p.registered_on = d("2024-02-29");
    // Every counted dose, the measles dose on 28 February 2025: still
    // before the first birthday.
    let mut events: Vec<Event> = full_series(1, "2024-02-29")
        .into_iter()
        .filter(
            |e| !matches!(&e.kind, EventKind::Immunization { vaccine, .. } if vaccine == "measles"),
        )
        .collect();
    events.push(dose(31, 1, "2025-02-28", "measles", 1));
    assert!(fully_immunized_u1(d("2024-02-29"), &events));
    let out = derive_year(&h, &GrowthStandards::default(), vec![p], events, 2025);
    for (month, element, want) in [
        (2, "children_age1", 0),
        (3, "children_age1", 1),
        (3, "children_age1_fully_immunized", 1),
    ] {
        let got = value(&out, 2, Period::Month(2025, month), element, "");
        assert_eq!(got, Some(want), "{element} in month {month}");
    }
}

#[test]
fn age_checks_take_the_birthday_the_day_before_and_the_day() {
    // Growth is monitored before the sixth birthday.
    let child = person(1, Sex::Female, "2020-02-29", 2);
    let weigh = |date: &str| {
        ev(
            1,
            1,
            date,
            EventKind::Measurement {
                weight_kg: Some(20.0),
                height_cm: None,
                lying: false,
            },
        )
    };
    assert!(check_event(&weigh("2026-02-28"), &child, &[], today()).is_ok());
    assert_eq!(
        check_event(&weigh("2026-03-01"), &child, &[], today())
            .unwrap_err()
            .field,
        "date"
    );
    // Checks of the elderly from the sixtieth birthday.
    let elder = person(2, Sex::Male, "1964-02-29", 2);
    let check = |date: &str| ev(2, 2, date, EventKind::ElderlyCheck);
    assert!(check_event(&check("2024-02-28"), &elder, &[], today()).is_err());
    assert!(check_event(&check("2024-02-29"), &elder, &[], today()).is_ok());
    let elder = person(3, Sex::Male, "1965-03-01", 2);
    let check = |date: &str| ev(3, 3, date, EventKind::ElderlyCheck);
    assert!(check_event(&check("2025-02-28"), &elder, &[], today()).is_err());
    assert!(check_event(&check("2025-03-01"), &elder, &[], today()).is_ok());
}

#[test]
fn doses_are_due_on_month_birthdays_and_allowed_18_days_before() {
    // Born 31 December: two months old on 1 March (February has no 31st).
    let b = d("2025-12-31");
    let p = person(1, Sex::Male, "2025-12-31", 2);
    let due = due_doses(b, &[dose(1, 1, "2025-12-31", "bcg", 1)], d("2026-03-01"));
    let penta = due.iter().find(|x| x.vaccine == "penta").unwrap();
    assert_eq!(penta.due_on, d("2026-03-01"));
    assert!(due_doses(b, &[], d("2026-02-28"))
        .iter()
        .all(|x| x.vaccine != "penta"));
    // First allowed 18 days before, with 4 days of grace: 7 February.
    assert_eq!(
        super::epi::vaccine("penta").unwrap().first_allowed(b),
        d("2026-02-11")
    );
    assert!(check_event(&dose(2, 1, "2026-02-07", "penta", 1), &p, &[], today()).is_ok());
    let e = check_event(&dose(2, 1, "2026-02-06", "penta", 1), &p, &[], today()).unwrap_err();
    assert_eq!(e.field, "date");
    assert!(e.message_vi.contains("11/02/2026"), "{}", e.message_vi);
    // Japanese encephalitis dose 2: twelve months and fourteen days.
    let je = super::epi::vaccine("je").unwrap();
    assert_eq!(je.ages[1].on(b), d("2027-01-14"));
}

#[test]
fn residence_follows_moves_and_registration() {
    let mut p = person(1, Sex::Male, "1990-01-01", 3);
    p.registered_on = d("2023-01-01");
    let moves = vec![Move {
        id: 1,
        person: 1,
        date: d("2024-05-01"),
        from: Some(UnitId(2)),
        to: Some(UnitId(3)),
    }];
    assert_eq!(residence_on(&p, &moves, d("2022-12-31")), None);
    assert_eq!(residence_on(&p, &moves, d("2024-04-30")), Some(UnitId(2)));
    assert_eq!(residence_on(&p, &moves, d("2024-05-01")), Some(UnitId(3)));
    let away = vec![Move {
        id: 2,
        person: 1,
        date: d("2025-01-01"),
        from: Some(UnitId(3)),
        to: None,
    }];
    assert_eq!(residence_on(&p, &away, d("2025-02-01")), None);
}

#[test]
fn duplicates_are_the_same_folded_name_and_birth() {
    let a = person(1, Sex::Female, "1990-02-03", 2);
    let mut b = person(-1, Sex::Female, "1990-02-03", 2);
    b.full_name = "nguyen thi lan".into();
    assert!(looks_like_duplicate(&b, &a));
    b.birth_date = d("1990-07-01");
    assert!(!looks_like_duplicate(&b, &a));
    b.household = Some(5);
    let mut a2 = a.clone();
    a2.household = Some(5);
    assert!(looks_like_duplicate(&b, &a2));
}

proptest! {
    #[test]
    fn card_parsing_never_panics_and_valid_numbers_round_trip(
        s in "\\PC{0,20}",
        g in "[A-Z]{2}", lvl in 1u8..=5, prov in 1u8..=99, rest in "[0-9]{10}",
    ) {
        let _ = s.parse::<CardNumber>();
        let n = format!("{g}{lvl}{prov:02}{rest}");
        let c: CardNumber = n.to_lowercase().parse().unwrap();
        prop_assert_eq!(c.as_str(), n.as_str());
    }

    #[test]
    fn icd10_and_national_id_checks_never_panic(s in "\\PC{0,16}") {
        let _ = check_icd10(&s, "icd10");
        let _ = check_national_id(&s, Sex::Male, d("2000-01-01"));
    }
}

#[test]
fn due_lists_name_children_with_doses_due_and_hypertension_not_followed_for_a_month() {
    use super::due::due_lists;
    use std::collections::BTreeSet;
    let mut baby = person(1, Sex::Female, "2026-09-20", 2);
    baby.full_name = "B".into();
    let mut dead_baby = person(2, Sex::Male, "2026-09-20", 2);
    dead_baby.death = Some(Death {
        date: d("2026-10-01"),
        cause: None,
    });
    let mut elsewhere = person(3, Sex::Male, "2026-09-20", 9);
    elsewhere.full_name = "C".into();
    let mut old = person(4, Sex::Male, "1950-01-01", 2);
    old.full_name = "A".into();
    let mut followed = person(5, Sex::Male, "1950-01-01", 2);
    followed.full_name = "D".into();
    let mut three = person(6, Sex::Male, "2023-01-01", 2);
    three.full_name = "E".into();
    let enrol = |id, p| {
        ev(
            id,
            p,
            "2025-01-01",
            EventKind::NcdEnrolment {
                ncd: Ncd::Hypertension,
            },
        )
    };
    let follow = |id, p, date| {
        ev(
            id,
            p,
            date,
            EventKind::NcdFollowUp {
                ncd: Ncd::Hypertension,
                systolic: Some(130.0),
                diastolic: Some(85.0),
                glucose: None,
            },
        )
    };
    let events = vec![
        enrol(10, 4),
        follow(11, 4, "2026-10-01"),
        enrol(12, 5),
        follow(13, 5, "2026-11-01"),
    ];
    let persons = vec![baby, dead_baby, elsewhere, old, followed, three];
    let lists = due_lists(&persons, &events, &BTreeSet::from([UnitId(2)]), today());
    assert_eq!(
        lists
            .immunization
            .iter()
            .map(|(p, _)| p.id)
            .collect::<Vec<_>>(),
        [1],
        "a living child under two of the communes asked"
    );
    assert!(!lists.immunization[0].1.is_empty());
    // Followed up on 1 October: more than a month before 23 November.
    assert_eq!(
        lists
            .hypertension
            .iter()
            .map(|(p, last)| (p.id, *last))
            .collect::<Vec<_>>(),
        [(4, Some(d("2026-10-01")))]
    );
}
