import { formatLocalTime } from '../domain/calendar.js';
import type { FieldChange } from '../domain/policy-change.js';
import type { PolicyRules, PolicyVersion, VersionKind } from '../domain/policy-version.js';
import type { Field } from '../reply/reply.js';

/**
 * How a version reads to a person and to the API: one set of words for /policy, its history, its
 * diffs and the announcement, so the same state is never described two ways.
 */

export const KIND_LABEL: Record<VersionKind, string> = {
  seed: 'seed (from data/pricing-policy.json)',
  change: 'change',
  rollback: 'rollback',
  season_start: 'season start',
  season_end: 'season end',
};

/** "pricing_policy_v2026-11-22b" -> "2026-11-22b": what people type and what fits a table. */
export const shortId = (id: string) => id.replace(/^pricing_policy_v/, '');

export const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * A version's state in words at an instant: proposed, scheduled, in force (an emergency with its
 * review due), superseded, rejected, cancelled, rolled back. `inForceId` is the version in force then.
 */
export function stateWords(v: PolicyVersion, inForceId: string | undefined, now: Date, tz: string, rolledBackBy?: string): string {
  const at = (d: Date) => formatLocalTime(d, tz);
  if (v.state === 'proposed') return `proposed ${at(v.proposedAt)}, awaiting review`;
  if (v.state === 'rejected') return `rejected${v.reviewedAt ? ` ${at(v.reviewedAt)}` : ''}${v.reviewedBy ? ` by ${v.reviewedBy.name}` : ''}`;
  if (v.state === 'cancelled') return 'cancelled before it took effect';
  const rolled = v.rolledBackAt ? `; rolled back ${rollbackText(v, tz, rolledBackBy)}` : '';
  if (v.effectiveAt === null || v.effectiveAt.getTime() > now.getTime()) {
    return `approved, takes effect ${v.effectiveAt ? at(v.effectiveAt) : 'when scheduled'}`;
  }
  const review =
    v.reviewDueAt && !v.reviewedAt
      ? `; emergency review ${v.reviewDueAt.getTime() < now.getTime() ? 'overdue since' : 'due by'} ${at(v.reviewDueAt)}`
      : '';
  if (v.id === inForceId) return `in force since ${sinceText(v, tz)}${review}`;
  return `superseded${rolled}`;
}

/**
 * "2026-11-25 10:00 EST by Maria Lopez (2026-11-25a)": rolled_back_by holds the rollback version's
 * id; `who` is that version's author where the caller found it.
 */
export function rollbackText(v: PolicyVersion, tz: string, who?: string): string {
  const when = v.rolledBackAt ? formatLocalTime(v.rolledBackAt, tz) : '';
  const by = v.rolledBackBy ? (who ? ` by ${who} (${shortId(v.rolledBackBy)})` : ` by ${shortId(v.rolledBackBy)}`) : who ? ` by ${who}` : '';
  return `${when}${by}`;
}

/** The seed is "in force" since 2000-01-01 by construction; a person wants to know when it was seeded. */
export function sinceText(v: PolicyVersion, tz: string): string {
  if (v.kind === 'seed') return `${formatLocalTime(v.proposedAt, tz)} (when this database was seeded)`;
  return v.effectiveAt ? formatLocalTime(v.effectiveAt, tz) : '—';
}

const num = (n: number) => String(n);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
const join = <V>(record: Record<string, V>, show: (v: V) => string) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${show(v as V)}`)
    .join(' · ');

/** The figures a rep asks about first: markups, segment adjustments, floor and margin guardrails. */
export function keyFigures(rules: PolicyRules): Field[] {
  return [
    { label: 'Base markup', value: join(rules.base_markup, (m) => `${num(m)}x`) },
    { label: 'Segment adjustment', value: join(rules.segment_adjustment, (m) => `${signed(m)}x`) },
    { label: 'Price floor', value: `$${rules.price_floor_usd.toFixed(2)}` },
    { label: 'Margin guardrails', value: join(rules.margin_guardrail_pct, (p) => `${num(p)}%`) },
  ];
}

/** §48's record of a version: previous, changed_by, change_type, rationale, rollback_date, and what it promised. */
export function recordFields(v: PolicyVersion, tz: string, rolledBackBy?: string): Field[] {
  const optional = (label: string, value: string | null) => (value ? [{ label, value }] : []);
  return [
    { label: 'Previous', value: v.previous ?? '—' },
    { label: 'Changed by', value: v.changedBy },
    { label: 'Change type', value: `${v.changeType} · ${KIND_LABEL[v.kind]}` },
    ...optional('Approved by', v.reviewDecision === 'approved' && v.reviewedBy ? `${v.reviewedBy.name}${v.reviewedAt ? `, ${formatLocalTime(v.reviewedAt, tz)}` : ''}` : null),
    { label: 'Rationale', value: v.rationale },
    ...optional('Metric drift', v.metricDrift),
    ...optional('Expected outcome', v.expectedOutcome ? `${v.expectedOutcome}${v.expectedMargin ? ` (margin ${v.expectedMargin})` : ''}` : null),
    ...optional('Rollback criteria', v.rollbackCriteria),
    ...optional('Ends', v.endsAt ? formatLocalTime(v.endsAt, tz) : null),
    { label: 'Rollback date', value: v.rolledBackAt ? rollbackText(v, tz, rolledBackBy) : '—' },
  ];
}

const shown = (x: FieldChange['before']) => (x === undefined ? '(none)' : x === null ? 'null' : typeof x === 'string' ? `"${x}"` : String(x));

/** One row per changed field: its path as `/policy propose` writes it, and `before -> after`. */
export const changeRows = (changes: readonly FieldChange[]): string[][] => changes.map((c) => [c.path, `${shown(c.before)} -> ${shown(c.after)}`]);

/** "base_markup.medium: 4 -> 4.5", for one-line summaries and logs. */
export const changeLine = (c: FieldChange) => `${c.path}: ${shown(c.before)} -> ${shown(c.after)}`;

/** The §62 shape of a change: JSON keeps its types; a field one side lacks is null there. */
export const changeJson = (c: FieldChange) => ({ path: c.path, before: c.before ?? null, after: c.after ?? null });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A version for the API: the §48 record and its state, the rules only when asked for. */
export function versionJson(v: PolicyVersion, status: string, withRules: boolean): Record<string, unknown> {
  return {
    id: v.id,
    previous: v.previous,
    kind: v.kind,
    change_type: v.changeType,
    state: v.state,
    status,
    changed_by: v.changedBy,
    proposed_at: v.proposedAt.toISOString(),
    rationale: v.rationale,
    metric_drift: v.metricDrift,
    expected_outcome: v.expectedOutcome,
    expected_margin: v.expectedMargin,
    rollback_criteria: v.rollbackCriteria,
    effective_at: iso(v.effectiveAt),
    ends_at: iso(v.endsAt),
    announced_at: iso(v.announcedAt),
    review_due_at: iso(v.reviewDueAt),
    reviewed_at: iso(v.reviewedAt),
    review_decision: v.reviewDecision,
    reviewed_by: v.reviewedBy?.name ?? null,
    rollback_date: iso(v.rolledBackAt),
    rolled_back_by: v.rolledBackBy,
    ...(withRules ? { rules: v.rules } : {}),
  };
}
