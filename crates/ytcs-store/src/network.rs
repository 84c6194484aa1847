//! Storage of the health network: facilities and their attachments, staff,
//! posts, training, population, villages (org units of kind `village`) and
//! reforms entered by hand. Every write is validated against what is
//! already stored and happens in one transaction: all or nothing.

use async_trait::async_trait;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{NetworkData, PopulationCount};
use ytcs_core::org::{LineageKind, OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::validity::Validity;
use ytcs_core::Date;

use crate::StoreError;

/// A unit to add (a village, or a unit created by a reform), with its
/// dated parents.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUnit {
    /// Official code.
    pub code: OrgCode,
    /// Official name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// When it exists.
    pub validity: Validity,
    /// Its parents over time (non-overlapping).
    pub parents: Vec<(UnitId, Validity)>,
}

/// One lineage edge of a reform entered by hand, by codes: the
/// predecessor as it stood the day before the reform, the successor as it
/// stands on the reform's day.
#[derive(Debug, Clone, PartialEq)]
pub struct ReformEdge {
    /// Unit that ceased or gave territory.
    pub predecessor: OrgCode,
    /// Unit that received it.
    pub successor: OrgCode,
    /// Merge, split, rename …
    pub kind: LineageKind,
    /// Share of the predecessor's population moving.
    pub weight: f64,
}

/// A merge or split entered by hand (a future reform): units that end the
/// day before `date`, units that begin on it, and the lineage between.
#[derive(Debug, Clone, PartialEq)]
pub struct Reform {
    /// First day under the new arrangement.
    pub date: Date,
    /// Codes of the units that cease (their last day is the day before).
    pub ended: Vec<OrgCode>,
    /// The new units (validity from `date`).
    pub new_units: Vec<NewUnit>,
    /// Lineage edges; the weights leaving each predecessor sum to 1.
    pub lineage: Vec<ReformEdge>,
}

/// A refused or failed write.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The batch breaks rules of the registry; each line names a record.
    /// Nothing was written.
    #[error("nothing was written: {}", .0.join("; "))]
    Rejected(Vec<String>),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for WriteError {
    fn from(e: sqlx::Error) -> Self {
        WriteError::Store(StoreError::Query(e))
    }
}

/// `meta` key of the network generation: a counter bumped in the same
/// transaction as every write of units or of the network registry, so
/// readers can cache what they derived from them and know when to reload.
pub const META_NETWORK_GENERATION: &str = "network_generation";

/// The SQL bumping the generation counter (same text on both engines).
pub(crate) const BUMP_GENERATION: &str = "INSERT INTO meta (key, value) VALUES ($1, '1') \
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)";

/// Storage of the health network.
#[async_trait]
pub trait NetworkStore: Send + Sync {
    /// The network generation: 0 before any write through this trait,
    /// then increased by every successful `add_network`, `add_units` and
    /// `add_reform`. Equal generations mean equal hierarchy and registry.
    async fn generation(&self) -> Result<i64, StoreError>;
    /// Every unit, parent link and lineage edge as one validated, dated
    /// [`Hierarchy`] (the input of every roll-up).
    async fn hierarchy(&self) -> Result<Hierarchy, StoreError>;
    /// The whole network registry.
    async fn network(&self) -> Result<NetworkData, StoreError>;
    /// Adds a batch (facilities, attachments, staff, posts, training,
    /// population) after validating it together with what is stored; on any
    /// error nothing is written and every bad record is named.
    async fn add_network(&self, batch: &NetworkData) -> Result<(), WriteError>;
    /// Replaces the population of every (unit, year) the cells name with
    /// the cells, in one transaction (a census or a register that now
    /// covers the commune); other units and years are untouched. Refuses
    /// negative counts and unknown units, naming them.
    async fn replace_population(&self, cells: &[PopulationCount]) -> Result<(), WriteError>;
    /// Adds units (villages under communes, say) with their parent links,
    /// refusing a code carried twice at once, two parents at once or a
    /// cycle. Returns the stored units, ids assigned.
    async fn add_units(&self, units: &[NewUnit]) -> Result<Vec<OrgUnit>, WriteError>;
    /// Records a merge or split entered by hand: ends units, adds the new
    /// ones and the lineage, refusing weights that do not sum to 1.
    async fn add_reform(&self, reform: &Reform) -> Result<Vec<OrgUnit>, WriteError>;
}

