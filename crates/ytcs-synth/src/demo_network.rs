//! The demo network: the new Quảng Ngãi province (51), which since
//! 2025-07-01 holds former Quảng Ngãi and former Kon Tum (62, with its Kon
//! Rẫy district 614). Synthetic but realistic facilities, staff, villages
//! and population, each recorded under the units of its time: 2022–2024
//! population under the old communes, 2025–2026 under the new ones;
//! stations and villages move from the old commune to the new one on
//! 2025-07-01. Deterministic from a seed (splitmix64); some communes meet
//! the staffing targets and some do not.

use std::collections::HashMap;

use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::*;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_store::network::NewUnit;
use ytcs_store::Store;

use ytcs_registry::RegistryError;

use crate::rng::Rng;

/// Metadata key set once the demo network is loaded.
pub const META_DEMO_NETWORK: &str = "demo_network_loaded";
/// The seed of the shipped demo.
pub const DEMO_SEED: u64 = 20250701;

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn code(s: &str) -> Option<OrgCode> {
    OrgCode::parse(s).ok()
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Hữu"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dung", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai",
    "Nam", "Nga", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến",
];
const HIGHLAND: &[&str] = &["Y", "A", "Rơ Châm", "Siu", "Đinh", "A Lăng", "Kpă"];

/// The share of each five-year age group (youngest first) in a young,
/// rural population; sums to about 1.
const AGE_SHARES: [f64; 17] = [
    0.085, 0.085, 0.08, 0.075, 0.075, 0.08, 0.08, 0.075, 0.07, 0.065, 0.06, 0.05, 0.04, 0.03, 0.02,
    0.015, 0.015,
];

/// Loads the demo network once (guarded by [`META_DEMO_NETWORK`]); returns
/// `false` when it was already there.
pub async fn load_demo(store: &dyn Store) -> Result<bool, RegistryError> {
    if store.meta(META_DEMO_NETWORK).await?.is_some() {
        return Ok(false);
    }
    let h = store.hierarchy().await?;
    let plan = DemoPlan::new(&h, DEMO_SEED)?;
    // Villages first (they are units), skipping any left by an interrupted run.
    let missing: Vec<NewUnit> = plan
        .villages
        .iter()
        .filter(|v| h.unit_at(&v.code, d(2024, 1, 1)).is_none())
        .cloned()
        .collect();
    store.add_units(&missing).await?;
    let h = store.hierarchy().await?;
    let mut village_ids = HashMap::new();
    for v in &plan.villages {
        if let Some(u) = h.unit_at(&v.code, d(2024, 1, 1)) {
            village_ids.insert(v.code.clone(), u.id);
        }
    }
    let data = plan.network(&village_ids);
    store.add_network(&data).await?;
    store
        .set_meta(META_DEMO_NETWORK, &DEMO_SEED.to_string())
        .await?;
    Ok(true)
}

struct OldCommune {
    unit: OrgUnit,
    district: Option<UnitId>,
    successor: UnitId,
    strength: f64,
    people: f64,
    highland: bool,
}

/// The generated demo, before it is stored.
struct DemoPlan {
    rng: Rng,
    communes: Vec<OldCommune>,
    districts: Vec<(OrgUnit, UnitId)>,
    provinces: Vec<OrgUnit>,
    new_province: UnitId,
    new_communes: Vec<(UnitId, f64)>,
    villages: Vec<NewUnit>,
    village_commune: Vec<usize>,
}

