import { defineSchedule } from '../src/core/schedule.js';
import { peopleWithRole, resolvePerson } from '../src/domain/team.js';
import { bullets, context, header, reply, table, text } from '../src/reply/reply.js';
import { mentionOf } from '../src/reply/inline.js';
import { reviewAgenda, unacknowledgedAlerts } from '../src/store/alerts.js';
import { alertSubject } from '../src/alerts/subject.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { quoteOwner } from '../src/store/schedule-runs.js';
import { complianceLevel, DASHBOARD_THRESHOLDS, escalationLevel, marginLevel, pct, todayRange } from '../src/scheduler/helpers.js';

/**
 * Playbook §46: every quote sent today has a decision, every escalated quote an owner; the
 * portfolio is summarised; and the closure gate passes only with no quote missing a decision and
 * no critical exception without an owner's acknowledgement.
 */
export default defineSchedule({
  name: 'eod-closure',
  title: 'End-of-day pricing closure',
  cron: '30 17 * * 1-5',
  build(ctx) {
    const day = todayRange(ctx);
    const quotes = listQuotesBetween(ctx.db, day.from, day.to);
    // The ledger records a decision with every quote, so this counts rows whose decision was lost.
    const missingDecision = quotes.filter((q) => !q.decision.status);
    const escalated = quotes.filter((q) => q.decision.status === 'escalated');
    const unowned = escalated.filter((q) => !quoteOwner(ctx.db, q.seq));
    const criticalUnacked = unacknowledgedAlerts(ctx.db)
      .filter((a) => a.level === 'critical')
      .map((a) => ({ alert: a, subject: alertSubject(ctx.db, ctx.catalog.team, a) }))
      .filter((x) => x.subject.live);

    const bySegment = new Map<string, { n: number; margin: number }>();
    const byDecision = new Map<string, number>();
    for (const q of quotes) {
      const s = bySegment.get(q.request.segment) ?? { n: 0, margin: 0 };
      bySegment.set(q.request.segment, { n: s.n + 1, margin: s.margin + Number(q.price.grossMarginPct.toFixed(2)) });
      byDecision.set(q.decision.status, (byDecision.get(q.decision.status) ?? 0) + 1);
    }
    const avgMargin = quotes.length ? quotes.reduce((sum, q) => sum + Number(q.price.grossMarginPct.toFixed(2)), 0) / quotes.length : 0;
    const escalationRate = pct(escalated.length, quotes.length);
    const compliance = pct(quotes.filter((q) => q.price.guardrail === 'pass').length, quotes.length);

    const blockers = [
      ...missingDecision.map((q) => `${q.id} has no decision record`),
      ...criticalUnacked.map(({ alert, subject }) => {
        const owner = subject.owner ? resolvePerson(ctx.catalog.team, subject.owner) : undefined;
        const who = owner ? mentionOf(owner) : (subject.owner ?? 'the revenue manager');
        return `Critical alert #${alert.id} (${subject.label}) has no acknowledgement: ${who}`;
      }),
    ];
    const passed = blockers.length === 0;
    const managers = peopleWithRole(ctx.catalog.team, 'revenue_manager').map((p) => p.name).join(', ');
    const agenda = reviewAgenda(ctx.db, day.date);

    const summary = passed
      ? `Pricing closure ${day.date}: gate PASSED · ${quotes.length} quotes, ${escalated.length} escalated`
      : `Pricing closure ${day.date}: gate FAILED · ${blockers.length} blocker(s)`;
    return {
      ...reply(summary, [
        header(`End-of-day pricing closure · ${day.date}`),
        text(passed ? '✅ **Closure gate passed**: every quote has a decision and every critical exception is acknowledged.' : `⛔ **Closure gate failed.** Blocking:\n${bullets(blockers)}${managers ? `\nRevenue manager: ${managers}` : ''}`),
        text(`**Quotes today** ${quotes.length} · ${[...byDecision].map(([d, n]) => `${d.replace(/_/g, ' ')} ${n}`).join(' · ') || 'none'}\n` +
          `Average margin ${avgMargin.toFixed(2)}% (${marginLevel(avgMargin)}) · escalation rate ${escalationRate}% (${escalationLevel(escalationRate)}) · guardrail compliance ${compliance}% (${complianceLevel(compliance)})`),
        ...(bySegment.size ? [table(['segment', 'quotes', 'avg margin'], [...bySegment].map(([s, v]) => [s, String(v.n), `${(v.margin / v.n).toFixed(2)}%`]))] : []),
        text(unowned.length ? `**Escalated quotes without an owner** (assign them in the morning triage): ${unowned.map((q) => q.id).join(', ')}` : '**Escalated quotes** all have an owner.'),
        text(agenda.length ? `**For executive review (handoff)**\n${bullets(agenda.map((a) => a.item))}` : '**For executive review** nothing today.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { gate: passed ? 'passed' : 'failed', blockers, quotes: quotes.length, escalated: escalated.map((q) => q.id), unowned: unowned.map((q) => q.id), executive_review: agenda.map((a) => a.item) },
    };
  },
});
