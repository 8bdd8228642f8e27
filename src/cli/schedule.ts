import type { Job, SchedulerEnv } from '../scheduler/runner.js';
import { describeJob, runSlot } from '../scheduler/runner.js';
import { formatLocalTime } from '../domain/calendar.js';
import { latestSlot } from '../domain/slots.js';
import { alignColumns } from '../reply/columns.js';

/** `schedule list`: each job, its next run and its last run. */
export function listSchedules(env: SchedulerEnv, jobs: readonly Job[], now: Date): string {
  const tz = env.config.timezone;
  const rows = jobs.map((j) => {
    const d = describeJob(env, j, now);
    return [d.name, d.cron, d.enabled ? 'on' : 'off', d.next ? formatLocalTime(d.next, tz) : '—', d.last ? `${formatLocalTime(d.last.slot, tz)} ${d.last.status}` : 'never'];
  });
  const header = ['job', 'cron', 'on', 'next run', 'last run'];
  return [...alignColumns(header, rows), `times in ${tz}`].join('\n');
}

/**
 * `schedule run NAME [--at ISO]`: posts one slot now, through the same claim as the clock, so a slot
 * that already ran is not posted again. Without --at, the job's latest slot.
 */
export function runSchedule(env: SchedulerEnv, jobs: readonly Job[], name: string, at: string | undefined, now: Date): { ok: boolean; message: string } {
  const job = jobs.find((j) => j.def.name === name);
  if (!job) return { ok: false, message: `no schedule ${name}; known: ${jobs.map((j) => j.def.name).join(', ')}` };
  const slot = at ? new Date(at) : latestSlot(job.cron, env.config.timezone, now);
  if (Number.isNaN(slot.getTime())) return { ok: false, message: `--at must be an ISO time such as 2026-11-23T09:00:00-05:00` };
  const outcome = runSlot(env, job, slot, now);
  return outcome === 'posted'
    ? { ok: true, message: `${name}: posted the ${slot.toISOString()} slot (the running bot delivers it)` }
    : { ok: false, message: `${name}: the ${slot.toISOString()} slot was already run; nothing posted` };
}
