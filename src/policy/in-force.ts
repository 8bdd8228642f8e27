import { createHash } from 'node:crypto';
import { parsePricingPolicy, type PolicyFile } from '../catalog/pricing-policy.js';
import { SEED_EFFECTIVE_AT } from '../domain/policy-version.js';
import type { PricingPolicy } from '../domain/pricing-types.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import type { Db } from '../store/open.js';
import { getState, setState } from '../store/ops-state.js';
import { countVersions, insertVersion, versionIdInForce, versionRules } from '../store/policy-versions.js';

/** The file's rules as last seeded or taken up, so a later edit of the file is noticed at start. */
export const POLICY_FILE_STATE = 'policy_file_rules_sha256';

export const rulesDigest = (rules: unknown) => createHash('sha256').update(JSON.stringify(rules)).digest('hex');

const seeded = new WeakSet<Db>();

/**
 * Writes the policy file as the first version of a new database, in force since 2000-01-01, and
 * remembers the file's rules. Does nothing once the database holds any version: from then on the
 * database is the source of truth. True when it seeded.
 */
export function seedPolicy(db: Db, file: PolicyFile, now: Date): boolean {
  if (seeded.has(db)) return false;
  const wrote = db
    .transaction(() => {
      if (countVersions(db) > 0) return false;
      insertVersion(db, {
        id: file.id,
        previous: file.previous,
        kind: 'seed',
        changeType: file.changeType,
        state: 'approved',
        rules: file.rules,
        proposedBy: { platform: null, userId: null, name: file.changedBy, personId: null },
        proposedAt: now,
        rationale: file.rationale,
        effectiveAt: SEED_EFFECTIVE_AT,
        announcedAt: SEED_EFFECTIVE_AT,
      });
      setState(db, POLICY_FILE_STATE, rulesDigest(file.rules));
      return true;
    })
    .immediate();
  seeded.add(db);
  return wrote;
}

/** True when the policy file's rules differ from those it last seeded or that were taken up from it. */
export function policyFileChanged(db: Db, file: PolicyFile): boolean {
  const known = getState(db, POLICY_FILE_STATE);
  return known !== undefined && known !== rulesDigest(file.rules);
}

// Versions are immutable, so a parsed version is cached by its stored text; a handful ever exist.
const parsed = new Map<string, PricingPolicy>();
const PARSED_LIMIT = 64;

/**
 * The policy in force at `at`, ready for the pricing functions: one indexed lookup, the parse cached.
 * A database nobody seeded yet (a test's, a CLI's first call) is seeded from the file first.
 */
export function policyInForce(db: Db, file: PolicyFile, at: Date): PricingPolicy {
  seedPolicy(db, file, at);
  const found = versionIdInForce(db, at);
  if (!found) throw new Error(`no pricing policy version is in force at ${at.toISOString()}`);
  const key = `${found.id}\n${found.rules}`;
  let policy = parsed.get(key);
  if (!policy) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    policy = parsePricingPolicy(found.id, JSON.parse(found.rules) as PolicyFile['rules']);
    parsed.set(key, policy);
  }
  return policy;
}

/** For checks over many quotes: each judged by the version it recorded. */
export const policyOfQuote = (db: Db, file: PolicyFile) => (q: Pick<QuoteRecord, 'policyVersion' | 'createdAt'>) =>
  policyOfVersion(db, file, q.policyVersion, q.createdAt);

/**
 * The version a quote recorded, for checks that judge a quote by the rules it was priced under. A
 * quote older than the versions table (its id never stored) is judged by the version in force then.
 */
export function policyOfVersion(db: Db, file: PolicyFile, id: string, pricedAt: Date): PricingPolicy {
  const rules = versionRules(db, id);
  if (!rules) return policyInForce(db, file, pricedAt);
  const key = `${id}\n${rules}`;
  let policy = parsed.get(key);
  if (!policy) {
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    policy = parsePricingPolicy(id, JSON.parse(rules) as PolicyFile['rules']);
    parsed.set(key, policy);
  }
  return policy;
}
