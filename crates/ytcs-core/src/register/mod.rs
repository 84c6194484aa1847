//! The commune station's registers: persons, households, moves, deaths,
//! health-insurance cards, the personal health record of QĐ 831/QĐ-BYT and
//! the events recorded about a person (immunizations, growth measurements,
//! NCD enrolment and follow-up, pregnancies and antenatal visits, births,
//! checks of the elderly, examinations).
//!
//! **The record of QĐ 831** has four parts; here they are: (1)
//! administrative data — [`Person`] and [`Household`]; (2) history and risk
//! factors — [`HistoryItem`]; (3) immunization — [`EventKind::Immunization`];
//! (4) examinations — [`EventKind::Examination`] and the other events. A
//! person *has an electronic health record* from `ehr_opened_on`.
//!
//! **Residence.** A person lives in one commune at a time: `commune` is
//! where they live now, [`Move`]s are the history ([`residence_on`]).
//! Everything counted for a commune is counted by residence on the day it
//! happened (a birth, a death, a measurement) or on the period's last day
//! (stocks: insured persons, the elderly).
//!
//! **Checks.** [`check_person`], [`check_card`], [`check_event`] refuse
//! what cannot be true (a birth date in the future, a card number of the
//! wrong shape, a dose before the previous one, a weight of 300 kg for a
//! toddler) with a [`FieldError`] naming the field; [`measurement_flags`]
//! marks what is possible but implausible (WHO's z-score limits), which is
//! stored and left out of the prevalences, never silently accepted.
//!
//! Derivation of the indicators is [`derive`], the EPI schedule [`epi`].
//! Ages are [`age`]'s. Also here: [`CardNumber`] (the 15-character BHYT
//! number), [`check_national_id`] (the citizen number against sex and
//! year of birth), [`residence_on`] and [`looks_like_duplicate`] (the
//! registration form's warning). Every check names the field in English
//! and Vietnamese ([`FieldError`]). Impossible is refused, implausible
//! is flagged.

pub mod age;
pub mod derive;
pub mod due;
pub mod epi;

pub use age::age_on;

use std::fmt;
use std::str::FromStr;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::network::{labelled_enum, Sex};
use crate::org::UnitId;
use crate::Date;

/// A problem with one field of a record: which field, and what is wrong,
/// in English and in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field (`birth_date`, `card_number`, `dose` …).
    pub field: &'static str,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Vietnamese.
    pub message_vi: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: &'static str, en: impl Into<String>, vi: impl Into<String>) -> Self {
        FieldError {
            field,
            message: en.into(),
            message_vi: vi.into(),
        }
    }
}

/// A household (hộ gia đình) of a commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// Id (negative: not stored yet, a placeholder within one batch).
    pub id: i64,
    /// The commune it lives in.
    pub commune: UnitId,
    /// Village or residential group (thôn, tổ dân phố).
    pub village: String,
    /// Address within the village.
    pub address: String,
    /// Household number in the commune's register (sổ hộ).
    pub number: String,
}

/// A person of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Id (negative: a placeholder within one batch).
    pub id: i64,
    /// Full name as written, with diacritics (`Nguyễn Thị Lan`).
    pub full_name: String,
    /// Sex.
    pub sex: Sex,
    /// Date of birth.
    pub birth_date: Date,
    /// Ethnic group, one of [`ETHNIC_GROUPS`].
    pub ethnicity: String,
    /// Citizen identity number (12 digits), when known.
    pub national_id: Option<String>,
    /// Household.
    pub household: Option<i64>,
    /// Commune of residence now.
    pub commune: UnitId,
    /// Village or residential group.
    pub village: String,
    /// The day the person entered this register (birth or arrival).
    pub registered_on: Date,
    /// The day the electronic health record was opened.
    pub ehr_opened_on: Option<Date>,
    /// Death, when it happened.
    pub death: Option<Death>,
}

/// A death.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Death {
    /// Day of death.
    pub date: Date,
    /// Underlying cause, ICD-10, when known.
    pub cause: Option<String>,
}

