//! Read models assembled from several store calls: what a unit page, the
//! API and `ytcs org show` all print about one unit.

use serde::Serialize;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit};
use ytcs_core::Date;

use crate::{LineageNeighbour, Store, StoreError};

/// A unit in a list: code, name, kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRef {
    /// Official code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Kind (`province`, `commune` …).
    pub kind: OrgKind,
    /// First valid day, if known.
    pub valid_from: Option<Date>,
    /// Last valid day, if it has ended.
    pub valid_to: Option<Date>,
}

impl From<&OrgUnit> for UnitRef {
    fn from(u: &OrgUnit) -> Self {
        UnitRef {
            code: u.code.to_string(),
            name: u.name.clone(),
            kind: u.kind,
            valid_from: u.validity.from,
            valid_to: u.validity.to,
        }
    }
}

/// A lineage neighbour: the unit, what happened and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineageRef {
    /// The unit on the other side.
    #[serde(flatten)]
    pub unit: UnitRef,
    /// `merge`, `split`, `rename` or `level_abolished`.
    pub lineage: &'static str,
    /// First day under the new arrangement.
    pub date: Date,
    /// Share of the predecessor's population that moved.
    pub weight: f64,
    /// The source's own words.
    pub note: Option<String>,
}

impl From<&LineageNeighbour> for LineageRef {
    fn from(n: &LineageNeighbour) -> Self {
        LineageRef {
            unit: UnitRef::from(&n.unit),
            lineage: n.link.kind.as_str(),
            date: n.link.date,
            weight: n.link.weight,
            note: n.link.note.clone(),
        }
    }
}

/// Everything about one unit as of a date (the `ytcs org show --json`
/// contract).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgView {
    /// Official code.
    pub code: String,
    /// Official name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// First valid day, if known.
    pub valid_from: Option<Date>,
    /// Last valid day, if ended.
    pub valid_to: Option<Date>,
    /// The date asked about.
    pub at: Date,
    /// Ancestors on `at`, nearest first.
    pub ancestors: Vec<UnitRef>,
    /// Children on `at`.
    pub children: Vec<UnitRef>,
    /// Units it came from.
    pub predecessors: Vec<LineageRef>,
    /// Units it went into.
    pub successors: Vec<LineageRef>,
    /// Other units that carried the same code at other times.
    pub same_code: Vec<UnitRef>,
}

/// Assembles the view of the unit carrying `code` on `at`, or `None`.
pub async fn org_view(
    store: &dyn Store,
    code: &OrgCode,
    at: Date,
) -> Result<Option<OrgView>, StoreError> {
    let Some(u) = store.unit_at(code, at).await? else {
        return Ok(None);
    };
    let refs = |v: Vec<OrgUnit>| v.iter().map(UnitRef::from).collect::<Vec<_>>();
    let lin = |v: Vec<LineageNeighbour>| v.iter().map(LineageRef::from).collect::<Vec<_>>();
    let same_code = store
        .units_with_code(code)
        .await?
        .iter()
        .filter(|o| o.id != u.id)
        .map(UnitRef::from)
        .collect();
    Ok(Some(OrgView {
        code: u.code.to_string(),
        name: u.name.clone(),
        kind: u.kind,
        valid_from: u.validity.from,
        valid_to: u.validity.to,
        at,
        ancestors: refs(store.ancestors(u.id, at).await?),
        children: refs(store.children(u.id, at).await?),
        predecessors: lin(store.predecessors(u.id).await?),
        successors: lin(store.successors(u.id).await?),
        same_code,
    }))
}
