-- Organisation units, their dated parent links and lineage.
CREATE TABLE org_unit (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind        TEXT NOT NULL,
    valid_from  TEXT,
    valid_to    TEXT
);
CREATE INDEX org_unit_code ON org_unit (code);
CREATE INDEX org_unit_kind ON org_unit (kind);

CREATE TABLE org_parent (
    child_id   INTEGER NOT NULL REFERENCES org_unit (id),
    parent_id  INTEGER NOT NULL REFERENCES org_unit (id),
    valid_from TEXT,
    valid_to   TEXT
);
CREATE INDEX org_parent_child ON org_parent (child_id);
CREATE INDEX org_parent_parent ON org_parent (parent_id);

CREATE TABLE org_lineage (
    predecessor_id INTEGER NOT NULL REFERENCES org_unit (id),
    successor_id   INTEGER NOT NULL REFERENCES org_unit (id),
    date           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    weight         REAL NOT NULL,
    note           TEXT
);
CREATE INDEX org_lineage_pred ON org_lineage (predecessor_id);
CREATE INDEX org_lineage_succ ON org_lineage (successor_id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
