//! A synthetic, deterministic population of a province for the station
//! registers (#6): households, persons with Vietnamese names, five years of
//! events ending `today`, insurance cards, moves, and the network
//! population table computed from the same persons.
//!
//! **Where people live.** Persons are spread over the communes of the
//! province valid `today`; each person is recorded under the commune of
//! the registration start (1 January five years back) that became the one
//! of today (the reform's lineage), so `derive::place` counts them under
//! the old commune before 2025-07-01 and the new one after. Mountain
//! communes (old districts of Ba Tơ, Trà Bồng, Sơn Tây, Sơn Hà, Minh Long,
//! Tây Trà and old Kon Tum) have fewer people and Hrê, Co, Xơ Đăng, Ba Na
//! residents.
//!
//! **Rates** (per year unless said): births ≈ 16 ‰ of the population,
//! deaths by age (≈ 6 ‰ overall), moves ≈ 1 %, newborn screening 92 %,
//! EPI doses 95 % each with delays, growth measurements of under-fives in
//! June and December (stunting ≈ 20 %, underweight ≈ 10 %, ≈ 0.3 %
//! implausible), hypertension in ≈ 20 % of persons aged 40+ (monthly
//! follow-ups, ≈ 60 % controlled), diabetes ≈ 6 %, pregnancies with ANC
//! visits and prenatal screening (80 %), checks of the elderly (70 %),
//! about one station examination per person and year, cards for ≈ 93 %,
//! health records opened for ≈ 85 %. The PRNG is a splitmix64 written here.

use crate::rng::Rng;
use std::collections::HashMap;

use chrono::{Datelike, Duration};
use ytcs_core::growth::{value_at, DAYS_PER_MONTH};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{AgeGroup, PopulationCount, Sex};
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::register::derive::place;
use ytcs_core::register::{
    age_on, epi, measurement_flags, Death, Event, EventKind, Household, InsuranceCard, Move, Ncd,
    Person, PregnancyOutcome,
};
use ytcs_core::Date;
use ytcs_store::registers::{BatchSource, RegisterBatch};
use ytcs_store::StoreError;

use ytcs_engine::registers::standards;

/// The generated registers and the population table they imply.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// The records, with explicit positive ids.
    pub batch: RegisterBatch,
    /// Residents by unit (of its time), mid-year, sex and 5-year age group.
    pub population: Vec<PopulationCount>,
    /// The communes (valid on `today`) the persons live in.
    pub communes: Vec<UnitId>,
}

/// Why nothing could be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The province or its communes are not in the hierarchy.
    #[error("{0}")]
    Missing(String),
}

const FAMILY: &[(&str, f64)] = &[
    ("Nguyễn", 31.0),
    ("Trần", 10.0),
    ("Lê", 9.5),
    ("Phạm", 6.5),
    ("Huỳnh", 6.0),
    ("Võ", 6.0),
    ("Phan", 4.5),
    ("Trương", 2.5),
    ("Bùi", 2.0),
    ("Đặng", 2.0),
    ("Đỗ", 1.5),
    ("Ngô", 1.5),
    ("Hồ", 2.0),
    ("Dương", 1.2),
    ("Đinh", 1.5),
    ("Đoàn", 1.0),
    ("Lâm", 0.6),
    ("Hà", 0.6),
    ("Mai", 0.6),
    ("Lý", 0.5),
    ("Tô", 0.4),
    ("Châu", 0.5),
    ("Cao", 0.6),
    ("Lương", 0.6),
];
const FAMILY_MINORITY: &[(&str, f64)] = &[
    ("Đinh", 35.0),
    ("Phạm", 20.0),
    ("Hồ", 15.0),
    ("A", 8.0),
    ("Y", 6.0),
    ("Nguyễn", 8.0),
    ("Lê", 8.0),
];
const MIDDLE_M: &[(&str, f64)] = &[
    ("Văn", 40.0),
    ("Minh", 12.0),
    ("Đức", 9.0),
    ("Quốc", 7.0),
    ("Hữu", 7.0),
    ("Công", 5.0),
    ("Thanh", 5.0),
    ("Ngọc", 4.0),
    ("Anh", 5.0),
    ("Xuân", 3.0),
];
const MIDDLE_F: &[(&str, f64)] = &[
    ("Thị", 60.0),
    ("Ngọc", 8.0),
    ("Thu", 6.0),
    ("Thanh", 6.0),
    ("Minh", 4.0),
    ("Kim", 5.0),
    ("Hồng", 5.0),
    ("Mỹ", 4.0),
    ("Bảo", 2.0),
];
const GIVEN_M: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Long", "Phúc", "Quang", "Sơn", "Thắng", "Trung",
    "Vinh", "Hoàng", "Khánh", "Bảo", "Huy", "Hiếu", "Tài", "Lộc", "Phong", "Cường", "Đạt", "Tùng",
    "Kiên", "Thành", "Tiến", "An", "Khoa", "Duy", "Việt", "Nhân", "Trí", "Lâm", "Toàn",
];
const GIVEN_F: &[&str] = &[
    "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Ngọc", "Hạnh", "Nga", "Hằng", "Loan",
    "Phương", "Yến", "Vy", "Nhung", "Thu", "Hà", "Huyền", "Tuyết", "Oanh", "Nhi", "My", "Anh",
    "Quỳnh", "Trinh", "Hiền", "Dung", "Liên", "Xuân",
];
const GIVEN_MINORITY: &[&str] = &[
    "Pó", "Blúi", "Nhứt", "Hên", "Vương", "Mốt", "Rinh", "Bé", "Lanh", "Xuyên", "Nguýt", "Thiên",
];

/// Share of each five-year age group at the start (Vietnam 2024-like, 60+
/// about 12 %).
const AGE_SHARES: [f64; 17] = [
    8.0, 8.4, 8.1, 7.3, 7.2, 7.9, 8.5, 8.2, 7.6, 6.8, 5.6, 4.3, 3.4, 2.4, 1.5, 1.0, 1.1,
];

const ICD: &[(&str, f64)] = &[
    ("J06.9", 30.0),
    ("K29.7", 9.0),
    ("M54.5", 9.0),
    ("J20.9", 8.0),
    ("A09", 6.0),
    ("R50.9", 6.0),
    ("K02.9", 4.0),
    ("L30.9", 4.0),
    ("H10.9", 4.0),
    ("N39.0", 3.0),
    ("R51", 4.0),
    ("J02.9", 6.0),
];

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd_opt(y, m, day).expect("a valid generator date")
}

