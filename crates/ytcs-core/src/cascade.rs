//! How a plan's targets carry down the cascade: for a plan and one that
//! implements it, each target of the higher plan with an indicator is
//! matched with the lower plan's targets on the same indicator and judged.
//!
//! The rule, written down:
//! - **missing**: the lower plan sets no target on the indicator;
//! - **incomparable**: it does, but in another unit of measure, or one of
//!   the two is relative ("giảm 10 %") or has no value;
//! - **weaker**: its value is less ambitious in the indicator's direction
//!   (lower for "higher is better", higher for "lower is better"; for a
//!   band such as the sex ratio at birth, farther from the higher plan's
//!   value), or it is due later than the higher plan's;
//! - **aligned**: as ambitious and no later; **stronger**: more ambitious
//!   and no later.
//!
//! When the lower plan sets several targets on the indicator, the one due
//! closest to the higher plan's year is judged (ties: the most ambitious).
//!
//! [`align`] is what the plan page shows for a plan that implements
//! another: like is compared with like only (same indicator and unit of
//! measure, absolute targets).

use serde::Serialize;

use crate::indicator::{by_code, Direction};
use crate::plan::{Comparator, Plan, Target};

/// The verdict on one target of the higher plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No target on the indicator.
    Missing,
    /// Cannot be compared (other unit, relative, no value).
    Incomparable,
    /// Less ambitious, or due later.
    Weaker,
    /// As ambitious, no later.
    Aligned,
    /// More ambitious, no later.
    Stronger,
}

impl Verdict {
    /// Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Verdict::Missing => "Thiếu chỉ tiêu",
            Verdict::Incomparable => "Không so sánh được",
            Verdict::Weaker => "Thấp hơn kế hoạch cấp trên",
            Verdict::Aligned => "Phù hợp",
            Verdict::Stronger => "Cao hơn kế hoạch cấp trên",
        }
    }
    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            Verdict::Missing => "Missing",
            Verdict::Incomparable => "Not comparable",
            Verdict::Weaker => "Weaker than the higher plan",
            Verdict::Aligned => "Aligned",
            Verdict::Stronger => "Stronger than the higher plan",
        }
    }
}

/// One judged target of the higher plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    /// Indicator code.
    pub indicator: String,
    /// The higher plan's target.
    pub higher: Target,
    /// The lower plan's target judged against it, if any.
    pub lower: Option<Target>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why it is weaker, when it is: `value`, `later`, or both.
    pub reasons: Vec<&'static str>,
}

fn relative(c: Comparator) -> bool {
    matches!(
        c,
        Comparator::ReduceBy | Comparator::IncreaseBy | Comparator::Maintain
    )
}

/// Judges every target (with an indicator) of `higher` against `lower`.
pub fn align(higher: &Plan, lower: &Plan) -> Vec<Alignment> {
    higher
        .targets
        .iter()
        .filter_map(|h| {
            let code = h.indicator.clone()?;
            let candidates: Vec<&Target> = lower
                .targets
                .iter()
                .filter(|l| l.indicator.as_deref() == Some(code.as_str()))
                .collect();
            Some(judge(&code, h, &candidates))
        })
        .collect()
}

