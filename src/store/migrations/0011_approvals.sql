-- Approval in chat (issue 11 §2): one approval request per escalated quote, its deadline stored so a
-- restart keeps it, its one decision, and the posted copies that are updated in place.

CREATE TABLE approval_requests (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  quote_seq           INTEGER NOT NULL UNIQUE REFERENCES quotes (seq),
  -- The strictest authority required (src/domain/approval-authority.ts), which decides alone, and
  -- every requirement as JSON [{authority, why, responseHours}] for the post.
  authority           TEXT    NOT NULL,
  requirements        TEXT    NOT NULL,
  response_hours      INTEGER NOT NULL,
  requested_at        TEXT    NOT NULL,
  respond_by          TEXT    NOT NULL,
  -- Set once, when the deadline passed undecided and the executive sponsor was told.
  escalated_at        TEXT,
  decided_at          TEXT,
  decision            TEXT    CHECK (decision IN ('approve', 'approve_as_exception', 'request_changes', 'decline')),
  decided_by_platform TEXT,
  decided_by_user_id  TEXT,
  decided_by_name     TEXT,
  decided_by_person   TEXT,
  note                TEXT,
  exception_seq       INTEGER REFERENCES exceptions (seq)
) STRICT;
-- The desk's queue and the risk loop's deadline check read only undecided requests.
CREATE INDEX approval_requests_pending ON approval_requests (respond_by) WHERE decided_at IS NULL;

-- Where a post about a subject ("approval:12") was posted, so a change updates every copy in place.
CREATE TABLE posted_messages (
  subject    TEXT NOT NULL,
  platform   TEXT NOT NULL,
  channel    TEXT NOT NULL,
  message_ts TEXT NOT NULL,
  PRIMARY KEY (subject, platform, channel)
) STRICT;

-- The outbox learns two kinds: 'post' renders its subject's current state at delivery and records
-- the copy; 'post_refresh' updates every posted copy of the subject. SQLite cannot change a CHECK
-- in place, so the table is rebuilt with its rows (nothing references the outbox).
CREATE TABLE outbox_new (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at      TEXT    NOT NULL,
  platform        TEXT    NOT NULL,
  kind            TEXT    NOT NULL CHECK (kind IN ('alert', 'alert_refresh', 'message', 'post', 'post_refresh')),
  destination     TEXT    NOT NULL,
  alert_id        INTEGER REFERENCES alerts (id),
  subject         TEXT,
  payload         TEXT,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL,
  last_error      TEXT,
  delivered_at    TEXT
) STRICT;
INSERT INTO outbox_new (id, created_at, platform, kind, destination, alert_id, payload, status, attempts, next_attempt_at, last_error, delivered_at)
  SELECT id, created_at, platform, kind, destination, alert_id, payload, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
-- A refresh waits while its subject's first post is still queued on that platform.
CREATE INDEX outbox_by_subject ON outbox (subject, platform) WHERE subject IS NOT NULL;
