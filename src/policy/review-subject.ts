import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';

/** A change's review request ("policy_review:<id>") or an emergency's overdue review alert, as it stands now. */
export function renderReviewSubject(_db: Db, _team: Team, _timezone: string, _subject: string): Reply | null {
  return null;
}
