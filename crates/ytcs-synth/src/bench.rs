//! What the benchmarks share. The benchmarks themselves time the
//! product's own functions (`ytcs bench indicators`: the import, rebuild
//! and analytics path; `ytcs bench registers`: the register load and
//! derivation), never a side copy of them.
//! What a user would pick instead is timed beside them on the same file
//! (`scripts/bench-baselines`: PostgreSQL, DuckDB). The earlier side fold
//! over generated columns, which nothing in the product called, is gone.

/// Starts the peak of [`peak_rss_mb`] again from the memory in use now
/// (Linux: `5` written to `/proc/self/clear_refs`); the peak of one step
/// is then read after it. Does nothing where this is not supported.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory of this process in MB (Linux `VmHWM`).
pub fn peak_rss_mb() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
