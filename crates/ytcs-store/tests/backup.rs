//! Backups and restores on both engines (SQLite file, real PostgreSQL): a
//! restore equals its source in every table, ids go on after it, and a
//! damaged backup, a non-empty target or the wrong engine change nothing.

#[macro_use]
mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use common::{Engine, Fresh};
use sha2::{Digest, Sha256};
use ytcs_core::aggregate::Fixed;
use ytcs_core::network::*;
use ytcs_core::org::{OrgCode, UnitId};
use ytcs_core::tracking::TaskStatus;
use ytcs_core::validity::Validity;
use ytcs_core::Date;
use ytcs_store::backup::{self, BackupError, Manifest, TableDump};
use ytcs_store::tracking::{
    Assessment, BudgetEntry, BudgetEntryKind, Evidence, NewTaskUpdate, ReportSubmission,
};
use ytcs_store::values::{TargetLink, ValueWrite};
use ytcs_store::{Store, StoreConfig};

const SEED_000: &str = include_str!("../../../data/seeds/000_5ad8db25cf967cbe.txt");
const SEED_001: &str = include_str!("../../../data/seeds/001_6c2c492b7eec1205.txt");

both_engines!(
    fresh units: true;
    a_restored_database_equals_its_source_in_every_table,
    a_damaged_backup_is_refused_and_the_target_stays_empty,
    a_restore_that_fails_midway_leaves_the_target_empty,
    a_non_empty_target_the_other_engine_or_a_newer_schema_are_refused,
);

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn code(s: &str) -> OrgCode {
    OrgCode::parse(s).unwrap()
}

async fn unit(s: &dyn Store, c: &str, at: &str) -> UnitId {
    s.unit_at(&code(c), d(at)).await.unwrap().unwrap().id
}

