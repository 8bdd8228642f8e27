import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import type { Actor, Platform } from '../domain/actor.js';
import { AUTHORITY_LABEL, approvalNeedsOf, decisionRefusal, responseDeadline } from '../domain/approval-authority.js';
import { formatLocalTime } from '../domain/calendar.js';
import type { PricingPolicy } from '../domain/pricing-types.js';
import { stateLabel, type QuoteEvent } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { holdUntil } from '../domain/slots.js';
import { destinationsFor, purposeOrOps, type Team } from '../domain/team.js';
import { text, reply, type Reply } from '../reply/reply.js';
import {
  approvalForQuote,
  approvalSubject,
  decideApprovalRequest,
  getApprovalRequest,
  insertApprovalRequest,
  type ApprovalDecision,
  type ApprovalRequest,
} from '../store/approvals.js';
import type { Db } from '../store/open.js';
import { enqueue, refreshPosts } from '../store/outbox.js';
import { getQuote } from '../store/quotes.js';
import { actingPerson, askerPerson } from '../core/acting.js';
import { DECISION_LABEL, decisionLine, decisionNotice, holdersOf, holdersText } from './approval-view.js';
import { moveQuote } from './move.js';

/** The deal-desk channel on each platform, else the ops channel; the console has one destination. */
export function deskDestinations(team: Team, platforms: readonly Platform[]): { platform: Platform; destination: string }[] {
  return platforms.flatMap((platform) => {
    const purpose = purposeOrOps(team, platform, 'deal_desk');
    return destinationsFor(team, platform, [purpose], false).map((destination) => ({ platform, destination }));
  });
}

/** Where a person is reached directly on the platform they used; null where the bot cannot write to them. */
export function directDestination(platform: Platform, userId: string): string | null {
  if (platform === 'slack') return userId;
  if (platform === 'discord') return `user:${userId}`;
  if (platform === 'console') return 'console';
  return null;
}

export interface RaiseEnv {
  db: Db;
  team: Team;
  policy: Pick<PricingPolicy, 'guardrailFailRoute' | 'escalation'>;
  platforms: readonly Platform[];
  timezone: string;
  actor: Actor;
  now: Date;
}

/**
 * An escalated quote asks the desk: it moves to pending approval, its request is recorded with the
 * authority it needs and its deadline, and its post is queued for the deal-desk channel on every
 * delivering platform. Run inside the transaction that records the quote, so no escalated quote is
 * ever without its request. At night (§31) the post waits for 08:00 and so does the response clock.
 */
export function raiseApproval(env: RaiseEnv, quote: QuoteRecord): { quote: QuoteRecord; request: ApprovalRequest } {
  const { db, now } = env;
  const needs = approvalNeedsOf(quote, env.policy);
  const moved = moveQuote(db, { quote, event: { kind: 'request_approval' }, actor: env.actor, team: env.team, now, detail: { authority: needs.authority } });
  const request = insertApprovalRequest(db, {
    quoteSeq: quote.seq,
    authority: needs.authority,
    requirements: needs.requirements,
    responseHours: needs.responseHours,
    requestedAt: now,
    respondBy: responseDeadline(now, needs.responseHours, env.timezone),
  });
  const notBefore = holdUntil(now, env.timezone);
  for (const d of deskDestinations(env.team, env.platforms)) {
    enqueue(db, { ...d, kind: 'post', subject: approvalSubject(request.id), at: now, notBefore });
  }
  return { quote: moved.quote, request };
}

/** A decision already made, named for the second presser: what, who and when. */
function alreadyDecided(quote: QuoteRecord, r: ApprovalRequest, timezone: string): UserError {
  return new UserError(`${quote.id} was already decided: ${decisionLine(r, timezone) ?? DECISION_LABEL[r.decision ?? 'approve']}.`, 'conflict', { field: 'quote' });
}

/** The quote and its undecided request, or why there is nothing to decide. */
export function openRequest(ctx: CommandContext, ref: string): { quote: QuoteRecord; request: ApprovalRequest } {
  const quote = getQuote(ctx.db, ref);
  if (!quote) throw new UserError(`There is no quote \`${ref.slice(0, 40)}\`. \`/desk\` lists the quotes waiting for approval.`, 'not_found', { field: 'quote' });
  const request = approvalForQuote(ctx.db, quote.seq);
  if (!request) throw new UserError(`${quote.id} is ${stateLabel(quote.state)}: it has no approval request (only escalated quotes go to the desk).`, 'conflict', { field: 'quote' });
  if (request.decidedAt) throw alreadyDecided(quote, request, ctx.config.timezone);
  return { quote, request };
}

/** Refuses the asker and anyone without the authority, naming who can decide. */
export function requireDecider(ctx: CommandContext, quote: QuoteRecord, request: ApprovalRequest): void {
  const me = actingPerson(ctx);
  const refusal = decisionRefusal(
    { personId: me?.id ?? null, approves: me?.approves ?? [], isExecutiveSponsor: me?.executiveSponsor === true },
    {
      authority: request.authority,
      askerPersonId: askerPerson(ctx, quote)?.id ?? null,
      actorIsAsker: ctx.actor.platform === quote.platform && ctx.actor.userId === quote.userId,
      escalated: request.escalatedAt !== null,
    },
  );
  if (!refusal) return;
  const who = holdersText(holdersOf(ctx.catalog.team, request.authority, quote, request.escalatedAt !== null), request.authority, false);
  if (refusal.kind === 'self') throw new UserError(`Nobody approves their own quote: ${quote.id} is yours. It can be decided by ${who}.`, 'forbidden');
  throw new UserError(`${quote.id} needs ${AUTHORITY_LABEL[request.authority]} approval, which you do not hold in data/team.json. It can be decided by ${who}.`, 'forbidden');
}

