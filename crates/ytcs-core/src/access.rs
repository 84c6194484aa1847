//! Who may do what, where: roles scoped to org-unit subtrees, and the one
//! policy function every route and API call goes through.
//!
//! A user has one [`Role`] and a scope: the codes of the units whose
//! subtrees they work in (a commune for station staff; the communes of a
//! health centre's area, or a former district, for a reviewer; the province
//! for the provincial health department). Administrators act everywhere.
//!
//! Decisions, written down:
//! - **Reading** aggregate data, plans, targets, tasks and the network is
//!   open to every signed-in user, whatever their scope: these are official
//!   statistics and public documents that travel up and across the network.
//!   Person-level data ([`Action::ReadPersonal`]) and the audit log are
//!   scoped.
//! - **Writing** is scoped: the target unit must lie in one of the user's
//!   subtrees (the unit itself or a descendant of a scope unit), judged on
//!   the hierarchy of the day the data belongs to.
//! - **Approving** a unit's data is done from the level above: only the
//!   reviewer (health centre), manager (health department) and administrator
//!   roles may approve, within their scope, and the web layer refuses to let
//!   anyone approve a submission they made themselves. (Scopes are lists of
//!   units because after the 2025 reform a health centre serves a set of
//!   communes, not a district.)
//! - An empty scope allows nothing that needs a unit.
//!
//! The roles ([`Role`]): viewer, station data entry, health-centre
//! reviewer, health-department manager, administrator. [`Action`] is what
//! a request can want; [`authorize`]`(principal, action, unit_chain)` is
//! the one policy function. A unit is in scope when a scope code is the
//! unit or an ancestor of it on the day the data belongs to.
//!
//! *Ended units in the policy.* [`unit_chain`] (and [`code_chain`] for a
//! code) is the one chain the policy reads from a hierarchy: for a unit
//! that ended before the day (a commune merged in 2025, under which
//! persons and values are still kept) it is the unit's own chain on its
//! last day followed by the chain of the unit that holds it on the day,
//! the same successor the registers count it in. The web's checks
//! (`ytcs-web`'s `app::auth`) go through it.

use serde::{Deserialize, Serialize};

use crate::org::OrgCode;

/// What a user is, in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Read-only viewer.
    Viewer,
    /// Station staff who enter data (nhân viên trạm y tế).
    DataEntry,
    /// Reviewer at a health centre: checks and approves the stations' data.
    Reviewer,
    /// Manager at the provincial health department: plans, network, approval.
    Manager,
    /// Administrator: everything, including accounts.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 5] = [
        Role::Viewer,
        Role::DataEntry,
        Role::Reviewer,
        Role::Manager,
        Role::Admin,
    ];

    /// Stable code, as stored and typed on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::DataEntry => "data_entry",
            Role::Reviewer => "reviewer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Role::Viewer => "Chỉ xem",
            Role::DataEntry => "Nhập liệu (trạm y tế)",
            Role::Reviewer => "Duyệt số liệu (trung tâm y tế)",
            Role::Manager => "Quản lý (Sở Y tế)",
            Role::Admin => "Quản trị hệ thống",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Role::Viewer => "Viewer",
            Role::DataEntry => "Data entry (station)",
            Role::Reviewer => "Reviewer (health centre)",
            Role::Manager => "Manager (health department)",
            Role::Admin => "Administrator",
        }
    }

    /// Whether the role may perform the action at all (scope aside).
    pub fn permits(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Manager => !matches!(action, ManageUsers),
            Role::Reviewer => matches!(
                action,
                Read | ReadPersonal | EnterData | ApproveData | OwnAccount
            ),
            Role::DataEntry => matches!(action, Read | ReadPersonal | EnterData | OwnAccount),
            Role::Viewer => matches!(action, Read | OwnAccount),
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown role '{s}': use one of viewer, data_entry, reviewer, manager, admin"
                )
            })
    }
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read aggregate data, plans, targets, tasks, the network.
    Read,
    /// Read person-level data (scoped, and every read is logged).
    ReadPersonal,
    /// Enter or correct data: values, task progress, report submissions,
    /// criteria self-assessments; submit a unit's data for approval.
    EnterData,
    /// Approve, return or unlock the data of units below one's own.
    ApproveData,
    /// Import, correct and confirm plans; link targets; record budgets.
    ManagePlans,
    /// Edit the network registry: facilities, staff, villages, population.
    ManageNetwork,
    /// Read the audit log.
    ViewAudit,
    /// Create accounts, set roles and scopes, reset passwords.
    ManageUsers,
    /// One's own account: see who one is, change one's password, sign out.
    OwnAccount,
}

