//! The health network as a dated registry: facilities attached to org units,
//! staff and their posts, training of village health workers, and
//! population by unit, year, sex and age group — with the rules that keep
//! it consistent ([`NetworkData::validate`]) and the network indicators
//! computed from it ([`network_indicator`]).
//!
//! Every record is recorded under the units *of its time* (a 2024 post under
//! the facility's 2024 attachment, 2024 population under the old commune);
//! [`crate::rollup`] carries them to the units standing on the date a
//! question is asked.
//! Registry counts (stations, communes, villages) follow the same rule
//! as values, so a station of a commune split 50/50 counts half in each
//! successor.
//!
//! Network figures are yearly: read on the year's last day (posts,
//! attachments, villages) and from the year's mid-year population.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::hierarchy::Hierarchy;
use crate::org::{OrgCode, OrgKind, UnitId};
use crate::period::Period;
use crate::rollup::{Rollup, RollupError};
use crate::validity::Validity;
use crate::Date;

/// Declares a closed enum with stable snake_case names, Vietnamese and
/// English labels, and `FromStr` accepting the stable name or the
/// Vietnamese label (diacritic-insensitive).
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => ($s:literal, $vi:literal, $en:literal)),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// The stable name used in JSON, SQL and files.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s),* } }
            /// The Vietnamese label.
            pub fn name_vi(self) -> &'static str { match self { $($name::$v => $vi),* } }
            /// The English label.
            pub fn name_en(self) -> &'static str { match self { $($name::$v => $en),* } }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                // The code as stored first: every read of a record parses
                // these, and folding is costly.
                if let Some(k) = $name::ALL.iter().copied().find(|k| k.as_str() == s) {
                    return Ok(k);
                }
                let folded = crate::text::fold(s);
                $name::ALL
                    .iter()
                    .copied()
                    .find(|k| k.as_str() == s.trim() || crate::text::fold(k.name_vi()) == folded)
                    .ok_or_else(|| {
                        let names: Vec<&str> = $name::ALL.iter().map(|k| k.as_str()).collect();
                        format!("'{}' is not one of {}", s.trim(), names.join(", "))
                    })
            }
        }
    };
}

pub(crate) use labelled_enum;

labelled_enum!(
    /// What a facility is.
    FacilityKind {
        /// Trạm Y tế xã/phường.
        CommuneStation => ("commune_station", "Trạm Y tế xã", "Commune health station"),
        /// Phòng khám đa khoa khu vực.
        RegionalPolyclinic => ("regional_polyclinic", "Phòng khám đa khoa khu vực", "Regional polyclinic"),
        /// Trung tâm Y tế (huyện / khu vực).
        HealthCentre => ("health_centre", "Trung tâm Y tế", "Health centre"),
        /// Bệnh viện.
        Hospital => ("hospital", "Bệnh viện", "Hospital"),
        /// Phòng khám tư nhân.
        PrivateClinic => ("private_clinic", "Phòng khám tư nhân", "Private clinic"),
    }
);

labelled_enum!(
    /// Whether a facility is working.
    FacilityStatus {
        /// Working.
        Active => ("active", "Đang hoạt động", "Active"),
        /// Temporarily not working (repairs, no staff).
        Suspended => ("suspended", "Tạm ngừng", "Suspended"),
        /// Closed for good.
        Closed => ("closed", "Đã đóng cửa", "Closed"),
    }
);

