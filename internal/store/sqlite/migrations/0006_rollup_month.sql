-- The rollups again by month (YYYYMM), kept in step with the daily ones in
-- the same flush: a summary over years reads whole months from here and
-- only the days of the months at either end from rollup_day. The unit's
-- table leads with the unit, whose summaries read one unit's months.
CREATE TABLE rollup_month (
    month    INTEGER NOT NULL,
    line     TEXT NOT NULL,
    category TEXT NOT NULL,
    status   TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (line, month, category, status, outcome)
) WITHOUT ROWID;

CREATE TABLE rollup_unit_month (
    month    INTEGER NOT NULL,
    line     TEXT NOT NULL,
    category TEXT NOT NULL,
    unit_id  INTEGER NOT NULL,
    status   TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (unit_id, line, month, category, status, outcome)
) WITHOUT ROWID;

INSERT INTO rollup_month (month, line, category, status, outcome, n)
    SELECT day / 100, line, category, status, outcome, SUM(n) FROM rollup_day
    GROUP BY day / 100, line, category, status, outcome;

INSERT INTO rollup_unit_month (month, line, category, unit_id, status, outcome, n)
    SELECT day / 100, line, category, unit_id, status, outcome, SUM(n) FROM rollup_unit
    GROUP BY day / 100, line, category, unit_id, status, outcome;
