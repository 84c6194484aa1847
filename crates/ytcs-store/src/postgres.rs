//! The PostgreSQL engine.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{redact, StoreError};

/// A store in a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
    /// The hierarchy and registry as last read (see `common::ReadCache`).
    pub(crate) cache: std::sync::Arc<crate::common::ReadCache>,
    /// Every period's totals in memory (see `values::HeldColumns`).
    pub(crate) columns: std::sync::Arc<crate::values::HeldColumns>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgStore")
    }
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PgStore {
    /// Connects (giving up after 10 s) and migrates.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|source| StoreError::Connect {
                target: redact(url),
                source,
            })?;
        MIGRATOR.run(&pool).await?;
        Ok(PgStore {
            pool,
            cache: Default::default(),
            columns: Default::default(),
        })
    }
}

crate::common::impl_store!(PgStore, sqlx::Postgres, "postgres");