labelled_enum!(
    /// Staff cadres (chức danh chuyên môn).
    Cadre {
        /// Bác sĩ.
        Doctor => ("doctor", "Bác sĩ", "Doctor"),
        /// Y sĩ.
        AssistantDoctor => ("assistant_doctor", "Y sĩ", "Assistant doctor"),
        /// Dược sĩ đại học.
        UniversityPharmacist => ("university_pharmacist", "Dược sĩ đại học", "University pharmacist"),
        /// Dược sĩ trung học / cao đẳng.
        Pharmacist => ("pharmacist", "Dược sĩ trung học", "Pharmacist (secondary)"),
        /// Điều dưỡng.
        Nurse => ("nurse", "Điều dưỡng", "Nurse"),
        /// Nữ hộ sinh / y sỹ sản nhi.
        Midwife => ("midwife", "Nữ hộ sinh / Y sỹ sản nhi", "Midwife / obstetric assistant doctor"),
        /// Y học cổ truyền.
        TraditionalMedicine => ("traditional_medicine", "Y học cổ truyền", "Traditional medicine"),
        /// Kỹ thuật viên.
        Technician => ("technician", "Kỹ thuật viên", "Technician"),
        /// Nhân viên y tế thôn bản.
        VillageHealthWorker => ("village_health_worker", "Nhân viên y tế thôn bản", "Village health worker"),
        /// Cô đỡ thôn bản.
        VillageMidwife => ("village_midwife", "Cô đỡ thôn bản", "Village midwife"),
        /// Cộng tác viên dân số.
        PopulationCollaborator => ("population_collaborator", "Cộng tác viên dân số", "Population collaborator"),
    }
);

labelled_enum!(
    /// How a person holds a post.
    PostKind {
        /// Biên chế / cơ hữu: the person belongs to the facility.
        Permanent => ("permanent", "Biên chế", "Permanent"),
        /// Luân phiên / tăng cường: seconded for a time.
        Rotation => ("rotation", "Luân phiên", "Rotation"),
    }
);

labelled_enum!(
    /// Sex, as population tables split it.
    Sex {
        /// Nam.
        Male => ("male", "Nam", "Male"),
        /// Nữ.
        Female => ("female", "Nữ", "Female"),
    }
);

/// A five-year age group, identified by its lower bound (0, 5, …, 80); 80
/// means "80 and over".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgeGroup(u8);

impl AgeGroup {
    /// The open-ended last group's lower bound.
    pub const LAST: u8 = 80;

    /// The group starting at `lower` (a multiple of 5, at most 80).
    pub fn new(lower: u8) -> Option<Self> {
        (lower.is_multiple_of(5) && lower <= Self::LAST).then_some(AgeGroup(lower))
    }

    /// Every group, youngest first.
    pub fn all() -> impl Iterator<Item = AgeGroup> {
        (0..=Self::LAST).step_by(5).map(AgeGroup)
    }

    /// The lower bound in years.
    pub fn lower(self) -> u8 {
        self.0
    }
}

impl fmt::Display for AgeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 >= Self::LAST {
            write!(f, "{}+", self.0)
        } else {
            write!(f, "{}-{}", self.0, self.0 + 4)
        }
    }
}

impl FromStr for AgeGroup {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let lower = t
            .strip_suffix('+')
            .or_else(|| t.split('-').next())
            .and_then(|x| x.trim().parse::<u8>().ok());
        lower
            .and_then(AgeGroup::new)
            .filter(|g| g.to_string() == t.replace(' ', ""))
            .ok_or_else(|| format!("'{t}' is not an age group: use 0-4, 5-9, …, 75-79 or 80+"))
    }
}

impl TryFrom<String> for AgeGroup {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

impl From<AgeGroup> for String {
    fn from(g: AgeGroup) -> String {
        g.to_string()
    }
}

/// A health facility over its life.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facility {
    /// Stable code (never reused).
    pub code: OrgCode,
    /// Official name.
    pub name: String,
    /// What it is.
    pub kind: FacilityKind,
    /// Inpatient beds.
    pub beds: i64,
    /// Working, suspended or closed.
    pub status: FacilityStatus,
    /// Share (0–1) of its level's list of technical services it performs.
    pub services_share: Option<f64>,
    /// From opening to closure.
    pub validity: Validity,
}

/// A facility's place in the hierarchy over a time; a move ends one
/// attachment and starts another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// The facility.
    pub facility: OrgCode,
    /// The org unit it belongs to.
    pub unit: UnitId,
    /// When.
    pub validity: Validity,
}

/// A person on the staff registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    /// Stable personal code.
    pub code: String,
    /// Full name.
    pub name: String,
    /// Cadre.
    pub cadre: Cadre,
    /// Qualification in words (e.g. "Bác sĩ đa khoa", "CKI Nhi").
    pub qualification: Option<String>,
}

