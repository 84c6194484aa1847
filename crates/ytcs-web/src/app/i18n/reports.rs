//! Texts of the reports area.

use super::Lang;

texts! {
    /// Texts of the plan report (the form on the plan page, the report page
    /// and its refusals). The report itself is a Vietnamese document in both
    /// languages.
    pub struct ReportTexts;
    /// Texts of the plan report in this language.
    fn report;

    /// Heading of the form and the page.
    heading: &'static str =
        "Báo cáo kết quả thực hiện",
        "Implementation report";

    /// What the form does.
    intro: &'static str =
        "Báo cáo theo cấu trúc của kế hoạch: chỉ tiêu, nhiệm vụ, chế độ báo cáo, kinh phí và Bộ tiêu chí quốc gia về y tế xã của các xã trong đơn vị, cho một năm.",
        "A report in the plan's structure: targets, tasks, reporting duties, budget and the commune-health criteria of the unit's communes, for one year.";

    /// Label of the unit field.
    org: &'static str =
        "Mã đơn vị",
        "Unit code";

    /// Placeholder of the unit field.
    org_placeholder: &'static str =
        "mặc định: đơn vị ban hành",
        "default: the issuing unit";

    /// Label of the year field.
    year: &'static str =
        "Năm",
        "Year";

    /// Button: the printable page.
    view_html: &'static str =
        "Xem bản in (HTML)",
        "Printable page (HTML)";

    /// Button: Word.
    download_docx: &'static str =
        "Tải Word (DOCX)",
        "Download Word (DOCX)";

    /// Button: Excel.
    download_xlsx: &'static str =
        "Tải Excel (XLSX)",
        "Download Excel (XLSX)";

    /// Button: PDF.
    download_pdf: &'static str =
        "Tải PDF",
        "Download PDF";

    /// Hint above the page to print it.
    print_hint: &'static str =
        "In trang này (Ctrl+P) hoặc tải về:",
        "Print this page (Ctrl+P) or download:";

    /// Link back to the plan.
    back: &'static str =
        "Về kế hoạch",
        "Back to the plan";

    /// No unit carries the code in the year.
    unknown_org: &'static str =
        "Không có đơn vị nào mang mã này trong năm đã chọn.",
        "No unit carries this code in the chosen year.";

    /// The year is not a number in 2000–2100.
    bad_year: &'static str =
        "Năm không hợp lệ: hãy nhập một năm từ 2000 đến 2100.",
        "Invalid year: enter a year from 2000 to 2100.";

    /// The format is none of html, docx, xlsx, pdf.
    bad_format: &'static str =
        "Định dạng không hợp lệ: chọn html, docx, xlsx hoặc pdf.",
        "Invalid format: choose html, docx, xlsx or pdf.";

    /// No unit was given and the plan's issuer is no unit.
    no_default_org: &'static str =
        "Không xác định được đơn vị ban hành kế hoạch: hãy nhập mã đơn vị.",
        "The plan's issuing unit is not known: enter a unit code.";

    /// What the reports menu holds.
    area_lead: &'static str =
        "Các báo cáo ytcs lập từ số liệu: báo cáo thực hiện từng kế hoạch (Word, Excel, PDF hoặc bản in) và tình trạng báo cáo số liệu của các xã.",
        "The reports ytcs makes from its data: each plan's implementation report (Word, Excel, PDF or printable) and where the communes' data reports stand.";

    /// Heading: the plans' reports.
    area_plans: &'static str =
        "Báo cáo thực hiện kế hoạch",
        "Plan implementation reports";

    /// The year a plan's report is made for by default.
    area_year: fn(&str) -> String =
        |year| format!("năm {year}"),
        |year| format!("for {year}");

    /// No plan stored yet.
    area_no_plans: &'static str =
        "Chưa có kế hoạch nào: tải một kế hoạch lên ở mục Kế hoạch.",
        "No plan yet: upload one under Plans.";

    /// Heading: the communes' data reports.
    area_communes: &'static str =
        "Báo cáo số liệu của các xã",
        "The communes' data reports";
}
