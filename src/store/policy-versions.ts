import type { ChangeType, ExpectedMargin, PolicyRules, PolicyVersion, VersionActor, VersionKind, VersionState } from '../domain/policy-version.js';
import type { Db } from './open.js';
import { fromRow, iso, type Row } from './policy-version-rows.js';
import { stmt } from './statements.js';

export interface NewVersion {
  id: string;
  previous: string | null;
  kind: VersionKind;
  changeType: ChangeType;
  state: VersionState;
  rules: PolicyRules;
  proposedBy: VersionActor;
  proposedAt: Date;
  rationale: string;
  metricDrift?: string | null;
  expectedOutcome?: string | null;
  expectedMargin?: ExpectedMargin | null;
  rollbackCriteria?: string | null;
  effectiveAt?: Date | null;
  endsAt?: Date | null;
  pairId?: string | null;
  reviewDueAt?: Date | null;
  /** Set for a version written already announced (the seed, which nobody needs told of). */
  announcedAt?: Date | null;
}

/** Writes a version. Versions are append-only: later changes only fill in review, announcement and rollback. */
export function insertVersion(db: Db, v: NewVersion): PolicyVersion {
  const row = stmt<unknown[], Row>(
    db,
    `INSERT INTO policy_versions (id, previous, kind, change_type, state, rules, changed_by, proposed_by_platform, proposed_by_user_id,
       proposed_by_person, proposed_at, rationale, metric_drift, expected_outcome, expected_margin, rollback_criteria, effective_at, ends_at, pair_id,
       review_due_at, announced_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(
    v.id, v.previous, v.kind, v.changeType, v.state, JSON.stringify(v.rules), v.proposedBy.name, v.proposedBy.platform, v.proposedBy.userId,
    v.proposedBy.personId, v.proposedAt.toISOString(), v.rationale, v.metricDrift ?? null, v.expectedOutcome ?? null, v.expectedMargin ?? null, v.rollbackCriteria ?? null,
    iso(v.effectiveAt), iso(v.endsAt), v.pairId ?? null, iso(v.reviewDueAt), iso(v.announcedAt),
  );
  if (!row) throw new Error(`policy version ${v.id} was not written`);
  return fromRow(row);
}

export function getVersion(db: Db, id: string): PolicyVersion | undefined {
  const row = stmt<[string], Row>(db, 'SELECT * FROM policy_versions WHERE id = ?').get(id);
  return row ? fromRow(row) : undefined;
}

/** Which version is in force at an instant: one seek on policy_versions_in_force (see inForceAt). */
export function versionIdInForce(db: Db, at: Date): { id: string; rules: string } | undefined {
  return stmt<[string], { id: string; rules: string }>(
    db,
    `SELECT id, rules FROM policy_versions WHERE state = 'approved' AND effective_at <= ?
     ORDER BY effective_at DESC, seq DESC LIMIT 1`,
  ).get(at.toISOString());
}

export function versionRules(db: Db, id: string): string | undefined {
  return stmt<[string], { rules: string }>(db, 'SELECT rules FROM policy_versions WHERE id = ?').get(id)?.rules;
}

export function versionInForce(db: Db, at: Date): PolicyVersion | undefined {
  const found = versionIdInForce(db, at);
  return found ? getVersion(db, found.id) : undefined;
}

export function countVersions(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT COUNT(*) AS n FROM policy_versions').get()?.n ?? 0;
}

/** Ids already used on a local date, for the next letter. */
export function versionIdsOn(db: Db, localDate: string): string[] {
  const prefix = `pricing_policy_v${localDate}`;
  return stmt<[string, string], { id: string }>(db, 'SELECT id FROM policy_versions WHERE id >= ? AND id < ?')
    .all(prefix, `${prefix}\uffff`)
    .map((r) => r.id);
}

/** Newest first: the history a person reads. */
export function listVersions(db: Db, limit = 20): PolicyVersion[] {
  return stmt<[number], Row>(db, 'SELECT * FROM policy_versions ORDER BY seq DESC LIMIT ?').all(limit).map(fromRow);
}

/**
 * What is not settled yet: proposals awaiting review, approved versions not yet in force, and
 * emergency versions whose review is still due. Oldest first.
 */
export function pendingVersions(db: Db, now: Date): PolicyVersion[] {
  return stmt<[string], Row>(
    db,
    `SELECT * FROM policy_versions
     WHERE state = 'proposed'
        OR (state = 'approved' AND effective_at > ?)
        OR (state = 'approved' AND review_due_at IS NOT NULL AND reviewed_at IS NULL)
     ORDER BY seq`,
  )
    .all(now.toISOString())
    .map(fromRow);
}

/** The first version written: the seed, which a broken policy file is replaced by at start. */
export function firstVersion(db: Db): PolicyVersion | undefined {
  const row = stmt<[], Row>(db, 'SELECT * FROM policy_versions ORDER BY seq LIMIT 1').get();
  return row ? fromRow(row) : undefined;
}
