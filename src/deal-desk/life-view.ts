import { formatLocalTime } from '../domain/calendar.js';
import { stateLabel, type QuoteState } from '../domain/quote-life.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { actions, context, table, text, type Block, type Button } from '../reply/reply.js';
import type { QuoteHistoryEntry } from '../store/quote-history.js';

const STATE_ICON: Record<QuoteState, string> = {
  approved: '✅',
  approved_with_conditions: '🟡',
  escalated: '🛑',
  pending_approval: '⏳',
  approved_by_desk: '✅',
  approved_as_exception: '🧭',
  changes_requested: '✏️',
  declined: '⛔',
  sent: '📤',
  won: '🏆',
  lost: '🪦',
  expired: '⌛',
};

export const stateBadge = (s: QuoteState) => `${STATE_ICON[s]} ${stateLabel(s)}`;

/** A history row's details as words: the event itself is already the row's from -> to. */
function detailText(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([k, v]) => k !== 'event' && v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k.replace(/([A-Z])/g, ' $1').replace(/_/g, ' ').toLowerCase()}: ${Array.isArray(v) ? v.map(String).join(' / ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.join('; ') || '—';
}

export function historyData(h: QuoteHistoryEntry) {
  return {
    at: h.at.toISOString(),
    from: h.from,
    to: h.to,
    by: { platform: h.actor.platform, user_id: h.actor.userId, name: h.actor.name, person: h.actor.personId ?? null, role: h.actor.role ?? null },
    note: h.note,
    detail: h.detail,
  };
}

/** Pressing it says the approval's conditions are met, and sends the quote. */
export const conditionsMetButton = (q: QuoteRecord): Button => ({
  action: 'quote.conditions_met',
  label: 'Conditions met: send',
  value: q.id,
  style: 'primary',
  typed: `/quote send ${q.id} confirm=yes`,
});

/**
 * The next steps a person can take on a quote, as buttons (and typed commands for the console).
 * A conditional approval's button is on the quote's own reply (conditionsMetButton), which
 * `/quote show` includes.
 */
export function lifeButtons(q: QuoteRecord): Button[] {
  switch (q.state) {
    case 'approved':
    case 'approved_by_desk':
    case 'approved_as_exception':
      return [{ action: 'quote.send', label: 'Mark sent', value: q.id, style: 'primary', typed: `/quote send ${q.id}` }];
    case 'sent':
      return [
        { action: 'quote.won', label: 'Won', value: q.id, style: 'primary', typed: `/quote won ${q.id}` },
        { action: 'quote.lost', label: 'Lost', value: q.id, style: 'danger', typed: `/quote lost ${q.id} reason=price|competitor|timing|scope|no_decision|other` },
      ];
    default:
      return [];
  }
}

/** The quote's life under its pricing: where it stands, every move, and what can happen next. */
export function lifeBlocks(q: QuoteRecord, history: readonly QuoteHistoryEntry[], timezone: string): Block[] {
  const rows = history.map((h) => [
    formatLocalTime(h.at, timezone),
    `${h.from ? stateLabel(h.from) : 'priced'} → ${stateLabel(h.to)}`,
    h.actor.name,
    h.actor.role?.replace(/_/g, ' ') ?? '—',
    h.note ?? '—',
    detailText(h.detail),
  ]);
  const buttons = lifeButtons(q);
  return [
    text(`**State** ${stateBadge(q.state)} since ${formatLocalTime(q.stateChangedAt, timezone)}`),
    table(['when', 'move', 'who', 'role', 'note', 'details'], rows),
    ...(q.state === 'approved_with_conditions' && q.decision.conditions.length
      ? [context(`Send only once these are met: ${q.decision.conditions.join('; ')}`)]
      : []),
    ...(buttons.length ? [actions(...buttons)] : []),
  ];
}
