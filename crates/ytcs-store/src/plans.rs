//! Storage of plans read from documents: the plan as extracted, the plan as
//! corrected by a person (every correction kept as a revision), its source
//! text, and the documents it cites, so that plans citing one another by
//! number and date link into a cascade both ways.
//!
//! The plan as read is kept in `plan.extracted`; corrections replace
//! `plan.current` only, each kept as a `plan_revision` with the previous
//! content, in one transaction. The (number, date) of its legal bases are
//! kept in `plan_basis`, from which the cascade is read both ways
//! ([`PlanStore::plan_links`]). [`PlanStore::correct_target`] is a
//! correction made from the source ("đây là chỉ tiêu"): the plan's
//! revision and a `target_example` row (migration 0010: the sentence, the
//! selection, what the reader read, what it replaced, what the person
//! confirmed) in one transaction; `ytcs plan examples export DIR` turns
//! those into gold files (`ytcs_plandoc::score::example_files`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ytcs_core::plan::{Plan, Target};
use ytcs_core::Date;

use crate::StoreError;

/// The identity of a stored plan.
pub type PlanId = i64;

/// A plan in a list (the `plan list --json` contract, plus a few fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanSummary {
    /// Stored id.
    pub id: PlanId,
    /// Its number, e.g. `193/KH-UBND`.
    pub number: Option<String>,
    /// Date of issue.
    pub date: Option<Date>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Document kind (`plan`, `decision` …).
    pub kind: String,
    /// When a person confirmed the reviewed plan, if they have.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A plan as the contract prints it once stored: `id` first, then every
/// field of `ytcs.plan/1`.
#[derive(Debug, Serialize)]
pub struct IdentifiedPlan<'a> {
    /// Stored id.
    pub id: PlanId,
    /// The plan.
    #[serde(flatten)]
    pub plan: &'a Plan,
}

/// A stored plan with its source and review state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlan {
    /// Summary fields.
    pub summary: PlanSummary,
    /// The plan as it stands after corrections.
    pub plan: Plan,
    /// The plan as first extracted.
    pub extracted: Plan,
    /// The document's text (for DOCX, the text extracted from it).
    pub source_text: String,
    /// When it was imported.
    pub imported_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// One correction of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRevision {
    /// When.
    pub at: DateTime<Utc>,
    /// What the person said about it.
    pub note: String,
}

/// What a reviewer did from a source sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExampleAction {
    /// Made the selection a new target (the reader missed it).
    Add,
    /// Replaced a wrong target with the one the selection gives.
    Fix,
}

impl ExampleAction {
    fn as_str(self) -> &'static str {
        match self {
            ExampleAction::Add => "add",
            ExampleAction::Fix => "fix",
        }
    }
}

/// A correction made from the source ("đây là chỉ tiêu"), before storing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewTargetExample {
    /// 1-based line of the source sentence.
    pub line: usize,
    /// The whole source line, as stored with the plan.
    pub sentence: String,
    /// The text the person selected in it.
    pub selection: String,
    /// Added or fixed.
    pub action: ExampleAction,
    /// The index of the target a fix replaced (in the plan before it).
    pub target_index: Option<usize>,
    /// What the reader made of the selection (the pre-filled form).
    pub read: Option<Target>,
    /// The wrong target a fix replaced.
    pub replaced: Option<Target>,
    /// The target the person confirmed.
    pub target: Target,
    /// Who confirmed it.
    pub username: String,
}

/// A stored labelled example: a target a person confirmed in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetExample {
    /// Stored id.
    pub id: i64,
    /// The plan it corrected.
    pub plan_id: PlanId,
    /// When.
    pub at: DateTime<Utc>,
    /// The correction.
    #[serde(flatten)]
    pub example: NewTargetExample,
}

pub(crate) type ExampleRow = (
    i64,
    i64,
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    String,
    DateTime<Utc>,
);

pub(crate) const EXAMPLE_COLUMNS: &str = "id, plan_id, line, sentence, selection, action, \
     target_index, read, replaced, target, username, at";

fn target_json(t: &Target) -> Result<String, StoreError> {
    serde_json::to_string(t)
        .map_err(|e| StoreError::Invalid(format!("target cannot be serialised: {e}")))
}

fn target_from(s: &str) -> Result<Target, StoreError> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("stored target is unreadable: {e}")))
}

/// The bound values of an example row: `read`, `replaced`, `target` as JSON.
pub(crate) fn example_json(
    e: &NewTargetExample,
) -> Result<(Option<String>, Option<String>, String), StoreError> {
    Ok((
        e.read.as_ref().map(target_json).transpose()?,
        e.replaced.as_ref().map(target_json).transpose()?,
        target_json(&e.target)?,
    ))
}

