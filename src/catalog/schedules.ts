import { existsSync } from 'node:fs';
import { z } from 'zod';
import { isValidCron } from '../domain/slots.js';
import { loadJsonFile } from './load-json.js';

export type ScheduleOverrides = Record<string, { cron?: string; enabled?: boolean }>;

const schedulesFile = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/),
  z.strictObject({
    cron: z.string().trim().refine(isValidCron, 'must be a five-field cron expression, e.g. "30 12 * * 1-5"').optional(),
    enabled: z.boolean().optional(),
  }),
);

/** Times and on/off switches for the scheduled posts; the file is optional. */
export function loadScheduleOverrides(path: string): ScheduleOverrides {
  if (!existsSync(path)) return {};
  return loadJsonFile(path, schedulesFile, (p) => (p.length > 1 ? `schedule "${String(p[0])}", field "${String(p[1])}"` : `schedule "${String(p[0] ?? '')}"`));
}
