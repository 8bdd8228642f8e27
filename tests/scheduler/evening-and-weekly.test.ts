import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import type { Db } from '../../src/store/open.js';
import type { ScheduleOverrides } from '../../src/catalog/schedules.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed } from '../helpers/context.js';

const monday = new Date('2026-11-23T15:00:00Z');

async function seeded() {
  const bed = testBed({ now: monday });
  const { run } = bed;
  await run('quote k2p5 medium smb 2000 800'); // 99.28%, healthy
  await run('quote sonnet low smb 100000 100000 discount=15'); // 4.50 -> 3.83: 53.00%, warning
  await run('quote opus high startup 100000 50000 discount=60 account=Initech'); // 37.50%, critical
  return bed;
}

function post(db: Db, name: string, slot: Date, catalog = seedCatalog) {
  const job = resolveJobs(schedules, catalog).find((j) => j.def.name === name);
  if (!job) throw new Error(name);
  expect(runSlot({ db, catalog, config: testBed().config, platforms: ['slack'], log: silentLog }, job, slot, slot)).toBe('posted');
  const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { payload: string };
  const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { reply, text: toText(reply) };
}

describe('nightly QA', () => {
  it('bands the last 24 hours, annotates each at-risk quote, and checks approvals against the matrix', async () => {
    const b = await seeded();
    b.db.prepare("UPDATE quotes SET approver = 'account_executive' WHERE seq = 2").run();
    const { reply, text } = post(b.db, 'nightly-qa', new Date('2026-11-24T03:00:00Z'));
    expect(reply.data).toEqual({
      quotes: 3, critical: 1, warning: 1,
      at_risk: [{ quote_id: 'Q-00002', band: 'warning', action: 'move to subscription packaging' }, { quote_id: 'Q-00003', band: 'critical', action: 'require phased delivery' }],
      approval_mismatches: ['Q-00002'],
      desk_authority_mismatches: [],
    });
    expect(text).toContain('Q-00002: 15% recorded account_executive, matrix requires sales_manager');
  });
});

describe('nightly handoff', () => {
  it('shows budget, pipeline, customer health, QA findings and blockers, and checks its quality rules', async () => {
    const b = await seeded();
    await b.run('exceptions add quote=Q-00003 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-10-20');
    const { reply, text } = post(b.db, 'nightly-handoff', new Date('2026-11-24T03:30:00Z'));
    expect(reply.data).toMatchObject({ budget_level: 'ok', quotes: 3, accounts_at_risk: ['Initech'] });
    expect(text).toContain('Customer health exception risk rose today for: Initech (critical)');
    expect(text).toContain('critical alert #1 on EX-00001 Initech not acknowledged · owner sam · next: schedule_executive_review');
    // The escalated quote has no owner yet, so the first rule fails, and says so.
    expect(text).toContain('Q-00003 escalated · owner NONE');
    expect(text).toContain('❌ every blocker has an owner and a next action');
    expect(text).toContain('✅ no unresolved priority item without an ETA');
    expect(text).toContain('Incidents no data source');
  });
});

describe('weekly retrospective and executive brief', () => {
  it('reports the week and raises the playbook’s signals', async () => {
    const b = await seeded();
    await b.run('exceptions add quote=Q-00003 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31');
    const { reply, text } = post(b.db, 'weekly-retro', new Date('2026-11-27T21:00:00Z'));
    expect(reply.data).toMatchObject({ quotes: 3, approval_rate_pct: 33.33, escalation_rate_pct: 66.67, exceptions_created: 1, exceptions_closed: 0, later_approved: [], recorded_as_exceptions: ['Q-00003'] });
    expect(text).toMatch(/smb task quotes: average margin 76\.14% is more than 15 points over the 55% task guardrail: consider raising the markup/);
  });

  it('briefs the executives on revenue, margin, model mix, risks and priorities', async () => {
    const b = await seeded();
    await b.run('exceptions add quote=Q-00003 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-10-20');
    const { reply, text } = post(b.db, 'exec-brief', new Date('2026-11-30T13:30:00Z'));
    expect(reply.data).toMatchObject({ quotes: 3, quoted_revenue: 7.13, previous_quoted_revenue: 0, avg_margin_pct: 63.26 });
    expect(text).toContain('Model mix k2p5 33.33% · sonnet 33.33% · opus 33.33%');
    expect(text).toContain('EX-00001 Initech: 41 days, critical; owner sam; renewal repricing');
    expect(text).toContain('Acknowledge and review 1 critical alert(s)');
  });
});