/// Puts something in every table: plans with revisions, links and a
/// labelled target example, the
/// network registry, data values (and so aggregates), task updates with
/// evidence (a BLOB / bytea), reports, budget lines and an assessment.
async fn fill(s: &dyn Store) {
    let p0 = ytcs_plandoc::parse_bytes("000.txt", SEED_000.as_bytes()).unwrap();
    let (plan, _) = s.insert_plan(&p0, SEED_000).await.unwrap();
    let p1 = ytcs_plandoc::parse_bytes("001.txt", SEED_001.as_bytes()).unwrap();
    s.insert_plan(&p1, SEED_001).await.unwrap();
    let mut fixed = p0.clone();
    fixed.title = Some("Kế hoạch (đã sửa)".into());
    assert!(s.revise_plan(plan, &fixed, "sửa tên").await.unwrap());
    // A target marked on the review page: a labelled example.
    let mut marked = fixed.clone();
    let target = marked.targets[0].clone();
    marked.targets.push(target.clone());
    let example = ytcs_store::plans::NewTargetExample {
        line: target.line,
        sentence: "Tỷ lệ … đạt 100%".into(),
        selection: "đạt 100%".into(),
        action: ytcs_store::plans::ExampleAction::Add,
        target_index: None,
        read: Some(target.clone()),
        replaced: None,
        target,
        username: "lan".into(),
    };
    s.correct_target(plan, &marked, "chỉ tiêu từ câu nguồn", &example)
        .await
        .unwrap()
        .unwrap();
    assert!(s.confirm_plan(plan).await.unwrap());

    let commune = unit(s, "23479", "2025-08-01").await;
    let f = code("TYT-23479");
    s.add_network(&NetworkData {
        facilities: vec![Facility {
            code: f.clone(),
            name: "Trạm Y tế xã Đăk Rve".into(),
            kind: FacilityKind::CommuneStation,
            beds: 5,
            status: FacilityStatus::Active,
            services_share: Some(0.1 + 0.2),
            validity: Validity::since(d("2001-01-01")),
        }],
        attachments: vec![Attachment {
            facility: f.clone(),
            unit: commune,
            validity: Validity::since(d("2001-01-01")),
        }],
        staff: vec![StaffMember {
            code: "NV-1".into(),
            name: "Y Điệp \"Bé\"\n'quote'".into(),
            cadre: Cadre::Doctor,
            qualification: None,
        }],
        posts: vec![Post {
            person: "NV-1".into(),
            workplace: Workplace::Facility(f),
            kind: PostKind::Permanent,
            validity: Validity::since(d("2020-03-01")),
        }],
        trainings: vec![Training {
            person: "NV-1".into(),
            course: "Chăm sóc sức khỏe ban đầu".into(),
            completed: d("2019-05-01"),
        }],
        population: vec![PopulationCount {
            unit: commune,
            year: 2026,
            sex: Sex::Female,
            age: AgeGroup::new(25).unwrap(),
            count: 1200,
        }],
    })
    .await
    .unwrap();

    let h = s.hierarchy().await.unwrap();
    let old = unit(s, "23479", "2024-06-01").await;
    let w = |element: &str, unit, period: &str, disagg: &str, thousandths: i64| ValueWrite {
        element: element.into(),
        unit,
        period: period.parse().unwrap(),
        disagg: disagg.into(),
        value: Some(Fixed(thousandths)),
    };
    s.write_values(
        &h,
        &[
            w("live_births", old, "2024-03", "m", 30_000),
            w("live_births", old, "2024-03", "f", 25_000),
            w("live_births", commune, "2025-09", "f", 7_000),
            w("deaths", old, "2024-05", "m.0", 1_000),
        ],
        "tester",
    )
    .await
    .unwrap();
    s.link_target(&TargetLink {
        plan_id: plan,
        target_id: p0.targets[0].id.clone(),
        indicator: "srb".into(),
        org_code: "62".into(),
        year: 2025,
    })
    .await
    .unwrap();

    let evidence: Vec<u8> = (0..=255u8).chain(b"%PDF-1.4".iter().copied()).collect();
    s.add_task_update(&NewTaskUpdate {
        plan_id: plan,
        task_id: "III.2.2.a".into(),
        on: d("2024-10-01"),
        status: TaskStatus::InProgress,
        progress: Some(40),
        note: "Đã rà soát 8/12 thôn".into(),
        evidence: Some(Evidence {
            name: "bien-ban.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: evidence,
        }),
    })
    .await
    .unwrap();
    s.add_task_update(&NewTaskUpdate {
        plan_id: plan,
        task_id: "III.2.2.a".into(),
        on: d("2024-12-20"),
        status: TaskStatus::Done,
        progress: None,
        note: String::new(),
        evidence: None,
    })
    .await
    .unwrap();
    s.submit_report(
        plan,
        &ReportSubmission {
            duty: 0,
            due: d("2024-12-15"),
            unit: "Trung tâm Y tế".into(),
            submitted_on: d("2024-12-20"),
            note: "muộn".into(),
        },
    )
    .await
    .unwrap();
    s.add_budget_entry(
        plan,
        &BudgetEntry {
            line_id: "IV.1".into(),
            on: d("2024-05-02"),
            kind: BudgetEntryKind::Disbursement,
            amount_vnd: 9_007_199_254_740_993, // beyond f64's exact integers
            source: Some("Ngân sách tỉnh".into()),
            note: "Đợt 1".into(),
        },
    )
    .await
    .unwrap();
    s.save_assessment(&Assessment {
        commune,
        year: 2025,
        scores: BTreeMap::from([("1".to_string(), 12.25), ("2".to_string(), 8.5)]),
        total: 85.125,
        passed: true,
        recognised_on: Some(d("2025-12-20")),
    })
    .await
    .unwrap();
    s.set_meta("note", "sao lưu — thử").await.unwrap();
    // Accounts, a session, an approval (with its audit entry) and an entry
    // appended directly.
    let acc = s
        .create_account(&ytcs_store::accounts::NewAccount {
            username: "lan".into(),
            display_name: "Nguyễn Thị Lan".into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            role: ytcs_core::access::Role::DataEntry,
            scope: vec![code("23479")],
            must_change_password: false,
        })
        .await
        .unwrap();
    s.open_session(&ytcs_store::accounts::NewSession {
        token_hash: "ab".repeat(32),
        account_id: acc.id,
        csrf_token: "cd".repeat(32),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(12),
        address: Some("10.0.0.1".into()),
    })
    .await
    .unwrap();
    s.transition_approval(
        commune,
        "2025-09".parse().unwrap(),
        ytcs_core::approval::ApprovalAction::Submit,
        "lan",
        None,
        Some("10.0.0.1"),
    )
    .await
    .unwrap();
    s.append(
        &ytcs_core::audit::NewAuditEntry::new(
            "lan",
            ytcs_core::audit::AuditAction::Update,
            ytcs_core::audit::ObjectKind::DataValue,
            "commune_monthly/23479/2025-09",
        )
        .with_change(
            Some(serde_json::json!({"v.live_births.m": "12"})),
            Some(serde_json::json!({"v.live_births.m": "13"})),
        ),
    )
    .await
    .unwrap();
    fill_registers(s, commune).await;
    // A statutory report sent (its row holds every kind of column).
    s.submit_form(&ytcs_store::submissions::NewSubmission {
        form_key: "commune_monthly".into(),
        form_code: "1/TYT".into(),
        circular: "23/2025/TT-BYT".into(),
        unit: commune,
        period: ytcs_core::period::Period::Month(2025, 7),
        content: "{\"rows\":[]}".into(),
        content_hash: "00ff".into(),
        submitted_by: "tramyte".into(),
        due: "2025-08-07".parse().unwrap(),
        late: true,
        reason: None,
    })
    .await
    .unwrap();
}

