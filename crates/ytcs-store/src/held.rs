//! The value columns a store holds, and the rules of keeping them
//! current: load (held, else the snapshot, else a fold of the raw
//! values), snapshot, compare with the raw values. The same for both
//! engines; what differs (how the generation, the raw values and the
//! snapshot's stamp are read) is [`ColumnSource`], implemented by
//! `impl_value_store!` with SQL only. See [`crate::values`] for the
//! invariant the columns keep.

use async_trait::async_trait;
use tokio::sync::RwLockReadGuard;

use crate::columns::Columns;
use crate::values::{RebuildReport, SNAPSHOT_AFTER};
use crate::StoreError;

/// Where held columns come from: one engine's database.
#[async_trait]
pub(crate) trait ColumnSource: Sync {
    /// The values generation stored now (0 before the first write).
    async fn generation(&self) -> Result<i64, StoreError>;
    /// Every raw value folded into columns, with the generation they are
    /// of and the number of raw values (read in one transaction).
    async fn fold_raw(&self) -> Result<(i64, Columns, usize), StoreError>;
    /// The snapshot's stamp stored in `meta` (`GENERATION:TOKEN`).
    async fn snapshot_stamp(&self) -> Result<Option<String>, StoreError>;
    /// Stores the snapshot's stamp in `meta`.
    async fn set_snapshot_stamp(&self, stamp: &str) -> Result<(), StoreError>;
}

/// The value columns a store holds, stamped with the values generation
/// they are current at (see [`crate::values`]), and where their
/// snapshot file is kept (SQLite: beside the database; none in memory or
/// on PostgreSQL, which folds them from its raw values when it starts).
///
/// **Lock order.** Never hold the columns' lock while writing `meta`: a
/// writer of values holds the database's write lock while it waits for
/// the columns' lock, so the two would wait for each other (a server
/// under load stalled a minute at a time so, until the busy timeout).
/// So a snapshot file is written under the lock and its stamp set after
/// ([`HeldColumns::stamp`]).
#[derive(Debug, Default)]
pub(crate) struct HeldColumns {
    pub(crate) state: tokio::sync::RwLock<Option<(i64, Columns)>>,
    pub(crate) snapshot: Option<std::path::PathBuf>,
}

impl HeldColumns {
    /// Columns kept at `path` (the database file's name + `.columns`).
    pub(crate) fn beside(db: &std::path::Path) -> HeldColumns {
        HeldColumns {
            state: Default::default(),
            snapshot: Some(std::path::PathBuf::from(format!(
                "{}.columns",
                db.display()
            ))),
        }
    }

