import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pricingPolicySchema, type PolicyFile } from '../catalog/pricing-policy.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import type { Db } from '../store/open.js';
import { setState } from '../store/ops-state.js';
import { versionInForce } from '../store/policy-versions.js';
import { policyInForce, POLICY_FILE_STATE, rulesDigest } from './in-force.js';

/**
 * A version in data/pricing-policy.json's format: §48's record (id, previous, changed_by,
 * change_type, rationale, rollback_date) first, then the rules, in the file's key order.
 */
export function policyFileJson(v: PolicyVersion): Record<string, unknown> {
  return {
    id: v.id,
    previous: v.previous,
    changed_by: v.changedBy,
    change_type: v.changeType,
    rationale: v.rationale,
    rollback_date: v.rolledBackAt ? v.rolledBackAt.toISOString() : null,
    ...v.rules,
  };
}

export interface PolicyExport {
  version: PolicyVersion;
  /** The file's text, ending in a newline. */
  text: string;
  /** The export as loadPolicyFile reads it back. */
  file: PolicyFile;
}

/**
 * The version in force at `now` as a policy file. It is checked with the same schema that loads the
 * file at start, so what is written is always a file the bot accepts (a new database seeded from it
 * starts with this version). A database nobody seeded yet exports the file it would be seeded from.
 */
export function exportPolicy(db: Db, seedFile: PolicyFile, now: Date): PolicyExport {
  policyInForce(db, seedFile, now);
  const version = versionInForce(db, now);
  if (!version) throw new Error(`no pricing policy version is in force at ${now.toISOString()}`);
  const json = policyFileJson(version);
  const checked = pricingPolicySchema.safeParse(json);
  if (!checked.success) {
    const problems = checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${version.id} cannot be written as a policy file: ${problems}`);
  }
  return { version, text: `${JSON.stringify(json, null, 2)}\n`, file: checked.data };
}

/**
 * Writes an export to a file, whole or not at all (a temporary file renamed over it). Written over the
 * policy file the bot is configured with, it records the file's new rules as taken up, so the next
 * start does not warn that the file changed: it now holds the version in force.
 */
export function writePolicyExport(db: Db, exported: PolicyExport, out: string, configuredPolicyPath: string): void {
  const target = resolve(out);
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, exported.text, { encoding: 'utf8', mode: 0o644 });
  renameSync(temporary, target);
  if (target === resolve(configuredPolicyPath)) setState(db, POLICY_FILE_STATE, rulesDigest(exported.file.rules));
}
