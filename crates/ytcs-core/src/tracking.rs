//! Running a plan: when tasks and reports fall due, and whether they are
//! late. Pure rules over dates; the store keeps the status updates.
//!
//! Deadlines come from a task's timeframe as the plan wrote it:
//! a year is due on 31 December, a quarter or month on its last day,
//! "trước ngày D" on D, a range on its last day, a recurring duty on each
//! occurrence; "thường xuyên" (ongoing) and unspecified timeframes have no
//! deadline and are never overdue.
//!
//! [`due_of`] turns a timeframe into a deadline and [`duty_due`] a
//! reporting duty into its occurrences; [`standing`] says a task is
//! overdue from the day after a one-off deadline unless done;
//! [`report_state`] is upcoming, submitted, late or missing.
//! [`plan_start`] is when a plan's calendar runs from: its date of issue,
//! else the latest date among its legal bases, else the earliest year its
//! tasks or targets name.

use chrono::{Datelike, Duration};
use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::plan::{Frequency, Plan, ReportingDuty, Timeframe, TimeframeKind};
use crate::Date;

/// When something is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Due {
    /// Once, on this day.
    Once {
        /// The last day.
        date: Date,
    },
    /// Every period of a frequency, on a day in it (e.g. every 15/12).
    Recurring {
        /// How often.
        frequency: Frequency,
        /// Month of the deadline in the period, when given (annual).
        month: Option<u8>,
        /// Day of month, when given.
        day: Option<u8>,
    },
    /// Continuous work without a deadline.
    Ongoing,
}

/// The deadline a timeframe sets, if any.
pub fn due_of(tf: &Timeframe) -> Due {
    let last_of = |p: Option<Period>| p.map_or(Due::Ongoing, |p| Due::Once { date: p.end() });
    match tf.kind {
        TimeframeKind::Year => last_of(tf.year.and_then(Period::year)),
        TimeframeKind::Quarter => last_of(
            tf.year
                .zip(tf.quarter)
                .and_then(|(y, q)| Period::quarter(y, q)),
        ),
        TimeframeKind::Month => {
            last_of(tf.year.zip(tf.month).and_then(|(y, m)| Period::month(y, m)))
        }
        TimeframeKind::Before => tf.date.map_or(Due::Ongoing, |date| Due::Once { date }),
        TimeframeKind::Range => tf
            .to
            .or(tf.date)
            .map_or(Due::Ongoing, |date| Due::Once { date }),
        TimeframeKind::Recurring => Due::Recurring {
            frequency: tf.frequency.unwrap_or(Frequency::Annual),
            month: tf.month,
            day: tf.day,
        },
        TimeframeKind::Ongoing | TimeframeKind::Unspecified => Due::Ongoing,
    }
}

/// The last day of `month` in `year` (days past it are clamped: 31/2 → 28/2 or 29/2).
fn clamp_date(year: i32, month: u32, day: u32) -> Option<Date> {
    let month = month.clamp(1, 12);
    let first = Date::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        Date::from_ymd_opt(year + 1, 1, 1)?
    } else {
        Date::from_ymd_opt(year, month + 1, 1)?
    };
    let last = (next - Duration::days(1)).day();
    first.with_day(day.clamp(1, last))
}

