//! A throwaway PostgreSQL server: `initdb` into a temporary directory,
//! `pg_ctl start` on a free port of 127.0.0.1, `pg_ctl stop` on drop.

use std::ffi::OsString;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::process::{is_executable, read_lossy, run, running_as_root, tail, which};
use crate::TestkitError;

/// How long the server may take to accept connections.
const START_LIMIT: Duration = Duration::from_secs(30);

/// The system user the server runs as when the tests run as root.
const SERVER_USER: &str = "postgres";

/// Settings appended to `postgresql.conf`: loopback only, socket in the
/// temporary directory, and durability off because the data is thrown away.
const SETTINGS: &str = "
# ytcs-testkit
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
";

/// A PostgreSQL server of its own in a temporary directory, reachable as the
/// superuser `postgres` without a password (trust authentication) on
/// 127.0.0.1.
///
/// When the tests run as root (as CI does), `initdb` and `pg_ctl` run as the
/// unprivileged `postgres` system user through `runuser` (or `setpriv`) and
/// the temporary directory is handed to that user; otherwise they run as the
/// current user. Clients (`psql`, the code under test) connect over TCP.
///
/// Dropping it stops the server (`pg_ctl stop -m immediate`) and removes
/// the directory. A small watchdog process does the same if the test
/// process ends without dropping it — which is what happens to
/// [`TestPostgres::shared`], since statics are never dropped.
pub struct TestPostgres {
    dir: TempDir,
    bindir: PathBuf,
    port: u16,
    runner: Runner,
    watchdog: Option<Child>,
}

/// How the server-side commands are run.
#[derive(Clone, Debug)]
enum Runner {
    /// As the current (non-root) user.
    Direct,
    /// Through a privilege-dropping prefix such as `runuser -u postgres --`.
    As(Vec<OsString>),
}

impl Runner {
    fn for_current_user() -> Result<Runner, TestkitError> {
        if !running_as_root() {
            return Ok(Runner::Direct);
        }
        let user_exists = std::fs::read_to_string("/etc/passwd")
            .map(|p| p.lines().any(|l| l.starts_with("postgres:")))
            .unwrap_or(false)
            || Command::new("id")
                .args(["-u", SERVER_USER])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
        if !user_exists {
            return Err(TestkitError::NoUnprivilegedUser {
                detail: "there is no `postgres` user".into(),
            });
        }
        if let Some(runuser) = which("runuser") {
            return Ok(Runner::As(vec![
                runuser.into(),
                "-u".into(),
                SERVER_USER.into(),
                "--".into(),
            ]));
        }
        if let Some(setpriv) = which("setpriv") {
            return Ok(Runner::As(vec![
                setpriv.into(),
                format!("--reuid={SERVER_USER}").into(),
                format!("--regid={SERVER_USER}").into(),
                "--init-groups".into(),
                "--".into(),
            ]));
        }
        Err(TestkitError::NoUnprivilegedUser {
            detail: "neither `runuser` nor `setpriv` (util-linux) is on PATH".into(),
        })
    }

    /// A command running `program` as the server user.
    fn command(&self, program: &Path) -> Command {
        match self {
            Runner::Direct => Command::new(program),
            Runner::As(prefix) => {
                let mut cmd = Command::new(&prefix[0]);
                cmd.args(&prefix[1..]).arg(program);
                cmd
            }
        }
    }

    /// The argument vector prefix that [`Runner::command`] uses.
    fn prefix(&self) -> Vec<OsString> {
        match self {
            Runner::Direct => Vec::new(),
            Runner::As(prefix) => prefix.clone(),
        }
    }
}

impl TestPostgres {
    /// Starts a fresh server and waits (up to 30 s) until it accepts
    /// connections. Fails with a message naming the package to install
    /// (`apt-get install postgresql`) when the binaries are missing.
    pub fn start() -> Result<TestPostgres, TestkitError> {
        let bindir = find_bindir()?;
        let runner = Runner::for_current_user()?;
        let dir = make_dir(&runner)?;
        let mut server = TestPostgres {
            dir,
            bindir,
            port: 0,
            runner,
            watchdog: None,
        };
        // From here on an error return (or the test process dying) still
        // stops whatever was started and removes the directory.
        server.watchdog = Some(server.spawn_watchdog()?);
        let data = server.dir.path().join("data");
        init_cluster(&server.runner, &server.bindir, server.dir.path(), &data)?;

        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .map_err(|e| TestkitError::io("opening postgresql.conf", e))?;
        let socket_dir = server.dir.path().display().to_string().replace('\'', "''");
        writeln!(conf, "{SETTINGS}unix_socket_directories = '{socket_dir}'")
            .map_err(|e| TestkitError::io("writing postgresql.conf", e))?;
        drop(conf);

        server.launch()?;
        Ok(server)
    }

