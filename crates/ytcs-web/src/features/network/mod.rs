//! A unit's network page (`/org/{code}/network?at=`): the network
//! indicators with their trend, a population pyramid (server-side SVG),
//! staff by cadre, facilities and villages, all with the units as they
//! stood on the chosen date; forms that add a facility, a staff member with
//! a post, a village or a population figure; and the registry's import
//! templates (`/network/templates/{table}.{csv|xlsx}`).
//!
//! The hierarchy, the registry and the yearly values derived from them are
//! cached in [`NetworkCache`], keyed by the store's network generation (a
//! counter bumped in the same transaction as every network or unit write),
//! so a page costs milliseconds and a write is visible on the next request.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::{
    AgeGroup, Attachment, Cadre, Facility, FacilityKind, FacilityStatus, NetworkData,
    PopulationCount, Post, PostKind, Sex, StaffMember, Workplace, YearValues, NETWORK_CODES,
};
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::rollup::Rollup;
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_registry::{Format, Table};
use ytcs_store::network::{NewUnit, WriteError};
use ytcs_store::{Store, StoreError};

use crate::app::i18n::{Lang, NetworkTexts};
use crate::app::page::{error_page, render, server_error, Chrome, Page, PageError};
use crate::app::{parse_at, AppState};

/// What the network pages derive from the whole hierarchy and registry.
struct Snapshot {
    generation: i64,
    h: Hierarchy,
    data: NetworkData,
    years: Vec<i32>,
    per_year: Vec<YearValues>,
    /// Figures already computed, by unit and date.
    figures: Mutex<HashMap<(UnitId, Date), Arc<UnitFigures>>>,
}

/// The network figures of one unit on one date: each indicator's value
/// per year (the first roll-up refusal kept as a note), and the pyramid of
/// the latest year that can be read under the units of that date.
struct UnitFigures {
    indicators: Vec<Vec<Option<f64>>>,
    error: Option<String>,
    pyramid: Option<(i32, Vec<PyramidRow>)>,
}

/// One age group of a pyramid: males, females.
type PyramidRow = (AgeGroup, f64, f64);

/// At most this many units × dates are kept per snapshot.
const MAX_MEMO: usize = 4096;

impl Snapshot {
    /// The figures of `unit` on `at`, computed once per snapshot with one
    /// roll-up shared by every indicator, year and age group.
    fn figures(&self, unit: UnitId, at: Date) -> Arc<UnitFigures> {
        let memo = |m: &Mutex<HashMap<_, Arc<UnitFigures>>>| {
            m.lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(&(unit, at))
                .cloned()
        };
        if let Some(f) = memo(&self.figures) {
            return f;
        }
        let mut rollup = Rollup::new(&self.h, at);
        let mut error = None;
        let mut indicators = Vec::new();
        for &code in NETWORK_CODES {
            let row =
                self.per_year
                    .iter()
                    .map(|v| {
                        let value = v.series(code).map_err(|e| e.to_string()).and_then(
                            |(num, den, factor)| {
                                let n = rollup.totals(num, &[unit]).map_err(|e| e.to_string())?[0];
                                match den {
                                    None => Ok(Some(n)),
                                    Some(d) => {
                                        let d = rollup
                                            .totals(d, &[unit])
                                            .map_err(|e| e.to_string())?[0];
                                        Ok((d > 0.0).then(|| n / d * factor))
                                    }
                                }
                            },
                        );
                        value.unwrap_or_else(|e| {
                            error.get_or_insert(e);
                            None
                        })
                    })
                    .collect();
            indicators.push(row);
        }
        let pyramid = self
            .years
            .iter()
            .rev()
            .find_map(|&y| pyramid_of(&mut rollup, &self.data, y, unit).map(|r| (y, r)))
            .filter(|(_, r)| r.iter().any(|x| x.1 > 0.0 || x.2 > 0.0));
        let f = Arc::new(UnitFigures {
            indicators,
            error,
            pyramid,
        });
        let mut m = self.figures.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= MAX_MEMO {
            m.clear();
        }
        m.insert((unit, at), f.clone());
        f
    }
}

