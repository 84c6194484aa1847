-- Statutory report forms sent: each version a frozen snapshot of the
-- filled form (JSON) with its SHA-256; a correction is a new version with
-- a reason. Append-only: the triggers refuse every UPDATE and DELETE.
CREATE TABLE form_submission (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    form_key     TEXT NOT NULL,
    form_code    TEXT NOT NULL,
    circular     TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES org_unit (id),
    period       TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    content      TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    due          TEXT NOT NULL,
    late         INTEGER NOT NULL CHECK (late IN (0, 1)),
    reason       TEXT,
    CHECK (version = 1 OR reason IS NOT NULL),
    UNIQUE (form_key, unit_id, period, version)
);
CREATE INDEX form_submission_period ON form_submission (form_key, period);

CREATE TRIGGER form_submission_no_update BEFORE UPDATE ON form_submission
BEGIN
    SELECT RAISE(ABORT, 'form_submission is append-only');
END;

CREATE TRIGGER form_submission_no_delete BEFORE DELETE ON form_submission
BEGIN
    SELECT RAISE(ABORT, 'form_submission is append-only');
END;
