//! The commune station's registers on the web (#6): finding persons,
//! registering a person (and their household), the personal health record
//! of QĐ 831 with its timeline, recording events, the printable commune
//! registers and the due lists.
//!
//! Every read of a person's record is personal data: it needs
//! `ReadPersonal` on the person's commune and is written to the audit log.
//! Every write goes through `ytcs_engine::registers::save` (checked, all
//! or nothing, with the indicator values it implies).
//!
//! `/persons` searches; `/persons/new` registers, with the duplicate
//! warning — a newborn's registration records the birth (mother, weight,
//! place, screening) and ends the mother's open pregnancy in the same
//! save, so the live birth counts at once and her record lists the child;
//! `/persons/{id}` is the record in QĐ 831's four parts, the timeline and
//! one small form per kind of event; `/registers` the printable commune
//! registers (each row a link to the record); `/registers/due` the due
//! doses and overdue follow-ups. Texts are `RegisterTexts`. Every list of
//! a commune's persons or events covers its `held_communes`, and an event
//! recorded today on a person of a merged commune is recorded by the
//! commune holding it (`derive::place`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use ytcs_core::access::{Action, Decision, Role};
use ytcs_core::audit::{AuditAction, ObjectKind};
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::network::Sex;
use ytcs_core::org::{OrgCode, OrgKind, OrgUnit, UnitId};
use ytcs_core::register::age::months_on;
use ytcs_core::register::derive::{held_communes, place};
use ytcs_core::register::{
    age_on, check_mother, controlled, epi, growth_z, looks_like_duplicate, BirthPlace, Death,
    Event, EventKind, HistoryItem, HistoryKind, Household, InsuranceCard, Move, Ncd, Person,
    PregnancyOutcome, ETHNIC_GROUPS,
};
use ytcs_core::Date;
use ytcs_engine::registers::{save, standards, SaveError};
use ytcs_store::registers::{PersonQuery, PersonRecord, RegisterBatch};

use crate::app::auth::{Current, User};
use crate::app::i18n::{Lang, RegisterTexts};
use crate::app::page::{error_page, render, server_error, Chrome, Page, PageError};
use crate::app::AppState;

/// At most this many persons in a search.
const SEARCH_LIMIT: i64 = 200;

use ytcs_core::format::date as dmy;

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map(|s| s.trim()).unwrap_or("")
}

fn sex_name(lang: Lang, s: Sex) -> &'static str {
    lang.pick(s.name_vi(), s.name_en())
}

fn vaccine_name(lang: Lang, code: &str) -> String {
    match epi::vaccine(code) {
        Some(v) => lang.pick(v.name_vi.to_string(), v.name_en.to_string()),
        None => code.to_string(),
    }
}

/// Whether the user may do `action` on the unit `id`.
fn may(h: &Hierarchy, me: &Current, action: Action, id: UnitId, at: Date) -> bool {
    crate::app::auth::decide(h, me, action, id, at) == Decision::Allow
}

fn unit_name(h: &Hierarchy, id: UnitId) -> String {
    h.unit(id).map(|u| u.name.clone()).unwrap_or_default()
}

fn unit_code(h: &Hierarchy, id: UnitId) -> String {
    h.unit(id)
        .map(|u| u.code.as_str().to_string())
        .unwrap_or_default()
}

/// A unit named by the `org` parameter, on `today`.
fn org_unit<'h>(h: &'h Hierarchy, org: &str, today: Date) -> Option<&'h OrgUnit> {
    let code = OrgCode::parse(org.trim()).ok()?;
    h.unit_at(&code, today)
}

/// The communes whose persons the user may read, under `org` or the user's
/// scope (`None`: every commune, for an administrator without scope).
#[allow(clippy::result_large_err)]
fn readable_communes(
    h: &Hierarchy,
    me: &Current,
    org: Option<&str>,
    today: Date,
    page: &Page,
) -> Result<Option<Vec<UnitId>>, Response> {
    if let Some(org) = org.map(str::trim).filter(|s| !s.is_empty()) {
        let Some(u) = org_unit(h, org, today) else {
            return Err(error_page(page, StatusCode::NOT_FOUND, |t| {
                t.unit_not_found
            }));
        };
        if !may(h, me, Action::ReadPersonal, u.id, today) {
            return Err(crate::app::auth::forbidden(page));
        }
        return Ok(Some(held_communes(
            h,
            &h.communes_under(u.id, today).iter().map(|c| c.id).collect(),
            today,
        )));
    }
    if me.principal.scope.is_empty() {
        return Ok(if me.principal.role == Role::Admin {
            None
        } else {
            Some(vec![])
        });
    }
    let mut all = BTreeSet::new();
    for code in &me.principal.scope {
        if let Some(u) = h.unit_at(code, today) {
            all.extend(h.communes_under(u.id, today).iter().map(|c| c.id));
        }
    }
    Ok(Some(held_communes(h, &all, today)))
}

/// The communes whose persons `commune` holds today: itself and those
/// merged into it ([`held_communes`]).
fn held_by(h: &Hierarchy, commune: UnitId, today: Date) -> Vec<UnitId> {
    held_communes(h, &BTreeSet::from([commune]), today)
}

/// A person's recorded commune, and the commune that holds it today when
/// it ended (`Phường Nguyễn Nghiêm (21025), nay thuộc Phường Cẩm Thành
/// (21025)`).
fn commune_today(h: &Hierarchy, r: &RegisterTexts, commune: UnitId, today: Date) -> String {
    let named = |u: UnitId| format!("{} ({})", unit_name(h, u), unit_code(h, u));
    match place(h, commune, today).filter(|x| *x != commune) {
        Some(holder) => format!("{}, {} {}", named(commune), r.now_part_of, named(holder)),
        None => named(commune),
    }
}

/// The user's commune, when the scope is one commune (a station's staff).
fn own_commune(h: &Hierarchy, me: &Current, today: Date) -> Option<String> {
    match me.principal.scope.as_slice() {
        [code] => h
            .unit_at(code, today)
            .filter(|u| u.kind == OrgKind::Commune)
            .map(|u| u.code.as_str().to_string()),
        _ => None,
    }
}

async fn hierarchy(st: &AppState, page: &Page) -> Result<Hierarchy, Response> {
    st.store
        .hierarchy()
        .await
        .map_err(|e| server_error(page, e))
}

// ---------------------------------------------------------------- search

#[derive(Deserialize, Default)]
pub(crate) struct SearchQuery {
    org: Option<String>,
    q: Option<String>,
    year: Option<String>,
    household: Option<String>,
}

struct PersonRow {
    id: i64,
    name: String,
    sex: &'static str,
    birth: String,
    village: String,
    household: String,
    commune: String,
}

#[derive(Template)]
#[template(path = "persons.html")]
struct PersonsPage {
    c: Chrome,
    r: &'static RegisterTexts,
    org: String,
    q: String,
    year: String,
    household: String,
    searched: bool,
    rows: Vec<PersonRow>,
    error: String,
}

/// `GET /persons?org=&q=&year=&household=`: persons living in communes the
/// user may read personally.
pub(crate) async fn search(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let h = hierarchy(&st, &page).await?;
    let communes = readable_communes(&h, &me, q.org.as_deref(), today, &page)?;
    let r = lang.registers();
    let name = q.q.clone().unwrap_or_default().trim().to_string();
    let year_s = q.year.clone().unwrap_or_default().trim().to_string();
    let hh = q.household.clone().unwrap_or_default().trim().to_string();
    let mut error = String::new();
    let birth_year = if year_s.is_empty() {
        None
    } else {
        match year_s.parse::<i32>() {
            Ok(y) if (1900..=2100).contains(&y) => Some(y),
            _ => {
                error = r.bad_year.to_string();
                None
            }
        }
    };
    let searched = !name.is_empty() || birth_year.is_some() || !hh.is_empty();
    let mut rows = vec![];
    let empty_scope = communes.as_ref().is_some_and(|c| c.is_empty());
    if searched && error.is_empty() && !empty_scope {
        let query = PersonQuery {
            communes,
            name: Some(name.clone()).filter(|s| !s.is_empty()),
            birth_year,
            household: None,
            household_number: Some(hh.clone()).filter(|s| !s.is_empty()),
            limit: SEARCH_LIMIT,
        };
        let persons = st.store.search_persons(&query).await?;
        // Household numbers: the households of the (few) communes found.
        let found: BTreeSet<UnitId> = persons.iter().map(|p| p.commune).collect();
        let mut numbers: HashMap<i64, String> = HashMap::new();
        if found.len() <= 10 {
            for c in found {
                let list = st.store.households(c).await?;
                numbers.extend(list.into_iter().map(|x| (x.id, x.number)));
            }
        }
        rows = persons
            .into_iter()
            .map(|p| PersonRow {
                id: p.id,
                sex: sex_name(lang, p.sex),
                birth: dmy(p.birth_date),
                household: p
                    .household
                    .map(|id| {
                        numbers
                            .get(&id)
                            .cloned()
                            .unwrap_or_else(|| format!("#{id}"))
                    })
                    .unwrap_or_default(),
                commune: unit_name(&h, p.commune),
                village: p.village,
                name: p.full_name,
            })
            .collect();
    }
    Ok(render(&PersonsPage {
        c: Chrome::new(&page, "records"),
        r,
        org: q.org.unwrap_or_default(),
        q: name,
        year: year_s,
        household: hh,
        searched,
        rows,
        error,
    }))
}

