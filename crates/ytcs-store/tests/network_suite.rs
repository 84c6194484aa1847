//! The network registry's behaviour, run against both engines: SQLite in a
//! temp file and a real PostgreSQL server (failing, never skipping, when it
//! cannot be started).

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::network::*;
use ytcs_core::org::{LineageKind, OrgCode, OrgKind, UnitId};
use ytcs_core::period::Period;
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_store::network::{NewUnit, Reform, ReformEdge, WriteError};
use ytcs_store::Store;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn code(s: &str) -> OrgCode {
    OrgCode::parse(s).unwrap()
}

both_engines!(
    units: true;
    villages_hang_under_their_commune_on_both_sides_of_the_reform,
    the_registry_round_trips,
    a_bad_batch_names_every_record_and_writes_nothing,
    merged_commune_population_adds_up_under_todays_units,
    a_reform_entered_by_hand_carries_population_forward,
    every_network_write_bumps_the_generation_and_a_refused_one_does_not,
);

async fn unit_id(s: &Arc<dyn Store>, c: &str, at: &str) -> UnitId {
    s.unit_at(&code(c), d(at)).await.unwrap().unwrap().id
}

fn pop(unit: UnitId, year: i32, count: i64) -> PopulationCount {
    PopulationCount {
        unit,
        year,
        sex: Sex::Female,
        age: AgeGroup::new(25).unwrap(),
        count,
    }
}

async fn villages_hang_under_their_commune_on_both_sides_of_the_reform(s: Arc<dyn Store>) {
    let old = unit_id(&s, "23479", "2024-01-01").await;
    let new = unit_id(&s, "23479", "2025-08-01").await;
    let added = s
        .add_units(&[NewUnit {
            code: code("23479-01"),
            name: "Thôn 1".into(),
            kind: OrgKind::Village,
            validity: Validity::ALWAYS,
            parents: vec![
                (old, Validity::until(d("2025-06-30"))),
                (new, Validity::since(d("2025-07-01"))),
            ],
        }])
        .await
        .unwrap();
    let v = added[0].id;
    assert!(s
        .children(old, d("2024-01-01"))
        .await
        .unwrap()
        .iter()
        .any(|c| c.id == v));
    assert!(s
        .children(new, d("2026-01-01"))
        .await
        .unwrap()
        .iter()
        .any(|c| c.id == v));
    // The same code again at the same time is refused, naming the code.
    let err = s
        .add_units(&[NewUnit {
            code: code("23479-01"),
            name: "Thôn 1 bis".into(),
            kind: OrgKind::Village,
            validity: Validity::ALWAYS,
            parents: vec![],
        }])
        .await
        .unwrap_err();
    assert!(err.to_string().contains("23479-01"), "{err}");
}

fn sample(unit: UnitId) -> NetworkData {
    NetworkData {
        facilities: vec![Facility {
            code: code("TYT-23479"),
            name: "Trạm Y tế xã Đăk Rve".into(),
            kind: FacilityKind::CommuneStation,
            beds: 5,
            status: FacilityStatus::Active,
            services_share: Some(0.82),
            validity: Validity::since(d("2001-01-01")),
        }],
        attachments: vec![Attachment {
            facility: code("TYT-23479"),
            unit,
            validity: Validity::since(d("2001-01-01")),
        }],
        staff: vec![StaffMember {
            code: "NV-1".into(),
            name: "Y Điệp".into(),
            cadre: Cadre::Doctor,
            qualification: Some("Bác sĩ đa khoa".into()),
        }],
        posts: vec![Post {
            person: "NV-1".into(),
            workplace: Workplace::Facility(code("TYT-23479")),
            kind: PostKind::Permanent,
            validity: Validity::since(d("2020-03-01")),
        }],
        trainings: vec![Training {
            person: "NV-1".into(),
            course: "Chăm sóc sức khỏe ban đầu".into(),
            completed: d("2019-05-01"),
        }],
        population: vec![pop(unit, 2026, 1200)],
    }
}

async fn the_registry_round_trips(s: Arc<dyn Store>) {
    let new = unit_id(&s, "23479", "2025-08-01").await;
    let batch = sample(new);
    s.add_network(&batch).await.unwrap();
    assert_eq!(s.network().await.unwrap(), batch);
    let h = s.hierarchy().await.unwrap();
    let f = network_indicator(
        &h,
        &batch,
        "stations_with_doctor_pct",
        Period::Year(2026),
        d("2026-06-01"),
        &[new],
    )
    .unwrap();
    assert_eq!(f[0].value, Some(100.0));
}

async fn a_bad_batch_names_every_record_and_writes_nothing(s: Arc<dyn Store>) {
    let new = unit_id(&s, "23479", "2025-08-01").await;
    let mut batch = sample(new);
    batch.population.push(pop(new, 2025, -3));
    batch.posts.push(Post {
        person: "NV-1".into(),
        workplace: Workplace::Facility(code("TYT-23479")),
        kind: PostKind::Permanent,
        validity: Validity::since(d("2024-01-01")),
    });
    let err = s.add_network(&batch).await.unwrap_err();
    let WriteError::Rejected(lines) = &err else {
        panic!("{err}")
    };
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines
        .iter()
        .any(|l| l.contains("NV-1") && l.contains("two permanent posts")));
    assert!(lines.iter().any(|l| l.contains("-3") && l.contains("2025")));
    assert_eq!(s.network().await.unwrap(), NetworkData::default());
}

