//! Child growth against the WHO Child Growth Standards (2006): z-scores of
//! length/height-for-age, weight-for-age and weight-for-length/height from
//! the LMS tables, and the classifications the plans count (stunting,
//! underweight, wasting: z < −2).
//!
//! Rules, as WHO Anthro applies them:
//! - z = ((X/M)^L − 1) / (L·S), or ln(X/M)/S when L = 0;
//! - for the weight-based indicators beyond ±3, the distance past the ±3 SD
//!   point is measured in units of the 2–3 SD band (WHO's restricted
//!   formula);
//! - ages are in months (days / 30.4375) and L, M, S are interpolated
//!   linearly between the monthly rows (lengths between the 0.5 cm rows);
//! - length is measured lying down before 24 months, height standing from
//!   24 months: a standing measure before 24 months counts 0.7 cm more, a
//!   lying one from 24 months 0.7 cm less;
//! - a z-score outside WHO's plausibility limits (HAZ −6…6, WAZ −6…5, WHZ
//!   −5…5) is flagged, not dropped: the measurement is probably wrong.

use serde::Serialize;

/// One row of an LMS table: the key (age in months, or length in cm) and
/// the Box-Cox power, median and coefficient of variation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lms {
    /// Age in months or length/height in cm.
    pub key: f64,
    /// Box-Cox power.
    pub l: f64,
    /// Median.
    pub m: f64,
    /// Coefficient of variation.
    pub s: f64,
}

/// An LMS table, sorted by key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LmsTable {
    /// The rows.
    pub rows: Vec<Lms>,
}

impl LmsTable {
    /// L, M, S at `key`, interpolated; `None` outside the table.
    pub fn at(&self, key: f64) -> Option<Lms> {
        let first = self.rows.first()?;
        let last = self.rows.last()?;
        if !key.is_finite() || key < first.key - 1e-9 || key > last.key + 1e-9 {
            return None;
        }
        let i = self.rows.partition_point(|r| r.key < key);
        let hi = self.rows.get(i).copied().unwrap_or(*last);
        if (hi.key - key).abs() < 1e-9 || i == 0 {
            return Some(hi);
        }
        let lo = self.rows[i - 1];
        let t = (key - lo.key) / (hi.key - lo.key);
        let mix = |a: f64, b: f64| a + t * (b - a);
        Some(Lms {
            key,
            l: mix(lo.l, hi.l),
            m: mix(lo.m, hi.m),
            s: mix(lo.s, hi.s),
        })
    }
}

/// The value X at z for an LMS row (the inverse of [`z_of`]).
pub fn value_at(p: Lms, z: f64) -> f64 {
    if p.l.abs() < 1e-12 {
        p.m * (p.s * z).exp()
    } else {
        p.m * (1.0 + p.l * p.s * z).powf(1.0 / p.l)
    }
}

/// The plain LMS z-score of `x`.
pub fn z_of(p: Lms, x: f64) -> f64 {
    if p.l.abs() < 1e-12 {
        (x / p.m).ln() / p.s
    } else {
        ((x / p.m).powf(p.l) - 1.0) / (p.l * p.s)
    }
}

/// WHO's restricted z-score for weight-based indicators: beyond ±3 the
/// distance past the ±3 SD value is counted in units of the 2–3 SD band.
pub fn z_restricted(p: Lms, x: f64) -> f64 {
    let z = z_of(p, x);
    if z > 3.0 {
        let (sd2, sd3) = (value_at(p, 2.0), value_at(p, 3.0));
        3.0 + (x - sd3) / (sd3 - sd2)
    } else if z < -3.0 {
        let (sd2, sd3) = (value_at(p, -2.0), value_at(p, -3.0));
        -3.0 + (x - sd3) / (sd2 - sd3)
    } else {
        z
    }
}

/// The child's sex, as the tables are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Boys.
    Male,
    /// Girls.
    Female,
}

/// The tables of one sex.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SexTables {
    /// Length-for-age, 0–24 months (lying).
    pub length_for_age: LmsTable,
    /// Height-for-age, 24–60 months (standing).
    pub height_for_age: LmsTable,
    /// Weight-for-age, 0–60 months.
    pub weight_for_age: LmsTable,
    /// Weight-for-length, 45–110 cm (under 24 months).
    pub weight_for_length: LmsTable,
    /// Weight-for-height, 65–120 cm (24 months and over).
    pub weight_for_height: LmsTable,
}

