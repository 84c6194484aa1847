//! Statutory reports sent (migration 0014): each a frozen snapshot of the
//! filled form (its JSON) with its SHA-256, numbered per form, unit and
//! period. A correction is a new version with a reason; nothing is ever
//! changed or removed (the database refuses `UPDATE` and `DELETE`). The
//! version is numbered inside the write's transaction, and the audit
//! entry commits with it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ytcs_core::audit::{AuditAction, NewAuditEntry, ObjectKind};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::Date;

use crate::StoreError;

/// A report to record as sent.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubmission {
    /// The form's stable key.
    pub form_key: String,
    /// Its code in the circular.
    pub form_code: String,
    /// The circular.
    pub circular: String,
    /// The reporting unit.
    pub unit: UnitId,
    /// The period.
    pub period: Period,
    /// The filled form as JSON.
    pub content: String,
    /// SHA-256 of `content`, hex.
    pub content_hash: String,
    /// Who sends it.
    pub submitted_by: String,
    /// The day it is due.
    pub due: Date,
    /// Sent after the due day.
    pub late: bool,
    /// Why it replaces the version before (required from version 2).
    pub reason: Option<String>,
}

/// A report sent.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Submission {
    /// Its id.
    pub id: i64,
    /// The form's stable key.
    pub form_key: String,
    /// Its code in the circular.
    pub form_code: String,
    /// The circular.
    pub circular: String,
    /// The reporting unit.
    pub unit: UnitId,
    /// The period.
    pub period: Period,
    /// 1, then one more for each correction.
    pub version: i32,
    /// The filled form as JSON (empty when listed without content).
    #[serde(skip)]
    pub content: String,
    /// SHA-256 of the content, hex.
    pub content_hash: String,
    /// Who sent it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: DateTime<Utc>,
    /// The day it was due.
    pub due: Date,
    /// Sent after the due day.
    pub late: bool,
    /// Why it replaced the version before.
    pub reason: Option<String>,
}

/// Which sent reports to read: the newest version of each (form, unit,
/// period) unless `all_versions`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubmissionFilter {
    /// Only this form (key).
    pub form_key: Option<String>,
    /// Only this period.
    pub period: Option<Period>,
    /// Only these units.
    pub units: Option<Vec<UnitId>>,
    /// Every version, not only the newest.
    pub all_versions: bool,
    /// With the content (the snapshot's JSON).
    pub with_content: bool,
}

/// Storage of the reports sent: append and read.
#[async_trait]
pub trait SubmissionStore: Send + Sync {
    /// Records a report as sent, numbering its version; audited as
    /// `submit` of a `statutory_report` by `submitted_by`.
    async fn submit_form(&self, s: &NewSubmission) -> Result<Submission, StoreError>;
    /// The reports sent matching `filter`, by unit, period, then version.
    async fn form_submissions(
        &self,
        filter: &SubmissionFilter,
    ) -> Result<Vec<Submission>, StoreError>;
}

type Row = (
    i64,
    String,
    String,
    String,
    i64,
    String,
    i32,
    String,
    String,
    String,
    DateTime<Utc>,
    Date,
    bool,
    Option<String>,
);

fn from_row(r: Row) -> Result<Submission, StoreError> {
    let (
        id,
        form_key,
        form_code,
        circular,
        unit,
        period,
        version,
        content,
        content_hash,
        submitted_by,
        submitted_at,
        due,
        late,
        reason,
    ) = r;
    Ok(Submission {
        id,
        form_key,
        form_code,
        circular,
        unit: UnitId(unit),
        period: period
            .parse()
            .map_err(|_| StoreError::Invalid(format!("form_submission {id}: period '{period}'")))?,
        version,
        content,
        content_hash,
        submitted_by,
        submitted_at,
        due,
        late,
        reason,
    })
}

