//! Reference data of Vietnam that ships inside ytcs.
//!
//! [`admin_units`] turns the official lists embedded from `data/vn-admin/`
//! (see `data/PROVENANCE.md`) into org units, dated parent links and the
//! lineage of the reform in force on 2025-07-01. The rules, decided once and
//! written here:
//!
//! - One country unit `VN` is the root on every date.
//! - Units before the reform (63 provinces, 696 districts, 10,056 communes as
//!   listed on 2025-01-04) are valid until 2025-06-30 with an unknown start.
//! - A unit whose territory did not change (the same code, the same name up
//!   to diacritics, one predecessor taken whole that went nowhere else)
//!   *continues*: it is one unit valid on both sides, and only its parent
//!   link changes (its district until 2025-06-30, its province after).
//! - Every other unit after the reform is new, valid from 2025-07-01, with
//!   lineage from its predecessors: `merge` for a whole transfer, `split`
//!   for a part, `rename` for one whole predecessor under a new name.
//!   Districts end on 2025-06-30 with `level_abolished` edges to the units
//!   that took their territory.
//! - The weight of an edge is the share of the predecessor's *population*
//!   assumed to move: 1 for a whole transfer; for a predecessor split among
//!   several successors, the successors marked "toàn bộ dân số" share it,
//!   else all share it equally (the table gives no finer figure; weights can
//!   be corrected by hand later). Province and district weights are the
//!   sums of their communes' weights, normalised.
//!
//! [`growth_standards`] reads the WHO Child Growth Standards tables embedded
//! from `data/who-growth/` for `ytcs_core::growth`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod growth;

pub use admin::{admin_units, AdminUnits, RefDataError, REFORM_DATE};
pub use growth::{growth_standards, GrowthDataError};
