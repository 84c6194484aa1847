//! ytcs-refdata
