//! The registers over the store: saving records (checked, all or nothing)
//! with the indicator values they imply, re-deriving communes, and the
//! check that derived values equal a fresh derivation.
//!
//! **Incremental.** Saving a batch re-derives only the communes it touches
//! (the persons' communes before and after, both ends of a move) and
//! their lineage (a commune merged in the reform and the commune it went
//! into): their records are read, the batch applied in memory, the values
//! derived ([`ytcs_core::register::derive`]) and compared with the stored
//! ones, and only the differences are written, through
//! `write_derived_values`, all or nothing and checked against approvals
//! as any data (but the only writer the store lets write derived values)
//! — so an approved, locked period refuses the records that would change
//! it. Then the records are
//! written. Should that fail, the communes are re-derived from what is
//! stored, so values never describe records that do not exist.
//!
//! **Fast path.** A derived value is a sum of each person's contribution,
//! so once a commune has been derived through the current month, a save
//! derives only the batch's persons, before and after, and adds the
//! difference to the stored values: milliseconds however large the
//! commune. A new month, or a commune never derived, takes the full
//! path above once.
//!
//! **Marks.** Each commune with derived values has a mark (first year,
//! last month). [`verify`] re-derives every marked commune with its own
//! window and compares; `ytcs rebuild --verify` runs it.
//!
//! **The only way records are written.** [`save`] checks a batch against
//! the core's rules and the stored records, derives the values it changes
//! and writes them through `write_derived_values` (locked periods refuse)
//! before the records. [`is_derived`] and [`hand_written_derived`] keep
//! derived values off the entry form and out of file imports with a
//! message in the user's words; the store enforces the rule itself in the
//! write's transaction (`DerivationMark::derives`), and only
//! `write_derived_values` (`ytcs_store::raw`), which [`save`] and [`sync`]
//! call, writes one. The server derives communes through the new month
//! once an hour (`advance_registers` in the binary).
//!
//! **A derivation of every commune goes a batch at a time.** [`sync`] and
//! [`verify`] (`ytcs generate`, `ytcs rebuild`) ask the store which
//! communes the registers mention and how many persons each has
//! (`register_communes`, no person read), group them into [`batches`] of
//! about [`BATCH_PERSONS`] (200,000) persons, each closed under lineage (a
//! commune merged in 2025 and the one it went into derive together, since
//! a person's residence crosses between them), and read, derive and
//! compare one batch at a time; only the differences wait for the one
//! write. A batch's read takes everyone who lives or lived in its
//! communes, so each commune's values are those of a derivation of the
//! whole register (`ytcs-synth/tests/derive_in_batches.rs` compares a
//! batch a commune with one batch of all). Before, 2 M persons were held
//! at once (10.2 GB). A batch's records are read while the batch before
//! is derived on a blocking thread (`Derivations`): the database reads on
//! its own thread (SQLite's worker, PostgreSQL's server), so both cores
//! work, and two batches are held at most. 300,000 persons: `rebuild
//! --verify` from 29.5 s to 24.4 s (two batches, one overlap); 1 M
//! persons (six batches): from 62–72 s to 50.4 s, peak 1.86 GB (was
//! 1.76 GB); `sync` from 66–76 s to 58.2 s.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::Datelike;
use serde::Serialize;
use ytcs_core::aggregate::Fixed;
use ytcs_core::growth::GrowthStandards;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::register::derive::{
    derive, derived_elements, zero_filled, DerivedValue, Registers, Window,
};
use ytcs_core::register::{
    check_card, check_event, check_mother, check_person, measurement_flags, Event, EventKind,
    FieldError, Person,
};
use ytcs_core::Date;
use ytcs_store::network::WriteError;
use ytcs_store::registers::{DerivationMark, IdMap, RegisterBatch};
use ytcs_store::values::{ValueFilter, ValueWrite};
use ytcs_store::{raw, Store, StoreError};

/// The WHO growth standards, read once.
pub fn standards() -> &'static GrowthStandards {
    static S: OnceLock<GrowthStandards> = OnceLock::new();
    // The tables are embedded and checked by ytcs-refdata's tests; an
    // error here is a build defect.
    S.get_or_init(|| {
        ytcs_refdata::growth_standards().expect("the embedded WHO growth tables parse")
    })
}

