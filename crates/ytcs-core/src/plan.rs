//! Plans read from documents: identity, legal bases, targets, tasks, budget, reporting (contract `ytcs.plan/1`).
//!
//! The types here serialise to exactly the JSON of the contract
//! `ytcs.plan/1`: enum values in snake_case, `null` for absent scalars and
//! `[]` for absent lists. Fields beyond the contract (`line`, `id` of a
//! budget line or duty, `milestones`) are additions the contract allows.
//!
//! Pure Vietnamese parsing helpers (numbers, dates, comparators,
//! timeframes, money) live in [`vn`].

use serde::{Deserialize, Serialize};

use crate::Date;

pub mod vn;

/// The schema tag every serialised plan carries.
pub const PLAN_SCHEMA: &str = "ytcs.plan/1";

/// A plan as read from a document (contract `ytcs.plan/1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always [`PLAN_SCHEMA`].
    pub schema: String,
    /// Where the plan was read from.
    pub source: Source,
    /// The kind of the document itself (usually `plan`).
    pub kind: DocumentKind,
    /// Its number as written, e.g. `193/KH-UBND`; `null` when left blank.
    pub number: Option<String>,
    /// Its date of issue; `null` when the day is left blank.
    pub date: Option<Date>,
    /// The issuing body, e.g. `UBND tỉnh Quảng Ngãi`.
    pub issuer: Option<String>,
    /// The title line(s) under the kind heading.
    pub title: Option<String>,
    /// The documents the plan implements or rests on.
    pub legal_bases: Vec<DocumentRef>,
    /// Measurable commitments: one comparator, value and year each.
    pub targets: Vec<Target>,
    /// The numbered tree of tasks and solutions.
    pub tasks: Vec<Task>,
    /// Funding lines.
    pub budget: Vec<BudgetLine>,
    /// Who reports what to whom and when.
    pub reporting: Vec<ReportingDuty>,
    /// The distribution list ("Nơi nhận").
    pub recipients: Vec<String>,
    /// The signature block.
    pub signer: Option<Signer>,
    /// What was read with doubt, each starting `line N:`.
    pub warnings: Vec<String>,
    /// The same warnings in Vietnamese, each starting `dòng N:`, in the
    /// same order. An addition to `ytcs.plan/1`; absent when empty (plans
    /// stored before it was added have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings_vi: Vec<String>,
    /// The bases of relative targets (`giảm 50% … so với năm 2020`,
    /// `giảm 1,5‰/năm`). An addition to `ytcs.plan/1`; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relative: Vec<RelativeBase>,
}

/// What a relative target (`reduce_by`, `increase_by`) is relative to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelativeBase {
    /// Index of the target in [`Plan::targets`].
    pub target: usize,
    /// The base year (`so với năm 2020`); `null` when not stated.
    pub base_year: Option<i32>,
    /// The change is per year (`/năm`, `mỗi năm`, `hằng năm`).
    pub per_year: bool,
}

impl Plan {
    /// An empty plan for a source: every fact absent.
    pub fn empty(source: Source) -> Self {
        Plan {
            schema: PLAN_SCHEMA.to_string(),
            source,
            kind: DocumentKind::Plan,
            number: None,
            date: None,
            issuer: None,
            title: None,
            legal_bases: Vec::new(),
            targets: Vec::new(),
            tasks: Vec::new(),
            budget: Vec::new(),
            reporting: Vec::new(),
            recipients: Vec::new(),
            signer: None,
            warnings: Vec::new(),
            warnings_vi: Vec::new(),
            relative: Vec::new(),
        }
    }

    /// The years the plan runs over: from its date's year (else its
    /// first dated target or task) to its last dated target or task.
    pub fn years(&self) -> Option<(i32, i32)> {
        use chrono::Datelike;
        let dated = self
            .targets
            .iter()
            .filter_map(|t| t.year)
            .chain(self.tasks.iter().filter_map(|t| {
                t.timeframe
                    .year
                    .or(t.timeframe.to.map(|d| d.year()))
                    .or(t.timeframe.date.map(|d| d.year()))
            }));
        let (mut first, mut last) = (i32::MAX, i32::MIN);
        for y in dated.chain(self.date.map(|d| d.year())) {
            first = first.min(y);
            last = last.max(y);
        }
        (first <= last).then_some((self.date.map_or(first, |d| d.year()), last))
    }

