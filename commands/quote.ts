import { priceAndRecord } from '../src/deal-desk/price.js';
import { approvalLines } from '../src/deal-desk/approval.js';
import Big from 'big.js';
import { z } from 'zod';
import { defineCommand, defineSubcommand, type CommandContext } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { assignQuoteOwner, quoteOwner } from '../src/store/schedule-runs.js';
import { getQuote } from '../src/store/quotes.js';
import { quoteHistory } from '../src/store/quote-history.js';
import { moveByPerson, requireVisibleQuote } from '../src/deal-desk/life.js';
import { conditionsMetButton, historyData, lifeBlocks, stateBadge } from '../src/deal-desk/life-view.js';
import { LOSS_REASONS, possibleMoves, stateLabel, type QuoteEvent } from '../src/domain/quote-life.js';
import { formatLocalTime } from '../src/domain/calendar.js';
import { choice, percent, tokenCount } from '../src/core/input-types.js';
import { DEAL_DESK_ROUTE } from '../src/domain/decision.js';
import { formatMultiplier, formatPct, formatUsd } from '../src/domain/money.js';
import { COMPLEXITIES, DELIVERY_TYPES, SEGMENTS, type QuoteDecision, type QuoteRequest } from '../src/domain/pricing-types.js';
import type { QuoteRecord } from '../src/domain/quote-record.js';
import { actions, bullets, context, fields, header, reply, text, type Reply } from '../src/reply/reply.js';

const STATUS_LABEL = {
  approved: '✅ approved',
  approved_with_conditions: '🟡 approved with conditions',
  escalated: '🛑 escalated',
} as const;

const tokens = (n: number) => n.toLocaleString('en-US');
const signed = (n: { lt(v: number): boolean; abs(): { toFixed(dp: number): string } }) =>
  `${n.lt(0) ? '−' : '+'} ${n.abs().toFixed(1)}x`;

/** The API's JSON for a quote: money as numbers in USD. */
export function quoteData(q: QuoteRecord) {
  const { request: r, price: p, decision: d } = q;
  return {
    quote_id: q.id,
    created_at: q.createdAt.toISOString(),
    model: r.model,
    segment: r.segment,
    complexity: r.complexity,
    delivery_type: r.delivery,
    estimated_input: r.inputTokens,
    estimated_output: r.outputTokens,
    account: q.account,
    internal_cost: Number(p.internalCost.toFixed()),
    base_markup: Number(p.baseMarkup.toFixed()),
    segment_adjustment: Number(p.segmentAdjustment.toFixed()),
    final_markup: Number(p.finalMarkup.toFixed()),
    floor_applied: p.floorApplied,
    recommended_price: Number(p.recommendedPrice.toFixed(2)),
    discount_pct: Number(p.discountPct.toFixed()),
    final_price: Number(p.finalPrice.toFixed(2)),
    gross_margin_pct: Number(p.grossMarginPct.toFixed(2)),
    margin_threshold_pct: Number(p.marginThresholdPct.toFixed()),
    guardrail: p.guardrail,
    decision_status: d.status,
    reasons: d.reasons,
    conditions: d.conditions,
    approver: d.approver,
    guardrail_route: d.guardrailRoute,
    escalated_to: d.escalatedTo,
    policy_version: q.policyVersion,
  };
}

/**
 * Who decides: the discount band's approver for a quote within policy; for an escalated quote,
 * the routes its reasons name (a Deal Desk reason is never shown beside "account_executive").
 */
function deciderField(d: QuoteDecision) {
  const withCondition = (who: string) => `${who}${d.approverCondition ? ` (${d.approverCondition.toLowerCase()})` : ''}`;
  if (d.status !== 'escalated') return { label: 'Approver', value: withCondition(d.approver) };
  const routes = d.escalatedTo.length ? d.escalatedTo : [d.guardrailRoute ?? DEAL_DESK_ROUTE];
  return { label: 'Goes to', value: routes.map((r) => (r === d.approver ? withCondition(r) : r)).join(' · ') };
}