/// The occurrences of a due rule whose deadline falls within `[from, to]`,
/// in order. A one-off deadline yields itself if in range; ongoing work
/// yields nothing.
pub fn occurrences(due: &Due, from: Date, to: Date) -> Vec<Date> {
    if to < from {
        return Vec::new();
    }
    match *due {
        Due::Ongoing => Vec::new(),
        Due::Once { date } => {
            if from <= date && date <= to {
                vec![date]
            } else {
                Vec::new()
            }
        }
        Due::Recurring {
            frequency,
            month,
            day,
        } => {
            let mut out = Vec::new();
            for year in from.year()..=to.year() {
                let dates: Vec<Option<Date>> = match frequency {
                    // Annual and unspecified "định kỳ": once a year, by default
                    // at the year's end.
                    Frequency::Annual | Frequency::Periodic => {
                        vec![clamp_date(
                            year,
                            u32::from(month.unwrap_or(12)),
                            u32::from(day.unwrap_or(31)),
                        )]
                    }
                    // Twice a year: the given month and six months later, or
                    // the halves' last days.
                    Frequency::Semiannual => {
                        let m = u32::from(month.unwrap_or(6));
                        let first = ((m - 1) % 6) + 1;
                        vec![
                            clamp_date(year, first, u32::from(day.unwrap_or(31))),
                            clamp_date(year, first + 6, u32::from(day.unwrap_or(31))),
                        ]
                    }
                    Frequency::Quarterly => {
                        let m = u32::from(month.unwrap_or(3));
                        let first = ((m - 1) % 3) + 1;
                        (0..4)
                            .map(|k| clamp_date(year, first + 3 * k, u32::from(day.unwrap_or(31))))
                            .collect()
                    }
                    Frequency::Monthly => (1..=12)
                        .map(|m| clamp_date(year, m, u32::from(day.unwrap_or(31))))
                        .collect(),
                    Frequency::Weekly => {
                        let mut v = Vec::new();
                        let Some(mut d) = Date::from_ymd_opt(year, 1, 1) else {
                            continue;
                        };
                        // Weekly duties fall on Fridays.
                        while d.weekday() != chrono::Weekday::Fri {
                            d += Duration::days(1);
                        }
                        while d.year() == year {
                            v.push(Some(d));
                            d += Duration::days(7);
                        }
                        v
                    }
                };
                out.extend(
                    dates
                        .into_iter()
                        .flatten()
                        .filter(|d| from <= *d && *d <= to),
                );
            }
            out.sort();
            out.dedup();
            out
        }
    }
}

/// The next deadline on or after `today`.
pub fn next_due(due: &Due, today: Date) -> Option<Date> {
    match due {
        Due::Ongoing => None,
        Due::Once { date } => Some(*date),
        Due::Recurring { .. } => occurrences(due, today, today + Duration::days(400))
            .first()
            .copied(),
    }
}

/// Where a task stands, as its lead unit last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Nothing reported yet.
    NotStarted,
    /// Work under way.
    InProgress,
    /// Finished.
    Done,
    /// Stopped by something outside the unit.
    Blocked,
}

/// A task's standing on a day: its status and whether it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// Last reported status.
    pub status: TaskStatus,
    /// The deadline that matters now: a one-off deadline, or the next
    /// occurrence of a recurring one.
    pub due: Option<Date>,
    /// Past a one-off deadline without being done.
    pub overdue: bool,
    /// Days to the deadline (negative when past).
    pub days_left: Option<i64>,
}

/// The standing of a task on `today`. Recurring and ongoing tasks are never
/// overdue as a whole (their reports are, see [`report_state`]); a one-off
/// task is overdue the day after its deadline unless done.
pub fn standing(due: &Due, status: TaskStatus, today: Date) -> Standing {
    let date = next_due(due, today);
    let overdue = matches!(due, Due::Once { date } if *date < today) && status != TaskStatus::Done;
    Standing {
        status,
        due: date,
        overdue,
        days_left: date.map(|d| (d - today).num_days()),
    }
}

/// The reporting rule of a duty: its frequency (annual when only a deadline
/// is given) and its deadline in the period.
pub fn duty_due(d: &ReportingDuty) -> Option<Due> {
    let frequency = d
        .frequency
        .or(d.deadline.as_ref().map(|_| Frequency::Annual))?;
    Some(Due::Recurring {
        frequency,
        month: d.deadline.as_ref().and_then(|x| x.month),
        day: d.deadline.as_ref().and_then(|x| x.day),
    })
}

/// The first day a plan's duties run from: its date of issue; else the
/// latest date among its legal bases (a plan comes after what it
/// implements); else 1 January of the earliest year its tasks or targets
/// name; else 1 January of `today`'s year.
pub fn plan_start(p: &Plan, today: Date) -> Date {
    if let Some(d) = p
        .date
        .or_else(|| p.legal_bases.iter().filter_map(|b| b.date).max())
    {
        return d;
    }
    let years = p.targets.iter().filter_map(|t| t.year).chain(
        p.tasks
            .iter()
            .filter_map(|t| t.timeframe.year.or(t.timeframe.date.map(|d| d.year()))),
    );
    let y = years.min().unwrap_or(today.year()).min(today.year());
    Date::from_ymd_opt(y, 1, 1).unwrap_or(today)
}

/// The state of one due report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// Not yet due and not submitted.
    Upcoming,
    /// Submitted on or before its deadline.
    Submitted,
    /// Submitted after its deadline.
    Late,
    /// Past its deadline and not submitted.
    Missing,
}

