//! The demonstration database: the five seed plans (embedded from
//! `data/seeds/`), imported as a user would import them.

use anyhow::{Context, Result};
use ytcs_store::Store;

/// The five real plans ytcs was specified from (see `data/seeds/README.md`).
pub const SEED_PLANS: [(&str, &str); 5] = [
    (
        "000_5ad8db25cf967cbe.txt",
        include_str!("../../../data/seeds/000_5ad8db25cf967cbe.txt"),
    ),
    (
        "001_6c2c492b7eec1205.txt",
        include_str!("../../../data/seeds/001_6c2c492b7eec1205.txt"),
    ),
    (
        "002_5d8771779a960770.txt",
        include_str!("../../../data/seeds/002_5d8771779a960770.txt"),
    ),
    (
        "003_3ea79b4f7be72fab.txt",
        include_str!("../../../data/seeds/003_3ea79b4f7be72fab.txt"),
    ),
    (
        "004_1ec6eb96b9fafe38.txt",
        include_str!("../../../data/seeds/004_1ec6eb96b9fafe38.txt"),
    ),
];

/// Imports the seed plans that are not stored yet, then their demo
/// execution records ([`load_demo_tracking`]); returns how many plans were new.
pub async fn import_seed_plans(store: &dyn Store) -> Result<usize> {
    let mut new = 0;
    for (name, text) in SEED_PLANS {
        let plan = ytcs_plandoc::parse_bytes(name, text.as_bytes())
            .with_context(|| format!("reading seed plan {name}"))?;
        let (_, created) = store.insert_plan(&plan, text).await?;
        new += usize::from(created);
    }
    load_demo_tracking(store).await?;
    Ok(new)
}

/// The agencies the seed plans name as lead units (Sở Y tế, Sở Tài chính,
/// BHXH …, and for districts Phòng Y tế, Trung tâm Y tế …) as units under
/// the provinces and districts that issue the plans or contain their
/// issuers, before and after the reform; once (meta key
/// `demo_agencies_loaded`).
pub async fn load_demo_agencies(store: &dyn Store) -> Result<usize> {
    const KEY: &str = "demo_agencies_loaded";
    if store.meta(KEY).await?.is_some() {
        return Ok(0);
    }
    let n = ytcs_engine::lead::add_plan_agencies(store, ytcs_web::today_in_vietnam())
        .await
        .context("adding the agencies the seed plans name")?;
    store.set_meta(KEY, "1").await?;
    Ok(n)
}

