//! Storage of a plan's execution: task status updates (with an evidence
//! file), report submissions, budget commitments and disbursements, and
//! commune-health criteria assessments. The rules (deadlines, report
//! states, the criteria's pass rule) are in `ytcs_core::{tracking,criteria}`.
//! [`TrackingStore`] is migration 0005.
//!
//! *Evidence files* are kept in the database with the update they prove
//! (one backup holds everything). The web keeps them to at most 10 MB and
//! to PDF, JPG/PNG, Word or Excel, refusing anything else by extension
//! before it is stored (`MAX_EVIDENCE_BYTES` in its plan tracking pages).

use std::collections::BTreeMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ytcs_core::org::UnitId;
use ytcs_core::tracking::TaskStatus;
use ytcs_core::Date;

use crate::plans::PlanId;
use crate::StoreError;

/// A file attached to a task update as evidence.
#[derive(Clone, PartialEq)]
pub struct Evidence {
    /// File name as uploaded.
    pub name: String,
    /// Its MIME type.
    pub content_type: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Evidence({}, {}, {} bytes)",
            self.name,
            self.content_type,
            self.bytes.len()
        )
    }
}

/// A lead unit's report on a task.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTaskUpdate {
    /// The plan.
    pub plan_id: PlanId,
    /// The task's id in the plan (`III.2.2.a`).
    pub task_id: String,
    /// The day the update speaks of.
    pub on: Date,
    /// Status reported.
    pub status: TaskStatus,
    /// Progress in percent, if given.
    pub progress: Option<u8>,
    /// What was done.
    pub note: String,
    /// A file, if any.
    pub evidence: Option<Evidence>,
}

/// A stored task update (evidence bytes left out; fetch with `evidence`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskUpdate {
    /// Stored id.
    pub id: i64,
    /// The task's id in the plan.
    pub task_id: String,
    /// The day the update speaks of.
    pub on: Date,
    /// Status reported.
    pub status: TaskStatus,
    /// Progress in percent.
    pub progress: Option<u8>,
    /// What was done.
    pub note: String,
    /// Name of the evidence file, if any.
    pub evidence_name: Option<String>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A report handed in for one due date of a reporting duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSubmission {
    /// Index of the duty in the plan's `reporting`.
    pub duty: usize,
    /// The due date it answers.
    pub due: Date,
    /// The reporting unit, as the plan names it.
    pub unit: String,
    /// When it was handed in.
    pub submitted_on: Date,
    /// Note.
    pub note: String,
}

/// Commitment or disbursement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetEntryKind {
    /// Money committed (contracts signed, decisions made).
    Commitment,
    /// Money paid out.
    Disbursement,
}

impl BudgetEntryKind {
    fn as_str(self) -> &'static str {
        match self {
            BudgetEntryKind::Commitment => "commitment",
            BudgetEntryKind::Disbursement => "disbursement",
        }
    }
}

/// Money committed or disbursed against a budget line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetEntry {
    /// The budget line's id in the plan.
    pub line_id: String,
    /// Date of the commitment or payment.
    pub on: Date,
    /// Which.
    pub kind: BudgetEntryKind,
    /// Amount in đồng.
    pub amount_vnd: i64,
    /// Funding source.
    pub source: Option<String>,
    /// Note.
    pub note: String,
}

/// A commune's self-assessment against the national criteria for a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The commune.
    pub commune: UnitId,
    /// The year assessed.
    pub year: i32,
    /// Points per item code.
    pub scores: BTreeMap<String, f64>,
    /// Total points.
    pub total: f64,
    /// Whether it passes the rule.
    pub passed: bool,
    /// When a pass was recognised (the recognition runs three years).
    pub recognised_on: Option<Date>,
}