/// A household, a person with a move, a card, a history line and an event
/// with a value in every kind of column, and a derivation mark.
async fn fill_registers(s: &dyn Store, commune: UnitId) {
    use ytcs_core::register::*;
    use ytcs_store::registers::{DerivationMark, RegisterBatch};
    let b = RegisterBatch {
        households: vec![Household {
            id: -1,
            commune,
            village: "Thôn Đông".into(),
            address: "số 3".into(),
            number: "017".into(),
        }],
        persons: vec![Person {
            id: -1,
            full_name: "Phạm Thị Ánh".into(),
            sex: Sex::Female,
            birth_date: d("1994-04-04"),
            ethnicity: "Kinh".into(),
            national_id: Some("051194000777".into()),
            household: Some(-1),
            commune,
            village: "Thôn Đông".into(),
            registered_on: d("2024-01-01"),
            ehr_opened_on: Some(d("2024-01-02")),
            death: Some(Death {
                date: d("2026-01-01"),
                cause: Some("I21".into()),
            }),
        }],
        moves: vec![Move {
            id: -1,
            person: -1,
            date: d("2024-06-01"),
            from: None,
            to: Some(commune),
        }],
        cards: vec![InsuranceCard {
            id: -1,
            person: -1,
            number: "GD4511234567890".into(),
            valid_from: d("2025-01-01"),
            valid_to: d("2025-12-31"),
        }],
        history: vec![HistoryItem {
            id: -1,
            person: -1,
            kind: HistoryKind::RiskFactor,
            text: "Hút thuốc lá".into(),
            noted_on: d("2024-01-02"),
        }],
        events: vec![Event {
            id: -1,
            person: -1,
            date: d("2025-02-01"),
            unit: commune,
            kind: EventKind::NcdFollowUp {
                ncd: Ncd::Hypertension,
                systolic: Some(141.5),
                diastolic: Some(92.0),
                glucose: Some(6.25),
            },
            flags: vec!["waz".into()],
        }],
        delete_events: vec![],
    };
    ytcs_store::raw::writes(s)
        .write_registers(&b, "lan")
        .await
        .unwrap();
    s.set_derivation_marks(&[DerivationMark {
        commune,
        from_year: 2024,
        through: "2026-10".parse().unwrap(),
    }])
    .await
    .unwrap();
}

