//! Statutory forms filled from a generated population on a real SQLite
//! store: every cell of the station's monthly form that counts records
//! (births, newborns screened, deaths by sex and age, pregnancies ended
//! and screened, children reaching one) equals a count this test makes
//! itself over the records read back — deaths also over the FHIR export;
//! the district/province forms are their communes added up; June 2025 is
//! reported on Thông tư 37/2019 and July 2025 on Thông tư 23/2025.
//!
//! Not recounted here: the growth z-scores behind the under-five cells and
//! the immunization schedule behind "fully immunized" (their rules have
//! their own tests in `ytcs-core::register`); the cells are checked to be
//! present and reliable-flagged like the others.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_core::register::age::birthday;
use ytcs_core::register::derive::place;
use ytcs_core::register::{age_on, EventKind, Move, Person};
use ytcs_core::Date;
use ytcs_engine::statutory::{bundled, fill, FilledForm};
use ytcs_store::{Store, StoreConfig};

fn today() -> Date {
    "2026-11-23".parse().unwrap()
}

struct World {
    s: Arc<dyn Store>,
    h: Hierarchy,
    communes: Vec<OrgUnit>,
    _dir: tempfile::TempDir,
}

/// 2,500 persons of province 51 in three of today's communes, derived.
async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let s = ytcs_store::open_initialised(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    let h = s.hierarchy().await.unwrap();
    let province = h
        .unit_at(&OrgCode::parse("51").unwrap(), today())
        .unwrap()
        .id;
    let mut communes: Vec<OrgUnit> = h
        .communes_under(province, today())
        .into_iter()
        .cloned()
        .collect();
    communes.sort_by_key(|u| u.code.to_string());
    communes.truncate(3);
    let ids: Vec<UnitId> = communes.iter().map(|u| u.id).collect();
    let g = ytcs_synth::generate::generate_in(&h, &ids, 2500, 7, today()).unwrap();
    ytcs_store::raw::writes(&*s)
        .bulk_load(&g.batch, "system")
        .await
        .unwrap();
    ytcs_engine::registers::sync(s.as_ref(), &h, None, "system", today())
        .await
        .unwrap();
    World {
        s,
        h,
        communes,
        _dir: dir,
    }
}

/// The test's own count: `(commune, month, row, column)` → n.
type Counts = HashMap<(UnitId, Period, &'static str, &'static str), f64>;

fn residence(p: &Person, moves: &[&Move], day: Date) -> Option<UnitId> {
    if day < p.registered_on {
        return None;
    }
    let mut at = moves.first().map_or(Some(p.commune), |m| m.from);
    for m in moves {
        if m.date <= day {
            at = m.to;
        }
    }
    at
}

fn month(d: Date) -> Period {
    use chrono::Datelike;
    Period::Month(d.year(), d.month() as u8)
}

async fn recount(w: &World) -> Counts {
    let r = w.s.registers(None).await.unwrap();
    let mut moves: HashMap<i64, Vec<&Move>> = HashMap::new();
    for m in &r.moves {
        moves.entry(m.person).or_default().push(m);
    }
    for v in moves.values_mut() {
        v.sort_by_key(|m| (m.date, m.id));
    }
    let mut out = Counts::new();
    let mut add = |commune: Option<UnitId>, day: Date, row: &'static str, sex: Option<Sex>| {
        let Some(u) = commune.and_then(|c| place(&w.h, c, day)) else {
            return;
        };
        let m = month(day);
        *out.entry((u, m, row, "total")).or_default() += 1.0;
        if let Some(s) = sex {
            let col = if s == Sex::Male { "m" } else { "f" };
            *out.entry((u, m, row, col)).or_default() += 1.0;
        }
    };
    let none: Vec<&Move> = vec![];
    let persons: HashMap<i64, &Person> = r.persons.iter().map(|p| (p.id, p)).collect();
    for p in &r.persons {
        let pm = moves.get(&p.id).unwrap_or(&none);
        if let Some(d) = &p.death {
            let c = residence(p, pm, d.date);
            add(c, d.date, "3", Some(p.sex));
            match age_on(p.birth_date, d.date) {
                0 => add(c, d.date, "3.1", Some(p.sex)),
                1..=4 => add(c, d.date, "3.2", Some(p.sex)),
                _ => {}
            }
        }
        let b1 = birthday(p.birth_date, 1);
        if p.death.as_ref().is_none_or(|d| d.date > b1) {
            add(residence(p, pm, b1), b1, "6", None);
        }
    }
    for e in &r.events {
        let p = persons[&e.person];
        let pm = moves.get(&p.id).unwrap_or(&none);
        match &e.kind {
            EventKind::Birth { screened, .. } => {
                let c = residence(p, pm, e.date).or(Some(p.commune));
                add(c, e.date, "1", Some(p.sex));
                if *screened {
                    add(c, e.date, "2", None);
                }
            }
            EventKind::Pregnancy {
                ended: Some(end),
                outcome: Some(_),
                screened,
                ..
            } => {
                let c = residence(p, pm, *end);
                add(c, *end, "4", None);
                if *screened {
                    add(c, *end, "5", None);
                }
            }
            _ => {}
        }
    }
    out
}

