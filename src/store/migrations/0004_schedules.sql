-- The operating cadence: one row per (job, slot) claimed, so no slot posts twice, even with two
-- processes; and owners assigned to escalated quotes in the morning triage.

CREATE TABLE schedule_runs (
  job         TEXT NOT NULL,
  slot        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped', 'failed')),
  claimed_at  TEXT NOT NULL,
  finished_at TEXT,
  summary     TEXT,
  PRIMARY KEY (job, slot)
) STRICT;

CREATE TABLE quote_owners (
  quote_seq   INTEGER PRIMARY KEY REFERENCES quotes (seq),
  owner_id    TEXT NOT NULL,
  owner_name  TEXT NOT NULL,
  assigned_at TEXT NOT NULL,
  assigned_by TEXT NOT NULL
) STRICT;
