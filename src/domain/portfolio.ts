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
  return meanPct(samples.reduce((s, q) => s.plus(q.grossMarginPct), new Big(0)), samples.length);
}

/** The one definition of an average margin: the exact mean, floored to two places. */
const meanPct = (sum: Big, count: number): Big => floorPct(sum.div(count));

/**
 * Quotes of one segment, delivery type and decision, summed where they are stored (SQL), for posts
 * that only count and average: the sum of margins in basis points is exact, so the mean is the same
 * number averageMarginPct gives over the quotes one by one.
 */
export interface MarginTally {
  segment: Segment;
  delivery: DeliveryType;
  decision: string;
  count: number;
  /** The sum of the quotes' recorded gross margins, in basis points (hundredths of a percent). */
  sumMarginBp: number;
}

const tallyCount = (ts: readonly MarginTally[]) => ts.reduce((n, t) => n + t.count, 0);

/** averageMarginPct over tallies. */
export function tallyAverageMarginPct(tallies: readonly MarginTally[]): Big | null {
  const count = tallyCount(tallies);
  if (count === 0) return null;
  return meanPct(new Big(tallies.reduce((n, t) => n + t.sumMarginBp, 0)).div(100), count);
}

function groupTallies<K>(tallies: readonly MarginTally[], id: (t: MarginTally) => string, keyOf: (t: MarginTally) => K, order: (a: K, b: K) => number): GroupMargin<K>[] {
  const groups = new Map<string, { key: K; members: MarginTally[] }>();
  for (const t of tallies) {
    const g = groups.get(id(t));
    if (g) g.members.push(t);
    else groups.set(id(t), { key: keyOf(t), members: [t] });
  }
  return [...groups.values()]
    .filter((g) => tallyCount(g.members) > 0)
    .sort((a, b) => order(a.key, b.key))
    .map(({ key, members }) => ({ key, count: tallyCount(members), avgMarginPct: tallyAverageMarginPct(members) ?? new Big(0) }));
}

/** marginBySegment over tallies. */
export function tallyMarginBySegment(tallies: readonly MarginTally[]): GroupMargin<Segment>[] {
  return groupTallies(tallies, (t) => t.segment, (t) => t.segment, segmentOrder);
}

/** marginBySegmentAndDelivery over tallies. */
export function tallyMarginBySegmentAndDelivery(tallies: readonly MarginTally[]): GroupMargin<{ segment: Segment; delivery: DeliveryType }>[] {
  return groupTallies(
    tallies,
    (t) => `${t.segment}/${t.delivery}`,
    (t) => ({ segment: t.segment, delivery: t.delivery }),
    (a, b) => segmentOrder(a.segment, b.segment) || a.delivery.localeCompare(b.delivery),
  );
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
