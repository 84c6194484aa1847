//! Life expectancy at birth from an abridged life table (Chiang's method).
//!
//! Age groups are `0`, `1-4`, `5-9`, …, `75-79`, `80+` ([`AGE_GROUPS`]).
//! For each group the age-specific death rate `nMx = deaths / person-years`
//! is turned into a probability of dying
//! `nqx = n·nMx / (1 + (n − nax)·nMx)` with `nax` the average years lived
//! in the interval by those who die in it: Coale–Demeny's rule for age 0
//! (both sexes: `0.049 + 2.742·m0`, or 0.33 when `m0 ≥ 0.107`), 1.5 for
//! `1-4`, `n/2` elsewhere; the open group lives `1/M` years. Life
//! expectancy at birth is `T0 / l0`.

/// The abridged age groups, as disaggregation options: lower bound, width
/// (`None` for the open group).
pub const AGE_GROUPS: [(&str, u8, Option<u8>); 18] = [
    ("0", 0, Some(1)),
    ("1-4", 1, Some(4)),
    ("5-9", 5, Some(5)),
    ("10-14", 10, Some(5)),
    ("15-19", 15, Some(5)),
    ("20-24", 20, Some(5)),
    ("25-29", 25, Some(5)),
    ("30-34", 30, Some(5)),
    ("35-39", 35, Some(5)),
    ("40-44", 40, Some(5)),
    ("45-49", 45, Some(5)),
    ("50-54", 50, Some(5)),
    ("55-59", 55, Some(5)),
    ("60-64", 60, Some(5)),
    ("65-69", 65, Some(5)),
    ("70-74", 70, Some(5)),
    ("75-79", 75, Some(5)),
    ("80+", 80, None),
];

/// Deaths and person-years of one age group of [`AGE_GROUPS`], in order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeRow {
    /// Deaths in the group during the period.
    pub deaths: f64,
    /// Person-years lived by the group in the period (population × length of
    /// the period in years).
    pub person_years: f64,
}

/// Life expectancy at birth, or `None` when a group has no person-years,
/// negative input, or the open group has no deaths (its life time would be
/// unbounded).
pub fn life_expectancy(rows: &[AgeRow; 18]) -> Option<f64> {
    life_table(rows).map(|(e0, _)| e0)
}

/// Life expectancy at birth and its 95 % interval by Chiang's variance:
/// `Var(e0) = Σ lᵢ² ((nᵢ − aᵢ) + eᵢ₊₁)² Var(qᵢ) / l₀²` with
/// `Var(qᵢ) = nᵢ² Mᵢ (1 − aᵢ Mᵢ) / (Pᵢ (1 + (nᵢ − aᵢ) Mᵢ)³)`, plus the open
/// group's `(l_w / l₀)² · P_w² / D_w³` (the variance of `1/M_w`).
pub fn life_expectancy_ci(rows: &[AgeRow; 18]) -> Option<(f64, (f64, f64))> {
    let (e0, se) = life_table(rows)?;
    Some((e0, crate::quality::normal(e0, se)?))
}

