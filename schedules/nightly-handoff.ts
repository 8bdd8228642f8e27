import { budgetNow } from '../src/budget/snapshot.js';
import { defineSchedule } from '../src/core/schedule.js';
import { formatUsd } from '../src/domain/money.js';
import { bullets, context, header, reply, text } from '../src/reply/reply.js';
import { accountsWhoseRiskRose, getAlert, unacknowledgedAlerts } from '../src/store/alerts.js';
import { alertSubject } from '../src/alerts/subject.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { quoteOwner } from '../src/store/schedule-runs.js';
import { todayRange } from '../src/scheduler/helpers.js';
import { policyOfQuote } from '../src/policy/in-force.js';
import { qaFindings } from '../src/scheduler/qa.js';
import { policyValidationSection } from '../src/policy/validation-report.js';

interface Blocker {
  what: string;
  owner: string | null;
  nextAction: string | null;
  eta: string | null;
}

/**
 * Playbook §26: the nightly handoff pack, with its quality rules checked and shown. Every figure
 * comes from the ledger; a section with no data source says so.
 */
export default defineSchedule({
  name: 'nightly-handoff',
  title: 'Nightly handoff pack',
  cron: '30 22 * * *',
  build(ctx) {
    const day = todayRange(ctx);
    const { status } = budgetNow(ctx.db, ctx.config, ctx.now);
    const quotes = listQuotesBetween(ctx.db, day.from, ctx.slot);
    const byStatus = ['approved', 'approved_with_conditions', 'escalated'].map((s) => `${s.replace(/_/g, ' ')} ${quotes.filter((q) => q.decision.status === s).length}`);
    const risen = accountsWhoseRiskRose(ctx.db, day.from, ctx.slot);
    const qa = qaFindings(listQuotesBetween(ctx.db, new Date(ctx.slot.getTime() - 86_400_000), ctx.slot), policyOfQuote(ctx.db, ctx.catalog.policyFile)).filter((f) => f.action);
    const eta = `${day.date} EOD +1`;
    const blockers: Blocker[] = [
      ...unacknowledgedAlerts(ctx.db).map((a) => {
        const subject = alertSubject(ctx.db, ctx.catalog.team, a);
        const about = subject.label === 'the registry' ? '' : ` on ${subject.label}`;
        return { what: `${a.level} alert #${a.id}${about} not acknowledged`, owner: subject.owner, nextAction: getAlert(ctx.db, a.id)?.recommendedAction ?? null, eta: a.level === 'critical' ? 'next operating meeting' : eta };
      }),
      ...quotes
        .filter((q) => q.decision.status === 'escalated')
        .map((q) => ({ what: `${q.id} escalated`, owner: quoteOwner(ctx.db, q.seq)?.name ?? null, nextAction: 'remediate per the morning triage', eta })),
    ];
    const risks = qa.map((f) => ({ what: `${f.quote.id} margin ${f.quote.price.grossMarginPct.toFixed(2)}% (${f.band})`, impact: `${formatUsd(f.quote.price.finalPrice)} quote below the guardrail band`, mitigation: f.action }));
    const rules = [
      ['every blocker has an owner and a next action', blockers.every((b) => b.owner && b.nextAction)],
      ['every risk has an impact and a mitigation', risks.every((r) => r.impact && r.mitigation)],
      ['no unresolved priority item without an ETA', blockers.every((b) => b.eta)],
    ] as const;
    const failed = rules.filter(([, ok]) => !ok).length;
    const validation = policyValidationSection(ctx.db, ctx.slot, ctx.config.timezone);
    const summary = `Nightly handoff ${day.date}: budget ${status.level} (${status.utilizationPct.toFixed(2)}%), ${blockers.length} blockers, quality rules ${failed ? `${failed} failing` : 'met'}`;
    return {
      ...reply(summary, [
        header(`Nightly handoff pack · ${day.date}`),
        text(`**Budget** ${formatUsd(status.spent)} of ${formatUsd(status.budget)} (${status.utilizationPct.toFixed(2)}%), level ${status.level}${status.pauseNonEssential ? ', non-essential work paused' : ''}`),
        text(`**Pipeline since the morning** ${quotes.length} quotes · ${byStatus.join(' · ')}`),
        text(risen.length ? `**Customer health** exception risk rose today for: ${risen.map((r) => `${r.account} (${r.level})`).join(', ')}` : '**Customer health** no account’s exception risk rose today.'),
        text(qa.length ? `**QA findings**\n${bullets(risks.map((r) => `${r.what}: ${r.mitigation}`))}` : '**QA findings** none at risk in the last 24 hours.'),
        ...validation.blocks,
        text(blockers.length ? `**Open blockers**\n${bullets(blockers.map((b) => `${b.what} · owner ${b.owner ?? 'NONE'} · next: ${b.nextAction ?? 'NONE'} · ETA ${b.eta ?? 'NONE'}`))}` : '**Open blockers** none.'),
        text('**Incidents** no data source: incidents are not tracked by this bot yet.'),
        text(`**Quality rules**\n${bullets(rules.map(([rule, ok]) => `${ok ? '✅' : '❌'} ${rule}`))}`),
        context('Night operations run 23:00-08:00: only critical alerts page until the morning triage.'),
      ], 'channel'),
      data: { budget_level: status.level, quotes: quotes.length, blockers: blockers.length, quality_rules_failing: failed, accounts_at_risk: risen.map((r) => r.account),
        ...(validation.data.length ? { policy_validation: validation.data } : {}) },
    };
  },
});
