//! Commune-health criteria feeding the indicator `communes_criteria_pct`.
//!
//! A commune's assessments are the source of two yearly data elements of
//! the commune: `communes_assessed` and `communes_criteria_passed` (see
//! `ytcs_core::criteria::yearly_standing` for the rule: an assessment
//! counts for its year, a recognition for every year whose end it covers).
//! Saving an assessment writes them first, through the same all-or-nothing
//! `write_values` as any data (so a locked, approved year refuses the
//! assessment too), then the assessment; `rebuild --verify` covers them
//! like every value. For a commune with assessments they replace whatever
//! the annual form said for these two elements.
//!
//! The share of communes meeting the criteria (`communes_criteria_pct`)
//! counts, for a year, the communes assessed that year or holding a
//! recognition at its end (denominator) and those that passed that year
//! or hold a recognition (numerator).

use ytcs_core::aggregate::Fixed;
use ytcs_core::criteria::yearly_standing;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_store::network::WriteError;
use ytcs_store::tracking::Assessment;
use ytcs_store::values::ValueWrite;
use ytcs_store::Store;

/// The value writes a commune's assessments imply, for the years up to
/// `until_year` in which the commune exists at the year's end.
pub fn value_writes(
    h: &Hierarchy,
    commune: UnitId,
    assessments: &[Assessment],
    until_year: i32,
) -> Vec<ValueWrite> {
    let facts: Vec<(i32, bool, Option<Date>)> = assessments
        .iter()
        .filter(|a| a.commune == commune)
        .map(|a| (a.year, a.passed, a.recognised_on))
        .collect();
    let Some(unit) = h.unit(commune) else {
        return vec![];
    };
    let mut out = Vec::new();
    for (year, s) in yearly_standing(&facts) {
        let exists =
            Date::from_ymd_opt(year, 12, 31).is_some_and(|end| unit.validity.contains(end));
        if year > until_year || !exists {
            continue;
        }
        for (element, on) in [
            ("communes_assessed", s.assessed),
            ("communes_criteria_passed", s.passed),
        ] {
            out.push(ValueWrite {
                element: element.into(),
                unit: commune,
                period: Period::Year(year),
                disagg: String::new(),
                value: Fixed::from_int(i64::from(on)),
            });
        }
    }
    out
}

/// Saves an assessment and the values it implies: values first (all or
/// nothing; refused when a year is locked), then the assessment.
pub async fn save_assessment(
    store: &dyn Store,
    h: &Hierarchy,
    a: &Assessment,
    by: &str,
    until_year: i32,
) -> Result<(), WriteError> {
    let mut all = store.assessments(a.commune).await?;
    all.retain(|x| x.year != a.year);
    all.push(a.clone());
    let writes = value_writes(h, a.commune, &all, until_year);
    store.write_values(h, &writes, by).await?;
    store.save_assessment(a).await?;
    Ok(())
}

/// Re-derives the values of every commune that has assessments (the demo
/// loader and repairs use it). Returns how many values changed.
pub async fn sync_all(store: &dyn Store, by: &str, until_year: i32) -> Result<usize, WriteError> {
    let h = store.hierarchy().await?;
    let all = store.all_assessments().await?;
    let mut communes: Vec<UnitId> = all.iter().map(|a| a.commune).collect();
    communes.sort();
    communes.dedup();
    let writes: Vec<ValueWrite> = communes
        .into_iter()
        .flat_map(|c| value_writes(&h, c, &all, until_year))
        .collect();
    store.write_values(&h, &writes, by).await
}
