//! The audit log, run against both engines: entries come back as written,
//! newest first, filtered and paged; and the database itself refuses to
//! change or remove one.

#[macro_use]
mod common;

use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::json;
use ytcs_core::audit::{cli_actor, AuditAction, NewAuditEntry, ObjectKind, SYSTEM_ACTOR};
use ytcs_store::audit::AuditFilter;
use ytcs_store::{Store, StoreConfig};

both_engines!(
    units: false;
    entries_come_back_as_written_newest_first,
    filters_select_by_actor_unit_object_action_and_day,
    pages_split_the_newest_first_list,
    a_list_of_units_keeps_only_their_entries_matched_literally,
);

async fn a_list_of_units_keeps_only_their_entries_matched_literally(s: Arc<dyn Store>) {
    for unit in ["51", "5101", "01", "5_1", "51.SYT"] {
        s.append(&entry("lan", AuditAction::Read, ObjectKind::Person, "1").with_unit(unit))
            .await
            .unwrap();
    }
    s.append(&entry(
        "lan",
        AuditAction::LoginFailed,
        ObjectKind::User,
        "x",
    ))
    .await
    .unwrap();
    let only = |units: &[&str]| AuditFilter {
        units: Some(units.iter().map(|u| u.to_string()).collect()),
        ..AuditFilter::default()
    };
    let codes = |es: Vec<ytcs_core::audit::AuditEntry>| {
        let mut v: Vec<String> = es.into_iter().filter_map(|e| e.unit_code).collect();
        v.sort();
        v
    };
    let got = codes(s.audit_entries(&only(&["51", "51.SYT"])).await.unwrap());
    assert_eq!(
        got,
        vec!["51", "51.SYT"],
        "no prefix, no wildcard, no entry without a unit"
    );
    assert_eq!(
        s.count_audit_entries(&only(&["51", "51.SYT"]))
            .await
            .unwrap(),
        2
    );
    // `_` in a code is a character, not a wildcard.
    let got = codes(s.audit_entries(&only(&["5_1"])).await.unwrap());
    assert_eq!(got, vec!["5_1"]);
    assert_eq!(s.count_audit_entries(&only(&[])).await.unwrap(), 0);
    assert_eq!(
        s.count_audit_entries(&AuditFilter::default())
            .await
            .unwrap(),
        6
    );
}

fn entry(actor: &str, action: AuditAction, kind: ObjectKind, id: &str) -> NewAuditEntry {
    NewAuditEntry::new(actor, action, kind, id)
}

async fn entries_come_back_as_written_newest_first(s: Arc<dyn Store>) {
    let before = Utc::now();
    let first = s
        .append(
            &entry("lan", AuditAction::Update, ObjectKind::Plan, "7")
                .with_unit("62")
                .with_change(
                    Some(json!({"title": "Kế hoạch cũ", "n": 1})),
                    Some(json!({"title": "Kế hoạch mới", "n": 2})),
                )
                .with_address(Some("192.0.2.10".into()))
                .with_detail(Some("sửa tiêu đề".into())),
        )
        .await
        .unwrap();
    let second = s
        .append(&entry(
            SYSTEM_ACTOR,
            AuditAction::Create,
            ObjectKind::User,
            "lan",
        ))
        .await
        .unwrap();
    let third = s
        .append(&entry(
            &cli_actor("admin"),
            AuditAction::LoginFailed,
            ObjectKind::User,
            "admin",
        ))
        .await
        .unwrap();
    assert!(first < second && second < third);
    let all = s.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(
        all.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![third, second, first]
    );
    let e = &all[2];
    assert_eq!(e.actor, "lan");
    assert_eq!(e.action, AuditAction::Update);
    assert_eq!(e.object_kind, ObjectKind::Plan);
    assert_eq!(e.object_id, "7");
    assert_eq!(e.unit_code.as_deref(), Some("62"));
    assert_eq!(e.old, Some(json!({"title": "Kế hoạch cũ", "n": 1})));
    assert_eq!(e.new, Some(json!({"title": "Kế hoạch mới", "n": 2})));
    assert_eq!(e.address.as_deref(), Some("192.0.2.10"));
    assert_eq!(e.detail.as_deref(), Some("sửa tiêu đề"));
    assert!(e.at >= before - Duration::seconds(1) && e.at <= Utc::now() + Duration::seconds(1));
    let e = &all[0];
    assert_eq!(e.actor, "cli:admin");
    assert_eq!(e.action, AuditAction::LoginFailed);
    assert_eq!(
        (e.unit_code.as_ref(), e.old.as_ref(), e.new.as_ref()),
        (None, None, None)
    );
    assert_eq!((e.address.as_ref(), e.detail.as_ref()), (None, None));
}