// ------------------------------------------------------------ new person

#[derive(Deserialize, Default)]
pub(crate) struct OrgQuery {
    org: Option<String>,
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPersonPage {
    c: Chrome,
    r: &'static RegisterTexts,
    /// The commune's code and name (empty: choose one first).
    org: String,
    commune: String,
    v: HashMap<String, String>,
    ethnic_groups: &'static [&'static str],
    birth_places: Vec<(&'static str, &'static str)>,
    err_field: String,
    err_msg: String,
    duplicates: Vec<PersonRow>,
}

/// The places of birth to choose from, in the page's language.
fn birth_places(lang: Lang) -> Vec<(&'static str, &'static str)> {
    BirthPlace::ALL
        .iter()
        .map(|b| (b.as_str(), lang.pick(b.name_vi(), b.name_en())))
        .collect()
}

impl NewPersonPage {
    fn is_known_field(&self) -> bool {
        [
            "org",
            "full_name",
            "sex",
            "birth_date",
            "ethnicity",
            "national_id",
            "card_number",
            "card_from",
            "card_to",
            "mother",
            "birth_weight",
        ]
        .contains(&self.err_field.as_str())
    }
    fn value(&self, name: &str) -> String {
        self.v.get(name).cloned().unwrap_or_default()
    }
    fn is_err(&self, name: &str) -> bool {
        self.err_field == name
    }
}

/// `GET /persons/new?org=CODE`: the registration form of a commune.
pub(crate) async fn new_form(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<OrgQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let h = hierarchy(&st, &page).await?;
    let mut view = NewPersonPage {
        c: Chrome::new(&page, "records"),
        r: lang.registers(),
        org: String::new(),
        commune: String::new(),
        v: HashMap::new(),
        ethnic_groups: &ETHNIC_GROUPS,
        birth_places: birth_places(lang),
        err_field: String::new(),
        err_msg: String::new(),
        duplicates: vec![],
    };
    let org = q
        .org
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| own_commune(&h, &me, today));
    if let Some(org) = org.as_deref() {
        let Some(u) = org_unit(&h, org, today).filter(|u| u.kind == OrgKind::Commune) else {
            view.org = org.trim().to_string();
            view.err_field = "org".into();
            view.err_msg = view.r.not_a_commune.into();
            return Ok(render(&view));
        };
        if !may(&h, &me, Action::EnterData, u.id, today) {
            return Ok(crate::app::auth::forbidden(&page));
        }
        view.org = u.code.as_str().to_string();
        view.commune = u.name.clone();
        view.v.insert("ethnicity".into(), "Kinh".into());
        view.v.insert("sex".into(), "female".into());
    }
    Ok(render(&view))
}

fn parse_date_field(
    r: &RegisterTexts,
    form: &HashMap<String, String>,
    name: &'static str,
    label: &str,
    required: bool,
) -> Result<Option<Date>, (String, String)> {
    let raw = field(form, name);
    if raw.is_empty() {
        return if required {
            Err((name.to_string(), (r.err_required)(label)))
        } else {
            Ok(None)
        };
    }
    crate::app::parse_user_date(raw)
        .map(Some)
        .ok_or_else(|| (name.to_string(), (r.err_bad_date)(label, raw)))
}

fn parse_number(
    r: &RegisterTexts,
    form: &HashMap<String, String>,
    name: &'static str,
    label: &str,
) -> Result<Option<f64>, (String, String)> {
    let raw = field(form, name);
    if raw.is_empty() {
        return Ok(None);
    }
    ytcs_core::plan::vn::parse_decimal(raw)
        .map(|d| Some(d.to_f64()))
        .or_else(|| raw.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some))
        .ok_or_else(|| (name.to_string(), (r.err_bad_number)(label, raw)))
}

/// The field of a form a save error names (the engine's field names mapped
/// to the form's).
fn form_field(e: &SaveError) -> String {
    match e {
        SaveError::Field { record, error } => {
            let f = error.field;
            if record.starts_with("card") {
                match f {
                    "valid_from" => "card_from".into(),
                    "valid_to" => "card_to".into(),
                    other => other.into(),
                }
            } else if record.starts_with("move") {
                "to".into()
            } else if f == "weight_g" {
                "birth_weight".into()
            } else {
                f.into()
            }
        }
        _ => String::new(),
    }
}

/// `POST /persons`: registers a person (and a new household), with the
/// duplicate warning first.
pub(crate) async fn create(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let h = hierarchy(&st, &page).await?;
    let Some(u) = org_unit(&h, field(&form, "org"), today)
        .filter(|u| u.kind == OrgKind::Commune)
        .cloned()
    else {
        return Err(PageError::Status(StatusCode::NOT_FOUND, |t| {
            t.unit_not_found
        }));
    };
    crate::app::auth::require_unit(&st, &me, Action::EnterData, &u.code, today, &page).await?;
    let mut v = form.clone();
    v.remove("_csrf");
    let mut view = NewPersonPage {
        c: Chrome::new(&page, "records"),
        r: lang.registers(),
        org: u.code.as_str().to_string(),
        commune: u.name.clone(),
        v,
        ethnic_groups: &ETHNIC_GROUPS,
        birth_places: birth_places(lang),
        err_field: String::new(),
        err_msg: String::new(),
        duplicates: vec![],
    };
    let refuse = |mut view: NewPersonPage, (f, m): (String, String)| {
        view.err_field = f;
        view.err_msg = m;
        let mut resp = render(&view);
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        resp
    };
    let batch = match registration(&st, &h, &me, &page, &form, u.id, today).await? {
        Ok(batch) => batch,
        Err(Refusal::Field(e)) => return Ok(refuse(view, e)),
        Err(Refusal::Duplicates(dups)) => {
            view.duplicates = dups
                .into_iter()
                .map(|p| PersonRow {
                    id: p.id,
                    sex: sex_name(lang, p.sex),
                    birth: dmy(p.birth_date),
                    household: String::new(),
                    commune: unit_name(&h, p.commune),
                    village: p.village,
                    name: p.full_name,
                })
                .collect();
            let mut resp = render(&view);
            *resp.status_mut() = StatusCode::CONFLICT;
            return Ok(resp);
        }
        Err(Refusal::Response(resp)) => return Ok(resp),
    };
    let map = match save(st.store.as_ref(), &h, &batch, &me.account.username, today).await {
        Ok(map) => map,
        Err(SaveError::Store(e)) => return Err(e.into()),
        Err(e) => return Ok(refuse(view, (form_field(&e), e.vi()))),
    };
    let id = map.persons.get(&-1).copied().unwrap_or(-1);
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Create,
        ObjectKind::Person,
        &id.to_string(),
    )
    .unit(u.code.as_str())
    .after(created(&batch, &map, id))
    .record(&st)
    .await;
    Ok(Redirect::to(&format!("/persons/{id}")).into_response())
}

/// Why a registration form is sent back.
enum Refusal {
    /// A field (name, message) is wrong.
    Field((String, String)),
    /// The person seems registered already (and the form did not confirm
    /// that this is someone else).
    Duplicates(Vec<Person>),
    /// A response made already (the policy refused the mother's record).
    Response(Response),
}

