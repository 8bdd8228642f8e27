import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDayNumber } from '../../src/domain/calendar.js';
import { ageDays, agesAt } from '../../src/domain/exception-risk.js';
import { isNight } from '../../src/domain/slots.js';

/**
 * The cached-Intl day arithmetic replaced luxon's startOf('day') in the exception views. It must
 * give the same calendar-day ages everywhere: across both daylight-saving changes, in zones with
 * half- and quarter-hour offsets, and a millisecond either side of local midnight.
 */
const luxonAge = (approvedAt: Date, now: Date, zone: string) => {
  const start = DateTime.fromJSDate(approvedAt).setZone(zone).startOf('day');
  const today = DateTime.fromJSDate(now).setZone(zone).startOf('day');
  return Math.max(0, Math.round(today.diff(start, 'days').days));
};

const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Pacific/Kiritimati', 'UTC'];
// Every 37 minutes for 80 days across the autumn changes, and local midnights ± 1 ms.
const instants = (zone: string) => {
  const out: Date[] = [];
  for (let t = Date.parse('2026-09-20T00:00:00Z'); t < Date.parse('2026-12-10T00:00:00Z'); t += 37 * 60_000) out.push(new Date(t));
  for (let d = DateTime.fromISO('2026-10-20', { zone }); d.toISODate()! < '2026-11-10'; d = d.plus({ days: 1 })) {
    const m = d.toMillis();
    out.push(new Date(m - 1), new Date(m), new Date(m + 1));
  }
  return out;
};

describe('ages in calendar days from one cached formatter per zone', () => {
  it.each(zones)('match luxon in %s', (zone) => {
    const now = new Date('2026-12-10T12:00:00Z');
    const approvals = instants(zone);
    const expected = approvals.map((a) => luxonAge(a, now, zone));
    expect(approvals.map((a) => ageDays(a, now, zone))).toEqual(expected);
    expect(agesAt(approvals, now, zone)).toEqual(expected);
    // And against a moving now: one day later at each local midnight, never before.
    const approved = new Date('2026-09-30T12:00:00Z');
    expect(approvals.map((n) => ageDays(approved, n, zone))).toEqual(approvals.map((n) => luxonAge(approved, n, zone)));
  });

  it('numbers local dates so that consecutive dates differ by one', () => {
    expect(localDayNumber(new Date('1970-01-01T12:00:00Z'), 'UTC')).toBe(0);
    expect(localDayNumber(new Date('2026-11-02T04:59:59.999Z'), 'America/New_York') + 1).toBe(localDayNumber(new Date('2026-11-02T05:00:00Z'), 'America/New_York'));
  });
});

describe('isNight with a cached formatter per zone', () => {
  const cases = [
    { at: '2026-11-22T03:59:59Z', zone: 'America/New_York', night: false }, // 22:59:59
    { at: '2026-11-22T04:00:00Z', zone: 'America/New_York', night: true }, // 23:00
    { at: '2026-11-22T12:59:59Z', zone: 'America/New_York', night: true }, // 07:59:59
    { at: '2026-11-22T13:00:00Z', zone: 'America/New_York', night: false }, // 08:00
    { at: '2026-11-22T17:14:59Z', zone: 'Asia/Kathmandu', night: false }, // 22:59:59 at +05:45
    { at: '2026-11-22T17:15:00Z', zone: 'Asia/Kathmandu', night: true },
    { at: '2026-11-22T23:00:00Z', zone: 'UTC', night: true },
    { at: '2026-11-22T08:00:00Z', zone: 'UTC', night: false },
  ];
  it.each(cases)('$at in $zone is night: $night', ({ at, zone, night }) => {
    // Asked twice, in other zones between, so a formatter cached for the wrong zone would show.
    expect(isNight(new Date(at), zone)).toBe(night);
    for (const other of zones) isNight(new Date(at), other);
    expect(isNight(new Date(at), zone)).toBe(night);
  });
});
