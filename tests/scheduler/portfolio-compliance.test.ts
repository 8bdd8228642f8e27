import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import type { Db } from '../../src/store/open.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed } from '../helpers/context.js';

const monday = new Date('2026-11-23T15:00:00Z');
const SHARED = 'segment=smb model=sonnet input=100k output=100k';

function post(db: Db, name: string, slot: Date) {
  const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === name);
  if (!job) throw new Error(name);
  expect(runSlot({ db, catalog: seedCatalog, config: testBed().config, platforms: ['slack'], log: silentLog }, job, slot, slot)).toBe('posted');
  const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'message' AND destination LIKE 'C%' ORDER BY id DESC").get() as { payload: string };
  const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { reply, text: toText(reply) };
}

/**
 * A compliant proposal (3 of 3), a risky one (1 of 3), and a lone quote below its guardrail:
 * portfolio compliance counts the proposals' options only (4 of 6, 66.67%: critical below 67%);
 * guardrail compliance counts every quote (4 of 7).
 */
async function day() {
  const b = testBed({ now: monday });
  await b.run(`/proposal account=Acme ${SHARED} base=low recommended=medium premium=high`);
  await b.run(`/proposal account=Initech ${SHARED} base="low discount=15 owner=maria" recommended="medium discount=40 owner=eli" premium=high`);
  await b.run('/quote sonnet low smb 100000 100000 discount=15');
  return b;
}

describe('portfolio compliance (§55) from the day’s and the week’s proposals', () => {
  it('the closure shows the day’s proposals’ compliance beside single-quote guardrail compliance', async () => {
    const b = await day();
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(closure.reply.data).toMatchObject({ portfolio_compliance_pct: 66.67, guardrail_compliance_pct: 57.14 });
    expect(closure.text).toContain('guardrail compliance 57.14% (🔴 critical)');
    expect(closure.text).toContain('Proposals today 2 · portfolio compliance 66.67% of 6 options in 2 proposal(s) (🔴 critical)');
  });

  it('the weekly retro shows the week’s proposals’ compliance', async () => {
    const b = await day();
    // A proposal of the week before is not this week's.
    b.setNow(new Date('2026-11-16T15:00:00Z'));
    await b.run(`/proposal account=Old ${SHARED} base="low discount=15" recommended="low discount=16"`);
    // And one more this week, in another segment, all compliant: 6 of 8 options.
    b.setNow(new Date('2026-11-25T15:00:00Z'));
    await b.run('/proposal account=Hooli segment=enterprise model=sonnet input=100k output=100k base=low recommended=medium');
    const retro = post(b.db, 'weekly-retro', new Date('2026-11-27T21:00:00Z'));
    expect(retro.reply.data).toMatchObject({ portfolio_compliance_pct: 75 });
    expect(retro.text).toContain('Proposals 3 · portfolio compliance 75.00% of 8 options in 3 proposal(s) (🟠 warning) · by segment: enterprise 100.00% (1) · smb 66.67% (2)');
  });

  it('a level follows the 80% / 67% thresholds: all compliant is ok', async () => {
    const b = testBed({ now: monday });
    await b.run(`/proposal account=Acme ${SHARED} base=low recommended=medium premium=high`);
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(closure.text).toContain('portfolio compliance 100.00% of 3 options in 1 proposal(s) (🟢 ok)');
  });

  it('a day without proposals has no portfolio compliance, rather than 0% critical', async () => {
    const b = testBed({ now: monday });
    await b.run('/quote k2p5 medium smb 2000 800');
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(closure.reply.data.portfolio_compliance_pct).toBeNull();
    expect(closure.text).toContain('Proposals today 0 · portfolio compliance none (no proposals)');
    expect(closure.text).toContain('guardrail compliance 100% (🟢 ok)');
  });
});