impl DemoPlan {
    fn new(h: &Hierarchy, seed: u64) -> Result<DemoPlan, RegistryError> {
        let reform = d(2025, 7, 1);
        let eve = d(2025, 6, 30);
        let missing = |what: &str| RegistryError::Read {
            what: "reference units".into(),
            message: format!("{what} is missing; the demo needs the 2025 reference units"),
        };
        let p51 = code("51").ok_or_else(|| missing("code 51"))?;
        let new_province = h
            .unit_at(&p51, reform)
            .ok_or_else(|| missing("province 51"))?
            .id;
        let mut rng = Rng(seed);
        let main_successor = |id: UnitId| -> UnitId {
            if h.unit(id).is_some_and(|u| u.validity.contains(reform)) {
                return id;
            }
            h.successors(id)
                .into_iter()
                .filter(|l| {
                    h.unit(l.successor)
                        .is_some_and(|u| u.validity.contains(reform))
                })
                .max_by(|a, b| a.weight.total_cmp(&b.weight))
                .map_or(new_province, |l| l.successor)
        };
        let mut provinces: Vec<OrgUnit> = h
            .predecessors(new_province)
            .into_iter()
            .filter_map(|l| h.unit(l.predecessor).cloned())
            .filter(|u| u.kind == OrgKind::Province)
            .collect();
        provinces.sort_by(|a, b| a.code.cmp(&b.code));
        provinces.dedup_by_key(|u| u.id);
        let mut communes = Vec::new();
        let mut districts = Vec::new();
        for p in &provinces {
            for dist in h.children(p.id, eve) {
                districts.push((dist.clone(), main_successor(dist.id)));
                let highland = p.code.as_str() == "62";
                for c in h.children(dist.id, eve) {
                    let strength = rng.unit();
                    let people = rng.range(if highland { 2500 } else { 4000 }, 14000) as f64;
                    communes.push(OldCommune {
                        unit: c.clone(),
                        district: Some(dist.id),
                        successor: main_successor(c.id),
                        strength,
                        people,
                        highland,
                    });
                }
            }
        }
        let new_communes: Vec<(UnitId, f64)> = h
            .children(new_province, reform)
            .into_iter()
            .filter(|u| u.kind == OrgKind::Commune)
            .map(|u| {
                let people: f64 = communes
                    .iter()
                    .map(|c| {
                        let w: f64 = h
                            .successors(c.unit.id)
                            .iter()
                            .filter(|l| l.successor == u.id)
                            .map(|l| l.weight)
                            .sum::<f64>()
                            + if c.unit.id == u.id { 1.0 } else { 0.0 };
                        w * c.people
                    })
                    .sum();
                (u.id, people)
            })
            .collect();
        let mut villages = Vec::new();
        let mut village_commune = Vec::new();
        for (i, c) in communes.iter().enumerate() {
            let n = rng.range(3, 10);
            for k in 1..=n {
                let Some(vcode) = code(&format!("{}-{k:02}", c.unit.code)) else {
                    continue;
                };
                let name = if c.highland {
                    format!(
                        "Làng {}",
                        rng.choose(&["Kon", "Đăk", "Plei", "Tu"]).to_owned()
                            + " "
                            + rng.choose(&["Rve", "Pne", "Kôi", "Luh", "Mơ", "Ring", "Sơ", "Jri"])
                    )
                } else {
                    format!("Thôn {k}")
                };
                let parents = if c.successor == c.unit.id {
                    vec![(c.unit.id, Validity::ALWAYS)]
                } else {
                    vec![
                        (c.unit.id, Validity::until(eve)),
                        (c.successor, Validity::since(reform)),
                    ]
                };
                villages.push(NewUnit {
                    code: vcode,
                    name,
                    kind: OrgKind::Village,
                    validity: Validity::ALWAYS,
                    parents,
                });
                village_commune.push(i);
            }
        }
        Ok(DemoPlan {
            rng,
            communes,
            districts,
            provinces,
            new_province,
            new_communes,
            villages,
            village_commune,
        })
    }

    fn name(&mut self, highland: bool) -> String {
        if highland && self.rng.chance(0.6) {
            format!("{} {}", self.rng.choose(HIGHLAND), self.rng.choose(GIVEN))
        } else {
            format!(
                "{} {} {}",
                self.rng.choose(FAMILY),
                self.rng.choose(MIDDLE),
                self.rng.choose(GIVEN)
            )
        }
    }

