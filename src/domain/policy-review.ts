/**
 * A pricing policy change's review (playbook §48): what type a change really is, who may propose and
 * review it, when it takes effect, and the one legal move a review makes. Pure: the workflow
 * (src/policy/review-decision.ts) loads the version, asks `reviewMove`, and writes the move, its
 * outbox rows and its refreshed posts in one transaction; a refusal writes nothing.
 */
import type { Role } from './actor.js';
import { classifyChange, diffRules, guardrailViolations, type Classification, type FieldChange } from './policy-change.js';
import type { ChangeType, PolicyRules, PolicyVersion } from './policy-version.js';

/** §48: a major change takes effect no sooner than this long after it is announced to the sales team. */
export const MAJOR_NOTICE_HOURS = 48;
/** §48: an emergency change takes effect at once and must be reviewed within this long. */
export const EMERGENCY_REVIEW_HOURS = 24;
const HOUR_MS = 3_600_000;

export type TypeCheck =
  | { ok: true; type: ChangeType; computed: Classification; changes: FieldChange[] }
  /** noChange: nothing differs; typeRefused: the declared type is weaker than the content's. */
  | { ok: false; problems: string[]; noChange: boolean; typeRefused: boolean };

/**
 * The type of a change, checked rather than trusted. The guardrails hold for every type (an
 * emergency too); a declared type weaker than the content's is refused with the reasons; a stronger
 * one (major for a minor change) is taken, since it only asks more of the review; an emergency is
 * declared, never inferred. Without a declared type the computed one is used.
 */
export function checkChangeType(before: PolicyRules, after: PolicyRules, declared?: ChangeType): TypeCheck {
  const changes = diffRules(before, after);
  if (changes.length === 0) return { ok: false, problems: ['the change leaves every field as it is in force'], noChange: true, typeRefused: false };
  const problems = guardrailViolations(before, after);
  const computed = classifyChange(changes);
  const typeRefused = declared === 'minor' && computed.type === 'major';
  if (typeRefused) {
    problems.push(`it is declared minor but is major: ${computed.reasons.join('; ')}. Propose it as type=major (or leave the type out)`);
  }
  if (problems.length) return { ok: false, problems, noChange: false, typeRefused };
  return { ok: true, type: declared ?? computed.type, computed, changes };
}

/** Who may propose a change: the pricing admins (§48), who own the policy. */
export const PROPOSER_ROLES: readonly Role[] = ['pricing_admin'];

/**
 * Who reviews each type (§48): minor by a revenue manager (an executive outranks one, so may too);
 * major by an executive. An emergency is in force before anyone reviews it, so its review is the
 * executive's, as for the strongest change it could have been.
 */
export const REVIEWER_ROLES: Readonly<Record<ChangeType, readonly Role[]>> = {
  minor: ['revenue_manager', 'executive'],
  major: ['executive'],
  emergency: ['executive'],
};

export const ROLE_LABEL: Readonly<Record<Role, string>> = {
  sales_rep: 'a sales rep',
  revenue_manager: 'a revenue manager',
  executive: 'an executive',
  pricing_admin: 'a pricing admin',
};

export const mayPropose = (role: Role) => PROPOSER_ROLES.includes(role);

/** A person or system acting on a version: a team member's id when known, else their platform and user id. */
export interface Party {
  role: Role;
  personId: string | null;
  platform: string | null;
  userId: string | null;
}

/** Nobody reviews their own proposal: the same team person, or (where either is not on the team) the same chat user. */
export function isSameParty(a: Pick<Party, 'personId' | 'platform' | 'userId'>, b: Pick<Party, 'personId' | 'platform' | 'userId'>): boolean {
  if (a.personId !== null && b.personId !== null) return a.personId === b.personId;
  return a.platform !== null && a.userId !== null && a.platform === b.platform && a.userId === b.userId;
}

/**
 * When an approved change takes effect. Minor: at approval, or the later time the proposal asked
 * for. Major: no sooner than 48 hours after it was announced (at its proposal), nor before approval
 * or the time asked for. Emergency: at once, when proposed.
 */