export function quoteReply(q: QuoteRecord, timezone: string): Reply {
  const { request: r, price: p, decision: d } = q;
  const priceText = p.discountPct.gt(0)
    ? `${formatUsd(p.finalPrice)} after ${p.discountPct.toFixed()}% off ${formatUsd(p.recommendedPrice)}`
    : formatUsd(p.finalPrice);
  const asked = formatLocalTime(q.createdAt, timezone);
  const summary = `Quote ${q.id}: ${formatUsd(p.finalPrice)}, margin ${formatPct(p.grossMarginPct)}, ${d.status.replace(/_/g, ' ')}`;
  const r2 = reply(summary, [
    header(`Quote ${q.id}: ${STATUS_LABEL[d.status]}`),
    fields(
      // A floored quote's price is the floor it was priced under, whatever the policy says today.
      { label: 'Price', value: `${priceText}${p.floorApplied ? ` (the ${formatUsd(p.finalPrice)} floor applies)` : ''}` },
      { label: 'Gross margin', value: `${formatPct(p.grossMarginPct)} (${r.delivery} guardrail ${p.marginThresholdPct.toFixed()}%: ${p.guardrail})` },
      { label: 'Internal cost', value: `${formatUsd(p.internalCost)} (${r.model}, ${tokens(r.inputTokens)} in / ${tokens(r.outputTokens)} out)` },
      {
        label: 'Markup',
        value: `${formatMultiplier(p.baseMarkup)} ${r.complexity} ${signed(p.segmentAdjustment)} ${r.segment} = ${formatMultiplier(p.finalMarkup)}`,
      },
      deciderField(d),
      { label: 'Account', value: q.account ?? '—' },
    ),
    text(`**Why**\n${bullets(d.reasons)}`),
    context(`Policy ${q.policyVersion} · asked by ${q.userName} on ${q.platform} · ${asked}`),
    ...(q.state === 'approved_with_conditions' ? [actions(conditionsMetButton(q))] : []),
    // Only a quote below its guardrail can become a strategic exception (/exceptions add checks it too).
    ...(p.guardrail === 'fail'
      ? [actions({ action: 'exceptions.from_quote', label: 'Record as strategic exception', value: q.id, typed: `/exceptions add quote=${q.id}` })]
      : []),
  ]);
  return { ...r2, data: quoteData(q) };
}

/** Playbook §36: every escalated quote gets an owner; the morning triage's button assigns the presser. */
function assignToMe(ctx: CommandContext, id: string): Reply {
  const quote = getQuote(ctx.db, id);
  if (!quote) throw new UserError(`There is no quote \`${id}\`.`, 'not_found');
  if (quote.decision.status !== 'escalated') {
    throw new UserError(`${quote.id} is ${quote.decision.status.replace(/_/g, ' ')}: only escalated quotes are assigned an owner (playbook §36).`, 'conflict');
  }
  const assigned = assignQuoteOwner(ctx.db, quote.seq, { id: ctx.actor.userId, name: ctx.actor.name }, ctx.actor.userId, ctx.now);
  const owner = quoteOwner(ctx.db, quote.seq);
  const message = assigned ? `${quote.id} is yours, ${ctx.actor.name}: action by end of day.` : `${quote.id} is already owned by ${owner?.name ?? 'someone'}.`;
  return { ...reply(message, [text(message)]), data: { quote_id: quote.id, owner: owner?.name ?? null, assigned } };
}

const quoteId = z.string().trim().min(1).max(40).describe('the quote id, e.g. Q-00012 or 12,');
const note = z.string().trim().min(1).max(1000).optional().describe('a note for the history,');
/** yes/no as typed, true/false from JSON: a conditional quote is sent only with a clear yes. */
const yesNo = (description: string) =>
  z
    .preprocess((v) => {
      if (typeof v !== 'string') return v;
      const s = v.trim().toLowerCase();
      return s === 'yes' || s === 'true' ? true : s === 'no' || s === 'false' ? false : v;
    }, z.boolean())
    .describe(description);

