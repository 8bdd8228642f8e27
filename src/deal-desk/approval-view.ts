import { AUTHORITY_LABEL, holdsAuthority, type Authority } from '../domain/approval-authority.js';
import { formatLocalTime } from '../domain/calendar.js';
import { formatPct, formatUsd } from '../domain/money.js';
import { AWAITING_DESK, stateLabel } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { executiveSponsor, findPerson, type Person, type Team } from '../domain/team.js';
import { mentionOf } from '../reply/inline.js';
import { actions, bullets, context, fields, header, reply, text, type Reply } from '../reply/reply.js';
import type { ApprovalDecision, ApprovalRequest } from '../store/approvals.js';

/** Button ids: `desk.<action>`, carrying the quote id. */
export const DESK_ACTIONS = {
  approve: 'desk.approve',
  exception: 'desk.exception',
  changes: 'desk.changes',
  decline: 'desk.decline',
} as const;

export const DECISION_LABEL: Record<ApprovalDecision, string> = {
  approve: 'approved',
  approve_as_exception: 'approved as a strategic exception',
  request_changes: 'sent back for changes',
  decline: 'declined',
};
const DECISION_ICON: Record<ApprovalDecision, string> = { approve: '✅', approve_as_exception: '🟣', request_changes: '↩️', decline: '⛔' };

/** The people who may decide a request needing `authority`, leaving out the asker (nobody approves their own quote). */
export function holdersOf(team: Team, authority: Authority, quote: Pick<QuoteRecord, 'platform' | 'userId'>, escalated = false): Person[] {
  const asker = findPerson(team, quote.platform, quote.userId);
  const sponsor = escalated ? executiveSponsor(team) : undefined;
  return team.people.filter((p) => p.id !== asker?.id && (holdsAuthority(p.approves, authority) || p.id === sponsor?.id));
}

/** "Maria Lopez or Eli Brooks", or what to do when nobody holds it. */
export function holdersText(people: readonly Person[], authority: Authority, mention: boolean): string {
  if (people.length === 0) return `nobody in data/team.json approves as ${AUTHORITY_LABEL[authority]} yet (add "approves": ["${authority}"] to a person)`;
  const names = people.map((p) => (mention ? mentionOf(p) : p.name));
  return names.length === 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
}

/** The decision line every copy shows once decided: what, who, when, and the note. */
export function decisionLine(r: ApprovalRequest, timezone: string): string | null {
  if (!r.decision || !r.decidedAt) return null;
  const note = r.note ? `: “${r.note}”` : '';
  return `${DECISION_ICON[r.decision]} ${DECISION_LABEL[r.decision]} by ${r.decidedBy?.name ?? 'someone'} at ${formatLocalTime(r.decidedAt, timezone)}${note}`;
}

/**
 * The approval request as it stands now: the quote's reasons, price and margin, the authority it
 * needs and who holds it, and the four buttons; once decided, the decision in their place. Built
 * once for every platform and rendered again on every change, so every posted copy agrees.
 */
export function approvalReply(r: ApprovalRequest, quote: QuoteRecord, team: Team, timezone: string): Reply {
  const p = quote.price;
  const holders = holdersOf(team, r.authority, quote, r.escalatedAt !== null);
  const decided = decisionLine(r, timezone);
  const title = `Approval needed: ${quote.id}${quote.account ? ` · ${quote.account}` : ''}`;
  const priceText = p.discountPct.gt(0) ? `${formatUsd(p.finalPrice)} (${p.discountPct.toFixed()}% off ${formatUsd(p.recommendedPrice)})` : formatUsd(p.finalPrice);
  const blocks = [
    header(title),
    fields(
      { label: 'Price', value: priceText },
      { label: 'Gross margin', value: `${formatPct(p.grossMarginPct)} (${quote.request.delivery} guardrail ${p.marginThresholdPct.toFixed()}%: ${p.guardrail})` },
      { label: 'Needs', value: `${AUTHORITY_LABEL[r.authority]} (${r.requirements.map((x) => `${AUTHORITY_LABEL[x.authority]}: ${x.why}`).join('; ')})` },
      { label: 'Who can approve', value: holdersText(holders, r.authority, !decided) },
      { label: 'Asked by', value: `${quote.userName} on ${quote.platform}` },
      { label: 'Answer by', value: `${formatLocalTime(r.respondBy, timezone)} (${r.responseHours}h response time)` },
    ),
    text(`**Why it was escalated**\n${bullets(quote.decision.reasons)}`),
  ];
  if (decided) blocks.push(context(decided));
  else if (!AWAITING_DESK.includes(quote.state)) blocks.push(context(`No decision needed: ${quote.id} is now ${stateLabel(quote.state)}.`));
  else {
    blocks.push(
      actions(
        { action: DESK_ACTIONS.approve, label: 'Approve', value: quote.id, style: 'primary', typed: `/desk approve ${quote.id}` },
        { action: DESK_ACTIONS.exception, label: 'Approve as strategic exception', value: quote.id, typed: `/exceptions add quote=${quote.id}` },
        { action: DESK_ACTIONS.changes, label: 'Request changes', value: quote.id, typed: `/desk changes ${quote.id} note="..."` },
        { action: DESK_ACTIONS.decline, label: 'Decline', value: quote.id, style: 'danger', typed: `/desk decline ${quote.id} reason="..."` },
      ),
    );
  }
  if (r.escalatedAt) {
    const sponsor = executiveSponsor(team);
    const to = sponsor ? (decided ? sponsor.name : mentionOf(sponsor)) : 'the executive sponsor';
    blocks.push(text(`⏫ Not answered within ${r.responseHours}h: escalated to ${to} at ${formatLocalTime(r.escalatedAt, timezone)}.`));
  }
  const summary = decided
    ? `${quote.id} ${DECISION_LABEL[r.decision ?? 'approve']} by ${r.decidedBy?.name ?? 'someone'}`
    : AWAITING_DESK.includes(quote.state)
      ? `${title}: ${AUTHORITY_LABEL[r.authority]} approval by ${formatLocalTime(r.respondBy, timezone)}`
      : `${quote.id}: no decision needed, it is now ${stateLabel(quote.state)}`;
  return reply(summary, blocks, 'channel');
}

/** The direct message to the rep who asked, once the desk decided. */
export function decisionNotice(r: ApprovalRequest, quote: QuoteRecord, timezone: string): Reply {
  const line = decisionLine(r, timezone) ?? '';
  const next =
    r.decision === 'request_changes'
      ? `Change what the note asks and quote again with \`/quote\`.`
      : r.decision === 'decline'
        ? 'This quote cannot be sent.'
        : `You can send it: \`/quote send ${quote.id}\`.`;
  const summary = `Your quote ${quote.id}${quote.account ? ` (${quote.account})` : ''} was ${DECISION_LABEL[r.decision ?? 'approve']} by ${r.decidedBy?.name ?? 'the desk'}`;
  return reply(summary, [text(`**${summary}.**`), context(line), text(next)], 'channel');
}
