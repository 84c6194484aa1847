//! History that adds up: values recorded under the units *of their time*,
//! summed for any unit *as the units stood on a chosen date*.
//!
//! The rule, for a question asked "as of D":
//!
//! - a value recorded under a unit valid on D counts where it sits (and in
//!   every ancestor of that unit on D);
//! - a value recorded under a unit that ended before D is carried forward
//!   along its lineage edges (dated on or before D), multiplied by each
//!   edge's weight, products along chains, until it reaches units valid on
//!   D. The weights leaving a unit on one date sum to 1, so totals are
//!   conserved;
//! - a value recorded under a unit that only began *after* D (2026
//!   population recorded under a new commune, asked for an old district as
//!   of 2024) is **refused** when it would concern the unit asked for: the
//!   lineage weights say how a predecessor's population was divided among
//!   its successors, not how a successor's splits back, so mapping back
//!   would invent numbers. The error names the newer unit and the first
//!   date on which the question can be answered. Values of later units that
//!   do not descend from the unit asked for are simply not its business.
//!
//! Values that cannot be placed at all (a unit ended with no lineage) are
//! counted in [`Rollup::lost`], never silently added anywhere.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// A hasher for unit ids: a multiply-rotate, not SipHash. The keys are ids
/// the store gave, never a client's text, and roll-ups hash them for every
/// value they place.
#[derive(Default)]
struct IdHasher(u64);

const SEED: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(SEED);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(SEED);
    }
}

/// A map keyed by unit id.
type IdMap<V> = HashMap<UnitId, V, BuildHasherDefault<IdHasher>>;

use crate::hierarchy::Hierarchy;
use crate::org::UnitId;
use crate::Date;

/// Why a roll-up cannot answer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RollupError {
    /// Data for the unit asked about lies under a unit created after the
    /// date of the question.
    #[error("values for {target} are recorded under {recorded} ({recorded_name}), a unit that only exists from {from}; ask with the units as they stood on or after {from} (--at {from})")]
    RecordedUnderLaterUnit {
        /// The code of the unit asked about.
        target: String,
        /// The code of the newer unit holding the data.
        recorded: String,
        /// Its name.
        recorded_name: String,
        /// Its first day.
        from: Date,
    },
}

/// Where a recorded unit's values land on the date of the question.
#[derive(Debug, Clone, PartialEq)]
enum Placement {
    /// Units valid on the date, with the share of the value each receives.
    Placed(Vec<(UnitId, f64)>),
    /// The unit begins after the date; these units valid on the date are its
    /// ancestors through lineage (for the relevance check).
    Later(Vec<UnitId>),
    /// Nowhere (ended without lineage, or unknown).
    Lost,
}

/// Where values land on one date, as far as roll-ups have worked it out.
#[derive(Debug, Clone, Default)]
struct Known {
    placements: IdMap<Placement>,
    ancestors: IdMap<Vec<UnitId>>,
}

/// Lineage edges by predecessor and by successor (indexes into
/// [`Hierarchy::lineage`]).
#[derive(Debug, Default)]
struct LineageIndex {
    forward: IdMap<Vec<usize>>,
    backward: IdMap<Vec<usize>>,
}

/// What roll-ups worked out on one hierarchy, kept with it (see
/// [`Hierarchy`]): its lineage index, and what is known of a few recent
/// dates. A roll-up starts from it and adds what it learnt when it ends.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    lineage: Option<Arc<LineageIndex>>,
    by_date: HashMap<Date, Arc<Known>>,
}

/// Dates a hierarchy remembers placements for (a page asks about today,
/// a report about a few more); past this, it starts again.
const DATES_KEPT: usize = 16;

/// A roll-up over one hierarchy as of one date; caches where each recorded
/// unit lands, so many series and many targets cost little. It starts from
/// what earlier roll-ups on the same hierarchy and date learnt and, when
/// dropped, leaves what it learnt for the next.
#[derive(Debug)]
pub struct Rollup<'h> {
    h: &'h Hierarchy,
    at: Date,
    lineage: Arc<LineageIndex>,
    known: Arc<Known>,
    learnt: Known,
    lost: f64,
}

