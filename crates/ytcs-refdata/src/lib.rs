//! Reference data of Vietnam that ships inside ytcs.
//!
//! [`admin_units`] turns the official lists embedded from `data/vn-admin/`
//! (see `data/PROVENANCE.md`) into org units, dated parent links and the
//! lineage of the reform in force on 2025-07-01 and of the changes of 2026
//! (in force on 2026-04-30, 2026-09-01 and 2026-09-20). The rules, decided
//! once and written here:
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
//! - The conversion table is reconciled with the list by code, name and
//!   district through `data/vn-admin/corrections-2025-07-01.csv` (made by
//!   `scripts/vn_admin_corrections.py`): a row whose old code names another
//!   commune (folded names differ) is accepted as is (`spelling`, `retyped`,
//!   `renamed`) or re-pointed (`wrong_code`: to the commune of that name in
//!   that district; `interim`: a unit formed between the lists, to the
//!   nearest lower listed code of its district); an old commune with no row
//!   gets the successor of its `missing_row` line. Every line cites its
//!   source or says which rule chose it.
//! - The loader refuses data that would lose or misplace history
//!   ([`RefDataError::NameCodeMismatch`] for a row whose code and name
//!   disagree with no correction, [`RefDataError::NoSuccessor`] and
//!   [`RefDataError::SuccessorWeights`] for a commune that ends without
//!   successors whose weights sum to 1); [`admin_units_from`] takes the texts
//!   as parameters so tests can doctor them.
//! - Later changes (`data/vn-admin/changes-2026.csv`: the first in force on
//!   [`REFORM_2026_DATE`], then 2026-09-01 and 2026-09-20) are dated rows
//!   "unit ends, successor starts, kind, weight": the unit ends the day
//!   before, its successor (a new unit, even under the same code) starts
//!   that day, and parent links that cross the date are re-pointed; units
//!   not named continue unchanged. Rows are applied in date order (file
//!   order within a date), so a unit may change more than once; the new
//!   units get ids after every earlier one.
//!   Today's rows: Đồng Nai a city and ten of its communes wards on
//!   2026-04-30, Quảng Ninh a city on 2026-09-01, Bắc Ninh a city and
//!   twelve wards on 2026-09-20.
//!
//! [`growth_standards`] reads the WHO Child Growth Standards tables embedded
//! from `data/who-growth/` for `ytcs_core::growth`.
//!
//! [`REPORT_FORMS`] are the statutory report forms of the reporting
//! regime, one TOML file per circular from `data/report-forms/`
//! (`ytcs_core::statutory` reads and checks them).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod admin;
mod growth;

pub use admin::{
    admin_units, admin_units_from, AdminUnits, RefDataError, Sources, REFORM_2026_DATE, REFORM_DATE,
};
pub use growth::{growth_standards, GrowthDataError};

/// The statutory report forms compiled in: `(file, text)`, one file per
/// circular. A new circular is a new file here (or, without rebuilding,
/// in a data directory's `report-forms/`).
pub const REPORT_FORMS: &[(&str, &str)] = &[
    (
        "data/report-forms/tt-37-2019.toml",
        include_str!("../../../data/report-forms/tt-37-2019.toml"),
    ),
    (
        "data/report-forms/tt-23-2025.toml",
        include_str!("../../../data/report-forms/tt-23-2025.toml"),
    ),
];
