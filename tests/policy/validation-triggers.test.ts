import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { policyAlertSubject } from '../../src/policy/alert.js';
import { renderPolicySubject } from '../../src/policy/subject.js';
import { policyTick } from '../../src/policy/tick.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { POLICY_QUOTES_SQL } from '../../src/store/policy-quotes.js';
import { insertVersion } from '../../src/store/policy-versions.js';
import { silentLog, testBed } from '../helpers/context.js';
import { maria } from '../helpers/quote-life.js';
import { seedCatalog } from '../helpers/seed.js';
import { CHANGE_ID, DAY, EFF, HOUR, after, backfiringChange } from './validation-fixture.js';

const MARGIN = policyAlertSubject(CHANGE_ID, 'margin_opposite');
const SPIKE = policyAlertSubject(CHANGE_ID, 'escalation_spike');
const posts = (db: Db) => db.prepare("SELECT subject, destination FROM outbox WHERE kind = 'post' AND subject LIKE 'policy_alert:%' ORDER BY id").all();
const render = (db: Db, subject: string) => renderPolicySubject(db, seedCatalog.team, 'America/New_York', subject);

describe('validation triggers from seeded quotes (§48 step 4, §49)', () => {
  it('fire once each, to ops and exec, across ticks and a restart; not before five quotes are priced under the change', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-validation-')), 'ops.db');
    const bed = await backfiringChange({ db: openDatabase(path) });
    // At 4h30 four quotes are priced under the change: fewer than the minimum, so nothing fires.
    expect(bed.tick(after(4.5 * HOUR)).alerted).toEqual([]);
    expect(bed.tick(after(6 * HOUR)).alerted).toEqual([MARGIN, SPIKE]);
    expect(bed.tick(after(7 * HOUR)).alerted).toEqual([]);
    bed.db.close();

    const again = testBed({ db: openDatabase(path) });
    expect(policyTick({ db: again.db, catalog: seedCatalog, timezone: 'America/New_York', platforms: ['slack'], now: after(8 * HOUR) }).alerted).toEqual([]);
    expect(posts(again.db)).toEqual([
      { subject: MARGIN, destination: 'C0OPS00001' },
      { subject: MARGIN, destination: 'C0EXEC0001' },
      { subject: SPIKE, destination: 'C0OPS00001' },
      { subject: SPIKE, destination: 'C0EXEC0001' },
    ]);
    again.db.close();
  });

  it('renders what moved, the figures before and after, the rollback criteria and a Roll back button; after the rollback, who and when, without it', async () => {
    const bed = await backfiringChange();
    bed.tick(after(6 * HOUR));
    const margin = render(bed.db, MARGIN);
    const shown = toText(margin ?? { summary: '', blocks: [], visibility: 'channel' });
    for (const part of [
      `Policy change backfiring: ${CHANGE_ID}`,
      'The average margin moved 69.92% -> 60.78% (-13.1%) although the change expected it to rise',
      'week before: 6 quotes, 1 escalated; under the change: 5 quotes, 5 escalated',
      'Margin down more than 10% or escalations up 20% within 48 hours',
      `[Roll back: type /policy rollback ${CHANGE_ID}]`,
    ]) expect(shown).toContain(part);
    expect(margin?.blocks.find((b) => b.type === 'actions')).toEqual({
      type: 'actions',
      buttons: [{ action: 'policy.rollback', label: 'Roll back', value: CHANGE_ID, style: 'danger', typed: `/policy rollback ${CHANGE_ID}` }],
    });
    expect(toText(render(bed.db, SPIKE) ?? margin!)).toContain('The escalation rate rose 16.66% -> 100.00% (+500.0%) within 48 hours of the change');

    bed.setNow(after(7 * HOUR));
    await bed.run('/policy rollback note="margins fell"', { actor: maria });
    const refreshes = bed.db.prepare("SELECT subject FROM outbox WHERE kind = 'post_refresh' ORDER BY id").all();
    expect(refreshes).toEqual([{ subject: MARGIN }, { subject: SPIKE }]);
    for (const subject of [MARGIN, SPIKE]) {
      const now = render(bed.db, subject);
      expect(now?.blocks.some((b) => b.type === 'actions')).toBe(false);
      expect(toText(now ?? margin!)).toContain('Rolled back by Maria Lopez at 2026-11-20 17:00 EST: pricing_policy_v2026-11-20b restores the rules in force before');
    }
    // The figures are those it was raised with, not what later quotes would make them.
    expect(toText(render(bed.db, MARGIN) ?? margin!)).toContain('69.92% -> 60.78%');
  });

  it('drops the button once a later version came into force (the switch announced it): only the version in force can be rolled back', async () => {
    const bed = await backfiringChange();
    bed.tick(after(6 * HOUR));
    const later = { ...seedCatalog.policyFile.rules, price_floor_usd: 0.6 };
    const by = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', personId: 'pat' };
    const next = { id: 'pricing_policy_v2026-11-20b', previous: CHANGE_ID, kind: 'change' as const, changeType: 'minor' as const, state: 'approved' as const, rules: later, proposedBy: by, proposedAt: after(6 * HOUR), rationale: 'floor', effectiveAt: after(8 * HOUR) };
    insertVersion(bed.db, next);
    // Approved for later but not in force yet (not announced): the button stays.
    expect(render(bed.db, MARGIN)?.blocks.some((b) => b.type === 'actions')).toBe(true);
    bed.db.prepare("UPDATE policy_versions SET announced_at = ? WHERE id = 'pricing_policy_v2026-11-20b'").run(after(8 * HOUR).toISOString());
    const shown = render(bed.db, MARGIN);
    expect(shown?.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(toText(shown ?? { summary: '', blocks: [], visibility: 'channel' })).toContain('pricing_policy_v2026-11-20b has replaced it since: there is nothing to roll back.');
  });

  it('stops watching a version a week after it took effect', async () => {
    const bed = await backfiringChange();
    expect(bed.tick(new Date(EFF.getTime() + 7 * DAY)).alerted).toEqual([]);
    expect(bed.tick(new Date(EFF.getTime() + 7 * DAY - 1)).alerted).toEqual([MARGIN, SPIKE]);
  });

  it('reads its quotes through an index on created_at (quotes_by_created_at, or the covering quotes_tally), and the versions through policy_versions_in_force', () => {
    const db = openDatabase(':memory:');
    const params = { between: ['a', 'b'], underVersion: ['a', 'b', 'v'], open: ['a', 'v', 'won', 'lost', 'declined', 'expired'] };
    for (const [name, sql] of Object.entries(POLICY_QUOTES_SQL)) {
      const plan = JSON.stringify(db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params[name as keyof typeof params]));
      expect(plan, sql).toMatch(/SEARCH quotes USING (COVERING )?INDEX (quotes_by_created_at|quotes_tally) \(created_at>\?/);
    }
    const versions = JSON.stringify(
      db.prepare("EXPLAIN QUERY PLAN SELECT * FROM policy_versions WHERE state = 'approved' AND effective_at > ? AND effective_at <= ? ORDER BY effective_at, seq").all('a', 'b'),
    );
    expect(versions).toContain('policy_versions_in_force');
  });
});

