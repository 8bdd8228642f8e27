import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { commands } from '../commands/index.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadConfig } from '../src/config.js';
import { createRegistry } from '../src/core/command.js';
import { dispatchCommand } from '../src/core/dispatch.js';
import { openDatabase } from '../src/store/open.js';
import { rebuildQuarterSpend } from '../src/store/usage-totals.js';
import { percentileMs } from './load.js';

/**
 * The /budget report's latency over 1M stored usage rows against the same report on an empty
 * table. (Ingestion through the HTTP API is measured by bench/ingest.ts.)
 */
const BIG_TABLE = 1_000_000;
const REPORT_RUNS = 100;
// Late in the (UTC) day, so "today" holds about 23 hours of the 30 days of rows: the report's worst case.
const NOW = new Date(new Date().setUTCHours(23, 0, 0, 0));

function fill(dbPath: string, rows: number): void {
  const db = openDatabase(dbPath);
  // Thirty days of usage ending now, about 33k rows a day: today's report reads one day of it.
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO usage_events (event_key, task_id, model, input_tokens, output_tokens, cost_micros, cost_source, essential, task_type, quote_seq, at, received_at)
     SELECT 'k' || i, 't' || (i / 3), CASE i % 3 WHEN 0 THEN 'k2p5' WHEN 1 THEN 'sonnet' ELSE 'opus' END, 2000, 800,
            3600 + (i % 500), 'rate_card', 1, 'type' || (i % 7), NULL,
            strftime('%Y-%m-%dT%H:%M:%fZ', ?, '-' || ((i * 2592) / 1000) || ' seconds'), ?
     FROM n`,
  ).run(rows - 1, NOW.toISOString(), NOW.toISOString());
  // Filled behind recordUsage's back, so the running spend totals are rebuilt from the rows.
  rebuildQuarterSpend(db);
  db.close();
}

async function reportLatency(dbPath: string): Promise<{ first: number; p50: number; p99: number }> {
  const config = loadConfig({ DATABASE_PATH: dbPath });
  const catalog = loadCatalog(config);
  const db = openDatabase(dbPath);
  const registry = createRegistry(commands, catalog);
  const actor = { platform: 'console' as const, userId: 'bench', name: 'bench', role: 'sales_rep' as const };
  const ctx = () => ({ actor, surface: 'console' as const, db, now: NOW, log: pino({ level: 'silent' }), config, catalog, platforms: [] });
  const samples: number[] = [];
  let first = 0;
  for (let i = 0; i < REPORT_RUNS + 10; i++) {
    const t = process.hrtime.bigint();
    const reply = await dispatchCommand(registry, 'budget', { text: '' }, ctx());
    if (reply.error) throw new Error(reply.summary);
    const ns = Number(process.hrtime.bigint() - t);
    // The first report of a day also computes the seven-day baseline, which is then kept.
    if (i === 0) first = ns / 1e6;
    if (i >= 10) samples.push(ns);
  }
  db.close();
  return { first, p50: percentileMs(samples, 0.5), p99: percentileMs(samples, 0.99) };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'j1msky-bench-budget-'));
  try {
    const empty = join(dataDir, 'empty.db');
    fill(empty, 1);
    const big = join(dataDir, 'big.db');
    const t = Date.now();
    fill(big, BIG_TABLE);
    const a = await reportLatency(empty);
    const b = await reportLatency(big);
    console.log(`/budget report (n=${REPORT_RUNS}, 23:00 in the ops day):`);
    console.log(`  empty table:       first ${a.first.toFixed(2)} ms, then p50 ${a.p50.toFixed(2)} ms p99 ${a.p99.toFixed(2)} ms`);
    console.log(`  ${BIG_TABLE.toLocaleString('en-US')} usage rows: first ${b.first.toFixed(2)} ms (with the 7-day baseline), then p50 ${b.p50.toFixed(2)} ms p99 ${b.p99.toFixed(2)} ms (filled in ${((Date.now() - t) / 1000).toFixed(1)} s)`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
