//! The units a signed-in user works on, as the policy
//! (`ytcs_core::access`, through [`crate::app::auth::decide`]) allows
//! them: what pickers list and what home pages and queues cover.

use ytcs_core::access::{Action, Decision};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgKind, OrgUnit};
use ytcs_core::Date;

use crate::app::auth::Current;

/// The communes valid on `at` on which `me` may do `action` (as of
/// `today`), by name.
pub(crate) fn communes<'h>(
    h: &'h Hierarchy,
    me: &Current,
    action: Action,
    at: Date,
    today: Date,
) -> Vec<&'h OrgUnit> {
    let mut out: Vec<&OrgUnit> = h
        .units()
        .iter()
        .filter(|u| u.kind == OrgKind::Commune && u.validity.contains(at))
        .filter(|u| crate::app::auth::decide(h, me, action, u.id, today) == Decision::Allow)
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    out
}

/// The communes valid on `at` under the units of `me`'s scope (every
/// commune when the scope is the whole country), by name.
pub(crate) fn within_scope<'h>(h: &'h Hierarchy, me: &Current, at: Date) -> Vec<&'h OrgUnit> {
    let scope = &me.principal.scope;
    let mut out: Vec<&OrgUnit> = if scope.is_empty() {
        h.units()
            .iter()
            .filter(|u| u.kind == OrgKind::Commune && u.validity.contains(at))
            .collect()
    } else {
        scope
            .iter()
            .filter_map(|c| h.unit_at(c, at))
            .flat_map(|u| h.communes_under(u.id, at))
            .collect()
    };
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    out.dedup_by_key(|u| u.id);
    out
}

/// A unit's name as a list shows it: its code when the name is empty (a
/// link always has text).
pub(crate) fn shown_name(u: &OrgUnit) -> String {
    if u.name.trim().is_empty() {
        u.code.to_string()
    } else {
        u.name.clone()
    }
}

/// The units of `me`'s scope valid on `at` (the provinces when the scope
/// is the whole country), by name.
pub(crate) fn scope_units(h: &Hierarchy, me: &Current, at: Date) -> Vec<OrgUnit> {
    let scope = &me.principal.scope;
    let mut out: Vec<OrgUnit> = if scope.is_empty() {
        h.units()
            .iter()
            .filter(|u| u.kind == OrgKind::Province && u.validity.contains(at))
            .cloned()
            .collect()
    } else {
        scope
            .iter()
            .filter_map(|c| h.unit_at(c, at).cloned())
            .collect()
    };
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    out
}
