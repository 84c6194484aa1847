//! Server-side SVG charts: a yearly line chart with an optional target line
//! and horizontal bars across units. Plain SVG strings with every text
//! escaped, no script, black-and-white readable when printed (values are
//! written next to their points and bars, axes are labelled).

use std::fmt::Write;

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A value on a chart ([`ytcs_core::format::on_chart`]).
pub use ytcs_core::format::on_chart as number;

/// The upper end of the value axis: the largest value (or target) rounded
/// up to a "nice" number.
fn nice_max(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

/// Texts a chart writes.
pub struct ChartTexts<'a> {
    /// Accessible title.
    pub title: &'a str,
    /// Label of the target line.
    pub target: &'a str,
    /// What a missing value is called.
    pub no_data: &'a str,
}

const W: f64 = 640.0;
const H: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 24.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

/// A line chart of yearly values, with a dashed target line when given.
pub fn line_chart(points: &[(i32, Option<f64>)], target: Option<f64>, t: &ChartTexts) -> String {
    let values = points.iter().filter_map(|(_, v)| *v);
    let max_v = values
        .chain(target)
        .fold(0.0f64, |m, v| if v.is_finite() { m.max(v) } else { m });
    let top = nice_max(max_v * 1.05);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: f64| TOP + plot_h * (1.0 - (v / top).clamp(0.0, 1.0));
    let n = points.len().max(1);
    // Points keep clear of the value axis and the right edge.
    let pad = 28.0;
    let x_of = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + pad + (plot_w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart line" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{title}"><title>{title}</title>"#,
        title = escape(t.title)
    );
    // Grid and value axis.
    for k in 0..=4 {
        let v = top * k as f64 / 4.0;
        let y = y_of(v);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{x2}" y2="{y:.1}" stroke="#ccc" stroke-width="1"/><text x="{tx}" y="{ty:.1}" font-size="11" text-anchor="end">{label}</text>"##,
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = y + 4.0,
            label = escape(&number(v))
        );
    }
    let _ = write!(
        s,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{yb}" stroke="#000"/><line x1="{LEFT}" y1="{yb}" x2="{xr}" y2="{yb}" stroke="#000"/>"##,
        yb = H - BOTTOM,
        xr = W - RIGHT
    );
    // Year labels.
    for (i, (year, v)) in points.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{x:.1}" y="{y}" font-size="12" text-anchor="middle">{year}</text>"#,
            x = x_of(i),
            y = H - BOTTOM + 18.0
        );
        if v.is_none() {
            let _ = write!(
                s,
                r##"<text x="{x:.1}" y="{y}" font-size="10" text-anchor="middle" fill="#666">{nd}</text>"##,
                x = x_of(i),
                y = H - BOTTOM - 6.0,
                nd = escape(t.no_data)
            );
        }
    }
    // Target line.
    if let Some(tv) = target.filter(|v| v.is_finite()) {
        let y = y_of(tv);
        let _ = write!(
            s,
            r##"<line class="target" x1="{LEFT}" y1="{y:.1}" x2="{xr}" y2="{y:.1}" stroke="#b00" stroke-width="2" stroke-dasharray="6 4"/><text x="{xr}" y="{ty:.1}" font-size="11" text-anchor="end" fill="#b00">{label} {val}</text>"##,
            xr = W - RIGHT,
            ty = y - 5.0,
            label = escape(t.target),
            val = escape(&number(tv))
        );
    }
    // The series: segments between consecutive years with values.
    let mut path = String::new();
    let mut pen_down = false;
    for (i, (_, v)) in points.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x_of(i),
                    y_of(v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="#1a5fb4" stroke-width="2.5"/>"##,
            path.trim_end()
        );
    }
    for (i, (_, v)) in points.iter().enumerate() {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            let (x, y) = (x_of(i), y_of(v));
            let _ = write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#1a5fb4"/><text class="value" x="{x:.1}" y="{ty:.1}" font-size="11" text-anchor="middle">{label}</text>"##,
                ty = y - 8.0,
                label = escape(&number(v))
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars, one per named unit, with its value written at the end
/// and a dashed target line when given.
pub fn bar_chart(items: &[(String, Option<f64>)], target: Option<f64>, t: &ChartTexts) -> String {
    const ROW: f64 = 22.0;
    const LABEL: f64 = 200.0;
    const VALUE: f64 = 70.0;
    let max_v = items
        .iter()
        .filter_map(|(_, v)| *v)
        .chain(target)
        .fold(0.0f64, |m, v| if v.is_finite() { m.max(v) } else { m });
    let top = nice_max(max_v);
    let h = TOP + ROW * items.len() as f64 + 24.0;
    let plot_w = W - LABEL - VALUE;
    let x_of = |v: f64| LABEL + plot_w * (v / top).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-label="{title}"><title>{title}</title>"#,
        title = escape(t.title)
    );
    for (i, (name, v)) in items.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let short: String = if name.chars().count() > 30 {
            name.chars().take(29).chain(['…']).collect()
        } else {
            name.clone()
        };
        let _ = write!(
            s,
            r#"<text x="{lx}" y="{ty:.1}" font-size="12" text-anchor="end">{label}</text>"#,
            lx = LABEL - 6.0,
            ty = y + 15.0,
            label = escape(&short)
        );
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let _ = write!(
                    s,
                    r##"<rect x="{LABEL}" y="{ry:.1}" width="{w:.1}" height="16" fill="#1a5fb4"/><text class="value" x="{tx:.1}" y="{ty:.1}" font-size="11">{label}</text>"##,
                    ry = y + 3.0,
                    w = (x_of(v) - LABEL).max(0.5),
                    tx = x_of(v) + 4.0,
                    ty = y + 15.0,
                    label = escape(&number(v))
                );
            }
            None => {
                let _ = write!(
                    s,
                    r##"<text x="{tx}" y="{ty:.1}" font-size="11" fill="#666">{nd}</text>"##,
                    tx = LABEL + 4.0,
                    ty = y + 15.0,
                    nd = escape(t.no_data)
                );
            }
        }
    }
    let yb = TOP + ROW * items.len() as f64;
    let _ = write!(
        s,
        r##"<line x1="{LABEL}" y1="{TOP}" x2="{LABEL}" y2="{yb:.1}" stroke="#000"/><text x="{LABEL}" y="{ty:.1}" font-size="11" text-anchor="middle">0</text><text x="{xr:.1}" y="{ty:.1}" font-size="11" text-anchor="middle">{maxl}</text>"##,
        ty = yb + 16.0,
        xr = x_of(top),
        maxl = escape(&number(top))
    );
    if let Some(tv) = target.filter(|v| v.is_finite()) {
        let x = x_of(tv);
        let _ = write!(
            s,
            r##"<line class="target" x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{yb:.1}" stroke="#b00" stroke-width="2" stroke-dasharray="6 4"/><text x="{x:.1}" y="{ty}" font-size="11" text-anchor="middle" fill="#b00">{label} {val}</text>"##,
            y1 = TOP - 4.0,
            ty = TOP - 8.0,
            label = escape(t.target),
            val = escape(&number(tv))
        );
    }
    s.push_str("</svg>");
    s
}

