//! The indicator catalogue: codes, names and synonyms, units, direction.
