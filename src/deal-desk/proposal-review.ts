import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { formatLocalTime } from '../domain/calendar.js';
import { EXEC_DECISION_LABEL, parseProposalId, type ExecDecision } from '../domain/proposal.js';
import { findPerson, peopleWithRole } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import { enqueue, refreshPosts } from '../store/outbox.js';
import { decideExecReview, getProposal, proposalReviewSubject, type ProposalRecord } from '../store/proposals.js';
import { directDestination } from './approval.js';
import { withdrawOptions } from './proposal-withdraw.js';
import { execDecisionNotice, execDecisionReply, proposalData } from './proposal-view.js';

export function loadProposal(ctx: CommandContext, id: string): ProposalRecord {
  const seq = parseProposalId(id);
  const proposal = seq === null ? null : getProposal(ctx.db, seq);
  if (!proposal) throw new UserError(`There is no proposal \`${id}\`. /proposal list shows yours.`, 'not_found', { field: 'proposal' });
  return proposal;
}

function alreadyDecided(ctx: CommandContext, p: ProposalRecord): UserError {
  const review = p.execReview;
  const what = review && review.state !== 'pending' ? EXEC_DECISION_LABEL[review.state] : 'decided';
  const when = review?.decidedAt ? formatLocalTime(review.decidedAt, ctx.config.timezone) : 'earlier';
  return new UserError(`${p.id} was already ${what} by ${review?.decidedBy?.name ?? 'another executive'} at ${when}.`, 'conflict', { field: 'proposal' });
}

/**
 * The proposal whose review this person may decide now, or the refusal they get: only an
 * executive, only a proposal under review, only while it is pending.
 */
export function pendingReview(ctx: CommandContext, id: string): ProposalRecord {
  if (ctx.actor.role !== 'executive') {
    const executives = peopleWithRole(ctx.catalog.team, 'executive').map((p) => p.name).join(', ') || 'an executive listed in data/team.json';
    throw new UserError(`Only an executive may decide a proposal's executive review; you are listed as ${ctx.actor.role.replace(/_/g, ' ')}. Ask ${executives}.`, 'forbidden');
  }
  const proposal = loadProposal(ctx, id);
  if (!proposal.execReview) throw new UserError(`${proposal.id} needs no executive review: none of §40's triggers fired.`, 'conflict', { field: 'proposal' });
  if (proposal.execReview.state !== 'pending') throw alreadyDecided(ctx, proposal);
  return proposal;
}

/**
 * An executive's decision on a proposal's review (§40), from a button or typed. Only executives
 * decide; of two clicks at once exactly one is recorded (who and when). In the same transaction
 * every posted copy of the request is refreshed in place (the decision replaces the buttons) and
 * the rep who asked is told by direct message; a declined opportunity's open quotes close as declined,
 * so none of them can be sent. No second channel message: the updated copy is the
 * record, and a separate announcement would repeat it.
 */
export function decideProposalReview(ctx: CommandContext, id: string, decision: ExecDecision, memo: string | null): Reply {
  const { actor, db } = ctx;
  const proposal = pendingReview(ctx, id);
  if (decision === 'approved_with_memo' && !memo?.trim()) {
    throw new UserError(`Approving ${proposal.id} as a strategic exception needs a memo: /proposal approve ${proposal.id} memo="why, and how the margin is recovered".`, 'invalid_input', { field: 'memo' });
  }
  const person = findPerson(ctx.catalog.team, actor.platform, actor.userId);
  const decided = db
    .transaction(() => {
      const won = decideExecReview(db, proposal.seq, {
        decision, at: ctx.now, platform: actor.platform, userId: actor.userId, name: actor.name, personId: person?.id ?? null, memo: memo?.trim() || null,
      });
      if (!won) return null;
      const now = getProposal(db, proposal.seq);
      if (!now) throw new Error(`proposal ${proposal.seq} vanished inside its own transaction`);
      if (decision === 'declined') withdrawOptions(ctx, now, person);
      refreshPosts(db, proposalReviewSubject(now.seq), ctx.now);
      const dm = directDestination(now.platform, now.userId);
      if (dm && ctx.platforms.includes(now.platform)) {
        enqueue(db, { platform: now.platform, kind: 'message', destination: dm, payload: execDecisionNotice(now, ctx.config.timezone), at: ctx.now });
      }
      return now;
    })
    .immediate();
  // Someone decided between our look and our write: the same answer as a late click gets.
  if (!decided) throw alreadyDecided(ctx, getProposal(db, proposal.seq) ?? proposal);
  ctx.notify?.();
  ctx.log.info({ proposal: decided.id, decision, by: actor.userId }, 'proposal executive review decided');
  return { ...execDecisionReply(decided, ctx.config.timezone), visibility: 'ephemeral', data: proposalData(decided) };
}
