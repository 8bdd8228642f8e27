import type { QuoteRecord } from './quote-record.js';
/**
 * Who must approve an escalated quote, and by when (playbook §21 matrix and guardrail routes, and
 * the appendix's response times). Pure: the quote's figures and the team in, the answer out.
 *
 * The strictest requirement wins, and it suffices on its own: a quote that needs the deal desk (a
 * failed task guardrail) and the revenue lead (a 25% discount) is decided by one revenue lead, not
 * by both in turn. An executive holds every authority (the top of every chain); otherwise a person
 * decides only what data/team.json says they approve, because the matrix titles are not a ladder
 * that one role climbs (legal review does not make a person a discount approver).
 */
import type Big from 'big.js';
import { isNight, nextSlot } from './slots.js';
import type { Approver, DeliveryType, PricingPolicy } from './pricing-types.js';

/** In order of strictness: a later authority outranks an earlier one when several are required. */
export const AUTHORITIES = ['account_executive', 'sales_manager', 'deal_desk', 'revenue_lead', 'revops_legal', 'executive'] as const;
export type Authority = (typeof AUTHORITIES)[number];

export const AUTHORITY_LABEL: Record<Authority, string> = {
  account_executive: 'account executive',
  sales_manager: 'sales manager',
  deal_desk: 'deal desk',
  revenue_lead: 'revenue lead',
  revops_legal: 'revops/legal',
  executive: 'executive',
};

/** Appendix "Emergency contacts": a margin violation is answered within 2 hours. */
export const MARGIN_VIOLATION_RESPONSE_HOURS = 2;
/** Appendix: a discount over 30% is answered within 4 hours. */
export const DISCOUNT_OVER_30_RESPONSE_HOURS = 4;
/**
 * Our choice where the playbook names no time (non-standard terms, scope growth, a 21-30% discount):
 * within one working day of the response clock (8 day hours), as the appendix's "same day" for a
 * revenue lead's review.
 */
export const OTHER_ESCALATION_RESPONSE_HOURS = 8;

export interface Requirement {
  authority: Authority;
  /** What asks for it, for the post and the refusal. */
  why: string;
  responseHours: number;
}

export interface ApprovalNeeds {
  requirements: Requirement[];
  /** The strictest requirement's authority: the one that decides. */
  authority: Authority;
  /** The shortest response time among the requirements: the strictest applies. */
  responseHours: number;
}

export const authorityRank = (a: Authority): number => AUTHORITIES.indexOf(a);

/** A failed guardrail goes where the policy routes it: executive review, or else the deal desk. */
export function authorityForGuardrailRoute(route: string): Authority {
  return /executive/i.test(route) ? 'executive' : 'deal_desk';
}

export interface ApprovalFacts {
  discountPct: Big;
  /** The discount band's approver (§21 matrix), as the decision recorded it. */
  bandApprover: Approver;
  delivery: DeliveryType;
  guardrail: 'pass' | 'fail';
  nonStandardTerms: boolean;
  scopeGrowthPct: Big;
}

/** Every authority the quote needs, and the one that decides. */
export function approvalNeeds(f: ApprovalFacts, policy: Pick<PricingPolicy, 'guardrailFailRoute' | 'escalation'>): ApprovalNeeds {
  const overTop = f.bandApprover === 'executive';
  const requirements: Requirement[] = [
    {
      authority: f.bandApprover,
      why: `discount ${f.discountPct.toFixed()}% (§21 matrix)`,
      responseHours: overTop ? DISCOUNT_OVER_30_RESPONSE_HOURS : OTHER_ESCALATION_RESPONSE_HOURS,
    },
  ];
  if (f.guardrail === 'fail') {
    requirements.push({
      authority: authorityForGuardrailRoute(policy.guardrailFailRoute[f.delivery]),
      why: `margin below the ${f.delivery} guardrail`,
      responseHours: MARGIN_VIOLATION_RESPONSE_HOURS,
    });
  }
  if (f.nonStandardTerms) requirements.push({ authority: 'revops_legal', why: 'non-standard SLA or liability terms', responseHours: OTHER_ESCALATION_RESPONSE_HOURS });
  if (f.scopeGrowthPct.gt(policy.escalation.scopeGrowthOverPct)) {
    requirements.push({ authority: 'deal_desk', why: `scope growth ${f.scopeGrowthPct.toFixed()}%`, responseHours: OTHER_ESCALATION_RESPONSE_HOURS });
  }
  const strictest = requirements.reduce((a, b) => (authorityRank(b.authority) > authorityRank(a.authority) ? b : a));
  return { requirements, authority: strictest.authority, responseHours: Math.min(...requirements.map((r) => r.responseHours)) };
}

