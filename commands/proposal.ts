import { z } from 'zod';
import { defineCommand, defineSubcommand, type CommandContext } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { choice, percent, tokenCount, wholeNumber, words } from '../src/core/input-types.js';
import { buildProposal } from '../src/deal-desk/proposal.js';
import { PROPOSAL_ALIASES, proposalInput } from '../src/deal-desk/proposal-input.js';
import { decideProposalReview, loadProposal, pendingReview } from '../src/deal-desk/proposal-review.js';
import { proposalCheck, proposalData, proposalReply } from '../src/deal-desk/proposal-view.js';
import { formatPct } from '../src/domain/money.js';
import { COMPLEXITIES, DELIVERY_TYPES, SEGMENTS } from '../src/domain/pricing-types.js';
import type { ProposalRecord } from '../src/store/proposals.js';
import { listProposals } from '../src/store/proposals.js';
import { reply, table, text, type Reply } from '../src/reply/reply.js';

const proposalId = words(20, 'the proposal, e.g. P-00001 or 1,');
const option = (what: string) => z.string().trim().min(1).max(300).optional().describe(what);

/** Playbook §55 access: a sales rep sees their own proposals; managers, admins and executives all. */
const seesAll = (ctx: CommandContext) => ctx.actor.role !== 'sales_rep';
const isOwn = (ctx: CommandContext, p: ProposalRecord) => p.platform === ctx.actor.platform && p.userId === ctx.actor.userId;

function show(ctx: CommandContext, id: string): Reply {
  const p = loadProposal(ctx, id);
  if (!seesAll(ctx) && !isOwn(ctx, p)) throw new UserError(`${p.id} is ${p.userName}'s proposal; a sales rep sees their own (playbook §55).`, 'forbidden');
  return proposalReply(p, ctx.catalog.team, ctx.config.timezone);
}

function list(ctx: CommandContext, filter: { account?: string; limit: number }): Reply {
  const mine = !seesAll(ctx);
  const proposals = listProposals(ctx.db, { ...filter, ...(mine ? { owner: { platform: ctx.actor.platform, userId: ctx.actor.userId } } : {}) });
  const whose = mine ? 'Your proposals' : 'Proposals';
  const summary = `${whose}: ${proposals.length}${filter.account ? ` for ${filter.account}` : ''}`;
  if (proposals.length === 0) return { ...reply(summary, [text(`${summary}. Build one with /proposal help.`)]), data: { proposals: [] } };
  const checked = proposals.map((p) => ({ p, check: proposalCheck(p) }));
  return {
    ...reply(summary, [
      text(`**${summary}** (newest first)`),
      table(
        ['proposal', 'account', 'options', 'compliant', 'avg margin', 'decision', 'exec review'],
        checked.map(({ p, check }) => [p.id, p.account, p.options.map((o) => o.tag).join(', '), `${check.compliant}/${check.options}`, formatPct(check.avgMarginPct), check.decision, p.execReview?.state ?? '—']),
      ),
    ]),
    data: { proposals: checked.map(({ p, check }) => proposalData(p, check)) },
  };
}

const decide = (decision: 'rework' | 'declined') => (input: { proposal: string; note?: string }, ctx: CommandContext) =>
  decideProposalReview(ctx, input.proposal, decision, input.note ?? null);

