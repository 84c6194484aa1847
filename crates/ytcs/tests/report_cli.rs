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

/// `ytcs report form` on the demo: the forms in force by day; a
/// commune's monthly form and the province's, as JSON, XLSX and PDF read
/// back; the same figures in each.
#[test]
fn statutory_forms_are_listed_filled_and_written() {
    let dir = prepared_data_dir();
    let data = path_str(dir.path());
    let listed = |day: &str| -> serde_json::Value {
        let o = run(&[
            "--data-dir",
            &data,
            "report",
            "forms",
            "--at",
            day,
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let june = listed("2025-06-15");
    let july = listed("2025-07-15");
    let codes = |v: &serde_json::Value| -> Vec<(String, String)> {
        v["forms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_string(),
                    f["circular"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(codes(&june).contains(&("1/BCX".into(), "37/2019/TT-BYT".into())));
    assert!(
        codes(&june).iter().any(|(c, _)| c == "1/BCH"),
        "district forms before the reform"
    );
    assert!(codes(&july).contains(&("1/TYT".into(), "23/2025/TT-BYT".into())));
    assert!(
        !codes(&july).iter().any(|(c, _)| c == "1/BCH"),
        "no district after it"
    );

    // A demo commune with registers, in JSON: every cell listed.
    let o = run(&[
        "--data-dir",
        &data,
        "report",
        "form",
        "commune_monthly",
        "--org",
        "23479",
        "--period",
        "2025-09",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let f: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(f["code"], "1/TYT");
    let cells: Vec<&serde_json::Value> = f["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["cells"].as_array().unwrap())
        .collect();
    assert!(cells.len() > 20);
    for c in &cells {
        assert!(c["row"].is_string() && c["column"].is_string());
        assert!(c["value"].is_number() || c["value"].is_null());
        assert!(c["computed"] == "registers" || c["computed"] == "entered");
        assert!(c["reliable"].is_boolean() && c["flags"].is_array());
    }
    let births = cells
        .iter()
        .find(|c| c["row"] == "1" && c["column"] == "total")
        .unwrap();
    assert_eq!(births["computed"], "registers");
    assert!(
        births["value"].is_number(),
        "the demo registers give births: {births}"
    );

    // The province's form in the three file formats, read back.
    let out = tempfile::tempdir().unwrap();
    let file = |ext: &str| path_str(&out.path().join(format!("f.{ext}")));
    let form = |format: &str, out: Option<&str>| {
        let mut args = vec![
            "--data-dir",
            &data,
            "report",
            "form",
            "1/BCT",
            "--org",
            "51",
            "--period",
            "2025-09",
            "--format",
            format,
        ];
        if let Some(o) = out {
            args.extend(["--out", o]);
        }
        run(&args)
    };
    let o = form("json", None);
    assert!(o.status.success(), "{}", stderr(&o));
    let p: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let total_births = p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "1")
        .unwrap()["cells"][0]["value"]
        .as_f64()
        .unwrap();
    assert!(total_births > 0.0);
    for f in ["xlsx", "pdf"] {
        let o = form(f, Some(&file(f)));
        assert!(o.status.success(), "{f}: {}", stderr(&o));
    }
    {
        use calamine::Reader;
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook(file("xlsx")).unwrap();
        let sheet = wb.worksheet_range("Bieu").unwrap();
        let row = sheet
            .rows()
            .find(|r| r.first().map(|c| c.to_string()) == Some("1".into()))
            .expect("row 1 of the form");
        assert_eq!(row[1].to_string(), "Số trẻ đẻ sống");
        assert_eq!(row[2].to_string().parse::<f64>().unwrap(), total_births);
    }
    let text = pdftotext(&file("pdf"));
    for needle in [
        "BIỂU 1/BCT",
        "Số trẻ đẻ sống",
        "Thông tư 23/2025/TT-BYT",
        "Hạn gửi",
    ] {
        assert!(text.contains(needle), "PDF lacks «{needle}»: {text}");
    }

    // Refusals name the problem and write nothing.
    let o = form("xlsx", None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("--out"), "{}", stderr(&o));
    let o = run(&[
        "--data-dir",
        &data,
        "report",
        "form",
        "1/BCX",
        "--org",
        "51",
        "--period",
        "2025-09",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no version for 2025-09"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "--data-dir",
        &data,
        "report",
        "form",
        "commune_monthly",
        "--org",
        "51",
        "--period",
        "2025-09",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("made by a commune"), "{}", stderr(&o));
}

/// A definition file in the data directory that names an unknown element
/// stops the command before anything is read, naming file and line.
#[test]
fn a_bad_form_definition_in_the_data_directory_is_refused() {
    let dir = prepared_data_dir();
    let data = path_str(dir.path());
    std::fs::create_dir(dir.path().join("report-forms")).unwrap();
    std::fs::write(
        dir.path().join("report-forms").join("x.toml"),
        "[circular]\ncode = \"1/2030/TT-BYT\"\ntitle_vi = \"x\"\ntitle_en = \"x\"\neffective_from = \"2030-01-01\"\nverified = \"no\"\n\n[[form]]\nkey = \"k\"\ncode = \"1\"\nname_vi = \"x\"\nname_en = \"x\"\nlevel = \"commune\"\nperiod = \"month\"\ndue_working_days = 5\nverified = \"no\"\ncolumn = [{ code = \"total\", label_vi = \"T\", label_en = \"T\" }]\n\n[[form.row]]\ncode = \"1\"\nlabel_vi = \"x\"\nlabel_en = \"x\"\nelement = \"births\"\n",
    )
    .unwrap();
    let o = run(&["--data-dir", &data, "report", "forms"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("x.toml:23:") && e.contains("unknown data element 'births'"),
        "{e}"
    );
    // The server refuses to start on it (before listening).
    let mut child = common::ytcs()
        .args(["--data-dir", &data, "serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server started with a bad form definition");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(!status.success());
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("x.toml:23:"), "{err}");
}
