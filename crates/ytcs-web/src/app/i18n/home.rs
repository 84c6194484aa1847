//! Texts of the home page ("Việc của tôi").

use super::Lang;

texts! {
    /// Texts of the home page: each role's work of the day.
    pub struct HomeTexts;
    /// Texts of the home page in this language.
    fn home;

    /// Greeting with the user's name.
    greeting: fn(&str) -> String =
        |name| format!("Xin chào, {name}."),
        |name| format!("Hello, {name}.");

    /// Heading: the station's report.
    station_heading: &'static str =
        "Báo cáo của trạm",
        "The station's report";

    /// A report's period and where it stands.
    report_line: fn(&str, &str) -> String =
        |period, status| format!("{period}: {status}"),
        |period, status| format!("{period}: {status}");

    /// Button: open the form of a period.
    open_form: fn(&str) -> String =
        |period| format!("Nhập số liệu {period}"),
        |period| format!("Enter the figures of {period}");

    /// Link: the running period's form.
    open_running: fn(&str) -> String =
        |period| format!("Biểu {period} (đang diễn ra)"),
        |period| format!("The form of {period} (running)");

    /// The reason a report was returned.
    returned_because: fn(&str) -> String =
        |reason| format!("Lý do trả lại: «{reason}». Sửa rồi gửi duyệt lại."),
        |reason| format!("Returned because: “{reason}”. Correct it and submit again.");

    /// Link: the station's due list.
    due_link: &'static str =
        "Trẻ đến hạn tiêm chủng, người cần khám lại",
        "Children due for vaccination, people due for a follow-up";

    /// Heading: the communes' reports of a period.
    communes_heading: fn(&str) -> String =
        |period| format!("Báo cáo của các xã — {period}"),
        |period| format!("The communes' reports — {period}");

    /// How many reports wait for approval.
    waiting: fn(&str) -> String =
        |n| format!("{n} báo cáo chờ duyệt"),
        |n| format!("{n} report(s) waiting for approval");

    /// How many communes have entered nothing.
    missing: fn(&str) -> String =
        |n| format!("{n} xã chưa nhập số liệu"),
        |n| format!("{n} commune(s) have entered nothing");

    /// How many returned reports are not submitted again.
    returned: fn(&str) -> String =
        |n| format!("{n} báo cáo bị trả lại, chưa gửi lại"),
        |n| format!("{n} returned report(s) not submitted again");

    /// The rest of a list that is cut.
    and_more: fn(&str) -> String =
        |n| format!("… và {n} xã khác"),
        |n| format!("… and {n} more");

    /// Link: the approval queue.
    open_queue: &'static str =
        "Mở danh sách duyệt báo cáo",
        "Open the reports to approve";

    /// Heading: targets behind.
    behind_heading: fn(&str) -> String =
        |unit| format!("Chỉ tiêu chưa đạt hoặc có nguy cơ — {unit}"),
        |unit| format!("Targets missed or at risk — {unit}");

    /// No target behind.
    behind_none: &'static str =
        "Không có chỉ tiêu nào chậm so với lộ trình.",
        "No target is behind its path.";

    /// Heading: shortcuts.
    shortcuts: &'static str =
        "Lối tắt",
        "Shortcuts";

    /// Link: a unit's dashboard.
    dashboard_link: fn(&str) -> String =
        |unit| format!("Bảng điều khiển: {unit}"),
        |unit| format!("Dashboard: {unit}");

    /// Link: tasks overdue.
    tasks_link: &'static str =
        "Nhiệm vụ và báo cáo quá hạn",
        "Overdue tasks and reports";

    /// Link: accounts.
    accounts_link: &'static str =
        "Tài khoản người dùng",
        "User accounts";

    /// Link: the audit log.
    audit_link: &'static str =
        "Nhật ký thao tác",
        "Audit log";

    /// Link: the network and its counts.
    network_link: &'static str =
        "Mạng lưới và số đơn vị hành chính",
        "The network and the number of units";

    /// When the report is due.
    due_on: fn(&str) -> String =
        |date| format!("Hạn gửi báo cáo: {date} (5 ngày làm việc sau kỳ báo cáo)."),
        |date| format!("Due on {date} (5 working days after the period).");

    /// The report is late.
    late: fn(&str) -> String =
        |date| format!("Đã quá hạn gửi báo cáo (hạn {date})."),
        |date| format!("The report is late (it was due on {date}).");
}
