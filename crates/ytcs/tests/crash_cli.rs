//! Crash consistency: `ytcs data import` killed with SIGKILL in the middle
//! of its write leaves a database that opens, whose aggregates verify, and
//! that holds all of the import or none of it; the same import run again
//! then succeeds in full. On SQLite and on PostgreSQL.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::*;
use ytcs_core::org::OrgKind;
use ytcs_store::values::ValueFilter;
use ytcs_store::StoreConfig;

/// A CSV of live births by sex for every commune that stood from 2019 to
/// 2024, month by month: about 1.4 million values, whose one write takes
/// more than a second even at a million values a second. Returns the
/// number of values.
fn big_csv(path: &Path) -> usize {
    let units = ytcs_refdata::admin_units().unwrap();
    let day = |s: &str| -> ytcs_core::Date { s.parse().unwrap() };
    let communes: Vec<&str> = units
        .units
        .iter()
        .filter(|u| u.kind == OrgKind::Commune)
        .filter(|u| u.validity.contains(day("2019-01-01")))
        .filter(|u| u.validity.contains(day("2024-12-31")))
        .map(|u| u.code.as_str())
        .collect();
    let mut csv = String::from("element,org,period,disagg,value\n");
    let mut n = 0;
    for (i, c) in communes.iter().enumerate() {
        for year in 2019..=2024 {
            for month in 1..=12 {
                for (j, sex) in ["m", "f"].iter().enumerate() {
                    let v = (i * 7 + month * 3 + j) % 40 + 1;
                    csv.push_str(&format!("live_births,{c},{year}-{month:02},{sex},{v}\n"));
                    n += 1;
                }
            }
        }
    }
    std::fs::write(path, csv).unwrap();
    n
}

fn value_count(config: &StoreConfig) -> usize {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let s = ytcs_store::open(config).await.unwrap();
            s.data_values(&ValueFilter::default()).await.unwrap().len()
        })
}

/// Starts the import, waits until it has begun its one write transaction
/// (it says so on stderr) and a little more, then kills it with SIGKILL.
/// Returns whether it was still running when killed.
fn import_and_kill(store_args: &[&str], csv: &Path) -> bool {
    let mut child = ytcs()
        .env("YTCS_LOG", "info")
        .args(store_args)
        .args(["data", "import", &path_str(csv)])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("writing in one transaction") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(300))
        .expect("the import reaches its write");
    std::thread::sleep(Duration::from_millis(100));
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on unix
    let status = child.wait().unwrap();
    eprintln!("killed while running: {running}; status {status:?}");
    running
}

fn crash_and_recover(store_args: &[&str], config: &StoreConfig) {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("births.csv");
    let n = big_csv(&csv);
    assert!(n > 1_000_000, "{n}");

    let killed_mid_write = import_and_kill(store_args, &csv);
    assert!(
        killed_mid_write,
        "the import finished before it was killed: make the file bigger"
    );
    // The database opens and is consistent: aggregates equal a rebuild.
    let o = run(&[store_args, &["rebuild", "--verify"]].concat());
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // All of the import or none of it.
    let after_crash = value_count(config);
    assert!(
        after_crash == 0 || after_crash == n,
        "{after_crash} of {n} values after the crash"
    );
    eprintln!("after the crash: {after_crash} of {n} values");

    // The same import again gives the full result.
    let t = Instant::now();
    let o = run(&[store_args, &["data", "import", &path_str(&csv)]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    eprintln!(
        "full import of {n} values: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(value_count(config), n);
    let o = run(&[store_args, &["rebuild", "--verify"]].concat());
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn an_import_killed_mid_write_on_sqlite_leaves_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = path_str(dir.path());
    crash_and_recover(
        &["--data-dir", &d],
        &StoreConfig::Sqlite {
            path: dir.path().join("ytcs.db"),
        },
    );
}

#[test]
fn an_import_killed_mid_write_on_postgresql_leaves_all_or_nothing() {
    let url = ytcs_testkit::TestPostgres::shared()
        .fresh_database()
        .unwrap();
    crash_and_recover(
        &["--database-url", &url],
        &StoreConfig::Postgres { url: url.clone() },
    );
}
