//! The roll-up benchmark: N values at commune × month over a province →
//! district → commune hierarchy, rolled up to every level × month, quarter
//! and year (a) by a columnar fold in plain Rust and (b) by PostgreSQL with
//! one `GROUP BY GROUPING SETS` over the hierarchy join into a table, the
//! way DHIS2's analytics does it.
//!
//! The fold: values are four columns (element, commune, month, value in
//! thousandths); pass 1 scatters them into a dense commune × month cube per
//! element (two threads, each owning half the elements); pass 2 folds the
//! cube into districts and the province through `parent` lookup arrays and
//! into quarters and years. All sums are integers, so both engines' grand
//! totals must agree exactly (checked).

use std::time::Instant;

use serde::Serialize;

/// Shape of the generated data.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Shape {
    /// Values.
    pub values: usize,
    /// Districts.
    pub districts: usize,
    /// Communes per district.
    pub communes_per_district: usize,
    /// Months (from January of the first year).
    pub months: usize,
    /// Elements (derived so that the cube holds every value).
    pub elements: usize,
}

impl Shape {
    /// 40 districts × 50 communes, 60 months, as many elements as needed.
    pub fn for_values(values: usize) -> Shape {
        let (districts, communes_per_district, months) = (40, 50, 60);
        let cells = districts * communes_per_district * months;
        Shape {
            values,
            districts,
            communes_per_district,
            months,
            elements: values.div_ceil(cells).max(1),
        }
    }

    fn communes(&self) -> usize {
        self.districts * self.communes_per_district
    }
}

/// The generated values as columns.
pub struct Columns {
    /// Element index.
    pub element: Vec<u16>,
    /// Commune index.
    pub commune: Vec<u32>,
    /// Month index.
    pub month: Vec<u16>,
    /// Value in thousandths.
    pub value: Vec<i64>,
}

/// Generates `shape.values` values deterministically.
pub fn generate(shape: &Shape) -> Columns {
    let n = shape.values;
    let mut c = Columns {
        element: Vec::with_capacity(n),
        commune: Vec::with_capacity(n),
        month: Vec::with_capacity(n),
        value: Vec::with_capacity(n),
    };
    let mut x: u64 = 0x5EED;
    let cells = shape.communes() * shape.months;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c.element.push((i / cells) as u16);
        c.commune
            .push(((i / shape.months) % shape.communes()) as u32);
        c.month.push((i % shape.months) as u16);
        c.value.push(((x % 200) as i64) * 1000);
    }
    c
}

/// The folded aggregates, per element: `[level][unit][period]` flattened.
pub struct Aggregates {
    /// Sum over all cells of all levels and period types (a checksum).
    pub checksum: i128,
    /// Rows produced (every level × period type × element cell).
    pub rows: usize,
}

/// The columnar fold over all levels × month, quarter, year.
pub fn fold(shape: &Shape, c: &Columns) -> Aggregates {
    let communes = shape.communes();
    let months = shape.months;
    let parent: Vec<u32> = (0..communes)
        .map(|i| (i / shape.communes_per_district) as u32)
        .collect();
    let per_element = communes * months;
    let mut cube = vec![0i64; shape.elements * per_element];
    // Pass 1: scatter, two threads over disjoint halves of the elements.
    let split_el = shape.elements.div_ceil(2);
    let (lo, hi) = cube.split_at_mut(split_el.min(shape.elements) * per_element);
    std::thread::scope(|s| {
        s.spawn(|| scatter(c, lo, 0, split_el, months, per_element));
        s.spawn(|| scatter(c, hi, split_el, shape.elements, months, per_element));
    });
    // Pass 2: districts, province; quarters, years.
    let quarters = months.div_ceil(3);
    let years = months.div_ceil(12);
    let mut checksum: i128 = 0;
    let mut rows = 0usize;
    let mut district = vec![0i64; shape.districts * months];
    for e in 0..shape.elements {
        district.iter_mut().for_each(|v| *v = 0);
        let mut province = vec![0i64; months];
        let cells = &cube[e * per_element..(e + 1) * per_element];
        for (u, row) in cells.chunks_exact(months).enumerate() {
            let d = parent[u] as usize;
            let drow = &mut district[d * months..(d + 1) * months];
            for m in 0..months {
                drow[m] += row[m];
            }
            checksum += period_sums(row, quarters, years, &mut rows);
        }
        for drow in district.chunks_exact(months) {
            for m in 0..months {
                province[m] += drow[m];
            }
            checksum += period_sums(drow, quarters, years, &mut rows);
        }
        checksum += period_sums(&province, quarters, years, &mut rows);
    }
    Aggregates { checksum, rows }
}

fn scatter(
    c: &Columns,
    out: &mut [i64],
    from: usize,
    to: usize,
    months: usize,
    per_element: usize,
) {
    for i in 0..c.value.len() {
        let e = c.element[i] as usize;
        if e < from || e >= to {
            continue;
        }
        let idx = (e - from) * per_element + c.commune[i] as usize * months + c.month[i] as usize;
        out[idx] += c.value[i];
    }
}

