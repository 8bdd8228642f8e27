import type { PolicyVersion } from '../domain/policy-version.js';
import type { Db } from './open.js';
import { fromRow, type Row } from './policy-version-rows.js';
import { stmt } from './statements.js';

// --- the switch and the views (issue 12 §1, §2 "Implementation"): announcement and neighbours

/**
 * Approved versions whose time has come and whom nobody announced yet, oldest switch first. The seed
 * is written announced and is excluded besides: nobody is told of the policy the bot started with.
 */
export function dueUnannounced(db: Db, now: Date): PolicyVersion[] {
  return stmt<[string], Row>(
    db,
    `SELECT * FROM policy_versions WHERE state = 'approved' AND effective_at <= ? AND announced_at IS NULL AND kind <> 'seed'
     ORDER BY effective_at, seq`,
  )
    .all(now.toISOString())
    .map(fromRow);
}

/** Marks a version announced unless someone did first (another process, a restart): true for the one that did. */
export function markAnnounced(db: Db, id: string, at: Date): boolean {
  return stmt(db, 'UPDATE policy_versions SET announced_at = ? WHERE id = ? AND announced_at IS NULL').run(at.toISOString(), id).changes === 1;
}

/**
 * The version in force just before this one took effect: the approved one with the latest
 * (effective_at, seq) below its own. What its announcement and diff are measured against.
 */
export function versionInForceBefore(db: Db, v: Pick<PolicyVersion, 'seq' | 'effectiveAt'>): PolicyVersion | undefined {
  if (!v.effectiveAt) return undefined;
  const at = v.effectiveAt.toISOString();
  const row = stmt<[string, string, number], Row>(
    db,
    `SELECT * FROM policy_versions WHERE state = 'approved' AND (effective_at < ? OR (effective_at = ? AND seq < ?))
     ORDER BY effective_at DESC, seq DESC LIMIT 1`,
  ).get(at, at, v.seq);
  return row ? fromRow(row) : undefined;
}
