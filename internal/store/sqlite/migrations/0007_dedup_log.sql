-- The duplicate index log: the rows of the keys looked up only within the
-- duplicate window (a spatial cell, the text's bands, roads, persons), in
-- time order, so that a batch of reports appends to its last page or two
-- instead of dirtying a page of dedup_keys for nearly every key (the keys
-- are hashes, spread over the whole of that table). Nothing reads it by
-- key: the store holds every row of it in memory (the duplicate window),
-- reads it back whole at start-up, and deletes its rows once older than
-- the longest window a zone may set. SQLite only: PostgreSQL nodes share
-- dedup_keys with other writers and write it directly.
CREATE TABLE dedup_log (
    at      INTEGER NOT NULL,
    k       INTEGER NOT NULL,
    case_id INTEGER NOT NULL,
    PRIMARY KEY (at, k, case_id)
) WITHOUT ROWID;