/// A move between communes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// Id (negative: placeholder).
    pub id: i64,
    /// The person.
    pub person: i64,
    /// Day of the move.
    pub date: Date,
    /// Commune left (`None`: arrived from outside the registers' area).
    pub from: Option<UnitId>,
    /// Commune arrived in (`None`: left the registers' area).
    pub to: Option<UnitId>,
}

/// A health-insurance card (thẻ BHYT) with its validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsuranceCard {
    /// Id (negative: placeholder).
    pub id: i64,
    /// The person.
    pub person: i64,
    /// The card number, normalised (see [`CardNumber`]).
    pub number: String,
    /// First valid day.
    pub valid_from: Date,
    /// Last valid day.
    pub valid_to: Date,
}

/// A health-insurance card number: 15 characters — two letters (the
/// beneficiary group, `GD`, `HN`, `TE` …), one digit 1–5 (the benefit
/// level), two digits (the province that issued it), ten digits (the
/// social-insurance number).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CardNumber(String);

impl CardNumber {
    /// The number, upper case, without spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The ten-digit social-insurance number inside it.
    pub fn insurance_code(&self) -> &str {
        &self.0[5..]
    }
}

impl FromStr for CardNumber {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, FieldError> {
        let n: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_uppercase();
        let b = n.as_bytes();
        let ok = b.len() == 15
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && (b'1'..=b'5').contains(&b[2])
            && b[3..].iter().all(u8::is_ascii_digit)
            && &n[3..5] != "00";
        if ok {
            Ok(CardNumber(n))
        } else {
            Err(FieldError::new(
                "card_number",
                format!("'{}' is not an insurance card number: expected 2 letters, a benefit digit 1–5, a 2-digit province and 10 digits, e.g. GD4511234567890", s.trim()),
                format!("'{}' không phải mã thẻ BHYT: cần 2 chữ cái, 1 chữ số mức hưởng (1–5), 2 chữ số mã tỉnh và 10 chữ số, ví dụ GD4511234567890", s.trim()),
            ))
        }
    }
}

impl fmt::Display for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a citizen identity number (căn cước, 12 digits: 3 for the
/// province of birth, 1 for century and sex, 2 for the year of birth, 6
/// random) against the person's sex and year of birth.
pub fn check_national_id(id: &str, sex: Sex, birth: Date) -> Result<String, FieldError> {
    let id = id.trim();
    let b = id.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return Err(FieldError::new(
            "national_id",
            format!("'{id}' is not a citizen identity number: expected 12 digits"),
            format!("'{id}' không phải số căn cước: cần đủ 12 chữ số"),
        ));
    }
    let code = b[3] - b'0';
    let century = 1900 + 100 * i32::from(code / 2);
    let male = code.is_multiple_of(2);
    let yy = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
    let matches = code <= 9 && century + yy == birth.year() && male == matches!(sex, Sex::Male);
    if !matches {
        return Err(FieldError::new(
            "national_id",
            format!("'{id}' does not match the person's sex and year of birth (digits 4–6 encode them)"),
            format!("Số căn cước '{id}' không khớp giới tính và năm sinh (chữ số 4–6 mã hóa giới tính và năm sinh)"),
        ));
    }
    Ok(id.to_string())
}

/// The 54 ethnic groups of Vietnam, as officially named.
pub const ETHNIC_GROUPS: [&str; 54] = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru-Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ-Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "Kháng",
    "La Chí",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Chứt",
    "Lự",
    "Lô Lô",
    "Mảng",
    "Cờ Lao",
    "Bố Y",
    "Cống",
    "Ngái",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
];

/// The official name of an ethnic group, matched with or without
/// diacritics (`"hre"` → `"Hrê"`).
pub fn ethnic_group(s: &str) -> Result<&'static str, FieldError> {
    let f = crate::text::fold(s);
    ETHNIC_GROUPS
        .iter()
        .find(|g| crate::text::fold(g) == f)
        .copied()
        .ok_or_else(|| {
            FieldError::new(
                "ethnicity",
                format!("'{}' is not one of the 54 ethnic groups", s.trim()),
                format!("'{}' không phải tên một trong 54 dân tộc", s.trim()),
            )
        })
}

