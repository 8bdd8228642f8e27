import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { getVersion } from '../store/policy-versions.js';
import { parsePolicyAlertSubject, policyAlertRaisedAt } from './alert.js';
import { reviewReply, versionIdOfReviewSubject } from './review-view.js';

/** The policy alert reason of an emergency change whose review deadline passed. */
export const EMERGENCY_REVIEW_REASON = 'emergency_review';

/**
 * A change's review request ("policy_review:<id>") or an emergency's overdue review alert, as it
 * stands now: rendered at delivery and again on every refresh, so once reviewed no copy keeps its
 * buttons. Null for any other subject, or a version that is gone.
 */
export function renderReviewSubject(db: Db, team: Team, timezone: string, subject: string): Reply | null {
  const alert = parsePolicyAlertSubject(subject);
  const id = versionIdOfReviewSubject(subject) ?? (alert?.reason === EMERGENCY_REVIEW_REASON ? alert.versionId : null);
  const version = id === null ? undefined : getVersion(db, id);
  if (!version) return null;
  const before = version.previous ? getVersion(db, version.previous)?.rules ?? null : null;
  const overdueSince = alert ? (policyAlertRaisedAt(db, subject) ?? version.reviewDueAt ?? undefined) : undefined;
  return reviewReply(version, before, team, timezone, overdueSince);
}
