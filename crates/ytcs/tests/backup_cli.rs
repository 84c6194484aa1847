//! `ytcs backup` and `ytcs restore` on the real binary, on SQLite (the demo
//! database) and PostgreSQL; and the errors a user can meet.

mod common;

use std::path::Path;

use common::*;
use ytcs_store::backup::{table_dump, TableDump};
use ytcs_store::StoreConfig;

fn dump(config: &StoreConfig) -> Vec<TableDump> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(table_dump(config))
        .unwrap()
}

fn sqlite_at(dir: &Path) -> StoreConfig {
    StoreConfig::Sqlite {
        path: dir.join("ytcs.db"),
    }
}

fn assert_same(a: &[TableDump], b: &[TableDump]) {
    let names = |d: &[TableDump]| d.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b));
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x.columns, y.columns, "columns of {}", x.name);
        assert_eq!(x.rows.len(), y.rows.len(), "rows of {}", x.name);
        if let Some((r, q)) = x.rows.iter().zip(&y.rows).find(|(r, q)| r != q) {
            panic!("rows of {} differ: {r} vs {q}", x.name);
        }
    }
}

#[test]
fn the_demo_database_comes_back_from_its_backup_in_another_data_dir() {
    let src = prepared_data_dir();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("ytcs-backup.zip");
    let o = run(&[
        "--data-dir",
        &path_str(src.path()),
        "backup",
        "--out",
        &path_str(&file),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let b: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(b["engine"], "sqlite");
    assert!(b["rows"].as_u64().unwrap() > 100_000, "{b}");

    let dst = work.path().join("restored");
    let o = run(&["--data-dir", &path_str(&dst), "restore", &path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = stdout(&o);
    assert!(
        line.contains("restored") && line.contains("tables"),
        "{line}"
    );
    eprintln!(
        "demo database: {} MB on disk, backup {} rows, {} bytes in {:.1} s; {}",
        std::fs::metadata(src.path().join("ytcs.db")).unwrap().len() / 1_048_576,
        b["rows"],
        b["bytes"],
        b["seconds"].as_f64().unwrap(),
        line.trim()
    );
    assert_same(&dump(&sqlite_at(src.path())), &dump(&sqlite_at(&dst)));

    // The restored database works as one: aggregates verify, pages read.
    let o = run(&["--data-dir", &path_str(&dst), "rebuild", "--verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "--data-dir",
        &path_str(&dst),
        "org",
        "show",
        "51",
        "--at",
        "2025-08-01",
    ]);
    assert!(stdout(&o).contains("Quảng Ngãi"), "{}", stderr(&o));

    // Refusals: an existing --out, a non-empty target.
    let o = run(&[
        "--data-dir",
        &path_str(src.path()),
        "backup",
        "--out",
        &path_str(&file),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    let o = run(&[
        "--data-dir",
        &path_str(src.path()),
        "backup",
        "--out",
        &path_str(&file),
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["--data-dir", &path_str(&dst), "restore", &path_str(&file)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not empty"), "{}", stderr(&o));
}

#[test]
fn a_bad_file_or_target_is_a_one_line_error_and_creates_nothing() {
    let src = prepared_data_dir();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("b.zip");
    let o = run(&[
        "--data-dir",
        &path_str(src.path()),
        "backup",
        "--out",
        &path_str(&file),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let target = work.path().join("new");
    let restore = |f: &Path| run(&["--data-dir", &path_str(&target), "restore", &path_str(f)]);
    let expect_refusal = |o: std::process::Output, says: &str| {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(says), "{says}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            !target.join("ytcs.db").exists(),
            "a failed restore created the database"
        );
    };

    expect_refusal(restore(&work.path().join("missing.zip")), "does not exist");
    let text = work.path().join("notes.txt");
    std::fs::write(&text, "not a backup").unwrap();
    expect_refusal(restore(&text), "is not a ytcs backup");
    // One byte changed in the middle of the archive (table data).
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    let damaged = work.path().join("damaged.zip");
    std::fs::write(&damaged, &bytes).unwrap();
    expect_refusal(restore(&damaged), "nothing was restored");
    // Cut short.
    let cut = work.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..mid]).unwrap();
    expect_refusal(restore(&cut), "truncated");

    // A SQLite backup into PostgreSQL: refused before connecting; and a
    // password in the URL is never printed.
    let o = run(&[
        "--database-url",
        "postgres://ytcs:s3cret-pw@127.0.0.1:1/ytcs",
        "restore",
        &path_str(&file),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("same engine"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cret-pw"), "{}", stderr(&o));
    let o = run(&[
        "--database-url",
        "postgres://ytcs:s3cret-pw@127.0.0.1:1/ytcs",
        "backup",
        "--out",
        &path_str(&work.path().join("pg.zip")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ytcs:***@"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("s3cret-pw"), "{}", stderr(&o));
    assert!(!work.path().join("pg.zip").exists());
    // Nothing to back up.
    let o = run(&[
        "--data-dir",
        &path_str(&work.path().join("empty")),
        "backup",
        "--out",
        &path_str(&work.path().join("e.zip")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no database"), "{}", stderr(&o));
}

#[test]
fn a_postgresql_database_comes_back_from_its_backup_in_a_new_database() {
    let pg = ytcs_testkit::TestPostgres::shared();
    let src = pg.fresh_database().unwrap();
    let dst = pg.fresh_database().unwrap();
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("v.csv");
    std::fs::write(
        &csv,
        "element,org,period,disagg,value\n\
         live_births,23479,2024-03,m,30\n\
         live_births,23479,2024-03,f,25\n\
         deaths,23479,2024-05,m.0,1\n",
    )
    .unwrap();
    let o = run(&["--database-url", &src, "data", "import", &path_str(&csv)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = work.path().join("pg.zip");
    let o = run(&["--database-url", &src, "backup", "--out", &path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["--database-url", &dst, "restore", &path_str(&file)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = dump(&StoreConfig::Postgres { url: src.clone() });
    let b = dump(&StoreConfig::Postgres { url: dst.clone() });
    assert!(a.iter().any(|t| t.name == "raw_value" && t.rows.len() == 3));
    assert_same(&a, &b);
    let o = run(&["--database-url", &dst, "rebuild", "--verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The PostgreSQL backup does not go into SQLite.
    let o = run(&[
        "--data-dir",
        &path_str(&work.path().join("sqlite")),
        "restore",
        &path_str(&file),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("same engine"), "{}", stderr(&o));
    assert!(!work.path().join("sqlite").join("ytcs.db").exists());
}