export function effectiveTime(type: ChangeType, times: { proposedAt: Date; approvedAt: Date; requested: Date | null }): Date {
  if (type === 'emergency') return times.proposedAt;
  const candidates = [times.approvedAt.getTime(), times.requested?.getTime() ?? -Infinity];
  if (type === 'major') candidates.push(times.proposedAt.getTime() + MAJOR_NOTICE_HOURS * HOUR_MS);
  return new Date(Math.max(...candidates));
}

/** The earliest a pending proposal could take effect if approved at `now`. */
export const earliestEffective = (v: Pick<PolicyVersion, 'changeType' | 'proposedAt' | 'effectiveAt'>, now: Date) =>
  effectiveTime(v.changeType, { proposedAt: v.proposedAt, approvedAt: now, requested: v.effectiveAt });

/** An emergency's review deadline. */
export const reviewDueAt = (effectiveAt: Date) => new Date(effectiveAt.getTime() + EMERGENCY_REVIEW_HOURS * HOUR_MS);

export type ReviewDecision = 'approve' | 'reject';

export type ReviewMove =
  /** A proposal decided: approved with its effective time, or rejected. */
  | { ok: true; kind: 'decide'; state: 'approved' | 'rejected'; effectiveAt: Date | null }
  /** An emergency (already in force) reviewed: its review is recorded; a rejection is followed by a rollback. */
  | { ok: true; kind: 'review_emergency'; decision: 'approved' | 'rejected' }
  | { ok: false; code: 'forbidden' | 'self' | 'decided' | 'nothing_to_review'; reason: string };

type Reviewable = Pick<
  PolicyVersion,
  'id' | 'kind' | 'changeType' | 'state' | 'proposedBy' | 'proposedAt' | 'effectiveAt' | 'reviewDueAt' | 'reviewedAt' | 'reviewDecision'
>;

/** Whether a version still waits for a review: a proposal, or an emergency in force with its review due. */
export const awaitsReview = (v: Pick<PolicyVersion, 'state' | 'changeType' | 'reviewDueAt' | 'reviewedAt'>) =>
  v.state === 'proposed' || (v.state === 'approved' && v.changeType === 'emergency' && v.reviewDueAt !== null && v.reviewedAt === null);

/**
 * The one legal move of a review: `(version, decision, reviewer, now) -> next | refusal`. Checks, in
 * order: that there is something to review, the reviewer's authority for the type, and that the
 * reviewer is not the proposer.
 */
export function reviewMove(v: Reviewable, decision: ReviewDecision, reviewer: Party, now: Date): ReviewMove {
  if (!awaitsReview(v)) {
    if (v.reviewedAt !== null || v.state === 'rejected' || v.state === 'cancelled') {
      return { ok: false, code: 'decided', reason: `${v.id} was already ${v.reviewDecision ?? v.state}` };
    }
    return { ok: false, code: 'nothing_to_review', reason: `${v.id} is ${v.state} and awaits no review` };
  }
  const roles = REVIEWER_ROLES[v.changeType];
  if (!roles.includes(reviewer.role)) {
    const who = roles.map((r) => ROLE_LABEL[r]).join(' or ');
    return { ok: false, code: 'forbidden', reason: `a ${v.changeType} change is reviewed by ${who} (§48); you are ${ROLE_LABEL[reviewer.role]}` };
  }
  const proposer = { personId: v.proposedBy.personId, platform: v.proposedBy.platform, userId: v.proposedBy.userId };
  if (isSameParty(proposer, reviewer)) return { ok: false, code: 'self', reason: `nobody reviews their own proposal: ${v.id} is yours` };
  if (v.state === 'approved') return { ok: true, kind: 'review_emergency', decision: decision === 'approve' ? 'approved' : 'rejected' };
  if (decision === 'reject') return { ok: true, kind: 'decide', state: 'rejected', effectiveAt: null };
  return { ok: true, kind: 'decide', state: 'approved', effectiveAt: earliestEffective(v, now) };
}
