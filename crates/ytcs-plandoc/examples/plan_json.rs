//! Prints the plan JSON of each file given, and the throughput.
fn main() {
    for path in std::env::args().skip(1) {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("{path}: unreadable");
            continue;
        };
        let name = std::path::Path::new(&path)
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match ytcs_plandoc::parse_bytes(&name, &bytes) {
            Ok(plan) => println!(
                "{}",
                serde_json::to_string_pretty(&plan).unwrap_or_default()
            ),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
