//! ytcs-store
