import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import type { PolicyVersion } from '../../src/domain/policy-version.js';
import { fullVersionId } from '../../src/policy/version-ref.js';
import { stateWords } from '../../src/policy/version-text.js';
import { toText } from '../../src/reply/text.js';
import { getVersion } from '../../src/store/policy-versions.js';
import { testBed } from '../helpers/context.js';
import { addVersion, at, file, SEED, withRules } from './versions-helpers.js';

const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
const NOW = at('2026-11-22T14:00:00Z');
const TZ = 'America/New_York';

describe('a version’s state in words', () => {
  const base = { seq: 2, id: 'pricing_policy_v2026-11-22b', kind: 'change', changeType: 'minor', proposedAt: at('2026-11-22T13:00:00Z'), reviewDueAt: null, reviewedAt: null, reviewedBy: null, rolledBackAt: null, rolledBackBy: null, effectiveAt: null } as const;
  const v = (over: Partial<PolicyVersion>) => ({ ...base, state: 'approved', ...over }) as PolicyVersion;
  it.each([
    ['proposed', v({ state: 'proposed' }), 'x', 'proposed 2026-11-22 08:00 EST, awaiting review'],
    ['rejected', v({ state: 'rejected', reviewedAt: at('2026-11-22T13:30:00Z'), reviewedBy: { platform: 'slack', userId: 'U', name: 'Eli Brooks', personId: 'eli' } }), 'x', 'rejected 2026-11-22 08:30 EST by Eli Brooks'],
    ['cancelled', v({ state: 'cancelled' }), 'x', 'cancelled before it took effect'],
    ['scheduled, one millisecond to go', v({ effectiveAt: at('2026-11-22T14:00:00.001Z') }), 'x', 'approved, takes effect 2026-11-22 09:00 EST'],
    ['in force from this very instant', v({ effectiveAt: NOW }), base.id, 'in force since 2026-11-22 09:00 EST'],
    ['an emergency with its review due', v({ effectiveAt: at('2026-11-22T10:00:00Z'), changeType: 'emergency', reviewDueAt: at('2026-11-23T10:00:00Z') }), base.id, 'in force since 2026-11-22 05:00 EST; emergency review due by 2026-11-23 05:00 EST'],
    ['an emergency past its review', v({ effectiveAt: at('2026-11-21T10:00:00Z'), changeType: 'emergency', reviewDueAt: at('2026-11-22T10:00:00Z') }), base.id, 'in force since 2026-11-21 05:00 EST; emergency review overdue since 2026-11-22 05:00 EST'],
    ['an emergency reviewed', v({ effectiveAt: at('2026-11-21T10:00:00Z'), changeType: 'emergency', reviewDueAt: at('2026-11-22T10:00:00Z'), reviewedAt: at('2026-11-22T09:00:00Z') }), base.id, 'in force since 2026-11-21 05:00 EST'],
    ['superseded', v({ effectiveAt: at('2026-11-21T10:00:00Z') }), 'other', 'superseded'],
    ['rolled back', v({ effectiveAt: at('2026-11-21T10:00:00Z'), rolledBackAt: at('2026-11-22T12:00:00Z'), rolledBackBy: 'pricing_policy_v2026-11-22c' }), 'other', 'superseded; rolled back 2026-11-22 07:00 EST by Maria Lopez (2026-11-22c)'],
  ] as const)('%s', (_name, version, inForce, words) => {
    expect(stateWords(version, inForce, NOW, TZ, version.rolledBackBy ? 'Maria Lopez' : undefined)).toBe(words);
  });

  it.each([
    ['pricing_policy_v2026-11-22b', 'pricing_policy_v2026-11-22b'],
    ['2026-11-22b', 'pricing_policy_v2026-11-22b'],
    ['v2026-11-22b', 'pricing_policy_v2026-11-22b'],
    [' PRICING_POLICY_V2026-11-22B.json ', 'pricing_policy_v2026-11-22b'],
  ])('the id %j is %s', (typed, id) => expect(fullVersionId(typed)).toBe(id));
});