fn names(dump: &[TableDump]) -> Vec<&str> {
    dump.iter().map(|t| t.name.as_str()).collect()
}

fn assert_same(a: &[TableDump], b: &[TableDump]) {
    assert_eq!(names(a), names(b));
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x.columns, y.columns, "columns of {}", x.name);
        assert_eq!(x.rows.len(), y.rows.len(), "row count of {}", x.name);
        assert!(x.rows == y.rows, "rows of {} differ", x.name);
    }
}

async fn a_restored_database_equals_its_source_in_every_table(f: Fresh) {
    fill(f.store.as_ref()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.zip");
    let b = backup::backup(&f.config, &file, false).await.unwrap();
    let source = backup::table_dump(&f.config).await.unwrap();
    // Every table of the catalogue is there, and every one of them has rows.
    for t in &source {
        assert!(!t.rows.is_empty(), "the test leaves {} empty", t.name);
    }
    assert!(names(&source).contains(&"task_update"));
    assert_eq!(b.tables, source.len());
    assert_eq!(
        b.rows,
        source.iter().map(|t| t.rows.len() as u64).sum::<u64>()
    );
    assert_eq!(b.manifest.engine, f.store.engine());
    assert_eq!(b.manifest.migrations, (1..=15).collect::<Vec<i64>>());
    // Writing into an existing file needs the overwrite flag.
    let again = backup::backup(&f.config, &file, false).await.unwrap_err();
    assert!(matches!(again, BackupError::OutputExists(_)), "{again}");

    let (target, _g) = f.another();
    let r = backup::restore(&file, &target).await.unwrap();
    assert_eq!(r.rows, b.rows);
    let restored = backup::table_dump(&target).await.unwrap();
    assert_same(&source, &restored);
    // Values of every kind came back exactly.
    let budget = restored.iter().find(|t| t.name == "budget_entry").unwrap();
    assert!(
        budget.rows[0].contains("9007199254740993"),
        "{:?}",
        budget.rows
    );

    // A backup of the restored database holds the same table files.
    let file2 = dir.path().join("b2.zip");
    let b2 = backup::backup(&target, &file2, false).await.unwrap();
    assert_eq!(b.manifest.tables, b2.manifest.tables);
    assert_eq!(b.manifest.sequences, b2.manifest.sequences);

    // Ids go on after the restored ones.
    let s = ytcs_store::open(&target).await.unwrap();
    let plan = s.list_plans().await.unwrap()[0].id;
    let before: Vec<i64> = s
        .task_updates(plan)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    let new = s
        .add_task_update(&NewTaskUpdate {
            plan_id: plan,
            task_id: "I.1".into(),
            on: d("2025-01-02"),
            status: TaskStatus::Done,
            progress: Some(100),
            note: "sau khôi phục".into(),
            evidence: None,
        })
        .await
        .unwrap();
    assert!(before.iter().all(|id| *id < new), "{before:?} then {new}");
    let p = ytcs_plandoc::parse_bytes("x.txt", b"KE HOACH\nThu nghiem").unwrap();
    let (id, created) = s.insert_plan(&p, "KE HOACH\nThu nghiem").await.unwrap();
    assert!(created && id > plan);
    s.add_budget_entry(
        id,
        &BudgetEntry {
            line_id: "1".into(),
            on: d("2025-01-02"),
            kind: BudgetEntryKind::Commitment,
            amount_vnd: 1,
            source: None,
            note: String::new(),
        },
    )
    .await
    .unwrap();
}

/// Rewrites the zip at `src` into `dst`, passing every entry through `edit`.
fn rewrite(src: &Path, dst: &Path, mut edit: impl FnMut(&str, Vec<u8>) -> Vec<u8>) {
    let mut a = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..a.len() {
        let mut e = a.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&edit(&name, bytes)).unwrap();
    }
    w.finish().unwrap();
}

