import { UserError } from '../core/errors.js';
import type { Platform } from '../domain/actor.js';
import { formatUsd } from '../domain/money.js';
import { EXPIRABLE, isExpired, stateLabel } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Team } from '../domain/team.js';
import { reply, text, type Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { enqueue } from '../store/outbox.js';
import { listQuotesInStatesBefore } from '../store/quote-lists.js';
import { directDestination } from './approval.js';
import { moveQuote } from './move.js';

/** The bot itself, as the history names it: no team person, no role. */
export const EXPIRY_ACTOR = { platform: 'console', userId: 'j1msky-ops:expiry', name: 'j1msky-ops (expiry)', role: null } as const;

/** How many quotes one tick expires at most, so a backlog after a long outage never holds the lock long. */
export const EXPIRY_BATCH = 200;

const DAY_MS = 86_400_000;

/**
 * Moves every quote left unsent or unanswered for `expiryDays` to expired, at most `limit` a call.
 * Idempotent: an expired quote is no longer in an expirable state, so a second run finds nothing;
 * a quote someone moved in the meantime is left alone (moveQuote's conditional update refuses).
 */
export function expireQuotes(
  env: { db: Db; team: Team; now: Date; expiryDays: number; platforms: readonly Platform[] },
  limit = EXPIRY_BATCH,
): string[] {
  const { db, team, now, expiryDays, platforms } = env;
  const cutoff = new Date(now.getTime() - expiryDays * DAY_MS);
  const expired: string[] = [];
  for (const quote of listQuotesInStatesBefore(db, EXPIRABLE, cutoff, limit)) {
    if (!isExpired(quote.state, quote.stateChangedAt, now, expiryDays)) continue;
    try {
      db.transaction(() => {
        moveQuote(db, {
          quote,
          event: { kind: 'expire' },
          actor: EXPIRY_ACTOR,
          team,
          person: null,
          now,
          note: `No move for ${expiryDays} days (QUOTE_EXPIRY_DAYS).`,
          detail: { idle_since: quote.stateChangedAt.toISOString(), expiry_days: expiryDays },
        });
        // The owner learns it with the move, in one transaction: an expiry nobody hears of is a lost deal.
        const dm = platforms.includes(quote.platform) ? directDestination(quote.platform, quote.userId) : null;
        if (dm) enqueue(db, { platform: quote.platform, kind: 'message', destination: dm, payload: expiryNotice(quote, expiryDays), at: now });
      })();
      expired.push(quote.id);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  return expired;
}

/** What the quote's owner is told: which quote, why, and how to go on. */
export function expiryNotice(quote: QuoteRecord, expiryDays: number): Reply {
  const who = quote.account ? ` for ${quote.account}` : '';
  const summary = `${quote.id}${who} expired: ${stateLabel(quote.state)} with no move for ${expiryDays} days`;
  return reply(summary, [
    text(`**${summary}.**`),
    text(`It was ${formatUsd(quote.price.finalPrice)}. Price it again with /quote to send a fresh one; the expired quote stays in the history.`),
  ], 'channel');
}
