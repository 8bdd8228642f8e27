-- The Discord community's help queue (issue 6): each question, when it was asked, the asker's plan
-- and SLA as they stood then, and the first answer from the team. No message content is stored:
-- the bot is not allowed to read it.
CREATE TABLE community_questions (
  seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id           TEXT    NOT NULL UNIQUE,
  guild_id             TEXT    NOT NULL,
  channel_id           TEXT    NOT NULL,
  asker_id             TEXT    NOT NULL,
  asker_name           TEXT    NOT NULL,
  plan                 TEXT    NOT NULL CHECK (plan IN ('starter', 'pro', 'enterprise', 'unknown')),
  sla_minutes          INTEGER NOT NULL,
  asked_at             TEXT    NOT NULL,
  recorded_at          TEXT    NOT NULL,
  status               TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  first_answer_at      TEXT,
  first_answer_by_id   TEXT,
  first_answer_by_name TEXT,
  closed_at            TEXT,
  closed_by_name       TEXT,
  close_reason         TEXT
) STRICT;

CREATE INDEX community_questions_open ON community_questions (asked_at) WHERE status = 'open';
CREATE INDEX community_questions_by_asked ON community_questions (asked_at);

-- An alert whose cause has ended (its question was answered) neither escalates nor waits for a manager.
ALTER TABLE alerts ADD COLUMN resolved_at TEXT;
ALTER TABLE alerts ADD COLUMN resolution TEXT;
DROP INDEX alerts_awaiting_ack;
CREATE INDEX alerts_awaiting_ack ON alerts (ack_deadline) WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND resolved_at IS NULL;
