import type { Db } from './open.js';
import { stmt } from './statements.js';
import { spendMicros } from './usage.js';

/**
 * Spend per quarter hour (UTC), kept by recordUsage in the transaction that records the events
 * (migration 0013). Quarter hours, not days: a day is a range in the ops time zone, and the zone can
 * change; every zone in use today starts its days on a quarter hour, so any day is a run of them.
 */
const QUARTER_MS = 15 * 60_000;

const floorQuarter = (ms: number) => ms - (((ms % QUARTER_MS) + QUARTER_MS) % QUARTER_MS);
const key = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** The start (epoch ms) of the quarter hour an instant falls in. */
export function quarterStart(at: Date): number {
  return floorQuarter(at.getTime());
}

/** As stored: '2026-11-22T08:45'. */
export const quarterKey = key;

/**
 * Adds recorded events' costs to their quarters (keyed by quarterStart, so a batch formats each
 * quarter once, not each event); call it in the transaction that inserted the events.
 */
export function addQuarterSpend(db: Db, added: ReadonlyMap<number, number>): void {
  const upsert = stmt(
    db,
    'INSERT INTO usage_spend_quarters (quarter_start, micros) VALUES (?, ?) ON CONFLICT (quarter_start) DO UPDATE SET micros = micros + excluded.micros',
  );
  for (const [start, micros] of added) if (micros !== 0) upsert.run(key(start), micros);
}

/**
 * The spend in [from, to): whole quarters from the running totals, and any part-quarter at either
 * end (a range that does not start or end on a quarter hour) summed from the events themselves.
 * Equal to spendMicros over the same range; reads at most ~100 rows for a day, however busy.
 */
export function rangeSpendMicros(db: Db, r: { from: Date; to: Date }): number {
  const from = r.from.getTime();
  const to = r.to.getTime();
  const firstWhole = floorQuarter(from) === from ? from : floorQuarter(from) + QUARTER_MS;
  const lastWhole = floorQuarter(to);
  if (firstWhole >= lastWhole) return spendMicros(db, r);
  const whole =
    stmt<[string, string], { s: number | null }>(db, 'SELECT SUM(micros) AS s FROM usage_spend_quarters WHERE quarter_start >= ? AND quarter_start < ?').get(
      key(firstWhole),
      key(lastWhole),
    )?.s ?? 0;
  const head = firstWhole > from ? spendMicros(db, { from: r.from, to: new Date(firstWhole) }) : 0;
  const tail = lastWhole < to ? spendMicros(db, { from: new Date(lastWhole), to: r.to }) : 0;
  return whole + head + tail;
}

/**
 * Rebuilds every quarter's total from usage_events, as migration 0013 first built them. For a tool
 * that fills usage_events directly (the benchmarks' large databases); the bot never needs it.
 */
export function rebuildQuarterSpend(db: Db): void {
  db.transaction(() => {
    db.exec('DELETE FROM usage_spend_quarters');
    db.exec(
      `INSERT INTO usage_spend_quarters (quarter_start, micros)
       SELECT substr(at, 1, 14) || CASE WHEN substr(at, 15, 2) < '15' THEN '00' WHEN substr(at, 15, 2) < '30' THEN '15' WHEN substr(at, 15, 2) < '45' THEN '30' ELSE '45' END AS q,
              SUM(cost_micros)
       FROM usage_events GROUP BY q`,
    );
  })();
}
