//! The plan report on the demo province: the model, its layout as a
//! reviewed snapshot, and each file format read back.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use ytcs_core::tracking::TaskStatus;
use ytcs_core::Date;
use ytcs_report::layout::{layout, Block, Document};
use ytcs_report::{build_report, render_docx, render_pdf, render_xlsx, ReportError};
use ytcs_store::tracking::{
    Assessment, BudgetEntry, BudgetEntryKind, NewTaskUpdate, ReportSubmission,
};
use ytcs_store::{Store, StoreConfig};

const SEED: (&str, &str) = (
    "001_6c2c492b7eec1205.txt",
    include_str!("../../../data/seeds/001_6c2c492b7eec1205.txt"),
);

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

/// A store with the reference units, the demo network and values of
/// province 51, the Tuyên Quang seed plan and execution records of 2025:
/// task updates (one done, one blocked), a report handed in late, budget
/// entries (one line over budget) and criteria assessments of five
/// communes of 51. Built once per test binary.
async fn demo_store() -> (Arc<dyn Store>, i64) {
    use std::sync::OnceLock;
    static BASE: OnceLock<(tempfile::TempDir, i64)> = OnceLock::new();
    let (base, id) = BASE.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let path = dir.path().join("r.db");
        let id = std::thread::spawn(move || {
            tokio::runtime::Runtime::new().unwrap().block_on(async {
                let s = ytcs_store::open_initialised(&StoreConfig::Sqlite { path })
                    .await
                    .unwrap();
                ytcs_synth::demo_network::load_demo(s.as_ref())
                    .await
                    .unwrap();
                ytcs_synth::demo::load_demo_values(s.as_ref())
                    .await
                    .unwrap();
                let plan = ytcs_plandoc::parse_bytes(SEED.0, SEED.1.as_bytes()).unwrap();
                let (id, _) = s.insert_plan(&plan, SEED.1).await.unwrap();
                seed_execution(s.as_ref(), id, &plan).await;
                id
            })
        })
        .join()
        .unwrap();
        (dir, id)
    });
    // Tests only read: they share the one database.
    let store = ytcs_store::open(&StoreConfig::Sqlite {
        path: base.path().join("r.db"),
    })
    .await
    .unwrap();
    (store, *id)
}

async fn seed_execution(s: &dyn Store, id: i64, plan: &ytcs_core::plan::Plan) {
    for (task, status, progress, on, note) in [
        (
            &plan.tasks[1],
            TaskStatus::Done,
            Some(100u8),
            "2025-03-20",
            "Đã ban hành văn bản chỉ đạo.",
        ),
        (
            &plan.tasks[2],
            TaskStatus::Blocked,
            Some(30),
            "2025-06-02",
            "Chờ bố trí kinh phí.",
        ),
    ] {
        s.add_task_update(&NewTaskUpdate {
            plan_id: id,
            task_id: task.id.clone(),
            on: d(on),
            status,
            progress,
            note: note.into(),
            evidence: None,
        })
        .await
        .unwrap();
    }
    if let Some(duty) = plan.reporting.first() {
        if let Some(rule) = ytcs_core::tracking::duty_due(duty) {
            if let Some(due) =
                ytcs_core::tracking::occurrences(&rule, d("2025-01-01"), d("2025-12-31")).first()
            {
                s.submit_report(
                    id,
                    &ReportSubmission {
                        duty: 0,
                        due: *due,
                        unit: duty.by.first().cloned().unwrap_or_default(),
                        submitted_on: *due + chrono::Duration::days(5),
                        note: String::new(),
                    },
                )
                .await
                .unwrap();
            }
        }
    }
    // Entries go to lines that are not totals of other lines.
    let lines: Vec<_> = plan
        .budget
        .iter()
        .filter(|l| {
            !plan
                .budget
                .iter()
                .any(|b| b.parent.as_deref() == Some(l.id.as_str()))
        })
        .collect();
    for (i, l) in lines.iter().enumerate().take(2) {
        let paid = if i == 0 {
            l.amount_vnd / 2
        } else {
            l.amount_vnd + 1_500_000
        };
        for (kind, amount) in [
            (BudgetEntryKind::Commitment, l.amount_vnd),
            (BudgetEntryKind::Disbursement, paid),
        ] {
            s.add_budget_entry(
                id,
                &BudgetEntry {
                    line_id: l.id.clone(),
                    on: d("2025-05-15"),
                    kind,
                    amount_vnd: amount,
                    source: None,
                    note: String::new(),
                },
            )
            .await
            .unwrap();
        }
    }
    let province = s
        .unit_at(
            &ytcs_core::org::OrgCode::parse("51").unwrap(),
            d("2025-12-31"),
        )
        .await
        .unwrap()
        .unwrap();
    let mut communes = s.children(province.id, d("2025-12-31")).await.unwrap();
    communes.sort_by(|a, b| a.code.cmp(&b.code));
    for (n, c) in communes.iter().take(5).enumerate() {
        let total = 70.0 + 5.0 * n as f64;
        s.save_assessment(&Assessment {
            commune: c.id,
            year: 2025,
            scores: BTreeMap::from([("1".to_string(), total)]),
            total,
            passed: total >= 80.0,
            recognised_on: (total >= 80.0).then(|| d("2025-12-20")),
        })
        .await
        .unwrap();
    }
}

