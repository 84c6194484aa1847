//! Storage of data approval: the state of each unit's data for a period
//! (`data_approval`, no row meaning open), changed only through
//! [`ApprovalStore::transition_approval`], which applies the pure rule of
//! [`ytcs_core::approval::transition`] and appends the audit entry in the
//! same transaction.
//!
//! An approved period locks the unit's values within it:
//! [`crate::ValueStore::write_values`] refuses them with
//! [`StoreError::Locked`], checked inside the write's own transaction.
//!
//! **Concurrency.** On PostgreSQL a move takes the unit's `org_unit` row
//! `FOR NO KEY UPDATE` and a value write takes its units' rows `FOR SHARE`,
//! so a write and an approval of the same unit never interleave, and two
//! moves of one unit run one after the other (the second sees the first's
//! state). SQLite has one writer at a time; a transaction whose snapshot went
//! stale fails instead of writing.

use std::collections::BTreeSet;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ytcs_core::approval::{
    checked_reason, transition, ApprovalAction, ApprovalError, ApprovalState,
};
use ytcs_core::audit::{NewAuditEntry, ObjectKind};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;

use crate::StoreError;

/// The approval state of one unit's data for one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalRecord {
    /// The unit.
    pub unit: UnitId,
    /// The period.
    pub period: Period,
    /// Where it stands.
    pub state: ApprovalState,
    /// Who submitted last.
    pub submitted_by: Option<String>,
    /// When it was submitted last (UTC).
    pub submitted_at: Option<DateTime<Utc>>,
    /// Who approved, returned or unlocked last.
    pub decided_by: Option<String>,
    /// When (UTC).
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason or comment given with the last move.
    pub reason: Option<String>,
}

impl ApprovalRecord {
    /// Data never submitted: open, nobody named.
    pub fn open(unit: UnitId, period: Period) -> Self {
        ApprovalRecord {
            unit,
            period,
            state: ApprovalState::Open,
            submitted_by: None,
            submitted_at: None,
            decided_by: None,
            decided_at: None,
            reason: None,
        }
    }

    /// The audit log's object id of this approval: `<unit code>/<period>`.
    pub fn object_id(unit_code: &str, period: Period) -> String {
        format!("{unit_code}/{period}")
    }
}

/// Which approvals to list. `None` matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApprovalFilter {
    /// Only these units (the children of a unit, for the level above).
    pub units: Option<Vec<UnitId>>,
    /// Only this state.
    pub state: Option<ApprovalState>,
    /// Only this period.
    pub period: Option<Period>,
}

/// Why a move was not made. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    /// The workflow refuses the move (wrong state, missing reason).
    #[error(transparent)]
    Refused(#[from] ApprovalError),
    /// No unit has this id.
    #[error("unknown org unit id {0}")]
    UnknownUnit(UnitId),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for TransitionError {
    fn from(e: sqlx::Error) -> Self {
        TransitionError::Store(StoreError::Query(e))
    }
}

/// Storage of data approval.
#[async_trait]
pub trait ApprovalStore: Send + Sync {
    /// The approval of a unit's data for a period; `None` when never
    /// submitted (the data is open).
    async fn approval(
        &self,
        unit: UnitId,
        period: Period,
    ) -> Result<Option<ApprovalRecord>, StoreError>;
    /// Approvals matching a filter, by unit then period.
    async fn approvals(&self, filter: &ApprovalFilter) -> Result<Vec<ApprovalRecord>, StoreError>;
    /// Every approval of one unit, by period.
    async fn approvals_for_unit(&self, unit: UnitId) -> Result<Vec<ApprovalRecord>, StoreError> {
        self.approvals(&ApprovalFilter {
            units: Some(vec![unit]),
            ..ApprovalFilter::default()
        })
        .await
    }
    /// The approved periods of `unit` that lock its values of `period`
    /// (none: the values can be changed), coarsest first.
    async fn locking_approvals(
        &self,
        unit: UnitId,
        period: Period,
    ) -> Result<Vec<ApprovalRecord>, StoreError>;
    /// Makes a move of the workflow for `actor`: reads the current state,
    /// applies [`ytcs_core::approval::transition`], writes the new state and
    /// appends the audit entry (action = the move, object `approval`
    /// `<unit code>/<period>`, old and new state, `reason` as detail,
    /// `address`), all in one transaction. Who may make which move is the
    /// caller's policy. Returns the new record.
    async fn transition_approval(
        &self,
        unit: UnitId,
        period: Period,
        action: ApprovalAction,
        actor: &str,
        reason: Option<&str>,
        address: Option<&str>,
    ) -> Result<ApprovalRecord, TransitionError>;
}

pub(crate) const APPROVAL_COLUMNS: &str =
    "unit_id, period, state, submitted_by, submitted_at, decided_by, decided_at, reason";

pub(crate) type ApprovalRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<String>,
);

