//! The SQL shared by both engines, generated for each pool type.
//!
//! *One write turn on SQLite.* Every store method that writes more than
//! one statement begins with `self.begin_write()` ([`WriteTx`]), never
//! `pool.begin()`: a fair in-process queue taken before a pooled
//! connection, then `BEGIN IMMEDIATE`, so writers wait instead of failing
//! with "database is locked" (`SQLITE_BUSY_SNAPSHOT` is never waited for
//! by a busy timeout) and waiting writers hold no connection readers
//! need. The busy timeout (60 s) is for other processes. PostgreSQL
//! transactions are plain. The turn is not re-entrant: a method holding
//! a `WriteTx` never calls another store method that writes.

use ytcs_core::org::{LineageKind, LineageLink, OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::validity::Validity;
use ytcs_core::Date;

use crate::StoreError;

/// A write transaction: what every store method that writes more than one
/// statement begins with (`self.begin_write()`), never `pool.begin()`.
///
/// On SQLite it waits for the store's one write turn (a fair queue in the
/// process, taken *before* a pooled connection, so writers waiting their
/// turn hold no connection and readers — WAL mode — are never starved),
/// then starts with `BEGIN IMMEDIATE`: the write lock is taken at the
/// start, so a transaction that read first can never fail later with
/// "database is locked" (`SQLITE_BUSY_SNAPSHOT`, which no busy timeout
/// waits for). Another process (the CLI beside a running server) waits up
/// to the busy timeout. On PostgreSQL it is a plain transaction: the
/// server queues row locks itself.
///
/// It dereferences to the connection (`&mut *tx` as with sqlx's own
/// transaction); dropping it without [`WriteTx::commit`] rolls back.
pub(crate) struct WriteTx<DB: sqlx::Database> {
    // Declared first, dropped first: the transaction ends before the turn
    // passes to the next writer.
    tx: sqlx::Transaction<'static, DB>,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl<DB: sqlx::Database> WriteTx<DB> {
    /// Commits, then passes the write turn on.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, _turn } = self;
        tx.commit().await
    }

    /// Rolls back, then passes the write turn on.
    #[allow(dead_code)]
    pub(crate) async fn rollback(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, _turn } = self;
        tx.rollback().await
    }
}

impl<DB: sqlx::Database> std::ops::Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}

/// The hierarchy and the network registry as last read, with the network
/// generation they were read at (`meta.network_generation`, bumped in the
/// transaction of every write to units, links, lineage or the registry).
/// `hierarchy()` and `network()` return a copy while the generation is
/// unchanged: one small query instead of reading and validating 16,000
/// units (0.27 s) on every page. The generation is read *before* a reload,
/// so a write racing with it only causes one more reload; a write by
/// another process (the CLI beside a server) bumps the same generation.
/// The population of a year is kept likewise, by the network generation.
/// (Aggregate values are held as columns: `held::HeldColumns`.)
#[derive(Debug, Default)]
pub(crate) struct ReadCache {
    hierarchy: std::sync::Mutex<Option<(i64, std::sync::Arc<ytcs_core::hierarchy::Hierarchy>)>>,
    network: std::sync::Mutex<Option<(i64, std::sync::Arc<ytcs_core::network::NetworkData>)>>,
    #[allow(clippy::type_complexity)]
    population: std::sync::Mutex<
        std::collections::HashMap<
            i32,
            (i64, std::sync::Arc<Vec<ytcs_core::formula::PopulationCell>>),
        >,
    >,
}

/// Years kept at most; beyond, the cache starts over.
const MAX_CACHED_PERIODS: usize = 256;