/// Checks a person before storing: a name, a birth date not in the future
/// and not before 1900, an ethnic group, a national id consistent with sex
/// and birth year, registration and death not before birth nor after
/// `today`. Returns the person normalised (NFC name, official ethnic name).
pub fn check_person(p: &Person, today: Date) -> Result<Person, FieldError> {
    let mut p = p.clone();
    p.full_name = crate::text::nfc(
        p.full_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .as_str(),
    );
    if p.full_name.is_empty() || p.full_name.chars().count() > 100 {
        return Err(FieldError::new(
            "full_name",
            "a full name of 1 to 100 characters is required",
            "cần họ và tên (1 đến 100 ký tự)",
        ));
    }
    if p.birth_date > today {
        return Err(FieldError::new(
            "birth_date",
            format!("the birth date {} is in the future", p.birth_date),
            format!("ngày sinh {} ở tương lai", p.birth_date.format("%d/%m/%Y")),
        ));
    }
    if p.birth_date.year() < 1900 {
        return Err(FieldError::new(
            "birth_date",
            format!("the birth date {} is before 1900", p.birth_date),
            format!(
                "ngày sinh {} trước năm 1900",
                p.birth_date.format("%d/%m/%Y")
            ),
        ));
    }
    p.ethnicity = ethnic_group(&p.ethnicity)?.to_string();
    if let Some(id) = p.national_id.as_deref().filter(|s| !s.trim().is_empty()) {
        p.national_id = Some(check_national_id(id, p.sex, p.birth_date)?);
    } else {
        p.national_id = None;
    }
    for (field, d, vi) in [
        ("registered_on", Some(p.registered_on), "ngày đăng ký"),
        ("ehr_opened_on", p.ehr_opened_on, "ngày lập hồ sơ sức khỏe"),
        ("death_date", p.death.as_ref().map(|d| d.date), "ngày mất"),
    ] {
        let Some(d) = d else { continue };
        if d < p.birth_date || d > today {
            return Err(FieldError::new(
                field,
                format!("{d} is before the birth date or in the future"),
                format!(
                    "{vi} {} trước ngày sinh hoặc ở tương lai",
                    d.format("%d/%m/%Y")
                ),
            ));
        }
    }
    if let Some(d) = &mut p.death {
        if let Some(c) = d.cause.as_deref().filter(|c| !c.trim().is_empty()) {
            d.cause = Some(check_icd10(c, "death_cause")?);
        } else {
            d.cause = None;
        }
    }
    Ok(p)
}

/// Checks a card: a well-formed number, a validity that ends after it
/// starts and lasts at most six years. Returns the card with its number
/// normalised.
pub fn check_card(c: &InsuranceCard) -> Result<InsuranceCard, FieldError> {
    let number: CardNumber = c.number.parse()?;
    if c.valid_to < c.valid_from {
        return Err(FieldError::new(
            "valid_to",
            "the card's validity ends before it starts",
            "hạn dùng của thẻ kết thúc trước ngày bắt đầu",
        ));
    }
    if c.valid_to > age::add_months(c.valid_from, 72) {
        return Err(FieldError::new(
            "valid_to",
            "a card is valid for at most six years",
            "thẻ BHYT có hạn tối đa sáu năm",
        ));
    }
    Ok(InsuranceCard {
        number: number.as_str().to_string(),
        ..c.clone()
    })
}

/// Normalises and checks an ICD-10 code (`I10`, `E11.9`, `j06.9`).
pub fn check_icd10(code: &str, field: &'static str) -> Result<String, FieldError> {
    let c = code.trim().to_uppercase();
    let b = c.as_bytes();
    let ok = (3..=7).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && (b.len() == 3
            || (b[3] == b'.' && b.len() > 4 && b[4..].iter().all(u8::is_ascii_alphanumeric)));
    if ok {
        Ok(c)
    } else {
        Err(FieldError::new(
            field,
            format!("'{}' is not an ICD-10 code (e.g. I10, E11.9)", code.trim()),
            format!("'{}' không phải mã ICD-10 (ví dụ I10, E11.9)", code.trim()),
        ))
    }
}

