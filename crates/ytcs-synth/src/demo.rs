//! The demo's aggregate data: monthly commune reports from 2024-01 to
//! 2026-09 and annual reports for 2022–2025 over the demo province (51, with
//! former Kon Tum 62 and its Kon Rẫy district 614), each recorded under the
//! units of its time — old communes until 2025-06, the new communes from
//! 2025-07. Rates drift over the years, better in the lowlands than in the
//! highlands, so that some seed-plan targets are met and some are not
//! (insurance and immunization close to their targets, stunting in Kon
//! Rẫy far from them). Deterministic (splitmix64) and loaded once (`meta`
//! key [`META_DEMO_VALUES`]).

use std::collections::HashMap;

use ytcs_core::aggregate::Fixed;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::lifetable::AGE_GROUPS;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_store::values::ValueWrite;
use ytcs_store::Store;

use ytcs_engine::EngineError;

/// Metadata key set once the demo values are loaded.
pub const META_DEMO_VALUES: &str = "demo_values_loaded";

/// Death rates by abridged age group, roughly Viet Nam's.
const DEATH_RATES: [f64; 18] = [
    0.0, 0.0009, 0.0004, 0.0004, 0.0007, 0.0010, 0.0011, 0.0014, 0.0019, 0.0027, 0.0039, 0.0058,
    0.0087, 0.0130, 0.0210, 0.0350, 0.0590, 0.1400,
];

use crate::rng::Rng;

fn d(s: &str) -> Option<Date> {
    s.parse().ok()
}

