//! The indicator catalogue: codes, names and synonyms, units, direction.
//!
//! [`CATALOGUE`] holds every code of the contract `indicators.md` and the
//! other indicators Vietnamese health plans set targets on.
//! [`match_indicator`] finds the indicator a target's subject names,
//! diacritic-aware (on [`fold`]ed text) and tolerant of wording: an
//! indicator matches when all words of one of its key phrases occur in the
//! subject (and none of its exclusions), else by token overlap with its
//! name and synonyms above a threshold.

use crate::plan::Unit;
use crate::text::fold;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
    /// Closer to a band is better (sex ratio at birth).
    TargetBand,
    /// Set by each plan (growth rates, counts).
    PerPlan,
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable code (`bhyt_coverage`).
    pub code: &'static str,
    /// Vietnamese name as plans write it.
    pub name: &'static str,
    /// Other wordings seen in plans.
    pub synonyms: &'static [&'static str],
    /// Key phrases (folded words, all of one group must occur).
    pub keys: &'static [&'static [&'static str]],
    /// Folded words that rule the indicator out.
    pub not: &'static [&'static str],
    /// The unit of its values.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
}

macro_rules! ind {
    ($code:expr, $name:expr, [$($syn:expr),* $(,)?], [$([$($k:expr),* $(,)?]),* $(,)?], [$($not:expr),* $(,)?], $unit:ident, $dir:ident) => {
        Indicator {
            code: $code,
            name: $name,
            synonyms: &[$($syn),*],
            keys: &[$(&[$($k),*]),*],
            not: &[$($not),*],
            unit: Unit::$unit,
            direction: Direction::$dir,
        }
    };
}