export default defineCommand({
  name: 'proposal',
  description: 'Build a proposal of 2 to 4 options (base, recommended, premium, stretch), each priced as a quote, and check it as a portfolio.',
  examples: [
    '/proposal account="Acme Corp" segment=smb model=sonnet input=20k output=5k base=low recommended=medium premium=high',
    '/proposal account=Initech segment=startup input=100k output=50k base=low recommended="medium discount=10" premium="high discount=25 owner=eli" stretch="high delivery=subscription"',
  ],
  aliases: PROPOSAL_ALIASES,
  input: ({ rateCard }) =>
    z.strictObject({
      account: words(120, 'the customer account,'),
      segment: choice(SEGMENTS, 'the customer segment,'),
      model: choice([...rateCard.models.keys()] as [string, ...string[]], 'model for every option,').default(rateCard.defaultModel),
      input: tokenCount('estimated input tokens for every option,').optional(),
      output: tokenCount('estimated output tokens for every option,').optional(),
      complexity: choice(COMPLEXITIES, 'complexity for every option,').optional(),
      delivery: choice(DELIVERY_TYPES, 'how every option is delivered,').default('task'),
      discount: percent('discount in percent for every option,').default(0),
      sla: choice(['standard', 'nonstandard'], 'SLA or liability terms,').default('standard'),
      scope_growth: percent('expected scope growth in percent,', 1000).default(0),
      scope: choice(['clear', 'unclear'], 'whether the scope is settled,').default('clear'),
      base: option('the base option: its complexity, then any of complexity, model, input, output, delivery, discount, sla, scope_growth, scope, owner of its own, e.g. low or "low discount=5",'),
      recommended: option('the recommended option, e.g. medium,'),
      premium: option('the premium option, e.g. high, or "high owner=eli" for a strategic exception,'),
      stretch: option('an optional stretch option, e.g. "high delivery=subscription",'),
    }),
  subcommands: {
    show: defineSubcommand({
      description: 'A proposal with its options, its checks, its decision and any executive review.',
      examples: ['/proposal show P-00001'],
      input: () => z.strictObject({ proposal: proposalId }),
      handler: (input, ctx) => show(ctx, input.proposal),
    }),
    list: defineSubcommand({
      description: 'Recent proposals, newest first (a sales rep sees their own).',
      examples: ['/proposal list', '/proposal list account="Acme Corp"'],
      input: () => z.strictObject({ account: words(120, 'only this account,').optional(), limit: wholeNumber('how many,').pipe(z.number().max(100)).default(20) }),
      handler: (input, ctx) => list(ctx, input),
    }),
    approve: defineSubcommand({
      description: 'Executives: approve a proposal under review with a strategic exception memo.',
      examples: ['/proposal approve P-00001 memo="Strategic logo; renewal repricing in Q3 recovers the margin"'],
      input: () => z.strictObject({ proposal: proposalId, memo: words(1000, 'the strategic exception memo: why, and how the margin is recovered,') }),
      handler: (input, ctx) => decideProposalReview(ctx, input.proposal, 'approved_with_memo', input.memo),
    }),
    rework: defineSubcommand({
      description: 'Executives: send a proposal under review back to rework and rerun.',
      examples: ['/proposal rework P-00001 note="drop the stretch option"'],
      input: () => z.strictObject({ proposal: proposalId, note: words(1000, 'what to change,').optional() }),
      handler: decide('rework'),
    }),
    decline: defineSubcommand({
      description: 'Executives: decline the opportunity for sustained margin risk.',
      examples: ['/proposal decline P-00001 note="margin below 40% on every option"'],
      input: () => z.strictObject({ proposal: proposalId, note: words(1000, 'why,').optional() }),
      handler: decide('declined'),
    }),
  },
  actions: {
    // The memo is required, so the button opens the approve form (Slack) or says what to type.
    approve(value, ctx) {
      // A non-executive, or a click after the decision, is refused before any form opens.
      const p = pendingReview(ctx, value);
      const message = `Write the strategic exception memo for ${p.id}: /proposal approve ${p.id} memo="..."`;
      return { kind: 'form', command: 'proposal', subcommand: 'approve', values: { proposal: p.id }, reply: reply(message, [text(message)]) };
    },
    rework: (value, ctx) => ({ kind: 'reply', reply: decideProposalReview(ctx, value, 'rework', null) }),
    decline: (value, ctx) => ({ kind: 'reply', reply: decideProposalReview(ctx, value, 'declined', null) }),
  },
  handler(input, ctx) {
    const { base, recommended, premium, stretch, ...shared } = input;
    const request = proposalInput(ctx.catalog, shared, { base, recommended, premium, stretch });
    const { proposal, created } = buildProposal(ctx, request);
    ctx.log.info({ proposal: proposal.id, options: proposal.options.length, created }, created ? 'proposal recorded' : 'proposal retry answered from the ledger');
    return proposalReply(proposal, ctx.catalog.team, ctx.config.timezone);
  },
});
