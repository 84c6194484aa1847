//! The failure classes of issue 20, each on a short text in the shape real
//! published copies have (written here to isolate the class; the corpus in
//! `tests/corpus` holds the real documents).

use ytcs_core::plan::{Comparator, Plan, Unit};
use ytcs_plandoc::parse_text;

fn facts(p: &Plan) -> Vec<(Comparator, Option<f64>, Unit, Option<i32>)> {
    p.targets
        .iter()
        .map(|t| (t.comparator, t.value, t.unit, t.year))
        .collect()
}

/// The numbers of the legal bases read, in order.
fn basis_numbers(p: &Plan) -> Vec<&str> {
    p.legal_bases
        .iter()
        .filter_map(|b| b.number.as_deref())
        .collect()
}

const HEAD: &str = "ỦY BAN NHÂN DÂN\nHUYỆN KRÔNG PA\nSố: 45/KH-UBND\nKrông Pa, ngày 10 tháng 01 năm 2024\nKẾ HOẠCH\nCông tác dân số năm 2024\n";

#[test]
fn hard_wrapped_targets_are_joined() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt\n95% vào năm 2024.\n- Giảm tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi xuống dưới 22% đến năm\n2030.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Eq, Some(95.0), Unit::Percent, Some(2024)),
            (Comparator::Lt, Some(22.0), Unit::Percent, Some(2030)),
        ]
    );
}

#[test]
fn targets_listed_in_running_prose_are_found() {
    let text = format!(
        "{HEAD}Thực hiện Quyết định số 1679/QĐ-TTg ngày 22/11/2019 của Thủ tướng Chính phủ, Ủy ban nhân dân huyện phấn đấu đến năm 2030: tỷ lệ phụ nữ mang thai được tầm soát ít nhất 4 loại bệnh đạt khoảng 22%; tỷ lệ trẻ sơ sinh được tầm soát bệnh bẩm sinh đạt 90%; giảm 50% số cặp tảo hôn so với năm 2020.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::About, Some(22.0), Unit::Percent, Some(2030)),
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2030)),
            (Comparator::ReduceBy, Some(50.0), Unit::Percent, Some(2030)),
        ]
    );
    assert_eq!(p.relative.len(), 1);
    assert_eq!(p.relative[0].target, 2);
    assert_eq!(p.relative[0].base_year, Some(2020));
}

#[test]
fn relative_targets_carry_their_base() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Mục tiêu cụ thể\n- Tỷ lệ người dân tham gia bảo hiểm y tế tăng 10% so với năm 2020.\n- Giảm tỷ suất sinh thô 1,5‰/năm.\n"
    );
    let p = parse_text("w.txt", &text);
    let f = facts(&p);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0].0, Comparator::IncreaseBy);
    assert_eq!(f[0].1, Some(10.0));
    assert_eq!(f[1].0, Comparator::ReduceBy);
    assert_eq!(f[1].1, Some(1.5));
    assert_eq!(f[1].2, Unit::PerMille);
    assert_eq!(p.relative.len(), 2);
    assert_eq!(p.relative[0].base_year, Some(2020));
    assert!(p.relative[1].per_year);
}

#[test]
fn results_of_past_years_stay_baselines() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Mục tiêu cụ thể\n- Tỷ lệ tiêm chủng đầy đủ năm 2020 đạt 85%, phấn đấu năm 2024 đạt 95%.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2024))]
    );
}

#[test]
fn an_identity_block_laid_out_as_a_table_is_read_cell_by_cell() {
    let text = "| **ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH** ------- | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** Độc lập - Tự do - Hạnh phúc --------------- |\n|---|---|\n| Số: **518**/QĐ-UBND | *Bình Định*, ngày 23 tháng 02 năm 2023 |\n\nQUYẾT ĐỊNH\n\nVỀ VIỆC PHÂN BỔ KẾ HOẠCH VỐN NĂM 2023\n\nCăn cứ Luật Đầu tư công ngày 13/6/2019;\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("518/QĐ-UBND"));
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2023-02-23"));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Bình Định"));
    let flat = "UBND TỈNH SƠN LA | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 3605/QĐ-UBND | Sơn La, ngày 30 tháng 12 năm 2014 |\nQUYẾT ĐỊNH\n";
    let p = parse_text("f.txt", flat);
    assert_eq!(p.number.as_deref(), Some("3605/QĐ-UBND"));
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2014-12-30"));
}

#[test]
fn a_capital_allocation_table_gives_budget_lines_not_targets() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH\nSố: 518/QĐ-UBND\nBình Định, ngày 23 tháng 02 năm 2023\nQUYẾT ĐỊNH\nVỀ VIỆC PHÂN BỔ KẾ HOẠCH VỐN NĂM 2023\nĐiều 1. Phân bổ kế hoạch vốn năm 2023:\n- Đề án nâng cao năng lực hệ thống y tế cơ sở: 50.000 triệu đồng.\nPHỤ LỤC\nĐVT: triệu đồng\n| STT | Danh mục dự án | Kế hoạch vốn năm 2023 | Ghi chú |\n|---|---|---|---|\n| I | HUYỆN PHÙ CÁT | 4.100 | |\n| 1 | Xây dựng mới Trạm y tế xã Cát Nhơn | 1.800 | |\n| 2 | Cải tạo, nâng cấp Trạm y tế xã Cát Minh | 500 | |\n";
    let p = parse_text("w.txt", text);
    assert!(p.targets.is_empty(), "{:?}", facts(&p));
    let amounts: Vec<i64> = p.budget.iter().map(|b| b.amount_vnd).collect();
    for a in [50_000_000_000, 4_100_000_000, 1_800_000_000, 500_000_000] {
        assert!(amounts.contains(&a), "{a} in {amounts:?}");
    }
}

#[test]
fn copies_pasted_from_web_pages_lose_their_tags() {
    let text = "<p>Căn cứ Luật Phòng chống bệnh truyền nhiễm số 03/2007/QH12 ban hành ngày 21/11/2007;</p>\n<h3>1. MỤC TIÊU</h3>\n<p>- Chỉ tiêu 1: Giảm tỷ suất tử vong trẻ em dưới 1 tuổi trên 1.000 trẻ đẻ sống xuống 12,5 vào năm 2025.</p>\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.legal_bases.len(), 1, "{:?}", p.legal_bases);
    assert_eq!(p.legal_bases[0].number.as_deref(), Some("03/2007/QH12"));
    assert_eq!(
        facts(&p),
        [(Comparator::Eq, Some(12.5), Unit::PerMille, Some(2025))]
    );
}

fn bases(p: &Plan) -> Vec<(Option<&str>, String)> {
    p.legal_bases
        .iter()
        .map(|b| {
            (
                b.number.as_deref(),
                b.date.map(|d| d.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

/// Third held-out batch, after its blind figures: bases listed under
/// `I. CĂN CỨ KẾ HOẠCH`, a third act joined by `và`, `số:` with a colon.
#[test]
fn bases_under_a_plan_heading_joined_by_va_or_after_so_colon_are_read() {
    let text = format!(
        "{HEAD}I. CĂN CỨ KẾ HOẠCH\n- Nghị định số 104/2016/NĐ-CP ngày 01/7/2016 của Chính phủ quy định về hoạt động tiêm chủng;\n- Văn bản số 03/VBHN-BYT ngày 11/3/2024 của Bộ Y tế về hợp nhất các Nghị định;\nII. MỤC TIÊU\n"
    );
    assert_eq!(
        bases(&parse_text("w.txt", &text)),
        [
            (Some("104/2016/NĐ-CP"), "2016-07-01".into()),
            (Some("03/VBHN-BYT"), "2024-03-11".into())
        ]
    );
    let text = format!(
        "{HEAD}Căn cứ Quyết định số 1920/QĐ-TTg ngày 27/10/2011 của Thủ tướng Chính phủ; Quyết định số 08/QĐ-BYT ngày 04/01/2017 phê duyệt lộ trình và Quyết định số 2657/QĐ-BYT ngày 23/6/2020 của Bộ Y tế, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\nCăn Cứ Quyết định số: 155/QĐ-TTg ngày 29/01/2022 của Thủ tướng Chính phủ;\nI. MỤC TIÊU\n"
    );
    assert_eq!(
        bases(&parse_text("w.txt", &text)),
        [
            (Some("1920/QĐ-TTg"), "2011-10-27".into()),
            (Some("08/QĐ-BYT"), "2017-01-04".into()),
            (Some("2657/QĐ-BYT"), "2020-06-23".into()),
            (Some("155/QĐ-TTg"), "2022-01-29".into())
        ]
    );
}

/// Third held-out batch, after its blind figures: a value with no year
/// before it takes the first year after it; `và duy trì đến năm 2030`
/// keeps the target before it; a base period after `so với` is no due
/// year, and a target after it in the segment is no baseline.
#[test]
fn years_after_the_value_maintained_targets_and_base_periods_are_read() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n2. Mục tiêu cụ thể\na) 100% cấp ủy ban hành nghị quyết vào năm 2025 và duy trì đến năm 2030;\nb) 75% người cao tuổi được cung cấp thông tin vào năm 2025 và đạt 85% vào năm 2030;\nc) Giảm 10% ca mắc sốt xuất huyết so với trung bình giai đoạn năm 2016 – 2020, tỷ lệ tử vong/mắc dưới 0,09% vào năm 2025.\n"
    );
    let p = parse_text("w.txt", &text);
    let got: Vec<(Option<f64>, Option<i32>)> =
        p.targets.iter().map(|t| (t.value, t.year)).collect();
    assert_eq!(
        got,
        [
            (Some(100.0), Some(2025)),
            (Some(100.0), Some(2030)),
            (Some(75.0), Some(2025)),
            (Some(85.0), Some(2030)),
            (Some(10.0), Some(2025)),
            (Some(0.09), Some(2025)),
        ]
    );
    assert_eq!(p.targets[1].comparator, Comparator::Maintain);
}

/// A list announced as targets (`được giao chỉ tiêu cụ thể: năm 2016: …;
/// năm 2017: …`) in an undated text keeps its earlier years as targets.
#[test]
fn a_yearly_list_announced_as_targets_is_not_read_as_results() {
    let text = "Theo đó, đến năm 2020 các tỉnh được giao chỉ tiêu bao phủ bảo hiểm y tế đạt trên 90%. Trong đó, tỉnh được giao chỉ tiêu cụ thể: năm 2016: 89,0%; năm 2017: 90,0%; năm 2018: 91,0%; năm 2020: 92,6%./.\n";
    let p = parse_text("w.txt", text);
    let years: Vec<Option<i32>> = p.targets.iter().map(|t| t.year).collect();
    assert_eq!(
        years,
        [Some(2020), Some(2016), Some(2017), Some(2018), Some(2020)]
    );
}

/// A letter's submission deadline outside any numbered tree is a reporting
/// duty (third held-out batch, after its blind figures).
#[test]
fn a_deadline_in_a_letter_outside_the_tree_is_a_reporting_duty() {
    let text = "BỘ Y TẾ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 3886/BYT-KH-TC | Hà Nội, ngày 08 tháng 7 năm 2019 |\nKính gửi: Sở Y tế các tỉnh, thành phố\nNội dung kế hoạch và dự toán nêu trên đề nghị gửi về Bộ Y tế (Vụ Kế hoạch - Tài chính) trước ngày 07/8/2019 để tổng hợp, báo cáo Bộ Tài chính.\n";
    let p = parse_text("w.txt", text);
    let d: Vec<_> = p
        .reporting
        .iter()
        .map(|r| {
            (
                r.frequency,
                r.deadline.and_then(|d| Some((d.month?, d.day?))),
            )
        })
        .collect();
    assert_eq!(d, [(None, Some((8, 7)))]);
}

/// Fourth held-out batch, after its blind figures: dates glued to their
/// words by a site's conversion, and a signature block an annex follows.
#[test]
fn glued_dates_and_a_signature_before_an_annex_are_read() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH THỪA THIÊN HUẾ\nSố: 2317/QĐ-UBND\nThừa Thiên Huế, ngày 04 tháng 11 năm 2013\nQUYẾT ĐỊNH\nVỀ VIỆC CÔNG NHẬN XÃ ĐẠT TIÊU CHÍ QUỐC GIA VỀ Y TẾ XÃ\nCăn cứ Luật Tổ chức HĐND và UBND ngày26/11/2003;\nCăn cứ Công văn số 465/BYT-KHTC ngày 07 tháng02 năm 2012 của Bộ Y tế;\nTheo đề nghị của Giám đốc Sở Y tế tại Tờtrình số 1349/TTr-SYT ngày 09 tháng 10 năm 2013,\nQUYẾT ĐỊNH:\nĐiều 1. Công nhận 12 xã đạt Tiêu chí Quốc gia về Y tế xã.\nĐiều 2. Quyết định này có hiệu lực kể từ ngày ký./.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNgô Hòa\n\nDANH SÁCH\nXÃ ĐẠT TIÊU CHÍ QUỐC GIA VỀ Y TẾ XÃ\nI. THÀNH PHỐ HUẾ\n1. Phường Vĩnh Ninh\n2. Phường Phú Thuận\n";
    let p = parse_text("w.txt", text);
    assert_eq!(
        bases(&p),
        [
            (None, "2003-11-26".into()),
            (Some("465/BYT-KHTC"), "2012-02-07".into()),
            (Some("1349/TTr-SYT"), "2013-10-09".into())
        ]
    );
    let s = p.signer.expect("a signature block");
    assert_eq!(s.name.as_deref(), Some("Ngô Hòa"));
    assert_eq!(s.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(s.on_behalf_of.as_deref(), Some("ỦY BAN NHÂN DÂN"));
}

/// Fifth held-out batch, after its blind figures: a general department
/// under the ministry issues; `Để thực hiện … Nghị quyết 01/NQ-CP` is a
/// basis; signed changes after a colon, `so năm 2022`, a sex ratio and a
/// fertility rate.
#[test]
fn a_departments_letter_with_signed_changes_and_ratios_is_read() {
    let text = "BỘ Y TẾ\nTỔNG CỤC DÂN SỐ-\nKẾ HOẠCH HÓA GIA ĐÌNH\n-------\n\nSố: 207/TCDS-KHTC\n\nHà Nội, ngày 23 tháng 03 năm 2023\n\nĐể thực hiện các chỉ tiêu năm 2023 được giao tại Nghị quyết 01/NQ-CP ngày 06/01/2023 của Chính phủ, Tổng cục định hướng như sau:\n\nI. MỤC TIÊU\n\n2. Chỉ tiêu kế hoạch năm 2023\n\n- Tỷ số giới tính khi sinh: 111,2 số bé trai/100 bé gái sinh ra sống;\n\n- Tổng tỷ suất sinh: 2,1 con/phụ nữ.\n\n- Giảm tỷ số giới tính khi sinh (-SRB): -0,2 điểm phần trăm so với năm 2022;\n\n- Điều chỉnh mức sinh (+/-CBR): + 0,1 ‰ so với năm 2022;\n\n- Giảm số vị thành niên có thai ngoài ý muốn: 15% so năm 2022;\n";
    let p = parse_text("w.txt", text);
    assert_eq!(
        p.issuer.as_deref(),
        Some("Tổng cục Dân số - Kế hoạch hóa gia đình")
    );
    assert_eq!(bases(&p), [(Some("01/NQ-CP"), "2023-01-06".into())]);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (Eq, Some(111.2), Unit::Per100, Some(2023)),
            (Eq, Some(2.1), Unit::Ratio, Some(2023)),
            (ReduceBy, Some(0.2), Unit::Percent, Some(2023)),
            (IncreaseBy, Some(0.1), Unit::PerMille, Some(2023)),
            (ReduceBy, Some(15.0), Unit::Percent, Some(2023)),
        ]
    );
    let bases_of_relative: Vec<Option<i32>> = p.relative.iter().map(|r| r.base_year).collect();
    assert_eq!(bases_of_relative, [Some(2022), Some(2022), Some(2022)]);
}

/// Fifth held-out batch, after its blind figures: a press report gives a
/// paragraph to each group of targets (the run goes on over blank lines,
/// into `Theo đó, tối thiểu 80% …`, not into a time stamp); `đến 01 tháng
/// sau sinh` is no range; a value with its own year after it; a headline
/// rounding a quota is no target of its own.
#[test]
fn targets_of_a_press_report_over_several_paragraphs_are_read() {
    let text = "Ia Grai: Phấn đấu 93% dân số tham gia bảo hiểm y tế\n\nThứ Bảy, 24/12/2016, 07:33 [GMT+7]\n\nTheo đó, chỉ tiêu bao phủ BHYT từng năm cụ thể: năm 2018 đạt 87,98% dân số, đạt 91,93% dân số vào năm 2019 và đạt 93,12% dân số năm 2020.\n\nNăm 2020, tăng tỷ lệ trẻ em ăn bổ sung đúng tối thiểu 5% so với năm 2019.\n\nKế hoạch cũng đưa ra mục tiêu cải thiện tình trạng thiếu vi chất dinh dưỡng.\n\nTheo đó, tối thiểu 80% trẻ em suy dinh dưỡng được bổ sung đa vi chất. Tối thiểu 80% phụ nữ mang thai được cung cấp viên đa vi chất từ khi phát hiện mang thai đến 01 tháng sau sinh.\n";
    let p = parse_text("w.txt", text);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (Eq, Some(87.98), Unit::Percent, Some(2018)),
            (Eq, Some(91.93), Unit::Percent, Some(2019)),
            (Eq, Some(93.12), Unit::Percent, Some(2020)),
            (IncreaseBy, Some(5.0), Unit::Percent, Some(2020)),
            (Ge, Some(80.0), Unit::Percent, Some(2020)),
            (Ge, Some(80.0), Unit::Percent, Some(2020)),
        ]
    );
}