impl ReadCache {
    pub(crate) fn hierarchy(&self, generation: i64) -> Option<ytcs_core::hierarchy::Hierarchy> {
        let slot = self.hierarchy.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, h)| (**h).clone())
    }
    pub(crate) fn keep_hierarchy(&self, generation: i64, h: &ytcs_core::hierarchy::Hierarchy) {
        *self.hierarchy.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((generation, std::sync::Arc::new(h.clone())));
    }
    pub(crate) fn network(&self, generation: i64) -> Option<ytcs_core::network::NetworkData> {
        let slot = self.network.lock().unwrap_or_else(|e| e.into_inner());
        slot.as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, n)| (**n).clone())
    }
    pub(crate) fn keep_network(&self, generation: i64, n: &ytcs_core::network::NetworkData) {
        *self.network.lock().unwrap_or_else(|e| e.into_inner()) =
            Some((generation, std::sync::Arc::new(n.clone())));
    }
    pub(crate) fn population(
        &self,
        year: i32,
        generation: i64,
    ) -> Option<Vec<ytcs_core::formula::PopulationCell>> {
        let map = self.population.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&year)
            .filter(|(g, _)| *g == generation)
            .map(|(_, v)| (**v).clone())
    }
    pub(crate) fn keep_population(
        &self,
        year: i32,
        generation: i64,
        v: &[ytcs_core::formula::PopulationCell],
    ) {
        let mut map = self.population.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_CACHED_PERIODS {
            map.clear();
        }
        map.insert(year, (generation, std::sync::Arc::new(v.to_vec())));
    }
}

impl crate::SqliteStore {
    /// Waits for the write turn, then `BEGIN IMMEDIATE` (see [`WriteTx`]).
    pub(crate) async fn begin_write(&self) -> Result<WriteTx<sqlx::Sqlite>, StoreError> {
        let turn = self.write_turn.clone().lock_owned().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Ok(WriteTx {
            tx,
            _turn: Some(turn),
        })
    }
}

impl crate::PgStore {
    /// A transaction (see [`WriteTx`]).
    pub(crate) async fn begin_write(&self) -> Result<WriteTx<sqlx::Postgres>, StoreError> {
        Ok(WriteTx {
            tx: self.pool.begin().await?,
            _turn: None,
        })
    }
}

/// Columns of `org_unit` in the order `unit_from_row` expects.
pub(crate) const UNIT_COLUMNS: &str = "u.id, u.code, u.name, u.kind, u.valid_from, u.valid_to";

/// `AND`-able condition: the unit row `u` is valid on `$N`.
pub(crate) fn valid_on(alias: &str, param: usize) -> String {
    format!(
        "({alias}.valid_from IS NULL OR {alias}.valid_from <= ${param}) AND ({alias}.valid_to IS NULL OR {alias}.valid_to >= ${param})"
    )
}

pub(crate) type UnitRow = (i64, String, String, String, Option<Date>, Option<Date>);
pub(crate) type LineageRow = (i64, i64, Date, String, f64, Option<String>);

pub(crate) fn unit_from_row(r: UnitRow) -> Result<OrgUnit, StoreError> {
    let (id, code, name, kind, from, to) = r;
    Ok(OrgUnit {
        id: UnitId(id),
        code: OrgCode::parse(&code).map_err(|e| StoreError::Invalid(e.to_string()))?,
        name,
        kind: kind
            .parse::<OrgKind>()
            .map_err(|e| StoreError::Invalid(e.to_string()))?,
        validity: Validity::new(from, to).map_err(|e| StoreError::Invalid(e.to_string()))?,
    })
}

pub(crate) fn lineage_from_row(r: LineageRow) -> Result<LineageLink, StoreError> {
    let (pred, succ, date, kind, weight, note) = r;
    Ok(LineageLink {
        predecessor: UnitId(pred),
        successor: UnitId(succ),
        date,
        kind: kind.parse::<LineageKind>().map_err(StoreError::Invalid)?,
        weight,
        note,
    })
}

/// Rows per multi-row INSERT (7 parameters a row stays far below SQLite's
/// and PostgreSQL's parameter limits).
pub(crate) const INSERT_CHUNK: usize = 1000;

