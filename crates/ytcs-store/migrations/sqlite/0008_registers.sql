-- The commune station's registers: households, persons (with the record of
-- QĐ 831 part 1), moves, insurance cards, history and risk factors (part
-- 2), events (immunizations, measurements, NCD care, pregnancies, births,
-- checks of the elderly, examinations), and where each commune's derived
-- values stand.
CREATE TABLE household (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    commune_id INTEGER NOT NULL REFERENCES org_unit (id),
    village    TEXT NOT NULL,
    address    TEXT NOT NULL,
    number     TEXT NOT NULL
);
CREATE INDEX household_commune ON household (commune_id, number);

CREATE TABLE person (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name     TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    sex           TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    ethnicity     TEXT NOT NULL,
    national_id   TEXT,
    household_id  INTEGER REFERENCES household (id),
    commune_id    INTEGER NOT NULL REFERENCES org_unit (id),
    village       TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    ehr_opened_on TEXT,
    death_date    TEXT,
    death_cause   TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX person_commune_name ON person (commune_id, name_folded);
CREATE INDEX person_commune_birth ON person (commune_id, birth_date);
CREATE INDEX person_household ON person (household_id);
CREATE UNIQUE INDEX person_national_id ON person (national_id) WHERE national_id IS NOT NULL;

-- Each folded word of a person's name, for word-prefix search in
-- milliseconds across a province.
CREATE TABLE person_name_token (
    token     TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES person (id),
    PRIMARY KEY (token, person_id)
) WITHOUT ROWID;
CREATE INDEX person_name_token_person ON person_name_token (person_id);

CREATE TABLE person_move (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES person (id),
    on_date   TEXT NOT NULL,
    from_id   INTEGER REFERENCES org_unit (id),
    to_id     INTEGER REFERENCES org_unit (id)
);
CREATE INDEX person_move_person ON person_move (person_id);
CREATE INDEX person_move_from ON person_move (from_id);
CREATE INDEX person_move_to ON person_move (to_id);

CREATE TABLE insurance_card (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES person (id),
    number     TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL
);
CREATE INDEX insurance_card_person ON insurance_card (person_id);

CREATE TABLE health_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES person (id),
    kind      TEXT NOT NULL,
    text      TEXT NOT NULL,
    noted_on  TEXT NOT NULL
);
CREATE INDEX health_history_person ON health_history (person_id);

CREATE TABLE person_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER NOT NULL REFERENCES person (id),
    on_date     TEXT NOT NULL,
    unit_id     INTEGER NOT NULL REFERENCES org_unit (id),
    kind        TEXT NOT NULL,
    code        TEXT,
    dose        INTEGER,
    value1      REAL,
    value2      REAL,
    value3      REAL,
    flag        INTEGER NOT NULL DEFAULT 0,
    ref_id      INTEGER,
    ref_date    TEXT,
    end_date    TEXT,
    outcome     TEXT,
    flags       TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX person_event_person ON person_event (person_id, on_date);
CREATE INDEX person_event_unit ON person_event (unit_id, kind, on_date);

CREATE TABLE register_derivation (
    commune_id INTEGER PRIMARY KEY REFERENCES org_unit (id),
    from_year  INTEGER NOT NULL,
    through    TEXT NOT NULL,
    derived_at TEXT NOT NULL
);
