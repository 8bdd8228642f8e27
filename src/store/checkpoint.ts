import type { Logger } from '../logger.js';
import { isBusy } from './busy.js';
import type { Db } from './open.js';

/** How often the running bot folds the WAL back into the database file. */
export const CHECKPOINT_EVERY_MS = 10_000;

/**
 * Moves WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever
 * commit crosses 1,000 WAL pages, so one quote in a few dozen paid for the checkpoint's fsync:
 * measured on the dispatch path, p99 5.6 ms with it against 1.1 ms without (p50 unchanged). The bot
 * checkpoints on a timer instead; the WAL holds at most that interval's writes, and a crash loses
 * nothing (SQLite replays the WAL on open).
 */
export function startCheckpoints(db: Db, log: Logger, everyMs = CHECKPOINT_EVERY_MS): { stop: () => void } {
  db.pragma('wal_autocheckpoint = 0');
  const timer = setInterval(() => checkpointNow(db, log), everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      checkpointNow(db, log);
    },
  };
}

/** A passive checkpoint: never waits for a lock; what it cannot copy now, the next one will. */
export function checkpointNow(db: Db, log?: Logger): { log: number; checkpointed: number } | null {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return row ? { log: row.log, checkpointed: row.checkpointed } : null;
  } catch (error) {
    if (!isBusy(error)) log?.warn({ err: error }, 'WAL checkpoint failed; the next one will try again');
    return null;
  }
}
