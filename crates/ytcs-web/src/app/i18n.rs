//! The two languages of the UI: Vietnamese first, English second.
//!
//! [`Lang`] is an extractor: `?lang=`, then the `lang` cookie, then
//! Vietnamese. Every UI text is a field of a per-area struct here
//! ([`Texts`], [`PlanTexts`], [`NetworkTexts`], [`TrackingTexts`],
//! [`IndicatorTexts`], [`AuthTexts`], [`ApprovalTexts`], [`ReportTexts`],
//! [`DataTexts`], [`DashboardTexts`], [`RegisterTexts`]) filled in both
//! languages, with no optional field. The criteria page still writes its
//! few texts inline in both languages, to be moved here.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use std::convert::Infallible;

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt (default).
    Vi,
    /// English.
    En,
}

impl Lang {
    /// The language code (`vi`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Reads `vi` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The texts of the UI in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}

/// The language chosen by `?lang=`, else the `lang` cookie, else Vietnamese.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
        let from_cookie = || {
            parts
                .headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| *k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        };
        Ok(from_query.or_else(from_cookie).unwrap_or(Lang::Vi))
    }
}

/// Every text of the UI, one field per message.
#[derive(Debug)]
pub struct Texts {
    /// Product name shown in the header.
    pub app_name: &'static str,
    /// Product tagline.
    pub tagline: &'static str,
    /// Navigation: overview.
    pub nav_overview: &'static str,
    /// Navigation: plans.
    pub nav_plans: &'static str,
    /// Navigation: targets.
    pub nav_targets: &'static str,
    /// Navigation: tasks.
    pub nav_tasks: &'static str,
    /// Navigation: data.
    pub nav_data: &'static str,
    /// Navigation: health records.
    pub nav_records: &'static str,
    /// Navigation: network.
    pub nav_network: &'static str,
    /// Navigation: reports.
    pub nav_reports: &'static str,
    /// Navigation: administration.
    pub nav_admin: &'static str,
    /// Label of the other language's switch.
    pub switch_lang: &'static str,
    /// "as of".
    pub as_of: &'static str,
    /// "Show".
    pub show: &'static str,
    /// "Search".
    pub search: &'static str,
    /// Search box placeholder.
    pub search_placeholder: &'static str,
    /// "Code".
    pub code: &'static str,
    /// "Name".
    pub name: &'static str,
    /// "Level".
    pub level: &'static str,
    /// "Valid".
    pub validity: &'static str,
    /// "from".
    pub from: &'static str,
    /// "until".
    pub until: &'static str,
    /// "still valid".
    pub still_valid: &'static str,
    /// "unknown".
    pub unknown: &'static str,
    /// "Belongs to".
    pub ancestors: &'static str,
    /// "Units below".
    pub children: &'static str,
    /// "History".
    pub history: &'static str,
    /// "Formed from".
    pub predecessors: &'static str,
    /// "Became part of".
    pub successors: &'static str,
    /// "Same code at other times".
    pub same_code: &'static str,
    /// "none".
    pub none: &'static str,
    /// "Share of population".
    pub weight: &'static str,
    /// Names of lineage kinds: merge, split, rename, level abolished.
    pub lineage_kinds: [&'static str; 4],
    /// Overview heading of unit counts.
    pub units_today: &'static str,
    /// Counts before the reform.
    pub units_before_reform: &'static str,
    /// Explanation of the 2025 reform.
    pub reform_note: &'static str,
    /// Heading of the provinces list.
    pub provinces: &'static str,
    /// Results heading.
    pub results: &'static str,
    /// No results.
    pub no_results: &'static str,
    /// Page not found.
    pub not_found: &'static str,
    /// No unit with this code on that date.
    pub unit_not_found: &'static str,
    /// Bad date.
    pub bad_date: &'static str,
    /// Something failed.
    pub server_error: &'static str,
    /// "Coming in a later release" for areas not built yet.
    pub coming: &'static str,
    /// What each area will hold (plans, targets, tasks, data, records, reports, admin).
    pub area_intro: [&'static str; 7],
    /// The upload was too large or broken.
    pub upload_too_large: &'static str,
    /// A form with more fields than any page has.
    pub too_many_fields: &'static str,
    /// Signed in, but the role or scope does not allow it.
    pub forbidden: &'static str,
    /// An unsafe request without the session's anti-forgery token.
    pub forgery_refused: &'static str,
    /// No file was chosen.
    pub upload_missing: &'static str,
    /// The document cannot be read.
    pub upload_unreadable: &'static str,
    /// No plan with this id.
    pub plan_not_found: &'static str,
}

static VI: Texts = Texts {
    app_name: "ytcs — Y tế cơ sở",
    tagline: "Hệ thống thông tin mạng lưới y tế cơ sở, vận hành theo kế hoạch",
    nav_overview: "Tổng quan",
    nav_plans: "Kế hoạch",
    nav_targets: "Chỉ tiêu",
    nav_tasks: "Nhiệm vụ",
    nav_data: "Dữ liệu",
    nav_records: "Hồ sơ sức khỏe",
    nav_network: "Mạng lưới",
    nav_reports: "Báo cáo",
    nav_admin: "Quản trị",
    switch_lang: "English",
    as_of: "Tại ngày",
    show: "Xem",
    search: "Tìm kiếm",
    search_placeholder: "Tên hoặc mã đơn vị, có hoặc không dấu (vd: Đắk Rve, dak rve, 614)",
    code: "Mã",
    name: "Tên",
    level: "Cấp",
    validity: "Hiệu lực",
    from: "từ",
    until: "đến",
    still_valid: "nay",
    unknown: "không rõ",
    ancestors: "Trực thuộc",
    children: "Đơn vị trực thuộc",
    history: "Lịch sử",
    predecessors: "Hình thành từ",
    successors: "Sáp nhập vào",
    same_code: "Cùng mã ở thời điểm khác",
    none: "Không có",
    weight: "Tỷ lệ dân số",
    lineage_kinds: ["Nhập toàn bộ", "Nhập một phần", "Đổi tên", "Bỏ cấp huyện"],
    units_today: "Đơn vị hành chính hiện nay",
    units_before_reform: "Trước ngày 01/7/2025",
    reform_note: "Từ ngày 01/7/2025, cả nước sắp xếp từ 63 xuống 34 tỉnh, thành phố; không tổ chức cấp huyện; 10.051 xã, phường, thị trấn sắp xếp thành 3.321 đơn vị cấp xã. ytcs lưu cả hai giai đoạn và quan hệ sáp nhập, để số liệu cũ vẫn cộng đúng theo đơn vị mới.",
    provinces: "Tỉnh, thành phố",
    results: "Kết quả",
    no_results: "Không tìm thấy đơn vị nào.",
    not_found: "Không tìm thấy trang.",
    unit_not_found: "Không có đơn vị nào mang mã này vào ngày đã chọn. Hãy kiểm tra mã hoặc chọn ngày khác.",
    bad_date: "Ngày không hợp lệ: hãy nhập theo dạng YYYY-MM-DD, ví dụ 2025-08-01.",
    server_error: "Đã có lỗi phía máy chủ. Vui lòng thử lại; nếu vẫn lỗi, hãy báo quản trị viên.",
    coming: "Chức năng này sẽ có trong bản phát hành sau.",
    area_intro: [
        "Kế hoạch của Ủy ban nhân dân các cấp: căn cứ, chỉ tiêu, nhiệm vụ, kinh phí, chế độ báo cáo — đọc từ văn bản và rà soát trên giao diện.",
        "Tiến độ từng chỉ tiêu của kế hoạch theo đơn vị và năm: thực hiện so với chỉ tiêu, khoảng cách, dự báo, trạng thái.",
        "Nhiệm vụ được giao cho đơn vị chủ trì, thời hạn, cập nhật tiến độ, nhiệm vụ quá hạn.",
        "Số liệu tổng hợp theo biểu mẫu, kỳ báo cáo và đơn vị; nhập liệu, nhập tệp CSV/XLSX/ADX, kiểm tra dữ liệu.",
        "Sổ sách của trạm y tế xã: nhân khẩu, hộ gia đình, tiêm chủng, dinh dưỡng, bệnh không lây nhiễm, thai sản.",
        "Báo cáo kết quả thực hiện kế hoạch theo cấu trúc của kế hoạch: DOCX, XLSX, PDF.",
        "Người dùng, vai trò theo đơn vị, nhật ký, phê duyệt dữ liệu, sao lưu.",
    ],
    upload_too_large: "Tệp tải lên bị lỗi hoặc vượt quá 25 MB.",
    too_many_fields: "Biểu mẫu có quá nhiều ô (hơn 10.000), không phải biểu mẫu của ytcs.",
    forbidden: "Vai trò hoặc phạm vi đơn vị của bạn không cho phép thao tác này. Nếu cần, hãy đề nghị quản trị viên cấp quyền.",
    forgery_refused: "Biểu mẫu đã hết hạn hoặc không gửi từ ytcs. Hãy tải lại trang rồi gửi lại.",
    upload_missing: "Hãy chọn một tệp văn bản kế hoạch (DOCX hoặc văn bản) trước khi bấm «Đọc văn bản».",
    upload_unreadable: "Không đọc được văn bản",
    plan_not_found: "Không có kế hoạch này.",
};

static EN: Texts = Texts {
    app_name: "ytcs — Grassroots health",
    tagline: "Information system of Vietnam's grassroots health network, run by its plans",
    nav_overview: "Overview",
    nav_plans: "Plans",
    nav_targets: "Targets",
    nav_tasks: "Tasks",
    nav_data: "Data",
    nav_records: "Health records",
    nav_network: "Network",
    nav_reports: "Reports",
    nav_admin: "Administration",
    switch_lang: "Tiếng Việt",
    as_of: "As of",
    show: "Show",
    search: "Search",
    search_placeholder: "Unit name or code, with or without diacritics (e.g. Đắk Rve, dak rve, 614)",
    code: "Code",
    name: "Name",
    level: "Level",
    validity: "Valid",
    from: "from",
    until: "until",
    still_valid: "now",
    unknown: "unknown",
    ancestors: "Belongs to",
    children: "Units below",
    history: "History",
    predecessors: "Formed from",
    successors: "Became part of",
    same_code: "Same code at other times",
    none: "None",
    weight: "Population share",
    lineage_kinds: ["Merged whole", "Merged in part", "Renamed", "District level abolished"],
    units_today: "Administrative units today",
    units_before_reform: "Before 1 July 2025",
    reform_note: "Since 1 July 2025 Vietnam has 34 provinces instead of 63, no district level, and 3,321 communes formed from 10,051. ytcs keeps both periods and the lineage between them, so older figures still add up under today's units.",
    provinces: "Provinces",
    results: "Results",
    no_results: "No unit found.",
    not_found: "Page not found.",
    unit_not_found: "No unit carries this code on the chosen date. Check the code or choose another date.",
    bad_date: "Invalid date: use YYYY-MM-DD, e.g. 2025-08-01.",
    server_error: "The server failed. Please try again; if it persists, tell your administrator.",
    coming: "This area arrives in a later release.",
    area_intro: [
        "Plans of People's Committees: legal bases, targets, tasks, budget, reporting duties — read from documents and reviewed here.",
        "Progress of every plan target by unit and year: actual vs target, gap, projection, status.",
        "Tasks assigned to lead units, deadlines, progress updates, overdue tasks.",
        "Aggregate data by form, period and unit; data entry, CSV/XLSX/ADX import, validation.",
        "The commune station's registers: persons, households, immunization, nutrition, NCDs, pregnancies.",
        "Implementation reports in the plan's own structure: DOCX, XLSX, PDF.",
        "Users, roles scoped to units, audit log, data approval, backups.",
    ],
    upload_too_large: "The upload failed or is larger than 25 MB.",
    too_many_fields: "The form has too many fields (over 10,000); it is not a ytcs form.",
    forbidden: "Your role or unit scope does not allow this. Ask an administrator if you need it.",
    forgery_refused: "The form has expired or was not sent from ytcs. Reload the page and send it again.",
    upload_missing: "Choose a plan document (DOCX or text) before pressing «Read document».",
    upload_unreadable: "The document cannot be read",
    plan_not_found: "No such plan.",
};

impl Lang {
    /// The texts of the plan pages in this language.
    pub fn plan(self) -> &'static PlanTexts {
        match self {
            Lang::Vi => &PLAN_VI,
            Lang::En => &PLAN_EN,
        }
    }
}

macro_rules! plan_texts {
    ($($field:ident),* $(,)?) => {
        /// Texts of the plan pages (list, plan, review), one field per message.
        #[derive(Debug)]
        pub struct PlanTexts {
            $(
                #[allow(missing_docs)]
                pub $field: &'static str,
            )*
        }
    };
}

plan_texts!(
    upload_heading,
    upload_hint,
    upload_button,
    number,
    date,
    issuer,
    title,
    status,
    confirmed,
    to_review,
    no_plans,
    legal_bases,
    targets,
    tasks,
    budget,
    reporting,
    recipients,
    signer,
    warnings,
    implemented_by,
    cascade_heading,
    cascade_higher,
    cascade_lower,
    cascade_none,
    implements_here,
    not_in_ytcs,
    review,
    revisions,
    subject,
    indicator,
    comparator,
    value,
    unit,
    year,
    lead,
    coordinating,
    timeframe,
    amount,
    purpose,
    sources,
    what,
    by,
    to,
    when,
    total,
    line,
    source,
    save,
    confirm,
    note,
    delete,
    add_target,
    saved,
    errors_heading,
    review_hint,
    identity,
    open_plan,
    none_linked,
    kind,
    deadline,
    signer_name,
    signer_title,
    signer_body,
    this_is_target,
    selection,
    mark_what,
    mark_new,
    mark_fix,
    mark_heading,
    mark_hint,
    mark_hint_form,
    mark_unread,
    mark_save,
);

static PLAN_VI: PlanTexts = PlanTexts {
    upload_heading: "Đọc văn bản kế hoạch mới",
    upload_hint: "Tệp DOCX hoặc văn bản UTF-8, tối đa 25 MB. Hệ thống đọc căn cứ, chỉ tiêu, nhiệm vụ, kinh phí, chế độ báo cáo; sau đó bạn rà soát và xác nhận.",
    upload_button: "Đọc văn bản",
    number: "Số",
    date: "Ngày",
    issuer: "Cơ quan ban hành",
    title: "Trích yếu",
    status: "Trạng thái",
    confirmed: "Đã xác nhận",
    to_review: "Chưa xác nhận",
    no_plans: "Chưa có kế hoạch nào.",
    legal_bases: "Căn cứ",
    targets: "Chỉ tiêu",
    tasks: "Nhiệm vụ, giải pháp",
    budget: "Kinh phí",
    reporting: "Chế độ báo cáo",
    recipients: "Nơi nhận",
    signer: "Người ký",
    warnings: "Những chỗ cần kiểm tra khi đọc văn bản",
    implemented_by: "Các kế hoạch triển khai kế hoạch này",
    cascade_heading: "Chỉ tiêu của kế hoạch này trong",
    cascade_higher: "Kế hoạch này",
    cascade_lower: "Kế hoạch triển khai",
    cascade_none: "Kế hoạch này không có chỉ tiêu gắn với chỉ số nào để đối chiếu.",
    implements_here: "kế hoạch trong ytcs",
    not_in_ytcs: "chưa có trong ytcs",
    review: "Rà soát, hiệu chỉnh",
    revisions: "Lịch sử hiệu chỉnh",
    subject: "Nội dung",
    indicator: "Chỉ số",
    comparator: "So sánh",
    value: "Giá trị",
    unit: "Đơn vị",
    year: "Năm",
    lead: "Đơn vị chủ trì",
    coordinating: "Đơn vị phối hợp",
    timeframe: "Thời gian thực hiện",
    amount: "Số tiền (đồng)",
    purpose: "Nội dung chi",
    sources: "Nguồn kinh phí",
    what: "Nội dung báo cáo",
    by: "Đơn vị báo cáo",
    to: "Gửi đến",
    when: "Định kỳ, thời hạn",
    total: "Tổng cộng",
    line: "Dòng",
    source: "Văn bản gốc",
    save: "Lưu hiệu chỉnh",
    confirm: "Xác nhận kế hoạch",
    note: "Ghi chú hiệu chỉnh",
    delete: "Xóa",
    add_target: "Thêm chỉ tiêu",
    saved: "Đã lưu hiệu chỉnh. Bản trước được giữ trong lịch sử.",
    errors_heading: "Chưa lưu — hãy sửa các lỗi sau:",
    review_hint: "Bấm số dòng bên cạnh mỗi mục để xem đoạn văn bản gốc tương ứng (được tô sáng). Sửa trực tiếp trong bảng rồi lưu; mỗi lần lưu giữ lại bản trước.",
    identity: "Thông tin văn bản",
    open_plan: "Xem kế hoạch",
    none_linked: "Chưa có kế hoạch nào trong ytcs dẫn chiếu kế hoạch này.",
    kind: "Loại văn bản",
    deadline: "Hạn (ngày/tháng)",
    signer_name: "Họ và tên",
    signer_title: "Chức vụ",
    signer_body: "Thay mặt",
    this_is_target: "Đây là chỉ tiêu",
    selection: "Đoạn chọn",
    mark_what: "Chỉ tiêu mới hay sửa chỉ tiêu đã đọc",
    mark_new: "chỉ tiêu mới",
    mark_fix: "thay chỉ tiêu",
    mark_heading: "Chỉ tiêu từ câu văn bản gốc",
    mark_hint: "Bôi đen phần câu nêu chỉ tiêu rồi bấm «Đây là chỉ tiêu» (không có JavaScript: mở «Đây là chỉ tiêu» ở dòng đó, xóa bớt cho còn phần nêu chỉ tiêu). Mỗi lần sửa được giữ làm ví dụ để đánh giá bộ đọc.",
    mark_hint_form: "Hệ thống đã đọc đoạn chọn như dưới đây; kiểm tra, sửa nếu cần rồi lưu.",
    mark_unread: "Không đọc được số nào trong đoạn chọn: hãy điền giá trị, đơn vị và năm.",
    mark_save: "Lưu chỉ tiêu",
};

static PLAN_EN: PlanTexts = PlanTexts {
    upload_heading: "Read a new plan document",
    upload_hint: "A DOCX or UTF-8 text file, up to 25 MB. ytcs reads legal bases, targets, tasks, budget and reporting duties; then you review and confirm.",
    upload_button: "Read document",
    number: "Number",
    date: "Date",
    issuer: "Issuer",
    title: "Title",
    status: "Status",
    confirmed: "Confirmed",
    to_review: "Not confirmed",
    no_plans: "No plans yet.",
    legal_bases: "Legal bases",
    targets: "Targets",
    tasks: "Tasks and solutions",
    budget: "Budget",
    reporting: "Reporting duties",
    recipients: "Recipients",
    signer: "Signed by",
    warnings: "What to check (read with doubt)",
    implemented_by: "Plans that implement this plan",
    cascade_heading: "This plan's targets in",
    cascade_higher: "This plan",
    cascade_lower: "Implementing plan",
    cascade_none: "This plan has no target linked to an indicator to compare.",
    implements_here: "plan in ytcs",
    not_in_ytcs: "not in ytcs",
    review: "Review and correct",
    revisions: "Corrections",
    subject: "Subject",
    indicator: "Indicator",
    comparator: "Comparator",
    value: "Value",
    unit: "Unit",
    year: "Year",
    lead: "Lead unit",
    coordinating: "Coordinating units",
    timeframe: "Timeframe",
    amount: "Amount (đồng)",
    purpose: "Purpose",
    sources: "Sources",
    what: "What",
    by: "By",
    to: "To",
    when: "Frequency, deadline",
    total: "Total",
    line: "Line",
    source: "Source text",
    save: "Save corrections",
    confirm: "Confirm plan",
    note: "Note on this correction",
    delete: "Delete",
    add_target: "Add a target",
    saved: "Corrections saved. The previous version is kept in the history.",
    errors_heading: "Not saved — please fix:",
    review_hint: "Follow the line number beside an item to see (highlighted) the source text it was read from. Edit in the tables and save; every save keeps the previous version.",
    identity: "Document",
    open_plan: "Open plan",
    none_linked: "No plan in ytcs cites this plan yet.",
    kind: "Kind",
    deadline: "Deadline (day/month)",
    signer_name: "Name",
    signer_title: "Title",
    signer_body: "On behalf of",
    this_is_target: "This is a target",
    selection: "Selected text",
    mark_what: "A new target or a fix of one read",
    mark_new: "a new target",
    mark_fix: "replace target",
    mark_heading: "A target from the source sentence",
    mark_hint: "Select the part of a sentence that states a target and press «This is a target» (without JavaScript: open «This is a target» on that line and trim the text to the target). Every correction is kept as an example to score the reader.",
    mark_hint_form: "This is how the selection was read; check it, correct it if needed, and save.",
    mark_unread: "No number could be read in the selection: fill in the value, unit and year.",
    mark_save: "Save target",
};

impl Lang {
    /// The texts of a unit's network page (and its edit forms) in this language.
    pub fn network(self) -> &'static NetworkTexts {
        match self {
            Lang::Vi => &NETWORK_VI,
            Lang::En => &NETWORK_EN,
        }
    }
}

