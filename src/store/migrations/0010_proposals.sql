-- Proposals (issue 11 §3, playbook §37, §38, §40): 2 to 4 options for one account, each a quote in
-- the ledger. The checks are recomputed from the options' quotes, which never change after pricing;
-- only the executive review, a decision people make, is stored here. Kept as long as the quotes
-- they link, i.e. not pruned: a proposal is part of the ledger.
-- (Part H of issue 11: numbered 0012 once parts F and G's 0010 and 0011 are merged.)
CREATE TABLE proposals (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at      TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  surface         TEXT    NOT NULL,
  user_id         TEXT    NOT NULL,
  user_name       TEXT    NOT NULL,
  account         TEXT    NOT NULL,
  segment         TEXT    NOT NULL,
  idempotency_key TEXT    UNIQUE,
  -- NULL when none of §40's triggers fired; 'pending' until an executive decides, exactly once.
  exec_review     TEXT    CHECK (exec_review IN ('pending', 'approved_with_memo', 'rework', 'declined')),
  exec_reasons    TEXT    NOT NULL DEFAULT '[]',
  exec_decided_at TEXT,
  exec_platform   TEXT,
  exec_user_id    TEXT,
  exec_user_name  TEXT,
  exec_person_id  TEXT,
  exec_memo       TEXT
) STRICT;
-- The closure and the retro read a day's or a week's proposals; /proposal list a rep's own.
CREATE INDEX proposals_by_created ON proposals (created_at);
CREATE INDEX proposals_by_user ON proposals (platform, user_id, seq);

CREATE TABLE proposal_options (
  proposal_seq    INTEGER NOT NULL REFERENCES proposals (seq),
  tag             TEXT    NOT NULL CHECK (tag IN ('base', 'recommended', 'premium', 'stretch')),
  quote_seq       INTEGER NOT NULL UNIQUE REFERENCES quotes (seq),
  -- The team person (data/team.json id) who owns the strategic exception, for a non-compliant option.
  exception_owner TEXT,
  PRIMARY KEY (proposal_seq, tag)
) STRICT;
