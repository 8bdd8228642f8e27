import { defineSchedule } from '../src/core/schedule.js';
import { bullets, context, header, reply, table, text } from '../src/reply/reply.js';
import { exceptionActivity, openExceptionsAt, quoteRefsWithExceptions } from '../src/store/exceptions.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { DASHBOARD_THRESHOLDS, escalationLevel, marginLevel, pct } from '../src/scheduler/helpers.js';

const DAY_MS = 86_400_000;
/** §47 and §50: margins over target by more than this many points suggest a higher markup. */
const OVER_TARGET_POINTS = 15;
/** §42: open exceptions should fall at least this much a month. */
const BURN_DOWN_PCT = 25;

/** Playbook §47: the week's pricing decisions, and the signals that say whether to change policy. */
export default defineSchedule({
  name: 'weekly-retro',
  title: 'Weekly pricing retrospective',
  cron: '0 16 * * 5',
  build(ctx) {
    const weekStart = new Date(ctx.slot.getTime() - 7 * DAY_MS);
    const quotes = listQuotesBetween(ctx.db, weekStart, ctx.slot);
    const escalated = quotes.filter((q) => q.decision.status === 'escalated');
    const approvalRate = pct(quotes.length - escalated.length, quotes.length);
    const escalationRate = pct(escalated.length, quotes.length);
    const segments = new Map<string, { n: number; margin: number; target: number }>();
    for (const q of quotes) {
      const s = segments.get(q.request.segment) ?? { n: 0, margin: 0, target: 0 };
      segments.set(q.request.segment, { n: s.n + 1, margin: s.margin + Number(q.price.grossMarginPct.toFixed(2)), target: s.target + Number(q.price.marginThresholdPct.toFixed(2)) });
    }
    const rows = [...segments].map(([segment, s]) => ({ segment, n: s.n, avg: s.margin / s.n, target: s.target / s.n }));
    const activity = exceptionActivity(ctx.db, weekStart, ctx.slot);
    const withException = quoteRefsWithExceptions(ctx.db);
    const laterApproved = escalated.filter((q) => withException.has(q.id));
    const openNow = openExceptionsAt(ctx.db, ctx.slot);
    const openMonthAgo = openExceptionsAt(ctx.db, new Date(ctx.slot.getTime() - 30 * DAY_MS));
    const signals = [
      ...rows.filter((r) => r.avg > r.target + OVER_TARGET_POINTS).map((r) => `${r.segment}: average margin ${r.avg.toFixed(2)}% is more than ${OVER_TARGET_POINTS} points over its ${r.target.toFixed(0)}% target: consider raising the markup`),
      ...(openMonthAgo > 0 && openNow > openMonthAgo * (1 - BURN_DOWN_PCT / 100)
        ? [`Open exceptions went from ${openMonthAgo} to ${openNow} in 30 days, less than the ${BURN_DOWN_PCT}% monthly burn-down: tighten exception criteria`]
        : []),
    ];
    return {
      ...reply(`Weekly retro: ${quotes.length} quotes, approval ${approvalRate}%, escalation ${escalationRate}%`, [
        header('Weekly pricing retrospective'),
        text(`**Quotes sent** ${quotes.length} · approval rate ${approvalRate}% · escalation rate ${escalationRate}% (${escalationLevel(escalationRate)})`),
        rows.length ? table(['segment', 'quotes', 'avg margin', 'level'], rows.map((r) => [r.segment, String(r.n), `${r.avg.toFixed(2)}%`, marginLevel(r.avg)])) : text('No quotes this week.'),
        text(`**Exceptions** created ${activity.created} · closed ${activity.closed} · open now ${openNow} (30 days ago ${openMonthAgo})`),
        text(`**Escalated quotes later approved** (as strategic exceptions): ${laterApproved.length ? laterApproved.map((q) => q.id).join(', ') : 'none'}`),
        text(signals.length ? `**Signals**\n${bullets(signals)}` : '**Signals** no policy change suggested this week.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { quotes: quotes.length, approval_rate_pct: approvalRate, escalation_rate_pct: escalationRate, exceptions_created: activity.created, exceptions_closed: activity.closed, later_approved: laterApproved.map((q) => q.id), signals },
    };
  },
});
