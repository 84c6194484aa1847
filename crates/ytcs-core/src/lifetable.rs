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
    let mut l = 100_000.0_f64;
    let mut total_l = 0.0;
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
                let d = l * q;
                let next = l - d;
                total_l += n * next + a * d;
                l = next;
            }
            None => {
                if m <= 0.0 {
                    return None;
                }
                total_l += l / m;
            }
        }
    }
    let e0 = total_l / 100_000.0;
    e0.is_finite().then_some(e0)
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