/// Yearly probability of death at an age.
fn mortality(age: i32) -> f64 {
    match age {
        i32::MIN..=0 => 0.011,
        1..=4 => 0.0008,
        5..=29 => 0.0007,
        30..=44 => 0.0015,
        45..=59 => 0.005,
        60..=69 => 0.013,
        70..=79 => 0.035,
        _ => 0.10,
    }
}

struct Origin {
    /// The commune recorded (valid at the start).
    unit: UnitId,
    /// The commune of today it became.
    target: UnitId,
    highland: bool,
    kon_tum: bool,
    ward: bool,
    villages: usize,
}

/// Communes of `province` valid on `day` (directly or through districts),
/// in id order.
fn communes_of(h: &Hierarchy, province: UnitId, day: Date) -> Vec<UnitId> {
    let mut out: Vec<UnitId> = h
        .communes_under(province, day)
        .iter()
        .map(|c| c.id)
        .collect();
    out.sort();
    out
}

const HIGHLAND_DISTRICTS: &[&str] = &[
    "ba to",
    "tra bong",
    "son tay",
    "son ha",
    "minh long",
    "tay tra",
];

/// The communes valid on `today` of a province (by code).
pub fn province_communes(
    h: &Hierarchy,
    province: &str,
    today: Date,
) -> Result<Vec<UnitId>, GenerateError> {
    let code = OrgCode::parse(province)
        .map_err(|e| GenerateError::Missing(format!("province code {province}: {e}")))?;
    let p = h
        .unit_at(&code, today)
        .ok_or_else(|| GenerateError::Missing(format!("no province {province} on {today}")))?;
    Ok(communes_of(h, p.id, today))
}

/// Generates `persons` persons living in the communes of `province` valid
/// on `today`. Deterministic for a seed.
pub fn generate(
    h: &Hierarchy,
    province: &str,
    persons: usize,
    seed: u64,
    today: Date,
) -> Result<Generated, GenerateError> {
    let communes = province_communes(h, province, today)?;
    generate_in(h, &communes, persons, seed, today)
}

/// Generates `persons` persons living in `targets` (communes valid on
/// `today`).
pub fn generate_in(
    h: &Hierarchy,
    targets: &[UnitId],
    persons: usize,
    seed: u64,
    today: Date,
) -> Result<Generated, GenerateError> {
    generate_group(h, targets, persons, seed, today, &mut HashMap::new())
}

/// Persons generated as one group at most: a larger register is made a
/// group of communes at a time ([`Groups`]), about 1.2 GB of records
/// each, so that 10 million persons never sit in memory at once.
pub const GROUP_PERSONS: usize = 500_000;

/// A province's register made a group of whole communes at a time and
/// handed to a bulk load ([`BatchSource`]): each group's ids continue
/// from the group before and citizen ids stay unique across groups;
/// persons move only between the communes of their group. A register of
/// at most [`GROUP_PERSONS`] persons is one group, the same as
/// [`generate_in`]. Only the group being loaded is held; [`Groups::ahead`]
/// makes the next group while one is loaded.
pub struct Groups {
    h: Hierarchy,
    groups: Vec<(Vec<UnitId>, usize)>,
    seed: u64,
    today: Date,
    national_ids: HashMap<String, u32>,
    next: usize,
    current: Option<Generated>,
    /// Ids used so far: households, persons, moves, cards, events.
    used: [i64; 5],
    /// Counts of what was generated so far.
    pub totals: GroupTotals,
    /// Residents by unit, year, sex and age group, of every group so far.
    cells: Vec<PopulationCount>,
    /// Seconds spent generating (the rest of a load's time is writing).
    pub generate_seconds: f64,
}

/// What [`Groups`] generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupTotals {
    /// Persons.
    pub persons: usize,
    /// Households.
    pub households: usize,
    /// Events.
    pub events: usize,
    /// Insurance cards.
    pub cards: usize,
    /// Moves.
    pub moves: usize,
    /// Groups generated.
    pub groups: usize,
}

impl Groups {
    /// `persons` persons over `targets`, split in their order into groups
    /// of about [`GROUP_PERSONS`] persons (shared out by commune).
    pub fn new(
        h: &Hierarchy,
        targets: &[UnitId],
        persons: usize,
        seed: u64,
        today: Date,
    ) -> Result<Self, GenerateError> {
        Self::with_group_persons(h, targets, persons, seed, today, GROUP_PERSONS)
    }

    /// [`Groups::new`] with groups of about `group_persons` persons.
    pub fn with_group_persons(
        h: &Hierarchy,
        targets: &[UnitId],
        persons: usize,
        seed: u64,
        today: Date,
        group_persons: usize,
    ) -> Result<Self, GenerateError> {
        if targets.is_empty() {
            return Err(GenerateError::Missing(
                "no commune to place persons in".into(),
            ));
        }
        let sorted = targets;
        let n = persons
            .div_ceil(group_persons.max(1))
            .clamp(1, sorted.len());
        let mut groups = Vec::with_capacity(n);
        let mut given = 0;
        for k in 0..n {
            let (a, b) = (k * sorted.len() / n, (k + 1) * sorted.len() / n);
            // Persons in proportion to the group's communes; the last
            // group takes what is left.
            let share = if k + 1 == n {
                persons - given
            } else {
                persons * (b - a) / sorted.len()
            };
            given += share;
            groups.push((sorted[a..b].to_vec(), share));
        }
        Ok(Groups {
            h: h.clone(),
            groups,
            seed,
            today,
            national_ids: HashMap::new(),
            next: 0,
            current: None,
            used: [0; 5],
            totals: GroupTotals::default(),
            cells: vec![],
            generate_seconds: 0.0,
        })
    }

    /// Residents by unit, year, sex and age group of the groups made so
    /// far, a cell that two groups share added up.
    pub fn population(&self) -> Vec<PopulationCount> {
        let mut cells: HashMap<(UnitId, i32, &str, String), PopulationCount> = HashMap::new();
        for c in &self.cells {
            cells
                .entry((c.unit, c.year, c.sex.as_str(), c.age.to_string()))
                .and_modify(|x| x.count += c.count)
                .or_insert(*c);
        }
        let mut out: Vec<PopulationCount> = cells.into_values().collect();
        out.sort_by_key(|c| (c.unit, c.year, c.sex.as_str(), c.age.to_string()));
        out
    }

    /// The communes of every group.
    pub fn communes(&self) -> Vec<UnitId> {
        let mut all: Vec<UnitId> = self.groups.iter().flat_map(|g| g.0.clone()).collect();
        all.sort();
        all
    }

