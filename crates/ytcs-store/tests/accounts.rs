//! Accounts and sessions on both engines.

#[macro_use]
mod common;

use std::sync::Arc;

use chrono::{Duration, Utc};
use ytcs_core::access::{parse_scope, Role};
use ytcs_store::accounts::{NewAccount, NewSession};
use ytcs_store::Store;

fn new_account(name: &str, role: Role, scope: &str) -> NewAccount {
    NewAccount {
        username: name.into(),
        display_name: format!("  Nguyễn Thị {name} "),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role,
        scope: parse_scope(scope).unwrap(),
        must_change_password: true,
    }
}

fn session(token_hash: &str, account_id: i64, hours: i64) -> NewSession {
    NewSession {
        token_hash: token_hash.into(),
        account_id,
        csrf_token: format!("csrf-{token_hash}"),
        expires_at: Utc::now() + Duration::hours(hours),
        address: Some("10.0.0.1".into()),
    }
}

async fn accounts_are_unique_lower_case_and_keep_role_and_scope(s: Arc<dyn Store>) {
    let a = s
        .create_account(&new_account("Lan.Nguyen", Role::DataEntry, "23479 23482"))
        .await
        .unwrap();
    assert_eq!(a.username, "lan.nguyen");
    assert_eq!(a.display_name, "Nguyễn Thị Lan.Nguyen");
    assert!(a.must_change_password && a.active);
    let taken = s
        .create_account(&new_account("LAN.NGUYEN", Role::Viewer, ""))
        .await
        .unwrap_err();
    assert!(taken.to_string().contains("already taken"), "{taken}");
    let bad = s
        .create_account(&new_account("lan nguyen", Role::Viewer, ""))
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("not a valid username"), "{bad}");
    let (found, hash) = s.account_for_login(" LAN.nguyen ").await.unwrap().unwrap();
    assert_eq!(found, a);
    assert!(hash.starts_with("$argon2id$"));
    assert_eq!(s.count_accounts().await.unwrap(), 1);
    s.update_account(a.id, Role::Reviewer, &parse_scope("51").unwrap(), true)
        .await
        .unwrap();
    let all = s.accounts().await.unwrap();
    assert_eq!(all[0].role, Role::Reviewer);
    assert_eq!(all[0].scope, parse_scope("51").unwrap());
    assert!(s.account_for_login("nobody").await.unwrap().is_none());
    // The hash never shows in Debug output.
    assert!(!format!("{:?}", new_account("x", Role::Admin, "")).contains("argon2"));
}

async fn sessions_expire_and_close_with_password_changes_and_deactivation(s: Arc<dyn Store>) {
    let a = s
        .create_account(&new_account("minh", Role::Manager, "51"))
        .await
        .unwrap();
    s.open_session(&session("live", a.id, 12)).await.unwrap();
    s.open_session(&session("old", a.id, -1)).await.unwrap();
    let live = s.session("live").await.unwrap().unwrap();
    assert_eq!(live.account.username, "minh");
    assert_eq!(live.csrf_token, "csrf-live");
    assert!(s.session("old").await.unwrap().is_none(), "expired");
    assert!(s.session("nope").await.unwrap().is_none());
    assert_eq!(s.purge_sessions().await.unwrap(), 1);

    // A new password closes every session.
    s.set_password(a.id, "$argon2id$new", false).await.unwrap();
    assert!(s.session("live").await.unwrap().is_none());
    let (acc, hash) = s.account_for_login("minh").await.unwrap().unwrap();
    assert_eq!(hash, "$argon2id$new");
    assert!(!acc.must_change_password);

    // Deactivation too; and an inactive account's sessions never count.
    s.open_session(&session("again", a.id, 12)).await.unwrap();
    s.update_account(a.id, Role::Manager, &[], false)
        .await
        .unwrap();
    assert!(s.session("again").await.unwrap().is_none());
    s.open_session(&session("sneaky", a.id, 12)).await.unwrap();
    assert!(s.session("sneaky").await.unwrap().is_none());

    s.open_session(&session("bye", a.id, 12)).await.unwrap();
    s.close_session("bye").await.unwrap();
    assert!(s.set_password(9999, "x", false).await.is_err());
}

both_engines!(units: false;
    accounts_are_unique_lower_case_and_keep_role_and_scope,
    sessions_expire_and_close_with_password_changes_and_deactivation,
);
