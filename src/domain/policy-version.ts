import type { Approver, Complexity, DeliveryType, Segment } from './pricing-types.js';

/**
 * The pricing policy's rules as data/pricing-policy.json writes them and the database stores them:
 * plain JSON numbers, so a version can be diffed field by field, shown, exported and parsed again.
 */
export interface PolicyRules {
  base_markup: Record<Complexity, number>;
  segment_adjustment: Record<Segment, number>;
  price_floor_usd: number;
  margin_guardrail_pct: Record<DeliveryType, number>;
  guardrail_fail_route: Record<DeliveryType, string>;
  discount_approval: { up_to_pct: number | null; approver: Approver; condition: string }[];
  escalation: { discount_over_pct: number; conditions_discount_over_pct: number; scope_growth_over_pct: number };
}

export const EXPECTED_MARGIN = ['up', 'down', 'steady'] as const;
export type ExpectedMargin = (typeof EXPECTED_MARGIN)[number];

export const CHANGE_TYPES = ['minor', 'major', 'emergency'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** seed: the file's first version; change: a proposal; rollback: a revert; season_*: a season's two ends. */
export const VERSION_KINDS = ['seed', 'change', 'rollback', 'season_start', 'season_end'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

export const VERSION_STATES = ['proposed', 'approved', 'rejected', 'cancelled'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

/** Who did something to a version, as every decision on record names its actor. */
export interface VersionActor {
  platform: string | null;
  userId: string | null;
  name: string;
  personId: string | null;
}

/** One stored version with the playbook's §48 record (previous, changed_by, change_type, rationale, ...). */
export interface PolicyVersion {
  seq: number;
  id: string;
  previous: string | null;
  kind: VersionKind;
  changeType: ChangeType;
  state: VersionState;
  rules: PolicyRules;
  changedBy: string;
  proposedBy: VersionActor;
  proposedAt: Date;
  rationale: string;
  metricDrift: string | null;
  expectedOutcome: string | null;
  /** Which way the average margin should move (§48 step 4 validates against it). */
  expectedMargin: ExpectedMargin | null;
  rollbackCriteria: string | null;
  effectiveAt: Date | null;
  endsAt: Date | null;
  pairId: string | null;
  announcedAt: Date | null;
  reviewDueAt: Date | null;
  reviewedAt: Date | null;
  reviewDecision: 'approved' | 'rejected' | null;
  reviewedBy: VersionActor | null;
  reviewNote: string | null;
  rolledBackAt: Date | null;
  rolledBackBy: string | null;
}

/** The first version of a new database is in force from here, so quotes dated in the past find it. */
export const SEED_EFFECTIVE_AT = new Date('2000-01-01T00:00:00.000Z');

export const POLICY_ID_PATTERN = /^pricing_policy_v(\d{4}-\d{2}-\d{2})([a-z]+)$/;

/** The letter after `z` is `aa`, so a busy day never runs out of ids. */
function nextLetter(letters: string): string {
  const chars = [...letters];
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (chars[i] !== 'z') {
      chars[i] = String.fromCharCode((chars[i] ?? 'a').charCodeAt(0) + 1);
      return chars.join('');
    }
    chars[i] = 'a';
  }
  return `a${chars.join('')}`;
}

const letterOrder = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The id of the next version written on a local date (§48's format): `pricing_policy_v2026-11-22a`,
 * then `b`, ... after the ids already used that day.
 */
export function nextVersionId(localDate: string, usedIds: readonly string[]): string {
  const letters = usedIds
    .map((id) => POLICY_ID_PATTERN.exec(id))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === localDate)
    .map((m) => m[2] ?? 'a')
    .sort(letterOrder);
  const last = letters.at(-1);
  return `pricing_policy_v${localDate}${last === undefined ? 'a' : nextLetter(last)}`;
}

/**
 * The one version in force at an instant: the approved version with the latest effective_at at or
 * before it, the later-written one on a tie. Undefined only before the seed, which never happens
 * once a database is seeded. The store's SQL asks the same question with an index.
 */
export function inForceAt<V extends Pick<PolicyVersion, 'seq' | 'state' | 'effectiveAt'>>(versions: readonly V[], at: Date): V | undefined {
  let best: V | undefined;
  for (const v of versions) {
    if (v.state !== 'approved' || v.effectiveAt === null || v.effectiveAt.getTime() > at.getTime()) continue;
    const bt = best?.effectiveAt?.getTime() ?? -Infinity;
    const vt = v.effectiveAt.getTime();
    if (!best || vt > bt || (vt === bt && v.seq > best.seq)) best = v;
  }
  return best;
}
