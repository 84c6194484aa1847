-- The health network: facilities and their attachments to units, staff,
-- posts, training, population. Villages are org units (kind 'village').
CREATE TABLE facility (
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    beds           INTEGER NOT NULL CHECK (beds >= 0),
    status         TEXT NOT NULL,
    services_share REAL,
    valid_from     TEXT,
    valid_to       TEXT
);
CREATE INDEX facility_code ON facility (code);

CREATE TABLE facility_attachment (
    facility_code TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES org_unit (id),
    valid_from    TEXT,
    valid_to      TEXT
);
CREATE INDEX facility_attachment_unit ON facility_attachment (unit_id);
CREATE INDEX facility_attachment_code ON facility_attachment (facility_code);

CREATE TABLE staff (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    cadre         TEXT NOT NULL,
    qualification TEXT
);

CREATE TABLE staff_post (
    person_code   TEXT NOT NULL REFERENCES staff (code),
    facility_code TEXT,
    village_id    INTEGER REFERENCES org_unit (id),
    kind          TEXT NOT NULL,
    valid_from    TEXT,
    valid_to      TEXT,
    CHECK ((facility_code IS NULL) <> (village_id IS NULL))
);
CREATE INDEX staff_post_person ON staff_post (person_code);

CREATE TABLE staff_training (
    person_code TEXT NOT NULL REFERENCES staff (code),
    course      TEXT NOT NULL,
    completed   TEXT NOT NULL
);

CREATE TABLE population (
    unit_id   INTEGER NOT NULL REFERENCES org_unit (id),
    year      INTEGER NOT NULL,
    sex       TEXT NOT NULL,
    age_group TEXT NOT NULL,
    count     INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (unit_id, year, sex, age_group)
);
CREATE INDEX population_year ON population (year);