/// Why a batch was not saved. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// A record breaks a rule; `record` says which (`person 2`, `event -3`).
    #[error("nothing was saved: {record}: {error}")]
    Field {
        /// Which record.
        record: String,
        /// What is wrong with which field.
        error: FieldError,
    },
    /// The values it implies were refused (a locked period) or storage
    /// failed.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl SaveError {
    fn field(record: String, error: FieldError) -> Self {
        SaveError::Field { record, error }
    }
    /// The message in Vietnamese, for the UI.
    pub fn vi(&self) -> String {
        match self {
            SaveError::Field { record, error } => {
                format!(
                    "Chưa lưu gì: {record}, trường {}: {}",
                    error.field, error.message_vi
                )
            }
            SaveError::Write(WriteError::Store(StoreError::Locked {
                code,
                period,
                approved,
                ..
            })) => {
                format!("Chưa lưu gì: số liệu của {code} kỳ {period} đã được duyệt ({approved}); cần mở khóa trước khi sửa hồ sơ làm thay đổi số liệu này")
            }
            other => format!("Chưa lưu gì: {other}"),
        }
    }
}

/// The month containing `today`.
pub fn month_of(d: Date) -> Period {
    Period::Month(d.year(), d.month() as u8)
}

/// Every unit connected to `units` by lineage, in either direction, and
/// the units themselves.
pub fn lineage_closure(h: &Hierarchy, units: &BTreeSet<UnitId>) -> BTreeSet<UnitId> {
    let mut out = units.clone();
    let mut todo: Vec<UnitId> = units.iter().copied().collect();
    while let Some(u) = todo.pop() {
        let next = h
            .successors(u)
            .into_iter()
            .map(|l| l.successor)
            .chain(h.predecessors(u).into_iter().map(|l| l.predecessor));
        for n in next {
            if out.insert(n) {
                todo.push(n);
            }
        }
    }
    out
}

/// Checks every record of a batch against the rules and the stored
/// records; returns the batch normalised (names, card numbers, ICD-10
/// codes, measurement flags).
pub async fn check_batch(
    store: &dyn Store,
    h: &Hierarchy,
    batch: &RegisterBatch,
    today: Date,
) -> Result<RegisterBatch, SaveError> {
    let mut b = batch.clone();
    let commune_ok = |u: UnitId, on: Date| {
        h.unit(u)
            .is_some_and(|x| x.validity.contains(on) || x.validity.to.is_some_and(|t| t < on))
    };
    for hh in &b.households {
        if h.unit(hh.commune).is_none() {
            return Err(SaveError::field(
                format!("household {}", hh.id),
                FieldError::new("commune", "no such commune", "không có xã này"),
            ));
        }
    }
    for p in &mut b.persons {
        *p = check_person(p, today).map_err(|e| SaveError::field(format!("person {}", p.id), e))?;
        if !commune_ok(p.commune, p.registered_on) {
            return Err(SaveError::field(
                format!("person {}", p.id),
                FieldError::new(
                    "commune",
                    "no such commune on the registration day",
                    "xã không tồn tại vào ngày đăng ký",
                ),
            ));
        }
    }
    // Persons the events refer to: from the batch, else stored.
    let mut persons: HashMap<i64, Person> = b.persons.iter().map(|p| (p.id, p.clone())).collect();
    let mut stored_events: HashMap<i64, Vec<Event>> = HashMap::new();
    let needed: BTreeSet<i64> = b
        .events
        .iter()
        .map(|e| e.person)
        .chain(b.cards.iter().map(|c| c.person))
        .chain(b.moves.iter().map(|m| m.person))
        .chain(b.history.iter().map(|x| x.person))
        .chain(b.events.iter().filter_map(|e| match e.kind {
            EventKind::Birth { mother, .. } => mother,
            _ => None,
        }))
        .chain(store.event_persons(&b.delete_events).await?)
        .collect();
    for id in needed {
        if id > 0 {
            match store.person_record(id).await? {
                Some(r) => {
                    persons.entry(id).or_insert(r.person);
                    stored_events.insert(id, r.events);
                }
                None if !persons.contains_key(&id) => {
                    return Err(SaveError::field(
                        format!("person {id}"),
                        FieldError::new("person", "no such person", "không có người này"),
                    ))
                }
                None => {}
            }
        } else if !persons.contains_key(&id) {
            return Err(SaveError::field(
                format!("person {id}"),
                FieldError::new(
                    "person",
                    "refers to a person neither stored nor in this batch",
                    "tham chiếu tới người không có trong hồ sơ",
                ),
            ));
        }
    }
    for c in &mut b.cards {
        *c = check_card(c).map_err(|e| SaveError::field(format!("card {}", c.id), e))?;
    }
    for m in &b.moves {
        let bad = m.from.is_none() && m.to.is_none()
            || m.from.is_some_and(|u| h.unit(u).is_none())
            || m.to.is_some_and(|u| h.unit(u).is_none())
            || m.date > today;
        if bad {
            return Err(SaveError::field(
                format!("move {}", m.id),
                FieldError::new(
                    "to",
                    "a move needs a known commune left or arrived in, on a day not in the future",
                    "chuyển đi/đến cần xã đi hoặc xã đến hợp lệ và ngày không ở tương lai",
                ),
            ));
        }
    }
    // Events in date order per person, each checked against the ones
    // before it (stored, and earlier in the batch).
    let deleted: BTreeSet<i64> = b.delete_events.iter().copied().collect();
    let mut order: Vec<usize> = (0..b.events.len()).collect();
    order.sort_by_key(|&i| (b.events[i].person, b.events[i].date));
    let mut seen: HashMap<i64, Vec<Event>> = HashMap::new();
    for i in order {
        let e = b.events[i].clone();
        let p = &persons[&e.person];
        let others: Vec<Event> = stored_events
            .get(&e.person)
            .into_iter()
            .flatten()
            .filter(|x| x.id != e.id && !deleted.contains(&x.id))
            .chain(seen.get(&e.person).into_iter().flatten())
            .cloned()
            .collect();
        if h.unit(e.unit).is_none() {
            return Err(SaveError::field(
                format!("event {}", e.id),
                FieldError::new("unit", "no such unit", "không có đơn vị này"),
            ));
        }
        let mut checked = check_event(&e, p, &others, today)
            .map_err(|x| SaveError::field(format!("event {}", e.id), x))?;
        if let EventKind::Birth {
            mother: Some(m), ..
        } = checked.kind
        {
            check_mother(&persons[&m], checked.date)
                .map_err(|x| SaveError::field(format!("event {}", e.id), x))?;
        }
        checked.flags = measurement_flags(standards(), &checked, p);
        seen.entry(e.person).or_default().push(checked.clone());
        b.events[i] = checked;
    }
    Ok(b)
}