/// Where a post is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workplace {
    /// A facility, by code.
    Facility(OrgCode),
    /// A village (village health workers, village midwives), by unit.
    Village(UnitId),
}

/// A person's post over a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// The person's code.
    pub person: String,
    /// Where.
    pub workplace: Workplace,
    /// Permanent or rotation.
    pub kind: PostKind,
    /// When.
    pub validity: Validity,
}

/// A completed training (village health workers' basic course, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Training {
    /// The person's code.
    pub person: String,
    /// The course's name.
    pub course: String,
    /// Day of completion.
    pub completed: Date,
}

/// Resident persons of one unit, year, sex and age group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PopulationCount {
    /// The unit the figure was recorded under (a unit of its time).
    pub unit: UnitId,
    /// The year (mid-year population).
    pub year: i32,
    /// Sex.
    pub sex: Sex,
    /// Age group.
    pub age: AgeGroup,
    /// Persons; never negative.
    pub count: i64,
}

/// The whole registry (or a batch to add to it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkData {
    /// Facilities.
    pub facilities: Vec<Facility>,
    /// Their attachments to units.
    pub attachments: Vec<Attachment>,
    /// Staff.
    pub staff: Vec<StaffMember>,
    /// Posts.
    pub posts: Vec<Post>,
    /// Training records.
    pub trainings: Vec<Training>,
    /// Population.
    pub population: Vec<PopulationCount>,
}

/// A record that breaks a rule of the registry, named so a person can find it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkError {
    /// One facility code on two records whose lives overlap.
    #[error("facility {0} is registered twice with overlapping validity")]
    DuplicateFacility(OrgCode),
    /// Beds below zero.
    #[error("facility {code}: {beds} beds is negative")]
    NegativeBeds {
        /// The facility.
        code: OrgCode,
        /// The beds given.
        beds: i64,
    },
    /// Share of services outside 0–1.
    #[error("facility {code}: share of technical services {share} is outside 0–100 %")]
    ServicesShare {
        /// The facility.
        code: OrgCode,
        /// The share given.
        share: f64,
    },
    /// Two attachments of one facility at once.
    #[error("facility {facility} is attached to two units at once (validity {a} and {b} overlap)")]
    OverlappingAttachments {
        /// The facility.
        facility: OrgCode,
        /// First interval.
        a: ValidityText,
        /// Second interval.
        b: ValidityText,
    },
    /// An attachment, post or training names an unknown record.
    #[error("{what} names unknown {kind} {code}")]
    Unknown {
        /// The record that refers.
        what: String,
        /// What kind of thing is missing.
        kind: &'static str,
        /// Its code.
        code: String,
    },
    /// One person code twice.
    #[error("staff member {0} is registered twice")]
    DuplicateStaff(String),
    /// Two permanent posts at once.
    #[error("staff member {person} holds two permanent posts at once ({a} during {va}, {b} during {vb})")]
    TwoPermanentPosts {
        /// The person.
        person: String,
        /// First workplace.
        a: String,
        /// Its validity.
        va: ValidityText,
        /// Second workplace.
        b: String,
        /// Its validity.
        vb: ValidityText,
    },
    /// A count below zero.
    #[error("population of unit {unit}, {year}, {sex}, {age}: {count} is negative")]
    NegativePopulation {
        /// Unit id.
        unit: UnitId,
        /// Year.
        year: i32,
        /// Sex.
        sex: Sex,
        /// Age group.
        age: AgeGroup,
        /// The count.
        count: i64,
    },
    /// The same population cell twice.
    #[error("population of unit {unit}, {year}, {sex}, {age} is given twice")]
    DuplicatePopulation {
        /// Unit id.
        unit: UnitId,
        /// Year.
        year: i32,
        /// Sex.
        sex: Sex,
        /// Age group.
        age: AgeGroup,
    },
}

/// A validity interval printed as `from – to` (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidityText(pub Validity);