impl Drop for Rollup<'_> {
    fn drop(&mut self) {
        if self.learnt.placements.is_empty() && self.learnt.ancestors.is_empty() {
            return;
        }
        let learnt = std::mem::take(&mut self.learnt);
        let mut memo = self.h.rollup_memo();
        if memo.by_date.len() >= DATES_KEPT && !memo.by_date.contains_key(&self.at) {
            memo.by_date.clear();
        }
        let mut merged = memo
            .by_date
            .get(&self.at)
            .map_or_else(Known::default, |k| (**k).clone());
        merged.placements.extend(learnt.placements);
        merged.ancestors.extend(learnt.ancestors);
        memo.by_date.insert(self.at, Arc::new(merged));
    }
}

impl<'h> Rollup<'h> {
    /// A roll-up with the units as they stood on `at`.
    pub fn new(h: &'h Hierarchy, at: Date) -> Self {
        let (lineage, known) = {
            let mut memo = h.rollup_memo();
            let lineage = memo
                .lineage
                .get_or_insert_with(|| {
                    let mut index = LineageIndex::default();
                    for (i, l) in h.lineage().iter().enumerate() {
                        index.forward.entry(l.predecessor).or_default().push(i);
                        index.backward.entry(l.successor).or_default().push(i);
                    }
                    Arc::new(index)
                })
                .clone();
            let known = memo.by_date.get(&at).cloned().unwrap_or_default();
            (lineage, known)
        };
        Rollup {
            h,
            at,
            lineage,
            known,
            learnt: Known::default(),
            lost: 0.0,
        }
    }

