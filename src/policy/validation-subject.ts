import type { Team } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from '../store/open.js';

/** A validation trigger's alert with its Roll back button, as it stands now. */
export function renderValidationSubject(_db: Db, _team: Team, _timezone: string, _subject: string): Reply | null {
  return null;
}
