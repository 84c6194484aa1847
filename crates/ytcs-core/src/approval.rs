//! Data approval: the state of one unit's data for one period, and the
//! moves between states.
//!
//! ```text
//!            submit              approve
//!   Open ───────────► Submitted ─────────► Approved (locked)
//!    ▲                    │                    │
//!    └──── return ────────┘                    │
//!    └──── unlock ─────────────────────────────┘
//! ```
//!
//! A unit submits its own data; the level above approves or returns it (the
//! web layer's policy decides who may do which — this module only knows
//! which moves exist). Returning and unlocking need a reason.
//!
//! Approving a period locks every value of that unit whose period lies
//! within it ([`locks`]): approving `2025Q1` locks the months `2025-01` to
//! `2025-03` (and their days), approving `2025` locks the whole year, but
//! `2025Q1` does not lock `2025Q2` nor the year `2025` itself. Locked values
//! cannot change until the approval is unlocked.
//!
//! [`transition`] is the one rule of moves, [`checked_reason`] the
//! reason returning and unlocking need, [`locks`] the lock above.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::audit::AuditAction;
use crate::period::Period;

/// Where a unit's data for a period stands. Data never touched is `Open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalState {
    /// Being entered or corrected by the unit.
    #[default]
    Open,
    /// Handed in, waiting for the level above.
    Submitted,
    /// Accepted by the level above; its values are locked.
    Approved,
}

impl ApprovalState {
    /// Every state, in order of the workflow.
    pub const ALL: [ApprovalState; 3] = [
        ApprovalState::Open,
        ApprovalState::Submitted,
        ApprovalState::Approved,
    ];

    /// The stored (and serialized) text.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::Open => "open",
            ApprovalState::Submitted => "submitted",
            ApprovalState::Approved => "approved",
        }
    }

    /// Whether values in this state's period are locked.
    pub fn is_locked(self) -> bool {
        self == ApprovalState::Approved
    }
}

impl fmt::Display for ApprovalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApprovalState {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApprovalState::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown approval state '{s}'"))
    }
}

/// A move of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalAction {
    /// The unit hands its data in (Open → Submitted).
    Submit,
    /// The level above accepts it (Submitted → Approved).
    Approve,
    /// The level above sends it back, with a reason (Submitted → Open).
    Return,
    /// Approved data is reopened for correction, with a reason (Approved → Open).
    Unlock,
}

impl ApprovalAction {
    /// Every action.
    pub const ALL: [ApprovalAction; 4] = [
        ApprovalAction::Submit,
        ApprovalAction::Approve,
        ApprovalAction::Return,
        ApprovalAction::Unlock,
    ];

    /// The serialized text.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalAction::Submit => "submit",
            ApprovalAction::Approve => "approve",
            ApprovalAction::Return => "return",
            ApprovalAction::Unlock => "unlock",
        }
    }

    /// Whether the action must give a reason (return and unlock).
    pub fn needs_reason(self) -> bool {
        matches!(self, ApprovalAction::Return | ApprovalAction::Unlock)
    }
}

impl fmt::Display for ApprovalAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApprovalAction {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ApprovalAction::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("unknown approval action '{s}'"))
    }
}

impl From<ApprovalAction> for AuditAction {
    fn from(a: ApprovalAction) -> Self {
        match a {
            ApprovalAction::Submit => AuditAction::Submit,
            ApprovalAction::Approve => AuditAction::Approve,
            ApprovalAction::Return => AuditAction::Return,
            ApprovalAction::Unlock => AuditAction::Unlock,
        }
    }
}

/// Why a move was refused. Messages are English; the web layer translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ApprovalError {
    /// The move does not start from the current state.
    #[error("cannot {action} data that is {from}: {}", illegal_hint(*.from, *.action))]
    Illegal {
        /// The current state.
        from: ApprovalState,
        /// The move asked for.
        action: ApprovalAction,
    },
    /// Returning and unlocking must say why.
    #[error("a reason is required to {action} data")]
    ReasonRequired {
        /// The move asked for.
        action: ApprovalAction,
    },
}

fn illegal_hint(from: ApprovalState, action: ApprovalAction) -> &'static str {
    use ApprovalAction as A;
    use ApprovalState as S;
    match (from, action) {
        (S::Submitted, A::Submit) => "it is already waiting for approval",
        (S::Approved, A::Submit) => "it is already approved; unlock it first to change it",
        (S::Open, A::Approve | A::Return) => "it has not been submitted",
        (S::Approved, A::Approve) => "it is already approved",
        (S::Approved, A::Return) => "it is already approved; unlock it instead",
        (S::Open | S::Submitted, A::Unlock) => "only approved data can be unlocked",
        // The legal moves never reach here.
        _ => "the move does not start from this state",
    }
}

/// The state after `action` from `current`, or why the move is refused.
pub fn transition(
    current: ApprovalState,
    action: ApprovalAction,
) -> Result<ApprovalState, ApprovalError> {
    use ApprovalAction as A;
    use ApprovalState as S;
    match (current, action) {
        (S::Open, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Approve) => Ok(S::Approved),
        (S::Submitted, A::Return) => Ok(S::Open),
        (S::Approved, A::Unlock) => Ok(S::Open),
        (from, action) => Err(ApprovalError::Illegal { from, action }),
    }
}

