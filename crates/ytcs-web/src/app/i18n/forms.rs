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

    /// Link to the data-entry form for the hand-entered cells.
    enter_by_hand: &'static str =
        "Nhập các số nhập tay của biểu này",
        "Enter this form's hand-entered figures";

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

    /// Column: person.
    col_person: &'static str =
        "Họ và tên",
        "Name";

    /// Column: sex.
    col_sex: &'static str =
        "Giới tính",
        "Sex";

    /// Column: birth date.
    col_birth: &'static str =
        "Ngày sinh",
        "Date of birth";

    /// No such cell.
    cell_none: &'static str =
        "Biểu không có ô này.",
        "The form has no such cell.";

    /// A hand-entered cell has no records behind it.
    cell_entered: &'static str =
        "Số này được nhập tay: không có hồ sơ cá nhân đứng sau.",
        "This figure is entered by hand: no person-level records stand behind it.";

    /// Only a commune's cells list persons.
    cell_not_commune: &'static str =
        "Chỉ biểu của xã liệt kê được từng người; hãy mở biểu của một xã.",
        "Only a commune's form lists the persons; open a commune's form.";

    /// Heading of the reporting calendar.
    calendar_heading: &'static str =
        "Lịch báo cáo",
        "Reporting calendar";

    /// What the calendar shows.
    calendar_lead: &'static str =
        "Hạn gửi từng biểu theo ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết âm lịch và ngày nghỉ bù), kỳ đang chạy và các kỳ gần nhất.",
        "Each form's due day in working days (weekends, public holidays, the lunar New Year and the days moved are skipped), for the running period and the last ones.";

    /// Link to the calendar.
    calendar_link: &'static str =
        "Xem lịch báo cáo",
        "Open the reporting calendar";

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

/// A line of the reporting calendar and the home page: the form, the
/// period, the due day and who has sent.
pub fn due_line(lang: Lang, d: &ytcs_engine::statutory::FormDue) -> String {
    let vi = lang == Lang::Vi;
    let period = ytcs_core::period_text::label(d.period, vi);
    let due = ytcs_core::format::date(d.due);
    let state = if d.units == 1 {
        match (d.sent, d.sent_late, d.missing_late, d.running) {
            (1, 1, _, _) => pick(vi, "đã gửi, muộn", "sent late"),
            (1, _, _, _) => pick(vi, "đã gửi", "sent"),
            (_, _, 1, _) => pick(vi, "chưa gửi — quá hạn", "not sent — late"),
            (_, _, _, true) => pick(vi, "kỳ đang chạy", "period running"),
            _ => pick(vi, "chưa gửi", "not sent yet"),
        }
        .to_string()
    } else if vi {
        format!(
            "{}/{} đơn vị đã gửi ({} muộn), {} quá hạn chưa gửi",
            d.sent, d.units, d.sent_late, d.missing_late
        )
    } else {
        format!(
            "{} of {} units sent ({} late), {} late and not sent",
            d.sent, d.units, d.sent_late, d.missing_late
        )
    };
    if vi {
        format!("{} {period}: hạn gửi {due} — {state}", d.code)
    } else {
        format!("{} {period}: due {due} — {state}", d.code)
    }
}

fn pick(vi: bool, a: &'static str, b: &'static str) -> &'static str {
    if vi {
        a
    } else {
        b
    }
}
