import { defineSchedule } from '../src/core/schedule.js';
import { formatPct } from '../src/domain/money.js';
import { averageMarginPct, marginBySegment, marginSample } from '../src/domain/portfolio.js';
import { peopleWithRole, resolvePerson } from '../src/domain/team.js';
import { bullets, context, header, reply, table, text } from '../src/reply/reply.js';
import { mentionOf } from '../src/reply/inline.js';
import { reviewAgenda, unacknowledgedAlerts } from '../src/store/alerts.js';
import { alertSubject } from '../src/alerts/subject.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { portfolioCompliance } from '../src/deal-desk/proposal-compliance.js';
import { quoteOwner } from '../src/store/schedule-runs.js';
import { approversOf, pendingWithAge } from '../src/deal-desk/approval-report.js';
import { formatLocalTime } from '../src/domain/calendar.js';
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

    // §46 with the desk: an approval request past its response time blocks the closure.
    const lateApprovals = pendingWithAge(ctx.db, ctx.now).filter((a) => a.overdue);

    const byDecision = new Map<string, number>();
    for (const q of quotes) byDecision.set(q.decision.status, (byDecision.get(q.decision.status) ?? 0) + 1);
    const samples = quotes.map(marginSample);
    const avgMargin = averageMarginPct(samples);
    const bySegment = marginBySegment(samples);
    const escalationRate = pct(escalated.length, quotes.length);
    const compliance = pct(quotes.filter((q) => q.price.guardrail === 'pass').length, quotes.length);
    const portfolio = portfolioCompliance(ctx.db, day.from, day.to);

    const blockers = [
      ...missingDecision.map((q) => `${q.id} has no decision record`),
      ...criticalUnacked.map(({ alert, subject }) => {
        const owner = subject.owner ? resolvePerson(ctx.catalog.team, subject.owner) : undefined;
        const who = owner ? mentionOf(owner) : (subject.owner ?? 'the revenue manager');
        return `Critical alert #${alert.id} (${subject.label}) has no acknowledgement: ${who}`;
      }),
      ...lateApprovals.map((a) => {
        const who = approversOf(ctx.catalog.team, a).map(mentionOf).join(' ') || 'nobody holds its authority in data/team.json';
        return `Approval for ${a.quote.id} is past its response time (due ${formatLocalTime(a.request.respondBy, ctx.config.timezone)}): ${who}`;
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
        text(passed ? '✅ **Closure gate passed**: every quote has a decision, every critical exception is acknowledged and no approval is past its response time.' : `⛔ **Closure gate failed.** Blocking:\n${bullets(blockers)}${managers ? `\nRevenue manager: ${managers}` : ''}`),
        text(`**Quotes today** ${quotes.length} · ${[...byDecision].map(([d, n]) => `${d.replace(/_/g, ' ')} ${n}`).join(' · ') || 'none'}\n` +
          `Average margin ${avgMargin ? `${formatPct(avgMargin)} (${marginLevel(avgMargin)})` : 'none (no quotes)'} · escalation rate ${escalationRate}% (${escalationLevel(escalationRate)}) · guardrail compliance ${compliance}% (${complianceLevel(compliance)})\n` +
          `Proposals today ${portfolio.proposals} · ${portfolio.line}`),
        ...(bySegment.length ? [table(['segment', 'quotes', 'avg margin'], bySegment.map((s) => [s.key, String(s.count), formatPct(s.avgMarginPct)]))] : []),
        text(unowned.length ? `**Escalated quotes without an owner** (assign them in the morning triage): ${unowned.map((q) => q.id).join(', ')}` : '**Escalated quotes** all have an owner.'),
        text(agenda.length ? `**For executive review (handoff)**\n${bullets(agenda.map((a) => a.item))}` : '**For executive review** nothing today.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { gate: passed ? 'passed' : 'failed', blockers, late_approvals: lateApprovals.map((a) => a.quote.id), quotes: quotes.length, avg_margin_pct: avgMargin ? Number(avgMargin.toFixed(2)) : null, escalated: escalated.map((q) => q.id), unowned: unowned.map((q) => q.id), executive_review: agenda.map((a) => a.item),
        guardrail_compliance_pct: compliance, portfolio_compliance_pct: portfolio.pct },
    };
  },
});
