//! Budget execution: what was committed and disbursed against each line of
//! a plan's budget, with the rate and overruns (flagged, never refused).
//!
//! A disbursement beyond its budget line is recorded and flagged ("Vượt
//! dự toán" in the report), not refused: money paid is a fact to explain.

use std::collections::HashMap;

use ytcs_core::plan::Plan;
use ytcs_store::tracking::{BudgetEntry, BudgetEntryKind};

/// Budget execution of one plan line.
pub struct LineExecution {
    /// Planned amount.
    pub planned: i64,
    /// Committed so far.
    pub committed: i64,
    /// Disbursed so far.
    pub disbursed: i64,
}

impl LineExecution {
    /// Disbursed / planned, in percent.
    pub fn rate(&self) -> Option<f64> {
        (self.planned > 0).then(|| self.disbursed as f64 * 100.0 / self.planned as f64)
    }

    /// Disbursements beyond the planned amount (flagged, not refused: money
    /// already paid is a fact to record, and an overrun to explain).
    pub fn overrun(&self) -> bool {
        self.disbursed > self.planned
    }
}

/// Execution per budget line id.
pub fn execution(plan: &Plan, entries: &[BudgetEntry]) -> HashMap<String, LineExecution> {
    let mut m: HashMap<String, LineExecution> = plan
        .budget
        .iter()
        .map(|b| {
            (
                b.id.clone(),
                LineExecution {
                    planned: b.amount_vnd,
                    committed: 0,
                    disbursed: 0,
                },
            )
        })
        .collect();
    for e in entries {
        if let Some(x) = m.get_mut(&e.line_id) {
            match e.kind {
                BudgetEntryKind::Commitment => x.committed += e.amount_vnd,
                BudgetEntryKind::Disbursement => x.disbursed += e.amount_vnd,
            }
        }
    }
    m
}
