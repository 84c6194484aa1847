//! The audit log: who did what to which object, when, from where.
//!
//! **Append-only.** [`AuditStore`] can append and read, nothing else; the
//! database itself refuses every `UPDATE` and `DELETE` of `audit_log`
//! (triggers in migration 0007), so no code path of ours or anyone's SQL
//! session can rewrite history.
//!
//! **In the writer's transaction.** A store write that must be audited
//! appends its entry inside its own transaction with the crate-internal
//! `append_audit_in(&mut *tx, &entry)` that each engine has (see
//! `ApprovalStore::transition_approval`), so the change and its entry are
//! committed together or not at all.
//!
//! [`AuditStore`] (migration 0007): `append`, and `audit_entries` /
//! `count_audit_entries` by [`AuditFilter`], newest first. The log holds
//! personal data, so it is read like the persons: a manager sees the
//! entries of the units their scope covers (`AuditFilter::units`),
//! administrators everything; entries about no unit (sign-ins, accounts)
//! only administrators.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ytcs_core::audit::{AuditAction, AuditEntry, NewAuditEntry, ObjectKind};
use ytcs_core::Date;

use crate::StoreError;

/// Which entries to read. Every field left `None` matches everything; days
/// are UTC and inclusive. Entries come newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only entries about this org unit (by code).
    pub unit_code: Option<String>,
    /// Only this kind of object.
    pub object_kind: Option<ObjectKind>,
    /// Only this object (usually with `object_kind`).
    pub object_id: Option<String>,
    /// Only this action.
    pub action: Option<AuditAction>,
    /// From this day on (UTC).
    pub from: Option<Date>,
    /// Up to and including this day (UTC).
    pub to: Option<Date>,
    /// Only entries about one of these org units (by code); entries about
    /// no unit are left out. `None`: no such restriction. How a reader's
    /// scope limits what they see of the log.
    pub units: Option<Vec<String>>,
    /// At most this many entries (`None`: all).
    pub limit: Option<i64>,
    /// Skip this many of the newest matching entries first.
    pub offset: i64,
}

impl AuditFilter {
    /// The first instant included, if bounded below.
    fn first_instant(&self) -> Option<DateTime<Utc>> {
        self.from
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// The first instant excluded, if bounded above (none after the last
    /// representable day).
    fn end_instant(&self) -> Option<DateTime<Utc>> {
        self.to
            .and_then(|d| d.succ_opt())
            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
    }
}

/// Storage of the audit log: append and read; no method changes or removes
/// an entry.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends an entry stamped with the current time; returns its id.
    async fn append(&self, entry: &NewAuditEntry) -> Result<i64, StoreError>;
    /// Entries matching a filter, newest first, paged by `limit`/`offset`.
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
    /// How many entries match a filter (its `limit` and `offset` ignored),
    /// for paging.
    async fn count_audit_entries(&self, filter: &AuditFilter) -> Result<i64, StoreError>;
}

/// The `WHERE` clause both reads share; parameters `$1`…`$8` (`$8` is the
/// list of units as `,CODE,CODE,`: one parameter on both engines; the
/// entry's code is matched in it literally, `%` and `_` escaped).
const AUDIT_WHERE: &str = "WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR unit_code = $2) \
     AND ($3 IS NULL OR object_kind = $3) AND ($4 IS NULL OR object_id = $4) \
     AND ($5 IS NULL OR action = $5) AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at < $7) \
     AND ($8 IS NULL OR $8 LIKE '%,' || REPLACE(REPLACE(REPLACE(unit_code, '!', '!!'), '%', '!%'), '_', '!_') || ',%' ESCAPE '!')";

impl AuditFilter {
    /// `$8`: the units as one text, or `None`.
    fn units_param(&self) -> Option<String> {
        self.units.as_ref().map(|u| {
            let codes: Vec<&str> = u
                .iter()
                .map(|c| c.as_str())
                .filter(|c| !c.contains(','))
                .collect();
            format!(",{},", codes.join(","))
        })
    }
}

