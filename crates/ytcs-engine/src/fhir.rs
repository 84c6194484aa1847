//! A plan's targets and results as FHIR R4: a `collection` Bundle of
//! `Measure` (one per indicator the plan's targets use: name, scoring,
//! improvement notation, numerator and denominator as ytcs formulas),
//! `Goal` (one per linked target: the unit as subject, the indicator as
//! measure, the value as a quantity or a one-sided range, due 31 December of
//! its year) and `MeasureReport` (one per target unit and year with data:
//! numerator, denominator, score).
//!
//! Decisions: units are `Organization` references by ytcs unit code
//! (`Organization/51`), as mCSD exports them; indicator codes live in the
//! code system `https://ytcs.vn/fhir/CodeSystem/indicator`; a comparator `≥`
//! becomes `detailRange.low`, `≤` `detailRange.high`, strict ones the same
//! with an extension naming the comparator, and relative targets ("giảm 10
//! %") a quantity with the extension only, since FHIR has no relative
//! target. Goals of targets that are not linked to both an indicator and a
//! unit are left out and counted in the bundle's `meta.tag`.
//! Served as `GET /api/v1/plans/{id}/fhir`.

use serde_json::{json, Value};
use ytcs_core::formula::definition;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::indicator::{by_code, Direction};

use ytcs_core::org::OrgCode;
use ytcs_core::period::Period;
use ytcs_core::plan::{Comparator, Unit};
use ytcs_core::Date;
use ytcs_store::Store;

use crate::scorecard::ScoreRow;
use crate::EngineError;

/// Base of the canonical URLs ytcs gives its resources.
pub const BASE: &str = "https://ytcs.vn/fhir";
/// The code system of indicator codes.
pub const INDICATOR_SYSTEM: &str = "https://ytcs.vn/fhir/CodeSystem/indicator";

fn unit_text(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "%",
        Unit::PerMille => "‰",
        Unit::Per10000 => "/10.000 dân",
        Unit::Per100000 => "/100.000 dân",
        Unit::Per100 => "/100",
        Unit::Years => "năm",
        Unit::Count => "1",
        Unit::Vnd => "VND",
        Unit::Ratio => "1",
        Unit::Other => "1",
    }
}

fn comparator_code(c: Comparator) -> &'static str {
    match c {
        Comparator::Gt => "gt",
        Comparator::Ge => "ge",
        Comparator::Lt => "lt",
        Comparator::Le => "le",
        Comparator::Eq => "eq",
        Comparator::About => "about",
        Comparator::Maintain => "maintain",
        Comparator::ReduceBy => "reduce_by",
        Comparator::IncreaseBy => "increase_by",
    }
}

/// The `Measure` of an indicator of the catalogue (`None` for an unknown code).
pub fn measure(code: &str) -> Option<Value> {
    let ind = by_code(code)?;
    let def = definition(code);
    let (scoring, populations) = match &def {
        Some(d) => match &d.denominator {
            Some(den) => (
                if ind.unit == Unit::Percent {
                    "proportion"
                } else {
                    "ratio"
                },
                vec![
                    json!({"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "numerator"}]},
                           "criteria": {"language": "text/x-ytcs-formula", "expression": d.numerator.to_string()}}),
                    json!({"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "denominator"}]},
                           "criteria": {"language": "text/x-ytcs-formula", "expression": den.to_string()}}),
                ],
            ),
            None => (
                "continuous-variable",
                vec![
                    json!({"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "measure-observation"}]},
                            "criteria": {"language": "text/x-ytcs-formula", "expression": d.numerator.to_string()}}),
                ],
            ),
        },
        // Network indicators are computed from the registry, not a formula.
        None => ("continuous-variable", vec![]),
    };
    let mut m = json!({
        "resourceType": "Measure",
        "id": code.replace('_', "-"),
        "url": format!("{BASE}/Measure/{code}"),
        "name": code,
        "title": ind.name,
        "status": "active",
        "scoring": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-scoring", "code": scoring}]},
        "group": [{"code": {"coding": [{"system": INDICATOR_SYSTEM, "code": code}]}, "population": populations}],
    });
    let notation = match ind.direction {
        Direction::Higher => Some("increase"),
        Direction::Lower => Some("decrease"),
        _ => None,
    };
    if let Some(n) = notation {
        m["improvementNotation"] = json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-improvement-notation", "code": n}]});
    }
    if let Some(d) = &def {
        m["scoringUnit"] = json!({"text": unit_text(ind.unit)});
        m["description"] = json!(format!("× {}", d.factor));
    }
    Some(m)
}

