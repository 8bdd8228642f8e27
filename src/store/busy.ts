import { setTimeout as sleep } from 'node:timers/promises';
import { Sqlite as Database } from './sqlite.js';

/**
 * How long one statement waits for a lock held by another connection. better-sqlite3 is synchronous:
 * SQLite's busy handler sleeps on the event loop's thread, so every request, ack and timer waits with
 * it. Kept to tens of milliseconds; longer waits happen in retryWhileBusy, off the event loop.
 */
export const BUSY_TIMEOUT_MS = 25;

/**
 * How long a unit of work keeps retrying before it is answered "busy". Under Slack's 3 seconds, so a
 * slash command still gets a polite answer instead of Slack's own timeout error.
 */
export const BUSY_RETRY_BUDGET_MS = 2_000;

/** The database stayed locked by another connection for longer than the retry budget. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  readonly code = 'database_busy';
  constructor(readonly waitedMs: number, options?: { cause?: unknown }) {
    super(`the database is busy (locked by another connection for ${waitedMs} ms)`, options);
  }
}

/** SQLITE_BUSY (another connection holds the lock) and SQLITE_LOCKED, with their extended codes. */
export function isBusy(error: unknown): boolean {
  if (error instanceof DatabaseBusyError) return true;
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)(_|$)/.test(error.code);
}

export interface RetryOptions {
  /** Total time to keep trying; after it, DatabaseBusyError. */
  budgetMs?: number;
  /** Told before each wait, e.g. to log once. */
  onRetry?: (attempt: number, error: unknown) => void;
}

const backoffMs = (attempt: number) => Math.min(10 * 2 ** attempt, 250) * (0.75 + Math.random() / 2);

/**
 * Runs a unit of work (one or more transactions that roll back whole on error) and, when it fails
 * because the database is locked, runs it again after a short asynchronous wait, until the budget
 * is spent. The event loop is free between attempts; each attempt blocks it BUSY_TIMEOUT_MS at most.
 * Safe only for work whose writes are in transactions that a busy error rolls back, so a retry
 * starts from the same state.
 */
export async function retryWhileBusy<T>(work: () => T | Promise<T>, options: RetryOptions = {}): Promise<T> {
  const budget = options.budgetMs ?? BUSY_RETRY_BUDGET_MS;
  const started = Date.now();
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!isBusy(error) || error instanceof DatabaseBusyError) throw error;
      const wait = backoffMs(attempt);
      const waited = Date.now() - started;
      if (waited + wait > budget) throw new DatabaseBusyError(waited, { cause: error });
      options.onRetry?.(attempt + 1, error);
      await sleep(wait);
    }
  }
}

/** A write that only saves work (a cache): skipped when the database is locked rather than waited for. */
export function unlessBusy(write: () => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}
