//! Writers that skip a rule the engine keeps, for the engine alone.
//!
//! Register records are written through `ytcs-engine::registers::save`
//! (which checks a batch and writes the values it changes first), or
//! loaded whole from a generator and then derived
//! (`ytcs-engine::registers::sync`); values derived from the registers
//! are written by that derivation only. These traits hold the raw
//! writers those paths use, reachable only through [`writes`] (the one
//! constructor of the [`Key`] that [`crate::Store::as_raw`] asks for), so
//! a caller must name this module; `crates/ytcs-store/tests/raw_writers.rs`
//! fails when a file outside the engine's derivation, the generators'
//! loaders and tests names it. So a page, an import or a command cannot
//! write records or derived values around the rules by mistake.

use async_trait::async_trait;
use ytcs_core::hierarchy::Hierarchy;

use crate::network::WriteError;
use crate::registers::{BatchSource, IdMap, RegisterBatch};
use crate::values::ValueWrite;
use crate::StoreError;

/// The registers' raw writers.
#[async_trait]
pub trait RawRegisterWrites: Send + Sync {
    /// Writes a batch in one transaction (nothing on error). Rows with a
    /// positive id replace the stored row; negative ids are placeholders.
    /// Derives nothing: `ytcs-engine::registers::save` is the way in.
    async fn write_registers(&self, batch: &RegisterBatch, by: &str) -> Result<IdMap, StoreError>;
    /// Loads a generated register quickly: explicit positive ids, rows
    /// that do not exist yet; one transaction. Derives nothing: the
    /// loader runs `ytcs-engine::registers::sync` after.
    async fn bulk_load(&self, batch: &RegisterBatch, by: &str) -> Result<(), StoreError> {
        self.bulk_load_from(&mut Some(batch), by).await
    }
    /// [`RawRegisterWrites::bulk_load`] of the batches `source` hands
    /// over one at a time (a province generated a group of communes at a
    /// time: only one group's records are held), all in one transaction:
    /// nothing is written if the source or a write fails.
    async fn bulk_load_from(
        &self,
        source: &mut dyn BatchSource,
        by: &str,
    ) -> Result<(), StoreError>;
}

/// The derivation's writer of values.
#[async_trait]
pub trait RawValueWrites: Send + Sync {
    /// [`crate::ValueStore::write_values`] for the registers' derivation
    /// (`ytcs-engine::registers`, the one caller): values derived from the
    /// registers are written, not refused.
    async fn write_derived_values(
        &self,
        h: &Hierarchy,
        writes: &[ValueWrite],
        by: &str,
    ) -> Result<usize, WriteError>;
}

/// Both raw writers.
pub trait RawWrites: RawRegisterWrites + RawValueWrites {}

impl<T: RawRegisterWrites + RawValueWrites> RawWrites for T {}

/// What [`crate::Store::as_raw`] asks for: made only by [`writes`].
pub struct Key(());

/// The raw writers of `store`.
pub fn writes(store: &dyn crate::Store) -> &dyn RawWrites {
    store.as_raw(Key(()))
}
