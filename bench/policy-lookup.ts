import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { commands } from '../commands/index.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadConfig } from '../src/config.js';
import { createRegistry } from '../src/core/command.js';
import { dispatchCommand } from '../src/core/dispatch.js';
import { policyInForce } from '../src/policy/in-force.js';
import { openDatabase } from '../src/store/open.js';
import { median, row } from './stats.js';

/**
 * What reading the pricing policy from SQLite per quote (src/policy/in-force.ts, issue 12) costs
 * /quote: the lookup alone against a whole /quote dispatch, in one process on one database file.
 */
const RUNS = 3;
const LOOKUPS = 20_000;
const QUOTES = 2_000;

export async function policyLookupFigures(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-bench-policy-'));
  try {
    const config = loadConfig({ DATABASE_PATH: join(dir, 'ops.db') });
    const catalog = loadCatalog(config);
    const db = openDatabase(config.databasePath);
    const registry = createRegistry(commands, catalog);
    const actor = { platform: 'console' as const, userId: 'bench', name: 'bench', role: 'sales_rep' as const };
    const log = pino({ level: 'silent' });
    const lookupUs: number[] = [];
    const quoteUs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const now = new Date();
      for (let i = 0; i < 1000; i++) policyInForce(db, catalog.policyFile, now);
      let t = process.hrtime.bigint();
      for (let i = 0; i < LOOKUPS; i++) policyInForce(db, catalog.policyFile, new Date(now.getTime() + i));
      lookupUs.push(Number(process.hrtime.bigint() - t) / 1e3 / LOOKUPS);
      const text = 'model=k2p5 complexity=medium segment=smb input=2000 output=800';
      const ctx = () => ({ actor, surface: 'console' as const, db, now: new Date(), log, config, catalog, platforms: [] });
      for (let i = 0; i < 200; i++) await dispatchCommand(registry, 'quote', { text }, ctx());
      t = process.hrtime.bigint();
      for (let i = 0; i < QUOTES; i++) {
        const reply = await dispatchCommand(registry, 'quote', { text }, ctx());
        if (reply.error) throw new Error(reply.summary);
      }
      quoteUs.push(Number(process.hrtime.bigint() - t) / 1e3 / QUOTES);
    }
    db.close();
    const share = lookupUs.map((l, i) => (100 * l) / (quoteUs[i] ?? Number.NaN));
    return [
      `pricing policy read from SQLite per quote: median of ${RUNS} runs (min-max), in process, no HTTP`,
      row('policyInForce lookup (µs per call)', lookupUs, ' µs', undefined),
      row('/quote dispatch, whole (µs per quote)', quoteUs, ' µs', undefined),
      row('lookup share of a /quote dispatch', share, '%', undefined, 1),
      `  (median share ${median(share).toFixed(1)}% of the dispatch; the Slack round trip adds the HTTP and Bolt cost on top)`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