/// Storage of a plan's execution.
#[async_trait]
pub trait TrackingStore: Send + Sync {
    /// Records a task update.
    async fn add_task_update(&self, u: &NewTaskUpdate) -> Result<i64, StoreError>;
    /// A plan's task updates, oldest first.
    async fn task_updates(&self, plan: PlanId) -> Result<Vec<TaskUpdate>, StoreError>;
    /// An update's evidence file.
    async fn evidence(&self, update: i64) -> Result<Option<Evidence>, StoreError>;
    /// Records a report as handed in (again: the later record replaces it).
    async fn submit_report(&self, plan: PlanId, s: &ReportSubmission) -> Result<(), StoreError>;
    /// A plan's report submissions.
    async fn report_submissions(&self, plan: PlanId) -> Result<Vec<ReportSubmission>, StoreError>;
    /// Records a commitment or disbursement.
    async fn add_budget_entry(&self, plan: PlanId, e: &BudgetEntry) -> Result<(), StoreError>;
    /// A plan's budget entries, by date.
    async fn budget_entries(&self, plan: PlanId) -> Result<Vec<BudgetEntry>, StoreError>;
    /// Saves (or replaces) a commune's assessment for a year.
    async fn save_assessment(&self, a: &Assessment) -> Result<(), StoreError>;
    /// Every assessment of a commune, by year.
    async fn assessments(&self, commune: UnitId) -> Result<Vec<Assessment>, StoreError>;
    /// Every assessment recognised as a pass (for the criteria indicator).
    async fn passed_assessments(&self) -> Result<Vec<Assessment>, StoreError>;
    /// Every assessment of every commune, by commune and year.
    async fn all_assessments(&self) -> Result<Vec<Assessment>, StoreError>;
}

fn status_str(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::NotStarted => "not_started",
        TaskStatus::InProgress => "in_progress",
        TaskStatus::Done => "done",
        TaskStatus::Blocked => "blocked",
    }
}

fn parse_status(s: &str) -> Result<TaskStatus, StoreError> {
    Ok(match s {
        "not_started" => TaskStatus::NotStarted,
        "in_progress" => TaskStatus::InProgress,
        "done" => TaskStatus::Done,
        "blocked" => TaskStatus::Blocked,
        other => {
            return Err(StoreError::Invalid(format!(
                "unknown task status '{other}'"
            )))
        }
    })
}

type AssessmentRow = (i64, i32, String, f64, bool, Option<Date>);

fn assessment_from_row(r: AssessmentRow) -> Result<Assessment, StoreError> {
    let scores: BTreeMap<String, f64> = serde_json::from_str(&r.2)
        .map_err(|e| StoreError::Invalid(format!("stored scores unreadable: {e}")))?;
    Ok(Assessment {
        commune: UnitId(r.0),
        year: r.1,
        scores,
        total: r.3,
        passed: r.4,
        recognised_on: r.5,
    })
}