/// Population of `unit` in `year` by age group (male, female), carried to
/// the units of the roll-up's date; `None` when the roll-up refuses it.
fn pyramid_of(
    rollup: &mut Rollup<'_>,
    data: &NetworkData,
    year: i32,
    unit: UnitId,
) -> Option<Vec<(AgeGroup, f64, f64)>> {
    let mut cells: BTreeMap<(AgeGroup, Sex), Vec<(UnitId, f64)>> = BTreeMap::new();
    for p in data.population.iter().filter(|p| p.year == year) {
        cells
            .entry((p.age, p.sex))
            .or_default()
            .push((p.unit, p.count as f64));
    }
    let mut out = Vec::new();
    for age in AgeGroup::all() {
        let mut pair = [0.0; 2];
        for (i, sex) in [Sex::Male, Sex::Female].into_iter().enumerate() {
            if let Some(vals) = cells.get(&(age, sex)) {
                pair[i] = rollup.totals(vals, &[unit]).ok()?[0];
            }
        }
        out.push((age, pair[0], pair[1]));
    }
    Some(out)
}

/// The last [`Snapshot`] read, reused while the store's network generation
/// is unchanged. Shared by every request through [`AppState`].
#[derive(Default)]
pub(crate) struct NetworkCache {
    slot: Mutex<Option<Arc<Snapshot>>>,
}

impl NetworkCache {
    fn cached(&self) -> Option<Arc<Snapshot>> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The snapshot for the store's current generation, reloading it when a
    /// write happened since. The generation is read *before* loading, so a
    /// write racing with the load can only make the cache reload once more.
    async fn get(&self, store: &dyn Store) -> Result<Arc<Snapshot>, StoreError> {
        let generation = store.generation().await?;
        if let Some(s) = self.cached().filter(|s| s.generation == generation) {
            return Ok(s);
        }
        let h = store.hierarchy().await?;
        let data = store.network().await?;
        let mut years: Vec<i32> = data.population.iter().map(|p| p.year).collect();
        years.sort_unstable();
        years.dedup();
        let per_year = years
            .iter()
            .map(|&y| YearValues::of_year(&h, &data, y))
            .collect();
        let snap = Arc::new(Snapshot {
            generation,
            h,
            data,
            years,
            per_year,
            figures: Mutex::default(),
        });
        *self.slot.lock().unwrap_or_else(|p| p.into_inner()) = Some(snap.clone());
        Ok(snap)
    }
}

/// One edit form's input (kept after a refusal) and the reasons it was refused.
#[derive(Default)]
struct FormState {
    values: HashMap<String, String>,
    errors: Vec<String>,
}

impl FormState {
    /// The value the user typed in field `k` (empty when none).
    fn v(&self, k: &str) -> &str {
        self.values.get(k).map_or("", String::as_str)
    }
}

/// The four edit forms of the page.
#[derive(Default)]
struct Forms {
    facility: FormState,
    staff: FormState,
    village: FormState,
    population: FormState,
}

struct FacilityRow {
    code: String,
    name: String,
    kind: &'static str,
    status: &'static str,
    beds: i64,
}

struct TemplateLink {
    label: &'static str,
    table: &'static str,
}

#[derive(Template)]
#[template(path = "network_unit.html")]
struct NetworkPage {
    c: Chrome,
    nt: &'static NetworkTexts,
    code: String,
    name: String,
    at: String,
    years: Vec<i32>,
    indicators: Vec<(String, Vec<String>)>,
    pyramid_year: i32,
    pyramid_svg: String,
    staff: Vec<(&'static str, usize)>,
    facilities: Vec<FacilityRow>,
    villages: Vec<(String, String)>,
    error: Option<String>,
    saved: bool,
    forms: Forms,
    kinds: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    cadres: Vec<(&'static str, &'static str)>,
    post_kinds: Vec<(&'static str, &'static str)>,
    sexes: Vec<(&'static str, &'static str)>,
    ages: Vec<String>,
    templates: Vec<TemplateLink>,
}

/// `?at=` (and `?saved=` after a successful form) of the page.
#[derive(serde::Deserialize)]
pub(crate) struct PageQuery {
    at: Option<String>,
    saved: Option<String>,
}

/// A figure of the network ([`ytcs_core::format::count_or_rate`]) in the
/// page's language.
fn fmt_number(v: f64, lang: Lang) -> String {
    let vi = ytcs_core::format::count_or_rate(v);
    match lang {
        Lang::Vi => vi,
        Lang::En => ytcs_core::format::in_english(&vi),
    }
}

fn label<T>(
    lang: Lang,
    vi: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    x: T,
) -> &'static str {
    match lang {
        Lang::Vi => vi(x),
        Lang::En => en(x),
    }
}

