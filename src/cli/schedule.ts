import { DateTime } from 'luxon';
import type { Job, SchedulerEnv } from '../scheduler/runner.js';
import { describeJob, postDestinations, runSlot } from '../scheduler/runner.js';
import { formatLocalTime } from '../domain/calendar.js';
import { latestSlot, slotAt } from '../domain/slots.js';
import { describeDestinations } from '../outbox/platforms.js';
import { alignColumns } from '../reply/columns.js';
import { slotRun } from '../store/schedule-runs.js';

/** `schedule list`: each job, its next run and its last run. */
export function listSchedules(env: SchedulerEnv, jobs: readonly Job[], now: Date): string {
  const tz = env.config.timezone;
  const rows = jobs.map((j) => {
    const d = describeJob(env, j, now);
    const last = d.last ? `${formatLocalTime(d.last.slot, tz)} ${d.last.status}${d.last.status === 'failed' ? ` (${d.last.attempts} attempts${d.last.nextAttemptAt ? `, retry ${formatLocalTime(d.last.nextAttemptAt, tz)}` : ''})` : ''}` : 'never';
    return [d.name, d.cron, d.enabled ? 'on' : 'off', d.next ? formatLocalTime(d.next, tz) : '—', last];
  });
  const header = ['job', 'cron', 'on', 'next run', 'last run'];
  return [...alignColumns(header, rows), `times in ${tz}`].join('\n');
}

/** An ISO time; without an offset it is read in the ops time zone, as the schedules are. */
function parseAt(at: string, timezone: string): Date | null {
  const t = DateTime.fromISO(at, { zone: timezone });
  return t.isValid ? t.toJSDate() : null;
}

/**
 * `schedule run NAME [--at ISO]`: posts one slot now, through the same claim as the clock, so a slot
 * that already ran is not posted again; a slot that failed is tried again. Without --at, the job's
 * latest slot; with it, the time must be one of the job's slots. The answer says where it went.
 */
export function runSchedule(env: SchedulerEnv, jobs: readonly Job[], name: string, at: string | undefined, now: Date): { ok: boolean; message: string } {
  const tz = env.config.timezone;
  const job = jobs.find((j) => j.def.name === name);
  if (!job) return { ok: false, message: `no schedule ${name}; known: ${jobs.map((j) => j.def.name).join(', ')}` };
  let slot = latestSlot(job.cron, tz, now);
  if (at !== undefined) {
    const parsed = parseAt(at, tz);
    if (!parsed) return { ok: false, message: `--at must be an ISO time such as 2026-11-23T09:00 (read in ${tz}) or 2026-11-23T09:00:00-05:00` };
    const found = slotAt(job.cron, tz, parsed);
    if (found.kind === 'between') {
      return {
        ok: false,
        message: `${name}: ${formatLocalTime(parsed, tz)} is not one of its slots (cron ${job.cron}, ${tz}). The nearest are ${formatLocalTime(found.before, tz)} (--at ${found.before.toISOString()}) and ${formatLocalTime(found.after, tz)} (--at ${found.after.toISOString()}).`,
      };
    }
    slot = found.slot;
  }
  const when = `the ${formatLocalTime(slot, tz)} slot`;
  if (slot > now) return { ok: false, message: `${name}: ${when} is still to come; the clock posts it then.` };

  const destinations = postDestinations(env, job);
  if (destinations.length === 0) {
    const where = env.platforms.length
      ? `no ${job.def.channel ?? 'ops'} channel is set for ${env.platforms.join(' or ')} in data/team.json`
      : 'no platform delivers messages (no SLACK_BOT_TOKEN or DISCORD_TOKEN, and CONSOLE=off)';
    return { ok: false, message: `${name}: not posted: ${where}.` };
  }
  const outcome = runSlot(env, job, slot, now, { rerun: true });
  if (outcome === 'already_claimed') return { ok: false, message: `${name}: ${when} was already run; nothing posted.` };
  if (outcome === 'failed') {
    return { ok: false, message: `${name}: ${when} could not be built: ${slotRun(env.db, name, slot)?.lastError ?? 'see the log'}. Recorded as failed.` };
  }
  const skipped = env.platforms.filter((p) => !destinations.some((d) => d.platform === p));
  const chat = destinations.some((d) => d.platform !== 'console');
  return {
    ok: true,
    message:
      `${name}: posted ${when}; queued for ${describeDestinations(destinations)}.` +
      (chat ? ' The bot delivers it (at once if it is running, else when it starts).' : '') +
      (skipped.length ? ` Not queued for ${skipped.join(', ')}: no ${job.def.channel ?? 'ops'} channel there in data/team.json.` : ''),
  };
}
