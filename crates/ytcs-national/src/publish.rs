//! A province's side: its aggregate values and its registers written as
//! the warehouse's files into `incoming/`, pseudonymised on the way
//! ([`crate::pseudonym`]), then accepted ([`crate::accept`]) — the same
//! check the warehouse makes of any publication.
//!
//! Nothing is held whole: values are read a year at a time, registers a
//! group of communes at a time, and rows go into row groups as they come.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use ytcs_core::org::UnitId;
use ytcs_core::register::Person;
use ytcs_refdata::AdminUnits;
use ytcs_store::values::ValueFilter;
use ytcs_store::Store;

use crate::accept::{accept, write_manifest, Accepted, INCOMING_MANIFEST};
use crate::files::{Cell, PartWriter};
use crate::layout::{self, FileEntry, Kind, Manifest, SCHEMA_VERSION};
use crate::owned::{owned_codes, refuse_foreign};
use crate::pseudonym::{birth_month, NationalKey};
use crate::NationalError;

/// What to publish.
pub struct Publication<'a> {
    /// The warehouse's root.
    pub root: &'a Path,
    /// The province's code (of today).
    pub province: &'a str,
    /// The national key.
    pub key: &'a NationalKey,
    /// Now (the publication's time).
    pub now: DateTime<Utc>,
}

/// Persons read at a time (communes grouped up to it).
const PERSONS_PER_READ: i64 = 200_000;

/// The files of a publication being written, a writer per kind and year.
struct Parts<'a> {
    staging: &'a Path,
    province: &'a str,
    publication: &'a str,
    open: BTreeMap<(Kind, Option<i32>), PartWriter>,
}

impl Parts<'_> {
    fn push(
        &mut self,
        kind: Kind,
        year: Option<i32>,
        row: &[Cell<'_>],
    ) -> Result<(), NationalError> {
        if !self.open.contains_key(&(kind, year)) {
            let relative = format!(
                "{}/part-{}.parquet",
                kind.folder(self.province, year),
                self.publication
            );
            let w = PartWriter::create(self.staging, relative, kind, year)?;
            self.open.insert((kind, year), w);
        }
        self.open
            .get_mut(&(kind, year))
            .expect("just opened")
            .push(row)
    }

    fn finish(self) -> Result<Vec<FileEntry>, NationalError> {
        self.open.into_values().map(PartWriter::finish).collect()
    }
}

