//! An indicator's profile on one unit — what the indicator page shows:
//! its yearly figures from the first year with data, the plan target on
//! the unit with a plain threshold (the latest due year wins; a hand link
//! of the scorecard overrides the automatic one) and that target's actual
//! and status ([`crate::scorecard::target_actual`], the one rule every
//! page, report and export follows), the communes missing from the latest
//! figure when its coverage is incomplete, and the child units ranked on
//! it ([`crate::dashboard::ranked_children`], the dashboard's rule).

use std::collections::HashMap;

use ytcs_core::formula::{Evaluator, Value};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::is_network_code;
use ytcs_core::org::OrgUnit;
use ytcs_core::period::Period;
use ytcs_core::plan::{Comparator, Target};
use ytcs_core::Date;
use ytcs_store::values::TargetLink;
use ytcs_store::Store;

use crate::dashboard::{ranked_children, Ranked};
use crate::scorecard::{resolve_issuer, target_actual, TargetActual, YearCache, FIRST_YEAR};
use crate::EngineError;

/// A plan target with a plain threshold on one indicator and unit.
#[derive(Debug, Clone)]
pub struct PlainTarget {
    /// The threshold.
    pub value: f64,
    /// The year it is due.
    pub year: i32,
    /// The plan that sets it.
    pub plan_id: i64,
    /// The target itself.
    pub target: Target,
}

/// Everything the indicator page shows of one indicator on one unit.
#[derive(Debug)]
pub struct Profile<'h> {
    /// Yearly figures from the first year with data up to `eval_at`'s
    /// (only the last year when no year has data).
    pub years: Vec<(i32, Value)>,
    /// The plan target on the unit, when there is one.
    pub target: Option<PlainTarget>,
    /// That target's actual and status.
    pub actual: Option<TargetActual>,
    /// The latest year with a figure.
    pub latest_year: Option<i32>,
    /// Communes missing from the latest figure (its coverage incomplete).
    pub missing: Vec<&'h OrgUnit>,
    /// The child units ranked on the indicator in the latest year.
    pub children: Vec<Ranked<'h>>,
}

/// The profile of the indicator `code` on `unit`, with the units of
/// `eval_at` (its last day when it has ended), judged as of `at`.
pub async fn profile<'h>(
    store: &dyn Store,
    h: &'h Hierarchy,
    code: &str,
    unit: &'h OrgUnit,
    eval_at: Date,
    at: Date,
) -> Result<Profile<'h>, EngineError> {
    use chrono::Datelike;
    let mut cache = YearCache::default();
    let mut years: Vec<(i32, Value)> = Vec::new();
    for y in FIRST_YEAR..=eval_at.year() {
        let v = cache
            .figures_or_none(store, h, code, y, eval_at, &[unit.id])
            .await?;
        years.push((y, v.first().copied().unwrap_or(Value::NONE)));
    }
    // Leading years without data say nothing.
    let years = match years.iter().position(|(_, v)| v.value.is_some()) {
        Some(i) => years.split_off(i),
        None => years.split_off(years.len().saturating_sub(1)),
    };
    let target = plain_target(store, h, code, unit, eval_at).await?;
    let actual = match &target {
        Some(t) => Some(
            target_actual(
                store,
                h,
                &mut YearCache::default(),
                &t.target,
                code,
                unit.id,
                t.year,
                eval_at,
                at,
            )
            .await?,
        ),
        None => None,
    };
    let latest = years.iter().rev().find(|(_, v)| v.value.is_some()).copied();
    let mut missing = Vec::new();
    if let Some((y, f)) = latest {
        if f.flags.incomplete_coverage && !is_network_code(code) {
            let data = crate::period_data(store, Period::Year(y)).await?;
            let mut ev = Evaluator::new(h, eval_at, &data, &[unit.id]);
            // An indicator without commune scopes lists nobody.
            if let Ok(ids) = ev.missing_communes(code, 0) {
                missing = ids.into_iter().filter_map(|id| h.unit(id)).collect();
            }
        }
    }
    let children = match latest {
        Some((y, _)) => ranked_children(store, h, &mut cache, unit.id, code, y, eval_at).await?,
        None => vec![],
    };
    Ok(Profile {
        years,
        target,
        actual,
        latest_year: latest.map(|(y, _)| y),
        missing,
        children,
    })
}

/// The plan target for `code` on `unit` with a plain threshold (greater,
/// less, equal or about; not a range or a relative change). An undated
/// plan's issuer is resolved on `at`; the latest due year wins.
pub async fn plain_target(
    store: &dyn Store,
    h: &Hierarchy,
    code: &str,
    unit: &OrgUnit,
    at: Date,
) -> Result<Option<PlainTarget>, EngineError> {
    let unit_code = unit.code.to_string();
    let mut best: Option<PlainTarget> = None;
    for s in store.list_plans().await? {
        let Some(stored) = store.get_plan(s.id).await? else {
            continue;
        };
        let plan = &stored.plan;
        let hand: HashMap<String, TargetLink> = store
            .target_links(s.id)
            .await?
            .into_iter()
            .map(|l| (l.target_id.clone(), l))
            .collect();
        let issuer = plan
            .issuer
            .as_deref()
            .and_then(|i| resolve_issuer(h, i, plan.date.unwrap_or(at)));
        for t in &plan.targets {
            let (ind, org, year) = match hand.get(&t.id) {
                Some(l) => (
                    Some(l.indicator.as_str()),
                    Some(l.org_code.clone()),
                    Some(l.year),
                ),
                None => (
                    t.indicator.as_deref(),
                    issuer.map(|u| u.code.to_string()),
                    t.year,
                ),
            };
            let plain = matches!(
                t.comparator,
                Comparator::Gt
                    | Comparator::Ge
                    | Comparator::Lt
                    | Comparator::Le
                    | Comparator::Eq
                    | Comparator::About
            );
            if ind != Some(code) || org.as_deref() != Some(unit_code.as_str()) || !plain {
                continue;
            }
            if let (Some(value), Some(year)) = (t.value, year) {
                if best.as_ref().is_none_or(|b| year > b.year) {
                    best = Some(PlainTarget {
                        value,
                        year,
                        plan_id: s.id,
                        target: t.clone(),
                    });
                }
            }
        }
    }
    Ok(best)
}