/// What the whole hierarchy would look like after a change, validated.
pub(crate) fn check_hierarchy(
    units: Vec<OrgUnit>,
    links: Vec<ytcs_core::org::ParentLink>,
    lineage: Vec<ytcs_core::org::LineageLink>,
) -> Result<Hierarchy, WriteError> {
    Hierarchy::new(units, links, lineage).map_err(|e| {
        WriteError::Rejected(vec![format!("the hierarchy would be inconsistent: {e}")])
    })
}

/// Resolves a reform against a hierarchy: the new units with ids from
/// `next_id`, the lineage, and the ids of units that end.
#[allow(clippy::type_complexity)]
pub(crate) fn plan_reform(
    h: &Hierarchy,
    reform: &Reform,
    next_id: i64,
) -> Result<
    (
        Vec<OrgUnit>,
        Vec<ytcs_core::org::ParentLink>,
        Vec<ytcs_core::org::LineageLink>,
        Vec<UnitId>,
    ),
    WriteError,
> {
    let mut errs = Vec::new();
    let Some(eve) = reform.date.pred_opt() else {
        return Err(WriteError::Rejected(
            vec!["reform date out of range".into()],
        ));
    };
    let mut ended = Vec::new();
    for c in &reform.ended {
        match h.unit_at(c, eve) {
            Some(u) => ended.push(u.id),
            None => errs.push(format!("unit {c} to end does not exist on {eve}")),
        }
    }
    let mut units = Vec::new();
    let mut links = Vec::new();
    for (i, n) in reform.new_units.iter().enumerate() {
        let id = UnitId(next_id + i as i64);
        if n.validity.from != Some(reform.date) {
            errs.push(format!(
                "new unit {} must begin on the reform's day {}",
                n.code, reform.date
            ));
        }
        units.push(OrgUnit {
            id,
            code: n.code.clone(),
            name: n.name.clone(),
            kind: n.kind,
            validity: n.validity,
        });
        for (p, v) in &n.parents {
            links.push(ytcs_core::org::ParentLink {
                child: id,
                parent: *p,
                validity: *v,
            });
        }
    }
    let mut lineage = Vec::new();
    for e in &reform.lineage {
        let pred = h.unit_at(&e.predecessor, eve).map(|u| u.id);
        let succ = units
            .iter()
            .find(|u| u.code == e.successor)
            .map(|u| u.id)
            .or_else(|| h.unit_at(&e.successor, reform.date).map(|u| u.id));
        match (pred, succ) {
            (Some(p), Some(s)) => lineage.push(ytcs_core::org::LineageLink {
                predecessor: p,
                successor: s,
                date: reform.date,
                kind: e.kind,
                weight: e.weight,
                note: Some("entered by hand".into()),
            }),
            (None, _) => errs.push(format!(
                "lineage {} → {}: no unit {} on {eve}",
                e.predecessor, e.successor, e.predecessor
            )),
            (_, None) => errs.push(format!(
                "lineage {} → {}: no unit {} on {}",
                e.predecessor, e.successor, e.successor, reform.date
            )),
        }
    }
    if errs.is_empty() {
        Ok((units, links, lineage, ended))
    } else {
        Err(WriteError::Rejected(errs))
    }
}

pub(crate) type FacilityRow = (
    String,
    String,
    String,
    i64,
    String,
    Option<f64>,
    Option<Date>,
    Option<Date>,
);
pub(crate) type AttachmentRow = (String, i64, Option<Date>, Option<Date>);
pub(crate) type StaffRow = (String, String, String, Option<String>);
pub(crate) type PostRow = (
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<Date>,
    Option<Date>,
);
pub(crate) type PopulationRow = (i64, i32, String, String, i64);

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