    fn network(mut self, village_ids: &HashMap<OrgCode, UnitId>) -> NetworkData {
        let reform = d(2025, 7, 1);
        let eve = d(2025, 6, 30);
        let mut data = NetworkData::default();
        let mut next_person = 0u32;
        let attach = |data: &mut NetworkData, fcode: &OrgCode, old: UnitId, new: UnitId| {
            if old == new {
                data.attachments.push(Attachment {
                    facility: fcode.clone(),
                    unit: old,
                    validity: Validity::since(d(2000, 1, 1)),
                });
            } else {
                data.attachments.push(Attachment {
                    facility: fcode.clone(),
                    unit: old,
                    validity: Validity::new(Some(d(2000, 1, 1)), Some(eve)).unwrap_or_default(),
                });
                data.attachments.push(Attachment {
                    facility: fcode.clone(),
                    unit: new,
                    validity: Validity::since(reform),
                });
            }
        };
        let mut hire = |me: &mut DemoPlan,
                        data: &mut NetworkData,
                        fcode: &OrgCode,
                        cadre: Cadre,
                        kind: PostKind,
                        from: Date,
                        highland: bool| {
            next_person += 1;
            let person = format!("NV{next_person:06}");
            data.staff.push(StaffMember {
                code: person.clone(),
                name: me.name(highland),
                cadre,
                qualification: Some(cadre.name_vi().to_string()),
            });
            data.posts.push(Post {
                person,
                workplace: Workplace::Facility(fcode.clone()),
                kind,
                validity: Validity::since(from),
            });
        };
        let provinces = self.provinces.clone();
        for p in &provinces {
            let Some(fcode) = code(&format!("BV-{}", p.code)) else {
                continue;
            };
            let beds = self.rng.range(450, 800);
            data.facilities.push(Facility {
                code: fcode.clone(),
                name: format!("Bệnh viện Đa khoa {}", p.name.replace("Tỉnh ", "tỉnh ")),
                kind: FacilityKind::Hospital,
                beds,
                status: FacilityStatus::Active,
                services_share: Some(0.9),
                validity: Validity::since(d(1990, 1, 1)),
            });
            attach(&mut data, &fcode, p.id, self.new_province);
            for (cadre, per_bed) in [
                (Cadre::Doctor, 4),
                (Cadre::Nurse, 2),
                (Cadre::UniversityPharmacist, 30),
            ] {
                for _ in 0..beds / per_bed {
                    let from = d(self.rng.range(2008, 2023) as i32, 1, 1);
                    hire(
                        &mut self,
                        &mut data,
                        &fcode,
                        cadre,
                        PostKind::Permanent,
                        from,
                        false,
                    );
                }
            }
        }
        let districts = self.districts.clone();
        for (i, (dist, successor)) in districts.iter().enumerate() {
            let Some(fcode) = code(&format!("TTYT-{}", dist.code)) else {
                continue;
            };
            let beds = self.rng.range(60, 180);
            let highland = self
                .communes
                .iter()
                .any(|c| c.district == Some(dist.id) && c.highland);
            data.facilities.push(Facility {
                code: fcode.clone(),
                name: format!("Trung tâm Y tế {}", dist.name),
                kind: FacilityKind::HealthCentre,
                beds,
                status: FacilityStatus::Active,
                services_share: Some(0.7 + 0.2 * self.rng.unit()),
                validity: Validity::since(d(2005, 1, 1)),
            });
            attach(&mut data, &fcode, dist.id, *successor);
            for (cadre, per_bed) in [
                (Cadre::Doctor, 5),
                (Cadre::Nurse, 3),
                (Cadre::UniversityPharmacist, 40),
            ] {
                for _ in 0..beds / per_bed {
                    let from = d(self.rng.range(2010, 2024) as i32, 1, 1);
                    hire(
                        &mut self,
                        &mut data,
                        &fcode,
                        cadre,
                        PostKind::Permanent,
                        from,
                        highland,
                    );
                }
            }
            if i % 3 == 0 {
                let Some(pcode) = code(&format!("PKKV-{}", dist.code)) else {
                    continue;
                };
                data.facilities.push(Facility {
                    code: pcode.clone(),
                    name: format!(
                        "Phòng khám đa khoa khu vực {}",
                        dist.name.replace("Huyện ", "")
                    ),
                    kind: FacilityKind::RegionalPolyclinic,
                    beds: self.rng.range(10, 25),
                    status: FacilityStatus::Active,
                    services_share: Some(0.6),
                    validity: Validity::since(d(2010, 1, 1)),
                });
                attach(&mut data, &pcode, dist.id, *successor);
                hire(
                    &mut self,
                    &mut data,
                    &pcode,
                    Cadre::Doctor,
                    PostKind::Permanent,
                    d(2015, 1, 1),
                    highland,
                );
            }
        }
        // Commune stations and their staff.
        for i in 0..self.communes.len() {
            let (cunit, successor, s, highland) = {
                let c = &self.communes[i];
                (c.unit.clone(), c.successor, c.strength, c.highland)
            };
            let Some(fcode) = code(&format!("TYT-{}", cunit.code)) else {
                continue;
            };
            data.facilities.push(Facility {
                code: fcode.clone(),
                name: format!("Trạm Y tế {}", cunit.name),
                kind: FacilityKind::CommuneStation,
                beds: self.rng.range(3, 8),
                status: FacilityStatus::Active,
                services_share: Some(((0.55 + 0.4 * s) * 100.0).round() / 100.0),
                validity: Validity::since(d(2000, 1, 1)),
            });
            attach(&mut data, &fcode, cunit.id, successor);
            let since = |me: &mut DemoPlan| {
                d(
                    me.rng.range(2008, 2023) as i32,
                    me.rng.range(1, 12) as u32,
                    1,
                )
            };
            if self.rng.chance(0.25 + 0.7 * s) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::Doctor,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            } else if self.rng.chance(0.35) {
                // A doctor arrives after the reform: the trend improves.
                let from = d(2026, self.rng.range(1, 6) as u32, 1);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::Doctor,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            } else if self.rng.chance(0.4) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::Doctor,
                    PostKind::Rotation,
                    from,
                    highland,
                );
            }
            for _ in 0..self.rng.range(1, 2) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::AssistantDoctor,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
            for _ in 0..self.rng.range(1, 2) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::Nurse,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
            if self.rng.chance(0.45 + 0.5 * s) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::Midwife,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
            if self.rng.chance(0.6 + 0.3 * s) {
                let cadre = if self.rng.chance(0.15) {
                    Cadre::UniversityPharmacist
                } else {
                    Cadre::Pharmacist
                };
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    cadre,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
            if self.rng.chance(0.3 + 0.5 * s) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::TraditionalMedicine,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
            if self.rng.chance(0.2) {
                let from = since(&mut self);
                hire(
                    &mut self,
                    &mut data,
                    &fcode,
                    Cadre::PopulationCollaborator,
                    PostKind::Permanent,
                    from,
                    highland,
                );
            }
        }
        // Village health workers and village midwives.
        let villages: Vec<(OrgCode, usize)> = self
            .villages
            .iter()
            .map(|v| v.code.clone())
            .zip(self.village_commune.iter().copied())
            .collect();
        for (vcode, ci) in villages {
            let Some(&vid) = village_ids.get(&vcode) else {
                continue;
            };
            let (s, highland) = (self.communes[ci].strength, self.communes[ci].highland);
            let roles: &[(Cadre, f64)] = if highland {
                &[
                    (Cadre::VillageHealthWorker, 0.55 + 0.45 * s),
                    (Cadre::VillageMidwife, 0.4),
                ]
            } else {
                &[(Cadre::VillageHealthWorker, 0.55 + 0.45 * s)]
            };
            for &(cadre, p) in roles {
                if !self.rng.chance(p) {
                    continue;
                }
                next_person += 1;
                let person = format!("NV{next_person:06}");
                data.staff.push(StaffMember {
                    code: person.clone(),
                    name: self.name(highland),
                    cadre,
                    qualification: None,
                });
                let from = d(
                    self.rng.range(2012, 2024) as i32,
                    self.rng.range(1, 12) as u32,
                    1,
                );
                data.posts.push(Post {
                    person: person.clone(),
                    workplace: Workplace::Village(vid),
                    kind: PostKind::Permanent,
                    validity: Validity::since(from),
                });
                if self.rng.chance(0.6 + 0.35 * s) {
                    let year = self.rng.range(2013, 2026) as i32;
                    data.trainings.push(Training {
                        person,
                        course: "Đào tạo nhân viên y tế thôn bản (6 tháng)".into(),
                        completed: d(year, self.rng.range(1, 11) as u32, 15),
                    });
                }
            }
        }
        // Population: 2022–2024 under the old communes, 2025–2026 under the new.
        let cells = |data: &mut NetworkData, unit: UnitId, year: i32, total: f64| {
            for (g, share) in AgeGroup::all().zip(AGE_SHARES) {
                for (sex, sx) in [(Sex::Male, 0.503), (Sex::Female, 0.497)] {
                    data.population.push(PopulationCount {
                        unit,
                        year,
                        sex,
                        age: g,
                        count: (total * share * sx).round() as i64,
                    });
                }
            }
        };
        for c in &self.communes {
            for year in 2022..=2024 {
                let grow = 1.011f64.powi(year - 2024);
                cells(&mut data, c.unit.id, year, c.people * grow);
            }
        }
        for &(u, people) in &self.new_communes {
            for year in 2025..=2026 {
                let grow = 1.011f64.powi(year - 2024);
                cells(&mut data, u, year, people * grow);
            }
        }
        data
    }
}
