-- A scheduled post whose build throws is recorded as failed with its attempt count and error, and
-- retried at next_attempt_at until the attempts run out (then next_attempt_at is NULL: given up).
-- Before this, a failed build rolled back its claim and was later recorded as "missed".

ALTER TABLE schedule_runs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE schedule_runs ADD COLUMN next_attempt_at TEXT;
ALTER TABLE schedule_runs ADD COLUMN last_error TEXT;

-- The clock's tick looks for each job's failed slots that are due again.
CREATE INDEX schedule_runs_retry ON schedule_runs (job, next_attempt_at) WHERE next_attempt_at IS NOT NULL;
