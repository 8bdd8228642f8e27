import type { Actor } from '../../src/domain/actor.js';
import type { QuoteEvent, QuoteState } from '../../src/domain/quote-life.js';
import { moveQuote } from '../../src/deal-desk/move.js';
import type { Db } from '../../src/store/open.js';
import { getQuote } from '../../src/store/quotes.js';
import { seedCatalog } from './seed.js';

export const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
export const eli: Actor = { platform: 'slack', userId: 'U0EXEC0001', name: 'Eli Brooks', role: 'executive' };
export const pat: Actor = { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', role: 'pricing_admin' };
export const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
export const samOnDiscord: Actor = { platform: 'discord', userId: '100000000000000003', name: 'sam', role: 'sales_rep' };
export const bob: Actor = { platform: 'slack', userId: 'U0STRANGER', name: 'Bob', role: 'sales_rep' };

/** What to type for a quote that prices into each starting state. */
export const PRICED: Record<'approved' | 'approved_with_conditions' | 'escalated', string> = {
  approved: '/quote k2p5 medium smb 2000 800 account=Acme',
  approved_with_conditions: '/quote k2p5 medium smb 2000 800 account=Acme scope=unclear',
  escalated: '/quote k2p5 medium smb 2000 800 account=Acme sla=nonstandard',
};

/** How to reach every state: the priced start, then the moves (the desk's, made here by Maria). */
export const PATHS: Record<QuoteState, { priced: keyof typeof PRICED; moves: QuoteEvent[] }> = {
  approved: { priced: 'approved', moves: [] },
  approved_with_conditions: { priced: 'approved_with_conditions', moves: [] },
  escalated: { priced: 'escalated', moves: [] },
  pending_approval: { priced: 'escalated', moves: [{ kind: 'request_approval' }] },
  approved_by_desk: { priced: 'escalated', moves: [{ kind: 'request_approval' }, { kind: 'approve' }] },
  approved_as_exception: { priced: 'escalated', moves: [{ kind: 'request_approval' }, { kind: 'approve_as_exception', exceptionId: 'EX-00001' }] },
  changes_requested: { priced: 'escalated', moves: [{ kind: 'request_approval' }, { kind: 'request_changes' }] },
  declined: { priced: 'escalated', moves: [{ kind: 'request_approval' }, { kind: 'decline' }] },
  sent: { priced: 'approved', moves: [{ kind: 'send', conditionsConfirmed: false }] },
  won: { priced: 'approved', moves: [{ kind: 'send', conditionsConfirmed: false }, { kind: 'win' }] },
  lost: { priced: 'approved', moves: [{ kind: 'send', conditionsConfirmed: false }, { kind: 'lose', reason: 'price' }] },
  expired: { priced: 'approved', moves: [{ kind: 'expire' }] },
};

/**
 * Moves a quote along a path as Maria would, through the one write path every move takes. An
 * escalated quote is already pending approval (its request is raised as it is recorded), so the
 * path's request_approval is the recording's own move.
 */
export function moveAlong(db: Db, id: string, moves: readonly QuoteEvent[], now: Date): void {
  for (const event of moves) {
    const quote = getQuote(db, id);
    if (!quote) throw new Error(`no quote ${id}`);
    if (event.kind === 'request_approval' && quote.state === 'pending_approval') continue;
    moveQuote(db, { quote, event, actor: maria, team: seedCatalog.team, now });
  }
}

/**
 * Brings a freshly priced quote to a state. `escalated` without an approval request is a quote
 * recorded before the deal desk existed (migration 0009 keeps such quotes escalated).
 */
export function reachState(db: Db, id: string, state: QuoteState, now: Date): void {
  if (state === 'escalated') {
    db.prepare("UPDATE quotes SET state = 'escalated' WHERE seq = ?").run(Number(id.replace(/\D/g, '')));
    return;
  }
  moveAlong(db, id, PATHS[state].moves, now);
}
