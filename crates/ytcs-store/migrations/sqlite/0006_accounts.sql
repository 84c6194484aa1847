-- Accounts and sessions. Passwords are kept only as argon2id PHC strings;
-- session tokens only as their SHA-256, so a copy of the database does not
-- hand out live sessions.
CREATE TABLE account (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'data_entry', 'reviewer', 'manager', 'admin')),
    scope         TEXT NOT NULL,
    active        INTEGER NOT NULL,
    must_change_password INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address    TEXT
);
CREATE INDEX session_account ON session (account_id);
