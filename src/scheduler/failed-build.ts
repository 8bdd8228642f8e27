import { randomBytes } from 'node:crypto';
import type { ScheduleDef } from '../core/schedule.js';
import { formatLocalTime } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import { destinationsOn } from '../outbox/platforms.js';
import { context, reply, text, type Reply } from '../reply/reply.js';
import type { Catalog } from '../catalog/index.js';
import type { AppConfig } from '../config.js';
import type { Platform } from '../domain/actor.js';
import type { Db } from '../store/open.js';
import { enqueue } from '../store/outbox.js';
import { recordFailedAttempt, setRetryAt } from '../store/schedule-runs.js';

/** A post whose build throws is tried this many times in all, then reported to ops once. */
export const MAX_BUILD_ATTEMPTS = 3;
/** Wait after the nth failed attempt: 1 minute, then 5 (a passing fault, such as a locked file, clears). */
export const retryDelayMs = (attempts: number) => 60_000 * 5 ** Math.max(0, attempts - 1);

interface FailureEnv {
  db: Db;
  catalog: Catalog;
  config: AppConfig;
  platforms: readonly Platform[];
  log: Logger;
}

/** The ops channel's notice that a post was not made, built once for every platform. */
export function failedPostReply(def: ScheduleDef, slot: Date, why: string, timezone: string): Reply {
  const line = `Scheduled post not made: ${def.title} for ${formatLocalTime(slot, timezone)} (${why})`;
  return reply(line, [
    text(`⚠️ **${line}**`),
    context(`Once the cause is fixed, post it with: npm run cli -- schedule run ${def.name} --at ${slot.toISOString()}`),
  ], 'channel');
}

function reportToOps(env: FailureEnv, def: ScheduleDef, slot: Date, why: string, now: Date): void {
  const payload = failedPostReply(def, slot, why, env.config.timezone);
  for (const d of destinationsOn(env.catalog.team, env.platforms, ['ops'])) enqueue(env.db, { ...d, kind: 'message', payload, at: now });
}

/**
 * Records a failed build on a claimed slot: the attempt, its error and when to try again. After the
 * last attempt (or when the next would fall past the grace window) it gives up and reports to the
 * ops channel, once: a slot already given up on is not reported again when a person reruns it.
 * Call it in the transaction that claimed the slot, after the build's own writes were rolled back.
 */
export function recordBuildFailure(env: FailureEnv, def: ScheduleDef, slot: Date, now: Date, error: unknown): { attempts: number; retryAt: Date | null; ref: string } {
  const ref = randomBytes(4).toString('hex');
  const message = error instanceof Error ? error.message : String(error);
  env.log.error({ err: error, job: def.name, slot: slot.toISOString(), ref }, 'scheduled post failed to build');
  const attempts = recordFailedAttempt(env.db, def.name, slot, now, `${message} (ref ${ref})`);
  const next = new Date(now.getTime() + retryDelayMs(attempts));
  const withinGrace = next.getTime() - slot.getTime() <= env.config.scheduleGraceHours * 3_600_000;
  if (attempts < MAX_BUILD_ATTEMPTS && withinGrace) {
    setRetryAt(env.db, def.name, slot, next);
    return { attempts, retryAt: next, ref };
  }
  if (attempts <= MAX_BUILD_ATTEMPTS) reportToOps(env, def, slot, `its build failed ${attempts} time(s); ref ${ref} in the log`, now);
  return { attempts, retryAt: null, ref };
}

/** A retry that came due only after the grace window (the bot was down): not posted late; reported once. */
export function giveUpLateRetry(env: FailureEnv, def: ScheduleDef, slot: Date, attempts: number, now: Date): void {
  setRetryAt(env.db, def.name, slot, null);
  reportToOps(env, def, slot, `its build failed ${attempts} time(s) and the retry came due past the grace window`, now);
}
