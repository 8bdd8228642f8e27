import { UserError } from '../core/errors.js';
import { EXPIRABLE, isExpired } from '../domain/quote-life.js';
import type { Team } from '../domain/team.js';
import type { Db } from '../store/open.js';
import { listQuotesInStatesBefore } from '../store/quote-lists.js';
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
export function expireQuotes(env: { db: Db; team: Team; now: Date; expiryDays: number }, limit = EXPIRY_BATCH): string[] {
  const { db, team, now, expiryDays } = env;
  const cutoff = new Date(now.getTime() - expiryDays * DAY_MS);
  const expired: string[] = [];
  for (const quote of listQuotesInStatesBefore(db, EXPIRABLE, cutoff, limit)) {
    if (!isExpired(quote.state, quote.stateChangedAt, now, expiryDays)) continue;
    try {
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
      expired.push(quote.id);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  return expired;
}
