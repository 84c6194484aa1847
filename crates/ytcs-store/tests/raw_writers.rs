//! The raw writers (`ytcs_store::raw`) are named only by the registers'
//! derivation in the engine, the generators' loaders and tests: a page,
//! an import or a command that wrote register records or derived values
//! through them would skip the rules `ytcs-engine::registers` keeps.

use std::path::{Path, PathBuf};

/// Source files (relative to the workspace) allowed to name the module.
const ALLOWED: &[&str] = &[
    // The one writer of records and derived values.
    "crates/ytcs-engine/src/registers.rs",
    // Generated registers, loaded whole and then derived (`sync`).
    "crates/ytcs-synth/src/bench_registers.rs",
    "crates/ytcs/src/demo.rs",
    "crates/ytcs/src/generate_cmd.rs",
];

/// Whether Rust source `text` names `ytcs_store::raw` (a path, a `use`
/// group holding `raw`, or the crate renamed).
fn names_raw(text: &str) -> bool {
    if text.contains("ytcs_store::raw") || text.contains("ytcs_store as ") {
        return true;
    }
    text.match_indices("ytcs_store::{").any(|(i, m)| {
        let rest = &text[i + m.len()..];
        let mut depth = 1;
        let end = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(rest.len(), |(j, _)| j);
        rest[..end].split([',', '{', '}']).any(|item| {
            let item = item.trim();
            item == "raw" || item.starts_with("raw::") || item.starts_with("raw as ")
        })
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_detector_sees_every_way_of_naming_the_module() {
    assert!(names_raw("let w = ytcs_store::raw::writes(s);"));
    assert!(names_raw("use ytcs_store::{raw, Store};"));
    assert!(names_raw("use ytcs_store::{Store, raw::writes};"));
    assert!(names_raw("use ytcs_store::{values::{A, B}, raw as r};"));
    assert!(names_raw("use ytcs_store as st;"));
    assert!(!names_raw("use ytcs_store::{registers::RawRow, Store};"));
    assert!(!names_raw(
        "use ytcs_store::{Store, StoreError};\nlet raw = 1;"
    ));
}

#[test]
fn only_the_derivation_and_the_generators_loaders_name_the_raw_writers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for krate in std::fs::read_dir(root.join("crates")).unwrap() {
        let src = krate.unwrap().path().join("src");
        if src.is_dir() && !src.starts_with(root.join("crates/ytcs-store")) {
            rust_files(&src, &mut files);
        }
    }
    assert!(files.len() > 50, "the sources were not found: {files:?}");
    let mut offenders = Vec::new();
    let mut seen = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if names_raw(&std::fs::read_to_string(f).unwrap()) {
            if ALLOWED.contains(&rel.as_str()) {
                seen.push(rel);
            } else {
                offenders.push(rel);
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "these files name ytcs_store::raw; write records through \
         ytcs_engine::registers::save and values through ValueStore: {offenders:?}"
    );
    // A file that no longer needs the raw writers leaves the list.
    seen.sort();
    let mut allowed: Vec<String> = ALLOWED.iter().map(|s| s.to_string()).collect();
    allowed.sort();
    assert_eq!(
        seen, allowed,
        "ALLOWED names a file that does not use the raw writers"
    );
}
