-- Running a plan: task status updates (with evidence), report submissions,
-- budget commitments and disbursements, commune-health criteria assessments.
CREATE TABLE task_update (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id       INTEGER NOT NULL REFERENCES plan (id),
    task_id       TEXT NOT NULL,
    on_date       TEXT NOT NULL,
    status        TEXT NOT NULL,
    progress      INTEGER,
    note          TEXT NOT NULL,
    evidence_name TEXT,
    evidence_type TEXT,
    evidence      BLOB,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX task_update_plan ON task_update (plan_id, task_id);

CREATE TABLE report_submission (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plan (id),
    duty         INTEGER NOT NULL,
    due          TEXT NOT NULL,
    unit         TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    note         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    UNIQUE (plan_id, duty, due, unit)
);

CREATE TABLE budget_entry (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES plan (id),
    line_id     TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    amount_vnd  INTEGER NOT NULL,
    source      TEXT,
    note        TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX budget_entry_plan ON budget_entry (plan_id, line_id);

CREATE TABLE criteria_assessment (
    commune_id    INTEGER NOT NULL REFERENCES org_unit (id),
    year          INTEGER NOT NULL,
    scores        TEXT NOT NULL,
    total         REAL NOT NULL,
    passed        INTEGER NOT NULL,
    recognised_on TEXT,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (commune_id, year)
);