macro_rules! network_texts {
    ($($field:ident),* $(,)?) => {
        /// Texts of a unit's network page and its edit forms, one field per message.
        #[derive(Debug)]
        pub struct NetworkTexts {
            $(
                #[allow(missing_docs)]
                pub $field: &'static str,
            )*
        }
    };
}

network_texts!(
    title,
    link,
    back,
    indicators,
    indicator,
    pyramid,
    pyramid_none,
    male,
    female,
    staff,
    cadre,
    count,
    facilities,
    villages,
    kind,
    beds,
    status,
    no_data,
    none,
    edit,
    edit_hint,
    add_facility,
    add_staff,
    add_village,
    add_population,
    facility_code,
    facility_name,
    opened,
    staff_code,
    staff_name,
    qualification,
    workplace,
    post_kind,
    post_from,
    village_code,
    village_name,
    village_from,
    year,
    sex,
    age_group,
    save,
    saved,
    errors_heading,
    templates,
    templates_hint,
    table_facilities,
    table_staff,
    table_training,
    table_villages,
    table_population,
);

static NETWORK_VI: NetworkTexts = NetworkTexts {
    title: "Mạng lưới y tế",
    link: "Mạng lưới y tế của đơn vị",
    back: "Về trang đơn vị",
    indicators: "Chỉ số mạng lưới",
    indicator: "Chỉ số",
    pyramid: "Tháp dân số",
    pyramid_none: "Chưa có số liệu dân số theo giới tính và nhóm tuổi.",
    male: "Nam",
    female: "Nữ",
    staff: "Nhân lực theo chức danh",
    cadre: "Chức danh",
    count: "Số người",
    facilities: "Cơ sở y tế",
    villages: "Thôn, bản",
    kind: "Loại hình",
    beds: "Số giường",
    status: "Tình trạng",
    no_data: "—",
    none: "Chưa có.",
    edit: "Cập nhật mạng lưới",
    edit_hint: "Mỗi lần lưu được kiểm tra cùng toàn bộ số liệu đã có; nếu có lỗi thì không ghi gì và dữ liệu bạn nhập được giữ lại để sửa.",
    add_facility: "Thêm cơ sở y tế",
    add_staff: "Thêm nhân viên và vị trí công tác",
    add_village: "Thêm thôn, bản",
    add_population: "Nhập dân số",
    facility_code: "Mã cơ sở",
    facility_name: "Tên cơ sở",
    opened: "Hoạt động từ ngày",
    staff_code: "Mã nhân viên",
    staff_name: "Họ và tên",
    qualification: "Trình độ chuyên môn",
    workplace: "Mã cơ sở làm việc",
    post_kind: "Hình thức",
    post_from: "Từ ngày",
    village_code: "Mã thôn",
    village_name: "Tên thôn, bản",
    village_from: "Có từ ngày",
    year: "Năm",
    sex: "Giới tính",
    age_group: "Nhóm tuổi",
    save: "Lưu",
    saved: "Đã lưu.",
    errors_heading: "Chưa lưu — hãy sửa các lỗi sau:",
    templates: "Tải mẫu nhập liệu",
    templates_hint: "Mỗi bảng có tiêu đề cột tiếng Việt và một dòng ví dụ; nhập bằng lệnh «ytcs network import».",
    table_facilities: "Cơ sở y tế",
    table_staff: "Nhân lực",
    table_training: "Đào tạo",
    table_villages: "Thôn, bản",
    table_population: "Dân số",
};

