//! Texts of the network area.

use super::Lang;

texts! {
    /// Texts of a unit's network page and its edit forms, one field per message.
    pub struct NetworkTexts;
    /// The texts of a unit's network page (and its edit forms) in this language.
    fn network;

    /// Health network
    title: &'static str =
        "Mạng lưới y tế",
        "Health network";

    /// Health network of this unit
    link: &'static str =
        "Mạng lưới y tế của đơn vị",
        "Health network of this unit";

    /// Back to the unit
    back: &'static str =
        "Về trang đơn vị",
        "Back to the unit";

    /// Network indicators
    indicators: &'static str =
        "Chỉ số mạng lưới",
        "Network indicators";

    /// Indicator
    indicator: &'static str =
        "Chỉ số",
        "Indicator";

    /// Population pyramid
    pyramid: &'static str =
        "Tháp dân số",
        "Population pyramid";

    /// No population by sex and age group yet.
    pyramid_none: &'static str =
        "Chưa có số liệu dân số theo giới tính và nhóm tuổi.",
        "No population by sex and age group yet.";

    /// Male
    male: &'static str =
        "Nam",
        "Male";

    /// Female
    female: &'static str =
        "Nữ",
        "Female";

    /// Staff by cadre
    staff: &'static str =
        "Nhân lực theo chức danh",
        "Staff by cadre";

    /// Cadre
    cadre: &'static str =
        "Chức danh",
        "Cadre";

    /// People
    count: &'static str =
        "Số người",
        "People";

    /// Facilities
    facilities: &'static str =
        "Cơ sở y tế",
        "Facilities";

    /// Villages
    villages: &'static str =
        "Thôn, bản",
        "Villages";

    /// Kind
    kind: &'static str =
        "Loại hình",
        "Kind";

    /// Beds
    beds: &'static str =
        "Số giường",
        "Beds";

    /// Status
    status: &'static str =
        "Tình trạng",
        "Status";

    /// —
    no_data: &'static str =
        "—",
        "—";

    /// None yet.
    none: &'static str =
        "Chưa có.",
        "None yet.";

    /// Update the network
    edit: &'static str =
        "Cập nhật mạng lưới",
        "Update the network";

    /// edit hint.
    edit_hint: &'static str =
        "Mỗi lần lưu được kiểm tra cùng toàn bộ số liệu đã có; nếu có lỗi thì không ghi gì và dữ liệu bạn nhập được giữ lại để sửa.",
        "Every save is checked together with everything stored; on any error nothing is written and your input is kept for correction.";

    /// Add a facility
    add_facility: &'static str =
        "Thêm cơ sở y tế",
        "Add a facility";

    /// Add a staff member and post
    add_staff: &'static str =
        "Thêm nhân viên và vị trí công tác",
        "Add a staff member and post";

    /// Add a village
    add_village: &'static str =
        "Thêm thôn, bản",
        "Add a village";

    /// Enter population
    add_population: &'static str =
        "Nhập dân số",
        "Enter population";

    /// Facility code
    facility_code: &'static str =
        "Mã cơ sở",
        "Facility code";

    /// Facility name
    facility_name: &'static str =
        "Tên cơ sở",
        "Facility name";

    /// Working since
    opened: &'static str =
        "Hoạt động từ ngày",
        "Working since";

    /// Staff code
    staff_code: &'static str =
        "Mã nhân viên",
        "Staff code";

    /// Full name
    staff_name: &'static str =
        "Họ và tên",
        "Full name";

    /// Qualification
    qualification: &'static str =
        "Trình độ chuyên môn",
        "Qualification";

    /// Facility code of the post
    workplace: &'static str =
        "Mã cơ sở làm việc",
        "Facility code of the post";

    /// Kind of post
    post_kind: &'static str =
        "Hình thức",
        "Kind of post";

    /// From
    post_from: &'static str =
        "Từ ngày",
        "From";

    /// Village code
    village_code: &'static str =
        "Mã thôn",
        "Village code";

    /// Village name
    village_name: &'static str =
        "Tên thôn, bản",
        "Village name";

    /// Exists since
    village_from: &'static str =
        "Có từ ngày",
        "Exists since";

    /// Year
    year: &'static str =
        "Năm",
        "Year";

    /// Sex
    sex: &'static str =
        "Giới tính",
        "Sex";

    /// Age group
    age_group: &'static str =
        "Nhóm tuổi",
        "Age group";

    /// Save
    save: &'static str =
        "Lưu",
        "Save";

    /// Saved.
    saved: &'static str =
        "Đã lưu.",
        "Saved.";

    /// Not saved — please fix:
    errors_heading: &'static str =
        "Chưa lưu — hãy sửa các lỗi sau:",
        "Not saved — please fix:";

    /// Download import templates
    templates: &'static str =
        "Tải mẫu nhập liệu",
        "Download import templates";

    /// templates hint.
    templates_hint: &'static str =
        "Mỗi bảng có tiêu đề cột tiếng Việt và một dòng ví dụ; nhập bằng lệnh «ytcs network import».",
        "Each table has Vietnamese column headers and one example row; import with «ytcs network import».";

    /// Facilities
    table_facilities: &'static str =
        "Cơ sở y tế",
        "Facilities";

    /// Staff
    table_staff: &'static str =
        "Nhân lực",
        "Staff";

    /// Training
    table_training: &'static str =
        "Đào tạo",
        "Training";

    /// Villages
    table_villages: &'static str =
        "Thôn, bản",
        "Villages";

    /// Population
    table_population: &'static str =
        "Dân số",
        "Population";
}
