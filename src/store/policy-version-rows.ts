import type { ChangeType, ExpectedMargin, PolicyRules, PolicyVersion, VersionKind, VersionState } from '../domain/policy-version.js';

// One mapping from a policy_versions row to the domain's PolicyVersion, shared by the files that query it.
/** A policy_versions row as SQLite returns it. */
export interface Row {
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
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function fromRow(r: Row): PolicyVersion {
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
