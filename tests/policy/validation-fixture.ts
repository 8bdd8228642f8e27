import type { Actor } from '../../src/domain/actor.js';
import type { ChangeType } from '../../src/domain/policy-version.js';
import { policyTick } from '../../src/policy/tick.js';
import type { Db } from '../../src/store/open.js';
import { insertVersion } from '../../src/store/policy-versions.js';
import { testBed } from '../helpers/context.js';
import { sam } from '../helpers/quote-life.js';
import { seedCatalog } from '../helpers/seed.js';

/** Shared by the validation and rollback tests: a change that backfires, with the quotes that show it. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const EFF = new Date('2026-11-20T15:00:00Z');
export const CHANGE_ID = 'pricing_policy_v2026-11-20a';
export const SEED_ID = seedCatalog.policyFile.id;
export const after = (ms: number) => new Date(EFF.getTime() + ms);

/** Medium mid-market at 15% off: 4.0x -> 3.4x, 70.58% margin, not escalated under the seed (escalation over 20%). */
export const QUOTE = '/quote sonnet medium mid_market 100000 100000 discount=15';

/**
 * The change: medium markup 4.0x -> 3.0x (margins fall) and escalation over 10% instead of 20%
 * (every 15%-off quote escalates), although its proposer expected margins to rise.
 */
export function insertChange(db: Db, changeType: ChangeType = 'minor', effectiveAt = EFF, id = CHANGE_ID) {
  const rules = seedCatalog.policyFile.rules;
  return insertVersion(db, {
    id,
    previous: SEED_ID,
    kind: 'change',
    changeType,
    state: 'approved',
    rules: { ...rules, base_markup: { ...rules.base_markup, medium: 3 }, escalation: { ...rules.escalation, discount_over_pct: 10 } },
    proposedBy: { platform: 'slack', userId: 'U0PRICING1', name: 'Pat Kim', personId: 'pat' },
    proposedAt: new Date(effectiveAt.getTime() - DAY),
    rationale: 'Tighter discount control',
    expectedOutcome: 'Fewer deep discounts, margins up',
    expectedMargin: 'up',
    rollbackCriteria: 'Margin down more than 10% or escalations up 20% within 48 hours',
    effectiveAt,
  });
}

/**
 * Six quotes the week before (five at 70.58%, one at 25% off escalated: 1 in 6), the change, then
 * five quotes in its first five hours (60.78%, all escalated).
 */
export async function backfiringChange(options: { db?: Db; actor?: Actor; changeType?: ChangeType } = {}) {
  const bed = testBed({ now: new Date(EFF.getTime() - 6 * DAY), db: options.db });
  const actor = options.actor ?? sam;
  for (let i = 0; i < 5; i += 1) {
    bed.setNow(new Date(EFF.getTime() - (6 - i) * DAY));
    await bed.run(QUOTE, { actor });
  }
  bed.setNow(new Date(EFF.getTime() - HOUR));
  await bed.run('/quote sonnet medium mid_market 100000 100000 discount=25', { actor });
  insertChange(bed.db, options.changeType);
  for (let i = 1; i <= 5; i += 1) {
    bed.setNow(after(i * HOUR));
    await bed.run(`${QUOTE} account=Acme${i}`, { actor });
  }
  const tick = (now: Date) => policyTick({ db: bed.db, catalog: seedCatalog, timezone: bed.config.timezone, platforms: ['slack'], now });
  return { ...bed, tick };
}