/// The document as plain text, one line per paragraph or table row.
fn text_of(doc: &Document) -> String {
    let mut out = Vec::new();
    if let Some(l) = &doc.letterhead {
        out.extend(l.above.clone());
        out.push(format!("{} | {}", l.body, l.nation));
        out.push(format!("{} | {}", l.number, l.motto));
        out.push(format!("| {}", l.place_date));
    }
    out.extend([doc.heading.clone(), doc.title.clone()]);
    out.extend(doc.subtitle.clone());
    out.extend(doc.notice.clone());
    out.extend(doc.facts.iter().map(|(k, v)| format!("{k}: {v}")));
    for s in &doc.sections {
        out.push(format!("## {}", s.title));
        for b in &s.blocks {
            match b {
                Block::Paragraph(p) => out.push(p.clone()),
                Block::Subheading(h) => out.push(format!("### {h}")),
                Block::Table(t) => {
                    out.push(
                        t.columns
                            .iter()
                            .map(|c| c.header.as_str())
                            .collect::<Vec<_>>()
                            .join(" | "),
                    );
                    for r in &t.rows {
                        out.push(
                            r.cells
                                .iter()
                                .map(|c| c.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" | "),
                        );
                    }
                }
            }
        }
    }
    out.join("\n")
}

#[tokio::test]
async fn the_report_of_a_demo_plan_is_laid_out_in_the_plans_structure() {
    let (s, id) = demo_store().await;
    let r = build_report(s.as_ref(), id, "51", 2025, d("2026-02-01"))
        .await
        .unwrap();
    assert!(r.no_data.is_none());
    assert_eq!(r.org.code, "51");
    assert_eq!(r.as_of, d("2025-12-31"));
    assert!(r
        .title
        .starts_with("Kết quả thực hiện Kế hoạch của UBND tỉnh Tuyên Quang"));
    assert!(
        r.targets.iter().any(|t| t.actual.is_some()),
        "some target has a 2025 value at 51"
    );
    assert_eq!(r.criteria.assessed, 5);
    assert_eq!(r.criteria.passed, 3);
    assert!(r.budget.lines.iter().any(|l| l.overrun));
    assert!(r.tasks.iter().any(|t| t.status == TaskStatus::Done));
    insta::assert_snapshot!("demo_plan_51_2025", text_of(&layout(&r)));
}