/** `/quote show`: the quote as priced, then its life: state, every move, and the next steps. */
function showQuote(ctx: CommandContext, q: QuoteRecord, headline?: string): Reply {
  const history = quoteHistory(ctx.db, q.seq);
  const priced = quoteReply(q, ctx.config.timezone);
  const lines = headline ? [text(headline)] : [];
  return {
    ...priced,
    summary: headline ?? `${priced.summary} · now ${stateLabel(q.state)}`,
    // The header says where the quote is now; the pricing decision stays in its fields and history.
    blocks: [
      ...lines,
      ...priced.blocks.map((b) => (b.type === 'header' ? header(`Quote ${q.id}: ${stateBadge(q.state)}`) : b)),
      ...lifeBlocks(q, history, ctx.config.timezone),
    ],
    data: { ...quoteData(q), state: q.state, state_changed_at: q.stateChangedAt.toISOString(), possible_moves: possibleMoves(q.state), history: history.map(historyData) },
  };
}

function move(ctx: CommandContext, id: string, event: QuoteEvent, extra: { note?: string; detail?: Record<string, unknown> }, say: (q: QuoteRecord) => string): Reply {
  const { quote } = moveByPerson(ctx, id, event, extra);
  return showQuote(ctx, quote, say(quote));
}

/** Sending a conditional approval records the conditions it was confirmed against. */
function send(ctx: CommandContext, id: string, confirmed: boolean, via: 'typed' | 'button', extra: { note?: string } = {}): Reply {
  const conditions = getQuote(ctx.db, id)?.decision.conditions ?? [];
  const detail = confirmed && conditions.length ? { conditions, confirmed_via: via } : {};
  return move(ctx, id, { kind: 'send', conditionsConfirmed: confirmed }, { ...extra, detail }, (q) => `📤 ${q.id} marked sent by ${ctx.actor.name}${detail.conditions ? ', its conditions confirmed met' : ''}.`);
}