/// A horizontal-bar population pyramid: males left, females right.
fn pyramid_svg(rows: &[(AgeGroup, f64, f64)], nt: &NetworkTexts) -> String {
    let max = rows.iter().map(|r| r.1.max(r.2)).fold(1.0, f64::max);
    let (w, bar, mid) = (480.0, 14.0, 240.0);
    let top = 18.0;
    let h = rows.len() as f64 * (bar + 2.0) + 10.0 + top;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">\
         <text x=\"{:.1}\" y=\"12\" font-size=\"11\" text-anchor=\"end\">{}</text>\
         <text x=\"{:.1}\" y=\"12\" font-size=\"11\">{}</text>",
        nt.pyramid,
        mid - 20.0,
        nt.male,
        mid + 20.0,
        nt.female
    );
    for (i, (age, m, f)) in rows.iter().rev().enumerate() {
        let y = i as f64 * (bar + 2.0) + 5.0 + top;
        let lm = m / max * (mid - 40.0);
        let lf = f / max * (mid - 40.0);
        s.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{y}\" width=\"{lm:.1}\" height=\"{bar}\" fill=\"#3b6ea5\"/>\
             <rect x=\"{:.1}\" y=\"{y}\" width=\"{lf:.1}\" height=\"{bar}\" fill=\"#c05b7a\"/>\
             <text x=\"{mid}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{age}</text>",
            mid - 20.0 - lm,
            mid + 20.0,
            y + bar - 3.0
        ));
    }
    s.push_str("</svg>");
    s
}