/// Implements [`crate::Store`] for a struct with a `pool` field of the given
/// sqlx pool type. The SQL is the same for both engines.
macro_rules! impl_store {
    ($ty:ty, $db:ty, $engine:literal) => {
        #[async_trait::async_trait]
        impl $crate::Store for $ty {
            fn engine(&self) -> &'static str {
                $engine
            }

            fn as_raw(&self, _: $crate::raw::Key) -> &dyn $crate::raw::RawWrites {
                self
            }

            async fn close(&self) {
                self.snapshot_columns().await;
                self.pool.close().await;
            }

            async fn meta(&self, key: &str) -> Result<Option<String>, $crate::StoreError> {
                Ok(sqlx::query_scalar::<_, String>("SELECT value FROM meta WHERE key = $1")
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn set_meta(&self, key: &str, value: &str) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO meta (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                )
                .bind(key)
                .bind(value)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn load_admin_units(
                &self,
                a: &ytcs_refdata::AdminUnits,
            ) -> Result<bool, $crate::StoreError> {
                use $crate::common::INSERT_CHUNK;
                let mut tx = self.begin_write().await?;
                let loaded: Option<String> =
                    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
                        .bind($crate::META_ADMIN_UNITS)
                        .fetch_optional(&mut *tx)
                        .await?;
                if loaded.is_some() {
                    return Ok(false);
                }
                for chunk in a.units.chunks(INSERT_CHUNK) {
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
                for chunk in a.links.chunks(INSERT_CHUNK) {
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
                for chunk in a.lineage.chunks(INSERT_CHUNK) {
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
                sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
                    .bind($crate::META_ADMIN_UNITS)
                    .bind(a.units.len().to_string())
                    .execute(&mut *tx)
                    .await?;
                Self::bump_generation(&mut tx).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn unit(
                &self,
                id: ytcs_core::org::UnitId,
            ) -> Result<Option<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let sql = format!("SELECT {} FROM org_unit u WHERE u.id = $1", $crate::common::UNIT_COLUMNS);
                sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?
                    .map($crate::common::unit_from_row)
                    .transpose()
            }

            async fn unit_at(
                &self,
                code: &ytcs_core::org::OrgCode,
                at: ytcs_core::Date,
            ) -> Result<Option<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM org_unit u WHERE u.code = $1 AND {} ORDER BY u.id LIMIT 1",
                    $crate::common::UNIT_COLUMNS,
                    $crate::common::valid_on("u", 2)
                );
                sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                    .bind(code.as_str())
                    .bind(at)
                    .fetch_optional(&self.pool)
                    .await?
                    .map($crate::common::unit_from_row)
                    .transpose()
            }

            async fn units_with_code(
                &self,
                code: &ytcs_core::org::OrgCode,
            ) -> Result<Vec<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM org_unit u WHERE u.code = $1 ORDER BY u.valid_from IS NOT NULL, u.valid_from, u.id",
                    $crate::common::UNIT_COLUMNS
                );
                sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                    .bind(code.as_str())
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::common::unit_from_row)
                    .collect()
            }

            async fn ancestors(
                &self,
                id: ytcs_core::org::UnitId,
                at: ytcs_core::Date,
            ) -> Result<Vec<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM org_parent p JOIN org_unit u ON u.id = p.parent_id \
                     WHERE p.child_id = $1 AND {} LIMIT 1",
                    $crate::common::UNIT_COLUMNS,
                    $crate::common::valid_on("p", 2)
                );
                let mut out: Vec<ytcs_core::org::OrgUnit> = Vec::new();
                let mut cur = id;
                // Bounded: a hierarchy is a handful of levels deep; the bound
                // also stops a cycle that slipped past validation.
                for _ in 0..32 {
                    let row = sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                        .bind(cur.0)
                        .bind(at)
                        .fetch_optional(&self.pool)
                        .await?;
                    let Some(row) = row else { break };
                    let u = $crate::common::unit_from_row(row)?;
                    if u.id == id || out.iter().any(|o| o.id == u.id) {
                        break;
                    }
                    cur = u.id;
                    out.push(u);
                }
                Ok(out)
            }

            async fn children(
                &self,
                id: ytcs_core::org::UnitId,
                at: ytcs_core::Date,
            ) -> Result<Vec<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM org_parent p JOIN org_unit u ON u.id = p.child_id \
                     WHERE p.parent_id = $1 AND {} ORDER BY u.code",
                    $crate::common::UNIT_COLUMNS,
                    $crate::common::valid_on("p", 2)
                );
                sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                    .bind(id.0)
                    .bind(at)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::common::unit_from_row)
                    .collect()
            }

            async fn predecessors(
                &self,
                id: ytcs_core::org::UnitId,
            ) -> Result<Vec<$crate::LineageNeighbour>, $crate::StoreError> {
                self.lineage_side(id, "successor_id", "predecessor_id").await
            }

            async fn successors(
                &self,
                id: ytcs_core::org::UnitId,
            ) -> Result<Vec<$crate::LineageNeighbour>, $crate::StoreError> {
                self.lineage_side(id, "predecessor_id", "successor_id").await
            }

            async fn search_units(
                &self,
                query: &str,
                at: Option<ytcs_core::Date>,
                limit: i64,
            ) -> Result<Vec<ytcs_core::org::OrgUnit>, $crate::StoreError> {
                let folded = ytcs_core::text::fold(query);
                if folded.is_empty() {
                    return Ok(Vec::new());
                }
                let pattern = format!(
                    "%{}%",
                    folded.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
                );
                let date_filter = match at {
                    Some(_) => format!("AND {}", $crate::common::valid_on("u", 4)),
                    None => String::new(),
                };
                let sql = format!(
                    "SELECT {} FROM org_unit u WHERE (u.code = $1 OR u.name_folded LIKE $2 ESCAPE '\\') {} \
                     ORDER BY u.code = $1 DESC, length(u.name), u.name, u.id LIMIT $3",
                    $crate::common::UNIT_COLUMNS,
                    date_filter
                );
                let mut q = sqlx::query_as::<_, $crate::common::UnitRow>(&sql)
                    .bind(query.trim().to_string())
                    .bind(pattern)
                    .bind(limit.clamp(1, 500));
                if let Some(at) = at {
                    q = q.bind(at);
                }
                q.fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::common::unit_from_row)
                    .collect()
            }

            async fn count_units(
                &self,
                at: ytcs_core::Date,
            ) -> Result<Vec<$crate::UnitCount>, $crate::StoreError> {
                let sql = format!(
                    "SELECT u.kind, COUNT(*) FROM org_unit u WHERE {} GROUP BY u.kind",
                    $crate::common::valid_on("u", 1)
                );
                let rows: Vec<(String, i64)> =
                    sqlx::query_as(&sql).bind(at).fetch_all(&self.pool).await?;
                let mut out = Vec::new();
                for (kind, count) in rows {
                    let kind = kind
                        .parse::<ytcs_core::org::OrgKind>()
                        .map_err(|e| $crate::StoreError::Invalid(e.to_string()))?;
                    out.push($crate::UnitCount { kind, count });
                }
                out.sort_by_key(|c| c.kind);
                Ok(out)
            }
        }

        impl $ty {
            async fn lineage_side(
                &self,
                id: ytcs_core::org::UnitId,
                this_side: &str,
                other_side: &str,
            ) -> Result<Vec<$crate::LineageNeighbour>, $crate::StoreError> {
                let sql = format!(
                    "SELECT l.predecessor_id, l.successor_id, l.date, l.kind, l.weight, l.note \
                     FROM org_lineage l WHERE l.{this_side} = $1 ORDER BY l.{other_side}"
                );
                let rows = sqlx::query_as::<_, $crate::common::LineageRow>(&sql)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let link = $crate::common::lineage_from_row(row)?;
                    let other = if this_side == "successor_id" { link.predecessor } else { link.successor };
                    let unit = $crate::Store::unit(self, other)
                        .await?
                        .ok_or_else(|| $crate::StoreError::Invalid(format!("lineage names unknown unit {other}")))?;
                    out.push($crate::LineageNeighbour { link, unit });
                }
                Ok(out)
            }
        }
    };
}

pub(crate) use impl_store;