/// Fifth held-out batch, after its blind figures: a document site's text
/// layer runs head, title and preamble into one line and loses hyphens
/// (`5042/QĐUBND`); acts listed after `các quyết định của Bộ Y tế số:`.
#[test]
fn a_flattened_text_layer_with_lost_hyphens_is_read() {
    let text = "Nội dung Text: Quyết định\n\n  1. ỦY BAN NHÂN DÂN CỘNG HÒA XàHỘI CHỦ NGHĨA VIỆT NAM TỈNH THANH HÓA Độc lập  Tự do  Hạnh phúc    Số: 5042/QĐUBND Thanh Hóa, ngày 28 tháng 11 năm 2019   QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT ĐỀ ÁN THÍ ĐIỂM SÀNG LỌC UNG THƯ CỔ TỬ CUNG CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THANH HÓA Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015; Căn cứ Quyết định 376/QĐTTg ngày 20/3/2015 của Thủ tướng Chính phủ về việc phê duyệt Chiến lược quốc gia phòng chống bệnh ung thư; Căn cứ các quyết định của Bộ Y tế số: 2402/QĐBYT ngày 10/6/2019 về việc hướng dẫn dự phòng và kiểm soát UTCTC; 3877/QĐBYT ngày 29/8/2019 về việc phê duyệt tài liệu\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("5042/QĐ-UBND"));
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2019-11-28"));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Thanh Hóa"));
    assert_eq!(
        bases(&p),
        [
            (None, "2015-06-19".into()),
            (Some("376/QĐ-TTg"), "2015-03-20".into()),
            (Some("2402/QĐ-BYT"), "2019-06-10".into()),
            (Some("3877/QĐ-BYT"), "2019-08-29".into())
        ]
    );
}

/// Fifth held-out batch, after its blind figures: a letter converted from
/// DOC with drawing-object names in its head, the level line after a blank
/// one, a body sentence naming the committee, the signer's name glued to
/// its title beside the recipients, and a one-off submission deadline.
#[test]
fn a_converted_letter_with_a_glued_signer_and_a_submission_deadline_is_read() {
    let text = "ỦY BAN NHÂN DÂN\n\nTHÀNH PHỐ HỒ CHÍ MINH\n\nstraight connector 2Số: 1551 /UBND-VX\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nstraight connector 1Độc lập - Tự do - Hạnh phúc\n\nThành phố Hồ Chí Minh, ngày 07 tháng 4 năm 2016\nKính gửi:\n\n- Sở Y tế;\n\nThực hiện Quyết định số 468/QĐ-TTg ngày 23 tháng 3 năm 2016 của Thủ tướng Chính phủ;\n\nỦy ban nhân dân Thành phố chỉ đạo như sau:\n\nGiao Sở Y tế chủ trì tham mưu trình Thường trực Ủy ban nhân dân Thành phố kế hoạch triển khai thực hiện Quyết định nêu trên, trước ngày 17 tháng 4 năm 2016 để xem xét ban hành./.\n\n\nNơi nhận:\nKT. CHỦ TỊCH\n\n- Như trên;\n\n- VPUB: CVP, PVP/VX;\n\n- Lưu VT.\nPHÓ CHỦ TỊCHNguyễn Thị Thu\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("1551/UBND-VX"));
    assert_eq!(p.issuer.as_deref(), Some("UBND thành phố Hồ Chí Minh"));
    assert_eq!(bases(&p), [(Some("468/QĐ-TTg"), "2016-03-23".into())]);
    let s = p.signer.expect("a signature block");
    assert_eq!(s.name.as_deref(), Some("Nguyễn Thị Thu"));
    let d: Vec<_> = p
        .reporting
        .iter()
        .map(|r| {
            (
                r.frequency,
                r.deadline.and_then(|d| Some((d.month?, d.day?))),
            )
        })
        .collect();
    assert_eq!(d, [(None, Some((4, 17)))]);
}

/// Fifth held-out batch, after its blind figures: a head without its level
/// line takes the level the text gives its place; acts listed by commas in
/// one `Thực hiện` sentence; what was done under an act (`Thực hiện …,
/// Tỉnh … đã đưa …`) is no basis.
#[test]
fn a_head_without_its_level_line_and_comma_listed_acts_are_read() {
    let text = "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 118/KH-UBND | Lào Cai, ngày 03 tháng 04 năm 2020 |\nHÀNH ĐỘNG GIAI ĐOẠN 2020-2025 CỦA TỈNH LÀO CAI THỰC HIỆN CHIẾN LƯỢC DÂN SỐ\nThực hiện Quyết định số 2188/QĐ-TTg ngày 15/11/2016 của Thủ tướng Chính phủ về thanh toán thuốc kháng vi rút HIV, Thông tư số 28/2017/TT-BYT ngày 28/6/2017 của Bộ Y tế quy định về quản lý thuốc kháng HIV, Thông tư số 08/2018/TT-BYT ngày 18/4/2018 của Bộ Y tế sửa đổi Thông tư số 28/2017/TT-BYT, Ủy ban nhân dân tỉnh xây dựng kế hoạch như sau:\nThực hiện Chỉ thị số 23/2008/CT-TTg ngày 4/8/2008 của Thủ tướng Chính phủ về công tác dân số, Tỉnh Lào Cai đã đưa công tác dân số vào chương trình công tác.\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Lào Cai"));
    assert_eq!(
        bases(&p),
        [
            (Some("2188/QĐ-TTg"), "2016-11-15".into()),
            (Some("28/2017/TT-BYT"), "2017-06-28".into()),
            (Some("08/2018/TT-BYT"), "2018-04-18".into())
        ]
    );
}

/// Sixth held-out batch, after its blind figures: a site's copy with its
/// line breaks left as text (`\r\n`), a lettered item under a short
/// numbered heading, a definition's weight in brackets, and a head without
/// its level line whose place is a province.
#[test]
fn literal_line_breaks_a_lettered_item_and_a_province_head_are_read() {
    let text = concat!(
        r"\r\n ỦY BAN NHÂN DÂN | \r\n \r\n CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM | \r\n",
        "\n",
        r"\r\n Số: 12/KH-UBND \r\n | \r\n Hà Giang, ngày 04 tháng 5 năm 2021 \r\n | \r\n",
        "\n",
        r"Thực hiện Quyết định số 1896/QĐ-TTg\r\nngày 25/12/2019 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:",
        "\n",
        r"\r\n\r\n1. Mục tiêu chung",
        "\n",
        r"\r\nCải thiện dinh dưỡng của trẻ em.",
        "\n",
        r"\r\n2. Mục tiêu cụ thể",
        "\n",
        r"\r\na) Cải thiện tình trạng dinh dưỡng của trẻ em trên địa bàn",
        "\n",
        r"\r\n- Đến năm 2025: tỷ lệ trẻ có cân nặng sơ sinh thấp (dưới 2.500 gram) dưới\r\n6%; tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi dưới 25%.",
        "\n",
    );
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("12/KH-UBND"));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Hà Giang"));
    assert_eq!(bases(&p), [(Some("1896/QĐ-TTg"), "2019-12-25".into())]);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Lt, Some(6.0), Unit::Percent, Some(2025)),
            (Comparator::Lt, Some(25.0), Unit::Percent, Some(2025)),
        ]
    );
}

/// `S: 309/KH-UBND` (a conversion lost `ố`), and the plan a plan continues
/// (`Tiếp theo Kế hoạch số …`) as a basis.
#[test]
fn a_damaged_number_label_and_a_continued_plan_are_read() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH YÊN BÁI\nS: 77/KH-UBND\nYên Bái, ngày 02 tháng 3 năm 2019\nKẾ HOẠCH\nChăm sóc sức khỏe bà mẹ và trẻ em năm 2019\nCăn cứ Quyết định số 4177/QĐ-BYT ngày 03/8/2016 của Bộ trưởng Bộ Y tế;\nTiếp theo Kế hoạch số 1547/KH-UBND ngày 03/6/2016 của UBND tỉnh về dân số và sức khỏe sinh sản.\nI. MỤC TIÊU\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("77/KH-UBND"));
    assert_eq!(
        bases(&p),
        [
            (Some("4177/QĐ-BYT"), "2016-08-03".into()),
            (Some("1547/KH-UBND"), "2016-06-03".into())
        ]
    );
    // A committee head naming a district keeps its own level.
    let district = "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 5/KH-UBND | Mèo Vạc, ngày 02 tháng 3 năm 2019 |\nKẾ HOẠCH\nDân số năm 2019 của huyện Mèo Vạc\n";
    let p = parse_text("w.txt", district);
    assert_eq!(p.issuer.as_deref(), Some("UBND huyện Mèo Vạc"));
}

/// Comparators the blind batches showed: `đạt từ 98%` is a floor,
/// `xuống dưới tỷ lệ 15/100.000` a ceiling; a target's label number
/// (`Chỉ tiêu 13:`) and an age before a rate's denominator (`dưới 1 tuổi
/// trên 1.000 trẻ đẻ sống`) are no values; a range (`từ 2 đến 3%`) is no
/// single target.
#[test]
fn floors_ceilings_label_numbers_ages_and_ranges() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt từ 98% vào năm 2024.\n- Đến năm 2025: giảm số người chết do lao xuống dưới tỷ lệ 15/100.000 người dân.\n- Chỉ tiêu 3: Giảm tỷ suất tử vong trẻ sơ sinh trên 1.000 trẻ đẻ sống dưới 9,5 vào năm 2025; giảm tỷ suất tử vong trẻ em dưới 1 tuổi trên 1.000 trẻ đẻ sống xuống 12,5 vào năm 2025.\n- Chỉ tiêu 4: Duy trì mức giảm số cuộc tảo hôn từ 2 đến 3% hằng năm.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Ge, Some(98.0), Unit::Percent, Some(2024)),
            (Comparator::Lt, Some(15.0), Unit::Per100000, Some(2025)),
            (Comparator::Lt, Some(9.5), Unit::PerMille, Some(2025)),
            (Comparator::Eq, Some(12.5), Unit::PerMille, Some(2025)),
        ]
    );
}

/// A year written after a value, then a comma or a colon, and another
/// value with its own year: each value keeps its own (`đạt 98,5% vào năm
/// 2025, phấn đấu 100% vào năm 2030`); a year that opens a value keeps it
/// (`năm 2016 đạt 81,5%, năm 2017 đạt 84,3%`).
#[test]
fn a_year_after_a_value_is_not_the_next_values() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh đạt 98,5% vào năm 2025, phấn đấu 100% vào năm 2030.\n- Tỷ lệ trẻ em hoàn thành cấp tiểu học đạt 99% vào năm 2030: phấn đấu giảm tỷ lệ trẻ em bỏ học bậc tiểu học dưới 0,12% vào năm 2025.\n- Tỷ lệ bao phủ bảo hiểm y tế: năm 2026 đạt 81,5%, năm 2027 đạt 84,3%.\n"
    );
    let p = parse_text("w.txt", &text);
    let got: Vec<(Option<f64>, Option<i32>)> =
        p.targets.iter().map(|t| (t.value, t.year)).collect();
    assert_eq!(
        got,
        [
            (Some(98.5), Some(2025)),
            (Some(100.0), Some(2030)),
            (Some(99.0), Some(2030)),
            (Some(0.12), Some(2025)),
            (Some(81.5), Some(2026)),
            (Some(84.3), Some(2027)),
        ]
    );
}

/// QĐ 23/QĐ-TTg's shapes, written anew: a bare value after `và` keeps the
/// bound of the one before (`xuống dưới 6,5% … và 6% …`); `vào năm 2025
/// và năm 2030` gives both values of the clause both years; a `;` clause's
/// own year after its value wins over the last clause's; `gặp thiên tai`
/// is no `hiện tại`; a value followed only by its year takes the words
/// before it as its subject.
#[test]
fn bounds_carried_years_shared_and_clause_years() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Giảm tỷ lệ trẻ em có hoàn cảnh đặc biệt xuống dưới 6,5% vào năm 2025 và 6% vào năm 2030.\n- Giảm tỷ lệ thấp còi xuống dưới 20% vào năm 2030; giảm tỷ lệ béo phì xuống dưới 5% đối với nông thôn và dưới 10% đối với thành thị vào năm 2025 và năm 2030.\n- Phấn đấu 100% trẻ em gặp thiên tai được cứu trợ kịp thời.\n- Tỷ lệ trường học có cơ sở hạ tầng và tài liệu phù hợp với học sinh, sinh viên khuyết tật đạt 55% vào năm 2025.\n"
    );
    let p = parse_text("w.txt", &text);
    let mut f = facts(&p);
    f.sort_by(|a, b| (a.3, a.1.map(|v| v as i64)).cmp(&(b.3, b.1.map(|v| v as i64))));
    use Comparator::*;
    assert_eq!(
        f,
        [
            (Ge, Some(100.0), Unit::Percent, Some(2024)),
            (Lt, Some(5.0), Unit::Percent, Some(2025)),
            (Lt, Some(6.5), Unit::Percent, Some(2025)),
            (Lt, Some(10.0), Unit::Percent, Some(2025)),
            (Eq, Some(55.0), Unit::Percent, Some(2025)),
            (Lt, Some(5.0), Unit::Percent, Some(2030)),
            (Lt, Some(6.0), Unit::Percent, Some(2030)),
            (Lt, Some(10.0), Unit::Percent, Some(2030)),
            (Lt, Some(20.0), Unit::Percent, Some(2030)),
        ]
    );
}

/// A purpose section's sentence that names a target and its year is read;
/// its aims in words are not.
#[test]
fn a_target_stated_in_the_purpose_section_is_read() {
    let text = format!(
        "{HEAD}I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao năng lực phát hiện ca bệnh và giảm tỷ lệ tử vong do bệnh lao, đạt mục tiêu giảm tỷ lệ mắc bệnh lao dưới\n20/100.000 dân vào năm 2030.\n- Bảo đảm 100% cán bộ được tập huấn.\n2. Yêu cầu\n- Huy động sự tham gia của cả hệ thống chính trị.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [(Comparator::Lt, Some(20.0), Unit::Per100000, Some(2030))]
    );
}

/// A range of rates (`từ 2 đến 3%`, `30-40%`) is no single target: the
/// reader says so on its line, in both languages.
#[test]
fn a_range_of_rates_is_flagged_not_read() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Duy trì mức giảm số cuộc tảo hôn từ 2 đến 3% hằng năm.\n- Trẻ em từ 5 đến 17 tuổi được tư vấn đạt 80%.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [(Comparator::Eq, Some(80.0), Unit::Percent, Some(2024))]
    );
    let range: Vec<&String> = p.warnings.iter().filter(|w| w.contains("range")).collect();
    assert_eq!(
        range,
        ["line 9: a range (2 đến 3%) is not read as a target"]
    );
    assert!(p
        .warnings_vi
        .iter()
        .any(|w| w == "dòng 9: một khoảng (2 đến 3%) không được đọc là chỉ tiêu"));
}

/// A percent's subject ends where the next indicator begins (`…, tỷ lệ
/// tử vong/mắc dưới 0,09%`), so the next value keeps its own comparator.
#[test]
fn the_next_indicator_after_a_comma_keeps_its_comparator() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Giảm 10% số ca mắc sốt xuất huyết so với năm 2023, tỷ lệ tử vong/mắc dưới 0,09%.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::ReduceBy, Some(10.0), Unit::Percent, Some(2024)),
            (Comparator::Lt, Some(0.09), Unit::Percent, Some(2024)),
        ]
    );
}

/// Found on two news pages added to dev: a value glued to its comparator
/// (`xuống dưới18,5‰`) is no footnote mark; a subject naming its own
/// measure (`tỷ lệ phụ nữ đẻ …`) does not borrow the previous target's
/// rate, nor does a share of provinces (`100% các tỉnh … đưa mục tiêu giảm
/// tử vong trẻ em …`) become that rate in ‰; `A và B đều giảm 20%` gives
/// each its target.
#[test]
fn glued_comparators_own_measures_and_shared_values() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Chỉ tiêu cụ thể\n- Giảm tỷ suất tử vong trẻ dưới 5 tuổi xuống dưới18,5‰; tỷ lệ phụ nữ đẻ được người đỡ đẻ có kỹ năng hỗ trợ đạt 95%; 100% các tỉnh đưa mục tiêu giảm tử vong trẻ em dưới 5 tuổi vào kế hoạch.\n- Đến năm 2025 tỷ lệ có thai ở vị thành niên và tỷ lệ phá thai ở vị thành niên đều giảm 20% so với năm 2020.\n"
    );
    let p = parse_text("w.txt", &text);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (Lt, Some(18.5), Unit::PerMille, Some(2024)),
            (Eq, Some(95.0), Unit::Percent, Some(2024)),
            (Ge, Some(100.0), Unit::Percent, Some(2024)),
            (ReduceBy, Some(20.0), Unit::Percent, Some(2025)),
            (ReduceBy, Some(20.0), Unit::Percent, Some(2025)),
        ]
    );
    assert!(p.targets[1].indicator.is_none() && p.targets[2].indicator.is_none());
    assert_eq!(p.relative.len(), 2);
    assert!(p.relative.iter().all(|r| r.base_year == Some(2020)));
}