/// The unit named in the path on the date of `?at=`, or the error page.
async fn resolve(
    st: &AppState,
    page: &Page,
    code: &str,
    at: Option<&str>,
) -> Result<(OrgUnit, Date), Response> {
    let Ok(at) = parse_at(at, (st.today)()) else {
        return Err(error_page(page, StatusCode::BAD_REQUEST, |t| t.bad_date));
    };
    let Ok(code) = OrgCode::parse(code) else {
        return Err(error_page(page, StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    match st.store.unit_at(&code, at).await {
        Ok(Some(u)) => Ok((u, at)),
        Ok(None) => Err(error_page(page, StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        })),
        Err(e) => Err(server_error(page, e)),
    }
}

/// `GET /org/{code}/network`
pub(crate) async fn unit_network(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path(code): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let (unit, at) = resolve(&st, &page, &code, q.at.as_deref()).await?;
    // The page names the unit's health workers: a read of personal data,
    // logged like every such read.
    crate::app::audit::event(
        &me.account.username,
        ytcs_core::audit::AuditAction::Read,
        ytcs_core::audit::ObjectKind::Network,
        unit.code.as_str(),
    )
    .unit(unit.code.as_str())
    .detail(format!("staff names as of {at}"))
    .record(&st)
    .await;
    Ok(
        match st.cache::<NetworkCache>().get(st.store.as_ref()).await {
            Ok(snap) => page_view(&page, &snap, &unit, at, Forms::default(), q.saved.is_some()),
            Err(e) => server_error(&page, e),
        },
    )
}

fn page_view(
    page: &Page,
    snap: &Snapshot,
    unit: &OrgUnit,
    at: Date,
    forms: Forms,
    saved: bool,
) -> Response {
    let lang = page.lang;
    let nt = lang.network();
    let (h, data) = (&snap.h, &snap.data);
    let figures = snap.figures(unit.id, at);
    let indicators = NETWORK_CODES
        .iter()
        .zip(&figures.indicators)
        .map(|(&c, row)| {
            let label = match (lang, ytcs_core::indicator::by_code(c)) {
                (Lang::Vi, Some(i)) => i.name.to_string(),
                (Lang::Vi, None) => "Dân số".to_string(),
                (Lang::En, _) => c.replace('_', " "),
            };
            let vals = row
                .iter()
                .map(|v| v.map_or(nt.no_data.into(), |x| fmt_number(x, lang)))
                .collect();
            (label, vals)
        })
        .collect();
    let error = figures.error.clone();
    let (pyramid_year, pyramid_svg) = match &figures.pyramid {
        Some((y, rows)) => (*y, pyramid_svg(rows, nt)),
        None => (0, String::new()),
    };
    // Units under this one on the date, for facilities, staff and villages.
    let mut inside = HashSet::from([unit.id]);
    let mut stack = vec![unit.id];
    let mut villages = Vec::new();
    while let Some(u) = stack.pop() {
        for c in h.children(u, at) {
            if c.kind == OrgKind::Village {
                villages.push((c.code.to_string(), c.name.clone()));
            }
            inside.insert(c.id);
            stack.push(c.id);
        }
    }
    villages.sort();
    let here: HashSet<&OrgCode> = data
        .attachments
        .iter()
        .filter(|a| a.validity.contains(at) && inside.contains(&a.unit))
        .map(|a| &a.facility)
        .collect();
    let facilities = data
        .facilities
        .iter()
        .filter(|f| here.contains(&f.code) && f.validity.contains(at))
        .map(|f| FacilityRow {
            code: f.code.to_string(),
            name: f.name.clone(),
            kind: label(lang, FacilityKind::name_vi, FacilityKind::name_en, f.kind),
            status: label(
                lang,
                FacilityStatus::name_vi,
                FacilityStatus::name_en,
                f.status,
            ),
            beds: f.beds,
        })
        .collect();
    let cadre: HashMap<&str, Cadre> = data
        .staff
        .iter()
        .map(|s| (s.code.as_str(), s.cadre))
        .collect();
    let mut counts: BTreeMap<Cadre, usize> = BTreeMap::new();
    for p in data.posts.iter().filter(|p| p.validity.contains(at)) {
        let inside_post = match &p.workplace {
            Workplace::Facility(c) => here.contains(c),
            Workplace::Village(v) => inside.contains(v),
        };
        if let (true, Some(c)) = (inside_post, cadre.get(p.person.as_str())) {
            *counts.entry(*c).or_default() += 1;
        }
    }
    let staff = counts
        .into_iter()
        .map(|(c, n)| (label(lang, Cadre::name_vi, Cadre::name_en, c), n))
        .collect();
    let opts = |all: &[(&'static str, &'static str, &'static str)]| {
        all.iter()
            .map(|(k, vi, en)| (*k, if lang == Lang::Vi { *vi } else { *en }))
            .collect::<Vec<_>>()
    };
    let kinds = opts(
        &FacilityKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_vi(), k.name_en()))
            .collect::<Vec<_>>(),
    );
    let statuses = opts(
        &FacilityStatus::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_vi(), k.name_en()))
            .collect::<Vec<_>>(),
    );
    let cadres = opts(
        &Cadre::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_vi(), k.name_en()))
            .collect::<Vec<_>>(),
    );
    let post_kinds = opts(
        &PostKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_vi(), k.name_en()))
            .collect::<Vec<_>>(),
    );
    let sexes = opts(
        &Sex::ALL
            .iter()
            .map(|k| (k.as_str(), k.name_vi(), k.name_en()))
            .collect::<Vec<_>>(),
    );
    let templates = Table::ALL
        .iter()
        .map(|t| TemplateLink {
            label: table_label(nt, *t),
            table: t.as_str(),
        })
        .collect();
    let refused = [
        &forms.facility,
        &forms.staff,
        &forms.village,
        &forms.population,
    ]
    .iter()
    .any(|f| !f.errors.is_empty());
    let mut r = render(&NetworkPage {
        c: Chrome::new(page, "network"),
        nt,
        code: unit.code.to_string(),
        name: unit.name.clone(),
        at: at.to_string(),
        years: snap.years.clone(),
        indicators,
        pyramid_year,
        pyramid_svg,
        staff,
        facilities,
        villages,
        error,
        saved,
        forms,
        kinds,
        statuses,
        cadres,
        post_kinds,
        sexes,
        ages: AgeGroup::all().map(|a| a.to_string()).collect(),
        templates,
    });
    if refused {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

fn table_label(nt: &NetworkTexts, t: Table) -> &'static str {
    match t {
        Table::Facilities => nt.table_facilities,
        Table::Staff => nt.table_staff,
        Table::Training => nt.table_training,
        Table::Villages => nt.table_villages,
        Table::Population => nt.table_population,
    }
}

// ---- Edit forms -------------------------------------------------------------

/// Which edit form was posted.
#[derive(Clone, Copy)]
enum Which {
    Facility,
    Staff,
    Village,
    Population,
}

/// Reads the posted fields into a batch, or the Vietnamese reasons why not.
struct Input<'a> {
    values: &'a HashMap<String, String>,
    errors: Vec<String>,
}

