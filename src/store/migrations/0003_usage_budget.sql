-- AI spend (playbook §5, §56): usage events, the daily budget's history, the once-a-day budget signals,
-- and a log of failed commands for the quote error rate (successful quotes are in the ledger).

CREATE TABLE usage_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  event_key     TEXT    NOT NULL UNIQUE,
  task_id       TEXT    NOT NULL,
  model         TEXT    NOT NULL,
  input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
  cost_micros   INTEGER NOT NULL CHECK (cost_micros >= 0),
  cost_source   TEXT    NOT NULL CHECK (cost_source IN ('reported', 'rate_card')),
  essential     INTEGER NOT NULL CHECK (essential IN (0, 1)),
  task_type     TEXT,
  quote_seq     INTEGER,
  at            TEXT    NOT NULL,
  received_at   TEXT    NOT NULL
) STRICT;

-- Covers the day's totals by model and by task without touching the table.
CREATE INDEX usage_by_at ON usage_events (at, model, task_id, task_type, cost_micros);

CREATE TABLE budget_settings (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
  set_at        TEXT    NOT NULL,
  set_by_id     TEXT    NOT NULL,
  set_by_name   TEXT    NOT NULL,
  platform      TEXT    NOT NULL
) STRICT;

CREATE TABLE budget_signals (
  budget_date TEXT NOT NULL,
  signal      TEXT NOT NULL CHECK (signal IN ('warning', 'pause', 'critical')),
  raised_at   TEXT NOT NULL,
  spent_micros INTEGER NOT NULL,
  PRIMARY KEY (budget_date, signal)
) STRICT;

CREATE TABLE command_failures (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  at      TEXT NOT NULL,
  command TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('user_error', 'internal_error'))
) STRICT;

CREATE INDEX command_failures_by_command ON command_failures (command, at);
