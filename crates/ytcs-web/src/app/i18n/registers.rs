//! Texts of the registers area.

use super::Lang;

texts! {
    /// Texts of the registers: finding and registering persons, the health
    /// record of QĐ 831, the printable registers and the due lists.
    pub struct RegisterTexts;
    /// Texts of the registers (persons, records, printable registers).
    fn registers;

    /// Warning on an implausible measurement.
    abnormal: &'static str =
        "Số đo bất thường, cần kiểm tra",
        "Implausible measurement, check it";

    /// Note that views are logged.
    audited_note: &'static str =
        "Hồ sơ cá nhân: mỗi lần xem được ghi vào nhật ký.",
        "Personal record: every view is written to the audit log.";

    /// A date that is not one.
    bad_date: &'static str =
        "Ngày không hợp lệ (dd/mm/yyyy)",
        "Not a date (dd/mm/yyyy)";

    /// A year of birth that is not one.
    bad_year: &'static str =
        "Năm sinh không hợp lệ (ví dụ 1985).",
        "Not a year of birth (e.g. 1985).";

    /// Label: date of birth.
    birth_date: &'static str =
        "Ngày sinh",
        "Date of birth";

    /// Label: year of birth.
    birth_year: &'static str =
        "Năm sinh",
        "Year of birth";

    /// Label: which register.
    book: &'static str =
        "Sổ",
        "Register";

    /// Title: examination register.
    book_examinations: &'static str =
        "Sổ khám bệnh",
        "Examination register";

    /// Title: births register.
    book_births: &'static str =
        "Sổ đẻ",
        "Births register";

    /// A column: birth weight in grams.
    col_birth_weight: &'static str =
        "Cân nặng khi sinh (g)",
        "Birth weight (g)";

    /// A column: newborn screening done.
    col_newborn_screened: &'static str =
        "Sàng lọc sơ sinh",
        "Newborn screening";

    /// Title: growth register.
    book_growth: &'static str =
        "Sổ theo dõi tăng trưởng",
        "Growth monitoring register";

    /// Title: immunization register.
    book_immunizations: &'static str =
        "Sổ tiêm chủng",
        "Immunization register";

    /// Title: NCD register.
    book_ncd: &'static str =
        "Sổ quản lý bệnh không lây nhiễm",
        "NCD management register";

    /// Title: pregnancy register.
    book_pregnancies: &'static str =
        "Sổ quản lý thai",
        "Pregnancy register";

    /// Label: card valid from.
    card_from: &'static str =
        "Thẻ BHYT có giá trị từ",
        "Card valid from";

    /// Label: card number.
    card_number: &'static str =
        "Số thẻ BHYT",
        "Health-insurance card number";

    /// Label: card valid to.
    card_to: &'static str =
        "Thẻ BHYT có giá trị đến",
        "Card valid to";

    /// Heading: cards.
    cards: &'static str =
        "Thẻ bảo hiểm y tế",
        "Health-insurance cards";

    /// Label: cause of death.
    cause: &'static str =
        "Nguyên nhân (ICD-10)",
        "Cause (ICD-10)";

    /// Label: choose a commune.
    choose_commune: &'static str =
        "Mã xã",
        "Commune code";

    /// Column: age.
    col_age: &'static str =
        "Tuổi",
        "Age";

    /// Column: antenatal visits.
    col_anc: &'static str =
        "Số lần khám thai",
        "Antenatal visits";

    /// Column: blood pressure.
    col_bp: &'static str =
        "Huyết áp (mmHg)",
        "Blood pressure (mmHg)";

    /// Column: date.
    col_date: &'static str =
        "Ngày",
        "Date";

    /// Column: details.
    col_detail: &'static str =
        "Nội dung",
        "Details";

    /// Column/label: disease.
    col_disease: &'static str =
        "Bệnh",
        "Disease";

    /// Column/label: dose.
    col_dose: &'static str =
        "Mũi",
        "Dose";

    /// Column: due from.
    col_due_on: &'static str =
        "Đến hạn từ",
        "Due from";

    /// Column/label: expected delivery.
    col_expected: &'static str =
        "Ngày dự sinh",
        "Expected delivery";

    /// Column: moved from.
    col_from: &'static str =
        "Từ",
        "From";

    /// Column/label: glucose.
    col_glucose: &'static str =
        "Đường huyết (mmol/L)",
        "Glucose (mmol/L)";

    /// Column/label: ICD-10.
    col_icd10: &'static str =
        "Chẩn đoán (ICD-10)",
        "Diagnosis (ICD-10)";

    /// Column/label: paid by insurance.
    col_insured: &'static str =
        "BHYT",
        "Insured";

    /// Column: kind.
    col_kind: &'static str =
        "Loại",
        "Kind";

    /// Column: last follow-up.
    col_last_follow_up: &'static str =
        "Lần theo dõi gần nhất",
        "Last follow-up";

    /// Column: measurement.
    col_measure: &'static str =
        "Cân nặng, chiều cao",
        "Weight, height";

    /// Column/label: outcome.
    col_outcome: &'static str =
        "Kết quả thai kỳ",
        "Outcome";

    /// Column: registration.
    col_registered: &'static str =
        "Ngày đăng ký",
        "Registered";

    /// Column/label: screened.
    col_screened: &'static str =
        "Sàng lọc trước sinh",
        "Prenatal screening";

    /// Column: status.
    col_status: &'static str =
        "Tình trạng",
        "Status";

    /// Column/label: text.
    col_text: &'static str =
        "Nội dung",
        "Text";

    /// Column: moved to.
    col_to: &'static str =
        "Đến",
        "To";

    /// Column: unit.
    col_unit: &'static str =
        "Nơi ghi nhận",
        "Recorded by";

    /// Column/label: vaccine.
    col_vaccine: &'static str =
        "Vắc xin",
        "Vaccine";

    /// Column: z-scores.
    col_z: &'static str =
        "Chỉ số Z",
        "Z-scores";

    /// Label: commune.
    commune: &'static str =
        "Xã",
        "Commune";

    /// Checkbox: confirm a duplicate.
    confirm_duplicate: &'static str =
        "Tôi đã kiểm tra: đây là người khác, vẫn lưu",
        "I checked: this is another person, save anyway";

    /// Column/text: controlled.
    controlled: &'static str =
        "Kiểm soát",
        "Controlled";

    /// Label: date.
    date: &'static str =
        "Ngày",
        "Date";

    /// Hint on dates.
    date_hint: &'static str =
        "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/03/2024. Enter để lưu.",
        "Type dates as dd/mm/yyyy, e.g. 05/03/2024. Enter saves.";

    /// Label: death.
    death: &'static str =
        "Tử vong",
        "Death";

    /// Label: diastolic.
    diastolic: &'static str =
        "Huyết áp tâm trương",
        "Diastolic";

    /// Heading/column: doses due.
    due_doses: &'static str =
        "Mũi tiêm đến hạn",
        "Doses due";

    /// Heading: NCD due list.
    due_ncd: &'static str =
        "Người tăng huyết áp quá một tháng chưa được theo dõi",
        "Hypertension patients not followed up for a month";

    /// Status: due soon.
    due_soon: &'static str =
        "Sắp đến hạn",
        "Due soon";

    /// Title: due lists.
    due_title: &'static str =
        "Danh sách đến hạn",
        "Due lists";

    /// Heading: vaccine due list.
    due_vaccines: &'static str =
        "Trẻ dưới 2 tuổi đến hạn hoặc quá hạn tiêm (trong 7 ngày tới)",
        "Children under 2 due or overdue for a dose (next 7 days)";

    /// Duplicate warning.
    duplicate_warning: &'static str =
        "Có thể trùng người đã có trong xã. Kiểm tra trước khi lưu; chưa lưu gì.",
        "This may be a person already registered in the commune. Check before saving; nothing was saved.";

    /// Checkbox: EHR opened.
    ehr_opened: &'static str =
        "Lập hồ sơ sức khỏe điện tử hôm nay",
        "Open the electronic health record today";

    /// Label: EHR opened on.
    ehr_opened_on: &'static str =
        "Ngày lập hồ sơ sức khỏe điện tử",
        "EHR opened on";

    /// Label: pregnancy ended.
    ended: &'static str =
        "Ngày kết thúc thai kỳ",
        "Ended on";

    /// Label: ethnicity.
    ethnicity: &'static str =
        "Dân tộc",
        "Ethnicity";

    /// Option: female.
    female: &'static str =
        "Nữ",
        "Female";

    /// Label: from.
    from: &'static str =
        "Từ ngày",
        "From";

    /// Label: full name.
    full_name: &'static str =
        "Họ và tên",
        "Full name";

    /// Label: height.
    height: &'static str =
        "Chiều cao/chiều dài (cm)",
        "Height/length (cm)";

    /// Label: household number.
    household_number: &'static str =
        "Số hộ",
        "Household number";

    /// Kind: antenatal visit.
    k_antenatal_visit: &'static str =
        "Khám thai",
        "Antenatal visit";

    /// Kind: birth.
    k_birth: &'static str =
        "Sinh",
        "Birth";

    /// Kind: card.
    k_card: &'static str =
        "Thẻ BHYT",
        "Insurance card";

    /// Kind: death.
    k_death: &'static str =
        "Tử vong",
        "Death";

    /// Kind: elderly check.
    k_elderly_check: &'static str =
        "Khám sức khỏe người cao tuổi",
        "Elderly check";

    /// Kind: examination.
    k_examination: &'static str =
        "Khám bệnh",
        "Examination";

    /// Kind: history.
    k_history: &'static str =
        "Tiền sử, yếu tố nguy cơ",
        "History, risk factor";

    /// Kind: immunization.
    k_immunization: &'static str =
        "Tiêm chủng",
        "Immunization";

    /// Kind: measurement.
    k_measurement: &'static str =
        "Cân, đo",
        "Measurement";

    /// Kind: move.
    k_move: &'static str =
        "Chuyển đến xã khác",
        "Move to another commune";

    /// Kind: NCD enrolment.
    k_ncd_enrolment: &'static str =
        "Đưa vào quản lý bệnh không lây nhiễm",
        "NCD enrolment";

    /// Kind: NCD follow-up.
    k_ncd_follow_up: &'static str =
        "Theo dõi bệnh không lây nhiễm",
        "NCD follow-up";

    /// Kind: pregnancy.
    k_pregnancy: &'static str =
        "Thai kỳ",
        "Pregnancy";

    /// Checkbox: lying.
    lying: &'static str =
        "Đo nằm",
        "Measured lying";

    /// Option: male.
    male: &'static str =
        "Nam",
        "Male";

    /// Label: move to.
    move_to: &'static str =
        "Mã xã chuyển đến",
        "Code of the commune moved to";

    /// Heading: moves.
    moves: &'static str =
        "Chuyển đi, chuyển đến",
        "Moves";

    /// Label: name searched.
    name_label: &'static str =
        "Họ tên (có dấu hoặc không dấu)",
        "Name (with or without diacritics)";

    /// Label: national id.
    national_id: &'static str =
        "Số căn cước",
        "Citizen identity number";

    /// No follow-up yet.
    never: &'static str =
        "Chưa lần nào",
        "Never";

    /// Option: a new pregnancy.
    new_pregnancy: &'static str =
        "— Thai kỳ mới —",
        "— New pregnancy —";

    /// Title: new person.
    new_title: &'static str =
        "Đăng ký người mới",
        "Register a person";

    /// No.
    no: &'static str =
        "Không",
        "No";

    /// Empty search.
    no_results: &'static str =
        "Không tìm thấy ai.",
        "Nobody found.";

    /// Empty register.
    no_rows: &'static str =
        "Không có ghi nhận nào trong kỳ.",
        "Nothing recorded in the period.";

    /// Empty list.
    none: &'static str =
        "Chưa có.",
        "None yet.";

    /// Unknown commune.
    not_a_commune: &'static str =
        "Không có xã mang mã này.",
        "No commune has this code.";

    /// Text: not controlled.
    not_controlled: &'static str =
        "Chưa kiểm soát",
        "Not controlled";

    /// Card not valid today.
    not_valid_today: &'static str =
        "Hết hạn hoặc chưa có hiệu lực",
        "Not valid today";

    /// Pregnancy ongoing.
    ongoing: &'static str =
        "Đang mang thai",
        "Ongoing";

    /// Button: open the form.
    open_form: &'static str =
        "Mở biểu mẫu",
        "Open the form";

    /// Label: unit code.
    org_label: &'static str =
        "Mã đơn vị",
        "Unit code";

    /// A move from/to outside.
    outside: &'static str =
        "Ngoài địa bàn",
        "Outside the area";

    /// Status: overdue.
    overdue: &'static str =
        "Quá hạn",
        "Overdue";

    /// Part 1 of the record.
    part1: &'static str =
        "1. Thông tin hành chính",
        "1. Administrative data";

    /// Part 2 of the record.
    part2: &'static str =
        "2. Tiền sử và yếu tố nguy cơ",
        "2. History and risk factors";

    /// Part 3 of the record.
    part3: &'static str =
        "3. Tiêm chủng",
        "3. Immunization";

    /// Part 4 of the record.
    part4: &'static str =
        "4. Khám bệnh và theo dõi sức khỏe",
        "4. Examinations and follow-up";

    /// Label: period.
    period: &'static str =
        "Kỳ",
        "Period";

    /// Label: pregnancy.
    pregnancy: &'static str =
        "Thai kỳ",
        "Pregnancy";

    /// Print hint.
    print: &'static str =
        "In sổ (Ctrl+P)",
        "Print (Ctrl+P)";

    /// Heading: event forms.
    record_heading: &'static str =
        "Ghi nhận mới",
        "Record";

    /// Label: registered on.
    registered_on: &'static str =
        "Ngày đăng ký",
        "Registered on";

    /// Title: printable registers.
    registers_title: &'static str =
        "Sổ sách của trạm",
        "Station registers";

    /// Button: save.
    save: &'static str =
        "Lưu (Alt+S)",
        "Save (Alt+S)";

    /// Hint next to save.
    save_hint: &'static str =
        "Có lỗi thì không lưu gì.",
        "On any error nothing is saved.";

    /// Button: search.
    search_button: &'static str =
        "Tìm",
        "Search";

    /// Search hint.
    search_hint: &'static str =
        "Tìm theo họ tên, năm sinh hoặc số hộ trong các xã bạn được xem hồ sơ cá nhân.",
        "Find persons by name, year of birth or household number in the communes whose personal records you may read.";

    /// Title: search.
    search_title: &'static str =
        "Tìm người",
        "Find a person";

    /// Label: sex.
    sex: &'static str =
        "Giới tính",
        "Sex";

    /// Button: show.
    show: &'static str =
        "Xem",
        "Show";

    /// Growth: stunted.
    stunted: &'static str =
        "thấp còi",
        "stunted";

    /// Label: systolic.
    systolic: &'static str =
        "Huyết áp tâm thu",
        "Systolic";

    /// Heading: timeline.
    timeline: &'static str =
        "Dòng thời gian",
        "Timeline";

    /// Label: to.
    to: &'static str =
        "Đến ngày",
        "To";

    /// Growth: underweight.
    underweight: &'static str =
        "nhẹ cân",
        "underweight";

    /// Card valid today.
    valid_today: &'static str =
        "Còn hạn hôm nay",
        "Valid today";

    /// Label: village.
    village: &'static str =
        "Thôn, tổ dân phố",
        "Village";

    /// Growth: wasted.
    wasted: &'static str =
        "gầy còm",
        "wasted";

    /// Label: weight.
    weight: &'static str =
        "Cân nặng (kg)",
        "Weight (kg)";

    /// Unit of age.
    years_old: &'static str =
        "tuổi",
        "years old";

    /// Yes.
    yes: &'static str =
        "Có",
        "Yes";

    /// Timeline: dose.
    d_dose: &'static str =
        "mũi",
        "dose";

    /// Timeline: weight.
    d_weight: &'static str =
        "Cân nặng",
        "Weight";

    /// Timeline: height.
    d_height: &'static str =
        "chiều cao",
        "height";

    /// Timeline: measured lying.
    d_lying: &'static str =
        " (đo nằm)",
        " (lying)";

    /// Timeline: enrolled.
    d_enrolled: &'static str =
        "Đưa vào quản lý",
        "Enrolled";

    /// Timeline: blood pressure.
    d_bp: &'static str =
        "huyết áp",
        "BP";

    /// Timeline: glucose.
    d_glucose: &'static str =
        "đường huyết",
        "glucose";

    /// Timeline: expected delivery.
    d_expected: &'static str =
        "Dự sinh",
        "Expected";

    /// Timeline: ended.
    d_ended: &'static str =
        "kết thúc",
        "ended";

    /// Timeline: screened.
    d_screened: &'static str =
        ", đã sàng lọc trước sinh",
        ", screened";

    /// Timeline: antenatal visit.
    d_antenatal: &'static str =
        "Khám thai, thai kỳ đăng ký ngày",
        "Antenatal visit, pregnancy registered on";

    /// Timeline: birth weight.
    d_birth_weight: &'static str =
        "Cân nặng sơ sinh",
        "Birth weight";

    /// Timeline: newborn screening.
    d_newborn_screened: &'static str =
        ", đã sàng lọc sơ sinh",
        ", newborn screening done";

    /// Timeline: insured.
    d_insured: &'static str =
        ", BHYT chi trả",
        ", paid by insurance";

    /// A required field is empty.
    err_required: fn(&str) -> String =
        |label| format!("{label}: cần nhập"),
        |label| format!("{label}: required");

    /// Not a date.
    err_bad_date: fn(&str, &str) -> String =
        |label, raw| format!("{label}: «{raw}» không phải ngày (dd/mm/yyyy)"),
        |label, raw| format!("{label}: «{raw}» is not a date (dd/mm/yyyy)");

    /// Not a number.
    err_bad_number: fn(&str, &str) -> String =
        |label, raw| format!("{label}: «{raw}» không phải là số"),
        |label, raw| format!("{label}: «{raw}» is not a number");

    /// No pregnancy chosen.
    err_no_pregnancy: &'static str =
        "Thai kỳ: cần chọn một thai kỳ đã đăng ký",
        "Pregnancy: choose a registered pregnancy";

    /// Bad commune of a move.
    err_bad_commune: fn(&str) -> String =
        |raw| format!("Mã xã chuyển đến: «{raw}» không phải mã một xã khác vào ngày chuyển"),
        |raw| format!("Commune moved to: «{raw}» is not the code of another commune on that day");

    /// Unknown event kind.
    err_bad_kind: &'static str =
        "Loại ghi nhận không hợp lệ",
        "Unknown kind of record";

    /// Bad dose number.
    err_dose: &'static str =
        "Mũi: cần số mũi 1, 2, 3 …",
        "Dose: a dose number 1, 2, 3 …";

    /// Pointer to a form error.
    error_below: &'static str =
        "Chưa lưu gì: xem lỗi ở biểu mẫu bên dưới.",
        "Nothing was saved: see the error in the form below.";

    /// Button: save an event.
    save_event: &'static str =
        "Lưu",
        "Save";

    /// Unit of age in months.
    months_old: &'static str =
        "tháng tuổi",
        "months old";

    /// Option: no outcome yet.
    no_outcome: &'static str =
        "— chưa kết thúc —",
        "— not ended —";

    /// Between a commune merged in the reform and the one holding it today.
    now_part_of: &'static str =
        "nay thuộc",
        "now part of";

    /// Legend of the newborn part of the registration form.
    newborn_legend: &'static str =
        "Trẻ mới sinh",
        "Newborn";

    /// Checkbox: the person is a newborn whose birth is recorded now.
    newborn: &'static str =
        "Trẻ mới sinh tại xã: ghi nhận sinh sống",
        "A newborn of the commune: record the live birth";

    /// Field: the mother's record id.
    mother: &'static str =
        "Mẹ (mã hồ sơ)",
        "Mother (record id)";

    /// Hint under the mother field.
    mother_hint: &'static str =
        "Số trong địa chỉ hồ sơ của mẹ (/persons/SỐ); để trống nếu mẹ chưa có hồ sơ",
        "The number in the mother's record address (/persons/NUMBER); leave empty if she has no record";

    /// Field: birth weight in grams.
    birth_weight: &'static str =
        "Cân nặng khi sinh (gam)",
        "Birth weight (grams)";

    /// Field: place of birth.
    birth_place: &'static str =
        "Nơi sinh",
        "Place of birth";

    /// Checkbox: newborn screening done.
    newborn_screened: &'static str =
        "Đã sàng lọc sơ sinh",
        "Newborn screening done";

    /// Heading of the births a woman gave.
    births_title: &'static str =
        "Sinh con",
        "Births";

    /// Column: the child.
    col_child: &'static str =
        "Con",
        "Child";

    /// Error: the mother id names nobody readable, a man, or someone too young; {raw} is the value.
    err_mother: fn(&str) -> String =
        |raw| format!("Mẹ: không có hồ sơ phụ nữ từ 10 tuổi trở lên mang mã «{raw}» mà bạn được xem"),
        |raw| format!("Mother: no record of a woman aged 10 or over with the id «{raw}» that you may read");

    /// Error: a newborn must be under one year old.
    err_newborn_age: &'static str =
        "Ngày sinh: trẻ mới sinh phải dưới 1 tuổi",
        "Date of birth: a newborn is under one year old";
}