fn validity(from: Option<Date>, to: Option<Date>) -> Result<Validity, StoreError> {
    Validity::new(from, to).map_err(invalid)
}

pub(crate) fn network_from_rows(
    facilities: Vec<FacilityRow>,
    attachments: Vec<AttachmentRow>,
    staff: Vec<StaffRow>,
    posts: Vec<PostRow>,
    trainings: Vec<(String, String, Date)>,
    population: Vec<PopulationRow>,
) -> Result<NetworkData, StoreError> {
    use ytcs_core::network::*;
    let mut d = NetworkData::default();
    for (code, name, kind, beds, status, share, from, to) in facilities {
        d.facilities.push(Facility {
            code: OrgCode::parse(&code).map_err(invalid)?,
            name,
            kind: kind.parse().map_err(invalid)?,
            beds,
            status: status.parse().map_err(invalid)?,
            services_share: share,
            validity: validity(from, to)?,
        });
    }
    for (code, unit, from, to) in attachments {
        d.attachments.push(Attachment {
            facility: OrgCode::parse(&code).map_err(invalid)?,
            unit: UnitId(unit),
            validity: validity(from, to)?,
        });
    }
    for (code, name, cadre, qualification) in staff {
        d.staff.push(StaffMember {
            code,
            name,
            cadre: cadre.parse().map_err(invalid)?,
            qualification,
        });
    }
    for (person, facility, village, kind, from, to) in posts {
        let workplace = match (facility, village) {
            (Some(f), None) => Workplace::Facility(OrgCode::parse(&f).map_err(invalid)?),
            (None, Some(v)) => Workplace::Village(UnitId(v)),
            _ => return Err(invalid(format!("post of {person} has no single workplace"))),
        };
        d.posts.push(Post {
            person,
            workplace,
            kind: kind.parse().map_err(invalid)?,
            validity: validity(from, to)?,
        });
    }
    for (person, course, completed) in trainings {
        d.trainings.push(Training {
            person,
            course,
            completed,
        });
    }
    for (unit, year, sex, age, count) in population {
        d.population.push(PopulationCount {
            unit: UnitId(unit),
            year,
            sex: sex.parse().map_err(invalid)?,
            age: age.parse().map_err(invalid)?,
            count,
        });
    }
    Ok(d)
}