    /// The hierarchy it rolls up through.
    pub fn hierarchy(&self) -> &'h Hierarchy {
        self.h
    }

    /// The date the units stand as of.
    pub fn at(&self) -> Date {
        self.at
    }

    /// The sum of values that could not be placed on any unit so far.
    pub fn lost(&self) -> f64 {
        self.lost
    }

    fn valid_at(&self, id: UnitId) -> bool {
        self.h
            .unit(id)
            .is_some_and(|u| u.validity.contains(self.at))
    }

    /// Where values recorded under `unit` land on the date (units valid
    /// then, with shares), following lineage forward.
    fn place(&mut self, unit: UnitId) -> &Placement {
        if !self.known.placements.contains_key(&unit) && !self.learnt.placements.contains_key(&unit)
        {
            let p = self.compute_placement(unit);
            self.learnt.placements.insert(unit, p);
        }
        self.placement(unit)
    }

    /// Where `unit` lands, once [`Rollup::place`] worked it out.
    fn placement(&self, unit: UnitId) -> &Placement {
        self.known
            .placements
            .get(&unit)
            .or_else(|| self.learnt.placements.get(&unit))
            .expect("placed before it is read")
    }

    /// `unit` and its ancestors, once [`Rollup::lineup`] worked them out.
    fn line(&self, unit: UnitId) -> &[UnitId] {
        self.known
            .ancestors
            .get(&unit)
            .or_else(|| self.learnt.ancestors.get(&unit))
            .expect("lined up before it is read")
    }

    fn compute_placement(&self, unit: UnitId) -> Placement {
        let Some(u) = self.h.unit(unit) else {
            return Placement::Lost;
        };
        if u.validity.contains(self.at) {
            return Placement::Placed(vec![(unit, 1.0)]);
        }
        if u.validity.from.is_some_and(|f| f > self.at) {
            return Placement::Later(self.backwards(unit));
        }
        // Ended before the date: carry forward along lineage (depth-first,
        // bounded against malformed cycles).
        let mut out: IdMap<f64> = IdMap::default();
        let mut stack = vec![(unit, 1.0, 0usize)];
        while let Some((cur, share, depth)) = stack.pop() {
            if self.valid_at(cur) {
                *out.entry(cur).or_default() += share;
                continue;
            }
            if depth > 16 {
                continue;
            }
            for &i in self.lineage.forward.get(&cur).into_iter().flatten() {
                let l = &self.h.lineage()[i];
                if l.date <= self.at && l.weight > 0.0 {
                    stack.push((l.successor, share * l.weight, depth + 1));
                }
            }
        }
        if out.is_empty() {
            return Placement::Lost;
        }
        let mut v: Vec<(UnitId, f64)> = out.into_iter().collect();
        v.sort_by_key(|(u, _)| *u);
        Placement::Placed(v)
    }

    /// Units valid on the date that a later unit descends from.
    fn backwards(&self, unit: UnitId) -> Vec<UnitId> {
        let mut out = Vec::new();
        let mut stack = vec![(unit, 0usize)];
        while let Some((cur, depth)) = stack.pop() {
            if self.valid_at(cur) {
                if !out.contains(&cur) {
                    out.push(cur);
                }
                continue;
            }
            if depth > 16 {
                continue;
            }
            for &i in self.lineage.backward.get(&cur).into_iter().flatten() {
                stack.push((self.h.lineage()[i].predecessor, depth + 1));
            }
        }
        out
    }

    /// `unit` and its ancestors on the date.
    fn lineup(&mut self, unit: UnitId) -> &[UnitId] {
        if !self.known.ancestors.contains_key(&unit) && !self.learnt.ancestors.contains_key(&unit) {
            let mut v = vec![unit];
            v.extend(self.h.ancestors(unit, self.at).iter().map(|u| u.id));
            self.learnt.ancestors.insert(unit, v);
        }
        self.line(unit)
    }

    /// The total of `values` (recorded under units of their time) for each
    /// of `targets` (units valid on the date), in order.
    pub fn totals(
        &mut self,
        values: &[(UnitId, f64)],
        targets: &[UnitId],
    ) -> Result<Vec<f64>, RollupError> {
        // Fill the caches first (placements, then the lineups they need),
        // so the sum below reads them without copying.
        let mut need: Vec<UnitId> = Vec::new();
        for &(unit, _) in values {
            match self.place(unit) {
                Placement::Placed(shares) => need.extend(shares.iter().map(|(u, _)| *u)),
                Placement::Later(roots) => need.extend(roots.iter().copied()),
                Placement::Lost => {}
            }
        }
        for u in need {
            self.lineup(u);
        }
        let mut index: IdMap<Vec<usize>> = IdMap::default();
        for (i, t) in targets.iter().enumerate() {
            index.entry(*t).or_default().push(i);
        }
        let mut out = vec![0.0; targets.len()];
        let mut lost = 0.0;
        for &(unit, value) in values {
            match self.placement(unit) {
                Placement::Placed(shares) => {
                    for (p, share) in shares {
                        for a in self.line(*p) {
                            if let Some(is) = index.get(a) {
                                for &i in is {
                                    out[i] += value * share;
                                }
                            }
                        }
                    }
                }
                Placement::Later(roots) => {
                    for r in roots {
                        if let Some(t) = self.line(*r).iter().find(|a| index.contains_key(a)) {
                            return Err(self.later_error(*t, unit));
                        }
                    }
                }
                Placement::Lost => lost += value,
            }
        }
        self.lost += lost;
        Ok(out)
    }

    /// Whether values recorded under `unit` can enter the total of any of
    /// `targets` (or refuse it: a later unit under a target), i.e. whether
    /// a unit of its placement has one of them among its ancestors.
    pub fn reaches(&mut self, unit: UnitId, targets: &[UnitId]) -> bool {
        let landing: Vec<UnitId> = match self.place(unit) {
            Placement::Placed(shares) => shares.iter().map(|(u, _)| *u).collect(),
            Placement::Later(roots) => roots.clone(),
            Placement::Lost => return false,
        };
        landing
            .into_iter()
            .any(|u| self.lineup(u).iter().any(|a| targets.contains(a)))
    }

    /// The total of `values` for one target.
    pub fn total(&mut self, values: &[(UnitId, f64)], target: UnitId) -> Result<f64, RollupError> {
        Ok(self.totals(values, &[target])?[0])
    }

    fn later_error(&self, target: UnitId, recorded: UnitId) -> RollupError {
        let code = |id| {
            self.h
                .unit(id)
                .map_or_else(|| id.to_string(), |u| u.code.to_string())
        };
        let r = self.h.unit(recorded);
        RollupError::RecordedUnderLaterUnit {
            target: code(target),
            recorded: code(recorded),
            recorded_name: r.map(|u| u.name.clone()).unwrap_or_default(),
            from: r.and_then(|u| u.validity.from).unwrap_or(self.at),
        }
    }
}

