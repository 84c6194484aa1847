//! A reviewer's selection read as a target ("đây là chỉ tiêu" on the review
//! page): the reader's own sentence parser, so the pre-filled form shows
//! exactly what the reader would have read had it looked there.
//!
//! Decisions:
//! - The selection is read as in an objectives section (every number is a
//!   candidate): the person has just said it is a target, so no cue word
//!   (`phấn đấu`, `đạt` …) is required.
//! - Selections are copied from a rendered page: markdown and table marks
//!   (`**`, `*`, `|`) and line breaks are dropped before reading.
//! - When the selection names no year, the year the reader finds in the
//!   whole source sentence is used (selecting "đạt 95%" in "… đạt 95% năm
//!   2025" gives 2025); a selection naming a year keeps its own.
//! - Only the first target of the selection is offered: one selection, one
//!   target; a person wanting two selects twice.
//! - When the sentence parser declines (a bare "đạt 95% năm 2025" has no
//!   subject, and the parser refuses numbers it cannot tie to one), the
//!   selection is read as a target-table cell (`parse_cell`: comparator and
//!   value), its unit from `%`/`‰`, its indicator from the whole sentence.

use ytcs_core::indicator::match_indicator;
use ytcs_core::plan::{Comparator, Target, Unit};
use ytcs_core::text::fold;

use crate::targets::{parse_cell, targets_in_sentence, years_named, Context};

/// At most this many characters of a selection are read (a sentence, not a
/// document: the form field holds a line of the source).
pub const MAX_SELECTION: usize = 2_000;

fn clean(text: &str) -> String {
    text.chars()
        .take(MAX_SELECTION)
        .map(|c| if matches!(c, '*' | '|') { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn read(text: &str, line: usize, default_year: Option<i32>) -> Vec<Target> {
    let ctx = Context {
        id: "",
        section: "",
        line,
        default_year,
        objectives: true,
        lead_units: &[],
        coordinating_units: &[],
    };
    targets_in_sentence(&clean(text), &ctx, &mut Vec::new())
}

/// The target a selection of source line `line` states, with the year of
/// the whole `sentence` when the selection names none; `None` when the
/// selection holds no number the reader can read.
pub fn target_from_selection(selection: &str, sentence: &str, line: usize) -> Option<Target> {
    let year = read(sentence, line, None)
        .into_iter()
        .find_map(|t| t.year)
        .or_else(|| years_named(sentence).last().copied());
    let mut t = match read(selection, line, year)
        .into_iter()
        .find(|t| t.value.is_some())
    {
        Some(t) => t,
        None => as_cell(selection, sentence, line, year)?,
    };
    t.id = String::new();
    t.section = String::new();
    t.line = line;
    Some(t)
}

/// The selection read as a target table's cell.
fn as_cell(selection: &str, sentence: &str, line: usize, year: Option<i32>) -> Option<Target> {
    let text = clean(selection);
    let (comparator, value) = parse_cell(&text)?;
    value?;
    let f = fold(&text);
    let unit = if text.contains('‰') || f.contains("phan nghin") {
        Unit::PerMille
    } else if text.contains('%') || f.contains("phan tram") {
        Unit::Percent
    } else {
        Unit::Other
    };
    let comparator = if comparator == Comparator::Eq && f.contains("toi thieu") {
        Comparator::Ge
    } else {
        comparator
    };
    let subject = clean(sentence);
    Some(Target {
        id: String::new(),
        section: String::new(),
        text: text.clone(),
        indicator: match_indicator(&subject)
            .or_else(|| match_indicator(&text))
            .map(|i| i.code.to_string()),
        subject: if subject.is_empty() {
            text.clone()
        } else {
            subject
        },
        comparator,
        value,
        unit,
        unit_text: None,
        year: years_named(&text).last().copied().or(year),
        lead_units: Vec::new(),
        coordinating_units: Vec::new(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ytcs_core::plan::{Comparator, Unit};

    fn facts(t: &Target) -> (Comparator, Option<f64>, Unit, Option<i32>) {
        (t.comparator, t.value, t.unit, t.year)
    }

    #[test]
    fn a_selected_target_is_read_with_its_comparator_unit_and_year() {
        let s = "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi giảm xuống dưới 24,5% vào năm 2025";
        let t = target_from_selection(s, s, 7).expect("a target");
        assert_eq!(
            facts(&t),
            (Comparator::Lt, Some(24.5), Unit::Percent, Some(2025))
        );
        assert_eq!(t.line, 7);
        assert_eq!(t.indicator.as_deref(), Some("stunting_u5"));
    }

    #[test]
    fn a_selection_without_a_year_takes_the_sentence_s_year() {
        let sentence =
            "c) Người cao tuổi được lập hồ sơ theo dõi quản lý sức khoẻ đạt 95% năm 2025;";
        let t = target_from_selection(
            "được lập hồ sơ theo dõi quản lý sức khoẻ đạt 95%",
            sentence,
            3,
        )
        .expect("a target");
        assert_eq!(
            facts(&t),
            (Comparator::Eq, Some(95.0), Unit::Percent, Some(2025))
        );
    }

    #[test]
    fn markdown_and_line_breaks_in_a_selection_are_ignored() {
        let t = target_from_selection("**tối thiểu**\n| 90% | năm 2030", "", 1).expect("a target");
        assert_eq!(
            facts(&t),
            (Comparator::Ge, Some(90.0), Unit::Percent, Some(2030))
        );
    }

    #[test]
    fn a_selection_without_a_number_gives_nothing() {
        assert_eq!(
            target_from_selection("nâng cao chất lượng dịch vụ", "", 1),
            None
        );
        assert_eq!(target_from_selection("", "", 1), None);
    }
}
