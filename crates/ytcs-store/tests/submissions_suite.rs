//! Statutory reports sent, on both engines (SQLite file, real
//! PostgreSQL): versions numbered per form, unit and period; a correction
//! needs a reason; the newest version is what a list shows; the rows can
//! be neither changed nor removed; each send is audited.

#[macro_use]
mod common;

use std::sync::Arc;

use ytcs_core::audit::ObjectKind;
use ytcs_core::org::OrgCode;
use ytcs_core::period::Period;
use ytcs_store::audit::AuditFilter;
use ytcs_store::submissions::{NewSubmission, SubmissionFilter};
use ytcs_store::{Store, StoreError};

both_engines!(
    units: true;
    versions_are_numbered_and_a_correction_needs_a_reason,
);

async fn versions_are_numbered_and_a_correction_needs_a_reason(s: Arc<dyn Store>) {
    let unit = s
        .unit_at(
            &OrgCode::parse("51").unwrap(),
            "2025-08-01".parse().unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
        .id;
    let new = |reason: Option<&str>, content: &str| NewSubmission {
        form_key: "commune_monthly".into(),
        form_code: "1/TYT".into(),
        circular: "23/2025/TT-BYT".into(),
        unit,
        period: Period::Month(2025, 7),
        content: content.into(),
        content_hash: format!("hash-of-{content}"),
        submitted_by: "tramyte".into(),
        due: "2025-08-07".parse().unwrap(),
        late: reason.is_some(),
        reason: reason.map(str::to_string),
    };
    let first = s.submit_form(&new(None, "{\"a\":1}")).await.unwrap();
    assert_eq!(first.version, 1);
    let again = s.submit_form(&new(None, "{\"a\":2}")).await.unwrap_err();
    assert!(
        matches!(&again, StoreError::Invalid(m) if m.contains("needs a reason")),
        "{again}"
    );
    let second = s
        .submit_form(&new(Some("sửa số sinh"), "{\"a\":2}"))
        .await
        .unwrap();
    assert_eq!((second.version, second.late), (2, true));
    // Another period starts at 1.
    let mut other = new(None, "{}");
    other.period = Period::Month(2025, 8);
    assert_eq!(s.submit_form(&other).await.unwrap().version, 1);

    let latest = s
        .form_submissions(&SubmissionFilter {
            form_key: Some("commune_monthly".into()),
            period: Some(Period::Month(2025, 7)),
            with_content: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[0].version, 2);
    assert_eq!(latest[0].content, "{\"a\":2}");
    assert_eq!(latest[0], second, "read back as written");
    let all = s
        .form_submissions(&SubmissionFilter {
            all_versions: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    assert!(
        all.iter().all(|x| x.content.is_empty()),
        "listed without content"
    );

    let audited = s
        .audit_entries(&AuditFilter {
            object_kind: Some(ObjectKind::StatutoryReport),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 3);
    assert_eq!(audited[1].detail.as_deref(), Some("sửa số sinh"));
}
