import { formatLocalTime } from '../domain/calendar.js';
import { formatUsd } from '../domain/money.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { stateLabel } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { context, fields, header, reply, table, text, type Block, type Reply } from '../reply/reply.js';

/** What a rollback or a cancellation tells the person who did it and the sales channel. */

const quoteRow = (q: QuoteRecord) => [q.id, q.account ?? '—', q.userName, stateLabel(q.state), formatUsd(q.price.finalPrice)];

/** The quotes to re-issue at the restored price; won quotes keep theirs and are never listed. */
function reissueBlocks(reissue: readonly QuoteRecord[], rolledBack: PolicyVersion): Block[] {
  if (reissue.length === 0) return [text(`**Quotes to re-issue** none: no open quote was priced under ${rolledBack.id}. Won quotes keep their price.`)];
  return [
    text(`**Quotes to re-issue** ${reissue.length} open quote${reissue.length === 1 ? '' : 's'} priced under ${rolledBack.id}: quote them again under the restored pricing. Won quotes keep their price.`),
    table(['quote', 'account', 'rep', 'state', 'price'], reissue.map(quoteRow)),
  ];
}

const reissueData = (reissue: readonly QuoteRecord[]) =>
  reissue.map((q) => ({ quote_id: q.id, account: q.account, rep: q.userName, state: q.state, final_price_usd: q.price.finalPrice.toFixed(2) }));

export function rolledBackReply(rolledBack: PolicyVersion, rollback: PolicyVersion, restored: PolicyVersion, reissue: readonly QuoteRecord[], timezone: string): Reply {
  const summary = `Rolled back ${rolledBack.id}: ${restored.id}'s rules are in force again as ${rollback.id}`;
  return {
    ...reply(summary, [
      header(`Rolled back ${rolledBack.id}`),
      fields(
        { label: 'In force now', value: `${rollback.id} (rollback, the rules of ${restored.id})` },
        { label: 'Rolled back by', value: `${rollback.changedBy} at ${formatLocalTime(rollback.proposedAt, timezone)}` },
        { label: 'Why', value: rollback.rationale },
      ),
      ...reissueBlocks(reissue, rolledBack),
      context('The sales channel is told of the hold and of these quotes.'),
    ]),
    data: {
      rolled_back: rolledBack.id,
      rollback_version: rollback.id,
      restored: restored.id,
      in_force: rollback.id,
      rolled_back_by: rollback.changedBy,
      rolled_back_at: rollback.proposedAt.toISOString(),
      reissue: reissueData(reissue),
    },
  };
}

/** The sales channel's notice: new pricing on hold, the previous version back, and what to re-issue. */
export function rollbackSalesNotice(rolledBack: PolicyVersion, rollback: PolicyVersion, restored: PolicyVersion, reissue: readonly QuoteRecord[], note: string | null, timezone: string): Reply {
  const summary = `Pricing on hold: ${rolledBack.id} is rolled back, the previous pricing (${restored.id}) is back`;
  return reply(
    summary,
    [
      header('Pricing change on hold'),
      text(`**${rolledBack.id} is rolled back** by ${rollback.changedBy} at ${formatLocalTime(rollback.proposedAt, timezone)}: new quotes are priced under the previous pricing (${restored.id}) again, as ${rollback.id}.${note ? `\n“${note}”` : ''}`),
      ...reissueBlocks(reissue, rolledBack),
    ],
    'channel',
  );
}

export function cancelledReply(v: PolicyVersion, by: string, note: string | null, timezone: string): Reply {
  const summary = `Cancelled ${v.id}: it was due ${v.effectiveAt ? formatLocalTime(v.effectiveAt, timezone) : 'later'} and never came into force`;
  return {
    ...reply(summary, [text(`**${summary}.** No rollback version is needed: it priced no quote. Cancelled by ${by}${note ? `: “${note}”` : ''}.`)]),
    data: { cancelled: v.id, cancelled_by: by, note, rollback_version: null, reissue: [] },
  };
}

export function cancelledSalesNotice(v: PolicyVersion, by: string, note: string | null, timezone: string): Reply {
  const summary = `Scheduled pricing change ${v.id} is cancelled: pricing stays as it is`;
  const due = v.effectiveAt ? ` (it was due ${formatLocalTime(v.effectiveAt, timezone)})` : '';
  return reply(summary, [text(`**${summary}**${due}. Cancelled by ${by}${note ? `: “${note}”` : ''}.`)], 'channel');
}
