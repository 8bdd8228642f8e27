import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { ScheduleDef } from '../core/schedule.js';
import type { Platform } from '../domain/actor.js';
import { latestSlot, nextSlot, planCatchUp, slotsBetween } from '../domain/slots.js';
import { destinationsFor } from '../domain/team.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/open.js';
import { enqueue } from '../store/outbox.js';
import { claimSlot, finishSlot, lastSlot, skipSlot } from '../store/schedule-runs.js';

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

export type RunOutcome = 'posted' | 'already_claimed';

/**
 * Posts one slot of one job. The claim, the post's outbox rows and the record of the run are one
 * transaction: a second process, a second fire or a rerun of the same slot posts nothing.
 */
export function runSlot(env: SchedulerEnv, job: Job, slot: Date, now: Date): RunOutcome {
  return env.db.transaction((): RunOutcome => {
    if (!claimSlot(env.db, job.def.name, slot, now)) return 'already_claimed';
    const reply = job.def.build({ db: env.db, catalog: env.catalog, config: env.config, now, slot, platforms: env.platforms });
    for (const platform of env.platforms) {
      for (const destination of destinationsFor(env.catalog.team, platform, [job.def.channel ?? 'ops'], false)) {
        enqueue(env.db, { platform, kind: 'message', destination, payload: reply, at: now });
      }
    }
    finishSlot(env.db, job.def.name, slot, 'posted', reply.summary, now);
    return 'posted';
  }).immediate();
}

/**
 * Brings one job up to date: the newest slot not yet run posts if it is within the grace window;
 * older missed slots are recorded as skipped. On a new database only the grace window is looked at.
 */
export function catchUp(env: SchedulerEnv, job: Job, now: Date): { posted: Date | null; skipped: Date[] } {
  if (!job.enabled) return { posted: null, skipped: [] };
  const graceMs = env.config.scheduleGraceHours * 3_600_000;
  const since = lastSlot(env.db, job.def.name)?.slot ?? new Date(now.getTime() - graceMs - 1);
  const plan = planCatchUp(slotsBetween(job.cron, env.config.timezone, since, now), now, graceMs);
  const skipped = plan.skip.filter((slot) => skipSlot(env.db, job.def.name, slot, now, 'missed while the bot was down; past the grace window'));
  let posted: Date | null = null;
  if (plan.run) {
    try {
      if (runSlot(env, job, plan.run, now) === 'posted') posted = plan.run;
    } catch (error) {
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
    last: last ? { slot: last.slot, status: last.status } : null,
  };
}

const TICK_MS = 30_000;

/** The clock: every tick, each job catches up; the same code runs once at start, after a reboot. */
export function startScheduler(env: SchedulerEnv, jobs: readonly Job[], clock: () => Date, onPosted: () => void) {
  const tick = () => {
    let any = false;
    for (const job of jobs) {
      // A throw here would escape the timer and end the process; a locked database waits for the next tick.
      try {
        any = catchUp(env, job, clock()).posted !== null || any;
      } catch (error) {
        env.log.warn({ err: error, job: job.def.name }, 'schedule catch-up failed; trying again on the next tick');
      }
    }
    if (any) onPosted();
  };
  tick();
  const timer = setInterval(tick, TICK_MS);
  return { tick, stop: () => clearInterval(timer) };
}