    /// The units that lead a task: its own, else those of the nearest
    /// task above it that names some (a sub-task inherits its heading's
    /// lead unit: "Sở Y tế chủ trì" over its items).
    pub fn lead_units_of<'a>(&'a self, task: &'a Task) -> &'a [String] {
        let mut t = task;
        for _ in 0..self.tasks.len() {
            if !t.lead_units.is_empty() {
                return &t.lead_units;
            }
            let Some(parent) = t
                .parent
                .as_deref()
                .and_then(|p| self.tasks.iter().find(|x| x.id == p))
            else {
                break;
            };
            t = parent;
        }
        &t.lead_units
    }

    /// A task's text as a report prints it: its title, or its whole text
    /// when the title was cut short.
    pub fn full_title(task: &Task) -> &str {
        if task.title.ends_with('…') && !task.text.trim().is_empty() {
            task.text.trim()
        } else {
            &task.title
        }
    }

    /// The year a report on the plan is for when none is asked: this year
    /// while the plan runs, its last year once it has ended (a plan ending
    /// in 2025 is reported on for 2025 in 2026), its first before it starts.
    pub fn report_year(&self, today: Date) -> i32 {
        use chrono::Datelike;
        let year = today.year();
        match self.years() {
            Some((_, last)) if year > last => last,
            Some((first, _)) if year < first => first,
            _ => year,
        }
    }
}

/// Where a plan was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file name as given (no directories needed).
    pub file: String,
    /// Lower-case hex SHA-256 of the bytes read.
    pub sha256: String,
    /// The format the bytes were read as.
    pub format: SourceFormat,
}

/// The format of a source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Plain UTF-8 text.
    Text,
    /// Word Office Open XML.
    Docx,
}

/// The kind of an administrative document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Kế hoạch (KH).
    Plan,
    /// Quyết định (QĐ).
    Decision,
    /// Chỉ thị (CT).
    Directive,
    /// Nghị quyết (NQ).
    Resolution,
    /// Đề án (ĐA).
    Scheme,
    /// Chương trình (CTr).
    Programme,
    /// Thông tư (TT, TTLT).
    Circular,
    /// Nghị định (NĐ).
    Decree,
    /// Luật.
    Law,
    /// Tờ trình (TTr).
    Submission,
    /// Công văn (CV).
    OfficialLetter,
    /// Thông báo (TB).
    Notice,
    /// Anything else (Hướng dẫn, Chiến lược …).
    Other,
}

/// A citation of another document: `Quyết định số 788/QĐ-BYT ngày 13/02/2023 của Bộ trưởng Bộ Y tế`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRef {
    /// Its kind.
    pub kind: DocumentKind,
    /// Its number as written (`25-CT/TW`), `null` if none is cited.
    pub number: Option<String>,
    /// Its date of issue.
    pub date: Option<Date>,
    /// The issuing body as written after `của`.
    pub issuer: Option<String>,
    /// The clause that cites it.
    pub text: String,
    /// 1-based source line of the clause.
    pub line: usize,
}

/// How a target's value is to be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    /// trên, hơn, >.
    Gt,
    /// tối thiểu, ít nhất, ≥, đủ.
    Ge,
    /// dưới, <.
    Lt,
    /// không quá, tối đa, ≤.
    Le,
    /// đạt N, or N with no qualifier.
    Eq,
    /// khoảng, xấp xỉ.
    About,
    /// duy trì: keep at or above the baseline.
    Maintain,
    /// giảm N: a relative decrease.
    ReduceBy,
    /// tăng N: a relative increase.
    IncreaseBy,
}

