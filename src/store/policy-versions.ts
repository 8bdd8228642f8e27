import type { ChangeType, ExpectedMargin, PolicyRules, PolicyVersion, VersionActor, VersionKind, VersionState } from '../domain/policy-version.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

interface Row {
  seq: number;
  id: string;
  previous: string | null;
  kind: VersionKind;
  change_type: ChangeType;
  state: VersionState;
  rules: string;
  changed_by: string;
  proposed_by_platform: string | null;
  proposed_by_user_id: string | null;
  proposed_by_person: string | null;
  proposed_at: string;
  rationale: string;
  metric_drift: string | null;
  expected_outcome: string | null;
  expected_margin: ExpectedMargin | null;
  rollback_criteria: string | null;
  effective_at: string | null;
  ends_at: string | null;
  pair_id: string | null;
  announced_at: string | null;
  review_due_at: string | null;
  reviewed_at: string | null;
  review_decision: 'approved' | 'rejected' | null;
  reviewed_by_platform: string | null;
  reviewed_by_user_id: string | null;
  reviewed_by_name: string | null;
  reviewed_by_person: string | null;
  review_note: string | null;
  rolled_back_at: string | null;
  rolled_back_by: string | null;
}

const date = (s: string | null) => (s ? new Date(s) : null);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

function fromRow(r: Row): PolicyVersion {
  return {
    seq: r.seq,
    id: r.id,
    previous: r.previous,
    kind: r.kind,
    changeType: r.change_type,
    state: r.state,
    rules: JSON.parse(r.rules) as PolicyRules,
    changedBy: r.changed_by,
    proposedBy: { platform: r.proposed_by_platform, userId: r.proposed_by_user_id, name: r.changed_by, personId: r.proposed_by_person },
    proposedAt: new Date(r.proposed_at),
    rationale: r.rationale,
    metricDrift: r.metric_drift,
    expectedOutcome: r.expected_outcome,
    expectedMargin: r.expected_margin,
    rollbackCriteria: r.rollback_criteria,
    effectiveAt: date(r.effective_at),
    endsAt: date(r.ends_at),
    pairId: r.pair_id,
    announcedAt: date(r.announced_at),
    reviewDueAt: date(r.review_due_at),
    reviewedAt: date(r.reviewed_at),
    reviewDecision: r.review_decision,
    reviewedBy: r.reviewed_by_name
      ? { platform: r.reviewed_by_platform, userId: r.reviewed_by_user_id, name: r.reviewed_by_name, personId: r.reviewed_by_person }
      : null,
    reviewNote: r.review_note,
    rolledBackAt: date(r.rolled_back_at),
    rolledBackBy: r.rolled_back_by,
  };
}

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

/** The first version written: the seed, which a broken policy file is replaced by at start. */
export function firstVersion(db: Db): PolicyVersion | undefined {
  const row = stmt<[], Row>(db, 'SELECT * FROM policy_versions ORDER BY seq LIMIT 1').get();
  return row ? fromRow(row) : undefined;
}

// --- seasons (issue 12 §4): the start and end of a season point at each other ---

/** Links a season_start to its season_end. Only once: false when the start already has its end. */
export function setSeasonPair(db: Db, startId: string, endId: string): boolean {
  return stmt(db, "UPDATE policy_versions SET pair_id = ? WHERE id = ? AND kind = 'season_start' AND pair_id IS NULL").run(endId, startId).changes === 1;
}
