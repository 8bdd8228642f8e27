import type { Platform } from '../domain/actor.js';
import type { Catalog } from '../catalog/index.js';
import type { Db } from '../store/open.js';
import { alertOverdueEmergencyReviews } from './review-deadline.js';
import { announceDueVersions } from './switch.js';
import { checkValidationTriggers } from './validation.js';

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
export function policyTick(env: PolicyTickEnv): { announced: string[]; alerted: string[] } {
  const announced = announceDueVersions(env);
  const alerted = [...alertOverdueEmergencyReviews(env), ...checkValidationTriggers(env)];
  return { announced, alerted };
}
