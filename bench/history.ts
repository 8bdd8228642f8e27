import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { commands } from '../commands/index.js';
import { schedules } from '../schedules/index.js';
import { createApi } from '../src/adapters/http/api.js';
import { startRiskLoop } from '../src/alerts/risk-loop.js';
import { loadCatalog } from '../src/catalog/index.js';
import { loadConfig } from '../src/config.js';
import { createRegistry } from '../src/core/command.js';
import { dispatchCommand } from '../src/core/dispatch.js';
import { commandContext, type Services } from '../src/core/services.js';
import type { Actor } from '../src/domain/actor.js';
import { seedPolicy } from '../src/policy/in-force.js';
import { openDatabase } from '../src/store/open.js';
import { listOpenExceptions } from '../src/store/exceptions.js';
import { dueItems, heldOvernight } from '../src/store/outbox.js';
import { startFakeSlack } from '../tests/helpers/fake-slack.js';
import { buildDatabases, HISTORY, WINDOW } from './history-data.js';
import { idleCpuPct, startToReady } from './history-process.js';

/**
 * Costs that must not grow with history (issue 13): every command, API route and scheduled post,
 * timed on a database holding a year of history plus the last two weeks, against one holding only those two weeks
 * (the same window), in one process, the two sides interleaved. Then start to ready and idle CPU
 * of the built bot on each. Medians of 3 runs with their spread; prints figures, never fails.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
const RUN_BUDGET_MS = 60;
const MAX_ITERATIONS = 2_000;
const WARMUP = 3;
const API_TOKEN = 'bench-token';
const RATIO_TARGET = 1.2;
// BENCH_ONLY=<regex> times only the operations whose names match, and skips the process runs.
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const ABSOLUTE: Record<string, number> = { 'post weekly-retro': 5, 'GET /api/exceptions': 5 };

type Side = { services: Services; api: ReturnType<typeof createApi>; runCommand: (text: string) => Promise<void> };
interface Probe {
  name: string;
  run: (side: Side) => unknown;
}

const manager: Actor = { platform: 'slack', userId: 'U0REVMGR01', name: 'Maria Lopez', role: 'revenue_manager' };

function side(path: string, now: Date): Side {
  const config = loadConfig({ DATABASE_PATH: path, OPS_TIMEZONE: 'America/New_York', CONSOLE: 'off', API_TOKEN });
  const catalog = loadCatalog(config);
  const db = openDatabase(path);
  seedPolicy(db, catalog.policyFile, now);
  const services: Services = { registry: createRegistry(commands, catalog), db, config, catalog, log: pino({ level: 'silent' }), clock: () => now, platforms: ['slack'] };
  const runCommand = async (line: string) => {
    const [name = '', ...rest] = line.split(' ');
    const reply = await dispatchCommand(services.registry, name, { text: rest.join(' ') }, commandContext(services, manager, 'slash_command', { command: name }));
    if (reply.error) throw new Error(`/${line}: ${reply.summary}`);
  };
  return { services, api: createApi(services), runCommand };
}

let usageBatch = 0;
// Behind API_TOKEN, X-Actor-Id names a team person: the revenue manager sees every quote.
const headers = { authorization: `Bearer ${API_TOKEN}`, 'x-actor-id': 'maria' };
const get = (path: string) => async (s: Side) => {
  const res = await s.api.request(path, { headers });
  if (res.status >= 400) throw new Error(`GET ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
};
const post = (path: string, body: () => unknown) => async (s: Side) => {
  const res = await s.api.request(path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body()) });
  if (res.status >= 400) throw new Error(`POST ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  await res.arrayBuffer();
};

function probes(): Probe[] {
  const cmd = (line: string): Probe => ({ name: `/${line}`, run: (s) => s.runCommand(line) });
  const sched = schedules.map((def): Probe => ({
    name: `post ${def.name}`,
    run: (s) => def.build({ db: s.services.db, catalog: s.services.catalog, config: s.services.config, now: s.services.clock(), slot: s.services.clock(), platforms: ['slack'] }),
  }));
  return [
    cmd('quote model=k2p5 complexity=medium segment=smb input=2000 output=800'),
    cmd('quote show Q-00002'),
    cmd('quotes'),
    cmd('quotes state=escalated limit=50'),
    cmd('proposal list'),
    cmd('desk'),
    cmd('policy'),
    cmd('exceptions'),
    cmd('exceptions show EX-00001'),
    cmd('exceptions risk'),
    cmd('budget'),
    cmd('budget week'),
    cmd('budget status'),
    cmd('report'),
    cmd('team'),
    cmd('community'),
    cmd('community stats'),
    cmd('help'),
    { name: 'GET /api/exceptions', run: get('/api/exceptions') },
    { name: 'GET /metrics', run: get('/metrics') },
    { name: 'GET /api/exceptions/risk', run: get('/api/exceptions/risk') },
    { name: 'GET /api/pricing/quotes', run: get('/api/pricing/quotes') },
    { name: 'GET /api/pricing/quotes/:id', run: get('/api/pricing/quotes/Q-00002') },
    { name: 'GET /api/pricing/proposals', run: get('/api/pricing/proposals') },
    { name: 'GET /api/pricing/report', run: get('/api/pricing/report') },
    { name: 'GET /api/pricing/health', run: get('/api/pricing/health') },
    { name: 'GET /api/orchestrator/status', run: get('/api/orchestrator/status') },
    { name: 'GET /api/community/questions', run: get('/api/community/questions') },
    { name: 'GET /api/community/stats', run: get('/api/community/stats') },
    { name: 'POST /api/pricing/quote', run: post('/api/pricing/quote', () => ({ model: 'k2p5', complexity: 'medium', segment: 'smb', input: 2000, output: 800 })) },
    {
      name: 'POST /api/usage (100 events)',
      run: post('/api/usage', () => {
        usageBatch += 1;
        return Array.from({ length: 100 }, (_, i) => ({ event_id: `bench-${usageBatch}-${i}`, task_id: `bench-${usageBatch}-${i}`, model: 'k2p5', input_tokens: 2000, output_tokens: 800 }));
      }),
    },
    ...sched,
    // The store's share of /exceptions and /api/exceptions: the open rows and their progress notes.
    { name: 'store: open exceptions + progress', run: (s) => listOpenExceptions(s.services.db) },
    { name: 'outbox poll (every second)', run: (s) => dueItems(s.services.db, ['slack', 'discord'], s.services.clock()) },
    { name: 'held overnight (triage)', run: (s) => heldOvernight(s.services.db, new Date(s.services.clock().getTime() - 86_400_000), s.services.clock()) },
    {
      name: 'risk loop tick',
      run: async (s) => {
        const loop = startRiskLoop(s.services, new Map());
        loop.stop();
        await loop.tick();
      },
    },
  ];
}

async function timeOnce(probe: Probe, s: Side, iterations: number): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await probe.run(s);
  return Number(process.hrtime.bigint() - t) / 1e6 / iterations;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(3)}-${Math.max(...xs).toFixed(3)}`;

async function measure(probe: Probe, empty: Side, large: Side): Promise<{ empty: number[]; large: number[] }> {
  // Warm both (V8, statement caches, the budget's cached baseline), then size the runs on the empty side.
  for (let i = 0; i < WARMUP; i++) {
    await probe.run(empty);
    await probe.run(large);
  }
  const single = await timeOnce(probe, empty, 1);
  const iterations = Math.max(1, Math.min(MAX_ITERATIONS, Math.round(RUN_BUDGET_MS / Math.max(single, 0.001))));
  const out = { empty: [] as number[], large: [] as number[] };
  for (let r = 0; r < RUNS; r++) {
    // Alternated, so drift in the machine's load lands on both sides alike.
    if (r % 2 === 0) {
      out.empty.push(await timeOnce(probe, empty, iterations));
      out.large.push(await timeOnce(probe, large, iterations));
    } else {
      out.large.push(await timeOnce(probe, large, iterations));
      out.empty.push(await timeOnce(probe, empty, iterations));
    }
  }
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'j1msky-bench-history-'));
  const paths = { empty: join(dir, 'empty.db'), large: join(dir, 'large.db') };
  try {
    const now = new Date();
    const built = Date.now();
    const config = loadConfig({ DATABASE_PATH: ':memory:' });
    await buildDatabases(config, loadCatalog(config), paths, now);
    // The processes below start on copies: the in-process runs write quotes and usage.
    for (const p of ['empty', 'large'] as const) copyFileSync(paths[p], join(dir, `${p}-start.db`));
    console.log(
      `history bench: large = a year of history (${HISTORY.usage.toLocaleString('en-US')} usage events, ${HISTORY.quotes.toLocaleString('en-US')} quotes, ${(HISTORY.outboxPerDay * HISTORY.days).toLocaleString('en-US')} delivered outbox rows, ` +
        `${(HISTORY.exceptions * HISTORY.alertsPerException).toLocaleString('en-US')} alerts) + the last two weeks; empty = those two weeks only (${WINDOW.quotes} quotes, ${WINDOW.openExceptions} open exceptions); built in ${((Date.now() - built) / 1000).toFixed(1)} s`,
    );
    const empty = side(paths.empty, now);
    const large = side(paths.large, now);
    console.log(`${pad('operation', 40)} ${lpad('empty ms', 9)} ${lpad('large ms', 9)} ${lpad('ratio', 6)}  spread empty | large (ms)     verdict`);
    const misses: string[] = [];
    for (const probe of probes().filter((p) => !ONLY || ONLY.test(p.name))) {
      const r = await measure(probe, empty, large);
      const [e, l] = [median(r.empty), median(r.large)];
      const ratio = l / e;
      const absolute = ABSOLUTE[probe.name];
      // A difference under 20 µs is the timer and the garbage collector, not the database.
      const ratioOk = ratio <= RATIO_TARGET || l - e < 0.02;
      const ok = ratioOk && (absolute === undefined || l <= absolute);
      if (!ok) misses.push(probe.name);
      const target = `<= ${RATIO_TARGET}x${absolute === undefined ? '' : `, <= ${absolute} ms`}`;
      console.log(`${pad(probe.name, 40)} ${lpad(e.toFixed(3), 9)} ${lpad(l.toFixed(3), 9)} ${lpad(ratio.toFixed(2), 5)}x  ${pad(`${spread(r.empty)} | ${spread(r.large)}`, 30)} ${ok ? 'PASS' : 'MISS'} (${target})`);
    }
    empty.services.db.close();
    large.services.db.close();

    const slack = await startFakeSlack();
    try {
      if (ONLY) return;
      const start = { empty: await startToReady(ROOT, join(dir, 'empty-start.db'), dir, RUNS), large: await startToReady(ROOT, join(dir, 'large-start.db'), dir, RUNS) };
      const ratio = median(start.large) / median(start.empty);
      console.log(`start to ready (HTTP answering, no chat tokens): empty ${median(start.empty).toFixed(0)} ms (${spread(start.empty)}), large ${median(start.large).toFixed(0)} ms (${spread(start.large)}): ${ratio.toFixed(2)}x ${ratio <= RATIO_TARGET ? 'PASS' : 'MISS'} (<= ${RATIO_TARGET}x)`);
      for (const p of ['empty', 'large'] as const) {
        const cpu = await idleCpuPct(ROOT, join(dir, `${p}-start.db`), dir, slack.url, RUNS);
        console.log(`idle CPU with Slack on, ${p} database: ${median(cpu).toFixed(2)}% of a core (${spread(cpu)} over ${RUNS} windows) ${median(cpu) < 0.5 ? 'PASS' : 'MISS'} (< 0.5%)`);
      }
    } finally {
      await slack.close();
    }
    console.log(misses.length ? `missed: ${misses.join(', ')}` : 'every operation within its target');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
