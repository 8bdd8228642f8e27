import type BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite as Database } from '../../src/store/sqlite.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/app.js';
import { BUSY_RETRY_BUDGET_MS } from '../../src/store/busy.js';
import { silentLog, testConfig } from '../helpers/context.js';

/**
 * Another process (the CLI's import, a backup, sqlite3 in a shell) holds the write lock. In-process
 * here, as a second connection: SQLite cannot tell the difference, and the test's own timers show
 * whether the bot kept the event loop free.
 */
let bot: RunningBot;
let other: BetterSqlite3.Database;
const now = new Date('2026-11-22T15:00:00Z');

async function start() {
  const path = join(mkdtempSync(join(tmpdir(), 'j1msky-lock-')), 'ops.db');
  bot = await startBot(testConfig({ PORT: '0', DATABASE_PATH: path, RISK_TICK_SECONDS: '1' }), silentLog, { clock: () => now });
  other = new Database(path);
}
let release: NodeJS.Timeout | undefined;
afterEach(async () => {
  clearTimeout(release);
  if (other.inTransaction) other.exec('ROLLBACK');
  other.close();
  await bot.stop();
});
const holdLock = (ms: number) => {
  const holder = other;
  holder.exec('BEGIN IMMEDIATE');
  release = setTimeout(() => holder.inTransaction && holder.exec('COMMIT'), ms);
};
const count = (table: string) => (other.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const json = (method: string, body: unknown) => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const writes: { name: string; path: string; init: RequestInit; table: string; ok: number }[] = [
  { name: 'a quote', path: '/api/pricing/quote', init: json('POST', { model: 'k2p5', complexity: 'medium', segment: 'smb', estimated_input: 2000, estimated_output: 800 }), table: 'quotes', ok: 200 },
  {
    name: 'an exception',
    path: '/api/exceptions',
    init: json('POST', { quote_id: 'CRM-1', account: 'Acme', segment: 'smb', reason: 'logo', approved_by: 'Eli', approved_by_role: 'executive', owner: 'sam', recovery_plan: 'upsell', target_recovery_date: '2027-03-01' }),
    table: 'exceptions',
    ok: 201,
  },
  { name: 'usage events', path: '/api/usage', init: json('POST', [{ event_id: 'e-1', task_id: 't-1', model: 'k2p5', input_tokens: 1000, output_tokens: 500, at: now.toISOString() }]), table: 'usage_events', ok: 200 },
];

async function timed(url: string, init?: RequestInit) {
  const started = Date.now();
  const res = await fetch(url, init);
  return { res, ms: Date.now() - started, body: (await res.json()) as Record<string, unknown> };
}

describe('another process holds the write lock', () => {
  it('status answers in under 200 ms throughout, while writes and the background loops wait off the event loop', async () => {
    await start();
    const lockMs = BUSY_RETRY_BUDGET_MS + 1_500;
    holdLock(lockMs);
    // A write waiting out the lock, and the risk loop ticking every second, run alongside.
    const quote = timed(`${bot.url}${writes[0]?.path}`, writes[0]?.init);
    const tick = bot.risk.tick();
    const samples: number[] = [];
    for (let elapsed = 0; elapsed < lockMs - 300; elapsed += 250) {
      const status = await timed(`${bot.url}/api/orchestrator/status`);
      expect(status.res.status).toBe(200);
      expect(status.body).toMatchObject({ budget_alert_level: 'ok' });
      samples.push(status.ms);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(samples.length, samples.join(' ')).toBeGreaterThan(5);
    expect(Math.max(...samples), samples.join(' ')).toBeLessThan(200);
    await expect(tick).resolves.toBeUndefined();
    expect((await quote).res.status).toBe(503);
  }, 20_000);

  it.each(writes)('$name: answered 503 "database busy" within the retry budget when the lock outlasts it, nothing written', async ({ path, init, table }) => {
    await start();
    holdLock(BUSY_RETRY_BUDGET_MS + 2_000);
    const { res, ms, body } = await timed(`${bot.url}${path}`, init);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(body).toMatchObject({ error: 'busy', message: expect.stringContaining('database is busy') });
    expect(ms).toBeLessThan(BUSY_RETRY_BUDGET_MS + 1_000);
    other.exec('ROLLBACK');
    expect(count(table)).toBe(0);
  }, 15_000);

  it.each(writes)('$name: succeeds once a short lock is released, written once', async ({ path, init, table, ok }) => {
    await start();
    holdLock(400);
    const { res, ms } = await timed(`${bot.url}${path}`, init);
    expect(res.status).toBe(ok);
    expect(ms).toBeGreaterThanOrEqual(350);
    expect(count(table)).toBe(1);
  }, 15_000);
});
