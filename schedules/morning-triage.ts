import { defineSchedule } from '../src/core/schedule.js';
import { formatLocalTime, localDate } from '../src/domain/calendar.js';
import { remediate } from '../src/domain/remediation.js';
import { policyInForce } from '../src/policy/in-force.js';
import { actions, context, header, reply, table, text } from '../src/reply/reply.js';
import { helpQueueDigestLine } from '../src/community/view.js';
import { openQuestions } from '../src/store/community.js';
import { heldOvernight } from '../src/store/outbox.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { lastPosted, quoteOwner } from '../src/store/schedule-runs.js';
import { DASHBOARD_THRESHOLDS, escalationLevel, pct } from '../src/scheduler/helpers.js';
import { pendingWithAge } from '../src/deal-desk/approval-report.js';
import { AUTHORITY_LABEL, formatAge } from '../src/domain/approval-authority.js';

const DAY_MS = 86_400_000;

/**
 * Playbook §36: turn overnight quote risk into owner actions before outbound starts. Covers the
 * quotes decided since the last end-of-day closure (or the last day, when there was none).
 */
export default defineSchedule({
  name: 'morning-triage',
  title: 'Morning quote triage',
  cron: '0 9 * * 1-5',
  build(ctx) {
    const tz = ctx.config.timezone;
    const since = lastPosted(ctx.db, 'eod-closure', ctx.slot) ?? new Date(ctx.slot.getTime() - DAY_MS);
    const quotes = listQuotesBetween(ctx.db, since, ctx.slot);
    const escalated = quotes.filter((q) => q.decision.status === 'escalated');
    const approved = quotes.length - escalated.length;
    const eod = `${localDate(ctx.slot, tz)} EOD`;
    // Remediation re-prices under the policy in force now, which is what a re-issued quote gets.
    const policy = policyInForce(ctx.db, ctx.catalog.policyFile, ctx.slot);
    const rows = escalated.map((q) => {
      const owner = quoteOwner(ctx.db, q.seq);
      const plan = remediate(q.request, q.price, policy);
      return { q, owner, plan, row: [q.id, q.decision.status, owner?.name ?? 'unassigned', `${plan.path} by ${eod}`, `${plan.expectedMarginPct.toFixed(2)}%`] };
    });
    const unassigned = rows.filter((r) => !r.owner);
    const rate = pct(escalated.length, quotes.length);
    const held = heldOvernight(ctx.db, since, ctx.slot);
    const waiting = openQuestions(ctx.db);
    // Approvals still waiting for the desk, with their age against their response time.
    const approvals = pendingWithAge(ctx.db, ctx.now);
    return {
      ...reply(`Morning triage: ${quotes.length} quotes since ${formatLocalTime(since, tz)}, ${escalated.length} escalated, ${unassigned.length} unassigned`, [
        header('Morning quote triage'),
        text(`Since ${formatLocalTime(since, tz)}: **${approved} approved** · **${escalated.length} escalated** (escalation rate ${rate}%, ${escalationLevel(rate)})`),
        rows.length
          ? table(['quote', 'status', 'owner', 'action by EOD', 'expected margin'], rows.map((r) => r.row))
          : text('No escalated quotes to triage.'),
        ...(rows.length
          ? [text(rows.map((r) => `• ${r.q.id}: ${r.plan.path} (${r.plan.why}); customer follow-up by ${eod}`).join('\n'))]
          : []),
        approvals.length
          ? table(['awaiting approval', 'needs', 'age', 'answer by'], approvals.map((a) => [a.quote.id, AUTHORITY_LABEL[a.request.authority], `${formatAge(a.ageMinutes)} of ${a.request.responseHours}h${a.overdue ? ' ⚠ overdue' : ''}`, formatLocalTime(a.request.respondBy, tz)]))
          : text('No quotes waiting for approval.'),
        ...(ctx.catalog.team.community || waiting.length ? [text(helpQueueDigestLine(waiting, ctx.now))] : []),
        ...(held ? [text(`**Held overnight** ${held} non-critical message(s) waited for the morning and are delivered with this triage.`)] : []),
        ...unassigned.slice(0, 5).map((r) => actions({ action: 'quote.assign', label: `Assign ${r.q.id} to me`, value: r.q.id, typed: `/quote assign ${r.q.id}` })),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: {
        since: since.toISOString(),
        pending_approvals: approvals.map((a) => ({ quote_id: a.quote.id, authority: a.request.authority, age_minutes: a.ageMinutes, response_hours: a.request.responseHours, overdue: a.overdue })),
        approved, escalated: rows.map((r) => ({ quote_id: r.q.id, owner: r.owner?.name ?? null, action: r.plan.path, expected_margin_pct: Number(r.plan.expectedMarginPct.toFixed(2)) })) },
    };
  },
});