/// The WHO tables for both sexes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GrowthStandards {
    /// Boys.
    pub boys: SexTables,
    /// Girls.
    pub girls: SexTables,
}

/// One measurement of a child.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measurement {
    /// Sex.
    pub sex: Sex,
    /// Age in days on the day of measurement.
    pub age_days: u32,
    /// Weight in kg.
    pub weight_kg: Option<f64>,
    /// Length or height in cm.
    pub height_cm: Option<f64>,
    /// Measured lying down.
    pub lying: bool,
}

/// The z-scores of a measurement (`None`: not measured, or outside the
/// tables).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GrowthZ {
    /// Length/height-for-age.
    pub haz: Option<f64>,
    /// Weight-for-age.
    pub waz: Option<f64>,
    /// Weight-for-length/height.
    pub whz: Option<f64>,
}

impl GrowthZ {
    /// Length/height-for-age below −2: stunted.
    pub fn stunted(&self) -> Option<bool> {
        self.haz.map(|z| z < -2.0)
    }
    /// Weight-for-age below −2: underweight.
    pub fn underweight(&self) -> Option<bool> {
        self.waz.map(|z| z < -2.0)
    }
    /// Weight-for-length/height below −2: wasted.
    pub fn wasted(&self) -> Option<bool> {
        self.whz.map(|z| z < -2.0)
    }
    /// The z-scores outside WHO's plausibility limits, by name.
    pub fn implausible(&self) -> Vec<&'static str> {
        let mut out = vec![];
        if self.haz.is_some_and(|z| !(-6.0..=6.0).contains(&z)) {
            out.push("haz");
        }
        if self.waz.is_some_and(|z| !(-6.0..=5.0).contains(&z)) {
            out.push("waz");
        }
        if self.whz.is_some_and(|z| !(-5.0..=5.0).contains(&z)) {
            out.push("whz");
        }
        out
    }
}

/// Days per month in the WHO standards.
pub const DAYS_PER_MONTH: f64 = 30.4375;

