//! The home page, "Việc của tôi": each person's work of the day, by what
//! the policy lets them do, one click from each task.
//!
//! - **A station** (data entry on its commune): its monthly report of
//!   the last closed month — where it stands, the reason it was returned,
//!   one button to its form (unit and period filled in) — the running
//!   month's form, and the due list of its registers.
//! - **A reviewer or manager** (approval over communes): the communes'
//!   reports of the last closed month — waiting for approval, returned,
//!   not entered, by name — and the approval queue.
//! - **A manager**: the targets of its unit missed or at risk.
//! - **An administrator**: accounts and the audit log besides.
//!
//! Counts of administrative units are on the network page.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use ytcs_core::access::{Action, Role};
use ytcs_core::aggregate::standard_data_sets;
use ytcs_core::org::OrgUnit;
use ytcs_core::period::Period;
use ytcs_engine::reporting::{commune_reports, CommuneReport, ReportStatus};

use crate::app::i18n::Lang;
use crate::app::page::{render, Chrome, Page, PageError};
use crate::app::AppState;

/// Communes named in a list before "… and n more".
const LISTED: usize = 12;

/// The station's report of one commune.
struct StationCard {
    unit: String,
    line: String,
    /// When the report is due, or that it is late (`late`).
    due: String,
    late: bool,
    status: &'static str,
    reason: String,
    form_href: String,
    form_label: String,
    running_href: String,
    running_label: String,
    due_href: String,
}

