import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  checkProposal,
  complianceRatio,
  compliantNeeded,
  executiveReviewTriggers,
  isTaskHeavy,
  parseProposalId,
  portfolioCompliancePct,
  type OptionOutcome,
  type ProposalTag,
} from '../../src/domain/proposal.js';
import type { DeliveryType } from '../../src/domain/pricing-types.js';

const TAGS: ProposalTag[] = ['base', 'recommended', 'premium', 'stretch'];
/** An option per margin: a margin below 55 fails the task guardrail, as the policy's does. */
const options = (margins: string[], over: Partial<OptionOutcome>[] = []): OptionOutcome[] =>
  margins.map((m, i) => ({
    tag: TAGS[i] ?? 'stretch',
    delivery: 'task',
    guardrail: new Big(m).lt(55) ? 'fail' : 'pass',
    escalated: new Big(m).lt(55),
    grossMarginPct: new Big(m),
    exceptionOwner: new Big(m).lt(55) ? 'eli' : null,
    ...over[i],
  }));

describe('compliance ratio and the executive trigger at 0.67 (§40)', () => {
  it.each([
    // [compliant, options, ratio as shown, below 0.67?]
    [2, 3, '0.67', false], // §38's "2 of 3" is the playbook's 0.67, not below it
    [1, 2, '0.50', true],
    [3, 4, '0.75', false],
    [2, 4, '0.50', true],
    [1, 3, '0.33', true],
    [0, 3, '0.00', true],
    [3, 3, '1.00', false],
    // The boundary itself, on counts no proposal has but the rule must still get right.
    [67, 100, '0.67', false],
    [66, 100, '0.66', true],
    [669, 1000, '0.67', false],
    [664, 1000, '0.66', true],
  ])('%i of %i -> %s (below: %s)', (compliant, n, shown, below) => {
    const ratio = complianceRatio(compliant, n);
    expect(ratio.toFixed(2)).toBe(shown);
    expect(executiveReviewTriggers(ratio, 0, new Big(80)).some((t) => t.startsWith('compliance ratio'))).toBe(below);
  });

  it.each([
    [2, 2], [3, 2], [4, 3],
  ])('%i options need %i compliant (two thirds, rounded up)', (n, needed) => {
    expect(compliantNeeded(n)).toBe(needed);
  });
});

describe('average margin boundaries: 60% for task-heavy (§38), 55% for executive review (§40)', () => {
  it.each([
    // three task options averaging exactly the figure in the name
    { margins: ['60.00', '60.00', '60.00'], marginOk: false },
    { margins: ['60.01', '60.01', '60.01'], marginOk: true },
    { margins: ['59.99', '60.00', '60.01'], marginOk: false }, // 60.00: not above
    { margins: ['60.00', '60.01', '60.02'], marginOk: true },
  ])('task-heavy $margins -> margin rule $marginOk', ({ margins, marginOk }) => {
    const check = checkProposal(options(margins));
    expect(check.taskHeavy).toBe(true);
    expect(check.marginRule).toEqual({ applies: true, ok: marginOk });
    expect(check.decision).toBe(marginOk ? 'proceed' : 'revise');
  });

  it('the 60% rule does not apply to a proposal that is not task-heavy', () => {
    const check = checkProposal(options(['58', '58', '58'], [{ delivery: 'subscription' }, { delivery: 'subscription' }]));
    expect(check.taskHeavy).toBe(false);
    expect(check.marginRule).toEqual({ applies: false, ok: true });
    expect(check.decision).toBe('proceed');
  });

  it.each([
    ['55.00', false],
    ['54.99', true],
    ['55.01', false],
  ])('average %s%% -> executive review: %s', (avg, below) => {
    expect(executiveReviewTriggers(new Big(1), 0, new Big(avg)).length > 0).toBe(below);
  });

  it.each<{ deliveries: DeliveryType[]; heavy: boolean }>([
    { deliveries: ['task', 'task'], heavy: true },
    { deliveries: ['task', 'subscription'], heavy: false },
    { deliveries: ['task', 'task', 'subscription'], heavy: true },
    { deliveries: ['task', 'subscription', 'enterprise'], heavy: false },
    { deliveries: ['task', 'task', 'subscription', 'subscription'], heavy: false },
    { deliveries: ['task', 'task', 'task', 'enterprise'], heavy: true },
  ])('task-heavy means more than half the options are tasks: $deliveries -> $heavy', ({ deliveries, heavy }) => {
    expect(isTaskHeavy(deliveries)).toBe(heavy);
  });
});

