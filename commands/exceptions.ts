import { z } from 'zod';
import { acknowledge } from '../src/alerts/acknowledge.js';
import { evaluateRisk } from '../src/alerts/engine.js';
import { alertEnv } from '../src/alerts/env.js';
import { exceptionListReply, exceptionReply, registryRiskOf, registrySummary, riskData } from '../src/alerts/exception-view.js';
import { actingPerson } from '../src/core/acting.js';
import { defineCommand, defineSubcommand, type CommandContext } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { calendarDate, choice, instant, isCalendarDate } from '../src/core/input-types.js';
import { localDate } from '../src/domain/calendar.js';
import { alertLine } from '../src/domain/exception-risk.js';
import { APPROVERS, SEGMENTS } from '../src/domain/pricing-types.js';
import { parseQuoteId, type QuoteRecord } from '../src/domain/quote-record.js';
import { formatPct } from '../src/domain/money.js';
import { resolvePerson } from '../src/domain/team.js';
import { decideApproval, mayDecide, pendingRequestOf } from '../src/deal-desk/approval.js';
import { closeRefusal, formatExceptionId, parseAlertRef } from '../src/domain/exception-record.js';
import { reply, text } from '../src/reply/reply.js';
import { alertsForScope, exceptionScope } from '../src/store/alerts.js';
import { addProgress, closeException, getException, insertException, listOpenExceptions } from '../src/store/exceptions.js';
import { getQuote } from '../src/store/quotes.js';

const words = (max: number, what: string) => z.string().trim().min(1).max(max).describe(what);
const exceptionId = words(20, 'the exception, e.g. EX-00003 or 3,');

function requireException(ctx: CommandContext, id: string) {
  const alert = parseAlertRef(id);
  if (alert.kind === 'alert') {
    throw new UserError(`\`${id}\` is alert #${alert.id}; exceptions are named EX-00001 (or 1). \`/exceptions ack #${alert.id}\` acknowledges the alert.`, 'invalid_input', { field: 'id' });
  }
  const e = getException(ctx.db, id);
  if (!e) throw new UserError(`There is no exception \`${id}\`. \`/exceptions\` lists the open ones.`, 'not_found');
  return e;
}

/** Writes and re-evaluates risk in one transaction, so a change and the alerts it causes land together. */
function changeAndEvaluate<T>(ctx: CommandContext, change: () => T): T {
  const result = ctx.db.transaction(() => {
    const r = change();
    evaluateRisk(alertEnv(ctx));
    return r;
  }).immediate();
  ctx.notify?.();
  return result;
}

/** The schema has checked the form (a real date, or ISO 8601 with a zone); a bare date means its noon UTC. */
function parseApprovedAt(value: string | undefined, now: Date): Date {
  if (!value) return now;
  const at = new Date(isCalendarDate(value) ? `${value}T12:00:00Z` : value);
  if (at > now) throw new UserError('`approved_at` cannot be in the future.', 'invalid_input', { field: 'approved_at' });
  return at;
}

/**
 * The quote an exception is about. A ledger id (Q-00012 or 12) must name a quote whose guardrail
 * failed: a quote within its guardrail is no exception. Any other reference is a CRM quote,
 * accepted so that exceptions approved before the bot can be imported.
 */
