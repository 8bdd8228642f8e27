import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import type { PolicyVersion } from '../domain/policy-version.js';
import { getVersion, listVersions } from '../store/policy-versions.js';
import { shortId } from './version-text.js';

/** How many recent ids an unknown id's refusal names. */
const KNOWN_SHOWN = 5;

/**
 * The full id of what a person typed: `pricing_policy_v2026-11-22b`, `v2026-11-22b` or `2026-11-22b`
 * (with or without a trailing `.json`, as §48 writes file names), any case.
 */
export function fullVersionId(ref: string): string {
  const r = ref.trim().toLowerCase().replace(/\.json$/, '');
  if (r.startsWith('pricing_policy_v')) return r;
  return `pricing_policy_v${r.replace(/^v/, '')}`;
}

/** The version a person named, or a refusal that names the recent ones they may have meant. */
export function findVersion(ctx: Pick<CommandContext, 'db'>, ref: string, field: string): PolicyVersion {
  const found = getVersion(ctx.db, fullVersionId(ref));
  if (found) return found;
  const known = listVersions(ctx.db, KNOWN_SHOWN).map((v) => shortId(v.id));
  throw new UserError(
    `There is no policy version \`${ref.slice(0, 40)}\`. Recent versions: ${known.join(', ') || 'none yet'} (\`/policy history\` lists them all).`,
    'not_found',
    { field },
  );
}
