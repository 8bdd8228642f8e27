import { Sqlite as Database } from '../../src/store/sqlite.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordUsage, type BudgetEnv } from '../../src/budget/ingest.js';
import { budgetNow, today } from '../../src/budget/snapshot.js';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase, type Db } from '../../src/store/open.js';
import { quarterKey, quarterStart, rangeSpendMicros, rebuildQuarterSpend } from '../../src/store/usage-totals.js';
import { spendMicros, type UsageEvent } from '../../src/store/usage.js';
import { spawnBot } from '../helpers/bot-process.js';
import { testConfig } from '../helpers/context.js';
import { seedCatalog } from '../helpers/seed.js';

/**
 * The running spend totals (usage_spend_quarters) must always equal a fresh SUM over usage_events:
 * after batches and resends, across a day boundary in any ops time zone, after a migration of an
 * existing database, after a restart, and after a kill -9 in the middle of batches.
 */

let n = 0;
const event = (at: Date, costMicros: number, key = `e${(n += 1)}`): UsageEvent => ({
  eventKey: key, taskId: `t-${key}`, model: 'k2p5', inputTokens: 1, outputTokens: 1, costMicros, costSource: 'reported', essential: true, taskType: null, quoteSeq: null, at,
});

function env(db: Db, now: Date, timezone = 'America/New_York'): BudgetEnv {
  return { db, catalog: seedCatalog, config: testConfig({ OPS_TIMEZONE: timezone, DAILY_BUDGET_USD: '1000' }), platforms: [], now };
}

/** What the totals should hold, computed from the events alone, in JS, independent of the SQL. */
function expectedQuarters(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of db.prepare('SELECT at, cost_micros FROM usage_events').all() as { at: string; cost_micros: number }[]) {
    const k = quarterKey(quarterStart(new Date(r.at)));
    out[k] = (out[k] ?? 0) + r.cost_micros;
  }
  return out;
}

function storedQuarters(db: Db): Record<string, number> {
  const rows = db.prepare('SELECT quarter_start, micros FROM usage_spend_quarters').all() as { quarter_start: string; micros: number }[];
  return Object.fromEntries(rows.map((r) => [r.quarter_start, r.micros]));
}

