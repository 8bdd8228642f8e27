import { z } from 'zod';
import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import { parseFields } from '../core/args.js';
import { UserError } from '../core/errors.js';
import { flag, instant, tokenCount, usdAmount, type InputSource } from '../core/input-types.js';
import type { Platform } from '../domain/actor.js';
import { signalsReached, type BudgetSignal } from '../domain/budget.js';
import { toMicros, usd } from '../domain/money.js';
import { holdUntil } from '../domain/slots.js';
import { internalCostMicros } from '../domain/usage-cost.js';
import type { Db } from '../store/open.js';
import { enqueue } from '../store/outbox.js';
import { getQuote } from '../store/quotes.js';
import { claimBudgetSignal, insertUsage, type UsageEvent } from '../store/usage.js';
import { budgetSignalReply, signalDestinations } from './signal-messages.js';
import { addQuarterSpend, quarterStart } from '../store/usage-totals.js';
import { budgetNow, forgetBaselines, today } from './snapshot.js';

const count = (description: string) => tokenCount(description, 1_000_000_000);

/** How far ahead of our clock an event's `at` may be: clocks drift, but a day ahead is a bug. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** One usage event as an orchestrator sends it. */
export const usageEventSchema = z.strictObject({
  task_id: z.string().trim().min(1).max(120).describe('the task,'),
  event_id: z.string().trim().min(1).max(120).optional().describe('a unique id when a task sends several events,'),
  model: z.string().trim().min(1).max(64).describe('the model used,'),
  input_tokens: count('input tokens,'),
  output_tokens: count('output tokens,'),
  cost_usd: usdAmount('the actual cost in USD (else priced from the rate card),', 100_000).optional(),
  essential: flag('whether the work is essential,').default(true),
  task_type: z.string().trim().min(1).max(64).optional().describe('the kind of task,'),
  quote_id: z.string().trim().min(1).max(40).optional().describe('the quote the task delivers,'),
  at: instant('when it ran (default now),').optional(),
});
export type UsageInput = z.input<typeof usageEventSchema>;

export interface BudgetEnv {
  db: Db;
  catalog: Catalog;
  config: AppConfig;
  platforms: readonly Platform[];
  now: Date;
}

/**
 * Checks and prices one event; throws a UserError naming the field. `source` is `json` for JSON
 * bodies and JSON Lines (numbers must be JSON numbers) and `text` for CSV cells and form fields.
 */
export function toUsageEvent(env: BudgetEnv, raw: unknown, source: InputSource): UsageEvent {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UserError('An event must be an object with task_id, model, input_tokens and output_tokens.');
  const e = parseFields(usageEventSchema, { values: raw as Record<string, unknown>, source });
  const rate = env.catalog.rateCard.models.get(e.model);
  if (e.cost_usd === undefined && !rate) {
    throw new UserError(`\`model\` ${e.model} is not on the rate card: add it to data/models.json, or send cost_usd.`, 'invalid_input', { field: 'model' });
  }
  const quote = e.quote_id === undefined ? null : getQuote(env.db, e.quote_id);
  if (e.quote_id !== undefined && !quote) {
    throw new UserError(`\`quote_id\` ${e.quote_id} is not in the quote ledger.`, 'invalid_input', { field: 'quote_id' });
  }
  const at = e.at ? new Date(e.at) : env.now;
  if (at.getTime() > env.now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new UserError(
      `\`at\` ${e.at} is in the future (our clock says ${env.now.toISOString()}): send when the task ran, with its zone.`,
      'invalid_input',
      { field: 'at' },
    );
  }
  const costMicros = e.cost_usd !== undefined || !rate ? toMicros(usd(e.cost_usd ?? 0)) : internalCostMicros(rate, e.input_tokens, e.output_tokens);
  return {
    eventKey: e.event_id ? `event:${e.event_id}` : `task:${e.task_id}`,
    taskId: e.task_id,
    model: e.model,
    inputTokens: e.input_tokens,
    outputTokens: e.output_tokens,
    costMicros,
    costSource: e.cost_usd !== undefined ? 'reported' : 'rate_card',
    essential: e.essential,
    taskType: e.task_type ?? null,
    quoteSeq: quote?.seq ?? null,
    at,
  };
}

/**
 * Raises each budget signal the day has reached and not yet raised, through the outbox. Call it in
 * the transaction that changed spend or the budget, so the signal and its cause land together.
 */
export function raiseBudgetSignals(env: BudgetEnv): BudgetSignal[] {
  const { day, status } = budgetNow(env.db, env.config, env.now);
  const raised = signalsReached(status).filter((s) => claimBudgetSignal(env.db, day.date, s, env.now, toMicros(status.spent)));
  for (const signal of raised) {
    const notBefore = signal === 'critical' ? env.now : holdUntil(env.now, env.config.timezone);
    const payload = budgetSignalReply(signal, status, env.catalog.team);
    for (const platform of env.platforms) {
      for (const destination of signalDestinations(env.catalog.team, platform, signal)) {
        enqueue(env.db, { platform, kind: 'message', destination, payload, at: env.now, notBefore });
      }
    }
  }
  return raised;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  signals: BudgetSignal[];
}

/**
 * Records events that passed toUsageEvent, once each by key, and raises the day's signals. The
 * running quarter-hour totals are added to in the same transaction, so they can never disagree with
 * the events (a crash keeps both or neither); only newly recorded events count, never a resend.
 */
export function recordUsage(env: BudgetEnv, events: readonly UsageEvent[]): IngestResult {
  return env.db.transaction((): IngestResult => {
    let accepted = 0;
    let backdated = false;
    const day = today(env.now, env.config.timezone);
    const added = new Map<number, number>();
    const receivedAt = env.now.toISOString();
    for (const e of events) {
      if (!insertUsage(env.db, e, receivedAt)) continue;
      accepted += 1;
      backdated ||= e.at < day.from;
      const quarter = quarterStart(e.at);
      added.set(quarter, (added.get(quarter) ?? 0) + e.costMicros);
    }
    addQuarterSpend(env.db, added);
    if (backdated) forgetBaselines(env.db);
    return { accepted, duplicates: events.length - accepted, signals: raiseBudgetSignals(env) };
  }).immediate();
}
