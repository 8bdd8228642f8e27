-- Costs that do not grow with history (issue 13): an index for every query the bot runs on a table
-- that only grows, and the ones the retention prune (src/store/retention.ts) walks. Each comment
-- names the query it serves; tests/store/query-plans.test.ts pins the plans.

-- The morning triage counts the messages held overnight: only held (or retried) rows are indexed.
CREATE INDEX outbox_held ON outbox (created_at) WHERE next_attempt_at > created_at;
-- An alert's refresh asks where it was queued, and waits while its first post is pending.
CREATE INDEX outbox_by_alert ON outbox (alert_id, platform) WHERE alert_id IS NOT NULL;
-- Retention: delivered rows by when they were delivered, failed rows by when they were queued.
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE status = 'delivered';
CREATE INDEX outbox_failed ON outbox (created_at) WHERE status = 'failed';

-- The sweep, the closure, the follow-up, the handoff and the brief read the alerts still waiting
-- for a manager: a handful, however many a year raised.
CREATE INDEX alerts_unacknowledged ON alerts (level) WHERE acknowledged_at IS NULL AND resolved_at IS NULL;
-- The handoff's "risk rose today".
CREATE INDEX alerts_by_raised ON alerts (raised_at, exception_seq, level);

-- /quotes state=... (a state filter): newest first, stopping at the limit, instead of sorting every
-- quote ever in that state (quotes_by_state orders by state_changed_at, for expiry).
CREATE INDEX quotes_by_state_seq ON quotes (state, seq);

-- The retro's exception activity (created and closed in a week), the open count at an instant, and
-- which of the week's escalated quotes became exceptions.
CREATE INDEX exceptions_by_created ON exceptions (created_at, status);
CREATE INDEX exceptions_by_closed ON exceptions (closed_at, approved_at, status) WHERE closed_at IS NOT NULL;
CREATE INDEX exceptions_by_quote_ref ON exceptions (quote_ref, status);

-- Retention of the command failure log and of idempotency keys.
CREATE INDEX command_failures_by_at ON command_failures (at);
CREATE INDEX request_keys_by_first_seen ON request_keys (first_seen_at);
