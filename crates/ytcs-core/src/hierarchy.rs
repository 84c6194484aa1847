//! The dated hierarchy of organisation units, held in memory: who is whose
//! child on a given day, what a code meant on a given day, and what came
//! before and after a unit. Every question takes the date it is asked for.
//!
//! [`Hierarchy::new`] refuses what cannot be: a code carried by two units
//! at once, two parents at once, cycles, and lineage weights leaving one
//! unit on one date that do not sum to 1. A code names a unit only with a
//! day ([`Hierarchy::unit_at`]): a reused code names two units.
//!
//! A `Hierarchy` is a shared handle (its clones are reference counts) and
//! remembers across requests where each unit's values land on each of a
//! few recent dates (`rollup::Memo`: a roll-up starts from it and leaves
//! what it learnt when dropped); a changed hierarchy is a new one that
//! remembers nothing.

use crate::org::{LineageLink, OrgCode, OrgUnit, ParentLink, UnitId};
use crate::validity::Validity;
use crate::Date;
use std::collections::HashMap;
use std::sync::Arc;

/// A problem that makes a set of units, links and lineage inconsistent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HierarchyError {
    /// Two units carry the same code on a common day.
    #[error("code {code} is carried by two units at once (ids {a} and {b}); validity intervals must not overlap")]
    OverlappingCode {
        /// The shared code.
        code: OrgCode,
        /// First unit.
        a: UnitId,
        /// Second unit.
        b: UnitId,
    },
    /// Two unit records share one id.
    #[error("unit id {0} is used twice")]
    DuplicateId(UnitId),
    /// A link or lineage edge names a unit that does not exist.
    #[error("{what} refers to unknown unit id {id}")]
    UnknownUnit {
        /// Which record.
        what: &'static str,
        /// The missing id.
        id: UnitId,
    },
    /// A unit has two parents on a common day.
    #[error("unit {child} has two parents at once ({a} and {b})")]
    OverlappingParents {
        /// The child.
        child: UnitId,
        /// First parent.
        a: UnitId,
        /// Second parent.
        b: UnitId,
    },
    /// Following parent links from a unit leads back to it.
    #[error("parent links form a cycle through unit {0}")]
    Cycle(UnitId),
    /// The lineage weights leaving a unit on a date do not add up to 1.
    #[error("lineage weights leaving unit {unit} on {date} sum to {sum}, not 1")]
    WeightsDoNotSumToOne {
        /// The predecessor.
        unit: UnitId,
        /// The date of the change.
        date: Date,
        /// The sum found.
        sum: f64,
    },
    /// A lineage weight outside [0, 1] (or not a number).
    #[error("lineage weight {weight} from unit {unit} is outside [0, 1]")]
    WeightOutOfRange {
        /// The predecessor.
        unit: UnitId,
        /// The weight given.
        weight: f64,
    },
}

/// An immutable, indexed view of units, parent links and lineage: a
/// handle to data shared by its clones (a clone is a reference count, so
/// a store hands one to every request). Its clones also share what
/// roll-ups worked out on it ([`crate::rollup`]: where each unit's values
/// land on a date), which is why a page does not place ten thousand
/// communes again; a changed hierarchy is a new one, with nothing
/// remembered.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy(Arc<HierarchyData>);

/// What a [`Hierarchy`] holds; its methods are the hierarchy's.
#[derive(Debug, Default)]
pub struct HierarchyData {
    units: Vec<OrgUnit>,
    index: HashMap<UnitId, usize>,
    by_code: HashMap<OrgCode, Vec<usize>>,
    parents: HashMap<UnitId, Vec<ParentLink>>,
    children: HashMap<UnitId, Vec<ParentLink>>,
    lineage: Vec<LineageLink>,
    rollups: std::sync::Mutex<crate::rollup::Memo>,
}

impl std::ops::Deref for Hierarchy {
    type Target = HierarchyData;

    fn deref(&self) -> &HierarchyData {
        &self.0
    }
}

