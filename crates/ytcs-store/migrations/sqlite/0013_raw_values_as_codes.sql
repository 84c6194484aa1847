-- Raw values as integer codes (#15). An import wrote a text-keyed row
-- (period, element, unit, disaggregation, who, when) and a unit index per
-- value; SQLite's own floor for that table was ~280,000 rows/s. Now a
-- value is four integers and the id of its write: the period and the
-- series (element, disaggregation) are ids of two small dictionaries,
-- who wrote it and when is one row of value_batch per write. The key is
-- (period, series, unit) in a table WITHOUT ROWID (an import arrives in
-- that order), and there is no index by unit: the readers by unit name
-- their elements and periods (ValueFilter), which the key serves.
-- No foreign keys: every code is resolved or added in the write's own
-- transaction, and units are checked against the hierarchy before any
-- write (values::check_write); org units are closed, never deleted.
-- The view data_value shows the rows as before, for people reading SQL.
CREATE TABLE value_series (
    id      INTEGER PRIMARY KEY,
    element TEXT NOT NULL,
    disagg  TEXT NOT NULL,
    UNIQUE (element, disagg)
);
CREATE TABLE value_period (
    id     INTEGER PRIMARY KEY,
    period TEXT NOT NULL UNIQUE
);
CREATE TABLE value_batch (
    id        INTEGER PRIMARY KEY,
    stored_by TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE raw_value (
    period  INTEGER NOT NULL,
    series  INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    value   INTEGER NOT NULL,
    batch   INTEGER NOT NULL,
    PRIMARY KEY (period, series, unit_id)
) WITHOUT ROWID;

INSERT INTO value_series (element, disagg)
    SELECT DISTINCT element, disagg FROM data_value ORDER BY element, disagg;
INSERT INTO value_period (period)
    SELECT DISTINCT period FROM data_value ORDER BY period;
INSERT INTO value_batch (stored_by, stored_at)
    SELECT DISTINCT stored_by, stored_at FROM data_value ORDER BY stored_at, stored_by;
INSERT INTO raw_value (period, series, unit_id, value, batch)
    SELECT p.id, s.id, d.unit_id, d.value, b.id
    FROM data_value AS d
    JOIN value_period AS p ON p.period = d.period
    JOIN value_series AS s ON s.element = d.element AND s.disagg = d.disagg
    JOIN value_batch AS b ON b.stored_by = d.stored_by AND b.stored_at = d.stored_at;
DROP TABLE data_value;

CREATE VIEW data_value AS
    SELECT s.element, r.unit_id, p.period, s.disagg, r.value, b.stored_by, b.stored_at
    FROM raw_value AS r
    JOIN value_period AS p ON p.id = r.period
    JOIN value_series AS s ON s.id = r.series
    JOIN value_batch AS b ON b.id = r.batch;
