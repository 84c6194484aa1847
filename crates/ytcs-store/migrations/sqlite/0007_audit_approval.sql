-- The audit log (append-only: the triggers below refuse every UPDATE and
-- DELETE) and the approval state of each unit's data for a period.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    unit_code   TEXT,
    old         TEXT,
    new         TEXT,
    address     TEXT,
    detail      TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_unit ON audit_log (unit_code, id);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- No row means 'open'. decided_by/decided_at: the last approve, return or
-- unlock; reason: the reason or comment given with the last move.
CREATE TABLE data_approval (
    unit_id      INTEGER NOT NULL REFERENCES org_unit (id),
    period       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'approved')),
    submitted_by TEXT,
    submitted_at TEXT,
    decided_by   TEXT,
    decided_at   TEXT,
    reason       TEXT,
    PRIMARY KEY (unit_id, period)
);
CREATE INDEX data_approval_state ON data_approval (state, unit_id);