/// The communes' reports of the last closed period.
struct CommunesCard {
    heading: String,
    /// "n reports waiting", "n returned", "n not entered".
    waiting_line: String,
    returned_line: String,
    missing_line: String,
    counts: Vec<(&'static str, String, usize)>,
    waiting: Vec<(String, String)>,
    returned: Vec<(String, String)>,
    missing: Vec<String>,
    missing_more: String,
    queue_href: String,
}

/// A target missed or at risk.
struct Behind {
    /// Where the units behind are listed: the unit's dashboard ranked on
    /// the indicator, else the plan's scorecard.
    href: String,
    /// The unit the target is set for.
    unit: String,
    text: String,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    greeting: String,
    stations: Vec<StationCard>,
    communes: Option<CommunesCard>,
    behind_heading: String,
    behind: Vec<Behind>,
    show_behind: bool,
    links: Vec<(String, String)>,
    /// The statutory reports of the last ended periods: (link, line, late).
    statutory: Vec<(String, String, bool)>,
}

/// `GET /`.
pub(crate) async fn home(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
) -> Result<Response, PageError> {
    let today = (st.today)();
    let lang = page.lang;
    let ht = lang.home();
    let vi = lang == Lang::Vi;
    let h = st.store.hierarchy().await?;
    let set = standard_data_sets()
        .into_iter()
        .next()
        .expect("the standard data sets are never empty");
    let period = ytcs_core::period_text::last_closed(set.period_type, today);
    let label = |p| ytcs_core::period_text::label(p, vi);
    let form =
        |code: &str, p: Period| format!("/data/entry?set={}&org={code}&period={p}", set.code);

    let stations = if me.principal.role == Role::DataEntry {
        let own = crate::app::scope::communes(&h, &me, Action::EnterData, period.end(), today);
        let reports = commune_reports(st.store.as_ref(), &own, &set, period).await?;
        station_cards(&reports, lang, today, &form)
    } else {
        Vec::new()
    };

    // Those who approve: the communes' reports.
    let approving = crate::app::scope::communes(&h, &me, Action::ApproveData, period.end(), today);
    let communes = if approving.is_empty() {
        None
    } else {
        let reports = commune_reports(st.store.as_ref(), &approving, &set, period).await?;
        Some(communes_card(&reports, lang, &label(period), &|code| {
            form(code, period)
        }))
    };

    // A manager: the targets of its unit behind their path.
    let scope_unit: Option<&OrgUnit> = me.principal.scope.first().and_then(|c| h.unit_at(c, today));
    let show_behind = me.principal.role == Role::Manager && scope_unit.is_some();
    let behind = match scope_unit.filter(|_| show_behind) {
        Some(u) => ytcs_engine::scorecard::targets_behind(st.store.as_ref(), &h, u, today)
            .await?
            .iter()
            .map(|(plan_id, r)| behind_row(*plan_id, r, lang))
            .collect(),
        None => Vec::new(),
    };

    // The statutory forms of the user's units, last ended period (an
    // administrator sends none and sees every province's in the calendar).
    let statutory = if me.principal.role == Role::Admin {
        Vec::new()
    } else {
        let units = crate::app::scope::scope_units(&h, &me, today);
        let org = if units.len() == 1 {
            units[0].code.to_string()
        } else {
            String::new()
        };
        ytcs_engine::statutory::due_list(st.store.as_ref(), &h, &st.forms, &units, 1, today)
            .await?
            .iter()
            .filter(|d| !d.running)
            .map(|d| {
                (
                    format!("/reports/forms/{}?org={org}&period={}", d.key, d.period),
                    crate::app::i18n::forms::due_line(lang, d),
                    d.missing_late > 0,
                )
            })
            .collect()
    };

    let mut links = Vec::new();
    let dashboard = scope_unit.map_or_else(
        || {
            (
                "VN".to_string(),
                lang.pick("Cả nước", "Vietnam").to_string(),
            )
        },
        |u| (u.code.to_string(), u.name.clone()),
    );
    links.push((
        format!("/org/{}/dashboard", dashboard.0),
        (ht.dashboard_link)(&dashboard.1),
    ));
    links.push(("/tasks?overdue=1".to_string(), ht.tasks_link.to_string()));
    if me.principal.role == Role::Admin {
        links.push(("/admin/users".to_string(), ht.accounts_link.to_string()));
        links.push(("/admin/audit".to_string(), ht.audit_link.to_string()));
    }
    links.push(("/network".to_string(), ht.network_link.to_string()));

    Ok(render(&HomePage {
        statutory,
        c: Chrome::new(&page, "overview"),
        greeting: (ht.greeting)(&me.account.display_name),
        stations,
        communes,
        behind_heading: scope_unit
            .map(|u| (ht.behind_heading)(&u.name))
            .unwrap_or_default(),
        behind,
        show_behind,
        links,
    }))
}

/// The station's cards: each of its communes' report of the last closed
/// period — where it stands, why it was returned, when it is due or that
/// it is late — with its form, the running period's and the due list.
fn station_cards(
    reports: &[CommuneReport],
    lang: Lang,
    today: ytcs_core::Date,
    form: &dyn Fn(&str, Period) -> String,
) -> Vec<StationCard> {
    let (ht, dt) = (lang.home(), lang.data());
    let vi = lang == Lang::Vi;
    reports
        .iter()
        .map(|r| {
            let period = r.period;
            let running = period.next();
            let label = |p| ytcs_core::period_text::label(p, vi);
            let due = ytcs_core::period_text::report_due(
                period,
                ytcs_core::period_text::COMMUNE_REPORT_WORKING_DAYS,
            );
            let late = r.status.to_send() && today > due;
            let code = r.unit.code.to_string();
            StationCard {
                due: match (r.status.to_send(), late) {
                    (false, _) => String::new(),
                    (true, true) => (ht.late)(&ytcs_core::format::date(due)),
                    (true, false) => (ht.due_on)(&ytcs_core::format::date(due)),
                },
                late,
                unit: r.unit.name.clone(),
                line: (ht.report_line)(&label(period), dt.report_status(r.status)),
                status: r.status.code(),
                reason: r
                    .record
                    .as_ref()
                    .and_then(|x| x.reason.clone())
                    .filter(|_| r.status == ReportStatus::Returned)
                    .map(|x| (ht.returned_because)(&x))
                    .unwrap_or_default(),
                form_href: form(&code, period),
                form_label: (ht.open_form)(&label(period)),
                running_href: form(&code, running),
                running_label: (ht.open_running)(&label(running)),
                due_href: format!("/registers/due?org={code}"),
            }
        })
        .collect()
}

/// A target behind, linked to where the units behind it are listed: the
/// unit's dashboard ranked on the indicator, else the plan's scorecard.
fn behind_row(plan_id: i64, r: &ytcs_engine::scorecard::ScoreRow, lang: Lang) -> Behind {
    Behind {
        href: match (&r.indicator, &r.org_code) {
            (Some(i), Some(o)) => format!("/org/{o}/dashboard?indicator={i}#ranking"),
            _ => format!("/plans/{plan_id}/scorecard"),
        },
        unit: r.org_name.clone().unwrap_or_default(),
        text: r
            .indicator
            .as_deref()
            .map(|c| crate::app::vocab::indicator_name(c, lang))
            .unwrap_or_else(|| r.text.clone()),
        status: lang.indicators().status_label(r.progress.status),
    }
}

/// The card of the communes' reports: counts by status, those waiting
/// and returned by name (each a link to its form), those not entered.
fn communes_card(
    reports: &[CommuneReport],
    lang: Lang,
    period: &str,
    form: &dyn Fn(&str) -> String,
) -> CommunesCard {
    let (ht, dt) = (lang.home(), lang.data());
    let named = |s: ReportStatus| -> Vec<(String, String)> {
        reports
            .iter()
            .filter(|r| r.status == s)
            .take(LISTED)
            .map(|r| {
                (
                    crate::app::scope::shown_name(r.unit),
                    form(r.unit.code.as_str()),
                )
            })
            .collect()
    };
    let count = |s: ReportStatus| reports.iter().filter(|r| r.status == s).count();
    let missing_all: Vec<&CommuneReport> = reports
        .iter()
        .filter(|r| r.status == ReportStatus::NotEntered)
        .collect();
    CommunesCard {
        heading: (ht.communes_heading)(period),
        waiting_line: (ht.waiting)(&count(ReportStatus::Submitted).to_string()),
        returned_line: (ht.returned)(&count(ReportStatus::Returned).to_string()),
        missing_line: (ht.missing)(&missing_all.len().to_string()),
        counts: ReportStatus::ALL
            .into_iter()
            .map(|s| (s.code(), dt.report_status(s).to_string(), count(s)))
            .collect(),
        waiting: named(ReportStatus::Submitted),
        returned: named(ReportStatus::Returned),
        missing: missing_all
            .iter()
            .take(LISTED)
            .map(|r| crate::app::scope::shown_name(r.unit))
            .collect(),
        missing_more: if missing_all.len() > LISTED {
            (ht.and_more)(&(missing_all.len() - LISTED).to_string())
        } else {
            String::new()
        },
        queue_href: "/data/approvals".to_string(),
    }
}
