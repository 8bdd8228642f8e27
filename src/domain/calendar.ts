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

const formatters = new Map<string, Intl.DateTimeFormat>();
const lastFormatted = new Map<string, { minute: number; text: string }>();

/**
 * "2026-11-22 09:00 EST": a moment as the team reads it. Intl formatters are costly to build and
 * cheap to reuse, and this runs on every reply, so one is kept per time zone.
 */
export function formatLocalTime(at: Date, timezone: string): string {
  // Replies in the same minute show the same time: format it once.
  const minute = Math.floor(at.getTime() / 60_000);
  const last = lastFormatted.get(timezone);
  if (last?.minute === minute) return last.text;
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((part) => [part.type, part.value]));
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
  lastFormatted.set(timezone, { minute, text });
  return text;
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date an instant falls on in a time zone, as whole days since 1970-01-01: two of
 * them subtract to a count of calendar days, 23- and 25-hour days alike. Built on one cached Intl
 * formatter per zone, not luxon: the exception views ask it for every open exception.
 */
export function localDayNumber(at: Date, timezone: string): number {
  let f = dateFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' });
    dateFormatters.set(timezone, f);
  }
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of f.formatToParts(at)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** The instant range [from, to) of one calendar month ("2026-11") in a time zone. */
export function monthRange(month: string, timezone: string): { from: Date; to: Date } | null {
  const start = DateTime.fromFormat(month, 'yyyy-MM', { zone: timezone });
  if (!start.isValid || start.toFormat('yyyy-MM') !== month) return null;
  return { from: start.toJSDate(), to: start.plus({ months: 1 }).toJSDate() };
}

/** The month before the one `now` falls in, as "2026-10". */
export function previousMonth(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now).setZone(timezone).startOf('month').minus({ months: 1 }).toFormat('yyyy-MM');
}

export function currentMonth(now: Date, timezone: string): string {
  return DateTime.fromJSDate(now).setZone(timezone).toFormat('yyyy-MM');
}