pub(crate) type AuditRow = (
    i64,
    DateTime<Utc>,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn json_column(name: &str, text: Option<String>) -> Result<Option<serde_json::Value>, StoreError> {
    text.map(|t| {
        serde_json::from_str(&t)
            .map_err(|e| StoreError::Invalid(format!("audit_log.{name} is not JSON: {e}")))
    })
    .transpose()
}

pub(crate) fn entry_from_row(r: AuditRow) -> Result<AuditEntry, StoreError> {
    let (id, at, actor, action, kind, object_id, unit_code, old, new, address, detail) = r;
    Ok(AuditEntry {
        id,
        at,
        actor,
        action: action
            .parse()
            .map_err(|e: ytcs_core::audit::UnknownCode| StoreError::Invalid(e.to_string()))?,
        object_kind: kind
            .parse()
            .map_err(|e: ytcs_core::audit::UnknownCode| StoreError::Invalid(e.to_string()))?,
        object_id,
        unit_code,
        old: json_column("old", old)?,
        new: json_column("new", new)?,
        address,
        detail,
    })
}

pub(crate) fn json_text(v: &Option<serde_json::Value>) -> Option<String> {
    v.as_ref().map(|v| v.to_string())
}

macro_rules! impl_audit_store {
    ($ty:ty, $db:ty) => {
        impl $ty {
            /// Appends `entry` through `conn` (usually `&mut *tx`, so that the
            /// entry commits with the caller's change); returns its id.
            pub(crate) async fn append_audit_in(
                conn: &mut <$db as sqlx::Database>::Connection,
                entry: &NewAuditEntry,
            ) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar(
                    "INSERT INTO audit_log (at, actor, action, object_kind, object_id, unit_code, old, new, address, detail) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(Utc::now())
                .bind(&entry.actor)
                .bind(entry.action.as_str())
                .bind(entry.object_kind.as_str())
                .bind(&entry.object_id)
                .bind(&entry.unit_code)
                .bind(json_text(&entry.old))
                .bind(json_text(&entry.new))
                .bind(&entry.address)
                .bind(&entry.detail)
                .fetch_one(&mut *conn)
                .await?)
            }
        }

        #[async_trait]
        impl AuditStore for $ty {
            async fn append(&self, entry: &NewAuditEntry) -> Result<i64, StoreError> {
                let mut conn = self.pool.acquire().await?;
                Self::append_audit_in(&mut conn, entry).await
            }

            async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
                let sql = format!(
                    "SELECT id, at, actor, action, object_kind, object_id, unit_code, old, new, address, detail \
                     FROM audit_log {AUDIT_WHERE} ORDER BY id DESC LIMIT $9 OFFSET $10"
                );
                let rows: Vec<AuditRow> = sqlx::query_as(&sql)
                    .bind(&f.actor)
                    .bind(&f.unit_code)
                    .bind(f.object_kind.map(|k| k.as_str()))
                    .bind(&f.object_id)
                    .bind(f.action.map(|a| a.as_str()))
                    .bind(f.first_instant())
                    .bind(f.end_instant())
                    .bind(f.units_param())
                    .bind(f.limit.unwrap_or(i64::MAX).max(0))
                    .bind(f.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(entry_from_row).collect()
            }

            async fn count_audit_entries(&self, f: &AuditFilter) -> Result<i64, StoreError> {
                let sql = format!("SELECT COUNT(*) FROM audit_log {AUDIT_WHERE}");
                Ok(sqlx::query_scalar(&sql)
                    .bind(&f.actor)
                    .bind(&f.unit_code)
                    .bind(f.object_kind.map(|k| k.as_str()))
                    .bind(&f.object_id)
                    .bind(f.action.map(|a| a.as_str()))
                    .bind(f.first_instant())
                    .bind(f.end_instant())
                    .bind(f.units_param())
                    .fetch_one(&self.pool)
                    .await?)
            }
        }
    };
}

impl_audit_store!(crate::SqliteStore, sqlx::Sqlite);
impl_audit_store!(crate::PgStore, sqlx::Postgres);
