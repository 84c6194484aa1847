//! What a data-entry form of one unit and period shows besides its
//! inputs: the values stored for the period and for the one before, the
//! history of the last [`HISTORY`] periods that flags an unusual value
//! ([`ytcs_core::aggregate::outlier`]), and which elements are derived
//! from the station registers (shown read-only, never written by hand).

use std::collections::HashMap;

use ytcs_core::aggregate::{outlier, Fixed};
use ytcs_core::org::UnitId;
use ytcs_core::period::Period;
use ytcs_store::registers::DerivationMark;
use ytcs_store::values::{StoredValue, ValueFilter};
use ytcs_store::{Store, StoreError};

/// Periods before the form's that an unusual value is judged against.
pub const HISTORY: usize = 12;

/// A value's key: (element, disaggregation).
pub type Key = (String, String);

/// The stored values around one unit's form.
#[derive(Debug, Clone)]
pub struct EntryValues {
    /// The unit.
    pub unit: UnitId,
    /// The period of the form.
    pub period: Period,
    /// Its stored values.
    pub now: HashMap<Key, Fixed>,
    /// The values of the period before.
    pub previous: HashMap<Key, Fixed>,
    /// Each key's values over the [`HISTORY`] periods before, newest
    /// first.
    history: HashMap<Key, Vec<f64>>,
    /// What the registers derive.
    marks: Vec<DerivationMark>,
}

impl EntryValues {
    /// How unusual the stored value of `key` is against its history (a
    /// robust z-score), when it is.
    pub fn outlier(&self, key: &Key) -> Option<f64> {
        let v = self.now.get(key)?;
        outlier(
            v.to_f64(),
            self.history.get(key).map(Vec::as_slice).unwrap_or(&[]),
        )
    }

    /// Whether the registers derive `element` for this unit and period.
    pub fn derived(&self, element: &str) -> bool {
        crate::registers::is_derived(&self.marks, element, self.unit, self.period)
    }
}

/// The values around the form of `unit` for `period`.
pub async fn entry_values(
    store: &dyn Store,
    unit: UnitId,
    period: Period,
) -> Result<EntryValues, StoreError> {
    let filter = |p: Period| ValueFilter {
        element: None,
        period: Some(p),
        units: Some(vec![unit]),
        ..ValueFilter::default()
    };
    let index = |vals: Vec<StoredValue>| -> HashMap<Key, Fixed> {
        vals.into_iter()
            .map(|v| ((v.value.element, v.value.disagg), v.value.value))
            .collect()
    };
    let now = index(store.data_values(&filter(period)).await?);
    let mut history: HashMap<Key, Vec<f64>> = HashMap::new();
    let mut previous = HashMap::new();
    let mut p = period;
    for i in 0..HISTORY {
        p = p.previous();
        let vals = store.data_values(&filter(p)).await?;
        for v in &vals {
            history
                .entry((v.value.element.clone(), v.value.disagg.clone()))
                .or_default()
                .push(v.value.value.to_f64());
        }
        if i == 0 {
            previous = index(vals);
        }
    }
    Ok(EntryValues {
        unit,
        period,
        now,
        previous,
        history,
        marks: store.derivation_marks().await?,
    })
}
