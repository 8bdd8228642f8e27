import { describe, expect, it } from 'vitest';
import { dispatchAction } from '../../src/core/dispatch.js';
import { QUOTE_STATES, type QuoteState } from '../../src/domain/quote-life.js';
import { toText } from '../../src/reply/text.js';
import { getQuote } from '../../src/store/quotes.js';
import { alice, testBed } from '../helpers/context.js';
import { bob, eli, maria, PATHS, reachState, PRICED, pat, sam, samOnDiscord } from '../helpers/quote-life.js';

async function quoteIn(state: QuoteState, asker = alice) {
  const b = testBed();
  const path = PATHS[state];
  const priced = await b.run(PRICED[path.priced], { actor: asker });
  expect(priced.error).toBeUndefined();
  reachState(b.db, 'Q-00001', state, b.ctx().now);
  expect(getQuote(b.db, 'Q-00001')?.state).toBe(state);
  return b;
}

const SEND_FROM: QuoteState[] = ['approved', 'approved_by_desk', 'approved_as_exception'];
/** Each typed move, and the states it is legal from (the state machine's table, as a person meets it). */
const TYPED: { line: string; legalFrom: QuoteState[]; to: QuoteState }[] = [
  { line: '/quote send Q-00001', legalFrom: SEND_FROM, to: 'sent' },
  { line: '/quote send Q-00001 confirm=yes', legalFrom: [...SEND_FROM, 'approved_with_conditions'], to: 'sent' },
  { line: '/quote won Q-00001', legalFrom: ['sent'], to: 'won' },
  { line: '/quote lost Q-00001 reason=price', legalFrom: ['sent'], to: 'lost' },
  { line: '/quote lost Q-00001 reason=competitor competitor="Globex"', legalFrom: ['sent'], to: 'lost' },
];
const CASES = TYPED.flatMap((t) => QUOTE_STATES.map((from) => ({ ...t, from, legal: t.legalFrom.includes(from) })));

describe('the quote’s life, typed', () => {
  it.each(CASES)('$line from $from: legal=$legal', async ({ line, from, legal, to }) => {
    const b = await quoteIn(from);
    const before = b.count('quote_history');
    const reply = await b.run(line);
    if (legal) {
      expect(reply.error).toBeUndefined();
      expect(getQuote(b.db, 'Q-00001')?.state).toBe(to);
      expect(b.count('quote_history')).toBe(before + 1);
      const last = b.db.prepare('SELECT from_state, to_state, user_id, user_name FROM quote_history ORDER BY id DESC').get();
      expect(last).toEqual({ from_state: from, to_state: to, user_id: 'U_ALICE', user_name: 'Alice' });
    } else {
      // The state machine's message names the state and what is possible; nothing is written.
      expect(reply.error?.code).toBe('conflict');
      expect(reply.summary).toMatch(from === 'approved_with_conditions' && line.includes('send') ? /approved with conditions: confirm they are met/ : new RegExp(`A quote that is ${from.replace(/_/g, ' ')} cannot be`));
      expect(getQuote(b.db, 'Q-00001')?.state).toBe(from);
      expect(b.count('quote_history')).toBe(before);
    }
  });

  it('records a conditional approval’s confirmation with the conditions it was confirmed against', async () => {
    const b = await quoteIn('approved_with_conditions');
    const refused = await b.run('/quote send Q-00001 confirm=no');
    expect(refused.error?.code).toBe('conflict');
    const sent = await b.run('/quote send Q-00001 confirm=yes note="scope signed off by email"');
    expect(sent.summary).toBe('📤 Q-00001 marked sent by Alice, its conditions confirmed met.');
    const row = b.db.prepare("SELECT note, detail FROM quote_history WHERE to_state = 'sent'").get() as { note: string; detail: string };
    expect(row.note).toBe('scope signed off by email');
    expect(JSON.parse(row.detail)).toEqual({
      event: 'send',
      conditionsConfirmed: true,
      conditions: ['Scope is flagged unclear: confirm the scope in writing before sending.'],
      confirmed_via: 'typed',
    });
  });

  it('offers Conditions met on a conditional quote’s reply; pressing it confirms and sends', async () => {
    const b = testBed();
    const priced = await b.run(PRICED.approved_with_conditions);
    const buttons = priced.blocks.flatMap((bl) => (bl.type === 'actions' ? bl.buttons : []));
    expect(buttons).toContainEqual(expect.objectContaining({ action: 'quote.conditions_met', value: 'Q-00001', typed: '/quote send Q-00001 confirm=yes' }));
    const pressed = await dispatchAction(b.registry, 'quote.conditions_met', 'Q-00001', b.ctx({ surface: 'button' }));
    expect(pressed.kind).toBe('reply');
    expect(getQuote(b.db, 'Q-00001')?.state).toBe('sent');
    const detail = JSON.parse((b.db.prepare("SELECT detail FROM quote_history WHERE to_state = 'sent'").get() as { detail: string }).detail);
    expect(detail).toMatchObject({ conditionsConfirmed: true, confirmed_via: 'button' });
    // A second press (a double click) is answered with the state, and writes nothing.
    const again = await dispatchAction(b.registry, 'quote.conditions_met', 'Q-00001', b.ctx({ surface: 'button' }));
    expect(again.kind === 'reply' && again.reply.error?.code).toBe('conflict');
    expect(b.count('quote_history')).toBe(2);
  });

  it('keeps a loss’s reason and competitor, and asks for the competitor’s name', async () => {
    const b = await quoteIn('sent');
    const nameless = await b.run('/quote lost Q-00001 reason=competitor');
    expect(nameless.summary).toMatch(/names the competitor/);
    const unknownReason = await b.run('/quote lost Q-00001 reason=vibes');
    expect(unknownReason.error).toMatchObject({ code: 'invalid_input', field: 'reason' });
    expect(b.count('quote_history')).toBe(2);
    await b.run('/quote lost Q-00001 reason=competitor competitor="Globex" note="cheaper per seat"');
    const row = b.db.prepare("SELECT note, detail FROM quote_history WHERE to_state = 'lost'").get() as { note: string; detail: string };
    expect(row.note).toBe('cheaper per seat');
    expect(JSON.parse(row.detail)).toEqual({ event: 'lose', reason: 'competitor', competitor: 'Globex' });
  });

  it('answers an unknown quote with not_found', async () => {
    const b = testBed();
    for (const line of ['/quote show Q-00042', '/quote send 42', '/quote won Q-00042', '/quote lost Q-00042 reason=price']) {
      expect((await b.run(line)).error?.code).toBe('not_found');
    }
  });
});

