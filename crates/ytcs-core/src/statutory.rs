//! The statutory report forms of the Ministry of Health's reporting
//! regime, as data: which forms are in force on a day, what each row and
//! column counts, and when a report is due.
//!
//! **Definitions are files, not code.** Each circular is one TOML file
//! (`data/report-forms/*.toml`, compiled in by `ytcs-refdata`; more can
//! be dropped into a data directory's `report-forms/`): the circular
//! (code, title, effective dates, sources, what was verified), then its
//! forms, each with columns (disaggregation options such as sex) and rows
//! (a data element, optionally narrowed by options). The next circular is
//! a new file. [`FormSet::parse`] checks every file at start and refuses
//! the set, naming file and line, for a syntax error, an unknown element
//! or option, a form whose dates overlap another version of itself, or a
//! cell defined twice (a repeated row or column code).
//!
//! **Which definition.** A form is asked for by its key (`commune_monthly`,
//! stable across circulars) or by its code in a circular (`1/BCX`); the
//! version used for a period is the one in force on the period's **last
//! day** — the day the duty to report arises — so June 2025 is reported on
//! Thông tư 37/2019 (in force to 30/06/2025) and July 2025 on Thông tư
//! 23/2025 (from 01/07/2025); a year follows its 31 December.
//!
//! **Cells.** Cell (row, column) is the row's element restricted to the
//! row's options and the column's (`deaths` · `0` · `m`: boys who died
//! under one). Whether it is computed from the station registers or was
//! entered by hand is the element's ([`crate::register::derive::derived_elements`]);
//! the engine fills it (`ytcs-engine::statutory`). A report is due
//! `due_working_days` working days after the period ([`FormDef::due`]), with
//! the days the government moved ([`crate::calendar::DaysOff`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::aggregate::DataElement;
use crate::period::{Period, PeriodType};
use crate::Date;

/// The administrative level a form is made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormLevel {
    /// The commune health station.
    Commune,
    /// The district (health centre) — before the 2025 reform.
    District,
    /// The province (Sở Y tế).
    Province,
}

impl FormLevel {
    /// The code used in files and JSON.
    pub fn code(self) -> &'static str {
        match self {
            FormLevel::Commune => "commune",
            FormLevel::District => "district",
            FormLevel::Province => "province",
        }
    }

    /// The level's name in Vietnamese.
    pub fn name_vi(self) -> &'static str {
        match self {
            FormLevel::Commune => "Tuyến xã",
            FormLevel::District => "Tuyến huyện",
            FormLevel::Province => "Tuyến tỉnh",
        }
    }
}

/// A circular of the reporting regime.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Circular {
    /// Its number, e.g. `37/2019/TT-BYT`.
    pub code: String,
    /// Its title in Vietnamese.
    pub title_vi: String,
    /// … and in English.
    pub title_en: String,
    /// First day in force.
    pub effective_from: Date,
    /// Last day in force (`None`: still in force as far as known).
    pub effective_to: Option<Date>,
    /// Where its text was read.
    pub sources: Vec<String>,
    /// What of the definitions was checked against the text, and what not.
    pub verified: String,
}

/// A column: the disaggregation options its cells are restricted to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormColumn {
    /// Its code (`total`, `m`, `f` …).
    pub code: String,
    /// Heading in Vietnamese.
    pub label_vi: String,
    /// … and in English.
    pub label_en: String,
    /// Options every counted value's disaggregation includes.
    pub options: Vec<String>,
}

/// A row of a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormRow {
    /// Its number in the circular (`1`, `2.1` …).
    pub code: String,
    /// Its label in Vietnamese.
    pub label_vi: String,
    /// … and in English.
    pub label_en: String,
    /// The data element counted; `None` for a heading.
    pub element: Option<String>,
    /// Options narrowing the element (`0`: deaths under one).
    pub options: Vec<String>,
    /// The columns it has cells in (the others are blank on the form).
    pub columns: Vec<String>,
    /// A note printed under the form (how it is counted, what differs
    /// from the circular).
    pub note: Option<String>,
}

