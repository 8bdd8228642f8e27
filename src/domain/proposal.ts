/**
 * A proposal's options checked as one portfolio (playbook §37 scenario review, §38 portfolio rules,
 * §40 executive trigger). Pure: the workflow prices each option as a quote, hands the outcomes in
 * here, and records what these rules say.
 */
import Big from 'big.js';
import { averageMarginPct } from './portfolio.js';
import type { DeliveryType } from './pricing-types.js';

export const PROPOSAL_TAGS = ['base', 'recommended', 'premium', 'stretch'] as const;
export type ProposalTag = (typeof PROPOSAL_TAGS)[number];
/** §38: every proposal should include these three; the stretch is optional (§37: "one premium stretch"). */
export const CORE_TAGS: readonly ProposalTag[] = ['base', 'recommended', 'premium'];
/** §37: 2 to 4 scenarios. */
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 4;

export const PROPOSAL_RULES = {
  /** §38: "at least 2 of 3 options must clear margin guardrails", i.e. two thirds of the options. */
  compliantShare: { of: 3, atLeast: 2 },
  /** §38: a task-heavy proposal's average margin stays above this. */
  taskHeavyAvgMarginAbovePct: 60,
  /** §40: executive review below this compliance ratio (two places, as the ratio is shown)... */
  execReviewRatioBelow: '0.67',
  /** ...with more than this many options escalated to the Deal Desk... */
  execReviewDeskEscalationsOver: 1,
  /** ...or an average margin below this. */
  execReviewAvgMarginBelowPct: 55,
} as const;

/** What the checks need of one priced option. */
export interface OptionOutcome {
  tag: ProposalTag;
  delivery: DeliveryType;
  guardrail: 'pass' | 'fail';
  /** The quote's pricing decision escalated it (every escalation goes to the Deal Desk's queue). */
  escalated: boolean;
  grossMarginPct: Big;
  /** The team person who owns the strategic exception for this option, if named. */
  exceptionOwner: string | null;
}

/** §37's decision: all compliant, proceed; some, revise and rerun; none, the Deal Desk restructures. */
export type ProposalDecision = 'proceed' | 'revise' | 'restructure';

export interface ProposalCheck {
  options: number;
  compliant: number;
  /** Compliant options / options, to two places (half up): 2 of 3 is 0.67. */
  ratio: Big;
  /** At least two thirds of the options clear their guardrail: 2 of 2, 2 of 3, 3 of 4. */
  portfolioRule: { ok: boolean; needed: number };
  /** Non-compliant options with no strategic-exception owner. */
  missingOwners: ProposalTag[];
  /** §38's tags a proposal should have and this one lacks. */
  missingTags: ProposalTag[];
  /** More than half the options are delivered as tasks. */
  taskHeavy: boolean;
  avgMarginPct: Big;
  /** Task-heavy proposals need an average margin above 60%; others pass this check. */
  marginRule: { applies: boolean; ok: boolean };
  deskEscalations: number;
  decision: ProposalDecision;
  /** Why the decision is not "proceed", one line per failed check. */
  problems: string[];
  /** §40's triggers that fired; executive review is needed when any did. */
  executiveReview: string[];
}

/** The ratio as shown and compared: two places, half up, so 2 of 3 reads (and counts as) 0.67. */
export function complianceRatio(compliant: number, options: number): Big {
  return options === 0 ? new Big(0) : new Big(compliant).div(options).round(2, Big.roundHalfUp);
}

/** Compliant options a proposal of this size needs: two thirds, rounded up (exact integer arithmetic). */
export function compliantNeeded(options: number): number {
  const { of, atLeast } = PROPOSAL_RULES.compliantShare;
  return Math.ceil((options * atLeast) / of);
}

export const isTaskHeavy = (deliveries: readonly DeliveryType[]): boolean => deliveries.filter((d) => d === 'task').length * 2 > deliveries.length;