/// The batch a registration form asks to write: the person (with a new
/// household and card when asked), and, for a newborn, the birth and the
/// mother's pregnancy closed by it; else why the form goes back.
async fn registration(
    st: &AppState,
    h: &Hierarchy,
    me: &Current,
    page: &Page,
    form: &HashMap<String, String>,
    commune: UnitId,
    today: Date,
) -> Result<Result<RegisterBatch, Refusal>, PageError> {
    let households = st.store.households(commune).await?;
    let r = page.lang.registers();
    let (mut person, household, card) = match build_person(r, form, commune, today, &households) {
        Ok(x) => x,
        Err(e) => return Ok(Err(Refusal::Field(e))),
    };
    let birth = if field(form, "newborn").is_empty() {
        None
    } else {
        match newborn(st, h, me, page, form, &mut person, commune, today).await {
            Ok(b) => Some(b),
            Err(Ok(e)) => return Ok(Err(Refusal::Field(e))),
            Err(Err(resp)) => return Ok(Err(Refusal::Response(resp))),
        }
    };
    if field(form, "confirm_duplicate") != "1" {
        let dups = likely_duplicates(st, h, commune, &person, today).await?;
        if !dups.is_empty() {
            return Ok(Err(Refusal::Duplicates(dups)));
        }
    }
    let (birth_event, closed) = birth.unwrap_or_default();
    Ok(Ok(RegisterBatch {
        households: household.into_iter().collect(),
        persons: vec![person],
        cards: card.into_iter().collect(),
        events: birth_event.into_iter().chain(closed).collect(),
        ..RegisterBatch::default()
    }))
}

/// Persons already registered in the communes `commune` holds whom
/// `person` looks like (a citizen id already registered is refused by
/// the save itself).
async fn likely_duplicates(
    st: &AppState,
    h: &Hierarchy,
    commune: UnitId,
    person: &Person,
    today: Date,
) -> Result<Vec<Person>, ytcs_store::StoreError> {
    let q = PersonQuery {
        communes: Some(held_by(h, commune, today)),
        name: Some(person.full_name.clone()),
        limit: 50,
        ..PersonQuery::default()
    };
    Ok(st
        .store
        .search_persons(&q)
        .await?
        .into_iter()
        .filter(|p| looks_like_duplicate(person, p))
        .collect())
}

/// What a registration created, for the audit log: the person (with the
/// id `id` given), the household and card when new, the birth events.
fn created(
    batch: &RegisterBatch,
    map: &ytcs_store::registers::IdMap,
    id: i64,
) -> serde_json::Value {
    let mut after = serde_json::json!({ "person": batch.persons[0] });
    after["person"]["id"] = id.into();
    if let Some(hh) = batch.households.first() {
        after["household"] = serde_json::json!(hh);
        after["household"]["id"] = map.households.get(&hh.id).copied().into();
    }
    if let Some(c) = batch.cards.first() {
        after["card"] = serde_json::json!(c);
    }
    if !batch.events.is_empty() {
        after["events"] = serde_json::json!(batch.events);
    }
    after
}

type Built = (Person, Option<Household>, Option<InsuranceCard>);

/// The birth of a newborn registered at the station (`newborn=1`): the
/// child's birth event (mother, weight, place, screening) and, when the
/// mother has a pregnancy still open, that pregnancy ended by a live birth
/// on the day — saved with the child, so the live birth counts at once.
/// The child is registered from birth. `Err(Ok(field, message))` names the
/// field; `Err(Err(response))` is a failed read.
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
async fn newborn(
    st: &AppState,
    h: &Hierarchy,
    me: &Current,
    page: &Page,
    form: &HashMap<String, String>,
    child: &mut Person,
    commune: UnitId,
    today: Date,
) -> Result<(Option<Event>, Option<Event>), Result<(String, String), Response>> {
    let lang = page.lang;
    let r = lang.registers();
    let birth = child.birth_date;
    if age_on(birth, today) >= 1 {
        return Err(Ok(("birth_date".into(), r.err_newborn_age.into())));
    }
    child.registered_on = birth;
    let raw = field(form, "mother");
    let bad_mother = || ("mother".to_string(), (r.err_mother)(raw));
    let mut closed = None;
    let mother = if raw.is_empty() {
        None
    } else {
        let Ok(id) = raw.trim_start_matches("/persons/").parse::<i64>() else {
            return Err(Ok(bad_mother()));
        };
        let rec = match st.store.person_record(id).await {
            Ok(Some(x)) => x,
            Ok(None) => return Err(Ok(bad_mother())),
            Err(e) => return Err(Err(server_error(page, e))),
        };
        let m = &rec.person;
        let fits =
            check_mother(m, birth).is_ok() && may(h, me, Action::ReadPersonal, m.commune, today);
        if !fits {
            return Err(Ok(bad_mother()));
        }
        closed = rec
            .events
            .iter()
            .filter(|e| e.date <= birth)
            .filter(|e| matches!(e.kind, EventKind::Pregnancy { ended: None, .. }))
            .max_by_key(|e| e.date)
            .map(|e| {
                let mut e = e.clone();
                if let EventKind::Pregnancy { ended, outcome, .. } = &mut e.kind {
                    *ended = Some(birth);
                    *outcome = Some(PregnancyOutcome::LiveBirth);
                }
                e
            });
        Some(id)
    };
    let event = Event {
        id: -2,
        person: child.id,
        date: birth,
        unit: commune,
        kind: EventKind::Birth {
            weight_g: parse_number(r, form, "birth_weight", r.birth_weight).map_err(Ok)?,
            screened: !field(form, "newborn_screened").is_empty(),
            mother,
            place: BirthPlace::ALL
                .iter()
                .copied()
                .find(|b| b.as_str() == field(form, "birth_place")),
        },
        flags: vec![],
    };
    Ok((Some(event), closed))
}

fn build_person(
    r: &RegisterTexts,
    form: &HashMap<String, String>,
    commune: UnitId,
    today: Date,
    households: &[Household],
) -> Result<Built, (String, String)> {
    let full_name = field(form, "full_name").to_string();
    if full_name.is_empty() {
        return Err(("full_name".into(), (r.err_required)(r.full_name)));
    }
    let sex = match field(form, "sex") {
        "male" => Sex::Male,
        "female" => Sex::Female,
        _ => return Err(("sex".into(), (r.err_required)(r.sex))),
    };
    let birth_date = parse_date_field(r, form, "birth_date", r.birth_date, true)?.unwrap_or(today);
    let village = field(form, "village").to_string();
    let number = field(form, "household_number");
    let (household_id, household) = if number.is_empty() {
        (None, None)
    } else if let Some(x) = households.iter().find(|x| x.number == number) {
        (Some(x.id), None)
    } else {
        (
            Some(-1),
            Some(Household {
                id: -1,
                commune,
                village: village.clone(),
                address: String::new(),
                number: number.to_string(),
            }),
        )
    };
    let person = Person {
        id: -1,
        full_name,
        sex,
        birth_date,
        ethnicity: field(form, "ethnicity").to_string(),
        national_id: Some(field(form, "national_id").to_string()).filter(|s| !s.is_empty()),
        household: household_id,
        commune,
        village,
        registered_on: today.max(birth_date),
        ehr_opened_on: (!field(form, "ehr").is_empty()).then_some(today),
        death: None,
    };
    let card = if field(form, "card_number").is_empty() {
        None
    } else {
        let from = parse_date_field(r, form, "card_from", r.card_from, true)?;
        let to = parse_date_field(r, form, "card_to", r.card_to, true)?;
        Some(InsuranceCard {
            id: -1,
            person: -1,
            number: field(form, "card_number").to_string(),
            valid_from: from.unwrap_or(today),
            valid_to: to.unwrap_or(today),
        })
    };
    Ok((person, household, card))
}

// ------------------------------------------------------------ the record

struct Line {
    cells: Vec<String>,
}

struct TimelineItem {
    date: String,
    kind: String,
    text: String,
    /// Growth classification (stunted, underweight, wasted), if any.
    growth: String,
    /// The plausibility warning is shown.
    flagged: bool,
    /// For NCD follow-ups: controlled or not.
    control: String,
}

/// A child on the mother's record.
struct BirthLine {
    id: i64,
    name: String,
    cells: Vec<String>,
}

