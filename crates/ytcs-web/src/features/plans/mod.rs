//! Plan pages: the list with an upload form, a plan's page (targets, tasks,
//! budget, reporting, legal bases and the cascade both ways), and the review
//! page (extracted items beside the source text, corrections, confirmation).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ytcs_core::access::Action;
use ytcs_core::plan::vn::format_number;
use ytcs_core::plan::Plan;
use ytcs_store::plans::{PlanLinks, PlanRevision, PlanSummary, StoredPlan};

use crate::app::i18n::{Lang, Texts};
use crate::app::page::{error_page, render, server_error, Chrome, Page, PageError};
use crate::app::vocab::{code_of, label, COMPARATORS, DOCUMENT_KINDS, FREQUENCIES, UNITS};
use crate::app::AppState;

mod form;
mod mark;
mod tracking;

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    c: Chrome,
    plans: Vec<PlanRow>,
    error: Option<String>,
}

struct PlanRow {
    id: i64,
    number: String,
    date: String,
    issuer: String,
    title: String,
    confirmed: bool,
}

fn date_vi(d: Option<ytcs_core::Date>) -> String {
    d.map(ytcs_core::format::date).unwrap_or_default()
}

fn row(p: &PlanSummary) -> PlanRow {
    PlanRow {
        id: p.id,
        number: p.number.clone().unwrap_or_default(),
        date: date_vi(p.date),
        issuer: p.issuer.clone().unwrap_or_default(),
        title: p.title.clone().unwrap_or_default(),
        confirmed: p.confirmed_at.is_some(),
    }
}

pub(crate) async fn list(State(st): State<AppState>, page: Page) -> Response {
    match st.store.list_plans().await {
        Ok(plans) => render(&PlansPage {
            c: Chrome::new(&page, "plans"),
            plans: plans.iter().map(row).collect(),
            error: None,
        }),
        Err(e) => server_error(&page, e),
    }
}

/// `POST /plans` (multipart, field `document`): reads, stores, and goes to
/// the review page; a document already stored goes to its review page too.
pub(crate) async fn upload(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    mut form: Multipart,
) -> Response {
    let lang = page.lang;
    let t = lang.texts();
    use crate::app::upload::{file_field, Upload};
    let (name, bytes) = match file_field(&mut form, "document", "document.txt").await {
        Ok(x) => x,
        Err(Upload::TooLarge) => {
            return upload_error(&st, &page, t.upload_too_large.to_string()).await
        }
        Err(Upload::Missing) => {
            return upload_error(&st, &page, t.upload_missing.to_string()).await
        }
    };
    let (plan, text) = match ytcs_plandoc::read_document(&name, &bytes) {
        Ok(x) => x,
        Err(e) => {
            return upload_error(
                &st,
                &page,
                format!("{}: {}", t.upload_unreadable, doc_error_vi(lang, &e)),
            )
            .await
        }
    };
    match st.store.insert_plan(&plan, &text).await {
        Ok((id, created)) => {
            if created {
                crate::app::audit::event(
                    &me.account.username,
                    ytcs_core::audit::AuditAction::Create,
                    ytcs_core::audit::ObjectKind::Plan,
                    &id.to_string(),
                )
                .after(
                    serde_json::json!({"file": name, "number": plan.number, "title": plan.title}),
                )
                .record(&st)
                .await;
            }
            // A document already stored: its page says so, and offers to
            // read it again with today's reader as a new version.
            let again = if created { "" } else { "?again=1" };
            Redirect::to(&format!("/plans/{id}/review{again}")).into_response()
        }
        Err(e) => server_error(&page, e),
    }
}

/// The reader's complaint in the UI's language.
fn doc_error_vi(lang: Lang, e: &ytcs_plandoc::PlanDocError) -> String {
    use ytcs_plandoc::PlanDocError as E;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        E::Empty => "tệp rỗng".into(),
        E::TooLarge { bytes, max } => format!(
            "tệp quá lớn ({} byte, tối đa {})",
            format_number(*bytes as f64, 0),
            format_number(*max as f64, 0)
        ),
        E::Binary => "tệp không phải văn bản hay DOCX".into(),
        E::Unsupported(what) => {
            format!("chưa hỗ trợ định dạng {what}; hãy lưu thành DOCX hoặc văn bản UTF-8")
        }
        E::NotDocx(why) => format!("tệp không phải DOCX hợp lệ ({why})"),
        E::ZipBomb(why) => format!("tệp DOCX giải nén vượt giới hạn ({why})"),
        E::LegacyEncoding { encoding } => {
            format!("văn bản dùng bảng mã cũ {encoding}; hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi tải lại")
        }
        E::InvalidUtf8(at) => {
            format!("văn bản không phải UTF-8 hợp lệ (byte lỗi đầu tiên ở vị trí {at})")
        }
    }
}

