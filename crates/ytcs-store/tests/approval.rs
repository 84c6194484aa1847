//! Data approval, run against both engines: every move of the workflow,
//! its audit entry in the same transaction, and the lock an approved
//! period puts on the unit's values.

#[macro_use]
mod common;

use std::sync::Arc;

use serde_json::json;
use ytcs_core::aggregate::Fixed;
use ytcs_core::approval::{ApprovalAction as A, ApprovalError, ApprovalState as S};
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgKind, UnitId};
use ytcs_core::period::Period;
use ytcs_core::Date;
use ytcs_store::approval::{ApprovalFilter, ApprovalRecord, TransitionError};
use ytcs_store::audit::AuditFilter;
use ytcs_store::network::WriteError;
use ytcs_store::values::{ValueFilter, ValueWrite};
use ytcs_store::{Store, StoreError};

both_engines!(
    units: true;
    every_legal_move_changes_the_state_and_appends_its_audit_entry,
    refused_moves_change_nothing_and_append_nothing,
    approvals_are_listed_by_unit_state_and_period,
    an_approved_quarter_locks_its_months_until_unlocked,
    an_approved_year_locks_every_period_within_it,
    simultaneous_approvals_take_effect_once,
);

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

/// Two communes of old district Kon Rẫy (614), valid through 2024.
fn communes(h: &Hierarchy) -> (UnitId, String, UnitId) {
    let k = h
        .unit_at(&OrgCode::parse("614").unwrap(), d("2024-12-31"))
        .unwrap()
        .id;
    let c: Vec<_> = h
        .children(k, d("2024-12-31"))
        .into_iter()
        .filter(|u| u.kind == OrgKind::Commune)
        .collect();
    (c[0].id, c[0].code.to_string(), c[1].id)
}

fn w(unit: UnitId, period: &str, disagg: &str, v: Option<i64>) -> ValueWrite {
    ValueWrite {
        element: "live_births".into(),
        unit,
        period: p(period),
        disagg: disagg.into(),
        value: v.map(|v| Fixed::from_int(v).unwrap()),
    }
}

fn approval_log(code: &str, period: &str) -> AuditFilter {
    AuditFilter {
        object_kind: Some(ObjectKind::Approval),
        object_id: Some(format!("{code}/{period}")),
        ..AuditFilter::default()
    }
}

async fn audit_count(s: &Arc<dyn Store>) -> i64 {
    s.count_audit_entries(&AuditFilter::default())
        .await
        .unwrap()
}