struct Option2 {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    r: &'static RegisterTexts,
    id: i64,
    name: String,
    admin: Vec<(&'static str, String)>,
    cards: Vec<Line>,
    moves: Vec<Line>,
    history: Vec<Line>,
    immunizations: Vec<Line>,
    due: Vec<Line>,
    examinations: Vec<Line>,
    /// The births she gave (children of the register).
    births: Vec<BirthLine>,
    timeline: Vec<TimelineItem>,
    can_enter: bool,
    vaccines: Vec<Option2>,
    pregnancies: Vec<Option2>,
    history_kinds: Vec<Option2>,
    ncds: Vec<Option2>,
    outcomes: Vec<Option2>,
    today: String,
    /// The form that failed (its kind), the field and the message.
    err_kind: String,
    err_field: String,
    err_msg: String,
    is_error: bool,
    v: HashMap<String, String>,
    /// Which forms fit the person: pregnancy (a woman of 10 or over),
    /// growth (a child under 6), the check of the elderly (60 or over).
    show_pregnancy: bool,
    show_growth: bool,
    show_elderly: bool,
}

impl PersonPage {
    fn value(&self, kind: &str, name: &str) -> String {
        if self.err_kind == kind {
            self.v.get(name).cloned().unwrap_or_default()
        } else if name == "date" {
            self.today.clone()
        } else {
            String::new()
        }
    }
    fn is_err(&self, kind: &str, name: &str) -> bool {
        self.err_kind == kind && self.err_field == name
    }
}

fn describe(lang: Lang, e: &Event, pregnancy_dates: &HashMap<i64, Date>) -> String {
    let r = lang.registers();
    let num = |x: Option<f64>| {
        x.map(|v| {
            let s = format!("{v}");
            if lang == Lang::Vi {
                s.replace('.', ",")
            } else {
                s
            }
        })
        .unwrap_or_else(|| "—".into())
    };
    match &e.kind {
        EventKind::Immunization { vaccine, dose } => {
            format!("{} — {} {dose}", vaccine_name(lang, vaccine), r.d_dose)
        }
        EventKind::Measurement {
            weight_kg,
            height_cm,
            lying,
        } => format!(
            "{} {} kg, {} {} cm{}",
            r.d_weight,
            num(*weight_kg),
            r.d_height,
            num(*height_cm),
            if *lying { r.d_lying } else { "" }
        ),
        EventKind::NcdEnrolment { ncd } => format!("{}: {}", r.d_enrolled, ncd_name(lang, *ncd)),
        EventKind::NcdFollowUp {
            ncd,
            systolic,
            diastolic,
            glucose,
        } => {
            let mut s = ncd_name(lang, *ncd).to_string();
            if systolic.is_some() || diastolic.is_some() {
                s += &format!(", {} {}/{} mmHg", r.d_bp, num(*systolic), num(*diastolic));
            }
            if glucose.is_some() {
                s += &format!(", {} {} mmol/L", r.d_glucose, num(*glucose));
            }
            s
        }
        EventKind::Pregnancy {
            expected,
            ended,
            outcome,
            screened,
        } => {
            let mut s = format!("{} {}", r.d_expected, dmy(*expected));
            if let Some(d) = ended {
                s += &format!(", {} {}", r.d_ended, dmy(*d));
            }
            if let Some(o) = outcome {
                s += &format!(" ({})", lang.pick(o.name_vi(), o.name_en()));
            }
            if *screened {
                s += r.d_screened;
            }
            s
        }
        EventKind::AntenatalVisit { pregnancy } => format!(
            "{} {}",
            r.d_antenatal,
            pregnancy_dates
                .get(pregnancy)
                .map(|d| dmy(*d))
                .unwrap_or_else(|| format!("#{pregnancy}"))
        ),
        EventKind::Birth {
            weight_g, screened, ..
        } => format!(
            "{} {} g{}",
            r.d_birth_weight,
            num(*weight_g),
            if *screened { r.d_newborn_screened } else { "" }
        ),
        EventKind::ElderlyCheck => String::new(),
        EventKind::Examination { icd10, insured } => {
            format!("ICD-10 {icd10}{}", if *insured { r.d_insured } else { "" })
        }
    }
}

fn ncd_name(lang: Lang, n: Ncd) -> &'static str {
    lang.pick(n.name_vi(), n.name_en())
}

fn kind_label(r: &RegisterTexts, kind: &str) -> &'static str {
    match kind {
        "immunization" => r.k_immunization,
        "measurement" => r.k_measurement,
        "ncd_enrolment" => r.k_ncd_enrolment,
        "ncd_follow_up" => r.k_ncd_follow_up,
        "pregnancy" => r.k_pregnancy,
        "antenatal_visit" => r.k_antenatal_visit,
        "birth" => r.k_birth,
        "elderly_check" => r.k_elderly_check,
        "examination" => r.k_examination,
        "card" => r.k_card,
        "history" => r.k_history,
        "death" => r.k_death,
        _ => r.k_move,
    }
}

/// Stunted, underweight, wasted (and the z-scores) of a measurement.
fn growth_text(lang: Lang, e: &Event, p: &Person) -> String {
    let Some(z) = growth_z(standards(), e, p) else {
        return String::new();
    };
    let r = lang.registers();
    let f = |x: Option<f64>| {
        x.map(|v| format!("{v:.2}").replace('.', if lang == Lang::Vi { "," } else { "." }))
            .unwrap_or_else(|| "—".into())
    };
    let mut s = format!("HAZ {} · WAZ {} · WHZ {}", f(z.haz), f(z.waz), f(z.whz));
    let mut labels = vec![];
    if z.stunted() == Some(true) {
        labels.push(r.stunted);
    }
    if z.underweight() == Some(true) {
        labels.push(r.underweight);
    }
    if z.wasted() == Some(true) {
        labels.push(r.wasted);
    }
    if !labels.is_empty() {
        s += &format!(" — {}", labels.join(", "));
    }
    s
}

#[allow(clippy::too_many_arguments)]
async fn person_page(
    st: &AppState,
    page: &Page,
    h: &Hierarchy,
    me: &Current,
    rec: &PersonRecord,
    today: Date,
    err: Option<(String, String, String, HashMap<String, String>)>,
) -> Result<Response, PageError> {
    let p = &rec.person;
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Read,
        ObjectKind::Person,
        &p.id.to_string(),
    )
    .unit(unit_code(h, p.commune))
    .record(st)
    .await;
    // The children she gave birth to whom the user may read.
    let births: Vec<(Event, Person)> = st
        .store
        .births_to(p.id)
        .await?
        .into_iter()
        .filter(|(_, child)| may(h, me, Action::ReadPersonal, child.commune, today))
        .collect();
    let can_enter = may(h, me, Action::EnterData, p.commune, today);
    let view = person_view(page, h, rec, today, births, can_enter, err);
    let mut resp = render(&view);
    if view.is_error {
        *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(resp)
}

