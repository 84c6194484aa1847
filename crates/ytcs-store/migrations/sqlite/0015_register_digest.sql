-- The register digest: one person's records as a derivation reads them,
-- packed into one row (see `register_digest.rs`). A copy, never the
-- truth: the triggers below delete a person's digest on any change to the
-- person or to their moves, cards or events, so a digest exists only
-- while it equals its rows; persons without one are read from the rows.
CREATE TABLE register_digest (
    person_id INTEGER PRIMARY KEY,
    digest    BLOB NOT NULL
);

-- A person's names, citizen id, village and cause of death are not in
-- the digest: changing them keeps it.
CREATE TRIGGER register_digest_person_update AFTER UPDATE OF id, sex, birth_date, household_id,
    commune_id, registered_on, ehr_opened_on, death_date ON person BEGIN
    DELETE FROM register_digest WHERE person_id IN (OLD.id, NEW.id);
END;
CREATE TRIGGER register_digest_person_delete AFTER DELETE ON person BEGIN
    DELETE FROM register_digest WHERE person_id = OLD.id;
END;

CREATE TRIGGER register_digest_move_insert AFTER INSERT ON person_move BEGIN
    DELETE FROM register_digest WHERE person_id = NEW.person_id;
END;
CREATE TRIGGER register_digest_move_update AFTER UPDATE ON person_move BEGIN
    DELETE FROM register_digest WHERE person_id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER register_digest_move_delete AFTER DELETE ON person_move BEGIN
    DELETE FROM register_digest WHERE person_id = OLD.person_id;
END;

CREATE TRIGGER register_digest_card_insert AFTER INSERT ON insurance_card BEGIN
    DELETE FROM register_digest WHERE person_id = NEW.person_id;
END;
CREATE TRIGGER register_digest_card_update AFTER UPDATE ON insurance_card BEGIN
    DELETE FROM register_digest WHERE person_id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER register_digest_card_delete AFTER DELETE ON insurance_card BEGIN
    DELETE FROM register_digest WHERE person_id = OLD.person_id;
END;

CREATE TRIGGER register_digest_event_insert AFTER INSERT ON person_event BEGIN
    DELETE FROM register_digest WHERE person_id = NEW.person_id;
END;
CREATE TRIGGER register_digest_event_update AFTER UPDATE ON person_event BEGIN
    DELETE FROM register_digest WHERE person_id IN (OLD.person_id, NEW.person_id);
END;
CREATE TRIGGER register_digest_event_delete AFTER DELETE ON person_event BEGIN
    DELETE FROM register_digest WHERE person_id = OLD.person_id;
END;
