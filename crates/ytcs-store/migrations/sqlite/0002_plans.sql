-- Plans read from documents, their corrections, and the documents they cite.
CREATE TABLE plan (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256       TEXT NOT NULL UNIQUE,
    source_file  TEXT NOT NULL,
    source_text  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    number       TEXT,
    number_key   TEXT,
    date         TEXT,
    issuer       TEXT,
    title        TEXT,
    extracted    TEXT NOT NULL,
    current      TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    confirmed_at TEXT
);
CREATE INDEX plan_number_key ON plan (number_key, date);

CREATE TABLE plan_revision (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES plan (id),
    at      TEXT NOT NULL,
    note    TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX plan_revision_plan ON plan_revision (plan_id);

CREATE TABLE plan_basis (
    plan_id    INTEGER NOT NULL REFERENCES plan (id),
    number_key TEXT NOT NULL,
    date       TEXT
);
CREATE INDEX plan_basis_plan ON plan_basis (plan_id);
CREATE INDEX plan_basis_key ON plan_basis (number_key);
