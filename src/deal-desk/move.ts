import { UserError } from '../core/errors.js';
import type { Actor } from '../domain/actor.js';
import { AWAITING_DESK, nextState, stateLabel, type QuoteEvent } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { findPerson, type Person, type Team } from '../domain/team.js';
import { approvalForQuote, approvalSubject } from '../store/approvals.js';
import type { Db } from '../store/open.js';
import { refreshPosts } from '../store/outbox.js';
import { appendHistory, setQuoteState, type QuoteHistoryEntry } from '../store/quote-history.js';
import { getQuote } from '../store/quotes.js';

export interface QuoteMove {
  quote: QuoteRecord;
  event: QuoteEvent;
  /** The person moving it; a role of null is the bot itself (expiry), which holds no team role. */
  actor: Omit<Actor, 'role'> & { role: Actor['role'] | null };
  team: Team;
  /** The team person acting, when the caller knows better than the platform id (HTTP's X-Actor-Id). */
  person?: Person | null;
  now: Date;
  note?: string | null;
  /** Extra facts for the history row beyond the event's own (e.g. the approval request). */
  detail?: Record<string, unknown>;
}

/**
 * Moves a quote one step in its life: the pure rule decides, then the new state and its history row
 * are written together. Run it inside the caller's transaction when the move causes more writes
 * (outbox rows, an approval's decision), so they land or fail as one. An illegal move, or one that
 * another person made first, is a UserError and nothing is written.
 */
export function moveQuote(db: Db, m: QuoteMove): { quote: QuoteRecord; entry: QuoteHistoryEntry } {
  return db.transaction(() => {
    const move = nextState(m.quote.state, m.event);
    if (!move.ok) throw new UserError(`${m.quote.id}: ${move.reason}`, 'conflict', { field: 'id' });
    if (!setQuoteState(db, m.quote.seq, m.quote.state, move.to, m.now)) {
      const now = getQuote(db, m.quote.id);
      throw new UserError(`${m.quote.id} changed while you were looking: it is now ${now ? stateLabel(now.state) : 'gone'}.`, 'conflict', { field: 'id' });
    }
    const { kind: _kind, ...eventDetail } = m.event as QuoteEvent & Record<string, unknown>;
    const person = m.person !== undefined ? m.person : findPerson(m.team, m.actor.platform, m.actor.userId);
    const entry = {
      quoteSeq: m.quote.seq,
      at: m.now,
      from: m.quote.state,
      to: move.to,
      actor: { platform: m.actor.platform, userId: m.actor.userId, name: m.actor.name, personId: person?.id ?? null, role: m.actor.role },
      note: m.note ?? null,
      detail: { event: m.event.kind, ...eventDetail, ...m.detail },
    };
    const id = appendHistory(db, entry);
    // A quote that leaves the desk's queue without the desk's decision (expiry, a declined proposal):
    // the request's posted copies lose their buttons and say why. The desk's own decisions refresh them.
    if (AWAITING_DESK.includes(m.quote.state) && !AWAITING_DESK.includes(move.to)) {
      const request = approvalForQuote(db, m.quote.seq);
      if (request && request.decidedAt === null) refreshPosts(db, approvalSubject(request.id), m.now);
    }
    return { quote: { ...m.quote, state: move.to, stateChangedAt: m.now }, entry: { id, ...entry } };
  })();
}