/// Deaths by commune and month, read from the FHIR export of each commune
/// (Patient.deceasedDateTime): persons stay under their commune, and the
/// dead do not move.
async fn fhir_deaths(w: &World) -> BTreeMap<(String, Period), f64> {
    let mut out = BTreeMap::new();
    for u in &w.communes {
        let e =
            ytcs_engine::fhir_registers::commune_export(&w.h, &u.code.to_string(), None, today())
                .unwrap();
        let records = ytcs_engine::fhir_registers::commune_records(w.s.as_ref(), &e.communes)
            .await
            .unwrap();
        let bundle = ytcs_engine::fhir_registers::person_bundle(&records, &w.h);
        for entry in bundle["entry"].as_array().unwrap() {
            let r = &entry["resource"];
            if r["resourceType"] != "Patient" {
                continue;
            }
            if let Some(d) = r["deceasedDateTime"].as_str() {
                let day: Date = d[..10].parse().unwrap();
                *out.entry((u.code.to_string(), month(day))).or_default() += 1.0;
            }
        }
    }
    out
}

fn months() -> Vec<Period> {
    let mut out = vec![];
    let mut p = Period::Month(2025, 7);
    while p.end() < today() {
        out.push(p);
        p = p.next();
    }
    out
}

async fn commune_form(w: &World, u: &OrgUnit, p: Period) -> FilledForm {
    let def = bundled().for_period("commune_monthly", p).unwrap();
    fill(w.s.as_ref(), &w.h, def, u, p, today()).await.unwrap()
}

#[tokio::test]
async fn every_counted_cell_of_the_station_form_equals_the_records_and_the_fhir_export() {
    let w = world().await;
    let counts = recount(&w).await;
    let deaths = fhir_deaths(&w).await;
    let mut checked = 0;
    let mut nonzero = 0;
    let mut compiled: HashMap<(Period, String, String), f64> = HashMap::new();
    for u in &w.communes {
        for p in months() {
            let f = commune_form(&w, u, p).await;
            assert_eq!(f.circular, "23/2025/TT-BYT");
            assert_eq!(f.org, u.code.to_string());
            for c in f.cells() {
                *compiled
                    .entry((p, c.row.clone(), c.column.clone()))
                    .or_default() += c.value.unwrap_or(0.0);
                let row: &str = &c.row;
                if !["1", "2", "3", "3.1", "3.2", "4", "5", "6"].contains(&row) {
                    continue;
                }
                let col: &str = &c.column;
                let want = counts
                    .iter()
                    .find(|(k, _)| k.0 == u.id && k.1 == p && k.2 == row && k.3 == col)
                    .map(|(_, v)| *v)
                    .unwrap_or(0.0);
                // Zeros are data: a commune with registers has every cell.
                let got = c
                    .value
                    .unwrap_or_else(|| panic!("{} {p} row {row} {col}: no value", u.code));
                assert_eq!(
                    got, want,
                    "{} {p} row {row} column {col} ({})",
                    u.code, c.formula
                );
                assert_eq!(c.computed, "registers");
                checked += 1;
                if want > 0.0 {
                    nonzero += 1;
                }
                if row == "3" && col == "total" {
                    let exported = deaths.get(&(u.code.to_string(), p)).copied().unwrap_or(0.0);
                    assert_eq!(
                        got, exported,
                        "{} {p}: deaths against the FHIR export",
                        u.code
                    );
                }
            }
            let food = f.cell("9", "total").unwrap();
            assert_eq!(food.computed, "entered");
        }
    }
    assert!(
        checked > 700 && nonzero > 150,
        "{checked} cells checked, {nonzero} not zero"
    );
    // The province's form is its communes' forms added up (the three
    // communes are the only ones with data).
    let province =
        w.h.unit_at(&OrgCode::parse("51").unwrap(), today())
            .unwrap()
            .clone();
    for p in [Period::Month(2025, 9), Period::Month(2026, 3)] {
        let def = bundled().for_period("province_monthly", p).unwrap();
        let f = fill(w.s.as_ref(), &w.h, def, &province, p, today())
            .await
            .unwrap();
        for c in f.cells().filter(|c| c.computed == "registers") {
            assert_eq!(
                c.value.unwrap_or(0.0),
                compiled[&(p, c.row.clone(), c.column.clone())],
                "province {p} row {} {}",
                c.row,
                c.column
            );
        }
    }
}

