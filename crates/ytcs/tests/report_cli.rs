//! `ytcs report plan` on the real binary over the demo database: each
//! format written and read back, a year without data, refusals, and no
//! overwriting without `--force`.

mod common;

use std::io::Read;

use common::{path_str, prepared_data_dir, run, stderr, stdout};

/// The id of the demo's Kon Rẫy plan (tasks done, in progress, blocked;
/// an annual report handed in late).
fn kon_ray(data: &str) -> String {
    plan_by_issuer(data, "UBND huyện Kon Rẫy")
}

/// The id of the demo plan an issuer made.
fn plan_by_issuer(data: &str, issuer: &str) -> String {
    let o = run(&["--data-dir", data, "plan", "list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let plans: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["issuer"] == issuer)
        .unwrap()["id"]
        .to_string()
}

fn report(data: &str, plan: &str, year: &str, format: &str, out: &str) -> std::process::Output {
    run(&[
        "--data-dir",
        data,
        "report",
        "plan",
        plan,
        "--org",
        "51",
        "--year",
        year,
        "--format",
        format,
        "--out",
        out,
    ])
}

#[test]
fn each_format_is_written_and_reads_back() {
    let dir = prepared_data_dir();
    let data = path_str(dir.path());
    let plan = kon_ray(&data);
    let out = tempfile::tempdir().unwrap();
    let file = |ext: &str| path_str(&out.path().join(format!("r.{ext}")));

    for f in ["html", "docx", "xlsx", "pdf"] {
        let o = report(&data, &plan, "2025", f, &file(f));
        assert!(o.status.success(), "{f}: {}", stderr(&o));
        assert!(stdout(&o).contains("wrote"), "{}", stdout(&o));
    }

    let html = std::fs::read_to_string(file("html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("BÁO CÁO"));
    assert!(html.contains("Kết quả thực hiện Kế hoạch của UBND huyện Kon Rẫy, năm 2025"));
    assert!(
        html.contains("Đã rà soát 8/12 thôn; đang hoàn thiện hồ sơ."),
        "a task's note"
    );
    assert!(html.contains("Vướng mắc"), "the blocked task");

    let mut zip = zip::ZipArchive::new(std::fs::File::open(file("docx")).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ VÀ CHẾ ĐỘ BÁO CÁO"));
    assert!(xml.contains("Chờ hướng dẫn của Sở Y tế về định mức kinh phí."));

    {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(file("xlsx")).unwrap();
        let crit = wb.worksheet_range("IV. Tiêu chí xã").unwrap();
        let cells: Vec<String> = crit.rows().flatten().map(|c| c.to_string()).collect();
        assert!(
            cells.iter().any(|c| c == "Đạt"),
            "the demo's communes that pass"
        );
        assert!(cells.iter().any(|c| c == "Chưa đạt"));
    }

    let pdf = std::fs::read(file("pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdftotext(&file("pdf"));
    for needle in [
        "BÁO CÁO",
        "Kết quả thực hiện",
        "Chỉ tiêu",
        "Bộ tiêu chí quốc gia",
        "Trang 1/",
    ] {
        assert!(text.contains(needle), "PDF lacks «{needle}»");
    }
}

#[test]
fn a_year_without_data_is_a_report_that_says_so() {
    let dir = prepared_data_dir();
    let data = path_str(dir.path());
    // The Tuyên Quang plan's indicators are read from aggregate data, of
    // which the demo has none before 2022. (Registry figures answer for
    // any year from dated records, so plans measured by them have actuals.)
    let plan = plan_by_issuer(&data, "UBND tỉnh Tuyên Quang");
    let out = tempfile::tempdir().unwrap();
    let pdf = path_str(&out.path().join("none.pdf"));
    let o = report(&data, &plan, "2010", "pdf", &pdf);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("no data for 2010"), "{}", stdout(&o));
    let text = pdftotext(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "Chưa có số liệu thực hiện của năm 2010 cho kế hoạch này tại Tỉnh Quảng Ngãi (mã 51)."
        ),
        "{text}"
    );
}

#[test]
fn bad_input_is_refused_and_files_are_not_overwritten_without_force() {
    let dir = prepared_data_dir();
    let data = path_str(dir.path());
    let plan = kon_ray(&data);
    let out = tempfile::tempdir().unwrap();
    let target = path_str(&out.path().join("r.xlsx"));

    let o = report(&data, "9999", "2025", "xlsx", &target);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no plan with id 9999"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "--data-dir",
        &data,
        "report",
        "plan",
        &plan,
        "--org",
        "99999",
        "--year",
        "2025",
        "--format",
        "xlsx",
        "--out",
        &target,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no unit carries code '99999' in 2025"),
        "{}",
        stderr(&o)
    );
    let o = report(&data, &plan, "1850", "xlsx", &target);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("year 1850 is outside 2000–2100"),
        "{}",
        stderr(&o)
    );
    assert!(
        !out.path().join("r.xlsx").exists(),
        "nothing is written on a refusal"
    );
    let o = report(&data, &plan, "2025", "odt", &target);
    assert_eq!(
        o.status.code(),
        Some(2),
        "an unknown format is a bad command line"
    );

    std::fs::write(&target, b"keep me").unwrap();
    let o = report(&data, &plan, "2025", "xlsx", &target);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&target).unwrap(), b"keep me");
    let o = run(&[
        "--data-dir",
        &data,
        "report",
        "plan",
        &plan,
        "--org",
        "51",
        "--year",
        "2025",
        "--format",
        "xlsx",
        "--out",
        &target,
        "--force",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&target).unwrap().starts_with(b"PK"));
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(leftovers, ["r.xlsx"], "no temporary file is left behind");
}

fn pdftotext(path: &str) -> String {
    let o = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", path, "-"])
        .output()
        .expect("pdftotext (Debian package poppler-utils) is installed");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}
