import { latestBackups } from '../store/backups.js';
import type { Db } from '../store/open.js';

/** The newest backup attempt, for /healthz and /metrics. */
export interface BackupStatus {
  /** When the newest backup that passed its checks finished (ISO), if any. */
  lastGoodAt?: string;
  /** When the newest attempt that failed finished (ISO), if it is newer than the last good one. */
  lastFailedAt?: string;
  lastError?: string;
}

export function backupStatus(db: Db): BackupStatus {
  const { good, failed } = latestBackups(db);
  const failedSince = failed && (!good || failed.finishedAt > good.finishedAt) ? failed : null;
  return {
    ...(good ? { lastGoodAt: good.finishedAt.toISOString() } : {}),
    ...(failedSince ? { lastFailedAt: failedSince.finishedAt.toISOString(), lastError: failedSince.error ?? 'unknown error' } : {}),
  };
}
