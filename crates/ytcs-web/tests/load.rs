//! The load bench's harness works (#13): writers and readers on the real
//! server over loopback, no error, every acknowledged save in the store.
//! Its timings are reported by `ytcs bench load`, never asserted here.

mod common;

use std::time::Duration;

use ytcs_web::load::{run, LoadConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_and_readers_get_no_error_and_lose_nothing() {
    let (s, _d) = common::fixture_store(common::Fixture {
        units: true,
        seeds: true,
        demo: true,
    })
    .await;
    let report = run(
        s,
        LoadConfig {
            writers: 6,
            readers: 2,
            duration: Duration::from_secs(4),
        },
        ytcs_web::today_in_vietnam(),
    )
    .await
    .unwrap();
    let text = report.lines().join("\n");
    assert_eq!(report.errors, 0, "{text}");
    assert_eq!(report.refused, 0, "{text}");
    assert!(report.saves_acknowledged >= 6, "{text}");
    assert_eq!(report.saves_lost, 0, "{text}");
    assert!(report.latency["save"].requests >= 6, "{text}");
    assert!(report.latency.contains_key("dashboard"), "{text}");
}
