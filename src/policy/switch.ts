import { formatLocalTime } from '../domain/calendar.js';
import { diffRules, type FieldChange } from '../domain/policy-change.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { purposeOrOps } from '../domain/team.js';
import { emitEvent } from '../events/emit.js';
import { destinationsOn } from '../outbox/platforms.js';
import { context, header, reply, table, text, type Reply } from '../reply/reply.js';
import { enqueue } from '../store/outbox.js';
import { dueUnannounced, markAnnounced, versionInForceBefore } from '../store/policy-version-switch.js';
import { versionIdInForce } from '../store/policy-versions.js';
import type { PolicyTickEnv } from './tick.js';
import { changeJson, changeRows, KIND_LABEL, shortId } from './version-text.js';

/**
 * Announces each version that came into force and was not announced yet: the sales channel is told
 * with its diff, and pricing.policy_changed is emitted, once, in one transaction.
 *
 * The switch itself needs no timer: the version in force is read from effective_at at every quote.
 * What needs the clock is telling people, and that is a stored fact (announced_at), marked with a
 * conditional update, so a restart, a late tick or a second process on the same file announces each
 * version exactly once, and a version that came due while the bot was down is announced on the
 * first tick after it starts. Callers that approve a version effective now call this inside their
 * own transaction (it nests as a savepoint) so the announcement commits with the approval.
 */
export function announceDueVersions(env: PolicyTickEnv): string[] {
  const { db, now } = env;
  // Every tick asks; only a tick that finds something takes the write lock.
  if (!db.inTransaction && dueUnannounced(db, now).length === 0) return [];
  const announce = () => {
    const announced: string[] = [];
    for (const v of dueUnannounced(db, now)) {
      if (!markAnnounced(db, v.id, now)) continue;
      const before = versionInForceBefore(db, v);
      const changes = before ? diffRules(before.rules, v.rules) : [];
      const inForceNow = versionIdInForce(db, now)?.id;
      const message = announcement(v, before, changes, inForceNow, env.timezone);
      const sales = env.platforms.flatMap((p) => destinationsOn(env.catalog.team, [p], [purposeOrOps(env.catalog.team, p, 'sales')]));
      for (const d of sales) enqueue(db, { ...d, kind: 'message', payload: message, at: now });
      emitEvent(db, {
        type: 'pricing.policy_changed',
        // When the version in force changed, which a bot that was down learns of later.
        at: v.effectiveAt ?? now,
        subject: v.id,
        data: {
          version: v.id,
          previous: before?.id ?? v.previous,
          kind: v.kind,
          change_type: v.changeType,
          effective_at: (v.effectiveAt ?? now).toISOString(),
          changed_by: v.changedBy,
          approved_by: v.reviewDecision === 'approved' ? (v.reviewedBy?.name ?? null) : null,
          rationale: v.rationale,
          changes: changes.map(changeJson),
        },
      });
      announced.push(v.id);
    }
    return announced;
  };
  return db.inTransaction ? announce() : db.transaction(announce).immediate();
}

const KIND_NOTE: Partial<Record<PolicyVersion['kind'], (v: PolicyVersion) => string>> = {
  rollback: (v) => `It rolls back ${v.pairId ?? v.previous ?? 'the previous version'}: the version before it is back.`,
  season_start: (v) => `A seasonal adjustment${v.endsAt ? ', ending automatically' : ''}.`,
  season_end: (v) => `The season ${v.pairId ? `${v.pairId} ` : ''}is over: the pricing in force before it is back.`,
};

/** What the sales channel reads: the version, who and why, and each field before -> after. */
export function announcement(v: PolicyVersion, before: PolicyVersion | undefined, changes: readonly FieldChange[], inForceNow: string | undefined, tz: string): Reply {
  const since = formatLocalTime(v.effectiveAt ?? new Date(0), tz);
  const still = inForceNow === undefined || inForceNow === v.id;
  const title = still ? `Pricing policy ${shortId(v.id)} is in force` : `Pricing policy ${shortId(v.id)} was in force (now ${shortId(inForceNow)})`;
  const approved = v.reviewDecision === 'approved' && v.reviewedBy ? `, approved by ${v.reviewedBy.name}` : '';
  const n = changes.length;
  const summary = `${title} since ${since}: ${v.changeType} ${KIND_LABEL[v.kind]} by ${v.changedBy}, ${n} field${n === 1 ? '' : 's'} changed.`;
  const note = KIND_NOTE[v.kind]?.(v);
  return reply(
    summary,
    [
      header(title),
      text(
        `**${v.id}** (${v.changeType} ${KIND_LABEL[v.kind]}) by ${v.changedBy}${approved}: in force since ${since}` +
          `${before ? `, replacing ${before.id}` : ''}.${note ? ` ${note}` : ''}\n**Rationale:** ${v.rationale}` +
          `${v.expectedOutcome ? `\n**Expected outcome:** ${v.expectedOutcome}` : ''}`,
      ),
      n ? table(['field', 'before -> after'], changeRows(changes)) : text(`No field changed: the rules are those of ${before?.id ?? 'the version before'}.`),
      context(`Quotes already priced keep the version they were priced under. \`/policy\` shows the policy in force; \`/policy diff ${shortId(v.id)}\` this change.`),
    ],
    'channel',
  );
}
