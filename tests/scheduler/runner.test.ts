import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { dispatchCommand } from '../../src/core/dispatch.js';
import { catchUp, resolveJobs, runSlot, type SchedulerEnv } from '../../src/scheduler/runner.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { toBlockKit } from '../../src/reply/block-kit.js';
import { toDiscord } from '../../src/reply/discord.js';
import { toText } from '../../src/reply/text.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';

const config = testConfig();
const jobs = resolveJobs(schedules, seedCatalog);
const job = (name: string) => {
  const j = jobs.find((x) => x.def.name === name);
  if (!j) throw new Error(name);
  return j;
};
const envFor = (db: Db): SchedulerEnv => ({ db, catalog: seedCatalog, config, platforms: ['slack'], log: silentLog });
const runs = (db: Db) => db.prepare('SELECT job, slot, status FROM schedule_runs ORDER BY slot, job').all() as { job: string; slot: string; status: string }[];
const posts = (db: Db) => db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id").all().map((r) => JSON.parse((r as { payload: string }).payload).summary as string);

describe('claims', () => {
  it('posts a slot once when a second connection to the same file runs it afterwards (two processes racing: tests/concurrency)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-claim-')), 'ops.db');
    const a = openDatabase(path);
    const b = openDatabase(path);
    const slot = new Date('2026-11-23T17:30:00Z');
    const now = new Date('2026-11-23T17:30:05Z');
    const outcomes = [runSlot(envFor(a), job('midday-sweep'), slot, now), runSlot(envFor(b), job('midday-sweep'), slot, now)];
    expect(outcomes.sort()).toEqual(['already_claimed', 'posted']);
    expect(posts(a)).toHaveLength(1);
    a.close();
    b.close();
  });
});

describe('catch-up after a reboot (New York, weekday Monday 2026-11-23)', () => {
  it('runs the newest missed slot within six hours and records older misses as skipped', () => {
    const { db } = testBed();
    // The bot ran the morning triage at 09:00, then the Pi died at 10:00 and came back at 15:00.
    runSlot(envFor(db), job('morning-triage'), new Date('2026-11-23T14:00:00Z'), new Date('2026-11-23T14:00:01Z'));
    const now = new Date('2026-11-23T20:00:00Z');
    for (const j of jobs) catchUp(envFor(db), j, now);
    expect(runs(db)).toEqual([
      { job: 'morning-triage', slot: '2026-11-23T14:00:00.000Z', status: 'posted' },
      { job: 'midday-sweep', slot: '2026-11-23T17:30:00.000Z', status: 'posted' },
      { job: 'midday-followup', slot: '2026-11-23T18:00:00.000Z', status: 'posted' },
    ]);
    // A second start, or the next tick, posts nothing again.
    for (const j of jobs) catchUp(envFor(db), j, new Date('2026-11-23T20:00:30Z'));
    expect(runs(db)).toHaveLength(3);
  });

  it('skips, not posts, what was missed beyond the grace window', () => {
    const { db } = testBed();
    runSlot(envFor(db), job('midday-sweep'), new Date('2026-11-20T17:30:00Z'), new Date('2026-11-20T17:30:01Z'));
    // Down from Friday afternoon to Tuesday 01:00 New York: Monday's 12:30 is 12.5 hours old.
    catchUp(envFor(db), job('midday-sweep'), new Date('2026-11-24T06:00:00Z'));
    expect(runs(db).filter((r) => r.job === 'midday-sweep')).toEqual([
      { job: 'midday-sweep', slot: '2026-11-20T17:30:00.000Z', status: 'posted' },
      { job: 'midday-sweep', slot: '2026-11-23T17:30:00.000Z', status: 'skipped' },
    ]);
  });

  it('posts each weekday 09:00 exactly once through a DST week, ticking every 30 minutes', () => {
    const { db } = testBed();
    const start = new Date('2026-03-05T05:00:00Z').getTime();
    for (let t = start; t < start + 7 * 86_400_000; t += 30 * 60_000) catchUp(envFor(db), job('morning-triage'), new Date(t));
    expect(runs(db).map((r) => `${r.slot} ${r.status}`)).toEqual([
      '2026-03-05T14:00:00.000Z posted', '2026-03-06T14:00:00.000Z posted', '2026-03-09T13:00:00.000Z posted',
      '2026-03-10T13:00:00.000Z posted', '2026-03-11T13:00:00.000Z posted',
    ]);
  });
});

