import { overdueEmergencyReviews } from '../store/policy-version-review.js';
import { policyAlertRaisedAt, policyAlertSubject, raisePolicyAlert } from './alert.js';
import { EMERGENCY_REVIEW_REASON } from './review-subject.js';
import type { PolicyTickEnv } from './tick.js';

/**
 * An emergency change still unreviewed 24 hours after it took effect alerts, once: ops and exec,
 * paging the executive sponsor, with the review's buttons. The alert is recorded in the database
 * in the transaction that found it overdue, so later ticks, a restart or a second process raise no
 * second; a review refreshes it in place (src/policy/review-decision.ts). Returns the subjects raised.
 */
export function alertOverdueEmergencyReviews(env: PolicyTickEnv): string[] {
  const { db, now } = env;
  // Most ticks find nothing due: they read, and take no write lock.
  const due = overdueEmergencyReviews(db, now).filter((v) => !policyAlertRaisedAt(db, policyAlertSubject(v.id, EMERGENCY_REVIEW_REASON)));
  if (due.length === 0) return [];
  return db
    .transaction(() => {
      const raised: string[] = [];
      for (const v of overdueEmergencyReviews(db, now)) {
        const subject = policyAlertSubject(v.id, EMERGENCY_REVIEW_REASON);
        if (policyAlertRaisedAt(db, subject)) continue;
        if (raisePolicyAlert({ db, team: env.catalog.team, platforms: env.platforms, now }, subject, ['ops', 'exec'], true)) raised.push(subject);
      }
      return raised;
    })
    .immediate();
}