/// Applies a batch to records in memory (placeholders stay negative).
pub fn apply(r: &mut Registers, b: &RegisterBatch) {
    for p in &b.persons {
        match r.persons.iter_mut().find(|x| x.id == p.id) {
            Some(x) => *x = p.clone(),
            None => r.persons.push(p.clone()),
        }
    }
    for m in &b.moves {
        r.moves.retain(|x| x.id != m.id);
        r.moves.push(m.clone());
    }
    for c in &b.cards {
        r.cards.retain(|x| x.id != c.id);
        r.cards.push(c.clone());
    }
    let deleted: BTreeSet<i64> = b.delete_events.iter().copied().collect();
    let replaced: BTreeSet<i64> = b.events.iter().map(|e| e.id).collect();
    r.events
        .retain(|e| !deleted.contains(&e.id) && !replaced.contains(&e.id));
    r.events.extend(b.events.iter().cloned());
    r.events.sort_by_key(|e| (e.person, e.date, e.id));
}

/// The communes a batch touches (before and after), with their lineage.
async fn touched(
    store: &dyn Store,
    h: &Hierarchy,
    b: &RegisterBatch,
) -> Result<(BTreeSet<UnitId>, Vec<i64>), StoreError> {
    let mut set = BTreeSet::new();
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    for p in &b.persons {
        set.insert(p.commune);
        ids.insert(p.id);
    }
    for m in &b.moves {
        set.extend(m.from);
        set.extend(m.to);
        ids.insert(m.person);
    }
    ids.extend(b.cards.iter().map(|c| c.person));
    ids.extend(b.events.iter().map(|e| e.person));
    ids.extend(store.event_persons(&b.delete_events).await?);
    let stored: Vec<i64> = ids.into_iter().filter(|id| *id > 0).collect();
    for &id in &stored {
        if let Some(r) = store.person_record(id).await? {
            set.insert(r.person.commune);
            for m in r.moves {
                set.extend(m.from);
                set.extend(m.to);
            }
        }
    }
    Ok((lineage_closure(h, &set), stored))
}