/// Every indicator ytcs knows.
pub static CATALOGUE: &[Indicator] = &[
    ind!("population", "Dân số", ["Quy mô dân số", "Tổng dân số"], [["quy mo dan so"], ["tong dan so"]], [], Count, PerPlan),
    ind!("bhyt_coverage", "Tỷ lệ dân số tham gia bảo hiểm y tế",
        ["Tỷ lệ người dân có thẻ bảo hiểm y tế", "Tỷ lệ bao phủ bảo hiểm y tế", "tỷ lệ tham gia BHYT"],
        [["tham gia", "bao hiem y te"], ["the", "bao hiem y te"], ["bao phu", "bao hiem y te"], ["tham gia", "bhyt"], ["the bhyt"], ["bao phu", "bhyt"]],
        ["chi tra", "thanh toan", "kham chua benh bhyt", "du dieu kien"], Percent, Higher),
    ind!("bhyt_primary_care_paid_pct", "Tỷ lệ người dân sử dụng dịch vụ chăm sóc ban đầu tại y tế cơ sở được bảo hiểm y tế chi trả",
        [], [["cham soc ban dau", "chi tra"]], [], Percent, Higher),
    ind!("ehr_coverage", "Tỷ lệ dân số được quản lý bằng hồ sơ sức khỏe điện tử",
        ["Tỷ lệ người dân có hồ sơ sức khỏe điện tử", "sổ sức khỏe điện tử"],
        [["ho so suc khoe dien tu"], ["so suc khoe dien tu"], ["hssk"]], ["kho du lieu"], Percent, Higher),
    ind!("health_managed_pct", "Tỷ lệ dân số được quản lý, theo dõi sức khỏe",
        ["dân số được quản lý sức khỏe", "người dân được quản lý sức khỏe"],
        [["dan so", "quan ly", "suc khoe"], ["nguoi dan", "duoc quan ly suc khoe"]],
        ["dien tu", "nguoi cao tuoi", "tang huyet ap", "dai thao duong", "benh khong lay"], Percent, Higher),
    ind!("full_immunization_u1", "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ",
        ["Tỷ lệ tiêm chủng mở rộng", "trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin"],
        [["tiem chung day du"], ["tiem chung mo rong"], ["tiem du", "vac xin"]], ["tram", "he thong"], Percent, Higher),
    ind!("stunting_u5", "Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ dưới 5 tuổi",
        ["SDD thể thấp còi"], [["thap coi"]], [], Percent, Lower),
    ind!("underweight_u5", "Tỷ lệ suy dinh dưỡng thể nhẹ cân ở trẻ dưới 5 tuổi",
        ["SDD thể nhẹ cân"], [["nhe can"]], [], Percent, Lower),
    ind!("imr", "Tỷ suất tử vong trẻ dưới 1 tuổi",
        ["tỷ suất tử vong trẻ em dưới 1 tuổi"], [["tu vong", "duoi 1 tuoi"], ["tu vong", "1 tuoi"]], ["5 tuoi"], PerMille, Lower),
    ind!("u5mr", "Tỷ suất tử vong trẻ dưới 5 tuổi",
        ["tỷ suất tử vong trẻ em dưới 5 tuổi"], [["tu vong", "duoi 5 tuoi"], ["tu vong", "5 tuoi"]], [], PerMille, Lower),
    ind!("mmr", "Tỷ số tử vong mẹ trên 100.000 trẻ đẻ sống",
        [], [["tu vong me"]], [], Per100000, Lower),
    ind!("srb", "Tỷ số giới tính khi sinh",
        ["số trẻ nam trên 100 trẻ nữ"], [["gioi tinh khi sinh"]], ["mat can bang"], Per100, TargetBand),
    ind!("natural_growth_rate", "Tỷ lệ tăng dân số tự nhiên",
        [], [["tang dan so tu nhien"]], [], Percent, PerPlan),
    ind!("crude_birth_rate", "Tỷ suất sinh thô", ["mức giảm tỷ suất sinh thô"], [["sinh tho"]], [], PerMille, PerPlan),
    ind!("life_expectancy", "Tuổi thọ trung bình", ["tuổi thọ bình quân"], [["tuoi tho"]], ["khoe manh"], Years, Higher),
    ind!("healthy_life_years", "Số năm sống khỏe mạnh", [], [["song khoe"], ["tuoi tho khoe manh"]], [], Years, Higher),
    ind!("prenatal_screening_pct", "Tỷ lệ phụ nữ mang thai được sàng lọc trước sinh",
        ["sàng lọc trước sinh"], [["sang loc truoc sinh"]], [], Percent, Higher),
    ind!("newborn_screening_pct", "Tỷ lệ trẻ sơ sinh được sàng lọc",
        ["sàng lọc sơ sinh"], [["so sinh", "sang loc"]], ["truoc sinh"], Percent, Higher),
    ind!("premarital_check_pct", "Tỷ lệ thanh niên, vị thành niên được tư vấn, khám sức khỏe trước kết hôn",
        ["khám sức khỏe tiền hôn nhân"], [["truoc ket hon"], ["tien hon nhan"], ["truoc hon nhan"]], [], Percent, Higher),
    ind!("contraceptive_prevalence", "Tỷ lệ cặp vợ chồng trong độ tuổi sinh đẻ áp dụng biện pháp tránh thai hiện đại",
        [], [["bien phap tranh thai", "vo chong"], ["bien phap tranh thai", "ap dung"]], [], Percent, Higher),
    ind!("elderly_checked_pct", "Tỷ lệ người cao tuổi được quản lý, khám sức khỏe định kỳ",
        ["người cao tuổi được khám sức khỏe định kỳ"], [["nguoi cao tuoi", "kham"], ["nguoi cao tuoi", "quan ly"]], [], Percent, Higher),
    ind!("hypertension_managed", "Tỷ lệ người tăng huyết áp được quản lý điều trị",
        [], [["tang huyet ap", "quan ly"]], ["tram"], Percent, Higher),
    ind!("diabetes_managed", "Tỷ lệ người đái tháo đường được quản lý điều trị",
        [], [["dai thao duong", "quan ly"]], ["tram", "tang huyet ap"], Percent, Higher),
    ind!("stations_ncd_pct", "Tỷ lệ trạm y tế thực hiện dự phòng, quản lý điều trị bệnh không lây nhiễm",
        ["trạm y tế xã thực hiện dự phòng, quản lý, điều trị một số bệnh không lây nhiễm"],
        [["tram", "khong lay nhiem"], ["tram", "tang huyet ap"]], [], Percent, Higher),
    ind!("doctors_per_10000", "Số bác sĩ trên 10.000 dân",
        ["bác sĩ/vạn dân"], [["bac si"]], ["tram", "xa co", "duoc si", "dinh bien", "gia dinh"], Per10000, Higher),
    ind!("pharmacists_per_10000", "Số dược sĩ đại học trên 10.000 dân",
        ["dược sĩ đại học/vạn dân"], [["duoc si"]], ["tram"], Per10000, Higher),
    ind!("nurses_per_10000", "Số điều dưỡng trên 10.000 dân",
        ["điều dưỡng viên trên 10.000 dân"], [["dieu duong"]], ["tram", "cham soc"], Per10000, Higher),
    ind!("beds_per_10000", "Số giường bệnh trên 10.000 dân",
        ["giường bệnh/vạn dân", "quy mô giường bệnh"], [["giuong benh"]], ["tu nhan", "ngoai cong lap", "quy mo 1", "hang"], Per10000, Higher),
    ind!("private_beds_pct", "Tỷ lệ giường bệnh tư nhân",
        [], [["giuong benh", "tu nhan"], ["giuong benh", "ngoai cong lap"]], [], Percent, Higher),
    ind!("stations_with_doctor_pct", "Tỷ lệ trạm y tế xã có bác sĩ",
        ["Trạm Y tế có bác sĩ làm việc", "trạm y tế có bác sĩ cơ hữu"], [["tram", "bac si"]], ["luan phien", "ho tro"], Percent, Higher),
    ind!("villages_with_vhw_pct", "Tỷ lệ thôn, bản có nhân viên y tế hoạt động",
        ["thôn có nhân viên y tế thôn bản"], [["thon", "nhan vien y te"], ["thon", "yttb"]], [], Percent, Higher),
    ind!("communes_with_midwife_pct", "Tỷ lệ xã có nữ hộ sinh hoặc y sỹ sản nhi",
        ["xã có nữ hộ sinh"], [["nu ho sinh"], ["san nhi"]], [], Percent, Higher),
    ind!("stations_pharmacy_tm_staff_pct", "Tỷ lệ trạm y tế có cán bộ làm công tác dược và y học cổ truyền",
        [], [["tram", "cong tac duoc"], ["tram", "y hoc co truyen", "can bo"]], [], Percent, Higher),
    ind!("communes_criteria_pct", "Tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế xã",
        ["xã đạt tiêu chí quốc gia về y tế", "xã, phường, thị trấn đạt Bộ tiêu chí quốc gia về y tế"],
        [["tieu chi quoc gia", "y te"]], ["nong thon moi"], Percent, Higher),
    ind!("station_services_pct", "Tỷ lệ danh mục dịch vụ kỹ thuật tuyến xã thực hiện được",
        ["Trạm Y tế xã thực hiện được danh mục dịch vụ kỹ thuật của tuyến xã"],
        [["dich vu ky thuat", "tuyen xa"], ["tram", "dich vu ky thuat"], ["tram", "danh muc", "ky thuat"]], ["du dieu kien"], Percent, Higher),
    ind!("district_services_pct", "Tỷ lệ danh mục dịch vụ kỹ thuật tuyến huyện thực hiện được",
        ["Trung tâm Y tế huyện thực hiện được danh mục kỹ thuật theo phân tuyến huyện"],
        [["ky thuat", "tuyen huyen"], ["trung tam y te", "ky thuat"]], [], Percent, Higher),
    ind!("hospital_services_pct", "Tỷ lệ danh mục kỹ thuật theo phân tuyến bệnh viện thực hiện được",
        ["danh mục dịch vụ kỹ thuật khám bệnh, chữa bệnh theo phân tuyến kỹ thuật"],
        [["ky thuat", "phan tuyen"]], ["tram", "tuyen xa", "tuyen huyen"], Percent, Higher),
    ind!("stations_bhyt_eligible_pct", "Tỷ lệ trạm y tế xã đủ điều kiện khám chữa bệnh BHYT",
        [], [["tram", "du dieu kien", "kham chua benh"]], [], Percent, Higher),
    ind!("stations_upgraded_pct", "Tỷ lệ trạm y tế được đầu tư nâng cấp cơ sở hạ tầng và trang thiết bị",
        ["Trạm Y tế được xây dựng kiên cố"], [["tram", "dau tu", "co so"], ["tram", "kien co"], ["tram", "nang cap"]], [], Percent, Higher),
    ind!("food_poisoning_per_100000", "Số ca ngộ độc thực phẩm cấp tính được báo cáo trên 100.000 dân",
        [], [["ngo doc thuc pham"]], [], Per100000, Lower),
    ind!("satisfaction_pct", "Tỷ lệ hài lòng của người dân với dịch vụ y tế",
        ["sự hài lòng của người bệnh"], [["hai long"]], [], Percent, Higher),
    ind!("staff_college_pct", "Tỷ lệ nhân lực y tế có trình độ từ cao đẳng trở lên",
        [], [["cao dang tro len"]], [], Percent, Higher),
    ind!("pharmacies_gpp_pct", "Tỷ lệ cơ sở bán buôn, bán lẻ thuốc đạt Thực hành tốt",
        [], [["thuc hanh tot"]], [], Percent, Higher),
    ind!("hiv_treatment_pct", "Tỷ lệ người nhiễm HIV được điều trị ARV", [], [["hiv", "arv"]], [], Percent, Higher),
    ind!("tb_detection", "Tỷ lệ phát hiện bệnh lao", [], [["benh lao", "phat hien"]], [], Percent, Higher),
    ind!("clean_water_pct", "Tỷ lệ dân số được sử dụng nước sạch", [], [["nuoc sach"]], [], Percent, Higher),
    ind!("sanitary_latrine_pct", "Tỷ lệ hộ gia đình có nhà tiêu hợp vệ sinh", [], [["nha tieu hop ve sinh"]], [], Percent, Higher),
];

