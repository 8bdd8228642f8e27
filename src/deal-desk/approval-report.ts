import { ageAgainst, AUTHORITY_LABEL, approvalNeedsOf, holdsAuthority, type Authority } from '../domain/approval-authority.js';
import type { PricingPolicy } from '../domain/pricing-types.js';
import { formatQuoteId, type QuoteRecord } from '../domain/quote-record.js';
import type { Team } from '../domain/team.js';
import { approvalsDecidedBetween, pendingApprovals, type ApprovalRequest } from '../store/approvals.js';
import type { Db } from '../store/open.js';
import { getQuote } from '../store/quotes.js';
import { holdersOf } from './approval-view.js';

export interface PendingApproval {
  request: ApprovalRequest;
  quote: QuoteRecord;
  ageMinutes: number;
  overdue: boolean;
}

/** Undecided requests with their quotes, the most urgent first, aged at `now`: for the triage and the closure gate. */
export function pendingWithAge(db: Db, now: Date): PendingApproval[] {
  return pendingApprovals(db).flatMap((request) => {
    const quote = getQuote(db, formatQuoteId(request.quoteSeq));
    return quote ? [{ request, quote, ...ageAgainst(request.requestedAt, request.respondBy, now) }] : [];
  });
}

/** Who may decide a pending request, as team people (for mentions). */
export const approversOf = (team: Team, p: PendingApproval) => holdersOf(team, p.request.authority, p.quote, p.request.escalatedAt !== null);

export interface AuthorityFinding {
  quoteId: string;
  decidedBy: string;
  /** What the matrix requires of the quote under the policy version it was priced under. */
  required: Authority;
  /** What data/team.json says the decider approves. */
  held: readonly Authority[];
  /** Decided by the executive sponsor after the request escalated. */
  byEscalation: boolean;
}

/**
 * Nightly QA (§34): every decision of the period checked against the matrix, the required
 * authority computed again from the quote, and the decider's authority from the team file. A
 * mismatch is a decision the matrix did not allow (the team file changed, or a rule did).
 */
export function authorityMismatches(
  db: Db,
  team: Team,
  policyOf: (q: QuoteRecord) => Pick<PricingPolicy, 'guardrailFailRoute' | 'escalation'>,
  from: Date,
  to: Date,
): AuthorityFinding[] {
  return approvalsDecidedBetween(db, from, to).flatMap((r) => {
    const quote = getQuote(db, formatQuoteId(r.quoteSeq));
    if (!quote || !r.decidedBy) return [];
    const required = approvalNeedsOf(quote, policyOf(quote)).authority;
    const person = team.people.find((p) => p.id === r.decidedBy?.personId);
    const held = person?.approves ?? [];
    const byEscalation = r.escalatedAt !== null && person?.executiveSponsor === true;
    if (holdsAuthority(held, required) || byEscalation) return [];
    return [{ quoteId: quote.id, decidedBy: r.decidedBy.name, required, held, byEscalation }];
  });
}

export const describeFinding = (f: AuthorityFinding) =>
  `${f.quoteId}: decided by ${f.decidedBy} (approves ${f.held.map((a) => AUTHORITY_LABEL[a]).join(', ') || 'nothing'}), matrix requires ${AUTHORITY_LABEL[f.required]}`;
