-- The first schema, in SQL that SQLite and PostgreSQL both run unchanged: TEXT and BIGINT
-- columns only, keys given by the server (no AUTOINCREMENT or SERIAL), times in Unix seconds.

-- Values the server keeps about itself (never a key): the master key's check value.
CREATE TABLE server_meta (
    name TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    name TEXT NOT NULL PRIMARY KEY,
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One IdentityGuard identity per row, its record sealed under the master key (core's
-- seal_record). `version` grows by one at every change: a change is written only
-- `WHERE serial = ? AND version = ?`, so two servers never both accept one code.
CREATE TABLE tokens (
    serial TEXT NOT NULL PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    record TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX tokens_by_user ON tokens (user_name);

-- API clients: the key's public id and the SHA-256 of its secret part (keys are 256-bit
-- random, so a fast hash is enough); scopes separated by spaces.
CREATE TABLE api_keys (
    id TEXT NOT NULL PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- What happened, written in the same transaction as the change it records; never a secret.
CREATE TABLE audit (
    id TEXT NOT NULL PRIMARY KEY,
    -- Unix microseconds, so events of one second keep their order.
    at_us BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL,
    client TEXT
);
CREATE INDEX audit_by_time ON audit (at_us);