pub(crate) fn example_from_row(r: ExampleRow) -> Result<TargetExample, StoreError> {
    let count =
        |v: i64| usize::try_from(v).map_err(|_| StoreError::Invalid(format!("bad count {v}")));
    Ok(TargetExample {
        id: r.0,
        plan_id: r.1,
        at: r.11,
        example: NewTargetExample {
            line: count(r.2)?,
            sentence: r.3,
            selection: r.4,
            action: if r.5 == "fix" {
                ExampleAction::Fix
            } else {
                ExampleAction::Add
            },
            target_index: r.6.map(count).transpose()?,
            read: r.7.as_deref().map(target_from).transpose()?,
            replaced: r.8.as_deref().map(target_from).transpose()?,
            target: target_from(&r.9)?,
            username: r.10,
        },
    })
}

pub(crate) fn action_str(a: ExampleAction) -> &'static str {
    a.as_str()
}

/// Plans this one cites, and plans that cite it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PlanLinks {
    /// Stored plans this plan implements (its legal bases that are stored).
    pub implements: Vec<PlanSummary>,
    /// Stored plans that cite this one as a legal basis.
    pub implemented_by: Vec<PlanSummary>,
}

/// The key under which document numbers are compared: diacritics, case
/// and spaces ignored (`07-ĐA/TU` = `07-da/tu`).
pub fn number_key(number: &str) -> String {
    ytcs_core::text::fold(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Storage of plans.
#[async_trait]
pub trait PlanStore: Send + Sync {
    /// Stores a plan read from a document. A document already stored (same
    /// SHA-256) is not stored twice: its id is returned with `false`.
    async fn insert_plan(
        &self,
        plan: &Plan,
        source_text: &str,
    ) -> Result<(PlanId, bool), StoreError>;
    /// Every stored plan, newest document first.
    async fn list_plans(&self) -> Result<Vec<PlanSummary>, StoreError>;
    /// One plan.
    async fn get_plan(&self, id: PlanId) -> Result<Option<StoredPlan>, StoreError>;
    /// Replaces the plan's content with a corrected one, keeping the
    /// previous content as a revision. `false` if there is no such plan.
    async fn revise_plan(&self, id: PlanId, plan: &Plan, note: &str) -> Result<bool, StoreError>;
    /// A correction made from the source ("đây là chỉ tiêu"): replaces the
    /// plan's content like `revise_plan` and keeps the example, in one
    /// transaction. `None` if there is no such plan, else the example's id.
    async fn correct_target(
        &self,
        id: PlanId,
        plan: &Plan,
        note: &str,
        example: &NewTargetExample,
    ) -> Result<Option<i64>, StoreError>;
    /// The labelled examples, of one plan or of all, oldest first.
    async fn target_examples(&self, plan: Option<PlanId>)
        -> Result<Vec<TargetExample>, StoreError>;
    /// Marks the reviewed plan as confirmed. `false` if there is no such plan.
    async fn confirm_plan(&self, id: PlanId) -> Result<bool, StoreError>;
    /// The corrections made to a plan, oldest first.
    async fn plan_revisions(&self, id: PlanId) -> Result<Vec<PlanRevision>, StoreError>;
    /// The cascade around a plan.
    async fn plan_links(&self, id: PlanId) -> Result<PlanLinks, StoreError>;
}

pub(crate) type SummaryRow = (
    i64,
    Option<String>,
    Option<Date>,
    Option<String>,
    Option<String>,
    String,
    Option<DateTime<Utc>>,
);

pub(crate) const SUMMARY_COLUMNS: &str =
    "p.id, p.number, p.date, p.issuer, p.title, p.kind, p.confirmed_at";

pub(crate) fn summary_from_row(r: SummaryRow) -> PlanSummary {
    PlanSummary {
        id: r.0,
        number: r.1,
        date: r.2,
        issuer: r.3,
        title: r.4,
        kind: r.5,
        confirmed_at: r.6,
    }
}

pub(crate) fn to_json(plan: &Plan) -> Result<String, StoreError> {
    serde_json::to_string(plan)
        .map_err(|e| StoreError::Invalid(format!("plan cannot be serialised: {e}")))
}

pub(crate) fn from_json(s: &str) -> Result<Plan, StoreError> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Invalid(format!("stored plan is unreadable: {e}")))
}

pub(crate) fn kind_str(plan: &Plan) -> String {
    serde_json::to_value(plan.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "other".into())
}

