import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/actor.js';
import {
  checkChangeType,
  effectiveTime,
  isSameParty,
  mayPropose,
  reviewMove,
  type Party,
} from '../../src/domain/policy-review.js';
import type { ChangeType, PolicyRules, PolicyVersion } from '../../src/domain/policy-version.js';
import { seedCatalog } from '../helpers/seed.js';

const rules = seedCatalog.policyFile.rules;
const at = (s: string) => new Date(s);
const edit = (f: (r: PolicyRules) => void): PolicyRules => {
  const r = structuredClone(rules);
  f(r);
  return r;
};

describe('a change type is checked, not trusted; the guardrails hold for every type (§48, §50, §52)', () => {
  // The seed: base_markup low 3 / medium 4 / high 5, segment smb -0.5, floor $0.50.
  it.each([
    ['medium markup +0.5x', edit((r) => (r.base_markup.medium = 4.5)), 'minor'],
    ['medium markup +0.51x', edit((r) => (r.base_markup.medium = 4.51)), 'major'],
    ['medium markup -0.5x', edit((r) => (r.base_markup.medium = 3.5)), 'minor'],
    ['a segment adjustment +0.5x', edit((r) => (r.segment_adjustment.smb = 0)), 'minor'],
    ['medium markup +1.0x: allowed, major', edit((r) => (r.base_markup.medium = 5)), 'major'],
    ['low markup down to 2.5x: allowed', edit((r) => (r.base_markup.low = 2.5)), 'minor'],
    ['the floor at $0.25', edit((r) => (r.price_floor_usd = 0.25)), 'major'],
    ['the floor at $1.00', edit((r) => (r.price_floor_usd = 1.0)), 'major'],
    ['a threshold', edit((r) => (r.escalation.discount_over_pct = 25)), 'major'],
    ['a new tier', edit((r) => r.discount_approval.splice(3, 0, { up_to_pct: 40, approver: 'revenue_lead', condition: 'x' })), 'major'],
  ] as const)('%s is computed %s', (_case, after, type) => {
    const check = checkChangeType(rules, after);
    expect(check).toMatchObject({ ok: true, type });
  });

  it.each([
    ['medium markup +1.01x', edit((r) => (r.base_markup.medium = 5.01)), /base_markup\.medium moves by 1\.01x .*at most 1\.0x/],
    ['medium markup -1.01x', edit((r) => (r.base_markup.medium = 2.99)), /moves by 1\.01x/],
    ['low markup 2.49x', edit((r) => (r.base_markup.low = 2.49)), /base_markup\.low would be 2\.49x; never below 2\.5x/],
    ['the floor at $0.24', edit((r) => (r.price_floor_usd = 0.24)), /price_floor_usd would be \$0\.24; it must stay within \$0\.25-\$1\.00/],
    ['the floor at $1.01', edit((r) => (r.price_floor_usd = 1.01)), /\$1\.01; it must stay within/],
  ] as const)('%s is refused whatever its type', (_case, after, reason) => {
    for (const declared of [undefined, 'minor', 'major', 'emergency'] as const) {
      const check = checkChangeType(rules, after, declared);
      expect(check.ok).toBe(false);
      if (!check.ok) expect(check.problems.join('\n')).toMatch(reason);
    }
  });

  it.each([
    // declared, content, outcome
    ['minor', 4.5, { ok: true, type: 'minor' }],
    ['major', 4.5, { ok: true, type: 'major' }], // stronger than the content: it only asks more of the review
    ['emergency', 4.5, { ok: true, type: 'emergency' }],
    ['emergency', 4.6, { ok: true, type: 'emergency' }],
    ['major', 4.6, { ok: true, type: 'major' }],
    ['minor', 4.6, { ok: false, typeRefused: true }],
  ] as const)('declared %s on a move to %s', (declared, medium, outcome) => {
    const check = checkChangeType(rules, edit((r) => (r.base_markup.medium = medium)), declared as ChangeType);
    expect(check).toMatchObject(outcome);
    if (!check.ok) expect(check.problems[0]).toBe('it is declared minor but is major: base_markup.medium moves by 0.60x, more than the 0.5x of a minor change. Propose it as type=major (or leave the type out)');
  });

  it('a change that changes nothing is refused as such', () => {
    expect(checkChangeType(rules, structuredClone(rules))).toMatchObject({ ok: false, noChange: true });
  });
});

