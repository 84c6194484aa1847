//! Storage of plans read from documents.

use async_trait::async_trait;

/// Storage of plans.
#[async_trait]
pub trait PlanStore: Send + Sync {}

#[async_trait]
impl PlanStore for crate::SqliteStore {}

#[async_trait]
impl PlanStore for crate::PgStore {}
