//! The codes of the plan vocabulary (comparators, units, document kinds,
//! reporting frequencies) with their Vietnamese labels, as forms and
//! pages show them; and a plan's short label.

use ytcs_store::plans::PlanSummary;

/// Every comparator with its code and Vietnamese label, in form order.
pub const COMPARATORS: [(&str, &str); 9] = [
    ("gt", "trên (>)"),
    ("ge", "tối thiểu (≥)"),
    ("lt", "dưới (<)"),
    ("le", "không quá (≤)"),
    ("eq", "đạt (=)"),
    ("about", "khoảng (≈)"),
    ("maintain", "duy trì"),
    ("reduce_by", "giảm"),
    ("increase_by", "tăng"),
];

/// Every unit with its code and Vietnamese label, in form order.
pub const UNITS: [(&str, &str); 11] = [
    ("percent", "%"),
    ("per_mille", "‰"),
    ("per_10000", "/10.000 dân"),
    ("per_100000", "/100.000 dân"),
    ("per_100", "/100"),
    ("years", "năm (tuổi)"),
    ("count", "số lượng"),
    ("vnd", "đồng"),
    ("ratio", "tỷ số"),
    ("other", "khác"),
    ("", ""),
];

/// Document kinds with their Vietnamese names, in form order.
pub const DOCUMENT_KINDS: [(&str, &str); 13] = [
    ("plan", "Kế hoạch"),
    ("decision", "Quyết định"),
    ("directive", "Chỉ thị"),
    ("resolution", "Nghị quyết"),
    ("scheme", "Đề án"),
    ("programme", "Chương trình"),
    ("circular", "Thông tư"),
    ("decree", "Nghị định"),
    ("law", "Luật"),
    ("submission", "Tờ trình"),
    ("official_letter", "Công văn"),
    ("notice", "Thông báo"),
    ("other", "Khác"),
];

/// Reporting frequencies with their Vietnamese names ("" = not stated).
pub const FREQUENCIES: [(&str, &str); 7] = [
    ("", "—"),
    ("annual", "hằng năm"),
    ("semiannual", "6 tháng"),
    ("quarterly", "hằng quý"),
    ("monthly", "hằng tháng"),
    ("weekly", "hằng tuần"),
    ("periodic", "định kỳ"),
];

/// The contract code of a serialisable enum value (`Comparator::Ge` → `ge`).
pub fn code_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The label of `code` in one of the tables above ("" when unknown).
pub(crate) fn label<'a>(table: &'a [(&'a str, &'a str)], code: &str) -> &'a str {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, l)| *l)
}

/// The English labels of the vocabulary codes above (by code; the codes
/// of the tables do not clash).
const ENGLISH: [(&str, &str); 20] = [
    ("gt", "above (>)"),
    ("ge", "at least (≥)"),
    ("lt", "below (<)"),
    ("le", "at most (≤)"),
    ("eq", "equal to (=)"),
    ("about", "about (≈)"),
    ("maintain", "keep"),
    ("reduce_by", "reduce by"),
    ("increase_by", "increase by"),
    ("per_10000", "per 10,000 people"),
    ("per_100000", "per 100,000 people"),
    ("years", "years (age)"),
    ("count", "count"),
    ("vnd", "VND"),
    ("ratio", "ratio"),
    ("other", "other"),
    ("annual", "yearly"),
    ("semiannual", "half-yearly"),
    ("quarterly", "quarterly"),
    ("monthly", "monthly"),
];

/// The label of `code` in one of the tables above in the UI's language
/// (the Vietnamese one where English needs no other word: `%`, `‰`).
pub(crate) fn label_in<'a>(
    table: &'a [(&'a str, &'a str)],
    code: &str,
    lang: crate::app::i18n::Lang,
) -> &'a str {
    if lang == crate::app::i18n::Lang::En {
        if let Some((_, en)) = ENGLISH.iter().find(|(c, _)| *c == code) {
            return en;
        }
    }
    label(table, code)
}

/// A plan as lists name it: number and issuer, else what is known.
pub(crate) fn plan_label(s: &PlanSummary) -> String {
    match (&s.number, &s.issuer) {
        (Some(n), Some(i)) => format!("{n} — {i}"),
        (None, Some(i)) => i.clone(),
        (Some(n), None) => n.clone(),
        (None, None) => format!("#{}", s.id),
    }
}

/// [`plan_label`] of every plan, by id.
pub(crate) fn plan_labels(plans: &[PlanSummary]) -> std::collections::HashMap<i64, String> {
    plans.iter().map(|p| (p.id, plan_label(p))).collect()
}

/// A data element's field as people read it: its name, and for a
/// disaggregation the names of its options (`Số trẻ đẻ sống — Nam`).
pub(crate) fn field_label(
    el: &ytcs_core::aggregate::DataElement,
    disagg: &str,
    lang: crate::app::i18n::Lang,
) -> String {
    let name = lang.pick(el.name_vi.clone(), el.name_en.clone());
    if disagg.is_empty() {
        return name;
    }
    let options = disagg
        .split('.')
        .zip(&el.categories)
        .map(|(code, c)| {
            c.options
                .iter()
                .find(|o| o.code == code)
                .map_or(code.to_string(), |o| {
                    lang.pick(o.name_vi.clone(), o.name_en.clone())
                })
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("{name} — {options}")
}

/// An indicator's name in the UI's language, by its code (the code when
/// the catalogue has none).
pub(crate) fn indicator_name(code: &str, lang: crate::app::i18n::Lang) -> String {
    ytcs_core::indicator::by_code(code).map_or_else(
        || code.to_string(),
        |i| i.name_in(lang == crate::app::i18n::Lang::Vi).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::i18n::Lang;

    #[test]
    fn every_english_label_names_a_code_of_the_tables() {
        for (code, _) in ENGLISH {
            let known = [
                &COMPARATORS[..],
                &UNITS[..],
                &DOCUMENT_KINDS[..],
                &FREQUENCIES[..],
            ]
            .iter()
            .any(|t| t.iter().any(|(c, _)| *c == code));
            assert!(known, "{code}");
        }
        assert_eq!(label_in(&COMPARATORS, "ge", Lang::En), "at least (≥)");
        assert_eq!(label_in(&COMPARATORS, "ge", Lang::Vi), "tối thiểu (≥)");
        assert_eq!(label_in(&UNITS, "percent", Lang::En), "%");
        assert_eq!(label_in(&UNITS, "per_10000", Lang::En), "per 10,000 people");
    }
}
