//! A unit's network page (`/org/{code}/network?at=`): the network
//! indicators with their trend, a population pyramid (server-side SVG),
//! staff by cadre, facilities and villages, all with the units as they
//! stood on the chosen date.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use ytcs_core::network::{
    figures_from, population_pyramid, Cadre, Workplace, YearValues, NETWORK_CODES,
};
use ytcs_core::org::{OrgCode, OrgKind};

use crate::i18n::Lang;
use crate::{parse_at, AppState};

/// The page's texts in one language.
struct NetTexts {
    title: &'static str,
    as_of: &'static str,
    show: &'static str,
    indicators: &'static str,
    indicator: &'static str,
    pyramid: &'static str,
    staff: &'static str,
    facilities: &'static str,
    villages: &'static str,
    code: &'static str,
    name: &'static str,
    kind: &'static str,
    beds: &'static str,
    no_data: &'static str,
}

const VI: NetTexts = NetTexts {
    title: "Mạng lưới y tế",
    as_of: "Đơn vị hành chính tại ngày",
    show: "Xem",
    indicators: "Chỉ số mạng lưới",
    indicator: "Chỉ số",
    pyramid: "Tháp dân số",
    staff: "Nhân lực theo chức danh",
    facilities: "Cơ sở y tế",
    villages: "Thôn, bản",
    code: "Mã",
    name: "Tên",
    kind: "Loại hình",
    beds: "Số giường",
    no_data: "—",
};

const EN: NetTexts = NetTexts {
    title: "Health network",
    as_of: "Units as of",
    show: "Show",
    indicators: "Network indicators",
    indicator: "Indicator",
    pyramid: "Population pyramid",
    staff: "Staff by cadre",
    facilities: "Facilities",
    villages: "Villages",
    code: "Code",
    name: "Name",
    kind: "Kind",
    beds: "Beds",
    no_data: "—",
};

#[derive(Template)]
#[template(path = "network_unit.html")]
struct NetworkPage {
    t: &'static NetTexts,
    lang: &'static str,
    code: String,
    name: String,
    at: String,
    years: Vec<i32>,
    indicators: Vec<(String, Vec<String>)>,
    pyramid_year: i32,
    pyramid_svg: String,
    staff: Vec<(String, usize)>,
    facilities: Vec<(String, String, String, i64)>,
    villages: Vec<String>,
    error: Option<String>,
}

/// `?at=` of the page.
#[derive(serde::Deserialize)]
pub(crate) struct AtQuery {
    at: Option<String>,
}

fn fmt_vi(v: f64, vi: bool) -> String {
    let s = format!("{v:.1}");
    if vi {
        s.replace('.', ",")
    } else {
        s
    }
}

/// A horizontal-bar population pyramid: males left, females right.
fn pyramid_svg(rows: &[(ytcs_core::network::AgeGroup, f64, f64)]) -> String {
    let max = rows.iter().map(|r| r.1.max(r.2)).fold(1.0, f64::max);
    let (w, bar, mid) = (480.0, 14.0, 240.0);
    let h = rows.len() as f64 * (bar + 2.0) + 10.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"pyramid\">"
    );
    for (i, (age, m, f)) in rows.iter().rev().enumerate() {
        let y = i as f64 * (bar + 2.0) + 5.0;
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

/// `GET /org/{code}/network`
pub(crate) async fn unit_network(
    State(st): State<AppState>,
    lang: Lang,
    Path(code): Path<String>,
    Query(q): Query<AtQuery>,
) -> Response {
    let vi = matches!(lang, Lang::Vi);
    let t = if vi { &VI } else { &EN };
    let Ok(at) = parse_at(q.at.as_deref(), (st.today)()) else {
        return (StatusCode::BAD_REQUEST, "bad date: use YYYY-MM-DD").into_response();
    };
    let Ok(code) = OrgCode::parse(&code) else {
        return (StatusCode::NOT_FOUND, "unknown unit").into_response();
    };
    let unit = match st.store.unit_at(&code, at).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::NOT_FOUND, "unknown unit").into_response(),
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let (h, data) = match (st.store.hierarchy().await, st.store.network().await) {
        (Ok(h), Ok(d)) => (h, d),
        (Err(e), _) | (_, Err(e)) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    };
    let mut years: Vec<i32> = data.population.iter().map(|p| p.year).collect();
    years.sort_unstable();
    years.dedup();
    let mut error = None;
    let per_year: Vec<YearValues> = years
        .iter()
        .map(|&y| YearValues::of_year(&h, &data, y))
        .collect();
    let mut indicators = Vec::new();
    for &c in NETWORK_CODES {
        let label = ytcs_core::indicator::by_code(c).map_or("Dân số", |i| i.name);
        let label = if vi { label.to_string() } else { c.to_string() };
        let vals = per_year
            .iter()
            .map(|v| match figures_from(&h, v, c, at, &[unit.id]) {
                Ok(f) => f[0].value.map_or(t.no_data.into(), |x| fmt_vi(x, vi)),
                Err(e) => {
                    error.get_or_insert(e.to_string());
                    t.no_data.into()
                }
            })
            .collect();
        indicators.push((label, vals));
    }
    let pyramid_year = years
        .iter()
        .rev()
        .copied()
        .find(|&y| population_pyramid(&h, &data, y, at, unit.id).is_ok())
        .unwrap_or(0);
    let pyramid_svg = population_pyramid(&h, &data, pyramid_year, at, unit.id)
        .map(|r| pyramid_svg(&r))
        .unwrap_or_default();
    // Units under this one on the date, for facilities, staff and villages.
    let mut inside = std::collections::HashSet::from([unit.id]);
    let mut stack = vec![unit.id];
    let mut villages = Vec::new();
    while let Some(u) = stack.pop() {
        for c in h.children(u, at) {
            if c.kind == OrgKind::Village {
                villages.push(format!("{} ({})", c.name, c.code));
            }
            inside.insert(c.id);
            stack.push(c.id);
        }
    }
    let here: std::collections::HashSet<&OrgCode> = data
        .attachments
        .iter()
        .filter(|a| a.validity.contains(at) && inside.contains(&a.unit))
        .map(|a| &a.facility)
        .collect();
    let facilities: Vec<(String, String, String, i64)> = data
        .facilities
        .iter()
        .filter(|f| here.contains(&f.code) && f.validity.contains(at))
        .map(|f| {
            let kind = if vi {
                f.kind.name_vi()
            } else {
                f.kind.name_en()
            };
            (f.code.to_string(), f.name.clone(), kind.to_string(), f.beds)
        })
        .collect();
    let cadre: std::collections::HashMap<&str, Cadre> = data
        .staff
        .iter()
        .map(|s| (s.code.as_str(), s.cadre))
        .collect();
    let mut counts: std::collections::BTreeMap<Cadre, usize> = Default::default();
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
        .map(|(c, n)| ((if vi { c.name_vi() } else { c.name_en() }).to_string(), n))
        .collect();
    crate::pages::render(&NetworkPage {
        t,
        lang: if vi { "vi" } else { "en" },
        code: unit.code.to_string(),
        name: unit.name.clone(),
        at: at.to_string(),
        years,
        indicators,
        pyramid_year,
        pyramid_svg,
        staff,
        facilities,
        villages,
        error,
    })
}