static NETWORK_EN: NetworkTexts = NetworkTexts {
    title: "Health network",
    link: "Health network of this unit",
    back: "Back to the unit",
    indicators: "Network indicators",
    indicator: "Indicator",
    pyramid: "Population pyramid",
    pyramid_none: "No population by sex and age group yet.",
    male: "Male",
    female: "Female",
    staff: "Staff by cadre",
    cadre: "Cadre",
    count: "People",
    facilities: "Facilities",
    villages: "Villages",
    kind: "Kind",
    beds: "Beds",
    status: "Status",
    no_data: "—",
    none: "None yet.",
    edit: "Update the network",
    edit_hint: "Every save is checked together with everything stored; on any error nothing is written and your input is kept for correction.",
    add_facility: "Add a facility",
    add_staff: "Add a staff member and post",
    add_village: "Add a village",
    add_population: "Enter population",
    facility_code: "Facility code",
    facility_name: "Facility name",
    opened: "Working since",
    staff_code: "Staff code",
    staff_name: "Full name",
    qualification: "Qualification",
    workplace: "Facility code of the post",
    post_kind: "Kind of post",
    post_from: "From",
    village_code: "Village code",
    village_name: "Village name",
    village_from: "Exists since",
    year: "Year",
    sex: "Sex",
    age_group: "Age group",
    save: "Save",
    saved: "Saved.",
    errors_heading: "Not saved — please fix:",
    templates: "Download import templates",
    templates_hint: "Each table has Vietnamese column headers and one example row; import with «ytcs network import».",
    table_facilities: "Facilities",
    table_staff: "Staff",
    table_training: "Training",
    table_villages: "Villages",
    table_population: "Population",
};

impl Lang {
    /// The texts of the task, reporting and budget pages in this language.
    pub fn tracking(self) -> &'static TrackingTexts {
        match self {
            Lang::Vi => &TRACKING_VI,
            Lang::En => &TRACKING_EN,
        }
    }
}

