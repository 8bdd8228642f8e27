import { describe, expect, it } from 'vitest';
import { inForceAt, nextVersionId, SEED_EFFECTIVE_AT } from '../../src/domain/policy-version.js';
import { policyFileChanged, policyInForce, seedPolicy } from '../../src/policy/in-force.js';
import { insertVersion, listVersions, versionIdInForce } from '../../src/store/policy-versions.js';
import { openDatabase } from '../../src/store/open.js';
import { testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

const file = seedCatalog.policyFile;
const at = (s: string) => new Date(s);
const actor = { platform: 'console', userId: 'pat', name: 'Pat Kim', personId: 'pat' };

describe('version ids (§48: pricing_policy_vYYYY-MM-DD plus a letter)', () => {
  it.each([
    [[], 'pricing_policy_v2026-11-22a'],
    [['pricing_policy_v2026-11-22a'], 'pricing_policy_v2026-11-22b'],
    [['pricing_policy_v2026-11-21c'], 'pricing_policy_v2026-11-22a'],
    [['pricing_policy_v2026-11-22z'], 'pricing_policy_v2026-11-22aa'],
    [['pricing_policy_v2026-11-22aa', 'pricing_policy_v2026-11-22z'], 'pricing_policy_v2026-11-22ab'],
  ] as const)('after %j comes %s', (used, next) => {
    expect(nextVersionId('2026-11-22', used)).toBe(next);
  });
});

describe('the version in force', () => {
  it('is the approved version with the latest effective_at at or before the instant, the later-written on a tie', () => {
    const v = (seq: number, state: 'approved' | 'proposed', effectiveAt: string | null) => ({ seq, state, effectiveAt: effectiveAt ? at(effectiveAt) : null });
    const versions = [v(1, 'approved', '2000-01-01T00:00:00Z'), v(2, 'approved', '2026-11-24T12:00:00Z'), v(3, 'proposed', '2026-11-23T00:00:00Z'), v(4, 'approved', '2026-11-24T12:00:00Z')];
    expect(inForceAt(versions, at('2026-11-24T11:59:59.999Z'))?.seq).toBe(1);
    expect(inForceAt(versions, at('2026-11-24T12:00:00Z'))?.seq).toBe(4);
    expect(inForceAt(versions, at('1999-12-31T23:59:59Z'))).toBeUndefined();
  });

  it('seeds a new database from the policy file once, in force since 2000-01-01, and the SQL agrees with the pure rule', () => {
    const db = openDatabase(':memory:');
    expect(seedPolicy(db, file, at('2026-11-22T14:00:00Z'))).toBe(true);
    expect(seedPolicy(db, file, at('2026-11-22T15:00:00Z'))).toBe(false);
    const [seed] = listVersions(db);
    expect(seed).toMatchObject({ id: file.id, kind: 'seed', state: 'approved', effectiveAt: SEED_EFFECTIVE_AT, rules: file.rules });
    insertVersion(db, {
      id: 'pricing_policy_v2026-11-22b', previous: file.id, kind: 'change', changeType: 'major', state: 'approved',
      rules: { ...file.rules, price_floor_usd: 0.75 }, proposedBy: actor, proposedAt: at('2026-11-22T14:00:00Z'),
      rationale: 'floor test', effectiveAt: at('2026-11-24T14:00:00Z'),
    });
    for (const instant of ['2026-11-24T13:59:59.999Z', '2026-11-24T14:00:00Z', '2026-12-01T00:00:00Z']) {
      const expected = inForceAt(listVersions(db), at(instant))?.id;
      expect(versionIdInForce(db, at(instant))?.id).toBe(expected);
      expect(policyInForce(db, file, at(instant)).id).toBe(expected);
    }
    expect(policyInForce(db, file, at('2026-11-24T14:00:00Z')).priceFloor.toString()).toBe('0.75');
  });

  it('a quote records the version in force when it was priced, before and after a scheduled switch', async () => {
    const bed = testBed({ now: at('2026-11-24T13:00:00Z') });
    await bed.run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    seedPolicy(bed.db, file, bed.ctx().now);
    insertVersion(bed.db, {
      id: 'pricing_policy_v2026-11-22b', previous: file.id, kind: 'change', changeType: 'minor', state: 'approved',
      rules: { ...file.rules, base_markup: { ...file.rules.base_markup, medium: 4.5 } }, proposedBy: actor, proposedAt: at('2026-11-22T14:00:00Z'),
      rationale: 'medium +0.5x', effectiveAt: at('2026-11-24T14:00:00Z'),
    });
    bed.setNow(at('2026-11-24T14:00:00Z'));
    await bed.run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    const rows = bed.db.prepare('SELECT policy_version, final_markup FROM quotes ORDER BY seq').all() as { policy_version: string; final_markup: string }[];
    expect(rows.map((r) => [r.policy_version, r.final_markup])).toEqual([[file.id, '3.5'], ['pricing_policy_v2026-11-22b', '4']]);
  });

  it('notices a policy file whose rules changed after it seeded the database', () => {
    const db = openDatabase(':memory:');
    seedPolicy(db, file, at('2026-11-22T14:00:00Z'));
    expect(policyFileChanged(db, file)).toBe(false);
    expect(policyFileChanged(db, { ...file, rules: { ...file.rules, price_floor_usd: 0.6 } })).toBe(true);
  });
});