impl fmt::Display for ValidityText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let from = self.0.from.map_or("…".to_string(), |d| d.to_string());
        let to = self.0.to.map_or("…".to_string(), |d| d.to_string());
        write!(f, "{from} – {to}")
    }
}

impl fmt::Display for Workplace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Workplace::Facility(c) => write!(f, "facility {c}"),
            Workplace::Village(u) => write!(f, "village unit {u}"),
        }
    }
}

impl NetworkData {
    /// Appends another batch.
    pub fn extend(&mut self, other: NetworkData) {
        self.facilities.extend(other.facilities);
        self.attachments.extend(other.attachments);
        self.staff.extend(other.staff);
        self.posts.extend(other.posts);
        self.trainings.extend(other.trainings);
        self.population.extend(other.population);
    }

    /// Every rule broken, each naming its record; empty when consistent.
    /// `unit_exists` says whether a unit id is known (attachments, village
    /// posts and population must name real units).
    pub fn validate(&self, unit_exists: &dyn Fn(UnitId) -> bool) -> Vec<NetworkError> {
        let mut errs = Vec::new();
        let mut facilities: HashMap<&OrgCode, Vec<&Facility>> = HashMap::new();
        for f in &self.facilities {
            let same = facilities.entry(&f.code).or_default();
            if same.iter().any(|o| o.validity.overlaps(&f.validity)) {
                errs.push(NetworkError::DuplicateFacility(f.code.clone()));
            }
            same.push(f);
            if f.beds < 0 {
                errs.push(NetworkError::NegativeBeds {
                    code: f.code.clone(),
                    beds: f.beds,
                });
            }
            if let Some(s) = f.services_share {
                if !(0.0..=1.0).contains(&s) {
                    errs.push(NetworkError::ServicesShare {
                        code: f.code.clone(),
                        share: s,
                    });
                }
            }
        }
        let mut attached: HashMap<&OrgCode, Vec<&Attachment>> = HashMap::new();
        for a in &self.attachments {
            if !facilities.contains_key(&a.facility) {
                errs.push(NetworkError::Unknown {
                    what: format!("an attachment of facility {}", a.facility),
                    kind: "facility",
                    code: a.facility.to_string(),
                });
            }
            if !unit_exists(a.unit) {
                errs.push(NetworkError::Unknown {
                    what: format!("the attachment of facility {}", a.facility),
                    kind: "unit id",
                    code: a.unit.to_string(),
                });
            }
            let same = attached.entry(&a.facility).or_default();
            if let Some(o) = same.iter().find(|o| o.validity.overlaps(&a.validity)) {
                errs.push(NetworkError::OverlappingAttachments {
                    facility: a.facility.clone(),
                    a: ValidityText(o.validity),
                    b: ValidityText(a.validity),
                });
            }
            same.push(a);
        }
        let mut people = HashSet::new();
        for s in &self.staff {
            if !people.insert(s.code.as_str()) {
                errs.push(NetworkError::DuplicateStaff(s.code.clone()));
            }
        }
        let mut permanent: HashMap<&str, Vec<&Post>> = HashMap::new();
        for p in &self.posts {
            if !people.contains(p.person.as_str()) {
                errs.push(NetworkError::Unknown {
                    what: format!("a post at {}", p.workplace),
                    kind: "staff member",
                    code: p.person.clone(),
                });
            }
            match &p.workplace {
                Workplace::Facility(c) if !facilities.contains_key(c) => {
                    errs.push(NetworkError::Unknown {
                        what: format!("the post of staff member {}", p.person),
                        kind: "facility",
                        code: c.to_string(),
                    })
                }
                Workplace::Village(u) if !unit_exists(*u) => errs.push(NetworkError::Unknown {
                    what: format!("the post of staff member {}", p.person),
                    kind: "village unit id",
                    code: u.to_string(),
                }),
                _ => {}
            }
            if p.kind == PostKind::Permanent {
                let same = permanent.entry(p.person.as_str()).or_default();
                if let Some(o) = same.iter().find(|o| o.validity.overlaps(&p.validity)) {
                    errs.push(NetworkError::TwoPermanentPosts {
                        person: p.person.clone(),
                        a: o.workplace.to_string(),
                        va: ValidityText(o.validity),
                        b: p.workplace.to_string(),
                        vb: ValidityText(p.validity),
                    });
                }
                same.push(p);
            }
        }
        for t in &self.trainings {
            if !people.contains(t.person.as_str()) {
                errs.push(NetworkError::Unknown {
                    what: format!("training '{}'", t.course),
                    kind: "staff member",
                    code: t.person.clone(),
                });
            }
        }
        let mut cells = HashSet::new();
        for p in &self.population {
            if p.count < 0 {
                errs.push(NetworkError::NegativePopulation {
                    unit: p.unit,
                    year: p.year,
                    sex: p.sex,
                    age: p.age,
                    count: p.count,
                });
            }
            if !cells.insert((p.unit, p.year, p.sex, p.age)) {
                errs.push(NetworkError::DuplicatePopulation {
                    unit: p.unit,
                    year: p.year,
                    sex: p.sex,
                    age: p.age,
                });
            }
            if !unit_exists(p.unit) {
                errs.push(NetworkError::Unknown {
                    what: format!("population of {}", p.year),
                    kind: "unit id",
                    code: p.unit.to_string(),
                });
            }
        }
        errs
    }
}

