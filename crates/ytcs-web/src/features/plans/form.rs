//! Corrections of an extracted plan, as posted by the review form.
//!
//! Field names: `number`, `date`, `issuer`, `title`, `recipients` (one a
//! line), `signer.name|title|on_behalf_of`, `note`; per target
//! `t.{i}.subject|indicator|comparator|value|unit|year|lead|delete`; per
//! legal basis `b.{i}.kind|number|date|issuer|delete`; per budget line
//! `g.{i}.amount|purpose|sources|delete`; per task
//! `k.{i}.title|lead|coord|timeframe|delete`; per reporting duty
//! `r.{i}.what|by|to|frequency|deadline|delete`; a new target in `t.new.*`.
//! Lists (units, sources) are separated by `;` or new lines. Numbers and dates are read the Vietnamese way
//! (`96,5`, `1.987.000.000`, `01/7/2025`). Every problem is collected and
//! named in Vietnamese; a form with any problem changes nothing.

use std::collections::HashMap;

use ytcs_core::plan::vn::{parse_decimal, parse_timeframe};
use ytcs_core::plan::{Comparator, Plan, Target, Unit};

fn from_code<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

fn text(v: Option<&String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn list(v: Option<&String>) -> Vec<String> {
    v.map(|s| {
        s.split([';', '\n'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// Applies the posted corrections to `plan`; the problems found otherwise.
pub fn apply(mut plan: Plan, form: &HashMap<String, String>) -> Result<Plan, Vec<String>> {
    let mut errors = Vec::new();
    let get = |k: &str| form.get(k);
    let deleted = |prefix: &str| get(&format!("{prefix}.delete")).is_some();

    if form.contains_key("number") {
        plan.number = text(get("number"));
    }
    if let Some(d) = get("date") {
        let d = d.trim();
        if d.is_empty() {
            plan.date = None;
        } else {
            match crate::app::parse_user_date(d) {
                Some(date) => plan.date = Some(date),
                None => errors.push(format!(
                    "Ngày ban hành «{d}» không hợp lệ (ví dụ 02/11/2023)."
                )),
            }
        }
    }
    if form.contains_key("issuer") {
        plan.issuer = text(get("issuer"));
    }
    if form.contains_key("title") {
        plan.title = text(get("title"));
    }
    if form.contains_key("recipients") {
        plan.recipients = list(get("recipients"));
    }
    if ["signer.name", "signer.title", "signer.on_behalf_of"]
        .iter()
        .any(|k| form.contains_key(*k))
    {
        let signer = ytcs_core::plan::Signer {
            name: text(get("signer.name")),
            title: text(get("signer.title")),
            on_behalf_of: text(get("signer.on_behalf_of")),
        };
        plan.signer =
            (signer.name.is_some() || signer.title.is_some() || signer.on_behalf_of.is_some())
                .then_some(signer);
    }

    let mut targets = Vec::new();
    for (i, t) in plan.targets.iter().enumerate() {
        let p = format!("t.{i}");
        if deleted(&p) {
            continue;
        }
        let mut t = t.clone();
        read_target(&mut t, &p, i + 1, form, &mut errors);
        targets.push(t);
    }
    if let Some(subject) = text(get("t.new.subject")) {
        let mut t = Target {
            id: "#new".into(),
            section: String::new(),
            text: subject.clone(),
            subject,
            indicator: None,
            comparator: Comparator::Ge,
            value: None,
            unit: Unit::Percent,
            unit_text: None,
            year: None,
            lead_units: vec![],
            coordinating_units: vec![],
            line: 0,
        };
        read_target(&mut t, "t.new", targets.len() + 1, form, &mut errors);
        targets.push(t);
    }
    plan.targets = targets;

    let mut bases = Vec::new();
    for (i, b) in plan.legal_bases.iter().enumerate() {
        let p = format!("b.{i}");
        if deleted(&p) {
            continue;
        }
        let mut b = b.clone();
        if form.contains_key(&format!("{p}.number")) {
            b.number = text(get(&format!("{p}.number")));
        }
        if form.contains_key(&format!("{p}.issuer")) {
            b.issuer = text(get(&format!("{p}.issuer")));
        }
        if let Some(code) = get(&format!("{p}.kind")) {
            match from_code(code.trim()) {
                Some(k) => b.kind = k,
                None => errors.push(format!(
                    "Căn cứ {}: loại văn bản «{code}» không hợp lệ.",
                    i + 1
                )),
            }
        }
        if let Some(d) = get(&format!("{p}.date")) {
            let d = d.trim();
            b.date = if d.is_empty() {
                None
            } else {
                match crate::app::parse_user_date(d) {
                    Some(x) => Some(x),
                    None => {
                        errors.push(format!("Căn cứ {}: ngày «{d}» không hợp lệ.", i + 1));
                        b.date
                    }
                }
            };
        }
        bases.push(b);
    }
    plan.legal_bases = bases;

    let mut budget = Vec::new();
    for (i, g) in plan.budget.iter().enumerate() {
        let p = format!("g.{i}");
        if deleted(&p) {
            continue;
        }
        let mut g = g.clone();
        if let Some(a) = get(&format!("{p}.amount")) {
            let a = a.trim();
            match parse_decimal(a).map(|d| d.to_f64()) {
                Some(x) if x.fract() == 0.0 && (0.0..9.0e18).contains(&x) => {
                    g.amount_vnd = x as i64
                }
                _ => errors.push(format!(
                    "Kinh phí {}: số tiền «{a}» phải là số đồng nguyên (ví dụ 1.987.000.000).",
                    i + 1
                )),
            }
        }
        if form.contains_key(&format!("{p}.purpose")) {
            g.purpose = text(get(&format!("{p}.purpose")));
        }
        if form.contains_key(&format!("{p}.sources")) {
            g.sources = list(get(&format!("{p}.sources")));
        }
        budget.push(g);
    }
    plan.budget = budget;

    let mut tasks = Vec::new();
    for (i, k) in plan.tasks.iter().enumerate() {
        let p = format!("k.{i}");
        if deleted(&p) {
            continue;
        }
        let mut k = k.clone();
        if let Some(title) = text(get(&format!("{p}.title"))) {
            k.title = title;
        }
        if form.contains_key(&format!("{p}.lead")) {
            k.lead_units = list(get(&format!("{p}.lead")));
        }
        if form.contains_key(&format!("{p}.coord")) {
            k.coordinating_units = list(get(&format!("{p}.coord")));
        }
        if let Some(tf) = get(&format!("{p}.timeframe")) {
            if tf.trim() != k.timeframe.text {
                let (timeframe, milestones) = parse_timeframe(tf);
                k.timeframe = timeframe;
                k.milestones = milestones;
            }
        }
        tasks.push(k);
    }
    plan.tasks = tasks;

    let mut duties = Vec::new();
    for (i, d) in plan.reporting.iter().enumerate() {
        let p = format!("r.{i}");
        if deleted(&p) {
            continue;
        }
        let mut d = d.clone();
        if let Some(what) = text(get(&format!("{p}.what"))) {
            d.what = what;
        }
        if form.contains_key(&format!("{p}.by")) {
            d.by = list(get(&format!("{p}.by")));
        }
        if form.contains_key(&format!("{p}.to")) {
            d.to = list(get(&format!("{p}.to")));
        }
        if let Some(code) = get(&format!("{p}.frequency")) {
            let code = code.trim();
            if code.is_empty() {
                d.frequency = None;
            } else {
                match from_code(code) {
                    Some(f) => d.frequency = Some(f),
                    None => {
                        errors.push(format!("Báo cáo {}: định kỳ «{code}» không hợp lệ.", i + 1))
                    }
                }
            }
        }
        if let Some(dl) = get(&format!("{p}.deadline")) {
            let dl = dl.trim();
            if dl.is_empty() {
                d.deadline = None;
            } else {
                match ytcs_core::plan::vn::parse_day_month(dl) {
                    Some((day, month)) => {
                        d.deadline = Some(ytcs_core::plan::Deadline {
                            month: Some(month),
                            day: Some(day),
                        })
                    }
                    None => errors.push(format!(
                        "Báo cáo {}: hạn «{dl}» phải có dạng ngày/tháng (ví dụ 15/12).",
                        i + 1
                    )),
                }
            }
        }
        duties.push(d);
    }
    plan.reporting = duties;

    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(errors)
    }
}

/// A target marked in the source ("đây là chỉ tiêu"), as its form posts it.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// The plan with the target added or replaced.
    pub plan: Plan,
    /// 1-based source line.
    pub line: usize,
    /// The selected text.
    pub selection: String,
    /// The index of the target it replaced.
    pub fix: Option<usize>,
    /// The target it replaced.
    pub replaced: Option<Target>,
    /// What the reader made of the selection (what the form was pre-filled with).
    pub read: Option<Target>,
    /// The target as confirmed.
    pub target: Target,
}

/// The target a selection pre-fills the form with: the reader's reading
/// of it ([`ytcs_plandoc::selection::target_from_selection`]), else an
/// empty target whose subject is the selection (the person fills the
/// value in). For a fix, the replaced target's id, section and units are
/// kept.
pub fn prefill(
    plan: &Plan,
    sentence: &str,
    line: usize,
    selection: &str,
    fix: Option<usize>,
) -> (Option<Target>, Target) {
    let read = ytcs_plandoc::selection::target_from_selection(selection, sentence, line);
    let mut t = read.clone().unwrap_or_else(|| Target {
        id: String::new(),
        section: String::new(),
        text: selection.to_string(),
        subject: selection.to_string(),
        indicator: None,
        comparator: Comparator::Eq,
        value: None,
        unit: Unit::Percent,
        unit_text: None,
        year: None,
        lead_units: vec![],
        coordinating_units: vec![],
        line,
    });
    match fix.and_then(|i| plan.targets.get(i)) {
        Some(old) => {
            t.id = old.id.clone();
            t.section = old.section.clone();
            t.lead_units = old.lead_units.clone();
            t.coordinating_units = old.coordinating_units.clone();
        }
        None => t.id = format!("#L{line}"),
    }
    t.text = selection.to_string();
    t.line = line;
    (read, t)
}

/// Reads the "đây là chỉ tiêu" form: `line` (of `source`), `selection`,
/// `fix` (the index of the target it replaces; empty for a new one) and the
/// confirmed target in `m.subject|indicator|comparator|value|unit|year`.
/// Every problem is named; with any, nothing applies.
pub fn mark(
    mut plan: Plan,
    source: &str,
    form: &HashMap<String, String>,
) -> Result<Marked, Vec<String>> {
    let mut errors = Vec::new();
    let lines = source.lines().count();
    let line = match form.get("line").map(|l| l.trim().parse::<usize>()) {
        Some(Ok(n)) if (1..=lines).contains(&n) => n,
        _ => {
            errors.push("Dòng được chọn không có trong văn bản gốc.".to_string());
            0
        }
    };
    let selection = form.get("selection").map(|s| s.trim()).unwrap_or("");
    if selection.is_empty() {
        errors.push("Cần chọn (hoặc giữ lại) đoạn văn bản nêu chỉ tiêu.".to_string());
    } else if selection.chars().count() > ytcs_plandoc::selection::MAX_SELECTION {
        errors.push(format!(
            "Đoạn chọn dài quá {} ký tự: hãy chọn một câu.",
            ytcs_plandoc::selection::MAX_SELECTION
        ));
    }
    let fix = match form.get("fix").map(|f| f.trim()).filter(|f| !f.is_empty()) {
        None => None,
        Some(f) => match f.parse::<usize>() {
            Ok(i) if i < plan.targets.len() => Some(i),
            _ => {
                errors.push(format!("Không có chỉ tiêu số «{f}» để sửa."));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let sentence = source.lines().nth(line - 1).unwrap_or("");
    let (read, mut target) = prefill(&plan, sentence, line, selection, fix);
    let n = fix.map_or(plan.targets.len() + 1, |i| i + 1);
    read_target(&mut target, "m", n, form, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let replaced = match fix {
        Some(i) => Some(std::mem::replace(&mut plan.targets[i], target.clone())),
        None => {
            plan.targets.push(target.clone());
            None
        }
    };
    Ok(Marked {
        plan,
        line,
        selection: selection.to_string(),
        fix,
        replaced,
        read,
        target,
    })
}

fn read_target(
    t: &mut Target,
    p: &str,
    n: usize,
    form: &HashMap<String, String>,
    errors: &mut Vec<String>,
) {
    let get = |k: &str| form.get(&format!("{p}.{k}"));
    if let Some(s) = text(get("subject")) {
        t.subject = s;
    }
    if let Some(code) = get("indicator") {
        let code = code.trim();
        if code.is_empty() {
            t.indicator = None;
        } else if ytcs_core::indicator::by_code(code).is_some() {
            t.indicator = Some(code.to_string());
        } else {
            errors.push(format!(
                "Chỉ tiêu {n}: không có chỉ số mã «{code}» trong danh mục."
            ));
        }
    }
    if let Some(code) = get("comparator") {
        match from_code::<Comparator>(code.trim()) {
            Some(c) => t.comparator = c,
            None => errors.push(format!("Chỉ tiêu {n}: phép so sánh «{code}» không hợp lệ.")),
        }
    }
    if let Some(v) = get("value") {
        let v = v.trim();
        if v.is_empty() {
            t.value = None;
        } else {
            match parse_decimal(v) {
                Some(d) => t.value = Some(d.to_f64()),
                None => errors.push(format!(
                    "Chỉ tiêu {n}: giá trị «{v}» không phải là số (ví dụ 96,5)."
                )),
            }
        }
    }
    if t.value.is_none() && t.comparator != Comparator::Maintain {
        errors.push(format!(
            "Chỉ tiêu {n}: cần một giá trị (chỉ «duy trì» mới được để trống)."
        ));
    }
    if let Some(code) = get("unit") {
        match from_code::<Unit>(code.trim()) {
            Some(u) => t.unit = u,
            None => errors.push(format!("Chỉ tiêu {n}: đơn vị «{code}» không hợp lệ.")),
        }
    }
    if form.contains_key(&format!("{p}.lead")) {
        t.lead_units = list(get("lead"));
    }
    if let Some(y) = get("year") {
        let y = y.trim();
        if y.is_empty() {
            t.year = None;
        } else {
            match y.parse::<i32>() {
                Ok(year) if (1900..=2200).contains(&year) => t.year = Some(year),
                _ => errors.push(format!("Chỉ tiêu {n}: năm «{y}» không hợp lệ.")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::vocab::{code_of, COMPARATORS, UNITS};
    use ytcs_core::plan::{Source, SourceFormat};

    fn plan() -> Plan {
        let mut p = Plan::empty(Source {
            file: "x.txt".into(),
            sha256: "0".into(),
            format: SourceFormat::Text,
        });
        p.targets.push(Target {
            id: "II.1".into(),
            section: "II".into(),
            text: "Tỷ lệ người dân có thẻ BHYT đạt trên 95%".into(),
            subject: "Tỷ lệ người dân có thẻ BHYT".into(),
            indicator: None,
            comparator: Comparator::Gt,
            value: Some(95.0),
            unit: Unit::Percent,
            unit_text: Some("%".into()),
            year: Some(2025),
            lead_units: vec![],
            coordinating_units: vec![],
            line: 12,
        });
        p
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn vietnamese_numbers_and_dates_are_read() {
        let p = apply(
            plan(),
            &form(&[
                ("number", " 193/KH-UBND "),
                ("date", "02/11/2023"),
                ("t.0.value", "96,5"),
                ("t.0.indicator", "bhyt_coverage"),
                ("t.0.comparator", "ge"),
            ]),
        )
        .unwrap();
        assert_eq!(p.number.as_deref(), Some("193/KH-UBND"));
        assert_eq!(p.date.unwrap().to_string(), "2023-11-02");
        assert_eq!(p.targets[0].value, Some(96.5));
        assert_eq!(p.targets[0].indicator.as_deref(), Some("bhyt_coverage"));
        assert_eq!(p.targets[0].comparator, Comparator::Ge);
    }

    #[test]
    fn every_problem_is_named_and_nothing_applies() {
        let errs = apply(
            plan(),
            &form(&[
                ("date", "31/02/2024"),
                ("t.0.value", "nhiều"),
                ("t.0.indicator", "khong_co"),
                ("t.0.year", "20255"),
            ]),
        )
        .unwrap_err();
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("31/02/2024")));
        assert!(errs.iter().any(|e| e.contains("«nhiều»")));
    }

    #[test]
    fn targets_can_be_deleted_and_added() {
        let p = apply(
            plan(),
            &form(&[
                ("t.0.delete", "on"),
                ("t.new.subject", "Tỷ lệ trạm y tế có bác sĩ"),
                ("t.new.value", "100"),
                ("t.new.year", "2025"),
            ]),
        )
        .unwrap();
        assert_eq!(p.targets.len(), 1);
        assert_eq!(p.targets[0].subject, "Tỷ lệ trạm y tế có bác sĩ");
        assert_eq!(p.targets[0].value, Some(100.0));
    }

    #[test]
    fn signer_recipients_reporting_and_units_are_editable() {
        let mut p = plan();
        p.reporting.push(ytcs_core::plan::ReportingDuty {
            what: "báo cáo kết quả".into(),
            by: vec![],
            to: vec![],
            frequency: None,
            deadline: None,
            text: String::new(),
            line: 3,
        });
        let p = apply(
            p,
            &form(&[
                ("signer.title", "PHÓ CHỦ TỊCH"),
                ("signer.name", "Võ Phiên"),
                ("recipients", "Sở Y tế;\nBHXH tỉnh\n\n"),
                ("r.0.to", "Sở Y tế"),
                ("r.0.frequency", "annual"),
                ("r.0.deadline", "15/12"),
                ("t.0.lead", "Bảo hiểm xã hội; Sở Y tế"),
            ]),
        )
        .unwrap();
        let s = p.signer.unwrap();
        assert_eq!(
            (s.title.as_deref(), s.name.as_deref(), s.on_behalf_of),
            (Some("PHÓ CHỦ TỊCH"), Some("Võ Phiên"), None)
        );
        assert_eq!(p.recipients, ["Sở Y tế", "BHXH tỉnh"]);
        assert_eq!(p.reporting[0].to, ["Sở Y tế"]);
        assert_eq!(
            code_of(p.reporting[0].frequency.as_ref().unwrap()),
            "annual"
        );
        assert_eq!(
            p.reporting[0].deadline.as_ref().map(|d| (d.day, d.month)),
            Some((Some(15), Some(12)))
        );
        assert_eq!(p.targets[0].lead_units, ["Bảo hiểm xã hội", "Sở Y tế"]);
        let errs = apply(plan(), &form(&[("r.0.deadline", "x")]))
            .map(|_| ())
            .err();
        assert!(errs.is_none(), "fields of absent items are ignored");
    }

    const SOURCE: &str = "KẾ HOẠCH\nI. MỤC TIÊU\nc) Người cao tuổi được lập hồ sơ quản lý sức khoẻ đạt 95% năm 2025;\n";

    #[test]
    fn a_target_marked_in_the_source_is_added_as_confirmed() {
        let f = form(&[
            ("line", "3"),
            ("selection", "lập hồ sơ quản lý sức khoẻ đạt 95% năm 2025"),
            ("fix", ""),
            (
                "m.subject",
                "Người cao tuổi được lập hồ sơ quản lý sức khoẻ",
            ),
            ("m.comparator", "ge"),
            ("m.value", "95"),
            ("m.unit", "percent"),
            ("m.year", "2025"),
        ]);
        let before = plan().targets.len();
        let m = mark(plan(), SOURCE, &f).unwrap();
        assert_eq!(m.plan.targets.len(), before + 1);
        let t = m.plan.targets.last().unwrap();
        assert_eq!(
            (t.comparator, t.value, t.year, t.line),
            (Comparator::Ge, Some(95.0), Some(2025), 3)
        );
        assert_eq!(m.fix, None);
        // What the reader offered is kept beside what the person confirmed.
        let read = m.read.expect("the reader reads the selection");
        assert_eq!((read.comparator, read.value), (Comparator::Eq, Some(95.0)));
    }

    #[test]
    fn a_wrong_target_is_replaced_from_the_source() {
        let f = form(&[
            ("line", "3"),
            ("selection", "đạt 95% năm 2025"),
            ("fix", "0"),
            ("m.comparator", "eq"),
            ("m.value", "96,5"),
            ("m.unit", "percent"),
            ("m.year", "2025"),
        ]);
        let m = mark(plan(), SOURCE, &f).unwrap();
        assert_eq!(m.plan.targets.len(), plan().targets.len());
        assert_eq!(m.plan.targets[0].value, Some(96.5));
        assert_eq!(m.plan.targets[0].comparator, Comparator::Eq);
        assert_eq!(
            m.plan.targets[0].id,
            plan().targets[0].id,
            "the replaced target's id is kept"
        );
        assert_eq!(m.replaced.as_ref(), plan().targets.first());
    }

    #[test]
    fn a_bad_mark_names_every_problem_and_changes_nothing() {
        let e = mark(
            plan(),
            SOURCE,
            &form(&[("line", "99"), ("selection", " "), ("fix", "7")]),
        )
        .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        let e = mark(
            plan(),
            SOURCE,
            &form(&[
                ("line", "3"),
                ("selection", "nâng cao chất lượng"),
                ("m.value", ""),
            ]),
        )
        .unwrap_err();
        assert!(e.iter().any(|m| m.contains("cần một giá trị")), "{e:?}");
    }

    #[test]
    fn codes_round_trip_through_the_contract_names() {
        for (code, _) in COMPARATORS {
            assert_eq!(code_of(&from_code::<Comparator>(code).unwrap()), code);
        }
        for (code, _) in UNITS.iter().filter(|(c, _)| !c.is_empty()) {
            assert_eq!(code_of(&from_code::<Unit>(code).unwrap()), *code);
        }
    }
}
