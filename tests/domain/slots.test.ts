import { describe, expect, it } from 'vitest';
import { isNight, isValidCron, latestSlot, nextSlot, planCatchUp, slotsBetween } from '../../src/domain/slots.js';

const NY = 'America/New_York';
const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('slots in the ops time zone', () => {
  it('finds the latest and next weekday 09:00 in New York', () => {
    // Monday 2026-11-23 14:00 UTC is 09:00 New York: the slot itself counts as latest.
    expect(iso(latestSlot('0 9 * * 1-5', NY, new Date('2026-11-23T14:00:00Z')))).toBe('2026-11-23T14:00:00.000Z');
    expect(iso(latestSlot('0 9 * * 1-5', NY, new Date('2026-11-23T13:59:59Z')))).toBe('2026-11-20T14:00:00.000Z');
    expect(iso(nextSlot('0 9 * * 1-5', NY, new Date('2026-11-21T12:00:00Z')))).toBe('2026-11-23T14:00:00.000Z');
  });

  it('keeps 09:00 at 09:00 local through a DST week, neither skipped nor doubled', () => {
    // New York springs forward on Sunday 2026-03-08.
    const slots = slotsBetween('0 9 * * *', NY, new Date('2026-03-05T00:00:00Z'), new Date('2026-03-11T00:00:00Z'));
    expect(slots.map(iso)).toEqual([
      '2026-03-05T14:00:00.000Z', '2026-03-06T14:00:00.000Z', '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z',
    ]);
    // And falls back on 2026-11-01: 22:30 stays one slot a day.
    const fall = slotsBetween('30 22 * * *', NY, new Date('2026-10-30T00:00:00Z'), new Date('2026-11-03T12:00:00Z'));
    expect(fall.map(iso)).toEqual(['2026-10-30T02:30:00.000Z', '2026-10-31T02:30:00.000Z', '2026-11-01T02:30:00.000Z', '2026-11-02T03:30:00.000Z', '2026-11-03T03:30:00.000Z']);
  });
});

describe('catch-up after downtime', () => {
  const hour = 3_600_000;
  it('runs the newest missed slot within the grace window and skips the older ones', () => {
    const missed = [new Date('2026-11-23T14:00:00Z'), new Date('2026-11-23T17:30:00Z')];
    expect(planCatchUp(missed, new Date('2026-11-23T20:00:00Z'), 6 * hour)).toEqual({ run: missed[1], skip: [missed[0]] });
  });
  it('runs nothing when even the newest is older than the grace window', () => {
    const missed = [new Date('2026-11-23T14:00:00Z')];
    expect(planCatchUp(missed, new Date('2026-11-23T20:00:01Z'), 6 * hour)).toEqual({ run: null, skip: missed });
  });
  it('does nothing when nothing was missed', () => {
    expect(planCatchUp([], new Date(), hour)).toEqual({ run: null, skip: [] });
  });
});

describe('night and cron checks', () => {
  it.each([
    ['2026-11-23T03:59:00Z', false], ['2026-11-23T04:00:00Z', true], ['2026-11-23T12:59:00Z', true],
    ['2026-11-23T13:00:00Z', false], ['2026-11-24T03:59:00Z', false],
  ])('%s in New York is night: %s', (at, night) => {
    expect(isNight(new Date(at), NY)).toBe(night);
  });
  it('accepts five-field cron expressions only', () => {
    expect(isValidCron('30 12 * * 1-5')).toBe(true);
    expect(isValidCron('every day')).toBe(false);
    expect(isValidCron('0 0 9 * * 1-5')).toBe(false);
  });
});
