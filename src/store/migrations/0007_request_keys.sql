-- Idempotency keys with the request they were first used for (a hash of the parsed input), so the
-- same key with a different request is refused instead of answered from the ledger. One row per
-- keyed request (Slack trigger, Discord interaction, HTTP Idempotency-Key); kept as long as the
-- ledger rows that carry the same keys, i.e. not pruned. Lookups are by the primary key only.
CREATE TABLE request_keys (
  key           TEXT PRIMARY KEY,
  request_hash  TEXT NOT NULL,
  command       TEXT NOT NULL,
  first_seen_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
