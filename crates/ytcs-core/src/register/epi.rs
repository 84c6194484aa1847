//! The national Expanded Programme on Immunization (Tiêm chủng mở rộng):
//! the vaccines, their doses and the ages they are due, the order rule for
//! recorded doses, what "fully immunized before age 1" means, and which
//! doses a child is due for.
//!
//! **Fully immunized before age 1** (tiêm chủng đầy đủ cho trẻ dưới 1
//! tuổi): BCG, three doses of DPT-VGB-Hib, three of oral polio, one of
//! injectable polio and one of measles, each given before the first
//! birthday.
//!
//! [`VACCINES`] holds the doses with their ages (in months and days),
//! order and intervals; `Vaccine::first_allowed` is a dose's earliest
//! day, [`fully_immunized_u1`] the rule above and [`due_doses`] what a
//! child is due for (the due lists).

use serde::Serialize;

use super::age::{birthday, Age};
use super::{Event, EventKind, FieldError};
use crate::Date;

/// A vaccine of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Vaccine {
    /// Stable code (`penta`).
    pub code: &'static str,
    /// Vietnamese name.
    pub name_vi: &'static str,
    /// English name.
    pub name_en: &'static str,
    /// Recommended age of each dose, by the calendar ([`Age`]: month
    /// birthdays, then days).
    pub ages: &'static [Age],
    /// Minimum days after the previous dose (an interval, in days as the
    /// schedule sets it).
    pub min_interval: i64,
    /// Doses counted for "fully immunized before age 1".
    pub full_u1: u8,
}

impl Vaccine {
    /// How many doses the schedule has.
    pub fn doses(&self) -> u8 {
        self.ages.len() as u8
    }
}

/// The schedule (Quyết định 845/QĐ-BYT and its updates): birth doses,
/// the primary series at 2, 3 and 4 months, IPV at 5 and 9 months,
/// measles at 9 months, then Japanese encephalitis, measles-rubella and
/// the DPT booster in the second year.
pub const VACCINES: &[Vaccine] = &[
    Vaccine {
        code: "bcg",
        name_vi: "Lao (BCG)",
        name_en: "Tuberculosis (BCG)",
        ages: &[Age::BIRTH],
        min_interval: 0,
        full_u1: 1,
    },
    Vaccine {
        code: "hepb0",
        name_vi: "Viêm gan B sơ sinh",
        name_en: "Hepatitis B birth dose",
        ages: &[Age::BIRTH],
        min_interval: 0,
        full_u1: 0,
    },
    Vaccine {
        code: "penta",
        name_vi: "DPT-VGB-Hib (5 trong 1)",
        name_en: "DTP-HepB-Hib (pentavalent)",
        ages: &[Age::months(2), Age::months(3), Age::months(4)],
        min_interval: 28,
        full_u1: 3,
    },
    Vaccine {
        code: "opv",
        name_vi: "Bại liệt uống (bOPV)",
        name_en: "Oral polio (bOPV)",
        ages: &[Age::months(2), Age::months(3), Age::months(4)],
        min_interval: 28,
        full_u1: 3,
    },
    Vaccine {
        code: "ipv",
        name_vi: "Bại liệt tiêm (IPV)",
        name_en: "Inactivated polio (IPV)",
        ages: &[Age::months(5), Age::months(9)],
        min_interval: 28,
        full_u1: 1,
    },
    Vaccine {
        code: "measles",
        name_vi: "Sởi",
        name_en: "Measles",
        ages: &[Age::months(9)],
        min_interval: 0,
        full_u1: 1,
    },
    Vaccine {
        code: "je",
        name_vi: "Viêm não Nhật Bản",
        name_en: "Japanese encephalitis",
        ages: &[
            Age::months(12),
            Age {
                months: 12,
                days: 14,
            },
            Age::months(24),
        ],
        min_interval: 7,
        full_u1: 0,
    },
    Vaccine {
        code: "mr",
        name_vi: "Sởi - Rubella (MR)",
        name_en: "Measles-rubella",
        ages: &[Age::months(18)],
        min_interval: 0,
        full_u1: 0,
    },
    Vaccine {
        code: "dtp4",
        name_vi: "DPT nhắc lại",
        name_en: "DTP booster",
        ages: &[Age::months(18)],
        min_interval: 0,
        full_u1: 0,
    },
];

/// Days of grace WHO allows before a minimum age or interval.
pub const GRACE_DAYS: i64 = 4;

/// How long before its schedule age a first dose may be given (2 months
/// less 18 days is WHO's minimum of six weeks for the primary series);
/// doses due at birth have no lead.
pub const LEAD_DAYS: i64 = 18;

impl Vaccine {
    /// The first day the first dose may be given to a child born on
    /// `birth`: [`LEAD_DAYS`] before the first schedule age, never before
    /// birth.
    pub fn first_allowed(&self, birth: Date) -> Date {
        let due = self.ages[0].on(birth);
        if self.ages[0].is_birth() {
            due
        } else {
            (due - chrono::Duration::days(LEAD_DAYS)).max(birth)
        }
    }
}

/// The vaccine with this code.
pub fn vaccine(code: &str) -> Option<&'static Vaccine> {
    VACCINES.iter().find(|v| v.code == code.trim())
}

/// The doses of one vaccine among a person's events: (dose, date, event id).
fn doses_of<'a>(code: &'a str, events: &'a [Event]) -> impl Iterator<Item = (u8, Date, i64)> + 'a {
    events.iter().filter_map(move |e| match &e.kind {
        EventKind::Immunization { vaccine, dose } if vaccine == code => Some((*dose, e.date, e.id)),
        _ => None,
    })
}