#[tokio::test]
async fn june_2025_is_reported_on_circular_37_and_july_on_circular_23() {
    let forms = bundled();
    let june = forms
        .for_period("commune_monthly", Period::Month(2025, 6))
        .unwrap();
    let july = forms
        .for_period("commune_monthly", Period::Month(2025, 7))
        .unwrap();
    assert_eq!(
        (june.circular.as_str(), june.code.as_str()),
        ("37/2019/TT-BYT", "1/BCX")
    );
    assert_eq!(
        (july.circular.as_str(), july.code.as_str()),
        ("23/2025/TT-BYT", "1/TYT")
    );
    // No district form after the reform; the district's before it.
    assert!(forms
        .for_period("district_monthly", Period::Month(2025, 7))
        .is_err());
    assert_eq!(
        forms
            .for_period("district_monthly", Period::Month(2025, 6))
            .unwrap()
            .due_working_days,
        15
    );
    // Due five working days after June 2025: 1–7 July (Mon–Mon).
    assert_eq!(
        june.due(Period::Month(2025, 6)),
        "2025-07-07".parse::<Date>().unwrap()
    );
    // The units of the period's last day: a June 2025 commune form of a
    // commune merged on 1 July is that commune's own.
    let w = world().await;
    let old =
        w.h.units()
            .iter()
            .filter(|u| {
                u.kind == OrgKind::Commune && u.validity.to == Some("2025-06-30".parse().unwrap())
            })
            .find(|u| {
                w.communes
                    .iter()
                    .any(|c| place(&w.h, u.id, "2025-07-01".parse().unwrap()) == Some(c.id))
            })
            .expect("a commune merged into one of the world's")
            .clone();
    let f = fill(
        w.s.as_ref(),
        &w.h,
        june,
        &old,
        Period::Month(2025, 6),
        today(),
    )
    .await
    .unwrap();
    assert_eq!(
        (f.code.as_str(), f.at),
        ("1/BCX", "2025-06-30".parse().unwrap())
    );
    // A province cannot send a commune's form.
    let province =
        w.h.unit_at(&OrgCode::parse("51").unwrap(), today())
            .unwrap()
            .clone();
    let e = fill(
        w.s.as_ref(),
        &w.h,
        july,
        &province,
        Period::Month(2025, 7),
        today(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("made by a commune"), "{e}");
}

#[test]
fn the_bundled_definitions_load() {
    let set = ytcs_engine::statutory::load(None).unwrap();
    assert_eq!(set.circulars.len(), 2);
    assert!(set.forms.iter().all(|f| !f.verified.is_empty()));
}

#[test]
fn a_bad_file_in_the_data_directory_is_refused_with_its_name_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = ytcs_refdata::REPORT_FORMS[1]
        .1
        .replace("\"23/2025/TT-BYT\"", "\"99/2026/TT-BYT\"")
        .replace(
            "effective_from = \"2025-07-01\"",
            "effective_from = \"2027-03-01\"",
        )
        .replace("effective_to = \"2027-02-28\"\n", "")
        .replace(
            "element = \"pregnancies_ended\"",
            "element = \"pregnancies_endd\"",
        );
    std::fs::write(dir.path().join("tt-99-2026.toml"), &text).unwrap();
    let e = ytcs_engine::statutory::load(Some(dir.path()))
        .unwrap_err()
        .to_string();
    let line = text
        .lines()
        .position(|l| l.contains("pregnancies_endd"))
        .unwrap()
        + 1;
    assert!(e.contains(&format!("tt-99-2026.toml:{line}:")), "{e}");
    assert!(e.contains("unknown data element 'pregnancies_endd'"), "{e}");
    // Corrected, the next circular loads and takes over on its day.
    std::fs::write(
        dir.path().join("tt-99-2026.toml"),
        text.replace("pregnancies_endd", "pregnancies_ended"),
    )
    .unwrap();
    let set = ytcs_engine::statutory::load(Some(dir.path())).unwrap();
    let march = set
        .for_period("commune_monthly", Period::Month(2027, 3))
        .unwrap();
    assert_eq!(march.circular, "99/2026/TT-BYT");
    // Overlapping the circular before it is refused.
    std::fs::write(
        dir.path().join("tt-99-2026.toml"),
        text.replace("pregnancies_endd", "pregnancies_ended")
            .replace("\"2027-03-01\"", "\"2027-01-01\""),
    )
    .unwrap();
    let e = ytcs_engine::statutory::load(Some(dir.path()))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("tt-99-2026.toml") && e.contains("overlap"),
        "{e}"
    );
}

