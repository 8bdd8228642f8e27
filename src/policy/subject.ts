import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';

/** A post about a policy version ("policy_review:<id>", ...) as it stands now; null for any other subject. */
export function renderPolicySubject(_db: Db, _team: Team, _timezone: string, _subject: string): Reply | null {
  return null;
}