impl Input<'_> {
    fn text(&mut self, key: &str, label: &str) -> String {
        let v = self.values.get(key).map_or("", |s| s.trim());
        if v.is_empty() {
            self.errors.push(format!("Hãy nhập «{label}»."));
        }
        v.chars().take(300).collect()
    }

    fn optional(&self, key: &str) -> Option<String> {
        self.values
            .get(key)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(300).collect())
    }

    fn code(&mut self, key: &str, label: &str) -> Option<OrgCode> {
        let v = self.text(key, label);
        if v.is_empty() {
            return None;
        }
        match OrgCode::parse(&v) {
            Ok(c) => Some(c),
            Err(_) => {
                self.errors.push(format!(
                    "«{label}»: mã «{v}» không hợp lệ (chỉ dùng chữ cái không dấu, chữ số, dấu gạch ngang)."
                ));
                None
            }
        }
    }

    fn int<T: std::str::FromStr>(&mut self, key: &str, label: &str) -> Option<T> {
        let v = self.text(key, label);
        if v.is_empty() {
            return None;
        }
        match v.replace('.', "").parse::<T>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors
                    .push(format!("«{label}»: «{v}» không phải là số nguyên."));
                None
            }
        }
    }

    fn date(&mut self, key: &str, label: &str, required: bool) -> Option<Date> {
        let v = self.values.get(key).map_or("", |s| s.trim());
        if v.is_empty() {
            if required {
                self.errors.push(format!("Hãy nhập «{label}»."));
            }
            return None;
        }
        match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                self.errors.push(format!(
                    "«{label}»: ngày «{v}» không hợp lệ; hãy nhập theo dạng YYYY-MM-DD."
                ));
                None
            }
        }
    }

    fn choice<T: std::str::FromStr>(&mut self, key: &str, label: &str) -> Option<T> {
        let v = self.text(key, label);
        if v.is_empty() {
            return None;
        }
        match v.parse::<T>() {
            Ok(x) => Some(x),
            Err(_) => {
                self.errors
                    .push(format!("«{label}»: «{v}» không phải là lựa chọn hợp lệ."));
                None
            }
        }
    }
}

/// `POST /org/{code}/network/{form}` (facility, staff, village,
/// population): validates through the store (all or nothing), then
/// redirects back to the page; on refusal shows the page again with each
/// reason in Vietnamese above the form and the input kept.
pub(crate) async fn save(
    State(st): State<AppState>,
    page: Page,
    crate::app::auth::User(me): crate::app::auth::User,
    Path((code, form)): Path<(String, String)>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let which = match form.as_str() {
        "facility" => Which::Facility,
        "staff" => Which::Staff,
        "village" => Which::Village,
        "population" => Which::Population,
        _ => return Err(PageError::Status(StatusCode::NOT_FOUND, |t| t.not_found)),
    };
    let (unit, at) = resolve(&st, &page, &code, values.get("at").map(String::as_str)).await?;
    crate::app::auth::require_unit(
        &st,
        &me,
        ytcs_core::access::Action::ManageNetwork,
        &unit.code,
        at,
        &page,
    )
    .await?;
    let snap = st.cache::<NetworkCache>().get(st.store.as_ref()).await?;
    // Reasons are always in Vietnamese, like the UI's other messages.
    let nt = Lang::Vi.network();
    let mut input = Input {
        values: &values,
        errors: Vec::new(),
    };
    let write = match which {
        Which::Facility => facility_write(&mut input, nt, &unit),
        Which::Staff => staff_write(&mut input, nt, &snap),
        Which::Village => village_write(&mut input, nt, &unit),
        Which::Population => population_write(&mut input, nt, &unit),
    };
    let result = match write {
        Some(NetworkWrite::Network(batch)) => Some(st.store.add_network(&batch).await),
        Some(NetworkWrite::Unit(new)) => Some(st.store.add_units(&[new]).await.map(|_| ())),
        None => None,
    };
    let mut errors = input.errors;
    match result {
        Some(Ok(())) => {
            crate::app::audit::event(
                &me.account.username,
                ytcs_core::audit::AuditAction::Create,
                ytcs_core::audit::ObjectKind::Network,
                unit.code.as_str(),
            )
            .detail(form.as_str())
            .unit(unit.code.as_str())
            .after(crate::app::audit::form_json(&values))
            .record(&st)
            .await;
            return Ok(Redirect::to(&format!(
                "/org/{}/network?at={at}&saved={}",
                unit.code, form
            ))
            .into_response());
        }
        Some(Err(WriteError::Rejected(lines))) => {
            errors.extend(lines.iter().map(|l| vietnamese(l, &snap.h)));
        }
        Some(Err(WriteError::Store(e))) => return Err(e.into()),
        None => {}
    }
    let state = FormState {
        values: values.clone(),
        errors,
    };
    let mut forms = Forms::default();
    match which {
        Which::Facility => forms.facility = state,
        Which::Staff => forms.staff = state,
        Which::Village => forms.village = state,
        Which::Population => forms.population = state,
    }
    Ok(page_view(&page, &snap, &unit, at, forms, false))
}