export default defineCommand({
  name: 'quote',
  description: 'Price a piece of work from the rate card and the pricing policy, and record the decision.',
  examples: [
    '/quote model=k2p5 complexity=medium segment=smb input=2000 output=800',
    '/quote model=sonnet complexity=high segment=enterprise input=120k output=40k delivery=subscription discount=15 account="Acme Corp"',
  ],
  aliases: {
    estimated_input: 'input',
    estimated_output: 'output',
    delivery_type: 'delivery',
    discount_pct: 'discount',
    scope_growth_pct: 'scope_growth',
  },
  input: ({ rateCard }) =>
    z.strictObject({
      model: choice([...rateCard.models.keys()] as [string, ...string[]], 'model from the rate card,').default(
        rateCard.defaultModel,
      ),
      complexity: choice(COMPLEXITIES, 'the work’s complexity,'),
      segment: choice(SEGMENTS, 'the customer segment,'),
      input: tokenCount('estimated input tokens,'),
      output: tokenCount('estimated output tokens,'),
      delivery: choice(DELIVERY_TYPES, 'how it is delivered,').default('task'),
      discount: percent('discount in percent,').default(0),
      account: z.string().trim().min(1).max(120).optional().describe('the customer account,'),
      sla: choice(['standard', 'nonstandard'], 'SLA or liability terms,').default('standard'),
      scope_growth: percent('expected scope growth in percent,', 1000).default(0),
      scope: choice(['clear', 'unclear'], 'whether the scope is settled,').default('clear'),
    }),
  subcommands: {
    assign: defineSubcommand({
      description: 'Take ownership of an escalated quote (the triage’s Assign button); other quotes are refused.',
      examples: ['/quote assign Q-00012'],
      input: () => z.strictObject({ quote: z.string().trim().min(1).max(40).describe('the quote id,') }),
      handler: (input, ctx) => assignToMe(ctx, input.quote),
    }),
    show: defineSubcommand({
      description: 'One quote with its whole life: every move, who made it, in which role, when, and the note.',
      examples: ['/quote show Q-00012'],
      input: () => z.strictObject({ id: quoteId }),
      handler: (input, ctx) => showQuote(ctx, requireVisibleQuote(ctx, input.id)),
    }),
    send: defineSubcommand({
      description: 'Mark an approved quote sent to the customer; a conditional approval needs confirm=yes (its conditions are met).',
      examples: ['/quote send Q-00012', '/quote send Q-00012 confirm=yes'],
      input: () => z.strictObject({ id: quoteId, confirm: yesNo('yes when the approval’s conditions are met,').default(false), note }),
      handler: (input, ctx) => send(ctx, input.id, input.confirm, 'typed', { note: input.note }),
    }),
    won: defineSubcommand({
      description: 'The customer signed a sent quote.',
      examples: ['/quote won Q-00012'],
      input: () => z.strictObject({ id: quoteId, note }),
      handler: (input, ctx) => move(ctx, input.id, { kind: 'win' }, { note: input.note }, (q) => `🏆 ${q.id} won, recorded by ${ctx.actor.name}.`),
    }),
    lost: defineSubcommand({
      description: 'The customer said no to a sent quote: why, and to whom when it was a competitor.',
      examples: ['/quote lost Q-00012 reason=competitor competitor="Globex"', '/quote lost Q-00012 reason=timing note="budget frozen until Q2"'],
      input: () =>
        z.strictObject({
          id: quoteId,
          reason: choice(LOSS_REASONS, 'why it was lost,'),
          competitor: z.string().trim().min(1).max(120).optional().describe('the competitor who won it (needed when reason=competitor),'),
          note,
        }),
      handler: (input, ctx) =>
        move(ctx, input.id, { kind: 'lose', reason: input.reason, ...(input.competitor ? { competitor: input.competitor } : {}) }, { note: input.note }, (q) =>
          `🪦 ${q.id} lost (${input.reason.replace(/_/g, ' ')}${input.competitor ? `: ${input.competitor}` : ''}), recorded by ${ctx.actor.name}.`),
    }),
  },
  actions: {
    assign: (value, ctx) => ({ kind: 'reply', reply: assignToMe(ctx, value) }),
    send: (value, ctx) => ({ kind: 'reply', reply: send(ctx, value, false, 'button') }),
    // The button is the confirmation: pressing it says the approval's conditions are met.
    conditions_met: (value, ctx) => ({ kind: 'reply', reply: send(ctx, value, true, 'button') }),
    won: (value, ctx) => ({ kind: 'reply', reply: move(ctx, value, { kind: 'win' }, {}, (q) => `🏆 ${q.id} won, recorded by ${ctx.actor.name}.`) }),
    lost(value, ctx) {
      // A loss needs its reason: open the form, checking first that the presser may move the quote.
      const q = requireVisibleQuote(ctx, value);
      const message = `Why was ${q.id} lost? \`/quote lost ${q.id} reason=${LOSS_REASONS.join('|')} [competitor="..."] [note="..."]\``;
      return { kind: 'form', command: 'quote', subcommand: 'lost', values: { id: q.id }, reply: reply(message, [text(message)]) };
    },
  },
  handler(input, ctx) {
    const request: QuoteRequest = {
      model: input.model,
      complexity: input.complexity,
      segment: input.segment,
      inputTokens: input.input,
      outputTokens: input.output,
      delivery: input.delivery,
      discountPct: new Big(input.discount),
      nonStandardTerms: input.sla === 'nonstandard',
      scopeGrowthPct: new Big(input.scope_growth),
      scopeUnclear: input.scope === 'unclear',
    };
    const { quote, created } = priceAndRecord(ctx, request, { account: input.account ?? null, idempotencyKey: ctx.idempotencyKey });
    ctx.log.info({ quote: quote.id, decision: quote.decision.status, created }, created ? 'quote recorded' : 'quote retry answered from the ledger');
    const answer = quoteReply(quote, ctx.config.timezone);
    // An escalated quote went to the desk with its approval request: say who decides and by when.
    return { ...answer, blocks: [...answer.blocks, ...approvalLines(ctx, quote)] };
  },
});
