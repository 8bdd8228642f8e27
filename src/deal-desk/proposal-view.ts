import { formatLocalTime } from '../domain/calendar.js';
import { formatPct, formatUsd } from '../domain/money.js';
import { checkProposal, EXEC_DECISION_LABEL, PROPOSAL_RULES, type OptionOutcome, type ProposalCheck, type ProposalDecision } from '../domain/proposal.js';
import { stateLabel } from '../domain/quote-life.js';
import { resolvePerson, type Team } from '../domain/team.js';
import { mentionOf } from '../reply/inline.js';
import { actions, bullets, context, header, reply, table, text, type Block, type Reply } from '../reply/reply.js';
import type { ProposalRecord } from '../store/proposals.js';

/** The checks' input, read from the options' recorded quotes. */
export const optionOutcomes = (p: ProposalRecord): OptionOutcome[] =>
  p.options.map((o) => ({
    tag: o.tag,
    delivery: o.quote.request.delivery,
    guardrail: o.quote.price.guardrail,
    escalated: o.quote.decision.status === 'escalated',
    grossMarginPct: o.quote.price.grossMarginPct,
    exceptionOwner: o.exceptionOwner,
  }));

export const proposalCheck = (p: ProposalRecord): ProposalCheck => checkProposal(optionOutcomes(p));

const DECISION_LINE: Record<ProposalDecision, string> = {
  proceed: '✅ **Proceed**: every option clears its guardrail; present the proposal.',
  revise: '🟡 **Revise and rerun**: fix what is listed, then run /proposal again.',
  restructure: '🛑 **Escalate to the Deal Desk for a restructure**: no option clears its guardrail.',
};

/** The API's JSON for a proposal. */
export function proposalData(p: ProposalRecord, check = proposalCheck(p)) {
  const review = p.execReview;
  return {
    proposal_id: p.id,
    created_at: p.createdAt.toISOString(),
    account: p.account,
    segment: p.segment,
    asked_by: p.userName,
    options: p.options.map((o) => ({
      tag: o.tag,
      quote_id: o.quote.id,
      final_price: Number(o.quote.price.finalPrice.toFixed(2)),
      gross_margin_pct: Number(o.quote.price.grossMarginPct.toFixed(2)),
      guardrail: o.quote.price.guardrail,
      decision_status: o.quote.decision.status,
      state: o.quote.state,
      exception_owner: o.exceptionOwner,
    })),
    checks: {
      compliant: check.compliant,
      options: check.options,
      compliance_ratio: Number(check.ratio.toFixed(2)),
      portfolio_rule: check.portfolioRule.ok,
      compliant_needed: check.portfolioRule.needed,
      missing_owners: check.missingOwners,
      missing_tags: check.missingTags,
      task_heavy: check.taskHeavy,
      avg_margin_pct: Number(check.avgMarginPct.toFixed(2)),
      margin_rule: check.marginRule.ok,
      desk_escalations: check.deskEscalations,
      problems: check.problems,
    },
    decision: check.decision,
    executive_review: review
      ? {
          state: review.state,
          reasons: review.reasons,
          decided_by: review.decidedBy?.name ?? null,
          decided_at: review.decidedAt?.toISOString() ?? null,
          memo: review.memo,
        }
      : null,
  };
}

function optionsTable(p: ProposalRecord, team: Team): Block {
  return table(
    ['option', 'quote', 'price', 'margin', 'guardrail', 'state', 'exception owner'],
    p.options.map((o) => [
      o.tag,
      o.quote.id,
      formatUsd(o.quote.price.finalPrice),
      formatPct(o.quote.price.grossMarginPct),
      `${o.quote.price.guardrail} (${o.quote.request.delivery} ${o.quote.price.marginThresholdPct.toFixed()}%)`,
      stateLabel(o.quote.state),
      o.exceptionOwner ? (resolvePerson(team, o.exceptionOwner)?.name ?? o.exceptionOwner) : '—',
    ]),
  );
}