pub(crate) fn record_from_row(r: ApprovalRow) -> Result<ApprovalRecord, StoreError> {
    let (unit, period, state, submitted_by, submitted_at, decided_by, decided_at, reason) = r;
    Ok(ApprovalRecord {
        unit: UnitId(unit),
        period: period
            .parse()
            .map_err(|e: ytcs_core::period::PeriodParseError| StoreError::Invalid(e.to_string()))?,
        state: state.parse().map_err(StoreError::Invalid)?,
        submitted_by,
        submitted_at,
        decided_by,
        decided_at,
        reason,
    })
}

/// The record after a legal move by `actor` at `now`.
fn after_move(
    before: &ApprovalRecord,
    action: ApprovalAction,
    state: ApprovalState,
    actor: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApprovalRecord {
    let mut r = before.clone();
    r.state = state;
    r.reason = reason;
    if action == ApprovalAction::Submit {
        r.submitted_by = Some(actor.to_string());
        r.submitted_at = Some(now);
    } else {
        r.decided_by = Some(actor.to_string());
        r.decided_at = Some(now);
    }
    r
}

/// Implements [`ApprovalStore`] and the lock check of value writes.
/// `$unit_update` is the engine's row-lock suffix for a move (empty on
/// SQLite, which has one writer at a time), `$unit_share` the one for a
/// value write (`None`: no lock to take).
macro_rules! impl_approval_store {
    ($ty:ty, $db:ty, $unit_update:literal, $unit_share:expr) => {
        impl $ty {
            /// The approved periods of each of `units` (`unit`, `period`),
            /// read through `conn` after taking the units' rows for share
            /// (PostgreSQL), so no move of these units commits meanwhile.
            pub(crate) async fn approved_periods_in(
                conn: &mut <$db as sqlx::Database>::Connection,
                units: &BTreeSet<UnitId>,
            ) -> Result<Vec<(UnitId, Period)>, StoreError> {
                let ids: Vec<i64> = units.iter().map(|u| u.0).collect();
                let mut out = Vec::new();
                for chunk in ids.chunks(crate::common::INSERT_CHUNK) {
                    if let Some(lock) = $unit_share {
                        let mut qb = sqlx::QueryBuilder::<$db>::new("SELECT id FROM org_unit WHERE id IN (");
                        let mut sep = qb.separated(", ");
                        for id in chunk {
                            sep.push_bind(*id);
                        }
                        qb.push(") ORDER BY id");
                        qb.push(lock);
                        qb.build().fetch_all(&mut *conn).await?;
                    }
                    let mut qb = sqlx::QueryBuilder::<$db>::new(
                        "SELECT unit_id, period FROM data_approval WHERE state = 'approved' AND unit_id IN (",
                    );
                    let mut sep = qb.separated(", ");
                    for id in chunk {
                        sep.push_bind(*id);
                    }
                    qb.push(")");
                    let rows: Vec<(i64, String)> = qb.build_query_as().fetch_all(&mut *conn).await?;
                    for (u, p) in rows {
                        let p: Period = p.parse().map_err(
                            |e: ytcs_core::period::PeriodParseError| StoreError::Invalid(e.to_string()),
                        )?;
                        out.push((UnitId(u), p));
                    }
                }
                Ok(out)
            }
        }

        #[async_trait]
        impl ApprovalStore for $ty {
            async fn approval(
                &self,
                unit: UnitId,
                period: Period,
            ) -> Result<Option<ApprovalRecord>, StoreError> {
                let sql = format!("SELECT {APPROVAL_COLUMNS} FROM data_approval WHERE unit_id = $1 AND period = $2");
                sqlx::query_as::<_, ApprovalRow>(&sql)
                    .bind(unit.0)
                    .bind(period.to_string())
                    .fetch_optional(&self.pool)
                    .await?
                    .map(record_from_row)
                    .transpose()
            }

            async fn approvals(&self, f: &ApprovalFilter) -> Result<Vec<ApprovalRecord>, StoreError> {
                let mut qb = sqlx::QueryBuilder::<$db>::new(format!(
                    "SELECT {APPROVAL_COLUMNS} FROM data_approval WHERE 1 = 1"
                ));
                if let Some(units) = &f.units {
                    if units.is_empty() {
                        return Ok(Vec::new());
                    }
                    qb.push(" AND unit_id IN (");
                    let mut sep = qb.separated(", ");
                    for u in units {
                        sep.push_bind(u.0);
                    }
                    qb.push(")");
                }
                if let Some(s) = f.state {
                    qb.push(" AND state = ").push_bind(s.as_str());
                }
                if let Some(p) = f.period {
                    qb.push(" AND period = ").push_bind(p.to_string());
                }
                qb.push(" ORDER BY unit_id, period");
                let rows: Vec<ApprovalRow> = qb.build_query_as().fetch_all(&self.pool).await?;
                let mut out = rows
                    .into_iter()
                    .map(record_from_row)
                    .collect::<Result<Vec<_>, _>>()?;
                // Period text does not sort in time order (`2025` < `2025-01` < `2025Q1`).
                out.sort_by_key(|r| (r.unit, r.period.start(), std::cmp::Reverse(r.period.end())));
                Ok(out)
            }

            async fn locking_approvals(
                &self,
                unit: UnitId,
                period: Period,
            ) -> Result<Vec<ApprovalRecord>, StoreError> {
                let all = self
                    .approvals(&ApprovalFilter {
                        units: Some(vec![unit]),
                        state: Some(ApprovalState::Approved),
                        period: None,
                    })
                    .await?;
                let mut out: Vec<ApprovalRecord> = all
                    .into_iter()
                    .filter(|r| ytcs_core::approval::locks(r.period, period))
                    .collect();
                out.sort_by_key(|r| std::cmp::Reverse(r.period.period_type()));
                Ok(out)
            }

            async fn transition_approval(
                &self,
                unit: UnitId,
                period: Period,
                action: ApprovalAction,
                actor: &str,
                reason: Option<&str>,
                address: Option<&str>,
            ) -> Result<ApprovalRecord, TransitionError> {
                let mut tx = self.begin_write().await?;
                let code: Option<String> =
                    sqlx::query_scalar(concat!("SELECT code FROM org_unit WHERE id = $1", $unit_update))
                        .bind(unit.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                let code = code.ok_or(TransitionError::UnknownUnit(unit))?;
                let sql = format!("SELECT {APPROVAL_COLUMNS} FROM data_approval WHERE unit_id = $1 AND period = $2");
                let before = match sqlx::query_as::<_, ApprovalRow>(&sql)
                    .bind(unit.0)
                    .bind(period.to_string())
                    .fetch_optional(&mut *tx)
                    .await?
                {
                    Some(row) => record_from_row(row)?,
                    None => ApprovalRecord::open(unit, period),
                };
                let state = transition(before.state, action)?;
                let reason = checked_reason(action, reason)?;
                // Microseconds: what PostgreSQL keeps, so the record returned
                // equals the record read back.
                let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
                let after = after_move(&before, action, state, actor, reason, now);
                sqlx::query(
                    "INSERT INTO data_approval (unit_id, period, state, submitted_by, submitted_at, decided_by, decided_at, reason) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (unit_id, period) DO UPDATE SET \
                     state = excluded.state, submitted_by = excluded.submitted_by, submitted_at = excluded.submitted_at, \
                     decided_by = excluded.decided_by, decided_at = excluded.decided_at, reason = excluded.reason",
                )
                .bind(unit.0)
                .bind(period.to_string())
                .bind(after.state.as_str())
                .bind(&after.submitted_by)
                .bind(after.submitted_at)
                .bind(&after.decided_by)
                .bind(after.decided_at)
                .bind(&after.reason)
                .execute(&mut *tx)
                .await?;
                let entry = NewAuditEntry::new(
                    actor,
                    action.into(),
                    ObjectKind::Approval,
                    ApprovalRecord::object_id(&code, period),
                )
                .with_unit(code)
                .with_change(
                    Some(serde_json::json!({ "state": before.state })),
                    Some(serde_json::json!({ "state": after.state })),
                )
                .with_address(address.map(str::to_string))
                .with_detail(after.reason.clone());
                Self::append_audit_in(&mut *tx, &entry).await?;
                tx.commit().await?;
                Ok(after)
            }
        }
    };
}

impl_approval_store!(crate::SqliteStore, sqlx::Sqlite, "", None::<&str>);
impl_approval_store!(
    crate::PgStore,
    sqlx::Postgres,
    " FOR NO KEY UPDATE",
    Some(" FOR SHARE")
);