/// The page of a person's record: the administrative data, cards, moves,
/// history, immunizations and the doses due, examinations, the births
/// she gave, a timeline, and the forms that fit the person (refilled
/// after a refused one, `err`).
fn person_view(
    page: &Page,
    h: &Hierarchy,
    rec: &PersonRecord,
    today: Date,
    births: Vec<(Event, Person)>,
    can_enter: bool,
    err: Option<(String, String, String, HashMap<String, String>)>,
) -> PersonPage {
    let lang = page.lang;
    let r = lang.registers();
    let p = &rec.person;
    let mut admin = vec![
        (r.full_name, p.full_name.clone()),
        (r.sex, sex_name(lang, p.sex).to_string()),
        (r.birth_date, {
            let years = age_on(p.birth_date, today);
            if years < 2 {
                let months = months_on(p.birth_date, today);
                format!("{} ({months} {})", dmy(p.birth_date), r.months_old)
            } else {
                format!("{} ({years} {})", dmy(p.birth_date), r.years_old)
            }
        }),
        (r.ethnicity, p.ethnicity.clone()),
        (r.national_id, p.national_id.clone().unwrap_or_default()),
        (r.commune, commune_today(h, r, p.commune, today)),
        (r.village, p.village.clone()),
        (
            r.household_number,
            rec.household
                .as_ref()
                .map(|x| x.number.clone())
                .unwrap_or_default(),
        ),
        (r.registered_on, dmy(p.registered_on)),
        (
            r.ehr_opened_on,
            p.ehr_opened_on.map(dmy).unwrap_or_else(|| r.no.into()),
        ),
    ];
    if let Some(d) = &p.death {
        admin.push((
            r.death,
            format!("{} {}", dmy(d.date), d.cause.clone().unwrap_or_default()),
        ));
    }
    let cards = rec
        .cards
        .iter()
        .map(|c| Line {
            cells: vec![
                c.number.clone(),
                dmy(c.valid_from),
                dmy(c.valid_to),
                if c.valid_from <= today && today <= c.valid_to {
                    r.valid_today.into()
                } else {
                    r.not_valid_today.into()
                },
            ],
        })
        .collect();
    let place = |u: Option<UnitId>| {
        u.map(|u| format!("{} ({})", unit_name(h, u), unit_code(h, u)))
            .unwrap_or_else(|| r.outside.into())
    };
    let moves = rec
        .moves
        .iter()
        .map(|m| Line {
            cells: vec![dmy(m.date), place(m.from), place(m.to)],
        })
        .collect();
    let history = rec
        .history
        .iter()
        .map(|x| Line {
            cells: vec![
                dmy(x.noted_on),
                lang.pick(x.kind.name_vi(), x.kind.name_en()).to_string(),
                x.text.clone(),
            ],
        })
        .collect();
    let pregnancy_dates: HashMap<i64, Date> = rec
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Pregnancy { .. }))
        .map(|e| (e.id, e.date))
        .collect();
    let mut immunizations = vec![];
    let mut examinations = vec![];
    for e in &rec.events {
        match &e.kind {
            EventKind::Immunization { vaccine, dose } => immunizations.push(Line {
                cells: vec![vaccine_name(lang, vaccine), dose.to_string(), dmy(e.date)],
            }),
            _ => examinations.push(Line {
                cells: vec![
                    dmy(e.date),
                    kind_label(r, e.kind.name()).to_string(),
                    describe(lang, e, &pregnancy_dates),
                    unit_name(h, e.unit),
                ],
            }),
        }
    }
    let due = if p.death.is_none() {
        epi::due_doses(p.birth_date, &rec.events, today + chrono::Duration::days(7))
            .into_iter()
            .map(|d| Line {
                cells: vec![
                    vaccine_name(lang, d.vaccine),
                    d.dose.to_string(),
                    dmy(d.due_on),
                    if d.due_on < today {
                        r.overdue.into()
                    } else {
                        r.due_soon.into()
                    },
                ],
            })
            .collect()
    } else {
        vec![]
    };
    let births: Vec<BirthLine> = births
        .into_iter()
        .map(|(e, child)| {
            let (weight, place) = match &e.kind {
                EventKind::Birth {
                    weight_g, place, ..
                } => (
                    weight_g.map(|w| format!("{w}")).unwrap_or_default(),
                    place
                        .map(|b| lang.pick(b.name_vi(), b.name_en()))
                        .unwrap_or_default()
                        .to_string(),
                ),
                _ => Default::default(),
            };
            BirthLine {
                id: child.id,
                name: child.full_name,
                cells: vec![dmy(e.date), weight, place],
            }
        })
        .collect();
    let timeline: Vec<TimelineItem> = rec
        .events
        .iter()
        .rev()
        .map(|e| TimelineItem {
            date: dmy(e.date),
            kind: kind_label(r, e.kind.name()).to_string(),
            text: describe(lang, e, &pregnancy_dates),
            growth: growth_text(lang, e, p),
            flagged: !e.flags.is_empty(),
            control: match controlled(&e.kind) {
                Some(true) => r.controlled.into(),
                Some(false) => r.not_controlled.into(),
                None => String::new(),
            },
        })
        .collect();
    let opt = |value: &str, label: &str| Option2 {
        value: value.into(),
        label: label.into(),
    };
    let (err_kind, err_field, err_msg, v) = err.unwrap_or_default();
    PersonPage {
        c: Chrome::new(page, "records"),
        r,
        id: p.id,
        name: p.full_name.clone(),
        admin,
        cards,
        moves,
        history,
        immunizations,
        due,
        examinations,
        births,
        timeline,
        can_enter,
        vaccines: epi::VACCINES
            .iter()
            .map(|v| opt(v.code, &vaccine_name(lang, v.code)))
            .collect(),
        pregnancies: rec
            .events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Pregnancy { .. }))
            .map(|e| opt(&e.id.to_string(), &describe(lang, e, &pregnancy_dates)))
            .collect(),
        history_kinds: HistoryKind::ALL
            .iter()
            .map(|k| opt(k.as_str(), lang.pick(k.name_vi(), k.name_en())))
            .collect(),
        ncds: Ncd::ALL
            .iter()
            .map(|n| opt(n.as_str(), ncd_name(lang, *n)))
            .collect(),
        outcomes: PregnancyOutcome::ALL
            .iter()
            .map(|o| opt(o.as_str(), lang.pick(o.name_vi(), o.name_en())))
            .collect(),
        today: dmy(today),
        show_pregnancy: p.sex == Sex::Female && age_on(p.birth_date, today) >= 10,
        show_growth: age_on(p.birth_date, today) < 6,
        show_elderly: age_on(p.birth_date, today) >= 60,
        is_error: !err_kind.is_empty(),
        err_kind,
        err_field,
        err_msg,
        v,
    }
}

/// The record, if it exists and the user may read it.
#[allow(clippy::result_large_err, clippy::too_many_arguments)]
async fn readable_record(
    st: &AppState,
    page: &Page,
    h: &Hierarchy,
    me: &Current,
    id: &str,
    action: Action,
    today: Date,
) -> Result<PersonRecord, Response> {
    let not_found = || error_page(page, StatusCode::NOT_FOUND, |t| t.not_found);
    let Ok(id) = id.parse::<i64>() else {
        return Err(not_found());
    };
    let rec = match st.store.person_record(id).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(not_found()),
        Err(e) => return Err(server_error(page, e)),
    };
    // A person the user may not read answers as one that does not exist,
    // so ids cannot be probed.
    if !may(h, me, Action::ReadPersonal, rec.person.commune, today) {
        return Err(not_found());
    }
    if !may(h, me, action, rec.person.commune, today) {
        return Err(crate::app::auth::forbidden(page));
    }
    Ok(rec)
}

/// `GET /persons/{id}`: the health record, each view in the audit log.
pub(crate) async fn show(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let today = (st.today)();
    let h = hierarchy(&st, &page).await?;
    Ok(
        match readable_record(&st, &page, &h, &me, &id, Action::ReadPersonal, today).await {
            Ok(rec) => person_page(&st, &page, &h, &me, &rec, today, None).await?,
            Err(r) => r,
        },
    )
}

/// What one event form writes.
struct Write {
    batch: RegisterBatch,
    action: AuditAction,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
}