async fn upload_error(st: &AppState, page: &Page, message: String) -> Response {
    let plans = st.store.list_plans().await.unwrap_or_default();
    let mut r = render(&PlansPage {
        c: Chrome::new(page, "plans"),
        plans: plans.iter().map(row).collect(),
        error: Some(message),
    });
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

struct TargetRow {
    i: usize,
    id: String,
    line: usize,
    subject: String,
    indicator: String,
    indicator_name: String,
    comparator: String,
    comparator_label: &'static str,
    value: String,
    unit: String,
    unit_label: String,
    year: String,
    lead: String,
}

struct TaskRow {
    i: usize,
    id: String,
    depth: usize,
    line: usize,
    title: String,
    lead: String,
    coordinating: String,
    timeframe: String,
}

struct BudgetRow {
    i: usize,
    line_id: String,
    committed: String,
    disbursed: String,
    rate: String,
    overrun: bool,
    line: usize,
    amount: String,
    purpose: String,
    sources: String,
    is_part: bool,
}

struct BasisRow {
    i: usize,
    line: usize,
    kind: String,
    number: String,
    date: String,
    issuer: String,
    text: String,
    linked: Option<i64>,
}

struct DutyRow {
    i: usize,
    line: usize,
    frequency: String,
    deadline: String,
    what: String,
    by: String,
    to: String,
    when: String,
}

struct PlanView {
    id: i64,
    number: String,
    date: String,
    issuer: String,
    title: String,
    confirmed: bool,
    targets: Vec<TargetRow>,
    tasks: Vec<TaskRow>,
    budget: Vec<BudgetRow>,
    budget_total: String,
    bases: Vec<BasisRow>,
    duties: Vec<DutyRow>,
    recipients: Vec<String>,
    signer: String,
    signer_name: String,
    signer_title: String,
    signer_body: String,
    recipients_text: String,
    warnings: Vec<String>,
    /// The reader's warnings in Vietnamese (the English ones for a plan
    /// read before they were written in both).
    warnings_vi: Vec<String>,
    implemented_by: Vec<PlanRow>,
    revisions: Vec<(String, String)>,
}

fn plan_view(
    stored: &StoredPlan,
    links: &PlanLinks,
    revisions: &[PlanRevision],
    lang: Lang,
) -> PlanView {
    let p: &Plan = &stored.plan;
    let targets = p
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let comparator = code_of(&t.comparator);
            let unit = code_of(&t.unit);
            TargetRow {
                i,
                id: t.id.clone(),
                line: t.line,
                subject: t.subject.clone(),
                indicator: t.indicator.clone().unwrap_or_default(),
                indicator_name: t
                    .indicator
                    .as_deref()
                    .and_then(ytcs_core::indicator::by_code)
                    .map_or(String::new(), |ind| {
                        ind.name_in(lang == Lang::Vi).to_string()
                    }),
                comparator_label: crate::app::vocab::label_in(&COMPARATORS, &comparator, lang),
                comparator,
                value: t
                    .value
                    .map(|v| format_number(v, decimals(v)))
                    .unwrap_or_default(),
                unit_label: t
                    .unit_text
                    .clone()
                    .unwrap_or_else(|| label(&UNITS, &unit).to_string()),
                unit,
                year: t.year.map(|y| y.to_string()).unwrap_or_default(),
                lead: t.lead_units.join("; "),
            }
        })
        .collect();
    let tasks = p
        .tasks
        .iter()
        .enumerate()
        .map(|(i, k)| TaskRow {
            i,
            id: k.id.clone(),
            depth: k.id.matches(['.', '#']).count().min(6),
            line: k.line,
            title: k.title.clone(),
            lead: k.lead_units.join("; "),
            coordinating: k.coordinating_units.join("; "),
            timeframe: k.timeframe.text.clone(),
        })
        .collect();
    let budget: Vec<BudgetRow> = p
        .budget
        .iter()
        .enumerate()
        .map(|(i, g)| BudgetRow {
            i,
            line_id: g.id.clone(),
            committed: String::new(),
            disbursed: String::new(),
            rate: String::new(),
            overrun: false,
            line: g.line,
            amount: format_number(g.amount_vnd as f64, 0),
            purpose: g.purpose.clone().unwrap_or_else(|| g.text.clone()),
            sources: g.sources.join("; "),
            is_part: g.parent.is_some(),
        })
        .collect();
    let total: i64 = p
        .budget
        .iter()
        .filter(|g| g.parent.is_none())
        .map(|g| g.amount_vnd)
        .sum();
    let bases = p
        .legal_bases
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let key = b.number.as_deref().map(ytcs_store::plans::number_key);
            let linked = links
                .implements
                .iter()
                .find(|s| {
                    s.number.as_deref().map(ytcs_store::plans::number_key) == key
                        && key.is_some()
                        && (b.date.is_none() || s.date.is_none() || s.date == b.date)
                })
                .map(|s| s.id);
            BasisRow {
                i,
                line: b.line,
                kind: code_of(&b.kind),
                issuer: b.issuer.clone().unwrap_or_default(),
                number: b.number.clone().unwrap_or_default(),
                date: date_vi(b.date),
                text: b.text.clone(),
                linked,
            }
        })
        .collect();
    let duties = p
        .reporting
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let frequency = d.frequency.as_ref().map(code_of).unwrap_or_default();
            let deadline = d
                .deadline
                .as_ref()
                .map(|x| match (x.day, x.month) {
                    (Some(day), Some(m)) => format!("{day:02}/{m:02}"),
                    (None, Some(m)) => format!("tháng {m}"),
                    _ => String::new(),
                })
                .unwrap_or_default();
            DutyRow {
                i,
                line: d.line,
                when: format!(
                    "{} {}",
                    crate::app::vocab::label(&FREQUENCIES, &frequency),
                    deadline
                )
                .trim()
                .to_string(),
                frequency,
                deadline,
                what: d.what.clone(),
                by: d.by.join("; "),
                to: d.to.join("; "),
            }
        })
        .collect();
    let signer = p
        .signer
        .as_ref()
        .map(|s| {
            [
                s.on_behalf_of.as_deref(),
                s.title.as_deref(),
                s.name.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ")
        })
        .unwrap_or_default();
    PlanView {
        id: stored.summary.id,
        number: p.number.clone().unwrap_or_default(),
        date: date_vi(p.date),
        issuer: p.issuer.clone().unwrap_or_default(),
        title: p.title.clone().unwrap_or_default(),
        confirmed: stored.summary.confirmed_at.is_some(),
        targets,
        tasks,
        budget,
        budget_total: format_number(total as f64, 0),
        bases,
        duties,
        recipients: p.recipients.clone(),
        signer,
        signer_name: p
            .signer
            .as_ref()
            .and_then(|s| s.name.clone())
            .unwrap_or_default(),
        signer_title: p
            .signer
            .as_ref()
            .and_then(|s| s.title.clone())
            .unwrap_or_default(),
        signer_body: p
            .signer
            .as_ref()
            .and_then(|s| s.on_behalf_of.clone())
            .unwrap_or_default(),
        recipients_text: p.recipients.join("\n"),
        warnings: p.warnings.clone(),
        warnings_vi: if p.warnings_vi.len() == p.warnings.len() {
            p.warnings_vi.clone()
        } else {
            p.warnings.clone()
        },
        implemented_by: links.implemented_by.iter().map(row).collect(),
        revisions: revisions
            .iter()
            .map(|r| (ytcs_core::format::time_in_vietnam(r.at), r.note.clone()))
            .collect(),
    }
}