/// Seventh held-out batch: a title carrying out an act of a past date
/// (`THỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024`) gives the plan
/// no year, so targets stated without one (a task's running sentence) stay
/// targets without a year instead of baselines of 2024.
#[test]
fn a_dated_act_in_the_title_is_not_the_plan_year() {
    let text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\nSố: 12/KH-UBND\nHải Phòng, ngày 03 tháng 12 năm 2025\nKẾ HOẠCH\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024 CỦA THỦ TƯỚNG CHÍNH PHỦ\nI. NỘI DUNG THỰC HIỆN\n1. Sở Y tế\na) Chủ trì triển khai các giải pháp. Trong đó, tập trung các giải pháp, cụ thể: Phấn đấu tỷ lệ người cao tuổi được khám sức khỏe đạt 80%; giảm 30% số cặp tảo hôn;\n\nb) Tổ chức sơ kết.\n";
    let p = parse_text("w.txt", text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Eq, Some(80.0), Unit::Percent, None),
            (Comparator::ReduceBy, Some(30.0), Unit::Percent, None),
        ]
    );
}

/// Seventh held-out batch: acts after `;` in a basis clause without a cue
/// of their own — one without its `số` (`Quyết định 3972/QĐ-BYT`), a Tờ
/// trình, and a letter on the next line of a `Thực hiện` clause ending in
/// `;` — are bases; `Trên cơ sở các kết quả đạt được …, theo Nghị quyết …`
/// names no basis, but a `Thực hiện` sentence after it does.
#[test]
fn acts_continuing_a_basis_clause_and_grounds_that_are_no_basis() {
    let text = format!(
        "{HEAD}Căn cứ Quyết định số 1987/QĐ-BYT ngày 11/7/2024 của Bộ Y tế; Quyết định 3972/QĐ-BYT ngày 28/12/2024 của Bộ Y tế; Tờ trình số 14/TTr-SYT ngày 15/01/2025 của Sở Y tế.\nThực hiện Chỉ thị số 27/CT-TTg ngày 15/8/2024 của Thủ tướng Chính phủ;\nCông văn số 6676/BYT-CDS ngày 29/10/2024 của Bộ Y tế.\nTrên cơ sở các kết quả đạt được, để đạt được các mục tiêu theo Nghị quyết số 21-NQ/TW và Chỉ thị số 27/CT-TTg, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\nTrên cơ sở đánh giá kết quả năm 2023. Thực hiện Quyết định số 02/QĐ-TTg ngày 05/01/2022 của Thủ tướng Chính phủ, Ủy ban nhân dân huyện ban hành Kế hoạch.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        basis_numbers(&p),
        [
            "1987/QĐ-BYT",
            "3972/QĐ-BYT",
            "14/TTr-SYT",
            "27/CT-TTg",
            "6676/BYT-CDS",
            "02/QĐ-TTg"
        ]
    );
    assert!(p.legal_bases.iter().all(|b| b.date.is_some()));
}

/// Seventh held-out batch: a provincial council's resolution with its head
/// broken over lines by a pipe table (`HỘI ĐỒNG` / `NHÂN DÂN` / `TỈNH …`) is
/// issued by the council; a per-mille sign typed `%0` is per mille; `phấn
/// đấu toàn tỉnh có trên 50% thôn …` commits to a share (not a count of
/// the present like `toàn tỉnh có …`); a Tờ trình wrapped inside the
/// proposer's name (`Giám đốc Sở` / `Y tế tại Tờ trình …`) is a basis.
#[test]
fn a_council_head_a_typed_per_mille_and_a_committed_share() {
    let text = "HỘI ĐỒNG\nNHÂN DÂN\nTỈNH HÀ GIANG\n--------\n|\nCỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM\n|\nSố:\n07/2012/NQ-HĐND\n|\nHà Giang, ngày\n12 tháng 7 năm 2012\n|\nNGHỊ QUYẾT\nVỀ CHÍNH SÁCH DÂN SỐ ĐẾN NĂM 2015\nHỘI ĐỒNG NHÂN DÂN TỈNH HÀ GIANG\nTheo đề nghị của Giám đốc Sở\nY tế tại Tờ trình số 88/TTr-SYT ngày 02/7/2012.\nQUYẾT NGHỊ:\nI. MỤC TIÊU\n2. Chỉ tiêu cụ thể\n- Đến năm 2015: Giảm tỷ suất sinh bình quân hàng\nnăm 0,4%0, tỷ lệ sinh con thứ 3 trở lên xuống dưới 15%; phấn đấu toàn tỉnh có trên 60%\nthôn không có người sinh con thứ 3 trở lên.\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.issuer.as_deref(), Some("HĐND tỉnh Hà Giang"));
    assert_eq!(basis_numbers(&p), ["88/TTr-SYT"]);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (ReduceBy, Some(0.4), Unit::PerMille, Some(2015)),
            (Lt, Some(15.0), Unit::Percent, Some(2015)),
            (Gt, Some(60.0), Unit::Percent, Some(2015)),
        ]
    );
}

/// Seventh held-out batch: a news page announcing its targets in a line of
/// its own (`Theo đó, mục tiêu đặt ra là:`) has them in the paragraphs after
/// a blank line, even without a year.
#[test]
fn announced_targets_after_a_blank_line() {
    let text = "Tỉnh triển khai chiến dịch tiêm vắc xin cho trẻ.\n\nTheo đó, mục tiêu đặt ra là:\n\n- Trên 95% trẻ từ 12-17 tuổi trên địa bàn tỉnh được tiêm đủ liều vắc xin.\n\n- Hoạt động tiêm chủng đảm bảo an toàn; sử dụng 100% số liều vắc xin được cấp.\n";
    let p = parse_text("w.txt", text);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (Gt, Some(95.0), Unit::Percent, None),
            (Ge, Some(100.0), Unit::Percent, None),
        ]
    );
}

/// Seventh held-out batch: a population size in millions (`9,0 triệu
/// người`) is a head count, not money; a lettered heading naming a year
/// (`a) Chỉ tiêu đến năm 2025`) gives it to its paragraphs over the plan's
/// horizon (`… ĐẾN NĂM 2030`); `bình quân mỗi phụ nữ … có 2,1 con` is the
/// fertility rate; a news page's `Nhằm tổ chức triển khai tốt Nghị quyết 21
/// – NQ/TW ngày …` names its basis.
#[test]
fn millions_of_people_a_lettered_year_and_children_per_woman() {
    let text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 99/KH-UBND\nHà Nội, ngày 08 tháng 12 năm 2020\nKẾ HOẠCH\nTHỰC HIỆN CHIẾN LƯỢC DÂN SỐ ĐẾN NĂM 2030\nI. MỤC TIÊU, CHỈ TIÊU\n2. Chỉ tiêu cụ thể\na) Chỉ tiêu đến năm 2025\nQuy mô dân số đạt mức 9,0 triệu người;\nb) Chỉ tiêu đến năm 2030\nDuy trì mức sinh thay thế (bình quân mỗi phụ nữ trong độ tuổi sinh đẻ có 2,1 con).\n";
    let p = parse_text("w.txt", text);
    use Comparator::*;
    assert_eq!(
        facts(&p),
        [
            (Eq, Some(9_000_000.0), Unit::Count, Some(2025)),
            (Maintain, Some(2.1), Unit::Ratio, Some(2030)),
        ]
    );
    let news = "Tin Văn Hóa xã hội\n\nHuyện triển khai công tác dân số trong tình hình mới\n\nNhằm tổ chức triển khai tốt Nghị quyết 21 – NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương, huyện ban hành kế hoạch thực hiện.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(
        p.legal_bases
            .iter()
            .map(|b| (b.number.as_deref(), b.date.map(|d| d.to_string())))
            .collect::<Vec<_>>(),
        [(Some("21-NQ/TW"), Some("2017-10-25".to_string()))]
    );
}

/// Met while writing the seventh batch's tests: a task opening with `Chủ
/// trì` and introducing its list (`Chủ trì triển khai các giải pháp, cụ
/// thể: Phấn đấu … đạt 80%; …`) is a task with targets, not a `Chủ trì:`
/// label naming a lead unit.
#[test]
fn a_task_introducing_its_list_is_no_lead_label() {
    let text = format!(
        "{HEAD}I. NỘI DUNG THỰC HIỆN\n1. Trung tâm Y tế huyện\na) Chủ trì triển khai các giải pháp, cụ thể: Phấn đấu tỷ lệ người cao tuổi được khám sức khỏe đạt 80%; giảm 30% số cặp tảo hôn.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Eq, Some(80.0), Unit::Percent, Some(2024)),
            (Comparator::ReduceBy, Some(30.0), Unit::Percent, Some(2024)),
        ]
    );
    let text = format!(
        "{HEAD}I. NỘI DUNG THỰC HIỆN\n1. Truyền thông dân số\n- Chủ trì: Trung tâm Y tế huyện.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        p.tasks.last().map(|t| t.lead_units.clone()),
        Some(vec!["Trung tâm Y tế huyện".to_string()])
    );
}

/// Eighth batch: a basis list under a heading wrapped after its first
/// words (`II. CĂN CỨ` / `XÂY DỰNG KẾ HOẠCH`) and a numbered sub-heading
/// that names the acts (`1. Các văn bản của Trung ương`), each act wrapped
/// between its number and its date.
#[test]
fn a_basis_list_under_a_wrapped_heading_and_a_sub_heading() {
    let text = format!(
        "{HEAD}II. CĂN CỨ\nXÂY DỰNG KẾ HOẠCH\n1. Các văn bản của Trung ương\n- Luật Khám bệnh, chữa\nbệnh ngày 09 tháng 01 năm 2023;\n- Quyết định số 2120/QĐ-BYT\nngày 04/7/2023 của Bộ Y tế;\n- Kế hoạch số 18/KH-UBND ngày\n02/02/2023 của Ủy ban nhân dân huyện.\n2. Tình hình sức khỏe người dân\nNăm 2023, tỷ lệ người dân có thẻ bảo hiểm y tế đạt 91%.\nIII. MỤC TIÊU\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(basis_numbers(&p), ["2120/QĐ-BYT", "18/KH-UBND"]);
    assert_eq!(p.legal_bases.len(), 3, "{:?}", p.legal_bases);
    assert_eq!(
        p.legal_bases[0].date.map(|d| d.to_string()).as_deref(),
        Some("2023-01-09")
    );
}

/// Eighth batch: `Triển khai thực hiện Nghị quyết số …` opens a basis
/// sentence like `Thực hiện`; a `Kết luận` after `;` and a party code of
/// mixed case with a space after its dash (`59- CTr/TU`) are acts of the
/// list; a title in capitals carrying out an act (its heading lost) is no
/// basis sentence.
#[test]
fn basis_sentences_of_the_eighth_batch() {
    let text = "ỦY BAN NHÂN DÂN\nHUYỆN KRÔNG PA\nSố: 46/KH-UBND\nKrông Pa, ngày 10 tháng 01 năm 2024\nTHỰC HIỆN CHƯƠNG TRÌNH Y TẾ CƠ SỞ THEO QUYẾT ĐỊNH SỐ 1092/QĐ-TTG NGÀY 02/9/2018 CỦA THỦ TƯỚNG CHÍNH PHỦ\nTriển khai thực hiện Nghị quyết số 68/NQ-CP ngày 09 tháng 5 năm 2024 của Chính phủ; Kết luận số 149-KL/TW ngày 10/4/2025 của Bộ Chính trị; Chương trình hành động số 59- CTr/TU ngày 08/02/2018 của Tỉnh ủy thực hiện Nghị quyết 20-NQ/TW, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n";
    let p = parse_text("w.txt", text);
    assert_eq!(basis_numbers(&p), ["68/NQ-CP", "149-KL/TW", "59-CTr/TU"]);
    assert!(p.legal_bases.iter().all(|b| b.date.is_some()));
}

/// Eighth batch: a quoted title after a hard wrap (`… về việc phê duyệt` /
/// `“Chiến lược …” và Quyết định số …`) goes on with its sentence, so the
/// act joined by `và` after it is a basis too.
#[test]
fn a_quoted_title_after_a_wrap_keeps_its_sentence() {
    let text = format!(
        "{HEAD}Thực hiện Quyết định số 1165/QĐ-TTg ngày 09/10/2023 của Thủ tướng Chính phủ về việc phê duyệt\n“Chiến lược quốc gia phát triển ngành Dược” và Quyết định số 388/QĐ-BYT\nngày 20 tháng 02 năm 2024 của Bộ Y tế;\nI. MỤC ĐÍCH\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(basis_numbers(&p), ["1165/QĐ-TTg", "388/QĐ-BYT"]);
}

/// Eighth batch: the issuer of a head whose date line names a province with
/// a dash (`Bà Rịa - Vũng Tàu, ngày …`), and of the Prime Minister's head
/// broken over lines (`THỦ TƯỚNG CHÍNH` / `PHỦ`).
#[test]
fn issuers_of_the_eighth_batch() {
    let text = "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 12/KH-UBND | Bà Rịa - Vũng Tàu, ngày 05 tháng 3 năm 2024 |\nPHÒNG CHỐNG BỆNH DẠI TỈNH BÀ RỊA - VŨNG TÀU NĂM 2024\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Bà Rịa - Vũng Tàu"));
    let text = "THỦ TƯỚNG CHÍNH\nPHỦ\n-------\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\n|\nSố: 77/QĐ-TTg\n|\nHà Nội, ngày 13\ntháng 01 năm 2024\n|\nQUYẾT ĐỊNH\nPHÊ DUYỆT CHƯƠNG TRÌNH Y TẾ HỌC ĐƯỜNG\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.issuer.as_deref(), Some("Thủ tướng Chính phủ"));
}

/// Eighth batch: a campaign plan states its quota in its purpose section,
/// as an item opening with the rate (`- Từ 95% trẻ … được tiêm …`): a
/// floor of the plan's year; a purpose in words stays no target.
#[test]
fn a_purpose_item_opening_with_a_rate_is_a_target() {
    let text = format!(
        "{HEAD}I. MỤC ĐÍCH VÀ YÊU CẦU\n- Từ 95% trẻ từ đủ 6 tháng đến dưới 9 tháng tuổi trên địa bàn huyện được tiêm 01 mũi vắc xin phòng bệnh Sởi.\n- Bảo đảm an toàn tiêm chủng cho 100 điểm tiêm theo quy định.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [(Comparator::Ge, Some(95.0), Unit::Percent, Some(2024))]
    );
}

/// Eighth batch: a news page's lead restating a target of its body word for
/// word is one target, not two; two different targets of the same value
/// and year stay two.
#[test]
fn a_lead_restating_a_target_is_one_target() {
    let news = "Phê duyệt chương trình chăm sóc sức khỏe người cao tuổi\n\n(TTXVN) - Chương trình đặt mục tiêu 90% người cao tuổi được lập hồ sơ theo dõi quản lý sức khỏe vào năm 2025.\n\nChương trình đặt mục tiêu 90% người cao tuổi được lập hồ sơ theo dõi quản lý sức khỏe vào năm 2025; 90% người cao tuổi được khám sức khỏe định kỳ vào năm 2025.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2025)),
        ],
        "{:?}",
        p.targets.iter().map(|t| &t.subject).collect::<Vec<_>>()
    );
    assert_eq!(p.targets[0].line, 3);
}

/// Eighth batch: an excerpt cut off where a target's year was to come (`…
/// người cao tuổi vào` at the end of the text, no signature) gives that
/// target no year rather than the plan's horizon; a target with its year
/// on the last line keeps it.
#[test]
fn a_year_cut_off_by_the_excerpt_is_unknown() {
    let head = "ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\nSố: 15/KH-UBND\nGia Lai, ngày 10 tháng 01 năm 2024\nKẾ HOẠCH\nChăm sóc sức khỏe người cao tuổi đến năm 2030\nI. MỤC TIÊU\n";
    let p = parse_text(
        "w.txt",
        &format!("{head}a) 100% xã, phường có câu lạc bộ chăm sóc sức khỏe người cao tuổi vào"),
    );
    assert_eq!(
        facts(&p),
        [(Comparator::Ge, Some(100.0), Unit::Percent, None)]
    );
    let p = parse_text(
        "w.txt",
        &format!(
            "{head}a) 100% xã, phường có câu lạc bộ chăm sóc sức khỏe người cao tuổi vào năm 2025"
        ),
    );
    assert_eq!(
        facts(&p),
        [(Comparator::Ge, Some(100.0), Unit::Percent, Some(2025))]
    );
}

/// Eighth batch: a news page on a plan that carries out acts (`… cho ý
/// kiến vào Kế hoạch của UBND tỉnh thực hiện Nghị quyết số 282/NQ-CP ngày
/// … và Chương trình hành động số 04-CTr/TU ngày …`): those acts are its
/// bases; an act named inside their titles is not.
#[test]
fn a_news_page_names_the_acts_its_plan_carries_out() {
    let news = "Phiên họp UBND tỉnh tháng 11\n\nTại phiên họp, các đại biểu cho ý kiến vào Kế hoạch của UBND tỉnh thực hiện Nghị quyết số 282/NQ-CP ngày 15/9/2025 của Chính phủ và Chương trình hành động số 04-CTr/TU ngày 4/11/2025 của Ban Thường vụ Tỉnh ủy về thực hiện Nghị quyết số 72-NQ/TW ngày 9/9/2025 của Bộ Chính trị.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(basis_numbers(&p), ["282/NQ-CP", "04-CTr/TU"]);
}