/// The unit of a target's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// %.
    Percent,
    /// ‰.
    PerMille,
    /// per 10,000 population (`/vạn dân`).
    #[serde(rename = "per_10000")]
    Per10000,
    /// per 100,000 population.
    #[serde(rename = "per_100000")]
    Per100000,
    /// per 100 (boys per 100 girls).
    #[serde(rename = "per_100")]
    Per100,
    /// years (of life).
    Years,
    /// a count of things or people.
    Count,
    /// đồng.
    Vnd,
    /// a plain ratio.
    Ratio,
    /// anything else.
    Other,
}

/// One measurable commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// Path of the item in the document's numbering.
    pub id: String,
    /// The enclosing section's path.
    pub section: String,
    /// The clause as written.
    pub text: String,
    /// What is measured, as written.
    pub subject: String,
    /// Indicator code from the catalogue, when the subject matches one.
    pub indicator: Option<String>,
    /// How the value is compared.
    pub comparator: Comparator,
    /// The value in the unit's natural scale; `null` only for `maintain` without a number.
    pub value: Option<f64>,
    /// The unit.
    pub unit: Unit,
    /// The unit words as written.
    pub unit_text: Option<String>,
    /// The year by which the target is due.
    pub year: Option<i32>,
    /// Units accountable for it.
    pub lead_units: Vec<String>,
    /// Units that help.
    pub coordinating_units: Vec<String>,
    /// 1-based source line.
    pub line: usize,
}

/// The kind of a timeframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeframeKind {
    /// thường xuyên.
    Ongoing,
    /// a calendar year.
    Year,
    /// a quarter of a year.
    Quarter,
    /// a month of a year.
    Month,
    /// before a date.
    Before,
    /// from a date to a date.
    Range,
    /// hằng năm / định kỳ …
    Recurring,
    /// nothing usable was written.
    Unspecified,
}

/// How often something recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// hằng năm, hàng năm.
    Annual,
    /// 6 tháng, 6 tháng/lần.
    Semiannual,
    /// hằng quý.
    Quarterly,
    /// hằng tháng.
    Monthly,
    /// hằng tuần.
    Weekly,
    /// định kỳ with no period named.
    Periodic,
}

/// When a task is due: kind-dependent fields, the rest `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeframe {
    /// The kind.
    pub kind: TimeframeKind,
    /// The words as written.
    pub text: String,
    /// Year (`year`, `quarter`, `month`).
    pub year: Option<i32>,
    /// Quarter 1–4 (`quarter`).
    pub quarter: Option<u8>,
    /// Month 1–12 (`month`, `recurring`).
    pub month: Option<u8>,
    /// Day of month (`recurring`).
    pub day: Option<u8>,
    /// Deadline (`before`).
    pub date: Option<Date>,
    /// Start (`range`).
    pub from: Option<Date>,
    /// End (`range`).
    pub to: Option<Date>,
    /// Recurrence (`recurring`).
    pub frequency: Option<Frequency>,
}

impl Timeframe {
    /// A timeframe of a kind with only its text set.
    pub fn new(kind: TimeframeKind, text: impl Into<String>) -> Self {
        Timeframe {
            kind,
            text: text.into(),
            year: None,
            quarter: None,
            month: None,
            day: None,
            date: None,
            from: None,
            to: None,
            frequency: None,
        }
    }

    /// Nothing usable was written.
    pub fn unspecified() -> Self {
        Timeframe::new(TimeframeKind::Unspecified, "")
    }
}

/// An action item of the plan's numbered tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// Path in the numbering (`III.2.2.a`, `IV.1#2`).
    pub id: String,
    /// The enclosing item's path.
    pub parent: Option<String>,
    /// The first sentence (or heading) of the item.
    pub title: String,
    /// The item's whole text.
    pub text: String,
    /// Đơn vị chủ trì.
    pub lead_units: Vec<String>,
    /// Phối hợp.
    pub coordinating_units: Vec<String>,
    /// The last deadline named.
    pub timeframe: Timeframe,
    /// Every deadline named, in order.
    pub milestones: Vec<Timeframe>,
    /// 1-based source line.
    pub line: usize,
}

