"""The baselines of `ytcs bench indicators`: the same VALUES.csv rolled up by
PostgreSQL and by DuckDB. Run it through `scripts/bench-baselines` (which
provides DuckDB in a virtual environment); usage is in that file's header.

What is timed, per engine (wall clock around each step, server start-up
excluded):
  load_s    the units file and the values file into tables, plus ANALYZE
            on PostgreSQL (what a user does after a bulk load);
  rollup_s  ONE `CREATE TABLE rollup AS SELECT … GROUP BY GROUPING SETS` over
            values ⋈ units: (element, disagg) × commune | district | province
            × month | quarter | year — 9 grouping sets, sums only.
Both engines run the same SQL text (ROLLUP_SQL) on the same column types:
text codes and periods as given in the file, value NUMERIC(18,3) /
DECIMAL(18,3) so that sums are exact and comparable; the quarter is derived
from the month in the query. An org missing from the units file is an error
(checked after the timed steps).

PostgreSQL choices (a throwaway cluster, `initdb --locale=C -E UTF8`):
  - normal (logged, durable) tables, each created and filled by COPY in one
    transaction with wal_level = minimal, so the bulk data skips the WAL and
    is fsynced at commit — the documented fast bulk-load path, still durable;
    `CREATE TABLE rollup AS` takes the same path;
  - fsync and synchronous_commit on (defaults); shared_buffers = 1GB,
    work_mem = 256MB, maintenance_work_mem = 1GB, max_wal_size = 16GB,
    max_parallel_workers_per_gather = --threads (default: the cores, 2 here),
    autovacuum off (ANALYZE runs explicitly inside load_s), JIT default;
  - COPY … FROM STDIN through `psql` (the file streamed on psql's stdin);
    each timed step is one psql process, so ~10 ms of connection is
    included;
  - unix socket in the temporary directory only (listen_addresses = '').
  peak_rss_mb: the largest sum, sampled every 0.2 s, of the proportional set
  size (Pss, so shared buffers count once) of the postmaster and its
  children (backend and parallel workers).

DuckDB choices: a database file in the temporary directory (durable like the
others; --duckdb-memory for an in-memory database), `SET threads =
--threads`, other settings default; `read_csv` with the columns and types
given (no sniffing). peak_rss_mb: this process's VmHWM (reset before DuckDB
starts), so it includes the Python interpreter (~20 MB).

totals: the province × year rows of `rollup` summed over provinces, keyed
"ELEMENT|DISAGG|YEAR", as decimal strings with 3 decimals.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal

VALUES_HEADER = "element,org,period,disagg,value"
UNITS_HEADER = "commune,district,province"
ENGINES = ("postgres", "duckdb")


class BenchError(Exception):
    """A failure with a message for the user and an exit status."""

    def __init__(self, message, status=1):
        super().__init__(message)
        self.status = status


def log(msg=""):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# The roll-up, the same SQL text for both engines.

QUARTER = (
    "substr(v.period, 1, 4) || CASE WHEN substr(v.period, 6, 2) <= '03' THEN 'Q1' "
    "WHEN substr(v.period, 6, 2) <= '06' THEN 'Q2' "
    "WHEN substr(v.period, 6, 2) <= '09' THEN 'Q3' ELSE 'Q4' END"
)

GROUPING_SETS = ",\n  ".join(
    f"(element, disagg, {org}, {grain})"
    for org in ("commune", "district", "province")
    for grain in ("month", "quarter", "year")
)

ROLLUP_SQL = f"""CREATE TABLE rollup AS
SELECT element, disagg,
  CASE WHEN GROUPING(commune) = 0 THEN 'commune'
       WHEN GROUPING(district) = 0 THEN 'district' ELSE 'province' END AS level,
  COALESCE(commune, district, province) AS org,
  CASE WHEN GROUPING(month) = 0 THEN 'month'
       WHEN GROUPING(quarter) = 0 THEN 'quarter' ELSE 'year' END AS grain,
  COALESCE(month, quarter, year) AS period,
  SUM(value) AS value
FROM (SELECT v.element, v.disagg, v.value, u.commune, u.district, u.province,
             v.period AS month, {QUARTER} AS quarter, substr(v.period, 1, 4) AS year
      FROM data_values v JOIN units u ON u.commune = v.org) s
