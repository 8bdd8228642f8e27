import { z } from 'zod';
import { budgetReply, flagData, flagText } from '../src/budget/budget-view.js';
import { raiseBudgetSignals } from '../src/budget/ingest.js';
import { budgetNow, budgetReport, type BudgetReport } from '../src/budget/snapshot.js';
import type { BudgetStatus } from '../src/domain/budget.js';
import { defineCommand, defineSubcommand, type CommandContext } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';
import { usdAmount } from '../src/core/input-types.js';
import { dayRange, localDate } from '../src/domain/calendar.js';
import { isNight } from '../src/domain/slots.js';
import { formatUsd, fromMicros, toMicros, usd } from '../src/domain/money.js';
import { context, header, reply, table, text } from '../src/reply/reply.js';
import { countQuotesSince } from '../src/store/quotes.js';
import { commandFailures, setBudget, spendByHourIndex, spendMicros } from '../src/store/usage.js';

const money = (v: { toFixed(dp: number): string }) => Number(v.toFixed(6));
const QUOTE_ERROR_RATE_PCT = 5;

/** The status as the orchestrator reads it; pass the status when the caller already has it. */
function statusData(ctx: CommandContext, status: BudgetStatus = budgetNow(ctx.db, ctx.config, ctx.now).status) {
  return {
    budget_utilization_pct: Number(status.utilizationPct.toFixed(2)),
    budget_alert_level: status.level,
    pause_non_essential: status.pauseNonEssential,
    model_policy: status.modelPolicy,
    daily_cost: money(status.spent),
    daily_budget: money(status.budget),
    // Playbook §31: other systems pause risky changes overnight.
    night_mode: isNight(ctx.now, ctx.config.timezone),
  };
}

const byModelData = (r: BudgetReport) =>
  r.byModel.map((m) => ({ model: m.model, cost: money(m.spend), tasks: m.tasks, avg_cost_per_task: money(m.avgPerTask) }));

const today = defineSubcommand({
  description: 'Today’s AI spend against the daily budget, per model and per task, with flags.',
  examples: ['/budget'],
  input: () => z.strictObject({}),
  handler(_input, ctx) {
    const r = budgetReport(ctx.db, ctx.config, ctx.now);
    return {
      ...budgetReply(r, spendByHourIndex(ctx.db, { from: r.day.from, to: r.day.to })),
      data: {
        date: r.day.date,
        ...statusData(ctx, r.status),
        projected_daily_cost: money(r.projected),
        tasks_completed: r.tasksCompleted,
        avg_cost_per_task: money(r.avgCostPerTask),
        by_model: byModelData(r),
        flags: r.flags.map(flagData),
      },
    };
  },
});

