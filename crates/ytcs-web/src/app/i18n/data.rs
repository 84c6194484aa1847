//! Texts of the data area.

use super::Lang;

texts! {
    /// Texts of the data area: opening a form, importing and exporting values.
    pub struct DataTexts;
    /// Texts of the data area (`/data`: entry, import, export).
    fn data;

    /// Lead paragraph.
    lead: &'static str =
        "Nhập số liệu theo biểu, nhập cả tệp số liệu (CSV, Excel, ADX) và xuất số liệu đã lưu.",
        "Enter data by form, import whole files of values (CSV, Excel, ADX) and export what is stored.";

    /// Heading: open an entry form.
    entry_heading: &'static str =
        "Nhập theo biểu",
        "Enter by form";

    /// Label: data set.
    entry_set: &'static str =
        "Biểu",
        "Data set";

    /// Label: unit code.
    entry_org: &'static str =
        "Đơn vị",
        "Unit";

    /// Label: period.
    entry_period: &'static str =
        "Kỳ báo cáo",
        "Period";

    /// Placeholder of the unit field of the data page's entry card.
    entry_org_placeholder: &'static str =
        "tên xã hoặc mã; để trống: xã của bạn",
        "commune name or code; empty: yours";

    /// Placeholder of the period field of the data page's entry card.
    entry_period_placeholder: &'static str =
        "vd. Tháng 11/2026; để trống: kỳ vừa qua",
        "e.g. November 2026; empty: the last one";

    /// Button: open the form.
    entry_open: &'static str =
        "Mở biểu",
        "Open the form";

    /// Heading: import a file.
    import_heading: &'static str =
        "Nhập tệp số liệu",
        "Import a file of values";

    /// What an import file holds and how it is checked.
    import_hint: &'static str =
        "Tệp CSV, Excel (XLSX) hoặc ADX với các cột Mã chỉ tiêu (element), Mã đơn vị (org), Kỳ (period), Phân tổ (disagg), Giá trị (value). Nhập tất cả hoặc không nhập gì: mọi dòng lỗi được nêu theo số dòng, mọi đơn vị phải thuộc phạm vi của bạn.",
        "A CSV, Excel (XLSX) or ADX file with the columns element, org, period, disagg, value (Vietnamese headers accepted). All or nothing: every bad row is named by its number, and every unit must be within your scope.";

    /// Label of the file field.
    import_file: &'static str =
        "Tệp",
        "File";

    /// Button: import.
    import_button: &'static str =
        "Nhập tệp",
        "Import";

    /// "Imported {values} value(s), {changed} changed."
    imported: fn(&str, &str) -> String =
        |values, changed| format!("Đã nhập {values} giá trị ({changed} giá trị thay đổi)."),
        |values, changed| format!("Imported {values} value(s) ({changed} changed).");

    /// Heading of the list of refusals.
    refused: &'static str =
        "Không nhập gì. Lý do:",
        "Nothing was imported:";

    /// No file chosen.
    no_file: &'static str =
        "Hãy chọn một tệp CSV, XLSX hoặc ADX để nhập.",
        "Choose a CSV, XLSX or ADX file to import.";

    /// "The unit {unit} ({name}) is outside your scope …"
    out_of_scope: fn(&str, &str) -> String =
        |unit, name| format!("Đơn vị {unit} ({name}) không thuộc phạm vi nhập liệu của bạn: cả tệp bị từ chối, không giá trị nào được ghi."),
        |unit, name| format!("The unit {unit} ({name}) is outside your data-entry scope: the whole file is refused, no value was written.");

    /// "… {unit} … {period} … {approved} … locked."
    locked: fn(&str, &str, &str) -> String =
        |unit, period, approved| format!("Số liệu của đơn vị {unit} kỳ {period} nằm trong kỳ {approved} đã được duyệt và khóa: cả tệp bị từ chối. Hãy đề nghị cấp duyệt mở khóa trước khi nhập."),
        |unit, period, approved| format!("The values of unit {unit} for {period} fall in the approved and locked period {approved}: the whole file is refused. Ask the approver to unlock it first.");

    /// Heading: export.
    export_heading: &'static str =
        "Xuất số liệu",
        "Export values";

    /// What an export holds.
    export_hint: &'static str =
        "Tất cả giá trị đã lưu, hoặc chỉ một kỳ (ví dụ 2025, 2025-06). Excel: các cột như CSV, giá trị là số.",
        "Every stored value, or one period only (e.g. 2025, 2025-06). Excel: the CSV's columns, values as numbers.";

    /// Label: format.
    export_format: &'static str =
        "Định dạng",
        "Format";

    /// Label: only this period.
    export_period: &'static str =
        "Kỳ",
        "Period";

    /// Button: export.
    export_button: &'static str =
        "Xuất",
        "Export";

    /// A period that is not one.
    bad_period: &'static str =
        "Kỳ không hợp lệ (ví dụ 2025, 2025S1, 2025Q2, 2025-06).",
        "Not a period (e.g. 2025, 2025S1, 2025Q2, 2025-06).";

    /// Too many values for one worksheet.
    too_many: &'static str =
        "Quá nhiều giá trị cho một trang tính Excel: hãy xuất theo kỳ hoặc dạng CSV.",
        "Too many values for one Excel worksheet: export one period, or as CSV.";

    /// A consistency rule of the form that the values break (its name,
    /// code, left side, operator, right side).
    rule_fails: fn(&str, &str, &str, &str, &str) -> String =
        |name, _code, left, op, right| format!("{name}: {left} {op} {right} — không thỏa."),
        |name, code, left, op, right| format!("{name} ({code}): {left} {op} {right} does not hold.");

    /// Heading of the page that asks which form to open.
    pick_heading: &'static str =
        "Mở biểu nhập số liệu",
        "Open a data-entry form";

    /// What the page that asks does.
    pick_lead: &'static str =
        "Chọn biểu, đơn vị và kỳ báo cáo. Kỳ mặc định là kỳ vừa kết thúc.",
        "Choose the form, the unit and the period. The default period is the last one that has ended.";

    /// Hint under a typed unit.
    pick_unit_hint: &'static str =
        "Gõ tên xã (có dấu hoặc không dấu) hoặc mã xã.",
        "Type the commune's name (with or without accents) or its code.";

    /// A typed period that is not one.
    pick_bad_period: fn(&str) -> String =
        |typed| format!("Không hiểu kỳ «{typed}». Chọn một kỳ trong danh sách, hoặc gõ như «Tháng 12/2026», «12/2026», «Quý IV/2026», «Năm 2026»."),
        |typed| format!("“{typed}” is not a period this form understands. Choose one from the list, or type e.g. “December 2026”, “12/2026”, “Q4 2026”, “2026”.");

    /// A set code that names no data set.
    pick_no_set: fn(&str) -> String =
        |typed| format!("Không có biểu «{typed}»: chọn một biểu trong danh sách."),
        |typed| format!("There is no form “{typed}”: choose one from the list.");

    /// A typed unit that names no commune in the user's scope.
    pick_no_unit: fn(&str) -> String =
        |typed| format!("Không có xã nào có tên hoặc mã «{typed}» trong phạm vi của bạn."),
        |typed| format!("No commune within your scope is named or coded “{typed}”.");

    /// A typed unit that names several communes.
    pick_several: fn(&str) -> String =
        |typed| format!("Có nhiều xã khớp với «{typed}»: chọn một."),
        |typed| format!("Several communes match “{typed}”: choose one.");

    /// Marks the period that is still running in the period list.
    pick_running: &'static str =
        "đang diễn ra",
        "running";

    /// The period has not ended: a submission now needs a confirmation.
    period_open: fn(&str) -> String =
        |end| format!("Kỳ này chưa kết thúc (đến hết ngày {end}). Chỉ gửi duyệt khi số liệu của cả kỳ đã đủ."),
        |end| format!("This period has not ended (it runs until {end}). Submit only once the whole period's figures are in.");

    /// Checkbox: submit a period before it ends.
    submit_early: &'static str =
        "Số liệu đã đủ, gửi trước khi hết kỳ",
        "The figures are complete: submit before the period ends";

    /// A submission of a running period without the confirmation.
    submit_early_refused: &'static str =
        "Kỳ báo cáo chưa kết thúc: đánh dấu «Số liệu đã đủ, gửi trước khi hết kỳ» nếu muốn gửi duyệt ngay.",
        "The period has not ended: tick “The figures are complete” to submit it now.";

    /// A return or an unlock without a reason.
    return_needs_reason: &'static str =
        "Cần ghi lý do (trả lại hoặc mở khóa) để trạm y tế biết vì sao và phải sửa gì.",
        "Give the reason (for returning or unlocking), so the station knows why and what to correct.";

    /// Heading of the approval queue.
    queue_heading: &'static str =
        "Báo cáo của các xã",
        "The communes' reports";

    /// What the approval queue shows.
    queue_lead: &'static str =
        "Tình trạng báo cáo của từng xã trong phạm vi của bạn: báo cáo chờ duyệt đứng đầu, sau đó là báo cáo bị trả lại và các xã chưa nhập.",
        "Where each commune's report within your scope stands: those waiting for approval first, then those returned and the communes that have not entered anything.";

    /// Menu entry and link to the approval queue.
    queue_link: &'static str =
        "Báo cáo chờ duyệt",
        "Reports to approve";

    /// Status: submitted.
    status_submitted: &'static str =
        "Đã gửi, chờ duyệt",
        "Submitted, waiting";

    /// Status: returned.
    status_returned: &'static str =
        "Bị trả lại",
        "Returned";

    /// Status: not entered.
    status_not_entered: &'static str =
        "Chưa nhập",
        "Not entered";

    /// Status: entered, not submitted.
    status_entered: &'static str =
        "Đã nhập, chưa gửi",
        "Entered, not submitted";

    /// Status: approved.
    status_approved: &'static str =
        "Đã duyệt",
        "Approved";

    /// Filter: every status.
    queue_all: &'static str =
        "Tất cả",
        "All";

    /// Column: commune.
    queue_commune: &'static str =
        "Xã",
        "Commune";

    /// Column: status.
    queue_status: &'static str =
        "Tình trạng",
        "Status";

    /// Column: values entered.
    queue_values: &'static str =
        "Số giá trị",
        "Values";

    /// Column: who submitted or decided, and when.
    queue_who: &'static str =
        "Gửi / duyệt",
        "Submitted / decided";

    /// Column: the reason given.
    queue_reason: &'static str =
        "Lý do",
        "Reason";

    /// Button: approve the reports ticked.
    queue_approve: &'static str =
        "Duyệt các báo cáo đã chọn",
        "Approve the reports ticked";

    /// Button: show.
    queue_show: &'static str =
        "Xem",
        "Show";

    /// Nothing to list.
    queue_none: &'static str =
        "Không có xã nào ở tình trạng này.",
        "No commune is in this state.";

    /// After a bulk approval: how many were approved.
    queue_done: fn(&str) -> String =
        |n| format!("Đã duyệt {n} báo cáo."),
        |n| format!("{n} report(s) approved.");

    /// After a bulk approval: those refused, by name and why.
    queue_refused: fn(&str, &str) -> String =
        |name, why| format!("{name}: không duyệt được — {why}"),
        |name, why| format!("{name}: not approved — {why}");

    /// Summary of the statuses: "n of N communes submitted".
    queue_summary: fn(&str, &str, &str) -> String =
        |submitted, approved, all| format!("{submitted} xã chờ duyệt, {approved}/{all} xã đã được duyệt."),
        |submitted, approved, all| format!("{submitted} commune(s) waiting, {approved}/{all} approved.");
}

impl DataTexts {
    /// The words for where a commune's report stands.
    pub fn report_status(&self, s: ytcs_engine::reporting::ReportStatus) -> &'static str {
        use ytcs_engine::reporting::ReportStatus as S;
        match s {
            S::Submitted => self.status_submitted,
            S::Returned => self.status_returned,
            S::NotEntered => self.status_not_entered,
            S::Entered => self.status_entered,
            S::Approved => self.status_approved,
        }
    }
}
