//! The throwaway PostgreSQL server really starts, serves several databases
//! and goes away when dropped.

use std::time::Instant;

use ytcs_testkit::TestPostgres;

#[test]
fn server_serves_two_fresh_databases_and_is_removed_on_drop() {
    let started = Instant::now();
    let pg = TestPostgres::start().expect("PostgreSQL test server");
    eprintln!("PostgreSQL test server started in {:?}", started.elapsed());
    assert!(pg
        .url()
        .starts_with(&format!("postgres://postgres@127.0.0.1:{}/", pg.port())));

    let first = pg.create_database("testkit_first").expect("first database");
    let second = pg
        .create_database("testkit_second")
        .expect("second database");
    assert_eq!(first, pg.database_url("testkit_first"));
    assert_ne!(first, second);

    for db in ["testkit_first", "testkit_second"] {
        assert_eq!(pg.psql(db, "select 1").expect("select 1").trim(), "1");
        let current = pg.psql(db, "select current_database()").unwrap();
        assert_eq!(current.trim(), db);
    }
    let encoding = pg.psql("testkit_first", "show server_encoding").unwrap();
    assert_eq!(encoding.trim(), "UTF8");

    let port = pg.port();
    drop(pg);
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server still listens on {port} after drop"
    );
}

#[test]
fn shared_server_hands_each_test_its_own_database() {
    let a = TestPostgres::shared().fresh_database().expect("database a");
    let b = TestPostgres::shared().fresh_database().expect("database b");
    assert_ne!(a, b);
    let name = b.rsplit('/').next().unwrap();
    let out = TestPostgres::shared()
        .psql(
            name,
            "create table t (x text); insert into t values ('Đăk Rve'); select x from t",
        )
        .expect("round trip");
    assert_eq!(out.trim(), "Đăk Rve");
}

#[test]
fn database_names_must_be_plain_identifiers() {
    let err = TestPostgres::shared()
        .create_database("x\"; drop")
        .unwrap_err();
    assert!(err.to_string().contains("invalid database name"), "{err}");
}
