import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import type { Actor } from '../../src/domain/actor.js';
import { toBlockKit } from '../../src/reply/block-kit.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import type { Db } from '../../src/store/open.js';
import { silentLog, testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', role: 'pricing_admin' };
const monday = new Date('2026-11-23T15:00:00Z'); // 10:00 in New York

function post(db: Db, name: string, slot: Date) {
  const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === name);
  if (!job) throw new Error(name);
  expect(runSlot({ db, catalog: seedCatalog, config: testBed().config, platforms: ['slack'], log: silentLog }, job, slot, slot)).toBe('posted');
  const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { payload: string };
  const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { reply, text: toText(reply) };
}

/** Q-00001: a margin violation (executive, 2h, due 12:00). Q-00002: 25% off (revenue lead, 8h, due 18:00). */
async function seeded() {
  const bed = testBed({ now: monday });
  await bed.run('/quote opus high startup 100000 50000 discount=60 account=Initech', { actor: sam });
  await bed.run('/quote sonnet medium mid_market 100000 100000 discount=25', { actor: sam });
  return bed;
}

describe('the desk in the operating cadence', () => {
  it('morning triage lists pending approvals with their age against their response time', async () => {
    const b = await seeded();
    b.setNow(new Date('2026-11-23T17:30:00Z'));
    const { reply, text } = post(b.db, 'morning-triage', new Date('2026-11-23T17:30:00Z'));
    expect(reply.data.pending_approvals).toEqual([
      { quote_id: 'Q-00001', authority: 'executive', age_minutes: 150, response_hours: 2, overdue: true },
      { quote_id: 'Q-00002', authority: 'revenue_lead', age_minutes: 150, response_hours: 8, overdue: false },
    ]);
    expect(text).toMatch(/Q-00001\s+executive\s+2h 30m of 2h ⚠ overdue\s+2026-11-23 12:00 EST/);
    expect(text).toMatch(/Q-00002\s+revenue lead\s+2h 30m of 8h\s+2026-11-23 18:00 EST/);
  });

  it('the closure gate is blocked by an approval past its response time, naming who can approve, and passes once it is decided', async () => {
    const b = await seeded();
    const slot = new Date('2026-11-23T22:30:00Z'); // 17:30: Q-00001 overdue, Q-00002 not yet
    b.setNow(slot);
    const failed = post(b.db, 'eod-closure', slot);
    expect(failed.reply.data).toMatchObject({ gate: 'failed', late_approvals: ['Q-00001'] });
    expect(failed.text).toContain('Approval for Q-00001 is past its response time (due 2026-11-23 12:00 EST): @Eli Brooks');
    expect(JSON.stringify(toBlockKit(failed.reply).blocks)).toContain('is past its response time (due 2026-11-23 12:00 EST): <@U0EXEC0001>');

    const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' };
    expect((await b.run('/desk decline Q-00001 reason="no case"', { actor: eli })).error).toBeUndefined();
    const next = new Date('2026-11-24T22:30:00Z');
    b.setNow(next);
    await b.run('/desk approve Q-00002', { actor: maria });
    expect(post(b.db, 'eod-closure', next).reply.data).toMatchObject({ gate: 'passed', late_approvals: [] });
  });

  it('nightly QA checks each desk decision against the matrix: a decider who no longer holds the authority is flagged', async () => {
    const b = await seeded();
    await b.run('/desk approve Q-00002', { actor: maria });
    // Pat does not hold revenue_lead: a decision recorded for Pat (as if team.json had changed since) is a mismatch.
    b.db.prepare("UPDATE approval_requests SET decided_at = ?, decision = 'approve', decided_by_platform = 'slack', decided_by_user_id = ?, decided_by_name = 'Pat Kim', decided_by_person = 'pat' WHERE quote_seq = 1").run(monday.toISOString(), pat.userId);
    const { reply, text } = post(b.db, 'nightly-qa', new Date('2026-11-24T03:00:00Z'));
    expect(reply.data.desk_authority_mismatches).toEqual([{ quote_id: 'Q-00001', decided_by: 'Pat Kim', required: 'executive' }]);
    expect(text).toContain('Q-00001: decided by Pat Kim (approves deal desk, revops/legal), matrix requires executive');
  });
});