/** The §40 triggers, each as the line the executive reads. */
export function executiveReviewTriggers(ratio: Big, deskEscalations: number, avgMarginPct: Big): string[] {
  const r = PROPOSAL_RULES;
  return [
    ...(ratio.lt(r.execReviewRatioBelow) ? [`compliance ratio ${ratio.toFixed(2)} is below ${r.execReviewRatioBelow}`] : []),
    ...(deskEscalations > r.execReviewDeskEscalationsOver ? [`${deskEscalations} options need a Deal Desk escalation (more than ${r.execReviewDeskEscalationsOver})`] : []),
    ...(avgMarginPct.lt(r.execReviewAvgMarginBelowPct) ? [`average margin ${avgMarginPct.toFixed(2)}% is below ${r.execReviewAvgMarginBelowPct}%`] : []),
  ];
}

export function checkProposal(options: readonly OptionOutcome[]): ProposalCheck {
  const n = options.length;
  const compliant = options.filter((o) => o.guardrail === 'pass').length;
  const ratio = complianceRatio(compliant, n);
  const needed = compliantNeeded(n);
  const missingOwners = options.filter((o) => o.guardrail === 'fail' && !o.exceptionOwner).map((o) => o.tag);
  const present = new Set(options.map((o) => o.tag));
  const missingTags = CORE_TAGS.filter((t) => !present.has(t));
  const taskHeavy = isTaskHeavy(options.map((o) => o.delivery));
  // The one average-margin rule every surface uses; with no options there is nothing to average.
  const avgMarginPct = averageMarginPct(options) ?? new Big(0);
  const marginOk = !taskHeavy || avgMarginPct.gt(PROPOSAL_RULES.taskHeavyAvgMarginAbovePct);
  const deskEscalations = options.filter((o) => o.escalated).length;

  const problems = [
    ...(compliant < n ? [`${n - compliant} of ${n} options are below their margin guardrail: ${options.filter((o) => o.guardrail === 'fail').map((o) => o.tag).join(', ')}`] : []),
    ...(compliant < needed ? [`only ${compliant} of ${n} options clear their guardrail; at least ${needed} must (§38: 2 of 3)`] : []),
    ...(missingOwners.length ? [`no strategic-exception owner for ${missingOwners.join(', ')} (add owner=<team person> to the option)`] : []),
    ...(marginOk ? [] : [`task-heavy proposal: average margin ${avgMarginPct.toFixed(2)}% is not above ${PROPOSAL_RULES.taskHeavyAvgMarginAbovePct}%`]),
  ];
  const decision: ProposalDecision = compliant === 0 ? 'restructure' : problems.length ? 'revise' : 'proceed';
  return {
    options: n,
    compliant,
    ratio,
    portfolioRule: { ok: compliant >= needed, needed },
    missingOwners,
    missingTags,
    taskHeavy,
    avgMarginPct,
    marginRule: { applies: taskHeavy, ok: marginOk },
    deskEscalations,
    decision,
    problems,
    executiveReview: executiveReviewTriggers(ratio, deskEscalations, avgMarginPct),
  };
}

/**
 * Portfolio compliance over many proposals (the closure's and the retro's figure, §55): every
 * option of every proposal counted once, compliant options / options, in percent to two places.
 * Null with no proposals: no proposals is not 0% compliant.
 */
export function portfolioCompliancePct(proposals: readonly { compliant: number; options: number }[]): Big | null {
  const options = proposals.reduce((s, p) => s + p.options, 0);
  if (options === 0) return null;
  const compliant = proposals.reduce((s, p) => s + p.compliant, 0);
  return new Big(compliant).times(100).div(options).round(2, Big.roundHalfUp);
}

/** The executive's three answers (§40). */
export const EXEC_DECISIONS = ['approved_with_memo', 'rework', 'declined'] as const;
export type ExecDecision = (typeof EXEC_DECISIONS)[number];
export type ExecReviewState = 'pending' | ExecDecision;

export const EXEC_DECISION_LABEL: Record<ExecDecision, string> = {
  approved_with_memo: 'approved with a strategic exception memo',
  rework: 'sent back to rework and rerun',
  declined: 'declined (sustained margin risk)',
};

const ID_PREFIX = 'P-';
export const formatProposalId = (seq: number): string => `${ID_PREFIX}${String(seq).padStart(5, '0')}`;

/** Accepts "P-00001", "p-1" or "1"; null when it cannot be a proposal id. */
export function parseProposalId(id: string): number | null {
  const m = /^(?:p-)?0*(\d{1,12})$/i.exec(id.trim());
  return m?.[1] ? Number(m[1]) : null;
}