/// The network indicators (and the `population` data element) computed
/// from the registry; codes of `shared/contracts/indicators.md`.
pub const NETWORK_CODES: &[&str] = &[
    "population",
    "doctors_per_10000",
    "pharmacists_per_10000",
    "nurses_per_10000",
    "beds_per_10000",
    "stations_with_doctor_pct",
    "villages_with_vhw_pct",
    "communes_with_midwife_pct",
    "stations_pharmacy_tm_staff_pct",
];

/// One computed figure: `value = numerator / denominator × factor`, or the
/// plain total for a data element (no denominator).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    /// The result; `None` when the denominator is zero ("no data").
    pub value: Option<f64>,
    /// Numerator (or the element's total).
    pub numerator: f64,
    /// Denominator, absent for a data element.
    pub denominator: Option<f64>,
}

/// Why a network figure cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FigureError {
    /// The code is not a network indicator.
    #[error("'{0}' is not a network indicator; known: {list}", list = NETWORK_CODES.join(", "))]
    UnknownCode(String),
    /// Network figures are yearly.
    #[error("network figures are yearly: use a year such as 2024, not {0}")]
    NotAYear(Period),
    /// Roll-up refused.
    #[error(transparent)]
    Rollup(#[from] RollupError),
}

/// The day a year's registry is read on (posts, attachments, villages):
/// the year's last day.
pub fn reference_day(year: i32) -> Option<Date> {
    Date::from_ymd_opt(year, 12, 31)
}

/// Values recorded under units of their time for one year, ready to roll
/// up: every quantity the network indicators need.
#[derive(Debug, Clone, Default)]
pub struct YearValues {
    /// Population.
    pub population: Vec<(UnitId, f64)>,
    /// Staff in post by cadre (any facility, any post kind).
    pub staff_by_cadre: HashMap<Cadre, Vec<(UnitId, f64)>>,
    /// Beds of working facilities.
    pub beds: Vec<(UnitId, f64)>,
    /// Working commune stations.
    pub stations: Vec<(UnitId, f64)>,
    /// Stations with a doctor in a permanent post.
    pub stations_with_doctor: Vec<(UnitId, f64)>,
    /// Stations with pharmacy and traditional-medicine staff.
    pub stations_pharmacy_tm: Vec<(UnitId, f64)>,
    /// Villages.
    pub villages: Vec<(UnitId, f64)>,
    /// Villages with a trained village health worker in post.
    pub villages_with_vhw: Vec<(UnitId, f64)>,
    /// Communes.
    pub communes: Vec<(UnitId, f64)>,
    /// Communes whose station has a midwife or obstetric assistant doctor.
    pub communes_with_midwife: Vec<(UnitId, f64)>,
}