/// Tolerance when checking that split weights sum to one.
pub const WEIGHT_TOLERANCE: f64 = 1e-6;

impl Hierarchy {
    /// Builds the hierarchy, refusing any inconsistency: a code on two units
    /// at once, two parents at once, a cycle, a dangling reference, lineage
    /// weights that do not sum to 1.
    pub fn new(
        units: Vec<OrgUnit>,
        links: Vec<ParentLink>,
        lineage: Vec<LineageLink>,
    ) -> Result<Self, HierarchyError> {
        HierarchyData::new(units, links, lineage).map(|h| Hierarchy(Arc::new(h)))
    }
}

impl HierarchyData {
    fn new(
        units: Vec<OrgUnit>,
        links: Vec<ParentLink>,
        lineage: Vec<LineageLink>,
    ) -> Result<Self, HierarchyError> {
        let mut h = HierarchyData::default();
        for (i, u) in units.iter().enumerate() {
            if h.index.insert(u.id, i).is_some() {
                return Err(HierarchyError::DuplicateId(u.id));
            }
            h.by_code.entry(u.code.clone()).or_default().push(i);
        }
        h.units = units;
        for idxs in h.by_code.values() {
            for (n, &i) in idxs.iter().enumerate() {
                for &j in &idxs[n + 1..] {
                    let (a, b) = (&h.units[i], &h.units[j]);
                    if a.validity.overlaps(&b.validity) {
                        return Err(HierarchyError::OverlappingCode {
                            code: a.code.clone(),
                            a: a.id,
                            b: b.id,
                        });
                    }
                }
            }
        }
        for l in links {
            for id in [l.child, l.parent] {
                if !h.index.contains_key(&id) {
                    return Err(HierarchyError::UnknownUnit {
                        what: "a parent link",
                        id,
                    });
                }
            }
            let siblings = h.parents.entry(l.child).or_default();
            if let Some(other) = siblings.iter().find(|o| o.validity.overlaps(&l.validity)) {
                return Err(HierarchyError::OverlappingParents {
                    child: l.child,
                    a: other.parent,
                    b: l.parent,
                });
            }
            siblings.push(l);
            h.children.entry(l.parent).or_default().push(l);
        }
        h.check_cycles()?;
        h.check_lineage(&lineage)?;
        h.lineage = lineage;
        Ok(h)
    }

    fn check_cycles(&self) -> Result<(), HierarchyError> {
        // A cycle must pass through some unit twice on a day where every link
        // of it holds; checking each link's start day (and "always" links on
        // any day) finds one if it exists.
        for links in self.parents.values() {
            for l in links {
                let day = l.validity.from.unwrap_or(Date::MIN);
                let mut seen = vec![l.child];
                let mut cur = l.child;
                while let Some(p) = self.parent_link(cur, day) {
                    if seen.contains(&p.parent) {
                        return Err(HierarchyError::Cycle(p.parent));
                    }
                    seen.push(p.parent);
                    cur = p.parent;
                }
            }
        }
        Ok(())
    }

    fn check_lineage(&self, lineage: &[LineageLink]) -> Result<(), HierarchyError> {
        let mut sums: HashMap<(UnitId, Date), f64> = HashMap::new();
        for l in lineage {
            for id in [l.predecessor, l.successor] {
                if !self.index.contains_key(&id) {
                    return Err(HierarchyError::UnknownUnit {
                        what: "a lineage link",
                        id,
                    });
                }
            }
            if !(l.weight >= 0.0 && l.weight <= 1.0 + WEIGHT_TOLERANCE) {
                return Err(HierarchyError::WeightOutOfRange {
                    unit: l.predecessor,
                    weight: l.weight,
                });
            }
            *sums.entry((l.predecessor, l.date)).or_default() += l.weight;
        }
        let mut keys: Vec<_> = sums.into_iter().collect();
        keys.sort_by_key(|((u, d), _)| (*u, *d));
        for ((unit, date), sum) in keys {
            if (sum - 1.0).abs() > WEIGHT_TOLERANCE {
                return Err(HierarchyError::WeightsDoNotSumToOne { unit, date, sum });
            }
        }
        Ok(())
    }