/// FHIR's goal-achievement code for a target's status.
fn achievement(s: ytcs_core::progress::Status) -> Value {
    use ytcs_core::progress::Status::*;
    let code = match s {
        Achieved => "achieved",
        OnTrack => "improving",
        AtRisk => "no-change",
        OffTrack => "worsening",
        Missed => "not-achieved",
        NoData => return json!({"text": "no data"}),
    };
    json!({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": code}]})
}

/// The `Goal` of one scorecard row (`None` when the target is not linked to
/// both an indicator and a unit, or has no year).
pub fn goal(plan_id: i64, row: &ScoreRow) -> Option<Value> {
    let (code, org, year) = (row.indicator.as_ref()?, row.org_code.as_ref()?, row.year?);
    let quantity = |v: f64| json!({"value": v, "unit": unit_text(row.unit)});
    let mut target = json!({
        "measure": {"coding": [{"system": INDICATOR_SYSTEM, "code": code}], "text": row.indicator_name},
        "dueDate": format!("{year}-12-31"),
    });
    if let Some(v) = row.value {
        match row.comparator {
            Comparator::Ge | Comparator::Gt => target["detailRange"] = json!({"low": quantity(v)}),
            Comparator::Le | Comparator::Lt => target["detailRange"] = json!({"high": quantity(v)}),
            _ => target["detailQuantity"] = quantity(v),
        }
    }
    target["extension"] = json!([{"url": format!("{BASE}/StructureDefinition/target-comparator"), "valueCode": comparator_code(row.comparator)}]);
    Some(json!({
        "resourceType": "Goal",
        "id": format!("plan-{plan_id}-{}", row.target_id.replace(['.', ' '], "-")),
        "identifier": [{"system": format!("{BASE}/plan/{plan_id}/target"), "value": row.target_id}],
        "lifecycleStatus": "active",
        "achievementStatus": achievement(row.progress.status),
        "description": {"text": row.text},
        "subject": {"reference": format!("Organization/{org}"), "display": row.org_name},
        "target": [target],
    }))
}

/// The `MeasureReport` of an indicator at a unit for a year.
pub fn measure_report(
    code: &str,
    org: &str,
    org_name: &str,
    year: i32,
    value: &ytcs_core::formula::Value,
) -> Value {
    let mut group = json!({
        "code": {"coding": [{"system": INDICATOR_SYSTEM, "code": code}]},
        "measureScore": {"value": value.value},
    });
    let mut pops = vec![];
    if let Some(n) = value.numerator {
        pops.push(json!({"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "numerator"}]}, "count": n.round() as i64}));
    }
    if let Some(d) = value.denominator {
        pops.push(json!({"code": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/measure-population", "code": "denominator"}]}, "count": d.round() as i64}));
    }
    group["population"] = json!(pops);
    // Whether the figure can be signed (`core::quality`), as extensions.
    let mut quality = vec![json!({"url": "reliable", "valueBoolean": value.reliable()})];
    for f in value.flags.names() {
        quality.push(json!({"url": "flag", "valueCode": f}));
    }
    if let Some(c) = value.coverage {
        quality.push(json!({"url": "communesWithData", "valueInteger": c.with_data}));
        quality.push(json!({"url": "communes", "valueInteger": c.units}));
    }
    if let Some((lo, hi)) = value.ci95 {
        quality.push(
            json!({"url": "ci95", "valueRange": {"low": {"value": lo}, "high": {"value": hi}}}),
        );
    }
    if let Some(note) = value.flags.note_vi(value.coverage) {
        quality.push(json!({"url": "note", "valueString": note}));
    }
    group["extension"] = json!([{"url": format!("{BASE}/StructureDefinition/figure-quality"), "extension": quality}]);
    json!({
        "resourceType": "MeasureReport",
        "id": format!("{}-{org}-{year}", code.replace('_', "-")),
        "status": if value.flags.partial_period { "pending" } else { "complete" },
        "type": "summary",
        "measure": format!("{BASE}/Measure/{code}"),
        "subject": {"reference": format!("Organization/{org}"), "display": org_name},
        "period": {"start": format!("{year}-01-01"), "end": format!("{year}-12-31")},
        "group": [group],
    })
}

/// The bundle of a plan: its indicators' Measures, its linked targets'
/// Goals, and a MeasureReport for every target unit and year with a value
/// (`rows` is the plan's scorecard as of `at`).
pub async fn plan_bundle(
    store: &dyn Store,
    h: &Hierarchy,
    plan_id: i64,
    rows: &[ScoreRow],
    at: Date,
) -> Result<Value, EngineError> {
    let mut entries = Vec::new();
    let mut codes: Vec<&str> = rows.iter().filter_map(|r| r.indicator.as_deref()).collect();
    codes.sort_unstable();
    codes.dedup();
    for c in &codes {
        if let Some(m) = measure(c) {
            entries.push(m);
        }
    }
    let mut unlinked = 0;
    let mut reported = std::collections::BTreeSet::new();
    for row in rows {
        match goal(plan_id, row) {
            Some(g) => entries.push(g),
            None => {
                unlinked += 1;
                continue;
            }
        }
        let (Some(code), Some(org)) = (row.indicator.as_deref(), row.org_code.as_deref()) else {
            continue;
        };
        let when = row.at.unwrap_or(at);
        let Some(unit) = OrgCode::parse(org).ok().and_then(|c| h.unit_at(&c, when)) else {
            continue;
        };
        for (year, v) in &row.series {
            if v.is_none() || !reported.insert((code.to_string(), org.to_string(), *year)) {
                continue;
            }
            let values =
                crate::evaluate(store, h, code, Period::Year(*year), when, &[unit.id]).await?;
            if let Some(value) = values.first().filter(|v| v.value.is_some()) {
                entries.push(measure_report(code, org, &unit.name, *year, value));
            }
        }
    }
    let ids: Vec<Value> = entries
        .into_iter()
        .map(|r| {
            let full = format!(
                "{BASE}/{}/{}",
                r["resourceType"].as_str().unwrap_or(""),
                r["id"].as_str().unwrap_or("")
            );
            json!({"fullUrl": full, "resource": r})
        })
        .collect();
    Ok(json!({
        "resourceType": "Bundle",
        "type": "collection",
        "meta": {"tag": [{"system": format!("{BASE}/tag"), "code": "unlinked-targets", "display": unlinked.to_string()}]},
        "timestamp": format!("{at}T00:00:00+07:00"),
        "identifier": {"system": format!("{BASE}/plan"), "value": plan_id.to_string()},
        "entry": ids,
    }))
}
