#!/usr/bin/env python3
"""SQLite's own floor for an import of values, with nothing of ytcs around it.

Inserts N generated values (period-major, as an import's sorted chunks
arrive) in one transaction, 50,000 rows bound as one JSON text per
statement (`json_each`, as `ytcs-store::values` did before migration
0013; it now binds integers to `INSERT … VALUES`), WAL, synchronous =
NORMAL, a 256 MB page cache; into
  1. `data_value` as migration 0004 has it (text codes, who and when,
     the key and the unit index),
  2. the same values as integer codes in a WITHOUT ROWID table with the
     unit index,
  3. the same without the unit index (migration 0013's `raw_value`).
Prints seconds, rows a second and file size of each.

    scripts/sqlite-insert-floor.py [N]      (default 3,000,000)
"""
import json
import os
import random
import sqlite3
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
UNITS = 10_051
ELEMENTS = ["live_births", "live_births", "newborns_screened", "food_poisoning_cases"]
DISAGGS = ["m", "f", "", ""]

rng = random.Random(7)
rows = []
period = 0
while len(rows) < N:
    for s in range(4):
        for u in range(1, UNITS + 1):
            if len(rows) < N:
                rows.append((period, s, u, rng.randint(0, 10_000) * 1000))
    period += 1


def period_text(p):
    return f"{2000 + p // 12}-{p % 12 + 1:02d}"


CASES = [
    (
        "0004 as it is",
        """CREATE TABLE data_value (element TEXT NOT NULL, unit_id INTEGER NOT NULL,
           period TEXT NOT NULL, disagg TEXT NOT NULL, value INTEGER NOT NULL,
           stored_by TEXT NOT NULL, stored_at TEXT NOT NULL,
           PRIMARY KEY (period, element, unit_id, disagg));
           CREATE INDEX data_value_unit ON data_value (unit_id, element);""",
        "INSERT INTO data_value SELECT j.value->>1, j.value->>2, j.value->>0, j.value->>3, "
        "j.value->>4, 'import', '2026-12-06T21:00:00.123456789Z' FROM json_each(?) AS j",
        lambda r: [period_text(r[0]), ELEMENTS[r[1]], r[2], DISAGGS[r[1]], r[3]],
    ),
    (
        "integer codes, unit index",
        """CREATE TABLE data_value (period INTEGER NOT NULL, series INTEGER NOT NULL,
           unit_id INTEGER NOT NULL, value INTEGER NOT NULL, write_id INTEGER NOT NULL,
           PRIMARY KEY (period, series, unit_id)) WITHOUT ROWID;
           CREATE INDEX data_value_unit ON data_value (unit_id, series);""",
        "INSERT INTO data_value SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, 1 "
        "FROM json_each(?) AS j",
        list,
    ),
    (
        "integer codes, no unit index",
        """CREATE TABLE data_value (period INTEGER NOT NULL, series INTEGER NOT NULL,
           unit_id INTEGER NOT NULL, value INTEGER NOT NULL, write_id INTEGER NOT NULL,
           PRIMARY KEY (period, series, unit_id)) WITHOUT ROWID;""",
        "INSERT INTO data_value SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, 1 "
        "FROM json_each(?) AS j",
        list,
    ),
]

with tempfile.TemporaryDirectory() as tmp:
    for name, schema, insert, shape in CASES:
        path = os.path.join(tmp, "floor.db")
        for f in (path, path + "-wal", path + "-shm"):
            if os.path.exists(f):
                os.remove(f)
        db = sqlite3.connect(path, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA cache_size = -262144")
        db.executescript(schema)
        chunks = [
            json.dumps([shape(r) for r in rows[i : i + 50_000]])
            for i in range(0, N, 50_000)
        ]
        t = time.time()
        db.execute("BEGIN IMMEDIATE")
        for c in chunks:
            db.execute(insert, (c,))
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        s = time.time() - t
        db.close()
        print(
            f"{name}: {s:.1f} s, {N / s:,.0f} rows/s, {os.path.getsize(path) / 1e6:.0f} MB",
            flush=True,
        )