/// Texts of the pages that run a plan (tasks, reports, budget).
#[derive(Debug)]
pub struct TrackingTexts {
    /// Status names: not started, in progress, done, blocked.
    pub statuses: [&'static str; 4],
    /// Report states: upcoming, submitted, late, missing.
    pub report_states: [&'static str; 4],
    #[allow(missing_docs)]
    pub tasks_heading: &'static str,
    #[allow(missing_docs)]
    pub reports_heading: &'static str,
    #[allow(missing_docs)]
    pub filter_unit: &'static str,
    #[allow(missing_docs)]
    pub only_overdue: &'static str,
    #[allow(missing_docs)]
    pub filter: &'static str,
    #[allow(missing_docs)]
    pub plan: &'static str,
    #[allow(missing_docs)]
    pub task: &'static str,
    #[allow(missing_docs)]
    pub lead: &'static str,
    #[allow(missing_docs)]
    pub timeframe: &'static str,
    #[allow(missing_docs)]
    pub due: &'static str,
    #[allow(missing_docs)]
    pub status: &'static str,
    #[allow(missing_docs)]
    pub overdue: &'static str,
    #[allow(missing_docs)]
    pub days_left: &'static str,
    #[allow(missing_docs)]
    pub report: &'static str,
    #[allow(missing_docs)]
    pub unit: &'static str,
    #[allow(missing_docs)]
    pub submitted_on: &'static str,
    #[allow(missing_docs)]
    pub mark_submitted: &'static str,
    #[allow(missing_docs)]
    pub none_tasks: &'static str,
    #[allow(missing_docs)]
    pub none_reports: &'static str,
    #[allow(missing_docs)]
    pub summary: &'static str,
    #[allow(missing_docs)]
    pub updates: &'static str,
    #[allow(missing_docs)]
    pub new_update: &'static str,
    #[allow(missing_docs)]
    pub on: &'static str,
    #[allow(missing_docs)]
    pub progress: &'static str,
    #[allow(missing_docs)]
    pub note: &'static str,
    #[allow(missing_docs)]
    pub evidence: &'static str,
    #[allow(missing_docs)]
    pub evidence_hint: &'static str,
    #[allow(missing_docs)]
    pub save: &'static str,
    #[allow(missing_docs)]
    pub coordinating: &'static str,
    #[allow(missing_docs)]
    pub evidence_too_large: &'static str,
    /// An evidence file of 0 bytes.
    pub evidence_empty: &'static str,
    #[allow(missing_docs)]
    pub evidence_forbidden: &'static str,
    #[allow(missing_docs)]
    pub bad_status: &'static str,
    #[allow(missing_docs)]
    pub bad_date: &'static str,
    #[allow(missing_docs)]
    pub bad_progress: &'static str,
    #[allow(missing_docs)]
    pub bad_budget_line: &'static str,
    #[allow(missing_docs)]
    pub bad_amount: &'static str,
    #[allow(missing_docs)]
    pub committed: &'static str,
    #[allow(missing_docs)]
    pub disbursed: &'static str,
    #[allow(missing_docs)]
    pub rate: &'static str,
    #[allow(missing_docs)]
    pub overrun: &'static str,
    #[allow(missing_docs)]
    pub add_entry: &'static str,
    #[allow(missing_docs)]
    pub commitment: &'static str,
    #[allow(missing_docs)]
    pub disbursement: &'static str,
    #[allow(missing_docs)]
    pub amount: &'static str,
    #[allow(missing_docs)]
    pub source: &'static str,
    #[allow(missing_docs)]
    pub line: &'static str,
    /// Title of a unit's tasks page (before the unit's name).
    pub unit_tasks_title: &'static str,
    /// The unit page's link to it.
    pub unit_tasks_link: &'static str,
    /// Heading: tasks the unit leads.
    pub unit_leads: &'static str,
    /// Heading: tasks the unit helps with.
    pub unit_coordinates: &'static str,
    /// Column: how the plan names the unit.
    pub named_as: &'static str,
    /// What the page lists and how units are matched.
    pub unit_tasks_note: &'static str,
    /// Title of a link to a unit's tasks.
    pub see_unit_tasks: &'static str,
    /// Title of a link naming every commune or district under a unit.
    pub see_units_under: &'static str,
    /// Before the name of the predecessor a plan named.
    pub through: &'static str,
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

static TRACKING_VI: TrackingTexts = TrackingTexts {
    statuses: [
        "Chưa triển khai",
        "Đang thực hiện",
        "Hoàn thành",
        "Vướng mắc",
    ],
    report_states: [
        "Sắp đến hạn",
        "Đã nộp đúng hạn",
        "Nộp muộn",
        "Chưa nộp (quá hạn)",
    ],
    tasks_heading: "Nhiệm vụ có thời hạn",
    reports_heading: "Lịch báo cáo",
    filter_unit: "Đơn vị chủ trì / đơn vị báo cáo",
    only_overdue: "Chỉ việc quá hạn",
    filter: "Lọc",
    plan: "Kế hoạch",
    task: "Nhiệm vụ",
    lead: "Chủ trì",
    timeframe: "Thời gian thực hiện",
    due: "Hạn",
    status: "Tình trạng",
    overdue: "Quá hạn",
    days_left: "Còn (ngày)",
    report: "Báo cáo",
    unit: "Đơn vị",
    submitted_on: "Ngày nộp",
    mark_submitted: "Ghi nhận đã nộp",
    none_tasks: "Không có nhiệm vụ nào phù hợp.",
    none_reports: "Không có báo cáo nào đến hạn.",
    summary: "nhiệm vụ quá hạn; báo cáo chưa nộp hoặc nộp muộn:",
    updates: "Cập nhật tiến độ",
    new_update: "Báo cáo tiến độ mới",
    on: "Ngày",
    progress: "Tiến độ (%)",
    note: "Kết quả, ghi chú",
    evidence: "Tệp minh chứng",
    evidence_hint: "PDF, ảnh JPG/PNG, Word hoặc Excel; tối đa 10 MB.",
    save: "Lưu",
    coordinating: "Phối hợp",
    evidence_too_large: "Tệp minh chứng vượt quá 10 MB hoặc bị lỗi khi tải lên.",
    evidence_empty: "Tệp minh chứng rỗng (0 byte): hãy chọn lại tệp.",
    evidence_forbidden:
        "Loại tệp minh chứng không được chấp nhận (chỉ PDF, JPG, PNG, Word, Excel):",
    bad_status: "Hãy chọn tình trạng nhiệm vụ.",
    bad_date: "Ngày không hợp lệ:",
    bad_progress: "Tiến độ phải là số từ 0 đến 100:",
    bad_budget_line: "Hãy chọn một dòng kinh phí của kế hoạch.",
    bad_amount: "Số tiền phải là số đồng nguyên dương (ví dụ 500.000.000):",
    committed: "Đã cam kết",
    disbursed: "Đã giải ngân",
    rate: "Tỷ lệ giải ngân",
    overrun: "Vượt dự toán",
    add_entry: "Ghi nhận cam kết / giải ngân",
    commitment: "Cam kết",
    disbursement: "Giải ngân",
    amount: "Số tiền (đồng)",
    source: "Nguồn",
    line: "Dòng kinh phí",
    unit_tasks_title: "Nhiệm vụ của",
    unit_tasks_link: "Nhiệm vụ trong các kế hoạch",
    unit_leads: "Chủ trì",
    unit_coordinates: "Phối hợp",
    named_as: "Ghi trong kế hoạch",
    unit_tasks_note: "Mọi nhiệm vụ của các kế hoạch đã lưu mà đơn vị chủ trì hoặc phối hợp, kể cả khi kế hoạch giao cho \"các xã, thị trấn\" của đơn vị cấp trên; quá hạn xếp trước.",
    see_unit_tasks: "Xem các nhiệm vụ của đơn vị",
    see_units_under: "Các đơn vị trực thuộc",
    through: "giao cho đơn vị tiền thân:",
};

static TRACKING_EN: TrackingTexts = TrackingTexts {
    statuses: ["Not started", "In progress", "Done", "Blocked"],
    report_states: ["Upcoming", "Submitted on time", "Late", "Missing (overdue)"],
    tasks_heading: "Tasks with deadlines",
    reports_heading: "Reporting calendar",
    filter_unit: "Lead / reporting unit",
    only_overdue: "Overdue only",
    filter: "Filter",
    plan: "Plan",
    task: "Task",
    lead: "Lead",
    timeframe: "Timeframe",
    due: "Due",
    status: "Status",
    overdue: "Overdue",
    days_left: "Days left",
    report: "Report",
    unit: "Unit",
    submitted_on: "Submitted on",
    mark_submitted: "Record as submitted",
    none_tasks: "No matching task.",
    none_reports: "No report due.",
    summary: "overdue tasks; reports missing or late:",
    updates: "Progress updates",
    new_update: "New progress update",
    on: "Date",
    progress: "Progress (%)",
    note: "Result, note",
    evidence: "Evidence file",
    evidence_hint: "PDF, JPG/PNG picture, Word or Excel; up to 10 MB.",
    save: "Save",
    coordinating: "Coordinating",
    evidence_too_large: "The evidence file is over 10 MB or the upload failed.",
    evidence_empty: "The evidence file is empty (0 bytes): choose the file again.",
    evidence_forbidden:
        "This type of evidence file is not accepted (only PDF, JPG, PNG, Word, Excel):",
    bad_status: "Choose the task's status.",
    bad_date: "Invalid date:",
    bad_progress: "Progress must be a number from 0 to 100:",
    bad_budget_line: "Choose one of the plan's budget lines.",
    bad_amount: "The amount must be a positive whole number of đồng (e.g. 500.000.000):",
    committed: "Committed",
    disbursed: "Disbursed",
    rate: "Execution rate",
    overrun: "Over budget",
    add_entry: "Record a commitment / disbursement",
    commitment: "Commitment",
    disbursement: "Disbursement",
    amount: "Amount (đồng)",
    source: "Source",
    line: "Budget line",
    unit_tasks_title: "Tasks of",
    unit_tasks_link: "Tasks in the plans",
    unit_leads: "Leads",
    unit_coordinates: "Coordinates",
    named_as: "As written in the plan",
    unit_tasks_note: "Every task of the stored plans this unit leads or helps with, including tasks given to \"the communes\" of the unit above it; overdue first.",
    see_unit_tasks: "See the unit's tasks",
    see_units_under: "The units under it",
    through: "given to its predecessor:",
};

impl Lang {
    /// The texts of the scorecard and indicator pages in this language.
    pub fn indicators(self) -> &'static IndicatorTexts {
        match self {
            Lang::Vi => &INDICATORS_VI,
            Lang::En => &INDICATORS_EN,
        }
    }
}

/// Texts of the scorecard, indicator and data-entry pages.
#[derive(Debug)]
pub struct IndicatorTexts {
    /// Status names: achieved, on track, at risk, off track, no data.
    pub statuses: [&'static str; 6],
    #[allow(missing_docs)]
    pub scorecard: &'static str,
    #[allow(missing_docs)]
    pub open_scorecard: &'static str,
    #[allow(missing_docs)]
    pub scorecard_lead: &'static str,
    #[allow(missing_docs)]
    pub target: &'static str,
    #[allow(missing_docs)]
    pub indicator: &'static str,
    #[allow(missing_docs)]
    pub unit: &'static str,
    #[allow(missing_docs)]
    pub due_year: &'static str,
    #[allow(missing_docs)]
    pub actual: &'static str,
    #[allow(missing_docs)]
    pub target_value: &'static str,
    /// The list of communes whose data are missing from a figure.
    pub missing_communes: &'static str,
    /// Said of a unit that ended: its figures stop on its last day.
    pub ended_unit: &'static str,
    #[allow(missing_docs)]
    pub gap: &'static str,
    #[allow(missing_docs)]
    pub projection: &'static str,
    #[allow(missing_docs)]
    pub status: &'static str,
    #[allow(missing_docs)]
    pub sort_by: &'static str,
    #[allow(missing_docs)]
    pub sort_status: &'static str,
    #[allow(missing_docs)]
    pub sort_indicator: &'static str,
    #[allow(missing_docs)]
    pub sort_gap: &'static str,
    #[allow(missing_docs)]
    pub not_linked: &'static str,
    #[allow(missing_docs)]
    pub as_of: &'static str,
    #[allow(missing_docs)]
    pub none_targets: &'static str,
    #[allow(missing_docs)]
    pub indicators: &'static str,
    #[allow(missing_docs)]
    pub indicators_lead: &'static str,
    #[allow(missing_docs)]
    pub trend: &'static str,
    #[allow(missing_docs)]
    pub by_child: &'static str,
    #[allow(missing_docs)]
    pub year: &'static str,
    #[allow(missing_docs)]
    pub value: &'static str,
    #[allow(missing_docs)]
    pub target_line: &'static str,
    #[allow(missing_docs)]
    pub no_data: &'static str,
    #[allow(missing_docs)]
    pub indicator_not_found: &'static str,
    #[allow(missing_docs)]
    pub latest_year: &'static str,
    #[allow(missing_docs)]
    pub show: &'static str,
    #[allow(missing_docs)]
    pub org: &'static str,
    #[allow(missing_docs)]
    pub none_indicators: &'static str,
    #[allow(missing_docs)]
    pub entry_not_found: &'static str,
    #[allow(missing_docs)]
    pub entry_period: &'static str,
    #[allow(missing_docs)]
    pub entry_saved: &'static str,
    #[allow(missing_docs)]
    pub entry_refused: &'static str,
    #[allow(missing_docs)]
    pub entry_field: &'static str,
    #[allow(missing_docs)]
    pub entry_previous: &'static str,
    #[allow(missing_docs)]
    pub entry_hint: &'static str,
    #[allow(missing_docs)]
    pub entry_save: &'static str,
    /// Heading of the validation rules the stored values break.
    pub entry_rules: &'static str,
    /// Flag of a value far from the unit's last periods.
    pub entry_outlier: &'static str,
    /// Beside a value derived from the station's registers.
    pub entry_derived: &'static str,
    #[allow(missing_docs)]
    pub entry_unknown_field: &'static str,
    /// A field changed by someone else since the form was opened.
    pub entry_conflict: &'static str,
    /// How to resolve a conflict.
    pub entry_conflict_hint: &'static str,
    /// "empty", in a conflict message.
    pub entry_conflict_empty: &'static str,
    /// Summary of the hand-link form of an unlinked target.
    pub link_heading: &'static str,
    /// Label: indicator of the catalogue.
    pub link_indicator: &'static str,
    /// Label: unit code.
    pub link_org: &'static str,
    /// Label: due year.
    pub link_year: &'static str,
    /// Button: link.
    pub link_button: &'static str,
    /// Marks a target linked by hand.
    pub linked_by_hand: &'static str,
    /// The link was saved.
    pub link_saved: &'static str,
    /// Heading of a refused link.
    pub link_refused: &'static str,
    /// The plan has no such target.
    pub link_unknown_target: &'static str,
    /// The indicator is not in the catalogue (with data).
    pub link_unknown_indicator: &'static str,
    /// No unit carries the code.
    pub link_unknown_unit: &'static str,
    /// The year is not between 2000 and 2100.
    pub link_bad_year: &'static str,
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

static INDICATORS_VI: IndicatorTexts = IndicatorTexts {
    statuses: [
        "Đạt",
        "Đúng tiến độ",
        "Có nguy cơ",
        "Chậm tiến độ",
        "Không đạt",
        "Chưa có số liệu",
    ],
    scorecard: "Bảng theo dõi chỉ tiêu",
    open_scorecard: "Bảng theo dõi chỉ tiêu (thực hiện so với mục tiêu)",
    scorecard_lead: "Mỗi chỉ tiêu của kế hoạch với đơn vị áp dụng: số thực hiện của năm gần nhất đã kết thúc (sau năm phải đạt: của chính năm đó), mục tiêu, chênh lệch và dự báo theo xu hướng đến năm phải đạt.",
    target: "Chỉ tiêu",
    indicator: "Chỉ số",
    unit: "Đơn vị",
    due_year: "Năm phải đạt",
    actual: "Thực hiện",
    target_value: "Mục tiêu",
    missing_communes: "Xã chưa có số liệu (hoặc sổ chưa đủ) trong số liệu gần nhất",
    ended_unit: "đơn vị đã kết thúc khi sắp xếp đơn vị hành chính; số liệu tính đến ngày",
    gap: "Chênh lệch",
    projection: "Dự báo",
    status: "Đánh giá",
    sort_by: "Sắp xếp theo",
    sort_status: "tình trạng",
    sort_indicator: "chỉ số",
    sort_gap: "chênh lệch",
    not_linked: "Chưa gắn chỉ số hoặc đơn vị",
    as_of: "Tính đến ngày",
    none_targets: "Kế hoạch này không có chỉ tiêu định lượng.",
    indicators: "Chỉ tiêu, chỉ số",
    indicators_lead: "Các chỉ số trong danh mục đã có số liệu; chọn một chỉ số để xem xu hướng qua các năm và so sánh giữa các đơn vị trực thuộc.",
    trend: "Xu hướng qua các năm",
    by_child: "So sánh các đơn vị trực thuộc",
    year: "Năm",
    value: "Giá trị",
    target_line: "Mục tiêu",
    no_data: "Chưa có số liệu",
    indicator_not_found: "Không có chỉ số này trong danh mục.",
    latest_year: "năm",
    show: "Xem",
    org: "Mã đơn vị",
    none_indicators: "Chưa có chỉ số nào có số liệu.",
    entry_not_found: "Không có biểu mẫu này: hãy chọn bộ số liệu, mã đơn vị và kỳ báo cáo phù hợp (ví dụ set=commune_monthly&org=…&period=2025-08).",
    entry_period: "Kỳ báo cáo",
    entry_saved: "Đã lưu số liệu.",
    entry_refused: "Chưa lưu gì: hãy sửa các ô sau rồi lưu lại.",
    entry_field: "Chỉ tiêu dữ liệu",
    entry_previous: "Kỳ trước",
    entry_hint: "Nhập số theo cách viết Việt Nam (1.234,5); để trống là không có số liệu. Phím Tab chuyển sang ô tiếp theo, Enter để lưu.",
    entry_save: "Lưu số liệu",
    entry_unknown_field: "Biểu mẫu không có ô này",
    entry_conflict: "người khác đã lưu giá trị mới trong lúc bạn nhập:",
    entry_conflict_hint: "Chưa lưu gì. Ô này nay hiện giá trị của bạn; hãy kiểm tra rồi bấm Lưu lại nếu giữ giá trị của bạn.",
    entry_conflict_empty: "(trống)",
    entry_rules: "Số liệu đã lưu không thỏa quy tắc kiểm tra (hãy xem lại trước khi gửi duyệt):",
    entry_outlier: "Bất thường so với các kỳ trước",
    entry_derived: "Tính từ sổ sách của trạm",
    link_heading: "Gắn với chỉ số",
    link_indicator: "Chỉ số",
    link_org: "Mã đơn vị",
    link_year: "Năm cần đạt",
    link_button: "Gắn",
    linked_by_hand: "gắn thủ công",
    link_saved: "Đã gắn chỉ tiêu với chỉ số.",
    link_refused: "Chưa gắn được:",
    link_unknown_target: "Kế hoạch không có chỉ tiêu này.",
    link_unknown_indicator: "Chỉ số không có trong danh mục (hoặc chưa có nguồn số liệu).",
    link_unknown_unit: "Không có đơn vị nào mang mã này.",
    link_bad_year: "Năm cần đạt phải từ 2000 đến 2100.",
};

static INDICATORS_EN: IndicatorTexts = IndicatorTexts {
    statuses: ["Achieved", "On track", "At risk", "Off track", "Not achieved", "No data"],
    scorecard: "Target scorecard",
    open_scorecard: "Target scorecard (actual against target)",
    scorecard_lead: "Each target of the plan with the unit it applies to: the actual of the latest year that is over (once the due year is over: of that year), the target, the gap and the trend projected to the due year.",
    target: "Target",
    indicator: "Indicator",
    unit: "Unit",
    due_year: "Due year",
    actual: "Actual",
    target_value: "Target",
    missing_communes: "Communes without data (or with incomplete registers) in the latest figure",
    ended_unit: "ended in the administrative reform; figures up to",
    gap: "Gap",
    projection: "Projection",
    status: "Status",
    sort_by: "Sort by",
    sort_status: "status",
    sort_indicator: "indicator",
    sort_gap: "gap",
    not_linked: "No indicator or unit linked",
    as_of: "As of",
    none_targets: "This plan has no quantified targets.",
    indicators: "Targets and indicators",
    indicators_lead: "The catalogue's indicators that have data; choose one to see its trend across years and its child units compared.",
    trend: "Trend across years",
    by_child: "Child units compared",
    year: "Year",
    value: "Value",
    target_line: "Target",
    no_data: "No data",
    indicator_not_found: "No such indicator in the catalogue.",
    latest_year: "year",
    show: "Show",
    org: "Unit code",
    none_indicators: "No indicator has data yet.",
    entry_not_found: "No such form: choose a data set, a unit code and a period that fits it (e.g. set=commune_monthly&org=…&period=2025-08).",
    entry_period: "Period",
    entry_saved: "Data saved.",
    entry_refused: "Nothing was saved: correct these fields and save again.",
    entry_field: "Data element",
    entry_previous: "Previous period",
    entry_hint: "Type numbers the Vietnamese way (1.234,5); leave empty for no data. Tab moves to the next field, Enter saves.",
    entry_save: "Save data",
    entry_unknown_field: "The form has no such field",
    entry_conflict: "someone else saved a new value while you were entering:",
    entry_conflict_hint: "Nothing was saved. The field now shows your value; check it and save again to keep yours.",
    entry_conflict_empty: "(empty)",
    entry_rules: "The stored values break validation rules (check them before submitting):",
    entry_outlier: "Unusual against past periods",
    entry_derived: "Derived from the station's registers",
    link_heading: "Link to an indicator",
    link_indicator: "Indicator",
    link_org: "Unit code",
    link_year: "Due year",
    link_button: "Link",
    linked_by_hand: "linked by hand",
    link_saved: "The target is linked to the indicator.",
    link_refused: "Not linked:",
    link_unknown_target: "The plan has no such target.",
    link_unknown_indicator: "The indicator is not in the catalogue (or has no data source yet).",
    link_unknown_unit: "No unit carries this code.",
    link_bad_year: "The due year must be between 2000 and 2100.",
};

impl Lang {
    /// Texts of sign-in, passwords, accounts and the audit log.
    pub fn auth(self) -> &'static AuthTexts {
        match self {
            Lang::Vi => &AUTH_VI,
            Lang::En => &AUTH_EN,
        }
    }
}

/// Texts of sign-in, passwords, accounts and the audit log.
#[derive(Debug)]
pub struct AuthTexts {
    /// Sign-in page title.
    pub sign_in: &'static str,
    /// Username label.
    pub username: &'static str,
    /// Password label.
    pub password: &'static str,
    /// Sign-out button.
    pub sign_out: &'static str,
    /// Wrong username or password.
    pub bad_credentials: &'static str,
    /// Too many failed attempts.
    pub too_many_attempts: &'static str,
    /// Change-password page title.
    pub change_password: &'static str,
    /// Current password label.
    pub current_password: &'static str,
    /// New password label.
    pub new_password: &'static str,
    /// Confirm label.
    pub confirm_password: &'static str,
    /// Must change the password first.
    pub must_change: &'static str,
    /// Password changed.
    pub password_changed: &'static str,
    /// The current password is wrong.
    pub wrong_current: &'static str,
    /// New password too short.
    pub too_short: &'static str,
    /// New password equals the username.
    pub same_as_username: &'static str,
    /// A password people try first, or as easy to guess.
    pub common_password: &'static str,
    /// A password longer than allowed.
    pub password_too_long: &'static str,
    /// The two copies differ.
    pub mismatch: &'static str,
    /// Accounts page title.
    pub accounts: &'static str,
    /// Display name label.
    pub display_name: &'static str,
    /// Role label.
    pub role: &'static str,
    /// Scope label.
    pub scope: &'static str,
    /// Scope hint.
    pub scope_hint: &'static str,
    /// Active label.
    pub active: &'static str,
    /// Create button.
    pub create: &'static str,
    /// Save button.
    pub save: &'static str,
    /// Reset-password button.
    pub reset: &'static str,
    /// Shown once after create or reset: the temporary password.
    pub temporary_password: &'static str,
    /// A scope code is not a unit code.
    pub bad_scope: &'static str,
    /// A scope naming a unit code no unit ever carried.
    pub unknown_scope_unit: &'static str,
    /// Demoting or deactivating the last active administrator.
    pub last_admin: &'static str,
    /// A username is invalid or taken.
    pub bad_username: &'static str,
    /// The account was saved.
    pub saved: &'static str,
    /// No such account.
    pub no_account: &'static str,
    /// Signed in as.
    pub signed_in_as: &'static str,
    /// Administration area title.
    pub admin_title: &'static str,
    /// Audit log title.
    pub audit: &'static str,
    /// Audit log lead.
    pub audit_lead: &'static str,
    /// Column: when.
    pub when: &'static str,
    /// Column: who.
    pub who: &'static str,
    /// Column: action.
    pub action: &'static str,
    /// Column: object.
    pub object: &'static str,
    /// Column: unit.
    pub unit: &'static str,
    /// Column: change.
    pub change: &'static str,
    /// Filter: from.
    pub from: &'static str,
    /// Filter: to.
    pub to: &'static str,
    /// Filter button.
    pub filter: &'static str,
    /// No entries.
    pub no_entries: &'static str,
}

static AUTH_VI: AuthTexts = AuthTexts {
    sign_in: "Đăng nhập",
    username: "Tên đăng nhập",
    password: "Mật khẩu",
    sign_out: "Đăng xuất",
    bad_credentials: "Sai tên đăng nhập hoặc mật khẩu.",
    too_many_attempts: "Đăng nhập sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại, hoặc đề nghị quản trị viên đặt lại mật khẩu.",
    change_password: "Đổi mật khẩu",
    current_password: "Mật khẩu hiện tại",
    new_password: "Mật khẩu mới",
    confirm_password: "Nhập lại mật khẩu mới",
    must_change: "Bạn cần đặt mật khẩu mới trước khi tiếp tục.",
    password_changed: "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đóng.",
    wrong_current: "Mật khẩu hiện tại không đúng.",
    too_short: "Mật khẩu mới cần ít nhất 10 ký tự.",
    same_as_username: "Mật khẩu mới không được trùng tên đăng nhập.",
    common_password: "Mật khẩu này quá dễ đoán (mật khẩu phổ biến, lặp một ký tự hoặc một dãy phím liền nhau). Hãy chọn một câu dài dễ nhớ.",
    password_too_long: "Mật khẩu dài quá 256 ký tự.",
    mismatch: "Hai lần nhập mật khẩu mới không khớp nhau.",
    accounts: "Tài khoản người dùng",
    display_name: "Họ và tên",
    role: "Vai trò",
    scope: "Phạm vi (mã đơn vị)",
    scope_hint: "Mã các đơn vị mà người dùng làm việc, cách nhau bởi dấu cách, ví dụ 51 hoặc 23479 23482.",
    active: "Đang hoạt động",
    create: "Tạo tài khoản",
    save: "Lưu",
    reset: "Đặt lại mật khẩu",
    temporary_password: "Mật khẩu tạm thời (chỉ hiện một lần, người dùng phải đổi khi đăng nhập)",
    bad_scope: "Phạm vi chỉ gồm các mã đơn vị (chữ, số, '-', '_', '.'), cách nhau bởi dấu cách.",
    unknown_scope_unit: "Phạm vi có mã đơn vị không tồn tại. Hãy kiểm tra lại mã xã, phường hoặc tỉnh.",
    last_admin: "Đây là quản trị viên duy nhất còn hoạt động: không thể hạ quyền hay khóa tài khoản này. Hãy tạo một quản trị viên khác trước.",
    bad_username: "Tên đăng nhập không hợp lệ hoặc đã có người dùng: dùng chữ không dấu, số, '.', '_' hoặc '-'.",
    saved: "Đã lưu.",
    no_account: "Không có tài khoản này.",
    signed_in_as: "Đang đăng nhập",
    admin_title: "Quản trị",
    audit: "Nhật ký hoạt động",
    audit_lead: "Mọi thao tác ghi (ai, khi nào, đối tượng nào, trước → sau) và mọi lần xem dữ liệu cá nhân. Nhật ký chỉ được ghi thêm, không sửa hay xóa được.",
    when: "Thời điểm",
    who: "Người thực hiện",
    action: "Thao tác",
    object: "Đối tượng",
    unit: "Đơn vị",
    change: "Thay đổi",
    from: "Từ ngày",
    to: "Đến ngày",
    filter: "Lọc",
    no_entries: "Không có mục nào.",
};

static AUTH_EN: AuthTexts = AuthTexts {
    sign_in: "Sign in",
    username: "Username",
    password: "Password",
    sign_out: "Sign out",
    bad_credentials: "Wrong username or password.",
    too_many_attempts: "Too many failed sign-ins. Wait 15 minutes and try again, or ask an administrator to reset the password.",
    change_password: "Change password",
    current_password: "Current password",
    new_password: "New password",
    confirm_password: "New password again",
    must_change: "Choose a new password before going on.",
    password_changed: "Password changed. Your other sessions were closed.",
    wrong_current: "The current password is wrong.",
    too_short: "The new password needs at least 10 characters.",
    same_as_username: "The new password must not be the username.",
    common_password: "This password is too easy to guess (a common password, one character repeated or a run of keys). Choose a long phrase you remember.",
    password_too_long: "The password is longer than 256 characters.",
    mismatch: "The two copies of the new password differ.",
    accounts: "User accounts",
    display_name: "Full name",
    role: "Role",
    scope: "Scope (unit codes)",
    scope_hint: "Codes of the units the user works in, separated by spaces, e.g. 51 or 23479 23482.",
    active: "Active",
    create: "Create account",
    save: "Save",
    reset: "Reset password",
    temporary_password: "Temporary password (shown once; the user must change it at sign-in)",
    bad_scope: "A scope is unit codes (letters, digits, '-', '_', '.') separated by spaces.",
    unknown_scope_unit: "The scope names a unit code that does not exist. Check the commune, ward or province codes.",
    last_admin: "This is the only active administrator: it cannot be demoted or deactivated. Create another administrator first.",
    bad_username: "The username is invalid or taken: use letters without accents, digits, '.', '_' or '-'.",
    saved: "Saved.",
    no_account: "No such account.",
    signed_in_as: "Signed in as",
    admin_title: "Administration",
    audit: "Audit log",
    audit_lead: "Every write (who, when, what, old → new) and every read of person-level data. The log is append-only: it cannot be changed or deleted.",
    when: "When",
    who: "Who",
    action: "Action",
    object: "Object",
    unit: "Unit",
    change: "Change",
    from: "From",
    to: "To",
    filter: "Filter",
    no_entries: "No entries.",
};

impl Lang {
    /// Texts of data approval.
    pub fn approval(self) -> &'static ApprovalTexts {
        match self {
            Lang::Vi => &APPROVAL_VI,
            Lang::En => &APPROVAL_EN,
        }
    }
}

/// Texts of data approval.
#[derive(Debug)]
pub struct ApprovalTexts {
    /// Panel title.
    pub title: &'static str,
    /// State names: open, submitted, approved.
    pub states: [&'static str; 3],
    /// "by".
    pub by: &'static str,
    /// Submit button.
    pub submit: &'static str,
    /// Approve button.
    pub approve: &'static str,
    /// Return button.
    pub return_: &'static str,
    /// Unlock button.
    pub unlock: &'static str,
    /// Reason label.
    pub reason: &'static str,
    /// The data is locked.
    pub locked: &'static str,
    /// A write refused because the period is approved.
    pub locked_refused: &'static str,
    /// Cannot approve one's own submission.
    pub own_submission: &'static str,
    /// A move that does not fit the state.
    pub illegal: &'static str,
    /// Return and unlock need a reason.
    pub reason_required: &'static str,
}

static APPROVAL_VI: ApprovalTexts = ApprovalTexts {
    title: "Phê duyệt số liệu",
    states: ["Chưa gửi duyệt", "Đã gửi, chờ duyệt", "Đã duyệt và khóa"],
    by: "bởi",
    submit: "Gửi duyệt",
    approve: "Duyệt và khóa",
    return_: "Trả lại để sửa",
    unlock: "Mở khóa",
    reason: "Lý do (bắt buộc khi trả lại hoặc mở khóa)",
    locked: "Số liệu kỳ này đã được duyệt và khóa: không sửa được cho đến khi cấp trên mở khóa.",
    locked_refused: "Không lưu: số liệu của đơn vị trong kỳ này đã được duyệt và khóa. Hãy đề nghị cấp duyệt mở khóa trước khi sửa.",
    own_submission: "Không thể tự duyệt số liệu do chính mình gửi: cần một người duyệt khác.",
    illegal: "Thao tác này không phù hợp với trạng thái hiện tại của số liệu (hãy tải lại trang).",
    reason_required: "Hãy ghi lý do khi trả lại hoặc mở khóa.",
};

static APPROVAL_EN: ApprovalTexts = ApprovalTexts {
    title: "Data approval",
    states: ["Not submitted", "Submitted, awaiting approval", "Approved and locked"],
    by: "by",
    submit: "Submit for approval",
    approve: "Approve and lock",
    return_: "Return for correction",
    unlock: "Unlock",
    reason: "Reason (required to return or unlock)",
    locked: "This period's data is approved and locked: it cannot change until the approver unlocks it.",
    locked_refused: "Not saved: the unit's data for this period is approved and locked. Ask the approver to unlock it first.",
    own_submission: "You cannot approve data you submitted yourself: another reviewer must.",
    illegal: "This move does not fit the data's current state (reload the page).",
    reason_required: "Give a reason to return or unlock.",
};

/// Texts of the plan report (the form on the plan page, the report page
/// and its refusals). The report itself is a Vietnamese document in both
/// languages.
#[derive(Debug)]
pub struct ReportTexts {
    /// Heading of the form and the page.
    pub heading: &'static str,
    /// What the form does.
    pub intro: &'static str,
    /// Label of the unit field.
    pub org: &'static str,
    /// Placeholder of the unit field.
    pub org_placeholder: &'static str,
    /// Label of the year field.
    pub year: &'static str,
    /// Button: the printable page.
    pub view_html: &'static str,
    /// Button: Word.
    pub download_docx: &'static str,
    /// Button: Excel.
    pub download_xlsx: &'static str,
    /// Button: PDF.
    pub download_pdf: &'static str,
    /// Hint above the page to print it.
    pub print_hint: &'static str,
    /// Link back to the plan.
    pub back: &'static str,
    /// No unit carries the code in the year.
    pub unknown_org: &'static str,
    /// The year is not a number in 2000–2100.
    pub bad_year: &'static str,
    /// The format is none of html, docx, xlsx, pdf.
    pub bad_format: &'static str,
    /// No unit was given and the plan's issuer is no unit.
    pub no_default_org: &'static str,
}

static REPORT_VI: ReportTexts = ReportTexts {
    heading: "Báo cáo kết quả thực hiện",
    intro: "Báo cáo theo cấu trúc của kế hoạch: chỉ tiêu, nhiệm vụ, chế độ báo cáo, kinh phí và Bộ tiêu chí quốc gia về y tế xã của các xã trong đơn vị, cho một năm.",
    org: "Mã đơn vị",
    org_placeholder: "mặc định: đơn vị ban hành",
    year: "Năm",
    view_html: "Xem bản in (HTML)",
    download_docx: "Tải Word (DOCX)",
    download_xlsx: "Tải Excel (XLSX)",
    download_pdf: "Tải PDF",
    print_hint: "In trang này (Ctrl+P) hoặc tải về:",
    back: "Về kế hoạch",
    unknown_org: "Không có đơn vị nào mang mã này trong năm đã chọn.",
    bad_year: "Năm không hợp lệ: hãy nhập một năm từ 2000 đến 2100.",
    bad_format: "Định dạng không hợp lệ: chọn html, docx, xlsx hoặc pdf.",
    no_default_org: "Không xác định được đơn vị ban hành kế hoạch: hãy nhập mã đơn vị.",
};

static REPORT_EN: ReportTexts = ReportTexts {
    heading: "Implementation report",
    intro: "A report in the plan's structure: targets, tasks, reporting duties, budget and the commune-health criteria of the unit's communes, for one year.",
    org: "Unit code",
    org_placeholder: "default: the issuing unit",
    year: "Year",
    view_html: "Printable page (HTML)",
    download_docx: "Download Word (DOCX)",
    download_xlsx: "Download Excel (XLSX)",
    download_pdf: "Download PDF",
    print_hint: "Print this page (Ctrl+P) or download:",
    back: "Back to the plan",
    unknown_org: "No unit carries this code in the chosen year.",
    bad_year: "Invalid year: enter a year from 2000 to 2100.",
    bad_format: "Invalid format: choose html, docx, xlsx or pdf.",
    no_default_org: "The plan's issuing unit is not known: enter a unit code.",
};

impl Lang {
    /// Texts of the plan report in this language.
    pub fn report(self) -> &'static ReportTexts {
        match self {
            Lang::Vi => &REPORT_VI,
            Lang::En => &REPORT_EN,
        }
    }
}
impl Lang {
    /// Texts of the data area (`/data`: entry, import, export).
    pub fn data(self) -> &'static DataTexts {
        match self {
            Lang::Vi => &DATA_VI,
            Lang::En => &DATA_EN,
        }
    }
}

/// Texts of the data area: opening a form, importing and exporting values.
#[derive(Debug)]
pub struct DataTexts {
    /// Lead paragraph.
    pub lead: &'static str,
    /// Heading: open an entry form.
    pub entry_heading: &'static str,
    /// Label: data set.
    pub entry_set: &'static str,
    /// Label: unit code.
    pub entry_org: &'static str,
    /// Label: period.
    pub entry_period: &'static str,
    /// Button: open the form.
    pub entry_open: &'static str,
    /// Heading: import a file.
    pub import_heading: &'static str,
    /// What an import file holds and how it is checked.
    pub import_hint: &'static str,
    /// Label of the file field.
    pub import_file: &'static str,
    /// Button: import.
    pub import_button: &'static str,
    /// "Imported {values} value(s), {changed} changed."
    pub imported: &'static str,
    /// Heading of the list of refusals.
    pub refused: &'static str,
    /// No file chosen.
    pub no_file: &'static str,
    /// "The unit {unit} ({name}) is outside your scope …"
    pub out_of_scope: &'static str,
    /// "… {unit} … {period} … {approved} … locked."
    pub locked: &'static str,
    /// Heading: export.
    pub export_heading: &'static str,
    /// What an export holds.
    pub export_hint: &'static str,
    /// Label: format.
    pub export_format: &'static str,
    /// Label: only this period.
    pub export_period: &'static str,
    /// Button: export.
    pub export_button: &'static str,
    /// A period that is not one.
    pub bad_period: &'static str,
    /// Too many values for one worksheet.
    pub too_many: &'static str,
}

static DATA_VI: DataTexts = DataTexts {
    lead: "Nhập số liệu theo biểu, nhập cả tệp số liệu (CSV, Excel, ADX) và xuất số liệu đã lưu.",
    entry_heading: "Nhập theo biểu",
    entry_set: "Biểu",
    entry_org: "Mã đơn vị",
    entry_period: "Kỳ (ví dụ 2025-06 hoặc 2025)",
    entry_open: "Mở biểu",
    import_heading: "Nhập tệp số liệu",
    import_hint: "Tệp CSV, Excel (XLSX) hoặc ADX với các cột Mã chỉ tiêu (element), Mã đơn vị (org), Kỳ (period), Phân tổ (disagg), Giá trị (value). Nhập tất cả hoặc không nhập gì: mọi dòng lỗi được nêu theo số dòng, mọi đơn vị phải thuộc phạm vi của bạn.",
    import_file: "Tệp",
    import_button: "Nhập tệp",
    imported: "Đã nhập {values} giá trị ({changed} giá trị thay đổi).",
    refused: "Không nhập gì. Lý do:",
    no_file: "Hãy chọn một tệp CSV, XLSX hoặc ADX để nhập.",
    out_of_scope: "Đơn vị {unit} ({name}) không thuộc phạm vi nhập liệu của bạn: cả tệp bị từ chối, không giá trị nào được ghi.",
    locked: "Số liệu của đơn vị {unit} kỳ {period} nằm trong kỳ {approved} đã được duyệt và khóa: cả tệp bị từ chối. Hãy đề nghị cấp duyệt mở khóa trước khi nhập.",
    export_heading: "Xuất số liệu",
    export_hint: "Tất cả giá trị đã lưu, hoặc chỉ một kỳ (ví dụ 2025, 2025-06). Excel: các cột như CSV, giá trị là số.",
    export_format: "Định dạng",
    export_period: "Kỳ",
    export_button: "Xuất",
    bad_period: "Kỳ không hợp lệ (ví dụ 2025, 2025S1, 2025Q2, 2025-06).",
    too_many: "Quá nhiều giá trị cho một trang tính Excel: hãy xuất theo kỳ hoặc dạng CSV.",
};

static DATA_EN: DataTexts = DataTexts {
    lead: "Enter data by form, import whole files of values (CSV, Excel, ADX) and export what is stored.",
    entry_heading: "Enter by form",
    entry_set: "Data set",
    entry_org: "Unit code",
    entry_period: "Period (e.g. 2025-06 or 2025)",
    entry_open: "Open the form",
    import_heading: "Import a file of values",
    import_hint: "A CSV, Excel (XLSX) or ADX file with the columns element, org, period, disagg, value (Vietnamese headers accepted). All or nothing: every bad row is named by its number, and every unit must be within your scope.",
    import_file: "File",
    import_button: "Import",
    imported: "Imported {values} value(s) ({changed} changed).",
    refused: "Nothing was imported:",
    no_file: "Choose a CSV, XLSX or ADX file to import.",
    out_of_scope: "The unit {unit} ({name}) is outside your data-entry scope: the whole file is refused, no value was written.",
    locked: "The values of unit {unit} for {period} fall in the approved and locked period {approved}: the whole file is refused. Ask the approver to unlock it first.",
    export_heading: "Export values",
    export_hint: "Every stored value, or one period only (e.g. 2025, 2025-06). Excel: the CSV's columns, values as numbers.",
    export_format: "Format",
    export_period: "Period",
    export_button: "Export",
    bad_period: "Not a period (e.g. 2025, 2025S1, 2025Q2, 2025-06).",
    too_many: "Too many values for one Excel worksheet: export one period, or as CSV.",
};

impl Lang {
    /// Texts of a unit's dashboard.
    pub fn dashboard(self) -> &'static DashboardTexts {
        match self {
            Lang::Vi => &DASHBOARD_VI,
            Lang::En => &DASHBOARD_EN,
        }
    }
}