describe('who may propose and who may review (§48)', () => {
  it.each([
    ['pricing_admin', true],
    ['executive', false],
    ['revenue_manager', false],
    ['sales_rep', false],
  ] as const)('%s may propose: %s', (role, may) => {
    expect(mayPropose(role)).toBe(may);
  });

  const proposedAt = at('2026-11-22T14:00:00Z');
  const version = (changeType: ChangeType, over: Partial<PolicyVersion> = {}): PolicyVersion => ({
    seq: 2, id: 'pricing_policy_v2026-11-22b', previous: 'pricing_policy_v2026-11-22a', kind: 'change', changeType,
    state: changeType === 'emergency' ? 'approved' : 'proposed', rules, changedBy: 'Pat Kim',
    proposedBy: { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', personId: 'pat' }, proposedAt,
    rationale: 'r', metricDrift: null, expectedOutcome: null, expectedMargin: null, rollbackCriteria: null,
    effectiveAt: changeType === 'emergency' ? proposedAt : null, endsAt: null, pairId: null, announcedAt: null,
    reviewDueAt: changeType === 'emergency' ? at('2026-11-23T14:00:00Z') : null, reviewedAt: null, reviewDecision: null,
    reviewedBy: null, reviewNote: null, rolledBackAt: null, rolledBackBy: null, ...over,
  });
  const party = (role: Role, personId: string | null = role, platform = 'slack', userId = `U_${role}`): Party => ({ role, personId, platform, userId });
  const now = at('2026-11-22T15:00:00Z');

  it.each([
    ['minor', 'revenue_manager', 'decide'],
    ['minor', 'executive', 'decide'],
    ['minor', 'pricing_admin', 'forbidden'],
    ['minor', 'sales_rep', 'forbidden'],
    ['major', 'executive', 'decide'],
    ['major', 'revenue_manager', 'forbidden'],
    ['major', 'pricing_admin', 'forbidden'],
    ['emergency', 'executive', 'review_emergency'],
    ['emergency', 'revenue_manager', 'forbidden'],
  ] as const)('a %s change reviewed by %s: %s', (type, role, outcome) => {
    const move = reviewMove(version(type), 'approve', party(role), now);
    expect(move.ok ? move.kind : move.code).toBe(outcome);
  });

  it.each([
    ['the same team person on another platform', { personId: 'pat', platform: 'discord', userId: '100000000000000004' }, true],
    ['the same chat user, not on the team', { personId: null, platform: 'slack', userId: 'U0PRICING1' }, true],
    ['another team person', { personId: 'eli', platform: 'slack', userId: 'U0EXEC0001' }, false],
    ['the same user id on another platform', { personId: null, platform: 'discord', userId: 'U0PRICING1' }, false],
  ] as const)('own proposal, %s: %s', (_case, who, self) => {
    const proposer = version('minor').proposedBy;
    expect(isSameParty(proposer, who)).toBe(self);
    // An executive who proposed (a proposer the team lists as one) is still refused their own.
    const move = reviewMove(version('minor'), 'approve', { ...who, role: 'executive' }, now);
    expect(move.ok ? 'allowed' : move.code).toBe(self ? 'self' : 'allowed');
  });

  it('a version reviewed once has nothing left to decide; one that never needed a review says so', () => {
    const decided = version('minor', { state: 'approved', reviewedAt: now, reviewDecision: 'approved', effectiveAt: now });
    expect(reviewMove(decided, 'reject', party('executive'), now)).toMatchObject({ ok: false, code: 'decided' });
    const reviewed = version('emergency', { reviewedAt: now, reviewDecision: 'approved' });
    expect(reviewMove(reviewed, 'approve', party('executive'), now)).toMatchObject({ ok: false, code: 'decided' });
    const seed = version('major', { kind: 'seed', state: 'approved', effectiveAt: at('2000-01-01T00:00:00Z') });
    expect(reviewMove(seed, 'approve', party('executive'), now)).toMatchObject({ ok: false, code: 'nothing_to_review' });
  });
});

describe('when an approved change takes effect (§48)', () => {
  const proposedAt = at('2026-11-22T14:00:00Z');
  it.each([
    ['minor, at approval', 'minor', '2026-11-22T15:00:00Z', null, '2026-11-22T15:00:00Z'],
    ['minor, at the later time asked for', 'minor', '2026-11-22T15:00:00Z', '2026-11-25T14:00:00Z', '2026-11-25T14:00:00Z'],
    ['minor, asked for a time already past at approval', 'minor', '2026-11-26T15:00:00Z', '2026-11-25T14:00:00Z', '2026-11-26T15:00:00Z'],
    ['major approved at once: 48 hours after its announcement', 'major', '2026-11-22T15:00:00Z', null, '2026-11-24T14:00:00Z'],
    ['major approved after 48 hours: at approval', 'major', '2026-11-25T09:00:00Z', null, '2026-11-25T09:00:00Z'],
    ['major asked for later than 48 hours', 'major', '2026-11-22T15:00:00Z', '2026-12-01T14:00:00Z', '2026-12-01T14:00:00Z'],
    ['major asked for sooner than 48 hours', 'major', '2026-11-22T15:00:00Z', '2026-11-23T14:00:00Z', '2026-11-24T14:00:00Z'],
    ['emergency: at once', 'emergency', '2026-11-22T20:00:00Z', null, '2026-11-22T14:00:00Z'],
  ] as const)('%s', (_case, type, approvedAt, requested, expected) => {
    expect(effectiveTime(type, { proposedAt, approvedAt: at(approvedAt), requested: requested ? at(requested) : null }).toISOString()).toBe(at(expected).toISOString());
  });
});