labelled_enum!(
    /// What part 2 of the record (history and risk factors) notes.
    HistoryKind {
        /// Tiền sử bản thân.
        Personal => ("personal", "Tiền sử bản thân", "Personal history"),
        /// Tiền sử gia đình.
        Family => ("family", "Tiền sử gia đình", "Family history"),
        /// Dị ứng.
        Allergy => ("allergy", "Dị ứng", "Allergy"),
        /// Yếu tố nguy cơ: hút thuốc, rượu bia, ít vận động …
        RiskFactor => ("risk_factor", "Yếu tố nguy cơ", "Risk factor"),
        /// Khuyết tật.
        Disability => ("disability", "Khuyết tật", "Disability"),
    }
);

/// One line of part 2 of the health record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryItem {
    /// Id (negative: placeholder).
    pub id: i64,
    /// The person.
    pub person: i64,
    /// What it is.
    pub kind: HistoryKind,
    /// The text as written.
    pub text: String,
    /// Day it was noted.
    pub noted_on: Date,
}

labelled_enum!(
    /// A chronic non-communicable disease managed at the station.
    Ncd {
        /// Tăng huyết áp.
        Hypertension => ("hypertension", "Tăng huyết áp", "Hypertension"),
        /// Đái tháo đường.
        Diabetes => ("diabetes", "Đái tháo đường", "Diabetes"),
    }
);

labelled_enum!(
    /// How a pregnancy ended.
    PregnancyOutcome {
        /// Sinh sống.
        LiveBirth => ("live_birth", "Sinh sống", "Live birth"),
        /// Thai chết lưu.
        Stillbirth => ("stillbirth", "Thai chết lưu", "Stillbirth"),
        /// Sẩy thai, phá thai.
        Loss => ("loss", "Sẩy thai, phá thai", "Miscarriage or abortion"),
    }
);

labelled_enum!(
    /// Where a child was born (nơi sinh).
    BirthPlace {
        /// Tại cơ sở y tế.
        Facility => ("facility", "Tại cơ sở y tế", "At a health facility"),
        /// Tại nhà.
        Home => ("home", "Tại nhà", "At home"),
        /// Nơi khác (trên đường, …).
        Other => ("other", "Nơi khác", "Elsewhere"),
    }
);

/// What happened, with the facts of its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    /// A vaccine dose (part 3 of the record).
    Immunization {
        /// Vaccine, one of [`epi::VACCINES`] by code.
        vaccine: String,
        /// Dose number, from 1.
        dose: u8,
    },
    /// Weight and length/height of a child.
    Measurement {
        /// Weight in kg.
        weight_kg: Option<f64>,
        /// Length or height in cm.
        height_cm: Option<f64>,
        /// Measured lying down (length).
        lying: bool,
    },
    /// Enrolment in the station's management of an NCD.
    NcdEnrolment {
        /// The disease.
        ncd: Ncd,
    },
    /// A follow-up visit of an enrolled NCD.
    NcdFollowUp {
        /// The disease.
        ncd: Ncd,
        /// Systolic blood pressure, mmHg.
        systolic: Option<f64>,
        /// Diastolic blood pressure, mmHg.
        diastolic: Option<f64>,
        /// Fasting plasma glucose, mmol/L.
        glucose: Option<f64>,
    },
    /// A pregnancy, dated by its end (or by its registration while
    /// ongoing); `ended` is `None` while ongoing.
    Pregnancy {
        /// Expected day of delivery.
        expected: Date,
        /// Day it ended.
        ended: Option<Date>,
        /// How it ended.
        outcome: Option<PregnancyOutcome>,
        /// Prenatal screening done (at least one of the four priority
        /// conditions).
        screened: bool,
    },
    /// An antenatal visit of a pregnancy.
    AntenatalVisit {
        /// The pregnancy event.
        pregnancy: i64,
    },
    /// The birth of this person (the event is on the child).
    Birth {
        /// Birth weight in grams.
        weight_g: Option<f64>,
        /// Newborn screening done.
        screened: bool,
        /// The mother, when in the register.
        mother: Option<i64>,
        /// Where the child was born, when known.
        #[serde(default)]
        place: Option<BirthPlace>,
    },
    /// A periodic health check of a person aged 60 or over.
    ElderlyCheck,
    /// An examination at the station (part 4 of the record).
    Examination {
        /// Diagnosis, ICD-10.
        icd10: String,
        /// Paid by health insurance.
        insured: bool,
    },
}