    /// What roll-ups on this hierarchy worked out, shared by its clones.
    pub(crate) fn rollup_memo(&self) -> std::sync::MutexGuard<'_, crate::rollup::Memo> {
        // A roll-up that panicked left nothing half-written here (it
        // publishes whole maps), so a poisoned lock is still good.
        self.rollups.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every unit, in insertion order.
    pub fn units(&self) -> &[OrgUnit] {
        &self.units
    }

    /// Every parent link.
    pub fn links(&self) -> impl Iterator<Item = &ParentLink> {
        self.parents.values().flatten()
    }

    /// Every lineage edge.
    pub fn lineage(&self) -> &[LineageLink] {
        &self.lineage
    }

    /// The unit with this id.
    pub fn unit(&self, id: UnitId) -> Option<&OrgUnit> {
        self.index.get(&id).map(|&i| &self.units[i])
    }

    /// The unit that carried `code` on day `at`.
    pub fn unit_at(&self, code: &OrgCode, at: Date) -> Option<&OrgUnit> {
        self.by_code
            .get(code)?
            .iter()
            .map(|&i| &self.units[i])
            .find(|u| u.validity.contains(at))
    }

    /// Every unit that has carried `code`, oldest first.
    pub fn units_with_code(&self, code: &OrgCode) -> Vec<&OrgUnit> {
        let mut v: Vec<&OrgUnit> = self
            .by_code
            .get(code)
            .map(|is| is.iter().map(|&i| &self.units[i]).collect())
            .unwrap_or_default();
        v.sort_by_key(|u| u.validity.from);
        v
    }

    fn parent_link(&self, id: UnitId, at: Date) -> Option<&ParentLink> {
        self.parents
            .get(&id)?
            .iter()
            .find(|l| l.validity.contains(at))
    }

    /// The parent of `id` on day `at`.
    pub fn parent(&self, id: UnitId, at: Date) -> Option<&OrgUnit> {
        self.unit(self.parent_link(id, at)?.parent)
    }

    /// The ancestors of `id` on day `at`, nearest first.
    pub fn ancestors(&self, id: UnitId, at: Date) -> Vec<&OrgUnit> {
        let mut out = Vec::new();
        let mut cur = id;
        while let Some(p) = self.parent(cur, at) {
            if out.iter().any(|u: &&OrgUnit| u.id == p.id) {
                break;
            }
            out.push(p);
            cur = p.id;
        }
        out
    }

    /// The children of `id` on day `at`, in code order.
    pub fn children(&self, id: UnitId, at: Date) -> Vec<&OrgUnit> {
        let mut v: Vec<&OrgUnit> = self
            .children
            .get(&id)
            .map(|ls| {
                ls.iter()
                    .filter(|l| l.validity.contains(at))
                    .filter_map(|l| self.unit(l.child))
                    .collect()
            })
            .unwrap_or_default();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }

