//! ytcs-testkit
