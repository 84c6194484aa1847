//! Running external commands with bounded waits and useful failure messages.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::TestkitError;

/// A command line as one string, for messages.
pub(crate) fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Runs `cmd` to completion with stdin closed and returns its stdout; a
/// non-zero exit becomes [`TestkitError::CommandFailed`] with both streams.
pub(crate) fn run(cmd: &mut Command) -> Result<String, TestkitError> {
    let command = describe(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| TestkitError::io(format!("starting `{command}`"), e))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(TestkitError::CommandFailed {
        command,
        status: out.status.to_string(),
        output: tail(&format!("{stdout}{stderr}"), 60),
    })
}

/// Runs `cmd` with stdout and stderr sent to files in `scratch` (so that
/// grandchildren holding them open cannot block us), killing it after
/// `limit`. Returns (status, stdout, stderr).
pub(crate) fn run_bounded(
    cmd: &mut Command,
    scratch: &Path,
    limit: Duration,
) -> Result<(ExitStatus, String, String), TestkitError> {
    let command = describe(cmd);
    let out_path = scratch.join("stdout.txt");
    let err_path = scratch.join("stderr.txt");
    let create = |p: &Path| {
        File::create(p).map_err(|e| TestkitError::io(format!("creating {}", p.display()), e))
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(create(&out_path)?)
        .stderr(create(&err_path)?)
        .spawn()
        .map_err(|e| TestkitError::io(format!("starting `{command}`"), e))?;
    let deadline = Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(TestkitError::Timeout {
                    what: format!("`{command}`"),
                    waited: limit,
                    log: tail(&read_lossy(&err_path), 40),
                });
            }
            Err(e) => return Err(TestkitError::io(format!("waiting for `{command}`"), e)),
        }
    };
    Ok((status, read_lossy(&out_path), read_lossy(&err_path)))
}

/// A file's content as text, empty when unreadable.
pub(crate) fn read_lossy(path: &Path) -> String {
    std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The last `lines` lines of `text`.
pub(crate) fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Whether this process runs with effective uid 0. `/proc/self` is owned by
/// the effective uid; `id -u` is the fallback where there is no procfs.
pub(crate) fn running_as_root() -> bool {
    if let Ok(meta) = std::fs::metadata("/proc/self") {
        return meta.uid() == 0;
    }
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The first executable file called `name` on `PATH`.
pub(crate) fn which(name: &str) -> Option<std::path::PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

/// Whether `path` is a regular file with an execute bit set.
pub(crate) fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path)
        .map(|m| m.is_file() && m.mode() & 0o111 != 0)
        .unwrap_or(false)
}
