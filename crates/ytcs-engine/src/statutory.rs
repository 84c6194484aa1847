//! Statutory report forms filled from the store: every cell the registers
//! or the aggregate data give is computed by the one engine every page
//! reads ([`crate::evaluate_elements_in`]), with its coverage and flags;
//! nothing is typed twice.
//!
//! - **Definitions** are [`ytcs_core::statutory`]'s: the files compiled in
//!   (`ytcs_refdata::REPORT_FORMS`) and those of a data directory's
//!   `report-forms/` ([`load`]), checked at start.
//! - **A cell** of row *r* and column *c* is the total of *r*'s element
//!   restricted to both their options, for the unit and period, with the
//!   units as they stood on the period's last day (or today, for a period
//!   not ended): a June 2025 report of a commune merged on 1 July 2025 is
//!   that commune's. `computed` says where the figure comes from:
//!   `registers` (derived from the station's person-level records) or
//!   `entered` (hand-entered on the data-entry form). `null` is no data;
//!   a figure that is not `reliable` carries its flags, and every form
//!   page, file and JSON shows them.
//! - **Compiling** is the same computation at the district or province:
//!   its communes' values roll up along the dated hierarchy, so a
//!   district's form is its communes' forms added up, never re-typed.

use std::path::Path;

use serde::Serialize;
use ytcs_core::expr::ElementRef;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::{OrgKind, OrgUnit};
use ytcs_core::period::Period;
use ytcs_core::quality::{exact_count, Coverage};
use ytcs_core::statutory::{DefinitionError, FormColumn, FormDef, FormLevel, FormSet};
use ytcs_core::Date;
use ytcs_store::Store;

use crate::EngineError;

/// Why the definitions could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
    /// A definition is wrong (file and line named).
    #[error("report form definitions refused: {0}")]
    Definition(#[from] DefinitionError),
    /// The site's days-off file is wrong.
    #[error("{0}: {1}")]
    DaysOff(String, ytcs_core::calendar::DaysOffError),
}

/// The forms compiled in, and those of `extra` (every `*.toml` there, in
/// name order) when the directory exists. All are checked together: a
/// file that overlaps another is refused by name and line. A
/// `days-off.csv` beside the directory (in the data directory) adds the
/// days the government moved in years ytcs does not know yet.
pub fn load(extra: Option<&Path>) -> Result<FormSet, LoadError> {
    let mut days_off = ytcs_core::calendar::DaysOff::announced();
    if let Some(file) = extra.and_then(Path::parent).map(|d| d.join("days-off.csv")) {
        if file.is_file() {
            let shown = file.display().to_string();
            let text =
                std::fs::read_to_string(&file).map_err(|e| LoadError::Io(shown.clone(), e))?;
            days_off = days_off
                .with_csv(&text)
                .map_err(|e| LoadError::DaysOff(shown, e))?;
        }
    }
    Ok(load_forms(extra)?.with_days_off(days_off))
}

fn load_forms(extra: Option<&Path>) -> Result<FormSet, LoadError> {
    let mut files: Vec<(String, String)> = ytcs_refdata::REPORT_FORMS
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Some(dir) = extra.filter(|d| d.is_dir()) {
        let shown = |p: &Path| p.display().to_string();
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| LoadError::Io(shown(dir), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).map_err(|e| LoadError::Io(shown(&p), e))?;
            files.push((shown(&p), text));
        }
    }
    Ok(FormSet::parse(
        &files,
        &ytcs_core::aggregate::standard_elements(),
    )?)
}

/// The forms compiled in (checked by a test, so this never fails in a
/// release).
pub fn bundled() -> &'static FormSet {
    static SET: std::sync::OnceLock<FormSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| load(None).expect("the bundled report forms are checked by tests"))
}

/// A form filled for one unit and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilledForm {
    /// Stable key (`commune_monthly`).
    pub key: String,
    /// Code in the circular (`1/BCX`).
    pub code: String,
    /// The circular.
    pub circular: String,
    /// Its title.
    pub circular_title_vi: String,
    /// The form's name.
    pub name_vi: String,
    /// … in English.
    pub name_en: String,
    /// Who makes it.
    pub level: FormLevel,
    /// The unit's code.
    pub org: String,
    /// Its name.
    pub org_name: String,
    /// The period (`2025-06`).
    pub period: String,
    /// The units as of this day.
    pub at: Date,
    /// When it is due.
    pub due: Date,
    /// Whether the period has ended (a form of a running period is a
    /// preview and cannot be sent).
    pub ended: bool,
    /// What of the definition was checked against the circular.
    pub verified: String,
    /// The columns.
    pub columns: Vec<FormColumn>,
    /// The rows with their cells.
    pub rows: Vec<FilledRow>,
}

