//! The station's due lists: who to call this week. Two rules, the same
//! for every page and export that shows them:
//!
//! - **Immunization**: a living child under two (born by today) with a
//!   dose of the expanded programme due within [`DUE_WITHIN_DAYS`] days
//!   (or overdue), by the schedule of [`super::epi::due_doses`].
//! - **Hypertension follow-up**: a living person enrolled for
//!   hypertension whose last follow-up is more than a month old (or who
//!   has never been followed up).

use std::collections::{BTreeSet, HashMap};

use crate::org::UnitId;
use crate::Date;

use super::age::{add_months, age_on};
use super::epi::{due_doses, DueDose};
use super::{Event, EventKind, Ncd, Person};

/// A dose counts as due when it is due within this many days.
pub const DUE_WITHIN_DAYS: i64 = 7;

/// Children under this age (in years) are on the immunization list.
pub const IMMUNIZATION_AGE_YEARS: i32 = 2;

/// The due lists of some communes, persons in name order.
#[derive(Debug, Default)]
pub struct DueLists<'a> {
    /// Children with the doses due (or overdue).
    pub immunization: Vec<(&'a Person, Vec<DueDose>)>,
    /// Persons with hypertension to follow up, with their last follow-up.
    pub hypertension: Vec<(&'a Person, Option<Date>)>,
}

/// The due lists on `today` of the living persons of `communes`, from
/// their events (`events` may hold other persons' too).
pub fn due_lists<'a>(
    persons: &'a [Person],
    events: &[Event],
    communes: &BTreeSet<UnitId>,
    today: Date,
) -> DueLists<'a> {
    let mut by_person: HashMap<i64, Vec<Event>> = HashMap::new();
    for e in events {
        by_person.entry(e.person).or_default().push(e.clone());
    }
    let mut living: Vec<&Person> = persons
        .iter()
        .filter(|p| p.death.is_none() && communes.contains(&p.commune))
        .collect();
    living.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    let by = today + chrono::Duration::days(DUE_WITHIN_DAYS);
    let none: Vec<Event> = vec![];
    let mut out = DueLists::default();
    for p in living {
        let evs = by_person.get(&p.id).unwrap_or(&none);
        if p.birth_date <= today && age_on(p.birth_date, today) < IMMUNIZATION_AGE_YEARS {
            let doses = due_doses(p.birth_date, evs, by);
            if !doses.is_empty() {
                out.immunization.push((p, doses));
            }
        }
        let enrolled = evs.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::NcdEnrolment {
                    ncd: Ncd::Hypertension
                }
            )
        });
        if enrolled {
            let last = evs
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EventKind::NcdFollowUp {
                            ncd: Ncd::Hypertension,
                            ..
                        }
                    )
                })
                .map(|e| e.date)
                .max();
            if last.is_none_or(|d| d < add_months(today, -1)) {
                out.hypertension.push((p, last));
            }
        }
    }
    out
}