function post(db: Db, name: string, slot: Date) {
  const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === name);
  if (!job) throw new Error(name);
  expect(runSlot({ db, catalog: seedCatalog, config: testBed().config, platforms: ['slack'], log: silentLog }, job, slot, slot)).toBe('posted');
  const row = db.prepare("SELECT payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { payload: string };
  const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { reply, text: toText(reply) };
}

describe('the nightly handoff and the weekly retro show a "Policy validation" section', () => {
  it.each([
    ['nightly-handoff', new Date('2026-11-21T03:30:00Z')],
    ['weekly-retro', new Date('2026-11-20T21:00:00Z')],
  ])('%s: before -> after margin and escalation rate, and the triggers that fired', async (name, slot) => {
    const bed = await backfiringChange();
    bed.tick(after(6 * HOUR));
    const { reply, text } = post(bed.db, name, slot);
    expect(text).toContain('Policy validation (changes in force for less than a week)');
    expect(text).toContain(
      `${CHANGE_ID} (minor, expected margin up), in force since 2026-11-20 10:00 EST: margin 69.92% -> 60.78% (-13.1%) · escalation rate 16.66% -> 100.00% (+500.0%) in the first 48 hours · 6 quotes the week before, 5 under it · triggers: margin moving opposite to the expected outcome, escalation rate spike within 48 hours`,
    );
    expect(reply.data.policy_validation).toEqual([
      { version: CHANGE_ID, before: { quotes: 6, avg_margin_pct: '69.92', escalation_rate_pct: '16.66' }, after: { quotes: 5, avg_margin_pct: '60.78', escalation_rate_pct_48h: '100.00' }, triggers: ['margin_opposite', 'escalation_spike'], rolled_back: false },
    ]);
  });

  it.each(['nightly-handoff', 'weekly-retro'])('%s: no section when no version changed within the week', async (name) => {
    const bed = await backfiringChange();
    const { reply, text } = post(bed.db, name, new Date(EFF.getTime() + 8 * DAY));
    expect(text).not.toContain('Policy validation');
    expect(reply.data).not.toHaveProperty('policy_validation');
  });
});