/// A row with its cells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilledRow {
    /// Its number in the circular.
    pub code: String,
    /// Label.
    pub label_vi: String,
    /// … in English.
    pub label_en: String,
    /// The element counted (`None`: a heading).
    pub element: Option<String>,
    /// Options narrowing the element (`0`: under one).
    pub options: Vec<String>,
    /// How it is counted, when the definition says.
    pub note: Option<String>,
    /// One cell per column it has (heading rows have none).
    pub cells: Vec<FilledCell>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilledCell {
    /// The row's code.
    pub row: String,
    /// The column's code.
    pub column: String,
    /// The figure (`null`: no data).
    pub value: Option<f64>,
    /// `registers` (derived from person-level records) or `entered`
    /// (hand-entered data).
    pub computed: &'static str,
    /// What was added up, in the formula language: `#{deaths.0.m}`.
    pub formula: String,
    /// Whether it may be signed as a plain figure.
    pub reliable: bool,
    /// Why not.
    pub flags: Vec<&'static str>,
    /// Which communes' data entered it.
    pub coverage: Option<Coverage>,
    /// The flags in words.
    pub note_vi: Option<String>,
}

impl FilledForm {
    /// Every cell, row by row.
    pub fn cells(&self) -> impl Iterator<Item = &FilledCell> {
        self.rows.iter().flat_map(|r| r.cells.iter())
    }

    /// The cell of row `row` and column `column`.
    pub fn cell(&self, row: &str, column: &str) -> Option<&FilledCell> {
        self.cells().find(|c| c.row == row && c.column == column)
    }
}

/// The kind of unit that makes forms of `level`.
pub fn maker(level: FormLevel) -> OrgKind {
    match level {
        FormLevel::Commune => OrgKind::Commune,
        FormLevel::District => OrgKind::District,
        FormLevel::Province => OrgKind::Province,
    }
}

/// Fills `form` for `unit` in `period`, with the units of
/// [`units_day`]`(period, today)` (on which `unit` must be valid).
pub async fn fill(
    store: &dyn Store,
    h: &Hierarchy,
    form: &FormDef,
    unit: &OrgUnit,
    period: Period,
    today: Date,
) -> Result<FilledForm, EngineError> {
    let at = units_day(period, today);
    if unit.kind != maker(form.level) {
        return Err(EngineError::Other(format!(
            "form {} ({}) is made by a {}; {} {} is a {}",
            form.code,
            form.key,
            maker(form.level).as_str(),
            unit.code,
            unit.name,
            unit.kind.as_str()
        )));
    }
    let derived: Vec<&str> = ytcs_core::register::derive::derived_elements().collect();
    let mut refs: Vec<ElementRef> = Vec::new();
    let mut places: Vec<(usize, String)> = Vec::new();
    for (ri, row) in form.rows.iter().enumerate() {
        let Some(element) = &row.element else {
            continue;
        };
        for col in &row.columns {
            let column = form
                .column(col)
                .expect("checked when the definitions were read");
            let mut options = row.options.clone();
            options.extend(column.options.iter().cloned());
            refs.push(ElementRef {
                code: element.clone(),
                options,
            });
            places.push((ri, col.clone()));
        }
    }
    let mut rollups = crate::Rollups::new(h, at);
    let values =
        crate::evaluate_elements_in(store, &mut rollups, &refs, period, &[unit.id]).await?;
    let mut rows: Vec<FilledRow> = form
        .rows
        .iter()
        .map(|r| FilledRow {
            code: r.code.clone(),
            label_vi: r.label_vi.clone(),
            label_en: r.label_en.clone(),
            element: r.element.clone(),
            options: r.options.clone(),
            note: r.note.clone(),
            cells: Vec::new(),
        })
        .collect();
    for ((r, (ri, col)), v) in refs.iter().zip(places).zip(values) {
        let v = v[0];
        rows[ri].cells.push(FilledCell {
            row: form.rows[ri].code.clone(),
            column: col,
            value: v.value.map(exact_count),
            computed: if derived.contains(&r.code.as_str()) {
                "registers"
            } else {
                "entered"
            },
            formula: r.to_string(),
            reliable: v.reliable(),
            flags: v.flags.names(),
            coverage: v.coverage,
            note_vi: v.flags.note_vi(v.coverage),
        });
    }
    Ok(FilledForm {
        key: form.key.clone(),
        code: form.code.clone(),
        circular: form.circular.clone(),
        circular_title_vi: form.circular_title_vi.clone(),
        name_vi: form.name_vi.clone(),
        name_en: form.name_en.clone(),
        level: form.level,
        org: unit.code.to_string(),
        org_name: unit.name.clone(),
        period: period.to_string(),
        at,
        due: form.due(period),
        ended: today > period.end(),
        verified: form.verified.clone(),
        columns: form.columns.clone(),
        rows,
    })
}

