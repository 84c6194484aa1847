-- The register digest: one person's records as a derivation reads them,
-- packed into one row (see `register_digest.rs`). A copy, never the
-- truth: the triggers below delete a person's digest on any change to the
-- person or to their moves, cards or events, so a digest exists only
-- while it equals its rows; persons without one are read from the rows.
CREATE TABLE register_digest (
    person_id BIGINT PRIMARY KEY,
    digest    BYTEA NOT NULL
);

-- A change to a row that refers to a person (`person_id`).
CREATE FUNCTION register_digest_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM register_digest WHERE person_id = OLD.person_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM register_digest WHERE person_id = NEW.person_id;
    END IF;
    RETURN NULL;
END;
$$;

-- A change to the person's own row (its `id`).
CREATE FUNCTION register_digest_forget_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM register_digest WHERE person_id = OLD.id;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM register_digest WHERE person_id = NEW.id;
    END IF;
    RETURN NULL;
END;
$$;

-- A person's names, citizen id, village and cause of death are not in
-- the digest: changing them keeps it.
CREATE TRIGGER register_digest_person AFTER UPDATE OF id, sex, birth_date, household_id,
    commune_id, registered_on, ehr_opened_on, death_date OR DELETE ON person
    FOR EACH ROW EXECUTE FUNCTION register_digest_forget_person();
CREATE TRIGGER register_digest_move AFTER INSERT OR UPDATE OR DELETE ON person_move
    FOR EACH ROW EXECUTE FUNCTION register_digest_forget();
CREATE TRIGGER register_digest_card AFTER INSERT OR UPDATE OR DELETE ON insurance_card
    FOR EACH ROW EXECUTE FUNCTION register_digest_forget();
CREATE TRIGGER register_digest_event AFTER INSERT OR UPDATE OR DELETE ON person_event
    FOR EACH ROW EXECUTE FUNCTION register_digest_forget();