/// Texts of a unit's dashboard (`/org/CODE/dashboard`).
#[derive(Debug)]
pub struct DashboardTexts {
    /// Page title and the link to it.
    pub title: &'static str,
    /// Lead paragraph.
    pub lead: &'static str,
    /// "as of".
    pub as_of: &'static str,
    /// "evaluated as of" (a unit that had ended).
    pub evaluated_at: &'static str,
    /// "Show".
    pub show: &'static str,
    /// Heading: headline indicators.
    pub headline: &'static str,
    /// Column: indicator.
    pub indicator: &'static str,
    /// Column: latest value.
    pub latest: &'static str,
    /// Column: previous year.
    pub previous: &'static str,
    /// Column: trend.
    pub trend: &'static str,
    /// No indicator has data.
    pub none_indicators: &'static str,
    /// Heading: plan targets of the unit.
    pub targets: &'static str,
    /// No target applies.
    pub none_targets: &'static str,
    /// Column: plan.
    pub plan: &'static str,
    /// Column: target.
    pub target: &'static str,
    /// Column: actual.
    pub actual: &'static str,
    /// Column: status.
    pub status: &'static str,
    /// Heading: child units ranked.
    pub children: &'static str,
    /// The unit has no child units.
    pub none_children: &'static str,
    /// Column: rank.
    pub rank: &'static str,
    /// Column: unit.
    pub unit: &'static str,
    /// Label: rank on indicator.
    pub rank_on: &'static str,
    /// Heading: data-entry completeness.
    pub completeness: &'static str,
    /// "{n} of {total} communes have values in the monthly report of {period}."
    pub completeness_text: &'static str,
    /// No commune entered data in the last twelve months.
    pub completeness_none: &'static str,
    /// Heading: reminders.
    pub reminders: &'static str,
    /// Overdue tasks.
    pub overdue_tasks: &'static str,
    /// Late or missing reports.
    pub late_reports: &'static str,
    /// Nothing overdue.
    pub none_reminders: &'static str,
    /// "due".
    pub due: &'static str,
    /// Link to every task.
    pub all_tasks: &'static str,
    /// A missing value.
    pub no_data: &'static str,
    /// Names of report states: late, missing.
    pub late: &'static str,
    /// A report not handed in.
    pub missing: &'static str,
}

