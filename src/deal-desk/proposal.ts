import type { CommandContext } from '../core/command.js';
import type { Platform } from '../domain/actor.js';
import type { QuoteRequest, Segment } from '../domain/pricing-types.js';
import { checkProposal, type ProposalTag } from '../domain/proposal.js';
import { destinationsFor, type Team } from '../domain/team.js';
import { enqueue } from '../store/outbox.js';
import { findProposalByIdempotencyKey, getProposal, insertProposal, proposalReviewSubject, type ProposalRecord } from '../store/proposals.js';
import { priceAndRecord } from './price.js';

export interface ProposalOptionInput {
  tag: ProposalTag;
  request: QuoteRequest;
  /** A team person's id (data/team.json), already resolved. */
  exceptionOwner: string | null;
}

export interface ProposalInput {
  account: string;
  segment: Segment;
  options: ProposalOptionInput[];
}

/**
 * Where executive messages go on each delivering platform: the exec channel, else ops (a Discord
 * server with no exec channel still hears of it), else the console's one destination.
 */
export function execDestinations(team: Team, platforms: readonly Platform[]): { platform: Platform; destination: string }[] {
  return platforms.flatMap((platform) => {
    const exec = destinationsFor(team, platform, ['exec'], false);
    const ids = exec.length ? exec : destinationsFor(team, platform, ['ops'], false);
    return ids.map((destination) => ({ platform, destination }));
  });
}

/**
 * Prices every option as a quote (through the one way a quote enters the ledger), checks them as a
 * portfolio, and records the proposal with its links, and the executive request when §40 calls for
 * one, all in one transaction: a failure anywhere leaves no quote, no proposal and no message.
 * A retry carrying the same idempotency key gets the proposal first recorded.
 */
export function buildProposal(ctx: CommandContext, input: ProposalInput): { proposal: ProposalRecord; created: boolean } {
  const { db } = ctx;
  const key = ctx.idempotencyKey ?? null;
  const result = db
    .transaction(() => {
      const earlier = key ? findProposalByIdempotencyKey(db, key) : null;
      if (earlier) return { proposal: earlier, created: false };
      const priced = input.options.map((o) => ({ ...o, quote: priceAndRecord(ctx, o.request, { account: input.account }).quote }));
      const check = checkProposal(
        priced.map((o) => ({
          tag: o.tag,
          delivery: o.request.delivery,
          guardrail: o.quote.price.guardrail,
          escalated: o.quote.decision.status === 'escalated',
          grossMarginPct: o.quote.price.grossMarginPct,
          exceptionOwner: o.exceptionOwner,
        })),
      );
      const seq = insertProposal(db, {
        createdAt: ctx.now,
        platform: ctx.actor.platform,
        surface: ctx.surface,
        userId: ctx.actor.userId,
        userName: ctx.actor.name,
        account: input.account,
        segment: input.segment,
        idempotencyKey: key,
        execReasons: check.executiveReview,
        options: priced.map((o) => ({ tag: o.tag, quoteSeq: o.quote.seq, exceptionOwner: o.exceptionOwner })),
      });
      const proposal = getProposal(db, seq);
      if (!proposal) throw new Error(`proposal ${seq} was inserted but cannot be read back`);
      // A 'post' renders the review as it stands at delivery and records each copy, so the decision
      // can later update every copy in place (and take its buttons away).
      if (proposal.execReview) {
        for (const d of execDestinations(ctx.catalog.team, ctx.platforms)) {
          enqueue(db, { platform: d.platform, kind: 'post', destination: d.destination, subject: proposalReviewSubject(seq), at: ctx.now });
        }
      }
      return { proposal, created: true };
    })
    .immediate();
  if (result.created && result.proposal.execReview) ctx.notify?.();
  return result;
}
