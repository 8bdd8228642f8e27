import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actor.js';
import { announceDueVersions } from '../../src/policy/switch.js';
import { getQuote } from '../../src/store/quotes.js';
import { testBed } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';
import { addVersion, at, SEED, withRules } from './versions-helpers.js';

const sam: Actor = { platform: 'slack', userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' };
const maria: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };
const B = 'pricing_policy_v2026-11-22b';
/** 25% off: past the 20% escalation line, for a revenue lead (Maria Lopez) to decide. */
const ESCALATED = '/quote sonnet medium mid_market 100000 100000 discount=25 account=Initech';

describe('in-flight quotes keep the version they were priced under (§48 Implementation)', () => {
  it('a quote escalated under A and approved after B came into force keeps A’s price, margin and policy_version', async () => {
    const b = testBed({ now: at('2026-11-22T14:00:00Z') });
    await b.run(ESCALATED, { actor: sam });
    const asked = getQuote(b.db, 'Q-00001');
    expect(asked).toMatchObject({ state: 'pending_approval', policyVersion: SEED });

    addVersion(b.db, { id: B, changeType: 'major', rules: withRules({ base_markup: { medium: 5 } }), effectiveAt: at('2026-11-22T15:00:00Z') });
    b.setNow(at('2026-11-22T15:30:00Z'));
    expect(announceDueVersions({ db: b.db, catalog: seedCatalog, timezone: 'America/New_York', platforms: ['slack'], now: b.ctx().now })).toEqual([B]);

    const decided = await b.run('/desk approve Q-00001 note="multi-quarter commitment"', { actor: maria });
    expect(decided.error).toBeUndefined();
    const approved = getQuote(b.db, 'Q-00001');
    expect(approved?.state).toBe('approved_by_desk');
    expect(approved?.policyVersion).toBe(SEED);
    expect(approved?.price).toEqual(asked?.price);
    expect(approved?.decision).toEqual(asked?.decision);

    // The same request priced now is priced under B: the kept price is A's, not a coincidence.
    await b.run(ESCALATED, { actor: sam });
    const now = getQuote(b.db, 'Q-00002');
    expect(now?.policyVersion).toBe(B);
    expect(now?.price.finalPrice.eq(asked?.price.finalPrice ?? 0)).toBe(false);
    expect(now?.price.grossMarginPct.eq(asked?.price.grossMarginPct ?? 0)).toBe(false);
  });
});