static DASHBOARD_VI: DashboardTexts = DashboardTexts {
    title: "Bảng điều khiển",
    lead: "Chỉ số chính, chỉ tiêu kế hoạch, xếp hạng đơn vị trực thuộc, tiến độ nhập số liệu và việc cần nhắc của đơn vị.",
    as_of: "tại ngày",
    evaluated_at: "đơn vị đã kết thúc, số liệu tính đến ngày",
    show: "Xem",
    headline: "Chỉ số chính",
    indicator: "Chỉ số",
    latest: "Năm gần nhất",
    previous: "Năm trước",
    trend: "Xu hướng",
    none_indicators: "Chưa có chỉ số nào có số liệu cho đơn vị này.",
    targets: "Chỉ tiêu kế hoạch của đơn vị",
    none_targets: "Chưa có chỉ tiêu kế hoạch nào gắn với đơn vị này.",
    plan: "Kế hoạch",
    target: "Chỉ tiêu",
    actual: "Thực hiện",
    status: "Đánh giá",
    children: "Xếp hạng đơn vị trực thuộc",
    none_children: "Đơn vị không có đơn vị trực thuộc.",
    rank: "Hạng",
    unit: "Đơn vị",
    rank_on: "Theo chỉ số",
    completeness: "Tiến độ nhập số liệu",
    completeness_text: "{n}/{total} xã có số liệu Báo cáo tháng của trạm y tế xã kỳ {period}.",
    completeness_none: "Chưa có xã nào nhập số liệu báo cáo tháng trong 12 tháng gần đây.",
    reminders: "Nhắc việc",
    overdue_tasks: "Nhiệm vụ quá hạn",
    late_reports: "Báo cáo nộp chậm hoặc chưa nộp",
    none_reminders: "Không có việc quá hạn.",
    due: "hạn",
    all_tasks: "Xem tất cả nhiệm vụ và lịch báo cáo",
    no_data: "Chưa có số liệu",
    late: "Nộp chậm",
    missing: "Chưa nộp",
};

static DASHBOARD_EN: DashboardTexts = DashboardTexts {
    title: "Dashboard",
    lead: "The unit's headline indicators, plan targets, child units ranked, data-entry completeness and reminders.",
    as_of: "as of",
    evaluated_at: "the unit has ended; figures as of",
    show: "Show",
    headline: "Headline indicators",
    indicator: "Indicator",
    latest: "Latest year",
    previous: "Year before",
    trend: "Trend",
    none_indicators: "No indicator has data for this unit yet.",
    targets: "Plan targets of the unit",
    none_targets: "No plan target is linked to this unit yet.",
    plan: "Plan",
    target: "Target",
    actual: "Actual",
    status: "Status",
    children: "Child units ranked",
    none_children: "The unit has no child units.",
    rank: "Rank",
    unit: "Unit",
    rank_on: "On indicator",
    completeness: "Data-entry completeness",
    completeness_text: "{n} of {total} communes have values in the commune station monthly report of {period}.",
    completeness_none: "No commune entered monthly data in the last twelve months.",
    reminders: "Reminders",
    overdue_tasks: "Overdue tasks",
    late_reports: "Late or missing reports",
    none_reminders: "Nothing is overdue.",
    due: "due",
    all_tasks: "All tasks and the reporting calendar",
    no_data: "No data",
    late: "Late",
    missing: "Missing",
};

impl Lang {
    /// Texts of the registers (persons, records, printable registers).
    pub fn registers(self) -> &'static RegisterTexts {
        match self {
            Lang::Vi => &REGISTER_VI,
            Lang::En => &REGISTER_EN,
        }
    }
}