async fn every_legal_move_changes_the_state_and_appends_its_audit_entry(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c, code, _) = communes(&h);
    let q1 = p("2024Q1");
    assert_eq!(s.approval(c, q1).await.unwrap(), None);

    let r = s
        .transition_approval(c, q1, A::Submit, "lan", None, Some("192.0.2.1"))
        .await
        .unwrap();
    assert_eq!(r.state, S::Submitted);
    assert_eq!(r.submitted_by.as_deref(), Some("lan"));
    assert!(r.submitted_at.is_some() && r.decided_by.is_none());
    assert_eq!(s.approval(c, q1).await.unwrap().as_ref(), Some(&r));

    let r = s
        .transition_approval(c, q1, A::Return, "minh", Some(" thiếu số sinh "), None)
        .await
        .unwrap();
    assert_eq!(r.state, S::Open);
    assert_eq!(r.decided_by.as_deref(), Some("minh"));
    assert_eq!(r.reason.as_deref(), Some("thiếu số sinh"));
    assert_eq!(r.submitted_by.as_deref(), Some("lan"));

    s.transition_approval(c, q1, A::Submit, "lan", None, None)
        .await
        .unwrap();
    let r = s
        .transition_approval(c, q1, A::Approve, "minh", Some("đạt"), None)
        .await
        .unwrap();
    assert_eq!(r.state, S::Approved);
    assert_eq!(r.reason.as_deref(), Some("đạt"));

    let r = s
        .transition_approval(
            c,
            q1,
            A::Unlock,
            "hoa",
            Some("sửa số liệu"),
            Some("192.0.2.9"),
        )
        .await
        .unwrap();
    assert_eq!(r.state, S::Open);
    assert_eq!(r.decided_by.as_deref(), Some("hoa"));
    assert_eq!(s.approval(c, q1).await.unwrap(), Some(r));

    let log = s
        .audit_entries(&approval_log(&code, "2024Q1"))
        .await
        .unwrap();
    let seen: Vec<_> = log
        .iter()
        .rev()
        .map(|e| {
            (
                e.actor.as_str(),
                e.action,
                e.old.clone().unwrap(),
                e.new.clone().unwrap(),
                e.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "lan",
                AuditAction::Submit,
                json!({"state": "open"}),
                json!({"state": "submitted"}),
                None
            ),
            (
                "minh",
                AuditAction::Return,
                json!({"state": "submitted"}),
                json!({"state": "open"}),
                Some("thiếu số sinh")
            ),
            (
                "lan",
                AuditAction::Submit,
                json!({"state": "open"}),
                json!({"state": "submitted"}),
                None
            ),
            (
                "minh",
                AuditAction::Approve,
                json!({"state": "submitted"}),
                json!({"state": "approved"}),
                Some("đạt")
            ),
            (
                "hoa",
                AuditAction::Unlock,
                json!({"state": "approved"}),
                json!({"state": "open"}),
                Some("sửa số liệu")
            ),
        ]
    );
    assert!(log
        .iter()
        .all(|e| e.unit_code.as_deref() == Some(code.as_str())));
    assert_eq!(log[4].address.as_deref(), Some("192.0.2.1"));
    assert_eq!(log[0].address.as_deref(), Some("192.0.2.9"));
    assert_eq!(audit_count(&s).await, 5);
}

async fn refused_moves_change_nothing_and_append_nothing(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c, _, _) = communes(&h);
    let q1 = p("2024Q1");
    let refused = |from, action| {
        let s = s.clone();
        async move {
            let before = s.approval(c, q1).await.unwrap();
            let n = audit_count(&s).await;
            let err = s
                .transition_approval(c, q1, action, "minh", Some("lý do"), None)
                .await
                .unwrap_err();
            match err {
                TransitionError::Refused(ApprovalError::Illegal { from: f, action: a }) => {
                    assert_eq!((f, a), (from, action))
                }
                other => panic!("{action} from {from}: expected a refusal, got {other}"),
            }
            assert_eq!(s.approval(c, q1).await.unwrap(), before);
            assert_eq!(audit_count(&s).await, n);
        }
    };
    // Open (never touched).
    for a in [A::Approve, A::Return, A::Unlock] {
        refused(S::Open, a).await;
    }
    assert_eq!(s.approval(c, q1).await.unwrap(), None);
    s.transition_approval(c, q1, A::Submit, "lan", None, None)
        .await
        .unwrap();
    for a in [A::Submit, A::Unlock] {
        refused(S::Submitted, a).await;
    }
    // Returning needs a reason; blank is none.
    for reason in [None, Some("  ")] {
        let err = s
            .transition_approval(c, q1, A::Return, "minh", reason, None)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                TransitionError::Refused(ApprovalError::ReasonRequired { action: A::Return })
            ),
            "{err}"
        );
    }
    assert_eq!(
        s.approval(c, q1).await.unwrap().unwrap().state,
        S::Submitted
    );
    s.transition_approval(c, q1, A::Approve, "minh", None, None)
        .await
        .unwrap();
    for a in [A::Submit, A::Approve, A::Return] {
        refused(S::Approved, a).await;
    }
    let err = s
        .transition_approval(c, q1, A::Unlock, "minh", None, None)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "a reason is required to unlock data");
    assert_eq!(s.approval(c, q1).await.unwrap().unwrap().state, S::Approved);
    // An open unit that was returned refuses like a fresh one.
    s.transition_approval(c, q1, A::Unlock, "minh", Some("sai"), None)
        .await
        .unwrap();
    refused(S::Open, A::Approve).await;
    // No such unit.
    let n = audit_count(&s).await;
    let err = s
        .transition_approval(UnitId(-42), q1, A::Submit, "lan", None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, TransitionError::UnknownUnit(UnitId(-42))),
        "{err}"
    );
    assert_eq!(audit_count(&s).await, n);
    assert_eq!(n, 3);
}

