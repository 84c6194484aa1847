//! Where each commune's report of a data set and period stands — the
//! station's home, the health centre's approval queue and the list of
//! communes that have not reported all read it from here:
//!
//! - **not entered**: no value of the set for the period;
//! - **entered**: values, not submitted;
//! - **submitted**: waiting for the level above;
//! - **returned**: sent back (or unlocked) with a reason, open again;
//! - **approved**: accepted and locked.
//!
//! Values derived from the station registers count as entered: the
//! station still checks and submits them.

use std::collections::{HashMap, HashSet};

use ytcs_core::aggregate::DataSet;
use ytcs_core::approval::ApprovalState;
use ytcs_core::org::{OrgUnit, UnitId};
use ytcs_core::period::Period;
use ytcs_store::approval::{ApprovalFilter, ApprovalRecord};
use ytcs_store::{Store, StoreError};

/// Where a commune's report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportStatus {
    /// Submitted, waiting for the level above.
    Submitted,
    /// Sent back or unlocked with a reason: to correct and submit again.
    Returned,
    /// No value of the set for the period.
    NotEntered,
    /// Values, not submitted yet.
    Entered,
    /// Accepted and locked.
    Approved,
}

impl ReportStatus {
    /// Every status, in the order a reviewer deals with them.
    pub const ALL: [ReportStatus; 5] = [
        ReportStatus::Submitted,
        ReportStatus::Returned,
        ReportStatus::NotEntered,
        ReportStatus::Entered,
        ReportStatus::Approved,
    ];

    /// A stable code (URLs, CSS classes).
    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::NotEntered => "not_entered",
            ReportStatus::Entered => "entered",
            ReportStatus::Approved => "approved",
        }
    }

    /// The status a code names.
    pub fn parse(code: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One commune's report of a period.
#[derive(Debug, Clone)]
pub struct CommuneReport<'h> {
    /// The commune.
    pub unit: &'h OrgUnit,
    /// The period reported on.
    pub period: Period,
    /// Where it stands.
    pub status: ReportStatus,
    /// How many values of the set it holds for the period.
    pub values: usize,
    /// Its approval record, when it was ever submitted.
    pub record: Option<ApprovalRecord>,
}

impl ReportStatus {
    /// Whether the station still has to send it (nothing, values not
    /// submitted, or returned).
    pub fn to_send(self) -> bool {
        matches!(
            self,
            ReportStatus::NotEntered | ReportStatus::Entered | ReportStatus::Returned
        )
    }
}

/// The status of a report from its approval record and whether it holds
/// values.
pub fn status(record: Option<&ApprovalRecord>, has_values: bool) -> ReportStatus {
    match record.map(|r| r.state) {
        Some(ApprovalState::Submitted) => ReportStatus::Submitted,
        Some(ApprovalState::Approved) => ReportStatus::Approved,
        Some(ApprovalState::Open)
            if record.is_some_and(|r| r.decided_at.is_some() && r.reason.is_some()) =>
        {
            ReportStatus::Returned
        }
        _ if has_values => ReportStatus::Entered,
        _ => ReportStatus::NotEntered,
    }
}

/// The reports of `communes` for `set` and `period`, in the order given.
pub async fn commune_reports<'h>(
    store: &dyn Store,
    communes: &[&'h OrgUnit],
    set: &DataSet,
    period: Period,
) -> Result<Vec<CommuneReport<'h>>, StoreError> {
    let ids: HashSet<UnitId> = communes.iter().map(|u| u.id).collect();
    let elements: Vec<&str> = set.elements.iter().map(String::as_str).collect();
    let mut values: HashMap<UnitId, usize> = HashMap::new();
    for v in store.period_values_of(period, &elements).await? {
        if ids.contains(&v.unit) {
            *values.entry(v.unit).or_default() += 1;
        }
    }
    let records: HashMap<UnitId, ApprovalRecord> = store
        .approvals(&ApprovalFilter {
            units: Some(ids.iter().copied().collect()),
            state: None,
            period: Some(period),
        })
        .await?
        .into_iter()
        .map(|r| (r.unit, r))
        .collect();
    Ok(communes
        .iter()
        .map(|u| {
            let n = values.get(&u.id).copied().unwrap_or(0);
            let record = records.get(&u.id).cloned();
            CommuneReport {
                unit: u,
                period,
                status: status(record.as_ref(), n > 0),
                values: n,
                record,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(state: ApprovalState, decided: bool, reason: Option<&str>) -> ApprovalRecord {
        let mut r = ApprovalRecord::open(UnitId(1), Period::Month(2026, 11));
        r.state = state;
        r.decided_at = decided.then(chrono::Utc::now);
        r.reason = reason.map(str::to_string);
        r
    }

    #[test]
    fn a_report_stands_by_its_record_then_by_its_values() {
        assert_eq!(status(None, false), ReportStatus::NotEntered);
        assert_eq!(status(None, true), ReportStatus::Entered);
        let submitted = record(ApprovalState::Submitted, false, None);
        assert_eq!(status(Some(&submitted), true), ReportStatus::Submitted);
        let approved = record(ApprovalState::Approved, true, None);
        assert_eq!(status(Some(&approved), true), ReportStatus::Approved);
        let returned = record(ApprovalState::Open, true, Some("thiếu số trẻ nữ"));
        assert_eq!(status(Some(&returned), true), ReportStatus::Returned);
        // Open and never decided: as its values say.
        let open = record(ApprovalState::Open, false, None);
        assert_eq!(status(Some(&open), false), ReportStatus::NotEntered);
        for s in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(s.code()), Some(s));
        }
        // Still to send: nothing, unsent values, or returned.
        let to_send: Vec<ReportStatus> = ReportStatus::ALL
            .into_iter()
            .filter(|s| s.to_send())
            .collect();
        assert_eq!(
            to_send,
            [
                ReportStatus::Returned,
                ReportStatus::NotEntered,
                ReportStatus::Entered
            ]
        );
    }
}