macro_rules! impl_submission_store {
    ($ty:ty) => {
        #[async_trait]
        impl SubmissionStore for $ty {
            async fn submit_form(&self, s: &NewSubmission) -> Result<Submission, StoreError> {
                let mut tx = self.begin_write().await?;
                let code: Option<String> = sqlx::query_scalar("SELECT code FROM org_unit WHERE id = $1")
                    .bind(s.unit.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                let code = code.ok_or_else(|| StoreError::Invalid(format!("no unit has id {}", s.unit.0)))?;
                let last: Option<i32> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM form_submission WHERE form_key = $1 AND unit_id = $2 AND period = $3",
                )
                .bind(&s.form_key)
                .bind(s.unit.0)
                .bind(s.period.to_string())
                .fetch_one(&mut *tx)
                .await?;
                let version = last.unwrap_or(0) + 1;
                if version > 1 && s.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                    return Err(StoreError::Invalid(format!(
                        "{} of {} for {} was sent already (version {}): a correction needs a reason",
                        s.form_code, code, s.period, version - 1
                    )));
                }
                let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO form_submission (form_key, form_code, circular, unit_id, period, version, content, \
                     content_hash, submitted_by, submitted_at, due, late, reason) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                )
                .bind(&s.form_key)
                .bind(&s.form_code)
                .bind(&s.circular)
                .bind(s.unit.0)
                .bind(s.period.to_string())
                .bind(version)
                .bind(&s.content)
                .bind(&s.content_hash)
                .bind(&s.submitted_by)
                .bind(now)
                .bind(s.due)
                .bind(s.late)
                .bind(&s.reason)
                .fetch_one(&mut *tx)
                .await?;
                let entry = NewAuditEntry::new(
                    &s.submitted_by,
                    AuditAction::Submit,
                    ObjectKind::StatutoryReport,
                    format!("{}/{}/{}/v{version}", s.form_key, code, s.period),
                )
                .with_unit(code)
                .with_change(
                    None,
                    Some(serde_json::json!({
                        "form": s.form_code, "circular": s.circular, "version": version,
                        "content_hash": s.content_hash, "late": s.late,
                    })),
                )
                .with_detail(s.reason.clone());
                Self::append_audit_in(&mut *tx, &entry).await?;
                tx.commit().await?;
                Ok(Submission {
                    id,
                    form_key: s.form_key.clone(),
                    form_code: s.form_code.clone(),
                    circular: s.circular.clone(),
                    unit: s.unit,
                    period: s.period,
                    version,
                    content: s.content.clone(),
                    content_hash: s.content_hash.clone(),
                    submitted_by: s.submitted_by.clone(),
                    submitted_at: now,
                    due: s.due,
                    late: s.late,
                    reason: s.reason.clone(),
                })
            }

            async fn form_submissions(&self, f: &SubmissionFilter) -> Result<Vec<Submission>, StoreError> {
                let content = if f.with_content { "content" } else { "''" };
                let latest = if f.all_versions {
                    ""
                } else {
                    " AND version = (SELECT MAX(version) FROM form_submission l \
                     WHERE l.form_key = s.form_key AND l.unit_id = s.unit_id AND l.period = s.period)"
                };
                let sql = format!(
                    "SELECT id, form_key, form_code, circular, unit_id, period, version, {content}, content_hash, \
                     submitted_by, submitted_at, due, late, reason FROM form_submission s \
                     WHERE ($1 IS NULL OR form_key = $1) AND ($2 IS NULL OR period = $2){latest} \
                     ORDER BY unit_id, period, version"
                );
                let rows: Vec<Row> = sqlx::query_as(&sql)
                    .bind(&f.form_key)
                    .bind(f.period.map(|p| p.to_string()))
                    .fetch_all(&self.pool)
                    .await?;
                let mut out = rows.into_iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
                if let Some(units) = &f.units {
                    let wanted: std::collections::HashSet<UnitId> = units.iter().copied().collect();
                    out.retain(|s| wanted.contains(&s.unit));
                }
                Ok(out)
            }
        }
    };
}

impl_submission_store!(crate::SqliteStore);
impl_submission_store!(crate::PgStore);
