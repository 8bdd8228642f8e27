import type { CommandContext } from '../core/command.js';
import { decideQuote } from '../domain/decision.js';
import { priceQuote } from '../domain/pricing.js';
import type { QuoteRequest } from '../domain/pricing-types.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { findPerson } from '../domain/team.js';
import { policyInForce } from '../policy/in-force.js';
import { recordQuote } from '../store/quotes.js';
import { raiseApproval } from './approval.js';

/**
 * Prices a request under the policy in force, decides it, and records it with its first history
 * row: the one way a quote enters the ledger, for `/quote` and each option of a proposal alike.
 * What an escalated quote sets in motion (its approval request) belongs here too, in the same
 * transaction, so no escalated quote is ever recorded without it.
 */
export function priceAndRecord(
  ctx: CommandContext,
  request: QuoteRequest,
  extra: { account: string | null; idempotencyKey?: string | null },
): { quote: QuoteRecord; created: boolean } {
  const rate = ctx.catalog.rateCard.models.get(request.model);
  if (!rate) throw new Error(`model ${request.model} passed validation but is not on the rate card`);
  const recorded = ctx.db.transaction(() => {
    // Read inside the write lock: the version a quote records is the one it was priced under.
    const policy = policyInForce(ctx.db, ctx.catalog.policyFile, ctx.now);
    const price = priceQuote(request, rate, policy);
    const decision = decideQuote(request, price, policy);
    const result = recordQuote(ctx.db, {
      createdAt: ctx.now,
      platform: ctx.actor.platform,
      surface: ctx.surface,
      userId: ctx.actor.userId,
      userName: ctx.actor.name,
      account: extra.account,
      request,
      price,
      decision,
      policyVersion: policy.id,
      idempotencyKey: extra.idempotencyKey ?? null,
      askerPersonId: findPerson(ctx.catalog.team, ctx.actor.platform, ctx.actor.userId)?.id ?? null,
      askerRole: ctx.actor.role,
    });
    // A retry answered from the ledger raised its request the first time.
    if (!result.created || result.quote.state !== 'escalated') return result;
    const env = { db: ctx.db, team: ctx.catalog.team, policy, platforms: ctx.platforms, timezone: ctx.config.timezone, actor: ctx.actor, now: ctx.now };
    return { quote: raiseApproval(env, result.quote).quote, created: true };
  }).immediate();
  if (recorded.created && recorded.quote.state === 'pending_approval') ctx.notify?.();
  return recorded;
}
