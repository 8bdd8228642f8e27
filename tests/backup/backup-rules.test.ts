import { describe, expect, it } from 'vitest';
import { backupDue, backupHealth, backupsToPrune, parseBackupEvery } from '../../src/domain/backup-rules.js';

const H = 3_600_000;
const D = 24 * H;
const now = new Date('2026-11-22T14:30:00Z'); // a Sunday

describe('BACKUP_EVERY', () => {
  it.each([
    ['1h', H], ['30m', 30 * 60_000], [' 2H ', 2 * H], ['1d', D], ['5m', 5 * 60_000], ['off', null], ['OFF', null],
  ])('%s -> %s ms', (text, ms) => expect(parseBackupEvery(text)).toBe(ms));

  it.each([['', /not an interval/], ['1', /not an interval/], ['1.5h', /not an interval/], ['-1h', /not an interval/], ['1w', /not an interval/], ['4m', /too often/], ['0h', /too often/]])(
    'refuses %j',
    (text, message) => expect(() => parseBackupEvery(text)).toThrow(message),
  );
});

describe('retention: the newest of each of the last 24 hours, 7 days and 8 weeks', () => {
  /** A backup every `stepMs` for `spanMs` back from now. */
  const series = (stepMs: number, spanMs: number) =>
    Array.from({ length: Math.floor(spanMs / stepMs) }, (_, i) => ({ file: `b${i}`, at: new Date(now.getTime() - i * stepMs) }));

  it.each([
    // [what, backups, how many stay]
    ['hourly for a day: all 24 stay', series(H, 24 * H), 24],
    ['hourly for three days: 24 hours, plus the newest of each older day (2 more)', series(H, 72 * H), 26],
    // 24 hourly (today and yesterday afternoon), the newest of the 5 days before them, and the newest
    // of the 7 weeks before this one (this week's is already kept).
    ['hourly for ten weeks: 24 hourly + 5 daily + 7 weekly', series(H, 70 * D), 24 + 5 + 7],
    ['every 10 minutes for two hours: the newest of each hour (3 hours touched)', series(10 * 60_000, 2 * H), 3],
  ])('%s', (_, backups, stays) => {
    const pruned = backupsToPrune(backups, now);
    expect(backups.length - pruned.length).toBe(stays);
    // The newest always stays, and nothing pruned is newer than something kept in the same hour.
    expect(pruned.map((p) => p.file)).not.toContain('b0');
  });

  it('keeps the newest backup however old it is (backups were off for months)', () => {
    const old = [{ file: 'old', at: new Date(now.getTime() - 200 * D) }, { file: 'older', at: new Date(now.getTime() - 201 * D) }];
    expect(backupsToPrune(old, now).map((b) => b.file)).toEqual(['older']);
  });

  it('is the same whatever order the backups come in', () => {
    const b = series(H, 72 * H);
    const a = backupsToPrune(b, now).map((x) => x.file).sort();
    expect(backupsToPrune([...b].reverse(), now).map((x) => x.file).sort()).toEqual(a);
  });
});

describe('when a backup is due, and how they stand', () => {
  it.each([
    [null, H, true],
    [new Date(now.getTime() - H + 1000), H, false],
    [new Date(now.getTime() - H), H, true],
    [new Date(now.getTime() - 10 * D), null, false],
  ])('last good %s, every %s ms: due %s', (last, every, due) => expect(backupDue(last, now, every)).toBe(due));

  const startedAt = new Date(now.getTime() - 10 * 60_000);
  it.each([
    ['off', { lastGoodAt: null, lastFailed: null, everyMs: null }, 'off'],
    ['none yet, just started', { lastGoodAt: null, lastFailed: null, everyMs: H }, 'pending'],
    ['one 30 minutes ago', { lastGoodAt: new Date(now.getTime() - 30 * 60_000), lastFailed: null, everyMs: H }, 'ok'],
    ['the last good one over 2 hours ago', { lastGoodAt: new Date(now.getTime() - 2 * H - 1000), lastFailed: null, everyMs: H }, 'stale'],
    ['a failure after the last good one', { lastGoodAt: new Date(now.getTime() - H), lastFailed: { at: new Date(now.getTime() - 60_000), error: 'disk full' }, everyMs: H }, 'failed'],
    ['a failure before the last good one', { lastGoodAt: new Date(now.getTime() - 60_000), lastFailed: { at: new Date(now.getTime() - H), error: 'disk full' }, everyMs: H }, 'ok'],
  ] as const)('%s: %s', (_, s, state) => expect(backupHealth({ ...s, startedAt }, now).state).toBe(state));

  it.each([
    ['hourly: 2 hours is stale', H, 2 * H + 1000, 'stale'],
    ['daily: 2 hours after the last is not stale', 24 * H, 2 * H + 1000, 'ok'],
    ['daily: 25 hours after the last is stale', 24 * H, 25 * H + 1000, 'stale'],
  ] as const)('%s', (_, everyMs, ago, state) => {
    expect(backupHealth({ lastGoodAt: new Date(now.getTime() - ago), lastFailed: null, everyMs, startedAt }, now).state).toBe(state);
  });

  it('no backup at all 2 hours after start is stale', () => {
    expect(backupHealth({ lastGoodAt: null, lastFailed: null, everyMs: H, startedAt: new Date(now.getTime() - 2 * H - 1) }, now).state).toBe('stale');
  });
});
