import type { CommandContext } from '../core/command.js';
import { diffRules } from '../domain/policy-change.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { context, fields, header, reply, table, text, type Block, type Reply } from '../reply/reply.js';
import { getVersion, pendingVersions, versionIdInForce, versionInForce } from '../store/policy-versions.js';
import { policyInForce } from './in-force.js';
import { findVersion } from './version-ref.js';
import { changeJson, changeRows, clip, KIND_LABEL, keyFigures, recordFields, shortId, sinceText, stateWords, versionJson } from './version-text.js';

/** Who wrote the rollback version that reverted this one, for "rolled back ... by Maria Lopez". */
export const rollbackAuthor = (ctx: Pick<CommandContext, 'db'>, v: PolicyVersion) => (v.rolledBackBy ? getVersion(ctx.db, v.rolledBackBy)?.changedBy : undefined);

/** A version's state in words as the person asking reads it now. */
export function statusOf(ctx: Pick<CommandContext, 'db' | 'now' | 'config'>, v: PolicyVersion, inForceId: string | undefined): string {
  return stateWords(v, inForceId, ctx.now, ctx.config.timezone, rollbackAuthor(ctx, v));
}

/** The version in force now; a database nobody seeded yet is seeded from the policy file first. */
export function currentVersion(ctx: CommandContext): PolicyVersion {
  policyInForce(ctx.db, ctx.catalog.policyFile, ctx.now);
  const v = versionInForce(ctx.db, ctx.now);
  if (!v) throw new Error(`no pricing policy version is in force at ${ctx.now.toISOString()}`);
  return v;
}

/**
 * /policy: the version in force with its key figures and §48 record, and every version not settled
 * yet (proposed, approved for later, an emergency awaiting its review), each with its state in words.
 * Anyone may read it: reps quote under it.
 */
export function showPolicy(ctx: CommandContext): Reply {
  const tz = ctx.config.timezone;
  const v = currentVersion(ctx);
  const pending = pendingVersions(ctx.db, ctx.now);
  const status = statusOf(ctx, v, v.id);
  const pendingRows = pending.map((p) => [shortId(p.id), `${p.changeType} ${KIND_LABEL[p.kind]}`, statusOf(ctx, p, v.id), p.changedBy, clip(p.rationale, 40)]);
  const summary = `Pricing policy in force: ${v.id}, since ${sinceText(v, tz)}; ${pending.length ? `${pending.length} pending` : 'nothing pending'}.`;
  const blocks: Block[] = [
    header(`Pricing policy in force: ${shortId(v.id)}`),
    text(`**${v.id}**: ${status}.`),
    fields(...keyFigures(v.rules)),
    fields(...recordFields(v, tz, rollbackAuthor(ctx, v))),
    pending.length
      ? table(['pending', 'type', 'state', 'by', 'rationale'], pendingRows)
      : text('No change is pending.'),
    context('`/policy history` lists every version · `/policy diff A B` compares two · `/policy show ID` shows one.'),
  ];
  return {
    ...reply(summary, blocks),
    data: {
      in_force: versionJson(v, status, true),
      pending: pending.map((p) => ({ ...versionJson(p, statusOf(ctx, p, v.id), true), changes: diffRules(v.rules, p.rules).map(changeJson) })),
    },
  };
}

/** /policy show ID: one version whole, and what it changed against its previous. */
export function showVersion(ctx: CommandContext, ref: string): Reply {
  const tz = ctx.config.timezone;
  currentVersion(ctx);
  const v = findVersion(ctx, ref, 'version');
  const inForceId = versionIdInForce(ctx.db, ctx.now)?.id;
  const status = statusOf(ctx, v, inForceId);
  const previous = v.previous ? getVersion(ctx.db, v.previous) : undefined;
  const changes = previous ? diffRules(previous.rules, v.rules) : [];
  const against = previous
    ? changes.length
      ? table(['field', `${shortId(previous.id)} (previous) -> ${shortId(v.id)}`], changeRows(changes))
      : text(`No field differs from its previous, ${previous.id}.`)
    : text('It has no previous version: it is where the history starts.');
  return {
    ...reply(`${v.id}: ${status}.`, [header(`Pricing policy ${shortId(v.id)}`), text(`**${v.id}**: ${status}.`), fields(...keyFigures(v.rules)), fields(...recordFields(v, tz, rollbackAuthor(ctx, v))), against]),
    data: { version: versionJson(v, status, true), changes: changes.map(changeJson) },
  };
}