/// A signed-in user, as far as the policy is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Login name.
    pub username: String,
    /// The role.
    pub role: Role,
    /// Codes of the units whose subtrees the user works in.
    pub scope: Vec<OrgCode>,
}

/// The answer of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Nobody is signed in: sign in first (HTTP 401, or the login page).
    SignIn,
    /// Signed in, but not allowed (HTTP 403).
    Deny,
}

/// The one policy function.
///
/// `unit_chain` is the unit the action concerns followed by its ancestors,
/// nearest first, on the day that matters (`None` when the action concerns
/// no particular unit).
pub fn authorize(
    who: Option<&Principal>,
    action: Action,
    unit_chain: Option<&[OrgCode]>,
) -> Decision {
    let Some(p) = who else {
        return Decision::SignIn;
    };
    if !p.role.permits(action) {
        return Decision::Deny;
    }
    let Some(chain) = unit_chain else {
        return Decision::Allow;
    };
    if p.role == Role::Admin {
        return Decision::Allow;
    }
    // Reading aggregate, public information is not scoped (see above).
    if matches!(action, Action::Read | Action::OwnAccount) {
        return Decision::Allow;
    }
    if chain.iter().any(|c| p.scope.contains(c)) {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

/// The chain [`authorize`] reads for the unit `id` on the day `at`: the
/// unit and its ancestors on that day. For a unit that ended before `at`
/// (a commune merged in the 2025 reform, under which records and values
/// are still kept): its own chain on its last day, then the chain on `at`
/// of the unit that holds it then ([`crate::register::derive::place`]: the
/// successor with the largest share, followed as far as needed), so the
/// staff of the new commune reach what is kept under the communes it came
/// from, exactly where the registers count it. The one place this chain is
/// built from a hierarchy.
pub fn unit_chain(
    h: &crate::hierarchy::Hierarchy,
    id: crate::org::UnitId,
    at: crate::Date,
) -> Vec<OrgCode> {
    let Some(u) = h.unit(id) else {
        return vec![];
    };
    let own_day = match u.validity.to {
        Some(t) if t < at => t,
        _ => at,
    };
    let mut chain = vec![u.code.clone()];
    chain.extend(h.ancestors(id, own_day).into_iter().map(|a| a.code.clone()));
    if own_day < at {
        if let Some(holder) = crate::register::derive::place(h, id, at).filter(|x| *x != id) {
            for c in std::iter::once(h.unit(holder).map(|x| x.code.clone()))
                .flatten()
                .chain(h.ancestors(holder, at).into_iter().map(|a| a.code.clone()))
            {
                if !chain.contains(&c) {
                    chain.push(c);
                }
            }
        }
    }
    chain
}

/// [`unit_chain`] of the unit `code` names on `at`: the unit carrying it
/// then, else its last version that ended before `at` (so an ended
/// commune is reached from the unit that holds it). Just `code` when no
/// unit ever carried it before `at`: then only a scope naming that very
/// code, or an administrator, reaches it.
pub fn code_chain(
    h: &crate::hierarchy::Hierarchy,
    code: &OrgCode,
    at: crate::Date,
) -> Vec<OrgCode> {
    let unit = h.unit_at(code, at).or_else(|| {
        h.units_with_code(code)
            .into_iter()
            .filter(|u| u.validity.to.is_some_and(|t| t < at))
            .max_by_key(|u| u.validity.to)
    });
    match unit {
        Some(u) => unit_chain(h, u.id, at),
        None => vec![code.clone()],
    }
}

/// Parses a scope typed as codes separated by spaces or commas.
pub fn parse_scope(s: &str) -> Result<Vec<OrgCode>, crate::org::OrgCodeError> {
    let mut codes: Vec<OrgCode> = Vec::new();
    for part in s.split([' ', ',', ';']).filter(|p| !p.trim().is_empty()) {
        let c = OrgCode::parse(part)?;
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    Ok(codes)
}

/// Writes a scope back as text, codes separated by spaces.
pub fn format_scope(scope: &[OrgCode]) -> String {
    scope
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> OrgCode {
        OrgCode::parse(s).unwrap()
    }

    fn user(role: Role, scope: &[&str]) -> Principal {
        Principal {
            username: "u".into(),
            role,
            scope: scope.iter().map(|s| code(s)).collect(),
        }
    }

    /// Commune 23479 in province 51 (after the reform: no district).
    fn commune() -> Vec<OrgCode> {
        vec![code("23479"), code("51")]
    }

    #[test]
    fn nobody_signed_in_must_sign_in_for_everything() {
        for a in [Action::Read, Action::EnterData, Action::ManageUsers] {
            assert_eq!(authorize(None, a, None), Decision::SignIn);
        }
    }

    #[test]
    fn roles_grant_actions_from_viewer_up_to_admin() {
        let viewer = user(Role::Viewer, &["51"]);
        assert_eq!(
            authorize(Some(&viewer), Action::Read, None),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&viewer), Action::EnterData, Some(&commune())),
            Decision::Deny
        );
        let manager = user(Role::Manager, &["51"]);
        assert_eq!(
            authorize(Some(&manager), Action::ManageUsers, None),
            Decision::Deny
        );
        assert_eq!(
            authorize(Some(&manager), Action::ManageNetwork, Some(&commune())),
            Decision::Allow
        );
        let admin = user(Role::Admin, &[]);
        assert_eq!(
            authorize(Some(&admin), Action::ManageUsers, None),
            Decision::Allow
        );
        assert_eq!(
            authorize(Some(&admin), Action::EnterData, Some(&commune())),
            Decision::Allow
        );
    }

    #[test]
    fn writes_are_scoped_to_the_users_subtrees() {
        let station = user(Role::DataEntry, &["23479"]);
        assert_eq!(
            authorize(Some(&station), Action::EnterData, Some(&commune())),
            Decision::Allow
        );
        let elsewhere = vec![code("23480"), code("51")];
        assert_eq!(
            authorize(Some(&station), Action::EnterData, Some(&elsewhere)),
            Decision::Deny
        );
        // Reading is not scoped.
        assert_eq!(
            authorize(Some(&station), Action::Read, Some(&elsewhere)),
            Decision::Allow
        );
        // Person-level reading is.
        assert_eq!(
            authorize(Some(&station), Action::ReadPersonal, Some(&elsewhere)),
            Decision::Deny
        );
        let nobody = user(Role::DataEntry, &[]);
        assert_eq!(
            authorize(Some(&nobody), Action::EnterData, Some(&commune())),
            Decision::Deny
        );
    }

    #[test]
    fn approval_comes_from_the_level_above() {
        let reviewer = user(Role::Reviewer, &["51"]);
        assert_eq!(
            authorize(Some(&reviewer), Action::ApproveData, Some(&commune())),
            Decision::Allow
        );
        // Outside the scope, no.
        assert_eq!(
            authorize(Some(&reviewer), Action::ApproveData, Some(&[code("48")])),
            Decision::Deny
        );
        let station = user(Role::DataEntry, &["23479"]);
        assert_eq!(
            authorize(Some(&station), Action::ApproveData, Some(&commune())),
            Decision::Deny
        );
    }

    #[test]
    fn scopes_are_read_and_written_as_codes() {
        let s = parse_scope(" 51, 23479 51 ").unwrap();
        assert_eq!(format_scope(&s), "51 23479");
        assert!(parse_scope("51 x/y").is_err());
        assert_eq!(parse_scope("").unwrap(), vec![]);
        assert_eq!("manager".parse::<Role>(), Ok(Role::Manager));
        assert!("boss".parse::<Role>().is_err());
    }
}