async fn filters_select_by_actor_unit_object_action_and_day(s: Arc<dyn Store>) {
    for (actor, action, kind, id, unit) in [
        (
            "lan",
            AuditAction::Submit,
            ObjectKind::Approval,
            "62001/2024Q1",
            Some("62001"),
        ),
        (
            "minh",
            AuditAction::Approve,
            ObjectKind::Approval,
            "62001/2024Q1",
            Some("62001"),
        ),
        (
            "minh",
            AuditAction::Update,
            ObjectKind::Plan,
            "3",
            Some("62"),
        ),
        ("lan", AuditAction::Login, ObjectKind::User, "lan", None),
    ] {
        let mut e = entry(actor, action, kind, id);
        e.unit_code = unit.map(str::to_string);
        s.append(&e).await.unwrap();
    }
    let ids = |f: AuditFilter| {
        let s = s.clone();
        async move {
            let got = s.audit_entries(&f).await.unwrap();
            assert_eq!(s.count_audit_entries(&f).await.unwrap(), got.len() as i64);
            got.into_iter()
                .map(|e| format!("{} {}", e.actor, e.action))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        ids(AuditFilter {
            actor: Some("lan".into()),
            ..AuditFilter::default()
        })
        .await,
        ["lan login", "lan submit"]
    );
    assert_eq!(
        ids(AuditFilter {
            unit_code: Some("62001".into()),
            ..AuditFilter::default()
        })
        .await,
        ["minh approve", "lan submit"]
    );
    assert_eq!(
        ids(AuditFilter {
            object_kind: Some(ObjectKind::Plan),
            ..AuditFilter::default()
        })
        .await,
        ["minh update"]
    );
    assert_eq!(
        ids(AuditFilter {
            object_kind: Some(ObjectKind::Approval),
            object_id: Some("62001/2024Q1".into()),
            action: Some(AuditAction::Approve),
            ..AuditFilter::default()
        })
        .await,
        ["minh approve"]
    );
    assert!(ids(AuditFilter {
        actor: Some("nobody".into()),
        ..AuditFilter::default()
    })
    .await
    .is_empty());
    // Days are inclusive, in UTC.
    let today = Utc::now().date_naive();
    let day = |n: i64| Some(today + Duration::days(n));
    let days = |from, to| AuditFilter {
        from,
        to,
        ..AuditFilter::default()
    };
    assert_eq!(ids(days(day(0), day(0))).await.len(), 4);
    assert_eq!(ids(days(day(-3), None)).await.len(), 4);
    assert_eq!(ids(days(None, day(0))).await.len(), 4);
    assert!(ids(days(None, day(-1))).await.is_empty());
    assert!(ids(days(day(1), None)).await.is_empty());
    assert_eq!(
        ids(AuditFilter {
            actor: Some("minh".into()),
            ..days(day(-1), day(1))
        })
        .await,
        ["minh update", "minh approve"]
    );
}

async fn pages_split_the_newest_first_list(s: Arc<dyn Store>) {
    let mut ids = Vec::new();
    for i in 0..25 {
        let actor = if i % 5 == 0 { "lan" } else { "minh" };
        ids.push(
            s.append(&entry(
                actor,
                AuditAction::Read,
                ObjectKind::DataValue,
                &i.to_string(),
            ))
            .await
            .unwrap(),
        );
    }
    ids.reverse();
    let page = |limit, offset| AuditFilter {
        limit: Some(limit),
        offset,
        ..AuditFilter::default()
    };
    let got = |f: AuditFilter| {
        let s = s.clone();
        async move {
            s.audit_entries(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(got(page(10, 0)).await, ids[..10]);
    assert_eq!(got(page(10, 10)).await, ids[10..20]);
    assert_eq!(got(page(10, 20)).await, ids[20..]);
    assert!(got(page(10, 30)).await.is_empty());
    assert!(got(page(0, 0)).await.is_empty());
    assert_eq!(s.count_audit_entries(&page(10, 20)).await.unwrap(), 25);
    let lan = AuditFilter {
        actor: Some("lan".into()),
        limit: Some(2),
        offset: 1,
        ..AuditFilter::default()
    };
    // Entries 20, 15, 10, 5, 0 are lan's; skip one, take two.
    assert_eq!(got(lan.clone()).await, [ids[24 - 15], ids[24 - 10]]);
    assert_eq!(s.count_audit_entries(&lan).await.unwrap(), 5);
}

/// One entry appended through the store, then raw UPDATE and DELETE
/// through a separate connection: the database refuses both, and the
/// entry is unchanged.
async fn check_append_only<DB>(s: Arc<dyn Store>, pool: sqlx::Pool<DB>)
where
    DB: sqlx::Database,
    for<'q> <DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'c> &'c mut <DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = DB>,
{
    let id = s
        .append(
            &entry("lan", AuditAction::Delete, ObjectKind::Plan, "9")
                .with_detail(Some("gốc".into())),
        )
        .await
        .unwrap();
    for sql in [
        "UPDATE audit_log SET detail = 'rewritten'",
        "UPDATE audit_log SET actor = 'someone else' WHERE actor = 'lan'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE actor = 'lan'",
    ] {
        let Err(err) = sqlx::query(sql).execute(&pool).await else {
            panic!("{sql} was allowed");
        };
        assert!(
            err.to_string().contains("audit_log is append-only"),
            "{sql}: {err}"
        );
    }
    let all = s.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].id, all[0].actor.as_str()), (id, "lan"));
    assert_eq!(all[0].detail.as_deref(), Some("gốc"));
}

#[tokio::test]
async fn sqlite_refuses_to_change_or_remove_audit_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let s = ytcs_store::open(&StoreConfig::Sqlite { path: path.clone() })
        .await
        .unwrap();
    let pool =
        sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(&path))
            .await
            .unwrap();
    check_append_only(s, pool).await;
}

#[tokio::test]
async fn postgres_refuses_to_change_remove_or_truncate_audit_entries() {
    let url = ytcs_testkit::TestPostgres::shared()
        .fresh_database()
        .unwrap();
    let s = ytcs_store::open(&StoreConfig::Postgres { url: url.clone() })
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    check_append_only(s.clone(), pool.clone()).await;
    let err = sqlx::query("TRUNCATE audit_log")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("audit_log is append-only"),
        "{err}"
    );
    assert_eq!(
        s.count_audit_entries(&AuditFilter::default())
            .await
            .unwrap(),
        1
    );
}