describe('post contents from a seeded ledger', () => {
  const monday = new Date('2026-11-23T15:00:00Z');
  async function seeded() {
    const bed = testBed({ now: monday });
    const { run } = bed;
    await run('quote k2p5 medium smb 2000 800');
    await run('quote opus high startup 100000 50000 discount=60 account=Initech'); // escalated: guardrail
    await run('quote sonnet medium mid_market 100000 100000 discount=25'); // escalated: discount
    return bed;
  }

  it('morning triage: escalated quotes with remediation, expected margin, and an Assign control', async () => {
    const b = await seeded();
    const slot = new Date('2026-11-24T14:00:00Z');
    runSlot(envFor(b.db), job('morning-triage'), slot, slot);
    const text = posts(b.db)[0];
    expect(text).toBe('Morning triage: 3 quotes since 2026-11-23 09:00 EST, 2 escalated, 2 unassigned');
    const reply = JSON.parse((b.db.prepare("SELECT payload FROM outbox WHERE kind = 'message'").get() as { payload: string }).payload);
    const shown = toText(reply);
    // Clearing the guardrail ($3.89) still leaves a 44% discount to escalate: the plan clears both.
    expect(shown).toMatch(/Q-00002\s+escalated\s+unassigned\s+keep scope, raise price by 2026-11-24 EOD\s+68\.75%/);
    expect(shown).toContain('Q-00002: keep scope, raise price ($3.89 clears 55%; discount cut to 20%: $5.60)');
    expect(shown).toMatch(/Q-00003\s+escalated\s+unassigned\s+keep scope, raise price by 2026-11-24 EOD\s+68\.75%/);
    expect(shown).toContain('[Assign Q-00002 to me: type /quote assign Q-00002]');
  });

  it('end-of-day closure: the gate fails on an unacknowledged critical, naming it, and passes once acknowledged', async () => {
    const b = await seeded();
    // Recorded by the executive, the exception also completes Q-00002's approval; Q-00003's is decided
    // below before it falls due, so only the alert blocks (an overdue approval's block: desk-schedules.test.ts).
    const eli = { platform: 'slack' as const, userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' as const };
    await b.run('exceptions add quote=Q-00002 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-10-20', { actor: eli });
    const slot = new Date('2026-11-23T22:30:00Z');
    runSlot(envFor(b.db), job('eod-closure'), slot, slot);
    expect(posts(b.db).at(-1)).toBe('Pricing closure 2026-11-23: gate FAILED · 1 blocker(s)');
    const failed = JSON.parse((b.db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { payload: string }).payload);
    // Built once for every platform: the owner is a mention that each renderer writes its own way.
    expect(toText(failed)).toContain('Critical alert #1 (EX-00001 Initech) has no acknowledgement: @Sam Patel');
    expect(JSON.stringify(toBlockKit(failed).blocks)).toContain('has no acknowledgement: <@U0SALES001>');
    expect(JSON.stringify(toDiscord(failed).embeds)).toContain('has no acknowledgement: <@100000000000000003>');
    expect(failed.data).toMatchObject({ gate: 'failed', quotes: 3, escalated: ['Q-00002', 'Q-00003'], unowned: ['Q-00002', 'Q-00003'] });

    const maria = { platform: 'slack' as const, userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' as const };
    await dispatchCommand(b.registry, 'exceptions', { text: 'ack #1' }, b.ctx({ actor: maria }));
    await dispatchCommand(b.registry, 'desk', { text: 'approve Q-00003' }, b.ctx({ actor: maria }));
    const next = new Date('2026-11-24T22:30:00Z');
    b.db.prepare("UPDATE quotes SET created_at = '2026-11-24T15:00:00.000Z'").run();
    runSlot(envFor(b.db), job('eod-closure'), next, next);
    expect(posts(b.db).at(-1)).toBe('Pricing closure 2026-11-24: gate PASSED · 3 quotes, 2 escalated');
  });

  it('midday sweep lists unacknowledged alerts; the follow-up escalates the critical once', async () => {
    const b = await seeded();
    await b.run('exceptions add quote=Q-00002 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-10-20');
    const sweep = new Date('2026-11-23T17:30:00Z');
    runSlot(envFor(b.db), job('midday-sweep'), sweep, sweep);
    expect(posts(b.db).at(-1)).toBe('[Exception Risk: critical] 1 open exception, 1 aging-risk (14+ days), oldest 34 days | Next action: schedule_executive_review');
    const follow = new Date('2026-11-23T18:00:00Z');
    runSlot(envFor(b.db), job('midday-followup'), follow, follow);
    expect(posts(b.db).at(-1)).toBe('Midday follow-up: 1 critical alert(s) still unacknowledged');
    expect(b.db.prepare('SELECT COUNT(*) AS n FROM alerts WHERE escalated_at IS NOT NULL').get()).toEqual({ n: 1 });
  });
});

describe('night operations', () => {
  it('holds a warning raised at night until 08:00, but pages a critical at once', async () => {
    const night = new Date('2026-11-24T05:00:00Z'); // 00:00 in New York
    const b = testBed({ now: night });
    const add = (account: string, approved: string) =>
      dispatchCommand(b.registry, 'exceptions', { text: `add quote=CRM-1 account=${account} segment=smb reason=x approved_by=Eli approved_by_role=executive owner=sam plan=p target_date=2027-01-31 approved_at=${approved}` }, b.ctx({ platforms: ['slack'] }));
    await add('Warm', '2026-11-10');
    await add('Hot', '2026-10-20');
    const rows = b.db.prepare("SELECT a.level, o.next_attempt_at FROM outbox o JOIN alerts a ON a.id = o.alert_id WHERE o.kind = 'alert' ORDER BY o.id").all();
    expect(rows).toEqual([
      { level: 'warning', next_attempt_at: '2026-11-24T13:00:00.000Z' },
      { level: 'critical', next_attempt_at: '2026-11-24T05:00:00.000Z' },
      { level: 'critical', next_attempt_at: '2026-11-24T05:00:00.000Z' },
      { level: 'critical', next_attempt_at: '2026-11-24T05:00:00.000Z' },
    ]);
    const status = await dispatchCommand(b.registry, 'budget', { text: 'status' }, b.ctx());
    expect(status.data).toMatchObject({ night_mode: true });
  });
});
