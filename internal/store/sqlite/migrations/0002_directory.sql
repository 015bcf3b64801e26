-- Units that help on a case (协办) or were told of it (the micro-centers
-- of the enterprise grid it lies in): they see it too.
CREATE TABLE case_units (
    case_id INTEGER NOT NULL,
    unit_id INTEGER NOT NULL,
    role    TEXT    NOT NULL,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX case_units_unit ON case_units(unit_id, case_id);

-- People who can be sent, with their last known position.
CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    phone      TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    skills     TEXT    NOT NULL,
    user_id    INTEGER REFERENCES users(id),
    lat        REAL,
    lon        REAL,
    located_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX people_unit ON people(unit_id);
CREATE UNIQUE INDEX people_phone ON people(phone);

CREATE TABLE enterprises (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    credit_code  TEXT    NOT NULL UNIQUE,
    address      TEXT    NOT NULL,
    lat          REAL,
    lon          REAL,
    industry     TEXT    NOT NULL,
    headcount    INTEGER NOT NULL,
    grid_id      INTEGER REFERENCES units(id),
    grid_worker  INTEGER REFERENCES people(id),
    micro_center INTEGER REFERENCES units(id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);

-- The duty roster (值班表).
CREATE TABLE shifts (
    id        INTEGER PRIMARY KEY,
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    leader    INTEGER NOT NULL,
    note      TEXT    NOT NULL
);
CREATE INDEX shifts_time ON shifts(ends_at, starts_at);

-- Settings edited at run time (routing rules, …) as JSON documents.
CREATE TABLE settings (
    key        TEXT    PRIMARY KEY,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);
