//! Texts of the statutory report forms (the reports area).

use super::Lang;

texts! {
    /// Texts of the statutory forms' pages. The form itself is a
    /// Vietnamese document in both languages.
    pub struct FormTexts;
    /// Texts of the statutory forms in this language.
    fn forms;

    /// Heading of the forms' section and page.
    heading: &'static str =
        "Báo cáo thống kê theo Thông tư",
        "Statutory reports";

    /// What the section holds.
    lead: &'static str =
        "Các biểu mẫu báo cáo theo chế độ báo cáo thống kê của Bộ Y tế, tự tính từ sổ sách của trạm và số liệu đã nhập; biểu có hiệu lực được chọn theo kỳ báo cáo.",
        "The forms of the Ministry of Health's reporting regime, computed from the stations' registers and the data entered; the circular in force is chosen by the period.";

    /// Label of the form field.
    form: &'static str =
        "Biểu mẫu",
        "Form";

    /// Label of the unit field.
    org: &'static str =
        "Mã đơn vị",
        "Unit code";

    /// Label of the period field.
    period: &'static str =
        "Kỳ báo cáo",
        "Period";

    /// Button: open the form.
    open: &'static str =
        "Xem biểu",
        "Open the form";

    /// The due day.
    due: fn(&str) -> String =
        |d| format!("Hạn gửi: {d}"),
        |d| format!("Due: {d}");

    /// Sent, with version and time.
    sent: fn(&str, &str, &str) -> String =
        |v, at, by| format!("Đã gửi bản {v} lúc {at} ({by})."),
        |v, at, by| format!("Sent, version {v}, at {at} ({by}).");

    /// Sent after the due day.
    sent_late: &'static str =
        "Gửi muộn.",
        "Sent late.";

    /// Not sent and past due.
    not_sent_late: &'static str =
        "Chưa gửi — đã quá hạn.",
        "Not sent — past due.";

    /// Not sent yet.
    not_sent: &'static str =
        "Chưa gửi.",
        "Not sent yet.";

    /// The send button.
    send: &'static str =
        "Gửi báo cáo",
        "Send the report";

    /// The send button when a version was sent.
    resend: &'static str =
        "Gửi bản sửa",
        "Send a correction";

    /// Label of the reason field.
    reason: &'static str =
        "Lý do sửa (bắt buộc khi gửi lại)",
        "Reason for the correction (required when sending again)";

    /// After a send.
    sent_ok: &'static str =
        "Đã gửi báo cáo: bản gửi được lưu nguyên trạng kèm mã kiểm tra.",
        "The report was sent: a frozen copy is kept with its checksum.";

    /// Heading of the units' list.
    units_heading: &'static str =
        "Các đơn vị gửi báo cáo",
        "Who has sent";

    /// Column: unit.
    col_unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Column: state.
    col_state: &'static str =
        "Tình trạng",
        "State";

    /// Count of units sent.
    sent_count: fn(usize, usize, usize) -> String =
        |sent, late, all| format!("{sent}/{all} đơn vị đã gửi ({late} gửi muộn)."),
        |sent, late, all| format!("{sent} of {all} units have sent ({late} late).");

    /// The form is made by units of another level.
    other_level: &'static str =
        "Biểu này do đơn vị cấp khác lập: danh sách dưới đây cho biết đơn vị nào đã gửi.",
        "Units of another level make this form: the list shows who has sent it.";

    /// Bad period.
    bad_period: &'static str =
        "Kỳ báo cáo không hợp lệ (ví dụ: 2025-06, 2025).",
        "Invalid period (for example 2025-06, 2025).";

    /// Unknown unit.
    unknown_org: &'static str =
        "Không có đơn vị nào mang mã này vào cuối kỳ báo cáo.",
        "No unit carries this code at the end of the period.";

    /// The form has no version for the period.
    not_in_force: &'static str =
        "Biểu này không áp dụng cho kỳ đã chọn (đã hết hiệu lực hoặc chưa có hiệu lực, hoặc khác loại kỳ).",
        "This form does not apply to the chosen period (not in force then, or another kind of period).";

    /// Circular and level of a form in the list.
    listed: fn(&str, &str, &str) -> String =
        |circular, level, period| format!("{circular} · {level} · {period}"),
        |circular, level, period| format!("{circular} · {level} · {period}");
}

/// A state code of `ytcs_engine::statutory::SentStatus` in words.
pub fn state(lang: Lang, code: &str) -> &'static str {
    let (vi, en) = match code {
        "sent_on_time" => ("Đã gửi đúng hạn", "Sent on time"),
        "sent_late" => ("Đã gửi, muộn", "Sent late"),
        "late" => ("Chưa gửi — quá hạn", "Not sent — late"),
        "not_due" => ("Chưa gửi — còn hạn", "Not sent — not yet due"),
        _ => ("Kỳ chưa kết thúc", "Period running"),
    };
    if lang == Lang::Vi {
        vi
    } else {
        en
    }
}