/// Ninth batch: a press report's paragraph opening with its horizon
/// (`Theo đó, đến năm 2015, 70% …, 80% …`) states targets without a word
/// like `mục tiêu`; the next paragraph (`Cũng đến năm 2015, 100% …`) goes
/// on; `Tính đến năm 2015, …` (a count so far) does not open so.
#[test]
fn a_paragraph_opening_with_its_horizon_states_targets() {
    let news = "Theo đó, đến năm 2015, 70% người sản xuất, chế biến thực phẩm, 80% người quản lý có kiến thức đúng về an toàn thực phẩm.\n\nCũng đến năm 2015, 100% siêu thị được kiểm soát an toàn thực phẩm.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Eq, Some(70.0), Unit::Percent, Some(2015)),
            (Comparator::Eq, Some(80.0), Unit::Percent, Some(2015)),
            (Comparator::Ge, Some(100.0), Unit::Percent, Some(2015)),
        ]
    );
    let past = "Tính đến năm 2015, 70% người sản xuất có kiến thức đúng về an toàn thực phẩm.\n";
    assert!(parse_text("w.txt", past).targets.is_empty());
}

/// Ninth batch: an announced dash list of indicators goes on over blank
/// lines through an item without a rate sign (`dưới 1/100.000 dân`), and
/// `ít nhất 95% qua các năm` holds for every year (no one year).
#[test]
fn an_announced_dash_list_goes_on_through_an_item_without_a_percent() {
    let news = "Kế hoạch đề ra các chỉ tiêu như sau:\n\n- Số người nhiễm HIV phát hiện mới đạt mức dưới 70 trường hợp/năm vào năm 2025.\n\n- Tỷ lệ người nhiễm HIV tử vong liên quan đến HIV/AIDS dưới 1/100.000 dân vào năm 2025.\n\n- Tỷ lệ người nghiện được điều trị bằng thuốc thay thế đạt 50% vào năm 2025.\n\n- Tỷ lệ người điều trị ARV có tải lượng HIV dưới ngưỡng ức chế đạt ít nhất 95% qua các năm.\n";
    let p = parse_text("w.txt", news);
    let got = facts(&p);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[1].0, Comparator::Lt);
    assert_eq!(got[1].2, Unit::Per100000);
    assert_eq!(
        got[2],
        (Comparator::Eq, Some(50.0), Unit::Percent, Some(2025))
    );
    assert_eq!(got[3], (Comparator::Ge, Some(95.0), Unit::Percent, None));
}

/// Ninth batch: `dưới 20 người trên 100.000 người dân` is a rate per
/// 100,000 (its denominator is no target of its own).
#[test]
fn people_per_100000_inhabitants_is_a_rate() {
    let news = "Chiến lược đặt ra mục tiêu hết năm 2015 phải giảm số người mắc bệnh lao trong cộng đồng xuống dưới 187 người trên 100.000 người dân; giảm số người chết do bệnh lao xuống dưới 18 người trên 100.000 người dân.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Lt, Some(187.0), Unit::Per100000, Some(2015)),
            (Comparator::Lt, Some(18.0), Unit::Per100000, Some(2015)),
        ]
    );
}

/// Ninth batch: in `Mục tiêu cụ thể gồm: (1) …; (2) …` the ordinals are no
/// values, nor is a weight defining a group (`dưới 2.500 g`); the rates
/// spelling out `90 - 90 - 90 (90% …; 90% …; 90% …)` are a direction's
/// name, not quotas; a value opening a sentence after `Giảm thiểu … .`
/// takes no cue from it.
#[test]
fn ordinals_weights_and_named_goals_are_no_targets() {
    let news = "Mục tiêu cụ thể gồm: (1) Cải thiện tình trạng dinh dưỡng, trong đó giảm tỷ lệ suy dinh dưỡng thể thấp còi xuống 24%; duy trì tỷ lệ trẻ có cân nặng sơ sinh thấp dưới 2.500 g xuống dưới 3,5%. (2) Giảm tình trạng thiếu vi chất dinh dưỡng.\n";
    let p = parse_text("w.txt", news);
    let values: Vec<Option<f64>> = p.targets.iter().map(|t| t.value).collect();
    assert_eq!(values, [Some(24.0), Some(3.5)]);
    let hiv = "Mục tiêu của kế hoạch nhằm đạt mục tiêu 90 - 90 - 90 (90% người nhiễm HIV biết tình trạng nhiễm; 90% người chẩn đoán nhiễm HIV được điều trị ARV và 90% người điều trị ARV có tải lượng virus dưới ngưỡng ức chế), hướng tới chấm dứt bệnh AIDS vào năm 2030.\n";
    assert!(parse_text("w.txt", hiv).targets.is_empty());
    let cue = "Mục tiêu chung nhằm tăng cường kiểm soát các yếu tố nguy cơ gây bệnh.\nCụ thể đến năm 2025, giảm thiểu các hành vi nguy cơ chính. 100% trạm y tế xã thực hiện truyền thông phòng, chống tác hại của thuốc lá.\n";
    assert_eq!(
        facts(&parse_text("w.txt", cue)),
        [(Comparator::Ge, Some(100.0), Unit::Percent, Some(2025))]
    );
}

/// Ninth batch: a document site's flattened head numbered as a page list
/// (`1. BỘ Y TẾ CỘNG HÒA … Số: 612/QĐ-BYT …`) does not open the body, so
/// the `Căn cứ` lines after it are bases; the number's code names the
/// ministry as issuer.
#[test]
fn a_flattened_head_numbered_by_a_site_keeps_its_preamble() {
    let text = "Nội dung Text: Quyết định số 612/QĐ-BYT\n\n  1. BỘ Y TẾ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ------- Độc lập - Tự do - Hạnh phúc --------------- Số: 612/QĐ-BYT Hà Nội, ngày 14 tháng 3 năm 2024 QUYẾT ĐỊNH BAN HÀNH KẾ HOẠCH PHÒNG, CHỐNG HIV/AIDS NĂM 2024 BỘ TRƯỞNG BỘ Y TẾ Căn cứ Nghị định số 95/2022/NĐ-CP ngày 15 tháng 11 năm 2022 của Chính phủ quy định chức năng của Bộ Y tế; Căn cứ Quyết định số 1246/QĐ-TTg ngày 14 tháng 8 năm 2020 của Thủ tướng Chính phủ; Theo đề nghị của Cục trưởng Cục Phòng chống HIV/AIDS. QUYẾT ĐỊNH: Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("612/QĐ-BYT"));
    assert_eq!(basis_numbers(&p), ["95/2022/NĐ-CP", "1246/QĐ-TTg"]);
    assert_eq!(p.issuer.as_deref(), Some("Bộ Y tế"));
}

/// Ninth batch: `Theo đề nghị … tại Tờ trình số … và kết quả xin ý kiến …
/// tại Công văn số … ngày …` rests on both acts; a news page's `… chỉ đạo
/// triển khai Nghị quyết số 157-NQ/BCSĐ ngày 3/2/2023 … (gọi tắt là Kế
/// hoạch hành động)` names the act its plan carries out.
#[test]
fn an_opinion_letter_and_a_resolution_carried_out_are_bases() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH HẢI DƯƠNG\nSố: 4937/KH-UBND\nHải Dương, ngày 25 tháng 12 năm 2023\nKẾ HOẠCH\nPHÒNG, CHỐNG RỐI LOẠN SỨC KHỎE TÂM THẦN\nTheo đề nghị của Sở Y tế tại Tờ\ntrình số 130/TTr-SYT ngày 19/12/2023 về việc ban hành Kế hoạch và kết\nquả xin ý kiến các thành viên UBND tỉnh tại Công văn số 1077/VP-KGVX ngày\n20/12/2023 của Văn phòng UBND tỉnh, UBND tỉnh ban hành Kế hoạch như sau:\n";
    let p = parse_text("w.txt", text);
    assert_eq!(basis_numbers(&p), ["130/TTr-SYT", "1077/VP-KGVX"]);
    let news = "Thứ trưởng Bộ Y tế vừa ký văn bản chỉ đạo các đơn vị triển khai Nghị quyết số 157-NQ/BCSĐ ngày 3/2/2023 của Ban cán sự Bộ Y tế về Chuyển đổi số y tế (gọi tắt là Kế hoạch hành động).\n";
    assert_eq!(basis_numbers(&parse_text("w.txt", news)), ["157-NQ/BCSĐ"]);
}

/// Tenth batch: a law site's metadata rows without a leading pipe
/// (`Số hiệu: | 153/KH-UBND | Loại văn bản: | Kế hoạch |`) are no head:
/// their `Kế hoạch` cell used to be taken for the kind heading, and the
/// `Số:` line of the real head after them was then never read.
#[test]
fn metadata_rows_without_a_leading_pipe_leave_the_number_to_the_head() {
    let text = "Kế hoạch 153/KH-UBND năm 2022 hành động thực hiện Chiến lược dinh dưỡng\nSố hiệu: | 153/KH-UBND | Loại văn bản: | Kế hoạch |\nNơi ban hành: | Tỉnh Sơn La | Người ký: | Tráng Thị Xuân |\nỦY\nBAN NHÂN DÂN |\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 153/KH-UBND |\nSơn La, ngày 31 tháng 5 năm 2022 |\nHÀNH ĐỘNG THỰC HIỆN CHIẾN LƯỢC QUỐC GIA VỀ DINH DƯỠNG\n";
    let p = parse_text("w.txt", text);
    assert_eq!(p.number.as_deref(), Some("153/KH-UBND"));
    assert_eq!(p.date.map(|d| d.to_string()).as_deref(), Some("2022-05-31"));
}

/// Tenth batch: quotas by a month of a year (`đến hết tháng 8-2022, … đạt
/// trên 95% (59.793 trẻ cần tiêm)`): the month names the year; the head
/// count in brackets after the rate and the doses (`2 liều`) are no
/// targets.
#[test]
fn a_month_of_a_year_dates_a_quota_and_its_head_count_is_no_target() {
    let text = "UBND tỉnh giao chỉ tiêu tiêm vắc xin. Trong đó, đến hết tháng 8-2022, toàn tỉnh phấn đấu tiêm đủ 2 liều vắc xin cho trẻ từ 5 tuổi đến dưới 12 tuổi đạt trên 95% (59.793 trẻ cần tiêm); đến hết tháng 9-2022 tiêm liều nhắc lại cho người từ 18 tuổi trở lên đạt trên 95% (82.922 người cần tiêm).\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Gt, Some(95.0), Unit::Percent, Some(2022)),
            (Comparator::Gt, Some(95.0), Unit::Percent, Some(2022)),
        ]
    );
}

/// Tenth batch: `19 bác sĩ trên 1 vạn dân` gives no target of 1, and a
/// rate `ổn định ở mức 42%` is kept, not reached.
#[test]
fn a_per_ten_thousand_denominator_and_a_steady_level() {
    let text = "Nghị quyết đưa ra mục tiêu đến năm 2030, đạt 35 giường bệnh và 19 bác sĩ trên 1 vạn dân; tỷ lệ giường bệnh tư nhân đạt 15%; tỷ lệ che phủ rừng ổn định ở mức 42%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Eq, Some(35.0), Unit::Per10000, Some(2030)),
            (Comparator::Eq, Some(19.0), Unit::Per10000, Some(2030)),
            (Comparator::Eq, Some(15.0), Unit::Percent, Some(2030)),
            (Comparator::Maintain, Some(42.0), Unit::Percent, Some(2030)),
        ]
    );
}

/// Tenth batch: `5.100 tỉ đồng` (the other spelling of `tỷ`) is an amount.
#[test]
fn billions_spelt_ti_are_money() {
    let text = "Phó thủ tướng vừa ký quyết định bổ sung dự toán chi ngân sách nhà nước năm 2021 của Bộ Y tế số tiền 5.100 tỉ đồng từ nguồn dự phòng ngân sách trung ương năm 2021 để mua vật tư.\n";
    let p = parse_text("w.txt", text);
    let amounts: Vec<i64> = p.budget.iter().map(|b| b.amount_vnd).collect();
    assert_eq!(amounts, [5_100_000_000_000]);
}

/// Tenth batch: a heading naming only a period (`a) Giai đoạn 2024-2025`)
/// dates its items at the period's end, not at the title's horizon; the
/// sex ratio at birth's bare values are boys per 100 girls.
#[test]
fn a_period_heading_dates_its_items_and_the_sex_ratio_is_per_hundred() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 206/KH-UBND\nQuảng Ngãi, ngày 24 tháng 11 năm 2023\nKẾ HOẠCH\nTHỰC HIỆN CHIẾN LƯỢC PHÒNG, CHỐNG TÁC HẠI CỦA THUỐC LÁ ĐẾN NĂM 2030\nI. MỤC TIÊU\n1. Mục tiêu chung: Giảm tỷ lệ sử dụng thuốc lá.\n2. Mục tiêu cụ thể\na) Giai đoạn 2024-2025\n- 100% các cơ quan, đơn vị triển khai các quy định của Luật.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Ge, Some(100.0), Unit::Percent, Some(2025))]
    );
    let srb = "Đề án với mục tiêu giảm tốc độ tăng tỷ số giới tính khi sinh, để tỷ số này dưới mức 115 vào năm 2020 và đạt khoảng 107 sau năm 2025.\n";
    let units: Vec<Unit> = parse_text("w.txt", srb)
        .targets
        .iter()
        .map(|t| t.unit)
        .collect();
    assert_eq!(units, [Unit::Per100, Unit::Per100]);
}

/// Tenth batch: bases in wrapped preambles. A name wrapped at its dash
/// (`… Chương trình mục tiêu Y tế -` / `Dân số …; Thông tư số …`) goes on
/// with its sentence; `Thực hiện … và xét đề nghị … tại Tờ trình số …`
/// rests on the proposal too; a lower-case `thực hiện` at a line's start
/// continues an act's title (`… của Chính phủ` / `thực hiện Nghị quyết số
/// 20-NQ/TW …`) and opens no clause of its own.
#[test]
fn wrapped_preambles_keep_their_acts_and_only_their_acts() {
    let head = "ỦY BAN NHÂN DÂN\nTỈNH TIỀN GIANG\nSố: 257/KH-UBND\nTiền Giang, ngày 25 tháng 9 năm 2018\nKẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH MỤC TIÊU Y TẾ - DÂN SỐ\n";
    let dash = format!("{head}Thực hiện Quyết định số 1125/QĐ-TTg\nngày 31/7/2017 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu Y tế -\nDân số giai đoạn 2016-2020; Thông tư số 26/2018/TT-BTC ngày 21/3/2018 của Bộ\nTài chính quy định quản lý kinh phí; UBND tỉnh ban hành Kế hoạch như sau:\n");
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &dash)),
        ["1125/QĐ-TTg", "26/2018/TT-BTC"]
    );
    let proposal = format!("{head}Thực hiện Quyết định số 568/QĐ-TTg ngày 24/5/2023 của Thủ tướng Chính phủ về phê duyệt Chiến lược quốc gia và xét đề nghị của Giám đốc Sở Y tế tại Tờ trình số 4294/TTr-SYT ngày 17/11/2023, Ủy ban nhân dân tỉnh ban hành Kế hoạch, cụ thể như sau:\n");
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &proposal)),
        ["568/QĐ-TTg", "4294/TTr-SYT"]
    );
    let nested = format!("{head}Căn cứ Nghị quyết số 139/NQ-CP ngày\n31/12/2017 của Chính phủ về việc ban hành Chương trình hành động của Chính phủ\nthực hiện Nghị quyết số 20-NQ/TW ngày 25 tháng 10 năm 2017 của Hội nghị lần thứ\nsáu Ban chấp hành Trung ương Đảng khóa XII và Kế hoạch số 93-KH/TU\nngày 21/02/2018 của Ban Chấp hành Đảng bộ tỉnh,\nỦy ban nhân dân tỉnh xây dựng Kế hoạch như sau:\n");
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &nested)),
        ["139/NQ-CP", "93-KH/TU"]
    );
}

/// Tenth batch: an excerpt cut inside a value (`Có ≥ 8` at the very end of
/// the text) gives no target; `số năm sống khỏe mạnh đạt tối thiểu 68
/// năm` is a number of years of life, not a duration to skip.
#[test]
fn a_value_cut_by_the_excerpt_and_years_of_healthy_life() {
    let cut = "Phấn đấu đến năm 2025 với các chỉ tiêu: Giảm tỷ lệ suy dinh dưỡng thấp còi xuống dưới 34%. Với các chỉ tiêu: Có ≥ 80% trẻ em được bổ sung vi chất dinh dưỡng; Có ≥ 8";
    let values: Vec<Option<f64>> = parse_text("w.txt", cut)
        .targets
        .iter()
        .map(|t| t.value)
        .collect();
    assert_eq!(values, [Some(34.0), Some(80.0)]);
    let years = "Nghị quyết đề ra mục tiêu đến năm 2030, tuổi thọ trung bình đạt 75,5 tuổi, trong đó số năm sống khỏe mạnh đạt tối thiểu 68 năm.\n";
    assert_eq!(
        facts(&parse_text("w.txt", years)),
        [
            (Comparator::Eq, Some(75.5), Unit::Years, Some(2030)),
            (Comparator::Ge, Some(68.0), Unit::Years, Some(2030)),
        ]
    );
}