GROUP BY GROUPING SETS (
  {GROUPING_SETS})"""

TOTALS_SQL = """SELECT element, disagg, period, SUM(value)
FROM rollup WHERE level = 'province' AND grain = 'year'
GROUP BY element, disagg, period ORDER BY element, disagg, period"""

UNMATCHED_SQL = """SELECT count(*), min(v.org) FROM data_values v
WHERE NOT EXISTS (SELECT 1 FROM units u WHERE u.commune = v.org)"""

MILLI = Decimal("0.001")


def engine_result(version, n, load_s, rollup_s, rows, peak_mb, settings, total_rows):
    """One engine's part of the JSON; `total_rows` are TOTALS_SQL's rows."""
    return {
        "version": version,
        "values": n,
        "load_s": round(load_s, 3),
        "rollup_s": round(rollup_s, 3),
        "rollup_rows": rows,
        "peak_rss_mb": peak_mb,
        "settings": settings,
        "totals": {
            f"{element}|{disagg or ''}|{year}": str(Decimal(value).quantize(MILLI))
            for element, disagg, year, value in total_rows
        },
    }


# --------------------------------------------------------------------------
# Files.


def check_header(path, expected, what):
    """The first line of `path` must be `expected` (CRLF tolerated)."""
    if not os.path.isfile(path):
        raise BenchError(f"{what} {path}: no such file")
    try:
        with open(path, "rb") as f:
            first = f.readline(4096)
    except OSError as e:
        raise BenchError(f"{what} {path}: cannot read: {e.strerror}") from e
    if first.startswith(b"\xef\xbb\xbf"):
        raise BenchError(f"{what} {path}: starts with a UTF-8 byte order mark; remove it")
    line = first.decode("utf-8", "replace").rstrip("\r\n")
    if line != expected:
        shown = line if len(line) <= 80 else line[:80] + "…"
        raise BenchError(
            f"{what} {path}: header is {shown!r}, expected {expected!r}"
        )


def units_path_for(values_path):
    if values_path.endswith(".csv"):
        return values_path[: -len(".csv")] + ".units.csv"
    return values_path + ".units.csv"


def sql_string(s):
    return "'" + s.replace("'", "''") + "'"


# --------------------------------------------------------------------------
# PostgreSQL.


def find_pg_bindir():
    """The directory holding initdb, pg_ctl and postgres."""
    candidates = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(os.environ["PG_BINDIR"])
    if shutil.which("pg_config"):
        try:
            out = subprocess.run(
                ["pg_config", "--bindir"], capture_output=True, text=True, timeout=10
            )
            if out.returncode == 0:
                candidates.append(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass

    def version(d):
        m = re.search(r"/postgresql/(\d+)/", d)
        return int(m.group(1)) if m else 0

    import glob

    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)
    if shutil.which("initdb"):
        candidates.append(os.path.dirname(shutil.which("initdb")))
    for d in candidates:
        if all(os.access(os.path.join(d, p), os.X_OK) for p in ("initdb", "pg_ctl", "postgres")):
            return d
    raise BenchError(
        "PostgreSQL server not found (initdb, pg_ctl, postgres in $PG_BINDIR, "
        "`pg_config --bindir`, /usr/lib/postgresql/*/bin or PATH): "
        "apt-get install postgresql, or pass --only duckdb",
        2,
    )


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def children_of(ppid):
    kids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # Fields after the command name (which may hold spaces) in parentheses.
        rest = stat[stat.rfind(")") + 2 :].split()
        if len(rest) > 1 and rest[1] == str(ppid):
            kids.append(int(name))
    return kids


class Sampler:
    """Samples the summed Pss of a process tree (one level of children)."""

    def __init__(self, root_pid, interval=0.2):
        self.root_pid = root_pid
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            pids = [self.root_pid] + children_of(self.root_pid)
            self.peak_kb = max(self.peak_kb, sum(pss_kb(p) for p in pids))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Postgres:
    """A throwaway cluster: initdb into a temporary directory, pg_ctl start,
    stop and removal in close() (and by a watchdog if this process dies)."""

    def __init__(self, threads, tmpdir):
        self.bindir = find_pg_bindir()
        self.psql_path = os.path.join(self.bindir, "psql")
        if not os.access(self.psql_path, os.X_OK):
            self.psql_path = shutil.which("psql")
        if not self.psql_path:
            raise BenchError("psql not found: apt-get install postgresql-client", 2)
        self.threads = threads
        self.prefix = []
        if os.geteuid() == 0:
            # The server refuses to run as root: run it as `postgres`.
            try:
                import pwd

                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise BenchError(
                    "running as root and there is no `postgres` user to run the server as", 2
                ) from None
            if shutil.which("runuser"):
                self.prefix = ["runuser", "-u", "postgres", "--"]
            elif shutil.which("setpriv"):
                self.prefix = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"]
            else:
                raise BenchError("running as root and neither runuser nor setpriv is on PATH", 2)
            self.owner = (pw.pw_uid, pw.pw_gid)
        else:
            self.owner = None
        self.dir = tempfile.mkdtemp(prefix="ytcs-bench-pg-", dir=tmpdir)
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()
        self.started = False
        self.watchdog = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.env["LC_ALL"] = "C"

    def server_cmd(self, prog, *args):
        return self.prefix + [os.path.join(self.bindir, prog), *args]

    def start(self):
        if self.owner:
            os.chown(self.dir, *self.owner)
        self._spawn_watchdog()
        r = subprocess.run(
            self.server_cmd("initdb", "-D", self.data, "-U", "postgres", "-A", "trust",
                            "-E", "UTF8", "--locale=C", "-N"),
            capture_output=True, text=True, env=self.env, cwd=self.dir,
        )
        if r.returncode != 0:
            raise BenchError(f"postgres: initdb failed: {r.stderr.strip()[-2000:]}")
        settings = f"""