function exceptionQuote(ctx: CommandContext, ref: string): QuoteRecord | null {
  if (parseQuoteId(ref) === null) return null;
  const quote = getQuote(ctx.db, ref);
  if (!quote) throw new UserError(`There is no quote \`${ref}\` in the ledger. Give the id \`/quote\` answered with, or your CRM’s reference for an older quote.`, 'not_found', { field: 'quote' });
  const p = quote.price;
  if (p.guardrail === 'pass') {
    throw new UserError(
      `${quote.id} passed its ${p.marginThresholdPct.toFixed()}% ${quote.request.delivery} guardrail (margin ${formatPct(p.grossMarginPct)}): only a quote below its guardrail can be a strategic exception.`,
      'conflict',
      { field: 'quote' },
    );
  }
  return quote;
}

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The ledger's value wins; a different one typed in is refused rather than silently kept or dropped. */
function agreeWithLedger<T extends string>(field: string, given: T | undefined, ledger: T | undefined, quoteId: string | undefined): T | undefined {
  if (given !== undefined && ledger !== undefined && !sameText(given, ledger)) {
    throw new UserError(`\`${field}\` is \`${given.slice(0, 120)}\` but ${quoteId ?? 'the quote'} in the ledger says \`${ledger}\`. Leave \`${field}\` out to use the ledger’s.`, 'conflict', { field });
  }
  return ledger ?? given;
}

const add = defineSubcommand({
  description: 'Record a strategic exception: a quote approved below its guardrail, with a plan to recover the margin.',
  examples: [
    '/exceptions add quote=Q-00012 reason="strategic logo" approved_by="Eli Brooks" approved_by_role=executive owner=sam plan="upsell to subscription in Q1" target_date=2027-01-31',
  ],
  aliases: { quote_id: 'quote', recovery_plan: 'plan', target_recovery_date: 'target_date', approver: 'approved_by' },
  input: () =>
    z.strictObject({
      quote: words(40, 'a /quote id that failed its guardrail, or a CRM reference to import an older exception,'),
      reason: words(300, 'why the exception is worth it (strategic logo, expansion path, ...),'),
      approved_by: words(80, 'who approved it,'),
      approved_by_role: choice(APPROVERS, 'their role,'),
      owner: words(80, 'who executes the recovery: a person in data/team.json, by id or name,'),
      plan: z.string().trim().max(1000).optional().describe('the recovery plan (upsell date, scope reduction, renewal repricing),'),
      target_date: calendarDate('the target recovery date,').optional(),
      account: words(120, 'the account (taken from the quote when it is in the ledger; a different one is refused),').optional(),
      segment: choice(SEGMENTS, 'the segment (taken from the quote when it is in the ledger; a different one is refused),').optional(),
      approved_at: instant('when it was approved, for importing older exceptions (default now),', { allowDate: true }).optional(),
    }),
  handler(input, ctx) {
    const quote = exceptionQuote(ctx, input.quote);
    const account = agreeWithLedger('account', input.account, quote?.account ?? undefined, quote?.id);
    const segment = agreeWithLedger('segment', input.segment, quote?.request.segment, quote?.id);
    const owner = resolvePerson(ctx.catalog.team, input.owner);
    if (!owner) {
      const people = ctx.catalog.team.people.map((p) => `${p.id} (${p.name})`).join(', ');
      throw new UserError(`\`owner\` must be a person in data/team.json; \`${input.owner.slice(0, 80)}\` is not. Name one of: ${people || 'nobody is listed yet'}.`, 'invalid_input', { field: 'owner', allowed: people });
    }
    if (!account) throw new UserError('`account` is missing: name the customer account.', 'invalid_input', { field: 'account' });
    if (!segment) throw new UserError(`\`segment\` is missing: give one of ${SEGMENTS.join(', ')}.`, 'invalid_input', { field: 'segment' });
    const approvedAt = parseApprovedAt(input.approved_at, ctx.now);
    const plan = input.plan?.trim() ? input.plan.trim() : null;
    if (plan && !input.target_date) throw new UserError('`target_date` is missing: when should the margin be recovered (YYYY-MM-DD)?', 'invalid_input', { field: 'target_date' });
    if (input.target_date && input.target_date < localDate(approvedAt, ctx.config.timezone)) {
      throw new UserError('`target_date` is before the approval date.', 'invalid_input', { field: 'target_date' });
    }
    const rejectionReason = plan ? null : 'No recovery plan: the playbook (§39) auto-rejects an exception without one.';
    // A quote waiting for the desk is approved as an exception by recording it with its plan (§39),
    // when the person recording it holds the request's authority: both land in one transaction.
    const pending = quote && plan ? pendingRequestOf(ctx.db, quote) : null;
    const completes = quote && pending ? mayDecide(ctx, quote, pending) : false;
    const { exception, created } = changeAndEvaluate(ctx, () => {
      const recorded = insertException(ctx.db, {
        status: plan ? 'open' : 'rejected',
        quoteRef: quote?.id ?? input.quote,
        account,
        segment,
        reason: input.reason,
        approvedByName: input.approved_by,
        approvedByRole: input.approved_by_role,
        owner: owner.id,
        recoveryPlan: plan,
        targetDate: input.target_date ?? null,
        approvedAt,
        rejectionReason,
        createdAt: ctx.now,
        createdBy: { platform: ctx.actor.platform, userId: ctx.actor.userId, name: ctx.actor.name },
        idempotencyKey: ctx.idempotencyKey ?? null,
      });
      if (completes && quote && recorded.created && recorded.exception.status === 'open') {
        decideApproval(ctx, quote.id, { decision: 'approve_as_exception', note: input.reason, exception: { seq: recorded.exception.seq, id: recorded.exception.id } });
      }
      return recorded;
    });
    ctx.log.info({ exception: exception.id, status: exception.status, created }, 'exception recorded');
    const approval = !quote || !pending ? '' : completes ? ` ${quote.id} is approved as a strategic exception; the rep who asked is told.` : ` ${quote.id} still waits for the desk's approval.`;
    const headline = exception.status === 'rejected'
      ? `❌ ${exception.id} was recorded as **rejected**: it has no recovery plan. Add one with \`plan="..."\` and \`target_date=YYYY-MM-DD\` and record it again.`
      : `✅ ${exception.id} recorded for ${exception.account}. Its owner is ${owner.name}.${approval}`;
    return exceptionReply(exception, alertsForScope(ctx.db, exceptionScope(exception.seq)), ctx.now, ctx.config.timezone, headline);
  },
});

