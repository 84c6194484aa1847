-- Aggregate data and the aggregates maintained on every write.
-- Values are exact: thousandths in an integer (core::aggregate::Fixed).
CREATE TABLE data_value (
    element   TEXT NOT NULL,
    unit_id   BIGINT NOT NULL REFERENCES org_unit (id),
    period    TEXT NOT NULL,
    disagg    TEXT NOT NULL,
    value     BIGINT NOT NULL,
    stored_by TEXT NOT NULL,
    stored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (period, element, unit_id, disagg)
);
CREATE INDEX data_value_unit ON data_value (unit_id, element);

-- scope 'own': values recorded under the unit; 'tree': the unit and its
-- descendants on the last day of each value's period. Rows with n = 0 are
-- deleted, so the table equals a rebuild from data_value exactly.
CREATE TABLE data_aggregate (
    period  TEXT NOT NULL,
    scope   TEXT NOT NULL CHECK (scope IN ('own', 'tree')),
    element TEXT NOT NULL,
    disagg  TEXT NOT NULL,
    unit_id BIGINT NOT NULL,
    total   BIGINT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (period, scope, element, disagg, unit_id)
);

-- Plan targets linked by hand to an indicator, a unit and a due year.
CREATE TABLE target_link (
    plan_id   BIGINT NOT NULL REFERENCES plan (id),
    target_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    org_code  TEXT NOT NULL,
    year      INTEGER NOT NULL,
    linked_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plan_id, target_id)
);