/// Eleventh batch: in `giảm từ X xuống còn Y` / `nâng … từ X lên Y` the
/// value after `từ` is the present, not a target; `Hiện, …` and `(hiện là
/// …)` state the present too; a bare value under `tuổi thọ` is in years and
/// under `mức sinh` in children per woman; `X/1.000` is a rate per mille.
#[test]
fn a_starting_value_and_the_present_are_no_targets() {
    let text = "Mục tiêu của chương trình là đến năm 2020, tỷ lệ tử vong mẹ giảm từ 300/100.000 ca đẻ xuống còn 150/100.000 ca đẻ. Tỷ lệ tử vong sơ sinh sẽ giảm từ 25,5 xuống còn 18/1.000 ca vào năm 2020.\n\nTheo chỉ tiêu đề ra, đến năm 2030 tuổi thọ trung bình là 78 (hiện là 75,1); nâng cao mức sinh từ 1,4 con/bà mẹ lên 1,7 vào năm 2030.\n\nHiện, tuổi thọ trung bình của tỉnh là 74,2, cao hơn cả nước.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Eq, Some(150.0), Unit::Per100000, Some(2020)),
            (Comparator::Eq, Some(18.0), Unit::PerMille, Some(2020)),
            (Comparator::Eq, Some(78.0), Unit::Years, Some(2030)),
            (Comparator::Eq, Some(1.7), Unit::Ratio, Some(2030)),
        ]
    );
}

/// Eleventh batch: a period right after a value dates it at the period's
/// end, and a span of years (`2015 - 2016`) is no range of values that would
/// swallow the value after it.
#[test]
fn a_period_after_a_value_dates_it() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n2. Mục tiêu cụ thể\nb) Giảm mức gia tăng tỷ lệ tiêu thụ rượu bình quân/người trưởng thành xuống còn 10% giai đoạn 2024 - 2025 và 6,5% giai đoạn 2026 - 2030.\n"
    );
    assert_eq!(
        facts(&parse_text("w.txt", &text)),
        [
            (Comparator::Eq, Some(10.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(6.5), Unit::Percent, Some(2030)),
        ]
    );
}

/// Eleventh batch: `so với hiện nay` is the base of a relative target, not
/// a mark of the present; a horizon inside a sentence (`…, sao cho đến năm
/// 2020, 80% …`) starts a run of bare rates (`Tính đến năm …` does not).
#[test]
fn relative_to_now_and_a_horizon_inside_a_sentence() {
    let now = "Theo lộ trình, đến năm 2020 mức tiêu thụ rượu giảm 20% và đến năm 2025 giảm đi 40% so với hiện nay.\n";
    assert_eq!(
        facts(&parse_text("w.txt", now)),
        [
            (Comparator::ReduceBy, Some(20.0), Unit::Percent, Some(2020)),
            (Comparator::ReduceBy, Some(40.0), Unit::Percent, Some(2025)),
        ]
    );
    let horizon = "Chính sách được thực hiện trong 02 giai đoạn, với các giải pháp về truyền thông, sao cho đến năm 2025, 80% dân cư được tiếp cận thông tin và 60% dân cư có nhận thức đúng.\n";
    assert_eq!(
        facts(&parse_text("w.txt", horizon)),
        [
            (Comparator::Eq, Some(80.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(60.0), Unit::Percent, Some(2025)),
        ]
    );
    let floor = "Phấn đấu đến năm 2025, tỷ lệ trẻ em được tiêm chủng đầy đủ đạt từ 95% trở lên.\n";
    assert_eq!(
        facts(&parse_text("w.txt", floor)),
        [(Comparator::Ge, Some(95.0), Unit::Percent, Some(2025))]
    );
    let so_far =
        "Kết quả thực hiện chính sách: tính đến năm 2023, 75% dân cư đã được tiếp cận thông tin.\n";
    assert!(parse_text("w.txt", so_far).targets.is_empty());
}

/// Eleventh batch: `Mục tiêu cụ thể 1: …` labels the `+` items after it, each
/// a paragraph over blank lines, dated by the period the text names; a news
/// page's headline naming the same measure as its body in other words is
/// one target; a text layer giving every line twice is read once.
#[test]
fn labelled_objectives_restated_headlines_and_doubled_lines() {
    let labelled = "về chăm sóc sức khỏe sinh sản giai đoạn 2016-2020.\n\nMục tiêu cụ thể 1: Tăng cường tiếp cận các dịch vụ có chất lượng về chăm\n\nsóc sức khỏe bà mẹ.\n\n+ Tỷ lệ phụ nữ được quản lý thai nghén đạt 95%.\n\n+ Tỷ lệ phụ nữ đẻ được nhân viên y tế đã qua đào tạo đỡ đạt 98%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", labelled)),
        [
            (Comparator::Eq, Some(95.0), Unit::Percent, Some(2020)),
            (Comparator::Eq, Some(98.0), Unit::Percent, Some(2020)),
        ]
    );
    let headline = "Mục tiêu năm 2025 đạt 15 bác sĩ/vạn dân\n\nQuốc hội thống nhất mục tiêu cho ngành y tế năm 2025 có 15 bác sĩ/10.000 dân.\n";
    assert_eq!(
        facts(&parse_text("w.txt", headline)),
        [(Comparator::Eq, Some(15.0), Unit::Per10000, Some(2025))]
    );
    let once = "Mục tiêu cụ thể đến năm 2030 như sau:\n- Tỷ lệ phụ nữ được quản lý thai nghén đạt 90% vào năm 2030;\n- Tỷ lệ phụ nữ được quản lý thai nghén đạt 90% vào năm 2030;\n- Tỷ lệ phụ nữ đẻ được cán bộ y tế đỡ đạt 99% vào năm 2030;\n- Tỷ lệ phụ nữ đẻ được cán bộ y tế đỡ đạt 99% vào năm 2030;\n- Tỷ lệ trẻ sơ sinh được chăm sóc sau sinh đạt 85% vào năm 2030.\n- Tỷ lệ trẻ sơ sinh được chăm sóc sau sinh đạt 85% vào năm 2030.\n";
    assert_eq!(
        facts(&parse_text("w.txt", once)),
        [
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2030)),
            (Comparator::Eq, Some(99.0), Unit::Percent, Some(2030)),
            (Comparator::Eq, Some(85.0), Unit::Percent, Some(2030)),
        ]
    );
}

/// Twelfth batch: a paragraph reporting a year's results names the target
/// it is measured against (`giảm 0,2‰ so với chỉ tiêu kế hoạch giao`): it
/// commits to nothing, so its figures open no run of targets; a paragraph
/// that opens by dating what it reports (`Đến hết năm 2023, …`), on a page
/// whose targets are of a later year, gives baselines too.
#[test]
fn results_measured_against_a_target_stay_baselines() {
    let report = "Xã Ea Hiao tổng kết công tác dân số\n\nNăm 2024, công tác dân số của xã có nhiều chuyển biến. Toàn xã có 320 trẻ được sinh ra (tăng 12 trẻ so với năm 2023); tỷ suất sinh thô là 11,2‰, giảm 0,2‰ so với chỉ tiêu kế hoạch giao; tỷ lệ sinh con thứ 3 trở lên là 8,5%, giảm 0,4% so với năm 2023.\n";
    assert!(facts(&parse_text("w.txt", report)).is_empty());
    let dated = "Huyện đặt mục tiêu năm 2025 có ít nhất 92% người cao tuổi có thẻ BHYT; số người cao tuổi được lập hồ sơ sức khỏe đạt từ 80% trở lên.\nĐến hết năm 2024, toàn huyện Krông Pa có hơn 8.100 hội viên người cao tuổi. Trong năm, các cấp hội khám sức khỏe cho hơn 3.400 người cao tuổi và hỗ trợ 50% tiền mua thẻ BHYT.\n";
    assert_eq!(
        facts(&parse_text("w.txt", dated)),
        [
            (Comparator::Ge, Some(92.0), Unit::Percent, Some(2025)),
            (Comparator::Ge, Some(80.0), Unit::Percent, Some(2025)),
        ]
    );
}

/// Twelfth batch: numbers that are no values — a time of day after a
/// page's date, a sum in dollars, a number glued into damaged text, the
/// number of an objective in running prose (`mục tiêu 2 thực hiện …`).
#[test]
fn times_dollars_damaged_numbers_and_labels_are_no_values() {
    let text = "Gia Lai: Phấn đấu 95% trẻ em được tiêm chủng đầy đủ\n\n21/03/2024 08:15\n\nKế hoạch đề ra 02 mục tiêu. Trong đó, mục tiêu 2 thực hiện duy trì, mở rộng tiêm chủng, góp phần đạt mục tiêu 95% trẻ em được tiêm chủng đầy đủ vào năm 2025. Với tổng vốn viện trợ 120,500 USD và hơn 12,ábcxyz tỷ đồng từ ngân sách, …\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2025))]
    );
}

/// Twelfth batch: where a value's year comes from — a vision (`tầm nhìn
/// năm 2045`) dates nothing, and a period nearer before the value than any
/// year dates it at its end (a value's own year after it still wins); a
/// page without a title (a news page, a site that dropped the `KẾ HOẠCH`
/// heading) names its horizon in its lead; a long heading that ends by
/// announcing its items (`… gồm các chỉ tiêu sau đây:`) makes them targets.
#[test]
fn visions_periods_leads_and_announcing_headings_date_targets() {
    let vision = "Chiến lược quốc gia về người cao tuổi đến năm 2025, tầm nhìn năm 2045, giai đoạn 2026-2030 sẽ phấn đấu ít nhất 60% người cao tuổi được khám sức khỏe định kỳ.\n";
    assert_eq!(
        facts(&parse_text("w.txt", vision)),
        [(Comparator::Ge, Some(60.0), Unit::Percent, Some(2030))]
    );
    let own_year = "Đề án kiểm soát mất cân bằng giới tính khi sinh, giai đoạn 2016-2025 với mục tiêu đưa tỷ lệ phụ nữ mang thai được sàng lọc trước sinh đạt 50% vào năm 2020.\n";
    assert_eq!(
        facts(&parse_text("w.txt", own_year)),
        [(Comparator::Eq, Some(50.0), Unit::Percent, Some(2020))]
    );
    let lead = "Triển khai sức khỏe học đường\n\nNgày 05/01/2022, UBND tỉnh ban hành Kế hoạch thực hiện Chương trình Sức khỏe học đường giai đoạn 2022-2025 trên địa bàn tỉnh như sau:\n\nI. Mục tiêu\n\nDuy trì hoạt động chăm sóc sức khỏe học sinh.\n\nII. Chỉ tiêu cụ thể\n\n- 70% trường học bảo đảm các điều kiện về y tế trường học.\n\n- 45% trường học có nhân viên y tế chuyên trách.\n";
    assert_eq!(
        facts(&parse_text("w.txt", lead)),
        [
            (Comparator::Eq, Some(70.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(45.0), Unit::Percent, Some(2025)),
        ]
    );
    let announced = "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 31/KH-UBND | Gia Lai, ngày 15 tháng 02 năm 2023 |\nTHỰC HIỆN CHƯƠNG TRÌNH SỨC KHỎE HỌC ĐƯỜNG GIAI ĐOẠN 2023-2025\nII. ĐỐI TƯỢNG CỦA CHƯƠNG TRÌNH\n1. Về chăm sóc, bảo vệ và quản lý sức khỏe học sinh trong trường học gồm các chỉ tiêu sau đây:\n- 80% trường học bảo đảm các điều kiện thực hiện công tác y tế trường học.\n";
    assert_eq!(
        facts(&parse_text("w.txt", announced)),
        [(Comparator::Eq, Some(80.0), Unit::Percent, Some(2025))]
    );
}

/// Twelfth batch: `giảm 25% A và 20% B so với năm 2015` is two relative
/// decreases with the same base; the verb nearest a value names its
/// comparator (`… giảm tử vong … góp phần đạt mục tiêu 90% …` is no
/// decrease).
#[test]
fn coordinated_changes_share_their_base_and_the_nearest_verb_compares() {
    let text = "Kế hoạch đề ra các mục tiêu cụ thể: góp phần giảm 25% số trường hợp nhiễm HIV do tiêm chích ma túy và 20% số người nhiễm HIV do quan hệ tình dục so với năm 2020; mở rộng điều trị, giảm tử vong do AIDS, góp phần đạt mục tiêu 90% người nhiễm HIV được điều trị ARV.\n";
    let p = parse_text("w.txt", text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::ReduceBy, Some(25.0), Unit::Percent, None),
            (Comparator::ReduceBy, Some(20.0), Unit::Percent, None),
            (Comparator::Eq, Some(90.0), Unit::Percent, None),
        ]
    );
    let bases: Vec<(usize, Option<i32>)> =
        p.relative.iter().map(|r| (r.target, r.base_year)).collect();
    assert_eq!(bases, [(0, Some(2020)), (1, Some(2020))]);
}

/// Twelfth batch: a news page's headline and lead stand after the site's
/// chrome and restate a target of the body in other punctuation or with
/// other words around it: one target each.
#[test]
fn a_lead_after_the_site_chrome_restating_the_body_is_one_target() {
    let text = "Xem nhiều\n\nPhóng sự: Mùa lúa trên cao nguyên\n\nNhững cánh đồng bậc thang vào mùa.\n\nĐắk Nông: Phấn đấu 100% người cao tuổi có thẻ bảo hiểm y tế được chăm sóc sức khỏe ban đầu\n\n(Báo Đắk Nông) – Đến năm 2030, phấn đấu 100% người cao tuổi có thẻ bảo hiểm y tế, được chăm sóc sức khỏe ban đầu.\n\nKế hoạch nêu rõ, trong giai đoạn 2026-2030, 100% người cao tuổi có thẻ bảo hiểm y tế được chăm sóc sức khỏe ban đầu; 100% người cao tuổi khi ốm đau được khám chữa bệnh.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Ge, Some(100.0), Unit::Percent, Some(2030)),
            (Comparator::Ge, Some(100.0), Unit::Percent, Some(2030)),
        ]
    );
}

/// Twelfth batch: a Tờ trình after `trên cơ sở đề xuất của Sở … tại`, or in
/// a sentence of its own after the `Thực hiện` one (`Sau khi xem xét, đề
/// nghị của Sở … tại Tờ trình số 37/TTr-SGD&ĐT …`, an ampersand in its code),
/// is a basis.
#[test]
fn proposals_after_other_words_and_codes_with_an_ampersand_are_bases() {
    let own_sentence = format!(
        "{HEAD}Thực hiện Quyết định số 1660/QĐ-TTg ngày 02/10/2021 của Thủ tướng Chính phủ phê duyệt Chương trình Sức khỏe học đường (sau đây gọi là Chương trình). Sau khi xem xét, đề nghị của Sở Giáo dục và Đào tạo tại Tờ trình số 37/TTr-SGD&ĐT ngày 12/7/2022, Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &own_sentence)),
        ["1660/QĐ-TTg", "37/TTr-SGD&ĐT"]
    );
    let on_the_basis = format!(
        "{HEAD}Thực hiện Quyết định số 1660/QĐ-TTg ngày 02/10/2021 của Thủ tướng Chính phủ; trên cơ sở đề xuất của Sở Giáo dục và Đào tạo tại Tờ trình số 241/TTr-SGDĐT ngày 09/02/2023; Ủy ban nhân dân huyện ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &on_the_basis)),
        ["1660/QĐ-TTg", "241/TTr-SGDĐT"]
    );
}

/// Thirteenth batch: a news paragraph reporting a year's results as a share
/// of the quota given (`đạt 104% chỉ tiêu kế hoạch … giao`, `đạt 61% kế
/// hoạch …`) names a target only to measure against it: no target, and the
/// figures stay baselines.
#[test]
fn results_as_a_share_of_the_quota_are_no_targets() {
    let text = "Năm 2022, toàn tỉnh tổ chức được 91 đợt hiến máu, tiếp nhận 12.408 đơn vị máu, đạt 104% chỉ tiêu kế hoạch do Ban Chỉ đạo Quốc gia giao, trong đó có 960 đơn vị hiến khẩn cấp. Từ đầu năm đến nay, toàn tỉnh đã tiếp nhận 6.020 đơn vị máu, đạt 61% kế hoạch được giao.\n";
    assert_eq!(facts(&parse_text("w.txt", text)), []);
}