describe('/policy', () => {
  it('on a new database: the seed in force with its key figures and §48 record, nothing pending; anyone may read it', async () => {
    const b = testBed({ now: NOW });
    const r = await b.run('/policy', { actor: sam });
    expect(r.error).toBeUndefined();
    expect(r.summary).toBe(`Pricing policy in force: ${SEED}, since 2026-11-22 09:00 EST (when this database was seeded); nothing pending.`);
    const shown = toText(r);
    expect(shown).toContain('Base markup         low 3x · medium 4x · high 5x');
    expect(shown).toContain('Segment adjustment  enterprise +0.5x · mid_market 0x · smb -0.5x · startup -1x');
    expect(shown).toContain('Price floor         $0.50');
    expect(shown).toContain('Margin guardrails   task 55% · subscription 50% · enterprise 45%');
    expect(shown).toContain(`Rationale      ${file.rationale}`);
    expect(shown).toContain('Change type    major · seed (from data/pricing-policy.json)');
    expect(shown).toContain('No change is pending.');
    expect(r.data).toMatchObject({ in_force: { id: SEED, kind: 'seed', state: 'approved', changed_by: file.changedBy, rules: file.rules }, pending: [] });
  });

  it('lists each pending version with its state in words and its changes against the version in force', async () => {
    const b = testBed({ now: NOW });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22b', state: 'proposed' });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22c', changeType: 'major', rules: withRules({ price_floor_usd: 0.6 }), effectiveAt: at('2026-11-24T14:00:00Z'), reviewed: true });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22d', state: 'rejected' });
    const r = await b.run('/policy', { actor: sam });
    expect(r.summary).toContain('2 pending');
    const shown = toText(r);
    expect(shown).toMatch(/2026-11-22b\s+minor change\s+proposed 2026-11-22 08:00 EST, awaiting review\s+Pat Kim\s+Medium-complexity win rate is 78% over …/);
    expect(shown).toMatch(/2026-11-22c\s+major change\s+approved, takes effect 2026-11-24 09:00 EST/);
    expect(shown).not.toContain('2026-11-22d');
    expect(r.data).toMatchObject({
      in_force: { id: SEED },
      pending: [
        { id: 'pricing_policy_v2026-11-22b', state: 'proposed', changes: [{ path: 'base_markup.medium', before: 4, after: 4.5 }] },
        { id: 'pricing_policy_v2026-11-22c', state: 'approved', effective_at: '2026-11-24T14:00:00.000Z', reviewed_by: 'Maria Lopez', changes: [{ path: 'price_floor_usd', before: 0.5, after: 0.6 }] },
      ],
    });
  });

  it('an emergency in force shows as the policy in force and as pending its review', async () => {
    const b = testBed({ now: NOW });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22b', changeType: 'emergency', effectiveAt: at('2026-11-22T13:00:00Z'), reviewDueAt: at('2026-11-23T13:00:00Z') });
    const r = await b.run('/policy');
    expect(r.summary).toBe('Pricing policy in force: pricing_policy_v2026-11-22b, since 2026-11-22 08:00 EST; 1 pending.');
    expect(toText(r)).toContain('pricing_policy_v2026-11-22b: in force since 2026-11-22 08:00 EST; emergency review due by 2026-11-23 08:00 EST.');
    expect(toText(r)).toContain('Base markup         low 3x · medium 4.5x · high 5x');
  });
});

