//! Data values in and out: CSV (`element,org,period,disagg,value`, machine
//! number format) and IHE ADX (`urn:ihe:qrph:adx:2015`: groups per org
//! unit, period and data set; disaggregations as attributes named after
//! the element's categories).
//!
//! Reading is all or nothing: every bad row is named (CSV line or ADX
//! `dataValue` number) — unknown element, wrong value type, period not
//! fitting the data set, org unit that did not exist in that period — and
//! nothing is returned to write when any row is bad.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use ytcs_core::aggregate::Fixed;
use ytcs_core::hierarchy::Hierarchy;
use ytcs_core::org::OrgCode;
use ytcs_core::period::{Period, PeriodType};
use ytcs_store::values::{check_write, element, StoredValue, ValueWrite};

/// The ADX namespace.
pub const ADX_NS: &str = "urn:ihe:qrph:adx:2015";

/// One row as read, before checks.
struct RawRow {
    what: String,
    element: String,
    org: String,
    period: String,
    disagg: String,
    value: String,
}

fn resolve(h: &Hierarchy, rows: Vec<RawRow>) -> Result<Vec<ValueWrite>, Vec<String>> {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for r in rows {
        let period: Period = match r.period.parse() {
            Ok(p) => p,
            Err(e) => {
                errs.push(format!("{}: {e}", r.what));
                continue;
            }
        };
        let Some(el) = element(&r.element) else {
            errs.push(format!("{}: unknown data element '{}'", r.what, r.element));
            continue;
        };
        let value = match el.parse_value(&r.value) {
            Ok(v) => v,
            Err(e) => {
                errs.push(format!("{}: {e}", r.what));
                continue;
            }
        };
        let unit = OrgCode::parse(&r.org)
            .ok()
            .and_then(|c| h.unit_at(&c, period.end()));
        let Some(unit) = unit else {
            errs.push(format!(
                "{}: no org unit {} existed on {}, the last day of {period}",
                r.what,
                r.org,
                period.end()
            ));
            continue;
        };
        let w = ValueWrite {
            element: r.element,
            unit: unit.id,
            period,
            disagg: r.disagg,
            value: Some(value),
        };
        match check_write(h, &w) {
            Ok(()) => out.push(w),
            Err(e) => errs.push(format!("{}: {e}", r.what)),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// The CSV header.
pub const CSV_HEADER: [&str; 5] = ["element", "org", "period", "disagg", "value"];

/// Reads a CSV of values; every bad line is named.
pub fn read_csv(h: &Hierarchy, bytes: &[u8]) -> Result<Vec<ValueWrite>, Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match rdr.headers() {
        Ok(hd) => hd.iter().map(|s| s.trim().to_lowercase()).collect(),
        Err(e) => return Err(vec![format!("line 1: {e}")]),
    };
    if header != CSV_HEADER {
        return Err(vec![format!(
            "line 1: expected the header {}, found {}",
            CSV_HEADER.join(","),
            header.join(",")
        )]);
    }
    let mut rows = Vec::new();
    let mut errs = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        match rec {
            Ok(r) if r.len() == 5 => rows.push(RawRow {
                what: format!("line {line}"),
                element: r[0].trim().to_string(),
                org: r[1].trim().to_string(),
                period: r[2].trim().to_string(),
                disagg: r[3].trim().to_string(),
                value: r[4].trim().to_string(),
            }),
            Ok(r) => errs.push(format!("line {line}: expected 5 fields, found {}", r.len())),
            Err(e) => errs.push(format!("line {line}: {e}")),
        }
    }
    match resolve(h, rows) {
        Ok(v) if errs.is_empty() => Ok(v),
        Ok(_) => Err(errs),
        Err(mut more) => {
            errs.append(&mut more);
            Err(errs)
        }
    }
}

/// Writes values as CSV (org units by code).
pub fn write_csv(h: &Hierarchy, values: &[StoredValue]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push('\n');
    for s in values {
        let v = &s.value;
        let org = h
            .unit(v.unit)
            .map_or_else(|| v.unit.to_string(), |u| u.code.to_string());
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            v.element, org, v.period, v.disagg, v.value
        ));
    }
    out
}

/// ADX period: `2024-01-01/P1M`.
fn adx_period(p: Period) -> String {
    let dur = match p.period_type() {
        PeriodType::Day => "P1D",
        PeriodType::Month => "P1M",
        PeriodType::Quarter => "P3M",
        PeriodType::HalfYear => "P6M",
        PeriodType::Year => "P1Y",
    };
    format!("{}/{dur}", p.start())
}

fn from_adx_period(s: &str) -> Option<Period> {
    let (start, dur) = s.split_once('/')?;
    let d: ytcs_core::Date = start.parse().ok()?;
    let t = match dur {
        "P1D" => PeriodType::Day,
        "P1M" => PeriodType::Month,
        "P3M" => PeriodType::Quarter,
        "P6M" => PeriodType::HalfYear,
        "P1Y" => PeriodType::Year,
        _ => return None,
    };
    let p = Period::containing(d, t);
    (p.start() == d).then_some(p)
}