macro_rules! impl_tracking_store {
    ($ty:ty) => {
        #[async_trait::async_trait]
        impl TrackingStore for $ty {
            async fn add_task_update(&self, u: &NewTaskUpdate) -> Result<i64, StoreError> {
                let (name, ctype, bytes) = match &u.evidence {
                    Some(e) => (Some(e.name.clone()), Some(e.content_type.clone()), Some(e.bytes.clone())),
                    None => (None, None, None),
                };
                Ok(sqlx::query_scalar(
                    "INSERT INTO task_update (plan_id, task_id, on_date, status, progress, note, evidence_name, \
                     evidence_type, evidence, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(u.plan_id)
                .bind(&u.task_id)
                .bind(u.on)
                .bind(status_str(u.status))
                .bind(u.progress.map(i32::from))
                .bind(&u.note)
                .bind(name)
                .bind(ctype)
                .bind(bytes)
                .bind(Utc::now())
                .fetch_one(&self.pool)
                .await?)
            }

            async fn task_updates(&self, plan: PlanId) -> Result<Vec<TaskUpdate>, StoreError> {
                let rows: Vec<(i64, String, Date, String, Option<i32>, String, Option<String>, DateTime<Utc>)> = sqlx::query_as(
                    "SELECT id, task_id, on_date, status, progress, note, evidence_name, recorded_at \
                     FROM task_update WHERE plan_id = $1 ORDER BY on_date, id",
                )
                .bind(plan)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        Ok(TaskUpdate {
                            id: r.0,
                            task_id: r.1,
                            on: r.2,
                            status: parse_status(&r.3)?,
                            progress: r.4.and_then(|p| u8::try_from(p).ok()),
                            note: r.5,
                            evidence_name: r.6,
                            recorded_at: r.7,
                        })
                    })
                    .collect()
            }

            async fn evidence(&self, update: i64) -> Result<Option<Evidence>, StoreError> {
                let row: Option<(Option<String>, Option<String>, Option<Vec<u8>>)> =
                    sqlx::query_as("SELECT evidence_name, evidence_type, evidence FROM task_update WHERE id = $1")
                        .bind(update)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(match row {
                    Some((Some(name), Some(content_type), Some(bytes))) => Some(Evidence { name, content_type, bytes }),
                    _ => None,
                })
            }

            async fn submit_report(&self, plan: PlanId, s: &ReportSubmission) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO report_submission (plan_id, duty, due, unit, submitted_on, note, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, duty, due, unit) DO UPDATE SET \
                     submitted_on = excluded.submitted_on, note = excluded.note, recorded_at = excluded.recorded_at",
                )
                .bind(plan)
                .bind(s.duty as i32)
                .bind(s.due)
                .bind(&s.unit)
                .bind(s.submitted_on)
                .bind(&s.note)
                .bind(Utc::now())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn report_submissions(&self, plan: PlanId) -> Result<Vec<ReportSubmission>, StoreError> {
                let rows: Vec<(i32, Date, String, Date, String)> = sqlx::query_as(
                    "SELECT duty, due, unit, submitted_on, note FROM report_submission WHERE plan_id = $1 ORDER BY due, duty, unit",
                )
                .bind(plan)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| ReportSubmission { duty: r.0.max(0) as usize, due: r.1, unit: r.2, submitted_on: r.3, note: r.4 })
                    .collect())
            }

            async fn add_budget_entry(&self, plan: PlanId, e: &BudgetEntry) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO budget_entry (plan_id, line_id, on_date, kind, amount_vnd, source, note, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(plan)
                .bind(&e.line_id)
                .bind(e.on)
                .bind(e.kind.as_str())
                .bind(e.amount_vnd)
                .bind(&e.source)
                .bind(&e.note)
                .bind(Utc::now())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn budget_entries(&self, plan: PlanId) -> Result<Vec<BudgetEntry>, StoreError> {
                let rows: Vec<(String, Date, String, i64, Option<String>, String)> = sqlx::query_as(
                    "SELECT line_id, on_date, kind, amount_vnd, source, note FROM budget_entry WHERE plan_id = $1 ORDER BY on_date, id",
                )
                .bind(plan)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        let kind = match r.2.as_str() {
                            "commitment" => BudgetEntryKind::Commitment,
                            "disbursement" => BudgetEntryKind::Disbursement,
                            other => return Err(StoreError::Invalid(format!("unknown budget entry kind '{other}'"))),
                        };
                        Ok(BudgetEntry { line_id: r.0, on: r.1, kind, amount_vnd: r.3, source: r.4, note: r.5 })
                    })
                    .collect()
            }

            async fn save_assessment(&self, a: &Assessment) -> Result<(), StoreError> {
                let scores = serde_json::to_string(&a.scores).map_err(|e| StoreError::Invalid(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO criteria_assessment (commune_id, year, scores, total, passed, recognised_on, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (commune_id, year) DO UPDATE SET \
                     scores = excluded.scores, total = excluded.total, passed = excluded.passed, \
                     recognised_on = excluded.recognised_on, recorded_at = excluded.recorded_at",
                )
                .bind(a.commune.0)
                .bind(a.year)
                .bind(scores)
                .bind(a.total)
                .bind(a.passed)
                .bind(a.recognised_on)
                .bind(Utc::now())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn assessments(&self, commune: UnitId) -> Result<Vec<Assessment>, StoreError> {
                let rows: Vec<AssessmentRow> = sqlx::query_as(
                    "SELECT commune_id, year, scores, total, passed, recognised_on FROM criteria_assessment WHERE commune_id = $1 ORDER BY year",
                )
                .bind(commune.0)
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(assessment_from_row).collect()
            }

            async fn all_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
                let rows: Vec<AssessmentRow> = sqlx::query_as(
                    "SELECT commune_id, year, scores, total, passed, recognised_on FROM criteria_assessment \
                     ORDER BY commune_id, year",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(assessment_from_row).collect()
            }

            async fn passed_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
                let rows: Vec<AssessmentRow> = sqlx::query_as(
                    "SELECT commune_id, year, scores, total, passed, recognised_on FROM criteria_assessment \
                     WHERE passed AND recognised_on IS NOT NULL ORDER BY commune_id, year",
                )
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map(assessment_from_row).collect()
            }
        }
    };
}

impl_tracking_store!(crate::SqliteStore);
impl_tracking_store!(crate::PgStore);