/// Texts of the registers: finding and registering persons, the health
/// record of QĐ 831, the printable registers and the due lists.
#[derive(Debug)]
pub struct RegisterTexts {
    /// Warning on an implausible measurement.
    pub abnormal: &'static str,
    /// Note that views are logged.
    pub audited_note: &'static str,
    /// A date that is not one.
    pub bad_date: &'static str,
    /// A year of birth that is not one.
    pub bad_year: &'static str,
    /// Label: date of birth.
    pub birth_date: &'static str,
    /// Label: year of birth.
    pub birth_year: &'static str,
    /// Label: which register.
    pub book: &'static str,
    /// Title: examination register.
    pub book_examinations: &'static str,
    /// Title: growth register.
    pub book_growth: &'static str,
    /// Title: immunization register.
    pub book_immunizations: &'static str,
    /// Title: NCD register.
    pub book_ncd: &'static str,
    /// Title: pregnancy register.
    pub book_pregnancies: &'static str,
    /// Label: card valid from.
    pub card_from: &'static str,
    /// Label: card number.
    pub card_number: &'static str,
    /// Label: card valid to.
    pub card_to: &'static str,
    /// Heading: cards.
    pub cards: &'static str,
    /// Label: cause of death.
    pub cause: &'static str,
    /// Label: choose a commune.
    pub choose_commune: &'static str,
    /// Column: age.
    pub col_age: &'static str,
    /// Column: antenatal visits.
    pub col_anc: &'static str,
    /// Column: blood pressure.
    pub col_bp: &'static str,
    /// Column: date.
    pub col_date: &'static str,
    /// Column: details.
    pub col_detail: &'static str,
    /// Column/label: disease.
    pub col_disease: &'static str,
    /// Column/label: dose.
    pub col_dose: &'static str,
    /// Column: due from.
    pub col_due_on: &'static str,
    /// Column/label: expected delivery.
    pub col_expected: &'static str,
    /// Column: moved from.
    pub col_from: &'static str,
    /// Column/label: glucose.
    pub col_glucose: &'static str,
    /// Column/label: ICD-10.
    pub col_icd10: &'static str,
    /// Column/label: paid by insurance.
    pub col_insured: &'static str,
    /// Column: kind.
    pub col_kind: &'static str,
    /// Column: last follow-up.
    pub col_last_follow_up: &'static str,
    /// Column: measurement.
    pub col_measure: &'static str,
    /// Column/label: outcome.
    pub col_outcome: &'static str,
    /// Column: registration.
    pub col_registered: &'static str,
    /// Column/label: screened.
    pub col_screened: &'static str,
    /// Column: status.
    pub col_status: &'static str,
    /// Column/label: text.
    pub col_text: &'static str,
    /// Column: moved to.
    pub col_to: &'static str,
    /// Column: unit.
    pub col_unit: &'static str,
    /// Column/label: vaccine.
    pub col_vaccine: &'static str,
    /// Column: z-scores.
    pub col_z: &'static str,
    /// Label: commune.
    pub commune: &'static str,
    /// Checkbox: confirm a duplicate.
    pub confirm_duplicate: &'static str,
    /// Column/text: controlled.
    pub controlled: &'static str,
    /// Label: date.
    pub date: &'static str,
    /// Hint on dates.
    pub date_hint: &'static str,
    /// Label: death.
    pub death: &'static str,
    /// Label: diastolic.
    pub diastolic: &'static str,
    /// Heading/column: doses due.
    pub due_doses: &'static str,
    /// Heading: NCD due list.
    pub due_ncd: &'static str,
    /// Status: due soon.
    pub due_soon: &'static str,
    /// Title: due lists.
    pub due_title: &'static str,
    /// Heading: vaccine due list.
    pub due_vaccines: &'static str,
    /// Duplicate warning.
    pub duplicate_warning: &'static str,
    /// Checkbox: EHR opened.
    pub ehr_opened: &'static str,
    /// Label: EHR opened on.
    pub ehr_opened_on: &'static str,
    /// Label: pregnancy ended.
    pub ended: &'static str,
    /// Label: ethnicity.
    pub ethnicity: &'static str,
    /// Option: female.
    pub female: &'static str,
    /// Label: from.
    pub from: &'static str,
    /// Label: full name.
    pub full_name: &'static str,
    /// Label: height.
    pub height: &'static str,
    /// Label: household number.
    pub household_number: &'static str,
    /// Kind: antenatal visit.
    pub k_antenatal_visit: &'static str,
    /// Kind: birth.
    pub k_birth: &'static str,
    /// Kind: card.
    pub k_card: &'static str,
    /// Kind: death.
    pub k_death: &'static str,
    /// Kind: elderly check.
    pub k_elderly_check: &'static str,
    /// Kind: examination.
    pub k_examination: &'static str,
    /// Kind: history.
    pub k_history: &'static str,
    /// Kind: immunization.
    pub k_immunization: &'static str,
    /// Kind: measurement.
    pub k_measurement: &'static str,
    /// Kind: move.
    pub k_move: &'static str,
    /// Kind: NCD enrolment.
    pub k_ncd_enrolment: &'static str,
    /// Kind: NCD follow-up.
    pub k_ncd_follow_up: &'static str,
    /// Kind: pregnancy.
    pub k_pregnancy: &'static str,
    /// Checkbox: lying.
    pub lying: &'static str,
    /// Option: male.
    pub male: &'static str,
    /// Label: move to.
    pub move_to: &'static str,
    /// Heading: moves.
    pub moves: &'static str,
    /// Label: name searched.
    pub name_label: &'static str,
    /// Label: national id.
    pub national_id: &'static str,
    /// No follow-up yet.
    pub never: &'static str,
    /// Option: a new pregnancy.
    pub new_pregnancy: &'static str,
    /// Title: new person.
    pub new_title: &'static str,
    /// No.
    pub no: &'static str,
    /// Empty search.
    pub no_results: &'static str,
    /// Empty register.
    pub no_rows: &'static str,
    /// Empty list.
    pub none: &'static str,
    /// Unknown commune.
    pub not_a_commune: &'static str,
    /// Text: not controlled.
    pub not_controlled: &'static str,
    /// Card not valid today.
    pub not_valid_today: &'static str,
    /// Pregnancy ongoing.
    pub ongoing: &'static str,
    /// Button: open the form.
    pub open_form: &'static str,
    /// Label: unit code.
    pub org_label: &'static str,
    /// A move from/to outside.
    pub outside: &'static str,
    /// Status: overdue.
    pub overdue: &'static str,
    /// Part 1 of the record.
    pub part1: &'static str,
    /// Part 2 of the record.
    pub part2: &'static str,
    /// Part 3 of the record.
    pub part3: &'static str,
    /// Part 4 of the record.
    pub part4: &'static str,
    /// Label: period.
    pub period: &'static str,
    /// Label: pregnancy.
    pub pregnancy: &'static str,
    /// Print hint.
    pub print: &'static str,
    /// Heading: event forms.
    pub record_heading: &'static str,
    /// Label: registered on.
    pub registered_on: &'static str,
    /// Title: printable registers.
    pub registers_title: &'static str,
    /// Button: save.
    pub save: &'static str,
    /// Hint next to save.
    pub save_hint: &'static str,
    /// Button: search.
    pub search_button: &'static str,
    /// Search hint.
    pub search_hint: &'static str,
    /// Title: search.
    pub search_title: &'static str,
    /// Label: sex.
    pub sex: &'static str,
    /// Button: show.
    pub show: &'static str,
    /// Growth: stunted.
    pub stunted: &'static str,
    /// Label: systolic.
    pub systolic: &'static str,
    /// Heading: timeline.
    pub timeline: &'static str,
    /// Label: to.
    pub to: &'static str,
    /// Growth: underweight.
    pub underweight: &'static str,
    /// Card valid today.
    pub valid_today: &'static str,
    /// Label: village.
    pub village: &'static str,
    /// Growth: wasted.
    pub wasted: &'static str,
    /// Label: weight.
    pub weight: &'static str,
    /// Unit of age.
    pub years_old: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// Timeline: dose.
    pub d_dose: &'static str,
    /// Timeline: weight.
    pub d_weight: &'static str,
    /// Timeline: height.
    pub d_height: &'static str,
    /// Timeline: measured lying.
    pub d_lying: &'static str,
    /// Timeline: enrolled.
    pub d_enrolled: &'static str,
    /// Timeline: blood pressure.
    pub d_bp: &'static str,
    /// Timeline: glucose.
    pub d_glucose: &'static str,
    /// Timeline: expected delivery.
    pub d_expected: &'static str,
    /// Timeline: ended.
    pub d_ended: &'static str,
    /// Timeline: screened.
    pub d_screened: &'static str,
    /// Timeline: antenatal visit.
    pub d_antenatal: &'static str,
    /// Timeline: birth weight.
    pub d_birth_weight: &'static str,
    /// Timeline: newborn screening.
    pub d_newborn_screened: &'static str,
    /// Timeline: insured.
    pub d_insured: &'static str,
    /// A required field is empty.
    pub err_required: &'static str,
    /// Not a date.
    pub err_bad_date: &'static str,
    /// Not a number.
    pub err_bad_number: &'static str,
    /// No pregnancy chosen.
    pub err_no_pregnancy: &'static str,
    /// Bad commune of a move.
    pub err_bad_commune: &'static str,
    /// Unknown event kind.
    pub err_bad_kind: &'static str,
    /// Bad dose number.
    pub err_dose: &'static str,
    /// Pointer to a form error.
    pub error_below: &'static str,
    /// Button: save an event.
    pub save_event: &'static str,
    /// Unit of age in months.
    pub months_old: &'static str,
    /// Option: no outcome yet.
    pub no_outcome: &'static str,
    /// Between a commune merged in the reform and the one holding it today.
    pub now_part_of: &'static str,
    /// Legend of the newborn part of the registration form.
    pub newborn_legend: &'static str,
    /// Checkbox: the person is a newborn whose birth is recorded now.
    pub newborn: &'static str,
    /// Field: the mother's record id.
    pub mother: &'static str,
    /// Hint under the mother field.
    pub mother_hint: &'static str,
    /// Field: birth weight in grams.
    pub birth_weight: &'static str,
    /// Field: place of birth.
    pub birth_place: &'static str,
    /// Checkbox: newborn screening done.
    pub newborn_screened: &'static str,
    /// Heading of the births a woman gave.
    pub births_title: &'static str,
    /// Column: the child.
    pub col_child: &'static str,
    /// Error: the mother id names nobody readable, a man, or someone too young; {raw} is the value.
    pub err_mother: &'static str,
    /// Error: a newborn must be under one year old.
    pub err_newborn_age: &'static str,
}

