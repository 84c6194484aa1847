//! From person-level records to the aggregate values of the indicator
//! engine: the numerators and denominators of every contract indicator
//! the registers can answer, per commune and period.
//!
//! **What is counted** (each by the commune of residence, [`place`]):
//!
//! | element | period | counted |
//! |---|---|---|
//! | `live_births.{m,f}` | month | births (the child's birth event) in the month |
//! | `newborns_screened` | month | those with newborn screening |
//! | `deaths.{sex}.{age}` | month | deaths in the month by sex and abridged age group at death |
//! | `children_age1` | month | children whose first birthday ([`super::age::birthday`]: 29 February → 1 March) falls in the month, alive that day |
//! | `children_age1_fully_immunized` | month | those fully immunized before it ([`super::epi::fully_immunized_u1`]) |
//! | `children_u5_measured` / `_stunted` / `_underweight` | month | children under five (before the fifth birthday) measured in the month (the month's last plausible measurement; flagged ones are left out), with length/height-for-age or weight-for-age z below −2 |
//! | `pregnancies_ended` / `pregnancies_screened` | month | pregnancies ending in the month / with prenatal screening |
//! | `registered_residents` | year | alive and resident on the day |
//! | `registered_residents_low` | year | the lowest of the counts of residents on the last day of each month of the year that the commune existed through (through the last derived month): how complete the registers are every month ([`crate::quality::REGISTER_COMPLETE`]); a commune that ended within the year gets none (the one holding its people at the year's end answers for the year) |
//! | `insured_persons` | year | alive and resident on the day, with a card valid that day |
//! | `ehr_persons` | year | … with an electronic health record opened by then |
//! | `managed_persons` | year | … with a record and a contact (any event) in the twelve months to the day |
//! | `elderly_60plus` / `elderly_checked` | year | … aged 60 or over on the day / with a periodic check in the year |
//! | `hypertension_known` / `hypertension_managed_persons` | year | … enrolled for hypertension by the day / with a follow-up in the 90 days to it |
//!
//! Stocks are counted on the period's last day (the year's 31 December;
//! for the running year, the last day of the last derived month). Flows
//! are monthly and sum up to quarters and years in the aggregates.
//!
//! **Zeros are data.** For every commune where somebody of the registers
//! lived during the window, every element of every month (and year) of
//! the window gets a value, zero included ([`keys_of`]; deaths only for the
//! age groups under five), so "no death under one" reads
//! as an infant mortality of 0, not as a missing report. Communes without
//! registers get nothing; their hand-entered reports stand.
//!
//! **Across the reform** a person's recorded commune is followed along its
//! lineage to the unit that held it on the day ([`place`]): a commune
//! merged on 2025-07-01 counts its people under the new commune from that
//! day.
//! Followed along the lineage means to the successor with the largest
//! share. [`held_communes`] is the other direction: a commune and those
//! merged into it, whose persons stay recorded under the commune of their
//! time; every list of a commune's persons or events (search, registers,
//! due lists, duplicates, FHIR) covers it.
//!
//! **Registers replace hand counts, commune by commune.** A commune where
//! anybody of the registers lived gets every element of [`MONTHLY`] for
//! every month and of [`YEARLY`] for every year of its [`Window`]; a
//! commune without registers keeps its hand-entered reports. Stocks are
//! yearly because the aggregates sum (a monthly stock would be summed
//! across months). The window runs from the year of the earliest
//! registration to the current month; each commune's window is its mark
//! (`ytcs-store`'s `DerivationMark`).
//!
//! **Who counts where.** Measurements: a child's last plausible
//! measurement in a month; flagged ones (WHO z-score limits) are stored,
//! shown and left out. Hypertension "under management": enrolled, with a
//! follow-up in the 90 days to the period's end. "Managed" persons: an
//! electronic record and any contact in the twelve months to the period's
//! end. Fully immunized before one: [`super::epi::fully_immunized_u1`].
//!
//! [`derive`]`(h, standards, registers, window)` is the one entry point;
//! `ytcs-engine::registers` runs it and writes what changed.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use chrono::Datelike;

use super::age::birthday;
use super::{age_on, residence_on, Event, EventKind, InsuranceCard, Move, Ncd, Person};
use crate::growth::GrowthStandards;
use crate::hierarchy::Hierarchy;
use crate::network::Sex;
use crate::org::UnitId;
use crate::period::Period;
use crate::Date;

