//! The web crate's layout rule (ARCHITECTURE.md): `app/` imports no
//! feature and not the API; a feature (`features/<area>/`) imports `app`
//! and the engine, never another feature nor the API; the API imports no
//! feature. Checked on the source text, comments left out.

use std::path::{Path, PathBuf};

/// The areas a piece of code names: `features::AREA` (also inside a
/// `crate::{…}` group) and `api` for `crate::api`.
fn named_areas(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("features::") {
            let after = &rest[i + "features::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != "routes" {
                out.push(name);
            }
            rest = after;
        }
        if line.contains("crate::api") || line.contains("crate::{api") {
            out.push("api".into());
        }
        if line.contains("super::super") {
            out.push("super::super".into());
        }
    }
    out
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

/// What a file of `src/` may not name, given its place.
fn breaks_the_rule(rel: &str, code: &str) -> Vec<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let named = named_areas(code);
    match parts.as_slice() {
        ["app", ..] | ["api", ..] => named,
        ["features", "mod.rs"] => Vec::new(),
        ["features", area, ..] => {
            let own = area.trim_end_matches(".rs");
            named.into_iter().filter(|n| n != own).collect()
        }
        _ => Vec::new(),
    }
}

#[test]
fn the_rule_sees_a_feature_naming_another() {
    let bad = "use crate::features::plans::label;\n";
    assert_eq!(breaks_the_rule("features/dashboard/mod.rs", bad), ["plans"]);
    assert!(breaks_the_rule("features/plans/mark.rs", bad).is_empty());
    assert_eq!(
        breaks_the_rule("app/page.rs", "let x = crate::features::home::f();"),
        ["home"]
    );
    assert_eq!(
        breaks_the_rule("features/home/mod.rs", "use crate::api::openapi;"),
        ["api"]
    );
    assert_eq!(
        breaks_the_rule("features/plans/mark.rs", "use super::super::home::x;"),
        ["super::super"]
    );
    assert!(breaks_the_rule("app/routes.rs", "//! `features::*::routes`").is_empty());
}

#[test]
fn features_import_app_and_the_engine_never_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut broken = Vec::new();
    let mut features = 0;
    for f in &files {
        let rel = f
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        features += usize::from(rel.starts_with("features/"));
        let names = breaks_the_rule(&rel, &std::fs::read_to_string(f).unwrap());
        if !names.is_empty() {
            broken.push(format!("{rel} names {names:?}"));
        }
    }
    assert!(features >= 10, "the features were not found under {src:?}");
    assert!(
        broken.is_empty(),
        "move what is shared into app/ (or the engine):\n{}",
        broken.join("\n")
    );
}
