import { formatLocalTime } from '../domain/calendar.js';
import { formatPct, formatUsd } from '../domain/money.js';
import { checkProposal, EXEC_DECISION_LABEL, PROPOSAL_RULES, type OptionOutcome, type ProposalCheck, type ProposalDecision } from '../domain/proposal.js';
import { stateLabel } from '../domain/quote-life.js';
import { resolvePerson, type Team } from '../domain/team.js';
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

/** "declined (sustained margin risk) by Eli Brooks at 2026-11-22 10:30 EST", once an executive decided. */
function execDecisionLine(p: ProposalRecord, timezone: string): string | null {
  const review = p.execReview;
  if (!review || review.state === 'pending' || !review.decidedAt) return null;
  return `${EXEC_DECISION_LABEL[review.state]} by ${review.decidedBy?.name ?? 'an executive'} at ${formatLocalTime(review.decidedAt, timezone)}`;
}

/** The memo of an approval, or the note of a rework or a decline, as a block of its own. */
function memoBlocks(p: ProposalRecord): Block[] {
  const review = p.execReview;
  if (!review?.memo) return [];
  return [text(`**${review.state === 'approved_with_memo' ? 'Strategic exception memo' : 'Note'}**\n${review.memo}`)];
}

/**
 * The executive's request (§40) as it stands now, posted to the exec channel on every delivering
 * platform and rendered again on every change: pending, it carries the three buttons; decided, the
 * decision (what, who, when, the memo) takes their place, so no copy invites a second decision.
 */
export function execRequestReply(p: ProposalRecord, team: Team, timezone: string): Reply {
  const check = proposalCheck(p);
  const reasons = p.execReview?.reasons ?? [];
  const decided = execDecisionLine(p, timezone);
  const asked = `Asked by ${p.userName} · ${formatLocalTime(p.createdAt, timezone)}`;
  const blocks: Block[] = [
    header(`Executive review: proposal ${p.id} · ${p.account}`),
    text(`**Why** (playbook §40)\n${bullets(reasons)}`),
    optionsTable(p, team),
    text(`Compliance ${check.compliant} of ${check.options} · average margin ${formatPct(check.avgMarginPct)} · ${check.deskEscalations} option(s) escalated to the Deal Desk`),
  ];
  if (decided) {
    blocks.push(text(`🧾 **${decided}**`), ...memoBlocks(p), context(asked));
  } else {
    blocks.push(
      actions(
        { action: 'proposal.approve', label: 'Approve with strategic exception memo', value: p.id, style: 'primary', typed: `/proposal approve ${p.id} memo="..."` },
        { action: 'proposal.rework', label: 'Rework and rerun', value: p.id, typed: `/proposal rework ${p.id}` },
        { action: 'proposal.decline', label: 'Decline opportunity', value: p.id, style: 'danger', typed: `/proposal decline ${p.id}` },
      ),
      context(`${asked} · only an executive may decide`),
    );
  }
  const summary = decided ? `Proposal ${p.id} (${p.account}) ${decided}` : `Executive review needed: proposal ${p.id} for ${p.account}`;
  return reply(summary, blocks, 'channel');
}

/** The direct message to the rep who built the proposal, once an executive decided. */
export function execDecisionNotice(p: ProposalRecord, timezone: string): Reply {
  const state = p.execReview?.state;
  const what = state && state !== 'pending' ? EXEC_DECISION_LABEL[state] : 'decided';
  const by = p.execReview?.decidedBy?.name ?? 'an executive';
  const summary = `Your proposal ${p.id} (${p.account}) was ${what} by ${by}`;
  const next =
    state === 'rework' ? 'Rework the options and run /proposal again.' : state === 'declined' ? 'The opportunity is declined: do not present this proposal.' : 'You can present the proposal.';
  return reply(summary, [text(`**${summary}.**`), context(execDecisionLine(p, timezone) ?? ''), ...memoBlocks(p), text(next)], 'channel');
}

/** What the executive who decided is told: the decision, and that every copy and the rep show it. */
export function execDecisionReply(p: ProposalRecord, timezone: string): Reply {
  const line = `Proposal ${p.id} (${p.account}) ${execDecisionLine(p, timezone) ?? 'decided'}.`;
  return reply(line, [text(`🧾 ${line}`), ...memoBlocks(p), context(`Every posted copy of the request now shows it; ${p.userName} is told.`)], 'channel');
}