    /// The communes under `id` on `at` (the unit itself when it is a
    /// commune), in code order; communes are the units data are reported
    /// by, so this is what coverage counts.
    pub fn communes_under(&self, id: UnitId, at: Date) -> Vec<&OrgUnit> {
        let mut out = Vec::new();
        let mut stack: Vec<&OrgUnit> = self.unit(id).into_iter().collect();
        while let Some(u) = stack.pop() {
            if u.kind == crate::org::OrgKind::Commune {
                out.push(u);
            } else {
                stack.extend(self.children(u.id, at));
            }
        }
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    /// The units of `kind` valid on `at` that a person's text names: the
    /// unit carrying it as a code; else those whose name, accents and
    /// case aside, is the text ("cam thanh" is "Xã Cẩm Thành") or — when
    /// none is — contains it, by name. People type names, not codes.
    pub fn find(&self, text: &str, kind: crate::org::OrgKind, at: Date) -> Vec<&OrgUnit> {
        let text = text.trim();
        if let Ok(code) = OrgCode::parse(text) {
            if let Some(u) = self.unit_at(&code, at).filter(|u| u.kind == kind) {
                return vec![u];
            }
        }
        let wanted = crate::text::fold(text);
        if wanted.is_empty() {
            return Vec::new();
        }
        let candidates: Vec<(&OrgUnit, String)> = self
            .units
            .iter()
            .filter(|u| u.kind == kind && u.validity.contains(at))
            .map(|u| (u, crate::text::fold(&u.name)))
            .collect();
        // "Xã Cẩm Thành" is also called "Cẩm Thành".
        let bare = |name: &str| -> String {
            let prefixes = [
                "xa ",
                "phuong ",
                "thi tran ",
                "dac khu ",
                "huyen ",
                "quan ",
                "thi xa ",
                "thanh pho ",
                "tinh ",
            ];
            prefixes
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .unwrap_or(name)
                .to_string()
        };
        let mut exact: Vec<&OrgUnit> = candidates
            .iter()
            .filter(|(_, n)| *n == wanted || bare(n) == wanted)
            .map(|(u, _)| *u)
            .collect();
        if exact.is_empty() {
            exact = candidates
                .iter()
                .filter(|(_, n)| n.contains(&wanted))
                .map(|(u, _)| *u)
                .collect();
        }
        exact.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
        exact
    }

    /// Lineage edges that lead into `id`.
    pub fn predecessors(&self, id: UnitId) -> Vec<&LineageLink> {
        self.lineage.iter().filter(|l| l.successor == id).collect()
    }

    /// Lineage edges that lead out of `id`.
    pub fn successors(&self, id: UnitId) -> Vec<&LineageLink> {
        self.lineage
            .iter()
            .filter(|l| l.predecessor == id)
            .collect()
    }

    /// The units valid on `at` that have no parent then (the roots).
    pub fn roots(&self, at: Date) -> Vec<&OrgUnit> {
        let mut v: Vec<&OrgUnit> = self
            .units
            .iter()
            .filter(|u| u.validity.contains(at) && self.parent_link(u.id, at).is_none())
            .collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }
}

/// Checks that a validity interval lies within another (a link within the
/// life of its child, say).
pub fn within(inner: &Validity, outer: &Validity) -> bool {
    let from_ok = match (outer.from, inner.from) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => o <= i,
    };
    let to_ok = match (outer.to, inner.to) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => i <= o,
    };
    from_ok && to_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{LineageKind, OrgKind};
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn unit(id: i64, code: &str, kind: OrgKind, v: Validity) -> OrgUnit {
        OrgUnit {
            id: UnitId(id),
            code: OrgCode::parse(code).unwrap(),
            name: format!("Unit {code}"),
            kind,
            validity: v,
        }
    }

    fn link(child: i64, parent: i64, v: Validity) -> ParentLink {
        ParentLink {
            child: UnitId(child),
            parent: UnitId(parent),
            validity: v,
        }
    }

    #[test]
    fn a_unit_is_found_by_its_code_or_its_name_as_people_type_it() {
        let mut units = vec![
            unit(1, "51", OrgKind::Province, Validity::ALWAYS),
            unit(2, "21025", OrgKind::Commune, Validity::ALWAYS),
            unit(3, "21026", OrgKind::Commune, Validity::ALWAYS),
            unit(4, "21027", OrgKind::Commune, Validity::ALWAYS),
        ];
        units[1].name = "Xã Cẩm Thành".into();
        units[2].name = "Phường Cẩm Thành Bắc".into();
        units[3].name = "Xã Nghĩa Hành".into();
        let h = Hierarchy::new(units, vec![], vec![]).unwrap();
        let at = d("2026-12-01");
        let names = |t: &str| -> Vec<String> {
            h.find(t, OrgKind::Commune, at)
                .iter()
                .map(|u| u.code.to_string())
                .collect()
        };
        assert_eq!(names("21027"), ["21027"]);
        // The whole name, with or without its kind and accents, is one.
        assert_eq!(names("cam thanh"), ["21025"]);
        assert_eq!(names("Xã Cẩm Thành"), ["21025"]);
        // A part of names is every name that has it.
        assert_eq!(names("Cẩm"), ["21026", "21025"]);
        assert!(names("Hà Nội").is_empty());
        assert!(names("  ").is_empty());
        // A province's code is not a commune.
        assert!(names("51").is_empty());
    }

    /// Old province 62 with district 614 and commune 23479 (until the
    /// reform); new province 51 with a new commune 23479 (reused code) after.
    fn reform() -> Hierarchy {
        let old = Validity::until(d("2025-06-30"));
        let new = Validity::since(d("2025-07-01"));
        Hierarchy::new(
            vec![
                unit(1, "62", OrgKind::Province, old),
                unit(2, "614", OrgKind::District, old),
                unit(3, "23479", OrgKind::Commune, old),
                unit(4, "23491", OrgKind::Commune, old),
                unit(5, "51", OrgKind::Province, new),
                unit(6, "23479", OrgKind::Commune, new),
            ],
            vec![
                link(2, 1, old),
                link(3, 2, old),
                link(4, 2, old),
                link(6, 5, new),
            ],
            vec![
                LineageLink {
                    predecessor: UnitId(3),
                    successor: UnitId(6),
                    date: d("2025-07-01"),
                    kind: LineageKind::Merge,
                    weight: 1.0,
                    note: None,
                },
                LineageLink {
                    predecessor: UnitId(4),
                    successor: UnitId(6),
                    date: d("2025-07-01"),
                    kind: LineageKind::Merge,
                    weight: 1.0,
                    note: None,
                },
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_reused_code_means_different_units_on_either_side_of_the_reform() {
        let h = reform();
        let code = OrgCode::parse("23479").unwrap();
        assert_eq!(h.unit_at(&code, d("2024-06-01")).unwrap().id, UnitId(3));
        assert_eq!(h.unit_at(&code, d("2025-08-01")).unwrap().id, UnitId(6));
        assert_eq!(h.units_with_code(&code).len(), 2);
    }

    #[test]
    fn ancestors_and_children_follow_the_date_asked() {
        let h = reform();
        let anc: Vec<i64> = h
            .ancestors(UnitId(3), d("2024-01-01"))
            .iter()
            .map(|u| u.id.0)
            .collect();
        assert_eq!(anc, vec![2, 1]);
        assert!(h.ancestors(UnitId(3), d("2025-07-01")).is_empty());
        assert_eq!(h.children(UnitId(2), d("2024-01-01")).len(), 2);
        assert!(h.children(UnitId(2), d("2025-07-01")).is_empty());
        assert_eq!(h.predecessors(UnitId(6)).len(), 2);
        assert_eq!(
            h.roots(d("2025-07-01"))
                .iter()
                .map(|u| u.id.0)
                .collect::<Vec<_>>(),
            vec![5, 6]
                .into_iter()
                .filter(|&x| x == 5)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_policy_chain_of_a_code_reaches_an_ended_commune_from_its_holder() {
        use crate::access::code_chain;
        let h = reform();
        let chain = |c: &str, at: &str| -> Vec<String> {
            code_chain(&h, &OrgCode::parse(c).unwrap(), d(at))
                .iter()
                .map(|c| c.to_string())
                .collect()
        };
        assert_eq!(chain("23479", "2024-06-01"), ["23479", "614", "62"]);
        assert_eq!(chain("23479", "2025-08-01"), ["23479", "51"]);
        // Ended in the reform: its own chain on its last day, then the
        // chain of the commune that holds it.
        assert_eq!(
            chain("23491", "2025-08-01"),
            ["23491", "614", "62", "23479", "51"]
        );
        // No unit ever carried it: the code alone.
        assert_eq!(chain("99999", "2025-08-01"), ["99999"]);
        // Not yet carried on the day asked: the code alone too.
        assert_eq!(chain("51", "2024-06-01"), ["51"]);
    }

    #[test]
    fn overlapping_codes_are_refused() {
        let err = Hierarchy::new(
            vec![
                unit(1, "51", OrgKind::Province, Validity::until(d("2025-07-01"))),
                unit(2, "51", OrgKind::Province, Validity::since(d("2025-07-01"))),
            ],
            vec![],
            vec![],
        )
        .unwrap_err();
        assert!(
            matches!(err, HierarchyError::OverlappingCode { .. }),
            "{err}"
        );
    }

    #[test]
    fn a_cycle_of_parents_is_refused() {
        let units = vec![
            unit(1, "a", OrgKind::Province, Validity::ALWAYS),
            unit(2, "b", OrgKind::District, Validity::ALWAYS),
        ];
        let err = Hierarchy::new(
            units,
            vec![link(1, 2, Validity::ALWAYS), link(2, 1, Validity::ALWAYS)],
            vec![],
        )
        .unwrap_err();
        assert!(matches!(err, HierarchyError::Cycle(_)), "{err}");
    }

    #[test]
    fn two_parents_at_once_are_refused() {
        let units = vec![
            unit(1, "a", OrgKind::Province, Validity::ALWAYS),
            unit(2, "b", OrgKind::Province, Validity::ALWAYS),
            unit(3, "c", OrgKind::Commune, Validity::ALWAYS),
        ];
        let err = Hierarchy::new(
            units,
            vec![
                link(3, 1, Validity::until(d("2025-07-01"))),
                link(3, 2, Validity::since(d("2025-07-01"))),
            ],
            vec![],
        )
        .unwrap_err();
        assert!(
            matches!(err, HierarchyError::OverlappingParents { .. }),
            "{err}"
        );
    }

    #[test]
    fn split_weights_must_sum_to_one() {
        let units = vec![
            unit(1, "a", OrgKind::Commune, Validity::until(d("2025-06-30"))),
            unit(2, "b", OrgKind::Commune, Validity::since(d("2025-07-01"))),
            unit(3, "c", OrgKind::Commune, Validity::since(d("2025-07-01"))),
        ];
        let split = |s, w| LineageLink {
            predecessor: UnitId(1),
            successor: UnitId(s),
            date: d("2025-07-01"),
            kind: LineageKind::Split,
            weight: w,
            note: None,
        };
        assert!(Hierarchy::new(units.clone(), vec![], vec![split(2, 0.5), split(3, 0.5)]).is_ok());
        let err = Hierarchy::new(units, vec![], vec![split(2, 0.5), split(3, 0.4)]).unwrap_err();
        assert!(
            matches!(err, HierarchyError::WeightsDoNotSumToOne { .. }),
            "{err}"
        );
    }

    proptest! {
        /// A random forest (each unit's parent has a smaller id) is accepted,
        /// and every unit is found among the children of its parent.
        #[test]
        fn every_unit_is_a_child_of_its_parent(parents in proptest::collection::vec(proptest::option::of(0usize..1000), 1..60)) {
            let n = parents.len();
            let units: Vec<OrgUnit> = (0..n).map(|i| unit(i as i64, &format!("u{i}"), OrgKind::Commune, Validity::ALWAYS)).collect();
            let links: Vec<ParentLink> = parents.iter().enumerate().filter_map(|(i, p)| {
                p.filter(|_| i > 0).map(|p| link(i as i64, (p % i) as i64, Validity::ALWAYS))
            }).collect();
            let h = Hierarchy::new(units, links.clone(), vec![]).unwrap();
            let day = d("2024-01-01");
            for l in &links {
                prop_assert!(h.children(l.parent, day).iter().any(|c| c.id == l.child));
                prop_assert_eq!(h.ancestors(l.child, day)[0].id, l.parent);
            }
            let rooted: usize = h.roots(day).len();
            prop_assert_eq!(rooted + links.len(), n);
        }
    }
}
