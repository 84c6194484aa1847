//! ytcs-testkit: real collaborators for tests, started from the system's own
//! binaries — a throwaway PostgreSQL server ([`TestPostgres`]) and Debian's
//! Chromium and chromedriver ([`Browser`], [`ChromeDriver`]).
//!
//! Nothing here skips: when a binary is missing the functions return a
//! [`TestkitError`] that says what to install, and tests are expected to
//! `expect()` it so that they fail loudly on a machine that lacks it.
//!
//! One PostgreSQL server per test binary ([`TestPostgres::shared`], a
//! fresh database per test with `fresh_database`; `initdb` and `pg_ctl`
//! run as the `postgres` user when the tests run as root);
//! [`test_output_dir`] for screenshots; hostile files such as
//! [`shared_string_bomb`] (a tiny XLSX whose cells all point at one huge
//! shared string).
#![forbid(unsafe_code)]

mod browser;
mod error;
mod postgres;
mod process;
mod xlsx;

use std::path::{Path, PathBuf};

pub use browser::{Browser, ChromeDriver};
pub use error::TestkitError;
pub use postgres::TestPostgres;
pub use xlsx::shared_string_bomb;

/// `<workspace root>/test-output`, created if missing: where tests leave
/// artefacts (screenshots, rendered reports) for a human to look at.
///
/// The root is found by walking up from the running crate's
/// `CARGO_MANIFEST_DIR` (falling back to this crate's) to the first
/// directory whose `Cargo.toml` declares `[workspace]`, or else that holds a
/// `Cargo.lock`.
pub fn test_output_dir() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let dir = workspace_root(&start).join("test-output");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("ytcs-testkit: cannot create {}: {e}", dir.display());
    }
    dir
}

/// The workspace root above `start` (see [`test_output_dir`]); `start`
/// itself when none is found.
fn workspace_root(start: &Path) -> PathBuf {
    let declares_workspace = |dir: &Path| {
        std::fs::read_to_string(dir.join("Cargo.toml"))
            .map(|text| text.lines().any(|l| l.trim() == "[workspace]"))
            .unwrap_or(false)
    };
    if let Some(dir) = start.ancestors().find(|d| declares_workspace(d)) {
        return dir.to_path_buf();
    }
    if let Some(dir) = start.ancestors().find(|d| d.join("Cargo.lock").is_file()) {
        return dir.to_path_buf();
    }
    start.to_path_buf()
}

/// Picks a TCP port on 127.0.0.1 that is free right now (the OS chooses it
/// for a listener bound to port 0, which is then closed).
pub fn free_port() -> Result<u16, TestkitError> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| TestkitError::io("binding 127.0.0.1:0 to pick a free port", e))?;
    let port = listener
        .local_addr()
        .map_err(|e| TestkitError::io("reading the picked port", e))?
        .port();
    Ok(port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_is_the_directory_declaring_the_workspace() {
        let root = workspace_root(Path::new(env!("CARGO_MANIFEST_DIR")));
        assert!(root.join("Cargo.toml").is_file());
        assert!(root.join("crates").join("ytcs-testkit").is_dir());
    }

    #[test]
    fn test_output_dir_exists_under_the_workspace_root() {
        let dir = test_output_dir();
        assert!(dir.is_dir());
        assert!(dir.ends_with("test-output"));
        assert!(dir.parent().unwrap().join("crates").is_dir());
    }
}