pub(crate) fn decimals(v: f64) -> usize {
    let mut d = 0;
    while d < 3 && (v * 10f64.powi(d as i32)).fract().abs() > 1e-9 {
        d += 1;
    }
    d
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    p: PlanView,
    task_status: std::collections::HashMap<String, &'static str>,
    message: Option<String>,
    /// The year the report form proposes (the current one).
    report_year: i32,
    /// How this plan's targets carry into each plan that implements it.
    cascade: Vec<CascadeBlock>,
}

/// The alignment of this plan's targets in one implementing plan.
struct CascadeBlock {
    plan_id: i64,
    label: String,
    rows: Vec<CascadeRow>,
}

struct CascadeRow {
    indicator: String,
    higher: String,
    lower: String,
    verdict: &'static str,
    verdict_code: &'static str,
}

/// "≥ 95 % (2025)" for a target.
pub(crate) fn target_text(t: &ytcs_core::plan::Target) -> String {
    let comparator = code_of(&t.comparator);
    let unit = t
        .unit_text
        .clone()
        .unwrap_or_else(|| label(&UNITS, &code_of(&t.unit)).to_string());
    let value = t
        .value
        .map(|v| format_number(v, decimals(v)))
        .unwrap_or_default();
    let year = t.year.map(|y| format!(" ({y})")).unwrap_or_default();
    format!("{} {value} {unit}{year}", label(&COMPARATORS, &comparator))
        .trim()
        .to_string()
}