describe('the running spend totals', () => {
  it('equal a fresh SUM over any range after batches and resends, whole quarters or not', () => {
    const db = openDatabase(':memory:');
    const base = Date.parse('2026-11-22T00:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    // Events on quarter boundaries, a millisecond either side of one, and spread over two days.
    const batch1 = [0, 14.99, 15, 29.999, 44, 45, 59.5, 60, 61, 600, 1439.99, 1440, 2000].map((m, i) => event(at(m), 1000 + i));
    recordUsage(env(db, at(3000)), batch1);
    const resend = [batch1[0] as UsageEvent, batch1[5] as UsageEvent, event(at(7.5), 777)];
    expect(recordUsage(env(db, at(3000)), resend)).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(storedQuarters(db)).toEqual(expectedQuarters(db));

    const ranges: [number, number][] = [
      [0, 1440], // a UTC day
      [0, 15], // one quarter
      [1, 14], // inside one quarter
      [7.5, 7.5001], // around one event, shorter than a quarter
      [14.99, 45.0001], // part quarters at both ends
      [15, 60], // whole quarters only
      [-600, 5000], // everything
      [330, 1770], // a day in Asia/Kolkata (+05:30)
      [345, 1785], // a day in Asia/Kathmandu (+05:45)
      [1440, 1440], // empty
    ];
    for (const [from, to] of ranges) {
      const r = { from: at(from), to: at(to) };
      expect({ from, to, micros: rangeSpendMicros(db, r) }).toEqual({ from, to, micros: spendMicros(db, r) });
    }
  });

  // A day in each zone, with events a millisecond either side of local midnight at both ends.
  const zones = [
    { timezone: 'America/New_York', now: '2026-11-22T20:00:00Z' },
    { timezone: 'America/New_York', now: '2026-11-01T20:00:00Z' }, // the 25-hour day daylight saving ends on
    { timezone: 'Asia/Kolkata', now: '2026-11-22T12:00:00Z' },
    { timezone: 'Asia/Kathmandu', now: '2026-11-22T12:00:00Z' },
    { timezone: 'Australia/Lord_Howe', now: '2026-11-22T03:00:00Z' },
    { timezone: 'UTC', now: '2026-11-22T12:00:00Z' },
  ];
  it.each(zones)('count a day in $timezone ($now) from its local midnight to the next', ({ timezone, now }) => {
    const db = openDatabase(':memory:');
    const clock = new Date(now);
    const day = today(clock, timezone);
    const ms = (d: Date, delta: number) => new Date(d.getTime() + delta);
    const events = [event(ms(day.from, -1), 1), event(day.from, 10), event(ms(day.from, 1), 100), event(clock, 1000), event(ms(day.to, -1), 10_000), event(day.to, 100_000)];
    // The day's last instant is in the future at `now`: only the clock-skew check would refuse it, and recordUsage trusts its caller.
    recordUsage(env(db, clock, timezone), events);
    const spent = budgetNow(db, env(db, clock, timezone).config, clock).status.spent;
    expect(spent.times(1e6).toNumber()).toBe(11_110);
    expect(spent.times(1e6).toNumber()).toBe(spendMicros(db, day));
  });

  it('are built from the events already stored when an existing database is migrated', () => {
    const db = new Database(':memory:');
    const previous = listMigrations().findIndex((m) => m.name.includes('usage_spend_quarters'));
    migrate(db, listMigrations(), previous);
    const insert = db.prepare(
      `INSERT INTO usage_events (event_key, task_id, model, input_tokens, output_tokens, cost_micros, cost_source, essential, task_type, quote_seq, at, received_at)
       VALUES (?, 't', 'k2p5', 1, 1, ?, 'reported', 1, NULL, NULL, ?, ?)`,
    );
    const base = Date.parse('2026-11-22T10:00:00Z');
    for (let i = 0; i < 500; i++) {
      const at = new Date(base + i * 97_003).toISOString();
      insert.run(`k${i}`, 1000 + i, at, at);
    }
    migrate(db);
    expect(Object.keys(storedQuarters(db)).length).toBeGreaterThan(40);
    expect(storedQuarters(db)).toEqual(expectedQuarters(db));
    // The same from the rebuild a tool runs after filling the table directly.
    db.exec('UPDATE usage_spend_quarters SET micros = 0');
    rebuildQuarterSpend(db);
    expect(storedQuarters(db)).toEqual(expectedQuarters(db));
  });

  it('survive a restart and a kill -9 in the middle of batches, equal to the events', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'j1msky-totals-')), 'ops.db');
    const post = (url: string, batch: number, size: number) =>
      fetch(`${url}/api/usage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Array.from({ length: size }, (_, k) => ({ event_id: `b${batch}-${k}`, task_id: `batch-${batch}`, model: ['k2p5', 'opus'][k % 2], input_tokens: 1000 + k, output_tokens: 500 }))),
      }).then((r) => r.status, () => 0);

    // First life: a clean stop.
    const first = spawnBot({ DATABASE_PATH: path });
    const url1 = await first.started;
    for (let b = 0; b < 5; b++) expect(await post(url1, b, 200)).toBe(200);
    first.child.kill('SIGTERM');
    await first.exited;

    // Second life: batches from four writers at once, killed mid-flight.
    const second = spawnBot({ DATABASE_PATH: path });
    const url2 = await second.started;
    let answered = 0;
    let batch = 100;
    let dead = false;
    const writer = async () => {
      while (!dead) if ((await post(url2, (batch += 1), 500)) === 200) answered += 1;
    };
    const writers = Array.from({ length: 4 }, writer);
    while (answered < 20) await new Promise((r) => setTimeout(r, 5));
    second.child.kill('SIGKILL');
    dead = true;
    await second.exited;
    await Promise.all(writers);

    const db = openDatabase(path);
    const count = (db.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n;
    expect(count).toBeGreaterThanOrEqual(5 * 200 + 20 * 500);
    expect(storedQuarters(db)).toEqual(expectedQuarters(db));
    db.close();
  }, 60_000);
});
