import { describe, expect, it } from 'vitest';
import type { ScheduleContext } from '../../src/core/schedule.js';
import { reply, text } from '../../src/reply/reply.js';
import { toText } from '../../src/reply/text.js';
import { catchUp, runSlot, type Job, type SchedulerEnv } from '../../src/scheduler/runner.js';
import { MAX_BUILD_ATTEMPTS } from '../../src/scheduler/failed-build.js';
import { setState } from '../../src/store/ops-state.js';
import type { Db } from '../../src/store/open.js';
import { seedCatalog } from '../helpers/seed.js';
import { silentLog, testBed } from '../helpers/context.js';

const SLOT = new Date('2026-11-23T14:00:00Z'); // Monday 09:00 New York
const TICK = 30_000;

/** A job whose build fails the first `failures` times it runs (Infinity: always), writing first, as a real build might. */
function flakyJob(failures: number): Job & { builds: () => number } {
  let builds = 0;
  const build = (ctx: ScheduleContext) => {
    builds += 1;
    setState(ctx.db, `half-written:${builds}`, 'x');
    if (builds <= failures) throw new Error(`the ledger is unreadable (build ${builds})`);
    return reply('Morning post', [text('all good')], 'channel');
  };
  return { def: { name: 'morning-post', title: 'Morning post', cron: '0 9 * * *', build }, cron: '0 9 * * *', enabled: true, builds: () => builds };
}

const envFor = (db: Db): SchedulerEnv => ({ db, catalog: seedCatalog, config: testBed().config, platforms: ['slack', 'discord', 'console'], log: silentLog });
const run = (db: Db) =>
  db.prepare("SELECT status, attempts, next_attempt_at, last_error, summary FROM schedule_runs WHERE job = 'morning-post'").all() as {
    status: string; attempts: number; next_attempt_at: string | null; last_error: string | null; summary: string | null;
  }[];
const messages = (db: Db) =>
  (db.prepare("SELECT platform, destination, payload FROM outbox WHERE kind = 'message' ORDER BY id").all() as { platform: string; destination: string; payload: string }[])
    .map((r) => ({ to: `${r.platform}:${r.destination}`, text: toText(JSON.parse(r.payload)) }));
const halfWritten = (db: Db) => (db.prepare("SELECT COUNT(*) AS n FROM ops_state WHERE key LIKE 'half-written:%'").get() as { n: number }).n;

/** The clock, ticking every 30 s from the slot for `hours`. */
function tickFor(env: SchedulerEnv, job: Job, hours: number, from = SLOT) {
  for (let t = from.getTime(); t <= from.getTime() + hours * 3_600_000; t += TICK) catchUp(env, job, new Date(t));
}

describe('a scheduled post whose build throws', () => {
  it.each([
    // failures, builds the clock makes, final status, attempts recorded, reports to ops
    { failures: 0, builds: 1, status: 'posted', attempts: 0, reported: false },
    { failures: 1, builds: 2, status: 'posted', attempts: 1, reported: false },
    { failures: MAX_BUILD_ATTEMPTS - 1, builds: MAX_BUILD_ATTEMPTS, status: 'posted', attempts: MAX_BUILD_ATTEMPTS - 1, reported: false },
    { failures: Infinity, builds: MAX_BUILD_ATTEMPTS, status: 'failed', attempts: MAX_BUILD_ATTEMPTS, reported: true },
  ])('fails $failures time(s): built $builds times in 8 hours of 30 s ticks, ends $status, reported: $reported', ({ failures, builds, status, attempts, reported }) => {
    const { db } = testBed();
    const job = flakyJob(failures);
    tickFor(envFor(db), job, 8);

    expect(job.builds()).toBe(builds);
    // One row for the slot, never "missed while the bot was down".
    expect(run(db)).toHaveLength(1);
    expect(run(db)[0]).toMatchObject({ status, attempts, next_attempt_at: null });
    // A failed build's own writes were undone; only the build that posted kept its write.
    expect(halfWritten(db)).toBe(status === 'posted' ? 1 : 0);

    const posted = messages(db).filter((m) => m.text.includes('all good'));
    const reports = messages(db).filter((m) => m.text.includes('Scheduled post not made'));
    expect(posted.map((m) => m.to)).toEqual(status === 'posted' ? ['slack:C0OPS00001', 'discord:200000000000000001', 'console:console'] : []);
    // Reported once, to the ops channel on every platform.
    expect(reports.map((m) => m.to)).toEqual(reported ? ['slack:C0OPS00001', 'discord:200000000000000001', 'console:console'] : []);
    if (reported) {
      expect(reports[0]?.text).toMatch(/Morning post for 2026-11-23 09:00 EST \(its build failed 3 time\(s\); ref [0-9a-f]{8} in the log\)/);
      expect(reports[0]?.text).toContain(`npm run cli -- schedule run morning-post --at ${SLOT.toISOString()}`);
      expect(run(db)[0]?.last_error).toMatch(/^the ledger is unreadable \(build 3\) \(ref [0-9a-f]{8}\)$/);
    }
  });

  it('retries with backoff: one minute after the first failure, five after the second', () => {
    const { db } = testBed();
    const env = envFor(db);
    const job = flakyJob(Infinity);
    catchUp(env, job, SLOT);
    expect(run(db)[0]).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: '2026-11-23T14:01:00.000Z' });
    catchUp(env, job, new Date('2026-11-23T14:00:59Z'));
    expect(job.builds()).toBe(1);
    catchUp(env, job, new Date('2026-11-23T14:01:00Z'));
    expect(run(db)[0]).toMatchObject({ attempts: 2, next_attempt_at: '2026-11-23T14:06:00.000Z' });
  });

  it('after a restart past the grace window, a pending retry is given up and reported once, not posted late', () => {
    const { db } = testBed();
    const env = envFor(db);
    const job = flakyJob(1); // would succeed on its next build
    catchUp(env, job, SLOT); // fails once; the Pi dies before the retry
    const back = new Date(SLOT.getTime() + 7 * 3_600_000);
    catchUp(env, job, back);
    catchUp(env, job, new Date(back.getTime() + TICK));
    expect(job.builds()).toBe(1);
    expect(run(db)[0]).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: null });
    const reports = messages(db).filter((m) => m.text.includes('Scheduled post not made'));
    expect(reports).toHaveLength(3); // one notice, on each of the three platforms
    expect(reports[0]?.text).toContain('the retry came due past the grace window');
  });

  it('a person can rerun a slot the clock gave up on; it posts, and a failing rerun is not reported again', () => {
    const { db } = testBed();
    const env = envFor(db);
    const broken = flakyJob(Infinity);
    tickFor(env, broken, 1);
    const reportsBefore = messages(db).length;
    expect(runSlot(env, broken, SLOT, new Date('2026-11-23T16:00:00Z'), { rerun: true })).toBe('failed');
    expect(messages(db)).toHaveLength(reportsBefore);
    expect(runSlot(env, flakyJob(0), SLOT, new Date('2026-11-23T16:05:00Z'), { rerun: true })).toBe('posted');
    expect(run(db)[0]).toMatchObject({ status: 'posted', summary: 'Morning post' });
    expect(runSlot(env, flakyJob(0), SLOT, new Date('2026-11-23T16:06:00Z'), { rerun: true })).toBe('already_claimed');
  });
});