impl EventKind {
    /// The stable name of the kind (`immunization`, `measurement` …).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Immunization { .. } => "immunization",
            EventKind::Measurement { .. } => "measurement",
            EventKind::NcdEnrolment { .. } => "ncd_enrolment",
            EventKind::NcdFollowUp { .. } => "ncd_follow_up",
            EventKind::Pregnancy { .. } => "pregnancy",
            EventKind::AntenatalVisit { .. } => "antenatal_visit",
            EventKind::Birth { .. } => "birth",
            EventKind::ElderlyCheck => "elderly_check",
            EventKind::Examination { .. } => "examination",
        }
    }
}

/// Something recorded about a person on a day, by a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Id (negative: placeholder).
    pub id: i64,
    /// The person.
    pub person: i64,
    /// The day.
    pub date: Date,
    /// The unit (station's commune) that recorded it.
    pub unit: UnitId,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
    /// Plausibility flags set when stored (`waz`, `haz`, `whz`).
    #[serde(default)]
    pub flags: Vec<String>,
}

/// Whether a follow-up shows the disease controlled: blood pressure below
/// 140/90 mmHg, fasting glucose below 7.0 mmol/L.
pub fn controlled(kind: &EventKind) -> Option<bool> {
    match kind {
        EventKind::NcdFollowUp {
            ncd: Ncd::Hypertension,
            systolic: Some(s),
            diastolic: Some(d),
            ..
        } => Some(*s < 140.0 && *d < 90.0),
        EventKind::NcdFollowUp {
            ncd: Ncd::Diabetes,
            glucose: Some(g),
            ..
        } => Some(*g < 7.0),
        _ => None,
    }
}

fn range(
    field: &'static str,
    v: Option<f64>,
    lo: f64,
    hi: f64,
    unit: &str,
) -> Result<(), FieldError> {
    match v {
        Some(x) if !x.is_finite() || x < lo || x > hi => Err(FieldError::new(
            field,
            format!("{x} {unit} is outside the possible range {lo}–{hi} {unit}"),
            format!("{x} {unit} nằm ngoài khoảng có thể {lo}–{hi} {unit}"),
        )),
        _ => Ok(()),
    }
}

/// Whether `mother` can be the mother of a child born on `birth`: a woman,
/// aged 10 or more that day (birthdays, [`age`]), alive that day. The one
/// rule for the web form, the API and imports ([`check_event`] refuses a
/// person named as their own mother).
pub fn check_mother(mother: &Person, birth: Date) -> Result<(), FieldError> {
    let fits = mother.sex == Sex::Female
        && age::age_on(mother.birth_date, birth) >= 10
        && mother.death.as_ref().is_none_or(|d| d.date >= birth);
    if fits {
        Ok(())
    } else {
        Err(FieldError::new(
            "mother",
            format!(
                "{} cannot be the mother: a woman aged 10 or over, alive on {birth}, is needed",
                mother.full_name
            ),
            format!(
                "{} không thể là mẹ: cần một phụ nữ từ 10 tuổi trở lên, còn sống vào ngày {}",
                mother.full_name,
                birth.format("%d/%m/%Y")
            ),
        ))
    }
}

