import type { Platform } from '../domain/actor.js';
import { destinationsFor, type ChannelPurpose, type Team } from '../domain/team.js';
import type { Db } from '../store/open.js';
import { getState, setState } from '../store/ops-state.js';
import { enqueue } from '../store/outbox.js';

export interface PolicyAlertEnv {
  db: Db;
  team: Team;
  platforms: readonly Platform[];
  now: Date;
}

/** "policy_alert:pricing_policy_v2026-11-22b:emergency_review": what a policy alert is about and why. */
export const policyAlertSubject = (versionId: string, reason: string) => `policy_alert:${versionId}:${reason}`;

export function parsePolicyAlertSubject(subject: string): { versionId: string; reason: string } | null {
  const m = /^policy_alert:([^:]+):([a-z_]+)$/.exec(subject);
  return m ? { versionId: m[1] ?? '', reason: m[2] ?? '' } : null;
}

/**
 * Raises a policy alert once: records that it was raised (so a restart, a second process or the next
 * tick never raises it again) and queues a post about its subject to the channels given, on every
 * platform. The post renders the version's state at delivery and is refreshed in place when that
 * state changes (refreshPosts), so its buttons disappear once someone acted. Call it inside the
 * transaction that found the cause. False when it was raised before.
 */
export function raisePolicyAlert(env: PolicyAlertEnv, subject: string, purposes: readonly ChannelPurpose[], pageSponsor = false): boolean {
  const key = `raised:${subject}`;
  if (getState(env.db, key) !== undefined) return false;
  setState(env.db, key, env.now.toISOString());
  for (const platform of env.platforms) {
    for (const destination of destinationsFor(env.team, platform, purposes, pageSponsor)) {
      enqueue(env.db, { platform, kind: 'post', destination, subject, at: env.now });
    }
  }
  return true;
}

/** When a policy alert was raised, if it was. */
export function policyAlertRaisedAt(db: Db, subject: string): Date | null {
  const at = getState(db, `raised:${subject}`);
  return at ? new Date(at) : null;
}