/// Thirteenth batch: a news sentence that commits to the year's quotas
/// with `sẽ …` or `yêu cầu … đạt …`, without a word like `mục tiêu`, states
/// targets — from that sentence on; a result of the year before in the
/// same paragraph (`năm 2021 … chỉ đạt 89% so với chỉ tiêu`) is not read.
#[test]
fn a_news_sentence_committing_to_the_years_quotas_states_targets() {
    let will =
        "Trong năm 2023, thành phố sẽ vận động 95.000 lượt người hiến máu với 80.000 đơn vị máu.\n";
    assert_eq!(
        facts(&parse_text("w.txt", will)),
        [
            (Comparator::Eq, Some(95000.0), Unit::Count, Some(2023)),
            (Comparator::Eq, Some(80000.0), Unit::Count, Some(2023)),
        ]
    );
    // (a year or a date after the verb commits to nothing)
    let no_value = "UBND tỉnh yêu cầu các đơn vị phát huy kết quả đạt được trong năm 2023. Các huyện sẽ hoàn thành báo cáo trước ngày 15/12.\n";
    assert_eq!(facts(&parse_text("w.txt", no_value)), []);
    let demands = "Theo UBND tỉnh, năm 2021, lượng máu tiếp nhận chỉ đạt 89% so với chỉ tiêu tỉnh giao. Để bảo đảm đủ máu cho điều trị trong năm 2022, UBND tỉnh yêu cầu các ngành vận động hiến máu đạt trên 30.000 lượt người. Trong đó đạt trên 70% túi máu loại 350-450 ml.\n";
    assert_eq!(
        facts(&parse_text("w.txt", demands)),
        [
            (Comparator::Gt, Some(30000.0), Unit::Count, Some(2022)),
            (Comparator::Gt, Some(70.0), Unit::Percent, Some(2022)),
        ]
    );
}

/// Thirteenth batch: a bound written after its value (`đạt 40% trở lên`)
/// is a floor; a bound before a value that follows a comma (`…, hơn 85%
/// …`) is that value's, not swallowed by the subject before it; a volume
/// (`thể tích 250 ml`) defines the unit and is no value.
#[test]
fn bounds_after_values_after_commas_and_volumes() {
    let text = "Mục tiêu cụ thể năm 2024:\nPhấn đấu tiếp nhận ít nhất 5.000 đơn vị máu thể tích 250 ml, đạt 40% trở lên của kế hoạch năm; 90% người khuyết tật được cấp giấy chứng nhận, hơn 85% người khuyết tật được trợ cấp hằng tháng.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Ge, Some(5000.0), Unit::Count, Some(2024)),
            (Comparator::Ge, Some(40.0), Unit::Percent, Some(2024)),
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2024)),
            (Comparator::Gt, Some(85.0), Unit::Percent, Some(2024)),
        ]
    );
}

/// Thirteenth batch: in a `Xét đề nghị` clause, a `;`-part `của <agency> tại
/// Báo cáo số …` (the proposal's verb left out) is another act the decision
/// rests on.
#[test]
fn a_report_after_the_proposal_in_the_same_clause_is_a_basis() {
    let text = format!(
        "{HEAD}Căn cứ Quyết định số 122/2013/QĐ-TTg ngày 10/01/2013 của Thủ tướng Chính phủ;\nXét đề nghị của Giám đốc Sở Y tế tại Tờ trình số 412/SYT-KH ngày 02/10/2015; của Giám đốc Sở Tài chính tại Báo cáo số 88/BC-STC ngày 09/10/2015,\nQUYẾT ĐỊNH:\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &text)),
        ["122/2013/QĐ-TTg", "412/SYT-KH", "88/BC-STC"]
    );
}

/// A text layer whose letters were decoded once more as TCVN3 (`Mục tiờu
/// cụ thể`, `ớt nhất`, `dõn số`): repaired before reading where the damage
/// is plain, so its objectives heading and bounds are read; a warning says
/// so, in both languages.
#[test]
fn letters_decoded_twice_are_repaired_before_reading() {
    let text = "Chiến lược dõn số và sức khỏe sinh sản: chớnh sỏch\n2. Mục tiờu cụ thể\n(1) Đến năm 2025, giảm 25% tỷ lệ nhiễm khuẩn đường sinh sản so với năm 2015.\n(2) Vào năm 2025, ớt nhất 60% phụ nữ từ 30 đến 54 tuổi được sàng lọc ung thư cổ tử cung; tỷ lệ vị thành niờn cú thai dưới 2%.\n";
    let p = parse_text("w.txt", text);
    assert_eq!(
        facts(&p),
        [
            (Comparator::ReduceBy, Some(25.0), Unit::Percent, Some(2025)),
            (Comparator::Ge, Some(60.0), Unit::Percent, Some(2025)),
            (Comparator::Lt, Some(2.0), Unit::Percent, Some(2025)),
        ]
    );
    assert!(p.warnings[0].contains("decoded twice"), "{:?}", p.warnings);
    assert!(
        p.warnings_vi[0].contains("giải mã hai lần"),
        "{:?}",
        p.warnings_vi
    );
}

/// Earlier batches' misses (eleventh): `Việc đạt được các chỉ tiêu trên sẽ …`
/// (reaching targets) is no result; the present of a contrast after a value
/// (`…, trong khi mức hiện nay là 170`) is that later value's; a bound that
/// a change of the same clause follows (`thuốc lá có hàm lượng từ 10% trở
/// lên giảm 20%`) names the group, it is no value.
#[test]
fn reaching_targets_a_later_present_and_a_qualifying_bound() {
    let text = "Mục tiêu đến năm 2025, tỷ lệ tử vong mẹ ở vùng cao giảm xuống còn 90/100.000 ca đẻ. Việc đạt được các chỉ tiêu trên sẽ góp phần đưa tỷ lệ tử vong mẹ của tỉnh xuống còn 60/100.000 ca đẻ vào năm 2025, trong khi mức hiện nay là 70/100.000 ca đẻ.\n\nTheo lộ trình, đến năm 2025 mức tiêu thụ sản phẩm thuốc lá có hàm lượng nhựa từ 10% trở lên giảm 20% so với năm 2020.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Eq, Some(90.0), Unit::Per100000, Some(2025)),
            (Comparator::Eq, Some(60.0), Unit::Per100000, Some(2025)),
            (Comparator::ReduceBy, Some(20.0), Unit::Percent, Some(2025)),
        ]
    );
}

/// Eleventh batch's units: a ratio per 100 births (`dưới 20/100 trẻ đẻ
/// sống`) is per 100, not a share; `2/3 số …` stays a share.
#[test]
fn a_ratio_per_hundred_births_is_per_hundred() {
    let text = "Mục tiêu cụ thể đến năm 2030:\n- Giảm tỷ số phá thai xuống dưới 20/100 trẻ đẻ sống.\n- Giảm 2/3 số ca tai biến sản khoa so với năm 2020.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Lt, Some(20.0), Unit::Per100, Some(2030)),
            (
                Comparator::ReduceBy,
                Some(2.0 / 3.0 * 100.0),
                Unit::Percent,
                Some(2030)
            ),
        ]
    );
}

/// Fourteenth batch: a report of results names the quotas it met or
/// missed (`20/63 tỉnh đạt chỉ tiêu 60%`, `đạt mục tiêu của Tổ chức Y tế
/// thế giới đề ra là trên 80% tuy nhiên chưa đạt được mục tiêu đặt ra …`,
/// `các chỉ tiêu chủ yếu của ngành đều đạt và vượt kế hoạch`, `hoàn thành
/// 4/4 chỉ tiêu`): no run of targets opens there, and its results
/// (`giảm 12,5% so với năm 2017`, `đạt 88%`) stay results; the committing
/// paragraph after them is read, and `phấn đấu đạt mục tiêu: …` still
/// commits.
#[test]
fn results_measured_against_quotas_are_no_targets() {
    let text = "Miền Bắc có tỷ lệ phát hiện giảm mạnh nhất là 41,5/100.000 dân, giảm 12,5% so với năm 2017. Trong 6 tháng đầu năm, có 20/63 tỉnh đạt chỉ tiêu 60% tổng số ca được phát hiện.\n\
Tỷ lệ điều trị khỏi đạt 88%, thấp hơn cùng kỳ năm 2016 (90,2%), đạt mục tiêu của Tổ chức Y tế thế giới đề ra là trên 80% tuy nhiên chưa đạt được mục tiêu đặt ra của Chương trình là trên 92%.\n\
\n\
Tuổi thọ trung bình đạt khoảng 74,6 tuổi; tỷ lệ hài lòng đạt hơn 85%. Nhiệm kỳ 2021-2025, các chỉ tiêu chủ yếu của ngành đều đạt và vượt kế hoạch.\n\
\n\
Đặc biệt, ngành y tế hoàn thành 4/4 chỉ tiêu chủ yếu và đạt 7/9 chỉ tiêu được giao.\n\
\n\
Cụ thể, tỉnh phấn đấu đạt mục tiêu năm 2026: 65% người dân hiểu biết đúng về dự phòng bệnh lao.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Eq, Some(65.0), Unit::Percent, Some(2026))]
    );
}

/// Fourteenth batch: a vision opening its sentence (`Với tầm nhìn đến năm
/// 2030, … sẽ giảm … xuống dưới 20/100.000 dân`) is the horizon of what
/// follows it; a vision beside a plan's own horizon (`… đến năm 2025,
/// tầm nhìn đến năm 2045`) still dates nothing.
#[test]
fn a_vision_opening_its_sentence_dates_what_follows() {
    let text = "Với tầm nhìn đến năm 2030, Việt Nam sẽ giảm tỷ lệ người mắc lao trong cộng đồng xuống dưới 20/100.000 dân, Chương trình hướng tới mục tiêu năm 2025, giảm tỷ lệ tử vong do lao xuống dưới 10/100.000 dân.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Lt, Some(20.0), Unit::Per100000, Some(2030)),
            (Comparator::Lt, Some(10.0), Unit::Per100000, Some(2025)),
        ]
    );
}

/// Fourteenth batch: the name of a direction in quotes (`mục tiêu
/// “90-90-90” (90% …; 90% … (ARV), 90% …`), its parenthesis holding another
/// and never closed: none of its rates is a quota; the target after it is.
#[test]
fn a_quoted_direction_name_whose_parenthesis_is_never_closed() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n1. Mục tiêu chung\n- Khống chế tỷ lệ nhiễm HIV trong cộng đồng dân cư dưới 0,3% vào năm 2024.\n- Đạt được mục tiêu “90-90-90” (90% người nhiễm HIV biết tình trạng nhiễm của mình; 90% số người được điều trị bằng thuốc kháng vi rút (ARV), 90% số người điều trị ARV có tải lượng vi rút thấp.\n"
    );
    assert_eq!(
        facts(&parse_text("w.txt", &text)),
        [(Comparator::Lt, Some(0.3), Unit::Percent, Some(2024))]
    );
}

/// Fourteenth batch: `khống chế … dưới 0,3%` opening a sentence (after
/// `Đồng thời,` too) commits to a ceiling without a word like `mục tiêu`,
/// of the year its paragraph names; `đã khống chế được … dưới 0,3%`
/// reports.
#[test]
fn holding_a_ceiling_is_a_commitment() {
    let text = "Chương trình phòng, chống HIV/AIDS của tỉnh trong năm 2024 sẽ chú trọng các hoạt động dự phòng. Đồng thời, khống chế tỷ lệ nhiễm HIV trong cộng đồng dân cư dưới 0,3%, giảm tác động của HIV/AIDS.\n\
\n\
Năm 2023, tỉnh đã khống chế được tỷ lệ nhiễm HIV trong cộng đồng dưới 0,25%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Lt, Some(0.3), Unit::Percent, Some(2024))]
    );
}

/// Fourteenth batch: a rate glued to its denominator (`dưới 7
/// người/100.000 dân`) is per 100,000; a day and month (`Kế hoạch số 228
/// ngày 8/8`) is no fraction.
#[test]
fn a_glued_rate_and_a_day_of_a_month() {
    let text = "Ủy ban nhân dân tỉnh vừa ký ban hành Kế hoạch số 228 ngày 8/8 về chăm sóc sức khỏe người cao tuổi.\n\
Kế hoạch đặt ra mục tiêu đến năm 2030 có 90% người cao tuổi được khám sức khỏe; tỷ lệ mắc ngộ độc thực phẩm cấp tính dưới 7 người/100.000 dân.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Eq, Some(90.0), Unit::Percent, Some(2030)),
            (Comparator::Lt, Some(7.0), Unit::Per100000, Some(2030)),
        ]
    );
}

/// Fourteenth batch: an act whose `số` lost its letters to a site's
/// conversion (`; Quyết định s 1584/QĐ-TTg ngày 14/9/2015`) is the next
/// act of the basis clause.
#[test]
fn an_act_whose_so_lost_its_letters_is_a_basis() {
    let text = format!(
        "{HEAD}Căn cứ Quyết định số 538/QĐ-TTg ngày 29/3/2013 của Thủ tướng Chính phủ phê duyệt Đề án; Quyết định s 1584/QĐ-TTg ngày 14/9/2015 của Th tướng Chính phủ về việc giao chỉ tiêu;\nI. MỤC ĐÍCH\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &text)),
        ["538/QĐ-TTg", "1584/QĐ-TTg"]
    );
}

/// Fifteenth batch: a line reporting results against the quotas given
/// (`… thực hiện đạt và vượt 5/6 chỉ tiêu được giao, nhất là những chỉ tiêu
/// quan trọng như: … đạt trên 97%; …`) names indicators only as what was
/// reached: no target; the next year's `phấn đấu` still commits.
#[test]
fn a_list_of_quotas_reached_is_no_run_of_targets() {
    let text = "Năm 2024, ngành Y tế tỉnh thực hiện đạt và vượt 5/6 chỉ tiêu được giao, nhất là những chỉ tiêu quan trọng như: tỷ lệ trẻ em được tiêm chủng đầy đủ đạt trên 97%; tỷ lệ bao phủ bảo hiểm y tế đạt 93,5%; tỷ suất tử vong trẻ em dưới 1 tuổi giảm còn 9,8‰.\n\
\n\
Năm 2025, ngành phấn đấu tỷ lệ bao phủ bảo hiểm y tế đạt 95%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2025))]
    );
}

/// Fifteenth batch: a site's counter on the line under a title naming the
/// year's quotas (`Ngày đăng … | View count: 812`) is no value, and in a
/// range of the sex ratio written with a spaced denominator (`105 – 109 bé
/// trai/ 100 bé gái`) the `100` is no value either.
#[test]
fn a_view_counter_and_a_spaced_denominator_are_no_values() {
    let text = "Hội nghị triển khai các chỉ tiêu công tác dân số năm 2020\n\
Ngày đăng 12/3/2020 | 09:15 | View count: 812\n\
\n\
Trong đó giảm tỷ lệ sinh con thứ 3 trở lên 0,3% so với năm 2019; tỷ số giới tính khi sinh: duy trì trong mức 105 – 109 bé trai/ 100 bé gái.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::ReduceBy, Some(0.3), Unit::Percent, Some(2020))]
    );
}

/// Fifteenth batch: a number whose kind code was lost (`Số: 512/-UBND`)
/// takes the code of the kind its heading names.
#[test]
fn a_number_without_its_kind_code_takes_the_heading_s() {
    let qd = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 512/-UBND\nQuảng Trị, ngày 04 tháng 3 năm 2019\nQUYẾT ĐỊNH\nVề việc công nhận xã đạt Bộ tiêu chí quốc gia về y tế\n";
    assert_eq!(
        parse_text("w.txt", qd).number.as_deref(),
        Some("512/QĐ-UBND")
    );
    let kh = "ỦY BAN NHÂN DÂN\nHUYỆN CAM LỘ\nSố: 77/-UBND\nCam Lộ, ngày 04 tháng 3 năm 2019\nKẾ HOẠCH\nCông tác dân số năm 2019\n";
    assert_eq!(
        parse_text("w.txt", kh).number.as_deref(),
        Some("77/KH-UBND")
    );
}

/// Fifteenth batch: a party act whose hyphen a text layer lost (`20NQ/TW`,
/// `25CT/TW`) is read with it.
#[test]
fn a_party_code_whose_hyphen_was_lost() {
    let text = format!(
        "{HEAD}Căn cứ Nghị quyết số 20NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương; Căn cứ Chỉ thị số 25CT/TW ngày 25/10/2023 của Ban Bí thư;\nI. MỤC ĐÍCH\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &text)),
        ["20-NQ/TW", "25-CT/TW"]
    );
}

/// Fifteenth batch: the appraisal a proposal came with (`Xét đề nghị …
/// tại Văn bản số …, kèm theo Văn bản thẩm định số 45/STP-XDKT ngày …`)
/// is a basis too.
#[test]
fn an_appraisal_attached_to_the_proposal_is_a_basis() {
    let text = "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\nSố: 512/QĐ-UBND\nQuảng Trị, ngày 04 tháng 3 năm 2019\nQUYẾT ĐỊNH\nVề việc công bố thủ tục hành chính\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\nCăn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;\nXét đề nghị của Giám đốc Sở Y tế tại Văn bản số 88/SYT-NVY ngày 02/3/2019, kèm theo Văn bản thẩm định số 45/STP-XDKT ngày 28/02/2019 của Sở Tư pháp,\nQUYẾT ĐỊNH:\n";
    assert_eq!(
        basis_numbers(&parse_text("w.txt", text)),
        ["63/2010/NĐ-CP", "88/SYT-NVY", "45/STP-XDKT"]
    );
}