/// What an edit form writes, once read and checked.
enum NetworkWrite {
    /// Facilities, staff, posts or population.
    Network(NetworkData),
    /// A new unit (a village).
    Unit(NewUnit),
}

/// The facility form: a new facility attached to the unit.
fn facility_write(
    input: &mut Input<'_>,
    nt: &NetworkTexts,
    unit: &OrgUnit,
) -> Option<NetworkWrite> {
    let code = input.code("code", nt.facility_code);
    let name = input.text("name", nt.facility_name);
    let kind = input.choice::<FacilityKind>("kind", nt.kind);
    let status = input.choice::<FacilityStatus>("status", nt.status);
    let beds = input.int::<i64>("beds", nt.beds);
    let opened = input.date("opened", nt.opened, false);
    match (code, kind, status, beds, input.errors.is_empty()) {
        (Some(code), Some(kind), Some(status), Some(beds), true) => {
            let validity = opened.map_or(Validity::ALWAYS, Validity::since);
            let batch = NetworkData {
                facilities: vec![Facility {
                    code: code.clone(),
                    name,
                    kind,
                    beds,
                    status,
                    services_share: None,
                    validity,
                }],
                attachments: vec![Attachment {
                    facility: code,
                    unit: unit.id,
                    validity,
                }],
                ..Default::default()
            };
            Some(NetworkWrite::Network(batch))
        }
        _ => None,
    }
}

/// The staff form: a post, and the person when new.
fn staff_write(input: &mut Input<'_>, nt: &NetworkTexts, snap: &Snapshot) -> Option<NetworkWrite> {
    let person = input.text("code", nt.staff_code);
    let name = input.optional("name");
    let cadre = input.choice::<Cadre>("cadre", nt.cadre);
    let qualification = input.optional("qualification");
    let workplace = input.code("workplace", nt.workplace);
    let kind = input.choice::<PostKind>("post_kind", nt.post_kind);
    let from = input.date("from", nt.post_from, true);
    let known = snap.data.staff.iter().any(|s| s.code == person);
    if !known && name.is_none() {
        input
            .errors
            .push(format!("Hãy nhập «{}» của nhân viên mới.", nt.staff_name));
    }
    match (cadre, workplace, kind, from, input.errors.is_empty()) {
        (Some(cadre), Some(workplace), Some(kind), Some(from), true) => {
            let mut batch = NetworkData::default();
            // A known person only gains a post; a new one is added too.
            if !known {
                batch.staff.push(StaffMember {
                    code: person.clone(),
                    name: name.unwrap_or_default(),
                    cadre,
                    qualification,
                });
            }
            batch.posts.push(Post {
                person,
                workplace: Workplace::Facility(workplace),
                kind,
                validity: Validity::since(from),
            });
            Some(NetworkWrite::Network(batch))
        }
        _ => None,
    }
}

/// The village form: a new village under the commune.
fn village_write(input: &mut Input<'_>, nt: &NetworkTexts, unit: &OrgUnit) -> Option<NetworkWrite> {
    let code = input.code("code", nt.village_code);
    let name = input.text("name", nt.village_name);
    let from = input.date("from", nt.village_from, false);
    if unit.kind != OrgKind::Commune {
        input.errors.push(format!(
            "Thôn, bản chỉ thêm được dưới đơn vị cấp xã; {} là {}.",
            unit.name,
            unit.kind.name_vi()
        ));
    }
    match (code, input.errors.is_empty()) {
        (Some(code), true) => {
            // From the date given, but never before the commune existed.
            let start = match (from, unit.validity.from) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            let link = Validity {
                from: start,
                to: unit.validity.to,
            };
            let new = NewUnit {
                code,
                name,
                kind: OrgKind::Village,
                validity: Validity {
                    from: start,
                    to: None,
                },
                parents: vec![(unit.id, link)],
            };
            Some(NetworkWrite::Unit(new))
        }
        _ => None,
    }
}