/// The catalogue's names in English, by code (the catalogue's `name` is
/// the Vietnamese of the plans).
static NAMES_EN: &[(&str, &str)] = &[
    ("population", "Population"),
    ("bhyt_coverage", "Health insurance coverage"),
    (
        "bhyt_primary_care_paid_pct",
        "People whose primary care at grassroots facilities is paid by health insurance",
    ),
    (
        "ehr_coverage",
        "Population with an electronic health record",
    ),
    (
        "health_managed_pct",
        "Population whose health is managed and followed",
    ),
    ("full_immunization_u1", "Children under 1 fully immunized"),
    ("stunting_u5", "Stunting among children under 5"),
    ("underweight_u5", "Underweight among children under 5"),
    ("imr", "Infant mortality rate (under 1)"),
    ("u5mr", "Under-5 mortality rate"),
    ("mmr", "Maternal mortality ratio per 100,000 live births"),
    ("srb", "Sex ratio at birth"),
    ("natural_growth_rate", "Natural population growth rate"),
    ("crude_birth_rate", "Crude birth rate"),
    ("life_expectancy", "Life expectancy at birth"),
    ("healthy_life_years", "Healthy life years"),
    (
        "prenatal_screening_pct",
        "Pregnant women screened before birth",
    ),
    ("newborn_screening_pct", "Newborns screened"),
    (
        "premarital_check_pct",
        "Young people counselled and examined before marriage",
    ),
    (
        "contraceptive_prevalence",
        "Couples of reproductive age using modern contraception",
    ),
    (
        "elderly_checked_pct",
        "Older people managed and examined regularly",
    ),
    (
        "hypertension_managed",
        "People with hypertension managed and treated",
    ),
    (
        "diabetes_managed",
        "People with diabetes managed and treated",
    ),
    (
        "stations_ncd_pct",
        "Stations preventing and managing non-communicable diseases",
    ),
    ("doctors_per_10000", "Doctors per 10,000 people"),
    (
        "pharmacists_per_10000",
        "University-trained pharmacists per 10,000 people",
    ),
    ("nurses_per_10000", "Nurses per 10,000 people"),
    ("beds_per_10000", "Hospital beds per 10,000 people"),
    ("private_beds_pct", "Share of private hospital beds"),
    ("stations_with_doctor_pct", "Commune stations with a doctor"),
    (
        "villages_with_vhw_pct",
        "Villages with an active village health worker",
    ),
    (
        "communes_with_midwife_pct",
        "Communes with a midwife or an obstetric-paediatric assistant doctor",
    ),
    (
        "stations_pharmacy_tm_staff_pct",
        "Stations with pharmacy and traditional-medicine staff",
    ),
    (
        "communes_criteria_pct",
        "Communes meeting the national commune-health criteria",
    ),
    (
        "station_services_pct",
        "Commune-level technical services provided",
    ),
    (
        "district_services_pct",
        "District-level technical services provided",
    ),
    (
        "hospital_services_pct",
        "Hospital technical services provided by level",
    ),
    (
        "stations_bhyt_eligible_pct",
        "Commune stations eligible for insured care",
    ),
    (
        "stations_upgraded_pct",
        "Stations with upgraded buildings and equipment",
    ),
    (
        "food_poisoning_per_100000",
        "Acute food poisoning cases reported per 100,000 people",
    ),
    ("satisfaction_pct", "People satisfied with health services"),
    (
        "staff_college_pct",
        "Health workers with a college degree or higher",
    ),
    (
        "pharmacies_gpp_pct",
        "Drug wholesalers and retailers meeting Good Practices",
    ),
    (
        "hiv_treatment_pct",
        "People with HIV on antiretroviral treatment",
    ),
    ("tb_detection", "Tuberculosis case detection rate"),
    ("clean_water_pct", "Population using clean water"),
    ("sanitary_latrine_pct", "Households with a sanitary latrine"),
];