fn cascade_block(
    lang: Lang,
    higher: &ytcs_core::plan::Plan,
    lower: &StoredPlan,
    id: i64,
) -> CascadeBlock {
    let rows = ytcs_core::cascade::align(higher, &lower.plan)
        .into_iter()
        .map(|a| CascadeRow {
            indicator: ytcs_core::indicator::by_code(&a.indicator)
                .map_or(a.indicator.clone(), |i| i.name.to_string()),
            higher: target_text(&a.higher),
            lower: a.lower.as_ref().map(target_text).unwrap_or_default(),
            verdict: lang.pick(a.verdict.label_vi(), a.verdict.label_en()),
            verdict_code: match a.verdict {
                ytcs_core::cascade::Verdict::Missing => "missing",
                ytcs_core::cascade::Verdict::Incomparable => "incomparable",
                ytcs_core::cascade::Verdict::Weaker => "weaker",
                ytcs_core::cascade::Verdict::Aligned => "aligned",
                ytcs_core::cascade::Verdict::Stronger => "stronger",
            },
        })
        .collect();
    let label = format!(
        "{} {} — {}",
        lower.plan.number.clone().unwrap_or_default(),
        lower
            .plan
            .date
            .map(ytcs_core::format::date)
            .unwrap_or_default(),
        lower.plan.issuer.clone().unwrap_or_default()
    );
    CascadeBlock {
        plan_id: id,
        label,
        rows,
    }
}

impl PlanPage {
    fn status_of(&self, task: &str) -> &'static str {
        self.task_status.get(task).copied().unwrap_or("")
    }
}

pub(crate) async fn load(
    st: &AppState,
    id: i64,
) -> Result<Option<(StoredPlan, PlanLinks, Vec<PlanRevision>)>, ytcs_store::StoreError> {
    let Some(stored) = st.store.get_plan(id).await? else {
        return Ok(None);
    };
    let links = st.store.plan_links(id).await?;
    let revisions = st.store.plan_revisions(id).await?;
    Ok(Some((stored, links, revisions)))
}

pub(crate) fn not_found(page: &Page) -> Response {
    error_page(page, StatusCode::NOT_FOUND, |t: &Texts| t.plan_not_found)
}

pub(crate) async fn show(State(st): State<AppState>, page: Page, Path(id): Path<i64>) -> Response {
    show_with_message(&st, &page, id, None)
        .await
        .into_response()
}

/// The plan page, with a message (a refused budget entry) above its budget.
pub(crate) async fn show_with_message(
    st: &AppState,
    page: &Page,
    id: i64,
    message: Option<String>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let loaded = match load(st, id).await? {
        Some(l) => l,
        None => return Ok(not_found(page)),
    };
    let updates = st.store.task_updates(id).await?;
    let entries = st.store.budget_entries(id).await?;
    let (stored, links, revs) = loaded;
    let report_year = stored.plan.report_year((st.today)());
    let mut cascade = Vec::new();
    for q in &links.implemented_by {
        if let Some(lower) = st.store.get_plan(q.id).await? {
            cascade.push(cascade_block(lang, &stored.plan, &lower, q.id))
        }
    }
    let mut p = plan_view(&stored, &links, &revs, lang);
    let exec = ytcs_engine::budget::execution(&stored.plan, &entries);
    for row in &mut p.budget {
        if let Some(x) = exec.get(&row.line_id) {
            row.committed = crate::app::format::vnd(x.committed);
            row.disbursed = crate::app::format::vnd(x.disbursed);
            row.rate = x
                .rate()
                .map(|r| {
                    format!(
                        "{} %",
                        format_number(r, usize::from((r * 10.0).round() % 10.0 != 0.0))
                    )
                })
                .unwrap_or_default();
            row.overrun = x.overrun();
        }
    }
    let tt = lang.tracking();
    let task_status = updates
        .iter()
        .map(|u| (u.task_id.clone(), tt.status_label(u.status)))
        .collect();
    let failed = message.is_some();
    let mut r = render(&PlanPage {
        c: Chrome::new(page, "plans"),
        p,
        task_status,
        message,
        report_year,
        cascade,
    });
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "plan_review.html")]
struct ReviewPage {
    c: Chrome,
    p: PlanView,
    source: Vec<SourceLine>,
    errors: Vec<String>,
    posted: HashMap<String, String>,
    comparators: &'static [(&'static str, &'static str)],
    kinds: &'static [(&'static str, &'static str)],
    frequencies: &'static [(&'static str, &'static str)],
    units: &'static [(&'static str, &'static str)],
    indicators: Vec<(&'static str, &'static str)>,
    saved: bool,
    /// The document was uploaded again: when it was first imported.
    again: String,
    /// The stored text was just read again into a new version.
    reread: bool,
}