describe('figures from one definition', () => {
  it('the report, the closure, the exec brief and the retro give the same average margin for the same quotes', async () => {
    const b = await seeded();
    // A fourth quote makes the mean 72.265: a float sum, SQL AVG rounded half-up and an exact
    // mean rounded down would show 72.27, 72.27 and 72.26. One rule shows one figure.
    await b.run('quote k2p5 medium smb 2000 800');
    const report = (await b.run('/report date=2026-11-23')).data as { avg_margin_pct: number; by_segment: Record<string, { avg_margin: number }> };
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    const brief = post(b.db, 'exec-brief', new Date('2026-11-30T13:30:00Z'));
    const retro = post(b.db, 'weekly-retro', new Date('2026-11-27T21:00:00Z'));
    const figures = [report.avg_margin_pct, closure.reply.data.avg_margin_pct, brief.reply.data.avg_margin_pct, retro.reply.data.avg_margin_pct];
    expect(figures).toEqual([72.26, 72.26, 72.26, 72.26]);
    // The per-segment breakdown agrees too: smb is (99.28 + 53.00 + 99.28) / 3 = 83.8533...
    expect(report.by_segment.smb?.avg_margin).toBe(83.85);
    expect(closure.text).toMatch(/smb\s*\|?\s*3\s*\|?\s*83\.85%/);
    expect(retro.text).toMatch(/smb\s*\|?\s*3\s*\|?\s*83\.85%/);
  });

  it('says a day without quotes has no average margin, rather than 0% critical', () => {
    const b = testBed({ now: monday });
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(closure.text).toContain('Average margin none (no quotes)');
    expect(closure.reply.data.avg_margin_pct).toBeNull();
  });

  it('exec brief: an empty week before is nothing to compare; a real one is compared', async () => {
    const b = await seeded();
    const alone = post(b.db, 'exec-brief', new Date('2026-11-30T13:30:00Z'));
    expect(alone.text).toContain('Quoted revenue $7.13 from 3 quotes (no quotes the week before: nothing to compare)');
    expect(alone.text).toContain('Margin average 63.26% (no quotes the week before: nothing to compare)');
    expect(alone.text).not.toContain('on the week before');

    const c = await seeded();
    c.setNow(new Date('2026-11-16T15:00:00Z'));
    await c.run('quote sonnet low smb 100000 100000'); // 4.50, 60.00%
    const compared = post(c.db, 'exec-brief', new Date('2026-11-30T13:30:00Z'));
    expect(compared.text).toContain('Quoted revenue $7.13 from 3 quotes (+$2.63 on the week before, 1 quotes)');
    expect(compared.text).toContain('Margin average 63.26% (+3.26 points on the week before)');
  });

  it('prints policy figures from the policy and the rules’ constants', async () => {
    const b = await seeded();
    const qa = post(b.db, 'nightly-qa', new Date('2026-11-24T03:00:00Z'));
    expect(qa.text).toContain('Critical (<45%)');
    expect(qa.text).toContain('Warning (45-54.99%)');
    const closure = post(b.db, 'eod-closure', new Date('2026-11-23T22:30:00Z'));
    expect(closure.text).toContain('Thresholds: daily margin warning <60% critical <50% · exception age warning ≥14 critical ≥30 days');
  });

  it.each<{ name: string; overrides: ScheduleOverrides; says: string | null }>([
    { name: 'the shipped schedule', overrides: {}, says: 'at the follow-up, 30 minutes from now, are escalated' },
    { name: 'a follow-up moved to 13:15', overrides: { 'midday-followup': { cron: '15 13 * * 1-5' } }, says: 'at the follow-up, 45 minutes from now, are escalated' },
    { name: 'the follow-up turned off', overrides: { 'midday-followup': { enabled: false } }, says: null },
  ])('midday sweep names when the follow-up runs: $name', async ({ overrides, says }) => {
    const b = await seeded();
    await b.run('exceptions add quote=Q-00003 reason="strategic logo" approved_by=Eli approved_by_role=executive owner=sam plan="renewal repricing" target_date=2027-01-31 approved_at=2026-10-20');
    const { text } = post(b.db, 'midday-sweep', new Date('2026-11-23T17:30:00Z'), { ...seedCatalog, schedules: overrides });
    if (says) expect(text).toContain(says);
    else expect(text).not.toContain('at the follow-up');
  });
});
