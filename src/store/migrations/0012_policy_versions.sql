-- The pricing policy under change control (issue 12, playbook §48-§52): every version stored whole,
-- append-only. The version in force at an instant is the approved one with the latest effective_at
-- at or before it (ties: the later seq), so a scheduled switch is a row, not a timer, and survives a
-- reboot. data/pricing-policy.json seeds the first row of a new database, in force since 2000-01-01.

CREATE TABLE policy_versions (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  -- pricing_policy_vYYYY-MM-DD plus a letter: the local date it was proposed, a, b, ... that day.
  id                   TEXT    NOT NULL UNIQUE,
  -- The version in force when this one was written: what its diff and a rollback are measured against.
  previous             TEXT,
  kind                 TEXT    NOT NULL CHECK (kind IN ('seed', 'change', 'rollback', 'season_start', 'season_end')),
  change_type          TEXT    NOT NULL CHECK (change_type IN ('minor', 'major', 'emergency')),
  state                TEXT    NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected', 'cancelled')),
  -- The whole policy in data/pricing-policy.json's rule fields (markups ... escalation), as JSON.
  rules                TEXT    NOT NULL,
  changed_by           TEXT    NOT NULL,
  proposed_by_platform TEXT,
  proposed_by_user_id  TEXT,
  proposed_by_person   TEXT,
  proposed_at          TEXT    NOT NULL,
  rationale            TEXT    NOT NULL,
  metric_drift         TEXT,
  expected_outcome     TEXT,
  -- Which way the change should move the average margin, so validation can tell a change that backfired.
  expected_margin      TEXT    CHECK (expected_margin IN ('up', 'down', 'steady')),
  rollback_criteria    TEXT,
  -- Set when approved (an emergency at once): the version is in force from here.
  effective_at         TEXT,
  -- A season's mandatory end; its season_end row (pair_id) restores what was in force before.
  ends_at              TEXT,
  -- season_start <-> season_end partners; for a rollback, the version it reverts.
  pair_id              TEXT,
  -- When the sales channel was told it is in force (once, by the clock's tick, after effective_at).
  announced_at         TEXT,
  -- Reviews: a proposal's approval or rejection; an emergency's review, due 24 hours after it.
  review_due_at        TEXT,
  reviewed_at          TEXT,
  review_decision      TEXT    CHECK (review_decision IN ('approved', 'rejected')),
  reviewed_by_platform TEXT,
  reviewed_by_user_id  TEXT,
  reviewed_by_name     TEXT,
  reviewed_by_person   TEXT,
  review_note          TEXT,
  -- The playbook's rollback_date, and the rollback version that reverted this one.
  rolled_back_at       TEXT,
  rolled_back_by       TEXT
) STRICT;
-- Every priced quote asks which version is in force: one index seek.
CREATE INDEX policy_versions_in_force ON policy_versions (effective_at, seq) WHERE state = 'approved';
CREATE INDEX policy_versions_proposed ON policy_versions (proposed_at) WHERE state = 'proposed';

-- Domain events (pricing.policy_changed, ...), written in the transaction of the change that caused
-- them: the one place such events are emitted, for the webhooks (issue 15) to publish from.
CREATE TABLE domain_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  type        TEXT    NOT NULL,
  occurred_at TEXT    NOT NULL,
  subject     TEXT,
  data        TEXT    NOT NULL
) STRICT;
CREATE INDEX domain_events_by_time ON domain_events (occurred_at);