const EVENT: Record<Exclude<ApprovalDecision, 'approve_as_exception'>, QuoteEvent> = {
  approve: { kind: 'approve' },
  request_changes: { kind: 'request_changes' },
  decline: { kind: 'decline' },
};

export type DecisionInput =
  | { decision: Exclude<ApprovalDecision, 'approve_as_exception'>; note: string | null }
  | { decision: 'approve_as_exception'; note: string | null; exception: { seq: number; id: string } };

/**
 * The desk's one decision on a quote. The request's conditional update and the quote's conditional
 * move run in one transaction with the refresh of every posted copy and the rep's notice: a double
 * click, two approvers at once or a retry find it decided and are told by whom. Call it inside the
 * caller's transaction when the decision completes another write (a recorded exception).
 */
export function decideApproval(ctx: CommandContext, ref: string, input: DecisionInput): { quote: QuoteRecord; request: ApprovalRequest } {
  const { db, now } = ctx;
  const tz = ctx.config.timezone;
  const result = db.transaction(() => {
    const { quote, request } = openRequest(ctx, ref);
    requireDecider(ctx, quote, request);
    const me = actingPerson(ctx);
    const by = { platform: ctx.actor.platform, userId: ctx.actor.userId, name: me?.name ?? ctx.actor.name, personId: me?.id ?? null };
    const exceptionSeq = input.decision === 'approve_as_exception' ? input.exception.seq : null;
    if (!decideApprovalRequest(db, request.id, { decision: input.decision, at: now, by, note: input.note, exceptionSeq })) {
      throw alreadyDecided(quote, getApprovalRequest(db, request.id) ?? request, tz);
    }
    const event: QuoteEvent = input.decision === 'approve_as_exception' ? { kind: 'approve_as_exception', exceptionId: input.exception.id } : EVENT[input.decision];
    const moved = moveQuote(db, { quote, event, actor: ctx.actor, team: ctx.catalog.team, now, note: input.note, detail: { approval_request: request.id, authority: request.authority } });
    const decided = getApprovalRequest(db, request.id) ?? request;
    refreshPosts(db, approvalSubject(request.id), now);
    const dm = directDestination(quote.platform, quote.userId);
    if (dm && ctx.platforms.includes(quote.platform)) {
      enqueue(db, { platform: quote.platform, kind: 'message', destination: dm, payload: decisionNotice(decided, moved.quote, tz), at: now });
    }
    return { quote: moved.quote, request: decided };
  }).immediate();
  ctx.notify?.();
  ctx.log.info({ quote: result.quote.id, decision: input.decision, by: ctx.actor.userId }, 'approval decided');
  return result;
}

/** What the decider is told, and the API's JSON. */
export function decisionReply(quote: QuoteRecord, request: ApprovalRequest, timezone: string): Reply {
  const line = decisionLine(request, timezone) ?? '';
  const message = `${quote.id} ${DECISION_LABEL[request.decision ?? 'approve']}; the rep who asked is told.`;
  return {
    ...reply(message, [text(`**${message}**\n${line}`)]),
    data: {
      quote_id: quote.id,
      state: quote.state,
      decision: request.decision,
      decided_by: request.decidedBy?.name ?? null,
      decided_at: request.decidedAt?.toISOString() ?? null,
      note: request.note,
      authority: request.authority,
    },
  };
}

export const formatDue = (r: ApprovalRequest, timezone: string) => formatLocalTime(r.respondBy, timezone);

/** Whether the actor may decide this request (no refusal), for flows that go on either way. */
export function mayDecide(ctx: CommandContext, quote: QuoteRecord, request: ApprovalRequest): boolean {
  try {
    requireDecider(ctx, quote, request);
    return true;
  } catch (error) {
    if (error instanceof UserError) return false;
    throw error;
  }
}

/** The undecided request of a quote, if it has one. */
export function pendingRequestOf(db: Db, quote: QuoteRecord): ApprovalRequest | null {
  const r = approvalForQuote(db, quote.seq);
  return r && !r.decidedAt ? r : null;
}

/** The quote reply's lines for an escalated quote: sent to the desk, who decides, and by when. */
export function approvalLines(ctx: CommandContext, quote: QuoteRecord): Reply['blocks'] {
  const r = approvalForQuote(ctx.db, quote.seq);
  if (!r) return [];
  const tz = ctx.config.timezone;
  const who = holdersText(holdersOf(ctx.catalog.team, r.authority, quote, r.escalatedAt !== null), r.authority, false);
  const status = decisionLine(r, tz) ?? `Waiting for ${AUTHORITY_LABEL[r.authority]} approval (${who}), due ${formatLocalTime(r.respondBy, tz)}.`;
  return [text(`**Deal desk** ${status}`)];
}
