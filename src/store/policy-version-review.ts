import type { PolicyVersion, VersionActor } from '../domain/policy-version.js';
import type { Db } from './open.js';
import { fromRow, iso, type Row } from './policy-version-rows.js';
import { stmt } from './statements.js';

// --- change process (issue 12 §2): a review's decisions. Each is one conditional UPDATE, so of two
// clicks at once exactly one changes the row and the other finds it decided.

export interface ReviewRecord {
  decision: 'approved' | 'rejected';
  at: Date;
  by: VersionActor;
  note: string | null;
}

/**
 * Decides a proposal: approved (in force from effectiveAt) or rejected. A proposed version's
 * effective_at holds the time its proposer asked for; the decision replaces it with the real one.
 * False when the version is no longer proposed.
 */
export function decideProposedVersion(db: Db, id: string, r: ReviewRecord & { effectiveAt: Date | null }): boolean {
  return (
    stmt(
      db,
      `UPDATE policy_versions SET state = ?, effective_at = ?, reviewed_at = ?, review_decision = ?, reviewed_by_platform = ?,
         reviewed_by_user_id = ?, reviewed_by_name = ?, reviewed_by_person = ?, review_note = ?
       WHERE id = ? AND state = 'proposed'`,
    ).run(
      r.decision, iso(r.effectiveAt), r.at.toISOString(), r.decision, r.by.platform, r.by.userId, r.by.name, r.by.personId, r.note, id,
    ).changes === 1
  );
}

/** Records the review of an emergency version already in force. False when it was reviewed already. */
export function reviewEmergencyVersion(db: Db, id: string, r: ReviewRecord): boolean {
  return (
    stmt(
      db,
      `UPDATE policy_versions SET reviewed_at = ?, review_decision = ?, reviewed_by_platform = ?, reviewed_by_user_id = ?,
         reviewed_by_name = ?, reviewed_by_person = ?, review_note = ?
       WHERE id = ? AND state = 'approved' AND change_type = 'emergency' AND reviewed_at IS NULL`,
    ).run(r.at.toISOString(), r.decision, r.by.platform, r.by.userId, r.by.name, r.by.personId, r.note, id).changes === 1
  );
}

/**
 * Emergency versions whose review came due without one. The table holds a handful of versions a
 * month, so this scan needs no index of its own.
 */
export function overdueEmergencyReviews(db: Db, now: Date): PolicyVersion[] {
  return stmt<[string], Row>(
    db,
    `SELECT * FROM policy_versions
     WHERE state = 'approved' AND change_type = 'emergency' AND reviewed_at IS NULL AND review_due_at <= ?
     ORDER BY seq`,
  )
    .all(now.toISOString())
    .map(fromRow);
}
