import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  approvalNeeds,
  decisionRefusal,
  escalationDue,
  responseDeadline,
  type ApprovalFacts,
  type Authority,
} from '../../src/domain/approval-authority.js';
import { discountBand } from '../../src/domain/discount-matrix.js';
import { seedPolicy } from '../helpers/seed.js';

const policy = seedPolicy;
/** A quote's facts as the decision records them: the band's approver comes from the policy's matrix. */
function facts(over: Partial<Omit<ApprovalFacts, 'discountPct' | 'scopeGrowthPct' | 'bandApprover'>> & { discount?: number; scopeGrowth?: number } = {}): ApprovalFacts {
  const { discount = 0, scopeGrowth = 0, ...rest } = over;
  const discountPct = new Big(discount);
  return {
    discountPct,
    bandApprover: discountBand(policy.discountBands, discountPct).approver,
    delivery: 'task',
    guardrail: 'pass',
    nonStandardTerms: false,
    scopeGrowthPct: new Big(scopeGrowth),
    ...rest,
  };
}

describe('the authority an escalated quote needs (§21 matrix, guardrail routes, non-standard terms)', () => {
  it.each([
    // The discount matrix at every boundary: 10/11, 20/21, 30/31 %.
    [0, 'account_executive', 8],
    [10, 'account_executive', 8],
    [10.5, 'sales_manager', 8],
    [11, 'sales_manager', 8],
    [20, 'sales_manager', 8],
    [21, 'revenue_lead', 8],
    [30, 'revenue_lead', 8],
    [30.01, 'executive', 4],
    [31, 'executive', 4],
  ] as const)('a %s%% discount needs the %s, answered within %sh', (discount, authority, hours) => {
    const needs = approvalNeeds(facts({ discount }), policy);
    expect({ authority: needs.authority, hours: needs.responseHours }).toEqual({ authority, hours });
  });

  it.each([
    ['task', 'deal_desk'],
    ['subscription', 'deal_desk'],
    ['enterprise', 'executive'],
  ] as const)('a failed %s guardrail goes to the %s within 2 hours (a margin violation)', (delivery, authority) => {
    const needs = approvalNeeds(facts({ delivery, guardrail: 'fail' }), policy);
    expect(needs.requirements.map((r) => r.authority)).toContain(authority);
    expect({ authority: needs.authority, hours: needs.responseHours }).toEqual({ authority, hours: 2 });
  });

  it.each([
    ['non-standard terms alone', facts({ nonStandardTerms: true }), 'revops_legal', 8],
    ['scope growth 30% (not over)', facts({ scopeGrowth: 30 }), 'account_executive', 8],
    ['scope growth 31%', facts({ scopeGrowth: 31 }), 'deal_desk', 8],
    ['a failed task guardrail and a 25% discount', facts({ guardrail: 'fail', discount: 25 }), 'revenue_lead', 2],
    ['a failed task guardrail, 25% and non-standard terms', facts({ guardrail: 'fail', discount: 25, nonStandardTerms: true }), 'revops_legal', 2],
    ['a failed enterprise guardrail and non-standard terms', facts({ delivery: 'enterprise', guardrail: 'fail', nonStandardTerms: true }), 'executive', 2],
    ['35% off with non-standard terms', facts({ discount: 35, nonStandardTerms: true }), 'executive', 4],
    ['35% off below the subscription guardrail', facts({ discount: 35, delivery: 'subscription', guardrail: 'fail' }), 'executive', 2],
  ] as const)('the strictest wins: %s -> %s within %sh', (_name, f, authority, hours) => {
    const needs = approvalNeeds(f, policy);
    expect({ authority: needs.authority, hours: needs.responseHours }).toEqual({ authority, hours });
  });
});

describe('who may decide', () => {
  const request = (authority: Authority, over: Partial<Parameters<typeof decisionRefusal>[1]> = {}) => ({
    authority,
    askerPersonId: 'sam',
    actorIsAsker: false,
    escalated: false,
    ...over,
  });
  const person = (id: string, approves: Authority[], sponsor = false) => ({ personId: id, approves, isExecutiveSponsor: sponsor });

  it.each([
    ['the holder of the authority', person('maria', ['revenue_lead']), request('revenue_lead'), null],
    ['an executive, for any authority', person('eli', ['executive']), request('revops_legal'), null],
    ['a holder of a different authority', person('pat', ['revops_legal']), request('revenue_lead'), 'unauthorized'],
    ['a lower authority', person('maria', ['deal_desk']), request('revenue_lead'), 'unauthorized'],
    ['someone not in the team', { personId: null, approves: [], isExecutiveSponsor: false }, request('deal_desk'), 'unauthorized'],
    ['the asker, by chat id', person('maria', ['revenue_lead']), request('revenue_lead', { actorIsAsker: true }), 'self'],
    ['the asker, as the same team person on another platform', person('sam', ['executive']), request('deal_desk'), 'self'],
    ['the sponsor without the authority, before escalation', person('eli', [], true), request('revenue_lead'), 'unauthorized'],
    ['the sponsor without the authority, once escalated', person('eli', [], true), request('revenue_lead', { escalated: true }), null],
  ] as const)('%s', (_name, decider, req, refusal) => {
    expect(decisionRefusal(decider, req)?.kind ?? null).toBe(refusal);
  });
});

describe('the response clock runs by day only (night operations, §31)', () => {
  const tz = 'America/New_York';
  it.each([
    ['10:00 + 2h', '2026-11-23T15:00:00Z', 2, '2026-11-23T17:00:00Z'],
    ['21:00 + 2h ends at 23:00 exactly', '2026-11-24T02:00:00Z', 2, '2026-11-24T04:00:00Z'],
    ['22:30 + 2h runs on at 08:00', '2026-11-24T03:30:00Z', 2, '2026-11-24T14:30:00Z'],
    ['02:00 (night) + 2h starts at 08:00', '2026-11-23T07:00:00Z', 2, '2026-11-23T15:00:00Z'],
    ['21:00 + 8h: 2h tonight, 6h tomorrow', '2026-11-24T02:00:00Z', 8, '2026-11-24T19:00:00Z'],
  ])('%s', (_name, start, hours, due) => {
    expect(responseDeadline(new Date(start), hours, tz).toISOString()).toBe(new Date(due).toISOString());
  });

  const at = new Date('2026-11-23T17:00:00Z');
  it.each([
    ['one second early', { respondBy: new Date(at.getTime() + 1000), decidedAt: null, escalatedAt: null }, false],
    ['at the deadline', { respondBy: at, decidedAt: null, escalatedAt: null }, true],
    ['decided', { respondBy: at, decidedAt: at, escalatedAt: null }, false],
    ['already escalated', { respondBy: at, decidedAt: null, escalatedAt: at }, false],
  ])('escalation due %s: %s', (_name, r, due) => {
    expect(escalationDue(r, at)).toBe(due);
  });
});
