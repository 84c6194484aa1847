//! Texts of the tracking area.

use super::Lang;

texts! {
    /// Texts of the pages that run a plan (tasks, reports, budget).
    pub struct TrackingTexts;
    /// The texts of the task, reporting and budget pages in this language.
    fn tracking;

    /// Status names: not started, in progress, done, blocked.
    statuses: [&'static str; 4] =
        [
        "Chưa triển khai",
        "Đang thực hiện",
        "Hoàn thành",
        "Vướng mắc",
    ],
        ["Not started", "In progress", "Done", "Blocked"];

    /// Report states: upcoming, submitted, late, missing.
    report_states: [&'static str; 4] =
        [
        "Sắp đến hạn",
        "Đã nộp đúng hạn",
        "Nộp muộn",
        "Chưa nộp (quá hạn)",
    ],
        ["Upcoming", "Submitted on time", "Late", "Missing (overdue)"];

    /// Tasks with deadlines
    tasks_heading: &'static str =
        "Nhiệm vụ có thời hạn",
        "Tasks with deadlines";

    /// Reporting calendar
    reports_heading: &'static str =
        "Lịch báo cáo",
        "Reporting calendar";

    /// Lead / reporting unit
    filter_unit: &'static str =
        "Đơn vị chủ trì / đơn vị báo cáo",
        "Lead / reporting unit";

    /// Overdue only
    only_overdue: &'static str =
        "Chỉ việc quá hạn",
        "Overdue only";

    /// Filter
    filter: &'static str =
        "Lọc",
        "Filter";

    /// Plan
    plan: &'static str =
        "Kế hoạch",
        "Plan";

    /// Task
    task: &'static str =
        "Nhiệm vụ",
        "Task";

    /// Lead
    lead: &'static str =
        "Chủ trì",
        "Lead";

    /// Timeframe
    timeframe: &'static str =
        "Thời gian thực hiện",
        "Timeframe";

    /// Due
    due: &'static str =
        "Hạn",
        "Due";

    /// Status
    status: &'static str =
        "Tình trạng",
        "Status";

    /// Overdue
    overdue: &'static str =
        "Quá hạn",
        "Overdue";

    /// Days left
    days_left: &'static str =
        "Còn (ngày)",
        "Days left";

    /// Report
    report: &'static str =
        "Báo cáo",
        "Report";

    /// Unit
    unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Submitted on
    submitted_on: &'static str =
        "Ngày nộp",
        "Submitted on";

    /// Record as submitted
    mark_submitted: &'static str =
        "Ghi nhận đã nộp",
        "Record as submitted";

    /// No matching task.
    none_tasks: &'static str =
        "Không có nhiệm vụ nào phù hợp.",
        "No matching task.";

    /// No report due.
    none_reports: &'static str =
        "Không có báo cáo nào đến hạn.",
        "No report due.";

    /// overdue tasks; reports missing or late:
    summary: &'static str =
        "nhiệm vụ quá hạn; báo cáo chưa nộp hoặc nộp muộn:",
        "overdue tasks; reports missing or late:";

    /// Progress updates
    updates: &'static str =
        "Cập nhật tiến độ",
        "Progress updates";

    /// New progress update
    new_update: &'static str =
        "Báo cáo tiến độ mới",
        "New progress update";

    /// Date
    on: &'static str =
        "Ngày",
        "Date";

    /// Progress (%)
    progress: &'static str =
        "Tiến độ (%)",
        "Progress (%)";

    /// Result, note
    note: &'static str =
        "Kết quả, ghi chú",
        "Result, note";

    /// Evidence file
    evidence: &'static str =
        "Tệp minh chứng",
        "Evidence file";

    /// PDF, JPG/PNG picture, Word or Excel; up to 10 MB.
    evidence_hint: &'static str =
        "PDF, ảnh JPG/PNG, Word hoặc Excel; tối đa 10 MB.",
        "PDF, JPG/PNG picture, Word or Excel; up to 10 MB.";

    /// Save
    save: &'static str =
        "Lưu",
        "Save";

    /// Coordinating
    coordinating: &'static str =
        "Phối hợp",
        "Coordinating";

    /// The evidence file is over 10 MB or the upload failed.
    evidence_too_large: &'static str =
        "Tệp minh chứng vượt quá 10 MB hoặc bị lỗi khi tải lên.",
        "The evidence file is over 10 MB or the upload failed.";

    /// An evidence file of 0 bytes.
    evidence_empty: &'static str =
        "Tệp minh chứng rỗng (0 byte): hãy chọn lại tệp.",
        "The evidence file is empty (0 bytes): choose the file again.";

    /// This type of evidence file is not accepted (only PDF, JPG, PNG, Word, Excel):
    evidence_forbidden: &'static str =
        "Loại tệp minh chứng không được chấp nhận (chỉ PDF, JPG, PNG, Word, Excel):",
        "This type of evidence file is not accepted (only PDF, JPG, PNG, Word, Excel):";

    /// Choose the task's status.
    bad_status: &'static str =
        "Hãy chọn tình trạng nhiệm vụ.",
        "Choose the task's status.";

    /// Invalid date:
    bad_date: &'static str =
        "Ngày không hợp lệ:",
        "Invalid date:";

    /// Progress must be a number from 0 to 100:
    bad_progress: &'static str =
        "Tiến độ phải là số từ 0 đến 100:",
        "Progress must be a number from 0 to 100:";

    /// Choose one of the plan's budget lines.
    bad_budget_line: &'static str =
        "Hãy chọn một dòng kinh phí của kế hoạch.",
        "Choose one of the plan's budget lines.";

    /// The amount must be a positive whole number of đồng (e.g. 500.000.000):
    bad_amount: &'static str =
        "Số tiền phải là số đồng nguyên dương (ví dụ 500.000.000):",
        "The amount must be a positive whole number of đồng (e.g. 500.000.000):";

    /// Committed
    committed: &'static str =
        "Đã cam kết",
        "Committed";

    /// Disbursed
    disbursed: &'static str =
        "Đã giải ngân",
        "Disbursed";

    /// Execution rate
    rate: &'static str =
        "Tỷ lệ giải ngân",
        "Execution rate";

    /// Over budget
    overrun: &'static str =
        "Vượt dự toán",
        "Over budget";

    /// Record a commitment / disbursement
    add_entry: &'static str =
        "Ghi nhận cam kết / giải ngân",
        "Record a commitment / disbursement";

    /// Commitment
    commitment: &'static str =
        "Cam kết",
        "Commitment";

    /// Disbursement
    disbursement: &'static str =
        "Giải ngân",
        "Disbursement";

    /// Amount (đồng)
    amount: &'static str =
        "Số tiền (đồng)",
        "Amount (đồng)";

    /// Source
    source: &'static str =
        "Nguồn",
        "Source";

    /// Budget line
    line: &'static str =
        "Dòng kinh phí",
        "Budget line";

    /// Title of a unit's tasks page (before the unit's name).
    unit_tasks_title: &'static str =
        "Nhiệm vụ của",
        "Tasks of";

    /// The unit page's link to it.
    unit_tasks_link: &'static str =
        "Nhiệm vụ trong các kế hoạch",
        "Tasks in the plans";

    /// Heading: tasks the unit leads.
    unit_leads: &'static str =
        "Chủ trì",
        "Leads";

    /// Heading: tasks the unit helps with.
    unit_coordinates: &'static str =
        "Phối hợp",
        "Coordinates";

    /// Column: how the plan names the unit.
    named_as: &'static str =
        "Ghi trong kế hoạch",
        "As written in the plan";

    /// What the page lists and how units are matched.
    unit_tasks_note: &'static str =
        "Mọi nhiệm vụ của các kế hoạch đã lưu mà đơn vị chủ trì hoặc phối hợp, kể cả khi kế hoạch giao cho \"các xã, thị trấn\" của đơn vị cấp trên; quá hạn xếp trước.",
        "Every task of the stored plans this unit leads or helps with, including tasks given to \"the communes\" of the unit above it; overdue first.";

    /// Title of a link to a unit's tasks.
    see_unit_tasks: &'static str =
        "Xem các nhiệm vụ của đơn vị",
        "See the unit's tasks";

    /// Title of a link naming every commune or district under a unit.
    see_units_under: &'static str =
        "Các đơn vị trực thuộc",
        "The units under it";

    /// Before the name of the predecessor a plan named.
    through: &'static str =
        "giao cho đơn vị tiền thân:",
        "given to its predecessor:";
}

impl TrackingTexts {
    /// The name of a task status.
    pub fn status_label(&self, s: ytcs_core::tracking::TaskStatus) -> &'static str {
        use ytcs_core::tracking::TaskStatus::*;
        self.statuses[match s {
            NotStarted => 0,
            InProgress => 1,
            Done => 2,
            Blocked => 3,
        }]
    }

    /// The name of a report state.
    pub fn report_label(&self, s: ytcs_core::tracking::ReportState) -> &'static str {
        use ytcs_core::tracking::ReportState::*;
        self.report_states[match s {
            Upcoming => 0,
            Submitted => 1,
            Late => 2,
            Missing => 3,
        }]
    }
}
