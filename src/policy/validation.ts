import type { PolicyTickEnv } from './tick.js';

/** §48 step 4 and §49: the week after a change, the rollback triggers, each alerting once with a Roll back button. */
export function checkValidationTriggers(_env: PolicyTickEnv): string[] {
  return [];
}