/// Execution records for the demo, so that running a plan shows every state:
/// on the Kon Rẫy plan, tasks done, in progress and blocked (and the rest
/// overdue), its annual report handed in late; on the Lào Cai plan,
/// disbursements (one line fully, one half, one over budget); and
/// commune-health criteria results for the communes of Quảng Ngãi (51),
/// some passing. Deterministic; loaded once (meta key `demo_tracking_loaded`).
pub async fn load_demo_tracking(store: &dyn Store) -> Result<()> {
    use std::collections::BTreeMap;
    use ytcs_core::criteria::{evaluate, CriteriaSet, QD1300_POINTS};
    use ytcs_core::org::OrgCode;
    use ytcs_core::plan::TimeframeKind;
    use ytcs_core::tracking::TaskStatus;
    use ytcs_store::tracking::{
        Assessment, BudgetEntry, BudgetEntryKind, NewTaskUpdate, ReportSubmission,
    };

    const KEY: &str = "demo_tracking_loaded";
    if store.meta(KEY).await?.is_some() {
        return Ok(());
    }
    let d = |s: &str| s.parse::<ytcs_core::Date>().context("demo date");
    let plans = store.list_plans().await?;
    let by_issuer = |issuer: &str| {
        plans
            .iter()
            .find(|p| p.issuer.as_deref() == Some(issuer))
            .map(|p| p.id)
    };

    if let Some(id) = by_issuer("UBND huyện Kon Rẫy") {
        let plan = store.get_plan(id).await?.context("demo plan")?.plan;
        // Tasks with a deadline first, then ongoing ones that have a lead unit.
        let mut dated: Vec<&ytcs_core::plan::Task> = plan
            .tasks
            .iter()
            .filter(|t| {
                matches!(
                    t.timeframe.kind,
                    TimeframeKind::Quarter | TimeframeKind::Before | TimeframeKind::Year
                )
            })
            .collect();
        dated.extend(
            plan.tasks
                .iter()
                .filter(|t| t.timeframe.kind == TimeframeKind::Ongoing && !t.lead_units.is_empty()),
        );
        let updates = [
            (
                TaskStatus::Done,
                Some(100u8),
                "2024-12-20",
                "Đã hoàn thành, có biên bản nghiệm thu.",
            ),
            (
                TaskStatus::InProgress,
                Some(40),
                "2025-03-10",
                "Đã rà soát 8/12 thôn; đang hoàn thiện hồ sơ.",
            ),
            (
                TaskStatus::Blocked,
                Some(10),
                "2025-05-02",
                "Chờ hướng dẫn của Sở Y tế về định mức kinh phí.",
            ),
        ];
        for (task, (status, progress, on, note)) in dated.iter().zip(updates) {
            store
                .add_task_update(&NewTaskUpdate {
                    plan_id: id,
                    task_id: task.id.clone(),
                    on: d(on)?,
                    status,
                    progress,
                    note: note.into(),
                    evidence: None,
                })
                .await?;
        }
        if let Some((i, duty)) = plan
            .reporting
            .iter()
            .enumerate()
            .find(|(_, r)| r.deadline.as_ref().is_some_and(|x| x.day == Some(15)))
        {
            let unit = duty.by.first().cloned().unwrap_or_default();
            store
                .submit_report(
                    id,
                    &ReportSubmission {
                        duty: i,
                        due: d("2024-12-15")?,
                        unit,
                        submitted_on: d("2024-12-27")?,
                        note: "Nộp qua văn thư".into(),
                    },
                )
                .await?;
        }
    }

    if let Some(id) = by_issuer("UBND thành phố Lào Cai") {
        let plan = store.get_plan(id).await?.context("demo plan")?.plan;
        let line = |amount: i64| {
            plan.budget
                .iter()
                .find(|b| b.amount_vnd == amount)
                .map(|b| b.id.clone())
        };
        let entries = [
            (
                line(1_987_000_000),
                BudgetEntryKind::Commitment,
                1_987_000_000,
                "2024-03-15",
            ),
            (
                line(1_987_000_000),
                BudgetEntryKind::Disbursement,
                1_987_000_000,
                "2024-09-30",
            ),
            (
                line(2_500_000_000),
                BudgetEntryKind::Commitment,
                2_500_000_000,
                "2024-04-01",
            ),
            (
                line(2_500_000_000),
                BudgetEntryKind::Disbursement,
                1_250_000_000,
                "2024-10-15",
            ),
            (
                line(54_000_000),
                BudgetEntryKind::Disbursement,
                61_500_000,
                "2024-11-20",
            ),
        ];
        for (line_id, kind, amount_vnd, on) in entries {
            let Some(line_id) = line_id else { continue };
            store
                .add_budget_entry(
                    id,
                    &BudgetEntry {
                        line_id,
                        on: d(on)?,
                        kind,
                        amount_vnd,
                        source: Some("Ngân sách thành phố".into()),
                        note: String::new(),
                    },
                )
                .await?;
        }
    }

    // Criteria for the communes of Quảng Ngãi: a deterministic spread of
    // scores, so that some pass and some do not.
    let set = CriteriaSet::qd1300();
    if let Some(province) = store
        .unit_at(&OrgCode::parse("51")?, d("2026-01-01")?)
        .await?
    {
        let communes: Vec<_> = store
            .children(province.id, d("2026-01-01")?)
            .await?
            .into_iter()
            .filter(|u| u.kind == ytcs_core::org::OrgKind::Commune)
            .collect();
        for (n, c) in communes.iter().enumerate().take(40) {
            let mut scores = BTreeMap::new();
            for (k, max) in QD1300_POINTS.iter().enumerate() {
                // 60 %–100 % of each criterion's points, varied by commune and criterion.
                let share = 0.6 + 0.4 * (((n * 7 + k * 3) % 11) as f64 / 10.0);
                let pts = (f64::from(*max) * share * 2.0).round() / 2.0;
                scores.insert(format!("{}", k + 1), pts.min(f64::from(*max)));
            }
            if n % 9 == 4 {
                scores.insert("9".into(), 1.0); // under half of 3 points
            }
            let e = evaluate(&set, &scores)?;
            store
                .save_assessment(&Assessment {
                    commune: c.id,
                    year: 2025,
                    total: e.total,
                    passed: e.passed,
                    recognised_on: e.passed.then(|| d("2025-12-20")).transpose()?,
                    scores,
                })
                .await?;
        }
    }
    store.set_meta(KEY, "1").await?;
    Ok(())
}

