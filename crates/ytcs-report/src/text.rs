//! Vietnamese wording and number formatting shared by every rendering:
//! `1.234.567`, `85,3 %`, `02/11/2023`, status names.

/// The shared rules of writing dates and numbers ([`ytcs_core::format`]):
/// `02/11/2023`; a measured value with at most two decimals (`85,3`);
/// the digits after the comma it needs; `85,3 %`; đồng.
pub use ytcs_core::format::{
    date as date_vi, decimals_needed as decimals, measured as number, percent, vnd,
};
use ytcs_core::plan::{Comparator, Unit};
use ytcs_core::progress::Status;
use ytcs_core::tracking::{ReportState, TaskStatus};

use crate::model::OrgRef;

/// `Tỉnh Quảng Ngãi (mã 51)`.
pub fn org_label(o: &OrgRef) -> String {
    format!("{} (mã {})", o.name, o.code)
}

/// The symbol or word of a comparator, as a target is written in a report.
pub fn comparator(c: Comparator) -> &'static str {
    match c {
        Comparator::Gt => ">",
        Comparator::Ge => "≥",
        Comparator::Lt => "<",
        Comparator::Le => "≤",
        Comparator::Eq => "",
        Comparator::About => "khoảng",
        Comparator::Maintain => "duy trì",
        Comparator::ReduceBy => "giảm",
        Comparator::IncreaseBy => "tăng",
    }
}

/// The unit's symbol when the plan wrote none.
pub fn unit(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "%",
        Unit::PerMille => "‰",
        Unit::Per10000 => "/10.000 dân",
        Unit::Per100000 => "/100.000 dân",
        Unit::Per100 => "/100",
        Unit::Years => "tuổi",
        Unit::Count => "",
        Unit::Vnd => "đồng",
        Unit::Ratio => "",
        Unit::Other => "",
    }
}

/// A target as a report writes it: `≥ 95 %`, `duy trì 100 %`, `khoảng 68,5 tuổi`.
pub fn target(c: Comparator, value: Option<f64>, u: Unit, unit_text: Option<&str>) -> String {
    let unit_text = unit_text.map(str::trim).filter(|s| !s.is_empty());
    let parts = [
        comparator(c).to_string(),
        value.map(number).unwrap_or_default(),
        value
            .map(|_| unit_text.unwrap_or(unit(u)).to_string())
            .unwrap_or_default(),
    ];
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Vietnamese name of a target's status.
pub fn status(s: Status) -> &'static str {
    s.name_vi()
}

/// Vietnamese name of a task's status (as on the task pages).
pub fn task_status(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::NotStarted => "Chưa triển khai",
        TaskStatus::InProgress => "Đang thực hiện",
        TaskStatus::Done => "Hoàn thành",
        TaskStatus::Blocked => "Vướng mắc",
    }
}

/// Vietnamese name of a report's state (as on the reporting calendar).
pub fn report_state(s: ReportState) -> &'static str {
    match s {
        ReportState::Upcoming => "Sắp đến hạn",
        ReportState::Submitted => "Đã nộp đúng hạn",
        ReportState::Late => "Nộp muộn",
        ReportState::Missing => "Chưa nộp (quá hạn)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_vietnamese_way() {
        assert_eq!(number(1234567.0), "1.234.567");
        assert_eq!(number(85.333), "85,33");
        assert_eq!(percent(85.26), "85,3 %");
        assert_eq!(vnd(1_987_000_000), "1.987.000.000");
        assert_eq!(
            target(Comparator::Ge, Some(95.0), Unit::Percent, None),
            "≥ 95 %"
        );
        assert_eq!(
            target(Comparator::Maintain, None, Unit::Percent, None),
            "duy trì"
        );
        assert_eq!(
            target(Comparator::About, Some(68.5), Unit::Years, Some("tuổi")),
            "khoảng 68,5 tuổi"
        );
    }
}
