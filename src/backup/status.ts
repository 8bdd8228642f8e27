import type { Db } from '../store/open.js';

/** The newest backup attempt, for /healthz and /metrics. */
export interface BackupStatus {
  /** When the newest backup that passed its checks finished (ISO), if any. */
  lastGoodAt?: string;
  /** When the newest attempt that failed finished (ISO), if it is newer than the last good one. */
  lastFailedAt?: string;
  lastError?: string;
}

// Placeholder until the backup engineer's branch lands: it reads the backups table.
export function backupStatus(_db: Db): BackupStatus {
  return {};
}