/// Month, quarter and year sums of one row; returns their total (each value
/// counted three times) and counts the rows.
fn period_sums(row: &[i64], quarters: usize, years: usize, rows: &mut usize) -> i128 {
    let mut q = vec![0i64; quarters];
    let mut y = vec![0i64; years];
    let mut total: i128 = 0;
    for (m, v) in row.iter().enumerate() {
        q[m / 3] += v;
        y[m / 12] += v;
        total += i128::from(*v);
    }
    *rows += row.len() + quarters + years;
    total * 3
}

/// The expected checksum: every value counted at three levels × three
/// period types.
pub fn expected_checksum(c: &Columns) -> i128 {
    c.value.iter().map(|v| i128::from(*v)).sum::<i128>() * 9
}

/// Times the fold; returns seconds and the aggregates.
pub fn time_fold(shape: &Shape, c: &Columns) -> (f64, Aggregates) {
    let t = Instant::now();
    let a = fold(shape, c);
    (t.elapsed().as_secs_f64(), a)
}

/// Loads the columns into PostgreSQL with COPY and times one
/// `GROUP BY GROUPING SETS` roll-up into a table; returns seconds and the
/// grand total of the result (to compare with the fold's checksum).
pub async fn time_postgres(
    url: &str,
    shape: &Shape,
    c: &Columns,
) -> Result<(f64, i128), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    for stmt in [
        "DROP TABLE IF EXISTS bench_agg",
        "DROP TABLE IF EXISTS bench_value",
        "DROP TABLE IF EXISTS bench_commune",
        "CREATE UNLOGGED TABLE bench_value (element INTEGER, commune INTEGER, month INTEGER, value BIGINT)",
        "CREATE UNLOGGED TABLE bench_commune (commune INTEGER PRIMARY KEY, district INTEGER, province INTEGER)",
    ] {
        sqlx::query(stmt).execute(&mut conn).await?;
    }
    let mut copy = conn.copy_in_raw("COPY bench_commune FROM STDIN").await?;
    let mut buf = String::new();
    for i in 0..shape.communes() {
        buf.push_str(&format!("{i}\t{}\t0\n", i / shape.communes_per_district));
    }
    copy.send(buf.into_bytes()).await?;
    copy.finish().await?;
    let mut copy = conn.copy_in_raw("COPY bench_value FROM STDIN").await?;
    let mut buf = Vec::with_capacity(1 << 22);
    for i in 0..c.value.len() {
        use std::io::Write;
        let _ = writeln!(
            buf,
            "{}\t{}\t{}\t{}",
            c.element[i], c.commune[i], c.month[i], c.value[i]
        );
        if buf.len() > (1 << 22) {
            copy.send(std::mem::take(&mut buf)).await?;
        }
    }
    copy.send(buf).await?;
    copy.finish().await?;
    sqlx::query("ANALYZE bench_value")
        .execute(&mut conn)
        .await?;
    let t = Instant::now();
    sqlx::query(
        "CREATE UNLOGGED TABLE bench_agg AS \
         SELECT v.element, c.province, c.district, v.commune, v.month, v.month / 3 AS quarter, v.month / 12 AS year, \
                SUM(v.value) AS total \
         FROM bench_value v JOIN bench_commune c ON c.commune = v.commune \
         GROUP BY GROUPING SETS ( \
           (v.element, v.commune, v.month), (v.element, v.commune, v.month / 3), (v.element, v.commune, v.month / 12), \
           (v.element, c.district, v.month), (v.element, c.district, v.month / 3), (v.element, c.district, v.month / 12), \
           (v.element, c.province, v.month), (v.element, c.province, v.month / 3), (v.element, c.province, v.month / 12))",
    )
    .execute(&mut conn)
    .await?;
    let secs = t.elapsed().as_secs_f64();
    let total: String = sqlx::query_scalar("SELECT COALESCE(SUM(total), 0)::TEXT FROM bench_agg")
        .fetch_one(&mut conn)
        .await?;
    for stmt in [
        "DROP TABLE bench_agg",
        "DROP TABLE bench_value",
        "DROP TABLE bench_commune",
    ] {
        sqlx::query(stmt).execute(&mut conn).await?;
    }
    Ok((secs, total.parse().unwrap_or(-1)))
}

/// Peak resident memory of this process in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fold_counts_every_value_at_every_level_and_period_type() {
        let shape = Shape::for_values(250_000);
        let c = generate(&shape);
        let a = fold(&shape, &c);
        assert_eq!(a.checksum, expected_checksum(&c));
        let units = shape.communes() + shape.districts + 1;
        assert_eq!(a.rows, shape.elements * units * (60 + 20 + 5));
    }
}