#[tokio::test]
async fn a_station_sends_its_form_and_the_province_sees_who_sent() {
    use ytcs_engine::statutory::{content_hash, sent_status, submit, SubmitError};
    let w = world().await;
    let forms = bundled();
    let (a, b) = (&w.communes[0], &w.communes[1]);
    let october = Period::Month(2026, 10);
    let def = forms.for_period("commune_monthly", october).unwrap();
    let due = def.due(october);
    // Sent on 3 November: on time (due 7 November).
    let on_time: Date = "2026-11-03".parse().unwrap();
    let s = submit(
        w.s.as_ref(),
        &w.h,
        def,
        a,
        october,
        "tramyte",
        None,
        on_time,
    )
    .await
    .unwrap();
    assert_eq!((s.version, s.late, s.due), (1, false, due));
    let stored =
        w.s.form_submissions(&ytcs_store::submissions::SubmissionFilter {
            with_content: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        content_hash(&stored[0].content),
        s.content_hash,
        "the snapshot is what was hashed"
    );
    let snapshot: serde_json::Value = serde_json::from_str(&stored[0].content).unwrap();
    assert_eq!(snapshot["code"], "1/TYT");
    assert_eq!(snapshot["org"], a.code.to_string());
    // A second send without a reason is refused; with one it is version 2.
    let e = submit(
        w.s.as_ref(),
        &w.h,
        def,
        a,
        october,
        "tramyte",
        None,
        on_time,
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("needs a reason"), "{e}");
    assert!(e.vi().contains("lý do"), "{}", e.vi());
    let v2 = submit(
        w.s.as_ref(),
        &w.h,
        def,
        a,
        october,
        "tramyte",
        Some("sửa"),
        on_time,
    )
    .await
    .unwrap();
    assert_eq!(v2.version, 2);
    // A running period cannot be sent.
    let november = Period::Month(2026, 11);
    let e = submit(
        w.s.as_ref(),
        &w.h,
        def,
        a,
        november,
        "tramyte",
        None,
        today(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, SubmitError::NotEnded { .. }), "{e}");
    assert!(e.vi().contains("chưa kết thúc"));
    // Late: accepted, and marked.
    let late: Date = "2026-11-20".parse().unwrap();
    let s = submit(w.s.as_ref(), &w.h, def, b, october, "tramyte", None, late)
        .await
        .unwrap();
    assert!(s.late);
    // The province sees its communes: two sent (one late), the rest late
    // (past due, not sent).
    let province =
        w.h.unit_at(&OrgCode::parse("51").unwrap(), today())
            .unwrap()
            .clone();
    let list = sent_status(w.s.as_ref(), &w.h, def, &province, october, today())
        .await
        .unwrap();
    assert!(
        list.len() > 50,
        "every commune of the province: {}",
        list.len()
    );
    let state = |code: &str| list.iter().find(|s| s.org == code).unwrap().state;
    assert_eq!(state(&a.code.to_string()), "sent_on_time");
    assert_eq!(state(&b.code.to_string()), "sent_late");
    assert_eq!(state(&w.communes[2].code.to_string()), "late");
    assert_eq!(
        list.iter()
            .find(|s| s.org == a.code.to_string())
            .unwrap()
            .sent
            .as_ref()
            .unwrap()
            .version,
        2
    );
    let running = sent_status(w.s.as_ref(), &w.h, def, &province, november, today())
        .await
        .unwrap();
    assert!(running.iter().all(|s| s.state == "running"));
}

#[test]
fn a_site_adds_the_days_the_government_moved() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("report-forms");
    let october = Period::Month(2026, 10);
    let before = ytcs_engine::statutory::load(Some(&forms)).unwrap();
    let due = |set: &ytcs_core::statutory::FormSet| {
        set.for_period("commune_monthly", october)
            .unwrap()
            .due(october)
    };
    assert_eq!(due(&before), "2026-11-06".parse::<Date>().unwrap());
    std::fs::write(
        dir.path().join("days-off.csv"),
        "date,kind,note,source\n2026-11-02,off,a day off announced,a decision\n",
    )
    .unwrap();
    let after = ytcs_engine::statutory::load(Some(&forms)).unwrap();
    assert_eq!(due(&after), "2026-11-09".parse::<Date>().unwrap());
    std::fs::write(
        dir.path().join("days-off.csv"),
        "date,kind\n2026-11-02,holiday\n",
    )
    .unwrap();
    let e = ytcs_engine::statutory::load(Some(&forms))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("days-off.csv: line 2") && e.contains("neither"),
        "{e}"
    );
}

