//! Validity intervals of civil dates, the one place where overlap logic lives.

use crate::Date;
use serde::{Deserialize, Serialize};

/// A closed interval of civil dates `[from, to]`; `None` means unbounded on
/// that side (valid since forever, or still valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Validity {
    /// First day of validity, inclusive; `None` if unknown or unbounded.
    pub from: Option<Date>,
    /// Last day of validity, inclusive; `None` if still valid.
    pub to: Option<Date>,
}

/// The interval's end precedes its start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("validity ends ({to}) before it starts ({from})")]
pub struct InvertedValidity {
    /// The start given.
    pub from: Date,
    /// The end given.
    pub to: Date,
}

impl Validity {
    /// Valid on every date.
    pub const ALWAYS: Validity = Validity {
        from: None,
        to: None,
    };

    /// Builds an interval, refusing one that ends before it starts.
    pub fn new(from: Option<Date>, to: Option<Date>) -> Result<Self, InvertedValidity> {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err(InvertedValidity { from: f, to: t });
            }
        }
        Ok(Validity { from, to })
    }

    /// Valid from `from` onwards, with no end.
    pub fn since(from: Date) -> Self {
        Validity {
            from: Some(from),
            to: None,
        }
    }

    /// Valid up to and including `to`.
    pub fn until(to: Date) -> Self {
        Validity {
            from: None,
            to: Some(to),
        }
    }

    /// Whether `at` falls inside the interval.
    pub fn contains(&self, at: Date) -> bool {
        self.from.is_none_or(|f| f <= at) && self.to.is_none_or(|t| at <= t)
    }

    /// Whether the two intervals share at least one day.
    pub fn overlaps(&self, other: &Validity) -> bool {
        let starts_before_other_ends = match (self.from, other.to) {
            (Some(f), Some(t)) => f <= t,
            _ => true,
        };
        let other_starts_before_self_ends = match (other.from, self.to) {
            (Some(f), Some(t)) => f <= t,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_self_ends
    }

    /// The days common to both intervals, if any.
    pub fn intersect(&self, other: &Validity) -> Option<Validity> {
        if !self.overlaps(other) {
            return None;
        }
        let from = match (self.from, other.from) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let to = match (self.to, other.to) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(Validity { from, to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reform_day_separates_old_and_new_units() {
        let old = Validity::until(d(2025, 6, 30));
        let new = Validity::since(d(2025, 7, 1));
        assert!(!old.overlaps(&new));
        assert!(old.contains(d(2025, 6, 30)));
        assert!(!old.contains(d(2025, 7, 1)));
        assert!(new.contains(d(2025, 7, 1)));
    }

    #[test]
    fn inverted_interval_is_refused() {
        assert!(Validity::new(Some(d(2025, 7, 1)), Some(d(2025, 6, 30))).is_err());
    }

    fn arb_validity() -> impl Strategy<Value = Validity> {
        (
            proptest::option::of(0i64..3000),
            proptest::option::of(0i64..3000),
        )
            .prop_map(|(a, b)| {
                let base = d(2000, 1, 1);
                let mut from = a.map(|x| base + chrono::Duration::days(x));
                let mut to = b.map(|x| base + chrono::Duration::days(x));
                if let (Some(f), Some(t)) = (from, to) {
                    if t < f {
                        std::mem::swap(&mut from, &mut to);
                    }
                }
                Validity { from, to }
            })
    }

    proptest! {
        #[test]
        fn overlap_agrees_with_a_shared_day(a in arb_validity(), b in arb_validity(), x in 0i64..3000) {
            let day = d(2000, 1, 1) + chrono::Duration::days(x);
            if a.contains(day) && b.contains(day) {
                prop_assert!(a.overlaps(&b));
                let i = a.intersect(&b).unwrap();
                prop_assert!(i.contains(day));
            }
            prop_assert_eq!(a.overlaps(&b), b.overlaps(&a));
        }
    }
}
