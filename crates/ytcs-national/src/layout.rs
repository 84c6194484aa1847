//! The warehouse's layout: what each kind of file holds (its columns),
//! where it lies (Hive-style folders), and the manifest that says which
//! files are a province's published partition.
//!
//! ```text
//! WAREHOUSE/
//!   kind=values/province=01/year=2024/part-<publication>.parquet
//!   kind=persons/province=01/part-<publication>.parquet
//!   kind=moves/province=01/part-<publication>.parquet
//!   kind=cards/province=01/part-<publication>.parquet
//!   kind=events/province=01/year=2024/part-<publication>.parquet
//!   manifests/province=01.json      the published partition
//!   incoming/province=01/<publication>/…   a publication being checked
//! ```
//!
//! Readers read the files a manifest lists, never a folder's listing:
//! a publication's files are written before its manifest replaces the
//! previous one (one rename), and the previous files are removed after,
//! so a folder may hold both for a moment. Paths are relative to the
//! root with `/` separators, so that an object store's keys can take the
//! folders' place.
//!
//! The partition values are text (`province=01` is Hà Nội, not the
//! number 1): a reader turns its type inference off (Spark:
//! `spark.sql.sources.partitionColumnTypeInference.enabled=false`) and
//! passes the root as `basePath`, so that `kind`, `province` and `year`
//! come back as columns. Spark 4.3 through Spark Connect read a
//! published warehouse so, file list from the manifest, rows as counted.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

/// A kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Aggregate values as recorded: element, unit, period, disaggregation.
    Values,
    /// Persons, pseudonymised.
    Persons,
    /// Moves between communes.
    Moves,
    /// Health-insurance cards (validity only).
    Cards,
    /// Person-level events.
    Events,
}

impl Kind {
    /// Every kind, in the order a publication writes them.
    pub const ALL: [Kind; 5] = [
        Kind::Values,
        Kind::Persons,
        Kind::Moves,
        Kind::Cards,
        Kind::Events,
    ];

    /// The folder's name (`kind=…`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Values => "values",
            Kind::Persons => "persons",
            Kind::Moves => "moves",
            Kind::Cards => "cards",
            Kind::Events => "events",
        }
    }

    /// Whether its files are split by year (`year=…`).
    pub fn by_year(self) -> bool {
        matches!(self, Kind::Values | Kind::Events)
    }

    /// Its columns. The partition columns (`kind`, `province`, `year`)
    /// are the folders', not the files'.
    pub fn schema(self) -> Arc<Schema> {
        let f = |name: &str, t: DataType, null: bool| Field::new(name, t, null);
        use DataType::{Boolean, Date32, Float64, Int32, Int64, Utf8};
        let fields = match self {
            Kind::Values => vec![
                f("element", Utf8, false),
                f("org", Utf8, false),
                f("period", Utf8, false),
                f("period_start", Date32, false),
                f("period_end", Date32, false),
                f("disagg", Utf8, false),
                // Thousandths, exact (the store's fixed point).
                f("value_milli", Int64, false),
            ],
            Kind::Persons => vec![
                f("person", Int64, false),
                // HMAC-SHA-256 of the citizen id under the national key.
                f("pseudonym", Utf8, true),
                f("sex", Utf8, false),
                // The first day of the month of birth.
                f("birth_month", Date32, false),
                f("ethnicity", Utf8, false),
                f("commune", Utf8, false),
                f("registered_on", Date32, false),
                f("ehr_opened_on", Date32, true),
                f("death_date", Date32, true),
            ],
            Kind::Moves => vec![
                f("person", Int64, false),
                f("on_date", Date32, false),
                f("from_commune", Utf8, true),
                f("to_commune", Utf8, true),
            ],
            Kind::Cards => vec![
                f("person", Int64, false),
                f("valid_from", Date32, false),
                f("valid_to", Date32, false),
            ],
            Kind::Events => vec![
                f("id", Int64, false),
                f("person", Int64, false),
                f("on_date", Date32, false),
                f("unit", Utf8, false),
                f("kind", Utf8, false),
                f("code", Utf8, true),
                f("dose", Int32, true),
                f("value1", Float64, true),
                f("value2", Float64, true),
                f("value3", Float64, true),
                f("flag", Boolean, false),
                f("ref_id", Int64, true),
                f("ref_date", Date32, true),
                f("end_date", Date32, true),
                f("outcome", Utf8, true),
                f("flags", Utf8, false),
            ],
        };
        Arc::new(Schema::new(fields))
    }

    /// The folder of a province's files of this kind (of `year`).
    pub fn folder(self, province: &str, year: Option<i32>) -> String {
        match year {
            Some(y) => format!("kind={}/province={province}/year={y}", self.name()),
            None => format!("kind={}/province={province}", self.name()),
        }
    }
}

/// The file of the published manifest of `province`.
pub fn manifest_path(province: &str) -> String {
    format!("manifests/province={province}.json")
}

/// The folder of a publication being checked.
pub fn incoming_folder(province: &str, publication: &str) -> String {
    format!("incoming/province={province}/{publication}")
}

/// Version of the files' columns; a reader refuses another.
pub const SCHEMA_VERSION: u32 = 1;

/// What a province published: its files, with their rows and checksums.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The province's code (of the units since 1 July 2025).
    pub province: String,
    /// Its name.
    pub province_name: String,
    /// The publication's id (its time and a content digest).
    pub publication: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
    /// The ytcs that published it.
    pub ytcs_version: String,
    /// [`SCHEMA_VERSION`] of its files.
    pub schema_version: u32,
    /// Its files.
    pub files: Vec<FileEntry>,
}

/// One published file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its kind.
    pub kind: Kind,
    /// Its year, for a kind split by year.
    pub year: Option<i32>,
    /// Its path from the warehouse's root.
    pub path: String,
    /// Rows in it.
    pub rows: u64,
    /// Bytes.
    pub bytes: u64,
    /// SHA-256 of its bytes, hexadecimal.
    pub sha256: String,
}

impl Manifest {
    /// Rows of a kind over its files.
    pub fn rows(&self, kind: Kind) -> u64 {
        self.files
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.rows)
            .sum()
    }

    /// Whether `other` holds the same contents (the same files by kind,
    /// year and checksum), whatever their names and times.
    pub fn same_contents(&self, other: &Manifest) -> bool {
        let key = |m: &Manifest| {
            let mut k: Vec<(Kind, Option<i32>, String)> = m
                .files
                .iter()
                .map(|f| (f.kind, f.year, f.sha256.clone()))
                .collect();
            k.sort();
            k
        };
        self.schema_version == other.schema_version && key(self) == key(other)
    }
}
