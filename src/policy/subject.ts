import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';
import { renderReviewSubject } from './review-subject.js';
import { renderValidationSubject } from './validation-subject.js';

/** A post about a policy version (a review request, a policy alert) as it stands now; null for any other subject. */
export function renderPolicySubject(db: Db, team: Team, timezone: string, subject: string): Reply | null {
  if (!subject.startsWith('policy_')) return null;
  return renderReviewSubject(db, team, timezone, subject) ?? renderValidationSubject(db, team, timezone, subject);
}