/// One version of a form: as one circular defines it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormDef {
    /// Stable across circulars: `commune_monthly`.
    pub key: String,
    /// Its code in the circular: `1/BCX`.
    pub code: String,
    /// The circular's code.
    pub circular: String,
    /// The circular's title.
    pub circular_title_vi: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// … and in English.
    pub name_en: String,
    /// Who makes it.
    pub level: FormLevel,
    /// Its period.
    pub period: PeriodType,
    /// Working days after the period's end to send it.
    pub due_working_days: u32,
    /// In force from (the circular's, unless the form says otherwise).
    pub effective_from: Date,
    /// … to.
    pub effective_to: Option<Date>,
    /// Columns, in order.
    pub columns: Vec<FormColumn>,
    /// Rows, in order.
    pub rows: Vec<FormRow>,
    /// What was verified of this form against the circular's appendix.
    pub verified: String,
    /// The file it was read from.
    pub file: String,
    /// The days the government moved, for the due day.
    #[serde(skip)]
    pub days_off: crate::calendar::DaysOff,
}

impl FormDef {
    /// Whether the form is in force on `day`.
    pub fn in_force(&self, day: Date) -> bool {
        day >= self.effective_from && self.effective_to.is_none_or(|t| day <= t)
    }

    /// Whether this version applies to `period` (of its type, and in force
    /// on the period's last day).
    pub fn applies_to(&self, period: Period) -> bool {
        period.period_type() == self.period && self.in_force(period.end())
    }

    /// The day a report of `period` is due: `due_working_days` working
    /// days after its last day (weekends, the Labour Code's holidays, the
    /// days the government moved).
    pub fn due(&self, period: Period) -> Date {
        self.days_off
            .after_working_days(period.end(), self.due_working_days)
    }

    /// The column with this code.
    pub fn column(&self, code: &str) -> Option<&FormColumn> {
        self.columns.iter().find(|c| c.code == code)
    }
}

/// Why a set of definitions was refused: the file, the line and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DefinitionError {
    /// The file.
    pub file: String,
    /// Its line (1-based; 0 when the whole file is meant).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Why a form could not be picked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LookupError {
    /// No version of any form has this key or code.
    #[error("no report form has the key or code '{0}' (see `ytcs report forms`)")]
    Unknown(String),
    /// The form exists, but no version of it covers the period.
    #[error("form '{form}' has no version for {period} (versions in force: {versions})")]
    NotInForce {
        /// Key or code asked.
        form: String,
        /// The period.
        period: Period,
        /// The versions, with their circulars and dates.
        versions: String,
    },
}

/// Every form of every circular, checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FormSet {
    /// The circulars, by first day in force.
    pub circulars: Vec<Circular>,
    /// Every version of every form, by key then first day.
    pub forms: Vec<FormDef>,
}

impl FormSet {
    /// Reads and checks definition files (`(name, text)`) against the
    /// data elements known; all or nothing.
    pub fn parse(
        files: &[(String, String)],
        elements: &[DataElement],
    ) -> Result<FormSet, DefinitionError> {
        let mut set = FormSet::default();
        let mut spans: Vec<(String, usize)> = Vec::new();
        for (name, text) in files {
            let (circular, forms) = parse_file(name, text, elements)?;
            set.circulars.push(circular);
            for (f, line) in forms {
                spans.push((f.file.clone(), line));
                set.forms.push(f);
            }
        }
        // Versions of one form must not overlap.
        let mut order: Vec<usize> = (0..set.forms.len()).collect();
        order.sort_by(|&a, &b| {
            (&set.forms[a].key, set.forms[a].effective_from)
                .cmp(&(&set.forms[b].key, set.forms[b].effective_from))
        });
        for w in order.windows(2) {
            let (a, b) = (&set.forms[w[0]], &set.forms[w[1]]);
            if a.key == b.key && a.effective_to.is_none_or(|t| t >= b.effective_from) {
                let (file, line) = spans[w[1]].clone();
                return Err(DefinitionError {
                    file,
                    line,
                    message: format!(
                        "form '{}' ({}, {}) is in force from {} while its version of {} ({}) is still in force: effective dates overlap",
                        b.key, b.code, b.circular, b.effective_from, a.circular, spans[w[0]].0
                    ),
                });
            }
        }
        let forms = order.iter().map(|&i| set.forms[i].clone()).collect();
        set.forms = forms;
        set.circulars.sort_by_key(|c| c.effective_from);
        Ok(set)
    }

