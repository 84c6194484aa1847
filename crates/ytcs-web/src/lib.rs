//! ytcs-web