async fn approvals_are_listed_by_unit_state_and_period(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c0, _, c1) = communes(&h);
    for (u, per, moves) in [
        (c0, "2024-02", &[A::Submit][..]),
        (c0, "2024", &[A::Submit, A::Approve][..]),
        (c0, "2024Q1", &[A::Submit, A::Approve][..]),
        (c1, "2024Q1", &[A::Submit][..]),
    ] {
        for a in moves {
            s.transition_approval(u, p(per), *a, "lan", None, None)
                .await
                .unwrap();
        }
    }
    let list = |f: ApprovalFilter| {
        let s = s.clone();
        async move {
            s.approvals(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.unit, r.period.to_string(), r.state))
                .collect::<Vec<_>>()
        }
    };
    let everything = list(ApprovalFilter::default()).await;
    let (first, second) = if c0 < c1 { (c0, c1) } else { (c1, c0) };
    assert_eq!(everything.len(), 4);
    assert!(everything.iter().take_while(|x| x.0 == first).count() >= 1);
    assert_eq!(everything.last().unwrap().0, second);
    // One unit: by time, the longer period first when they start together.
    let own: Vec<_> = s
        .approvals_for_unit(c0)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.period.to_string())
        .collect();
    assert_eq!(own, ["2024", "2024Q1", "2024-02"]);
    assert_eq!(
        list(ApprovalFilter {
            state: Some(S::Submitted),
            ..ApprovalFilter::default()
        })
        .await
        .len(),
        2
    );
    assert_eq!(
        list(ApprovalFilter {
            units: Some(vec![c0, c1]),
            period: Some(p("2024Q1")),
            state: None,
        })
        .await
        .len(),
        2
    );
    assert_eq!(
        list(ApprovalFilter {
            units: Some(vec![]),
            ..ApprovalFilter::default()
        })
        .await,
        vec![]
    );
    // Which approvals lock a month: the year and the quarter, coarsest first.
    let locking: Vec<String> = s
        .locking_approvals(c0, p("2024-02"))
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.period.to_string())
        .collect();
    assert_eq!(locking, ["2024", "2024Q1"]);
    assert!(s
        .locking_approvals(c1, p("2024-02"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        ApprovalRecord::object_id("62001", p("2024Q1")),
        "62001/2024Q1"
    );
}

async fn an_approved_quarter_locks_its_months_until_unlocked(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c, code, other) = communes(&h);
    let district = h.ancestors(c, d("2024-12-31"))[0].id;
    s.write_values(
        &h,
        &[
            w(c, "2024-01", "m", Some(3)),
            w(c, "2024-02", "f", Some(4)),
            w(c, "2024-04", "m", Some(5)),
            w(other, "2024-02", "m", Some(6)),
        ],
        "lan",
    )
    .await
    .unwrap();
    let q1 = p("2024Q1");
    s.transition_approval(c, q1, A::Submit, "lan", None, None)
        .await
        .unwrap();
    // Submitted is not yet locked.
    s.write_values(&h, &[w(c, "2024-03", "m", Some(1))], "lan")
        .await
        .unwrap();
    s.transition_approval(c, q1, A::Approve, "minh", None, None)
        .await
        .unwrap();

    let snapshot = || {
        let s = s.clone();
        let h = &h;
        async move {
            let values: Vec<_> = s
                .data_values(&ValueFilter::default())
                .await
                .unwrap()
                .into_iter()
                .map(|v| (v.value, v.stored_by))
                .collect();
            let mut totals = Vec::new();
            for per in ["2024-01", "2024-02", "2024-03", "2024Q1", "2024Q2", "2024"] {
                for unit in [c, district] {
                    totals
                        .push(common::subtree_total(&s, h, "live_births", "", unit, p(per)).await);
                }
            }
            (values, totals)
        }
    };
    let before = snapshot().await;
    // A batch with one locked write changes nothing at all: neither its
    // unlocked writes (next quarter, another unit) nor the aggregates.
    for locked in [
        w(c, "2024-02", "f", Some(40)),
        w(c, "2024-01", "m", None),
        w(c, "2024-03", "f", Some(1)),
    ] {
        let err = s
            .write_values(
                &h,
                &[
                    w(c, "2024-05", "m", Some(7)),
                    locked.clone(),
                    w(other, "2024-02", "m", Some(60)),
                ],
                "lan",
            )
            .await
            .unwrap_err();
        let WriteError::Store(StoreError::Locked {
            unit,
            code: got,
            period,
            approved,
        }) = &err
        else {
            panic!("expected a lock, got {err:?}");
        };
        assert_eq!(
            (*unit, got.as_str(), *period, *approved),
            (c, code.as_str(), locked.period, q1)
        );
        let msg = err.to_string();
        assert!(
            msg.contains(&code)
                && msg.contains(&locked.period.to_string())
                && msg.contains("2024Q1"),
            "{msg}"
        );
        assert_eq!(snapshot().await, before);
    }
    assert!(s.rebuild(false).await.unwrap().equal());

    // The next quarter and other units stay open.
    s.write_values(
        &h,
        &[
            w(c, "2024-04", "m", Some(50)),
            w(c, "2024-06", "f", Some(2)),
            w(other, "2024-02", "m", Some(60)),
        ],
        "lan",
    )
    .await
    .unwrap();

    // Unlocked, the same changes go through.
    s.transition_approval(c, q1, A::Unlock, "minh", Some("sai số sinh tháng 2"), None)
        .await
        .unwrap();
    let n = s
        .write_values(
            &h,
            &[w(c, "2024-02", "f", Some(40)), w(c, "2024-01", "m", None)],
            "lan",
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(
        common::subtree_total(&s, &h, "live_births", "", district, q1).await,
        Fixed::from_int(40 + 1 + 60)
    );
    assert!(s.rebuild(false).await.unwrap().equal());
    // Value writes are not audited by the store (the web layer does it).
    assert_eq!(audit_count(&s).await, 3);
}

async fn an_approved_year_locks_every_period_within_it(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c, _, _) = communes(&h);
    for a in [A::Submit, A::Approve] {
        s.transition_approval(c, p("2024"), a, "minh", None, None)
            .await
            .unwrap();
    }
    for per in ["2024-01", "2024-07", "2024-12"] {
        let err = s
            .write_values(&h, &[w(c, per, "m", Some(1))], "lan")
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                WriteError::Store(StoreError::Locked {
                    approved: Period::Year(2024),
                    ..
                })
            ),
            "{per}: {err}"
        );
    }
    assert!(s
        .data_values(&ValueFilter::default())
        .await
        .unwrap()
        .is_empty());
    // The year after is open.
    s.write_values(&h, &[w(c, "2025-01", "m", Some(1))], "lan")
        .await
        .unwrap();
}

async fn simultaneous_approvals_take_effect_once(s: Arc<dyn Store>) {
    let h = s.hierarchy().await.unwrap();
    let (c, code, _) = communes(&h);
    let q = p("2024Q3");
    s.transition_approval(c, q, A::Submit, "lan", None, None)
        .await
        .unwrap();
    // Open a few connections first, so both moves start at once rather
    // than one waiting for a connection while the other finishes.
    let _ = tokio::join!(
        s.approvals_for_unit(c),
        s.approvals_for_unit(c),
        s.approvals_for_unit(c),
    );
    let (a, b) = tokio::join!(
        s.transition_approval(c, q, A::Approve, "minh", None, None),
        s.transition_approval(c, q, A::Approve, "hoa", None, None),
    );
    // One wins; the other sees it approved (PostgreSQL waits for the
    // unit's row) or fails on a stale snapshot (SQLite): never both.
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "{a:?} {b:?}");
    let approves = s
        .count_audit_entries(&AuditFilter {
            action: Some(AuditAction::Approve),
            ..approval_log(&code, "2024Q3")
        })
        .await
        .unwrap();
    assert_eq!(approves, 1);
    assert_eq!(s.approval(c, q).await.unwrap().unwrap().state, S::Approved);
}
