//! `GET /api/v1/analytics` on the real server answers cell for cell what
//! `ytcs indicator value --json` prints on the same data (one engine), and
//! refuses a bad query with a message naming the part.

mod common;

use common::*;

#[test]
fn the_api_and_the_cli_give_the_same_cells_and_bad_queries_are_named() {
    let dir = prepared_data_dir();
    let server = Server::start(dir.path(), &["--demo"]);
    let at = "2026-06-30";
    let (status, body) = server.get(&format!(
        "/api/v1/analytics?indicator=bhyt_coverage,live_births,imr,population&org=51,children&period=2024,2025&at={at}"
    ));
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let cells = v["cells"].as_array().unwrap();
    let units = cells.len() / 8;
    assert_eq!(cells.len(), 8 * units, "4 indicators × 2 years × units");
    assert!(units > 50, "the province and its communes: {units}");
    assert_eq!(cells[0]["org"], "51");
    assert_eq!(cells[1]["org"].as_str().unwrap().len(), 5, "a commune next");
    // Every cell of the province, and of a few communes, is what the CLI
    // prints for it.
    let picked: Vec<&serde_json::Value> = cells
        .iter()
        .filter(|c| {
            c["org"] == "51" || c["org"] == cells[1]["org"] || c["org"] == cells[units - 1]["org"]
        })
        .collect();
    assert_eq!(picked.len(), 24);
    for cell in picked {
        let o = run(&[
            "--data-dir",
            dir.path().to_str().unwrap(),
            "indicator",
            "value",
            cell["code"].as_str().unwrap(),
            "--org",
            cell["org"].as_str().unwrap(),
            "--period",
            cell["period"].as_str().unwrap(),
            "--at",
            at,
            "--json",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(&printed, cell);
    }
    // The demo province's insurance coverage is a plausible, reliable figure.
    let bhyt = &cells[0];
    assert_eq!(bhyt["code"], "bhyt_coverage");
    let x = bhyt["value"].as_f64().unwrap();
    assert!(
        (80.0..=100.0).contains(&x) && bhyt["reliable"] == true,
        "{bhyt}"
    );

    // Bad queries: 400 naming the part.
    for (query, needle) in [
        (
            "indicator=nope&org=51&period=2024",
            "unknown indicator 'nope'",
        ),
        (
            "indicator=imr&org=99999&period=2024",
            "no unit carries code '99999'",
        ),
        (
            "indicator=imr&org=51&period=2024-13",
            "'2024-13' is not a period",
        ),
        ("indicator=imr&org=children&period=2024", "put a code first"),
        ("indicator=imr&period=2024", "org is required"),
        (
            "indicator=imr&org=51&period=2024&at=31/12/2024",
            "is not a date",
        ),
    ] {
        let (status, body) = server.get(&format!("/api/v1/analytics?{query}"));
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body.contains(needle), "{query}: {body}");
    }
    // Signed in only.
    let (status, _) = server.get_anonymous("/api/v1/analytics?indicator=imr&org=51&period=2024");
    assert_eq!(status, 401);
    // In the OpenAPI document.
    let (_, doc) = server.get("/api/v1/openapi.json");
    assert!(doc.contains("/api/v1/analytics"));
}
