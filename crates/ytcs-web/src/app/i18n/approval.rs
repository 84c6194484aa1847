//! Texts of the approval area.

use super::Lang;

texts! {
    /// Texts of data approval.
    pub struct ApprovalTexts;
    /// Texts of data approval.
    fn approval;

    /// Panel title.
    title: &'static str =
        "Phê duyệt số liệu",
        "Data approval";

    /// State names: open, submitted, approved.
    states: [&'static str; 3] =
        ["Chưa gửi duyệt", "Đã gửi, chờ duyệt", "Đã duyệt và khóa"],
        ["Not submitted", "Submitted, awaiting approval", "Approved and locked"];

    /// "by".
    by: &'static str =
        "bởi",
        "by";

    /// Submit button.
    submit: &'static str =
        "Gửi duyệt",
        "Submit for approval";

    /// Approve button.
    approve: &'static str =
        "Duyệt và khóa",
        "Approve and lock";

    /// Return button.
    return_: &'static str =
        "Trả lại để sửa",
        "Return for correction";

    /// Unlock button.
    unlock: &'static str =
        "Mở khóa",
        "Unlock";

    /// Reason label.
    reason: &'static str =
        "Lý do (bắt buộc khi trả lại hoặc mở khóa)",
        "Reason (required to return or unlock)";

    /// The data is locked.
    locked: &'static str =
        "Số liệu kỳ này đã được duyệt và khóa: không sửa được cho đến khi cấp trên mở khóa.",
        "This period's data is approved and locked: it cannot change until the approver unlocks it.";

    /// A write refused because the period is approved.
    locked_refused: &'static str =
        "Không lưu: số liệu của đơn vị trong kỳ này đã được duyệt và khóa. Hãy đề nghị cấp duyệt mở khóa trước khi sửa.",
        "Not saved: the unit's data for this period is approved and locked. Ask the approver to unlock it first.";

    /// Cannot approve one's own submission.
    own_submission: &'static str =
        "Không thể tự duyệt số liệu do chính mình gửi: cần một người duyệt khác.",
        "You cannot approve data you submitted yourself: another reviewer must.";

    /// A move that does not fit the state.
    illegal: &'static str =
        "Thao tác này không phù hợp với trạng thái hiện tại của số liệu (hãy tải lại trang).",
        "This move does not fit the data's current state (reload the page).";

    /// Return and unlock need a reason.
    reason_required: &'static str =
        "Hãy ghi lý do khi trả lại hoặc mở khóa.",
        "Give a reason to return or unlock.";
}
