//! Storage of the health network: facilities, staff, villages, population.
//! (Filled in by the network capability; the trait is part of [`crate::Store`].)

use async_trait::async_trait;

/// Storage of the health network.
#[async_trait]
pub trait NetworkStore: Send + Sync {}

#[async_trait]
impl NetworkStore for crate::SqliteStore {}

#[async_trait]
impl NetworkStore for crate::PgStore {}