/// The population form: one count by year, sex and age group.
fn population_write(
    input: &mut Input<'_>,
    nt: &NetworkTexts,
    unit: &OrgUnit,
) -> Option<NetworkWrite> {
    let year = input.int::<i32>("year", nt.year);
    let sex = input.choice::<Sex>("sex", nt.sex);
    let age = input.choice::<AgeGroup>("age", nt.age_group);
    let count = input.int::<i64>("count", nt.count);
    if let Some(y) = year.filter(|y| !(1900..=2100).contains(y)) {
        input
            .errors
            .push(format!("«{}»: năm {y} nằm ngoài 1900–2100.", nt.year));
    }
    match (year, sex, age, count, input.errors.is_empty()) {
        (Some(year), Some(sex), Some(age), Some(count), true) => {
            let batch = NetworkData {
                population: vec![PopulationCount {
                    unit: unit.id,
                    year,
                    sex,
                    age,
                    count,
                }],
                ..Default::default()
            };
            Some(NetworkWrite::Network(batch))
        }
        _ => None,
    }
}

/// Splits `s` along the literal pieces of `pattern`, returning what lies
/// between them, or `None` when `s` does not have that shape.
fn captures<'a>(s: &'a str, pattern: &[&str]) -> Option<Vec<&'a str>> {
    let (first, rest) = pattern.split_first()?;
    let mut s = s.strip_prefix(first)?;
    let mut out = Vec::new();
    for (i, lit) in rest.iter().enumerate() {
        if i + 1 == rest.len() {
            let v = s.strip_suffix(lit)?;
            out.push(v);
            s = "";
        } else {
            let at = s.find(lit)?;
            out.push(&s[..at]);
            s = &s[at + lit.len()..];
        }
    }
    Some(out)
}

/// One line of a refused write ([`WriteError::Rejected`], written in
/// English by the registry's rules) said in Vietnamese, with unit ids shown
/// as codes.
fn vietnamese(line: &str, h: &Hierarchy) -> String {
    let unit = |id: &str| -> String {
        id.trim()
            .parse::<i64>()
            .ok()
            .and_then(|i| h.unit(ytcs_core::org::UnitId(i)))
            .map_or(id.to_string(), |u| format!("{} ({})", u.name, u.code))
    };
    let place = |w: &str| -> String {
        if let Some(c) = w.strip_prefix("facility ") {
            format!("cơ sở {c}")
        } else if let Some(v) = w.strip_prefix("village unit ") {
            format!("thôn {}", unit(v))
        } else {
            w.to_string()
        }
    };
    let sex = |s: &str| {
        s.parse::<Sex>()
            .map_or(s.to_string(), |x| x.name_vi().to_lowercase())
    };
    if let Some(c) = captures(
        line,
        &[
            "facility ",
            " is registered twice with overlapping validity",
        ],
    ) {
        return format!(
            "Cơ sở {} đã được đăng ký với thời gian hoạt động trùng nhau.",
            c[0]
        );
    }
    if let Some(c) = captures(line, &["facility ", ": ", " beds is negative"]) {
        return format!("Cơ sở {}: số giường {} là số âm.", c[0], c[1]);
    }
    if let Some(c) = captures(
        line,
        &[
            "facility ",
            ": share of technical services ",
            " is outside 0–100 %",
        ],
    ) {
        return format!(
            "Cơ sở {}: tỷ lệ danh mục kỹ thuật {} nằm ngoài 0–100 %.",
            c[0], c[1]
        );
    }
    if let Some(c) = captures(
        line,
        &[
            "facility ",
            " is attached to two units at once (validity ",
            " and ",
            " overlap)",
        ],
    ) {
        return format!(
            "Cơ sở {} trực thuộc hai đơn vị cùng lúc (thời gian {} và {} trùng nhau).",
            c[0], c[1], c[2]
        );
    }
    if let Some(c) = captures(line, &["staff member ", " is registered twice"]) {
        return format!("Nhân viên {} đã được đăng ký.", c[0]);
    }
    if let Some(c) = captures(
        line,
        &[
            "staff member ",
            " holds two permanent posts at once (",
            " during ",
            ", ",
            " during ",
            ")",
        ],
    ) {
        return format!(
            "Nhân viên {} có hai vị trí biên chế cùng lúc: {} ({}) và {} ({}).",
            c[0],
            place(c[1]),
            c[2],
            place(c[3]),
            c[4]
        );
    }
    if let Some(c) = captures(
        line,
        &[
            "population of unit ",
            ", ",
            ", ",
            ", ",
            ": ",
            " is negative",
        ],
    ) {
        return format!(
            "Dân số của {}, năm {}, {}, nhóm tuổi {}: {} là số âm.",
            unit(c[0]),
            c[1],
            sex(c[2]),
            c[3],
            c[4]
        );
    }
    if let Some(c) = captures(
        line,
        &["population of unit ", ", ", ", ", ", ", " is given twice"],
    ) {
        return format!(
            "Dân số của {}, năm {}, {}, nhóm tuổi {} đã có; mỗi ô chỉ nhập một lần.",
            unit(c[0]),
            c[1],
            sex(c[2]),
            c[3]
        );
    }
    if let Some((what, rest)) = line.split_once(" names unknown ") {
        let (kind, code) = rest.rsplit_once(' ').unwrap_or((rest, ""));
        let kind = match kind {
            "facility" => "cơ sở",
            "unit" => "đơn vị",
            "staff member" => "nhân viên",
            other => other,
        };
        return format!("Không có {kind} mã {code} (được nhắc đến trong: {what}).");
    }
    if let Some(rest) = line.strip_prefix("the hierarchy would be inconsistent: ") {
        return format!("Cây đơn vị hành chính sẽ không còn nhất quán: {rest}.");
    }
    format!("Dữ liệu bị từ chối: {line}")
}

