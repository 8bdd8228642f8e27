import type { Platform } from '../domain/actor.js';
import { escalationDue } from '../domain/approval-authority.js';
import { holdUntil } from '../domain/slots.js';
import { destinationsFor, type Team } from '../domain/team.js';
import { approvalSubject, markApprovalEscalated, overdueApprovals, type ApprovalRequest } from '../store/approvals.js';
import type { Db } from '../store/open.js';
import { enqueue, refreshPosts } from '../store/outbox.js';

export interface DeadlineEnv {
  db: Db;
  team: Team;
  platforms: readonly Platform[];
  timezone: string;
  now: Date;
}

/**
 * Each tick: a request past its response time escalates once to the executive sponsor. The
 * deadline and the escalation are in the database, so a restart neither forgets a deadline nor
 * escalates twice (the conditional update lets exactly one tick, in one process, win). The sponsor
 * gets the request itself, a copy that is updated in place like the others; the deadline never
 * falls at night (the response clock stops), and were it to, the copy waits for the morning as a
 * non-critical alert does (§31).
 */
export function escalateOverdueApprovals(env: DeadlineEnv): ApprovalRequest[] {
  const { db, now } = env;
  return db.transaction(() =>
    overdueApprovals(db, now).filter((r) => {
      if (!escalationDue(r, now) || !markApprovalEscalated(db, r.id, now)) return false;
      const subject = approvalSubject(r.id);
      const notBefore = holdUntil(now, env.timezone);
      for (const platform of env.platforms) {
        // The sponsor alone (pageSponsor with no channel purpose): the channel's copy shows the escalation by refresh.
        for (const destination of destinationsFor(env.team, platform, [], true)) enqueue(db, { platform, kind: 'post', destination, subject, at: now, notBefore });
      }
      // Queued after the sponsor's post, so delivery posts it before the refresh looks for pending posts.
      refreshPosts(db, subject, now);
      return true;
    }),
  ).immediate();
}
