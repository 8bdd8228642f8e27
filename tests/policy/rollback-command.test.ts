import { describe, expect, it } from 'vitest';
import { toText } from '../../src/reply/text.js';
import type { Reply } from '../../src/reply/reply.js';
import { getVersion, versionIdInForce } from '../../src/store/policy-versions.js';
import { testBed } from '../helpers/context.js';
import { eli, maria, moveAlong, pat, sam } from '../helpers/quote-life.js';
import { CHANGE_ID, EFF, HOUR, SEED_ID, after, backfiringChange, insertChange } from './validation-fixture.js';

const ROLLBACK_ID = 'pricing_policy_v2026-11-20b';
const salesMessages = (bed: { db: { prepare: (s: string) => { all: () => unknown[] } } }) =>
  (bed.db.prepare("SELECT destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { destination: string; payload: string }[]).map((r) => ({
    destination: r.destination,
    text: toText(JSON.parse(r.payload) as Reply),
  }));
const versionCount = (bed: { count: (t: string) => number }) => bed.count('policy_versions');

describe('/policy rollback (§49)', () => {
  it('reverts the version in force with a new rollback version holding the previous rules, tells the sales channel of the hold, and lists the open quotes to re-issue (won quotes keep their price)', async () => {
    const bed = await backfiringChange();
    // Q-00007..Q-00011 were priced under the change. One is won, one lost: neither is re-issued.
    moveAlong(bed.db, 'Q-00007', [{ kind: 'approve' }, { kind: 'send', conditionsConfirmed: false }, { kind: 'win' }], after(6 * HOUR));
    moveAlong(bed.db, 'Q-00008', [{ kind: 'approve' }, { kind: 'send', conditionsConfirmed: false }, { kind: 'lose', reason: 'price' }], after(6 * HOUR));
    bed.setNow(after(7 * HOUR));
    const r = await bed.run('/policy rollback note="margins fell 13% in five hours"', { actor: maria });
    expect(r.error).toBeUndefined();
    expect(r.data).toMatchObject({
      rolled_back: CHANGE_ID,
      rollback_version: ROLLBACK_ID,
      restored: SEED_ID,
      in_force: ROLLBACK_ID,
      rolled_back_by: 'Maria Lopez',
      reissue: [
        { quote_id: 'Q-00009', account: 'Acme3', state: 'pending_approval' },
        { quote_id: 'Q-00010', account: 'Acme4', state: 'pending_approval' },
        { quote_id: 'Q-00011', account: 'Acme5', state: 'pending_approval' },
      ],
    });
    expect(toText(r)).toContain('Quotes to re-issue 3 open quotes priced under pricing_policy_v2026-11-20a');

    const rollback = getVersion(bed.db, ROLLBACK_ID);
    expect(rollback).toMatchObject({ kind: 'rollback', state: 'approved', previous: CHANGE_ID, pairId: CHANGE_ID, changeType: 'minor', effectiveAt: after(7 * HOUR), changedBy: 'Maria Lopez' });
    expect(rollback?.rules).toEqual(getVersion(bed.db, SEED_ID)?.rules);
    expect(getVersion(bed.db, CHANGE_ID)).toMatchObject({ state: 'approved', rolledBackAt: after(7 * HOUR), rolledBackBy: ROLLBACK_ID });
    expect(versionIdInForce(bed.db, after(7 * HOUR))?.id).toBe(ROLLBACK_ID);

    // The fixture team names no sales channel on Slack: the ops channel is told.
    const sales = salesMessages(bed).filter((m) => m.text.includes('Pricing change on hold'));
    expect(sales).toHaveLength(1);
    expect(sales[0]?.destination).toBe('C0OPS00001');
    expect(sales[0]?.text).toContain(`${CHANGE_ID} is rolled back by Maria Lopez at 2026-11-20 17:00 EST: new quotes are priced under the previous pricing (${SEED_ID}) again, as ${ROLLBACK_ID}.`);
    expect(sales[0]?.text).toContain('margins fell 13% in five hours');
    expect(sales[0]?.text).toMatch(/Q-00009\s+Acme3/);
    expect(sales[0]?.text).not.toContain('Q-00007');
    expect(sales[0]?.text).not.toContain('Q-00008');

    // New quotes are priced under the restored rules: 4.0x medium again, and 15% off no longer escalates.
    const next = await bed.run('/quote sonnet medium mid_market 100000 100000 discount=15', { actor: sam });
    expect(next.data).toMatchObject({ policy_version: ROLLBACK_ID, final_markup: 4, decision_status: 'approved_with_conditions' });
  });

  it('rolls back once: a second press is told who did it and when; the rollback itself cannot be rolled back', async () => {
    const bed = await backfiringChange();
    bed.setNow(after(7 * HOUR));
    await bed.run(`/policy rollback ${CHANGE_ID}`, { actor: maria });
    const versions = versionCount(bed);
    const again = await bed.run(`/policy rollback ${CHANGE_ID}`, { actor: eli });
    expect(again.error?.code).toBe('conflict');
    expect(again.summary).toBe(`${CHANGE_ID} was already rolled back by Maria Lopez at 2026-11-20 17:00 EST (${ROLLBACK_ID}).`);
    const inForce = await bed.run('/policy rollback', { actor: eli });
    expect(inForce.summary).toContain(`${ROLLBACK_ID} itself restores an earlier version (rollback of ${CHANGE_ID})`);
    expect(versionCount(bed)).toBe(versions);
  });

  it.each([
    ['minor', sam, `only a revenue manager or an executive may roll it back (playbook §49), and you are listed as sales rep. Ask Maria Lopez, Eli Brooks.`],
    ['minor', pat, 'you are listed as pricing admin. Ask Maria Lopez, Eli Brooks.'],
    ['major', maria, 'only an executive may roll it back (playbook §49), and you are listed as revenue manager. Ask Eli Brooks.'],
    ['emergency', maria, 'only the person who made it or an executive may roll it back (playbook §49), and you are listed as revenue manager. Ask Pat Kim, Eli Brooks.'],
  ] as const)('refuses a %s change to %j, naming who can act instead, and writes nothing', async (changeType, actor, why) => {
    const bed = await backfiringChange({ changeType });
    bed.setNow(after(7 * HOUR));
    const versions = versionCount(bed);
    const r = await bed.run('/policy rollback', { actor });
    expect(r.error?.code).toBe('forbidden');
    expect(r.summary).toContain(why);
    expect(versionCount(bed)).toBe(versions);
    expect(getVersion(bed.db, CHANGE_ID)?.rolledBackAt).toBeNull();
  });

  it.each([
    ['major', eli],
    ['emergency', pat],
  ] as const)('a %s change is rolled back by %j', async (changeType, actor) => {
    const bed = await backfiringChange({ changeType });
    bed.setNow(after(7 * HOUR));
    const r = await bed.run('/policy rollback', { actor });
    expect(r.error).toBeUndefined();
    expect(getVersion(bed.db, ROLLBACK_ID)).toMatchObject({ kind: 'rollback', changeType });
  });

  it('refuses the seed, a superseded version, a proposal and an unknown id, and explains each', async () => {
    const bed = testBed({ now: after(HOUR) });
    await bed.run('/quote k2p5 medium smb 2000 800', { actor: sam });
    expect((await bed.run('/policy rollback', { actor: eli })).summary).toBe(
      `${SEED_ID} is the first version, seeded from data/pricing-policy.json: there is no earlier version to go back to. Propose a change instead (/policy propose).`,
    );
    insertChange(bed.db, 'minor', EFF);
    insertChange(bed.db, 'minor', after(HOUR / 2), 'pricing_policy_v2026-11-20b');
    const superseded = await bed.run(`/policy rollback ${CHANGE_ID}`, { actor: eli });
    expect(superseded.summary).toBe(
      `${CHANGE_ID} is no longer in force: pricing_policy_v2026-11-20b replaced it. Only the version in force can be rolled back; to change pricing_policy_v2026-11-20b, roll that one back or propose a change.`,
    );
    bed.db.prepare("UPDATE policy_versions SET state = 'proposed', effective_at = NULL WHERE id = 'pricing_policy_v2026-11-20b'").run();
    expect((await bed.run('/policy rollback pricing_policy_v2026-11-20b', { actor: eli })).summary).toBe(
      'pricing_policy_v2026-11-20b is only proposed, never in force: its reviewer rejects it instead (/policy reject pricing_policy_v2026-11-20b).',
    );
    const unknown = await bed.run('/policy rollback pricing_policy_v1999-01-01a', { actor: eli });
    expect(unknown.error?.code).toBe('not_found');
  });

  it('cancels a version approved but not yet in force (no rollback version), under the same authority, and tells the sales channel', async () => {
    const bed = testBed({ now: new Date(EFF.getTime() - HOUR) });
    await bed.run('/quote k2p5 medium smb 2000 800', { actor: sam });
    insertChange(bed.db, 'major', EFF);
    const versions = versionCount(bed);
    const refused = await bed.run(`/policy rollback ${CHANGE_ID}`, { actor: maria });
    expect(refused.summary).toContain('only an executive may cancel it');
    const r = await bed.run(`/policy rollback ${CHANGE_ID} note="not this quarter"`, { actor: eli });
    expect(r.error).toBeUndefined();
    expect(r.summary).toBe(`Cancelled ${CHANGE_ID}: it was due 2026-11-20 10:00 EST and never came into force`);
    expect(r.data).toMatchObject({ cancelled: CHANGE_ID, cancelled_by: 'Eli Brooks', rollback_version: null });
    expect(versionCount(bed)).toBe(versions);
    expect(getVersion(bed.db, CHANGE_ID)?.state).toBe('cancelled');
    expect(versionIdInForce(bed.db, after(HOUR))?.id).toBe(SEED_ID);
    expect(salesMessages(bed).map((m) => m.text).join('\n')).toContain(`Scheduled pricing change ${CHANGE_ID} is cancelled: pricing stays as it is (it was due 2026-11-20 10:00 EST). Cancelled by Eli Brooks: “not this quarter”.`);
    const twice = await bed.run(`/policy rollback ${CHANGE_ID}`, { actor: eli });
    expect(twice.summary).toBe(`${CHANGE_ID} was already cancelled by Eli Brooks at 2026-11-20 09:00 EST: it never came into force.`);
  });
});