fn build_event(
    r: &RegisterTexts,
    form: &HashMap<String, String>,
    h: &Hierarchy,
    rec: &PersonRecord,
    kind: &str,
    today: Date,
) -> Result<Write, (String, String)> {
    let p = &rec.person;
    let date = parse_date_field(r, form, "date", r.date, true)?.unwrap_or(today);
    let flag = |name: &str| !field(form, name).is_empty();
    // Recorded by the station of the commune that holds the person's on
    // the day (a commune merged in 2025 is recorded by its successor).
    let new_event = |k: EventKind| Event {
        id: -1,
        person: p.id,
        date,
        unit: place(h, p.commune, date).unwrap_or(p.commune),
        kind: k,
        flags: vec![],
    };
    let event = |e: Event| {
        let after = serde_json::json!(e);
        Write {
            batch: RegisterBatch {
                events: vec![e],
                ..RegisterBatch::default()
            },
            action: AuditAction::Create,
            before: None,
            after,
        }
    };
    let ncd = || match field(form, "ncd") {
        "diabetes" => Ncd::Diabetes,
        _ => Ncd::Hypertension,
    };
    Ok(match kind {
        "immunization" => {
            let dose = field(form, "dose")
                .parse::<u8>()
                .map_err(|_| ("dose".to_string(), r.err_dose.to_string()))?;
            event(new_event(EventKind::Immunization {
                vaccine: field(form, "vaccine").to_string(),
                dose,
            }))
        }
        "measurement" => event(new_event(EventKind::Measurement {
            weight_kg: parse_number(r, form, "weight_kg", r.weight)?,
            height_cm: parse_number(r, form, "height_cm", r.height)?,
            lying: flag("lying"),
        })),
        "ncd_enrolment" => event(new_event(EventKind::NcdEnrolment { ncd: ncd() })),
        "ncd_follow_up" => event(new_event(EventKind::NcdFollowUp {
            ncd: ncd(),
            systolic: parse_number(r, form, "systolic", r.systolic)?,
            diastolic: parse_number(r, form, "diastolic", r.diastolic)?,
            glucose: parse_number(r, form, "glucose", r.col_glucose)?,
        })),
        "pregnancy" => {
            let expected =
                parse_date_field(r, form, "expected", r.col_expected, true)?.unwrap_or(today);
            let ended = parse_date_field(r, form, "ended", r.ended, false)?;
            let outcome = PregnancyOutcome::ALL
                .iter()
                .copied()
                .find(|o| o.as_str() == field(form, "outcome"));
            let kind = EventKind::Pregnancy {
                expected,
                ended,
                outcome,
                screened: flag("screened"),
            };
            // Updating a registered pregnancy (its end, outcome, screening).
            let existing = field(form, "pregnancy")
                .parse::<i64>()
                .ok()
                .and_then(|id| rec.events.iter().find(|e| e.id == id));
            match existing {
                Some(old) => {
                    let mut e = old.clone();
                    e.kind = kind;
                    Write {
                        after: serde_json::json!(e),
                        before: Some(serde_json::json!(old)),
                        batch: RegisterBatch {
                            events: vec![e],
                            ..RegisterBatch::default()
                        },
                        action: AuditAction::Update,
                    }
                }
                None => event(new_event(kind)),
            }
        }
        "antenatal_visit" => {
            let pregnancy = field(form, "pregnancy")
                .parse::<i64>()
                .map_err(|_| ("pregnancy".to_string(), r.err_no_pregnancy.to_string()))?;
            event(new_event(EventKind::AntenatalVisit { pregnancy }))
        }
        "elderly_check" => event(new_event(EventKind::ElderlyCheck)),
        "examination" => event(new_event(EventKind::Examination {
            icd10: field(form, "icd10").to_string(),
            insured: flag("insured"),
        })),
        "card" => {
            let from = parse_date_field(r, form, "card_from", r.card_from, true)?;
            let to = parse_date_field(r, form, "card_to", r.card_to, true)?;
            let c = InsuranceCard {
                id: -1,
                person: p.id,
                number: field(form, "card_number").to_string(),
                valid_from: from.unwrap_or(today),
                valid_to: to.unwrap_or(today),
            };
            Write {
                after: serde_json::json!({ "card": c }),
                batch: RegisterBatch {
                    cards: vec![c],
                    ..RegisterBatch::default()
                },
                action: AuditAction::Create,
                before: None,
            }
        }
        "history" => {
            let text = field(form, "text").to_string();
            if text.is_empty() {
                return Err(("text".into(), (r.err_required)(r.col_text)));
            }
            let kind = HistoryKind::ALL
                .iter()
                .copied()
                .find(|k| k.as_str() == field(form, "history_kind"))
                .unwrap_or(HistoryKind::Personal);
            let x = HistoryItem {
                id: -1,
                person: p.id,
                kind,
                text,
                noted_on: date,
            };
            Write {
                after: serde_json::json!({ "history": x }),
                batch: RegisterBatch {
                    history: vec![x],
                    ..RegisterBatch::default()
                },
                action: AuditAction::Create,
                before: None,
            }
        }
        "death" => {
            let mut np = p.clone();
            np.death = Some(Death {
                date,
                cause: Some(field(form, "cause").to_string()).filter(|s| !s.is_empty()),
            });
            Write {
                before: Some(serde_json::json!({ "person": p })),
                after: serde_json::json!({ "person": np }),
                batch: RegisterBatch {
                    persons: vec![np],
                    ..RegisterBatch::default()
                },
                action: AuditAction::Update,
            }
        }
        "move" => {
            let to = org_unit(h, field(form, "to"), date)
                .filter(|u| u.kind == OrgKind::Commune && u.id != p.commune)
                .ok_or_else(|| ("to".to_string(), (r.err_bad_commune)(field(form, "to"))))?;
            let m = Move {
                id: -1,
                person: p.id,
                date,
                from: Some(p.commune),
                to: Some(to.id),
            };
            let mut np = p.clone();
            np.commune = to.id;
            Write {
                before: Some(serde_json::json!({ "person": p })),
                after: serde_json::json!({ "person": np, "move": m }),
                batch: RegisterBatch {
                    persons: vec![np],
                    moves: vec![m],
                    ..RegisterBatch::default()
                },
                action: AuditAction::Update,
            }
        }
        _ => return Err(("kind".into(), r.err_bad_kind.into())),
    })
}

/// `POST /persons/{id}/events`: records an event (or a card, a history
/// line, a death, a move) on the person; all or nothing.
pub(crate) async fn add_event(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let h = hierarchy(&st, &page).await?;
    let rec = readable_record(&st, &page, &h, &me, &id, Action::EnterData, today).await?;
    let kind = field(&form, "kind").to_string();
    let mut v = form.clone();
    v.remove("_csrf");
    let w = match build_event(lang.registers(), &form, &h, &rec, &kind, today) {
        Ok(w) => w,
        Err((f, m)) => {
            return person_page(&st, &page, &h, &me, &rec, today, Some((kind, f, m, v))).await
        }
    };
    Ok(
        match save(st.store.as_ref(), &h, &w.batch, &me.account.username, today).await {
            Ok(_) => {
                let mut ev = crate::app::audit::event(
                    &me.account.username,
                    w.action,
                    ObjectKind::Person,
                    &rec.person.id.to_string(),
                )
                .unit(unit_code(&h, rec.person.commune))
                .detail(kind)
                .after(w.after);
                if let Some(b) = w.before {
                    ev = ev.before(b);
                }
                ev.record(&st).await;
                Redirect::to(&format!("/persons/{}#timeline", rec.person.id)).into_response()
            }
            Err(SaveError::Store(e)) => server_error(&page, e),
            Err(e) => {
                let f = form_field(&e);
                person_page(&st, &page, &h, &me, &rec, today, Some((kind, f, e.vi(), v))).await?
            }
        },
    )
}

// ------------------------------------------------------------- registers

/// A printable register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Book {
    Examinations,
    Immunizations,
    Pregnancies,
    Births,
    Ncd,
    Growth,
}

impl Book {
    const ALL: [Book; 6] = [
        Book::Examinations,
        Book::Immunizations,
        Book::Pregnancies,
        Book::Births,
        Book::Ncd,
        Book::Growth,
    ];

