import Big from 'big.js';
import { floorPct } from './money.js';
import { SEGMENTS, type DeliveryType, type Segment } from './pricing-types.js';

/** What a portfolio figure needs of one quote: where it sits and the margin it carries. */
export interface MarginSample {
  segment: Segment;
  delivery: DeliveryType;
  /** The quote's gross margin as recorded (two places, rounded down). */
  grossMarginPct: Big;
}

/** A ledger quote as a sample; the store's rows and the domain's records both have this shape. */
export const marginSample = (q: { request: { segment: Segment; delivery: DeliveryType }; price: { grossMarginPct: Big } }): MarginSample => ({
  segment: q.request.segment,
  delivery: q.request.delivery,
  grossMarginPct: q.price.grossMarginPct,
});

/**
 * The average gross margin of a set of quotes: the plain mean of each quote's recorded margin,
 * exact, then shown to two places rounded down like every margin (it never overstates).
 * Null for no quotes: an average of nothing is not 0%. Every surface that shows an average margin
 * (/report, the closure, the exec brief, the retro) calls this, so they cannot disagree.
 */
export function averageMarginPct(samples: readonly Pick<MarginSample, 'grossMarginPct'>[]): Big | null {
  if (samples.length === 0) return null;
  const sum = samples.reduce((s, q) => s.plus(q.grossMarginPct), new Big(0));
  return floorPct(sum.div(samples.length));
}

export interface GroupMargin<K> {
  key: K;
  count: number;
  avgMarginPct: Big;
}

function groupMargins<K>(samples: readonly MarginSample[], keyOf: (s: MarginSample) => K, order: (a: K, b: K) => number): GroupMargin<K>[] {
  const groups = new Map<K, MarginSample[]>();
  for (const s of samples) {
    const k = keyOf(s);
    // Appended in place: copying the group on every sample made a week of 2,000 quotes quadratic.
    const members = groups.get(k);
    if (members) members.push(s);
    else groups.set(k, [s]);
  }
  return [...groups]
    .sort(([a], [b]) => order(a, b))
    .map(([key, members]) => ({ key, count: members.length, avgMarginPct: averageMarginPct(members) ?? new Big(0) }));
}

const segmentOrder = (a: Segment, b: Segment) => SEGMENTS.indexOf(a) - SEGMENTS.indexOf(b);

/** The average margin per segment, segments in the policy's order, only those with quotes. */
export function marginBySegment(samples: readonly MarginSample[]): GroupMargin<Segment>[] {
  return groupMargins(samples, (s) => s.segment, segmentOrder);
}

/**
 * Per segment and delivery type: the unit a guardrail applies to, so an average can be set beside
 * a real policy figure (a segment mixing tasks and subscriptions has no single guardrail).
 */
export function marginBySegmentAndDelivery(samples: readonly MarginSample[]): GroupMargin<{ segment: Segment; delivery: DeliveryType }>[] {
  const keys = new Map<string, { segment: Segment; delivery: DeliveryType }>();
  const keyOf = (s: MarginSample) => {
    const id = `${s.segment}/${s.delivery}`;
    const existing = keys.get(id);
    if (existing) return existing;
    const k = { segment: s.segment, delivery: s.delivery };
    keys.set(id, k);
    return k;
  };
  return groupMargins(samples, keyOf, (a, b) => segmentOrder(a.segment, b.segment) || a.delivery.localeCompare(b.delivery));
}