impl GrowthStandards {
    /// The z-scores of a measurement of a child under five.
    pub fn z_scores(&self, m: &Measurement) -> GrowthZ {
        let t = match m.sex {
            Sex::Male => &self.boys,
            Sex::Female => &self.girls,
        };
        let months = f64::from(m.age_days) / DAYS_PER_MONTH;
        let under_two = months < 24.0;
        // Lying before 24 months, standing after: convert what was measured.
        let height =
            m.height_cm
                .filter(|h| h.is_finite() && *h > 0.0)
                .map(|h| match (under_two, m.lying) {
                    (true, false) => h + 0.7,
                    (false, true) => h - 0.7,
                    _ => h,
                });
        let weight = m.weight_kg.filter(|w| w.is_finite() && *w > 0.0);
        let for_age = if under_two {
            &t.length_for_age
        } else {
            &t.height_for_age
        };
        let haz = height.and_then(|h| for_age.at(months).map(|p| z_of(p, h)));
        let waz = weight.and_then(|w| t.weight_for_age.at(months).map(|p| z_restricted(p, w)));
        let by_height = if under_two {
            &t.weight_for_length
        } else {
            &t.weight_for_height
        };
        let whz = match (weight, height) {
            (Some(w), Some(h)) => by_height.at(h).map(|p| z_restricted(p, w)),
            _ => None,
        };
        GrowthZ { haz, waz, whz }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table(rows: &[(f64, f64, f64, f64)]) -> LmsTable {
        LmsTable {
            rows: rows
                .iter()
                .map(|&(key, l, m, s)| Lms { key, l, m, s })
                .collect(),
        }
    }

    #[test]
    fn the_median_is_zero_and_the_sd_points_are_their_z() {
        // Boys' length at birth: L 1, M 49.8842, S 0.03795; −2 SD is 46.1 cm.
        let p = Lms {
            key: 0.0,
            l: 1.0,
            m: 49.8842,
            s: 0.03795,
        };
        assert!(z_of(p, 49.8842).abs() < 1e-12);
        assert!((z_of(p, 46.1) + 2.0).abs() < 0.03);
        // Girls' weight at birth (L 0.3809): 2.4 kg is about −2 SD.
        let w = Lms {
            key: 0.0,
            l: 0.3809,
            m: 3.2322,
            s: 0.14171,
        };
        assert!(
            (z_restricted(w, 2.4) + 2.0).abs() < 0.06,
            "{}",
            z_restricted(w, 2.4)
        );
        // Beyond 3 SD, the restricted formula counts in 2–3 SD bands.
        let far = value_at(w, 3.0) + (value_at(w, 3.0) - value_at(w, 2.0));
        assert!((z_restricted(w, far) - 4.0).abs() < 1e-9);
        let l0 = Lms {
            key: 0.0,
            l: 0.0,
            m: 10.0,
            s: 0.1,
        };
        assert!((z_of(l0, value_at(l0, 1.5)) - 1.5).abs() < 1e-9);
    }

    #[test]
    fn tables_interpolate_between_rows_and_refuse_outside() {
        let t = table(&[(0.0, 1.0, 50.0, 0.04), (1.0, 1.0, 54.0, 0.04)]);
        assert_eq!(t.at(0.5).unwrap().m, 52.0);
        assert_eq!(t.at(1.0).unwrap().m, 54.0);
        assert!(t.at(1.5).is_none() && t.at(-0.1).is_none() && t.at(f64::NAN).is_none());
    }

    #[test]
    fn measurements_use_the_right_table_and_flag_what_is_implausible() {
        let row = |m: f64| (0.0, 1.0, m, 0.04);
        let boys = SexTables {
            length_for_age: table(&[row(50.0), (30.0, 1.0, 50.0, 0.04)]),
            height_for_age: table(&[(24.0, 1.0, 90.0, 0.04), (60.0, 1.0, 90.0, 0.04)]),
            weight_for_age: table(&[(0.0, 1.0, 10.0, 0.1), (60.0, 1.0, 10.0, 0.1)]),
            weight_for_length: table(&[(45.0, 1.0, 10.0, 0.1), (110.0, 1.0, 10.0, 0.1)]),
            weight_for_height: table(&[(65.0, 1.0, 12.0, 0.1), (120.0, 1.0, 12.0, 0.1)]),
        };
        let std = GrowthStandards {
            boys,
            girls: SexTables::default(),
        };
        // Ten months old, measured standing: 0.7 cm is added.
        let z = std.z_scores(&Measurement {
            sex: Sex::Male,
            age_days: 304,
            weight_kg: Some(7.9),
            height_cm: Some(49.3),
            lying: false,
        });
        assert!(z.haz.unwrap().abs() < 1e-9);
        assert!((z.waz.unwrap() + 2.1).abs() < 1e-9);
        assert_eq!(z.underweight(), Some(true));
        assert_eq!(z.stunted(), Some(false));
        // Three years old: height table, weight-for-height.
        let z = std.z_scores(&Measurement {
            sex: Sex::Male,
            age_days: 1096,
            weight_kg: Some(12.0),
            height_cm: Some(90.0),
            lying: false,
        });
        assert!(z.haz.unwrap().abs() < 1e-9 && z.whz.unwrap().abs() < 1e-9);
        // A 900 cm child is flagged, and tables a sex lacks give nothing.
        let z = std.z_scores(&Measurement {
            sex: Sex::Male,
            age_days: 1096,
            weight_kg: Some(12.0),
            height_cm: Some(200.0),
            lying: false,
        });
        assert_eq!(z.implausible(), vec!["haz"]);
        let girl = std.z_scores(&Measurement {
            sex: Sex::Female,
            age_days: 100,
            weight_kg: Some(5.0),
            height_cm: Some(60.0),
            lying: true,
        });
        assert_eq!((girl.haz, girl.waz, girl.whz), (None, None, None));
    }

    proptest! {
        #[test]
        fn z_grows_with_the_measure_and_inverts(
            l in -1.0f64..1.5, m in 2.0f64..120.0, s in 0.02f64..0.2,
            z in -2.9f64..2.9, dz in 0.01f64..1.0,
        ) {
            let p = Lms { key: 0.0, l, m, s };
            let x = value_at(p, z);
            prop_assume!(x.is_finite() && x > 0.0);
            prop_assert!((z_of(p, x) - z).abs() < 1e-6);
            prop_assert!((z_restricted(p, x) - z).abs() < 1e-6);
            let y = value_at(p, (z + dz).min(2.99));
            prop_assume!(y.is_finite());
            prop_assert!(z_of(p, y) >= z_of(p, x));
        }
    }
}