/// The fast path of a save: values are sums of each person's
/// contribution, so when every touched commune was derived through this
/// month with one first year, the change is the derivation of the
/// batch's persons after minus before, added to the stored values.
/// `None` when the fast path does not apply (a commune never derived, a
/// new month, a registration before the first year).
async fn delta_writes(
    store: &dyn Store,
    h: &Hierarchy,
    b: &RegisterBatch,
    units: &BTreeSet<UnitId>,
    persons: &[i64],
    marks: &[DerivationMark],
    through: Period,
) -> Result<Option<Vec<ValueWrite>>, StoreError> {
    let marked: HashMap<UnitId, &DerivationMark> = marks.iter().map(|m| (m.commune, m)).collect();
    let years: BTreeSet<i32> = units
        .iter()
        .filter_map(|u| marked.get(u))
        .map(|m| m.from_year)
        .collect();
    let stale = units
        .iter()
        .filter_map(|u| marked.get(u))
        .any(|m| m.through != through);
    let (Some(&from_year), 1, false) = (years.first(), years.len(), stale) else {
        return Ok(None);
    };
    let before = store.person_registers(persons).await?;
    let mut after = before.clone();
    apply(&mut after, b);
    if after
        .persons
        .iter()
        .any(|p| p.registered_on.year() < from_year)
    {
        return Ok(None);
    }
    let w = Window { from_year, through };
    let mut delta: BTreeMap<(UnitId, Period, &'static str, String), i64> = BTreeMap::new();
    for (sign, r) in [(-1, &before), (1, &after)] {
        for v in derive(h, standards(), r, w) {
            if v.value != 0 {
                *delta
                    .entry((v.unit, v.period, v.element, v.disagg))
                    .or_default() += sign * v.value;
            }
        }
    }
    delta.retain(|_, d| *d != 0);
    if delta
        .keys()
        .any(|k| !units.contains(&k.0) || !marked.contains_key(&k.0))
    {
        return Ok(None);
    }
    let touched_units: BTreeSet<UnitId> = delta.keys().map(|k| k.0).collect();
    let touched_elements: BTreeSet<&str> = delta.keys().map(|k| k.2).collect();
    let starts = delta.keys().map(|k| k.1.start());
    let within = starts.clone().min().zip(starts.max());
    let stored = store
        .data_values(&ValueFilter {
            units: Some(touched_units.into_iter().collect()),
            elements: Some(touched_elements.iter().map(|e| e.to_string()).collect()),
            starting_within: within,
            ..ValueFilter::default()
        })
        .await?;
    let mut old: HashMap<(UnitId, Period, &str, &str), i64> = HashMap::new();
    for s in &stored {
        let v = &s.value;
        old.insert(
            (v.unit, v.period, v.element.as_str(), v.disagg.as_str()),
            v.value.0 / 1000,
        );
    }
    Ok(Some(
        delta
            .into_iter()
            .map(|((unit, period, element, disagg), d)| {
                let was = old
                    .get(&(unit, period, element, disagg.as_str()))
                    .copied()
                    .unwrap_or(0);
                // A key written only when non-zero disappears at zero, as
                // in a full derivation.
                let value = if was + d == 0 && !zero_filled(element, &disagg) {
                    None
                } else {
                    Fixed::from_int(was + d)
                };
                ValueWrite {
                    element: element.to_string(),
                    unit,
                    period,
                    disagg,
                    value,
                }
            })
            .collect(),
    ))
}

/// What a derivation changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Communes derived.
    pub communes: usize,
    /// Values derived (zeros included).
    pub derived: usize,
    /// Stored values written or deleted.
    pub changed: usize,
    /// Batches of communes derived one at a time.
    pub batches: usize,
}

/// The writes that turn the stored derived values of `units` into
/// `derived`.
async fn diff(
    store: &dyn Store,
    units: &BTreeSet<UnitId>,
    derived: &[DerivedValue],
    w: Window,
) -> Result<Vec<ValueWrite>, StoreError> {
    let elements: BTreeSet<&str> = derived_elements().collect();
    let in_window = |p: &Period| {
        p.start() >= Period::Month(w.from_year, 1).start() && p.start() <= w.through.end()
    };
    let started = std::time::Instant::now();
    let stored = store
        .raw_values(&ValueFilter {
            units: Some(units.iter().copied().collect()),
            elements: Some(elements.iter().map(|e| e.to_string()).collect()),
            starting_within: Some((Period::Month(w.from_year, 1).start(), w.through.end())),
            ..ValueFilter::default()
        })
        .await?;
    // Stored values by key; each found is taken out, what is left is
    // extra.
    let mut old: HashMap<(UnitId, Period, &str, &str), i64> = stored
        .iter()
        .filter(|v| elements.contains(v.element.as_str()) && in_window(&v.period))
        .map(|v| {
            (
                (v.unit, v.period, v.element.as_str(), v.disagg.as_str()),
                v.value.0,
            )
        })
        .collect();
    let mut writes = vec![];
    for d in derived.iter().filter(|d| units.contains(&d.unit)) {
        let value = Fixed::from_int(d.value);
        let was = old.remove(&(d.unit, d.period, d.element, d.disagg.as_str()));
        if was != value.map(|f| f.0) {
            writes.push(ValueWrite {
                element: d.element.to_string(),
                unit: d.unit,
                period: d.period,
                disagg: d.disagg.clone(),
                value,
            });
        }
    }
    let mut extra: Vec<_> = old.into_keys().collect();
    extra.sort_unstable();
    for (unit, period, element, disagg) in extra {
        writes.push(ValueWrite {
            element: element.to_string(),
            unit,
            period,
            disagg: disagg.to_string(),
            value: None,
        });
    }
    tracing::debug!(
        values = derived.len(),
        seconds = started.elapsed().as_secs_f64(),
        "derived values compared with the stored"
    );
    Ok(writes)
}

