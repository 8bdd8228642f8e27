import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { commands } from '../commands/index.js';
import { toUsageEvent, recordUsage } from '../src/budget/ingest.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadConfig } from '../src/config.js';
import { createRegistry } from '../src/core/command.js';
import { dispatchCommand } from '../src/core/dispatch.js';
import { seedPolicy } from '../src/policy/in-force.js';
import { openDatabase } from '../src/store/open.js';

/**
 * What SQLite's synchronous level costs per quote and per usage batch of 1,000 (issue 14 §3): the
 * same work on two databases in one process, one at NORMAL and one at FULL, interleaved; medians of 5.
 * On this machine's disk an fsync is cheap; on an SD card it is not, so the ratio is the figure.
 */
const RUNS = 5;
const QUOTES = 200;
const BATCHES = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-bench-sync-'));
  const config = loadConfig({ DATABASE_PATH: join(dir, 'x.db'), CONSOLE: 'off' });
  const catalog = loadCatalog(config);
  const registry = createRegistry(commands, catalog);
  const actor = { platform: 'slack' as const, userId: 'U0SALES001', name: 'Sam Patel', role: 'sales_rep' as const };
  const open = (level: 'NORMAL' | 'FULL', run: number) => {
    const db = openDatabase(join(dir, `${level}-${run}.db`));
    db.pragma(`synchronous = ${level}`);
    seedPolicy(db, catalog.policyFile, new Date());
    return db;
  };
  const quoteMs = { NORMAL: [] as number[], FULL: [] as number[] };
  const batchMs = { NORMAL: [] as number[], FULL: [] as number[] };
  let tag = 0;
  for (let run = 0; run < RUNS; run++) {
    const order: ('NORMAL' | 'FULL')[] = run % 2 ? ['FULL', 'NORMAL'] : ['NORMAL', 'FULL'];
    for (const level of order) {
      const db = open(level, run);
      const ctx = { actor, surface: 'console' as const, db, log: pino({ level: 'silent' }), config, catalog, platforms: [] };
      let t = performance.now();
      for (let i = 0; i < QUOTES; i++) {
        const r = await dispatchCommand(registry, 'quote', { text: 'k2p5 medium smb 2000 800' }, { ...ctx, now: new Date() });
        if (r.error) throw new Error(r.summary);
      }
      quoteMs[level].push((performance.now() - t) / QUOTES);
      t = performance.now();
      for (let b = 0; b < BATCHES; b++) {
        const env = { db, catalog, config, platforms: [], now: new Date() };
        tag += 1;
        const events = Array.from({ length: 1000 }, (_, k) => toUsageEvent(env, { event_id: `${tag}-${k}`, task_id: `t${tag}-${k % 50}`, model: 'k2p5', input_tokens: 2000, output_tokens: 800 }, 'json'));
        recordUsage(env, events);
      }
      batchMs[level].push((performance.now() - t) / BATCHES);
      db.close();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const line = (name: string, m: { NORMAL: number[]; FULL: number[] }) =>
    console.log(`  ${name.padEnd(28)} NORMAL ${median(m.NORMAL).toFixed(3)} ms   FULL ${median(m.FULL).toFixed(3)} ms   FULL/NORMAL ${(median(m.FULL) / median(m.NORMAL)).toFixed(2)}x`);
  console.log(`durability: synchronous=NORMAL vs FULL in WAL mode, medians of ${RUNS} runs, same process`);
  line('per /quote (recorded)', quoteMs);
  line('per usage batch of 1,000', batchMs);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
