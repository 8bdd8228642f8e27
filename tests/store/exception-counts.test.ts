import { describe, expect, it } from 'vitest';
import { exceptionActivity, insertException, closeException, openExceptionsAt, quoteRefsWithExceptions } from '../../src/store/exceptions.js';
import { openDatabase, type Db } from '../../src/store/open.js';

const DAY = 86_400_000;
const t0 = new Date('2026-10-01T12:00:00Z');
const day = (n: number) => new Date(t0.getTime() + n * DAY);

/** An exception approved on day `approved`, closed on day `closed` (or never), or rejected. */
function exception(db: Db, ref: string, approved: number, fate: { closed?: number; rejected?: boolean } = {}) {
  const { exception: e } = insertException(db, {
    status: fate.rejected ? 'rejected' : 'open', quoteRef: ref, account: 'Acme', segment: 'enterprise', reason: 'r', approvedByName: 'CFO',
    approvedByRole: 'cfo', owner: 'mia', recoveryPlan: null, targetDate: null, approvedAt: day(approved), rejectionReason: fate.rejected ? 'no' : null,
    createdAt: day(approved), createdBy: { platform: 'console', userId: 'U1', name: 'Mia' }, idempotencyKey: null,
  });
  if (fate.closed !== undefined) closeException(db, e.seq, 'recovered', day(fate.closed));
}

/** The definition the retro had before it was split over two indexes: the one both must agree with. */
const openAtByDefinition = (db: Db, at: Date) =>
  (db.prepare("SELECT COUNT(*) AS n FROM exceptions WHERE status != 'rejected' AND approved_at <= ? AND (closed_at IS NULL OR closed_at > ?)").get(at.toISOString(), at.toISOString()) as { n: number }).n;

describe('exception counts read through indexes and agree with their definition', () => {
  const db = openDatabase(':memory:');
  exception(db, 'Q-00001', 0);
  exception(db, 'Q-00002', 0, { closed: 10 });
  exception(db, 'Q-00003', 5, { closed: 40 });
  exception(db, 'Q-00004', 5, { rejected: true });
  exception(db, 'Q-00005', 20);
  exception(db, 'Q-00006', 35, { closed: 36 });
  exception(db, 'Q-00007', 50);

  it.each([-1, 0, 4, 5, 9, 10, 11, 20, 35, 36, 39, 40, 41, 50, 60])('open at day %i', (d) => {
    for (const at of [day(d), new Date(day(d).getTime() - 1), new Date(day(d).getTime() + 1)]) expect(openExceptionsAt(db, at)).toBe(openAtByDefinition(db, at));
  });

  it('counts a week of activity: created (not rejected) and closed', () => {
    expect(exceptionActivity(db, day(0), day(7))).toEqual({ created: 3, closed: 0 });
    expect(exceptionActivity(db, day(7), day(14))).toEqual({ created: 0, closed: 1 });
    expect(exceptionActivity(db, day(35), day(42))).toEqual({ created: 1, closed: 2 });
  });

  it('tells which of the given quote refs became exceptions (a rejected one did not)', () => {
    expect(quoteRefsWithExceptions(db, ['Q-00001', 'Q-00004', 'Q-00099', 'Q-00006'])).toEqual(new Set(['Q-00001', 'Q-00006']));
    expect(quoteRefsWithExceptions(db, [])).toEqual(new Set());
  });
});