/// A demo account: one per role, scoped to the demo province.
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Its (public, demo-only) password.
    pub password: &'static str,
    /// Its role.
    pub role: ytcs_core::access::Role,
    /// Name shown in the header.
    pub display_name: &'static str,
}

/// The demo's accounts. Their passwords are printed by `serve --demo` and
/// written in the README: a demo database is not for real data.
pub const DEMO_ACCOUNTS: [DemoAccount; 5] = {
    use ytcs_core::access::Role;
    [
        DemoAccount {
            username: "admin",
            password: "demo-quantri-2025",
            role: Role::Admin,
            display_name: "Quản trị viên",
        },
        DemoAccount {
            username: "soyte",
            password: "demo-soyte-2025",
            role: Role::Manager,
            display_name: "Sở Y tế Quảng Ngãi",
        },
        DemoAccount {
            username: "ttyt",
            password: "demo-ttyt-2025",
            role: Role::Reviewer,
            display_name: "Trung tâm Y tế khu vực",
        },
        DemoAccount {
            username: "tramyte",
            password: "demo-tramyte-2025",
            role: Role::DataEntry,
            display_name: "Trạm Y tế xã",
        },
        DemoAccount {
            username: "xem",
            password: "demo-xem-2025",
            role: Role::Viewer,
            display_name: "Người xem",
        },
    ]
};

/// The communes (as of 1 July 2025) the demo station and health centre work
/// in: the station in the first commune of Quảng Ngãi by code, the centre in
/// the first five.
pub async fn demo_communes(store: &dyn Store) -> Result<Vec<ytcs_core::org::OrgCode>> {
    let at = ytcs_core::Date::from_ymd_opt(2025, 7, 1).context("a date")?;
    let province = store
        .unit_at(&ytcs_core::org::OrgCode::parse("51")?, at)
        .await?
        .context("the demo province 51 is missing")?;
    let mut communes: Vec<_> = store
        .children(province.id, at)
        .await?
        .into_iter()
        .filter(|u| u.kind == ytcs_core::org::OrgKind::Commune)
        .map(|u| u.code)
        .collect();
    communes.sort();
    communes.truncate(5);
    Ok(communes)
}

/// Creates the demo accounts that do not exist yet.
pub async fn ensure_demo_accounts(store: &dyn Store) -> Result<()> {
    use ytcs_core::access::Role;
    let communes = demo_communes(store).await?;
    let province = vec![ytcs_core::org::OrgCode::parse("51")?];
    for a in DEMO_ACCOUNTS {
        if store.account_for_login(a.username).await?.is_some() {
            continue;
        }
        let scope = match a.role {
            Role::Admin => vec![],
            Role::Manager | Role::Viewer => province.clone(),
            Role::Reviewer => communes.clone(),
            Role::DataEntry => communes.iter().take(1).cloned().collect(),
        };
        let hash = ytcs_web::auth::hash_password(a.password).map_err(anyhow::Error::msg)?;
        store
            .create_account(&ytcs_store::accounts::NewAccount {
                username: a.username.into(),
                display_name: a.display_name.into(),
                password_hash: hash,
                role: a.role,
                scope,
                must_change_password: false,
            })
            .await?;
    }
    Ok(())
}

