//! Texts of the dashboard area.

use super::Lang;

texts! {
    /// Texts of a unit's dashboard (`/org/CODE/dashboard`).
    pub struct DashboardTexts;
    /// Texts of a unit's dashboard.
    fn dashboard;

    /// Page title and the link to it.
    title: &'static str =
        "Bảng điều khiển",
        "Dashboard";

    /// Lead paragraph.
    lead: &'static str =
        "Chỉ số chính, chỉ tiêu kế hoạch, xếp hạng đơn vị trực thuộc, tiến độ nhập số liệu và việc cần nhắc của đơn vị.",
        "The unit's headline indicators, plan targets, child units ranked, data-entry completeness and reminders.";

    /// "as of".
    as_of: &'static str =
        "tại ngày",
        "as of";

    /// "evaluated as of" (a unit that had ended).
    evaluated_at: &'static str =
        "đơn vị đã kết thúc, số liệu tính đến ngày",
        "the unit has ended; figures as of";

    /// "Show".
    show: &'static str =
        "Xem",
        "Show";

    /// Heading: headline indicators.
    headline: &'static str =
        "Chỉ số chính",
        "Headline indicators";

    /// Column: indicator.
    indicator: &'static str =
        "Chỉ số",
        "Indicator";

    /// Column: latest value.
    latest: &'static str =
        "Năm gần nhất",
        "Latest year";

    /// Column: previous year.
    previous: &'static str =
        "Năm trước",
        "Year before";

    /// Column: trend.
    trend: &'static str =
        "Xu hướng",
        "Trend";

    /// No indicator has data.
    none_indicators: &'static str =
        "Chưa có chỉ số nào có số liệu cho đơn vị này.",
        "No indicator has data for this unit yet.";

    /// Heading: plan targets of the unit.
    targets: &'static str =
        "Chỉ tiêu kế hoạch của đơn vị",
        "Plan targets of the unit";

    /// No target applies.
    none_targets: &'static str =
        "Chưa có chỉ tiêu kế hoạch nào gắn với đơn vị này.",
        "No plan target is linked to this unit yet.";

    /// Column: plan.
    plan: &'static str =
        "Kế hoạch",
        "Plan";

    /// Column: target.
    target: &'static str =
        "Chỉ tiêu",
        "Target";

    /// Column: actual.
    actual: &'static str =
        "Thực hiện",
        "Actual";

    /// Column: status.
    status: &'static str =
        "Đánh giá",
        "Status";

    /// Heading: child units ranked.
    children: &'static str =
        "Xếp hạng đơn vị trực thuộc",
        "Child units ranked";

    /// The unit has no child units.
    none_children: &'static str =
        "Đơn vị không có đơn vị trực thuộc.",
        "The unit has no child units.";

    /// Column: rank.
    rank: &'static str =
        "Hạng",
        "Rank";

    /// Column: unit.
    unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Label: rank on indicator.
    rank_on: &'static str =
        "Theo chỉ số",
        "On indicator";

    /// Heading: data-entry completeness.
    completeness: &'static str =
        "Tiến độ nhập số liệu",
        "Data-entry completeness";

    /// "{n} of {total} communes have values in the monthly report of {period}."
    completeness_text: fn(&str, &str, &str) -> String =
        |n, total, period| format!("{n}/{total} xã có số liệu Báo cáo tháng của trạm y tế xã kỳ {period}."),
        |n, total, period| format!("{n} of {total} communes have values in the commune station monthly report of {period}.");

    /// No commune entered data in the last twelve months.
    completeness_none: &'static str =
        "Chưa có xã nào nhập số liệu báo cáo tháng trong 12 tháng gần đây.",
        "No commune entered monthly data in the last twelve months.";

    /// Heading: reminders.
    reminders: &'static str =
        "Nhắc việc",
        "Reminders";

    /// Overdue tasks.
    overdue_tasks: &'static str =
        "Nhiệm vụ quá hạn",
        "Overdue tasks";

    /// Late or missing reports.
    late_reports: &'static str =
        "Báo cáo nộp chậm hoặc chưa nộp",
        "Late or missing reports";

    /// Nothing overdue.
    none_reminders: &'static str =
        "Không có việc quá hạn.",
        "Nothing is overdue.";

    /// "due".
    due: &'static str =
        "hạn",
        "due";

    /// Link to every task.
    all_tasks: &'static str =
        "Xem tất cả nhiệm vụ và lịch báo cáo",
        "All tasks and the reporting calendar";

    /// A missing value.
    no_data: &'static str =
        "Chưa có số liệu",
        "No data";

    /// Names of report states: late, missing.
    late: &'static str =
        "Nộp chậm",
        "Late";

    /// A report not handed in.
    missing: &'static str =
        "Chưa nộp",
        "Missing";

    /// The unit's target the ranking is measured against.
    rank_target: fn(&str) -> String =
        |target| format!("Chỉ tiêu: {target}"),
        |target| format!("Target: {target}");

    /// Mark of a child unit behind the target.
    behind: &'static str =
        "chưa đạt chỉ tiêu",
        "behind the target";

    /// The rest of a long ranking, folded.
    more_rows: fn(&str) -> String =
        |n| format!("Xem thêm {n} đơn vị"),
        |n| format!("Show {n} more units");

    /// The communes without data, folded.
    missing_heading: fn(&str) -> String =
        |n| format!("{n} xã chưa có số liệu"),
        |n| format!("{n} communes without data");
}
