-- Rollups for the statistics, kept in step with every transition in the
-- transaction that writes the event: cases by the day they were created
-- (zone time, YYYYMMDD), line, category, status and outcome; and the same
-- by current handling unit.
CREATE TABLE rollup_day (
    day      INTEGER NOT NULL,
    line     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    status   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (line, day, category, status, outcome)
) WITHOUT ROWID;

CREATE TABLE rollup_unit (
    day      INTEGER NOT NULL,
    line     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    unit_id  INTEGER NOT NULL,
    status   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (line, day, category, unit_id, status, outcome)
) WITHOUT ROWID;

-- Each SLA stage of a case once it stopped, breached or was cancelled: for
-- on-time rates and times per stage.
CREATE TABLE stage_times (
    case_id    INTEGER NOT NULL,
    stage      TEXT    NOT NULL,
    line       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    due_at     INTEGER NOT NULL,
    met_at     INTEGER,
    breached   INTEGER NOT NULL,
    status     TEXT    NOT NULL,
    PRIMARY KEY (case_id, stage)
) WITHOUT ROWID;
CREATE INDEX stage_times_created ON stage_times(line, created_at);

-- Events by kind and time: returns per unit, follow-ups, transfers.
CREATE INDEX case_events_action ON case_events(action, at);

-- Where a case lies and whom it names, for breakdowns by grid and by
-- enterprise; and the earlier case a repeat dispute comes back to.
ALTER TABLE cases ADD COLUMN grid_id INTEGER;
ALTER TABLE cases ADD COLUMN enterprise_id INTEGER;
ALTER TABLE cases ADD COLUMN repeat_of INTEGER;