/// The monthly elements derived, with their disaggregation keys.
pub const MONTHLY: &[&str] = &[
    "live_births",
    "newborns_screened",
    "deaths",
    "children_age1",
    "children_age1_fully_immunized",
    "children_u5_measured",
    "children_u5_stunted",
    "children_u5_underweight",
    "pregnancies_ended",
    "pregnancies_screened",
];

/// The yearly (stock) elements derived.
pub const YEARLY: &[&str] = &[
    "registered_residents",
    "registered_residents_low",
    "insured_persons",
    "ehr_persons",
    "managed_persons",
    "elderly_60plus",
    "elderly_checked",
    "hypertension_known",
    "hypertension_managed_persons",
];

/// Every element the registers derive.
pub fn derived_elements() -> impl Iterator<Item = &'static str> {
    MONTHLY.iter().chain(YEARLY).copied()
}

/// The disaggregation keys an element is always written with, zero
/// included. Deaths are written as zeros only for the age groups the
/// infant and under-five mortality read (`0`, `1-4`); other age groups
/// appear when somebody died in them (the life table reads a missing group
/// as no deaths), which keeps a commune-month at 15 values, not 47.
pub fn keys_of(element: &str) -> &'static [&'static str] {
    match element {
        "live_births" => &["m", "f"],
        "deaths" => &["m.0", "f.0", "m.1-4", "f.1-4"],
        _ => &[""],
    }
}

/// Whether a value of `element` under `disagg` is written even when zero.
pub fn zero_filled(element: &str, disagg: &str) -> bool {
    keys_of(element).contains(&disagg)
}

/// The disaggregation of a death: sex and the abridged age group at death
/// (`m.1-4`), from a table made once.
fn death_key(sex: Sex, years: i32) -> &'static str {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        [Sex::Male, Sex::Female]
            .iter()
            .flat_map(|s| {
                crate::lifetable::AGE_GROUPS
                    .iter()
                    .map(move |(c, _, _)| format!("{}.{c}", sex_key(*s)))
            })
            .collect()
    });
    let group = age_group(years);
    let g = crate::lifetable::AGE_GROUPS
        .iter()
        .position(|(c, _, _)| *c == group)
        .unwrap_or(0);
    let s = usize::from(sex == Sex::Female);
    &keys[s * crate::lifetable::AGE_GROUPS.len() + g]
}

/// The records of the registers, as read for a derivation. `events` must
/// be sorted by person (then date); the others may come in any order.
#[derive(Debug, Clone, Default)]
pub struct Registers {
    /// Persons.
    pub persons: Vec<Person>,
    /// Moves.
    pub moves: Vec<Move>,
    /// Insurance cards.
    pub cards: Vec<InsuranceCard>,
    /// Events, sorted by person.
    pub events: Vec<Event>,
}

/// Which periods to derive: the months from January of `from_year`
/// through `through` (a month), and the years that contain them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First year.
    pub from_year: i32,
    /// Last month (a [`Period::Month`]).
    pub through: Period,
}

impl Window {
    /// The window's months.
    pub fn months(&self) -> Vec<Period> {
        let mut out = vec![];
        let mut p = Period::Month(self.from_year, 1);
        while p.start() <= self.through.start() {
            out.push(p);
            p = p.next();
        }
        out
    }
    /// The window's years with the day each year's stocks are counted on.
    pub fn years(&self) -> Vec<(i32, Date)> {
        let last = self.through.end();
        (self.from_year..=last.year())
            .map(|y| (y, Period::Year(y).end().min(last)))
            .collect()
    }
    fn contains(&self, d: Date) -> bool {
        d >= Period::Month(self.from_year, 1).start() && d <= self.through.end()
    }
}

/// One derived value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DerivedValue {
    /// The commune.
    pub unit: UnitId,
    /// The month or year.
    pub period: Period,
    /// The element.
    pub element: &'static str,
    /// The disaggregation key.
    pub disagg: String,
    /// The count.
    pub value: i64,
}

