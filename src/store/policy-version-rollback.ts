import type { PolicyVersion } from '../domain/policy-version.js';
import type { Db } from './open.js';
import { fromRow, type Row } from './policy-version-rows.js';
import { stmt } from './statements.js';

// --- validation and rollback (issue 12 §3) ---------------------------------------------------------

/**
 * Approved versions that took effect in (since, until], oldest first: the changes validation still
 * watches. One range on policy_versions_in_force.
 */
export function versionsEffectiveBetween(db: Db, since: Date, until: Date): PolicyVersion[] {
  return stmt<[string, string], Row>(
    db,
    `SELECT * FROM policy_versions WHERE state = 'approved' AND effective_at > ? AND effective_at <= ?
     ORDER BY effective_at, seq`,
  )
    .all(since.toISOString(), until.toISOString())
    .map(fromRow);
}

/**
 * Marks a version rolled back by the rollback version `byVersionId`. Conditional, so of two clicks at
 * once exactly one rolls it back: false when it was rolled back already (or is not approved).
 */
export function markRolledBack(db: Db, id: string, at: Date, byVersionId: string): boolean {
  return (
    stmt(db, `UPDATE policy_versions SET rolled_back_at = ?, rolled_back_by = ? WHERE id = ? AND state = 'approved' AND rolled_back_at IS NULL`).run(
      at.toISOString(), byVersionId, id,
    ).changes === 1
  );
}

/**
 * Cancels an approved version that is not in force yet at `at`. Conditional: false when it came
 * into force meanwhile, or someone cancelled it first.
 */
export function cancelScheduledVersion(db: Db, id: string, at: Date, by: string, note: string | null): boolean {
  return (
    stmt(
      db,
      `UPDATE policy_versions SET state = 'cancelled', cancelled_at = ?, cancelled_by = ?, cancel_note = ?
       WHERE id = ? AND state = 'approved' AND effective_at > ?`,
    ).run(at.toISOString(), by, note, id, at.toISOString()).changes === 1
  );
}

/** Who cancelled a version, when and why; undefined when it was not cancelled that way. */
export function versionCancellation(db: Db, id: string): { at: Date; by: string; note: string | null } | undefined {
  const row = stmt<[string], { cancelled_at: string; cancelled_by: string; cancel_note: string | null }>(
    db,
    'SELECT cancelled_at, cancelled_by, cancel_note FROM policy_versions WHERE id = ? AND cancelled_at IS NOT NULL',
  ).get(id);
  return row ? { at: new Date(row.cancelled_at), by: row.cancelled_by, note: row.cancel_note } : undefined;
}

/**
 * The first version that came into force after this one and was announced (the switch announces a
 * version once it is in force), or undefined: whether a version was superseded, asked without a clock.
 */
export function announcedSuccessor(db: Db, v: Pick<PolicyVersion, 'effectiveAt' | 'seq'>): string | undefined {
  if (!v.effectiveAt) return undefined;
  return stmt<[string, string, number], { id: string }>(
    db,
    `SELECT id FROM policy_versions WHERE state = 'approved' AND (effective_at > ? OR (effective_at = ? AND seq > ?)) AND announced_at IS NOT NULL
     ORDER BY effective_at, seq LIMIT 1`,
  ).get(v.effectiveAt.toISOString(), v.effectiveAt.toISOString(), v.seq)?.id;
}