/// Fifteenth batch: a hard wrap before a code in capitals (`… phòng, chống
/// dịch` / `COVID-19; Quyết định số 2686/QĐ-BYT …`) goes on with its
/// sentence, so the act after the code is read.
#[test]
fn a_wrap_before_a_code_in_capitals_goes_on() {
    let text = format!(
        "{HEAD}I. CĂN CỨ PHÁP LÝ\nNghị quyết số 30/NQ-CP ngày 07/3/2022 của Chính phủ về phòng, chống dịch\nCOVID-19; Quyết định số 2686/QĐ-BYT ngày 31/5/2021 của Bộ Y tế về phòng, chống dịch;\nII. MỤC TIÊU\n"
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &text)),
        ["30/NQ-CP", "2686/QĐ-BYT"]
    );
}

/// Fifteenth batch: a change measured against the result of a past year
/// (`giảm 0,3% so với kết quả thực hiện năm 2023`) is a relative target
/// whose base is that year, not a result.
#[test]
fn a_change_against_a_past_result_is_a_relative_target() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\nNăm 2024, phấn đấu giảm tỷ lệ sinh con thứ 3 trở lên 0,3% so với kết quả thực hiện năm 2023.\n"
    );
    let p = parse_text("w.txt", &text);
    assert_eq!(
        facts(&p),
        [(Comparator::ReduceBy, Some(0.3), Unit::Percent, Some(2024))]
    );
    assert_eq!(ytcs_plandoc::relative_base_year(&p, 0), Some(2023));
}

/// Fifteenth batch: a ward's quota assigned as a change (`tỷ suất sinh
/// giao giảm 0,1‰ so với …`) commits even inside a review of the half
/// year, and `6 tháng đầu năm` is the year of the page's own date
/// (`Ngày đăng 10/07/2016`).
#[test]
fn a_quota_assigned_in_a_review_is_a_target_of_the_page_s_year() {
    let text = "Phường Láng Hạ sơ kết công tác dân số 6 tháng đầu năm\n\
Ngày đăng 10/07/2016 | 08:00\n\
\n\
Trong 6 tháng đầu năm, phường đã làm tốt công tác dân số: tỷ suất sinh giao giảm 0,1‰ so với năm 2015; tỷ lệ sinh con thứ 3 trở lên giao giảm 0,2% so với năm 2015.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::ReduceBy, Some(0.1), Unit::PerMille, Some(2016)),
            (Comparator::ReduceBy, Some(0.2), Unit::Percent, Some(2016)),
        ]
    );
}

/// Fifteenth batch: a forum's copy whose Latin-1 letters were read as
/// Windows-1258 (`quư`, `xă`, `V́`, `ḿnh`, `tṛ`) is repaired before
/// reading, with a warning in both languages; the words read again
/// (`xã`, `Vì`, `phòng`) so that a plan's cue words are found.
#[test]
fn latin1_letters_read_as_windows_1258_are_repaired() {
    let text = "ỦY BAN NHÂN DÂN XĂ AN BÌNH\nSố: 12/KH-UBND\nAn Bình, ngày 10 tháng 01 năm 2024\nKẾ HOẠCH\nCông tác y tế xă năm 2024\nV\u{301} vậy, mỗi gia đ\u{301}nh cần biết vai t\u{1e5b} của ḿnh trong pḥng chống dịch.\nI. MỤC TIÊU\n- Phấn đấu 95% trẻ em dưới 1 tuổi được tiêm chủng đầy đủ.\n";
    let p = parse_text("w.txt", text);
    assert!(
        p.warnings
            .first()
            .is_some_and(|w| w.contains("read as Windows-1258")),
        "{:?}",
        p.warnings
    );
    assert!(
        p.warnings_vi
            .first()
            .is_some_and(|w| w.contains("Windows-1258") && w.starts_with("dòng 1:")),
        "{:?}",
        p.warnings_vi
    );
    assert_eq!(p.issuer.as_deref(), Some("UBND xã An Bình"));
    assert_eq!(
        p.title.as_deref(),
        Some("Công tác y tế xã năm 2024 Vì vậy, mỗi gia đình cần biết vai trò của mình trong phòng chống dịch.")
    );
}

/// After the fifteenth batch (written texts, the shapes its results pages
/// had, for the next batch): a sentence measuring a result against quotas
/// (`Năm 2023, xã đạt 8/10 chỉ tiêu, trong đó … đạt 97%`) is not read even
/// when the line before opened a run of targets.
#[test]
fn a_report_against_quotas_inside_a_run_is_not_read() {
    let text = "Chỉ tiêu năm 2024 của xã: giảm tỷ suất sinh 0,1‰; tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt 95%.\n\
Năm 2023, xã đạt 8/10 chỉ tiêu, trong đó tỷ lệ tiêm chủng đầy đủ đạt 97%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::ReduceBy, Some(0.1), Unit::PerMille, Some(2024)),
            (Comparator::Eq, Some(95.0), Unit::Percent, Some(2024)),
        ]
    );
}

/// After the fifteenth batch: a count of quotas (`hoàn thành 10/10 chỉ
/// tiêu được giao`) is no share to reach, even after `phấn đấu`.
#[test]
fn a_count_of_quotas_is_no_share() {
    let text = "Năm 2025, xã phấn đấu hoàn thành 10/10 chỉ tiêu được giao; tỷ lệ bao phủ bảo hiểm y tế đạt 95%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2025))]
    );
}

/// After the fifteenth batch: a result with the quota it was held to in
/// brackets (`đạt 92,3% (chỉ tiêu giao 92%)`) reports, and `Đến nay, 100%
/// …` is the present, even inside a run.
#[test]
fn a_quota_in_brackets_and_the_present_so_far_are_no_targets() {
    let report = "Trong năm 2023, tỷ lệ bao phủ bảo hiểm y tế đạt 92,3% (chỉ tiêu giao 92%).\n";
    assert_eq!(facts(&parse_text("w.txt", report)), []);
    let so_far = "Mục tiêu đến năm 2025: 95% trẻ em dưới 1 tuổi được tiêm chủng đầy đủ. Đến nay, 100% trạm y tế xã có bác sĩ làm việc.\n";
    assert_eq!(
        facts(&parse_text("w.txt", so_far)),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2025))]
    );
}

/// After the fifteenth batch (written texts, for the next batch: the
/// batch's searches met department and district-unit plans): a department
/// under its committee's line (`UBND TỈNH BÌNH DƯƠNG` / `SỞ Y TẾ`, number
/// `…/KH-SYT`) issues its own plan, and a unit under its department
/// (`SỞ Y TẾ HÀ NỘI` / `TRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN`) its own; the
/// committee's number (`…/QĐ-UBND`) keeps the committee.
#[test]
fn a_department_or_unit_under_its_superior_issues_its_plan() {
    let so = "UBND TỈNH BÌNH DƯƠNG\nSỞ Y TẾ\nSố: 1234/KH-SYT\nBình Dương, ngày 10 tháng 3 năm 2023\nKẾ HOẠCH\nTiêm chủng mở rộng năm 2023\n";
    assert_eq!(
        parse_text("w.txt", so).issuer.as_deref(),
        Some("Sở Y tế tỉnh Bình Dương")
    );
    let phong = "ỦY BAN NHÂN DÂN\nHUYỆN TIÊN LỮ\nPHÒNG Y TẾ\nSố: 5/KH-PYT\nTiên Lữ, ngày 15 tháng 02 năm 2019\nKẾ HOẠCH\nCông tác y tế năm 2019\n";
    assert_eq!(
        parse_text("w.txt", phong).issuer.as_deref(),
        Some("Phòng Y tế huyện Tiên Lữ")
    );
    let ttyt = "SỞ Y TẾ HÀ NỘI\nTRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN\nSố: 12/KH-TTYT\nPhú Xuyên, ngày 15 tháng 02 năm 2019\nKẾ HOẠCH\nCông tác dân số năm 2019\n";
    assert_eq!(
        parse_text("w.txt", ttyt).issuer.as_deref(),
        Some("Trung tâm Y tế huyện Phú Xuyên")
    );
    let ubnd = "UBND TỈNH NGHỆ AN\nSỞ Y TẾ\nSố: 77/QĐ-UBND\nNghệ An, ngày 15 tháng 02 năm 2019\nQUYẾT ĐỊNH\nVề việc phê duyệt kế hoạch\n";
    assert_eq!(
        parse_text("w.txt", ubnd).issuer.as_deref(),
        Some("UBND tỉnh Nghệ An")
    );
}

/// After the fifteenth batch: a signer's title names an office (`PHÓ GIÁM
/// ĐỐC` under `KT. GIÁM ĐỐC`); a heading above the block (`I. MỤC TIÊU`)
/// or a head in capitals of a text without a block is none.
#[test]
fn a_signer_s_title_names_an_office() {
    let text = "UBND TỈNH BÌNH DƯƠNG\nSỞ Y TẾ\nSố: 1234/KH-SYT\nBình Dương, ngày 10 tháng 3 năm 2023\nKẾ HOẠCH\nTiêm chủng mở rộng năm 2023\nI. MỤC TIÊU\n- Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt ≥ 95%.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n \n \nLê Thị Hoa\n";
    let s = parse_text("w.txt", text).signer.expect("a signer");
    assert_eq!(s.name.as_deref(), Some("Lê Thị Hoa"));
    assert_eq!(s.title.as_deref(), Some("PHÓ GIÁM ĐỐC"));
    let no_block = "SỞ Y TẾ HÀ NỘI\nTRUNG TÂM Y TẾ HUYỆN PHÚ XUYÊN\nSố: 12/KH-TTYT\nPhú Xuyên, ngày 15 tháng 02 năm 2019\nKẾ HOẠCH\nCông tác dân số năm 2019\nI. CHỈ TIÊU\n1. Giảm tỷ lệ sinh con thứ 3 trở lên 0,2% so với năm 2018.\n";
    assert!(parse_text("w.txt", no_block).signer.is_none());
}

/// After the fifteenth batch: two schedules joined by `và`, one without a
/// day of its own (`định kỳ hằng quý (trước ngày 20 của tháng cuối quý) và
/// báo cáo năm trước ngày 15/12`), are two duties, each with its own
/// deadline.
#[test]
fn two_schedules_joined_by_va_keep_their_own_deadlines() {
    let text = format!(
        "{HEAD}III. TỔ CHỨC THỰC HIỆN\nTrạm Y tế xã báo cáo kết quả thực hiện về UBND xã định kỳ hằng quý (trước ngày 20 của tháng cuối quý) và báo cáo năm trước ngày 15/12.\n"
    );
    let p = parse_text("w.txt", &text);
    let got: Vec<_> = p
        .reporting
        .iter()
        .map(|r| {
            (
                r.frequency,
                r.deadline.as_ref().and_then(|d| d.month),
                r.deadline.as_ref().and_then(|d| d.day),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(ytcs_core::plan::Frequency::Quarterly), None, None),
            (Some(ytcs_core::plan::Frequency::Annual), Some(12), Some(15)),
        ]
    );
}

/// After the fifteenth batch (written text, for the next batch): in a line
/// that commits (`Mục tiêu năm 2024, huyện phấn đấu …`), a sentence before
/// it committing to nothing and dated only before the year committed to
/// (`Theo đó, năm 2023 toàn huyện có 11/11 xã …; … đạt 91,5%.`) reports.
#[test]
fn a_sentence_of_an_earlier_year_in_a_committing_line_reports() {
    let text = "UBND huyện vừa ban hành Kế hoạch số 156/KH-UBND ngày 15/3/2024 về công tác y tế năm 2024. Theo đó, năm 2023 toàn huyện có 11/11 xã, thị trấn đạt Bộ tiêu chí quốc gia về y tế; tỷ lệ bao phủ bảo hiểm y tế đạt 91,5%. Mục tiêu năm 2024, huyện phấn đấu tỷ lệ bao phủ bảo hiểm y tế đạt 92,5%; tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt trên 95%.\n";
    assert_eq!(
        facts(&parse_text("w.txt", text)),
        [
            (Comparator::Eq, Some(92.5), Unit::Percent, Some(2024)),
            (Comparator::Gt, Some(95.0), Unit::Percent, Some(2024)),
        ]
    );
}

/// After the fifteenth batch (written text, for the next batch: a
/// commune's plan with its budget table): a table whose header names the
/// unit of its money column (`| TT | Nội dung | Kinh phí (đồng) |`) gives
/// budget lines, without an `ĐVT:` line above it.
#[test]
fn a_budget_table_with_the_unit_in_its_header() {
    let text = format!(
        "{HEAD}III. KINH PHÍ\n| TT | Nội dung | Kinh phí (triệu đồng) |\n|---|---|---|\n| 1 | Truyền thông | 5,5 |\n| 2 | Hội nghị triển khai | 3 |\n"
    );
    let p = parse_text("w.txt", &text);
    let got: Vec<(i64, Option<&str>)> = p
        .budget
        .iter()
        .map(|b| (b.amount_vnd, b.purpose.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (5_500_000, Some("Truyền thông")),
            (3_000_000, Some("Hội nghị triển khai"))
        ]
    );
}

