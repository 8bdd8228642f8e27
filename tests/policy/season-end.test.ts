import { describe, expect, it } from 'vitest';
import { seedCatalog } from '../helpers/seed.js';
import { testBed } from '../helpers/context.js';
import { pat, sam } from '../helpers/quote-life.js';
import { scheduleSeasonEnd } from '../../src/policy/season.js';
import { getSeason } from '../../src/store/policy-seasons.js';
import { getVersion, listVersions } from '../../src/store/policy-versions.js';
import type { Db } from '../../src/store/open.js';

const file = seedCatalog.policyFile;
const at = (s: string) => new Date(s);
const RECORD = 'rationale="rush demand" expected="higher margin on medium work" expected_margin=up rollback_criteria="medium win rate under 30%"';

/** Stands in for the reviewer's Approve (another part of issue 12): approve, then schedule the end in the same transaction. */
function approve(db: Db, id: string, now: Date) {
  db.transaction(() => {
    db.prepare("UPDATE policy_versions SET state = 'approved' WHERE id = ? AND state = 'proposed'").run(id);
    const start = getVersion(db, id);
    if (!start) throw new Error(id);
    scheduleSeasonEnd(db, start, now);
  }).immediate();
}

const quoteAt = async (bed: ReturnType<typeof testBed>, instant: Date) => {
  bed.setNow(instant);
  const r = await bed.run('/quote model=k2p5 complexity=medium segment=smb input=2000 output=800');
  return r.data as { policy_version?: string } | undefined;
};

describe('/policy season', () => {
  it('writes a proposed season_start effective at the start, ending at 00:00 after the end date, on top of the version in force', async () => {
    const bed = testBed({ now: at('2026-11-22T14:00:00Z') });
    const r = await bed.run(`/policy season name="Q4 rush" changes="base_markup.medium=4.5" start=2027-01-10 end=2027-01-31 ${RECORD}`, { actor: pat });
    expect(r.error).toBeUndefined();
    // The fixture's seed is named pricing_policy_v2026-11-22a, so the first version written that day is b.
    expect(r.data).toMatchObject({ version: 'pricing_policy_v2026-11-22b', name: 'Q4 rush', state: 'proposed', change_type: 'minor', promotion: false,
      starts_at: '2027-01-10T05:00:00.000Z', ends_at: '2027-02-01T05:00:00.000Z', previous: file.id, changes: [{ path: 'base_markup.medium', before: 4, after: 4.5 }] });
    const v = getVersion(bed.db, 'pricing_policy_v2026-11-22b');
    expect(v).toMatchObject({ kind: 'season_start', state: 'proposed', previous: file.id, changeType: 'minor', expectedMargin: 'up', rollbackCriteria: 'medium win rate under 30%',
      effectiveAt: at('2027-01-10T05:00:00Z'), endsAt: at('2027-02-01T05:00:00Z'), proposedBy: { personId: 'pat', name: 'Pat Kim' } });
    expect(v?.rules.base_markup.medium).toBe(4.5);
    expect(getSeason(bed.db, 'pricing_policy_v2026-11-22b')).toMatchObject({ name: 'Q4 rush', promotion: false, state: 'proposed', endId: null });
  });

  const bad: [string, string, RegExp][] = [
    ['too soon', 'changes="base_markup.medium=4.5" start=2026-12-01 end=2026-12-31', /planned at least 30 days ahead .* start on 2026-12-22 or later, or declare type=emergency/],
    ['no end', 'changes="base_markup.medium=4.5" start=2027-01-10', /end/],
    ['end before start', 'changes="base_markup.medium=4.5" start=2027-01-31 end=2027-01-10', /end \(2027-01-10\) is before start/],
    ['not a date', 'changes="base_markup.medium=4.5" start=2027-02-30 end=2027-03-10', /start/],
    ['unknown field', 'changes="base_markup.huge=4.5" start=2027-01-10 end=2027-01-31', /changes: base_markup\.huge is not a field of the pricing policy/],
    ['a markup moved by more than 1.0x', 'changes="base_markup.medium=5.5" start=2027-01-10 end=2027-01-31', /moves by 1\.50x/],
    ['a cut without promotion=yes', 'changes="base_markup.medium=3.8" start=2027-01-10 end=2027-01-31', /say promotion=yes/],
    ['a promotion over 7 days', 'changes="base_markup.medium=3.8" promotion=yes start=2027-01-10 end=2027-01-17', /at most 7 days/],
    ['a promotion over 20% off', 'changes="segment_adjustment.startup=-1.5" promotion=yes start=2027-01-10 end=2027-01-16', /startup: 2 -> 1\.5 is 25% off/],
    ['a markup at zero', 'changes="segment_adjustment.startup=-3" promotion=yes start=2027-01-10 end=2027-01-16', /leaves no positive markup/],
    ['every problem at once', 'changes="segment_adjustment.startup=-3" promotion=yes start=2026-12-01 end=2026-12-31', /leaves no positive markup[\s\S]*planned at least 30 days ahead[\s\S]*at most 7 days/],
    ['promotion=maybe', 'changes="base_markup.medium=4.5" promotion=maybe start=2027-01-10 end=2027-01-31', /promotion/],
  ];

  it.each(bad)('refuses %s with a clear message and writes nothing', async (_label, args, message) => {
    const bed = testBed({ now: at('2026-11-22T14:00:00Z') });
    const r = await bed.run(`/policy season name="Q4 rush" ${args} ${RECORD}`, { actor: pat });
    expect(r.error).toBeDefined();
    expect(r.blocks.map((b) => ('text' in b ? b.text : '')).join('\n') + r.summary).toMatch(message);
    expect(bed.count('policy_versions')).toBeLessThanOrEqual(1);
    expect(bed.count('policy_seasons')).toBe(0);
  });

  it('is for pricing admins: a sales rep is told whom to ask, and nothing is written', async () => {
    const bed = testBed({ now: at('2026-11-22T14:00:00Z') });
    const r = await bed.run(`/policy season name="Q4 rush" changes="base_markup.medium=4.5" start=2027-01-10 end=2027-01-31 ${RECORD}`, { actor: sam });
    expect(r.error?.code).toBe('forbidden');
    expect(r.summary).toContain('Only a pricing admin schedules a season (§48): ask Pat Kim.');
    expect(bed.count('policy_seasons')).toBe(0);
  });

  it('refuses a season overlapping one already on the calendar', async () => {
    const bed = testBed({ now: at('2026-11-22T14:00:00Z') });
    await bed.run(`/policy season name="Q4 rush" changes="base_markup.medium=4.5" start=2027-01-10 end=2027-01-31 ${RECORD}`, { actor: pat });
    const r = await bed.run(`/policy season name="Late rush" changes="base_markup.high=5.5" start=2027-01-31 end=2027-02-10 ${RECORD}`, { actor: pat });
    expect(r.summary + r.blocks.map((b) => ('text' in b ? b.text : '')).join('')).toMatch(/overlaps the season "Q4 rush" \(pricing_policy_v2026-11-22b, 2027-01-10 00:00 EST to 2027-02-01 00:00 EST\)/);
    const next = await bed.run(`/policy season name="February" changes="base_markup.high=5.5" start=2027-02-01 end=2027-02-10 ${RECORD}`, { actor: pat });
    expect(next.error).toBeUndefined();
  });

  it('a declared emergency starting today is in force at once, its end scheduled and its review due in 24 hours', async () => {
    const now = at('2026-11-22T14:00:00Z');
    const bed = testBed({ now });
    const r = await bed.run(`/policy season name="Outage relief" changes="base_markup.medium=4.5" start=2026-11-22 end=2026-11-23 type=emergency ${RECORD}`, { actor: pat });
    expect(r.data).toMatchObject({ state: 'approved', change_type: 'emergency', starts_at: now.toISOString(), ends_at: '2026-11-24T05:00:00.000Z' });
    const start = getVersion(bed.db, 'pricing_policy_v2026-11-22b');
    expect(start).toMatchObject({ state: 'approved', effectiveAt: now, reviewDueAt: at('2026-11-23T14:00:00Z'), pairId: 'pricing_policy_v2026-11-22c' });
    expect(getVersion(bed.db, 'pricing_policy_v2026-11-22c')).toMatchObject({ kind: 'season_end', effectiveAt: at('2026-11-24T05:00:00Z'), rules: file.rules });
    expect((await quoteAt(bed, now))?.policy_version).toBe('pricing_policy_v2026-11-22b');
  });
});

