import type { RateCard } from '../domain/pricing-types.js';
import type { Team } from '../domain/team.js';
import { DataFileError } from './load-json.js';
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

/**
 * `onBadPolicyFile` lets the bot start on a database that already holds the policy when the file
 * is broken (src/policy/from-file.ts); without it, a bad policy file stops the start like any file.
 */
export function loadCatalog(
  paths: { modelsPath: string; pricingPolicyPath: string; teamPath: string; schedulesPath?: string },
  onBadPolicyFile?: (error: DataFileError) => PolicyFile,
): Catalog {
  return {
    rateCard: loadRateCard(paths.modelsPath),
    policyFile: loadPolicyFileOr(paths.pricingPolicyPath, onBadPolicyFile),
    team: loadTeam(paths.teamPath),
    schedules: paths.schedulesPath ? loadScheduleOverrides(paths.schedulesPath) : {},
  };
}

function loadPolicyFileOr(path: string, onBad?: (error: DataFileError) => PolicyFile): PolicyFile {
  try {
    return loadPolicyFile(path);
  } catch (error) {
    if (onBad && error instanceof DataFileError) return onBad(error);
    throw error;
  }
}