/// Activity for the demo's audit log and approval states, once (meta key
/// `demo_activity_loaded`): the seed plans' import recorded as the system's,
/// and the demo station's monthly data for August and September 2025
/// submitted; August approved (so locked) by the health centre, September
/// waiting; and the criteria assessments' values for
/// `communes_criteria_pct`.
pub async fn load_demo_activity(store: &dyn Store) -> Result<()> {
    use ytcs_core::approval::ApprovalAction;
    use ytcs_core::audit::{AuditAction, NewAuditEntry, ObjectKind, SYSTEM_ACTOR};
    const KEY: &str = "demo_activity_loaded";
    if store.meta(KEY).await?.is_some() {
        return Ok(());
    }
    for p in store.list_plans().await? {
        store
            .append(
                &NewAuditEntry::new(
                    SYSTEM_ACTOR,
                    AuditAction::Create,
                    ObjectKind::Plan,
                    p.id.to_string(),
                )
                .with_change(
                    None,
                    Some(serde_json::json!({"number": p.number, "issuer": p.issuer})),
                )
                .with_detail(Some("demo seed".into())),
            )
            .await?;
    }
    let communes = demo_communes(store).await?;
    let station = communes.first().context("a demo commune")?;
    let at = ytcs_core::Date::from_ymd_opt(2025, 9, 30).context("a date")?;
    let unit = store
        .unit_at(station, at)
        .await?
        .context("the demo commune")?;
    for (month, moves) in [
        (
            "2025-08",
            &[ApprovalAction::Submit, ApprovalAction::Approve][..],
        ),
        ("2025-09", &[ApprovalAction::Submit][..]),
    ] {
        let period: ytcs_core::period::Period = month.parse().context("a demo period")?;
        if store.approval(unit.id, period).await?.is_some() {
            continue;
        }
        for m in moves {
            let actor = if *m == ApprovalAction::Submit {
                "tramyte"
            } else {
                "ttyt"
            };
            store
                .transition_approval(unit.id, period, *m, actor, None, None)
                .await
                .map_err(|e| anyhow::anyhow!("demo approval: {e}"))?;
        }
    }
    // The criteria assessments feed `communes_criteria_pct`.
    let year = chrono::Datelike::year(&ytcs_web::today_in_vietnam());
    ytcs_engine::criteria::sync_all(store, "system", year)
        .await
        .context("deriving the criteria indicator from the demo's assessments")?;
    store.set_meta(KEY, "1").await?;
    Ok(())
}

/// Persons of the demo's station registers.
pub const DEMO_REGISTER_PERSONS: usize = 6000;
/// Seed of the demo's station registers.
pub const DEMO_REGISTER_SEED: u64 = 51;

/// A small generated register (`ytcs_synth::generate`) in the communes of
/// the demo health centre (`ttyt`), which replaces the registry's
/// population of those communes (the registers hold every resident), and
/// the values derived from it; once (meta key
/// `demo_registers_loaded`), and only into an empty register.
pub async fn load_demo_registers(store: &dyn Store) -> Result<()> {
    const KEY: &str = "demo_registers_loaded";
    if store.meta(KEY).await?.is_some() {
        return Ok(());
    }
    let (persons, _) = store.register_counts().await?;
    if persons == 0 {
        let h = store.hierarchy().await?;
        let today = ytcs_web::today_in_vietnam();
        let ids: Vec<ytcs_core::org::UnitId> = demo_communes(store)
            .await?
            .iter()
            .filter_map(|c| h.unit_at(c, today))
            .map(|u| u.id)
            .collect();
        let g = ytcs_synth::generate::generate_in(
            &h,
            &ids,
            DEMO_REGISTER_PERSONS,
            DEMO_REGISTER_SEED,
            today,
        )?;
        ytcs_store::raw::writes(store)
            .bulk_load(&g.batch, "system")
            .await?;
        // The demo's registers cover their communes whole: the registry's
        // population of those communes (and of the old communes they were
        // made of) is the registers' own, so the station's figures are
        // complete (`core::quality::REGISTER_COMPLETE`).
        store
            .replace_population(&g.population)
            .await
            .context("writing the population of the register communes")?;
        // Before the demo's approvals lock periods (see `demo_init`); in an
        // older demo database a locked period leaves the values to be
        // derived later, once unlocked.
        if let Err(e) = ytcs_engine::registers::sync(store, &h, Some(&ids), "system", today).await {
            tracing::warn!("the demo registers' values were not derived: {e}");
        }
    }
    store.set_meta(KEY, "1").await?;
    Ok(())
}