/// The day whose units a report of `period` is made under: the period's
/// last day, or `today` while it runs.
pub fn units_day(period: Period, today: Date) -> Date {
    period.end().min(today)
}

/// Why a report was not sent. Nothing was recorded.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The period runs until this day.
    #[error("{period} has not ended (it runs until {end}): a report is sent after its period")]
    NotEnded {
        /// The period.
        period: Period,
        /// Its last day.
        end: Date,
    },
    /// A correction without a reason, or a store refusal.
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
    /// The form could not be filled.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The snapshot could not be written as JSON.
    #[error("cannot write the form as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl SubmitError {
    /// The message in Vietnamese.
    pub fn vi(&self) -> String {
        match self {
            SubmitError::NotEnded { period, end } => format!(
                "Kỳ {} chưa kết thúc (đến hết {}): chỉ gửi được báo cáo sau khi kết thúc kỳ.",
                ytcs_core::period_text::label(*period, true),
                ytcs_core::format::date(*end)
            ),
            SubmitError::Store(ytcs_store::StoreError::Invalid(m))
                if m.contains("needs a reason") =>
            {
                "Báo cáo kỳ này đã được gửi: gửi lại (bản sửa) cần ghi lý do.".to_string()
            }
            other => format!("Không gửi được báo cáo: {other}"),
        }
    }
}

/// The SHA-256 of a snapshot, hex.
pub fn content_hash(content: &str) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(content.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// Sends `form` of `unit` for `period`: fills it, freezes it (JSON and its
/// SHA-256) and records it as the next version, late when after the due
/// day (accepted, and marked). Refused while the period runs; a second
/// version needs `reason`.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    store: &dyn Store,
    h: &Hierarchy,
    form: &FormDef,
    unit: &OrgUnit,
    period: Period,
    by: &str,
    reason: Option<&str>,
    today: Date,
) -> Result<ytcs_store::submissions::Submission, SubmitError> {
    if today <= period.end() {
        return Err(SubmitError::NotEnded {
            period,
            end: period.end(),
        });
    }
    let filled = fill(store, h, form, unit, period, today).await?;
    let content = serde_json::to_string(&filled)?;
    let due = form.due(period);
    Ok(store
        .submit_form(&ytcs_store::submissions::NewSubmission {
            form_key: form.key.clone(),
            form_code: form.code.clone(),
            circular: form.circular.clone(),
            unit: unit.id,
            period,
            content_hash: content_hash(&content),
            content,
            submitted_by: by.to_string(),
            due,
            late: today > due,
            reason: reason
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
        })
        .await?)
}

/// Where one unit's report stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentStatus {
    /// The unit's code.
    pub org: String,
    /// Its name.
    pub org_name: String,
    /// The newest version sent, if any.
    pub sent: Option<ytcs_store::submissions::Submission>,
    /// The due day.
    pub due: Date,
    /// `sent_on_time`, `sent_late`, `late` (not sent, past due),
    /// `not_due` (not sent, not yet due), `running` (the period runs).
    pub state: &'static str,
}

/// The reports of the units that make `form` under `parent` (its
/// communes for a commune form; itself otherwise) for `period`: who sent,
/// on time or late, and who has not — what the health centre and the
/// province see before compiling. Not sent first (late before not due),
/// then by name.
pub async fn sent_status(
    store: &dyn Store,
    h: &Hierarchy,
    form: &FormDef,
    parent: &OrgUnit,
    period: Period,
    today: Date,
) -> Result<Vec<SentStatus>, EngineError> {
    let units = makers_under(
        h,
        form,
        std::slice::from_ref(parent),
        units_day(period, today),
    );
    sent_status_of(store, form, units, period, today).await
}