/// A funding line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetLine {
    /// Path of the item it was read from (unique within the plan).
    pub id: String,
    /// Amount in đồng.
    pub amount_vnd: i64,
    /// What the money is for.
    pub purpose: Option<String>,
    /// Where it comes from.
    pub sources: Vec<String>,
    /// `id` of the total this line is part of.
    pub parent: Option<String>,
    /// The clause as written.
    pub text: String,
    /// 1-based source line.
    pub line: usize,
}

/// A day of the year by which a report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// Month 1–12.
    pub month: Option<u8>,
    /// Day of month, when given.
    pub day: Option<u8>,
}

/// A duty to report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportingDuty {
    /// What is reported.
    pub what: String,
    /// Who reports.
    pub by: Vec<String>,
    /// To whom.
    pub to: Vec<String>,
    /// How often.
    pub frequency: Option<Frequency>,
    /// By when in the period.
    pub deadline: Option<Deadline>,
    /// The clause as written.
    pub text: String,
    /// 1-based source line.
    pub line: usize,
}

/// The signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The person's name.
    pub name: Option<String>,
    /// Their title (`PHÓ CHỦ TỊCH`).
    pub title: Option<String>,
    /// The body signed for (`ỦY BAN NHÂN DÂN` after `TM.`).
    pub on_behalf_of: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_report_is_for_this_year_while_the_plan_runs_else_its_last() {
        let mut plan = Plan::empty(Source {
            file: "kh.txt".into(),
            sha256: "0".into(),
            format: SourceFormat::Text,
        });
        assert_eq!(plan.years(), None);
        assert_eq!(plan.report_year(d("2026-12-07")), 2026);
        plan.date = Some(d("2021-03-01"));
        let mut timeframe = Timeframe::new(TimeframeKind::Year, "năm 2025");
        timeframe.year = Some(2025);
        plan.tasks.push(Task {
            id: "1".into(),
            parent: None,
            title: "Nhiệm vụ".into(),
            text: String::new(),
            lead_units: vec![],
            coordinating_units: vec![],
            timeframe,
            milestones: vec![],
            line: 1,
        });
        assert_eq!(plan.years(), Some((2021, 2025)));
        assert_eq!(plan.report_year(d("2026-12-07")), 2025);
        assert_eq!(plan.report_year(d("2023-05-01")), 2023);
        assert_eq!(plan.report_year(d("2020-05-01")), 2021);
    }

    #[test]
    fn a_sub_task_is_led_by_its_heading_s_unit_and_a_cut_title_is_printed_whole() {
        let mut plan = Plan::empty(Source {
            file: "kh.txt".into(),
            sha256: "0".into(),
            format: SourceFormat::Text,
        });
        let task = |id: &str, parent: Option<&str>, lead: &[&str], title: &str| Task {
            id: id.into(),
            parent: parent.map(str::to_string),
            title: title.into(),
            text: format!("{title} và phần còn lại của câu"),
            lead_units: lead.iter().map(|s| s.to_string()).collect(),
            coordinating_units: vec![],
            timeframe: Timeframe::new(TimeframeKind::Ongoing, ""),
            milestones: vec![],
            line: 1,
        };
        plan.tasks = vec![
            task("1", None, &["Sở Y tế"], "Nâng cao chất lượng"),
            task("1.1", Some("1"), &[], "Đào tạo…"),
            task("1.2", Some("1"), &["UBND các xã"], "Truyền thông"),
            task("2", None, &[], "Khác"),
        ];
        assert_eq!(plan.lead_units_of(&plan.tasks[1]), ["Sở Y tế"]);
        assert_eq!(plan.lead_units_of(&plan.tasks[2]), ["UBND các xã"]);
        assert!(plan.lead_units_of(&plan.tasks[3]).is_empty());
        assert_eq!(
            Plan::full_title(&plan.tasks[1]),
            "Đào tạo… và phần còn lại của câu"
        );
        assert_eq!(Plan::full_title(&plan.tasks[2]), "Truyền thông");
    }
}
