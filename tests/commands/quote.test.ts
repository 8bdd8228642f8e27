import { describe, expect, it } from 'vitest';
import { dispatchAction, dispatchCommand } from '../../src/core/dispatch.js';
import { toText } from '../../src/reply/text.js';
import { testBed } from '../helpers/context.js';

const quoteText = (bed: ReturnType<typeof testBed>, text: string, over = {}) =>
  dispatchCommand(bed.registry, 'quote', { text }, bed.ctx(over));

describe('/quote', () => {
  it('prices, explains and records the worksheet example', async () => {
    const bed = testBed();
    const reply = await quoteText(bed, 'model=k2p5 complexity=medium segment=smb input=2000 output=800');
    expect(reply.error).toBeUndefined();
    expect(reply.data).toMatchObject({
      quote_id: 'Q-00001',
      internal_cost: 0.0036,
      base_markup: 4,
      segment_adjustment: -0.5,
      final_markup: 3.5,
      recommended_price: 0.5,
      final_price: 0.5,
      gross_margin_pct: 99.28,
      margin_threshold_pct: 55,
      guardrail: 'pass',
      decision_status: 'approved',
      approver: 'account_executive',
      policy_version: 'pricing_policy_v2026-11-22a',
    });
    const shown = toText(reply);
    expect(shown).toContain('Quote Q-00001: ✅ approved');
    expect(shown).toContain('$0.50 (the $0.50 floor applies)');
    expect(shown).toContain('4.0x medium − 0.5x smb = 3.5x');
    expect(shown).toContain('asked by Alice on console · 2026-11-22 09:00 EST');
    expect(bed.count()).toBe(1);
  });

  it('stores who, when, which policy and what was decided', async () => {
    const bed = testBed();
    await quoteText(bed, 'sonnet medium mid_market 100k 100k discount=15 account="Acme Corp"');
    const row = bed.db.prepare('SELECT * FROM quotes').get() as Record<string, unknown>;
    expect(row).toMatchObject({
      created_at: '2026-11-22T14:00:00.000Z',
      platform: 'console',
      surface: 'console',
      user_id: 'U_ALICE',
      user_name: 'Alice',
      account: 'Acme Corp',
      model: 'sonnet',
      input_tokens: 100000,
      internal_cost_micros: 1_800_000,
      discount_bp: 1500,
      recommended_price_micros: 7_200_000,
      final_price_micros: 6_120_000,
      gross_margin_bp: 7058,
      decision: 'approved_with_conditions',
      approver: 'sales_manager',
      policy_version: 'pricing_policy_v2026-11-22a',
    });
    expect(JSON.parse(row.reasons as string)).toHaveLength(1);
  });

  it('accepts the API aliases and defaults the model to the rate card default', async () => {
    const bed = testBed();
    const reply = await dispatchCommand(
      bed.registry,
      'quote',
      { fields: { complexity: 'low', segment: 'startup', estimated_input: 0, estimated_output: 75000, delivery_type: 'task', discount_pct: 0 }, source: 'json' },
      bed.ctx({ surface: 'api' }),
    );
    expect(reply.data).toMatchObject({ model: 'k2p5', gross_margin_pct: 55, guardrail: 'pass' });
  });

  it.each([
    ['', '4 fields are missing: `complexity` (one of low, medium, high); `segment`'],
    ['complexity=extreme segment=smb input=1 output=1', '`complexity` must be one of low, medium, high; you gave `extreme`'],
    ['complexity=low segment=smb input=lots output=1', '`input` must be a whole number from 0 to 100000000; you gave `lots`'],
    ['complexity=low segment=smb input=-5 output=1', '`input` must be a whole number from 0 to 100000000'],
    ['complexity=low segment=smb input=1 output=1 discount=12.345', '`discount` must have at most two decimals'],
    ['complexity=low segment=smb input=1 output=1 modle=opus', "I don't know `modle`"],
    ['model=gpt9 complexity=low segment=smb input=1 output=1', '`model` must be one of k2p5, sonnet, opus'],
    ['complexity=low complexity=high segment=smb input=1 output=1', '`complexity` is given twice'],
    ['k2p5 low smb 1 1 task 0 Acme standard 0 clear extra', "I can't place `extra`"],
    ['account="Acme', 'A quote mark is not closed'],
  ])('answers %j politely and stores nothing', async (text, message) => {
    const bed = testBed();
    const reply = await quoteText(bed, text);
    expect(reply.error?.code).toBe('invalid_input');
    expect(reply.summary).toContain(message);
    expect(toText(reply)).toContain('Try: /quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
    expect(reply.visibility).toBe('ephemeral');
    expect(bed.count()).toBe(0);
  });

  it('answers `help` with usage generated from the schema', async () => {
    const bed = testBed();
    const help = toText(await quoteText(bed, 'help'));
    expect(help).toContain('input (or estimated_input): estimated input tokens, a whole number from 0 to 100000000; required.');
    expect(help).toContain('delivery (or delivery_type): how it is delivered, one of task, subscription, enterprise; default task.');
    expect(help).toContain('model: model from the rate card, one of k2p5, sonnet, opus; default k2p5.');
    expect(bed.count()).toBe(0);
  });

  it('answers a retry with the first quote and writes nothing new', async () => {
    const bed = testBed();
    const first = await quoteText(bed, 'k2p5 medium smb 2000 800', { idempotencyKey: 'slack:T1:trigger-1' });
    const again = await quoteText(bed, 'k2p5 medium smb 2000 800', { idempotencyKey: 'slack:T1:trigger-1' });
    expect((again.data as { quote_id: string }).quote_id).toBe((first.data as { quote_id: string }).quote_id);
    expect(bed.count()).toBe(1);
  });

  it('forgives case, commas, k suffixes and curly quotes', async () => {
    const bed = testBed();
    const reply = await quoteText(bed, 'model=Opus complexity=HIGH segment=Enterprise input=100,000 output=50k account=“Big Co”');
    expect(reply.data).toMatchObject({ model: 'opus', final_price: 9.63, account: 'Big Co' });
  });
});

describe('/quote: who an escalated quote goes to', () => {
  it.each([
    // opus high startup at 60% off fails the task guardrail and is over 20% off.
    { args: 'opus high startup 100000 50000 discount=60', goesTo: 'Deal Desk · executive (written business case + payback model)', routes: ['Deal Desk', 'executive'] },
    { args: 'sonnet medium mid_market 100000 100000 discount=25', goesTo: 'revenue_lead (strategic logo or expansion path)', routes: ['revenue_lead'] },
    { args: 'sonnet medium mid_market 100000 100000 sla=nonstandard', goesTo: 'legal/revops', routes: ['legal/revops'] },
    { args: 'sonnet medium mid_market 100000 100000 scope_growth=40', goesTo: 'Deal Desk', routes: ['Deal Desk'] },
    { args: 'opus high startup 100000 50000 discount=60 delivery=enterprise', goesTo: 'Executive review · executive (written business case + payback model)', routes: ['Executive review', 'executive'] },
  ])('$args goes to $goesTo, never the standard-terms approver', async ({ args, goesTo, routes }) => {
    const bed = testBed();
    const reply = await quoteText(bed, args);
    expect(reply.data).toMatchObject({ decision_status: 'escalated', escalated_to: routes });
    const shown = toText(reply);
    expect(shown).toMatch(new RegExp(`Goes to +${goesTo.replace(/[()+.]/g, '\\$&')}\n`));
    expect(shown).not.toMatch(/^Approver /m);
    expect(shown).not.toContain('standard terms only');
    // The ledger keeps the routes: a retry (or any later read) shows the same.
    expect(bed.db.prepare('SELECT escalated_to FROM quotes').get()).toEqual({ escalated_to: JSON.stringify(routes) });
  });

  it('a quote within policy still names its discount approver', async () => {
    const shown = toText(await quoteText(testBed(), 'sonnet medium mid_market 100000 100000 discount=15'));
    expect(shown).toMatch(/^Approver +sales_manager \(multi-quarter commitment required\)$/m);
  });
});

describe('/quote assign', () => {
  it('takes ownership of an escalated quote', async () => {
    const bed = testBed();
    await bed.run('/quote opus high startup 100000 50000 discount=60');
    const reply = await bed.run('/quote assign Q-00001');
    expect(reply.data).toEqual({ quote_id: 'Q-00001', owner: 'Alice', assigned: true });
  });

  it.each([
    { args: 'k2p5 medium smb 2000 800', id: 'Q-00001', code: 'conflict', message: 'Q-00001 is approved: only escalated quotes are assigned an owner' },
    { args: 'sonnet medium mid_market 100000 100000 discount=15', id: 'Q-00001', code: 'conflict', message: 'Q-00001 is approved with conditions: only escalated quotes' },
    { args: 'k2p5 medium smb 2000 800', id: 'Q-00009', code: 'not_found', message: 'There is no quote `Q-00009`' },
  ])('refuses $id after "$args" ($code) and records no owner', async ({ args, id, code, message }) => {
    const bed = testBed();
    await bed.run(`/quote ${args}`);
    for (const reply of [
      await bed.run(`/quote assign ${id}`),
      ((r) => (r.kind === 'reply' ? r.reply : null))(await dispatchAction(bed.registry, 'quote.assign', id, bed.ctx())),
    ]) {
      expect(reply?.error?.code).toBe(code);
      expect(reply?.summary).toContain(message);
    }
    expect(bed.count('quote_owners')).toBe(0);
  });
});

describe('the "Record as strategic exception" button', () => {
  it.each([
    { args: 'opus high startup 100000 50000 discount=60', offered: true }, // guardrail failed
    { args: 'sonnet medium mid_market 100000 100000 discount=25', offered: false }, // escalated, guardrail passed
    { args: 'k2p5 medium smb 2000 800', offered: false }, // approved
  ])('is offered for "$args": $offered, and its action agrees', async ({ args, offered }) => {
    const bed = testBed();
    const reply = await bed.run(`/quote ${args}`);
    expect(toText(reply).includes('Record as strategic exception')).toBe(offered);
    const pressed = await dispatchAction(bed.registry, 'exceptions.from_quote', 'Q-00001', bed.ctx());
    expect(pressed.kind).toBe(offered ? 'form' : 'reply');
    if (pressed.kind === 'reply') expect(pressed.reply.error?.code).toBe('conflict');
  });
});
