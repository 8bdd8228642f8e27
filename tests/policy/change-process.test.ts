import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/index.js';
import type { Actor } from '../../src/domain/actor.js';
import { policyAlertSubject } from '../../src/policy/alert.js';
import { policyInForce } from '../../src/policy/in-force.js';
import { alertOverdueEmergencyReviews } from '../../src/policy/review-deadline.js';
import { renderPolicySubject } from '../../src/policy/subject.js';
import type { Reply } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { decideProposedVersion } from '../../src/store/policy-version-review.js';
import { getVersion, listVersions } from '../../src/store/policy-versions.js';
import { testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const at = (s: string) => new Date(s);
const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'pat', role: 'pricing_admin' };
const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'maria', role: 'revenue_manager' };
const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'eli', role: 'executive' };
const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'sam', role: 'sales_rep' };
const SEED = seedCatalog.policyFile.id; // pricing_policy_v2026-11-22a
const B = 'pricing_policy_v2026-11-22b';
const C = 'pricing_policy_v2026-11-22c';

const record = 'rationale="Medium work underpriced" drift="medium margin 8 points under target" expected="medium margin back to target" expected_margin=up rollback_criteria="medium win rate under 30% for 2 weeks"';
const propose = (changes: string, extra = '') => `/policy propose changes="${changes}" ${record} ${extra}`.trim();

const outbox = (db: Db) =>
  db.prepare('SELECT platform, kind, destination, subject, payload FROM outbox ORDER BY id').all() as { platform: string; kind: string; destination: string; subject: string | null; payload: string | null }[];
/** Versions other than the seed (which a first command may write lazily). */
const proposals = (db: Db) => (db.prepare("SELECT COUNT(*) AS n FROM policy_versions WHERE kind != 'seed'").get() as { n: number }).n;
const rendered = (db: Db, subject: string) => renderPolicySubject(db, seedCatalog.team, 'America/New_York', subject);
const buttons = (r: Reply | null) => r?.blocks.flatMap((b) => (b.type === 'actions' ? b.buttons.map((x) => x.action) : [])) ?? [];