/// Implements [`NetworkStore`] for a store type with a `pool` field; the
/// SQL is the same for both engines.
macro_rules! impl_network_store {
    ($ty:ty, $db:ty) => {
        impl $ty {
            async fn load_network(&self) -> Result<NetworkData, StoreError> {
                let facilities = sqlx::query_as::<_, FacilityRow>(
                    "SELECT code, name, kind, beds, status, services_share, valid_from, valid_to \
                     FROM facility ORDER BY code, valid_from",
                )
                .fetch_all(&self.pool)
                .await?;
                let attachments = sqlx::query_as::<_, AttachmentRow>(
                    "SELECT facility_code, unit_id, valid_from, valid_to FROM facility_attachment \
                     ORDER BY facility_code, valid_from",
                )
                .fetch_all(&self.pool)
                .await?;
                let staff = sqlx::query_as::<_, StaffRow>(
                    "SELECT code, name, cadre, qualification FROM staff ORDER BY code",
                )
                .fetch_all(&self.pool)
                .await?;
                let posts = sqlx::query_as::<_, PostRow>(
                    "SELECT person_code, facility_code, village_id, kind, valid_from, valid_to \
                     FROM staff_post ORDER BY person_code, valid_from",
                )
                .fetch_all(&self.pool)
                .await?;
                let trainings = sqlx::query_as::<_, (String, String, Date)>(
                    "SELECT person_code, course, completed FROM staff_training ORDER BY person_code, completed",
                )
                .fetch_all(&self.pool)
                .await?;
                let population = sqlx::query_as::<_, PopulationRow>(
                    "SELECT unit_id, year, sex, age_group, count FROM population \
                     ORDER BY unit_id, year, sex, age_group",
                )
                .fetch_all(&self.pool)
                .await?;
                network_from_rows(facilities, attachments, staff, posts, trainings, population)
            }

            async fn load_hierarchy_parts(
                &self,
            ) -> Result<
                (
                    Vec<OrgUnit>,
                    Vec<ytcs_core::org::ParentLink>,
                    Vec<ytcs_core::org::LineageLink>,
                ),
                StoreError,
            > {
                let sql = format!("SELECT {} FROM org_unit u ORDER BY u.id", crate::common::UNIT_COLUMNS);
                let units = sqlx::query_as::<_, crate::common::UnitRow>(&sql)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(crate::common::unit_from_row)
                    .collect::<Result<Vec<_>, _>>()?;
                let links = sqlx::query_as::<_, (i64, i64, Option<Date>, Option<Date>)>(
                    "SELECT child_id, parent_id, valid_from, valid_to FROM org_parent ORDER BY child_id, valid_from",
                )
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(|(c, p, f, t)| {
                    Ok(ytcs_core::org::ParentLink {
                        child: UnitId(c),
                        parent: UnitId(p),
                        validity: validity(f, t)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
                let lineage = sqlx::query_as::<_, crate::common::LineageRow>(
                    "SELECT predecessor_id, successor_id, date, kind, weight, note FROM org_lineage",
                )
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .map(crate::common::lineage_from_row)
                .collect::<Result<Vec<_>, _>>()?;
                Ok((units, links, lineage))
            }

            async fn insert_units(
                tx: &mut <$db as sqlx::Database>::Connection,
                units: &[OrgUnit],
                links: &[ytcs_core::org::ParentLink],
                lineage: &[ytcs_core::org::LineageLink],
            ) -> Result<(), StoreError> {
                use crate::common::INSERT_CHUNK;
                for chunk in units.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO org_unit (id, code, name, name_folded, kind, valid_from, valid_to) ",
                    );
                    qb.push_values(chunk, |mut b, u| {
                        b.push_bind(u.id.0)
                            .push_bind(u.code.as_str().to_string())
                            .push_bind(u.name.clone())
                            .push_bind(ytcs_core::text::fold(&u.name))
                            .push_bind(u.kind.as_str())
                            .push_bind(u.validity.from)
                            .push_bind(u.validity.to);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in links.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO org_parent (child_id, parent_id, valid_from, valid_to) ",
                    );
                    qb.push_values(chunk, |mut b, l| {
                        b.push_bind(l.child.0)
                            .push_bind(l.parent.0)
                            .push_bind(l.validity.from)
                            .push_bind(l.validity.to);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in lineage.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO org_lineage (predecessor_id, successor_id, date, kind, weight, note) ",
                    );
                    qb.push_values(chunk, |mut b, l| {
                        b.push_bind(l.predecessor.0)
                            .push_bind(l.successor.0)
                            .push_bind(l.date)
                            .push_bind(l.kind.as_str())
                            .push_bind(l.weight)
                            .push_bind(l.note.clone());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                Ok(())
            }

            /// Inserts population cells, in chunks, inside `tx`.
            async fn insert_population(
                tx: &mut <$db as sqlx::Database>::Connection,
                cells: &[PopulationCount],
            ) -> Result<(), StoreError> {
                use crate::common::INSERT_CHUNK;
                for chunk in cells.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO population (unit_id, year, sex, age_group, count) ",
                    );
                    qb.push_values(chunk, |mut b, p| {
                        b.push_bind(p.unit.0)
                            .push_bind(p.year)
                            .push_bind(p.sex.as_str())
                            .push_bind(p.age.to_string())
                            .push_bind(p.count);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                Ok(())
            }

            pub(crate) async fn bump_generation(tx: &mut <$db as sqlx::Database>::Connection) -> Result<(), StoreError> {
                sqlx::query(BUMP_GENERATION)
                    .bind(META_NETWORK_GENERATION)
                    .execute(&mut *tx)
                    .await?;
                Ok(())
            }

            async fn next_unit_id(&self) -> Result<i64, StoreError> {
                let max: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM org_unit")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(max.unwrap_or(0) + 1)
            }
        }

        #[async_trait]
        impl NetworkStore for $ty {
            async fn generation(&self) -> Result<i64, StoreError> {
                let v: Option<String> =
                    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                        .bind(META_NETWORK_GENERATION)
                        .fetch_optional(&self.pool)
                        .await?;
                match v {
                    None => Ok(0),
                    Some(v) => v.trim().parse().map_err(|_| {
                        invalid(format!("meta {META_NETWORK_GENERATION} is not a number: {v}"))
                    }),
                }
            }

            async fn hierarchy(&self) -> Result<Hierarchy, StoreError> {
                let generation = self.generation().await?;
                if let Some(h) = self.cache.hierarchy(generation) {
                    return Ok(h);
                }
                let (units, links, lineage) = self.load_hierarchy_parts().await?;
                let h = Hierarchy::new(units, links, lineage).map_err(invalid)?;
                self.cache.keep_hierarchy(generation, &h);
                Ok(h)
            }

            async fn network(&self) -> Result<NetworkData, StoreError> {
                let generation = self.generation().await?;
                if let Some(n) = self.cache.network(generation) {
                    return Ok(n);
                }
                let n = self.load_network().await?;
                self.cache.keep_network(generation, &n);
                Ok(n)
            }

            async fn replace_population(&self, cells: &[PopulationCount]) -> Result<(), WriteError> {
                let ids: std::collections::HashSet<i64> =
                    sqlx::query_scalar::<_, i64>("SELECT id FROM org_unit")
                        .fetch_all(&self.pool)
                        .await?
                        .into_iter()
                        .collect();
                let bad: Vec<String> = cells
                    .iter()
                    .filter(|c| c.count < 0 || !ids.contains(&c.unit.0))
                    .take(20)
                    .map(|c| format!("population of unit {} in {}: {}", c.unit.0, c.year,
                        if c.count < 0 { "negative count" } else { "unknown unit" }))
                    .collect();
                if !bad.is_empty() {
                    return Err(WriteError::Rejected(bad));
                }
                let unit_years: std::collections::BTreeSet<(i64, i32)> =
                    cells.iter().map(|c| (c.unit.0, c.year)).collect();
                let mut tx = self.begin_write().await?;
                for (unit, year) in &unit_years {
                    sqlx::query("DELETE FROM population WHERE unit_id = $1 AND year = $2")
                        .bind(unit)
                        .bind(year)
                        .execute(&mut *tx)
                        .await?;
                }
                Self::insert_population(&mut tx, cells).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_network(&self, batch: &NetworkData) -> Result<(), WriteError> {
                use crate::common::INSERT_CHUNK;
                use ytcs_core::network::Workplace;
                let mut all = self.network().await?;
                all.extend(batch.clone());
                let ids: std::collections::HashSet<i64> =
                    sqlx::query_scalar::<_, i64>("SELECT id FROM org_unit")
                        .fetch_all(&self.pool)
                        .await?
                        .into_iter()
                        .collect();
                let errs = all.validate(&|u| ids.contains(&u.0));
                if !errs.is_empty() {
                    return Err(WriteError::Rejected(errs.iter().map(|e| e.to_string()).collect()));
                }
                let mut tx = self.begin_write().await?;
                for chunk in batch.facilities.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO facility (code, name, kind, beds, status, services_share, valid_from, valid_to) ",
                    );
                    qb.push_values(chunk, |mut b, f| {
                        b.push_bind(f.code.to_string())
                            .push_bind(f.name.clone())
                            .push_bind(f.kind.as_str())
                            .push_bind(f.beds)
                            .push_bind(f.status.as_str())
                            .push_bind(f.services_share)
                            .push_bind(f.validity.from)
                            .push_bind(f.validity.to);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in batch.attachments.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO facility_attachment (facility_code, unit_id, valid_from, valid_to) ",
                    );
                    qb.push_values(chunk, |mut b, a| {
                        b.push_bind(a.facility.to_string())
                            .push_bind(a.unit.0)
                            .push_bind(a.validity.from)
                            .push_bind(a.validity.to);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in batch.staff.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO staff (code, name, cadre, qualification) ",
                    );
                    qb.push_values(chunk, |mut b, s| {
                        b.push_bind(s.code.clone())
                            .push_bind(s.name.clone())
                            .push_bind(s.cadre.as_str())
                            .push_bind(s.qualification.clone());
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in batch.posts.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO staff_post (person_code, facility_code, village_id, kind, valid_from, valid_to) ",
                    );
                    qb.push_values(chunk, |mut b, p| {
                        let (f, v) = match &p.workplace {
                            Workplace::Facility(c) => (Some(c.to_string()), None),
                            Workplace::Village(u) => (None, Some(u.0)),
                        };
                        b.push_bind(p.person.clone())
                            .push_bind(f)
                            .push_bind(v)
                            .push_bind(p.kind.as_str())
                            .push_bind(p.validity.from)
                            .push_bind(p.validity.to);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                for chunk in batch.trainings.chunks(INSERT_CHUNK) {
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO staff_training (person_code, course, completed) ",
                    );
                    qb.push_values(chunk, |mut b, t| {
                        b.push_bind(t.person.clone())
                            .push_bind(t.course.clone())
                            .push_bind(t.completed);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                Self::insert_population(&mut tx, &batch.population).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_units(&self, new: &[NewUnit]) -> Result<Vec<OrgUnit>, WriteError> {
                let (mut units, mut links, lineage) = self.load_hierarchy_parts().await?;
                let first = self.next_unit_id().await?;
                let mut added = Vec::new();
                let mut added_links = Vec::new();
                for (i, n) in new.iter().enumerate() {
                    let u = OrgUnit {
                        id: UnitId(first + i as i64),
                        code: n.code.clone(),
                        name: n.name.clone(),
                        kind: n.kind,
                        validity: n.validity,
                    };
                    for (p, v) in &n.parents {
                        added_links.push(ytcs_core::org::ParentLink { child: u.id, parent: *p, validity: *v });
                    }
                    added.push(u);
                }
                units.extend(added.iter().cloned());
                links.extend(added_links.iter().copied());
                check_hierarchy(units, links, lineage)?;
                let mut tx = self.begin_write().await?;
                Self::insert_units(&mut tx, &added, &added_links, &[]).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(added)
            }

            async fn add_reform(&self, reform: &Reform) -> Result<Vec<OrgUnit>, WriteError> {
                let (mut units, mut links, mut lineage) = self.load_hierarchy_parts().await?;
                let h = Hierarchy::new(units.clone(), links.clone(), lineage.clone()).map_err(invalid)?;
                let first = self.next_unit_id().await?;
                let (new_units, new_links, new_lineage, ended) = plan_reform(&h, reform, first)?;
                let eve = reform.date.pred_opt().unwrap_or(reform.date);
                for u in units.iter_mut().filter(|u| ended.contains(&u.id)) {
                    u.validity.to = Some(eve);
                }
                for l in links.iter_mut().filter(|l| ended.contains(&l.child) && l.validity.contains(reform.date)) {
                    l.validity.to = Some(eve);
                }
                units.extend(new_units.iter().cloned());
                links.extend(new_links.iter().copied());
                lineage.extend(new_lineage.iter().cloned());
                check_hierarchy(units, links, lineage)?;
                let mut tx = self.begin_write().await?;
                for id in &ended {
                    sqlx::query("UPDATE org_unit SET valid_to = $1 WHERE id = $2")
                        .bind(eve)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(
                        "UPDATE org_parent SET valid_to = $1 WHERE child_id = $2 \
                         AND (valid_to IS NULL OR valid_to >= $3) AND (valid_from IS NULL OR valid_from <= $1)",
                    )
                    .bind(eve)
                    .bind(id.0)
                    .bind(reform.date)
                    .execute(&mut *tx)
                    .await?;
                }
                Self::insert_units(&mut tx, &new_units, &new_links, &new_lineage).await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(new_units)
            }
        }
    };
}

impl_network_store!(crate::SqliteStore, sqlx::Sqlite);
impl_network_store!(crate::PgStore, sqlx::Postgres);