fn judge(code: &str, h: &Target, candidates: &[&Target]) -> Alignment {
    let direction = by_code(code).map_or(Direction::Higher, |i| i.direction);
    // How much more ambitious `v` is than the higher plan's value (positive:
    // more), in the indicator's direction.
    let ambition = |v: f64, hv: f64| match direction {
        Direction::Lower => hv - v,
        Direction::Higher => v - hv,
        _ => -(v - hv).abs(),
    };
    let pick = candidates.iter().copied().min_by(|a, b| {
        let dy = |t: &Target| match (t.year, h.year) {
            (Some(x), Some(y)) => (x - y).abs(),
            _ => i32::MAX,
        };
        dy(a).cmp(&dy(b)).then_with(|| {
            let am = |t: &Target| {
                t.value
                    .zip(h.value)
                    .map_or(f64::MIN, |(v, hv)| ambition(v, hv))
            };
            am(b).total_cmp(&am(a))
        })
    });
    let Some(l) = pick else {
        return Alignment {
            indicator: code.into(),
            higher: h.clone(),
            lower: None,
            verdict: Verdict::Missing,
            reasons: vec![],
        };
    };
    let comparable = l.unit == h.unit && !relative(l.comparator) && !relative(h.comparator);
    let (Some(lv), Some(hv), true) = (l.value, h.value, comparable) else {
        return Alignment {
            indicator: code.into(),
            higher: h.clone(),
            lower: Some(l.clone()),
            verdict: Verdict::Incomparable,
            reasons: vec![],
        };
    };
    let a = ambition(lv, hv);
    let mut reasons = vec![];
    if a < -1e-9 {
        reasons.push("value");
    }
    if let (Some(ly), Some(hy)) = (l.year, h.year) {
        if ly > hy {
            reasons.push("later");
        }
    }
    let verdict = if !reasons.is_empty() {
        Verdict::Weaker
    } else if a > 1e-9 {
        Verdict::Stronger
    } else {
        Verdict::Aligned
    };
    Alignment {
        indicator: code.into(),
        higher: h.clone(),
        lower: Some(l.clone()),
        verdict,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Unit;

    fn target(id: &str, code: &str, c: Comparator, v: f64, year: i32) -> Target {
        Target {
            id: id.into(),
            section: String::new(),
            text: format!("{code} {v}"),
            subject: code.into(),
            indicator: Some(code.into()),
            comparator: c,
            value: Some(v),
            unit: Unit::Percent,
            unit_text: None,
            year: Some(year),
            lead_units: vec![],
            coordinating_units: vec![],
            line: 1,
        }
    }

    fn plan(targets: Vec<Target>) -> Plan {
        let mut p = Plan::empty(crate::plan::Source {
            file: "t.txt".into(),
            sha256: String::new(),
            format: crate::plan::SourceFormat::Text,
        });
        p.targets = targets;
        p
    }

    #[test]
    fn lower_plans_are_judged_in_the_indicators_direction() {
        let higher = plan(vec![
            target("1", "bhyt_coverage", Comparator::Ge, 95.0, 2025),
            target("2", "stunting_u5", Comparator::Lt, 20.0, 2025),
            target("3", "ehr_coverage", Comparator::Ge, 90.0, 2025),
            target("4", "full_immunization_u1", Comparator::Ge, 95.0, 2025),
        ]);
        let lower = plan(vec![
            target("a", "bhyt_coverage", Comparator::Ge, 93.0, 2025),
            target("b", "stunting_u5", Comparator::Lt, 18.0, 2025),
            target("c", "full_immunization_u1", Comparator::Ge, 95.0, 2026),
        ]);
        let v: Vec<(Verdict, Vec<&str>)> = align(&higher, &lower)
            .into_iter()
            .map(|a| (a.verdict, a.reasons))
            .collect();
        assert_eq!(
            v,
            vec![
                (Verdict::Weaker, vec!["value"]),
                (Verdict::Stronger, vec![]),
                (Verdict::Missing, vec![]),
                (Verdict::Weaker, vec!["later"]),
            ]
        );
    }

    #[test]
    fn other_units_or_relative_targets_are_not_compared_and_the_nearest_year_is_judged() {
        let higher = plan(vec![target(
            "1",
            "bhyt_coverage",
            Comparator::Ge,
            95.0,
            2025,
        )]);
        let mut relative = target("a", "bhyt_coverage", Comparator::IncreaseBy, 2.0, 2025);
        relative.unit = Unit::Percent;
        assert_eq!(
            align(&higher, &plan(vec![relative]))[0].verdict,
            Verdict::Incomparable
        );
        let lower = plan(vec![
            target("a", "bhyt_coverage", Comparator::Ge, 90.0, 2030),
            target("b", "bhyt_coverage", Comparator::Ge, 95.0, 2025),
        ]);
        let a = &align(&higher, &lower)[0];
        assert_eq!(a.verdict, Verdict::Aligned);
        assert_eq!(a.lower.as_ref().unwrap().id, "b");
    }
}
