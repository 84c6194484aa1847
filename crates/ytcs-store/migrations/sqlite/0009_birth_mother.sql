-- A mother's record lists the births she gave (the child's birth event
-- names her in ref_id): found by this index, not by reading every event.
CREATE INDEX person_event_birth_mother ON person_event (ref_id) WHERE kind = 'birth';
