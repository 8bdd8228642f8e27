import type { RateCard } from '../domain/pricing-types.js';
import type { Team } from '../domain/team.js';
import { loadPolicyFile, type PolicyFile } from './pricing-policy.js';
import { loadRateCard } from './rate-card.js';
import { loadScheduleOverrides, type ScheduleOverrides } from './schedules.js';
import { loadTeam } from './team.js';

/** The business's editable data, loaded and validated once at start. */
export interface Catalog {
  rateCard: RateCard;
  /**
   * data/pricing-policy.json: the first version of a new database, nothing more. The policy in force
   * lives in the database (src/policy/in-force.ts).
   */
  policyFile: PolicyFile;
  team: Team;
  schedules: ScheduleOverrides;
}

export function loadCatalog(paths: { modelsPath: string; pricingPolicyPath: string; teamPath: string; schedulesPath?: string }): Catalog {
  return {
    rateCard: loadRateCard(paths.modelsPath),
    policyFile: loadPolicyFile(paths.pricingPolicyPath),
    team: loadTeam(paths.teamPath),
    schedules: paths.schedulesPath ? loadScheduleOverrides(paths.schedulesPath) : {},
  };
}