    /// Its register in Thông tư 23/2025/TT-BYT, where the circular names
    /// one for it (A1/CSYT examinations, A2.1 immunization, A3 antenatal
    /// care, A4 deliveries; the NCD and growth books have no number
    /// that could be checked here).
    fn circular_code(self) -> Option<&'static str> {
        match self {
            Book::Examinations => Some("A1/CSYT"),
            Book::Immunizations => Some("A2.1"),
            Book::Pregnancies => Some("A3"),
            Book::Births => Some("A4"),
            Book::Ncd | Book::Growth => None,
        }
    }

    /// Its name in URLs.
    fn code(self) -> &'static str {
        match self {
            Book::Examinations => "examinations",
            Book::Immunizations => "immunizations",
            Book::Pregnancies => "pregnancies",
            Book::Births => "births",
            Book::Ncd => "ncd",
            Book::Growth => "growth",
        }
    }

    /// The book a URL names; the examinations book when none or unknown.
    fn parse(code: Option<&str>) -> Book {
        Book::ALL
            .into_iter()
            .find(|b| Some(b.code()) == code)
            .unwrap_or(Book::Examinations)
    }

    /// The kind of event it lists.
    fn event_kind(self) -> &'static str {
        match self {
            Book::Examinations => "examination",
            Book::Immunizations => "immunization",
            Book::Pregnancies => "pregnancy",
            Book::Births => "birth",
            Book::Ncd => "ncd_follow_up",
            Book::Growth => "measurement",
        }
    }

    fn name(self, r: &RegisterTexts) -> &'static str {
        match self {
            Book::Examinations => r.book_examinations,
            Book::Immunizations => r.book_immunizations,
            Book::Pregnancies => r.book_pregnancies,
            Book::Births => r.book_births,
            Book::Ncd => r.book_ncd,
            Book::Growth => r.book_growth,
        }
    }

    /// Its title: the circular's number first, where there is one.
    fn title(self, r: &RegisterTexts) -> String {
        match self.circular_code() {
            Some(c) => format!("{c} — {}", self.name(r)),
            None => self.name(r).to_string(),
        }
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct BookQuery {
    org: Option<String>,
    book: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// `xlsx` or `pdf` for the file; the page otherwise.
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "registers.html")]
struct RegistersPage {
    c: Chrome,
    r: &'static RegisterTexts,
    org: String,
    commune: String,
    book: String,
    books: Vec<(&'static str, String)>,
    from: String,
    to: String,
    title: String,
    head: Vec<&'static str>,
    rows: Vec<BookRow>,
    error: String,
}

/// A row of a printed register: the date and the person (a link to the
/// record), then the book's own columns.
struct BookRow {
    id: i64,
    date: String,
    name: String,
    cells: Vec<String>,
}

fn book_row(e: &Event, p: &Person, cells: Vec<String>) -> BookRow {
    BookRow {
        id: p.id,
        date: dmy(e.date),
        name: p.full_name.clone(),
        cells,
    }
}

/// `GET /registers?org=&book=&from=&to=`: a commune's register for a
/// period, to print.
pub(crate) async fn registers(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<BookQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let r = lang.registers();
    let h = hierarchy(&st, &page).await?;
    let book = Book::parse(q.book.as_deref());
    let (from, to, error) = book_dates(&q, today, r);
    let mut view = RegistersPage {
        c: Chrome::new(&page, "records"),
        r,
        org: q
            .org
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or_else(|| own_commune(&h, &me, today))
            .unwrap_or_default()
            .trim()
            .to_string(),
        commune: String::new(),
        book: book.code().to_string(),
        books: Book::ALL.iter().map(|b| (b.code(), b.title(r))).collect(),
        from: dmy(from),
        to: dmy(to),
        title: book.title(r).to_string(),
        head: vec![],
        rows: vec![],
        error,
    };
    if view.org.is_empty() {
        return Ok(render(&view));
    }
    let Some(u) = org_unit(&h, &view.org, today)
        .or_else(|| {
            OrgCode::parse(&view.org)
                .ok()
                .and_then(|c| h.unit_at(&c, to))
        })
        .filter(|u| u.kind == OrgKind::Commune)
        .cloned()
    else {
        view.error = r.not_a_commune.into();
        return Ok(render(&view));
    };
    if !may(&h, &me, Action::ReadPersonal, u.id, today) {
        return Ok(crate::app::auth::forbidden(&page));
    }
    view.commune = u.name.clone();
    // The station's book holds what its commune recorded and what the
    // communes merged into it recorded before the reform.
    let units = held_by(&h, u.id, today);
    let events = st
        .store
        .register_events(&units, book.event_kind(), from, to)
        .await?;
    (view.head, view.rows) = match book {
        Book::Immunizations => immunizations_book(lang, &events),
        Book::Pregnancies => pregnancies_book(&st, lang, &events).await?,
        Book::Ncd => ncd_book(lang, &events),
        Book::Growth => growth_book(lang, &events),
        Book::Examinations => examinations_book(lang, &events),
        Book::Births => births_book(lang, &events),
    };
    crate::app::audit::event(
        &me.account.username,
        AuditAction::Read,
        ObjectKind::Registers,
        &format!("{}/{}/{}/{}", book.code(), u.code, from, to),
    )
    .unit(u.code.as_str())
    .detail(format!("{} {}", book.title(r), view.commune))
    .record(&st)
    .await;
    view.org = u.code.as_str().to_string();
    if let Some(format) = q
        .format
        .as_deref()
        .map(str::trim)
        .and_then(ytcs_report::Format::parse)
        .filter(|f| matches!(f, ytcs_report::Format::Xlsx | ytcs_report::Format::Pdf))
    {
        let doc = book_document(&view, &u, book);
        return match ytcs_report::render_file(&doc, format) {
            Some(Ok(bytes)) => Ok((
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        format.content_type().to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"{}.{}\"",
                            doc.file_stem,
                            format.extension()
                        ),
                    ),
                ],
                bytes,
            )
                .into_response()),
            _ => Ok(crate::app::page::error_page(
                &page,
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                |t| t.server_error,
            )),
        };
    }
    Ok(render(&view))
}

/// A register as a document (the XLSX and PDF of the page): its number
/// and name, the commune and dates, one row a record.
fn book_document(view: &RegistersPage, u: &OrgUnit, book: Book) -> ytcs_report::layout::Document {
    use ytcs_report::layout::{Block, Cell, Column, Document, Row, RowKind, Section, Table};
    let mut columns = vec![Column {
        header: "#".into(),
        width: 4,
        numeric: true,
    }];
    columns.extend(view.head.iter().map(|h| Column {
        header: h.to_string(),
        width: 14,
        numeric: false,
    }));
    let rows = view
        .rows
        .iter()
        .enumerate()
        .map(|(i, l)| Row {
            cells: [(i + 1).to_string(), l.date.clone(), l.name.clone()]
                .into_iter()
                .chain(l.cells.iter().cloned())
                .map(Cell::text)
                .collect(),
            kind: RowKind::Normal,
        })
        .collect();
    Document {
        letterhead: None,
        heading: book
            .circular_code()
            .map(|c| format!("SỔ {c}"))
            .unwrap_or_else(|| "SỔ".into()),
        title: book.name(view.r).to_uppercase(),
        subtitle: Some(format!(
            "{} ({}) · {} – {}",
            u.name, u.code, view.from, view.to
        )),
        facts: vec![],
        notice: view.rows.is_empty().then(|| view.r.no_rows.to_string()),
        sections: vec![Section {
            title: view.title.clone(),
            sheet: "So".into(),
            blocks: vec![Block::Table(Table { columns, rows })],
        }],
        file_stem: format!("so-{}-{}", book.code(), u.code),
    }
}

/// The dates a register is asked for (from the first of this month to
/// today when not given), and the problem with a date that is not one
/// (its default is used).
fn book_dates(q: &BookQuery, today: Date, r: &RegisterTexts) -> (Date, Date, String) {
    let first_of_month =
        today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today)) - 1);
    let mut error = String::new();
    let mut date_of = |s: &Option<String>, default: Date| match s
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => default,
        Some(x) => crate::app::parse_user_date(x).unwrap_or_else(|| {
            error = format!("{} «{x}»", r.bad_date);
            default
        }),
    };
    let from = date_of(&q.from, first_of_month);
    let to = date_of(&q.to, today);
    (from, to, error)
}

/// The immunization book: one row a dose given.
fn immunizations_book(lang: Lang, events: &[(Event, Person)]) -> (Vec<&'static str>, Vec<BookRow>) {
    let r = lang.registers();
    let head = vec![
        r.col_date,
        r.full_name,
        r.birth_date,
        r.sex,
        r.col_vaccine,
        r.col_dose,
    ];
    let rows: Vec<BookRow> = events
        .iter()
        .map(|(e, p)| {
            let (v, d) = match &e.kind {
                EventKind::Immunization { vaccine, dose } => {
                    (vaccine_name(lang, vaccine), dose.to_string())
                }
                _ => Default::default(),
            };
            book_row(
                e,
                p,
                vec![dmy(p.birth_date), sex_name(lang, p.sex).into(), v, d],
            )
        })
        .collect();
    (head, rows)
}

