import type { CommandContext } from '../core/command.js';
import { actingPerson, actingRole } from '../core/acting.js';
import { UserError } from '../core/errors.js';
import { formatLocalTime, localDate } from '../domain/calendar.js';
import { rollbackAuthority } from '../domain/policy-rollback.js';
import { TRIGGER_REASONS } from '../domain/policy-validation.js';
import { nextVersionId, type PolicyVersion } from '../domain/policy-version.js';
import { destinationsFor, purposeOrOps } from '../domain/team.js';
import type { Reply } from '../reply/reply.js';
import { enqueue, refreshPosts } from '../store/outbox.js';
import { openQuotesPricedUnder } from '../store/policy-quotes.js';
import { cancelScheduledVersion, markRolledBack, versionCancellation } from '../store/policy-version-rollback.js';
import { getVersion, insertVersion, versionIdInForce, versionIdsOn, versionInForce } from '../store/policy-versions.js';
import { policyAlertSubject } from './alert.js';
import { announceDueVersions } from './switch.js';
import { cancelledReply, cancelledSalesNotice, rolledBackReply, rollbackSalesNotice } from './rollback-view.js';

const notFound = (ref: string) =>
  new UserError(`There is no policy version \`${ref.slice(0, 60)}\`. /policy history lists them.`, 'not_found', { field: 'version' });

/** Why a version cannot be rolled back, when it is not the one in force or restores an earlier one. */
function refuseUnlessRollbackable(ctx: CommandContext, v: PolicyVersion): void {
  const tz = ctx.config.timezone;
  if (v.kind === 'seed') throw new UserError(`${v.id} is the first version, seeded from data/pricing-policy.json: there is no earlier version to go back to. Propose a change instead (/policy propose).`, 'conflict', { field: 'version' });
  if (v.state === 'proposed') throw new UserError(`${v.id} is only proposed, never in force: its reviewer rejects it instead (/policy reject ${v.id}).`, 'conflict', { field: 'version' });
  if (v.state === 'rejected') throw new UserError(`${v.id} was rejected and never in force: there is nothing to roll back.`, 'conflict', { field: 'version' });
  if (v.state === 'cancelled') {
    const c = versionCancellation(ctx.db, v.id);
    throw new UserError(`${v.id} was already cancelled${c ? ` by ${c.by} at ${formatLocalTime(c.at, tz)}` : ''}: it never came into force.`, 'conflict', { field: 'version' });
  }
  if (v.rolledBackAt) {
    const by = v.rolledBackBy ? getVersion(ctx.db, v.rolledBackBy) : undefined;
    throw new UserError(`${v.id} was already rolled back by ${by?.proposedBy.name ?? 'someone'} at ${formatLocalTime(v.rolledBackAt, tz)} (${v.rolledBackBy ?? 'a rollback version'}).`, 'conflict', { field: 'version' });
  }
  const current = versionIdInForce(ctx.db, ctx.now)?.id;
  if (current !== v.id) {
    throw new UserError(`${v.id} is no longer in force: ${current ?? 'another version'} replaced it. Only the version in force can be rolled back; to change ${current ?? 'it'}, roll that one back or propose a change.`, 'conflict', { field: 'version' });
  }
  if (v.kind === 'rollback' || v.kind === 'season_end') {
    throw new UserError(`${v.id} itself restores an earlier version (${v.kind.replace('_', ' ')} of ${v.pairId ?? v.previous ?? 'another version'}): rolling it back would bring back what was taken out. Propose a change instead (/policy propose).`, 'conflict', { field: 'version' });
  }
}

function requireAuthority(ctx: CommandContext, v: PolicyVersion): void {
  const me = actingPerson(ctx);
  const verdict = rollbackAuthority(v, { platform: ctx.actor.platform, userId: ctx.actor.userId, personId: me?.id ?? null, role: actingRole(ctx, me) }, ctx.catalog.team, ctx.now);
  if (!verdict.ok) throw new UserError(verdict.reason, 'forbidden');
}

/** The sales channel on every delivering platform (the ops channel where none is named). */
function tellSales(ctx: CommandContext, payload: Reply): void {
  const { team } = ctx.catalog;
  for (const platform of ctx.platforms) {
    for (const destination of destinationsFor(team, platform, [purposeOrOps(team, platform, 'sales')], false)) {
      enqueue(ctx.db, { platform, kind: 'message', destination, payload, at: ctx.now });
    }
  }
}