    /// How many groups the register is made in.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there is no group (never: [`Groups::new`] refuses).
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    fn make_next(&mut self) -> Result<Option<&Generated>, GenerateError> {
        self.current = None;
        let Some((targets, persons)) = self.groups.get(self.next).cloned() else {
            return Ok(None);
        };
        // The first group is what `generate_in` makes of the same seed.
        let seed = self.seed.wrapping_add(self.next as u64 * 0x9E37_79B9);
        self.next += 1;
        let started = std::time::Instant::now();
        let mut g = generate_group(
            &self.h,
            &targets,
            persons,
            seed,
            self.today,
            &mut self.national_ids,
        )?;
        shift_ids(&mut g.batch, self.used);
        self.generate_seconds += started.elapsed().as_secs_f64();
        let b = &g.batch;
        for (u, max) in self.used.iter_mut().zip([
            b.households.iter().map(|x| x.id).max(),
            b.persons.iter().map(|x| x.id).max(),
            b.moves.iter().map(|x| x.id).max(),
            b.cards.iter().map(|x| x.id).max(),
            b.events.iter().map(|x| x.id).max(),
        ]) {
            *u = max.unwrap_or(*u).max(*u);
        }
        let t = &mut self.totals;
        t.persons += b.persons.len();
        t.households += b.households.len();
        t.events += b.events.len();
        t.cards += b.cards.len();
        t.moves += b.moves.len();
        t.groups += 1;
        self.cells.append(&mut g.population);
        self.current = Some(g);
        Ok(self.current.as_ref())
    }
}

impl BatchSource for Groups {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError> {
        self.make_next()
            .map(|g| g.map(|g| &g.batch))
            .map_err(generating)
    }
}

fn generating(e: GenerateError) -> StoreError {
    StoreError::Invalid(format!("generating the registers: {e}"))
}

impl Groups {
    /// The same groups, each made on a thread of its own while the one
    /// before it is loaded: the generator's core and the load's core
    /// work at once (at 10 M persons generating is about 50 s of the
    /// load's time otherwise). The groups are made in the same order
    /// with the same seeds, so the register is the one [`Groups`] makes
    /// by itself. At most two groups are held: the one being loaded and
    /// the next, waiting or being made.
    pub fn ahead(mut self) -> Ahead {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let worker = std::thread::spawn(move || {
            loop {
                let made = match self.make_next() {
                    Ok(Some(_)) => self.current.take().map(Ok),
                    Ok(None) => None,
                    Err(e) => Some(Err(e)),
                };
                let Some(made) = made else { break };
                let failed = made.is_err();
                // The load stopped asking: no more groups.
                if tx.send(made).is_err() || failed {
                    break;
                }
            }
            self
        });
        Ahead {
            rx,
            worker,
            current: None,
            waited: 0.0,
        }
    }
}

/// [`Groups`] made one group ahead of the load ([`Groups::ahead`]).
pub struct Ahead {
    rx: std::sync::mpsc::Receiver<Result<Generated, GenerateError>>,
    worker: std::thread::JoinHandle<Groups>,
    current: Option<Generated>,
    waited: f64,
}

impl Ahead {
    /// Seconds the load waited for the generator, so far (the first
    /// group's making included).
    pub fn waited_seconds(&self) -> f64 {
        self.waited
    }

    /// Stops the generator (a group being made is finished and dropped)
    /// and gives back the groups made, with their totals and population.
    pub fn finish(self) -> Groups {
        let Ahead {
            rx,
            worker,
            current,
            ..
        } = self;
        drop(current);
        drop(rx);
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

impl BatchSource for Ahead {
    fn next_batch(&mut self) -> Result<Option<&RegisterBatch>, StoreError> {
        // The group loaded is freed on a thread of its own: millions of
        // small allocations, a second or two of the load's core.
        if let Some(done) = self.current.take() {
            std::thread::spawn(move || drop(done));
        }
        let asked = std::time::Instant::now();
        let got = self.rx.recv();
        self.waited += asked.elapsed().as_secs_f64();
        match got {
            Ok(Ok(g)) => {
                self.current = Some(g);
                Ok(self.current.as_ref().map(|g| &g.batch))
            }
            Ok(Err(e)) => Err(generating(e)),
            // The generator has made every group.
            Err(std::sync::mpsc::RecvError) => Ok(None),
        }
    }
}

/// Moves a group's ids past those `used` before it (households,
/// persons, moves, cards, events), with every reference between them:
/// a person's household, the person of a move, card, history line or
/// event, a birth's mother, an antenatal visit's pregnancy; a card's
/// number follows its person.
fn shift_ids(b: &mut RegisterBatch, used: [i64; 5]) {
    let [hh, pe, mv, ca, ev] = used;
    if used == [0; 5] {
        return;
    }
    for h in &mut b.households {
        h.id += hh;
    }
    for p in &mut b.persons {
        p.id += pe;
        if let Some(x) = &mut p.household {
            *x += hh;
        }
    }
    for m in &mut b.moves {
        m.id += mv;
        m.person += pe;
    }
    for c in &mut b.cards {
        c.id += ca;
        c.person += pe;
        // `{group}{province}{5_100_000_000 + person}`: the last ten
        // digits are the person's.
        if let Some(cut) = c.number.len().checked_sub(10) {
            c.number = format!("{}{:010}", &c.number[..cut], 5_100_000_000i64 + c.person);
        }
    }
    for x in &mut b.history {
        x.person += pe;
    }
    for e in &mut b.events {
        e.id += ev;
        e.person += pe;
        match &mut e.kind {
            EventKind::Birth {
                mother: Some(m), ..
            } => *m += pe,
            EventKind::AntenatalVisit { pregnancy } => *pregnancy += ev,
            _ => {}
        }
    }
}

fn generate_group(
    h: &Hierarchy,
    targets: &[UnitId],
    persons: usize,
    seed: u64,
    today: Date,
    national_ids: &mut HashMap<String, u32>,
) -> Result<Generated, GenerateError> {
    let start = d(today.year() - 5, 1, 1);
    let mut rng = Rng(seed ^ 0x5EED_0051);
    // Origins: communes valid at the start that became a target today.
    let mut origins: Vec<Origin> = vec![];
    for &t in targets {
        let mut preds: Vec<UnitId> = vec![];
        let mut todo = vec![t];
        while let Some(u) = todo.pop() {
            let unit = h
                .unit(u)
                .ok_or_else(|| GenerateError::Missing(format!("unit {u}")))?;
            if unit.validity.contains(start) {
                if place(h, u, today) == Some(t) && !preds.contains(&u) {
                    preds.push(u);
                }
            } else {
                todo.extend(h.predecessors(u).into_iter().map(|l| l.predecessor));
            }
        }
        if preds.is_empty() && h.unit(t).is_some_and(|u| u.validity.contains(start)) {
            preds.push(t);
        }
        preds.sort();
        for u in preds {
            let unit = h.unit(u).expect("seen above");
            let district = h.parent(u, start);
            let dname = district
                .map(|x| ytcs_core::text::fold(&x.name))
                .unwrap_or_default();
            let province_code = h
                .ancestors(u, start)
                .into_iter()
                .find(|a| a.kind == OrgKind::Province)
                .map(|a| a.code.to_string())
                .unwrap_or_default();
            let kon_tum = province_code == "62";
            let highland = kon_tum && !dname.contains("kon tum")
                || HIGHLAND_DISTRICTS.iter().any(|n| dname.contains(n));
            let folded = ytcs_core::text::fold(&unit.name);
            let ward = folded.starts_with("phuong") || folded.starts_with("thi tran");
            origins.push(Origin {
                unit: u,
                target: t,
                highland,
                kon_tum,
                ward,
                villages: rng.range(5, 14) as usize,
            });
        }
    }
    if origins.is_empty() {
        return Err(GenerateError::Missing(
            "no commune to place persons in".into(),
        ));
    }
    let weights: Vec<(usize, f64)> = origins
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let base = if o.highland {
                0.5
            } else if o.ward {
                1.4
            } else {
                1.0
            };
            (i, base * (0.6 + 0.8 * rng.unit()))
        })
        .collect();
    let years = (today - start).num_days() as f64 / 365.25;
    let initial = ((persons as f64) / (1.0 + 0.016 * years)).round() as usize;
    let initial = initial.min(persons).max(persons.min(1));