/// The first year of a derivation: the first registration among
/// `registered`, or an earlier mark of one of `units` (never before 2000).
fn first_year(
    registered: impl Iterator<Item = Date>,
    marks: &[DerivationMark],
    units: &BTreeSet<UnitId>,
    through: Period,
) -> i32 {
    registered
        .map(|d| d.year())
        .chain(
            marks
                .iter()
                .filter(|m| units.contains(&m.commune))
                .map(|m| m.from_year),
        )
        .min()
        .unwrap_or(through.start().year())
        .max(2000)
}

/// Saves a batch: checks it, derives and writes the values it changes
/// (refused as a whole when a period is locked), then the records.
pub async fn save(
    store: &dyn Store,
    h: &Hierarchy,
    batch: &RegisterBatch,
    by: &str,
    today: Date,
) -> Result<IdMap, SaveError> {
    let b = check_batch(store, h, batch, today).await?;
    let (units, persons) = touched(store, h, &b).await?;
    let list: Vec<UnitId> = units.iter().copied().collect();
    let marks = store.derivation_marks().await?;
    let through = month_of(today);
    let fast = delta_writes(store, h, &b, &units, &persons, &marks, through).await?;
    let (writes, full) = match fast {
        Some(writes) => (writes, None),
        None => {
            let mut r = store.registers(Some(&list)).await?;
            apply(&mut r, &b);
            let w = Window {
                from_year: first_year(
                    r.persons.iter().map(|p| p.registered_on),
                    &marks,
                    &units,
                    through,
                ),
                through,
            };
            let derived = derive(h, standards(), &r, w);
            (diff(store, &units, &derived, w).await?, Some((derived, w)))
        }
    };
    raw::writes(store)
        .write_derived_values(h, &writes, by)
        .await?;
    match raw::writes(store).write_registers(&b, by).await {
        Ok(map) => {
            if let Some((derived, w)) = full {
                mark(store, with_values(&derived, &units), w).await?;
            }
            Ok(map)
        }
        Err(e) => {
            // Put the values back to what the stored records say.
            let _ = sync(store, h, Some(&list), by, today).await;
            Err(match &e {
                StoreError::Invalid(m) if m.starts_with("national_id:") => SaveError::field(
                    "person".into(),
                    FieldError::new(
                        "national_id",
                        "this citizen identity number is already registered",
                        "số căn cước này đã có trong hồ sơ",
                    ),
                ),
                _ => SaveError::Store(e),
            })
        }
    }
}

/// The communes of `units` that `derived` gives values to.
fn with_values(derived: &[DerivedValue], units: &BTreeSet<UnitId>) -> BTreeSet<UnitId> {
    derived
        .iter()
        .map(|d| d.unit)
        .filter(|u| units.contains(u))
        .collect()
}

/// Marks `communes` as derived over `w`.
async fn mark(store: &dyn Store, communes: BTreeSet<UnitId>, w: Window) -> Result<(), StoreError> {
    let marks: Vec<DerivationMark> = communes
        .into_iter()
        .map(|commune| DerivationMark {
            commune,
            from_year: w.from_year,
            through: w.through,
        })
        .collect();
    store.set_derivation_marks(&marks).await
}

/// Persons a derivation of many communes reads at once: it goes through
/// them in batches of about this many (a lineage group larger than this
/// is one batch), so its memory is one batch's records, never a
/// province's.
pub const BATCH_PERSONS: i64 = 200_000;