static REGISTER_VI: RegisterTexts = RegisterTexts {
    abnormal: "Số đo bất thường, cần kiểm tra",
    audited_note: "Hồ sơ cá nhân: mỗi lần xem được ghi vào nhật ký.",
    bad_date: "Ngày không hợp lệ (dd/mm/yyyy)",
    bad_year: "Năm sinh không hợp lệ (ví dụ 1985).",
    birth_date: "Ngày sinh",
    birth_year: "Năm sinh",
    book: "Sổ",
    book_examinations: "Sổ khám bệnh",
    book_growth: "Sổ theo dõi tăng trưởng",
    book_immunizations: "Sổ tiêm chủng",
    book_ncd: "Sổ quản lý bệnh không lây nhiễm",
    book_pregnancies: "Sổ quản lý thai",
    card_from: "Thẻ BHYT có giá trị từ",
    card_number: "Số thẻ BHYT",
    card_to: "Thẻ BHYT có giá trị đến",
    cards: "Thẻ bảo hiểm y tế",
    cause: "Nguyên nhân (ICD-10)",
    choose_commune: "Mã xã",
    col_age: "Tuổi",
    col_anc: "Số lần khám thai",
    col_bp: "Huyết áp (mmHg)",
    col_date: "Ngày",
    col_detail: "Nội dung",
    col_disease: "Bệnh",
    col_dose: "Mũi",
    col_due_on: "Đến hạn từ",
    col_expected: "Ngày dự sinh",
    col_from: "Từ",
    col_glucose: "Đường huyết (mmol/L)",
    col_icd10: "Chẩn đoán (ICD-10)",
    col_insured: "BHYT",
    col_kind: "Loại",
    col_last_follow_up: "Lần theo dõi gần nhất",
    col_measure: "Cân nặng, chiều cao",
    col_outcome: "Kết quả thai kỳ",
    col_registered: "Ngày đăng ký",
    col_screened: "Sàng lọc trước sinh",
    col_status: "Tình trạng",
    col_text: "Nội dung",
    col_to: "Đến",
    col_unit: "Nơi ghi nhận",
    col_vaccine: "Vắc xin",
    col_z: "Chỉ số Z",
    commune: "Xã",
    confirm_duplicate: "Tôi đã kiểm tra: đây là người khác, vẫn lưu",
    controlled: "Kiểm soát",
    date: "Ngày",
    date_hint: "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/03/2024. Enter để lưu.",
    death: "Tử vong",
    diastolic: "Huyết áp tâm trương",
    due_doses: "Mũi tiêm đến hạn",
    due_ncd: "Người tăng huyết áp quá một tháng chưa được theo dõi",
    due_soon: "Sắp đến hạn",
    due_title: "Danh sách đến hạn",
    due_vaccines: "Trẻ dưới 2 tuổi đến hạn hoặc quá hạn tiêm (trong 7 ngày tới)",
    duplicate_warning: "Có thể trùng người đã có trong xã. Kiểm tra trước khi lưu; chưa lưu gì.",
    ehr_opened: "Lập hồ sơ sức khỏe điện tử hôm nay",
    ehr_opened_on: "Ngày lập hồ sơ sức khỏe điện tử",
    ended: "Ngày kết thúc thai kỳ",
    ethnicity: "Dân tộc",
    female: "Nữ",
    from: "Từ ngày",
    full_name: "Họ và tên",
    height: "Chiều cao/chiều dài (cm)",
    household_number: "Số hộ",
    k_antenatal_visit: "Khám thai",
    k_birth: "Sinh",
    k_card: "Thẻ BHYT",
    k_death: "Tử vong",
    k_elderly_check: "Khám sức khỏe người cao tuổi",
    k_examination: "Khám bệnh",
    k_history: "Tiền sử, yếu tố nguy cơ",
    k_immunization: "Tiêm chủng",
    k_measurement: "Cân, đo",
    k_move: "Chuyển đến xã khác",
    k_ncd_enrolment: "Đưa vào quản lý bệnh không lây nhiễm",
    k_ncd_follow_up: "Theo dõi bệnh không lây nhiễm",
    k_pregnancy: "Thai kỳ",
    lying: "Đo nằm",
    male: "Nam",
    move_to: "Mã xã chuyển đến",
    moves: "Chuyển đi, chuyển đến",
    name_label: "Họ tên (có dấu hoặc không dấu)",
    national_id: "Số căn cước",
    never: "Chưa lần nào",
    new_pregnancy: "— Thai kỳ mới —",
    new_title: "Đăng ký người mới",
    no: "Không",
    no_results: "Không tìm thấy ai.",
    no_rows: "Không có ghi nhận nào trong kỳ.",
    none: "Chưa có.",
    not_a_commune: "Không có xã mang mã này.",
    not_controlled: "Chưa kiểm soát",
    not_valid_today: "Hết hạn hoặc chưa có hiệu lực",
    ongoing: "Đang mang thai",
    open_form: "Mở biểu mẫu",
    org_label: "Mã đơn vị",
    outside: "Ngoài địa bàn",
    overdue: "Quá hạn",
    part1: "1. Thông tin hành chính",
    part2: "2. Tiền sử và yếu tố nguy cơ",
    part3: "3. Tiêm chủng",
    part4: "4. Khám bệnh và theo dõi sức khỏe",
    period: "Kỳ",
    pregnancy: "Thai kỳ",
    print: "In sổ (Ctrl+P)",
    record_heading: "Ghi nhận mới",
    registered_on: "Ngày đăng ký",
    registers_title: "Sổ sách của trạm",
    save: "Lưu (Alt+S)",
    save_hint: "Có lỗi thì không lưu gì.",
    search_button: "Tìm",
    search_hint: "Tìm theo họ tên, năm sinh hoặc số hộ trong các xã bạn được xem hồ sơ cá nhân.",
    search_title: "Tìm người",
    sex: "Giới tính",
    show: "Xem",
    stunted: "thấp còi",
    systolic: "Huyết áp tâm thu",
    timeline: "Dòng thời gian",
    to: "Đến ngày",
    underweight: "nhẹ cân",
    valid_today: "Còn hạn hôm nay",
    village: "Thôn, tổ dân phố",
    wasted: "gầy còm",
    weight: "Cân nặng (kg)",
    years_old: "tuổi",
    yes: "Có",
    d_dose: "mũi",
    d_weight: "Cân nặng",
    d_height: "chiều cao",
    d_lying: " (đo nằm)",
    d_enrolled: "Đưa vào quản lý",
    d_bp: "huyết áp",
    d_glucose: "đường huyết",
    d_expected: "Dự sinh",
    d_ended: "kết thúc",
    d_screened: ", đã sàng lọc trước sinh",
    d_antenatal: "Khám thai, thai kỳ đăng ký ngày",
    d_birth_weight: "Cân nặng sơ sinh",
    d_newborn_screened: ", đã sàng lọc sơ sinh",
    d_insured: ", BHYT chi trả",
    err_required: "{label}: cần nhập",
    err_bad_date: "{label}: «{raw}» không phải ngày (dd/mm/yyyy)",
    err_bad_number: "{label}: «{raw}» không phải là số",
    err_no_pregnancy: "Thai kỳ: cần chọn một thai kỳ đã đăng ký",
    err_bad_commune: "Mã xã chuyển đến: «{raw}» không phải mã một xã khác vào ngày chuyển",
    err_bad_kind: "Loại ghi nhận không hợp lệ",
    err_dose: "Mũi: cần số mũi 1, 2, 3 …",
    error_below: "Chưa lưu gì: xem lỗi ở biểu mẫu bên dưới.",
    save_event: "Lưu",
    months_old: "tháng tuổi",
    now_part_of: "nay thuộc",
    newborn_legend: "Trẻ mới sinh",
    newborn: "Trẻ mới sinh tại xã: ghi nhận sinh sống",
    mother: "Mẹ (mã hồ sơ)",
    mother_hint: "Số trong địa chỉ hồ sơ của mẹ (/persons/SỐ); để trống nếu mẹ chưa có hồ sơ",
    birth_weight: "Cân nặng khi sinh (gam)",
    birth_place: "Nơi sinh",
    newborn_screened: "Đã sàng lọc sơ sinh",
    births_title: "Sinh con",
    col_child: "Con",
    err_mother: "Mẹ: không có hồ sơ phụ nữ từ 10 tuổi trở lên mang mã «{raw}» mà bạn được xem",
    err_newborn_age: "Ngày sinh: trẻ mới sinh phải dưới 1 tuổi",
    no_outcome: "— chưa kết thúc —",
};

static REGISTER_EN: RegisterTexts = RegisterTexts {
    abnormal: "Implausible measurement, check it",
    audited_note: "Personal record: every view is written to the audit log.",
    bad_date: "Not a date (dd/mm/yyyy)",
    bad_year: "Not a year of birth (e.g. 1985).",
    birth_date: "Date of birth",
    birth_year: "Year of birth",
    book: "Register",
    book_examinations: "Examination register",
    book_growth: "Growth monitoring register",
    book_immunizations: "Immunization register",
    book_ncd: "NCD management register",
    book_pregnancies: "Pregnancy register",
    card_from: "Card valid from",
    card_number: "Health-insurance card number",
    card_to: "Card valid to",
    cards: "Health-insurance cards",
    cause: "Cause (ICD-10)",
    choose_commune: "Commune code",
    col_age: "Age",
    col_anc: "Antenatal visits",
    col_bp: "Blood pressure (mmHg)",
    col_date: "Date",
    col_detail: "Details",
    col_disease: "Disease",
    col_dose: "Dose",
    col_due_on: "Due from",
    col_expected: "Expected delivery",
    col_from: "From",
    col_glucose: "Glucose (mmol/L)",
    col_icd10: "Diagnosis (ICD-10)",
    col_insured: "Insured",
    col_kind: "Kind",
    col_last_follow_up: "Last follow-up",
    col_measure: "Weight, height",
    col_outcome: "Outcome",
    col_registered: "Registered",
    col_screened: "Prenatal screening",
    col_status: "Status",
    col_text: "Text",
    col_to: "To",
    col_unit: "Recorded by",
    col_vaccine: "Vaccine",
    col_z: "Z-scores",
    commune: "Commune",
    confirm_duplicate: "I checked: this is another person, save anyway",
    controlled: "Controlled",
    date: "Date",
    date_hint: "Type dates as dd/mm/yyyy, e.g. 05/03/2024. Enter saves.",
    death: "Death",
    diastolic: "Diastolic",
    due_doses: "Doses due",
    due_ncd: "Hypertension patients not followed up for a month",
    due_soon: "Due soon",
    due_title: "Due lists",
    due_vaccines: "Children under 2 due or overdue for a dose (next 7 days)",
    duplicate_warning: "This may be a person already registered in the commune. Check before saving; nothing was saved.",
    ehr_opened: "Open the electronic health record today",
    ehr_opened_on: "EHR opened on",
    ended: "Ended on",
    ethnicity: "Ethnicity",
    female: "Female",
    from: "From",
    full_name: "Full name",
    height: "Height/length (cm)",
    household_number: "Household number",
    k_antenatal_visit: "Antenatal visit",
    k_birth: "Birth",
    k_card: "Insurance card",
    k_death: "Death",
    k_elderly_check: "Elderly check",
    k_examination: "Examination",
    k_history: "History, risk factor",
    k_immunization: "Immunization",
    k_measurement: "Measurement",
    k_move: "Move to another commune",
    k_ncd_enrolment: "NCD enrolment",
    k_ncd_follow_up: "NCD follow-up",
    k_pregnancy: "Pregnancy",
    lying: "Measured lying",
    male: "Male",
    move_to: "Code of the commune moved to",
    moves: "Moves",
    name_label: "Name (with or without diacritics)",
    national_id: "Citizen identity number",
    never: "Never",
    new_pregnancy: "— New pregnancy —",
    new_title: "Register a person",
    no: "No",
    no_results: "Nobody found.",
    no_rows: "Nothing recorded in the period.",
    none: "None yet.",
    not_a_commune: "No commune has this code.",
    not_controlled: "Not controlled",
    not_valid_today: "Not valid today",
    ongoing: "Ongoing",
    open_form: "Open the form",
    org_label: "Unit code",
    outside: "Outside the area",
    overdue: "Overdue",
    part1: "1. Administrative data",
    part2: "2. History and risk factors",
    part3: "3. Immunization",
    part4: "4. Examinations and follow-up",
    period: "Period",
    pregnancy: "Pregnancy",
    print: "Print (Ctrl+P)",
    record_heading: "Record",
    registered_on: "Registered on",
    registers_title: "Station registers",
    save: "Save (Alt+S)",
    save_hint: "On any error nothing is saved.",
    search_button: "Search",
    search_hint: "Find persons by name, year of birth or household number in the communes whose personal records you may read.",
    search_title: "Find a person",
    sex: "Sex",
    show: "Show",
    stunted: "stunted",
    systolic: "Systolic",
    timeline: "Timeline",
    to: "To",
    underweight: "underweight",
    valid_today: "Valid today",
    village: "Village",
    wasted: "wasted",
    weight: "Weight (kg)",
    years_old: "years old",
    yes: "Yes",
    d_dose: "dose",
    d_weight: "Weight",
    d_height: "height",
    d_lying: " (lying)",
    d_enrolled: "Enrolled",
    d_bp: "BP",
    d_glucose: "glucose",
    d_expected: "Expected",
    d_ended: "ended",
    d_screened: ", screened",
    d_antenatal: "Antenatal visit, pregnancy registered on",
    d_birth_weight: "Birth weight",
    d_newborn_screened: ", newborn screening done",
    d_insured: ", paid by insurance",
    err_required: "{label}: required",
    err_bad_date: "{label}: «{raw}» is not a date (dd/mm/yyyy)",
    err_bad_number: "{label}: «{raw}» is not a number",
    err_no_pregnancy: "Pregnancy: choose a registered pregnancy",
    err_bad_commune: "Commune moved to: «{raw}» is not the code of another commune on that day",
    err_bad_kind: "Unknown kind of record",
    err_dose: "Dose: a dose number 1, 2, 3 …",
    error_below: "Nothing was saved: see the error in the form below.",
    save_event: "Save",
    months_old: "months old",
    now_part_of: "now part of",
    newborn_legend: "Newborn",
    newborn: "A newborn of the commune: record the live birth",
    mother: "Mother (record id)",
    mother_hint: "The number in the mother's record address (/persons/NUMBER); leave empty if she has no record",
    birth_weight: "Birth weight (grams)",
    birth_place: "Place of birth",
    newborn_screened: "Newborn screening done",
    births_title: "Births",
    col_child: "Child",
    err_mother: "Mother: no record of a woman aged 10 or over with the id «{raw}» that you may read",
    err_newborn_age: "Date of birth: a newborn is under one year old",
    no_outcome: "— not ended —",
};