    let mut g = Gen {
        rng,
        origins,
        start,
        today,
        persons: vec![],
        households: vec![],
        hh_counter: HashMap::new(),
        id_counter: std::mem::take(national_ids),
        moves: vec![],
        evs: vec![],
        mothers: vec![],
    };
    // Initial population by households.
    let mut age_groups: Vec<(usize, f64)> = AGE_SHARES.iter().copied().enumerate().collect();
    age_groups.iter_mut().for_each(|x| x.1 /= 100.0);
    while g.persons.len() < initial {
        let o = *g.rng.pick(&weights);
        let size = *g.rng.pick(&[
            (1usize, 8.0),
            (2, 18.0),
            (3, 22.0),
            (4, 27.0),
            (5, 14.0),
            (6, 7.0),
            (7, 4.0),
        ]);
        let size = size.min(initial - g.persons.len());
        let hh = g.new_household(o);
        let minority = g.minority_ethnicity(o);
        let family = if minority.is_some() {
            *g.rng.pick(FAMILY_MINORITY)
        } else {
            *g.rng.pick(FAMILY)
        };
        for k in 0..size {
            let mut grp = *g.rng.pick(&age_groups);
            while k == 0 && grp < 4 {
                grp = *g.rng.pick(&age_groups);
            }
            let age_days = if grp == 16 {
                g.rng.range(80 * 365, 98 * 365)
            } else {
                g.rng.range(grp as i64 * 1826, grp as i64 * 1826 + 1825)
            };
            let birth = start - Duration::days(age_days.max(1));
            let sex = if g.rng.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let fam = if sex == Sex::Female && grp >= 4 && g.rng.chance(0.5) {
                if minority.is_some() {
                    *g.rng.pick(FAMILY_MINORITY)
                } else {
                    *g.rng.pick(FAMILY)
                }
            } else {
                family
            };
            g.add_person(o, hh, sex, birth, start, fam, minority, None);
        }
    }
    // Deaths of the initial population.
    for i in 0..g.persons.len() {
        g.maybe_die(i);
    }
    // Births.
    let births = persons - g.persons.len();
    let women: Vec<usize> = (0..g.persons.len())
        .filter(|&i| g.persons[i].p.sex == Sex::Female)
        .collect();
    let mut made = 0;
    let mut tries = 0;
    while made < births && !women.is_empty() && tries < births * 50 + 100 {
        tries += 1;
        let day = g.rng.day_in(start, today);
        let m = women[g.rng.range(0, women.len() as i64 - 1) as usize];
        let mother = &g.persons[m];
        let age = age_on(mother.p.birth_date, day);
        if !(18..=44).contains(&age) || mother.p.death.as_ref().is_some_and(|x| x.date <= day) {
            continue;
        }
        let o = mother.origin;
        let hh = mother.p.household.expect("every person has a household");
        let minority = mother.minority;
        let fam = if minority.is_some() {
            *g.rng.pick(FAMILY_MINORITY)
        } else {
            *g.rng.pick(FAMILY)
        };
        let sex = if g.rng.chance(0.512) {
            Sex::Male
        } else {
            Sex::Female
        };
        let child = g.add_person(o, hh, sex, day, day, fam, minority, Some(m));
        g.mothers.push((m, child));
        g.maybe_die(child);
        made += 1;
    }
    // Moves.
    for i in 0..g.persons.len() {
        g.maybe_move(i, &weights);
    }
    // Events.
    for i in 0..g.persons.len() {
        g.events_of(i);
    }
    for (m, c) in std::mem::take(&mut g.mothers) {
        g.pregnancy(m, c);
    }
    for i in 0..g.persons.len() {
        g.ongoing_pregnancy(i);
    }
    let (generated, ids) = g.finish(targets);
    *national_ids = ids;
    Ok(generated)
}

struct GenPerson {
    p: Person,
    origin: usize,
    minority: Option<&'static str>,
    mother: Option<usize>,
    /// Residence changes: (day, origin index) after the first.
    moves: Vec<(Date, usize)>,
    htn: bool,
    dm: bool,
}

/// A proto-event: the kind and a local link (ANC visit → its pregnancy's
/// index in the person's list).
struct Proto {
    date: Date,
    kind: EventKind,
    anc_of: Option<usize>,
}

struct Gen {
    rng: Rng,
    origins: Vec<Origin>,
    start: Date,
    today: Date,
    persons: Vec<GenPerson>,
    households: Vec<Household>,
    hh_counter: HashMap<usize, u32>,
    id_counter: HashMap<String, u32>,
    moves: Vec<Move>,
    evs: Vec<Vec<Proto>>,
    mothers: Vec<(usize, usize)>,
}