    /// The columns, current at the stored generation: held ones, else
    /// the snapshot's, else a fold of the raw values (which leaves a
    /// snapshot when it is large).
    pub(crate) async fn current<'a>(
        &'a self,
        src: &impl ColumnSource,
    ) -> Result<RwLockReadGuard<'a, Columns>, StoreError> {
        loop {
            let generation = src.generation().await?;
            {
                let held = self.state.read().await;
                if held.as_ref().is_some_and(|(g, _)| *g == generation) {
                    return Ok(RwLockReadGuard::map(held, |h| {
                        &h.as_ref().expect("checked above").1
                    }));
                }
            }
            let mut held = self.state.write().await;
            if held.as_ref().is_some_and(|(g, _)| *g == generation) {
                continue;
            }
            let started = std::time::Instant::now();
            let (generation, columns, stamp) = match self.snapshot_of(src, generation).await? {
                Some(c) => (generation, c, None),
                None => {
                    let (g, c, _) = src.fold_raw().await?;
                    let stamp = if c.len() >= SNAPSHOT_AFTER {
                        self.write_snapshot_file(g, &c)
                    } else {
                        None
                    };
                    (g, c, stamp)
                }
            };
            tracing::info!(
                rows = columns.len(),
                seconds = started.elapsed().as_secs_f64(),
                "value columns loaded"
            );
            *held = Some((generation, columns));
            drop(held);
            self.stamp(src, stamp).await;
        }
    }

    /// The columns from the snapshot, when its stamp is the one `meta`
    /// holds for `generation`.
    async fn snapshot_of(
        &self,
        src: &impl ColumnSource,
        generation: i64,
    ) -> Result<Option<Columns>, StoreError> {
        let Some(path) = self.snapshot.clone() else {
            return Ok(None);
        };
        let Some(stamp) = src.snapshot_stamp().await? else {
            return Ok(None);
        };
        let read = tokio::task::spawn_blocking(move || Columns::read_snapshot(&path))
            .await
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        match read {
            Ok(Some((s, c)))
                if s.generation == generation
                    && stamp == format!("{}:{}", s.generation, s.token) =>
            {
                Ok(Some(c))
            }
            Ok(_) => Ok(None),
            Err(e) => {
                tracing::warn!(error = %e, "value snapshot unreadable; reading the raw values");
                Ok(None)
            }
        }
    }

    /// Writes the snapshot file of `columns` (at `generation`) and returns
    /// its stamp, to be set in `meta` once the columns' lock is let go
    /// ([`HeldColumns::stamp`]); a failure is logged, never fatal (the
    /// raw values stay the truth). None without a snapshot file (memory,
    /// PostgreSQL).
    pub(crate) fn write_snapshot_file(&self, generation: i64, columns: &Columns) -> Option<String> {
        let path = self.snapshot.clone()?;
        let stamp = crate::columns::Stamp {
            generation,
            token: fresh_token(),
        };
        if let Err(e) = columns.write_snapshot(&path, stamp) {
            tracing::warn!(error = %e, path = %path.display(), "value snapshot not written");
            return None;
        }
        Some(format!("{}:{}", stamp.generation, stamp.token))
    }

    /// Sets the stamp of the snapshot just written in `meta` (call it
    /// holding no lock of the columns); a failure is logged.
    pub(crate) async fn stamp(&self, src: &impl ColumnSource, stamp: Option<String>) {
        let Some(text) = stamp else {
            return;
        };
        if let Err(e) = src.set_snapshot_stamp(&text).await {
            tracing::warn!(error = %e, "value snapshot stamp not written");
        }
    }

    /// Writes the snapshot of the held columns unless the stored stamp is
    /// already theirs (on close).
    pub(crate) async fn snapshot_on_close(&self, src: &impl ColumnSource) {
        if self.snapshot.is_none() {
            return;
        }
        let held = self.state.read().await;
        let mut written = None;
        if let Some((g, c)) = held.as_ref() {
            let stamp = src.snapshot_stamp().await.ok().flatten();
            let current = stamp
                .as_deref()
                .and_then(|s| s.split_once(':'))
                .is_some_and(|(sg, _)| sg == g.to_string());
            if !current && c.len() > 0 {
                written = self.write_snapshot_file(*g, c);
            }
        }
        drop(held);
        self.stamp(src, written).await;
    }

    /// Compares the held columns with a fold of the raw values and, with
    /// `apply`, replaces them by the fold when they differ (unless a
    /// write came in meanwhile: then the next read folds again).
    pub(crate) async fn rebuild(
        &self,
        src: &impl ColumnSource,
        apply: bool,
    ) -> Result<RebuildReport, StoreError> {
        let (generation, expected, values) = src.fold_raw().await?;
        let diff = {
            let held = self.current(src).await?;
            expected.compare(&held)
        };
        let mut report = RebuildReport {
            values,
            aggregates: expected.len(),
            missing: diff.missing,
            extra: diff.extra,
            different: diff.different,
            applied: false,
        };
        if apply && !report.equal() {
            let mut held = self.state.write().await;
            let mut stamp = None;
            if src.generation().await? == generation {
                stamp = self.write_snapshot_file(generation, &expected);
                *held = Some((generation, expected));
                report.applied = true;
            } else {
                *held = None;
            }
            drop(held);
            self.stamp(src, stamp).await;
        }
        Ok(report)
    }
}

/// A token no other writer of a snapshot file has (its temporary file is
/// named by it).
fn fresh_token() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}