/// Convenience: the total of `values` for `target` as units stood on `at`.
pub fn roll_up(
    h: &Hierarchy,
    values: &[(UnitId, f64)],
    target: UnitId,
    at: Date,
) -> Result<f64, RollupError> {
    Rollup::new(h, at).total(values, target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{LineageKind, LineageLink, OrgCode, OrgKind, OrgUnit, ParentLink};
    use crate::validity::Validity;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn unit(id: i64, kind: OrgKind, v: Validity) -> OrgUnit {
        OrgUnit {
            id: UnitId(id),
            code: OrgCode::parse(&format!("u{id}")).unwrap(),
            name: format!("Unit {id}"),
            kind,
            validity: v,
        }
    }

    /// A reform: old province 1 with `districts` districts holding the old
    /// communes; new province 2 with new communes; each old commune `i`
    /// split among new communes by `weights[i]` (normalised).
    struct Reform {
        h: Hierarchy,
        old: Vec<UnitId>,
        new: Vec<UnitId>,
        weights: Vec<Vec<f64>>,
    }

    fn reform(raw: &[Vec<u8>], new_count: usize) -> Reform {
        let old_v = Validity::until(d("2025-06-30"));
        let new_v = Validity::since(d("2025-07-01"));
        let mut units = vec![
            unit(1, OrgKind::Province, old_v),
            unit(2, OrgKind::Province, new_v),
            unit(3, OrgKind::District, old_v),
            unit(4, OrgKind::District, old_v),
        ];
        let mut links = vec![
            ParentLink {
                child: UnitId(3),
                parent: UnitId(1),
                validity: old_v,
            },
            ParentLink {
                child: UnitId(4),
                parent: UnitId(1),
                validity: old_v,
            },
        ];
        let new: Vec<UnitId> = (0..new_count).map(|j| UnitId(100 + j as i64)).collect();
        for &n in &new {
            units.push(unit(n.0, OrgKind::Commune, new_v));
            links.push(ParentLink {
                child: n,
                parent: UnitId(2),
                validity: new_v,
            });
        }
        let mut old = Vec::new();
        let mut lineage = Vec::new();
        let mut weights = Vec::new();
        for (i, w) in raw.iter().enumerate() {
            let id = UnitId(1000 + i as i64);
            old.push(id);
            units.push(unit(id.0, OrgKind::Commune, old_v));
            links.push(ParentLink {
                child: id,
                parent: UnitId(3 + (i % 2) as i64),
                validity: old_v,
            });
            let mut ws: Vec<f64> = (0..new_count)
                .map(|j| f64::from(*w.get(j).unwrap_or(&0)))
                .collect();
            if ws.iter().sum::<f64>() == 0.0 {
                ws[i % new_count] = 1.0;
            }
            let s: f64 = ws.iter().sum();
            ws.iter_mut().for_each(|x| *x /= s);
            for (j, &x) in ws.iter().enumerate() {
                if x > 0.0 {
                    lineage.push(LineageLink {
                        predecessor: id,
                        successor: new[j],
                        date: d("2025-07-01"),
                        kind: LineageKind::Split,
                        weight: x,
                        note: None,
                    });
                }
            }
            weights.push(ws);
        }
        for dist in [3, 4] {
            for &n in &new[..1] {
                lineage.push(LineageLink {
                    predecessor: UnitId(dist),
                    successor: n,
                    date: d("2025-07-01"),
                    kind: LineageKind::LevelAbolished,
                    weight: 1.0,
                    note: None,
                });
            }
        }
        let h = Hierarchy::new(units, links, lineage).unwrap();
        Reform {
            h,
            old,
            new,
            weights,
        }
    }

    fn arb_reform() -> impl Strategy<Value = (Vec<Vec<u8>>, usize, Vec<u32>)> {
        (1usize..6).prop_flat_map(|n| {
            (
                proptest::collection::vec(proptest::collection::vec(0u8..4, n), 1..15),
                Just(n),
                proptest::collection::vec(0u32..100_000, 15),
            )
        })
    }

    proptest! {
        /// The 2024 population of a new commune under today's units is the
        /// weighted sum of its predecessors' 2024 populations.
        #[test]
        fn merged_commune_population_adds_up((raw, n, pops) in arb_reform()) {
            let r = reform(&raw, n);
            let values: Vec<(UnitId, f64)> = r.old.iter().zip(&pops).map(|(u, p)| (*u, f64::from(*p))).collect();
            let mut roll = Rollup::new(&r.h, d("2026-01-01"));
            let got = roll.totals(&values, &r.new).unwrap();
            for (j, g) in got.iter().enumerate() {
                let want: f64 = values.iter().enumerate().map(|(i, (_, v))| v * r.weights[i][j]).sum();
                prop_assert!((g - want).abs() < 1e-6 * want.max(1.0), "{g} vs {want}");
            }
            drop(roll);
            // A later roll-up on a clone starts from what this one learnt
            // (nothing left to work out) and answers the same.
            let h = r.h.clone();
            let mut again = Rollup::new(&h, d("2026-01-01"));
            prop_assert!(again.known.placements.len() >= values.len());
            prop_assert_eq!(again.totals(&values, &r.new).unwrap(), got);
            prop_assert!(again.learnt.placements.is_empty() && again.learnt.ancestors.is_empty());
        }

        /// A province equals the sum of its children, on either side of the
        /// reform, and the total over all units is conserved.
        #[test]
        fn province_is_the_sum_of_its_children_and_totals_are_kept((raw, n, pops) in arb_reform()) {
            let r = reform(&raw, n);
            let values: Vec<(UnitId, f64)> = r.old.iter().zip(&pops).map(|(u, p)| (*u, f64::from(*p))).collect();
            let total: f64 = values.iter().map(|(_, v)| v).sum();
            let mut new_roll = Rollup::new(&r.h, d("2026-01-01"));
            let province = new_roll.total(&values, UnitId(2)).unwrap();
            let children: f64 = new_roll.totals(&values, &r.new).unwrap().iter().sum();
            prop_assert!((province - children).abs() < 1e-6 * total.max(1.0));
            prop_assert!((province - total).abs() < 1e-6 * total.max(1.0));
            prop_assert_eq!(new_roll.lost(), 0.0);
            let mut old_roll = Rollup::new(&r.h, d("2024-06-01"));
            let old_province = old_roll.total(&values, UnitId(1)).unwrap();
            let districts: f64 = old_roll.totals(&values, &[UnitId(3), UnitId(4)]).unwrap().iter().sum();
            prop_assert_eq!(old_province, total);
            prop_assert!((districts - total).abs() < 1e-9);
        }
    }

    #[test]
    fn a_hierarchy_remembers_placements_per_date_and_a_new_one_nothing() {
        let r = reform(&[vec![1, 1], vec![0, 1]], 2);
        let values: Vec<(UnitId, f64)> = r.old.iter().map(|u| (*u, 10.0)).collect();
        let before = roll_up(&r.h, &values, UnitId(1), d("2024-06-01")).unwrap();
        let after = roll_up(&r.h, &values, UnitId(2), d("2026-01-01")).unwrap();
        assert_eq!((before, after), (20.0, 20.0));
        let dates: Vec<Date> = {
            let mut v: Vec<Date> = r.h.rollup_memo().by_date.keys().copied().collect();
            v.sort();
            v
        };
        assert_eq!(dates, [d("2024-06-01"), d("2026-01-01")]);
        // Asked again, from what is remembered: the same answers, and the
        // old date still refuses data of a later unit.
        assert_eq!(
            roll_up(&r.h, &values, UnitId(2), d("2026-01-01")).unwrap(),
            20.0
        );
        assert!(roll_up(&r.h, &[(r.new[1], 5.0)], UnitId(1), d("2024-06-01")).is_err());
        // The same units built again share nothing.
        let fresh = reform(&[vec![1, 1], vec![0, 1]], 2);
        assert!(fresh.h.rollup_memo().by_date.is_empty());
    }

    #[test]
    fn data_under_later_units_is_refused_for_the_old_units_it_concerns() {
        let r = reform(&[vec![1, 1], vec![0, 1]], 2);
        let values = vec![(r.new[1], 500.0)];
        let err = roll_up(&r.h, &values, UnitId(1), d("2024-06-01")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("u101") && msg.contains("2025-07-01"), "{msg}");
        // The same values asked for under today's units are fine.
        assert_eq!(
            roll_up(&r.h, &values, UnitId(2), d("2025-07-01")).unwrap(),
            500.0
        );
    }

    #[test]
    fn a_unit_valid_on_the_date_keeps_its_own_values() {
        let r = reform(&[vec![1, 0]], 2);
        let values = vec![(r.old[0], 7.0)];
        assert_eq!(
            roll_up(&r.h, &values, r.old[0], d("2025-06-30")).unwrap(),
            7.0
        );
        assert_eq!(
            roll_up(&r.h, &values, UnitId(3), d("2025-06-30")).unwrap(),
            7.0
        );
        assert_eq!(
            roll_up(&r.h, &values, r.new[0], d("2025-07-01")).unwrap(),
            7.0
        );
        assert_eq!(
            roll_up(&r.h, &values, r.new[1], d("2025-07-01")).unwrap(),
            0.0
        );
    }
}
