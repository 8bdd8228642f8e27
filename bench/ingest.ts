import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/store/open.js';
import { deployedNodeFlags, freePort, startChild, waitReady } from './children.js';
import { median, row } from './stats.js';

/**
 * Usage ingestion at the disk's pace (issue 13): a 200k-event day posted to the built bot's
 * POST /api/usage in batches of 1,000, against raw prepared inserts of the same rows into the same
 * schema in the same run, and the day's last ten batches against its first ten (a cost that grows
 * with the day shows there), after warm-up batches dated yesterday. Three runs, interleaved; the
 * median is quoted with its spread.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
const BATCHES = 200;
const PER_BATCH = 1000;
const TARGET_VS_RAW = 0.5;
const TARGET_LAST_VS_FIRST = 1.2;
const MODELS = ['k2p5', 'sonnet', 'opus'] as const;

const WARMUP_BATCHES = 20;

const events = (b: number, at?: string) =>
  Array.from({ length: PER_BATCH }, (_, i) => ({ event_id: `b${b}-${i}`, task_id: `task-${b}-${Math.floor(i / 4)}`, model: MODELS[i % 3], input_tokens: 2000 + i, output_tokens: 800, task_type: `type${i % 7}`, ...(at ? { at } : {}) }));

async function throughHttp(dir: string, run: number): Promise<{ perSecond: number; firstTen: number; lastTen: number }> {
  const port = await freePort();
  const bot = startChild('j1msky-ops', 'dist/main.js', port, { HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_PATH: join(dir, `http-${run}.db`), LOG_LEVEL: 'warn' }, ROOT, join(dir, `http-${run}.log`), deployedNodeFlags(ROOT));
  try {
    await waitReady(bot, `http://127.0.0.1:${port}/api/pricing/health`, (s) => s === 200);
    const post = (body: string) => fetch(`http://127.0.0.1:${port}/api/usage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    // Warm-up batches dated yesterday: V8 optimises the path before timing, and today's day still
    // starts empty, so the first timed batches are not slow for being first.
    const yesterday = new Date(Date.now() - 30 * 3_600_000).toISOString();
    for (let b = 0; b < WARMUP_BATCHES; b++) await (await post(JSON.stringify(events(-1 - b, yesterday)))).arrayBuffer();
    const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify(events(b)));
    const batchMs: number[] = [];
    const start = process.hrtime.bigint();
    for (const body of bodies) {
      const t = process.hrtime.bigint();
      const res = await post(body);
      const answer = (await res.json()) as { accepted?: number };
      if (res.status !== 200 || answer.accepted !== PER_BATCH) throw new Error(`a batch was not taken whole: HTTP ${res.status} ${JSON.stringify(answer).slice(0, 200)}`);
      batchMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return { perSecond: (BATCHES * PER_BATCH) / seconds, firstTen: median(batchMs.slice(0, 10)), lastTen: median(batchMs.slice(-10)) };
  } finally {
    await bot.stop();
  }
}

/** The floor: the same rows, priced beforehand, through one prepared INSERT, a transaction per 1,000. */
function rawInserts(dir: string, run: number): number {
  const db = openDatabase(join(dir, `raw-${run}.db`));
  const insert = db.prepare(
    `INSERT INTO usage_events (event_key, task_id, model, input_tokens, output_tokens, cost_micros, cost_source, essential, task_type, quote_seq, at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
  );
  const batches = Array.from({ length: BATCHES }, (_, b) => events(b));
  const start = process.hrtime.bigint();
  for (const batch of batches) {
    const now = new Date().toISOString();
    db.transaction(() => {
      for (const e of batch) insert.run(`event:${e.event_id}`, e.task_id, e.model, e.input_tokens, e.output_tokens, 3600, 'rate_card', 1, e.task_type, null, now, now);
    }).immediate();
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  return (BATCHES * PER_BATCH) / seconds;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-bench-ingest-'));
  try {
    const http: number[] = [];
    const raw: number[] = [];
    const ratio: number[] = [];
    const growth: number[] = [];
    const first: number[] = [];
    const last: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const h = await throughHttp(dir, run);
      const r = rawInserts(dir, run);
      http.push(h.perSecond / 1000);
      raw.push(r / 1000);
      ratio.push(h.perSecond / r);
      first.push(h.firstTen);
      last.push(h.lastTen);
      growth.push(h.lastTen / h.firstTen);
    }
    console.log(`usage ingestion: ${BATCHES} batches of ${PER_BATCH.toLocaleString('en-US')} (a ${((BATCHES * PER_BATCH) / 1000).toFixed(0)}k-event day), median of ${RUNS} runs (min-max)`);
    console.log(row('POST /api/usage (k events/s)', http, 'k', undefined, 1));
    console.log(row('raw prepared inserts, same rows (k events/s)', raw, 'k', undefined, 1));
    console.log(row('ingestion / raw inserts', ratio, 'x', { kind: 'min', limit: TARGET_VS_RAW }));
    console.log(row('first ten batches (median ms per batch)', first, ' ms', undefined));
    console.log(row('last ten batches (median ms per batch)', last, ' ms', undefined));
    console.log(row('last ten / first ten', growth, 'x', { kind: 'max', limit: TARGET_LAST_VS_FIRST }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