    /// The same forms, due days counted with `days_off` (the compiled-in
    /// days and a site's own).
    pub fn with_days_off(mut self, days_off: crate::calendar::DaysOff) -> FormSet {
        for f in &mut self.forms {
            f.days_off = days_off.clone();
        }
        self
    }

    /// The forms in force on `day`, by level then key.
    pub fn in_force(&self, day: Date) -> Vec<&FormDef> {
        let mut out: Vec<&FormDef> = self.forms.iter().filter(|f| f.in_force(day)).collect();
        out.sort_by(|a, b| (a.level, &a.key).cmp(&(b.level, &b.key)));
        out
    }

    /// The version of form `key_or_code` (its key, or its code in a
    /// circular) that applies to `period`.
    pub fn for_period(&self, key_or_code: &str, period: Period) -> Result<&FormDef, LookupError> {
        let wanted = key_or_code.trim();
        // A key names the form in every circular; a code names the
        // versions that carry it.
        let by_key: Vec<&FormDef> = self.forms.iter().filter(|f| f.key == wanted).collect();
        let candidates = if by_key.is_empty() {
            self.forms
                .iter()
                .filter(|f| f.code.eq_ignore_ascii_case(wanted))
                .collect()
        } else {
            by_key
        };
        if candidates.is_empty() {
            return Err(LookupError::Unknown(wanted.to_string()));
        }
        candidates
            .iter()
            .find(|f| f.applies_to(period))
            .copied()
            .ok_or_else(|| LookupError::NotInForce {
                form: wanted.to_string(),
                period,
                versions: candidates
                    .iter()
                    .map(|f| {
                        format!(
                            "{} of {} ({}, {} to {})",
                            f.code,
                            f.circular,
                            crate::aggregate::period_type_name(f.period),
                            f.effective_from,
                            f.effective_to
                                .map(|d| d.to_string())
                                .unwrap_or_else(|| "now".into())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            })
    }

    /// The versions of every form made at `level` that apply to periods
    /// of the types they use, in force on `day`.
    pub fn at_level(&self, level: FormLevel, day: Date) -> Vec<&FormDef> {
        self.in_force(day)
            .into_iter()
            .filter(|f| f.level == level)
            .collect()
    }
}

// ---- the file format -------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    circular: CircularDoc,
    #[serde(default)]
    form: Vec<FormDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CircularDoc {
    code: String,
    title_vi: String,
    title_en: String,
    effective_from: toml::Spanned<String>,
    effective_to: Option<toml::Spanned<String>>,
    #[serde(default)]
    sources: Vec<String>,
    verified: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FormDoc {
    key: toml::Spanned<String>,
    code: String,
    name_vi: String,
    name_en: String,
    level: toml::Spanned<String>,
    period: toml::Spanned<String>,
    due_working_days: u32,
    effective_from: Option<toml::Spanned<String>>,
    effective_to: Option<toml::Spanned<String>>,
    verified: String,
    column: Vec<ColumnDoc>,
    row: Vec<RowDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnDoc {
    code: toml::Spanned<String>,
    label_vi: String,
    label_en: String,
    #[serde(default)]
    options: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowDoc {
    code: toml::Spanned<String>,
    label_vi: String,
    label_en: String,
    element: Option<toml::Spanned<String>>,
    #[serde(default)]
    options: Vec<String>,
    columns: Option<Vec<String>>,
    note: Option<String>,
}

/// The 1-based line of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn parse_file(
    name: &str,
    text: &str,
    elements: &[DataElement],
) -> Result<(Circular, Vec<(FormDef, usize)>), DefinitionError> {
    let fail = |at: usize, message: String| DefinitionError {
        file: name.to_string(),
        line: line_of(text, at),
        message,
    };
    let doc: FileDoc = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        fail(at, e.message().to_string())
    })?;
    let date = |s: &toml::Spanned<String>| -> Result<Date, DefinitionError> {
        s.get_ref().parse::<Date>().map_err(|_| {
            fail(
                s.span().start,
                format!("'{}' is not a date (YYYY-MM-DD)", s.get_ref()),
            )
        })
    };
    let c = &doc.circular;
    let circular = Circular {
        code: c.code.clone(),
        title_vi: c.title_vi.clone(),
        title_en: c.title_en.clone(),
        effective_from: date(&c.effective_from)?,
        effective_to: c.effective_to.as_ref().map(date).transpose()?,
        sources: c.sources.clone(),
        verified: c.verified.clone(),
    };
    if let Some(to) = circular.effective_to {
        if to < circular.effective_from {
            return Err(fail(
                c.effective_from.span().start,
                format!(
                    "the circular ends ({to}) before it begins ({})",
                    circular.effective_from
                ),
            ));
        }
    }
    let by_code: BTreeMap<&str, &DataElement> =
        elements.iter().map(|e| (e.code.as_str(), e)).collect();
    let mut forms = Vec::new();
    for f in &doc.form {
        let at = f.key.span().start;
        let level = match f.level.get_ref().as_str() {
            "commune" => FormLevel::Commune,
            "district" => FormLevel::District,
            "province" => FormLevel::Province,
            other => {
                return Err(fail(
                    f.level.span().start,
                    format!("unknown level '{other}' (commune, district, province)"),
                ))
            }
        };
        let period = match f.period.get_ref().as_str() {
            "month" => PeriodType::Month,
            "quarter" => PeriodType::Quarter,
            "half_year" => PeriodType::HalfYear,
            "year" => PeriodType::Year,
            other => {
                return Err(fail(
                    f.period.span().start,
                    format!("unknown period '{other}' (month, quarter, half_year, year)"),
                ))
            }
        };
        let effective_from = f
            .effective_from
            .as_ref()
            .map(date)
            .transpose()?
            .unwrap_or(circular.effective_from);
        let effective_to = f
            .effective_to
            .as_ref()
            .map(date)
            .transpose()?
            .or(circular.effective_to);
        if effective_from < circular.effective_from
            || circular
                .effective_to
                .is_some_and(|t| effective_to.is_none_or(|e| e > t))
        {
            return Err(fail(
                at,
                format!(
                    "form '{}' is dated outside its circular's dates",
                    f.key.get_ref()
                ),
            ));
        }
        let mut columns: Vec<FormColumn> = Vec::new();
        for col in &f.column {
            if columns.iter().any(|c| c.code == *col.code.get_ref()) {
                return Err(fail(
                    col.code.span().start,
                    format!(
                        "column '{}' of form '{}' is defined twice: each cell once",
                        col.code.get_ref(),
                        f.key.get_ref()
                    ),
                ));
            }
            columns.push(FormColumn {
                code: col.code.get_ref().clone(),
                label_vi: col.label_vi.clone(),
                label_en: col.label_en.clone(),
                options: col.options.clone(),
            });
        }
        if columns.is_empty() {
            return Err(fail(
                at,
                format!("form '{}' has no column", f.key.get_ref()),
            ));
        }
        let mut rows: Vec<FormRow> = Vec::new();
        for r in &f.row {
            let rat = r.code.span().start;
            if rows.iter().any(|x| x.code == *r.code.get_ref()) {
                return Err(fail(
                    rat,
                    format!(
                        "row '{}' of form '{}' is defined twice: each cell once",
                        r.code.get_ref(),
                        f.key.get_ref()
                    ),
                ));
            }
            let cols = match &r.columns {
                Some(cs) => {
                    let mut seen = BTreeSet::new();
                    for c in cs {
                        if !columns.iter().any(|x| &x.code == c) {
                            return Err(fail(
                                rat,
                                format!(
                                    "row '{}' names column '{c}', which the form does not have",
                                    r.code.get_ref()
                                ),
                            ));
                        }
                        if !seen.insert(c.clone()) {
                            return Err(fail(
                                rat,
                                format!(
                                    "row '{}' names column '{c}' twice: each cell once",
                                    r.code.get_ref()
                                ),
                            ));
                        }
                    }
                    cs.clone()
                }
                None if r.element.is_some() => columns.iter().map(|c| c.code.clone()).collect(),
                None => Vec::new(),
            };
            if let Some(e) = &r.element {
                let Some(element) = by_code.get(e.get_ref().as_str()) else {
                    return Err(fail(
                        e.span().start,
                        format!("unknown data element '{}'", e.get_ref()),
                    ));
                };
                let known: BTreeSet<&str> = element
                    .categories
                    .iter()
                    .flat_map(|c| c.options.iter().map(|o| o.code.as_str()))
                    .collect();
                for c in &cols {
                    let col = columns
                        .iter()
                        .find(|x| &x.code == c)
                        .expect("checked above");
                    for o in r.options.iter().chain(&col.options) {
                        if !known.contains(o.as_str()) {
                            return Err(fail(
                                rat,
                                format!(
                                    "row '{}', column '{c}': element '{}' has no option '{o}'",
                                    r.code.get_ref(),
                                    e.get_ref()
                                ),
                            ));
                        }
                    }
                }
            } else if !r.options.is_empty() || r.columns.as_ref().is_some_and(|c| !c.is_empty()) {
                return Err(fail(
                    rat,
                    format!(
                        "row '{}' is a heading (no element) but has cells",
                        r.code.get_ref()
                    ),
                ));
            }
            rows.push(FormRow {
                code: r.code.get_ref().clone(),
                label_vi: r.label_vi.clone(),
                label_en: r.label_en.clone(),
                element: r.element.as_ref().map(|e| e.get_ref().clone()),
                options: r.options.clone(),
                columns: cols,
                note: r.note.clone(),
            });
        }
        forms.push((
            FormDef {
                key: f.key.get_ref().clone(),
                code: f.code.clone(),
                circular: circular.code.clone(),
                circular_title_vi: circular.title_vi.clone(),
                name_vi: f.name_vi.clone(),
                name_en: f.name_en.clone(),
                level,
                period,
                due_working_days: f.due_working_days,
                effective_from,
                effective_to,
                columns,
                rows,
                verified: f.verified.clone(),
                file: name.to_string(),
                days_off: crate::calendar::DaysOff::announced(),
            },
            line_of(text, at),
        ));
    }
    // Within one file, one version per key.
    let mut keys = BTreeSet::new();
    for (f, line) in &forms {
        if !keys.insert(f.key.clone()) {
            return Err(DefinitionError {
                file: name.to_string(),
                line: *line,
                message: format!("form '{}' is defined twice in this circular", f.key),
            });
        }
    }
    Ok((circular, forms))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::standard_elements;

    const HEAD: &str = r#"
[circular]
code = "1/2020/TT-BYT"
title_vi = "Thông tư thử"
title_en = "A test circular"
effective_from = "2020-01-01"
effective_to = "2025-06-30"
verified = "made up"
"#;

    fn form(key: &str, code: &str, rows: &str) -> String {
        format!(
            r#"
[[form]]
key = "{key}"
code = "{code}"
name_vi = "Biểu"
name_en = "Form"
level = "commune"
period = "month"
due_working_days = 5
verified = "made up"
column = [
  {{ code = "total", label_vi = "Tổng", label_en = "Total" }},
  {{ code = "m", label_vi = "Nam", label_en = "Male", options = ["m"] }},
]
{rows}
"#
        )
    }

    const BIRTHS: &str = r#"
[[form.row]]
code = "1"
label_vi = "Sinh"
label_en = "Births"
element = "live_births"
"#;

    fn parse(files: &[(&str, String)]) -> Result<FormSet, DefinitionError> {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect();
        FormSet::parse(&files, &standard_elements())
    }

    fn later(text: &str) -> String {
        text.replace("1/2020/TT-BYT", "2/2025/TT-BYT")
            .replace(
                "effective_from = \"2020-01-01\"",
                "effective_from = \"2025-07-01\"",
            )
            .replace("effective_to = \"2025-06-30\"\n", "")
    }

    #[test]
    fn the_version_in_force_on_the_last_day_of_the_period_applies() {
        let a = format!("{HEAD}{}", form("commune_monthly", "1/BCX", BIRTHS));
        let b = later(&format!(
            "{HEAD}{}",
            form("commune_monthly", "01/TYT", BIRTHS)
        ));
        let set = parse(&[("a.toml", a), ("b.toml", b)]).unwrap();
        let june = Period::Month(2025, 6);
        let july = Period::Month(2025, 7);
        assert_eq!(
            set.for_period("commune_monthly", june).unwrap().circular,
            "1/2020/TT-BYT"
        );
        assert_eq!(
            set.for_period("commune_monthly", july).unwrap().circular,
            "2/2025/TT-BYT"
        );
        // A code names its own version only.
        assert_eq!(set.for_period("1/bcx", june).unwrap().code, "1/BCX");
        assert!(matches!(
            set.for_period("1/BCX", july),
            Err(LookupError::NotInForce { .. })
        ));
        assert!(matches!(
            set.for_period("nope", july),
            Err(LookupError::Unknown(_))
        ));
        // A year is not a month.
        assert!(set
            .for_period("commune_monthly", Period::Year(2025))
            .is_err());
        let day = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(set.in_force(day("2025-06-30"))[0].code, "1/BCX");
        assert_eq!(set.in_force(day("2025-07-01"))[0].code, "01/TYT");
    }

    #[test]
    fn an_unknown_element_is_refused_with_its_file_and_line() {
        let text = format!(
            "{HEAD}{}",
            form("x", "1", &BIRTHS.replace("live_births", "live_birth"))
        );
        let e = parse(&[("forms/x.toml", text.clone())]).unwrap_err();
        assert_eq!(e.file, "forms/x.toml");
        let line = text
            .lines()
            .position(|l| l.contains("live_birth\""))
            .unwrap()
            + 1;
        assert_eq!(e.line, line);
        assert!(
            e.message.contains("unknown data element 'live_birth'"),
            "{e}"
        );
    }

    #[test]
    fn an_option_the_element_lacks_is_refused() {
        let rows = BIRTHS.replace("live_births", "children_age1");
        let e = parse(&[("x.toml", format!("{HEAD}{}", form("x", "1", &rows)))]).unwrap_err();
        assert!(e.message.contains("has no option 'm'"), "{e}");
    }

    #[test]
    fn overlapping_versions_are_refused() {
        let a = format!("{HEAD}{}", form("commune_monthly", "1/BCX", BIRTHS));
        let b = later(&format!(
            "{HEAD}{}",
            form("commune_monthly", "01/TYT", BIRTHS)
        ))
        .replace("\"2025-07-01\"", "\"2025-06-01\"");
        let e = parse(&[("a.toml", a), ("b.toml", b.clone())]).unwrap_err();
        assert_eq!(e.file, "b.toml");
        assert!(e.message.contains("overlap"), "{e}");
        assert_eq!(
            e.line,
            b.lines().position(|l| l.starts_with("key =")).unwrap() + 1
        );
    }

    #[test]
    fn a_cell_defined_twice_is_refused() {
        let e = parse(&[(
            "x.toml",
            format!("{HEAD}{}", form("x", "1", &format!("{BIRTHS}{BIRTHS}"))),
        )])
        .unwrap_err();
        assert!(
            e.message.contains("row '1' of form 'x' is defined twice"),
            "{e}"
        );
        let twice = BIRTHS.replace("element =", "columns = [\"m\", \"m\"]\nelement =");
        let e = parse(&[("x.toml", format!("{HEAD}{}", form("x", "1", &twice)))]).unwrap_err();
        assert!(e.message.contains("twice"), "{e}");
    }

    #[test]
    fn syntax_errors_and_unknown_fields_name_the_line() {
        let e = parse(&[("x.toml", format!("{HEAD}\n[[form]]\nkey = \n"))]).unwrap_err();
        assert_eq!(e.line, HEAD.lines().count() + 3, "{e}");
        let e = parse(&[(
            "x.toml",
            format!(
                "{HEAD}{}",
                form("x", "1", &BIRTHS.replace("label_en", "lable_en"))
            ),
        )])
        .unwrap_err();
        assert!(e.message.contains("lable_en"), "{e}");
        let e = parse(&[("x.toml", HEAD.replace("2020-01-01", "2020-13-01"))]).unwrap_err();
        assert!(e.message.contains("not a date"), "{e}");
    }

    #[test]
    fn a_report_is_due_in_working_days_after_the_period() {
        let set = parse(&[("a.toml", format!("{HEAD}{}", form("m", "1", BIRTHS)))]).unwrap();
        let f = set.for_period("m", Period::Month(2025, 1)).unwrap();
        // January 2025 ends on a Friday; Tết (28/1–2/2 with the announced
        // days off 27/1 and 31/1…) pushes five working days to 7 February.
        assert!(f.due(Period::Month(2025, 1)) > "2025-02-05".parse::<Date>().unwrap());
        assert_eq!(
            f.due(Period::Month(2024, 5)),
            "2024-06-07".parse::<Date>().unwrap()
        );
    }
}