/// The unit that held a recorded commune on a day: the commune itself
/// while it exists, after its end the successor that took the largest
/// share (followed as far as needed), before its start nothing.
pub fn place(h: &Hierarchy, commune: UnitId, day: Date) -> Option<UnitId> {
    let mut u = commune;
    for _ in 0..8 {
        let unit = h.unit(u)?;
        if unit.validity.contains(day) {
            return Some(u);
        }
        if unit.validity.from.is_some_and(|f| day < f) {
            return None;
        }
        let next = h
            .successors(u)
            .into_iter()
            .filter(|l| l.date <= day)
            .max_by(|a, b| {
                a.weight
                    .total_cmp(&b.weight)
                    .then(b.successor.cmp(&a.successor))
            })?;
        u = next.successor;
    }
    None
}

/// The communes whose persons `holders` hold on `day`: the holders
/// themselves and every commune that ended before `day` and is [`place`]d
/// in one of them (followed back through [`Hierarchy::predecessors`]).
/// Persons recorded before the 2025 reform stay under the commune of their
/// time; the station of the commune that took it over finds, lists, counts
/// and exports them through this list. A commune split among several
/// successors belongs to the one that took the largest share, as in the
/// counts and the access policy ([`crate::access::unit_chain`]).
pub fn held_communes(h: &Hierarchy, holders: &BTreeSet<UnitId>, day: Date) -> Vec<UnitId> {
    let mut out: BTreeSet<UnitId> = holders.clone();
    let mut seen: BTreeSet<UnitId> = holders.clone();
    let mut todo: Vec<UnitId> = holders.iter().copied().collect();
    while let Some(u) = todo.pop() {
        for l in h.predecessors(u) {
            let pre = l.predecessor;
            if l.date > day || !seen.insert(pre) {
                continue;
            }
            todo.push(pre);
            let ended = h
                .unit(pre)
                .is_some_and(|x| x.validity.to.is_some_and(|t| t < day));
            if ended && place(h, pre, day).is_some_and(|x| holders.contains(&x)) {
                out.insert(pre);
            }
        }
    }
    out.into_iter().collect()
}

fn age_group(years: i32) -> &'static str {
    crate::lifetable::AGE_GROUPS
        .iter()
        .rev()
        .find(|(_, lo, _)| years >= i32::from(*lo))
        .map(|(c, _, _)| *c)
        .unwrap_or("0")
}

fn sex_key(s: Sex) -> &'static str {
    match s {
        Sex::Male => "m",
        Sex::Female => "f",
    }
}

/// A derived value's key; element and disaggregation are static texts
/// (no allocation a count) hashed and compared by address ([`Sym`]).
type Key = (UnitId, Period, Sym, Sym);

/// A static text hashed and compared by its address, not its bytes: the
/// counting's hot path. Two copies of one literal may have two addresses;
/// [`fill_zeros`] adds up keys of the same text at the end, so the counts
/// are the same either way.
#[derive(Debug, Clone, Copy)]
struct Sym(&'static str);

impl PartialEq for Sym {
    fn eq(&self, other: &Sym) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Sym {}

impl std::hash::Hash for Sym {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.0.as_ptr() as usize).hash(h);
        self.0.len().hash(h);
    }
}

struct Acc<'h> {
    h: &'h Hierarchy,
    /// The person being counted, for [`Trace`].
    person: i64,
    trace: Option<Trace>,
    out: FxHashMap<Key, i64>,
    communes: rustc_hash::FxHashSet<UnitId>,
    /// (recorded commune, month end) → placed unit.
    placed: FxHashMap<(UnitId, Date), Option<UnitId>>,
}

impl Acc<'_> {
    fn place(&mut self, commune: UnitId, day: Date) -> Option<UnitId> {
        let h = self.h;
        *self
            .placed
            .entry((commune, day))
            .or_insert_with(|| place(h, commune, day))
    }
    fn add(
        &mut self,
        commune: Option<UnitId>,
        period: Period,
        element: &'static str,
        disagg: &'static str,
    ) {
        self.add_on(commune, period, period.end(), element, disagg);
    }
    fn add_on(
        &mut self,
        commune: Option<UnitId>,
        period: Period,
        day: Date,
        element: &'static str,
        disagg: &'static str,
    ) {
        let Some(c) = commune else { return };
        let Some(u) = self.place(c, day) else {
            return;
        };
        self.communes.insert(u);
        if let Some(t) = &mut self.trace {
            if t.matches(u, period, element, disagg) {
                t.persons.push(self.person);
            }
        }
        *self
            .out
            .entry((u, period, Sym(element), Sym(disagg)))
            .or_default() += 1;
    }
}