/// The units that make `form` among `parents` and under them on `at`,
/// each once.
pub fn makers_under(h: &Hierarchy, form: &FormDef, parents: &[OrgUnit], at: Date) -> Vec<OrgUnit> {
    let kind = maker(form.level);
    let mut out: Vec<OrgUnit> = Vec::new();
    let mut todo: Vec<OrgUnit> = parents.to_vec();
    while let Some(u) = todo.pop() {
        if u.kind == kind {
            out.push(u);
        } else {
            todo.extend(h.children(u.id, at).into_iter().cloned());
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    out.dedup_by_key(|u| u.id);
    out
}

/// [`sent_status`] of the units given.
pub async fn sent_status_of(
    store: &dyn Store,
    form: &FormDef,
    units: Vec<OrgUnit>,
    period: Period,
    today: Date,
) -> Result<Vec<SentStatus>, EngineError> {
    let sent = store
        .form_submissions(&ytcs_store::submissions::SubmissionFilter {
            form_key: Some(form.key.clone()),
            period: Some(period),
            units: Some(units.iter().map(|u| u.id).collect()),
            ..Default::default()
        })
        .await?;
    let due = form.due(period);
    Ok(units
        .into_iter()
        .map(|u| {
            let s = sent.iter().find(|s| s.unit == u.id).cloned();
            let state = match (&s, today <= period.end(), today > due) {
                (Some(s), _, _) if s.late => "sent_late",
                (Some(_), _, _) => "sent_on_time",
                (None, true, _) => "running",
                (None, false, true) => "late",
                (None, false, false) => "not_due",
            };
            SentStatus {
                org: u.code.to_string(),
                org_name: u.name.clone(),
                sent: s,
                due,
                state,
            }
        })
        .collect::<Vec<_>>())
    .map(|mut v: Vec<SentStatus>| {
        let rank = |s: &str| match s {
            "late" => 0,
            "not_due" | "running" => 1,
            "sent_late" => 2,
            _ => 3,
        };
        v.sort_by_key(|s| rank(s.state));
        v
    })
}

/// Where one form of one period stands over a set of units: the
/// reporting calendar's line and the home page's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormDue {
    /// The form's key.
    pub key: String,
    /// Its code in the circular in force for the period.
    pub code: String,
    /// Its name.
    pub name_vi: String,
    /// The period.
    pub period: Period,
    /// The due day.
    pub due: Date,
    /// Units that make it.
    pub units: usize,
    /// … that sent it.
    pub sent: usize,
    /// … of which late.
    pub sent_late: usize,
    /// Not sent, past due.
    pub missing_late: usize,
    /// The period is still running.
    pub running: bool,
}

/// The statutory reports of `parents` (a station's commune, a health
/// centre's communes, a province): for each form made by them or under
/// them, the running period and the `back` last ended ones — due day,
/// who sent, who is late. Forms in force on each period's last day.
pub async fn due_list(
    store: &dyn Store,
    h: &Hierarchy,
    forms: &FormSet,
    parents: &[OrgUnit],
    back: usize,
    today: Date,
) -> Result<Vec<FormDue>, EngineError> {
    let mut keys: Vec<&FormDef> = forms.in_force(today);
    keys.dedup_by_key(|f| f.key.clone());
    let mut out = Vec::new();
    for any in keys {
        for period in ytcs_core::period_text::recent(any.period, today, back, true) {
            let Ok(def) = forms.for_period(&any.key, period) else {
                continue;
            };
            let units = makers_under(h, def, parents, units_day(period, today));
            // A province's own forms are its own; a commune's forms under
            // a province are its communes'. Nothing to make: not listed.
            if units.is_empty() {
                continue;
            }
            let list = sent_status_of(store, def, units, period, today).await?;
            out.push(FormDue {
                key: def.key.clone(),
                code: def.code.clone(),
                name_vi: def.name_vi.clone(),
                period,
                due: def.due(period),
                units: list.len(),
                sent: list.iter().filter(|s| s.sent.is_some()).count(),
                sent_late: list.iter().filter(|s| s.state == "sent_late").count(),
                missing_late: list.iter().filter(|s| s.state == "late").count(),
                running: today <= period.end(),
            });
        }
    }
    out.sort_by_key(|d| (d.due, d.key.clone()));
    Ok(out)
}

/// A filled form as an ADX message (`urn:ihe:qrph:adx:2015`) for machine
/// exchange: one group (the unit, the period, `dataSet` the form's key,
/// with its code and circular as extra attributes), one `dataValue` a
/// cell with a figure — the element and its options as category
/// attributes (`sex="m" age="0"`), the cell's row and column as `row` and
/// `column`. Cells without data are left out.
pub fn write_adx(f: &FilledForm) -> Result<String, EngineError> {
    use crate::exchange::{adx_period, esc, ADX_NS};
    let period: Period = f
        .period
        .parse()
        .map_err(|_| EngineError::Other(format!("'{}' is not a period", f.period)))?;
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"{ADX_NS}\">\n");
    out.push_str(&format!(
        "  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\" form=\"{}\" circular=\"{}\">\n",
        esc(&f.org),
        adx_period(period),
        esc(&f.key),
        esc(&f.code),
        esc(&f.circular)
    ));
    for row in &f.rows {
        let Some(element) = &row.element else {
            continue;
        };
        let categories = ytcs_store::values::element(element)
            .map(|e| e.categories.clone())
            .unwrap_or_default();
        for c in &row.cells {
            let Some(v) = c.value else { continue };
            let column = f.columns.iter().find(|x| x.code == c.column);
            let mut attrs = String::new();
            for o in row
                .options
                .iter()
                .chain(column.iter().flat_map(|x| x.options.iter()))
            {
                if let Some(cat) = categories
                    .iter()
                    .find(|k| k.options.iter().any(|x| &x.code == o))
                {
                    attrs.push_str(&format!(" {}=\"{}\"", esc(&cat.code), esc(o)));
                }
            }
            out.push_str(&format!(
                "    <dataValue dataElement=\"{}\" value=\"{}\"{attrs} row=\"{}\" column=\"{}\"/>\n",
                esc(element),
                v,
                esc(&c.row),
                esc(&c.column)
            ));
        }
    }
    out.push_str("  </group>\n</adx>\n");
    Ok(out)
}