/// The reason to keep with a move: trimmed, `None` when empty; refused
/// when the move needs one ([`ApprovalAction::needs_reason`]) and none is
/// given.
pub fn checked_reason(
    action: ApprovalAction,
    reason: Option<&str>,
) -> Result<Option<String>, ApprovalError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        None if action.needs_reason() => Err(ApprovalError::ReasonRequired { action }),
        r => Ok(r.map(str::to_string)),
    }
}

/// Whether an approval of `approved_period` locks a value of
/// `value_period` of the same unit: it does when the value's period lies
/// wholly within the approved one.
pub fn locks(approved_period: Period, value_period: Period) -> bool {
    approved_period.contains(&value_period)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ApprovalAction as A;
    use ApprovalState as S;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn the_four_legal_moves() {
        assert_eq!(transition(S::Open, A::Submit), Ok(S::Submitted));
        assert_eq!(transition(S::Submitted, A::Approve), Ok(S::Approved));
        assert_eq!(transition(S::Submitted, A::Return), Ok(S::Open));
        assert_eq!(transition(S::Approved, A::Unlock), Ok(S::Open));
    }

    #[test]
    fn every_other_move_is_refused_with_a_specific_reason() {
        let legal = [
            (S::Open, A::Submit),
            (S::Submitted, A::Approve),
            (S::Submitted, A::Return),
            (S::Approved, A::Unlock),
        ];
        for s in S::ALL {
            for a in A::ALL {
                if legal.contains(&(s, a)) {
                    continue;
                }
                let e = transition(s, a).unwrap_err();
                assert_eq!(e, ApprovalError::Illegal { from: s, action: a });
                let msg = e.to_string();
                assert!(msg.starts_with(&format!("cannot {a} data that is {s}: ")));
                assert!(!msg.contains("does not start from"), "{msg}");
            }
        }
        assert_eq!(
            transition(S::Open, A::Approve).unwrap_err().to_string(),
            "cannot approve data that is open: it has not been submitted"
        );
    }

    #[test]
    fn return_and_unlock_need_a_reason() {
        assert_eq!(checked_reason(A::Submit, None), Ok(None));
        assert_eq!(checked_reason(A::Approve, Some("  ")), Ok(None));
        assert_eq!(
            checked_reason(A::Approve, Some(" ok ")),
            Ok(Some("ok".into()))
        );
        for a in [A::Return, A::Unlock] {
            assert_eq!(
                checked_reason(a, Some(" \t")),
                Err(ApprovalError::ReasonRequired { action: a })
            );
            assert_eq!(
                checked_reason(a, None),
                Err(ApprovalError::ReasonRequired { action: a })
            );
            assert_eq!(checked_reason(a, Some("sai số")), Ok(Some("sai số".into())));
        }
        assert_eq!(
            checked_reason(A::Return, None).unwrap_err().to_string(),
            "a reason is required to return data"
        );
    }

    #[test]
    fn approving_a_quarter_locks_its_months_not_the_next_quarter() {
        let q1 = p("2025Q1");
        for m in ["2025-01", "2025-02", "2025-03", "2025-02-14", "2025Q1"] {
            assert!(locks(q1, p(m)), "{m}");
        }
        for m in ["2025-04", "2025Q2", "2025", "2025S1", "2024-12"] {
            assert!(!locks(q1, p(m)), "{m}");
        }
        let y = p("2025");
        for m in ["2025-01", "2025-12", "2025Q4", "2025S2", "2025"] {
            assert!(locks(y, p(m)), "{m}");
        }
        assert!(!locks(y, p("2026-01")));
    }

    #[test]
    fn states_and_actions_read_back_from_text() {
        for s in S::ALL {
            assert_eq!(s.as_str().parse::<S>(), Ok(s));
        }
        for a in A::ALL {
            assert_eq!(a.as_str().parse::<A>(), Ok(a));
            assert_eq!(AuditAction::from(a).as_str(), a.as_str());
        }
        assert!("closed".parse::<S>().is_err());
    }

    fn arb_state() -> impl Strategy<Value = ApprovalState> {
        prop::sample::select(S::ALL.to_vec())
    }

    fn arb_action() -> impl Strategy<Value = ApprovalAction> {
        prop::sample::select(A::ALL.to_vec())
    }

    proptest! {
        /// Any sequence of moves, applying only the accepted ones, keeps
        /// the state machine's promises: a refused move changes nothing,
        /// only `approve` locks, and only from `Submitted`.
        #[test]
        fn any_sequence_of_moves_follows_the_workflow(actions in prop::collection::vec(arb_action(), 0..40)) {
            let mut s = S::Open;
            for a in actions {
                match transition(s, a) {
                    Ok(next) => {
                        prop_assert_ne!(next, s);
                        prop_assert_eq!(next.is_locked(), a == A::Approve);
                        if a == A::Approve { prop_assert_eq!(s, S::Submitted); }
                        s = next;
                    }
                    Err(ApprovalError::Illegal { from, action }) => {
                        prop_assert_eq!(from, s);
                        prop_assert_eq!(action, a);
                    }
                    Err(e) => prop_assert!(false, "unexpected {e}"),
                }
            }
        }

        /// From every state exactly the documented moves are legal.
        #[test]
        fn each_state_has_its_moves(s in arb_state(), a in arb_action()) {
            let legal = matches!(
                (s, a),
                (S::Open, A::Submit) | (S::Submitted, A::Approve | A::Return) | (S::Approved, A::Unlock)
            );
            prop_assert_eq!(transition(s, a).is_ok(), legal);
        }
    }
}
