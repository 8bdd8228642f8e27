import { defineSchedule } from '../src/core/schedule.js';
import { formatPct } from '../src/domain/money.js';
import { tallyAverageMarginPct, tallyMarginBySegment, tallyMarginBySegmentAndDelivery } from '../src/domain/portfolio.js';
import { policyInForce } from '../src/policy/in-force.js';
import { policyValidationSection } from '../src/policy/validation-report.js';
import { bullets, context, header, reply, table, text } from '../src/reply/reply.js';
import { exceptionActivity, openExceptionsAt, quoteRefsWithExceptions } from '../src/store/exceptions.js';
import { escalatedQuoteIdsBetween, quoteTallyBetween } from '../src/store/quotes.js';
import { deskApprovalsBetween, outcomesBetween } from '../src/store/quote-outcomes.js';
import { lossReasonText, outcomesBySegment, summariseOutcomes } from '../src/domain/quote-outcomes.js';
import { formatQuoteId } from '../src/domain/quote-record.js';
import { portfolioCompliance } from '../src/deal-desk/proposal-compliance.js';
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
    // Counted and summed in SQL: the retro needs figures, never a record per quote.
    const tallies = quoteTallyBetween(ctx.db, weekStart, ctx.slot);
    const total = tallies.reduce((n, t) => n + t.count, 0);
    const escalated = escalatedQuoteIdsBetween(ctx.db, weekStart, ctx.slot);
    const approvalRate = pct(total - escalated.length, total);
    const escalationRate = pct(escalated.length, total);
    const rows = tallyMarginBySegment(tallies);
    // A guardrail belongs to a delivery type, so the over-target signal compares each segment's
    // quotes of one delivery type with that type's guardrail in the policy, never a blend of them.
    const guardrails = policyInForce(ctx.db, ctx.catalog.policyFile, ctx.slot).marginGuardrailPct;
    const overTarget = tallyMarginBySegmentAndDelivery(tallies).filter((g) => g.avgMarginPct.gt(guardrails[g.key.delivery].plus(OVER_TARGET_POINTS)));
    const avg = tallyAverageMarginPct(tallies);
    const portfolio = portfolioCompliance(ctx.db, weekStart, ctx.slot);
    const activity = exceptionActivity(ctx.db, weekStart, ctx.slot);
    const withException = quoteRefsWithExceptions(ctx.db, escalated);
    // Exceptions recorded straight in the registry, for escalated quotes that never went to the desk.
    const recordedAsExceptions = escalated.filter((id) => withException.has(id));
    // The desk's approvals this week, from the quotes' history: the ledger's own record of them.
    const desk = deskApprovalsBetween(ctx.db, weekStart, ctx.slot);
    const laterApproved = [...new Set(desk.map((d) => formatQuoteId(d.quoteSeq)))];
    const asException = desk.filter((d) => d.to === 'approved_as_exception').length;
    const outcomes = outcomesBetween(ctx.db, weekStart, ctx.slot);
    const verdicts = summariseOutcomes(outcomes);
    const bySegmentOutcome = outcomesBySegment(outcomes);
    const openNow = openExceptionsAt(ctx.db, ctx.slot);
    const openMonthAgo = openExceptionsAt(ctx.db, new Date(ctx.slot.getTime() - 30 * DAY_MS));
    const validation = policyValidationSection(ctx.db, ctx.slot, ctx.config.timezone);
    const signals = [
      ...overTarget.map((g) => `${g.key.segment} ${g.key.delivery} quotes: average margin ${formatPct(g.avgMarginPct)} is more than ${OVER_TARGET_POINTS} points over the ${guardrails[g.key.delivery].toFixed()}% ${g.key.delivery} guardrail: consider raising the markup`),
      ...(openMonthAgo > 0 && openNow > openMonthAgo * (1 - BURN_DOWN_PCT / 100)
        ? [`Open exceptions went from ${openMonthAgo} to ${openNow} in 30 days, less than the ${BURN_DOWN_PCT}% monthly burn-down: tighten exception criteria`]
        : []),
    ];
    return {
      ...reply(`Weekly retro: ${total} quotes, approval ${approvalRate}%, escalation ${escalationRate}%`, [
        header('Weekly pricing retrospective'),
        text(`**Quotes sent** ${total}${avg ? ` · average margin ${formatPct(avg)}` : ''} · approval rate ${approvalRate}% · escalation rate ${escalationRate}% (${escalationLevel(escalationRate)})`),
        text(`**Proposals** ${portfolio.proposals} · ${portfolio.line}${portfolio.bySegment ? ` · by segment: ${portfolio.bySegment}` : ''}`),
        rows.length ? table(['segment', 'quotes', 'avg margin', 'level'], rows.map((r) => [r.key, String(r.count), formatPct(r.avgMarginPct), marginLevel(r.avgMarginPct)])) : text('No quotes this week.'),
        text(`**Exceptions** created ${activity.created} · closed ${activity.closed} · open now ${openNow} (30 days ago ${openMonthAgo})`),
        text(`**Escalated quotes later approved** by the desk: ${laterApproved.length ? `${laterApproved.join(', ')} (${asException} as strategic exception${asException === 1 ? '' : 's'})` : 'none'}${recordedAsExceptions.length ? ` · recorded in the exception registry: ${recordedAsExceptions.join(', ')}` : ''}`),
        text(`**Win rate** ${verdicts.winRatePct === null ? 'no quotes won or lost this week' : `${verdicts.winRatePct}% (${verdicts.won} won, ${verdicts.lost} lost) · loss reasons ${lossReasonText(verdicts.lossReasons)}`}`),
        ...(bySegmentOutcome.length
          ? [table(['segment', 'won', 'lost', 'win rate', 'loss reasons'], bySegmentOutcome.map((g) => [g.segment, String(g.summary.won), String(g.summary.lost), `${g.summary.winRatePct ?? 0}%`, lossReasonText(g.summary.lossReasons)]))]
          : []),
        ...validation.blocks,
        text(signals.length ? `**Signals**\n${bullets(signals)}` : '**Signals** no policy change suggested this week.'),
        context(DASHBOARD_THRESHOLDS),
      ], 'channel'),
      data: { quotes: total, avg_margin_pct: avg ? Number(avg.toFixed(2)) : null, approval_rate_pct: approvalRate, escalation_rate_pct: escalationRate, exceptions_created: activity.created, exceptions_closed: activity.closed, later_approved: laterApproved, later_approved_as_exception: asException, recorded_as_exceptions: recordedAsExceptions,
        won: verdicts.won, lost: verdicts.lost, win_rate_pct: verdicts.winRatePct, loss_reasons: verdicts.lossReasons,
        outcomes_by_segment: Object.fromEntries(bySegmentOutcome.map((g) => [g.segment, { won: g.summary.won, lost: g.summary.lost, win_rate_pct: g.summary.winRatePct, loss_reasons: g.summary.lossReasons }])),
        signals,
        portfolio_compliance_pct: portfolio.pct,
        ...(validation.data.length ? { policy_validation: validation.data } : {}) },
    };
  },
});
