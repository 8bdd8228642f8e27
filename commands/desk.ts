import { z } from 'zod';
import { defineCommand, defineSubcommand, type ActionResult, type CommandContext } from '../src/core/command.js';
import { ageAgainst, AUTHORITY_LABEL, formatAge } from '../src/domain/approval-authority.js';
import { formatLocalTime } from '../src/domain/calendar.js';
import { formatPct, formatUsd } from '../src/domain/money.js';
import { APPROVERS, type Approver } from '../src/domain/pricing-types.js';
import { actingPerson } from '../src/core/acting.js';
import { decideApproval, decisionReply, openRequest, requireDecider, type DecisionInput } from '../src/deal-desk/approval.js';
import { holdersOf, holdersText } from '../src/deal-desk/approval-view.js';
import { context, header, reply, table, text, type Reply } from '../src/reply/reply.js';
import { pendingApprovals } from '../src/store/approvals.js';
import { getQuote } from '../src/store/quotes.js';
import { formatQuoteId } from '../src/domain/quote-record.js';

const quoteId = z.string().trim().min(1).max(40).describe('the quote, e.g. Q-00012,');
const note = (what: string) => z.string().trim().min(1).max(1000).describe(what);

/** The desk's queue: every undecided request, the most urgent first, with its age against its response time. */
export function pendingList(ctx: CommandContext): Reply {
  const tz = ctx.config.timezone;
  const rows = pendingApprovals(ctx.db).flatMap((r) => {
    const quote = getQuote(ctx.db, formatQuoteId(r.quoteSeq));
    if (!quote) return [];
    const age = ageAgainst(r.requestedAt, r.respondBy, ctx.now);
    const who = holdersText(holdersOf(ctx.catalog.team, r.authority, quote, r.escalatedAt !== null), r.authority, false);
    return [{ r, quote, age, row: [quote.id, quote.account ?? '—', `${formatUsd(quote.price.finalPrice)} · ${formatPct(quote.price.grossMarginPct)}`, `${AUTHORITY_LABEL[r.authority]} (${who})`, `${formatAge(age.ageMinutes)} of ${r.responseHours}h${age.overdue ? ' ⚠ overdue' : ''}`, formatLocalTime(r.respondBy, tz)] }];
  });
  const overdue = rows.filter((x) => x.age.overdue).length;
  const summary = `Deal desk: ${rows.length} quote(s) waiting for approval${overdue ? `, ${overdue} past their response time` : ''}`;
  return {
    ...reply(summary, [
      header('Deal desk: waiting for approval'),
      rows.length ? table(['quote', 'account', 'price · margin', 'needs', 'age', 'answer by'], rows.map((x) => x.row)) : text('Nothing is waiting for approval.'),
      context('Decide with the buttons on each request, or `/desk approve|changes|decline Q-00012 note="..."`.'),
    ]),
    data: {
      pending: rows.map((x) => ({
        quote_id: x.quote.id,
        authority: x.r.authority,
        requested_at: x.r.requestedAt.toISOString(),
        respond_by: x.r.respondBy.toISOString(),
        age_minutes: x.age.ageMinutes,
        overdue: x.age.overdue,
        escalated: x.r.escalatedAt !== null,
      })),
    },
  };
}

function decide(ctx: CommandContext, ref: string, input: DecisionInput): Reply {
  const { quote, request } = decideApproval(ctx, ref, input);
  return decisionReply(quote, request, ctx.config.timezone);
}

const list = defineSubcommand({
  description: 'Quotes waiting for the deal desk, with their age against their response time.',
  examples: ['/desk', '/desk list'],
  input: () => z.strictObject({}),
  handler: (_input, ctx) => pendingList(ctx),
});

/**
 * A button that needs a note opens its form, but only for someone who may decide: a refusal
 * (their own quote, no authority, already decided) is answered at once, privately.
 */
function formFor(ctx: CommandContext, ref: string, subcommand: 'changes' | 'decline'): ActionResult {
  const { quote, request } = openRequest(ctx, ref);
  requireDecider(ctx, quote, request);
  const field = subcommand === 'changes' ? 'note' : 'reason';
  const message = `${subcommand === 'changes' ? 'Request changes on' : 'Decline'} ${quote.id}: \`/desk ${subcommand} ${quote.id} ${field}="..."\``;
  return { kind: 'form', command: 'desk', subcommand, values: { quote: quote.id }, reply: reply(message, [text(message)]) };
}

export default defineCommand({
  name: 'desk',
  description: 'The deal desk: quotes waiting for approval, and approve, request changes or decline.',
  examples: ['/desk', '/desk approve Q-00012 note="multi-quarter commitment signed"', '/desk changes Q-00012 note="bring the discount to 20%"', '/desk decline Q-00012 reason="below floor"'],
  input: list.input,
  handler: list.handler,
  subcommands: {
    list,
    approve: defineSubcommand({
      description: 'Approve a quote waiting for the desk (its approval authority only; never your own).',
      examples: ['/desk approve Q-00012 note="multi-quarter commitment signed"'],
      input: () => z.strictObject({ quote: quoteId, note: note('why, for the record,').optional() }),
      handler: (input, ctx) => decide(ctx, input.quote, { decision: 'approve', note: input.note ?? null }),
    }),
    changes: defineSubcommand({
      description: 'Send a quote back to its rep with what to change.',
      examples: ['/desk changes Q-00012 note="bring the discount to 20%"'],
      input: () => z.strictObject({ quote: quoteId, note: note('what the rep should change,') }),
      handler: (input, ctx) => decide(ctx, input.quote, { decision: 'request_changes', note: input.note }),
    }),
    decline: defineSubcommand({
      description: 'Decline a quote waiting for the desk, with the reason.',
      examples: ['/desk decline Q-00012 reason="below floor with no strategic case"'],
      aliases: { note: 'reason' },
      input: () => z.strictObject({ quote: quoteId, reason: note('why it is declined,') }),
      handler: (input, ctx) => decide(ctx, input.quote, { decision: 'decline', note: input.reason }),
    }),
  },
  actions: {
    approve: (value, ctx) => ({ kind: 'reply', reply: decide(ctx, value, { decision: 'approve', note: null }) }),
    changes: (value, ctx) => formFor(ctx, value, 'changes'),
    decline: (value, ctx) => formFor(ctx, value, 'decline'),
    /** Opens the /exceptions add form pre-filled; the approval completes when the exception is recorded with its plan (§39). */
    exception(value, ctx) {
      const { quote, request } = openRequest(ctx, value);
      requireDecider(ctx, quote, request);
      const me = actingPerson(ctx);
      const role = (APPROVERS as readonly string[]).includes(request.authority) ? (request.authority as Approver) : undefined;
      const values: Record<string, string> = {
        quote: quote.id,
        segment: quote.request.segment,
        ...(quote.account ? { account: quote.account } : {}),
        approved_by: me?.name ?? ctx.actor.name,
        ...(role ? { approved_by_role: role } : {}),
      };
      const typed = Object.entries(values).map(([k, v]) => `${k}="${v}"`).join(' ');
      const message = `Approve ${quote.id} as a strategic exception: record it with its recovery plan, \`/exceptions add ${typed} reason=... owner=... plan=... target_date=YYYY-MM-DD\`. The approval completes when the exception is recorded.`;
      return { kind: 'form', command: 'exceptions', subcommand: 'add', values, reply: reply(message, [text(message)]) };
    },
  },
});
