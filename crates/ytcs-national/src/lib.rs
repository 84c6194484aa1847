//! The national tier: each province publishes its aggregate values and
//! its person-level records, pseudonymised, as Parquet files in a shared
//! warehouse ([`publish`]); the warehouse accepts a publication only
//! whole and checked ([`accept`]), and keeps one manifest per province
//! naming its published files ([`layout`]).
//!
//! The pure parts (the layout, the pseudonyms, which codes a province
//! owns) have no I/O; [`files`] reads and writes Parquet, [`accept`] the
//! warehouse's folders, [`publish`] reads the province's store.

pub mod accept;
pub mod files;
pub mod layout;
pub mod owned;
pub mod pseudonym;
pub mod publish;

use std::path::Path;

pub use accept::{accept, published, Accepted};
pub use layout::{FileEntry, Kind, Manifest};
pub use pseudonym::NationalKey;
pub use publish::{publish, Publication};

/// What can go wrong in the national tier.
#[derive(Debug, thiserror::Error)]
pub enum NationalError {
    /// A publication was refused; the warehouse keeps the previous one.
    #[error("publication refused: {0}")]
    Refused(String),
    /// Not a province of today.
    #[error("{0} is not the code of a province of today (since 1 July 2025 there are 34)")]
    UnknownProvince(String),
    /// A row that does not fit its file's columns (a bug, not bad input).
    #[error("a row does not fit its file: {0}")]
    Row(String),
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("Arrow: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
    #[error("manifest {path}: {source}")]
    Manifest {
        path: String,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
    #[error(transparent)]
    Key(#[from] pseudonym::ShortKey),
}

impl NationalError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        NationalError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Bytes as lowercase hexadecimal (checksums, pseudonyms).
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