/// Which counts to trace back to their persons: one commune's values of
/// one element, restricted to options, in the periods within `within`
/// (the months of a quarter or year for a monthly element).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The commune (as placed on the counting day).
    pub unit: UnitId,
    /// The period asked.
    pub within: Period,
    /// The element.
    pub element: String,
    /// Options every traced value's disaggregation includes.
    pub options: Vec<String>,
    /// The persons counted, once per count (a person who died in one
    /// month and was counted once appears once).
    pub persons: Vec<i64>,
}

impl Trace {
    fn matches(&self, u: UnitId, period: Period, element: &str, disagg: &str) -> bool {
        u == self.unit
            && element == self.element
            && period.start() >= self.within.start()
            && period.end() <= self.within.end()
            && self
                .options
                .iter()
                .all(|o| disagg.split('.').any(|p| p == o))
    }
}

/// The persons behind a derived value: [`derive`] run over the same
/// records with `trace`, so the list always adds up to the count (what a
/// statutory form's cell drills down to).
pub fn contributors(
    h: &Hierarchy,
    std: &GrowthStandards,
    r: &Registers,
    w: Window,
    trace: Trace,
) -> Trace {
    let mut acc = Acc {
        h,
        person: 0,
        trace: Some(trace),
        out: FxHashMap::default(),
        communes: rustc_hash::FxHashSet::default(),
        placed: FxHashMap::default(),
    };
    count(&mut acc, std, r, w);
    acc.trace.expect("set above")
}

fn month_of(d: Date) -> Period {
    Period::Month(d.year(), d.month() as u8)
}

/// Derives every value of the registers for the window. Deterministic:
/// the same records give the same values in the same order.
pub fn derive(h: &Hierarchy, std: &GrowthStandards, r: &Registers, w: Window) -> Vec<DerivedValue> {
    let mut acc = Acc {
        h,
        person: 0,
        trace: None,
        out: FxHashMap::default(),
        communes: rustc_hash::FxHashSet::default(),
        placed: FxHashMap::default(),
    };
    let (years, months, month_residents) = count(&mut acc, std, r, w);
    fill_zeros(acc, h, years, months, month_residents)
}

type MonthResidents = FxHashMap<(UnitId, Period), i64>;

