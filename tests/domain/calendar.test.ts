import { describe, expect, it } from 'vitest';
import { dayRange, formatLocalTime, localDate } from '../../src/domain/calendar.js';

describe('calendar', () => {
  it('formats a moment as the team reads it, in their zone', () => {
    expect(formatLocalTime(new Date('2026-11-22T14:05:30Z'), 'America/New_York')).toBe('2026-11-22 09:05 EST');
    expect(formatLocalTime(new Date('2026-07-01T14:05:00Z'), 'America/New_York')).toBe('2026-07-01 10:05 EDT');
    expect(formatLocalTime(new Date('2026-11-22T14:05:59Z'), 'UTC')).toBe('2026-11-22 14:05 UTC');
    expect(formatLocalTime(new Date('2026-11-22T14:06:00Z'), 'UTC')).toBe('2026-11-22 14:06 UTC');
  });

  it('gives a 25-hour day when the clocks fall back', () => {
    const r = dayRange('2026-11-01', 'America/New_York');
    expect(r && (r.to.getTime() - r.from.getTime()) / 3_600_000).toBe(25);
  });

  it('refuses dates that do not exist', () => {
    expect(dayRange('2026-02-30', 'UTC')).toBeNull();
    expect(dayRange('yesterday', 'UTC')).toBeNull();
  });

  it('names the local date, which can differ from the UTC date', () => {
    expect(localDate(new Date('2026-11-22T03:00:00Z'), 'America/New_York')).toBe('2026-11-21');
  });
});