describe('who may move a quote: its asker, or a revenue manager, pricing admin or executive', () => {
  it.each([
    ['the asker, same platform id', sam, true],
    ['the asker as the same team person on another platform', samOnDiscord, true],
    ['a revenue manager', maria, true],
    ['a pricing admin', pat, true],
    ['an executive', eli, true],
    ['another sales rep', bob, false],
    ['a console user who is not the asker', alice, false],
  ])('%s', async (_who, actor, allowed) => {
    const b = await quoteIn('sent', sam);
    const reply = await b.run('/quote won Q-00001', { actor });
    if (allowed) {
      expect(reply.error).toBeUndefined();
      const row = b.db.prepare("SELECT user_id, role, person_id FROM quote_history WHERE to_state = 'won'").get();
      expect(row).toMatchObject({ user_id: actor.userId, role: actor.role });
    } else {
      expect(reply.error?.code).toBe('forbidden');
      expect(reply.summary).toMatch(/asked by Sam Patel: only they, or a revenue manager, pricing admin or executive/);
      expect(getQuote(b.db, 'Q-00001')?.state).toBe('sent');
      expect(b.count('quote_history')).toBe(2);
    }
  });
});

describe('/quote show', () => {
  it('shows the record with every move: who, role, when, from -> to, note and details', async () => {
    const b = await quoteIn('sent', sam);
    await b.run('/quote lost Q-00001 reason=timing note="budget frozen"', { actor: maria });
    const reply = await b.run('/quote show Q-00001', { actor: sam });
    expect(reply.data).toMatchObject({ quote_id: 'Q-00001', state: 'lost', possible_moves: [] });
    const history = (reply.data as { history: unknown[] }).history;
    expect(history).toEqual([
      expect.objectContaining({ from: null, to: 'approved', by: expect.objectContaining({ name: 'Sam Patel', person: 'sam', role: 'sales_rep' }) }),
      expect.objectContaining({ from: 'approved', to: 'sent', by: expect.objectContaining({ name: 'Maria Lopez', role: 'revenue_manager' }) }),
      expect.objectContaining({ from: 'sent', to: 'lost', note: 'budget frozen', detail: { event: 'lose', reason: 'timing' }, by: expect.objectContaining({ person: 'maria' }) }),
    ]);
    const text = toText(reply);
    expect(text).toContain('sent → lost');
    expect(text).toContain('budget frozen');
    expect(text).toContain('reason: timing');
  });

  it('offers the next steps as buttons, and the loss button asks for its reason in a form', async () => {
    const b = await quoteIn('sent');
    const shown = await b.run('/quote show Q-00001');
    const actions = shown.blocks.flatMap((bl) => (bl.type === 'actions' ? bl.buttons.map((x) => x.action) : []));
    expect(actions).toEqual(['quote.won', 'quote.lost']);
    const form = await dispatchAction(b.registry, 'quote.lost', 'Q-00001', b.ctx({ surface: 'button' }));
    expect(form).toMatchObject({ kind: 'form', command: 'quote', subcommand: 'lost', values: { id: 'Q-00001' } });
    // Another rep's press opens nothing.
    const stranger = await dispatchAction(b.registry, 'quote.lost', 'Q-00001', b.ctx({ surface: 'button', actor: bob }));
    expect(stranger.kind === 'reply' && stranger.reply.error?.code).toBe('forbidden');
  });

  it('shows a sales rep their own quotes only', async () => {
    const b = await quoteIn('approved', sam);
    expect((await b.run('/quote show Q-00001', { actor: bob })).error?.code).toBe('forbidden');
    expect((await b.run('/quote show Q-00001', { actor: samOnDiscord })).error).toBeUndefined();
    expect((await b.run('/quote show Q-00001', { actor: eli })).error).toBeUndefined();
  });
});