describe('checkProposal: the decision and the executive triggers', () => {
  it.each([
    // margins (below 55 fails the guardrail and escalates)
    { name: 'all compliant', margins: ['60', '70', '80'], decision: 'proceed', rule: true, review: [] },
    { name: 'one of three non-compliant: 2 of 3 holds, still revise', margins: ['50', '70', '80'], decision: 'revise', rule: true, review: [] },
    { name: 'two of three non-compliant', margins: ['50', '52', '80'], decision: 'revise', rule: false, review: ['ratio', 'desk'] },
    { name: 'none compliant', margins: ['40', '45', '50'], decision: 'restructure', rule: false, review: ['ratio', 'desk', 'margin'] },
    { name: 'two of two', margins: ['70', '80'], decision: 'proceed', rule: true, review: [] },
    { name: 'one of two', margins: ['50', '80'], decision: 'revise', rule: false, review: ['ratio'] },
    { name: 'three of four', margins: ['50', '70', '80', '90'], decision: 'revise', rule: true, review: [] },
    { name: 'two of four', margins: ['50', '52', '80', '90'], decision: 'revise', rule: false, review: ['ratio', 'desk'] },
  ])('$name', ({ margins, decision, rule, review }) => {
    const check = checkProposal(options(margins));
    expect(check.decision).toBe(decision);
    expect(check.portfolioRule.ok).toBe(rule);
    const fired = check.executiveReview.map((t) => (t.startsWith('compliance') ? 'ratio' : t.includes('Deal Desk') ? 'desk' : 'margin'));
    expect(fired).toEqual(review);
  });

  it('more than one escalated option triggers review even when every option is compliant', () => {
    // A discount over 20% escalates a quote whose margin still clears its guardrail.
    const one = checkProposal(options(['70', '80', '90'], [{ escalated: true }]));
    const two = checkProposal(options(['70', '80', '90'], [{ escalated: true }, { escalated: true }]));
    expect(one.executiveReview).toEqual([]);
    expect(two.executiveReview).toEqual(['2 options need a Deal Desk escalation (more than 1)']);
    expect(two.decision).toBe('proceed');
  });

  it('a non-compliant option without a strategic-exception owner is named', () => {
    const check = checkProposal(options(['50', '70', '80'], [{ exceptionOwner: null }]));
    expect(check.missingOwners).toEqual(['base']);
    expect(check.problems.some((p) => p.includes('no strategic-exception owner for base'))).toBe(true);
  });

  it('names the §38 tags a proposal lacks', () => {
    expect(checkProposal(options(['70', '80'])).missingTags).toEqual(['premium']);
    expect(checkProposal(options(['70', '80', '90', '95'])).missingTags).toEqual([]);
  });
});

describe('portfolio compliance over proposals (§55)', () => {
  it.each([
    { proposals: [], pct: null },
    { proposals: [{ compliant: 3, options: 3 }], pct: '100.00' },
    // every option counted once: 4 of 6, not the mean of 100% and 33.33%
    { proposals: [{ compliant: 3, options: 3 }, { compliant: 1, options: 3 }], pct: '66.67' },
    { proposals: [{ compliant: 2, options: 2 }, { compliant: 2, options: 4 }], pct: '66.67' },
    { proposals: [{ compliant: 4, options: 4 }, { compliant: 0, options: 1 }], pct: '80.00' },
  ])('$proposals -> $pct', ({ proposals, pct }) => {
    const v = portfolioCompliancePct(proposals);
    expect(v === null ? null : v.toFixed(2)).toBe(pct);
  });
});

it.each([
  ['P-00001', 1], ['p-42', 42], ['7', 7], ['Q-00001', null], ['P-', null], ['', null],
])('parseProposalId(%s) -> %s', (id, seq) => {
  expect(parseProposalId(id)).toBe(seq);
});