describe('/policy propose', () => {
  it('a pricing admin proposes a minor change: written as proposed, its review asked in ops with the diff and both buttons; nothing is in force yet', async () => {
    const bed = testBed();
    const r = await bed.run(propose('base_markup.medium=4.5'), { actor: pat });
    expect(r.error).toBeUndefined();
    expect(r.summary).toBe(`${B} proposed (minor). Sent for review (a revenue manager or an executive: Maria Lopez, Eli Brooks).`);
    expect(getVersion(bed.db, B)).toMatchObject({
      previous: SEED, kind: 'change', changeType: 'minor', state: 'proposed', changedBy: 'Pat Kim', effectiveAt: null, reviewDueAt: null,
      proposedBy: { platform: 'slack', userId: 'U0PRICING1', personId: 'pat' }, rationale: 'Medium work underpriced',
      metricDrift: 'medium margin 8 points under target', expectedOutcome: 'medium margin back to target', expectedMargin: 'up', rollbackCriteria: 'medium win rate under 30% for 2 weeks',
    });
    expect(getVersion(bed.db, B)?.rules.base_markup.medium).toBe(4.5);
    // Minor: asked in ops only; the sales team hears when it is in force (the switch), not now.
    expect(outbox(bed.db).map((o) => [o.kind, o.destination, o.subject])).toEqual([['post', 'C0OPS00001', `policy_review:${B}`]]);
    const post = rendered(bed.db, `policy_review:${B}`);
    expect(buttons(post)).toEqual(['policy.approve', 'policy.reject']);
    const shown = toText(post as Reply);
    expect(shown).toMatch(/base_markup\.medium\s+4\s+4\.5/);
    expect(shown).toContain('minor: every markup moves by at most 0.5x');
    expect(shown).toContain('Rollback criteria medium win rate under 30% for 2 weeks');
    expect(policyInForce(bed.db, seedCatalog.policyFile, bed.ctx().now).id).toBe(SEED);
  });

  it.each([
    ['a sales rep', sam, /Only a pricing admin may propose a policy change \(§48\); you are listed as sales rep\. Ask Pat Kim\./],
    ['an executive', eli, /Only a pricing admin may propose.*you are listed as executive/],
    ['a revenue manager', maria, /you are listed as revenue manager/],
  ])('%s may not propose', async (_case, actor, message) => {
    const bed = testBed();
    const r = await bed.run(propose('base_markup.medium=4.5'), { actor });
    expect(r.error?.code).toBe('forbidden');
    expect(r.summary).toMatch(message);
    expect(proposals(bed.db)).toBe(0);
    expect(bed.count('outbox')).toBe(0);
  });

  it.each([
    ['no rationale', `/policy propose changes="base_markup.medium=4.5" drift=d expected=e expected_margin=up rollback_criteria=r`, 'rationale', /`rationale` is missing/],
    ['every record field missing', `/policy propose changes="base_markup.medium=4.5"`, 'rationale', /5 fields are missing: `rationale`.*`drift`.*`expected`.*`expected_margin`.*`rollback_criteria`/],
    ['a bad expected margin', propose('base_markup.medium=4.5').replace('expected_margin=up', 'expected_margin=higher'), 'expected_margin', /`expected_margin` must be one of up, down, steady/],
    ['an unknown field', propose('base_markup.huge=4.5'), 'changes', /base_markup\.huge is not a field of the pricing policy/],
    ['a word where a number goes', propose('price_floor_usd=cheap'), 'changes', /price_floor_usd must be a number; you gave "cheap"/],
    ['no change at all', propose('base_markup.medium=4'), 'changes', /leaves every field as it is in force/],
    ['a markup moved by more than 1.0x', propose('base_markup.medium=5.01'), 'changes', /base_markup\.medium moves by 1\.01x/],
    ['a base markup under 2.5x', propose('base_markup.low=2.49'), 'changes', /base_markup\.low would be 2\.49x; never below 2\.5x/],
    ['a floor outside $0.25-$1.00', propose('price_floor_usd=1.01'), 'changes', /must stay within \$0\.25-\$1\.00/],
    ['rules the policy cannot hold', propose('discount_approval.1.up_to_pct=5'), 'changes', /discount_approval\.1\.up_to_pct: bands must rise/],
    ['a major change declared minor', propose('base_markup.medium=4.6', 'type=minor'), 'type', /declared minor but is major: base_markup\.medium moves by 0\.60x/],
    ['a time with no zone', propose('base_markup.medium=4.5', 'effective=2026-12-01T09:00'), 'effective', /`effective` must be a time in ISO 8601 with a zone/],
    ['a time already past', propose('base_markup.medium=4.5', 'effective=2026-11-01T09:00:00Z'), 'effective', /effective must be a time still to come/],
    ['an emergency with a later time', propose('base_markup.medium=4.5', 'type=emergency effective=2026-12-01T09:00:00Z'), 'effective', /an emergency change takes effect at once/],
  ])('%s is refused, naming the field, and nothing is written', async (_case, line, field, message) => {
    const bed = testBed();
    const r = await bed.run(line, { actor: pat });
    expect(r.error).toMatchObject({ code: 'invalid_input', field });
    expect(r.summary).toMatch(message);
    expect(proposals(bed.db)).toBe(0);
    expect(bed.count('outbox')).toBe(0);
  });

  it('a major change is asked of exec and ops, and announced to the sales team at once with its earliest time', async () => {
    const bed = testBed();
    const r = await bed.run(propose('price_floor_usd=0.6, base_markup.high=5.5'), { actor: pat });
    expect(r.summary).toBe(`${B} proposed (major). Sent for review (an executive: Eli Brooks).`);
    const rows = outbox(bed.db);
    expect(rows.filter((o) => o.kind === 'post').map((o) => o.destination)).toEqual(['C0EXEC0001', 'C0OPS00001']);
    // No sales channel in the fixture's team: the sales notice falls back to ops.
    const sales = rows.filter((o) => o.kind === 'message');
    expect(sales.map((o) => o.destination)).toEqual(['C0OPS00001']);
    const notice = JSON.parse(sales[0]?.payload ?? '{}') as Reply;
    expect(notice.summary).toBe(`Pricing policy change ${B} (major) proposed: if approved, it takes effect no sooner than 2026-11-24 09:00 EST`);
    expect(toText(notice)).toMatch(/price_floor_usd\s+0\.5\s+0\.6/);
    expect(toText(rendered(bed.db, `policy_review:${B}`) as Reply)).toContain('major: the price floor changes');
  });
});

