import { budgetNow } from '../src/budget/snapshot.js';
import { exceptionData } from '../src/alerts/exception-view.js';
import { defineSchedule } from '../src/core/schedule.js';
import type Big from 'big.js';
import { formatPct, formatUsd, type Usd } from '../src/domain/money.js';
import { tallyAverageMarginPct } from '../src/domain/portfolio.js';
import { bullets, context, header, reply, text } from '../src/reply/reply.js';
import { unacknowledgedAlerts } from '../src/store/alerts.js';
import { listOpenExceptions } from '../src/store/exceptions.js';
import { escalatedQuoteIdsBetween, quoteTakingsBetween, quoteTallyBetween } from '../src/store/quotes.js';
import { DASHBOARD_THRESHOLDS, pct } from '../src/scheduler/helpers.js';

const DAY_MS = 86_400_000;

const NOTHING_TO_COMPARE = 'no quotes the week before: nothing to compare';

/** A week's revenue beside the week before's; a week with no quotes is no baseline. */
function revenueLine(now: Usd, before: Usd, count: number, countBefore: number): string {
  const change = countBefore === 0 ? NOTHING_TO_COMPARE : `${now.gte(before) ? '+' : '−'}${formatUsd(now.minus(before).abs())} on the week before, ${countBefore} quotes`;
  return `**Quoted revenue** ${formatUsd(now)} from ${count} quotes (${change})`;
}

function marginLine(now: Big | null, before: Big | null): string {
  if (!now) return '**Margin** no quotes this week';
  const change = before ? `${now.gte(before) ? '+' : '−'}${now.minus(before).abs().toFixed(2)} points on the week before` : NOTHING_TO_COMPARE;
  return `**Margin** average ${formatPct(now)} (${change})`;
}

/** Playbook §32: the executive weekly brief, every figure from the ledger. */
export default defineSchedule({
  name: 'exec-brief',
  title: 'Executive weekly brief',
  cron: '30 8 * * 1',
  build(ctx) {
    // Figures summed in SQL: the brief needs two weeks' totals, never 4,000 records.
    const weekAgo = new Date(ctx.slot.getTime() - 7 * DAY_MS);
    const twoWeeksAgo = new Date(ctx.slot.getTime() - 14 * DAY_MS);
    const thisWeek = quoteTakingsBetween(ctx.db, weekAgo, ctx.slot);
    const lastWeek = quoteTakingsBetween(ctx.db, twoWeeksAgo, weekAgo);
    const risks = listOpenExceptions(ctx.db)
      .map((e) => exceptionData(e, ctx.now, ctx.config.timezone))
      .filter((e) => e.risk_level !== 'ok')
      .slice(0, 5)
      .map((e) => `${e.id} ${e.account}: ${e.age_days} days, ${e.risk_level}; owner ${e.owner}; ${e.recovery_plan}`);
    const { status } = budgetNow(ctx.db, ctx.config, ctx.now);
    if (status.level !== 'ok') risks.push(`AI budget ${status.level} at ${status.utilizationPct.toFixed(2)}% today; owner: pricing admin`);
    const unacked = unacknowledgedAlerts(ctx.db).filter((a) => a.level === 'critical').length;
    const escalated = escalatedQuoteIdsBetween(ctx.db, weekAgo, ctx.slot).length;
    const priorities = [
      ...(unacked ? [`Acknowledge and review ${unacked} critical alert(s)`] : []),
      ...(risks.length ? ['Executive review of the exceptions above at the next operating meeting'] : []),
      ...(escalated ? [`Close out ${escalated} escalated quote(s) from last week`] : []),
    ];
    const rNow = thisWeek.revenue;
    const rBefore = lastWeek.revenue;
    const mNow = tallyAverageMarginPct(quoteTallyBetween(ctx.db, weekAgo, ctx.slot));
    const mBefore = tallyAverageMarginPct(quoteTallyBetween(ctx.db, twoWeeksAgo, weekAgo));
    return {
      ...reply(`Executive brief: ${thisWeek.count} quotes worth ${formatUsd(rNow)}${mNow ? `, average margin ${formatPct(mNow)}` : ''}`, [
        header('Executive weekly brief'),
        text(revenueLine(rNow, rBefore, thisWeek.count, lastWeek.count)),
        text(marginLine(mNow, mBefore)),
        text(`**Model mix** ${thisWeek.models.map((m) => `${m.model} ${pct(m.count, thisWeek.count)}%`).join(' · ') || 'no quotes'}`),
        text(risks.length ? `**Top risks**\n${bullets(risks)}` : '**Top risks** none open at warning or above.'),
        text(priorities.length ? `**Next week’s priorities**\n${bullets(priorities)}` : '**Next week’s priorities** no open pricing risk; keep the cadence.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { quotes: thisWeek.count, quoted_revenue: Number(rNow.toFixed(2)), previous_quoted_revenue: Number(rBefore.toFixed(2)), previous_quotes: lastWeek.count, avg_margin_pct: mNow ? Number(mNow.toFixed(2)) : null, previous_avg_margin_pct: mBefore ? Number(mBefore.toFixed(2)) : null, top_risks: risks, priorities },
    };
  },
});
