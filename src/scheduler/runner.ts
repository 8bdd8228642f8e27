import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { ScheduleDef } from '../core/schedule.js';
import type { Platform } from '../domain/actor.js';
import { latestSlot, nextSlot, planCatchUp, slotsBetween } from '../domain/slots.js';
import type { Logger } from '../logger.js';
import { destinationsOn, type Destination } from '../outbox/platforms.js';
import { plain } from '../reply/text.js';
import type { Db } from '../store/open.js';
import { enqueue } from '../store/outbox.js';
import { pruneHistory } from '../store/retention.js';
import { claimSlot, dueRetries, finishSlot, lastSlot, retakeFailedSlot, skipSlot, slotRun } from '../store/schedule-runs.js';
import { giveUpLateRetry, recordBuildFailure } from './failed-build.js';

export interface SchedulerEnv {
  db: Db;
  catalog: Catalog;
  config: AppConfig;
  platforms: readonly Platform[];
  log: Logger;
}

export interface Job {
  def: ScheduleDef;
  cron: string;
  enabled: boolean;
}

/** The schedules with data/schedules.json applied; an entry naming no schedule stops the bot. */
export function resolveJobs(defs: readonly ScheduleDef[], catalog: Catalog): Job[] {
  const known = new Set(defs.map((d) => d.name));
  const unknown = Object.keys(catalog.schedules).filter((n) => !known.has(n));
  if (unknown.length) throw new Error(`schedules.json names unknown schedules: ${unknown.join(', ')} (known: ${[...known].join(', ')})`);
  return defs.map((def) => ({ def, cron: catalog.schedules[def.name]?.cron ?? def.cron, enabled: catalog.schedules[def.name]?.enabled ?? true }));
}

export type RunOutcome = 'posted' | 'already_claimed' | 'failed';

/** Where a job's posts go: its channel on every delivering platform. */
export function postDestinations(env: Pick<SchedulerEnv, 'catalog' | 'platforms'>, job: Job): Destination[] {
  return destinationsOn(env.catalog.team, env.platforms, [job.def.channel ?? 'ops']);
}

/**
 * Posts one slot of one job. The claim, the post's outbox rows and the record of the run are one
 * transaction: a second process, a second fire or a rerun of the same slot posts nothing.
 *
 * The build runs in a savepoint: when it throws, its own writes are undone but the claim stays,
 * and the slot is recorded as failed (attempts, error, when to retry) in the same transaction, so
 * the clock retries it a bounded number of times instead of every tick, and never calls it missed.
 * A failed slot is taken again when its retry is due, or at once when a person reruns it.
 */
export function runSlot(env: SchedulerEnv, job: Job, slot: Date, now: Date, options: { rerun?: boolean } = {}): RunOutcome {
  const name = job.def.name;
  return env.db.transaction((): RunOutcome => {
    if (!claimSlot(env.db, name, slot, now) && !retakeFailedSlot(env.db, name, slot, now, !options.rerun)) return 'already_claimed';
    try {
      env.db.transaction(() => {
        const reply = job.def.build({ db: env.db, catalog: env.catalog, config: env.config, now, slot, platforms: env.platforms });
        for (const d of postDestinations(env, job)) enqueue(env.db, { ...d, kind: 'message', payload: reply, at: now });
        finishSlot(env.db, name, slot, plain(reply.summary), now);
      })();
      return 'posted';
    } catch (error) {
      recordBuildFailure(env, job.def, slot, now, error);
      return 'failed';
    }
  }).immediate();
}

/** Retries a job's failed slots that are due; one whose retry came due past the grace window is given up. */
function retryFailed(env: SchedulerEnv, job: Job, now: Date, graceMs: number): Date[] {
  const posted: Date[] = [];
  for (const slot of dueRetries(env.db, job.def.name, now)) {
    if (now.getTime() - slot.getTime() > graceMs) {
      env.db.transaction(() => {
        const run = slotRun(env.db, job.def.name, slot);
        if (run?.status === 'failed' && run.nextAttemptAt) giveUpLateRetry(env, job.def, slot, run.attempts, now);
      }).immediate();
      continue;
    }
    if (runSlot(env, job, slot, now) === 'posted') posted.push(slot);
  }
  return posted;
}

/**
 * Brings one job up to date: failed slots due for another attempt are retried; the newest slot not
 * yet run posts if it is within the grace window; older missed slots are recorded as skipped. On a
 * new database only the grace window is looked at.
 */
export function catchUp(env: SchedulerEnv, job: Job, now: Date): { posted: Date | null; skipped: Date[] } {
  if (!job.enabled) return { posted: null, skipped: [] };
  const graceMs = env.config.scheduleGraceHours * 3_600_000;
  let posted: Date | null = null;
  try {
    posted = retryFailed(env, job, now, graceMs).at(-1) ?? null;
  } catch (error) {
    env.log.error({ err: error, job: job.def.name }, 'retrying a failed scheduled post failed');
  }
  const since = lastSlot(env.db, job.def.name)?.slot ?? new Date(now.getTime() - graceMs - 1);
  const plan = planCatchUp(slotsBetween(job.cron, env.config.timezone, since, now), now, graceMs);
  const skipped = plan.skip.filter((slot) => skipSlot(env.db, job.def.name, slot, now, 'missed while the bot was down; past the grace window'));
  if (plan.run) {
    try {
      if (runSlot(env, job, plan.run, now) === 'posted') posted = plan.run;
    } catch (error) {
      // The build's own failure is recorded by runSlot; this is the store's (a locked or full disk).
      env.log.error({ err: error, job: job.def.name, slot: plan.run.toISOString() }, 'scheduled post failed');
    }
  }
  if (posted || skipped.length) env.log.info({ job: job.def.name, posted, skipped }, 'schedule caught up');
  return { posted, skipped };
}

export function describeJob(env: SchedulerEnv, job: Job, now: Date) {
  const last = lastSlot(env.db, job.def.name);
  return {
    name: job.def.name,
    title: job.def.title,
    cron: job.cron,
    enabled: job.enabled,
    next: job.enabled ? nextSlot(job.cron, env.config.timezone, now) : null,
    latestSlot: latestSlot(job.cron, env.config.timezone, now),
    last: last ? { slot: last.slot, status: last.status, attempts: last.attempts, nextAttemptAt: last.nextAttemptAt } : null,
  };
}

const TICK_MS = 30_000;

/** The clock: every tick, each job catches up; the same code runs once at start, after a reboot. */
export function startScheduler(env: SchedulerEnv, jobs: readonly Job[], clock: () => Date, onQueued: () => void) {
  const tick = () => {
    for (const job of jobs) {
      // A throw here would escape the timer and end the process; a locked database waits for the next tick.
      try {
        catchUp(env, job, clock());
      } catch (error) {
        env.log.warn({ err: error, job: job.def.name }, 'schedule catch-up failed; trying again on the next tick');
      }
    }
    // The growing logs lose one small batch of expired rows a tick (src/store/retention.ts).
    try {
      const pruned = pruneHistory(env.db, clock());
      if (Object.values(pruned).some((n) => n > 0)) env.log.debug({ pruned }, 'expired rows pruned');
    } catch (error) {
      env.log.warn({ err: error }, 'pruning expired rows failed; trying again on the next tick');
    }
    // A post, or a failed post's report to ops, may have been queued: the outbox polls anyway.
    onQueued();
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  return { tick, stop: () => clearInterval(timer) };
}
