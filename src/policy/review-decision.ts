import type { CommandContext } from '../core/command.js';
import { actingPerson, actingRole } from '../core/acting.js';
import { UserError } from '../core/errors.js';
import { directDestination } from '../deal-desk/approval.js';
import { PLATFORMS, type Platform } from '../domain/actor.js';
import { reviewMove, type Party, type ReviewDecision } from '../domain/policy-review.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { destinationsFor, purposeOrOps } from '../domain/team.js';
import { reply, text, type Reply } from '../reply/reply.js';
import { enqueue, refreshPosts } from '../store/outbox.js';
import { decideProposedVersion, reviewEmergencyVersion } from '../store/policy-version-review.js';
import { getVersion, versionIdInForce } from '../store/policy-versions.js';
import { policyAlertSubject } from './alert.js';
import { EMERGENCY_REVIEW_REASON } from './review-subject.js';
import { decisionNotice, effectLine, reviewData, reviewersText, reviewLine, reviewSubject, salesRejectedNotice } from './review-view.js';
import { scheduleSeasonEnd } from './season.js';
import { findVersion } from './version-ref.js';
import { announceDueVersions } from './switch.js';

const isPlatform = (p: string | null): p is Platform => (PLATFORMS as readonly (string | null)[]).includes(p);

// Typed or clicked, a version is found the one way every /policy subcommand finds it (short ids too).
const loadVersion = (ctx: CommandContext, id: string): PolicyVersion => findVersion(ctx, id, 'version');

/** The second presser's answer: what was decided, by whom, when. */
function alreadyDecided(v: PolicyVersion, timezone: string): UserError {
  return new UserError(`${v.id} was already ${reviewLine(v, timezone) ?? v.state}.`, 'conflict', { field: 'version' });
}

function reviewer(ctx: CommandContext): { party: Party; name: string } {
  const person = actingPerson(ctx);
  return {
    party: { role: actingRole(ctx, person), personId: person?.id ?? null, platform: ctx.actor.platform, userId: ctx.actor.userId },
    name: person?.name ?? ctx.actor.name,
  };
}

/** The move this person may make on this version now, or the refusal they get, naming who can act instead. */
function allowedMove(ctx: CommandContext, v: PolicyVersion, decision: ReviewDecision) {
  const move = reviewMove(v, decision, reviewer(ctx).party, ctx.now);
  if (move.ok) return move;
  if (move.code === 'decided') throw alreadyDecided(v, ctx.config.timezone);
  if (move.code === 'nothing_to_review') throw new UserError(`${move.reason}.`, 'conflict', { field: 'version' });
  const who = reviewersText(v, ctx.catalog.team);
  const message = move.code === 'self' ? `Nobody reviews their own proposal: ${v.id} is yours. It can be reviewed by ${who}.` : `You may not review ${v.id}: ${move.reason}. It can be reviewed by ${who}.`;
  throw new UserError(message, 'forbidden');
}

/** Refuses, before any form opens, a person who may not review this version now. */
export function requireReviewable(ctx: CommandContext, id: string, decision: ReviewDecision): PolicyVersion {
  const v = loadVersion(ctx, id);
  allowedMove(ctx, v, decision);
  return v;
}

/**
 * A review's one decision, from a button or typed. Authority and the proposer are checked by the
 * pure rule; the conditional UPDATE makes of two clicks at once exactly one decision (the other is
 * told who decided and when). In the same transaction: every posted copy of the request (and of an
 * overdue alert) is refreshed in place, the proposer is told where they asked from, a season's end
 * is scheduled, and a change effective now is announced at once; the clock announces later ones.
 */
export function decideReview(ctx: CommandContext, id: string, decision: ReviewDecision, note: string | null): Reply {
  const { db, now } = ctx;
  const tz = ctx.config.timezone;
  const trimmed = note?.trim() || null;
  if (decision === 'reject' && !trimmed) {
    throw new UserError(`Say why it is rejected: /policy reject ${id.slice(0, 40)} note="why".`, 'invalid_input', { field: 'note' });
  }
  const me = reviewer(ctx);
  const by = { platform: ctx.actor.platform, userId: ctx.actor.userId, name: me.name, personId: me.party.personId };
  const decided = db
    .transaction(() => {
      const v = loadVersion(ctx, id);
      const move = allowedMove(ctx, v, decision);
      let won: boolean;
      if (move.kind === 'decide') {
        // Approved against a version no longer the one it would replace, it would silently undo that one.
        const replaces = move.effectiveAt ? versionIdInForce(db, move.effectiveAt)?.id : undefined;
        if (move.state === 'approved' && v.previous && replaces && replaces !== v.previous) {
          throw new UserError(`${v.id} was proposed against ${v.previous}, but ${replaces} is in force by then: approving it would undo that change. Propose it again against ${replaces}.`, 'conflict', { field: 'version' });
        }
        won = decideProposedVersion(db, v.id, { decision: move.state, at: now, by, note: trimmed, effectiveAt: move.effectiveAt });
      } else {
        won = reviewEmergencyVersion(db, v.id, { decision: move.decision, at: now, by, note: trimmed });
      }
      if (!won) throw alreadyDecided(getVersion(db, v.id) ?? v, tz);
      const after = getVersion(db, v.id);
      if (!after) throw new Error(`policy version ${v.id} vanished inside its own transaction`);
      if (after.state === 'approved' && after.kind === 'season_start' && move.kind === 'decide') scheduleSeasonEnd(db, after, now);
      refreshPosts(db, reviewSubject(after.id), now);
      refreshPosts(db, policyAlertSubject(after.id, EMERGENCY_REVIEW_REASON), now);
      // Told where they asked from; a proposal from the policy file has nobody to tell but the post.
      const { platform, userId } = after.proposedBy;
      const dm = isPlatform(platform) && userId ? directDestination(platform, userId) : null;
      if (dm && isPlatform(platform) && ctx.platforms.includes(platform)) {
        enqueue(db, { platform, kind: 'message', destination: dm, payload: decisionNotice(after, tz), at: now });
      }
      if (after.state === 'rejected' && after.changeType === 'major') {
        // The sales team was told of it when proposed; they are told it will not happen.
        const { team } = ctx.catalog;
        for (const p of ctx.platforms) {
          for (const destination of destinationsFor(team, p, [purposeOrOps(team, p, 'sales')], false)) {
            enqueue(db, { platform: p, kind: 'message', destination, payload: salesRejectedNotice(after, tz), at: now });
          }
        }
      }
      if (after.state === 'approved') announceDueVersions({ db, catalog: ctx.catalog, timezone: tz, platforms: ctx.platforms, now });
      return after;
    })
    .immediate();
  ctx.notify?.();
  ctx.log.info({ version: decided.id, decision, by: ctx.actor.userId }, 'pricing policy review decided');
  const effect = decided.state === 'approved' && decided.changeType !== 'emergency' ? ` It is ${effectLine(decided, tz)}.` : '';
  const message = `${decided.id} ${reviewLine(decided, tz) ?? decision}.${effect} The proposer is told.`;
  return { ...reply(message, [text(message)]), data: reviewData(decided) };
}
