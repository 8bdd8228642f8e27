import { DateTime } from 'luxon';

/** The instant range [from, to) of one calendar day in a time zone; handles 23- and 25-hour days. */
export function dayRange(date: string, timezone: string): { from: Date; to: Date } | null {
  const start = DateTime.fromISO(date, { zone: timezone }).startOf('day');
  if (!start.isValid || start.toISODate() !== date) return null;
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate() };
}

export function localDate(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now).setZone(timezone).toISODate() ?? '';
}