fn esc(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// Writes values as an ADX message.
pub fn write_adx(h: &Hierarchy, values: &[StoredValue]) -> String {
    let sets = ytcs_core::aggregate::standard_data_sets();
    let mut groups: BTreeMap<(String, Period, String), Vec<&StoredValue>> = BTreeMap::new();
    for s in values {
        let v = &s.value;
        let org = h
            .unit(v.unit)
            .map_or_else(|| v.unit.to_string(), |u| u.code.to_string());
        let ds = sets
            .iter()
            .find(|d| d.elements.contains(&v.element))
            .map_or("other".to_string(), |d| d.code.clone());
        groups.entry((org, v.period, ds)).or_default().push(s);
    }
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx xmlns=\"{ADX_NS}\">\n");
    for ((org, p, ds), vs) in groups {
        out.push_str(&format!(
            "  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\">\n",
            esc(&org),
            adx_period(p),
            esc(&ds)
        ));
        for s in vs {
            let v = &s.value;
            let mut attrs = String::new();
            if let Some(el) = element(&v.element) {
                for (c, o) in el.categories.iter().zip(v.disagg.split('.')) {
                    if !v.disagg.is_empty() {
                        attrs.push_str(&format!(" {}=\"{}\"", c.code, esc(o)));
                    }
                }
            }
            out.push_str(&format!(
                "    <dataValue dataElement=\"{}\" value=\"{}\"{attrs}/>\n",
                esc(&v.element),
                v.value
            ));
        }
        out.push_str("  </group>\n");
    }
    out.push_str("</adx>\n");
    out
}

/// Reads an ADX message; every bad `dataValue` is named by its number.
pub fn read_adx(h: &Hierarchy, bytes: &[u8]) -> Result<Vec<ValueWrite>, Vec<String>> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buf = Vec::new();
    let mut group: Option<(String, String)> = None;
    let mut rows = Vec::new();
    let mut errs = Vec::new();
    let mut seen_root = false;
    let mut n = 0usize;
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                errs.push(format!(
                    "ADX is not well-formed XML at byte {}: {e}",
                    reader.buffer_position()
                ));
                break;
            }
        };
        match ev {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let mut attrs: Vec<(String, String)> = Vec::new();
                for a in e.attributes().flatten() {
                    let k = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let v = a
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    attrs.push((k, v));
                }
                let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
                match name.as_str() {
                    "adx" => {
                        seen_root = true;
                        let ns = attrs
                            .iter()
                            .find(|(k, _)| k == "xmlns")
                            .map(|(_, v)| v.as_str());
                        if ns != Some(ADX_NS) {
                            errs.push(format!(
                                "the root element must be in the namespace {ADX_NS}"
                            ));
                        }
                    }
                    "group" => {
                        group = Some((
                            get("orgUnit").unwrap_or_default(),
                            get("period").unwrap_or_default(),
                        ))
                    }
                    "dataValue" => {
                        n += 1;
                        let what = format!("dataValue {n}");
                        let Some((org, period)) = group.clone() else {
                            errs.push(format!("{what}: outside a group"));
                            continue;
                        };
                        let Some(p) = from_adx_period(&period) else {
                            errs.push(format!(
                                "{what}: '{period}' is not an ADX period (e.g. 2024-01-01/P1M)"
                            ));
                            continue;
                        };
                        let code = get("dataElement").unwrap_or_default();
                        let disagg = element(&code)
                            .map(|el| {
                                el.categories
                                    .iter()
                                    .filter_map(|c| get(&c.code))
                                    .collect::<Vec<_>>()
                                    .join(".")
                            })
                            .unwrap_or_default();
                        rows.push(RawRow {
                            what,
                            element: code,
                            org,
                            period: p.to_string(),
                            disagg,
                            value: get("value").unwrap_or_default(),
                        });
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !seen_root && errs.is_empty() {
        errs.push("not an ADX message: no <adx> root element".into());
    }
    match resolve(h, rows) {
        Ok(v) if errs.is_empty() => Ok(v),
        Ok(_) => Err(errs),
        Err(mut more) => {
            errs.append(&mut more);
            Err(errs)
        }
    }
}

/// Reads a number typed in the form (Vietnamese format) for an element.
pub fn parse_form_value(element_code: &str, text: &str) -> Result<Fixed, String> {
    let el = element(element_code)
        .ok_or_else(|| format!("không có chỉ tiêu dữ liệu '{element_code}'"))?;
    let v = Fixed::parse_vietnamese(text)
        .ok_or_else(|| format!("'{text}' không phải là số (ví dụ 1.234,5)"))?;
    el.check_value(v)
        .map_err(|_| format!("'{text}': giá trị phải là {}", vi_type(el.value_type)))?;
    Ok(v)
}

fn vi_type(t: ytcs_core::aggregate::ValueType) -> &'static str {
    match t {
        ytcs_core::aggregate::ValueType::Count => "số nguyên không âm",
        ytcs_core::aggregate::ValueType::Number => "số có tối đa ba chữ số thập phân",
        ytcs_core::aggregate::ValueType::Percentage => "tỷ lệ từ 0 đến 100",
    }
}