/// Counts every person into `acc`.
fn count(
    acc: &mut Acc<'_>,
    std: &GrowthStandards,
    r: &Registers,
    w: Window,
) -> (Vec<(i32, Date)>, Vec<Period>, MonthResidents) {
    let mut moves: FxHashMap<i64, Vec<Move>> = FxHashMap::default();
    for m in &r.moves {
        moves.entry(m.person).or_default().push(m.clone());
    }
    let mut cards: FxHashMap<i64, Vec<&InsuranceCard>> = FxHashMap::default();
    for c in &r.cards {
        cards.entry(c.person).or_default().push(c);
    }
    // Each person's events as one slice of the events sorted by person
    // (then date): the records as read are sorted already and are not
    // copied.
    let sorted = r.events.windows(2).all(|p| p[0].person <= p[1].person);
    let resorted: Vec<Event>;
    let events: &[Event] = if sorted {
        &r.events
    } else {
        let mut v = r.events.clone();
        v.sort_by_key(|e| (e.person, e.date));
        resorted = v;
        &resorted
    };
    let mut by_person: FxHashMap<i64, (usize, usize)> = FxHashMap::default();
    let mut i = 0;
    while i < events.len() {
        let p = events[i].person;
        let mut j = i;
        while j < events.len() && events[j].person == p {
            j += 1;
        }
        by_person.insert(p, (i, j));
        i = j;
    }
    let years = w.years();
    let months = w.months();
    // Recorded commune → +1/−1 at the months where runs of residents
    // start and end.
    let mut residents: FxHashMap<UnitId, Vec<i64>> = FxHashMap::default();
    let empty: Vec<Move> = vec![];
    for p in &r.persons {
        acc.person = p.id;
        let pm = moves.get(&p.id).unwrap_or(&empty);
        let res = |d: Date| residence_on(p, pm, d);
        let evs: &[Event] = match by_person.get(&p.id) {
            Some(&(a, b)) => &events[a..b],
            None => &[],
        };
        let alive_on = |d: Date| p.death.as_ref().is_none_or(|x| x.date > d);
        // Deaths.
        if let Some(d) = &p.death {
            if w.contains(d.date) {
                let key = death_key(p.sex, age_on(p.birth_date, d.date));
                acc.add(res(d.date), month_of(d.date), "deaths", key);
            }
        }
        // Children reaching age 1.
        let b1 = birthday(p.birth_date, 1);
        if w.contains(b1) && alive_on(b1) {
            let c = res(b1);
            acc.add(c, month_of(b1), "children_age1", "");
            if super::epi::fully_immunized_u1(p.birth_date, evs) {
                acc.add(c, month_of(b1), "children_age1_fully_immunized", "");
            }
        }
        // Events.
        let mut last_measured: Option<(Period, usize)> = None;
        let mut measured: Vec<usize> = vec![];
        for (k, e) in evs.iter().enumerate() {
            match &e.kind {
                EventKind::Birth { screened, .. } if w.contains(e.date) => {
                    let c = res(e.date).or(Some(p.commune));
                    acc.add(c, month_of(e.date), "live_births", sex_key(p.sex));
                    if *screened {
                        acc.add(c, month_of(e.date), "newborns_screened", "");
                    }
                }
                EventKind::Pregnancy {
                    ended: Some(end),
                    screened,
                    outcome: Some(_),
                    ..
                } if w.contains(*end) => {
                    let c = res(*end);
                    acc.add(c, month_of(*end), "pregnancies_ended", "");
                    if *screened {
                        acc.add(c, month_of(*end), "pregnancies_screened", "");
                    }
                }
                EventKind::Measurement { .. } if w.contains(e.date) && e.flags.is_empty() => {
                    let m = month_of(e.date);
                    match last_measured {
                        Some((pm_, _)) if pm_ == m => {
                            last_measured = Some((m, k));
                            *measured.last_mut().expect("pushed with last_measured") = k;
                        }
                        _ => {
                            last_measured = Some((m, k));
                            measured.push(k);
                        }
                    }
                }
                _ => {}
            }
        }
        for k in measured {
            let e = &evs[k];
            if age_on(p.birth_date, e.date) >= 5 {
                continue;
            }
            let Some(z) = super::growth_z(std, e, p) else {
                continue;
            };
            if z.haz.is_none() && z.waz.is_none() {
                continue;
            }
            let c = res(e.date);
            let m = month_of(e.date);
            acc.add(c, m, "children_u5_measured", "");
            if z.stunted() == Some(true) {
                acc.add(c, m, "children_u5_stunted", "");
            }
            if z.underweight() == Some(true) {
                acc.add(c, m, "children_u5_underweight", "");
            }
        }
        // Residents at each month's end (for `registered_residents_low`),
        // by recorded commune, placed once per commune and month at the
        // end.
        let counted = |day: Date| day >= p.registered_on && day >= p.birth_date && alive_on(day);
        if pm.is_empty() {
            // Never moved: resident in the recorded commune on every
            // month's end from the first counted one until death (the
            // conditions hold on a run of months): +1 where the run
            // starts, −1 after it ends.
            if let Some(first) = months.iter().position(|m| counted(m.end())) {
                let after = first
                    + months[first..]
                        .iter()
                        .position(|m| !counted(m.end()))
                        .unwrap_or(months.len() - first);
                let run = residents
                    .entry(p.commune)
                    .or_insert_with(|| vec![0; months.len() + 1]);
                run[first] += 1;
                run[after] -= 1;
            }
        } else {
            for (k, m) in months.iter().enumerate() {
                let day = m.end();
                if !counted(day) {
                    continue;
                }
                let Some(c) = res(day) else { continue };
                let run = residents
                    .entry(c)
                    .or_insert_with(|| vec![0; months.len() + 1]);
                run[k] += 1;
                run[k + 1] -= 1;
            }
        }
        // Stocks.
        let pc = cards.get(&p.id);
        for &(y, day) in &years {
            if day < p.registered_on || day < p.birth_date || !alive_on(day) {
                continue;
            }
            let Some(c) = res(day) else { continue };
            let year = Period::Year(y);
            let c = Some(c);
            acc.add_on(c, year, day, "registered_residents", "");
            if pc.is_some_and(|cs| cs.iter().any(|x| x.valid_from <= day && day <= x.valid_to)) {
                acc.add_on(c, year, day, "insured_persons", "");
            }
            let ehr = p.ehr_opened_on.is_some_and(|d| d <= day);
            if ehr {
                acc.add_on(c, year, day, "ehr_persons", "");
                let since = day - chrono::Duration::days(365);
                if evs.iter().any(|e| e.date > since && e.date <= day) {
                    acc.add_on(c, year, day, "managed_persons", "");
                }
            }
            if age_on(p.birth_date, day) >= 60 {
                acc.add_on(c, year, day, "elderly_60plus", "");
                if evs.iter().any(|e| {
                    matches!(e.kind, EventKind::ElderlyCheck) && e.date.year() == y && e.date <= day
                }) {
                    acc.add_on(c, year, day, "elderly_checked", "");
                }
            }
            let known = evs.iter().any(|e| {
                e.date <= day
                    && matches!(
                        e.kind,
                        EventKind::NcdEnrolment {
                            ncd: Ncd::Hypertension
                        }
                    )
            });
            if known {
                acc.add_on(c, year, day, "hypertension_known", "");
                let since = day - chrono::Duration::days(90);
                if evs.iter().any(|e| {
                    e.date > since
                        && e.date <= day
                        && matches!(
                            e.kind,
                            EventKind::NcdFollowUp {
                                ncd: Ncd::Hypertension,
                                ..
                            }
                        )
                }) {
                    acc.add_on(c, year, day, "hypertension_managed_persons", "");
                }
            }
        }
    }
    // The runs added up month by month, each recorded commune placed on
    // the month's end.
    let mut month_residents: MonthResidents = MonthResidents::default();
    for (c, run) in residents {
        let mut n = 0;
        for (k, m) in months.iter().enumerate() {
            n += run[k];
            if n == 0 {
                continue;
            }
            if let Some(u) = acc.place(c, m.end()) {
                *month_residents.entry((u, *m)).or_default() += n;
            }
        }
    }
    (years, months, month_residents)
}