impl Gen {
    fn village(&mut self, o: usize) -> String {
        let or = &self.origins[o];
        let n = self.rng.range(1, or.villages as i64);
        if or.ward {
            format!("Tổ dân phố {n}")
        } else {
            format!("Thôn {n}")
        }
    }

    fn new_household(&mut self, o: usize) -> i64 {
        let village = self.village(o);
        let c = self.hh_counter.entry(o).or_default();
        *c += 1;
        let number = format!("{:05}", *c);
        let id = self.households.len() as i64 + 1;
        let address = format!("Số {}, {village}", self.rng.range(1, 300));
        self.households.push(Household {
            id,
            commune: self.origins[o].unit,
            village,
            address,
            number,
        });
        id
    }

    fn minority_ethnicity(&mut self, o: usize) -> Option<&'static str> {
        let or = &self.origins[o];
        let eth = if or.kon_tum && or.highland {
            *self.rng.pick(&[
                ("Kinh", 40.0),
                ("Xơ Đăng", 38.0),
                ("Ba Na", 12.0),
                ("Giẻ-Triêng", 10.0),
            ])
        } else if or.highland {
            *self.rng.pick(&[
                ("Kinh", 25.0),
                ("Hrê", 50.0),
                ("Co", 13.0),
                ("Xơ Đăng", 12.0),
            ])
        } else {
            *self.rng.pick(&[("Kinh", 98.5), ("Hrê", 1.0), ("Co", 0.5)])
        };
        (eth != "Kinh").then_some(eth)
    }

    #[allow(clippy::too_many_arguments)]
    fn add_person(
        &mut self,
        o: usize,
        hh: i64,
        sex: Sex,
        birth: Date,
        registered: Date,
        family: &str,
        minority: Option<&'static str>,
        mother: Option<usize>,
    ) -> usize {
        let (middle, given) = match (sex, minority) {
            (Sex::Male, None) => (
                *self.rng.pick(MIDDLE_M),
                GIVEN_M[self.rng.range(0, GIVEN_M.len() as i64 - 1) as usize],
            ),
            (Sex::Female, None) => (
                *self.rng.pick(MIDDLE_F),
                GIVEN_F[self.rng.range(0, GIVEN_F.len() as i64 - 1) as usize],
            ),
            (s, Some(_)) => (
                if s == Sex::Male { "Văn" } else { "Thị" },
                GIVEN_MINORITY[self.rng.range(0, GIVEN_MINORITY.len() as i64 - 1) as usize],
            ),
        };
        let id = self.persons.len() as i64 + 1;
        let age_today = age_on(birth, self.today);
        let national_id = if self.rng.chance(if age_today >= 14 { 0.95 } else { 0.3 }) {
            let prov = if self.origins[o].kon_tum {
                "062"
            } else {
                "051"
            };
            let century = (birth.year() - 1900) / 100;
            let digit = century * 2 + i32::from(sex == Sex::Female);
            let prefix = format!("{prov}{digit}{:02}", birth.year() % 100);
            let c = self.id_counter.entry(prefix.clone()).or_default();
            let serial = (u64::from(*c) * 7919 + 123_457) % 1_000_000;
            *c += 1;
            Some(format!("{prefix}{serial:06}"))
        } else {
            None
        };
        let village = self.households[hh as usize - 1].village.clone();
        let ehr = if self.rng.chance(0.85) {
            let from = registered.max(self.start);
            Some(if self.rng.chance(0.6) {
                self.rng
                    .day_in(from, (from + Duration::days(60)).min(self.today))
            } else {
                self.rng.day_in(from, self.today)
            })
        } else {
            None
        };
        let htn_p = match age_on(birth, self.start) {
            a if a < 35 => 0.0,
            a if a < 50 => 0.12,
            a if a < 60 => 0.22,
            _ => 0.32,
        };
        let htn = self.rng.chance(htn_p);
        let dm = self.rng.chance(htn_p * 0.3);
        self.persons.push(GenPerson {
            p: Person {
                id,
                full_name: format!("{family} {middle} {given}"),
                sex,
                birth_date: birth,
                ethnicity: minority.unwrap_or("Kinh").to_string(),
                national_id,
                household: Some(hh),
                commune: self.origins[o].unit,
                village,
                registered_on: registered,
                ehr_opened_on: ehr,
                death: None,
            },
            origin: o,
            minority,
            mother,
            moves: vec![],
            htn,
            dm,
        });
        self.evs.push(vec![]);
        self.persons.len() - 1
    }

    fn maybe_die(&mut self, i: usize) {
        let p = &self.persons[i].p;
        let (birth, from) = (p.birth_date, p.registered_on);
        for y in from.year()..=self.today.year() {
            let lo = d(y, 1, 1).max(from);
            let hi = d(y, 12, 31).min(self.today);
            if hi < lo {
                continue;
            }
            let frac = ((hi - lo).num_days() + 1) as f64 / 365.0;
            if self.rng.chance(mortality(age_on(birth, lo)) * frac) {
                let day = self.rng.day_in(lo, hi);
                let age = age_on(birth, day);
                let cause = match age {
                    a if a >= 60 => *self.rng.pick(&[
                        ("I64", 3.0),
                        ("I21.9", 2.0),
                        ("C34.9", 1.0),
                        ("J44.9", 1.0),
                        ("R54", 2.0),
                    ]),
                    a if a >= 1 => *self
                        .rng
                        .pick(&[("V89.2", 2.0), ("C22.0", 1.0), ("W74", 1.0)]),
                    _ => *self
                        .rng
                        .pick(&[("P07.3", 2.0), ("P21.9", 1.0), ("Q24.9", 1.0)]),
                };
                self.persons[i].p.death = Some(Death {
                    date: day,
                    cause: Some(cause.into()),
                });
                return;
            }
        }
    }

    fn end(&self, i: usize) -> Date {
        self.persons[i]
            .p
            .death
            .as_ref()
            .map_or(self.today, |x| x.date)
    }

    fn maybe_move(&mut self, i: usize, weights: &[(usize, f64)]) {
        let from = self.persons[i].p.registered_on;
        let end = self.end(i);
        let years = (end - from).num_days() as f64 / 365.25;
        if years <= 0.0 || !self.rng.chance(0.01 * years) {
            return;
        }
        let day = self.rng.day_in(from + Duration::days(1), end);
        if day <= from || day > end {
            return;
        }
        let o_from = self.persons[i].origin;
        let o_to = *self.rng.pick(weights);
        if o_to == o_from {
            return;
        }
        let id = self.moves.len() as i64 + 1;
        let (u_from, u_to) = (self.origins[o_from].unit, self.origins[o_to].unit);
        self.moves.push(Move {
            id,
            person: self.persons[i].p.id,
            date: day,
            from: Some(u_from),
            to: Some(u_to),
        });
        self.persons[i].moves.push((day, o_to));
        self.persons[i].p.commune = u_to;
    }

    fn push(&mut self, i: usize, date: Date, kind: EventKind) -> usize {
        self.evs[i].push(Proto {
            date,
            kind,
            anc_of: None,
        });
        self.evs[i].len() - 1
    }

    fn events_of(&mut self, i: usize) {
        let (birth, sex, registered) = {
            let p = &self.persons[i].p;
            (p.birth_date, p.sex, p.registered_on)
        };
        let end = self.end(i);
        let (start, today) = (self.start, self.today);
        // Birth.
        if birth >= start {
            let w = (3100.0 + 450.0 * self.rng.normal())
                .clamp(1200.0, 4800.0)
                .round();
            let mother = self.persons[i].mother.map(|m| self.persons[m].p.id);
            let screened = self.rng.chance(0.92);
            self.push(
                i,
                birth,
                EventKind::Birth {
                    weight_g: Some(w),
                    screened,
                    mother,
                    place: None,
                },
            );
        }
        // Immunization: children with doses due from two years before the start.
        if birth >= start - Duration::days(2 * 365) {
            let compliant = self.rng.chance(0.97);
            for v in epi::VACCINES {
                let mut prev: Option<Date> = None;
                for (k, &age) in v.ages.iter().enumerate() {
                    if !compliant || !self.rng.chance(0.985) {
                        break;
                    }
                    let delay = if age.is_birth() {
                        self.rng.range(0, 2)
                    } else {
                        (-(self.rng.unit().max(1e-9)).ln() * 9.0) as i64
                    };
                    let mut day = age.on(birth) + Duration::days(delay);
                    if let Some(p) = prev {
                        day = day.max(p + Duration::days(v.min_interval + self.rng.range(0, 3)));
                    }
                    if day > end || day > today {
                        break;
                    }
                    self.push(
                        i,
                        day,
                        EventKind::Immunization {
                            vaccine: v.code.into(),
                            dose: k as u8 + 1,
                        },
                    );
                    prev = Some(day);
                }
            }
        }
        // Growth: under-fives in June and December.
        if birth > start - Duration::days(6 * 365) {
            let haz0 = -1.0 + 1.2 * self.rng.normal();
            let waz0 = 0.55 * haz0 - 0.15 + 0.8 * self.rng.normal();
            let std = standards();
            let tables = match sex {
                Sex::Male => &std.boys,
                Sex::Female => &std.girls,
            };
            for y in start.year()..=today.year() {
                for m in [6u32, 12] {
                    let day = d(y, m, self.rng.range(5, 25) as u32);
                    if day < birth || day < registered || day > end || day > today {
                        continue;
                    }
                    let age_days = (day - birth).num_days();
                    if !(30..1826).contains(&age_days) || !self.rng.chance(0.85) {
                        continue;
                    }
                    let months = age_days as f64 / DAYS_PER_MONTH;
                    let lying = months < 24.0;
                    let ht = if lying {
                        &tables.length_for_age
                    } else {
                        &tables.height_for_age
                    };
                    let (Some(hl), Some(wl)) = (ht.at(months), tables.weight_for_age.at(months))
                    else {
                        continue;
                    };
                    let haz = haz0 + 0.25 * self.rng.normal();
                    let waz = waz0 + 0.25 * self.rng.normal();
                    let mut h = (value_at(hl, haz) * 10.0).round() / 10.0;
                    let w = (value_at(wl, waz) * 10.0).round() / 10.0;
                    if self.rng.chance(0.003) {
                        h = (h * 0.75).max(30.0);
                    }
                    self.push(
                        i,
                        day,
                        EventKind::Measurement {
                            weight_kg: Some(w.clamp(0.5, 59.0)),
                            height_cm: Some(h.clamp(26.0, 149.0)),
                            lying,
                        },
                    );
                }
            }
        }
        // NCDs.
        for (has, ncd) in [
            (self.persons[i].htn, Ncd::Hypertension),
            (self.persons[i].dm, Ncd::Diabetes),
        ] {
            if !has {
                continue;
            }
            let from = registered.max(start);
            if end <= from {
                continue;
            }
            let enrol = if self.rng.chance(0.5) {
                from
            } else {
                self.rng.day_in(from, end)
            };
            self.push(i, enrol, EventKind::NcdEnrolment { ncd });
            let controlled = self.rng.chance(0.6);
            let mut day = enrol + Duration::days(self.rng.range(20, 35));
            while day <= end && day <= today {
                if self.rng.chance(0.85) {
                    let kind = match ncd {
                        Ncd::Hypertension => {
                            let s = if controlled {
                                126.0 + 7.0 * self.rng.normal()
                            } else {
                                152.0 + 10.0 * self.rng.normal()
                            }
                            .clamp(95.0, 220.0)
                            .round();
                            let dia = (s * 0.62 + 4.0 * self.rng.normal())
                                .clamp(55.0, s - 20.0)
                                .round();
                            EventKind::NcdFollowUp {
                                ncd,
                                systolic: Some(s),
                                diastolic: Some(dia),
                                glucose: None,
                            }
                        }
                        Ncd::Diabetes => {
                            let g = if controlled {
                                6.1 + 0.5 * self.rng.normal()
                            } else {
                                8.6 + 1.5 * self.rng.normal()
                            }
                            .clamp(3.5, 25.0);
                            EventKind::NcdFollowUp {
                                ncd,
                                systolic: None,
                                diastolic: None,
                                glucose: Some((g * 10.0).round() / 10.0),
                            }
                        }
                    };
                    self.push(i, day, kind);
                }
                day += Duration::days(self.rng.range(27, 34));
            }
        }
        // Elderly checks, examinations.
        let first = registered.max(start);
        let sixty = birth + Duration::days(60 * 365 + 16);
        for y in first.year()..=today.year() {
            let lo = d(y, 1, 1).max(first);
            let hi = d(y, 12, 31).min(end).min(today);
            if hi < lo {
                continue;
            }
            if hi >= sixty && self.rng.chance(0.7) {
                let day = self.rng.day_in(lo.max(sixty), hi);
                self.push(i, day, EventKind::ElderlyCheck);
            }
            let frac = ((hi - lo).num_days() + 1) as f64 / 365.0;
            // Poisson(frac) by inversion.
            let mut n = 0;
            let (mut p, l) = (1.0, (-frac).exp());
            loop {
                p *= self.rng.unit();
                if p <= l {
                    break;
                }
                n += 1;
            }
            for _ in 0..n {
                let day = self.rng.day_in(lo, hi);
                let code = if self.persons[i].htn && self.rng.chance(0.3) {
                    "I10"
                } else if self.persons[i].dm && self.rng.chance(0.3) {
                    "E11.9"
                } else {
                    *self.rng.pick(ICD)
                };
                let insured = self.rng.chance(0.9);
                self.push(
                    i,
                    day,
                    EventKind::Examination {
                        icd10: code.into(),
                        insured,
                    },
                );
            }
        }
    }

    /// The pregnancy of mother `m` that ended with the birth of `c`.
    fn pregnancy(&mut self, m: usize, c: usize) {
        let birth = self.persons[c].p.birth_date;
        let reg = (birth - Duration::days(self.rng.range(120, 240))).max(self.start);
        let reg = reg.max(self.persons[m].p.registered_on);
        let expected = birth + Duration::days(self.rng.range(-10, 10));
        let screened = self.rng.chance(0.8);
        let k = self.push(
            m,
            reg,
            EventKind::Pregnancy {
                expected,
                ended: Some(birth),
                outcome: Some(PregnancyOutcome::LiveBirth),
                screened,
            },
        );
        let visits = self.rng.range(2, 5);
        for _ in 0..visits {
            let day = self.rng.day_in(reg, birth);
            self.evs[m].push(Proto {
                date: day,
                kind: EventKind::AntenatalVisit { pregnancy: 0 },
                anc_of: Some(k),
            });
        }
    }

    /// Losses and pregnancies still ongoing today.
    fn ongoing_pregnancy(&mut self, i: usize) {
        let p = &self.persons[i].p;
        if p.sex != Sex::Female || p.death.is_some() {
            return;
        }
        let age = age_on(p.birth_date, self.today);
        if !(19..=42).contains(&age) {
            return;
        }
        let today = self.today;
        if self.rng.chance(0.012) {
            let reg = today - Duration::days(self.rng.range(10, 200));
            let expected = reg + Duration::days(self.rng.range(90, 250));
            let screened = self.rng.chance(0.5);
            let k = self.push(
                i,
                reg,
                EventKind::Pregnancy {
                    expected,
                    ended: None,
                    outcome: None,
                    screened,
                },
            );
            let day = self.rng.day_in(reg, today);
            self.evs[i].push(Proto {
                date: day,
                kind: EventKind::AntenatalVisit { pregnancy: 0 },
                anc_of: Some(k),
            });
        } else if self.rng.chance(0.01) {
            let reg = self.rng.day_in(self.start, today - Duration::days(120));
            let ended = reg + Duration::days(self.rng.range(10, 60));
            self.push(
                i,
                reg,
                EventKind::Pregnancy {
                    expected: reg + Duration::days(220),
                    ended: Some(ended),
                    outcome: Some(PregnancyOutcome::Loss),
                    screened: false,
                },
            );
        }
    }

    fn residence(&self, i: usize, day: Date) -> usize {
        let gp = &self.persons[i];
        let mut o = gp.origin;
        for (when, to) in &gp.moves {
            if *when <= day {
                o = *to;
            }
        }
        o
    }

    /// The records, and the citizen-id counters for the next group.
    fn finish(mut self, targets: &[UnitId]) -> (Generated, HashMap<String, u32>) {
        let std = standards();
        let mut events: Vec<Event> = vec![];
        let mut cards: Vec<InsuranceCard> = vec![];
        let (start, today) = (self.start, self.today);
        let evs = std::mem::take(&mut self.evs);
        for (i, mut list) in evs.into_iter().enumerate() {
            let mut order: Vec<usize> = (0..list.len()).collect();
            // Stable by date, pregnancies before their visits on one day.
            order.sort_by_key(|&k| (list[k].date, list[k].anc_of.is_some(), k));
            let base = events.len() as i64 + 1;
            let mut new_id = vec![0i64; list.len()];
            for (pos, &k) in order.iter().enumerate() {
                new_id[k] = base + pos as i64;
            }
            let p = &self.persons[i].p;
            for &k in &order {
                let pr = &mut list[k];
                let mut kind = std::mem::replace(&mut pr.kind, EventKind::ElderlyCheck);
                if let (EventKind::AntenatalVisit { pregnancy }, Some(of)) = (&mut kind, pr.anc_of)
                {
                    *pregnancy = new_id[of];
                }
                let o = self.residence(i, pr.date);
                let unit = place_or(self.origins[o].unit, self.origins[o].target, pr.date);
                let mut e = Event {
                    id: new_id[k],
                    person: p.id,
                    date: pr.date,
                    unit,
                    kind,
                    flags: vec![],
                };
                if matches!(e.kind, EventKind::Measurement { .. }) {
                    e.flags = measurement_flags(std, &e, p);
                }
                events.push(e);
            }
            // Cards: one a year, about 93 % of person-years.
            let steady = self.rng.chance(0.9);
            let group = match age_on(p.birth_date, today) {
                a if a < 6 => "TE1",
                a if a < 18 => "HS4",
                a if a >= 60 => "HT3",
                _ if self.persons[i].minority.is_some() => "DK2",
                _ => "GD4",
            };
            let prov = if self.origins[self.persons[i].origin].kon_tum {
                "62"
            } else {
                "51"
            };
            let end = p.death.as_ref().map_or(today, |x| x.date);
            for y in start.year()..=today.year() {
                let from = d(y, 1, 1).max(p.birth_date).max(p.registered_on);
                if from > end || from > d(y, 12, 31) || !(steady || self.rng.chance(0.3)) {
                    continue;
                }
                cards.push(InsuranceCard {
                    id: cards.len() as i64 + 1,
                    person: p.id,
                    number: format!("{group}{prov}{:010}", 5_100_000_000i64 + p.id),
                    valid_from: from,
                    valid_to: d(y, 12, 31),
                });
            }
        }
        let population = self.population();
        let mut communes: Vec<UnitId> = targets.to_vec();
        communes.sort();
        let generated = Generated {
            batch: RegisterBatch {
                households: self.households,
                persons: self.persons.into_iter().map(|g| g.p).collect(),
                moves: self.moves,
                cards,
                history: vec![],
                events,
                delete_events: vec![],
            },
            population,
            communes,
        };
        (generated, self.id_counter)
    }

    /// Residents on 1 July of each year of the window, by the unit of the
    /// day, sex and age group.
    fn population(&self) -> Vec<PopulationCount> {
        let mut cells: HashMap<(UnitId, i32, u8, u8), i64> = HashMap::new();
        for y in self.start.year()..=self.today.year() {
            let day = d(y, 7, 1);
            for (i, gp) in self.persons.iter().enumerate() {
                let p = &gp.p;
                if p.registered_on > day || p.birth_date > day {
                    continue;
                }
                if p.death.as_ref().is_some_and(|x| x.date <= day) {
                    continue;
                }
                let o = self.residence(i, day);
                let unit = place_or(self.origins[o].unit, self.origins[o].target, day);
                let age = (age_on(p.birth_date, day) / 5 * 5).min(80) as u8;
                *cells
                    .entry((unit, y, u8::from(p.sex == Sex::Female), age))
                    .or_default() += 1;
            }
        }
        let mut out: Vec<PopulationCount> = cells
            .into_iter()
            .map(|((unit, year, f, age), count)| PopulationCount {
                unit,
                year,
                sex: if f == 1 { Sex::Female } else { Sex::Male },
                age: AgeGroup::new(age).expect("a multiple of five up to 80"),
                count,
            })
            .collect();
        out.sort_by_key(|p| (p.unit, p.year, p.sex == Sex::Female, p.age.to_string()));
        out
    }
}

