import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeSlack } from '../tests/helpers/fake-slack.js';
import { deployedNodeFlags, freePort, rssMB, startChild, waitReady, type Child } from './children.js';
import { percentileMs, runBatch, target, type Load, type Target } from './load.js';
import { policyLookupFigures } from './policy-lookup.js';
import { row } from './stats.js';

/**
 * Memory, start-up and /quote latency of the built bot (issue 13). /quote goes through the signed
 * Slack HTTP path against a bare Bolt app that only acks (the framework's floor), interleaved, in
 * three runs; each figure is the median of the runs with its spread. `npm run bench` builds first,
 * so the bot runs from dist/ exactly as `npm start` and the systemd unit run it. Prints figures;
 * never fails on a missed target.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-secret';
const TOKEN = 'xoxb-bench';
const TEXT = 'model=k2p5 complexity=medium segment=smb input=2000 output=800';
const RUNS = 3;
const FIRST_FEW = 20;
const WARMUP = 300;
const ROUNDS = 4;
const PER_ROUND = 500;
/** Quotes in all for the memory curve; RSS is read every CURVE_STEP of them. */
const QUOTES_FOR_CURVE = 10_000;
const CURVE_STEP = 2_000;
const IDLE_MS = 2000;
const TIME_LIMIT_MS = 900_000;
/** The bot runs with the systemd unit's V8 flags; the bare Bolt floor with Node's defaults. */
const FLAGS = deployedNodeFlags(ROOT);
const TARGET = { p99: 1.3, p50: 1.5, rssSlack: 105, rssNoTokens: 90, startMs: 300, rssLevel: 1.05 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface QuoteRun {
  idleBot: number;
  idleFloor: number;
  f50: number;
  f99: number;
  b50: number;
  b99: number;
  /** RSS after each CURVE_STEP quotes. */
  curve: number[];
  failures: string[];
  slackCalls: number;
}

function botEnv(dataDir: string, name: string, extra: Record<string, string>): Record<string, string> {
  // LOG_LEVEL=info is the default: the bot logs each quote, as it does in production.
  return { HOST: '127.0.0.1', CONSOLE: 'off', DATABASE_PATH: join(dataDir, `${name}.db`), LOG_LEVEL: 'info', ...extra };
}

async function quoteRun(dataDir: string, run: number, slackUrl: string, calls: () => number): Promise<QuoteRun> {
  const children: Child[] = [];
  const targets: Target[] = [];
  try {
    const common = { HOST: '127.0.0.1', SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackUrl };
    const [botPort, floorPort] = [await freePort(), await freePort()];
    const bot = startChild('j1msky-ops', 'dist/main.js', botPort, botEnv(dataDir, `quote-${run}`, common), ROOT, join(dataDir, `bot-${run}.log`), FLAGS);
    children.push(bot);
    const floor = startChild('bare Bolt', 'bench/bare-bolt.mjs', floorPort, common, ROOT, join(dataDir, `floor-${run}.log`));
    children.push(floor);
    await Promise.all([
      waitReady(bot, `http://127.0.0.1:${botPort}/api/pricing/health`, (s) => s === 200),
      // Bare Bolt has no health route; any HTTP answer (a 404) means it is listening.
      waitReady(floor, `http://127.0.0.1:${floorPort}/ready`, () => true),
    ]);
    const floorT = target('floor', floorPort, (status, body) => (status === 200 && body === 'ok' ? undefined : `HTTP ${status}: ${body.slice(0, 160)}`));
    const botT = target('j1msky-ops', botPort, (status, body) => (status === 200 && body.includes('Quote Q-') ? undefined : `HTTP ${status}: ${body.slice(0, 160)}`));
    targets.push(floorT, botT);
    let trigger = 0;
    const load: Load = { secret: SECRET, text: TEXT, deadline: Date.now() + TIME_LIMIT_MS, nextTrigger: () => `bench-${process.pid}-${run}-${++trigger}` };

    // Idle RSS once both have served a few commands (Bolt's auth.test, the pricing path and SQLite
    // are loaded), before load inflates the heap: V8 keeps collected space for a while.
    await runBatch(floorT, load, FIRST_FEW, false);
    await runBatch(botT, load, FIRST_FEW, false);
    await sleep(IDLE_MS);
    const idleBot = rssMB(bot.pid) ?? Number.NaN;
    const idleFloor = rssMB(floor.pid) ?? Number.NaN;

    await runBatch(floorT, load, WARMUP, false);
    await runBatch(botT, load, WARMUP, false);
    // Interleaved rounds, first target swapped each round, so drift in machine load lands on both.
    for (let round = 0; round < ROUNDS; round++) {
      const order: Target[] = round % 2 === 0 ? [floorT, botT] : [botT, floorT];
      for (const t of order) await runBatch(t, load, PER_ROUND, true);
    }
    // The memory curve: the bot alone, on to QUOTES_FOR_CURVE quotes, RSS at every step.
    const curve: number[] = [];
    let done = FIRST_FEW + WARMUP + ROUNDS * PER_ROUND;
    for (let step = CURVE_STEP; step <= QUOTES_FOR_CURVE; step += CURVE_STEP) {
      if (done < step) await runBatch(botT, load, step - done, false);
      done = Math.max(done, step);
      curve.push(rssMB(bot.pid) ?? Number.NaN);
    }
    return {
      idleBot,
      idleFloor,
      f50: percentileMs(floorT.samplesNs, 0.5),
      f99: percentileMs(floorT.samplesNs, 0.99),
      b50: percentileMs(botT.samplesNs, 0.5),
      b99: percentileMs(botT.samplesNs, 0.99),
      curve,
      failures: [floorT, botT].filter((t) => t.failed > 0).map((t) => `${t.name}: ${t.failed} of ${t.answered} WRONG (${t.failures.join(' | ')})`),
      slackCalls: calls(),
    };
  } finally {
    for (const t of targets) t.agent.destroy();
    await Promise.all(children.map((c) => c.stop()));
  }
}

/** Idle RSS of a bot with no chat platform: HTTP API and clock only, after a few API calls. */
async function idleNoTokens(dataDir: string, run: number): Promise<number> {
  const port = await freePort();
  const bot = startChild('j1msky-ops (no tokens)', 'dist/main.js', port, botEnv(dataDir, `idle-${run}`, {}), ROOT, join(dataDir, `idle-${run}.log`), FLAGS);
  try {
    await waitReady(bot, `http://127.0.0.1:${port}/api/pricing/health`, (s) => s === 200);
    for (let i = 0; i < FIRST_FEW; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/api/pricing/quote`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'k2p5', complexity: 'medium', segment: 'smb', input: 2000, output: 800 }) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /api/pricing/quote: HTTP ${res.status} ${text.slice(0, 160)}`);
    }
    await sleep(IDLE_MS);
    return rssMB(bot.pid) ?? Number.NaN;
  } finally {
    await bot.stop();
  }
}