describe('a season approved through the review path ends on time', () => {
  // Seasons ending on the day clocks fall back (25 hours) and spring forward (23 hours) in New York:
  // the season holds until exactly local midnight after its last day, not an hour either side.
  it.each([
    ['fall back', '2026-09-01T14:00:00Z', '2026-10-15', '2026-11-01', '2026-10-15T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    ['spring forward', '2027-01-15T14:00:00Z', '2027-03-01', '2027-03-14', '2027-03-01T05:00:00.000Z', '2027-03-15T04:00:00.000Z'],
  ])('across %s: in force until local midnight after %s.. and not after', async (_label, proposedAt, start, end, startsAt, endsAt) => {
    const now = at(proposedAt);
    const bed = testBed({ now });
    const r = await bed.run(`/policy season name="Rush" changes="base_markup.medium=4.5" start=${start} end=${end} ${RECORD}`, { actor: pat });
    const id = (r.data as { version: string }).version;
    expect(r.data).toMatchObject({ starts_at: startsAt, ends_at: endsAt });
    approve(bed.db, id, now);
    const startV = getVersion(bed.db, id);
    const endId = startV?.pairId ?? '';
    expect(getVersion(bed.db, endId)).toMatchObject({ kind: 'season_end', state: 'approved', previous: id, pairId: id, effectiveAt: at(endsAt), rules: file.rules, expectedMargin: 'down' });

    const ends = at(endsAt).getTime();
    const priced = [];
    for (const instant of [at(startsAt).getTime() - 1, at(startsAt).getTime(), ends - 1, ends]) {
      priced.push((await quoteAt(bed, new Date(instant)))?.policy_version);
    }
    expect(priced).toEqual([file.id, id, id, endId]);
    const markups = bed.db.prepare('SELECT final_markup FROM quotes ORDER BY seq').all() as { final_markup: string }[];
    expect(markups.map((m) => m.final_markup)).toEqual(['3.5', '4', '4', '3.5']);
  });

  it('restores what was in force just before the season, and is scheduled once however often approval calls it', async () => {
    const now = at('2026-11-22T14:00:00Z');
    const bed = testBed({ now });
    const r = await bed.run(`/policy season name="Q4 rush" changes="base_markup.medium=4.5" start=2027-01-10 end=2027-01-31 ${RECORD}`, { actor: pat });
    const id = (r.data as { version: string }).version;
    approve(bed.db, id, now);
    const start = getVersion(bed.db, id);
    if (!start) throw new Error(id);
    const again = scheduleSeasonEnd(bed.db, start, now);
    expect(again.id).toBe(start.pairId);
    expect(listVersions(bed.db).filter((v) => v.kind === 'season_end')).toHaveLength(1);
    expect(getSeason(bed.db, id)).toMatchObject({ state: 'approved', endId: start.pairId });
    expect(() => scheduleSeasonEnd(bed.db, { ...start, kind: 'change' }, now)).toThrow(/not the start of a season/);
  });
});
