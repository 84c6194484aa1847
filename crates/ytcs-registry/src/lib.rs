//! The health-network registry's files: one table per kind of record
//! (facilities, staff, training, villages, population) as CSV or XLSX with
//! Vietnamese headers, blank templates and FHIR R4 mCSD bundles.
//!
//! An import reads every row, resolves unit codes on the dates the rows
//! give, validates the whole batch together with what is stored and writes
//! it in one transaction: on any error nothing is written and every bad row
//! is reported with its line and reason.
//!
//! [`mcsd::bundle`] writes the mCSD bundle. The registry's types and rules
//! live in `ytcs_core::network` (validation, `YearValues`,
//! `network_indicator`) and `ytcs_core::rollup`; storage is `ytcs-store`'s
//! `NetworkStore` (`hierarchy`, `network`, `add_network`, `add_units`,
//! `add_reform`). Spreadsheets are read through `ytcs-sheet`. The demo
//! network is `ytcs_synth::demo_network`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod mcsd;
mod table;

pub use table::{export, import, parse_rows, template, Format, Table};

/// What can go wrong with a registry file.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Rows that cannot be imported; nothing was written.
    #[error("nothing was imported; {} problem(s):\n{}", .0.len(), .0.join("\n"))]
    Rows(Vec<String>),
    /// The file cannot be read as the format claims.
    #[error("cannot read {what}: {message}")]
    Read {
        /// What was being read.
        what: String,
        /// Why not.
        message: String,
    },
    /// Writing XLSX failed.
    #[error("cannot write XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
    /// The store refused the batch.
    #[error(transparent)]
    Write(#[from] ytcs_store::network::WriteError),
}