/// Checks an event against the person and the person's other events:
/// not before birth nor after `today` (nor after death), values inside
/// what is humanly possible, an existing pregnancy for an antenatal
/// visit, vaccine doses in order ([`epi::check_dose`]), elderly checks at
/// 60 or over, growth measurements under 6 years (ages by birthdays,
/// [`age`]).
pub fn check_event(
    e: &Event,
    person: &Person,
    others: &[Event],
    today: Date,
) -> Result<Event, FieldError> {
    let mut e = e.clone();
    if e.date > today {
        return Err(FieldError::new(
            "date",
            format!("{} is in the future", e.date),
            format!("ngày {} ở tương lai", e.date.format("%d/%m/%Y")),
        ));
    }
    if e.date < person.birth_date {
        return Err(FieldError::new(
            "date",
            format!(
                "{} is before the person's birth ({})",
                e.date, person.birth_date
            ),
            format!(
                "ngày {} trước ngày sinh ({})",
                e.date.format("%d/%m/%Y"),
                person.birth_date.format("%d/%m/%Y")
            ),
        ));
    }
    if let Some(d) = &person.death {
        if e.date > d.date {
            return Err(FieldError::new(
                "date",
                format!("{} is after the person's death ({})", e.date, d.date),
                format!(
                    "ngày {} sau ngày mất ({})",
                    e.date.format("%d/%m/%Y"),
                    d.date.format("%d/%m/%Y")
                ),
            ));
        }
    }
    let years = age_on(person.birth_date, e.date);
    match &mut e.kind {
        EventKind::Immunization { vaccine, dose } => {
            epi::check_dose(vaccine, *dose, e.date, person.birth_date, others)?;
        }
        EventKind::Measurement {
            weight_kg,
            height_cm,
            ..
        } => {
            if weight_kg.is_none() && height_cm.is_none() {
                return Err(FieldError::new(
                    "weight_kg",
                    "a measurement needs a weight or a length/height",
                    "cần cân nặng hoặc chiều dài/chiều cao",
                ));
            }
            if years >= 6 {
                return Err(FieldError::new(
                    "date",
                    "growth is monitored for children under six",
                    "chỉ theo dõi tăng trưởng cho trẻ dưới 6 tuổi",
                ));
            }
            range("weight_kg", *weight_kg, 0.3, 60.0, "kg")?;
            range("height_cm", *height_cm, 25.0, 150.0, "cm")?;
        }
        EventKind::NcdFollowUp {
            systolic,
            diastolic,
            glucose,
            ..
        } => {
            range("systolic", *systolic, 50.0, 300.0, "mmHg")?;
            range("diastolic", *diastolic, 20.0, 200.0, "mmHg")?;
            range("glucose", *glucose, 0.5, 60.0, "mmol/L")?;
            if let (Some(s), Some(d)) = (systolic, diastolic) {
                if d >= s {
                    return Err(FieldError::new(
                        "diastolic",
                        "the diastolic pressure must be below the systolic",
                        "huyết áp tâm trương phải thấp hơn tâm thu",
                    ));
                }
            }
        }
        EventKind::Pregnancy {
            expected, ended, ..
        } => {
            if person.sex != Sex::Female {
                return Err(FieldError::new(
                    "person",
                    "a pregnancy is recorded for a woman",
                    "chỉ ghi nhận thai kỳ cho nữ",
                ));
            }
            if let Some(end) = ended {
                if *end < e.date || *end > today {
                    return Err(FieldError::new(
                        "ended",
                        "the pregnancy's end is before its registration or in the future",
                        "ngày kết thúc thai kỳ trước ngày đăng ký hoặc ở tương lai",
                    ));
                }
            }
            if (*expected - e.date).num_days() > 300
                || *expected < e.date - chrono::Duration::days(60)
            {
                return Err(FieldError::new(
                    "expected",
                    "the expected delivery date must fall within 300 days of the registration",
                    "ngày dự sinh phải trong vòng 300 ngày kể từ ngày đăng ký",
                ));
            }
        }
        EventKind::AntenatalVisit { pregnancy } => {
            let found = others
                .iter()
                .any(|o| o.id == *pregnancy && matches!(o.kind, EventKind::Pregnancy { .. }));
            if !found {
                return Err(FieldError::new(
                    "pregnancy",
                    format!("pregnancy {pregnancy} is not recorded for this person"),
                    format!("người này không có thai kỳ số {pregnancy}"),
                ));
            }
        }
        EventKind::Birth {
            weight_g, mother, ..
        } => {
            if *mother == Some(person.id) {
                return Err(FieldError::new(
                    "mother",
                    "a person is not their own mother",
                    "một người không thể là mẹ của chính mình",
                ));
            }
            if e.date != person.birth_date {
                return Err(FieldError::new(
                    "date",
                    "a birth is recorded on the child's date of birth",
                    "ngày sinh của trẻ phải trùng ngày ghi nhận sinh",
                ));
            }
            range("weight_g", *weight_g, 300.0, 7000.0, "g")?;
            if others
                .iter()
                .any(|o| matches!(o.kind, EventKind::Birth { .. }) && o.id != e.id)
            {
                return Err(FieldError::new(
                    "person",
                    "the birth of this person is already recorded",
                    "đã ghi nhận sinh của người này",
                ));
            }
        }
        EventKind::ElderlyCheck => {
            if years < 60 {
                return Err(FieldError::new(
                    "date",
                    "periodic checks of the elderly are for persons aged 60 or over",
                    "khám sức khỏe định kỳ người cao tuổi dành cho người từ 60 tuổi",
                ));
            }
        }
        EventKind::Examination { icd10, .. } => {
            *icd10 = check_icd10(icd10, "icd10")?;
        }
        EventKind::NcdEnrolment { .. } => {}
    }
    Ok(e)
}

