//! The lowest month-end count of residents (`registered_residents_low`)
//! equals a count made the plain way, person by person and month by
//! month, on a generated register whose persons move, die and live in
//! communes merged in the 2025 reform. The derivation adds up runs of
//! months instead (`ytcs_core::register::derive`); this is the reference.

use std::collections::BTreeMap;

use chrono::Datelike;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::register::derive::{derive, place, Registers, Window};
use ytcs_core::register::residence_on;
use ytcs_core::Date;

#[test]
fn the_lowest_month_end_count_of_residents_equals_a_plain_count() {
    let a = ytcs_refdata::admin_units().unwrap();
    let h = Hierarchy::new(a.units, a.links, a.lineage).unwrap();
    let today: Date = "2026-11-23".parse().unwrap();
    for seed in [3, 17] {
        let g = ytcs_synth::generate::generate(&h, "51", 2500, seed, today).unwrap();
        let mut r = Registers::default();
        ytcs_engine::registers::apply(&mut r, &g.batch);
        assert!(r.moves.len() > 20, "the register has moves");
        assert!(r.persons.iter().any(|p| p.death.is_some()), "and deaths");
        let from_year = r
            .persons
            .iter()
            .map(|p| p.registered_on.year())
            .min()
            .unwrap();
        let w = Window {
            from_year,
            through: Period::Month(2026, 11),
        };
        let derived = derive(&h, ytcs_engine::registers::standards(), &r, w);

        // Plainly: every person, every month's end.
        let mut residents: BTreeMap<(UnitId, Period), i64> = BTreeMap::new();
        for p in &r.persons {
            let moves: Vec<_> = r
                .moves
                .iter()
                .filter(|m| m.person == p.id)
                .cloned()
                .collect();
            for m in w.months() {
                let day = m.end();
                let alive = p.death.as_ref().is_none_or(|d| d.date > day);
                if day < p.registered_on || day < p.birth_date || !alive {
                    continue;
                }
                if let Some(u) = residence_on(p, &moves, day).and_then(|c| place(&h, c, day)) {
                    *residents.entry((u, m)).or_default() += 1;
                }
            }
        }
        let lows: Vec<_> = derived
            .iter()
            .filter(|d| d.element == "registered_residents_low")
            .collect();
        assert!(lows.len() > 50, "{} values", lows.len());
        assert!(lows.iter().any(|d| d.value > 0));
        for d in lows {
            let Period::Year(y) = d.period else {
                panic!("a yearly value: {d:?}")
            };
            let unit = h.unit(d.unit).unwrap();
            let plain = w
                .months()
                .into_iter()
                .filter(|m| m.start().year() == y && unit.validity.contains(m.end()))
                .map(|m| residents.get(&(d.unit, m)).copied().unwrap_or(0))
                .min()
                .unwrap();
            assert_eq!(d.value, plain, "{} {} (seed {seed})", d.unit, d.period);
        }
    }
}