/// Zeros are data: every key of every period of the window for every
/// commune that appeared, where the commune exists at the period's end.
fn fill_zeros(
    mut acc: Acc<'_>,
    h: &Hierarchy,
    years: Vec<(i32, Date)>,
    months: Vec<Period>,
    month_residents: MonthResidents,
) -> Vec<DerivedValue> {
    acc.communes.extend(month_residents.keys().map(|k| k.0));
    let mut communes: Vec<UnitId> = acc.communes.iter().copied().collect();
    communes.sort_unstable();
    for &u in &communes {
        let Some(unit) = h.unit(u) else { continue };
        // The lowest month-end count of each year, over the months the
        // commune existed through, for the commune existing at the year's
        // counting day.
        for &(y, day) in &years {
            if !unit.validity.contains(day) {
                continue;
            }
            let low = months
                .iter()
                .filter(|m| m.start().year() == y && unit.validity.contains(m.end()))
                .map(|m| month_residents.get(&(u, *m)).copied().unwrap_or(0))
                .min();
            if let Some(low) = low {
                acc.out.insert(
                    (u, Period::Year(y), Sym("registered_residents_low"), Sym("")),
                    low,
                );
            }
        }
        for &m in &months {
            if !unit.validity.contains(m.end()) {
                continue;
            }
            for el in MONTHLY {
                for &k in keys_of(el) {
                    acc.out.entry((u, m, Sym(el), Sym(k))).or_insert(0);
                }
            }
        }
        for &(y, day) in &years {
            if !unit.validity.contains(day) {
                continue;
            }
            for el in YEARLY {
                acc.out
                    .entry((u, Period::Year(y), Sym(el), Sym("")))
                    .or_insert(0);
            }
        }
    }
    // Keys of the same texts at two addresses are added up here.
    let mut merged: FxHashMap<(UnitId, Period, &'static str, &'static str), i64> =
        FxHashMap::default();
    for ((unit, period, element, disagg), value) in acc.out {
        *merged
            .entry((unit, period, element.0, disagg.0))
            .or_default() += value;
    }
    let mut out: Vec<DerivedValue> = merged
        .into_iter()
        .map(|((unit, period, element, disagg), value)| DerivedValue {
            unit,
            period,
            element,
            disagg: disagg.to_string(),
            value,
        })
        .collect();
    out.sort();
    out
}