async fn merged_commune_population_adds_up_under_todays_units(s: Arc<dyn Store>) {
    let new = unit_id(&s, "23479", "2025-08-01").await;
    let preds = s.predecessors(new).await.unwrap();
    assert!(preds.len() >= 2, "Đăk Rve has several predecessors");
    let mut batch = NetworkData::default();
    let mut want = 0.0;
    for (i, p) in preds.iter().enumerate() {
        let n = 1000 + 100 * i as i64;
        batch.population.push(pop(p.unit.id, 2024, n));
        want += n as f64 * p.link.weight;
    }
    s.add_network(&batch).await.unwrap();
    let h = s.hierarchy().await.unwrap();
    let data = s.network().await.unwrap();
    let got = network_indicator(
        &h,
        &data,
        "population",
        Period::Year(2024),
        d("2026-01-01"),
        &[new],
    )
    .unwrap();
    assert!((got[0].numerator - want).abs() < 1e-6, "{got:?} vs {want}");
    // As the units stood in 2024, the old commune keeps its own figure.
    let old = unit_id(&s, "23479", "2024-06-01").await;
    let got = network_indicator(
        &h,
        &data,
        "population",
        Period::Year(2024),
        d("2024-06-01"),
        &[old],
    )
    .unwrap();
    let own = batch
        .population
        .iter()
        .find(|p| p.unit == old)
        .map_or(0.0, |p| p.count as f64);
    assert_eq!(got[0].value, Some(own));
}

async fn a_reform_entered_by_hand_carries_population_forward(s: Arc<dyn Store>) {
    let today = unit_id(&s, "23479", "2026-01-01").await;
    let province = unit_id(&s, "51", "2026-01-01").await;
    s.add_network(&NetworkData {
        population: vec![pop(today, 2026, 1000)],
        ..Default::default()
    })
    .await
    .unwrap();
    let new_unit = |c: &str| NewUnit {
        code: code(c),
        name: format!("Xã {c}"),
        kind: OrgKind::Commune,
        validity: Validity::since(d("2027-01-01")),
        parents: vec![(province, Validity::since(d("2027-01-01")))],
    };
    let edge = |to: &str, w: f64| ReformEdge {
        predecessor: code("23479"),
        successor: code(to),
        kind: LineageKind::Split,
        weight: w,
    };
    let bad = Reform {
        date: d("2027-01-01"),
        ended: vec![code("23479")],
        new_units: vec![new_unit("99001"), new_unit("99002")],
        lineage: vec![edge("99001", 0.6), edge("99002", 0.3)],
    };
    let err = s.add_reform(&bad).await.unwrap_err();
    assert!(err.to_string().contains("not 1"), "{err}");
    assert!(s
        .unit_at(&code("99001"), d("2027-02-01"))
        .await
        .unwrap()
        .is_none());
    let good = Reform {
        lineage: vec![edge("99001", 0.6), edge("99002", 0.4)],
        ..bad
    };
    let added = s.add_reform(&good).await.unwrap();
    assert_eq!(added.len(), 2);
    let h = s.hierarchy().await.unwrap();
    let data = s.network().await.unwrap();
    let ids: Vec<UnitId> = added.iter().map(|u| u.id).collect();
    let got = network_indicator(
        &h,
        &data,
        "population",
        Period::Year(2026),
        d("2027-02-01"),
        &ids,
    )
    .unwrap();
    assert!((got[0].numerator - 600.0).abs() < 1e-9);
    assert!((got[1].numerator - 400.0).abs() < 1e-9);
    assert!(s
        .unit_at(&code("23479"), d("2027-02-01"))
        .await
        .unwrap()
        .is_none());
}

async fn every_network_write_bumps_the_generation_and_a_refused_one_does_not(s: Arc<dyn Store>) {
    // Loading the reference units is the first write.
    let g0 = s.generation().await.unwrap();
    assert!(g0 >= 1, "{g0}");
    let new = unit_id(&s, "23479", "2025-08-01").await;
    s.add_units(&[NewUnit {
        code: code("23479-01"),
        name: "Thôn 1".into(),
        kind: OrgKind::Village,
        validity: Validity::since(d("2025-07-01")),
        parents: vec![(new, Validity::since(d("2025-07-01")))],
    }])
    .await
    .unwrap();
    assert_eq!(s.generation().await.unwrap(), g0 + 1);
    s.add_network(&sample(new)).await.unwrap();
    assert_eq!(s.generation().await.unwrap(), g0 + 2);
    // A refused batch writes nothing, the counter included.
    let bad = NetworkData {
        population: vec![pop(new, 2025, -1)],
        ..Default::default()
    };
    assert!(s.add_network(&bad).await.is_err());
    assert_eq!(s.generation().await.unwrap(), g0 + 2);
    let province = unit_id(&s, "51", "2026-01-01").await;
    s.add_reform(&Reform {
        date: d("2027-01-01"),
        ended: vec![],
        new_units: vec![NewUnit {
            code: code("99901"),
            name: "Xã Mới".into(),
            kind: OrgKind::Commune,
            validity: Validity::since(d("2027-01-01")),
            parents: vec![(province, Validity::since(d("2027-01-01")))],
        }],
        lineage: vec![],
    })
    .await
    .unwrap();
    assert_eq!(s.generation().await.unwrap(), g0 + 3);
}
