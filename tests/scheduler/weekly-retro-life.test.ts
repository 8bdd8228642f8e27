import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import { silentLog, testBed } from '../helpers/context.js';
import { moveAlong } from '../helpers/quote-life.js';
import { seedCatalog } from '../helpers/seed.js';

const monday = new Date('2026-11-23T15:00:00Z');
const friday = new Date('2026-11-27T21:00:00Z');
const DAY = 86_400_000;

describe('weekly retro: the quotes’ outcomes', () => {
  it('reports win rate and loss reasons by segment, and the escalated quotes the desk approved, from the history', async () => {
    const b = testBed({ now: monday });
    const send = { kind: 'send', conditionsConfirmed: false } as const;
    await b.run('/quote k2p5 medium smb 2000 800'); // Q1: won
    await b.run('/quote k2p5 medium smb 2000 800'); // Q2: lost on price
    await b.run('/quote k2p5 medium enterprise 2000 800'); // Q3: lost to a competitor
    await b.run('/quote k2p5 medium smb 2000 800 sla=nonstandard'); // Q4: escalated, approved by the desk
    await b.run('/quote k2p5 medium smb 2000 800 sla=nonstandard'); // Q5: escalated, approved as an exception
    await b.run('/quote k2p5 medium smb 2000 800 sla=nonstandard'); // Q6: escalated, declined
    await b.run('/quote k2p5 medium smb 2000 800'); // Q7: won last week, so not this week's
    const tue = new Date(monday.getTime() + DAY);
    moveAlong(b.db, 'Q-00007', [send, { kind: 'win' }], new Date(monday.getTime() - 3 * DAY));
    moveAlong(b.db, 'Q-00001', [send, { kind: 'win' }], tue);
    moveAlong(b.db, 'Q-00002', [send, { kind: 'lose', reason: 'price' }], tue);
    moveAlong(b.db, 'Q-00003', [send, { kind: 'lose', reason: 'competitor', competitor: 'Globex' }], tue);
    moveAlong(b.db, 'Q-00004', [{ kind: 'request_approval' }, { kind: 'approve' }], tue);
    moveAlong(b.db, 'Q-00005', [{ kind: 'request_approval' }, { kind: 'approve_as_exception', exceptionId: 'EX-00001' }], tue);
    moveAlong(b.db, 'Q-00006', [{ kind: 'request_approval' }, { kind: 'decline' }], tue);

    const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === 'weekly-retro');
    if (!job) throw new Error('weekly-retro');
    expect(runSlot({ db: b.db, catalog: seedCatalog, config: b.config, platforms: ['slack'], log: silentLog }, job, friday, friday)).toBe('posted');
    const row = b.db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { payload: string };
    const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
    expect(reply.data).toMatchObject({
      won: 1,
      lost: 2,
      win_rate_pct: 33.33,
      loss_reasons: { price: 1, competitor: 1, timing: 0 },
      outcomes_by_segment: {
        enterprise: { won: 0, lost: 1, win_rate_pct: 0, loss_reasons: { competitor: 1 } },
        smb: { won: 1, lost: 1, win_rate_pct: 50, loss_reasons: { price: 1 } },
      },
      later_approved: ['Q-00004', 'Q-00005'],
      later_approved_as_exception: 1,
    });
    const text = toText(reply);
    expect(text).toContain('Win rate 33.33% (1 won, 2 lost) · loss reasons price 1, competitor 1');
    expect(text).toMatch(/smb\s+1\s+1\s+50%\s+price 1/);
    expect(text).toContain('Escalated quotes later approved by the desk: Q-00004, Q-00005 (1 as strategic exception)');
  });

  it('says so when nothing was won or lost', () => {
    const b = testBed({ now: monday });
    const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === 'weekly-retro');
    if (!job) throw new Error('weekly-retro');
    runSlot({ db: b.db, catalog: seedCatalog, config: b.config, platforms: ['slack'], log: silentLog }, job, friday, friday);
    const row = b.db.prepare("SELECT payload FROM outbox WHERE kind = 'message'").get() as { payload: string };
    const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
    expect(reply.data).toMatchObject({ won: 0, lost: 0, win_rate_pct: null, later_approved: [] });
    expect(toText(reply)).toContain('Win rate no quotes won or lost this week');
  });
});