/// `units` in batches to derive one at a time: each batch closed under
/// lineage (a commune and those merged into or out of it derive
/// together, as their persons' residences cross between them), in unit
/// order, none above `max_persons` persons unless one lineage group is.
pub fn batches(
    h: &Hierarchy,
    units: &BTreeSet<UnitId>,
    persons: &HashMap<UnitId, i64>,
    max_persons: i64,
) -> Vec<BTreeSet<UnitId>> {
    let mut placed: BTreeSet<UnitId> = BTreeSet::new();
    let mut out: Vec<BTreeSet<UnitId>> = Vec::new();
    let mut current = BTreeSet::new();
    let mut current_persons = 0;
    for &u in units {
        if placed.contains(&u) {
            continue;
        }
        let group = lineage_closure(h, &BTreeSet::from([u]));
        let n: i64 = group.iter().filter_map(|g| persons.get(g)).sum();
        placed.extend(group.iter().copied());
        if !current.is_empty() && current_persons + n > max_persons {
            out.push(std::mem::take(&mut current));
            current_persons = 0;
        }
        current.extend(group);
        current_persons += n;
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Groups of communes derived one after another while the records of
/// the next two are read, each on a blocking thread of its own: reading a
/// group takes about three times as long as deriving it (1 M persons,
/// batches of 200,000: 2.4 s against 0.75 s), so two reads in flight
/// keep both cores busy. At most three groups' records are held: the one
/// derived and the two read. (A read is started by polling its future
/// once: the SQLite store's read runs on a blocking thread from then on;
/// PostgreSQL's makes progress only while awaited, one at a time.)
struct Derivations<'a> {
    store: &'a dyn Store,
    h: &'a Hierarchy,
    groups: &'a [BTreeSet<UnitId>],
    /// The next group to derive and its records, read ahead.
    ahead: Option<(usize, Registers)>,
    /// Reads started, in group order.
    reading: std::collections::VecDeque<ReadFuture<'a>>,
    /// The next group whose read is not started.
    next_read: usize,
    /// Read from the rows with each digest compared (`rebuild --verify`).
    checked: bool,
    /// The persons whose digest differs from their rows (when checked).
    stale_digests: Vec<i64>,
}

type ReadFuture<'a> = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<(usize, Registers, Vec<i64>), StoreError>>
            + Send
            + 'a,
    >,
>;

/// Groups whose records are read at once, ahead of the one derived.
const READS_AHEAD: usize = 2;

impl<'a> Derivations<'a> {
    fn new(store: &'a dyn Store, h: &'a Hierarchy, groups: &'a [BTreeSet<UnitId>]) -> Self {
        Derivations {
            store,
            h,
            groups,
            ahead: None,
            reading: Default::default(),
            next_read: 0,
            checked: false,
            stale_digests: Vec::new(),
        }
    }

    /// Reads from the rows, each digest compared with its rows.
    fn checked(mut self) -> Self {
        self.checked = true;
        self
    }

    fn read(&self, i: usize) -> ReadFuture<'a> {
        let store = self.store;
        let list: Vec<UnitId> = self.groups[i].iter().copied().collect();
        let checked = self.checked;
        Box::pin(async move {
            let started = std::time::Instant::now();
            let (r, stale) = if checked {
                store.checked_derivation_registers(Some(&list)).await?
            } else {
                (store.derivation_registers(Some(&list)).await?, Vec::new())
            };
            tracing::debug!(
                batch = i,
                persons = r.persons.len(),
                events = r.events.len(),
                seconds = started.elapsed().as_secs_f64(),
                "registers read"
            );
            Ok((i, r, stale))
        })
    }

    /// Starts reads until [`READS_AHEAD`] are in flight.
    async fn start_reads(&mut self) {
        while self.reading.len() < READS_AHEAD && self.next_read < self.groups.len() {
            let mut f = self.read(self.next_read);
            self.next_read += 1;
            // One poll starts it; its result is taken when awaited.
            std::future::poll_fn(|cx| {
                if let std::task::Poll::Ready(done) = f.as_mut().poll(cx) {
                    // Finished at once (an empty group): keep the result.
                    f = Box::pin(std::future::ready(done));
                }
                std::task::Poll::Ready(())
            })
            .await;
            self.reading.push_back(f);
        }
    }

    /// The records of the next group read, `None` after the last.
    async fn next_read(&mut self) -> Result<Option<(usize, Registers)>, StoreError> {
        self.start_reads().await;
        match self.reading.pop_front() {
            Some(f) => f.await.map(|(i, r, stale)| {
                self.stale_digests.extend(stale);
                Some((i, r))
            }),
            None => Ok(None),
        }
    }

    /// The next group: its index, its values derived over the window
    /// `window` gives from its records, and the writes that turn the
    /// stored values of `compared(index)` into them; `None` after the
    /// last. The comparison runs while the groups after are read.
    async fn next(
        &mut self,
        window: impl Fn(&Registers) -> Window,
        compared: impl Fn(usize) -> BTreeSet<UnitId>,
    ) -> Result<Option<Derived>, StoreError> {
        if self.ahead.is_none() {
            self.ahead = self.next_read().await?;
        }
        let Some((i, r)) = self.ahead.take() else {
            return Ok(None);
        };
        let w = window(&r);
        let h = self.h.clone();
        let store = self.store;
        let units = compared(i);
        let deriving = async move {
            let derived = tokio::task::spawn_blocking(move || {
                let started = std::time::Instant::now();
                let d = derive(&h, standards(), &r, w);
                drop(r);
                tracing::debug!(
                    batch = i,
                    values = d.len(),
                    seconds = started.elapsed().as_secs_f64(),
                    "registers derived"
                );
                d
            })
            .await
            .map_err(|e| StoreError::Invalid(format!("the derivation failed: {e}")))?;
            let writes = diff(store, &units, &derived, w).await?;
            Ok::<_, StoreError>((derived, writes))
        };
        let (derived, ahead) = tokio::join!(deriving, self.next_read());
        let (derived, writes) = derived?;
        self.ahead = ahead?;
        Ok(Some(Derived {
            index: i,
            derived,
            writes,
            window: w,
        }))
    }
}