describe('/policy history', () => {
  it('newest first with kind, type, state, effective time, who and the rationale trimmed; rolled back when and by whom; limit=N', async () => {
    const b = testBed({ now: NOW });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22b', effectiveAt: at('2026-11-22T13:10:00Z'), reviewed: true });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22c', kind: 'rollback', previous: 'pricing_policy_v2026-11-22b', pairId: 'pricing_policy_v2026-11-22b', rules: file.rules, proposedBy: { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', personId: 'maria' }, rationale: 'Escalations up 30%', effectiveAt: at('2026-11-22T13:50:00Z') });
    b.db.prepare("UPDATE policy_versions SET rolled_back_at = '2026-11-22T13:50:00.000Z', rolled_back_by = 'pricing_policy_v2026-11-22c' WHERE id = 'pricing_policy_v2026-11-22b'").run();
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22d', state: 'proposed' });
    const r = await b.run('/policy history', { actor: sam });
    const lines = toText(r).split('\n');
    const row = (id: string) => lines.find((l) => l.startsWith(id)) ?? '';
    expect(lines.filter((l) => l.startsWith('2026-') || l.startsWith('2026')).map((l) => l.slice(0, 11))).toEqual(['2026-11-22d', '2026-11-22c', '2026-11-22b', '2026-11-22a']);
    expect(row('2026-11-22c')).toMatch(/rollback\s+minor\s+in force since 2026-11-22 08:50 EST\s+2026-11-22 08:50 EST\s+Maria Lopez\s+Escalations up 30%/);
    expect(row('2026-11-22b')).toMatch(/change\s+minor\s+superseded; rolled back 2026-11-22 08:50 EST by Maria Lopez \(2026-11-22c\)\s+2026-11-22 08:10 EST\s+Pat Kim/);
    expect(row('2026-11-22a')).toMatch(/seed\s+major\s+superseded\s+seed\s+Revenue Ops/);
    expect(r.data).toMatchObject({ in_force: 'pricing_policy_v2026-11-22c', versions: [{ id: 'pricing_policy_v2026-11-22d' }, {}, { rollback_date: '2026-11-22T13:50:00.000Z', rolled_back_by: 'pricing_policy_v2026-11-22c' }, { id: SEED }] });
    expect((r.data as { versions: object[] }).versions[0]).not.toHaveProperty('rules');

    const two = await b.run('/policy history limit=2');
    expect((two.data as { versions: { id: string }[] }).versions.map((v) => v.id)).toEqual(['pricing_policy_v2026-11-22d', 'pricing_policy_v2026-11-22c']);
    for (const bad of ['limit=0', 'limit=51', 'limit=ten']) {
      expect((await b.run(`/policy history ${bad}`)).error).toMatchObject({ code: 'invalid_input', field: 'limit' });
    }
  });
});

describe('/policy diff and /policy show', () => {
  const setup = () => {
    const b = testBed({ now: NOW });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22b', effectiveAt: at('2026-11-22T13:10:00Z') });
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22c', previous: 'pricing_policy_v2026-11-22b', changeType: 'major', rules: withRules({ base_markup: { medium: 4.5, high: 5.5 }, price_floor_usd: 0.6 }), state: 'proposed' });
    return b;
  };

  it.each([
    ['full ids', `/policy diff ${SEED} pricing_policy_v2026-11-22c`, SEED],
    ['short ids', '/policy diff 2026-11-22a 2026-11-22c', SEED],
    ['named fields', '/policy diff a=2026-11-22b b=2026-11-22c', 'pricing_policy_v2026-11-22b'],
    ['one version against its previous', '/policy diff 2026-11-22c', 'pricing_policy_v2026-11-22b'],
  ])('%s', async (_name, line, from) => {
    const r = await setup().run(line);
    expect(r.error).toBeUndefined();
    const fromSeed = from === SEED;
    expect(r.data).toEqual({
      from,
      to: 'pricing_policy_v2026-11-22c',
      changes: [
        ...(fromSeed ? [{ path: 'base_markup.medium', before: 4, after: 4.5 }] : []),
        { path: 'base_markup.high', before: 5, after: 5.5 },
        { path: 'price_floor_usd', before: 0.5, after: 0.6 },
      ],
    });
    const shown = toText(r);
    expect(shown).toMatch(/base_markup\.high\s+5 -> 5\.5/);
    expect(shown).toMatch(/price_floor_usd\s+0\.5 -> 0\.6/);
  });

  it('reports no difference between equal rules, and field changes of text and discount tiers', async () => {
    const b = setup();
    expect((await b.run('/policy diff 2026-11-22a 2026-11-22a')).summary).toBe(`${SEED} -> ${SEED}: no field differs.`);
    const rules = structuredClone(file.rules);
    rules.discount_approval[1] = { up_to_pct: 20, approver: 'sales_manager', condition: 'Multi-year' };
    addVersion(b.db, { id: 'pricing_policy_v2026-11-22d', rules, state: 'proposed' });
    const r = await b.run('/policy diff 2026-11-22d');
    expect(toText(r)).toContain('discount_approval.1.condition  "Multi-quarter commitment required" -> "Multi-year"');
  });

  it.each([
    ['an unknown id', '/policy diff 2026-11-22a 2026-12-01z', 'There is no policy version `2026-12-01z`. Recent versions: 2026-11-22c, 2026-11-22b, 2026-11-22a (`/policy history` lists them all).', 'not_found', 'b'],
    ['an unknown first id', '/policy diff nonsense 2026-11-22a', 'There is no policy version `nonsense`.', 'not_found', 'a'],
    ['the seed alone', '/policy diff 2026-11-22a', `${SEED} has no previous version to compare with: name two, \`/policy diff A B\`.`, 'invalid_input', 'a'],
    ['nothing at all', '/policy diff', 'a', 'invalid_input', 'a'],
    ['an unknown version to show', '/policy show 2026-11-22x', 'There is no policy version `2026-11-22x`.', 'not_found', 'version'],
  ])('refuses %s, naming what to type', async (_name, line, message, code, field) => {
    const r = await setup().run(line);
    expect(r.summary).toContain(message);
    expect(r.error).toMatchObject({ code, field });
  });

  it('/policy show ID: the version whole, its state and its changes against its previous', async () => {
    const b = setup();
    const r = await b.run('/policy show 2026-11-22c', { actor: sam });
    expect(r.summary).toBe('pricing_policy_v2026-11-22c: proposed 2026-11-22 08:00 EST, awaiting review.');
    expect(toText(r)).toMatch(/base_markup\.high\s+5 -> 5\.5/);
    expect(r.data).toMatchObject({ version: { id: 'pricing_policy_v2026-11-22c', rules: getVersion(b.db, 'pricing_policy_v2026-11-22c')?.rules }, changes: [{ path: 'base_markup.high' }, { path: 'price_floor_usd' }] });
  });
});