/// A line of the source on the review page.
struct SourceLine {
    n: usize,
    text: String,
    /// It holds a number, so it may state a target: it gets the "đây là
    /// chỉ tiêu" form.
    markable: bool,
    /// The targets read from it (index, "≥ 95 % (2025)"), which the form
    /// can replace.
    targets: Vec<(usize, String)>,
}

impl ReviewPage {
    /// The value a field shows: what was just posted, else what is stored.
    fn val(&self, key: &str, stored: &str) -> String {
        self.posted
            .get(key)
            .cloned()
            .unwrap_or_else(|| stored.to_string())
    }

    fn checked(&self, key: &str) -> bool {
        self.posted.contains_key(key)
    }
}

fn review_page(
    page: &Page,
    loaded: (StoredPlan, PlanLinks, Vec<PlanRevision>),
    errors: Vec<String>,
    posted: HashMap<String, String>,
    saved: bool,
) -> Response {
    let query = page.uri.query().unwrap_or_default();
    let again = query.contains("again=1");
    let reread = query.contains("reread=1");
    let (stored, links, revs) = loaded;
    let stored_imported_at = stored.imported_at;
    let source = stored
        .source_text
        .lines()
        .enumerate()
        .map(|(i, l)| SourceLine {
            n: i + 1,
            text: l.to_string(),
            markable: l.chars().any(|c| c.is_ascii_digit()),
            targets: stored
                .plan
                .targets
                .iter()
                .enumerate()
                .filter(|(_, t)| t.line == i + 1)
                .map(|(k, t)| (k, target_text(t)))
                .collect(),
        })
        .collect();
    let failed = !errors.is_empty();
    let view = ReviewPage {
        c: Chrome::new(page, "plans"),
        p: plan_view(&stored, &links, &revs, page.lang),
        source,
        errors,
        posted,
        comparators: &COMPARATORS,
        kinds: &DOCUMENT_KINDS,
        frequencies: &FREQUENCIES,
        units: &UNITS[..UNITS.len() - 1],
        indicators: ytcs_core::indicator::CATALOGUE
            .iter()
            .map(|i| (i.code, i.name))
            .collect(),
        saved,
        again: if again {
            ytcs_core::format::time_in_vietnam(stored_imported_at)
        } else {
            String::new()
        },
        reread,
    };
    let mut r = render(&view);
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

pub(crate) async fn review(
    State(st): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Response {
    let saved = page.uri.query().is_some_and(|q| q.contains("saved=1"));
    match load(&st, id).await {
        Ok(Some(loaded)) => review_page(&page, loaded, vec![], HashMap::new(), saved),
        Ok(None) => not_found(&page),
        Err(e) => server_error(&page, e),
    }
}

/// `POST /plans/{id}/review`: applies corrections (all or nothing) and keeps
/// the previous content as a revision.
pub(crate) async fn save_review(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let loaded = match load(&st, id).await? {
        Some(l) => l,
        None => return Ok(not_found(&page)),
    };
    // The plan's issuer must be within the user's scope, before the
    // correction and after it: nobody edits another province's plan, nor
    // moves a plan into (or out of) their own by changing its issuer.
    crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &loaded.0.plan, &page).await?;
    Ok(match form::apply(loaded.0.plan.clone(), &form) {
        Ok(plan) => {
            crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &plan, &page).await?;
            let note = form
                .get("note")
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .unwrap_or("Hiệu chỉnh")
                .chars()
                .take(500)
                .collect::<String>();
            let old = serde_json::to_value(&loaded.0.plan).unwrap_or_default();
            let new = serde_json::to_value(&plan).unwrap_or_default();
            match st.store.revise_plan(id, &plan, &note).await {
                Ok(_) => {
                    let (old, new) = crate::app::audit::changed_fields(old, new);
                    crate::app::audit::event(
                        &me.account.username,
                        ytcs_core::audit::AuditAction::Update,
                        ytcs_core::audit::ObjectKind::Plan,
                        &id.to_string(),
                    )
                    .before(old)
                    .after(new)
                    .record(&st)
                    .await;
                    Redirect::to(&format!("/plans/{id}/review?saved=1")).into_response()
                }
                Err(e) => server_error(&page, e),
            }
        }
        Err(errors) => review_page(&page, loaded, errors, form, false),
    })
}

