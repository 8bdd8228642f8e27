import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { formatLocalTime } from '../domain/calendar.js';
import { diffRules } from '../domain/policy-change.js';
import { context, header, reply, table, text, type Block, type Reply } from '../reply/reply.js';
import { getVersion, listVersions, versionIdInForce } from '../store/policy-versions.js';
import { findVersion } from './version-ref.js';
import { changeJson, changeRows, clip, KIND_LABEL, shortId, versionJson } from './version-text.js';
import { currentVersion, statusOf } from './view.js';

/** A chat table stays readable (and inside Slack's 3,000 characters a section) at this many rows. */
const ROWS_PER_TABLE = 10;
export const HISTORY_MAX = 50;

const chunks = <T>(rows: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** /policy history: every version, newest first, with what it was, who, why, and whether it was rolled back. */
export function policyHistory(ctx: CommandContext, limit: number): Reply {
  const tz = ctx.config.timezone;
  currentVersion(ctx);
  const versions = listVersions(ctx.db, limit);
  const inForceId = versionIdInForce(ctx.db, ctx.now)?.id;
  const rows = versions.map((v) => {
    const effective = v.kind === 'seed' ? 'seed' : v.effectiveAt ? formatLocalTime(v.effectiveAt, tz) : '—';
    return [shortId(v.id), KIND_LABEL[v.kind].replace(/ \(.*\)$/, ''), v.changeType, statusOf(ctx, v, inForceId), effective, v.changedBy, clip(v.rationale.replace(/\s+/g, ' '), 40)];
  });
  const summary = `Pricing policy history: ${versions.length} version(s), newest first; in force: ${inForceId ?? 'none'}.`;
  const blocks: Block[] = [
    header('Pricing policy history'),
    ...chunks(rows, ROWS_PER_TABLE).map((part) => table(['version', 'kind', 'type', 'state', 'effective', 'by', 'rationale'], part)),
    context(`Newest first, at most ${limit} · \`/policy show ID\` for one version whole · \`/policy diff A B\` to compare two.`),
  ];
  return {
    ...reply(summary, blocks),
    data: { in_force: inForceId ?? null, versions: versions.map((v) => versionJson(v, statusOf(ctx, v, inForceId), false)) },
  };
}

/**
 * /policy diff A B: field by field, before -> after, from A to B. With B alone, B against its
 * previous (the version in force when it was written).
 */
export function policyDiff(ctx: CommandContext, a: string, b: string | undefined): Reply {
  currentVersion(ctx);
  const after = findVersion(ctx, b ?? a, b === undefined ? 'a' : 'b');
  let before;
  if (b !== undefined) before = findVersion(ctx, a, 'a');
  else {
    if (!after.previous) throw new UserError(`${after.id} has no previous version to compare with: name two, \`/policy diff A B\`.`, 'invalid_input', { field: 'a' });
    before = getVersion(ctx.db, after.previous);
    if (!before) throw new UserError(`${after.id}'s previous version, ${after.previous}, is not in this database: name two, \`/policy diff A B\`.`, 'not_found', { field: 'a' });
  }
  const changes = diffRules(before.rules, after.rules);
  const n = changes.length;
  const summary = `${before.id} -> ${after.id}: ${n ? `${n} field${n === 1 ? '' : 's'} differ` : 'no field differs'}.`;
  return {
    ...reply(summary, [
      header(`Policy diff: ${shortId(before.id)} -> ${shortId(after.id)}`),
      n ? table(['field', `${shortId(before.id)} -> ${shortId(after.id)}`], changeRows(changes)) : text('The two versions hold the same rules.'),
    ]),
    data: { from: before.id, to: after.id, changes: changes.map(changeJson) },
  };
}
