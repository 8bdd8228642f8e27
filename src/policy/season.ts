import { classifyChange, diffRules } from '../domain/policy-change.js';
import { POLICY_ID_PATTERN, nextVersionId, type ExpectedMargin, type PolicyVersion } from '../domain/policy-version.js';
import type { Db } from '../store/open.js';
import { getSeason } from '../store/policy-seasons.js';
import { setSeasonPair } from '../store/policy-seasons.js';
import { getVersion, insertVersion, versionIdsOn, versionInForce } from '../store/policy-versions.js';

/** The end of a season moves the margin back the other way. */
const REVERSED: Record<ExpectedMargin, ExpectedMargin> = { up: 'down', down: 'up', steady: 'steady' };

/**
 * Called in the transaction that approves a version of kind season_start: schedules its end, a
 * season_end version at ends_at restoring the rules in force just before the season began. The end
 * is a row, not a timer: the version in force is looked up by effective_at, so it takes effect on
 * time whether or not the bot is running then. Idempotent: a start that has its end keeps it.
 *
 * The end is named on the season's own date (the date in its id): it is written as the season's
 * partner, and the caller's clock carries no time zone to name another date by.
 */
export function scheduleSeasonEnd(db: Db, start: PolicyVersion, now: Date): PolicyVersion {
  if (start.kind !== 'season_start') throw new Error(`${start.id} is a ${start.kind} version, not the start of a season`);
  if (!start.effectiveAt || !start.endsAt) throw new Error(`season ${start.id} has no start or no end`);
  const existing = start.pairId ? getVersion(db, start.pairId) : undefined;
  if (existing) return existing;
  const before = versionInForce(db, new Date(start.effectiveAt.getTime() - 1));
  if (!before) throw new Error(`no version is in force before season ${start.id}`);
  const date = POLICY_ID_PATTERN.exec(start.id)?.[1];
  if (!date) throw new Error(`season ${start.id} has no date in its id`);
  const name = getSeason(db, start.id)?.name ?? start.id;
  const end = insertVersion(db, {
    id: nextVersionId(date, versionIdsOn(db, date)),
    previous: start.id,
    kind: 'season_end',
    changeType: classifyChange(diffRules(start.rules, before.rules)).type,
    state: 'approved',
    rules: before.rules,
    proposedBy: start.proposedBy,
    proposedAt: now,
    rationale: `End of the season "${name}" (${start.id}): restores the rules of ${before.id}, in force before it began.`,
    expectedOutcome: `Prices return to ${before.id}.`,
    expectedMargin: start.expectedMargin ? REVERSED[start.expectedMargin] : null,
    effectiveAt: start.endsAt,
    pairId: start.id,
  });
  if (!setSeasonPair(db, start.id, end.id)) throw new Error(`season ${start.id} was given an end twice`);
  return end;
}