/// A group of communes derived ([`Derivations::next`]).
struct Derived {
    index: usize,
    derived: Vec<DerivedValue>,
    writes: Vec<ValueWrite>,
    window: Window,
}

/// Re-derives the given communes (and their lineage), or every commune
/// with records, through the month of `today`, writing the differences
/// in one transaction. Every commune is derived in batches of
/// [`BATCH_PERSONS`] persons (see [`batches`]), each batch's records read,
/// derived and compared, then dropped: a province of millions is never
/// held at once. Only the differences are kept until the write.
pub async fn sync(
    store: &dyn Store,
    h: &Hierarchy,
    communes: Option<&[UnitId]>,
    by: &str,
    today: Date,
) -> Result<SyncReport, WriteError> {
    sync_in(store, h, communes, by, today, BATCH_PERSONS).await
}

/// [`sync`] with batches of `batch_persons` persons (tests derive a
/// commune at a time to cross many batch boundaries).
pub async fn sync_in(
    store: &dyn Store,
    h: &Hierarchy,
    communes: Option<&[UnitId]>,
    by: &str,
    today: Date,
    batch_persons: i64,
) -> Result<SyncReport, WriteError> {
    let marks = store.derivation_marks().await?;
    let through = month_of(today);
    let (units, groups, from_year) = match communes {
        Some(cs) => {
            let units = lineage_closure(h, &cs.iter().copied().collect());
            (units.clone(), vec![units], None)
        }
        None => {
            let known = store.register_communes().await?;
            let mut units: BTreeSet<UnitId> = known.iter().map(|c| c.commune).collect();
            units.extend(marks.iter().map(|m| m.commune));
            let units = lineage_closure(h, &units);
            let persons: HashMap<UnitId, i64> =
                known.iter().map(|c| (c.commune, c.persons)).collect();
            let groups = batches(h, &units, &persons, batch_persons);
            // The window of the whole register, as when it was derived at
            // once: its first registration, or an earlier mark.
            let first = first_year(
                known.iter().filter_map(|c| c.first_registered),
                &marks,
                &units,
                through,
            );
            (units, groups, Some(first))
        }
    };
    let mut writes = Vec::new();
    let mut valued = BTreeSet::new();
    let mut derived_count = 0;
    let mut w = Window {
        from_year: from_year.unwrap_or(through.start().year()),
        through,
    };
    let mut derivations = Derivations::new(store, h, &groups);
    let window = |r: &Registers| Window {
        from_year: from_year.unwrap_or_else(|| {
            first_year(
                r.persons.iter().map(|p| p.registered_on),
                &marks,
                &units,
                through,
            )
        }),
        through,
    };
    while let Some(batch) = derivations.next(window, |i| groups[i].clone()).await? {
        w = batch.window;
        let group = &groups[batch.index];
        for d in batch.derived.iter().filter(|d| group.contains(&d.unit)) {
            derived_count += 1;
            valued.insert(d.unit);
        }
        writes.extend(batch.writes);
    }
    let changed = raw::writes(store)
        .write_derived_values(h, &writes, by)
        .await?;
    let communes = valued.len();
    mark(store, valued, w).await?;
    Ok(SyncReport {
        communes,
        derived: derived_count,
        changed,
        batches: groups.len(),
    })
}