/// `POST /plans/{id}/reread`: reads the stored document's text again
/// with today's reader and keeps the result as a new version (the
/// previous one stays among the revisions; the source is the same).
pub(crate) async fn reread(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let Some(stored) = st.store.get_plan(id).await? else {
        return Ok(not_found(&page));
    };
    crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &stored.plan, &page).await?;
    let mut fresh = ytcs_plandoc::parse_text(&stored.plan.source.file, &stored.source_text);
    fresh.source = stored.plan.source.clone();
    st.store
        .revise_plan(id, &fresh, "đọc lại bằng bộ đọc hiện tại / read again")
        .await?;
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Update,
        ytcs_core::audit::ObjectKind::Plan,
        &id.to_string(),
    )
    .detail("plan read again as a new version")
    .record(&st)
    .await;
    Ok(Redirect::to(&format!("/plans/{id}/review?reread=1")).into_response())
}

/// `POST /plans/{id}/confirm`: a person confirms the reviewed plan.
pub(crate) async fn confirm(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match st.store.get_plan(id).await? {
        Some(p) => {
            crate::app::auth::require_plan(&st, &me, Action::ManagePlans, &p.plan, &page).await?;
        }
        None => return Ok(not_found(&page)),
    }
    Ok(match st.store.confirm_plan(id).await {
        Ok(true) => {
            crate::app::audit::event(
                &me.account.username,
                ytcs_core::audit::AuditAction::Confirm,
                ytcs_core::audit::ObjectKind::Plan,
                &id.to_string(),
            )
            .record(&st)
            .await;
            Redirect::to(&format!("/plans/{id}")).into_response()
        }
        Ok(false) => not_found(&page),
        Err(e) => server_error(&page, e),
    })
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/plans", Need::Signed(Read), list),
        r(M::POST, "/plans", Need::Signed(ManagePlans), upload),
        r(M::GET, "/plans/{id}", Need::Signed(Read), show),
        r(M::GET, "/plans/{id}/review", Need::Signed(Read), review),
        r(
            M::POST,
            "/plans/{id}/review",
            Need::Signed(ManagePlans),
            save_review,
        ),
        r(
            M::GET,
            "/plans/{id}/review/mark",
            Need::Signed(Read),
            mark::mark_form,
        ),
        r(
            M::POST,
            "/plans/{id}/review/mark",
            Need::Signed(ManagePlans),
            mark::save_mark,
        ),
        r(
            M::POST,
            "/plans/{id}/confirm",
            Need::Signed(ManagePlans),
            confirm,
        ),
        r(
            M::POST,
            "/plans/{id}/reread",
            Need::Signed(ManagePlans),
            reread,
        ),
        r(M::GET, "/tasks", Need::Signed(Read), tracking::tasks),
        r(
            M::GET,
            "/org/{code}/tasks",
            Need::Signed(Read),
            tracking::unit_tasks,
        ),
        r(
            M::GET,
            "/plans/{id}/task",
            Need::Signed(Read),
            tracking::task,
        ),
        r(
            M::POST,
            "/plans/{id}/task",
            Need::Signed(EnterData),
            tracking::save_task_update,
        ),
        r(
            M::POST,
            "/plans/{id}/reports",
            Need::Signed(EnterData),
            tracking::submit_report,
        ),
        r(
            M::POST,
            "/plans/{id}/budget",
            Need::Signed(ManagePlans),
            tracking::add_budget_entry,
        ),
        r(
            M::GET,
            "/evidence/{update}",
            Need::Signed(Read),
            tracking::evidence,
        ),
    ]
}
