-- The Self Service pages: a role per user, and the pages' sessions, kept in the database so
-- several server instances share them.

-- `user` or `helpdesk` (the help desk pages).
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user';

-- One signed-in (or signing-in) browser per row. The cookie holds a random 256-bit id; only
-- its SHA-256 (hex) is kept, so a copy of the table signs no one in. `stage` is how far the
-- sign-in got (password, question, help, full, stepped_up); times are Unix seconds.
-- `activation` is the activation data of a token just requested, sealed under the master key,
-- until the token is activated. `challenge` is the OCRA challenge shown to the user, if any.
CREATE TABLE web_sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    stage TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    activation TEXT,
    challenge TEXT
);
CREATE INDEX web_sessions_by_user ON web_sessions (user_name);