impl Indicator {
    /// Its name in Vietnamese (`vi`) or English.
    pub fn name_in(&self, vi: bool) -> &'static str {
        if vi {
            return self.name;
        }
        NAMES_EN
            .iter()
            .find(|(code, _)| *code == self.code)
            .map_or(self.name, |(_, en)| en)
    }
}

/// Folds a subject and normalises spelling variants (`sỹ`/`sĩ`, `tỉ`/`tỷ`).
fn normalise(s: &str) -> String {
    let f = fold(s);
    let mut out = String::with_capacity(f.len() + 2);
    out.push(' ');
    for (i, w) in f
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        if i > 0 {
            out.push(' ');
        }
        let w = w.trim_matches('.');
        out.push_str(match w {
            "sy" => "si",
            "ti" => "ty",
            "sdd" => "suy dinh duong",
            "ttyt" => "trung tam y te",
            "tyt" => "tram y te",
            "tc" => "tieu chi",
            other => other,
        });
    }
    out.push(' ');
    out
}

fn contains_phrase(hay: &str, phrase: &str) -> bool {
    hay.contains(&format!(" {phrase} ")) || hay.contains(&format!(" {phrase}"))
}

fn tokens(s: &str) -> Vec<String> {
    s.split_whitespace()
        .filter(|w| w.len() > 1 || w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

/// Finds the catalogue indicator a target's subject names, or `None`.
///
/// `match_indicator("Tỉ lệ tham gia Bảo hiểm y tế")` is `bhyt_coverage`;
/// matching ignores diacritics and case and tolerates reordered or extra
/// words.
pub fn match_indicator(subject: &str) -> Option<&'static Indicator> {
    let s = normalise(subject);
    if s.trim().is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'static Indicator)> = None;
    for ind in CATALOGUE {
        if ind.not.iter().any(|n| contains_phrase(&s, n)) {
            continue;
        }
        for group in ind.keys {
            if group.iter().all(|k| contains_phrase(&s, k)) {
                let score: usize = group.iter().map(|k| k.len()).sum::<usize>() + 10 * group.len();
                if best.is_none_or(|(b, _)| score > b) {
                    best = Some((score, ind));
                }
            }
        }
    }
    if let Some((_, ind)) = best {
        return Some(ind);
    }
    // Fallback: token overlap with names and synonyms.
    let subject_tokens = tokens(&s);
    let mut best_overlap: Option<(f64, &'static Indicator)> = None;
    for ind in CATALOGUE {
        if ind.not.iter().any(|n| contains_phrase(&s, n)) {
            continue;
        }
        for phrase in std::iter::once(&ind.name).chain(ind.synonyms.iter()) {
            let pt = tokens(&normalise(phrase));
            if pt.len() < 3 {
                continue;
            }
            let hit = pt.iter().filter(|t| subject_tokens.contains(t)).count();
            let ratio = hit as f64 / pt.len() as f64;
            if ratio >= 0.8 && best_overlap.is_none_or(|(b, _)| ratio > b) {
                best_overlap = Some((ratio, ind));
            }
        }
    }
    best_overlap.map(|(_, i)| i)
}

/// Looks an indicator up by its code.
pub fn by_code(code: &str) -> Option<&'static Indicator> {
    CATALOGUE.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_has_an_english_name_and_only_those_do() {
        for i in CATALOGUE {
            assert_ne!(i.name_in(false), i.name, "{} has no English name", i.code);
            assert_eq!(i.name_in(true), i.name);
        }
        for (code, _) in NAMES_EN {
            assert!(by_code(code).is_some(), "{code} is not in the catalogue");
        }
    }

    const CONTRACT_CODES: &[&str] = &[
        "population",
        "bhyt_coverage",
        "ehr_coverage",
        "health_managed_pct",
        "full_immunization_u1",
        "stunting_u5",
        "underweight_u5",
        "imr",
        "u5mr",
        "srb",
        "natural_growth_rate",
        "life_expectancy",
        "prenatal_screening_pct",
        "newborn_screening_pct",
        "elderly_checked_pct",
        "hypertension_managed",
        "stations_ncd_pct",
        "doctors_per_10000",
        "pharmacists_per_10000",
        "nurses_per_10000",
        "beds_per_10000",
        "stations_with_doctor_pct",
        "villages_with_vhw_pct",
        "communes_with_midwife_pct",
        "communes_criteria_pct",
        "station_services_pct",
        "food_poisoning_per_100000",
        "satisfaction_pct",
    ];

    #[test]
    fn catalogue_holds_every_contract_code_once() {
        for code in CONTRACT_CODES {
            assert!(by_code(code).is_some(), "missing {code}");
        }
        let mut codes: Vec<_> = CATALOGUE.iter().map(|i| i.code).collect();
        codes.sort_unstable();
        let n = codes.len();
        codes.dedup();
        assert_eq!(n, codes.len(), "duplicate codes");
    }

    #[test]
    fn every_name_matches_its_own_indicator() {
        for ind in CATALOGUE.iter().filter(|i| i.code != "population") {
            let got = match_indicator(ind.name).map(|i| i.code);
            assert_eq!(got, Some(ind.code), "name {:?}", ind.name);
        }
    }

    fn code(s: &str) -> Option<&'static str> {
        match_indicator(s).map(|i| i.code)
    }

    #[test]
    fn wordings_from_plans_match() {
        assert_eq!(code("Tỉ lệ tham gia bảo hiểm y tế"), Some("bhyt_coverage"));
        assert_eq!(
            code("TY LE NGUOI DAN CO THE BAO HIEM Y TE"),
            Some("bhyt_coverage")
        );
        assert_eq!(code("người dân sử dụng dịch vụ chăm sóc ban đầu tại y tế cơ sở được bảo hiểm y tế chi trả"), Some("bhyt_primary_care_paid_pct"));
        assert_eq!(
            code("Tỷ lệ trẻ em dưới 5 tuổi SDD thể thấp còi"),
            Some("stunting_u5")
        );
        assert_eq!(code("Giảm tỷ suất tử vong: trẻ dưới 5 tuổi"), Some("u5mr"));
        assert_eq!(code("tỷ suất tử vong trẻ em dưới 1 tuổi"), Some("imr"));
        assert_eq!(code("bác sỹ trên 10.000 dân"), Some("doctors_per_10000"));
        assert_eq!(
            code("Trạm Y tế có bác sỹ"),
            Some("stations_with_doctor_pct")
        );
        assert_eq!(
            code("thôn có nhân viên y tế được đào tạo chuyên môn"),
            Some("villages_with_vhw_pct")
        );
        assert_eq!(
            code("xã, thị trấn đạt Bộ tiêu chí quốc gia về y tế xã"),
            Some("communes_criteria_pct")
        );
        assert_eq!(code("Tỷ lệ thanh niên"), None);
        assert_eq!(code(""), None);
    }
}
