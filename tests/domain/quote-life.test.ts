import { describe, expect, it } from 'vitest';
import { isExpired, nextState, possibleMoves, QUOTE_STATES, type QuoteEvent, type QuoteState } from '../../src/domain/quote-life.js';

const EVENTS: QuoteEvent[] = [
  { kind: 'request_approval' },
  { kind: 'approve' },
  { kind: 'approve_as_exception', exceptionId: 'EX-00001' },
  { kind: 'request_changes' },
  { kind: 'decline' },
  { kind: 'send', conditionsConfirmed: true },
  { kind: 'win' },
  { kind: 'lose', reason: 'price' },
  { kind: 'expire' },
];

/** Every legal move; every other (state, event) pair must be refused. */
const LEGAL: Record<QuoteState, Partial<Record<QuoteEvent['kind'], QuoteState>>> = {
  approved: { send: 'sent', expire: 'expired' },
  approved_with_conditions: { send: 'sent', expire: 'expired' },
  escalated: { request_approval: 'pending_approval', approve: 'approved_by_desk', approve_as_exception: 'approved_as_exception', request_changes: 'changes_requested', decline: 'declined', expire: 'expired' },
  pending_approval: { approve: 'approved_by_desk', approve_as_exception: 'approved_as_exception', request_changes: 'changes_requested', decline: 'declined', expire: 'expired' },
  approved_by_desk: { send: 'sent', expire: 'expired' },
  approved_as_exception: { send: 'sent', expire: 'expired' },
  changes_requested: { expire: 'expired' },
  declined: {},
  sent: { win: 'won', lose: 'lost', expire: 'expired' },
  won: {},
  lost: {},
  expired: {},
};

describe('the quote life: every state against every event', () => {
  const cases = QUOTE_STATES.flatMap((state) => EVENTS.map((event) => ({ state, event, to: LEGAL[state][event.kind] })));
  it.each(cases)('$state + $event.kind -> $to', ({ state, event, to }) => {
    const move = nextState(state, event);
    if (to) expect(move).toEqual({ ok: true, to });
    else {
      expect(move.ok).toBe(false);
      // The refusal names the state the quote is in.
      expect(!move.ok && move.reason).toContain(state.replace(/_/g, ' '));
    }
  });

  it.each([
    ['declined', 'send', 'A quote that is declined cannot be sent. Declined is final: nothing more can happen to it.'],
    ['approved', 'win', 'A quote that is approved cannot be won. From approved it can: send.'],
    ['pending_approval', 'send', 'A quote that is pending approval cannot be sent. From pending approval it can: approve, approve as a strategic exception, request changes, decline.'],
  ] as const)('%s + %s says what is possible instead', (state, kind, reason) => {
    const event = EVENTS.find((e) => e.kind === kind);
    if (!event) throw new Error(kind);
    expect(nextState(state, event)).toEqual({ ok: false, reason });
  });

  it('sends a conditional approval only with its conditions confirmed', () => {
    expect(nextState('approved_with_conditions', { kind: 'send', conditionsConfirmed: false })).toMatchObject({ ok: false, reason: expect.stringContaining('confirm') });
    expect(nextState('approved', { kind: 'send', conditionsConfirmed: false })).toEqual({ ok: true, to: 'sent' });
  });

  it('a loss to a competitor names the competitor', () => {
    expect(nextState('sent', { kind: 'lose', reason: 'competitor' }).ok).toBe(false);
    expect(nextState('sent', { kind: 'lose', reason: 'competitor', competitor: 'Acme AI' })).toEqual({ ok: true, to: 'lost' });
  });

  it('lists what a person can do next', () => {
    expect(possibleMoves('sent')).toEqual(['win', 'lose']);
    expect(possibleMoves('won')).toEqual([]);
  });

  it.each([
    ['sent', 29, false],
    ['sent', 30, true],
    ['approved', 30, true],
    ['pending_approval', 31, true],
    ['won', 90, false],
    ['declined', 90, false],
  ] as const)('%s left %i days: expired %s (30-day expiry)', (state, days, expired) => {
    const since = new Date('2026-11-01T12:00:00Z');
    expect(isExpired(state, since, new Date(since.getTime() + days * 86_400_000), 30)).toBe(expired);
  });
});