fn manifest_of(path: &Path) -> Manifest {
    let mut a = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    a.by_name("manifest.json")
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    serde_json::from_str(&s).unwrap()
}

/// The target holds nothing: a SQLite file was not created; a PostgreSQL
/// database has no ytcs schema, or has it with no rows.
async fn assert_untouched(target: &StoreConfig) {
    match target {
        StoreConfig::Sqlite { path } => {
            assert!(!path.exists(), "{} was created", path.display());
            let dir = path.parent().unwrap();
            let left: Vec<_> = std::fs::read_dir(dir).unwrap().collect();
            assert!(left.is_empty(), "files left behind: {left:?}");
        }
        StoreConfig::Postgres { .. } => match backup::table_dump(target).await {
            Err(BackupError::NotYtcs(_)) => {}
            Ok(tables) => {
                for t in tables {
                    assert!(t.rows.is_empty(), "{} has rows", t.name);
                }
            }
            Err(e) => panic!("{e}"),
        },
    }
}

async fn a_damaged_backup_is_refused_and_the_target_stays_empty(f: Fresh) {
    fill(f.store.as_ref()).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.zip");
    backup::backup(&f.config, &good, false).await.unwrap();
    let (target, _g) = f.another();

    // One byte of a table file changed (the zip itself is well formed).
    let flipped = dir.path().join("flipped.zip");
    rewrite(&good, &flipped, |name, mut b| {
        if name == "tables/staff.jsonl" {
            let i = b.iter().position(|c| *c == b'Y').unwrap();
            b[i] = b'Z';
        }
        b
    });
    let e = backup::restore(&flipped, &target).await.unwrap_err();
    assert!(matches!(e, BackupError::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("tables/staff.jsonl"), "{e}");
    assert_untouched(&target).await;

    // A row dropped, with the checksum fixed to match: the count disagrees.
    let short = dir.path().join("short.zip");
    rewrite(&good, &short, |name, b| {
        if name == "tables/org_unit.jsonl" {
            let text = String::from_utf8(b).unwrap();
            let rest = text.split_once('\n').unwrap().1.to_string();
            return rest.into_bytes();
        }
        if name == "manifest.json" {
            let mut m: Manifest = serde_json::from_slice(&b).unwrap();
            let t = m.tables.iter_mut().find(|t| t.name == "org_unit").unwrap();
            let mut a = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
            let mut text = String::new();
            a.by_name("tables/org_unit.jsonl")
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            let rest = text.split_once('\n').unwrap().1;
            t.sha256 = format!("{:x}", Sha256::digest(rest.as_bytes()));
            return serde_json::to_vec(&m).unwrap();
        }
        b
    });
    let e = backup::restore(&short, &target).await.unwrap_err();
    assert!(e.to_string().contains("rows, the manifest says"), "{e}");
    assert_untouched(&target).await;

    // The file cut short.
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = backup::restore(&cut, &target).await.unwrap_err();
    assert!(matches!(e, BackupError::NotABackup { .. }), "{e}");
    assert_untouched(&target).await;

    // Not a backup at all, and no file.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let e = backup::restore(&text, &target).await.unwrap_err();
    assert!(e.to_string().contains("is not a ytcs backup"), "{e}");
    let e = backup::restore(&dir.path().join("missing.zip"), &target)
        .await
        .unwrap_err();
    assert!(matches!(e, BackupError::Io { .. }), "{e}");
    assert_untouched(&target).await;

    // And the good one still restores.
    backup::restore(&good, &target).await.unwrap();
}

async fn a_restore_that_fails_midway_leaves_the_target_empty(f: Fresh) {
    fill(f.store.as_ref()).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.zip");
    backup::backup(&f.config, &good, false).await.unwrap();
    // A well-formed backup whose last table repeats a key: every check on
    // the file passes and the database refuses it at the end.
    let m = manifest_of(&good);
    let last = m.tables.iter().map(|t| t.name.clone()).max().unwrap();
    let last_file = format!("tables/{last}.jsonl");
    let bad = dir.path().join("bad.zip");
    let mut doubled = Vec::new();
    rewrite(&good, &bad, |name, b| {
        if name == last_file {
            let text = String::from_utf8(b).unwrap();
            let first = text.lines().next().unwrap().to_string();
            doubled = format!("{text}{first}\n").into_bytes();
            return doubled.clone();
        }
        b
    });
    rewrite(&bad.clone(), &dir.path().join("bad2.zip"), |name, b| {
        if name == "manifest.json" {
            let mut m: Manifest = serde_json::from_slice(&b).unwrap();
            let t = m.tables.iter_mut().find(|t| t.name == last).unwrap();
            t.rows += 1;
            t.sha256 = format!("{:x}", Sha256::digest(&doubled));
            return serde_json::to_vec(&m).unwrap();
        }
        b
    });
    let (target, _g) = f.another();
    let e = backup::restore(&dir.path().join("bad2.zip"), &target)
        .await
        .unwrap_err();
    assert!(matches!(e, BackupError::Query(_)), "{e}");
    assert_untouched(&target).await;
}

async fn a_non_empty_target_the_other_engine_or_a_newer_schema_are_refused(f: Fresh) {
    fill(f.store.as_ref()).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.zip");
    backup::backup(&f.config, &file, false).await.unwrap();

    // A target with data.
    let other = Fresh::new(f.engine, true).await;
    let before = backup::table_dump(&other.config).await.unwrap();
    let e = backup::restore(&file, &other.config).await.unwrap_err();
    assert!(matches!(e, BackupError::TargetNotEmpty { .. }), "{e}");
    assert!(e.to_string().contains("not empty"), "{e}");
    assert_same(&before, &backup::table_dump(&other.config).await.unwrap());
    // Its own source, too.
    let e = backup::restore(&file, &f.config).await.unwrap_err();
    assert!(matches!(e, BackupError::TargetNotEmpty { .. }), "{e}");

    // A leftover journal of an earlier database where the new one would go.
    let (config, _g) = f.another();
    if let StoreConfig::Sqlite { path } = &config {
        let wal = format!("{}-wal", path.display());
        std::fs::write(&wal, b"old").unwrap();
        let e = backup::restore(&file, &config).await.unwrap_err();
        assert!(matches!(e, BackupError::Leftover(_)), "{e}");
        assert!(!path.exists());
    }

    // The other engine.
    let other_engine = match f.engine {
        Engine::Sqlite => Engine::Postgres,
        Engine::Postgres => Engine::Sqlite,
    };
    let (target, _g) = Fresh::unopened(other_engine);
    let e = backup::restore(&file, &target).await.unwrap_err();
    assert!(matches!(e, BackupError::WrongEngine { .. }), "{e}");
    assert_untouched(&target).await;

    // A backup made by a newer ytcs (a migration this one lacks), and by an
    // older one.
    let (target, _g) = f.another();
    for (extra, expect) in [(true, "newer"), (false, "older")] {
        let edited = dir.path().join(format!("{expect}.zip"));
        rewrite(&file, &edited, |name, b| {
            if name == "manifest.json" {
                let mut m: Manifest = serde_json::from_slice(&b).unwrap();
                if extra {
                    m.migrations.push(99_990_101);
                } else {
                    m.migrations.pop();
                }
                return serde_json::to_vec(&m).unwrap();
            }
            b
        });
        let e = backup::restore(&edited, &target).await.unwrap_err();
        assert!(e.to_string().contains(expect), "{e}");
        assert_untouched(&target).await;
    }
}
