-- High-quality development indicators (高质量发展指标): the zones they are
-- compared across (this zone is the one marked home), the indicators and
-- one value per indicator, zone and period. A period is spelt 2026-10,
-- 2026-W47 or 2026-Q3; year and period_end (YYYYMMDD of its last day) are
-- kept beside it so that a ranking reads a year's values up to a day.
CREATE TABLE indicator_zones (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    home       INTEGER NOT NULL DEFAULT 0,
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX indicator_zones_name ON indicator_zones(name);
-- At most one home zone.
CREATE UNIQUE INDEX indicator_zones_home ON indicator_zones(home) WHERE home = 1;

CREATE TABLE indicators (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    grp         TEXT    NOT NULL,
    measure     TEXT    NOT NULL,
    direction   TEXT    NOT NULL,
    aggregation TEXT    NOT NULL,
    cadence     TEXT    NOT NULL,
    target      REAL,
    unit_id     INTEGER REFERENCES units(id),
    sort        INTEGER NOT NULL DEFAULT 0,
    note        TEXT    NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX indicators_code ON indicators(code);

CREATE TABLE indicator_values (
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    zone_id      INTEGER NOT NULL REFERENCES indicator_zones(id),
    period       TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    value        REAL    NOT NULL,
    cumulative   REAL,
    yoy          REAL,
    recorded_by  INTEGER,
    recorded_at  INTEGER NOT NULL,
    PRIMARY KEY (indicator_id, zone_id, period)
);
CREATE INDEX indicator_values_year ON indicator_values(year, period_end);