    /// The process-wide server of this test binary, started on first use;
    /// each test should make its own database on it with
    /// [`TestPostgres::fresh_database`].
    ///
    /// It is never dropped: a watchdog process stops the server and removes
    /// its directory when the test process exits. Panics (failing the test,
    /// never skipping it) when the server cannot be started; every later
    /// call panics with the same message without retrying.
    pub fn shared() -> &'static TestPostgres {
        static SHARED: OnceLock<Result<TestPostgres, String>> = OnceLock::new();
        match SHARED.get_or_init(|| TestPostgres::start().map_err(|e| e.to_string())) {
            Ok(server) => server,
            Err(msg) => panic!("ytcs-testkit: cannot start the shared PostgreSQL server: {msg}"),
        }
    }

    /// The URL of the `postgres` database as the superuser, e.g.
    /// `postgres://postgres@127.0.0.1:54321/postgres`.
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// The URL of database `name` on this server (whether or not it exists).
    pub fn database_url(&self, name: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    /// The TCP port the server listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The directory the server binaries (and `psql`) were taken from.
    pub fn bindir(&self) -> &Path {
        &self.bindir
    }

    /// The server log so far, for diagnosing a failing test.
    pub fn log(&self) -> String {
        read_lossy(&self.dir.path().join("server.log"))
    }

    /// Creates an empty database `name` (ASCII letters, digits and `_`, at
    /// most 63) and returns its URL.
    pub fn create_database(&self, name: &str) -> Result<String, TestkitError> {
        let valid = !name.is_empty()
            && name.len() <= 63
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(TestkitError::InvalidDatabaseName(name.to_string()));
        }
        self.psql("postgres", &format!("CREATE DATABASE \"{name}\""))?;
        Ok(self.database_url(name))
    }

    /// Creates a database with a name unique in this server's life
    /// (`ytcs_test_<pid>_<n>`) and returns its URL: one per test.
    pub fn fresh_database(&self) -> Result<String, TestkitError> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        self.create_database(&format!("ytcs_test_{}_{n}", std::process::id()))
    }

    /// Runs `sql` with `psql` in `database` (stopping at the first error)
    /// and returns the unaligned, tuples-only output.
    pub fn psql(&self, database: &str, sql: &str) -> Result<String, TestkitError> {
        let psql = psql_path(&self.bindir)?;
        let port = self.port.to_string();
        run(Command::new(psql)
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-U",
                "postgres",
                "-d",
                database,
            ])
            .arg("-c")
            .arg(sql)
            .env("PGCONNECT_TIMEOUT", "10")
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE"))
    }

    /// `pg_ctl start` on a free port, retried on a new port if another
    /// process took the first one meanwhile; then waits for TCP.
    fn launch(&mut self) -> Result<(), TestkitError> {
        let started = Instant::now();
        let pg_ctl = self.bindir.join("pg_ctl");
        let data = self.dir.path().join("data");
        let log = self.dir.path().join("server.log");
        let mut last_err = None;
        for _attempt in 0..3 {
            self.port = crate::free_port()?;
            let result = run(self
                .runner
                .command(&pg_ctl)
                .arg("-D")
                .arg(&data)
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "30", "-o"])
                .arg(format!("-p {}", self.port))
                .arg("start")
                .current_dir(self.dir.path()));
            match result {
                Ok(_) => {
                    last_err = None;
                    break;
                }
                Err(e) => {
                    let log_text = self.log();
                    let port_taken = log_text.contains("Address already in use");
                    last_err = Some(with_log(e, &log_text));
                    if !port_taken {
                        break;
                    }
                }
            }
        }
        if let Some(e) = last_err {
            return Err(e);
        }
        while TcpStream::connect_timeout(
            &([127, 0, 0, 1], self.port).into(),
            Duration::from_secs(1),
        )
        .is_err()
        {
            if started.elapsed() > START_LIMIT {
                return Err(TestkitError::Timeout {
                    what: format!("PostgreSQL on 127.0.0.1:{}", self.port),
                    waited: START_LIMIT,
                    log: tail(&self.log(), 40),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    /// A shell that waits for EOF on its stdin — which happens when this
    /// process exits, however it exits — then stops the server and removes
    /// the directory, retrying for a few seconds while an orphaned `initdb`
    /// or `pg_ctl` may still be writing into it. Ignores the terminal's
    /// signals so that Ctrl-C on the tests still cleans up.
    fn spawn_watchdog(&self) -> Result<Child, TestkitError> {
        const SCRIPT: &str = r#"dir=$1; data=$2; shift 2
trap '' HUP INT QUIT TERM PIPE
while read -r _; do :; done
for _ in 1 2 3 4 5 6 7 8 9 10; do
  "$@" -D "$data" stop -m immediate >/dev/null 2>&1
  rm -rf "$dir" 2>/dev/null
  [ -e "$dir" ] || exit 0
  sleep 1
done"#;
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c")
            .arg(SCRIPT)
            .arg("ytcs-testkit-pg-watchdog")
            .arg(self.dir.path())
            .arg(self.dir.path().join("data"))
            .args(self.runner.prefix())
            .arg(self.bindir.join("pg_ctl"))
            .current_dir(self.dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.spawn()
            .map_err(|e| TestkitError::io("starting the PostgreSQL watchdog (/bin/sh)", e))
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = run(self
            .runner
            .command(&self.bindir.join("pg_ctl"))
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["stop", "-m", "immediate", "-w"])
            .current_dir(self.dir.path()));
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        // The TempDir removes the directory when it drops, after this.
    }
}

impl std::fmt::Debug for TestPostgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestPostgres")
            .field("url", &self.url())
            .field("dir", &self.dir.path())
            .field("bindir", &self.bindir)
            .finish()
    }
}

/// Adds the server log's tail to a failed command's output.
fn with_log(err: TestkitError, log: &str) -> TestkitError {
    match err {
        TestkitError::CommandFailed {
            command,
            status,
            output,
        } => TestkitError::CommandFailed {
            command,
            status,
            output: format!("{output}\n--- server log ---\n{}", tail(log, 40)),
        },
        other => other,
    }
}

/// The temporary directory; when the server runs as another user it lives
/// under `/tmp` (which that user can traverse, unlike e.g. `/root`) and is
/// handed to that user. The short path also keeps the unix socket's path
/// under its 107-byte limit.
fn make_dir(runner: &Runner) -> Result<TempDir, TestkitError> {
    let base = match runner {
        Runner::As(_) => PathBuf::from("/tmp"),
        Runner::Direct => {
            let tmp = std::env::temp_dir();
            if tmp.as_os_str().len() > 60 {
                PathBuf::from("/tmp")
            } else {
                tmp
            }
        }
    };
    let dir = tempfile::Builder::new()
        .prefix("ytcs-pg-")
        .tempdir_in(&base)
        .map_err(|e| TestkitError::io(format!("creating a directory in {}", base.display()), e))?;
    if let Runner::As(_) = runner {
        run(Command::new("chown").arg(SERVER_USER).arg(dir.path()))?;
    }
    Ok(dir)
}

/// `initdb` with trust authentication and UTF-8; the C.UTF-8 locale where
/// the system has it, else C.
fn init_cluster(
    runner: &Runner,
    bindir: &Path,
    dir: &Path,
    data: &Path,
) -> Result<(), TestkitError> {
    let initdb = |locale: &str| {
        run(runner
            .command(&bindir.join("initdb"))
            .arg("-D")
            .arg(data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .arg(format!("--locale={locale}"))
            .current_dir(dir))
    };
    match initdb("C.UTF-8") {
        Ok(_) => Ok(()),
        Err(TestkitError::CommandFailed { output, .. }) if output.contains("locale") => {
            let _ = std::fs::remove_dir_all(data);
            initdb("C").map(|_| ())
        }
        Err(e) => Err(e),
    }
}

/// Where `initdb` and `pg_ctl` are: `$YTCS_PG_BINDIR`, `pg_config --bindir`,
/// the newest `/usr/lib/postgresql/*/bin`, or (symlinks resolved) `PATH`.
fn find_bindir() -> Result<PathBuf, TestkitError> {
    let has_server =
        |d: &Path| is_executable(&d.join("initdb")) && is_executable(&d.join("pg_ctl"));
    let mut searched = Vec::new();

    if let Some(dir) = std::env::var_os("YTCS_PG_BINDIR") {
        let dir = PathBuf::from(dir);
        if has_server(&dir) {
            return Ok(dir);
        }
        searched.push(format!("$YTCS_PG_BINDIR={}", dir.display()));
    }

    searched.push("pg_config --bindir".into());
    if let Ok(out) = Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }

    searched.push("/usr/lib/postgresql/*/bin".into());
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| has_server(bin))
        .collect();
    versions.sort();
    if let Some((_, dir)) = versions.pop() {
        return Ok(dir);
    }

    searched.push("initdb on PATH".into());
    if let Some(initdb) = which("initdb") {
        // e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb
        let real = std::fs::canonicalize(&initdb).unwrap_or(initdb);
        if let Some(dir) = real.parent().filter(|d| has_server(d)) {
            return Ok(dir.to_path_buf());
        }
    }
    Err(TestkitError::PostgresNotInstalled { searched })
}

/// `psql` from the server's bindir, else from `PATH`.
fn psql_path(bindir: &Path) -> Result<PathBuf, TestkitError> {
    let beside = bindir.join("psql");
    if is_executable(&beside) {
        return Ok(beside);
    }
    which("psql").ok_or_else(|| TestkitError::PostgresNotInstalled {
        searched: vec![beside.display().to_string(), "psql on PATH".into()],
    })
}
