import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { schedules } from '../../schedules/index.js';
import { startBot } from '../../src/app.js';
import { nextSlot } from '../../src/domain/slots.js';
import { toText } from '../../src/reply/text.js';
import { resolveJobs, runSlot } from '../../src/scheduler/runner.js';
import { silentLog, testBed, testConfig } from '../helpers/context.js';
import { moveAlong, PATHS, sam } from '../helpers/quote-life.js';
import { seedCatalog } from '../helpers/seed.js';

// The first Monday of December 2026, 09:00 in New York.
const slot = new Date('2026-12-07T14:00:00Z');
const NY = 'America/New_York';

/**
 * Four weeks of quotes: smb won 8 of 10 (a win rate over 70%), ten startup quotes without a verdict
 * at a margin far over target, one enterprise quote (not enough data), and one smb quote older than
 * the window that must not count.
 */
async function seeded() {
  const bed = testBed({ now: new Date('2026-11-01T15:00:00Z') });
  await bed.run('/quote k2p5 medium smb 2000 800 account=Old');
  bed.setNow(new Date('2026-11-20T15:00:00Z'));
  for (let i = 0; i < 10; i += 1) {
    const r = await bed.run('/quote k2p5 medium smb 2000 800 account=Acme');
    const id = (r.data as { quote_id: string }).quote_id;
    moveAlong(bed.db, id, PATHS[i < 8 ? 'won' : 'lost'].moves, new Date('2026-11-25T15:00:00Z'));
  }
  for (let i = 0; i < 10; i += 1) await bed.run('/quote k2p5 low startup 2000 800 account=Initech');
  await bed.run('/quote sonnet high enterprise 100000 100000 account=Globex delivery=enterprise');
  return bed;
}

function post(bed: Awaited<ReturnType<typeof seeded>>) {
  const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === 'monthly-calibration');
  if (!job) throw new Error('monthly-calibration is not registered');
  expect(runSlot({ db: bed.db, catalog: seedCatalog, config: bed.config, platforms: ['slack'], log: silentLog }, job, slot, slot)).toBe('posted');
  const row = bed.db.prepare("SELECT destination, payload FROM outbox WHERE kind = 'message' ORDER BY id DESC").get() as { destination: string; payload: string };
  const reply = JSON.parse(row.payload) as Parameters<typeof toText>[0] & { data: Record<string, unknown> };
  return { destination: row.destination, reply, text: toText(reply) };
}

describe('the monthly calibration', () => {
  it('is posted on the first Monday of each month at 09:00 local', () => {
    const job = resolveJobs(schedules, seedCatalog).find((j) => j.def.name === 'monthly-calibration');
    const slots: string[] = [];
    let at = new Date('2026-11-22T14:00:00Z');
    for (let i = 0; i < 4; i += 1) slots.push((at = nextSlot(job?.cron ?? '', NY, at)).toISOString());
    expect(slots).toEqual(['2026-12-07T14:00:00.000Z', '2027-01-04T14:00:00.000Z', '2027-02-01T14:00:00.000Z', '2027-03-01T14:00:00.000Z']);
  });

  it('posts to the ops channel the last 4 weeks by segment from the quotes and their outcomes, with each signal’s ready proposal', async () => {
    const bed = await seeded();
    const { destination, reply, text } = post(bed);
    expect(destination).toBe('C0OPS00001');
    expect(reply.data).toMatchObject({ from: '2026-11-09T14:00:00.000Z', to: slot.toISOString(), quotes: 21 });
    const segments = reply.data.segments as { segment: string }[];
    expect(segments.map((s) => s.segment)).toEqual(['enterprise', 'smb', 'startup']);
    expect(segments[1]).toEqual({
      segment: 'smb', quotes: 10, won: 8, lost: 2, win_rate_pct: 80, win_rate_enough: true, avg_quoted_usd: 0.5, avg_accepted_usd: 0.5,
      margins: [{ delivery: 'task', quotes: 10, avg_margin_pct: 99.28, target_pct: 55, gap_points: 44.28, enough: true }],
    });
    expect(segments[0]).toMatchObject({ segment: 'enterprise', quotes: 1, win_rate_pct: null, win_rate_enough: false, avg_accepted_usd: null });
    expect(reply.data.signals).toEqual([
      { segment: 'smb', kind: 'win_rate_high', change: { path: 'segment_adjustment.smb', value: -0.25 }, change_type: 'minor', problem: null,
        propose: '/policy propose changes="segment_adjustment.smb=-0.25" rationale="Calibration 2026-12: smb win rate over 70%" drift="win rate over 70%" expected="smb margin up, win rate still over 50%" expected_margin=up rollback_criteria="smb win rate under 50% within 2 weeks"' },
      { segment: 'startup', kind: 'margin_over_target', change: { path: 'segment_adjustment.startup', value: -1.25 }, change_type: 'minor', problem: null,
        propose: expect.stringContaining('/policy propose changes="segment_adjustment.startup=-1.25"') as unknown },
    ]);
    expect(text).toContain('smb: win rate over 70%: prices may be too low, consider a markup increase. Suggested (minor): /policy propose changes="segment_adjustment.smb=-0.25"');
    expect(text).toContain('§50: change one variable per cycle, so pick one');
    expect(text).toContain('Not enough data this month for: enterprise win rate, enterprise enterprise margin, startup win rate.');
    expect(text).toMatch(/read from at least 10 of them/);
  });

  it('/policy calibrate shows the same report to anyone, a sales rep included (it is aggregate)', async () => {
    const bed = await seeded();
    bed.setNow(slot);
    const r = await bed.run('/policy calibrate', { actor: sam });
    expect(r.error).toBeUndefined();
    expect(r.visibility).toBe('ephemeral');
    expect(r.data).toEqual(post(bed).reply.data);
  });

  it('with no quotes says there is nothing to calibrate and suggests nothing', async () => {
    const bed = testBed({ now: slot });
    const r = await bed.run('/policy calibrate');
    expect(r.data).toMatchObject({ quotes: 0, segments: [], signals: [] });
    expect(toText(r)).toContain('No quotes in the last 4 weeks: nothing to calibrate.');
  });
});

describe('through the console', () => {
  it('/policy calibrate prints the report; /policy season is refused for the console’s sales rep', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = '';
    output.on('data', (c: Buffer) => (screen += c.toString('utf8')));
    const bot = await startBot(testConfig({ SCHEDULE_GRACE_HOURS: '0', RISK_TICK_SECONDS: '3600', PORT: '0' }), silentLog, { console: { input, output } });
    try {
      input.write('/quote k2p5 medium smb 2000 800\n');
      await expect.poll(() => screen).toContain('Quote Q-00001');
      input.write('/policy calibrate\n');
      await expect.poll(() => screen).toContain('Monthly pricing calibration');
      expect(screen).toMatch(/smb\s+1\s+0\s+0\s+—\s+\$0\.50\s+—/);
      input.write('/policy season name=Rush changes="base_markup.high=5.5" start=2027-06-01 end=2027-06-30 rationale=r expected=e expected_margin=up rollback_criteria=c\n');
      await expect.poll(() => screen).toContain('Only a pricing admin schedules a season (§48): ask Pat Kim.');
    } finally {
      input.end();
      await bot.stop();
    }
  }, 30_000);
});
