//! Texts of the plans area.

use super::Lang;

texts! {
    /// Texts of the plan pages (list, plan, review), one field per message.
    pub struct PlanTexts;
    /// The texts of the plan pages in this language.
    fn plan;

    /// Read a new plan document
    upload_heading: &'static str =
        "Đọc văn bản kế hoạch mới",
        "Read a new plan document";

    /// upload hint.
    upload_hint: &'static str =
        "Tệp DOCX hoặc văn bản UTF-8, tối đa 25 MB. Hệ thống đọc căn cứ, chỉ tiêu, nhiệm vụ, kinh phí, chế độ báo cáo; sau đó bạn rà soát và xác nhận.",
        "A DOCX or UTF-8 text file, up to 25 MB. ytcs reads legal bases, targets, tasks, budget and reporting duties; then you review and confirm.";

    /// Read document
    upload_button: &'static str =
        "Đọc văn bản",
        "Read document";

    /// Number
    number: &'static str =
        "Số",
        "Number";

    /// Date
    date: &'static str =
        "Ngày",
        "Date";

    /// Issuer
    issuer: &'static str =
        "Cơ quan ban hành",
        "Issuer";

    /// Title
    title: &'static str =
        "Trích yếu",
        "Title";

    /// Status
    status: &'static str =
        "Trạng thái",
        "Status";

    /// Confirmed
    confirmed: &'static str =
        "Đã xác nhận",
        "Confirmed";

    /// Not confirmed
    to_review: &'static str =
        "Chưa xác nhận",
        "Not confirmed";

    /// No plans yet.
    no_plans: &'static str =
        "Chưa có kế hoạch nào.",
        "No plans yet.";

    /// Legal bases
    legal_bases: &'static str =
        "Căn cứ",
        "Legal bases";

    /// Targets
    targets: &'static str =
        "Chỉ tiêu",
        "Targets";

    /// Tasks and solutions
    tasks: &'static str =
        "Nhiệm vụ, giải pháp",
        "Tasks and solutions";

    /// Budget
    budget: &'static str =
        "Kinh phí",
        "Budget";

    /// Reporting duties
    reporting: &'static str =
        "Chế độ báo cáo",
        "Reporting duties";

    /// Recipients
    recipients: &'static str =
        "Nơi nhận",
        "Recipients";

    /// Signed by
    signer: &'static str =
        "Người ký",
        "Signed by";

    /// What to check (read with doubt)
    warnings: &'static str =
        "Những chỗ cần kiểm tra khi đọc văn bản",
        "What to check (read with doubt)";

    /// Plans that implement this plan
    implemented_by: &'static str =
        "Các kế hoạch triển khai kế hoạch này",
        "Plans that implement this plan";

    /// This plan's targets in
    cascade_heading: &'static str =
        "Chỉ tiêu của kế hoạch này trong",
        "This plan's targets in";

    /// This plan
    cascade_higher: &'static str =
        "Kế hoạch này",
        "This plan";

    /// Implementing plan
    cascade_lower: &'static str =
        "Kế hoạch triển khai",
        "Implementing plan";

    /// This plan has no target linked to an indicator to compare.
    cascade_none: &'static str =
        "Kế hoạch này không có chỉ tiêu gắn với chỉ số nào để đối chiếu.",
        "This plan has no target linked to an indicator to compare.";

    /// plan in ytcs
    implements_here: &'static str =
        "kế hoạch trong ytcs",
        "plan in ytcs";

    /// not in ytcs
    not_in_ytcs: &'static str =
        "chưa có trong ytcs",
        "not in ytcs";

    /// Review and correct
    review: &'static str =
        "Rà soát, hiệu chỉnh",
        "Review and correct";

    /// Corrections
    revisions: &'static str =
        "Lịch sử hiệu chỉnh",
        "Corrections";

    /// Subject
    subject: &'static str =
        "Nội dung",
        "Subject";

    /// Indicator
    indicator: &'static str =
        "Chỉ số",
        "Indicator";

    /// Comparator
    comparator: &'static str =
        "So sánh",
        "Comparator";

    /// Value
    value: &'static str =
        "Giá trị",
        "Value";

    /// Unit
    unit: &'static str =
        "Đơn vị",
        "Unit";

    /// Year
    year: &'static str =
        "Năm",
        "Year";

    /// Lead unit
    lead: &'static str =
        "Đơn vị chủ trì",
        "Lead unit";

    /// Coordinating units
    coordinating: &'static str =
        "Đơn vị phối hợp",
        "Coordinating units";

    /// Timeframe
    timeframe: &'static str =
        "Thời gian thực hiện",
        "Timeframe";

    /// Amount (đồng)
    amount: &'static str =
        "Số tiền (đồng)",
        "Amount (đồng)";

    /// Purpose
    purpose: &'static str =
        "Nội dung chi",
        "Purpose";

    /// Sources
    sources: &'static str =
        "Nguồn kinh phí",
        "Sources";

    /// What
    what: &'static str =
        "Nội dung báo cáo",
        "What";

    /// By
    by: &'static str =
        "Đơn vị báo cáo",
        "By";

    /// To
    to: &'static str =
        "Gửi đến",
        "To";

    /// Frequency, deadline
    when: &'static str =
        "Định kỳ, thời hạn",
        "Frequency, deadline";

    /// Total
    total: &'static str =
        "Tổng cộng",
        "Total";

    /// Line
    line: &'static str =
        "Dòng",
        "Line";

    /// Source text
    source: &'static str =
        "Văn bản gốc",
        "Source text";

    /// Save corrections
    save: &'static str =
        "Lưu hiệu chỉnh",
        "Save corrections";

    /// Confirm plan
    confirm: &'static str =
        "Xác nhận kế hoạch",
        "Confirm plan";

    /// Note on this correction
    note: &'static str =
        "Ghi chú hiệu chỉnh",
        "Note on this correction";

    /// Delete
    delete: &'static str =
        "Xóa",
        "Delete";

    /// Add a target
    add_target: &'static str =
        "Thêm chỉ tiêu",
        "Add a target";

    /// Corrections saved. The previous version is kept in the history.
    saved: &'static str =
        "Đã lưu hiệu chỉnh. Bản trước được giữ trong lịch sử.",
        "Corrections saved. The previous version is kept in the history.";

    /// Not saved — please fix:
    errors_heading: &'static str =
        "Chưa lưu — hãy sửa các lỗi sau:",
        "Not saved — please fix:";

    /// review hint.
    review_hint: &'static str =
        "Bấm số dòng bên cạnh mỗi mục để xem đoạn văn bản gốc tương ứng (được tô sáng). Sửa trực tiếp trong bảng rồi lưu; mỗi lần lưu giữ lại bản trước.",
        "Follow the line number beside an item to see (highlighted) the source text it was read from. Edit in the tables and save; every save keeps the previous version.";

    /// Document
    identity: &'static str =
        "Thông tin văn bản",
        "Document";

    /// Open plan
    open_plan: &'static str =
        "Xem kế hoạch",
        "Open plan";

    /// No plan in ytcs cites this plan yet.
    none_linked: &'static str =
        "Chưa có kế hoạch nào trong ytcs dẫn chiếu kế hoạch này.",
        "No plan in ytcs cites this plan yet.";

    /// Kind
    kind: &'static str =
        "Loại văn bản",
        "Kind";

    /// Deadline (day/month)
    deadline: &'static str =
        "Hạn (ngày/tháng)",
        "Deadline (day/month)";

    /// Name
    signer_name: &'static str =
        "Họ và tên",
        "Name";

    /// Title
    signer_title: &'static str =
        "Chức vụ",
        "Title";

    /// On behalf of
    signer_body: &'static str =
        "Thay mặt",
        "On behalf of";

    /// This is a target
    this_is_target: &'static str =
        "Đây là chỉ tiêu",
        "This is a target";

    /// Selected text
    selection: &'static str =
        "Đoạn chọn",
        "Selected text";

    /// A new target or a fix of one read
    mark_what: &'static str =
        "Chỉ tiêu mới hay sửa chỉ tiêu đã đọc",
        "A new target or a fix of one read";

    /// a new target
    mark_new: &'static str =
        "chỉ tiêu mới",
        "a new target";

    /// replace target
    mark_fix: &'static str =
        "thay chỉ tiêu",
        "replace target";

    /// A target from the source sentence
    mark_heading: &'static str =
        "Chỉ tiêu từ câu văn bản gốc",
        "A target from the source sentence";

    /// mark hint.
    mark_hint: &'static str =
        "Bôi đen phần câu nêu chỉ tiêu rồi bấm «Đây là chỉ tiêu» (không có JavaScript: mở «Đây là chỉ tiêu» ở dòng đó, xóa bớt cho còn phần nêu chỉ tiêu). Mỗi lần sửa được giữ làm ví dụ để đánh giá bộ đọc.",
        "Select the part of a sentence that states a target and press «This is a target» (without JavaScript: open «This is a target» on that line and trim the text to the target). Every correction is kept as an example to score the reader.";

    /// This is how the selection was read; check it, correct it if needed, and save.
    mark_hint_form: &'static str =
        "Hệ thống đã đọc đoạn chọn như dưới đây; kiểm tra, sửa nếu cần rồi lưu.",
        "This is how the selection was read; check it, correct it if needed, and save.";

    /// No number could be read in the selection: fill in the value, unit and year.
    mark_unread: &'static str =
        "Không đọc được số nào trong đoạn chọn: hãy điền giá trị, đơn vị và năm.",
        "No number could be read in the selection: fill in the value, unit and year.";

    /// Save target
    mark_save: &'static str =
        "Lưu chỉ tiêu",
        "Save target";

    /// The document uploaded is one already imported (when).
    already_imported: fn(&str) -> String =
        |when| format!("Văn bản này đã được nhập lúc {when}: đây là kế hoạch đã có, không nhập lần thứ hai."),
        |when| format!("This document was already imported on {when}: this is that plan, not a second copy.");

    /// Button: read the stored document again as a new version.
    reread: &'static str =
        "Đọc lại bằng bộ đọc hiện tại (lưu thành phiên bản mới)",
        "Read it again with today's reader (as a new version)";

    /// After reading again.
    reread_done: &'static str =
        "Đã đọc lại văn bản và lưu thành phiên bản mới; phiên bản trước vẫn còn trong lịch sử sửa.",
        "The document was read again and kept as a new version; the previous one stays in the history.";

    /// Beside the confirm button at the top of the review.
    review_hint_confirm: &'static str =
        "Khi mọi thông tin dưới đây đã đúng:",
        "Once everything below is right:";
}