export default defineCommand({
  name: 'budget',
  description: 'AI spend against the daily budget: today, the week, the pause signal, and who set the budget.',
  examples: ['/budget', '/budget week', '/budget set 40'],
  input: today.input,
  handler: today.handler,
  subcommands: {
    today,
    week: defineSubcommand({
      description: 'The last seven days of spend against each day’s budget.',
      examples: ['/budget week'],
      input: () => z.strictObject({}),
      handler(_input, ctx) {
        const { day, status } = budgetNow(ctx.db, ctx.config, ctx.now);
        const days = Array.from({ length: 7 }, (_, i) => {
          // Noon of each earlier day names it safely across daylight-saving changes.
          const date = localDate(new Date(day.from.getTime() + 12 * 3_600_000 - (6 - i) * 86_400_000), ctx.config.timezone);
          const range = dayRange(date, ctx.config.timezone);
          const spent = range ? fromMicros(spendMicros(ctx.db, range)) : usd(0);
          return { date, spent, pct: status.budget.gt(0) ? spent.times(100).div(status.budget).round(1) : usd(0) };
        });
        const total = days.reduce((sum, d) => sum.plus(d.spent), usd(0));
        return {
          ...reply(`Seven days of AI spend: ${formatUsd(total)}`, [
            header('AI spend, last seven days'),
            table(['date', 'spent', '% of budget'], days.map((d) => [d.date, formatUsd(d.spent), `${d.pct.toFixed(1)}%`])),
            context(`Total ${formatUsd(total)} · today's budget ${formatUsd(status.budget)}`),
          ]),
          data: { days: days.map((d) => ({ date: d.date, cost: money(d.spent) })), total: money(total) },
        };
      },
    }),
    set: defineSubcommand({
      description: 'Set the daily budget in USD (pricing admins only); recorded with who and when.',
      examples: ['/budget set 40'],
      input: () => z.strictObject({ amount: usdAmount('the daily budget in USD,', 1_000_000) }),
      handler(input, ctx) {
        if (ctx.actor.role !== 'pricing_admin') {
          throw new UserError(`Only a pricing admin can set the budget; you are listed as ${ctx.actor.role}.`, 'forbidden');
        }
        const amount = usd(input.amount);
        ctx.db.transaction(() => {
          setBudget(ctx.db, toMicros(amount), { userId: ctx.actor.userId, name: ctx.actor.name, platform: ctx.actor.platform }, ctx.now);
          raiseBudgetSignals({ db: ctx.db, catalog: ctx.catalog, config: ctx.config, platforms: ctx.platforms, now: ctx.now });
        }).immediate();
        ctx.notify?.();
        ctx.log.info({ amount: amount.toFixed(2), by: ctx.actor.userId }, 'daily budget set');
        const message = `Daily budget set to ${formatUsd(amount)} by ${ctx.actor.name}.`;
        return { ...reply(message, [text(message)]), data: statusData(ctx) };
      },
    }),
    status: defineSubcommand({
      description: 'What an orchestrator checks before starting a task: level, pause signal and model policy.',
      examples: ['/budget status'],
      input: () => z.strictObject({}),
      handler(_input, ctx) {
        const data = statusData(ctx);
        const message = `Budget ${data.budget_alert_level} at ${data.budget_utilization_pct}% · non-essential work ${data.pause_non_essential ? 'paused' : 'running'} · model policy ${data.model_policy}`;
        return { ...reply(message, [text(message)]), data };
      },
    }),
    health: defineSubcommand({
      description: 'Pricing health (playbook §56): budget, cost per task, flags and the quote error rate.',
      examples: ['/budget health'],
      input: () => z.strictObject({}),
      handler(_input, ctx) {
        const r = budgetReport(ctx.db, ctx.config, ctx.now);
        const hourAgo = new Date(ctx.now.getTime() - 3_600_000);
        // §56 measures the system: a quote that could not be generated. A person's typo is not an
        // outage, so it is reported apart and left out of the rate.
        const failed = commandFailures(ctx.db, 'quote', hourAgo, 'internal_error');
        const rejected = commandFailures(ctx.db, 'quote', hourAgo, 'user_error');
        const total = failed + countQuotesSince(ctx.db, hourAgo);
        const errorRate = total ? (failed * 100) / total : 0;
        const issues = [
          ...(r.status.level !== 'ok' ? [`Budget ${r.status.level}: ${r.status.utilizationPct.toFixed(2)}% of the daily budget spent`] : []),
          ...(r.status.pauseNonEssential ? ['Non-essential work paused; model policy k2p5_only'] : []),
          ...r.flags.map(flagText),
          ...(errorRate > QUOTE_ERROR_RATE_PCT ? [`/quote error rate ${errorRate.toFixed(1)}% in the last hour (${failed} of ${total}), over ${QUOTE_ERROR_RATE_PCT}%`] : []),
        ];
        const statusLevel = r.status.level === 'critical' ? 'critical' : r.status.level === 'warning' || issues.length > 0 ? 'warning' : 'healthy';
        const health = {
          status: statusLevel,
          daily_cost: money(r.status.spent),
          daily_budget: money(r.status.budget),
          budget_utilization_pct: Number(r.status.utilizationPct.toFixed(2)),
          tasks_completed: r.tasksCompleted,
          avg_cost_per_task: money(r.avgCostPerTask),
          by_model: byModelData(r),
          quote_error_rate_pct: Number(errorRate.toFixed(2)),
          quote_input_errors_last_hour: rejected,
          issues,
        };
        const summary = `Pricing health: ${statusLevel}${issues.length ? ` (${issues.length} issue${issues.length === 1 ? '' : 's'})` : ''}`;
        return { ...reply(summary, [text(`**${summary}**`), ...(issues.length ? [text(issues.map((i) => `• ${i}`).join('\n'))] : [])]), data: { health } };
      },
    }),
  },
});
