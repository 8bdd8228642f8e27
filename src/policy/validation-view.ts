import type Big from 'big.js';
import { formatPct } from '../domain/money.js';
import { ESCALATION_RISE_LIMIT, MARGIN_MOVE_LIMIT, type SideFigures, type TriggerReason, type Validation } from '../domain/policy-validation.js';
import type { PolicyVersion } from '../domain/policy-version.js';

/** How a validation's figures read in an alert, the handoff and the retro: one wording everywhere. */

const pctOrNone = (v: Big | null) => (v === null ? 'n/a' : formatPct(v));
const relative = (move: Big | null) => (move === null ? '' : ` (${move.gte(0) ? '+' : ''}${move.times(100).toFixed(1)}%)`);
const limitPct = (b: Big) => `${b.times(100).toFixed(0)}%`;

/** "61.20% -> 52.10% (-14.9%)": the average margin, the week before against under the change. */
export const marginLine = (v: Validation) => `${pctOrNone(v.before.avgMarginPct)} -> ${pctOrNone(v.after.avgMarginPct)}${relative(v.marginMove)}`;

/** "10.00% -> 30.00% (+200.0%)": the escalation rate, the week before against the first 48 hours. */
export const escalationLine = (v: Validation) => `${pctOrNone(v.before.escalationRatePct)} -> ${pctOrNone(v.first48h.escalationRatePct)}${relative(v.escalationRise)}`;

export const sideCount = (s: SideFigures) => `${s.quotes} quote${s.quotes === 1 ? '' : 's'}, ${s.escalated} escalated`;

const EXPECTED: Record<'up' | 'down' | 'steady', string> = { up: 'to rise', down: 'to fall', steady: 'to hold steady' };

/** What moved, in one sentence, for a trigger. */
export function triggerSentence(reason: TriggerReason, version: Pick<PolicyVersion, 'expectedMargin'>, v: Validation): string {
  if (reason === 'margin_opposite') {
    const expected = version.expectedMargin ? EXPECTED[version.expectedMargin] : 'to hold steady (no direction was given)';
    return `The average margin moved ${marginLine(v)} although the change expected it ${expected}: more than ${limitPct(MARGIN_MOVE_LIMIT)} the wrong way (§49).`;
  }
  return `The escalation rate rose ${escalationLine(v)} within 48 hours of the change: up more than ${limitPct(ESCALATION_RISE_LIMIT)} (§49).`;
}

export const TRIGGER_LABEL: Record<TriggerReason, string> = {
  margin_opposite: 'margin moving opposite to the expected outcome',
  escalation_spike: 'escalation rate spike within 48 hours',
};
