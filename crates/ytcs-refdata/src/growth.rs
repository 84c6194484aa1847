//! The WHO Child Growth Standards (2006) LMS tables embedded from
//! `data/who-growth/` (see `data/PROVENANCE.md`), read into
//! `ytcs_core::growth::GrowthStandards`.

use std::collections::HashMap;

use ytcs_core::growth::{GrowthStandards, Lms, LmsTable, SexTables};

/// A growth table that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("reference file who-growth/{file}: {problem}")]
pub struct GrowthDataError {
    /// Which file.
    pub file: &'static str,
    /// What is wrong.
    pub problem: String,
}

const FILES: [(&str, &str); 8] = [
    (
        "lhfa_boys_0_5_zscores.json",
        include_str!("../../../data/who-growth/lhfa_boys_0_5_zscores.json"),
    ),
    (
        "lhfa_girls_0_5_zscores.json",
        include_str!("../../../data/who-growth/lhfa_girls_0_5_zscores.json"),
    ),
    (
        "wfa_boys_0_5_zscores.json",
        include_str!("../../../data/who-growth/wfa_boys_0_5_zscores.json"),
    ),
    (
        "wfa_girls_0_5_zscores.json",
        include_str!("../../../data/who-growth/wfa_girls_0_5_zscores.json"),
    ),
    (
        "wfl_boys_0_2_zscores.json",
        include_str!("../../../data/who-growth/wfl_boys_0_2_zscores.json"),
    ),
    (
        "wfl_girls_0_2_zscores.json",
        include_str!("../../../data/who-growth/wfl_girls_0_2_zscores.json"),
    ),
    (
        "wfh_boys_2_5_zscores.json",
        include_str!("../../../data/who-growth/wfh_boys_2_5_zscores.json"),
    ),
    (
        "wfh_girls_2_5_zscores.json",
        include_str!("../../../data/who-growth/wfh_girls_2_5_zscores.json"),
    ),
];

/// Reads one file's rows, keyed by `key` ("Month", "Length" or "Height").
fn rows(file: &'static str, text: &str, key: &str) -> Result<Vec<Lms>, GrowthDataError> {
    let bad = |problem: String| GrowthDataError { file, problem };
    let raw: Vec<HashMap<String, String>> =
        serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    raw.iter()
        .enumerate()
        .map(|(i, r)| {
            let num = |k: &str| -> Result<f64, GrowthDataError> {
                r.get(k)
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .ok_or_else(|| bad(format!("row {}: no number in {k}", i + 1)))
            };
            Ok(Lms {
                key: num(key)?,
                l: num("L")?,
                m: num("M")?,
                s: num("S")?,
            })
        })
        .collect()
}

fn text_of(name: &str) -> (&'static str, &'static str) {
    FILES
        .iter()
        .copied()
        .find(|(n, _)| *n == name)
        .unwrap_or(("missing", "[]"))
}

fn sex_tables(sex: &str) -> Result<SexTables, GrowthDataError> {
    let load = |prefix: &str, range: &str, key: &str| {
        let (file, text) = text_of(&format!("{prefix}_{sex}_{range}_zscores.json"));
        rows(file, text, key)
    };
    // Length/height-for-age lists month 24 twice: first lying (the end of
    // the length table), then standing (the start of the height table).
    let lhfa = load("lhfa", "0_5", "Month")?;
    let split = lhfa
        .iter()
        .position(|r| r.key >= 24.0)
        .map_or(lhfa.len(), |i| i + 1);
    let (length, height) = lhfa.split_at(split.min(lhfa.len()));
    Ok(SexTables {
        length_for_age: LmsTable {
            rows: length.to_vec(),
        },
        height_for_age: LmsTable {
            rows: height.to_vec(),
        },
        weight_for_age: LmsTable {
            rows: load("wfa", "0_5", "Month")?,
        },
        weight_for_length: LmsTable {
            rows: load("wfl", "0_2", "Length")?,
        },
        weight_for_height: LmsTable {
            rows: load("wfh", "2_5", "Height")?,
        },
    })
}

/// The WHO growth standards for boys and girls.
pub fn growth_standards() -> Result<GrowthStandards, GrowthDataError> {
    Ok(GrowthStandards {
        boys: sex_tables("boys")?,
        girls: sex_tables("girls")?,
    })
}

#[cfg(test)]
mod tests {
    use ytcs_core::growth::{Measurement, Sex};

    #[test]
    fn the_tables_load_whole_and_give_who_reference_points() {
        let g = super::growth_standards().unwrap();
        assert_eq!(g.boys.length_for_age.rows.len(), 25, "months 0–24 lying");
        assert_eq!(
            g.boys.height_for_age.rows.len(),
            37,
            "months 24–60 standing"
        );
        assert_eq!(g.girls.weight_for_age.rows.len(), 61);
        assert_eq!(g.boys.weight_for_length.rows.first().unwrap().key, 45.0);
        assert_eq!(g.boys.weight_for_height.rows.last().unwrap().key, 120.0);
        let z = |sex, age_days, weight, height, lying| {
            g.z_scores(&Measurement {
                sex,
                age_days,
                weight_kg: Some(weight),
                height_cm: Some(height),
                lying,
            })
        };
        // A boy at birth at −2 SD of length (46.1 cm) and the weight median.
        let b = z(Sex::Male, 0, 3.3464, 46.1, true);
        assert!((b.haz.unwrap() + 2.0).abs() < 0.03, "{b:?}");
        assert!(b.waz.unwrap().abs() < 0.01, "{b:?}");
        // A girl of three (1,096 days) standing 84.0 cm is stunted (−2 SD
        // at 36 months is 87.4 cm).
        let g3 = z(Sex::Female, 1096, 11.0, 84.0, false);
        assert_eq!(g3.stunted(), Some(true), "{g3:?}");
        assert_eq!(g3.implausible(), Vec::<&str>::new());
    }
}
