-- Units of the zone: the center, response teams, departments, grids,
-- enterprise micro-centers and stations, in a tree.
CREATE TABLE units (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    parent_id  INTEGER REFERENCES units(id),
    area       TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE,
    name                 TEXT    NOT NULL,
    role                 TEXT    NOT NULL,
    unit_id              INTEGER REFERENCES units(id),
    phone                TEXT    NOT NULL DEFAULT '',
    password_hash        TEXT    NOT NULL DEFAULT '',
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled             INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL
);

-- API and session tokens, stored as SHA-256 hashes only.
CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    hash       TEXT    NOT NULL UNIQUE,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX tokens_user ON tokens(user_id);

-- The current state of each case: the projection of case_events.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    number         TEXT    NOT NULL UNIQUE,
    line           TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    police         INTEGER NOT NULL,
    risk           TEXT    NOT NULL,
    priority       TEXT    NOT NULL,
    unit_id        INTEGER,
    origin_unit_id INTEGER,
    duplicate_of   INTEGER,
    outcome        TEXT,
    satisfaction   INTEGER,
    text           TEXT    NOT NULL,
    reporter_name  TEXT    NOT NULL,
    reporter_phone TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    lat            REAL,
    lon            REAL,
    occurred_at    INTEGER NOT NULL,
    external_id    TEXT    NOT NULL,
    returns        INTEGER NOT NULL DEFAULT 0,
    repeats        INTEGER NOT NULL DEFAULT 0,
    extra          TEXT    NOT NULL DEFAULT '{}',
    created_by     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX cases_created ON cases(created_at, id);
CREATE INDEX cases_status ON cases(status, created_at);
CREATE INDEX cases_line ON cases(line, created_at);
CREATE INDEX cases_unit ON cases(unit_id, created_at);
CREATE INDEX cases_origin ON cases(origin_unit_id, created_at);

-- The append-only event log: every action on a case.
CREATE TABLE case_events (
    case_id  INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    action   TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    actor_id INTEGER NOT NULL,
    actor    TEXT    NOT NULL,
    unit_id  INTEGER,
    note     TEXT    NOT NULL,
    data     TEXT    NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

-- Idempotency keys per account: a retried create answers the same case.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    case_id      INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- The day's sequence per line for human-readable case numbers.
CREATE TABLE case_counters (
    line TEXT    NOT NULL,
    day  TEXT    NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (line, day)
) WITHOUT ROWID;

-- Cases per line and status, kept in step with every transition so that
-- metrics never count the whole table.
CREATE TABLE status_counts (
    line   TEXT    NOT NULL,
    status TEXT    NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (line, status)
) WITHOUT ROWID;