/// The state of a report due on `due`, submitted on `submitted` (if at
/// all), seen on `today`.
pub fn report_state(due: Date, submitted: Option<Date>, today: Date) -> ReportState {
    match submitted {
        Some(s) if s <= due => ReportState::Submitted,
        Some(_) => ReportState::Late,
        None if today > due => ReportState::Missing,
        None => ReportState::Upcoming,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn tf(kind: TimeframeKind) -> Timeframe {
        Timeframe::new(kind, "")
    }

    #[test]
    fn a_quarter_is_due_on_its_last_day_and_a_before_date_on_that_date() {
        let mut q = tf(TimeframeKind::Quarter);
        q.year = Some(2024);
        q.quarter = Some(4);
        assert_eq!(
            due_of(&q),
            Due::Once {
                date: d("2024-12-31")
            }
        );
        let mut b = tf(TimeframeKind::Before);
        b.date = Some(d("2025-07-01"));
        assert_eq!(
            due_of(&b),
            Due::Once {
                date: d("2025-07-01")
            }
        );
        assert_eq!(due_of(&tf(TimeframeKind::Ongoing)), Due::Ongoing);
    }

    #[test]
    fn every_15_december_is_due_once_a_year() {
        let mut r = tf(TimeframeKind::Recurring);
        r.frequency = Some(Frequency::Annual);
        r.month = Some(12);
        r.day = Some(15);
        let due = due_of(&r);
        assert_eq!(
            occurrences(&due, d("2024-01-01"), d("2026-12-31")),
            [d("2024-12-15"), d("2025-12-15"), d("2026-12-15")]
        );
        assert_eq!(next_due(&due, d("2025-12-16")), Some(d("2026-12-15")));
    }

    #[test]
    fn six_monthly_reports_fall_in_june_and_december() {
        let due = Due::Recurring {
            frequency: Frequency::Semiannual,
            month: Some(6),
            day: Some(15),
        };
        assert_eq!(
            occurrences(&due, d("2025-01-01"), d("2025-12-31")),
            [d("2025-06-15"), d("2025-12-15")]
        );
        let q = Due::Recurring {
            frequency: Frequency::Quarterly,
            month: None,
            day: None,
        };
        assert_eq!(occurrences(&q, d("2025-01-01"), d("2025-12-31")).len(), 4);
        assert_eq!(
            occurrences(&q, d("2025-01-01"), d("2025-12-31"))[0],
            d("2025-03-31")
        );
    }

    #[test]
    fn a_task_is_overdue_the_day_after_its_deadline_unless_done() {
        let due = Due::Once {
            date: d("2024-12-31"),
        };
        assert!(!standing(&due, TaskStatus::InProgress, d("2024-12-31")).overdue);
        let s = standing(&due, TaskStatus::InProgress, d("2025-01-01"));
        assert!(s.overdue);
        assert_eq!(s.days_left, Some(-1));
        assert!(!standing(&due, TaskStatus::Done, d("2025-06-01")).overdue);
        assert!(!standing(&Due::Ongoing, TaskStatus::NotStarted, d("2030-01-01")).overdue);
    }

    #[test]
    fn reports_are_submitted_late_or_missing() {
        let due = d("2025-12-15");
        assert_eq!(
            report_state(due, Some(d("2025-12-10")), d("2026-01-01")),
            ReportState::Submitted
        );
        assert_eq!(
            report_state(due, Some(d("2025-12-20")), d("2026-01-01")),
            ReportState::Late
        );
        assert_eq!(
            report_state(due, None, d("2025-12-16")),
            ReportState::Missing
        );
        assert_eq!(
            report_state(due, None, d("2025-12-15")),
            ReportState::Upcoming
        );
    }

    proptest! {
        #[test]
        fn occurrences_stay_in_range_and_ascend(
            f in 0usize..6, m in proptest::option::of(1u8..=12), day in proptest::option::of(1u8..=31),
            start in 0i64..3000, len in 0i64..1200,
        ) {
            let frequency = [Frequency::Annual, Frequency::Semiannual, Frequency::Quarterly, Frequency::Monthly, Frequency::Weekly, Frequency::Periodic][f];
            let due = Due::Recurring { frequency, month: m, day };
            let from = d("2020-01-01") + Duration::days(start);
            let to = from + Duration::days(len);
            let occ = occurrences(&due, from, to);
            prop_assert!(occ.iter().all(|x| from <= *x && *x <= to));
            prop_assert!(occ.windows(2).all(|w| w[0] < w[1]));
            if len >= 366 {
                prop_assert!(!occ.is_empty(), "a year always holds an occurrence");
            }
        }
    }
}
