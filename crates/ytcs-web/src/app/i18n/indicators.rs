//! Texts of the indicators area.

use super::Lang;

texts! {
    /// Texts of the scorecard, indicator and data-entry pages.
    pub struct IndicatorTexts;
    /// The texts of the scorecard and indicator pages in this language.
    fn indicators;

    /// Status names: achieved, on track, at risk, off track, no data.
    statuses: [&'static str; 6] =
        [
        "Đạt",
        "Đúng tiến độ",
        "Có nguy cơ",
        "Chậm tiến độ",
        "Không đạt",
        "Chưa có số liệu",
    ],
        ["Achieved", "On track", "At risk", "Off track", "Not achieved", "No data"];

    /// Target scorecard
    scorecard: &'static str =
        "Bảng theo dõi chỉ tiêu",
        "Target scorecard";

    /// Target scorecard (actual against target)
    open_scorecard: &'static str =
        "Bảng theo dõi chỉ tiêu (thực hiện so với mục tiêu)",
        "Target scorecard (actual against target)";

    /// scorecard lead.
    scorecard_lead: &'static str =
        "Mỗi chỉ tiêu của kế hoạch với đơn vị áp dụng: số thực hiện của năm gần nhất đã kết thúc (sau năm phải đạt: của chính năm đó), mục tiêu, chênh lệch và dự báo theo xu hướng đến năm phải đạt.",
        "Each target of the plan with the unit it applies to: the actual of the latest year that is over (once the due year is over: of that year), the target, the gap and the trend projected to the due year.";

    /// Target
    target: &'static str =
        "Chỉ tiêu",
        "Target";

    /// Indicator
    indicator: &'static str =
        "Chỉ số",
        "Indicator";

    /// Unit
    unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Due year
    due_year: &'static str =
        "Năm phải đạt",
        "Due year";

    /// Actual
    actual: &'static str =
        "Thực hiện",
        "Actual";

    /// Target
    target_value: &'static str =
        "Mục tiêu",
        "Target";

    /// The list of communes whose data are missing from a figure.
    missing_communes: &'static str =
        "Xã chưa có số liệu (hoặc sổ chưa đủ) trong số liệu gần nhất",
        "Communes without data (or with incomplete registers) in the latest figure";

    /// Said of a unit that ended: its figures stop on its last day.
    ended_unit: &'static str =
        "đơn vị đã kết thúc khi sắp xếp đơn vị hành chính; số liệu tính đến ngày",
        "ended in the administrative reform; figures up to";

    /// Gap
    gap: &'static str =
        "Chênh lệch",
        "Gap";

    /// Projection
    projection: &'static str =
        "Dự báo",
        "Projection";

    /// Status
    status: &'static str =
        "Đánh giá",
        "Status";

    /// Sort by
    sort_by: &'static str =
        "Sắp xếp theo",
        "Sort by";

    /// status
    sort_status: &'static str =
        "tình trạng",
        "status";

    /// indicator
    sort_indicator: &'static str =
        "chỉ số",
        "indicator";

    /// gap
    sort_gap: &'static str =
        "chênh lệch",
        "gap";

    /// No indicator or unit linked
    not_linked: &'static str =
        "Chưa gắn chỉ số hoặc đơn vị",
        "No indicator or unit linked";

    /// As of
    as_of: &'static str =
        "Tính đến ngày",
        "As of";

    /// This plan has no quantified targets.
    none_targets: &'static str =
        "Kế hoạch này không có chỉ tiêu định lượng.",
        "This plan has no quantified targets.";

    /// Targets and indicators
    indicators: &'static str =
        "Chỉ tiêu, chỉ số",
        "Targets and indicators";

    /// indicators lead.
    indicators_lead: &'static str =
        "Các chỉ số trong danh mục đã có số liệu; chọn một chỉ số để xem xu hướng qua các năm và so sánh giữa các đơn vị trực thuộc.",
        "The catalogue's indicators that have data; choose one to see its trend across years and its child units compared.";

    /// Trend across years
    trend: &'static str =
        "Xu hướng qua các năm",
        "Trend across years";

    /// Child units compared
    by_child: &'static str =
        "So sánh các đơn vị trực thuộc",
        "Child units compared";

    /// Year
    year: &'static str =
        "Năm",
        "Year";

    /// Value
    value: &'static str =
        "Giá trị",
        "Value";

    /// Target
    target_line: &'static str =
        "Mục tiêu",
        "Target";

    /// No data
    no_data: &'static str =
        "Chưa có số liệu",
        "No data";

    /// No such indicator in the catalogue.
    indicator_not_found: &'static str =
        "Không có chỉ số này trong danh mục.",
        "No such indicator in the catalogue.";

    /// year
    latest_year: &'static str =
        "năm",
        "year";

    /// Show
    show: &'static str =
        "Xem",
        "Show";

    /// Unit code
    org: &'static str =
        "Mã đơn vị",
        "Unit code";

    /// No indicator has data yet.
    none_indicators: &'static str =
        "Chưa có chỉ số nào có số liệu.",
        "No indicator has data yet.";

    /// entry not found.
    entry_not_found: &'static str =
        "Không có biểu mẫu này: hãy chọn bộ số liệu, mã đơn vị và kỳ báo cáo phù hợp (ví dụ set=commune_monthly&org=…&period=2025-08).",
        "No such form: choose a data set, a unit code and a period that fits it (e.g. set=commune_monthly&org=…&period=2025-08).";

    /// Period
    entry_period: &'static str =
        "Kỳ báo cáo",
        "Period";

    /// Data saved.
    entry_saved: &'static str =
        "Đã lưu số liệu.",
        "Data saved.";

    /// Nothing was saved: correct these fields and save again.
    entry_refused: &'static str =
        "Chưa lưu gì: hãy sửa các ô sau rồi lưu lại.",
        "Nothing was saved: correct these fields and save again.";

    /// Data element
    entry_field: &'static str =
        "Chỉ tiêu dữ liệu",
        "Data element";

    /// Previous period
    entry_previous: &'static str =
        "Kỳ trước",
        "Previous period";

    /// entry hint.
    entry_hint: &'static str =
        "Nhập số theo cách viết Việt Nam (1.234,5); để trống là không có số liệu. Phím Tab chuyển sang ô tiếp theo, Enter để lưu.",
        "Type numbers the Vietnamese way (1.234,5); leave empty for no data. Tab moves to the next field, Enter saves.";

    /// Save data
    entry_save: &'static str =
        "Lưu số liệu",
        "Save data";

    /// Heading of the validation rules the stored values break.
    entry_rules: &'static str =
        "Số liệu đã lưu không thỏa quy tắc kiểm tra (hãy xem lại trước khi gửi duyệt):",
        "The stored values break validation rules (check them before submitting):";

    /// Flag of a value far from the unit's last periods.
    entry_outlier: &'static str =
        "Bất thường so với các kỳ trước",
        "Unusual against past periods";

    /// Beside a value derived from the station's registers.
    entry_derived: &'static str =
        "Tính từ sổ sách của trạm",
        "Derived from the station's registers";

    /// The form has no such field
    entry_unknown_field: &'static str =
        "Biểu mẫu không có ô này",
        "The form has no such field";

    /// A field changed by someone else since the form was opened.
    entry_conflict: &'static str =
        "người khác đã lưu giá trị mới trong lúc bạn nhập:",
        "someone else saved a new value while you were entering:";

    /// How to resolve a conflict.
    entry_conflict_hint: &'static str =
        "Chưa lưu gì. Ô này nay hiện giá trị của bạn; hãy kiểm tra rồi bấm Lưu lại nếu giữ giá trị của bạn.",
        "Nothing was saved. The field now shows your value; check it and save again to keep yours.";

    /// "empty", in a conflict message.
    entry_conflict_empty: &'static str =
        "(trống)",
        "(empty)";

    /// Summary of the hand-link form of an unlinked target.
    link_heading: &'static str =
        "Gắn với chỉ số",
        "Link to an indicator";

    /// Label: indicator of the catalogue.
    link_indicator: &'static str =
        "Chỉ số",
        "Indicator";

    /// Label: unit code.
    link_org: &'static str =
        "Mã đơn vị",
        "Unit code";

    /// Label: due year.
    link_year: &'static str =
        "Năm cần đạt",
        "Due year";

    /// Button: link.
    link_button: &'static str =
        "Gắn",
        "Link";

    /// Marks a target linked by hand.
    linked_by_hand: &'static str =
        "gắn thủ công",
        "linked by hand";

    /// The link was saved.
    link_saved: &'static str =
        "Đã gắn chỉ tiêu với chỉ số.",
        "The target is linked to the indicator.";

    /// Heading of a refused link.
    link_refused: &'static str =
        "Chưa gắn được:",
        "Not linked:";

    /// The plan has no such target.
    link_unknown_target: &'static str =
        "Kế hoạch không có chỉ tiêu này.",
        "The plan has no such target.";

    /// The indicator is not in the catalogue (with data).
    link_unknown_indicator: &'static str =
        "Chỉ số không có trong danh mục (hoặc chưa có nguồn số liệu).",
        "The indicator is not in the catalogue (or has no data source yet).";

    /// No unit carries the code.
    link_unknown_unit: &'static str =
        "Không có đơn vị nào mang mã này.",
        "No unit carries this code.";

    /// The year is not between 2000 and 2100.
    link_bad_year: &'static str =
        "Năm cần đạt phải từ 2000 đến 2100.",
        "The due year must be between 2000 and 2100.";
}

impl IndicatorTexts {
    /// The name of a target status.
    pub fn status_label(&self, s: ytcs_core::progress::Status) -> &'static str {
        use ytcs_core::progress::Status::*;
        self.statuses[match s {
            Achieved => 0,
            OnTrack => 1,
            AtRisk => 2,
            OffTrack => 3,
            Missed => 4,
            NoData => 5,
        }]
    }
}
