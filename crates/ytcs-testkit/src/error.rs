//! The one error type of the test kit.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Everything that can go wrong while starting or driving a test
/// collaborator. Messages say what to do about it (usually what to install).
#[derive(Debug)]
pub enum TestkitError {
    /// No PostgreSQL server binaries (`initdb`, `pg_ctl`) were found.
    PostgresNotInstalled {
        /// The places that were searched, for the message.
        searched: Vec<String>,
    },
    /// Running as root, but there is no unprivileged `postgres` user (or no
    /// `runuser`/`setpriv`) to run the server as: `initdb` refuses root.
    NoUnprivilegedUser {
        /// What exactly was missing.
        detail: String,
    },
    /// A browser binary is not at its Debian path.
    BrowserNotInstalled {
        /// The path that was expected.
        path: PathBuf,
    },
    /// A database name that is not a plain identifier.
    InvalidDatabaseName(String),
    /// An I/O error, with what was being done.
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A command ran and failed.
    CommandFailed {
        /// The command line, for the message.
        command: String,
        /// How it ended.
        status: String,
        /// Its output (or the relevant log), trimmed.
        output: String,
    },
    /// Something did not become ready in time.
    Timeout {
        /// What was awaited.
        what: String,
        /// How long.
        waited: Duration,
        /// The relevant log, trimmed.
        log: String,
    },
}

impl TestkitError {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        TestkitError::Io {
            context: context.into(),
            source,
        }
    }
}

impl fmt::Display for TestkitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestkitError::PostgresNotInstalled { searched } => write!(
                f,
                "PostgreSQL server binaries (initdb, pg_ctl) not found (searched: {}). \
                 Install them with: apt-get install postgresql \
                 (or set YTCS_PG_BINDIR to a directory holding initdb, pg_ctl and psql)",
                searched.join(", ")
            ),
            TestkitError::NoUnprivilegedUser { detail } => write!(
                f,
                "running as root, and initdb refuses to run as root; the test server runs as \
                 the `postgres` system user, but {detail}. Install PostgreSQL with: \
                 apt-get install postgresql (it creates the user), or run the tests as a \
                 non-root user"
            ),
            TestkitError::BrowserNotInstalled { path } => write!(
                f,
                "{} not found. Install the browser with: \
                 apt-get install chromium chromium-driver fonts-noto-core",
                path.display()
            ),
            TestkitError::InvalidDatabaseName(name) => write!(
                f,
                "invalid database name {name:?}: use 1 to 63 ASCII letters, digits or underscores"
            ),
            TestkitError::Io { context, source } => write!(f, "{context}: {source}"),
            TestkitError::CommandFailed {
                command,
                status,
                output,
            } => write!(f, "`{command}` failed ({status}):\n{output}"),
            TestkitError::Timeout { what, waited, log } => {
                write!(f, "{what} not ready after {waited:?}:\n{log}")
            }
        }
    }
}

impl std::error::Error for TestkitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TestkitError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_postgres_says_what_to_install() {
        let err = TestkitError::PostgresNotInstalled {
            searched: vec!["pg_config --bindir".into()],
        };
        assert!(
            err.to_string().contains("apt-get install postgresql"),
            "{err}"
        );
    }

    #[test]
    fn missing_browser_says_what_to_install() {
        let err = TestkitError::BrowserNotInstalled {
            path: PathBuf::from("/usr/bin/chromium"),
        };
        let msg = err.to_string();
        assert!(
            msg.contains("apt-get install chromium chromium-driver fonts-noto-core"),
            "{msg}"
        );
    }
}
