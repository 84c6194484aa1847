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
    /// Every period's totals in memory (see `held::HeldColumns`).
    pub(crate) columns: std::sync::Arc<crate::held::HeldColumns>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgStore")
    }
}

pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl PgStore {
    /// A connection to the server of `server` on which the database
    /// `name` (letters, digits, `_`) has just been dropped, if it was there.
    async fn dropping(server: &str, name: &str) -> Result<sqlx::PgConnection, StoreError> {
        use sqlx::Connection;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Invalid(format!("not a database name: {name}")));
        }
        let mut conn = sqlx::PgConnection::connect(server)
            .await
            .map_err(|source| StoreError::Connect {
                target: redact(server),
                source,
            })?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await?;
        Ok(conn)
    }

    /// Creates the database `name` (letters, digits, `_`) on the server
    /// of `server` (a URL of any database there; the role needs CREATEDB),
    /// replacing one of that name, and returns its URL: a benchmark's
    /// fresh database.
    pub async fn create_database(server: &str, name: &str) -> Result<String, StoreError> {
        let (base, query) = server.split_once('?').unwrap_or((server, ""));
        let Some(slash) = base
            .find("://")
            .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
        else {
            return Err(StoreError::Invalid(format!(
                "not a URL like postgres://user@host:port/database: {}",
                redact(server)
            )));
        };
        let url = if query.is_empty() {
            format!("{}/{name}", &base[..slash])
        } else {
            format!("{}/{name}?{query}", &base[..slash])
        };
        let mut conn = Self::dropping(server, name).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await?;
        sqlx::Connection::close(conn).await?;
        Ok(url)
    }

    /// Drops the database `name` made by [`PgStore::create_database`].
    pub async fn drop_database(server: &str, name: &str) -> Result<(), StoreError> {
        let conn = Self::dropping(server, name).await?;
        sqlx::Connection::close(conn).await?;
        Ok(())
    }

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
        let store = PgStore {
            pool,
            cache: Default::default(),
            columns: Default::default(),
        };
        crate::pg_bulk::recover(&store).await?;
        Ok(store)
    }
}

crate::common::impl_store!(PgStore, sqlx::Postgres, "postgres");