/// The pregnancy book: one row a pregnancy, with its antenatal visits.
async fn pregnancies_book(
    st: &AppState,
    lang: Lang,
    events: &[(Event, Person)],
) -> Result<(Vec<&'static str>, Vec<BookRow>), ytcs_store::StoreError> {
    let r = lang.registers();
    let yes_no = |b: bool| if b { r.yes } else { r.no }.to_string();
    // Antenatal visits of each pregnancy: the mothers' events, read in
    // one query.
    let mut visits: BTreeMap<i64, usize> = BTreeMap::new();
    let mothers: Vec<i64> = events
        .iter()
        .map(|(_, p)| p.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for e in st.store.person_registers(&mothers).await?.events {
        if let EventKind::AntenatalVisit { pregnancy } = e.kind {
            *visits.entry(pregnancy).or_default() += 1;
        }
    }
    let head = vec![
        r.col_registered,
        r.full_name,
        r.col_age,
        r.col_expected,
        r.col_anc,
        r.col_screened,
        r.col_outcome,
    ];
    let rows: Vec<BookRow> = events
        .iter()
        .map(|(e, p)| {
            let (exp, scr, out) = match &e.kind {
                EventKind::Pregnancy {
                    expected,
                    ended,
                    outcome,
                    screened,
                } => (
                    dmy(*expected),
                    yes_no(*screened),
                    match (ended, outcome) {
                        (Some(d), Some(o)) => {
                            format!("{} {}", dmy(*d), lang.pick(o.name_vi(), o.name_en()))
                        }
                        (Some(d), None) => dmy(*d),
                        _ => r.ongoing.into(),
                    },
                ),
                _ => Default::default(),
            };
            book_row(
                e,
                p,
                vec![
                    age_on(p.birth_date, e.date).to_string(),
                    exp,
                    visits.get(&e.id).copied().unwrap_or(0).to_string(),
                    scr,
                    out,
                ],
            )
        })
        .collect();
    Ok((head, rows))
}

/// The NCD book: one row a follow-up visit.
fn ncd_book(lang: Lang, events: &[(Event, Person)]) -> (Vec<&'static str>, Vec<BookRow>) {
    let r = lang.registers();
    let yes_no = |b: bool| if b { r.yes } else { r.no }.to_string();
    let head = vec![
        r.col_date,
        r.full_name,
        r.col_age,
        r.sex,
        r.col_disease,
        r.col_bp,
        r.col_glucose,
        r.controlled,
    ];
    let rows: Vec<BookRow> = events
        .iter()
        .map(|(e, p)| {
            let (n, bp, g) = match &e.kind {
                EventKind::NcdFollowUp {
                    ncd,
                    systolic,
                    diastolic,
                    glucose,
                } => (
                    ncd_name(lang, *ncd).to_string(),
                    match (systolic, diastolic) {
                        (Some(s), Some(d)) => format!("{s}/{d}"),
                        _ => String::new(),
                    },
                    glucose.map(|g| g.to_string()).unwrap_or_default(),
                ),
                _ => Default::default(),
            };
            book_row(
                e,
                p,
                vec![
                    age_on(p.birth_date, e.date).to_string(),
                    sex_name(lang, p.sex).into(),
                    n,
                    bp,
                    g,
                    controlled(&e.kind).map(yes_no).unwrap_or_default(),
                ],
            )
        })
        .collect();
    (head, rows)
}

/// The growth book: one row a measurement, with its z-scores.
fn growth_book(lang: Lang, events: &[(Event, Person)]) -> (Vec<&'static str>, Vec<BookRow>) {
    let r = lang.registers();
    let head = vec![
        r.col_date,
        r.full_name,
        r.birth_date,
        r.sex,
        r.col_measure,
        r.col_z,
    ];
    let rows: Vec<BookRow> = events
        .iter()
        .map(|(e, p)| {
            let mut z = growth_text(lang, e, p);
            if !e.flags.is_empty() {
                z += &format!(" — {}", r.abnormal);
            }
            book_row(
                e,
                p,
                vec![
                    dmy(p.birth_date),
                    sex_name(lang, p.sex).into(),
                    describe(lang, e, &HashMap::new()),
                    z,
                ],
            )
        })
        .collect();
    (head, rows)
}

/// The examination book: one row a visit.
fn examinations_book(lang: Lang, events: &[(Event, Person)]) -> (Vec<&'static str>, Vec<BookRow>) {
    let r = lang.registers();
    let yes_no = |b: bool| if b { r.yes } else { r.no }.to_string();
    let head = vec![
        r.col_date,
        r.full_name,
        r.col_age,
        r.sex,
        r.col_icd10,
        r.col_insured,
    ];
    let rows: Vec<BookRow> = events
        .iter()
        .map(|(e, p)| {
            let (icd, ins) = match &e.kind {
                EventKind::Examination { icd10, insured } => (icd10.clone(), yes_no(*insured)),
                _ => Default::default(),
            };
            book_row(
                e,
                p,
                vec![
                    age_on(p.birth_date, e.date).to_string(),
                    sex_name(lang, p.sex).into(),
                    icd,
                    ins,
                ],
            )
        })
        .collect();
    (head, rows)
}

/// The births book (A4): one row a child born.
fn births_book(lang: Lang, events: &[(Event, Person)]) -> (Vec<&'static str>, Vec<BookRow>) {
    let r = lang.registers();
    let yes_no = |b: bool| if b { r.yes } else { r.no }.to_string();
    let head = vec![
        r.col_date,
        r.full_name,
        r.sex,
        r.col_birth_weight,
        r.col_newborn_screened,
    ];
    let rows = events
        .iter()
        .map(|(e, p)| {
            let (w, sc) = match &e.kind {
                EventKind::Birth {
                    weight_g, screened, ..
                } => (
                    weight_g.map(|g| format!("{g:.0}")).unwrap_or_default(),
                    yes_no(*screened),
                ),
                _ => Default::default(),
            };
            book_row(e, p, vec![sex_name(lang, p.sex).into(), w, sc])
        })
        .collect();
    (head, rows)
}

// -------------------------------------------------------------- due lists

#[derive(Template)]
#[template(path = "registers_due.html")]
struct DuePage {
    c: Chrome,
    r: &'static RegisterTexts,
    org: String,
    vaccines: Vec<DueRow>,
    ncd: Vec<DueRow>,
}

struct DueRow {
    id: i64,
    name: String,
    cells: Vec<String>,
}

/// `GET /registers/due?org=`: children under 2 (before the second
/// birthday) due for a dose within a week, and persons with hypertension
/// not followed up for a month (no follow-up since the same day of last
/// month).
/// A person's row of a due list: born, village, commune, then `what`.
fn due_row(h: &Hierarchy, p: &Person, what: String) -> DueRow {
    DueRow {
        id: p.id,
        name: p.full_name.clone(),
        cells: vec![
            dmy(p.birth_date),
            p.village.clone(),
            unit_name(h, p.commune),
            what,
        ],
    }
}

pub(crate) async fn due(
    State(st): State<AppState>,
    page: Page,
    User(me): User,
    Query(q): Query<OrgQuery>,
) -> Result<Response, PageError> {
    let lang = page.lang;
    let today = (st.today)();
    let r = lang.registers();
    let h = hierarchy(&st, &page).await?;
    let communes = readable_communes(&h, &me, q.org.as_deref(), today, &page)?;
    let mut view = DuePage {
        c: Chrome::new(&page, "records"),
        r,
        org: q.org.clone().unwrap_or_default(),
        vaccines: vec![],
        ncd: vec![],
    };
    // Only for named units or a scope: the whole country is no due list.
    let Some(communes) = communes.filter(|c| !c.is_empty()) else {
        return Ok(render(&view));
    };
    let regs = st.store.registers(Some(&communes)).await?;
    let wanted: BTreeSet<UnitId> = communes.iter().copied().collect();
    let lists = ytcs_core::register::due::due_lists(&regs.persons, &regs.events, &wanted, today);
    for (p, doses) in lists.immunization {
        let list = doses
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} ({}{})",
                    vaccine_name(lang, d.vaccine),
                    r.col_dose.to_lowercase(),
                    d.dose,
                    dmy(d.due_on),
                    if d.due_on < today {
                        format!(", {}", r.overdue)
                    } else {
                        String::new()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        view.vaccines.push(due_row(&h, p, list));
    }
    for (p, last) in lists.hypertension {
        let last = last.map(dmy).unwrap_or_else(|| r.never.into());
        view.ncd.push(due_row(&h, p, last));
    }
    Ok(render(&view))
}

// ------------------------------------------------------------ the area

#[derive(Template)]
#[template(path = "registers_area.html")]
struct AreaPage {
    c: Chrome,
    r: &'static RegisterTexts,
    title: &'static str,
    intro: &'static str,
}

/// `GET /records`: the records area, with its pages.
pub(crate) async fn area(page: Page) -> Response {
    let lang = page.lang;
    let t = lang.texts();
    render(&AreaPage {
        c: Chrome::new(&page, "records"),
        r: lang.registers(),
        title: t.nav_records,
        intro: t.area_intro[4],
    })
}

/// This feature's routes, with what each needs (see [`crate::app::routes`]).
pub(crate) fn routes() -> Vec<crate::app::routes::Route> {
    use crate::app::routes::{r, Need};
    use axum::http::Method as M;
    use ytcs_core::access::Action::*;
    vec![
        r(M::GET, "/records", Need::Signed(ReadPersonal), area),
        r(M::GET, "/persons", Need::Signed(ReadPersonal), search),
        r(M::POST, "/persons", Need::Signed(EnterData), create),
        r(M::GET, "/persons/new", Need::Signed(EnterData), new_form),
        r(M::GET, "/persons/{id}", Need::Signed(ReadPersonal), show),
        r(
            M::POST,
            "/persons/{id}/events",
            Need::Signed(EnterData),
            add_event,
        ),
        r(M::GET, "/registers", Need::Signed(ReadPersonal), registers),
        r(M::GET, "/registers/due", Need::Signed(ReadPersonal), due),
    ]
}