/// Why a cell cannot be drilled into.
#[derive(Debug, thiserror::Error)]
pub enum CellError {
    /// No such row or column, or a heading.
    #[error("the form has no cell at row '{0}', column '{1}'")]
    NoCell(String, String),
    /// The figure was entered by hand: no records behind it.
    #[error("row '{0}' is entered by hand: no person-level records behind it")]
    Entered(String),
    /// Only a commune's cells list persons (a district's or province's
    /// go through their communes).
    #[error("only a commune's form lists the persons behind a cell; open a commune's form")]
    NotACommune,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] ytcs_store::StoreError),
}

/// The persons behind one cell of a commune's form (each once per time
/// counted), derived by the same code as the figure
/// ([`ytcs_core::register::derive::contributors`]), so the list adds up to
/// the cell. The caller checks that the reader may see these persons and
/// audits the read.
#[allow(clippy::too_many_arguments)]
pub async fn cell_persons(
    store: &dyn Store,
    h: &Hierarchy,
    form: &FormDef,
    unit: &OrgUnit,
    period: Period,
    row: &str,
    column: &str,
    today: Date,
) -> Result<Vec<ytcs_core::register::Person>, CellError> {
    use ytcs_core::register::derive::{contributors, derived_elements, Trace, Window};
    let no_cell = || CellError::NoCell(row.to_string(), column.to_string());
    let r = form
        .rows
        .iter()
        .find(|r| r.code == row)
        .ok_or_else(no_cell)?;
    let col = form
        .column(column)
        .filter(|_| r.columns.iter().any(|c| c == column))
        .ok_or_else(no_cell)?;
    let element = r.element.as_deref().ok_or_else(no_cell)?;
    if !derived_elements().any(|e| e == element) {
        return Err(CellError::Entered(row.to_string()));
    }
    if unit.kind != OrgKind::Commune {
        return Err(CellError::NotACommune);
    }
    let communes: Vec<_> =
        crate::registers::lineage_closure(h, &std::collections::BTreeSet::from([unit.id]))
            .into_iter()
            .collect();
    let records = store.registers(Some(&communes)).await?;
    let last = period.end().min(today);
    use chrono::Datelike;
    let window = Window {
        from_year: period.start().year(),
        through: Period::Month(last.year(), last.month() as u8),
    };
    let mut options = r.options.clone();
    options.extend(col.options.iter().cloned());
    let trace = contributors(
        h,
        crate::registers::standards(),
        &records,
        window,
        Trace {
            unit: unit.id,
            within: period,
            element: element.to_string(),
            options,
            persons: Vec::new(),
        },
    );
    let by_id: std::collections::HashMap<i64, &ytcs_core::register::Person> =
        records.persons.iter().map(|p| (p.id, p)).collect();
    Ok(trace
        .persons
        .iter()
        .filter_map(|id| by_id.get(id).map(|p| (*p).clone()))
        .collect())
}
