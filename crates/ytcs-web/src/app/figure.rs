//! How a page shows a computed figure: written by the one rule of
//! `core::quality::format_figure`, with its 95 % interval in the tooltip,
//! and — when it is not reliable — a mark and the reason in words ("số nhỏ
//! — chưa đủ tin cậy", "5/96 xã có số liệu", "bất thường: …"). No page
//! writes an indicator's value any other way ([`Shown`]), and
//! `ytcs_engine::dashboard::rank_order` never ranks an unreliable figure.

use ytcs_core::formula::Value;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgCode, OrgUnit};
use ytcs_core::progress::Status;
use ytcs_core::quality::format_figure;
use ytcs_core::Date;

use crate::app::i18n::Lang;
use crate::app::svg::escape;

/// A figure ready for a page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shown {
    /// The number (or "no data").
    pub text: String,
    /// Why it is not reliable, in the page's language (empty: it is).
    pub note: String,
    /// The 95 % interval, in words (empty: none).
    pub ci: String,
    /// Whether it may be ranked and signed.
    pub reliable: bool,
    /// Whether there is a value at all.
    pub has_value: bool,
}

impl Shown {
    /// `v`, a figure of `code`; `no_data` is the page's words for none.
    pub(crate) fn of(code: &str, v: &Value, lang: Lang, no_data: &str) -> Shown {
        let Some(x) = v.value else {
            return Shown {
                text: no_data.to_string(),
                note: note(v, lang).unwrap_or_default(),
                ..Shown::default()
            };
        };
        let ci = v
            .ci95
            .map(|(lo, hi)| {
                let label = lang.texts().ci95;
                format!(
                    "{label}: {} – {}",
                    format_figure(code, lo),
                    format_figure(code, hi)
                )
            })
            .unwrap_or_default();
        Shown {
            text: format_figure(code, x),
            note: note(v, lang).unwrap_or_default(),
            ci,
            reliable: v.reliable(),
            has_value: true,
        }
    }

    /// The figure as HTML (text escaped): the number, its interval as a
    /// tooltip, and a visible mark with the reason when it is not reliable.
    pub(crate) fn html(&self) -> String {
        let mut out = if self.ci.is_empty() {
            format!("<span class=\"fig\">{}</span>", escape(&self.text))
        } else {
            format!(
                "<span class=\"fig\" title=\"{}\">{}</span>",
                escape(&self.ci),
                escape(&self.text)
            )
        };
        if !self.note.is_empty() {
            let mark = if self.has_value && !self.reliable {
                "⚠ "
            } else {
                ""
            };
            out.push_str(&format!(
                " <small class=\"flag\">{mark}{}</small>",
                escape(&self.note)
            ));
        }
        out
    }
}

fn note(v: &Value, lang: Lang) -> Option<String> {
    lang.pick(v.flags.note_vi(v.coverage), v.flags.note_en(v.coverage))
}

/// The traffic light of a status (drawn as an SVG dot next to its name,
/// so the page needs no inline style).
pub(crate) fn status_color(s: Status) -> &'static str {
    match s {
        Status::Achieved => "#1b7d2f",
        Status::OnTrack => "#6fb33a",
        Status::AtRisk => "#e0a100",
        Status::OffTrack => "#c01c28",
        Status::Missed => "#7a0c14",
        Status::NoData => "#9a9a9a",
    }
}

/// The unit a code names on `at`, else its last version before `at`, and
/// the date it is evaluated as of.
pub(crate) fn unit_for<'h>(h: &'h Hierarchy, code: &str, at: Date) -> Option<(&'h OrgUnit, Date)> {
    let code = OrgCode::parse(code.trim()).ok()?;
    if let Some(u) = h.unit_at(&code, at) {
        return Some((u, at));
    }
    h.units_with_code(&code)
        .into_iter()
        .filter_map(|u| u.validity.to.filter(|t| *t < at).map(|t| (u, t)))
        .max_by_key(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::quality::Coverage;

    fn v(code: &str, value: f64, n: f64, d: f64, cov: Option<Coverage>) -> Value {
        Value::judged(
            code,
            Some(value),
            Some(n),
            Some(d),
            cov,
            Some((value - 1.0, value + 1.0)),
        )
    }

    #[test]
    fn an_unreliable_figure_carries_its_reason_in_words() {
        let s = Shown::of(
            "life_expectancy",
            &v("life_expectancy", 324.7, 8.0, 33_428.0, None),
            Lang::Vi,
            "—",
        );
        assert!(!s.reliable);
        let html = s.html();
        assert!(html.contains("324,7"), "{html}");
        assert!(html.contains("số nhỏ — chưa đủ tin cậy"), "{html}");
        assert!(html.contains("⚠"), "{html}");
        let ok = Shown::of(
            "imr",
            &v("imr", 17.96, 617.0, 34_358.0, None),
            Lang::Vi,
            "—",
        );
        assert!(ok.reliable && ok.note.is_empty());
        assert!(
            ok.html()
                .contains("title=\"Khoảng tin cậy 95 %: 17,0 – 19,0\""),
            "{}",
            ok.html()
        );
    }
}
