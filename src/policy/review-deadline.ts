import type { PolicyTickEnv } from './tick.js';

/** An emergency change still unreviewed 24 hours after it took effect alerts, once. */
export function alertOverdueEmergencyReviews(_env: PolicyTickEnv): string[] {
  return [];
}
