-- Rollups for the statistics, kept in step with every transition in the
-- transaction that writes the event: cases by the day they were created
-- (zone time, YYYYMMDD), line, category, status and outcome; and the same
-- by current handling unit.
CREATE TABLE rollup_day (
    day      BIGINT NOT NULL,
    line     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    status   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (line, day, category, status, outcome)
);

CREATE TABLE rollup_unit (
    day      BIGINT NOT NULL,
    line     TEXT    NOT NULL,
    category TEXT    NOT NULL,
    unit_id  BIGINT NOT NULL,
    status   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL,
    n        BIGINT NOT NULL,
    PRIMARY KEY (line, day, category, unit_id, status, outcome)
);

-- Each SLA stage of a case once it stopped, breached or was cancelled: for
-- on-time rates and times per stage.
CREATE TABLE stage_times (
    case_id    BIGINT NOT NULL,
    stage      TEXT    NOT NULL,
    line       TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    due_at     BIGINT NOT NULL,
    met_at     BIGINT,
    breached   BIGINT NOT NULL,
    status     TEXT    NOT NULL,
    PRIMARY KEY (case_id, stage)
);
CREATE INDEX stage_times_created ON stage_times(line, created_at);

-- Events by kind and time: returns per unit, follow-ups, transfers.
CREATE INDEX case_events_action ON case_events(action, at);

-- Where a case lies and whom it names, for breakdowns by grid and by
-- enterprise; and the earlier case a repeat dispute comes back to.
ALTER TABLE cases ADD COLUMN grid_id BIGINT;
ALTER TABLE cases ADD COLUMN enterprise_id BIGINT;
ALTER TABLE cases ADD COLUMN repeat_of BIGINT;