describe('reviewing a change', () => {
  it('propose -> review post -> a revenue manager approves -> in force; every copy refreshed without buttons, the proposer told', async () => {
    const bed = testBed();
    await bed.run(propose('base_markup.medium=4.5'), { actor: pat, platforms: ['slack', 'discord'] });
    bed.setNow(at('2026-11-22T15:00:00Z'));
    const r = await bed.run(`/policy approve ${B} note="checked"`, { actor: maria, platforms: ['slack', 'discord'] });
    expect(r.summary).toBe(`${B} approved by Maria Lopez at 2026-11-22 10:00 EST: "checked". It is in force from 2026-11-22 10:00 EST. The proposer is told.`);
    expect(getVersion(bed.db, B)).toMatchObject({ state: 'approved', effectiveAt: at('2026-11-22T15:00:00Z'), reviewDecision: 'approved', reviewedBy: { name: 'Maria Lopez', personId: 'maria' }, reviewNote: 'checked' });
    expect(policyInForce(bed.db, seedCatalog.policyFile, at('2026-11-22T15:00:00Z')).id).toBe(B);
    expect(policyInForce(bed.db, seedCatalog.policyFile, at('2026-11-22T14:59:59Z')).id).toBe(SEED);
    const after = outbox(bed.db).slice(2);
    // In force at once, so the sales channel (ops in the fixture team) is told on each platform now.
    expect(after.map((o) => [o.platform, o.kind, o.destination, o.subject]).sort()).toEqual([
      ['discord', 'message', '200000000000000001', null],
      ['discord', 'post_refresh', '', `policy_review:${B}`],
      ['slack', 'message', 'C0OPS00001', null],
      ['slack', 'message', 'U0PRICING1', null],
      ['slack', 'post_refresh', '', `policy_review:${B}`],
    ]);
    expect((JSON.parse(after.find((o) => o.kind === 'message' && o.destination === 'U0PRICING1')?.payload ?? '{}') as Reply).summary).toBe(`Your pricing policy change ${B} was approved by Maria Lopez at 2026-11-22 10:00 EST: "checked"`);
    const post = rendered(bed.db, `policy_review:${B}`);
    expect(buttons(post)).toEqual([]);
    expect(post?.summary).toBe(`Pricing policy change ${B} (minor): approved by Maria Lopez at 2026-11-22 10:00 EST: "checked"; in force from 2026-11-22 10:00 EST`);
  });

  it('a quote priced after the approval records the new version; one priced before keeps the seed', async () => {
    const bed = testBed();
    await bed.run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    await bed.run(propose('base_markup.medium=4.5'), { actor: pat });
    await bed.run(`/policy approve ${B}`, { actor: maria });
    await bed.run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    expect(bed.db.prepare('SELECT policy_version, final_markup FROM quotes ORDER BY seq').all()).toEqual([
      { policy_version: SEED, final_markup: '3.5' },
      { policy_version: B, final_markup: '4' },
    ]);
  });

  it.each([
    ['a revenue manager on a major change', 'price_floor_usd=0.6', maria, /You may not review .*: a major change is reviewed by an executive \(§48\); you are a revenue manager\. It can be reviewed by an executive: Eli Brooks\./],
    ['a sales rep on a minor change', 'base_markup.medium=4.5', sam, /a minor change is reviewed by a revenue manager or an executive \(§48\); you are a sales rep/],
    ['the pricing admin who proposed it', 'base_markup.medium=4.5', pat, /a minor change is reviewed by .*; you are a pricing admin/],
  ])('%s is refused, and nothing changes', async (_case, changes, actor, message) => {
    const bed = testBed();
    await bed.run(propose(changes), { actor: pat });
    const before = bed.count('outbox');
    for (const line of [`/policy approve ${B}`, `/policy reject ${B} note=no`]) {
      const r = await bed.run(line, { actor });
      expect(r.error?.code).toBe('forbidden');
      expect(r.summary).toMatch(message);
    }
    expect(getVersion(bed.db, B)?.state).toBe('proposed');
    expect(bed.count('outbox')).toBe(before);
  });

  it('nobody approves their own proposal, even once they hold a reviewing role', async () => {
    const bed = testBed();
    await bed.run(propose('base_markup.medium=4.5'), { actor: pat });
    // Pat is promoted to executive in data/team.json after proposing.
    const promoted: Catalog = { ...seedCatalog, team: { ...seedCatalog.team, people: seedCatalog.team.people.map((p) => (p.id === 'pat' ? { ...p, role: 'executive' as const } : p)) } };
    const r = await bed.run(`/policy approve ${B}`, { actor: { ...pat, role: 'executive' }, catalog: promoted });
    expect(r.error?.code).toBe('forbidden');
    expect(r.summary).toBe(`Nobody reviews their own proposal: ${B} is yours. It can be reviewed by a revenue manager or an executive: Maria Lopez, Eli Brooks.`);
    expect(getVersion(bed.db, B)?.state).toBe('proposed');
  });

  it('a double click records one decision; the second is told who decided and when, and nothing more is queued', async () => {
    const bed = testBed();
    await bed.run(propose('base_markup.medium=4.5'), { actor: pat });
    const first = await bed.run(`/policy approve ${B}`, { actor: maria });
    expect(first.error).toBeUndefined();
    const queued = bed.count('outbox');
    for (const [actor, line] of [[maria, `/policy approve ${B}`], [eli, `/policy reject ${B} note=late`]] as const) {
      const r = await bed.run(line, { actor });
      expect(r.error?.code).toBe('conflict');
      expect(r.summary).toBe(`${B} was already approved by Maria Lopez at 2026-11-22 09:00 EST.`);
    }
    expect(bed.count('outbox')).toBe(queued);
    // The update itself is conditional: a decision racing in after ours changes no row.
    expect(decideProposedVersion(bed.db, B, { decision: 'rejected', at: at('2026-11-22T14:00:01Z'), by: { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', personId: 'eli' }, note: null, effectiveAt: null })).toBe(false);
    expect(getVersion(bed.db, B)).toMatchObject({ state: 'approved', reviewedBy: { name: 'Maria Lopez' } });
  });

  it('the Approve button decides; the Reject button opens the reject form (a reason is required) once the presser may reject', async () => {
    const bed = testBed();
    await bed.run(propose('price_floor_usd=0.6'), { actor: pat });
    const { dispatchAction } = await import('../../src/core/dispatch.js');
    const refused = await dispatchAction(bed.registry, 'policy.reject', B, bed.ctx({ actor: maria, surface: 'button', platforms: ['slack'] }));
    expect(refused.kind === 'reply' && refused.reply.error?.code).toBe('forbidden');
    const form = await dispatchAction(bed.registry, 'policy.reject', B, bed.ctx({ actor: eli, surface: 'button', platforms: ['slack'] }));
    expect(form).toMatchObject({ kind: 'form', command: 'policy', subcommand: 'reject', values: { version: B } });
    const noNote = await bed.run(`/policy reject ${B}`, { actor: eli });
    expect(noNote.error).toMatchObject({ code: 'invalid_input', field: 'note' });
    const r = await bed.run(`/policy reject ${B} note="wait for the Q4 calibration"`, { actor: eli });
    expect(r.summary).toBe(`${B} rejected by Eli Brooks at 2026-11-22 09:00 EST: "wait for the Q4 calibration". The proposer is told.`);
    expect(getVersion(bed.db, B)).toMatchObject({ state: 'rejected', effectiveAt: null });
    // The sales team, told of the major change when proposed, is told it will not happen.
    const last = outbox(bed.db).at(-1);
    expect(last?.kind).toBe('message');
    expect((JSON.parse(last?.payload ?? '{}') as Reply).summary).toBe(`Pricing policy change ${B} will not take effect: rejected by Eli Brooks at 2026-11-22 09:00 EST: "wait for the Q4 calibration"`);
    const pressed = await dispatchAction(bed.registry, 'policy.approve', B, bed.ctx({ actor: eli, surface: 'button', platforms: ['slack'] }));
    expect(pressed.kind === 'reply' && pressed.reply.summary).toMatch(/was already rejected by Eli Brooks/);
    expect(policyInForce(bed.db, seedCatalog.policyFile, at('2026-12-01T00:00:00Z')).id).toBe(SEED);
  });

  it('a proposal overtaken by another approved change is refused on approval rather than undo it', async () => {
    const bed = testBed();
    await bed.run(propose('base_markup.medium=4.5'), { actor: pat });
    await bed.run(propose('base_markup.high=5.5'), { actor: pat });
    await bed.run(`/policy approve ${B}`, { actor: maria });
    const r = await bed.run(`/policy approve ${C}`, { actor: maria });
    expect(r.error?.code).toBe('conflict');
    expect(r.summary).toBe(`${C} was proposed against ${SEED}, but ${B} is in force by then: approving it would undo that change. Propose it again against ${B}.`);
    expect(getVersion(bed.db, C)?.state).toBe('proposed');
  });

  it('an unknown version is named', async () => {
    const bed = testBed();
    const r = await bed.run('/policy approve pricing_policy_v2026-01-01z', { actor: maria });
    expect(r.error).toMatchObject({ code: 'not_found', field: 'version' });
  });
});

describe('an emergency change', () => {
  const fileDb = () => join(mkdtempSync(join(tmpdir(), 'j1msky-emergency-')), 'ops.db');

  it('is in force at once, announced at once, and alerts once when unreviewed at 24 hours, across a restart; a review refreshes the alert', async () => {
    const path = fileDb();
    const bed = testBed({ db: openDatabase(path) });
    const r = await bed.run(propose('base_markup.medium=4.5', 'type=emergency'), { actor: pat });
    expect(r.summary).toBe(`${B} proposed (emergency). It is in force now; its review is due within 24 hours (an executive: Eli Brooks).`);
    expect(getVersion(bed.db, B)).toMatchObject({ state: 'approved', changeType: 'emergency', effectiveAt: at('2026-11-22T14:00:00Z'), reviewDueAt: at('2026-11-23T14:00:00Z') });
    expect(policyInForce(bed.db, seedCatalog.policyFile, at('2026-11-22T14:00:00Z')).id).toBe(B);
    const rows = outbox(bed.db);
    expect(rows.filter((o) => o.kind === 'post').map((o) => o.destination)).toEqual(['C0EXEC0001', 'C0OPS00001']);
    // The sales channel is told once, by the switch, in the proposal's transaction.
    const told = rows.filter((o) => o.kind === 'message');
    expect(told.map((o) => o.destination)).toEqual(['C0OPS00001']);
    expect(JSON.parse(told[0]?.payload ?? '{}')).toMatchObject({
      summary: 'Pricing policy 2026-11-22b is in force since 2026-11-22 09:00 EST: emergency change by Pat Kim, 1 field changed.',
    });

    const tick = (db: Db, now: string) => alertOverdueEmergencyReviews({ db, catalog: seedCatalog, timezone: 'America/New_York', platforms: ['slack'], now: at(now) });
    const subject = policyAlertSubject(B, 'emergency_review');
    expect(tick(bed.db, '2026-11-23T13:59:00Z')).toEqual([]);
    expect(tick(bed.db, '2026-11-23T14:00:00Z')).toEqual([subject]);
    expect(tick(bed.db, '2026-11-23T14:01:00Z')).toEqual([]);
    bed.db.close();

    const again = testBed({ db: openDatabase(path) });
    expect(tick(again.db, '2026-11-23T15:00:00Z')).toEqual([]);
    const alerts = outbox(again.db).filter((o) => o.subject === subject);
    // ops and exec, and the executive sponsor paged directly: one alert, raised once.
    expect(alerts.map((o) => [o.kind, o.destination])).toEqual([['post', 'C0OPS00001'], ['post', 'C0EXEC0001'], ['post', 'U0EXEC0001']]);
    const alert = rendered(again.db, subject);
    expect(alert?.summary).toBe(`Review overdue: Emergency pricing policy change ${B} by Pat Kim`);
    expect(buttons(alert)).toEqual(['policy.approve', 'policy.reject']);

    again.setNow(at('2026-11-23T16:00:00Z'));
    const reviewed = await again.run(`/policy approve ${B} note="floor held"`, { actor: eli });
    expect(reviewed.summary).toBe(`${B} approved by Eli Brooks at 2026-11-23 11:00 EST: "floor held". The proposer is told.`);
    expect(getVersion(again.db, B)).toMatchObject({ state: 'approved', effectiveAt: at('2026-11-22T14:00:00Z'), reviewDecision: 'approved' });
    // Both the request and the alert are refreshed in place, and lose their buttons.
    expect(outbox(again.db).filter((o) => o.kind === 'post_refresh').map((o) => o.subject)).toEqual([`policy_review:${B}`, subject]);
    expect(buttons(rendered(again.db, subject))).toEqual([]);
    expect(tick(again.db, '2026-11-24T15:00:00Z')).toEqual([]);
    again.db.close();
  });

  it('reviewed in time, it never alerts; rejected, it stays in force until rolled back and the proposer is told so', async () => {
    const bed = testBed();
    await bed.run(propose('base_markup.medium=4.5', 'type=emergency'), { actor: pat });
    const r = await bed.run(`/policy reject ${B} note="too steep"`, { actor: eli });
    expect(r.summary).toBe(`${B} rejected by Eli Brooks at 2026-11-22 09:00 EST: "too steep". The proposer is told.`);
    const dm = outbox(bed.db).find((o) => o.destination === 'U0PRICING1');
    expect(toText(JSON.parse(dm?.payload ?? '{}') as Reply)).toContain(`It stays in force until it is rolled back: /policy rollback ${B}.`);
    expect(alertOverdueEmergencyReviews({ db: bed.db, catalog: seedCatalog, timezone: 'America/New_York', platforms: ['slack'], now: at('2026-11-24T00:00:00Z') })).toEqual([]);
    expect(listVersions(bed.db).map((v) => v.id)).toEqual([B, SEED]);
  });
});
