//! What every store suite shares: a fresh store on each engine, and the
//! macro that runs one behaviour on both. The PostgreSQL side uses a real
//! server started by the test kit, and fails (never skips) without one.
#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use ytcs_refdata::AdminUnits;
use ytcs_store::{Store, StoreConfig};

/// The reference units, built once per test binary.
pub fn admin() -> &'static AdminUnits {
    static A: OnceLock<AdminUnits> = OnceLock::new();
    A.get_or_init(|| ytcs_refdata::admin_units().unwrap())
}

/// A fresh SQLite store in a temp dir (kept alive by the returned guard),
/// with the reference units when asked.
pub async fn sqlite(with_units: bool) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    let dir = tempfile::tempdir().unwrap();
    let store = ytcs_store::open(&StoreConfig::Sqlite {
        path: dir.path().join("t.db"),
    })
    .await
    .unwrap();
    if with_units {
        store.load_admin_units(admin()).await.unwrap();
    }
    (store, Some(dir))
}

/// A fresh database on the shared test PostgreSQL server, with the
/// reference units when asked.
pub async fn postgres(with_units: bool) -> (Arc<dyn Store>, Option<tempfile::TempDir>) {
    let url = ytcs_testkit::TestPostgres::shared()
        .fresh_database()
        .expect("a fresh PostgreSQL database");
    let store = ytcs_store::open(&StoreConfig::Postgres { url })
        .await
        .unwrap();
    if with_units {
        store.load_admin_units(admin()).await.unwrap();
    }
    (store, None)
}

/// Which engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh store together with the configuration that opens it, for
/// behaviours that need more than the store (backups, a second database).
pub struct Fresh {
    pub engine: Engine,
    pub store: Arc<dyn Store>,
    pub config: StoreConfig,
    _dir: Option<tempfile::TempDir>,
}

impl Fresh {
    /// A fresh store on `engine`, with the reference units when asked.
    pub async fn new(engine: Engine, with_units: bool) -> Fresh {
        let (config, dir) = Fresh::unopened(engine);
        let store = ytcs_store::open(&config).await.unwrap();
        if with_units {
            store.load_admin_units(admin()).await.unwrap();
        }
        Fresh {
            engine,
            store,
            config,
            _dir: dir,
        }
    }

    /// The configuration of a database of the same engine that nothing has
    /// opened yet: a path in a new temp dir (kept alive by the returned
    /// guard), or a new empty PostgreSQL database.
    pub fn another(&self) -> (StoreConfig, Option<tempfile::TempDir>) {
        Fresh::unopened(self.engine)
    }

    pub fn unopened(engine: Engine) -> (StoreConfig, Option<tempfile::TempDir>) {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("t.db");
                (StoreConfig::Sqlite { path }, Some(dir))
            }
            Engine::Postgres => {
                let url = ytcs_testkit::TestPostgres::shared()
                    .fresh_database()
                    .expect("a fresh PostgreSQL database");
                (StoreConfig::Postgres { url }, None)
            }
        }
    }
}

/// `both_engines!(units: true; a, b)` runs the async fns `a` and `b`
/// (taking an `Arc<dyn Store>`) once on SQLite and once on PostgreSQL;
/// `both_engines!(fresh units: true; a)` passes a [`Fresh`] instead.
macro_rules! both_engines {
    (fresh units: $units:expr; $($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $name() { super::$name(super::common::Fresh::new(super::common::Engine::Sqlite, $units).await).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $name() { super::$name(super::common::Fresh::new(super::common::Engine::Postgres, $units).await).await; })*
        }
    };
    (units: $units:expr; $($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(#[tokio::test] async fn $name() { let (s, _g) = super::common::sqlite($units).await; super::$name(s).await; })*
        }
        mod on_postgres {
            $(#[tokio::test] async fn $name() { let (s, _g) = super::common::postgres($units).await; super::$name(s).await; })*
        }
    };
}

/// The total of `element` (one disaggregation, or all when `""`) over
/// `unit` and the units under it on the period's last day, summed from
/// the units' own totals as the pages read them (`period_values`); `None`
/// when nothing is recorded there.
pub async fn subtree_total(
    s: &Arc<dyn Store>,
    h: &ytcs_core::hierarchy::Hierarchy,
    element: &str,
    disagg: &str,
    unit: ytcs_core::org::UnitId,
    period: ytcs_core::period::Period,
) -> Option<ytcs_core::aggregate::Fixed> {
    let day = period.end();
    let under =
        |u: ytcs_core::org::UnitId| u == unit || h.ancestors(u, day).iter().any(|a| a.id == unit);
    let values: Vec<f64> = s
        .period_values(period)
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.element == element && (disagg.is_empty() || v.disagg == disagg))
        .filter(|v| under(v.unit))
        .map(|v| v.value)
        .collect();
    (!values.is_empty())
        .then(|| ytcs_core::aggregate::Fixed((values.iter().sum::<f64>() * 1000.0).round() as i64))
}
