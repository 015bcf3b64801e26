-- The scheduler's index: when each case's next SLA warning or breach is
-- due. One row per case with a clock still ahead; the deadlines themselves
-- are recomputed from the event log.
CREATE TABLE case_clocks (
    case_id      INTEGER PRIMARY KEY,
    next_fire_at INTEGER NOT NULL
);
CREATE INDEX case_clocks_due ON case_clocks(next_fire_at);

-- Webhook subscriptions and their deliveries (an outbox with retries).
CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY,
    url        TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    active     INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    webhook_id  INTEGER NOT NULL REFERENCES webhooks(id),
    body        TEXT    NOT NULL,
    attempts    INTEGER NOT NULL,
    next_at     INTEGER NOT NULL,
    last_error  TEXT    NOT NULL,
    delivered_at INTEGER,
    created_at  INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(delivered_at, next_at);
