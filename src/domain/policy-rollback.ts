import type { Platform, Role } from './actor.js';
import type { PolicyVersion } from './policy-version.js';
import type { Person, Team } from './team.js';

/**
 * Playbook §49, who may roll a change back: a minor change, a revenue manager (or an executive,
 * who may do anything a manager may); a major change, an executive; an emergency change, the person
 * who made it (or an executive). A scheduled version not yet in force is cancelled under the same
 * rule, since cancelling it is rolling it back before it starts.
 */

export interface RollbackActor {
  platform: Platform;
  userId: string;
  /** The data/team.json person, when the actor is listed there. */
  personId: string | null;
  role: Role;
}

export type RollbackVerb = 'roll back' | 'cancel';

export type RollbackAuthority =
  | { ok: true; verb: RollbackVerb }
  | { ok: false; verb: RollbackVerb; reason: string; canAct: string[] };

type Target = Pick<PolicyVersion, 'id' | 'changeType' | 'effectiveAt' | 'proposedBy'>;

const isOriginator = (v: Target, a: RollbackActor) =>
  (a.personId !== null && v.proposedBy.personId === a.personId) || (v.proposedBy.platform === a.platform && v.proposedBy.userId === a.userId);

/** The names of the people who may act on this version, for a refusal. */
function holders(v: Target, team: Team): string[] {
  const roles: Role[] = v.changeType === 'minor' ? ['revenue_manager', 'executive'] : ['executive'];
  const people: Person[] = team.people.filter((p) => roles.includes(p.role));
  const names = people.map((p) => p.name);
  if (v.changeType === 'emergency' && !names.includes(v.proposedBy.name)) names.unshift(v.proposedBy.name);
  return names;
}

const WHO: Record<PolicyVersion['changeType'], string> = {
  minor: 'a revenue manager or an executive',
  major: 'an executive',
  emergency: 'the person who made it or an executive',
};

/** Whether this actor may roll back (or, not yet in force at `now`, cancel) a version; if not, why and who may. */
export function rollbackAuthority(version: Target, actor: RollbackActor, team: Team, now: Date): RollbackAuthority {
  const verb: RollbackVerb = version.effectiveAt !== null && version.effectiveAt.getTime() > now.getTime() ? 'cancel' : 'roll back';
  const allowed =
    actor.role === 'executive' ||
    (version.changeType === 'minor' && actor.role === 'revenue_manager') ||
    (version.changeType === 'emergency' && isOriginator(version, actor));
  if (allowed) return { ok: true, verb };
  const canAct = holders(version, team);
  const names = canAct.length ? canAct.join(', ') : 'nobody listed in data/team.json yet';
  return {
    ok: false,
    verb,
    canAct,
    reason: `${version.id} is a ${version.changeType} change: only ${WHO[version.changeType]} may ${verb === 'cancel' ? 'cancel it' : 'roll it back'} (playbook §49), and you are listed as ${actor.role.replace(/_/g, ' ')}. Ask ${names}.`,
  };
}