/// Plausibility flags of a growth measurement (WHO's limits on the
/// z-scores: `haz`, `waz`, `whz`); flagged measurements are kept and shown,
/// and left out of the prevalences.
pub fn measurement_flags(
    std: &crate::growth::GrowthStandards,
    e: &Event,
    person: &Person,
) -> Vec<String> {
    growth_z(std, e, person)
        .map(|z| z.implausible().into_iter().map(String::from).collect())
        .unwrap_or_default()
}

/// The z-scores of a measurement event (`None` for other events, or over
/// five).
pub fn growth_z(
    std: &crate::growth::GrowthStandards,
    e: &Event,
    person: &Person,
) -> Option<crate::growth::GrowthZ> {
    let EventKind::Measurement {
        weight_kg,
        height_cm,
        lying,
    } = e.kind
    else {
        return None;
    };
    let age = (e.date - person.birth_date).num_days();
    if !(0..=1856).contains(&age) {
        return None;
    }
    Some(std.z_scores(&crate::growth::Measurement {
        sex: match person.sex {
            Sex::Male => crate::growth::Sex::Male,
            Sex::Female => crate::growth::Sex::Female,
        },
        age_days: age as u32,
        weight_kg,
        height_cm,
        lying,
    }))
}

/// The commune a person lived in on a day (`None` before registration or
/// outside the registers' area).
/// `moves` are the person's, in any order.
pub fn residence_on(p: &Person, moves: &[Move], day: Date) -> Option<UnitId> {
    if day < p.registered_on {
        return None;
    }
    let mut sorted: Vec<&Move> = moves.iter().filter(|m| m.person == p.id).collect();
    sorted.sort_by_key(|m| (m.date, m.id));
    let mut at = match sorted.first() {
        Some(m) => m.from,
        None => Some(p.commune),
    };
    for m in sorted {
        if m.date <= day {
            at = m.to;
        }
    }
    at
}

/// How alike two persons look, for the duplicate warning: the same folded
/// name and birth date, or the same folded name, birth year and household,
/// or the same national id.
pub fn looks_like_duplicate(a: &Person, b: &Person) -> bool {
    if a.id == b.id && a.id > 0 {
        return false;
    }
    if let (Some(x), Some(y)) = (&a.national_id, &b.national_id) {
        return x == y;
    }
    let same_name = crate::text::fold(&a.full_name) == crate::text::fold(&b.full_name);
    same_name
        && (a.birth_date == b.birth_date
            || (a.birth_date.year() == b.birth_date.year()
                && a.household.is_some()
                && a.household == b.household))
}

#[cfg(test)]
mod tests;