/// The unit of a recorded commune on a day: the old commune before the
/// reform, its successor (the target) after.
fn place_or(origin: UnitId, target: UnitId, day: Date) -> UnitId {
    if origin == target {
        return origin;
    }
    // Both are known: the origin was valid at the start and becomes the
    // target; which one holds on `day` is decided by the reform date.
    if day >= ytcs_refdata::REFORM_DATE {
        target
    } else {
        origin
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::register::{check_card, check_event, check_person};

    fn hierarchy() -> Hierarchy {
        let a = ytcs_refdata::admin_units().unwrap();
        Hierarchy::new(a.units, a.links, a.lineage).unwrap()
    }

    #[test]
    fn deterministic_checked_and_plausible() {
        let h = hierarchy();
        let today = d(2026, 11, 23);
        let a = generate(&h, "51", 4000, 7, today).unwrap();
        let b = generate(&h, "51", 4000, 7, today).unwrap();
        assert_eq!(a.batch, b.batch);
        assert_eq!(a.population, b.population);
        let c = generate(&h, "51", 4000, 8, today).unwrap();
        assert_ne!(a.batch.persons, c.batch.persons);
        let g = a.batch;
        assert_eq!(g.persons.len(), 4000);
        let mut by_person: HashMap<i64, Vec<&Event>> = HashMap::new();
        for e in &g.events {
            by_person.entry(e.person).or_default().push(e);
        }
        let mut ids = std::collections::HashSet::new();
        for p in &g.persons {
            check_person(p, today).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            if let Some(n) = &p.national_id {
                assert!(ids.insert(n.clone()), "national id {n} twice");
            }
            let mut seen: Vec<Event> = vec![];
            for e in by_person.get(&p.id).into_iter().flatten() {
                check_event(e, p, &seen, today).unwrap_or_else(|x| panic!("{e:?} of {p:?}: {x}"));
                seen.push((*e).clone());
            }
        }
        for c in &g.cards {
            check_card(c).unwrap();
        }
        // Rates within sane bounds.
        let n = g.persons.len() as f64;
        let births = g
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Birth { .. }))
            .count() as f64;
        let per_year = births / n / 5.9;
        assert!((0.010..0.022).contains(&per_year), "births {per_year}");
        let deaths = g.persons.iter().filter(|p| p.death.is_some()).count() as f64 / n / 5.9;
        assert!((0.003..0.010).contains(&deaths), "deaths {deaths}");
        let old = g
            .persons
            .iter()
            .filter(|p| age_on(p.birth_date, today) >= 60)
            .count() as f64
            / n;
        assert!((0.08..0.18).contains(&old), "60+ {old}");
        let ehr = g
            .persons
            .iter()
            .filter(|p| p.ehr_opened_on.is_some())
            .count() as f64
            / n;
        assert!((0.8..0.9).contains(&ehr), "ehr {ehr}");
        assert!(g.events.len() as f64 / n > 5.0, "events per person");
        let pop2024: i64 = a
            .population
            .iter()
            .filter(|p| p.year == 2024)
            .map(|p| p.count)
            .sum();
        assert!(pop2024 as f64 > 0.9 * n && (pop2024 as f64) < n);
        assert!(!g.moves.is_empty() || g.persons.len() < 1000);
        assert!(g
            .persons
            .iter()
            .any(|p| p.full_name.starts_with("Nguyễn") && p.ethnicity == "Kinh"));
    }

    #[test]
    fn derived_rates_are_realistic() {
        use ytcs_core::period::Period;
        use ytcs_core::register::derive::{derive, Registers, Window};
        let h = hierarchy();
        let today = d(2026, 11, 23);
        let g = generate(&h, "51", 6000, 3, today).unwrap().batch;
        let r = Registers {
            persons: g.persons,
            moves: g.moves,
            cards: g.cards,
            events: g.events,
        };
        let v = derive(
            &h,
            standards(),
            &r,
            Window {
                from_year: 2021,
                through: Period::Month(2026, 11),
            },
        );
        let sum = |el: &str, y: Option<i32>| -> i64 {
            v.iter()
                .filter(|x| x.element == el)
                .filter(|x| y.is_none_or(|y| x.period == Period::Year(y)))
                .map(|x| x.value)
                .sum()
        };
        let ratio = |a: &str, b: &str| sum(a, None) as f64 / sum(b, None).max(1) as f64;
        let stunted = ratio("children_u5_stunted", "children_u5_measured");
        assert!((0.12..0.3).contains(&stunted), "stunting {stunted}");
        let uw = ratio("children_u5_underweight", "children_u5_measured");
        assert!((0.05..0.16).contains(&uw), "underweight {uw}");
        let full = ratio("children_age1_fully_immunized", "children_age1");
        assert!((0.8..0.99).contains(&full), "fully immunized {full}");
        let ins = sum("insured_persons", Some(2024)) as f64;
        let ehr = sum("ehr_persons", Some(2024)) as f64;
        assert!(ins > 0.85 * ehr, "insured {ins} ehr {ehr}");
        let scr = ratio("newborns_screened", "live_births");
        assert!((0.85..0.97).contains(&scr), "newborn screening {scr}");
    }
}