#[tokio::test]
async fn every_format_carries_the_report_and_reads_back() {
    let (s, id) = demo_store().await;
    let r = build_report(s.as_ref(), id, "51", 2025, d("2026-02-01"))
        .await
        .unwrap();

    let xlsx = render_xlsx(&layout(&r)).unwrap();
    let cells = xlsx_cells(&xlsx);
    assert!(cells.contains("BÁO CÁO"));
    assert!(cells.contains("Kết quả thực hiện Kế hoạch"));
    assert!(cells.contains("Vượt dự toán"));
    assert!(
        cells.contains("Chậm tiến độ") || cells.contains("Đạt") || cells.contains("Có nguy cơ")
    );
    let sheets = xlsx_sheets(&xlsx);
    assert_eq!(
        sheets,
        [
            "Tổng hợp",
            "I. Chỉ tiêu",
            "II. Nhiệm vụ",
            "III. Kinh phí",
            "IV. Tiêu chí xã"
        ]
    );
    // Amounts are numbers, not text.
    assert!(xlsx_has_number(
        &xlsx,
        "III. Kinh phí",
        r.budget.planned_total as f64
    ));

    let docx = render_docx(&layout(&r)).unwrap();
    let xml = docx_text(&docx);
    assert!(xml.contains("BÁO CÁO"));
    assert!(xml.contains("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
    assert!(xml.contains("Vượt dự toán"));
    assert!(xml.contains(&ytcs_report::text::vnd(r.budget.planned_total)));

    let pdf = render_pdf(&layout(&r)).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // Kept for a person to look at.
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (ext, bytes) in [("pdf", &pdf), ("docx", &docx), ("xlsx", &xlsx)] {
        std::fs::write(out.join(format!("report-demo.{ext}")), bytes).unwrap();
    }
    let text = pdf_text(&pdf);
    for needle in [
        "BÁO CÁO",
        "Kết quả thực hiện",
        "Chỉ tiêu",
        "TÌNH HÌNH THỰC HIỆN KINH PHÍ",
        "Vượt dự toán",
        "Trang 1/",
    ] {
        assert!(squash(&text).contains(needle), "PDF text lacks «{needle}»");
    }
}

#[tokio::test]
async fn a_year_without_data_says_so_in_every_format() {
    let (s, id) = demo_store().await;
    let r = build_report(s.as_ref(), id, "51", 2003, d("2026-02-01"))
        .await
        .unwrap();
    let sentence =
        "Chưa có số liệu thực hiện của năm 2003 cho kế hoạch này tại Tỉnh Quảng Ngãi (mã 51).";
    assert_eq!(r.no_data.as_deref(), Some(sentence));
    assert!(xlsx_cells(&render_xlsx(&layout(&r)).unwrap()).contains(sentence));
    assert!(docx_text(&render_docx(&layout(&r)).unwrap()).contains(sentence));
    let pdf = pdf_text(&render_pdf(&layout(&r)).unwrap());
    assert!(
        squash(&pdf).contains(&squash(sentence)),
        "PDF text lacks the no-data sentence: {pdf}"
    );
}

#[tokio::test]
async fn unknown_plans_units_and_years_are_refused_by_name() {
    let (s, id) = demo_store().await;
    let today = d("2026-02-01");
    let e = build_report(s.as_ref(), 9999, "51", 2025, today)
        .await
        .unwrap_err();
    assert!(matches!(e, ReportError::UnknownPlan(9999)), "{e}");
    let e = build_report(s.as_ref(), id, "99999", 2025, today)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "no unit carries code '99999' in 2025");
    let e = build_report(s.as_ref(), id, "51", 1999, today)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "year 1999 is outside 2000–2100");
    let e = build_report(s.as_ref(), id, "x/../", 2025, today)
        .await
        .unwrap_err();
    assert!(matches!(e, ReportError::UnknownOrg { .. }));
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn xlsx_sheets(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    wb.sheet_names().to_vec()
}

fn xlsx_cells(bytes: &[u8]) -> String {
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = String::new();
    for name in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&name).unwrap();
        for row in range.rows() {
            for c in row {
                out.push_str(&c.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn xlsx_has_number(bytes: &[u8], sheet: &str, value: f64) -> bool {
    use calamine::{Data, Reader};
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .flatten()
        .any(|c| matches!(c, Data::Float(f) if (*f - value).abs() < 0.5))
}

fn docx_text(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    for part in ["[Content_Types].xml", "word/styles.xml", "word/footer1.xml"] {
        assert!(zip.by_name(part).is_ok(), "{part} is in the package");
    }
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Well-formed XML.
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("document.xml is not well-formed: {e}"),
        }
    }
    xml
}

/// The text of a PDF as `pdftotext` (poppler-utils) extracts it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A report that is not a plan report — any model laid out as a
/// `Document` — goes through the same three writers, and reads back.
#[test]
fn any_laid_out_document_is_written_in_every_format() {
    use ytcs_report::layout::{Cell, Column, Row, RowKind, Section, Table};
    let doc = Document {
        letterhead: Some(ytcs_report::layout::Letterhead::of(
            "Xã Cẩm Thành",
            Some("Tỉnh Quảng Ngãi"),
            "2026-12-07".parse().unwrap(),
        )),
        heading: "BÁO CÁO".into(),
        title: "Tình hình tiêm chủng tháng 11/2026".into(),
        subtitle: None,
        facts: vec![("Đơn vị".into(), "Trạm Y tế xã Cẩm Thành".into())],
        notice: None,
        sections: vec![Section {
            title: "I. SỐ TRẺ ĐƯỢC TIÊM".into(),
            sheet: "Tiêm chủng".into(),
            blocks: vec![
                Block::Paragraph("Số liệu lấy từ sổ tiêm chủng của trạm.".into()),
                Block::Table(Table {
                    columns: vec![
                        Column {
                            header: "Vắc xin".into(),
                            width: 3,
                            numeric: false,
                        },
                        Column {
                            header: "Số trẻ".into(),
                            width: 1,
                            numeric: true,
                        },
                    ],
                    rows: vec![Row {
                        cells: vec![Cell::text("Sởi – Rubella ≥ 95 %"), Cell::text("37")],
                        kind: RowKind::Normal,
                    }],
                }),
            ],
        }],
        file_stem: "tiem-chung-2026-11".into(),
    };
    for text in [
        xlsx_cells(&render_xlsx(&doc).unwrap()),
        docx_text(&render_docx(&doc).unwrap()),
        pdf_text(&render_pdf(&doc).unwrap()),
    ] {
        assert!(text.contains("Sởi – Rubella"), "{text}");
        assert!(text.contains("37"));
        // The same symbol in every format (the PDF's from its symbol face).
        assert!(text.contains("≥ 95 %"), "{text}");
        // The state letterhead, in every format.
        for line in [
            "UBND TỈNH QUẢNG NGÃI",
            "ỦY BAN NHÂN DÂN XÃ CẨM THÀNH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Quảng Ngãi, ngày 07 tháng 12 năm 2026",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
    }
}

/// A statutory form as a document: the form's number, circular, unit,
/// period and due day above; every row and column; blank for no data, `*`
/// after a figure that may not be signed plain; notes below.
#[test]
fn a_statutory_form_lays_out_as_the_printed_form() {
    use ytcs_core::period::Period;
    use ytcs_engine::statutory::{bundled, FilledCell, FilledForm, FilledRow};
    let p = Period::Month(2025, 9);
    let def = bundled().for_period("commune_monthly", p).unwrap();
    let mut n = 0.0;
    let rows = def
        .rows
        .iter()
        .map(|r| FilledRow {
            code: r.code.clone(),
            label_vi: r.label_vi.clone(),
            label_en: r.label_en.clone(),
            element: r.element.clone(),
            options: r.options.clone(),
            note: r.note.clone(),
            cells: r
                .columns
                .iter()
                .map(|c| {
                    n += 1.0;
                    FilledCell {
                        row: r.code.clone(),
                        column: c.clone(),
                        // Food poisoning was not entered: no data.
                        value: (r.code != "9").then_some(n),
                        computed: if r.code == "9" {
                            "entered"
                        } else {
                            "registers"
                        },
                        formula: String::new(),
                        reliable: r.code != "3.1",
                        flags: if r.code == "3.1" {
                            vec!["small_numbers"]
                        } else {
                            vec![]
                        },
                        coverage: None,
                        note_vi: None,
                    }
                })
                .collect(),
        })
        .collect();
    let f = FilledForm {
        key: def.key.clone(),
        code: def.code.clone(),
        circular: def.circular.clone(),
        circular_title_vi: def.circular_title_vi.clone(),
        name_vi: def.name_vi.clone(),
        name_en: def.name_en.clone(),
        level: def.level,
        org: "21025".into(),
        org_name: "Phường Cẩm Thành".into(),
        period: p.to_string(),
        at: p.end(),
        due: def.due(p),
        ended: true,
        verified: def.verified.clone(),
        columns: def.columns.clone(),
        rows,
    };
    let doc = ytcs_report::statutory::layout(&f);
    insta::assert_snapshot!("statutory_commune_monthly_2025_09", text_of(&doc));
    for format in [
        ytcs_report::Format::Xlsx,
        ytcs_report::Format::Pdf,
        ytcs_report::Format::Docx,
    ] {
        let bytes = ytcs_report::render_file(&doc, format).unwrap().unwrap();
        assert!(bytes.len() > 1000, "{format:?}");
    }
}