function checkLines(check: ProposalCheck): string {
  const mark = (ok: boolean) => (ok ? '✅' : '❌');
  const r = PROPOSAL_RULES;
  return bullets([
    `${mark(check.portfolioRule.ok)} compliance ${check.compliant} of ${check.options} (ratio ${check.ratio.toFixed(2)}; at least ${check.portfolioRule.needed} must clear their guardrail)`,
    `${mark(check.missingOwners.length === 0)} every non-compliant option names a strategic-exception owner${check.missingOwners.length ? `: missing for ${check.missingOwners.join(', ')}` : ''}`,
    check.marginRule.applies
      ? `${mark(check.marginRule.ok)} task-heavy: average margin ${formatPct(check.avgMarginPct)} must be above ${r.taskHeavyAvgMarginAbovePct}%`
      : `✅ average margin ${formatPct(check.avgMarginPct)} (not task-heavy: the ${r.taskHeavyAvgMarginAbovePct}% rule does not apply)`,
    ...(check.missingTags.length ? [`⚠️ no ${check.missingTags.join(', ')} option (§38: every proposal should have base, recommended and premium)`] : []),
  ]);
}

function reviewLine(p: ProposalRecord, timezone: string): string {
  const review = p.execReview;
  if (!review) return '**Executive review** not needed.';
  const why = `(${review.reasons.join('; ')})`;
  if (review.state === 'pending') return `**Executive review** requested ${why}: waiting for an executive.`;
  const when = review.decidedAt ? formatLocalTime(review.decidedAt, timezone) : '';
  const memo = review.memo ? `\nMemo: ${review.memo}` : '';
  return `**Executive review** ${why}: ${EXEC_DECISION_LABEL[review.state]} by ${review.decidedBy?.name ?? 'an executive'} at ${when}.${memo}`;
}

export function proposalReply(p: ProposalRecord, team: Team, timezone: string): Reply {
  const check = proposalCheck(p);
  const summary = `Proposal ${p.id} for ${p.account}: ${check.compliant} of ${check.options} compliant, ${check.decision}`;
  const r = reply(summary, [
    header(`Proposal ${p.id} · ${p.account} (${p.segment})`),
    optionsTable(p, team),
    text(`**Checks**\n${checkLines(check)}`),
    text(`${DECISION_LINE[check.decision]}${check.problems.length ? `\n${bullets(check.problems)}` : ''}`),
    text(reviewLine(p, timezone)),
    context(`Asked by ${p.userName} on ${p.platform} · ${formatLocalTime(p.createdAt, timezone)} · /proposal show ${p.id}`),
  ]);
  return { ...r, data: proposalData(p, check) };
}

/** The executive's request (§40), posted to the exec channel on every delivering platform. */
export function execRequestReply(p: ProposalRecord, team: Team, timezone: string): Reply {
  const check = proposalCheck(p);
  const reasons = p.execReview?.reasons ?? [];
  return reply(`Executive review needed: proposal ${p.id} for ${p.account}`, [
    header(`Executive review: proposal ${p.id} · ${p.account}`),
    text(`**Why** (playbook §40)\n${bullets(reasons)}`),
    optionsTable(p, team),
    text(`Compliance ${check.compliant} of ${check.options} · average margin ${formatPct(check.avgMarginPct)} · ${check.deskEscalations} option(s) escalated to the Deal Desk`),
    actions(
      { action: 'proposal.approve', label: 'Approve with strategic exception memo', value: p.id, style: 'primary', typed: `/proposal approve ${p.id} memo="..."` },
      { action: 'proposal.rework', label: 'Rework and rerun', value: p.id, typed: `/proposal rework ${p.id}` },
      { action: 'proposal.decline', label: 'Decline opportunity', value: p.id, style: 'danger', typed: `/proposal decline ${p.id}` },
    ),
    context(`Asked by ${p.userName} · ${formatLocalTime(p.createdAt, timezone)} · only an executive may decide`),
  ], 'channel');
}

/** What everyone who saw the request is told once an executive decided. */
export function execDecisionReply(p: ProposalRecord, team: Team, timezone: string): Reply {
  const review = p.execReview;
  const state = review?.state;
  const decision = state && state !== 'pending' ? EXEC_DECISION_LABEL[state] : 'decided';
  const by = review?.decidedBy;
  const person = by?.personId ? resolvePerson(team, by.personId) : undefined;
  const who = person ? mentionOf(person) : (by?.name ?? 'an executive');
  const when = review?.decidedAt ? formatLocalTime(review.decidedAt, timezone) : '';
  const line = (name: string) => `Proposal ${p.id} (${p.account}) ${decision} by ${name} at ${when}.`;
  return reply(line(by?.name ?? 'an executive'), [
    text(`🧾 ${line(who)}`),
    ...(review?.memo ? [text(`**Strategic exception memo**\n${review.memo}`)] : []),
    ...(state === 'rework' ? [text(`${p.userName}: rework the options and run /proposal again.`)] : []),
  ], 'channel');
}
