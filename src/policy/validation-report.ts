import { formatLocalTime } from '../domain/calendar.js';
import { bullets, text, type Block } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { raisedTriggers, validateVersion, versionsUnderValidation } from './validation.js';
import { TRIGGER_LABEL, escalationLine, marginLine } from './validation-view.js';

/**
 * The nightly handoff's and the weekly retro's "Policy validation" section (§48 step 4): for each
 * change in force for less than a week, margin and escalation rate before -> after, and any trigger
 * that fired. No block at all when no version changed this week: an empty section is noise.
 */
export function policyValidationSection(db: Db, now: Date, timezone: string): { blocks: Block[]; data: Record<string, unknown>[] } {
  const rows = versionsUnderValidation(db, now).flatMap((v) => {
    const validation = validateVersion(db, v, now);
    return validation ? [{ v, validation, fired: raisedTriggers(db, v.id) }] : [];
  });
  if (rows.length === 0) return { blocks: [], data: [] };
  const lines = rows.map(({ v, validation, fired }) => {
    const since = v.effectiveAt ? formatLocalTime(v.effectiveAt, timezone) : '—';
    const rolled = v.rolledBackAt ? ` · rolled back ${formatLocalTime(v.rolledBackAt, timezone)}` : '';
    const triggers = fired.length ? `triggers: ${fired.map((f) => TRIGGER_LABEL[f.reason]).join(', ')}` : 'no trigger fired';
    const waiting = validation.pending.length ? ` (not judged yet: ${validation.pending.join('; ')})` : '';
    return `${v.id} (${v.changeType}, expected margin ${v.expectedMargin ?? 'not stated'}), in force since ${since}${rolled}: margin ${marginLine(validation)} · escalation rate ${escalationLine(validation)} in the first 48 hours · ${validation.before.quotes} quotes the week before, ${validation.after.quotes} under it · ${triggers}${waiting}`;
  });
  return {
    blocks: [text(`**Policy validation** (changes in force for less than a week)\n${bullets(lines)}`)],
    data: rows.map(({ v, validation, fired }) => ({
      version: v.id,
      before: { quotes: validation.before.quotes, avg_margin_pct: validation.before.avgMarginPct?.toFixed(2) ?? null, escalation_rate_pct: validation.before.escalationRatePct?.toFixed(2) ?? null },
      after: { quotes: validation.after.quotes, avg_margin_pct: validation.after.avgMarginPct?.toFixed(2) ?? null, escalation_rate_pct_48h: validation.first48h.escalationRatePct?.toFixed(2) ?? null },
      triggers: fired.map((f) => f.reason),
      rolled_back: v.rolledBackAt !== null,
    })),
  };
}
