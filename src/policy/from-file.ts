import type { DataFileError } from '../catalog/load-json.js';
import type { PolicyFile } from '../catalog/pricing-policy.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/open.js';
import { setState } from '../store/ops-state.js';
import { firstVersion } from '../store/policy-versions.js';
import { proposeVersion, type ProposeResult } from './change.js';
import { POLICY_FILE_STATE, policyFileChanged, rulesDigest } from './in-force.js';
import type { ReviewEnv } from './review-request.js';

/** Who a proposal taken from the edited policy file is by: the file, not a person, so anyone with authority may review it. */
export const POLICY_FILE_PROPOSER = 'data/pricing-policy.json';

export type FromFileOutcome = 'unchanged' | 'proposed' | 'same_as_in_force' | 'refused';

/**
 * The policy file changed since it seeded the database. The database holds the policy in force, so
 * the file is not applied: its rules are proposed as a change (the file's rationale, its type
 * computed from its content), through the same checks and review as a typed proposal. Once per file
 * content: the file's digest is recorded when proposed. A file that breaks a rule or a guardrail is
 * logged as an error with the reasons, and proposed on no start until it is fixed. The bot starts
 * on the version in force either way.
 */
export function proposeFromFile(env: ReviewEnv, file: PolicyFile, log: Logger): FromFileOutcome {
  if (!policyFileChanged(env.db, file)) return 'unchanged';
  const digest = rulesDigest(file.rules);
  let result: ProposeResult;
  try {
    // One transaction with the digest, so a crash between them never proposes the same file twice.
    result = env.db
      .transaction(() => {
        const r = proposeVersion(env, {
          rules: () => ({ ok: true, rules: file.rules }),
          rationale: file.rationale,
          metricDrift: null,
          expectedOutcome: null,
          expectedMargin: null,
          rollbackCriteria: null,
          requested: null,
          proposer: { platform: null, userId: null, name: POLICY_FILE_PROPOSER, personId: null },
        });
        if (r.ok || r.noChange) setState(env.db, POLICY_FILE_STATE, digest);
        return r;
      })
      .immediate();
  } catch (error) {
    // The bot starts on the version in force whatever the file holds; the next start tries again.
    log.error({ err: error }, 'the policy file changed but could not be proposed; it is not applied');
    return 'refused';
  }
  if (result.ok) {
    log.warn({ version: result.version.id, type: result.version.changeType }, 'the policy file changed: proposed as a change for review, not applied (/policy)');
    return 'proposed';
  }
  if (result.noChange) {
    // The file now says what is in force: nothing to propose, and nothing to say next time.
    return 'same_as_in_force';
  }
  log.error({ problems: result.problems }, 'the policy file changed but cannot be proposed: it is not applied; the database keeps the policy in force');
  return 'refused';
}

/**
 * A policy file that cannot be read or validated, at the start of a database that already holds the
 * policy: logged with its reasons, neither applied nor proposed, and the bot starts on the version in
 * force. The seed's own record stands in for the file. A new database has no policy but the file's,
 * so there the bad file stops the start as any bad data file does.
 */
export function storedPolicyFile(db: Db, error: DataFileError, log: Logger): PolicyFile {
  const seed = firstVersion(db);
  if (!seed) throw error;
  log.error({ problems: error.message }, 'the policy file is not valid: it is not applied or proposed; the bot starts on the version in force (/policy)');
  return { id: seed.id, previous: seed.previous, changedBy: seed.changedBy, changeType: seed.changeType, rationale: seed.rationale, rollbackDate: null, rules: seed.rules };
}