impl YearValues {
    /// Extracts one year's quantities from the registry, each recorded
    /// under the unit it belonged to on the year's [`reference_day`].
    pub fn of_year(h: &Hierarchy, data: &NetworkData, year: i32) -> YearValues {
        let mut out = YearValues::default();
        let Some(day) = reference_day(year) else {
            return out;
        };
        for p in data.population.iter().filter(|p| p.year == year) {
            out.population.push((p.unit, p.count as f64));
        }
        let facility_unit: HashMap<&OrgCode, UnitId> = data
            .attachments
            .iter()
            .filter(|a| a.validity.contains(day))
            .map(|a| (&a.facility, a.unit))
            .collect();
        let working: HashMap<&OrgCode, &Facility> = data
            .facilities
            .iter()
            .filter(|f| f.validity.contains(day) && f.status != FacilityStatus::Closed)
            .map(|f| (&f.code, f))
            .collect();
        let cadre: HashMap<&str, Cadre> = data
            .staff
            .iter()
            .map(|s| (s.code.as_str(), s.cadre))
            .collect();
        let trained: HashSet<&str> = data
            .trainings
            .iter()
            .filter(|t| t.completed <= day)
            .map(|t| t.person.as_str())
            .collect();
        // Per facility: which cadres hold posts, and which permanently.
        let mut at_facility: HashMap<&OrgCode, (HashSet<Cadre>, HashSet<Cadre>)> = HashMap::new();
        let mut village_vhw: HashSet<UnitId> = HashSet::new();
        for p in data.posts.iter().filter(|p| p.validity.contains(day)) {
            let Some(&c) = cadre.get(p.person.as_str()) else {
                continue;
            };
            match &p.workplace {
                Workplace::Facility(code) => {
                    let (Some(f), Some(&unit)) = (working.get(code), facility_unit.get(code))
                    else {
                        continue;
                    };
                    out.staff_by_cadre.entry(c).or_default().push((unit, 1.0));
                    let e = at_facility.entry(&f.code).or_default();
                    e.0.insert(c);
                    if p.kind == PostKind::Permanent {
                        e.1.insert(c);
                    }
                }
                Workplace::Village(v) => {
                    if c == Cadre::VillageHealthWorker && trained.contains(p.person.as_str()) {
                        village_vhw.insert(*v);
                    }
                }
            }
        }
        let mut commune_midwife: HashSet<UnitId> = HashSet::new();
        for (code, f) in &working {
            let Some(&unit) = facility_unit.get(code) else {
                continue;
            };
            out.beds.push((unit, f.beds as f64));
            if f.kind != FacilityKind::CommuneStation {
                continue;
            }
            out.stations.push((unit, 1.0));
            let empty = (HashSet::new(), HashSet::new());
            let (any, permanent) = at_facility.get(code).unwrap_or(&empty);
            if permanent.contains(&Cadre::Doctor) {
                out.stations_with_doctor.push((unit, 1.0));
            }
            let pharmacy =
                any.contains(&Cadre::UniversityPharmacist) || any.contains(&Cadre::Pharmacist);
            if pharmacy && any.contains(&Cadre::TraditionalMedicine) {
                out.stations_pharmacy_tm.push((unit, 1.0));
            }
            if any.contains(&Cadre::Midwife) {
                commune_midwife.insert(unit);
            }
        }
        for u in h.units().iter().filter(|u| u.validity.contains(day)) {
            match u.kind {
                OrgKind::Village => {
                    out.villages.push((u.id, 1.0));
                    if village_vhw.contains(&u.id) {
                        out.villages_with_vhw.push((u.id, 1.0));
                    }
                }
                OrgKind::Commune => {
                    out.communes.push((u.id, 1.0));
                    if commune_midwife.contains(&u.id) {
                        out.communes_with_midwife.push((u.id, 1.0));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn staff(&self, c: Cadre) -> &[(UnitId, f64)] {
        self.staff_by_cadre.get(&c).map_or(&[], |v| v.as_slice())
    }

    /// The numerator and denominator series of a code, and its factor
    /// (`None` denominator: a data element).
    #[allow(clippy::type_complexity)]
    pub fn series(
        &self,
        code: &str,
    ) -> Result<(&[(UnitId, f64)], Option<&[(UnitId, f64)]>, f64), FigureError> {
        let pop = Some(self.population.as_slice());
        Ok(match code {
            "population" => (&self.population, None, 1.0),
            "doctors_per_10000" => (self.staff(Cadre::Doctor), pop, 10_000.0),
            "pharmacists_per_10000" => (self.staff(Cadre::UniversityPharmacist), pop, 10_000.0),
            "nurses_per_10000" => (self.staff(Cadre::Nurse), pop, 10_000.0),
            "beds_per_10000" => (&self.beds, pop, 10_000.0),
            "stations_with_doctor_pct" => {
                (&self.stations_with_doctor, Some(&self.stations[..]), 100.0)
            }
            "villages_with_vhw_pct" => (&self.villages_with_vhw, Some(&self.villages[..]), 100.0),
            "communes_with_midwife_pct" => {
                (&self.communes_with_midwife, Some(&self.communes[..]), 100.0)
            }
            "stations_pharmacy_tm_staff_pct" => {
                (&self.stations_pharmacy_tm, Some(&self.stations[..]), 100.0)
            }
            other => return Err(FigureError::UnknownCode(other.to_string())),
        })
    }
}

/// Whether `code` is computed from the network registry.
pub fn is_network_code(code: &str) -> bool {
    NETWORK_CODES.contains(&code)
}

/// Whether `code` is answered from the registry's facilities and staff
/// ([`figures_from`]): a network code other than `population`, which the
/// formulas read from the population cells like any other value.
pub fn is_registry_figure(code: &str) -> bool {
    is_network_code(code) && code != "population"
}

/// A network indicator (or `population`) for each of `units`, in `period`
/// (a year), with the units as they stood on `at`: values recorded under
/// units of their time are carried to the units of `at` by
/// [`crate::rollup`].
pub fn network_indicator(
    h: &Hierarchy,
    data: &NetworkData,
    code: &str,
    period: Period,
    at: Date,
    units: &[UnitId],
) -> Result<Vec<Figure>, FigureError> {
    let Period::Year(year) = period else {
        return Err(FigureError::NotAYear(period));
    };
    let values = YearValues::of_year(h, data, year);
    figures_from(h, &values, code, at, units)
}

/// [`network_indicator`] over quantities already extracted (reuse one
/// [`YearValues`] for many codes or units).
pub fn figures_from(
    h: &Hierarchy,
    values: &YearValues,
    code: &str,
    at: Date,
    units: &[UnitId],
) -> Result<Vec<Figure>, FigureError> {
    figures_with(&mut Rollup::new(h, at), values, code, units)
}

/// [`figures_from`] with a roll-up the caller keeps, so that many codes and
/// years asked as of one date place each unit only once.
pub fn figures_with(
    rollup: &mut Rollup<'_>,
    values: &YearValues,
    code: &str,
    units: &[UnitId],
) -> Result<Vec<Figure>, FigureError> {
    let (num, den, factor) = values.series(code)?;
    let num_totals = rollup.totals(num, units)?;
    let den_totals = match den {
        Some(d) => Some(rollup.totals(d, units)?),
        None => None,
    };
    Ok(units
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let n = num_totals[i];
            match &den_totals {
                None => Figure {
                    value: Some(n),
                    numerator: n,
                    denominator: None,
                },
                Some(d) => Figure {
                    value: (d[i] > 0.0).then(|| n / d[i] * factor),
                    numerator: n,
                    denominator: Some(d[i]),
                },
            }
        })
        .collect())
}

/// Population of one unit and year by sex and age group (for a pyramid),
/// carried to the units of `at`.
pub fn population_pyramid(
    h: &Hierarchy,
    data: &NetworkData,
    year: i32,
    at: Date,
    unit: UnitId,
) -> Result<Vec<(AgeGroup, f64, f64)>, RollupError> {
    let mut rollup = Rollup::new(h, at);
    let mut out = Vec::new();
    for age in AgeGroup::all() {
        let mut pair = [0.0; 2];
        for (i, sex) in [Sex::Male, Sex::Female].into_iter().enumerate() {
            let vals: Vec<(UnitId, f64)> = data
                .population
                .iter()
                .filter(|p| p.year == year && p.sex == sex && p.age == age)
                .map(|p| (p.unit, p.count as f64))
                .collect();
            pair[i] = rollup.totals(&vals, &[unit])?[0];
        }
        out.push((age, pair[0], pair[1]));
    }
    Ok(out)
}

/// The year of a date (helper for callers picking a default period).
pub fn year_of(d: Date) -> i32 {
    d.year()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> OrgCode {
        OrgCode::parse(s).unwrap()
    }
    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn station(c: &str) -> Facility {
        Facility {
            code: code(c),
            name: format!("Trạm Y tế {c}"),
            kind: FacilityKind::CommuneStation,
            beds: 5,
            status: FacilityStatus::Active,
            services_share: Some(0.8),
            validity: Validity::ALWAYS,
        }
    }

    fn nurse(c: &str) -> StaffMember {
        StaffMember {
            code: c.into(),
            name: format!("Người {c}"),
            cadre: Cadre::Nurse,
            qualification: None,
        }
    }

    #[test]
    fn age_groups_round_trip() {
        for g in AgeGroup::all() {
            assert_eq!(g.to_string().parse::<AgeGroup>().unwrap(), g);
        }
        assert!("3-7".parse::<AgeGroup>().is_err());
        assert!("85+".parse::<AgeGroup>().is_err());
    }

    #[test]
    fn cadres_parse_from_vietnamese_labels() {
        assert_eq!("bác sĩ".parse::<Cadre>().unwrap(), Cadre::Doctor);
        assert_eq!("Y si".parse::<Cadre>().unwrap(), Cadre::AssistantDoctor);
        assert_eq!("nurse".parse::<Cadre>().unwrap(), Cadre::Nurse);
        assert!("phi công".parse::<Cadre>().is_err());
    }

    #[test]
    fn two_permanent_posts_at_once_are_refused_naming_the_person() {
        let data = NetworkData {
            facilities: vec![station("TYT1"), station("TYT2")],
            staff: vec![nurse("NV001")],
            posts: vec![
                Post {
                    person: "NV001".into(),
                    workplace: Workplace::Facility(code("TYT1")),
                    kind: PostKind::Permanent,
                    validity: Validity::since(d("2020-01-01")),
                },
                Post {
                    person: "NV001".into(),
                    workplace: Workplace::Facility(code("TYT2")),
                    kind: PostKind::Permanent,
                    validity: Validity::since(d("2024-01-01")),
                },
                Post {
                    person: "NV001".into(),
                    workplace: Workplace::Facility(code("TYT2")),
                    kind: PostKind::Rotation,
                    validity: Validity::since(d("2021-01-01")),
                },
            ],
            ..Default::default()
        };
        let errs = data.validate(&|_| true);
        assert_eq!(errs.len(), 1, "{errs:?}");
        let msg = errs[0].to_string();
        assert!(msg.contains("NV001") && msg.contains("TYT2"), "{msg}");
    }

    #[test]
    fn negative_population_and_overlapping_attachments_are_named() {
        let data = NetworkData {
            facilities: vec![station("TYT1")],
            attachments: vec![
                Attachment {
                    facility: code("TYT1"),
                    unit: UnitId(1),
                    validity: Validity::until(d("2025-06-30")),
                },
                Attachment {
                    facility: code("TYT1"),
                    unit: UnitId(2),
                    validity: Validity::since(d("2025-06-01")),
                },
            ],
            population: vec![PopulationCount {
                unit: UnitId(1),
                year: 2024,
                sex: Sex::Female,
                age: AgeGroup::new(20).unwrap(),
                count: -5,
            }],
            ..Default::default()
        };
        let errs = data.validate(&|u| u != UnitId(9));
        let text: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 2, "{text:?}");
        assert!(text[0].contains("TYT1") && text[0].contains("two units"));
        assert!(text[1].contains("-5") && text[1].contains("2024"));
    }
}
