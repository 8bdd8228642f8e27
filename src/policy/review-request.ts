import type { CommandContext } from '../core/command.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { destinationsFor, purposeOrOps, type ChannelPurpose } from '../domain/team.js';
import { enqueue } from '../store/outbox.js';
import { getVersion } from '../store/policy-versions.js';
import { reviewSubject, salesNotice } from './review-view.js';

/** What asking for a review needs: a command's context has it, and so does the bot at start. */
export type ReviewEnv = Pick<CommandContext, 'db' | 'catalog' | 'config' | 'platforms' | 'now'>;

/** Where each type's review is asked (§48): a minor change in ops, where the revenue managers are; the rest in exec and ops. */
const REVIEW_CHANNELS: Record<PolicyVersion['changeType'], readonly ChannelPurpose[]> = {
  minor: ['ops'],
  major: ['exec', 'ops'],
  emergency: ['exec', 'ops'],
};

/**
 * Asks the people who may review a proposed version (§48: minor -> a revenue manager, major -> an
 * executive) with Approve / Reject buttons, and announces a major change to the sales team (its 48
 * hours run from here). Call it in the transaction that wrote the proposal. Every kind of proposal
 * (a change, a season) is reviewed through here.
 *
 * The request is a 'post' about policy_review:<id>, rendered from the version's state at delivery
 * and refreshed in place on a decision. An emergency, in force already, is reviewed the same way;
 * the switch announces it to the sales team at once.
 */
export function requestReview(env: ReviewEnv, version: PolicyVersion): void {
  const { db, catalog, now } = env;
  const { team } = catalog;
  const subject = reviewSubject(version.id);
  for (const platform of env.platforms) {
    for (const destination of destinationsFor(team, platform, REVIEW_CHANNELS[version.changeType], false)) {
      enqueue(db, { platform, kind: 'post', destination, subject, at: now });
    }
  }
  // Only a major change is announced ahead (its 48 hours run from here); an emergency is in force
  // already, and the switch (announceDueVersions, in the same transaction) tells sales of it once.
  if (version.changeType !== 'major') return;
  const before = version.previous ? getVersion(db, version.previous)?.rules ?? null : null;
  const notice = salesNotice(version, before, env.config.timezone, now);
  for (const platform of env.platforms) {
    for (const destination of destinationsFor(team, platform, [purposeOrOps(team, platform, 'sales')], false)) {
      enqueue(db, { platform, kind: 'message', destination, payload: notice, at: now });
    }
  }
}
