//! The audit log's vocabulary: who did what to which object, when, from
//! where, with the state before and after.
//!
//! Entries are only ever appended: the store has no way to change or remove
//! one, and the database refuses it too. The store stamps the time; the
//! caller says everything else.
//!
//! [`AuditAction`], [`ObjectKind`], [`NewAuditEntry`] and [`AuditEntry`];
//! actors are usernames, `system` ([`SYSTEM_ACTOR`]) or `cli:<name>`.
//! Actor, object, unit and address are cut at [`MAX_FIELD_CHARS`] (120)
//! characters.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The actor of work done by the system itself (migrations, schedulers).
pub const SYSTEM_ACTOR: &str = "system";

/// The actor of work done from the command line by `name`: `cli:<name>`.
pub fn cli_actor(name: &str) -> String {
    format!("cli:{name}")
}

/// Declares a closed, text-coded enum: variants, their stored text, and
/// `as_str`, `Display`, `FromStr` and serde through that text.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($(#[$vm:meta])* $v:ident => $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $v,)*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];

            /// The stored (and serialized) text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$v => $s,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($s => Ok($name::$v),)*
                    other => Err(UnknownCode { what: $what, code: other.to_string() }),
                }
            }
        }
    };
}

/// A stored code that names no known action or object kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{code}'")]
pub struct UnknownCode {
    /// What was being read (`audit action`, `audit object kind`).
    pub what: &'static str,
    /// The text found.
    pub code: String,
}

text_enum!(
    /// What was done.
    AuditAction, "audit action" {
        /// Something was created.
        Create => "create",
        /// Something was changed.
        Update => "update",
        /// Something was removed.
        Delete => "delete",
        /// Something sensitive was read (person-level records, exports).
        Read => "read",
        /// A user signed in.
        Login => "login",
        /// A sign-in was refused.
        LoginFailed => "login_failed",
        /// A user signed out.
        Logout => "logout",
        /// A unit's data for a period was submitted for approval.
        Submit => "submit",
        /// Submitted data was approved (and locked).
        Approve => "approve",
        /// Submitted data was returned to its unit, with a reason.
        Return => "return",
        /// Approved data was unlocked, with a reason.
        Unlock => "unlock",
        /// A reviewed plan was confirmed by a person.
        Confirm => "confirm",
        /// An administrator replaced a user's password with a temporary one.
        ResetPassword => "reset_password",
    }
);

text_enum!(
    /// What kind of object an entry is about.
    ObjectKind, "audit object kind" {
        /// A plan (object id: the plan id).
        Plan => "plan",
        /// Aggregate data values (object id: the unit code and period).
        DataValue => "data_value",
        /// A task update of a plan.
        TaskUpdate => "task_update",
        /// A user account (object id: the username).
        User => "user",
        /// A unit's data approval for a period (object id: `<unit code>/<period>`).
        Approval => "approval",
        /// An organisation unit (object id: the unit code).
        OrgUnit => "org_unit",
        /// The health-network registry.
        Network => "network",
        /// A commune's criteria self-assessment (object id: `<code>/<year>`).
        CriteriaAssessment => "criteria_assessment",
        /// A report handed in for a plan's reporting duty.
        Report => "report",
        /// A budget commitment or disbursement against a plan line.
        BudgetEntry => "budget_entry",
        /// A person's record in the registers (object id: the person id).
        Person => "person",
        /// A batch of register records imported (FHIR) or generated.
        Registers => "registers",
        /// A statutory report form sent (object id:
        /// `<form key>/<unit code>/<period>/v<version>`).
        StatutoryReport => "statutory_report",
    }
);

/// An entry to append: everything but the id and the time, which the store
/// assigns. Build it with [`NewAuditEntry::new`] and the `with_*` setters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAuditEntry {
    /// Who: a username, [`SYSTEM_ACTOR`] or [`cli_actor`].
    pub actor: String,
    /// What was done.
    pub action: AuditAction,
    /// The kind of object.
    pub object_kind: ObjectKind,
    /// Which object (its id or code, as text).
    pub object_id: String,
    /// The org unit concerned, by code, when there is one.
    pub unit_code: Option<String>,
    /// The object before, as JSON.
    pub old: Option<serde_json::Value>,
    /// The object after, as JSON.
    pub new: Option<serde_json::Value>,
    /// The client's address (IP), when the action came over the network.
    pub address: Option<String>,
    /// Free text: a reason, a comment, why a login failed.
    pub detail: Option<String>,
}

impl NewAuditEntry {
    /// An entry with the required fields and nothing else.
    pub fn new(
        actor: impl Into<String>,
        action: AuditAction,
        object_kind: ObjectKind,
        object_id: impl Into<String>,
    ) -> Self {
        NewAuditEntry {
            actor: clamp(actor.into()),
            action,
            object_kind,
            object_id: clamp(object_id.into()),
            unit_code: None,
            old: None,
            new: None,
            address: None,
            detail: None,
        }
    }

