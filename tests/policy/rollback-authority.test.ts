import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/actor.js';
import { rollbackAuthority } from '../../src/domain/policy-rollback.js';
import type { ChangeType } from '../../src/domain/policy-version.js';
import { seedCatalog } from '../helpers/seed.js';

const team = seedCatalog.team;
const now = new Date('2026-11-22T14:00:00Z');
/** Proposed by Pat Kim, the pricing admin (people in tests/fixtures/data/team.json). */
const version = (changeType: ChangeType, effectiveAt = new Date('2026-11-21T14:00:00Z')) => ({
  id: 'pricing_policy_v2026-11-21a',
  changeType,
  effectiveAt,
  proposedBy: { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', personId: 'pat' },
});
const person = (personId: string | null, role: Role, userId = `U-${personId ?? 'x'}`) => ({ platform: 'slack' as const, userId, personId, role });
const maria = person('maria', 'revenue_manager');
const eli = person('eli', 'executive');
const sam = person('sam', 'sales_rep');
const pat = person('pat', 'pricing_admin');
const patUnlisted = { platform: 'slack' as const, userId: 'U0PRICING1', personId: null, role: 'pricing_admin' as const };

describe('§49 rollback authority', () => {
  it.each([
    ['minor', maria, true],
    ['minor', eli, true],
    ['minor', sam, false],
    ['minor', pat, false], // a pricing admin proposes; a manager decides to undo
    ['major', maria, false],
    ['major', eli, true],
    ['major', sam, false],
    ['major', pat, false],
    ['emergency', pat, true], // its originator
    ['emergency', patUnlisted, true], // the originator by chat id, even when not in data/team.json
    ['emergency', eli, true],
    ['emergency', maria, false],
    ['emergency', sam, false],
  ] as const)('%s change, %j: allowed %s', (changeType, actor, allowed) => {
    expect(rollbackAuthority(version(changeType), actor, team, now).ok).toBe(allowed);
  });

  it.each([
    ['minor', sam, 'only a revenue manager or an executive may roll it back', ['Maria Lopez', 'Eli Brooks']],
    ['major', maria, 'only an executive may roll it back', ['Eli Brooks']],
    ['emergency', maria, 'only the person who made it or an executive may roll it back', ['Pat Kim', 'Eli Brooks']],
  ] as const)('a %s change refused to %j says why and who can act instead', (changeType, actor, why, canAct) => {
    const verdict = rollbackAuthority(version(changeType), actor, team, now);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.reason).toContain(why);
    expect(verdict.reason).toContain(`Ask ${canAct.join(', ')}.`);
    expect(verdict.canAct).toEqual(canAct);
  });

  it.each([
    [new Date(now.getTime() + 1), 'cancel'],
    [now, 'roll back'],
  ] as const)('a version effective at %s is one to %s', (effectiveAt, verb) => {
    expect(rollbackAuthority(version('major', effectiveAt), eli, team, now)).toEqual({ ok: true, verb });
    const refused = rollbackAuthority(version('major', effectiveAt), maria, team, now);
    expect(refused.ok ? '' : refused.reason).toContain(verb === 'cancel' ? 'may cancel it' : 'may roll it back');
  });
});