# scripts/bench-baselines
listen_addresses = ''
port = {self.port}
unix_socket_directories = {sql_string(self.dir)}
shared_buffers = 1GB
work_mem = 256MB
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = {self.threads}
max_parallel_workers = {max(8, self.threads)}
max_worker_processes = {max(8, self.threads + 2)}
wal_level = minimal
max_wal_senders = 0
max_wal_size = 16GB
checkpoint_timeout = 30min
autovacuum = off
"""
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(settings)
        r = subprocess.run(
            self.server_cmd("pg_ctl", "-D", self.data, "-l", os.path.join(self.dir, "server.log"),
                            "-w", "-t", "60", "start"),
            capture_output=True, text=True, env=self.env, cwd=self.dir,
            start_new_session=True,
        )
        if r.returncode != 0:
            raise BenchError(f"postgres: pg_ctl start failed: {r.stderr.strip()}\n{self.server_log()}")
        self.started = True

    def _spawn_watchdog(self):
        """Stops the server and removes the directory if this process ends
        without close() (kill -9)."""
        stop = " ".join(
            sql_string(a) for a in self.server_cmd("pg_ctl", "-D", self.data, "-m", "immediate", "stop")
        )
        script = (
            f'while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; '
            f"{stop} >/dev/null 2>&1; rm -rf {sql_string(self.dir)}"
        )
        self.watchdog = subprocess.Popen(
            ["sh", "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )

    def server_log(self):
        try:
            with open(os.path.join(self.dir, "server.log")) as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    def postmaster_pid(self):
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def psql(self, *args, stdin=None, what="statement"):
        cmd = [self.psql_path, "-X", "-v", "ON_ERROR_STOP=1", "-h", self.dir, "-p", str(self.port),
               "-U", "postgres", "-d", "postgres", *args]
        r = subprocess.run(cmd, stdin=stdin or subprocess.DEVNULL, capture_output=True,
                           text=True, env=self.env)
        if r.returncode != 0:
            raise BenchError(f"postgres: {what} failed: {r.stderr.strip()[-3000:]}")
        return r.stdout

    def query(self, sql, what="query"):
        out = self.psql("-A", "-t", "-q", "-F", "\t", "-c", sql, what=what)
        return [line.split("\t") for line in out.splitlines() if line]

    def close(self):
        try:
            if self.started:
                subprocess.run(
                    self.server_cmd("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"),
                    capture_output=True, env=self.env, cwd="/", timeout=120,
                )
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
            if self.watchdog and self.watchdog.poll() is None:
                self.watchdog.terminate()
                self.watchdog.wait()


def run_postgres(values, units, threads, tmpdir):
    log("postgres: starting a throwaway server …")
    pg = Postgres(threads, tmpdir)
    try:
        pg.start()
        version = pg.query("SHOW server_version")[0][0].split()[0]
        version_num = int(pg.query("SHOW server_version_num")[0][0])
        header = "HEADER MATCH" if version_num >= 150000 else "HEADER"
        log(f"postgres {version}: loading {values} …")
        with Sampler(pg.postmaster_pid()) as sampler:
            t = time.monotonic()
            with open(units, "rb") as f:
                pg.psql(
                    "-q", "-1",
                    "-c", "CREATE TABLE units (commune text NOT NULL, district text NOT NULL, "
                          "province text NOT NULL)",
                    "-c", f"COPY units FROM STDIN WITH (FORMAT csv, {header})",
                    stdin=f, what=f"loading {units}",
                )
            with open(values, "rb") as f:
                out = pg.psql(
                    "-1",
                    "-c", "CREATE TABLE data_values (element text NOT NULL, org text NOT NULL, "
                          "period text NOT NULL, disagg text NOT NULL, value numeric(18,3) NOT NULL)",
                    "-c", f"COPY data_values FROM STDIN WITH (FORMAT csv, {header}, "
                          "FORCE_NOT_NULL (disagg))",
                    stdin=f, what=f"loading {values}",
                )
            pg.psql("-q", "-c", "ANALYZE units", "-c", "ANALYZE data_values", what="ANALYZE")
            load_s = time.monotonic() - t
            copied = re.findall(r"^COPY (\d+)$", out, re.M)
            n = int(copied[-1]) if copied else int(pg.query("SELECT count(*) FROM data_values")[0][0])
            log(f"postgres: {n:,} values loaded in {load_s:.2f} s; rolling up …")
            t = time.monotonic()
            pg.psql("-q", "-c", ROLLUP_SQL, what="roll-up")
            rollup_s = time.monotonic() - t
        rows = int(pg.query("SELECT count(*) FROM rollup")[0][0])
        log(f"postgres: {rows:,} rollup rows in {rollup_s:.2f} s")
        settings = {"shared_buffers": "1GB", "work_mem": "256MB",
                    "max_parallel_workers_per_gather": threads, "fsync": "on",
                    "wal_level": "minimal", "tables": "logged, created and COPYed in one transaction"}
        peak = round(sampler.peak_kb / 1024, 1)
        return engine_result(version, n, load_s, rollup_s, rows, peak, settings,
                             pg.query(TOTALS_SQL, "totals")), pg
    except BaseException:
        pg.close()
        raise


def check_unmatched_postgres(pg):
    count, first = pg.query(UNMATCHED_SQL, "checking orgs against units")[0]
    return int(count), first


# --------------------------------------------------------------------------
# DuckDB.


def vm_hwm_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def run_duckdb(values, units, threads, tmpdir, in_memory=False):
    try:
        import duckdb
    except ImportError:
        raise BenchError(
            "duckdb: the Python package is not installed (run through scripts/bench-baselines, "
            "which installs it into its virtual environment), or pass --only postgres",
            2,
        ) from None
    try:
        # Resets VmHWM so that the peak is DuckDB's, not an earlier step's.
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    workdir = tempfile.mkdtemp(prefix="ytcs-bench-duckdb-", dir=tmpdir)
    try:
        con = duckdb.connect(":memory:" if in_memory else os.path.join(workdir, "bench.duckdb"))
        con.execute(f"SET threads = {int(threads)}")
        con.execute(f"SET temp_directory = {sql_string(os.path.join(workdir, 'tmp'))}")
        version = duckdb.__version__
        log(f"duckdb {version}: loading {values} …")
        try:
            t = time.monotonic()
            con.execute(
                "CREATE TABLE units AS SELECT * FROM read_csv("
                f"{sql_string(units)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
                "columns = {'commune': 'VARCHAR', 'district': 'VARCHAR', 'province': 'VARCHAR'})"
            )
            con.execute(
                "CREATE TABLE data_values AS SELECT * FROM read_csv("
                f"{sql_string(values)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
                "columns = {'element': 'VARCHAR', 'org': 'VARCHAR', 'period': 'VARCHAR', "
                "'disagg': 'VARCHAR', 'value': 'DECIMAL(18,3)'}, force_not_null = ['disagg'])"
            )
            load_s = time.monotonic() - t
        except duckdb.Error as e:
            raise BenchError(f"duckdb: loading failed: {e}") from e
        n = con.execute("SELECT count(*) FROM data_values").fetchone()[0]
        log(f"duckdb: {n:,} values loaded in {load_s:.2f} s; rolling up …")
        try:
            t = time.monotonic()
            con.execute(ROLLUP_SQL)
            rollup_s = time.monotonic() - t
        except duckdb.Error as e:
            raise BenchError(f"duckdb: roll-up failed: {e}") from e
        peak = vm_hwm_mb()
        rows = con.execute("SELECT count(*) FROM rollup").fetchone()[0]
        log(f"duckdb: {rows:,} rollup rows in {rollup_s:.2f} s")
        totals = con.execute(TOTALS_SQL).fetchall()
        unmatched = con.execute(UNMATCHED_SQL).fetchone()
        con.close()
        settings = {"threads": int(threads), "database": "memory" if in_memory else "file"}
        return engine_result(version, n, load_s, rollup_s, rows, peak, settings, totals), (
            int(unmatched[0]), unmatched[1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------
# Test data.

DISTRICTS, COMMUNES_PER_DISTRICT, MONTHS, FIRST_YEAR = 40, 50, 60, 2020
DISAGG_SETS = ([""], ["M", "F"], ["<1", "1-4", "5-14", "15-49", "50+"], [""])


def generate(n, out, seed):
    """N values at commune × month over one province of 40 districts × 50
    communes and 60 months (2020-01 …), as many element/disaggregation
    pairs as needed, in form order (month, commune, pairs); counts mostly,
    some with decimals. Writes OUT and its units file."""
    if n < 1:
        raise BenchError("--generate: N must be at least 1", 2)
    rng = random.Random(seed)
    province = "51"
    districts = [f"{520 + d:03d}" for d in range(DISTRICTS)]
    communes = [
        (f"{21000 + d * COMMUNES_PER_DISTRICT + c:05d}", district)
        for d, district in enumerate(districts)
        for c in range(COMMUNES_PER_DISTRICT)
    ]
    cells = len(communes) * MONTHS
    npairs = -(-n // cells)
    pairs = []
    e = 0
    while len(pairs) < npairs:
        for d in DISAGG_SETS[e % len(DISAGG_SETS)]:
            pairs.append((f"DE{e + 1:04d}", d))
        e += 1
    pairs = pairs[:npairs]
    heads = [el + "," for el, _ in pairs]
    mids = ["," + d + "," for _, d in pairs]
    pool = []
    for _ in range(4096):
        x = int(rng.expovariate(1 / 40))
        pool.append(f"{x}.{rng.randrange(1000):03d}" if rng.random() < 0.1 else str(x))
    periods = [f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]
    units = units_path_for(out)
    written = 0
    t = time.monotonic()
    with open(out, "w", buffering=1 << 22, newline="") as f:
        f.write(VALUES_HEADER + "\n")
        for period in periods:
            for code, _ in communes:
                k = min(npairs, n - written)
                if k <= 0:
                    break
                vals = rng.choices(pool, k=k)
                mid_org = code + "," + period
                f.write("".join(
                    heads[i] + mid_org + mids[i] + vals[i] + "\n" for i in range(k)
                ))
                written += k
    with open(units, "w", newline="") as f:
        f.write(UNITS_HEADER + "\n")
        for code, district in communes:
            f.write(f"{code},{district},{province}\n")
    log(f"generated {written:,} values ({npairs} element/disagg pairs, {len(communes)} communes, "
        f"up to {MONTHS} months) in {time.monotonic() - t:.1f} s: {out}, {units}")


# --------------------------------------------------------------------------
# Main.


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/bench-baselines",
        description="Roll VALUES.csv up with PostgreSQL and DuckDB (GROUPING SETS); JSON on stdout.",
    )
    p.add_argument("values", nargs="?", metavar="VALUES.csv")
    p.add_argument("--units", metavar="UNITS.csv",
                   help="default: VALUES.csv with .csv replaced by .units.csv")
    p.add_argument("--only", choices=ENGINES)
    p.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                   help="DuckDB threads and PostgreSQL max_parallel_workers_per_gather "
                        "(default: the cores, %(default)s)")
    p.add_argument("--duckdb-memory", action="store_true",
                   help="DuckDB in memory instead of a database file")
    p.add_argument("--tmpdir", default=None, help="where the databases go (default: $TMPDIR or /tmp)")
    p.add_argument("--generate", nargs=2, metavar=("N", "OUT.csv"),
                   help="write N test values to OUT.csv and its units file, then exit")
    p.add_argument("--seed", type=int, default=15, help="for --generate")
    p.add_argument("--check-only", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.generate:
        if a.values:
            p.error("--generate takes no VALUES.csv")
        try:
            a.generate[0] = int(a.generate[0].replace("_", ""))
        except ValueError:
            p.error(f"--generate: N must be a number, not {a.generate[0]!r}")
    elif not a.values:
        p.error("VALUES.csv is required")
    if a.threads < 1:
        p.error("--threads must be at least 1")
    return a


def print_table(result, engines):
    log()
    log(f"{'engine':<9} {'version':<8} {'values':>12} {'load s':>8} {'roll-up s':>10} "
        f"{'rollup rows':>12} {'peak MB':>8}")
    for name in engines:
        r = result[name]
        peak = "-" if r.get("peak_rss_mb") is None else f"{r['peak_rss_mb']:.0f}"
        log(f"{name:<9} {r['version']:<8} {r['values']:>12,} {r['load_s']:>8.2f} "
            f"{r['rollup_s']:>10.2f} {r['rollup_rows']:>12,} {peak:>8}")
    log()
    keys = sorted(set().union(*(result[e]["totals"] for e in engines)))
    log("province × year totals (ELEMENT|DISAGG|YEAR): " + "  ".join(engines))
    for k in keys[:20]:
        log(f"  {k:<28} " + "  ".join(result[e]["totals"].get(k, "missing") for e in engines))
    if len(keys) > 20:
        log(f"  … and {len(keys) - 20:,} more")


def main(argv):
    a = parse_args(argv)
    if a.generate:
        if a.check_only:
            return 0
        generate(a.generate[0], a.generate[1], a.seed)
        return 0
    values = os.path.abspath(a.values)
    units = os.path.abspath(a.units or units_path_for(a.values))
    check_header(values, VALUES_HEADER, "VALUES.csv")
    check_header(units, UNITS_HEADER, "UNITS.csv")
    engines = [a.only] if a.only else list(ENGINES)
    if "postgres" in engines:
        find_pg_bindir()
    if a.check_only:
        return 0
    tmpdir = a.tmpdir or tempfile.gettempdir()
    if not os.path.isdir(tmpdir):
        raise BenchError(f"--tmpdir {tmpdir}: no such directory", 2)

    load_before = os.getloadavg()[0]
    result = {}
    pg = None
    unmatched = None
    try:
        if "postgres" in engines:
            result["postgres"], pg = run_postgres(values, units, a.threads, tmpdir)
            if "duckdb" not in engines:
                unmatched = check_unmatched_postgres(pg)
            # Stopped before DuckDB runs, so that it has the machine alone.
            pg.close()
            pg = None
        if "duckdb" in engines:
            result["duckdb"], unmatched = run_duckdb(values, units, a.threads, tmpdir,
                                                     a.duckdb_memory)
    finally:
        if pg:
            pg.close()
    if unmatched[0]:
        raise BenchError(
            f"{unmatched[0]:,} values have an org that is not a commune of {units} "
            f"(first: {unmatched[1]!r}); the roll-up left them out"
        )
    counts = {result[e]["values"] for e in engines}
    if len(counts) != 1:
        raise BenchError(f"the engines loaded different numbers of values: "
                         + ", ".join(f"{e} {result[e]['values']:,}" for e in engines))
    agree = None
    if len(engines) == 2:
        agree = result["postgres"]["totals"] == result["duckdb"]["totals"]
        agree = agree and result["postgres"]["rollup_rows"] == result["duckdb"]["rollup_rows"]
    # Others' work on the machine skews the figures: the 1-minute load
    # average before and after the run says how busy it was.
    out = {"values": counts.pop(), "threads": a.threads,
           "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    out.update(result)
    out["totals_agree"] = agree
    print_table(result, engines)
    log(f"load average (1 min) before and after: {out['loadavg_1m'][0]:.2f}, {out['loadavg_1m'][1]:.2f} "
        f"on {os.cpu_count()} cores")
    if len(engines) == 2:
        if agree:
            log("the totals and row counts of both engines agree")
        else:
            log("DISAGREEMENT between the engines' totals or row counts")
    print(json.dumps(out, sort_keys=False))
    return 0 if agree is not False else 3


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        sys.exit(main(sys.argv[1:]))
    except BenchError as e:
        log(f"bench-baselines: {e}")
        sys.exit(e.status)
    except KeyboardInterrupt:
        log("bench-baselines: interrupted; the temporary databases were removed")
        sys.exit(130)