/// The communes of province `code` (as of `at`), with whether each lies in
/// former Kon Tum (the highlands).
fn communes(h: &Hierarchy, code: &str, at: Date, highland: bool) -> Vec<(UnitId, bool)> {
    let Some(p) = OrgCode::parse(code).ok().and_then(|c| h.unit_at(&c, at)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![p.id];
    while let Some(u) = stack.pop() {
        for c in h.children(u, at) {
            match c.kind {
                OrgKind::Commune => out.push((c.id, highland)),
                OrgKind::District => stack.push(c.id),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

struct Gen {
    rng: Rng,
    writes: Vec<ValueWrite>,
}

impl Gen {
    fn put(&mut self, element: &str, unit: UnitId, period: Period, disagg: &str, v: i64) {
        if let Some(value) = Fixed::from_int(v.max(0)) {
            self.writes.push(ValueWrite {
                element: element.into(),
                unit,
                period,
                disagg: disagg.into(),
                value: Some(value),
            });
        }
    }

    /// [`Gen::put`] of `x` rounded at random.
    fn putr(&mut self, element: &str, unit: UnitId, period: Period, disagg: &str, x: f64) {
        let v = self.rng.round(x);
        self.put(element, unit, period, disagg, v);
    }

    /// One commune-month: `t` years since 2022, population by 5-year group.
    fn month(&mut self, unit: UnitId, highland: bool, p: Period, t: f64, pop: &[f64; 17]) {
        let total: f64 = pop.iter().sum();
        let births = total * if highland { 0.019 } else { 0.014 } / 12.0;
        let m = self.rng.round(births * 0.512);
        let f = self.rng.round(births * 0.488);
        self.put("live_births", unit, p, "m", m);
        self.put("live_births", unit, p, "f", f);
        let b = (m + f) as f64;
        let imr = if highland {
            0.032 - 0.002 * t
        } else {
            0.013 - 0.0005 * t
        };
        for (g, (code, _, _)) in AGE_GROUPS.iter().enumerate() {
            let expected = match g {
                0 => b * imr,
                1 => pop[0] * 0.8 * DEATH_RATES[1] * if highland { 2.0 } else { 1.0 } / 12.0,
                g => pop[g - 1] * DEATH_RATES[g] / 12.0,
            };
            let n = self.rng.round(expected);
            if n > 0 {
                let sex = if self.rng.unit() < 0.55 { "m" } else { "f" };
                self.put("deaths", unit, p, &format!("{sex}.{code}"), n);
            }
        }
        let c1 = self.rng.round(b * 0.98);
        self.put("children_age1", unit, p, "", c1);
        let imm = if highland {
            0.91 + 0.012 * t
        } else {
            0.955 + 0.006 * t
        };
        self.putr(
            "children_age1_fully_immunized",
            unit,
            p,
            "",
            c1 as f64 * imm.min(1.0),
        );
        self.putr("pregnancies_ended", unit, p, "", b * 1.03);
        let scr = if highland {
            0.35 + 0.05 * t
        } else {
            0.50 + 0.04 * t
        };
        self.putr("pregnancies_screened", unit, p, "", b * 1.03 * scr);
        let nb = if highland {
            0.45 + 0.06 * t
        } else {
            0.66 + 0.03 * t
        };
        self.putr("newborns_screened", unit, p, "", b * nb.min(1.0));
        if let Period::Month(_, 6 | 12) = p {
            let measured = self.rng.round(pop[0] * 0.9);
            self.put("children_u5_measured", unit, p, "", measured);
            let st = if highland {
                0.36 - 0.008 * t
            } else {
                0.13 - 0.006 * t
            };
            let uw = if highland {
                0.18 - 0.006 * t
            } else {
                0.08 - 0.004 * t
            };
            self.putr("children_u5_stunted", unit, p, "", measured as f64 * st);
            self.putr("children_u5_underweight", unit, p, "", measured as f64 * uw);
        }
        if self.rng.unit() < 0.01 {
            let cases = 1.0 + 3.0 * self.rng.unit();
            self.putr("food_poisoning_cases", unit, p, "", cases);
        }
    }

    /// One commune-year of the annual report.
    fn year(&mut self, unit: UnitId, highland: bool, y: i32, pop: &[f64; 17]) {
        let t = f64::from(y - 2022);
        let p = Period::Year(y);
        let total: f64 = pop.iter().sum();
        let cov = if highland {
            0.93 + 0.006 * t
        } else {
            0.915 + 0.012 * t
        };
        self.putr("insured_persons", unit, p, "", total * cov.min(0.995));
        let ehr = if highland {
            0.30 + 0.15 * t
        } else {
            0.45 + 0.12 * t
        };
        self.putr("ehr_persons", unit, p, "", total * ehr.min(0.99));
        let man = if highland {
            0.80 + 0.02 * t
        } else {
            0.88 + 0.02 * t
        };
        self.putr("managed_persons", unit, p, "", total * man.min(0.99));
        let elderly: f64 = pop[12..].iter().sum();
        let e = self.rng.round(elderly);
        self.put("elderly_60plus", unit, p, "", e);
        let chk = if highland {
            0.50 + 0.04 * t
        } else {
            0.60 + 0.03 * t
        };
        self.putr("elderly_checked", unit, p, "", e as f64 * chk);
        let known = self.rng.round(total * 0.045);
        self.put("hypertension_known", unit, p, "", known);
        self.putr(
            "hypertension_managed_persons",
            unit,
            p,
            "",
            known as f64 * (0.62 + 0.05 * t),
        );
        self.put("stations_reporting", unit, p, "", 1);
        let ncd = self.rng.unit()
            < if highland {
                0.80 + 0.04 * t
            } else {
                0.90 + 0.03 * t
            };
        self.put("stations_ncd", unit, p, "", i64::from(ncd));
        let share =
            (if highland { 68.0 } else { 80.0 } + 3.0 * t + 6.0 * self.rng.unit()).min(100.0);
        if let Some(v) = Fixed::parse_plain(&format!("{share:.1}")) {
            self.writes.push(ValueWrite {
                element: "station_services_share".into(),
                unit,
                period: p,
                disagg: String::new(),
                value: Some(v),
            });
        }
        self.put("communes_assessed", unit, p, "", 1);
        let pass = self.rng.unit()
            < if highland {
                0.55 + 0.08 * t
            } else {
                0.80 + 0.05 * t
            };
        self.put("communes_criteria_passed", unit, p, "", i64::from(pass));
        let asked = 100 + self.rng.round(50.0);
        self.put("survey_respondents", unit, p, "", asked);
        self.putr(
            "survey_satisfied",
            unit,
            p,
            "",
            asked as f64 * (0.86 + 0.015 * t),
        );
    }
}

/// Population by unit and 5-year group for one year, from the registry.
async fn population(
    store: &dyn Store,
    year: i32,
) -> Result<HashMap<UnitId, [f64; 17]>, EngineError> {
    let mut out: HashMap<UnitId, [f64; 17]> = HashMap::new();
    for c in store.population_cells(year).await? {
        let g = usize::from(c.age.lower() / 5).min(16);
        out.entry(c.unit).or_insert([0.0; 17])[g] += c.count;
    }
    Ok(out)
}

/// Loads the demo's aggregate data once (needs the demo network's
/// population); returns how many values were written.
pub async fn load_demo_values(store: &dyn Store) -> Result<usize, EngineError> {
    if store.meta(META_DEMO_VALUES).await?.is_some() {
        return Ok(0);
    }
    let h = store.hierarchy().await?;
    let (Some(eve), Some(after)) = (d("2025-06-30"), d("2025-12-31")) else {
        return Ok(0);
    };
    let mut old = communes(&h, "51", eve, false);
    old.extend(communes(&h, "62", eve, true));
    let highland: HashMap<UnitId, bool> = old.iter().copied().collect();
    // A new commune is "highland" when most of its predecessors were.
    let new: Vec<(UnitId, bool)> = communes(&h, "51", after, false)
        .into_iter()
        .map(|(u, _)| {
            let preds = h.predecessors(u);
            let hi = preds
                .iter()
                .filter(|l| highland.get(&l.predecessor).copied().unwrap_or(false))
                .count();
            (u, hi * 2 > preds.len())
        })
        .collect();
    let mut gen = Gen {
        rng: Rng(20_250_701),
        writes: Vec::new(),
    };
    let mut pops = HashMap::new();
    for y in 2022..=2026 {
        pops.insert(y, population(store, y).await?);
    }
    let empty = [0.0; 17];
    for y in 2022..=2026 {
        let pop_year = &pops[&y.min(2026)];
        for m in 1..=12u8 {
            let Some(p) = Period::month(y, m) else {
                continue;
            };
            if y < 2024 || (y == 2026 && m > 9) {
                continue;
            }
            let t = f64::from(y - 2022) + f64::from(m) / 12.0;
            let units = if p.end() <= eve { &old } else { &new };
            for (u, hi) in units {
                let pop = pop_year
                    .get(u)
                    .or_else(|| pops[&2024].get(u))
                    .unwrap_or(&empty);
                gen.month(*u, *hi, p, t, pop);
            }
        }
        if y <= 2025 {
            let units = if y <= 2024 { &old } else { &new };
            for (u, hi) in units {
                let pop = pop_year.get(u).unwrap_or(&empty);
                gen.year(*u, *hi, y, pop);
            }
        }
    }
    let n = gen.writes.len();
    for chunk in gen.writes.chunks(50_000) {
        store.write_values(&h, chunk, "demo").await?;
    }
    store.set_meta(META_DEMO_VALUES, "1").await?;
    Ok(n)
}
