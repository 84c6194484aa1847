//! Opening a store fails with an error that says what is wrong.

use ytcs_store::{StoreConfig, StoreError};

#[tokio::test]
async fn a_corrupt_database_file_is_named_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ytcs.db");
    let garbage = b"this is not a database, it is a shopping list\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let err = ytcs_store::open(&StoreConfig::Sqlite { path: path.clone() })
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("not a ytcs database"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the file must not be changed"
    );
}

#[tokio::test]
async fn an_unreachable_postgres_url_says_so_without_the_password() {
    let port = ytcs_testkit::free_port().unwrap();
    let url = format!("postgres://ytcs:s3cret@127.0.0.1:{port}/ytcs");
    let err = ytcs_store::open(&StoreConfig::Postgres { url })
        .await
        .err()
        .unwrap();
    let msg = err.to_string();
    assert!(matches!(err, StoreError::Connect { .. }), "{msg}");
    assert!(msg.contains("cannot connect"), "{msg}");
    assert!(!msg.contains("s3cret"), "password leaked: {msg}");
}

#[test]
fn an_unknown_url_scheme_is_refused() {
    let err =
        StoreConfig::from_parts(std::path::Path::new("x"), Some("mysql://u:pw@h/db")).unwrap_err();
    assert!(err.to_string().contains("unsupported database URL"));
    assert!(!err.to_string().contains("pw@"));
}

#[test]
fn the_config_debug_output_hides_the_password() {
    let c = StoreConfig::Postgres {
        url: "postgres://u:hunter2@h:5432/db".into(),
    };
    assert_eq!(format!("{c:?}"), "PostgreSQL postgres://u:***@h:5432/db");
}

#[tokio::test]
async fn an_unwritable_data_directory_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").unwrap();
    // A data directory below a regular file cannot be created.
    let err = ytcs_store::open(&StoreConfig::Sqlite {
        path: file.join("sub").join("ytcs.db"),
    })
    .await
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::DataDir { .. }), "{err}");
}
