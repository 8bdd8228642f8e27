/**
 * When to back up, which backups to keep, and when silence means trouble: pure rules over the list
 * of backups and an explicit `now` (issue 14 §3). The shell takes the copies and deletes the files.
 */

/** `1h`, `30m`, `2h`, `1d` or `off`: how often the running bot backs up. Null for off. */
export function parseBackupEvery(text: string): number | null {
  const t = text.trim().toLowerCase();
  if (t === 'off') return null;
  const m = /^(\d+)\s*(m|h|d)$/.exec(t);
  if (!m) throw new Error(`"${text}" is not an interval: write 30m, 1h, 2h, 1d or off`);
  const n = Number(m[1]);
  const ms = n * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  if (ms < 5 * 60_000) throw new Error(`"${text}" is too often: back up every 5m at the least`);
  return ms;
}

/** How many of each kind of backup to keep: the newest of each hour, day and ISO week. */
export interface Retention {
  hourly: number;
  daily: number;
  weekly: number;
}
export const DEFAULT_RETENTION: Retention = { hourly: 24, daily: 7, weekly: 8 };

export interface KeptBackup {
  file: string;
  at: Date;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Days since 1970-01-01 is a Thursday; shifting by three makes weeks start on Monday (UTC). */
const weekOf = (ms: number) => Math.floor((ms / DAY + 3) / 7);

/**
 * The backups to delete. Each rule keeps the newest backup of each of its last N periods (hours,
 * days, ISO weeks, counted back from now, in UTC); a backup any rule keeps stays. The newest backup
 * always stays, whatever its age: with backups off for a month, the last one is still there.
 */
export function backupsToPrune(backups: readonly KeptBackup[], now: Date, keep: Retention = DEFAULT_RETENTION): KeptBackup[] {
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime());
  const kept = new Set<KeptBackup>(newestFirst.slice(0, 1));
  const rule = (period: (ms: number) => number, count: number) => {
    const current = period(now.getTime());
    const seen = new Set<number>();
    for (const b of newestFirst) {
      const p = period(b.at.getTime());
      if (current - p >= count || seen.has(p)) continue;
      seen.add(p);
      kept.add(b);
    }
  };
  rule((ms) => Math.floor(ms / HOUR), keep.hourly);
  rule((ms) => Math.floor(ms / DAY), keep.daily);
  rule(weekOf, keep.weekly);
  return newestFirst.filter((b) => !kept.has(b));
}

/** A backup is due when the last good one is older than the interval, or there is none. */
export function backupDue(lastGoodAt: Date | null, now: Date, everyMs: number | null): boolean {
  if (everyMs === null) return false;
  return lastGoodAt === null || now.getTime() - lastGoodAt.getTime() >= everyMs;
}

/** No good backup for this long past the interval (2 hours at the hourly default) is told to the ops channel. */
export const BACKUP_STALE_MS = 2 * HOUR;
const staleAfter = (everyMs: number) => Math.max(BACKUP_STALE_MS, everyMs + HOUR);

export type BackupHealth =
  | { state: 'ok'; lastGoodAt: Date }
  | { state: 'off' }
  /** On, none taken yet, and not yet overdue since the bot started. */
  | { state: 'pending' }
  | { state: 'failed'; lastGoodAt: Date | null; error: string }
  | { state: 'stale'; lastGoodAt: Date | null };

/**
 * How the backups stand. "failed" when the newest attempt failed; "stale" when backups are on and
 * the last good one is older than the interval plus an hour, and at least BACKUP_STALE_MS (or there
 * is none that long after start).
 */
export function backupHealth(
  s: { lastGoodAt: Date | null; lastFailed: { at: Date; error: string } | null; everyMs: number | null; startedAt: Date },
  now: Date,
): BackupHealth {
  if (s.everyMs === null) return { state: 'off' };
  if (s.lastFailed && (!s.lastGoodAt || s.lastFailed.at > s.lastGoodAt)) return { state: 'failed', lastGoodAt: s.lastGoodAt, error: s.lastFailed.error };
  const since = s.lastGoodAt ?? s.startedAt;
  if (now.getTime() - since.getTime() > staleAfter(s.everyMs)) return { state: 'stale', lastGoodAt: s.lastGoodAt };
  return s.lastGoodAt ? { state: 'ok', lastGoodAt: s.lastGoodAt } : { state: 'pending' };
}
