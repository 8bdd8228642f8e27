import type { CommandContext } from '../core/command.js';
import { dayRange } from '../domain/calendar.js';
import { formatPct, formatUsd } from '../domain/money.js';
import { seesAllQuotes } from '../domain/quote-access.js';
import type { QuoteState } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Segment } from '../domain/pricing-types.js';
import { context, reply, table, text, type Reply } from '../reply/reply.js';
import { listQuotes } from '../store/quote-lists.js';
import { stateBadge } from './life-view.js';
import { viewerOf } from './life.js';

export interface QuoteListInput {
  state?: QuoteState;
  account?: string;
  segment?: Segment;
  /** YYYY-MM-DD, a day in the operating timezone. */
  since?: string;
  limit: number;
}

const DAY_MS = 86_400_000;

/** A quote's age in whole days, or hours on its first day. */
function age(q: QuoteRecord, now: Date): { days: number; text: string } {
  const ms = Math.max(0, now.getTime() - q.createdAt.getTime());
  const days = Math.floor(ms / DAY_MS);
  return { days, text: days ? `${days}d` : `${Math.floor(ms / 3_600_000)}h` };
}

/**
 * `/quotes`: newest first, filtered. Playbook §55: a sales rep sees the quotes they asked (under any
 * of their ids); revenue managers, pricing admins and executives see everyone's.
 */
export function quoteList(ctx: CommandContext, input: QuoteListInput): Reply {
  const viewer = viewerOf(ctx);
  const all = seesAllQuotes(viewer.role);
  const since = input.since ? dayRange(input.since, ctx.config.timezone)?.from : undefined;
  const quotes = listQuotes(ctx.db, {
    state: input.state,
    account: input.account,
    segment: input.segment,
    since,
    askers: all ? undefined : viewer.identities,
    limit: input.limit,
  });
  const scope = all ? 'all quotes' : 'your own quotes (a sales rep sees their own; managers see all)';
  const filters = [
    input.state && `state ${input.state}`,
    input.account && `account ${input.account}`,
    input.segment && `segment ${input.segment}`,
    input.since && `since ${input.since}`,
  ].filter(Boolean);
  const summary = `${quotes.length} quote${quotes.length === 1 ? '' : 's'}${filters.length ? ` (${filters.join(', ')})` : ''}`;
  const rows = quotes.map((q) => [
    q.id,
    stateBadge(q.state),
    q.account ?? '—',
    q.request.segment,
    formatUsd(q.price.finalPrice),
    formatPct(q.price.grossMarginPct),
    q.userName,
    age(q, ctx.now).text,
  ]);
  return {
    ...reply(summary, [
      rows.length ? table(['id', 'state', 'account', 'segment', 'price', 'margin', 'asker', 'age'], rows) : text('No quotes match.'),
      context(`${summary} · ${scope}, newest first, at most ${input.limit} · \`/quote show ID\` for one quote’s history`),
    ]),
    data: {
      scope: all ? 'all' : 'own',
      quotes: quotes.map((q) => ({
        quote_id: q.id,
        state: q.state,
        state_changed_at: q.stateChangedAt.toISOString(),
        created_at: q.createdAt.toISOString(),
        account: q.account,
        segment: q.request.segment,
        final_price: Number(q.price.finalPrice.toFixed(2)),
        gross_margin_pct: Number(q.price.grossMarginPct.toFixed(2)),
        asked_by: { platform: q.platform, user_id: q.userId, name: q.userName },
        age_days: age(q, ctx.now).days,
      })),
    },
  };
}