/// How the stored derived values compare with a fresh derivation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Communes with derived values.
    pub communes: usize,
    /// Values derived afresh.
    pub derived: usize,
    /// Values whose stored number differs, is missing or is extra.
    pub different: usize,
    /// The first few differences, in words.
    pub examples: Vec<String>,
    /// Persons whose register digest (SQLite's packed copy of their
    /// records, which a derivation reads instead of the rows) differs
    /// from their rows.
    pub stale_digests: usize,
}

impl VerifyReport {
    /// Stored and fresh values are equal, and so are the digests and
    /// their rows.
    pub fn equal(&self) -> bool {
        self.different == 0 && self.stale_digests == 0
    }
}

/// Re-derives every marked commune with its own window and compares, in
/// batches as [`sync`] derives.
pub async fn verify(store: &dyn Store, h: &Hierarchy) -> Result<VerifyReport, StoreError> {
    let marks = store.derivation_marks().await?;
    let mut report = VerifyReport {
        communes: marks.len(),
        ..VerifyReport::default()
    };
    if marks.is_empty() {
        return Ok(report);
    }
    let persons: HashMap<UnitId, i64> = store
        .register_communes()
        .await?
        .into_iter()
        .map(|c| (c.commune, c.persons))
        .collect();
    let mut windows: BTreeMap<(i32, Period), BTreeSet<UnitId>> = BTreeMap::new();
    for m in &marks {
        windows
            .entry((m.from_year, m.through))
            .or_default()
            .insert(m.commune);
    }
    for ((from_year, through), units) in windows {
        let w = Window { from_year, through };
        let closed = lineage_closure(h, &units);
        let groups = batches(h, &closed, &persons, BATCH_PERSONS);
        let mut derivations = Derivations::new(store, h, &groups).checked();
        let marked =
            |i: usize| -> BTreeSet<UnitId> { groups[i].intersection(&units).copied().collect() };
        while let Some(batch) = derivations.next(|_| w, marked).await? {
            let marked = marked(batch.index);
            report.derived += batch
                .derived
                .iter()
                .filter(|d| marked.contains(&d.unit))
                .count();
            let writes = batch.writes;
            report.different += writes.len();
            for x in writes
                .iter()
                .take(5usize.saturating_sub(report.examples.len()))
            {
                report.examples.push(format!(
                    "{} {} {} {}: should be {}",
                    x.element,
                    x.unit,
                    x.period,
                    x.disagg,
                    x.value
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "absent".into())
                ));
            }
        }
        let mut stale = derivations.stale_digests;
        stale.sort_unstable();
        stale.dedup();
        for p in stale
            .iter()
            .take(5usize.saturating_sub(report.examples.len()))
        {
            report.examples.push(format!(
                "person {p}: the register digest differs from the rows"
            ));
        }
        report.stale_digests += stale.len();
    }
    Ok(report)
}

/// Whether a value of `element` for `unit` and `period` is derived from the
/// registers (the commune has a derivation mark whose window holds the
/// period): such values are not entered by hand.
pub fn is_derived(marks: &[DerivationMark], element: &str, unit: UnitId, period: Period) -> bool {
    marks.iter().any(|m| m.derives(element, unit, period))
}

/// The writes among `writes` that would overwrite values derived from the
/// registers, in words (English, Vietnamese), for imports to refuse.
pub async fn hand_written_derived(
    store: &dyn Store,
    writes: &[ValueWrite],
) -> Result<Vec<(String, String)>, StoreError> {
    let marks = store.derivation_marks().await?;
    if marks.is_empty() {
        return Ok(vec![]);
    }
    Ok(writes
        .iter()
        .filter(|w| is_derived(&marks, &w.element, w.unit, w.period))
        .map(derived_message)
        .collect())
}

/// Why a hand write of a derived value is refused, in English and
/// Vietnamese.
pub fn derived_message(w: &ValueWrite) -> (String, String) {
    (
        ytcs_store::values::derived_refusal(w),
        format!(
            "{} của đơn vị {} kỳ {} được tính từ sổ sách của trạm; hãy sửa hồ sơ thay vì nhập số",
            w.element, w.unit, w.period
        ),
    )
}