/// Publishes the province's data from `store` into the warehouse: every
/// file written and checked, then accepted whole (or refused whole, the
/// previous publication left in place).
pub async fn publish(
    store: &dyn Store,
    admin: &AdminUnits,
    p: &Publication<'_>,
) -> Result<Accepted, NationalError> {
    let (province_name, owned) = owned_codes(admin, p.province)?;
    let publication = p.now.format("%Y%m%dT%H%M%S%.6fZ").to_string();
    let staging_rel = layout::incoming_folder(p.province, &publication);
    let staging = p.root.join(&staging_rel);
    let written = write_all(store, p, &publication, &staging, &owned).await;
    let files = match written {
        Ok(files) => files,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let manifest = Manifest {
        province: p.province.to_string(),
        province_name,
        publication: publication.clone(),
        published_at: p.now.to_rfc3339(),
        ytcs_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION,
        files,
    };
    write_manifest(&staging.join(INCOMING_MANIFEST), &manifest)?;
    accept(p.root, admin, p.province, &publication)
}

async fn write_all(
    store: &dyn Store,
    p: &Publication<'_>,
    publication: &str,
    staging: &Path,
    owned: &BTreeSet<String>,
) -> Result<Vec<FileEntry>, NationalError> {
    let h = store.hierarchy().await?;
    let code = |id: UnitId| -> String {
        h.unit(id)
            .map(|u| u.code.as_str().to_string())
            .unwrap_or_else(|| format!("#{}", id.0))
    };
    let mut parts = Parts {
        staging,
        province: p.province,
        publication,
        open: BTreeMap::new(),
    };
    // Values, a year at a time; units checked before a row is written.
    let mut foreign: BTreeMap<String, u64> = BTreeMap::new();
    for year in 1990..=p
        .now
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(2100)
        + 1
    {
        let from = ytcs_core::Date::from_ymd_opt(year, 1, 1).expect("a day");
        let to = ytcs_core::Date::from_ymd_opt(year, 12, 31).expect("a day");
        let values = store
            .raw_values(&ValueFilter {
                starting_within: Some((from, to)),
                ..Default::default()
            })
            .await?;
        for v in &values {
            let org = code(v.unit);
            if !owned.contains(&org) {
                *foreign.entry(org).or_insert(0) += 1;
                continue;
            }
            let period = v.period.to_string();
            parts.push(
                Kind::Values,
                Some(year),
                &[
                    Cell::Text(&v.element),
                    Cell::Owned(org),
                    Cell::Owned(period),
                    Cell::Date(Some(v.period.start())),
                    Cell::Date(Some(v.period.end())),
                    Cell::Text(&v.disagg),
                    Cell::Int(v.value.0),
                ],
            )?;
        }
    }
    refuse_foreign("aggregate values", &foreign, owned, p.province)?;
    // Registers, a group of communes at a time.
    let communes = store.register_communes().await?;
    let mut group: Vec<UnitId> = Vec::new();
    let mut persons_in_group = 0i64;
    let mut groups = Vec::new();
    for c in communes {
        group.push(c.commune);
        persons_in_group += c.persons;
        if persons_in_group >= PERSONS_PER_READ {
            groups.push(std::mem::take(&mut group));
            persons_in_group = 0;
        }
    }
    if !group.is_empty() {
        groups.push(group);
    }
    for g in groups {
        let wanted: BTreeSet<UnitId> = g.iter().copied().collect();
        let r = store.registers(Some(&g)).await?;
        let persons: Vec<&Person> = r
            .persons
            .iter()
            .filter(|p| wanted.contains(&p.commune))
            .collect();
        let ids: BTreeSet<i64> = persons.iter().map(|p| p.id).collect();
        for person in &persons {
            let commune = code(person.commune);
            if !owned.contains(&commune) {
                *foreign.entry(commune.clone()).or_insert(0) += 1;
            }
            parts.push(
                Kind::Persons,
                None,
                &[
                    Cell::Int(person.id),
                    match &person.national_id {
                        Some(id) => Cell::Owned(p.key.pseudonym(id)),
                        None => Cell::NoText,
                    },
                    Cell::Text(person.sex.as_str()),
                    Cell::Date(Some(birth_month(person.birth_date))),
                    Cell::Text(&person.ethnicity),
                    Cell::Owned(commune),
                    Cell::Date(Some(person.registered_on)),
                    Cell::Date(person.ehr_opened_on),
                    Cell::Date(person.death.as_ref().map(|d| d.date)),
                ],
            )?;
        }
        for m in r.moves.iter().filter(|m| ids.contains(&m.person)) {
            let from = m.from.map(code);
            let to = m.to.map(code);
            parts.push(
                Kind::Moves,
                None,
                &[
                    Cell::Int(m.person),
                    Cell::Date(Some(m.date)),
                    from.map_or(Cell::NoText, Cell::Owned),
                    to.map_or(Cell::NoText, Cell::Owned),
                ],
            )?;
        }
        for c in r.cards.iter().filter(|c| ids.contains(&c.person)) {
            parts.push(
                Kind::Cards,
                None,
                &[
                    Cell::Int(c.person),
                    Cell::Date(Some(c.valid_from)),
                    Cell::Date(Some(c.valid_to)),
                ],
            )?;
        }
        for e in r.events.iter().filter(|e| ids.contains(&e.person)) {
            use chrono::Datelike;
            let unit = code(e.unit);
            if !owned.contains(&unit) {
                *foreign.entry(unit.clone()).or_insert(0) += 1;
            }
            let c = ytcs_store::event_cols(&e.kind);
            let flags = e.flags.join(",");
            parts.push(
                Kind::Events,
                Some(e.date.year()),
                &[
                    Cell::Int(e.id),
                    Cell::Int(e.person),
                    Cell::Date(Some(e.date)),
                    Cell::Owned(unit),
                    Cell::Text(e.kind.name()),
                    c.code.map_or(Cell::NoText, Cell::Text),
                    Cell::Int32(c.dose),
                    Cell::Float(c.v1),
                    Cell::Float(c.v2),
                    Cell::Float(c.v3),
                    Cell::Bool(c.flag),
                    c.ref_id.map_or(Cell::NoInt, Cell::Int),
                    Cell::Date(c.ref_date),
                    Cell::Date(c.end_date),
                    c.outcome.map_or(Cell::NoText, Cell::Text),
                    Cell::Owned(flags),
                ],
            )?;
        }
        refuse_foreign("registers", &foreign, owned, p.province)?;
    }
    parts.finish()
}
