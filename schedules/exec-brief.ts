import { budgetNow } from '../src/budget/snapshot.js';
import { exceptionData } from '../src/alerts/exception-view.js';
import { defineSchedule } from '../src/core/schedule.js';
import { formatUsd, usd } from '../src/domain/money.js';
import type { QuoteRecord } from '../src/domain/quote-record.js';
import { bullets, context, header, reply, text } from '../src/reply/reply.js';
import { unacknowledgedAlerts } from '../src/store/alerts.js';
import { listOpenExceptions } from '../src/store/exceptions.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { DASHBOARD_THRESHOLDS, pct } from '../src/scheduler/helpers.js';

const DAY_MS = 86_400_000;

const revenue = (qs: readonly QuoteRecord[]) => qs.reduce((sum, q) => sum.plus(q.price.finalPrice), usd(0));
const avgMargin = (qs: readonly QuoteRecord[]) => (qs.length ? qs.reduce((s, q) => s + Number(q.price.grossMarginPct.toFixed(2)), 0) / qs.length : 0);
const movement = (now: number, before: number, unit: string) => `${now.toFixed(2)}${unit} (${now >= before ? '+' : ''}${(now - before).toFixed(2)}${unit} on the week before)`;

/** Playbook §32: the executive weekly brief, every figure from the ledger. */
export default defineSchedule({
  name: 'exec-brief',
  title: 'Executive weekly brief',
  cron: '30 8 * * 1',
  build(ctx) {
    const thisWeek = listQuotesBetween(ctx.db, new Date(ctx.slot.getTime() - 7 * DAY_MS), ctx.slot);
    const lastWeek = listQuotesBetween(ctx.db, new Date(ctx.slot.getTime() - 14 * DAY_MS), new Date(ctx.slot.getTime() - 7 * DAY_MS));
    const mix = new Map<string, number>();
    for (const q of thisWeek) mix.set(q.request.model, (mix.get(q.request.model) ?? 0) + 1);
    const risks = listOpenExceptions(ctx.db)
      .map((e) => exceptionData(e, ctx.now, ctx.config.timezone))
      .filter((e) => e.risk_level !== 'ok')
      .slice(0, 5)
      .map((e) => `${e.id} ${e.account}: ${e.age_days} days, ${e.risk_level}; owner ${e.owner}; ${e.recovery_plan}`);
    const { status } = budgetNow(ctx.db, ctx.config, ctx.now);
    if (status.level !== 'ok') risks.push(`AI budget ${status.level} at ${status.utilizationPct.toFixed(2)}% today; owner: pricing admin`);
    const unacked = unacknowledgedAlerts(ctx.db).filter((a) => a.level === 'critical').length;
    const escalated = thisWeek.filter((q) => q.decision.status === 'escalated').length;
    const priorities = [
      ...(unacked ? [`Acknowledge and review ${unacked} critical alert(s)`] : []),
      ...(risks.length ? ['Executive review of the exceptions above at the next operating meeting'] : []),
      ...(escalated ? [`Close out ${escalated} escalated quote(s) from last week`] : []),
    ];
    const rNow = revenue(thisWeek);
    const rBefore = revenue(lastWeek);
    return {
      ...reply(`Executive brief: ${thisWeek.length} quotes worth ${formatUsd(rNow)}, average margin ${avgMargin(thisWeek).toFixed(2)}%`, [
        header('Executive weekly brief'),
        text(`**Quoted revenue** ${formatUsd(rNow)} from ${thisWeek.length} quotes (${rNow.gte(rBefore) ? '+' : '−'}${formatUsd(rNow.minus(rBefore).abs())} on the week before, ${lastWeek.length} quotes)`),
        text(`**Margin** average ${movement(avgMargin(thisWeek), avgMargin(lastWeek), '%')}`),
        text(`**Model mix** ${[...mix].map(([m, n]) => `${m} ${pct(n, thisWeek.length)}%`).join(' · ') || 'no quotes'}`),
        text(risks.length ? `**Top risks**\n${bullets(risks)}` : '**Top risks** none open at warning or above.'),
        text(priorities.length ? `**Next week’s priorities**\n${bullets(priorities)}` : '**Next week’s priorities** no open pricing risk; keep the cadence.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { quotes: thisWeek.length, quoted_revenue: Number(rNow.toFixed(2)), previous_quoted_revenue: Number(rBefore.toFixed(2)), avg_margin_pct: Number(avgMargin(thisWeek).toFixed(2)), top_risks: risks, priorities },
    };
  },
});
