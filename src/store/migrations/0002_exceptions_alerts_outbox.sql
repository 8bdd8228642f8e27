-- Strategic exceptions (playbook §39-§44), their alerts and acknowledgements, and the outbox through
-- which every message the bot sends is delivered once.

CREATE TABLE exceptions (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  status            TEXT    NOT NULL CHECK (status IN ('open', 'rejected', 'closed')),
  quote_ref         TEXT    NOT NULL,
  account           TEXT    NOT NULL,
  segment           TEXT    NOT NULL,
  reason            TEXT    NOT NULL,
  approved_by_name  TEXT    NOT NULL,
  approved_by_role  TEXT    NOT NULL,
  owner             TEXT    NOT NULL,
  recovery_plan     TEXT,
  target_date       TEXT,
  approved_at       TEXT    NOT NULL,
  rejection_reason  TEXT,
  outcome           TEXT    CHECK (outcome IN ('recovered', 'retired')),
  closed_at         TEXT,
  created_at        TEXT    NOT NULL,
  created_platform  TEXT    NOT NULL,
  created_user_id   TEXT    NOT NULL,
  created_user_name TEXT    NOT NULL,
  idempotency_key   TEXT    UNIQUE
) STRICT;

CREATE INDEX exceptions_open_by_age ON exceptions (approved_at) WHERE status = 'open';

CREATE TABLE exception_progress (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  exception_seq INTEGER NOT NULL REFERENCES exceptions (seq),
  noted_at      TEXT    NOT NULL,
  note          TEXT    NOT NULL,
  user_id       TEXT    NOT NULL,
  user_name     TEXT    NOT NULL
) STRICT;

CREATE INDEX exception_progress_by_exception ON exception_progress (exception_seq, noted_at);

-- One alert per exception and level: the same level never alerts twice; a rise does.
-- exception_seq is NULL for alerts about the registry as a whole; `scope` keeps those unique too.
CREATE TABLE alerts (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  scope              TEXT    NOT NULL,
  exception_seq      INTEGER REFERENCES exceptions (seq),
  level              TEXT    NOT NULL CHECK (level IN ('ok', 'warning', 'critical')),
  episode            INTEGER NOT NULL DEFAULT 0,
  summary            TEXT    NOT NULL,
  recommended_action TEXT    NOT NULL,
  raised_at          TEXT    NOT NULL,
  ack_deadline       TEXT,
  acknowledged_at    TEXT,
  ack_user_id        TEXT,
  ack_user_name      TEXT,
  ack_platform       TEXT,
  escalated_at       TEXT,
  UNIQUE (scope, level, episode)
) STRICT;

CREATE INDEX alerts_awaiting_ack ON alerts (ack_deadline) WHERE acknowledged_at IS NULL AND escalated_at IS NULL;

-- Where each alert was posted, so an acknowledgement can update the message in place.
CREATE TABLE alert_messages (
  alert_id   INTEGER NOT NULL REFERENCES alerts (id),
  platform   TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  message_ts TEXT    NOT NULL,
  PRIMARY KEY (alert_id, platform, channel)
) STRICT;

-- The same-day executive review agenda; the end-of-day post reads it.
CREATE TABLE review_agenda (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  agenda_date   TEXT    NOT NULL,
  exception_seq INTEGER REFERENCES exceptions (seq),
  alert_id      INTEGER NOT NULL REFERENCES alerts (id),
  item          TEXT    NOT NULL,
  added_at      TEXT    NOT NULL,
  UNIQUE (agenda_date, alert_id)
) STRICT;

-- Every message the bot must deliver, written in the transaction that decided it.
-- kind 'alert' renders the alert's current state at delivery; 'alert_refresh' updates every posted
-- copy of an alert in place; 'message' carries a fixed payload.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at      TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('alert', 'alert_refresh', 'message')),
  destination     TEXT    NOT NULL,
  alert_id        INTEGER REFERENCES alerts (id),
  payload         TEXT,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL,
  last_error      TEXT,
  delivered_at    TEXT
) STRICT;

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Small named facts the shell keeps across restarts (the last risk tick, the registry's last alerted level).
CREATE TABLE ops_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