/// A small line of yearly values without axes (a sparkline), for tables:
/// the last point is marked; a missing year breaks the line. `title` is
/// the accessible name.
pub fn sparkline(points: &[(i32, Option<f64>)], title: &str) -> String {
    const SW: f64 = 96.0;
    const SH: f64 = 24.0;
    const PAD: f64 = 3.0;
    let values: Vec<f64> = points
        .iter()
        .filter_map(|(_, v)| *v)
        .filter(|v| v.is_finite())
        .collect();
    let mut out = format!(
        "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{SW}\" height=\"{SH}\" viewBox=\"0 0 {SW} {SH}\" role=\"img\"><title>{}</title>",
        escape(title)
    );
    if values.is_empty() {
        out.push_str("</svg>");
        return out;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = points.len().max(2) - 1;
    let x_of = |i: usize| PAD + (SW - 2.0 * PAD) * i as f64 / n as f64;
    let y_of = |v: f64| {
        if hi > lo {
            SH - PAD - (SH - 2.0 * PAD) * (v - lo) / span
        } else {
            SH / 2.0
        }
    };
    let mut path = String::new();
    let mut pen_down = false;
    let mut last = None;
    for (i, (_, v)) in points.iter().enumerate() {
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let (x, y) = (x_of(i), y_of(v));
                let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
                pen_down = true;
                last = Some((x, y));
            }
            None => pen_down = false,
        }
    }
    let _ = write!(
        out,
        "<path d=\"{}\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\"/>",
        path.trim_end()
    );
    if let Some((x, y)) = last {
        let _ = write!(
            out,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"2.5\" fill=\"#1f5fa8\"/>"
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: ChartTexts = ChartTexts {
        title: "<Tỷ lệ & \"x\">",
        target: "Mục tiêu",
        no_data: "Chưa có số liệu",
    };

    #[test]
    fn escapes_text() {
        let s = line_chart(&[(2024, Some(1.5)), (2025, None)], Some(2.0), &T);
        assert!(s.contains("&lt;Tỷ lệ &amp; &quot;x&quot;&gt;"));
        assert!(!s.contains("<Tỷ"));
        let b = bar_chart(&[("<a>".into(), Some(3.0))], None, &T);
        assert!(b.contains("&lt;a&gt;"));
    }

    #[test]
    fn numbers_are_vietnamese() {
        assert_eq!(number(12345.0), "12.345");
        assert_eq!(number(87.26), "87,3");
        assert_eq!(nice_max(87.0), 100.0);
    }
}