/** A version approved for later is cancelled, not rolled back: it never priced a quote. */
function cancelScheduled(ctx: CommandContext, v: PolicyVersion, note: string | null): Reply {
  const name = actingPerson(ctx)?.name ?? ctx.actor.name;
  ctx.db.transaction(() => {
    if (!cancelScheduledVersion(ctx.db, v.id, ctx.now, name, note)) {
      const now = getVersion(ctx.db, v.id) ?? v;
      refuseUnlessRollbackable(ctx, now);
      throw new UserError(`${v.id} came into force meanwhile: ask again to roll it back.`, 'conflict', { field: 'version' });
    }
    tellSales(ctx, cancelledSalesNotice(v, name, note, ctx.config.timezone));
  }).immediate();
  ctx.notify?.();
  ctx.log.info({ version: v.id, by: ctx.actor.userId }, 'scheduled pricing policy version cancelled');
  return cancelledReply(v, name, note, ctx.config.timezone);
}

/**
 * /policy rollback and the Roll back button (§49). The version in force (or the one named) is
 * reverted by a new version of kind rollback holding the rules that were in force just before it,
 * so history stays append-only. In one transaction: the rolled-back version is marked (conditional,
 * so two clicks roll back once), the rollback version written, in force now, every posted copy of
 * its validation alerts refreshed (the button goes), and the sales channel told of the hold with
 * the quotes to re-issue. Then the switch announces the new version in force.
 */
export function rollbackPolicy(ctx: CommandContext, ref: string | undefined, note: string | null): Reply {
  const { db, now } = ctx;
  const tz = ctx.config.timezone;
  const target = ref ? getVersion(db, ref.trim()) : versionInForce(db, now);
  if (!target) throw ref ? notFound(ref) : new Error('no pricing policy version is in force');
  if (target.state === 'approved' && target.effectiveAt && target.effectiveAt.getTime() > now.getTime() && !target.rolledBackAt) {
    requireAuthority(ctx, target);
    return cancelScheduled(ctx, target, note);
  }
  refuseUnlessRollbackable(ctx, target);
  requireAuthority(ctx, target);
  const me = actingPerson(ctx);
  const done = db.transaction(() => {
    // Read again under the write lock: a click that lost the race is told who won it.
    const current = getVersion(db, target.id) ?? target;
    refuseUnlessRollbackable(ctx, current);
    const effectiveAt = current.effectiveAt ?? now;
    const restored = versionInForce(db, new Date(effectiveAt.getTime() - 1));
    if (!restored) throw new Error(`no version was in force before ${current.id}`);
    const day = localDate(now, tz);
    const id = nextVersionId(day, versionIdsOn(db, day));
    if (!markRolledBack(db, current.id, now, id)) throw new UserError(`${current.id} was rolled back a moment ago.`, 'conflict', { field: 'version' });
    const rollback = insertVersion(db, {
      id,
      previous: current.id,
      kind: 'rollback',
      changeType: current.changeType,
      state: 'approved',
      rules: restored.rules,
      proposedBy: { platform: ctx.actor.platform, userId: ctx.actor.userId, name: me?.name ?? ctx.actor.name, personId: me?.id ?? null },
      proposedAt: now,
      rationale: `Rollback of ${current.id}: the rules of ${restored.id} are back.${note ? ` ${note}` : ''}`,
      expectedOutcome: `Pricing as under ${restored.id}, in force before ${current.id}.`,
      effectiveAt: now,
      pairId: current.id,
    });
    for (const reason of TRIGGER_REASONS) refreshPosts(db, policyAlertSubject(current.id, reason), now);
    const reissue = openQuotesPricedUnder(db, current.id, effectiveAt);
    tellSales(ctx, rollbackSalesNotice(current, rollback, restored, reissue, note, tz));
    return { rolledBack: getVersion(db, current.id) ?? current, rollback, restored, reissue };
  }).immediate();
  announceDueVersions({ db, catalog: ctx.catalog, timezone: tz, platforms: ctx.platforms, now });
  ctx.notify?.();
  ctx.log.info({ version: done.rolledBack.id, rollback: done.rollback.id, reissue: done.reissue.length, by: ctx.actor.userId }, 'pricing policy rolled back');
  return rolledBackReply(done.rolledBack, done.rollback, done.restored, done.reissue, tz);
}