#[tokio::test]
async fn a_filled_form_is_written_as_adx_cell_by_cell() {
    let w = world().await;
    let u = &w.communes[0];
    let p = Period::Month(2026, 3);
    let f = commune_form(&w, u, p).await;
    let xml = ytcs_engine::statutory::write_adx(&f).unwrap();
    assert!(xml.contains(&format!(
        "<group orgUnit=\"{}\" period=\"2026-03-01/P1M\" dataSet=\"commune_monthly\" form=\"1/TYT\" circular=\"23/2025/TT-BYT\">",
        u.code
    )));
    let with_values = f.cells().filter(|c| c.value.is_some()).count();
    assert_eq!(xml.matches("<dataValue ").count(), with_values);
    let boys_under_one = f.cell("3.1", "m").unwrap().value.unwrap();
    assert!(
        xml.contains(&format!(
            "<dataValue dataElement=\"deaths\" value=\"{boys_under_one}\" age=\"0\" sex=\"m\" row=\"3.1\" column=\"m\"/>"
        )),
        "{xml}"
    );
}

#[tokio::test]
async fn a_cell_drills_down_to_exactly_the_persons_it_counts() {
    use ytcs_engine::statutory::{cell_persons, CellError};
    let w = world().await;
    let mut nonzero = 0;
    for u in &w.communes[..2] {
        for p in [
            Period::Month(2025, 9),
            Period::Month(2026, 2),
            Period::Year(2025),
        ] {
            let key = if matches!(p, Period::Year(_)) {
                "commune_annual"
            } else {
                "commune_monthly"
            };
            let def = bundled().for_period(key, p).unwrap();
            let f = fill(w.s.as_ref(), &w.h, def, u, p, today()).await.unwrap();
            for c in f.cells() {
                match cell_persons(w.s.as_ref(), &w.h, def, u, p, &c.row, &c.column, today()).await
                {
                    Ok(persons) => {
                        assert_eq!(
                            persons.len() as f64,
                            c.value.unwrap_or(0.0),
                            "{} {p} {} {}",
                            u.code,
                            c.row,
                            c.column
                        );
                        if !persons.is_empty() {
                            nonzero += 1;
                        }
                        if c.column == "m" {
                            assert!(persons.iter().all(|x| x.sex == Sex::Male));
                        }
                    }
                    Err(CellError::Entered(_)) => assert_eq!(c.computed, "entered"),
                    Err(e) => panic!("{e}"),
                }
            }
        }
    }
    assert!(nonzero > 10, "{nonzero} cells with persons");
    let def = bundled()
        .for_period("commune_monthly", Period::Month(2025, 9))
        .unwrap();
    let e = cell_persons(
        w.s.as_ref(),
        &w.h,
        def,
        &w.communes[0],
        Period::Month(2025, 9),
        "I",
        "total",
        today(),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, CellError::NoCell(..)), "{e}");
}
