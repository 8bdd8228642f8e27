-- Built-in backups (issue 14 §3): every attempt, good or failed, so /healthz, /metrics, the stale
-- backup alert and the retention know what exists without listing a directory.
CREATE TABLE backups (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at   TEXT    NOT NULL,
  finished_at  TEXT    NOT NULL,
  -- Why it was taken: 'schedule', 'manual' (the CLI) or 'migration' (before a schema change).
  reason       TEXT    NOT NULL CHECK (reason IN ('schedule', 'manual', 'migration')),
  file         TEXT,
  bytes        INTEGER,
  -- 1 when the copy opened, passed quick_check and holds this code's schema version.
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error        TEXT,
  -- The second copy (BACKUP_COPY_DIR): its path, or why it failed; NULL when none is configured.
  copy_file    TEXT,
  copy_error   TEXT,
  -- Set when retention deleted the file(s).
  pruned_at    TEXT
) STRICT;
-- The last attempts (backup list), the newest good or failed one (/healthz, /metrics, every
-- minute's check), and the files retention still keeps: each a seek, however long the history.
CREATE INDEX backups_by_time ON backups (finished_at);
CREATE INDEX backups_latest ON backups (ok, finished_at, id);
CREATE INDEX backups_kept ON backups (finished_at) WHERE ok = 1 AND pruned_at IS NULL;
