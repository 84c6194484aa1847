//! Texts every page shares (navigation, errors, the unit pages).

use super::Lang;

texts! {
    /// Every text of the UI, one field per message.
    pub struct Texts;
    /// The texts of the UI in this language.
    fn texts;

    /// Product name shown in the header.
    app_name: &'static str =
        "ytcs — Y tế cơ sở",
        "ytcs — Grassroots health";

    /// Product tagline.
    tagline: &'static str =
        "Hệ thống thông tin mạng lưới y tế cơ sở, vận hành theo kế hoạch",
        "Information system of Vietnam's grassroots health network, run by its plans";

    /// Navigation: the home page, the user's work.
    nav_overview: &'static str =
        "Việc của tôi",
        "My work";

    /// Navigation: plans.
    nav_plans: &'static str =
        "Kế hoạch",
        "Plans";

    /// Navigation: targets.
    nav_targets: &'static str =
        "Chỉ tiêu",
        "Targets";

    /// Navigation: tasks.
    nav_tasks: &'static str =
        "Nhiệm vụ",
        "Tasks";

    /// Navigation: data.
    nav_data: &'static str =
        "Dữ liệu",
        "Data";

    /// Navigation: health records.
    nav_records: &'static str =
        "Hồ sơ sức khỏe",
        "Health records";

    /// Navigation: network.
    nav_network: &'static str =
        "Mạng lưới",
        "Network";

    /// Navigation: reports.
    nav_reports: &'static str =
        "Báo cáo",
        "Reports";

    /// Navigation: administration.
    nav_admin: &'static str =
        "Quản trị",
        "Administration";

    /// Label of the other language's switch.
    switch_lang: &'static str =
        "English",
        "Tiếng Việt";

    /// "as of".
    as_of: &'static str =
        "Tại ngày",
        "As of";

    /// "Show".
    show: &'static str =
        "Xem",
        "Show";

    /// "Search".
    search: &'static str =
        "Tìm kiếm",
        "Search";

    /// Search box placeholder.
    search_placeholder: &'static str =
        "Tên hoặc mã đơn vị, có hoặc không dấu (vd: Đắk Rve, dak rve, 614)",
        "Unit name or code, with or without diacritics (e.g. Đắk Rve, dak rve, 614)";

    /// "Code".
    code: &'static str =
        "Mã",
        "Code";

    /// "Name".
    name: &'static str =
        "Tên",
        "Name";

    /// "Level".
    level: &'static str =
        "Cấp",
        "Level";

    /// "Valid".
    validity: &'static str =
        "Hiệu lực",
        "Valid";

    /// "from".
    from: &'static str =
        "từ",
        "from";

    /// "until".
    until: &'static str =
        "đến",
        "until";

    /// "still valid".
    still_valid: &'static str =
        "nay",
        "now";

    /// "unknown".
    unknown: &'static str =
        "không rõ",
        "unknown";

    /// "Belongs to".
    ancestors: &'static str =
        "Trực thuộc",
        "Belongs to";

    /// "Units below".
    children: &'static str =
        "Đơn vị trực thuộc",
        "Units below";

    /// "History".
    history: &'static str =
        "Lịch sử",
        "History";

    /// "Formed from".
    predecessors: &'static str =
        "Hình thành từ",
        "Formed from";

    /// "Became part of".
    successors: &'static str =
        "Sáp nhập vào",
        "Became part of";

    /// "Same code at other times".
    same_code: &'static str =
        "Cùng mã ở thời điểm khác",
        "Same code at other times";

    /// "none".
    none: &'static str =
        "Không có",
        "None";

    /// "Share of population".
    weight: &'static str =
        "Tỷ lệ dân số",
        "Population share";

    /// Names of lineage kinds: merge, split, rename, level abolished.
    lineage_kinds: [&'static str; 4] =
        ["Nhập toàn bộ", "Nhập một phần", "Đổi tên", "Bỏ cấp huyện"],
        ["Merged whole", "Merged in part", "Renamed", "District level abolished"];

    /// Overview heading of unit counts.
    units_today: &'static str =
        "Đơn vị hành chính hiện nay",
        "Administrative units today";

    /// Counts before the reform.
    units_before_reform: &'static str =
        "Trước ngày 01/7/2025",
        "Before 1 July 2025";

    /// Explanation of the 2025 reform.
    reform_note: &'static str =
        "Từ ngày 01/7/2025, cả nước sắp xếp từ 63 xuống 34 tỉnh, thành phố; không tổ chức cấp huyện; 10.051 xã, phường, thị trấn sắp xếp thành 3.321 đơn vị cấp xã. ytcs lưu cả hai giai đoạn và quan hệ sáp nhập, để số liệu cũ vẫn cộng đúng theo đơn vị mới.",
        "Since 1 July 2025 Vietnam has 34 provinces instead of 63, no district level, and 3,321 communes formed from 10,051. ytcs keeps both periods and the lineage between them, so older figures still add up under today's units.";

    /// Heading of the provinces list.
    provinces: &'static str =
        "Tỉnh, thành phố",
        "Provinces";

    /// Results heading.
    results: &'static str =
        "Kết quả",
        "Results";

    /// No results.
    no_results: &'static str =
        "Không tìm thấy đơn vị nào.",
        "No unit found.";

    /// Page not found.
    not_found: &'static str =
        "Không tìm thấy trang.",
        "Page not found.";

    /// No unit with this code on that date.
    unit_not_found: &'static str =
        "Không có đơn vị nào mang mã này vào ngày đã chọn. Hãy kiểm tra mã hoặc chọn ngày khác.",
        "No unit carries this code on the chosen date. Check the code or choose another date.";

    /// Bad date.
    bad_date: &'static str =
        "Ngày không hợp lệ: hãy nhập theo dạng YYYY-MM-DD, ví dụ 2025-08-01.",
        "Invalid date: use YYYY-MM-DD, e.g. 2025-08-01.";

    /// Something failed.
    server_error: &'static str =
        "Đã có lỗi phía máy chủ. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị viên.",
        "The server failed. Please try again; if it persists, tell your administrator.";

    /// What each area will hold (plans, targets, tasks, data, records, reports, admin).
    area_intro: [&'static str; 7] =
        [
        "Kế hoạch của Ủy ban nhân dân các cấp: căn cứ, chỉ tiêu, nhiệm vụ, kinh phí, chế độ báo cáo — đọc từ văn bản và rà soát trên giao diện.",
        "Tiến độ từng chỉ tiêu của kế hoạch theo đơn vị và năm: thực hiện so với chỉ tiêu, khoảng cách, dự báo, trạng thái.",
        "Nhiệm vụ được giao cho đơn vị chủ trì, thời hạn, cập nhật tiến độ, nhiệm vụ quá hạn.",
        "Số liệu tổng hợp theo biểu mẫu, kỳ báo cáo và đơn vị; nhập liệu, nhập tệp CSV/XLSX/ADX, kiểm tra dữ liệu.",
        "Sổ sách của trạm y tế xã: nhân khẩu, hộ gia đình, tiêm chủng, dinh dưỡng, bệnh không lây nhiễm, thai sản.",
        "Báo cáo kết quả thực hiện kế hoạch theo cấu trúc của kế hoạch: DOCX, XLSX, PDF.",
        "Người dùng, vai trò theo đơn vị, nhật ký, phê duyệt dữ liệu, sao lưu.",
    ],
        [
        "Plans of People's Committees: legal bases, targets, tasks, budget, reporting duties — read from documents and reviewed here.",
        "Progress of every plan target by unit and year: actual vs target, gap, projection, status.",
        "Tasks assigned to lead units, deadlines, progress updates, overdue tasks.",
        "Aggregate data by form, period and unit; data entry, CSV/XLSX/ADX import, validation.",
        "The commune station's registers: persons, households, immunization, nutrition, NCDs, pregnancies.",
        "Implementation reports in the plan's own structure: DOCX, XLSX, PDF.",
        "Users, roles scoped to units, audit log, data approval, backups.",
    ];

    /// The upload was too large or broken.
    upload_too_large: &'static str =
        "Tệp tải lên bị lỗi hoặc vượt quá 25 MB.",
        "The upload failed or is larger than 25 MB.";

    /// A form with more fields than any page has.
    too_many_fields: &'static str =
        "Biểu mẫu có quá nhiều ô (hơn 10.000), không phải biểu mẫu của ytcs.",
        "The form has too many fields (over 10,000); it is not a ytcs form.";

    /// Signed in, but the role or scope does not allow it.
    forbidden: &'static str =
        "Vai trò hoặc phạm vi đơn vị của bạn không cho phép thao tác này. Nếu cần, hãy đề nghị quản trị viên cấp quyền.",
        "Your role or unit scope does not allow this. Ask an administrator if you need it.";

    /// An unsafe request without the session's anti-forgery token.
    forgery_refused: &'static str =
        "Biểu mẫu đã hết hạn hoặc không gửi từ ytcs. Hãy tải lại trang rồi gửi lại.",
        "The form has expired or was not sent from ytcs. Reload the page and send it again.";

    /// No file was chosen.
    upload_missing: &'static str =
        "Hãy chọn một tệp văn bản kế hoạch (DOCX hoặc văn bản) trước khi bấm «Đọc văn bản».",
        "Choose a plan document (DOCX or text) before pressing «Read document».";

    /// The document cannot be read.
    upload_unreadable: &'static str =
        "Không đọc được văn bản",
        "The document cannot be read";

    /// No plan with this id.
    plan_not_found: &'static str =
        "Không có kế hoạch này.",
        "No such plan.";

    /// The label of a figure's 95 % confidence interval.
    ci95: &'static str =
        "Khoảng tin cậy 95 %",
        "95 % confidence interval";

    /// How many entries a list holds.
    entries: fn(&str) -> String =
        |total| format!("{total} mục"),
        |total| format!("{total} entries");

    /// A score of the station criteria that is not a number.
    not_points: fn(&str, &str) -> String =
        |code, raw| format!("Tiêu chí {code}: «{raw}» không phải là số điểm."),
        |code, raw| format!("Criterion {code}: «{raw}» is not a number of points.");
}