/// Checks a dose against the schedule and the person's other events: a
/// known vaccine, a dose number of the schedule, not given twice, the
/// previous dose recorded and given at least the minimum interval before
/// (less [`GRACE_DAYS`]), and the first dose not before its minimum age
/// ([`Vaccine::first_allowed`], less [`GRACE_DAYS`]).
pub fn check_dose(
    code: &str,
    dose: u8,
    date: Date,
    birth: Date,
    others: &[Event],
) -> Result<(), FieldError> {
    let Some(v) = vaccine(code) else {
        let codes: Vec<&str> = VACCINES.iter().map(|v| v.code).collect();
        return Err(FieldError::new(
            "vaccine",
            format!(
                "'{code}' is not a vaccine of the programme ({})",
                codes.join(", ")
            ),
            format!(
                "'{code}' không phải vắc xin trong chương trình ({})",
                codes.join(", ")
            ),
        ));
    };
    if dose == 0 || dose > v.doses() {
        return Err(FieldError::new(
            "dose",
            format!("{} has doses 1 to {}, not {dose}", v.name_en, v.doses()),
            format!(
                "{} có mũi 1 đến {}, không có mũi {dose}",
                v.name_vi,
                v.doses()
            ),
        ));
    }
    let mine: Vec<(u8, Date, i64)> = doses_of(code, others).collect();
    if mine.iter().any(|(d, _, _)| *d == dose) {
        return Err(FieldError::new(
            "dose",
            format!("dose {dose} of {} is already recorded", v.name_en),
            format!("mũi {dose} {} đã được ghi nhận", v.name_vi),
        ));
    }
    if let Some((_, later, _)) = mine.iter().find(|(d, when, _)| *d > dose && *when < date) {
        return Err(FieldError::new(
            "dose",
            format!(
                "dose {dose} of {} is dated after a later dose given on {later}",
                v.name_en
            ),
            format!(
                "mũi {dose} {} có ngày sau mũi tiếp theo (tiêm ngày {})",
                v.name_vi,
                later.format("%d/%m/%Y")
            ),
        ));
    }
    if dose > 1 {
        let Some((_, prev, _)) = mine.iter().find(|(d, _, _)| *d == dose - 1) else {
            return Err(FieldError::new(
                "dose",
                format!(
                    "dose {dose} of {} is out of order: dose {} is not recorded",
                    v.name_en,
                    dose - 1
                ),
                format!(
                    "mũi {dose} {} sai thứ tự: chưa có mũi {}",
                    v.name_vi,
                    dose - 1
                ),
            ));
        };
        let gap = (date - *prev).num_days();
        if gap < v.min_interval - GRACE_DAYS {
            return Err(FieldError::new(
                "date",
                format!(
                    "dose {dose} of {} comes {gap} days after dose {}; at least {} are needed",
                    v.name_en,
                    dose - 1,
                    v.min_interval
                ),
                format!(
                    "mũi {dose} {} cách mũi {} {gap} ngày; cần ít nhất {} ngày",
                    v.name_vi,
                    dose - 1,
                    v.min_interval
                ),
            ));
        }
    } else {
        let from = v.first_allowed(birth);
        if date < from - chrono::Duration::days(GRACE_DAYS) {
            return Err(FieldError::new(
                "date",
                format!(
                    "{} is given from {} for this child ({LEAD_DAYS} days before the age of {}); the dose is dated {date}",
                    v.name_en,
                    from,
                    v.ages[0].en()
                ),
                format!(
                    "{} tiêm từ ngày {} cho trẻ này ({LEAD_DAYS} ngày trước {}); mũi này ghi ngày {}",
                    v.name_vi,
                    from.format("%d/%m/%Y"),
                    v.ages[0].vi(),
                    date.format("%d/%m/%Y")
                ),
            ));
        }
    }
    Ok(())
}

/// Whether every dose counted for "fully immunized before age 1" was given
/// before the first birthday.
pub fn fully_immunized_u1(birth: Date, events: &[Event]) -> bool {
    let first_birthday = birthday(birth, 1);
    VACCINES.iter().filter(|v| v.full_u1 > 0).all(|v| {
        let given = doses_of(v.code, events)
            .filter(|(d, when, _)| *d <= v.full_u1 && *when < first_birthday)
            .count();
        given >= usize::from(v.full_u1)
    })
}

/// A dose a child is due for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueDose {
    /// The vaccine.
    pub vaccine: &'static str,
    /// The dose number.
    pub dose: u8,
    /// The day it is due from.
    pub due_on: Date,
}

/// The next dose of each vaccine that is due on or before `by` (the
/// schedule's age, or the previous dose plus the minimum interval,
/// whichever is later).
pub fn due_doses(birth: Date, events: &[Event], by: Date) -> Vec<DueDose> {
    let mut out = vec![];
    for v in VACCINES {
        let given: Vec<(u8, Date, i64)> = doses_of(v.code, events).collect();
        let next = given.iter().map(|(d, _, _)| *d).max().unwrap_or(0) + 1;
        if next > v.doses() {
            continue;
        }
        let mut due_on = v.ages[usize::from(next) - 1].on(birth);
        if let Some((_, prev, _)) = given.iter().find(|(d, _, _)| *d == next - 1) {
            due_on = due_on.max(*prev + chrono::Duration::days(v.min_interval));
        }
        if due_on <= by {
            out.push(DueDose {
                vaccine: v.code,
                dose: next,
                due_on,
            });
        }
    }
    out
}
