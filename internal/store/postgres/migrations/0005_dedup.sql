-- The duplicate check's index: a hash of each key a case is indexed under
-- (its caller's phone, place cell, house number, firm, parties, text
-- bands), with the case's time. Lookups read a key's recent rows only;
-- rows older than the longest look-back are pruned.
CREATE TABLE dedup_keys (
    k       BIGINT NOT NULL,
    at      BIGINT NOT NULL,
    case_id BIGINT NOT NULL,
    PRIMARY KEY (k, at, case_id)
);
CREATE INDEX dedup_keys_at ON dedup_keys(at);

-- The same source number (a 110 incident number) never makes two cases.
CREATE UNIQUE INDEX cases_external ON cases(channel, external_id) WHERE external_id <> '';