// ---- Templates --------------------------------------------------------------

/// `GET /network/templates/{table}.{csv|xlsx}`: a blank import table with
/// its Vietnamese headers and an example row, as a download named in
/// Vietnamese (with an ASCII fallback for old clients).
pub(crate) async fn template(page: Page, Path(file): Path<String>) -> Response {
    let not_found = || error_page(&page, StatusCode::NOT_FOUND, |t| t.not_found);
    let Some((table, ext)) = file.rsplit_once('.') else {
        return not_found();
    };
    let Ok(table) = table.parse::<Table>() else {
        return not_found();
    };
    let (format, content_type) = match ext {
        "csv" => (Format::Csv, "text/csv; charset=utf-8"),
        "xlsx" => (
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => return not_found(),
    };
    let bytes = match ytcs_registry::template(table, format) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            return error_page(&page, StatusCode::INTERNAL_SERVER_ERROR, |t| t.server_error);
        }
    };
    let name = format!(
        "Mẫu nhập {}.{ext}",
        table_label(Lang::Vi.network(), table).to_lowercase()
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, content_disposition(&name)),
            (header::CACHE_CONTROL, "no-cache".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC
/// 6266): the ASCII name drops diacritics (`Mẫu nhập dân số.csv` →
/// `mau-nhap-dan-so.csv`).
fn content_disposition(name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let ascii: String = ytcs_core::text::fold(stem)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let ascii = ascii.trim_matches('-').to_string();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}.{ext}\"; filename*=UTF-8''{encoded}")
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(
            M::GET,
            "/org/{code}/network",
            Need::Signed(Read),
            unit_network,
        ),
        r(
            M::POST,
            "/org/{code}/network/{form}",
            Need::Signed(ManageNetwork),
            save,
        ),
        r(
            M::GET,
            "/network/templates/{file}",
            Need::Signed(Read),
            template,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_file_name_drops_diacritics() {
        assert_eq!(
            content_disposition("Mẫu nhập dân số.csv"),
            "attachment; filename=\"mau-nhap-dan-so.csv\"; filename*=UTF-8''M%E1%BA%ABu%20nh%E1%BA%ADp%20d%C3%A2n%20s%E1%BB%91.csv"
        );
    }

    #[test]
    fn captures_split_along_literals() {
        assert_eq!(
            captures(
                "facility X: -3 beds is negative",
                &["facility ", ": ", " beds is negative"]
            ),
            Some(vec!["X", "-3"])
        );
        assert_eq!(captures("other", &["facility ", " x"]), None);
    }
}
