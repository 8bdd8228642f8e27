/**
 * A quote's life after pricing (playbook §35: sent only once its approval state is logged).
 * The legal moves are one pure function: the workflow loads the state, asks `nextState`, and writes
 * the move with its history row in one transaction; a refusal writes nothing.
 */
import type { DecisionStatus } from './pricing-types.js';

export const QUOTE_STATES = [
  'approved',
  'approved_with_conditions',
  'escalated',
  'pending_approval',
  'approved_by_desk',
  'approved_as_exception',
  'changes_requested',
  'declined',
  'sent',
  'won',
  'lost',
  'expired',
] as const;
export type QuoteState = (typeof QUOTE_STATES)[number];

export const LOSS_REASONS = ['price', 'competitor', 'timing', 'scope', 'no_decision', 'other'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

/** Days an unsent or unanswered quote stays open before it expires (QUOTE_EXPIRY_DAYS). */
export const DEFAULT_QUOTE_EXPIRY_DAYS = 30;

export type QuoteEvent =
  | { kind: 'request_approval' }
  | { kind: 'approve' }
  | { kind: 'approve_as_exception'; exceptionId: string }
  | { kind: 'request_changes' }
  | { kind: 'decline' }
  | { kind: 'send'; conditionsConfirmed: boolean }
  | { kind: 'win' }
  | { kind: 'lose'; reason: LossReason; competitor?: string }
  | { kind: 'expire' }
  /** The opportunity was declined (an executive's review of its proposal): its options close unsent. */
  | { kind: 'withdraw'; proposalId: string };
export type QuoteEventKind = QuoteEvent['kind'];

/** What a person types (or presses) for each move, to name the possible next steps. */
const DOING: Record<QuoteEventKind, string> = {
  request_approval: 'request approval',
  approve: 'approve',
  approve_as_exception: 'approve as a strategic exception',
  request_changes: 'request changes',
  decline: 'decline',
  send: 'send',
  win: 'mark won',
  lose: 'mark lost',
  expire: 'expire',
  withdraw: 'withdraw',
};

/** The states a quote can be sent from: the pricing's own approval, or the desk's. */
export const SENDABLE: readonly QuoteState[] = ['approved', 'approved_with_conditions', 'approved_by_desk', 'approved_as_exception'];
/** Awaiting a desk decision. */
export const AWAITING_DESK: readonly QuoteState[] = ['escalated', 'pending_approval'];
/** States a quote can sit in while nobody acts, and so can expire. */
export const EXPIRABLE: readonly QuoteState[] = [...SENDABLE, 'pending_approval', 'escalated', 'changes_requested', 'sent'];
export const FINAL: readonly QuoteState[] = ['declined', 'won', 'lost', 'expired'];

const MOVES: Record<QuoteEventKind, { from: readonly QuoteState[]; to: QuoteState }> = {
  request_approval: { from: ['escalated'], to: 'pending_approval' },
  approve: { from: AWAITING_DESK, to: 'approved_by_desk' },
  approve_as_exception: { from: AWAITING_DESK, to: 'approved_as_exception' },
  request_changes: { from: AWAITING_DESK, to: 'changes_requested' },
  decline: { from: AWAITING_DESK, to: 'declined' },
  send: { from: SENDABLE, to: 'sent' },
  win: { from: ['sent'], to: 'won' },
  lose: { from: ['sent'], to: 'lost' },
  expire: { from: EXPIRABLE, to: 'expired' },
  withdraw: { from: [...SENDABLE, ...AWAITING_DESK, 'changes_requested'], to: 'declined' },
};

export type Move = { ok: true; to: QuoteState } | { ok: false; reason: string };

export const stateLabel = (s: QuoteState): string => s.replace(/_/g, ' ');

/** Moves nobody makes on a quote directly: the clock's, the desk's request, a proposal's decline. */
const INDIRECT: readonly QuoteEventKind[] = ['expire', 'request_approval', 'withdraw'];

/** The moves a person may make from a state. */
export function possibleMoves(state: QuoteState): QuoteEventKind[] {
  return (Object.keys(MOVES) as QuoteEventKind[]).filter((k) => !INDIRECT.includes(k) && MOVES[k].from.includes(state));
}

/** The state after an event, or why the quote cannot make that move, naming what it can do instead. */
export function nextState(state: QuoteState, event: QuoteEvent): Move {
  const move = MOVES[event.kind];
  if (!move.from.includes(state)) {
    const possible = possibleMoves(state).map((k) => DOING[k]);
    const instead = possible.length ? `From ${stateLabel(state)} it can: ${possible.join(', ')}.` : `${capitalise(stateLabel(state))} is final: nothing more can happen to it.`;
    return { ok: false, reason: `A quote that is ${stateLabel(state)} cannot be ${pastTense(event.kind)}. ${instead}` };
  }
  if (event.kind === 'send' && state === 'approved_with_conditions' && !event.conditionsConfirmed) {
    return { ok: false, reason: 'This quote was approved with conditions: confirm they are met (confirm=yes, or the Conditions met button) before it is sent.' };
  }
  if (event.kind === 'lose' && event.reason === 'competitor' && !event.competitor?.trim()) {
    return { ok: false, reason: 'A quote lost to a competitor names the competitor (competitor="...").' };
  }
  return { ok: true, to: move.to };
}

/** The state a newly priced quote starts in: its pricing decision. */
export const initialState = (decision: DecisionStatus): QuoteState => decision;

/** Whether a quote left alone since `since` has expired by `now`. */
export function isExpired(state: QuoteState, since: Date, now: Date, expiryDays: number): boolean {
  return EXPIRABLE.includes(state) && now.getTime() - since.getTime() >= expiryDays * 86_400_000;
}

const PAST: Record<QuoteEventKind, string> = {
  request_approval: 'sent for approval',
  approve: 'approved',
  approve_as_exception: 'approved as a strategic exception',
  request_changes: 'sent back for changes',
  decline: 'declined',
  send: 'sent',
  win: 'won',
  lose: 'lost',
  expire: 'expired',
  withdraw: 'withdrawn',
};
const pastTense = (k: QuoteEventKind) => PAST[k];
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