const list = defineSubcommand({
  description: 'Open exceptions, oldest first, with age, aging band, owner, target date and last progress.',
  examples: ['/exceptions', '/exceptions list'],
  input: () => z.strictObject({}),
  handler: (_input, ctx) => exceptionListReply(listOpenExceptions(ctx.db), ctx.now, ctx.config.timezone),
});

export default defineCommand({
  name: 'exceptions',
  description: 'The strategic exception registry: list, add, show, progress, close, risk and ack.',
  examples: ['/exceptions', '/exceptions add', '/exceptions show EX-00001', '/exceptions progress EX-00001 note="upsell call booked"'],
  input: list.input,
  handler: list.handler,
  subcommands: {
    list,
    add,
    show: defineSubcommand({
      description: 'One exception with its progress notes and alerts.',
      examples: ['/exceptions show EX-00001'],
      input: () => z.strictObject({ id: exceptionId }),
      handler(input, ctx) {
        const e = requireException(ctx, input.id);
        return exceptionReply(e, alertsForScope(ctx.db, exceptionScope(e.seq)), ctx.now, ctx.config.timezone);
      },
    }),
    progress: defineSubcommand({
      description: 'Log measurable recovery progress on an open exception.',
      examples: ['/exceptions progress EX-00001 note="customer agreed to phased delivery"'],
      input: () => z.strictObject({ id: exceptionId, note: words(1000, 'what moved,') }),
      handler(input, ctx) {
        const e = requireException(ctx, input.id);
        if (e.status !== 'open') throw new UserError(`${e.id} is ${e.status}; progress goes on open exceptions.`, 'conflict');
        changeAndEvaluate(ctx, () => addProgress(ctx.db, e.seq, { at: ctx.now, text: input.note, userId: ctx.actor.userId, userName: ctx.actor.name }));
        const updated = requireException(ctx, input.id);
        return exceptionReply(updated, alertsForScope(ctx.db, exceptionScope(e.seq)), ctx.now, ctx.config.timezone, `📝 Progress logged on ${e.id}.`);
      },
    }),
    close: defineSubcommand({
      description: 'Close an exception: recovered (needs a progress note; owner or manager) or retired (managers).',
      examples: ['/exceptions close EX-00001 outcome=recovered'],
      input: () => z.strictObject({ id: exceptionId, outcome: choice(['recovered', 'retired'], 'how it ended,') }),
      handler(input, ctx) {
        const e = requireException(ctx, input.id);
        const team = ctx.catalog.team;
        const me = actingPerson(ctx);
        const owner = resolvePerson(team, e.owner);
        const refusal = closeRefusal(e, input.outcome, { role: me?.role ?? ctx.actor.role, isOwner: Boolean(me && owner && me.id === owner.id) }, owner?.name ?? e.owner);
        if (refusal) throw new UserError(refusal.message, refusal.kind === 'forbidden' ? 'forbidden' : 'conflict');
        const closed = changeAndEvaluate(ctx, () => closeException(ctx.db, e.seq, input.outcome, ctx.now));
        if (!closed) throw new UserError(`${e.id} is already ${e.status}.`, 'conflict');
        const updated = requireException(ctx, input.id);
        return exceptionReply(updated, alertsForScope(ctx.db, exceptionScope(e.seq)), ctx.now, ctx.config.timezone, `🏁 ${e.id} closed as ${input.outcome}.`);
      },
    }),
    risk: defineSubcommand({
      description: 'The registry’s risk level and next action (playbook §43).',
      examples: ['/exceptions risk'],
      input: () => z.strictObject({}),
      handler(_input, ctx) {
        const risk = registryRiskOf(listOpenExceptions(ctx.db), ctx.now, ctx.config.timezone);
        const summary = registrySummary(risk);
        const line = alertLine(risk.level, summary, risk.recommendedAction);
        return { ...reply(line, [text(`**${line}**`)]), data: riskData(risk, summary) };
      },
    }),
    ack: defineSubcommand({
      description: 'Acknowledge an alert, as its button does (revenue managers and executives).',
      examples: ['/exceptions ack #12'],
      input: () => z.strictObject({ alert: words(20, 'the alert as its post names it, e.g. #12 (a bare number is an exception’s),') }),
      handler(input, ctx) {
        const ref = parseAlertRef(input.alert);
        if (ref.kind === 'alert') return acknowledge(ctx, ref.id);
        const hint = ref.kind === 'bare'
          ? `\`${ref.id}\` alone names exception ${formatExceptionId(ref.id)}; alerts are typed as their posts show them: \`/exceptions ack #${ref.id}\`.`
          : `\`${input.alert.slice(0, 20)}\` is not an alert: type it as its post shows it, e.g. \`/exceptions ack #12\`.`;
        throw new UserError(hint, 'invalid_input', { field: 'alert', allowed: '#N' });
      },
    }),
  },
  actions: {
    ack: (value, ctx) => ({ kind: 'reply', reply: acknowledge(ctx, Number(value)) }),
    from_quote(value, ctx) {
      const quote = exceptionQuote(ctx, value);
      if (!quote) throw new UserError(`There is no quote ${value.slice(0, 40)}.`, 'not_found');
      const values: Record<string, string> = { quote: quote.id, segment: quote.request.segment, ...(quote.account ? { account: quote.account } : {}) };
      const typed = Object.entries(values).map(([k, v]) => `${k}="${v}"`).join(' ');
      const message = `Record ${quote.id} as a strategic exception: \`/exceptions add ${typed} reason=... approved_by=... approved_by_role=... owner=... plan=... target_date=YYYY-MM-DD\``;
      return { kind: 'form', command: 'exceptions', subcommand: 'add', values, reply: reply(message, [text(message)]) };
    },
  },
});