    /// Names the org unit concerned.
    pub fn with_unit(mut self, code: impl Into<String>) -> Self {
        self.unit_code = Some(clamp(code.into()));
        self
    }

    /// Records the state before and after (either may be absent).
    pub fn with_change(
        mut self,
        old: Option<serde_json::Value>,
        new: Option<serde_json::Value>,
    ) -> Self {
        self.old = old;
        self.new = new;
        self
    }

    /// Records the client's address.
    pub fn with_address(mut self, address: Option<String>) -> Self {
        self.address = address.map(clamp);
        self
    }

    /// Records a reason or comment.
    pub fn with_detail(mut self, detail: Option<String>) -> Self {
        self.detail = detail.map(|d| clamp_to(d, MAX_DETAIL_CHARS));
        self
    }
}

/// The longest actor, object id, unit code or address an entry keeps, in
/// characters: longer ones (a 20 MB "username" sent to the sign-in form)
/// are cut and end in `…`, so a request cannot make the log grow by more
/// than a few hundred bytes per entry.
pub const MAX_FIELD_CHARS: usize = 120;
/// The longest detail (a reason, a comment) an entry keeps, in characters.
pub const MAX_DETAIL_CHARS: usize = 2_000;

fn clamp(s: String) -> String {
    clamp_to(s, MAX_FIELD_CHARS)
}

/// `s` cut to `max` characters, the last of them `…`, when it is longer.
pub fn clamp_to(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its id: increasing in the order entries were appended.
    pub id: i64,
    /// When it was appended (UTC).
    pub at: DateTime<Utc>,
    /// Who: a username, [`SYSTEM_ACTOR`] or [`cli_actor`].
    pub actor: String,
    /// What was done.
    pub action: AuditAction,
    /// The kind of object.
    pub object_kind: ObjectKind,
    /// Which object.
    pub object_id: String,
    /// The org unit concerned, by code.
    pub unit_code: Option<String>,
    /// The object before, as JSON.
    pub old: Option<serde_json::Value>,
    /// The object after, as JSON.
    pub new: Option<serde_json::Value>,
    /// The client's address.
    pub address: Option<String>,
    /// A reason or comment.
    pub detail: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_text_and_json() {
        for a in AuditAction::ALL {
            assert_eq!(a.as_str().parse::<AuditAction>(), Ok(*a));
            let json = serde_json::to_string(a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
            assert_eq!(serde_json::from_str::<AuditAction>(&json).unwrap(), *a);
        }
        for k in ObjectKind::ALL {
            assert_eq!(k.as_str().parse::<ObjectKind>(), Ok(*k));
        }
    }

    #[test]
    fn long_fields_are_cut_so_a_request_cannot_grow_the_log() {
        let huge = "a".repeat(20_000_000);
        let e = NewAuditEntry::new(
            huge.clone(),
            AuditAction::LoginFailed,
            ObjectKind::User,
            huge.clone(),
        )
        .with_unit(huge.clone())
        .with_address(Some(huge.clone()))
        .with_detail(Some(huge));
        assert_eq!(e.actor.chars().count(), MAX_FIELD_CHARS);
        assert!(e.actor.ends_with('…'));
        assert_eq!(e.object_id.chars().count(), MAX_FIELD_CHARS);
        assert_eq!(e.unit_code.unwrap().chars().count(), MAX_FIELD_CHARS);
        assert_eq!(e.address.unwrap().chars().count(), MAX_FIELD_CHARS);
        assert_eq!(e.detail.unwrap().chars().count(), MAX_DETAIL_CHARS);
        // Short ones are kept as they are.
        assert_eq!(clamp_to("Nguyễn".into(), 6), "Nguyễn");
        assert_eq!(clamp_to("Nguyễn".into(), 5), "Nguy…");
    }

    #[test]
    fn unknown_codes_are_named() {
        let e = "erase".parse::<AuditAction>().unwrap_err();
        assert_eq!(e.to_string(), "unknown audit action 'erase'");
        assert!("".parse::<ObjectKind>().is_err());
    }

    #[test]
    fn builder_sets_what_it_names() {
        let e = NewAuditEntry::new(
            cli_actor("admin"),
            AuditAction::Update,
            ObjectKind::Plan,
            "7",
        )
        .with_unit("62")
        .with_change(Some(serde_json::json!({"a": 1})), None)
        .with_address(Some("10.0.0.1".into()))
        .with_detail(Some("typo".into()));
        assert_eq!(e.actor, "cli:admin");
        assert_eq!(e.unit_code.as_deref(), Some("62"));
        assert_eq!(e.old, Some(serde_json::json!({"a": 1})));
        assert_eq!(e.new, None);
        assert_eq!(e.address.as_deref(), Some("10.0.0.1"));
        assert_eq!(e.detail.as_deref(), Some("typo"));
    }
}
