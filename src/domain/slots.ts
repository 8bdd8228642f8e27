import { CronExpressionParser } from 'cron-parser';

/**
 * A schedule's slots are the instants its cron expression names in the ops time zone. A slot is
 * identified by its instant, so a daylight-saving change can neither run one twice nor (outside the
 * changed hour itself) skip it.
 */
export function latestSlot(cron: string, timezone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timezone }).prev().toDate();
}

export function nextSlot(cron: string, timezone: string, now: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: now, tz: timezone }).next().toDate();
}

/** Slots after `since` up to and including `now`, oldest first, at most `limit` of the newest. */
export function slotsBetween(cron: string, timezone: string, since: Date, now: Date, limit = 50): Date[] {
  const it = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: timezone });
  const out: Date[] = [];
  while (out.length < limit) {
    const slot = it.prev().toDate();
    if (slot <= since) break;
    out.push(slot);
  }
  return out.reverse();
}

/**
 * After downtime: the newest missed slot runs once if it is still within the grace window; every
 * other missed slot is recorded as skipped, never posted late.
 */
export function planCatchUp(missed: readonly Date[], now: Date, graceMs: number): { run: Date | null; skip: Date[] } {
  const newest = missed.at(-1);
  if (!newest) return { run: null, skip: [] };
  const fresh = now.getTime() - newest.getTime() <= graceMs;
  return fresh ? { run: newest, skip: missed.slice(0, -1) } : { run: null, skip: [...missed] };
}

export function isValidCron(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron);
    return cron.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Playbook §31: the night runs 23:00-08:00 in the ops time zone. Asked for every raised message and
 * every budget status; building an Intl.DateTimeFormat costs far more than using one, so one is
 * kept per zone (a cache of a pure function: the answer depends only on the arguments).
 */
export function isNight(now: Date, timezone: string): boolean {
  let f = hourFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' });
    hourFormatters.set(timezone, f);
  }
  const hour = Number(f.format(now));
  return hour >= 23 || hour < 8;
}

/** When a non-critical message raised now may be delivered: at once by day, at 08:00 after a night. */
export function holdUntil(now: Date, timezone: string): Date {
  return isNight(now, timezone) ? nextSlot('0 8 * * *', timezone, now) : now;
}

/**
 * Whether `at` is one of a cron's slots in the ops time zone; if not, the slots either side of it,
 * so a person who typed a time off the schedule is told which slots there are.
 */
export function slotAt(cron: string, timezone: string, at: Date): { kind: 'slot'; slot: Date } | { kind: 'between'; before: Date; after: Date } {
  const before = latestSlot(cron, timezone, at);
  if (before.getTime() === at.getTime()) return { kind: 'slot', slot: before };
  return { kind: 'between', before, after: nextSlot(cron, timezone, at) };
}
