import type { PolicyRules } from '../../src/domain/policy-version.js';
import { seedPolicy } from '../../src/policy/in-force.js';
import type { Db } from '../../src/store/open.js';
import { insertVersion, type NewVersion } from '../../src/store/policy-versions.js';
import { seedCatalog } from '../helpers/seed.js';

export const file = seedCatalog.policyFile;
export const SEED = file.id;
export const at = (s: string) => new Date(s);
export const pat = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', personId: 'pat' };
export const maria = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', personId: 'maria' };

/** The seed's rules with some fields changed, e.g. withRules({ price_floor_usd: 0.6 }). */
export function withRules(over: { base_markup?: Partial<PolicyRules['base_markup']>; price_floor_usd?: number } = {}): PolicyRules {
  return { ...file.rules, base_markup: { ...file.rules.base_markup, ...over.base_markup }, price_floor_usd: over.price_floor_usd ?? file.rules.price_floor_usd };
}

/** Writes a version as the change process would leave it (the seed first, when the database has none). */
export function addVersion(db: Db, v: Partial<NewVersion> & Pick<NewVersion, 'id'> & { reviewed?: boolean }) {
  seedPolicy(db, file, at('2026-11-22T12:00:00Z'));
  const written = insertVersion(db, {
    previous: SEED,
    kind: 'change',
    changeType: 'minor',
    state: 'approved',
    rules: withRules({ base_markup: { medium: 4.5 } }),
    proposedBy: pat,
    proposedAt: at('2026-11-22T13:00:00Z'),
    rationale: 'Medium-complexity win rate is 78% over four weeks: raise the medium markup by half a step.',
    ...v,
  });
  if (v.reviewed) {
    db.prepare(
      "UPDATE policy_versions SET reviewed_at = ?, review_decision = 'approved', reviewed_by_platform = ?, reviewed_by_user_id = ?, reviewed_by_name = ?, reviewed_by_person = ? WHERE id = ?",
    ).run('2026-11-22T13:30:00.000Z', maria.platform, maria.userId, maria.name, maria.personId, v.id);
  }
  return written;
}
