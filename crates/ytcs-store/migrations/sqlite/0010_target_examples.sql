-- Targets a reviewer marked in a plan's source ("đây là chỉ tiêu"): each
-- correction is a labelled example for the plan reader (exported as gold
-- files by `ytcs plan examples export`). `read` is what the reader made of
-- the selection, `replaced` the wrong target a fix replaced, `target` what
-- the person confirmed (JSON of core::plan::Target).
CREATE TABLE target_example (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plan (id),
    line         INTEGER NOT NULL,
    sentence     TEXT NOT NULL,
    selection    TEXT NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('add', 'fix')),
    target_index INTEGER,
    read         TEXT,
    replaced     TEXT,
    target       TEXT NOT NULL,
    username     TEXT NOT NULL,
    at           TEXT NOT NULL
);
CREATE INDEX target_example_plan ON target_example (plan_id);
