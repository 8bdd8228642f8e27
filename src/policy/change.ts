import { checkPolicyRules } from '../catalog/pricing-policy.js';
import type { CommandContext } from '../core/command.js';
import { actingPerson, actingRole } from '../core/acting.js';
import { UserError } from '../core/errors.js';
import { localDate } from '../domain/calendar.js';
import { applyChanges } from '../domain/policy-change.js';
import { checkChangeType, mayPropose, reviewDueAt } from '../domain/policy-review.js';
import { nextVersionId, type ChangeType, type ExpectedMargin, type PolicyRules, type PolicyVersion, type VersionActor } from '../domain/policy-version.js';
import { peopleWithRole } from '../domain/team.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { getVersion, insertVersion, versionIdsOn, versionInForce } from '../store/policy-versions.js';
import { seedPolicy } from './in-force.js';
import { requestReview, type ReviewEnv } from './review-request.js';
import { reviewData, reviewersText, reviewReply } from './review-view.js';
import { announceDueVersions } from './switch.js';

/** A change to propose: how to make the new rules from those in force, and §48's record of it. */
export interface ProposalDraft {
  /** The proposed rules, made from the rules in force when the proposal is written. */
  rules: (inForce: PolicyRules) => { ok: true; rules: PolicyRules } | { ok: false; problems: string[] };
  declared?: ChangeType;
  rationale: string;
  metricDrift: string | null;
  expectedOutcome: string | null;
  expectedMargin: ExpectedMargin | null;
  rollbackCriteria: string | null;
  /** A later time the proposer asks for; an emergency takes none. */
  requested: Date | null;
  proposer: VersionActor;
}

export type ProposeResult =
  | { ok: true; version: PolicyVersion }
  /** noChange: the proposed rules are those in force already. */
  | { ok: false; field: 'changes' | 'type' | 'effective'; problems: string[]; noChange?: boolean };

/**
 * The one way a change is proposed, typed by a pricing admin or taken from an edited policy file:
 * the rules are made against the version in force, checked structurally, then by type and
 * guardrails; the version is written (an emergency approved and in force at once, its review due in
 * 24 hours) and its review asked for, all in one transaction. A refusal writes nothing.
 */
export function proposeVersion(env: ReviewEnv, draft: ProposalDraft): ProposeResult {
  const { db, now } = env;
  seedPolicy(db, env.catalog.policyFile, now);
  return db
    .transaction((): ProposeResult => {
      const inForce = versionInForce(db, now);
      if (!inForce) throw new Error(`no pricing policy version is in force at ${now.toISOString()}`);
      const made = draft.rules(inForce.rules);
      if (!made.ok) return { ok: false, field: 'changes', problems: made.problems };
      const valid = checkPolicyRules(made.rules);
      if (!valid.ok) return { ok: false, field: 'changes', problems: valid.problems };
      const check = checkChangeType(inForce.rules, valid.rules, draft.declared);
      if (!check.ok) return { ok: false, field: check.typeRefused ? 'type' : 'changes', problems: check.problems, noChange: check.noChange };
      const emergency = check.type === 'emergency';
      if (draft.requested && emergency) return { ok: false, field: 'effective', problems: ['an emergency change takes effect at once: leave effective out'] };
      if (draft.requested && draft.requested.getTime() <= now.getTime()) return { ok: false, field: 'effective', problems: ['effective must be a time still to come'] };
      const date = localDate(now, env.config.timezone);
      const version = insertVersion(db, {
        id: nextVersionId(date, versionIdsOn(db, date)),
        previous: inForce.id,
        kind: 'change',
        changeType: check.type,
        state: emergency ? 'approved' : 'proposed',
        rules: valid.rules,
        proposedBy: draft.proposer,
        proposedAt: now,
        rationale: draft.rationale,
        metricDrift: draft.metricDrift,
        expectedOutcome: draft.expectedOutcome,
        expectedMargin: draft.expectedMargin,
        rollbackCriteria: draft.rollbackCriteria,
        // A proposal's effective_at holds the time asked for; its approval sets the real one.
        effectiveAt: emergency ? now : draft.requested,
        reviewDueAt: emergency ? reviewDueAt(now) : null,
      });
      requestReview(env, version);
      // An emergency is in force now: announced and its event emitted at once, not at the next tick.
      if (emergency) announceDueVersions({ db, catalog: env.catalog, timezone: env.config.timezone, platforms: env.platforms, now });
      return { ok: true, version };
    })
    .immediate();
}

export interface ProposeInput {
  changes: string;
  type?: ChangeType;
  rationale: string;
  drift: string;
  expected: string;
  expected_margin: ExpectedMargin;
  rollback_criteria: string;
  effective?: string;
}

/** /policy propose: a pricing admin's change, sent for review. */
export function proposeChange(ctx: CommandContext, input: ProposeInput): Reply {
  const person = actingPerson(ctx);
  const role = actingRole(ctx, person);
  if (!mayPropose(role)) {
    const admins = peopleWithRole(ctx.catalog.team, 'pricing_admin').map((p) => p.name).join(', ') || 'a pricing admin listed in data/team.json';
    throw new UserError(`Only a pricing admin may propose a policy change (§48); you are listed as ${role.replace(/_/g, ' ')}. Ask ${admins}.`, 'forbidden');
  }
  const result = proposeVersion(ctx, {
    rules: (inForce) => applyChanges(inForce, input.changes),
    declared: input.type,
    rationale: input.rationale,
    metricDrift: input.drift,
    expectedOutcome: input.expected,
    expectedMargin: input.expected_margin,
    rollbackCriteria: input.rollback_criteria,
    requested: input.effective ? new Date(input.effective) : null,
    proposer: { platform: ctx.actor.platform, userId: ctx.actor.userId, name: person?.name ?? ctx.actor.name, personId: person?.id ?? null },
  });
  if (!result.ok) {
    const [first = 'the change is not valid', ...rest] = result.problems;
    const message = rest.length ? `The change is refused:\n${[first, ...rest].map((p) => `• ${p}`).join('\n')}` : `The change is refused: ${first}.`;
    throw new UserError(message, 'invalid_input', { field: result.field });
  }
  const v = result.version;
  ctx.notify?.();
  ctx.log.info({ version: v.id, type: v.changeType, by: ctx.actor.userId }, 'pricing policy change proposed');
  const before = v.previous ? getVersion(ctx.db, v.previous)?.rules ?? null : null;
  const sent = v.changeType === 'emergency' ? `It is in force now; its review is due within 24 hours (${reviewersText(v, ctx.catalog.team)}).` : `Sent for review (${reviewersText(v, ctx.catalog.team)}).`;
  const shown = reviewReply(v, before, ctx.catalog.team, ctx.config.timezone);
  const summary = `${v.id} proposed (${v.changeType}). ${sent}`;
  // The proposer sees the record as the reviewers will, without the buttons that are not theirs.
  const record = shown.blocks.filter((b) => b.type !== 'actions' && b.type !== 'context');
  return { ...reply(summary, [text(`**${summary}**`), ...record]), data: reviewData(v) };
}