/** From spawn to the first 200 from /healthz (the database takes a write, every adapter is up), on a new (empty) database, polled every 5 ms. */
async function startToReady(dataDir: string, name: string, extra: Record<string, string>): Promise<number> {
  const port = await freePort();
  const start = process.hrtime.bigint();
  const bot = startChild(name, 'dist/main.js', port, botEnv(dataDir, name, extra), ROOT, join(dataDir, `${name}.log`), FLAGS);
  try {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (bot.exited()) throw new Error(`${name} exited before it was ready:\n${bot.output()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) return Number(process.hrtime.bigint() - start) / 1e6;
      } catch {
        // not listening yet
      }
      await sleep(5);
    }
    throw new Error(`${name} not ready in 15 s:\n${bot.output()}`);
  } finally {
    await bot.stop();
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'j1msky-bench-'));
  const slack = await startFakeSlack();
  process.once('SIGINT', () => process.exit(130));
  try {
    const runs: QuoteRun[] = [];
    const idle: number[] = [];
    const startBare: number[] = [];
    const startSlack: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const before = slack.calls.length;
      runs.push(await quoteRun(dataDir, run, slack.url, () => slack.calls.length - before));
      idle.push(await idleNoTokens(dataDir, run));
      startBare.push(await startToReady(dataDir, `start-bare-${run}`, {}));
      startSlack.push(await startToReady(dataDir, `start-slack-${run}`, { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url }));
    }
    const pick = (f: (r: QuoteRun) => number) => runs.map(f);
    const level = runs.map((r) => (r.curve.at(-1) ?? Number.NaN) / (r.curve.at(-3) ?? Number.NaN));
    const lines = [
      `memory, start-up and /quote via Slack HTTP: median of ${RUNS} runs (min-max); /quote n=${ROUNDS * PER_ROUND} each per run, sequential, interleaved with the floor, after ${WARMUP} warm-up`,
      `  the bot runs as deploy/j1msky-ops.service starts it: node ${FLAGS.join(' ') || '(no flags)'} dist/main.js (${process.version})`,
      row('/quote floor (bare Bolt, ack constant) p50', pick((r) => r.f50), ' ms', undefined),
      row('/quote floor (bare Bolt, ack constant) p99', pick((r) => r.f99), ' ms', undefined),
      row('/quote j1msky-ops p50', pick((r) => r.b50), ' ms', undefined),
      row('/quote j1msky-ops p99', pick((r) => r.b99), ' ms', undefined),
      row('/quote p50 bot/floor', pick((r) => r.b50 / r.f50), 'x', { kind: 'max', limit: TARGET.p50 }),
      row('/quote p99 bot/floor', pick((r) => r.b99 / r.f99), 'x', { kind: 'max', limit: TARGET.p99 }),
      row('idle RSS, Slack on (after 20 commands + 2 s)', pick((r) => r.idleBot), ' MB', { kind: 'max', limit: TARGET.rssSlack }, 1),
      row('idle RSS, bare Bolt floor', pick((r) => r.idleFloor), ' MB', undefined, 1),
      row('idle RSS, no tokens (HTTP API only)', idle, ' MB', { kind: 'max', limit: TARGET.rssNoTokens }, 1),
      ...Array.from({ length: QUOTES_FOR_CURVE / CURVE_STEP }, (_, i) => row(`RSS after ${((i + 1) * CURVE_STEP).toLocaleString('en-US')} quotes`, pick((r) => r.curve[i] ?? Number.NaN), ' MB', undefined, 1)),
      row(`RSS at ${QUOTES_FOR_CURVE / 1000}k / at ${(QUOTES_FOR_CURVE - 2 * CURVE_STEP) / 1000}k quotes (levelling off)`, level, 'x', { kind: 'max', limit: TARGET.rssLevel }),
      row('start to ready (HTTP 200), empty db, no tokens', startBare, ' ms', { kind: 'max', limit: TARGET.startMs }, 0),
      row('start to ready (HTTP 200), empty db, Slack on', startSlack, ' ms', undefined, 0),
    ];
    const wrong = runs.flatMap((r) => r.failures);
    lines.push(wrong.length ? `answers: ${wrong.join('; ')}: the latency figures are INVALID` : 'answers: every /quote checked, all correct');
    lines.push(`fake Slack Web API calls per run: ${runs.map((r) => r.slackCalls).join(', ')} (auth.test once per app expected)`);
    lines.push(...(await policyLookupFigures()));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.race([slack.close(), sleep(2000)]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
