//! Writing the audit log from the web layer: one builder, used by handlers
//! that know the object and its old and new state.
//!
//! The entry follows the write: web writes are committed, then logged; if
//! appending fails the write stands and the failure is in the server log
//! with the whole entry. Approval moves are the exception: the state and
//! its entry share one transaction (`ApprovalStore::transition_approval`).

use std::collections::HashMap;

use serde_json::Value;
use ytcs_core::audit::{AuditAction, NewAuditEntry, ObjectKind};

use crate::app::AppState;

/// An audit event being built.
#[derive(Debug, Clone)]
pub(crate) struct Event(NewAuditEntry);

/// Starts an event: who did what to which object.
pub(crate) fn event(
    actor: &str,
    action: AuditAction,
    object_kind: ObjectKind,
    object_id: &str,
) -> Event {
    Event(NewAuditEntry::new(actor, action, object_kind, object_id))
}

impl Event {
    /// The org unit concerned.
    pub(crate) fn unit(mut self, code: impl Into<String>) -> Self {
        self.0 = self.0.with_unit(code);
        self
    }
    /// The state before.
    pub(crate) fn before(mut self, v: Value) -> Self {
        self.0.old = Some(v);
        self
    }
    /// The state after.
    pub(crate) fn after(mut self, v: Value) -> Self {
        self.0.new = Some(v);
        self
    }
    /// The client's address.
    pub(crate) fn address(mut self, a: Option<String>) -> Self {
        self.0 = self.0.with_address(a);
        self
    }
    /// A note (which form, which reason).
    pub(crate) fn detail(mut self, d: impl Into<String>) -> Self {
        self.0 = self.0.with_detail(Some(d.into()));
        self
    }

    /// Appends the event to the log, after the write it describes was
    /// committed. Should the append fail, the failure is in the server log
    /// (with the whole event) and the user's write stands: refusing it
    /// after the fact would not undo it.
    pub(crate) async fn record(self, st: &AppState) {
        if let Err(e) = st.store.append(&self.0).await {
            tracing::error!(error = %e, event = ?self.0, "cannot append to the audit log");
        }
    }
}

/// A posted form as JSON for the log, without the anti-forgery token and
/// without anything that looks like a password.
pub(crate) fn form_json(values: &HashMap<String, String>) -> Value {
    let map: serde_json::Map<String, Value> = values
        .iter()
        .filter(|(k, _)| *k != "_csrf" && !k.contains("password"))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Value::Object(map)
}

/// Of two JSON objects, only the top-level fields that differ (old, new).
pub(crate) fn changed_fields(old: Value, new: Value) -> (Value, Value) {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => {
            let mut before = serde_json::Map::new();
            let mut after = serde_json::Map::new();
            for (k, v) in &n {
                if o.get(k) != Some(v) {
                    before.insert(k.clone(), o.get(k).cloned().unwrap_or(Value::Null));
                    after.insert(k.clone(), v.clone());
                }
            }
            for (k, v) in &o {
                if !n.contains_key(k) {
                    before.insert(k.clone(), v.clone());
                    after.insert(k.clone(), Value::Null);
                }
            }
            (Value::Object(before), Value::Object(after))
        }
        (o, n) => (o, n),
    }
}
