import { performance } from 'node:perf_hooks';
import { commands } from './commands/index.ts';
import { createRegistry } from './src/core/command.ts';
import { dispatchCommand } from './src/core/dispatch.ts';
import { loadConfig } from './src/config.ts';
import { openDatabase } from './src/store/open.ts';
import { loadCatalog } from './src/catalog/index.ts';
import { pino } from 'pino';
import { mkdtempSync } from 'node:fs';
const dir = mkdtempSync('/tmp/prof-');
const config = loadConfig({ DATABASE_PATH: dir + '/ops.db' });
const catalog = loadCatalog(config);
const db = openDatabase(config.databasePath);
if (process.argv[2] === 'nockpt') db.pragma('wal_autocheckpoint = 0');
const registry = createRegistry(commands, catalog);
const log = pino({ level: 'silent' });
void (async () => {
  const rss0 = process.memoryUsage().rss / 1e6;
  const slow: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < 6000; i++) {
    const t0 = performance.now();
    await dispatchCommand(registry, 'quote', { text: 'model=k2p5 complexity=medium segment=smb input=2000 output=800' }, {
      actor: { platform: 'slack', userId: 'U0SALES001', name: 'Sam', role: 'sales_rep' }, surface: 'slash_command', db, now: new Date(), log, config, catalog, platforms: ['slack'], idempotencyKey: `slack:t${i}`,
    });
    const d = performance.now() - t0; t.push(d); if (d > 2) slow.push(i);
    if (i % 2000 === 1999) { (globalThis as any).gc?.(); const m = process.memoryUsage(); console.log(i, 'rss', (m.rss / 1e6).toFixed(0), 'heap', (m.heapUsed / 1e6).toFixed(1), 'ext', (m.external/1e6).toFixed(1)); }
  }
  t.sort((a, b) => a - b);
  console.log(process.argv[2] ?? '', 'p50', t[3000]!.toFixed(3), 'p99', t[5940]!.toFixed(3), 'slow', slow.length, slow.slice(0, 12).join(','), 'rss', rss0.toFixed(0), '->', (process.memoryUsage().rss / 1e6).toFixed(0));
})();