/// The (number key, date) of each legal basis that has a number.
pub(crate) fn bases(plan: &Plan) -> Vec<(String, Option<Date>)> {
    let mut v: Vec<(String, Option<Date>)> = plan
        .legal_bases
        .iter()
        .filter_map(|b| b.number.as_deref().map(|n| (number_key(n), b.date)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    v.sort();
    v.dedup();
    v
}

macro_rules! impl_plan_store {
    ($ty:ty, $db:ty) => {
        impl $ty {
            /// Keeps the current content as a revision and writes `plan` in
            /// its place, inside the caller's transaction; `false` if there is
            /// no such plan.
            async fn revise_in(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: $crate::plans::PlanId,
                plan: &ytcs_core::plan::Plan,
                note: &str,
            ) -> Result<bool, $crate::StoreError> {
                let previous: Option<String> = sqlx::query_scalar("SELECT current FROM plan WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(previous) = previous else { return Ok(false) };
                let now = chrono::Utc::now();
                sqlx::query("INSERT INTO plan_revision (plan_id, at, note, content) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(now)
                    .bind(note)
                    .bind(previous)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE plan SET current = $2, kind = $3, number = $4, number_key = $5, date = $6, issuer = $7, \
                     title = $8, updated_at = $9, confirmed_at = NULL WHERE id = $1",
                )
                .bind(id)
                .bind($crate::plans::to_json(plan)?)
                .bind($crate::plans::kind_str(plan))
                .bind(&plan.number)
                .bind(plan.number.as_deref().map($crate::plans::number_key))
                .bind(plan.date)
                .bind(&plan.issuer)
                .bind(&plan.title)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Self::write_bases(tx, id, plan).await?;
                Ok(true)
            }

            async fn write_bases(
                tx: &mut <$db as sqlx::Database>::Connection,
                id: $crate::plans::PlanId,
                plan: &ytcs_core::plan::Plan,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM plan_basis WHERE plan_id = $1").bind(id).execute(&mut *tx).await?;
                for (key, date) in $crate::plans::bases(plan) {
                    sqlx::query("INSERT INTO plan_basis (plan_id, number_key, date) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(key)
                        .bind(date)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::plans::PlanStore for $ty {
            async fn insert_plan(
                &self,
                plan: &ytcs_core::plan::Plan,
                source_text: &str,
            ) -> Result<($crate::plans::PlanId, bool), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM plan WHERE sha256 = $1")
                    .bind(&plan.source.sha256)
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(id) = existing {
                    return Ok((id, false));
                }
                let json = $crate::plans::to_json(plan)?;
                let now = chrono::Utc::now();
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO plan (sha256, source_file, source_text, kind, number, number_key, date, issuer, title, \
                     extracted, current, imported_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, $11) RETURNING id",
                )
                .bind(&plan.source.sha256)
                .bind(&plan.source.file)
                .bind(source_text)
                .bind($crate::plans::kind_str(plan))
                .bind(&plan.number)
                .bind(plan.number.as_deref().map($crate::plans::number_key))
                .bind(plan.date)
                .bind(&plan.issuer)
                .bind(&plan.title)
                .bind(&json)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_bases(&mut tx, id, plan).await?;
                tx.commit().await?;
                Ok((id, true))
            }

            async fn list_plans(&self) -> Result<Vec<$crate::plans::PlanSummary>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM plan p ORDER BY p.date IS NULL, p.date DESC, p.id",
                    $crate::plans::SUMMARY_COLUMNS
                );
                Ok(sqlx::query_as::<_, $crate::plans::SummaryRow>(&sql)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::plans::summary_from_row)
                    .collect())
            }

            async fn get_plan(
                &self,
                id: $crate::plans::PlanId,
            ) -> Result<Option<$crate::plans::StoredPlan>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {}, p.current, p.extracted, p.source_text, p.imported_at, p.updated_at FROM plan p WHERE p.id = $1",
                    $crate::plans::SUMMARY_COLUMNS
                );
                let row = sqlx::query(&sql).bind(id).fetch_optional(&self.pool).await?;
                let Some(row) = row else { return Ok(None) };
                use sqlx::Row;
                let summary = $crate::plans::summary_from_row((
                    row.try_get(0)?,
                    row.try_get(1)?,
                    row.try_get(2)?,
                    row.try_get(3)?,
                    row.try_get(4)?,
                    row.try_get(5)?,
                    row.try_get(6)?,
                ));
                let current: String = row.try_get(7)?;
                let extracted: String = row.try_get(8)?;
                Ok(Some($crate::plans::StoredPlan {
                    summary,
                    plan: $crate::plans::from_json(&current)?,
                    extracted: $crate::plans::from_json(&extracted)?,
                    source_text: row.try_get(9)?,
                    imported_at: row.try_get(10)?,
                    updated_at: row.try_get(11)?,
                }))
            }

            async fn revise_plan(
                &self,
                id: $crate::plans::PlanId,
                plan: &ytcs_core::plan::Plan,
                note: &str,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let found = Self::revise_in(&mut tx, id, plan, note).await?;
                tx.commit().await?;
                Ok(found)
            }

            async fn correct_target(
                &self,
                id: $crate::plans::PlanId,
                plan: &ytcs_core::plan::Plan,
                note: &str,
                example: &$crate::plans::NewTargetExample,
            ) -> Result<Option<i64>, $crate::StoreError> {
                let (read, replaced, target) = $crate::plans::example_json(example)?;
                let mut tx = self.begin_write().await?;
                if !Self::revise_in(&mut tx, id, plan, note).await? {
                    return Ok(None);
                }
                let example_id: i64 = sqlx::query_scalar(
                    "INSERT INTO target_example (plan_id, line, sentence, selection, action, target_index, \
                     read, replaced, target, username, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     RETURNING id",
                )
                .bind(id)
                .bind(i64::try_from(example.line).unwrap_or(i64::MAX))
                .bind(&example.sentence)
                .bind(&example.selection)
                .bind($crate::plans::action_str(example.action))
                .bind(example.target_index.map(|i| i64::try_from(i).unwrap_or(i64::MAX)))
                .bind(read)
                .bind(replaced)
                .bind(target)
                .bind(&example.username)
                .bind(chrono::Utc::now())
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Some(example_id))
            }

            async fn target_examples(
                &self,
                plan: Option<$crate::plans::PlanId>,
            ) -> Result<Vec<$crate::plans::TargetExample>, $crate::StoreError> {
                let sql = format!(
                    "SELECT {} FROM target_example WHERE ($1 IS NULL OR plan_id = $1) ORDER BY id",
                    $crate::plans::EXAMPLE_COLUMNS
                );
                sqlx::query_as::<_, $crate::plans::ExampleRow>(&sql)
                    .bind(plan)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map($crate::plans::example_from_row)
                    .collect()
            }

            async fn confirm_plan(&self, id: $crate::plans::PlanId) -> Result<bool, $crate::StoreError> {
                let r = sqlx::query("UPDATE plan SET confirmed_at = $2 WHERE id = $1")
                    .bind(id)
                    .bind(chrono::Utc::now())
                    .execute(&self.pool)
                    .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn plan_revisions(
                &self,
                id: $crate::plans::PlanId,
            ) -> Result<Vec<$crate::plans::PlanRevision>, $crate::StoreError> {
                let rows: Vec<(chrono::DateTime<chrono::Utc>, String)> =
                    sqlx::query_as("SELECT at, note FROM plan_revision WHERE plan_id = $1 ORDER BY id")
                        .bind(id)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(|(at, note)| $crate::plans::PlanRevision { at, note }).collect())
            }

            async fn plan_links(&self, id: $crate::plans::PlanId) -> Result<$crate::plans::PlanLinks, $crate::StoreError> {
                // A basis matches a plan by number; where both carry a date
                // the dates must agree too.
                let implements_sql = format!(
                    "SELECT DISTINCT {} FROM plan_basis b JOIN plan p ON p.number_key = b.number_key \
                     AND (b.date IS NULL OR p.date IS NULL OR p.date = b.date) \
                     WHERE b.plan_id = $1 AND p.id <> $1 ORDER BY p.id",
                    $crate::plans::SUMMARY_COLUMNS
                );
                let by_sql = format!(
                    "SELECT DISTINCT {} FROM plan me JOIN plan_basis b ON b.number_key = me.number_key \
                     AND (b.date IS NULL OR me.date IS NULL OR me.date = b.date) \
                     JOIN plan p ON p.id = b.plan_id WHERE me.id = $1 AND p.id <> $1 ORDER BY p.id",
                    $crate::plans::SUMMARY_COLUMNS
                );
                let get = |sql: String| async move {
                    Ok::<_, $crate::StoreError>(
                        sqlx::query_as::<_, $crate::plans::SummaryRow>(&sql)
                            .bind(id)
                            .fetch_all(&self.pool)
                            .await?
                            .into_iter()
                            .map($crate::plans::summary_from_row)
                            .collect::<Vec<_>>(),
                    )
                };
                Ok($crate::plans::PlanLinks { implements: get(implements_sql).await?, implemented_by: get(by_sql).await? })
            }
        }
    };
}

impl_plan_store!(crate::SqliteStore, sqlx::Sqlite);
impl_plan_store!(crate::PgStore, sqlx::Postgres);