/// `(e0, standard error of e0)`.
fn life_table(rows: &[AgeRow; 18]) -> Option<(f64, f64)> {
    struct Group {
        l: f64,
        n: f64,
        a: f64,
        var_q: f64,
        big_l: f64,
    }
    let mut l = 100_000.0_f64;
    let mut groups: Vec<Group> = Vec::with_capacity(17);
    for (i, row) in rows.iter().enumerate() {
        if row.person_years <= 0.0 || row.deaths < 0.0 || !row.deaths.is_finite() {
            return None;
        }
        let m = row.deaths / row.person_years;
        match AGE_GROUPS[i].2 {
            Some(n) => {
                let n = f64::from(n);
                let a = match i {
                    0 if m >= 0.107 => 0.33,
                    0 => 0.049 + 2.742 * m,
                    1 => 1.5,
                    _ => n / 2.0,
                };
                let q = (n * m / (1.0 + (n - a) * m)).clamp(0.0, 1.0);
                let var_q = (n * n * m * (1.0 - a * m)
                    / (row.person_years * (1.0 + (n - a) * m).powi(3)))
                .max(0.0);
                let d = l * q;
                let next = l - d;
                groups.push(Group {
                    l,
                    n,
                    a,
                    var_q,
                    big_l: n * next + a * d,
                });
                l = next;
            }
            None => {
                if m <= 0.0 {
                    return None;
                }
                let open = (l, l / m);
                let var_inv_m = row.person_years.powi(2) / row.deaths.powi(3);
                let l0 = 100_000.0;
                let mut var = (l / l0).powi(2) * var_inv_m;
                // T after each group (person-years lived beyond it), so
                // e at the start of the next group is T / l there.
                let mut t_after: Vec<f64> = vec![0.0; groups.len()];
                let mut acc = open.1;
                for (k, g) in groups.iter().enumerate().rev() {
                    t_after[k] = acc;
                    acc += g.big_l;
                }
                for (k, g) in groups.iter().enumerate() {
                    let l_next = groups.get(k + 1).map_or(open.0, |x| x.l);
                    let e_next = if l_next > 0.0 {
                        t_after[k] / l_next
                    } else {
                        0.0
                    };
                    var += (g.l / l0).powi(2) * ((g.n - g.a) + e_next).powi(2) * g.var_q;
                }
                let e0 = acc / l0;
                return (e0.is_finite() && var.is_finite()).then_some((e0, var.sqrt()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(rates: [f64; 18]) -> [AgeRow; 18] {
        rates.map(|m| AgeRow {
            deaths: m * 10_000.0,
            person_years: 10_000.0,
        })
    }

    /// Rates close to Viet Nam's (both sexes, about 2019): e0 near 73–74.
    const VN: [f64; 18] = [
        0.0125, 0.0009, 0.0004, 0.0004, 0.0007, 0.0010, 0.0011, 0.0014, 0.0019, 0.0027, 0.0039,
        0.0058, 0.0087, 0.0130, 0.0210, 0.0350, 0.0590, 0.1400,
    ];

    #[test]
    fn vietnam_like_rates_give_a_plausible_life_expectancy() {
        let e0 = life_expectancy(&table(VN)).unwrap();
        assert!((70.0..78.0).contains(&e0), "{e0}");
    }

    #[test]
    fn the_interval_narrows_with_population_and_holds_e0() {
        let scale = |k: f64| {
            let mut t = table(VN);
            for r in &mut t {
                r.deaths *= k;
                r.person_years *= k;
            }
            t
        };
        let (e_small, (lo_s, hi_s)) = life_expectancy_ci(&scale(0.1)).unwrap();
        let (e_big, (lo_b, hi_b)) = life_expectancy_ci(&scale(10.0)).unwrap();
        assert!((e_small - e_big).abs() < 1e-9);
        assert!(lo_s < e_small && e_small < hi_s && lo_b < e_big && e_big < hi_b);
        // Variance ∝ 1/population: 100× the people, a tenth of the width.
        let ratio = (hi_s - lo_s) / (hi_b - lo_b);
        assert!((ratio - 10.0).abs() < 0.01, "{ratio}");
        // A national-size table (≈ 100 M person-years): well under a year.
        let (_, (lo, hi)) = life_expectancy_ci(&scale(10_000.0)).unwrap();
        assert!(hi - lo < 0.5, "{lo} {hi}");
    }

    #[test]
    fn a_constant_rate_gives_about_its_inverse() {
        // With m constant, e0 ≈ 1/m (exactly so for a stationary exponential).
        let e0 = life_expectancy(&table([0.02; 18])).unwrap();
        assert!((e0 - 50.0).abs() < 1.0, "{e0}");
    }

    #[test]
    fn no_population_or_no_deaths_in_the_open_group_is_no_data() {
        let mut t = table(VN);
        t[3].person_years = 0.0;
        assert_eq!(life_expectancy(&t), None);
        let mut t = table(VN);
        t[17].deaths = 0.0;
        assert_eq!(life_expectancy(&t), None);
    }

    proptest! {
        #[test]
        fn higher_mortality_never_lengthens_life(
            rates in proptest::array::uniform18(0.0001f64..0.5),
            k in 1.0f64..3.0,
        ) {
            let base = life_expectancy(&table(rates)).unwrap();
            let worse = life_expectancy(&table(rates.map(|m| m * k))).unwrap();
            prop_assert!(worse <= base + 1e-9);
            prop_assert!(base > 0.0 && base < 10_000.0);
        }
    }
}