/// After the fifteenth batch (written text, for the next batch: a plan's
/// table of indicators): a column of results (`Thực hiện 2024`) beside the
/// planned one (`Kế hoạch 2025`) gives no target, the planned one does, and
/// a last row closed by its pipe (`| 3 | … | 9 |`) is whole, not a value
/// cut off by the end of the text.
#[test]
fn a_table_of_results_and_plans_and_its_closed_last_row() {
    let text = format!(
        "{HEAD}I. MỤC TIÊU\n2. Chỉ tiêu cụ thể\n| TT | Chỉ tiêu | Đơn vị tính | Thực hiện 2024 | Kế hoạch 2025 |\n|---|---|---|---|---|\n| 1 | Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ | % | 97,5 | ≥ 95 |\n| 2 | Tỷ lệ bao phủ bảo hiểm y tế | % | 93,1 | 94 |\n| 3 | Số bác sĩ/vạn dân | bác sĩ | 8,5 | 9 |\n"
    );
    assert_eq!(
        facts(&parse_text("w.txt", &text)),
        [
            (Comparator::Ge, Some(95.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(94.0), Unit::Percent, Some(2025)),
            (Comparator::Eq, Some(9.0), Unit::Per10000, Some(2025)),
        ]
    );
}

/// Sixteenth batch: a news sentence committing to a quota names the acts
/// that set it after `theo` (`Năm 2018, để hoàn thành chỉ tiêu 80,3% …
/// theo Kết luận số … ngày … và Nghị quyết số … ngày …`): those acts are
/// the text's bases; a result measured against a quota (`đạt 100% chỉ
/// tiêu … theo Quyết định số …`) names none.
#[test]
fn a_news_sentence_committing_to_a_quota_names_the_acts_that_set_it() {
    let news = "Lãnh đạo công tác bảo hiểm y tế năm 2019\n\nNăm 2018, toàn xã có 5.210 người tham gia bảo hiểm y tế, đạt 100% chỉ tiêu giao theo Quyết định số 88/QĐ-UBND ngày 02/01/2018 của UBND huyện.\n\nNăm 2019, để hoàn thành chỉ tiêu 85% dân số tham gia bảo hiểm y tế theo Nghị quyết số 07/NQ-HĐND ngày 20/12/2018 của Hội đồng nhân dân xã và Kết luận số 15-KL/ĐU ngày 25/12/2018 của Đảng ủy xã; Ban Thường vụ Đảng ủy yêu cầu các chi bộ đẩy mạnh tuyên truyền.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(basis_numbers(&p), ["07/NQ-HĐND", "15-KL/ĐU"]);
    assert_eq!(
        facts(&p),
        [(Comparator::Eq, Some(85.0), Unit::Percent, Some(2019))]
    );
}

/// Sixteenth batch: an excerpt cut inside an act's code at the very end of
/// the text (`Xét Tờ trình số` / `234/TTr-UB`) leaves no whole number: no
/// basis. An act whose line goes on, or that has its date, stays.
#[test]
fn an_act_cut_by_the_end_of_the_excerpt_is_no_basis() {
    let cut = format!(
        "{HEAD}Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nCăn cứ Quyết định số 502/QĐ-TTg ngày 10 tháng 4 năm 2020 của Thủ tướng Chính phủ;\nXét Tờ trình số\n234/TTr-UB"
    );
    let p = parse_text("w.txt", &cut);
    assert_eq!(basis_numbers(&p), ["502/QĐ-TTg"]);
    let whole = format!("{cut}ND ngày 20/11/2023 của UBND huyện.\n");
    let p = parse_text("w.txt", &whole);
    assert_eq!(basis_numbers(&p), ["502/QĐ-TTg", "234/TTr-UBND"]);
}

/// A text that presents itself as a report of results (a headline `…
/// báo cáo kết quả 9 tháng đầu năm 2024`, `Tổng kết …`, a `BÁO CÁO`
/// heading) names quotas to measure results by them: its `chỉ tiêu` opens
/// no run of targets unless the line names a later year (`bằng 75,3% kế
/// hoạch năm`, `còn thiếu 2,4% mới hoàn thành chỉ tiêu … là 94%` are
/// results); `phấn đấu` still commits.
#[test]
fn a_report_of_results_names_quotas_only_to_measure_by_them() {
    let report = "UBND xã Tân Lập báo cáo kết quả 9 tháng đầu năm 2024\n\nTrong 9 tháng, trạm y tế xã khám cho 4.520 lượt người, bằng 75,3% kế hoạch năm; tỷ lệ tiêm chủng đầy đủ đạt 70,1%, thấp hơn cùng kỳ 3,2%; tỷ lệ bao phủ BHYT đạt 91,6%, còn thiếu 2,4% mới hoàn thành chỉ tiêu huyện giao năm 2024 là 94%.\n\nTrong quý IV, xã phấn đấu tỷ lệ tiêm chủng đầy đủ đạt trên 90%.\n\nNăm 2025, xã đề ra chỉ tiêu tỷ lệ bao phủ BHYT đạt 95%.\n";
    let p = parse_text("w.txt", report);
    assert_eq!(
        facts(&p),
        [
            (Comparator::Gt, Some(90.0), Unit::Percent, Some(2024)),
            (Comparator::Eq, Some(95.0), Unit::Percent, Some(2025)),
        ]
    );
}

/// A quota said to be reached already (`đã hoàn thành mục tiêu 95% …`,
/// `đã về đích sớm chỉ tiêu 90% …`) is a result, no target; `phấn đấu
/// hoàn thành mục tiêu 95%` commits.
#[test]
fn a_quota_already_reached_is_a_result() {
    let done = "Tỉnh đã hoàn thành mục tiêu 95% trẻ em được tiêm chủng đầy đủ trong năm 2022 và đã về đích sớm chỉ tiêu 90% dân số tham gia bảo hiểm y tế.\n";
    assert!(parse_text("w.txt", done).targets.is_empty());
    let to_do = "Năm 2023, tỉnh phấn đấu hoàn thành mục tiêu 95% trẻ em được tiêm chủng đầy đủ.\n";
    assert_eq!(
        facts(&parse_text("w.txt", to_do)),
        [(Comparator::Eq, Some(95.0), Unit::Percent, Some(2023))]
    );
}

/// Seventeenth batch: a web page ends where the site's list of other pages
/// begins (`Các bản tin khác`, `Tin liên quan`, `Các bài viết cùng chuyên
/// mục`): the headlines after it (`… có thể đạt 25%`) are no targets.
#[test]
fn a_sites_list_of_other_pages_ends_the_page() {
    let news = "Theo báo cáo tổng kết của Sở Y tế, dân số của huyện năm 2015 khoảng 129.000 người, tốc độ tăng dân số tự nhiên ở mức 1%.\nĐến năm 2020, huyện phấn đấu tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt trên 95%.\nTHU HOA\nCác bản tin khác\n- 5 lí do xuống tiền đầu tư căn hộ ven biển\n- Lợi nhuận đầu tư bất động sản có thể đạt 25%\n";
    let p = parse_text("w.txt", news);
    assert_eq!(
        facts(&p),
        [(Comparator::Gt, Some(95.0), Unit::Percent, Some(2020))]
    );
    // A site's heading above the article (no prose before it) ends nothing.
    let top = "Tin liên quan
Đến năm 2020, huyện phấn đấu tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ đạt trên 95% theo kế hoạch của tỉnh đã đề ra.
";
    assert_eq!(
        facts(&parse_text("w.txt", top)),
        [(Comparator::Gt, Some(95.0), Unit::Percent, Some(2020))]
    );
}

/// Seventeenth batch: the nation's figure quoted in brackets to compare
/// with (`(toàn quốc là dưới 0,3%)`, `(cả nước …)`) is no quota of the text.
#[test]
fn the_nations_figure_in_brackets_is_no_quota() {
    let news = "Kế hoạch năm 2013 phấn đấu khống chế tỷ lệ hiện nhiễm HIV trong cộng đồng dân cư dưới 0,1% vào năm 2013 (toàn quốc là dưới 0,3%) và giảm tác hại của dịch.\n";
    assert_eq!(
        facts(&parse_text("w.txt", news)),
        [(Comparator::Lt, Some(0.1), Unit::Percent, Some(2013))]
    );
}

/// Seventeenth batch: `tổng tỷ suất sinh dưới 2,1 con` is children per
/// woman (a ratio), not a count of children.
#[test]
fn total_fertility_in_children_is_a_ratio() {
    let news = "Đến năm 2020, thành phố phấn đấu quy mô dân số dưới 1,4 triệu người, tổng tỷ suất sinh dưới 2,1 con.\n";
    assert_eq!(
        facts(&parse_text("w.txt", news)),
        [
            (Comparator::Lt, Some(1_400_000.0), Unit::Count, Some(2020)),
            (Comparator::Lt, Some(2.1), Unit::Ratio, Some(2020)),
        ]
    );
}

/// Seventeenth batch: keeping an achievement (`68 xã … duy trì kết quả đạt
/// Bộ tiêu chí …`) is a commitment, though it names a result (`kết quả`).
#[test]
fn keeping_an_achievement_is_a_commitment() {
    let news = "Trong đó, phấn đấu đến năm 2025, phường A được công nhận đạt Bộ tiêu chí quốc gia về y tế; 68 xã, phường, thị trấn duy trì kết quả đạt Bộ tiêu chí quốc gia về y tế.\n";
    assert_eq!(
        facts(&parse_text("w.txt", news)),
        [(Comparator::Maintain, Some(68.0), Unit::Count, Some(2025))]
    );
}

/// Seventeenth batch: `giám sát` (to monitor) folds to the letters of
/// `giảm` but names no decrease, and a count of samples ending its segment
/// in a prose list of targets (`giám sát phát hiện HIV 3.000 mẫu;`) is one.
#[test]
fn monitoring_samples_is_a_count_not_a_decrease() {
    let news = "Mục tiêu cụ thể năm 2013 là 80% người nhiễm HIV trong cộng đồng được phát hiện; giám sát phát hiện HIV 3.000 mẫu; 50% đối tượng có hành vi nguy cơ cao được tư vấn.\n";
    assert_eq!(
        facts(&parse_text("w.txt", news)),
        [
            (Comparator::Eq, Some(80.0), Unit::Percent, Some(2013)),
            (Comparator::Eq, Some(3000.0), Unit::Count, Some(2013)),
            (Comparator::Eq, Some(50.0), Unit::Percent, Some(2013)),
        ]
    );
}

/// Seventeenth batch: a signer's name written in capitals under the titles
/// (`TM UỶ BAN NHÂN DÂN TỈNH` / `KT. Chủ tịch` / `Phó Chủ tịch` / `ĐÀM VĂN
/// BÔNG`) is read, title-cased; a heading in capitals after a block is no
/// name.
#[test]
fn a_signers_name_in_capitals_is_read() {
    let text = format!("{HEAD}Điều 1. Ban hành kế hoạch.\nTM UỶ BAN NHÂN DÂN TỈNH\nKT. Chủ tịch\nPhó Chủ tịch\nĐÀM VĂN BÔNG\nÝ kiến bạn đọc\n");
    let p = parse_text("w.txt", &text);
    let s = p.signer.expect("a signature block");
    assert_eq!(s.name.as_deref(), Some("Đàm Văn Bông"));
    let text = format!("{HEAD}Điều 1. Ban hành kế hoạch.\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nKẾ HOẠCH CHI TIẾT\n");
    let p = parse_text("w.txt", &text);
    assert_eq!(p.signer.and_then(|s| s.name), None);
}

/// Seventeenth batch: a law's name wrapped before a bracketed code and its
/// date (`… mắc phải ở người` / `(HIV/AIDS) ngày 29/6/2006;`) and a code
/// with a space before its slash (`Văn bản số 3784 /BYT-AIDS`) are bases.
#[test]
fn a_wrapped_law_and_a_spaced_slash_are_bases() {
    let text = format!("{HEAD}Căn cứ Luật Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch mắc phải ở người\n(HIV/AIDS) ngày 29/6/2006;\nCăn cứ Văn bản số 3784 /BYT-AIDS ngày 15/7/2020 của Bộ Y tế;\nI. MỤC TIÊU\n");
    let p = parse_text("w.txt", &text);
    let bases: Vec<(Option<&str>, Option<String>)> = p
        .legal_bases
        .iter()
        .map(|b| (b.number.as_deref(), b.date.map(|d| d.to_string())))
        .collect();
    assert_eq!(
        bases,
        [
            (None, Some("2006-06-29".to_string())),
            (Some("3784/BYT-AIDS"), Some("2020-07-15".to_string())),
        ]
    );
}

/// Seventeenth batch: a news page's `Nhằm triển khai thực hiện … Quyết định
/// số 1300/QĐ-BYT, ngày 09/3/2023 …` names the act its plan carries out.
#[test]
fn a_news_page_carrying_out_an_act_after_nham_rests_on_it() {
    let news = "Kế hoạch triển khai Bộ tiêu chí quốc gia về y tế xã\n\nNhằm triển khai thực hiện hiệu quả Quyết định số 1300/QĐ-BYT, ngày 09/3/2023 của Bộ Y tế về việc ban hành Bộ tiêu chí quốc gia về y tế xã giai đoạn đến năm 2030. Ngày 16/10/2023 Sở Y tế ban hành Kế hoạch số 156/KH-SYT.\n";
    let p = parse_text("w.txt", news);
    assert_eq!(basis_numbers(&p), ["1300/QĐ-BYT"]);
    assert_eq!(
        p.legal_bases[0].date.map(|d| d.to_string()).as_deref(),
        Some("2023-03-09")
    );
}

/// Seventeenth batch: `Thực hiện Kế hoạch số …, Ban Chỉ đạo huyện đã ban
/// hành Kế hoạch …` (a plan made under the act, which the letter carries
/// out) rests on the act; `Thực hiện Chỉ thị …, tỉnh đã đưa …` (what was
/// done under it) still does not.
#[test]
fn a_plan_made_under_an_act_rests_on_it() {
    let letter = "ỦY BAN NHÂN DÂN\nHUYỆN CHÂU THÀNH\nSố: 476/UBND\nChâu Thành, ngày 14 tháng 6 năm 2017\nKính gửi: Trung tâm Y tế huyện.\nThực hiện Kế hoạch số 47/KH-BCĐ ngày 5 tháng 6 năm 2017 của Ban Chỉ đạo tỉnh, Ban Chỉ đạo huyện đã ban hành Kế hoạch hưởng ứng ngày ASEAN phòng, chống sốt xuất huyết;\n1. Giao Trung tâm Y tế huyện chủ trì thực hiện.\n";
    assert_eq!(basis_numbers(&parse_text("w.txt", letter)), ["47/KH-BCĐ"]);
    let history = letter.replace(
        "Ban Chỉ đạo huyện đã ban hành Kế hoạch hưởng ứng",
        "huyện đã đưa công tác phòng chống vào kế hoạch hưởng ứng",
    );
    assert!(basis_numbers(&parse_text("w.txt", &history)).is_empty());
}

/// Seventeenth batch: a page reproducing a decision under a title that
/// names it (`Quyết định số 4266/QĐ-UBND của UBND tỉnh về việc …, tỉnh Hà
/// Giang`, then `QUYẾT ĐỊNH:` and its articles) gives its number and
/// issuer; a news title naming a decision it only reports gives none.
#[test]
fn a_page_reproducing_a_decision_gives_its_number() {
    let page = "Quyết định số 4266/QĐ-UBND của UBND tỉnh về việc công bố dịch cúm A (H1N1) ở người xảy ra trên địa bàn thị xã Hà Giang, tỉnh Hà Giang\nQUYẾT ĐỊNH:\nĐiều 1: Nay công bố dịch cúm A (H1N1) trên người.\n";
    let p = parse_text("w.txt", page);
    assert_eq!(p.number.as_deref(), Some("4266/QĐ-UBND"));
    assert_eq!(p.issuer.as_deref(), Some("UBND tỉnh Hà Giang"));
    let news = "Quyết định số 1795/QĐ-UBND của UBND tỉnh về việc công nhận 3 xã đạt tiêu chí quốc gia về y tế\nNgày 26/9/2022, Phó Chủ tịch UBND tỉnh đã ký ban hành quyết định công nhận 3 xã.\n";
    assert_eq!(parse_text("w.txt", news).number, None);
}

/// Eighteenth batch: a basis list under `I. CĂN CỨ XÂY DỰNG KẾ HOẠCH`
/// written as `Căn cứ …;` clauses (not dashes) is read.
#[test]
fn basis_clauses_under_a_basis_heading_are_read() {
    let plan = "ỦY BAN NHÂN DÂN\nTỈNH BÌNH PHƯỚC\nSố: 339/KH-UBND\nBình Phước, ngày 12 tháng 11 năm 2021\nKẾ HOẠCH\nTIÊM VẮC XIN CHO TRẺ EM\nI. CĂN CỨ XÂY DỰNG KẾ HOẠCH\nCăn cứ Nghị định số 104/2016/NĐ-CP ngày 01/7/2016 của Chính phủ quy định về hoạt động tiêm chủng;\nCăn cứ Công văn số 4198/BYT-KCB ngày 22/5/2021 của Bộ Y tế và Công văn số 5488/BYT-KCB ngày 09/7/2021 của Bộ Y tế;\nII. MỤC TIÊU\n1. Tiêm cho trẻ.\n";
    assert_eq!(
        basis_numbers(&parse_text("w.txt", plan)),
        ["104/2016/NĐ-CP", "4198/BYT-KCB", "5488/BYT-KCB"]
    );
}

/// Eighteenth batch: `Trên cơ sở Quyết định số …` (an act right after the
/// words) in a preamble is a basis; `Trên cơ sở các kết quả đạt được …`
/// still names none.
#[test]
fn an_act_after_tren_co_so_is_a_basis() {
    let qd = "ỦY BAN NHÂN DÂN\nTỈNH BẠC LIÊU\nSố: 2069/QĐ-UBND\nBạc Liêu, ngày 01 tháng 12 năm 2015\nQUYẾT ĐỊNH\nPHÊ DUYỆT KẾ HOẠCH PHÒNG, CHỐNG LAO\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\nCăn cứ Quyết định số 374/QĐ-TTg ngày 17/3/2014 của Thủ tướng Chính phủ;\nTrên cơ sở Quyết định số 1187/QĐ-UBND ngày 24/7/2015 của Chủ tịch UBND tỉnh về việc thành lập Ban Chỉ đạo;\nQUYẾT ĐỊNH:\nĐiều 1. Phê duyệt Kế hoạch.\n";
    let p = parse_text("w.txt", qd);
    assert_eq!(basis_numbers(&p), ["374/QĐ-TTg", "1187/QĐ-UBND"]);
    let results = qd.replace(
        "Trên cơ sở Quyết định số 1187/QĐ-UBND ngày 24/7/2015 của Chủ tịch UBND tỉnh về việc thành lập Ban Chỉ đạo;",
        "Trên cơ sở các kết quả đạt được năm 2015;",
    );
    assert_eq!(
        basis_numbers(&parse_text("w.txt", &results)),
        ["374/QĐ-TTg"]
    );
}

/// Eighteenth batch: a council's verification report cited with its number
/// after `Xét Tờ trình …;` is a basis and no reporting duty (`26 tháng 3`
/// holds no `6 tháng`); a council's head without its level line is the
/// council of the date line's province.
#[test]
fn a_councils_resolution_cites_its_verification_report() {
    let nq = "HỘI ĐỒNG NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 70/2014/NQ-HĐND | Sơn La, ngày 03 tháng 4 năm 2014 |\nNGHỊ QUYẾT\nVỀ CÁC BIỆN PHÁP PHÒNG, CHỐNG HIV/AIDS\nXét Tờ trình số 39/TTr-UBND ngày 17 tháng 3 năm 2014 của UBND tỉnh; Báo cáo thẩm tra số 368/BC-HĐND ngày 26 tháng 3 năm 2014 của Ban Văn hóa - Xã hội của HĐND tỉnh,\nQUYẾT NGHỊ:\nĐiều 1. Quyết định các biện pháp.\n";
    let p = parse_text("w.txt", nq);
    assert_eq!(basis_numbers(&p), ["39/TTr-UBND", "368/BC-HĐND"]);
    assert!(p.reporting.is_empty(), "{:?}", p.reporting);
    assert_eq!(p.issuer.as_deref(), Some("HĐND tỉnh Sơn La"));
}

/// Eighteenth batch: dates glued to `năm` (`năm2012`) and `Quyếtđịnh` by
/// a site's conversion. (The joint plan's long code with a space before its
/// slash, `176/KHLT /BVCSTE-…`, is still not read: not asserted.)
#[test]
fn glued_words_in_bases() {
    let plan = "ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\nSố: 43/KH-UBND\nHòa Bình, ngày 19 tháng 06 năm 2014\nKẾ HOẠCH\nPHÒNG, CHỐNG ĐUỐI NƯỚC TRẺ EM\nThực hiện Chỉ thị số 20-CT/TW ngày 05 tháng 11 năm2012 của Bộ Chính trị; Quyếtđịnh số 1555/QĐ-TTg ngày 17 tháng 10 năm 2012 của Thủ tướng Chính phủ;\nI. MỤC ĐÍCH\n";
    let p = parse_text("w.txt", plan);
    let got: Vec<(String, Option<String>)> = p
        .legal_bases
        .iter()
        .map(|b| {
            (
                b.number.clone().unwrap_or_default(),
                b.date.map(|d| d.to_string()),
            )
        })
        .collect();
    assert!(
        got.contains(&("20-CT/TW".into(), Some("2012-11-05".into()))),
        "{got:?}"
    );
    assert!(
        got.contains(&("1555/QĐ-TTg".into(), Some("2012-10-17".into()))),
        "{got:?}"
    );
}