/** Whether someone who approves `held` may decide a request needing `required`. */
export function holdsAuthority(held: readonly Authority[], required: Authority): boolean {
  return held.includes(required) || held.includes('executive');
}

export interface Decider {
  /** The team person, when the actor is one. */
  personId: string | null;
  approves: readonly Authority[];
  isExecutiveSponsor: boolean;
}

export interface RequestFacts {
  authority: Authority;
  /** The asker, by team person when known. */
  askerPersonId: string | null;
  /** Whether the actor is the asker by platform id. */
  actorIsAsker: boolean;
  /** Past its response time and escalated: the executive sponsor may decide it too. */
  escalated: boolean;
}

export type Refusal = { kind: 'self' } | { kind: 'unauthorized' };

/** Nobody approves their own quote; otherwise the authority decides. Null when the decider may decide. */
export function decisionRefusal(decider: Decider, request: RequestFacts): Refusal | null {
  const ownQuote = request.actorIsAsker || (decider.personId !== null && decider.personId === request.askerPersonId);
  if (ownQuote) return { kind: 'self' };
  if (holdsAuthority(decider.approves, request.authority)) return null;
  if (request.escalated && decider.isExecutiveSponsor) return null;
  return { kind: 'unauthorized' };
}

/** Day hours 08:00-23:00 in the ops time zone: the night (§31) stops the response clock. */
const NIGHT_STARTS = '0 23 * * *';
const DAY_STARTS = '0 8 * * *';

/**
 * When a request made at `start` must be answered: `hours` of the response clock, which runs only
 * by day, so a request raised at 22:30 with 2 hours is due at 09:30 and nobody is paged at night.
 */
export function responseDeadline(start: Date, hours: number, timezone: string): Date {
  let at = isNight(start, timezone) ? nextSlot(DAY_STARTS, timezone, start) : start;
  let left = hours * 3_600_000;
  for (;;) {
    const dayEnds = nextSlot(NIGHT_STARTS, timezone, at);
    const room = dayEnds.getTime() - at.getTime();
    if (left <= room) return new Date(at.getTime() + left);
    left -= room;
    at = nextSlot(DAY_STARTS, timezone, dayEnds);
  }
}

/** A request still undecided and not yet escalated whose deadline has passed escalates now. */
export function escalationDue(r: { respondBy: Date; decidedAt: Date | null; escalatedAt: Date | null }, now: Date): boolean {
  return r.decidedAt === null && r.escalatedAt === null && now.getTime() >= r.respondBy.getTime();
}

/** "1h 20m of 2h": a pending request's age against its response time, for the triage. */
export function ageAgainst(requestedAt: Date, respondBy: Date, now: Date): { ageMinutes: number; overdue: boolean } {
  return { ageMinutes: Math.max(0, Math.floor((now.getTime() - requestedAt.getTime()) / 60_000)), overdue: now.getTime() >= respondBy.getTime() };
}

/** "1h 05m": an age in whole minutes, as the desk and the triage show it. */
export function formatAge(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return h ? `${h}h ${String(minutes % 60).padStart(2, '0')}m` : `${minutes}m`;
}

/** What a recorded quote needs, from the facts its ledger row holds. */
export function approvalNeedsOf(quote: Pick<QuoteRecord, 'request' | 'price' | 'decision'>, policy: Pick<PricingPolicy, 'guardrailFailRoute' | 'escalation'>): ApprovalNeeds {
  return approvalNeeds(
    {
      discountPct: quote.request.discountPct,
      bandApprover: quote.decision.approver,
      delivery: quote.request.delivery,
      guardrail: quote.price.guardrail,
      nonStandardTerms: quote.request.nonStandardTerms,
      scopeGrowthPct: quote.request.scopeGrowthPct,
    },
    policy,
  );
}
