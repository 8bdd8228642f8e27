import type { ChangeType, PolicyRules } from './policy-version.js';

/** One field that differs between two versions; undefined where the field does not exist on that side. */
export interface FieldChange {
  /** As a person writes it in /policy propose: base_markup.medium, discount_approval.1.up_to_pct. */
  path: string;
  before: number | string | null | undefined;
  after: number | string | null | undefined;
}

type Leaf = number | string | null;

function flatten(value: unknown, prefix: string, out: Map<string, Leaf>): Map<string, Leaf> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value as Leaf);
  }
  return out;
}

/** Every field that differs, in the first version's field order and then the fields only the second has. */
export function diffRules(before: PolicyRules, after: PolicyRules): FieldChange[] {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const paths = [...a.keys(), ...[...b.keys()].filter((k) => !a.has(k))];
  return paths.filter((p) => a.get(p) !== b.get(p) || a.has(p) !== b.has(p)).map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

/** §48 and §50: a minor change moves a markup by at most this much; no change moves one by more than the cap. */
export const MINOR_MARKUP_MOVE = 0.5;
export const MAX_MARKUP_MOVE = 1.0;
/**
 * §52 "never reduce markup below 2.5x". It bounds the base markup of each complexity: the segment
 * adjustments (§51) are applied on top of it by design, and the seed's startup-low quote is 2.0x.
 */
export const MIN_BASE_MARKUP = 2.5;
/** The price floor's allowed range in USD. */
export const FLOOR_RANGE_USD = { min: 0.25, max: 1.0 } as const;

const isMarkupPath = (path: string) => path.startsWith('base_markup.') || path.startsWith('segment_adjustment.');

/** Compares in cents of a markup so 0.1 + 0.2 style floats never decide a boundary. */
const hundredths = (n: number) => Math.round(n * 100);

/**
 * The guardrails every change must keep, whatever its type (§50, §52): no markup moved by more than
 * 1.0x in one change, no base markup below 2.5x, the floor inside $0.25-$1.00. Empty when it keeps them.
 */
export function guardrailViolations(before: PolicyRules, after: PolicyRules): string[] {
  const problems: string[] = [];
  for (const change of diffRules(before, after)) {
    if (!isMarkupPath(change.path) || typeof change.before !== 'number' || typeof change.after !== 'number') continue;
    const move = Math.abs(hundredths(change.after) - hundredths(change.before));
    if (move > hundredths(MAX_MARKUP_MOVE)) {
      problems.push(`${change.path} moves by ${(move / 100).toFixed(2)}x (${change.before} -> ${change.after}); at most ${MAX_MARKUP_MOVE.toFixed(1)}x in one change (§50)`);
    }
  }
  for (const [complexity, markup] of Object.entries(after.base_markup)) {
    if (hundredths(markup) < hundredths(MIN_BASE_MARKUP)) {
      problems.push(`base_markup.${complexity} would be ${markup}x; never below ${MIN_BASE_MARKUP}x (§52)`);
    }
  }
  const floor = after.price_floor_usd;
  if (hundredths(floor) < hundredths(FLOOR_RANGE_USD.min) || hundredths(floor) > hundredths(FLOOR_RANGE_USD.max)) {
    problems.push(`price_floor_usd would be $${floor.toFixed(2)}; it must stay within $${FLOOR_RANGE_USD.min.toFixed(2)}-$${FLOOR_RANGE_USD.max.toFixed(2)}`);
  }
  return problems;
}

export interface Classification {
  /** What the change is, by its content: minor or major. An emergency is declared, never inferred. */
  type: Exclude<ChangeType, 'emergency'>;
  /** Why, one line per field that made it major (empty for minor). */
  reasons: string[];
}

/**
 * §48's change types, checked rather than trusted: markups moved by at most 0.5x each are minor;
 * a markup moved further, and any change to the floor, the guardrails, the routes, the discount
 * matrix's tiers or the escalation thresholds, is major.
 */
export function classifyChange(changes: readonly FieldChange[]): Classification {
  const reasons: string[] = [];
  for (const c of changes) {
    if (isMarkupPath(c.path) && typeof c.before === 'number' && typeof c.after === 'number') {
      const move = Math.abs(hundredths(c.after) - hundredths(c.before));
      if (move > hundredths(MINOR_MARKUP_MOVE)) reasons.push(`${c.path} moves by ${(move / 100).toFixed(2)}x, more than the ${MINOR_MARKUP_MOVE}x of a minor change`);
    } else if (c.path === 'price_floor_usd') {
      reasons.push('the price floor changes');
    } else if (c.path.startsWith('discount_approval.')) {
      reasons.push(c.before === undefined || c.after === undefined ? 'the discount matrix gains or loses a tier' : `the discount matrix changes (${c.path})`);
    } else {
      reasons.push(`a threshold changes (${c.path})`);
    }
  }
  return { type: reasons.length ? 'major' : 'minor', reasons: [...new Set(reasons)] };
}

/**
 * A change as a person writes it, one `path=value` per line or separated by commas:
 * `base_markup.medium=4.5, price_floor_usd=0.6, discount_approval.1.condition="Multi-year"`.
 * Applied to the rules in force, it gives the proposed rules; every problem is named at once.
 * Only existing fields can be set (a new tier is `discount_approval.N.*` for the next N, whole).
 */
export function applyChanges(rules: PolicyRules, text: string): { ok: true; rules: PolicyRules; changes: FieldChange[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const next = structuredClone(rules) as unknown as Record<string, unknown>;
  const assignments = [...text.matchAll(/([A-Za-z_][\w.]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,;]+)/g)];
  const leftover = text.replace(/([A-Za-z_][\w.]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,;]+)/g, '').replace(/[\s,;]+/g, '');
  if (assignments.length === 0) return { ok: false, problems: ['no change given: write path=value, e.g. base_markup.medium=4.5'] };
  if (leftover) problems.push(`cannot read "${leftover.slice(0, 40)}": write each change as path=value, e.g. base_markup.medium=4.5`);
  const seen = new Set<string>();
  for (const [, path = '', raw = ''] of assignments) {
    if (seen.has(path)) problems.push(`${path} is given twice`);
    seen.add(path);
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let node: unknown = next;
    for (const k of keys) {
      if (Array.isArray(node) && /^\d+$/.test(k) && Number(k) === node.length) node.push({});
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    }
    const quoted = raw.startsWith('"');
    const text = quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (node === null || typeof node !== 'object') {
      problems.push(`${path} is not a field of the pricing policy`);
      continue;
    }
    const target = node as Record<string, unknown>;
    const current = target[last];
    const isNewTier = keys[0] === 'discount_approval' && current === undefined && ['up_to_pct', 'approver', 'condition'].includes(last);
    if (current === undefined && !isNewTier) {
      problems.push(`${path} is not a field of the pricing policy`);
      continue;
    }
    if (text === 'null' && !quoted) target[last] = null;
    else if (typeof current === 'number' || (current === null && last === 'up_to_pct') || (isNewTier && last === 'up_to_pct')) {
      const n = Number(text);
      if (quoted || text.trim() === '' || !Number.isFinite(n)) problems.push(`${path} must be a number; you gave "${text.slice(0, 40)}"`);
      else target[last] = n;
    } else target[last] = text;
  }
  if (problems.length) return { ok: false, problems };
  const after = next as unknown as PolicyRules;
  const changes = diffRules(rules, after);
  if (changes.length === 0) return { ok: false, problems: ['the change leaves every field as it is in force'] };
  return { ok: true, rules: after, changes };
}
